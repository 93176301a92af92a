"""Exports from the store in six formats: lossless round trips, an independent parser, VoID.

Every export is parsed back by rdflib, a parser independent of the pyoxigraph writers,
and compared with the store (graph by graph for the formats with named graphs, the
union for the others), and counted by raptor's ``rapper`` (Debian ``raptor2-utils``),
which has no JSON-LD parser, so JSON-LD is also read by pyoxigraph.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from clustergraph.errors import InputError
from clustergraph.pipeline.export import (
    CONTEXT_FILE,
    RdfFormat,
    data_graphs,
    export,
    file_name,
    jsonld_context,
    serialize,
)
from clustergraph.pipeline.publish import export_all
from clustergraph.pipeline.stats import stats
from clustergraph.pipeline.void import DATASET, LICENSE, VOID_FILE
from clustergraph.project.files import write_atomic
from clustergraph.project.layout import GRAPH_NS, MANIFEST_GRAPH, ONTOLOGY_GRAPH
from clustergraph.rdf.terms import to_rdflib_graph
from clustergraph.store import OxigraphStore, Store, open_store

SPDX = "http://spdx.org/rdf/terms#"

pytestmark = [
    # rdflib's own TriG and JSON-LD parsers still build a ConjunctiveGraph.
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, store: Store) -> Path:
    """Every format, the context and the description, written once for the module."""
    directory = tmp_path_factory.mktemp("export")
    export_all(store, directory)
    return directory


def graph_of(store: Store, graph: str) -> Graph:
    return to_rdflib_graph(store.quads(graph=graph))


def union_of(store: Store) -> Graph:
    return to_rdflib_graph(q for g in data_graphs(store) for q in store.quads(graph=g))


def quad_count(store: Store) -> int:
    return sum(store.count(g) for g in data_graphs(store))


def expected_count(store: Store, fmt: RdfFormat) -> int:
    return quad_count(store) if fmt.supports_datasets else len(union_of(store))


def rapper_count(path: Path, fmt: RdfFormat) -> int:
    rapper = shutil.which("rapper")
    assert rapper, "rapper is missing: apt-get install raptor2-utils (make test installs it)"
    assert fmt.rapper_format is not None
    done = subprocess.run(
        [rapper, "-i", fmt.rapper_format, "-c", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    match = re.search(r"Parsing returned (\d+) (?:triples|statements)", done.stderr)
    assert match, done.stderr
    return int(match.group(1))


# ---------------------------------------------------------------------------
# What an export holds
# ---------------------------------------------------------------------------


def test_the_data_graphs_are_stated_and_derived_not_the_manifest(store: Store) -> None:
    graphs = data_graphs(store)
    assert ONTOLOGY_GRAPH in graphs
    assert any(g.startswith(GRAPH_NS + "source/") for g in graphs)
    assert any(g.startswith(GRAPH_NS + "derived/") for g in graphs)
    assert MANIFEST_GRAPH in store.graphs() and MANIFEST_GRAPH not in graphs


@pytest.mark.parametrize("fmt", list(RdfFormat), ids=lambda f: f.value)
def test_an_export_parsed_back_is_what_the_store_holds(
    fmt: RdfFormat, exported: Path, store: Store
) -> None:
    path = exported / file_name(fmt)
    if fmt.supports_datasets:
        back = Dataset()
        back.parse(path, format=fmt.rdflib_format)
        names = {str(g.identifier) for g in back.graphs() if len(g)}
        assert names == set(data_graphs(store))
        for graph in data_graphs(store):
            assert isomorphic(graph_of(store, graph), back.graph(URIRef(graph))), graph
        assert len(back.default_graph) == 0
    else:
        assert isomorphic(Graph().parse(path, format=fmt.rdflib_format), union_of(store))


@pytest.mark.parametrize("fmt", [f for f in RdfFormat if f.rapper_format], ids=lambda f: f.value)
def test_rapper_counts_the_same_triples(fmt: RdfFormat, exported: Path, store: Store) -> None:
    assert rapper_count(exported / file_name(fmt), fmt) == expected_count(store, fmt)


def test_rapper_has_no_json_ld_parser() -> None:
    assert RdfFormat.JSONLD.rapper_format is None
    help_text = subprocess.run(["rapper", "-h"], capture_output=True, text=True, check=False)
    parsers = help_text.stdout.split("-o FORMAT")[0]
    assert "json-ld" not in parsers.lower() and "jsonld" not in parsers.lower()


@pytest.mark.parametrize("fmt", list(RdfFormat), ids=lambda f: f.value)
def test_pyoxigraph_reads_every_export_the_same(
    fmt: RdfFormat, exported: Path, store: Store
) -> None:
    """A second parser for every format, and the only one besides rdflib for JSON-LD."""
    quads = list(ox.parse(path=exported / file_name(fmt), format=fmt.oxigraph))
    assert len(quads) == expected_count(store, fmt)
    if fmt.supports_datasets:
        by_graph: dict[str, list[ox.Quad]] = {}
        for q in quads:
            assert isinstance(q.graph_name, ox.NamedNode), q
            by_graph.setdefault(q.graph_name.value, []).append(q)
        assert set(by_graph) == set(data_graphs(store))
        for graph, found in by_graph.items():
            assert isomorphic(to_rdflib_graph(found), graph_of(store, graph)), graph


def test_union_formats_hold_each_triple_once(store: Store, exported: Path) -> None:
    lines = (exported / file_name(RdfFormat.NTRIPLES)).read_text("utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(union_of(store)) < quad_count(store)


def test_exports_are_reproducible(store: Store, exported: Path) -> None:
    for fmt in RdfFormat:
        assert serialize(store, fmt) == (exported / file_name(fmt)).read_bytes(), fmt


def test_the_same_data_loaded_otherwise_gives_the_same_bytes(store: Store, exported: Path) -> None:
    """Another store, its graphs written in the other order, with new blank node labels."""
    other = OxigraphStore()
    for graph in reversed(data_graphs(store)):
        triples = [q.triple for q in store.quads(graph=graph)]
        relabelled = ox.serialize(reversed(triples), format=ox.RdfFormat.N_TRIPLES).replace(
            b"_:", b"_:other"
        )
        other.replace_graphs({graph: relabelled})
    for fmt in RdfFormat:
        assert serialize(other, fmt) == (exported / file_name(fmt)).read_bytes(), fmt


def test_blank_nodes_are_labelled_from_the_content() -> None:
    one, two = OxigraphStore(), OxigraphStore()
    one.replace_graphs({"urn:g": b'<urn:a> <urn:p> _:x .\n_:x <urn:q> "1" .'})
    two.replace_graphs({"urn:g": b'_:y <urn:q> "1" .\n<urn:a> <urn:p> _:y .'})
    assert serialize(one, RdfFormat.NQUADS) == serialize(two, RdfFormat.NQUADS)
    assert b"_:c14n0" in serialize(one, RdfFormat.NQUADS)


def test_blank_node_labels_are_those_of_the_whole_dataset_canonicalised() -> None:
    """Only the quads with a blank node are canonicalised: the labels are RDFC-1.0's."""
    data = (
        b'<urn:a> <urn:p> _:x .\n_:x <urn:q> _:y .\n_:y <urn:q> "1" .\n_:z <urn:q> "1" .\n'
        b'<urn:a> <urn:r> <urn:b> .\n<urn:b> <urn:p> _:z .\n<urn:c> <urn:p> "2" .\n'
    )
    graphs = {"urn:g": data, "urn:h": data.replace(b"_:", b"_:h").replace(b"_:hz", b"_:w")}
    one = OxigraphStore()
    one.replace_graphs(graphs)
    whole = ox.Dataset()
    for graph, text in graphs.items():
        for triple in ox.parse(text, format=ox.RdfFormat.N_TRIPLES):
            whole.add(ox.Quad(triple.subject, triple.predicate, triple.object, ox.NamedNode(graph)))
    whole.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    written = serialize(one, RdfFormat.NQUADS).decode().splitlines()
    assert sorted(written) == sorted(str(q) + " ." for q in whole)
    assert {"_:c14n0", "_:c14n5"} <= set(" ".join(written).split())


