"""``clustergraph mint`` for the kinds minted from what they describe, case by case.

The cases are ``tests/fixtures/curation/mint-cases.toml``: arguments, the IRI printed,
what standard error says, the exit code.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from clustergraph.cli.main import main
from clustergraph.project.layout import Project
from tests.conftest import FIXTURES, REPO

CASES = tomllib.loads((FIXTURES / "curation" / "mint-cases.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("mint") / "repo"
    for name in ("ontology", "data", "queries"):
        shutil.copytree(REPO / name, root / name)
    for article in sorted((FIXTURES / "curation").glob("made-up-article-*.ttl")):
        shutil.copyfile(article, root / "data" / "sources" / article.name)
    planted = root / "data" / "sources" / "zz-planted.ttl"
    planted.write_text(CASES["planted"], encoding="utf-8")
    return Project(Path(root))


@pytest.mark.parametrize("case", CASES["case"], ids=[" ".join(c["args"]) for c in CASES["case"]])
def test_mint(case: dict[str, Any], grown: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(grown.root), "mint", *case["args"], "--store", "memory:"])
    out, err = capsys.readouterr()
    assert code == case.get("code", 0), err
    assert out.strip() == case.get("out", ""), err
    assert case.get("err", "") in err
    assert "Traceback" not in err


def test_vocab_lists_every_measure_with_what_it_counts(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (project.vocab_dir / "measures.ttl").read_text(encoding="utf-8")
    declared = set(re.findall(r"^(measure:[a-z-]+) a cg:Measure", text, flags=re.MULTILINE))
    assert main(["vocab", "measures", "--store", "memory:"]) == 0
    listed = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert set(listed) == declared
    for line in listed.values():
        assert "Number of" in line, line  # each says what it counts
    assert main(["vocab", "post-roles", "--store", "memory:"]) == 0
    assert "role:coordinator" in capsys.readouterr().out
    assert main(["vocab", "nonsense", "--store", "memory:"]) == 2
