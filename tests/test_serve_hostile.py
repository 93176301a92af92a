"""``clustergraph serve`` is never frozen and never crashed by a request.

A real server on 127.0.0.1 (worker processes, short limits) and real sockets: malformed
requests, a query past the time limit, a client that leaves mid-query, slow clients, a
query nested too deep, ``SERVICE`` calls, and no CORS header unless asked.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from clustergraph.cli.endpoint import Limits, Server
from tests.support.http import request

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "ASK { ?s ?p ?o }"
LIMITS = Limits(query_seconds=3, client_seconds=2, workers=2, queue=8)


@pytest.fixture(scope="module")
def server(store, tmp_path_factory) -> Iterator[Server]:
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<!DOCTYPE html><title>home</title>", encoding="utf-8")
    with Server(store, site, port=0, limits=LIMITS).started() as running:
        yield running


def raw(server: Server, data: bytes, *, wait: float = 10.0) -> bytes:
    """Send raw bytes, return what comes back until the server closes or ``wait`` passes."""
    with socket.create_connection(server.address, timeout=wait) as sock:
        sock.sendall(data)
        got = b""
        try:
            while chunk := sock.recv(65536):
                got += chunk
                if b"\r\n\r\n" in got and b"connection: close" not in got.lower():
                    break
        except TimeoutError:
            pass
        return got


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def ask_quick(server: Server) -> tuple[int, float]:
    start = time.monotonic()
    code, _h, _b = request(server.url, "GET", "/sparql?" + urllib.parse.urlencode({"query": QUICK}))
    return code, time.monotonic() - start


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a NUL byte in the path", b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (
            "a path part of 300 characters",
            b"GET /" + b"a" * 300 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            400,
        ),
        (
            "Content-Length: abc",
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            400,
        ),
        (
            "a negative Content-Length",
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            400,
        ),
        (
            "a huge Content-Length",
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 99999999999999\r\n\r\n",
            413,
        ),
        ("a request line that is not HTTP", b"HELLO\r\n\r\n", 400),
    ],
)
def test_a_malformed_request_is_a_4xx(
    server: Server, name: str, data: bytes, expected: int
) -> None:
    assert status(raw(server, data)) == expected, name


def test_an_unfinished_head_is_closed_within_the_client_limit(server: Server) -> None:
    start = time.monotonic()
    answer = raw(server, b"GET /sparql?query=ASK HTTP/1.1\r\nHost: x\r\nX-Slow: ", wait=10)
    assert time.monotonic() - start < LIMITS.client_seconds + 3
    assert answer == b"" or status(answer) == 408


def test_an_unfinished_body_is_answered_408(server: Server) -> None:
    data = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100\r\n\r\nASK"
    )
    assert status(raw(server, data)) == 408


@pytest.mark.parametrize("prefix", ["construct", "describe", "select", "ask"])
def test_a_prefix_named_as_a_query_form_is_answered(server: Server, prefix: str) -> None:
    query = f"PREFIX {prefix}: <urn:x:> SELECT ?s WHERE {{ ?s {prefix}:p ?o }}"
    code, headers, body = request(
        server.url, "GET", "/sparql?" + urllib.parse.urlencode({"query": query})
    )
    assert code == 200, body
    assert headers["content-type"].startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"] == []


def test_a_query_past_the_time_limit_is_stopped_and_says_so(server: Server) -> None:
    start = time.monotonic()
    code, _h, body = request(
        server.url, "GET", "/sparql?" + urllib.parse.urlencode({"query": SLOW})
    )
    assert code == 503 and b"time limit (3 s" in body
    assert time.monotonic() - start < LIMITS.query_seconds + 2
    assert ask_quick(server)[0] == 200  # the next query is answered


def test_a_client_that_leaves_mid_query_frees_its_worker(server: Server) -> None:
    before = {w.process.pid for w in server.app.pool.all}
    target = "/sparql?" + urllib.parse.urlencode({"query": SLOW})
    with socket.create_connection(server.address) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(0.5)
    deadline = time.monotonic() + LIMITS.query_seconds - 0.5
    while time.monotonic() < deadline and {w.process.pid for w in server.app.pool.all} >= before:
        time.sleep(0.05)
    assert not before <= {w.process.pid for w in server.app.pool.all}, "no worker was killed"
    code, took = ask_quick(server)
    assert code == 200 and took < 2.5


def test_queries_and_files_are_answered_while_slow_queries_run(server: Server) -> None:
    import threading

    slow = [
        threading.Thread(
            target=request,
            args=(server.url, "GET", "/sparql?" + urllib.parse.urlencode({"query": SLOW})),
        )
        for _ in range(2)
    ]
    for thread in slow:
        thread.start()
    time.sleep(0.3)
    code, _h, body = request(server.url, "GET", "/")
    assert code == 200 and b"home" in body
    for thread in slow:
        thread.join()
    assert ask_quick(server)[0] == 200


def test_slow_clients_hold_no_thread_and_do_not_block_others(server: Server) -> None:
    idle = [socket.create_connection(server.address) for _ in range(100)]
    try:
        for sock in idle:
            sock.sendall(b"GET / HTTP/1.1\r\n")
        code, took = ask_quick(server)
        assert code == 200 and took < 2.5
    finally:
        for sock in idle:
            sock.close()


def test_a_query_nested_too_deep_is_a_400_naming_the_limit(server: Server) -> None:
    deep = "SELECT * WHERE " + "{" * 2500 + "?s ?p ?o" + "}" * 2500
    code, _h, body = request(
        server.url, "POST", "/sparql", deep.encode(), {"Content-Type": "application/sparql-query"}
    )
    assert code == 400 and b"more than 128 deep" in body
    code, _h, body = request(
        server.url, "GET", "/sparql?" + urllib.parse.urlencode({"query": deep})
    )
    assert code == 400 and b"more than 128 deep" in body
    assert ask_quick(server)[0] == 200


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE SILENT e:x { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?at) SERVICE ?at { ?s ?p ?o } }",
    ],
)
def test_service_calls_are_refused_unless_allowed(server: Server, query: str) -> None:
    code, _h, body = request(
        server.url, "GET", "/sparql?" + urllib.parse.urlencode({"query": query})
    )
    assert code == 400 and b"--allow-service" in body


def test_service_to_the_server_itself_is_refused_not_deadlocked(server: Server) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{server.url}/sparql> {{ ?s ?p ?o }} }} LIMIT 1"
    code, _h, body = request(
        server.url, "GET", "/sparql?" + urllib.parse.urlencode({"query": query})
    )
    assert code == 400 and b"not allowed" in body
    assert ask_quick(server)[0] == 200


def test_no_cors_header_unless_an_origin_is_allowed(server: Server) -> None:
    for target in ("/", "/sparql?" + urllib.parse.urlencode({"query": QUICK})):
        _code, headers, _body = request(
            server.url, "GET", target, None, {"Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in headers


def test_an_allowed_origin_gets_its_cors_header(store) -> None:
    limits = Limits(cors=("https://site.example",), workers=1)
    with Server(store, None, port=0, limits=limits).started() as running:
        target = "/sparql?" + urllib.parse.urlencode({"query": QUICK})
        _c, headers, _b = request(
            running.url, "GET", target, None, {"Origin": "https://site.example"}
        )
        assert headers["access-control-allow-origin"] == "https://site.example"
        _c, headers, _b = request(
            running.url, "GET", target, None, {"Origin": "https://other.example"}
        )
        assert "access-control-allow-origin" not in headers


def test_queries_past_the_queue_are_refused_503(store) -> None:
    import threading

    limits = Limits(query_seconds=2, workers=1, queue=1)
    with Server(store, None, port=0, limits=limits).started() as running:
        codes: list[int] = []
        target = "/sparql?" + urllib.parse.urlencode({"query": SLOW})

        def send() -> None:
            codes.append(request(running.url, "GET", target)[0])

        threads = [threading.Thread(target=send) for _ in range(4)]
        for thread in threads:
            thread.start()
            time.sleep(0.1)
        for thread in threads:
            thread.join()
        assert codes.count(503) == 4  # two past the queue at once, two past the limit
