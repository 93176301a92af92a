"""Every read-only command runs against a remote store with no local files.

A real Oxigraph server on 127.0.0.1 holds the seed store (stated and derived facts); the
commands run from an empty directory with ``--store URL`` and answer as they do on the
embedded store.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from clustergraph.cli.main import main
from clustergraph.pipeline.export import data_graphs
from clustergraph.queries.library import Library
from clustergraph.queries.output import Format, write_result
from clustergraph.queries.run import run
from clustergraph.rdf.formats import RdfFormat
from clustergraph.store import SelectResult, Store
from tests.support.servers import OxigraphServer, oxigraph_server

pytestmark = [pytest.mark.store, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, store: Store) -> Iterator[OxigraphServer]:
    """Start an Oxigraph server holding every graph of the seed store."""
    data = io.BytesIO()
    store.dump(data, RdfFormat.NQUADS)
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as running:
        request = urllib.request.Request(
            running.store_url,
            data=data.getvalue(),
            method="PUT",
            headers={"Content-Type": "application/n-quads"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status in (200, 201, 204)
        yield running


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in an empty directory: no project, no data files."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows(text: str) -> list[tuple[str, ...]]:
    return sorted(tuple(r) for r in csv.reader(io.StringIO(text)))


def test_every_library_query_answers_as_on_the_embedded_store(
    server: OxigraphServer, nowhere: Path, store: Store, library: Library, capsys
) -> None:
    for query in library:
        if query.form.value != "SELECT":
            continue
        code, out, err = cli(
            capsys, "query", query.name, "--format", "csv", "--store", server.query_url
        )
        assert (code, err) == (0, ""), query.name
        local = run(store, query)
        assert isinstance(local, SelectResult)
        expected = write_result(local, Format.CSV, prefixes={}).decode()
        assert rows(out) == rows(expected), query.name


def test_ask_and_construct_remotely(server: OxigraphServer, nowhere: Path, capsys) -> None:
    code, out, _ = cli(capsys, "query", "holds-label-level", "--store", server.query_url)
    assert code == 0 and out.strip() in ("true", "false")
    code, out, _ = cli(capsys, "query", "label-holders-graph", "--store", server.query_url)
    assert code == 0 and "@prefix" in out


def test_stats_and_check_remotely(server: OxigraphServer, nowhere: Path, capsys) -> None:
    code, out, err = cli(capsys, "stats", "--store", server.query_url)
    assert (code, err) == (0, "")
    assert "graph:source/ftd-lt-joins-eacn" in out
    code, out, err = cli(capsys, "check", "--store", server.query_url)
    assert (code, err) == (0, ""), out


def test_network_commands_remotely(server: OxigraphServer, nowhere: Path, capsys) -> None:
    code, out, err = cli(capsys, "analyze", "--store", server.query_url, "--out", "analysis")
    assert (code, err) == (0, ""), err
    assert json.loads(Path("analysis/report.json").read_text("utf-8"))["nodes"] > 40
    code, out, err = cli(capsys, "path", "o:lcn", "smart-food-cluster", "--store", server.query_url)
    assert (code, err) == (0, ""), err
    assert "Lithuanian Cluster Network" in out
    code, out, err = cli(
        capsys, "view", "--entity", "o:lcn", "--out", "lcn.html", "--store", server.query_url
    )
    assert (code, err) == (0, ""), err
    assert Path("lcn.html").read_text("utf-8").startswith("<!DOCTYPE html>")


def test_export_remotely(server: OxigraphServer, nowhere: Path, store: Store, capsys) -> None:
    code, _, err = cli(
        capsys, "export", "--format", "nquads", "--out", "all.nq", "--store", server.query_url
    )
    assert (code, err) == (0, ""), err
    local = io.BytesIO()
    store.dump(local, RdfFormat.NQUADS, graphs=data_graphs(store))  # the manifest stays home
    remote_lines = set(Path("all.nq").read_bytes().splitlines())
    assert {line for line in local.getvalue().splitlines() if b"_:" not in line} <= remote_lines


def test_build_from_a_remote_store(server: OxigraphServer, nowhere: Path, capsys) -> None:
    code, out, err = cli(capsys, "build", "--store", server.query_url, "--out", "site-build")
    assert (code, err) == (0, ""), err
    assert "read as it is" in out
    assert Path("site-build/site/index.html").is_file()
    assert Path("site-build/site/entity/org/lcn.html").is_file()


def test_an_unreachable_store_is_one_line(nowhere: Path, capsys) -> None:
    code, _, err = cli(
        capsys, "query", "sources", "--store", "http://127.0.0.1:9/sparql", "--retries", "0"
    )
    assert code == 2
    assert err.startswith("clustergraph: error: ") and err.count("\n") == 1
    assert "refused" in err
