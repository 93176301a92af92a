"""From RDF to NetworkX: documented projections of the clustergraph dataset.

Every projection is an undirected :class:`networkx.Graph` whose nodes are entity IRIs
(plain strings) and whose edges remember *why* they exist:

==============  ===============================================================
edge attribute  meaning
==============  ===============================================================
``statements``  the :class:`Statement` s that make the edge, each with the source
                graphs that state it (direction is kept in the statement)
``predicates``  the RDF predicates of those statements, as prefixed names, sorted
``relations``   what the edge stands for, e.g. ``org:postIn`` for a direct
                statement or ``membership mem:ftd-lt-in-eacn`` for a derived one
``sources``     the IRIs of the named graphs stating any of the statements
``weight``      the number of distinct relations (used by community detection)
==============  ===============================================================

Nodes carry ``label`` (the entity's preferred label), ``name`` (its prefixed name),
``cls`` and ``cls_label`` (its most specific class and that class's label),
``classes``, ``facts`` (short ``(key, value)`` pairs: founding date, country, sectors,
figures, ...) and ``sources`` (the graphs that describe it).

The facts come from the *data graphs*: every named graph except the ontology graph and
the vocabulary graphs (``graph/vocab/...``); vocabularies and the ontology only give
labels, classes and the class hierarchy. Blank nodes are not drawn.

Projections (:data:`PROJECTIONS`)
---------------------------------
``entities``
    Every entity typed in a data graph and every statement linking two of them
    (``rdf:type`` aside). Left out as nodes, and shown as facts of the entity they
    describe instead: figures (``cg:Figure``), time instants and intervals, the
    articles (``cg:Source``) and their graph nodes, and vocabulary concepts (sectors,
    roles, countries, ...). This is the whole ecosystem as the articles state it,
    memberships, posts and awards included as nodes.
``organisations``
    The organisations (anything under ``org:Organization``), linked

    * *directly*, by any statement between two of them (``cg:coordinates``,
      ``cg:participatesIn``, ``org:unitOf``, ``cg:recognizedBy``, ...);
    * *through a mediator*: two organisations linked to the same membership
      (member and organisation, or the body that approved it), agreement or order
      (signed together, supported, approved or established by), project (coordinator,
      partner, participant, implementing consortium, funder), excellence label award
      (holder and awarding body) or event; the relation is named after the mediator,
      e.g. ``agreement doc:loi-lithuanian-clustering``;
    * *through a person* holding a post in each of them
      (``post holder per:giedrius-bagusinskas``).

    Funding programmes are not organisations: a project's funding shows as a fact of
    the project, and an organisation funding a project is linked through the project.
``people``
    Persons and organisations: a person is linked to an organisation through a post
    they hold in it (``org:heldBy`` + ``org:postIn``), a membership, any other
    mediator they share with it, or a direct statement.
``actors``
    ``organisations`` and ``people`` together: the network of those who act.

Examples
--------
>>> from rdflib import Dataset
>>> from clustergraph.project.prefixes import DEFAULT_PREFIXES
>>> ds = Dataset(default_union=True)
>>> _ = ds.graph("https://w3id.org/clustergraph/graph/source/a").parse(format="turtle", data='''
...     @prefix org: <http://www.w3.org/ns/org#> .
...     @prefix foaf: <http://xmlns.com/foaf/0.1/> .
...     @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
...     @prefix o: <https://w3id.org/clustergraph/id/org/> .
...     @prefix mem: <https://w3id.org/clustergraph/id/membership/> .
...     o:a a org:FormalOrganization ; skos:prefLabel "A" .
...     o:b a org:FormalOrganization ; skos:prefLabel "B" .
...     mem:m a org:Membership ; org:member o:a ; org:organization o:b .''')
>>> g = organisation_network(GraphIndex(ds))
>>> sorted(g.nodes[n]["label"] for n in g), g.number_of_edges()
(['A', 'B'], 1)
>>> edge = g.edges["https://w3id.org/clustergraph/id/org/a", "https://w3id.org/clustergraph/id/org/b"]
>>> edge["relations"], edge["predicates"]
(('membership mem:m',), ('org:member', 'org:organization'))
>>> [s.text(DEFAULT_PREFIXES) for s in edge["statements"]][0]
'id:membership/m org:member id:org/a .'
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS

from clustergraph.errors import InputError
from clustergraph.pipeline.load import named_graphs
from clustergraph.project.layout import GRAPH_NS, ID_NS, ONTOLOGY_GRAPH
from clustergraph.project.prefixes import compact, prefix_map

__all__ = [
    "DESCRIPTIONS",
    "PROJECTIONS",
    "GraphIndex",
    "Statement",
    "actor_network",
    "construct_network",
    "entity_network",
    "neighbourhood",
    "organisation_network",
    "people_network",
    "project",
    "select_network",
]

CG = "https://w3id.org/clustergraph/ontology#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
TIME = "http://www.w3.org/2006/time#"
VOCAB_GRAPHS = GRAPH_NS + "vocab/"

ORGANIZATION = ORG + "Organization"
PERSON = str(FOAF.Person)
POST = ORG + "Post"
FIGURE = CG + "Figure"
CONCEPT = str(SKOS.Concept)
_HIDDEN_CLASSES = (FIGURE, CG + "Source", CG + "SourceGraph", CONCEPT)

# Classes known to be organisations even without the ontology graph loaded.
_BUILTIN_SUPERCLASSES: Mapping[str, tuple[str, ...]] = {
    ORG + "FormalOrganization": (ORGANIZATION,),
    ORG + "OrganizationalUnit": (ORGANIZATION,),
    ORG + "OrganizationalCollaboration": (ORGANIZATION,),
    "http://www.w3.org/ns/regorg#RegisteredOrganization": (ORG + "FormalOrganization",),
    SCHEMA + "Person": (PERSON,),
    ORG + "Membership": (),
}

# When a node has several equally specific classes, the first of these wins.
_PREFERRED_CLASSES = (CG + "ClusterAlliance", CG + "ClusterNetwork", CG + "Cluster")

_LABEL_PROPERTIES = (
    str(SKOS.prefLabel),
    str(FOAF.name),
    str(RDFS.label),
    SCHEMA + "name",
    str(DCTERMS.title),
)
# Literal properties that are names or prose, not key facts.
_NOT_FACTS = frozenset(
    {
        *_LABEL_PROPERTIES,
        str(FOAF.givenName),
        str(FOAF.familyName),
        str(SKOS.altLabel),
        str(SKOS.note),
        str(SKOS.editorialNote),
        str(SKOS.scopeNote),
        str(SKOS.definition),
        str(DCTERMS.description),
        CG + "aim",
        CG + "activity",
        CG + "mission",
        CG + "composition",
        CG + "inferenceNote",
        CG + "seedFile",
    }
)
_MAX_FACT_LENGTH = 120
_MAX_FACTS = 16
_MAX_ALIASES = 4


@dataclass(frozen=True, order=True)
class Statement:
    """One RDF statement between two resources and the named graphs that state it.

    Attributes
    ----------
    subject, predicate, object
        The IRIs of the triple.
    graphs
        The IRIs of the named graphs in which the triple is stated, sorted.
    """

    subject: str
    predicate: str
    object: str
    graphs: tuple[str, ...]

    def text(self, prefixes: Mapping[str, str]) -> str:
        """Return the triple in Turtle-like form with prefixed names.

        Examples
        --------
        >>> from clustergraph.project.prefixes import DEFAULT_PREFIXES
        >>> Statement("urn:a", str(RDFS.seeAlso), "urn:b", ()).text(DEFAULT_PREFIXES)
        '<urn:a> rdfs:seeAlso <urn:b> .'
        """
        return (
            f"{compact(self.subject, prefixes)} {compact(self.predicate, prefixes)} "
            f"{compact(self.object, prefixes)} ."
        )


def _lang_rank(literal: Literal) -> tuple[int, str]:
    """Sort key preferring English, then no language, then Lithuanian, then others."""
    lang = (literal.language or "").lower()
    rank = 0 if lang.startswith("en") else 1 if not lang else 2 if lang == "lt" else 3
    return rank, lang


def _one_line(text: str) -> str:
    return " ".join(text.split())


class GraphIndex:
    """What the projections need from a dataset, read once.

    Parameters
    ----------
    dataset
        The dataset (see :func:`clustergraph.pipeline.load.load`), one named graph per file.

    Notes
    -----
    ``links`` holds every statement of a data graph whose subject and object are IRIs
    (``rdf:type`` aside), with the graphs stating it. Types, labels and literals are read
    from the data and vocabulary graphs, the class hierarchy and the labels of classes
    from the ontology graph.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.prefixes: dict[str, str] = prefix_map(dataset)
        self.links: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self.types: dict[str, set[str]] = defaultdict(set)
        self.typed_in_data: set[str] = set()
        self.described_in: dict[str, set[str]] = defaultdict(set)
        self.literals: dict[str, list[tuple[str, Literal, str]]] = defaultdict(list)
        self._out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._in: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._label_candidates: dict[str, list[tuple[int, tuple[int, str], str]]] = defaultdict(
            list
        )
        self._superclasses: dict[str, set[str]] = defaultdict(set)
        for cls, supers in _BUILTIN_SUPERCLASSES.items():
            self._superclasses[cls].update(supers)
        self.class_labels: dict[str, str] = {}
        self.ontology_classes: set[str] = set()
        self.source_titles: dict[str, str] = {}
        derived_from: dict[str, str] = {}
        for graph in named_graphs(dataset):
            gid = str(graph.identifier)
            if gid == str(ONTOLOGY_GRAPH):
                self._read_ontology(graph)
                continue
            is_data = not gid.startswith(VOCAB_GRAPHS)
            self._read_graph(graph, gid, is_data=is_data, derived_from=derived_from)
        for gid, source in derived_from.items():
            title = self._best_literal(source, (str(DCTERMS.title), str(SKOS.prefLabel)))
            self.source_titles[gid] = title if title is not None else compact(source, self.prefixes)
        for (s, p, o), _graphs in self.links.items():
            self._out[s].append((p, o))
            self._in[o].append((p, s))
        self._ancestors: dict[str, frozenset[str]] = {}
        self._labels: dict[str, str] = {}

    # -- reading ----------------------------------------------------------------------

    def _read_ontology(self, graph: Graph) -> None:
        for s, o in graph.subject_objects(RDFS.subClassOf):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                self._superclasses[str(s)].add(str(o))
        for s, o in graph.subject_objects(RDFS.label):
            if isinstance(s, URIRef) and isinstance(o, Literal) and _lang_rank(o)[0] == 0:
                self.class_labels[str(s)] = _one_line(str(o))
        for s in graph.subjects(RDF.type, OWL.Class):
            if isinstance(s, URIRef):
                self.ontology_classes.add(str(s))
            if isinstance(s, URIRef) and str(s) not in self.class_labels:
                label = graph.value(s, RDFS.label)
                if isinstance(label, Literal):
                    self.class_labels[str(s)] = _one_line(str(label))

    def _read_graph(
        self, graph: Graph, gid: str, *, is_data: bool, derived_from: dict[str, str]
    ) -> None:
        label_rank = {p: i for i, p in enumerate(_LABEL_PROPERTIES)}
        for s, p, o in graph:
            if isinstance(s, BNode):
                continue
            subject, predicate = str(s), str(p)
            if p == RDF.type:
                if isinstance(o, URIRef):
                    self.types[subject].add(str(o))
                    if is_data:
                        self.typed_in_data.add(subject)
                continue
            if isinstance(o, Literal):
                rank = label_rank.get(predicate)
                if rank is not None:
                    self._label_candidates[subject].append((rank, _lang_rank(o), str(o)))
                if is_data:
                    self.literals[subject].append((predicate, o, gid))
                    self.described_in[subject].add(gid)
                continue
            if not is_data or not isinstance(o, URIRef):
                continue
            if predicate == "http://www.w3.org/ns/prov#wasDerivedFrom" and subject == gid:
                derived_from[gid] = str(o)
                continue
            self.links[(subject, predicate, str(o))].add(gid)
            self.described_in[subject].add(gid)

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
        ``extra_types`` are classes to count besides those the dataset gives.
        """
        types = {*self.types.get(node, ()), *extra_types}
        if not types:
            return None
        specific = [t for t in types if not any(t in self.ancestors(o) for o in types if o != t)]
        preferred = [c for c in _PREFERRED_CLASSES if c in specific]
        if preferred:
            return preferred[0]
        best: str = min(specific, key=lambda t: (-self._depth(t), compact(t, self.prefixes)))
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
            (properties.index(p), _lang_rank(lit), str(lit))
            for p, lit, _g in self.literals.get(node, ())
            if p in properties
        ]
        return _one_line(min(found)[2]) if found else None

    def label(self, node: str) -> str:
        """Return the preferred label of ``node`` (English first), else its prefixed name."""
        found = self._labels.get(node)
        if found is None:
            candidates = self._label_candidates.get(node)
            found = _one_line(min(candidates)[2]) if candidates else compact(node, self.prefixes)
            self._labels[node] = found
        return found

    def name(self, node: str) -> str:
        """Return the prefixed name of ``node``."""
        return compact(node, self.prefixes)

    # -- statements -------------------------------------------------------------------

    def statement(self, subject: str, predicate: str, obj: str) -> Statement:
        """Return the statement ``subject predicate obj`` with the graphs that state it."""
        return Statement(
            subject, predicate, obj, tuple(sorted(self.links.get((subject, predicate, obj), ())))
        )

    def neighbours(self, node: str) -> Iterator[tuple[str, Statement]]:
        """Yield ``(other, statement)`` for every statement linking ``node`` to an IRI."""
        for p, o in self._out.get(node, ()):
            yield o, self.statement(node, p, o)
        for p, s in self._in.get(node, ()):
            yield s, self.statement(s, p, node)

    def statements_between(self, a: str, b: str) -> list[Statement]:
        """Return the statements linking ``a`` and ``b`` in either direction, sorted."""
        found = [st for other, st in self.neighbours(a) if other == b]
        return sorted(set(found))

    # -- entities ---------------------------------------------------------------------

    def is_hidden(self, node: str) -> bool:
        """Whether ``node`` is shown as a fact rather than as a node of the entity network.

        Figures, articles and their graph nodes, time entities and vocabulary concepts.
        """
        if any(self.is_a(node, cls) for cls in _HIDDEN_CLASSES):
            return True
        return any(t.startswith(TIME) for t in self.types.get(node, ()))

    def is_entity(self, node: str) -> bool:
        """Whether ``node`` is a node of the entity network (see :meth:`entities`)."""
        return node in self.typed_in_data and not self.is_hidden(node)

    def entities(self) -> list[str]:
        """Return the entities of the entity network: typed in a data graph, not hidden."""
        return sorted(n for n in self.typed_in_data if not self.is_hidden(n))

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
        aliases = sorted(
            {
                _one_line(str(lit))
                for p, lit, _g in self.literals.get(node, ())
                if p == str(SKOS.altLabel)
            }
        )
        if aliases:
            facts.add(("also called", "; ".join(aliases[:_MAX_ALIASES])))
        for p, lit, _g in self.literals.get(node, ()):
            text = _one_line(str(lit))
            if p not in _NOT_FACTS and len(text) <= _MAX_FACT_LENGTH:
                facts.add((compact(p, self.prefixes), text))
        for p, o in self._out.get(node, ()):
            if not self.is_entity(o) and not self.is_a(o, CG + "Source"):
                facts.add((compact(p, self.prefixes), self.label(o)))
        for p, figure in self._in.get(node, ()):
            if p == CG + "figureOf" and self.is_a(figure, FIGURE):
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
        return tuple(merged[:_MAX_FACTS])

    def _figure_text(self, figure: str) -> str:
        measure = next((o for p, o in self._out.get(figure, ()) if p == CG + "measure"), None)
        comparator = next((o for p, o in self._out.get(figure, ()) if p == CG + "comparator"), None)
        value = self._best_literal(figure, (CG + "value",)) or "?"
        as_of = self._best_literal(figure, (CG + "asOf",))
        words = [self.label(measure) if measure else "value"]
        if comparator is not None and not comparator.endswith("/exactly"):
            words.append(self.label(comparator))
        words.append(value)
        text = " ".join(words)
        if self.is_a(figure, CG + "Forecast"):
            text += " (expected)"
        return f"{text} (as of {as_of})" if as_of else text

    def node_attributes(self, node: str, extra_types: Iterable[str] = ()) -> dict[str, Any]:
        """Return the attributes a projection gives ``node`` (see the module docstring)."""
        cls = self.primary_class(node, extra_types)
        classes = {*self.types.get(node, ()), *extra_types}
        return {
            "label": self.label(node),
            "name": self.name(node),
            "cls": compact(cls, self.prefixes) if cls else "rdfs:Resource",
            "cls_label": self.class_label(cls) if cls else "resource",
            "classes": tuple(sorted(compact(t, self.prefixes) for t in classes)),
            "facts": self.facts(node),
            "sources": tuple(sorted(self.described_in.get(node, ()))),
        }

    def source_title(self, graph: str) -> str:
        """Return the title of the article a named graph comes from, else its name."""
        return self.source_titles.get(graph) or compact(graph, self.prefixes)

    def known(self, node: str) -> bool:
        """Whether the dataset says anything about ``node`` or links to it."""
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
        >>> from rdflib import Dataset
        >>> ds = Dataset(default_union=True)
        >>> _ = ds.graph("urn:g").add((URIRef(ID_NS + "org/lcn"), RDF.type, FOAF.Organization))
        >>> index = GraphIndex(ds)
        >>> index.resolve("lcn") == index.resolve("id:org/lcn") == ID_NS + "org/lcn"
        True
        >>> index.resolve("lnc")
        Traceback (most recent call last):
        ...
        clustergraph.errors.InputError: unknown entity 'lnc' (did you mean id:org/lcn?)
        """
        raw = text.strip()
        candidates: list[str] = []
        if raw.startswith("<") and raw.endswith(">"):
            candidates.append(raw[1:-1])
        elif "://" in raw or raw.startswith("urn:"):
            candidates.append(raw)
        else:
            prefix, colon, local = raw.partition(":")
            if colon and prefix in self.prefixes:
                candidates.append(self.prefixes[prefix] + local)
            if "/" in raw and not colon:
                candidates.append(ID_NS + raw)
        for candidate in candidates:
            if self.known(candidate):
                return candidate
        if candidates:
            raise InputError(f"unknown entity {text!r}{self._suggest(raw)}")
        entities = [n for n in self.types if n.startswith(ID_NS)]
        matches = sorted(n for n in entities if n.rsplit("/", 1)[-1] == raw)
        if len(matches) == 1:
            return matches[0]
        if matches:
            names = ", ".join(self.name(m) for m in matches)
            raise InputError(f"ambiguous entity {text!r}: {names}")
        raise InputError(f"unknown entity {text!r}{self._suggest(raw)}")

    def _suggest(self, raw: str) -> str:
        names = {self.name(n): n for n in self.types if n.startswith(ID_NS)}
        slugs = {n.rsplit("/", 1)[-1]: self.name(n) for n in names.values()}
        close = difflib.get_close_matches(raw, list(names), n=1) or [
            slugs[s] for s in difflib.get_close_matches(raw, list(slugs), n=1)
        ]
        return f" (did you mean {close[0]}?)" if close else ""


