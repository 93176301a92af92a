"""A remote store: any SPARQL 1.1 endpoint, writable through Update and the Graph Store Protocol.

Reads go to the query endpoint (the SPARQL 1.1 Protocol, POST); writes to the update
endpoint (SPARQL 1.1 Update) or the Graph Store endpoint (``PUT``/``GET``/``DELETE``). A
store known only by its query endpoint (a QLever-style public endpoint) is read-only.
Oxigraph's and Virtuoso's endpoints are told from one another by their paths
(:meth:`clustergraph.store.client.Endpoints.infer`).

**Replacing graphs, all or nothing.** :meth:`RemoteStore.replace_graphs` runs in four
steps:

1. *stage*: each graph is loaded into a staging graph
   (:func:`staging_iri`: ``graph/staging/<token>/<target>``, the token starting with
   the time of the replace);
2. *verify*: the staging graphs' triples are counted on the store (a SPARQL ``COUNT``
   on the query endpoint, else a ``GET`` of the graph) and must equal what was sent;
3. *replace*: with an update endpoint, one SPARQL Update request moves every staging
   graph onto its target (:func:`replace_update`: a ``MOVE`` that is safe to send twice):
   one transaction on Oxigraph and on Virtuoso, so all targets change together or none
   does. Virtuoso refuses such a request beyond about 200 graphs, so more than
   :data:`GROUP_SIZE` targets are first copied into backup graphs (``COPY``), then
   replaced a group at a time; if a group fails, the targets of the groups sent so far
   are put back from their copies. With the Graph Store protocol alone, each target is
   replaced by a ``PUT`` of the verified data; if one fails, the targets already
   replaced, and the one that failed, are put back from copies taken (``GET``) before
   the first ``PUT``. The targets are then counted;
4. *clean up*: the staging graphs are deleted.

A graph given empty data is dropped, in the same request. Any failure raises a
:class:`~clustergraph.errors.StoreError` (one line: which step failed and why) after
deleting the staging graphs; the targets are left as they were. Staging graphs a dead
store (or a killed process) kept are found by their namespace and token
(:func:`new_token`: ``<time>-<machine>-<process>-<nonce>``) and removed
(:meth:`RemoteStore.remove_stale_staging`; a push does it after it succeeded) once the
process that made them has ended (on this machine) or they are older than
:data:`STALE_AFTER` (from another machine), so that a replace running at the same time
keeps its own. If the replace
fails after an answer was lost, the store is looked at to tell whether it happened.

Examples
--------
>>> staging_iri("https://w3id.org/clustergraph/graph/source/x", "1700000000-0a1b")
'https://w3id.org/clustergraph/graph/staging/1700000000-0a1b/https%3A%2F%2Fw3id.org%2Fclustergraph%2Fgraph%2Fsource%2Fx'
>>> print(replace_update([Staged("urn:t", "urn:s", 1), Staged("urn:e", "urn:f", 0)]))
DELETE { GRAPH <urn:t> { ?s ?p ?o } } WHERE { GRAPH <urn:t> { ?s ?p ?o } FILTER EXISTS { GRAPH <urn:s> { ?a ?b ?c } } } ;
ADD SILENT GRAPH <urn:s> TO GRAPH <urn:t> ;
DROP SILENT GRAPH <urn:s> ;
DROP SILENT GRAPH <urn:e>
"""  # noqa: E501

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO

import pyoxigraph as ox

from clustergraph.errors import (
    InputError,
    StoreError,
    StoreUnreachableError,
    VerifyError,
)
from clustergraph.project.layout import (
    GRAPH_NS,
    MANIFEST_GRAPH,
    is_derived_graph,
    is_stated_graph,
)
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.terms import Term, n3
from clustergraph.store.base import AskResult, GraphResult, Result, ResultsFormat, SelectResult
from clustergraph.store.client import Credentials, Endpoints, RetryPolicy, StoreClient
from clustergraph.store.results import write_results
from clustergraph.store.sparql import bind_values, check_shape, has_keyword, query_form

STAGING_NS = GRAPH_NS + "staging/"
"""Namespace of staging graphs: ``staging/<token>/<target, percent-encoded>``."""

STALE_AFTER = 3600.0
"""Seconds after which a staging graph is stale: no replace takes that long to finish."""

GROUP_SIZE = 100
"""Targets replaced by one update request (Virtuoso 7 refuses one of about 300)."""

UNION_GRAPH = GRAPH_NS + "union"
"""The graph where a writable remote store keeps the union of its data graphs, each
triple once (:meth:`RemoteStore.refresh_union`)."""

UNION_STATE = GRAPH_NS + "union-state"
"""The graph that says :data:`UNION_GRAPH` is current, and which graphs it unites; it
exists only while the union is current."""

UNION_MEMBERS = UNION_STATE + "#members"
"""The property whose value (a JSON list) names the graphs the union unites."""

