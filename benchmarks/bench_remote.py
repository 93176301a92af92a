r"""Benchmark: the whole pipeline on a remote store beside the embedded one.

Run from the repository root (never by ``make test``)::

    .venv/bin/python benchmarks/bench_remote.py [--sizes 10k 100k] [--seed 1]
        [--stores embedded oxigraph virtuoso] [--query-timeout 300]

For each size it generates the synthetic ecosystem (:mod:`generate`, in a temporary
directory), then for each store:

==========  ==========================================================================
store       what runs
==========  ==========================================================================
embedded    ``clustergraph build`` on a fresh project store (``.clustergraph/store``)
oxigraph    ``oxigraph serve --timeout-s`` on 127.0.0.1, fresh (its own default graph
            holds the union), and ``clustergraph build --store http://.../query``
virtuoso    Virtuoso 7 on 127.0.0.1, fresh, SPARQL Update granted, and
            ``clustergraph build --store .../sparql --update-endpoint .../sparql``
==========  ==========================================================================

Each build runs in its own process and prints its stages, which are recorded; then a
second build with nothing changed. Then every query of the library (checks too) is
asked once in this process through :func:`clustergraph.queries.run.run`: of the embedded
store on disk (as ``clustergraph query`` asks it), and of each server through
:class:`~clustergraph.store.remote.RemoteStore`, which reads the union the pipeline keeps
there. The tables (stages, queries, each remote time over the embedded one) are printed
and written to ``benchmarks/results/remote-<size>.md``.

The servers are stopped at the end; a query past ``--query-timeout`` is reported as
such (the Oxigraph server is started with that limit too, so it stops the work).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

import generate  # noqa: E402  (the generator beside this file)
from tests.support.servers import free_port, oxigraph_binary, virtuoso_server  # noqa: E402

from clustergraph.errors import ClusterGraphError  # noqa: E402
from clustergraph.project.layout import Project  # noqa: E402
from clustergraph.queries.library import Library  # noqa: E402
from clustergraph.queries.run import run  # noqa: E402
from clustergraph.store import open_store  # noqa: E402
from clustergraph.store.base import Store  # noqa: E402

_STAGE = re.compile(r"^\[\s*\d+/\d+\]\s+(?P<name>\S+)\s+(?P<seconds>[0-9.]+) s\b")
STORES = ("embedded", "oxigraph", "virtuoso")


@dataclass
class Outcome:
    """What one store gave: the build's stages, the rebuild's, and each query's seconds."""

    store: str
    build: float | None = None
    stages: dict[str, float] = field(default_factory=dict)
    rebuild: float | None = None
    queries: dict[str, float | str] = field(default_factory=dict)
    error: str = ""


def _clustergraph() -> list[str]:
    return [sys.executable, "-m", "clustergraph"]


def _build(root: Path, out: Path, store: Sequence[str], outcome: Outcome, *, again: bool) -> None:
    started = time.perf_counter()
    done = subprocess.run(
        [*_clustergraph(), "--root", str(root), "build", "--out", str(out), *store],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        outcome.error = (done.stderr.strip().splitlines() or ["?"])[-1][:300]
    elif again:
        outcome.rebuild = seconds
        return
    else:
        outcome.build = seconds
    for line in done.stdout.splitlines():  # the stages that ran, even if a later one failed
        match = _STAGE.match(line)
        if match:
            outcome.stages[match["name"]] = float(match["seconds"])


def _queries(store: Store, library: Library, outcome: Outcome) -> None:
    for query in library:
        started = time.perf_counter()
        try:
            run(store, query)
        except ClusterGraphError as exc:
            outcome.queries[query.name] = f"failed: {' '.join(str(exc).split())[:80]}"
            continue
        outcome.queries[query.name] = time.perf_counter() - started


@contextmanager
def _oxigraph(directory: Path, timeout: float) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(directory), "--bind",
         f"127.0.0.1:{port}", "--timeout-s", str(int(timeout))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        import urllib.request

        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"):
                    break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(timeout=30)


def bench(triples: int, seed: int, stores: Sequence[str], timeout: float) -> list[Outcome]:
    """Build and query one size on each store; return what each gave."""
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="bench-remote-") as tmp:
        work = Path(tmp)
        root = work / "project"
        generate.main([str(root), "--triples", str(triples), "--seed", str(seed)])
        library = Library.of(Project(root))
        for kind in stores:
            outcome = Outcome(kind)
            outcomes.append(outcome)
            with ExitStack() as stack:
                if kind == "embedded":
                    args: list[str] = []
                elif kind == "oxigraph":
                    url = stack.enter_context(_oxigraph(work / "oxigraph", timeout))
                    args = ["--store", url, "--timeout", str(timeout)]
                else:
                    server = stack.enter_context(virtuoso_server(work / "virtuoso"))
                    server.grant_update()
                    args = ["--store", server.query_url, "--update-endpoint", server.query_url,
                            "--timeout", str(timeout)]  # fmt: skip
                _build(root, work / f"build-{kind}", args, outcome, again=False)
                if "derive" not in outcome.stages:
                    continue  # nothing to query
                if not outcome.error:
                    _build(root, work / f"build-{kind}", args, outcome, again=True)
                if kind == "embedded":
                    store = open_store(None, default=root / ".clustergraph" / "store",
                                       read_only=True)  # fmt: skip
                else:
                    update = args[3] if args[2] == "--update-endpoint" else None
                    store = open_store(args[1], update=update, timeout=timeout, retries=0)
                with store:
                    _queries(store, library, outcome)
    return outcomes


