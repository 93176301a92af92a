"""Push into real stores (Oxigraph, Virtuoso) on 127.0.0.1: the same answers, all or nothing.

The stores are started by the tests and stopped afterwards: an Oxigraph server per
module or test (it starts in well under a second), one Virtuoso server for the session
(see :func:`tests.servers.virtuoso_server`). Faults are real: dead ports, a proxy that
answers 503, drops or delays requests (:mod:`tests.faults`), wrong passwords, and stores
killed with SIGKILL between the staging upload and the replace.

After a push, every query of ``queries/`` must give the embedded engine's answer through
the endpoint. Where an engine really differs, :mod:`tests.compat` allows for it, says
which difference was needed, and the README's compatibility table must list it.
"""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from clustergraph.cli.main import main
from clustergraph.errors import InputError
from clustergraph.pipeline.load import named_graphs, union_graph
from clustergraph.pipeline.push import (
    PASSWORD_ENV,
    USER_ENV,
    AuthError,
    Credentials,
    Endpoints,
    PushError,
    RetryPolicy,
    StoreClient,
    StoreError,
    StoreUnreachableError,
    push,
    scoped_query_url,
)
from clustergraph.project.layout import Project
from clustergraph.queries.library import Library
from clustergraph.store.engines import (
    AskResult,
    EndpointEngine,
    EndpointError,
    GraphResult,
    OxigraphEngine,
    RdflibEngine,
    SelectResult,
    run,
)

from tests.support.compat import ALLOWED, WRONG_ANSWERS, Tolerance, compare
from tests.conftest import REPO
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
OLD = [(URIRef("urn:x:old"), URIRef("urn:x:p"), Literal(n)) for n in range(3)]
FAST = RetryPolicy(retries=2, backoff=0.01, timeout=10)

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning")

# (store, query) -> the differences the comparison needed; checked against the README.
USED: dict[tuple[str, str], frozenset[Tolerance]] = {}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def counts(client: StoreClient, graphs: list[str]) -> dict[str, int]:
    return client.counts(graphs)


def graph_iris(dataset: Dataset) -> list[str]:
    return [str(g.identifier) for g in named_graphs(dataset)]


def all_graphs(client: StoreClient) -> set[str]:
    rows = client.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {row["g"]["value"] for row in rows}


def staging_graphs(client: StoreClient) -> set[str]:
    return {g for g in all_graphs(client) if "-staging-" in g}


def put_old(client: StoreClient, graph: str = TARGET) -> None:
    """Give ``graph`` an old content of three triples, to show it survives a failed push."""
    old = Graph()
    for triple in OLD:
        old.add(triple)
    client.put_graph(graph, old.serialize(format="nt", encoding="utf-8"))


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--root", str(REPO), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def oxigraph_client(server: OxigraphServer) -> StoreClient:
    return StoreClient(Endpoints.infer(graph_store=server.store_url), retry=FAST)


def virtuoso_client(server: VirtuosoServer) -> StoreClient:
    return StoreClient(
        Endpoints.infer(graph_store=server.graph_store_url),
        credentials=Credentials(VIRTUOSO_USER, VIRTUOSO_PASSWORD),
        retry=FAST,
    )


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, VIRTUOSO_USER)
    monkeypatch.setenv(PASSWORD_ENV, VIRTUOSO_PASSWORD)


# ---------------------------------------------------------------------------
# Stores
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """Start an Oxigraph server holding the dataset, pushed by ``clustergraph push``."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        assert main(["--root", str(REPO), "push", "--graph-store", server.store_url]) == 0
        yield server


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """Start one Virtuoso server for the session, with anonymous SPARQL Update granted."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        server.grant_update()
        yield server


