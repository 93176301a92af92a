"""Findings that give the fix: the line of the triple, the wrong value, what is expected.

Validation and the checks say what rule a fact breaks; a curator needs where it is
written and what to write instead. For each finding this module adds:

- **the line** of the triple in its file: the store keeps no positions, so the file is
  read again (:class:`clustergraph.rdf.lines.TripleLines`), only when there are findings;
- **the value** that is wrong;
- **what is expected**: the class a value must have (and what the value is instead),
  the concepts allowed (the roles, the measures, ...), the datatype;
- **the closest known names** for an IRI or a property nothing defines
  (:func:`clustergraph.queries.suggest.closest_iris`): ``o:litec`` gets "did you mean
  o:litek?", ``cg:awardedto`` "did you mean cg:awardedTo?".

It also finds the properties of a known vocabulary (schema.org, ORG, FOAF, ...) that a
source uses and that neither the shapes nor the ontology name (``schema:recipient`` where
the project writes ``cg:awardedTo``): ``checks/unexpected-properties``, a warning.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from clustergraph.errors import LayoutError
from clustergraph.project.layout import (
    GRAPH_NS,
    ID_NS,
    ONTOLOGY_GRAPH,
    SOURCE_GRAPHS,
    VOCAB_GRAPHS,
    Project,
)
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.queries.suggest import closest_iris, namespace_of
from clustergraph.rdf.lines import LINE_FORMATS, TripleLines, no_lines
from clustergraph.rdf.terms import Term
from clustergraph.store.base import SelectResult, Store

if TYPE_CHECKING:
    from clustergraph.queries.library import QueryFile

# A validation result (pipeline.validate.Violation) and a check's run (pipeline.checks.
# CheckRun): both modules call this one, which must not import them back.
Violation = Any
CheckRun = Any

__all__ = ["Explainer", "Unexpected", "unexpected", "unexpected_properties"]

_SH = "http://www.w3.org/ns/shacl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_IRI = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")
_CG = "https://w3id.org/clustergraph/ontology#"  # its own terms: cgsh:DefinedTerms
_VOCAB_COMMANDS = {
    _CG + "Measure": "measures",
    _CG + "MemberRole": "member-roles",
    _CG + "PostRole": "post-roles",
    _CG + "Sector": "sectors",
    _CG + "LegalForm": "legal-forms",
}
_GENERIC = {
    "ClassConstraintComponent": "a value of another class",
    "DatatypeConstraintComponent": "a value of another datatype",
    "NodeKindConstraintComponent": "a value of another kind",
    "InConstraintComponent": "a value not among those allowed",
}
_LISTED = 15  # at most this many allowed values are listed in full
_OTHERS = (  # annotation vocabularies: any of their properties may describe anything
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/prov#",
    _RDFS,
    "http://www.w3.org/2002/07/owl#",
    _RDF,
)


def _short(term: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    return compact(term, prefixes)


class Explainer:
    """Add lines, values, expectations and suggestions to findings, for one store."""

    def __init__(self, project: Project, store: Store, shapes: Sequence[ox.Triple] = ()) -> None:
        self.project = project
        self.store = store
        self._graph_of_file: dict[str, str] | None = None
        self._lines: dict[str, TripleLines] = {}
        self._params: dict[str, list[tuple[str, Any]]] = {}
        self._lists: dict[str, tuple[Any, Any]] = {}
        self._owned: dict[str, list[str]] = {}
        self._path: dict[str, str] = {}
        for t in shapes:
            key = _key(t.subject)
            if t.predicate.value == _SH + "property":
                self._owned.setdefault(key, []).append(_key(t.object))
            elif t.predicate.value == _SH + "path" and isinstance(t.object, ox.NamedNode):
                self._path[key] = t.object.value
            self._params.setdefault(key, []).append((t.predicate.value, t.object))
            if t.predicate.value == _RDF + "first":
                first, rest = self._lists.get(key, (None, None))
                self._lists[key] = (t.object, rest)
            elif t.predicate.value == _RDF + "rest":
                first, rest = self._lists.get(key, (None, None))
                self._lists[key] = (first, t.object)

    # -- files and lines -------------------------------------------------------------------

    def lines(self, file: str) -> TripleLines:
        """Return the lines of the triples of ``file`` (relative to the project root)."""
        if file not in self._lines:
            path = self.project.root / file
            base = self._graphs().get(file, "")
            try:
                data = path.read_bytes()
            except OSError:
                data = b""
            syntax = LINE_FORMATS.get(path.suffix.lower())
            self._lines[file] = (
                TripleLines.read(data, base, syntax) if syntax is not None else TripleLines()
            )
        return self._lines[file]

    def _graphs(self) -> dict[str, str]:
        if self._graph_of_file is None:
            from clustergraph.pipeline.load import manifest

            self._graph_of_file = {e.file: g for g, e in manifest(self.store).items()}
        return self._graph_of_file

    def where(self, term: str) -> list[tuple[str, int | None]]:
        """Return the files (and first lines) that state something of or about ``term``."""
        result = self.store.query(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ <{term}> ?p ?o }} UNION "
            f"{{ ?s ?p <{term}> }} }} }}"
        )
        assert isinstance(result, SelectResult)
        files = {v: k for k, v in self._graphs().items()}
        found = []
        for row in result.rows:
            graph = row[0].value if row[0] is not None else ""
            if graph in files:
                lines = self.lines(files[graph])
                line = lines.object_line(term) or lines.subject_line(term)
                found.append((files[graph], line))
        return sorted(found, key=lambda f: f[0])

    # -- what the store knows ----------------------------------------------------------------

    def types(self, iri: str) -> list[str]:
        """Return the classes a stated graph gives ``iri``."""
        result = self.store.query(
            f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ <{iri}> a ?c }} "
            f"FILTER(STRSTARTS(STR(?g), {_quote(SOURCE_GRAPHS)}) "
            f"|| STRSTARTS(STR(?g), {_quote(VOCAB_GRAPHS)})) }}"
        )
        assert isinstance(result, SelectResult)
        return sorted(row[0].value for row in result.rows if row[0] is not None)

    def classes(self, iri: str) -> list[str]:
        """Return the classes a stated graph gives ``iri`` and their superclasses."""
        stated = self.types(iri)
        if not stated:
            return []
        values = " ".join(f"<{c}>" for c in stated)
        result = self.store.query(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?c {{ {values} }} ?c <{_RDFS}subClassOf>* ?s }}"
        )
        assert isinstance(result, SelectResult)
        return sorted({row[0].value for row in result.rows if row[0] is not None} | set(stated))

    def instances(self, cls: str) -> list[str]:
        """Return the IRIs typed ``cls`` or one of its subclasses."""
        result = self.store.query(
            f"SELECT DISTINCT ?x WHERE {{ ?x a/<{_RDFS}subClassOf>* <{cls}> FILTER(isIRI(?x)) }}"
        )
        assert isinstance(result, SelectResult)
        return sorted(row[0].value for row in result.rows if row[0] is not None)

    def typed_in(self, space: str) -> list[str]:
        """Return the IRIs of a namespace that some graph types or the ontology defines."""
        result = self.store.query(
            "SELECT DISTINCT ?x WHERE { { ?x a ?c } UNION { GRAPH <"
            + ONTOLOGY_GRAPH
            + f"> {{ ?x ?p ?o }} }} FILTER(isIRI(?x) && STRSTARTS(STR(?x), {_quote(space)})) }}"
        )
        assert isinstance(result, SelectResult)
        return [row[0].value for row in result.rows if row[0] is not None]

    def defined(self, iri: str) -> bool:
        """Whether something types ``iri`` or the ontology describes it."""
        result = self.store.query(
            f"ASK {{ {{ <{iri}> a ?c }} UNION {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <{iri}> ?p ?o }} }} }}"
        )
        return bool(getattr(result, "value", False))

    def suggest(self, iri: str) -> list[str]:
        """Return the closest defined IRIs of ``iri``'s namespace (for "did you mean")."""
        return closest_iris(iri, self.typed_in(namespace_of(iri)))

    # -- validation results ------------------------------------------------------------------

    def violation(self, v: Violation) -> Violation:
        """Return ``v`` with its line, its value and what is expected."""
        v = dataclasses.replace(v, files=self._triple_first(v))
        line = self._line(v)
        hint = self._hint(v)
        message = v.message
        if message.startswith("Value does not"):  # each engine's own words for no message
            component = v.component.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            message = _GENERIC.get(component, "the value breaks a constraint")
        return dataclasses.replace(v, line=line, hint=hint, message=message)

    def _value(self, v: Violation) -> Term | None:
        """Return the value a result is about: its value, else the IRI its message names."""
        if v.value is not None and v.value != v.focus:
            value: Term = v.value
            return value
        named = [m for m in _IRI.findall(v.message) if m != getattr(v.focus, "value", None)]
        return ox.NamedNode(named[0]) if named else None

    def _triple_first(self, v: Violation) -> tuple[str, ...]:
        """Return the result's files, the one that writes its very triple first.

        The files name the focus node; several sources may describe it, and the wrong
        triple is written in one of them.
        """
        files: tuple[str, ...] = v.files
        term = self._value(v)
        if len(files) < 2 or not isinstance(v.focus, ox.NamedNode) or not isinstance(v.path, str):
            return files
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            return files
        for file in files:
            lines = self.lines(file)
            if lines.line(v.focus.value, v.path, term.value) is not None:
                return (file, *(f for f in files if f != file))
        return files

    def _line(self, v: Violation) -> int | None:
        if not v.files or not isinstance(v.focus, ox.NamedNode):
            return None
        lines = self.lines(v.files[0])
        focus = v.focus.value
        term = self._value(v)
        value = term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else None
        if isinstance(v.path, str):
            if value is not None:
                found = lines.line(focus, v.path, value)
                if found is None:
                    found = lines.line(value, v.path, focus)  # an inverse path
                if found is not None:
                    return found
            found = lines.line(focus, v.path)
            if found is not None:
                return found
        if value is not None and isinstance(term, ox.NamedNode):
            found = lines.line(focus, value) or lines.line(focus, _RDF + "type", value)
            if found is not None:
                return found
        return lines.subject_line(focus)

    def _param(self, v: Violation, name: str) -> list[Term]:
        """Return a parameter of the result's shape (found by node shape and path too).

        pySHACL's results name a property shape by a blank node of its own copy of the
        shapes; the compiled engine by the file's: the node shape and path find it in both.
        """
        found = [o for p, o in self._params.get(_key(v.shape), ()) if p == _SH + name]
        if found or v.node_shape is None or not isinstance(v.path, str):
            return found
        for shape in self._owned.get(v.node_shape, ()):
            if self._path.get(shape) == v.path:
                found += [o for p, o in self._params.get(shape, ()) if p == _SH + name]
        return found

    def _list(self, head: Term) -> list[Term]:
        items = []
        node: Term | None = head
        nil = ox.NamedNode(_RDF + "nil")
        while node is not None and node != nil:
            first, rest = self._lists.get(_key(node), (None, None))
            if first is None:
                break
            items.append(first)
            node = rest
        return items

    def _hint(self, v: Violation) -> str:
        parts: list[str] = []
        value = self._value(v)
        component = v.component.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if component == "ClassConstraintComponent":
            for cls in self._param(v, "class"):
                parts += self._expected_class(cls.value, value)
        elif component == "InConstraintComponent":
            allowed = [t for head in self._param(v, "in") for t in self._list(head)]
            parts += self._expected_among([_show(t) for t in allowed], value)
        elif component == "DatatypeConstraintComponent":
            for dt in self._param(v, "datatype"):
                parts.append(f"expected a literal of {_short(dt.value)}")
        elif component == "NodeKindConstraintComponent":
            for kind in self._param(v, "nodeKind"):
                parts.append(f"expected {_short(kind.value)}")
        elif component == "HasValueConstraintComponent":
            for wanted in self._param(v, "hasValue"):
                parts.append(f"expected {_show(wanted)}")
        elif component == "MinCountConstraintComponent" and isinstance(v.path, str):
            parts += self._missing(v)
        if isinstance(value, ox.NamedNode) and component != "ClassConstraintComponent":
            if not self.defined(value.value):
                near = self.suggest(value.value)
                if near:
                    parts.append(f"did you mean {', '.join(_short(n) for n in near)}?")
        return "; ".join(parts)

    def _expected_class(self, cls: str, value: Term | None) -> list[str]:
        parts = [f"expected a {_short(cls)}"]
        if not isinstance(value, ox.NamedNode):
            return parts
        types = self.types(value.value)
        members = self.instances(cls)
        if types:
            parts[0] += f"; {_short(value.value)} is a {', '.join(_short(t) for t in types)}"
        else:
            parts[0] += f"; nothing defines {_short(value.value)}"
        if cls.startswith(PREFIXES["cg"]) and 0 < len(members) <= _LISTED:
            parts.append("one of " + ", ".join(_short(m) for m in members))
        elif cls in _VOCAB_COMMANDS:
            parts.append(f"clustergraph vocab {_VOCAB_COMMANDS[cls]} lists them")
        near = closest_iris(value.value, members)
        if near:
            parts.append(f"did you mean {', '.join(_short(n) for n in near)}?")
        return parts

    def _expected_among(self, allowed: list[str], value: Term | None) -> list[str]:
        parts = [("one of " + ", ".join(allowed)) if len(allowed) <= _LISTED else ""]
        if isinstance(value, ox.NamedNode):
            import difflib

            near = difflib.get_close_matches(_short(value.value), allowed, n=3, cutoff=0.6)
            if near:
                parts.append(f"did you mean {', '.join(near)}?")
        return [p for p in parts if p]

    def _missing(self, v: Violation) -> list[str]:
        assert isinstance(v.path, str)
        if not v.files or not isinstance(v.focus, ox.NamedNode):
            return []
        written = self.lines(v.files[0]).predicates_of(v.focus.value)
        near = closest_iris(v.path, [w for w in written if not self.defined(w)])
        if near:
            return [
                f"the file writes {', '.join(_short(n) for n in near)}: "
                f"did you mean {_short(v.path)}?"
            ]
        return [f"add {_short(v.path)}"]

    # -- check results ---------------------------------------------------------------------

    def check(self, run: CheckRun) -> CheckRun:
        """Return ``run`` with a line per IRI of its rows: where it is, and what was meant."""
        if not run.result.rows or "where" in run.result.variables:
            return run
        notes: list[str] = []
        seen: set[str] = set()
        for row in run.result.rows:
            for term in row:
                if not isinstance(term, ox.NamedNode) or term.value in seen:
                    continue
                if not term.value.startswith(ID_NS):
                    continue
                seen.add(term.value)
                notes.append(self._note(term.value))
                break  # the row's first entity says where the row is
        return dataclasses.replace(run, notes=tuple(n for n in notes if n))

    def _note(self, iri: str) -> str:
        places = self.where(iri)
        where = ", ".join(
            f"{f}:{n}" if n else f"{f} ({no_lines(f)})" if no_lines(f) else f for f, n in places[:3]
        )
        where = where or "(no file)"
        text = f"{where}: {_short(iri)}"
        if not self.defined(iri):
            near = self.suggest(iri)
            text += " is defined nowhere"
            if near:
                text += f"; did you mean {', '.join(_short(n) for n in near)}?"
        return text


