"""Interactive graph views: self-contained HTML pages that open from disk, offline.

A view is one HTML file carrying everything it needs: vis-network inlined, the
page's own script and style, and the graph as JSON. It loads nothing from the network
(no CDN, no Bootstrap, no web font) and says so in its Content-Security-Policy, which
lets only its own two scripts run (by hash) and no request leave the page.

In each view: nodes coloured by the colour group of their class (clusters, networks,
associations, companies, public bodies, people, ...: :data:`GROUPS`, colour-blind
safe), shaped by the finer class (:func:`class_style`, fixed by the class, never by
the data), with a legend that is also a filter by class (folded away on a phone);
names placed so that none overlaps another name or a node at the first frame (each
tries eight places around its node: ``assets/labels.js``), the entity in focus,
organisations and people and the most central first, the others shown on hover and as
one zooms in; sized by a centrality measure; edges labelled with
their predicates; tooltips giving the entity's class, label, key facts and sources; a
search box over labels and prefixed names; a details panel. Positions come from
:mod:`clustergraph.render.drawing`: physics is off and the first frame is the final one. A
graph of more than ``max_nodes`` nodes is drawn as parts (communities) that the user
opens one at a time.

Why not pyvis's own page. vis-network comes from npm, bundled with clustergraph
(``render/assets/lib/``, built by ``web/build.mjs``); pyvis is needed only for
:func:`to_pyvis`. pyvis's template links Bootstrap and, by default,
vis-network from CDNs (blank offline); it writes ``heading`` and, with ``select_menu``
or ``filter_menu``, node ids into the page as raw HTML; and ``Network.from_nx`` scans
lists for duplicates (1.8 s at 5,000 nodes). Here the page is a small Jinja2 template
with autoescaping, the data travel as JSON inside ``<script type="application/json">``
with ``<``, ``>`` and ``&`` escaped, and the page's script puts every text into the
document with ``textContent`` or as vis-network labels and string tooltips, which
vis-network 9 shows as text.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", predicates=("<x>",))
>>> html, summary = render_view(g, title="<T>")
>>> "<title>&lt;T&gt;</title>" in html, "<x>" in html, (summary.nodes, summary.edges)
(True, False, (2, 1))
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import networkx as nx

from clustergraph import __version__
from clustergraph.project.files import write_atomic, write_staged
from clustergraph.project.prefixes import DEFAULT_PREFIXES

if TYPE_CHECKING:
    from clustergraph.network.timeline import Presence
from clustergraph.render.drawing import draw

__all__ = [
    "GROUPS",
    "ORGANISATION_GROUPS",
    "PALETTE",
    "class_style",
    "notebook_library_html",
    "notebook_view_html",
    "ViewSummary",
    "render_view",
    "to_pyvis",
    "write_view",
    "write_vis_network",
]

GROUPS: Mapping[str, tuple[str, str]] = {
    "cluster": ("#0072B2", "clusters"),
    "network": ("#56B4E9", "networks, alliances, consortia and their bodies"),
    "association": ("#009E73", "associations and other organisations"),
    "company": ("#E69F00", "companies"),
    "public": ("#F0E442", "public bodies: ministries, agencies, EU institutions"),
    "person": ("#D55E00", "people"),
    "document": ("#CC79A7", "documents and articles"),
    "event": ("#000000", "events, projects and programmes"),
    "tie": ("#BBBBBB", "ties: memberships, posts, awards"),
    "other": ("#8C8C8C", "concepts, figures and the rest"),
}
"""Colour groups: the eight colours of the Okabe–Ito palette (colour-blind safe), then
two greys for the nodes that hold facts together and for the rest.

