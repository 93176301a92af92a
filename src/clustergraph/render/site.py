"""The explorer: a static site of the knowledge graph that opens from disk, offline.

:func:`write_views` and :func:`write_site` write into ``<build>/site/``:

=====================================  ================================================
path                                   page
=====================================  ================================================
``index.html``                         what the graph holds, the most central actors,
                                       links to everything below
``entities.html``                      every entity, by class
``entity/<kind>/<slug>.html``          one page per entity: names and aliases, facts,
                                       figures, related entities grouped by kind, each
                                       fact with the articles stating it; its
                                       neighbourhood view
``queries.html``, ``query/<name>.html``  the query library: summary, parameters, SPARQL,
                                       the result with the defaults, a graph view for
                                       CONSTRUCT and DESCRIBE queries
``timeline.html``                      every dated fact in order, with its precision
``changes.html``                       what changed since the previous build: the facts
                                       each source added and removed, stated and derived
                                       apart, the new and removed entities
``analysis.html``                      the network analysis of the actors
``ontology.html``                      the classes and properties, with examples
``downloads.html``                     the exports, the VoID/DCAT description, the
                                       analysis files, with sizes and SHA-256
``views/...``                          the interactive views (see
                                       :mod:`clustergraph.render.views`), sharing one copy of
                                       vis-network in ``views/lib/``
``assets/site.css``                    the one style sheet
=====================================  ================================================

Pages are plain HTML and CSS: no script, no web font, nothing from the network; each
page's Content-Security-Policy lets it load only its own style sheet and frame the
views. Every text from the data goes through Jinja2 with autoescaping on: it reaches
the page as text, never as markup. Links are relative, so the site works from any
directory; downloads point one level up, to ``<build>/exports/``, ``<build>/analysis/``
and ``<build>/queries/``.

Everything is read from the store the build ran on (:class:`SiteInputs`): the
catalogue of the entity pages, the ontology, and the triple counts of the named graphs
(:func:`graph_counts`, asked once, so that the home page, its table of graphs, the
ontology page and every footer give the same numbers).

Examples
--------
>>> relative_root("entity/org/lcn.html"), relative_root("index.html")
('../../', '')
>>> query_path("checks/post-without-holder")
'query/checks/post-without-holder.html'
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import networkx as nx
import pyoxigraph as ox
from markupsafe import Markup, escape

from clustergraph import __version__
from clustergraph.errors import InputError, LayoutError
from clustergraph.network.index import GraphIndex
from clustergraph.network.measures import Analysis
from clustergraph.network.projections import DESCRIPTIONS, construct_network, neighbourhood
from clustergraph.pipeline.derive import DERIVED_DATASET
from clustergraph.project.files import link_file, write_staged
from clustergraph.project.layout import (
    ACROSS_SOURCES_GRAPH,
    DERIVED_NS,
    ID_NS,
    MANIFEST_GRAPH,
    ONTOLOGY_GRAPH,
    SOURCE_GRAPHS,
    VOCAB_GRAPHS,
    Project,
    is_derived_graph,
    stated_graph,
)
from clustergraph.project.namespace import CG
from clustergraph.project.prefixes import compact
from clustergraph.project.vocab import DCTERMS, FOAF, ORG, OWL, PROV, SCHEMA, SKOS, VOID, XSD
from clustergraph.queries.library import QueryFile, QueryForm
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.terms import Term
from clustergraph.render import KEYS_FILE, SITE_DIR
from clustergraph.render.catalogue import NAME_PROPERTIES, Catalogue, Link, entity_path
from clustergraph.render.changes import changes_model
from clustergraph.render.ontodoc import ontology_doc
from clustergraph.render.views import (
    json_for_html,
    lib_files,
    statement_sources,
    write_view,
    write_vis_network,
)
from clustergraph.store.base import AskResult, GraphResult, Result, SelectResult, Store

if TYPE_CHECKING:
    from clustergraph.pipeline.diff import Diff
    from clustergraph.pipeline.stats import Stats

__all__ = [
    "NAV",
    "GraphCount",
    "GraphCounts",
    "QueryRun",
    "SiteInputs",
    "SiteSummary",
    "graph_counts",
    "query_path",
    "relative_root",
    "write_site",
    "write_views",
]


VIS_PATH = "views/lib/vis-network.min.js"
"""The one copy of vis-network the views share (relative to the site's root)."""

ENTITY_VIEWS_UP_TO = 2000
"""Up to this many entities, each gets a full-page view of its neighbourhood."""

VIEW_MAX_NODES = 600
"""Most nodes a view draws at once; a larger graph opens as parts (level of detail)."""

NEIGHBOURHOOD_DEPTH = 2
"""Hops drawn around an entity in its neighbourhood view."""

NAV: tuple[tuple[str, str], ...] = (
    ("index.html", "Home"),
    ("entities.html", "Entities"),
    ("queries.html", "Queries"),
    ("workbench.html", "Workbench"),
    ("timeline.html", "Timeline"),
    ("analysis.html", "Analysis"),
    ("ontology.html", "Ontology"),
    ("downloads.html", "Downloads"),
)
"""The site's main navigation: (page, text)."""

_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class QueryRun:
    """A query of the library run with its defaults.

    ``result`` holds pyoxigraph terms, as every store answers
    (:class:`~clustergraph.store.base.SelectResult`,
    :class:`~clustergraph.store.base.AskResult`,
    :class:`~clustergraph.store.base.GraphResult`). ``files`` maps a format (``csv``,
    ``json``, ``ttl``) to the file holding the result, relative to the build directory.
    """

    query: QueryFile
    result: Result
    seconds: float
    files: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GraphCount:
    """The triples of one named graph of the store.

    ``kind`` is ``ontology``, ``vocabulary``, ``source``, ``derived`` or ``other``;
    ``file`` the project file it was loaded from (``""`` for a derived graph), and
    ``derived_from`` the stated graphs a derived graph follows from.
    """

    graph: str
    kind: str
    file: str
    triples: int
    derived_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class GraphCounts:
    """The triples of the store's named graphs (the manifest aside), counted once.

    ``by_predicate`` gives the derived graphs' triples per predicate (prefixed name),
    most first; their sum is :attr:`derived`.
    """

    graphs: tuple[GraphCount, ...]
    by_predicate: tuple[tuple[str, int], ...]
    derived_facts: int | None = None
    """Derived statements as the build's derive stage counts them (its VoID summary):
    the derived graphs' triples less their search keys and provenance; ``None`` if the
    store has no summary."""

    @property
    def stated(self) -> int:
        """Triples of the stated graphs (ontology, vocabularies, sources)."""
        return sum(g.triples for g in self.graphs if g.kind != "derived")

    @property
    def derived(self) -> int:
        """Triples of the derived graphs (their own PROV description included)."""
        return sum(g.triples for g in self.graphs if g.kind == "derived")

    @property
    def total(self) -> int:
        """Triples of every graph counted."""
        return sum(g.triples for g in self.graphs)

    @property
    def stated_graphs(self) -> int:
        """The number of stated graphs."""
        return sum(1 for g in self.graphs if g.kind != "derived")

    @property
    def derived_graphs(self) -> int:
        """The number of derived graphs."""
        return sum(1 for g in self.graphs if g.kind == "derived")


_GRAPH_COUNTS = f"""SELECT ?g (COUNT(*) AS ?n) WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(?g != <{MANIFEST_GRAPH}>)
}} GROUP BY ?g"""

_DERIVED_PREDICATES = f"""SELECT ?p (COUNT(*) AS ?n) WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(STRSTARTS(STR(?g), "{DERIVED_NS}"))
}} GROUP BY ?p"""

_DERIVED_FACTS = f"""SELECT ?n WHERE {{
  GRAPH <{ACROSS_SOURCES_GRAPH}> {{ <{DERIVED_DATASET}> <{VOID.triples}> ?n }}
}}"""

_DERIVED_FROM = f"""SELECT ?g ?from WHERE {{
  GRAPH ?g {{ ?g <{PROV.wasDerivedFrom}> ?from }}
  FILTER(STRSTARTS(STR(?g), "{DERIVED_NS}"))
}}"""


def graph_counts(store: Store, project: Project, prefixes: Mapping[str, str]) -> GraphCounts:
    """Count the triples of every named graph of ``store`` but the manifest, with 3 queries.

    Parameters
    ----------
    store
        The store.
    project
        The project, to name the file of each stated graph.
    prefixes
        Prefixes for the predicates of :attr:`GraphCounts.by_predicate`.

    Examples
    --------
    >>> from clustergraph.store import open_store
    >>> store = open_store("memory:")
    >>> source = "https://w3id.org/clustergraph/graph/source/a"
    >>> store.replace_graphs({source: b"<urn:a> <urn:p> <urn:b> .",
    ...                       DERIVED_NS + "source/a": b"<urn:b> <urn:q> <urn:a> ."})
    >>> counts = graph_counts(store, Project("."), {})
    >>> counts.stated, counts.derived, counts.by_predicate
    (1, 1, (('<urn:q>', 1),))
    >>> [(g.kind, g.file, g.derived_from) for g in counts.graphs]
    [('source', 'data/sources/a.ttl', ()), ('derived', '', ('https://w3id.org/clustergraph/graph/source/a',))]
    """  # noqa: E501
    sizes = {
        row[0].value: int(row[1].value)
        for row in _rows(store, _GRAPH_COUNTS)
        if row[0] is not None and row[1] is not None
    }
    derived_from: dict[str, set[str]] = {}
    for g, source in _rows(store, _DERIVED_FROM):
        if g is not None and source is not None:
            derived_from.setdefault(g.value, set()).add(source.value)
    counts = []
    for graph, triples in sizes.items():
        if is_derived_graph(graph):
            stated = stated_graph(graph)
            sources = derived_from.get(graph) or ({stated} if stated else set())
            counts.append(GraphCount(graph, "derived", "", triples, tuple(sorted(sources))))
            continue
        kind = (
            "ontology"
            if graph == ONTOLOGY_GRAPH
            else "vocabulary"
            if graph.startswith(VOCAB_GRAPHS)
            else "source"
            if graph.startswith(SOURCE_GRAPHS)
            else "other"
        )
        try:
            file = project.relpath(project.file_of(graph))
        except LayoutError:
            file = ""
        counts.append(GraphCount(graph, kind, file, triples))
    order = {"ontology": 0, "vocabulary": 1, "source": 2, "other": 3, "derived": 4}
    counts.sort(key=lambda c: (order[c.kind], c.graph))
    by_predicate = sorted(
        (
            (compact(row[0].value, prefixes), int(row[1].value))
            for row in _rows(store, _DERIVED_PREDICATES)
            if row[0] is not None and row[1] is not None
        ),
        key=lambda kv: (-kv[1], kv[0]),
    )
    facts = [int(row[0].value) for row in _rows(store, _DERIVED_FACTS) if row[0] is not None]
    return GraphCounts(tuple(counts), tuple(by_predicate), facts[0] if facts else None)


def _rows(store: Store, text: str) -> tuple[tuple[Term | None, ...], ...]:
    result = store.query(text)
    assert isinstance(result, SelectResult), "a SELECT query answers rows"
    return result.rows


@dataclass
class SiteInputs:
    """What the site is made of (the build's stages produce it).

    Parameters
    ----------
    project
        The project (its query files are named relative to its root).
    store
        The store the build ran on: stated and derived graphs.
    index
        :meth:`GraphIndex.from_store` of ``store``.
    analysis
        The analysis of the network the analysis page shows (the actors).
    stats
        :func:`clustergraph.pipeline.stats.stats` of ``store`` (its ``sources``).
    runs
        The queries of the library run with their defaults.
    exports
        The export files by format, inside ``build / "exports"``.
    build
        The build directory: the site goes into ``build / "site"``.
    views
        Filled by :func:`write_views`: the site path of each view by key.
    """

    project: Project
    store: Store
    index: GraphIndex
    analysis: Analysis
    stats: Stats
    runs: Sequence[QueryRun]
    exports: Mapping[RdfFormat, Path]
    build: Path
    views: dict[str, str] = field(default_factory=dict)
    catalogue: Catalogue | None = None
    counts: GraphCounts | None = None
    keys: dict[str, str] = field(default_factory=dict)
    rendered: int = 0
    reused: int = 0
    network: nx.Graph | None = None
    changes: Diff | None = None
    changes_note: str = "There is no previous build to compare this one with."

    def get_catalogue(self) -> Catalogue:
        """Return the catalogue of the store, read once."""
        if self.catalogue is None:
            self.catalogue = Catalogue.from_store(self.store, self.index)
        return self.catalogue

    def get_counts(self) -> GraphCounts:
        """Return the triple counts of the store's graphs, asked once."""
        if self.counts is None:
            self.counts = graph_counts(self.store, self.project, self.index.prefixes)
        return self.counts

    @property
    def engine(self) -> str:
        """What answered the queries, for people (never a local path)."""
        location = self.store.location
        if location.startswith(("http://", "https://")):
            return f"the SPARQL endpoint {location}"
        return "Oxigraph"


@dataclass(frozen=True)
class SiteSummary:
    """What was written: HTML pages (views aside), views, and the time it took.

    ``rendered`` counts the files (pages, views, entity data files) made anew, ``reused``
    those taken unchanged from the previous site (see :func:`write_site`).
    """

    pages: int
    views: int
    entities: int
    seconds: float
    paths: tuple[str, ...] = ()
    rendered: int = 0
    reused: int = 0


KEY_VERSION = f"{__version__}/1"
"""Part of every key, with :func:`renderer_digest`: a new clustergraph renders everything."""


@functools.cache
def renderer_digest() -> str:
    """Return a hash of what draws the pages: this package's modules, templates and assets.

    Part of every key, so that a changed template or renderer renders every file again.
    """
    digest = hashlib.sha256(KEY_VERSION.encode("utf-8"))
    root = resources.files("clustergraph.render")
    pending = [root]
    while pending:
        folder = pending.pop()
        for item in sorted(folder.iterdir(), key=lambda i: i.name):
            if item.is_dir():
                if item.name != "__pycache__":
                    pending.append(item)
            elif not item.name.endswith(".pyc"):
                digest.update(item.name.encode("utf-8") + b"\x00" + item.read_bytes())
    return digest.hexdigest()


def content_key(*parts: object) -> str:
    """Return the key of a file: a hash of what it shows (``repr`` of its model).

    Examples
    --------
    >>> content_key("a", (1, 2)) == content_key("a", (1, 2)) != content_key("a", (2, 1))
    True
    """
    digest = hashlib.sha256(renderer_digest().encode("utf-8"))
    for part in parts:
        digest.update(b"\x00")
        digest.update(repr(part).encode("utf-8"))
    return digest.hexdigest()[:32]


def read_keys(site: Path | None) -> dict[str, str]:
    """Return the keys a site was written with (none if there is no such site)."""
    import json

    if site is None:
        return {}
    try:
        data = json.loads((site / KEYS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


class _Reuse:
    """Takes unchanged files from the previous site instead of making them again."""

    def __init__(self, inputs: SiteInputs, previous: Path | None) -> None:
        self.inputs = inputs
        self.previous = previous
        self.site = inputs.build / SITE_DIR
        self.old = read_keys(previous)
        # Writing over the site being reused: an unchanged file is already in place.
        self.in_place = previous is not None and previous.resolve() == self.site.resolve()

    def take(self, path: str, key: str) -> bool:
        """Record ``key`` for ``path``; link the previous file and say so if it is unchanged."""
        self.inputs.keys[path] = key
        if self.previous is None or self.old.get(path) != key:
            self.inputs.rendered += 1
            return False
        source = self.previous / path
        target = self.site / path
        if not source.is_file():
            self.inputs.rendered += 1
            return False
        if not self.in_place:
            self.link(source, target)
        self.inputs.reused += 1
        return True

    link = staticmethod(link_file)


def write_keys(inputs: SiteInputs) -> None:
    """Write the keys of the site's files (sorted, so the same site gives the same bytes)."""
    import json

    text = json.dumps(dict(sorted(inputs.keys.items())), indent=0, sort_keys=True)
    write_staged(inputs.build / SITE_DIR / KEYS_FILE, text + "\n")


def normalise(text: str) -> str:
    """Return ``text`` as search compares it: no accents, lower case, words of a-z and 0-9.

    The same as ``normalise`` in ``assets/search.js``: NFKD, combining marks dropped.

    Examples
    --------
    >>> import unicodedata
    >>> normalise("Julius PAUŽOLIS"), normalise(unicodedata.normalize("NFD", "Paužolis"))
    ('julius pauzolis', 'pauzolis')
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", stripped).split())


def search_rows(catalogue: Catalogue) -> dict[str, list[list[str | int]]]:
    r"""Return the search index: for each first letter of a word, the entities having one.

    A row is ``[names, title, kind, href, tier]``: ``names`` every name and alias of
    the entity, its title and its slug, each normalised (:func:`normalise`), joined by
    ``|`` (so that search can tell an exact name from a word of one); ``title`` what
    the entity is called, or what a record that is part of a fact describes
    (:meth:`Catalogue.title`); ``tier`` how early it is listed
    (:meth:`Catalogue.tier`). Rows are in entity order, so the same data gives the
    same files.

    Examples
    --------
    >>> from clustergraph.project.vocab import RDF
    >>> from clustergraph.store import open_store
    >>> store = open_store("memory:")
    >>> a = "https://w3id.org/clustergraph/id/org/lcn"
    >>> store.replace_graphs({"https://w3id.org/clustergraph/graph/source/x": (
    ...     f'<{a}> <{RDF.type}> <{ORG.Organization}> .\n'
    ...     f'<{a}> <{SKOS.prefLabel}> "Lithuanian Cluster Network" .\n'
    ...     f'<{a}> <{SKOS.altLabel}> "LCN" .').encode()})
    >>> c = Catalogue.from_store(store, GraphIndex.from_store(store))
    >>> row = search_rows(c)["l"][0]
    >>> row[0], row[4]
    ('lithuanian cluster network|lcn', 0)
    """
    shards: dict[str, list[list[str | int]]] = {}
    name_properties = set(NAME_PROPERTIES)
    for iri in catalogue.entities:
        if catalogue.canonical(iri) != iri:
            continue  # its names are the canonical entity's (owl:sameAs)
        title = catalogue.title(iri)
        names = [catalogue.label(iri), title]
        names += sorted(
            {
                o.value
                for (p, o) in catalogue.out.get(iri, {})
                if p in name_properties and isinstance(o, ox.Literal)
            }
        )
        names.append(catalogue.name(iri).partition(":")[2].replace("-", " "))
        normalised = [n for n in dict.fromkeys(normalise(n) for n in names) if n]
        words = {w for n in normalised for w in n.split()}
        row: list[str | int] = [
            "|".join(normalised),
            title,
            catalogue.kind(iri),
            entity_path(iri),
            catalogue.tier(iri),
        ]
        for key in sorted({w[0] if w[0].isalnum() else "_" for w in words}):
            shards.setdefault(key, []).append(row)
    return shards


def search_shards(rows: Mapping[str, list[list[str | int]]]) -> dict[str, list[list[str | int]]]:
    """Return the search index's shards: the rows of :func:`search_rows` by two letters.

    A row goes into the shard of the first two letters of each word of its names (words
    of one letter are found through the entity's other words). The page loads the shard
    of the query's rarest word only, so a large site's query loads kilobytes, not the
    megabytes of a shard by first letter.

    Examples
    --------
    >>> row = ["lithuanian cluster network|lcn", "LCN", "network", "entity/org/lcn.html", 0]
    >>> sorted(search_shards({"c": [row], "l": [row], "n": [row]}))
    ['cl', 'lc', 'li', 'ne']
    """
    shards: dict[str, list[list[str | int]]] = {}
    for letter, group in sorted(rows.items()):
        for row in group:
            words = {w for name in str(row[0]).split("|") for w in name.split()}
            for key in sorted({w[:2] for w in words if len(w) > 1 and w[0] == letter}):
                shards.setdefault(key, []).append(row)
    return shards


SEARCH_SHARD_HEAD = 1500
"""Rows of a shard the page searches first; a larger shard's other rows come after."""


def write_search(site: Path, catalogue: Catalogue) -> int:
    """Write the search index and its script (see :func:`write_search_rows`)."""
    return write_search_rows(site, search_rows(catalogue))


def write_search_rows(site: Path, rows: Mapping[str, list[list[str | int]]]) -> int:
    """Write the search index and its script; return the number of files written.

    The shards of :func:`search_shards` (``search/<two letters>.js``; one of more than
    :data:`SEARCH_SHARD_HEAD` rows in two parts, its organisations and people with the
    shortest names first and the rest in ``<two letters>-more.js``), the list of the
    files with their number of rows (``search/keys.js``) and ``assets/search.js``.
    """
    files: dict[str, list[list[str | int]]] = {}
    for key, shard in search_shards(rows).items():
        if len(shard) <= SEARCH_SHARD_HEAD:
            files[key] = shard
            continue
        # A word most names share: the first part answers at once, the rest refines.
        ordered = sorted(shard, key=lambda r: (int(r[4]), len(str(r[1])), str(r[1]), str(r[3])))
        files[key] = ordered[:SEARCH_SHARD_HEAD]
        files[key + "-more"] = ordered[SEARCH_SHARD_HEAD:]
    folder = site / "search"
    folder.mkdir(parents=True, exist_ok=True)
    for key, part in sorted(files.items()):
        text = f"cgSearch.add({json_for_html(key)},{json_for_html(part)});\n"
        write_staged(folder / f"{key}.js", text)
    sizes = {key: len(part) for key, part in sorted(files.items())}
    write_staged(folder / "keys.js", f'cgSearch.add("keys",{json_for_html(sizes)});\n')
    write_staged(site / "assets" / "search.js", _asset_text("search.js"))
    return len(files) + 2


FACETS: tuple[tuple[str, str], ...] = (
    ("kind", "Kind"),
    ("country", "Country"),
    ("sector", "Sector"),
    ("level", "Label level"),
    ("by", "Label awarded by"),
    ("network", "Member of"),
    ("source", "Source article"),
)
"""The facets of the Entities page: (key in the URL, heading)."""


def facet_data(catalogue: Catalogue) -> dict[str, Any]:
    """Return what the Entities page browses: the things, with their value of each facet.

    The things (tiers 0 and 1 of :meth:`Catalogue.tier`): the terms of the vocabularies
    and the records that hold a fact together (figures, periods, memberships, posts,
    label awards) are left out; each is shown on the pages of what it links.
    Values are given once per facet (``values``) and referred to by position, so that
    a large site carries each name once; items are sorted by title.
    """
    values: dict[str, dict[str, int]] = {key: {} for key, _title in FACETS}
    items: list[list[Any]] = []
    for iri in catalogue.entities:
        if catalogue.tier(iri) > 1 or catalogue.canonical(iri) != iri:
            continue
        found = catalogue.facets(iri)
        refs = []
        for key, _title in FACETS:
            table = values[key]
            refs.append([table.setdefault(v, len(table)) for v in found[key]])
        items.append([catalogue.title(iri), entity_path(iri), refs])
    items.sort(key=lambda item: (str(item[0]).casefold(), item[1]))
    return {
        "facets": [list(f) for f in FACETS],
        "values": [list(values[key]) for key, _title in FACETS],
        "items": items,
    }


def write_facets(site: Path, catalogue: Catalogue) -> int:
    """Write the Entities page's data (``assets/facets-data.js``) and its script."""
    data = json_for_html(facet_data(catalogue))
    write_staged(site / "assets" / "facets-data.js", f"cgFacetData={data};\n")
    write_staged(site / "assets" / "facets.js", _asset_text("facets.js"))
    return 2


def _asset_text(name: str) -> str:
    return resources.files("clustergraph.render").joinpath("assets", name).read_text("utf-8")


_SCHEMA_TYPES = (
    (CG.Cluster, "Organization"),
    (ORG.Organization, "Organization"),
    (FOAF.Person, "Person"),
    (CG.Event, "Event"),
    (CG.Project, "Project"),
    (CG.Source, "Article"),
    (CG.Agreement, "CreativeWork"),
    (CG.Order, "CreativeWork"),
    (ORG.Membership, "OrganizationRole"),
    (ORG.Post, "Role"),
)


def schema_org(catalogue: Catalogue, iri: str) -> dict[str, Any]:
    r"""Return an entity's main facts as schema.org JSON-LD, for its page.

    Examples
    --------
    >>> from clustergraph.project.vocab import RDF
    >>> from clustergraph.store import open_store
    >>> store = open_store("memory:")
    >>> a = "https://w3id.org/clustergraph/id/org/a"
    >>> store.replace_graphs({"https://w3id.org/clustergraph/graph/source/x": (
    ...     f'<{a}> <{RDF.type}> <{ORG.FormalOrganization}> .\n'
    ...     f'<{a}> <{SKOS.prefLabel}> "A" .').encode()})
    >>> c = Catalogue.from_store(store, GraphIndex.from_store(store))
    >>> schema_org(c, a)["@type"], schema_org(c, a)["name"]
    ('Organization', 'A')
    """
    kind = next((t for cls, t in _SCHEMA_TYPES if catalogue.is_a(iri, cls)), "Thing")
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@id": iri,
        "@type": kind,
        "name": catalogue.label(iri),
        "identifier": catalogue.name(iri),
    }
    out = catalogue.out.get(iri, {})

    def literals(predicate: str) -> list[str]:
        return sorted(
            {o.value for (p, o), g in out.items() if p == predicate and isinstance(o, ox.Literal)}
        )

    def iris(predicate: str) -> list[str]:
        return sorted(
            {o.value for (p, o), g in out.items() if p == predicate and isinstance(o, ox.NamedNode)}
        )

    alternate = sorted(set(literals(SKOS.altLabel) + literals(FOAF.name)) - {data["name"]})
    if alternate:
        data["alternateName"] = alternate
    for predicate, key in (
        (DCTERMS.description, "description"),
        (SCHEMA.foundingDate, "foundingDate"),
    ):
        found = literals(predicate)
        if found:
            data[key] = found[0]
    member_of = iris(ORG.memberOf)
    if member_of:
        data["memberOf"] = [{"@id": o, "name": catalogue.label(o)} for o in member_of]
    same = iris(OWL.sameAs)
    if same:
        data["sameAs"] = same
    sources = sorted(
        {
            catalogue.graph_source[g]
            for gs in out.values()
            for g in gs
            if g in catalogue.graph_source
        }
    )
    if sources:
        data["subjectOf"] = [{"@id": s, "name": catalogue.label(s)} for s in sources]
    return data


def linked_data_paths(iri: str) -> dict[str, str]:
    """Return the site paths of an entity's Turtle and JSON-LD files, beside its page.

    Examples
    --------
    >>> linked_data_paths("https://w3id.org/clustergraph/id/org/lcn")
    {'ttl': 'entity/org/lcn.ttl', 'jsonld': 'entity/org/lcn.jsonld'}
    """
    stem = entity_path(iri).removesuffix(".html")
    return {"ttl": stem + ".ttl", "jsonld": stem + ".jsonld"}


def write_linked_data(
    site: Path, catalogue: Catalogue, iri: str, reuse: _Reuse | None = None
) -> dict[str, str]:
    """Write ``entity/<kind>/<slug>.ttl`` and ``.jsonld``: the stated facts about the entity.

    The triples whose subject is the entity, from the stated graphs, sorted, so that the
    same data gives the same bytes. JSON-LD 1.1 cannot hold an RDF 1.2 triple term: an
    entity stating one gets its Turtle only (``jsonld`` is then ``""``, and the page says
    why).
    """
    triples = sorted(
        (
            ox.Triple(ox.NamedNode(iri), ox.NamedNode(p), o)
            for (p, o), graphs in catalogue.out.get(iri, {}).items()
            if _is_stated(graphs)
        ),
        key=str,
    )
    paths = linked_data_paths(iri)
    if any(isinstance(t.object, ox.Triple) for t in triples):
        paths["jsonld"] = ""
    if reuse is not None:
        key = content_key("data", [str(t) for t in triples])
        jsonld = not paths["jsonld"] or reuse.take(paths["jsonld"], key)
        if reuse.take(paths["ttl"], key) & jsonld:
            return paths
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(catalogue.prefixes))
    write_staged(site / paths["ttl"], turtle or b"")
    if paths["jsonld"]:
        data = ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b""
        write_staged(site / paths["jsonld"], data)
    return paths


def _is_stated(graphs: set[str]) -> bool:
    return any(not is_derived_graph(g) for g in graphs)


_EGO_CSP = _CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
"""An entity page drawing its neighbourhood: vis-network sets styles on its elements."""

WORKBENCH_MAX_QUADS = 300_000
"""Above this many quads the site carries no data for the in-browser workbench."""

_WORKBENCH_CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)


def workbench_config(
    runs: Sequence[QueryRun], prefixes: Mapping[str, str], data: str | None, note: str = ""
) -> dict[str, Any]:
    """Return what the workbench page needs: the library's queries, prefixes, data file.

    Each query carries its text and ``valuesAt``, where the command line puts its
    ``VALUES`` block (just inside the top-level WHERE group, see
    :func:`clustergraph.store.sparql.bind_values`), as an offset in UTF-16 code units
    (JavaScript's): the page writes one ``VALUES`` line per parameter there, into the
    text the editor shows, and keeps the form and those lines in step.
    """
    from clustergraph.queries.library import _LEXICAL, ParamType
    from clustergraph.store.sparql import where_group_start

    queries = []
    for run in runs:
        q = run.query
        if q.computed_in_python:  # its text would answer one empty row, not the check's rows
            continue
        params = []
        for p in q.params:
            default = p.default
            shown = (
                ""
                if default is None
                else compact(default.value, prefixes)
                if isinstance(default, ox.NamedNode)
                else default.value
            )
            pattern, datatype = _LEXICAL.get(p.type, ("", "string"))
            params.append(
                {
                    "name": p.name,
                    "type": p.type.value,
                    "shown": shown,
                    "optional": p.optional,
                    "pattern": pattern if p.type is not ParamType.STRING else "",
                    "datatype": f"{XSD}{datatype}",
                }
            )
        at = where_group_start(q.text) if params else 0
        queries.append(
            {
                "name": q.name,
                "summary": q.summary,
                "check": q.is_check,
                "text": q.text,
                "valuesAt": len(q.text[:at].encode("utf-16-le")) // 2,
                "params": params,
            }
        )
    return {
        "queries": queries,
        "prefixes": dict(sorted(prefixes.items())),
        "idBase": ID_NS,
        "engine": "assets/lib/oxigraph.min.js",
        "names": "assets/workbench-names.js",
        "data": data,
        "dataNote": note,
    }


def write_workbench_names(site: Path, catalogue: Catalogue) -> int:
    """Write the entities the workbench's form resolves names against; return how many.

    ``assets/workbench-names.js`` holds ``[name, label, tier]`` rows, the name prefixed
    where a prefix fits, ``tier`` as search ranks (:meth:`Catalogue.tier`), then the
    page's path where it is not ``entity/<kind>/<slug>.html`` (else ``""``) and what the
    sources count but do not name (:meth:`Catalogue.gaps`), where either is needed, so
    that an empty answer can say why: slugs (``lca``) and
    prefixed names are resolved as on the command line, a name that names nothing is
    told with the closest ones (organisations and people first), and a name typed as
    search finds it leads to its entity, offline.
    """
    rows: list[list[str | int]] = []
    for iri in catalogue.entities:
        row: list[str | int] = [
            compact(iri, catalogue.prefixes),
            catalogue.label(iri),
            catalogue.tier(iri),
        ]
        path = entity_path(iri)
        gaps = catalogue.gaps(iri)
        if path != f"entity/{iri[len(ID_NS) :]}.html" or gaps:
            row.append(path if path != f"entity/{iri[len(ID_NS) :]}.html" else "")
        if gaps:
            row.append("; ".join(gaps))
        rows.append(row)
    write_staged(
        site / "assets" / "workbench-names.js",
        f"cgWorkbenchNames={json_for_html(rows)};\n",
    )
    return len(rows)


def write_workbench_data(site: Path, nquads: Path | None) -> tuple[str | None, str]:
    """Write the data the in-browser engine loads (``assets/workbench-data.js``).

    The N-Quads export as a JavaScript string (a script, since pages opened from disk
    cannot fetch). Returns the site path, or ``None`` and why when there is none.
    """
    if nquads is None or not nquads.is_file():
        return None, "this build has no N-Quads export for the browser; use clustergraph serve"
    lines = nquads.read_bytes().count(b"\n")
    if lines > WORKBENCH_MAX_QUADS:
        return None, (
            f"the graph ({lines:,} quads) is too large to load into a browser: run "
            "clustergraph serve and open this page from the server"
        )
    text = nquads.read_text(encoding="utf-8")
    write_staged(site / "assets" / "workbench-data.js", f"cgWorkbenchData={json_for_html(text)};\n")
    return "assets/workbench-data.js", ""


def copy_libraries(site: Path) -> None:
    """Copy the bundled libraries the pages use into ``assets/lib/``, with their licences."""
    for name in ("yasgui.min.js", "yasgui.min.css", "oxigraph.min.js", "LICENSES.txt"):
        write_staged(site / "assets" / "lib" / name, lib_files().joinpath(name).read_bytes())


def readable(folder: Path) -> None:
    """Let a web server read the site: folders ``rwxr-xr-x``, files ``rw-r--r--``."""
    folder.chmod(0o755)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
        for name in files:
            path = os.path.join(root, name)
            if os.stat(path).st_mode & 0o777 != 0o644:
                os.chmod(path, 0o644)


def _count(n: int, noun: str, plural: str | None = None) -> str:
    """Return a count in words: ``1 row``, ``2 rows``, ``1,204 nodes``.

    Examples
    --------
    >>> _count(1, "row"), _count(0, "row"), _count(1204, "node"), _count(2, "body", "bodies")
    ('1 row', '0 rows', '1,204 nodes', '2 bodies')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def relative_root(path: str) -> str:
    """Return the relative URL of the site's root from the page at ``path``."""
    return "../" * path.count("/")


def query_path(name: str) -> str:
    """Return the site path of the page of the query called ``name``."""
    return f"query/{name}.html"


def _view_path(page_path: str) -> str:
    """Return the site path of the view of an entity page (``views/entity/...``)."""
    return "views/" + page_path


# ---------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------


def _words(iri: str) -> str:
    """Return the local name of an IRI in words: ``coordinates``, ``awarded by``."""
    local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).lower()


