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
``sources``     the IRIs of the named graphs stating any of the statements (for a
                derived statement, the stated graphs it was derived from)
``derived``     whether every statement of the edge is derived (no article states
                any of them as such); only query graphs have such edges
``weight``      the number of distinct relations (used by community detection)
``support``     with ``support=True`` only: each group of statements that makes the
                edge, as the set of the nodes they name (the edge is there as of a
                day when one group's nodes all are, see
                :mod:`clustergraph.network.timeline`)
``as_of``       in a projection of an index as of a day
                (:func:`clustergraph.network.timeline.as_of`), ``period not stated``
                when every statement of the edge goes through a fact whose period
                is not stated then (nodes so kept carry the same attribute)
==============  ===============================================================

Nodes carry ``label`` (the entity's preferred label), ``name`` (its prefixed name),
``cls`` and ``cls_label`` (its most specific class and that class's label),
``classes``, ``facts`` (short ``(key, value)`` pairs: founding date, country, sectors,
figures, ...) and ``sources`` (the graphs that describe it).

The facts come from the *data graphs* of the store (the sources), read by
:class:`~clustergraph.network.index.GraphIndex`; vocabularies and the ontology only give
labels, classes and the class hierarchy. Blank nodes are not drawn.

The projections are made of **stated** facts only: the edges join actors through the
mediator nodes the articles state (a membership, a post, an agreement), and the
shortcut triples derived from those mediators (``org:memberOf``, ``cg:holdsPostIn``)
would only repeat those edges. The graphs of query results
(:func:`construct_network`, :func:`select_network`) show derived statements too, each
with the articles it follows from and marked as derived.

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
>>> from clustergraph.project.prefixes import DEFAULT_PREFIXES
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> store.replace_graphs({"https://w3id.org/clustergraph/graph/source/a": b'''
...     <https://w3id.org/clustergraph/id/org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#FormalOrganization> .
...     <https://w3id.org/clustergraph/id/org/a> <http://www.w3.org/2004/02/skos/core#prefLabel> "A" .
...     <https://w3id.org/clustergraph/id/org/b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#FormalOrganization> .
...     <https://w3id.org/clustergraph/id/org/b> <http://www.w3.org/2004/02/skos/core#prefLabel> "B" .
...     <https://w3id.org/clustergraph/id/membership/m> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#Membership> .
...     <https://w3id.org/clustergraph/id/membership/m> <http://www.w3.org/ns/org#member> <https://w3id.org/clustergraph/id/org/a> .
...     <https://w3id.org/clustergraph/id/membership/m> <http://www.w3.org/ns/org#organization> <https://w3id.org/clustergraph/id/org/b> .
...     '''})
>>> g = organisation_network(GraphIndex.from_store(store))
>>> sorted(g.nodes[n]["label"] for n in g), g.number_of_edges()
(['A', 'B'], 1)
>>> edge = g.edges["https://w3id.org/clustergraph/id/org/a", "https://w3id.org/clustergraph/id/org/b"]
>>> edge["relations"], edge["predicates"], edge["derived"]
(('membership mem:m',), ('org:member', 'org:organization'), False)
>>> [s.text(DEFAULT_PREFIXES) for s in edge["statements"]][0]
'id:membership/m org:member id:org/a .'
"""  # noqa: E501

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import networkx as nx
import pyoxigraph as ox

from clustergraph.errors import InputError
from clustergraph.network.index import GraphIndex, Statement, one_line
from clustergraph.project.vocab import FOAF, ORG, RDF
from clustergraph.store.base import GraphResult

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


# ---------------------------------------------------------------------------
# Building graphs
# ---------------------------------------------------------------------------


class _EdgeBuilder:
    """Collects relations and statements per node pair, then writes the edge attributes."""

    def __init__(self, support: bool = False) -> None:
        self._relations: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._statements: dict[tuple[str, str], set[Statement]] = defaultdict(set)
        self._support: dict[tuple[str, str], set[frozenset[str]]] | None = (
            defaultdict(set) if support else None
        )

    def add(self, a: str, b: str, relation: str, statements: Iterable[Statement]) -> None:
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        self._relations[key].add(relation)
        group = list(statements)
        self._statements[key].update(group)
        if self._support is not None:
            self._support[key].add(frozenset(n for s in group for n in (s.subject, s.object)))

    def build(
        self, graph: nx.Graph, name: Callable[[str], str], marked: frozenset[str] = frozenset()
    ) -> None:
        for key in sorted(self._relations):
            statements = tuple(sorted(self._statements[key]))
            if (
                marked
                and statements
                and all(s.subject in marked or s.object in marked for s in statements)
            ):
                graph.add_edge(*key, as_of="period not stated")
            graph.add_edge(
                *key,
                statements=statements,
                predicates=tuple(sorted({name(s.predicate) for s in statements})),
                relations=tuple(sorted(self._relations[key])),
                sources=tuple(sorted({g for s in statements for g in s.sources})),
                derived=bool(statements) and all(s.derived for s in statements),
                weight=len(self._relations[key]),
            )
            if self._support is not None:
                graph.edges[key]["support"] = tuple(self._support[key])


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


def entity_network(index: GraphIndex, *, support: bool = False) -> nx.Graph:
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
    edges = _EdgeBuilder(support)
    for s, p, o in index.links:
        if s in nodes and o in nodes:
            statement = index.statement(s, p, o)
            edges.add(s, o, index.name(p), [statement])
    edges.build(graph, index.name, index.not_stated_facts)
    return graph


def _mediators(index: GraphIndex, actors: set[str]) -> Iterator[tuple[str, str]]:
    """Yield ``(mediator, relation label prefix)`` for nodes that link actors together."""
    for node in index.entities():
        if node in actors or index.is_a(node, FOAF.Person) or index.is_a(node, ORG.Post):
            continue
        cls = index.primary_class(node)
        yield node, index.class_label(cls) if cls else "resource"


def organisation_network(index: GraphIndex, *, support: bool = False) -> nx.Graph:
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
    orgs = {n for n in index.entities() if index.is_a(n, ORG.Organization)}
    graph = _new_graph(index, orgs, "organisations")
    edges = _EdgeBuilder(support)
    for s, p, o in index.links:
        if s in orgs and o in orgs:
            edges.add(s, o, index.name(p), [index.statement(s, p, o)])
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
        if not index.is_a(post, ORG.Post):
            continue
        around = list(index.neighbours(post))
        for person, held in around:
            if not index.is_a(person, FOAF.Person):
                continue
            for org, post_in in around:
                if org in orgs:
                    posts_in[person].append((org, [held, post_in]))
    for person, places in sorted(posts_in.items()):
        relation = f"post holder {index.name(person)}"
        for i, (a, via_a) in enumerate(places):
            for b, via_b in places[i + 1 :]:
                edges.add(a, b, relation, [*via_a, *via_b])
    edges.build(graph, index.name, index.not_stated_facts)
    return graph


def people_network(index: GraphIndex, *, support: bool = False) -> nx.Graph:
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
    people = {n for n in entities if index.is_a(n, FOAF.Person)}
    orgs = {n for n in entities if index.is_a(n, ORG.Organization)}
    graph = _new_graph(index, people | orgs, "people")
    edges = _EdgeBuilder(support)
    for person in sorted(people):
        for other, statement in index.neighbours(person):
            if other in orgs:
                edges.add(person, other, index.name(statement.predicate), [statement])
    for mediator in entities:
        if mediator in people or mediator in orgs:
            continue
        around = list(index.neighbours(mediator))
        cls = index.primary_class(mediator)
        kind = "post" if index.is_a(mediator, ORG.Post) else index.class_label(cls) if cls else "?"
        relation = f"{kind} {index.name(mediator)}"
        for person, via_person in around:
            if person not in people:
                continue
            for org, via_org in around:
                if org in orgs:
                    edges.add(person, org, relation, [via_person, via_org])
    edges.build(graph, index.name, index.not_stated_facts)
    return graph


def actor_network(index: GraphIndex, *, support: bool = False) -> nx.Graph:
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
    graph = nx.compose(
        organisation_network(index, support=support), people_network(index, support=support)
    )
    graph.graph["name"] = "actors"
    return graph


PROJECTIONS: Mapping[str, Callable[..., nx.Graph]] = {
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


def project(index: GraphIndex, name: str = "entities", *, support: bool = False) -> nx.Graph:
    """Return the projection called ``name`` (one of :data:`PROJECTIONS`).

    Parameters
    ----------
    index
        The index read from the store (:meth:`GraphIndex.from_store`).
    name
        ``entities``, ``organisations``, ``people`` or ``actors``.

    Raises
    ------
    InputError
        If ``name`` is not a projection.
    """
    function = PROJECTIONS.get(name)
    if function is None:
        raise InputError(f"unknown network {name!r} (choose from {', '.join(PROJECTIONS)})")
    return function(index, support=support)


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


def construct_network(result: GraphResult | Iterable[ox.Triple], index: GraphIndex) -> nx.Graph:
    """Return the graph of a CONSTRUCT result: its resources and the links between them.

    Triples whose object is an IRI become edges, each with the graphs that state it or
    the articles it was derived from (looked up in ``index``); ``rdf:type`` triples add
    classes, and literal triples become facts of their subject. Blank nodes are left
    out.

    Parameters
    ----------
    result
        The result (:class:`clustergraph.store.base.GraphResult`) or its triples.
    index
        The index of the store the query ran on.

    Raises
    ------
    InputError
        If the result links no IRI at all.
    """
    triples = result.triples if isinstance(result, GraphResult) else result
    types: dict[str, set[str]] = defaultdict(set)
    literals: dict[str, set[tuple[str, str]]] = defaultdict(set)
    links: list[tuple[str, str, str]] = []
    nodes: set[str] = set()
    for triple in triples:
        s, p, o = triple.subject, triple.predicate, triple.object
        if not isinstance(s, ox.NamedNode):
            continue
        nodes.add(s.value)
        if p.value == RDF.type and isinstance(o, ox.NamedNode):
            types[s.value].add(o.value)
        elif isinstance(o, ox.NamedNode):
            nodes.add(o.value)
            links.append((s.value, p.value, o.value))
        elif isinstance(o, ox.Literal):
            literals[s.value].add((index.name(p.value), one_line(o.value)))
    if not nodes:
        raise InputError("the query result holds no IRI to draw")
    graph = _new_graph(index, (), "query")
    for node in sorted(nodes):
        attributes = index.node_attributes(node, types.get(node, ()))
        attributes["facts"] = tuple(sorted(set(attributes["facts"]) | literals.get(node, set())))
        graph.add_node(node, **attributes)
    edges = _EdgeBuilder()
    for subject, predicate, obj in sorted(set(links)):
        statement = index.statement(subject, predicate, obj)
        edges.add(subject, obj, index.name(predicate), [statement])
    edges.build(graph, index.name, index.not_stated_facts)
    return graph


def select_network(
    variables: Sequence[str],
    rows: Iterable[Sequence[ox.NamedNode | ox.BlankNode | ox.Literal | None]],
    index: GraphIndex,
) -> nx.Graph:
    """Return the graph of a SELECT result whose columns are entities.

    In each row the IRIs are nodes, and each is linked to the next IRI of the row (in
    column order) by an edge named ``?a → ?b``; the edge also carries the statements
    between the two, stated or derived, if any. Literal cells become facts of the
    row's first IRI.

    Parameters
    ----------
    variables, rows
        The result (:class:`clustergraph.store.base.SelectResult`): terms, ``None``
        where unbound.
    index
        The index of the store the query ran on.

    Raises
    ------
    InputError
        If no cell of the result is an IRI.
    """
    graph = _new_graph(index, (), "query")
    edges = _EdgeBuilder()
    facts: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in rows:
        cells = list(zip(variables, row, strict=True))
        entities = [(v, t.value) for v, t in cells if isinstance(t, ox.NamedNode)]
        for _v, node in entities:
            if node not in graph:
                graph.add_node(node, **index.node_attributes(node))
        if entities:
            first = entities[0][1]
            for v, term in cells:
                if isinstance(term, ox.Literal):
                    facts[first].add((f"?{v}", one_line(term.value)))
        for (va, a), (vb, b) in zip(entities, entities[1:], strict=False):
            edges.add(a, b, f"?{va} → ?{vb}", index.statements_between(a, b))
    if graph.number_of_nodes() == 0:
        raise InputError("the query result has no column of entities (IRIs) to draw")
    for node, extra in facts.items():
        graph.nodes[node]["facts"] = tuple(sorted(set(graph.nodes[node]["facts"]) | extra))
    edges.build(graph, index.name, index.not_stated_facts)
    return graph