UNION_IN = UNION_STATE + "#in"
"""The property that says where the union is: ``"default"`` (the server's own default
graph) or ``"named"`` (:data:`UNION_GRAPH`)."""

UNION_DIRTY = UNION_STATE + "#dirty"
"""The property whose value (a JSON list) names the graphs written since the union was
current: the union holds what the other data graphs state."""

UNION_ROWS = 50_000
"""Triples copied into the union by one update request (a store may cap the rows of one
request: Virtuoso's ``ResultSetMaxRows``)."""

_BOOKKEEPING = (UNION_GRAPH, UNION_STATE)

_DATA_FILTER = (
    f'(STRSTARTS(STR(?h), "{GRAPH_NS}source/") || STRSTARTS(STR(?h), "{GRAPH_NS}vocab/") '
    f'|| STRSTARTS(STR(?h), "{GRAPH_NS}derived/") || ?h = <{GRAPH_NS}ontology>)'
)
"""SPARQL: whether the graph ``?h`` is a data graph (:func:`_is_data`)."""


@dataclass(frozen=True)
class _UnionState:
    """The state of a remote store's union: ``current``, ``dirty`` (and its graphs), ``absent``.

    ``where`` is ``"default"`` or ``"named"`` (see :meth:`RemoteStore._placement`), or
    ``None`` where the store never kept a union.
    """

    kind: str = "absent"
    graphs: tuple[str, ...] = ()
    where: str | None = None


def _in_union(where: str | None) -> str:
    """SPARQL: the triple pattern ``?s ?p ?o`` in the union, wherever it is."""
    return "?s ?p ?o" if where == "default" else f"GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }}"


def _drop_union(where: str | None) -> str:
    """SPARQL Update: empty the union, wherever it is."""
    return "DROP SILENT DEFAULT" if where == "default" else f"DROP SILENT GRAPH <{UNION_GRAPH}>"


def _is_data(graph: str) -> bool:
    """Whether ``graph`` is one the remote union unites: a stated or derived graph."""
    return is_stated_graph(graph) or is_derived_graph(graph)


_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
_RESULTS_ACCEPT = "application/sparql-results+json"


def staging_iri(target: str, token: str) -> str:
    """Return the staging graph of ``target`` for the replace with ``token``."""
    return f"{STAGING_NS}{token}/{urllib.parse.quote(target, safe='')}"


def _host() -> str:
    """Return a short id of this machine (and boot), to tell its pushes from others'."""
    name = socket.gethostname()
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as stream:
            name += stream.read().strip()
    except OSError:
        pass
    return hashlib.sha256(name.encode()).hexdigest()[:8]


def new_token(now: float | None = None, *, pid: int | None = None) -> str:
    """Return a token for a replace: the time (Unix seconds), the machine, the process, a nonce.

    The machine and process id let a later replace on the same machine tell a replace
    that died (its process is gone) from one still running.

    Examples
    --------
    >>> new_token(1700000000.5)[:11]
    '1700000000-'
    >>> len(new_token(1700000000, pid=42).split("-"))
    4
    """
    when = int(time.time() if now is None else now)
    process = os.getpid() if pid is None else pid
    return f"{when}-{_host()}-{process}-{secrets.token_hex(4)}"


def _token(staging: str) -> str:
    return staging[len(STAGING_NS) :].split("/", 1)[0]


def staged_at(staging: str) -> float | None:
    """Return when the replace that made a staging graph started (None: not told).

    Examples
    --------
    >>> staged_at(STAGING_NS + "1700000000-0a1b2c3d/urn%3Ax")
    1700000000.0
    >>> staged_at(STAGING_NS + "0a1b2c3d4e5f/urn%3Ax") is None
    True
    """
    seconds, dash, _ = _token(staging).partition("-")
    return float(seconds) if dash and seconds.isdigit() else None


def _process_ended(staging: str) -> bool:
    """Whether the staging graph was made on this machine by a process no longer running."""
    parts = _token(staging).split("-")
    if len(parts) != 4 or parts[1] != _host() or not parts[2].isdigit():
        return False
    pid = int(parts[2])
    if pid == os.getpid():
        return True  # this process runs one replace at a time: an earlier one left it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists (another user's)
    return False


@dataclass(frozen=True)
class Staged:
    """One target graph of a replace: its IRI, its staging graph and its triples."""

    target: str
    staging: str
    triples: int


