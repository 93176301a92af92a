"""Benchmark: first frame and redraw of the explorer's big views, in headless Chromium.

Not a test: run it by hand, from the project root, on a generated project::

    .venv/bin/python benchmarks/generate.py /tmp/eco --triples 100k
    .venv/bin/python benchmarks/bench_view_frames.py /tmp/eco [--networks actors entities]

It loads the project's files into a memory store (no derivation: the views are made of
stated facts), projects the networks, writes each view as the site does (shared
vis-network, at most ``VIEW_MAX_NODES`` nodes drawn at once: a larger graph opens as
parts), then opens each page in Chromium from disk and measures

* ``first frame``: from the start of navigation until the view has drawn (``cgView``
  ready and one frame drawn), labels placed;
* ``redraw``: the median time of ``network.redraw()`` over 10 calls, on the first
  screen, then after opening the largest part (the most nodes drawn at once).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.browser import CHROMIUM, FLAGS  # noqa: E402

from clustergraph.network.index import GraphIndex  # noqa: E402
from clustergraph.network.projections import project  # noqa: E402
from clustergraph.pipeline.load import load  # noqa: E402
from clustergraph.project.layout import Project  # noqa: E402
from clustergraph.render.site import VIEW_MAX_NODES, VIS_PATH, _prepare  # noqa: E402
from clustergraph.render.views import write_view, write_vis_network  # noqa: E402
from clustergraph.store import open_store  # noqa: E402

REDRAW = """() => {
  const net = window.cgView.network, times = [];
  for (let i = 0; i < 10; i += 1) {
    const t = performance.now(); net.redraw(); times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[5];
}"""


def main() -> int:
    """Write the views, open them, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--networks", nargs="+", default=["actors", "entities"])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    store = open_store("memory:")
    load(Project(args.project), store)
    index = GraphIndex.from_store(store)
    print(f"load and index: {time.perf_counter() - started:.1f} s", flush=True)
    out = Path(tempfile.mkdtemp(prefix="frames-"))
    write_vis_network(out / VIS_PATH)
    pages = []
    for name in args.networks:
        t = time.perf_counter()
        graph = _prepare(project(index, name), index, roles=name != "entities")
        path = out / "views" / f"{name}.html"
        summary = write_view(
            graph, path, title=name, vis_src="lib/vis-network.min.js", max_nodes=VIEW_MAX_NODES
        )
        print(
            f"{name}: {summary.nodes:,} nodes, {summary.edges:,} edges, {summary.leaves} parts; "
            f"written in {time.perf_counter() - t:.1f} s, {path.stat().st_size / 1e6:.1f} MB",
            flush=True,
        )
        pages.append((name, path))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        for name, path in pages:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(path.as_uri(), wait_until="commit")
            page.wait_for_function(
                "() => window.cgView && window.cgView.ready && window.cgView.drawCount > 0",
                timeout=120_000,
            )
            first = page.evaluate("performance.now()")
            print(
                name,
                "timings (ms since navigation):",
                page.evaluate("window.cgView.timings"),
                flush=True,
            )
            redraw = page.evaluate(REDRAW)
            parts = page.evaluate("window.cgView.data.parts.length")
            leaf = None
            if parts > 1:
                biggest = page.evaluate(
                    "(() => { const P = window.cgView.data.parts; let b = 0;"
                    " P.forEach((p, i) => {"
                    " if (!p.children.length && p.nodes.length > P[b].nodes.length) b = i; });"
                    " return b; })()"
                )
                t = page.evaluate(
                    "(b => { const t = performance.now(); window.cgView.showPart(b);"
                    " return performance.now() - t; })",
                    biggest,
                )
                nodes = page.evaluate("window.cgView.nodes.length")
                leaf = (nodes, t, page.evaluate(REDRAW))
            timings = [page.evaluate(REDRAW) for _ in range(3)]
            print(
                f"{name}: first frame {first / 1000:.2f} s; redraw {redraw:.1f} ms "
                f"(median of 3 more rounds {statistics.median(timings):.1f} ms)"
                + (
                    f"; largest part: {leaf[0]:,} nodes opened in {leaf[1]:.0f} ms, "
                    f"redraw {leaf[2]:.1f} ms"
                    if leaf
                    else ""
                ),
                flush=True,
            )
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
