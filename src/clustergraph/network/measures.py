"""Measures of a network: centrality, communities, brokers, components, explained paths.

The networks are the projections of :mod:`clustergraph.network.projections`; everything here works
on any undirected :class:`networkx.Graph` whose nodes carry ``label``, ``name`` and
``cls`` and whose edges carry ``statements`` and ``relations``.

==========================  ==========================================================
measure                     how
==========================  ==========================================================
degree                      number of neighbours; ``degree_centrality`` divides by n-1
betweenness                 Brandes' algorithm (python-igraph), normalised as
                            :func:`networkx.betweenness_centrality` normalises it,
                            unweighted (every edge is one hop); exact where it
                            costs little (:data:`EXACT_WORK`), else estimated (below)
PageRank                    alpha 0.85, unweighted
communities                 Louvain with a fixed seed, edges weighted by their number
                            of relations; numbered from 1 by size
brokers                     articulation points (removing one disconnects the network)
                            and bridges (edges whose removal does), ranked by
                            betweenness
components                  connected components, numbered from 1 by size
==========================  ==========================================================

"The most central actors" are ranked by PageRank, then betweenness, then label.

**Networks of up to** :data:`EXACT_UP_TO` **nodes** (the seed graph's have about a
hundred) are measured with NetworkX (:func:`networkx.pagerank`,
:func:`networkx.community.louvain_communities`, bridges, articulation points).
**Larger networks** are measured with python-igraph, whose algorithms run in C (Louvain
as ``community_multilevel`` with the same seed, bridges, articulation points; NetworkX's
Louvain alone takes 44 s on 40,000 nodes), and their PageRank by NetworkX's power
iteration run on arrays (the same numbers, without the seconds NetworkX spends building
its matrix). Communities of a large network can differ from those NetworkX would find:
both are Louvain, but with different random draws.

**Betweenness** is computed by igraph (Brandes' algorithm: one breadth-first search
from every node, each costing about n + m steps, some 35 ms at 40,000 nodes and 83,000
edges). It is exact while n (n + m) is at most :data:`EXACT_WORK` (a few thousand
nodes: a second or two). Above, it is *estimated* from k source nodes drawn with the
seed (Brandes and Pich, 2007: the shortest paths from a random sample of sources,
scaled by n/k), where k is what :data:`SAMPLE_WORK` allows, between
:data:`MIN_SOURCES` and :data:`MAX_SOURCES` (500 up to 30,000 nodes and edges, 120 at
40,000 nodes and 83,000 edges). The sources are taken in :data:`BETWEENNESS_BATCHES`
batches of one size; the spread of the batches' estimates gives each node's standard
error, and the report states the largest one and the largest relative one among the
ten highest (:class:`Method`).

Examples
--------
>>> import networkx as nx
>>> g = nx.path_graph(["a", "b", "c"])
>>> for n in g:
...     g.nodes[n].update(label=n.upper(), name=n, cls="x:Thing")
>>> result = analyze(g)
>>> [s.name for s in result.ranked[:1]], result.articulation_points, len(result.bridges)
(['b'], ('b',), 2)
>>> [p.nodes for p in explain_paths(g, "a", "c")]
[('a', 'b', 'c')]
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from clustergraph.errors import InputError
from clustergraph.network.index import Statement

DEFAULT_SEED = 42
"""Seed of the Louvain community detection and of the betweenness sample."""

EXACT_UP_TO = 3_000
"""Networks of up to this many nodes get NetworkX's measures; larger ones igraph's."""

EXACT_WORK = 50_000_000
"""Betweenness is exact while nodes times (nodes + edges) is at most this."""

SAMPLE_WORK = 15_000_000
"""Sources times (nodes + edges): what the betweenness sample of a large network may cost."""

MIN_SOURCES, MAX_SOURCES = 50, 500
"""The fewest and the most source nodes of a betweenness sample."""

BETWEENNESS_BATCHES = 10
"""The sample is taken in this many batches, whose spread gives the standard error."""

__all__ = [
    "MAX_SOURCES",
    "MIN_SOURCES",
    "SAMPLE_WORK",
    "DEFAULT_SEED",
    "EXACT_UP_TO",
    "EXACT_WORK",
    "Analysis",
    "Bridge",
    "Community",
    "ExplainedPath",
    "Hop",
    "Method",
    "NodeScore",
    "analyze",
    "explain_paths",
]


@dataclass(frozen=True)
class Method:
    """How an analysis was computed, as its report states it.

    Attributes
    ----------
    engine
        What found the communities, bridges and articulation points: ``networkx`` or
        ``igraph`` (see the module docstring); betweenness is always computed by
        igraph.
    betweenness
        ``exact`` or ``sampled``.
    sources
        Source nodes of the betweenness computation (every node when exact).
    standard_error
        The largest standard error of a node's normalised betweenness (0 when exact).
    relative_error
        The largest standard error of the ten highest estimates, relative to each
        estimate (0 when exact): how far the ranking of the brokers can be trusted.

    Examples
    --------
    >>> Method().text()
    'betweenness exact (Brandes, igraph); Louvain, bridges by networkx'
    >>> Method("igraph", "sampled", 500, 0.0012, 0.08).text()
    'betweenness estimated from 500 sampled source nodes (Brandes–Pich, igraph), standard error at most 0.0012 (8% of the ten highest); Louvain, bridges by igraph'
    """  # noqa: E501

    engine: str = "networkx"
    betweenness: str = "exact"
    sources: int = 0
    standard_error: float = 0.0
    relative_error: float = 0.0

    def text(self) -> str:
        """Say in words how the measures were computed."""
        if self.betweenness == "exact":
            how = "betweenness exact (Brandes, igraph)"
        else:
            how = (
                f"betweenness estimated from {self.sources} sampled source nodes "
                f"(Brandes–Pich, igraph), standard error at most {self.standard_error:.2g} "
                f"({self.relative_error:.0%} of the ten highest)"
            )
        return f"{how}; Louvain, bridges by {self.engine}"


@dataclass(frozen=True)
class NodeScore:
    """The measures of one node.

    ``community`` and ``component`` are numbers from 1 (largest first); ``articulation``
    tells whether removing the node disconnects its component.
    """

    node: str
    label: str
    name: str
    cls: str
    degree: int
    degree_centrality: float
    betweenness: float
    pagerank: float
    community: int
    component: int
    articulation: bool


@dataclass(frozen=True)
class Community:
    """A community: its members ranked by PageRank, and how many of each class."""

    number: int
    members: tuple[str, ...]
    labels: tuple[str, ...]
    classes: tuple[tuple[str, int], ...]

    @property
    def size(self) -> int:
        """Number of members."""
        return len(self.members)


@dataclass(frozen=True)
class Bridge:
    """An edge whose removal disconnects the network, with what makes it."""

    a: str
    b: str
    relations: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, repr=False)
class Analysis:
    """The outcome of :func:`analyze`.

    ``ranked`` holds every node's scores, most central first; ``brokers`` the nodes
    with a positive betweenness, highest first.
    """

    def __repr__(self) -> str:
        """Say the network's size and its most central nodes, by name."""
        top = ", ".join(s.label for s in self.ranked[:5])
        return (
            f"<Analysis of the {self.network} network: {self.nodes:,} nodes, {self.edges:,} "
            f"edges, {len(self.components)} parts, {len(self.communities)} communities; "
            f"most central: {top}>"
        )

    network: str
    nodes: int
    edges: int
    seed: int
    ranked: tuple[NodeScore, ...]
    communities: tuple[Community, ...]
    modularity: float
    components: tuple[tuple[str, ...], ...]
    bridges: tuple[Bridge, ...]
    articulation_points: tuple[str, ...]
    method: Method = field(default_factory=Method)

    @property
    def brokers(self) -> tuple[NodeScore, ...]:
        """Nodes with a positive betweenness, highest first (articulation points first on ties)."""
        found = [s for s in self.ranked if s.betweenness > 0]
        found.sort(key=lambda s: (-s.betweenness, not s.articulation, s.label, s.node))
        return tuple(found)

    def score(self, node: str) -> NodeScore:
        """Return the scores of ``node``."""
        for score in self.ranked:
            if score.node == node:
                return score
        raise KeyError(node)

    def to_json(self) -> dict[str, Any]:
        """Return the analysis as JSON-ready data."""
        return {
            "network": self.network,
            "nodes": self.nodes,
            "edges": self.edges,
            "seed": self.seed,
            "method": asdict(self.method),
            "modularity": self.modularity,
            "ranked": [vars(s) for s in self.ranked],
            "communities": [
                {
                    "number": c.number,
                    "size": c.size,
                    "members": list(c.members),
                    "labels": list(c.labels),
                    "classes": dict(c.classes),
                }
                for c in self.communities
            ],
            "components": [list(c) for c in self.components],
            "bridges": [
                {"a": b.a, "b": b.b, "relations": list(b.relations), "sources": list(b.sources)}
                for b in self.bridges
            ],
            "articulation_points": list(self.articulation_points),
            "brokers": [s.node for s in self.brokers],
        }