Clusters, networks, associations, companies, public bodies and people each have their
own colour. A class keeps its group, so its colour, whatever the data holds: the colour
is keyed on the class, never on how often it occurs.
"""

ORGANISATION_GROUPS = frozenset({"cluster", "network", "association", "company", "public"})
"""The colour groups of organisations."""

PALETTE = tuple(colour for colour, _text in GROUPS.values())
"""The colours of :data:`GROUPS`, in order."""

SHAPES = ("dot", "diamond", "square", "triangle", "triangleDown", "hexagon", "star")
"""Node shapes: within a colour group, finer classes differ by shape."""

_CLASS_STYLE: Mapping[str, tuple[str, str]] = {
    # organisations
    "cg:Cluster": ("cluster", "dot"),
    "cg:ClusterNetwork": ("network", "diamond"),
    "cg:ClusterAlliance": ("network", "star"),
    "cg:Consortium": ("network", "square"),
    "cg:Association": ("association", "square"),
    "cg:Company": ("company", "triangle"),
    "cg:ResearchInstitution": ("association", "triangleDown"),
    "cg:PublicInstitution": ("public", "hexagon"),
    "cg:Agency": ("public", "triangle"),
    "cg:GovernmentBody": ("public", "hexagon"),
    "cg:Ministry": ("public", "square"),
    "cg:Parliament": ("public", "diamond"),
    "cg:EUInstitution": ("public", "star"),
    "cg:Platform": ("association", "hexagon"),
    "cg:GovernanceBody": ("network", "triangleDown"),
    "cg:ExecutiveBoard": ("network", "triangleDown"),
    "cg:GeneralAssembly": ("network", "triangleDown"),
    "cg:WorkingGroup": ("network", "triangleDown"),
    "org:Organization": ("association", "dot"),
    "org:FormalOrganization": ("association", "dot"),
    "org:OrganizationalUnit": ("network", "triangleDown"),
    "org:OrganizationalCollaboration": ("network", "diamond"),
    "rov:RegisteredOrganization": ("company", "triangle"),
    "schema:Organization": ("association", "dot"),
    "foaf:Organization": ("association", "dot"),
    # people
    "foaf:Person": ("person", "dot"),
    "schema:Person": ("person", "dot"),
    "foaf:Agent": ("person", "square"),
    # ties
    "cg:Membership": ("tie", "dot"),
    "org:Membership": ("tie", "dot"),
    "cg:Post": ("tie", "square"),
    "org:Post": ("tie", "square"),
    "cg:ExcellenceLabelAward": ("tie", "star"),
    # documents
    "cg:Agreement": ("document", "square"),
    "cg:FoundingAgreement": ("document", "diamond"),
    "cg:Memorandum": ("document", "triangle"),
    "cg:LetterOfIntent": ("document", "triangleDown"),
    "cg:JointInitiative": ("document", "hexagon"),
    "cg:Order": ("document", "star"),
    "cg:Source": ("document", "dot"),
    "cg:NewsArticle": ("document", "dot"),
    "cg:ProfilePage": ("document", "dot"),
    "cg:GoodPracticeDescription": ("document", "dot"),
    "schema:CreativeWork": ("document", "dot"),
    "foaf:Document": ("document", "dot"),
    # events and activities
    "cg:Event": ("event", "dot"),
    "cg:Conference": ("event", "diamond"),
    "cg:Forum": ("event", "square"),
    "cg:Announcement": ("event", "triangle"),
    "cg:EventSeries": ("event", "hexagon"),
    "cg:Project": ("event", "star"),
    "cg:FundingProgramme": ("event", "triangleDown"),
    "schema:Event": ("event", "dot"),
    "schema:Project": ("event", "star"),
    "prov:Activity": ("event", "dot"),
}
"""Colour group and shape of the classes the project knows, by prefixed name."""

GROUP_RANK = {name: rank for rank, name in enumerate(GROUPS)}
"""Order of the groups in legends, and of their labels when labels compete for room."""


def class_style(cls: str, ancestors: Sequence[str] = ()) -> tuple[str, str, str]:
    """Return ``(group, colour, shape)`` of a class (prefixed name), fixed by the class.

    A class the project knows has its own group and shape; another takes the group of
    its nearest known superclass in ``ancestors`` (nearest first) and a shape picked from
    its name, so adding data never changes a class's colour.

    Examples
    --------
    >>> class_style("cg:Cluster")
    ('cluster', '#0072B2', 'dot')
    >>> class_style("ex:Startup", ["cg:Company"])[:2]
    ('company', '#E69F00')
    >>> class_style("ex:Thing")[:2]
    ('other', '#8C8C8C')
    """
    known = _CLASS_STYLE.get(cls)
    if known is None:
        group = next((_CLASS_STYLE[a][0] for a in ancestors if a in _CLASS_STYLE), "other")
        digest = hashlib.sha256(cls.encode("utf-8")).digest()
        known = (group, SHAPES[digest[0] % len(SHAPES)])
    return known[0], GROUPS[known[0]][0], known[1]


EDGE_LABEL_LIMIT = 600
"""Above this many edges in one drawing, edge labels are left to tooltips."""

VIS_NETWORK_VERSION = "10.1.2"
"""The vis-network build bundled in ``render/assets/lib/`` (from npm, see ``web/``)."""

_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


@dataclass(frozen=True)
class ViewSummary:
    """What a view holds: nodes, edges, and parts when the graph was split."""

    nodes: int
    edges: int
    parts: int
    leaves: int
    path: Path | None = None


@functools.cache
def _vis_network_js() -> str:
    """Return vis-network's standalone build, as bundled with clustergraph."""
    return asset_text("vis-network.min.js")


