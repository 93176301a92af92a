"""SHACL shapes compiled to SPARQL, run by the store itself.

pySHACL walks an rdflib copy of the data in Python: about two hundred triples a second
on the project's shapes, so a million triples would take hours. The shapes the project
uses (and most shapes) say things SPARQL can ask directly: :func:`compile_shapes` turns
each constraint of each shape into one ``SELECT`` query that returns the focus nodes
(and value nodes) that break it, and :func:`run` asks them of the store, over the
graphs validated. Every query reads the store once, so validation grows with the data.

Supported: targets ``sh:targetClass`` (with ``rdfs:subClassOf*``), ``sh:targetNode``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf`` and SPARQL targets; predicate and
complex property paths; ``sh:class``, ``sh:datatype`` (ill-typed literals fail it, by
:mod:`clustergraph.rdf.lexical`), ``sh:nodeKind``, ``sh:minCount``, ``sh:maxCount``,
``sh:minInclusive`` and its kin, ``sh:minLength``, ``sh:maxLength``, ``sh:pattern``,
``sh:languageIn``, ``sh:uniqueLang``, ``sh:in``, ``sh:hasValue`` (in node shapes),
``sh:node``, ``sh:or``, ``sh:and``, ``sh:xone``, ``sh:not``, ``sh:disjoint`` and
SPARQL-based constraints (``sh:sparql`` with ``sh:prefixes``). A shape that uses
anything else raises :class:`UnsupportedShapeError`, and :mod:`clustergraph.pipeline.validate`
hands those shapes to pySHACL instead.

A validation can be *restricted* to the nodes of some graphs (an incremental build
revalidates only what changed): each query then starts from the nodes that occur in
those graphs, or are given, instead of every target of the store.

Examples
--------
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> store.replace_graphs({"urn:g": b'<urn:a> <urn:p> <urn:b> .'})
>>> shapes = list(ox.parse(b'''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     <urn:S> a sh:NodeShape ; sh:targetSubjectsOf <urn:p> ;
...         sh:property [ sh:path <urn:name> ; sh:minCount 1 ; sh:message "A name." ] .
...     ''', format=ox.RdfFormat.TURTLE))
>>> checks = compile_shapes([q.triple for q in shapes])
>>> [(c.component, c.node_shape) for c in checks]
[('MinCountConstraintComponent', 'urn:S')]
>>> [(f.focus.value, f.message) for f in run(store, checks, graphs=["urn:g"])]
[('urn:a', 'A name.')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from clustergraph.project.vocab import RDF, RDFS, SH
from clustergraph.rdf.lexical import CHECKED, problem
from clustergraph.rdf.terms import Term
from clustergraph.store.base import SelectResult, Store

__all__ = [
    "Check",
    "Finding",
    "PathOp",
    "PropertyPath",
    "UnsupportedShapeError",
    "compile_shapes",
    "ill_typed",
    "run",
]


@dataclass(frozen=True)
class PathOp:
    """A complex SHACL property path, such as an inverse or a sequence path.

    ``op`` is one of ``"inverse"``, ``"sequence"``, ``"alternative"``,
    ``"zeroOrMore"``, ``"oneOrMore"`` and ``"zeroOrOne"``.
    """

    op: str
    args: tuple[PropertyPath, ...]


PropertyPath = str | PathOp
"""A SHACL property path: a predicate IRI, or a :class:`PathOp`."""


class UnsupportedShapeError(Exception):
    """The shapes use something this compiler does not translate (pySHACL will)."""


# Parameters that say something about a shape but constrain nothing.
_INERT = {
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.deactivated,
    SH.path,
    SH.property,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
    SH.flags,
    SH.declare,
    SH.prefixes,
    SH.select,
    SH.sparql,
    RDF.type,
    RDFS.label,
    RDFS.comment,
    RDFS.isDefinedBy,
    RDFS.seeAlso,
}
_VALUE_PARAMS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.minLength,
    SH.maxLength,
    SH.pattern,
    SH.languageIn,
    SH["in"],
    SH.node,
    SH["or"],
    SH["and"],
    SH.xone,
    SH["not"],
}
_COMPONENTS = {
    SH["class"]: "ClassConstraintComponent",
    SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent",
    SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent",
    SH.minLength: "MinLengthConstraintComponent",
    SH.maxLength: "MaxLengthConstraintComponent",
    SH.pattern: "PatternConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent",
    SH["in"]: "InConstraintComponent",
    SH.node: "NodeConstraintComponent",
    SH["or"]: "OrConstraintComponent",
    SH["and"]: "AndConstraintComponent",
    SH.xone: "XoneConstraintComponent",
    SH["not"]: "NotConstraintComponent",
    SH.hasValue: "HasValueConstraintComponent",
    SH.minCount: "MinCountConstraintComponent",
    SH.maxCount: "MaxCountConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent",
    SH.disjoint: "DisjointConstraintComponent",
    SH.sparql: "SPARQLConstraintComponent",
}
_COMPARISONS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isIRI({v}) || isBlank({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_DEPTH = 8


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query whose rows are the results it finds.

    Attributes
    ----------
    query
        A SPARQL ``SELECT`` with ``?this`` (the focus node), and ``?value`` where the
        constraint has a value node; ``{restrict}`` marks where a restriction to some
        nodes goes (see :func:`run`).
    component
        The constraint component's local name (``"MinCountConstraintComponent"``).
    shape
        The source shape (a property shape is often a blank node).
    node_shape
        The named node shape the source shape belongs to, if any.
    path
        The property path as SPARQL text and as read, for property shapes.
    severity
        ``sh:Violation``, ``sh:Warning`` or ``sh:Info``.
    messages
        The messages (``{?var}`` is replaced by a row's value); empty: a default.
    default
        The message used when the shape gives none.
    """

    query: str
    component: str
    shape: Term
    node_shape: str | None
    path: object | None
    severity: str
    messages: tuple[ox.Literal, ...]
    default: str


