"""The HTTP server of ``clustergraph serve``: the site as files, a SPARQL 1.1 endpoint.

See :mod:`clustergraph.cli.serve` for what each path answers. Kept apart so that the
command line imports the standard library's HTTP server only when it serves.

Examples
--------
>>> from clustergraph.store import open_store
>>> server = make_server(open_store("memory:"), None, port=0)
>>> server.server_address[0]
'127.0.0.1'
>>> server.server_close()
"""

from __future__ import annotations

import mimetypes
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from clustergraph.errors import ClusterGraphError, InputError
from clustergraph.store.base import Store

_RESULTS = {
    "json": ("application/sparql-results+json", "JSON"),
    "xml": ("application/sparql-results+xml", "XML"),
    "csv": ("text/csv", "CSV"),
    "tsv": ("text/tab-separated-values", "TSV"),
}
_GRAPHS = {
    "ttl": ("text/turtle", "TURTLE"),
    "nt": ("application/n-triples", "N_TRIPLES"),
    "jsonld": ("application/ld+json", "JSON_LD"),
}
_MAX_BODY = 10_000_000


def _pick(accept: str, wanted: str | None, table: dict[str, tuple[str, str]], default: str) -> str:
    """Choose a format key from ``?format=`` or the Accept header."""
    if wanted:
        for key, (media, _name) in table.items():
            if wanted in (key, media):
                return key
    for part in accept.split(","):
        media = part.split(";")[0].strip()
        for key, (known, _name) in table.items():
            if media == known:
                return key
    return default


class _Handler(BaseHTTPRequestHandler):
    server_version = "clustergraph"
    store: Store
    site: Path | None
    lock: threading.Lock

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Say nothing per request."""

    # -- plumbing ---------------------------------------------------------------------

    def _send(self, status: int, body: bytes, media: str, *, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_HEAD(self) -> None:  # noqa: N802
        """Answer as GET, without a body."""
        self._dispatch("HEAD", head=True)

    def do_GET(self) -> None:  # noqa: N802
        """Answer a query, a graph or a file."""
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        """Answer a query sent in the body."""
        self._dispatch("POST")

    def do_OPTIONS(self) -> None:  # noqa: N802
        """Answer a CORS preflight."""
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.end_headers()

    def _dispatch(self, method: str, *, head: bool = False) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        try:
            if url.path in ("/sparql", "/query"):
                self._query(method, params, head=head)
            elif url.path == "/store":
                self._graph(method, params, head=head)
            elif method == "POST":
                self._error(HTTPStatus.METHOD_NOT_ALLOWED, "POST goes to /sparql")
            else:
                self._file(url.path, head=head)
        except ClusterGraphError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))

    # -- SPARQL protocol --------------------------------------------------------------

    def _query(self, method: str, params: dict[str, list[str]], *, head: bool) -> None:
        from clustergraph.store.base import GraphResult, ResultsFormat
        from clustergraph.store.sparql import query_form

        text = (params.get("query") or [""])[0]
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            if length > _MAX_BODY:
                self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too large")
                return
            sent = self.rfile.read(length).decode("utf-8", errors="replace")
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if kind == "application/sparql-query":
                text = sent
            else:
                form = urllib.parse.parse_qs(sent, keep_blank_values=True)
                if "update" in form:
                    self._error(HTTPStatus.FORBIDDEN, "this endpoint is read only")
                    return
                text = (form.get("query") or [text])[0]
        if not text.strip():
            self._error(HTTPStatus.BAD_REQUEST, "no query: give ?query=… or POST one")
            return
        accept = self.headers.get("Accept") or ""
        wanted = (params.get("format") or [""])[0]
        try:
            form_name = query_form(text)
        except InputError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        with self.lock:
            if form_name in ("CONSTRUCT", "DESCRIBE"):
                import pyoxigraph as ox

                result = self.store.query(text)
                assert isinstance(result, GraphResult)
                key = _pick(accept, wanted, _GRAPHS, "ttl")
                media, name = _GRAPHS[key]
                body = ox.serialize(result.triples, format=getattr(ox.RdfFormat, name)) or b""
            else:
                key = _pick(accept, wanted, _RESULTS, "json")
                media, name = _RESULTS[key]
                body = self.store.query_serialized(text, ResultsFormat[name])
        self._send(HTTPStatus.OK, body, media + "; charset=utf-8", head=head)

    def _graph(self, method: str, params: dict[str, list[str]], *, head: bool) -> None:
        if method == "POST":
            self._error(HTTPStatus.FORBIDDEN, "this Graph Store is read only")
            return
        import io

        from clustergraph.rdf.formats import RdfFormat

        accept = self.headers.get("Accept") or ""
        key = _pick(accept, (params.get("format") or [""])[0], _GRAPHS, "nt")
        fmt = {"ttl": RdfFormat.TURTLE, "nt": RdfFormat.NTRIPLES, "jsonld": RdfFormat.JSONLD}[key]
        with self.lock:
            known = self.store.graphs()
            if "graph" in params:
                graph = params["graph"][0]
                if graph not in known:
                    self._error(HTTPStatus.NOT_FOUND, f"no graph <{graph}> in the store")
                    return
                chosen = [graph]
            elif "default" in params:
                chosen = known
            else:
                self._error(HTTPStatus.BAD_REQUEST, "give ?graph=IRI or ?default")
                return
            out = io.BytesIO()
            self.store.dump(out, fmt, graphs=chosen)
        self._send(HTTPStatus.OK, out.getvalue(), _GRAPHS[key][0] + "; charset=utf-8", head=head)

    # -- files -------------------------------------------------------------------------

    def _file(self, path: str, *, head: bool) -> None:
        if self.site is None:
            self._error(HTTPStatus.NOT_FOUND, "no site: run 'clustergraph build' first")
            return
        relative = urllib.parse.unquote(path).lstrip("/") or "index.html"
        target = (self.site / relative).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(self.site) or not target.is_file():
            self._error(HTTPStatus.NOT_FOUND, f"not found: {path}")
            return
        media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix in (".ttl",):
            media = "text/turtle"
        elif target.suffix == ".jsonld":
            media = "application/ld+json"
        if media.startswith("text/") or media.endswith(("javascript", "json")):
            media += "; charset=utf-8"
        self._send(HTTPStatus.OK, target.read_bytes(), media, head=head)


def make_server(
    store: Store, site: Path | None, *, host: str = "127.0.0.1", port: int = 8000
) -> ThreadingHTTPServer:
    """Return a server (not yet serving) of ``site`` and a SPARQL endpoint over ``store``.

    Parameters
    ----------
    store
        The store to answer from (read only).
    site
        The folder of the site, or ``None`` to serve the endpoint alone.
    host, port
        Where to listen; port 0 picks a free port.
    """
    handler = type(
        "Handler",
        (_Handler,),
        {
            "store": store,
            "site": site.resolve() if site is not None else None,
            "lock": threading.Lock(),
        },
    )
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
