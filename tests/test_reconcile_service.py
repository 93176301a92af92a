"""The W3C Reconciliation Service: every answer against the API's schemas, every bad request.

``clustergraph reconcile --serve`` runs as a real process on 127.0.0.1, asked what
OpenRefine asks (the manifest, batches by GET and by form POST, suggest with its
flyout, preview, data extension) and sent malformed requests of many kinds: each gets a
4xx with a reason, and the server's log holds no traceback. The JSON schemas of
``tests/reconciliation/`` are written from the W3C Reconciliation API 0.2 specification.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from clustergraph.project.layout import ID_NS
from clustergraph.project.vocab import ORG, SKOS
from clustergraph.queries.reconcile import Matcher
from clustergraph.queries.reconcile_service import (
    MAX_BODY,
    MAX_QUERIES,
    Facts,
    ReconciliationService,
    server,
)
from tests.support.servers import free_port

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCHEMAS = HERE / "reconciliation"
LCN = ID_NS + "org/lcn"
FTD = ID_NS + "org/ftd-lt"
LT = ID_NS + "country/lt"


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def valid(value: Any, name: str) -> Any:
    jsonschema.validate(value, schema(name), cls=jsonschema.Draft202012Validator)
    return value


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Run ``clustergraph reconcile --serve``; yield its URL and its log (standard error)."""
    port = free_port()
    log = tmp_path_factory.mktemp("reconcile") / "stderr.txt"
    with log.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "clustergraph", "--root", str(ROOT), "reconcile", "--serve",
             "--port", str(port), "--store", "memory:"],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _h, _b = request("GET", url + "/")
                if status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield url, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def request(
    method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.headers, answer.read()
    finally:
        connection.close()


def get(url: str, path: str, **params: str) -> Any:
    query = ("?" + urllib.parse.urlencode(params)) if params else ""
    status, headers, body = request("GET", url + path + query)
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json")
    return json.loads(body)


def post_form(url: str, **fields: str) -> tuple[int, Any]:
    body = urllib.parse.urlencode(fields).encode()
    status, _h, data = request(
        "POST", url + "/", body, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    return status, json.loads(data)


# -- what OpenRefine asks ------------------------------------------------------------------


def test_the_manifest_offers_preview_flyout_suggest_and_extension(
    service: tuple[str, Path],
) -> None:
    url, _log = service
    manifest = valid(get(url, "/"), "manifest")
    assert manifest["identifierSpace"] == ID_NS
    assert manifest["preview"]["url"] == url + "/preview?id={{id}}"
    assert manifest["suggest"]["entity"]["flyout_service_path"] == "/flyout/entity?id=${id}"
    assert manifest["extend"]["propose_properties"]["service_path"] == "/properties"


def test_openrefine_batches_by_post_and_by_get(service: tuple[str, Path]) -> None:
    url, _log = service
    batch = valid(
        {
            "q0": {"query": "Lithuanian Cluster Network", "type": "org", "type_strict": "should"},
            "q1": {"query": "FTD LT", "limit": 3},
            "q2": {"query": "PAUŽOLIS", "type": ["person"]},
        },
        "query-batch",
    )
    status, posted = post_form(url, queries=json.dumps(batch))
    assert status == 200
    valid(posted, "result-batch")
    assert posted["q0"]["result"][0]["id"] == LCN
    assert posted["q1"]["result"][0]["id"] == FTD and len(posted["q1"]["result"]) <= 3
    got = get(url, "/", queries=json.dumps(batch))
    assert got == posted
    # JSONP for the clients that ask for it; JSON otherwise
    status, headers, body = request(
        "GET", url + "/?" + urllib.parse.urlencode({"queries": json.dumps(batch), "callback": "cb"})
    )
    assert headers["Content-Type"].startswith("application/javascript")
    assert body.startswith(b"cb(") and json.loads(body[3:-1]) == posted


def test_a_batch_of_a_thousand_is_answered_and_one_more_is_refused(
    service: tuple[str, Path],
) -> None:
    url, _log = service
    names = ["Lithuanian Cluster Network", "FTD LT", "LitCare", "FETEK"]
    batch = {f"q{i}": {"query": names[i % 4]} for i in range(MAX_QUERIES)}
    status, answer = post_form(url, queries=json.dumps(batch))
    assert status == 200 and len(valid(answer, "result-batch")) == MAX_QUERIES
    batch["one-more"] = {"query": "x"}
    status, answer = post_form(url, queries=json.dumps(batch))
    assert status == 413 and str(MAX_QUERIES) in answer["error"]


def test_properties_refine_a_query_and_may_stand_alone(service: tuple[str, Path]) -> None:
    url, _log = service
    batch = valid(
        {
            # properties only: every organisation in Lithuania
            "alone": {"type": "org", "properties": [{"pid": "country", "v": "Lithuania"}],
                      "limit": 50},
            "founded": {"query": "Lithuanian Cluster Network",
                        "properties": [{"pid": "founded", "v": "2020"}]},
            "wrong-year": {"query": "Lithuanian Cluster Network",
                           "properties": [{"pid": "founded", "v": 1999}]},
            "sector": {"query": "FTD LT", "properties": [
                {"pid": "sector", "v": {"id": ID_NS + "sector/digital-food-technologies"}}]},
            "network": {"query": "FTD LT", "properties": [{"pid": "network", "v": ["EACN"]}]},
        },
        "query-batch",
    )  # fmt: skip
    status, answer = post_form(url, queries=json.dumps(batch))
    assert status == 200, answer
    valid(answer, "result-batch")
    alone = {c["id"] for c in answer["alone"]["result"]}
    assert ID_NS + "org/fetek" in alone and ID_NS + "org/litcare" in alone
    assert all(c["features"] == [{"id": "property:country", "value": True}]
               for c in answer["alone"]["result"])  # fmt: skip
    founded = answer["founded"]["result"][0]
    assert founded["id"] == LCN and founded["match"] is True
    assert {"id": "property:founded", "value": True} in founded["features"]
    wrong = answer["wrong-year"]["result"][0]
    assert wrong["id"] == LCN and wrong["match"] is False  # the name fits, the year does not
    assert {"id": "property:founded", "value": False} in wrong["features"]
    assert wrong["score"] < founded["score"]
    for key in ("sector", "network"):
        best = answer[key]["result"][0]
        assert best["id"] == FTD and {"id": f"property:{key}", "value": True} in best["features"]


def test_suggest_pages_with_cursor_and_finds_identifiers(service: tuple[str, Path]) -> None:
    url, _log = service
    first = valid(get(url, "/suggest/entity", prefix="cluster", limit="3"), "suggest-response")
    second = valid(
        get(url, "/suggest/entity", prefix="cluster", limit="3", cursor="3"), "suggest-response"
    )
    both = valid(get(url, "/suggest/entity", prefix="cluster", limit="6"), "suggest-response")
    assert len(first["result"]) == 3 and second["result"]
    assert first["result"] + second["result"] == both["result"][: 3 + len(second["result"])]
    for written in ("o:lcn", LCN, f"<{LCN}>", "lcn"):
        found = get(url, "/suggest/entity", prefix=written)
        assert found["result"][0]["id"] == LCN, written
    assert get(url, "/suggest/entity", prefix="lcn", type="person")["result"] == []
    types = valid(get(url, "/suggest/type", prefix="org"), "suggest-response")
    assert {"id": "org", "name": "organisation"} in types["result"]
    props = valid(get(url, "/suggest/property", prefix="coun"), "suggest-response")
    assert props["result"][0]["id"] == "country"


def test_flyout_and_preview_show_the_entity(service: tuple[str, Path]) -> None:
    url, _log = service
    flyout = valid(get(url, "/flyout/entity", id=LCN), "flyout-response")
    assert flyout["id"] == LCN and "Lithuanian Cluster Network" in flyout["html"]
    status, headers, body = request("GET", url + "/preview?" + urllib.parse.urlencode({"id": FTD}))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode("utf-8")
    facts = (
        "organisation",
        "Digital food technologies",
        "European Automotive Cluster Network",
        "Bronze",
        "FTD LT cluster becomes an associate member of EACN",
    )
    for fact in facts:
        assert fact in page, fact
    status, _h, body = request("GET", url + "/preview?id=o:fetek")
    assert status == 200 and b"Lithuania" in body
    status, _h, body = request("GET", url + "/preview?id=o:no-such-thing")
    assert status == 404 and b"no entity" in body


def test_data_extension_gives_a_spreadsheet_of_clusters_their_facts(
    service: tuple[str, Path],
) -> None:
    url, _log = service
    proposed = valid(get(url, "/properties", type="org"), "propose-properties-response")
    offered = {p["id"] for p in proposed["properties"]}
    assert {"country", "sector", "network", "label"} <= offered
    query = valid(
        {"ids": [FTD, ID_NS + "org/fetek", ID_NS + "org/unknown"],
         "properties": [{"id": p} for p in ("country", "sector", "network", "label")]},
        "extend-query",
    )  # fmt: skip
    status, answer = post_form(url, extend=json.dumps(query))
    assert status == 200, answer
    valid(answer, "extend-response")
    assert [m["id"] for m in answer["meta"]] == ["country", "sector", "network", "label"]
    ftd, fetek = answer["rows"][FTD], answer["rows"][ID_NS + "org/fetek"]
    assert {"id": ID_NS + "org/eacn", "name": "European Automotive Cluster Network"} in ftd[
        "network"
    ]
    assert ftd["sector"] == [
        {"id": ID_NS + "sector/digital-food-technologies", "name": "Digital food technologies"}
    ]
    assert fetek["country"] == [{"id": LT, "name": "Lithuania"}]
    assert [v["name"] for v in fetek["label"]] == ["Bronze"]
    assert answer["rows"][ID_NS + "org/unknown"] == {
        "country": [], "sector": [], "network": [], "label": []
    }  # fmt: skip


def test_cors_preflight(service: tuple[str, Path]) -> None:
    url, _log = service
    status, headers, body = request(
        "OPTIONS",
        url + "/",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]


# -- bad requests: a reason, no traceback -----------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
BAD_QUERIES: list[tuple[str, Any, int, str]] = [
    ("not JSON", "not-json", 400, "not JSON"),
    ("a list", "[]", 400, "JSON object"),
    ("a number", "1", 400, "JSON object"),
    ("a query that is a number", {"q0": 1}, 400, "must be an object"),
    ("an empty query", {"q0": {}}, 400, "needs a 'query' text or properties"),
    ("a query text that is a number", {"q0": {"query": 5}}, 400, "must be a string"),
    ("an unknown type", {"q0": {"query": "x", "type": "planet"}}, 400, "unknown type 'planet'"),
    ("a type that is a number", {"q0": {"query": "x", "type": 5}}, 400, "a type is"),
    ("unknown types in a list", {"q0": {"query": "x", "type": ["org", "y"]}}, 400, "'y'"),
    ("a limit that is text", {"q0": {"query": "x", "limit": "x"}}, 400, "whole number"),
    ("a negative limit", {"q0": {"query": "x", "limit": -1}}, 400, "0 or more"),
    ("a fractional limit", {"q0": {"query": "x", "limit": 1.5}}, 400, "whole number"),
    ("an unknown key", {"q0": {"query": "x", "colour": 1}}, 400, "unknown key 'colour'"),
    ("a bad type_strict", {"q0": {"query": "x", "type_strict": "x"}}, 400, "type_strict"),
    ("properties not a list", {"q0": {"query": "x", "properties": "x"}}, 400, "list"),
    ("a property without pid", {"q0": {"properties": [{"v": "x"}]}}, 400, "pid"),
    ("an unknown property", {"q0": {"properties": [{"pid": "colour", "v": "x"}]}}, 400,
     "unknown property 'colour'"),
    ("a property without value", {"q0": {"properties": [{"pid": "country", "v": []}]}}, 400,
     "no value"),
    ("an entity value without id", {"q0": {"properties": [{"pid": "country", "v": {}}]}}, 400,
     "\"id\""),
    ("a nested value", {"q0": {"properties": [{"pid": "country", "v": [[1]]}]}}, 400, "a value"),
    ("a long name", {"q0": {"query": "x" * 5000}}, 400, "longer than 1000"),
    ("JSON 100,000 deep", DEEP, 400, "levels deep"),
    ("JSON 20 deep", "[" * 20 + "]" * 20, 400, "levels deep"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "queries", "status", "reason"), BAD_QUERIES, ids=[b[0] for b in BAD_QUERIES]
)
def test_a_bad_batch_is_a_400_with_its_reason(
    what: str, queries: Any, status: int, reason: str, service: tuple[str, Path]
) -> None:
    url, _log = service
    text = queries if isinstance(queries, str) else json.dumps(queries)
    got, answer = post_form(url, queries=text)
    assert got == status, answer
    assert reason in answer["error"], answer


BAD_REQUESTS: list[tuple[str, str, str, bytes | None, dict[str, str], int]] = [
    ("suggest without prefix", "GET", "/suggest/entity", None, {}, 400),
    ("suggest, bad cursor", "GET", "/suggest/entity?prefix=a&cursor=abc", None, {}, 400),
    ("suggest, negative cursor", "GET", "/suggest/entity?prefix=a&cursor=-1", None, {}, 400),
    ("suggest, unknown type", "GET", "/suggest/entity?prefix=a&type=planet", None, {}, 400),
    ("flyout without id", "GET", "/flyout/entity", None, {}, 400),
    ("flyout, unknown id", "GET", "/flyout/entity?id=o:nothing", None, {}, 404),
    ("preview without id", "GET", "/preview", None, {}, 400),
    ("an unknown path", "GET", "/nowhere", None, {}, 404),
    ("a NUL in the path", "GET", "/%00", None, {}, 404),
    ("a long path", "GET", "/" + "a" * 300, None, {}, 404),
    ("a malformed percent", "GET", "/?queries=%zz", None, {}, 400),
    ("a query string not UTF-8", "GET", "/?queries=%ff", None, {}, 400),
    ("too many fields", "GET", "/?" + "&".join(f"f{i}=1" for i in range(200)), None, {}, 400),
    ("a body not UTF-8", "POST", "/", b"queries=\xff\xfe", {}, 400),
    ("extend, not JSON", "POST", "/", b"extend=x", {}, 400),
    ("extend, no ids", "POST", "/", b"extend=%7B%22properties%22%3A%5B%5D%7D", {}, 400),
    ("extend, unknown property", "POST", "/",
     urllib.parse.urlencode({"extend": json.dumps({"ids": [], "properties": [{"id": "x"}]})})
     .encode(), {}, 400),
    ("properties, unknown type", "GET", "/properties?type=planet", None, {}, 400),
    ("one query, not JSON", "GET", "/?query=%7Bx", None, {}, 400),
    ("a JSON body", "POST", "/", b'{"q0": {"query": "x"}}', {"Content-Type": "application/json"},
     400),
    ("an empty form", "POST", "/", b"", {}, 400),
    ("PUT", "PUT", "/", b"", {}, 501),
    ("DELETE", "DELETE", "/", None, {}, 501),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "method", "path", "body", "headers", "status"),
    BAD_REQUESTS,
    ids=[b[0] for b in BAD_REQUESTS],
)
def test_a_bad_request_is_a_4xx(
    what: str,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict[str, str],
    status: int,
    service: tuple[str, Path],
) -> None:
    url, _log = service
    if body is not None:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    got, _h, answer = request(method, url + path, body, headers)
    assert got == status, answer
    if got != 501:  # the standard library's own page for a method it does not know
        assert json.loads(answer)["error"]


def raw(url: str, data: bytes, *, wait: float = 10.0) -> bytes:
    """Send bytes as they are; return what comes back until the server closes."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=wait) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)  # nothing more comes
        except OSError:
            pass
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except OSError:
            pass
    return b"".join(chunks)


RAW: list[tuple[str, bytes, bytes]] = [
    ("Content-Length abc", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", b" 400 "),
    ("a negative Content-Length", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
     b" 400 "),
    ("a huge Content-Length", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n"
     b"\r\n", b" 413 "),
    ("no Content-Length", b"POST / HTTP/1.1\r\nHost: x\r\n\r\n", b" 411 "),
    ("a 20 MB body", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n"
     + b"queries=" + b"x" * 100_000, b" 413 "),
    ("a body cut short", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nqueries=",
     b" 400 "),
    ("garbage", b"\x00\x01\x02 nonsense\r\n\r\n", b" 400 "),
    ("HTTP/2 request line", b"GET / HTTP/2.0\r\n\r\n", b" 505 "),
    ("a header without a colon", b"GET / HTTP/1.1\r\nnonsense\r\n\r\n", b""),
]  # fmt: skip


@pytest.mark.parametrize(("what", "data", "status"), RAW, ids=[r[0] for r in RAW])
def test_malformed_http_is_answered(
    what: str, data: bytes, status: bytes, service: tuple[str, Path]
) -> None:
    url, _log = service
    begun = time.monotonic()
    answer = raw(url, data)
    assert status in answer.split(b"\r\n", 1)[0], answer[:200]
    assert time.monotonic() - begun < 10


def test_a_name_of_a_megabyte_is_refused_at_once(service: tuple[str, Path]) -> None:
    url, _log = service
    big = {"q0": {"query": "Lithuanian " * 110_000}}  # 1.2 MB
    body = urllib.parse.urlencode({"queries": json.dumps(big)}).encode()
    assert len(body) > MAX_BODY
    status, _h, answer = request("POST", url + "/", body)
    assert status == 413 and b"larger than" in answer
    almost = {"q0": {"query": "Lithuanian " * 90_000}}  # within the body limit: the name is not
    status, answer = post_form(url, queries=json.dumps(almost))
    assert status == 400 and "longer than" in answer["error"]


def test_the_log_holds_no_traceback(service: tuple[str, Path]) -> None:
    """Run last in this module (pytest keeps the file's order): after every bad request."""
    _url, log = service
    text = log.read_text()
    assert "Traceback" not in text, text
    assert "error" not in text.replace("reconciliation service at", ""), text


# -- the bounded server, escaping ----------------------------------------------------------


def small_service() -> ReconciliationService:
    matcher = Matcher()
    evil = ID_NS + "org/evil"
    matcher.names[evil] = [(SKOS.prefLabel, '<script>alert("x")</script> & Co')]
    matcher.types[evil] = {ORG.FormalOrganization}
    facts = Facts()
    facts.values[evil]["country"] = [(ID_NS + "country/x", "<b>Nowhere</b>")]
    facts.sources[evil] = [('javascript:alert(1)" onclick="x', "<i>an article</i>")]
    return ReconciliationService(matcher, facts)


def test_preview_and_flyout_escape_what_the_articles_say() -> None:
    service = small_service()
    page = service.preview("o:evil")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>" not in page and "<i>" not in page
    assert 'onclick="x' not in page
    flyout = service.flyout(ID_NS + "org/evil")["html"]
    assert "<script>" not in flyout and "&lt;b&gt;Nowhere" in flyout


@pytest.fixture()
def bounded() -> Iterator[str]:
    served = server(small_service(), port=0, max_connections=2, idle_seconds=1.0)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    host, port = served.server_address[:2]
    yield f"http://{host}:{port}"
    served.shutdown()
    served.server_close()


def test_connections_beyond_the_limit_get_503_and_idle_ones_are_closed(bounded: str) -> None:
    parts = urllib.parse.urlsplit(bounded)
    address = (parts.hostname, parts.port)
    idle = [socket.create_connection(address, timeout=10) for _ in range(2)]
    try:
        time.sleep(0.2)
        status, headers, body = request("GET", bounded + "/")
        assert status == 503 and json.loads(body)["error"]
        begun = time.monotonic()
        for sock in idle:
            assert sock.recv(100) == b""  # closed by the server, silent for a second
        assert time.monotonic() - begun < 5
    finally:
        for sock in idle:
            sock.close()
    time.sleep(0.2)
    status, _h, body = request("GET", bounded + "/")
    assert status == 200
