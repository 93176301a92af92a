"""Comparing query answers: with a manifest's expected values, and between engines.

Manifest values are written as prefixed names (or ``<iri>``) for IRIs and as their
lexical form for literals. Between engines, terms are compared by value, not by how
an engine writes them: ``"1.50"^^xsd:decimal`` and ``"1.5"^^xsd:decimal`` are equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from clustergraph.rdf.terms import Term
from clustergraph.store.base import Result

Value = tuple[str, str]
_PREFIXED = re.compile(r"^([A-Za-z][\w.-]*)?:(\S*)$")


def expected_value(text: str, prefixes: Mapping[str, str]) -> Value:
    """Read a manifest value: a prefixed name or ``<iri>`` is an IRI, anything else a literal."""
    if text.startswith("<") and text.endswith(">"):
        return ("iri", text[1:-1])
    match = _PREFIXED.match(text)
    if match and (match.group(1) or "") in prefixes and "://" not in text:
        return ("iri", prefixes[match.group(1) or ""] + match.group(2))
    return ("lit", text)


def result_value(term: Term | None) -> Value:
    """Write a result term as a manifest would (an unbound value is ``""``)."""
    if term is None:
        return ("lit", "")
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.Literal):
        return ("lit", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", "")
    raise TypeError(f"unexpected term in a result: {term!r}")


def show(value: Value, prefixes: Mapping[str, str]) -> str:
    """Show a value as the manifest would, for failure messages."""
    kind, text = value
    if kind != "iri":
        return repr(text)
    best = max(
        (p for p, ns in prefixes.items() if text.startswith(ns)),
        key=lambda p: len(prefixes[p]),
        default=None,
    )
    return f"{best}:{text[len(prefixes[best]) :]}" if best is not None else f"<{text}>"


def compare_rows(
    actual: Sequence[Sequence[Value]],
    expected: Sequence[Sequence[Value]],
    *,
    ordered: bool,
    prefixes: Mapping[str, str],
) -> str | None:
    """Return why ``actual`` differs from ``expected`` (``None`` if it does not).

    Rows are compared as sets unless ``ordered``, then as lists.
    """
    if ordered:
        if [tuple(r) for r in actual] == [tuple(r) for r in expected]:
            return None
    else:
        have, want = {tuple(r) for r in actual}, {tuple(r) for r in expected}
        if have == want:
            return None

    def lines(rows: Iterable[Sequence[Value]]) -> str:
        text = "\n".join("  [" + ", ".join(show(v, prefixes) for v in row) + "]" for row in rows)
        return text or "  (none)"

    if not ordered:
        missing = sorted({tuple(r) for r in expected} - {tuple(r) for r in actual})
        extra = sorted({tuple(r) for r in actual} - {tuple(r) for r in expected})
        return f"missing rows:\n{lines(missing)}\nunexpected rows:\n{lines(extra)}"
    return f"expected, in order:\n{lines(expected)}\ngot:\n{lines(actual)}"


def same_answer(a: Result, b: Result, *, ordered: bool = False) -> str | None:
    """Return how two engines' answers to one query differ (``None`` if they agree).

    Terms are compared by value (``1.50`` and ``1.5`` are the same decimal), blank nodes
    and graphs up to isomorphism, rows as multisets unless ``ordered``; nothing else is
    forgiven (see :mod:`tests.compat` for the differences remote stores are allowed).
    """
    from tests.support.compat import Tolerance, compare

    return compare(a, b, query="", allowed={Tolerance.NUMERIC_LEXICAL}, ordered=ordered).problem