# ---------------------------------------------------------------------------
# Building graphs
# ---------------------------------------------------------------------------


class _EdgeBuilder:
    """Collects relations and statements per node pair, then writes the edge attributes."""

    def __init__(self) -> None:
        self._relations: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._statements: dict[tuple[str, str], set[Statement]] = defaultdict(set)

    def add(self, a: str, b: str, relation: str, statements: Iterable[Statement]) -> None:
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        self._relations[key].add(relation)
        self._statements[key].update(statements)

    def build(self, graph: nx.Graph, prefixes: Mapping[str, str]) -> None:
        for key in sorted(self._relations):
            statements = tuple(sorted(self._statements[key]))
            graph.add_edge(
                *key,
                statements=statements,
                predicates=tuple(sorted({compact(s.predicate, prefixes) for s in statements})),
                relations=tuple(sorted(self._relations[key])),
                sources=tuple(sorted({g for s in statements for g in s.graphs})),
                weight=len(self._relations[key]),
            )


def _new_graph(index: GraphIndex, nodes: Iterable[str], name: str) -> nx.Graph:
    """Return a graph holding ``nodes`` and what views need to show its statements."""
    graph = nx.Graph(
        name=name,
        prefixes=index.prefixes,
        source_titles=index.source_titles,
        class_order=index.class_order,
    )
    for node in sorted(set(nodes)):
        graph.add_node(node, **index.node_attributes(node))
    return graph


