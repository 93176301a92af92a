"""Push into real stores (Oxigraph, Virtuoso) on 127.0.0.1: the same answers, all or nothing.

The stores are started by the tests and stopped afterwards: an Oxigraph server per
module or test (it starts in well under a second), one Virtuoso server for the session
(see :func:`tests.support.servers.virtuoso_server`). The source of every push is the
synced store (stated and derived facts). Faults are real: dead ports, a proxy that
answers 503, drops or delays requests (:mod:`tests.support.faults`), wrong passwords,
and stores killed with SIGKILL between the staging upload and the replace.

After a push, every query of ``queries/`` must give the embedded store's answer through
the endpoint. Where an engine really differs, :mod:`tests.support.compat` allows for it,
says which difference was needed, and the README's compatibility table must list it.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.cli.main import main
from clustergraph.errors import (
    AuthError,
    InputError,
    PushError,
    QueryError,
    StoreError,
    StoreUnreachableError,
    VerifyError,
)
from clustergraph.pipeline.export import data_graphs
from clustergraph.pipeline.push import (
    PASSWORD_ENV,
    USER_ENV,
    PushReport,
    clean,
    push,
    scoped_query_url,
    target_store,
)
from clustergraph.project.layout import Project
from clustergraph.project.vocab import XSD
from clustergraph.queries.library import Library
from clustergraph.queries.run import run
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.terms import to_rdflib
from clustergraph.store import (
    AskResult,
    GraphResult,
    OxigraphStore,
    RemoteStore,
    SelectResult,
    Store,
)
from clustergraph.store import remote as remote_module
from clustergraph.store.client import Credentials, Endpoints, RetryPolicy
from clustergraph.store.remote import STAGING_NS, STALE_AFTER, new_token, staging_iri
from tests.conftest import REPO
from tests.support.compat import ALLOWED, ENGINE_ERRORS, WRONG_ANSWERS, Tolerance, compare
from tests.support.faults import FaultyProxy, Seen, faulty_proxy
from tests.support.servers import (
    VIRTUOSO_PASSWORD,
    VIRTUOSO_USER,
    OxigraphServer,
    VirtuosoServer,
    free_port,
    oxigraph_server,
    virtuoso_server,
)

NAMES = Library.of(Project(REPO)).names
TARGET = "urn:x-clustergraph-test:target"
OLD = b"".join(f'<urn:x:old> <urn:x:p> "{n}" .\n'.encode() for n in range(3))
FAST = RetryPolicy(retries=2, backoff=0.01, timeout=10)
DIGEST = Credentials(VIRTUOSO_USER, VIRTUOSO_PASSWORD)

pytestmark = pytest.mark.store

# (store, query) -> the differences the comparison needed; checked against the README.
USED: dict[tuple[str, str], frozenset[Tolerance]] = {}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def remote(
    *,
    graph_store: str | None = None,
    update: str | None = None,
    query: str | None = None,
    credentials: Credentials | None = None,
    retry: RetryPolicy = FAST,
) -> RemoteStore:
    """Return a remote store with the endpoints that follow from those given (fast retries)."""
    endpoints = Endpoints.infer(graph_store=graph_store, update=update, query=query)
    return RemoteStore(endpoints, credentials=credentials, retry=retry)


def reader(query_url: str) -> RemoteStore:
    """Return a read-only remote store: its query endpoint alone."""
    return RemoteStore(Endpoints(query=query_url), retry=RetryPolicy(retries=1, timeout=60))


def oxigraph_remote(server: OxigraphServer) -> RemoteStore:
    return remote(graph_store=server.store_url)


def virtuoso_remote(server: VirtuosoServer) -> RemoteStore:
    return remote(graph_store=server.graph_store_url, credentials=DIGEST)


def counts(target: RemoteStore, graphs: list[str]) -> dict[str, int]:
    return target.client.counts(graphs)


def expected_counts(store: Store) -> dict[str, int]:
    return {g: store.count(g) for g in data_graphs(store)}


def union_size(store: Store) -> int:
    buffer = io.BytesIO()
    store.dump(buffer, RdfFormat.NTRIPLES, graphs=data_graphs(store))
    return len([line for line in buffer.getvalue().splitlines() if line.strip()])


def staging_graphs(target: RemoteStore) -> set[str]:
    return set(target.stale_staging_graphs())


def put_old(target: RemoteStore, graph: str = TARGET) -> None:
    """Give ``graph`` an old content of three triples, to show it survives a failed push."""
    target.client.put_graph(graph, OLD)


def assert_unchanged(target: RemoteStore, graph: str = TARGET) -> None:
    assert counts(target, [graph]) == {graph: 3}
    assert staging_graphs(target) == set()


def one_line(error: BaseException) -> str:
    """Return the message of a failed push, checked to be one line naming the push."""
    assert isinstance(error, PushError), type(error)
    text = str(error)
    assert text.startswith("push to ") and "\n" not in text, text
    return text


# ---------------------------------------------------------------------------
# Stores
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, store: Store) -> Iterator[OxigraphServer]:
    """Start an Oxigraph server holding the dataset, pushed from the synced store."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        push(store, target_store(graph_store=server.store_url))
        yield server


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """Start one Virtuoso server for the session, with anonymous SPARQL Update granted."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        server.grant_update()
        yield server


@pytest.fixture(scope="module")
def virtuoso_pushed(virtuoso: VirtuosoServer, store: Store) -> VirtuosoServer:
    """Push the dataset into Virtuoso through its Graph Store protocol, with Digest auth."""
    report = push(store, target_store(graph_store=virtuoso.graph_store_url, credentials=DIGEST))
    assert report.method == "SPARQL Update"
    return virtuoso


def virtuoso_scoped(server: VirtuosoServer, store: Store) -> RemoteStore:
    """Virtuoso's query endpoint, its dataset given as the README says: the pushed graphs."""
    return reader(scoped_query_url(server.query_url, data_graphs(store)))


