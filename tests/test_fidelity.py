"""Fidelity: every valid value comes back as written from every stage, or is refused at load.

The refusals (a value the store would respell, a subtype it would not keep, a number it
cannot compute with, a character XML cannot carry) are files of ``files/bad`` driven by
``files/manifest.toml`` (``test_hardening.py``). Here: what loads is given back the same.

====================================  ================================================
kind                                  tests
====================================  ================================================
RDF 1.2 triple terms, annotations     ``test_rdf12_*`` (``files/rdf12/``): every format
                                      that holds them gives them back, JSON-LD and
                                      RDF/XML are refused in one line, the build
                                      leaves them out and says so
every export re-parses the same       ``test_every_export_*`` (pyoxigraph, and
                                      ``rapper`` for RDF/XML)
carriage returns in XML               ``test_xml_*``
numbers at the edges                  ``test_numbers_*``
language tags                         ``test_every_library_query_*``
====================================  ================================================
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.cli.main import main
from clustergraph.project.layout import SOURCE_GRAPHS, Project
from clustergraph.store.base import ResultsFormat, SelectResult
from clustergraph.store.results import write_results
from tests.test_hardening import FILES, MANIFEST, one_error_line, run, small_project

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RDF12 = FILES / "rdf12" / "annotations.ttl"
ENTITY12 = FILES / "rdf12" / "about-an-entity.ttl"
RESULTS = "{http://www.w3.org/2005/sparql-results#}"
ALL_QUADS = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
CLI = [sys.executable, "-m", "clustergraph"]


def _read(path: Path, graph: str) -> list[ox.Quad]:
    """Pyoxigraph's own reading of a source file, in graph ``graph``."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    fmt = ox.RdfFormat.from_extension(path.suffix[1:].lower())
    assert fmt is not None
    name = ox.NamedNode(graph)
    return [
        ox.Quad(q.subject, q.predicate, _lower_tag(q.object), name)
        for q in ox.parse(data, format=fmt, base_iri=graph)
    ]


def _lower_tag(term: ox.Term) -> ox.Term:
    """Tags up to case: RDF 1.1 compares them so, and the store keeps them lower-cased."""
    if isinstance(term, ox.Literal) and term.language:
        return ox.Literal(term.value, language=term.language.lower())
    if isinstance(term, ox.Triple):
        return ox.Triple(term.subject, term.predicate, _lower_tag(term.object))
    return term


def _canonical(quads: list[ox.Quad]) -> set[str]:
    """Return the quads as N-Quads lines, blank nodes labelled by RDFC-1.0."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def _graph_of(quads: list[ox.Quad], graph: str) -> list[ox.Quad]:
    return [
        q for q in quads if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == graph
    ]


def _parse_export(path: Path, graph: str) -> list[ox.Quad]:
    """Read an export again with pyoxigraph; a graph format's triples put in ``graph``."""
    fmt = ox.RdfFormat.from_extension(path.suffix[1:])
    assert fmt is not None
    name = ox.NamedNode(graph)
    quads = list(ox.parse(path.read_bytes(), format=fmt))
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD):
        return _graph_of(quads, graph)
    return [ox.Quad(q.subject, q.predicate, q.object, name) for q in quads]


