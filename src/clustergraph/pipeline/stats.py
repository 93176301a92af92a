"""Counts over the dataset: triples per graph, entities per class, and the sources.

Examples
--------
>>> from rdflib import Dataset
>>> ds = Dataset(default_union=True)
>>> _ = ds.graph("https://w3id.org/clustergraph/graph/source/x").parse(format="turtle", data='''
...     @prefix cg: <https://w3id.org/clustergraph/ontology#> .
...     @prefix dcterms: <http://purl.org/dc/terms/> .
...     <https://w3id.org/clustergraph/id/source/x> a cg:Source ; dcterms:title "X" .''')
>>> s = stats(ds)
>>> s.total_triples, [(c.name, c.entities) for c in s.classes], s.sources[0].title
(2, [('cg:Source', 1)], 'X')
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from clustergraph.errors import LayoutError
from clustergraph.pipeline.load import named_graphs, union_graph
from clustergraph.project.layout import ONTOLOGY_GRAPH, file_for_graph
from clustergraph.project.namespace import CG
from clustergraph.project.prefixes import compact, prefix_map

# Where a source has no value for a property, these are looked at next.
_FALLBACKS: Mapping[URIRef, tuple[URIRef, ...]] = {DCTERMS.publisher: (CG.firstPublishedBy,)}

_LABELS = (RDFS.label, SKOS.prefLabel, FOAF.name, URIRef("https://schema.org/name"), DCTERMS.title)


@dataclass(frozen=True)
class GraphCount:
    """Number of triples in one named graph and the file it comes from."""

    graph: URIRef
    file: str
    triples: int


@dataclass(frozen=True)
class ClassCount:
    """Number of distinct subjects typed with a class in the data graphs."""

    cls: URIRef
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

    source: Node
    title: str | None
    publisher: str | None
    creator: str | None
    issued: str | None
    graphs: tuple[URIRef, ...]


@dataclass(frozen=True)
class Stats:
    """Outcome of :func:`stats`; :meth:`format` renders it as plain text tables."""

    graphs: tuple[GraphCount, ...]
    classes: tuple[ClassCount, ...]
    sources: tuple[SourceInfo, ...]
    prefixes: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def total_triples(self) -> int:
        """Sum of the triples of all named graphs."""
        return sum(g.triples for g in self.graphs)

    def format(self) -> str:
        """Return the three tables (graphs, entities per class, sources) as text."""
        prefixes = dict(self.prefixes)
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


def _best(literals: Iterable[Node]) -> str | None:
    """Return the English (else untagged, else any) literal, whitespace collapsed."""
    found = sorted(
        (lit for lit in literals if isinstance(lit, Literal)),
        key=lambda lit: (lit.language != "en", lit.language is not None, str(lit)),
    )
    return " ".join(str(found[0]).split()) if found else None


def _name(graph: Graph, node: Node, prefixes: Mapping[str, str]) -> str:
    """Return a literal as text, or the label of a resource, or its prefixed name."""
    if isinstance(node, Literal):
        return " ".join(str(node).split())
    for prop in _LABELS:
        label = _best(graph.objects(node, prop))
        if label is not None:
            return label
    return compact(node, prefixes)


def _names(graph: Graph, nodes: Iterable[Node], prefixes: Mapping[str, str]) -> str | None:
    names = sorted({_name(graph, n, prefixes) for n in nodes})
    return "; ".join(names) if names else None


def _values(graph: Graph, subject: Node, prop: URIRef) -> list[Node]:
    """Return the values of ``prop`` or its sub-properties, else of its fallbacks."""
    for candidate in (prop, *_FALLBACKS.get(prop, ())):
        props = {p for p in graph.transitive_subjects(RDFS.subPropertyOf, candidate) if p}
        values = [o for p in sorted(props, key=str) for o in graph.objects(subject, p)]
        if values:
            return values
    return []


def stats(dataset: Dataset) -> Stats:
    """Count triples per named graph, entities per class and list the sources.

    Parameters
    ----------
    dataset
        The dataset (see :func:`clustergraph.pipeline.load.load`). Entities and sources are
        taken from the data graphs only (all but the ontology graph); the ontology
        graph, if present, supplies subclasses of ``cg:Source`` and sub-properties.

    Returns
    -------
    Stats
        The counts, sorted (graphs by IRI, classes by count then name).
    """
    prefixes = prefix_map(dataset)
    graphs: list[GraphCount] = []
    data: list[Graph] = []
    members: dict[URIRef, set[Node]] = {}
    for graph in named_graphs(dataset):
        iri = URIRef(str(graph.identifier))
        try:
            file = file_for_graph(iri)
        except LayoutError:
            file = "-"
        graphs.append(GraphCount(graph=iri, file=file, triples=len(graph)))
        if iri == ONTOLOGY_GRAPH:
            continue
        data.append(graph)
        for subject, cls in graph.subject_objects(RDF.type):
            if isinstance(cls, URIRef):
                members.setdefault(cls, set()).add(subject)
    classes = sorted(
        (ClassCount(cls=c, name=compact(c, prefixes), entities=len(s)) for c, s in members.items()),
        key=lambda c: (-c.entities, c.name),
    )
    union = union_graph(dataset)  # querying the Dataset itself warns in rdflib 7.6
    source_classes = set(union.transitive_subjects(RDFS.subClassOf, CG.Source))
    sources: dict[Node, list[URIRef]] = {}
    for graph in data:
        for source_class in source_classes:
            for subject in graph.subjects(RDF.type, source_class):
                where = sources.setdefault(subject, [])
                if graph.identifier not in where:
                    where.append(URIRef(str(graph.identifier)))
    infos = [
        SourceInfo(
            source=s,
            title=_best(_values(union, s, DCTERMS.title)),
            publisher=_names(union, _values(union, s, DCTERMS.publisher), prefixes),
            creator=_names(union, _values(union, s, DCTERMS.creator), prefixes),
            issued=_best(_values(union, s, DCTERMS.issued)),
            graphs=tuple(sorted(g)),
        )
        for s, g in sources.items()
    ]
    infos.sort(key=lambda i: (i.graphs, str(i.source)))
    return Stats(
        graphs=tuple(graphs),
        classes=tuple(classes),
        sources=tuple(infos),
        prefixes=tuple(sorted(prefixes.items())),
    )
