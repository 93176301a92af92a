"""The query commands of ``clustergraph``: ``queries``, ``query`` and ``check``.

Usage::

    clustergraph queries [--tag TAG]
    clustergraph query NAME|FILE.rq [--param NAME=VALUE ...] [--format FORMAT] [--stated]
                       [--as-of DATE [--dated-only]]
    clustergraph check [--stated]

``query`` answers from the store's stated and derived facts (``--stated``: stated only).
An IRI parameter may be written ``<IRI>``, as a full IRI, a prefixed name (``o:lcn``) or
a slug (``lcn``); one that names nothing in the store is answered, with a warning and the
closest names on standard error. ``--format csv`` and ``tsv`` are the W3C SPARQL 1.1
results formats exactly (CSV lines end with CRLF; a value beginning with ``=`` is written
as it is). ``--as-of DATE`` binds the ``asOf`` parameter of the queries that take it
(the facts true on that day; ``--dated-only`` leaves out those whose period is not
stated); a query without it is refused in one line naming those that have it.
"""

from __future__ import annotations

import argparse
import sys

from clustergraph.cli.common import (
    Context,
    add_as_of_options,
    add_param_option,
    add_store_options,
    as_of_day,
    query_params,
    resolve_params,
    warn,
)
from clustergraph.errors import ExitCode, InputError

COMMANDS = frozenset({"queries", "query", "check"})
"""The commands this module adds."""

FORMATS = ("table", "csv", "tsv", "json", "xml", "md", "ttl")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the query commands."""
    listing = commands.add_parser(
        "queries",
        help="list the query library: names, summaries and parameters",
        description="List the queries in queries/ and queries/checks/.",
    )
    listing.add_argument("--tag", help="only the queries with this tag")
    run = commands.add_parser(
        "query",
        help="run a query of the library (or a .rq file)",
        description="Run a query by name or path (SELECT, ASK, CONSTRUCT, DESCRIBE) on the "
        "store's stated and derived facts.",
    )
    run.add_argument("name", metavar="NAME|FILE", help="query name (see 'queries') or a .rq file")
    add_param_option(run)
    run.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: table; ttl for CONSTRUCT and DESCRIBE); csv and tsv "
        "are the W3C SPARQL results formats",
    )
    add_as_of_options(run)
    add_store_options(run)
    check = commands.add_parser(
        "check",
        help="run the checks of queries/checks/: each must return no rows",
        description="Run every check; exit 1 if any returns rows.",
    )
    add_store_options(check)


def run(context: Context) -> int:
    """Run the command ``context.args.command`` names; return its exit code."""
    handlers = {"queries": _queries, "query": _query, "check": _check}
    return handlers[context.args.command](context)


def _queries(context: Context) -> int:
    tag = context.args.tag
    queries = [q for q in context.library() if tag is None or tag in q.tags]
    if tag is not None and not queries:
        raise InputError(f"no query has the tag {tag!r}")
    lines = []
    for q in queries:
        lines.append(f"{q.name}  [{q.form.value}]  {q.summary}")
        lines.append(f"    tags: {', '.join(q.tags)}")
        for p in q.params:
            lines.append(f"    --param {p.name}=<{p.type.value}>  (default: {_show(p.default)})")
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    return ExitCode.OK


def _show(term: object) -> str:
    import pyoxigraph as ox

    if term is None:
        return "none: unbound"

    from clustergraph.project.prefixes import PREFIXES, compact
    from clustergraph.rdf.terms import n3

    if isinstance(term, ox.NamedNode):
        return compact(term, PREFIXES)
    return n3(term)  # type: ignore[arg-type]


def _query(context: Context) -> int:
    from clustergraph.project.prefixes import PREFIXES
    from clustergraph.queries.library import QueryForm
    from clustergraph.queries.output import Format, check_format, write_result
    from clustergraph.queries.run import run, run_serialized, tag_case_warning

    args = context.args
    query = context.query_file(args.name)
    tag_case = tag_case_warning(query.text)
    if tag_case is not None:
        warn(tag_case)
    params = query_params(query, args.param)
    day = as_of_day(args)
    if day is not None:
        from clustergraph.queries.library import AS_OF_PARAM, as_of_values

        if AS_OF_PARAM in params:
            raise InputError(f"--as-of and --param {AS_OF_PARAM}=... both give the date; give one")
        params.update(
            as_of_values(
                query, day.isoformat(), dated_only=args.dated_only, library=context.library()
            )
        )
    graph_form = query.form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
    fmt = Format(args.format) if args.format else Format.TTL if graph_form else Format.TABLE
    check_format(query.form.value, fmt)
    store = context.store()
    params = resolve_params(store, query, params)
    graphs = context.graphs(store)
    if fmt.results_format is not None and not graph_form:
        data = run_serialized(store, query, fmt.results_format, params=params, graphs=graphs)
        if fmt in (Format.JSON, Format.XML) and not data.endswith(b"\n"):
            data += b"\n"
    else:
        result = run(store, query, params=params, graphs=graphs)
        data = write_result(result, fmt, prefixes={**PREFIXES, **dict(query.prefixes)})
        if not data.endswith(b"\n"):
            data += b"\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return ExitCode.OK


def _check(context: Context) -> int:
    from clustergraph.pipeline.checks import run_checks

    store = context.store(verdict=True)
    report = run_checks(store, context.library(), graphs=context.graphs(store))
    print(report.format())
    return ExitCode.NONCONFORMING if report.failed else ExitCode.OK
