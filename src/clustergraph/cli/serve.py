"""``clustergraph serve``: the explorer site and a SPARQL 1.1 endpoint over the project's store.

Usage::

    clustergraph serve [--port 8000] [--host 127.0.0.1] [--site DIR] [--store SPEC]

One command, bound to 127.0.0.1 unless told otherwise: an ASGI server (Starlette on
uvicorn, HTTP/1.1), each query in a worker process that a time limit or a departed client
stops (see :mod:`clustergraph.cli.endpoint`); Ctrl-C stops it with one line and exit
code 130.

========================================  ==============================================
path                                      answers
========================================  ==============================================
``/``, ``/index.html``, ...                the site of the last build (``build/site``, or
                                          ``--site DIR``), as files
``/sparql`` (also ``/query``)             SPARQL 1.1 Protocol, query operation: ``GET
                                          ?query=``, ``POST`` form-encoded or
                                          ``application/sparql-query``, with
                                          ``default-graph-uri`` and ``named-graph-uri``;
                                          results as JSON (default), XML, CSV or TSV,
                                          graphs as Turtle (default), N-Triples,
                                          N-Quads, TriG, RDF/XML or JSON-LD, by
                                          ``Accept`` (q-values; 406) or ``?format=``;
                                          without a query, the Service Description.
                                          Read only: an update is refused with 403
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
import math
import sys
from collections.abc import Callable
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
    limits = parser.add_argument_group("limits")
    limits.add_argument(
        "--query-timeout",
        type=_positive(float),
        default=30.0,
        metavar="S",
        help="a query's time limit in seconds, its wait included; past it the query is "
        "stopped and answered 503 (default: %(default)s)",
    )
    limits.add_argument(
        "--workers",
        type=_positive(int),
        default=4,
        metavar="N",
        help="queries run at once, each in its own process (default: %(default)s)",
    )
    limits.add_argument(
        "--queue",
        type=_positive(int),
        default=64,
        metavar="N",
        help="queries that may wait for a worker; more are answered 503 (default: %(default)s)",
    )
    limits.add_argument(
        "--max-connections",
        type=_positive(int),
        default=256,
        metavar="N",
        help="open connections at once; more are answered 503 (default: %(default)s)",
    )
    limits.add_argument(
        "--client-timeout",
        type=_positive(float),
        default=10.0,
        metavar="S",
        help="seconds a client has to send its request head and body (default: %(default)s)",
    )
    limits.add_argument(
        "--allow-service",
        action="append",
        default=[],
        metavar="URL",
        help="an endpoint a query's SERVICE may call (repeatable; by default none)",
    )
    limits.add_argument(
        "--cors",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="an origin whose pages may read the answers, as https://example.org "
        "(repeatable; by default none: the site's own pages need none)",
    )
    add_store_options(parser, read=False)


def _positive(kind: type[float] | type[int]) -> Callable[[str], float]:
    """Parse a finite number more than 0 of ``kind``."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not math.isfinite(value) or value <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
        return value

    return parse


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
    from clustergraph.cli.endpoint import Limits, Server

    limits = Limits(
        query_seconds=args.query_timeout,
        workers=int(args.workers),
        queue=int(args.queue),
        max_connections=int(args.max_connections),
        client_seconds=args.client_timeout,
        services=tuple(args.allow_service),
        cors=tuple(args.cors),
    )
    try:
        server = Server(store, site_dir, host=args.host, port=args.port, limits=limits)
    except OSError as exc:
        raise InputError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    host, port = server.address
    print(
        f"serving http://{host}:{port}/ : the site, SPARQL at /sparql, graphs at /store "
        "(Ctrl-C stops)",
        file=sys.stderr,
        flush=True,
    )
    server.serve()
    return ExitCode.OK
