"""The HTTP server of ``clustergraph serve``: the site as files, a SPARQL 1.1 endpoint.

See :mod:`clustergraph.cli.serve` for what each path answers. An ASGI application
(Starlette) on uvicorn: HTTP/1.1 with keep-alive, no thread per connection, at most
``max_connections`` connections at once (503 beyond). Each query runs in a worker process
(:mod:`clustergraph.store.worker`); at most ``workers`` run at once, ``queue`` more wait
their turn (503 beyond, or when the wait passes the time limit). A worker is killed, and
replaced, when its query passes the time limit (503 saying so) or its client goes away;
the server holds no lock between requests. A client that sends its request head or body
too slowly is answered 408 and closed.

Kept apart so that the command line imports the server only when it serves.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import mimetypes
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h11
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from clustergraph.errors import ClusterGraphError, InputError
from clustergraph.project.prefixes import PREFIXES
from clustergraph.rdf.formats import RdfFormat
from clustergraph.store.base import ResultsFormat, Store
from clustergraph.store.oxigraph import OxigraphStore
from clustergraph.store.sparql import check_shape, query_form

SD = "http://www.w3.org/ns/sparql-service-description#"

_RESULTS = {
    "json": ResultsFormat.JSON,
    "xml": ResultsFormat.XML,
    "csv": ResultsFormat.CSV,
    "tsv": ResultsFormat.TSV,
}
_RESULT_MEDIA = {
    fmt.media_type.split(";")[0]: fmt
    for fmt in (ResultsFormat.JSON, ResultsFormat.XML, ResultsFormat.CSV, ResultsFormat.TSV)
} | {
    "application/json": ResultsFormat.JSON,
    "application/xml": ResultsFormat.XML,
    "text/xml": ResultsFormat.XML,
}
_GRAPH_FORMATS = [
    RdfFormat.TURTLE,
    RdfFormat.NTRIPLES,
    RdfFormat.NQUADS,
    RdfFormat.TRIG,
    RdfFormat.RDFXML,
    RdfFormat.JSONLD,
]
_GRAPH_KEYS = {"ttl": RdfFormat.TURTLE, "nt": RdfFormat.NTRIPLES, "jsonld": RdfFormat.JSONLD}
_GRAPH_MEDIA = {fmt.media_type: fmt for fmt in _GRAPH_FORMATS} | {
    "application/x-turtle": RdfFormat.TURTLE,
    "text/plain": RdfFormat.NTRIPLES,
    "application/xml": RdfFormat.RDFXML,
    "application/json": RdfFormat.JSONLD,
}


@dataclass(frozen=True)
class Limits:
    """What the server allows at once and how long it waits.

    Attributes
    ----------
    query_seconds
        A query's time limit, its wait for a worker included.
    workers
        Queries run at once (one worker process each).
    queue
        Queries that may wait for a worker; more are answered 503.
    max_connections
        Open connections at once; more are answered 503.
    client_seconds
        Time a client has to send its request head and its body.
    max_body
        Largest request body, in bytes (413 beyond).
    services
        Endpoints a query's ``SERVICE`` may call (none by default).
    cors
        Origins allowed to read answers from another site's page (none by default).
    """

    query_seconds: float = 30.0
    workers: int = 4
    queue: int = 64
    max_connections: int = 256
    client_seconds: float = 10.0
    max_body: int = 1_000_000
    services: tuple[str, ...] = ()
    cors: tuple[str, ...] = field(default_factory=tuple)


# -- conneg -----------------------------------------------------------------------------


def accepted(header: str) -> list[tuple[str, float]]:
    """Parse an Accept header into (media range, q) pairs, q=0 included.

    Examples
    --------
    >>> accepted("text/turtle;q=0.5, application/n-triples, */*;q=0")
    [('text/turtle', 0.5), ('application/n-triples', 1.0), ('*/*', 0.0)]
    """
    found = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        found.append((pieces[0].lower(), q))
    return found


def negotiate(header: str, offered: Sequence[str]) -> str | None:
    """Pick the offered media type the client prefers (``None``: nothing acceptable).

    The most specific range that matches a type gives its q; q=0 means not acceptable;
    ties go to the server's order. No Accept header accepts the first offered.

    Examples
    --------
    >>> negotiate("text/csv;q=0.9, application/sparql-results+json;q=0", ["application/sparql-results+json", "text/csv"])
    'text/csv'
    >>> negotiate("text/turtle", ["application/sparql-results+json"]) is None
    True
    """  # noqa: E501
    ranges = accepted(header)
    if not ranges:
        return offered[0] if offered else None
    best, best_q = None, 0.0
    for media in offered:
        kind = media.split("/")[0] + "/*"
        q = None
        for pattern in (media, kind, "*/*"):
            qs = [value for rng, value in ranges if rng == pattern]
            if qs:
                q = max(qs)
                break
        if q is not None and q > best_q:
            best, best_q = media, q
    return best


# -- the worker pool --------------------------------------------------------------------


class Worker:
    """One worker process and its pipes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def ask(self, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """Send a request, wait for the answer's head and body."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        await self.process.stdin.drain()
        line = await self.process.stdout.readline()
        if not line:
            raise ConnectionError("the query worker ended")
        head: dict[str, Any] = json.loads(line)
        body = await self.process.stdout.readexactly(head["length"]) if head["ok"] else b""
        return head, body

    def kill(self) -> None:
        """Stop the worker at once."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()


class Pool:
    """Worker processes answering from one store; each query takes one for its time."""

    def __init__(self, config: dict[str, Any], size: int, queue: int) -> None:
        self.config = config
        self.size = size
        self.queue = queue
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.spares: asyncio.Queue[Worker] = asyncio.Queue()
        self.waiting = 0
        self.all: set[Worker] = set()

    async def start(self) -> None:
        """Start the workers, and one spare that takes a killed one's place at once."""
        started = await asyncio.gather(*(self._spawn() for _ in range(self.size + 1)))
        for worker in started[:-1]:
            self.idle.put_nowait(worker)
        self.spares.put_nowait(started[-1])

    async def _refill(self) -> None:
        with contextlib.suppress(InputError, OSError):
            self.spares.put_nowait(await self._spawn())

    async def _spawn(self) -> Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "clustergraph.store.worker",
            json.dumps(self.config),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        worker = Worker(process)
        assert process.stdout is not None
        line = await process.stdout.readline()
        if not line:
            raise InputError("a query worker could not open the store (see above)")
        self.all.add(worker)
        return worker

    async def _replace(self, worker: Worker) -> None:
        worker.kill()
        self.all.discard(worker)
        refill = asyncio.ensure_future(self._refill())
        self.idle.put_nowait(await self.spares.get())
        with contextlib.suppress(ProcessLookupError, OSError):
            await worker.process.wait()
        _close_pipes(worker)
        await refill

    async def run(
        self,
        request: dict[str, Any],
        deadline: float,
        gone: Callable[[], Awaitable[object]],
    ) -> tuple[dict[str, Any], bytes] | str:
        """Run ``request`` on a worker by ``deadline``; a string says why not.

        ``gone`` is awaited alongside: when it returns first (the client went away), the
        worker is killed and replaced.
        """
        loop = asyncio.get_running_loop()
        if self.waiting >= self.queue and self.idle.empty():
            return "busy"
        self.waiting += 1
        try:
            worker = await asyncio.wait_for(self.idle.get(), max(0.0, deadline - loop.time()))
        except TimeoutError:
            return "timeout"
        finally:
            self.waiting -= 1
        work = asyncio.ensure_future(worker.ask(request))
        watch = asyncio.ensure_future(gone())
        done, _pending = await asyncio.wait(
            {work, watch},
            timeout=max(0.0, deadline - loop.time()),
            return_when=asyncio.FIRST_COMPLETED,
        )
        watch.cancel()
        if work in done and work.exception() is None:
            self.idle.put_nowait(worker)
            return work.result()
        work.cancel()
        asyncio.ensure_future(self._replace(worker))
        if work in done:
            return "failed"
        return "gone" if watch in done else "timeout"

    def kill(self) -> None:
        """Kill every worker at once."""
        for worker in self.all:
            worker.kill()

    async def close(self) -> None:
        """Kill every worker and wait for each to end."""
        self.kill()
        for worker in list(self.all):
            with contextlib.suppress(ProcessLookupError, OSError):
                await worker.process.wait()
            _close_pipes(worker)
        self.all.clear()


def _close_pipes(worker: Worker) -> None:
    """Close an ended worker's pipes while the event loop runs."""
    transport = getattr(worker.process, "_transport", None)
    if transport is not None:
        transport.close()


# -- the application --------------------------------------------------------------------


def _text(status: int, message: str, **headers: str) -> Response:
    return Response(message + "\n", status, headers, media_type="text/plain; charset=utf-8")


def _params(query: str) -> list[tuple[str, str]]:
    return urllib.parse.parse_qsl(query, keep_blank_values=True)


def _first(params: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in params if key == name), None)


