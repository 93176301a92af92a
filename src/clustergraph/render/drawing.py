"""Positions, sizes and parts of a view, computed before the page is written.

A browser should only draw: vis-network's physics takes seconds to settle a few hundred
nodes and never settles thousands, so every position is computed here, with
python-igraph (its Fruchterman–Reingold layout takes about 0.4 s for 5,000 nodes where
networkx's ``spring_layout`` takes 40 s).

* **Layout.** Each connected component is laid out on its own (Fruchterman–Reingold,
  from seeded random starting points, so the same graph gives the same picture), scaled
  so that its median edge is :data:`EDGE_PX` pixels long (more where nodes crowd), and
  the components are packed
  in rows, largest first; isolated nodes fill a grid at the end.
* **Sizes.** A node's size grows with the square root of its score: PageRank (default),
  degree or betweenness, computed with igraph.
* **Parts.** A graph of more than ``max_nodes`` nodes is not drawn whole. It is split
  into parts: Louvain communities (igraph's multilevel algorithm, seeded); small
  communities are packed together, a community that is still too big is split again
  (by class, then into chunks). The page first draws the parts as nodes, with the
  number of edges between them, and the user opens a part to see its nodes. Every part
  holding nodes has at most ``max_nodes`` of them, and every level at most
  ``max_groups`` parts.

Examples
--------
>>> d = draw(4, [(0, 1), (1, 2)], ["a", "b", "c", "d"], [0, 0, 1, 1])
>>> len(d.parts), d.parts[0].nodes, [round(s, 3) for s in d.score][:2]
(1, [0, 1, 2, 3], [0.245, 0.463])
"""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import igraph as ig
import numpy
from scipy.spatial import cKDTree

from clustergraph.errors import InputError

EDGE_PX = 120.0
"""Median edge length, in pixels (vis-network's unit), of a laid-out component."""

ASPECT = 1.6
"""Width to height of the drawing that packing aims at (screens are wider than tall)."""

PART_EDGE_PX = 3 * EDGE_PX
"""Median edge length between parts, which are large nodes with long labels."""

SIZE_MEASURES = ("pagerank", "degree", "betweenness")
"""The scores a view can size its nodes by."""

MIN_SIZE, MAX_SIZE = 7.0, 30.0

KAMADA_KAWAI_UP_TO = 400
"""Components up to this size are laid out with Kamada–Kawai (even edges), larger ones FR."""

MIN_GAP = 0.5
"""Most nodes of a component are at least this many median edges from their nearest one."""

MAX_SPREAD = 3.0
"""A crowded component is spread out by this factor at most."""

__all__ = ["EDGE_PX", "SIZE_MEASURES", "Drawing", "Part", "draw", "layout"]


@dataclass
class Part:
    """One part of a view: either a set of nodes (a leaf) or a set of smaller parts.

    Attributes
    ----------
    label
        What the page calls it.
    parent
        Index of the enclosing part (-1 for the root).
    children
        Indices of its parts (empty for a leaf).
    nodes
        Indices of its nodes (leaves only).
    edges
        Indices of the edges between its nodes (leaves only).
    links
        ``(child, child, number of edges)`` between its parts (non-leaves only).
    size
        Number of nodes inside, at any depth.
    x, y
        Position of this part's node in its parent's drawing.
    classes
        Number of nodes per class index.
    """

    label: str
    parent: int
    children: list[int] = field(default_factory=list)
    nodes: list[int] = field(default_factory=list)
    edges: list[int] = field(default_factory=list)
    links: list[tuple[int, int, int]] = field(default_factory=list)
    size: int = 0
    x: float = 0.0
    y: float = 0.0
    classes: dict[int, int] = field(default_factory=dict)

    @property
    def is_leaf(self) -> bool:
        """Whether the part holds nodes rather than parts."""
        return not self.children


@dataclass
class Drawing:
    """Positions, scores and parts of a view's nodes (indices as given to :func:`draw`)."""

    x: list[float]
    y: list[float]
    score: list[float]
    size: list[float]
    parts: list[Part]
    leaf_of: list[int]


@contextmanager
def _seeded(seed: int) -> Iterator[random.Random]:
    """Make igraph draw its random numbers from a generator seeded with ``seed``."""
    rng = random.Random(seed)
    ig.set_random_number_generator(rng)
    try:
        yield rng
    finally:
        ig.set_random_number_generator(random)


