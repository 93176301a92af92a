"""The package works outside a checkout: the wheel carries the curated graph and its queries.

The wheel is built from a copy of the repository (setuptools writes ``build/``, which is
the project's own output folder), installed into a fresh virtual environment, and run in
an empty directory far from any checkout. The environment sees the package only through
the wheel; its dependencies come from the test's own environment (a ``.pth`` file on
``sys.path``), so the test needs no network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from clustergraph.cli.main import main
from clustergraph.project.layout import Project
from tests.conftest import REPO

pytestmark = pytest.mark.slow

#: What a checkout holds that the wheel is made from (everything else stays out).
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "src",
    "ontology",
    "data",
    "queries",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a clean copy of the checkout."""
    tree = tmp_path_factory.mktemp("tree")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=ignore)
        else:
            shutil.copy2(source, tree / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(tree),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("clustergraph-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """Install the wheel into a fresh virtual environment; return its ``bin``."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, capture_output=True)
    bin_dir = root / "bin"
    subprocess.run(
        [str(bin_dir / "pip"), "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    fresh = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies, appended after the fresh site-packages: the package itself is
    # found in the wheel's copy first (a .pth inside a path added this way is not run,
    # so the checkout's editable install stays invisible).
    Path(fresh, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return bin_dir


def _run(bin_dir: Path, *args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    return subprocess.run(
        [str(bin_dir / args[0]), *args[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_wheel_carries_the_graph_and_the_queries(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    bundle = "clustergraph/project/bundle/"
    assert bundle + "ontology/clustergraph.ttl" in names
    assert bundle + "queries/office-holders.rq" in names
    assert any(n.startswith(bundle + "queries/checks/") for n in names)
    assert any(n.startswith(bundle + "data/vocab/") for n in names)
    sources = {n.rsplit("/", 1)[1] for n in names if n.startswith(bundle + "data/sources/")}
    assert sources == {p.name for p in (REPO / "data" / "sources").iterdir() if p.is_file()}


def test_installed_outside_a_checkout_it_builds_and_answers(venv: Path, tmp_path: Path):
    work, home = tmp_path / "empty", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    where = _run(
        venv,
        "python",
        "-c",
        "import clustergraph; print(clustergraph.__file__)",
        cwd=work,
        home=home,
    )
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv.parent), "the wheel's copy is imported"

    built = _run(venv, "clustergraph", "build", cwd=work, home=home)
    assert built.returncode == 0, built.stderr
    assert (work / "build" / "site" / "index.html").is_file()
    assert sorted(p.name for p in work.iterdir()) == ["build"], (
        "nothing but build/ in the directory"
    )

    answer = _run(
        venv, "clustergraph", "query", "office-holders", "--param", "org=lcn", cwd=work, home=home
    )
    assert answer.returncode == 0, answer.stderr
    assert "Giedrius Bagušinskas" in answer.stdout and "role:president" in answer.stdout


def test_init_starts_a_project_of_ones_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    target = tmp_path / "estonia"
    assert main(["init", str(target)]) == 0
    assert "created a project" in capsys.readouterr().out
    project = Project(target)
    assert project.ontology_file.is_file()
    assert list((target / "data" / "sources").iterdir()) == []
    assert (target / "queries" / "office-holders.rq").is_file()
    assert main(["--root", str(target), "load", "--store", "memory:"]) == 0
    assert main(["init", str(target)]) == 2, "an existing project is not overwritten"
