"""Hardening: every well-formed file loads as written, every bad one gets one line, no debris.

Driven by the small files of ``tests/files/`` (``manifest.toml`` says what each must do)
and by real faults: a subprocess sent SIGINT or SIGKILL, a file size limit that makes a
write fail halfway, a port nothing listens on, an Oxigraph server on 127.0.0.1.

====================================  ================================================
kind                                  tests
====================================  ================================================
loading exactly as written            ``test_good_files_load_and_round_trip_*``,
                                      ``test_what_the_store_keeps_of_a_good_file``,
                                      ``test_a_dates_time_zone_is_queried_as_written``,
                                      ``test_the_projects_literals_come_back_*``,
                                      ``test_language_tags_answer_the_same_up_to_case``
well-formed values, bad files         ``test_a_bad_file_is_one_line_with_its_exit_code``
                                      (every file of ``files/bad``),
                                      ``test_validate_and_build_refuse_a_bad_file_*``,
                                      ``test_a_literal_too_large_*``
one line for every error              ``test_a_bug_is_one_line_and_exit_2``,
                                      ``test_a_file_the_system_cannot_write_is_one_line``
Ctrl-C and SIGTERM                    ``test_ctrl_c_during_build_is_one_line_and_130``
no debris: the build's swap           ``test_directory_*``, ``test_a_build_killed_*``,
                                      ``test_temporary_files_of_killed_writes_*``
no debris: exports                    ``test_export_all_*``
no debris: pushes                     ``test_push_to_a_port_that_refuses_*``; more in
                                      ``test_push.py`` (staging graphs, ``--clean``)
reproducible outputs                  ``test_two_builds_write_the_same_bytes``
spreadsheet-safe CSV                  ``test_analysis_csv_*``,
                                      ``test_query_csv_stays_the_w3c_format``
====================================  ================================================
"""

from __future__ import annotations

import csv
import io
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import clustergraph.project.files as files
from clustergraph.cli.main import main
from clustergraph.network.measures import analyze
from clustergraph.network.report import centrality_csv, spreadsheet_cell, write_report
from clustergraph.project.layout import SOURCE_GRAPHS, Project
from clustergraph.rdf.formats import RdfFormat
from tests.support.servers import free_port

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
MANIFEST = tomllib.loads((FILES / "manifest.toml").read_text(encoding="utf-8"))
CLI = [sys.executable, "-m", "clustergraph"]
XSD = "http://www.w3.org/2001/XMLSchema#"
ONTOLOGY = "<https://example.org/ontology> a <http://www.w3.org/2002/07/owl#Ontology> .\n"


def small_project(root: Path, sources: list[Path]) -> Project:
    """Make a project of a one-triple ontology, no shapes, vocabulary or query, and ``sources``."""
    for folder in ("ontology", "data/vocab", "data/sources", "queries"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "ontology/clustergraph.ttl").write_text(ONTOLOGY, encoding="utf-8")
    (root / "ontology/shapes.ttl").write_text(ONTOLOGY, encoding="utf-8")  # no shapes
    for path in sources:
        shutil.copyfile(path, root / "data/sources" / path.name)
    return Project(root)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


# ---------------------------------------------------------------------------
# Loading exactly as written: the good files
# ---------------------------------------------------------------------------


def _key(term: object) -> object:
    """Compare literals term by term, language tags up to case (RDF 1.1 compares them so)."""
    if isinstance(term, Literal) and term.language:
        return Literal(str(term), lang=term.language.lower())
    return term


def _normal(triples: object) -> Graph:
    graph = Graph()
    for s, p, o in triples:  # type: ignore[attr-defined]
        graph.add((_key(s), p, _key(o)))  # type: ignore[arg-type]
    return graph


def _rdflib_reading(path: Path, graph: str) -> Graph:
    """Rdflib's reading of a good file, with the graph's IRI as the base."""
    fmt = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    dataset = Dataset()
    dataset.parse(data=data, format=fmt[path.suffix.lower()[1:]], publicID=graph)
    return _normal((s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None)))


