"""Push the dataset from one store into a remote triple store, all or nothing.

:func:`push` reads the data graphs of a source store
(:func:`clustergraph.pipeline.export.data_graphs`: stated and derived facts, not the
manifest), writes each as N-Triples, and hands them to
:meth:`clustergraph.store.remote.RemoteStore.replace_graphs`, which stages them, checks
the staged counts, and replaces the targets in one transaction (see
:mod:`clustergraph.store.remote`); on any failure the targets are left as they were.
Without a target graph each named graph goes to the graph of the same IRI, as in the
N-Quads export; with one (``--graph IRI``), the union of the graphs goes there.

The target is reached through the `SPARQL 1.1 Graph Store HTTP Protocol`_ and
`SPARQL 1.1 Update`_ (:func:`target_store` finds the endpoints a store has from the one
given):

========  ===========================================  ===================================
store     ``--graph-store``                            ``--update``
========  ===========================================  ===================================
Oxigraph  ``http://HOST:PORT/store``                   ``http://HOST:PORT/update``
Virtuoso  ``http://HOST:PORT/sparql-graph-crud-auth``  ``http://HOST:PORT/sparql-auth``
          (HTTP Digest)                                (Digest), or ``/sparql`` once
                                                       ``GRANT SPARQL_UPDATE TO "SPARQL"``
========  ===========================================  ===================================

**Credentials** come from the environment, never from the command line:
``CLUSTERGRAPH_USER`` and ``CLUSTERGRAPH_PASSWORD`` (:data:`USER_ENV`,
:data:`PASSWORD_ENV`), sent only when the store asks (HTTP Digest or Basic).

After a successful push, staging graphs that earlier pushes left on the store (when it,
or the pushing process, died before they could be removed) are removed: those of pushes
from this machine whose process has ended, and any an hour old
(:data:`~clustergraph.store.remote.STALE_AFTER`), so that a push running at the same
time elsewhere keeps its own. :func:`clean` (``push --clean``) removes every staging
graph at once, for when no other push is running.

.. _SPARQL 1.1 Graph Store HTTP Protocol: https://www.w3.org/TR/sparql11-http-rdf-update/
.. _SPARQL 1.1 Update: https://www.w3.org/TR/sparql11-update/

Examples
--------
>>> target_store(graph_store="http://127.0.0.1:7878/store").endpoints
Endpoints(graph_store='http://127.0.0.1:7878/store', update='http://127.0.0.1:7878/update', query='http://127.0.0.1:7878/query')
>>> target_store(graph_store="http://127.0.0.1:8890/sparql-graph-crud-auth").endpoints.update
'http://127.0.0.1:8890/sparql-auth'
>>> scoped_query_url("http://h/sparql", ["urn:a"])
'http://h/sparql?default-graph-uri=urn%3Aa&named-graph-uri=urn%3Aa'
"""  # noqa: E501

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from clustergraph.errors import InputError, PushError, StoreError
from clustergraph.pipeline.export import data_graphs
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.terms import parse_iri
from clustergraph.store.base import Store
from clustergraph.store.client import (
    PASSWORD_ENV,
    USER_ENV,
    Credentials,
    Endpoints,
    RetryPolicy,
    scoped_query_url,
)
from clustergraph.store.remote import STALE_AFTER, RemoteStore, Staged

__all__ = [
    "PASSWORD_ENV",
    "USER_ENV",
    "PushReport",
    "clean",
    "push",
    "scoped_query_url",
    "target_store",
]


def target_store(
    *,
    graph_store: str | None = None,
    update: str | None = None,
    query: str | None = None,
    retries: int = 3,
    timeout: float = 30.0,
    credentials: Credentials | None = None,
) -> RemoteStore:
    """Open the remote store to push to, from its Graph Store or update endpoint.

    The endpoints not given are found from those given where the store's layout tells
    them (:meth:`clustergraph.store.client.Endpoints.infer`); credentials come from the
    environment unless given.

    Parameters
    ----------
    graph_store, update, query
        The store's Graph Store, SPARQL Update and query endpoints (one of the first two).
    retries, timeout
        Retries of a request after a transient fault, and seconds to wait for each answer.
    credentials
        The user and password (default: :meth:`Credentials.from_env`).

    Raises
    ------
    InputError
        If neither a Graph Store nor an update endpoint is given, an endpoint is not an
        http(s) URL, the query endpoint cannot be told, only one of the two credential
        variables is set, or ``retries``/``timeout`` are out of range.
    """
    if retries < 0 or timeout <= 0:
        raise InputError("--retries must be 0 or more and --timeout more than 0")
    endpoints = Endpoints.infer(graph_store=graph_store, update=update, query=query)
    return RemoteStore(
        endpoints,
        credentials=credentials if credentials is not None else Credentials.from_env(),
        retry=RetryPolicy(retries=retries, timeout=timeout),
    )


