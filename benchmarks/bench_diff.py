"""Benchmark: ``clustergraph diff`` between two generations of a project differing by one file.

Not a test: run it by hand, from the project root::

    .venv/bin/python benchmarks/bench_diff.py [--triples 100k] [--seed 5]

It generates the synthetic ecosystem (``benchmarks/generate.py``), commits it to a git
repository in a temporary directory, edits one source file as a curator would
(:func:`generate.edit_source`) and commits again. Then, in one process, it times
:func:`clustergraph.pipeline.diff.diff` between the two revisions, between two stores on
disk (each revision loaded and derived) and between two builds' N-Quads exports, each
beside raw pyoxigraph doing the reading such a comparison needs: loading both revisions'
files into a store (``bulk_load``), reading every named graph of both stores, parsing
both exports; the difference is computed with Python sets in both. CPU seconds are the
process's (user and system); the peak memory is the process's at the end.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

from clustergraph.pipeline.derive import derive  # noqa: E402
from clustergraph.pipeline.diff import diff  # noqa: E402
from clustergraph.pipeline.load import load  # noqa: E402
from clustergraph.pipeline.publish import export_all  # noqa: E402
from clustergraph.project.layout import Project  # noqa: E402
from clustergraph.store import open_store  # noqa: E402


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(step: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``step``; return its result, its wall seconds and its CPU seconds."""
    wall, cpu = time.perf_counter(), _cpu()
    result = step()
    return result, time.perf_counter() - wall, _cpu() - cpu


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def _raw_load(roots: list[Path]) -> int:
    """Load each project's files into a memory store with pyoxigraph alone; count quads."""
    total = 0
    for root in roots:
        store = ox.Store()
        files = [root / "ontology" / "clustergraph.ttl"]
        files += sorted((root / "data" / "vocab").glob("*.ttl"))
        files += sorted((root / "data" / "sources").glob("*.ttl"))
        for path in files:
            graph = ox.NamedNode(f"urn:graph:{path.parent.name}/{path.stem}")
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
        total += len(store)
    return total


def _raw_sets(quads: list[set[ox.Quad]]) -> tuple[int, int]:
    before, after = quads
    return len(after - before), len(before - after)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", default="100k", help="size (default 100k; never 1M here)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-diff-"))
    rows: list[tuple[str, float, float, float, float, str]] = []
    try:
        repo = work / "project"
        summary = generate.generate(
            repo, triples=generate.parse_count(args.triples), seed=args.seed
        )
        first = work / "first"
        shutil.copytree(repo, first)
        _git(work, "init", "-q", str(repo))
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "first")
        edited = sorted((repo / "data" / "sources").glob("*.ttl"))[summary.sources // 2]
        generate.edit_source(edited, 1)
        _git(repo, "commit", "-q", "-am", "one file edited")
        project = Project(repo)

        found, wall, cpu = _timed(lambda: diff("HEAD~1", "HEAD", project))
        _, raw_wall, raw_cpu = _timed(lambda: _raw_load([first, repo]))
        said = f"+{found.added} -{found.removed}"
        rows.append(("two revisions", wall, cpu, raw_wall, raw_cpu, said))

        stores, builds = (
            [work / "store-1", work / "store-2"],
            [work / "build-1", work / "build-2"],
        )
        for root, store_dir, build in zip((first, repo), stores, builds, strict=True):
            with open_store(f"oxigraph:{store_dir}") as store:
                load(Project(root), store)
                derive(store)
                export_all(store, build / "exports")
        found, wall, cpu = _timed(lambda: diff(f"oxigraph:{stores[0]}", f"oxigraph:{stores[1]}"))

        def raw_stores() -> tuple[int, int]:
            quads = []
            for store_dir in stores:
                store = ox.Store.read_only(str(store_dir))
                quads.append(
                    {
                        q
                        for g in store.named_graphs()
                        for q in store.quads_for_pattern(None, None, None, g)
                    }
                )
            return _raw_sets(quads)

        _, raw_wall, raw_cpu = _timed(raw_stores)
        rows.append(
            (
                "two stores",
                wall,
                cpu,
                raw_wall,
                raw_cpu,
                f"+{found.added} -{found.removed}",
            )
        )
        found, wall, cpu = _timed(lambda: diff(str(builds[0]), str(builds[1])))

        def raw_builds() -> tuple[int, int]:
            return _raw_sets(
                [
                    set(
                        ox.parse(
                            path=str(b / "exports" / "clustergraph.nq"),
                            format=ox.RdfFormat.N_QUADS,
                        )
                    )
                    for b in builds
                ]
            )

        _, raw_wall, raw_cpu = _timed(raw_builds)
        rows.append(
            (
                "two builds",
                wall,
                cpu,
                raw_wall,
                raw_cpu,
                f"+{found.added} -{found.removed}",
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"clustergraph diff at {args.triples} ({summary.source_triples:,} source triples, "
        f"{summary.sources} files), one file edited; peak memory {peak:,.0f} MB"
    )
    head = ("between", "wall s", "CPU s", "raw wall", "raw CPU", "CPU ratio")
    print(f"{head[0]:<15} {head[1]:>7} {head[2]:>7} {head[3]:>9} {head[4]:>8} {head[5]:>9}  facts")
    for name, wall, cpu, raw_wall, raw_cpu, said in rows:
        ratio = cpu / raw_cpu if raw_cpu else float("nan")
        print(
            f"{name:<15} {wall:7.2f} {cpu:7.2f} {raw_wall:9.2f} {raw_cpu:8.2f} {ratio:9.1f}  {said}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
