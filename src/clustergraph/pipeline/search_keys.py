"""Search keys: each name of an entity as people type it, stored beside the derived facts.

SPARQL can lower a name's case but not strip its accents or bring it to one Unicode
normal form, so a query cannot find ``Paužolis`` for ``pauzolis``. For every name a
stated graph gives an entity (``skos:prefLabel``, ``skos:altLabel``, ``foaf:name``,
``rdfs:label``, ``schema:name``, ``dcterms:title``), :func:`write_search_keys` adds
``?entity cg:searchKey "key"`` to that graph's derived graph, where the key is
:func:`clustergraph.queries.reconcile.search_key` of the name (NFKD, marks dropped,
case folded, words spaced): ``Julius Paužolis`` gives ``julius pauzolis``. The keys
follow from the names alone, so they live and go with the derived graph of the source
that states the names (:func:`clustergraph.pipeline.derive.derive` writes them for the
graphs it derives). The query ``search-entities`` matches the text it is given,
brought to the same form, against them.

Examples
--------
>>> from clustergraph.store import open_store
>>> from clustergraph.project.layout import SOURCE_GRAPHS, derived_graph
>>> store = open_store("memory:")
>>> g = SOURCE_GRAPHS + "a"
>>> store.replace_graphs({g: '<https://w3id.org/clustergraph/id/person/p> '
...     '<http://xmlns.com/foaf/0.1/name> "Julius Paužolis" .'.encode()})
>>> write_search_keys(store, [derived_graph(g)])
1
>>> [q.object.value for q in store.quads(graph=derived_graph(g))]
['julius pauzolis']
"""

from __future__ import annotations

from collections.abc import Sequence

from clustergraph.project.layout import stated_graph
from clustergraph.project.namespace import CG
from clustergraph.queries.reconcile import NAME_PROPERTIES, search_key
from clustergraph.store.base import SelectResult, Store

__all__ = ["write_search_keys"]

_CHUNK = 5000

_GRAPHS = 200
"""Stated graphs whose names one query reads."""


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_search_keys(store: Store, derived: Sequence[str], *, names: Store | None = None) -> int:
    """Add the search keys of the names each derived graph's stated graph gives.

    Parameters
    ----------
    store
        A writable store.
    derived
        Derived graphs (those that follow from no single stated graph are skipped).
    names
        The store holding the stated graphs (default: ``store``), when the derived
        graphs are made in another.

    Returns
    -------
    int
        The keys added.
    """
    values = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
    of = {s: graph for graph in derived if (s := stated_graph(graph)) is not None}
    found: dict[str, set[tuple[str, str]]] = {graph: set() for graph in of.values()}
    stated = sorted(of)
    for start in range(0, len(stated), _GRAPHS):  # a query a group of graphs, not one each
        listed = " ".join(f"<{g}>" for g in stated[start : start + _GRAPHS])
        result = (names or store).query(
            f"SELECT DISTINCT ?g ?s ?n WHERE {{ VALUES ?g {{ {listed} }} VALUES ?p {{ {values} }} "
            "GRAPH ?g { ?s ?p ?n } FILTER(isIRI(?s) && isLiteral(?n)) }"
        )
        assert isinstance(result, SelectResult)
        for graph_name, subject, name in result.rows:
            if graph_name is not None and subject is not None and name is not None:
                found[of[graph_name.value]].add((subject.value, search_key(name.value)))
    added = 0
    for graph, pairs in found.items():
        keys = sorted(pairs)
        lines = [f"<{s}> <{CG.searchKey}> {_literal(k)} ." for s, k in keys if k]
        for start in range(0, len(lines), _CHUNK):
            chunk = "\n".join(lines[start : start + _CHUNK])
            store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {chunk} }} }}", graphs=[graph])
        added += len(lines)
    return added
