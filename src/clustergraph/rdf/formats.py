"""The RDF formats the toolkit reads and writes.

========  ===========  ========================  ===============================
format    extension    media type                holds
========  ===========  ========================  ===============================
turtle    ``.ttl``     ``text/turtle``           triples (a graph)
ntriples  ``.nt``      ``application/n-triples`` triples (a graph)
nquads    ``.nq``      ``application/n-quads``   quads (named graphs)
trig      ``.trig``    ``application/trig``      quads (named graphs)
jsonld    ``.jsonld``  ``application/ld+json``   quads (named graphs)
rdfxml    ``.rdf``     ``application/rdf+xml``   triples (a graph)
========  ===========  ========================  ===============================

Examples
--------
>>> RdfFormat("jsonld").media_type, RdfFormat.TRIG.supports_datasets
('application/ld+json', True)
>>> RdfFormat.from_path("data/sources/x.TriG")
<RdfFormat.TRIG: 'trig'>
>>> RdfFormat.NQUADS.oxigraph
<RdfFormat N-Quads>
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import PurePath

import pyoxigraph as ox


@dataclass(frozen=True)
class _Spec:
    label: str
    extension: str
    media_type: str
    datasets: bool
    oxigraph: ox.RdfFormat
    rdflib: str
    rapper: str | None


class RdfFormat(enum.Enum):
    """An RDF format (values are the names the command line takes)."""

    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    NQUADS = "nquads"
    TRIG = "trig"
    JSONLD = "jsonld"
    RDFXML = "rdfxml"

    @property
    def _spec(self) -> _Spec:
        return _SPECS[self]

    @property
    def label(self) -> str:
        """The format's usual name, for example ``"N-Quads"``."""
        return self._spec.label

    @property
    def file_extension(self) -> str:
        """The usual file extension, without the dot."""
        return self._spec.extension

    @property
    def media_type(self) -> str:
        """The IANA media type."""
        return self._spec.media_type

    @property
    def supports_datasets(self) -> bool:
        """Whether the format keeps named graphs (else it holds one graph)."""
        return self._spec.datasets

    @property
    def oxigraph(self) -> ox.RdfFormat:
        """The format for pyoxigraph's parsers and serialisers."""
        return self._spec.oxigraph

    @property
    def rdflib_format(self) -> str:
        """The name of the format for rdflib's parsers and serialisers."""
        return self._spec.rdflib

    @property
    def rapper_format(self) -> str | None:
        """The name of the format for raptor's ``rapper -i`` (None: raptor cannot read it)."""
        return self._spec.rapper

    @classmethod
    def from_path(cls, path: str | PurePath) -> RdfFormat | None:
        """Return the format a file's extension names, in any case (None if unknown)."""
        suffix = PurePath(path).suffix.lower().lstrip(".")
        for fmt, spec in _SPECS.items():
            if spec.extension == suffix:
                return fmt
        return None


_SPECS: dict[RdfFormat, _Spec] = {
    RdfFormat.TURTLE: _Spec(
        "Turtle", "ttl", "text/turtle", False, ox.RdfFormat.TURTLE, "turtle", "turtle"
    ),
    RdfFormat.NTRIPLES: _Spec(
        "N-Triples",
        "nt",
        "application/n-triples",
        False,
        ox.RdfFormat.N_TRIPLES,
        "nt",
        "ntriples",
    ),
    RdfFormat.NQUADS: _Spec(
        "N-Quads", "nq", "application/n-quads", True, ox.RdfFormat.N_QUADS, "nquads", "nquads"
    ),
    RdfFormat.TRIG: _Spec(
        "TriG", "trig", "application/trig", True, ox.RdfFormat.TRIG, "trig", "trig"
    ),
    # raptor 2 has no JSON-LD parser (its "json" is RDF/JSON).
    RdfFormat.JSONLD: _Spec(
        "JSON-LD", "jsonld", "application/ld+json", True, ox.RdfFormat.JSON_LD, "json-ld", None
    ),
    RdfFormat.RDFXML: _Spec(
        "RDF/XML", "rdf", "application/rdf+xml", False, ox.RdfFormat.RDF_XML, "xml", "rdfxml"
    ),
}