# ---------------------------------------------------------------------------
# The same answers everywhere
# ---------------------------------------------------------------------------


def test_oxigraph_holds_every_graph(oxigraph: OxigraphServer, store: Store) -> None:
    target = oxigraph_remote(oxigraph)
    assert counts(target, data_graphs(store)) == expected_counts(store)
    assert set(target.graphs()) == set(data_graphs(store))  # no manifest, no staging
    assert staging_graphs(target) == set()


def test_virtuoso_holds_every_graph(virtuoso_pushed: VirtuosoServer, store: Store) -> None:
    target = virtuoso_remote(virtuoso_pushed)
    assert counts(target, data_graphs(store)) == expected_counts(store)
    assert staging_graphs(target) == set()


def test_derived_facts_are_pushed_with_the_stated(oxigraph: OxigraphServer, store: Store) -> None:
    derived = [g for g in data_graphs(store) if "/graph/derived/" in g]
    assert derived
    assert counts(oxigraph_remote(oxigraph), derived) == {g: store.count(g) for g in derived}


def _same_answers(kind: str, target: RemoteStore, name: str, store: Store) -> None:
    query = Library.of(Project(REPO)).get(name)
    reference = run(store, query)
    broken = ENGINE_ERRORS[kind].get(name)
    if broken is not None:
        with pytest.raises(StoreError, match="Internal error"):
            run(target, query)
        pytest.xfail(f"{kind}: {broken}")
    answer = run(target, query)
    result = compare(reference, answer, query=query.text, allowed=ALLOWED[kind])
    wrong = WRONG_ANSWERS[kind].get(name)
    if wrong is not None:
        assert not result.agrees, f"{name} now agrees on {kind}: remove it from WRONG_ANSWERS"
        pytest.xfail(f"{kind}: {wrong}")
    USED[(kind, name)] = result.needed
    assert result.agrees, (
        f"{name}: embedded Oxigraph against {kind}: {result.problem}\n"
        f"(a real difference of the engine goes into tests/support/compat.py and the README)"
    )


@pytest.mark.parametrize("name", NAMES)
def test_every_query_same_answer_on_oxigraph(
    name: str, oxigraph: OxigraphServer, store: Store
) -> None:
    _same_answers("oxigraph", reader(oxigraph.query_url), name, store)


@pytest.mark.parametrize("name", NAMES)
def test_every_query_same_answer_on_virtuoso(
    name: str, virtuoso_pushed: VirtuosoServer, store: Store
) -> None:
    # Virtuoso's default graph is every graph it holds, its own system graphs included:
    # the SPARQL protocol's dataset parameters give the query the pushed graphs only.
    _same_answers("virtuoso", virtuoso_scoped(virtuoso_pushed, store), name, store)


def test_the_dataset_can_be_given_per_query_too(
    virtuoso_pushed: VirtuosoServer, store: Store
) -> None:
    """``graphs=`` sends the same dataset parameters as a scoped URL."""
    query = Library.of(Project(REPO)).get("clusters-by-country")
    by_url = run(virtuoso_scoped(virtuoso_pushed, store), query)
    by_query = run(reader(virtuoso_pushed.query_url), query, graphs=data_graphs(store))
    assert compare(by_url, by_query, query=query.text, allowed=()).agrees


# ---------------------------------------------------------------------------
# What the README says about each store, measured
# ---------------------------------------------------------------------------

PREFIXES = (
    "PREFIX cg: <https://w3id.org/clustergraph/ontology#> "
    "PREFIX org: <http://www.w3.org/ns/org#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
)
# The text of queries/clusters-by-sector.rq (without ORDER BY), when Virtuoso was measured.
DISTINCT_REPEATS = """
SELECT DISTINCT ?sector ?sectorName ?broader ?organisation ?name
WHERE {
  VALUES ?kind { cg:Cluster cg:ClusterNetwork cg:ClusterAlliance }
  ?organisation a ?kind ;
                org:classification ?sector .
  OPTIONAL { ?organisation skos:prefLabel ?label . }
  BIND(STR(?label) AS ?name)
  OPTIONAL {
    ?sector skos:prefLabel ?sectorLabel .
    FILTER(LANGMATCHES(LANG(?sectorLabel), "en"))
  }
  BIND(STR(?sectorLabel) AS ?sectorName)
  OPTIONAL { ?sector skos:broader ?broader . }
}
"""
TWO_PATHS = (
    "SELECT ?x ?y WHERE { ?x org:unitOf ?y . ?x a ?t . ?t rdfs:subClassOf* org:Organization . "
    "?y a ?u . ?u rdfs:subClassOf* org:Organization }"
)
CONCAT = (
    'SELECT ?scheme (GROUP_CONCAT(?label; separator="|") AS ?labels) WHERE { '
    "?c skos:inScheme ?scheme ; skos:prefLabel ?l . BIND(STR(?l) AS ?label) } GROUP BY ?scheme"
)


