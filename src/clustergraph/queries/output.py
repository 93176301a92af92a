"""Write query results: an aligned table for people, the W3C formats for machines.

==========  ====================================================================
format      what it writes
==========  ====================================================================
``table``   aligned columns, IRIs as prefixed names (SELECT, ASK; a graph as triples)
``csv``     SPARQL 1.1 Query Results CSV (SELECT)
``tsv``     SPARQL 1.1 Query Results TSV, terms in SPARQL syntax (SELECT)
``json``    SPARQL 1.1 Query Results JSON (SELECT, ASK); JSON-LD for a graph
``xml``     SPARQL Query Results XML (SELECT, ASK)
``md``      a Markdown table (SELECT, ASK)
``ttl``     Turtle (CONSTRUCT, DESCRIBE)
==========  ====================================================================

CSV and TSV are the W3C formats exactly (CSV ends its lines with CRLF): a value that
begins with ``=`` stays as it is. Spreadsheet-safe CSV is written where spreadsheets
open it (the site's downloads, the analysis), not here.

Examples
--------
>>> import pyoxigraph as ox
>>> from clustergraph.store.base import SelectResult
>>> integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
>>> result = SelectResult(("org", "members"), (
...     (ox.NamedNode("https://w3id.org/clustergraph/id/org/eacn"), ox.Literal("24", datatype=integer)),))
>>> print(write_result(result, Format.TABLE, prefixes={"o": "https://w3id.org/clustergraph/id/org/"}).decode())
org     members
------  -------
o:eacn  24
>>> write_result(result, Format.CSV, prefixes={}).decode().splitlines()
['org,members', 'https://w3id.org/clustergraph/id/org/eacn,24']
"""  # noqa: E501

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from clustergraph.errors import InputError
from clustergraph.project.prefixes import compact
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.terms import Term
from clustergraph.store.base import AskResult, GraphResult, Result, ResultsFormat, SelectResult
from clustergraph.store.results import write_results


class Format(enum.Enum):
    """Output formats of :func:`write_result`."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"
    MD = "md"
    TTL = "ttl"

    @property
    def results_format(self) -> ResultsFormat | None:
        """The W3C results format this is, if it is one."""
        try:
            return ResultsFormat(self.value)
        except ValueError:
            return None


_FITS = {
    "table": ("table", "csv", "tsv", "json", "xml", "md"),
    "yes-or-no answer": ("table", "md", "json", "xml"),
    "graph": ("ttl", "json", "table"),
}


def check_format(form: str, fmt: Format) -> None:
    """Raise if ``fmt`` cannot hold the result of a query of ``form`` (SELECT, ASK, ...).

    Raises
    ------
    InputError
        Naming the formats that fit.

    Examples
    --------
    >>> check_format("ASK", Format.CSV)
    Traceback (most recent call last):
    ...
    clustergraph.errors.InputError: a yes-or-no answer is written as table, md, json or xml, not csv
    """
    kind = {"SELECT": "table", "ASK": "yes-or-no answer"}.get(form, "graph")
    fits = _FITS[kind]
    if fmt.value not in fits:
        what = "a table of solutions" if kind == "table" else f"a {kind}"
        names = ", ".join(fits[:-1]) + " or " + fits[-1]
        raise InputError(f"{what} is written as {names}, not {fmt.value}")


def write_result(result: Result, fmt: Format, *, prefixes: Mapping[str, str]) -> bytes:
    """Write ``result`` in format ``fmt``.

    Parameters
    ----------
    result
        A SELECT, ASK or graph result.
    fmt
        The output format.
    prefixes
        Prefix name to namespace, for the table, Markdown and Turtle.

    Returns
    -------
    bytes
        UTF-8 text; the human formats end without a newline, the W3C formats as the
        standard writes them.

    Raises
    ------
    InputError
        If the format does not fit the kind of result (Turtle for a table, CSV for a
        graph, ...); the message names the formats that do.
    """
    form = (
        "SELECT"
        if isinstance(result, SelectResult)
        else "ASK"
        if isinstance(result, AskResult)
        else "CONSTRUCT"
    )
    check_format(form, fmt)
    if isinstance(result, GraphResult):
        if fmt is Format.TTL:
            return result.serialize(RdfFormat.TURTLE, prefixes=prefixes)
        if fmt is Format.JSON:
            return result.serialize(RdfFormat.JSONLD, prefixes=prefixes)
        if fmt is Format.TABLE:
            triples = sorted(result.triples, key=str)
            rows = [(t.subject, t.predicate, t.object) for t in triples]
            return _table(("subject", "predicate", "object"), rows, prefixes).encode()  # type: ignore[arg-type]
        return result.serialize(RdfFormat.TURTLE, prefixes=prefixes)
    if isinstance(result, AskResult):
        if fmt in (Format.TABLE, Format.MD):
            return b"true" if result.value else b"false"
        assert fmt.results_format is not None
        return write_results(result, fmt.results_format)
    if fmt is Format.TABLE:
        return _table(result.variables, result.rows, prefixes).encode()
    if fmt is Format.MD:
        return _markdown(result, prefixes).encode()
    assert fmt.results_format is not None
    return write_results(result, fmt.results_format)


def show(term: Term | None, prefixes: Mapping[str, str]) -> str:
    """Show a term to people: a prefixed name, a literal's text, a blank node's label."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):  # an RDF 1.2 triple term
        inner = (term.subject, term.predicate, term.object)
        return "<<( " + " ".join(show(t, prefixes) for t in inner) + " )>>"
    return " ".join(term.value.split())


def _table(
    header: Sequence[str], rows: Sequence[Sequence[Term | None]], prefixes: Mapping[str, str]
) -> str:
    cells = [[show(t, prefixes) for t in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)


def _markdown(result: SelectResult, prefixes: Mapping[str, str]) -> str:
    def cell(term: Term | None) -> str:
        text = show(term, prefixes).replace("\\", "\\\\").replace("|", "\\|")
        return f"`{text}`" if isinstance(term, ox.NamedNode) else text

    lines = [
        "| " + " | ".join(result.variables) + " |",
        "|" + "|".join("---" for _ in result.variables) + "|",
    ]
    lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in result.rows]
    return "\n".join(lines)
