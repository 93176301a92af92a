"""Run SPARQL queries on one of three engines behind one seam.

==================  ===========================================================
engine              what it is
==================  ===========================================================
:class:`RdflibEngine`    rdflib's own engine over the loaded :class:`rdflib.Dataset`
:class:`OxigraphEngine`  an embedded Oxigraph store (Rust; far faster on large graphs)
:class:`EndpointEngine`  any SPARQL 1.1 endpoint over HTTP, through SPARQLWrapper
==================  ===========================================================

Every engine answers :meth:`Engine.query` with the same result types, holding rdflib
terms, so the query library, the command line and the notebook do not care which one
runs. The default graph of a query is the union of the named graphs on every engine
(a remote store must be set up that way: Virtuoso is by default, Oxigraph with
``--union-default-graph``, Fuseki with ``unionDefaultGraph``).

Parameters are bound as RDF terms, never pasted into the query as text: rdflib
pre-binds them (``initBindings``); for Oxigraph and remote endpoints they travel as a
``VALUES`` block placed first in the query's top-level ``WHERE`` group, written from the
checked terms themselves (:func:`sparql_term`), so a value holding quotes or braces stays
one literal. Both pre-bind the variable in the top-level group, aggregates included;
a parameter must therefore be used in the query's top-level pattern, not only inside a
subquery. The test suite runs every query of the library on all three engines.

Examples
--------
>>> from rdflib import Dataset, URIRef
>>> ds = Dataset(default_union=True)
>>> _ = ds.graph("urn:g").add((URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:b")))
>>> text = "SELECT ?o WHERE { ?s <urn:p> ?o }"
>>> for engine in (RdflibEngine(ds), OxigraphEngine.from_dataset(ds)):
...     print(engine.name, engine.query(text, bindings={"s": URIRef("urn:a")}).rows)
rdflib ((rdflib.term.URIRef('urn:b'),),)
oxigraph ((rdflib.term.URIRef('urn:b'),),)
"""

from __future__ import annotations

import enum
import json
import re
import socket
import urllib.error
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from clustergraph.errors import ClusterGraphError, InputError
from clustergraph.rdf.terms import to_oxigraph, to_rdflib

if TYPE_CHECKING:
    from clustergraph.queries.library import QueryFile


class EndpointError(ClusterGraphError):
    """A remote SPARQL endpoint that is down, too slow, or answers with an error."""


