"""The analyze, path and view subcommands, run in-process on copies of the repository."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clustergraph.cli.main import main
from clustergraph.cli.network import NETWORKS
from clustergraph.network.projections import PROJECTIONS

# The five articles' graphs: what the counts below are about, whatever is added later.
FIVE = " ".join(
    f"<https://w3id.org/clustergraph/graph/source/{stem}>"
    for stem in (
        "esca-bronze-labels-lithuania",
        "ftd-lt-joins-eacn",
        "laugea-good-practice",
        "lithuanian-cluster-network-established",
        "lithuanian-clusters-association-profile",
    )
)

CONSTRUCT = (
    """\
#+ summary: Who holds a post in which organisation.
#+ tags:
#+   - test

PREFIX org: <http://www.w3.org/ns/org#>
CONSTRUCT { ?person <urn:test:worksIn> ?org }
WHERE { VALUES ?g { """
    + FIVE
    + """ } GRAPH ?g { ?post org:heldBy ?person ; org:postIn ?org } }
"""
)

SELECT = (
    """\
#+ summary: Members and the organisations they belong to.
#+ tags:
#+   - test

PREFIX org: <http://www.w3.org/ns/org#>
SELECT DISTINCT ?member ?organisation
WHERE { VALUES ?g { """
    + FIVE
    + """ } GRAPH ?g { ?m org:member ?member ; org:organization ?organisation } }
"""
)

ASK = """\
#+ summary: Is there a membership?
#+ tags:
#+   - test

PREFIX org: <http://www.w3.org/ns/org#>
ASK { ?m org:member ?member }
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def root(project_copy):
    queries = project_copy.root / "queries"
    queries.mkdir(exist_ok=True)
    (queries / "zz-posts-graph.rq").write_text(CONSTRUCT, encoding="utf-8")
    (queries / "zz-members.rq").write_text(SELECT, encoding="utf-8")
    (queries / "zz-ask.rq").write_text(ASK, encoding="utf-8")
    return str(project_copy.root)


def test_networks_offered_are_the_projections():
    assert set(NETWORKS) == set(PROJECTIONS)


