"""The ``clustergraph`` command: validate the knowledge graph and show statistics.

Usage::

    clustergraph [--root DIR] validate [--shapes FILE]
    clustergraph [--root DIR] stats
    clustergraph [--root DIR] queries [--tag TAG]
    clustergraph [--root DIR] query NAME|FILE [--param NAME=VALUE ...] [--format FORMAT]
                                   [--engine rdflib|oxigraph | --endpoint URL [--timeout S]]
    clustergraph [--root DIR] check [--engine ... | --endpoint URL]
    clustergraph [--root DIR] analyze [--network NAME] [--out DIR]
    clustergraph [--root DIR] path A B [--network NAME] [--max N]
    clustergraph [--root DIR] view [--entity ID [--depth N] | --query NAME] --out FILE.html
    clustergraph [--root DIR] export --format FORMAT|all [--out PATH]
    clustergraph [--root DIR] push (--graph-store URL | --update URL) [--query-endpoint URL]
                                   [--graph IRI] [--retries N] [--timeout S]
    clustergraph [--root DIR] build [--out DIR] [--quiet]
    clustergraph --version

Without ``--root`` the project is found by walking up from the working directory
to the first directory holding ``ontology/clustergraph.ttl``.

Exit codes
----------
0
    Success; for ``validate``: the data conforms to the shapes; for ``check``: no
    check returned a row.
1
    The data does not conform: ``validate`` lists each result, ``check`` each row.
2
    Input or usage error: a missing or malformed file, unusable shapes, a bad option,
    a malformed query or an unknown query name, a missing or ill-typed parameter, an
    endpoint that is down, too slow or answers an error, a push that failed (the
    target graphs are left as they were). One line ``clustergraph: error: <message>``
    goes to standard error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clustergraph import __version__
from clustergraph import build as build_command
from clustergraph.cli import network as netcli
from clustergraph.errors import ClusterGraphError, InputError
from clustergraph.project.layout import GRAPH_NS, Project

if TYPE_CHECKING:
    from clustergraph.store.engines import Engine

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_ERROR = 2

_EPILOG = """\
exit codes:
  0  success (validate: the data conforms; check: no check returned a row)
  1  the data does not conform (validate: to the shapes; check: a check returned rows)
  2  input or usage error (malformed file or query, unknown query or parameter,
     unreachable or failing endpoint, failed push, bad option)
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clustergraph",
        description="Validate and summarise the clustergraph knowledge graph.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--root",
        type=Path,
        metavar="DIR",
        help="project root (default: the nearest directory up holding ontology/clustergraph.ttl)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser(
        "validate",
        help="check the data against the SHACL shapes",
        description="Check the union of ontology and data against the SHACL shapes.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument(
        "--shapes", type=Path, metavar="FILE", help="shapes file (default: ontology/shapes.ttl)"
    )
    commands.add_parser(
        "stats",
        help="count triples per graph, entities per class, and list the sources",
        description="Count triples per graph, entities per class, and list the sources.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_query_commands(commands)
    _add_export_commands(commands)
    return parser


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--engine",
        choices=["rdflib", "oxigraph"],
        default="oxigraph",
        help="embedded engine over the local data (default: oxigraph)",
    )
    where.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 endpoint to query instead")
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds to wait for the endpoint (default: 30)",
    )


