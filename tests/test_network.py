"""Projections of RDF into NetworkX, on small datasets with known answers."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from clustergraph.errors import InputError
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
from clustergraph.project.layout import GRAPH_NS
from tests.support.small_graphs import SMALL, dataset, iri

ONE = GRAPH_NS + "source/one"
TWO = GRAPH_NS + "source/two"


@pytest.fixture(scope="module")
def index():
    return GraphIndex(dataset(SMALL))


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
    index = GraphIndex(
        dataset(
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
    index = GraphIndex(dataset({"one": "o:x a cg:Cluster . per:x a foaf:Person ."}))
    with pytest.raises(InputError, match=r"ambiguous entity 'x': o:x, per:x"):
        index.resolve("x")


def test_construct_network(index):
    from rdflib import Graph

    result = Graph()
    a, b = URIRef(iri("o:a")), URIRef(iri("o:b"))
    result.add((a, URIRef("http://www.w3.org/ns/org#memberOf"), b))
    result.add((a, RDF.type, URIRef("https://w3id.org/clustergraph/ontology#Cluster")))
    result.add((b, SKOS.note, Literal("from the query")))
    g = construct_network(result, index)
    assert set(g) == {iri("o:a"), iri("o:b")}
    assert g.edges[iri("o:a"), iri("o:b")]["predicates"] == ("org:memberOf",)
    assert ("skos:note", "from the query") in g.nodes[iri("o:b")]["facts"]
    assert g.nodes[iri("o:a")]["label"] == "A"


def test_select_network(index):
    a, b, c = (URIRef(iri(n)) for n in ("o:a", "o:b", "o:c"))
    g = select_network(["org", "network", "n"], [(a, b, Literal(3)), (c, None, Literal(4))], index)
    assert set(g) == {str(a), str(b), str(c)}
    edge = g.edges[str(a), str(b)]
    assert edge["relations"] == ("?org → ?network",)
    assert edge["predicates"] == () and edge["statements"] == ()  # no statement joins them
    bc = select_network(["x", "y"], [(b, c)], index).edges[str(b), str(c)]
    assert bc["predicates"] == ("cg:coordinates",) and bc["sources"] == (ONE, TWO)
    assert ("?n", "3") in g.nodes[str(a)]["facts"]
    with pytest.raises(InputError, match="no column of entities"):
        select_network(["n"], [(Literal(1),)], index)


def test_real_dataset_projections(dataset):
    index = GraphIndex(dataset)
    orgs = organisation_network(index)
    lcn = "https://w3id.org/clustergraph/id/org/lcn"
    # Giedrius Bagušinskas leads the network, the Smart Food Cluster and LitMEA.
    for other in ("smart-food-cluster", "litmea"):
        data = orgs.edges[lcn, f"https://w3id.org/clustergraph/id/org/{other}"]
        assert "post holder per:giedrius-bagusinskas" in data["relations"]
    esca = "https://w3id.org/clustergraph/id/org/esca"
    assert orgs.degree(esca) == 10  # the ten Bronze labels it awarded
    entities = entity_network(index)
    assert not any("/figure/" in n or "/source/" in n for n in entities)
    assert all(data["sources"] for _a, _b, data in entities.edges(data=True))
