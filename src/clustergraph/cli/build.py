"""The main job on the command line: ``clustergraph build`` (see :mod:`clustergraph.build`).

Usage::

    clustergraph build [--out DIR] [--quiet] [--strict] [--store SPEC]

With ``--store URL`` of a store that takes updates, inside a project, every stage runs
on that store: the files are loaded into it, validated, derived and checked there.
Outside any project, or on a read-only store, the build reads the store as it is (no
local data files are needed, and nothing is written to the store): the queries, the
analysis, the exports, the views and the site are made from what the store holds.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from clustergraph.cli.common import Context, add_as_of_options, add_store_options, as_of_day
from clustergraph.errors import BuildError, ClusterGraphError, DataError, ExitCode

COMMANDS = frozenset({"build"})
"""The commands this module adds."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``build`` command."""
    parser = commands.add_parser(
        "build",
        help="the main job: load, validate, derive, check, query, analyse, export, site",
        description="Bring the store in step with the files, validate, derive, run every "
        "check and query, analyse the network, export the dataset, and write the explorer "
        "site, all into a temporary directory that replaces the output directory at the end.",
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="output directory (default: build/ in the root)"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="print nothing but errors and the data's report"
    )
    parser.add_argument(
        "--no-memory-copy",
        dest="memory_copy",
        action="store_false",
        help="read the store on disk in every stage (default: the stages after derive read "
        "a copy in memory of a store of 16 MB or more on disk, when the copy takes at most a "
        "quarter of the memory)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="stop on probable duplicates too (default: report them, list them on the "
        "site's curation page, and go on; `check` always fails on them)",
    )
    add_as_of_options(parser)
    add_store_options(parser, read=False)


def run(context: Context) -> int:
    """Run ``clustergraph build`` and return its exit code.

    Raises
    ------
    ClusterGraphError
        For input errors and failed stages (exit 2); the previous build is left as it was.
    """
    from clustergraph.build import build

    args = context.args
    day = as_of_day(args)
    store = context.args.store
    as_is = None
    if context.remote:
        store = context.open_remote()
        as_is = context.bundled or not store.writable
    out = args.out if args.out is not None else context.project.build_dir
    kept = "the previous build was left as it was" if out.exists() else "nothing was written"
    try:
        build(
            context.project,
            out=args.out,
            quiet=args.quiet,
            store=store,
            memory_copy=args.memory_copy,
            strict=args.strict,
            as_of=day,
            dated_only=args.dated_only,
            as_is=as_is,
        )
    except DataError as exc:
        print(exc.report)
        print(f"clustergraph: build stopped: {exc}; {kept}", file=sys.stderr)
        return ExitCode.NONCONFORMING
    except BuildError as exc:
        cause = exc.__cause__
        if (
            cause is not None
            and not isinstance(cause, ClusterGraphError)
            and os.environ.get("CLUSTERGRAPH_DEBUG")
        ):
            import traceback

            traceback.print_exception(cause, file=sys.stderr)  # a bug: show where
        raise BuildError(f"{exc}; {kept}", exc.stage) from cause
    return ExitCode.OK