def _cell(value: float | str | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return f"{value:.2f}"


def table(triples: int, outcomes: Sequence[Outcome]) -> str:
    """Return the markdown tables of one size."""
    label = f"{triples // 1000}k" if triples % 1000 == 0 else str(triples)
    kinds = [o.store for o in outcomes]
    lines = [f"## {label} triples", "", "Build (seconds; stages as the build prints them):", ""]
    stages = list(dict.fromkeys(s for o in outcomes for s in o.stages))
    lines.append("| stage | " + " | ".join(kinds) + " |")
    lines.append("|---|" + "--:|" * len(kinds))
    for stage in stages:
        lines.append(
            f"| {stage} | " + " | ".join(_cell(o.stages.get(stage)) for o in outcomes) + " |"
        )
    lines.append("| **build** | " + " | ".join(_cell(o.build) for o in outcomes) + " |")
    lines.append(
        "| build, nothing changed | " + " | ".join(_cell(o.rebuild) for o in outcomes) + " |"
    )
    for o in outcomes:
        if o.error:
            lines.append(f"\n{o.store}: {o.error}")
    base = next((o for o in outcomes if o.store == "embedded"), None)
    lines += ["", "Queries (seconds, one run each; x: over the embedded store on disk):", ""]
    header = ["query", *kinds] + [f"{k} x" for k in kinds if k != "embedded" and base]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|---|" + "--:|" * (len(header) - 1))
    names = list(dict.fromkeys(n for o in outcomes for n in o.queries))
    worst: dict[str, float] = {}
    for name in names:
        row = [name, *(_cell(o.queries.get(name)) for o in outcomes)]
        if base is not None:
            reference = base.queries.get(name)
            for o in outcomes:
                if o.store == "embedded":
                    continue
                mine = o.queries.get(name)
                if isinstance(reference, float) and isinstance(mine, float):
                    ratio = mine / max(reference, 0.01)  # a hundredth of a second: noise
                    worst[o.store] = max(worst.get(o.store, 0.0), ratio)
                    row.append(f"{ratio:.1f}")
                else:
                    row.append("-")
        lines.append("| " + " | ".join(row) + " |")
    totals = ["**all**"]
    for o in outcomes:
        totals.append(_cell(sum(v for v in o.queries.values() if isinstance(v, float))))
    lines.append("| " + " | ".join(totals) + " |" + " |" * (len(header) - len(totals)))
    if worst:
        lines.append("")
        lines.append(
            "Slowest against the embedded store (times under 0.01 s counted as 0.01 s): "
            + ", ".join(f"{k} {v:.1f}x" for k, v in worst.items())
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10k", "100k"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stores", nargs="+", choices=STORES, default=list(STORES))
    parser.add_argument("--query-timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    for size in args.sizes:
        triples = generate.parse_count(size)
        if triples > 200_000:
            parser.error("this benchmark is for 10k and 100k on a shared machine")
        load = os.getloadavg()[0]
        outcomes = bench(triples, args.seed, args.stores, args.query_timeout)
        text = table(triples, outcomes) + f"\nLoad average before: {load:.1f}\n"
        print(text, flush=True)
        which = "" if list(args.stores) == list(STORES) else "-" + "-".join(args.stores)
        (results / f"remote-{size}{which}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
