"""The store seam: one protocol every stage reads and writes through, and its results.

A :class:`Store` holds the dataset as named graphs, one per file (the ontology, each
vocabulary, each source) plus the graphs of derived facts, and answers SPARQL 1.1.
Three implementations stand behind it (see :func:`clustergraph.store.open_store`):

==============================================  ==========================================
implementation                                  what it is
==============================================  ==========================================
:class:`~clustergraph.store.oxigraph.OxigraphStore`  embedded Oxigraph, on disk (the
                                                project's ``.clustergraph/store``) or in
                                                memory
:class:`~clustergraph.store.remote.RemoteStore`      any SPARQL 1.1 endpoint over HTTP;
                                                writable where it offers SPARQL Update
                                                (and the Graph Store protocol)
==============================================  ==========================================

The default graph of every query is the union of the data graphs, the named graphs but
the manifest (a remote store must be set up that way: Oxigraph with
``--union-default-graph``, Virtuoso by default, or the protocol's ``default-graph-uri``;
the manifest is never pushed); ``graphs=`` narrows it to the given graphs, as
``--stated`` does. Terms are pyoxigraph terms (:data:`clustergraph.rdf.terms.Term`).

Examples
--------
>>> import pyoxigraph as ox
>>> result = SelectResult(("x",), ((ox.NamedNode("urn:a"),), (None,)))
>>> len(result), result.column("x")
(2, [<NamedNode value=urn:a>, None])
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import IO, TYPE_CHECKING, Any, Protocol, runtime_checkable

import pyoxigraph as ox

from clustergraph.errors import InputError
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.terms import Term

if TYPE_CHECKING:
    import pandas as pd

_HTML_ROWS = 200
"""Rows shown by a result's HTML table in a notebook (the rest are counted)."""


def _cell(term: Term | None) -> str:
    """Show a term to people: a prefixed name, a literal's text, a blank node's label."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term, PREFIXES)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _html_table(header: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """Return rows as an HTML table, every value escaped (a notebook shows it)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell(t))}</td>" for t in row) + "</tr>"
        for row in rows[:_HTML_ROWS]
    )
    more = len(rows) - _HTML_ROWS
    tail = f"<p>{more:,} more rows</p>" if more > 0 else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{tail}"


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise InputError(
            "pandas is not installed: pip install 'clustergraph[notebook]' (or pandas)"
        ) from None
    return pandas