@dataclasses.dataclass(frozen=True)
class Unexpected:
    """A property of a known vocabulary a source uses and nothing expects.

    Attributes
    ----------
    entity
        The subject it is written on.
    prop
        The property.
    graph
        The source graph stating it.
    file
        Its file (relative to the project root; empty if the store's manifest names none).
    line
        The line of the first such triple in that file, if known.
    expected
        The closest expected properties of its namespace, else those the shapes of the
        entity's classes know.
    """

    entity: Term
    prop: str
    graph: str
    file: str
    line: int | None
    expected: tuple[str, ...]

    @property
    def where(self) -> str:
        """``file:line`` (the file alone when the line is not known, saying why if it can)."""
        if self.line:
            return f"{self.file}:{self.line}"
        why = no_lines(self.file)
        return f"{self.file} ({why})" if why else self.file

    def expected_text(self) -> str:
        """Return the expected properties as prefixed names."""
        return ", ".join(_short(n) for n in self.expected)


def unexpected(project: Project, store: Store, shapes: Sequence[ox.Triple]) -> list[Unexpected]:
    """Find properties of known vocabularies that sources use and nothing expects.

    Known: the namespaces of the project's prefixes. Expected: every IRI the shapes or
    the ontology name, and every property of the annotation vocabularies (SKOS, Dublin
    Core terms, PROV, RDFS, OWL). Sorted by where they are written.
    """
    from clustergraph.pipeline.load import manifest

    expected = {
        t.value
        for triple in shapes
        for t in (triple.subject, triple.predicate, triple.object)
        if isinstance(t, ox.NamedNode)
    }
    result = store.query(
        f"SELECT DISTINCT ?x WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ {{ ?x ?p ?o }} UNION "
        "{ ?s ?p ?x } UNION { ?s ?x ?o } } FILTER(isIRI(?x)) }"
    )
    assert isinstance(result, SelectResult)
    expected |= {row[0].value for row in result.rows if row[0] is not None}
    known = {ns for name, ns in PREFIXES.items() if not ns.startswith(ID_NS)}
    paths = _paths_by_class(shapes)
    used = store.query(
        "SELECT DISTINCT ?g ?s ?p WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER(STRSTARTS(STR(?g), {_quote(SOURCE_GRAPHS)})) }}"
    )
    assert isinstance(used, SelectResult)
    files = {g: e.file for g, e in manifest(store).items()}
    explainer = Explainer(project, store)
    found = []
    seen = set()
    for graph, subject, prop in used.rows:
        if graph is None or subject is None or prop is None:
            continue
        p = prop.value
        space = namespace_of(p)
        if p in expected or p.startswith(_OTHERS) or space not in known or space == _CG:
            continue
        if (subject, p) in seen:
            continue
        seen.add((subject, p))
        file = files.get(graph.value, "")
        line = None
        if file and isinstance(subject, ox.NamedNode):
            line = explainer.lines(file).line(subject.value, p)
        near = closest_iris(p, [e for e in expected if namespace_of(e) == namespace_of(p)])
        wanted = near or sorted(
            {q for c in explainer.classes(subject.value) for q in paths.get(c, ())}
            if isinstance(subject, ox.NamedNode)
            else set()
        )
        found.append(Unexpected(subject, p, graph.value, file, line, tuple(wanted)))
    found.sort(key=lambda u: (u.where, u.entity.value, u.prop))
    return found