def _fruchterman_reingold(
    n: int, edges: Sequence[tuple[int, int]], weights: Sequence[float] | None, seed: int
) -> list[tuple[float, float]]:
    """Lay out one connected graph; the median edge is one unit long."""
    if n == 1:
        return [(0.0, 0.0)]
    graph = ig.Graph(n=n, edges=list(edges))
    side = math.sqrt(n)
    with _seeded(seed) as rng:
        start = [
            [rng.uniform(-side / 2, side / 2), rng.uniform(-side / 2, side / 2)] for _ in range(n)
        ]
        if n <= KAMADA_KAWAI_UP_TO:
            coords = graph.layout_kamada_kawai(seed=start, maxiter=10 * n).coords
        else:
            coords = graph.layout_fruchterman_reingold(
                seed=start, weights=list(weights) if weights is not None else None, niter=500
            ).coords
    lengths = [math.dist(coords[a], coords[b]) for a, b in edges if a != b]
    unit = statistics.median(lengths) if lengths else 1.0
    unit = unit if unit > 1e-9 else 1.0
    # Spread crowded drawings (stars, dense groups) so that most nodes keep a little room:
    # the 10th percentile of nearest-neighbour distances is at least MIN_GAP edges.
    nearest, _ = cKDTree(coords).query(coords, k=2)
    crowded = float(numpy.percentile(nearest[:, 1], 10)) / unit
    if 0 < crowded < MIN_GAP:
        unit *= max(crowded / MIN_GAP, 1 / MAX_SPREAD)
    cx = sum(c[0] for c in coords) / n
    cy = sum(c[1] for c in coords) / n
    return [((c[0] - cx) / unit, (c[1] - cy) / unit) for c in coords]


def layout(
    n: int,
    edges: Sequence[tuple[int, int]],
    *,
    seed: int = 42,
    weights: Sequence[float] | None = None,
    spacing: float = EDGE_PX,
) -> list[tuple[float, float]]:
    """Return pixel positions for a graph of ``n`` nodes, components packed in rows.

    Parameters
    ----------
    n
        Number of nodes, indexed from 0.
    edges
        Pairs of node indices.
    seed
        Seed of the random starting positions.
    weights
        Optional weight per edge (heavier edges pull harder).
    spacing
        Median edge length in pixels.

    Returns
    -------
    list of (float, float)
        One position per node.

    Examples
    --------
    >>> pos = layout(3, [(0, 1)])
    >>> round(math.dist(pos[0], pos[1])), len(pos)
    (120, 3)
    """
    if n == 0:
        return []
    graph = ig.Graph(n=n, edges=list(edges))
    members = sorted(graph.connected_components(), key=lambda c: (-len(c), c[0]))
    weight_of: dict[tuple[int, int], float] = {}
    if weights is not None:
        for (a, b), w in zip(edges, weights, strict=True):
            key = (min(a, b), max(a, b))
            weight_of[key] = weight_of.get(key, 0.0) + w
    edges_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    component_of = {}
    for number, component in enumerate(members):
        for v in component:
            component_of[v] = number
    for a, b in {(min(a, b), max(a, b)) for a, b in edges if a != b}:
        edges_of[component_of[a]].append((a, b))
    boxes: list[tuple[list[int], list[tuple[float, float]]]] = []
    for number, component in enumerate(members):
        local = {v: i for i, v in enumerate(component)}
        pairs = sorted(edges_of[number])
        local_edges = [(local[a], local[b]) for a, b in pairs]
        local_weights = [weight_of[p] for p in pairs] if weights is not None else None
        coords = _fruchterman_reingold(len(component), local_edges, local_weights, seed + number)
        boxes.append((list(component), coords))
    return _pack(n, boxes, spacing)


def _pack(
    n: int, boxes: Sequence[tuple[list[int], list[tuple[float, float]]]], spacing: float
) -> list[tuple[float, float]]:
    """Place laid-out components in rows (shelf packing), in pixels."""
    gap = 1.5
    extents = []
    for _nodes, coords in boxes:
        xs = [c[0] for c in coords]
        ys = [c[1] for c in coords]
        extents.append((min(xs), min(ys), max(xs) - min(xs) + gap, max(ys) - min(ys) + gap))
    area = sum(w * h for *_xy, w, h in extents)
    row_width = max(max(e[2] for e in extents), math.sqrt(area * ASPECT) * 1.3)
    positions: list[tuple[float, float]] = [(0.0, 0.0)] * n
    x = y = row_height = 0.0
    for (nodes, coords), (min_x, min_y, width, height) in zip(boxes, extents, strict=True):
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for v, (cx, cy) in zip(nodes, coords, strict=True):
            positions[v] = ((x + cx - min_x) * spacing, (y + cy - min_y) * spacing)
        x += width
        row_height = max(row_height, height)
    return positions