class QueryError(ClusterGraphError):
    """A query an engine refused or failed to evaluate."""


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SelectResult:
    """The solutions of a SELECT query: variable names and rows of terms (None: unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]


@dataclass(frozen=True)
class AskResult:
    """The answer of an ASK query."""

    value: bool


@dataclass(frozen=True)
class GraphResult:
    """The graph a CONSTRUCT or DESCRIBE query built."""

    graph: Graph


Result = SelectResult | AskResult | GraphResult


# ---------------------------------------------------------------------------
# The seam
# ---------------------------------------------------------------------------


class Engine(Protocol):
    """Something that answers SPARQL 1.1 queries over the clustergraph dataset."""

    name: str

    def query(self, text: str, *, bindings: Mapping[str, Node] | None = None) -> Result:
        """Evaluate ``text`` with the variables in ``bindings`` bound to those terms."""
        ...


class EngineKind(enum.Enum):
    """The engines :func:`open_engine` can open."""

    RDFLIB = "rdflib"
    OXIGRAPH = "oxigraph"
    ENDPOINT = "endpoint"


class RdflibEngine:
    """rdflib's SPARQL engine over an in-memory :class:`rdflib.Dataset`.

    Parameters
    ----------
    dataset
        A dataset whose default graph is the union of its named graphs
        (``default_union=True``), as :func:`clustergraph.pipeline.load.load` returns.
    """

    name = "rdflib"

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def query(self, text: str, *, bindings: Mapping[str, Node] | None = None) -> Result:
        """Evaluate ``text`` with rdflib; ``bindings`` become ``initBindings``."""
        try:
            initial = {k: v for k, v in (bindings or {}).items() if isinstance(v, Identifier)}
            result = self.dataset.query(text, initBindings=initial)
        except Exception as exc:  # noqa: BLE001 - rdflib raises many unrelated types
            raise QueryError(f"rdflib could not evaluate the query: {_one_line(exc)}") from exc
        if result.type == "ASK":
            return AskResult(bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            if result.graph is not None:
                graph += result.graph
            return GraphResult(graph)
        variables = tuple(str(v) for v in result.vars or ())
        rows = tuple(tuple(row) for row in result)  # type: ignore[arg-type]
        return SelectResult(variables, rows)


class OxigraphEngine:
    """An embedded Oxigraph store (pyoxigraph), queried with the union as default graph.

    Parameters
    ----------
    store
        The store; :meth:`from_dataset` fills a new in-memory one.
    """

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> OxigraphEngine:
        """Copy every quad of ``dataset``'s named graphs into a new in-memory store."""
        store = ox.Store()
        store.bulk_extend(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(g)))  # type: ignore[arg-type]
            for s, p, o, g in dataset.quads((None, None, None, None))
            if isinstance(g, URIRef) and not str(g).startswith("urn:x-rdflib:")
        )
        return cls(store)

    def query(self, text: str, *, bindings: Mapping[str, Node] | None = None) -> Result:
        """Evaluate ``text`` with Oxigraph; ``bindings`` become a leading VALUES block."""
        if bindings:
            text = bind_values(text, bindings)
        try:
            answer = self.store.query(text, use_default_graph_as_union=True)
            if isinstance(answer, ox.QueryBoolean):
                return AskResult(bool(answer))
            if isinstance(answer, ox.QueryTriples):
                graph = Graph()
                bnodes: dict[str, BNode] = {}
                for t in answer:
                    graph.add(
                        (
                            to_rdflib(t.subject, bnodes),
                            to_rdflib(t.predicate, bnodes),
                            to_rdflib(t.object, bnodes),
                        )
                    )
                return GraphResult(graph)
            assert isinstance(answer, ox.QuerySolutions)
            variables = tuple(v.value for v in answer.variables)
            rows = tuple(
                tuple(None if s[v] is None else to_rdflib(s[v]) for v in variables) for s in answer
            )
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"Oxigraph could not evaluate the query: {_one_line(exc)}") from exc
        return SelectResult(variables, rows)


class EndpointEngine:
    """A remote SPARQL 1.1 endpoint, queried over HTTP POST with SPARQLWrapper.

    Parameters
    ----------
    url
        The endpoint's query URL (Oxigraph: ``http://HOST:PORT/query``; Virtuoso:
        ``http://HOST:PORT/sparql``).
    timeout
        Seconds to wait for an answer before giving up.
    """

    name = "endpoint"

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise InputError(f"endpoint {url!r} is not an http(s) URL")
        self.url = url
        self.timeout = timeout

    def query(self, text: str, *, bindings: Mapping[str, Node] | None = None) -> Result:
        """Send ``text`` (``bindings`` as a leading VALUES block) to the endpoint."""
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

        if bindings:
            text = bind_values(text, bindings)
        wrapper = SPARQLWrapper(self.url)
        wrapper.setMethod(POST)
        wrapper.setTimeout(max(1, round(self.timeout)))
        wrapper.setQuery(text)
        # SPARQLWrapper guesses the form from any keyword in the text, comments included
        # (a comment saying "drop" would make it an update): tell it the real one.
        wrapper.queryType = query_form(text)
        is_graph = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if is_graph else JSON)
        try:
            response = wrapper.query()
            body = response.response.read()
        except Exception as exc:  # noqa: BLE001 - SPARQLWrapper and urllib raise many types
            raise EndpointError(f"endpoint {self.url}: {_describe_http_error(exc)}") from exc
        try:
            if is_graph:
                graph = Graph()
                graph.parse(data=body, format="turtle")
                return GraphResult(graph)
            return _from_sparql_json(json.loads(body), ask=wrapper.queryType == "ASK")
        except Exception as exc:  # noqa: BLE001 - a malformed answer, whatever its kind
            raise EndpointError(
                f"endpoint {self.url}: unreadable answer: {_one_line(exc)}"
            ) from exc


