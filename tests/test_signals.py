"""Long commands stop when asked, and a failed write to standard output is an error.

Real subprocesses sent real signals: a query that aggregates a cross product runs in
native code for minutes; Ctrl-C (SIGINT) and SIGTERM must end ``query``, ``check`` and
``build`` within a second with 130 and 143, one line, and nothing half-written (the
build's staging directory removed, no output). ``analyze`` and ``export`` are stopped
while they wait for a store that does not answer. Standard output that cannot be written
(a full disk, ``/dev/full``, a closed descriptor) is one line and exit 2.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import free_port

CLI = [sys.executable, "-m", "clustergraph"]
ONTOLOGY = "<https://example.org/ontology> a <http://www.w3.org/2002/07/owl#Ontology> .\n"
HEADER = "#+ summary: {summary}\n#+ tags:\n#+   - {tag}\n\n"
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE {\n"
    "  ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o .\n"
    "}\n"
)
QUICK = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . }\n"
SIGNALS = [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
WITHIN = 1.0
"""Seconds from the signal to the end of the process."""


def _project(root: Path) -> Path:
    """Make a project of one source of 300 triples, a quick query and a slow one."""
    for folder in ("ontology", "data/vocab", "data/sources", "queries/checks"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "ontology/clustergraph.ttl").write_text(ONTOLOGY, encoding="utf-8")
    (root / "ontology/shapes.ttl").write_text(ONTOLOGY, encoding="utf-8")
    lines = ["<> <http://www.w3.org/ns/prov#wasDerivedFrom> <https://example.org/article> ."]
    lines += [f"<https://example.org/s{i}> <https://example.org/p> {i} ." for i in range(300)]
    (root / "data/sources/many.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "queries/quick.rq").write_text(
        HEADER.format(summary="How many triples.", tag="test") + QUICK, encoding="utf-8"
    )
    (root / "slow.rq").write_text(
        HEADER.format(summary="A cross product.", tag="test") + SLOW, encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("signals") / "p")


def _stop(process: subprocess.Popen[str], sent: int) -> tuple[float, str, str]:
    """Send ``sent``; return the seconds the process took to end, and its output."""
    begun = time.monotonic()
    process.send_signal(sent)
    try:
        out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"still running 30 s after signal {sent}: {err}")
    return time.monotonic() - begun, out, err


def _check_stopped(
    process: subprocess.Popen[str], sent: int, code: int, said: str
) -> tuple[str, str]:
    seconds, out, err = _stop(process, sent)
    assert "Traceback" not in err, err
    assert process.returncode == code, (process.returncode, err)
    assert err.strip().splitlines()[-1] == f"clustergraph: {said}", err
    assert seconds < WITHIN, f"{seconds:.2f} s from the signal to the end"
    return out, err


def _started(project: Path) -> float:
    """Seconds the quick query takes from start to end (when a slow one is under way)."""
    begun = time.monotonic()
    done = subprocess.run(
        [*CLI, "--root", str(project), "query", "quick", "--store", "memory:"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return time.monotonic() - begun


@pytest.mark.slow
@pytest.mark.parametrize(("sent", "code", "said"), SIGNALS, ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("command", ["query", "check"])
def test_a_long_query_stops_within_a_second(
    command: str, sent: int, code: int, said: str, project: Path, tmp_path: Path
) -> None:
    root = project
    if command == "check":  # a project whose one check never ends
        root = _project(tmp_path / "p")
        (root / "queries/checks/slow.rq").write_text(
            (root / "slow.rq").read_text(encoding="utf-8"), encoding="utf-8"
        )
        argv = [*CLI, "--root", str(root), "check", "--store", "memory:"]
    else:
        argv = [*CLI, "--root", str(root), "query", str(root / "slow.rq"), "--store", "memory:"]
    ready = _started(root)
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(ready + 1.5)  # well inside the slow query
    assert process.poll() is None, process.communicate()
    out, _err = _check_stopped(process, sent, code, said)
    assert out == ""  # no half of an answer


@pytest.mark.slow
@pytest.mark.parametrize(("sent", "code", "said"), SIGNALS, ids=["SIGINT", "SIGTERM"])
def test_a_build_stopped_in_a_long_query_leaves_no_debris(
    sent: int, code: int, said: str, tmp_path: Path
) -> None:
    root = _project(tmp_path / "p")
    (root / "queries/slow.rq").write_text(
        (root / "slow.rq").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (root / "build").mkdir()
    (root / "build/previous.txt").write_text("the previous build\n")
    process = subprocess.Popen(
        [*CLI, "--root", str(root), "build", "--store", "memory:"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:  # the stages before the queries
        if " check " in line:
            break
    else:
        pytest.fail(process.communicate()[1])
    assert [p for p in root.iterdir() if p.name.startswith(".build-")]  # under way
    time.sleep(1.0)
    assert process.poll() is None
    _check_stopped(process, sent, code, said)
    assert (root / "build/previous.txt").read_text() == "the previous build\n"
    assert not [p for p in root.iterdir() if p.name.startswith(".build-")]


@pytest.fixture()
def silent_endpoint() -> Iterator[str]:
    """Serve an endpoint that takes requests and never answers."""
    port = free_port()
    listener = socket.create_server(("127.0.0.1", port))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/sparql"
    stop.set()
    thread.join()
    listener.close()
    for connection in held:
        connection.close()


@pytest.mark.slow
@pytest.mark.parametrize(("sent", "code", "said"), SIGNALS, ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("command", ["analyze", "export"])
def test_a_command_waiting_for_a_store_stops_within_a_second(
    command: str, sent: int, code: int, said: str, silent_endpoint: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    argv = {
        "analyze": ["analyze", "--out", str(out)],
        "export": ["export", "--format", "all", "--out", str(out)],
    }[command]
    process = subprocess.Popen(
        [*CLI, *argv, "--store", silent_endpoint, "--timeout", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    time.sleep(3.0)
    assert process.poll() is None, process.communicate()
    _check_stopped(process, sent, code, said)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# -- failed writes ------------------------------------------------------------------------


def _full_disk(tmp_path: Path) -> Iterator[Path]:
    """Mount a file system of 100 KiB (a tmpfs; needs root), else skip."""
    mount = tmp_path / "full"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=100k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.fixture()
def full_disk(tmp_path: Path) -> Iterator[Path]:
    yield from _full_disk(tmp_path)


ROOT = Path(__file__).resolve().parents[1]
EVERY_QUAD = HEADER.format(summary="Every quad.", tag="test") + (
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }\n"
)


def _run_to(argv: list[str], stdout: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "--root", str(ROOT), *argv],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
        check=False,
    )


def _one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if "warning" not in line and "note:" not in line]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("argv", [["export", "--format", "nquads"], ["stats"]])
def test_a_write_to_dev_full_is_one_line_and_exit_2(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = _run_to(argv, full)
    assert done.returncode == 2, done.stderr
    assert _one_line(done.stderr) == (
        "clustergraph: error: standard output: No space left on device"
    )


@pytest.mark.parametrize(
    "argv",
    [["export", "--format", "nquads"], ["stats"], ["query", "sources", "--format", "csv"]],
)
def test_a_write_to_a_closed_standard_output_is_one_line_and_exit_2(argv: list[str]) -> None:
    done = subprocess.run(
        [*CLI, "--root", str(ROOT), *argv],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 2, done.stderr
    assert _one_line(done.stderr).startswith("clustergraph: error: standard output: ")


@pytest.mark.slow
@pytest.mark.parametrize("command", ["export", "query"])
def test_output_cut_short_by_a_full_disk_is_an_error(
    command: str, full_disk: Path, tmp_path: Path
) -> None:
    """Outputs larger than the file system: part is written, then the disk is full."""
    query = tmp_path / "every-quad.rq"
    query.write_text(EVERY_QUAD, encoding="utf-8")
    argv = {
        "export": ["export", "--format", "nquads"],
        "query": ["query", str(query), "--format", "csv"],
    }[command]
    target = full_disk / "out"
    with target.open("w") as stream:
        done = _run_to(argv, stream)
    assert target.stat().st_size > 0  # it began
    assert done.returncode == 2, (done.returncode, target.stat().st_size, done.stderr)
    assert _one_line(done.stderr) == (
        "clustergraph: error: standard output: No space left on device"
    )


def test_a_reader_that_goes_away_is_still_quiet() -> None:
    process = subprocess.Popen(
        [*CLI, "--root", str(ROOT), "export", "--format", "nquads"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.read(100)
    process.stdout.close()
    _out, err = process.communicate(timeout=300)
    assert process.returncode == 141, err
    assert err == b""


# -- the worker gives the same answers ----------------------------------------------------


def test_native_work_in_the_worker_answers_as_in_the_main_thread(tmp_path: Path) -> None:
    """Every call the worker runs, on a store on disk, answers as in the main thread.

    Nothing pyoxigraph keeps in one thread may reach the other: an iterator made in one
    and used in the other aborts the process.
    """
    import io

    from clustergraph.rdf.formats import RdfFormat
    from clustergraph.store import interruptible, open_store
    from clustergraph.store.base import ResultsFormat

    graph = "https://w3id.org/clustergraph/graph/source/a"
    data = tmp_path / "a.nt"
    data.write_text('<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> "x" .\n', encoding="utf-8")

    def answers() -> tuple[object, ...]:
        store = open_store(f"oxigraph:{tmp_path / 'store'}")
        try:
            store.bulk_load(data, RdfFormat.NTRIPLES, graph=graph)
            store.refresh_union()
            dumped = io.BytesIO()
            store.dump(dumped, RdfFormat.NTRIPLES, graphs=[graph])
            copy = store.copy_in_memory()
            return (
                store.query("SELECT ?o WHERE { <urn:a> ?p ?o } ORDER BY ?o").rows,
                store.query("CONSTRUCT WHERE { ?s ?p ?o }").triples,  # type: ignore[union-attr]
                store.query_serialized(
                    "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o", ResultsFormat.CSV
                ),
                store.count(graph),
                sorted(dumped.getvalue().splitlines()),
                copy.count(graph),
            )
        finally:
            store.close()
            import shutil

            shutil.rmtree(tmp_path / "store")

    plain = answers()
    with interruptible.enabled():
        in_worker = answers()
    assert in_worker == plain
    assert plain[3] == 2 and plain[5] == 2
    assert not interruptible.abandoned()