@pytest.fixture(scope="module")
def virtuoso_pushed(virtuoso: VirtuosoServer, dataset: Dataset) -> Iterator[VirtuosoServer]:
    """Push the dataset into Virtuoso with ``clustergraph push`` and Digest auth."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(USER_ENV, VIRTUOSO_USER)
        patch.setenv(PASSWORD_ENV, VIRTUOSO_PASSWORD)
        args = ["--root", str(REPO), "push", "--graph-store", virtuoso.graph_store_url]
        assert main(args) == 0
    yield virtuoso


@pytest.fixture(scope="module")
def embedded(dataset: Dataset) -> OxigraphEngine:
    return OxigraphEngine.from_dataset(dataset)


# ---------------------------------------------------------------------------
# The same answers in both stores
# ---------------------------------------------------------------------------


def test_oxigraph_holds_every_graph(oxigraph: OxigraphServer, dataset: Dataset) -> None:
    found = counts(oxigraph_client(oxigraph), graph_iris(dataset))
    assert found == {str(g.identifier): len(g) for g in named_graphs(dataset)}
    assert staging_graphs(oxigraph_client(oxigraph)) == set()


def test_virtuoso_holds_every_graph(virtuoso_pushed: VirtuosoServer, dataset: Dataset) -> None:
    client = virtuoso_client(virtuoso_pushed)
    found = counts(client, graph_iris(dataset))
    assert found == {str(g.identifier): len(g) for g in named_graphs(dataset)}
    assert staging_graphs(client) == set()


def _same_answers(store: str, url: str, name: str, embedded: OxigraphEngine) -> None:
    query = Library.of(Project(REPO)).get(name)
    reference = run(embedded, query)
    remote = run(EndpointEngine(url, timeout=60), query)
    result = compare(reference, remote, query=query.text, allowed=ALLOWED[store])
    wrong = WRONG_ANSWERS[store].get(name)
    if wrong is not None:
        assert not result.agrees, f"{name} now agrees on {store}: remove it from WRONG_ANSWERS"
        pytest.xfail(f"{store}: {wrong}")
    USED[(store, name)] = result.needed
    assert result.agrees, (
        f"{name}: embedded Oxigraph against {store}: {result.problem}\n"
        f"(a real difference of the engine goes into tests/compat.py and the README table)"
    )


@pytest.mark.parametrize("name", NAMES)
def test_every_query_same_answer_on_oxigraph(
    name: str, oxigraph: OxigraphServer, embedded: OxigraphEngine
) -> None:
    _same_answers("oxigraph", oxigraph.query_url, name, embedded)


@pytest.mark.parametrize("name", NAMES)
def test_every_query_same_answer_on_virtuoso(
    name: str, virtuoso_pushed: VirtuosoServer, embedded: OxigraphEngine, dataset: Dataset
) -> None:
    # Virtuoso's default graph is every graph it holds, its own system graphs included:
    # the SPARQL protocol's dataset parameters give the query the pushed graphs only.
    url = scoped_query_url(virtuoso_pushed.query_url, graph_iris(dataset))
    _same_answers("virtuoso", url, name, embedded)


def test_the_cli_queries_each_store_after_a_push(
    oxigraph: OxigraphServer,
    virtuoso_pushed: VirtuosoServer,
    dataset: Dataset,
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = "clusters-by-country"
    code, local, _ = run_cli(capsys, "query", name, "--format", "json")
    assert code == 0
    virtuoso_url = scoped_query_url(virtuoso_pushed.query_url, graph_iris(dataset))
    for url in (oxigraph.query_url, virtuoso_url):
        code, remote, err = run_cli(capsys, "query", name, "--format", "json", "--endpoint", url)
        assert (code, err) == (0, "")
        assert remote.count('"type"') == local.count('"type"')


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
    oxigraph: OxigraphServer, virtuoso_pushed: VirtuosoServer, dataset: Dataset
) -> dict[str, EndpointEngine]:
    scoped = scoped_query_url(virtuoso_pushed.query_url, graph_iris(dataset))
    return {
        "oxigraph": EndpointEngine(oxigraph.query_url),
        "virtuoso": EndpointEngine(scoped),
        "virtuoso-unscoped": EndpointEngine(virtuoso_pushed.query_url),
    }


def _rows(result: object) -> tuple:
    assert isinstance(result, SelectResult)
    return result.rows


def test_virtuoso_default_graph_holds_its_system_graphs(
    endpoints: dict[str, EndpointEngine], dataset: Dataset
) -> None:
    text = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    unscoped = {str(r[0]) for r in _rows(endpoints["virtuoso-unscoped"].query(text))}
    assert "http://www.openlinksw.com/schemas/virtrdf#" in unscoped
    assert {str(r[0]) for r in _rows(endpoints["virtuoso"].query(text))} == set(graph_iris(dataset))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(_rows(endpoints["virtuoso-unscoped"].query(count))[0][0]) > len(union_graph(dataset))


def test_the_union_default_graph_is_a_bag(
    endpoints: dict[str, EndpointEngine], embedded: OxigraphEngine, dataset: Dataset
) -> None:
    """A triple stated in several graphs is in the default graph once per graph.

    So on both stores and on embedded Oxigraph; rdflib's union is the RDF merge (a set).
    """
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    quads = sum(len(g) for g in named_graphs(dataset))
    assert quads > len(union_graph(dataset))
    for engine in (endpoints["virtuoso"], endpoints["oxigraph"], embedded):
        assert int(_rows(engine.query(count))[0][0]) == quads
    assert int(_rows(RdflibEngine(dataset).query(count))[0][0]) == len(union_graph(dataset))


def test_virtuoso_ask_is_read_as_a_boolean(endpoints: dict[str, EndpointEngine]) -> None:
    """Virtuoso answers ASK with a one-row table ``__ASK_RETVAL``; the engine reads a boolean."""
    for store in ("virtuoso", "oxigraph"):
        assert endpoints[store].query("ASK { ?s ?p ?o }") == AskResult(True)
        assert endpoints[store].query("ASK { ?s <urn:nothing> ?o }") == AskResult(False)


def test_virtuoso_writes_booleans_as_integers(endpoints: dict[str, EndpointEngine]) -> None:
    row = _rows(endpoints["virtuoso"].query("SELECT (true AS ?b) WHERE {}"))[0]
    assert row[0] == Literal("1", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))
    row = _rows(endpoints["oxigraph"].query("SELECT (true AS ?b) WHERE {}"))[0]
    assert row[0] == Literal(True)


def test_virtuoso_repeats_rows_despite_distinct(
    endpoints: dict[str, EndpointEngine], embedded: OxigraphEngine
) -> None:
    text = PREFIXES + DISTINCT_REPEATS
    local, remote = _rows(embedded.query(text)), _rows(endpoints["virtuoso"].query(text))
    assert len(local) == len(set(local)) == len(set(remote)) < len(remote)
    assert set(local) == set(remote)
    assert len(_rows(endpoints["oxigraph"].query(text))) == len(local)


def test_virtuoso_needs_one_end_of_a_path_bound(
    endpoints: dict[str, EndpointEngine], embedded: OxigraphEngine
) -> None:
    text = PREFIXES + "SELECT ?c ?d WHERE { ?c rdfs:subClassOf+ ?d }"
    assert len(_rows(embedded.query(text))) > 0
    assert len(_rows(endpoints["oxigraph"].query(text))) == len(_rows(embedded.query(text)))
    with pytest.raises(EndpointError, match="HTTP status code 500|transitive start"):
        endpoints["virtuoso"].query(text)


def test_virtuoso_loses_rows_when_two_paths_are_joined(
    endpoints: dict[str, EndpointEngine], embedded: OxigraphEngine
) -> None:
    text = PREFIXES + TWO_PATHS
    local = _rows(embedded.query(text))
    assert len(local) > 1
    assert len(_rows(endpoints["virtuoso"].query(text))) < len(local)  # the path-join bug
    assert sorted(_rows(endpoints["oxigraph"].query(text))) == sorted(local)


def test_virtuoso_describes_inbound_triples_too(endpoints: dict[str, EndpointEngine]) -> None:
    lca = URIRef("https://w3id.org/clustergraph/id/org/lca")
    answer = endpoints["virtuoso"].query(f"DESCRIBE <{lca}>")
    assert isinstance(answer, GraphResult)
    assert any(o == lca for _, _, o in answer.graph)
    oxigraph = endpoints["oxigraph"].query(f"DESCRIBE <{lca}>")
    assert isinstance(oxigraph, GraphResult)
    assert all(s == lca for s, _, _ in oxigraph.graph)


def test_virtuoso_moves_a_missing_graph_as_an_empty_one(
    oxigraph: OxigraphServer, virtuoso: VirtuosoServer
) -> None:
    graph = TARGET + "-move"
    for store in ("oxigraph", "virtuoso"):
        client = oxigraph_client(oxigraph) if store == "oxigraph" else virtuoso_client(virtuoso)
        put_old(client, graph)
        move = f"MOVE <urn:x-clustergraph-test:nothing> TO <{graph}>"
        if store == "oxigraph":
            with pytest.raises(StoreError, match="does not exist"):
                client.update(move)
            assert counts(client, [graph]) == {graph: len(OLD)}
        else:
            client.update(move)
            assert counts(client, [graph]) == {graph: 0}  # emptied
        client.delete_graph(graph)


def test_group_concat_is_compared_as_a_set_of_parts(
    endpoints: dict[str, EndpointEngine], embedded: OxigraphEngine
) -> None:
    text = PREFIXES + CONCAT
    local = embedded.query(text)
    for store in ("oxigraph", "virtuoso"):
        result = compare(local, endpoints[store].query(text), query=text, allowed=ALLOWED[store])
        assert result.agrees, f"{store}: {result.problem}"
        assert result.needed <= {Tolerance.GROUP_CONCAT_ORDER}


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_stores_write_decimals_in_canonical_form(
    store: str, oxigraph: OxigraphServer, virtuoso: VirtuosoServer
) -> None:
    client = oxigraph_client(oxigraph) if store == "oxigraph" else virtuoso_client(virtuoso)
    graph = "urn:x-clustergraph-test:decimals"
    data = b'<urn:x:a> <urn:x:p> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    client.put_graph(graph, data)
    try:
        rows = client.select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert rows[0]["o"]["value"] == "1.5"  # the store did not keep "1.50"
        decimal = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
        result = compare(
            SelectResult(("o",), ((Literal("1.50", datatype=decimal),),)),
            SelectResult(("o",), ((Literal("1.5", datatype=decimal),),)),
            query="SELECT ?o {}",
            allowed=ALLOWED[store],
        )
        assert result.needed == {Tolerance.NUMERIC_LEXICAL}
    finally:
        client.delete_graph(graph)


# ---------------------------------------------------------------------------
# Protocols and options
# ---------------------------------------------------------------------------


def test_push_through_sparql_update_only(
    tmp_path: Path, dataset: Dataset, capsys: pytest.CaptureFixture[str]
) -> None:
    with oxigraph_server(tmp_path) as server:
        update = server.store_url.replace("/store", "/update")
        code, out, err = run_cli(capsys, "push", "--update", update)
        assert (code, err) == (0, ""), err
        found = counts(oxigraph_client(server), graph_iris(dataset))
        assert found == {str(g.identifier): len(g) for g in named_graphs(dataset)}
        assert f"pushed {sum(found.values())} triples in {len(found)} graphs" in out


def test_push_the_union_into_one_graph(
    oxigraph: OxigraphServer, dataset: Dataset, capsys: pytest.CaptureFixture[str]
) -> None:
    client = oxigraph_client(oxigraph)
    put_old(client)
    code, out, err = run_cli(capsys, "push", "--graph-store", oxigraph.store_url, "--graph", TARGET)
    assert (code, err) == (0, "")
    assert counts(client, [TARGET]) == {TARGET: len(union_graph(dataset))}  # replaced, not added
    client.delete_graph(TARGET)


def test_push_by_put_when_no_update_endpoint_is_known(
    oxigraph: OxigraphServer, dataset: Dataset
) -> None:
    client = oxigraph_client(oxigraph)
    put_old(client)
    endpoints = Endpoints(graph_store=oxigraph.store_url)  # no update, no query endpoint
    report = push(dataset, endpoints, graph=TARGET, retry=FAST)
    assert report.method == "PUT"
    with pytest.raises(InputError, match="empty"):
        push(Dataset(), endpoints, graph=TARGET)
    assert counts(client, [TARGET]) == {TARGET: len(union_graph(dataset))}
    assert staging_graphs(client) == set()
    client.delete_graph(TARGET)


def test_virtuoso_through_sparql_update_with_digest(
    virtuoso: VirtuosoServer, dataset: Dataset, credentials: None, capsys
) -> None:
    code, out, err = run_cli(capsys, "push", "--update", virtuoso.update_url, "--graph", TARGET)
    assert (code, err) == (0, "")
    assert counts(virtuoso_client(virtuoso), [TARGET]) == {TARGET: len(union_graph(dataset))}


def test_virtuoso_anonymous_update_after_grant(
    virtuoso: VirtuosoServer, dataset: Dataset, capsys: pytest.CaptureFixture[str]
) -> None:
    graph = TARGET + "-anonymous"
    code, _, err = run_cli(capsys, "push", "--update", virtuoso.query_url, "--graph", graph)
    assert (code, err) == (0, "")
    client = virtuoso_client(virtuoso)
    assert counts(client, [graph]) == {graph: len(union_graph(dataset))}
    client.delete_graph(graph)


def test_credentials_never_come_from_the_command_line(capsys) -> None:
    code, _, err = run_cli(capsys, "push", "--graph-store", "http://x/store", "--password", "p")
    assert code == 2 and "unrecognized arguments" in err


def test_half_given_credentials_are_an_error(monkeypatch, capsys) -> None:
    monkeypatch.setenv(USER_ENV, "dba")
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    code, _, err = run_cli(capsys, "push", "--graph-store", "http://127.0.0.1:1/store")
    assert code == 2 and PASSWORD_ENV in err


def test_an_update_endpoint_of_unknown_layout_needs_a_query_endpoint(capsys) -> None:
    code, _, err = run_cli(capsys, "push", "--update", "http://127.0.0.1:1/whatever")
    assert code == 2 and "--query-endpoint" in err


# ---------------------------------------------------------------------------
# All or nothing: each failure leaves the target as it was, exit 2 with the cause
# ---------------------------------------------------------------------------


def assert_unchanged(client: StoreClient, graph: str = TARGET) -> None:
    assert counts(client, [graph]) == {graph: len(OLD)}
    assert staging_graphs(client) == set()


def one_line_error(code: int, err: str) -> str:
    assert code == 2
    assert err.startswith("clustergraph: error: push to ") and err.count("\n") == 1, err
    return err


def test_a_dead_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    code, _, err = run_cli(capsys, "push", "--graph-store", url, "--retries", "1")
    err = one_line_error(code, err)
    assert "connection refused" in err and "tried 2 times" in err


def test_virtuoso_wrong_password(
    virtuoso: VirtuosoServer, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    client = virtuoso_client(virtuoso)
    put_old(client)
    monkeypatch.setenv(USER_ENV, VIRTUOSO_USER)
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password")
    args = ["push", "--graph-store", virtuoso.graph_store_url, "--graph", TARGET]
    err = one_line_error(*run_cli(capsys, *args)[::2])
    assert "HTTP 401" in err and "refused the credentials" in err
    assert "not-the-password" not in err
    assert "the target graphs are unchanged" in err
    assert_unchanged(client)


def test_virtuoso_without_credentials(
    virtuoso: VirtuosoServer, dataset: Dataset, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    client = virtuoso_client(virtuoso)
    put_old(client)
    monkeypatch.delenv(USER_ENV, raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    args = ["push", "--graph-store", virtuoso.graph_store_url, "--graph", TARGET]
    err = one_line_error(*run_cli(capsys, *args)[::2])
    assert "HTTP 401" in err and f"set {USER_ENV} and {PASSWORD_ENV}" in err
    assert_unchanged(client)
    with pytest.raises(AuthError) as info:
        push(dataset, Endpoints.infer(graph_store=virtuoso.graph_store_url), graph=TARGET)
    assert info.value.targets_unchanged


def _is_replace(seen: Seen) -> bool:
    return seen.method == "POST" and "ADD SILENT" in seen.text


def _proxied(proxy: FaultyProxy, server_url: str, path: str) -> str:
    return proxy.url + urllib.parse.urlsplit(server_url + path).path


def test_transient_503_is_retried(
    oxigraph: OxigraphServer, dataset: Dataset, capsys: pytest.CaptureFixture[str]
) -> None:
    client = oxigraph_client(oxigraph)
    put_old(client)
    answers = iter([503, 503])
    with faulty_proxy(oxigraph.base, lambda seen: next(answers, "forward")) as proxy:
        store = proxy.url + "/store"
        code, _, err = run_cli(capsys, "push", "--graph-store", store, "--graph", TARGET)
        assert (code, err) == (0, "")
        assert proxy.seen[0] == proxy.seen[1] == proxy.seen[2]  # the same PUT, three times
    assert counts(client, [TARGET]) == {TARGET: len(union_graph(dataset))}
    client.delete_graph(TARGET)


def test_a_store_that_stays_unavailable(
    oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str]
) -> None:
    client = oxigraph_client(oxigraph)
    put_old(client)

    def unavailable_for_moves(seen: Seen) -> int | str:
        return 503 if _is_replace(seen) else "forward"

    with faulty_proxy(oxigraph.base, unavailable_for_moves) as proxy:
        args = ["push", "--graph-store", proxy.url + "/store", "--graph", TARGET, "--retries", "2"]
        err = one_line_error(*run_cli(capsys, *args)[::2])
        assert sum(_is_replace(s) for s in proxy.seen) == 3
    assert "while replacing the target graphs" in err and "HTTP 503" in err
    assert "tried 3 times" in err and "the target graphs are unchanged" in err
    assert_unchanged(client)


def test_a_store_that_answers_too_late(
    oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str]
) -> None:
    client = oxigraph_client(oxigraph)
    put_old(client)

    def slow_queries(seen: Seen) -> str:
        return "delay" if seen.method == "POST" and "COUNT" in seen.text else "forward"

    with faulty_proxy(oxigraph.base, slow_queries) as proxy:
        proxy.delay = 1.5
        args = ["push", "--graph-store", proxy.url + "/store", "--graph", TARGET]
        err = one_line_error(*run_cli(capsys, *args, "--timeout", "0.5", "--retries", "1")[::2])
    assert "no answer within 0.5 s" in err and "while checking the staging graphs" in err
    assert_unchanged(client)


def test_a_lost_triple_fails_the_count_check(
    oxigraph: OxigraphServer, dataset: Dataset, capsys: pytest.CaptureFixture[str]
) -> None:
    client = oxigraph_client(oxigraph)
    put_old(client)

    def lose_a_line(seen: Seen) -> str:
        return "truncate" if seen.method == "PUT" and "staging" in seen.path else "forward"

    with faulty_proxy(oxigraph.base, lose_a_line) as proxy:
        args = ["push", "--graph-store", proxy.url + "/store", "--graph", TARGET]
        err = one_line_error(*run_cli(capsys, *args)[::2])
    expected = len(union_graph(dataset))
    assert f"holds {expected - 1} triples, {expected} were sent" in err
    assert_unchanged(client)


def test_a_dropped_replace_leaves_every_target_unchanged(
    tmp_path: Path, dataset: Dataset, capsys: pytest.CaptureFixture[str]
) -> None:
    """No --graph: twelve targets, all or none."""
    with oxigraph_server(tmp_path) as server:
        client = oxigraph_client(server)
        for graph in graph_iris(dataset):
            put_old(client, graph)

        def drop_moves(seen: Seen) -> str:
            return "drop" if _is_replace(seen) else "forward"

        with faulty_proxy(server.base, drop_moves) as proxy:
            err = one_line_error(
                *run_cli(capsys, "push", "--graph-store", proxy.url + "/store")[::2]
            )
        assert "closed the connection" in err and "the target graphs are unchanged" in err
        for graph in graph_iris(dataset):
            assert_unchanged(client, graph)


def test_a_failed_put_puts_back_the_targets_already_replaced(
    tmp_path: Path, dataset: Dataset
) -> None:
    """Without an update endpoint the targets are replaced one PUT at a time."""
    with oxigraph_server(tmp_path) as server:
        client = oxigraph_client(server)
        for graph in graph_iris(dataset):
            put_old(client, graph)
        puts: list[str] = []

        def fail_third_target(seen: Seen) -> int | str:
            if seen.method == "PUT" and "staging" not in seen.path:
                puts.append(seen.path)
                if len(puts) == 3:
                    return 500
            return "forward"

        with faulty_proxy(server.base, fail_third_target) as proxy:
            endpoints = Endpoints(graph_store=proxy.url + "/store")  # PUT, no MOVE
            with pytest.raises(PushError, match="HTTP 500") as info:
                push(dataset, endpoints, retry=FAST)
        assert info.value.targets_unchanged
        assert "the target graphs are unchanged" in str(info.value)
        assert len(puts) > 3  # the two replaced and the failed one were put back
        for graph in graph_iris(dataset):
            assert_unchanged(client, graph)


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_a_replace_whose_answer_was_lost_is_safe_to_send_again(
    store: str,
    oxigraph: OxigraphServer,
    virtuoso: VirtuosoServer,
    dataset: Dataset,
    credentials: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The store replaces the target but the answer is lost; the push sends it again.

    A second plain ``MOVE`` would fail on Oxigraph and empty the target on Virtuoso.
    """
    if store == "oxigraph":
        client, base, path = oxigraph_client(oxigraph), oxigraph.base, "/store"
    else:
        client, base, path = virtuoso_client(virtuoso), virtuoso.base, "/sparql-graph-crud-auth"
    put_old(client)
    replaces = iter(["forward-drop"])
    digest = store == "virtuoso"  # only the second request of each Digest exchange counts

    def carried_out(seen: Seen) -> bool:
        return _is_replace(seen) and (seen.authorized or not digest)

    def lose_the_first_answer(seen: Seen) -> str:
        return next(replaces, "forward") if carried_out(seen) else "forward"

    with faulty_proxy(base, lose_the_first_answer) as proxy:
        code, _, err = run_cli(capsys, "push", "--graph-store", proxy.url + path, "--graph", TARGET)
        assert sum(carried_out(s) for s in proxy.seen) == 2
    assert (code, err) == (0, "")
    assert counts(client, [TARGET]) == {TARGET: len(union_graph(dataset))}
    assert staging_graphs(client) == set()
    client.delete_graph(TARGET)