def asset_text(name: str) -> str:
    """Return a bundled front-end file of ``render/assets/lib/`` (a library, its licences).

    Examples
    --------
    >>> "vis-network" in asset_text("LICENSES.txt")
    True
    """
    return str(lib_files().joinpath(name).read_text(encoding="utf-8"))


def lib_files() -> Any:
    """Return the folder of bundled front-end libraries (an importlib resource)."""
    return resources.files("clustergraph.render").joinpath("assets", "lib")


@functools.cache
def _asset(name: str) -> str:
    return (
        resources.files("clustergraph.render")
        .joinpath("templates", name)
        .read_text(encoding="utf-8")
    )


@functools.cache
def labels_js() -> str:
    """Return the script placing node names off other names and nodes (``assets/labels.js``)."""
    return str(
        resources.files("clustergraph.render").joinpath("assets", "labels.js").read_text("utf-8")
    )


@functools.cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    return environment.from_string(_asset("view.html.j2"))


def _script_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def json_for_html(data: object) -> str:
    r"""Serialise ``data`` as JSON that cannot end or escape a ``<script>`` element.

    Examples
    --------
    >>> json_for_html({"a": "</script><b>&"})
    '{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for character, escaped in _JSON_ESCAPES:  # str.replace is many times faster than translate
        if character in text:
            text = text.replace(character, escaped)
    return text


def _text(value: object, default: str) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else default


def _statement_text(statement: object, prefixes: Mapping[str, str]) -> str:
    """Return a statement as the page shows it; a derived one says so."""
    text = getattr(statement, "text", None)
    if text is None:
        return str(statement)
    shown = str(text(prefixes))
    return shown + " (derived by reasoning)" if getattr(statement, "derived", False) else shown


def statement_sources(statement: object) -> tuple[str, ...]:
    """Return the graphs behind a statement: those stating it, or it was derived from."""
    found = getattr(statement, "sources", None) or getattr(statement, "graphs", None) or ()
    return tuple(str(g) for g in found)


def _view_data(
    graph: nx.Graph,
    *,
    title: str,
    subtitle: str,
    size_by: str,
    max_nodes: int,
    seed: int,
    focus: str | None,
    source_title: Callable[[str], str],
    time: Presence | None = None,
) -> dict[str, Any]:
    """Return the JSON the page draws (see ``templates/view.js``)."""
    # Nodes and edges in a fixed order (not the graph's insertion order, which follows
    # how it was walked): the same graph gives the same layout and the same bytes.
    order = sorted(graph.nodes, key=str)
    index = {node: i for i, node in enumerate(order)}
    attrs = [graph.nodes[node] for node in order]
    class_of = [_text(a.get("cls"), "rdfs:Resource") for a in attrs]
    class_labels: dict[str, str] = {}
    for cls, a in zip(class_of, attrs, strict=True):
        class_labels.setdefault(cls, _text(a.get("cls_label"), cls))
    counts: dict[str, int] = {}
    for cls in class_of:
        counts[cls] = counts.get(cls, 0) + 1
    # Colours and shapes are keyed on the class (see class_style), never on the data:
    # a class looks the same in every view, whatever was added.
    ancestors: Mapping[str, Sequence[str]] = graph.graph.get("class_ancestors") or {}
    styles = {c: class_style(c, ancestors.get(c, ())) for c in counts}
    classes = sorted(counts, key=lambda c: (GROUP_RANK[styles[c][0]], -counts[c], c))
    class_index = {c: k for k, c in enumerate(classes)}
    sources: list[str] = []
    source_index: dict[str, int] = {}

    def source(iri: str) -> int:
        if iri not in source_index:
            source_index[iri] = len(sources)
            sources.append(iri)
        return source_index[iri]

    pairs = sorted((min(index[a], index[b]), max(index[a], index[b]), a, b) for a, b in graph.edges)
    edge_list = [(i, j) for i, j, _a, _b in pairs]
    edge_attrs = [graph.edges[a, b] for _i, _j, a, b in pairs]
    labels = [_text(a.get("label"), str(node)) for node, a in zip(order, attrs, strict=True)]
    drawing = draw(
        len(order),
        edge_list,
        labels,
        [class_index[c] for c in class_of],
        class_names=[class_labels[c] for c in classes],
        size_by=size_by,
        max_nodes=max_nodes,
        seed=seed,
    )
    edge_labels: list[str] = []
    edge_label_index: dict[str, int] = {}
    edge_label_of = []
    for a in edge_attrs:
        text = a.get("label") or ", ".join(a.get("predicates") or a.get("relations") or ())
        if text not in edge_label_index:
            edge_label_index[text] = len(edge_labels)
            edge_labels.append(text)
        edge_label_of.append(edge_label_index[text])
    prefixes = graph.graph.get("prefixes") or DEFAULT_PREFIXES
    time_data = None
    if time is not None and time.over.steps:
        none = "0" * len(time.over.steps)
        time_data = {
            "steps": [s.day.isoformat() for s in time.over.steps],
            "nodes": [time.nodes.get(str(n), none) for n in order],
            "edges": [time.edges.get((a, b) if a < b else (b, a), none) for _i, _j, a, b in pairs],
            "measures": [
                {"nodes": s.nodes, "edges": s.edges, "communities": s.communities}
                for s in time.over.steps
            ],
        }
    return {
        "time": time_data,
        "title": title,
        "subtitle": subtitle,
        "sizeBy": size_by,
        "edgeLabelLimit": EDGE_LABEL_LIMIT,
        "counts": {"nodes": len(order), "edges": len(edge_list)},
        "focus": index[focus] if focus is not None and focus in index else None,
        "classes": [
            {
                "name": c,
                "label": class_labels[c],
                "color": styles[c][1],
                "shape": styles[c][2],
                "group": styles[c][0],
                "rank": GROUP_RANK[styles[c][0]],
                "count": counts[c],
            }
            for c in classes
        ],
        "nodes": {
            "id": [str(n) for n in order],
            "label": labels,
            "name": [_text(a.get("name"), str(n)) for n, a in zip(order, attrs, strict=True)],
            "cls": [class_index[c] for c in class_of],
            "x": drawing.x,
            "y": drawing.y,
            "size": drawing.size,
            "score": [round(s, 6) for s in drawing.score],
            "part": drawing.leaf_of,
            "facts": [[[str(k), str(v)] for k, v in a.get("facts", ())] for a in attrs],
            "sources": [[source(str(g)) for g in a.get("sources", ())] for a in attrs],
            "page": [a.get("page") for a in attrs],
        },
        "edges": {
            "from": [a for a, _b in edge_list],
            "to": [b for _a, b in edge_list],
            "label": edge_label_of,
            "relations": [[str(r) for r in a.get("relations", ())] for a in edge_attrs],
            "statements": [
                [
                    [_statement_text(s, prefixes), [source(g) for g in statement_sources(s)]]
                    for s in a.get("statements", ())
                ]
                for a in edge_attrs
            ],
        },
        "edgeLabels": edge_labels,
        "groups": [{"name": g, "color": c, "label": t} for g, (c, t) in GROUPS.items()],
        "sources": [{"iri": iri, "title": source_title(iri)} for iri in sources],
        "parts": [
            {
                "label": p.label,
                "parent": p.parent,
                "children": p.children,
                "nodes": p.nodes,
                "edges": p.edges,
                "links": [list(link) for link in p.links],
                "size": p.size,
                "x": p.x,
                "y": p.y,
                "classes": [[c, n] for c, n in sorted(p.classes.items())],
            }
            for p in drawing.parts
        ],
    }


def split_details(data: dict[str, Any], prefix: str) -> dict[int, str]:
    """Move the details of a view in parts out of its page: one script per leaf part.

    The page keeps what draws (labels, classes, positions, sizes); each leaf part's
    nodes' facts and sources and its edges' relations and statements go into a script
    ``cgViewPart(k, {...})``, loaded when the part is opened. Returns the scripts by part.
    """
    nodes, edges = data["nodes"], data["edges"]
    scripts: dict[int, str] = {}
    for k, part in enumerate(data["parts"]):
        if part["children"]:
            continue
        body = {
            "nodes": [[i, nodes["facts"][i], nodes["sources"][i]] for i in part["nodes"]],
            "edges": [[e, edges["relations"][e], edges["statements"][e]] for e in part["edges"]],
        }
        scripts[k] = f"cgViewPart({k},{json_for_html(body)});\n"
    for key in ("facts", "sources"):
        del nodes[key]
    for key in ("relations", "statements"):
        del edges[key]
    data["detailsSrc"] = prefix
    return scripts


def render_view(
    graph: nx.Graph,
    *,
    title: str,
    subtitle: str = "",
    size_by: str = "pagerank",
    max_nodes: int = 3000,
    seed: int = 42,
    focus: str | None = None,
    source_title: Callable[[str], str] | None = None,
    vis_src: str | None = None,
    links: Sequence[tuple[str, str]] = (),
    details: dict[int, str] | None = None,
    details_prefix: str = "parts/",
    site_root: str | None = None,
    time: Presence | None = None,
) -> tuple[str, ViewSummary]:
    """Return the HTML page of a view of ``graph`` and what it holds.

    Parameters
    ----------
    graph
        The network (node and edge attributes as :mod:`clustergraph.network.projections` gives them;
        missing ones get defaults).
    title, subtitle
        Shown at the top of the page (escaped).
    size_by
        ``pagerank``, ``degree`` or ``betweenness``.
    max_nodes
        Above this many nodes the graph is drawn as parts.
    seed
        Seed of the layout and of the parts.
    focus
        A node to select and centre when the page opens.
    source_title
        Gives the title of the article behind a named graph (default: the graph's
        ``source_titles`` attribute, else the IRI).
    vis_src
        Relative URL of a shared copy of vis-network (see :func:`write_vis_network`) to
        load instead of inlining it: many views then share one 480 kB script. The
        page's Content-Security-Policy then allows scripts from its own origin
        (``'self'``, which for a page opened from disk means local files) and its own
        inline script by hash. Default: vis-network is inlined.
    links
        ``(href, text)`` links shown in the toolbar (to another view, say).
    details
        With ``vis_src`` and a graph drawn in parts, a dictionary to fill with the
        scripts of :func:`split_details` (by part), which the caller writes where
        ``details_prefix`` (relative to the page) says; the page then carries only
        what it draws.
    site_root
        For a view inside the explorer site: the relative URL of the site's root. A
        node whose ``page`` attribute gives its page (relative to that root) links to
        it from its details, and the toolbar links back to the site's home page.
    time
        Which nodes and edges are there as of each step
        (:func:`clustergraph.network.timeline.presence`): the page gets a time slider
        that hides what is not there as of the step (positions never change) and a
        chart of the nodes, edges and communities per step.
    """
    titles: Mapping[str, str] = graph.graph.get("source_titles") or {}
    if site_root is not None:
        links = [*links, (site_root + "index.html", "Back to the site")]
    data = _view_data(
        graph,
        title=title,
        subtitle=subtitle,
        size_by=size_by,
        max_nodes=max_nodes,
        seed=seed,
        focus=focus,
        source_title=source_title or (lambda iri: titles.get(iri, iri)),
        time=time,
    )
    data["siteRoot"] = site_root
    if details is not None and vis_src is not None and len(data["parts"]) > 1:
        details.update(split_details(data, details_prefix))
    from_parent = vis_src == FROM_PARENT
    vis_js = _PARENT_SHIM if from_parent else "\n" + _vis_network_js() + "\n"
    view_js = "\n" + labels_js() + "\n" + _asset("view.js") + "\n"
    html = _template().render(
        version=__version__,
        title=title,
        subtitle=subtitle,
        size_by=size_by,
        css=_asset("view.css"),
        data_json=json_for_html(data),
        vis_js=vis_js,
        vis_src=None if from_parent else vis_src,
        view_js=view_js,
        links=list(links),
        script_hashes=(
            f"'self' {_script_hash(view_js)}"
            if vis_src is not None and not from_parent
            else f"{_script_hash(vis_js)} {_script_hash(view_js)}"
        ),
    )
    parts = data["parts"]
    summary = ViewSummary(
        nodes=data["counts"]["nodes"],
        edges=data["counts"]["edges"],
        parts=len(parts),
        leaves=sum(1 for p in parts if not p["children"]),
    )
    return html, summary


FROM_PARENT = "parent"
"""``vis_src`` for a view inside a notebook: vis-network is the notebook page's own."""