def _add_query_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from clustergraph.queries.output import Format

    listing = commands.add_parser(
        "queries",
        help="list the queries of the library with their summaries and parameters",
        description="List the queries in queries/ and queries/checks/.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    listing.add_argument("--tag", help="only the queries with this tag")
    run = commands.add_parser(
        "query",
        help="run a query of the library (or a .rq file)",
        description="Run a query by name or path; SELECT, ASK, CONSTRUCT and DESCRIBE.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("name", metavar="NAME|FILE", help="query name (see 'queries') or a .rq file")
    run.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a parameter (repeatable); IRIs as <IRI>, full IRI or prefixed name",
    )
    run.add_argument(
        "--format",
        choices=[f.value for f in Format],
        default=None,
        help="output format (default: table; ttl for CONSTRUCT and DESCRIBE)",
    )
    _add_engine_options(run)
    check = commands.add_parser(
        "check",
        help="run the checks in queries/checks/: each must return no rows",
        description="Run every check; exit 1 if any returns rows.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_engine_options(check)
    netcli.register(commands)  # analyze, path, view: see clustergraph.cli.network
    build_command.register(commands)  # the main job: see clustergraph.build


def _validate(project: Project, shapes_file: Path | None) -> int:
    from clustergraph.pipeline.load import load, load_file, named_graphs
    from clustergraph.pipeline.validate import validate

    dataset = load(project)
    shapes_path = shapes_file if shapes_file is not None else project.shapes_file
    shapes = load_file(shapes_path, graph=GRAPH_NS + "shapes", shown=project.relpath(shapes_path))
    report = validate(dataset, shapes=shapes)
    if report.results:
        print(report.format())
    if not report.conforms:
        return EXIT_NONCONFORMING
    graphs = list(named_graphs(dataset))
    print(f"conforms: {sum(len(g) for g in graphs)} triples in {len(graphs)} graphs")
    return EXIT_OK


def _stats(project: Project) -> int:
    from clustergraph.pipeline.load import load
    from clustergraph.pipeline.stats import stats

    print(stats(load(project)).format())
    return EXIT_OK


def _engine(args: argparse.Namespace, project: Project) -> Engine:
    from clustergraph.pipeline.load import load
    from clustergraph.store.engines import EngineKind, open_engine

    if args.endpoint is not None:
        return open_engine(EngineKind.ENDPOINT, endpoint=args.endpoint, timeout=args.timeout)
    return open_engine(EngineKind(args.engine), dataset=load(project))


def _queries(args: argparse.Namespace, project: Project) -> int:
    from clustergraph.queries.library import Library

    queries = [q for q in Library.of(project) if args.tag is None or args.tag in q.tags]
    for q in queries:
        print(f"{q.name}  [{q.form.value}]  {q.summary}")
        print(f"    tags: {', '.join(q.tags)}")
        for p in q.params:
            print(f"    --param {p.name}=<{p.type.value}>  (default: {p.default.n3()})")
    if args.tag is not None and not queries:
        raise InputError(f"no query has the tag {args.tag!r}")
    return EXIT_OK


def _params(pairs: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise InputError(f"--param takes NAME=VALUE, got {pair!r}")
        if name in params:
            raise InputError(f"parameter {name!r} given twice")
        params[name] = value
    return params


def _query(args: argparse.Namespace, project: Project) -> int:
    from clustergraph.project.prefixes import DEFAULT_PREFIXES, ENTITY_PREFIXES
    from clustergraph.queries.library import Library, QueryForm
    from clustergraph.queries.output import Format, write_result
    from clustergraph.store.engines import run

    query = Library.of(project).get(args.name)
    params = _params(args.param)
    query.bindings(params)  # a bad parameter fails before any data is loaded
    graph_form = query.form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
    fmt = Format(args.format) if args.format else Format.TTL if graph_form else Format.TABLE
    result = run(_engine(args, project), query, params=params)
    prefixes = {**DEFAULT_PREFIXES, **ENTITY_PREFIXES, **dict(query.prefixes)}
    print(write_result(result, fmt, prefixes=prefixes))
    return EXIT_OK


def _check(args: argparse.Namespace, project: Project) -> int:
    from clustergraph.project.prefixes import DEFAULT_PREFIXES, ENTITY_PREFIXES
    from clustergraph.queries.library import Library
    from clustergraph.queries.output import Format, write_result
    from clustergraph.store.engines import SelectResult, run

    engine = _engine(args, project)
    prefixes = {**DEFAULT_PREFIXES, **ENTITY_PREFIXES}
    failed = 0
    checks = [q for q in Library.of(project) if q.is_check]
    for check in checks:
        result = run(engine, check)
        if not isinstance(result, SelectResult):
            raise InputError(f"{check.name}: a check must be a SELECT query")
        if result.rows:
            failed += 1
            print(f"FAIL {check.name}: {check.summary} ({len(result.rows)} rows)")
            print(write_result(result, Format.TABLE, prefixes=prefixes))
        else:
            print(f"ok   {check.name}")
    print(f"{len(checks) - failed} of {len(checks)} checks passed")
    return EXIT_NONCONFORMING if failed else EXIT_OK


def _add_export_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from clustergraph.pipeline.export import RdfFormat

    export = commands.add_parser(
        "export",
        help="write the dataset as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML",
        description=(
            "Write the dataset in one RDF format (to standard output without --out), or\n"
            "every format with the JSON-LD context and the VoID/DCAT description\n"
            "(--format all --out DIR). Turtle, N-Triples and RDF/XML hold the union of\n"
            "the named graphs; N-Quads, TriG and JSON-LD keep one graph per file."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument(
        "--format",
        required=True,
        choices=[f.value for f in RdfFormat] + ["all"],
        help="the format; 'all' writes every format, context.jsonld and void.ttl to --out DIR",
    )
    export.add_argument(
        "--out", type=Path, metavar="PATH", help="file (a directory for 'all'), written atomically"
    )
    push = commands.add_parser(
        "push",
        help="load the dataset into a remote triple store, all or nothing",
        description=(
            "Load the dataset into a triple store through the SPARQL 1.1 Graph Store\n"
            "protocol (--graph-store) or SPARQL Update (--update): into staging graphs\n"
            "first, checked by their triple counts, then moved onto the target graphs\n"
            "in one transaction; on any failure the targets are left as they were.\n"
            "Without --graph each named graph keeps its IRI.\n\n"
            "Credentials come from the environment, never the command line:\n"
            "CLUSTERGRAPH_USER and CLUSTERGRAPH_PASSWORD (HTTP Digest or Basic)."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    push.add_argument(
        "--graph-store",
        metavar="URL",
        help="Graph Store endpoint (Oxigraph: .../store; Virtuoso: .../sparql-graph-crud-auth)",
    )
    push.add_argument(
        "--update",
        metavar="URL",
        help="SPARQL Update endpoint (default for Oxigraph and Virtuoso: from --graph-store)",
    )
    push.add_argument(
        "--query-endpoint",
        metavar="URL",
        help="SPARQL query endpoint for the checks (default for Oxigraph and Virtuoso: derived)",
    )
    push.add_argument(
        "--graph", metavar="IRI", help="put the union of the named graphs into this one graph"
    )
    push.add_argument(
        "--retries",
        type=int,
        default=3,
        metavar="N",
        help="retries of a request after a transient fault (default: 3)",
    )
    push.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds to wait for each answer (default: 30)",
    )


def _export(args: argparse.Namespace, project: Project) -> int:
    from clustergraph.pipeline.export import RdfFormat, export, export_all
    from clustergraph.pipeline.load import load

    if args.format == "all":
        if args.out is None:
            raise InputError("--format all writes several files: give a directory with --out")
        files = export_all(load(project), args.out)
        for path in [*files.values(), args.out / "context.jsonld", args.out / "void.ttl"]:
            print(path)
        return EXIT_OK
    data = export(load(project), RdfFormat(args.format), out=args.out)
    if args.out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return EXIT_OK


def _push(args: argparse.Namespace, project: Project) -> int:
    from clustergraph.pipeline.load import load
    from clustergraph.pipeline.push import Credentials, Endpoints, RetryPolicy, push

    if args.retries < 0 or args.timeout <= 0:
        raise InputError("--retries must be 0 or more and --timeout more than 0")
    endpoints = Endpoints.infer(
        graph_store=args.graph_store, update=args.update, query=args.query_endpoint
    )
    credentials = Credentials.from_env()
    retry = RetryPolicy(retries=args.retries, timeout=args.timeout)
    report = push(load(project), endpoints, graph=args.graph, credentials=credentials, retry=retry)
    print(report.format())
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code (see the module docstring).

    Parameters
    ----------
    argv
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 if the data does not conform, 2 on input or usage errors.
    """
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        if exc.code is None:
            return EXIT_OK
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    try:
        project = Project(args.root) if args.root is not None else Project.discover()
        if args.command == "validate":
            return _validate(project, args.shapes)
        if args.command == "stats":
            return _stats(project)
        if args.command in netcli.COMMANDS:
            return netcli.run(project, args)
        if args.command == "build":
            return build_command.run(project, args)
        handlers = {"queries": _queries, "query": _query, "check": _check}
        handlers |= {"export": _export, "push": _push}
        return handlers[args.command](args, project)
    except ClusterGraphError as exc:
        print(f"clustergraph: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
