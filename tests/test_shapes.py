"""The SHACL shapes (``ontology/shapes.ttl``) against small examples in ``tests/shapes/``.

Each ``tests/shapes/<Shape>--<what-is-wrong>.ttl`` must fail. Its leading comment lines
state every violation expected, one per line::

    # expect: focus=<IRI or prefixed name> component=sh:<Component> [path=...] [shape=...]

``path=`` is given when the result has a path (property shapes) and must be left out
otherwise. ``shape=`` is given when the source shape is a named shape, that is for
node-level constraints such as SPARQL constraints; property shapes are blank nodes and
are not named. Prefixed names use the example's own prefixes, the project's default
prefixes, and ``cgsh:`` for the shapes. The validation results must be exactly the
expected ones: an example breaks one thing and is otherwise valid.

``<Shape>`` names the node shape the example is about: one with a target, or one that
other shapes use through ``sh:node`` (``PartialDate``, ``FullDate``).
Each ``tests/shapes/valid--*.ttl`` must conform.

Every example is validated together with the ontology and the vocabularies of
``data/vocab/`` (not the sources), with :func:`clustergraph.pipeline.validate.validate`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from clustergraph.errors import InputError
from clustergraph.pipeline.validate import PathOp, ValidationReport, Violation, validate
from clustergraph.project.layout import BASE, GRAPH_NS, Project, is_stated_graph
from clustergraph.project.prefixes import DEFAULT_PREFIXES, compact
from clustergraph.rdf.parse import parse_file
from clustergraph.rdf.terms import Term, to_rdflib_graph
from clustergraph.store import OxigraphStore, Store
from tests.conftest import REPO

EXAMPLES = Path(__file__).resolve().parent / "shapes"
CGSH = "https://w3id.org/clustergraph/shapes#"
# Examples go into graphs outside the layout's graph namespace, so no file is blamed.
EXAMPLE_GRAPH = BASE + "test/shapes/"

FAILING = sorted(p for p in EXAMPLES.glob("*--*.ttl") if not p.name.startswith("valid--"))
VALID = sorted(EXAMPLES.glob("valid--*.ttl"))


# Examples that also run in the fast subset, one per kind of constraint; the others are
# ``slow``: pySHACL takes about a second per example (its SPARQL target runs on rdflib).
FAST = {
    "Company--no-legal-name",  # minCount
    "DefinedTerms--unknown-class",  # SPARQL target and constraint
    "Figure--value-as-string",  # datatype
    "LabelledEntity--two-preflabels-in-one-language",  # uniqueLang
    "Membership--member-of-itself",  # SPARQL constraint
    "PartialDate--impossible-day",  # sh:node, an ill-typed literal
    "Post--holder-is-an-organization",  # class
}


def _params(paths: list[Path]) -> list[object]:
    return [
        pytest.param(
            path,
            marks=[] if path.stem in FAST or path == VALID[0] else [pytest.mark.slow],
            id=path.stem,
        )
        for path in paths
    ]


# Constraint parameters of shapes.ttl -> the component a violation of them reports.
COMPONENTS = {
    SH.minCount: "MinCountConstraintComponent",
    SH.maxCount: "MaxCountConstraintComponent",
    SH["class"]: "ClassConstraintComponent",
    SH.datatype: "DatatypeConstraintComponent",
    SH.disjoint: "DisjointConstraintComponent",
    SH.pattern: "PatternConstraintComponent",
    SH["or"]: "OrConstraintComponent",
    SH.node: "NodeConstraintComponent",
    SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent",
    SH.sparql: "SPARQLConstraintComponent",
}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

# (focus, component, path, shape): path is None for node-level results, shape is None
# unless the source shape is a named shape.
Key = tuple[Term, str, "str | PathOp | None", "str | None"]


# ---------------------------------------------------------------------------
# Shapes, ontology and vocabularies: loaded once, every example beside them
# ---------------------------------------------------------------------------


@cache
def project() -> Project:
    return Project(REPO)


@cache
def shapes() -> Graph:
    """Return the shapes, for reading what they hold (rdflib, a test oracle)."""
    path = project().shapes_file
    return to_rdflib_graph(parse_file(path, graph=GRAPH_NS + "shapes"))


def background() -> list[Path]:
    return [project().ontology_file, *sorted(project().vocab_dir.glob("*.ttl"))]


@cache
def parsed(path: Path) -> tuple[list[ox.Triple], dict[str, str]]:
    """Return the triples of an example and its prefixes.

    Parsed without the loader's lexical checks: some examples hold ill-typed literals on
    purpose, to show that the shapes catch them too (the loader refuses them first, see
    :func:`test_ill_typed_examples_are_refused_by_the_loader`).
    """
    parser = ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=EXAMPLE_GRAPH + path.stem)
    triples = [q.triple for q in parser]
    return triples, dict(parser.prefixes)


@cache
def examples() -> OxigraphStore:
    """One store: the ontology and vocabularies, and every example in a graph of its own."""
    store = OxigraphStore()
    data = {}
    for path in background():
        triples = parse_file(path, graph=project().graph_of(path))
        data[project().graph_of(path)] = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    for path in (*FAILING, *VALID):
        triples, _ = parsed(path)
        data[EXAMPLE_GRAPH + path.stem] = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    store.replace_graphs({g: d or b"" for g, d in data.items()})
    return store


@cache
def report(path: Path) -> ValidationReport:
    """Validate one example together with the ontology and the vocabularies."""
    graphs = [project().graph_of(p) for p in background()] + [EXAMPLE_GRAPH + path.stem]
    return validate(project(), examples(), graphs=graphs)


def results(path: Path) -> list[Violation]:
    """Return the validation results of an example."""
    return list(report(path).results)


# ---------------------------------------------------------------------------
# Expectations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    keys: frozenset[Key]
    lines: tuple[str, ...]


_EXPECT = re.compile(r"#\s*expect:\s*(?P<fields>.*)")
_FIELDS = {"focus", "component", "path", "shape"}


def expectations(path: Path) -> Expectation:
    """Read the ``# expect:`` lines of the comment block that opens ``path``."""
    prefixes = {**DEFAULT_PREFIXES, **parsed(path)[1], "cgsh": CGSH}

    def iri(text: str) -> str:
        if text.startswith("<") and text.endswith(">"):
            return text[1:-1]
        if "://" in text:
            return text
        prefix, colon, local = text.partition(":")
        assert colon and prefix in prefixes, f"{path.name}: unknown prefix in {text!r}"
        return prefixes[prefix] + local

    keys: set[Key] = set()
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = _EXPECT.fullmatch(line.strip())
        if match is None:
            continue
        fields = dict(field.split("=", 1) for field in match["fields"].split())
        assert set(fields) <= _FIELDS, f"{path.name}: unknown fields in {line!r}"
        assert {"focus", "component"} <= set(fields), f"{path.name}: {line!r}"
        component = fields["component"]
        assert component.startswith("sh:"), f"{path.name}: component must be sh:Name"
        keys.add(
            (
                ox.NamedNode(iri(fields["focus"])),
                component[3:],
                iri(fields["path"]) if "path" in fields else None,
                iri(fields["shape"]) if "shape" in fields else None,
            )
        )
        lines.append(line)
    return Expectation(frozenset(keys), tuple(lines))


