"""Competency questions: SPARQL queries whose answers are written from the source articles.

Each ``[[question]]`` of ``tests/competency/manifest.toml`` names a query file and its
expected answer. The query runs on the store (the union of the stated and derived
graphs, with ``GRAPH ?g`` reaching each graph) and its rows are compared as a set with
the expected rows: an IRI by its full string (written as a prefixed name in the
manifest), a literal by its lexical form.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from clustergraph.store import AskResult, SelectResult, Store
from tests.support.answers import compare_rows, expected_value, result_value

COMPETENCY = Path(__file__).resolve().parent / "competency"
MANIFEST = COMPETENCY / "manifest.toml"
MIN_QUESTIONS = 30


def _manifest() -> dict[str, Any]:
    with MANIFEST.open("rb") as handle:
        return tomllib.load(handle)


MANIFEST_DATA = _manifest()
PREFIXES: dict[str, str] = MANIFEST_DATA.get("prefixes", {})
QUESTIONS: list[dict[str, Any]] = MANIFEST_DATA.get("question", [])


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_competency_question(store: Store, question: dict[str, Any]) -> None:
    query = (COMPETENCY / question["file"]).read_text(encoding="utf-8")
    result = store.query(query)
    if "expected_boolean" in question:
        assert isinstance(result, AskResult), f"{question['file']}: expected an ASK query"
        assert result.value is question["expected_boolean"], (
            f"{question['id']}: {question['question']}\n"
            f"expected {question['expected_boolean']}, got {result.value}"
        )
        return
    assert isinstance(result, SelectResult), f"{question['file']}: expected a SELECT query"
    width = len(result.variables)
    expected = [tuple(expected_value(v, PREFIXES) for v in row) for row in question["expected"]]
    for row in expected:
        assert len(row) == width, f"{question['id']}: expected row of {width} values: {row}"
    actual = [tuple(result_value(term) for term in row) for row in result.rows]
    problem = compare_rows(
        actual, expected, ordered=question.get("ordered", False), prefixes=PREFIXES
    )
    assert problem is None, (
        f"{question['id']}: {question['question']}\n"
        f"(missing rows are in the articles, not in the data)\n{problem}"
    )


def test_manifest_has_enough_questions() -> None:
    assert len(QUESTIONS) >= MIN_QUESTIONS


def test_manifest_entries_are_well_formed() -> None:
    ids = [q["id"] for q in QUESTIONS]
    assert len(ids) == len(set(ids)), "duplicate question ids"
    for q in QUESTIONS:
        assert {"id", "file", "question", "ordered"} <= q.keys(), q.get("id")
        assert ("expected" in q) != ("expected_boolean" in q), q["id"]
        assert isinstance(q["ordered"], bool), q["id"]


def test_every_query_file_is_in_the_manifest_and_vice_versa() -> None:
    on_disk = {p.name for p in COMPETENCY.glob("*.rq")}
    listed = [q["file"] for q in QUESTIONS]
    assert len(listed) == len(set(listed)), "a query file is listed twice"
    assert on_disk == set(listed), (
        f"not in the manifest: {sorted(on_disk - set(listed))}; "
        f"missing files: {sorted(set(listed) - on_disk)}"
    )


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_query_file_states_its_question(question: dict[str, Any]) -> None:
    first = (COMPETENCY / question["file"]).read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# Q: {question['question']}"