def entity_network(index: GraphIndex) -> nx.Graph:
    """Return the entity network: entities of the data graphs and the statements between them.

    Parameters
    ----------
    index
        The indexed dataset.

    Returns
    -------
    networkx.Graph
        One node per entity (see :meth:`GraphIndex.entities`), one edge per linked pair;
        each statement is its own relation, named by its predicate.
    """
    nodes = set(index.entities())
    graph = _new_graph(index, nodes, "entities")
    edges = _EdgeBuilder()
    for s, p, o in index.links:
        if s in nodes and o in nodes:
            statement = index.statement(s, p, o)
            edges.add(s, o, compact(p, index.prefixes), [statement])
    edges.build(graph, index.prefixes)
    return graph


def _mediators(index: GraphIndex, actors: set[str]) -> Iterator[tuple[str, str]]:
    """Yield ``(mediator, relation label prefix)`` for nodes that link actors together."""
    for node in index.entities():
        if node in actors or index.is_a(node, PERSON) or index.is_a(node, POST):
            continue
        cls = index.primary_class(node)
        yield node, index.class_label(cls) if cls else "resource"


def organisation_network(index: GraphIndex) -> nx.Graph:
    """Return the organisation network (see the module docstring for its edges).

    Parameters
    ----------
    index
        The indexed dataset.

    Returns
    -------
    networkx.Graph
        One node per organisation, isolated ones included.
    """
    orgs = {n for n in index.entities() if index.is_a(n, ORGANIZATION)}
    graph = _new_graph(index, orgs, "organisations")
    edges = _EdgeBuilder()
    for s, p, o in index.links:
        if s in orgs and o in orgs:
            edges.add(s, o, compact(p, index.prefixes), [index.statement(s, p, o)])
    for mediator, kind in _mediators(index, orgs):
        linked: dict[str, list[Statement]] = defaultdict(list)
        for other, statement in index.neighbours(mediator):
            if other in orgs:
                linked[other].append(statement)
        members = sorted(linked)
        relation = f"{kind} {index.name(mediator)}"
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                edges.add(a, b, relation, [*linked[a], *linked[b]])
    # Organisations in which one person holds a post.
    posts_in: dict[str, list[tuple[str, list[Statement]]]] = defaultdict(list)
    for post in index.entities():
        if not index.is_a(post, POST):
            continue
        around = list(index.neighbours(post))
        for person, held in around:
            if not index.is_a(person, PERSON):
                continue
            for org, post_in in around:
                if org in orgs:
                    posts_in[person].append((org, [held, post_in]))
    for person, places in sorted(posts_in.items()):
        relation = f"post holder {index.name(person)}"
        for i, (a, via_a) in enumerate(places):
            for b, via_b in places[i + 1 :]:
                edges.add(a, b, relation, [*via_a, *via_b])
    edges.build(graph, index.prefixes)
    return graph