@dataclass(frozen=True)
class Finding:
    """A result of a :class:`Check`: the focus node, the value node and the message."""

    check: Check
    focus: Term
    value: Term | None
    message: str


@dataclass
class _Shapes:
    """The shapes graph, indexed by subject."""

    triples: dict[Term, dict[str, list[Term]]] = field(default_factory=dict)

    @classmethod
    def of(cls, triples: Iterable[ox.Triple]) -> _Shapes:
        shapes = cls()
        for t in triples:
            if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
                raise UnsupportedShapeError("a quoted triple in the shapes")
            shapes.triples.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(
                t.object
            )
        return shapes

    def values(self, node: Term, predicate: str) -> list[Term]:
        return self.triples.get(node, {}).get(predicate, [])

    def value(self, node: Term, predicate: str) -> Term | None:
        found = self.values(node, predicate)
        if len(found) > 1:
            raise UnsupportedShapeError(f"{node} has several {predicate}")
        return found[0] if found else None

    def items(self, node: Term) -> list[Term]:
        """Read an RDF list."""
        items: list[Term] = []
        seen = set()
        while not (isinstance(node, ox.NamedNode) and node.value == RDF.nil):
            if node in seen:
                raise UnsupportedShapeError("a cyclic list")
            seen.add(node)
            first = self.value(node, RDF.first)
            rest = self.value(node, RDF.rest)
            if first is None or rest is None:
                raise UnsupportedShapeError("a malformed list")
            items.append(first)
            node = rest
        return items


class _Names:
    """Fresh variable names, none of which a shape's own SPARQL can use."""

    def __init__(self) -> None:
        self.number = 0

    def __call__(self, stem: str = "v") -> str:
        self.number += 1
        return f"?cg_{stem}{self.number}"


def _n3(term: Term) -> str:
    if isinstance(term, ox.BlankNode):
        raise UnsupportedShapeError("a blank node as a constraint's value")
    return str(term)


def _iri(term: Term | None, what: str) -> str:
    if not isinstance(term, ox.NamedNode):
        raise UnsupportedShapeError(f"{what} is not an IRI")
    return term.value


def _path(shapes: _Shapes, node: Term, depth: int = 0) -> tuple[str, PropertyPath]:
    """Return a SHACL path as SPARQL text and as :class:`PathOp` describes it."""
    if depth > _DEPTH:
        raise UnsupportedShapeError("a path nested too deep")
    if isinstance(node, ox.NamedNode):
        return f"<{node.value}>", node.value
    if shapes.value(node, RDF.first) is not None:
        parts = [_path(shapes, item, depth + 1) for item in shapes.items(node)]
        if len(parts) < 2:
            raise UnsupportedShapeError("a sequence path of one")
        return "(" + "/".join(p[0] for p in parts) + ")", PathOp(
            "sequence", tuple(p[1] for p in parts)
        )
    alternatives = shapes.value(node, SH.alternativePath)
    if alternatives is not None:
        parts = [_path(shapes, item, depth + 1) for item in shapes.items(alternatives)]
        return "(" + "|".join(p[0] for p in parts) + ")", PathOp(
            "alternative", tuple(p[1] for p in parts)
        )
    for predicate, op, suffix in (
        (SH.inversePath, "inverse", ""),
        (SH.zeroOrMorePath, "zeroOrMore", "*"),
        (SH.oneOrMorePath, "oneOrMore", "+"),
        (SH.zeroOrOnePath, "zeroOrOne", "?"),
    ):
        inner = shapes.value(node, predicate)
        if inner is not None:
            text, read = _path(shapes, inner, depth + 1)
            sparql = f"(^{text})" if op == "inverse" else f"({text}){suffix}"
            return sparql, PathOp(op, (read,))
    raise UnsupportedShapeError(f"an unknown path {node}")


