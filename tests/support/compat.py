"""Comparing an embedded engine's answer with a remote store's, honest about known differences.

A remote answer first has to equal the embedded one exactly: same rows (as a multiset,
in order where the query orders them only if the caller asks), same terms with the
same lexical forms; blank nodes match any blank node. Where it does not, the known
differences between engines that the store is allowed (:data:`ALLOWED`) are applied,
and the comparison says which of them were *needed* to make the answers agree, so the
tests can list them. Each difference has a key, and the README's compatibility table
has a row for each key (a test checks it).

Queries for which a store gives a wrong answer, one no tolerance explains, are listed in
:data:`WRONG_ANSWERS` with the reason; the tests expect them to differ.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from clustergraph.project.vocab import XSD
from clustergraph.rdf.terms import Term
from clustergraph.store.base import AskResult, GraphResult, Result, SelectResult


class Tolerance(enum.Enum):
    """A known difference between engines, and how the comparison allows for it."""

    # The value is the key used in the README's compatibility table.
    NUMERIC_LEXICAL = "numeric-lexical"
    """Numbers compared by value: ``"1.50"^^xsd:decimal`` equals ``"1.5"^^xsd:decimal``."""
    BOOLEAN_AS_INTEGER = "boolean-as-integer"
    """``true``/``false`` (xsd:boolean) equal ``1``/``0`` (xsd:integer)."""
    DUPLICATE_ROWS = "duplicate-rows"
    """Rows compared as sets: the same rows, some repeated (even under SELECT DISTINCT)."""
    GROUP_CONCAT_ORDER = "group-concat-order"
    """The parts of a ``GROUP_CONCAT`` result compared as a sorted list."""
    DESCRIBE_INBOUND = "describe-inbound"
    """A DESCRIBE graph may add triples whose object is the described resource."""


ALLOWED: dict[str, frozenset[Tolerance]] = {
    "oxigraph": frozenset({Tolerance.NUMERIC_LEXICAL, Tolerance.GROUP_CONCAT_ORDER}),
    "virtuoso": frozenset(Tolerance),
}
"""Which differences each store may show."""

PATH_JOIN = (
    "Virtuoso 7.2 returns too few rows (often none) when a `*` path (rdfs:subClassOf*) is "
    "joined with other patterns under default-graph-uri dataset parameters"
)

WRONG_ANSWERS: dict[str, dict[str, str]] = {
    "oxigraph": {},
    "virtuoso": {
        "look-alike-organisations": PATH_JOIN,
        "organisation-network": PATH_JOIN,
        "organisation-relations": PATH_JOIN,
    },
}
"""Queries whose answer on a store is wrong, with the reason (README: ``path-join``)."""

ENGINE_ERRORS: dict[str, dict[str, str]] = {
    "oxigraph": {},
    "virtuoso": {},
}
"""Queries a store fails to evaluate (an error of the engine), with the reason; the tests
expect them to fail so."""


@dataclass(frozen=True)
class Comparison:
    """How a remote answer compares with the embedded one."""

    problem: str | None
    needed: frozenset[Tolerance] = frozenset()

    @property
    def agrees(self) -> bool:
        return self.problem is None


_NUMERIC = {
    XSD.integer,
    XSD.decimal,
    XSD.double,
    XSD.float,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
}
_GROUP_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\(\s*(?:DISTINCT\s+)?[^;()]*?"
    r"(?:;\s*SEPARATOR\s*=\s*(?P<sep>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'))?\s*\)"
    r"\s+AS\s+[?$](?P<var>\w+)",
    re.IGNORECASE,
)


def group_concat_columns(query: str) -> dict[str, str]:
    """Variables bound to a GROUP_CONCAT, with their separators (default: one space).

    Examples
    --------
    >>> group_concat_columns('SELECT (GROUP_CONCAT(?n; separator=", ") AS ?names) {}')
    {'names': ', '}
    """
    found = {}
    for match in _GROUP_CONCAT.finditer(query):
        sep = match.group("sep")
        found[match.group("var")] = " " if sep is None else sep[1:-1]
    return found


def _term(term: Term | None, on: Collection[Tolerance], concat: str | None) -> tuple[str, ...]:
    if term is None:
        return ("unbound",)
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    assert isinstance(term, ox.Literal), term
    lexical = term.value
    datatype = "" if term.language else term.datatype.value
    if Tolerance.BOOLEAN_AS_INTEGER in on and datatype == XSD.boolean:
        lexical, datatype = ("1" if lexical in ("true", "1") else "0"), XSD.integer
    if Tolerance.NUMERIC_LEXICAL in on and datatype in _NUMERIC:
        try:
            lexical = str(Decimal(lexical).normalize())
        except InvalidOperation:
            pass
        datatype = "numeric"
    if Tolerance.GROUP_CONCAT_ORDER in on and concat is not None:
        lexical = concat.join(sorted(lexical.split(concat))) if concat else "".join(sorted(lexical))
    return ("lit", lexical, (term.language or "").lower(), datatype)


def _select(
    a: SelectResult, b: SelectResult, on: Collection[Tolerance], query: str, ordered: bool
) -> str | None:
    if a.variables != b.variables:
        return f"variables differ: {a.variables} against {b.variables}"
    concat = group_concat_columns(query)
    columns = [concat.get(v) for v in a.variables]
    rows_a = [tuple(_term(t, on, c) for t, c in zip(r, columns, strict=True)) for r in a.rows]
    rows_b = [tuple(_term(t, on, c) for t, c in zip(r, columns, strict=True)) for r in b.rows]
    if Tolerance.DUPLICATE_ROWS in on:
        if ordered:
            rows_a, rows_b = _unique(rows_a), _unique(rows_b)
        else:
            rows_a, rows_b = sorted(set(rows_a)), sorted(set(rows_b))
    if ordered:
        return None if rows_a == rows_b else "rows differ or come in another order"
    if Counter(rows_a) == Counter(rows_b):
        return None
    only_a = sorted((Counter(rows_a) - Counter(rows_b)).elements())
    only_b = sorted((Counter(rows_b) - Counter(rows_a)).elements())
    return (
        f"{len(rows_a)} rows against {len(rows_b)}; only embedded: {only_a[:3]}; "
        f"only remote: {only_b[:3]}"
    )


def _unique(rows: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    seen: set[tuple[str, ...]] = set()
    return [r for r in rows if not (r in seen or seen.add(r))]  # type: ignore[func-returns-value]


def _graph(a: Sequence[ox.Triple], b: Sequence[ox.Triple], on: Collection[Tolerance]) -> str | None:
    ga, gb = _normal_graph(a, on), _normal_graph(b, on)
    if Tolerance.DESCRIBE_INBOUND in on:
        described = {t.subject for t in ga}
        kept = set(ga)
        gb = [t for t in gb if t in kept or t.object not in described]
    if isomorphic(ga, gb):
        return None
    return f"graphs differ: {len(set(ga))} triples against {len(set(gb))}"


def isomorphic(a: Sequence[ox.Triple], b: Sequence[ox.Triple]) -> bool:
    """Whether two graphs are the same up to the names of their blank nodes (RDFC-1.0)."""
    left = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in a)
    right = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in b)
    if len(left) != len(right):
        return False
    left.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    right.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return left == right


def _normal_graph(graph: Sequence[ox.Triple], on: Collection[Tolerance]) -> list[ox.Triple]:
    """Return the graph with typed literals written as the tolerances read them."""
    result = []
    for t in graph:
        o = t.object
        if isinstance(o, ox.Literal) and not o.language:
            _, lexical, _, datatype = _term(o, on, None)
            o = ox.Literal(
                lexical, datatype=ox.NamedNode(XSD.decimal if datatype == "numeric" else datatype)
            )
        result.append(ox.Triple(t.subject, t.predicate, o))
    return result


def _differ(
    a: Result, b: Result, on: Collection[Tolerance], query: str, ordered: bool
) -> str | None:
    if type(a) is not type(b):
        return f"embedded answered {type(a).__name__}, remote {type(b).__name__}"
    if isinstance(a, AskResult) and isinstance(b, AskResult):
        return None if a.value == b.value else f"ASK: {a.value} against {b.value}"
    if isinstance(a, GraphResult) and isinstance(b, GraphResult):
        return _graph(a.triples, b.triples, on)
    assert isinstance(a, SelectResult) and isinstance(b, SelectResult)
    return _select(a, b, on, query, ordered)


def compare(
    embedded: Result,
    remote: Result,
    *,
    query: str,
    allowed: Collection[Tolerance],
    ordered: bool = False,
) -> Comparison:
    """Compare two answers to ``query``; say which allowed differences were needed.

    Parameters
    ----------
    embedded, remote
        The answers.
    query
        The query's text (to find GROUP_CONCAT columns).
    allowed
        The differences the remote store may show.
    ordered
        Whether the order of rows must be the same.
    """
    if _differ(embedded, remote, (), query, ordered) is None:
        return Comparison(None)
    allowed = frozenset(allowed)
    problem = _differ(embedded, remote, allowed, query, ordered)
    if problem is not None:
        return Comparison(problem)
    needed = set(allowed)  # drop, one by one, what the agreement does not depend on
    for tolerance in sorted(allowed, key=lambda t: t.value):
        if _differ(embedded, remote, needed - {tolerance}, query, ordered) is None:
            needed.discard(tolerance)
    return Comparison(None, frozenset(needed))
