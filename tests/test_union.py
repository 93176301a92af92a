"""The embedded store's default graph: the union of the data graphs, each triple once.

Every write through :class:`OxigraphStore` either keeps that union current or says it is
not (and queries then read Oxigraph's own union); these tests write in every way the
pipeline does and compare the default graph with the set of the data graphs' triples.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.project.layout import MANIFEST_GRAPH, SOURCE_GRAPHS
from clustergraph.rdf.formats import RdfFormat
from clustergraph.store import oxigraph
from clustergraph.store.base import SelectResult
from clustergraph.store.oxigraph import OxigraphStore

A, B, C = (SOURCE_GRAPHS + name for name in "abc")
SHARED = '<urn:hub> <urn:name> "Hub" .'
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def rows(store: OxigraphStore, text: str = ALL) -> list[tuple[str, ...]]:
    result = store.query(text)
    assert isinstance(result, SelectResult)
    return sorted(tuple(str(t) for t in row) for row in result.rows)


def expected(store: OxigraphStore) -> list[tuple[str, ...]]:
    """Return the data graphs' triples, each once (the manifest left out)."""
    return sorted(
        {
            (str(q.subject), str(q.predicate), str(q.object))
            for q in store.quads()
            if q.graph_name.value != MANIFEST_GRAPH
        }
    )


def nt(*lines: str) -> bytes:
    return "\n".join(lines).encode()


@pytest.fixture
def store() -> OxigraphStore:
    store = OxigraphStore()
    store.replace_graphs(
        {
            A: nt(SHARED, "<urn:a> <urn:p> <urn:hub> ."),
            B: nt(SHARED, "<urn:b> <urn:p> <urn:hub> .", "_:x <urn:q> <urn:b> ."),
            MANIFEST_GRAPH: nt('<urn:m> <urn:file> "a.ttl" .'),
        }
    )
    store.refresh_union()
    return store


def test_a_triple_two_graphs_state_is_answered_once(store: OxigraphStore) -> None:
    assert store.union_current
    assert rows(store, 'SELECT ?s WHERE { ?s <urn:name> "Hub" }') == [("<urn:hub>",)]
    assert rows(store) == expected(store)


def test_the_manifest_is_not_data(store: OxigraphStore) -> None:
    assert rows(store, "SELECT ?s WHERE { ?s <urn:file> ?f }") == []
    graphs = rows(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert (f"<{MANIFEST_GRAPH}>",) in graphs  # GRAPH still ranges over every named graph


def test_replacing_a_graph_keeps_what_another_graph_states(store: OxigraphStore) -> None:
    store.replace_graphs({A: nt("<urn:a> <urn:p> <urn:elsewhere> .")})
    assert store.union_current
    got = rows(store)
    assert ("<urn:hub>", "<urn:name>", '"Hub"') in got  # B still states it
    assert ("<urn:a>", "<urn:p>", "<urn:hub>") not in got  # only A stated it
    assert ("<urn:a>", "<urn:p>", "<urn:elsewhere>") in got
    assert got == expected(store)


def test_dropping_every_graph_stating_a_triple_removes_it(store: OxigraphStore) -> None:
    store.drop_graphs([A])
    assert ("<urn:hub>", "<urn:name>", '"Hub"') in rows(store)
    store.drop_graphs([B])
    assert store.union_current
    assert rows(store) == expected(store) == []


def test_an_update_naming_its_graphs_is_followed(store: OxigraphStore) -> None:
    store.update(f"DELETE WHERE {{ GRAPH <{B}> {{ ?s <urn:p> ?o }} }}", graphs=[B])
    store.update(f"INSERT DATA {{ GRAPH <{C}> {{ <urn:c> <urn:p> <urn:hub> }} }}", graphs=[C])
    assert store.union_current
    assert rows(store) == expected(store)


def test_an_update_that_does_not_name_its_graphs_leaves_right_answers(
    store: OxigraphStore,
) -> None:
    store.update(f"DELETE WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} }}")
    assert not store.union_current
    # Oxigraph's union of every named graph answers (a triple once per graph stating
    # it, the manifest's too): the same set of data.
    data = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?p != <urn:file>) }"
    assert sorted(set(rows(store, data))) == expected(store)
    store.refresh_union()
    assert store.union_current
    assert rows(store) == expected(store)


