"""A VoID and DCAT description of the dataset and of its export files.

The description (``void.ttl``, written beside the exports by
:func:`clustergraph.pipeline.publish.export_all`) says:

- ``void:triples``: the triples of the dataset, counted graph by graph (the number of
  N-Quads statements); each named graph is a ``void:subset`` with its own count;
- ``void:classPartition``: for each class, ``void:entities``, the distinct subjects
  typed with it in the data graphs (the ontology graph left out), as ``clustergraph
  stats`` counts them;
- ``void:vocabulary``: the namespaces of the predicates and classes used;
- ``dcterms:license``: CC BY 4.0, as the ontology;
- ``dcat:distribution``: one per export file, with ``dcat:mediaType``, ``dcterms:format``,
  ``dcat:byteSize``, an SPDX SHA-256 ``spdx:checksum`` and a ``dcat:downloadURL``
  relative to the description (the files sit beside it); the files are also the
  dataset's ``void:dataDump``.

Everything is read from the store by SPARQL (:func:`clustergraph.pipeline.stats.stats`).

Examples
--------
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> store.replace_graphs({"urn:g": b"<urn:a> <http://www.w3.org/ns/org#memberOf> <urn:b> ."})
>>> triples = describe(store, {})
>>> [t.object.value for t in triples if t.predicate.value == VOID.triples]
['1', '1']
>>> [t.object.value for t in triples if t.predicate.value == VOID.vocabulary]
['http://www.w3.org/ns/org#']
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from clustergraph.pipeline.export import data_graphs, export_prefixes
from clustergraph.pipeline.stats import stats
from clustergraph.project.layout import BASE, ID_NS
from clustergraph.project.vocab import DCAT, DCTERMS, RDF, SPDX, VOID, XSD, Namespace
from clustergraph.rdf.formats import RdfFormat
from clustergraph.store.base import SelectResult, Store

__all__ = ["DATASET", "LICENSE", "VOID_FILE", "describe", "vocabularies", "void_turtle"]

VOID_FILE = "void.ttl"
"""File name of the description, beside the export files."""

DATASET = BASE + "dataset"
"""IRI of the dataset as a whole."""

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
"""The licence of the ontology and the data (CC BY 4.0)."""

FORMATS = Namespace("http://www.w3.org/ns/formats/")
_IANA = "https://www.iana.org/assignments/media-types/"
_HERE = "x-clustergraph-export:/"
"""A base IRI standing for the directory of the files while the description is written."""

_FORMAT_IRIS = {
    RdfFormat.TURTLE: FORMATS.Turtle,
    RdfFormat.NTRIPLES: FORMATS["N-Triples"],
    RdfFormat.NQUADS: FORMATS["N-Quads"],
    RdfFormat.TRIG: FORMATS.TriG,
    RdfFormat.JSONLD: FORMATS["JSON-LD"],
    RdfFormat.RDFXML: FORMATS.RDF_XML,
}


def vocabularies(
    store: Store, prefixes: Mapping[str, str], *, graphs: Sequence[str] | None = None
) -> list[str]:
    """Return the namespaces of the predicates and classes used in the data graphs, sorted.

    A term belongs to the longest namespace of ``prefixes`` it starts with; terms of no
    known namespace are cut after their last ``#`` or ``/``. Entity IRIs (``id:``) are
    not vocabulary terms.

    Examples
    --------
    >>> from clustergraph.store import open_store
    >>> store = open_store("memory:")
    >>> store.replace_graphs({"urn:g": b"<urn:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e.org/v/C> ."})
    >>> vocabularies(store, {})
    ['http://e.org/v/', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#']
    """  # noqa: E501
    names = data_graphs(store) if graphs is None else list(graphs)
    if not names:
        return []
    result = store.query(
        "SELECT DISTINCT ?term WHERE { { ?s ?term ?o } UNION { ?s a ?term FILTER(isIRI(?term)) } }",
        graphs=names,
    )
    assert isinstance(result, SelectResult)
    terms = {row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode)}
    namespaces = sorted({iri for iri in prefixes.values() if iri}, key=len, reverse=True)
    found: set[str] = set()
    for term in terms:
        if term.startswith(ID_NS):
            continue
        namespace = next((ns for ns in namespaces if term.startswith(ns) and term != ns), None)
        if namespace is None:
            cut = max(term.rfind("#"), term.rfind("/"))
            namespace = term[: cut + 1] if cut > 0 else term
        found.add(namespace)
    return sorted(found)


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _integer(value: int, datatype: str = XSD.integer) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(datatype))


def _english(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def describe(store: Store, files: Mapping[RdfFormat, Path]) -> list[ox.Triple]:
    """Describe the dataset of ``store`` and its export ``files`` in VoID and DCAT.

    Parameters
    ----------
    store
        The store (only read).
    files
        The export file of each format (see :func:`clustergraph.pipeline.publish.export_all`);
        each becomes a distribution, with its size and SHA-256 read from the file.

    Returns
    -------
    list of pyoxigraph.Triple
        The description, sorted; write it with :func:`void_turtle`, which makes the
        download URLs relative to the directory of the files.
    """
    counted = stats(store)
    dataset = _iri(DATASET)
    license_ = _iri(LICENSE)
    triples: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [
        (dataset, RDF.type, _iri(VOID.Dataset)),
        (dataset, RDF.type, _iri(DCAT.Dataset)),
        (dataset, DCTERMS.title, _english("clustergraph")),
        (
            dataset,
            DCTERMS.description,
            _english(
                "A knowledge graph of industry clusters, cluster networks and the "
                "organisations and people around them, one named graph per source article."
            ),
        ),
        (dataset, DCTERMS.license, license_),
        (dataset, VOID.uriSpace, ox.Literal(ID_NS)),
        (dataset, VOID.triples, _integer(counted.total_triples)),
    ]
    for count in counted.graphs:
        graph = _iri(count.graph)
        triples += [
            (dataset, VOID.subset, graph),
            (graph, RDF.type, _iri(VOID.Dataset)),
            (graph, VOID.triples, _integer(count.triples)),
        ]
    for cls in counted.classes:
        # Named, not blank, so that the description is the same bytes for the same data.
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", cls.name.strip("<>")).strip("-")
        partition = _iri(f"{DATASET}/class/{slug}")
        triples += [
            (dataset, VOID.classPartition, partition),
            (partition, VOID["class"], _iri(cls.cls)),
            (partition, VOID.entities, _integer(cls.entities)),
        ]
    used = vocabularies(store, export_prefixes(), graphs=[g.graph for g in counted.graphs])
    triples += [(dataset, VOID.vocabulary, _iri(vocabulary)) for vocabulary in used]
    for fmt, path in files.items():
        data = Path(path).read_bytes()
        download = _iri(_HERE + Path(path).name)
        node = _iri(f"{DATASET}/distribution/{fmt.value}")
        checksum = _iri(f"{node.value}/sha256")
        holds = "the named graphs, one per file" if fmt.supports_datasets else "their union"
        triples += [
            (dataset, DCAT.distribution, node),
            (dataset, VOID.dataDump, download),
            (node, RDF.type, _iri(DCAT.Distribution)),
            (node, DCTERMS.title, _english(f"clustergraph in {fmt.label}")),
            (node, DCTERMS.description, _english(f"Holds {holds}.")),
            (node, DCAT.downloadURL, download),
            (node, DCAT.mediaType, _iri(_IANA + fmt.media_type)),
            (node, DCTERMS["format"], _iri(_FORMAT_IRIS[fmt])),
            (node, DCTERMS.license, license_),
            (node, DCAT.byteSize, _integer(len(data), XSD.nonNegativeInteger)),
            (node, SPDX.checksum, checksum),
            (checksum, RDF.type, _iri(SPDX.Checksum)),
            (checksum, SPDX.algorithm, _iri(SPDX.checksumAlgorithm_sha256)),
            (
                checksum,
                SPDX.checksumValue,
                ox.Literal(hashlib.sha256(data).hexdigest(), datatype=_iri(XSD.hexBinary)),
            ),
        ]
    unique = {ox.Triple(s, _iri(p), o) for s, p, o in triples}
    return sorted(unique, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def void_turtle(triples: Sequence[ox.Triple]) -> bytes:
    """Write a description as Turtle, its download URLs relative to the file itself.

    Examples
    --------
    >>> t = ox.Triple(ox.NamedNode(DATASET), ox.NamedNode(DCAT.downloadURL),
    ...               ox.NamedNode(_HERE + "clustergraph.ttl"))
    >>> print(void_turtle([t]).decode().splitlines()[-1])
    <https://w3id.org/clustergraph/dataset> dcat:downloadURL <clustergraph.ttl> .
    """
    prefixes = {
        **export_prefixes(),
        "void": str(VOID),
        "dcat": str(DCAT),
        "spdx": str(SPDX),
        "formats": str(FORMATS),
    }
    text = (
        ox.serialize(
            triples,
            format=ox.RdfFormat.TURTLE,
            prefixes=dict(sorted(prefixes.items())),
            base_iri=_HERE,
        )
        or b""
    )
    # Without the @base line, relative IRIs resolve against wherever void.ttl is read from.
    first, _, rest = text.partition(b"\n")
    assert first.startswith(b"@base "), first
    return rest
