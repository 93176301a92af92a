"""Write query results: an aligned table for people, the W3C formats for machines.

==========  ====================================================================
format      what it writes
==========  ====================================================================
``table``   aligned columns, IRIs as prefixed names (SELECT, ASK; a graph as triples)
``csv``     SPARQL 1.1 Query Results CSV (SELECT)
``tsv``     SPARQL 1.1 Query Results TSV, terms in SPARQL syntax (SELECT)
``json``    SPARQL 1.1 Query Results JSON (SELECT, ASK); JSON-LD for a graph
``md``      a Markdown table (SELECT, ASK)
``ttl``     Turtle (CONSTRUCT, DESCRIBE)
==========  ====================================================================

Examples
--------
>>> from rdflib import Literal, URIRef
>>> from clustergraph.store.engines import SelectResult
>>> result = SelectResult(("org", "members"), (
...     (URIRef("https://w3id.org/clustergraph/id/org/eacn"), Literal(24)),))
>>> print(write_result(result, Format.TABLE, prefixes={"o": "https://w3id.org/clustergraph/id/org/"}))
org     members
------  -------
o:eacn  24
>>> write_result(result, Format.CSV, prefixes={}).splitlines()
['org,members', 'https://w3id.org/clustergraph/id/org/eacn,24']
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from clustergraph.errors import InputError
from clustergraph.project.prefixes import compact
from clustergraph.store.engines import AskResult, GraphResult, Result, SelectResult, sparql_term


class Format(enum.Enum):
    """Output formats of :func:`write_result`."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    MD = "md"
    TTL = "ttl"


def write_result(result: Result, fmt: Format, *, prefixes: Mapping[str, str]) -> str:
    """Write ``result`` in format ``fmt``.

    Parameters
    ----------
    result
        A SELECT, ASK or graph result.
    fmt
        The output format.
    prefixes
        Prefix name to namespace, for the table, Markdown and Turtle.

    Raises
    ------
    InputError
        If the format does not fit the kind of result (Turtle for a table, CSV for a
        yes-or-no answer, ...); the message names the formats that do.
    """
    if isinstance(result, GraphResult):
        if fmt is Format.TTL:
            for prefix, namespace in prefixes.items():
                result.graph.bind(prefix, namespace, replace=True)
            return result.graph.serialize(format="turtle")
        if fmt is Format.JSON:
            return result.graph.serialize(format="json-ld", indent=2)
        if fmt is Format.TABLE:
            triples = sorted(result.graph, key=lambda t: tuple(str(x) for x in t))
            return _table(("subject", "predicate", "object"), triples, prefixes)
        raise InputError(f"a graph result is written as ttl, json or table, not {fmt.value}")
    if isinstance(result, AskResult):
        answer = "true" if result.value else "false"
        if fmt is Format.JSON:
            return json.dumps({"head": {}, "boolean": result.value}, indent=2)
        if fmt in (Format.TABLE, Format.MD):
            return answer
        raise InputError(f"a yes-or-no answer is written as table, md or json, not {fmt.value}")
    if fmt is Format.TABLE:
        return _table(result.variables, result.rows, prefixes)
    if fmt is Format.CSV:
        return _csv(result)
    if fmt is Format.TSV:
        return _tsv(result)
    if fmt is Format.JSON:
        return json.dumps(_sparql_json(result), indent=2, ensure_ascii=False)
    if fmt is Format.MD:
        return _markdown(result, prefixes)
    raise InputError("a table of solutions is written as table, csv, tsv, json or md, not ttl")


def _show(term: Node | None, prefixes: Mapping[str, str]) -> str:
    """Show a term to people: a prefixed name, a literal's text, a blank node's label."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(term, prefixes)
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split())


def _table(
    header: Sequence[str], rows: Sequence[Sequence[Node | None]], prefixes: Mapping[str, str]
) -> str:
    cells = [[_show(t, prefixes) for t in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)


def _csv(result: SelectResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(
            ["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row]
        )
    return out.getvalue()


def _tsv(result: SelectResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else _tsv_term(t) for t in row))
    return "\n".join(lines) + "\n"


def _tsv_term(term: Node) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    return sparql_term(term)


def _sparql_json(result: SelectResult) -> dict[str, object]:
    bindings = []
    for row in result.rows:
        binding: dict[str, dict[str, str]] = {}
        for name, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, URIRef):
                binding[name] = {"type": "uri", "value": str(term)}
            elif isinstance(term, BNode):
                binding[name] = {"type": "bnode", "value": str(term)}
            elif isinstance(term, Literal):
                value: dict[str, str] = {"type": "literal", "value": str(term)}
                if term.language:
                    value["xml:lang"] = term.language
                elif term.datatype is not None:
                    value["datatype"] = str(term.datatype)
                binding[name] = value
        bindings.append(binding)
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def _markdown(result: SelectResult, prefixes: Mapping[str, str]) -> str:
    def cell(term: Node | None) -> str:
        text = _show(term, prefixes).replace("\\", "\\\\").replace("|", "\\|")
        return f"`{text}`" if isinstance(term, URIRef) else text

    lines = [
        "| " + " | ".join(result.variables) + " |",
        "|" + "|".join("---" for _ in result.variables) + "|",
    ]
    lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in result.rows]
    return "\n".join(lines)