def _kill_on_replace(kill: Callable[[], None]) -> Callable[[Seen], str]:
    def rule(seen: Seen) -> str:
        if _is_replace(seen):
            kill()  # the store dies after the staging upload and check, before the replace
            return "drop"
        return "forward"

    return rule


def test_oxigraph_killed_midway(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    location = tmp_path / "store"
    with oxigraph_server(location) as server:
        put_old(oxigraph_client(server))
        with faulty_proxy(server.base, _kill_on_replace(server.process.kill)) as proxy:
            args = ["push", "--graph-store", proxy.url + "/store", "--graph", TARGET]
            err = one_line_error(*run_cli(capsys, *args, "--retries", "1")[::2])
        server.process.wait()
    assert "while replacing the target graphs" in err
    assert "staging graphs left on the store" in err  # it could not clean up a dead store
    with oxigraph_server(location) as restarted:  # the same database, started again
        client = oxigraph_client(restarted)
        assert counts(client, [TARGET]) == {TARGET: len(OLD)}
        left = staging_graphs(client)
        assert len(left) == 1 and next(iter(left)) in err


def test_virtuoso_killed_midway(virtuoso: VirtuosoServer, capsys) -> None:
    client = virtuoso_client(virtuoso)
    put_old(client)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(USER_ENV, VIRTUOSO_USER)
        patch.setenv(PASSWORD_ENV, VIRTUOSO_PASSWORD)
        with faulty_proxy(virtuoso.base, _kill_on_replace(virtuoso.kill)) as proxy:
            store = proxy.url + "/sparql-graph-crud-auth"
            args = ["push", "--graph-store", store, "--graph", TARGET, "--retries", "1"]
            err = one_line_error(*run_cli(capsys, *args)[::2])
    assert "while replacing the target graphs" in err
    virtuoso.start()  # recovers from its transaction log
    assert counts(client, [TARGET]) == {TARGET: len(OLD)}
    for graph in staging_graphs(client):
        assert graph in err
        client.delete_graph(graph)


def test_killed_midway_through_the_api(tmp_path: Path, dataset: Dataset) -> None:
    location = tmp_path / "store"
    with oxigraph_server(location) as server:
        put_old(oxigraph_client(server))

        def kill_after_check(step: str) -> None:
            if step == "verified":
                server.process.kill()
                server.process.wait()

        endpoints = Endpoints.infer(graph_store=server.store_url)
        with pytest.raises(StoreUnreachableError, match="connection refused") as info:
            push(dataset, endpoints, graph=TARGET, retry=FAST, progress=kill_after_check)
        assert isinstance(info.value, PushError)
    with oxigraph_server(location) as restarted:
        assert counts(oxigraph_client(restarted), [TARGET]) == {TARGET: len(OLD)}


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
    for (store, name), needed in sorted(USED.items()):
        for tolerance in needed:
            assert store in table[tolerance.value], f"{name} needed {tolerance.value} on {store}"
    text = (REPO / "README.md").read_text("utf-8")
    for store, wrong in WRONG_ANSWERS.items():
        for name in wrong:
            assert f"`{name}`" in text, f"README: {name} is wrong on {store}, say so"
