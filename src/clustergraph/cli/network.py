"""The network subcommands of ``clustergraph``: ``analyze``, ``path`` and ``view``.

Usage::

    clustergraph analyze [--network NAME] [--out DIR] [--seed N] [--top N]
                         [--as-of DATE | --over FROM..TO [--step year|month]]
    clustergraph path A B [--network NAME] [--max N] [--as-of DATE]
    clustergraph view [--entity ID [--depth N] | --query NAME [--param NAME=VALUE ...]]
                      [--network NAME] [--size-by MEASURE] [--max-nodes N] [--title TEXT]
                      --out FILE.html

``NAME`` of a network is one of ``entities`` (every entity the articles describe and the
statements between them), ``organisations``, ``people`` (persons and organisations) and
``actors`` (both); see :mod:`clustergraph.network.projections`. An entity (``ID``, ``A``, ``B``) is
an IRI (``<…>`` or bare), a prefixed name (``o:lcn``, ``id:org/lcn``) or a slug
(``lcn``) that only one entity has.

``analyze`` writes ``report.md``, ``report.json``, ``centrality.csv``,
``communities.csv`` and ``bridges.csv`` (default directory ``build/analysis`` under the
project root) and prints the most central actors. ``path`` prints the shortest paths
between two entities, each hop with the statements that make it and the articles that
state them. ``view`` writes one self-contained HTML page: the whole network, the
neighbourhood of an entity (``--depth`` hops, default 2), or the graph of a query of the
library (a CONSTRUCT, or a SELECT whose columns are entities); ``--query`` also takes the
path of a ``.rq`` file. Files are written atomically.

``path`` exits 1 when the two entities are not connected in that network.

``--as-of DATE`` (each command; ``--dated-only`` with it) reads the network as of that
day (:func:`clustergraph.network.timeline.as_of`); ``analyze --over FROM..TO`` measures
it as of each step (:func:`clustergraph.network.timeline.over`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from clustergraph.cli.common import (
    Context,
    add_as_of_options,
    add_param_option,
    add_store_options,
    as_of_day,
    query_params,
    resolve_params,
)
from clustergraph.errors import ExitCode, InputError

if TYPE_CHECKING:
    import networkx as nx

    from clustergraph.network.index import GraphIndex
    from clustergraph.store.base import Store

COMMANDS = frozenset({"analyze", "path", "view"})
"""The subcommands this module adds."""

NETWORKS = ("entities", "organisations", "people", "actors")
"""The networks offered (the keys of :data:`clustergraph.network.projections.PROJECTIONS`)."""

SIZE_MEASURES = ("pagerank", "degree", "betweenness")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``analyze``, ``path`` and ``view`` subcommands to ``commands``."""
    formatter = argparse.RawDescriptionHelpFormatter
    analyze = commands.add_parser(
        "analyze",
        help="centrality, communities and brokers of a network; writes a report",
        description="Measure a network (degree, betweenness, PageRank, Louvain communities, "
        "bridges, articulation points, components) and write report.md, report.json and CSV.",
        formatter_class=formatter,
    )
    analyze.add_argument("--network", choices=NETWORKS, default="actors", help="default: actors")
    analyze.add_argument(
        "--out", type=Path, metavar="DIR", help="report directory (default: build/analysis)"
    )
    analyze.add_argument("--seed", type=int, default=42, help="Louvain seed (default: 42)")
    analyze.add_argument(
        "--top", type=_positive, default=10, metavar="N", help="actors listed (default: 10)"
    )
    analyze.add_argument(
        "--over",
        metavar="FROM..TO",
        help="the measures as of each step from FROM to TO (years, 2015..2024: as of 31 "
        "December of each; or two days): a table, and over.csv, over-members.csv, "
        "over-centrality.csv, over.json",
    )
    analyze.add_argument(
        "--step", choices=("year", "month"), default="year", help="with --over (default: year)"
    )
    path = commands.add_parser(
        "path",
        help="how two entities are connected: shortest paths, hop by hop, with sources",
        description="Print the shortest paths between two entities; each hop is told as the "
        "statements that make it and the articles that state them.",
        formatter_class=formatter,
    )
    path.add_argument("start", metavar="A", help="an IRI, prefixed name or slug")
    path.add_argument("end", metavar="B", help="an IRI, prefixed name or slug")
    path.add_argument("--network", choices=NETWORKS, default="entities", help="default: entities")
    path.add_argument(
        "--max", type=_positive, default=5, metavar="N", help="most paths shown (default: 5)"
    )
    view = commands.add_parser(
        "view",
        help="write an interactive HTML view that opens offline",
        description="Write a self-contained HTML view: the whole network, the neighbourhood "
        "of an entity, or the graph of a query.",
        formatter_class=formatter,
    )
    what = view.add_mutually_exclusive_group()
    what.add_argument("--entity", metavar="ID", help="draw the neighbourhood of this entity")
    what.add_argument(
        "--query", metavar="NAME", help="draw the result of this query (library name or .rq file)"
    )
    view.add_argument(
        "--depth", type=_non_negative, metavar="N", help="hops around --entity (default: 2)"
    )
    add_param_option(view, "--query")
    view.add_argument("--network", choices=NETWORKS, default="entities", help="default: entities")
    view.add_argument(
        "--size-by", choices=SIZE_MEASURES, default="pagerank", help="default: pagerank"
    )
    view.add_argument(
        "--max-nodes",
        type=_positive,
        default=3000,
        metavar="N",
        help="above this many nodes draw communities first (default: 3000)",
    )
    view.add_argument("--title", help="title of the page")
    view.add_argument("--out", type=Path, required=True, metavar="FILE.html", help="the page")
    for parser in (analyze, path, view):
        add_as_of_options(parser)
        add_store_options(parser)