def replace_update(staged: Sequence[Staged]) -> str:
    """Write the one SPARQL Update request that moves each staging graph onto its target.

    For each target: delete its triples if its staging graph holds any, add the staging
    graph, drop the staging graph; a target given no triples is dropped. This is
    ``MOVE`` made safe to send twice: once the staging graph is gone, the request
    changes nothing, where a second ``MOVE`` would fail on Oxigraph and, on Virtuoso,
    empty the target (Virtuoso moves a missing graph as an empty one).
    """
    operations = []
    for p in staged:
        if not p.triples:
            operations.append(f"DROP SILENT GRAPH <{p.target}>")
            continue
        operations += [
            f"DELETE {{ GRAPH <{p.target}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{p.target}> "
            f"{{ ?s ?p ?o }} FILTER EXISTS {{ GRAPH <{p.staging}> {{ ?a ?b ?c }} }} }}",
            f"ADD SILENT GRAPH <{p.staging}> TO GRAPH <{p.target}>",
            f"DROP SILENT GRAPH <{p.staging}>",
        ]
    return " ;\n".join(operations)


def backup_iri(target: str, token: str) -> str:
    """Return the graph that keeps the old content of ``target`` during a grouped replace."""
    return staging_iri(target, f"{token}/backup")


def _groups(items: Sequence[Staged], size: int) -> list[Sequence[Staged]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _triples(data: bytes) -> int:
    """Count the triples of N-Triples ``data`` (a set: a repeated line counts once)."""
    return len({line.strip() for line in data.splitlines() if line.strip()})


class RemoteStore:
    """A remote SPARQL 1.1 store.

    Parameters
    ----------
    endpoints
        Its query, update and Graph Store URLs (see :meth:`Endpoints.infer`).
    credentials
        Sent when the store asks for them (see :meth:`Credentials.from_env`).
    retry
        Retries and timeouts.
    client
        The HTTP client (default: one made from the other arguments; tests pass one
        whose waits are fake).
    """

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        credentials: Credentials | None = None,
        retry: RetryPolicy | None = None,
        client: StoreClient | None = None,
    ) -> None:
        self.endpoints = endpoints
        self.client = client or StoreClient(endpoints, credentials=credentials, retry=retry)
        self.location = endpoints.query or endpoints.update or endpoints.graph_store or ""
        self.writable = endpoints.update is not None or endpoints.graph_store is not None
        self.local = False
        self._state: _UnionState | None = None  # the union's, once read
        self._data_graphs: tuple[str, ...] | None = None  # while the union is not current

    def __repr__(self) -> str:
        """Show where the store is."""
        return f"RemoteStore({self.location!r})"

    def __enter__(self) -> RemoteStore:
        """Use the store in a ``with`` block."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Release the store."""
        self.close()

    # -- reading ---------------------------------------------------------------

    def _need_query(self) -> None:
        if self.endpoints.query is None:
            raise InputError(f"{self.location}: no query endpoint is known for this store")

    # -- the union of the data graphs -----------------------------------------

    @property
    def union_current(self) -> bool:
        """Whether the store's union of its data graphs is current (read once)."""
        return self._union_state().kind == "current"

    def _union_state(self) -> _UnionState:
        if self._state is None:
            self._state = self._read_union_state()
        return self._state

    def _read_union_state(self) -> _UnionState:
        if self.endpoints.query is None:
            return _UnionState()
        body, _ = self.client.query(
            f"SELECT ?p ?m WHERE {{ GRAPH <{UNION_STATE}> {{ <{UNION_GRAPH}> ?p ?m }} }}",
            accept=_RESULTS_ACCEPT,
        )
        try:
            answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            assert isinstance(answer, ox.QuerySolutions)
            said = {s["p"].value: s["m"].value for s in answer if s["p"] and s["m"]}
            where = said.get(UNION_IN)
            if where not in ("default", "named"):
                return _UnionState()
            for kind, what in (("current", UNION_MEMBERS), ("dirty", UNION_DIRTY)):
                if what in said:
                    graphs = json.loads(said[what])
                    if isinstance(graphs, list) and all(isinstance(g, str) for g in graphs):
                        return _UnionState(kind, tuple(graphs), where)
        except (SyntaxError, ValueError, OSError, AssertionError):
            pass  # no state this version wrote: the engine's own union is read
        return _UnionState(where=where if where in ("default", "named") else None)

    def _state_update(self, state: _UnionState) -> str:
        """Return the update operations that record the union's state."""
        lines = [f'<{UNION_GRAPH}> <{UNION_IN}> "{state.where}" .']
        if state.kind in ("current", "dirty"):
            record = n3(ox.Literal(json.dumps(sorted(state.graphs), separators=(",", ":"))))
            what = UNION_MEMBERS if state.kind == "current" else UNION_DIRTY
            lines.append(f"<{UNION_GRAPH}> <{what}> {record} .")
        return (
            f"DROP SILENT GRAPH <{UNION_STATE}> ;\n"
            f"INSERT DATA {{ GRAPH <{UNION_STATE}> {{ {' '.join(lines)} }} }}"
        )

    def _placement(self) -> str:
        """Say where the union goes: the server's own default graph, if it has one, else a graph.

        An Oxigraph server started without ``--union-default-graph`` keeps a default graph
        of its own, empty unless written: the union goes there, and queries are asked
        with no dataset, as of the embedded store. A server whose default graph is the
        union of its graphs (Virtuoso; Oxigraph with ``--union-default-graph``) gets it in
        :data:`UNION_GRAPH`, named as the default graph of each query.
        """
        state = self._union_state()
        if state.where is not None:
            return state.where
        # A triple of a named graph missing from the default graph: the default graph is
        # the server's own (empty: nothing here writes it before this).
        own = self._query(
            "ASK { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }", None, whole=True
        )
        return "default" if bool(own) else "named"

    def refresh_union(self) -> None:
        """Write the union of the data graphs, each triple once, unless it is current.

        Each triple once, however many graphs state it: the server's own union default
        graph (Oxigraph's ``--union-default-graph``, Virtuoso's default graph) repeats a
        triple once per graph stating it, and joins around an entity many sources name
        grow with the square of that. The data graphs are the stated and derived graphs
        of the project's layout. The union goes into the server's own default graph, or
        into :data:`UNION_GRAPH` (:meth:`_placement`); :data:`UNION_STATE` says where,
        whether it is current and which graphs it unites. Queries then read it as their
        default graph (through the protocol's ``default-graph-uri`` where it is a named
        graph, with the data graphs and the manifest as ``named-graph-uri``).

        A write to data graphs through this class first takes from the union what only
        those graphs state and marks them *dirty* in the state (one request, see
        :meth:`_unite_less`); the refresh then adds what the dirty graphs hold now, and
        says the union is current, in one request. Without a union (or after a write
        whose graphs are not known) the union is written whole, a group of graphs at a
        time (:data:`UNION_ROWS` triples at most each), the state last. Nothing to do
        without an update endpoint.
        """
        if self.endpoints.update is None or self.endpoints.query is None:
            return
        state = self._union_state()
        if state.kind == "current":
            return
        where = self._placement()
        counts = self._graph_counts()
        members = tuple(sorted(g for g in counts if _is_data(g)))
        current = _UnionState("current", members, where)
        if state.kind == "dirty" and sum(counts.get(g, 0) for g in state.graphs) <= UNION_ROWS:
            present = [g for g in state.graphs if g in counts]
            ops = []
            if present:
                listed = " ".join(f"<{g}>" for g in present)
                ops.append(
                    f"INSERT {{ {_in_union(where)} }} WHERE {{ "
                    f"VALUES ?g {{ {listed} }} GRAPH ?g {{ ?s ?p ?o }} }}"
                )
            self.client.update(" ;\n".join([*ops, self._state_update(current)]))
            self._state = current
            return
        self.client.update(
            f"{_drop_union(where)} ;\n{self._state_update(_UnionState(where=where))}"
        )
        self._state = _UnionState(where=where)
        group: list[str] = []
        held = 0
        for graph in [*members, None]:
            if graph is not None and (not group or held + counts[graph] <= UNION_ROWS):
                group.append(graph)
                held += counts[graph]
                continue
            if group:
                listed = " ".join(f"<{g}>" for g in group)
                self.client.update(
                    f"INSERT {{ {_in_union(where)} }} WHERE {{ "
                    f"VALUES ?g {{ {listed} }} GRAPH ?g {{ ?s ?p ?o }} }}"
                )
            if graph is not None:
                group, held = [graph], counts[graph]
        self.client.update(self._state_update(current))
        self._state = current

    def _unite_less(self, graphs: Iterable[str] | None) -> None:
        """Before a write to ``graphs`` (``None``: not known), keep the union consistent.

        The union is kept as the union of the data graphs that are not dirty: what only
        ``graphs`` (and graphs already dirty) state leaves it, and ``graphs`` become
        dirty, in one request (one transaction on Oxigraph and on Virtuoso). A write whose
        graphs are not known, or a store with no update endpoint, removes the union.
        """
        data = None if graphs is None else [g for g in graphs if _is_data(g)]
        if data == []:
            return
        state = self._union_state()
        self._data_graphs = None
        if state.kind == "absent" or state.where is None:
            return
        if data is None or self.endpoints.update is None:
            gone = _UnionState(where=state.where)
            if self.endpoints.update is not None:
                self.client.update(f"{_drop_union(state.where)} ;\n{self._state_update(gone)}")
            else:  # a Graph Store alone
                self.client.delete_graph(UNION_STATE)
                if state.where == "named":
                    self.client.delete_graph(UNION_GRAPH)
                gone = _UnionState()
            self._state = gone
            return
        if state.kind == "dirty" and set(data) <= set(state.graphs):
            return  # already out of the union
        now = tuple(sorted({*(state.graphs if state.kind == "dirty" else ()), *data}))
        kept_out = ", ".join(f"<{g}>" for g in [UNION_GRAPH, *now])
        listed = " ".join(f"<{g}>" for g in data)
        dirty = _UnionState("dirty", now, state.where)
        self.client.update(
            f"DELETE {{ {_in_union(state.where)} }} WHERE {{ VALUES ?g {{ {listed} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} "
            f"FILTER({_DATA_FILTER} && ?h NOT IN ({kept_out})) }} }} ;\n"
            + self._state_update(dirty)
        )
        self._state = dirty

    def _dataset(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Return the default and named graphs of a query that names none.

        The union where it is current; while it is not, on a store that keeps one, the
        data graphs themselves (the server's default graph may then hold part of the
        union only); else the server's own dataset.
        """
        state = self._union_state()
        if state.kind == "current":
            if state.where == "default":
                return (), ()
            return (UNION_GRAPH,), (*state.graphs, MANIFEST_GRAPH)
        if state.where is None:
            return (), ()
        if self._data_graphs is None:
            self._data_graphs = tuple(sorted(g for g in self._graph_counts() if _is_data(g)))
        return self._data_graphs, (*self._data_graphs, MANIFEST_GRAPH)

    def _graph_counts(self) -> dict[str, int]:
        """Return the triples of each named graph (bookkeeping graphs included)."""
        result = self._query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            None,
            whole=True,
        )
        assert isinstance(result, SelectResult)
        return {
            row[0].value: int(row[1].value)
            for row in result.rows
            if isinstance(row[0], ox.NamedNode) and row[1] is not None
        }

    def query(
        self,
        text: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        graphs: Sequence[str] | None = None,
    ) -> Result:
        """Send a query; see :meth:`clustergraph.store.base.Store.query`.

        Without ``graphs``, a store whose union is current (:meth:`refresh_union`) is
        asked with that union as the default graph.
        """
        self._need_query()
        if bindings:
            text = bind_values(text, bindings)
        return self._query(text, graphs)

    def _query(self, text: str, graphs: Sequence[str] | None, *, whole: bool = False) -> Result:
        """Send a query: see :meth:`query`; ``whole`` asks it of every graph the store holds.

        The store's own dataset, as for the bookkeeping of writes: staging graphs, counts.
        """
        check_shape(text)
        default: tuple[str, ...] = ()
        named: tuple[str, ...] = ()
        if graphs is None and not whole:
            default, named = self._dataset()
            if default and not has_keyword(text, "GRAPH"):
                named = ()  # no GRAPH: the named graphs are not looked at
        form = query_form(text)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        body, media_type = self.client.query(
            text,
            accept=_GRAPH_ACCEPT if graph_form else _RESULTS_ACCEPT,
            graphs=graphs,
            default=default,
            named=named,
        )
        try:
            if graph_form:
                fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
                triples = tuple(q.triple for q in ox.parse(body, format=fmt))
                return GraphResult(triples)
            try:
                answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                if isinstance(answer, ox.QueryBoolean):
                    return AskResult(bool(answer))
                variables = tuple(v.value for v in answer.variables)
                rows = tuple(tuple(solution) for solution in answer)
            except (SyntaxError, ValueError) as exc:
                if "blank node" not in str(exc) and "bnode" not in str(exc):
                    raise
                # Virtuoso labels blank nodes nodeID://b123: read again with labels RDF takes.
                answer = ox.parse_query_results(
                    _plain_blank_nodes(body), format=ox.QueryResultsFormat.JSON
                )
                assert isinstance(answer, ox.QuerySolutions)
                variables = tuple(v.value for v in answer.variables)
                rows = tuple(tuple(solution) for solution in answer)
        except (SyntaxError, ValueError, OSError) as exc:
            raise StoreError(f"{self.location}: unreadable answer: {_one_line(exc)}") from exc
        if form == "ASK":  # Virtuoso answers an ASK with a one-row table (__ask_retval)
            values = [t.value for row in rows for t in row if t is not None]
            if len(values) > 1:
                raise StoreError(f"{self.location}: an ASK query answered with a table")
            return AskResult(bool(values) and values[0] in ("1", "true"))
        return SelectResult(variables, rows)

    def query_serialized(
        self,
        text: str,
        fmt: ResultsFormat,
        *,
        bindings: Mapping[str, Term] | None = None,
        graphs: Sequence[str] | None = None,
    ) -> bytes:
        """Send a SELECT or ASK query and return the store's answer in ``fmt``, re-written.

        The answer is read and written again, so what comes back is the W3C format
        whatever the store's own dialect.
        """
        result = self.query(text, bindings=bindings, graphs=graphs)
        return write_results(result, fmt)

    def graphs(self) -> list[str]:
        """Return the named graphs holding at least one triple.

        Asked as a count per graph: Virtuoso answers ``SELECT DISTINCT ?g`` over every
        quad a hundred times slower.
        """
        return sorted(g for g in self._graph_counts() if g not in _BOOKKEEPING)

    def quads(
        self,
        subject: Term | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,  # noqa: A002 - RDF's own word
        graph: str | None = None,
    ) -> Iterator[ox.Quad]:
        """Yield the quads that match a pattern, read with one SELECT query."""
        terms = {"s": subject, "p": predicate, "o": object}
        bound = {k: v for k, v in terms.items() if v is not None}
        if graph is not None:
            bound["g"] = ox.NamedNode(graph)
        text = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        if graph is None:
            text = (
                "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in _BOOKKEEPING)})) }}"
            )
        result = self._query(bind_values(text, bound) if bound else text, None, whole=True)
        assert isinstance(result, SelectResult)
        for s, p, o, g in result.rows:
            assert s is not None and p is not None and o is not None and g is not None
            yield ox.Quad(s, p, o, g)  # type: ignore[arg-type]

    def count(self, graph: str | None = None) -> int:
        """Count the triples of ``graph`` (or the quads of all named graphs) on the store."""
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        if not graph:
            where += f" FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in _BOOKKEEPING)}))"
        result = self._query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", None, whole=True)
        assert isinstance(result, SelectResult)
        value = result.rows[0][0] if result.rows else None
        return int(value.value) if value is not None else 0

    def dump(
        self,
        output: IO[bytes],
        fmt: RdfFormat,
        *,
        graphs: Sequence[str] | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        """Write named graphs to ``output``, read graph by graph from the store."""
        quads: list[ox.Quad] = []
        for graph in graphs if graphs is not None else self.graphs():
            result = self._query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                None,
                whole=True,
            )
            assert isinstance(result, GraphResult)
            name = ox.NamedNode(graph)
            quads += [ox.Quad(t.subject, t.predicate, t.object, name) for t in result.triples]
        if fmt.supports_datasets:
            ox.serialize(quads, output, fmt.oxigraph, prefixes=dict(prefixes or {}))
        else:
            triples = sorted({q.triple for q in quads}, key=str)
            ox.serialize(triples, output, fmt.oxigraph, prefixes=dict(prefixes or {}))

    # -- writing ---------------------------------------------------------------

    def _need_writes(self) -> None:
        if not self.writable:
            raise StoreError(
                f"{self.location} is read-only: give its update endpoint (or Graph Store "
                "endpoint) to write to it"
            )

    def update(self, text: str, *, graphs: Iterable[str] | None = None) -> None:
        """Send a SPARQL 1.1 Update request (``graphs``, what it writes, is not needed)."""
        self._need_writes()
        if self.endpoints.update is None:
            raise StoreError(f"{self.location}: no SPARQL Update endpoint is known")
        self._unite_less(None if graphs is None else list(graphs))
        self.client.update(text)

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Delete named graphs (missing ones are ignored), a group a request where it can."""
        self._need_writes()
        names = list(graphs)
        self._unite_less(names)
        if self.endpoints.update is None:
            for graph in names:
                self.client.delete_graph(graph)
            return
        for start in range(0, len(names), GROUP_SIZE):
            group = names[start : start + GROUP_SIZE]
            self.client.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in group))

    def stale_staging_graphs(self, *, older_than: float = 0.0) -> list[str]:
        """Return staging graphs left behind by replaces that died or started long ago.

        A replace whose store (or whose own process) died before it could clean up
        leaves its staging graphs. A staging graph is stale if the replace that made it
        started ``older_than`` seconds ago or more, or ran on this machine in a process
        that has ended (its token names the machine and the process). With
        ``older_than`` of :data:`STALE_AFTER`, a replace running at the same time on
        another machine keeps its own; with 0, every staging graph is stale (only for
        when no other replace is running: ``push --clean``).
        """
        if self.endpoints.query is None:
            return []
        result = self._query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{STAGING_NS}")) }}',
            None,
            whole=True,
        )
        assert isinstance(result, SelectResult)
        found = sorted(row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode))
        before = time.time() - older_than
        return [g for g in found if (staged_at(g) or 0.0) <= before or _process_ended(g)]

    def remove_stale_staging(self, *, older_than: float = 0.0) -> list[str]:
        """Delete the staging graphs earlier replaces left (see :meth:`stale_staging_graphs`).

        Returns
        -------
        list of str
            The staging graphs deleted.
        """
        stale = self.stale_staging_graphs(older_than=older_than)
        left = _drop_quietly(self.client, stale)
        return [g for g in stale if g not in left]

    def replace_graphs(
        self,
        data: Mapping[str, bytes],
        *,
        progress: Callable[[str], None] | None = None,
        action: str = "writing",
    ) -> tuple[Staged, ...]:
        """Replace named graphs with N-Triples ``data``, all of them or none (see above).

        Parameters
        ----------
        data
            Target graph IRI to its N-Triples.
        progress
            Called with ``"staged"``, ``"verified"``, ``"replaced"`` after each step.
        action
            What the caller calls the replace, for the error message: ``"push"`` gives
            ``push to URL failed while ...``.

        Returns
        -------
        tuple of Staged
            The target graphs, their staging graphs and their triples.

        Raises
        ------
        StoreError
            If any step fails; the message names the step and the cause and says whether
            the targets are unchanged and whether staging graphs were left on the store.
        """
        self._need_writes()
        client = self.client
        notify = progress or (lambda step: None)
        token = new_token()
        plan = sorted(data.items())
        staged = tuple(Staged(t, staging_iri(t, token), _triples(d)) for t, d in plan)
        step = "loading the staging graphs"
        attempted: list[str] = []  # staging graphs that may exist on the store
        try:
            for item, (_, body) in zip(staged, plan, strict=True):
                if not item.triples and self.endpoints.update is not None:
                    continue  # nothing to stage: the replace drops the target
                attempted.append(item.staging)
                answered = client.answered
                try:
                    client.load_graph(item.staging, body)
                except StoreError:
                    if client.answered == answered:
                        attempted.pop()  # its first request was refused: nothing was written
                    raise
            notify("staged")
            step = "checking the staging graphs"
            counts = client.counts([p.staging for p in staged if p.staging in attempted])
            for item in staged:
                if item.staging in counts and counts[item.staging] != item.triples:
                    raise VerifyError(
                        f"staging graph <{item.staging}> holds {counts[item.staging]} triples, "
                        f"{item.triples} were sent"
                    )
            notify("verified")
            backups: dict[str, str] = {}
            if self.endpoints.update is not None and len(staged) > GROUP_SIZE:
                step = "copying the target graphs"
                backups = {p.target: backup_iri(p.target, token) for p in staged}
                attempted += backups.values()
                _back_up(client, backups)
            step = "replacing the target graphs"
            self._unite_less(data)  # the union no longer says what the graphs hold
            if backups:
                _replace_in_groups(client, staged, backups, attempted)
            elif self.endpoints.update is not None:
                _replace_by_update(client, staged)
            else:
                _replace_by_put(client, staged, [d for _, d in plan])
            step = "checking the target graphs"
            _check_targets(client, staged)
        except StoreError as exc:
            where = self.endpoints.graph_store or self.endpoints.update or self.location
            raise _failed(client, attempted, step, exc, f"{action} to {where}") from exc
        except KeyboardInterrupt:
            # Before the replace the targets are untouched: take the staging graphs away.
            # Once it is sent, it may be running on the store: leave what it needs.
            if step in _BEFORE_REPLACE:
                _drop_quietly(client, attempted)
            raise
        notify("replaced")
        _clean_up(client, attempted)
        return staged

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""


