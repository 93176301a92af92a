r"""Counts over the store: triples per graph, entities per class, and the sources.

Everything is read with SPARQL, so the counts come the same from an embedded store and
from a remote one. The graphs counted are the data graphs
(:func:`clustergraph.pipeline.export.data_graphs`: the ontology, vocabularies, sources
and derived facts, not the manifest); each is shown with the file it was loaded from
(the store's manifest, else the file the layout names).

Examples
--------
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> source = "<https://w3id.org/clustergraph/id/source/x>"
>>> store.replace_graphs({"https://w3id.org/clustergraph/graph/source/x": (
...     f"{source} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{CG.Source}> .\n"
...     f'{source} <http://purl.org/dc/terms/title> "X"@en .').encode()})
>>> s = stats(store)
>>> s.total_triples, [(c.name, c.entities) for c in s.classes], s.sources[0].title
(2, [('cg:Source', 1)], 'X')
>>> s.graphs[0].file
'data/sources/x.ttl'
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from clustergraph.errors import LayoutError
from clustergraph.pipeline.export import data_graphs
from clustergraph.pipeline.load import manifest
from clustergraph.project.layout import ONTOLOGY_GRAPH, file_for_graph, is_stated_graph
from clustergraph.project.namespace import CG
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.project.vocab import DCTERMS, FOAF, RDFS, SCHEMA, SKOS
from clustergraph.rdf.terms import Term
from clustergraph.store.base import SelectResult, Store

__all__ = ["ClassCount", "GraphCount", "SourceInfo", "Stats", "stats"]

# Where a source has no value for a property, these are looked at next.
_FALLBACKS: Mapping[str, tuple[str, ...]] = {DCTERMS.publisher: (CG.firstPublishedBy,)}
_PROPERTIES = (DCTERMS.title, DCTERMS.publisher, DCTERMS.creator, DCTERMS.issued)
_LABELS = (RDFS.label, SKOS.prefLabel, FOAF.name, SCHEMA.name, DCTERMS.title)


@dataclass(frozen=True)
class GraphCount:
    """Number of triples in one named graph and the file it comes from (``-``: none)."""

    graph: str
    file: str
    triples: int


@dataclass(frozen=True)
class ClassCount:
    """Number of distinct subjects typed with a class in the data graphs."""

    cls: str
    name: str
    entities: int


@dataclass(frozen=True)
class SourceInfo:
    """A ``cg:Source`` of the data with its bibliographic details (``None`` if absent).

    ``title`` is ``dcterms:title``; ``publisher`` the label of ``dcterms:publisher``
    (else of ``cg:firstPublishedBy``); ``creator`` the label of ``dcterms:creator``;
    ``issued`` is ``dcterms:issued``; sub-properties declared in the dataset count too.
    ``graphs`` are the named graphs in which the source is typed.
    """

    source: Term
    title: str | None
    publisher: str | None
    creator: str | None
    issued: str | None
    graphs: tuple[str, ...]


@dataclass(frozen=True, repr=False)
class Stats:
    """Outcome of :func:`stats`; :meth:`format` renders it as plain text tables."""

    graphs: tuple[GraphCount, ...]
    classes: tuple[ClassCount, ...]
    sources: tuple[SourceInfo, ...]
    prefixes: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        """Say the totals at a Python prompt (``format()`` gives the tables)."""
        return (
            f"<Stats: {self.total_triples:,} triples in {len(self.graphs)} named graphs, "
            f"{len(self.classes)} classes, {len(self.sources)} sources; .format() for the tables>"
        )

    @property
    def total_triples(self) -> int:
        """Sum of the triples of all named graphs counted (as N-Quads counts them)."""
        return sum(g.triples for g in self.graphs)

    def format(self) -> str:
        """Return the three tables (graphs, entities per class, sources) as text."""
        prefixes = dict(self.prefixes) or dict(PREFIXES)
        graphs = _table(
            ("graph", "file", "triples"),
            [(compact(g.graph, prefixes), g.file, str(g.triples)) for g in self.graphs]
            + [("total", f"{len(self.graphs)} graphs", str(self.total_triples))],
            numeric={2},
        )
        classes = _table(
            ("class", "entities"),
            [(c.name, str(c.entities)) for c in self.classes],
            numeric={1},
        )
        sources = _table(
            ("source", "title", "publisher", "creator", "issued", "graph"),
            [
                (
                    compact(s.source, prefixes),
                    s.title or "-",
                    s.publisher or "-",
                    s.creator or "-",
                    s.issued or "-",
                    ", ".join(compact(g, prefixes) for g in s.graphs),
                )
                for s in self.sources
            ],
        )
        return (
            f"Triples per graph\n{graphs}\n\n"
            f"Entities per class (data graphs)\n{classes}\n\n"
            f"Sources ({len(self.sources)})\n{sources}"
        )


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Collection[int] = ()
) -> str:
    """Return an aligned plain text table; columns in ``numeric`` are right-aligned."""
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = (
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _select(store: Store, text: str, graphs: Sequence[str] | None = None) -> SelectResult:
    result = store.query(text, graphs=graphs)
    assert isinstance(result, SelectResult)
    return result


def _values(name: str, terms: Iterable[str]) -> str:
    return f"VALUES ?{name} {{ {' '.join(f'<{t}>' for t in sorted(set(terms)))} }}"


def _best(literals: Iterable[Term]) -> str | None:
    """Return the English (else untagged, else any) literal, whitespace collapsed."""
    found = sorted(
        (lit for lit in literals if isinstance(lit, ox.Literal)),
        key=lambda lit: (lit.language != "en", lit.language is not None, lit.value),
    )
    return " ".join(found[0].value.split()) if found else None


def _file_of(graph: str, files: Mapping[str, str]) -> str:
    if graph in files:
        return files[graph]
    if is_stated_graph(graph):
        try:
            return file_for_graph(graph)
        except LayoutError:
            return "-"
    return "-"


def _below(store: Store, relation: str, top: str, graphs: Sequence[str] | None) -> list[str]:
    """Return ``top`` and everything below it by ``relation`` (``rdfs:subClassOf``, ...)."""
    result = _select(store, f"SELECT DISTINCT ?x WHERE {{ ?x <{relation}>* <{top}> }}", graphs)
    found = {row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode)}
    return sorted(found | {top})


def stats(store: Store, *, graphs: Sequence[str] | None = None) -> Stats:
    """Count triples per named graph, entities per class, and list the sources.

    Parameters
    ----------
    store
        The store (embedded or remote; only read).
    graphs
        The graphs to count (default: the data graphs, stated and derived). Entities
        and sources are taken from these graphs but the ontology; the ontology supplies
        subclasses of ``cg:Source`` and sub-properties.

    Returns
    -------
    Stats
        The counts, sorted (graphs by IRI, classes by count then name).

    Raises
    ------
    StoreError
        If the store cannot be read.
    """
    names = sorted(data_graphs(store) if graphs is None else graphs)
    counted = _select(
        store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", names
    )
    sizes = {
        g.value: int(n.value)
        for g, n in counted.rows
        if isinstance(g, ox.NamedNode) and n is not None
    }
    files = {g: e.file for g, e in manifest(store).items()}
    counts = tuple(GraphCount(g, _file_of(g, files), sizes[g]) for g in names if g in sizes)
    entity_graphs = [g for g in names if g != ONTOLOGY_GRAPH and g in sizes]
    classes: list[ClassCount] = []
    if entity_graphs:
        typed = _select(
            store,
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c",
            entity_graphs,
        )
        classes = [
            ClassCount(c.value, compact(c.value, PREFIXES), int(n.value))
            for c, n in typed.rows
            if isinstance(c, ox.NamedNode) and n is not None
        ]
    classes.sort(key=lambda c: (-c.entities, c.name))
    # Every data graph: the store's own default graph (each triple once), not a list.
    scope = None if graphs is None else names
    sources = _sources(store, scope, entity_graphs) if entity_graphs else []
    return Stats(
        graphs=counts,
        classes=tuple(classes),
        sources=tuple(sources),
        prefixes=tuple(sorted(PREFIXES.items())),
    )


def _sources(
    store: Store, names: Sequence[str] | None, entity_graphs: Sequence[str]
) -> list[SourceInfo]:
    """Return the sources typed in ``entity_graphs``, with what :class:`SourceInfo` holds.

    ``names`` are the graphs read (``None``: the default graph, every data graph).
    """
    # Subclasses and sub-properties first, each by a query of its own: a path joined
    # with other patterns is where some stores (Virtuoso) lose rows.
    kinds = _below(store, RDFS.subClassOf, CG.Source, names)
    typed = _select(
        store,
        f"SELECT DISTINCT ?s ?g WHERE {{ {_values('c', kinds)} GRAPH ?g {{ ?s a ?c }} }}",
        names,
    )
    wanted = set(entity_graphs)
    where: dict[Term, set[str]] = {}
    for s, g in typed.rows:
        if s is not None and isinstance(g, ox.NamedNode) and g.value in wanted:
            where.setdefault(s, set()).add(g.value)
    if not where:
        return []
    properties: dict[str, list[str]] = {}  # property or fallback -> it and its sub-properties
    for prop in _PROPERTIES:
        for candidate in (prop, *_FALLBACKS.get(prop, ())):
            properties[candidate] = _below(store, RDFS.subPropertyOf, candidate, names)
    every = {p for subs in properties.values() for p in subs}
    found = _select(
        store,
        f"SELECT ?s ?p ?v ?lp ?l WHERE {{ {_values('c', kinds)} {_values('p', every)} "
        f"?s a ?c ; ?p ?v . OPTIONAL {{ {_values('lp', _LABELS)} ?v ?lp ?l }} }}",
        names,
    )
    values: dict[tuple[Term, str], set[Term]] = {}
    labels: dict[Term, dict[str, list[Term]]] = {}
    for s, p, v, lp, label in found.rows:
        if s is None or p is None or v is None:
            continue
        values.setdefault((s, p.value), set()).add(v)
        if lp is not None and label is not None:
            labels.setdefault(v, {}).setdefault(lp.value, []).append(label)

    def of(source: Term, prop: str) -> list[Term]:
        for candidate in (prop, *_FALLBACKS.get(prop, ())):
            hits = [v for p in properties[candidate] for v in values.get((source, p), ())]
            if hits:
                return hits
        return []

    def name(node: Term) -> str:
        if isinstance(node, ox.Literal):
            return " ".join(node.value.split())
        for prop in _LABELS:
            label = _best(labels.get(node, {}).get(prop, ()))
            if label is not None:
                return label
        return compact(node, PREFIXES)

    def names_of(nodes: Iterable[Term]) -> str | None:
        shown = sorted({name(n) for n in nodes})
        return "; ".join(shown) if shown else None

    infos = [
        SourceInfo(
            source=s,
            title=_best(of(s, DCTERMS.title)),
            publisher=names_of(of(s, DCTERMS.publisher)),
            creator=names_of(of(s, DCTERMS.creator)),
            issued=_best(of(s, DCTERMS.issued)),
            graphs=tuple(sorted(g)),
        )
        for s, g in where.items()
    ]
    infos.sort(key=lambda i: (i.graphs, str(i.source)))
    return infos
