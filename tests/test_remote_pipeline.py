"""The whole pipeline on a remote store: load, validate, derive, check and build there.

The five articles are loaded with ``--store URL`` into a real Oxigraph server and a real
Virtuoso, both started on 127.0.0.1 by the tests, and derived there. Every library query,
the validation report and the checks must then answer as on the embedded store that
loaded the same files (:func:`tests.conftest.seed_store`); an engine's known difference
is allowed for as in the push tests (:mod:`tests.support.compat`).
"""

from __future__ import annotations

import random
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from clustergraph.cli.main import main
from clustergraph.errors import StoreError
from clustergraph.pipeline.export import data_graphs
from clustergraph.project.layout import (
    DERIVED_NS,
    MANIFEST_GRAPH,
    SOURCE_GRAPHS,
    Project,
    is_derived_graph,
    is_stated_graph,
)
from clustergraph.queries.library import Library
from clustergraph.queries.run import run
from clustergraph.store import RemoteStore, SelectResult, Store, open_store
from clustergraph.store.remote import UNION_GRAPH, UNION_STATE
from tests.conftest import REPO, seed_project_at
from tests.support.compat import ALLOWED, ENGINE_ERRORS, WRONG_ANSWERS, compare
from tests.support.faults import Seen, faulty_proxy
from tests.support.servers import oxigraph_server, virtuoso_server

pytestmark = [pytest.mark.store, pytest.mark.slow]

NAMES = Library.of(Project(REPO)).names
ARTICLE = "ftd-lt-joins-eacn"


@dataclass(frozen=True)
class Loaded:
    """A remote store the seed project was loaded into with the command line."""

    kind: str
    project: Project
    argv: tuple[str, ...]  # --store URL [--update-endpoint URL]
    first: str  # what the first load printed

    @property
    def url(self) -> str:
        return self.argv[1]

    def store(self) -> RemoteStore:
        update = self.argv[3] if len(self.argv) > 3 else None
        opened = open_store(self.url, update=update, retries=0, timeout=60)
        assert isinstance(opened, RemoteStore)
        return opened


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _load(project: Project, argv: tuple[str, ...]) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--root", str(project.root), "load", *argv])
    assert code == 0, out.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    """Start an Oxigraph server and load the seed project into it through its query URL."""
    project = seed_project_at(tmp_path_factory.mktemp("project-oxigraph"))
    # Without --union-default-graph the server keeps a default graph of its own: the
    # union goes there, and queries are asked as of the embedded store.
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph"), union_default_graph=False) as server:
        argv = ("--store", server.query_url)
        yield Loaded("oxigraph", project, argv, _load(project, argv))


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    """Start Virtuoso and load the seed project into it through SPARQL Update alone."""
    project = seed_project_at(tmp_path_factory.mktemp("project-virtuoso"))
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        server.grant_update()
        argv = ("--store", server.query_url, "--update-endpoint", server.query_url)
        yield Loaded("virtuoso", project, argv, _load(project, argv))


@pytest.fixture(params=["oxigraph", "virtuoso"])
def loaded(request: pytest.FixtureRequest) -> Loaded:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def test_a_load_writes_every_graph_and_derives_there(loaded: Loaded, seed_store: Store) -> None:
    assert "12 graphs loaded" in loaded.first and "13 graphs derived" in loaded.first
    remote = loaded.store()
    expected = {g: seed_store.count(g) for g in data_graphs(seed_store)}
    assert remote.client.counts(sorted(expected)) == expected  # stated and derived alike
    assert remote.union_current
    distinct = {q.triple for g in expected for q in seed_store.quads(graph=g)}
    result = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(result, SelectResult) and result.rows[0][0] is not None
    assert int(result.rows[0][0].value) == len(distinct)  # each triple once


def test_an_unchanged_project_sends_nothing(loaded: Loaded) -> None:
    with faulty_proxy(_base(loaded.url)) as proxy:
        argv = _proxied(loaded.argv, proxy.url)
        said = _load(loaded.project, argv)
    assert said.startswith("0 graphs loaded (0 triples), 12 unchanged")
    assert "0 graphs derived" in said
    written = {g for seen in proxy.seen for g in _written(seen)}
    assert not any(is_stated_graph(g) or is_derived_graph(g) for g in written), written
    assert not {UNION_GRAPH, UNION_STATE} & written  # the union stays as it is
    assert not any("DEFAULT" in _form(seen) for seen in proxy.seen if "update=" in _form(seen))