def test_analyze_writes_the_report(root, tmp_path, capsys):
    out = tmp_path / "analysis"
    code, stdout, err = run(capsys, "--root", root, "analyze", "--out", str(out))
    assert (code, err) == (0, "")
    assert re.match(r"actors network: \d+ nodes, \d+ edges, \d+ components", stdout)
    assert "1. European Secretariat for Cluster Analysis (o:esca)" in stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == ["bridges.csv", "centrality.csv", "communities.csv", "report.json", "report.md"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["network"] == "actors" and report["nodes"] > 40


def test_analyze_default_directory(root, capsys):
    code, _out, _err = run(capsys, "--root", root, "analyze", "--network", "organisations")
    assert code == 0
    report = Path(root, "build", "analysis", "report.md").read_text(encoding="utf-8")
    assert report.startswith("# Network analysis: the organisations network")
    # A relation through a post, an award or an agreement names it, not its identifier alone.
    assert "`post post:" not in report and "`excellence label award award:" not in report
    assert "(post:" in report or "post:" not in report


def test_path_found(root, capsys):
    code, out, err = run(capsys, "--root", root, "path", "o:lcn", "smart-food-cluster")
    assert (code, err) == (0, "")
    assert out.startswith("1 shortest path of 4 hops from Lithuanian Cluster Network (o:lcn)")
    assert (
        "President of the Lithuanian Cluster Network (post:lcn-president-bagusinskas) "
        "org:heldBy Giedrius Bagušinskas (per:giedrius-bagusinskas) ." in out
    )
    assert "stated in: graph:source/lithuanian-cluster-network-established" in out


def test_path_in_the_organisation_network(root, capsys):
    code, out, _err = run(
        capsys, "--root", root, "path", "o:lcn", "o:litmea", "--network", "organisations"
    )
    assert code == 0
    assert "1 shortest path of 1 hop" in out
    assert "via post holder Giedrius Bagušinskas (per:giedrius-bagusinskas)" in out


ISOLATED = """\
@prefix cg: <https://w3id.org/clustergraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/clustergraph/graph/source/zz-isolated> a cg:SourceGraph ;
    prov:wasDerivedFrom <https://w3id.org/clustergraph/id/source/zz-isolated> .
<https://w3id.org/clustergraph/id/source/zz-isolated> a cg:NewsArticle ;
    dcterms:title "A made-up note about an organisation linked to nothing"@en ;
    skos:prefLabel "A made-up note"@en ; cg:seedFile "zz-isolated.txt" .
<https://w3id.org/clustergraph/id/org/zz-isolated> a cg:Association ;
    skos:prefLabel "Isolated Test Association"@en .
"""


def test_no_path_exits_1(root, capsys):
    (Path(root) / "data" / "sources" / "zz-isolated.ttl").write_text(ISOLATED, encoding="utf-8")
    code, out, err = run(capsys, "--root", root, "path", "o:lcn", "o:zz-isolated")
    assert (code, err) == (1, "")
    assert out.startswith("no path between Lithuanian Cluster Network (o:lcn) and Isolated Test")
    first, lcn, isolated = out.splitlines()
    parts = int(first.rsplit(" ", 2)[-2])
    assert parts >= 2, "the parts of the network are counted"
    assert lcn.startswith(f"  Lithuanian Cluster Network (o:lcn) is in part 1 of {parts}: ")
    assert "nearest: " in lcn  # the entities it is linked to, by name
    assert isolated.startswith("  Isolated Test Association (o:zz-isolated) is in part ")
    assert isolated.endswith(f" of {parts}: 1 entity; linked to nothing")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["path", "o:lcn", "o:nowhere"], "unknown entity 'o:nowhere'"),
        (["path", "o:lcn", "o:lcn"], "the two entities are the same"),
        (["path", "per:giedrius-bagusinskas", "o:lcn", "--network", "organisations"], "not in"),
        (["view", "--entity", "o:nope", "--out", "x.html"], "unknown entity"),
        (["view", "--depth", "2", "--out", "x.html"], "--depth goes with --entity"),
        (["view", "--out", "x.png"], "name it FILE.html"),
        (["view", "--query", "no-such-query", "--out", "x.html"], "no-such-query"),
        (["view", "--query", "zz-ask", "--out", "x.html"], "ASK query"),
    ],
)
def test_input_errors_exit_2(root, capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--root", root, *argv)
    assert code == 2
    assert err.startswith("clustergraph: error: ") and message in err
    assert err.count("\n") == 1
    assert not list(tmp_path.glob("*.html"))


def test_usage_errors_exit_2(root, capsys):
    assert run(capsys, "--root", root, "path", "o:lcn")[0] == 2
    assert (
        run(capsys, "--root", root, "view", "--entity", "a", "--query", "b", "--out", "x")[0] == 2
    )
    assert run(capsys, "--root", root, "analyze", "--network", "nope")[0] == 2


def test_view_whole_and_entity(root, tmp_path, capsys):
    code, out, err = run(capsys, "--root", root, "view", "--out", str(tmp_path / "eco.html"))
    assert (code, err) == (0, "")
    assert re.fullmatch(r"wrote \S+eco\.html: \d+ nodes, \d+ edges\n", out)
    code, out, _ = run(
        capsys,
        "--root",
        root,
        "view",
        "--entity",
        "per:giedrius-bagusinskas",
        "--depth",
        "1",
        "--out",
        str(tmp_path / "person.html"),
    )
    assert code == 0 and "person.html: 4 nodes, 3 edges" in out  # him and his three posts
    html = (tmp_path / "person.html").read_text(encoding="utf-8")
    assert "Giedrius Bagušinskas: its neighbourhood (1 hop, entities network)" in html


@pytest.mark.parametrize(
    ("query", "shape"),
    [("zz-posts-graph", "construct"), ("zz-members", "select")],
)
def test_view_query(root, tmp_path, capsys, query, shape):
    out_file = tmp_path / f"{shape}.html"
    code, out, err = run(capsys, "--root", root, "view", "--query", query, "--out", str(out_file))
    assert (code, err) == (0, ""), err
    match = re.search(r": (\d+) nodes, (\d+) edges", out)
    nodes, edges = int(match.group(1)), int(match.group(2))
    if shape == "construct":
        assert (nodes, edges) == (18, 12)  # twelve posts: eight people in ten organisations
    else:
        assert edges == 16  # sixteen memberships, each a member and an organisation
    assert f"Query {query}" in out_file.read_text(encoding="utf-8")


def test_view_query_file(root, tmp_path, capsys):
    path = tmp_path / "mine.rq"
    path.write_text(SELECT, encoding="utf-8")
    code, out, _err = run(
        capsys, "--root", root, "view", "--query", str(path), "--out", str(tmp_path / "q.html")
    )
    assert code == 0 and "16 edges" in out
