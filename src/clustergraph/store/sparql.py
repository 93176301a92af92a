r"""SPARQL text: the form of a query, and parameters bound as a ``VALUES`` block.

Parameters are bound as RDF terms, never pasted into the query as text: they travel as a
``VALUES`` block placed first in the query's top-level ``WHERE`` group, written from the
checked terms themselves (:func:`clustergraph.rdf.terms.n3`), so a value holding quotes
or braces stays one literal. This works on every store, embedded or remote, and pre-binds
the variable in the top-level group, aggregates included; a parameter must therefore be
used in the query's top-level pattern, not only inside a subquery.

Examples
--------
>>> import pyoxigraph as ox
>>> values_clause({"org": ox.NamedNode("https://w3id.org/clustergraph/id/org/lcn")})
'VALUES (?org) { (<https://w3id.org/clustergraph/id/org/lcn>) }'
>>> print(bind_values('SELECT ?s WHERE { ?s ?p ?o }', {"o": ox.Literal('" } DROP ALL {')}))
SELECT ?s WHERE { VALUES (?o) { ("\" } DROP ALL {") } ?s ?p ?o }
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from clustergraph.errors import InputError, QueryError
from clustergraph.rdf.terms import Term, n3

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
"""The four forms of a SPARQL query."""

MAX_NESTING = 128
"""Most brackets (``{``, ``(``, ``[``) a query may have open at once (:func:`check_shape`)."""

MAX_OPERATORS = 1_000
"""Most operators a query may chain (:func:`check_shape`): ``+ - * / | ^ ! && || =``
and the like, ``UNION``, ``MINUS`` and ``OPTIONAL``."""


def values_clause(bindings: Mapping[str, Term]) -> str:
    """Write ``bindings`` as a one-row SPARQL ``VALUES`` clause."""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(n3(term) for term in bindings.values())
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
# A name (keyword, prefixed name, number) or a variable: stepped over whole, so a hyphen
# inside ``ex:a-b`` or ``1e-5`` is not counted as an operator.
_NAME = re.compile(r"[?$]?[\w][\w.:%-]*", re.UNICODE)
_DATATYPE = re.compile(r"\^\^|@[A-Za-z][A-Za-z0-9-]*")
_OPERATOR = re.compile(r"&&|\|\||!=|<=|>=|[-+*/|^!=<>]")
_OPERATOR_WORDS = frozenset({"UNION", "MINUS", "OPTIONAL"})


def _rough_operators(text: str) -> int:
    """Count at least as many operators as :func:`check_shape` would (a quick bound)."""
    upper = text.upper()
    return sum(map(text.count, "+-*/|^!=<>&")) + sum(map(upper.count, _OPERATOR_WORDS))


def check_shape(text: str, *, operators: bool = True) -> None:
    """Refuse a query nested or chained deeper than the engine can evaluate safely.

    Oxigraph parses and evaluates a query by recursion: a query nested about 2,000
    brackets deep, or chaining about 10,000 operators (``1+1+...``, ``{} UNION {}
    ...``), overflows its stack and ends the process. Every query the store runs is
    checked first: at most :data:`MAX_NESTING` brackets open at once and
    :data:`MAX_OPERATORS` operators in all (the deepest tree either allows stays far
    from the overflow). Comments, strings, IRIs, language tags and ``^^`` are stepped
    over; ``operators=False`` checks the nesting alone (an update's data).

    Raises
    ------
    QueryError
        Naming the limit the query passes.

    Examples
    --------
    >>> check_shape("SELECT * WHERE { ?s ?p ?o FILTER(?o != 'a(((') }")
    >>> check_shape("ASK " + "{" * 200 + "}" * 200)
    Traceback (most recent call last):
    ...
    clustergraph.errors.QueryError: the query nests brackets more than 128 deep (the limit)
    """
    limit = MAX_OPERATORS if operators else len(text)
    if sum(map(text.count, "{([")) <= MAX_NESTING and (
        not operators or _rough_operators(text) <= MAX_OPERATORS
    ):
        return  # what is counted below cannot pass the limits: no need to scan
    depth = chained = 0
    i, end = 0, len(text)
    while i < end:
        skip = _SKIP.match(text, i) or _DATATYPE.match(text, i)
        if skip is not None:
            i = skip.end()
            continue
        name = _NAME.match(text, i)
        if name is not None:
            if name.group().upper() in _OPERATOR_WORDS:
                chained += 1
            i = name.end()
        elif (operator := _OPERATOR.match(text, i)) is not None:
            chained += 1
            i = operator.end()
        else:
            char = text[i]
            if char in "{([":
                depth += 1
                if depth > MAX_NESTING:
                    raise QueryError(
                        f"the query nests brackets more than {MAX_NESTING} deep (the limit)"
                    )
            elif char in "})]":
                depth -= 1
            i += 1
        if chained > limit:
            raise QueryError(f"the query chains more than {MAX_OPERATORS:,} operators (the limit)")


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
            if keyword in QUERY_FORMS and not text.startswith(":", word.end()):
                return keyword  # (``construct:`` would be a prefix)
            i = word.end()
            continue
        i += 1
    raise InputError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def has_keyword(text: str, keyword: str) -> bool:
    r"""Return whether ``keyword`` is a keyword of the query (comments, strings, IRIs aside).

    Examples
    --------
    >>> has_keyword("# a graph view\nSELECT * { GRAPH ?g { ?s ?p ?o } }", "GRAPH")
    True
    >>> has_keyword('# a graph view\nSELECT * { ?s <urn:graph> "GRAPH" ; a:graph-x ?o }', "GRAPH")
    False
    """
    wanted = keyword.upper()
    i = 0
    while i < len(text):
        skip = _SKIP.match(text, i)
        if skip is not None:
            i = skip.end()
            continue
        name = _NAME.match(text, i)
        if name is not None and name.end() > i:
            if name.group().upper() == wanted:
                return True
            i = name.end()
            continue
        i += 1
    return False


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


def bind_values(text: str, bindings: Mapping[str, Term]) -> str:
    """Bind variables by a VALUES block placed first in the top-level WHERE group.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> bind_values("SELECT ?n WHERE { ?x <urn:name> ?n }", {"x": ox.NamedNode("urn:a")})
    'SELECT ?n WHERE { VALUES (?x) { (<urn:a>) } ?x <urn:name> ?n }'
    """
    at = where_group_start(text)
    return f"{text[:at]} {values_clause(bindings)}{text[at:]}"


_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


def service_targets(text: str) -> list[str | None]:
    """Return the endpoints a query's ``SERVICE`` clauses call (``None``: a variable).

    Comments, strings and IRIs are stepped over; a prefixed name is expanded with the
    query's own ``PREFIX`` declarations (an unknown prefix gives its text as written).

    Examples
    --------
    >>> service_targets('PREFIX e: <http://h/> SELECT * { SERVICE SILENT e:q { ?s ?p ?o } '
    ...                 'SERVICE ?x {} FILTER(?o = "SERVICE <x>") }')
    ['http://h/q', None]
    """
    prefixes = {p or "": iri for p, iri in _PREFIX_DECL.findall(text)}
    found: list[str | None] = []
    expecting = False
    i = 0
    while i < len(text):
        skip = _SKIP.match(text, i)
        if skip is not None:
            if expecting and skip.group().startswith("<"):
                found.append(skip.group()[1:-1])
                expecting = False
            i = skip.end()
            continue
        name = _NAME.match(text, i) or re.compile(r"[A-Za-z_]*:[\w.:%-]*").match(text, i)
        if name is not None and name.end() > i:
            word = name.group()
            if word.upper() == "SERVICE":
                expecting = True
            elif expecting and word.upper() != "SILENT":
                if word.startswith(("?", "$")):
                    found.append(None)
                else:
                    prefix, _, local = word.partition(":")
                    found.append(prefixes[prefix] + local if prefix in prefixes else word)
                expecting = False
            i = name.end()
            continue
        i += 1
    return found