_PARENT_SHIM = (
    "\nwindow.vis = window.vis || (window.parent && window.parent.cgVisNetwork) || undefined;\n"
)


def notebook_library_html() -> str:
    """Return a ``<script>`` that loads vis-network into a notebook page, once.

    Show it once per notebook (for instance with the first view); every view written by
    :func:`notebook_view_html` after it draws with that copy instead of carrying its own
    650 kB. It sets ``window.cgVisNetwork`` and leaves ``window.vis`` as it was.

    Examples
    --------
    >>> html = notebook_library_html()
    >>> html.startswith("<script>") and "cgVisNetwork" in html
    True
    """
    return (
        "<script>(function(){var before=window.vis;"
        + _vis_network_js()
        + "\nwindow.cgVisNetwork=window.vis;window.vis=before;}());</script>"
    )


def notebook_view_html(
    graph: nx.Graph, *, height: int = 600, shared: bool = True, **options: Any
) -> str:
    """Return a view of ``graph`` for a notebook cell: an ``<iframe srcdoc>``.

    With ``shared`` (the default) the view takes vis-network from the notebook page
    (shown once with :func:`notebook_library_html`), so a notebook loads the library
    once, not once per view; without it, the view carries its own copy. The frame keeps
    the view's page, its Content-Security-Policy and its script apart from the notebook.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("a", "b")
    >>> html = notebook_view_html(g, title="t")
    >>> html.startswith("<iframe") and len(html) < 100_000
    True
    """
    import html as html_module

    options.setdefault("title", "")
    page, _summary = render_view(graph, vis_src=FROM_PARENT if shared else None, **options)
    return (
        f'<iframe srcdoc="{html_module.escape(page, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
        'title="network view"></iframe>'
    )