@pytest.fixture(scope="module")
def endpoints(
    oxigraph: OxigraphServer, virtuoso_pushed: VirtuosoServer, store: Store
) -> dict[str, RemoteStore]:
    return {
        "oxigraph": reader(oxigraph.query_url),
        "virtuoso": virtuoso_scoped(virtuoso_pushed, store),
        "virtuoso-unscoped": reader(virtuoso_pushed.query_url),
    }


def _rows(result: object) -> tuple:
    assert isinstance(result, SelectResult)
    return result.rows


def _number(result: object) -> int:
    value = _rows(result)[0][0]
    assert isinstance(value, ox.Literal)
    return int(value.value)


def test_virtuoso_default_graph_holds_its_system_graphs(
    endpoints: dict[str, RemoteStore], store: Store
) -> None:
    unscoped = set(endpoints["virtuoso-unscoped"].graphs())
    assert "http://www.openlinksw.com/schemas/virtrdf#" in unscoped
    assert set(endpoints["virtuoso"].graphs()) == set(data_graphs(store))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert _number(endpoints["virtuoso-unscoped"].query(count)) > union_size(store)


def test_the_union_default_graph_is_a_bag(endpoints: dict[str, RemoteStore], store: Store) -> None:
    """A triple stated in several graphs is in the default graph once per graph.

    So on both stores and on embedded Oxigraph; rdflib's union is the RDF merge (a set).
    """
    from rdflib import Dataset

    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    quads = sum(expected_counts(store).values())
    assert quads > union_size(store)
    for target in (endpoints["virtuoso"], endpoints["oxigraph"]):
        assert _number(target.query(count)) == quads
    assert _number(store.query(count, graphs=data_graphs(store))) == quads
    merged = Dataset(default_union=True)
    for graph in data_graphs(store):
        named = merged.graph(graph)
        bnodes: dict[str, object] = {}
        for q in store.quads(graph=graph):
            terms = (
                to_rdflib(q.subject, bnodes),
                to_rdflib(q.predicate),
                to_rdflib(q.object, bnodes),
            )  # type: ignore[arg-type]
            named.add(terms)  # type: ignore[arg-type]
    answer = list(merged.query(count))
    assert int(answer[0][0]) == union_size(store)  # type: ignore[index]


def test_virtuoso_ask_is_read_as_a_boolean(endpoints: dict[str, RemoteStore]) -> None:
    """Virtuoso answers ASK with a one-row table ``__ASK_RETVAL``; the store reads a boolean."""
    for kind in ("virtuoso", "oxigraph"):
        assert endpoints[kind].query("ASK { ?s ?p ?o }") == AskResult(True)
        assert endpoints[kind].query("ASK { ?s <urn:nothing> ?o }") == AskResult(False)


def test_virtuoso_writes_booleans_as_integers(endpoints: dict[str, RemoteStore]) -> None:
    row = _rows(endpoints["virtuoso"].query("SELECT (true AS ?b) WHERE {}"))[0]
    assert row[0] == ox.Literal("1", datatype=ox.NamedNode(XSD.integer))
    row = _rows(endpoints["oxigraph"].query("SELECT (true AS ?b) WHERE {}"))[0]
    assert row[0] == ox.Literal("true", datatype=ox.NamedNode(XSD.boolean))


def test_virtuoso_repeats_rows_despite_distinct(
    endpoints: dict[str, RemoteStore], store: Store
) -> None:
    text = PREFIXES + DISTINCT_REPEATS
    local = _rows(store.query(text, graphs=data_graphs(store)))
    answer = _rows(endpoints["virtuoso"].query(text))
    assert len(local) == len(set(local)) == len(set(answer)) < len(answer)
    assert set(local) == set(answer)
    assert len(_rows(endpoints["oxigraph"].query(text))) == len(local)


def test_virtuoso_needs_one_end_of_a_path_bound(
    endpoints: dict[str, RemoteStore], store: Store
) -> None:
    text = PREFIXES + "SELECT ?c ?d WHERE { ?c rdfs:subClassOf+ ?d }"
    local = _rows(store.query(text))
    assert len(local) > 0
    assert len(_rows(endpoints["oxigraph"].query(text))) == len(local)
    with pytest.raises(StoreError, match="HTTP 500|transitive start"):
        endpoints["virtuoso"].query(text)


def test_virtuoso_loses_rows_when_two_paths_are_joined(
    endpoints: dict[str, RemoteStore], store: Store
) -> None:
    text = PREFIXES + TWO_PATHS
    local = _rows(store.query(text))
    assert len(local) > 1
    assert len(_rows(endpoints["virtuoso"].query(text))) < len(local)  # the path-join bug
    # The server's union default graph repeats a triple once per graph that states it;
    # the project's store holds each triple once: the same rows, as sets.
    assert set(_rows(endpoints["oxigraph"].query(text))) == set(local)


def test_virtuoso_describes_inbound_triples_too(endpoints: dict[str, RemoteStore]) -> None:
    lca = ox.NamedNode("https://w3id.org/clustergraph/id/org/lca")
    answer = endpoints["virtuoso"].query(f"DESCRIBE {lca}")
    assert isinstance(answer, GraphResult)
    assert any(t.object == lca for t in answer.triples)
    oxigraph = endpoints["oxigraph"].query(f"DESCRIBE {lca}")
    assert isinstance(oxigraph, GraphResult)
    assert all(t.subject == lca for t in oxigraph.triples)


