"""Shared fixtures: the repository's project, its dataset, and throw-away copies."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset

from clustergraph.build import BuildReport, build
from clustergraph.pipeline.load import load
from clustergraph.project.layout import Project
from clustergraph.queries.library import Library
from clustergraph.store.engines import Engine, OxigraphEngine, RdflibEngine, Result, run

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def project() -> Project:
    """Return the repository's own project (its real ontology/ and data/)."""
    return Project(REPO)


@pytest.fixture(scope="session")
def dataset(project: Project) -> Dataset:
    """Load the repository's dataset once per session (do not modify it)."""
    return load(project)


@pytest.fixture
def project_copy(tmp_path: Path, project: Project) -> Project:
    """Copy the repository's ontology/ and data/ to a temporary root a test may edit."""
    root = tmp_path / "repo"
    for name in ("ontology", "data"):
        shutil.copytree(project.root / name, root / name)
    return Project(root)


@pytest.fixture(scope="session")
def engines(dataset: Dataset) -> dict[str, Engine]:
    """Open the two embedded engines over the repository's dataset."""
    return {"rdflib": RdflibEngine(dataset), "oxigraph": OxigraphEngine.from_dataset(dataset)}


@pytest.fixture(scope="session")
def answer(engines: dict[str, Engine], project: Project) -> Callable[[str, str], Result]:
    """``answer(engine, name)``: a library query's answer with its defaults, run once."""
    library = Library.of(project)
    cache: dict[tuple[str, str], Result] = {}

    def get(engine: str, name: str) -> Result:
        if (engine, name) not in cache:
            cache[engine, name] = run(engines[engine], library.get(name))
        return cache[engine, name]

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
    report = build(project, out=out, stream=stream)
    return SiteBuild(out, report, stream.getvalue())