_BEFORE_REPLACE = frozenset(
    {"loading the staging graphs", "checking the staging graphs", "copying the target graphs"}
)


def _replace_by_update(client: StoreClient, staged: Sequence[Staged]) -> None:
    """Send the replace (:func:`replace_update`); if its answer is lost, look what it did."""
    moved = [p for p in staged if p.triples]
    try:
        client.update(replace_update(staged))
    except StoreUnreachableError as exc:
        if not exc.answer_lost:
            raise  # every attempt was refused: nothing reached the store
        # An answer was lost: look whether the replace happened before saying anything.
        try:
            on_stage = client.counts([p.staging for p in moved])
            targets = client.counts([p.target for p in staged])
        except StoreError:
            raise StoreUnreachableError(
                f"{exc}; the store did not answer afterwards, so whether the targets were "
                "replaced is unknown",
                targets_unchanged=None,
            ) from exc
        if all(on_stage[p.staging] == 0 for p in moved) and all(
            targets[p.target] == p.triples for p in staged
        ):
            return  # it did
        if all(on_stage[p.staging] == p.triples for p in moved):
            raise  # it did not
        raise StoreError(
            f"{exc}; the store is in an unexpected state", targets_unchanged=None
        ) from exc


def _copy_graphs(client: StoreClient, pairs: Sequence[tuple[str, str]]) -> None:
    """Copy graphs (``COPY``: a missing source empties the destination), a group a request."""
    for start in range(0, len(pairs), GROUP_SIZE):
        group = pairs[start : start + GROUP_SIZE]
        client.update(" ;\n".join(f"COPY SILENT GRAPH <{a}> TO GRAPH <{b}>" for a, b in group))


