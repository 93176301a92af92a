"""The ontology's documentation: its classes and properties, with examples from the data.

Read from the ontology graph (``graph/ontology``): for each class of the ``cg:``
namespace its label, definition, scope note, superclasses and subclasses, and the
entities of the data typed with it; for each property its label, definition, kind
(object, datatype, annotation), domain, range, superproperties, inverse and property
chain, and statements of the data that use it. Also the axioms the ontology restates
from the vocabularies it reuses (ORG, FOAF, schema.org, ...), which the reasoner of
:mod:`clustergraph.pipeline.derive` relies on.

The ontology graph is read from the store in one query into a small in-memory
structure (:class:`OntologyTriples`); nothing else of the store is read here (the
examples come from the catalogue).

Terms of other vocabularies are shown as prefixed names; ``cg:`` terms link to their
entry (anchor ``term-<LocalName>``).

Examples
--------
>>> from clustergraph.network.index import GraphIndex
>>> from clustergraph.render.catalogue import Catalogue
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> store.replace_graphs({ONTOLOGY_GRAPH: f'''
...     <{CG.Cluster}> <{RDF.type}> <{OWL.Class}> .
...     <{CG.Cluster}> <{RDFS.label}> "cluster"@en .'''.encode()})
>>> index = GraphIndex.from_store(store)
>>> doc = ontology_doc(store, Catalogue.from_store(store, index))
>>> [(c.anchor, c.label) for c in doc.classes]
[('term-Cluster', 'cluster')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from clustergraph.project.layout import CG_NS, ONTOLOGY_GRAPH, is_derived_graph
from clustergraph.project.namespace import CG
from clustergraph.project.vocab import DCTERMS, OWL, RDF, RDFS, SKOS, VANN
from clustergraph.rdf.terms import Term
from clustergraph.render.catalogue import Catalogue, Link
from clustergraph.store.base import SelectResult, Store

__all__ = ["OntologyDoc", "OntologyTriples", "TermDoc", "ontology_doc"]

ONTOLOGY_IRI = CG_NS.rstrip("#")
"""The ontology's own IRI."""

_EXAMPLES = 6
_PROPERTY_KINDS = (
    (OWL.ObjectProperty, "object property"),
    (OWL.DatatypeProperty, "datatype property"),
    (OWL.AnnotationProperty, "annotation property"),
)

_ONTOLOGY = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"


class OntologyTriples:
    """The triples of the ontology graph, indexed by subject and by object.

    Examples
    --------
    >>> a, b = ox.NamedNode("urn:a"), ox.NamedNode("urn:b")
    >>> graph = OntologyTriples([ox.Triple(a, ox.NamedNode(RDFS.subClassOf), b)])
    >>> graph.objects(a, RDFS.subClassOf), graph.subjects(RDFS.subClassOf, b)
    ([<NamedNode value=urn:b>], [<NamedNode value=urn:a>])
    """

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.triples = sorted(
            set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
        )
        self._out: dict[tuple[Term, str], list[Term]] = defaultdict(list)
        self._in: dict[tuple[str, Term], list[Term]] = defaultdict(list)
        for triple in self.triples:
            s, o = triple.subject, triple.object
            if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):
                continue  # RDF-star: not in an ontology
            self._out[(s, triple.predicate.value)].append(o)
            self._in[(triple.predicate.value, o)].append(s)

    @classmethod
    def from_store(cls, store: Store) -> OntologyTriples:
        """Read the ontology graph of ``store``."""
        result = store.query(_ONTOLOGY)
        assert isinstance(result, SelectResult), "a SELECT query answers rows"
        return cls(
            ox.Triple(s, p, o)
            for s, p, o in result.rows
            if isinstance(s, ox.NamedNode | ox.BlankNode)
            and isinstance(p, ox.NamedNode)
            and o is not None
        )

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        """Return the objects of ``subject predicate ?o``."""
        return list(self._out.get((subject, predicate), ()))

    def subjects(self, predicate: str, obj: Term) -> list[Term]:
        """Return the subjects of ``?s predicate obj``."""
        return list(self._in.get((predicate, obj), ()))

    def value(self, subject: Term, predicate: str) -> Term | None:
        """Return one object of ``subject predicate ?o`` (the first by term), or ``None``."""
        found = sorted(self.objects(subject, predicate), key=str)
        return found[0] if found else None

    def items(self, head: Term) -> Iterator[Term]:
        """Yield the members of the RDF list starting at ``head``."""
        seen: set[Term] = set()
        node: Term | None = head
        while node is not None and node.value != RDF.nil and node not in seen:
            seen.add(node)
            first = self.value(node, RDF.first)
            if first is not None:
                yield first
            node = self.value(node, RDF.rest)