def write_vis_network(path: Path | str) -> Path:
    """Write vis-network's standalone build to ``path`` (atomically), for ``vis_src``.

    Returns
    -------
    Path
        ``path``.
    """
    return write_atomic(Path(path), _vis_network_js())


def write_view(
    graph: nx.Graph, path: Path | str, *, atomic: bool = True, **options: Any
) -> ViewSummary:
    """Write the view of ``graph`` to ``path`` (see :func:`render_view`).

    Parameters
    ----------
    graph, path
        The graph and the page to write.
    atomic
        Write each file through a temporary file synced to disk (:func:`write_atomic`);
        ``False`` writes it directly (:func:`write_staged`), for the build's staging
        directory.
    **options
        Passed on to :func:`render_view`.

    Returns
    -------
    ViewSummary
        What the page holds, with its path.
    """
    path = Path(path)
    write = write_atomic if atomic else write_staged
    details: dict[int, str] = {}
    html, summary = render_view(
        graph, details=details, details_prefix=f"{path.stem}.parts/", **options
    )
    if details:
        folder = path.parent / f"{path.stem}.parts"
        for k, text in sorted(details.items()):
            write(folder / f"{k}.js", text)
    written = write(path, html)
    return ViewSummary(summary.nodes, summary.edges, summary.parts, summary.leaves, written)