def _literal_int(term: Term | None, what: str) -> int:
    if not isinstance(term, ox.Literal):
        raise UnsupportedShapeError(f"{what} is not a number")
    try:
        return int(term.value)
    except ValueError:
        raise UnsupportedShapeError(f"{what} is not a number") from None


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class _Compiler:
    """Compile the shapes graph into :class:`Check` queries."""

    def __init__(self, shapes: _Shapes, ill_typed: Sequence[ox.Literal] = ()) -> None:
        self.shapes = shapes
        self.names = _Names()
        self.ill_typed = tuple(ill_typed)
        self.owners: dict[Term, str] = {}
        for subject, props in shapes.triples.items():
            if isinstance(subject, ox.NamedNode):
                for child in props.get(SH.property, []):
                    self.owners[child] = subject.value

    # -- value expressions -----------------------------------------------------

    def condition(self, shape: Term, param: str, value: Term, v: str, depth: int) -> str:
        """Return a SPARQL expression true when ``v`` satisfies one value constraint."""
        if param == SH["class"]:
            return f"EXISTS {{ {v} <{RDF.type}>/<{RDFS.subClassOf}>* <{_iri(value, 'sh:class')}> }}"
        if param == SH.datatype:
            datatype = _iri(value, "sh:datatype")
            text = f"(isLiteral({v}) && datatype({v}) = <{datatype}>"
            if datatype == RDF.langString:
                text += f' && lang({v}) != ""'
            wrong = [lit for lit in self.ill_typed if lit.datatype.value == datatype]
            if wrong:
                text += "".join(f" && !sameTerm({v}, {_n3(lit)})" for lit in wrong)
            return text + ")"
        if param == SH.nodeKind:
            kind = _iri(value, "sh:nodeKind")
            if kind not in _NODE_KINDS:
                raise UnsupportedShapeError(f"node kind {kind}")
            return _NODE_KINDS[kind].format(v=v)
        if param in _COMPARISONS:
            if not isinstance(value, ox.Literal):
                raise UnsupportedShapeError("a comparison with a non-literal")
            return f"(!isBlank({v}) && !isIRI({v}) && {v} {_COMPARISONS[param]} {_n3(value)})"
        if param in (SH.minLength, SH.maxLength):
            size = _literal_int(value, "a length")
            op = ">=" if param == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {size})"
        if param == SH.pattern:
            if not isinstance(value, ox.Literal):
                raise UnsupportedShapeError("a pattern that is not a string")
            flags = self.shapes.value(shape, SH.flags)
            extra = f", {_string(flags.value)}" if isinstance(flags, ox.Literal) else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {_string(value.value)}{extra}))"
        if param == SH.languageIn:
            tags = [t.value for t in self.shapes.items(value) if isinstance(t, ox.Literal)]
            tests = " || ".join(f"langMatches(lang({v}), {_string(t)})" for t in tags)
            return f"(isLiteral({v}) && ({tests or 'false'}))"
        if param == SH["in"]:
            items = self.shapes.items(value)
            return "(" + (" || ".join(f"sameTerm({v}, {_n3(i)})" for i in items) or "false") + ")"
        if param == SH.hasValue:
            return f"sameTerm({v}, {_n3(value)})"
        if param == SH.node:
            return self.conforms(value, v, depth + 1)
        if param in (SH["or"], SH["and"], SH.xone):
            parts = [self.conforms(item, v, depth + 1) for item in self.shapes.items(value)]
            if not parts:
                return "true" if param == SH["and"] else "false"
            if param == SH.xone:
                return "((" + " + ".join(f"IF({p}, 1, 0)" for p in parts) + ") = 1)"
            return "(" + (" || " if param == SH["or"] else " && ").join(parts) + ")"
        if param == SH["not"]:
            return f"(!{self.conforms(value, v, depth + 1)})"
        raise UnsupportedShapeError(f"constraint {param}")  # pragma: no cover - callers check

    def conforms(self, shape: Term, v: str, depth: int) -> str:
        """Return a SPARQL expression true when ``v`` conforms to ``shape`` (nested use)."""
        if depth > _DEPTH:
            raise UnsupportedShapeError("shapes nested too deep (or recursive)")
        props = self.shapes.triples.get(shape, {})
        if _deactivated(self.shapes, shape):
            return "true"
        if SH.path in props:
            return self.property_conforms(shape, v, depth)
        parts = []
        for param, values in sorted(props.items()):
            if param in _VALUE_PARAMS or param == SH.hasValue:
                parts += [
                    f"COALESCE({self.condition(shape, param, value, v, depth)}, false)"
                    for value in values
                ]
            elif param == SH.property:
                parts += [self.property_conforms(p, v, depth) for p in values]
            elif param not in _INERT or param in (SH.sparql, SH.path):
                raise UnsupportedShapeError(f"{param} in a shape used by another")
        return "(" + (" && ".join(parts) or "true") + ")"

    def property_conforms(self, shape: Term, v: str, depth: int) -> str:
        """Return an expression true when ``v`` conforms to a property shape (nested use)."""
        if _deactivated(self.shapes, shape):
            return "true"
        path, _ = _path(self.shapes, self.shapes.value(shape, SH.path) or ox.BlankNode())
        parts = []
        for param, values in sorted(self.shapes.triples.get(shape, {}).items()):
            for value in values:
                if param == SH.minCount:
                    if _literal_int(value, "sh:minCount") > 1:
                        raise UnsupportedShapeError(
                            "sh:minCount above 1 in a shape used by another"
                        )
                    if _literal_int(value, "sh:minCount") == 1:
                        parts.append(f"EXISTS {{ {v} {path} {self.names()} }}")
                elif param == SH.maxCount:
                    count = _literal_int(value, "sh:maxCount")
                    if count > 1:
                        raise UnsupportedShapeError(
                            "sh:maxCount above 1 in a shape used by another"
                        )
                    a, b = self.names(), self.names()
                    if count == 0:
                        parts.append(f"NOT EXISTS {{ {v} {path} {a} }}")
                    else:
                        parts.append(
                            f"NOT EXISTS {{ {v} {path} {a} . {v} {path} {b} . "
                            f"FILTER(!sameTerm({a}, {b})) }}"
                        )
                elif param in _VALUE_PARAMS:
                    x = self.names()
                    cond = self.condition(shape, param, value, x, depth)
                    parts.append(
                        f"NOT EXISTS {{ {v} {path} {x} . FILTER(!COALESCE({cond}, false)) }}"
                    )
                elif param not in _INERT or param == SH.sparql:
                    raise UnsupportedShapeError(f"{param} in a property shape used by another")
        return "(" + (" && ".join(parts) or "true") + ")"

    # -- top-level shapes ------------------------------------------------------

    def targets(self, shape: Term) -> tuple[str, list[str]]:
        """Return a pattern binding ``?this`` to the focus nodes, and its prefixes."""
        branches = []
        prefixes: list[str] = []
        for cls in self.shapes.values(shape, SH.targetClass):
            branches.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* <{_iri(cls, 'a class')}> .")
        for node in self.shapes.values(shape, SH.targetNode):
            branches.append(f"VALUES ?this {{ {_n3(node)} }}")
        for prop in self.shapes.values(shape, SH.targetSubjectsOf):
            branches.append(f"?this <{_iri(prop, 'a property')}> {self.names()} .")
        for prop in self.shapes.values(shape, SH.targetObjectsOf):
            branches.append(f"{self.names()} <{_iri(prop, 'a property')}> ?this .")
        for target in self.shapes.values(shape, SH.target):
            select = self.shapes.value(target, SH.select)
            if not isinstance(select, ox.Literal) or set(self.shapes.triples.get(target, {})) - {
                RDF.type,
                SH.select,
                SH.prefixes,
            }:
                raise UnsupportedShapeError("a target other than a SPARQL target")
            prefixes += self.prefixes(target)
            body, own = _hoist(select.value)
            prefixes += own
            branches.append(f"{{ {body} }}")
        body = " UNION ".join(f"{{ {b} }}" for b in branches)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {{restrict}} {body} }} }}", prefixes

    def prefixes(self, node: Term) -> list[str]:
        lines = []
        for owner in self.shapes.values(node, SH.prefixes):
            for declaration in self.shapes.values(owner, SH.declare):
                prefix = self.shapes.value(declaration, SH.prefix)
                namespace = self.shapes.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise UnsupportedShapeError("a prefix declaration without prefix or namespace")
                lines.append(f"PREFIX {prefix.value}: <{namespace.value}>")
        return lines

    def shape_checks(self, shape: Term) -> list[Check]:
        """Compile a shape that has targets."""
        if _deactivated(self.shapes, shape):
            return []
        types = {
            t.value for t in self.shapes.values(shape, RDF.type) if isinstance(t, ox.NamedNode)
        }
        if types & {RDFS.Class, "http://www.w3.org/2002/07/owl#Class"}:
            raise UnsupportedShapeError("an implicit class target")
        focus, prefixes = self.targets(shape)
        node_shape = shape.value if isinstance(shape, ox.NamedNode) else self.owners.get(shape)
        if self.shapes.value(shape, SH.path) is not None:
            return self.property_checks(shape, focus, prefixes, node_shape)
        checks = []
        for param, values in sorted(self.shapes.triples.get(shape, {}).items()):
            for value in values:
                if param in _VALUE_PARAMS or param == SH.hasValue:
                    cond = self.condition(shape, param, value, "?this", 0)
                    query = (
                        f"SELECT ?this (?this AS ?value) WHERE {{ {focus} "
                        f"FILTER(!COALESCE({cond}, false)) }}"
                    )
                    checks.append(self.check(query, param, shape, node_shape, None, prefixes))
                elif param == SH.property:
                    checks += self.property_checks(value, focus, prefixes, node_shape)
                elif param == SH.sparql:
                    checks.append(self.sparql_check(shape, value, focus, prefixes, node_shape))
                elif param not in _INERT:
                    raise UnsupportedShapeError(f"{param} in a node shape")
        return checks

    def property_checks(
        self, shape: Term, focus: str, prefixes: list[str], node_shape: str | None
    ) -> list[Check]:
        """Compile a property shape whose focus nodes ``focus`` binds to ``?this``."""
        if _deactivated(self.shapes, shape):
            return []
        if node_shape is None and isinstance(shape, ox.NamedNode):
            node_shape = shape.value
        if node_shape is None:
            node_shape = self.owners.get(shape)
        path_node = self.shapes.value(shape, SH.path)
        if path_node is None:
            raise UnsupportedShapeError("a property shape without sh:path")
        path, read = _path(self.shapes, path_node)
        checks = []
        for param, values in sorted(self.shapes.triples.get(shape, {}).items()):
            for value in values:
                if param == SH.minCount:
                    count = _literal_int(value, "sh:minCount")
                    if count == 0:
                        continue
                    if count == 1:
                        query = (
                            f"SELECT ?this WHERE {{ {focus} "
                            f"FILTER NOT EXISTS {{ ?this {path} {self.names()} }} }}"
                        )
                    else:
                        x = self.names()
                        query = (
                            f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} {x} }} }} "
                            f"GROUP BY ?this HAVING (COUNT(DISTINCT {x}) < {count})"
                        )
                elif param == SH.maxCount:
                    count = _literal_int(value, "sh:maxCount")
                    x = self.names()
                    query = (
                        f"SELECT ?this WHERE {{ {focus} ?this {path} {x} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT {x}) > {count})"
                    )
                elif param == SH.uniqueLang:
                    if not (isinstance(value, ox.Literal) and value.value == "true"):
                        continue
                    a, b = self.names(), self.names()
                    query = (
                        f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} {a} . "
                        f'?this {path} {b} . FILTER(isLiteral({a}) && lang({a}) != "" && '
                        f"!sameTerm({a}, {b}) && LCASE(lang({a})) = LCASE(lang({b}))) }}"
                    )
                elif param == SH.disjoint:
                    query = (
                        f"SELECT ?this ?value WHERE {{ {focus} ?this {path} ?value . "
                        f"?this <{_iri(value, 'sh:disjoint')}> ?value }}"
                    )
                elif param == SH.hasValue:
                    query = (
                        f"SELECT ?this WHERE {{ {focus} "
                        f"FILTER NOT EXISTS {{ ?this {path} {_n3(value)} }} }}"
                    )
                elif param in _VALUE_PARAMS:
                    cond = self.condition(shape, param, value, "?value", 0)
                    query = (
                        f"SELECT ?this ?value WHERE {{ {focus} ?this {path} ?value . "
                        f"FILTER(!COALESCE({cond}, false)) }}"
                    )
                elif param == SH.sparql:
                    raise UnsupportedShapeError("SPARQL constraints in a property shape")
                elif param in _INERT:
                    continue
                else:
                    raise UnsupportedShapeError(f"{param} in a property shape")
                checks.append(self.check(query, param, shape, node_shape, (path, read), prefixes))
        return checks

    def sparql_check(
        self, shape: Term, constraint: Term, focus: str, prefixes: list[str], node_shape: str | None
    ) -> Check:
        select = self.shapes.value(constraint, SH.select)
        if not isinstance(select, ox.Literal):
            raise UnsupportedShapeError("a SPARQL constraint without sh:select")
        text, hoisted = _hoist(select.value)
        if re.search(r"\$(PATH|shapesGraph|currentShape)\b", text):
            raise UnsupportedShapeError(
                "a SPARQL constraint using $PATH, $shapesGraph or $currentShape"
            )
        own = self.prefixes(constraint) + hoisted
        names = re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", text.split("WHERE", 1)[0])
        projected = sorted({n for n in names if n != "this"})
        if "*" in text.split("WHERE", 1)[0]:
            raise UnsupportedShapeError("SELECT * in a SPARQL constraint")
        extra = " ".join(f"?{n}" for n in projected if n != "value")
        value = "?value" if "value" in projected else "(?this AS ?value)"
        query = f"SELECT ?this {value} {extra} WHERE {{ {focus} {{ {text} }} }}"
        messages = tuple(
            m for m in self.shapes.values(constraint, SH.message) if isinstance(m, ox.Literal)
        )
        return self.check(
            query, SH.sparql, shape, node_shape, None, prefixes + own, messages=messages
        )

    def check(
        self,
        query: str,
        param: str,
        shape: Term,
        node_shape: str | None,
        path: tuple[str, object] | None,
        prefixes: list[str],
        *,
        messages: tuple[ox.Literal, ...] = (),
    ) -> Check:
        severity = self.shapes.value(shape, SH.severity)
        messages = messages or tuple(
            m for m in self.shapes.values(shape, SH.message) if isinstance(m, ox.Literal)
        )
        component = _COMPONENTS[param]
        head = "\n".join(dict.fromkeys(prefixes))
        return Check(
            query=(head + "\n" if head else "") + query,
            component=component,
            shape=shape,
            node_shape=node_shape,
            path=path[1] if path is not None else None,
            severity=severity.value if isinstance(severity, ox.NamedNode) else SH.Violation,
            messages=messages,
            default=_default_message(component, path[0] if path else None),
        )


