"""Files into the store: strict parsing (rdf/parse.py) and the incremental load (pipeline/load.py).

One test per behaviour the two modules' docstrings promise, driven by small files
written in the test (tables of good and bad files) and by copies of the repository's
project; the store is a real embedded Oxigraph store in memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import clustergraph.pipeline.load as loader
import clustergraph.rdf.parse as parser
from clustergraph.errors import InputError, StoreError
from clustergraph.pipeline.load import load, manifest, stated_graphs
from clustergraph.project.layout import (
    ACROSS_SOURCES_GRAPH,
    BASE,
    MANIFEST_GRAPH,
    ONTOLOGY_GRAPH,
    SOURCE_GRAPHS,
    VOCAB_GRAPHS,
    Project,
    derived_graph,
    file_for_graph,
    graph_for_file,
    is_derived_graph,
)
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.parse import parse_bytes, parse_file
from clustergraph.rdf.terms import n3, to_rdflib_graph
from clustergraph.store import OxigraphStore
from tests.conftest import FIXTURES

XSD = "http://www.w3.org/2001/XMLSchema#"
GRAPH = SOURCE_GRAPHS + "x"
SOURCE_NODE = f"<{GRAPH}> <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:x:article> .\n"


def quads(store: OxigraphStore) -> set[ox.Quad]:
    return set(store.native)


# ---------------------------------------------------------------------------
# Parsing one file: what loads, and as what
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Good:
    """A file that must load, and the object its first ``<urn:x:s> <urn:x:p> ?o`` has."""

    name: str
    data: bytes
    subject: str
    value: ox.NamedNode | ox.Literal


GOOD = [
    Good("plain.ttl", b'<urn:x:s> <urn:x:p> "x" .', "urn:x:s", ox.Literal("x")),
    Good(
        "byte-order-mark.ttl",
        b'\xef\xbb\xbf<urn:x:s> <urn:x:p> "x" .',
        "urn:x:s",
        ox.Literal("x"),
    ),
    Good(
        "relative-to-graph.ttl",
        b"<#s> <urn:x:p> <other> .",
        GRAPH + "#s",
        ox.NamedNode(SOURCE_GRAPHS + "other"),
    ),
    Good(
        "relative-to-base.ttl",
        b"@base <http://e.org/dir/> . <s> <urn:x:p> <../o> .",
        "http://e.org/dir/s",
        ox.NamedNode("http://e.org/o"),
    ),
    Good(
        "time-zone.ttl",
        f'<urn:x:s> <urn:x:p> "2021-03-05+02:00"^^<{XSD}date> .'.encode(),
        "urn:x:s",
        ox.Literal("2021-03-05+02:00", datatype=ox.NamedNode(XSD + "date")),
    ),
    Good(
        "lexical-form.ttl",
        f'<urn:x:s> <urn:x:p> "2021-03-05T10:30:00.5+02:00"^^<{XSD}dateTime> .'.encode(),
        "urn:x:s",
        ox.Literal("2021-03-05T10:30:00.5+02:00", datatype=ox.NamedNode(XSD + "dateTime")),
    ),
    Good(
        "partial-date.ttl",
        f'<urn:x:s> <urn:x:p> "--02-29"^^<{XSD}gMonthDay> .'.encode(),
        "urn:x:s",
        ox.Literal("--02-29", datatype=ox.NamedNode(XSD + "gMonthDay")),
    ),
    Good(
        "language.ttl",
        '<urn:x:s> <urn:x:p> "Paužolis"@lt .'.encode(),
        "urn:x:s",
        ox.Literal("Paužolis", language="lt"),
    ),
    Good("triples.nt", b"<urn:x:s> <urn:x:p> <urn:x:o> .", "urn:x:s", ox.NamedNode("urn:x:o")),
    Good(
        "own-graph.nq",
        f"<urn:x:s> <urn:x:p> <urn:x:o> <{GRAPH}> .\n<urn:x:s> <urn:x:q> <urn:x:o> .".encode(),
        "urn:x:s",
        ox.NamedNode("urn:x:o"),
    ),
    Good(
        "own-graph.trig",
        f"<{GRAPH}> {{ <urn:x:s> <urn:x:p> <urn:x:o> }}".encode(),
        "urn:x:s",
        ox.NamedNode("urn:x:o"),
    ),
    Good(
        "compact.jsonld",
        b'{"@context": {"x": "urn:x:"}, "@id": "x:s", "x:p": "x"}',
        "urn:x:s",
        ox.Literal("x"),
    ),
    Good("upper-case.TTL", b"<urn:x:s> <urn:x:p> <urn:x:o> .", "urn:x:s", ox.NamedNode("urn:x:o")),
]


@pytest.mark.parametrize("case", GOOD, ids=lambda c: c.name)
def test_a_well_formed_file_loads_exactly_as_written(case: Good, tmp_path: Path) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.data)
    triples = parse_file(path, graph=GRAPH, shown=case.name)
    found = [
        t.object
        for t in triples
        if t.subject == ox.NamedNode(case.subject) and t.predicate.value == "urn:x:p"
    ]
    assert found == [case.value]
    assert all(isinstance(t, ox.Triple) for t in triples)


def test_language_tags_are_kept_up_to_case() -> None:
    """RDF 1.1 compares language tags case-insensitively; Oxigraph stores them lower-case."""
    (triple,) = parse_bytes(
        b'<urn:x:s> <urn:x:p> "x"@en-GB .', graph=GRAPH, shown="x.ttl", fmt=RdfFormat.TURTLE
    )
    assert isinstance(triple.object, ox.Literal)
    assert triple.object.language.lower() == "en-gb"
    store = OxigraphStore()
    store.replace_graphs({GRAPH: b'<urn:x:s> <urn:x:p> "x"@en-gb .'})
    ask = 'ASK { ?s ?p ?l FILTER(LANGMATCHES(LANG(?l), "en-GB")) }'
    assert store.query(ask).value  # type: ignore[union-attr]


# file name, content, the message after "<name>:" (a regular expression)
BAD = [
    ("syntax.ttl", b"<urn:x:s> <urn:x:p> .", r"1:\d+: "),
    ("syntax-line-2.ttl", b"<urn:x:s> <urn:x:p>\n  <urn:x:a b> .", r"2:\d+: "),
    ("literal-as-subject.ttl", b'"x" <urn:x:p> <urn:x:o> .', r"1:1: "),
    (
        "impossible-day.ttl",
        f'<urn:x:s> <urn:x:p>\n  "2021-02-30"^^<{XSD}date> .'.encode(),
        r'2:3: "2021-02-30" is not a valid xsd:date: .*February',
    ),
    (
        "short-month.ttl",
        f'<urn:x:s> <urn:x:p> "2025-3-3"^^<{XSD}date> .'.encode(),
        r'1:\d+: "2025-3-3" is not a valid xsd:date',
    ),
    (
        "markup-as-integer.ttl",
        f'<urn:x:s> <urn:x:p> "<svg onload=x>"^^<{XSD}integer> .'.encode(),
        r'1:\d+: "<svg onload=x>" is not a valid xsd:integer',
    ),
    (
        "impossible-month-day.ttl",
        f'<urn:x:s> <urn:x:p> "--02-30"^^<{XSD}gMonthDay> .'.encode(),
        r'1:\d+: "--02-30" is not a valid xsd:gMonthDay',
    ),
    (
        "boolean.ttl",
        f'<urn:x:s> <urn:x:p> "yes"^^<{XSD}boolean> .'.encode(),
        r'1:\d+: "yes" is not a valid xsd:boolean',
    ),
    (
        "other-graph.nq",
        b"<urn:x:s> <urn:x:p> <urn:x:o> <urn:x:elsewhere> .",
        r" holds a triple in graph <urn:x:elsewhere>",
    ),
    ("empty.ttl", b"  \n", r" the file is empty"),
    ("comments-only.ttl", b"# nothing\n@prefix x: <urn:x:> .\n", r" the file holds no triple"),
    ("latin-1.ttl", b'<urn:x:s> <urn:x:p> "\xe9" .', r"1:\d+: not UTF-8 text"),
    ("notes.txt", b"<urn:x:s> <urn:x:p> <urn:x:o> .", r" not an RDF file this toolkit reads"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_is_one_line_naming_it(
    name: str, data: bytes, message: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        parse_file(path, graph=GRAPH, shown=f"data/sources/{name}")
    text = str(info.value)
    assert re.match(re.escape(f"data/sources/{name}:") + message, text), text
    assert "\n" not in text
    assert "Parser error" not in text  # the position is said once, in front


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^absent\.ttl: no such file$"):
        parse_file(tmp_path / "absent.ttl", graph=GRAPH, shown="absent.ttl")


@pytest.mark.slow
def test_a_literal_too_large_to_parse_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "huge.ttl"
    path.write_bytes(b'<urn:x:s> <urn:x:p>\n  "' + b"x" * (17 * 1024 * 1024) + b'" .\n')
    try:
        triples = parse_file(path, graph=GRAPH, shown="huge.ttl")
    except InputError as exc:
        assert re.match(r"huge\.ttl:\d+:\d+: ", str(exc)), exc
    else:  # the parser took it: then it is loaded whole
        assert len(triples[0].object.value) == 17 * 1024 * 1024  # type: ignore[union-attr]


def rdflib_reads(path: Path) -> Graph:
    """Return rdflib's reading of a Turtle file, language tags in lower case as Oxigraph's."""
    from rdflib import Literal

    graph = Graph()
    for s, p, o in Graph().parse(path, format="turtle"):
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        graph.add((s, p, o))
    return graph


def test_every_kind_of_term_is_what_rdflib_reads() -> None:
    """rdflib, an independent parser, reads the same graph from the fixture."""
    path = FIXTURES / "terms.ttl"
    ours = to_rdflib_graph(parse_file(path, graph="http://example.org/graph"))
    reference = rdflib_reads(path)
    assert len(ours) == len(reference) > 20
    assert isomorphic(ours, reference)


# ---------------------------------------------------------------------------
# Loading a project into a store
# ---------------------------------------------------------------------------


@pytest.fixture
def tiny(tmp_path: Path) -> Project:
    """Return a project of three files: the ontology, a vocabulary and a source."""
    root = tmp_path / "tiny"
    for folder in ("ontology", "data/vocab", "data/sources"):
        (root / folder).mkdir(parents=True)
    (root / "ontology/clustergraph.ttl").write_text("<urn:x:o> a <urn:x:Ontology> .\n")
    (root / "data/vocab/v.ttl").write_text("<urn:x:c> a <urn:x:Concept> .\n")
    write_source(Project(root), "a", "<urn:x:a> <urn:x:p> 1 .")
    return Project(root)


def write_source(project: Project, stem: str, body: str, suffix: str = ".ttl") -> Path:
    graph = SOURCE_GRAPHS + stem
    path = project.sources_dir / f"{stem}{suffix}"
    node = f"<{graph}> <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:x:article-{stem}> .\n"
    path.write_text(node + body + "\n", encoding="utf-8")
    return path


def with_derived(store: OxigraphStore) -> None:
    """Give every stated graph a derived graph, and add the across-sources graph."""
    data = {
        derived_graph(g): f"<{derived_graph(g)}> <urn:x:from> <{g}> .".encode()
        for g in stated_graphs(store)
    }
    data[ACROSS_SOURCES_GRAPH] = b"<urn:x:d> <urn:x:across> <urn:x:e> ."
    store.replace_graphs(data)


def derived(store: OxigraphStore) -> set[str]:
    return {g for g in store.graphs() if is_derived_graph(g)}


def test_every_file_becomes_its_own_named_graph(project: Project) -> None:
    store = OxigraphStore()
    report = load(project, store)
    expected = {ONTOLOGY_GRAPH}
    expected |= {VOCAB_GRAPHS + p.stem for p in project.vocab_dir.glob("*.ttl")}
    expected |= {SOURCE_GRAPHS + p.stem for p in project.sources_dir.glob("*.ttl")}
    assert set(report.loaded) == set(stated_graphs(store)) == expected
    assert set(store.graphs()) == expected | {MANIFEST_GRAPH}
    assert report.triples == sum(store.count(g) for g in expected)
    with pytest.raises(InputError):
        graph_for_file("ontology/shapes.ttl")


def test_each_graph_is_what_rdflib_reads_from_its_file(project: Project, store) -> None:
    for graph in stated_graphs(store):
        path = project.root / file_for_graph(graph)
        reference = rdflib_reads(path)
        ours = to_rdflib_graph(store.quads(graph=graph))
        assert len(ours) == len(reference), path.name
        assert isomorphic(ours, reference), path.name


def test_the_manifest_names_each_file_and_its_sha256(tiny: Project) -> None:
    write_source(tiny, "b", '<urn:x:b> <urn:x:p> "2" .', suffix=".nt")
    store = OxigraphStore()
    load(tiny, store)
    entries = manifest(store)
    assert set(entries) == set(stated_graphs(store))
    for graph, entry in entries.items():
        assert entry.graph == graph
        data = (tiny.root / entry.file).read_bytes()
        assert entry.sha256 == hashlib.sha256(data).hexdigest()
    assert entries[SOURCE_GRAPHS + "b"].file == "data/sources/b.nt"


def test_nothing_is_parsed_when_nothing_changed(tiny: Project, monkeypatch) -> None:
    store = OxigraphStore()
    first = load(tiny, store)
    assert first.changed and first.unchanged == 0
    before = quads(store)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file was parsed")

    monkeypatch.setattr(parser, "parse_file", no_parsing)
    again = load(tiny, store)
    assert (again.changed, again.loaded, again.removed, again.unchanged) == (False, (), (), 3)
    assert quads(store) == before


def test_a_changed_source_is_reloaded_alone_and_its_derived_graphs_dropped(tiny: Project) -> None:
    write_source(tiny, "b", "<urn:x:b> <urn:x:p> 2 .")
    store = OxigraphStore()
    load(tiny, store)
    with_derived(store)
    write_source(tiny, "a", "<urn:x:a> <urn:x:p> 3 .")
    report = load(tiny, store)
    a, b = SOURCE_GRAPHS + "a", SOURCE_GRAPHS + "b"
    assert report.loaded == (a,) and report.unchanged == 3
    assert store.query(f"ASK {{ GRAPH <{a}> {{ <urn:x:a> <urn:x:p> 3 }} }}").value  # type: ignore[union-attr]
    gone = {derived_graph(a), ACROSS_SOURCES_GRAPH}
    assert derived(store) == {derived_graph(g) for g in stated_graphs(store)} - gone
    assert derived_graph(b) in derived(store)


def test_a_changed_ontology_or_vocabulary_drops_every_derived_graph(tiny: Project) -> None:
    for changed in ("ontology/clustergraph.ttl", "data/vocab/v.ttl"):
        store = OxigraphStore()
        load(tiny, store)
        with_derived(store)
        path = tiny.root / changed
        path.write_text(path.read_text() + "<urn:x:new> a <urn:x:Thing> .\n")
        report = load(tiny, store)
        assert report.loaded == (graph_for_file(changed),)
        assert derived(store) == set()


def test_a_deleted_file_removes_its_graph(tiny: Project) -> None:
    write_source(tiny, "b", "<urn:x:b> <urn:x:p> 2 .")
    store = OxigraphStore()
    load(tiny, store)
    with_derived(store)
    (tiny.sources_dir / "b.ttl").unlink()
    report = load(tiny, store)
    b = SOURCE_GRAPHS + "b"
    assert report.removed == (b,) and report.loaded == ()
    assert b not in store.graphs() and b not in manifest(store)
    assert derived_graph(b) not in derived(store)


def test_force_loads_everything_again(tiny: Project) -> None:
    store = OxigraphStore()
    load(tiny, store)
    report = load(tiny, store, force=True)
    assert len(report.loaded) == 3 and report.unchanged == 0


def test_the_first_bad_file_stops_the_load_before_anything_is_written(tiny: Project) -> None:
    store = OxigraphStore()
    load(tiny, store)
    before = quads(store)
    write_source(tiny, "a", "<urn:x:a> <urn:x:p> 4 .")  # a good change...
    (tiny.sources_dir / "zz-broken.ttl").write_text("<urn:x:a> <urn:x:p> .\n")  # ...and a bad file
    with pytest.raises(InputError, match=r"^data/sources/zz-broken\.ttl:1:\d+: "):
        load(tiny, store)
    assert quads(store) == before


def test_a_source_must_say_which_article_its_graph_comes_from(tiny: Project) -> None:
    (tiny.sources_dir / "anonymous.ttl").write_text("<urn:x:a> <urn:x:p> 1 .\n")
    with pytest.raises(InputError, match=r"^data/sources/anonymous\.ttl: no source node"):
        load(tiny, OxigraphStore())


class _DiesOnceWriting(OxigraphStore):
    """A store whose second ``replace_graphs`` call fails, as a store dying midway would."""

    calls = 0

    def replace_graphs(self, data):  # type: ignore[no-untyped-def]
        type(self).calls += 1
        if type(self).calls == 2:
            raise StoreError("the store died")
        super().replace_graphs(data)


def test_a_load_that_dies_midway_is_done_again_by_the_next(tiny: Project) -> None:
    """The manifest forgets the changing graphs first and records them last."""
    store = _DiesOnceWriting()
    _DiesOnceWriting.calls = 0
    with pytest.raises(StoreError):
        load(tiny, store)
    assert manifest(store) == {}
    report = load(tiny, store)
    assert len(report.loaded) == 3
    assert set(manifest(store)) == set(stated_graphs(store))


def test_a_large_load_takes_the_bulk_path_to_the_same_store(
    project: Project, store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "BULK_THRESHOLD", 0)
    monkeypatch.setattr(loader, "BULK_BATCH", 10_000)  # several calls of the bulk loader
    bulk = OxigraphStore()
    load(project, bulk)
    for graph in stated_graphs(store):
        assert isomorphic(
            to_rdflib_graph(bulk.quads(graph=graph)), to_rdflib_graph(store.quads(graph=graph))
        ), graph
    assert manifest(bulk) == manifest(store)


@pytest.mark.parametrize("bulk", [False, True], ids=["in-one-transaction", "bulk-loaded"])
def test_blank_nodes_of_different_files_stay_distinct(
    tiny: Project, bulk: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if bulk:  # the bulk loader writes large loads: make this small one large
        monkeypatch.setattr("clustergraph.pipeline.load.BULK_THRESHOLD", 0)
        monkeypatch.setattr("clustergraph.pipeline.load.BULK_BATCH", 1)  # a call per file
    for name in ("bnodes-a", "bnodes-b"):
        write_source(tiny, name, f'_:b1 <urn:x:label> "{name}" .\n[] <urn:x:comment> "{name}" .')
    store = OxigraphStore()
    load(tiny, store)
    subjects = {}
    for name in ("bnodes-a", "bnodes-b"):
        found = {q.subject for q in store.quads(graph=SOURCE_GRAPHS + name)}
        subjects[name] = {s for s in found if isinstance(s, ox.BlankNode)}
        assert len(subjects[name]) == 2
    assert not subjects["bnodes-a"] & subjects["bnodes-b"]


@pytest.mark.parametrize("bulk", [False, True], ids=["in-one-transaction", "bulk-loaded"])
def test_a_blank_node_inside_a_triple_term_stays_one_node(
    tiny: Project, bulk: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RDF 1.2: the node a triple term names is the node the graph describes."""
    if bulk:
        monkeypatch.setattr("clustergraph.pipeline.load.BULK_THRESHOLD", 0)
    data = "_:x <urn:x:p> <urn:x:o> .\n<urn:x:s> <urn:x:r> <<( _:x <urn:x:p> <urn:x:o> )>> ."
    write_source(tiny, "quoted", data)
    loaded = OxigraphStore()
    load(tiny, loaded)
    replaced = OxigraphStore()
    replaced.replace_graphs({"urn:x:a": data.encode(), "urn:x:b": data.encode()})
    for store, graphs in ((loaded, [SOURCE_GRAPHS + "quoted"]), (replaced, ["urn:x:a", "urn:x:b"])):
        nodes = []
        for graph in graphs:
            quads = list(store.quads(graph=graph))
            described = {q.subject for q in quads if isinstance(q.subject, ox.BlankNode)}
            quoted = {q.object.subject for q in quads if isinstance(q.object, ox.Triple)}
            assert len(described) == 1 and described == quoted, (graph, quads)
            nodes.append(described)
        assert len(graphs) == 1 or not nodes[0] & nodes[1]  # each graph's node is its own
    # A remote store without the Graph Store Protocol gets the triples as SPARQL Update:
    # the blank-node triples, the quoted one with them, in one request (Oxigraph runs it).
    from clustergraph.store.client import _insert

    triples = [q.triple for q in ox.parse(data.encode(), format=ox.RdfFormat.N_TRIPLES)]
    updated = OxigraphStore()
    updated.update(_insert("urn:x:c", triples))
    quads = list(updated.quads(graph="urn:x:c"))
    described = {q.subject for q in quads if isinstance(q.subject, ox.BlankNode)}
    assert len(described) == 1
    assert described == {q.object.subject for q in quads if isinstance(q.object, ox.Triple)}