def people_network(index: GraphIndex) -> nx.Graph:
    """Return the person–organisation network (see the module docstring).

    Parameters
    ----------
    index
        The indexed dataset.

    Returns
    -------
    networkx.Graph
        Persons and organisations; every edge joins a person and an organisation.
    """
    entities = index.entities()
    people = {n for n in entities if index.is_a(n, PERSON)}
    orgs = {n for n in entities if index.is_a(n, ORGANIZATION)}
    graph = _new_graph(index, people | orgs, "people")
    edges = _EdgeBuilder()
    for person in sorted(people):
        for other, statement in index.neighbours(person):
            if other in orgs:
                edges.add(person, other, compact(statement.predicate, index.prefixes), [statement])
    for mediator in entities:
        if mediator in people or mediator in orgs:
            continue
        around = list(index.neighbours(mediator))
        cls = index.primary_class(mediator)
        kind = "post" if index.is_a(mediator, POST) else index.class_label(cls) if cls else "?"
        relation = f"{kind} {index.name(mediator)}"
        for person, via_person in around:
            if person not in people:
                continue
            for org, via_org in around:
                if org in orgs:
                    edges.add(person, org, relation, [via_person, via_org])
    edges.build(graph, index.prefixes)
    return graph


def actor_network(index: GraphIndex) -> nx.Graph:
    """Return the organisation and person–organisation networks together.

    Parameters
    ----------
    index
        The indexed dataset.

    Returns
    -------
    networkx.Graph
        Organisations and persons, with the edges of both projections.
    """
    graph = nx.compose(organisation_network(index), people_network(index))
    graph.graph["name"] = "actors"
    return graph