def test_a_blank_node_in_a_triple_term_is_labelled_with_the_rest() -> None:
    """RDF 1.2: a blank node inside a triple term gets a canonical label too, every time."""
    data = b"_:x <urn:p> <urn:o> .\n<urn:s> <urn:r> <<( _:x <urn:p> <urn:o> )>> .\n"
    written = set()
    for _ in range(2):  # each load gives the blank node another label in the store
        one = OxigraphStore()
        one.replace_graphs({"urn:g": data})
        written.add(serialize(one, RdfFormat.NQUADS))
    (text,) = written
    assert b"<<( _:c14n" in text, text


def test_jsonld_is_compacted_with_the_published_context(exported: Path) -> None:
    doc = json.loads((exported / file_name(RdfFormat.JSONLD)).read_text("utf-8"))
    published = json.loads((exported / CONTEXT_FILE).read_text("utf-8"))
    assert doc["@context"] == published["@context"] == jsonld_context()
    context = doc["@context"]
    for prefix in ("cg", "org", "skos", "dcterms", "foaf", "prov", "schema", "time", "rov"):
        assert prefix in context
    assert {"xsd", "id", "o", "per", "mem"} <= set(context)
    assert "brick" not in context and "sh" not in context  # not every prefix rdflib binds
    # One graph object per named graph, each with its IRI and its nodes.
    graphs = {_expand(g["@id"], context) for g in doc["@graph"] if g.get("@graph")}
    assert "https://w3id.org/clustergraph/graph/ontology" in graphs
    assert len(graphs) == len(doc["@graph"])
    text = json.dumps(doc)
    assert '"skos:prefLabel"' in text and '"@type": "cg:Cluster"' in text


