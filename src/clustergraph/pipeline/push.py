"""Push the dataset into a remote triple store, all or nothing.

Two protocols load the data:

- the `SPARQL 1.1 Graph Store HTTP Protocol`_ (``--graph-store URL``): ``PUT``,
  ``GET`` and ``DELETE`` of ``URL?graph=IRI`` (Oxigraph: ``http://HOST:PORT/store``;
  Virtuoso: ``http://HOST:PORT/sparql-graph-crud-auth``, HTTP Digest);
- `SPARQL 1.1 Update`_ (``--update URL``), for stores without the Graph Store protocol:
  ``DROP SILENT GRAPH`` then ``INSERT DATA`` (Oxigraph: ``/update``; Virtuoso:
  ``/sparql-auth`` with Digest, or ``/sparql`` once ``GRANT SPARQL_UPDATE TO "SPARQL"``).

Without a target graph each named graph of the dataset goes to the graph of the same
IRI, as in the N-Quads export; with one, the union of the named graphs goes there.

**All or nothing.** A push runs in four steps:

1. *stage*: each graph is loaded into a staging graph, ``<target>-staging-<random hex>``;
2. *verify*: the staging graphs' triples are counted on the store (a SPARQL ``COUNT``
   on the query endpoint, else a ``GET`` of the graph) and must equal the local counts;
3. *replace*: with an update endpoint, one SPARQL Update request moves every staging
   graph onto its target (:func:`replace_update`: a ``MOVE`` that is safe to send twice):
   one transaction on Oxigraph and on Virtuoso, so all targets change together or none
   does. With the Graph Store protocol alone, each target is replaced by a ``PUT`` of
   the verified data (one transaction per graph); if one fails, the targets already
   replaced, and the one that failed, are put back from copies taken (``GET``) before
   the first ``PUT``;
4. *clean up*: the staging graphs are deleted.

Any failure stops the push with a :class:`PushError` (one line: what failed and why),
after deleting the staging graphs; the targets are left as they were. Transient faults
(connection refused, HTTP 502/503/504, a timeout, a dropped connection) are retried a
bounded number of times with exponential backoff (:class:`RetryPolicy`); every request of
a push does no harm if the store carries it out twice. If the replace fails after an
answer was lost, the push looks at the store to tell whether it happened.

**Credentials** come from the environment, never from the command line:
``CLUSTERGRAPH_USER`` and ``CLUSTERGRAPH_PASSWORD`` (:data:`USER_ENV`,
:data:`PASSWORD_ENV`). They are sent only when the store asks (HTTP Digest or Basic).

.. _SPARQL 1.1 Graph Store HTTP Protocol: https://www.w3.org/TR/sparql11-http-rdf-update/
.. _SPARQL 1.1 Update: https://www.w3.org/TR/sparql11-update/

Examples
--------
>>> Endpoints.infer(graph_store="http://127.0.0.1:7878/store")
Endpoints(graph_store='http://127.0.0.1:7878/store', update='http://127.0.0.1:7878/update', query='http://127.0.0.1:7878/query')
>>> Endpoints.infer(graph_store="http://127.0.0.1:8890/sparql-graph-crud-auth").update
'http://127.0.0.1:8890/sparql-auth'
>>> staging_iri("https://w3id.org/clustergraph/graph/source/x", "0a1b")
'https://w3id.org/clustergraph/graph/source/x-staging-0a1b'
"""  # noqa: E501

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph

from clustergraph.errors import ClusterGraphError, InputError
from clustergraph.pipeline.load import named_graphs, union_graph

USER_ENV = "CLUSTERGRAPH_USER"
"""Environment variable holding the user name for the store."""

PASSWORD_ENV = "CLUSTERGRAPH_PASSWORD"
"""Environment variable holding the password for the store."""

_TURTLE = "text/turtle; charset=utf-8"  # N-Triples is Turtle: every store reads it
_FORM = "application/x-www-form-urlencoded"
_RESULTS_JSON = "application/sparql-results+json"
_INSERT_CHUNK = 1000  # triples per INSERT DATA request (those with blank nodes: one request)
_TRANSIENT_HTTP = {502, 503, 504}


class PushError(ClusterGraphError):
    """A push that failed; the message says which step failed, why, and what was left.

    Parameters
    ----------
    message
        One line.
    targets_unchanged
        Whether the target graphs are known to be as they were (None: unknown).
    """

    def __init__(self, message: str, *, targets_unchanged: bool | None = True) -> None:
        super().__init__(message)
        self.targets_unchanged = targets_unchanged


