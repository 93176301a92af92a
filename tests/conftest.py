"""Shared fixtures: the repository's project, its store, and throw-away copies.

Tests about the five articles assert their facts, never totals of whatever
``data/sources/`` holds: the query library's expected answers
(``tests/queries/expected.toml``) are snapshots of a store of the five articles alone
(``seed_store``, the sources its ``[articles]`` table names), so a sixth article leaves them
as they are; other tests read the whole project (``store``) and look for the facts they
need among whatever else is there.

Markers (see ``pyproject.toml``): ``slow`` (more than a few seconds), ``browser``
(headless Chromium), ``store`` (a real triple store server). ``pytest -m "not slow and
not browser and not store"`` is the fast subset.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from clustergraph.build import BuildReport, build
from clustergraph.pipeline.sync import sync
from clustergraph.project.layout import Project
from clustergraph.queries.library import Library
from clustergraph.queries.run import run
from clustergraph.store import Result, Store, open_store

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = Path(__file__).resolve().parent / "queries" / "expected.toml"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--update-expected``: regenerate the query library's expected answers."""
    parser.addoption(
        "--update-expected",
        action="store_true",
        help="rewrite tests/queries/expected.toml from the store's answers and print the "
        "difference for review",
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """With ``--update-expected``, rewrite the manifest before the tests read it."""
    if not session.config.getoption("--update-expected"):
        return
    from tests.support.snapshot import regenerate

    with tempfile.TemporaryDirectory() as root, open_store("memory:") as fresh:
        seeds = seed_project_at(Path(root))
        sync(seeds, fresh)
        text, diff = regenerate(EXPECTED, fresh, Library.of(seeds))
    EXPECTED.write_text(text, encoding="utf-8")
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = diff or "tests/queries/expected.toml: no answer changed\n"
    if reporter is not None:
        reporter.write(message)
    else:
        print(message)


def seed_stems() -> list[str]:
    """Return the stems of the five articles' source files, as ``expected.toml`` lists them."""
    manifest = tomllib.loads(EXPECTED.read_text(encoding="utf-8"))
    stems: list[str] = manifest["articles"]["sources"]
    return stems


def seed_project_at(root: Path) -> Project:
    """Copy the repository's ontology, vocabularies, queries and the five articles to ``root``."""
    for name in ("ontology", "data/vocab", "queries"):
        shutil.copytree(REPO / name, root / name)
    (root / "data" / "sources").mkdir(parents=True)
    for stem in seed_stems():
        path = REPO / "data" / "sources" / f"{stem}.ttl"
        shutil.copyfile(path, root / "data" / "sources" / path.name)
    return Project(root)


@pytest.fixture(scope="session")
def project() -> Project:
    """Return the repository's own project (its real ontology/ and data/)."""
    return Project(REPO)


@pytest.fixture(scope="session")
def store(project: Project) -> Iterator[Store]:
    """Return an in-memory store of the repository's stated and derived facts (read only)."""
    with open_store("memory:") as opened:
        sync(project, opened)
        yield opened


@pytest.fixture(scope="session")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Return a project of the five articles alone (whatever else ``data/sources/`` holds)."""
    return seed_project_at(tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="session")
def seed_store(seed_project: Project) -> Iterator[Store]:
    """Return an in-memory store of the five articles' stated and derived facts (read only)."""
    with open_store("memory:") as opened:
        sync(seed_project, opened)
        yield opened


@pytest.fixture
def project_copy(tmp_path: Path, project: Project) -> Project:
    """Copy the repository's ontology/, data/ and queries/ to a root a test may edit."""
    root = tmp_path / "repo"
    for name in ("ontology", "data", "queries"):
        shutil.copytree(project.root / name, root / name)
    return Project(root)


@pytest.fixture(scope="session")
def library(project: Project) -> Library:
    """Return the repository's query library."""
    return Library.of(project)


@pytest.fixture(scope="session")
def answer(seed_store: Store, library: Library) -> Callable[[str], Result]:
    """``answer(name)``: a library query's answer on the five articles, run once."""
    cache: dict[str, Result] = {}

    def get(name: str) -> Result:
        if name not in cache:
            cache[name] = run(seed_store, library.get(name))
        return cache[name]

    return get


@dataclass(frozen=True)
class SiteBuild:
    """A build of the repository's project: its output directory and what it printed."""

    out: Path
    report: BuildReport
    output: str

    @property
    def site(self) -> Path:
        return self.out / "site"


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory, project: Project) -> SiteBuild:
    """Run ``clustergraph build`` once per session into a temporary directory."""
    out = tmp_path_factory.mktemp("site-build") / "build"
    stream = io.StringIO()
    report = build(project, out=out, stream=stream, store="memory:")
    return SiteBuild(out, report, stream.getvalue())