@pytest.fixture(scope="module")
def good_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    """Load every good file into one project, and export it in every format."""
    root = tmp_path_factory.mktemp("good") / "project"
    project = small_project(root, [FILES / "good" / name for name in MANIFEST["good"]])
    assert main(["--root", str(root), "load"]) == 0
    out = root / "exports"
    assert main(["--root", str(root), "export", "--format", "all", "--out", str(out)]) == 0
    return project, out


def _dataset(path: Path, fmt: RdfFormat) -> Dataset:
    dataset = Dataset()
    dataset.parse(path, format=fmt.rdflib_format)
    return dataset


@pytest.mark.parametrize("name", sorted(MANIFEST["good"]))
@pytest.mark.parametrize("fmt", [RdfFormat.NQUADS, RdfFormat.TRIG, RdfFormat.JSONLD])
def test_good_files_load_and_round_trip_graph_by_graph(
    name: str, fmt: RdfFormat, good_export: tuple[Project, Path]
) -> None:
    project, out = good_export
    graph = SOURCE_GRAPHS + Path(name).stem
    expected = _rdflib_reading(FILES / "good" / name, graph)
    exported = _dataset(out / f"clustergraph.{fmt.file_extension}", fmt)
    found = _normal(exported.graph(URIRef(graph)))
    assert len(found) == len(expected) > 0
    assert isomorphic(found, expected), (name, fmt)


@pytest.mark.parametrize("fmt", [RdfFormat.TURTLE, RdfFormat.NTRIPLES, RdfFormat.RDFXML])
def test_good_files_load_and_round_trip_as_the_union(
    fmt: RdfFormat, good_export: tuple[Project, Path]
) -> None:
    project, out = good_export
    union = Graph()
    for name in MANIFEST["good"]:
        union += _rdflib_reading(FILES / "good" / name, SOURCE_GRAPHS + Path(name).stem)
    exported = Graph().parse(out / f"clustergraph.{fmt.file_extension}", format=fmt.rdflib_format)
    # the export holds the derived graphs too: every stated triple is in it
    found = _normal(exported)
    ground = {t for t in union if not any(isinstance(x, BNode) for x in t)}
    assert ground <= set(found)
    assert len([t for t in union if isinstance(t[0], BNode)]) == len(
        [t for t in found if isinstance(t[0], BNode)]
    )


def test_what_the_store_keeps_of_a_good_file(good_export: tuple[Project, Path]) -> None:
    """Time zones, lexical forms and datatypes as written; tags lower-case."""
    _, out = good_export
    text = (out / "clustergraph.nq").read_text(encoding="utf-8")
    for kept in (
        f'"2021-03-05+02:00"^^<{XSD}date>',
        f'"2021-05:00"^^<{XSD}gYear>',
        f'"--02-29"^^<{XSD}gMonthDay>',
        '"Paužolis"@lt',
        f"<{SOURCE_GRAPHS}relative-to-graph#fragment>",
        "<https://example.org/b>",
        f"<{SOURCE_GRAPHS}upper-case>",
    ):
        assert kept in text, kept
    # numbers as written (a source is refused where the store would respell them)
    assert f'"9223372036854775807"^^<{XSD}integer>' in text
    assert f'"99999999999999999999.000000000000000001"^^<{XSD}decimal>' in text
    assert '"line one\\r\\nline two\\rline three\\tcolumn"' in text
    assert '"colour"@en-gb' in text