def _expand(iri: str, context: dict[str, str]) -> str:
    prefix, sep, local = iri.partition(":")
    return context[prefix] + local if sep and prefix in context else iri


def test_jsonld_keeps_every_literal_as_written() -> None:
    one = OxigraphStore()
    xsd = "http://www.w3.org/2001/XMLSchema#"
    data = (
        f'<urn:a> <urn:p> "2021-03-05+02:00"^^<{xsd}date> .\n'
        f'<urn:a> <urn:p> "01"^^<{xsd}integer> .\n'
        '<urn:a> <urn:p> "Šetkus"@lt .\n<urn:a> <urn:p> "x\\"y" .\n'
    )
    one.replace_graphs({"urn:g": data.encode()})
    back = list(ox.parse(serialize(one, RdfFormat.JSONLD), format=ox.RdfFormat.JSON_LD))
    assert {q.object for q in back} == {q.object for q in one.quads()}


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def test_export_writes_the_file_atomically(tmp_path: Path, store: Store) -> None:
    out = tmp_path / "deep" / "graph.trig"
    data = export(store, RdfFormat.TRIG, out=out)
    assert out.read_bytes() == data == serialize(store, RdfFormat.TRIG)
    assert [p.name for p in out.parent.iterdir()] == ["graph.trig"]  # no temporary file left
    before = os.stat(out).st_ino
    export(store, RdfFormat.TRIG, out=out)
    assert os.stat(out).st_ino != before  # a new file was renamed over the old one


def test_export_all_writes_every_file(exported: Path) -> None:
    names = {p.name for p in exported.iterdir()}
    assert names == {file_name(f) for f in RdfFormat} | {CONTEXT_FILE, VOID_FILE}


def test_an_unwritable_destination_is_an_error(tmp_path: Path, store: Store) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write") as info:
        export(store, RdfFormat.TURTLE, out=blocker / "x.ttl")
    assert "\n" not in str(info.value)


