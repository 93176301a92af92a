"""The same queries through a real Oxigraph server on 127.0.0.1, and endpoint failures.

The server is the ``oxigraph`` binary of the PyPI package ``oxigraph``, started with
``--union-default-graph`` (the default graph of a query is the union of the named
graphs, as on the embedded engines) and loaded with the whole dataset as N-Quads.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Literal

from clustergraph.cli.main import main
from clustergraph.project.layout import Project
from clustergraph.queries.library import Library, parse_query_file
from clustergraph.store.engines import (
    AskResult,
    EndpointEngine,
    EndpointError,
    Result,
    SelectResult,
    run,
)

from tests.support.answers import same_answer
from tests.conftest import REPO
from tests.support.servers import OxigraphServer, free_port, oxigraph_server
from .test_queries import ECHO, PAYLOADS

NAMES = Library.of(Project(REPO)).names

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Iterator[OxigraphServer]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as running:
        running.load(dataset)
        yield running


@pytest.fixture(scope="module")
def remote(server: OxigraphServer) -> EndpointEngine:
    return EndpointEngine(server.query_url, timeout=30)


@pytest.mark.parametrize("name", NAMES)
def test_every_query_gives_the_same_answer_remotely(
    name: str, project: Project, remote: EndpointEngine, answer: Callable[[str, str], Result]
) -> None:
    query = Library.of(project).get(name)
    problem = same_answer(answer("rdflib", name), run(remote, query))
    assert problem is None, f"{name}: embedded rdflib against Oxigraph server: {problem}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_parameter_cannot_change_a_remote_query(payload: str, remote: EndpointEngine) -> None:
    echo = parse_query_file(ECHO, name="echo", path=Path("echo.rq"))
    result = run(remote, echo, params={"text": payload})
    assert isinstance(result, SelectResult)
    assert {row[0] for row in result.rows} == {Literal(payload)}


def test_the_cli_queries_the_endpoint(
    server: OxigraphServer, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    name = NAMES[0]
    args = ["--root", str(project.root), "query", name, "--format", "json"]
    assert main([*args, "--endpoint", server.query_url]) == 0
    remote = capsys.readouterr().out
    assert main([*args, "--engine", "rdflib"]) == 0
    assert capsys.readouterr().out.count('"type"') == remote.count('"type"')


def test_an_error_answer_is_reported(remote: EndpointEngine) -> None:
    with pytest.raises(EndpointError, match=f"^endpoint {remote.url}: .*") as info:
        remote.query("SELECT * WHERE { ?s ?p }")
    assert "\n" not in str(info.value)


def test_a_dead_endpoint_is_reported(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    with pytest.raises(EndpointError, match="connection refused"):
        EndpointEngine(url, timeout=5).query("ASK {}")
    code = main(["--root", str(project.root), "query", NAMES[0], "--endpoint", url])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("clustergraph: error: endpoint http://127.0.0.1:")
    assert err.count("\n") == 1


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
        started = time.monotonic()
        with pytest.raises(EndpointError, match="timeout"):
            EndpointEngine(url, timeout=1).query("ASK {}")
        assert time.monotonic() - started < 3
    finally:
        server.shutdown()
        server.server_close()


def test_keywords_in_comments_do_not_change_the_query_form(remote: EndpointEngine) -> None:
    """A comment saying "drop" or "insert" is not an update (SPARQLWrapper would think so)."""
    text = (
        "# This query does not DROP, INSERT or DELETE anything; it asks.\n"
        'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>  # "construct" in a comment\n'
        'ASK { ?x skos:prefLabel "European Automotive Cluster Network"@en }'
    )
    assert remote.query(text) == AskResult(True)
