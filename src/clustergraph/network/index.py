"""What the projections need from the store, read once by SPARQL: :class:`GraphIndex`.

:meth:`GraphIndex.from_store` asks the store a handful of SELECT queries (it works the
same on the embedded Oxigraph store and on a remote SPARQL endpoint) and keeps the
answers in dictionaries keyed by IRI strings:

=====================  ===========================================================
what                   read from
=====================  ===========================================================
types                  ``rdf:type`` in the data and vocabulary graphs
links                  statements between two IRIs (``rdf:type`` aside) of the data
                       graphs, with the graphs stating them
literals               literal statements of the data graphs, with their graphs
labels                 ``skos:prefLabel``, ``foaf:name``, ``rdfs:label``,
                       ``schema:name``, ``dcterms:title`` of data and vocabulary
                       graphs (English first)
classes                ``rdfs:subClassOf``, ``rdfs:label`` and ``owl:Class`` of the
                       ontology graph
source titles          ``<graph> prov:wasDerivedFrom <article>`` in each data graph,
                       titled by the article's ``dcterms:title``
derived links          statements between two IRIs of the derived graphs
                       (``graph/derived/...``), with the stated graphs each derived
                       graph follows from (its own ``prov:wasDerivedFrom``)
=====================  ===========================================================

**Other publishers' IRIs.** An IRI a data graph says is ``owl:sameAs`` an entity of the
project (under ``id/``) is merged into it: its types, links, names and facts are read as
the project entity's, whose IRI stays the canonical one (:attr:`GraphIndex.same_as`), so
projections, views and pages show one entity, not two. Two of the project's own IRIs
joined by ``owl:sameAs`` are merged the same way, into the subject of the statement
(:mod:`clustergraph.queries.same_as`; ``check`` warns of them). Names are read from
``skos:prefLabel``, ``foaf:name``, ``rdfs:label``, ``schema:name`` and ``dcterms:title``,
tagged or not, so data written by others is labelled wherever it is shown.

The *data graphs* are every named graph of the store but the ontology, the vocabularies
(``graph/vocab/...``), the derived graphs and the manifest: the sources, one per
article. Vocabularies and the ontology give labels, classes and the class hierarchy
only.

**Stated and derived.** The projections are built from the stated links only
(:meth:`GraphIndex.neighbours`): the networks join actors through the mediator nodes
the articles state (a membership, a post), and the shortcut triples derived from
those mediators (``org:memberOf``, ``cg:holdsPostIn``, ...) would only repeat those
edges. The derived links are kept for what is looked up by statement
(:meth:`GraphIndex.statement`, :meth:`GraphIndex.statements_between`): the graph of a
CONSTRUCT query that returns a derived ``org:memberOf`` shows it with the article(s)
it follows from, marked as derived (:attr:`Statement.derived_from`).

Examples
--------
>>> import pyoxigraph as ox
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> store.replace_graphs({
...     "https://w3id.org/clustergraph/graph/source/a": b'''
...     <https://w3id.org/clustergraph/id/org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#FormalOrganization> .
...     <https://w3id.org/clustergraph/id/org/a> <http://www.w3.org/2004/02/skos/core#prefLabel> "A"@en .
...     <https://w3id.org/clustergraph/id/org/a> <http://www.w3.org/ns/org#hasUnit> <https://w3id.org/clustergraph/id/org/b> .''',
...     "https://w3id.org/clustergraph/graph/derived/source/a": b'''
...     <https://w3id.org/clustergraph/id/org/b> <http://www.w3.org/ns/org#unitOf> <https://w3id.org/clustergraph/id/org/a> .
...     <https://w3id.org/clustergraph/graph/derived/source/a> <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/clustergraph/graph/source/a> .''',
... })
>>> index = GraphIndex.from_store(store)
>>> index.label("https://w3id.org/clustergraph/id/org/a"), index.entities()
('A', ['https://w3id.org/clustergraph/id/org/a'])
>>> stated = index.statement("https://w3id.org/clustergraph/id/org/a", ORG.hasUnit,
...                          "https://w3id.org/clustergraph/id/org/b")
>>> stated.graphs, stated.derived
(('https://w3id.org/clustergraph/graph/source/a',), False)
>>> derived = index.statement("https://w3id.org/clustergraph/id/org/b", ORG.unitOf,
...                           "https://w3id.org/clustergraph/id/org/a")
>>> derived.graphs, derived.derived_from, derived.derived
((), ('https://w3id.org/clustergraph/graph/source/a',), True)
"""  # noqa: E501

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyoxigraph as ox

