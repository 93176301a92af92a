"""Competency questions: SPARQL queries whose answers are written from the source articles.

Each ``[[question]]`` of ``tests/competency/manifest.toml`` names a query file and its
expected answer. The query runs on the whole dataset (the union of all named graphs,
with ``GRAPH ?g`` reaching each file's graph) and its rows are compared as a set with
the expected rows: an IRI by its full string (written as a prefixed name in the
manifest), a literal by its lexical form.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Literal, URIRef

COMPETENCY = Path(__file__).resolve().parent / "competency"
MANIFEST = COMPETENCY / "manifest.toml"
MIN_QUESTIONS = 30

# rdflib's own SPARQL engine calls its deprecated Dataset.contexts for GRAPH ?g.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning")

_PREFIXED = re.compile(r"^([A-Za-z][\w.-]*)?:(\S*)$")

Value = tuple[str, str]


def _manifest() -> dict[str, Any]:
    with MANIFEST.open("rb") as handle:
        return tomllib.load(handle)


MANIFEST_DATA = _manifest()
PREFIXES: dict[str, str] = MANIFEST_DATA.get("prefixes", {})
QUESTIONS: list[dict[str, Any]] = MANIFEST_DATA.get("question", [])


def expected_value(text: str) -> Value:
    """Read a manifest value: a prefixed name or ``<iri>`` is an IRI, anything else a literal."""
    if text.startswith("<") and text.endswith(">"):
        return ("iri", text[1:-1])
    match = _PREFIXED.match(text)
    if match and (match.group(1) or "") in PREFIXES:
        return ("iri", PREFIXES[match.group(1) or ""] + match.group(2))
    return ("lit", text)


def result_value(term: object) -> Value:
    """Turn a SPARQL result term into a comparable value."""
    if term is None:
        return ("unbound", "")
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, Literal):
        return ("lit", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    raise TypeError(f"unexpected term in a result: {term!r}")


def show(value: Value) -> str:
    """Show a value as in the manifest, for failure messages."""
    kind, text = value
    if kind != "iri":
        return repr(text) if kind == "lit" else f"{kind}:{text}"
    best = max(
        (p for p, ns in PREFIXES.items() if text.startswith(ns)),
        key=lambda p: len(PREFIXES[p]),
        default=None,
    )
    return f"{best}:{text[len(PREFIXES[best]) :]}" if best is not None else f"<{text}>"


def show_rows(rows: set[tuple[Value, ...]]) -> str:
    return (
        "\n".join("  [" + ", ".join(show(v) for v in row) + "]" for row in sorted(rows))
        or "  (none)"
    )


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_competency_question(dataset: Dataset, question: dict[str, Any]) -> None:
    query = (COMPETENCY / question["file"]).read_text(encoding="utf-8")
    result = dataset.query(query)
    if "expected_boolean" in question:
        assert result.type == "ASK", f"{question['file']}: expected an ASK query"
        assert result.askAnswer is question["expected_boolean"], (
            f"{question['id']}: {question['question']}\n"
            f"expected {question['expected_boolean']}, got {result.askAnswer}"
        )
        return
    assert result.type == "SELECT", f"{question['file']}: expected a SELECT query"
    width = len(result.vars or [])
    expected = {tuple(expected_value(v) for v in row) for row in question["expected"]}
    for row in expected:
        assert len(row) == width, f"{question['id']}: expected row of {width} values: {row}"
    actual = {tuple(result_value(term) for term in row) for row in result}
    missing, extra = expected - actual, actual - expected
    assert not missing and not extra, (
        f"{question['id']}: {question['question']}\n"
        f"missing rows (in the articles, not in the data):\n{show_rows(missing)}\n"
        f"unexpected rows (in the data, not in the articles):\n{show_rows(extra)}"
    )
    if question.get("ordered"):
        ordered = [tuple(result_value(term) for term in row) for row in result]
        wanted = [tuple(expected_value(v) for v in row) for row in question["expected"]]
        assert ordered == wanted, f"{question['id']}: rows in the wrong order"


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