def _numbered(groups: list[set[str]], key: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """Sort each group by ``key`` and the groups by size, then by their first member."""
    ordered = [tuple(sorted(g, key=lambda n: key[n])) for g in groups]
    ordered.sort(key=lambda g: (-len(g), key[g[0]] if g else ()))
    return ordered


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Make igraph draw its random numbers from a generator seeded with ``seed``."""
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def _pagerank(n: int, edges: list[tuple[int, int]], alpha: float = 0.85) -> Any:
    """Return the PageRank of nodes ``0..n-1`` of an undirected graph, as NetworkX computes it.

    The power iteration of :func:`networkx.pagerank` (tolerance 1e-6 per node, at most
    100 rounds, a dangling node's rank spread evenly), on arrays built straight from the
    edge list: NetworkX spends seconds converting a large graph to a matrix first, and
    igraph's PRPACK differs in the last digit from run to run.
    """
    import numpy
    import scipy.sparse

    ends = numpy.array(edges, dtype=numpy.int64).reshape(-1, 2)
    rows = numpy.concatenate([ends[:, 0], ends[:, 1]])
    cols = numpy.concatenate([ends[:, 1], ends[:, 0]])
    matrix = scipy.sparse.csr_array((numpy.ones(len(rows)), (rows, cols)), shape=(n, n))
    out = matrix.sum(axis=1)
    inverse = numpy.divide(1.0, out, out=numpy.zeros(n), where=out != 0)
    matrix = scipy.sparse.diags_array(inverse) @ matrix
    uniform = numpy.full(n, 1.0 / n)
    dangling = out == 0
    x = uniform
    for _ in range(100):
        last = x
        x = alpha * (x @ matrix + x[dangling].sum() * uniform) + (1 - alpha) * uniform
        if numpy.abs(x - last).sum() < n * 1e-6:
            break
    return x


def sample_size(nodes: int, edges: int) -> int:
    """Return how many source nodes estimate the betweenness of a large network.

    Examples
    --------
    >>> sample_size(6_000, 18_000), sample_size(40_000, 83_000), sample_size(10**6, 10**6)
    (500, 121, 50)
    """
    return max(MIN_SOURCES, min(MAX_SOURCES, nodes, SAMPLE_WORK // max(nodes + edges, 1)))


def _betweenness(igraph: Any, n: int, *, exact: bool, seed: int) -> tuple[list[float], Method]:
    """Return the normalised betweenness of every node (by index) and how it was had."""
    import numpy

    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    engine = "networkx" if n <= EXACT_UP_TO else "igraph"
    if exact:
        raw = igraph.betweenness(directed=False)
        return [b * scale for b in raw], Method(engine, "exact", n, 0.0)
    k = min(n, sample_size(n, igraph.ecount()))
    k -= k % BETWEENNESS_BATCHES  # batches of one size: their estimates weigh the same
    sources = random.Random(seed).sample(range(n), k)
    size = k // BETWEENNESS_BATCHES
    batches = [sources[i : i + size] for i in range(0, k, size)]
    # One row per batch: its estimate of every node's normalised betweenness.
    estimates = (
        numpy.array(
            [
                numpy.asarray(igraph.betweenness(directed=False, sources=batch)) * (n / len(batch))
                for batch in batches
            ]
        )
        * scale
    )
    mean = estimates.mean(axis=0)
    error = relative = 0.0
    if len(batches) > 1:
        spread = numpy.std(estimates, axis=0, ddof=1) / math.sqrt(len(batches))
        error = float(spread.max())
        top = [i for i in numpy.argsort(mean)[-10:] if mean[i] > 0]
        relative = max((float(spread[i] / mean[i]) for i in top), default=0.0)
    method = Method(engine, "sampled", len(sources), error, relative)
    return [float(x) for x in mean], method


def analyze(graph: nx.Graph, *, seed: int = DEFAULT_SEED) -> Analysis:
    """Compute the measures of ``graph``.

    Parameters
    ----------
    graph
        An undirected network (see :mod:`clustergraph.network.projections`).
    seed
        Seed of the Louvain community detection (and of the betweenness sample of a
        network too large for an exact betweenness, see :data:`EXACT_WORK`).

    Returns
    -------
    Analysis
        Scores per node, communities, components, bridges and articulation points, and
        how they were computed (:class:`Method`).
    """
    import igraph as ig

    n = graph.number_of_nodes()
    labels = {v: str(data.get("label", v)) for v, data in graph.nodes(data=True)}
    if n == 0:
        return Analysis(str(graph.graph.get("name", "")), 0, 0, seed, (), (), 0.0, (), (), ())
    small = n <= EXACT_UP_TO
    order = list(graph)
    position = {v: i for i, v in enumerate(order)}
    edge_list = [(position[a], position[b], w) for a, b, w in graph.edges(data="weight", default=1)]
    weights = [float(w) for _a, _b, w in edge_list]
    igraph = ig.Graph(n=n, edges=[(a, b) for a, b, _w in edge_list])
    degree = dict(graph.degree())
    degree_centrality = nx.degree_centrality(graph) if n > 1 else {v: 0.0 for v in graph}
    exact = n * (n + len(edge_list)) <= EXACT_WORK
    scores_b, method = _betweenness(igraph, n, exact=exact, seed=seed)
    betweenness = {v: scores_b[position[v]] for v in order}
    groups: list[set[Any]]
    if not graph.number_of_edges():
        pagerank = {v: 1.0 / n for v in graph}
    elif small:
        pagerank = nx.pagerank(graph, alpha=0.85, weight=None)
    else:
        ranks = _pagerank(n, igraph.get_edgelist())
        pagerank = {v: float(ranks[position[v]]) for v in order}
    if small:
        groups = [
            set(g) for g in nx.community.louvain_communities(graph, weight="weight", seed=seed)
        ]
        # With no edge there is nothing to divide into communities (networkx divides by 0).
        linked = groups and graph.number_of_edges() > 0
        modularity = (
            float(nx.community.modularity(graph, groups, weight="weight")) if linked else 0.0
        )
        articulation = set(nx.articulation_points(graph))
        bridge_pairs = list(nx.bridges(graph))
    else:
        with _seeded(seed):
            clustering = igraph.community_multilevel(weights=weights)
        modularity = float(igraph.modularity(clustering.membership, weights=weights))
        groups = [{order[i] for i in members} for members in clustering if members]
        articulation = {order[i] for i in igraph.articulation_points()}
        bridge_pairs = [
            (order[igraph.es[e].source], order[igraph.es[e].target]) for e in igraph.bridges()
        ]
    rank_key = {v: (-pagerank[v], -betweenness[v], labels[v], v) for v in graph}
    communities = _numbered(groups, rank_key)
    components = _numbered([set(c) for c in nx.connected_components(graph)], rank_key)
    community_of = {v: i for i, members in enumerate(communities, 1) for v in members}
    component_of = {v: i for i, members in enumerate(components, 1) for v in members}
    scores = [
        NodeScore(
            node=v,
            label=labels[v],
            name=str(data.get("name", v)),
            cls=str(data.get("cls", "")),
            degree=int(degree[v]),
            degree_centrality=float(degree_centrality[v]),
            betweenness=float(betweenness[v]),
            pagerank=float(pagerank[v]),
            community=community_of[v],
            component=component_of[v],
            articulation=v in articulation,
        )
        for v, data in graph.nodes(data=True)
    ]
    scores.sort(key=lambda s: rank_key[s.node])
    bridges = []
    for a, b in bridge_pairs:
        a, b = sorted((a, b), key=lambda v: rank_key[v])
        data = graph.edges[a, b]
        bridges.append(
            Bridge(a, b, tuple(data.get("relations", ())), tuple(data.get("sources", ())))
        )
    bridges.sort(key=lambda br: (rank_key[br.a], rank_key[br.b]))
    return Analysis(
        network=str(graph.graph.get("name", "")),
        nodes=n,
        edges=graph.number_of_edges(),
        seed=seed,
        ranked=tuple(scores),
        communities=tuple(
            Community(
                number=i,
                members=members,
                labels=tuple(labels[v] for v in members),
                classes=tuple(
                    sorted(
                        Counter(str(graph.nodes[v].get("cls", "")) for v in members).items(),
                        key=lambda kv: (-kv[1], kv[0]),
                    )
                ),
            )
            for i, members in enumerate(communities, 1)
        ),
        modularity=modularity,
        components=tuple(components),
        bridges=tuple(bridges),
        articulation_points=tuple(sorted(articulation, key=lambda v: (-betweenness[v], labels[v]))),
        method=method,
    )


# ---------------------------------------------------------------------------
# How two entities are connected
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """One step of a path: the two nodes and the statements that link them."""

    start: str
    end: str
    relations: tuple[str, ...]
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class ExplainedPath:
    """A path between two nodes, hop by hop."""

    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """The named graphs stating any statement of the path, sorted."""
        return tuple(sorted({g for h in self.hops for s in h.statements for g in s.graphs}))


_MAX_CANDIDATES = 10_000


def explain_paths(graph: nx.Graph, start: str, end: str, *, limit: int = 5) -> list[ExplainedPath]:
    """Return up to ``limit`` shortest paths from ``start`` to ``end``, explained.

    The paths are all of the shortest length; when there are more than ``limit``, the
    first ones by the labels of their nodes are kept.

    Parameters
    ----------
    graph
        The network.
    start, end
        Two nodes of ``graph``.
    limit
        The most paths to return (1 or more).

    Returns
    -------
    list of ExplainedPath
        Empty if the nodes are not connected.

    Raises
    ------
    InputError
        If a node is not in the graph, both are the same, or ``limit`` < 1.
    """
    if limit < 1:
        raise InputError(f"the number of paths must be 1 or more, not {limit}")
    for node in (start, end):
        if node not in graph:
            raise InputError(f"{node} is not a node of the {graph.graph.get('name', '')} network")
    if start == end:
        raise InputError("the two entities are the same")
    try:
        found = list(itertools.islice(nx.all_shortest_paths(graph, start, end), _MAX_CANDIDATES))
    except nx.NetworkXNoPath:
        return []

    def key(path: list[str]) -> tuple[tuple[str, str], ...]:
        return tuple((str(graph.nodes[v].get("label", v)), v) for v in path)

    found.sort(key=key)
    result = []
    for path in found[:limit]:
        hops = tuple(
            Hop(
                start=a,
                end=b,
                relations=tuple(graph.edges[a, b].get("relations", ())),
                statements=tuple(graph.edges[a, b].get("statements", ())),
            )
            for a, b in itertools.pairwise(path)
        )
        result.append(ExplainedPath(tuple(path), hops))
    return result


@dataclass(frozen=True)
class Part:
    """A connected component of a network: its rank by size, its size, its best-known node."""

    number: int
    size: int
    best_known: str


@dataclass(frozen=True)
class NoPath:
    """Why two nodes have no path: the parts of the network each is in, and its nearest nodes."""

    network: str
    parts: int
    start: str
    end: str
    start_part: Part
    end_part: Part
    nearest: tuple[tuple[str, ...], tuple[str, ...]]


def why_no_path(
    graph: nx.Graph,
    start: str,
    end: str,
    *,
    nearest: int = 3,
    prefer: Callable[[str], bool] | None = None,
) -> NoPath:
    """Tell the parts (connected components) of ``graph`` that ``start`` and ``end`` are in.

    Parts are numbered by size, the largest first; a part's best-known node is the one
    with the most links (then the first by label). ``nearest`` gives, for each node,
    up to that many of the closest nodes it is connected to (fewest hops, most links),
    within three hops. Nodes for which ``prefer`` is true (say, organisations and
    people rather than the records that link them) come first in both.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("x", "y")])
    >>> why = why_no_path(g, "a", "x")
    >>> why.parts, why.start_part, why.nearest
    (2, Part(number=1, size=3, best_known='b'), (('b', 'c'), ('y',)))
    """

    def label(node: str) -> str:
        return str(graph.nodes[node].get("label", node))

    def other(node: str) -> bool:
        return prefer is not None and not prefer(node)

    components = sorted(
        (frozenset(c) for c in nx.connected_components(graph)),
        key=lambda c: (-len(c), min(c)),
    )
    part_of = {}
    for number, members in enumerate(components, 1):
        for node in members:
            part_of[node] = number

    def part(node: str) -> Part:
        number = part_of[node]
        members = components[number - 1]
        best = min(members, key=lambda n: (other(n), -graph.degree(n), label(n), n))
        return Part(number, len(members), best)

    def closest(node: str) -> tuple[str, ...]:
        hops = nx.single_source_shortest_path_length(graph, node, cutoff=3)
        around = sorted(
            (n for n in hops if n != node),
            key=lambda n: (other(n), hops[n], -graph.degree(n), label(n), n),
        )
        return tuple(around[:nearest])

    return NoPath(
        network=str(graph.graph.get("name", "")),
        parts=len(components),
        start=start,
        end=end,
        start_part=part(start),
        end_part=part(end),
        nearest=(closest(start), closest(end)),
    )