@dataclass(frozen=True)
class PushReport:
    """What a push did.

    Attributes
    ----------
    store
        The endpoint written to (Graph Store, else update endpoint).
    method
        How the targets were replaced: ``"SPARQL Update"`` (one transaction) or ``"PUT"``.
    graphs
        Each target graph, its staging graph and its triples.
    stale_removed
        Staging graphs of earlier, interrupted pushes that were removed.
    """

    store: str
    method: str
    graphs: tuple[Staged, ...]
    stale_removed: tuple[str, ...] = ()

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
        if self.stale_removed:
            lines.append(
                f"removed {len(self.stale_removed)} staging graphs earlier pushes left behind"
            )
        return "\n".join(lines)


def _ntriples(store: Store, graphs: list[str]) -> bytes:
    buffer = io.BytesIO()
    store.dump(buffer, RdfFormat.NTRIPLES, graphs=graphs)
    return buffer.getvalue()


def push(
    source: Store,
    target: RemoteStore,
    *,
    graph: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> PushReport:
    """Replace graphs of ``target`` with the data graphs of ``source``, all or nothing.

    Parameters
    ----------
    source
        The store to read (for the project: synced, so stated and derived facts).
    target
        The remote store to write (see :func:`target_store`).
    graph
        The target graph for the union of the data graphs (an absolute IRI, with or
        without angle brackets); none: each graph goes to the graph of the same IRI.
    progress
        Called with ``"staged"``, ``"verified"``, ``"replaced"`` after each step.

    Returns
    -------
    PushReport
        The target graphs and their triples.

    Raises
    ------
    InputError
        If ``source`` holds no data graph, or ``graph`` is not an absolute IRI.
    PushError
        If any step fails: one line, ``push to URL failed while STEP: CAUSE``, saying
        whether the targets are unchanged and whether staging graphs were left on the
        store. Its ``targets_unchanged`` says the same; the error of the store (an
        :class:`~clustergraph.errors.AuthError`, a
        :class:`~clustergraph.errors.StoreUnreachableError`, ...) is its ``__cause__``.
    """
    names = data_graphs(source)
    if not names:
        raise InputError(f"{source.location} holds no data: nothing to push")
    if graph is not None:
        bare = graph[1:-1] if graph.startswith("<") and graph.endswith(">") else graph
        graph = parse_iri(f"<{bare}>", {}).value  # an absolute IRI, no prefixed name
        data = {graph: _ntriples(source, names)}
    else:
        data = {name: _ntriples(source, [name]) for name in names}
    endpoints = target.endpoints
    where = endpoints.graph_store or endpoints.update or target.location
    method = "SPARQL Update" if endpoints.update is not None else "PUT"
    try:
        staged = target.replace_graphs(data, progress=progress, action="push")
    except PushError:
        raise
    except StoreError as exc:
        message = str(exc)
        if not message.startswith("push to "):
            message = f"push to {where} failed: {message}"
        raise PushError(message, targets_unchanged=exc.targets_unchanged) from exc
    try:
        stale = tuple(target.remove_stale_staging(older_than=STALE_AFTER))
    except StoreError:  # cleaning up is a courtesy: the push itself is done
        stale = ()
    return PushReport(where, method, staged, stale)


def clean(target: RemoteStore) -> list[str]:
    """Remove every staging graph earlier pushes left on ``target`` (``push --clean``).

    Only for when no other push to the store is running: its staging graphs would be
    removed too (that push would then fail its check, leaving its targets unchanged).

    Returns
    -------
    list of str
        The staging graphs removed.

    Raises
    ------
    PushError
        If the store cannot be read or written (one line).
    """
    where = target.endpoints.graph_store or target.endpoints.update or target.location
    try:
        return target.remove_stale_staging(older_than=0.0)
    except StoreError as exc:
        raise PushError(f"cleaning {where} failed: {exc}") from exc