def _back_up(client: StoreClient, backups: Mapping[str, str]) -> None:
    """Copy each target into its backup graph and check the copies by their counts."""
    _copy_graphs(client, sorted(backups.items()))
    targets = client.counts(sorted(backups))
    copies = client.counts(sorted(backups.values()))
    for target, backup in sorted(backups.items()):
        if copies[backup] != targets[target]:
            raise VerifyError(
                f"backup graph <{backup}> holds {copies[backup]} triples, its target "
                f"<{target}> {targets[target]}"
            )


def _replace_in_groups(
    client: StoreClient, staged: Sequence[Staged], backups: Mapping[str, str], attempted: list[str]
) -> None:
    """Replace the targets a group at a time; if a group fails, put back those sent so far.

    If they cannot be put back, their backup graphs hold the only copy of their old
    content: they are taken out of ``attempted`` (the graphs a failure deletes).
    """
    sent: list[Staged] = []
    try:
        for group in _groups(staged, GROUP_SIZE):
            sent += group  # before the request: a group whose answer was lost may be done
            _replace_by_update(client, group)
    except StoreError as exc:
        pairs = [(backups[p.target], p.target) for p in sent]
        try:
            _copy_graphs(client, pairs)
            restored = client.counts([t for _, t in pairs])
            copies = client.counts([b for b, _ in pairs])
            if any(restored[t] != copies[b] for b, t in pairs):
                raise StoreError("the copies do not match")
        except StoreError:
            kept = [backups[p.target] for p in sent]
            attempted[:] = [g for g in attempted if g not in set(kept)]
            raise type(exc)(
                f"{exc}; could not put back the {len(sent)} targets replaced so far: their "
                f"old content is kept in backup graphs such as <{kept[0]}>",
                targets_unchanged=None,
            ) from exc
        raise type(exc)(str(exc), targets_unchanged=True) from exc