PROJECTIONS: Mapping[str, Callable[[GraphIndex], nx.Graph]] = {
    "entities": entity_network,
    "organisations": organisation_network,
    "people": people_network,
    "actors": actor_network,
}
"""The projections by name, as the command line offers them."""

DESCRIPTIONS: Mapping[str, str] = {
    "entities": "Nodes are the entities the articles describe (organisations, people, "
    "memberships, posts, awards, projects, programmes, agreements, events); edges are the "
    "statements between two of them. Figures, time, articles and vocabulary concepts are "
    "facts of the nodes, not nodes.",
    "organisations": "Nodes are organisations. Two are linked by a statement between them, "
    "by a membership, agreement, order, project, award or event they are both part of, or "
    "by a person who holds a post in each.",
    "people": "Nodes are persons and organisations; a person is linked to an organisation "
    "through a post they hold in it, a membership, another shared mediator, or a direct "
    "statement.",
    "actors": "Nodes are organisations and persons: the edges of the organisation network "
    "and of the person-organisation network together.",
}
"""One paragraph per projection saying how it is built (for reports)."""


def project(dataset: Dataset | GraphIndex, name: str = "entities") -> nx.Graph:
    """Return the projection called ``name`` (one of :data:`PROJECTIONS`) of ``dataset``.

    Raises
    ------
    InputError
        If ``name`` is not a projection.
    """
    function = PROJECTIONS.get(name)
    if function is None:
        raise InputError(f"unknown network {name!r} (choose from {', '.join(PROJECTIONS)})")
    index = dataset if isinstance(dataset, GraphIndex) else GraphIndex(dataset)
    return function(index)