def role_label(index: GraphIndex, a: str, b: str, statements: Sequence[Any]) -> str:
    """Return what an edge of the actor network stands for, in words: ``member``, ``president``.

    A membership or a post between the two names its role (``associate member``,
    ``president``), an excellence label award says ``label awarded``, another mediator
    its class, and a direct statement its predicate in words.
    """
    found: list[str] = []
    for st in statements:
        for node in (st.subject, st.object):
            if node in (a, b):
                continue
            roles = sorted(
                index.label(o) for o, s2 in index.neighbours(node) if s2.predicate == ORG.role
            )
            if roles:
                found.extend(roles)
            elif index.is_a(node, ORG.Membership):
                found.append("member")
            elif index.is_a(node, CG.ExcellenceLabelAward):
                found.append("label awarded")
            else:
                cls = index.primary_class(node)
                found.append(index.class_label(cls) if cls else "linked")
        if st.subject in (a, b) and st.object in (a, b):
            found.append(_words(st.predicate))
    unique = list(dict.fromkeys(w for w in found if w))
    return ", ".join(unique[:3]) + (", …" if len(unique) > 3 else "")


def _prepare(graph: nx.Graph, index: GraphIndex, *, roles: bool = False) -> nx.Graph:
    """Give a projection what its view needs: class ancestors, and role labels on edges."""
    classes = sorted({graph.nodes[n].get("cls") or "" for n in graph.nodes})
    graph.graph["class_ancestors"] = {
        name: [index.name(c) for c in sorted(index.ancestors(_expand(index, name)))]
        for name in classes
        if name
    }
    if roles:
        for a, b, attrs in graph.edges(data=True):
            attrs["label"] = role_label(index, a, b, attrs.get("statements", ()))
    return graph