@dataclass(frozen=True)
class SelectResult:
    """The solutions of a SELECT query: variable names and rows (``None``: unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    def __len__(self) -> int:
        """Return the number of rows."""
        return len(self.rows)

    def column(self, name: str) -> list[Term | None]:
        """Return the values of variable ``name``, row by row.

        Raises
        ------
        KeyError
            If the query has no such variable.
        """
        index = self.variables.index(name) if name in self.variables else -1
        if index < 0:
            raise KeyError(name)
        return [row[index] for row in self.rows]

    def to_df(self, *, terms: bool = False) -> pd.DataFrame:
        """Return the rows as a pandas DataFrame, one column per variable.

        Parameters
        ----------
        terms
            Keep the pyoxigraph terms; by default a cell is the IRI or the literal's
            lexical form (``None`` where unbound).

        Raises
        ------
        InputError
            If pandas is not installed.
        """
        pandas = _pandas()
        if terms:
            return pandas.DataFrame(list(self.rows), columns=list(self.variables))
        values = [[None if t is None else t.value for t in row] for row in self.rows]
        return pandas.DataFrame(values, columns=list(self.variables))

    def _repr_html_(self) -> str:
        """Show the result as an HTML table in a notebook."""
        return _html_table(self.variables, self.rows)


@dataclass(frozen=True)
class AskResult:
    """The answer of an ASK query."""

    value: bool

    def __bool__(self) -> bool:
        """Return the answer."""
        return self.value

    def to_df(self) -> pd.DataFrame:
        """Return the answer as a one-cell DataFrame (column ``answer``)."""
        return _pandas().DataFrame({"answer": [self.value]})

    def _repr_html_(self) -> str:
        """Show the answer in a notebook."""
        return f"<p><strong>{'yes' if self.value else 'no'}</strong></p>"


@dataclass(frozen=True)
class GraphResult:
    """The triples a CONSTRUCT or DESCRIBE query built."""

    triples: tuple[ox.Triple, ...]

    def __len__(self) -> int:
        """Return the number of triples."""
        return len(self.triples)

    def to_df(self) -> pd.DataFrame:
        """Return the triples as a DataFrame (``subject``, ``predicate``, ``object``)."""
        rows = [(_cell(t.subject), _cell(t.predicate), _cell(t.object)) for t in self.triples]  # type: ignore[arg-type]
        return _pandas().DataFrame(rows, columns=["subject", "predicate", "object"])

    def _repr_html_(self) -> str:
        """Show the triples as an HTML table in a notebook."""
        rows = [(t.subject, t.predicate, t.object) for t in sorted(self.triples, key=str)]
        return _html_table(("subject", "predicate", "object"), rows)  # type: ignore[arg-type]

    def serialize(self, fmt: RdfFormat, *, prefixes: Mapping[str, str] | None = None) -> bytes:
        """Write the triples in a graph format (Turtle, N-Triples, RDF/XML).

        Triples are sorted first, so the same graph always gives the same bytes.
        """
        triples = sorted(self.triples, key=str)
        data = ox.serialize(triples, format=fmt.oxigraph, prefixes=dict(prefixes or {}))
        return data or b""


Result = SelectResult | AskResult | GraphResult
"""What a query returns."""


class ResultsFormat(enum.Enum):
    """The W3C SPARQL 1.1 query results formats, for :meth:`Store.query_serialized`."""

    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"

    @property
    def oxigraph(self) -> ox.QueryResultsFormat:
        """The format for pyoxigraph."""
        return {
            ResultsFormat.CSV: ox.QueryResultsFormat.CSV,
            ResultsFormat.TSV: ox.QueryResultsFormat.TSV,
            ResultsFormat.JSON: ox.QueryResultsFormat.JSON,
            ResultsFormat.XML: ox.QueryResultsFormat.XML,
        }[self]

    @property
    def media_type(self) -> str:
        """The IANA media type."""
        return str(self.oxigraph.media_type)


@runtime_checkable
class Store(Protocol):
    """Where the dataset lives: named graphs queried and updated with SPARQL 1.1.

    Attributes
    ----------
    location
        Where the store is, as the ``--store`` option writes it (``memory:``,
        ``oxigraph:PATH`` or the query endpoint's URL).
    writable
        Whether the store takes updates.
    """

    location: str
    writable: bool

    def query(
        self,
        text: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        graphs: Sequence[str] | None = None,
    ) -> Result:
        """Evaluate a SPARQL query.

        Parameters
        ----------
        text
            The query.
        bindings
            Variables bound to terms, as a ``VALUES`` block placed first in the
            top-level ``WHERE`` group (:func:`clustergraph.store.sparql.bind_values`).
        graphs
            The graphs whose union is the default graph (and the only ones ``GRAPH``
            ranges over); by default every named graph.

        Raises
        ------
        QueryError
            If the store refuses the query or fails to evaluate it.
        StoreUnreachableError, StoreError
            For a remote store that cannot be reached or answers an error.
        """
        ...

    def query_serialized(
        self,
        text: str,
        fmt: ResultsFormat,
        *,
        bindings: Mapping[str, Term] | None = None,
        graphs: Sequence[str] | None = None,
    ) -> bytes:
        """Evaluate a SELECT or ASK query and return its results in a W3C format."""
        ...

    def update(self, text: str, *, graphs: Iterable[str] | None = None) -> None:
        """Run a SPARQL 1.1 Update request, as one transaction where the store allows.

        ``graphs``, where the caller knows them, names every graph the request writes
        (the embedded store then keeps its union of the data graphs current without
        rebuilding it).

        Raises
        ------
        StoreError
            If the store is read-only or refuses the update.
        """
        ...

    def graphs(self) -> list[str]:
        """Return the IRIs of the named graphs that hold at least one triple, sorted."""
        ...

    def quads(
        self,
        subject: Term | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,  # noqa: A002 - RDF's own word
        graph: str | None = None,
    ) -> Iterator[ox.Quad]:
        """Yield the quads of the named graphs that match a pattern (``None``: any)."""
        ...

    def count(self, graph: str | None = None) -> int:
        """Return the number of triples in ``graph``, or of quads in all named graphs."""
        ...

    def replace_graphs(self, data: Mapping[str, bytes]) -> object:
        """Replace named graphs with N-Triples ``data``, all of them or none.

        A graph given empty data is dropped. Graphs not named are left alone. What is
        returned is the implementation's own account of the replace (or ``None``).

        Raises
        ------
        InputError
            If some data is not valid N-Triples (nothing is changed).
        StoreError
            If the store fails; ``targets_unchanged`` says whether the graphs are known
            to be as they were.
        """
        ...

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove named graphs (a graph the store does not hold is ignored)."""
        ...

    def dump(
        self,
        output: IO[bytes],
        fmt: RdfFormat,
        *,
        graphs: Sequence[str] | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        """Write named graphs to ``output``: quads for a dataset format, else their union.

        ``graphs`` defaults to every named graph.
        """
        ...

    def close(self) -> None:
        """Release the store (files, connections); the object cannot be used after."""
        ...