def _check_targets(client: StoreClient, staged: Sequence[Staged]) -> None:
    """Count the targets after the replace: each must hold what was sent."""
    if client.endpoints.query is None:
        return
    targets = client.counts([p.target for p in staged])
    for p in staged:
        if targets[p.target] != p.triples:
            raise StoreError(
                f"after the replace, <{p.target}> holds {targets[p.target]} triples, "
                f"{p.triples} were sent (did another process change the store?)",
                targets_unchanged=False,
            )


def _replace_by_put(client: StoreClient, staged: Sequence[Staged], data: Sequence[bytes]) -> None:
    """Replace each target by a PUT; on a failure, put back what the targets held.

    The copies are taken (GET) before the first PUT. The target whose PUT failed is put
    back too: a PUT whose answer was lost may have been carried out.
    """
    backups = {p.target: client.get_graph(p.target) for p in staged}
    touched: list[str] = []
    try:
        for item, body in zip(staged, data, strict=True):
            touched.append(item.target)
            client.put_graph(item.target, body)
    except StoreError as exc:
        failed_restores = []
        for target in touched:
            try:
                old = backups[target]
                if old is None:
                    client.delete_graph(target)
                else:
                    client.put_graph(target, old)
            except StoreError:
                failed_restores.append(target)
        if failed_restores:
            restored = ", ".join(f"<{t}>" for t in failed_restores)
            raise type(exc)(
                f"{exc}; could not put back {restored}", targets_unchanged=None
            ) from exc
        raise