def test_virtuoso_moves_a_missing_graph_as_an_empty_one(
    oxigraph: OxigraphServer, virtuoso: VirtuosoServer
) -> None:
    graph = TARGET + "-move"
    for kind in ("oxigraph", "virtuoso"):
        target = oxigraph_remote(oxigraph) if kind == "oxigraph" else virtuoso_remote(virtuoso)
        put_old(target, graph)
        move = f"MOVE <urn:x-clustergraph-test:nothing> TO <{graph}>"
        if kind == "oxigraph":
            with pytest.raises(StoreError, match="does not exist"):
                target.update(move)
            assert counts(target, [graph]) == {graph: 3}
        else:
            target.update(move)
            assert counts(target, [graph]) == {graph: 0}  # emptied
        target.drop_graphs([graph])


def test_group_concat_is_compared_as_a_set_of_parts(
    endpoints: dict[str, RemoteStore], store: Store
) -> None:
    text = PREFIXES + CONCAT
    local = store.query(text, graphs=data_graphs(store))
    for kind in ("oxigraph", "virtuoso"):
        result = compare(local, endpoints[kind].query(text), query=text, allowed=ALLOWED[kind])
        assert result.agrees, f"{kind}: {result.problem}"
        assert result.needed <= {Tolerance.GROUP_CONCAT_ORDER}


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_stores_write_decimals_in_canonical_form(
    kind: str, oxigraph: OxigraphServer, virtuoso: VirtuosoServer
) -> None:
    target = oxigraph_remote(oxigraph) if kind == "oxigraph" else virtuoso_remote(virtuoso)
    graph = "urn:x-clustergraph-test:decimals"
    target.client.put_graph(graph, f'<urn:x:a> <urn:x:p> "1.50"^^<{XSD.decimal}> .\n'.encode())
    try:
        rows = target.client.select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert rows[0]["o"]["value"] == "1.5"  # the store did not keep "1.50"
        decimal = ox.NamedNode(XSD.decimal)
        result = compare(
            SelectResult(("o",), ((ox.Literal("1.50", datatype=decimal),),)),
            SelectResult(("o",), ((ox.Literal("1.5", datatype=decimal),),)),
            query="SELECT ?o {}",
            allowed=ALLOWED[kind],
        )
        assert result.needed == {Tolerance.NUMERIC_LEXICAL}
    finally:
        target.drop_graphs([graph])


# ---------------------------------------------------------------------------
# Protocols and options
# ---------------------------------------------------------------------------


def test_push_through_sparql_update_only(tmp_path: Path, store: Store) -> None:
    with oxigraph_server(tmp_path) as server:
        target = remote(update=server.update_url)
        assert target.endpoints.graph_store is None
        report = push(store, target)
        assert report.method == "SPARQL Update"
        found = counts(oxigraph_remote(server), data_graphs(store))
        assert found == expected_counts(store)
        total, graphs = sum(found.values()), len(found)
        assert (
            f"pushed {total} triples in {graphs} graphs to {server.update_url}" in report.format()
        )


def test_push_the_union_into_one_graph(oxigraph: OxigraphServer, store: Store) -> None:
    target = oxigraph_remote(oxigraph)
    put_old(target)
    for graph in (TARGET, f"<{TARGET}>"):
        report = push(store, target, graph=graph)
        assert [g.target for g in report.graphs] == [TARGET]
        assert counts(target, [TARGET]) == {TARGET: union_size(store)}  # replaced, not added
    with pytest.raises(InputError, match="not an IRI"):
        push(store, target, graph="no scheme")
    target.drop_graphs([TARGET])


def test_push_by_put_when_no_update_endpoint_is_known(
    oxigraph: OxigraphServer, store: Store
) -> None:
    target = oxigraph_remote(oxigraph)
    put_old(target)
    by_put = RemoteStore(
        Endpoints(graph_store=oxigraph.store_url), retry=FAST
    )  # no update, no query
    report = push(store, by_put, graph=TARGET)
    assert report.method == "PUT"
    with pytest.raises(InputError, match="nothing to push"):
        push(OxigraphStore(), by_put, graph=TARGET)
    assert counts(target, [TARGET]) == {TARGET: union_size(store)}
    assert staging_graphs(target) == set()
    target.drop_graphs([TARGET])


def test_virtuoso_through_sparql_update_with_digest(virtuoso: VirtuosoServer, store: Store) -> None:
    target = remote(update=virtuoso.update_url, credentials=DIGEST)
    assert target.endpoints.query == virtuoso.query_url
    push(store, target, graph=TARGET)
    assert counts(virtuoso_remote(virtuoso), [TARGET]) == {TARGET: union_size(store)}


def test_virtuoso_anonymous_update_after_grant(virtuoso: VirtuosoServer, store: Store) -> None:
    graph = TARGET + "-anonymous"
    push(store, remote(update=virtuoso.query_url), graph=graph)
    target = virtuoso_remote(virtuoso)
    assert counts(target, [graph]) == {graph: union_size(store)}
    target.drop_graphs([graph])


def test_credentials_never_come_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(REPO), "push", "--graph-store", "http://x/store", "--password", "p"])
    assert code == 2 and "unrecognized arguments" in capsys.readouterr().err


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, "dba")
    monkeypatch.setenv(PASSWORD_ENV, "secret")
    target = target_store(graph_store="http://127.0.0.1:1/store")
    assert target.client.credentials == Credentials("dba", "secret")
    assert "secret" not in repr(target.client.credentials)


def test_half_given_credentials_are_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, "dba")
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(InputError, match=PASSWORD_ENV):
        target_store(graph_store="http://127.0.0.1:1/store")


