r"""Benchmark: the pipeline and single commands at 10k, 100k and 1M triples, beside raw pyoxigraph.

Run by ``make bench`` (never by ``make test``), from the repository root::

    .venv/bin/python benchmarks/bench_scale.py [--sizes 10k 100k 1M | --quick] [--seed 1]
        [--timeout 1800] [--query-timeout 600] [--max-rss 8] [--skip STEP ...] [--keep]

For each size it generates a synthetic ecosystem (:mod:`generate`; cached in
``benchmarks/.cache/``, checked against its digest), then runs every step in its own
subprocess and records its wall time, CPU time and peak resident memory (``os.wait4``),
beside raw pyoxigraph doing the same work in the same run:

==============  =========================================================================
step            ours (the command line) / raw (pyoxigraph alone)
==============  =========================================================================
generate        ``generate.py OUT --triples N`` (only when the cache is missing or stale)
startup         ``clustergraph --version`` / ``python -c "import pyoxigraph"`` (median of 5); after
                the load, the CPU of ``clustergraph query entities-per-class`` on the unchanged
                project / a fresh interpreter opening the store and answering it
raw-load        -- / ``Store(path).bulk_extend`` of every file's triples, one named graph each
load            ``clustergraph load`` on a fresh store, until it prints what it loaded;
                also its total with the derivation / raw-load
api-load        :func:`clustergraph.pipeline.load.load` alone, fresh store / raw-load
build           ``clustergraph build`` on a fresh store, and each stage it prints
unchanged       ``clustergraph build`` again with nothing changed (target: 5 s at 1M)
rebuild         ``clustergraph build`` again after one source file changed (target: at most
                10 % of the full build)
check,          ``clustergraph check``, ``validate``, ``analyze``, ``export --format all``
validate, ...   on the built store / the checks' raw times; N-Quads and TriG dumps
queries         one ``clustergraph query NAME`` per query of the library (checks too), as a
                subprocess with its default parameters / the same query (parameters in a
                ``VALUES`` block, as the library binds them) on the same store in one process
                (median of ``--raw-repeat``), plus the start-up (target: at most 1.3x); the
                ``API`` column is :func:`clustergraph.queries.run.run` in one process,
                without the command line
==============  =========================================================================

Each size prints two markdown tables (pipeline, queries) and writes them to
``benchmarks/results/<date>-<size>.md`` with the figures as JSON beside them
(``results/`` is not in git), and an overview of the sizes to ``<date>-overview.md``.

A step that fails, runs past ``--timeout`` (per step; ``--query-timeout`` per query) or
grows past ``--max-rss`` is killed, reported as such, and the run goes on; a step that
needs what a failed one makes runs on the next best store (the loaded store, else the
raw one) and says so. Queries whose raw run timed out or grew too large are not run
through the toolkit's API or the command line. Times depend on the machine and on what
else runs on it: each size records the load average before and after, and CPU times
beside wall times.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import generate  # the generator beside this file (a script's directory is on sys.path)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GRAPH_NS = "https://w3id.org/clustergraph/graph/"
XSD = "http://www.w3.org/2001/XMLSchema#"

STEPS = (
    "generate",
    "startup",
    "raw-load",
    "load",
    "api-load",
    "build",
    "unchanged",
    "rebuild",
    "check",
    "validate",
    "analyze",
    "export",
    "raw-queries",
    "api-queries",
    "queries",
)
"""The steps, in the order they run; ``--skip`` leaves some out."""

LOAD_TARGET = 1.5
REBUILD_TARGET = 0.10
REBUILD_SECONDS = {100_000: 10.0, 1_000_000: 60.0}
"""The rebuild after one changed source, in seconds, by size (it also meets the share)."""
QUERY_TARGET = 1.3
BUILD_TARGET_SECONDS = 600.0
BUILD_TARGET_MB = 4096.0
ANALYSIS_TARGET_SECONDS = 10.0

_STAGE = re.compile(r"^\[\s*\d+/\d+\]\s+(?P<name>\S+)\s+(?P<seconds>[0-9.]+) s\b")
_LOADED = re.compile(r"graphs? loaded")
_PARAM = re.compile(r"^#\+\s+-\s+(?P<name>\w+)\s*:\s*(?P<type>\w+)\s*=\s*(?P<value>.+?)\s*$")
_PREFIX = re.compile(r"^\s*PREFIX\s+(\w*):\s*<([^>]*)>", re.I | re.M)

_DATATYPES = {
    "integer": "integer",
    "decimal": "decimal",
    "boolean": "boolean",
    "date": "date",
    "year": "gYear",
}


def size_label(triples: int) -> str:
    """Return a short name for a size.

    Examples
    --------
    >>> size_label(10_000), size_label(100_000), size_label(1_000_000), size_label(2_500)
    ('10k', '100k', '1M', '2500')
    """
    if triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}M"
    if triples % 1_000 == 0:
        return f"{triples // 1_000}k"
    return str(triples)


# ---------------------------------------------------------------------------
# Running one step
# ---------------------------------------------------------------------------


@dataclass
class Run:
    """One subprocess: how long it took, what it used, and how it ended.

    Attributes
    ----------
    command
        What ran.
    seconds, cpu, peak_mb
        Wall time, user plus system CPU time, and peak resident memory (``ru_maxrss``).
    ended
        ``ok``, ``failed`` (a non-zero exit), ``timeout``, ``memory`` (killed for growing
        past the limit) or ``skipped``.
    message
        Why it did not end ``ok``: the last line on standard error, or the reason.
    lines
        Lines of standard output with the second each was read (the first 5,000).
    """

    command: list[str]
    seconds: float | None = None
    cpu: float | None = None
    peak_mb: float | None = None
    returncode: int | None = None
    ended: str = "ok"
    message: str = ""
    lines: list[tuple[float, str]] = field(default_factory=list)
    out_bytes: int = 0

    @property
    def ok(self) -> bool:
        """Whether it ran to the end and exited 0."""
        return self.ended == "ok"

    def at(self, pattern: re.Pattern[str]) -> float | None:
        """Return when the first line of standard output matching ``pattern`` was read."""
        for seconds, line in self.lines:
            if pattern.search(line):
                return seconds
        return None

    def verdict(self) -> str:
        """Say how it ended, in a few words."""
        if self.ended == "ok":
            return "ok"
        if self.ended == "failed":
            return f"failed (exit {self.returncode}): {self.message}"
        if self.ended == "timeout":
            return f"timeout after {self.seconds:.0f} s"
        if self.ended == "memory":
            return f"stopped: {self.message}"
        return f"not run: {self.message}"

    def result(self) -> dict[str, Any]:
        """Return the JSON object a worker printed last, or an empty one."""
        for _seconds, line in reversed(self.lines):
            if line.startswith("{"):
                try:
                    found = json.loads(line)
                except ValueError:
                    continue
                if isinstance(found, dict):
                    return found
        return {}

    def brief(self) -> dict[str, Any]:
        """Return the figures for the JSON record (without the output lines)."""
        data = asdict(self)
        data["lines"] = [line for _t, line in self.lines[:20]]
        return data


def skipped(command: Sequence[str], reason: str) -> Run:
    """Return a step that was not run, and why."""
    return Run(list(command), ended="skipped", message=reason)


def _rss_mb(pid: int) -> float | None:
    """Return the resident memory of process ``pid`` in MB (None if it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _last_line(lines: Sequence[str]) -> str:
    for line in reversed(lines):
        text = line.strip()
        if text:
            return text[:300]
    return ""


def run(
    command: Sequence[str],
    *,
    timeout: float,
    max_rss_mb: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Run:
    """Run ``command`` in its own process group; time it and measure its peak memory.

    Standard output is read line by line and each line timed (so a stage's end can be
    read off the lines it prints); standard error keeps its last lines. The process
    group is killed if it runs longer than ``timeout`` seconds or grows past
    ``max_rss_mb``.
    """
    result = Run(list(command))
    environment = dict(os.environ if env is None else env)
    environment["PYTHONUNBUFFERED"] = "1"
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=environment,
        start_new_session=True,
    )
    errors: deque[str] = deque(maxlen=40)
    stop: list[str] = []
    finished = threading.Event()

    def read_out() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            result.out_bytes += len(raw)
            if len(result.lines) < 5_000:
                text = raw.decode("utf-8", "replace").rstrip("\r\n")
                result.lines.append((time.perf_counter() - started, text))

    def read_err() -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            errors.append(raw.decode("utf-8", "replace").rstrip("\r\n"))

    def kill() -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def watch() -> None:
        while not finished.wait(0.2):
            if time.perf_counter() - started > timeout:
                stop.append("timeout")
                kill()
                return
            rss = _rss_mb(process.pid)
            if rss is not None and rss > max_rss_mb:
                stop.append(f"resident memory over {max_rss_mb:,.0f} MB")
                kill()
                return

    threads = [threading.Thread(target=f, daemon=True) for f in (read_out, read_err, watch)]
    for thread in threads:
        thread.start()
    try:
        _pid, status, usage = os.wait4(process.pid, 0)
    except BaseException:
        kill()
        raise
    finally:
        finished.set()
    result.seconds = time.perf_counter() - started
    process.returncode = result.returncode = os.waitstatus_to_exitcode(status)
    for thread in threads:
        thread.join(timeout=10)
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()
    result.cpu = usage.ru_utime + usage.ru_stime
    result.peak_mb = usage.ru_maxrss / 1024
    if stop:
        result.ended = "timeout" if stop[0] == "timeout" else "memory"
        result.message = stop[0]
    elif result.returncode != 0:
        result.ended = "failed"
        result.message = _last_line(list(errors)) or _last_line([t for _s, t in result.lines])
    return result


# ---------------------------------------------------------------------------
# Workers: run as `bench_scale.py --worker NAME SPEC.json`, print one JSON line
# ---------------------------------------------------------------------------


def dataset_files(root: Path) -> list[tuple[Path, str]]:
    """Return the project's files with the graph each is loaded into (as the toolkit does)."""
    files = [(root / "ontology" / "clustergraph.ttl", GRAPH_NS + "ontology")]
    files += [(p, f"{GRAPH_NS}vocab/{p.stem}") for p in sorted((root / "data/vocab").glob("*.ttl"))]
    sources = sorted((root / "data" / "sources").glob("*.ttl"))
    files += [(p, f"{GRAPH_NS}source/{p.stem}") for p in sources]
    return files


def _worker_raw_load(spec: dict[str, Any]) -> dict[str, Any]:
    """Load every file into its named graph of a new on-disk store, in one bulk load."""
    import pyoxigraph as ox

    files = dataset_files(Path(spec["root"]))
    counted = [0]

    def quads() -> Iterator[ox.Quad]:
        for path, graph in files:
            name = ox.NamedNode(graph)
            for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=graph):
                counted[0] += 1
                yield ox.Quad(quad.subject, quad.predicate, quad.object, name)

    started = time.perf_counter()
    store = ox.Store(spec["store"])
    store.bulk_extend(quads())
    store.flush()
    return {"seconds": time.perf_counter() - started, "quads": counted[0], "files": len(files)}


