"""SHACL validation of the store's stated facts, with reports that name the files to fix.

The data graph is the union of the store's stated graphs (the ontology, so that
``sh:class`` sees ``rdfs:subClassOf``, the vocabularies and the sources; not the derived
facts, not the manifest), handed to pySHACL as an rdflib graph (no inference, SHACL-AF
enabled, warnings allowed). The shapes file is parsed strictly
(:func:`clustergraph.rdf.parse.parse_file`). Each result names the files whose graph
has the focus node as a subject (else as an object), from the store's manifest.

A report starts with its totals: the number of results, then the count of each shape
and constraint, most first; then one line per result (:meth:`ValidationReport.format`,
which can cap the lines shown). Each result names the line of its triple, the value
that is wrong and what is expected, the same whichever engine found it
(:mod:`clustergraph.pipeline.findings`).

Examples
--------
>>> import tempfile
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> store.replace_graphs({"https://w3id.org/clustergraph/graph/source/x": (
...     b"<https://w3id.org/clustergraph/id/org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
...     b" <https://w3id.org/clustergraph/ontology#Cluster> .")})
>>> with tempfile.TemporaryDirectory() as tmp:
...     shapes = Path(tmp, "shapes.ttl")
...     _ = shapes.write_text('''
...         @prefix sh: <http://www.w3.org/ns/shacl#> .
...         @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...         @prefix cg: <https://w3id.org/clustergraph/ontology#> .
...         <https://w3id.org/clustergraph/shapes#Cluster> a sh:NodeShape ;
...            sh:targetClass cg:Cluster ;
...            sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:message "No label." ] .''')
...     report = validate(Project(tmp), store, shapes=shapes)
>>> report.conforms
False
>>> print(report.format())
does not conform: 1 result (1 violation) in 1 file
     1  cgsh:Cluster rdfs:label sh:MinCountConstraintComponent
data/sources/x.ttl: o:a rdfs:label: No label; add rdfs:label [sh:MinCountConstraintComponent]
"""  # noqa: E501

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from clustergraph.errors import LayoutError, ShapesError
from clustergraph.pipeline.load import manifest, stated_graphs
from clustergraph.pipeline.shacl import PathOp, PropertyPath
from clustergraph.project.layout import BASE, GRAPH_NS, Project
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.project.vocab import SH
from clustergraph.rdf.lines import no_lines
from clustergraph.rdf.parse import parse_file
from clustergraph.rdf.terms import Term, from_rdflib, to_rdflib, to_rdflib_graph
from clustergraph.store.base import Store

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = [
    "ENGINES",
    "SHAPES_NS",
    "PathOp",
    "Plan",
    "PropertyPath",
    "ShapesWarning",
    "ValidationReport",
    "Violation",
    "forget",
    "format_path",
    "plan",
    "remember",
    "validate",
]

SHAPES_NS = BASE + "shapes#"
"""Namespace of the project's named shapes (shown with the prefix ``cgsh``)."""

SHAPES_GRAPH = GRAPH_NS + "shapes"
"""The graph IRI the shapes file is parsed into (relative IRIs resolve against it)."""

_PREFIXES: Mapping[str, str] = {**PREFIXES, "cgsh": SHAPES_NS}


