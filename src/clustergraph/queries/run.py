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

import re
from collections.abc import Mapping, Sequence

from clustergraph.queries.library import QueryFile
from clustergraph.store.base import Result, ResultsFormat, Store

_TAG_COMPARED = re.compile(
    r"""(?P<lang>LANG\s*\(\s*[?$]\w+\s*\))\s*!?=\s*(?P<tag>"[^"]*[A-Z][^"]*"|'[^']*[A-Z][^']*')"""
    r"""|(?P<tag2>"[^"]*[A-Z][^"]*"|'[^']*[A-Z][^']*')\s*!?=\s*(?P<lang2>LANG\s*\(\s*[?$]\w+\s*\))""",
    re.IGNORECASE,
)


def tag_case_warning(text: str) -> str | None:
    """Say when a query compares ``LANG(...)`` with a tag in upper case (``None``: it does not).

    The store keeps language tags in lower case (RDF 1.1 compares them without regard to
    case), so ``LANG(?l) = "en-GB"`` matches nothing; ``LANGMATCHES`` compares as RDF does.

    Examples
    --------
    >>> said = tag_case_warning('SELECT ?l { ?s ?p ?l FILTER(LANG(?l) = "en-GB") }')
    >>> for part in said.split(": "):
    ...     print(part)
    LANG(?l) = "en-GB" matches nothing
    the store keeps language tags in lower case ("en-gb"); write LANGMATCHES(LANG(?l), "en-GB")
    >>> tag_case_warning('SELECT ?l { ?s ?p ?l FILTER(LANGMATCHES(LANG(?l), "en-GB")) }') is None
    True
    """
    for match in _TAG_COMPARED.finditer(text):
        lang = " ".join((match.group("lang") or match.group("lang2")).split())
        tag = match.group("tag") or match.group("tag2")
        if not re.fullmatch(r"""["'][A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*["']""", tag):
            continue  # not a language tag
        return (
            f"{lang} = {tag} matches nothing: the store keeps language tags in lower case "
            f"({tag.lower()}); write LANGMATCHES({lang}, {tag})"
        )
    return None


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
