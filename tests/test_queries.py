"""Every query of the library gives its expected answer on the five articles' store.

The answers are snapshots of a store of the five articles alone (``seed_store``: the
sources ``[articles]`` lists), so an article added to ``data/sources/`` changes none of
them; the checks must find nothing on the whole project.

``tests/queries/expected.toml`` holds the expected answer of every query in
``queries/`` with its default parameters (``[[query]]``), and of some with other
parameters (``[[binding]]``). Checks (``queries/checks/``) must return no rows.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from clustergraph.project.layout import Project
from clustergraph.queries.library import Library, QueryFile, parse_query_file
from clustergraph.queries.run import run
from clustergraph.store import AskResult, GraphResult, Result, SelectResult, Store
from tests.conftest import REPO
from tests.support.answers import compare_rows, expected_value, result_value
from tests.support.injection import ECHO, PAYLOADS

MANIFEST = tomllib.loads((REPO / "tests" / "queries" / "expected.toml").read_text("utf-8"))
PREFIXES: dict[str, str] = MANIFEST["prefixes"]
ENTRIES: list[dict[str, Any]] = MANIFEST.get("query", [])
BINDINGS: list[dict[str, Any]] = MANIFEST.get("binding", [])
NAMES = Library.of(Project(REPO)).names
QUESTIONS = [n for n in NAMES if not n.startswith("checks/")]
CHECKS = [n for n in NAMES if n.startswith("checks/")]


def check_expected(result: Result, entry: dict[str, Any]) -> None:
    """Assert ``result`` is the answer ``entry`` of the manifest expects."""
    name = entry["name"]
    if "expected_boolean" in entry:
        assert isinstance(result, AskResult), f"{name}: not an ASK answer"
        assert result.value is entry["expected_boolean"], name
        return
    if "expected_triples" in entry:
        assert isinstance(result, GraphResult), f"{name}: not a graph"
        triples = {tuple(result_value(term) for term in t) for t in result.triples}
        assert len(set(result.triples)) == entry["expected_triples"], name
        for triple in entry.get("expected_contains", []):
            wanted = tuple(expected_value(v, PREFIXES) for v in triple)
            assert wanted in triples, f"{name}: missing triple {triple}"
        return
    assert isinstance(result, SelectResult), f"{name}: not a table of solutions"
    actual = [tuple(result_value(t) for t in row) for row in result.rows]
    expected = [tuple(expected_value(v, PREFIXES) for v in row) for row in entry["expected"]]
    for row in expected:
        assert len(row) == len(result.variables), f"{name}: expected row of wrong width: {row}"
    problem = compare_rows(actual, expected, ordered=entry.get("ordered", False), prefixes=PREFIXES)
    assert problem is None, f"{name}:\n{problem}"


def test_the_library_is_large_enough() -> None:
    assert len(QUESTIONS) >= 30
    assert len(CHECKS) >= 5


def test_every_query_is_in_the_manifest_and_vice_versa() -> None:
    listed = [e["name"] for e in ENTRIES]
    assert len(listed) == len(set(listed)), "a query is listed twice"
    assert set(listed) == set(NAMES), (
        f"not in the manifest: {sorted(set(NAMES) - set(listed))}; "
        f"no such query: {sorted(set(listed) - set(NAMES))}"
    )


def test_every_form_is_represented(library: Library) -> None:
    forms = {library.get(n).form.value for n in QUESTIONS}
    assert forms == {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
    assert sum(library.get(n).form.value == "CONSTRUCT" for n in QUESTIONS) >= 3


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["name"] for e in ENTRIES])
def test_query_gives_its_expected_answer(
    entry: dict[str, Any], answer: Callable[[str], Result]
) -> None:
    check_expected(answer(entry["name"]), entry)


@pytest.mark.parametrize(
    "entry", BINDINGS, ids=[f"{b['name']}-{i}" for i, b in enumerate(BINDINGS)]
)
def test_query_with_other_parameters(
    entry: dict[str, Any], library: Library, seed_store: Store
) -> None:
    query = library.get(entry["name"])
    check_expected(run(seed_store, query, params=entry["params"]), entry)


@pytest.mark.parametrize("name", CHECKS)
def test_check_finds_nothing(name: str, library: Library, store: Store) -> None:
    """The checks hold on the whole project, whatever articles it has."""
    result = run(store, library.get(name))
    assert isinstance(result, SelectResult), f"{name}: a check must be a SELECT"
    assert not result.rows, f"{name}: {result.rows}"


# ---------------------------------------------------------------------------
# Parameters are bound as terms: an injection attempt stays a literal value
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def echo() -> QueryFile:
    return parse_query_file(ECHO, name="echo", path=Path("echo.rq"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_parameter_cannot_change_the_query(payload: str, echo: QueryFile, store: Store) -> None:
    """Whatever the value holds, it comes back as one literal and filters as one."""
    pref_label = ox.NamedNode(PREFIXES["skos"] + "prefLabel")
    labels = {q.object.value for q in store.quads(predicate=pref_label)}
    wanted = {label for label in labels if payload.lower() in label.lower()}
    result = run(store, echo, params={"text": payload})
    assert isinstance(result, SelectResult)
    assert {row[0] for row in result.rows} == {ox.Literal(payload)}
    found = {row[1].value for row in result.rows if row[1] is not None}
    assert found == wanted