_UNARY = {
    SH.inversePath: "inverse",
    SH.zeroOrMorePath: "zeroOrMore",
    SH.oneOrMorePath: "oneOrMore",
    SH.zeroOrOnePath: "zeroOrOne",
}
_SUFFIX = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}
_IRI = re.compile(r"<?(https?://[^\s<>\"]*[^\s<>\".,;:)])>?")
_SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    Attributes
    ----------
    severity
        ``sh:Violation``, ``sh:Warning`` or ``sh:Info`` (an IRI).
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
        The source shape (often a blank node: a property shape).
    message
        The result message (messages in several languages are joined by `` / ``).
    files
        Files (relative to the project root) whose graph has ``focus`` as a subject, or,
        if none, as an object.
    node_shape
        The named node shape the source shape belongs to (itself if it is named; the
        shape holding it with ``sh:property`` if it is a property shape), if any.
    """

    severity: str
    focus: Term
    path: PropertyPath | None
    value: Term | None
    component: str
    shape: Term
    message: str
    files: tuple[str, ...]
    node_shape: str | None = None
    line: int | None = None
    hint: str = ""

    def format(self, prefixes: Mapping[str, str] = _PREFIXES) -> str:
        """Return the result as one line (see :meth:`ValidationReport.format`).

        ``file:line: focus path value: message; what is expected; did you mean ...?
        [sh:Component]``: the line of the triple in the first file, the value that is
        wrong, and (:mod:`clustergraph.pipeline.findings`) what to write instead.
        """
        where = ", ".join(self.files) if self.files else "(no file)"
        if self.files and self.line is not None:
            where = f"{self.files[0]}:{self.line}" + "".join(f", {f}" for f in self.files[1:])
        elif self.files and no_lines(self.files[0]):
            where = f"{self.files[0]} ({no_lines(self.files[0])})" + "".join(
                f", {f}" for f in self.files[1:]
            )
        path = f" {format_path(self.path, prefixes)}" if self.path is not None else ""
        severity = "" if self.severity == SH.Violation else f" ({compact(self.severity, prefixes)})"
        message = _IRI.sub(lambda m: compact(m.group(1), prefixes), " ".join(self.message.split()))
        focus = compact(self.focus, prefixes)
        value = ""
        if self.value is not None and self.value != self.focus:
            shown = _value(self.value, prefixes)
            if shown and shown not in message and self.value.value not in message:
                value = f" {shown}"
        if self.hint:
            message = message.rstrip(".") + "; " + self.hint
        component = self.component_name(prefixes)
        return f"{where}: {focus}{path}{value}: {message} [{component}]{severity}"

    def component_name(self, prefixes: Mapping[str, str] = _PREFIXES) -> str:
        """Return the constraint component as a prefixed name (``sh:ClassConstraintComponent``)."""
        if self.component.startswith("checks/"):  # a check's finding (not a constraint)
            return self.component
        if ":" not in self.component:
            return f"sh:{self.component}"
        return compact(self.component, prefixes)

    def constraint(self, prefixes: Mapping[str, str] = _PREFIXES) -> str:
        """Return the shape and constraint this result counts under in the totals.

        The named node shape, the path for a property shape, and the component:
        ``cgsh:Company org:classification sh:MinCountConstraintComponent``.
        """
        if self.component.startswith("checks/"):
            path = format_path(self.path, prefixes) if self.path is not None else ""
            return f"{self.component} {path}".rstrip()
        shape = self.node_shape or (
            self.shape.value if isinstance(self.shape, ox.NamedNode) else None
        )
        parts = [compact(shape, prefixes) if shape is not None else "(unnamed shape)"]
        if self.path is not None and not isinstance(self.shape, ox.NamedNode):
            parts.append(format_path(self.path, prefixes))
        parts.append(self.component_name(prefixes))
        return " ".join(parts)


def _value(term: Term, prefixes: Mapping[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term, prefixes)
    if isinstance(term, ox.Literal):
        return '"' + term.value.replace("\n", " ") + '"'
    return ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True, repr=False)
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
    graphs
        The graphs validated.
    triples
        The triples validated (their union).
    notes
        What the user must know about how the data was validated, one line each (the
        shapes validated by pySHACL because they did not compile to SPARQL).
    """

    conforms: bool
    results: tuple[Violation, ...]
    prefixes: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    graphs: tuple[str, ...] = ()
    triples: int = 0
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        """Say the summary at a Python prompt (``format()`` gives the results)."""
        return f"<ValidationReport: {self.summary()}>"

    @property
    def violations(self) -> int:
        """The number of results of severity ``sh:Violation``."""
        return sum(1 for v in self.results if v.severity == SH.Violation)

    def totals(self) -> list[tuple[str, int]]:
        """Return each shape and constraint with its number of results, most first.

        Those with violations come before those of warnings and infos only (what breaks
        conformance first).
        """
        prefixes = dict(self.prefixes) or dict(_PREFIXES)
        counts = Counter(v.constraint(prefixes) for v in self.results)
        breaking = {v.constraint(prefixes) for v in self.results if v.severity == SH.Violation}
        return sorted(counts.items(), key=lambda item: (item[0] not in breaking, -item[1], item[0]))

    def summary(self) -> str:
        """Return the first line of the report: conformance and the totals.

        Examples
        --------
        >>> ValidationReport(conforms=True, results=()).summary()
        'conforms'
        """
        if not self.results:
            return "conforms" if self.conforms else "does not conform"
        by_severity = Counter(_SEVERITIES.get(v.severity, "other") for v in self.results)
        kinds = ", ".join(
            _plural(by_severity[word], word)
            for word in (*_SEVERITIES.values(), "other")
            if by_severity[word]
        )
        files = {f for v in self.results for f in v.files}
        head = "conforms" if self.conforms else "does not conform"
        results = _plural(len(self.results), "result")
        return f"{head}: {results} ({kinds}) in {_plural(len(files), 'file')}"

    def format(self, *, limit: int | None = None) -> str:
        """Return the report: the totals first, then one line per result.

        The first line says whether the data conforms and counts the results by
        severity; then each shape and constraint with its count (most first); then
        one line per result, ``file: focus path: message [sh:Component]`` (results that
        are not violations end with their severity, as ``(sh:Warning)``). An empty
        report is ``"conforms"``.

        Parameters
        ----------
        limit
            Show at most this many result lines (the totals are always complete); a
            last line says how many were left out.
        """
        if not self.results:
            return self.summary()
        prefixes = dict(self.prefixes) or dict(_PREFIXES)
        lines = [self.summary()]
        lines += [f"{count:>6}  {name}" for name, count in self.totals()]
        shown = self.results if limit is None else self.results[: max(limit, 0)]
        lines += [v.format(prefixes) for v in shown]
        if len(shown) < len(self.results):
            lines.append(f"... and {len(self.results) - len(shown)} more results not shown")
        return "\n".join(lines)