from clustergraph.errors import InputError
from clustergraph.project.layout import (
    ID_NS,
    MANIFEST_GRAPH,
    ONTOLOGY_GRAPH,
    VOCAB_GRAPHS,
    is_derived_graph,
    stated_graph,
)
from clustergraph.project.namespace import CG
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.project.vocab import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    ROV,
    SCHEMA,
    SKOS,
    TIME,
)
from clustergraph.queries.same_as import merge as merge_same_as
from clustergraph.queries.suggest import close_names
from clustergraph.store.base import SelectResult, Store

_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")  # \- in a prefixed name is -

__all__ = ["GraphIndex", "PublishedFact", "Statement", "one_line"]

_HIDDEN_CLASSES = (CG.Figure, CG.Source, CG.SourceGraph, SKOS.Concept)

# Classes known to be organisations even without the ontology graph loaded.
_BUILTIN_SUPERCLASSES: Mapping[str, tuple[str, ...]] = {
    ORG.FormalOrganization: (ORG.Organization,),
    ORG.OrganizationalUnit: (ORG.Organization,),
    ORG.OrganizationalCollaboration: (ORG.Organization,),
    ROV.RegisteredOrganization: (ORG.FormalOrganization,),
    SCHEMA.Person: (FOAF.Person,),
    ORG.Membership: (),
}

# When a node has several equally specific classes, the first of these wins.
_PREFERRED_CLASSES = (CG.ClusterAlliance, CG.ClusterNetwork, CG.Cluster)

LABEL_PROPERTIES: tuple[str, ...] = (
    SKOS.prefLabel,
    FOAF.name,
    RDFS.label,
    SCHEMA.name,
    DCTERMS.title,
)
"""Literal properties that name a resource, the first preferred."""

# Literal properties that are names or prose, not key facts.
_NOT_FACTS = frozenset(
    {
        *LABEL_PROPERTIES,
        FOAF.givenName,
        FOAF.familyName,
        SKOS.altLabel,
        SKOS.note,
        SKOS.editorialNote,
        SKOS.scopeNote,
        SKOS.definition,
        DCTERMS.description,
        CG.aim,
        CG.activity,
        CG.mission,
        CG.composition,
        CG.inferenceNote,
        CG.seedFile,
    }
)
_MAX_FACT_LENGTH = 120
_MAX_FACTS = 16
_MAX_ALIASES = 4

# -- the queries ---------------------------------------------------------------------------

_TYPES = f"""SELECT ?g ?s ?c WHERE {{
  GRAPH ?g {{ ?s <{RDF.type}> ?c }}
  FILTER(isIRI(?s) && isIRI(?c))
}}"""

_LINKS = f"""SELECT ?g ?s ?p ?o WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(isIRI(?s) && isIRI(?o) && ?p != <{RDF.type}>)
}}"""

_LITERALS = """SELECT ?g ?s ?p ?o WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(isIRI(?s) && isLiteral(?o))
}"""

_LABELS = f"""SELECT ?g ?s ?p ?o WHERE {{
  VALUES ?p {{ {" ".join(f"<{p}>" for p in LABEL_PROPERTIES)} }}
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(isIRI(?s) && isLiteral(?o))
}}"""

_ONTOLOGY = f"""SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ <{RDFS.subClassOf}> <{RDFS.label}> <{RDF.type}> }}
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }}
  FILTER(isIRI(?s))
}}"""

_SAME_AS = f"""SELECT ?g ?a ?b WHERE {{
  GRAPH ?g {{ ?a <{OWL.sameAs}> ?b }}
  FILTER(isIRI(?a) && isIRI(?b))
}}"""

_SOURCES = f"""SELECT ?g ?source WHERE {{
  GRAPH ?g {{ ?g <{PROV.wasDerivedFrom}> ?source }}
  FILTER(isIRI(?source))
}}"""