def key(v: Violation) -> Key:
    return (
        v.focus,
        v.component,
        v.path,
        v.shape.value if isinstance(v.shape, ox.NamedNode) else None,
    )


def show(keys: set[Key], prefixes: dict[str, str]) -> str:
    def one(k: Key) -> str:
        focus, component, path, shape = k
        text = f"focus={compact(focus, prefixes)} component=sh:{component}"
        if path is not None:
            text += f" path={compact(path, prefixes) if isinstance(path, str) else path}"
        if shape is not None:
            text += f" shape={compact(shape, prefixes)}"
        return "  " + text

    return "\n".join(sorted(one(k) for k in keys)) or "  (none)"


# ---------------------------------------------------------------------------
# What the shapes graph holds
# ---------------------------------------------------------------------------


def node_shapes() -> set[URIRef]:
    """Return the named node shapes that need examples: targeted or used by sh:node."""
    g = shapes()
    targeted = {s for t in TARGETS for s in g.subjects(t, None) if isinstance(s, URIRef)}
    used = {o for o in g.objects(None, SH.node) if isinstance(o, URIRef)}
    return targeted | used


def targeted_shapes() -> set[URIRef]:
    g = shapes()
    return {s for t in TARGETS for s in g.subjects(t, None) if isinstance(s, URIRef)}


def is_about(v: Violation, shape: URIRef) -> bool:
    """Whether result ``v`` comes from ``shape`` or from a use of it by ``sh:node``."""
    if v.node_shape == str(shape):
        return True
    if v.component != "NodeConstraintComponent" or v.node_shape is None:
        return False
    g, owner = shapes(), URIRef(v.node_shape)
    if (owner, SH.node, shape) in g:
        return True
    return any(
        (prop, SH.node, shape) in g and str(g.value(prop, SH.path)) == v.path
        for prop in g.objects(owner, SH.property)
    )


def local_name(shape: URIRef) -> str:
    return str(shape)[len(CGSH) :]


def required_constraints() -> set[tuple[str, str | None, str]]:
    """(node shape, path, component) for every constraint of every targeted shape.

    Constraints nested in ``sh:or`` members report ``sh:OrConstraintComponent`` of the
    shape holding the ``sh:or``, and are counted as that. Several ``sh:sparql``
    constraints of one shape count as one: their results differ only in the message.
    """
    g = shapes()
    required = set()
    for node_shape in targeted_shapes():
        for parameter, component in COMPONENTS.items():
            if (node_shape, parameter, None) in g:
                required.add((str(node_shape), None, component))
        for prop in g.objects(node_shape, SH.property):
            path = g.value(prop, SH.path)
            for parameter, component in COMPONENTS.items():
                if (prop, parameter, None) in g:
                    required.add((str(node_shape), str(path), component))
    return required