@dataclass(frozen=True)
class TermDoc:
    """One class or property of the ontology.

    ``examples`` are links to entities (classes) or statements ``(subject, object)``
    (properties); ``used`` how many entities or statements of the data there are in all.
    """

    iri: str
    name: str
    anchor: str
    label: str
    kind: str
    definition: str
    notes: tuple[str, ...]
    parents: tuple[Link, ...]
    children: tuple[Link, ...]
    domain: tuple[Link, ...]
    range: tuple[Link, ...]
    inverse: tuple[Link, ...]
    chain: tuple[Link, ...]
    examples: tuple[Link, ...]
    statements: tuple[tuple[Link, Link], ...]
    used: int


@dataclass(frozen=True)
class OntologyDoc:
    """The documentation of the ontology."""

    title: str
    description: str
    iri: str
    version: str
    license: str
    prefix: str
    namespace: str
    classes: tuple[TermDoc, ...]
    properties: tuple[TermDoc, ...]
    axioms: tuple[tuple[Link, Link, Link], ...]
    derived: tuple[tuple[str, int], ...]


def _text(graph: OntologyTriples, subject: Term, predicate: str) -> str:
    values = sorted(
        (o for o in graph.objects(subject, predicate) if isinstance(o, ox.Literal)),
        key=lambda o: (not (o.language or "en").startswith("en"), o.value),
    )
    return " ".join(values[0].value.split()) if values else ""


def _texts(graph: OntologyTriples, subject: Term, predicate: str) -> tuple[str, ...]:
    return tuple(
        sorted(
            " ".join(o.value.split())
            for o in graph.objects(subject, predicate)
            if isinstance(o, ox.Literal)
        )
    )


def _links(catalogue: Catalogue, nodes: Iterable[Term]) -> tuple[Link, ...]:
    found = [catalogue.term(n.value) for n in nodes if isinstance(n, ox.NamedNode)]
    return tuple(sorted(set(found), key=lambda link: link.title))