@dataclass(frozen=True, order=True)
class Statement:
    """One RDF statement between two resources and the named graphs behind it.

    Attributes
    ----------
    subject, predicate, object
        The IRIs of the triple.
    graphs
        The named graphs stating the triple, sorted.
    derived_from
        The stated graphs from which a derived graph holding the triple was derived,
        sorted (empty if no derived graph holds it).

    Examples
    --------
    >>> s = Statement("urn:a", ORG.memberOf, "urn:b", (), ("urn:g",))
    >>> s.derived, s.sources, s.text({"org": str(ORG)})
    (True, ('urn:g',), '<urn:a> org:memberOf <urn:b> .')
    """

    subject: str
    predicate: str
    object: str
    graphs: tuple[str, ...]
    derived_from: tuple[str, ...] = ()

    @property
    def derived(self) -> bool:
        """Whether the triple is only derived: no graph states it."""
        return not self.graphs and bool(self.derived_from)

    @property
    def sources(self) -> tuple[str, ...]:
        """The graphs stating it, or from which it was derived, sorted."""
        return tuple(sorted({*self.graphs, *self.derived_from}))

    def text(self, prefixes: Mapping[str, str]) -> str:
        """Return the triple in Turtle-like form with prefixed names.

        Examples
        --------
        >>> from clustergraph.project.prefixes import DEFAULT_PREFIXES
        >>> Statement("urn:a", RDFS.seeAlso, "urn:b", ()).text(DEFAULT_PREFIXES)
        '<urn:a> rdfs:seeAlso <urn:b> .'
        """
        return (
            f"{compact(self.subject, prefixes)} {compact(self.predicate, prefixes)} "
            f"{compact(self.object, prefixes)} ."
        )


@dataclass(frozen=True)
class PublishedFact:
    """A stated fact about an entity, with where it comes from (:meth:`GraphIndex.published_facts`).

    Attributes
    ----------
    predicate
        The property.
    value
        The value: an IRI (``iri`` true) or a literal's text.
    iri
        Whether ``value`` is an IRI.
    graph
        The named graph stating it.
    source
        The article (or dataset) that graph comes from, if it says.
    publisher
        That article's publisher, if it says.
    """

    predicate: str
    value: str
    iri: bool
    graph: str
    source: str | None
    publisher: str | None


def lang_rank(literal: ox.Literal) -> tuple[int, str]:
    """Sort key preferring English, then no language, then Lithuanian, then others.

    Examples
    --------
    >>> sorted(["lt", "en", None, "de"], key=lambda t: lang_rank(ox.Literal("x", language=t)))
    ['en', None, 'lt', 'de']
    """
    lang = (literal.language or "").lower()
    rank = 0 if lang.startswith("en") else 1 if not lang else 2 if lang == "lt" else 3
    return rank, lang


def one_line(text: str) -> str:
    """Collapse runs of whitespace (line breaks too) into single spaces."""
    return " ".join(text.split())


def _rows(store: Store, text: str, graphs: Sequence[str] | None) -> Iterator[tuple[Any, ...]]:
    """Run a SELECT query; ``graphs`` (if given) are the only graphs it sees."""
    if graphs is not None and not graphs:
        return
    result = store.query(text, graphs=graphs)
    assert isinstance(result, SelectResult), "a SELECT query answers rows"
    yield from result.rows