def describe(summary: ViewSummary) -> str:
    """Return a one-line account of a written view.

    Examples
    --------
    >>> describe(ViewSummary(3, 2, 1, 1, Path("v.html")))
    'v.html: 3 nodes, 2 edges'
    """
    text = f"{summary.path}: {summary.nodes} nodes, {summary.edges} edges"
    if summary.parts > 1:
        text += f", drawn as {summary.leaves} parts ({summary.parts - 1} groups in all)"
    return text


def to_pyvis(
    graph: nx.Graph,
    *,
    focus: str | None = None,
    size_by: str = "pagerank",
    seed: int = 42,
    height: str = "600px",
) -> Any:
    """Return a :class:`pyvis.network.Network` of ``graph`` as the views draw it.

    Nodes get the positions, colours, shapes and sizes of :func:`render_view` (physics
    off, so the drawing stays as laid out), labels, and tooltips of plain text (class,
    label, key facts) that vis-network shows as text; edges their predicates. Nodes and
    edges are added in bulk (``Network.from_nx`` is quadratic). vis-network is inlined
    when the network is written (``cdn_resources="in_line"``).

    Raises
    ------
    InputError
        If pyvis is not installed.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", predicates=("org:memberOf",))
    >>> net = to_pyvis(g)
    >>> len(net.nodes), net.edges[0]["title"]
    (2, 'org:memberOf')
    """
    try:
        from pyvis.network import Network
    except ImportError:
        from clustergraph.errors import InputError

        raise InputError("pyvis is not installed: pip install 'clustergraph[notebook]'") from None
    data = _view_data(
        graph,
        title="",
        subtitle="",
        size_by=size_by,
        max_nodes=max(graph.number_of_nodes(), 1),
        seed=seed,
        focus=focus,
        source_title=lambda iri: iri,
    )
    net = Network(height=height, width="100%", cdn_resources="in_line", notebook=False)
    nodes = data["nodes"]
    classes = data["classes"]
    for i, node in enumerate(nodes["id"]):
        cls = classes[nodes["cls"][i]]
        facts = "\n".join(f"{k}: {v}" for k, v in nodes["facts"][i])
        tooltip = "\n".join(t for t in (cls["label"], nodes["label"][i], facts) if t)
        net.add_node(
            node,
            label=nodes["label"][i],
            title=tooltip,
            x=nodes["x"][i],
            y=nodes["y"][i],
            size=nodes["size"][i],
            color=cls["color"],
            shape=cls["shape"],
            physics=False,
        )
    labels = data["edgeLabels"]
    for a, b, label in zip(
        data["edges"]["from"], data["edges"]["to"], data["edges"]["label"], strict=True
    ):
        net.add_edge(nodes["id"][a], nodes["id"][b], title=labels[label])
    net.toggle_physics(False)
    return net
