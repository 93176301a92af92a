"""Export the dataset in six RDF formats, each lossless for what it can hold.

========  ========================  ======================================================
format    file                      what it holds
========  ========================  ======================================================
turtle    ``clustergraph.ttl``      the union of the named graphs
ntriples  ``clustergraph.nt``       the union of the named graphs
nquads    ``clustergraph.nq``       one named graph per file of the dataset
trig      ``clustergraph.trig``     one named graph per file of the dataset
jsonld    ``clustergraph.jsonld``   one named graph per file, compacted with the context
rdfxml    ``clustergraph.rdf``      the union of the named graphs, for older tools
========  ========================  ======================================================

The union is a set of triples: a triple stated by several articles appears once.
JSON-LD keeps the named graphs (a top-level ``@graph`` of graph objects, each with its
``@id`` and ``@graph``) and is compacted with the project's published context
(:data:`CONTEXT_FILE`, the prefixes of the project and its vocabularies, not every
prefix rdflib knows), embedded in the document so that it reads without a network.

Exports are reproducible: blank nodes get labels computed from the graph they are in
(:func:`rdflib.compare.to_canonical_graph`), N-Triples and N-Quads lines are sorted, so
the same data gives the same bytes and the same checksum. Files are written atomically
(:func:`clustergraph.project.files.write_atomic`).

Examples
--------
>>> from rdflib import Dataset, URIRef
>>> ds = Dataset(default_union=True)
>>> _ = ds.graph("urn:g").add((URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:b")))
>>> print(export(ds, RdfFormat.NQUADS).decode(), end="")
<urn:a> <urn:p> <urn:b> <urn:g> .
>>> RdfFormat("jsonld").media_type, RdfFormat.TRIG.supports_datasets
('application/ld+json', True)
"""

from __future__ import annotations

import enum
import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from clustergraph.pipeline.load import named_graphs, union_graph
from clustergraph.project.files import write_atomic
from clustergraph.project.prefixes import DEFAULT_PREFIXES, ENTITY_PREFIXES, new_namespace_manager

CONTEXT_FILE = "context.jsonld"
"""File name of the JSON-LD context (shipped in the package, published beside the exports)."""

BASENAME = "clustergraph"
"""Stem of the export files."""


@dataclass(frozen=True)
class _Spec:
    label: str
    extension: str
    media_type: str
    datasets: bool
    rdflib: str
    rapper: str | None


class RdfFormat(enum.Enum):
    """The export formats (values are the names the command line takes)."""

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
        """Whether the format keeps the named graphs (else it holds their union)."""
        return self._spec.datasets

    @property
    def rdflib_format(self) -> str:
        """The name of the format for rdflib's parsers and serialisers."""
        return self._spec.rdflib

    @property
    def rapper_format(self) -> str | None:
        """The name of the format for raptor's ``rapper -i`` (None: raptor cannot read it)."""
        return self._spec.rapper

    @property
    def file_name(self) -> str:
        """Name of the export file, ``clustergraph.<extension>``."""
        return f"{BASENAME}.{self.file_extension}"


_SPECS: dict[RdfFormat, _Spec] = {
    RdfFormat.TURTLE: _Spec("Turtle", "ttl", "text/turtle", False, "turtle", "turtle"),
    RdfFormat.NTRIPLES: _Spec("N-Triples", "nt", "application/n-triples", False, "nt", "ntriples"),
    RdfFormat.NQUADS: _Spec("N-Quads", "nq", "application/n-quads", True, "nquads", "nquads"),
    RdfFormat.TRIG: _Spec("TriG", "trig", "application/trig", True, "trig", "trig"),
    # raptor 2 has no JSON-LD parser (its "json" is RDF/JSON).
    RdfFormat.JSONLD: _Spec("JSON-LD", "jsonld", "application/ld+json", True, "json-ld", None),
    RdfFormat.RDFXML: _Spec("RDF/XML", "rdf", "application/rdf+xml", False, "xml", "rdfxml"),
}


@cache
def _context_text() -> str:
    return (
        resources.files("clustergraph.project").joinpath(CONTEXT_FILE).read_text(encoding="utf-8")
    )