def test_an_update_endpoint_of_unknown_layout_needs_a_query_endpoint() -> None:
    with pytest.raises(InputError, match="--query-endpoint"):
        target_store(update="http://127.0.0.1:1/whatever")
    with pytest.raises(InputError, match="--retries"):
        target_store(graph_store="http://127.0.0.1:1/store", retries=-1)


def test_a_read_only_store_cannot_be_pushed_to(oxigraph: OxigraphServer, store: Store) -> None:
    with pytest.raises(PushError, match="read-only") as info:
        push(store, reader(oxigraph.query_url), graph=TARGET)
    one_line(info.value)


# ---------------------------------------------------------------------------
# All or nothing: each failure leaves the target as it was, with the cause in one line
# ---------------------------------------------------------------------------


def test_a_dead_endpoint(store: Store) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    target = remote(graph_store=url, retry=RetryPolicy(retries=1, backoff=0.01, timeout=5))
    with pytest.raises(PushError) as info:
        push(store, target)
    err = one_line(info.value)
    # A store that refuses the first request is not running: said at once, not retried.
    assert "connection refused" in err and "tried" not in err
    assert "the target graphs are unchanged" in err
    assert "staging graphs left" not in err  # nothing reached the store
    assert isinstance(info.value.__cause__, StoreUnreachableError)


def test_virtuoso_wrong_password(virtuoso: VirtuosoServer, store: Store) -> None:
    target = virtuoso_remote(virtuoso)
    put_old(target)
    wrong = remote(
        graph_store=virtuoso.graph_store_url,
        credentials=Credentials(VIRTUOSO_USER, "not-the-password"),
    )
    with pytest.raises(PushError) as info:
        push(store, wrong, graph=TARGET)
    err = one_line(info.value)
    assert "HTTP 401" in err and "refused the credentials" in err
    assert "not-the-password" not in err
    assert "the target graphs are unchanged" in err
    assert_unchanged(target)


def test_virtuoso_without_credentials(virtuoso: VirtuosoServer, store: Store) -> None:
    target = virtuoso_remote(virtuoso)
    put_old(target)
    with pytest.raises(PushError) as info:
        push(store, remote(graph_store=virtuoso.graph_store_url), graph=TARGET)
    err = one_line(info.value)
    assert "HTTP 401" in err and f"set {USER_ENV} and {PASSWORD_ENV}" in err
    assert info.value.targets_unchanged
    assert isinstance(info.value.__cause__, AuthError)
    assert_unchanged(target)


def _is_replace(seen: Seen) -> bool:
    return seen.method == "POST" and "ADD SILENT" in seen.text


def _proxied(proxy: FaultyProxy, server_url: str) -> str:
    return proxy.url + urllib.parse.urlsplit(server_url).path


def test_transient_503_is_retried(oxigraph: OxigraphServer, store: Store) -> None:
    target = oxigraph_remote(oxigraph)
    put_old(target)
    answers = iter([503, 503])
    with faulty_proxy(oxigraph.base, lambda seen: next(answers, "forward")) as proxy:
        push(store, remote(graph_store=_proxied(proxy, oxigraph.store_url)), graph=TARGET)
        assert proxy.seen[0] == proxy.seen[1] == proxy.seen[2]  # the same PUT, three times
    assert counts(target, [TARGET]) == {TARGET: union_size(store)}
    target.drop_graphs([TARGET])


def test_a_store_that_stays_unavailable(oxigraph: OxigraphServer, store: Store) -> None:
    target = oxigraph_remote(oxigraph)
    put_old(target)

    def unavailable_for_moves(seen: Seen) -> int | str:
        return 503 if _is_replace(seen) else "forward"

    with faulty_proxy(oxigraph.base, unavailable_for_moves) as proxy:
        with pytest.raises(PushError) as info:
            push(store, remote(graph_store=_proxied(proxy, oxigraph.store_url)), graph=TARGET)
        assert sum(_is_replace(s) for s in proxy.seen) == 3
    err = one_line(info.value)
    assert "while replacing the target graphs" in err and "HTTP 503" in err
    assert "tried 3 times" in err and "the target graphs are unchanged" in err
    assert_unchanged(target)


def test_a_store_that_answers_too_late(oxigraph: OxigraphServer, store: Store) -> None:
    target = oxigraph_remote(oxigraph)
    put_old(target)

    def slow_queries(seen: Seen) -> str:
        return "delay" if seen.method == "POST" and "COUNT" in seen.text else "forward"

    with faulty_proxy(oxigraph.base, slow_queries) as proxy:
        proxy.delay = 1.5
        impatient = RetryPolicy(retries=1, backoff=0.01, timeout=0.5)
        slow = remote(graph_store=_proxied(proxy, oxigraph.store_url), retry=impatient)
        with pytest.raises(PushError) as info:
            push(store, slow, graph=TARGET)
    err = one_line(info.value)
    assert "no answer within 0.5 s" in err and "while checking the staging graphs" in err
    assert_unchanged(target)


def test_a_lost_triple_fails_the_count_check(oxigraph: OxigraphServer, store: Store) -> None:
    target = oxigraph_remote(oxigraph)
    put_old(target)

    def lose_a_line(seen: Seen) -> str:
        return "truncate" if seen.method == "PUT" and "staging" in seen.path else "forward"

    with faulty_proxy(oxigraph.base, lose_a_line) as proxy:
        with pytest.raises(PushError) as info:
            push(store, remote(graph_store=_proxied(proxy, oxigraph.store_url)), graph=TARGET)
    expected = union_size(store)
    assert f"holds {expected - 1} triples, {expected} were sent" in one_line(info.value)
    assert isinstance(info.value, VerifyError)
    assert_unchanged(target)