# file name, content, the error (a regular expression)
BAD_PROJECTS = [
    ("notes.txt", b"hello", r"data/sources/notes\.txt: not a dataset file"),
    ("a.nt", b"<urn:x:s> <urn:x:p> <urn:x:o> .", r"data/sources/a\.\w+: a\.\w+ has the same name"),
    ("empty.ttl", b"", r"data/sources/empty\.ttl: the file is empty"),
]


@pytest.mark.parametrize(
    ("name", "data", "message"), BAD_PROJECTS, ids=[b[0] for b in BAD_PROJECTS]
)
def test_a_file_that_does_not_belong_is_refused(
    tiny: Project, name: str, data: bytes, message: str
) -> None:
    (tiny.sources_dir / name).write_bytes(data)
    with pytest.raises(InputError, match=f"^{message}") as info:
        load(tiny, OxigraphStore())
    assert "\n" not in str(info.value)


def test_hidden_files_and_folders_are_not_data(tiny: Project) -> None:
    (tiny.sources_dir / ".a.ttl.swp").write_bytes(b"\x00 editor state")
    (tiny.sources_dir / "drafts").mkdir()
    store = OxigraphStore()
    assert len(load(tiny, store).loaded) == 3


def test_missing_parts_of_a_project(tiny: Project, tmp_path: Path) -> None:
    shutil.rmtree(tiny.vocab_dir)
    with pytest.raises(InputError, match="data/vocab: no such directory"):
        load(tiny, OxigraphStore())
    with pytest.raises(InputError, match="ontology/clustergraph.ttl: no such file"):
        load(Project(tmp_path / "nothing"), OxigraphStore())