def _written(seen: Seen) -> list[str]:
    """Return the graphs a request writes (a Graph Store PUT or DELETE, or an update)."""
    if seen.method in ("PUT", "DELETE"):
        return urllib.parse.parse_qs(urllib.parse.urlsplit(seen.path).query)["graph"]
    form = urllib.parse.parse_qs(seen.body.decode("utf-8", "replace"))
    return [g for text in form.get("update", []) for g in re.findall(r"GRAPH <([^>]+)>", text)]


@pytest.mark.parametrize("name", NAMES)
def test_every_query_answers_as_on_the_embedded_store(
    name: str, oxigraph: Loaded, virtuoso: Loaded, seed_store: Store
) -> None:
    query = Library.of(Project(REPO)).get(name)
    reference = run(seed_store, query)
    for loaded in (oxigraph, virtuoso):
        broken = ENGINE_ERRORS[loaded.kind].get(name)
        if broken is not None:
            with pytest.raises(StoreError, match="Internal error"):
                run(loaded.store(), query)
            continue  # the engine's own error, as in the push tests
        answer = run(loaded.store(), query)
        result = compare(reference, answer, query=query.text, allowed=ALLOWED[loaded.kind])
        if not result.agrees and name in WRONG_ANSWERS[loaded.kind]:
            continue  # an engine's known wrong answer (README: path-join)
        assert result.agrees, f"{name} on {loaded.kind}: {result.problem}"


