"""The store every stage reads and writes through, and how to open one.

==========================  ==============================================================
``--store``                 store
==========================  ==============================================================
(none)                      the project's embedded Oxigraph store, ``.clustergraph/store``
``oxigraph:PATH``           an embedded Oxigraph store in directory ``PATH``
``memory:``                 an embedded Oxigraph store in memory (tests, notebooks)
``http(s)://HOST/PATH``     a SPARQL 1.1 endpoint (its query URL); Oxigraph's
                            ``/query`` also gives ``/update`` and ``/store``, so it is
                            writable, others are read-only unless an update endpoint is
                            given
==========================  ==============================================================

See :mod:`clustergraph.store.base` for the :class:`Store` protocol.

Examples
--------
>>> open_store("memory:")
OxigraphStore('memory:')
>>> open_store("http://127.0.0.1:7878/query").writable
True
>>> open_store("https://example.org/sparql").writable
False
>>> open_store("ftp://x")
Traceback (most recent call last):
...
clustergraph.errors.InputError: unknown store 'ftp://x': give memory:, oxigraph:PATH or the http(s) URL of a SPARQL endpoint
"""  # noqa: E501

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from clustergraph.errors import InputError
from clustergraph.store.base import (
    AskResult,
    GraphResult,
    Result,
    ResultsFormat,
    SelectResult,
    Store,
)
from clustergraph.store.oxigraph import OxigraphStore

if TYPE_CHECKING:
    from clustergraph.store.remote import RemoteStore

__all__ = [
    "AskResult",
    "GraphResult",
    "OxigraphStore",
    "RemoteStore",
    "Result",
    "ResultsFormat",
    "SelectResult",
    "Store",
    "is_local",
    "open_store",
]


def __getattr__(name: str) -> Any:
    """Import :class:`RemoteStore` when it is asked for.

    Its HTTP client (``http.client``, ``ssl``, ``email``) is not needed by a command on
    an embedded store.
    """
    if name == "RemoteStore":
        from clustergraph.store.remote import RemoteStore

        return RemoteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_local(spec: str | None) -> bool:
    """Whether ``spec`` names an embedded store (the project's own when ``None``)."""
    return spec is None or spec == "memory:" or spec.startswith("oxigraph:")


def open_store(
    spec: str | None = None,
    *,
    default: Path | None = None,
    read_only: bool = False,
    update: str | None = None,
    graph_store: str | None = None,
    timeout: float = 30.0,
    retries: int = 3,
) -> Store:
    """Open the store ``spec`` names (see the module docstring).

    Parameters
    ----------
    spec
        ``memory:``, ``oxigraph:PATH`` or a query endpoint's URL; ``None`` opens
        ``default``.
    default
        The directory of the store to open when ``spec`` is ``None`` (a project's
        ``.clustergraph/store``).
    read_only
        Open an embedded store for reading only.
    update, graph_store
        A remote store's SPARQL Update and Graph Store endpoints, where they cannot be
        told from its query endpoint.
    timeout, retries
        For a remote store: seconds to wait for each answer, and retries of a request
        after a transient fault.

    Raises
    ------
    InputError
        If ``spec`` names no kind of store.
    StoreError
        If the store cannot be opened.
    """
    if spec is None:
        if default is None:
            raise InputError("no store given and no project store to open")
        return OxigraphStore(default, read_only=read_only)
    if spec == "memory:":
        return OxigraphStore()
    if spec.startswith("oxigraph:"):
        path = spec[len("oxigraph:") :]
        if not path:
            raise InputError("oxigraph: needs a directory, as in oxigraph:PATH")
        return OxigraphStore(Path(path), read_only=read_only)
    if spec.startswith(("http://", "https://")):
        from clustergraph.store.client import Credentials, Endpoints, RetryPolicy
        from clustergraph.store.remote import RemoteStore

        if timeout <= 0 or retries < 0:
            raise InputError("--timeout must be more than 0 and --retries 0 or more")
        endpoints = Endpoints.infer(query=spec)
        if update is not None or graph_store is not None:
            endpoints = Endpoints(
                graph_store=graph_store or endpoints.graph_store,
                update=update or endpoints.update,
                query=spec,
            )
        return RemoteStore(
            endpoints,
            credentials=Credentials.from_env(),
            retry=RetryPolicy(retries=retries, timeout=timeout),
        )
    raise InputError(
        f"unknown store {spec!r}: give memory:, oxigraph:PATH or the http(s) URL of a "
        "SPARQL endpoint"
    )
