"""The data commands: ``init``, ``load``, ``validate``, ``stats``, ``export``, ``push``.

Usage::

    clustergraph init DIR
    clustergraph load [--force]
    clustergraph validate [--shapes FILE]
    clustergraph stats
    clustergraph export --format FORMAT|all [--out PATH] [--stated]
    clustergraph push (--graph-store URL | --update URL) [--query-endpoint URL] [--graph IRI]
    clustergraph push (--graph-store URL | --update URL) --clean

``load`` brings the store in step with the files (every other command does it first on
the project's store; ``load --store URL`` writes the files into a remote store, each
changed graph all or nothing, and derives there). ``push`` copies the store's graphs
into another store, all or nothing; credentials come from ``CLUSTERGRAPH_USER`` and
``CLUSTERGRAPH_PASSWORD``, never the command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clustergraph.cli.common import Context, add_store_options, note, warn
from clustergraph.errors import ExitCode, InputError

REPORT_LINES = 50
"""How many result lines a validation report shows after its totals, by default."""

COMMANDS = frozenset({"init", "load", "validate", "stats", "export", "push"})
"""The commands this module adds."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the data commands."""
    from clustergraph.rdf.formats import RdfFormat

    init = commands.add_parser(
        "init",
        help="start a project of your own: the ontology, vocabularies and queries, no sources",
        description="Create a new project in DIR: the ontology and shapes, the vocabularies "
        "and the query library are copied from the project shipped with clustergraph; "
        "data/sources/ is left empty for your articles.",
    )
    init.add_argument("directory", type=Path, metavar="DIR", help="where to create it")
    load = commands.add_parser(
        "load",
        help="bring the store in step with the files (only what changed) and derive",
        description="Load the files that changed since the last load into the store, remove "
        "the graphs of deleted files, and derive what follows.",
    )
    load.add_argument("--force", action="store_true", help="load and derive everything again")
    add_store_options(load, read=False)
    validate = commands.add_parser(
        "validate",
        help="check the stated facts against the SHACL shapes",
        description="Check the stated facts in the store against the SHACL shapes.",
    )
    validate.add_argument(
        "--shapes", type=Path, metavar="FILE", help="shapes file (default: ontology/shapes.ttl)"
    )
    validate.add_argument(
        "--lines",
        type=int,
        default=REPORT_LINES,
        metavar="N",
        help=f"show at most N result lines after the totals (default: {REPORT_LINES}; 0: all)",
    )
    add_store_options(validate, read=False)
    stats = commands.add_parser(
        "stats",
        help="count triples per graph, entities per class, and list the sources",
        description="Count triples per graph, entities per class, and list the sources.",
    )
    add_store_options(stats, read=False)
    export = commands.add_parser(
        "export",
        help="write the dataset as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML",
        description=(
            "Write the dataset in one RDF format (to standard output without --out), or\n"
            "every format with the JSON-LD context and the VoID/DCAT description\n"
            "(--format all --out DIR). Turtle, N-Triples and RDF/XML hold the union of\n"
            "the graphs; N-Quads, TriG and JSON-LD keep the named graphs."
        ),
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
    add_store_options(export, read=False)
    push = commands.add_parser(
        "push",
        help="copy the store's graphs into a remote triple store, all or nothing",
        description=(
            "Copy every graph of the store (stated and derived) into a triple store\n"
            "through the SPARQL 1.1 Graph Store protocol (--graph-store) or SPARQL Update\n"
            "(--update): into staging graphs first, checked by their triple counts, then\n"
            "moved onto the target graphs in one transaction; on any failure the targets\n"
            "are left as they were. Without --graph each graph keeps its IRI.\n\n"
            "Credentials come from the environment, never the command line:\n"
            "CLUSTERGRAPH_USER and CLUSTERGRAPH_PASSWORD (HTTP Digest or Basic)."
        ),
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
        "--graph", metavar="IRI", help="put the union of the graphs into this one graph"
    )
    push.add_argument(
        "--clean",
        action="store_true",
        help="push nothing: remove every staging graph earlier pushes left on the store "
        "(only while no other push to it runs)",
    )
    add_store_options(push, read=False)


def run(context: Context) -> int:
    """Run the command ``context.args.command`` names; return its exit code."""
    handlers = {
        "init": _init,
        "load": _load,
        "validate": _validate,
        "stats": _stats,
        "export": _export,
        "push": _push,
    }
    return handlers[context.args.command](context)


def _init(context: Context) -> int:
    from clustergraph.project.layout import Project

    template = Project(context.root) if context.root is not None else Project.bundled()
    project = Project.init(context.args.directory, template=template)
    print(f"created a project in {project.root}: add one file per article to data/sources/")
    return ExitCode.OK


def _load(context: Context) -> int:
    from clustergraph.pipeline.derive import derive
    from clustergraph.pipeline.load import load
    from clustergraph.store import open_store

    if context.remote:
        store = context.open_remote()
        if not store.writable:
            raise InputError(
                f"{context.args.store} is read-only: give its SPARQL Update endpoint "
                "(--update-endpoint URL)"
            )
    else:
        store = open_store(context.args.store, default=context.project.store_dir)
    try:
        report = load(context.project, store, force=context.args.force)
        graphs = "graph" if len(report.loaded) == 1 else "graphs"
        loaded = f"{len(report.loaded)} {graphs} loaded ({report.triples:,} triples)"
        removed = f", {len(report.removed)} removed" if report.removed else ""
        print(f"{loaded}{removed}, {report.unchanged} unchanged")
        derived = derive(store)
        print(f"{len(derived.graphs)} graphs derived; {derived.triples:,} derived triples in all")
    finally:
        store.close()
    return ExitCode.OK


def _validate(context: Context) -> int:
    from clustergraph.pipeline.validate import validate

    store = context.store(verdict=True)
    report = validate(context.project, store, shapes=context.args.shapes)
    for line in report.notes:
        warn(line)
    if report.results:
        print(report.format(limit=context.args.lines or None))
    if not report.conforms:
        return ExitCode.NONCONFORMING
    # What was validated, counted as load counts it: graph by graph (a triple two files
    # state counts twice); the derived graphs are not validated, so not counted.
    triples = sum(store.count(g) for g in report.graphs)
    distinct = f", {report.triples:,} distinct" if report.triples not in (0, triples) else ""
    print(
        f"conforms: {triples:,} stated triples in {len(report.graphs)} graphs (the ontology, "
        f"vocabularies and sources{distinct}; derived triples are not validated)"
    )
    return ExitCode.OK


def _stats(context: Context) -> int:
    from clustergraph.pipeline.stats import stats

    print(stats(context.store()).format())
    return ExitCode.OK


def _export(context: Context) -> int:
    from clustergraph.pipeline.export import export
    from clustergraph.pipeline.publish import export_all, left_out
    from clustergraph.rdf.formats import RdfFormat

    args = context.args
    store = context.store()
    if args.format == "all":
        if args.out is None:
            raise InputError("--format all writes several files: give a directory with --out")
        files = export_all(store, args.out)
        for path in [*files.values(), args.out / "context.jsonld", args.out / "void.ttl"]:
            print(path)
        missing = left_out(files)
        if missing:
            note(missing)
        return ExitCode.OK
    data = export(store, RdfFormat(args.format), out=args.out)
    if args.out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return ExitCode.OK


def _push(context: Context) -> int:
    from clustergraph.pipeline.push import clean, push, target_store

    args = context.args
    if args.graph_store is None and args.update is None:
        raise InputError("give the target: --graph-store URL or --update URL")
    target = target_store(
        graph_store=args.graph_store,
        update=args.update,
        query=args.query_endpoint,
        retries=args.retries,
        timeout=args.timeout,
    )
    if args.clean:
        removed = clean(target)
        where = args.graph_store or args.update
        print(f"removed {len(removed)} staging graphs earlier pushes left on {where}")
        return ExitCode.OK
    report = push(context.store(), target, graph=args.graph)
    print(report.format())
    return ExitCode.OK