_PROLOGUE = re.compile(r"^\s*(PREFIX\s+[A-Za-z0-9_.-]*:\s*<[^>]*>)", re.IGNORECASE)


def _hoist(text: str) -> tuple[str, list[str]]:
    """Take the ``PREFIX`` lines out of a query (a subquery cannot have them)."""
    found = []
    while True:
        match = _PROLOGUE.match(text)
        if match is None:
            break
        found.append(match.group(1))
        text = text[match.end() :]
    if re.match(r"\s*BASE\b", text, re.IGNORECASE):
        raise UnsupportedShapeError("BASE in a shape's SPARQL")
    return text, found


def _deactivated(shapes: _Shapes, shape: Term) -> bool:
    flag = shapes.value(shape, SH.deactivated)
    return isinstance(flag, ox.Literal) and flag.value == "true"


def _default_message(component: str, path: str | None) -> str:
    where = f" on {path}" if path else ""
    return f"Value does not satisfy {component[: -len('ConstraintComponent')]}{where}"


def compile_shapes(
    triples: Iterable[ox.Triple], *, ill_typed: Sequence[ox.Literal] = ()
) -> list[Check]:
    """Compile a shapes graph into queries, one per constraint of every shape with targets.

    Parameters
    ----------
    triples
        The shapes graph.
    ill_typed
        Literals of the data whose lexical form is not a value of their datatype: they
        fail ``sh:datatype`` (see :func:`ill_typed`).

    Raises
    ------
    UnsupportedShapeError
        If a shape uses something not translated (see the module docstring).
    """
    shapes = _Shapes.of(triples)
    compiler = _Compiler(shapes, ill_typed)
    targeted = [s for s, props in shapes.triples.items() if any(t in props for t in _TARGETS)]
    checks: list[Check] = []
    for shape in sorted(targeted, key=str):
        checks += compiler.shape_checks(shape)
    return checks


