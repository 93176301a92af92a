r"""What the store keeps of a literal: the literals it would change, and what to write.

Oxigraph keeps a literal of an XSD numeric, boolean, date/time or duration datatype as
its value: it writes the value back in one spelling (``"01"`` as ``"1"``, ``"1.50"`` as
``"1.5"``, ``"1"^^xsd:boolean`` as ``"true"``, ``.000Z`` as ``Z``), keeps no subtypes of
``xsd:integer`` (``xsd:nonNegativeInteger`` comes back as ``xsd:integer``) nor
``xsd:dateTimeStamp`` (``xsd:dateTime``), and computes only with integers of 64 bits and
decimals of at most 18 places (past them, ``?v + 1`` and ``?v >= 0`` are unbound). A
source holding such a literal would not come back as written, so it is refused at load
(:func:`clustergraph.rdf.parse.parse_bytes`) with what to write instead.

:func:`changes` asks the store itself: every literal of an XSD datatype is written into
an empty Oxigraph store in memory and read back, so what is refused is exactly what this
store would change, not a list kept by hand.

XML 1.0 cannot carry most control characters (U+0000 to U+001F but tab, line feed and
carriage return, and U+FFFE, U+FFFF): :func:`xml_problem` names the first one a text
holds, and such literals are refused at load too (RDF/XML and the XML query results
could not hold them).

Examples
--------
>>> integer = ox.NamedNode(XSD + "integer")
>>> found = changes([ox.Literal("01", datatype=integer), ox.Literal("1", datatype=integer)])
>>> list(found.values())
['would be kept as "1" (the store keeps one spelling per value): write "1"^^xsd:integer']
>>> xml_problem("a\x0cb")
'U+000C'
>>> xml_problem("a\r\nb") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"

_NUMERIC = frozenset(
    XSD + name
    for name in (
        "integer decimal float double long int short byte nonNegativeInteger "
        "positiveInteger nonPositiveInteger negativeInteger unsignedLong unsignedInt "
        "unsignedShort unsignedByte"
    ).split()
)

_ZONE = r"(?:Z|[+-](?:0[0-9]|1[0-4]):[0-5][0-9])?"
_DAY = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
# Spellings the store surely keeps as written (checked without asking it): canonical
# integers of 64 bits, decimals of at most 18 places, booleans, dates and date-times
# (a zone of +00:00 and an hour 24 are respelled, and are asked about).
_CANONICAL = {
    XSD + "integer": re.compile(r"0|-?[1-9][0-9]{0,17}"),
    XSD + "decimal": re.compile(r"(?!-0$)-?(?:0|[1-9][0-9]{0,19})(?:\.[0-9]{0,17}[1-9])?"),
    XSD + "boolean": re.compile(r"true|false"),
    XSD + "date": re.compile(_DAY + _ZONE),
    XSD + "dateTime": re.compile(
        _DAY + r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]*[1-9])?" + _ZONE
    ),
    XSD + "gYear": re.compile(r"[0-9]{4}" + _ZONE),
    XSD + "gYearMonth": re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])" + _ZONE),
    XSD + "gMonthDay": re.compile(r"--(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])" + _ZONE),
    XSD + "gMonth": re.compile(r"--(?:0[1-9]|1[0-2])" + _ZONE),
    XSD + "gDay": re.compile(r"---(?:0[1-9]|[12][0-9]|3[01])" + _ZONE),
    XSD + "string": re.compile(r".*", re.DOTALL),
}
_ZERO_ZONE = re.compile(r"[+-]00:00$")

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PREDICATE = ox.NamedNode("urn:x-kept:p")
_PREFIX = "urn:x-kept:"


def short(datatype: str) -> str:
    """Write an XSD datatype IRI as ``xsd:name``, any other in angle brackets."""
    return "xsd:" + datatype[len(XSD) :] if datatype.startswith(XSD) else f"<{datatype}>"


def literals(term: object) -> Iterator[ox.Literal]:
    """Yield the literals of a term, looking inside triple terms (RDF 1.2)."""
    if isinstance(term, ox.Literal):
        yield term
    elif isinstance(term, ox.Triple):
        yield from literals(term.subject)
        yield from literals(term.object)


def xml_problems(texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` holds a character XML 1.0 cannot carry (one search)."""
    return _XML_FORBIDDEN.search("\n".join(texts)) is not None


