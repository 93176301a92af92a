"""Run queries of the library on a store, with their parameters.

Examples
--------
>>> from pathlib import Path
>>> from clustergraph.queries.library import parse_query_file
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> store.replace_graphs({"urn:g": b'<urn:a> <urn:name> "A" .'})
>>> query = parse_query_file('''#+ summary: The name of a thing.
... #+ tags:
... #+   - names
... #+ params:
... #+   - thing: iri = <urn:b>
... SELECT ?name WHERE { ?thing <urn:name> ?name }
... ''', name="name", path=Path("name.rq"))
>>> run(store, query, params={"thing": "<urn:a>"}).rows
((<Literal value=A datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>,),)
>>> run(store, query).rows
()
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from clustergraph.queries.library import QueryFile
from clustergraph.store.base import Result, ResultsFormat, Store


def run(
    store: Store,
    query: QueryFile,
    *,
    params: Mapping[str, str] | None = None,
    graphs: Sequence[str] | None = None,
) -> Result:
    """Run a query of the library with its parameters (defaults for those not given).

    Parameters
    ----------
    store
        Where to run it.
    query
        The query (see :class:`clustergraph.queries.library.Library`).
    params
        Parameter name to the value as a user typed it.
    graphs
        The graphs whose union is the query's default graph (default: all).

    Raises
    ------
    ParamError
        For an unknown parameter or an ill-typed value.
    QueryError, StoreError
        If the store fails.
    """
    return store.query(query.text, bindings=query.bindings(params), graphs=graphs)


def run_serialized(
    store: Store,
    query: QueryFile,
    fmt: ResultsFormat,
    *,
    params: Mapping[str, str] | None = None,
    graphs: Sequence[str] | None = None,
) -> bytes:
    """Run a SELECT or ASK query of the library; return the results in a W3C format."""
    return store.query_serialized(query.text, fmt, bindings=query.bindings(params), graphs=graphs)
