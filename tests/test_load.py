"""Strict loading: one named graph per file, faithful terms, all-or-nothing."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from clustergraph.errors import InputError
from clustergraph.pipeline.load import load, load_file, named_graphs, union_graph
from clustergraph.project.layout import (
    BASE,
    ONTOLOGY_GRAPH,
    Project,
    file_for_graph,
    graph_for_file,
)
from clustergraph.rdf.terms import canonical_language

from tests.conftest import FIXTURES

# Turtle that rdflib parses without complaint but that is not valid Turtle.
# Each case: text, expected "line:column" of the error.
LENIENT_IN_RDFLIB = {
    "datatype IRI with spaces": ('<http://e.org/a> <http://e.org/p> "a"^^<not an iri> .', "1:40"),
    "IRI with a space": ("<http://e.org/a> <http://e.org/p>\n  <http://e.org/a b> .", "2:3"),
    "IRI with braces": ("<http://e.org/a> <http://e.org/p> <http://e.org/{x}> .", "1:35"),
    "relative IRI": ("<http://e.org/a> <http://e.org/p> <relative> .", "1:35"),
    "bad unicode escape": ("<http://e.org/a> <http://e.org/p> <http://e.org/\\u00zz> .", "1:53"),
    "literal as subject": ('"x" <http://e.org/p> <http://e.org/b> .', "1:1"),
}


def test_every_file_becomes_its_own_named_graph(project, dataset):
    expected = {ONTOLOGY_GRAPH}
    expected |= {URIRef(f"{BASE}graph/vocab/{p.stem}") for p in project.vocab_dir.glob("*.ttl")}
    expected |= {URIRef(f"{BASE}graph/source/{p.stem}") for p in project.sources_dir.glob("*.ttl")}
    assert {g.identifier for g in named_graphs(dataset)} == expected
    assert len(expected) > 2, "expected ontology, vocabularies and sources"


XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def _normalized(graph: Graph) -> Graph:
    """Return ``graph`` with the literal spellings the loader settles on.

    ``"x"^^xsd:string`` is the same literal as ``"x"`` in RDF 1.1, and language tags are
    case-insensitive (the loader gives them in BCP 47 canonical case).
    """
    result = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD_STRING:
            o = Literal(str(o))
        elif isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=canonical_language(o.language))
        result.add((s, p, o))
    return result


def test_each_graph_matches_rdflibs_parse_of_its_file(project, dataset):
    for graph in named_graphs(dataset):
        path = project.root / file_for_graph(graph.identifier)
        reference = _normalized(Graph().parse(path, format="turtle"))
        assert len(graph) == len(reference), path.name
        assert isomorphic(graph, reference), path.name


def test_shapes_are_not_part_of_the_dataset(project, dataset):
    with pytest.raises(InputError):
        graph_for_file("ontology/shapes.ttl")
    assert URIRef(f"{BASE}graph/shapes") not in {g.identifier for g in named_graphs(dataset)}


def test_load_without_ontology(project):
    graphs = {g.identifier for g in named_graphs(load(project, include_ontology=False))}
    assert ONTOLOGY_GRAPH not in graphs
    assert graphs


def test_union_graph_holds_every_triple(dataset):
    union = union_graph(dataset)
    assert len(union) == len({t for g in named_graphs(dataset) for t in g})


def test_conversion_is_isomorphic_to_rdflib():
    path = FIXTURES / "terms.ttl"
    ours = load_file(path, graph="http://example.org/graph")
    reference = Graph().parse(path, format="turtle")
    assert len(ours) == len(reference) > 20
    assert isomorphic(ours, reference)
    assert ours.identifier == URIRef("http://example.org/graph")
    labels = set(ours.objects(None, RDFS.label))
    assert Literal("plain string") in labels
    assert Literal("English", lang="en") in labels
    assert Literal("British", lang="en-GB") in labels
    assert "British" in {str(lit) for lit in labels if lit.language == "en-GB"}


def test_explicit_xsd_string_becomes_a_plain_literal(tmp_path):
    path = tmp_path / "s.ttl"
    path.write_text(
        '<http://e.org/a> <http://e.org/p> "x"^^<http://www.w3.org/2001/XMLSchema#string> .\n',
        encoding="utf-8",
    )
    graph = load_file(path, graph="http://example.org/g")
    assert list(graph.objects()) == [Literal("x")]
    assert Literal("x").datatype is None


@pytest.mark.parametrize("case", sorted(LENIENT_IN_RDFLIB))
def test_invalid_turtle_that_rdflib_accepts_is_rejected(tmp_path, case):
    text, position = LENIENT_IN_RDFLIB[case]
    path = tmp_path / "bad.ttl"
    path.write_text(text + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert len(Graph().parse(path, format="turtle")) == 1  # rdflib lets it through
    with pytest.raises(InputError) as caught:
        load_file(path, graph="http://example.org/g", shown="bad.ttl")
    message = str(caught.value)
    assert message.startswith(f"bad.ttl:{position}: ")
    assert "\n" not in message
    assert "Parser error" not in message


def test_directional_language_strings_are_rejected(tmp_path):
    path = tmp_path / "dir.ttl"
    path.write_text('<http://e.org/a> <http://e.org/p> "x"@ar--rtl .\n', encoding="utf-8")
    with pytest.raises(InputError, match="directional"):
        load_file(path, graph="http://example.org/g")


def test_blank_nodes_of_different_files_stay_distinct(project_copy):
    for name in ("bnodes-a", "bnodes-b"):
        (project_copy.sources_dir / f"{name}.ttl").write_text(
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            f'_:b1 rdfs:label "{name} labelled" .\n'
            f'[] rdfs:comment "{name} anonymous" .\n',
            encoding="utf-8",
        )
    dataset = load(project_copy)
    subjects = {}
    for name in ("bnodes-a", "bnodes-b"):
        graph = dataset.graph(URIRef(f"{BASE}graph/source/{name}"))
        subjects[name] = set(graph.subjects())
        assert len(subjects[name]) == 2
        assert all(isinstance(s, BNode) for s in subjects[name])
    assert not subjects["bnodes-a"] & subjects["bnodes-b"]
    union = union_graph(dataset)
    assert (
        len(set(union.subjects(RDFS.label, None)) & (subjects["bnodes-a"] | subjects["bnodes-b"]))
        == 2
    )


def test_loading_is_all_or_nothing(project_copy):
    bad = project_copy.sources_dir / "zz-broken.ttl"
    bad.write_text("<http://e.org/a> <http://e.org/p> .\n", encoding="utf-8")
    result = None
    with pytest.raises(InputError, match=r"^data/sources/zz-broken\.ttl:1:\d+: "):
        result = load(project_copy)
    assert result is None


def test_missing_directory_is_an_input_error(project_copy):
    for path in project_copy.vocab_dir.iterdir():
        path.unlink()
    project_copy.vocab_dir.rmdir()
    with pytest.raises(InputError, match="data/vocab: no such directory"):
        load(project_copy)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_file(tmp_path / "absent.ttl", graph="http://example.org/g")
    with pytest.raises(InputError, match="no such file"):
        load(Project(tmp_path))


def test_graph_iris_and_files_round_trip(project):
    for path in project.dataset_files():
        rel = project.relpath(path)
        assert file_for_graph(graph_for_file(rel)) == rel
        assert project.file_of(project.graph_of(path)) == project.root / rel


def test_discover_walks_up(project, monkeypatch):
    monkeypatch.chdir(project.sources_dir)
    assert Project.discover().root == project.root.resolve()
    assert Project.discover(Path(project.vocab_dir)).root == project.root.resolve()


def test_discover_fails_outside_a_project(tmp_path):
    with pytest.raises(InputError, match="ontology/clustergraph.ttl"):
        Project.discover(tmp_path)
