r"""The W3C SPARQL 1.1 query results formats, written from a result already read.

Embedded stores write these themselves (:meth:`OxigraphStore.query_serialized`); these
writers serve results that came from elsewhere (a remote store's answer, read and
written again so that the output is the standard format whatever the store's dialect)
and produce the same bytes as Oxigraph does for CSV and TSV.

=======  ==================================================================
format   what it writes
=======  ==================================================================
CSV      SPARQL 1.1 Query Results CSV: values only, CRLF line ends (RFC 4180)
TSV      SPARQL 1.1 Query Results TSV: terms in SPARQL syntax, LF line ends
JSON     SPARQL 1.1 Query Results JSON
XML      SPARQL Query Results XML
=======  ==================================================================

Examples
--------
>>> result = SelectResult(("org", "n"), (
...     (ox.NamedNode("urn:eacn"), ox.Literal("24", datatype=ox.NamedNode(XSD + "integer"))),
...     (ox.BlankNode("b0"), None)))
>>> write_results(result, ResultsFormat.CSV)
b'org,n\r\nurn:eacn,24\r\n_:b0,\r\n'
>>> write_results(result, ResultsFormat.TSV).decode().splitlines()
['?org\t?n', '<urn:eacn>\t24', '_:b0\t']
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from clustergraph.errors import QueryError
from clustergraph.rdf.terms import XSD, XSD_STRING, Term, n3
from clustergraph.store.base import AskResult, GraphResult, Result, ResultsFormat, SelectResult


def _escape(text: str, entities: dict[str, str]) -> str:
    # xml.sax.saxutils brings urllib.request (http.client, ssl, email): imported when
    # XML is written, not by every command that reads the store.
    from xml.sax.saxutils import escape as saxutils_escape

    return saxutils_escape(text, entities)


def quoteattr(text: str) -> str:
    """Quote ``text`` as an XML attribute value (:func:`xml.sax.saxutils.quoteattr`)."""
    from xml.sax.saxutils import quoteattr as saxutils_quoteattr

    return saxutils_quoteattr(text)


def escape(text: str) -> str:
    """Escape text for XML content, quotes included (as Oxigraph does).

    A carriage return is written as a reference: XML parsers read a bare one as a line
    feed.
    """
    return _escape(text, {'"': "&quot;", "\r": "&#13;"})


def xml_carriage_returns(document: bytes) -> bytes:
    """Write the carriage returns of an XML document as ``&#13;``.

    Oxigraph writes them bare, which XML parsers read as line feeds; it ends its own
    lines with a line feed only, so every carriage return it writes is in a value.
    """
    return document.replace(b"\r", b"&#13;")


_BARE_NUMBERS = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}


def write_results(result: Result, fmt: ResultsFormat) -> bytes:
    """Write a SELECT or ASK result in a W3C SPARQL results format.

    Raises
    ------
    QueryError
        For the triples of a CONSTRUCT or DESCRIBE query.
    """
    if isinstance(result, GraphResult):
        raise QueryError("a CONSTRUCT or DESCRIBE result is a graph, not a table")
    if isinstance(result, AskResult):
        if fmt is ResultsFormat.JSON:
            return json.dumps({"head": {}, "boolean": result.value}, separators=(",", ":")).encode()
        if fmt is ResultsFormat.XML:
            value = "true" if result.value else "false"
            return (
                '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head></head><boolean>{value}</boolean></sparql>"
            ).encode()
        return b"true" if result.value else b"false"  # as Oxigraph writes it (no W3C form)
    writer = {
        ResultsFormat.CSV: _csv,
        ResultsFormat.TSV: _tsv,
        ResultsFormat.JSON: _json,
        ResultsFormat.XML: _xml,
    }[fmt]
    return writer(result).encode("utf-8")


def _csv_value(term: Term) -> str:
    if isinstance(term, ox.Triple):  # as Oxigraph writes a triple term: its values
        return " ".join(_csv_value(t) for t in (term.subject, term.predicate, term.object))
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    value = _csv_value(term)
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv(result: SelectResult) -> str:
    lines = [",".join(_csv_cell_name(v) for v in result.variables)]
    lines += [",".join(_csv_cell(t) for t in row) for row in result.rows]
    return "".join(line + "\r\n" for line in lines)


def _csv_cell_name(name: str) -> str:
    return _csv_cell(ox.Literal(name))


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and not term.language:
        datatype = term.datatype.value
        if datatype in _BARE_NUMBERS and _is_bare_number(term.value, datatype):
            return term.value
    return n3(term)


def _is_bare_number(value: str, datatype: str) -> bool:
    """Whether Turtle reads ``value`` bare as a number of ``datatype`` again."""
    import re

    patterns = {
        XSD + "integer": r"[+-]?[0-9]+",
        XSD + "decimal": r"[+-]?[0-9]*\.[0-9]+",
        XSD + "double": r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+",
        XSD + "boolean": r"true|false",
    }
    return re.fullmatch(patterns[datatype], value) is not None


def _tsv(result: SelectResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "".join(line + "\n" for line in lines)


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.Triple):  # SPARQL 1.2 results JSON
        parts = ("subject", "predicate", "object")
        inner = (term.subject, term.predicate, term.object)
        return {
            "type": "triple",
            "value": {k: _json_term(t) for k, t in zip(parts, inner, strict=True)},
        }
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    value: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        value["datatype"] = term.datatype.value
    return value


def _json(result: SelectResult) -> str:
    bindings = [
        {
            name: _json_term(t)
            for name, t in zip(result.variables, row, strict=True)
            if t is not None
        }
        for row in result.rows
    ]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.Triple):  # SPARQL 1.2 results XML
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        datatype = quoteattr(term.datatype.value)
        return f"<literal datatype={datatype}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _xml(result: SelectResult) -> str:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    rows = []
    for row in result.rows:
        cells = "".join(
            f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
            for v, t in zip(result.variables, row, strict=True)
            if t is not None
        )
        rows.append(f"<result>{cells}</result>")
    return (
        '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head>{head}</head><results>{''.join(rows)}</results></sparql>"
    )