def format_path(path: PropertyPath, prefixes: Mapping[str, str] = _PREFIXES) -> str:
    """Return a SHACL property path in SPARQL property path syntax.

    Examples
    --------
    >>> from clustergraph.project.vocab import RDFS, SKOS
    >>> format_path(PathOp("sequence", (PathOp("inverse", (SKOS.member,)), RDFS.label)))
    '^skos:member/rdfs:label'
    """
    if isinstance(path, str):
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


# ---------------------------------------------------------------------------
# Reading pySHACL's results graph (rdflib)
# ---------------------------------------------------------------------------


def _read_path(graph: Graph, node: Node) -> PropertyPath:
    """Read a SHACL property path from ``graph`` (the results graph)."""
    from rdflib import URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import RDF

    if isinstance(node, URIRef):
        return str(node)
    if (node, RDF.first, None) in graph:
        return PathOp("sequence", tuple(_read_path(graph, n) for n in Collection(graph, node)))
    alternatives = graph.value(node, URIRef(SH.alternativePath))
    if alternatives is not None:
        args = tuple(_read_path(graph, n) for n in Collection(graph, alternatives))
        return PathOp("alternative", args)
    for predicate, op in _UNARY.items():
        inner = graph.value(node, URIRef(predicate))
        if inner is not None:
            return PathOp(op, (_read_path(graph, inner),))
    raise ShapesError(f"unsupported SHACL property path {node!r}")


def _message(results: Graph, result: Node) -> str:
    from rdflib import Literal, URIRef

    messages = sorted(
        (m for m in results.objects(result, URIRef(SH.resultMessage)) if isinstance(m, Literal)),
        key=lambda m: (m.language not in ("en", None), str(m)),
    )
    return " / ".join(str(m) for m in messages)


