"""The ``clustergraph`` command: validate the knowledge graph and show statistics.

Usage::

    clustergraph [--root DIR] validate [--shapes FILE]
    clustergraph [--root DIR] stats
    clustergraph --version

Without ``--root`` the project is found by walking up from the working directory
to the first directory holding ``ontology/clustergraph.ttl``.

Exit codes
----------
0
    Success; for ``validate``: the data conforms to the shapes.
1
    ``validate``: the data does not conform (the report lists each result).
2
    Input or usage error: a missing or malformed file, unusable shapes, a bad option.
    One line ``clustergraph: error: <message>`` goes to standard error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from clustergraph import __version__
from clustergraph.errors import ClusterGraphError
from clustergraph.layout import GRAPH_NS, Project

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_ERROR = 2

_EPILOG = """\
exit codes:
  0  success (validate: the data conforms)
  1  validate: the data does not conform to the shapes
  2  input or usage error (missing or malformed file, bad option)
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
    return parser


def _validate(project: Project, shapes_file: Path | None) -> int:
    from clustergraph.load import load, load_file, named_graphs
    from clustergraph.validate import validate

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
    from clustergraph.load import load
    from clustergraph.stats import stats

    print(stats(load(project)).format())
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
        return _stats(project)
    except ClusterGraphError as exc:
        print(f"clustergraph: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