def test_write_atomic_keeps_the_old_file_when_the_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.ttl"
    write_atomic(path, b"old\n")

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(InputError, match="No space left on device"):
        write_atomic(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_an_empty_store_exports_empty_documents() -> None:
    empty = open_store("memory:")
    assert serialize(empty, RdfFormat.NQUADS) == b""
    assert json.loads(serialize(empty, RdfFormat.JSONLD))["@graph"] == []


# ---------------------------------------------------------------------------
# VoID and DCAT
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def void(exported: Path) -> Graph:
    path = exported / VOID_FILE
    return Graph().parse(path, format="turtle", publicID=path.as_uri())


def test_void_counts_triples_and_graphs(void: Graph, store: Store) -> None:
    dataset = URIRef(DATASET)
    assert void.value(dataset, VOID.triples) == Literal(quad_count(store), datatype=XSD.integer)
    assert {str(s) for s in void.objects(dataset, VOID.subset)} == set(data_graphs(store))
    for graph in data_graphs(store):
        assert int(void.value(URIRef(graph), VOID.triples)) == store.count(graph)


def test_void_counts_entities_per_class(void: Graph, store: Store) -> None:
    partitions = {
        str(void.value(p, VOID["class"])): int(void.value(p, VOID.entities))
        for p in void.objects(URIRef(DATASET), VOID.classPartition)
    }
    assert partitions == {c.cls: c.entities for c in stats(store).classes}
    assert partitions["https://w3id.org/clustergraph/ontology#Cluster"] > 0


def test_void_names_vocabularies_and_licence(void: Graph) -> None:
    dataset = URIRef(DATASET)
    vocabularies = {str(v) for v in void.objects(dataset, VOID.vocabulary)}
    assert {
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/2004/02/skos/core#",
        "https://w3id.org/clustergraph/ontology#",
        "http://www.w3.org/ns/prov#",
    } <= vocabularies
    assert not any(v.startswith("https://w3id.org/clustergraph/id/") for v in vocabularies)
    assert void.value(dataset, DCTERMS.license) == URIRef(LICENSE)
    assert (dataset, RDF.type, DCAT.Dataset) in void


def test_void_describes_each_distribution(void: Graph, exported: Path) -> None:
    distributions = list(void.objects(URIRef(DATASET), DCAT.distribution))
    assert len(distributions) == len(RdfFormat)
    media_types = set()
    for node in distributions:
        url = void.value(node, DCAT.downloadURL)
        assert url is not None and str(url).startswith(exported.as_uri() + "/"), url
        data = (exported / str(url).rsplit("/", 1)[1]).read_bytes()
        assert int(void.value(node, DCAT.byteSize)) == len(data)
        checksum = void.value(node, URIRef(SPDX + "checksum"))
        algorithm = void.value(checksum, URIRef(SPDX + "algorithm"))
        assert algorithm == URIRef(SPDX + "checksumAlgorithm_sha256")
        value = void.value(checksum, URIRef(SPDX + "checksumValue"))
        assert str(value) == hashlib.sha256(data).hexdigest()
        media_types.add(str(void.value(node, DCAT.mediaType)).rsplit("media-types/", 1)[1])
    assert media_types == {f.media_type for f in RdfFormat}


def test_void_download_urls_are_relative(exported: Path) -> None:
    text = (exported / VOID_FILE).read_text("utf-8")
    assert "<clustergraph.ttl>" in text and "file:" not in text and "@base" not in text
    assert rapper_count(exported / VOID_FILE, RdfFormat.TURTLE) > 0


# ---------------------------------------------------------------------------
# A larger store
# ---------------------------------------------------------------------------


_ENTITY = re.compile(
    r"(https://w3id\.org/clustergraph/id/"
    r"(?:org|person|membership|post|award|project|programme|document|event|figure|source|time)/)"
)


def scaled_store(store: Store, copies: int) -> OxigraphStore:
    """Return a store with ``copies`` renamed copies of each source graph, the rest once.

    The entities of each copy are new (``o:copy3-lcn``); the vocabularies are shared.
    """
    from clustergraph.project.layout import SOURCE_GRAPHS

    big = OxigraphStore()
    data = {}
    for graph in data_graphs(store):
        body = (
            ox.serialize(
                [q.triple for q in store.quads(graph=graph)], format=ox.RdfFormat.N_TRIPLES
            )
            or b""
        )
        if not graph.startswith(SOURCE_GRAPHS):
            data[graph] = body
            continue
        for k in range(copies):
            text = _ENTITY.sub(rf"\g<1>copy{k}-", body.decode()).replace(graph, f"{graph}-{k}")
            data[f"{graph}-{k}"] = text.encode()
    big.replace_graphs(data)
    return big


@pytest.mark.slow
def test_a_store_of_100k_triples_exports_losslessly(store: Store, tmp_path: Path) -> None:
    big = scaled_store(store, 120)
    assert big.count() > 100_000
    started = time.perf_counter()
    files = export_all(big, tmp_path)
    seconds = time.perf_counter() - started
    assert seconds < 120, f"export_all of {big.count()} quads took {seconds:.1f} s"
    quads = list(ox.parse(path=files[RdfFormat.NQUADS], format=ox.RdfFormat.N_QUADS))
    assert len(quads) == big.count()
    jsonld = list(ox.parse(path=files[RdfFormat.JSONLD], format=ox.RdfFormat.JSON_LD))
    assert len(jsonld) == big.count()
