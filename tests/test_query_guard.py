"""A query nested or chained too deep is refused in one line, never a crash of the process.

Oxigraph parses and evaluates by recursion: the queries of ``queries/hostile.toml``
ended ``serve``, ``query`` and ``build`` with a segmentation fault (exit 139). The guard
(:func:`clustergraph.store.sparql.check_shape`) stands in front of every store, the
query library and the endpoint; the endpoint's side is in ``test_serve_hostile.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from clustergraph.cli.main import main
from clustergraph.errors import QueryError
from clustergraph.project.layout import Project
from clustergraph.store import open_store
from clustergraph.store.sparql import MAX_NESTING, MAX_OPERATORS, check_shape

HERE = Path(__file__).resolve().parent
CASES = tomllib.loads((HERE / "queries" / "hostile.toml").read_text(encoding="utf-8"))["query"]


def hostile(case: dict[str, object]) -> str:
    times = int(case["times"])  # type: ignore[call-overload]
    return (
        str(case["head"])
        + str(case["unit"]) * times
        + str(case.get("tail", ""))
        + str(case.get("close", "")) * times
        + str(case.get("after", ""))
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_store_refuses_a_hostile_query_naming_the_limit(case) -> None:
    with open_store("memory:") as store, pytest.raises(QueryError) as refused:
        store.query(hostile(case))
    assert case["limit"] in str(refused.value)


def test_the_deepest_query_allowed_is_answered() -> None:
    """Up to the limits, nesting and chaining together, Oxigraph answers (no overflow)."""
    depth, chain = MAX_NESTING - 3, MAX_OPERATORS - 2  # and "*", ">"
    inner = "(" * depth + "1" + ")" * depth
    text = f"SELECT * WHERE {{ BIND(1 AS ?x) FILTER({inner}{' + 1' * chain} > 0) }}"
    check_shape(text)
    with open_store("memory:") as store:
        assert len(store.query(text)) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s <urn:a-b> 'a((((((' . FILTER(?s != <urn:{{{>) } # ((((",
        "PREFIX ex: <urn:x:> SELECT * WHERE { ?s ex:a-b-c-d ?o } LIMIT 1",
    ],
)
def test_brackets_and_hyphens_in_strings_iris_and_names_do_not_count(text: str) -> None:
    check_shape(text.replace("((((", "(" * 200).replace("-b", "-b" * 2000))


def test_query_file_is_one_line_and_exit_2_not_139(tmp_path: Path, project: Project) -> None:
    deep = tmp_path / "deep.rq"
    deep.write_text(hostile(CASES[0]), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "clustergraph", "--root", str(project.root), "query", str(deep)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"clustergraph: error: {deep}:1:1: the query nests brackets more than 128 deep (the limit)"
    ]


def test_build_refuses_a_hostile_library_query(project_copy: Project, tmp_path, capsys) -> None:
    (project_copy.root / "queries" / "deep.rq").write_text(
        "#+ summary: Too deep.\n#+ tags:\n#+   - check\n" + hostile(CASES[3]), encoding="utf-8"
    )
    code = main(["--root", str(project_copy.root), "build", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "queries/deep.rq:1:1: the query chains more than 1,000 operators (the limit)" in err
    assert "Traceback" not in err
