"""Namespaces of the vocabularies the project uses, as plain strings.

Terms are ``str`` IRIs, so they compare with a term's ``.value`` and go into SPARQL
text as ``<{ORG.memberOf}>``. The ontology's own namespace is closed and generated from
the ontology (:class:`clustergraph.project.namespace.CG`): an unknown ``cg:`` name is an
error. The namespaces of other vocabularies are open.

Examples
--------
>>> ORG.memberOf
'http://www.w3.org/ns/org#memberOf'
>>> SCHEMA["foundingDate"], "http://www.w3.org/ns/org#Post" in ORG
('https://schema.org/foundingDate', True)
>>> ORG._private
Traceback (most recent call last):
...
AttributeError: _private
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class Namespace:
    """An open namespace: every attribute or item is a term of it."""

    def __init__(self, iri: str) -> None:
        self._iri = iri

    def __getattr__(self, name: str) -> str:
        """Return the term ``name`` of the namespace."""
        if name.startswith("_"):
            raise AttributeError(name)
        return self._iri + name

    def __getitem__(self, name: str) -> str:
        """Return the term ``name`` (for names that are not Python identifiers)."""
        return self._iri + name

    def __contains__(self, iri: object) -> bool:
        """Whether ``iri`` is in the namespace."""
        return isinstance(iri, str) and iri.startswith(self._iri) and iri != self._iri

    def __str__(self) -> str:
        """Return the namespace IRI."""
        return self._iri

    def __repr__(self) -> str:
        """Show the namespace IRI."""
        return f"Namespace({self._iri!r})"


class ClosedNamespace(type):
    """Metaclass of a closed namespace: its class attributes are its only terms.

    ``NS["name"]`` reaches terms whose names are not Python identifiers (listed in the
    class's ``_extras``); an unknown name raises :class:`AttributeError`.
    """

    _NS: str
    _extras: tuple[str, ...]

    def __getitem__(cls, name: str) -> str:
        """Return the term ``name``, or raise AttributeError if it is not one."""
        if name in cls._extras or (not name.startswith("_") and name in vars(cls)):
            return cls._NS + name
        raise AttributeError(f"{name!r} is not a term of {cls._NS}")

    def __contains__(cls, iri: object) -> bool:
        """Whether ``iri`` is a term of the namespace."""
        return isinstance(iri, str) and iri.startswith(cls._NS) and iri[len(cls._NS) :] in set(cls)

    def __iter__(cls) -> Iterator[str]:
        """Iterate over the local names of the terms."""
        names = [n for n, v in vars(cls).items() if not n.startswith("_") and isinstance(v, str)]
        return iter([*names, *cls._extras])

    def __str__(cls) -> str:
        """Return the namespace IRI."""
        return cls._NS

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        """Refuse: a namespace is not instantiated."""
        raise TypeError(f"{cls.__name__} is a namespace, not a class to instantiate")


RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
ROV = Namespace("http://www.w3.org/ns/regorg#")
VANN = Namespace("http://purl.org/vocab/vann/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
