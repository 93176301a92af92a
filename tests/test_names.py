"""Names and values kept as written, and errors that name the file, the line and the fix.

Driven by the small files of ``tests/files/names/`` (``manifest.toml`` says what each
must do), each put alone into a copy of the repository's project (its ontology, shapes,
vocabularies and queries, none of its sources):

====================================  ================================================
kind                                  tests
====================================  ================================================
loaded as written                     ``test_a_good_file_loads`` (every file of
                                      ``names/good``), ``test_a_blank_node_label_*``
refused in one line                   ``test_a_bad_file_is_one_line_naming_the_line``
                                      (every file of ``names/bad``)
validated with the fix                ``test_validate_names_the_fix`` (``names/invalid``),
                                      ``test_validate_counts_what_it_validated``
any length                            ``test_a_name_past_the_csv_field_limit_builds``
====================================  ================================================
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from clustergraph.cli.main import main
from clustergraph.project.layout import Project

REPO = Path(__file__).resolve().parents[1]
NAMES = Path(__file__).resolve().parent / "files" / "names"
MANIFEST = tomllib.loads((NAMES / "manifest.toml").read_text(encoding="utf-8"))


def project_with(root: Path, *sources: Path) -> Project:
    """Copy the repository's project without its sources, then add ``sources``."""
    for name in ("ontology", "queries", "data/vocab"):
        shutil.copytree(REPO / name, root / name)
    (root / "data/sources").mkdir(parents=True)
    for path in sources:
        shutil.copyfile(path, root / "data/sources" / path.name)
    return Project(root)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


# ---------------------------------------------------------------------------
# Loaded as written
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MANIFEST["good"]))
def test_a_good_file_loads(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path / "p", NAMES / "good" / name)
    code, out, err = run(capsys, "--root", str(project.root), "load")
    assert code == 0, err
    assert "graphs loaded" in out


def test_a_blank_node_label_of_any_letter_is_one_node(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The label's letters past U+FFFF do not reach the update that writes the graph."""
    project = project_with(tmp_path / "p", NAMES / "good" / "blank-node-label-boundaries.ttl")
    query = tmp_path / "blank.rq"
    query.write_text(
        "SELECT ?comment WHERE { ?article <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?b . "
        "?b <http://www.w3.org/2000/01/rdf-schema#comment> ?comment FILTER(isBlank(?b)) }\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "--root", str(project.root), "query", str(query), "--format", "csv"
    )
    assert code == 0, err
    assert out.splitlines() == ["comment", "every range of PN_CHARS_BASE"]


# ---------------------------------------------------------------------------
# Refused in one line, with the line
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", MANIFEST["bad"], ids=lambda c: c["file"])
def test_a_bad_file_is_one_line_naming_the_line(
    case: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path / "p", NAMES / "bad" / case["file"])
    code, out, err = run(capsys, "--root", str(project.root), "load")
    assert code == 2, (out, err)
    line = one_line(err)
    prefix = f"clustergraph: error: data/sources/{case['file']}:"
    assert line.startswith(prefix), line
    assert re.search(case["message"], line[len(prefix) :]), line
    assert "holds a triple in graph" not in line  # the syntax error comes first


# ---------------------------------------------------------------------------
# Validated, with the fix
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", MANIFEST["invalid"], ids=lambda c: c["file"])
def test_validate_names_the_fix(
    case: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path / "p", NAMES / "invalid" / case["file"])
    code, out, err = run(capsys, "--root", str(project.root), "validate")
    assert code == 1, (out, err)
    assert "Traceback" not in err
    assert re.search(case["message"], out), out
    assert "Value does not satisfy Node" not in out


def test_validate_counts_what_it_validated(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """The count validate prints is load's: the stated triples, graph by graph."""
    from clustergraph.pipeline.load import stated_graphs
    from clustergraph.store import open_store

    code, out, err = run(capsys, "--root", str(project.root), "validate", "--store", "memory:")
    assert code == 0, err
    with open_store("memory:") as store:
        from clustergraph.pipeline.sync import sync

        sync(project, store)
        graphs = stated_graphs(store)
        triples = sum(store.count(g) for g in graphs)
    line = out.splitlines()[-1]
    assert f"{triples:,} stated triples in {len(graphs)} graphs" in line, line
    assert "derived" in line  # says what is not counted


# ---------------------------------------------------------------------------
# Any length
# ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_name_past_the_csv_field_limit_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path / "p", NAMES / "good" / "long-name.ttl")
    out = tmp_path / "build"
    code, printed, err = run(
        capsys, "--root", str(project.root), "build", "--store", "memory:", "--out", str(out)
    )
    assert code == 0, err
    assert "field limit" not in err
    page = (out / "site" / "entities.html").read_text(encoding="utf-8")
    assert "Klasteris" * 100 in page