def open_engine(
    kind: EngineKind,
    *,
    dataset: Dataset | None = None,
    endpoint: str | None = None,
    timeout: float = 30.0,
) -> Engine:
    """Open an engine of the given kind.

    Parameters
    ----------
    kind
        Which engine.
    dataset
        The loaded dataset, for the embedded engines.
    endpoint
        The endpoint URL, for :attr:`EngineKind.ENDPOINT`.
    timeout
        Seconds to wait for a remote endpoint.
    """
    if kind is EngineKind.ENDPOINT:
        if endpoint is None:
            raise InputError("the endpoint engine needs an endpoint URL")
        return EndpointEngine(endpoint, timeout=timeout)
    if dataset is None:
        raise InputError(f"the {kind.value} engine needs a dataset")
    if kind is EngineKind.RDFLIB:
        return RdflibEngine(dataset)
    return OxigraphEngine.from_dataset(dataset)


def run(engine: Engine, query: QueryFile, *, params: Mapping[str, str] | None = None) -> Result:
    """Run a query of the library with its parameters (defaults for those not given).

    Parameters
    ----------
    engine
        Where to run it.
    query
        The query (see :class:`clustergraph.queries.library.Library`).
    params
        Parameter name to the value as a user typed it.

    Raises
    ------
    ParamError
        For an unknown parameter or an ill-typed value.
    QueryError, EndpointError
        If the engine fails.
    """
    return engine.query(query.text, bindings=query.bindings(params))


# ---------------------------------------------------------------------------
# Terms on the wire
# ---------------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def sparql_term(term: Node) -> str:
    r"""Write an IRI or a literal in SPARQL syntax, escaped so it is one term.

    Examples
    --------
    >>> print(sparql_term(Literal('x" } ; DROP ALL ; {')))
    "x\" } ; DROP ALL ; {"
    >>> print(sparql_term(Literal("Vilnius", lang="lt")))
    "Vilnius"@lt
    """
    if isinstance(term, URIRef):
        iri = str(term)
        if any(c in iri for c in '<>"{}|^`\\ \n\t'):
            raise InputError(f"not a valid IRI: {iri!r}")
        return f"<{iri}>"
    if isinstance(term, Literal):
        quoted = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype is not None:
            return f"{quoted}^^{sparql_term(URIRef(term.datatype))}"
        return quoted
    raise InputError(f"cannot bind {term!r} on a remote endpoint (only IRIs and literals)")


