"""The graph as of a day, and the periods of its facts, read from a :class:`GraphIndex`.

:func:`periods` reads the period of every fact and organisation of an index (the
OWL-Time intervals of memberships, posts, label awards and projects; founding and
dissolution dates; the dates of events and documents); :func:`as_of` returns a copy of
the index holding only what is true on a day, by the rule of
:mod:`clustergraph.rdf.periods`. Every projection, analysis, path and view made from
that copy is the network as of that day: ``analyze``, ``path``, ``view`` and ``build``
take ``--as-of`` through it, and ``analyze --over`` steps through days with it.

What is left out on a day: a fact (membership, post, label award, event, agreement,
order, project) whose period excludes it, an organisation not yet founded or already
dissolved, and a person whose every tie was left out. A fact whose period is not
stated is kept and marked (its node's ``as_of`` attribute, and a fact ``as of DAY:
period not stated`` in its tooltip), or left out with ``dated_only``; organisations and
persons are never left out for want of a date.

Examples
--------
>>> from datetime import date
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> store.replace_graphs({"https://w3id.org/clustergraph/graph/source/a": b'''
...   <https://w3id.org/clustergraph/id/org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#FormalOrganization> .
...   <https://w3id.org/clustergraph/id/org/a> <https://schema.org/foundingDate> "2018"^^<http://www.w3.org/2001/XMLSchema#gYear> .
... '''})
>>> index = GraphIndex.from_store(store)
>>> periods(index)["https://w3id.org/clustergraph/id/org/a"].text()
'since 2018'
>>> as_of(index, date(2017, 12, 31)).entities(), len(as_of(index, date(2018, 1, 1)).entities())
([], 1)
"""  # noqa: E501

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from clustergraph.network.index import GraphIndex
from clustergraph.project.namespace import CG
from clustergraph.project.vocab import FOAF, ORG, SCHEMA, TIME
from clustergraph.rdf.periods import Holds, Period

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "FACT_CLASSES",
    "Timeline",
    "OverTime",
    "Presence",
    "Step",
    "as_of",
    "measure_step",
    "over",
    "periods",
    "presence",
    "status",
    "time_steps",
]

PERIOD_LINKS = (ORG.memberDuring, CG.heldDuring, CG.validDuring, CG.period)
"""Predicates from a fact to its OWL-Time interval."""

_INSTANT_VALUES = (
    TIME.inXSDDate,
    TIME.inXSDgYearMonth,
    TIME.inXSDgYear,
    TIME.inXSDDateTimeStamp,
    TIME.inXSDDateTime,
)

FACT_CLASSES = (
    ORG.Membership,
    ORG.Post,
    CG.ExcellenceLabelAward,
    SCHEMA.Event,
    CG.Agreement,
    CG.Order,
    CG.Project,
)
"""Classes of the facts that hold for a time (and are left out when their period excludes
the day, or is not stated and ``dated_only`` is asked)."""


def _literal(index: GraphIndex, node: str, predicates: tuple[str, ...]) -> str | None:
    found = sorted(lit.value for p, lit, _g in index.literals.get(node, ()) if p in predicates)
    return found[0] if found else None


def _interval(index: GraphIndex, out: Mapping[str, list[tuple[str, str]]], interval: str) -> Period:
    def ends(predicate: str) -> list[str]:
        values = []
        for p, instant in out.get(interval, ()):
            if p == predicate:
                value = _literal(index, instant, _INSTANT_VALUES)
                if value is not None:
                    values.append(value)
        return sorted(values)

    begins, finishes, inside = ends(TIME.hasBeginning), ends(TIME.hasEnd), ends(TIME.inside)
    inferred = any(p == CG.inferenceNote for p, _l, _g in index.literals.get(interval, ()))
    return Period(
        begin=begins[0] if begins else None,
        end=finishes[-1] if finishes else None,
        inside=tuple(inside),
        inferred=inferred,
    )


def _date(index: GraphIndex, node: str) -> tuple[str | None, bool]:
    """Return the node's ``cg:date``, or the curator's inferred date when it has no year."""
    stated = _literal(index, node, (CG.date,))
    if stated is not None and not stated.startswith("--"):
        return stated, False
    inferred = _literal(index, node, (CG.inferredDate,))
    return inferred, inferred is not None