# ---------------------------------------------------------------------------
# The layout: files, graphs and the project root
# ---------------------------------------------------------------------------


def test_graph_iris_and_files_round_trip(project: Project) -> None:
    for path in project.dataset_files():
        rel = project.relpath(path)
        assert file_for_graph(graph_for_file(rel)) == rel
        assert project.file_of(project.graph_of(path)) == project.root / rel
    assert BASE in ONTOLOGY_GRAPH


def test_discover_walks_up(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.sources_dir)
    assert Project.discover().root == project.root.resolve()
    assert Project.discover(Path(project.vocab_dir)).root == project.root.resolve()


def test_discover_fails_outside_a_project(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="ontology/clustergraph.ttl"):
        Project.discover(tmp_path)


# ---------------------------------------------------------------------------
# Finding changed files by their size and times before any hashing
# ---------------------------------------------------------------------------


def _no_hashing(path: Path, shown: str) -> str:
    raise AssertionError(f"{shown} was hashed")


def _settled(project: Project, store: OxigraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Load ``project`` and take every file as settled (no wait for the clock)."""
    monkeypatch.setattr(loader, "SETTLE_NS", 0)
    load(project, store)
    assert all(seen.settled for seen in loader.files_seen(store).values())


def test_an_unchanged_project_is_neither_read_nor_hashed(
    tiny: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = OxigraphStore(tiny.root / "store")
    _settled(tiny, store, monkeypatch)
    store.close()
    store = OxigraphStore(tiny.root / "store")  # the record is kept in the store
    monkeypatch.setattr(loader, "_sha256", _no_hashing)
    report = load(tiny, store)
    assert (report.changed, report.unchanged) == (False, 3)
    store.close()


def test_a_file_edited_to_the_same_size_and_mtime_is_reloaded(
    tiny: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its change time (ctime) gives it away: an editor that restores the mtime is seen."""
    store = OxigraphStore()
    _settled(tiny, store, monkeypatch)
    path = tiny.sources_dir / "a.ttl"
    before = path.stat()
    text = path.read_text()
    assert "<urn:x:p> 1 ." in text
    time.sleep(0.02)  # past the file system clock's tick, as any later edit is
    path.write_text(text.replace("<urn:x:p> 1 .", "<urn:x:p> 7 ."))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert after.st_ctime_ns != before.st_ctime_ns
    report = load(tiny, store)
    assert report.loaded == (SOURCE_GRAPHS + "a",)
    assert store.query("ASK { <urn:x:a> <urn:x:p> 7 }").value  # type: ignore[union-attr]


def test_a_touched_file_is_hashed_not_reloaded_and_its_times_recorded(
    tiny: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = OxigraphStore()
    _settled(tiny, store, monkeypatch)
    path = tiny.sources_dir / "a.ttl"
    os.utime(path, ns=(4 * 10**18, 4 * 10**18))  # a new mtime (2096), the same bytes
    monkeypatch.setattr(parser, "parse_file", _no_hashing)  # nothing is parsed
    report = load(tiny, store)
    assert (report.changed, report.unchanged) == (False, 3)
    seen = loader.files_seen(store)[SOURCE_GRAPHS + "a"]
    assert seen.stat[1] == 4 * 10**18 == path.stat().st_mtime_ns
    assert not seen.settled  # a time ahead of the clock is never trusted...
    monkeypatch.setattr(loader, "_sha256", _no_hashing)
    with pytest.raises(AssertionError, match="data/sources/a.ttl was hashed"):
        load(tiny, store)  # ...so the file is hashed each time, never taken as it was
    os.utime(path, ns=(10**9, 10**9))  # a time long past
    monkeypatch.undo()
    monkeypatch.setattr(loader, "SETTLE_NS", 0)
    assert not load(tiny, store).changed
    monkeypatch.setattr(loader, "_sha256", _no_hashing)
    assert not load(tiny, store).changed  # recorded, and now trusted


def _forge_record(store: OxigraphStore, graph: str, stat: tuple[int, int, int, int]) -> None:
    """Rewrite the record of ``graph``'s file with ``stat``, as if it had been seen so."""
    record = {
        g: [s.entry.file, s.entry.sha256, *(stat if g == graph else s.stat), s.at]
        for g, s in loader.files_seen(store).items()
    }
    literal = ox.Literal(json.dumps(record), datatype=ox.NamedNode(loader.RDF_JSON))
    m, p = f"<{MANIFEST_GRAPH}>", f"<{loader.FILES_SEEN}>"
    store.update(
        f"DELETE {{ GRAPH {m} {{ {m} {p} ?j }} }} "
        f"INSERT {{ GRAPH {m} {{ {m} {p} {n3(literal)} }} }} "
        f"WHERE {{ GRAPH {m} {{ {m} {p} ?j }} }}"
    )


def test_an_edit_within_the_clock_tick_of_the_record_is_still_found(
    tiny: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed just before it was seen is hashed until it has settled.

    On a coarse file system clock an edit made right after the load can leave the size,
    mtime and ctime as recorded: forged here by recording the edited file's own stat.
    """
    store = OxigraphStore()
    load(tiny, store)  # the files were just written: not settled
    graph = SOURCE_GRAPHS + "a"
    path = tiny.sources_dir / "a.ttl"
    assert not loader.files_seen(store)[graph].settled
    path.write_text(path.read_text().replace("<urn:x:p> 1 .", "<urn:x:p> 8 ."))
    st = path.stat()
    _forge_record(store, graph, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    assert load(tiny, store).loaded == (graph,)
    assert store.query("ASK { <urn:x:a> <urn:x:p> 8 }").value  # type: ignore[union-attr]
    # The rule is what finds it: were every record trusted, the same forgery would hide
    # the next edit.
    path.write_text(path.read_text().replace("<urn:x:p> 8 .", "<urn:x:p> 9 ."))
    st = path.stat()
    _forge_record(store, graph, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    monkeypatch.setattr(loader, "SETTLE_NS", -(10**18))
    assert not load(tiny, store).changed


def test_a_sync_with_nothing_changed_does_not_look_at_the_derivation_again(
    tiny: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clustergraph.pipeline.derive as deriver
    from clustergraph.pipeline.sync import sync

    write_source(tiny, "b", "<urn:x:b> <urn:x:p> <urn:x:a> .")
    store = OxigraphStore()
    first = sync(tiny, store)
    assert first.derive.graphs and ACROSS_SOURCES_GRAPH in first.derive.graphs

    def no_listing(store: object) -> list[str]:
        raise AssertionError("the graphs were listed")

    with monkeypatch.context() as patched:
        patched.setattr(deriver, "_graph_names", no_listing)
        again = sync(tiny, store)
    assert not again.load.changed
    assert again.derive == deriver.DeriveReport((), first.derive.triples, first.derive.by_predicate)
    # A derivation that died leaves the across-sources graph unmarked: derived again.
    store.drop_graphs([ACROSS_SOURCES_GRAPH])
    redone = sync(tiny, store)
    assert ACROSS_SOURCES_GRAPH in redone.derive.graphs
    assert redone.derive.triples == first.derive.triples
