"""Prefixes used to show IRIs as prefixed names in reports.

Examples
--------
>>> compact(URIRef("https://w3id.org/clustergraph/ontology#Cluster"), DEFAULT_PREFIXES)
'cg:Cluster'
>>> compact(URIRef("https://w3id.org/clustergraph/id/cluster/x"), DEFAULT_PREFIXES)
'id:cluster/x'
>>> compact(URIRef("http://example.org/x"), DEFAULT_PREFIXES)
'<http://example.org/x>'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from clustergraph.project.layout import CG_NS, GRAPH_NS, ID_NS

DEFAULT_PREFIXES: Mapping[str, str] = {
    "cg": CG_NS,
    "id": ID_NS,
    "graph": GRAPH_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
}
"""Prefixes always known, whatever the files declare."""

ENTITY_PREFIXES: Mapping[str, str] = {
    name: ID_NS + kind
    for name, kind in {
        "o": "org/", "per": "person/", "mem": "membership/", "post": "post/",
        "award": "award/", "proj": "project/", "prog": "programme/", "doc": "document/",
        "ev": "event/", "fig": "figure/", "src": "source/", "t": "time/", "place": "place/",
        "sector": "sector/", "role": "role/", "right": "right/", "sel": "selection/",
        "level": "label-level/", "lf": "legal-form/", "country": "country/",
        "measure": "measure/", "cmp": "comparator/", "freq": "frequency/", "scheme": "scheme/",
    }.items()
}  # fmt: skip
"""The data files' prefixes for entity IRIs (``o:eacn``), one per kind of entity."""

# Local parts shown after a prefix: a readable superset of Turtle's PN_LOCAL that also
# allows '/', so that entity IRIs show as ``id:<kind>/<slug>``.
_LOCAL = re.compile(r"(?:[\w-][\w./-]*[\w-]|[\w-]?)")


def new_namespace_manager(graph: Graph, prefixes: Mapping[str, str] = DEFAULT_PREFIXES) -> None:
    """Give ``graph`` a namespace manager knowing exactly the ``prefixes`` (rdf, xml too).

    Parameters
    ----------
    graph
        The graph (or dataset) whose namespace manager is replaced.
    prefixes
        The prefix -> namespace IRI bindings.
    """
    manager = NamespaceManager(graph, bind_namespaces="core")
    for prefix, iri in prefixes.items():
        manager.bind(prefix, URIRef(iri), override=True, replace=True)
    graph.namespace_manager = manager


def prefix_map(graph: Graph) -> dict[str, str]:
    """Return the prefix -> namespace bindings of ``graph`` together with the defaults."""
    found = {prefix: str(iri) for prefix, iri in graph.namespace_manager.namespaces()}
    return {**found, **DEFAULT_PREFIXES}


def compact(term: Node | str, prefixes: Mapping[str, str]) -> str:
    """Return a short readable form of an RDF term.

    IRIs become prefixed names where a namespace fits (the longest one wins),
    otherwise ``<iri>``; literals are shown in Turtle syntax; blank nodes as ``_:id``.

    Parameters
    ----------
    term
        The term (a plain string counts as an IRI).
    prefixes
        The prefix -> namespace IRI bindings to use.

    Returns
    -------
    str
        The readable form.

    Examples
    --------
    >>> from rdflib.namespace import XSD
    >>> compact(Literal("1990", datatype=XSD.gYear), DEFAULT_PREFIXES)
    '"1990"^^xsd:gYear'
    >>> compact(Literal("Öresund", lang="sv"), DEFAULT_PREFIXES)
    '"Öresund"@sv'
    """
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None:
            return f'"{text}"^^{compact(term.datatype, prefixes)}'
        return f'"{text}"'
    iri = str(term)
    best: tuple[int, str] | None = None
    for prefix, namespace in prefixes.items():
        if namespace and iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace) :]):
            if best is None or len(namespace) > best[0]:
                best = (len(namespace), f"{prefix}:{iri[len(namespace) :]}")
    return best[1] if best is not None else f"<{iri}>"