def ill_typed(store: Store | ox.Store, graphs: Sequence[str] | None = None) -> list[ox.Literal]:
    """Return the literals of ``graphs`` whose lexical form their datatype does not take."""
    listed = ", ".join(f"<{d}>" for d in sorted(CHECKED))
    _, rows = _select(
        store,
        f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o . FILTER(isLiteral(?o) && "
        f"datatype(?o) IN ({listed})) }}",
        graphs,
    )
    wrong = []
    for (literal,) in rows:
        if isinstance(literal, ox.Literal) and problem(literal.value, literal.datatype.value):
            wrong.append(literal)
    return wrong


_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def _fill(message: str, row: Mapping[str, Term | None]) -> str:
    def one(match: re.Match[str]) -> str:
        term = row.get(match.group(1))
        return term.value if term is not None else match.group(0)

    return _TEMPLATE.sub(one, message)


def restriction(graphs: Sequence[str], nodes: Sequence[str] = ()) -> str:
    """Return the pattern binding ``?this`` to the nodes of ``graphs`` and to ``nodes``.

    Those are the subjects and objects of the triples of ``graphs``, ``nodes`` (IRIs:
    say, the nodes of a graph before it changed), and the subjects that point at either
    (whose constraints they may now break or mend).
    """
    parts = []
    if graphs:
        listed = " ".join(f"<{g}>" for g in graphs)
        parts.append(
            f"{{ VALUES ?cg_g {{ {listed} }} GRAPH ?cg_g {{ {{ ?this ?cg_p ?cg_o }} "
            f"UNION {{ ?cg_s ?cg_p ?this }} }} }}"
        )
        parts.append(
            f"{{ {{ SELECT DISTINCT ?cg_n WHERE {{ VALUES ?cg_g {{ {listed} }} "
            f"GRAPH ?cg_g {{ ?cg_n ?cg_p ?cg_o }} FILTER(isIRI(?cg_n)) }} }} "
            f"?this ?cg_q ?cg_n }}"
        )
    if nodes:
        listed = " ".join(f"<{n}>" for n in nodes)
        parts.append(f"{{ VALUES ?this {{ {listed} }} }}")
        parts.append(f"{{ VALUES ?cg_n {{ {listed} }} ?this ?cg_q ?cg_n }}")
    if not parts:
        return "FILTER(false)"
    inner = " UNION ".join(parts)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {inner} }} }}"