def _expand(index: GraphIndex, name: str) -> str:
    """Return the IRI of a prefixed name with the index's prefixes."""
    prefix, _, local = name.partition(":")
    base = index.prefixes.get(prefix)
    return base + local if base is not None else name


EGO_LIMIT = 40
"""Most neighbours an entity page draws in its own neighbourhood (the most central)."""


def neighbourhood_island(
    whole: nx.Graph, iri: str, catalogue: Catalogue, score: Mapping[str, float]
) -> dict[str, Any] | None:
    """Return an entity's neighbourhood as the JSON its page draws (``assets/ego.js``).

    The entity and its neighbours in the entity network (at most :data:`EGO_LIMIT`:
    organisations and people first, then the most central), on a ring around it, in a
    fixed order (the order in which their names take room: see ``assets/labels.js``). Cheap
    enough for every page of a large site: no layout algorithm runs.
    """
    import math

    from clustergraph.render.views import GROUP_RANK, class_style

    if iri not in whole:
        return None
    ancestors = whole.graph.get("class_ancestors") or {}

    def node(n: str) -> dict[str, Any]:
        cls = whole.nodes[n].get("cls") or "rdfs:Resource"
        group, colour, shape = class_style(cls, ancestors.get(cls, ()))
        return {
            "label": catalogue.label(n),
            "kind": whole.nodes[n].get("cls_label") or cls,
            "color": colour,
            "shape": shape,
            "group": GROUP_RANK[group],
            "href": entity_path(n) if catalogue.is_entity(n) else None,
        }

    around = sorted(
        whole.neighbors(iri),
        key=lambda n: (node(n)["group"], -score.get(n, 0.0), catalogue.label(n), n),
    )[:EGO_LIMIT]
    if not around:
        return None
    radius = max(200.0, 24.0 * len(around))
    nodes = [{**node(iri), "x": 0.0, "y": 0.0, "size": 22}]
    for k, n in enumerate(around):
        angle = 2 * math.pi * k / len(around) - math.pi / 2
        nodes.append(
            {
                **node(n),
                "x": round(radius * math.cos(angle), 1),
                "y": round(radius * math.sin(angle), 1),
                "size": 12,
            }
        )
    edges = [
        [
            0,
            k + 1,
            whole.edges[iri, n].get("label")
            or ", ".join(whole.edges[iri, n].get("predicates", ())),
        ]
        for k, n in enumerate(around)
    ]
    return {"nodes": nodes, "edges": edges, "more": max(0, whole.degree(iri) - len(around))}


