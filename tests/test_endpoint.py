"""A remote store: a real Oxigraph server on 127.0.0.1, filled by a push, read as the embedded.

The server is the ``oxigraph`` binary of the PyPI package ``oxigraph``, started with
``--union-default-graph`` (the default graph of a query is the union of the named
graphs, as on the embedded store) and filled by :func:`clustergraph.pipeline.push.push`
from the synced store. Every library query must answer the same through
:class:`~clustergraph.store.remote.RemoteStore` as on the embedded store, and the
read-only stages (``stats``, the checks, the exports) must work on the remote store
alone, with no data files and no local store.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.errors import QueryError, StoreError, StoreUnreachableError
from clustergraph.pipeline.checks import run_checks
from clustergraph.pipeline.export import data_graphs, export, file_name
from clustergraph.pipeline.publish import export_all
from clustergraph.pipeline.push import push, target_store
from clustergraph.pipeline.stats import stats
from clustergraph.project.layout import Project
from clustergraph.queries.library import Library, parse_query_file
from clustergraph.queries.run import run
from clustergraph.rdf.formats import RdfFormat
from clustergraph.store import AskResult, RemoteStore, SelectResult, Store, open_store
from clustergraph.store.client import Endpoints, RetryPolicy
from tests.conftest import REPO
from tests.support.compat import ALLOWED, compare
from tests.support.injection import ECHO, PAYLOADS
from tests.support.servers import OxigraphServer, free_port, oxigraph_server

NAMES = Library.of(Project(REPO)).names

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, store: Store) -> Iterator[OxigraphServer]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as running:
        push(store, target_store(graph_store=running.store_url))
        yield running


@pytest.fixture(scope="module")
def remote(server: OxigraphServer) -> Store:
    """Open the server as ``--store URL`` does."""
    return open_store(server.query_url, timeout=30)


@pytest.fixture(scope="module")
def read_only(server: OxigraphServer) -> RemoteStore:
    """Know the server only by its query endpoint, as a public endpoint would be."""
    return RemoteStore(Endpoints(query=server.query_url), retry=RetryPolicy(timeout=30))


def test_a_query_url_opens_a_remote_store(remote: Store, read_only: RemoteStore) -> None:
    assert isinstance(remote, RemoteStore) and remote.writable
    assert remote.endpoints.update is not None and remote.endpoints.graph_store is not None
    assert not read_only.writable


@pytest.mark.parametrize("name", NAMES)
def test_every_query_gives_the_same_answer_remotely(
    name: str, library: Library, store: Store, remote: Store
) -> None:
    query = library.get(name)
    result = compare(
        run(store, query), run(remote, query), query=query.text, allowed=ALLOWED["oxigraph"]
    )
    assert result.agrees, f"{name}: embedded Oxigraph against the Oxigraph server: {result.problem}"


def test_the_remote_store_holds_the_data_graphs(store: Store, read_only: RemoteStore) -> None:
    assert read_only.graphs() == data_graphs(store)
    for graph in data_graphs(store):
        assert read_only.count(graph) == store.count(graph)


def test_graphs_narrow_a_remote_query(store: Store, read_only: RemoteStore) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graph = next(g for g in data_graphs(store) if "/graph/source/" in g)
    answer = read_only.query(text, graphs=[graph])
    assert isinstance(answer, SelectResult)
    assert answer.rows[0][0] == ox.Literal(
        str(store.count(graph)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_parameter_cannot_change_a_remote_query(payload: str, read_only: RemoteStore) -> None:
    echo = parse_query_file(ECHO, name="echo", path=Path("echo.rq"))
    result = run(read_only, echo, params={"text": payload})
    assert isinstance(result, SelectResult)
    assert {row[0] for row in result.rows} == {ox.Literal(payload)}


# ---------------------------------------------------------------------------
# The read-only stages on a remote store, with no local files
# ---------------------------------------------------------------------------


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from an empty directory: no project, no data files, no local store."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_stats_of_a_remote_store(nowhere: Path, store: Store, read_only: RemoteStore) -> None:
    local, far = stats(store), stats(read_only)
    assert [(g.graph, g.triples) for g in far.graphs] == [
        (g.graph, g.triples) for g in local.graphs
    ]
    assert far.classes == local.classes
    assert far.sources == local.sources
    # No manifest on the remote store: files are named as the layout names them.
    assert {g.file for g in far.graphs if g.file != "-"} == {
        g.file for g in local.graphs if g.file != "-"
    }
    assert list(nowhere.iterdir()) == []


def test_checks_on_a_remote_store(
    nowhere: Path, store: Store, read_only: RemoteStore, library: Library
) -> None:
    far = run_checks(read_only, library)
    assert far.passed, far.format(failures_only=True)
    assert [r.query.name for r in far.runs] == [
        r.query.name for r in run_checks(store, library).runs
    ]
    assert list(nowhere.iterdir()) == []


@pytest.mark.parametrize("fmt", list(RdfFormat), ids=lambda f: f.value)
def test_exports_of_a_remote_store_are_the_same_bytes(
    fmt: RdfFormat, nowhere: Path, store: Store, read_only: RemoteStore
) -> None:
    assert export(read_only, fmt) == export(store, fmt)


def test_export_all_of_a_remote_store(tmp_path: Path, store: Store, read_only: RemoteStore) -> None:
    far, local = tmp_path / "far", tmp_path / "local"
    export_all(read_only, far)
    export_all(store, local)
    for fmt in RdfFormat:
        assert (far / file_name(fmt)).read_bytes() == (local / file_name(fmt)).read_bytes()
    assert (far / "void.ttl").read_bytes() == (local / "void.ttl").read_bytes()


# ---------------------------------------------------------------------------
# Failures: one line each
# ---------------------------------------------------------------------------


def test_an_error_answer_is_reported(server: OxigraphServer, read_only: RemoteStore) -> None:
    with pytest.raises(StoreError, match=f"^POST {server.query_url}: HTTP 400") as info:
        read_only.query("SELECT * WHERE { ?s ?p }")
    assert "\n" not in str(info.value)


def test_a_dead_endpoint_is_reported() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    store = open_store(url, retries=0)
    with pytest.raises(StoreUnreachableError, match="connection refused") as info:
        store.query("ASK {}")
    assert "\n" not in str(info.value) and url in str(info.value)


class _Slow(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        time.sleep(3)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_slow_endpoint_times_out() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        store = open_store(url, timeout=1, retries=0)
        started = time.monotonic()
        with pytest.raises(StoreUnreachableError, match="no answer within 1 s"):
            store.query("ASK {}")
        assert time.monotonic() - started < 3
    finally:
        server.shutdown()
        server.server_close()


def test_keywords_in_comments_do_not_change_the_query_form(read_only: RemoteStore) -> None:
    """A comment saying "drop" or "insert" is not an update (SPARQLWrapper would think so)."""
    text = (
        "# This query does not DROP, INSERT or DELETE anything; it asks.\n"
        'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>  # "construct" in a comment\n'
        'ASK { ?x skos:prefLabel "European Automotive Cluster Network"@en }'
    )
    assert read_only.query(text) == AskResult(True)


def test_a_read_only_store_refuses_writes(read_only: RemoteStore) -> None:
    with pytest.raises(StoreError, match="read-only") as info:
        read_only.update("DROP ALL")
    assert not isinstance(info.value, QueryError)
    assert read_only.graphs()  # nothing was dropped
