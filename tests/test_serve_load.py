"""Load on ``clustergraph serve``: 50 clients for 30 s, then a client that leaves mid-query.

Bounded in count and time, on 127.0.0.1 only. The clients mix the library's queries
(those without parameters), a query past the time limit and pages of the site; the
quick queries' p50 and p99 are printed, and the server must answer every one of them,
in every second of the run. The slow query is answered 503, saying the limit was
reached, and holds only its worker.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest

from clustergraph.cli.endpoint import Limits, Server
from clustergraph.queries.library import Library
from tests.support import load

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LIMITS = Limits(query_seconds=5)


@pytest.fixture(scope="module")
def server(store, tmp_path_factory) -> Iterator[Server]:
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<!DOCTYPE html><title>home</title>", encoding="utf-8")
    (site / "about.html").write_text("<!DOCTYPE html><title>about</title>", encoding="utf-8")
    with Server(store, site, port=0, limits=LIMITS).started() as running:
        yield running


def picker(library: Library) -> load.Pick:
    quick = [
        "/sparql?" + urllib.parse.urlencode({"query": q.text}) for q in library if not q.params
    ]
    slow = "/sparql?" + urllib.parse.urlencode({"query": SLOW})

    def pick(n: int) -> tuple[str, str]:
        if n % 50 == 0 and n % 200 == 0:  # the first client sends the slow query
            return "slow", slow
        if n % 5 == 0:
            return "page", "/" if n % 10 == 0 else "/about.html"
        return "quick", quick[n % len(quick)]

    return pick


def accept(kind: str, status: int, body: bytes) -> bool:
    if kind == "slow":
        return status == 503 and b"time limit" in body
    return status == 200


def report(name: str, tally: load.Tally) -> None:
    print(
        f"\n{name}: {tally.requests():,} requests, {len(tally.failures)} failed, "
        f"quick p50 {tally.median('quick') * 1000:.0f} ms, "
        f"p99 {tally.percentile('quick', 0.99) * 1000:.0f} ms, "
        f"pages {len(tally.latencies.get('page', []))}, "
        f"slow stopped {len(tally.latencies.get('slow', []))}, "
        f"left mid-query {tally.left}"
    )


def answered_throughout(tally: load.Tally, seconds: int) -> None:
    start = min(tally.answered_at)
    seen = {int(at - start) for at in tally.answered_at}
    missing = [s for s in range(seconds - 1) if s not in seen]
    assert not missing, f"no answer in seconds {missing}"


@pytest.mark.slow
def test_fifty_clients_for_thirty_seconds(server: Server, library: Library) -> None:
    tally = load.run(server.url, 50, 30, picker(library), accept)
    report("50 clients, 30 s", tally)
    assert not tally.failures, tally.failures[:5]
    assert len(tally.latencies["quick"]) > 1000
    assert len(tally.latencies.get("slow", [])) >= 1
    answered_throughout(tally, 30)


@pytest.mark.slow
def test_a_client_leaving_mid_query_does_not_hold_the_server(
    server: Server, library: Library
) -> None:
    leave = "/sparql?" + urllib.parse.urlencode({"query": SLOW})
    tally = load.run(server.url, 20, 20, picker(library), accept, leave=leave)
    report("20 clients and one leaving mid-query, 20 s", tally)
    assert not tally.failures, tally.failures[:5]
    assert tally.left >= 10
    answered_throughout(tally, 20)