def values_clause(bindings: Mapping[str, Node]) -> str:
    """Write ``bindings`` as a one-row SPARQL ``VALUES`` clause.

    Examples
    --------
    >>> values_clause({"org": URIRef("https://w3id.org/clustergraph/id/org/lcn")})
    'VALUES (?org) { (<https://w3id.org/clustergraph/id/org/lcn>) }'
    """
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(sparql_term(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


# What the scanner steps over whole: comments, strings (long ones first), IRIs.
_SKIP = re.compile(
    r"#[^\n]*"
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
)
_WORD = re.compile(r"[A-Za-z_]+")


def query_form(text: str) -> str:
    r"""Return the form of a query (SELECT, ASK, CONSTRUCT, DESCRIBE) from its first keyword.

    Comments, strings and IRIs of the prologue are stepped over.

    Examples
    --------
    >>> query_form("# drop everything? no:\nPREFIX a: <urn:select:x>\nASK { ?s ?p ?o }")
    'ASK'
    """
    i = 0
    while i < len(text):
        skip = _SKIP.match(text, i)
        if skip is not None:
            i = skip.end()
            continue
        word = _WORD.match(text, i)
        if word is not None:
            keyword = word.group().upper()
            if keyword in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                return keyword
            i = word.end()
            continue
        i += 1
    raise InputError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def where_group_start(text: str) -> int:
    """Return the offset just after the ``{`` that opens the query's top-level WHERE group.

    Comments, strings and IRIs are stepped over; the template of a CONSTRUCT query is
    not the WHERE group (``CONSTRUCT WHERE { ... }`` has no template).

    Examples
    --------
    >>> text = 'CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }'
    >>> text[where_group_start(text):]
    ' ?s ?p ?o }'
    """
    depth, last_word, i = 0, "", 0
    while i < len(text):
        skip = _SKIP.match(text, i)
        if skip is not None:
            i = skip.end()
            continue
        char = text[i]
        if char == "{":
            if depth == 0 and last_word != "CONSTRUCT":
                return i + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                last_word = ""
        elif depth == 0 and (word := _WORD.match(text, i)) is not None:
            last_word = word.group().upper()
            i = word.end()
            continue
        i += 1
    raise InputError("the query has no WHERE group to bind parameters in")


def bind_values(text: str, bindings: Mapping[str, Node]) -> str:
    """Bind variables by a VALUES block placed first in the top-level WHERE group.

    Examples
    --------
    >>> bind_values("SELECT ?n WHERE { ?x <urn:name> ?n }", {"x": URIRef("urn:a")})
    'SELECT ?n WHERE { VALUES (?x) { (<urn:a>) } ?x <urn:name> ?n }'
    """
    at = where_group_start(text)
    return f"{text[:at]} {values_clause(bindings)}{text[at:]}"


def _from_sparql_json(doc: Mapping[str, Any], *, ask: bool = False) -> Result:
    """Read W3C SPARQL 1.1 Query Results JSON (with Virtuoso's ``typed-literal``).

    Virtuoso answers an ASK query with a one-row table (``__ask_retval`` = 1 or 0)
    instead of a boolean; ``ask`` says the query was an ASK, so that is read as one.
    """
    if "boolean" in doc:
        return AskResult(bool(doc["boolean"]))
    if ask:  # a false answer may also come as an empty table
        values = [v["value"] for b in doc["results"]["bindings"] for v in b.values()]
        if len(values) > 1:
            raise ValueError("an ASK query answered with a table of several values")
        return AskResult(bool(values) and values[0] in ("1", "true"))
    variables = tuple(doc["head"]["vars"])
    rows = tuple(
        tuple(_json_term(binding[v]) if v in binding else None for v in variables)
        for binding in doc["results"]["bindings"]
    )
    return SelectResult(variables, rows)


def _json_term(value: Mapping[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
            return Literal(value["value"], datatype=URIRef(datatype))
        return Literal(value["value"])
    raise ValueError(f"unknown term type {kind!r}")


def _describe_http_error(exc: BaseException) -> str:
    """Say in a few words why a request to an endpoint failed."""
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    if isinstance(exc, SPARQLWrapperException):
        return _one_line(exc.msg if hasattr(exc, "msg") else exc)
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            return "no answer before the timeout"
        if isinstance(reason, ConnectionRefusedError):
            return "connection refused (is the server running?)"
        return f"unreachable ({_one_line(reason)})"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "no answer before the timeout"
    if isinstance(exc, ConnectionError):
        return f"connection failed ({_one_line(exc)})"
    return _one_line(exc)


def _one_line(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 300 else text[:297] + "..."


def rows_as_strings(result: SelectResult) -> list[Sequence[str]]:
    """Return the rows of ``result`` as strings (an unbound value as ``""``)."""
    return [tuple("" if t is None else str(t) for t in row) for row in result.rows]
