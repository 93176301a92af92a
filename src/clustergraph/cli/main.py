"""The ``clustergraph`` command: one parser, one module per group of commands.

=================  ================================================================
module             commands
=================  ================================================================
:mod:`.data`       ``load``, ``validate``, ``stats``, ``export``, ``push``
:mod:`.query`      ``queries``, ``query``, ``check``
:mod:`.network`    ``analyze``, ``path``, ``view``
:mod:`.build`      ``build``
=================  ================================================================

Without ``--root`` the project is found by walking up from the working directory to the
first directory holding ``ontology/clustergraph.ttl``. Every command takes ``--store``
(see :mod:`clustergraph.cli.common`). Errors are one line on standard error,
``clustergraph: error: <message>``; the exit codes are :class:`clustergraph.errors.ExitCode`.

Examples
--------
>>> main(["--version"])  # doctest: +ELLIPSIS
clustergraph ...
0
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from clustergraph import __version__
from clustergraph.cli import build as build_commands
from clustergraph.cli import data as data_commands
from clustergraph.cli import network as network_commands
from clustergraph.cli import query as query_commands
from clustergraph.cli import serve as serve_commands
from clustergraph.cli.common import Context
from clustergraph.errors import ClusterGraphError, DataError, ExitCode

GROUPS = (data_commands, query_commands, network_commands, build_commands, serve_commands)
"""The modules that add commands: each has ``register(commands)`` and ``COMMANDS``."""

EXIT_CODES = """\
exit codes (every command):
  0    success; validate, check: the data conforms
  1    the data does not conform (validate: to the shapes; check: a check returned
       rows; build: either), or path: the two entities are not connected
  2    input or usage error: a malformed file (FILE:LINE:COLUMN: message) or query,
       an unknown query, entity or parameter, a store that cannot be reached or
       answers an error, a failed push or build stage (nothing half-written is left)
  130  interrupted (Ctrl-C)
"""


def parser() -> argparse.ArgumentParser:
    """Return the command line's parser."""
    top = argparse.ArgumentParser(
        prog="clustergraph",
        description="Build, check, query, analyse, show and export the clustergraph "
        "knowledge graph of industry clusters.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    top.add_argument(
        "--root",
        type=Path,
        metavar="DIR",
        help="project root (default: the nearest directory up holding ontology/clustergraph.ttl)",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(commands)
    return top


def _run(args: argparse.Namespace) -> int:
    context = Context(args, root=args.root)
    try:
        for group in GROUPS:
            if args.command in group.COMMANDS:
                return int(group.run(context))
        raise AssertionError(f"no handler for {args.command}")  # pragma: no cover
    finally:
        context.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Parameters
    ----------
    argv
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        An :class:`~clustergraph.errors.ExitCode`.
    """
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        if exc.code is None:
            return ExitCode.OK
        return exc.code if isinstance(exc.code, int) else ExitCode.ERROR
    try:
        return _run(args)
    except DataError as exc:
        print(exc.report)
        print(f"clustergraph: {exc}", file=sys.stderr)
        return ExitCode.NONCONFORMING
    except ClusterGraphError as exc:
        print(f"clustergraph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("clustergraph: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (| head): say nothing, and keep Python from complaining
        # when it flushes standard output at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