def _clean_up(client: StoreClient, graphs: Sequence[str]) -> None:
    """Drop the staging (and backup) graphs of a replace that succeeded, best effort.

    Where there is an update endpoint they go a group to a request; what cannot be
    dropped is left for a later clean-up (:meth:`RemoteStore.remove_stale_staging`).
    """
    if client.endpoints.update is None:
        _drop_quietly(client, graphs)
        return
    for start in range(0, len(graphs), GROUP_SIZE):
        group = graphs[start : start + GROUP_SIZE]
        try:
            client.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in group))
        except StoreError:
            return


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
        except StoreError:
            left.append(graph)
    return left


def _failed(
    client: StoreClient, staging: Sequence[str], step: str, exc: StoreError, what: str
) -> StoreError:
    left = _drop_quietly(client, staging)
    message = f"{what} failed while {step}: {exc}"
    if exc.targets_unchanged:
        message += "; the target graphs are unchanged"
    if left:
        shown = " ".join(f"<{g}>" for g in left[:3])
        more = f" and {len(left) - 3} more" if len(left) > 3 else ""
        message += f"; staging graphs left on the store: {shown}{more}"
    error = type(exc)(message, targets_unchanged=exc.targets_unchanged)
    if isinstance(exc, StoreUnreachableError) and isinstance(error, StoreUnreachableError):
        error.answer_lost = exc.answer_lost
    return error


def _plain_blank_nodes(body: bytes) -> bytes:
    """Relabel the blank nodes of a JSON results document with labels RDF takes.

    A label becomes ``v`` and its UTF-8 bytes in hex: the same node keeps one label in
    every answer of the store.
    """
    document = json.loads(body)

    def relabel(term: dict[str, object]) -> None:
        if term.get("type") == "bnode" and isinstance(term.get("value"), str):
            term["value"] = "v" + str(term["value"]).encode("utf-8").hex()
        for part in ("subject", "predicate", "object"):  # a triple term's parts
            inner = term.get(part)
            if isinstance(inner, dict):
                relabel(inner)

    for row in document.get("results", {}).get("bindings", []):
        for term in row.values():
            if isinstance(term, dict):
                relabel(term)
    return json.dumps(document).encode("utf-8")


def _one_line(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 300 else text[:297] + "..."