def test_a_dates_time_zone_is_queried_as_written(
    good_export: tuple[Project, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, _ = good_export
    query = tmp_path / "zones.rq"
    query.write_text(
        "#+ summary: time zones.\n#+ tags:\n#+   - test\n\n"
        f"SELECT ?zone WHERE {{ GRAPH <{SOURCE_GRAPHS}time-zones> {{ ?a <https://example.org/date> "
        "?d } BIND(TZ(?d) AS ?zone) } ORDER BY ?zone\n"
    )
    code, out, err = run(
        capsys, "--root", str(project.root), "query", str(query), "--format", "csv"
    )
    assert code == 0, err
    assert out.splitlines() == ["zone", "", "+02:00", "Z"]  # 2021-03-06 has no zone


def test_the_projects_literals_come_back_from_the_store_as_written(project: Project) -> None:
    """The data writes numbers, booleans and dates in canonical form, so none is rewritten."""
    from clustergraph.rdf.parse import parse_file

    for path in project.dataset_files():
        graph = project.graph_of(path)
        triples = parse_file(path, graph=graph, shown=project.relpath(path))
        store = ox.Store()
        store.extend(
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in triples
        )
        kept = {q.triple for q in store}
        rewritten = [str(t.object) for t in triples if t not in kept]
        assert rewritten == [], f"{project.relpath(path)}: write these in canonical form"


def test_language_tags_answer_the_same_up_to_case(tmp_path: Path, capsys) -> None:
    """The library asks for tags with LANGMATCHES or LCASE: written case does not matter."""
    repo = Project.discover(HERE)
    root = tmp_path / "p"
    project = small_project(root, [FILES / "good" / "languages.ttl"])
    shutil.rmtree(project.root / "queries")
    shutil.copytree(repo.root / "queries", project.root / "queries")
    code, out, err = run(capsys, "--root", str(root), "query", "entity-aliases", "--format", "csv")
    assert code == 0, err
    assert "colour,en-gb" in out and "color,en-us" in out


# ---------------------------------------------------------------------------
# Bad files: one line, the documented exit code
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", MANIFEST["bad"], ids=[c["file"] for c in MANIFEST["bad"]])
def test_a_bad_file_is_one_line_with_its_exit_code(case: dict, tmp_path: Path, capsys) -> None:
    root = tmp_path / "p"
    small_project(root, [FILES / "bad" / case["file"]])
    code, out, err = run(capsys, "--root", str(root), "load")
    line = one_error_line(err)
    assert code == case["exit"], err
    prefix = f"clustergraph: error: data/sources/{case['file']}:"
    assert line.startswith(prefix), line
    assert re.match(case["message"], line[len(prefix) :]), line
    assert "Parser error" not in line and not re.search(r"line \d+ column", line)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["validate", "build"])
def test_validate_and_build_refuse_a_bad_file_with_one_line(command: str, tmp_path: Path) -> None:
    root = tmp_path / "p"
    small_project(root, [FILES / "bad" / "impossible-day.ttl"])
    done = subprocess.run(
        [*CLI, "--root", str(root), command], capture_output=True, text=True, timeout=120
    )
    line = one_error_line(done.stderr)
    assert done.returncode == 2, done.stderr
    assert 'data/sources/impossible-day.ttl:4:5: "2021-02-30" is not a valid xsd:date' in line
    assert not list(root.glob(".build-*"))


@pytest.mark.slow
def test_a_literal_too_large_to_parse_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = tmp_path / "p"
    small_project(root, [])
    huge = root / "data/sources/huge.ttl"
    with huge.open("wb") as stream:
        stream.write(
            b"<> <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:x:a> .\n<urn:x:s> <urn:x:p>\n"
        )
        stream.write(b'  "' + b"x" * (17 * 1024 * 1024) + b'" .\n')
    done = subprocess.run(
        [*CLI, "--root", str(root), "validate"], capture_output=True, text=True, timeout=300
    )
    if done.returncode == 0:  # the parser took it whole: then it is loaded whole
        return
    line = one_error_line(done.stderr)
    assert done.returncode == 2
    assert re.match(r"clustergraph: error: data/sources/huge\.ttl:3:3: ", line), line


# ---------------------------------------------------------------------------
# Ctrl-C
# ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sent", "code", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
    ids=["SIGINT", "SIGTERM"],
)
def test_ctrl_c_during_build_is_one_line_and_130(
    sent: signal.Signals, code: int, said: str, tmp_path: Path
) -> None:
    """Ctrl-C (and SIGTERM): one line, its exit code, the previous build kept, no debris."""
    root = tmp_path / "p"
    small_project(root, [FILES / "good" / name for name in ("numbers.ttl", "languages.ttl")])
    (root / "build").mkdir()
    (root / "build" / "previous.txt").write_text("the previous build\n")
    for delay in (0.0, 1.5, 4.0):
        process = subprocess.Popen(
            [*CLI, "--root", str(root), "build", "--store", "memory:"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Wait for the first stage line (the build has begun), then a little more.
        assert process.stdout is not None
        first = process.stdout.readline()
        time.sleep(delay)
        process.send_signal(sent)
        out, err = process.communicate(timeout=120)
        if process.returncode == 0:
            continue  # it finished first
        if process.returncode == -sent and "build finished" in out:
            continue  # it finished, and the signal came as the interpreter exited
        assert first.lstrip("[ ").startswith("1/"), first + out + err
        # A shell shows a process ended by the signal itself as the same code (128 + N).
        assert process.returncode in (code, -sent), err
        assert one_error_line(err) == f"clustergraph: {said}"
        assert (root / "build" / "previous.txt").is_file()
        assert not [p for p in root.iterdir() if p.name.startswith(".build-")]


# ---------------------------------------------------------------------------
# No debris: the atomic directory replace (build/ and export --format all)
# ---------------------------------------------------------------------------


def _fill(directory: Path, text: str) -> None:
    (directory / "a.txt").write_text(text)
    (directory / "sub").mkdir()
    (directory / "sub" / "b.txt").write_text(text)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_directory_replace_leaves_only_the_new_directory(
    exchange: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "_use_exchange", exchange)
    out = tmp_path / "build"
    for text in ("first", "second"):
        staging = files.staging_directory(out)
        assert staging.parent == tmp_path and staging.name.startswith(f".build-{os.getpid()}-")
        _fill(staging, text)
        files.replace_directory(staging, out)
    assert (out / "sub" / "b.txt").read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["build"]


def test_directory_leftovers_of_dead_processes_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)
    for name in (f".build-{pid}-abcd1234.tmp", ".build-abcd1234.tmp", f".build-{pid}-x.old"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "big").write_bytes(b"x" * 1000)
    alive = tmp_path / f".build-{os.getppid()}-live0000.tmp"  # a build still running
    alive.mkdir()
    files.staging_directory(out)
    left = sorted(
        p.name for p in tmp_path.iterdir() if not p.name.startswith(f".build-{os.getpid()}-")
    )
    assert left == [alive.name, "build"]


_KILL_IN_SWAP = """\
import os, signal, sys
from pathlib import Path
import clustergraph.project.files as files
files._use_exchange = sys.argv[2] == "exchange"
kill = lambda: os.kill(os.getpid(), signal.SIGKILL)
files._between_renames = kill
files._after_exchange = kill
from clustergraph.cli.main import main
sys.exit(main(["--root", sys.argv[1], "build", "--store", "memory:", "--quiet"]))
"""


def _kill_in_swap(root: Path, mode: str) -> None:
    """Run a build of ``root`` that SIGKILLs itself inside the swap of build/."""
    done = subprocess.run(
        [sys.executable, "-c", _KILL_IN_SWAP, str(root), mode],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_build_killed_inside_the_swap_keeps_a_build(exchange: bool, tmp_path: Path) -> None:
    """SIGKILL in the swap window: the project has a build/, and the next build tidies up."""
    root = tmp_path / "p"
    small_project(root, [FILES / "good" / "numbers.ttl"])
    (root / "build").mkdir()
    (root / "build" / "previous.txt").write_text("the previous build\n")
    mode = "exchange" if exchange else "renames"
    _kill_in_swap(root, mode)
    if exchange:  # killed after the exchange: the new build is in place
        assert (root / "build" / "site").is_dir()
    else:  # killed between the renames: no build/ for now, the old one aside
        assert not (root / "build").exists()
        assert list(root.glob(".build-*.old"))
    # The next start puts the old build back (or keeps the new one) and removes the rest.
    files.recover_directory(root / "build")
    assert (root / "build").is_dir()
    if not exchange:
        assert (root / "build" / "previous.txt").is_file()
    assert not [p for p in root.iterdir() if p.name.startswith(".build-")]
    # ... and the next build does it as it starts: leave the debris again, then build. A build
    # with nothing changed does nothing (no swap), so its site is taken away first.
    shutil.rmtree(root / "build" / "site", ignore_errors=True)
    _kill_in_swap(root, mode)
    done = subprocess.run(
        [*CLI, "--root", str(root), "build", "--store", "memory:", "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (root / "build" / "site").is_dir()
    assert not [p for p in root.iterdir() if p.name.startswith(".build-")]


def _export(root: Path, out: Path, *, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [*CLI, "--root", str(root), "export", "--format", "all", "--out", str(out)]
        + ["--store", "memory:"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited,
    )


@pytest.mark.slow
def test_export_all_replaces_the_files_all_together(tmp_path: Path) -> None:
    """A write that fails halfway (a file size limit, as a full disk) leaves the old set."""
    root = tmp_path / "p"
    small_project(root, [FILES / "good" / "numbers.ttl"])
    out = tmp_path / "exports"
    assert _export(root, out).returncode == 0
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(old) == 8
    shutil.copyfile(FILES / "good" / "languages.ttl", root / "data/sources/languages.ttl")
    sizes = sorted(len(b) for b in old.values())
    done = _export(root, out, limit=sizes[2] + 200)  # small files fit, large ones do not
    assert done.returncode == 2
    line = one_error_line(done.stderr)
    assert "cannot write" in line, line
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert _export(root, out).returncode == 0
    new = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(new) == set(old) and new["clustergraph.nq"] != old["clustergraph.nq"]


def test_export_all_refuses_a_directory_holding_other_files(tmp_path: Path, capsys) -> None:
    root = tmp_path / "p"
    small_project(root, [FILES / "good" / "numbers.ttl"])
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.md").write_text("mine\n")
    code, _, err = run(capsys, "--root", str(root), "export", "--format", "all", "--out", str(out))
    assert code == 2
    assert "holds files the export does not write (notes.md)" in one_error_line(err)
    assert [p.name for p in out.iterdir()] == ["notes.md"]


# ---------------------------------------------------------------------------
# Spreadsheet-safe CSV
# ---------------------------------------------------------------------------

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://x")']


def test_analysis_csv_neutralises_formulas(tmp_path: Path) -> None:
    graph = nx.path_graph(len(FORMULAS))
    for n, text in enumerate(FORMULAS):
        graph.nodes[n].update(label=text, name=text, cls="ex:Thing")
    analysis = analyze(graph)
    write_report(analysis, tmp_path)
    for name in ("centrality.csv", "communities.csv", "bridges.csv"):
        rows = list(csv.reader(io.StringIO((tmp_path / name).read_text(encoding="utf-8"))))
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
                assert not cell.startswith("-") or re.fullmatch(r"-[0-9.]+", cell), (name, cell)
    labels = {r["label"] for r in csv.DictReader(io.StringIO(centrality_csv(analysis)))}
    assert labels == {"'" + text for text in FORMULAS}


def test_analysis_csv_leaves_numbers_and_text_alone() -> None:
    assert [spreadsheet_cell(v) for v in ("-0.5", "+3", "Šiauliai", 7)] == [
        "-0.5",
        "+3",
        "Šiauliai",
        7,
    ]


def test_query_csv_stays_the_w3c_format(tmp_path: Path, capsys) -> None:
    """``query --format csv`` writes values as they are (SPARQL 1.1 CSV), formulas too."""
    root = tmp_path / "p"
    source = root / "data/sources/formula.ttl"
    small_project(root, [])
    source.write_text(
        '<> <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:x:a> .\n<urn:x:s> <urn:x:p> "=1+1" .\n'
    )
    query = tmp_path / "q.rq"
    query.write_text(
        "#+ summary: values.\n#+ tags:\n#+   - test\n\nSELECT ?o WHERE { ?s <urn:x:p> ?o }\n"
    )
    code, out, err = run(capsys, "--root", str(root), "query", str(query), "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == ["o", "=1+1"]


# ---------------------------------------------------------------------------
# Push: a refused connection, stale staging graphs
# ---------------------------------------------------------------------------


def test_push_to_a_port_that_refuses_is_quick_and_says_unchanged(tmp_path: Path, capsys) -> None:
    root = tmp_path / "p"
    small_project(root, [FILES / "good" / "numbers.ttl"])
    url = f"http://127.0.0.1:{free_port()}/store"
    assert run(capsys, "--root", str(root), "load")[0] == 0  # the store in step first
    started = time.perf_counter()
    code, _, err = run(capsys, "--root", str(root), "push", "--graph-store", url)
    seconds = time.perf_counter() - started
    line = one_error_line(err)
    assert code == 2
    assert "connection refused" in line and "the target graphs are unchanged" in line
    assert "staging graphs left" not in line and "tried" not in line
    assert seconds < 5  # no backoff: nothing listens there


# ---------------------------------------------------------------------------
# Reproducible outputs: queries/, analysis/, exports/ (the site is tested with the site)
# ---------------------------------------------------------------------------


@pytest.mark.slow
def test_two_builds_write_the_same_bytes(project_copy: Project, tmp_path: Path) -> None:
    """Same input, same bytes: a build on a memory store and one on a store on disk."""
    from clustergraph.build import STAGES, build

    stages = [s for s in STAGES if s.name not in ("views", "site")]
    outs = []
    for number, store in enumerate(("memory:", f"oxigraph:{tmp_path / 'store'}")):
        out = tmp_path / f"build-{number}"
        build(project_copy, out=out, stages=stages, store=store, stream=io.StringIO())
        outs.append(out)

    def tree(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for folder in ("queries", "analysis", "exports")
            for p in sorted((root / folder).rglob("*"))
            if p.is_file()
        }

    first, second = (tree(out) for out in outs)
    assert len(first) > 50 and "analysis/centrality.csv" in first
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


# ---------------------------------------------------------------------------
# One line for every error
# ---------------------------------------------------------------------------


def test_a_bug_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault the toolkit does not expect (here one put in a command) is still one line."""
    import clustergraph.cli.data as data

    def broken(context: object) -> int:
        raise ZeroDivisionError("division by zero\nin two lines")

    monkeypatch.setattr(data, "_stats", broken)
    monkeypatch.delenv("CLUSTERGRAPH_DEBUG", raising=False)
    root = tmp_path / "p"
    small_project(root, [FILES / "good" / "numbers.ttl"])
    code, _, err = run(capsys, "--root", str(root), "stats", "--store", "memory:")
    assert code == 2
    line = one_error_line(err)
    assert line.startswith("clustergraph: error: internal error: ZeroDivisionError: division")
    assert "CLUSTERGRAPH_DEBUG" in line


def test_a_file_the_system_cannot_write_is_one_line(tmp_path: Path, capsys) -> None:
    root = tmp_path / "p"
    small_project(root, [FILES / "good" / "numbers.ttl"])
    blocked = tmp_path / "file"
    blocked.write_text("a file, not a directory\n")
    code, _, err = run(
        capsys,
        "--root",
        str(root),
        "export",
        "--format",
        "turtle",
        "--out",
        str(blocked / "x.ttl"),
        "--store",
        "memory:",
    )
    assert code == 2
    assert str(blocked) in one_error_line(err)


def test_temporary_files_of_killed_writes_are_removed_by_the_next(tmp_path: Path) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = tmp_path / f".x.ttl.{int(ended.stdout)}-abcd.tmp"
    live = tmp_path / f".x.ttl.{os.getppid()}-abcd.tmp"  # a write still running
    for temp in (dead, live):
        temp.write_text("half a file")
    files.write_atomic(tmp_path / "x.ttl", "whole\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "x.ttl"]