def jsonld_context() -> dict[str, str]:
    """Return the project's JSON-LD context: prefix -> namespace IRI.

    Examples
    --------
    >>> jsonld_context()["o"]
    'https://w3id.org/clustergraph/id/org/'
    """
    context: dict[str, str] = json.loads(_context_text())["@context"]
    return dict(context)


def export_prefixes() -> dict[str, str]:
    """Return the prefixes that exports bind: the defaults, the context's, the entity kinds'.

    SHACL's ``sh`` is left out: the shapes are not part of the dataset.
    """
    prefixes = {**DEFAULT_PREFIXES, **jsonld_context(), **ENTITY_PREFIXES}
    prefixes.pop("sh", None)
    return prefixes


def stable_dataset(dataset: Dataset) -> Dataset:
    """Copy the named graphs of ``dataset`` with reproducible blank node labels.

    Each graph's blank nodes are relabelled from the graph's content (RDF canonical
    labelling), so exporting the same data twice gives the same bytes. A blank node
    that occurs in more than one graph keeps one label for all of them: if there is
    such a node, no graph is relabelled (relabelling graph by graph would split it).

    Parameters
    ----------
    dataset
        The dataset; it is not changed.

    Returns
    -------
    Dataset
        A new dataset (``default_union=True``) holding the same quads.
    """
    graphs = list(named_graphs(dataset))
    seen: dict[BNode, object] = {}
    shared = False
    for graph in graphs:
        for triple in graph:
            for term in triple:
                if isinstance(term, BNode) and seen.setdefault(term, graph.identifier) != (
                    graph.identifier
                ):
                    shared = True
    result = Dataset(default_union=True)
    new_namespace_manager(result, export_prefixes())
    for graph in graphs:
        source: Graph = graph if shared else to_canonical_graph(graph)
        target = result.graph(graph.identifier)
        # In order, so that serialisers walking the store's insertion order agree.
        result.addN((s, p, o, target) for s, p, o in sorted(source, key=_triple_key))
    return result


def _triple_key(triple: tuple[Node, Node, Node]) -> tuple[str, ...]:
    return tuple(term.n3() for term in triple)


class _SortedGraph(Graph):
    """A graph that lists subjects, and a subject's predicates and objects, in order.

    rdflib's RDF/XML serialiser writes subjects in the store's hash order; this makes its
    output reproducible.
    """

    def subjects(  # type: ignore[override]
        self, predicate: Any = None, object: Any = None, unique: bool = False
    ) -> Iterator[Any]:
        """Yield the subjects (with repeats unless ``unique``), in order of their N3 form."""
        found = super().subjects(predicate, object, unique)
        yield from sorted(found, key=lambda term: term.n3())

    def predicate_objects(  # type: ignore[override]
        self, subject: Any = None, unique: bool = False
    ) -> Iterator[tuple[Any, Any]]:
        """Yield the (predicate, object) pairs of ``subject``, in order of their N3 form."""
        found = super().predicate_objects(subject, unique)
        yield from sorted(found, key=lambda pair: (pair[0].n3(), pair[1].n3()))


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(line for line in data.splitlines() if line.strip())
    return b"".join(line + b"\n" for line in lines)


def serialize(dataset: Dataset, fmt: RdfFormat) -> bytes:
    """Serialise ``dataset`` (its named graphs) in ``fmt``, as UTF-8 bytes.

    Parameters
    ----------
    dataset
        The dataset, as :func:`clustergraph.pipeline.load.load` returns it.
    fmt
        The format. Formats without named graphs get the union of the named graphs.

    Returns
    -------
    bytes
        The document.
    """
    stable = stable_dataset(dataset)
    if fmt is RdfFormat.JSONLD:
        return _jsonld(stable)
    if fmt is RdfFormat.TRIG:
        return _trig(stable)
    if fmt is RdfFormat.NQUADS:
        data = _nquads(stable)
    else:
        union = _SortedGraph()
        new_namespace_manager(union, export_prefixes())
        union.addN((s, p, o, union) for s, p, o in sorted(union_graph(stable), key=_triple_key))
        data = union.serialize(format=fmt.rdflib_format, encoding="utf-8")
    if fmt in (RdfFormat.NTRIPLES, RdfFormat.NQUADS):
        data = _sorted_lines(data)
    return data