def _select(
    store: Store | ox.Store, text: str, graphs: Sequence[str] | None = None
) -> tuple[tuple[str, ...], Sequence[Sequence[Term | None]]]:
    """Ask a SELECT query of a store, or of a scratch :class:`pyoxigraph.Store`.

    A scratch store is asked as it is: its default graph, its named graphs reachable
    with ``GRAPH``.
    """
    if isinstance(store, ox.Store):
        from clustergraph.errors import QueryError

        try:
            answer = store.query(text)
            assert isinstance(answer, ox.QuerySolutions)
            variables = tuple(v.value for v in answer.variables)
            return variables, [tuple(solution) for solution in answer]
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {' '.join(str(exc).split())}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"Oxigraph could not evaluate the query: {exc}") from exc
    result = store.query(text, graphs=graphs)
    assert isinstance(result, SelectResult)
    return result.variables, result.rows


FOCUS = "urn:x-clustergraph:validate:focus"
"""The scratch store's graph that marks the focus nodes of a restricted validation."""


def scratch(
    store: Store,
    graphs: Sequence[str],
    *,
    changed: Sequence[str] | None = None,
    nodes: Sequence[str] = (),
) -> ox.Store:
    """Copy what a validation reads into a new in-memory store, each triple once.

    Oxigraph's union of named graphs repeats a triple once per graph that states it, and
    an entity many articles name (a hub) is stated by hundreds: a self-join on it (one
    value at most, one label per language) would grow with the square of that. The copy
    holds the union of ``graphs`` as a set, in its default graph.

    With ``changed``, only what the focus nodes of :func:`restriction` need is copied:
    the graphs of ``graphs`` that are not sources (the ontology, the vocabularies)
    whole, and from every graph the triples about the focus nodes, about the nodes
    they point at and those these point at (two steps: a membership, its period, the
    period's instants), and the triples pointing at a focus node. The focus nodes are
    marked in the graph :data:`FOCUS`.
    """
    from clustergraph.store.base import BulkStore

    mem = ox.Store()
    if changed is None:
        _copy(store, mem, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", graphs)
        return mem
    if isinstance(store, BulkStore):
        walk_neighbourhood(store.native, mem, graphs, changed, nodes)
        return mem
    query_neighbourhood(store, mem, graphs, changed, nodes)
    return mem


def query_neighbourhood(
    store: Store, mem: ox.Store, graphs: Sequence[str], changed: Sequence[str], nodes: Sequence[str]
) -> None:
    """Copy what :func:`scratch` copies for ``changed`` into ``mem``, by SPARQL queries.

    Any store (a remote one too); an embedded store is walked instead
    (:func:`walk_neighbourhood`), with the same result.
    """
    from clustergraph.project.layout import SOURCE_GRAPHS

    focus = restriction(changed, nodes)
    background = [g for g in graphs if not g.startswith(SOURCE_GRAPHS) and g not in changed]
    if background:
        listed = " ".join(f"<{g}>" for g in background)
        _copy(
            store,
            mem,
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {listed} }} "
            "GRAPH ?g { ?s ?p ?o } }",
            graphs,
        )
    # Each step once per node (DISTINCT), never once per copy of a hub's statements.
    hop1 = (
        f"SELECT DISTINCT ?cg_m WHERE {{ {focus} ?this ?cg_q1 ?cg_m . FILTER(!isLiteral(?cg_m)) }}"
    )
    hop2 = (
        f"SELECT DISTINCT ?cg_k WHERE {{ {{ {hop1} }} ?cg_m ?cg_q2 ?cg_k . "
        "FILTER(!isLiteral(?cg_k)) }"
    )
    nodes_text = (
        f"SELECT DISTINCT ?s WHERE {{ {{ {focus} BIND(?this AS ?s) }} "
        f"UNION {{ {{ {hop1} }} BIND(?cg_m AS ?s) }} UNION {{ {{ {hop2} }} BIND(?cg_k AS ?s) }} }}"
    )
    _copy(
        store,
        mem,
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ {nodes_text} }} ?s ?p ?o }}",
        graphs,
    )
    _copy(
        store,
        mem,
        f"CONSTRUCT {{ ?s ?p ?this }} WHERE {{ {focus} ?s ?p ?this }}",
        graphs,
    )
    _copy(
        store,
        mem,
        f"CONSTRUCT {{ ?this <{FOCUS}> true }} WHERE {{ {focus} }}",
        graphs,
        into=FOCUS,
    )


