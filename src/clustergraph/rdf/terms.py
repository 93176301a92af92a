"""RDF terms: conversion between pyoxigraph and rdflib, and safe parsing of user input.

rdflib terms are the project's common currency: every engine returns them. Values a
user types (query parameters, entity names) become terms here, checked so that no
value can change the text of a query it is bound into.

Examples
--------
>>> import pyoxigraph as ox
>>> to_rdflib(ox.Literal("Šetkus", language="lt"))
rdflib.term.Literal('Šetkus', lang='lt')
>>> to_oxigraph(URIRef("https://w3id.org/clustergraph/id/org/eacn"))
<NamedNode value=https://w3id.org/clustergraph/id/org/eacn>
>>> parse_iri("o:eacn", {"o": "https://w3id.org/clustergraph/id/org/"})
rdflib.term.URIRef('https://w3id.org/clustergraph/id/org/eacn')
>>> parse_iri("<https://e.org/a> } ; DROP ALL", {})
Traceback (most recent call last):
...
clustergraph.errors.InputError: not an IRI: '<https://e.org/a> } ; DROP ALL'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeAlias

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from clustergraph.errors import InputError

OxTerm: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph
"""A pyoxigraph term (or its default graph, in the graph position of a quad)."""

_XSD_STRING = str(XSD.string)
# RFC 3987 IRI with a scheme; the characters SPARQL's IRIREF forbids are excluded.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*")
_PREFIXED = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*)?:([A-Za-z0-9_][A-Za-z0-9_./-]*)")


def canonical_language(tag: str) -> str:
    """Return a language tag in the canonical case of BCP 47 (RFC 5646, section 2.1.1).

    Language tags are case-insensitive; pyoxigraph lowercases them, and this restores
    the usual spelling: regions upper case, scripts title case, the rest lower case.

    Examples
    --------
    >>> canonical_language("en-gb"), canonical_language("SR-latn-rs"), canonical_language("de-x-ch")
    ('en-GB', 'sr-Latn-RS', 'de-x-ch')
    """
    subtags = tag.lower().split("-")
    for index in range(1, len(subtags)):
        subtag = subtags[index]
        if len(subtag) == 1:  # extensions and private use stay lower case
            break
        if len(subtag) == 2:
            subtags[index] = subtag.upper()
        elif len(subtag) == 4:
            subtags[index] = subtag.title()
    return "-".join(subtags)


def to_rdflib(term: object, bnodes: dict[str, BNode] | None = None) -> Node:
    """Convert a pyoxigraph term to rdflib.

    Parameters
    ----------
    term
        A pyoxigraph named node, blank node or literal.
    bnodes
        Blank node labels seen so far, so that one label maps to one rdflib blank node
        (pass one dictionary per document to keep documents' blank nodes apart).

    Returns
    -------
    Node
        The rdflib term; ``xsd:string`` literals become plain literals.

    Raises
    ------
    InputError
        For terms rdflib cannot hold (RDF-star triple terms, directional strings).
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        if bnodes is None:
            return BNode(term.value)
        node = bnodes.get(term.value)
        if node is None:
            node = bnodes[term.value] = BNode()
        return node
    if isinstance(term, ox.Literal):
        if getattr(term, "direction", None) is not None:
            raise InputError("directional language strings are not supported")
        if term.language:
            return Literal(term.value, lang=canonical_language(term.language))
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise InputError(f"unsupported RDF term {term!r} (RDF-star triple terms?)")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to pyoxigraph.

    Examples
    --------
    >>> to_oxigraph(Literal("24", datatype=XSD.integer))
    <Literal value=24 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise InputError(f"cannot convert {term!r} to an RDF term")


def parse_iri(text: str, prefixes: Mapping[str, str]) -> URIRef:
    """Parse an IRI typed by a user: ``<IRI>``, a bare absolute IRI, or a prefixed name.

    Parameters
    ----------
    text
        What the user typed.
    prefixes
        Prefix name to namespace IRI, for prefixed names.

    Returns
    -------
    URIRef
        The IRI, checked to hold none of the characters SPARQL forbids in IRIs.

    Raises
    ------
    InputError
        If ``text`` is not an IRI or uses an unknown prefix.

    Examples
    --------
    >>> parse_iri("<https://w3id.org/clustergraph/id/person/irmina-valyte>", {})
    rdflib.term.URIRef('https://w3id.org/clustergraph/id/person/irmina-valyte')
    >>> parse_iri("x:y", {})
    Traceback (most recent call last):
    ...
    clustergraph.errors.InputError: unknown prefix 'x' in 'x:y'
    """
    body = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    match = _PREFIXED.fullmatch(body) if body is text else None
    if match is not None and "://" not in body:
        prefix = match.group(1) or ""
        if prefix not in prefixes:
            raise InputError(f"unknown prefix {prefix!r} in {text!r}")
        body = prefixes[prefix] + match.group(2)
    if not _IRI.fullmatch(body):
        raise InputError(f"not an IRI: {text!r}")
    return URIRef(body)