def xml_problem(text: str) -> str | None:
    """Return the first character of ``text`` XML 1.0 cannot carry, as ``U+XXXX``."""
    match = _XML_FORBIDDEN.search(text)
    return None if match is None else f"U+{ord(match.group()):04X}"


def changes(candidates: Iterable[ox.Literal]) -> dict[ox.Literal, str]:
    """Return the literals the store would not keep as written, each with what to write.

    Parameters
    ----------
    candidates
        Literals (repeats are fine); only those of an XSD datatype other than
        ``xsd:string`` are looked at.

    Returns
    -------
    dict
        Literal to a message ending in the fix (``would be kept as "1" (...): write
        "1"``), in the order first given.
    """
    distinct = list(dict.fromkeys(lit for lit in candidates if _asked(lit)))
    if not distinct:
        return {}
    store = ox.Store()
    store.load(
        "".join(
            f"<{_PREFIX}{number}> <{_PREDICATE.value}> {lit} .\n"
            for number, lit in enumerate(distinct)
        ).encode(),
        format=ox.RdfFormat.N_TRIPLES,
    )
    kept: dict[int, ox.Literal] = {}
    for quad in store:
        assert isinstance(quad.object, ox.Literal)
        kept[int(quad.subject.value[len(_PREFIX) :])] = quad.object
    beyond: set[int] = set()
    if any(lit.datatype.value in _NUMERIC for lit in distinct):
        numeric = ", ".join(f"<{d}>" for d in sorted(_NUMERIC))
        beyond = {
            int(row["s"].value[len(_PREFIX) :])
            for row in store.query(  # type: ignore[union-attr]
                f"SELECT ?s WHERE {{ ?s <{_PREDICATE.value}> ?o "
                f"FILTER(DATATYPE(?o) IN ({numeric})) BIND(?o + 0 AS ?x) FILTER(!BOUND(?x)) }}"
            )
        }
    found: dict[ox.Literal, str] = {}
    for number, lit in enumerate(distinct):
        now = kept[number]
        written, datatype = lit.datatype.value, now.datatype.value
        if datatype != written:
            fix = short(datatype) if now.value == lit.value else _n3(now)
            found[lit] = (
                f"would be kept as {_n3(now)} (the store keeps no {short(written)}): write {fix}"
            )
        elif now.value != lit.value:
            found[lit] = (
                f'would be kept as "{now.value}" (the store keeps one spelling per value): '
                f"write {_n3(now)}"
            )
        elif number in beyond:
            found[lit] = (
                "is beyond the numbers the store computes with (integers from -2^63 to "
                "2^63-1, decimals of at most 18 places): write it as an xsd:double if "
                f"an approximation will do, {_n3(_as_double(lit))}"
            )
    return found


def _as_double(lit: ox.Literal) -> ox.Literal:
    """Return ``lit``'s value as the ``xsd:double`` the store keeps (its own spelling)."""
    store = ox.Store()
    term = ox.Literal(lit.value, datatype=ox.NamedNode(XSD + "double"))
    store.add(ox.Quad(ox.NamedNode(_PREFIX), _PREDICATE, term))
    kept = next(iter(store)).object
    assert isinstance(kept, ox.Literal)
    return kept


def _asked(lit: ox.Literal) -> bool:
    """Whether to ask the store about ``lit`` (not when surely kept as written)."""
    if lit.language:
        return False
    datatype = lit.datatype.value
    if not datatype.startswith(XSD):
        return False
    canonical = _CANONICAL.get(datatype)
    if canonical is None:
        return True
    return canonical.fullmatch(lit.value) is None or _ZERO_ZONE.search(lit.value) is not None


def _n3(lit: ox.Literal) -> str:
    return f'"{lit.value}"^^{short(lit.datatype.value)}'