def periods(index: GraphIndex) -> dict[str, Period]:
    """Return the period of each fact and organisation of ``index`` that has one.

    A fact linked to an interval (:data:`PERIOD_LINKS`) has that interval; a label award
    with no beginning there, and an agreement or order, begin on their date; an event is
    its date; an organisation runs from its founding to its dissolution date.
    """
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, p, o in index.links:
        out[s].append((p, o))
    found: dict[str, Period] = {}
    for node in index.entities():
        interval = next((o for p, o in sorted(out.get(node, ())) if p in PERIOD_LINKS), None)
        period = _interval(index, out, interval) if interval is not None else None
        if index.is_a(node, ORG.Organization):
            founded = _literal(index, node, (SCHEMA.foundingDate,))
            dissolved = _literal(index, node, (SCHEMA.dissolutionDate,))
            if founded is not None or dissolved is not None:
                period = Period(begin=founded, end=dissolved)
        elif index.is_a(node, SCHEMA.Event):
            day, inferred = _date(index, node)
            if day is not None:
                period = Period(begin=day, end=day, inferred=inferred)
        elif period is None or period.begin is None:
            day, inferred = _date(index, node)
            if day is not None:
                base = period or Period()
                period = Period(day, base.end, base.inside, inferred or base.inferred)
        if period is not None:
            found[node] = period
    return found


def status(index: GraphIndex, node: str, day: date, known: Mapping[str, Period]) -> Holds | None:
    """Return whether ``node`` holds on ``day``; ``None`` for what time does not apply to."""
    period = known.get(node)
    if index.is_a(node, ORG.Organization):
        return period.on(day) if period is not None else Holds.NOT_STATED
    if any(index.is_a(node, cls) for cls in FACT_CLASSES):
        return period.on(day) if period is not None else Holds.NOT_STATED
    if period is not None:
        return period.on(day)
    return None


class Timeline:
    """What :func:`as_of` needs of an index, read once for any number of days.

    The periods (:func:`periods`), which entities are organisations, facts and persons,
    and the entities each is tied to.
    """

    def __init__(self, index: GraphIndex) -> None:
        self.index = index
        self.known = periods(index)
        entities = index.entities()
        self.orgs = {n for n in entities if index.is_a(n, ORG.Organization)}
        self.facts = {
            n
            for n in entities
            if n not in self.orgs and any(index.is_a(n, cls) for cls in FACT_CLASSES)
        }
        self.people = {n for n in entities if index.is_a(n, FOAF.Person)}
        timed = self.orgs | self.facts
        listed = set(entities)
        self.dated = {n: p for n, p in self.known.items() if n in listed}
        self.undated_timed = timed - set(self.dated)
        ties: dict[str, set[str]] = defaultdict(set)
        for s, _p, o in index.links:
            ties[s].add(o)
            ties[o].add(s)
        self.fact_ties = {n: ties.get(n, set()) & self.orgs for n in self.facts}
        self.person_ties = {
            n: {t for t in ties.get(n, ()) if index.is_entity(t)} for n in self.people
        }
        memberships: list[tuple[str, str, str]] = []
        of: dict[str, str] = {}
        who: dict[str, list[str]] = defaultdict(list)
        for s, p, o in index.links:
            if p == ORG.organization:
                of[s] = o
            elif p == ORG.member:
                who[s].append(o)
        for membership, organisation in of.items():
            if index.is_a(organisation, ORG.OrganizationalCollaboration):
                memberships.extend((membership, organisation, m) for m in who.get(membership, ()))
        self.memberships = memberships

    def left_out(self, day: date, *, dated_only: bool = False) -> tuple[set[str], set[str]]:
        """Return the entities left out on ``day`` and those kept whose period is not stated."""
        removed: set[str] = set()
        not_stated = set(self.undated_timed)
        for node, period in self.dated.items():
            holds = period.on(day)
            if holds is Holds.NO:
                removed.add(node)
            elif holds is Holds.NOT_STATED:
                not_stated.add(node)
        if dated_only:
            dropped = not_stated - self.orgs
            removed |= dropped
            not_stated -= dropped
        # A fact about an organisation left out (not yet founded, dissolved) goes with it.
        gone = removed & self.orgs
        if gone:
            for node in self.facts:
                if node not in removed and self.fact_ties[node] & gone:
                    removed.add(node)
                    not_stated.discard(node)
        # A person whose every tie is left out is left out too.
        for node, linked in self.person_ties.items():
            if linked and linked <= removed:
                removed.add(node)
        return removed, not_stated

    def members(self, removed: set[str]) -> dict[str, int]:
        """Return the members of each network through the memberships not ``removed``."""
        found: dict[str, set[str]] = defaultdict(set)
        for membership, network, member in self.memberships:
            if membership not in removed and network not in removed and member not in removed:
                found[network].add(member)
        return {k: len(v) for k, v in found.items()}


