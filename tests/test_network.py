"""Projections of the store into NetworkX, on small stores with known answers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from clustergraph.errors import InputError
from clustergraph.network.index import GraphIndex as IndexClass
from clustergraph.network.projections import (
    PROJECTIONS,
    GraphIndex,
    actor_network,
    construct_network,
    entity_network,
    neighbourhood,
    organisation_network,
    people_network,
    project,
    select_network,
)
from clustergraph.pipeline.load import stated_graphs
from clustergraph.project.layout import GRAPH_NS, derived_graph
from clustergraph.project.namespace import CG
from clustergraph.project.vocab import ORG, RDF, SKOS
from clustergraph.store import GraphResult
from tests.support.small_graphs import SMALL, SMALL_DERIVED, iri, small_store

ONE = GRAPH_NS + "source/one"
TWO = GRAPH_NS + "source/two"


@pytest.fixture(scope="module")
def small():
    """Return the small store: two sources, the ontology, the facts derived from "one"."""
    return small_store(SMALL, derived=SMALL_DERIVED)


@pytest.fixture(scope="module")
def index(small):
    return GraphIndex.from_store(small)


def test_projections_reexport_the_index():
    assert GraphIndex is IndexClass


def edge_set(graph):
    return {frozenset((a, b)) for a, b in graph.edges}


def pair(a, b):
    return frozenset((iri(a), iri(b)))


def test_organisation_network_edges(index):
    g = organisation_network(index)
    assert set(g) == {iri(f"o:{x}") for x in "abcde"}
    assert edge_set(g) == {
        pair("o:a", "o:b"),
        pair("o:a", "o:c"),
        pair("o:c", "o:d"),
        pair("o:b", "o:c"),
    }
    assert g.degree(iri("o:e")) == 0


def test_membership_edge_keeps_predicates_and_statements(index):
    data = organisation_network(index).edges[iri("o:a"), iri("o:b")]
    assert data["relations"] == ("membership mem:m1",)
    assert data["predicates"] == ("org:member", "org:organization")
    assert [(s.subject, s.predicate, s.object) for s in data["statements"]] == [
        (iri("mem:m1"), "http://www.w3.org/ns/org#member", iri("o:a")),
        (iri("mem:m1"), "http://www.w3.org/ns/org#organization", iri("o:b")),
    ]
    assert data["sources"] == (ONE,)
    assert all(s.graphs == (ONE,) for s in data["statements"])


def test_post_holder_and_co_signatory_edges(index):
    g = organisation_network(index)
    held = g.edges[iri("o:a"), iri("o:c")]
    assert held["relations"] == ("post holder per:p",)
    assert held["predicates"] == ("org:heldBy", "org:postIn")
    assert len(held["statements"]) == 4
    signed = g.edges[iri("o:c"), iri("o:d")]
    assert signed["relations"] == ("letter of intent doc:x",)
    assert signed["predicates"] == ("cg:signatory",)


def test_direct_edge_stated_in_two_graphs(index):
    data = organisation_network(index).edges[iri("o:b"), iri("o:c")]
    assert data["relations"] == ("cg:coordinates",)
    assert data["sources"] == (ONE, TWO)
    (statement,) = data["statements"]
    assert statement.subject == iri("o:b") and statement.graphs == (ONE, TWO)
    assert data["weight"] == 1


def test_people_network(index):
    g = people_network(index)
    assert edge_set(g) == {pair("per:p", "o:a"), pair("per:p", "o:c")}
    assert g.edges[iri("per:p"), iri("o:a")]["relations"] == ("post post:p1",)
    assert g.number_of_nodes() == 6


def test_actor_network_is_the_union(index):
    g = actor_network(index)
    assert edge_set(g) == edge_set(organisation_network(index)) | edge_set(people_network(index))
    assert g.graph["name"] == "actors"


def test_entity_network_nodes_and_statements(index):
    g = entity_network(index)
    expected = {"o:a", "o:b", "o:c", "o:d", "o:e", "per:p", "mem:m1", "post:p1", "post:p2", "doc:x"}
    assert set(g) == {iri(n) for n in expected}  # no figure, no article, no concept
    assert g.number_of_edges() == 9
    assert g.edges[iri("mem:m1"), iri("o:a")]["predicates"] == ("org:member",)


def test_node_attributes(index):
    a = entity_network(index).nodes[iri("o:a")]
    assert (a["label"], a["name"], a["cls"], a["cls_label"]) == (
        "A",
        "o:a",
        "cg:Cluster",
        "cluster",
    )
    facts = dict(a["facts"])
    assert facts["also called"] == "Alpha"
    assert facts["cg:country"] == "country:lt"  # no vocabulary loaded: the prefixed name
    assert "cg:aim" not in facts  # prose is not a key fact
    assert [v for k, v in a["facts"] if k == "figure"] == ["measure:member-count 5 (as of 2020)"]
    assert a["sources"] == (ONE,)
    b = entity_network(index).nodes[iri("o:b")]
    assert b["sources"] == (ONE, TWO)
    assert entity_network(index).nodes[iri("per:p")]["cls_label"] == "person"


def test_primary_class_prefers_the_most_specific():
    index = GraphIndex.from_store(
        small_store(
            {
                "one": "o:z a cg:Association , cg:Cluster , org:FormalOrganization ;"
                ' skos:prefLabel "Z"@en .'
            }
        )
    )
    assert index.primary_class(iri("o:z")).endswith("#Cluster")


def test_projection_by_name(index):
    assert set(PROJECTIONS) == {"entities", "organisations", "people", "actors"}
    assert project(index, "organisations").number_of_edges() == 4
    with pytest.raises(InputError, match="unknown network 'nope'"):
        project(index, "nope")


def test_neighbourhood(index):
    g = entity_network(index)
    near = neighbourhood(g, iri("o:a"), 1)
    assert set(near) == {iri(n) for n in ("o:a", "mem:m1", "post:p1")}
    assert near.graph["focus"] == iri("o:a")
    assert set(neighbourhood(g, iri("o:a"), 0)) == {iri("o:a")}
    with pytest.raises(InputError, match="not a node"):
        neighbourhood(g, iri("fig:f"), 1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("o:a", "o:a"),
        ("<https://w3id.org/clustergraph/id/org/a>", "o:a"),
        ("https://w3id.org/clustergraph/id/org/a", "o:a"),
        ("org/a", "o:a"),
        ("id:org/a", "o:a"),
        ("m1", "mem:m1"),
    ],
)
def test_resolve(index, typed, expected):
    assert index.resolve(typed) == iri(expected)


def test_resolve_errors(index):
    with pytest.raises(InputError, match=r"unknown entity 'o:zz'"):
        index.resolve("o:zz")
    with pytest.raises(InputError, match=r"unknown entity 'o:aa' \(did you mean o:a\?\)"):
        index.resolve("o:aa")
    with pytest.raises(InputError, match=r"^unknown entity 'qqqq'$"):
        index.resolve("qqqq")


def test_resolve_ambiguous_slug():
    index = GraphIndex.from_store(small_store({"one": "o:x a cg:Cluster . per:x a foaf:Person ."}))
    with pytest.raises(InputError, match=r"ambiguous entity 'x': o:x, per:x"):
        index.resolve("x")


def test_construct_network(index):
    a, b = ox.NamedNode(iri("o:a")), ox.NamedNode(iri("o:b"))
    result = GraphResult(
        (
            ox.Triple(a, ox.NamedNode(ORG.memberOf), b),
            ox.Triple(a, ox.NamedNode(RDF.type), ox.NamedNode(CG.Cluster)),
            ox.Triple(b, ox.NamedNode(SKOS.note), ox.Literal("from the query")),
        )
    )
    g = construct_network(result, index)
    assert set(g) == {iri("o:a"), iri("o:b")}
    edge = g.edges[iri("o:a"), iri("o:b")]
    assert edge["predicates"] == ("org:memberOf",)
    assert ("skos:note", "from the query") in g.nodes[iri("o:b")]["facts"]
    assert g.nodes[iri("o:a")]["label"] == "A"
    # org:memberOf is derived from the membership stated in "one": the edge says so.
    (statement,) = edge["statements"]
    assert statement.graphs == () and statement.derived_from == (ONE,) and statement.derived
    assert edge["sources"] == (ONE,) and edge["derived"] is True
    assert construct_network(result.triples, index).number_of_edges() == 1


def test_select_network(index):
    a, b, c = (ox.NamedNode(iri(n)) for n in ("o:a", "o:b", "o:c"))
    three, four = ox.Literal("3"), ox.Literal("4")
    g = select_network(["org", "network", "n"], [(a, b, three), (c, None, four)], index)
    assert set(g) == {a.value, b.value, c.value}
    edge = g.edges[a.value, b.value]
    assert edge["relations"] == ("?org → ?network",)
    # a and b are joined by derived statements only (the membership is a node of its own).
    assert edge["predicates"] == ("org:hasMember", "org:memberOf")
    assert edge["derived"] is True and edge["sources"] == (ONE,)
    bc = select_network(["x", "y"], [(b, c)], index).edges[b.value, c.value]
    assert bc["predicates"] == ("cg:coordinates",) and bc["sources"] == (ONE, TWO)
    assert bc["derived"] is False
    ac = select_network(["x", "y"], [(a, c)], index).edges[a.value, c.value]
    assert ac["predicates"] == () and ac["statements"] == ()  # no statement joins them
    assert ("?n", "3") in g.nodes[a.value]["facts"]
    with pytest.raises(InputError, match="no column of entities"):
        select_network(["n"], [(ox.Literal("1"),)], index)


def test_derived_facts_do_not_change_the_projections(small, index):
    stated_only = GraphIndex.from_store(small, graphs=stated_graphs(small))
    assert stated_only.derived_links == {}
    assert index.derived_sources == {derived_graph(ONE): (ONE,)}
    for name in PROJECTIONS:
        with_derived, without = project(index, name), project(stated_only, name)
        assert edge_set(with_derived) == edge_set(without), name
        for a, b, data in with_derived.edges(data=True):
            assert data["statements"] == without.edges[a, b]["statements"], (name, a, b)
            assert data["derived"] is False
    # Types stated only in the derived graph add no class to the nodes.
    assert index.types[iri("o:a")] == {CG.Cluster}


def test_derived_statement_lookup(index):
    held = index.statement(iri("per:p"), CG.holdsPostIn, iri("o:c"))
    assert (held.graphs, held.derived_from, held.derived) == ((), (ONE,), True)
    both = index.statement(iri("o:b"), CG.coordinates, iri("o:c"))
    assert (both.graphs, both.derived_from, both.derived) == ((ONE, TWO), (), False)
    between = index.statements_between(iri("o:a"), iri("per:p"))
    assert [(s.predicate, s.derived) for s in between] == [(CG.holdsPostIn, True)]


def test_source_titles(index):
    assert index.source_title(ONE) == "Article one"
    assert index.source_title(TWO) == "Article two"
    assert index.source_title(GRAPH_NS + "source/none") == "graph:source/none"


def test_real_store_projections(store):
    index = GraphIndex.from_store(store)
    orgs = organisation_network(index)
    lcn = "https://w3id.org/clustergraph/id/org/lcn"
    # Giedrius Bagušinskas leads the network, the Smart Food Cluster and LitMEA.
    for other in ("smart-food-cluster", "litmea"):
        data = orgs.edges[lcn, f"https://w3id.org/clustergraph/id/org/{other}"]
        assert "post holder per:giedrius-bagusinskas" in data["relations"]
    esca = "https://w3id.org/clustergraph/id/org/esca"
    # the ten Bronze labels it awarded (a later article may add more neighbours)
    labelled = ("ivita", "vilnius-film-cluster", "smart-food-cluster", "prefablt", "ltfood",
                "lithuanian-plastic-cluster", "laugea", "litek", "litcare", "fetek")  # fmt: skip
    assert {f"https://w3id.org/clustergraph/id/org/{o}" for o in labelled} <= set(orgs[esca])
    entities = entity_network(index)
    assert not any("/figure/" in n or "/source/" in n for n in entities)
    assert all(data["sources"] for _a, _b, data in entities.edges(data=True))
    assert not any(data["derived"] for _a, _b, data in entities.edges(data=True))
    stated = GraphIndex.from_store(store, graphs=stated_graphs(store))
    for name in ("entities", "actors"):
        assert edge_set(project(index, name)) == edge_set(project(stated, name)), name


@pytest.mark.store
def test_the_index_reads_a_remote_store_alike(small, tmp_path):
    """A SPARQL endpoint (a real Oxigraph server) gives the same index as the memory store."""
    import io

    from clustergraph.rdf.formats import RdfFormat
    from clustergraph.render.catalogue import Catalogue
    from clustergraph.store import open_store
    from tests.support.servers import oxigraph_server

    data = {}
    for graph in small.graphs():
        body = io.BytesIO()
        small.dump(body, RdfFormat.NTRIPLES, graphs=[graph])
        data[graph] = body.getvalue()
    with oxigraph_server(tmp_path / "oxigraph") as server:
        remote = open_store(server.query_url)
        remote.replace_graphs(data)
        index = GraphIndex.from_store(remote)
        local = GraphIndex.from_store(small)
        assert index.links == local.links and index.derived_links == local.derived_links
        assert index.derived_sources == local.derived_sources
        for name in PROJECTIONS:
            ours, theirs = project(index, name), project(local, name)
            assert sorted(ours.edges(data="statements")) == sorted(theirs.edges(data="statements"))
            assert dict(ours.nodes(data=True)) == dict(theirs.nodes(data=True))
        stated = GraphIndex.from_store(remote, graphs=stated_graphs(remote))
        assert stated.derived_links == {}
        page = Catalogue.from_store(remote, index).entity_page(iri("o:a"))
        assert [r.prop.title for r in page.derived if r.prop.title == "org:memberOf"] == [
            "org:memberOf"
        ]
        remote.close()