class GraphIndex:
    """What the projections need from the store, read once (see the module docstring).

    Build it with :meth:`from_store`; the constructor makes an empty index. Answers
    (labels, classes, entities, node attributes) are cached as they are asked for, so
    an index is not to be changed once used.

    Parameters
    ----------
    prefixes
        Prefixes for showing IRIs (default: every prefix the project knows).

    Attributes
    ----------
    links
        ``(subject, predicate, object)`` to the data graphs stating it.
    derived_links
        ``(subject, predicate, object)`` to the derived graphs holding it.
    derived_sources
        Derived graph to the stated graphs it follows from.
    types
        Node to its classes (data and vocabulary graphs).
    typed_in_data
        Nodes typed in a data graph.
    described_in
        Node to the data graphs in which it is a subject.
    literals
        Node to ``(predicate, literal, graph)`` of the data graphs.
    class_labels, ontology_classes, source_titles
        Labels of classes, the classes of the ontology, article title per data graph.
    same_as
        Each IRI merged into another by ``owl:sameAs`` -> the IRI it is merged into:
        another publisher's IRI, or one of two project IRIs (the object of
        ``o:a owl:sameAs o:b``), see :mod:`clustergraph.queries.same_as`. The site and
        the views show the canonical IRI's entity for every IRI merged into it.
    as_of
        The day an index made by :func:`clustergraph.network.timeline.as_of` holds the
        facts of (``None``: every time).
    not_stated, not_stated_facts
        In such an index, the nodes kept whose period is not stated on that day, and
        those of them that are facts (memberships, posts, awards, ...), not actors.
    """

    def __init__(self, prefixes: Mapping[str, str] | None = None) -> None:
        self.prefixes: dict[str, str] = dict(prefixes if prefixes is not None else PREFIXES)
        self.links: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self.derived_links: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self.derived_sources: dict[str, tuple[str, ...]] = {}
        self.types: dict[str, set[str]] = defaultdict(set)
        self.typed_in_data: set[str] = set()
        self.described_in: dict[str, set[str]] = defaultdict(set)
        self.literals: dict[str, list[tuple[str, ox.Literal, str]]] = defaultdict(list)
        self.class_labels: dict[str, str] = {}
        self.ontology_classes: set[str] = set()
        self.source_titles: dict[str, str] = {}
        self.graph_sources: dict[str, str] = {}
        self.same_as: dict[str, str] = {}
        self.as_of: date | None = None
        self.not_stated: frozenset[str] = frozenset()
        self.not_stated_facts: frozenset[str] = frozenset()
        self._label_candidates: dict[str, list[tuple[int, tuple[int, str], str]]] = defaultdict(
            list
        )
        self._superclasses: dict[str, set[str]] = defaultdict(set)
        for cls, supers in _BUILTIN_SUPERCLASSES.items():
            self._superclasses[cls].update(supers)
        self._out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._in: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._derived_out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._derived_in: dict[str, list[tuple[str, str]]] = defaultdict(list)
        # Caches, filled on first use: an index is not changed once read.
        self._ancestors: dict[str, frozenset[str]] = {}
        self._labels: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._primary: dict[str, str | None] = {}
        self._attributes: dict[str, dict[str, Any]] = {}
        self._entities: list[str] | None = None

    # -- reading ----------------------------------------------------------------------

    @classmethod
    def from_store(cls, store: Store, *, graphs: Iterable[str] | None = None) -> GraphIndex:
        """Read the index from ``store`` with a few SELECT queries.

        Parameters
        ----------
        store
            The store (embedded or remote).
        graphs
            The named graphs to read (default: every graph of the store). Give the
            stated graphs only (:func:`clustergraph.pipeline.load.stated_graphs`) to
            leave the derived facts out.

        Returns
        -------
        GraphIndex
            The index; the projections of :mod:`clustergraph.network.projections` take it.

        Raises
        ------
        QueryError, StoreError
            If the store fails.
        """
        index = cls()
        names = sorted(set(graphs)) if graphs is not None else store.graphs()
        ontology = [g for g in names if g == ONTOLOGY_GRAPH]
        vocab = [g for g in names if g.startswith(VOCAB_GRAPHS)]
        derived = [g for g in names if is_derived_graph(g)]
        data = [
            g
            for g in names
            if g not in (ONTOLOGY_GRAPH, MANIFEST_GRAPH)
            and not g.startswith(VOCAB_GRAPHS)
            and not is_derived_graph(g)
        ]
        # With no choice of graphs, every query sees the whole store and each row is
        # kept or left by its graph; a choice is passed on to the store.
        scope = None if graphs is None else names
        data_set, vocab_set, derived_set = set(data), set(vocab), set(derived)
        if ontology:
            index._read_ontology(_rows(store, _ONTOLOGY, None))
        index.same_as = merge_same_as(
            (a.value, b.value) for g, a, b in _rows(store, _SAME_AS, scope) if g.value in data_set
        )
        same = index.same_as.get
        for g, s, c in _rows(store, _TYPES, scope):
            graph = g.value
            subject = same(s.value, s.value)
            if graph in data_set:
                index.types[subject].add(c.value)
                index.typed_in_data.add(subject)
            elif graph in vocab_set:
                index.types[subject].add(c.value)
        for g, source in _rows(store, _SOURCES, scope):
            if g.value in data_set:
                index.graph_sources[g.value] = source.value
        for g, s, p, o in _rows(store, _LINKS, scope):
            graph = g.value
            triple = (same(s.value, s.value), p.value, same(o.value, o.value))
            if triple[1] == OWL.sameAs and triple[0] == triple[2]:
                continue  # merged: one entity
            if graph in data_set:
                if triple[1] == PROV.wasDerivedFrom and triple[0] == graph:
                    continue  # the graph's own provenance, not a link of the data
                index.links[triple].add(graph)
                index.described_in[triple[0]].add(graph)
            elif graph in derived_set:
                if triple[1] == PROV.wasDerivedFrom and triple[0] == graph:
                    if triple[2] != ONTOLOGY_GRAPH:  # the reasoning's basis, not a source
                        sources = index.derived_sources.get(graph, ())
                        index.derived_sources[graph] = tuple(sorted({*sources, triple[2]}))
                    continue
                if triple[0].startswith(ID_NS) or triple[2].startswith(ID_NS):
                    index.derived_links[triple].add(graph)
        rank = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
        for g, s, p, o in _rows(store, _LITERALS, scope):
            graph = g.value
            if graph not in data_set:
                continue
            subject, predicate = same(s.value, s.value), p.value
            index.literals[subject].append((predicate, o, graph))
            index.described_in[subject].add(graph)
            position = rank.get(predicate)
            if position is not None:
                if subject != s.value:  # a merged IRI's names come after the entity's own
                    position += len(rank)
                index._label_candidates[subject].append((position, lang_rank(o), o.value))
        for g, s, p, o in _rows(store, _LABELS, vocab if scope is not None else None):
            if g.value in vocab_set:
                index._label_candidates[s.value].append((rank[p.value], lang_rank(o), o.value))
        for graph in derived:
            if graph not in index.derived_sources:
                stated = stated_graph(graph)
                index.derived_sources[graph] = (stated,) if stated else ()
        index._finish()
        return index

    def _read_ontology(self, rows: Iterable[tuple[Any, ...]]) -> None:
        fallback: dict[str, str] = {}
        for s, p, o in rows:
            subject, predicate = s.value, p.value
            if predicate == RDFS.subClassOf and isinstance(o, ox.NamedNode):
                self._superclasses[subject].add(o.value)
            elif predicate == RDFS.label and isinstance(o, ox.Literal):
                if lang_rank(o)[0] == 0:
                    self.class_labels[subject] = one_line(o.value)
                else:
                    fallback.setdefault(subject, one_line(o.value))
            elif predicate == RDF.type and o.value == OWL.Class:
                self.ontology_classes.add(subject)
        for cls in self.ontology_classes:
            if cls not in self.class_labels and cls in fallback:
                self.class_labels[cls] = fallback[cls]

    def _finish(self) -> None:
        """Index the links by node and title the articles."""
        for s, p, o in self.links:
            self._out[s].append((p, o))
            self._in[o].append((p, s))
        for s, p, o in self.derived_links:
            self._derived_out[s].append((p, o))
            self._derived_in[o].append((p, s))
        for graph, source in self.graph_sources.items():
            title = self._best_literal(source, (DCTERMS.title, SKOS.prefLabel))
            self.source_titles[graph] = title if title is not None else self.name(source)
            if title is not None:  # one title per article: its own, wherever it is named
                self._labels[source] = title

    # -- classes and labels ---------------------------------------------------------------

    def ancestors(self, cls: str) -> frozenset[str]:
        """Return the superclasses of ``cls`` (transitively, ``cls`` excluded)."""
        found = self._ancestors.get(cls)
        if found is None:
            seen: set[str] = set()
            todo = list(self._superclasses.get(cls, ()))
            while todo:
                current = todo.pop()
                if current not in seen and current != cls:
                    seen.add(current)
                    todo.extend(self._superclasses.get(current, ()))
            found = self._ancestors[cls] = frozenset(seen)
        return found

    def is_a(self, node: str, cls: str) -> bool:
        """Return whether ``node`` is typed with ``cls`` or one of its subclasses."""
        return any(t == cls or cls in self.ancestors(t) for t in self.types.get(node, ()))

    def _depth(self, cls: str) -> int:
        return len(self.ancestors(cls))

    def primary_class(self, node: str, extra_types: Iterable[str] = ()) -> str | None:
        """Return the most specific class of ``node`` (IRI), or ``None`` if untyped.

        Classes that are superclasses of another class of the node are dropped; among
        the rest the deepest in the hierarchy wins, then ``cg:ClusterAlliance``,
        ``cg:ClusterNetwork``, ``cg:Cluster``, then the first by prefixed name.
        ``extra_types`` are classes to count besides those the store gives.
        """
        if not extra_types and node in self._primary:
            return self._primary[node]
        types = {*self.types.get(node, ()), *extra_types}
        if not types:
            return None
        found = self._most_specific(types)
        if not extra_types:
            self._primary[node] = found
        return found

    def _most_specific(self, types: set[str]) -> str:
        specific = [t for t in types if not any(t in self.ancestors(o) for o in types if o != t)]
        preferred = [c for c in _PREFERRED_CLASSES if c in specific]
        if preferred:
            return preferred[0]
        best: str = min(specific, key=lambda t: (-self._depth(t), self.name(t)))
        return best

    def class_label(self, cls: str) -> str:
        """Return the label of a class, else its local name in words (``person``)."""
        label = self.class_labels.get(cls)
        if label:
            return label
        local = re.split(r"[#/]", cls)[-1]
        words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).lower()
        return words or compact(cls, self.prefixes)

    def _best_literal(self, node: str, properties: Sequence[str]) -> str | None:
        found = [
            (properties.index(p), lang_rank(lit), lit.value)
            for p, lit, _g in self.literals.get(node, ())
            if p in properties
        ]
        return one_line(min(found)[2]) if found else None

    def label(self, node: str) -> str:
        """Return the preferred label of ``node`` (English first), else its prefixed name."""
        found = self._labels.get(node)
        if found is None:
            candidates = self._label_candidates.get(node)
            found = one_line(min(candidates)[2]) if candidates else compact(node, self.prefixes)
            self._labels[node] = found
        return found

    def name(self, node: str) -> str:
        """Return the prefixed name of ``node`` (or of any IRI: a class, a predicate)."""
        found = self._names.get(node)
        if found is None:
            found = self._names[node] = compact(node, self.prefixes)
        return found

    # -- statements -------------------------------------------------------------------

    def statement(self, subject: str, predicate: str, obj: str) -> Statement:
        """Return the statement ``subject predicate obj`` with the graphs behind it.

        ``graphs`` are the data graphs stating it; ``derived_from`` the stated graphs
        from which the derived graphs holding it were derived.
        """
        triple = (subject, predicate, obj)
        derived: set[str] = set()
        for graph in self.derived_links.get(triple, ()):
            derived.update(self.derived_sources.get(graph, ()))
        return Statement(
            subject,
            predicate,
            obj,
            tuple(sorted(self.links.get(triple, ()))),
            tuple(sorted(derived)),
        )

    def neighbours(self, node: str) -> Iterator[tuple[str, Statement]]:
        """Yield ``(other, statement)`` for every stated statement linking ``node`` to an IRI.

        Derived statements are left out: the projections are made of stated facts.
        """
        for p, o in self._out.get(node, ()):
            yield o, self.statement(node, p, o)
        for p, s in self._in.get(node, ()):
            yield s, self.statement(s, p, node)

    def statements_between(self, a: str, b: str) -> list[Statement]:
        """Return the statements linking ``a`` and ``b`` either way, derived ones too, sorted."""
        found = {st for other, st in self.neighbours(a) if other == b}
        for p, o in self._derived_out.get(a, ()):
            if o == b:
                found.add(self.statement(a, p, b))
        for p, s in self._derived_in.get(a, ()):
            if s == b:
                found.add(self.statement(b, p, a))
        return sorted(found)

    # -- entities ---------------------------------------------------------------------

    def is_hidden(self, node: str) -> bool:
        """Whether ``node`` is shown as a fact rather than as a node of the entity network.

        Figures, articles and their graph nodes, time entities and vocabulary concepts.
        """
        if any(self.is_a(node, cls) for cls in _HIDDEN_CLASSES):
            return True
        return any(t in TIME for t in self.types.get(node, ()))

    def is_entity(self, node: str) -> bool:
        """Whether ``node`` is a node of the entity network (see :meth:`entities`)."""
        return node in self.typed_in_data and not self.is_hidden(node)

    def entities(self) -> list[str]:
        """Return the entities of the entity network: typed in a data graph, not hidden."""
        if self._entities is None:
            self._entities = sorted(n for n in self.typed_in_data if not self.is_hidden(n))
        return list(self._entities)

    @functools.cached_property
    def class_order(self) -> tuple[str, ...]:
        """Classes (prefixed names) in a fixed order, so that views colour them alike.

        The primary classes of the entities, most frequent first, then every other class
        of the ontology by name. Views give the k-th class the k-th colour.
        """
        counts = Counter(self.primary_class(n) for n in self.entities())
        ranked = sorted((c for c in counts if c), key=lambda c: (-counts[c], self.name(c)))
        names = [self.name(c) for c in ranked]
        rest = sorted({self.name(c) for c in self.ontology_classes} - set(names))
        return (*names, *rest)

    def facts(self, node: str) -> tuple[tuple[str, str], ...]:
        """Return short facts about ``node`` as ``(key, value)`` pairs, for tooltips.

        Literals other than names and prose (``schema:foundingDate``, ``cg:date``,
        ``rov:legalName``, ...); aliases (``also called``); what it links to that is not
        a node of the entity network, by label (``org:classification: ICT``); and the
        figures stated about it (``figure: member clusters 57 (as of 2020-06-05)``).
        """
        facts: set[tuple[str, str]] = set()
        literals = self.literals.get(node, ())
        aliases = sorted({one_line(lit.value) for p, lit, _g in literals if p == SKOS.altLabel})
        if aliases:
            facts.add(("also called", "; ".join(aliases[:_MAX_ALIASES])))
        for p, lit, _g in self.literals.get(node, ()):
            text = one_line(lit.value)
            if p not in _NOT_FACTS and len(text) <= _MAX_FACT_LENGTH:
                facts.add((self.name(p), text))
        for p, o in self._out.get(node, ()):
            if not self.is_entity(o) and not self.is_a(o, CG.Source):
                facts.add((self.name(p), self.label(o)))
        for p, figure in self._in.get(node, ()):
            if p == CG.figureOf and self.is_a(figure, CG.Figure):
                facts.add(("figure", self._figure_text(figure)))
        grouped: dict[str, list[str]] = defaultdict(list)
        for key, value in sorted(facts):
            grouped[key].append(value)
        merged = [
            (key, value)
            for key, values in grouped.items()
            for value in (values if key == "figure" else ["; ".join(values)])
        ]
        merged.sort(key=lambda kv: (kv[0] != "also called", kv[0] == "figure", kv))
        if self.as_of is not None and node in self.not_stated:
            merged.insert(0, (f"as of {self.as_of.isoformat()}", "period not stated"))
        return tuple(merged[:_MAX_FACTS])

    def publisher(self, graph: str) -> str | None:
        """Return the publisher of the article a data graph comes from (``dcterms:publisher``).

        The graph of a publisher's named graph kept under a source (``<graph>/<n>``) is
        derived from the same article, so it has the same publisher.
        """
        source = self.graph_sources.get(graph)
        if source is None:
            return None
        return next((o for p, o in self._out.get(source, ()) if p == DCTERMS.publisher), None)

    def published_facts(self, node: str) -> list[PublishedFact]:
        """Return every stated fact about ``node`` with the graph, article and publisher behind it.

        An entity other publishers' IRIs are ``owl:sameAs`` (merged into it, see
        :attr:`same_as`) carries their facts too, each with the publisher it comes from:
        what a page shows so that no publisher's fact is lost or taken for another's.
        Literals and links out (``rdf:type`` aside), sorted by predicate, value, graph.

        Examples
        --------
        >>> index = GraphIndex()
        >>> index.literals["urn:a"].append((FOAF.name, ox.Literal("A"), "urn:g"))
        >>> index.graph_sources["urn:g"] = "urn:article"
        >>> index._out["urn:article"].append((DCTERMS.publisher, "urn:pub"))
        >>> [(f.value, f.graph, f.source, f.publisher) for f in index.published_facts("urn:a")]
        [('A', 'urn:g', 'urn:article', 'urn:pub')]
        """
        found: list[PublishedFact] = []
        for predicate, literal, graph in self.literals.get(node, ()):
            found.append(self._published(predicate, literal.value, False, graph))
        for predicate, obj in self._out.get(node, ()):
            for graph in sorted(self.links.get((node, predicate, obj), ())):
                found.append(self._published(predicate, obj, True, graph))
        return sorted(set(found), key=lambda f: (f.predicate, f.value, f.graph))

    def _published(self, predicate: str, value: str, iri: bool, graph: str) -> PublishedFact:
        return PublishedFact(
            predicate, value, iri, graph, self.graph_sources.get(graph), self.publisher(graph)
        )

    def _figure_text(self, figure: str) -> str:
        out = self._out.get(figure, ())
        measure = next((o for p, o in out if p == CG.measure), None)
        comparator = next((o for p, o in out if p == CG.comparator), None)
        value = self._best_literal(figure, (CG.value,)) or "?"
        as_of = self._best_literal(figure, (CG.asOf,))
        words = [self.label(measure) if measure else "value"]
        if comparator is not None and not comparator.endswith("/exactly"):
            words.append(self.label(comparator))
        words.append(value)
        text = " ".join(words)
        if self.is_a(figure, CG.Forecast):
            text += " (expected)"
        return f"{text} (as of {as_of})" if as_of else text

    def node_attributes(self, node: str, extra_types: Iterable[str] = ()) -> dict[str, Any]:
        """Return the attributes a projection gives ``node``.

        ``label``, ``name`` (prefixed), ``cls`` and ``cls_label`` (the most specific
        class and its label), ``classes``, ``facts`` (:meth:`facts`) and ``sources``
        (the data graphs describing it).
        """
        extra = tuple(extra_types)
        if not extra and node in self._attributes:
            return dict(self._attributes[node])
        cls = self.primary_class(node, extra)
        classes = {*self.types.get(node, ()), *extra}
        attributes = {
            "label": self.label(node),
            "name": self.name(node),
            "cls": self.name(cls) if cls else "rdfs:Resource",
            "cls_label": self.class_label(cls) if cls else "resource",
            "classes": tuple(sorted(self.name(t) for t in classes)),
            "facts": self.facts(node),
            "sources": tuple(sorted(self.described_in.get(node, ()))),
        }
        if node in self.not_stated:
            attributes["as_of"] = "period not stated"
        if not extra:
            self._attributes[node] = attributes
        return dict(attributes)

    def source_title(self, graph: str) -> str:
        """Return the title of the article a named graph comes from, else its name."""
        return self.source_titles.get(graph) or compact(graph, self.prefixes)

    def known(self, node: str) -> bool:
        """Whether the store says anything about ``node`` or links to it."""
        return node in self.types or node in self._out or node in self._in

    # -- resolving what a user typed -----------------------------------------------------------

    def resolve(self, text: str) -> str:
        """Turn what a user typed into the IRI of a known entity.

        Accepted: ``<IRI>``, an absolute IRI, a prefixed name (``o:lcn``, ``id:org/lcn``),
        ``kind/slug`` (``org/lcn``) or a bare slug (``lcn``) when one entity has it.

        Raises
        ------
        InputError
            If nothing known matches, or a slug is ambiguous.

        Examples
        --------
        >>> index = GraphIndex()
        >>> index.types[ID_NS + "org/lcn"].add(ORG.Organization)
        >>> index.resolve("lcn") == index.resolve("id:org/lcn") == ID_NS + "org/lcn"
        True
        >>> index.resolve("lnc")
        Traceback (most recent call last):
        ...
        clustergraph.errors.InputError: unknown entity 'lnc' (did you mean o:lcn?)
        """
        typed = text.strip()
        raw = unicodedata.normalize("NFC", typed)  # the project's IRIs are NFC
        candidates = self._candidates(raw)
        if raw != typed:  # the NFC spelling first, then as typed (check flags the latter)
            candidates += self._candidates(typed)
        for candidate in candidates:
            candidate = self.same_as.get(candidate, candidate)
            if self.known(candidate):
                return candidate
        if candidates:
            raise InputError(f"unknown entity {text!r}{self._suggest(raw)}")
        entities = [n for n in self.types if n.startswith(ID_NS)]
        found = sorted(
            n for n in entities if unicodedata.normalize("NFC", n.rsplit("/", 1)[-1]) == raw
        )
        matches = [n for n in found if n.rsplit("/", 1)[-1] == raw] or found  # NFC first
        if len(matches) == 1:
            return matches[0]
        if matches:
            names = ", ".join(self.name(m) for m in matches)
            raise InputError(f"ambiguous entity {text!r}: {names}")
        raise InputError(f"unknown entity {text!r}{self._suggest(raw)}")

    def _candidates(self, raw: str) -> list[str]:
        """Return the IRIs ``raw`` may name: an IRI, a prefixed name or ``kind/slug``."""
        if raw.startswith("<") and raw.endswith(">"):
            return [raw[1:-1]]
        if "://" in raw or raw.startswith("urn:"):
            return [raw]
        found = []
        prefix, colon, local = raw.partition(":")
        if colon and prefix in self.prefixes:
            found.append(self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local))
        if "/" in raw and not colon:
            found.append(ID_NS + raw)
        return found

    def _suggest(self, raw: str) -> str:
        names = {self.name(n): n for n in self.types if n.startswith(ID_NS)}
        slugs = {n.rsplit("/", 1)[-1]: self.name(n) for n in names.values()}
        close = close_names(raw, names, n=1) or [slugs[s] for s in close_names(raw, slugs, n=1)]
        return f" (did you mean {close[0]}?)" if close else ""