# ---------------------------------------------------------------------------
# RDF 1.2
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rdf12(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Load a project of the RDF 1.2 file and the carriage return."""
    root = tmp_path_factory.mktemp("rdf12") / "project"
    small_project(root, [RDF12, FILES / "good" / "carriage-return.ttl"])
    assert main(["--root", str(root), "load"]) == 0
    return root


def test_rdf12_every_format_that_holds_triple_terms_gives_them_back(
    rdf12: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph = SOURCE_GRAPHS + "annotations"
    expected = _canonical(_read(RDF12, graph))
    assert sum("<<(" in line for line in expected) == 3  # two reifiers and one triple term
    code, out, err = run(
        capsys, "--root", str(rdf12), "export", "--format", "all", "--out", str(tmp_path / "x")
    )
    assert code == 0, err
    assert one_error_line(err) == (
        "clustergraph: note: JSON-LD and RDF/XML left out: the dataset holds RDF 1.2 triple "
        "terms, which they cannot hold (the other formats hold every statement)"
    )
    written = sorted(p.name for p in (tmp_path / "x").iterdir())
    assert written == [
        "clustergraph.nq", "clustergraph.nt", "clustergraph.trig", "clustergraph.ttl",
        "context.jsonld", "void.ttl",
    ]  # fmt: skip
    for name in ("clustergraph.nq", "clustergraph.trig"):
        assert _canonical(_parse_export(tmp_path / "x" / name, graph)) == expected, name
    for name in ("clustergraph.nt", "clustergraph.ttl"):
        # the union of every graph: the source's ground statements are in it, and its
        # statements with blank nodes are all those of the union
        found = _canonical(_parse_export(tmp_path / "x" / name, graph))
        assert {x for x in expected if "_:" not in x} <= found, name
        assert {x for x in found if "_:" in x} == {x for x in expected if "_:" in x}, name


@pytest.mark.parametrize("fmt", ["jsonld", "rdfxml"])
def test_rdf12_a_format_that_cannot_hold_triple_terms_is_refused_before_writing(
    fmt: str, rdf12: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"x.{fmt}"
    code, printed, err = run(
        capsys, "--root", str(rdf12), "export", "--format", fmt, "--out", str(out)
    )
    label = {"jsonld": "JSON-LD", "rdfxml": "RDF/XML"}[fmt]
    assert code == 2
    assert one_error_line(err) == (
        f"clustergraph: error: {label} cannot hold the RDF 1.2 triple terms of 3 statements "
        f"(the first in graph <{SOURCE_GRAPHS}annotations>): export as N-Quads, TriG, "
        "Turtle or N-Triples"
    )
    assert not out.exists() and printed == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["table", "md", "json", "xml", "csv", "tsv"])
def test_rdf12_query_results_hold_triple_terms_in_every_format(
    fmt: str, rdf12: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query = tmp_path / "terms.rq"
    query.write_text(
        "SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isTRIPLE(?o)) } ORDER BY STR(?s)\n"
    )
    code, out, err = run(capsys, "--root", str(rdf12), "query", str(query), "--format", fmt)
    assert code == 0, err
    inner = "https://example.org/a", "https://example.org/memberOf", "https://example.org/network"
    if fmt in ("table", "md", "tsv"):
        assert out.count("<<( <https://example.org/a> <https://example.org/memberOf>") == 2, out
        assert "<https://example.org/b>" in out
    elif fmt == "json":
        rows = json.loads(out)["results"]["bindings"]
        triples = [r["o"]["value"] for r in rows]
        assert all(r["o"]["type"] == "triple" for r in rows) and len(rows) == 3
        assert (
            sum(
                tuple(t[k]["value"] for k in ("subject", "predicate", "object")) == inner
                for t in triples
            )
            == 2
        )
    elif fmt == "xml":
        found = ET.fromstring(out.encode()).findall(f".//{RESULTS}triple")
        assert len(found) == 3
    else:
        assert out.count(" ".join(inner)) == 2, out


def test_rdf12_results_read_from_elsewhere_are_written_as_oxigraph_writes_them() -> None:
    """A remote store's answer is written again by the library's writers: the same rows."""
    store = ox.Store()
    store.load(RDF12.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri="https://e/g")
    answer = store.query("SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isTRIPLE(?o)) }")
    rows = tuple(tuple(s[v] for v in ("s", "o")) for s in answer)  # type: ignore[union-attr]
    result = SelectResult(("s", "o"), rows)
    for fmt in (ResultsFormat.JSON, ResultsFormat.XML, ResultsFormat.TSV):
        written = write_results(result, fmt)
        again = ox.parse_query_results(written, format=fmt.oxigraph)
        assert [tuple(s[v] for v in ("s", "o")) for s in again] == list(rows), fmt  # type: ignore[union-attr]
    theirs = store.query("SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isTRIPLE(?o)) }")
    assert write_results(result, ResultsFormat.CSV) == theirs.serialize(
        format=ox.QueryResultsFormat.CSV
    )  # type: ignore[union-attr]


@pytest.mark.slow
def test_rdf12_the_build_writes_what_can_hold_them_and_says_what_it_left_out(
    project_copy: Project,
) -> None:
    """The repository's data and a source stating RDF 1.2 about one of its entities."""
    root = project_copy.root
    shutil.copyfile(ENTITY12, root / "data/sources" / ENTITY12.name)
    done = subprocess.run(
        [*CLI, "--root", str(root), "build", "--store", "memory:"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "JSON-LD and RDF/XML left out: the dataset holds RDF 1.2 triple terms" in done.stdout
    exports = root / "build" / "exports"
    assert not (exports / "clustergraph.jsonld").exists()
    assert not (exports / "clustergraph.rdf").exists()
    graph = SOURCE_GRAPHS + ENTITY12.stem
    expected = _canonical(_read(ENTITY12, graph))
    assert _canonical(_parse_export(exports / "clustergraph.nq", graph)) == expected
    site = root / "build" / "site"
    downloads = (site / "downloads.html").read_text(encoding="utf-8")
    assert "clustergraph.nq" in downloads and "clustergraph.jsonld" not in downloads
    page = (site / "entity/org/ftd-lt.html").read_text(encoding="utf-8")
    assert "&lt;&lt;( FTD LT cg:coordinatedBy Alytus Business Advisory Center )&gt;&gt;" in page
    assert "no JSON-LD: it cannot hold this entity's RDF 1.2 statements" in page
    assert (site / "entity/org/ftd-lt.ttl").is_file()
    assert not (site / "entity/org/ftd-lt.jsonld").exists()
    turtle = (site / "entity/org/ftd-lt.ttl").read_bytes()
    assert any(
        isinstance(t.object, ox.Triple) for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE)
    )


# ---------------------------------------------------------------------------
# Every export, read again by pyoxigraph and rapper
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("good") / "project"
    small_project(root, [FILES / "good" / name for name in MANIFEST["good"]])
    assert main(["--root", str(root), "load"]) == 0
    out = root / "exports"
    assert main(["--root", str(root), "export", "--format", "all", "--out", str(out)]) == 0
    return root, out


@pytest.mark.parametrize("name", sorted(MANIFEST["good"]))
@pytest.mark.parametrize("export", ["clustergraph.nq", "clustergraph.trig", "clustergraph.jsonld"])
def test_every_export_of_a_good_file_reparses_to_the_same_quads(
    name: str, export: str, good: tuple[Path, Path]
) -> None:
    _, out = good
    graph = SOURCE_GRAPHS + Path(name).stem
    expected = _canonical(_read(FILES / "good" / name, graph))
    assert _canonical(_parse_export(out / export, graph)) == expected


@pytest.mark.parametrize("export", ["clustergraph.nt", "clustergraph.ttl", "clustergraph.rdf"])
def test_every_export_as_the_union_reparses_to_the_same_triples(
    export: str, good: tuple[Path, Path]
) -> None:
    """The union formats hold the same triples as the N-Quads export (pyoxigraph)."""
    _, out = good
    quads = list(ox.parse((out / "clustergraph.nq").read_bytes(), format=ox.RdfFormat.N_QUADS))
    union = _canonical([ox.Quad(q.subject, q.predicate, q.object) for q in quads])
    found = _canonical(_parse_export(out / export, "urn:x"))
    assert {line.replace(" <urn:x>", "") for line in found} == union


@pytest.mark.skipif(
    shutil.which("rapper") is None, reason="rapper (raptor2-utils) is not installed: make system"
)
def test_every_export_in_rdf_xml_reads_the_same_with_rapper(good: tuple[Path, Path]) -> None:
    _, out = good
    done = subprocess.run(
        ["rapper", "-q", "-i", "rdfxml", "-o", "ntriples", str(out / "clustergraph.rdf")],
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    theirs = _canonical(
        [
            ox.Quad(t.subject, t.predicate, t.object)
            for t in ox.parse(done.stdout, format=ox.RdfFormat.N_TRIPLES)
        ]
    )
    ours = _canonical(
        [
            ox.Quad(t.subject, t.predicate, t.object)
            for t in ox.parse((out / "clustergraph.nt").read_bytes(), format=ox.RdfFormat.N_TRIPLES)
        ]
    )
    assert theirs == ours
    assert any("line one\\r\\nline two\\rline three\\tcolumn" in line for line in theirs)


# ---------------------------------------------------------------------------
# XML
# ---------------------------------------------------------------------------

CR_LABEL = "line one\r\nline two\rline three\tcolumn"


def test_xml_results_keep_a_carriage_return(
    rdf12: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query = tmp_path / "cr.rq"
    query.write_text(
        "SELECT ?l WHERE { GRAPH ?g { <https://example.org/cr> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l } }\n"
    )
    code, out, err = run(capsys, "--root", str(rdf12), "query", str(query), "--format", "xml")
    assert code == 0, err
    texts = [e.text for e in ET.fromstring(out.encode()).iter(f"{RESULTS}literal")]
    assert texts == [CR_LABEL]
    code, out, err = run(capsys, "--root", str(rdf12), "query", str(query), "--format", "json")
    assert [b["l"]["value"] for b in json.loads(out)["results"]["bindings"]] == [CR_LABEL]


def test_xml_results_read_from_elsewhere_keep_a_carriage_return() -> None:
    result = SelectResult(("l",), ((ox.Literal(CR_LABEL),),))
    written = write_results(result, ResultsFormat.XML)
    assert [e.text for e in ET.fromstring(written).iter(f"{RESULTS}literal")] == [CR_LABEL]


def test_xml_rdf_export_keeps_a_carriage_return(good: tuple[Path, Path]) -> None:
    _, out = good
    tree = ET.parse(out / "clustergraph.rdf")
    labels = [e.text for e in tree.iter("{http://www.w3.org/2000/01/rdf-schema#}label")]
    assert CR_LABEL in labels


# ---------------------------------------------------------------------------
# Numbers at the edges of what the store computes with
# ---------------------------------------------------------------------------


def test_numbers_at_the_edges_are_compared_and_ordered_by_value(
    good: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = good
    query = tmp_path / "numbers.rq"
    query.write_text(
        "SELECT ?v ?next ?positive WHERE { GRAPH ?g { <https://example.org/a> "
        "?p ?v FILTER(isNUMERIC(?v)) } BIND(?v + 1 AS ?next) BIND(?v >= 0 AS ?positive) } "
        "ORDER BY ?v\n"
    )
    code, out, err = run(capsys, "--root", str(root), "query", str(query), "--format", "csv")
    assert code == 0, err
    rows = [line.split(",") for line in out.splitlines()[1:]]
    assert [r[0] for r in rows] == [
        "-INF", "-9223372036854775808", "-7", "0.25", "1.5", "2.5", "42",
        "9223372036854775807", "99999999999999999999.000000000000000001",
    ]  # fmt: skip
    # every value computes (the largest integer plus one leaves the integers: unbound)
    assert all(r[2] in ("true", "false") for r in rows), rows
    assert all(r[1] for r in rows if r[0] != "9223372036854775807"), rows


# ---------------------------------------------------------------------------
# Language tags
# ---------------------------------------------------------------------------

_LANG = re.compile(r"LANG\s*\(", re.IGNORECASE)
_SAFE = re.compile(
    r"(?:LANGMATCHES\s*\(\s*|LCASE\s*\(\s*)LANG\s*\(|LANG\s*\(\s*[?{]\w+\}?\s*\)\s*!?=\s*\"\"",
    re.IGNORECASE,
)


def test_every_library_query_compares_language_tags_without_regard_to_case() -> None:
    """The store keeps tags lower-cased (``en-GB`` as ``en-gb``): no query may miss by case.

    Every ``LANG(...)`` of the library's queries (``queries/``, the checks, the queries
    the package runs itself) sits inside ``LANGMATCHES`` or ``LCASE``, or is compared
    with the empty string.
    """
    texts = [p for p in (REPO / "queries").rglob("*.rq")]
    texts += [p for p in (REPO / "src").rglob("*.rq")]
    texts += [p for p in (REPO / "src").rglob("*.py")]
    # the warning for queries that do otherwise quotes such a comparison
    texts.remove(REPO / "src/clustergraph/queries/run.py")
    unsafe = []
    for path in texts:
        text = path.read_text(encoding="utf-8")
        for match in _LANG.finditer(text):
            start = match.start()
            if (
                text[start - 4 : start].upper() == "LANG" or text[start - 1].isalnum()
            ):  # LANGMATCHES(
                continue
            window = text[max(0, start - 20) : start + 40]
            if not _SAFE.search(window):
                unsafe.append(f"{path.relative_to(REPO)}: {window!r}")
    assert unsafe == []
    assert len(texts) > 10


def test_a_query_comparing_a_tag_in_upper_case_is_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``LANG(?l) = "en-GB"`` matches nothing on this store: the command says so, and how."""
    root = tmp_path / "p"
    small_project(root, [FILES / "good" / "languages.ttl"])
    label = "<http://www.w3.org/2004/02/skos/core#altLabel>"
    strict = tmp_path / "strict.rq"
    strict.write_text(
        f'SELECT ?l WHERE {{ GRAPH ?g {{ ?s {label} ?l }} FILTER(LANG(?l) = "en-GB") }}\n'
    )
    code, out, err = run(capsys, "--root", str(root), "query", str(strict), "--format", "csv")
    assert code == 0 and out.splitlines() == ["l"]
    assert one_error_line(err) == (
        'clustergraph: warning: LANG(?l) = "en-GB" matches nothing: the store keeps language '
        'tags in lower case ("en-gb"); write LANGMATCHES(LANG(?l), "en-GB")'
    )
    matching = tmp_path / "matching.rq"
    matching.write_text(
        f"SELECT ?l WHERE {{ GRAPH ?g {{ ?s {label} ?l }} "
        'FILTER(LANGMATCHES(LANG(?l), "en-GB")) }\n'
    )
    code, out, err = run(capsys, "--root", str(root), "query", str(matching), "--format", "csv")
    assert code == 0 and out.splitlines() == ["l", "colour"] and err == ""


def test_the_python_front_door_warns_of_a_tag_in_upper_case(tmp_path: Path) -> None:
    import clustergraph

    root = tmp_path / "p"
    small_project(root, [FILES / "good" / "languages.ttl"])
    kg = clustergraph.open(root, store="memory:")
    label = "<http://www.w3.org/2004/02/skos/core#altLabel>"
    with pytest.warns(UserWarning, match=r'LANG\(\?l\) = "en-GB" matches nothing'):
        rows = kg.query(f'SELECT ?l {{ GRAPH ?g {{ ?s {label} ?l }} FILTER(LANG(?l) = "en-GB") }}')
    assert rows.rows == ()  # type: ignore[union-attr]