def test_a_dropped_replace_leaves_every_target_unchanged(tmp_path: Path, store: Store) -> None:
    """No target graph: every data graph is a target, all or none."""
    with oxigraph_server(tmp_path) as server:
        target = oxigraph_remote(server)
        for graph in data_graphs(store):
            put_old(target, graph)

        def drop_moves(seen: Seen) -> str:
            return "drop" if _is_replace(seen) else "forward"

        with faulty_proxy(server.base, drop_moves) as proxy:
            with pytest.raises(PushError) as info:
                push(store, remote(graph_store=_proxied(proxy, server.store_url)))
        err = one_line(info.value)
        assert "closed the connection" in err and "the target graphs are unchanged" in err
        for graph in data_graphs(store):
            assert_unchanged(target, graph)


def test_a_failed_put_puts_back_the_targets_already_replaced(tmp_path: Path, store: Store) -> None:
    """Without an update endpoint the targets are replaced one PUT at a time."""
    with oxigraph_server(tmp_path) as server:
        target = oxigraph_remote(server)
        for graph in data_graphs(store):
            put_old(target, graph)
        puts: list[str] = []

        def fail_third_target(seen: Seen) -> int | str:
            if seen.method == "PUT" and "staging" not in seen.path:
                puts.append(seen.path)
                if len(puts) == 3:
                    return 500
            return "forward"

        with faulty_proxy(server.base, fail_third_target) as proxy:
            by_put = RemoteStore(Endpoints(graph_store=proxy.url + "/store"), retry=FAST)
            with pytest.raises(PushError, match="HTTP 500") as info:
                push(store, by_put)
        assert info.value.targets_unchanged
        assert "the target graphs are unchanged" in one_line(info.value)
        assert len(puts) > 3  # the two replaced and the failed one were put back
        for graph in data_graphs(store):
            assert_unchanged(target, graph)


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_a_replace_whose_answer_was_lost_is_safe_to_send_again(
    kind: str, oxigraph: OxigraphServer, virtuoso: VirtuosoServer, store: Store
) -> None:
    """The store replaces the target but the answer is lost; the push sends it again.

    A second plain ``MOVE`` would fail on Oxigraph and empty the target on Virtuoso.
    """
    if kind == "oxigraph":
        target, base, url = oxigraph_remote(oxigraph), oxigraph.base, oxigraph.store_url
    else:
        target, base, url = virtuoso_remote(virtuoso), virtuoso.base, virtuoso.graph_store_url
    put_old(target)
    replaces = iter(["forward-drop"])
    digest = kind == "virtuoso"  # only the second request of each Digest exchange counts

    def carried_out(seen: Seen) -> bool:
        return _is_replace(seen) and (seen.authorized or not digest)

    def lose_the_first_answer(seen: Seen) -> str:
        return next(replaces, "forward") if carried_out(seen) else "forward"

    with faulty_proxy(base, lose_the_first_answer) as proxy:
        proxied = remote(graph_store=_proxied(proxy, url), credentials=DIGEST if digest else None)
        push(store, proxied, graph=TARGET)
        assert sum(carried_out(s) for s in proxy.seen) == 2
    assert counts(target, [TARGET]) == {TARGET: union_size(store)}
    assert staging_graphs(target) == set()
    target.drop_graphs([TARGET])


def _kill_on_replace(kill: Callable[[], None]) -> Callable[[Seen], str]:
    def rule(seen: Seen) -> str:
        if _is_replace(seen):
            kill()  # the store dies after the staging upload and check, before the replace
            return "drop"
        return "forward"

    return rule


def test_oxigraph_killed_midway(tmp_path: Path, store: Store) -> None:
    location = tmp_path / "store"
    once = RetryPolicy(retries=1, backoff=0.01, timeout=10)
    with oxigraph_server(location) as server:
        put_old(oxigraph_remote(server))
        with faulty_proxy(server.base, _kill_on_replace(server.process.kill)) as proxy:
            dying = remote(graph_store=_proxied(proxy, server.store_url), retry=once)
            with pytest.raises(PushError) as info:
                push(store, dying, graph=TARGET)
        server.process.wait()
    err = one_line(info.value)
    assert "while replacing the target graphs" in err
    assert "staging graphs left on the store" in err  # it could not clean up a dead store
    with oxigraph_server(location) as restarted:  # the same database, started again
        target = oxigraph_remote(restarted)
        assert counts(target, [TARGET]) == {TARGET: 3}
        left = staging_graphs(target)
        assert len(left) == 1 and next(iter(left)) in err
        # The next push from this machine removes what the interrupted one left: the
        # process that made it runs no push any more.
        assert push(store, target, graph=TARGET + "-next").stale_removed == tuple(sorted(left))
        assert staging_graphs(target) == set()