class StoreUnreachableError(PushError):
    """The store could not be reached (refused, timed out), after the retries.

    ``answer_lost`` says whether some attempt may have reached the store although its
    answer never came (a timeout, a dropped connection), unlike a refused connection.
    """

    answer_lost = False


class AuthError(PushError):
    """The store refused the credentials, or asked for some and none were given."""


class StoreError(PushError):
    """The store answered a request with an error, or with something unreadable."""


class VerifyError(PushError):
    """A staging graph does not hold the number of triples that was sent."""


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
        Further attempts after a transient fault (connection refused, HTTP 502/503/504,
        timeout); 0 tries once.
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

        ============================  ======================  =================
        given                         update endpoint         query endpoint
        ============================  ======================  =================
        ``.../store`` (Oxigraph)      ``.../update``          ``.../query``
        ``.../update`` (Oxigraph)                             ``.../query``
        ``.../sparql-graph-crud-auth`` ``.../sparql-auth``    ``.../sparql``
        ``.../sparql-graph-crud``     ``.../sparql``          ``.../sparql``
        ``.../sparql-auth``                                   ``.../sparql``
        ``.../sparql``                                        ``.../sparql``
        ============================  ======================  =================

        Raises
        ------
        InputError
            If neither a Graph Store nor an update endpoint is given, or one is not an
            http(s) URL.
        """
        for url in (graph_store, update, query):
            if url is not None and not url.startswith(("http://", "https://")):
                raise InputError(f"{url!r} is not an http(s) URL")
        if graph_store is None and update is None:
            raise InputError("give a Graph Store endpoint (--graph-store) or an update endpoint")
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


def staging_iri(target: str, token: str) -> str:
    """Return the staging graph of ``target`` for the push with random ``token``."""
    return f"{target}-staging-{token}"


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

    # -- the one place requests go through ----------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        missing_ok: bool = False,
    ) -> tuple[int, bytes, str]:
        """Send a request, retrying transient faults; return (status, body, content type).

        Parameters
        ----------
        method, url, body, headers
            The request; it must do no harm if carried out twice (every request of a
            push is written so), since an attempt whose answer was lost is sent again.
        missing_ok
            Whether HTTP 404 is an answer (returned) rather than an error.

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
                answer_lost = answer_lost or not isinstance(reason, ConnectionRefusedError)
                if last or not _transient(reason):
                    tries = f" (tried {attempt + 1} times)" if attempt else ""
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
    ) -> PushError:
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

    def load_graph(self, graph: str, data: Graph) -> None:
        """Replace ``graph`` on the store with ``data`` (Graph Store PUT, else Update).

        Through SPARQL Update, the graph is dropped, then filled by ``INSERT DATA``
        requests; the triples with blank nodes all go in the first request, so that each
        blank node stays one node.
        """
        if self.endpoints.graph_store is not None:
            self.put_graph(graph, ntriples(data))
            return
        with_bnodes = [t for t in data if any(isinstance(x, BNode) for x in t)]
        ground = [t for t in data if not any(isinstance(x, BNode) for x in t)]
        first, rest = ground[:_INSERT_CHUNK], ground[_INSERT_CHUNK:]
        requests = [f"DROP SILENT GRAPH <{graph}>"]
        if with_bnodes:
            requests.append(_insert(graph, with_bnodes))
        if first:
            requests.append(_insert(graph, first))
        self.update(" ;\n".join(requests))
        for start in range(0, len(rest), _INSERT_CHUNK):
            self.update(_insert(graph, rest[start : start + _INSERT_CHUNK]))


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
    return f"unreachable ({_one_line(reason)})"


def ntriples(graph: Graph) -> bytes:
    """Serialise ``graph`` as N-Triples (UTF-8)."""
    return graph.serialize(format="nt", encoding="utf-8")


def _insert(graph: str, triples: Sequence[tuple[Any, Any, Any]]) -> str:
    """Write an update adding ``triples`` to ``graph``.

    ``INSERT DATA`` where there is no blank node; else ``INSERT { ... } WHERE {}``,
    whose template makes one new node per blank node label (Virtuoso refuses blank
    nodes in ``INSERT DATA``).
    """
    lines = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)
    if any(isinstance(term, BNode) for triple in triples for term in triple):
        return f"INSERT {{ GRAPH <{graph}> {{\n{lines}\n}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{lines}\n}} }}"


