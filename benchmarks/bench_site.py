"""Benchmark: the explorer's views and pages on a generated project, full and incremental.

Not a test: run it by hand, from the project root::

    .venv/bin/python benchmarks/generate.py /tmp/eco --triples 10k
    .venv/bin/python benchmarks/bench_site.py /tmp/eco [--change]

It loads the project into a memory store (load and derive), makes what the site is made
of as the build does (queries with their defaults, the analysis, the exports: see
``tests/support/site.py``), then times :func:`clustergraph.render.site.write_views` and
:func:`~clustergraph.render.site.write_site`, and gives the site's size and file count.
With ``--change``, it then edits one source file (a label of the organisation the
article is about), loads again, and writes the site again with ``previous=`` the first
site, giving the time and how many files were rewritten (rendered again) and reused.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.site import project_network, site_inputs  # noqa: E402

from clustergraph.network.index import GraphIndex  # noqa: E402
from clustergraph.network.measures import analyze  # noqa: E402
from clustergraph.pipeline.stats import stats  # noqa: E402
from clustergraph.pipeline.sync import sync  # noqa: E402
from clustergraph.project.layout import Project  # noqa: E402
from clustergraph.render.site import (  # noqa: E402
    SiteInputs,  # noqa: E402
    write_site,
    write_views,
)
from clustergraph.store import open_store  # noqa: E402


def _size(folder: Path) -> tuple[int, int]:
    files = 0
    total = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            files += 1
            total += os.stat(os.path.join(root, name)).st_size
    return files, total


def _pages_only(project: Project, store: Any, build: Path) -> SiteInputs:
    """Return what the site is made of, without the library's queries and the exports."""
    index = GraphIndex.from_store(store)
    return SiteInputs(
        project=project,
        store=store,
        index=index,
        analysis=analyze(project_network(index)),
        stats=stats(store),
        runs=(),
        exports={},
        build=build,
    )


def _site(
    project: Project, build: Path, previous: Path | None, *, queries: bool = True
) -> dict[str, float]:
    store = open_store("memory:")
    started = time.perf_counter()
    sync(project, store)
    loaded = time.perf_counter()
    inputs = (site_inputs if queries else _pages_only)(project, store, build)
    prepared = time.perf_counter()
    views = write_views(inputs, previous=previous)
    viewed = time.perf_counter()
    summary = write_site(inputs, previous=previous)
    done = time.perf_counter()
    files, total = _size(build / "site")
    return {
        "load+derive s": round(loaded - started, 2),
        "index+queries+analysis+exports s": round(prepared - loaded, 2),
        "views s": round(viewed - prepared, 2),
        "pages s": round(done - viewed, 2),
        "views": views,
        "pages": summary.pages,
        "rendered": summary.rendered,
        "reused": summary.reused,
        "site files": files,
        "site MB": round(total / 1e6, 1),
        "peak RSS MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--change", action="store_true", help="then change one source")
    parser.add_argument(
        "--no-queries",
        action="store_true",
        help="leave out the library's queries and the exports (the pages and views alone)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        project_dir = work / "project"
        shutil.copytree(args.project, project_dir)
        project = Project(project_dir)
        queries = not args.no_queries
        first = _site(project, work / "first", None, queries=queries)
        print("full:", first, flush=True)
        if args.change:
            sources = sorted((project_dir / "data" / "sources").glob("*.ttl"))
            target = sources[len(sources) // 2]
            text = target.read_text(encoding="utf-8")
            changed = re.sub(
                r'skos:prefLabel "([^"]*)"', r'skos:prefLabel "\1 (renamed)"', text, count=1
            )
            target.write_text(changed, encoding="utf-8")
            second = _site(project, work / "second", work / "first" / "site", queries=queries)
            print(f"after changing {target.name}:", second, flush=True)
            old = {p.relative_to(work / "first") for p in (work / "first" / "site").rglob("*")}
            new = {p.relative_to(work / "second") for p in (work / "second" / "site").rglob("*")}
            print("only in the first:", sorted(map(str, old - new))[:10], flush=True)
            print("only in the second:", sorted(map(str, new - old))[:10], flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