_Resource = ox.NamedNode | ox.BlankNode | ox.Triple
_Node = ox.NamedNode | ox.BlankNode | ox.Triple | ox.Literal


def walk_neighbourhood(
    native: ox.Store,
    mem: ox.Store,
    graphs: Sequence[str],
    changed: Sequence[str],
    nodes: Sequence[str],
) -> None:
    """Copy what :func:`scratch` copies, walking an embedded store's indexes.

    The same nodes and triples as the queries of :func:`scratch` and :func:`restriction`,
    read pattern by pattern: a SPARQL dataset of hundreds of named graphs is slow to
    query, an index lookup filtered by graph is not.
    """
    from clustergraph.project.layout import SOURCE_GRAPHS

    wanted = {ox.NamedNode(g) for g in graphs}
    default = ox.DefaultGraph()

    def stated(subject: _Resource | None, obj: _Node | None) -> Iterator[ox.Quad]:
        for quad in native.quads_for_pattern(subject, None, obj, None):
            if quad.graph_name in wanted:
                yield quad

    def resources(found: Iterable[_Node]) -> set[_Resource]:
        return {n for n in found if isinstance(n, (ox.NamedNode, ox.BlankNode))}

    touched: set[_Node] = set()
    subjects: set[_Node] = set()
    for graph in (ox.NamedNode(g) for g in changed):
        if graph not in wanted:
            continue
        for quad in native.quads_for_pattern(None, None, None, graph):
            touched.update((quad.subject, quad.object))
            if isinstance(quad.subject, ox.NamedNode):
                subjects.add(quad.subject)
    given: set[_Node] = {ox.NamedNode(n) for n in nodes}
    pointing = {q.subject for n in subjects | given for q in stated(None, n)}
    everything = touched | given | pointing  # the ?this of restriction()
    focus = resources(everything)
    hop1 = resources(q.object for n in focus for q in stated(n, None))
    hop2 = resources(q.object for n in hop1 for q in stated(n, None))
    background = [
        ox.NamedNode(g) for g in graphs if not g.startswith(SOURCE_GRAPHS) and g not in changed
    ]

    def triples() -> Iterator[ox.Quad]:
        for graph in background:
            for q in native.quads_for_pattern(None, None, None, graph):
                yield ox.Quad(q.subject, q.predicate, q.object, default)
        for node in focus | hop1 | hop2:
            for q in stated(node, None):
                yield ox.Quad(q.subject, q.predicate, q.object, default)
        for target in everything:  # what points at a focus node (or at a literal of it)
            for q in stated(None, target):
                yield ox.Quad(q.subject, q.predicate, q.object, default)

    mem.bulk_extend(triples())
    mark, true = ox.NamedNode(FOCUS), ox.Literal(True)
    mem.bulk_extend(ox.Quad(n, mark, true, mark) for n in focus)


