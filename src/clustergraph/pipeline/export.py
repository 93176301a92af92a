"""Export the dataset from the store in six RDF formats, each lossless for what it can hold.

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

The dataset is the store's data graphs (:func:`data_graphs`): the ontology, the
vocabularies, the sources and the graphs of derived facts; the store's own bookkeeping
(the manifest, staging graphs) is left out. It is read with the store's
:meth:`~clustergraph.store.base.Store.dump`, so a remote store exports as an embedded one.

The union is a set of triples: a triple stated by several articles appears once.
JSON-LD keeps the named graphs (a top-level ``@graph`` of graph objects, each with its
``@id`` and ``@graph``) and is compacted with the project's published context
(:data:`CONTEXT_FILE`: the prefixes of the project and its vocabularies), embedded in
the document so that it reads without a network.

RDF 1.2 triple terms (annotations ``{| ... |}`` and reifiers ``<< ... >>`` are stated
with them) are written by Turtle, N-Triples, N-Quads and TriG 1.2. JSON-LD 1.1 and
RDF/XML cannot hold them: asked for one of those, :func:`export` refuses in one line
before writing anything (:func:`refuse_triple_terms`), and the set of files of
:func:`clustergraph.pipeline.publish.export_all` leaves those two out and says so. A
carriage return is written in RDF/XML as ``&#13;`` (a bare one reads as a line feed).

Exports are reproducible: blank nodes are labelled from the content of the dataset
(the W3C RDF Dataset Canonicalization, RDFC-1.0), and triples, graphs and JSON-LD
values are written in sorted order, so the same data gives the same bytes and the same
checksum. Files are written atomically (:func:`clustergraph.project.files.write_atomic`).

Examples
--------
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> store.replace_graphs({"urn:g": b"<urn:a> <urn:p> _:x .", "urn:h": b"<urn:a> <urn:p> <urn:b> ."})
>>> print(export(store, RdfFormat.NQUADS).decode(), end="")
<urn:a> <urn:p> _:c14n0 <urn:g> .
<urn:a> <urn:p> <urn:b> <urn:h> .
>>> print(export(store, RdfFormat.NTRIPLES).decode(), end="")
<urn:a> <urn:p> <urn:b> .
<urn:a> <urn:p> _:c14n0 .
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from clustergraph.errors import InputError
from clustergraph.project.files import write_atomic
from clustergraph.project.layout import is_data_graph
from clustergraph.project.prefixes import ENTITY_PREFIXES, VOCABULARY_PREFIXES
from clustergraph.project.vocab import RDF, XSD
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.terms import has_blank_node
from clustergraph.store.base import Store
from clustergraph.store.results import xml_carriage_returns

__all__ = [
    "BASENAME",
    "CONTEXT_FILE",
    "RdfFormat",
    "canonical_quads",
    "data_graphs",
    "export",
    "export_prefixes",
    "file_name",
    "jsonld_context",
    "serialize",
    "write_context",
]

_RDF_TYPE = RDF.type
_XSD_STRING = XSD.string

CONTEXT_FILE = "context.jsonld"
"""File name of the JSON-LD context (shipped in the package, published beside the exports)."""

BASENAME = "clustergraph"
"""Stem of the export files."""


def file_name(fmt: RdfFormat) -> str:
    """Return the name of the export file of ``fmt``, ``clustergraph.<extension>``.

    Examples
    --------
    >>> file_name(RdfFormat.JSONLD)
    'clustergraph.jsonld'
    """
    return f"{BASENAME}.{fmt.file_extension}"


def data_graphs(store: Store) -> list[str]:
    """Return the store's data graphs, sorted: every named graph but its bookkeeping.

    The ontology, the vocabularies, the sources and the derived graphs are data (and so
    is any graph outside the project's graph namespace); the manifest and staging graphs
    are not.

    Examples
    --------
    >>> from clustergraph.store import open_store
    >>> store = open_store("memory:")
    >>> from clustergraph.project.layout import MANIFEST_GRAPH, SOURCE_GRAPHS
    >>> store.replace_graphs({MANIFEST_GRAPH: b"<urn:a> <urn:b> <urn:c> .",
    ...                       SOURCE_GRAPHS + "x": b"<urn:a> <urn:b> <urn:c> ."})
    >>> data_graphs(store)
    ['https://w3id.org/clustergraph/graph/source/x']
    """
    return [g for g in store.graphs() if is_data_graph(g)]


@functools.cache
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
    """Return the prefixes that exports declare: the vocabularies', the context's, the kinds'.

    SHACL's ``sh`` is left out: the shapes are not part of the dataset.

    Examples
    --------
    >>> prefixes = export_prefixes()
    >>> prefixes["cg"], "sh" in prefixes
    ('https://w3id.org/clustergraph/ontology#', False)
    """
    prefixes = {**VOCABULARY_PREFIXES, **jsonld_context(), **ENTITY_PREFIXES}
    prefixes.pop("sh", None)
    return dict(sorted(prefixes.items()))


def canonical_quads(store: Store, graphs: Sequence[str] | None = None) -> list[ox.Quad]:
    """Return the quads of ``graphs`` (default: :func:`data_graphs`), ready to write.

    Blank nodes are relabelled by RDFC-1.0 (``_:c14n0``, ...) and the quads sorted by
    graph, then as N-Quads lines (subject, predicate, object), so that the same data
    always gives the same list.
    """
    names = data_graphs(store) if graphs is None else list(graphs)
    buffer = io.BytesIO()
    if names:
        store.dump(buffer, RdfFormat.NQUADS, graphs=names)
    quads = list(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS))
    blank = [q for q in quads if has_blank_node(q)]
    if blank:
        # RDFC-1.0 labels a blank node from the quads it appears in, and only those: the
        # quads without one are left out of the (costly) canonicalisation.
        dataset = ox.Dataset(blank)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = [q for q in quads if not has_blank_node(q)]
        quads.extend(dataset)
    quads.sort(key=str)  # by subject, predicate, object: the N-Quads line
    by_graph: dict[str, list[ox.Quad]] = {}
    for quad in quads:
        by_graph.setdefault(str(quad.graph_name), []).append(quad)
    return [quad for graph in sorted(by_graph) for quad in by_graph[graph]]


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """Return the triples of ``quads`` as a set, sorted (as N-Triples lines)."""
    return sorted({q.triple for q in quads}, key=str)


def serialize(store: Store, fmt: RdfFormat, *, graphs: Sequence[str] | None = None) -> bytes:
    """Write the data graphs of ``store`` (or ``graphs``) in ``fmt``, as UTF-8 bytes.

    Parameters
    ----------
    store
        The store.
    fmt
        The format. Formats without named graphs get the union of the graphs.
    graphs
        The graphs to write (default: :func:`data_graphs`).

    Returns
    -------
    bytes
        The document.
    """
    quads = canonical_quads(store, graphs)
    return document(fmt, quads, union_triples(quads) if not fmt.supports_datasets else [])


NO_TRIPLE_TERMS = (RdfFormat.JSONLD, RdfFormat.RDFXML)
"""The formats that cannot hold an RDF 1.2 triple term."""


def triple_term_statements(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Return the quads holding an RDF 1.2 triple term (as subject or object)."""
    return [q for q in quads if isinstance(q.object, ox.Triple) or isinstance(q.subject, ox.Triple)]


def refuse_triple_terms(fmt: RdfFormat, quads: Sequence[ox.Quad]) -> None:
    """Raise if ``fmt`` cannot hold the RDF 1.2 triple terms of ``quads``.

    Raises
    ------
    InputError
        One line: how many statements, the first one's graph, and the formats that fit.
    """
    if fmt not in NO_TRIPLE_TERMS:
        return
    found = triple_term_statements(quads)
    if found:
        graph = found[0].graph_name
        where = f" (the first in graph {graph})" if isinstance(graph, ox.NamedNode) else ""
        raise InputError(
            f"{fmt.label} cannot hold the RDF 1.2 triple terms of {len(found):,} "
            f"statement{'s' if len(found) != 1 else ''}{where}: export as N-Quads, TriG, "
            "Turtle or N-Triples"
        )


def document(fmt: RdfFormat, quads: Sequence[ox.Quad], union: Sequence[ox.Triple]) -> bytes:
    """Write ``quads`` (a dataset format) or their ``union`` (a graph format) in ``fmt``.

    Raises
    ------
    InputError
        If ``fmt`` cannot hold the RDF 1.2 triple terms ``quads`` hold.
    """
    refuse_triple_terms(fmt, quads)
    if fmt is RdfFormat.JSONLD:
        return _jsonld(quads)
    if fmt is RdfFormat.RDFXML:
        written = ox.serialize(union, format=fmt.oxigraph, prefixes=export_prefixes()) or b""
        return xml_carriage_returns(written)
    if fmt.supports_datasets:
        return ox.serialize(quads, format=fmt.oxigraph, prefixes=export_prefixes()) or b""
    if fmt is RdfFormat.NTRIPLES:  # no prefixes: one triple a line, as sorted
        return ox.serialize(union, format=fmt.oxigraph) or b""
    return ox.serialize(union, format=fmt.oxigraph, prefixes=export_prefixes()) or b""


# ---------------------------------------------------------------------------
# JSON-LD, compacted with the project's context
# ---------------------------------------------------------------------------


def _compactor(context: Mapping[str, str]) -> Callable[[str], str]:
    """Return a function writing an IRI as a compact IRI of ``context`` where one fits."""
    namespaces = sorted(context.items(), key=lambda item: (-len(item[1]), item[0]))

    @functools.lru_cache(maxsize=65536)
    def compact(iri: str) -> str:
        for prefix, namespace in namespaces:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace) :]
                if not local.startswith("//"):  # "p://x" would read as an absolute IRI
                    return f"{prefix}:{local}"
        return iri

    return compact


