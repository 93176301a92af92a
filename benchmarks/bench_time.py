"""The cost of time: ``--as-of`` on the library's queries, ``analyze --over``, the slider.

Usage::

    .venv/bin/python benchmarks/bench_time.py [--triples 100k] [--seed 1] [--repeat 5]
                                              [--day 2019-12-31] [--no-browser]

On the synthetic ecosystem of ``generate.py`` (in ``benchmarks/.cache/``), loaded into an
in-memory store with its derived facts, it measures in one process:

* each library query that takes ``asOf``, with its defaults and with ``asOf`` (the median
  of ``--repeat`` runs each; target: within 1.5x);
* one ``analyze`` (the index read from the store, the actors network, its measures)
  against ``analyze --over`` ten yearly steps (the index read once, ten steps; target:
  within 3x);
* the ecosystem view's time slider in headless Chromium: the view of the actors network
  with the data of its ten steps, the slider moved to each step, the time from the
  ``input`` event to the end of the next frame (target: within 100 ms), for the view
  as the site draws it (a part of at most 600 nodes) and for the whole network in one.

It prints a Markdown table; nothing here runs in ``make test``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "src"))


def _median(function: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _ecosystem(triples: int, seed: int) -> Path:
    from generate import generate

    root = REPO / "benchmarks" / ".cache" / f"eco-time-{triples}-seed{seed}"
    if not (root / "benchmark.json").is_file():
        generate(root, triples=triples, seed=seed)
    return root


def bench_queries(
    store: Any, project: Any, day: str, repeat: int
) -> list[tuple[str, float, float]]:
    """Each query taking asOf: seconds without and with it."""
    from clustergraph.queries.library import Library
    from clustergraph.queries.run import run

    rows = []
    for query in Library.of(project):
        if not any(p.name == "asOf" for p in query.params):
            continue
        plain = _median(lambda q=query: len(run(store, q)), repeat)
        dated = _median(lambda q=query: len(run(store, q, params={"asOf": day})), repeat)
        rows.append((query.name, plain, dated))
    return rows


def bench_over(store: Any, repeat: int) -> tuple[float, float, list[date]]:
    """One analyze against ten yearly steps of analyze --over (index read each time)."""
    from clustergraph.network.index import GraphIndex
    from clustergraph.network.measures import analyze
    from clustergraph.network.projections import project
    from clustergraph.network.timeline import over, time_steps

    index = GraphIndex.from_store(store)
    days = time_steps(index)[-10:]

    def one() -> None:
        analyze(project(GraphIndex.from_store(store), "actors"))

    def ten() -> None:
        over(GraphIndex.from_store(store), days, network="actors")

    return _median(one, repeat), _median(ten, repeat), days


def bench_slider(store: Any, days: list[date], out: Path, whole: bool) -> dict[str, Any]:
    """Move the slider of the actors view through ``days``; ms from input to next frame."""
    from playwright.sync_api import sync_playwright

    from clustergraph.network.index import GraphIndex
    from clustergraph.network.projections import project
    from clustergraph.network.timeline import presence
    from clustergraph.render.views import write_view

    index = GraphIndex.from_store(store)
    graph = project(index, "actors")
    time_data = presence(index, days, network="actors")
    page_path = out / ("whole.html" if whole else "parts.html")
    write_view(
        graph,
        page_path,
        title="bench",
        max_nodes=graph.number_of_nodes() + 1 if whole else 600,
        time=time_data,
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("() => window.cgView && window.cgView.ready", timeout=600_000)
        if not whole:  # open the biggest leaf part, as a reader of the site would
            page.evaluate(
                """() => { const P = window.cgView.data.parts; let best = -1;
                  P.forEach((p, k) => { if (!p.children.length && (best < 0 ||
                    p.nodes.length > P[best].nodes.length)) best = k; });
                  window.cgView.showPart(best); }"""
            )
        drawn = page.evaluate("() => window.cgView.visibleNodes()")
        times = page.evaluate(
            """async (n) => {
              const v = window.cgView, out = [];
              for (let k = 0; k < n; k += 1) {
                const t0 = performance.now();
                await new Promise((done) => {
                  v.network.once("afterDrawing", () => done());
                  const s = document.getElementById("cg-time-slider");
                  s.value = String(k); s.dispatchEvent(new Event("input"));
                });
                out.push([performance.now() - t0, v.visibleNodes()]);
              }
              return out;
            }""",
            len(days),
        )
        browser.close()
    return {"nodes": drawn, "ms": [t for t, _n in times], "shown": [n for _t, n in times]}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(prog="bench_time.py", description=__doc__.split("\n")[0])
    parser.add_argument("--triples", default="100k", help="size of the ecosystem (default 100k)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--day", default="2019-12-31", help="the as-of day of the queries")
    parser.add_argument("--no-browser", action="store_true", help="leave the slider out")
    parser.add_argument(
        "--parts-only",
        action="store_true",
        help="move the slider of the site's view only (a part of at most 600 nodes), not of "
        "the whole network in one (too large to draw at 1M)",
    )
    args = parser.parse_args(argv)
    from generate import parse_count

    from clustergraph.pipeline.sync import sync
    from clustergraph.project.layout import Project
    from clustergraph.store import open_store

    triples = parse_count(args.triples)
    root = _ecosystem(triples, args.seed)
    project = Project(root)
    with open_store("memory:") as store:
        started = time.perf_counter()
        sync(project, store)
        print(f"{args.triples}: loaded and derived in {time.perf_counter() - started:.1f} s\n")
        print("| query | without asOf (s) | with asOf (s) | ratio |")
        print("|---|--:|--:|--:|")
        for name, plain, dated in bench_queries(store, project, args.day, args.repeat):
            print(f"| {name} | {plain:.3f} | {dated:.3f} | {dated / plain:.2f} |")
        one, ten, days = bench_over(store, max(1, args.repeat // 2))
        print(
            f"\n| analyze | {one:.2f} s |\n|---|--:|\n| analyze --over, {len(days)} yearly "
            f"steps ({days[0].year}..{days[-1].year}) | {ten:.2f} s |\n| ratio | {ten / one:.2f} |"
        )
        if not args.no_browser:
            with tempfile.TemporaryDirectory() as tmp:
                print("\n| slider view | nodes drawn (every time) | per step (ms): median | max |")
                print("|---|--:|--:|--:|")
                for whole in (False,) if args.parts_only else (False, True):
                    found = bench_slider(store, days, Path(tmp), whole)
                    label = "the whole actors network" if whole else "the largest part (site)"
                    print(
                        f"| {label} | {found['nodes']} | {statistics.median(found['ms']):.1f} "
                        f"| {max(found['ms']):.1f} |"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
