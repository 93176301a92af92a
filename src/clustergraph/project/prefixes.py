"""Prefixes: how IRIs are shown as prefixed names in reports, tables and pages.

:data:`PREFIXES` holds every prefix the project knows: those of the vocabularies it
uses (:data:`DEFAULT_PREFIXES` and a few more) and one per kind of entity
(:data:`ENTITY_PREFIXES`, as the data files write them: ``o:lcn``).

Examples
--------
>>> compact("https://w3id.org/clustergraph/ontology#Cluster", PREFIXES)
'cg:Cluster'
>>> compact("https://w3id.org/clustergraph/id/org/lcn", PREFIXES)
'o:lcn'
>>> compact("https://w3id.org/clustergraph/id/org/lcn", DEFAULT_PREFIXES)
'id:org/lcn'
>>> compact("http://example.org/x", PREFIXES)
'<http://example.org/x>'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import pyoxigraph as ox

from clustergraph.project.layout import CG_NS, GRAPH_NS, ID_NS

DEFAULT_PREFIXES: Mapping[str, str] = {
    "cg": CG_NS,
    "id": ID_NS,
    "graph": GRAPH_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
}
"""Prefixes of the ontology, the entities, the graphs and the core vocabularies."""

VOCABULARY_PREFIXES: Mapping[str, str] = {
    **DEFAULT_PREFIXES,
    "schema": "https://schema.org/",
    "time": "http://www.w3.org/2006/time#",
    "rov": "http://www.w3.org/ns/regorg#",
    "vann": "http://purl.org/vocab/vann/",
}
"""Prefixes of every vocabulary the ontology and the data use."""

ENTITY_PREFIXES: Mapping[str, str] = {
    name: ID_NS + kind
    for name, kind in {
        "o": "org/", "per": "person/", "mem": "membership/", "post": "post/",
        "award": "award/", "proj": "project/", "prog": "programme/", "doc": "document/",
        "ev": "event/", "fig": "figure/", "src": "source/", "t": "time/", "place": "place/",
        "sector": "sector/", "role": "role/", "right": "right/", "sel": "selection/",
        "level": "label-level/", "lf": "legal-form/", "country": "country/",
        "measure": "measure/", "cmp": "comparator/", "freq": "frequency/", "scheme": "scheme/",
    }.items()
}  # fmt: skip
"""The data files' prefixes for entity IRIs (``o:eacn``), one per kind of entity."""

PREFIXES: Mapping[str, str] = {**VOCABULARY_PREFIXES, **ENTITY_PREFIXES}
"""Every prefix the project knows."""

# The letters of SPARQL's and Turtle's prefixed names (PN_CHARS_BASE, PN_CHARS), as the
# inside of a regular expression's character class.
PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
PN_CHARS = PN_CHARS_BASE + "_\\-0-9\u00b7\u0300-\u036f\u203f\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
PN_PREFIX = f"[{PN_CHARS_BASE}](?:[{PN_CHARS}.]*[{PN_CHARS}])?"
"""A regular expression of SPARQL's PN_PREFIX."""
PN_LOCAL = f"(?:[{PN_CHARS}:/]|{_PLX})(?:(?:[{PN_CHARS}.:/]|{_PLX})*(?:[{PN_CHARS}:/]|{_PLX}))?"
"""A regular expression of SPARQL's PN_LOCAL (escapes included), with '/' allowed as is."""


# Local parts shown after a prefix: Turtle's PN_LOCAL without escapes, with '/' allowed,
# so that entity IRIs show as ``id:<kind>/<slug>`` (and ``o:šiaulių-klasteris``).
@functools.cache
def _unicode_local() -> re.Pattern[str]:
    # Compiled when first needed: its Unicode classes take tens of milliseconds to
    # compile, which every command would pay at start-up.
    return re.compile(f"(?:[{PN_CHARS}/](?:[{PN_CHARS}./]*[{PN_CHARS}/])?)?")


_ASCII_LOCAL = re.compile(r"(?:[A-Za-z0-9_\-/](?:[A-Za-z0-9_\-./]*[A-Za-z0-9_\-/])?)?")
"""The same, for ASCII text (the ASCII letters of PN_CHARS are these)."""


def _local_fits(text: str) -> bool:
    """Whether ``text`` can be written as it is after a prefix."""
    if text.isascii():
        return _ASCII_LOCAL.fullmatch(text) is not None
    return _unicode_local().fullmatch(text) is not None


def compact(
    term: ox.NamedNode | ox.BlankNode | ox.Literal | str, prefixes: Mapping[str, str]
) -> str:
    """Return a short readable form of an RDF term.

    IRIs become prefixed names where a namespace fits (the longest one wins),
    otherwise ``<iri>``; literals are shown in Turtle syntax; blank nodes as ``_:id``.

    Parameters
    ----------
    term
        The term (a plain string counts as an IRI).
    prefixes
        The prefix -> namespace IRI bindings to use.

    Returns
    -------
    str
        The readable form.

    Examples
    --------
    >>> compact(ox.Literal("1990", datatype=ox.NamedNode(DEFAULT_PREFIXES["xsd"] + "gYear")),
    ...         DEFAULT_PREFIXES)
    '"1990"^^xsd:gYear'
    >>> compact(ox.Literal("Öresund", language="sv"), DEFAULT_PREFIXES)
    '"Öresund"@sv'
    """
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        text = term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        if term.language:
            return f'"{text}"@{term.language}'
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return f'"{text}"'
        return f'"{text}"^^{compact(datatype, prefixes)}'
    iri = term.value if isinstance(term, ox.NamedNode) else str(term)
    return _compactor(prefixes).iri(iri)


class _Compactor:
    """Compact IRIs with one set of prefixes, longest namespace first, remembering answers."""

    _LIMIT = 1 << 17  # answers kept; past that the memory starts again

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        found = [(namespace, prefix) for prefix, namespace in prefixes.items() if namespace]
        # Longest first; of two as long, the one the mapping gives first (sort is stable).
        self.namespaces = sorted(found, key=lambda pair: -len(pair[0]))
        self.answers: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        answer = self.answers.get(iri)
        if answer is None:
            answer = f"<{iri}>"
            for namespace, prefix in self.namespaces:
                if iri.startswith(namespace) and _local_fits(iri[len(namespace) :]):
                    answer = f"{prefix}:{iri[len(namespace) :]}"
                    break
            if len(self.answers) >= self._LIMIT:
                self.answers.clear()
            self.answers[iri] = answer
        return answer


_COMPACTORS: dict[tuple[tuple[str, str], ...], _Compactor] = {}


def _compactor(prefixes: Mapping[str, str]) -> _Compactor:
    """Return the compactor of ``prefixes`` (by content: a changed mapping gets its own)."""
    key = tuple(prefixes.items())
    found = _COMPACTORS.get(key)
    if found is None:
        if len(_COMPACTORS) >= 64:
            _COMPACTORS.clear()
        found = _COMPACTORS[key] = _Compactor(prefixes)
    return found
