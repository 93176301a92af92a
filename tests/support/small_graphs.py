"""Small stores and graphs with known answers, built in the tests (not the seed data)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from clustergraph.project.layout import (
    GRAPH_NS,
    ONTOLOGY_FILE,
    ONTOLOGY_GRAPH,
    derived_graph,
)
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.parse import parse_bytes, parse_file
from clustergraph.store import Store, open_store

REPO = Path(__file__).resolve().parents[2]

PREFIXES = """\
@prefix cg:      <https://w3id.org/clustergraph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix o:       <https://w3id.org/clustergraph/id/org/> .
@prefix per:     <https://w3id.org/clustergraph/id/person/> .
@prefix mem:     <https://w3id.org/clustergraph/id/membership/> .
@prefix post:    <https://w3id.org/clustergraph/id/post/> .
@prefix doc:     <https://w3id.org/clustergraph/id/document/> .
@prefix fig:     <https://w3id.org/clustergraph/id/figure/> .
@prefix src:     <https://w3id.org/clustergraph/id/source/> .
@prefix measure: <https://w3id.org/clustergraph/id/measure/> .
@prefix country: <https://w3id.org/clustergraph/id/country/> .
"""

# Known answers (see tests/test_network.py):
#   organisations: a–b (membership m1), a–c (person p holds posts in both),
#                  c–d (letter of intent x, signed together), b–c (cg:coordinates,
#                  stated in both graphs); e is isolated.
#   people:        p–a and p–c (posts).
#   entities:      a b c d e p m1 p1 p2 x, and 9 statements between them.
SMALL = {
    "one": """
<https://w3id.org/clustergraph/graph/source/one> a cg:SourceGraph ;
    prov:wasDerivedFrom src:one .
src:one a cg:NewsArticle ; dcterms:title "Article one"@en ; dcterms:subject o:a , o:e .
o:a a cg:Cluster ; skos:prefLabel "A"@en ; skos:altLabel "Alpha"@en ;
    cg:country country:lt ; cg:aim "A long aim that is prose, not a key fact."@en .
o:b a cg:ClusterNetwork ; skos:prefLabel "B"@en .
o:c a cg:Company ; skos:prefLabel "C"@en .
o:d a cg:Ministry ; skos:prefLabel "D"@en .
o:e a cg:Cluster ; skos:prefLabel "E"@en .
per:p a foaf:Person ; skos:prefLabel "P"@lt ; foaf:name "P" .
mem:m1 a cg:Membership ; skos:prefLabel "A in B"@en ; org:member o:a ; org:organization o:b .
post:p1 a cg:Post ; skos:prefLabel "Head of A"@en ; org:postIn o:a ; org:heldBy per:p .
post:p2 a cg:Post ; skos:prefLabel "Head of C"@en ; org:postIn o:c ; org:heldBy per:p .
doc:x a cg:LetterOfIntent ; skos:prefLabel "X"@en ; cg:signatory o:c , o:d .
o:b cg:coordinates o:c .
fig:f a cg:Figure ; cg:figureOf o:a ; cg:measure measure:member-count ;
    cg:value 5 ; cg:asOf "2020"^^xsd:gYear .
""",
    "two": """
<https://w3id.org/clustergraph/graph/source/two> a cg:SourceGraph ;
    prov:wasDerivedFrom src:two .
src:two a cg:NewsArticle ; dcterms:title "Article two"@en .
o:b a cg:ClusterNetwork ; skos:prefLabel "B"@en ; cg:coordinates o:c .
o:c a cg:Company ; skos:prefLabel "C"@en .
""",
}


# Facts derived from graph "one" (what the reasoner adds from its membership and posts),
# in its derived graph, which says what it was derived from.
SMALL_DERIVED = {
    "one": """
<https://w3id.org/clustergraph/graph/derived/source/one>
    prov:wasDerivedFrom <https://w3id.org/clustergraph/graph/source/one> .
o:a org:memberOf o:b .
o:b org:hasMember o:a .
per:p cg:holdsPostIn o:a , o:c .
o:a a org:Organization .
""",
}


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def store_from_turtle(graphs: Mapping[str, str], *, store: Store | None = None) -> Store:
    """Return a memory store holding one named graph per Turtle text (with :data:`PREFIXES`).

    Each text is parsed strictly (:func:`clustergraph.rdf.parse.parse_bytes`); the
    graphs are written in one :meth:`~clustergraph.store.base.Store.replace_graphs`.
    """
    target = store if store is not None else open_store("memory:")
    data = {
        graph: _ntriples(
            parse_bytes(
                (PREFIXES + text).encode("utf-8"), graph=graph, shown=graph, fmt=RdfFormat.TURTLE
            )
        )
        for graph, text in graphs.items()
    }
    target.replace_graphs(data)
    return target


def small_store(
    sources: Mapping[str, str],
    *,
    ontology: bool = True,
    derived: Mapping[str, str] | None = None,
) -> Store:
    """Return a memory store of the repository's ontology and one graph per source text.

    ``sources`` and ``derived`` map a source's stem to Turtle; a derived text goes into
    the derived graph of that source (``graph/derived/source/<stem>``).
    """
    graphs = {GRAPH_NS + "source/" + stem: text for stem, text in sources.items()}
    for stem, text in (derived or {}).items():
        graphs[derived_graph(GRAPH_NS + "source/" + stem)] = text
    store = store_from_turtle(graphs)
    if ontology:
        triples = parse_file(REPO / ONTOLOGY_FILE, graph=ONTOLOGY_GRAPH, shown=ONTOLOGY_FILE)
        store.replace_graphs({ONTOLOGY_GRAPH: _ntriples(triples)})
    return store


def iri(name: str) -> str:
    """Expand ``o:a``-style names of the small dataset."""
    kinds = {
        "o": "org",
        "per": "person",
        "mem": "membership",
        "post": "post",
        "doc": "document",
        "fig": "figure",
        "src": "source",
        "country": "country",
    }
    prefix, _, local = name.partition(":")
    return f"https://w3id.org/clustergraph/id/{kinds[prefix]}/{local}"


def synthetic(communities: int, size: int, *, seed: int = 1, links: int = 2) -> nx.Graph:
    """Return ``communities`` dense groups of ``size`` nodes, sparsely linked in a ring."""
    graph = nx.Graph(name="synthetic")
    for c in range(communities):
        group = nx.gnm_random_graph(size, size * 3, seed=seed + c)
        for a, b in group.edges:
            graph.add_edge(f"n{c}-{a}", f"n{c}-{b}", predicates=("ex:knows",))
        for v in range(size):
            graph.add_node(
                f"n{c}-{v}", label=f"Node {c}-{v}", cls=f"ex:Kind{v % 3}", cls_label=f"kind {v % 3}"
            )
    for c in range(communities):
        for k in range(links):
            graph.add_edge(
                f"n{c}-{k}", f"n{(c + 1) % communities}-{k + 1}", predicates=("ex:partner",)
            )
    return graph