def _jsonld_value(
    term: ox.NamedNode | ox.BlankNode | ox.Literal, compact: Callable[[str], str]
) -> Any:
    if isinstance(term, ox.NamedNode):
        return {"@id": compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == _XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": compact(term.datatype.value)}


def _node_id(term: ox.NamedNode | ox.BlankNode | ox.Triple, compact: Callable[[str], str]) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    raise ValueError(f"JSON-LD cannot hold the RDF-star triple term {term}")


def _values(found: list[tuple[str, Any]]) -> Any:
    """Sort values by their N-Triples form; a single value is written bare."""
    found.sort(key=lambda pair: pair[0])
    return found[0][1] if len(found) == 1 else [value for _, value in found]


def _jsonld(quads: Sequence[ox.Quad]) -> bytes:
    """Write ``quads`` as one compacted JSON-LD document: a graph object per named graph.

    Every node object has its ``@id``, then ``@type``, then its properties in order;
    values are sorted (JSON-LD arrays are sets, unless ``@list``), single values are
    written bare. Literals keep their lexical form (``{"@value", "@type"}``).
    """
    context = jsonld_context()
    compact = _compactor(context)
    graphs: dict[str, dict[str, dict[str, list[tuple[str, Any]]]]] = {}
    for quad in quads:
        graph = quad.graph_name
        assert isinstance(graph, ox.NamedNode), "a dataset export holds named graphs only"
        nodes = graphs.setdefault(compact(graph.value), {})
        node = nodes.setdefault(_node_id(quad.subject, compact), {})
        obj = quad.object
        if isinstance(obj, ox.Triple):
            raise ValueError(f"JSON-LD cannot hold the RDF-star triple term {obj}")
        if quad.predicate.value == _RDF_TYPE and isinstance(obj, ox.NamedNode):
            node.setdefault("@type", []).append((obj.value, compact(obj.value)))
        else:
            key = compact(quad.predicate.value)
            node.setdefault(key, []).append((str(obj), _jsonld_value(obj, compact)))
    # Laid out by hand, a node object a line: json.dumps with indent is ten times slower.
    head = json.dumps({"@context": context}, indent=2, ensure_ascii=False)
    lines = [head[: head.rindex("}")].rstrip() + ",", '  "@graph": [']
    for number, graph_id in enumerate(sorted(graphs)):
        lines += [
            "    {",
            f'      "@id": {json.dumps(graph_id, ensure_ascii=False)},',
            '      "@graph": [',
        ]
        members = sorted(graphs[graph_id].items())
        for index, (node_id, properties) in enumerate(members):
            item: dict[str, Any] = {"@id": node_id}
            if "@type" in properties:
                item["@type"] = _values(properties.pop("@type"))
            for key in sorted(properties):
                item[key] = _values(properties[key])
            comma = "," if index < len(members) - 1 else ""
            lines.append("        " + json.dumps(item, ensure_ascii=False) + comma)
        lines += ["      ]", "    }" + ("," if number < len(graphs) - 1 else "")]
    lines += ["  ]", "}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def export(store: Store, fmt: RdfFormat, *, out: Path | str | None = None) -> bytes:
    """Write the dataset of ``store`` in ``fmt`` and, given ``out``, to that file atomically.

    Parameters
    ----------
    store
        The store (embedded or remote; only read).
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
        If ``out`` cannot be written, or ``fmt`` cannot hold the dataset's RDF 1.2
        triple terms (then nothing is written).
    StoreError
        If the store cannot be read.
    """
    data = serialize(store, fmt)
    if out is not None:
        write_atomic(Path(out), data)
    return data


def write_context(directory: Path | str) -> Path:
    """Publish the JSON-LD context as ``context.jsonld`` in ``directory`` (atomically)."""
    return write_atomic(Path(directory) / CONTEXT_FILE, _context_text())