def _component(iri: Node | None) -> str:
    if iri is None:
        return "(unknown component)"
    text = str(iri)
    return text[len(str(SH)) :] if text.startswith(str(SH)) else text


def _owners(shapes: Graph) -> dict[Node, str]:
    """Map each shape to the named node shape it belongs to (named shapes to themselves)."""
    from rdflib import URIRef

    owners: dict[Node, str] = {}
    for parent, child in shapes.subject_objects(URIRef(SH.property)):
        if isinstance(parent, URIRef):
            owners[child] = str(parent)
    return owners


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


@dataclass
class _DataGraph:
    """The data graph handed to pySHACL, and where each of its nodes occurs."""

    graph: Graph
    subjects: dict[Node, set[str]]
    objects: dict[Node, set[str]]


def _data_graph(store: Store, graphs: Sequence[str]) -> _DataGraph:
    """Copy the union of ``graphs`` into one rdflib graph, noting each node's graphs."""
    from rdflib import Graph

    data = Graph()
    bnodes: dict[str, object] = {}
    subjects: dict[Node, set[str]] = {}
    objects: dict[Node, set[str]] = {}
    for name in graphs:
        triples = []
        for quad in store.quads(graph=name):
            s = to_rdflib(quad.subject, bnodes)
            p = to_rdflib(quad.predicate, bnodes)
            o = to_rdflib(quad.object, bnodes)
            subjects.setdefault(s, set()).add(name)
            objects.setdefault(o, set()).add(name)
            triples.append((s, p, o, data))
        data.addN(triples)
    return _DataGraph(data, subjects, objects)


def _files(project: Project, store: Store, graphs: Sequence[str]) -> dict[str, str]:
    """Map each graph to its file: from the store's manifest, else as the layout names it."""
    files = {g: e.file for g, e in manifest(store).items()}
    for graph in graphs:
        if graph not in files and graph.startswith(GRAPH_NS):
            try:
                files[graph] = project.relpath(project.file_of(graph))
            except LayoutError:
                continue
    return files


ENGINES = ("auto", "sparql", "pyshacl")
"""How :func:`validate` validates: ``sparql`` compiles the shapes to queries the store
answers (:mod:`clustergraph.pipeline.shacl`), ``pyshacl`` hands an rdflib copy of the data
to pySHACL, ``auto`` (the default) compiles and falls back to pySHACL for shapes the
compiler does not translate."""


