"""What changed between two versions: ``clustergraph diff A B``.

Usage::

    clustergraph diff A B [--format text|json|html] [--out FILE]

A and B are each a git revision of the project (``HEAD~1``, a tag, a commit), a build
directory, a store (``oxigraph:PATH``, a store's directory, or a SPARQL endpoint's URL) or
a project directory (its files as they are); see :mod:`clustergraph.pipeline.diff`.
Identical versions say so and exit 0, as do versions that differ; a version that cannot
be read is one line and exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from clustergraph.cli.common import Context
from clustergraph.errors import ExitCode

COMMANDS = frozenset({"diff"})
"""The commands this module adds."""

FORMATS = ("text", "json", "html")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``diff`` command."""
    parser = commands.add_parser(
        "diff",
        help="the facts added and removed between two revisions, builds or stores",
        description=(
            "Compare two versions of the graph: facts added and removed, per source and\n"
            "per entity, derived facts apart from stated ones. A version is a git revision\n"
            "of the project (HEAD~1, a tag, a commit: its files, loaded and derived in\n"
            "memory), a build directory (its exports/clustergraph.nq), a store\n"
            "(oxigraph:PATH, a store's directory, a SPARQL endpoint's URL) or a project\n"
            "directory (its files as they are). Exit 0 whether or not they differ."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("a", metavar="A", help="the earlier version")
    parser.add_argument("b", metavar="B", help="the later version")
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="text (default), json or html"
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE (default: standard output)"
    )


def run(context: Context) -> int:
    """Run ``clustergraph diff`` and return its exit code."""
    from clustergraph.pipeline.diff import diff

    args = context.args
    from clustergraph.project.layout import Project

    # The project is looked for only when a revision is read (a build or a store needs none).
    found = diff(args.a, args.b, Project(context.root) if context.root is not None else None)
    if args.format == "json":
        text = json.dumps(found.to_json(), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "html":
        from clustergraph.render.changes import changes_page

        text = changes_page(found)
    else:
        text = found.format() + "\n"
    if args.out is not None:
        from clustergraph.project.files import write_atomic

        write_atomic(args.out, text.encode("utf-8"))
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return ExitCode.OK
