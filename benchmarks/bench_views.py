"""Benchmark: layout and page writing of views, at 1x and 1000x the seed graph's size.

Not a test: run it by hand, from the project root::

    .venv/bin/python benchmarks/bench_views.py [--scales 1 1000] [--browser]

The synthetic graph at scale k is k copies of the seed ecosystem (the entity network of
``data/``, loaded into a memory store), with one random link per copy between copies so
that it hangs together as a growing ecosystem would. For each scale it measures

* ``layout``: :func:`clustergraph.render.drawing.draw` alone (igraph scores, parts, positions);
* ``page``: :func:`clustergraph.render.views.write_view` as a whole (layout, JSON, HTML, atomic
  write), and the size of the page;
* with ``--browser``, the time Chromium takes from opening the file to the first frame.

Times depend on the machine, so each is also given as a ratio to baselines measured in
the same run: ``calibration``, a fixed pure-Python workload (sorting 200,000 random
numbers five times), and ``pyvis``, the usual way to write such a page at 1x: pyvis
``Network.from_nx`` with networkx ``spring_layout`` positions, then ``write_html``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from clustergraph.network.projections import GraphIndex, entity_network
from clustergraph.pipeline.load import load
from clustergraph.project.layout import Project
from clustergraph.render.drawing import draw
from clustergraph.render.views import write_view
from clustergraph.store import open_store


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Return the seconds ``function`` took and what it returned."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def calibration() -> float:
    """Time a fixed pure-Python workload, the unit of the machine-independent ratios."""
    rng = random.Random(0)
    numbers = [rng.random() for _ in range(200_000)]

    def work() -> None:
        for _ in range(5):
            sorted(numbers)

    return min(timed(work)[0] for _ in range(3))


def replicate(seed: nx.Graph, copies: int, *, rng_seed: int = 1) -> nx.Graph:
    """Return ``copies`` copies of ``seed`` (nodes suffixed ``#i``), loosely linked."""
    graph = nx.Graph(name=f"{copies}x", prefixes=seed.graph.get("prefixes", {}))
    nodes = list(seed.nodes(data=True))
    edges = list(seed.edges(data=True))
    for i in range(copies):
        graph.add_nodes_from(
            (f"{n}#{i}", {**data, "label": f"{data.get('label', n)} #{i}"}) for n, data in nodes
        )
        graph.add_edges_from((f"{a}#{i}", f"{b}#{i}", data) for a, b, data in edges)
    rng = random.Random(rng_seed)
    names = [n for n, _data in nodes]
    for i in range(1, copies):
        a = f"{rng.choice(names)}#{i}"
        b = f"{rng.choice(names)}#{rng.randrange(i)}"
        graph.add_edge(a, b, predicates=("ex:linkedTo",), relations=("ex:linkedTo",))
    return graph


def arrays(graph: nx.Graph) -> tuple[int, list[tuple[int, int]], list[str], list[int]]:
    """Return what :func:`draw` takes: node count, index pairs, labels, class indices."""
    order = list(graph)
    index = {n: i for i, n in enumerate(order)}
    classes: dict[str, int] = {}
    class_of = [classes.setdefault(str(graph.nodes[n].get("cls")), len(classes)) for n in order]
    edges = [(index[a], index[b]) for a, b in graph.edges]
    labels = [str(graph.nodes[n].get("label", n)) for n in order]
    return len(order), edges, labels, class_of


def pyvis_baseline(graph: nx.Graph, out: Path) -> float:
    """Seconds for pyvis from_nx + networkx spring_layout + write_html."""
    from pyvis.network import Network

    def work() -> None:
        positions = nx.spring_layout(graph, seed=1)
        net = Network(height="800px", width="100%", cdn_resources="in_line")
        simple = nx.Graph()
        for n, data in graph.nodes(data=True):
            x, y = positions[n]
            simple.add_node(str(n), label=str(data.get("label", n)), x=x * 1000, y=y * 1000)
        simple.add_edges_from((str(a), str(b)) for a, b in graph.edges)
        net.from_nx(simple)
        net.toggle_physics(False)
        net.write_html(str(out), notebook=False)

    return timed(work)[0]


def first_frame(path: Path) -> float:
    """Seconds from opening ``path`` in headless Chromium to the view's first frame."""
    from playwright.sync_api import sync_playwright

    flags = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        start = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function(
            "() => window.cgView && window.cgView.drawCount > 0", timeout=120_000
        )
        elapsed = time.perf_counter() - start
        browser.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 1000])
    parser.add_argument("--browser", action="store_true", help="also time the first frame")
    args = parser.parse_args(argv)

    store = open_store("memory:")
    load(Project.discover(), store)
    seed = entity_network(GraphIndex.from_store(store))
    unit = calibration()
    print(f"seed graph: {seed.number_of_nodes()} nodes, {seed.number_of_edges()} edges")
    print(f"calibration (fixed pure-Python workload): {unit:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        base = pyvis_baseline(seed, Path(tmp, "pyvis.html"))
        print(f"pyvis baseline at 1x (from_nx + spring_layout + write_html): {base:.3f} s")
        print()
        header = (
            "scale",
            "nodes",
            "edges",
            "layout s",
            "page s",
            "page MB",
            "parts",
            "page/calib",
            "page/pyvis",
            "first frame s",
        )
        print("  ".join(f"{h:>12}" for h in header))
        totals: dict[int, float] = {}
        for scale in args.scales:
            graph = replicate(seed, scale)
            n, edges, labels, classes = arrays(graph)
            layout_s, _ = timed(lambda n=n, e=edges, t=labels, c=classes: draw(n, e, t, c))
            out = Path(tmp, f"view-{scale}.html")
            page_s, summary = timed(lambda g=graph, o=out: write_view(g, o, title="benchmark"))
            totals[scale] = page_s
            frame = f"{first_frame(out):.2f}" if args.browser else "-"
            row = (
                f"{scale}x",
                str(summary.nodes),
                str(summary.edges),
                f"{layout_s:.2f}",
                f"{page_s:.2f}",
                f"{out.stat().st_size / 1e6:.1f}",
                str(summary.parts),
                f"{page_s / unit:.1f}",
                f"{page_s / base:.2f}",
                frame,
            )
            print("  ".join(f"{c:>12}" for c in row))
        if len(totals) > 1:
            small, large = min(totals), max(totals)
            growth = totals[large] / totals[small]
            print(
                f"\npage time grows {growth:.0f}-fold for {large // small}-fold the graph "
                f"({growth / (large // small):.2f} per unit of size)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
