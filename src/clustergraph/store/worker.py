"""A query worker: a process that answers queries from one store, and can be killed.

A pyoxigraph query runs in native code and cannot be interrupted from its own thread,
so the SPARQL endpoint of ``clustergraph serve`` runs each query in a worker process
(``python -m clustergraph.store.worker CONFIG``) and kills the worker when the query
passes its time limit or its client goes away; a new worker takes its place.

The worker reads requests from standard input, one JSON object a line, and answers each
on standard output with one JSON line (``{"ok": true, "media": ..., "length": n}``
followed by ``n`` bytes, or ``{"ok": false, "status": 400, "message": ...}``).

==================  ==========================================================
``CONFIG`` kind     the store
==================  ==========================================================
``oxigraph``        an Oxigraph store on disk, opened read-only
``nquads``          an N-Quads file (a copy of a store in memory), loaded once
``remote``          a SPARQL endpoint (``spec``, ``timeout``, ``retries``)
==================  ==========================================================
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from typing import IO, Any

import pyoxigraph as ox

from clustergraph.errors import ClusterGraphError, QueryError
from clustergraph.project.prefixes import PREFIXES
from clustergraph.rdf.formats import RdfFormat
from clustergraph.store.base import GraphResult, ResultsFormat, Store
from clustergraph.store.oxigraph import OxigraphStore
from clustergraph.store.sparql import check_shape


def open_configured(config: dict[str, Any]) -> Store:
    """Open the store a worker's configuration names (see the module docstring)."""
    kind = config["kind"]
    if kind == "oxigraph":
        return OxigraphStore(config["path"], read_only=True)
    if kind == "nquads":
        store = OxigraphStore()
        store.native.bulk_load(path=config["path"], format=ox.RdfFormat.N_QUADS)
        return store
    from clustergraph.store import open_store

    return open_store(config["spec"], timeout=config["timeout"], retries=config["retries"])


def _graphs(names: Sequence[str] | None) -> list[ox.NamedNode | ox.BlankNode] | None:
    return None if names is None else [ox.NamedNode(name) for name in names]


def answer_query(store: Store, request: dict[str, Any]) -> tuple[bytes, str]:
    """Answer one query request: its bytes in the chosen format, and their media type.

    ``request`` holds ``text``, ``form``, ``format`` (a :class:`ResultsFormat` or
    :class:`RdfFormat` value) and the protocol's ``default`` and ``named`` graphs
    (``None`` when not given).

    Raises
    ------
    QueryError, StoreError
        If the store refuses the query or fails.
    """
    text, form = request["text"], request["form"]
    default, named = request.get("default"), request.get("named")
    check_shape(text)
    dataset = default is not None or named is not None
    if dataset and not isinstance(store, OxigraphStore):
        if default != named:
            raise QueryError(
                "this endpoint's store is remote: give default-graph-uri and named-graph-uri "
                "for the same graphs"
            )
    if form in ("CONSTRUCT", "DESCRIBE"):
        fmt = RdfFormat(request["format"])
        if dataset and isinstance(store, OxigraphStore):
            native = _native(store, text, default, named)
            result = GraphResult(tuple(native))  # type: ignore[arg-type]
        else:
            graph = store.query(text, graphs=default)
            assert isinstance(graph, GraphResult)
            result = graph
        return result.serialize(fmt, prefixes=PREFIXES), fmt.media_type
    results = ResultsFormat(request["format"])
    if dataset and isinstance(store, OxigraphStore):
        native = _native(store, text, default, named)
        if isinstance(native, ox.QueryTriples):
            raise QueryError("a CONSTRUCT or DESCRIBE result is a graph, not a table")
        try:
            body = native.serialize(format=results.oxigraph) or b""
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"Oxigraph could not evaluate the query: {exc}") from exc
    else:
        body = store.query_serialized(text, results, graphs=default)
    return body, results.media_type


def _native(
    store: OxigraphStore, text: str, default: list[str] | None, named: list[str] | None
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run ``text`` over the protocol's dataset: ``default`` and ``named`` graphs."""
    try:
        return store.native.query(
            text,
            default_graph=_graphs(default or []),  # type: ignore[arg-type]
            named_graphs=_graphs(named or []),
        )
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {' '.join(str(exc).split())}") from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"Oxigraph could not evaluate the query: {exc}") from exc


def answer_dump(store: Store, request: dict[str, Any]) -> tuple[bytes, str]:
    """Answer a Graph Store read: ``graph`` (an IRI, or ``None`` for the default graph)."""
    fmt = RdfFormat(request["format"])
    known = store.graphs()
    graph = request.get("graph")
    if graph is not None and graph not in known:
        raise LookupError(f"no graph <{graph}> in the store")
    out = io.BytesIO()
    store.dump(out, fmt, graphs=[graph] if graph is not None else known, prefixes=PREFIXES)
    return out.getvalue(), fmt.media_type


def serve(store: Store, requests: IO[bytes], answers: IO[bytes]) -> None:
    """Answer requests until standard input ends."""
    for line in requests:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if request["op"] == "dump":
                body, media = answer_dump(store, request)
            else:
                body, media = answer_query(store, request)
            head: dict[str, Any] = {"ok": True, "media": media, "length": len(body)}
        except LookupError as exc:
            head, body = {"ok": False, "status": 404, "message": str(exc.args[0])}, b""
        except QueryError as exc:
            head, body = {"ok": False, "status": 400, "message": str(exc)}, b""
        except ClusterGraphError as exc:
            head, body = {"ok": False, "status": 500, "message": str(exc)}, b""
        except (ValueError, KeyError, TypeError) as exc:
            head, body = {"ok": False, "status": 500, "message": f"bad request: {exc!r}"}, b""
        answers.write(json.dumps(head).encode() + b"\n" + body)
        answers.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Open the store the first argument configures (JSON) and answer requests."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        store = open_configured(json.loads(args[0]))
    except ClusterGraphError as exc:
        sys.stderr.write(f"clustergraph: query worker: {exc}\n")
        return 2
    sys.stdout.buffer.write(b'{"ready": true}\n')
    sys.stdout.buffer.flush()
    try:
        serve(store, sys.stdin.buffer, sys.stdout.buffer)
    except (BrokenPipeError, KeyboardInterrupt):
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