def _graph_key(graph: nx.Graph, *extra: object) -> str:
    """Return the key of a view: its nodes and edges with every attribute, and options."""
    nodes = sorted((n, sorted(a.items())) for n, a in graph.nodes(data=True))
    edges = sorted((min(a, b), max(a, b), sorted(d.items())) for a, b, d in graph.edges(data=True))
    meta = sorted((k, v) for k, v in graph.graph.items() if k not in ("source_titles",))
    titles = graph.graph.get("source_titles") or {}
    used = sorted(
        {g for _n, a in graph.nodes(data=True) for g in a.get("sources", ())}
        | {  # an edge cites the articles behind its statements, with their titles
            str(g)
            for _a, _b, d in graph.edges(data=True)
            for statement in d.get("statements", ())
            for g in statement_sources(statement)
        }
    )
    return content_key(nodes, edges, meta, [(g, titles.get(g)) for g in used], extra)


def write_views(inputs: SiteInputs, *, previous: Path | None = None) -> int:
    """Write the interactive views into ``<build>/site/views/`` and return how many.

    The ecosystem (the actors network, organisations and people, edges labelled by
    role), the full entity network and the organisations; one neighbourhood
    (:data:`NEIGHBOURHOOD_DEPTH` hops) per entity of the entity network, and the graph
    of every CONSTRUCT or DESCRIBE query. ``inputs.views`` records the site path of each
    view by key (``ecosystem``, ``entities``, ``organisations``, an entity IRI,
    ``query:<name>``).
    """
    from clustergraph.network.projections import project as projection

    site = inputs.build / SITE_DIR
    write_vis_network(site / VIS_PATH)
    index = inputs.index
    catalogue = inputs.get_catalogue()
    whole = _prepare(projection(index, "entities"), index)
    inputs.network = whole
    count = 0

    reuse = _Reuse(inputs, previous)

    def view(key: str, path: str, graph: nx.Graph, title: str, subtitle: str, **kw: Any) -> None:
        nonlocal count
        inputs.views[key] = path
        count += 1
        for node, attrs in graph.nodes(data=True):  # details link to each entity's page
            if "page" not in attrs and catalogue.is_entity(str(node)):
                attrs["page"] = entity_path(str(node))
        kw["site_root"] = relative_root(path)
        if reuse.take(path, _graph_key(graph, title, subtitle, kw)):
            # A view drawn in parts keeps each part's details beside it: take them too.
            parts = Path(path).with_suffix(".parts")
            if previous is not None and not reuse.in_place and (previous / parts).is_dir():
                for script in sorted((previous / parts).iterdir()):
                    reuse.link(script, site / parts / script.name)
            return
        write_view(
            graph,
            site / path,
            atomic=False,  # the staging directory replaces the site whole
            title=title,
            subtitle=subtitle,
            vis_src=relative_root(path) + VIS_PATH,
            max_nodes=VIEW_MAX_NODES,
            **kw,
        )

    for key, name, path, title, other in (
        (
            "ecosystem",
            "actors",
            "views/ecosystem.html",
            "The cluster ecosystem: organisations and people",
            ("entities.html", "Every entity (memberships, posts, awards…)"),
        ),
        (
            "entities",
            "entities",
            "views/entities.html",
            "The cluster ecosystem: every entity",
            ("ecosystem.html", "Organisations and people only"),
        ),
        (
            "organisations",
            "organisations",
            "views/organisations.html",
            "The organisations",
            ("ecosystem.html", "Organisations and people"),
        ),
    ):
        graph = (
            whole if name == "entities" else _prepare(projection(index, name), index, roles=True)
        )
        extra: dict[str, Any] = {}
        if key == "ecosystem" and index.as_of is None:
            # The time slider: which nodes and edges are there as of each year.
            from clustergraph.network.timeline import presence, time_steps

            days = time_steps(index)
            if days:
                extra["time"] = presence(index, days, network=name)
        view(
            key,
            path,
            graph,
            title,
            f"The {name} network: {_count(graph.number_of_nodes(), 'node')}, "
            f"{_count(graph.number_of_edges(), 'edge')}. {DESCRIPTIONS[name]}",
            links=[other],
            **extra,
        )
    inputs.views["actors"] = inputs.views["ecosystem"]
    per_entity = len(catalogue.entities) <= ENTITY_VIEWS_UP_TO
    for iri in catalogue.entities if per_entity else ():
        if iri not in whole:
            continue
        sub = neighbourhood(whole, iri, NEIGHBOURHOOD_DEPTH)
        view(
            iri,
            _view_path(entity_path(iri)),
            sub,
            f"{catalogue.label(iri)}: its neighbourhood",
            f"{_count(sub.number_of_nodes(), 'node')} and "
            f"{_count(sub.number_of_edges(), 'edge')} within {NEIGHBOURHOOD_DEPTH} hops of "
            f"{catalogue.name(iri)} in the entity network.",
            focus=iri,
        )
    for run in inputs.runs:
        if not isinstance(run.result, GraphResult):
            continue
        try:
            graph = construct_network(run.result, index)
        except InputError:
            continue  # nothing to draw: the page says so
        view(
            "query:" + run.query.name,
            "views/" + query_path(run.query.name),
            graph,
            f"Query {run.query.name}",
            f"{run.query.summary} {graph.number_of_nodes()} nodes, "
            f"{graph.number_of_edges()} edges (run with its defaults).",
        )
    return count


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("clustergraph.render", "templates/site"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["num"] = lambda n: f"{n:,}"
    environment.globals["count"] = _count
    environment.globals["link_html"] = _link_html
    environment.globals["term_html"] = _term_html
    environment.globals["cites_html"] = _cites_html
    environment.filters["size"] = _size
    return environment


# The three pieces every page repeats most (a link, a property, the sources cited), in
# Python: a Jinja2 macro call costs tens of microseconds, and an entity page makes
# dozens. Their HTML is what the macros of ``macros.html.j2`` wrote, escaped the same way.


def _field(item: Any, name: str) -> Any:
    """Read ``item.name`` (or ``item[name]``) as a template does, strictly."""
    try:
        return getattr(item, name)
    except AttributeError:
        try:
            return item[name]
        except (KeyError, TypeError):
            raise jinja2.UndefinedError(f"{item!r} has no attribute {name!r}") from None


@jinja2.pass_context
def _link_html(context: jinja2.runtime.Context, link: Any) -> Markup:
    """Return a :class:`~clustergraph.render.catalogue.Link` as HTML: linked or plain."""
    href, title, text, note = (_field(link, k) for k in ("href", "title", "text", "note"))
    hint = f' title="{escape(title)}"' if title else ""
    if href:
        html = f'<a href="{escape(context["root"])}{escape(href)}"{hint}>{escape(text)}</a>'
    else:
        html = f"<span{hint}>{escape(text)}</span>"
    if note:
        html += f' <span class="note">{escape(note)}</span>'
    return Markup(html)


@jinja2.pass_context
def _term_html(context: jinja2.runtime.Context, link: Any) -> Markup:
    """Return a property (or class) as HTML, its prefixed name as the hint."""
    href, title, text = (_field(link, k) for k in ("href", "title", "text"))
    if href:
        return Markup(
            f'<a class="term" href="{escape(context["root"])}{escape(href)}" '
            f'title="{escape(title)}">{escape(text)}</a>'
        )
    return Markup(f'<span class="term" title="{escape(title)}">{escape(text)}</span>')


@jinja2.pass_context
def _cites_html(context: jinja2.runtime.Context, links: Any) -> Markup:
    """Return the list of sources cited, or say there is none."""
    if not links:
        return Markup('<span class="muted">no source</span>')
    items = "".join(f"<li>{_link_html(context, c)}</li>" for c in links)
    return Markup(f'<ul class="cites">{items}</ul>')


def _size(n: int) -> str:
    """Return a file size for people: ``1.2 MB``, ``843 kB``, ``12 bytes``."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.0f} kB"
    return f"{n} bytes"


class _Writer:
    """Renders templates into the site directory and counts the pages."""

    def __init__(self, site: Path, common: Mapping[str, Any]) -> None:
        self.site = site
        self.environment = _environment()
        self.common = dict(common)
        self.paths: list[str] = []

    def page(self, template: str, path: str, *, title: str, **context: Any) -> None:
        csp = context.pop("csp", _CSP)
        html = self.environment.get_template(template).render(
            **{**self.common, **context},
            title=title,
            path=path,
            root=relative_root(path),
            current=path,
            nav=NAV,
            csp=csp,
            version=__version__,
        )
        write_staged(self.site / path, html)
        self.paths.append(path)


def _cell(term: Term | None, catalogue: Catalogue) -> Link:
    """Return a cell of a result table: an entity links to its page."""
    if term is None:
        return Link("", None, "no value in the graph for this row", "not stated")
    if isinstance(term, ox.NamedNode):
        iri = term.value
        if catalogue.is_entity(iri):
            return Link(catalogue.label(iri), entity_path(iri), catalogue.name(iri))
        return Link(catalogue.name(iri), None, iri)
    if isinstance(term, ox.BlankNode):
        return Link(f"_:{term.value}")
    hint = "" if term.language else compact(term.datatype, catalogue.prefixes)
    return Link(" ".join(term.value.split()), None, hint, term.language or "")


@dataclass(frozen=True)
class _Table:
    """A result as a table: header and rows of links."""

    header: tuple[str, ...]
    rows: tuple[tuple[Link, ...], ...]


def _result_table(result: Result, catalogue: Catalogue) -> _Table | None:
    if isinstance(result, SelectResult):
        return _Table(
            tuple(result.variables),
            tuple(tuple(_cell(t, catalogue) for t in row) for row in result.rows),
        )
    if isinstance(result, GraphResult):
        triples = sorted(
            result.triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
        )
        return _Table(
            ("subject", "predicate", "object"),
            tuple(
                (
                    _term_cell(t.subject, catalogue),
                    Link(catalogue.name(t.predicate.value), None, t.predicate.value),
                    _term_cell(t.object, catalogue),
                )
                for t in triples
            ),
        )
    return None


def _empty_why(run: QueryRun, table: _Table | None, catalogue: Catalogue) -> list[Link | str]:
    """Return why a query may have come back empty: gaps the sources leave about its entities.

    For each entity given as a parameter, what the articles count but do not name
    (:meth:`Catalogue.gaps`): ``[(entity link, sentence), ...]``; nothing if it has rows.
    """
    if run.query.is_check or table is None or table.rows:
        return []
    found: list[Any] = []
    for p in run.query.params:
        if isinstance(p.default, ox.NamedNode) and catalogue.is_entity(p.default.value):
            iri = p.default.value
            found += [(catalogue.link(iri), gap) for gap in catalogue.gaps(iri)]
    return found


def _term_cell(term: object, catalogue: Catalogue) -> Link:
    """Return a cell of a triple (an RDF-star triple term shows in N-Triples)."""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return _cell(term, catalogue)
    return Link(str(term))


DOWNLOADS = "downloads"
"""The site's folder of downloads: copies of the build's exports, analysis and results."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet runs as a formula at the start of a cell (OWASP, CSV injection)."""


def neutralise_csv(data: bytes) -> bytes:
    r"""Return a CSV file with every formula-leading cell written with a leading ``'``.

    Cells are read and written back with :mod:`csv` (quoting as needed, CRLF line ends,
    as the W3C SPARQL CSV format has them); a file with no such cell is left as it was.

    Examples
    --------
    >>> neutralise_csv(b'name,value\r\n=HYPERLINK("x"),-3\r\nplain,@me\r\n')
    b'name,value\r\n"\'=HYPERLINK(""x"")",\'-3\r\nplain,\'@me\r\n'
    >>> neutralise_csv(b"a,b\r\n1,2\r\n")
    b'a,b\r\n1,2\r\n'
    """
    import csv
    import io

    text = data.decode("utf-8")
    # A cell may hold a literal of any length: the csv module's limit (131,072
    # characters by default, one setting for the whole process) is raised to the file's.
    if len(text) >= csv.field_size_limit():
        csv.field_size_limit(len(text) + 1)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    changed = False
    for row in rows:
        for k, cell in enumerate(row):
            if cell.startswith(FORMULA_START):
                row[k] = "'" + cell
                changed = True
    if not changed:
        return data
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def publish(build: Path, rel: str) -> str | None:
    """Put the build's file ``rel`` into the site's downloads; return its site path.

    CSV files are neutralised for spreadsheets (:func:`neutralise_csv`); other files are
    hard-linked where the file system allows (no second copy of a large export), else
    copied. Returns ``None`` if the build has no such file.
    """
    source = build / rel
    if not source.is_file():
        return None
    href = f"{DOWNLOADS}/{rel}"
    target = build / SITE_DIR / href
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.suffix == ".csv":
        write_staged(target, neutralise_csv(source.read_bytes()))
        return href
    if target.exists():
        if target.read_bytes() == source.read_bytes():
            return href
        target.unlink()
    source.chmod(0o644)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
        target.chmod(0o644)
    return href


def _file_rows(build: Path, paths: Sequence[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Describe files of the build, published in the site: (path in the build, title, what)."""
    rows = []
    for rel, title, description in paths:
        href = publish(build, rel)
        if href is None:
            continue
        data = (build / SITE_DIR / href).read_bytes()
        rows.append(
            {
                "href": href,
                "name": Path(rel).name,
                "title": title,
                "description": description,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    return rows


def _iri(node: object) -> str:
    """Return the IRI of a node given as a pyoxigraph term or as a string."""
    return node.value if isinstance(node, ox.NamedNode) else str(node)


def write_site(inputs: SiteInputs, *, previous: Path | None = None) -> SiteSummary:
    """Write the pages of the explorer into ``<build>/site/`` (views: :func:`write_views`).

    Parameters
    ----------
    inputs
        The store, its index and analysis, the query results and the exports.
    previous
        The site of an earlier build (``build/site``), to build incrementally: each
        entity page, its ``.ttl`` and ``.jsonld``, and each view has a key computed from
        what it shows (:func:`content_key` of its page model: its facts, the labels and
        articles it names); the keys are kept in the site (``keys.json``). A file whose
        key is the one recorded in ``previous`` is taken from there (hard-linked, else
        copied) instead of being rendered again; the other files are rendered. The
        pages about the whole graph (home, lists, queries, timeline, analysis,
        ontology, downloads) are always rendered: there are few of them.

    Returns
    -------
    SiteSummary
        The number of pages written, how many files were rendered and how many reused,
        and the time it took.
    """
    started = time.perf_counter()
    site = inputs.build / SITE_DIR
    catalogue = inputs.get_catalogue()
    (site / "assets").mkdir(parents=True, exist_ok=True)
    css = resources.files("clustergraph.render").joinpath("templates", "site", "site.css")
    write_staged(site / "assets" / "site.css", css.read_text(encoding="utf-8"))
    write_search(site, catalogue)
    write_facets(site, catalogue)
    by_class = catalogue.by_class()
    counts = inputs.get_counts()
    ranked = [(score, catalogue.link(score.node)) for score in inputs.analysis.ranked[:10]]
    sources = [(catalogue.link(_iri(s.source)), s) for s in inputs.stats.sources]
    published: dict[str, str] = {}

    def download(rel: str) -> str:
        if rel not in published:
            published[rel] = publish(inputs.build, rel) or rel
        return published[rel]

    writer = _Writer(site, {"counts": counts, "download": download, "show_counts": True})
    runs = sorted(inputs.runs, key=lambda r: (r.query.is_check, r.query.name))
    writer.page(
        "index.html.j2",
        "index.html",
        title="The Lithuanian cluster ecosystem as a knowledge graph",
        by_class=by_class,
        entity_count=len(catalogue.entities),
        sources=sources,
        ranked=ranked,
        analysis=inputs.analysis,
        query_count=sum(1 for r in runs if not r.query.is_check),
        check_count=sum(1 for r in runs if r.query.is_check),
        views=inputs.views,
        prefixes=catalogue.prefixes,
        compact=compact,
    )
    writer.page(
        "changes.html.j2",
        "changes.html",
        title="Changes since the previous build",
        model=None
        if inputs.changes is None
        else changes_model(
            inputs.changes,
            href=lambda iri: entity_path(iri) if catalogue.is_entity(iri) else None,
        ),
        why=inputs.changes_note,
    )
    writer.page(
        "entities.html.j2",
        "entities.html",
        title="Entities",
        by_class=catalogue.by_class((0, 1)),
        vocabulary=catalogue.by_class((2,)),
        parts=catalogue.by_class((3,)),
        facets=FACETS,
    )
    reuse = _Reuse(inputs, previous)
    whole = inputs.network
    degree = dict(whole.degree()) if whole is not None else {}
    for iri in catalogue.entities:
        canonical = catalogue.canonical(iri)
        if canonical != iri:  # merged by owl:sameAs: its page points to the one page
            writer.page(
                "same.html.j2",
                entity_path(iri),
                title=f"{catalogue.label(canonical)} (another IRI)",
                iri=iri,
                target=catalogue.link(canonical),
                show_counts=False,
            )
            continue
        page = catalogue.entity_page(iri)
        linked = write_linked_data(site, catalogue, iri, reuse)
        facts = catalogue.key_facts(iri)
        jsonld = json_for_html(schema_org(catalogue, iri))
        view = inputs.views.get(iri)
        island = (
            neighbourhood_island(whole, iri, catalogue, degree)
            if view is None and whole is not None
            else None
        )
        ego = json_for_html(island) if island is not None else None
        key = content_key("entity", page, facts, jsonld, view, linked, ego)
        if reuse.take(page.path, key):
            writer.paths.append(page.path)
            continue
        writer.page(
            "entity.html.j2",
            page.path,
            title=page.label,
            page=page,
            facts=facts,
            linked=linked,
            jsonld=jsonld,
            view=view,
            ego=ego,
            ego_more=island["more"] if island is not None else 0,
            show_counts=False,
            csp=_EGO_CSP if ego is not None else _CSP,
        )
    review = [
        (r, r.result) for r in runs if r.query.is_check and isinstance(r.result, SelectResult)
    ]
    writer.page(
        "curation.html.j2",
        "curation.html",
        title="Curation: what to review",
        checks=[(r, _result_table(result, catalogue)) for r, result in review if result.rows],
        passed=[r for r, result in review if not result.rows],
        query_path=query_path,
    )
    writer.page(
        "queries.html.j2",
        "queries.html",
        title="Queries",
        runs=runs,
        query_path=query_path,
        engine=inputs.engine,
    )
    for run in runs:
        table = _result_table(run.result, catalogue)
        writer.page(
            "query.html.j2",
            query_path(run.query.name),
            title=f"Query {run.query.name}",
            run=run,
            table=table,
            ask=run.result.value if isinstance(run.result, AskResult) else None,
            params=[(p, _cell(p.default, catalogue)) for p in run.query.params],
            empty_why=_empty_why(run, table, catalogue),
            view=inputs.views.get("query:" + run.query.name),
            graph_form=run.query.form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE),
            engine=inputs.engine,
            source=inputs.project.relpath(run.query.path)
            if run.query.path.is_absolute()
            else str(run.query.path),
        )
    copy_libraries(site)
    write_staged(site / "assets" / "workbench.js", _asset_text("workbench.js"))
    write_staged(site / "w3id" / ".htaccess", _asset_text("w3id.htaccess"))
    ego_js = _asset_text("labels.js") + "\n" + _asset_text("ego.js")  # ego.js places names with it
    write_staged(site / "assets" / "ego.js", ego_js)
    data, note = write_workbench_data(site, inputs.exports.get(RdfFormat.NQUADS))
    write_workbench_names(site, catalogue)
    writer.page(
        "workbench.html.j2",
        "workbench.html",
        title="Query workbench",
        config=json_for_html(workbench_config(runs, catalogue.prefixes, data, note)),
        csp=_WORKBENCH_CSP,
    )
    timeline = catalogue.timeline()
    writer.page("timeline.html.j2", "timeline.html", title="Timeline", entries=timeline)
    analysis = inputs.analysis
    scores = {s.node: s for s in analysis.ranked}
    writer.page(
        "analysis.html.j2",
        "analysis.html",
        title="Network analysis",
        analysis=analysis,
        description=DESCRIPTIONS.get(analysis.network, ""),
        top=[(s, catalogue.link(s.node)) for s in analysis.ranked[:20]],
        brokers=[(s, catalogue.link(s.node)) for s in analysis.brokers[:15]],
        communities=[(c, [catalogue.link(m) for m in c.members]) for c in analysis.communities],
        bridges=[
            (b, catalogue.link(b.a), catalogue.link(b.b), catalogue.cites(b.sources))
            for b in analysis.bridges
        ],
        components=[[catalogue.link(m) for m in members] for members in analysis.components],
        scores=scores,
        files=_file_rows(
            inputs.build,
            [
                ("analysis/report.md", "Report", "the analysis in Markdown"),
                ("analysis/report.json", "Report (JSON)", "every measure, for machines"),
                ("analysis/centrality.csv", "Centrality", "one row per node"),
                ("analysis/communities.csv", "Communities", "one row per member"),
                ("analysis/bridges.csv", "Bridges", "one row per bridge"),
            ],
        ),
        views=inputs.views,
    )
    doc = ontology_doc(inputs.store, catalogue, derived=counts.by_predicate)
    writer.page(
        "ontology.html.j2",
        "ontology.html",
        title="Ontology",
        doc=doc,
        derived=dict(counts.by_predicate),
    )
    exports = _file_rows(
        inputs.build,
        [
            (
                f"exports/{path.name}",
                fmt.label,
                f"{fmt.media_type}; "
                + (
                    "one named graph per source"
                    if fmt.supports_datasets
                    else "the union of the graphs"
                ),
            )
            for fmt, path in inputs.exports.items()
        ]
        + [
            (
                "exports/void.ttl",
                "VoID and DCAT description",
                "text/turtle; the dataset, its graphs and these files",
            ),
            ("exports/context.jsonld", "JSON-LD context", "application/ld+json; the prefixes"),
        ],
    )
    query_files = [(run.query.name, sorted(run.files.items())) for run in runs if run.files]
    writer.page(
        "downloads.html.j2",
        "downloads.html",
        title="Downloads",
        exports=exports,
        analysis_files=_file_rows(
            inputs.build,
            [
                ("analysis/report.md", "Network analysis report", "text/markdown"),
                ("analysis/report.json", "Network analysis (JSON)", "application/json"),
                ("analysis/centrality.csv", "Centrality per node", "text/csv"),
                ("analysis/communities.csv", "Communities", "text/csv"),
                ("analysis/bridges.csv", "Bridges", "text/csv"),
            ],
        ),
        query_files=query_files,
        query_path=query_path,
    )
    write_keys(inputs)
    readable(site)
    return SiteSummary(
        pages=len(writer.paths),
        views=len(set(inputs.views.values())),
        entities=len(catalogue.entities),
        seconds=time.perf_counter() - started,
        paths=tuple(writer.paths),
        rendered=inputs.rendered,
        reused=inputs.reused,
    )
