"""Incremental builds: a rebuild that changes nothing does nothing, and leaves nothing stale.

Each stage after the derivation records what it was built from and the files it wrote
(``build/.clustergraph-record.json``); the next build skips it when nothing it reads
changed and its files are intact, and whatever it does build equals a full build.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest

from clustergraph.build import STAGES, build
from clustergraph.pipeline.record import RECORD_FILE, read_record
from clustergraph.project.layout import Project

pytestmark = pytest.mark.slow

RECORDED = [s.name for s in STAGES if s.reads is not None]

ALIAS = "Zzq Stale Alias Wq"
"""A name no article holds: added to a copy of a source, then taken away."""

EXTRA = f'\no:lcn skos:altLabel "{ALIAS}"@en .\n'
SOURCE = "lithuanian-cluster-network-established.ttl"


def copy_project(src: Project, root: Path) -> Project:
    for name in ("ontology", "data", "queries"):
        shutil.copytree(src.root / name, root / name)
    return Project(root)


CHANGES = "site/changes.html"
"""The page of what changed since the previous build: a build after another compares with
it (and lists a fact taken out as removed), a first build says there is none; every other
file of a build follows from the files alone."""


def tree(directory: Path) -> dict[str, str]:
    """Every file of a build but its record and its changes page, with its SHA-256."""
    return {
        rel: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
        and p.name != RECORD_FILE
        and (rel := p.relative_to(directory).as_posix()) != CHANGES
    }


def clone(project: Project, root: Path) -> Project:
    """Copy a built project: its files, its store and its build."""
    copy = copy_project(project, root)
    shutil.copytree(project.root / ".clustergraph", root / ".clustergraph")
    shutil.copytree(project.build_dir, copy.build_dir)
    return copy


def stats(directory: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(directory).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in directory.rglob("*")
        if p.is_file()
    }


def run(project: Project, **options: object) -> dict[str, str]:
    """Build ``project``; return each stage's line by stage name."""
    stream = io.StringIO()
    build(project, stream=stream, **options)  # type: ignore[arg-type]
    lines = {}
    for line in stream.getvalue().splitlines():
        if line.startswith("["):
            name = line.split("]", 1)[1].split()[0]
            lines[name] = line
    return lines


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, project: Project) -> Project:
    """Return a copy of the project with one extra alias, built once."""
    copy = copy_project(project, tmp_path_factory.mktemp("incremental") / "repo")
    source = copy.sources_dir / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    build(copy, quiet=True)
    return copy


def test_a_rebuild_with_nothing_changed_writes_nothing(built: Project):
    out = built.build_dir
    before = stats(out)
    record = read_record(out)
    assert record is not None and sorted(record.stages) == sorted(RECORDED)
    lines = run(built)
    for name in RECORDED:
        assert "unchanged since the last build" in lines[name], lines[name]
    assert "not needed" in lines["copy"]
    assert stats(out) == before  # not one file written again, the record included
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".build-")]


def test_a_removed_or_edited_output_is_built_again(built: Project):
    out = built.build_dir
    before = tree(out)
    (out / "site" / "index.html").unlink()
    export = next((out / "exports").glob("clustergraph.n*"))
    export.write_bytes(export.read_bytes() + b"\n")
    result = next((out / "queries").glob("*.csv"))
    result.write_text("edited\n", encoding="utf-8")
    lines = run(built)
    for name in ("site", "export", "queries"):
        assert "unchanged" not in lines[name], lines[name]
    assert tree(out) == before
    lines = run(built)  # and the build is whole again: the next one does nothing
    assert all("unchanged since the last build" in lines[name] for name in RECORDED), lines


def test_an_edited_query_runs_what_reads_it_and_keeps_the_rest(built: Project, tmp_path):
    copy = clone(built, tmp_path / "repo")
    exports = {p.name: p.stat().st_ino for p in (copy.build_dir / "exports").iterdir()}
    query = sorted(copy.queries_dir.glob("*.rq"))[0]
    query.write_text(query.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    lines = run(copy)
    for name in ("check", "queries", "views", "site"):
        assert "unchanged" not in lines[name], lines[name]
    assert "unchanged since the last build" in lines["export"]
    assert {p.name: p.stat().st_ino for p in (copy.build_dir / "exports").iterdir()} == exports
    page = copy.build_dir / "site" / "query" / f"{query.stem}.html"
    assert "# edited" in page.read_text(encoding="utf-8")


def test_a_fact_taken_out_of_a_source_is_gone_and_the_build_equals_a_full_one(
    built: Project, tmp_path
):
    copy = clone(built, tmp_path / "repo")
    shown = [
        rel for rel in tree(copy.build_dir) if ALIAS.encode() in (copy.build_dir / rel).read_bytes()
    ]
    assert any(r.startswith("site/entity/") for r in shown), shown
    assert any(r.startswith("exports/") for r in shown), shown
    assert any(r.startswith("queries/") for r in shown), shown
    source = copy.sources_dir / SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace(EXTRA, ""), encoding="utf-8")
    lines = run(copy)
    assert "1 of" in lines["load"], lines["load"]
    left = [
        rel for rel in tree(copy.build_dir) if ALIAS.encode() in (copy.build_dir / rel).read_bytes()
    ]
    assert left == []
    assert ALIAS in (copy.build_dir / CHANGES).read_text(encoding="utf-8")  # as removed
    fresh = copy_project(copy, tmp_path / "fresh")
    build(fresh, quiet=True, store="memory:")
    assert tree(copy.build_dir) == tree(fresh.build_dir)
