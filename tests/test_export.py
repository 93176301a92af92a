"""Exports in six formats: lossless round trips, an independent parser, atomic files, VoID.

Every export is parsed back by rdflib and compared with what was exported (graph by
graph for the formats with named graphs, the union for the others), and counted by a
second, independent parser: raptor's ``rapper`` (Debian ``raptor2-utils``), which has no
JSON-LD parser, so JSON-LD is checked with pyoxigraph instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from clustergraph.cli.main import main
from clustergraph.errors import InputError
from clustergraph.pipeline.export import (
    CONTEXT_FILE,
    RdfFormat,
    export,
    export_all,
    jsonld_context,
    serialize,
)
from clustergraph.pipeline.load import named_graphs, union_graph
from clustergraph.pipeline.stats import stats
from clustergraph.pipeline.void import DATASET, LICENSE, SPDX, VOID_FILE
from clustergraph.project.files import write_atomic
from clustergraph.rdf.terms import to_rdflib

pytestmark = [
    pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning"),
    # rdflib's own TriG and JSON-LD parsers still build a ConjunctiveGraph.
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Path:
    """Every format, the context and the description, written once for the module."""
    directory = tmp_path_factory.mktemp("export")
    export_all(dataset, directory)
    return directory


def quad_count(dataset: Dataset) -> int:
    return sum(len(g) for g in named_graphs(dataset))


def expected_count(dataset: Dataset, fmt: RdfFormat) -> int:
    return quad_count(dataset) if fmt.supports_datasets else len(union_graph(dataset))


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


@pytest.mark.parametrize("fmt", list(RdfFormat), ids=lambda f: f.value)
def test_an_export_parsed_back_is_what_was_exported(
    fmt: RdfFormat, exported: Path, dataset: Dataset
) -> None:
    path = exported / fmt.file_name
    if fmt.supports_datasets:
        back = Dataset()
        back.parse(path, format=fmt.rdflib_format)
        names = {str(g.identifier) for g in named_graphs(back) if len(g)}
        assert names == {str(g.identifier) for g in named_graphs(dataset)}
        for graph in named_graphs(dataset):
            assert isomorphic(graph, back.graph(graph.identifier)), graph.identifier
        assert len(back.default_graph) == 0
    else:
        back_graph = Graph().parse(path, format=fmt.rdflib_format)
        assert isomorphic(back_graph, union_graph(dataset))


@pytest.mark.parametrize("fmt", [f for f in RdfFormat if f.rapper_format], ids=lambda f: f.value)
def test_rapper_counts_the_same_triples(fmt: RdfFormat, exported: Path, dataset: Dataset) -> None:
    assert rapper_count(exported / fmt.file_name, fmt) == expected_count(dataset, fmt)


def test_rapper_has_no_json_ld_parser() -> None:
    assert RdfFormat.JSONLD.rapper_format is None
    help_text = subprocess.run(["rapper", "-h"], capture_output=True, text=True, check=False)
    parsers = help_text.stdout.split("-o FORMAT")[0]
    assert "json-ld" not in parsers.lower() and "jsonld" not in parsers.lower()


@pytest.mark.parametrize("fmt", list(RdfFormat), ids=lambda f: f.value)
def test_pyoxigraph_reads_every_export_the_same(
    fmt: RdfFormat, exported: Path, dataset: Dataset
) -> None:
    """A second parser for every format, and the only one besides rdflib for JSON-LD."""
    path = exported / fmt.file_name
    quads = list(ox.parse(path=path, format=ox.RdfFormat.from_media_type(fmt.media_type)))
    assert len(quads) == expected_count(dataset, fmt)
    if fmt.supports_datasets:
        by_graph: dict[str, Graph] = {}
        bnodes: dict = {}
        for q in quads:
            assert isinstance(q.graph_name, ox.NamedNode), q
            graph = by_graph.setdefault(q.graph_name.value, Graph())
            graph.add(tuple(to_rdflib(t, bnodes) for t in (q.subject, q.predicate, q.object)))
        assert set(by_graph) == {str(g.identifier) for g in named_graphs(dataset)}
        for graph in named_graphs(dataset):
            assert isomorphic(graph, by_graph[str(graph.identifier)]), graph.identifier


def test_exports_are_reproducible(dataset: Dataset, exported: Path) -> None:
    for fmt in RdfFormat:
        assert serialize(dataset, fmt) == (exported / fmt.file_name).read_bytes(), fmt


def test_jsonld_is_compacted_with_the_published_context(exported: Path) -> None:
    doc = json.loads((exported / RdfFormat.JSONLD.file_name).read_text("utf-8"))
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


def test_union_formats_hold_each_triple_once(dataset: Dataset, exported: Path) -> None:
    lines = (exported / RdfFormat.NTRIPLES.file_name).read_text("utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(union_graph(dataset)) < quad_count(dataset)


def test_export_to_standard_output(project, dataset: Dataset, capsys) -> None:
    code = main(["--root", str(project.root), "export", "--format", "nquads"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.encode() == serialize(dataset, RdfFormat.NQUADS)
    assert out.count("\n") == quad_count(dataset)


def test_export_cli_writes_the_file(tmp_path: Path, project, dataset: Dataset, capsys) -> None:
    out = tmp_path / "deep" / "graph.trig"
    assert main(["--root", str(project.root), "export", "--format", "trig", "--out", str(out)]) == 0
    assert out.read_bytes() == serialize(dataset, RdfFormat.TRIG)
    assert [p.name for p in out.parent.iterdir()] == ["graph.trig"]  # no temporary file left


def test_export_all_from_the_cli(tmp_path: Path, project, capsys) -> None:
    code = main(["--root", str(project.root), "export", "--format", "all", "--out", str(tmp_path)])
    assert code == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {f.file_name for f in RdfFormat} | {CONTEXT_FILE, VOID_FILE}
    assert main(["--root", str(project.root), "export", "--format", "all"]) == 2
    assert "--out" in capsys.readouterr().err


def test_an_unwritable_destination_is_an_error(tmp_path: Path, project, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = main(
        ["--root", str(project.root), "export", "--format", "turtle", "--out", f"{blocker}/x.ttl"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("clustergraph: error: ") and err.count("\n") == 1


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


def test_write_atomic_never_shows_a_partial_file(tmp_path: Path, dataset: Dataset) -> None:
    path = tmp_path / "g.nq"
    export(dataset, RdfFormat.NQUADS, out=path)
    before = os.stat(path).st_ino
    export(dataset, RdfFormat.NQUADS, out=path)
    assert os.stat(path).st_ino != before  # a new file was renamed over the old one


# ---------------------------------------------------------------------------
# VoID and DCAT
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def void(exported: Path) -> Graph:
    path = exported / VOID_FILE
    return Graph().parse(path, format="turtle", publicID=path.as_uri())


def test_void_counts_triples_and_graphs(void: Graph, dataset: Dataset) -> None:
    assert void.value(DATASET, VOID.triples) == Literal(quad_count(dataset), datatype=XSD.integer)
    subsets = set(void.objects(DATASET, VOID.subset))
    assert subsets == {g.identifier for g in named_graphs(dataset)}
    for graph in named_graphs(dataset):
        assert int(void.value(graph.identifier, VOID.triples)) == len(graph)


def test_void_counts_entities_per_class(void: Graph, dataset: Dataset) -> None:
    partitions = {
        void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
        for p in void.objects(DATASET, VOID.classPartition)
    }
    assert partitions == {c.cls: c.entities for c in stats(dataset).classes}
    assert partitions[URIRef("https://w3id.org/clustergraph/ontology#Cluster")] > 0


def test_void_names_vocabularies_and_licence(void: Graph) -> None:
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert {
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/2004/02/skos/core#",
        "https://w3id.org/clustergraph/ontology#",
        "http://www.w3.org/ns/prov#",
    } <= vocabularies
    assert not any(v.startswith("https://w3id.org/clustergraph/id/") for v in vocabularies)
    assert void.value(DATASET, DCTERMS.license) == LICENSE
    assert (DATASET, RDF.type, DCAT.Dataset) in void


def test_void_describes_each_distribution(void: Graph, exported: Path) -> None:
    distributions = list(void.objects(DATASET, DCAT.distribution))
    assert len(distributions) == len(RdfFormat)
    media_types = set()
    for node in distributions:
        url = void.value(node, DCAT.downloadURL)
        assert url is not None and str(url).startswith(exported.as_uri() + "/"), url
        path = exported / str(url).rsplit("/", 1)[1]
        data = path.read_bytes()
        assert int(void.value(node, DCAT.byteSize)) == len(data)
        checksum = void.value(node, SPDX.checksum)
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        media_types.add(str(void.value(node, DCAT.mediaType)).rsplit("media-types/", 1)[1])
    assert media_types == {f.media_type for f in RdfFormat}


def test_void_download_urls_are_relative(exported: Path) -> None:
    text = (exported / VOID_FILE).read_text("utf-8")
    assert "<clustergraph.ttl>" in text and "file:" not in text
    assert rapper_count(exported / VOID_FILE, RdfFormat.TURTLE) > 0
