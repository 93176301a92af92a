"""``clustergraph serve``: the site and a read-only SPARQL endpoint on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from clustergraph.cli.endpoint import Server

LCN = "https://w3id.org/clustergraph/id/org/lcn"


@pytest.fixture
def server(store, tmp_path) -> Iterator[str]:
    site = tmp_path / "site"
    (site / "entity").mkdir(parents=True)
    (site / "index.html").write_text("<!DOCTYPE html><title>home</title>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not to be served", encoding="utf-8")
    with Server(store, site, port=0).started() as running:
        yield running.url


def get(url: str, **headers: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def test_query_in_every_results_format(server):
    query = urllib.parse.quote(
        f"SELECT ?label WHERE {{ <{LCN}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }}"
    )
    status, media, body = get(f"{server}/sparql?query={query}")
    assert status == 200 and media.startswith("application/sparql-results+json")
    labels = {b["label"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert "Lithuanian Cluster Network" in labels
    status, media, body = get(f"{server}/sparql?query={query}", Accept="text/csv")
    assert media.startswith("text/csv") and body.splitlines()[0] == b"label"
    status, media, body = get(f"{server}/query?query={query}&format=xml")
    assert media.startswith("application/sparql-results+xml") and b"<sparql" in body


def test_post_and_construct(server):
    data = urllib.parse.urlencode({"query": f"DESCRIBE <{LCN}>"}).encode()
    request = urllib.request.Request(
        f"{server}/sparql", data=data, headers={"Accept": "application/n-triples"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("application/n-triples")
        assert f"<{LCN}>".encode() in answer.read()
    request = urllib.request.Request(
        f"{server}/sparql",
        data=b"ASK { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-query"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.loads(answer.read())["boolean"] is True


def test_read_only_and_errors_are_answers(server):
    data = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    request = urllib.request.Request(f"{server}/sparql", data=data)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    status, _media, body = get(f"{server}/sparql?query=" + urllib.parse.quote("SELECT WHERE {"))
    assert status == 400 and b"Traceback" not in body
    status, _media, _body = get(f"{server}/sparql?query=" + urllib.parse.quote("ASK {?s ?p ?o}"))
    assert status == 200  # the store is untouched


def test_graph_store_read_side(server, store):
    graph = "https://w3id.org/clustergraph/graph/source/lithuanian-cluster-network-established"
    status, media, body = get(f"{server}/store?graph={urllib.parse.quote(graph)}")
    assert status == 200 and media.startswith("application/n-triples")
    assert f"<{LCN}>".encode() in body
    status, media, body = get(
        f"{server}/store?graph={urllib.parse.quote(graph)}", Accept="text/turtle"
    )
    assert media.startswith("text/turtle")
    status, _media, _body = get(f"{server}/store?graph=" + urllib.parse.quote("urn:no:such:graph"))
    assert status == 404


def test_files_of_the_site_only(server):
    status, media, body = get(f"{server}/")
    assert status == 200 and media.startswith("text/html") and b"home" in body
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/entity/../../secret.txt"):
        status, _media, body = get(server + path)
        assert status == 404 and b"not to be served" not in body


@pytest.mark.slow
def test_serve_stops_on_ctrl_c_with_one_line(project, tmp_path):
    """The command: one line to say where it listens, Ctrl-C stops it with exit 130."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "clustergraph.cli.main",
            "--root",
            str(project.root),
            "serve",
            "--port",
            "0",
            "--store",
            "memory:",
            "--site",
            str(tmp_path),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()  # the note that there is no site
        line = process.stderr.readline() if "no site" in line else line
        assert line.startswith("serving http://127.0.0.1:")
        time.sleep(0.3)
        os.kill(process.pid, signal.SIGINT)
        rest = process.communicate(timeout=20)[1]
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert rest.strip().splitlines() == ["clustergraph: interrupted"]