def ontology_doc(
    store: Store | OntologyTriples,
    catalogue: Catalogue,
    *,
    derived: Iterable[tuple[str, int]] = (),
) -> OntologyDoc:
    """Document the ontology graph of ``store``, with examples from ``catalogue``.

    Parameters
    ----------
    store
        The store holding the ontology graph (or that graph, already read).
    catalogue
        The catalogue of the data (for examples and links).
    derived
        Derived triples per predicate (prefixed name, count), most first.

    Returns
    -------
    OntologyDoc
        Classes and properties of ``cg:`` sorted by local name, and the restated axioms.
    """
    graph = store if isinstance(store, OntologyTriples) else OntologyTriples.from_store(store)
    members: dict[str, list[str]] = defaultdict(list)
    for entity in catalogue.entities:
        for cls in catalogue.types.get(entity, ()):
            members[cls].append(entity)
    usage: dict[str, list[tuple[str, Term]]] = defaultdict(list)
    for subject, predicates in catalogue.out.items():
        for (predicate, obj), graphs in predicates.items():
            if any(not is_derived_graph(g) for g in graphs):
                usage[predicate].append((subject, obj))
    owl_class = ox.NamedNode(OWL.Class)
    classes = []
    for node in sorted(
        (s for s in graph.subjects(RDF.type, owl_class) if isinstance(s, ox.NamedNode)),
        key=lambda s: s.value,
    ):
        if node.value not in CG:
            continue
        typed = sorted(members.get(node.value, ()), key=lambda e: catalogue.label(e).casefold())
        classes.append(
            TermDoc(
                iri=node.value,
                name=catalogue.name(node.value),
                anchor=_anchor(node.value),
                label=_text(graph, node, RDFS.label) or catalogue.name(node.value),
                kind="class",
                definition=_text(graph, node, SKOS.definition) or _text(graph, node, RDFS.comment),
                notes=_texts(graph, node, SKOS.scopeNote) + _texts(graph, node, SKOS.example),
                parents=_links(catalogue, graph.objects(node, RDFS.subClassOf)),
                children=_links(catalogue, graph.subjects(RDFS.subClassOf, node)),
                domain=(),
                range=(),
                inverse=_links(catalogue, graph.objects(node, OWL.equivalentClass)),
                chain=(),
                examples=tuple(catalogue.link(e) for e in typed[:_EXAMPLES]),
                statements=(),
                used=len(typed),
            )
        )
    properties = []
    seen: set[str] = set()
    for kind_iri, kind in _PROPERTY_KINDS:
        declared = graph.subjects(RDF.type, ox.NamedNode(kind_iri))
        for prop in sorted(
            (s for s in declared if isinstance(s, ox.NamedNode)), key=lambda s: s.value
        ):
            if prop.value not in CG or prop.value in seen:
                continue
            seen.add(prop.value)
            uses = sorted(usage.get(prop.value, ()), key=lambda so: (so[0], str(so[1])))
            inverse = [*graph.objects(prop, OWL.inverseOf), *graph.subjects(OWL.inverseOf, prop)]
            chain: list[Term | tuple[Term]] = []
            for head in graph.objects(prop, OWL.propertyChainAxiom):
                chain.extend(_chain(graph, head))
            properties.append(
                TermDoc(
                    iri=prop.value,
                    name=catalogue.name(prop.value),
                    anchor=_anchor(prop.value),
                    label=_text(graph, prop, RDFS.label) or catalogue.name(prop.value),
                    kind=kind,
                    definition=_text(graph, prop, SKOS.definition)
                    or _text(graph, prop, RDFS.comment),
                    notes=_texts(graph, prop, SKOS.scopeNote) + _texts(graph, prop, SKOS.example),
                    parents=_links(catalogue, graph.objects(prop, RDFS.subPropertyOf)),
                    children=_links(catalogue, graph.subjects(RDFS.subPropertyOf, prop)),
                    domain=_links(catalogue, graph.objects(prop, RDFS.domain)),
                    range=_links(catalogue, graph.objects(prop, RDFS.range)),
                    inverse=_links(catalogue, inverse),
                    chain=tuple(
                        Link(_step_name(catalogue, n))
                        if isinstance(n, tuple)
                        else catalogue.term(n.value)
                        for n in chain
                    ),
                    examples=(),
                    statements=tuple((catalogue.link(s), catalogue.value(o)) for s, o in uses[:3]),
                    used=len(uses),
                )
            )
    properties.sort(key=lambda t: t.name.casefold())
    axioms = []
    for triple in graph.triples:
        s, p, o = triple.subject, triple.predicate, triple.object
        if isinstance(s, ox.NamedNode) and s.value not in CG and s.value != ONTOLOGY_IRI:
            if s.value.startswith(CG_NS):
                continue
            if isinstance(o, ox.NamedNode):
                axioms.append(
                    (catalogue.term(s.value), catalogue.term(p.value), catalogue.term(o.value))
                )
            elif isinstance(o, ox.BlankNode) and p.value == OWL.propertyChainAxiom:
                steps = ", ".join(_step_name(catalogue, n) for n in _chain(graph, o))
                axioms.append(
                    (catalogue.term(s.value), catalogue.term(p.value), Link(f"( {steps} )"))
                )
    ontology = ox.NamedNode(ONTOLOGY_IRI)
    license_node = graph.value(ontology, DCTERMS.license)
    return OntologyDoc(
        title=_text(graph, ontology, DCTERMS.title) or "clustergraph ontology",
        description=_text(graph, ontology, DCTERMS.description),
        iri=ONTOLOGY_IRI,
        version=_text(graph, ontology, OWL.versionInfo),
        license=license_node.value if license_node is not None else "",
        prefix=_text(graph, ontology, VANN.preferredNamespacePrefix) or "cg",
        namespace=_text(graph, ontology, VANN.preferredNamespaceUri) or CG_NS,
        classes=tuple(classes),
        properties=tuple(properties),
        axioms=tuple(axioms),
        derived=tuple(derived),
    )


def _chain(graph: OntologyTriples, head: Term) -> list[Term | tuple[Term]]:
    """Return the steps of a property chain; an inverse step is ``(property,)``."""
    steps: list[Term | tuple[Term]] = []
    for step in graph.items(head):
        inverse = graph.value(step, OWL.inverseOf) if isinstance(step, ox.BlankNode) else None
        steps.append((inverse,) if inverse is not None else step)
    return steps


def _step_name(catalogue: Catalogue, step: Term | tuple[Term]) -> str:
    if isinstance(step, tuple):
        return f"inverse of {catalogue.name(step[0].value)}"
    return catalogue.name(step.value)


def _anchor(iri: str) -> str:
    return "term-" + iri[len(CG_NS) :]