def _materialise(answer: Any) -> int:
    """Read a pyoxigraph answer to the end; return its rows (1 for ASK)."""
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return 1
    return sum(1 for _ in answer)


def _term(binding: dict[str, str]) -> Any:
    import pyoxigraph as ox

    if binding["kind"] == "iri":
        return ox.NamedNode(binding["value"])
    if binding.get("datatype"):
        return ox.Literal(binding["value"], datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(binding["value"])


def _repeat(function: Any, repeat: int) -> dict[str, Any]:
    """Run ``function`` up to ``repeat`` times (once if it takes over 10 s); time each run."""
    times = []
    rows = 0
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        rows = function()
        times.append(time.perf_counter() - started)
        if times[-1] > 10:
            break
    return {"first": times[0], "median": statistics.median(times), "runs": times, "rows": rows}


def _worker_raw_query(spec: dict[str, Any]) -> dict[str, Any]:
    """Answer one query on the store with pyoxigraph alone, on the same dataset.

    The store's default graph where it holds something (the toolkit keeps the union of
    the data graphs there, each triple once), else Oxigraph's union of the named graphs.

    Parameters are bound as the library binds them, a ``VALUES`` block first in the
    top-level ``WHERE`` group (the same query text; pyoxigraph's own ``substitutions``
    can be many times slower), with the library's text function if it can be imported.
    """
    import pyoxigraph as ox

    opened = time.perf_counter()
    store = ox.Store.read_only(spec["store"])
    opened = time.perf_counter() - opened
    terms = {k: _term(v) for k, v in spec["bindings"].items()}
    text = spec["text"]
    substitutions = {}
    binding = "none"
    if terms:
        try:
            from clustergraph.store.sparql import bind_values

            text, binding = bind_values(text, terms), "values"
        except ImportError:
            substitutions = {ox.Variable(k): t for k, t in terms.items()}
            binding = "substitutions"

    default = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
    union = default is None

    def answer() -> int:
        result = store.query(text, use_default_graph_as_union=union, substitutions=substitutions)
        return _materialise(result)

    dataset = "union of the named graphs" if union else "default graph"
    return {
        "open": opened,
        "binding": binding,
        "dataset": dataset,
        **_repeat(answer, spec["repeat"]),
    }


def _worker_api_query(spec: dict[str, Any]) -> dict[str, Any]:
    """Answer one query through the toolkit's API: library, store, run (no command line)."""
    from clustergraph.project.layout import Project
    from clustergraph.queries.library import Library
    from clustergraph.queries.run import run as run_query
    from clustergraph.store import open_store

    store = open_store(f"oxigraph:{spec['store']}", read_only=True)
    query = Library.of(Project(Path(spec["root"]))).get(spec["name"])

    def answer() -> int:
        result = run_query(store, query)
        try:
            return len(result)  # type: ignore[arg-type]
        except TypeError:
            return 1

    try:
        return _repeat(answer, spec["repeat"])
    finally:
        store.close()


def _worker_api_load(spec: dict[str, Any]) -> dict[str, Any]:
    """Load the project into a new store with :func:`clustergraph.pipeline.load.load`."""
    from clustergraph.pipeline.load import load
    from clustergraph.project.layout import Project
    from clustergraph.store import open_store

    started = time.perf_counter()
    store = open_store(f"oxigraph:{spec['store']}")
    try:
        report = load(Project(Path(spec["root"])), store)
    finally:
        store.close()
    return {
        "seconds": time.perf_counter() - started,
        "graphs": len(report.loaded),
        "triples": report.triples,
    }


def _worker_raw_export(spec: dict[str, Any]) -> dict[str, Any]:
    """Dump the store as N-Quads and as TriG with pyoxigraph alone."""
    import pyoxigraph as ox

    out = Path(spec["out"])
    out.mkdir(parents=True, exist_ok=True)
    store = ox.Store.read_only(spec["store"])
    started = time.perf_counter()
    store.dump(out / "dataset.nq", format=ox.RdfFormat.N_QUADS)
    store.dump(out / "dataset.trig", format=ox.RdfFormat.TRIG)
    size = sum(p.stat().st_size for p in out.iterdir())
    return {"seconds": time.perf_counter() - started, "bytes": size}


def _worker_analysis(spec: dict[str, Any]) -> dict[str, Any]:
    """Time the analysis in its parts: reading the store, projecting, measuring."""
    from clustergraph.network.index import GraphIndex
    from clustergraph.network.measures import analyze
    from clustergraph.network.projections import project
    from clustergraph.store import open_store

    store = open_store(f"oxigraph:{spec['store']}", read_only=True)
    try:
        started = time.perf_counter()
        index = GraphIndex.from_store(store)
        read = time.perf_counter()
        graph = project(index, spec["network"])
        projected = time.perf_counter()
        analysis = analyze(graph)
        measured = time.perf_counter()
    finally:
        store.close()
    return {
        "network": spec["network"],
        "nodes": analysis.nodes,
        "edges": analysis.edges,
        "read": read - started,
        "project": projected - read,
        "measure": measured - projected,
        "method": analysis.method.text(),
    }


WORKERS = {
    "raw-load": _worker_raw_load,
    "raw-query": _worker_raw_query,
    "api-query": _worker_api_query,
    "api-load": _worker_api_load,
    "raw-export": _worker_raw_export,
    "analysis": _worker_analysis,
}


def worker(name: str, spec_file: Path) -> int:
    """Run worker ``name`` on the JSON spec in ``spec_file``; print its result as JSON."""
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    print(json.dumps(WORKERS[name](spec)), flush=True)
    return 0


# ---------------------------------------------------------------------------
# The query library, read without the toolkit
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryQuery:
    """A query of the library: its name, text and default parameters as raw bindings."""

    name: str
    text: str
    bindings: dict[str, dict[str, str]]
    problem: str = ""

    @property
    def is_check(self) -> bool:
        """Whether it is a check (``checks/<stem>``)."""
        return self.name.startswith("checks/")


def read_default(kind: str, value: str, prefixes: dict[str, str]) -> dict[str, str]:
    """Return a parameter's default as a raw binding (``kind``, ``value``, ``datatype``).

    Examples
    --------
    >>> read_default("iri", "<https://w3id.org/clustergraph/id/org/eacn>", {})["value"]
    'https://w3id.org/clustergraph/id/org/eacn'
    >>> read_default("string", '"food"', {})
    {'kind': 'literal', 'value': 'food', 'datatype': ''}
    >>> read_default("year", "2020", {})["datatype"]
    'http://www.w3.org/2001/XMLSchema#gYear'
    >>> read_default("iri", "o:lca", {"o": "https://w3id.org/clustergraph/id/org/"})["value"]
    'https://w3id.org/clustergraph/id/org/lca'
    """
    if kind == "iri":
        if value.startswith("<") and value.endswith(">"):
            return {"kind": "iri", "value": value[1:-1]}
        prefix, sep, local = value.partition(":")
        if sep and prefix in prefixes:
            return {"kind": "iri", "value": prefixes[prefix] + local}
        if value.startswith(("http://", "https://")):
            return {"kind": "iri", "value": value}
        raise ValueError(f"cannot read the IRI {value!r}")
    if kind == "string":
        text = json.loads(value) if value.startswith('"') else value
        return {"kind": "literal", "value": str(text), "datatype": ""}
    if kind in _DATATYPES:
        return {"kind": "literal", "value": value.strip('"'), "datatype": XSD + _DATATYPES[kind]}
    raise ValueError(f"unknown parameter type {kind!r}")


def read_library(root: Path) -> list[LibraryQuery]:
    """Read ``root/queries/*.rq`` and ``root/queries/checks/*.rq`` with their defaults."""
    found = [(p.stem, p) for p in sorted((root / "queries").glob("*.rq"))]
    found += [(f"checks/{p.stem}", p) for p in sorted((root / "queries" / "checks").glob("*.rq"))]
    queries = []
    for name, path in found:
        text = path.read_text(encoding="utf-8")
        prefixes = {m.group(1): m.group(2) for m in _PREFIX.finditer(text)}
        bindings: dict[str, dict[str, str]] = {}
        problem = ""
        for line in text.splitlines():
            match = _PARAM.match(line)
            if match:
                try:
                    bindings[match["name"]] = read_default(match["type"], match["value"], prefixes)
                except ValueError as exc:
                    problem = f"parameter {match['name']}: {exc}"
        queries.append(LibraryQuery(name, text, bindings, problem))
    return queries


# ---------------------------------------------------------------------------
# Rows and tables
# ---------------------------------------------------------------------------


@dataclass
class Row:
    """A row of the pipeline table: ours beside raw, with the target where there is one."""

    step: str
    ours: Run | None = None
    ours_seconds: float | None = None
    raw_seconds: float | None = None
    raw_peak_mb: float | None = None
    target: str = ""
    limit: float | None = None
    note: str = ""
    within: float | None = None  # a target in seconds, not a ratio

    @property
    def seconds(self) -> float | None:
        """Our seconds: given, else the run's wall time."""
        if self.ours_seconds is not None:
            return self.ours_seconds
        return self.ours.seconds if self.ours is not None and self.ours.ok else None

    @property
    def ratio(self) -> float | None:
        """Ours over raw, where both are known."""
        if self.seconds is None or not self.raw_seconds:
            return None
        return self.seconds / self.raw_seconds

    def verdict(self) -> str:
        """``meets``/``misses`` the target, ``-`` without one, or how the step ended."""
        if self.ours is not None and not self.ours.ok and self.ours_seconds is None:
            return self.ours.verdict()
        if self.within is not None and self.seconds is not None:
            return "meets" if self.seconds <= self.within else "misses"
        if self.limit is None:
            return "-"
        ratio = self.ratio
        if ratio is None:
            return "-"
        return "meets" if ratio <= self.limit else "misses"


def _analysis_rows(run: Run | None) -> list[Row]:
    """Return the analysis in its parts: reading the store, projecting, measuring (≤ 10 s)."""
    if run is None:
        return []
    found = run.result()
    if not run.ok or not found:
        said = "" if not run.ok else "it printed no figures"
        return [Row("analysis in parts (reading, projecting, measuring)", run, note=said)]
    measure = float(found["measure"])
    return [
        Row("analysis › reading the store into the network index", ours_seconds=found["read"]),
        Row(f"analysis › projecting the {found['network']} network", ours_seconds=found["project"]),
        Row(
            f"analysis › measuring the {found['nodes']:,}-node, {found['edges']:,}-edge "
            f"{found['network']} network",
            ours_seconds=measure,
            target=f"≤ {ANALYSIS_TARGET_SECONDS:.0f} s",
            within=ANALYSIS_TARGET_SECONDS,
            note=found["method"],
        ),
    ]


@dataclass
class QueryRow:
    """A row of the query table."""

    name: str
    rows: int | None = None
    cli: Run | None = None
    api: dict[str, Any] | None = None
    api_run: Run | None = None
    raw: dict[str, Any] | None = None
    raw_run: Run | None = None
    startup: float = 0.0

    @property
    def raw_seconds(self) -> float | None:
        """Raw pyoxigraph's median time in one process."""
        return float(self.raw["median"]) if self.raw else None

    @property
    def ratio(self) -> float | None:
        """The command's time over raw plus start-up."""
        if self.cli is None or not self.cli.ok or self.cli.seconds is None:
            return None
        if self.raw_seconds is None:
            return None
        return self.cli.seconds / (self.raw_seconds + self.startup)

    def verdict(self) -> str:
        """``meets``/``misses`` the 1.3x target, or how the command ended."""
        if self.cli is None:
            return "-"
        if not self.cli.ok:
            return self.cli.verdict()
        ratio = self.ratio
        if ratio is None:
            return "ok (no raw time)"
        return "meets" if ratio <= QUERY_TARGET else "misses"


def _num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _cell(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    if len(text) > width:
        text = text[: width - 3] + "..."
    return text.replace("|", "\\|")


def pipeline_table(rows: Sequence[Row]) -> str:
    """Return the pipeline rows as a markdown table."""
    lines = [
        "| step | ours s | ours CPU s | ours peak MB | raw s | raw peak MB | ratio | target "
        "| verdict | note |",
        "|---|--:|--:|--:|--:|--:|--:|---|---|---|",
    ]
    for row in rows:
        run_ = row.ours
        cpu = run_.cpu if run_ is not None and row.ours_seconds is None else None
        peak = run_.peak_mb if run_ is not None and row.ours_seconds is None else None
        ratio = row.ratio
        cells = [
            row.step,
            _num(row.seconds),
            _num(cpu),
            _num(peak, 0),
            _num(row.raw_seconds),
            _num(row.raw_peak_mb, 0),
            f"{ratio:.2f}" if ratio is not None else "-",
            row.target or "-",
            row.verdict(),
            row.note,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def query_table(rows: Sequence[QueryRow]) -> str:
    """Return the query rows as a markdown table."""
    lines = [
        "| query | rows | ours s | ours peak MB | API s | raw s | raw + start-up s | ratio "
        "| verdict |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        cli = row.cli
        if row.api is not None:
            api = _num(float(row.api["median"]), 3)
        elif row.api_run is not None and not row.api_run.ok:
            api = row.api_run.ended
        else:
            api = "-"
        if row.raw_seconds is not None:
            raw = _num(row.raw_seconds, 3)
            raw_total = _num(row.raw_seconds + row.startup, 3)
        else:
            raw = row.raw_run.ended if row.raw_run is not None else "-"
            raw_total = "-"
        ratio = row.ratio
        cells = [
            row.name,
            str(row.rows) if row.rows is not None else "-",
            _num(cli.seconds, 3) if cli is not None and cli.ok else "-",
            _num(cli.peak_mb, 0) if cli is not None and cli.peak_mb else "-",
            api,
            raw,
            raw_total,
            f"{ratio:.2f}" if ratio is not None else "-",
            row.verdict(),
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# One size
# ---------------------------------------------------------------------------


@dataclass
class Settings:
    """What the command line asked for."""

    seed: int
    timeout: float
    query_timeout: float
    max_rss_mb: float
    raw_repeat: int
    skip: frozenset[str]
    cache: Path
    results: Path
    work: Path | None
    keep: bool
    python: str
    cli: list[str]


@dataclass
class SizeReport:
    """Everything measured at one size."""

    triples: int
    label: str
    root: Path
    header: str = ""
    pipeline: list[Row] = field(default_factory=list)
    queries: list[QueryRow] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict)

    def markdown(self) -> str:
        """Return the size's report: header, pipeline table, query table."""
        return (
            f"{self.header}\n\n### Pipeline\n\n{pipeline_table(self.pipeline)}\n\n"
            f"### Queries (one `clustergraph query NAME` each, default parameters)\n\n"
            f"{query_table(self.queries)}\n"
        )


class SizeBench:
    """Runs every step at one size (see the module docstring)."""

    def __init__(self, triples: int, settings: Settings) -> None:
        self.triples = triples
        self.settings = settings
        self.label = size_label(triples)
        self.root = settings.cache / f"eco-{self.label}-seed{settings.seed}"
        self.report = SizeReport(triples, self.label, self.root)
        self.runs: dict[str, Run] = {}
        self.work = Path(
            tempfile.mkdtemp(prefix=f"clustergraph-bench-{self.label}-", dir=settings.work)
        )
        self.startup = 0.0
        self.startups: dict[str, float] = {}
        self.meta: dict[str, Any] = {}
        self.store_note = "-"
        self.changed = "?"

    # -- helpers ------------------------------------------------------------

    def step(self, name: str, command: Sequence[str], *, timeout: float | None = None) -> Run:
        """Run a step unless it is skipped; print a line about it."""
        if name.split(":")[0] in self.settings.skip:
            result = skipped(command, "skipped (--skip)")
        else:
            result = run(
                command,
                timeout=timeout or self.settings.timeout,
                max_rss_mb=self.settings.max_rss_mb,
                cwd=REPO,
            )
        self.runs[name] = result
        shown = f"{result.seconds:8.2f} s" if result.seconds is not None else " " * 10
        peak = f"{result.peak_mb:7.0f} MB" if result.peak_mb is not None else " " * 10
        print(f"  {self.label:>5} {name:<40} {shown} {peak}  {result.verdict()}", flush=True)
        return result

    def worker(self, name: str, kind: str, spec: dict[str, Any], **options: Any) -> Run:
        """Run a worker of this file as a step."""
        spec_file = self.work / f"{name.replace('/', '_').replace(':', '_')}.json"
        spec_file.write_text(json.dumps(spec), encoding="utf-8")
        command = [self.settings.python, str(Path(__file__).resolve()), "--worker", kind]
        return self.step(name, [*command, str(spec_file)], **options)

    def cli(self, *arguments: str) -> list[str]:
        """Return a ``clustergraph --root ROOT ...`` command."""
        return [*self.settings.cli, "--root", str(self.root), *arguments]

    # -- steps ----------------------------------------------------------------

    def generate(self) -> None:
        """Generate the ecosystem, or use the cached one if it is intact."""
        meta = self.root / "benchmark.json"
        try:
            recorded = json.loads(meta.read_text(encoding="utf-8"))
            fresh = (
                recorded.get("generator") == generate.GENERATOR_VERSION
                and recorded.get("seed") == self.settings.seed
                and recorded.get("requested_triples") == self.triples
                and recorded.get("sources_sha256") == generate.sources_digest(self.root)
            )
        except (OSError, ValueError):
            fresh = False
        if fresh and "generate" not in self.settings.skip:
            self.runs["generate"] = skipped([], "cached")
            # The sources are cached; the ontology, vocabularies and queries are the
            # repository's as they are now, so that a changed query is measured.
            generate.copy_project(self.root, REPO)
            print(f"  {self.label:>5} generate: cached in {self.root}", flush=True)
        else:
            command = [
                self.settings.python,
                str(HERE / "generate.py"),
                str(self.root),
                "--triples",
                str(self.triples),
                "--seed",
                str(self.settings.seed),
            ]
            self.step("generate", command)
            if "generate" in self.settings.skip:
                raise SystemExit(f"{self.root}: no generated data and --skip generate")
        self.meta = json.loads(meta.read_text(encoding="utf-8"))

    def measure_startup(self) -> None:
        """Time the interpreter's start-up with pyoxigraph, and the command line's."""
        if "startup" in self.settings.skip:
            return
        # The package as an installed wheel has it: compiled to bytecode (where the
        # environment keeps Python from writing bytecode, every start-up would compile).
        subprocess.run(
            [self.settings.python, "-m", "compileall", "-q", str(REPO / "src" / "clustergraph")],
            check=False,
            capture_output=True,
        )
        times: dict[str, float] = {}
        for name, command in (
            ("python -c pass", [self.settings.python, "-c", "pass"]),
            ("import pyoxigraph", [self.settings.python, "-c", "import pyoxigraph"]),
            ("clustergraph --version", [*self.settings.cli, "--version"]),
        ):
            runs = [
                run(command, timeout=120, max_rss_mb=self.settings.max_rss_mb) for _ in range(5)
            ]
            ok = [r.seconds for r in runs if r.ok and r.seconds is not None]
            times[name] = statistics.median(ok) if ok else float("nan")
            self.runs[f"startup:{name}"] = runs[len(runs) // 2]
        self.startup = times["import pyoxigraph"]
        self.startups = times
        print(
            f"  {self.label:>5} start-up: " + ", ".join(f"{k} {v:.3f} s" for k, v in times.items()),
            flush=True,
        )

    def measure_query_startup(self, store: Path) -> None:
        """CPU of one ``clustergraph query`` on an unchanged project, beside raw pyoxigraph.

        Ours: ``clustergraph query entities-per-class`` on a store in step with the files
        (start-up, the files compared with the manifest, the query, the table); raw: a
        fresh interpreter opening the same store and answering the same query (median
        of 5 each, CPU seconds).
        """
        if "startup" in self.settings.skip:
            return
        query = self.root / "queries" / "entities-per-class.rq"
        raw = (
            "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]);"
            "print(len(list(s.query(open(sys.argv[2], encoding='utf-8').read()))))"
        )
        commands = {
            "query (CPU)": self.cli("query", "entities-per-class", "--store", f"oxigraph:{store}"),
            "raw open+query (CPU)": [self.settings.python, "-c", raw, str(store), str(query)],
        }
        run(commands["query (CPU)"], timeout=600, max_rss_mb=self.settings.max_rss_mb)
        for name, command in commands.items():
            runs = [
                run(command, timeout=120, max_rss_mb=self.settings.max_rss_mb) for _ in range(5)
            ]
            ok = [r.cpu for r in runs if r.ok and r.cpu is not None]
            self.startups[name] = statistics.median(ok) if ok else float("nan")
            self.runs[f"startup:{name}"] = runs[len(runs) // 2]

    def run_all(self) -> SizeReport:
        """Run every step; always restore the edited file and remove the work directory."""
        load_before = os.getloadavg()
        edited: tuple[Path, bytes] | None = None
        try:
            self.generate()
            self.measure_startup()
            stores = {
                name: self.work / name
                for name in ("raw-store", "load-store", "api-store", "build-store")
            }
            spec = {"root": str(self.root), "store": str(stores["raw-store"])}
            self.worker("raw-load", "raw-load", spec)
            self.step("load", self.cli("load", "--store", f"oxigraph:{stores['load-store']}"))
            self.measure_query_startup(stores["load-store"])
            spec = {"root": str(self.root), "store": str(stores["api-store"])}
            self.worker("api-load", "api-load", spec)
            out = self.work / "build"
            build = self.cli(
                "build", "--out", str(out), "--store", f"oxigraph:{stores['build-store']}"
            )
            self.step("build", build)
            if "unchanged" in self.settings.skip or "build" in self.settings.skip:
                self.runs["unchanged"] = skipped(build, "skipped (--skip)")
            else:
                self.step("unchanged", build)
            sources = sorted((self.root / "data" / "sources").glob("*.ttl"))
            changed = sources[len(sources) // 2]
            if "rebuild" in self.settings.skip or "build" in self.settings.skip:
                self.runs["rebuild"] = skipped(build, "skipped (--skip)")
            else:
                edited = (changed, changed.read_bytes())
                generate.edit_source(changed, change=1)
                self.step("rebuild", build)
            self.changed = changed.name
            store = self.query_store(stores)
            target = f"oxigraph:{store}"
            self.step("check", self.cli("check", "--store", target))
            self.step("validate", self.cli("validate", "--store", target))
            analysis = str(self.work / "analysis")
            self.step("analyze", self.cli("analyze", "--out", analysis, "--store", target))
            spec = {"store": str(store), "network": "actors"}
            self.worker("analyze:parts", "analysis", spec)
            exports = str(self.work / "exports")
            self.step(
                "export", self.cli("export", "--format", "all", "--out", exports, "--store", target)
            )
            spec = {"store": str(store), "out": str(self.work / "raw-exports")}
            self.worker("raw-export", "raw-export", spec)
            self.run_queries(store)
        finally:
            if edited is not None:
                edited[0].write_bytes(edited[1])
            if not self.settings.keep:
                shutil.rmtree(self.work, ignore_errors=True)
        self.assemble(load_before, os.getloadavg())
        return self.report

    def query_store(self, stores: dict[str, Path]) -> Path:
        """Return the store the later steps read: the built one, else the next best."""
        build = self.runs.get("build")
        loaded = self.runs.get("load")
        api = self.runs.get("api-load")
        if build is not None and any(_STAGE.match(line) for _t, line in build.lines):
            self.store_note = "the store `clustergraph build` made"
            return stores["build-store"]
        if loaded is not None and loaded.ok:
            self.store_note = "the store `clustergraph load` made (the build failed)"
            return stores["load-store"]
        if api is not None and api.ok:
            self.store_note = (
                "the store `pipeline.load.load` made (stated facts only: the build and "
                "`clustergraph load` failed)"
            )
            return stores["api-store"]
        self.store_note = "the raw store (the build and both loads failed)"
        return stores["raw-store"]

    def run_queries(self, store: Path) -> None:
        """Answer every library query raw, through the API, and through the command line."""
        library = read_library(self.root)
        failures: list[str] = []
        for query in library:
            row = QueryRow(query.name, startup=self.startup)
            self.report.queries.append(row)
            if query.problem:
                row.cli = skipped([], query.problem)
                continue
            timeout = self.settings.query_timeout
            spec = {
                "store": str(store),
                "root": str(self.root),
                "name": query.name,
                "text": query.text,
                "bindings": query.bindings,
                "repeat": self.settings.raw_repeat,
            }
            row.raw_run = self.worker(
                f"raw-queries:{query.name}", "raw-query", spec, timeout=timeout
            )
            if row.raw_run.ok:
                row.raw = row.raw_run.result()
                row.rows = row.raw.get("rows")
            command = self.cli("query", query.name, "--store", f"oxigraph:{store}")
            if row.raw_run.ended in ("timeout", "memory"):
                reason = f"raw pyoxigraph: {row.raw_run.verdict()}"
                row.api_run = skipped([], reason)
                row.cli = skipped(command, reason)
                continue
            row.api_run = self.worker(
                f"api-queries:{query.name}", "api-query", spec, timeout=timeout
            )
            if row.api_run.ok:
                row.api = row.api_run.result()
            if len(failures) >= 3 and len(set(failures[-3:])) == 1:
                row.cli = skipped(command, f"the first 3 failed alike: {failures[-1]}")
            else:
                row.cli = self.step(f"queries:{query.name}", command, timeout=timeout)
                if row.cli.ended == "failed":
                    failures.append(row.cli.message)
                else:
                    failures.clear()

    # -- the report -----------------------------------------------------------

    def assemble(self, load_before: tuple[float, ...], load_after: tuple[float, ...]) -> None:
        """Fill in the report's header and rows from the runs."""
        report = self.report
        runs = self.runs
        meta = self.meta
        raw_load = runs.get("raw-load")
        raw_load_s = raw_load.seconds if raw_load is not None and raw_load.ok else None
        raw_load_mb = raw_load.peak_mb if raw_load is not None and raw_load.ok else None
        raw_by_name = {q.name: q.raw_seconds for q in report.queries}
        raw_questions = _sum(v for k, v in raw_by_name.items() if not k.startswith("checks/"))
        raw_checks = _sum(v for k, v in raw_by_name.items() if k.startswith("checks/"))
        rows = report.pipeline
        generated = runs.get("generate")
        if generated is not None:
            note = "cached" if generated.ended == "skipped" else f"{meta.get('sources', 0):,} files"
            rows.append(Row("generate", generated, note=note))
        startups = self.startups
        if startups:
            rows.append(
                Row(
                    "start-up: `clustergraph --version` / `import pyoxigraph`",
                    ours_seconds=startups.get("clustergraph --version"),
                    raw_seconds=startups.get("import pyoxigraph"),
                    note=f"`python -c pass` {startups.get('python -c pass', 0):.3f} s",
                )
            )
        ours_query, raw_query = startups.get("query (CPU)"), startups.get("raw open+query (CPU)")
        if ours_query is not None and raw_query is not None:
            rows.append(
                Row(
                    "one query, CPU s: `clustergraph query entities-per-class` on an unchanged "
                    "project / pyoxigraph open + query",
                    ours_seconds=ours_query,
                    raw_seconds=raw_query,
                    note=f"{ours_query - raw_query:+.3f} s over raw (target: within 0.1 s)",
                )
            )
        if raw_load is not None:
            quads = raw_load.result().get("quads")
            rows.append(
                Row(
                    "raw load (pyoxigraph `bulk_extend`, a graph per file)",
                    raw_load if not raw_load.ok else None,
                    raw_seconds=raw_load_s,
                    raw_peak_mb=raw_load_mb,
                    note=f"{quads:,} quads" if quads else "",
                )
            )
        loaded = runs.get("load")
        if loaded is not None:
            until = loaded.at(_LOADED)
            rows.append(
                Row(
                    "load: `clustergraph load`, until it printed what it loaded",
                    loaded if until is None else None,
                    ours_seconds=until,
                    raw_seconds=raw_load_s,
                    raw_peak_mb=raw_load_mb,
                    target=f"≤ {LOAD_TARGET}x raw",
                    limit=LOAD_TARGET,
                )
            )
            rows.append(Row("load + derive: `clustergraph load` in all", loaded))
        api = runs.get("api-load")
        if api is not None:
            rows.append(
                Row(
                    "load alone: `pipeline.load.load` (no derive, no command line)",
                    api,
                    raw_seconds=raw_load_s,
                    raw_peak_mb=raw_load_mb,
                    target=f"≤ {LOAD_TARGET}x raw",
                    limit=LOAD_TARGET,
                )
            )
        build = runs.get("build")
        full = build.seconds if build is not None and build.ok else None
        if build is not None:
            big = self.triples >= 1_000_000
            note = ""
            if big and build.ok and build.seconds is not None and build.peak_mb is not None:
                fits = build.seconds <= BUILD_TARGET_SECONDS and build.peak_mb <= BUILD_TARGET_MB
                note = "meets ≤ 600 s and ≤ 4 GB" if fits else "misses ≤ 600 s and ≤ 4 GB"
            rows.append(
                Row(
                    "build: `clustergraph build`, fresh store",
                    build,
                    target="≤ 600 s, ≤ 4 GB" if big else "",
                    note=note,
                )
            )
            raws = {"load": raw_load_s, "queries": raw_questions, "check": raw_checks}
            for name, seconds in _stages(build):
                rows.append(
                    Row(f"build › {name}", ours_seconds=seconds, raw_seconds=raws.get(name))
                )
        unchanged = runs.get("unchanged")
        if unchanged is not None:
            rows.append(
                Row(
                    "build again, nothing changed",
                    unchanged,
                    raw_seconds=full,
                    target="≤ 5 s" if self.triples >= 1_000_000 else "",
                    within=5.0 if self.triples >= 1_000_000 else None,
                    note="raw s = the full build's seconds",
                )
            )
        rebuild = runs.get("rebuild")
        if rebuild is not None:
            rows.append(
                Row(
                    f"rebuild after one source changed ({self.changed})",
                    rebuild,
                    raw_seconds=full,
                    target=f"≤ {REBUILD_TARGET:.0%} of build"
                    + (
                        f", ≤ {REBUILD_SECONDS[self.triples]:.0f} s"
                        if self.triples in REBUILD_SECONDS
                        else ""
                    ),
                    limit=REBUILD_TARGET,
                    within=REBUILD_SECONDS.get(self.triples),
                    note="raw s = the full build's seconds",
                )
            )
            stages = dict(_stages(build)) if build is not None else {}
            for name, seconds in _stages(rebuild):
                before = stages.get(name)
                share = f"{seconds / before:.0%} of the full build's" if before else ""
                rows.append(Row(f"rebuild › {name}", ours_seconds=seconds, note=share))
        for name, title, raw_seconds in (
            ("check", "`clustergraph check`", raw_checks),
            ("validate", "`clustergraph validate`", None),
            ("analyze", "`clustergraph analyze`", None),
            ("export", "`clustergraph export --format all`", None),
        ):
            step = runs.get(name)
            if step is None:
                continue
            note = "raw s = the checks' raw times + start-up" if name == "check" else ""
            raw_total = raw_seconds + self.startup if raw_seconds is not None else None
            if name == "export":
                dump = runs.get("raw-export")
                if dump is not None and dump.ok:
                    raw_total = dump.seconds
                    note = "raw s = pyoxigraph dumps N-Quads and TriG only"
            rows.append(Row(title, step, raw_seconds=raw_total, note=note))
            if name == "analyze":
                rows.extend(_analysis_rows(runs.get("analyze:parts")))
        meets = sum(1 for q in report.queries if q.verdict() == "meets")
        judged = sum(1 for q in report.queries if q.verdict() in ("meets", "misses"))
        report.header = self.header(meta, load_before, load_after, meets, judged)
        report.record = {
            "size": self.label,
            "triples": self.triples,
            "meta": meta,
            "startup": startups,
            "query_store": self.store_note,
            "load_average": [load_before, load_after],
            "runs": {k: v.brief() for k, v in runs.items()},
            "queries": [
                {
                    "name": q.name,
                    "rows": q.rows,
                    "raw": q.raw,
                    "api": q.api,
                    "cli_seconds": q.cli.seconds if q.cli is not None else None,
                    "cli_peak_mb": q.cli.peak_mb if q.cli is not None else None,
                    "verdict": q.verdict(),
                }
                for q in report.queries
            ],
        }

    def header(
        self,
        meta: dict[str, Any],
        load_before: tuple[float, ...],
        load_after: tuple[float, ...],
        meets: int,
        judged: int,
    ) -> str:
        """Return the size's heading and what it ran on."""
        import pyoxigraph

        version = self.runs.get("startup:clustergraph --version")
        shown = version.lines[0][1] if version is not None and version.lines else "clustergraph ?"
        triples = meta.get("source_triples", 0)
        return (
            f"## {self.label} triples: {meta.get('sources', 0):,} sources, {triples:,} source "
            f"triples (seed {self.settings.seed})\n\n"
            f"{time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} CPUs, "
            f"{_memory_gb():.0f} GB, Python {platform.python_version()}, pyoxigraph "
            f"{pyoxigraph.__version__}, {shown} ({_git_revision()}); load average "
            f"{load_before[0]:.1f} before, {load_after[0]:.1f} after. The data reuses "
            f"{meta.get('reuse_share', 0):.0%} of the organisations an article names; the "
            f"most named: {', '.join(f'{h} ({n})' for h, n in meta.get('hubs', [])[:3])}.\n\n"
            f"Checks, validate, analyze, export and the queries ran on "
            f"{self.store_note}. Queries meeting the 1.3x target: "
            f"{meets} of {judged} judged."
        )


def _sum(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _stages(build: Run | None) -> list[tuple[str, float]]:
    """Return the stages a build printed, with their seconds."""
    if build is None:
        return []
    found = []
    for _t, line in build.lines:
        match = _STAGE.match(line)
        if match:
            found.append((match["name"], float(match["seconds"])))
    return found


def _memory_gb() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 16.0


def _git_revision() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return "no git"
    return done.stdout.strip()


def overview(reports: Sequence[SizeReport]) -> str:
    """Return one table of the main figures across the sizes."""
    names = [r.label for r in reports]
    lines = ["| step | " + " | ".join(names) + " |", "|---|" + "--:|" * len(names)]
    steps: list[str] = []
    for report in reports:
        for row in report.pipeline:
            if row.step not in steps and "›" not in row.step:
                steps.append(row.step)
    for step in steps:
        cells = []
        for report in reports:
            found = next((r for r in report.pipeline if r.step == step), None)
            if found is None:
                cells.append("-")
                continue
            seconds = found.seconds if found.seconds is not None else found.raw_seconds
            text = f"{_num(seconds)} s" if seconds is not None else found.verdict()
            if found.ratio is not None:
                text += f" ({found.ratio:.2f}x)"
            cells.append(text)
        lines.append("| " + _cell(step) + " | " + " | ".join(_cell(c) for c in cells) + " |")
    cells = []
    for report in reports:
        meets = sum(1 for q in report.queries if q.verdict() == "meets")
        judged = sum(1 for q in report.queries if q.verdict() in ("meets", "misses"))
        raw = [q for q in report.queries if q.raw_seconds is not None]
        slowest = max(raw, key=lambda q: q.raw_seconds or 0.0) if raw else None
        text = f"{meets} of {judged} meet 1.3x"
        if slowest is not None:
            text += f"; slowest raw: {slowest.name} {_num(slowest.raw_seconds, 3)} s"
        cells.append(text)
    lines.append("| queries | " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------


def _cli_command(python: str) -> list[str]:
    """Return how to run ``clustergraph``: the script beside the interpreter, else ``-m``."""
    script = Path(python).parent / "clustergraph"
    if script.is_file():
        return [str(script)]
    return [python, "-m", "clustergraph"]


def _interrupt(signum: int, frame: object) -> None:
    """Turn a termination signal into KeyboardInterrupt, so that every step cleans up."""
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (see the module docstring); return 0, or 130 if interrupted."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["--worker"]:
        return worker(arguments[1], Path(arguments[2]))
    parser = argparse.ArgumentParser(
        prog="bench_scale.py",
        description="Time the pipeline and single commands at several sizes beside raw "
        "pyoxigraph; print a table per size and write benchmarks/results/.",
    )
    parser.add_argument(
        "--sizes",
        nargs="+",
        type=generate.parse_count,
        default=[10_000, 100_000, 1_000_000],
        metavar="N",
        help="sizes in triples (default: 10k 100k 1M)",
    )
    parser.add_argument("--quick", action="store_true", help="10k only")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
    parser.add_argument(
        "--timeout", type=float, default=1800, metavar="S", help="per step (default: 1800)"
    )
    parser.add_argument(
        "--query-timeout", type=float, default=600, metavar="S", help="per query (default: 600)"
    )
    parser.add_argument(
        "--max-rss",
        type=float,
        default=min(8.0, round(_memory_gb() * 0.8, 1)),
        metavar="GB",
        help="kill a step whose resident memory grows past this (default: 8, at most 80%% "
        "of the memory)",
    )
    parser.add_argument(
        "--raw-repeat", type=int, default=3, metavar="N", help="raw runs per query (default: 3)"
    )
    parser.add_argument(
        "--skip", nargs="+", default=[], choices=STEPS, metavar="STEP", help=", ".join(STEPS)
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=HERE / ".cache",
        metavar="DIR",
        help="generated data (default: benchmarks/.cache)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=HERE / "results",
        metavar="DIR",
        help="reports (default: benchmarks/results)",
    )
    parser.add_argument(
        "--work", type=Path, metavar="DIR", help="stores and outputs (default: a temporary dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the stores and outputs")
    args = parser.parse_args(arguments)
    settings = Settings(
        seed=args.seed,
        timeout=args.timeout,
        query_timeout=min(args.query_timeout, args.timeout),
        max_rss_mb=args.max_rss * 1024,
        raw_repeat=args.raw_repeat,
        skip=frozenset(args.skip),
        cache=args.cache.resolve(),
        results=args.results.resolve(),
        work=args.work.resolve() if args.work else None,
        keep=args.keep,
        python=sys.executable,
        cli=_cli_command(sys.executable),
    )
    settings.cache.mkdir(parents=True, exist_ok=True)
    settings.results.mkdir(parents=True, exist_ok=True)
    if settings.work is not None:
        settings.work.mkdir(parents=True, exist_ok=True)
    sizes = [10_000] if args.quick else args.sizes
    # A background job may have SIGINT ignored; SIGTERM would skip the clean-up.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        reports = bench_sizes(sizes, settings)
    except KeyboardInterrupt:
        print("bench_scale.py: interrupted; the stores were removed", file=sys.stderr)
        return 130
    if len(reports) > 1:
        text = "## Overview\n\n" + overview(reports) + "\n"
        print("\n" + text, flush=True)
        date = time.strftime("%Y-%m-%d")
        (settings.results / f"{date}-overview.md").write_text(text, encoding="utf-8")
    return 0


def bench_sizes(sizes: Sequence[int], settings: Settings) -> list[SizeReport]:
    """Benchmark each size; print and write its report as it is done."""
    date = time.strftime("%Y-%m-%d")
    reports = []
    for triples in sizes:
        print(f"== {size_label(triples)} triples", flush=True)
        bench = SizeBench(triples, settings)
        report = bench.run_all()
        reports.append(report)
        text = report.markdown()
        print("\n" + text, flush=True)
        base = settings.results / f"{date}-{report.label}"
        base.with_suffix(".md").write_text(text, encoding="utf-8")
        base.with_suffix(".json").write_text(
            json.dumps(report.record, indent=1, default=str) + "\n", encoding="utf-8"
        )
        print(f"written: {base}.md and .json", flush=True)
    return reports


if __name__ == "__main__":
    sys.exit(main())
