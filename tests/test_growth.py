"""Tests that survive growth: two made-up articles added, the whole fast suite still passes.

The articles (``tests/fixtures/curation/made-up-article-*.ttl``) are valid and invented:
one gives a new cluster a Silver label, a coordinator, two figures and a membership of
EACN; the other founds a network with members (two of them the five articles'
clusters), a president and a forum. The test copies the project, adds both to the copy's
``data/sources/`` and runs the fast subset there in a fresh interpreter: the suite's
root is the directory of its ``conftest.py``, so the copy tests the copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clustergraph.pipeline.checks import run_checks
from clustergraph.pipeline.sync import sync
from clustergraph.pipeline.validate import validate
from clustergraph.project.layout import Project
from clustergraph.queries.library import Library
from clustergraph.store import open_store
from tests.conftest import FIXTURES, REPO

ARTICLES = sorted((FIXTURES / "curation").glob("made-up-article-*.ttl"))
SKIPPED = {".git", ".venv", "build", ".clustergraph", "node_modules", "dist"}


def _copy_project(target: Path) -> Project:
    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == REPO
        caches = {n for n in names if n.endswith((".egg-info", "_cache")) or n == "__pycache__"}
        return caches | ({n for n in names if n in SKIPPED} if top else set())

    shutil.copytree(REPO, target, ignore=ignore)
    for article in ARTICLES:
        shutil.copyfile(article, target / "data" / "sources" / article.name)
    return Project(target)


def test_the_made_up_articles_validate_and_pass_the_checks(project_copy: Project) -> None:
    assert len(ARTICLES) == 2
    for article in ARTICLES:
        shutil.copyfile(article, project_copy.sources_dir / article.name)
    with open_store("memory:") as store:
        sync(project_copy, store)
        report = validate(project_copy, store)
        assert report.conforms, report.format()
        assert run_checks(store, Library.of(project_copy)).passed


@pytest.mark.slow
def test_the_fast_suite_passes_with_two_more_articles(tmp_path: Path) -> None:
    copy = _copy_project(tmp_path / "project")
    env = {**os.environ, "PYTHONPATH": str(copy.root / "src")}
    marks = "not slow and not browser and not store"
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-m", marks, "-p", "no:cacheprovider"]
    command += ["-n", "2"] if _has_xdist() else []
    done = subprocess.run(
        command, cwd=copy.root, env=env, capture_output=True, text=True, timeout=1200
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]


def _has_xdist() -> bool:
    try:
        import xdist  # noqa: F401
    except ImportError:
        return False
    return True
