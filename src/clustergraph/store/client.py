"""HTTP for remote stores: the SPARQL 1.1 Protocol, Update and the Graph Store Protocol.

One small client (:class:`StoreClient`, on :mod:`urllib`) sends every request a remote
store gets: queries, updates, and the `Graph Store HTTP Protocol`_'s ``PUT``, ``GET`` and
``DELETE`` of ``URL?graph=IRI``. Transient faults (HTTP 502/503/504, a timeout, a
dropped connection, and a refused connection once the store has answered a request) are
retried a bounded number of times with exponential backoff (:class:`RetryPolicy`); every
request must therefore do no harm if the store carries it out twice. A connection refused
on the client's first request is reported at once, not retried: nothing listens on that
port, and waiting through the backoff would only delay the one line that says so.

**Credentials** come from the environment, never from the command line:
``CLUSTERGRAPH_USER`` and ``CLUSTERGRAPH_PASSWORD`` (:data:`USER_ENV`,
:data:`PASSWORD_ENV`). They are sent only when the store asks (HTTP Digest or Basic).

.. _Graph Store HTTP Protocol: https://www.w3.org/TR/sparql11-http-rdf-update/

Examples
--------
>>> Endpoints.infer(graph_store="http://127.0.0.1:7878/store")
Endpoints(graph_store='http://127.0.0.1:7878/store', update='http://127.0.0.1:7878/update', query='http://127.0.0.1:7878/query')
>>> Endpoints.infer(graph_store="http://127.0.0.1:8890/sparql-graph-crud-auth").update
'http://127.0.0.1:8890/sparql-auth'
>>> Endpoints.infer(query="http://127.0.0.1:7878/query").graph_store
'http://127.0.0.1:7878/store'
"""  # noqa: E501

from __future__ import annotations

import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from clustergraph.errors import (
    AuthError,
    InputError,
    StoreError,
    StoreUnreachableError,
)
from clustergraph.rdf.terms import has_blank_node, n3, relabel_blank_nodes

USER_ENV = "CLUSTERGRAPH_USER"
"""Environment variable holding the user name for the store."""

PASSWORD_ENV = "CLUSTERGRAPH_PASSWORD"
"""Environment variable holding the password for the store."""

_TURTLE = "text/turtle; charset=utf-8"  # N-Triples is Turtle: every store reads it
_FORM = "application/x-www-form-urlencoded"
_RESULTS_JSON = "application/sparql-results+json"
_INSERT_CHUNK = 1000  # triples per INSERT DATA request
_BNODE_CHUNK = 200  # triples with blank nodes per INSERT request
_TRANSIENT_HTTP = {502, 503, 504}
_MAX_HEADERS = 100_000  # headers of one answer (see StoreClient)