def test_a_replace_that_never_reached_the_store_says_unchanged(
    tmp_path: Path, store: Store
) -> None:
    """The store dies after the check: the replace is refused, so the targets are unchanged."""
    location = tmp_path / "store"
    once = RetryPolicy(retries=1, backoff=0.01, timeout=10)
    with oxigraph_server(location) as server:
        put_old(oxigraph_remote(server))
        target = remote(graph_store=server.store_url, retry=once)

        def die(step: str) -> None:
            if step == "verified":
                server.process.kill()
                server.process.wait()

        with pytest.raises(PushError) as info:
            push(store, target, graph=TARGET, progress=die)
    err = one_line(info.value)
    assert "while replacing the target graphs" in err and "connection refused" in err
    assert "the target graphs are unchanged" in err and info.value.targets_unchanged
    assert "unknown" not in err
    with oxigraph_server(location) as restarted:
        target = oxigraph_remote(restarted)
        assert counts(target, [TARGET]) == {TARGET: 3}
        left = staging_graphs(target)
        assert len(left) == 1
        # The next push from this process removes them: the push that left them is over.
        report = push(store, target, graph=TARGET + "-next")
        assert report.stale_removed == tuple(sorted(left))
        assert staging_graphs(target) == set()


def test_virtuoso_killed_midway(virtuoso: VirtuosoServer, store: Store) -> None:
    target = virtuoso_remote(virtuoso)
    put_old(target)
    once = RetryPolicy(retries=1, backoff=0.01, timeout=10)
    with faulty_proxy(virtuoso.base, _kill_on_replace(virtuoso.kill)) as proxy:
        dying = remote(
            graph_store=_proxied(proxy, virtuoso.graph_store_url), credentials=DIGEST, retry=once
        )
        with pytest.raises(PushError) as info:
            push(store, dying, graph=TARGET)
    err = one_line(info.value)
    assert "while replacing the target graphs" in err
    virtuoso.start()  # recovers from its transaction log
    assert counts(target, [TARGET]) == {TARGET: 3}
    left = staging_graphs(target)
    for graph in left:
        assert graph in err
    assert set(target.remove_stale_staging()) == left
    assert staging_graphs(target) == set()


def test_a_push_removes_staging_graphs_older_than_an_hour(
    oxigraph: OxigraphServer, store: Store
) -> None:
    target = oxigraph_remote(oxigraph)
    now = time.time()
    running = os.getppid()  # a process that is still running: a push of its own
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    old = staging_iri(TARGET, new_token(now - STALE_AFTER - 60, pid=running))
    young = staging_iri(TARGET, new_token(now - 60, pid=running))
    dead = staging_iri(TARGET, new_token(now - 60, pid=int(ended.stdout)))
    elsewhere = f"{STAGING_NS}{int(now - 60)}-0a1b2c3d/x"  # another machine's, or an older token
    for graph in (old, young, dead, elsewhere):
        target.client.put_graph(graph, OLD)
    report = push(store, target, graph=TARGET)
    assert report.stale_removed == tuple(sorted((old, dead)))
    assert "removed 2 staging graphs earlier pushes left behind" in report.format()
    assert staging_graphs(target) == {young, elsewhere}
    # push --clean removes every staging graph, young ones included
    assert clean(target) == sorted((young, elsewhere))
    assert staging_graphs(target) == set()
    target.drop_graphs([TARGET])


def test_ctrl_c_before_the_replace_takes_the_staging_graphs_away(
    oxigraph: OxigraphServer, store: Store
) -> None:
    target = oxigraph_remote(oxigraph)
    put_old(target)

    def ctrl_c(step: str) -> None:
        if step == "staged":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        push(store, target, graph=TARGET, progress=ctrl_c)
    assert_unchanged(target)  # and no staging graph left