def as_of(
    index: GraphIndex,
    day: date,
    *,
    dated_only: bool = False,
    timeline: Timeline | None = None,
) -> GraphIndex:
    """Return a copy of ``index`` holding what is true on ``day`` (see the module docstring).

    Parameters
    ----------
    index
        The whole index (it is not changed).
    day
        The day.
    dated_only
        Leave out the facts whose period is not stated too.
    timeline
        :class:`Timeline` of ``index``, when already read.

    Returns
    -------
    GraphIndex
        The copy; ``as_of`` is the day and ``not_stated`` the kept nodes whose period is
        not stated.
    """
    timeline = Timeline(index) if timeline is None else timeline
    removed, not_stated = timeline.left_out(day, dated_only=dated_only)
    facts = frozenset(n for n in not_stated if n not in timeline.orgs)
    return _without(index, removed, day, frozenset(not_stated), facts)


def _without(
    index: GraphIndex,
    removed: set[str],
    day: date,
    marked: frozenset[str],
    facts: frozenset[str],
) -> GraphIndex:
    """Return a copy of ``index`` without the nodes ``removed`` and their links."""
    kept = GraphIndex(index.prefixes)
    kept.links = defaultdict(
        set,
        {k: set(v) for k, v in index.links.items() if k[0] not in removed and k[2] not in removed},
    )
    kept.derived_links = defaultdict(
        set,
        {
            k: set(v)
            for k, v in index.derived_links.items()
            if k[0] not in removed and k[2] not in removed
        },
    )
    kept.derived_sources = dict(index.derived_sources)
    kept.types = defaultdict(set, {k: v for k, v in index.types.items() if k not in removed})
    kept.typed_in_data = {n for n in index.typed_in_data if n not in removed}
    kept.described_in = defaultdict(
        set, {k: v for k, v in index.described_in.items() if k not in removed}
    )
    kept.literals = defaultdict(list, {k: v for k, v in index.literals.items() if k not in removed})
    kept.class_labels = index.class_labels
    kept.ontology_classes = index.ontology_classes
    kept.graph_sources = index.graph_sources
    kept.same_as = index.same_as
    kept._label_candidates = index._label_candidates
    kept._superclasses = copy.copy(index._superclasses)
    kept._ancestors = index._ancestors
    kept.as_of = day
    kept.not_stated = marked
    kept.not_stated_facts = facts
    kept._finish()
    return kept


# ---------------------------------------------------------------------------
# Through time: the measures per step
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """The measures of a network as of one day (:func:`over`).

    Attributes
    ----------
    day
        The day.
    nodes, edges, components, communities
        Counts; communities by Louvain (igraph's multilevel, seeded).
    modularity
        Of those communities.
    not_stated
        Nodes kept whose period is not stated that day.
    members
        Network (an ``org:OrganizationalCollaboration``) -> members whose membership is
        kept that day.
    pagerank, degree
        Of every node.
    """

    day: date
    nodes: int
    edges: int
    components: int
    communities: int
    modularity: float
    not_stated: int
    members: dict[str, int]
    pagerank: dict[str, float]
    degree: dict[str, int]


@dataclass(frozen=True)
class OverTime:
    """The measures of a network step by step, and who leads (:func:`over`)."""

    network: str
    steps: tuple[Step, ...]
    leaders: tuple[str, ...]
    networks: tuple[str, ...]
    labels: dict[str, str]


def measure_step(
    graph: nx.Graph,
    day: date,
    *,
    not_stated: int = 0,
    members: dict[str, int] | None = None,
    seed: int = 42,
) -> Step:
    """Return the measures of one step (no betweenness: PageRank and degree lead)."""
    import igraph as ig

    from clustergraph.network.measures import _pagerank, _seeded

    order = list(graph)
    n = len(order)
    position = {v: i for i, v in enumerate(order)}
    edges = [(position[a], position[b]) for a, b in graph.edges()]
    weights = [float(w) for _a, _b, w in graph.edges(data="weight", default=1)]
    igraph = ig.Graph(n=n, edges=edges)
    if n and edges:
        ranks = _pagerank(n, edges)
        pagerank = {v: float(ranks[position[v]]) for v in order}
        with _seeded(seed):
            clustering = igraph.community_multilevel(weights=weights)
        communities = sum(1 for c in clustering if c)
        modularity = float(igraph.modularity(clustering.membership, weights=weights))
    else:
        pagerank = {v: 1.0 / n for v in order}
        communities, modularity = n, 0.0
    return Step(
        day=day,
        nodes=n,
        edges=len(edges),
        components=len(igraph.connected_components()) if n else 0,
        communities=communities,
        modularity=modularity,
        not_stated=not_stated,
        members=dict(sorted((members or {}).items())),  # sorted: the same data, the same key
        pagerank=pagerank,
        degree=dict(graph.degree()),
    )