def validate(
    project: Project,
    store: Store,
    *,
    shapes: Path | None = None,
    graphs: Sequence[str] | None = None,
    changed: Sequence[str] | None = None,
    nodes: Sequence[str] = (),
    engine: str = "auto",
    unexpected: bool = True,
) -> ValidationReport:
    """Validate the stated facts of ``store`` against SHACL ``shapes``.

    Besides the shapes' results, each property of a known vocabulary that a source uses
    and neither the shapes nor the ontology expect (``schema:recipient`` where the
    project writes ``cg:awardedTo``) is a warning (``sh:Warning``, as
    ``checks/unexpected-properties`` is for ``check``: the data still conforms), with
    its line and the properties expected.

    Parameters
    ----------
    project
        The project: its shapes file, and the files results are blamed on.
    store
        The store (embedded or remote; only read).
    shapes
        The shapes file (default: the project's ``ontology/shapes.ttl``), parsed strictly.
    graphs
        The graphs whose union is validated (default: every stated graph of the store:
        the ontology, the vocabularies and the sources). Include the ontology and the
        vocabularies: ``sh:class`` needs the subclass axioms and the concepts.
    changed
        Validate only the focus nodes these graphs (among ``graphs``) touch: their
        subjects and objects, the subjects that point at them, and ``nodes``; the data
        graph is still the union of ``graphs``. ``None``: every focus node. An
        incremental build gives the graphs it loaded, and as ``nodes`` the IRIs the
        old versions of those graphs held.
    nodes
        IRIs validated as well when ``changed`` is given.
    engine
        One of :data:`ENGINES`.
    unexpected
        Report the unexpected properties of the validated source graphs (warnings).

    Returns
    -------
    ValidationReport
        Whether the data conforms, and every result.

    Raises
    ------
    InputError
        If the shapes file is missing or malformed.
    ShapesError
        If the shapes cannot be used.
    StoreError
        If the store cannot be read.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}: one of {', '.join(ENGINES)}")
    path = shapes if shapes is not None else project.shapes_file
    triples = parse_file(path, graph=SHAPES_GRAPH, shown=project.relpath(path))
    names = list(stated_graphs(store) if graphs is None else graphs)
    report = None
    notes: tuple[str, ...] = ()
    if engine != "pyshacl":
        from clustergraph.errors import QueryError
        from clustergraph.pipeline.shacl import UnsupportedShapeError

        try:
            report = _validate_sparql(project, store, triples, names, changed, nodes)
        except (UnsupportedShapeError, QueryError) as exc:
            if engine == "sparql":
                raise ShapesError(f"SHACL shapes cannot be compiled: {_one_line(exc)}") from exc
            notes = (
                f"{project.relpath(path)}: the shapes do not compile to SPARQL "
                f"({_one_line(exc)}): validated by pySHACL instead, in memory and slower",
            )
    if report is None:
        report = _validate_pyshacl(project, store, triples, names)
    if notes:
        from dataclasses import replace

        report = replace(report, notes=notes)
    report = _explained(project, store, triples, report)
    if unexpected:
        report = _with_unexpected(project, store, triples, report)
    return report


UNEXPECTED = "checks/unexpected-properties"
"""What a warning about a property nothing expects counts under (the check's name)."""


def _with_unexpected(
    project: Project, store: Store, shapes: list[ox.Triple], report: ValidationReport
) -> ValidationReport:
    """Add a warning for each unexpected property of the report's source graphs."""
    from dataclasses import replace

    from clustergraph.pipeline.findings import unexpected

    wanted = set(report.graphs)
    found = [
        Violation(
            severity=SH.Warning,
            focus=u.entity,
            path=u.prop,
            value=None,
            component=UNEXPECTED,
            shape=ox.BlankNode(),
            message="a property that neither the shapes nor the ontology expect: write "
            "the project's property instead",
            files=(u.file,) if u.file else (),
            line=u.line,
            hint=f"expected one of {u.expected_text()}" if u.expected else "",
        )
        for u in unexpected(project, store, shapes)
        if u.graph in wanted
    ]
    if not found:
        return report
    results = sorted([*report.results, *found], key=_sort_key)
    return replace(report, results=tuple(results))


def _explained(
    project: Project, store: Store, shapes: list[ox.Triple], report: ValidationReport
) -> ValidationReport:
    """Add to each result its line, its value and what is expected (only when some)."""
    if not report.results:
        return report
    from dataclasses import replace

    from clustergraph.pipeline.findings import Explainer

    explainer = Explainer(project, store, shapes)
    return replace(report, results=tuple(explainer.violation(v) for v in report.results))


def _validate_sparql(
    project: Project,
    store: Store,
    triples: list[ox.Triple],
    names: list[str],
    changed: Sequence[str] | None,
    nodes: Sequence[str],
) -> ValidationReport:
    """Validate with the shapes compiled to SPARQL (see :mod:`clustergraph.pipeline.shacl`)."""
    from clustergraph.pipeline.shacl import FOCUS, compile_shapes, ill_typed, run, scratch

    scope = None if changed is None else [g for g in changed if g in set(names)]
    checks = compile_shapes(triples)  # unusable shapes fail before any copying
    copy = scratch(store, names, changed=scope, nodes=nodes) if names else None
    findings = []
    if copy is not None:
        wrong = ill_typed(copy)
        if wrong:
            checks = compile_shapes(triples, ill_typed=wrong)
        restrict = "" if scope is None else f"GRAPH <{FOCUS}> {{ ?this <{FOCUS}> ?cg_f }}"
        findings = list(run(copy, checks, restrict=restrict))
    files = _files(project, store, names)
    wanted = set(names)
    cache: dict[Term, tuple[str, ...]] = {}

    def blamed(node: Term) -> tuple[str, ...]:
        if node not in cache:
            found: tuple[str, ...] = ()
            for as_subject in (True, False):
                if as_subject and isinstance(node, ox.Literal):
                    continue
                quads = store.quads(subject=node) if as_subject else store.quads(object=node)
                graphs = {
                    q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)
                }
                found = tuple(sorted({files[g] for g in graphs & wanted if g in files}))
                if found:
                    break
            cache[node] = found
        return cache[node]

    violations = [
        Violation(
            severity=f.check.severity,
            focus=f.focus,
            path=f.check.path,  # type: ignore[arg-type]
            value=f.value,
            component=f.check.component,
            shape=f.check.shape,
            message=f.message,
            files=blamed(f.focus),
            node_shape=f.check.node_shape,
        )
        for f in findings
    ]
    violations.sort(key=_sort_key)
    return ValidationReport(
        conforms=not any(v.severity == SH.Violation for v in violations),
        results=tuple(violations),
        prefixes=tuple(sorted(_PREFIXES.items())),
        graphs=tuple(names),
        triples=_count(copy),
    )


