"""Benchmark: the site's search on a generated project, in headless Chromium, from disk.

Not a test: run it by hand, from the project root::

    .venv/bin/python benchmarks/generate.py /tmp/eco --triples 100k
    .venv/bin/python benchmarks/bench_search.py /tmp/eco

It loads the project into a memory store (load and derive), reads the catalogue as the
site does, writes the search index as the site does (``render.site.write_search``) with
one page holding the site's search box, and opens that page from disk in headless
Chromium (no network). It prints the index's size (all shards, the largest, the one a
query needs), then the time of the first query (the shard's script loaded and parsed,
then searched), and of each keystroke of typed queries once the shard is loaded (the
search itself, then the results put into the page as the search box does), and the same
search in Python over the same rows as a yardstick. The budget of a keystroke is 300 ms.
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

from tests.support.browser import chromium_context  # noqa: E402

from clustergraph.network.index import GraphIndex  # noqa: E402
from clustergraph.pipeline.sync import sync  # noqa: E402
from clustergraph.project.layout import Project  # noqa: E402
from clustergraph.render.catalogue import Catalogue  # noqa: E402
from clustergraph.render.site import normalise, search_rows, write_search  # noqa: E402
from clustergraph.store import open_store  # noqa: E402

BUDGET_MS = 300.0
"""The most a keystroke may take."""

PAGE = """<!DOCTYPE html><html lang="en" data-root=""><head><meta charset="utf-8">
<title>search</title></head><body>
<div class="search" role="search" hidden>
<input id="site-search" type="search" autocomplete="off">
<ul class="search-results" hidden></ul></div>
<script src="assets/search.js"></script></body></html>
"""

TIME_FIND = """([query, firstLoad]) => new Promise(done => {
  const started = performance.now();
  window.cgSearch.find(query, (rows, total) => {
    const found = performance.now();
    // put the results in as the search box does (one list item per row)
    const list = document.querySelector('.search-results');
    list.textContent = '';
    rows.forEach(r => {
      const li = document.createElement('li'); li.textContent = r[1]; list.appendChild(li);
    });
    list.offsetHeight;  // layout
    done({ms: performance.now() - started, search: found - started, rows: rows.length,
          total: total || 0, first: rows.length ? rows[0][1] : null});
  });
})"""


def _python_find(rows: list[list[object]], query: str) -> int:
    """Count the rows whose names have a word starting with each word of ``query``."""
    words = normalise(query).split()
    found = 0
    for row in rows:
        names = " " + str(row[0]).replace("|", " ") + " "
        if all(" " + w in names for w in words):
            found += 1
    return found


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument(
        "--query",
        action="append",
        help="a query typed key by key (default: three names of the generated ecosystem)",
    )
    args = parser.parse_args()
    project = Project(args.project)
    store = open_store("memory:")
    started = time.perf_counter()
    sync(project, store)
    loaded = time.perf_counter()
    catalogue = Catalogue.from_store(store, GraphIndex.from_store(store))
    read = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    write_search(work, catalogue)
    written = time.perf_counter()
    (work / "index.html").write_text(PAGE, encoding="utf-8")
    shards = {p.stem: p.stat().st_size for p in (work / "search").glob("*.js")}
    rows = search_rows(catalogue)
    entities = len({id(r) for shard in rows.values() for r in shard})
    print(
        f"load+derive {loaded - started:.1f} s; catalogue {read - loaded:.1f} s; "
        f"index written {written - read:.2f} s; {entities:,} entities searchable",
        flush=True,
    )
    print(
        f"index: {len(shards)} shards, {sum(shards.values()) / 1e6:.2f} MB in all, "
        f"largest {max(shards, key=shards.__getitem__)!r} "
        f"{max(shards.values()) / 1e6:.2f} MB, "
        f"median {statistics.median(shards.values()) / 1e3:.0f} kB",
        flush=True,
    )
    queries = args.query or ["lithuanian cluster", "siauliai institute", "uab"]
    with chromium_context(work / "profile") as context:
        context.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
        )
        for query in queries:
            page = context.new_page()
            page.goto((work / "index.html").as_uri())
            page.wait_for_function("() => window.cgSearch")
            shard = normalise(query)[0]
            first = page.evaluate(TIME_FIND, [query[:1], True])
            print(
                f"{query!r}: first key {query[:1]!r}: shard {shard!r} "
                f"({shards.get(shard, 0) / 1e6:.2f} MB) loaded and searched "
                f"in {first['ms']:.0f} ms, "
                f"{first['total']:,} matches",
                flush=True,
            )
            keys = []
            for end in range(1, len(query) + 1):
                got = page.evaluate(TIME_FIND, [query[:end], False])
                keys.append(got["ms"])
            worst = max(keys)
            shard_rows = rows.get(shard, [])
            py_started = time.perf_counter()
            for end in range(1, len(query) + 1):
                _python_find(shard_rows, query[:end])
            py_ms = (time.perf_counter() - py_started) * 1000 / len(query)
            print(
                f"  typed key by key: median {statistics.median(keys):.1f} ms, "
                f"worst {worst:.1f} ms "
                f"a keystroke ({worst / BUDGET_MS:.2f} of the {BUDGET_MS:.0f} ms budget); "
                f"{got['total']:,} matches, first {got['first']!r}; "
                f"Python over the same rows {py_ms:.1f} ms a keystroke "
                f"(browser/Python {statistics.median(keys) / py_ms:.2f})",
                flush=True,
            )
            page.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