def over(
    index: GraphIndex,
    days: list[date],
    *,
    network: str = "actors",
    dated_only: bool = False,
    seed: int = 42,
    top: int = 5,
) -> OverTime:
    """Return the measures of the ``network`` projection as of each of ``days``.

    The index is read once and projected once; each step keeps the nodes and edges of
    that projection that are there on its day (an edge is there when one of the groups
    of statements that make it, with every node they name, is), which is the projection
    of :func:`as_of`'s index, and measures it. The leading actors are the ``top`` of the
    last step by PageRank.
    """
    steps = [step for _graph, step in _stepping(index, days, network, dated_only, seed)]
    return _summed(index, network, steps, top)


def _stepping(
    index: GraphIndex, days: list[date], network: str, dated_only: bool, seed: int
) -> Iterator[tuple[nx.Graph, Step]]:
    """Yield the projection as of each day and its measures (the index read once)."""
    import networkx as nx

    from clustergraph.network.projections import project

    timeline = Timeline(index)
    whole = project(index, network, support=True)
    edges = [(a, b, d.get("weight", 1), d["support"]) for a, b, d in whole.edges(data=True)]
    for day in days:
        removed, not_stated = timeline.left_out(day, dated_only=dated_only)
        graph = nx.Graph()
        graph.add_nodes_from(n for n in whole if n not in removed)
        graph.add_weighted_edges_from(
            (a, b, w)
            for a, b, w, support in edges
            if a not in removed
            and b not in removed
            and any(not (group & removed) for group in support)
        )
        step = measure_step(
            graph,
            day,
            not_stated=sum(1 for n in graph if n in not_stated),
            members=timeline.members(removed),
            seed=seed,
        )
        yield graph, step


def _summed(index: GraphIndex, network: str, steps: list[Step], top: int) -> OverTime:
    last = steps[-1] if steps else None
    leaders: tuple[str, ...] = ()
    if last is not None:
        leaders = tuple(
            sorted(last.pagerank, key=lambda v: (-last.pagerank[v], index.label(v), v))[:top]
        )
    networks = tuple(
        sorted({k for s in steps for k in s.members}, key=lambda v: (index.label(v), v))
    )
    labels = {v: index.label(v) for v in (*leaders, *networks)}
    return OverTime(network, tuple(steps), leaders, networks, labels)


def time_steps(index: GraphIndex, *, most: int = 40) -> list[date]:
    """Return the years the dated facts of ``index`` span, as of 31 December of each.

    From the earliest year a period or date names to the latest (at most ``most`` years,
    the latest kept); none when nothing is dated.
    """
    from clustergraph.rdf.periods import first_day, last_day

    years: set[int] = set()
    for period in periods(index).values():
        for text in (period.begin, period.end, *period.inside):
            if text is None:
                continue
            for day in (first_day(text), last_day(text)):
                if day is not None:
                    years.add(day.year)
    if not years:
        return []
    first, last = min(years), max(years)
    first = max(first, last - most + 1)
    return [date(year, 12, 31) for year in range(first, last + 1)]


@dataclass(frozen=True)
class Presence:
    """Which nodes and edges of a network are there as of each step (the time slider's data).

    Attributes
    ----------
    over
        The measures per step.
    nodes
        Node -> one character per step, ``1`` where the node is there that day.
    edges
        Pair of nodes (sorted) -> the same for the edge.
    """

    over: OverTime
    nodes: dict[str, str]
    edges: dict[tuple[str, str], str]


def presence(
    index: GraphIndex, days: list[date], *, network: str = "actors", seed: int = 42
) -> Presence:
    """Return which nodes and edges of ``network`` are there as of each of ``days``."""
    nodes: dict[str, list[str]] = defaultdict(lambda: ["0"] * len(days))
    edges: dict[tuple[str, str], list[str]] = defaultdict(lambda: ["0"] * len(days))
    steps: list[Step] = []
    for k, (graph, step) in enumerate(_stepping(index, days, network, False, seed)):
        steps.append(step)
        for node in graph:
            nodes[node][k] = "1"
        for a, b in graph.edges():
            edges[(a, b) if a < b else (b, a)][k] = "1"
    return Presence(  # sorted: the same graph gives the same view and the same key
        _summed(index, network, steps, 5),
        {n: "".join(nodes[n]) for n in sorted(nodes)},
        {e: "".join(edges[e]) for e in sorted(edges)},
    )