def neighbourhood(graph: nx.Graph, node: str, depth: int) -> nx.Graph:
    """Return the subgraph of the nodes within ``depth`` hops of ``node``.

    Raises
    ------
    InputError
        If ``node`` is not in ``graph`` or ``depth`` is negative.
    """
    if depth < 0:
        raise InputError(f"depth must be 0 or more, not {depth}")
    if node not in graph:
        label = graph.graph.get("name", "this")
        raise InputError(f"{node} is not a node of the {label} network")
    sub = nx.ego_graph(graph, node, radius=depth).copy()
    sub.graph["name"] = f"{graph.graph.get('name', 'graph')} around {node}"
    sub.graph["focus"] = node
    return sub


# ---------------------------------------------------------------------------
# Query results as graphs
# ---------------------------------------------------------------------------


def construct_network(result: Graph, index: GraphIndex) -> nx.Graph:
    """Return the graph of a CONSTRUCT result: its resources and the links between them.

    Triples whose object is an IRI become edges (their graphs looked up in ``index``);
    ``rdf:type`` triples add classes, and literal triples become facts of their subject.
    Blank nodes are left out.

    Raises
    ------
    InputError
        If the result links no IRI at all.
    """
    types: dict[str, set[str]] = defaultdict(set)
    literals: dict[str, set[tuple[str, str]]] = defaultdict(set)
    links: list[tuple[str, str, str]] = []
    nodes: set[str] = set()
    for s, p, o in result:
        if not isinstance(s, URIRef):
            continue
        nodes.add(str(s))
        if p == RDF.type and isinstance(o, URIRef):
            types[str(s)].add(str(o))
        elif isinstance(o, URIRef):
            nodes.add(str(o))
            links.append((str(s), str(p), str(o)))
        elif isinstance(o, Literal):
            literals[str(s)].add((compact(p, index.prefixes), _one_line(str(o))))
    if not nodes:
        raise InputError("the query result holds no IRI to draw")
    graph = _new_graph(index, (), "query")
    for node in sorted(nodes):
        attributes = index.node_attributes(node, types.get(node, ()))
        attributes["facts"] = tuple(sorted(set(attributes["facts"]) | literals.get(node, set())))
        graph.add_node(node, **attributes)
    edges = _EdgeBuilder()
    for subject, predicate, obj in sorted(links):
        statement = index.statement(subject, predicate, obj)
        edges.add(subject, obj, compact(predicate, index.prefixes), [statement])
    edges.build(graph, index.prefixes)
    return graph


