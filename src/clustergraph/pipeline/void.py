"""A VoID and DCAT description of the dataset and of its export files.

The description (``void.ttl``, written beside the exports by
:func:`clustergraph.pipeline.export.export_all`) says:

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

Examples
--------
>>> from rdflib import Dataset, URIRef
>>> ds = Dataset(default_union=True)
>>> _ = ds.graph("urn:g").add((URIRef("urn:a"), URIRef("http://www.w3.org/ns/org#memberOf"),
...                            URIRef("urn:b")))
>>> g = describe(ds, {})
>>> int(g.value(DATASET, VOID.triples)), sorted(str(v) for v in g.objects(DATASET, VOID.vocabulary))
(1, ['http://www.w3.org/ns/org#'])
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from clustergraph.pipeline.load import named_graphs
from clustergraph.project.layout import BASE, ID_NS
from clustergraph.project.prefixes import new_namespace_manager

if TYPE_CHECKING:
    from clustergraph.pipeline.export import RdfFormat

VOID_FILE = "void.ttl"
"""File name of the description, beside the export files."""

DATASET = URIRef(BASE + "dataset")
"""IRI of the dataset as a whole."""

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
"""The licence of the ontology and the data (CC BY 4.0)."""

SPDX = Namespace("http://spdx.org/rdf/terms#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_IANA = "https://www.iana.org/assignments/media-types/"

_FORMAT_IRIS = {
    "turtle": FORMATS.Turtle,
    "ntriples": FORMATS["N-Triples"],
    "nquads": FORMATS["N-Quads"],
    "trig": FORMATS.TriG,
    "jsonld": FORMATS["JSON-LD"],
    "rdfxml": FORMATS.RDF_XML,
}


def vocabularies(dataset: Dataset, prefixes: Mapping[str, str]) -> list[URIRef]:
    """Return the namespaces of the predicates and classes used in ``dataset``, sorted.

    A term belongs to the longest namespace of ``prefixes`` it starts with; terms of no
    known namespace are cut after their last ``#`` or ``/``. Entity IRIs (``id:``) are
    not vocabulary terms.

    Examples
    --------
    >>> from rdflib import Dataset
    >>> ds = Dataset(default_union=True)
    >>> _ = ds.graph("urn:g").add((URIRef("urn:a"), RDF.type, URIRef("http://e.org/v/C")))
    >>> [str(v) for v in vocabularies(ds, {})]
    ['http://e.org/v/', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#']
    """
    namespaces = sorted({iri for iri in prefixes.values() if iri}, key=len, reverse=True)
    terms: set[str] = set()
    for graph in named_graphs(dataset):
        for _, p, o in graph:
            terms.add(str(p))
            if p == RDF.type and isinstance(o, URIRef):
                terms.add(str(o))
    found: set[str] = set()
    for term in terms:
        if term.startswith(ID_NS):
            continue
        namespace = next((ns for ns in namespaces if term.startswith(ns) and term != ns), None)
        if namespace is None:
            cut = max(term.rfind("#"), term.rfind("/"))
            namespace = term[: cut + 1] if cut > 0 else term
        found.add(namespace)
    return [URIRef(ns) for ns in sorted(found)]


def _checksum(graph: Graph, node: URIRef, algorithm: URIRef, value: str) -> URIRef:
    graph.add((node, RDF.type, SPDX.Checksum))
    graph.add((node, SPDX.algorithm, algorithm))
    graph.add((node, SPDX.checksumValue, Literal(value, datatype=XSD.hexBinary)))
    return node


def describe(dataset: Dataset, files: Mapping[RdfFormat, Path]) -> Graph:
    """Describe ``dataset`` and its export ``files`` in VoID and DCAT.

    Parameters
    ----------
    dataset
        The dataset, as loaded.
    files
        The export file of each format (see :func:`clustergraph.pipeline.export.export_all`);
        each becomes a distribution, with its size and SHA-256 read from the file.

    Returns
    -------
    Graph
        The description; its download URLs are relative to the directory of the files.
    """
    from clustergraph.pipeline.export import export_prefixes
    from clustergraph.pipeline.stats import stats

    prefixes = export_prefixes()
    graph = Graph()
    new_namespace_manager(
        graph,
        {
            **prefixes,
            "void": str(VOID),
            "dcat": str(DCAT),
            "spdx": str(SPDX),
            "formats": str(FORMATS),
        },
    )
    counted = stats(dataset)
    graph.add((DATASET, RDF.type, VOID.Dataset))
    graph.add((DATASET, RDF.type, DCAT.Dataset))
    graph.add((DATASET, DCTERMS.title, Literal("clustergraph", lang="en")))
    graph.add(
        (
            DATASET,
            DCTERMS.description,
            Literal(
                "A knowledge graph of industry clusters, cluster networks and the "
                "organisations and people around them, one named graph per source article.",
                lang="en",
            ),
        )
    )
    graph.add((DATASET, DCTERMS.license, LICENSE))
    graph.add((DATASET, VOID.uriSpace, Literal(ID_NS)))
    graph.add((DATASET, VOID.triples, Literal(counted.total_triples, datatype=XSD.integer)))
    for count in counted.graphs:
        graph.add((DATASET, VOID.subset, count.graph))
        graph.add((count.graph, RDF.type, VOID.Dataset))
        graph.add((count.graph, VOID.triples, Literal(count.triples, datatype=XSD.integer)))
    for cls in counted.classes:
        # Named, not blank, so that the description is the same bytes for the same data.
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", cls.name.strip("<>")).strip("-")
        partition = URIRef(f"{DATASET}/class/{slug}")
        graph.add((DATASET, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], cls.cls))
        graph.add((partition, VOID.entities, Literal(cls.entities, datatype=XSD.integer)))
    for vocabulary in vocabularies(dataset, prefixes):
        graph.add((DATASET, VOID.vocabulary, vocabulary))
    for fmt, path in files.items():
        data = Path(path).read_bytes()
        download = URIRef(Path(path).name)
        node = URIRef(f"{DATASET}/distribution/{fmt.value}")
        graph.add((DATASET, DCAT.distribution, node))
        graph.add((DATASET, VOID.dataDump, download))
        graph.add((node, RDF.type, DCAT.Distribution))
        graph.add((node, DCTERMS.title, Literal(f"clustergraph in {fmt.label}", lang="en")))
        holds = "the named graphs, one per file" if fmt.supports_datasets else "their union"
        graph.add((node, DCTERMS.description, Literal(f"Holds {holds}.", lang="en")))
        graph.add((node, DCAT.downloadURL, download))
        graph.add((node, DCAT.mediaType, URIRef(_IANA + fmt.media_type)))
        graph.add((node, DCTERMS["format"], _FORMAT_IRIS[fmt.value]))
        graph.add((node, DCTERMS.license, LICENSE))
        graph.add((node, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        digest = hashlib.sha256(data).hexdigest()
        checksum = URIRef(f"{node}/sha256")
        _checksum(graph, checksum, SPDX.checksumAlgorithm_sha256, digest)
        graph.add((node, SPDX.checksum, checksum))
    return graph