def unexpected_properties(
    project: Project, store: Store, shapes: Sequence[ox.Triple]
) -> SelectResult:
    """Return :func:`unexpected` as rows: the entity, the property, where, what is expected."""
    rows = tuple(
        (u.entity, ox.NamedNode(u.prop), ox.Literal(u.where), ox.Literal(u.expected_text()))
        for u in unexpected(project, store, shapes)
    )
    return SelectResult(("entity", "property", "where", "expected"), rows)


def _paths_by_class(shapes: Sequence[ox.Triple]) -> dict[str, set[str]]:
    """Map each class a node shape targets to the plain property paths of its shapes."""
    targets: dict[str, set[str]] = {}
    props: dict[str, set[str]] = {}
    paths: dict[str, str] = {}
    for t in shapes:
        key = _key(t.subject)
        if t.predicate.value == _SH + "targetClass" and isinstance(t.object, ox.NamedNode):
            targets.setdefault(t.object.value, set()).add(key)
        elif t.predicate.value == _SH + "property":
            props.setdefault(key, set()).add(_key(t.object))
        elif t.predicate.value == _SH + "path" and isinstance(t.object, ox.NamedNode):
            paths[key] = t.object.value
    return {
        cls: {paths[p] for shape in shapes_ for p in props.get(shape, ()) if p in paths}
        for cls, shapes_ in targets.items()
    }