class App:
    """The site, the SPARQL endpoint and the Graph Store reads over one store."""

    def __init__(
        self, site: Path | None, graphs: Sequence[str], config: dict[str, Any], limits: Limits
    ) -> None:
        self.site = site
        self.graphs = list(graphs)
        self.limits = limits
        self.pool = Pool(config, limits.workers, limits.queue)
        self.app = Starlette(
            routes=[
                Route("/sparql", self.sparql, methods=["GET", "POST", "HEAD", "OPTIONS"]),
                Route("/query", self.sparql, methods=["GET", "POST", "HEAD", "OPTIONS"]),
                Route("/store", self.store, methods=["GET", "HEAD", "OPTIONS"]),
                Route("/{path:path}", self.file, methods=["GET", "HEAD", "OPTIONS"]),
            ],
            lifespan=self._lifespan,
        )

    @contextlib.asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        await self.pool.start()
        try:
            yield
        finally:
            await self.pool.close()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Answer one ASGI request: a bad path is a 400, CORS headers where allowed."""
        if scope["type"] == "http":
            path = scope.get("path", "")
            if "\x00" in path or any(len(part) > 255 for part in path.split("/")):
                reason = "a NUL byte" if "\x00" in path else "a part longer than 255 characters"
                await _text(400, f"bad path: {reason}")(scope, receive, send)
                return
            origin = dict(scope.get("headers") or []).get(b"origin", b"").decode("latin-1")
            if origin and origin in self.limits.cors:
                send = _with_cors(send, origin)
        await self.app(scope, receive, send)

    # -- SPARQL ----------------------------------------------------------------------

    async def _body(self, request: Request) -> bytes | Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limits.max_body):
            return _text(
                413, f"the request body is over {self.limits.max_body:,} bytes (the limit)"
            )
        try:
            body = await asyncio.wait_for(request.body(), self.limits.client_seconds)
        except TimeoutError:
            return _text(408, f"the body did not arrive within {self.limits.client_seconds:g} s")
        if len(body) > self.limits.max_body:
            return _text(
                413, f"the request body is over {self.limits.max_body:,} bytes (the limit)"
            )
        return body

    async def sparql(self, request: Request) -> Response:
        """Answer the SPARQL 1.1 Protocol's query operation; refuse updates; GET alone: the SD."""
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": "GET, POST, HEAD, OPTIONS"})
        params = _params(request.url.query)
        text = _first(params, "query")
        if request.method == "POST":
            body = await self._body(request)
            if isinstance(body, Response):
                return body
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "application/sparql-update" or (
                kind == "application/x-www-form-urlencoded"
                and any(k == "update" for k, _ in _params(body.decode("utf-8", "replace")))
            ):
                return _text(
                    403,
                    "this endpoint is read-only: SPARQL Update is not accepted",
                    Allow="GET, POST, HEAD, OPTIONS",
                )
            if kind == "application/sparql-query":
                if text is not None:
                    return _text(400, "a query in the body and in the URL: give one")
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError:
                    return _text(400, "the query is not UTF-8")
            elif kind == "application/x-www-form-urlencoded":
                form = _params(body.decode("utf-8", "replace"))
                if text is not None and _first(form, "query") is not None:
                    return _text(400, "a query in the body and in the URL: give one")
                params = params + form
                text = _first(params, "query")
            else:
                return _text(
                    415,
                    "send the query as application/sparql-query or a form "
                    "(application/x-www-form-urlencoded)",
                )
        elif any(key == "update" for key, _ in params):
            return _text(403, "this endpoint is read-only: SPARQL Update is not accepted")
        queries = [v for k, v in params if k == "query"]
        if len(queries) > 1:
            return _text(400, "more than one query given")
        if text is None:
            return self.description(request)
        return await self._query(request, text, params)

    async def _query(self, request: Request, text: str, params: list[tuple[str, str]]) -> Response:
        if not text.strip():
            return _text(400, "an empty query")
        try:
            check_shape(text)
            form = query_form(text)
            self._check_services(text)
        except ClusterGraphError as exc:
            return _text(400, str(exc))
        accept = request.headers.get("accept", "")
        wanted = _first(params, "format")
        if form in ("CONSTRUCT", "DESCRIBE"):
            fmt_value = _choose_graph(accept, wanted)
        else:
            fmt_value = _choose_results(accept, wanted)
        if fmt_value is None:
            offered = (
                [f.media_type for f in _GRAPH_FORMATS]
                if form in ("CONSTRUCT", "DESCRIBE")
                else [f.media_type for f in ResultsFormat]
            )
            offered = [media.split(";")[0] for media in offered]
            return _text(406, f"a {form} query can be answered as: " + ", ".join(offered))
        default = [v for k, v in params if k == "default-graph-uri"]
        named = [v for k, v in params if k == "named-graph-uri"]
        dataset = bool(default or named)
        job = {
            "op": "query",
            "text": text,
            "form": form,
            "format": fmt_value,
            "default": default if dataset else None,
            "named": named if dataset else None,
        }
        answer = await self._ask(request, job)
        if isinstance(answer, Response):
            return answer
        head, body = answer
        media = head["media"].split(";")[0]
        if media.startswith("text/") or "json" in media or "xml" in media:
            media += "; charset=utf-8"
        if request.method == "HEAD":
            return Response(b"", 200, {"Content-Length": str(len(body))}, media_type=media)
        return Response(body, 200, {"Vary": "Accept"}, media_type=media)

    async def _ask(
        self, request: Request, job: dict[str, Any]
    ) -> tuple[dict[str, Any], bytes] | Response:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.query_seconds

        async def gone() -> None:
            while True:
                message = await request.receive()
                if message["type"] == "http.disconnect":
                    return

        outcome = await self.pool.run(job, deadline, gone)
        limit = f"{self.limits.query_seconds:g} s"
        if outcome == "busy":
            return _text(503, "too many queries waiting: try again shortly", **{"Retry-After": "1"})
        if outcome == "timeout":
            return _text(
                503,
                f"the query reached the time limit ({limit}, serve --query-timeout) and was "
                "stopped",
            )
        if outcome in ("gone", "failed"):
            return _text(500, "the query's worker ended before answering")
        assert not isinstance(outcome, str)
        head, body = outcome
        if not head["ok"]:
            return _text(int(head["status"]), head["message"])
        return head, body

    def _check_services(self, text: str) -> None:
        from clustergraph.store.sparql import service_targets

        for target in service_targets(text):
            if target not in self.limits.services:
                shown = f"<{target}>" if target is not None else "a variable"
                raise InputError(
                    f"SERVICE {shown} is not allowed: this endpoint calls only the endpoints "
                    "given by serve --allow-service"
                )

    def description(self, request: Request) -> Response:
        """Describe the endpoint (SPARQL 1.1 Service Description), in an RDF format."""
        import pyoxigraph as ox

        fmt_value = _choose_graph(request.headers.get("accept", ""), None)
        if fmt_value is None:
            return _text(406, "the service description is RDF: ask for Turtle, N-Triples, ...")
        fmt = RdfFormat(fmt_value)
        base = str(request.url).split("?")[0]
        me = ox.NamedNode(base)
        triples = []

        def add(s: Any, p: str, o: Any) -> None:
            triples.append(ox.Triple(s, ox.NamedNode(p), o))

        rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
        add(me, rdf_type, ox.NamedNode(SD + "Service"))
        add(me, SD + "endpoint", me)
        add(me, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query"))
        add(me, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph"))
        add(me, SD + "feature", ox.NamedNode(SD + "BasicFederatedQuery"))
        for media in [*_RESULT_MEDIA][:4] + [f.media_type for f in _GRAPH_FORMATS]:
            add(me, SD + "resultFormat", ox.Literal(media))
        dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
        add(me, SD + "defaultDataset", dataset)
        add(dataset, rdf_type, ox.NamedNode(SD + "Dataset"))
        add(dataset, SD + "defaultGraph", default)
        add(default, rdf_type, ox.NamedNode(SD + "Graph"))
        for i, graph in enumerate(self.graphs):
            node = ox.BlankNode(f"g{i}")
            add(dataset, SD + "namedGraph", node)
            add(node, rdf_type, ox.NamedNode(SD + "NamedGraph"))
            add(node, SD + "name", ox.NamedNode(graph))
        prefixes = {"sd": SD, **PREFIXES}
        body = ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes) or b""
        return Response(body, 200, {"Vary": "Accept"}, media_type=fmt.media_type)

    # -- Graph Store reads -------------------------------------------------------------

    async def store(self, request: Request) -> Response:
        """Answer the Graph Store Protocol's reads: ``?graph=IRI`` or ``?default``."""
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": "GET, HEAD, OPTIONS"})
        params = _params(request.url.query)
        graph = _first(params, "graph")
        if graph is None and _first(params, "default") is None:
            return _text(400, "give ?graph=IRI or ?default")
        fmt_value = _choose_graph(request.headers.get("accept", ""), _first(params, "format"), "nt")
        if fmt_value is None:
            return _text(
                406,
                "a graph can be answered as: " + ", ".join(f.media_type for f in _GRAPH_FORMATS),
            )
        answer = await self._ask(request, {"op": "dump", "graph": graph, "format": fmt_value})
        if isinstance(answer, Response):
            return answer
        head, body = answer
        media = head["media"] + "; charset=utf-8"
        if request.method == "HEAD":
            return Response(b"", 200, {"Content-Length": str(len(body))}, media_type=media)
        return Response(body, 200, {"Vary": "Accept"}, media_type=media)

    # -- files -----------------------------------------------------------------------

    async def file(self, request: Request) -> Response:
        """Answer a file of the site."""
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": "GET, HEAD, OPTIONS"})
        path = request.url.path
        if self.site is None:
            return _text(404, "no site: run 'clustergraph build' first")
        relative = urllib.parse.unquote(path).lstrip("/") or "index.html"
        try:
            target = (self.site / relative).resolve()
            if target.is_dir():
                target = target / "index.html"
            found = target.is_relative_to(self.site) and target.is_file()
        except (OSError, ValueError):
            found = False
        if not found:
            return _text(404, f"not found: {path}")
        media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix == ".ttl":
            media = "text/turtle"
        elif target.suffix == ".jsonld":
            media = "application/ld+json"
        if media.startswith("text/") or media.endswith(("javascript", "json")):
            media += "; charset=utf-8"
        try:
            data = target.read_bytes()
        except OSError:
            return _text(404, f"not found: {path}")
        headers = {"X-Content-Type-Options": "nosniff"}
        if request.method == "HEAD":
            headers["Content-Length"] = str(len(data))
            return Response(b"", 200, headers, media_type=media)
        return Response(data, 200, headers, media_type=media)


def _with_cors(send: Any, origin: str) -> Any:
    async def sending(message: Any) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers") or [])
            headers.append((b"access-control-allow-origin", origin.encode("latin-1")))
            headers.append((b"vary", b"Origin"))
            message = {**message, "headers": headers}
        await send(message)

    return sending


def _choose_results(accept: str, wanted: str | None) -> str | None:
    if wanted:
        fmt = _RESULTS.get(wanted) or _RESULT_MEDIA.get(wanted)
        return fmt.value if fmt is not None else None
    media = negotiate(accept, list(_RESULT_MEDIA))
    return _RESULT_MEDIA[media].value if media is not None else None


def _choose_graph(accept: str, wanted: str | None, default: str = "ttl") -> str | None:
    if wanted:
        for fmt in _GRAPH_FORMATS:
            if wanted in (fmt.value, fmt.media_type, fmt.file_extension):
                return fmt.value
        chosen = _GRAPH_KEYS.get(wanted)
        return chosen.value if chosen is not None else None
    offered = list(_GRAPH_MEDIA)
    first = _GRAPH_KEYS[default].media_type
    offered.remove(first)
    media = negotiate(accept, [first, *offered])
    return _GRAPH_MEDIA[media].value if media is not None else None


# -- the server ---------------------------------------------------------------------------


class _Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, with a time limit on a request's head."""

    head_seconds = 10.0

    def connection_made(self, transport: Any) -> None:  # noqa: D102
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._arm()

    def _waiting_for_head(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.head_seconds, self._too_slow)

    def _too_slow(self) -> None:
        self._head_timer = None
        if self._waiting_for_head() and not self.transport.is_closing():
            if self.conn.their_state == h11.IDLE and self.conn.our_state == h11.IDLE:
                with contextlib.suppress(h11.LocalProtocolError):
                    reply = h11.Response(
                        status_code=408, headers=[("connection", "close"), ("content-length", "0")]
                    )
                    self.transport.write(self.conn.send(reply) + self.conn.send(h11.EndOfMessage()))
            self.transport.close()

    def data_received(self, data: bytes) -> None:  # noqa: D102
        if self._waiting_for_head():
            self._arm()
        super().data_received(data)
        if not self._waiting_for_head() and self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def connection_lost(self, exc: Exception | None) -> None:  # noqa: D102
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)


