"""Shared fixtures: the repository's project, its dataset, and throw-away copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset

from clustergraph.layout import Project
from clustergraph.load import load

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
