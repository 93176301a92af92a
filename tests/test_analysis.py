"""Centrality, communities, brokers, components and explained paths, with known answers."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from clustergraph.errors import InputError
from clustergraph.network.index import Statement
from clustergraph.network.measures import EXACT_UP_TO, ExplainedPath, Hop, analyze, explain_paths
from clustergraph.network.projections import GraphIndex, organisation_network
from clustergraph.network.report import (
    centrality_csv,
    markdown_report,
    markdown_text,
    paths_text,
    write_report,
)
from clustergraph.project.prefixes import DEFAULT_PREFIXES
from tests.support.small_graphs import SMALL, iri, small_store, synthetic


def labelled(graph):
    for n in graph:
        graph.nodes[n].update(label=str(n).upper(), name=str(n), cls="ex:Thing")
    return graph


def test_star_centrality():
    g = labelled(nx.star_graph(4))  # centre 0, leaves 1..4
    result = analyze(g)
    centre = result.score(0)
    assert result.ranked[0].node == 0
    assert centre.degree == 4 and centre.degree_centrality == pytest.approx(1.0)
    assert centre.betweenness == pytest.approx(1.0)
    assert all(result.score(v).betweenness == 0 for v in range(1, 5))
    assert sum(s.pagerank for s in result.ranked) == pytest.approx(1.0)
    assert centre.pagerank > result.score(1).pagerank
    assert result.articulation_points == (0,)
    assert len(result.bridges) == 4
    assert [s.node for s in result.brokers] == [0]


def test_two_triangles_and_a_bridge():
    g = labelled(nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f")]))
    g.add_edge("c", "d", relations=("ex:bridge",), sources=("urn:g",))
    g.nodes["c"].update(label="C", name="c", cls="ex:Thing")
    result = analyze(g, seed=7)
    assert sorted(sorted(c.members) for c in result.communities) == [
        ["a", "b", "c"],
        ["d", "e", "f"],
    ]
    assert result.modularity == pytest.approx(5 / 14)
    assert [(b.a, b.b) for b in result.bridges] in ([("c", "d")], [("d", "c")])
    assert result.bridges[0].relations == ("ex:bridge",)
    assert set(result.articulation_points) == {"c", "d"}
    assert result.score("c").betweenness == pytest.approx(0.6)
    assert len(result.components[0]) > 0.99 * g.number_of_nodes()


def test_components_and_isolates():
    g = labelled(nx.Graph([("a", "b"), ("c", "d"), ("d", "e")]))
    g.add_node("z", label="Z", name="z", cls="ex:Thing")
    result = analyze(g)
    assert [len(c) for c in result.components] == [3, 2, 1]
    assert result.score("z").component == 3
    assert result.score("d").component == 1


def test_louvain_is_reproducible():
    g = labelled(nx.connected_caveman_graph(5, 6))
    first = analyze(g, seed=3).communities
    assert analyze(g, seed=3).communities == first
    assert len(first) == 5 and all(c.size == 6 for c in first)


def test_empty_graph():
    result = analyze(nx.Graph())
    assert (result.nodes, result.ranked, result.communities) == (0, (), ())


def test_pagerank_of_large_networks_is_networkx_pagerank():
    from clustergraph.network.measures import _pagerank

    g = nx.gnm_random_graph(500, 900, seed=3)
    g.add_nodes_from([500, 501])  # isolated: dangling nodes
    ours = _pagerank(g.number_of_nodes(), list(g.edges))
    theirs = nx.pagerank(g, alpha=0.85, weight=None)
    assert max(abs(ours[v] - theirs[v]) for v in g) < 1e-12


def test_small_networks_are_measured_exactly():
    result = analyze(labelled(nx.star_graph(4)))
    assert (result.method.engine, result.method.betweenness) == ("networkx", "exact")
    assert result.method.standard_error == 0.0
    assert "betweenness exact" in markdown_report(result)


@pytest.mark.slow
def test_large_networks_get_a_sampled_betweenness_with_its_error():
    g = synthetic(60, 100, links=3)  # 6,000 nodes: above EXACT_UP_TO
    assert g.number_of_nodes() > EXACT_UP_TO
    result = analyze(g)
    method = result.method
    assert (method.engine, method.betweenness, method.sources) == ("igraph", "sampled", 500)
    # The estimate is close to the exact value (igraph's exact Brandes, normalised).
    import igraph as ig

    order = list(g)
    position = {v: i for i, v in enumerate(order)}
    n = len(order)
    full = ig.Graph(n=n, edges=[(position[a], position[b]) for a, b in g.edges])
    truth = [b * 2 / ((n - 1) * (n - 2)) for b in full.betweenness(directed=False)]
    worst = max(abs(result.score(v).betweenness - truth[position[v]]) for v in order)
    assert 0 < method.standard_error < 0.1 * max(truth)
    assert 0 < method.relative_error < 0.5
    assert worst < 6 * method.standard_error
    estimated = sorted(order, key=lambda v: -result.score(v).betweenness)[:10]
    exact = sorted(order, key=lambda v: -truth[position[v]])[:10]
    assert len(set(estimated) & set(exact)) >= 8  # the brokers are found
    assert analyze(g).ranked == result.ranked  # the sample is seeded
    assert result.communities and result.modularity > 0.5
    assert len(result.components[0]) > 0.99 * g.number_of_nodes()
    text = markdown_report(result)
    assert "estimated from 500 sampled source nodes" in text and "of the ten highest" in text


@pytest.fixture(scope="module")
def organisations():
    return organisation_network(GraphIndex.from_store(small_store(SMALL)))


def test_explained_path(organisations):
    (path,) = explain_paths(organisations, iri("o:d"), iri("o:a"))
    assert path.nodes == (iri("o:d"), iri("o:c"), iri("o:a"))
    first, second = path.hops
    assert first.relations == ("letter of intent doc:x",)
    assert {(s.subject, s.object) for s in first.statements} == {
        (iri("doc:x"), iri("o:c")),
        (iri("doc:x"), iri("o:d")),
    }
    assert second.relations == ("post holder per:p",)
    assert path.sources == ("https://w3id.org/clustergraph/graph/source/one",)
    text = paths_text([path], organisations, DEFAULT_PREFIXES, lambda g: "Article one")
    assert "1 shortest path of 2 hops from D (o:d) to A (o:a):" in text
    assert "id:document/x cg:signatory id:org/c ." in text
    assert "stated in: graph:source/one (Article one)" in text


def test_paths_tell_derived_statements():
    g = labelled(nx.path_graph(["a", "b"]))
    statement = Statement("urn:a", "urn:p", "urn:b", (), ("urn:graph",))
    hop = Hop("a", "b", ("urn:p",), (statement,))
    text = paths_text([ExplainedPath(("a", "b"), (hop,))], g, {}, lambda g: "The article")
    assert "derived by reasoning from: <urn:graph> (The article)" in text
    assert "stated in" not in text


def test_all_shortest_paths_are_listed(organisations):
    paths = explain_paths(organisations, iri("o:a"), iri("o:d"), limit=5)
    # a–c–d directly, and a–b–c–d is longer: one shortest path.
    assert [len(p.hops) for p in paths] == [2]
    g = labelled(nx.cycle_graph(4))  # 0-1-2-3-0: two shortest paths from 0 to 2
    assert sorted(p.nodes for p in explain_paths(g, 0, 2)) == [(0, 1, 2), (0, 3, 2)]
    assert len(explain_paths(g, 0, 2, limit=1)) == 1


def test_path_errors(organisations):
    assert explain_paths(organisations, iri("o:a"), iri("o:e")) == []  # e is isolated
    with pytest.raises(InputError, match="same"):
        explain_paths(organisations, iri("o:a"), iri("o:a"))
    with pytest.raises(InputError, match="not a node"):
        explain_paths(organisations, iri("o:a"), "urn:nothing")
    with pytest.raises(InputError, match="1 or more"):
        explain_paths(organisations, iri("o:a"), iri("o:b"), limit=0)


PAYLOAD = '<img src=x onerror="alert(1)"> | *bold* [link](http://x)'


def test_report_files(tmp_path):
    g = labelled(nx.path_graph(["a", "b", "c"]))
    g.nodes["b"]["label"] = PAYLOAD
    g.graph["name"] = "test"
    result = analyze(g)
    files = write_report(result, tmp_path / "out", top=2, description="How it was built.")
    assert sorted(f.name for f in files) == [
        "bridges.csv",
        "centrality.csv",
        "communities.csv",
        "report.json",
        "report.md",
    ]
    assert not list((tmp_path / "out").glob(".*"))  # no temporary file left behind
    document = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert document["nodes"] == 3 and document["ranked"][0]["node"] == "b"
    assert document["ranked"][0]["label"] == PAYLOAD  # machines get the text as it is
    rows = list(csv.DictReader(io.StringIO(centrality_csv(result))))
    assert rows[0]["node"] == "b" and rows[0]["articulation_point"] == "true"
    assert float(rows[0]["betweenness"]) == pytest.approx(1.0)
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Network analysis: the test network")
    assert "How it was built." in md


def test_markdown_escapes_article_text():
    g = labelled(nx.path_graph(["a", "b", "c"]))
    g.nodes["b"]["label"] = PAYLOAD
    md = markdown_report(analyze(g))
    assert "<img" not in md and "](" not in md.replace("\\](", "")
    assert markdown_text(PAYLOAD) in md
    assert markdown_text("a|b") == "a\\|b"
    # Every table row keeps its number of cells: the label's '|' is escaped.
    header = next(line for line in md.splitlines() if line.startswith("| # |"))
    row = next(line for line in md.splitlines() if "&lt;img" in line and line.startswith("| 1 |"))
    assert row.replace("\\|", "").count("|") == header.count("|")
