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
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, runtime_checkable

import pyoxigraph as ox

from clustergraph.errors import InputError
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.terms import XSD, Term

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


_TEXT_ROWS = 20
"""Rows shown by a result's text table at a Python prompt (the rest are counted)."""
_TEXT_WIDTH = 40
"""The widest cell of a text table, in characters (longer values end in ``…``)."""


def _text_table(header: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """Return rows as a plain-text table: prefixed names, values cut at 40 characters."""

    def cut(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= _TEXT_WIDTH else text[: _TEXT_WIDTH - 1] + "…"

    cells = [[cut(h) for h in header]]
    cells += [[cut(_cell(t)) for t in row] for row in rows[:_TEXT_ROWS]]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    more = len(rows) - _TEXT_ROWS
    if more > 0:
        lines.append(f"… {more:,} more row{'s' if more != 1 else ''}")
    return "\n".join(lines)


_NUMBERS = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}


def _value(term: Term | None) -> Any:
    """Return a term as a Python value for a table, its precision kept.

    An IRI is its prefixed name (``role:associate-member``); an integer an ``int``, a
    decimal a :class:`decimal.Decimal`, a double a ``float``, a boolean a ``bool``; a
    date a :class:`datetime.date` and a date-time a :class:`pandas.Timestamp`; a year or
    a month a :class:`pandas.Period` of that precision (``2019`` is not 1 January 2019);
    a day without a year (``--06-06``) stays as written. Anything else is its text.
    """
    if term is None:
        return None
    if not isinstance(term, ox.Literal):
        return _cell(term)
    datatype, text = term.datatype.value, term.value
    try:
        if datatype in _NUMBERS:
            return int(text)
        if datatype == XSD + "decimal":
            return Decimal(text)
        if datatype in (XSD + "double", XSD + "float"):
            return float(text)
        if datatype == XSD + "boolean":
            return text.strip() in ("true", "1")
        if datatype == XSD + "date" and _PLAIN_DATE.fullmatch(text):
            return date.fromisoformat(text)
        if datatype in (XSD + "dateTime", XSD + "dateTimeStamp"):
            return _pandas().Timestamp(text)
        if datatype == XSD + "gYear" and _PLAIN_YEAR.fullmatch(text):
            return _pandas().Period(text, freq="Y")
        if datatype == XSD + "gYearMonth" and _PLAIN_MONTH.fullmatch(text):
            return _pandas().Period(text, freq="M")
    except (ValueError, ArithmeticError):
        return text
    return text


_PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLAIN_YEAR = re.compile(r"\d{4}")
_PLAIN_MONTH = re.compile(r"\d{4}-\d{2}")


def _frame(header: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> pd.DataFrame:
    """Return rows as a DataFrame of :func:`_value` values; a column of dates as dates."""
    pandas = _pandas()
    frame = pandas.DataFrame(
        [[_value(t) for t in row] for row in rows], columns=list(header), dtype=object
    )
    for name in frame.columns:
        present = frame[name].dropna()
        if len(present) and all(
            type(v) is date or isinstance(v, pandas.Timestamp) and v.tzinfo is None for v in present
        ):
            frame[name] = pandas.to_datetime(frame[name])
        elif len(present) and all(type(v) is int for v in present) and len(present) == len(frame):
            frame[name] = frame[name].astype("int64")
        elif len(present) and all(type(v) is float for v in present):
            frame[name] = frame[name].astype("float64")
    return frame


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise InputError(
            "pandas is not installed: pip install 'clustergraph[notebook]' (or pandas)"
        ) from None
    return pandas


@dataclass(frozen=True, repr=False)
class SelectResult:
    """The solutions of a SELECT query: variable names and rows (``None``: unbound).

    At a Python prompt it shows as a text table (the first 20 rows); in a notebook as
    an HTML table; :meth:`to_df` gives a DataFrame.
    """

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
            Keep the pyoxigraph terms. By default an IRI is its prefixed name
            (``role:associate-member``), a number a number, a column of dates a
            ``datetime64`` column, a year or a month a :class:`pandas.Period` of that
            precision, a day without a year as written (``--06-06``), and an unbound
            value ``None``.

        Raises
        ------
        InputError
            If pandas is not installed.
        """
        pandas = _pandas()
        if terms:
            return pandas.DataFrame(list(self.rows), columns=list(self.variables))
        return _frame(self.variables, self.rows)

    def __repr__(self) -> str:
        """Show the result as a text table: its size, then the first rows."""
        n = len(self.rows)
        head = f"{n:,} row{'s' if n != 1 else ''} × {len(self.variables)} columns"
        return head + "\n" + _text_table(self.variables, self.rows)

    def _repr_html_(self) -> str:
        """Show the result as an HTML table in a notebook."""
        return _html_table(self.variables, self.rows)


@dataclass(frozen=True, repr=False)
class AskResult:
    """The answer of an ASK query."""

    value: bool

    def __repr__(self) -> str:
        """Say the answer."""
        return f"ASK: {'yes' if self.value else 'no'} ({self.value})"

    def __bool__(self) -> bool:
        """Return the answer."""
        return self.value

    def to_df(self) -> pd.DataFrame:
        """Return the answer as a one-cell DataFrame (column ``answer``)."""
        return _pandas().DataFrame({"answer": [self.value]})

    def _repr_html_(self) -> str:
        """Show the answer in a notebook."""
        return f"<p><strong>{'yes' if self.value else 'no'}</strong></p>"


@dataclass(frozen=True, repr=False)
class GraphResult:
    """The triples a CONSTRUCT or DESCRIBE query built."""

    triples: tuple[ox.Triple, ...]

    def __repr__(self) -> str:
        """Show the triples as a text table (the first 20, sorted)."""
        n = len(self.triples)
        rows = [(t.subject, t.predicate, t.object) for t in sorted(self.triples, key=str)]
        table = _text_table(("subject", "predicate", "object"), rows)  # type: ignore[arg-type]
        return f"{n:,} triple{'s' if n != 1 else ''}\n{table}"

    def __len__(self) -> int:
        """Return the number of triples."""
        return len(self.triples)

    def to_df(self) -> pd.DataFrame:
        """Return the triples as a DataFrame (``subject``, ``predicate``, ``object``).

        Names and values as :meth:`SelectResult.to_df` gives them.
        """
        rows = [(t.subject, t.predicate, t.object) for t in self.triples]
        return _frame(("subject", "predicate", "object"), rows)  # type: ignore[arg-type]

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
    local
        Whether the store runs in this process: a look-up costs no round trip. Work
        that reads much and writes little (deriving) is done here, in memory, for a
        store that is not local.
    """

    location: str
    writable: bool
    local: bool

    @property
    def union_current(self) -> bool:
        """Whether the store keeps the union of its data graphs, each triple once, current.

        Queries then read it as their default graph; otherwise they read the engine's
        own union, where a triple counts once per graph that states it (the same data,
        slower joins).
        """
        ...

    def refresh_union(self) -> None:
        """Write the union of the data graphs, each triple once, unless it is current.

        Nothing to do for a store that cannot be written.
        """
        ...

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


@runtime_checkable
class BulkStore(Store, Protocol):
    """What an embedded store can do beside the :class:`Store` protocol.

    Stages ask for it (``isinstance(store, BulkStore)``) rather than for a class: the fast
    paths of loading, deriving and copying need a store in this process.

    Attributes
    ----------
    native
        The :class:`pyoxigraph.Store` itself.
    on_disk
        Whether the store lives in files (else in memory).
    path
        Its directory (``None`` in memory).
    """

    native: ox.Store
    on_disk: bool
    path: Path | None

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads as fast as the engine can, without a transaction."""
        ...

    def disk_bytes(self) -> int:
        """Return the size of the store's tables on disk (0 in memory)."""
        ...

    def copy_in_memory(self) -> BulkStore:
        """Return a copy of the whole store in memory."""
        ...