# ---------------------------------------------------------------------------
# The push
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PushedGraph:
    """One target graph of a push: its IRI, its staging graph and its triples."""

    target: str
    staging: str
    triples: int


@dataclass(frozen=True)
class PushReport:
    """What a push did."""

    store: str
    method: str
    graphs: tuple[PushedGraph, ...]

    @property
    def triples(self) -> int:
        """Triples pushed, summed over the target graphs."""
        return sum(g.triples for g in self.graphs)

    def format(self) -> str:
        """One line per target graph, then a total."""
        width = max((len(g.target) for g in self.graphs), default=0)
        lines = [f"{g.target.ljust(width)}  {g.triples:>6} triples" for g in self.graphs]
        graphs = f"{len(self.graphs)} graph{'' if len(self.graphs) == 1 else 's'}"
        lines.append(
            f"pushed {self.triples} triples in {graphs} to {self.store} (replaced by {self.method})"
        )
        return "\n".join(lines)


def _plan(dataset: Dataset, graph: str | None) -> list[tuple[str, Graph]]:
    if graph is not None:
        return [(graph, union_graph(dataset))]
    return [(str(g.identifier), g) for g in named_graphs(dataset)]


def push(
    dataset: Dataset,
    endpoints: Endpoints,
    *,
    graph: str | None = None,
    credentials: Credentials | None = None,
    retry: RetryPolicy | None = None,
    progress: Callable[[str], None] | None = None,
    client: StoreClient | None = None,
) -> PushReport:
    """Load ``dataset`` into a remote store, all or nothing (see the module docstring).

    Parameters
    ----------
    dataset
        The dataset, as :func:`clustergraph.pipeline.load.load` returns it.
    endpoints
        The store (see :meth:`Endpoints.infer`).
    graph
        The target graph for the union of the named graphs; none: each named graph goes
        to the graph of the same IRI.
    credentials
        For stores that ask for them (see :meth:`Credentials.from_env`).
    retry
        Retries and timeouts.
    progress
        Called with ``"staged"``, ``"verified"``, ``"replaced"`` after each step.
    client
        The HTTP client (default: one made from the other arguments).

    Returns
    -------
    PushReport
        The target graphs and their triples.

    Raises
    ------
    PushError
        If any step fails; the message names the step and the cause and says whether
        the targets are unchanged and whether staging graphs were left on the store.
    """
    if not any(True for _ in named_graphs(dataset)):
        raise InputError("the dataset is empty: nothing to push")
    if graph is not None:
        from clustergraph.rdf.terms import parse_iri

        bare = graph[1:-1] if graph.startswith("<") and graph.endswith(">") else graph
        graph = str(parse_iri(f"<{bare}>", {}))  # an absolute IRI, no prefixed name
    client = client or StoreClient(endpoints, credentials=credentials, retry=retry)
    notify = progress or (lambda step: None)
    token = secrets.token_hex(6)
    plan = _plan(dataset, graph)
    pushed = tuple(PushedGraph(t, staging_iri(t, token), len(g)) for t, g in plan)
    store = endpoints.graph_store or endpoints.update or ""
    method = "SPARQL Update" if endpoints.update is not None else "PUT"
    step = "loading the staging graphs"
    attempted: list[str] = []  # staging graphs that may exist on the store
    try:
        for item, (_, data) in zip(pushed, plan, strict=True):
            attempted.append(item.staging)
            answered = client.answered
            try:
                client.load_graph(item.staging, data)
            except (AuthError, StoreError):
                if client.answered == answered:
                    attempted.pop()  # its first request was refused: nothing was written
                raise
        notify("staged")
        step = "checking the staging graphs"
        counts = client.counts([p.staging for p in pushed])
        for item in pushed:
            if counts[item.staging] != item.triples:
                raise VerifyError(
                    f"staging graph <{item.staging}> holds {counts[item.staging]} triples, "
                    f"{item.triples} were sent"
                )
        notify("verified")
        step = "replacing the target graphs"
        if endpoints.update is not None:
            _replace_by_update(client, pushed)
        else:
            _replace_by_put(client, pushed, plan)
    except PushError as exc:
        raise _failed(client, attempted, step, exc, store) from exc
    notify("replaced")
    _drop_quietly(client, [p.staging for p in pushed if method == "PUT"])
    return PushReport(store, method, pushed)