def _nquads(dataset: Dataset) -> bytes:
    """Write N-Quads: each named graph's N-Triples lines with the graph IRI added."""
    lines: list[bytes] = []
    for graph in named_graphs(dataset):
        name = f" {graph.identifier.n3()} .".encode()
        for line in graph.serialize(format="nt", encoding="utf-8").splitlines():
            if line.strip():
                assert line.endswith(b" .")
                lines.append(line[:-2] + name)
    return b"".join(line + b"\n" for line in lines)


def _trig(dataset: Dataset) -> bytes:
    """Write TriG graph by graph, in the order of the graph IRIs, prefixes declared once."""
    prefixes: set[str] = set()
    blocks: list[str] = []
    for graph in named_graphs(dataset):
        lines = graph.serialize(format="turtle").split("\n")
        start = 0  # rdflib writes the prefixes first, then the triples
        while start < len(lines) and (lines[start].startswith("@prefix ") or not lines[start]):
            if lines[start]:
                prefixes.add(lines[start])
            start += 1
        body = "\n".join(lines[start:]).strip()  # as written: lines may be inside a string
        blocks.append(f"{graph.identifier.n3()} {{\n{body}\n}}\n")
    head = "".join(line + "\n" for line in sorted(prefixes))
    return (head + "\n" + "\n".join(blocks)).encode()


def _jsonld(dataset: Dataset) -> bytes:
    context = jsonld_context()
    with warnings.catch_warnings():
        # rdflib's own JSON-LD serialiser still calls its deprecated Dataset.contexts.
        warnings.filterwarnings("ignore", "Dataset.contexts is deprecated", DeprecationWarning)
        text = dataset.serialize(format="json-ld", context=context, auto_compact=True, indent=2)
    doc: Any = json.loads(text)
    doc = _sort_graphs(doc)
    return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


def _sort_graphs(doc: Any) -> Any:
    """Order the values of every array but ``@list`` ones, so the document is reproducible.

    JSON-LD arrays are unordered sets of values, except the values of ``@list``.
    """
    if isinstance(doc, dict):
        return {
            key: [_sort_graphs(item) for item in value]
            if key == "@list" and isinstance(value, list)
            else _sort_graphs(value)
            for key, value in doc.items()
        }
    if isinstance(doc, list):
        items = [_sort_graphs(item) for item in doc]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return doc


def export(dataset: Dataset, fmt: RdfFormat, *, out: Path | str | None = None) -> bytes:
    """Serialise ``dataset`` in ``fmt`` and, given ``out``, write it there atomically.

    Parameters
    ----------
    dataset
        The dataset to export.
    fmt
        The format.
    out
        The file to write (through a temporary file and a rename); none: only return.

    Returns
    -------
    bytes
        The document.

    Raises
    ------
    InputError
        If ``out`` cannot be written.
    """
    data = serialize(dataset, fmt)
    if out is not None:
        write_atomic(Path(out), data)
    return data


def write_context(directory: Path | str) -> Path:
    """Publish the JSON-LD context as ``context.jsonld`` in ``directory`` (atomically)."""
    return write_atomic(Path(directory) / CONTEXT_FILE, _context_text())


def export_all(dataset: Dataset, directory: Path | str) -> dict[RdfFormat, Path]:
    """Write every format, the JSON-LD context and the VoID/DCAT description to ``directory``.

    Parameters
    ----------
    dataset
        The dataset.
    directory
        Where to write ``clustergraph.<ext>`` for each format, ``context.jsonld`` and
        ``void.ttl`` (see :mod:`clustergraph.pipeline.void`); created if missing.

    Returns
    -------
    dict
        The file written for each format.
    """
    from clustergraph.pipeline.void import VOID_FILE, describe

    directory = Path(directory)
    files = {fmt: Path(directory / fmt.file_name) for fmt in RdfFormat}
    for fmt, path in files.items():
        export(dataset, fmt, out=path)
    write_context(directory)
    description = describe(dataset, files)
    write_atomic(directory / VOID_FILE, description.serialize(format="turtle", encoding="utf-8"))
    return files
