"""Benchmark: the site's search on a generated project, in headless Chromium, from disk.

Not a test: run it by hand, from the project root::

    .venv/bin/python benchmarks/generate.py /tmp/eco --triples 100k
    .venv/bin/python benchmarks/bench_search.py /tmp/eco [--copies 8]

It loads the project into a memory store (load and derive), reads the catalogue as the
site does, writes the search index as the site does (``render.site.write_search``) with
one page holding the site's search box, and opens that page from disk in headless
Chromium (no network). It prints the index's size (all shards, the largest, the one a
query needs), then the time of the first query (the list of shards and the shard loaded
and parsed, then searched: its first answer, from the first part of a large shard, and
the whole answer), and of each keystroke of typed queries (the search itself, then the
results put into the page as the search box does), and the same
search in Python over the same rows as a yardstick. The budget of a keystroke is 300 ms.
With ``--copies N`` every entity is indexed N times (under N addresses), as a site N
times larger with names like these would be: the 100k-triple ecosystem has about 13,000
entities, ``--copies 8`` gives a site of about 100,000.
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
from clustergraph.render.site import (  # noqa: E402
    normalise,
    search_rows,
    search_shards,
    write_search_rows,
)
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
  let first = null;
  function put(rows) {  // put the results in as the search box does (one item a row)
    const list = document.querySelector('.search-results');
    list.textContent = '';
    rows.forEach(r => {
      const li = document.createElement('li'); li.textContent = r[1]; list.appendChild(li);
    });
    list.offsetHeight;  // layout
  }
  window.cgSearch.find(query, (rows, total, short, partial) => {
    if (first === null) { put(rows); first = performance.now() - started; }
    if (partial) return;  // the first part of a large shard answered; the whole follows
    put(rows);
    done({ms: first, whole: performance.now() - started, rows: rows.length,
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
    parser.add_argument("--copies", type=int, default=1, help="index every entity N times")
    args = parser.parse_args()
    project = Project(args.project)
    store = open_store("memory:")
    started = time.perf_counter()
    sync(project, store)
    loaded = time.perf_counter()
    catalogue = Catalogue.from_store(store, GraphIndex.from_store(store))
    read = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    rows = search_rows(catalogue)
    if args.copies > 1:
        rows = {
            key: [
                [r[0], r[1], r[2], str(r[3]).replace(".html", f"-{k}.html"), r[4]]
                for r in group
                for k in range(args.copies)
            ]
            for key, group in rows.items()
        }
    write_search_rows(work, rows)
    written = time.perf_counter()
    (work / "index.html").write_text(PAGE, encoding="utf-8")
    shards = {p.stem: p.stat().st_size for p in (work / "search").glob("*.js") if p.stem != "keys"}
    counts = {key: len(group) for key, group in search_shards(rows).items()}
    entities = len({r[3] for group in rows.values() for r in group})
    print(
        f"load+derive {loaded - started:.1f} s; catalogue {read - loaded:.1f} s; "
        f"index written {written - read:.2f} s; {entities:,} entities searchable",
        flush=True,
    )
    print(
        f"index: {len(shards)} shards, {sum(shards.values()) / 1e6:.2f} MB in all, "
        f"largest {max(shards, key=shards.__getitem__)!r} "
        f"{max(shards.values()) / 1e6:.2f} MB, "
        f"median {statistics.median(shards.values()) / 1e3:.0f} kB; "
        f"list of shards {(work / 'search' / 'keys.js').stat().st_size / 1e3:.0f} kB",
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
            words = [w for w in normalise(query).split() if len(w) > 1]
            shard = min((w[:2] for w in words), key=lambda k: counts.get(k, 0))
            first = page.evaluate(TIME_FIND, [query[:2], True])
            print(
                f"{query!r}: first two keys {query[:2]!r}: list of shards and shard "
                f"{query[:2].lower()!r} ({shards.get(query[:2].lower(), 0) / 1e6:.2f} MB) loaded "
                f"and searched: first answer in {first['ms']:.0f} ms, the whole in "
                f"{first['whole']:.0f} ms, {first['total']:,} matches; "
                f"the whole query searches shard {shard!r} ({shards.get(shard, 0) / 1e6:.2f} MB)",
                flush=True,
            )
            keys = []
            wholes = []
            for end in range(1, len(query) + 1):
                got = page.evaluate(TIME_FIND, [query[:end], False])
                keys.append(got["ms"])
                wholes.append(got["whole"])
            worst = max(keys)
            shard_rows = search_shards(rows).get(shard, [])
            py_started = time.perf_counter()
            for end in range(1, len(query) + 1):
                _python_find(shard_rows, query[:end])
            py_ms = (time.perf_counter() - py_started) * 1000 / len(query)
            print(
                f"  typed key by key: median {statistics.median(keys):.1f} ms, "
                f"worst {worst:.1f} ms "
                f"a keystroke ({worst / BUDGET_MS:.2f} of the {BUDGET_MS:.0f} ms budget), "
                f"the whole answer worst {max(wholes):.1f} ms; "
                f"{got['total']:,} matches, first {got['first']!r}; "
                f"Python over the same rows {py_ms:.1f} ms a keystroke "
                f"(browser/Python {statistics.median(keys) / py_ms:.2f})",
                flush=True,
            )
            page.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