# ---------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP Digest (or Basic) authentication."""

    user: str
    password: str = field(repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials | None:
        """Read :data:`USER_ENV` and :data:`PASSWORD_ENV` (none if the user is unset).

        Raises
        ------
        InputError
            If only one of the two is set.
        """
        env = os.environ if environ is None else environ
        user, password = env.get(USER_ENV), env.get(PASSWORD_ENV)
        if not user and not password:
            return None
        if not user or password is None:
            raise InputError(f"set both {USER_ENV} and {PASSWORD_ENV}, or neither")
        return cls(user, password)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to try a request.

    Attributes
    ----------
    retries
        Further attempts after a transient fault (HTTP 502/503/504, a timeout, a dropped
        connection, a refused one once the store has answered); 0 tries once.
    backoff
        Seconds before the first retry; doubled before each next one.
    timeout
        Seconds to wait for each answer.
    """

    retries: int = 3
    backoff: float = 0.5
    timeout: float = 30.0


def _sibling(url: str, old: str, new: str) -> str | None:
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    if not path.endswith("/" + old):
        return None
    return urllib.parse.urlunsplit(parts._replace(path=path[: -len(old)] + new, query=""))


@dataclass(frozen=True)
class Endpoints:
    """The URLs of a store: Graph Store protocol, SPARQL Update, SPARQL query."""

    graph_store: str | None = None
    update: str | None = None
    query: str | None = None

    @classmethod
    def infer(
        cls, *, graph_store: str | None = None, update: str | None = None, query: str | None = None
    ) -> Endpoints:
        """Fill in the endpoints that follow from the given ones on Oxigraph and Virtuoso.

        ==============================  ===================  ==============  =============
        given                           update               query           Graph Store
        ==============================  ===================  ==============  =============
        ``.../query`` (Oxigraph)        ``.../update``                       ``.../store``
        ``.../store`` (Oxigraph)        ``.../update``       ``.../query``
        ``.../update`` (Oxigraph)                            ``.../query``
        ``.../sparql-graph-crud-auth``  ``.../sparql-auth``  ``.../sparql``
        ``.../sparql-graph-crud``       ``.../sparql``       ``.../sparql``
        ``.../sparql-auth``                                  ``.../sparql``
        ==============================  ===================  ==============  =============

        Any other query endpoint (Virtuoso's ``.../sparql``, a read-only endpoint) is
        taken alone: the store is then read-only unless an update endpoint is given.

        Raises
        ------
        InputError
            If no endpoint is given, or one is not an http(s) URL, or the query endpoint
            of an update endpoint cannot be told.
        """
        for url in (graph_store, update, query):
            if url is not None and not url.startswith(("http://", "https://")):
                raise InputError(f"{url!r} is not an http(s) URL")
        if graph_store is None and update is None and query is None:
            raise InputError("give a store: a query, update or Graph Store endpoint")
        if graph_store is None and update is None and query is not None:
            update = _sibling(query, "query", "update")
            graph_store = _sibling(query, "query", "store")
            return cls(graph_store, update, query)
        if graph_store is not None:
            derived = {
                "store": ("update", "query"),
                "sparql-graph-crud-auth": ("sparql-auth", "sparql"),
                "sparql-graph-crud": ("sparql", "sparql"),
            }
            for name, (upd, qry) in derived.items():
                if update is None and query is None and _sibling(graph_store, name, upd):
                    update = _sibling(graph_store, name, upd)
                    query = _sibling(graph_store, name, qry)
                    break
        if query is None and update is not None:
            for name, qry in (("update", "query"), ("sparql-auth", "sparql"), ("sparql", "sparql")):
                query = query or _sibling(update, name, qry)
            if query is None and graph_store is None:
                raise InputError(
                    f"cannot tell the query endpoint of {update}: give it (--query-endpoint)"
                )
        return cls(graph_store, update, query)


def scoped_query_url(query_url: str, graphs: Iterable[str]) -> str:
    """Add the SPARQL protocol's dataset parameters to a query URL.

    The default graph of a query sent there is the union of ``graphs``, and ``GRAPH ?g``
    ranges over them only (``default-graph-uri`` and ``named-graph-uri``). On Virtuoso,
    whose default graph is every graph it holds, its own system graphs included, this
    gives queries the dataset the embedded engines see.

    Examples
    --------
    >>> scoped_query_url("http://h/sparql", ["urn:a"])
    'http://h/sparql?default-graph-uri=urn%3Aa&named-graph-uri=urn%3Aa'
    """
    graphs = list(graphs)
    params = [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
    sep = "&" if "?" in query_url else "?"
    return query_url + sep + urllib.parse.urlencode(params)


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------


def _one_line(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 200 else text[:197] + "..."


def _with_graph(url: str, graph: str) -> str:
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{sep}{urllib.parse.urlencode({'graph': graph})}"


class StoreClient:
    """A small HTTP client for one store: Graph Store protocol and SPARQL over urllib.

    Parameters
    ----------
    endpoints
        The store's URLs.
    credentials
        Sent when the store asks for them.
    retry
        Retries and timeout.
    sleep
        The function that waits between attempts (tests pass a fake).
    """

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        credentials: Credentials | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoints = endpoints
        self.credentials = credentials
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self.answered = 0
        """Requests the store carried out so far (answered without an error)."""
        handlers: list[urllib.request.BaseHandler] = []
        if credentials is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (endpoints.graph_store, endpoints.update, endpoints.query):
                if url is not None:
                    passwords.add_password(None, url, credentials.user, credentials.password)
            handlers += [
                urllib.request.HTTPDigestAuthHandler(passwords),
                urllib.request.HTTPBasicAuthHandler(passwords),
            ]
        self._opener = urllib.request.build_opener(*handlers)
        # Virtuoso echoes each graph of a query's dataset as a header of its answer: a
        # query over hundreds of graphs gets hundreds of headers, past http.client's 100.
        http.client._MAXHEADERS = max(http.client._MAXHEADERS, _MAX_HEADERS)  # type: ignore[attr-defined]

    # -- the one place requests go through ----------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        missing_ok: bool = False,
        resend_late: bool = True,
    ) -> tuple[int, bytes, str]:
        """Send a request, retrying transient faults; return (status, body, content type).

        Parameters
        ----------
        method, url, body, headers
            The request; it must do no harm if carried out twice (every request of a
            push is written so), since an attempt whose answer was lost is sent again.
        missing_ok
            Whether HTTP 404 is an answer (returned) rather than an error.
        resend_late
            Whether a request the store got but did not answer in time is sent again.
            A query is not: the store may still be evaluating it, and each attempt
            would pile the same work on it (a limit on the server stops it:
            ``oxigraph serve --timeout-s``, Virtuoso's ``MaxQueryExecutionTime``).

        Raises
        ------
        StoreUnreachableError, AuthError, StoreError
            After the retries, with the cause in one line.
        """
        attempts = self.retry.retries + 1
        answer_lost = False
        for attempt in range(attempts):
            last = attempt == attempts - 1
            request = urllib.request.Request(url, data=body, method=method)
            for name, value in (headers or {}).items():
                request.add_header(name, value)
            try:
                with self._opener.open(request, timeout=self.retry.timeout) as response:
                    answer = response.read()
                    self.answered += 1
                    return response.status, answer, response.headers.get("Content-Type", "")
            except urllib.error.HTTPError as exc:
                if exc.code == 404 and missing_ok:
                    return 404, b"", ""
                if exc.code in _TRANSIENT_HTTP and not last:
                    self._wait(attempt)
                    continue
                raise self._http_error(method, url, exc, attempts) from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
                refused = isinstance(reason, ConnectionRefusedError)
                # urllib wraps in URLError what fails before the request is wholly sent
                # (connecting, sending): a store cannot carry out a request it did not
                # get. What fails afterwards (waiting for or reading the answer) may
                # have been carried out: its answer is lost.
                sent = not isinstance(exc, urllib.error.URLError)
                answer_lost = answer_lost or sent
                # A store that refuses the first request of all is not running: say so
                # at once. Once it has answered, a refusal is a restart: retried.
                late = sent and isinstance(reason, TimeoutError | socket.timeout)
                if (
                    last
                    or not _transient(reason)
                    or (refused and self.answered == 0)
                    or (late and not resend_late)
                ):
                    tries = f" (tried {attempt + 1} times)" if attempt else ""
                    if late and not resend_late and not last:
                        tries += (
                            "; not sent again, the store may still be working on it "
                            "(a time limit of the store's own stops such work)"
                        )
                    error = StoreUnreachableError(
                        f"{method} {url}: {_describe(reason, self.retry.timeout)}{tries}"
                    )
                    error.answer_lost = answer_lost
                    raise error from exc
                self._wait(attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, attempt: int) -> None:
        self._sleep(self.retry.backoff * (2**attempt))

    def _http_error(
        self, method: str, url: str, exc: urllib.error.HTTPError, attempts: int
    ) -> StoreError:
        where = f"{method} {url}: HTTP {exc.code} {exc.reason}"
        if exc.code in (401, 403):
            if self.credentials is None:
                hint = f"the store asks for credentials: set {USER_ENV} and {PASSWORD_ENV}"
            elif exc.code == 401:
                hint = f"the store refused the credentials of {USER_ENV}/{PASSWORD_ENV}"
            else:
                hint = f"user {self.credentials.user!r} may not do this"
            return AuthError(f"{where}: {hint}")
        try:
            detail = exc.read().decode("utf-8", "replace")
        except OSError:
            detail = ""
        detail = _one_line(detail)
        if exc.code in _TRANSIENT_HTTP and attempts > 1:
            detail = f"{detail} (tried {attempts} times)".strip()
        return StoreError(f"{where}{': ' + detail if detail else ''}")

    # -- Graph Store protocol ------------------------------------------------

    def put_graph(self, graph: str, data: bytes) -> None:
        """Replace ``graph`` with ``data`` (N-Triples) through the Graph Store protocol."""
        assert self.endpoints.graph_store is not None
        self.request(
            "PUT",
            _with_graph(self.endpoints.graph_store, graph),
            body=data,
            headers={"Content-Type": _TURTLE},
        )

    def get_graph(self, graph: str) -> bytes | None:
        """Return ``graph`` as N-Triples (None if the store has no such graph)."""
        assert self.endpoints.graph_store is not None
        status, body, content_type = self.request(
            "GET",
            _with_graph(self.endpoints.graph_store, graph),
            headers={"Accept": "application/n-triples, text/turtle;q=0.9"},
            missing_ok=True,
        )
        if status == 404:
            return None
        fmt = ox.RdfFormat.from_media_type(content_type.split(";")[0].strip() or "text/turtle")
        try:
            quads = list(ox.parse(body, format=fmt or ox.RdfFormat.TURTLE, base_iri=graph))
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"GET of <{graph}>: unreadable answer: {_one_line(exc)}") from exc
        return ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES) or b""

    def delete_graph(self, graph: str) -> None:
        """Delete ``graph`` (nothing happens if the store has no such graph)."""
        if self.endpoints.graph_store is not None:
            self.request("DELETE", _with_graph(self.endpoints.graph_store, graph), missing_ok=True)
        else:
            self.update(f"DROP SILENT GRAPH <{graph}>")

    # -- SPARQL --------------------------------------------------------------

    def update(self, text: str) -> None:
        """Send a SPARQL 1.1 Update request."""
        assert self.endpoints.update is not None
        self.request(
            "POST",
            self.endpoints.update,
            body=urllib.parse.urlencode({"update": text}).encode(),
            headers={"Content-Type": _FORM, "Accept": "*/*"},
        )

    def select(self, text: str) -> list[dict[str, Any]]:
        """Run a SELECT query on the query endpoint; return its JSON bindings."""
        assert self.endpoints.query is not None
        _, body, _ = self.request(
            "POST",
            self.endpoints.query,
            body=urllib.parse.urlencode({"query": text}).encode(),
            headers={"Content-Type": _FORM, "Accept": _RESULTS_JSON},
            resend_late=False,
        )
        try:
            bindings: list[dict[str, Any]] = json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(
                f"{self.endpoints.query}: unreadable query answer: {_one_line(exc)}"
            ) from exc
        return bindings

    def counts(self, graphs: Sequence[str]) -> dict[str, int]:
        """Count the triples of each of ``graphs`` on the store (0 for a missing graph).

        With a query endpoint: one SPARQL ``COUNT`` query; else a ``GET`` of each graph.
        """
        if self.endpoints.query is None:
            result = {}
            for graph in graphs:
                data = self.get_graph(graph)
                result[graph] = 0 if data is None else sum(1 for _ in data.splitlines() if _)
            return result
        values = " ".join(f"<{g}>" for g in graphs)
        rows = self.select(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        found = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
        return {g: found.get(g, 0) for g in graphs}

    def query(
        self,
        text: str,
        *,
        accept: str,
        graphs: Sequence[str] | None = None,
        default: Sequence[str] = (),
        named: Sequence[str] = (),
    ) -> tuple[bytes, str]:
        """Send a query (POST, form-encoded); return the answer's body and media type.

        ``graphs`` become the protocol's ``default-graph-uri`` and ``named-graph-uri``;
        ``default`` and ``named`` add to them one at a time. A query whose answer does
        not come in time is not sent again (see :meth:`request`).
        """
        assert self.endpoints.query is not None
        form: list[tuple[str, str]] = [("query", text)]
        for graph in graphs or ():
            form += [("default-graph-uri", graph), ("named-graph-uri", graph)]
        form += [("default-graph-uri", graph) for graph in default]
        form += [("named-graph-uri", graph) for graph in named]
        _, body, content_type = self.request(
            "POST",
            self.endpoints.query,
            body=urllib.parse.urlencode(form).encode(),
            headers={"Content-Type": _FORM, "Accept": accept},
            resend_late=False,
        )
        return body, content_type.split(";")[0].strip().lower()

    def load_graph(self, graph: str, data: bytes) -> None:
        """Replace ``graph`` on the store with N-Triples ``data`` (Graph Store PUT, else Update).

        Through SPARQL Update, the graph is dropped, then filled by ``INSERT DATA``
        requests; the triples with blank nodes go a few hundred a request (Virtuoso
        refuses a request it compiles into more than 10,000 lines of SQL), the triples
        sharing a blank node always in one request, so that each blank node stays one
        node.
        """
        if self.endpoints.graph_store is not None:
            self.put_graph(graph, data)
            return
        triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
        with_bnodes = relabel_blank_nodes(t for t in triples if has_blank_node(t))
        ground = [t for t in triples if not has_blank_node(t)]
        chunks = [
            *_bnode_chunks(with_bnodes, _BNODE_CHUNK),
            *(ground[i : i + _INSERT_CHUNK] for i in range(0, len(ground), _INSERT_CHUNK)),
        ]
        first = [f"DROP SILENT GRAPH <{graph}>"]
        if chunks:
            first.append(_insert(graph, chunks[0]))
        self.update(" ;\n".join(first))
        for chunk in chunks[1:]:
            self.update(_insert(graph, chunk))


def _bnode_chunks(triples: Sequence[ox.Triple], size: int) -> list[list[ox.Triple]]:
    """Split ``triples`` into runs of about ``size``, those sharing a blank node in one run."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def nodes(triple: ox.Triple) -> list[str]:
        return [str(t) for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]

    for triple in triples:
        found = nodes(triple)
        for other in found[1:]:
            parent[find(other)] = find(found[0])
    groups: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        found = nodes(triple)
        groups.setdefault(find(found[0]) if found else "", []).append(triple)
    chunks: list[list[ox.Triple]] = []
    for group in groups.values():
        if not chunks or len(chunks[-1]) + len(group) > size:
            chunks.append([])
        chunks[-1].extend(group)
    return chunks


def _transient(reason: object) -> bool:
    return isinstance(
        reason,
        ConnectionRefusedError
        | ConnectionResetError
        | ConnectionAbortedError
        | BrokenPipeError
        | TimeoutError
        | socket.timeout
        | http.client.RemoteDisconnected
        | http.client.IncompleteRead,
    )


def _describe(reason: object, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the store running?)"
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, http.client.RemoteDisconnected | ConnectionResetError):
        return "the store closed the connection before answering"
    if isinstance(reason, socket.gaierror):
        return "no such host (the host name cannot be resolved)"
    return f"unreachable ({_one_line(reason)})"


def _insert(graph: str, triples: Sequence[ox.Triple]) -> str:
    """Write an update adding ``triples`` to ``graph``.

    ``INSERT DATA`` where there is no blank node; else ``INSERT { ... } WHERE {}``,
    whose template makes one new node per blank node label (Virtuoso refuses blank
    nodes in ``INSERT DATA``).
    """
    lines = "\n".join(f"{n3(t.subject)} {n3(t.predicate)} {n3(t.object)} ." for t in triples)  # type: ignore[arg-type]
    if any(has_blank_node(t) for t in triples):
        return f"INSERT {{ GRAPH <{graph}> {{\n{lines}\n}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{lines}\n}} }}"