UNEXPECTED = (
    "checks/unexpected-properties",
    "Properties of a known vocabulary (schema.org, ORG, FOAF, ...) that a source uses and "
    "neither the shapes nor the ontology expect: write the project's property instead.",
    "?entity ?property ?where ?expected",
)


def unexpected_run(project: Project, store: Store) -> tuple[QueryFile, SelectResult, float]:
    """Run ``checks/unexpected-properties`` (a warning) on ``store``."""
    from clustergraph.pipeline.curation_checks import _query
    from clustergraph.rdf.parse import parse_file

    started = time.perf_counter()
    try:
        shapes = parse_file(project.shapes_file, graph=GRAPH_NS + "shapes")
    except (LayoutError, OSError):
        shapes = []
    except Exception:  # the shapes are refused where validation reads them
        shapes = []
    result = unexpected_properties(project, store, shapes)
    name, summary, variables = UNEXPECTED
    query = _query(name, summary, variables)
    text = query.text.replace("#+   - curation\n", "#+   - curation\n#+   - warning\n")
    from clustergraph.queries.library import parse_query_file

    warning = parse_query_file(text, name=name, path=query.path)
    return warning, result, time.perf_counter() - started


def _key(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(getattr(term, "value", term))


def _show(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return _short(term.value)
    return str(term)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