def test_validate_and_check_report_as_on_the_embedded_store(
    oxigraph: Loaded, virtuoso: Loaded, seed_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ("--root", str(seed_project.root))
    reports = {}
    for kind, store in (("embedded", ()), ("oxigraph", oxigraph.argv), ("virtuoso", virtuoso.argv)):
        store_args = ("--store", "memory:") if not store else store[:2]
        validated = cli(capsys, *root, "validate", "--lines", "0", *store_args)
        checked = cli(capsys, *root, "check", *store_args)
        reports[kind] = (validated, checked)
    assert reports["embedded"][0][0] == 0 and "conforms" in reports["embedded"][0][1]
    assert reports["oxigraph"] == reports["embedded"]
    assert reports["virtuoso"] == reports["embedded"]


def test_a_changed_source_is_replaced_whole_or_not_at_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = seed_project_at(tmp_path / "project")
    graph = SOURCE_GRAPHS + ARTICLE
    with oxigraph_server(tmp_path / "oxigraph") as server:
        argv = ("--store", server.query_url)
        _load(project, argv)
        remote = open_store(server.query_url, retries=0)
        before = remote.count(graph)
        path = project.root / "data" / "sources" / f"{ARTICLE}.ttl"
        path.write_text(
            path.read_text("utf-8") + "\n<https://w3id.org/clustergraph/id/org/ftd-lt> "
            '<http://www.w3.org/2004/02/skos/core#altLabel> "FTD LT, once more"@en .\n',
            "utf-8",
        )

        def drop_replace(seen: Seen) -> str | int:
            return "drop" if "ADD SILENT GRAPH" in _form(seen) else "forward"

        with faulty_proxy(server.base, drop_replace) as proxy:
            code, out, err = cli(
                capsys, "--root", str(project.root), "load", *_proxied(argv, proxy.url),
                "--retries", "0",
            )  # fmt: skip
        assert code == 2 and err.count("\n") == 1 and "the target graphs are unchanged" in err
        assert remote.count(graph) == before  # the old graph, whole
        code, out, err = cli(capsys, "--root", str(project.root), "load", *argv)
        assert (code, err) == (0, "") and out.startswith("1 graph loaded")
        assert remote.count(graph) == before + 1
        code, out, err = cli(capsys, "query", "entity-aliases", *argv, "--format", "csv")
        assert code == 0 and "FTD LT, once more" in out


def test_a_build_runs_every_stage_on_the_remote_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = seed_project_at(tmp_path / "project")
    with oxigraph_server(tmp_path / "oxigraph") as server:
        code, out, err = cli(
            capsys, "--root", str(project.root), "build", "--store", server.query_url,
            "--out", str(tmp_path / "out"),
        )  # fmt: skip
        assert (code, err) == (0, ""), out
        assert "read as it is" not in out
        assert "12 graphs loaded" in out.replace(" of 12", "") or "12 of 12 graphs" in out
        assert "derived triples" in out and "checks return no rows" in out
        assert (tmp_path / "out" / "site" / "entity" / "org" / "lcn.html").is_file()
        assert open_store(server.query_url).union_current
        assert not (project.root / ".clustergraph").exists()  # nothing kept here


def test_a_late_answer_is_not_asked_again(
    oxigraph: Loaded, capsys: pytest.CaptureFixture[str]
) -> None:
    def slow(seen: Seen) -> str:
        return "delay" if "query=" in _form(seen) and "?seedFile" in _form(seen) else "forward"

    with faulty_proxy(_base(oxigraph.url), slow) as proxy:
        proxy.delay = 2.0
        code, _, err = cli(
            capsys, "query", "sources", "--store", proxy.url + "/query",
            "--timeout", "0.5", "--retries", "3",
        )  # fmt: skip
    assert code == 2 and "no answer within 0.5 s" in err and "not sent again" in err
    assert sum(1 for s in proxy.seen if slow(s) == "delay") == 1  # asked once, not four times


def _base(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _proxied(argv: tuple[str, ...], proxy: str) -> tuple[str, ...]:
    return tuple(proxy + urllib.parse.urlsplit(a).path if a.startswith("http") else a for a in argv)


def _form(seen: Seen) -> str:
    return urllib.parse.unquote_plus(seen.body.decode("utf-8", "replace"))


@pytest.mark.parametrize(("seed", "union_default_graph"), [(0, True), (1, False)])
def test_any_sequence_of_writes_keeps_the_remote_union(
    tmp_path: Path, seed: int, union_default_graph: bool
) -> None:
    """After each write and refresh, the union holds each data triple once, and no other.

    Between refreshes, queries read the data graphs themselves: the same triples.
    """
    rng = random.Random(seed)
    graphs = [SOURCE_GRAPHS + f"g{n}" for n in range(4)]
    derived = DERIVED_NS + "source/g0"
    with oxigraph_server(tmp_path, union_default_graph=union_default_graph) as server:
        remote = open_store(server.query_url, retries=0)
        assert isinstance(remote, RemoteStore)
        remote.replace_graphs({MANIFEST_GRAPH: b'<urn:m> <urn:file> "a.ttl" .\n'})
        remote.refresh_union()  # where the union goes, now known
        for step in range(12):
            graph = rng.choice([*graphs, derived])
            lines = [
                f"<urn:s{rng.randrange(3)}> <urn:p> <urn:o{rng.randrange(3)}> ."
                for _ in range(rng.randrange(4))
            ]
            action = rng.randrange(4)
            if action == 0:
                remote.replace_graphs({graph: "\n".join(lines).encode()})
            elif action == 1:
                remote.drop_graphs([graph])
            elif action == 2 and lines:
                body = " ".join(lines)
                remote.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}", graphs=[graph])
            else:
                remote.update(f"DELETE WHERE {{ GRAPH <{graph}> {{ <urn:s0> ?p ?o }} }}")
            expected = sorted(
                {
                    (str(q.subject), str(q.predicate), str(q.object))
                    for q in remote.quads()
                    if q.graph_name.value != MANIFEST_GRAPH
                }
            )
            if step % 3 == 2:  # writes pile up between refreshes, as between load and derive
                remote.refresh_union()
                assert remote.union_current
            fresh = open_store(server.query_url, retries=0)  # reads the state anew
            for store in (remote, fresh):
                result = store.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
                assert isinstance(result, SelectResult)
                got = sorted(tuple(str(t) for t in row) for row in result.rows)
                assert got == expected, step
            if remote.union_current:
                result = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
                assert isinstance(result, SelectResult) and result.rows[0][0] is not None
                assert int(result.rows[0][0].value) == len(expected), step  # each once


def test_many_blank_nodes_load_through_sparql_update(virtuoso: Loaded) -> None:
    """Virtuoso refuses one request for thousands of blank-node triples: a few hundred each.

    As the load's manifest writes them: a checksum node per graph.
    """
    graph = "urn:x-clustergraph-test:blank-nodes"
    lines = [
        line
        for n in range(800)
        for line in (
            f"<urn:x:g{n}> <urn:x:checksum> _:c{n} .",
            f'_:c{n} <urn:x:value> "{n}" .',
            f"_:c{n} <urn:x:algorithm> <urn:x:sha256> .",
        )
    ]
    remote = virtuoso.store()
    remote.replace_graphs({graph: "\n".join(lines).encode()})
    try:
        assert remote.count(graph) == 2400 == len(lines)
        rows = remote.client.select(  # the store's own dataset: the graph is no data graph
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?g <urn:x:checksum> ?c . "
            "?c <urn:x:value> ?v } }"
        )
        assert int(rows[0]["n"]["value"]) == 800  # each checksum node is still one node
    finally:
        remote.drop_graphs([graph])