def test_a_bulk_extend_joins_the_union(store: OxigraphStore) -> None:
    graph = ox.NamedNode(C)
    store.bulk_extend(
        [
            ox.Quad(ox.NamedNode("urn:hub"), ox.NamedNode("urn:name"), ox.Literal("Hub"), graph),
            ox.Quad(ox.NamedNode("urn:c"), ox.NamedNode("urn:p"), ox.NamedNode("urn:d"), graph),
        ]
    )
    assert store.union_current
    assert rows(store) == expected(store)


def test_a_write_that_fails_leaves_right_answers(store: OxigraphStore) -> None:
    with pytest.raises(Exception, match="N-Triples"):
        store.replace_graphs({A: b"not N-Triples"})
    assert rows(store) == expected(store)


def test_what_a_write_that_died_left_is_not_read(store: OxigraphStore) -> None:
    # A process killed while it followed: the mark gone, the default graph part-written.
    store.native.remove(next(q for q in store.native.quads_for_pattern(
        ox.NamedNode(MANIFEST_GRAPH), None, None, ox.NamedNode(MANIFEST_GRAPH))
        if q.object.value.endswith("union")))  # fmt: skip
    store.native.add(
        ox.Quad(ox.NamedNode("urn:stale"), ox.NamedNode("urn:p"), ox.NamedNode("urn:x"))
    )
    assert not store.union_current
    assert ("<urn:stale>", "<urn:p>", "<urn:x>") not in rows(store)
    store.refresh_union()
    assert rows(store) == expected(store)


@pytest.mark.parametrize("seed", range(5))
def test_any_sequence_of_writes_keeps_the_union(seed: int) -> None:
    rng = random.Random(seed)
    store = OxigraphStore()
    store.refresh_union()
    graphs = [SOURCE_GRAPHS + f"g{n}" for n in range(4)]
    for _ in range(30):
        graph = rng.choice(graphs)
        triples = [
            f"<urn:s{rng.randrange(4)}> <urn:p> <urn:o{rng.randrange(4)}> ."
            for _ in range(rng.randrange(4))
        ]
        action = rng.randrange(4)
        if action == 0:
            store.replace_graphs({graph: nt(*triples)})
        elif action == 1:
            store.drop_graphs([graph])
        elif action == 2 and triples:
            body = " ".join(triples)
            store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}", graphs=[graph])
        else:
            store.update(f"DELETE WHERE {{ GRAPH <{graph}> {{ <urn:s0> ?p ?o }} }}", graphs=[graph])
        assert store.union_current
        assert rows(store) == expected(store)


def test_a_store_on_disk_is_left_with_its_union(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "store") as store:
        store.replace_graphs({A: nt(SHARED), B: nt(SHARED)})
        store.update(f"INSERT DATA {{ GRAPH <{C}> {{ {SHARED} }} }}")
        assert not store.union_current
    reader = OxigraphStore(tmp_path / "store", read_only=True)
    assert reader.union_current
    assert rows(reader) == [("<urn:hub>", "<urn:name>", '"Hub"')]


def test_graphs_sharing_triples_past_the_limit_are_not_followed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(oxigraph, "FOLLOW_LIMIT", 10)
    shared = nt(*(f"<urn:s{n}> <urn:p> <urn:o> ." for n in range(8)))  # 16 quads, 8 triples
    for write in ("insert", "drop"):
        store = OxigraphStore()
        store.replace_graphs({A: shared, B: shared, C: nt("<urn:c> <urn:p> <urn:o> .")})
        store.refresh_union()
        if write == "insert":
            store.update(
                f"INSERT DATA {{ GRAPH <{C}> {{ <urn:new> <urn:p> <urn:o> }} }}", graphs=[A, B, C]
            )
        else:
            store.drop_graphs([A, B, C])
        assert not store.union_current  # given up, not half followed
        assert sorted(set(rows(store))) == expected(store)


def test_the_mark_is_bookkeeping_nobody_sees() -> None:
    store = OxigraphStore()
    store.replace_graphs({A: nt(SHARED)})
    store.refresh_union()
    assert store.union_current
    assert store.graphs() == [A]  # no manifest holding only the mark
    assert store.count() == 1 == len(list(store.quads()))
    out = io.BytesIO()
    store.dump(out, RdfFormat.NQUADS)
    assert out.getvalue().decode().count("\n") == 1
    store.replace_graphs({MANIFEST_GRAPH: nt('<urn:m> <urn:file> "a.ttl" .')})
    assert store.union_current
    assert store.graphs() == sorted([A, MANIFEST_GRAPH])
    assert store.count(MANIFEST_GRAPH) == 1
    out = io.BytesIO()
    store.dump(out, RdfFormat.NTRIPLES, graphs=[MANIFEST_GRAPH])
    assert "union" not in out.getvalue().decode()