def test_push_clean_on_the_command_line(
    oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """``push --clean`` removes every staging graph, a young one of a live process too."""
    target = oxigraph_remote(oxigraph)
    young = staging_iri(TARGET, new_token(time.time() - 60, pid=os.getppid()))
    target.client.put_graph(young, OLD)
    code = main(["push", "--graph-store", oxigraph.store_url, "--clean"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    assert out == f"removed 1 staging graphs earlier pushes left on {oxigraph.store_url}\n"
    assert staging_graphs(target) == set()


def test_a_graph_given_no_triples_is_dropped(oxigraph: OxigraphServer) -> None:
    target = oxigraph_remote(oxigraph)
    put_old(target)
    put_old(target, TARGET + "-kept")
    target.replace_graphs({TARGET: b"", TARGET + "-new": b"<urn:x:a> <urn:x:b> <urn:x:c> .\n"})
    found = counts(target, [TARGET, TARGET + "-new", TARGET + "-kept"])
    assert found == {TARGET: 0, TARGET + "-new": 1, TARGET + "-kept": 3}
    assert staging_graphs(target) == set()
    target.drop_graphs([TARGET + "-new", TARGET + "-kept"])


def test_many_graphs_in_one_replace(tmp_path: Path, virtuoso: VirtuosoServer) -> None:
    """Virtuoso refuses an update of one MOVE per graph past about 200 graphs."""
    data = {
        f"urn:x-clustergraph-test:many-{n}": f'<urn:x:a> <urn:x:p> "{n}" .\n'.encode()
        for n in range(400)
    }
    with oxigraph_server(tmp_path) as server:
        for target in (oxigraph_remote(server), virtuoso_remote(virtuoso)):
            staged = target.replace_graphs(data)
            assert len(staged) == 400
            assert set(counts(target, list(data)).values()) == {1}
            assert staging_graphs(target) == set()
            target.replace_graphs(dict.fromkeys(data, b""))  # and all dropped at once
            assert set(counts(target, list(data)).values()) == {0}


@pytest.fixture
def groups_of_ten(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace ten targets a request, so that the seed data's graphs make three groups."""
    monkeypatch.setattr(remote_module, "GROUP_SIZE", 10)


def test_a_failed_group_puts_back_the_groups_before_it(
    tmp_path: Path, store: Store, groups_of_ten: None
) -> None:
    with oxigraph_server(tmp_path) as server:
        target = oxigraph_remote(server)
        for graph in data_graphs(store):
            put_old(target, graph)
        replaces: list[Seen] = []

        def fail_second_group(seen: Seen) -> int | str:
            if _is_replace(seen):
                replaces.append(seen)
                if len(replaces) == 2:
                    return 500
            return "forward"

        with faulty_proxy(server.base, fail_second_group) as proxy:
            with pytest.raises(PushError, match="HTTP 500") as info:
                push(store, remote(graph_store=_proxied(proxy, server.store_url)))
        assert "the target graphs are unchanged" in one_line(info.value)
        assert info.value.targets_unchanged
        for graph in data_graphs(store):
            assert_unchanged(target, graph)  # the first group was put back; no copies left


def test_a_store_dying_between_groups_keeps_the_old_content(
    tmp_path: Path, store: Store, groups_of_ten: None
) -> None:
    location = tmp_path / "store"
    graphs = data_graphs(store)
    with oxigraph_server(location) as server:
        for graph in graphs:
            put_old(oxigraph_remote(server), graph)
        replaces: list[Seen] = []

        def kill_at_second_group(seen: Seen) -> str:
            if _is_replace(seen):
                replaces.append(seen)
                if len(replaces) == 2:
                    server.process.kill()
                    return "drop"
            return "forward"

        once = RetryPolicy(retries=1, backoff=0.01, timeout=10)
        with faulty_proxy(server.base, kill_at_second_group) as proxy:
            dying = remote(graph_store=_proxied(proxy, server.store_url), retry=once)
            with pytest.raises(PushError) as info:
                push(store, dying)
        server.process.wait()
    err = one_line(info.value)
    assert "could not put back the 20 targets replaced so far" in err
    assert info.value.targets_unchanged is None
    with oxigraph_server(location) as restarted:
        target = oxigraph_remote(restarted)
        first_group = graphs[:10]
        replaced = counts(target, first_group)
        assert replaced == {g: store.count(g) for g in first_group}
        # Every target was copied before the first group; the dead store kept the copies.
        backups = [g for g in staging_graphs(target) if "/backup/" in g]
        assert len(backups) == len(graphs) and set(counts(target, backups).values()) == {3}


def test_groups_replace_every_target(
    oxigraph: OxigraphServer, store: Store, groups_of_ten: None
) -> None:
    target = oxigraph_remote(oxigraph)
    report = push(store, target)
    assert len(report.graphs) > 20
    assert counts(target, data_graphs(store)) == expected_counts(store)
    assert staging_graphs(target) == set()


def test_killed_midway_through_the_api(tmp_path: Path, store: Store) -> None:
    location = tmp_path / "store"
    with oxigraph_server(location) as server:
        put_old(oxigraph_remote(server))

        def kill_after_check(step: str) -> None:
            if step == "verified":
                server.process.kill()
                server.process.wait()

        with pytest.raises(PushError, match="connection refused") as info:
            push(store, oxigraph_remote(server), graph=TARGET, progress=kill_after_check)
        assert isinstance(info.value.__cause__, StoreUnreachableError)
    with oxigraph_server(location) as restarted:
        assert counts(oxigraph_remote(restarted), [TARGET]) == {TARGET: 3}


def test_progress_reports_each_step(oxigraph: OxigraphServer, store: Store) -> None:
    steps: list[str] = []
    report = push(store, oxigraph_remote(oxigraph), graph=TARGET, progress=steps.append)
    assert steps == ["staged", "verified", "replaced"]
    assert isinstance(report, PushReport) and report.triples == union_size(store)
    oxigraph_remote(oxigraph).drop_graphs([TARGET])


def test_a_refused_query_is_a_query_error_not_a_push(oxigraph: OxigraphServer) -> None:
    with pytest.raises((QueryError, StoreError)) as info:
        reader(oxigraph.query_url).query("SELECT * WHERE { ?s ?p }")
    assert not isinstance(info.value, PushError)


# ---------------------------------------------------------------------------
# The README lists every difference the comparison needed
# ---------------------------------------------------------------------------


def readme_table() -> dict[str, str]:
    """Key -> the stores column of the README's compatibility table."""
    text = (REPO / "README.md").read_text("utf-8")
    section = text.split("## Compatibility of triple stores", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([a-z-]+)`", cells[0]) if len(cells) > 2 else None
        if match:
            rows[match.group(1)] = cells[1].lower()
    return rows


def test_the_readme_lists_every_difference() -> None:
    table = readme_table()
    for tolerance in Tolerance:
        assert tolerance.value in table, f"README: no row for `{tolerance.value}`"
    for key in ("system-graphs", "default-graph-bag", "path-join", "path-unbound-ends"):
        assert key in table, f"README: no row for `{key}`"
    assert "move-missing-graph" in table
    for (kind, name), needed in sorted(USED.items()):
        for tolerance in needed:
            assert kind in table[tolerance.value], f"{name} needed {tolerance.value} on {kind}"
    text = (REPO / "README.md").read_text("utf-8")
    for kind, wrong in WRONG_ANSWERS.items():
        for name in wrong:
            assert f"`{name}`" in text, f"README: {name} is wrong on {kind}, say so"