def replace_update(pushed: Sequence[PushedGraph]) -> str:
    """Write the one SPARQL Update request that moves each staging graph onto its target.

    For each target: delete its triples if its staging graph holds any, add the staging
    graph, drop the staging graph. This is ``MOVE`` made safe to send twice: once the
    staging graph is gone, the request changes nothing, where a second ``MOVE`` would
    fail on Oxigraph and, on Virtuoso, empty the target (Virtuoso moves a missing graph
    as an empty one).

    Examples
    --------
    >>> print(replace_update([PushedGraph("urn:t", "urn:s", 1)]))
    DELETE { GRAPH <urn:t> { ?s ?p ?o } } WHERE { GRAPH <urn:t> { ?s ?p ?o } FILTER EXISTS { GRAPH <urn:s> { ?a ?b ?c } } } ;
    ADD SILENT GRAPH <urn:s> TO GRAPH <urn:t> ;
    DROP SILENT GRAPH <urn:s>
    """  # noqa: E501
    operations = []
    for p in pushed:
        operations += [
            f"DELETE {{ GRAPH <{p.target}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{p.target}> "
            f"{{ ?s ?p ?o }} FILTER EXISTS {{ GRAPH <{p.staging}> {{ ?a ?b ?c }} }} }}",
            f"ADD SILENT GRAPH <{p.staging}> TO GRAPH <{p.target}>",
            f"DROP SILENT GRAPH <{p.staging}>",
        ]
    return " ;\n".join(operations)


def _replace_by_update(client: StoreClient, pushed: Sequence[PushedGraph]) -> None:
    try:
        client.update(replace_update(pushed))
    except StoreUnreachableError as exc:
        if not exc.answer_lost:
            raise  # every attempt was refused: nothing reached the store
        # An answer was lost: look whether the replace happened before saying anything.
        try:
            staged = client.counts([p.staging for p in pushed])
            targets = client.counts([p.target for p in pushed])
        except PushError:
            raise StoreUnreachableError(
                f"{exc}; the store did not answer afterwards, so whether the targets were "
                "replaced is unknown",
                targets_unchanged=None,
            ) from exc
        if all(staged[p.staging] == 0 and targets[p.target] == p.triples for p in pushed):
            return  # it did
        if all(staged[p.staging] == p.triples for p in pushed):
            raise  # it did not
        raise StoreError(
            f"{exc}; the store is in an unexpected state", targets_unchanged=None
        ) from exc


def _replace_by_put(
    client: StoreClient, pushed: Sequence[PushedGraph], plan: Sequence[tuple[str, Graph]]
) -> None:
    """Replace each target by a PUT; on a failure, put back what the targets held.

    The copies are taken (GET) before the first PUT. The target whose PUT failed is put
    back too: a PUT whose answer was lost may have been carried out.
    """
    backups = {p.target: client.get_graph(p.target) for p in pushed}
    touched: list[str] = []
    try:
        for item, (_, data) in zip(pushed, plan, strict=True):
            touched.append(item.target)
            client.put_graph(item.target, ntriples(data))
    except PushError as exc:
        failed_restores = []
        for target in touched:
            try:
                old = backups[target]
                if old is None:
                    client.delete_graph(target)
                else:
                    client.put_graph(target, old)
            except PushError:
                failed_restores.append(target)
        if failed_restores:
            restored = ", ".join(f"<{t}>" for t in failed_restores)
            raise type(exc)(
                f"{exc}; could not put back {restored}", targets_unchanged=None
            ) from exc
        raise


def _drop_quietly(client: StoreClient, graphs: Sequence[str]) -> list[str]:
    """Delete ``graphs``; return those that could not be deleted.

    Once the store cannot be reached, the rest are not tried (each would wait through
    every retry).
    """
    left: list[str] = []
    unreachable = False
    for graph in graphs:
        if unreachable:
            left.append(graph)
            continue
        try:
            client.delete_graph(graph)
        except StoreUnreachableError:
            unreachable = True
            left.append(graph)
        except PushError:
            left.append(graph)
    return left


def _failed(
    client: StoreClient, staging: Sequence[str], step: str, exc: PushError, store: str
) -> PushError:
    left = _drop_quietly(client, staging)
    message = f"push to {store} failed while {step}: {exc}"
    if exc.targets_unchanged:
        message += "; the target graphs are unchanged"
    if left:
        message += "; staging graphs left on the store: " + " ".join(f"<{g}>" for g in left)
    error = type(exc)(message, targets_unchanged=exc.targets_unchanged)
    if isinstance(exc, StoreUnreachableError) and isinstance(error, StoreUnreachableError):
        error.answer_lost = exc.answer_lost
    return error