def _shorten(text: str, limit: int = 28) -> str:
    """Cut ``text`` to ``limit`` characters, ending with an ellipsis if cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _scores(graph: ig.Graph, measure: str) -> list[float]:
    if measure == "pagerank":
        # ARPACK: PRPACK, the default, takes seconds on graphs of many components.
        return [float(s) for s in graph.pagerank(directed=False, implementation="arpack")]
    if measure == "degree":
        return [float(d) for d in graph.degree()]
    if measure == "betweenness":
        return [float(b) for b in graph.betweenness(directed=False)]
    raise InputError(f"unknown size measure {measure!r} (choose from {', '.join(SIZE_MEASURES)})")


def _sizes(scores: Sequence[float], low: float = MIN_SIZE, high: float = MAX_SIZE) -> list[float]:
    top = max(scores, default=0.0)
    if top <= 0:
        return [low for _ in scores]
    return [round(low + (high - low) * math.sqrt(max(s, 0.0) / top), 2) for s in scores]


class _Splitter:
    """Builds the tree of parts of a large graph."""

    def __init__(
        self,
        graph: ig.Graph,
        labels: Sequence[str],
        classes: Sequence[int],
        class_names: Sequence[str],
        score: Sequence[float],
        *,
        max_nodes: int,
        max_groups: int,
        seed: int,
    ) -> None:
        self.graph = graph
        self.labels = labels
        self.classes = classes
        self.class_names = class_names
        self.score = score
        self.max_nodes = max_nodes
        self.max_groups = max_groups
        self.seed = seed
        self.parts: list[Part] = []

    def _top_labels(self, nodes: Sequence[int], count: int = 1) -> str:
        """Name a group after its most central members (shortened), and give its size."""
        best = sorted(nodes, key=lambda v: (-self.score[v], self.labels[v]))[:count]
        names = ", ".join(_shorten(self.labels[v]) for v in best)
        more = ", …" if len(nodes) > count else ""
        return f"{names}{more}\n{len(nodes)} nodes"

    def build(self, nodes: list[int], label: str, parent: int) -> int:
        index = len(self.parts)
        part = Part(label=label, parent=parent, size=len(nodes))
        part.classes = dict(Counter(self.classes[v] for v in nodes))
        self.parts.append(part)
        if len(nodes) <= self.max_nodes:
            part.nodes = sorted(nodes)
            return index
        groups = self._groups(nodes)
        children = self._bundle(groups)
        for child_label, child_nodes in children:
            part.children.append(self.build(child_nodes, child_label, index))
        return index

    def _groups(self, nodes: list[int]) -> list[tuple[str, list[int]]]:
        """Split ``nodes`` into communities, else classes, else chunks."""
        sub = self.graph.induced_subgraph(nodes)
        with _seeded(self.seed + len(self.parts)):
            membership = sub.community_multilevel().membership
        by_community: dict[int, list[int]] = defaultdict(list)
        for local, community in enumerate(membership):
            by_community[community].append(nodes[local])
        groups = [g for g in by_community.values()]
        if len(groups) > 1:
            return [(self._top_labels(g), g) for g in groups]
        by_class: dict[int, list[int]] = defaultdict(list)
        for v in nodes:
            by_class[self.classes[v]].append(v)
        if len(by_class) > 1:
            return [
                (f"{self.class_names[c]}\n{len(g)} nodes", g) for c, g in sorted(by_class.items())
            ]
        ordered = sorted(nodes)
        step = self.max_nodes
        return [
            (
                self._top_labels(ordered[i : i + step]),
                ordered[i : i + step],
            )
            for i in range(0, len(ordered), step)
        ]

    def _bundle(self, groups: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
        """Pack small groups together and wrap them so that no level has too many parts."""
        groups = sorted(groups, key=lambda g: (-len(g[1]), g[0]))
        big = [g for g in groups if len(g[1]) > self.max_nodes // 4]
        small = [g for g in groups if len(g[1]) <= self.max_nodes // 4]
        bins: list[list[tuple[str, list[int]]]] = []
        filled = 0
        for group in small:
            if not bins or filled + len(group[1]) > self.max_nodes:
                bins.append([])
                filled = 0
            bins[-1].append(group)
            filled += len(group[1])
        result = list(big)
        for packed in bins:
            if len(packed) == 1:
                result.append(packed[0])
                continue
            members = [v for _label, g in packed for v in g]
            result.append(
                (
                    f"{len(packed)} groups: {self._top_labels(members)}",
                    members,
                )
            )
        while len(result) > self.max_groups:
            per = math.ceil(len(result) / self.max_groups)
            wrapped = []
            for i in range(0, len(result), per):
                chunk = result[i : i + per]
                members = [v for _label, g in chunk for v in g]
                wrapped.append((self._top_labels(members), members))
            result = wrapped
        return result


def draw(
    n: int,
    edges: Sequence[tuple[int, int]],
    labels: Sequence[str],
    classes: Sequence[int],
    *,
    class_names: Sequence[str] = (),
    size_by: str = "pagerank",
    max_nodes: int = 3000,
    max_groups: int = 150,
    seed: int = 42,
) -> Drawing:
    """Compute positions, scores, sizes and parts for a view.

    Parameters
    ----------
    n
        Number of nodes, indexed from 0.
    edges
        Pairs of node indices (each pair once).
    labels
        One label per node (names parts after their most central members).
    classes
        One class index per node.
    class_names
        Names of the classes, by index.
    size_by
        ``pagerank``, ``degree`` or ``betweenness``.
    max_nodes
        Most nodes drawn at once; a larger graph is split into parts.
    max_groups
        Most parts drawn at once.
    seed
        Seed of the layout and of the community detection.

    Returns
    -------
    Drawing
        Part 0 is the whole graph.

    Raises
    ------
    InputError
        For an unknown ``size_by`` or limits below 2.
    """
    if max_nodes < 2 or max_groups < 2:
        raise InputError("max_nodes and max_groups must be 2 or more")
    graph = ig.Graph(n=n, edges=list(edges))
    score = _scores(graph, size_by) if n else []
    names = list(class_names) or [str(c) for c in range(max(classes, default=-1) + 1)]
    splitter = _Splitter(
        graph, labels, classes, names, score, max_nodes=max_nodes, max_groups=max_groups, seed=seed
    )
    splitter.build(list(range(n)), "everything", -1)
    parts = splitter.parts
    leaf_of = [0] * n
    for index, part in enumerate(parts):
        for v in part.nodes:
            leaf_of[v] = index
    chain: list[list[int]] = []
    for index, part in enumerate(parts):
        chain.append([*chain[part.parent], index] if part.parent >= 0 else [index])
    counts: dict[int, Counter[tuple[int, int]]] = defaultdict(Counter)
    for e, (a, b) in enumerate(edges):
        pa, pb = chain[leaf_of[a]], chain[leaf_of[b]]
        if pa[-1] == pb[-1]:
            parts[pa[-1]].edges.append(e)
            continue
        depth = 0
        while pa[depth] == pb[depth]:
            depth += 1
        first, second = sorted((pa[depth], pb[depth]))
        counts[pa[depth - 1]][(first, second)] += 1
    x = [0.0] * n
    y = [0.0] * n
    size = _sizes(score)
    for index, part in enumerate(parts):
        if part.is_leaf:
            local = {v: i for i, v in enumerate(part.nodes)}
            pairs = [(local[edges[e][0]], local[edges[e][1]]) for e in part.edges]
            for v, (px, py) in zip(
                part.nodes, layout(len(part.nodes), pairs, seed=seed), strict=True
            ):
                x[v], y[v] = round(px, 1), round(py, 1)
            continue
        part.links = sorted((a, b, c) for (a, b), c in counts[index].items())
        local = {child: i for i, child in enumerate(part.children)}
        pairs = [(local[a], local[b]) for a, b, _c in part.links]
        weights = [float(c) for _a, _b, c in part.links]
        positions = layout(
            len(part.children), pairs, seed=seed, weights=weights, spacing=PART_EDGE_PX
        )
        for child, (px, py) in zip(part.children, positions, strict=True):
            parts[child].x, parts[child].y = round(px, 1), round(py, 1)
    return Drawing(x=x, y=y, score=score, size=size, parts=parts, leaf_of=leaf_of)
