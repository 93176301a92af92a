"""``clustergraph serve`` against the SPARQL 1.1 Protocol: one data file per W3C case.

The cases of the W3C SPARQL 1.1 Protocol test suite that apply to a read-only endpoint
are written again, in our own words and on our own data, in ``tests/protocol/`` (the
README lists those that do not apply and why). Each file says the request (method, URL
parameters, form, body, headers) and what the answer must be: a status, a media type,
text it holds, an ASK's answer, or the same rows as another query (a dataset given by
the protocol must answer as the same dataset given by ``FROM``).
"""

from __future__ import annotations

import json
import tomllib
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from clustergraph.cli.endpoint import Limits, Server
from tests.support.http import request

CASES = sorted((Path(__file__).resolve().parent / "protocol").glob("*.toml"))


@pytest.fixture(scope="module")
def base(store, tmp_path_factory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<!DOCTYPE html><title>home</title>", encoding="utf-8")
    with Server(store, site, port=0, limits=Limits(query_seconds=10)).started() as server:
        yield server.url


def rows(base: str, query: str) -> list[dict[str, object]]:
    status, _headers, body = request(
        base, "GET", "/sparql?" + urllib.parse.urlencode({"query": query})
    )
    assert status == 200, body
    return json.loads(body)["results"]["bindings"]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_protocol_case(base: str, path: Path) -> None:
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    assert case["w3c"] == path.stem
    target = "/sparql"
    if "params" in case:
        target += "?" + urllib.parse.urlencode([tuple(p) for p in case["params"]])
    headers = dict(case.get("headers", {}))
    body = None
    if "form" in case:
        body = urllib.parse.urlencode([tuple(p) for p in case["form"]]).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif "body" in case:
        body = case["body"].encode()
    elif "body_latin1" in case:
        body = case["body_latin1"].encode("latin-1")
    if "content_type" in case:
        headers["Content-Type"] = case["content_type"]
    status, answer_headers, answer = request(base, case["method"], target, body, headers)
    expect = case["expect"]
    if "status" in expect:
        assert status == expect["status"], answer
    if "status_class" in expect:
        assert status // 100 == expect["status_class"], answer
    assert b"Traceback" not in answer
    if "media" in expect:
        assert answer_headers["content-type"].split(";")[0] == expect["media"]
    for text in expect.get("contains", []):
        assert text.encode() in answer
    if "boolean" in expect:
        assert json.loads(answer)["boolean"] is expect["boolean"]
    if "same_as" in expect:
        got = json.loads(answer)["results"]["bindings"]
        assert got == rows(base, expect["same_as"])
        if "differs_from" in expect:
            assert got != rows(base, expect["differs_from"])