# Constraints that no example breaks, each with the reason; keep it short. Keys as the
# coverage test prints them: ("cgsh:Shape", "prefix:path" or None, "NameConstraintComponent").
NOT_BROKEN_BY_ANY_EXAMPLE: dict[tuple[str, str | None, str], str] = {}


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


def test_there_are_examples() -> None:
    assert FAILING, f"no failing examples in {EXAMPLES.name}/"
    assert VALID, f"no valid examples in {EXAMPLES.name}/"
    assert FAST <= {p.stem for p in FAILING}


@pytest.mark.parametrize("path", _params(FAILING))
def test_failing_example_gives_exactly_the_expected_violations(path: Path) -> None:
    expected = expectations(path)
    assert expected.keys, f"{path.name}: no '# expect:' line in its opening comments"
    name = path.stem.split("--", 1)[0]
    shape = URIRef(CGSH + name)
    assert shape in node_shapes(), f"{path.name}: {name} is not a node shape that needs examples"

    found = results(path)
    actual = {key(v) for v in found}
    prefixes = {**dict(report(path).prefixes), "cgsh": CGSH}
    assert actual == expected.keys, (
        f"{path.name}:\nexpected but not reported:\n{show(expected.keys - actual, prefixes)}"
        f"\nreported but not expected:\n{show(actual - expected.keys, prefixes)}"
        f"\nreport:\n{report(path).format()}"
    )
    assert not report(path).conforms
    assert any(is_about(v, shape) for v in found), (
        f"{path.name}: no violation comes from cgsh:{name}\n{report(path).format()}"
    )


@pytest.mark.parametrize("path", _params(VALID))
def test_valid_example_conforms(path: Path) -> None:
    assert not expectations(path).keys, f"{path.name}: a valid example expects no violation"
    assert report(path).conforms, f"{path.name}:\n{report(path).format()}"
    assert not report(path).results, f"{path.name}:\n{report(path).format()}"


def test_every_node_shape_has_a_failing_example() -> None:
    named = {p.stem.split("--", 1)[0] for p in FAILING}
    missing = sorted(local_name(s) for s in node_shapes() if local_name(s) not in named)
    assert not missing, (
        "node shapes without an example tests/shapes/<Shape>--<what-is-wrong>.ttl: "
        + ", ".join(missing)
    )


@pytest.mark.slow
def test_every_constraint_is_broken_by_some_example() -> None:
    covered = set()
    for path in FAILING:
        for v in results(path):
            if v.node_shape is not None:
                assert v.path is None or isinstance(v.path, str)
                covered.add((v.node_shape, v.path, v.component))
    prefixes = {**DEFAULT_PREFIXES, "cgsh": CGSH}

    def readable(c: tuple[str, str | None, str]) -> tuple[str, str | None, str]:
        node_shape, path, component = c
        return (
            compact(node_shape, prefixes),
            compact(path, prefixes) if path is not None else None,
            component,
        )

    missing = {readable(c) for c in required_constraints() - covered}
    missing -= set(NOT_BROKEN_BY_ANY_EXAMPLE)
    assert not missing, "constraints that no example breaks:\n" + "\n".join(
        f"  {s} {p or '(node)'} sh:{c}" for s, p, c in sorted(missing, key=str)
    )


@pytest.mark.slow
def test_repository_data_conforms(store: Store) -> None:
    """The seed data as the store holds it (stated facts only), against the shapes."""
    full = validate(project(), store)
    assert full.conforms, full.format()
    assert not full.results, full.format()
    assert full.triples > 0 and all(is_stated_graph(g) for g in full.graphs)


def test_ill_typed_examples_are_refused_by_the_loader() -> None:
    """Examples whose literals are not values of their datatype never reach the shapes.

    The shapes catch them too (the examples above), for data that comes by another way.
    """
    refused = []
    for path in FAILING:
        try:
            parse_file(path, graph=EXAMPLE_GRAPH + path.stem, shown=path.name)
        except InputError as exc:
            assert re.match(rf"{re.escape(path.name)}:\d+:\d+: .* is not a valid xsd:", str(exc))
            refused.append(path.stem)
    assert refused == [
        "PartialDate--impossible-day",
        "PartialDate--month-thirteen",
        "PartialDate--year-not-a-year",
    ]


def test_shapes_use_only_simple_paths() -> None:
    """The expectations name paths as IRIs; a complex path would need a syntax for them."""
    g = shapes()
    complex_paths = [p for p in g.objects(None, SH.path) if not isinstance(p, URIRef)]
    assert not complex_paths
