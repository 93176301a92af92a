"""SHACL validation of the dataset, with reports that name the files to fix.

The union of all named graphs, the ontology included (so that ``sh:class`` sees
``rdfs:subClassOf``), is validated with pySHACL (no inference, SHACL-AF enabled,
warnings allowed). Each result names the data files whose graph has the focus node
as a subject.

Examples
--------
>>> from rdflib import Dataset, Graph
>>> shapes = Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...     @prefix cg: <https://w3id.org/clustergraph/ontology#> .
...     [] a sh:NodeShape ; sh:targetClass cg:Cluster ;
...        sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:message "No label." ] .''')
>>> ds = Dataset(default_union=True)
>>> ds.graph("https://w3id.org/clustergraph/graph/source/x").parse(format="turtle", data='''
...     <https://w3id.org/clustergraph/id/cluster/a>
...         a <https://w3id.org/clustergraph/ontology#Cluster> .''')
<Graph identifier=https://w3id.org/clustergraph/graph/source/x (<class 'rdflib.graph.Graph'>)>
>>> report = validate(ds, shapes=shapes)
>>> report.conforms
False
>>> print(report.format())
data/sources/x.ttl: id:cluster/a rdfs:label: No label. [sh:MinCountConstraintComponent]
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from pyparsing import ParseBaseException
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from clustergraph.errors import LayoutError, ShapesError
from clustergraph.pipeline.load import load_file, named_graphs, union_graph
from clustergraph.project.layout import GRAPH_NS, file_for_graph
from clustergraph.project.prefixes import compact, prefix_map


@dataclass(frozen=True)
class PathOp:
    """A complex SHACL property path, such as an inverse or a sequence path.

    ``op`` is one of ``"inverse"``, ``"sequence"``, ``"alternative"``,
    ``"zeroOrMore"``, ``"oneOrMore"`` and ``"zeroOrOne"``.
    """

    op: str
    args: tuple[PropertyPath, ...]


PropertyPath = URIRef | PathOp

_UNARY = {
    SH.inversePath: "inverse",
    SH.zeroOrMorePath: "zeroOrMore",
    SH.oneOrMorePath: "oneOrMore",
    SH.zeroOrOnePath: "zeroOrOne",
}
_SUFFIX = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    Attributes
    ----------
    severity
        ``sh:Violation``, ``sh:Warning`` or ``sh:Info``.
    focus
        The focus node.
    path
        The result path (``None`` for node constraints).
    value
        The value node, if any.
    component
        Short name of an ``sh:`` constraint component (``"MinCountConstraintComponent"``),
        or the full IRI of another one.
    shape
        The source shape (often a blank node).
    message
        The result message (messages in several languages are joined by `` / ``).
    files
        Files (relative to the project root) whose graph has ``focus`` as a subject, or,
        if none, as an object.
    """

    severity: URIRef
    focus: Node
    path: PropertyPath | None
    value: Node | None
    component: str
    shape: Node
    message: str
    files: tuple[str, ...]

    def format(self, prefixes: Mapping[str, str]) -> str:
        """Return the result as one line (see :meth:`ValidationReport.format`)."""
        where = ", ".join(self.files) if self.files else "(no file)"
        path = f" {format_path(self.path, prefixes)}" if self.path is not None else ""
        component = (
            f"sh:{self.component}"
            if ":" not in self.component
            else compact(URIRef(self.component), prefixes)
        )
        severity = "" if self.severity == SH.Violation else f" ({compact(self.severity, prefixes)})"
        message = " ".join(self.message.split())
        return f"{where}: {compact(self.focus, prefixes)}{path}: {message} [{component}]{severity}"


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of :func:`validate`.

    Attributes
    ----------
    conforms
        Whether the data conforms (warnings and infos do not break conformance).
    results
        The validation results, sorted by file, focus node and path.
    prefixes
        Prefix bindings used by :meth:`format`.
    """

    conforms: bool
    results: tuple[Violation, ...]
    prefixes: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def format(self) -> str:
        """Return one line per result, ``file: focus path: message [sh:Component]``.

        Results that are not violations end with their severity, as ``(sh:Warning)``.
        An empty report gives ``"conforms"``.
        """
        if not self.results:
            return "conforms" if self.conforms else "does not conform"
        prefixes = dict(self.prefixes)
        return "\n".join(v.format(prefixes) for v in self.results)


def format_path(path: PropertyPath, prefixes: Mapping[str, str]) -> str:
    """Return a SHACL property path in SPARQL property path syntax.

    Examples
    --------
    >>> from rdflib.namespace import RDFS, SKOS
    >>> p = PathOp("sequence", (PathOp("inverse", (SKOS.member,)), RDFS.label))
    >>> format_path(p, {"skos": str(SKOS), "rdfs": str(RDFS)})
    '^skos:member/rdfs:label'
    """
    if isinstance(path, URIRef):
        return compact(path, prefixes)
    inner = [
        f"({format_path(arg, prefixes)})" if _needs_parens(arg) else format_path(arg, prefixes)
        for arg in path.args
    ]
    if path.op == "inverse":
        return "^" + inner[0]
    if path.op in _SUFFIX:
        return inner[0] + _SUFFIX[path.op]
    return ("/" if path.op == "sequence" else "|").join(inner)


def _needs_parens(path: PropertyPath) -> bool:
    return isinstance(path, PathOp) and path.op in ("sequence", "alternative")


def _read_path(graph: Graph, node: Node) -> PropertyPath:
    """Read a SHACL property path from ``graph`` (the results graph)."""
    if isinstance(node, URIRef):
        return node
    if (node, RDF.first, None) in graph:
        return PathOp("sequence", tuple(_read_path(graph, n) for n in Collection(graph, node)))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        args = tuple(_read_path(graph, n) for n in Collection(graph, alternatives))
        return PathOp("alternative", args)
    for predicate, op in _UNARY.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return PathOp(op, (_read_path(graph, inner),))
    raise ShapesError(f"unsupported SHACL property path {node!r}")


def _files_of(dataset: Dataset, node: Node) -> tuple[str, ...]:
    """Return the layout files whose graph has ``node`` as subject (else as object)."""
    graphs = list(named_graphs(dataset))
    for pattern in ((node, None, None), (None, None, node)):
        found = []
        for graph in graphs:
            if pattern in graph and str(graph.identifier).startswith(GRAPH_NS):
                try:
                    found.append(file_for_graph(str(graph.identifier)))
                except LayoutError:
                    continue
        if found:
            return tuple(sorted(found))
    return ()


def _message(results: Graph, result: Node) -> str:
    messages = sorted(
        (m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal)),
        key=lambda m: (m.language not in ("en", None), str(m)),
    )
    return " / ".join(str(m) for m in messages)


def _component(iri: Node | None) -> str:
    if iri is None:
        return "(unknown component)"
    text = str(iri)
    return text[len(str(SH)) :] if text.startswith(str(SH)) else text


def validate(dataset: Dataset, *, shapes: Path | Graph) -> ValidationReport:
    """Validate the union of the named graphs of ``dataset`` against SHACL ``shapes``.

    Parameters
    ----------
    dataset
        The dataset (see :func:`clustergraph.pipeline.load.load`); include the ontology graph so
        that ``sh:class`` constraints see subclasses.
    shapes
        The shapes graph, or a Turtle file parsed strictly.

    Returns
    -------
    ValidationReport
        Whether the data conforms, and every result.

    Raises
    ------
    InputError
        If the shapes file is missing or malformed.
    ShapesError
        If pySHACL cannot use the shapes.
    """
    shapes_graph = (
        shapes
        if isinstance(shapes, Graph)
        else load_file(shapes, graph=URIRef(GRAPH_NS + "shapes"))
    )
    data = union_graph(dataset)
    try:
        with _quiet_pyshacl():
            conforms, results, text = pyshacl.validate(
                data,
                shacl_graph=shapes_graph,
                inference="none",
                advanced=True,
                allow_warnings=True,
            )
    except ReportableRuntimeError as exc:
        raise ShapesError(f"SHACL shapes cannot be used: {_one_line(exc)}") from exc
    except ParseBaseException as exc:
        raise ShapesError(f"SHACL shapes cannot be used: SPARQL syntax error: {exc}") from exc
    if not isinstance(results, Graph):  # pySHACL returns a ValidationFailure instead
        raise ShapesError(f"SHACL validation failed: {_one_line(text)}")
    violations = []
    # Only the report's own results: pySHACL also types the sh:detail results that explain
    # an sh:node violation as sh:ValidationResult, with the offending value as focus.
    for result in results.objects(None, SH.result):
        path_node = results.value(result, SH.resultPath)
        focus = results.value(result, SH.focusNode)
        if focus is None:  # pragma: no cover - pySHACL always gives a focus node
            raise ShapesError("validation result without focus node")
        violations.append(
            Violation(
                severity=_uri(results.value(result, SH.resultSeverity), SH.Violation),
                focus=focus,
                path=_read_path(results, path_node) if path_node is not None else None,
                value=results.value(result, SH.value),
                component=_component(results.value(result, SH.sourceConstraintComponent)),
                shape=results.value(result, SH.sourceShape) or BNode(),
                message=_message(results, result),
                files=_files_of(dataset, focus),
            )
        )
    prefixes = prefix_map(dataset)
    violations.sort(key=lambda v: _sort_key(v, prefixes))
    return ValidationReport(
        conforms=bool(conforms),
        results=tuple(violations),
        prefixes=tuple(sorted(prefixes.items())),
    )


class ShapesWarning(UserWarning):
    """A warning pySHACL logged about the shapes (errors are raised as ShapesError)."""


@contextmanager
def _quiet_pyshacl() -> Iterator[None]:
    """Keep pySHACL's logger off stderr; its warnings become Python warnings.

    pySHACL logs the errors it raises as well; those reach the caller as exceptions.
    """
    logger = logging.getLogger("pyshacl-validate")

    def divert(record: logging.LogRecord) -> bool:
        if logging.WARNING <= record.levelno < logging.ERROR:
            warnings.warn(_one_line(record.getMessage()), ShapesWarning, stacklevel=2)
        return False

    logger.addFilter(divert)
    try:
        yield
    finally:
        logger.removeFilter(divert)


def _one_line(error: object) -> str:
    return " ".join(str(getattr(error, "message", error)).split())


def _uri(node: Node | None, default: URIRef) -> URIRef:
    return node if isinstance(node, URIRef) else default


def _sort_key(v: Violation, prefixes: Mapping[str, str]) -> tuple[str, ...]:
    return (
        ",".join(v.files),
        str(v.focus),
        format_path(v.path, prefixes) if v.path is not None else "",
        v.component,
        v.message,
        str(v.value),
    )