def _count(copy: ox.Store | None) -> int:
    """Count the triples of the scratch copy's default graph (the data validated)."""
    if copy is None:
        return 0
    answer = copy.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(answer, ox.QuerySolutions)
    for solution in answer:
        value = solution["n"]
        return int(value.value) if isinstance(value, ox.Literal) else 0
    return 0


def _validate_pyshacl(
    project: Project, store: Store, triples: list[ox.Triple], names: list[str]
) -> ValidationReport:
    """Validate with pySHACL over an rdflib copy of the union of ``names``."""
    import pyshacl
    from pyparsing import ParseBaseException
    from pyshacl.errors import ReportableRuntimeError
    from rdflib import BNode, Graph, URIRef

    shapes_graph = to_rdflib_graph(triples)
    data = _data_graph(store, names)
    try:
        with _quiet_pyshacl():
            conforms, results, text = pyshacl.validate(
                data.graph,
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
    files = _files(project, store, names)
    owners = _owners(shapes_graph)

    def blamed(node: Node) -> tuple[str, ...]:
        for where in (data.subjects, data.objects):
            found = sorted({files[g] for g in where.get(node, ()) if g in files})
            if found:
                return tuple(found)
        return ()

    violations = []
    # Only the report's own results: pySHACL also types the sh:detail results that explain
    # an sh:node violation as sh:ValidationResult, with the offending value as focus.
    for result in results.objects(None, URIRef(SH.result)):
        path_node = results.value(result, URIRef(SH.resultPath))
        focus = results.value(result, URIRef(SH.focusNode))
        if focus is None:  # pragma: no cover - pySHACL always gives a focus node
            raise ShapesError("validation result without focus node")
        value = results.value(result, URIRef(SH.value))
        shape = results.value(result, URIRef(SH.sourceShape)) or BNode()
        severity = results.value(result, URIRef(SH.resultSeverity))
        violations.append(
            Violation(
                severity=str(severity) if isinstance(severity, URIRef) else SH.Violation,
                focus=from_rdflib(focus),
                path=_read_path(results, path_node) if path_node is not None else None,
                value=from_rdflib(value) if value is not None else None,
                component=_component(results.value(result, URIRef(SH.sourceConstraintComponent))),
                shape=from_rdflib(shape),
                message=_message(results, result),
                files=blamed(focus),
                node_shape=str(shape) if isinstance(shape, URIRef) else owners.get(shape),
            )
        )
    violations.sort(key=_sort_key)
    return ValidationReport(
        conforms=bool(conforms),
        results=tuple(violations),
        prefixes=tuple(sorted(_PREFIXES.items())),
        graphs=tuple(names),
        triples=len(data.graph),
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


def _sort_key(v: Violation) -> tuple[str, ...]:
    return (
        ",".join(v.files),
        str(v.focus),
        format_path(v.path) if v.path is not None else "",
        v.component,
        v.message,
        str(v.value),
    )


# ---------------------------------------------------------------------------
# Incremental validation: what was last found to conform
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What an incremental validation must look at (see :func:`plan`).

    Attributes
    ----------
    changed
        The stated graphs to look at again; ``None``: every graph (no record, the
        shapes, the ontology or a vocabulary changed, or the old nodes are unknown).
    nodes
        IRIs the replaced or removed graphs held, looked at again too.
    reason
        Why, in a few words (for the build's progress line).
    """

    changed: tuple[str, ...] | None
    nodes: tuple[str, ...] = ()
    reason: str = ""

    @property
    def nothing(self) -> bool:
        """Whether nothing changed since the store last conformed."""
        return self.changed == () and not self.nodes


def record_path(store: Store) -> Path | None:
    """Return where the record of an on-disk store's last conforming validation is kept.

    A file beside the store's directory (``store.validated.json``); ``None`` for a store
    in memory or a remote one, which are validated whole.
    """
    from clustergraph.store.base import BulkStore

    if isinstance(store, BulkStore) and store.path is not None:
        return store.path.with_name(store.path.name + ".validated.json")
    return None


def _fingerprint(project: Project, store: Store) -> dict[str, object]:
    import hashlib

    shapes = project.shapes_file
    digest = hashlib.sha256(shapes.read_bytes()).hexdigest() if shapes.is_file() else ""
    return {"shapes": digest, "graphs": {g: e.sha256 for g, e in manifest(store).items()}}


def plan(
    project: Project,
    store: Store,
    *,
    loaded: Sequence[str] = (),
    removed: Sequence[str] = (),
    previous: Sequence[str] | None = None,
) -> Plan:
    """Say what must be validated again since the store last conformed.

    Parameters
    ----------
    project, store
        The project and its store.
    loaded, removed, previous
        What the load that just ran replaced and removed, and the IRIs those graphs held
        before (:class:`clustergraph.pipeline.load.LoadReport`); if graphs changed that
        this load did not change (a ``clustergraph load`` ran in between), or
        ``previous`` is ``None``, everything is validated.
    """
    import json

    from clustergraph.project.layout import SOURCE_GRAPHS

    where = record_path(store)
    if where is None or not where.is_file():
        return Plan(None, reason="first validation")
    try:
        record = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Plan(None, reason="no readable record")
    now = _fingerprint(project, store)
    if record.get("shapes") != now["shapes"]:
        return Plan(None, reason="the shapes changed")
    before: dict[str, str] = record.get("graphs", {})
    after: dict[str, str] = now["graphs"]  # type: ignore[assignment]
    changed = sorted(g for g, sha in after.items() if before.get(g) != sha)
    gone = sorted(g for g in before if g not in after)
    if not changed and not gone:
        return Plan((), reason="nothing changed since the store last conformed")
    if any(not g.startswith(SOURCE_GRAPHS) for g in [*changed, *gone]):
        return Plan(None, reason="the ontology or a vocabulary changed")
    if previous is None or not set(changed) | set(gone) <= set(loaded) | set(removed):
        return Plan(None, reason="changes whose earlier state is unknown")
    return Plan(tuple(changed), tuple(previous), f"{len(changed) + len(gone)} changed graphs")


def remember(project: Project, store: Store) -> None:
    """Record that the store, as its manifest now says, conforms (see :func:`plan`)."""
    import json
    import os
    import tempfile

    where = record_path(store)
    if where is None:
        return
    text = json.dumps(_fingerprint(project, store), indent=0, sort_keys=True)
    handle, name = tempfile.mkstemp(prefix=where.name, suffix=".tmp", dir=where.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(name, where)


def forget(store: Store) -> None:
    """Remove the record of the last conforming validation (the store changed otherwise)."""
    where = record_path(store)
    if where is not None:
        where.unlink(missing_ok=True)