def run(context: Context) -> int:
    """Run the subcommand named by ``context.args.command`` and return its exit code.

    Raises
    ------
    ClusterGraphError
        For input errors; the command line prints them as one line and exits 2.
    """
    from clustergraph.network.index import GraphIndex

    args = context.args
    day = as_of_day(args)
    over = getattr(args, "over", None)
    if over is not None and day is not None:
        raise InputError("--over and --as-of both give the time; give one")
    if getattr(args, "step", "year") != "year" and over is None:
        raise InputError("--step goes with --over FROM..TO")
    days = None
    if over is not None:
        from clustergraph.rdf.periods import steps

        days = steps(over, args.step)
    store = context.store()
    index = GraphIndex.from_store(store, graphs=context.graphs(store))
    if days is not None:
        return _over(context, index, args, days)
    resolve = index.resolve  # names are found in the whole graph, whatever the day
    if day is not None:
        from clustergraph.network.timeline import as_of

        index = as_of(index, day, dated_only=args.dated_only)
    if args.command == "analyze":
        return _analyze(context, index, args)
    if args.command == "path":
        return _path(index, args, resolve)
    return _view(context, store, index, args, resolve)


def _analyze(context: Context, index: GraphIndex, args: argparse.Namespace) -> int:
    from clustergraph.network.measures import analyze
    from clustergraph.network.projections import DESCRIPTIONS
    from clustergraph.network.projections import project as projection
    from clustergraph.network.report import write_report

    graph = projection(index, args.network)
    analysis = analyze(graph, seed=args.seed)
    out = args.out if args.out is not None else context.project.build_dir / "analysis"
    when = _when(index, graph)
    files = write_report(
        analysis,
        out,
        top=args.top,
        description=(when[1:].capitalize() + ". " if when else "") + DESCRIPTIONS[args.network],
        name_of=index.label,
        prefixes=index.prefixes,
    )
    print(
        f"{args.network} network{when}: {analysis.nodes} nodes, {analysis.edges} edges, "
        f"{len(analysis.components)} components, {len(analysis.communities)} communities "
        f"(modularity {analysis.modularity:.3f})"
    )
    print("most central (PageRank, betweenness, degree):")
    for rank, score in enumerate(analysis.ranked[: min(args.top, 5)], 1):
        print(
            f"  {rank}. {score.label} ({score.name}): {score.pagerank:.4f}, "
            f"{score.betweenness:.4f}, {score.degree}"
        )
    print("wrote " + ", ".join(str(f) for f in files))
    return ExitCode.OK


def _when(index: GraphIndex, nodes: Iterable[str] | None = None) -> str:
    """`` as of DAY (N kept whose period is not stated)`` for an index as of a day, else ``""``.

    N counts ``nodes`` (a network's) when given, else every entity of the index.
    """
    if index.as_of is None:
        return ""
    marked = len(index.not_stated if nodes is None else index.not_stated.intersection(nodes))
    return f" as of {index.as_of.isoformat()}" + (
        f" ({marked} kept whose period is not stated)" if marked else ""
    )


def _over(context: Context, index: GraphIndex, args: argparse.Namespace, days: list[date]) -> int:
    """``analyze --over``: the measures per step, as a table and files."""
    from clustergraph.network.report import over_time_files, over_time_text
    from clustergraph.network.timeline import over
    from clustergraph.project.files import write_atomic

    if args.command != "analyze":
        raise InputError("--over goes with analyze")
    result = over(
        index,
        days,
        network=args.network,
        dated_only=args.dated_only,
        seed=args.seed,
        top=min(args.top, 5),
    )
    out = args.out if args.out is not None else context.project.build_dir / "analysis"
    written = [write_atomic(out / name, text) for name, text in over_time_files(result).items()]
    print(f"{args.network} network over {len(days)} steps ({days[0]} to {days[-1]}, as of each):")
    print(over_time_text(result))
    print("wrote " + ", ".join(str(f) for f in written))
    return ExitCode.OK