def select_network(
    variables: Sequence[str], rows: Iterable[Sequence[object]], index: GraphIndex
) -> nx.Graph:
    """Return the graph of a SELECT result whose columns are entities.

    In each row the IRIs are nodes, and each is linked to the next IRI of the row (in
    column order) by an edge named ``?a → ?b``; the edge also carries the statements of
    the dataset between the two, if any. Literal cells become facts of the row's first
    IRI.

    Raises
    ------
    InputError
        If no cell of the result is an IRI.
    """
    graph = _new_graph(index, (), "query")
    edges = _EdgeBuilder()
    facts: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in rows:
        entities = [
            (v, str(t)) for v, t in zip(variables, row, strict=True) if isinstance(t, URIRef)
        ]
        for _v, node in entities:
            if node not in graph:
                graph.add_node(node, **index.node_attributes(node))
        if entities:
            first = entities[0][1]
            for v, term in zip(variables, row, strict=True):
                if isinstance(term, Literal):
                    facts[first].add((f"?{v}", _one_line(str(term))))
        for (va, a), (vb, b) in zip(entities, entities[1:], strict=False):
            edges.add(a, b, f"?{va} → ?{vb}", index.statements_between(a, b))
    if graph.number_of_nodes() == 0:
        raise InputError("the query result has no column of entities (IRIs) to draw")
    for node, extra in facts.items():
        graph.nodes[node]["facts"] = tuple(sorted(set(graph.nodes[node]["facts"]) | extra))
    edges.build(graph, index.prefixes)
    return graph
