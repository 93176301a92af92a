"""The Python front door: :func:`clustergraph.open` returns a :class:`KnowledgeGraph`.

One object answers what the command line answers, from the same store::

    import clustergraph
    kg = clustergraph.open()                       # the project here, or the shipped graph
    kg.query("members-of-organisation", org="o:lcn").to_df()
    kg.network("actors")                           # a NetworkX graph
    kg.view(entity="o:lcn")                        # inline in Jupyter

=====================  ================================================================
method                 what it gives
=====================  ================================================================
``query``              a query of the library by name, or SPARQL text, with parameters:
                       a result that shows as an HTML table and converts ``.to_df()``
``queries``            the query library
``validate``           the SHACL report of the stated facts
``check``              the checks of the library
``stats``              triples per graph, entities per class, the sources
``network``            a projection as a :class:`networkx.Graph`
``analyze``            centrality, communities, brokers of a projection
``path``               the shortest paths between two entities, hop by hop
``view``               an interactive view (inline in Jupyter, or written to a file)
``to_pyvis``           a :class:`pyvis.network.Network` of a projection, to restyle
``add``                facts in Turtle added as a source graph, derived at once
``export``             the dataset in an RDF format
``build``              the main job, the site included
=====================  ================================================================

Examples
--------
>>> kg = open(store="memory:")
>>> members = kg.query("members-of-organisation", org="ftd-lt")
>>> "https://w3id.org/clustergraph/id/org/aksonas" in {t.value for t in members.column("member")}
True
>>> kg.query("ASK { ?s a <https://w3id.org/clustergraph/ontology#Cluster> }").value
True
>>> "https://w3id.org/clustergraph/id/org/lcn" in kg.network("actors")
True
>>> kg.close()
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clustergraph.errors import InputError, StoreBusyError
from clustergraph.project.layout import SOURCE_GRAPHS, Project

if TYPE_CHECKING:
    import networkx as nx

    from clustergraph.build import BuildReport
    from clustergraph.network.index import GraphIndex
    from clustergraph.network.measures import Analysis, ExplainedPath, NoPath
    from clustergraph.network.timeline import OverTime
    from clustergraph.pipeline.checks import CheckReport
    from clustergraph.pipeline.stats import Stats
    from clustergraph.pipeline.validate import ValidationReport
    from clustergraph.queries.library import Library, QueryFile
    from clustergraph.rdf.formats import RdfFormat
    from clustergraph.store.base import Result, Store

__all__ = ["KnowledgeGraph", "View", "open"]


def _as_of(day: str | date | None) -> date | None:
    """Read ``as_of=``: a :class:`datetime.date` or ``YYYY-MM-DD`` (checked)."""
    from clustergraph.rdf.periods import parse_day

    if day is None or isinstance(day, date):
        return day
    return parse_day(str(day), option="as_of=")


def open(  # noqa: A001 - the front door's name
    root: Path | str | None = None,
    *,
    store: str | None = None,
) -> KnowledgeGraph:
    """Open the knowledge graph of a project.

    Parameters
    ----------
    root
        The project's directory (default: found from the working directory; outside
        any project, the graph shipped with clustergraph).
    store
        ``memory:``, ``oxigraph:PATH`` or a SPARQL endpoint's URL (default: the
        project's own store, ``.clustergraph/store``). A local store is brought in step
        with the files first; a remote one is read as it is. A local store another
        process holds open (a build, another notebook) is opened read-only as it stands,
        with a warning.

    Returns
    -------
    KnowledgeGraph

    Raises
    ------
    InputError
        For a malformed file (one line naming it) or an unknown kind of store.
    StoreError
        If the store cannot be opened.
    """
    from clustergraph.store import is_local, open_store

    if root is not None:
        project = Project(Path(root))
    else:
        try:
            project = Project.discover()
        except InputError:
            project = Project.bundled()
    try:
        opened = open_store(store, default=project.store_dir)
    except StoreBusyError:
        import warnings

        opened = open_store(store, default=project.store_dir, read_only=True)
        warnings.warn(
            f"{opened.location} is in use by another process: opened read-only, as it stands",
            stacklevel=2,
        )
        return KnowledgeGraph(project, opened)
    if is_local(store):
        from clustergraph.pipeline.sync import sync

        sync(project, opened)
    return KnowledgeGraph(project, opened)


_LIBRARY_SHOWN = False
"""Whether a view has put vis-network into the notebook page yet (once per kernel)."""


@dataclass
class View:
    """An interactive view of a network: shown inline in Jupyter, or saved as a page.

    ``html`` is the self-contained page (vis-network inlined) that :meth:`save` writes;
    ``frame`` the notebook's ``<iframe>``, which takes vis-network from the notebook page:
    the first view shown in a kernel puts the library there, the others reuse it.
    """

    html: str = field(repr=False)
    nodes: int
    edges: int
    frame: str = field(default="", repr=False)
    title: str = ""

    def __repr__(self) -> str:
        """Say what the view shows (its page is shown in Jupyter, or written by save)."""
        named = f"{self.title!r}: " if self.title else ""
        return (
            f"<View {named}{self.nodes:,} nodes, {self.edges:,} edges; shown inline in "
            "Jupyter, .save('view.html') writes a page that opens from disk>"
        )

    def save(self, path: Path | str) -> Path:
        """Write the view as a self-contained HTML page (atomically); return its path."""
        from clustergraph.project.files import write_atomic

        return write_atomic(Path(path), self.html)

    def _repr_html_(self) -> str:
        """Show the view in a notebook, in a frame of its own; the library once per kernel."""
        global _LIBRARY_SHOWN
        from clustergraph.render.views import notebook_library_html

        if not self.frame:
            from html import escape

            style = "width: 100%; height: 560px; border: 1px solid #ccc"
            return f'<iframe srcdoc="{escape(self.html)}" style="{style}"></iframe>'
        library = "" if _LIBRARY_SHOWN else notebook_library_html()
        _LIBRARY_SHOWN = True
        return library + self.frame


class Paths(builtins.list["ExplainedPath"]):
    """Paths between two entities, a list that prints as text.

    Printed, it tells each path hop by hop (names, statements, articles); empty, it
    tells why there is none (``why`` holds the parts of the network and the nearest
    entities).
    """

    def __init__(
        self, paths: builtins.list[ExplainedPath], text: str, why: NoPath | None = None
    ) -> None:
        super().__init__(paths)
        self.text = text
        self.why = why

    def __repr__(self) -> str:
        """Tell the paths, or why there is none."""
        return self.text

    __str__ = __repr__


@dataclass
class KnowledgeGraph:
    """The knowledge graph of a project, in its store (see the module docstring)."""

    project: Project
    store: Store
    _index: GraphIndex | None = field(default=None, repr=False)
    _stated_index: GraphIndex | None = field(default=None, repr=False)

    def __enter__(self) -> KnowledgeGraph:
        """Use the graph in a ``with`` block."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Release the store."""
        self.close()

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    # -- questions ---------------------------------------------------------------

    @property
    def library(self) -> Library:
        """The query library of the project."""
        from clustergraph.queries.library import Library

        return Library.of(self.project)

    def queries(self) -> builtins.list[QueryFile]:
        """Return the queries of the library (checks included)."""
        return builtins.list(self.library)

    def _graphs(self, stated: bool) -> builtins.list[str] | None:
        if not stated:
            return None
        from clustergraph.pipeline.load import stated_graphs

        return stated_graphs(self.store)

    def query(
        self,
        name_or_text: str,
        *,
        stated: bool = False,
        as_of: str | date | None = None,
        dated_only: bool = False,
        **params: str,
    ) -> Result:
        """Run a query of the library by name, or SPARQL text, on the store.

        Parameters
        ----------
        name_or_text
            A query name (``members-of-organisation``), a ``.rq`` file, or a query.
        stated
            See the stated facts only (default: stated and derived).
        as_of
            A day (``"2019-12-31"`` or a :class:`datetime.date`): the facts true then, for
            the queries that take ``asOf`` (see :mod:`clustergraph.rdf.periods`).
        dated_only
            With ``as_of``: leave out the facts whose period is not stated.
        **params
            Parameters of a library query: an IRI as ``<IRI>``, a full IRI, a prefixed
            name (``o:lcn``) or a slug (``lcn``).

        Returns
        -------
        SelectResult, AskResult or GraphResult
            Shown as a table in a notebook; ``.to_df()`` gives a pandas DataFrame.

        Raises
        ------
        QueryLookupError, ParamError, QueryError
            For an unknown query or parameter, or a query the store refuses.
        """
        if as_of is not None or dated_only:
            from clustergraph.queries.library import as_of_values

            day = _as_of(as_of)
            params = {
                **params,
                **as_of_values(
                    self.library.get(name_or_text.strip()),
                    None if day is None else day.isoformat(),
                    dated_only=dated_only,
                    library=self.library,
                ),
            }
        return self._query(name_or_text, params, stated=stated)

    def _query(self, name_or_text: str, params: Mapping[str, str], *, stated: bool) -> Result:
        import warnings

        from clustergraph.queries.entities import resolve, unknown_warning
        from clustergraph.queries.library import ParamType
        from clustergraph.queries.run import run, tag_case_warning

        graphs = self._graphs(stated)
        text = name_or_text.strip()
        if any(c.isspace() or c == "{" for c in text):  # SPARQL text, not a name
            if params:
                raise InputError("parameters go with a query of the library, not with SPARQL text")
            tag_case = tag_case_warning(text)
            if tag_case is not None:
                warnings.warn(tag_case, stacklevel=3)
            return self.store.query(text, graphs=graphs)
        query = self.library.get(text)
        iris = {p.name for p in query.params if p.type is ParamType.IRI}
        values = dict(params)
        for name in iris & params.keys():
            iri = resolve(self.store, params[name])
            unknown = unknown_warning(self.store, name, iri)
            if unknown is not None:  # as the command line warns: an empty answer says why
                warnings.warn(unknown, stacklevel=3)
            values[name] = f"<{iri}>"
        return run(self.store, query, params=values, graphs=graphs)

    def validate(self) -> ValidationReport:
        """Validate the stated facts against the project's SHACL shapes."""
        from clustergraph.pipeline.validate import validate

        return validate(self.project, self.store)

    def check(self, *, stated: bool = False) -> CheckReport:
        """Run the checks of the library (each must return no rows)."""
        from clustergraph.pipeline.checks import run_checks

        return run_checks(self.store, self.library, graphs=self._graphs(stated))

    def stats(self) -> Stats:
        """Count triples per graph and entities per class, and list the sources."""
        from clustergraph.pipeline.stats import stats

        return stats(self.store)

    # -- networks ----------------------------------------------------------------

    def index(
        self,
        *,
        stated: bool = False,
        as_of: str | date | None = None,
        dated_only: bool = False,
    ) -> GraphIndex:
        """Return what the projections read from the store (read once, then kept).

        With ``as_of`` (a day), what is true on that day
        (:func:`clustergraph.network.timeline.as_of`; ``dated_only``: without the facts
        whose period is not stated).
        """
        from clustergraph.network.index import GraphIndex

        day = _as_of(as_of)
        if day is not None or dated_only:
            from clustergraph.network.timeline import as_of as at

            if day is None:
                raise InputError("dated_only= goes with as_of=")
            return at(self.index(stated=stated), day, dated_only=dated_only)
        if stated:
            if self._stated_index is None:
                self._stated_index = GraphIndex.from_store(self.store, graphs=self._graphs(True))
            return self._stated_index
        if self._index is None:
            self._index = GraphIndex.from_store(self.store)
        return self._index

    def network(
        self,
        kind: str = "actors",
        *,
        stated: bool = False,
        as_of: str | date | None = None,
        dated_only: bool = False,
    ) -> nx.Graph:
        """Return a projection (``entities``, ``organisations``, ``people``, ``actors``).

        With ``as_of``, the projection as of that day (see :meth:`index`).
        """
        from clustergraph.network.projections import project

        return project(self.index(stated=stated, as_of=as_of, dated_only=dated_only), kind)

    def analyze(
        self,
        kind: str = "actors",
        *,
        seed: int = 42,
        as_of: str | date | None = None,
        dated_only: bool = False,
    ) -> Analysis:
        """Measure a projection: centrality, communities, bridges, brokers (as of a day)."""
        from clustergraph.network.measures import analyze

        return analyze(self.network(kind, as_of=as_of, dated_only=dated_only), seed=seed)

    def over(
        self,
        span: str,
        *,
        step: str = "year",
        kind: str = "actors",
        dated_only: bool = False,
        seed: int = 42,
    ) -> OverTime:
        """Measure a projection as of each step of ``span`` (``"2015..2024"``).

        As ``clustergraph analyze --over`` does (:func:`clustergraph.network.timeline.over`).
        """
        from clustergraph.network.timeline import over
        from clustergraph.rdf.periods import steps

        return over(self.index(), steps(span, step), network=kind, dated_only=dated_only, seed=seed)

    def path(
        self,
        start: str,
        end: str,
        *,
        kind: str = "entities",
        limit: int = 5,
        as_of: str | date | None = None,
        dated_only: bool = False,
    ) -> builtins.list[ExplainedPath]:
        """Return the shortest paths between two entities, each hop with its statements.

        Printed, the paths are told hop by hop with the names of the entities and the
        articles that state each hop; when there is none (an empty list), why: the parts
        of the network each entity is in, and the entities nearest to each.
        """
        from clustergraph.network.measures import explain_paths, why_no_path
        from clustergraph.network.projections import project
        from clustergraph.network.report import no_path_text, paths_text

        whole = self.index()
        index = self.index(as_of=as_of, dated_only=dated_only)
        graph = project(index, kind)
        a, b = whole.resolve(start), whole.resolve(end)
        for node, typed in ((a, start), (b, end)):
            if node not in graph:
                raise InputError(f"{typed!r} ({index.name(node)}) is not in the {kind} network")
        found = explain_paths(graph, a, b, limit=limit)
        if found:
            text = paths_text(found, graph, index.prefixes, index.source_title, index.label)
            return Paths(found, text)
        why = why_no_path(graph, a, b, prefer=project(index, "actors").__contains__)
        return Paths([], no_path_text(why, graph, index.prefixes), why)

    def _graph_of(
        self,
        kind: str,
        entity: str | None,
        depth: int,
        query: str | None,
        params: Mapping[str, str],
        as_of: str | date | None = None,
        dated_only: bool = False,
    ) -> tuple[nx.Graph, str, str | None]:
        from clustergraph.network.projections import (
            construct_network,
            neighbourhood,
            project,
            select_network,
        )
        from clustergraph.store.base import GraphResult, SelectResult

        index = self.index(as_of=as_of, dated_only=dated_only)
        if query is not None:
            if index.as_of is not None:
                from clustergraph.queries.library import as_of_values

                params = {
                    **params,
                    **as_of_values(
                        self.library.get(query),
                        index.as_of.isoformat(),
                        dated_only=dated_only,
                        library=self.library,
                    ),
                }
            result = self._query(query, params, stated=False)
            if isinstance(result, GraphResult):
                return construct_network(result.triples, index), f"Query {query}", None
            if isinstance(result, SelectResult):
                return select_network(result.variables, result.rows, index), f"Query {query}", None
            raise InputError(f"query {query!r} is an ASK query: it gives no graph to draw")
        whole = project(index, kind)
        when = f", as of {index.as_of.isoformat()}" if index.as_of is not None else ""
        if entity is None:
            return whole, f"The cluster ecosystem: the {kind} network{when}", None
        focus = self.index().resolve(entity)
        if focus not in whole:
            raise InputError(f"{entity!r} is not in the {kind} network{when}")
        title = f"{index.label(focus)} and its neighbourhood ({depth} hops)"
        return neighbourhood(whole, focus, depth), title, focus

    def view(
        self,
        kind: str = "entities",
        *,
        entity: str | None = None,
        depth: int = 2,
        query: str | None = None,
        title: str | None = None,
        as_of: str | date | None = None,
        dated_only: bool = False,
        **params: str,
    ) -> View:
        """Draw a network, an entity's neighbourhood or a query's graph as a view.

        The view shows inline in Jupyter; ``.save(path)`` writes it as a page that opens
        from disk with no network.
        """
        from clustergraph.render.views import notebook_view_html, render_view

        graph, default_title, focus = self._graph_of(
            kind, entity, depth, query, params, as_of, dated_only
        )
        shown = title or default_title
        html, summary = render_view(graph, title=shown, focus=focus)
        frame = notebook_view_html(graph, height=560, title=shown, focus=focus)
        return View(html, summary.nodes, summary.edges, frame, shown)

    def to_pyvis(
        self,
        kind: str = "actors",
        *,
        entity: str | None = None,
        depth: int = 2,
        height: str = "600px",
    ) -> Any:
        """Return a :class:`pyvis.network.Network` of a projection, ready to restyle.

        Positions, colours, sizes and tooltips are those of the site's views; every
        text is given to vis-network as text (tooltips are escaped), and physics is off
        so the drawing stays as laid out.

        Raises
        ------
        InputError
            If pyvis is not installed (``pip install 'clustergraph[notebook]'``).
        """
        from clustergraph.render.views import to_pyvis

        graph, _title, focus = self._graph_of(kind, entity, depth, None, {})
        return to_pyvis(graph, focus=focus, height=height)

    # -- data --------------------------------------------------------------------

    def add(self, turtle: str, *, name: str = "notebook") -> str:
        """Add facts written in Turtle as the source graph ``graph/source/<name>``; derive.

        The graph replaces one of the same name. The store is changed, not the
        project's files: to keep the facts, write them to ``data/sources/<name>.ttl``.

        Returns
        -------
        str
            The IRI of the graph.

        Raises
        ------
        InputError
            If the text is not valid Turtle (line and column named), or a literal is
            not a value of its datatype.
        """
        import pyoxigraph as ox

        from clustergraph.pipeline.derive import derive
        from clustergraph.project.layout import derived_graph
        from clustergraph.rdf.formats import RdfFormat
        from clustergraph.rdf.parse import parse_bytes

        graph = SOURCE_GRAPHS + name
        triples = parse_bytes(turtle.encode(), graph=graph, shown=name, fmt=RdfFormat.TURTLE)
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        self.store.replace_graphs({graph: data, derived_graph(graph): b""})
        derive(self.store)
        self._index = self._stated_index = None
        return graph

    def export(self, fmt: RdfFormat | str = "turtle", *, out: Path | str | None = None) -> bytes:
        """Return the dataset in an RDF format (and write it to ``out``, atomically)."""
        from clustergraph.pipeline.export import export
        from clustergraph.rdf.formats import RdfFormat

        return export(self.store, RdfFormat(fmt), out=out)

    def build(
        self,
        out: Path | str | None = None,
        *,
        quiet: bool = True,
        memory_copy: bool = True,
        strict: bool = False,
        as_of: str | date | None = None,
        dated_only: bool = False,
    ) -> BuildReport:
        """Run the main job on this store: queries, analysis, exports, views, site.

        ``memory_copy=False`` reads a store on disk where it is in every stage;
        ``strict=True`` stops on probable duplicates too; ``as_of`` builds the analysis,
        views and dated queries as of that day (see :func:`clustergraph.build.build`).
        """
        from clustergraph.build import build

        target = Path(out) if out is not None else None
        return build(
            self.project,
            out=target,
            quiet=quiet,
            store=self.store,
            memory_copy=memory_copy,
            strict=strict,
            as_of=_as_of(as_of),
            dated_only=dated_only,
        )
