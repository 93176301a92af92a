"""Names as people type them: slugs and prefixed names with letters beyond ASCII, NFC or NFD."""

from __future__ import annotations

import unicodedata

import pytest

from clustergraph.network.index import GraphIndex
from clustergraph.queries.entities import resolve
from clustergraph.store import open_store

IRI = "https://w3id.org/clustergraph/id/org/šiauliu-klasteris"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ORG = "http://www.w3.org/ns/org#Organization"


@pytest.fixture(scope="module")
def store():
    s = open_store("memory:")
    s.replace_graphs({"urn:g": f"<{IRI}> <{TYPE}> <{ORG}> .".encode()})
    return s


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("typed", ["o:šiauliu-klasteris", "šiauliu-klasteris", f"<{IRI}>"])
def test_a_name_beyond_ascii_resolves_in_either_normal_form(store, typed, form):
    text = unicodedata.normalize(form, typed)
    assert resolve(store, text) == IRI
    assert GraphIndex.from_store(store).resolve(text) == IRI
