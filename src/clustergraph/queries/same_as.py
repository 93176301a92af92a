"""IRIs that ``owl:sameAs`` makes one entity, and the IRI each is merged into.

A data graph may say that two IRIs name one thing: another publisher's IRI and the
project's (``<http://www.wikidata.org/entity/Q1> owl:sameAs o:lcn``), or two of the
project's own (``o:lcn owl:sameAs o:lcn-again``, two IRIs minted for one thing). The
IRIs ``owl:sameAs`` joins, directly or through others, form a group; a group holding an
IRI of the project (under ``id/``) is merged into one of them, its *canonical* IRI, by
the networks, the views, the pages and the matcher (:func:`merge`):

* another publisher's IRI is never canonical;
* of the project's IRIs, the subject of ``owl:sameAs`` is kept: ``o:a owl:sameAs o:b``
  keeps ``o:a`` (the statement says that ``o:a`` is also ``o:b``); where the statements
  of a group do not single one out, the first in sort order is kept.

A group of other publishers' IRIs only is left as it is. ``check`` reports two of the
project's IRIs joined this way (``checks/same-as-between-project-iris``), with the fix:
keep one IRI, make the other's names its ``skos:altLabel``.

Examples
--------
>>> o = "https://w3id.org/clustergraph/id/org/"
>>> merged = merge([(o + "lcn", o + "lcn-again"), ("http://www.wikidata.org/entity/Q1", o + "lcn")])
>>> sorted((k.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1]) for k, v in merged.items())
[('Q1', 'lcn'), ('lcn-again', 'lcn')]
>>> merge([("http://a.example/x", "http://b.example/x")])
{}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from clustergraph.project.layout import ID_NS
from clustergraph.project.vocab import OWL
from clustergraph.store.base import SelectResult, Store

__all__ = ["merge", "same_as_pairs", "same_as_map"]

SAME_AS_QUERY = f"""SELECT ?g ?a ?b WHERE {{
  GRAPH ?g {{ ?a <{OWL.sameAs}> ?b }}
  FILTER(isIRI(?a) && isIRI(?b))
}}"""
"""Every ``owl:sameAs`` between two IRIs, with its graph."""


def merge(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Return each IRI merged into another (see the module docstring) -> its canonical IRI.

    Parameters
    ----------
    pairs
        ``(subject, object)`` of ``owl:sameAs`` statements between IRIs.
    """
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    objects: set[str] = set()  # project IRIs another project IRI is said to be
    for a, b in pairs:
        if a == b:
            continue
        parent[find(a)] = find(b)
        if a.startswith(ID_NS) and b.startswith(ID_NS):
            objects.add(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for node in parent:
        groups[find(node)].append(node)
    merged: dict[str, str] = {}
    for members in groups.values():
        own = sorted(m for m in members if m.startswith(ID_NS))
        if not own:
            continue  # other publishers' IRIs only: nothing of the project to merge into
        kept = next((m for m in own if m not in objects), own[0])
        merged.update({m: kept for m in members if m != kept})
    return merged


def same_as_pairs(store: Store, keep: Callable[[str], bool]) -> list[tuple[str, str, str]]:
    """Return ``(graph, subject, object)`` of the ``owl:sameAs`` statements of kept graphs."""
    result = store.query(SAME_AS_QUERY)
    assert isinstance(result, SelectResult)
    return sorted(
        (g.value, a.value, b.value)
        for g, a, b in result.rows
        if g is not None and a is not None and b is not None and keep(g.value)
    )


def same_as_map(store: Store, keep: Callable[[str], bool]) -> dict[str, str]:
    """Return :func:`merge` of the ``owl:sameAs`` statements of the graphs ``keep`` keeps."""
    return merge((a, b) for _g, a, b in same_as_pairs(store, keep))
