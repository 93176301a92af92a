"""Strict loading of the project's Turtle files into an :class:`rdflib.Dataset`.

Files are parsed with pyoxigraph, which rejects what rdflib would let through
(invalid IRIs, bad language tags, ...), and the terms are converted to rdflib terms.
Each file goes into its own named graph (see :mod:`clustergraph.project.layout`).
Loading is all-or-nothing: the first malformed file raises :class:`InputError`
and no dataset is returned.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = Path(tmp, "x.ttl")
...     _ = path.write_text('<http://e/a> <http://e/b> "c"@en .')
...     g = load_file(path, graph="http://e/g")
>>> len(g), g.identifier
(1, rdflib.term.URIRef('http://e/g'))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from clustergraph.errors import InputError
from clustergraph.project.layout import Project
from clustergraph.project.prefixes import DEFAULT_PREFIXES, new_namespace_manager
from clustergraph.rdf.terms import to_rdflib

# pyoxigraph prefixes its messages with the position, which InputError puts in front.
_POSITION = re.compile(r"^Parser error at line \d+ (?:between columns \d+ and \d+|column \d+): ")

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class _Parsed:
    """Triples and prefixes of one parsed file."""

    triples: list[Triple]
    prefixes: dict[str, str]


def _parse(path: Path, shown: str) -> _Parsed:
    """Parse one Turtle file strictly; ``shown`` names the file in error messages."""
    if not path.is_file():
        raise InputError(f"{shown}: no such file")
    bnodes: dict[str, BNode] = {}
    try:
        parser = ox.parse(path=path, format=ox.RdfFormat.TURTLE)
        triples = [
            (
                to_rdflib(q.subject, bnodes),
                to_rdflib(q.predicate, bnodes),
                to_rdflib(q.object, bnodes),
            )
            for q in parser
        ]
    except InputError as exc:  # a term rdflib cannot hold
        raise InputError(f"{shown}: {exc}") from exc
    except SyntaxError as exc:
        line = exc.lineno if exc.lineno is not None else 0
        column = exc.offset if exc.offset is not None else 0
        message = _POSITION.sub("", exc.msg or str(exc)).replace("\n", " ")
        raise InputError(f"{shown}:{line}:{column}: {message}") from exc
    except UnicodeDecodeError as exc:  # pragma: no cover - pyoxigraph reports SyntaxError
        raise InputError(f"{shown}: not UTF-8: {exc}") from exc
    except OSError as exc:
        raise InputError(f"{shown}: {exc.strerror or exc}") from exc
    return _Parsed(triples, dict(parser.prefixes))


def load_file(path: Path | str, *, graph: str, shown: str | None = None) -> Graph:
    """Parse one Turtle file strictly into a graph named ``graph``.

    Parameters
    ----------
    path
        The Turtle file.
    graph
        IRI of the returned graph.
    shown
        How to name the file in error messages (default: ``path`` as given).

    Returns
    -------
    Graph
        The triples of the file, with its prefixes bound (plus the defaults).

    Raises
    ------
    InputError
        If the file is missing or not valid Turtle (``file:line:column: message``).
    """
    parsed = _parse(Path(path), shown if shown is not None else str(path))
    result = Graph(identifier=URIRef(graph))
    new_namespace_manager(result, {**parsed.prefixes, **DEFAULT_PREFIXES})
    result.addN((s, p, o, result) for s, p, o in parsed.triples)
    return result


def load(project: Project | None = None, *, include_ontology: bool = True) -> Dataset:
    """Load the ontology and all data files of a project, each into its own named graph.

    Parameters
    ----------
    project
        The project (default: discovered from the working directory).
    include_ontology
        Whether to load ``ontology/clustergraph.ttl`` as well.

    Returns
    -------
    Dataset
        A dataset with ``default_union=True``; its graphs are named after the files.

    Raises
    ------
    InputError
        If a file or directory is missing or a file is malformed. Nothing is returned
        then: loading is all-or-nothing.
    """
    project = project if project is not None else Project.discover()
    files = project.dataset_files(include_ontology=include_ontology)
    parsed = [(project.graph_of(f), _parse(f, project.relpath(f))) for f in files]
    prefixes: dict[str, str] = {}
    for _, p in parsed:
        for prefix, iri in p.prefixes.items():
            prefixes.setdefault(prefix, iri)
    dataset = Dataset(default_union=True)
    new_namespace_manager(dataset, {**prefixes, **DEFAULT_PREFIXES})
    for graph_iri, p in parsed:
        named = dataset.graph(graph_iri)
        dataset.addN((s, pr, o, named) for s, pr, o in p.triples)
    return dataset


def named_graphs(dataset: Dataset) -> Iterator[Graph]:
    """Yield the named graphs of ``dataset`` (not its default graph), sorted by IRI."""
    graphs = [g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]
    yield from sorted(graphs, key=lambda g: str(g.identifier))


def union_graph(dataset: Dataset, *, graphs: Iterable[str] | None = None) -> Graph:
    """Merge named graphs of ``dataset`` into one plain graph (prefixes kept).

    Parameters
    ----------
    dataset
        The dataset.
    graphs
        IRIs of the graphs to merge (default: all named graphs).

    Returns
    -------
    Graph
        A new graph holding the union of the triples.
    """
    wanted = None if graphs is None else {str(g) for g in graphs}
    result = Graph()
    new_namespace_manager(result, dict(_namespaces(dataset)))
    for named in named_graphs(dataset):
        if wanted is None or str(named.identifier) in wanted:
            result.addN((s, p, o, result) for s, p, o in named)
    return result


def _namespaces(graph: Graph) -> Iterator[tuple[str, str]]:
    for prefix, iri in graph.namespace_manager.namespaces():
        yield prefix, str(iri)
