"""The ontology's documentation: its classes and properties, with examples from the data.

Read from the ontology graph (``graph/ontology``): for each class of the ``cg:``
namespace its label, definition, scope note, superclasses and subclasses, and the
entities of the data typed with it; for each property its label, definition, kind
(object, datatype, annotation), domain, range, superproperties, inverse and property
chain, and statements of the data that use it. Also the axioms the ontology restates
from the vocabularies it reuses (ORG, FOAF, schema.org, ...), which the reasoner of
:mod:`clustergraph.pipeline.derive` relies on.

Terms of other vocabularies are shown as prefixed names; ``cg:`` terms link to their
entry (anchor ``term-<LocalName>``).

Examples
--------
>>> from rdflib import Dataset
>>> from clustergraph.network.projections import GraphIndex
>>> from clustergraph.render.catalogue import Catalogue
>>> ds = Dataset(default_union=True)
>>> _ = ds.graph(str(ONTOLOGY_GRAPH)).parse(format="turtle", data='''
...     @prefix cg: <https://w3id.org/clustergraph/ontology#> .
...     @prefix owl: <http://www.w3.org/2002/07/owl#> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...     cg:Cluster a owl:Class ; rdfs:label "cluster"@en .''')
>>> doc = ontology_doc(ds, Catalogue(ds, GraphIndex(ds)))
>>> [(c.anchor, c.label) for c in doc.classes]
[('term-Cluster', 'cluster')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VANN
from rdflib.term import Node

from clustergraph.pipeline.derive import INFERRED_GRAPH
from clustergraph.project.layout import CG_NS, ONTOLOGY_GRAPH
from clustergraph.render.catalogue import Catalogue, Link

__all__ = ["OntologyDoc", "TermDoc", "ontology_doc"]

ONTOLOGY_IRI = URIRef("https://w3id.org/clustergraph/ontology")
_EXAMPLES = 6
_PROPERTY_KINDS = (
    (OWL.ObjectProperty, "object property"),
    (OWL.DatatypeProperty, "datatype property"),
    (OWL.AnnotationProperty, "annotation property"),
)


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


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str:
    values = sorted(
        (o for o in graph.objects(subject, predicate) if isinstance(o, Literal)),
        key=lambda o: (not (o.language or "en").startswith("en"), str(o)),
    )
    return " ".join(str(values[0]).split()) if values else ""


def _texts(graph: Graph, subject: Node, predicate: URIRef) -> tuple[str, ...]:
    return tuple(
        sorted(
            " ".join(str(o).split())
            for o in graph.objects(subject, predicate)
            if isinstance(o, Literal)
        )
    )


def _links(catalogue: Catalogue, nodes: Iterable[Node]) -> tuple[Link, ...]:
    found = [catalogue.term(str(n)) for n in nodes if isinstance(n, URIRef)]
    return tuple(sorted(set(found), key=lambda link: link.title))


def ontology_doc(
    dataset: Dataset, catalogue: Catalogue, *, derived: Iterable[tuple[str, int]] = ()
) -> OntologyDoc:
    """Document the ontology graph of ``dataset``, with examples from ``catalogue``.

    Parameters
    ----------
    dataset
        The dataset holding the ontology graph.
    catalogue
        The catalogue of the data (for examples and links).
    derived
        Derived triples per predicate (see :class:`clustergraph.pipeline.derive.Derivation`).

    Returns
    -------
    OntologyDoc
        Classes and properties of ``cg:`` sorted by local name, and the restated axioms.
    """
    graph = dataset.graph(ONTOLOGY_GRAPH)
    members: dict[str, list[str]] = defaultdict(list)
    for entity in catalogue.entities:
        for cls in catalogue.types.get(entity, ()):
            members[cls].append(entity)
    usage: dict[str, list[tuple[str, Node]]] = defaultdict(list)
    for subject, predicates in catalogue.out.items():
        for (predicate, obj), graphs in predicates.items():
            if graphs != {str(INFERRED_GRAPH)}:
                usage[predicate].append((subject, obj))
    classes = []
    for cls in sorted({s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}):
        if not str(cls).startswith(CG_NS):
            continue
        typed = sorted(members.get(str(cls), ()), key=lambda e: catalogue.label(e).casefold())
        classes.append(
            TermDoc(
                iri=str(cls),
                name=catalogue.name(str(cls)),
                anchor=_anchor(str(cls)),
                label=_text(graph, cls, RDFS.label) or catalogue.name(str(cls)),
                kind="class",
                definition=_text(graph, cls, SKOS.definition) or _text(graph, cls, RDFS.comment),
                notes=_texts(graph, cls, SKOS.scopeNote) + _texts(graph, cls, SKOS.example),
                parents=_links(catalogue, graph.objects(cls, RDFS.subClassOf)),
                children=_links(catalogue, graph.subjects(RDFS.subClassOf, cls)),
                domain=(),
                range=(),
                inverse=_links(catalogue, graph.objects(cls, OWL.equivalentClass)),
                chain=(),
                examples=tuple(catalogue.link(e) for e in typed[:_EXAMPLES]),
                statements=(),
                used=len(typed),
            )
        )
    properties = []
    seen: set[URIRef] = set()
    for kind_iri, kind in _PROPERTY_KINDS:
        for prop in sorted(s for s in graph.subjects(RDF.type, kind_iri) if isinstance(s, URIRef)):
            if not str(prop).startswith(CG_NS) or prop in seen:
                continue
            seen.add(prop)
            uses = sorted(usage.get(str(prop), ()), key=lambda so: (so[0], str(so[1])))
            inverse = [*graph.objects(prop, OWL.inverseOf), *graph.subjects(OWL.inverseOf, prop)]
            chain: list[Node] = []
            for head in graph.objects(prop, OWL.propertyChainAxiom):
                chain.extend(_chain(graph, head))
            properties.append(
                TermDoc(
                    iri=str(prop),
                    name=catalogue.name(str(prop)),
                    anchor=_anchor(str(prop)),
                    label=_text(graph, prop, RDFS.label) or catalogue.name(str(prop)),
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
                        else catalogue.term(str(n))
                        for n in chain
                    ),
                    examples=(),
                    statements=tuple((catalogue.link(s), catalogue.value(o)) for s, o in uses[:3]),
                    used=len(uses),
                )
            )
    properties.sort(key=lambda t: t.name.casefold())
    axioms = []
    for s, p, o in sorted(graph, key=lambda t: tuple(str(x) for x in t)):
        if isinstance(s, URIRef) and not str(s).startswith(CG_NS) and s != ONTOLOGY_IRI:
            if isinstance(o, URIRef):
                axioms.append(
                    (catalogue.term(str(s)), catalogue.term(str(p)), catalogue.term(str(o)))
                )
            elif isinstance(o, BNode) and p == OWL.propertyChainAxiom:
                steps = ", ".join(_step_name(catalogue, n) for n in _chain(graph, o))
                axioms.append(
                    (catalogue.term(str(s)), catalogue.term(str(p)), Link(f"( {steps} )"))
                )
    ontology = ONTOLOGY_IRI
    return OntologyDoc(
        title=_text(graph, ontology, DCTERMS.title) or "clustergraph ontology",
        description=_text(graph, ontology, DCTERMS.description),
        iri=str(ontology),
        version=_text(graph, ontology, OWL.versionInfo),
        license=str(graph.value(ontology, DCTERMS.license) or ""),
        prefix=_text(graph, ontology, VANN.preferredNamespacePrefix) or "cg",
        namespace=_text(graph, ontology, VANN.preferredNamespaceUri) or CG_NS,
        classes=tuple(classes),
        properties=tuple(properties),
        axioms=tuple(axioms),
        derived=tuple(derived),
    )


def _chain(graph: Graph, head: Node) -> list[Node]:
    """Return the steps of a property chain; an inverse step is ``(property,)``."""
    steps: list[Node] = []
    for step in Collection(graph, head):
        inverse = graph.value(step, OWL.inverseOf) if isinstance(step, BNode) else None
        steps.append((inverse,) if inverse is not None else step)  # type: ignore[arg-type]
    return steps


def _step_name(catalogue: Catalogue, step: object) -> str:
    if isinstance(step, tuple):
        return f"inverse of {catalogue.name(str(step[0]))}"
    return catalogue.name(str(step))


def _anchor(iri: str) -> str:
    return "term-" + iri[len(CG_NS) :]