def _path(index: GraphIndex, args: argparse.Namespace, resolve: Callable[[str], str]) -> int:
    from clustergraph.network.measures import explain_paths, why_no_path
    from clustergraph.network.projections import project as projection
    from clustergraph.network.report import no_path_text, paths_text

    graph = projection(index, args.network)
    start, end = resolve(args.start), resolve(args.end)
    for node, typed in ((start, args.start), (end, args.end)):
        if node not in graph:
            raise InputError(
                f"{typed!r} ({index.name(node)}) is not in the {args.network} network{_when(index)}"
            )
    paths = explain_paths(graph, start, end, limit=args.max)
    if not paths:
        actors = projection(index, "actors")
        why = why_no_path(graph, start, end, prefer=actors.__contains__)
        if index.as_of is not None:
            print(f"As of {index.as_of.isoformat()}:")
        print(no_path_text(why, graph, index.prefixes))
        return ExitCode.NONCONFORMING
    print(paths_text(paths, graph, index.prefixes, index.source_title, index.label))
    return ExitCode.OK


def _query_graph(
    context: Context, store: Store, index: GraphIndex, name: str, params: Sequence[str]
) -> tuple[nx.Graph, str]:
    """Run a query of the library (or a ``.rq`` file) and return its graph and a title."""
    from clustergraph.network.projections import construct_network, select_network
    from clustergraph.queries.run import run
    from clustergraph.store.base import GraphResult, SelectResult

    query = context.query_file(name)
    values = query_params(query, params)
    if index.as_of is not None:
        from clustergraph.queries.library import as_of_values

        values.update(
            as_of_values(
                query,
                index.as_of.isoformat(),
                dated_only=context.args.dated_only,
                library=context.library(),
            )
        )
    bound = resolve_params(store, query, values)
    result = run(store, query, params=bound, graphs=context.graphs(store))
    if isinstance(result, GraphResult):
        graph = construct_network(result.triples, index)
    elif isinstance(result, SelectResult):
        graph = select_network(result.variables, result.rows, index)
    else:
        raise InputError(f"query {name!r} is an ASK query: it gives no graph to draw")
    return graph, f"Query {query.name}: {query.summary}"


def _view(
    context: Context,
    store: Store,
    index: GraphIndex,
    args: argparse.Namespace,
    resolve: Callable[[str], str],
) -> int:
    from clustergraph import __version__
    from clustergraph.network.projections import neighbourhood
    from clustergraph.network.projections import project as projection
    from clustergraph.render.views import describe, write_view

    if args.depth is not None and args.entity is None:
        raise InputError("--depth goes with --entity")
    if args.param and args.query is None:
        raise InputError("--param goes with --query")
    if args.out.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"{args.out}: the view is an HTML page; name it FILE.html")
    focus = None
    if args.query is not None:
        graph, title = _query_graph(context, store, index, args.query, args.param)
        what = "query result"
    else:
        whole = projection(index, args.network)
        if args.entity is not None:
            focus = resolve(args.entity)
            if focus not in whole:
                raise InputError(
                    f"{args.entity!r} ({index.name(focus)}) is not in the "
                    f"{args.network} network{_when(index)}"
                )
            depth = 2 if args.depth is None else args.depth
            graph = neighbourhood(whole, focus, depth)
            hops = "hop" if depth == 1 else "hops"
            title = (
                f"{index.label(focus)}: its neighbourhood ({depth} {hops}, {args.network} network)"
            )
            what = f"within {depth} {hops} of {index.name(focus)}"
        else:
            graph = whole
            title = f"The cluster ecosystem: the {args.network} network"
            what = f"the whole {args.network} network"
        if index.as_of is not None:
            title += f", as of {index.as_of.isoformat()}"
            what += _when(index)
    sources = {g for _n, data in graph.nodes(data=True) for g in data.get("sources", ())}
    subtitle = (
        f"{graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges ({what}), "
        f"from {len(sources)} source graphs; sized by {args.size_by}; clustergraph {__version__}"
    )
    summary = write_view(
        graph,
        args.out,
        title=args.title or title,
        subtitle=subtitle,
        size_by=args.size_by,
        max_nodes=args.max_nodes,
        focus=focus,
    )
    print("wrote " + describe(summary))
    return ExitCode.OK