def _copy(
    store: Store, mem: ox.Store, text: str, graphs: Sequence[str], *, into: str | None = None
) -> None:
    """Add the triples a CONSTRUCT query of ``store`` gives to ``mem`` (blank nodes kept)."""
    from clustergraph.store import interruptible
    from clustergraph.store.base import BulkStore, GraphResult

    graph: ox.NamedNode | ox.DefaultGraph = (
        ox.NamedNode(into) if into is not None else ox.DefaultGraph()
    )
    if isinstance(store, BulkStore):
        names = [ox.NamedNode(g) for g in graphs]

        def construct() -> bytes:
            answer = store.native.query(text, default_graph=names, named_graphs=names)  # type: ignore[arg-type]
            assert isinstance(answer, ox.QueryTriples)
            return answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b""

        data = interruptible.call(construct)  # Ctrl-C can stop a long one
        quads = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        if into is None:
            mem.bulk_extend(quads)
        else:
            mem.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
        return
    result = store.query(text, graphs=graphs)
    assert isinstance(result, GraphResult)
    mem.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in result.triples)


def run(
    store: Store | ox.Store,
    checks: Sequence[Check],
    *,
    graphs: Sequence[str] | None = None,
    restrict: str = "",
) -> Iterator[Finding]:
    """Ask the store every check; yield what each finds.

    Parameters
    ----------
    store
        The store, or a scratch copy (:func:`scratch`).
    checks
        From :func:`compile_shapes`.
    graphs
        The graphs whose union is the data graph (``None``: every named graph); not
        used with a scratch copy, whose default graph is the data graph.
    restrict
        A pattern binding ``?this`` (see :func:`restriction`): only those focus nodes
        are validated. Empty: every focus node.
    """
    for check in checks:
        query = check.query.replace("{restrict}", restrict)
        names, rows = _select(store, query, graphs)
        for values in rows:
            row = dict(zip(names, values, strict=True))
            focus = row.get("this")
            if focus is None:
                continue
            messages = [_fill(m.value, row) for m in _ordered(check.messages)]
            yield Finding(
                check=check,
                focus=focus,
                value=row.get("value"),
                message=" / ".join(messages) if messages else check.default,
            )


def _ordered(messages: Sequence[ox.Literal]) -> list[ox.Literal]:
    return sorted(messages, key=lambda m: (m.language not in ("en", None), m.value))
