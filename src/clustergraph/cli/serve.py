"""``clustergraph serve``: the explorer site and a SPARQL 1.1 endpoint over the project's store.

Usage::

    clustergraph serve [--port 8000] [--host 127.0.0.1] [--site DIR] [--store SPEC]

One command, one process (the standard library's threading HTTP server), bound to
127.0.0.1 unless told otherwise; Ctrl-C stops it with one line and exit code 130.

========================================  ==============================================
path                                      answers
========================================  ==============================================
``/``, ``/index.html``, ...                the site of the last build (``build/site``, or
                                          ``--site DIR``), as files
``/sparql`` (also ``/query``)             SPARQL 1.1 Protocol, query operation: ``GET
                                          ?query=``, ``POST`` form-encoded or
                                          ``application/sparql-query``; results as JSON
                                          (default), XML, CSV or TSV by ``Accept`` or
                                          ``?format=``; graphs as Turtle (default),
                                          N-Triples or JSON-LD. Read only: an update is
                                          refused
``/store?graph=IRI``, ``/store?default``  SPARQL 1.1 Graph Store Protocol, read side:
                                          ``GET`` and ``HEAD`` of one graph (404 if it
                                          holds nothing), or of the default graph (the
                                          union)
========================================  ==============================================

The site's query workbench (``workbench.html``) sees that it is served and sends its
queries to ``/sparql`` instead of running them in the browser.

The server itself is :mod:`clustergraph.cli.endpoint`, imported only when it runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clustergraph.cli.common import Context, add_store_options
from clustergraph.errors import ExitCode, InputError

COMMANDS = frozenset({"serve"})
"""The commands this module adds."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` command."""
    parser = commands.add_parser(
        "serve",
        help="serve the site and a SPARQL endpoint over the store, on 127.0.0.1",
        description="Serve the explorer site of the last build and a read-only SPARQL 1.1 "
        "endpoint (/sparql; Graph Store Protocol reads at /store) over the project's store. "
        "Ctrl-C stops it.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    parser.add_argument(
        "--site", type=Path, metavar="DIR", help="the site to serve (default: build/site)"
    )
    add_store_options(parser, read=False)


def run(context: Context) -> int:
    """Run ``clustergraph serve`` until Ctrl-C (then the caller says so and exits 130).

    Raises
    ------
    InputError
        If the port cannot be bound.
    """
    args = context.args
    site = args.site if args.site is not None else context.project.build_dir / "site"
    store = context.store()
    if not (site / "index.html").is_file():
        print(
            f"clustergraph: no site in {site}: serving the SPARQL endpoint alone "
            "(run 'clustergraph build' for the site)",
            file=sys.stderr,
        )
        site_dir: Path | None = None
    else:
        site_dir = site
    from clustergraph.cli.endpoint import make_server

    try:
        server = make_server(store, site_dir, host=args.host, port=args.port)
    except OSError as exc:
        raise InputError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    host, port = str(server.server_address[0]), int(server.server_address[1])
    print(
        f"serving http://{host}:{port}/ : the site, SPARQL at /sparql, graphs at /store "
        "(Ctrl-C stops)",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return ExitCode.OK