def worker_config(store: Store, scratch: Path) -> dict[str, Any]:
    """Say how a worker opens ``store``: read-only on disk, or a copy of a memory store."""
    if isinstance(store, OxigraphStore):
        if store.path is not None:
            if store.writable:
                store.refresh_union()
                store.flush()
            return {"kind": "oxigraph", "path": str(store.path)}
        import pyoxigraph as ox

        copy = scratch / "store.nq"
        with copy.open("wb") as out:
            store.native.dump(out, ox.RdfFormat.N_QUADS)
        return {"kind": "nquads", "path": str(copy)}
    from clustergraph.store.remote import RemoteStore

    assert isinstance(store, RemoteStore)
    retry = store.client.retry
    return {
        "kind": "remote",
        "spec": store.location,
        "timeout": retry.timeout,
        "retries": retry.retries,
    }


class Server:
    """The server, listening: run it here (:meth:`serve`) or in a thread (:meth:`started`)."""

    def __init__(
        self,
        store: Store,
        site: Path | None,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        limits: Limits | None = None,
    ) -> None:
        import uvicorn

        self.limits = limits or Limits()
        self._scratch = tempfile.TemporaryDirectory(prefix="clustergraph-serve-")
        config = worker_config(store, Path(self._scratch.name))
        self.app = App(site.resolve() if site else None, store.graphs(), config, self.limits)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((host, port))
        except OSError:
            self.socket.close()
            self._scratch.cleanup()
            raise
        self.socket.listen(1024)  # connections wait in the backlog until the loop runs
        self.address: tuple[str, int] = self.socket.getsockname()[:2]
        protocol = type("Protocol", (_Protocol,), {"head_seconds": self.limits.client_seconds})
        self.uvicorn = uvicorn.Server(
            uvicorn.Config(
                self.app,
                http=protocol,
                lifespan="on",
                log_level="warning",
                access_log=False,
                limit_concurrency=self.limits.max_connections,
                backlog=1024,
                timeout_keep_alive=5,
                timeout_graceful_shutdown=2,
            )
        )

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://{self.address[0]}:{self.address[1]}"

    def serve(self) -> None:
        """Serve until stopped (Ctrl-C: ``KeyboardInterrupt`` once the server has closed)."""
        try:
            self.uvicorn.run(sockets=[self.socket])
        finally:
            self.close()
        if not self.uvicorn.started:
            raise InputError("the server could not start: a query worker failed (see above)")

    @contextlib.contextmanager
    def started(self) -> Iterator[Server]:
        """Serve in a thread within this block (tests, notebooks)."""
        thread = threading.Thread(target=self.serve, daemon=True)
        thread.start()
        try:
            while not self.uvicorn.started and thread.is_alive():
                threading.Event().wait(0.05)
            yield self
        finally:
            self.uvicorn.should_exit = True
            thread.join(timeout=30)

    # The standard library's server names, for callers written against it.

    @property
    def server_address(self) -> tuple[str, int]:
        """Where the server listens (as :class:`http.server.HTTPServer` says it)."""
        return self.address

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until :meth:`shutdown` (``poll_interval`` is not used)."""
        self.serve()

    def shutdown(self) -> None:
        """Stop serving (from another thread) and wait until the server has closed."""
        self.uvicorn.should_exit = True
        deadline = time.monotonic() + 30
        while self.socket.fileno() != -1 and time.monotonic() < deadline:
            time.sleep(0.05)

    def server_close(self) -> None:
        """Release what the server holds (done by :meth:`serve` already)."""
        self.close()

    def close(self) -> None:
        """Release the socket, the workers and the scratch files."""
        self.app.pool.kill()
        self.socket.close()
        with contextlib.suppress(OSError):
            self._scratch.cleanup()


def make_server(
    store: Store, site: Path | None, *, host: str = "127.0.0.1", port: int = 8000
) -> Server:
    """Return a server (not yet serving) of ``site`` and a SPARQL endpoint over ``store``.

    The server also answers to the standard library's ``serve_forever``, ``shutdown``,
    ``server_close`` and ``server_address``.

    Examples
    --------
    >>> from clustergraph.store import open_store
    >>> server = make_server(open_store("memory:"), None, port=0)
    >>> server.server_address[0]
    '127.0.0.1'
    >>> server.server_close()
    """
    return Server(store, site, host=host, port=port)
