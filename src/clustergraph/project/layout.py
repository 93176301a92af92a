"""Project layout and IRI conventions.

All IRIs of the project live under :data:`BASE`:

========================================  =============================================
IRI                                       meaning
========================================  =============================================
``BASE + "ontology#<Term>"``              ontology terms (prefix ``cg:``)
``BASE + "id/<kind>/<slug>"``             entities (prefix ``id:``)
``BASE + "graph/ontology"``               named graph of ``ontology/clustergraph.ttl``
``BASE + "graph/vocab/<stem>"``           named graph of ``data/vocab/<stem>.ttl``
``BASE + "graph/source/<stem>"``          named graph of ``data/sources/<stem>.ttl``
========================================  =============================================

The SHACL shapes (``ontology/shapes.ttl``) are not part of the dataset.

Examples
--------
>>> graph_for_file("data/sources/eurostat.ttl")
rdflib.term.URIRef('https://w3id.org/clustergraph/graph/source/eurostat')
>>> file_for_graph("https://w3id.org/clustergraph/graph/vocab/nace")
'data/vocab/nace.ttl'
>>> entity_iri("cluster", "medicon-valley")
rdflib.term.URIRef('https://w3id.org/clustergraph/id/cluster/medicon-valley')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath

from rdflib import URIRef

from clustergraph.errors import InputError, LayoutError

BASE = "https://w3id.org/clustergraph/"
"""Base IRI of everything the project mints."""

CG_NS = BASE + "ontology#"
"""Namespace of the ontology's terms (prefix ``cg``)."""

ID_NS = BASE + "id/"
"""Namespace of entity IRIs (prefix ``id``)."""

GRAPH_NS = BASE + "graph/"
"""Namespace of the named graphs, one per file."""

ONTOLOGY_GRAPH = URIRef(GRAPH_NS + "ontology")
"""Named graph holding ``ontology/clustergraph.ttl``."""

ONTOLOGY_FILE = "ontology/clustergraph.ttl"
SHAPES_FILE = "ontology/shapes.ttl"
VOCAB_DIR = "data/vocab"
SOURCES_DIR = "data/sources"

# Directory of data files -> segment of their graph IRI under GRAPH_NS.
_DATA_DIRS: dict[str, str] = {VOCAB_DIR: "vocab", SOURCES_DIR: "source"}
_GRAPH_DIRS: dict[str, str] = {seg: d for d, seg in _DATA_DIRS.items()}

_SLUG = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_-])?")


def _check_slug(slug: str, what: str) -> str:
    if not _SLUG.fullmatch(slug):
        raise LayoutError(
            f"{what} {slug!r} is not a valid IRI segment "
            "(letters, digits, '.', '_', '-'; starting with a letter or digit)"
        )
    return slug


def entity_iri(kind: str, slug: str) -> URIRef:
    """Return the IRI of an entity: ``BASE + "id/<kind>/<slug>"``.

    Parameters
    ----------
    kind
        Kind of entity, for example ``"cluster"`` or ``"organization"``.
    slug
        Identifier of the entity within its kind.

    Returns
    -------
    URIRef
        The entity IRI.

    Raises
    ------
    LayoutError
        If ``kind`` or ``slug`` is not a valid IRI segment.

    Examples
    --------
    >>> str(entity_iri("region", "skane"))
    'https://w3id.org/clustergraph/id/region/skane'
    """
    return URIRef(ID_NS + _check_slug(kind, "kind") + "/" + _check_slug(slug, "slug"))


def graph_for_file(path: str | PurePath) -> URIRef:
    """Return the named graph IRI of a project file.

    Parameters
    ----------
    path
        Path of the file relative to the project root (``/``-separated or a path object).

    Returns
    -------
    URIRef
        The graph IRI given by the layout conventions.

    Raises
    ------
    LayoutError
        If the file has no place in the dataset (for example the shapes file).

    Examples
    --------
    >>> str(graph_for_file("ontology/clustergraph.ttl"))
    'https://w3id.org/clustergraph/graph/ontology'
    """
    rel = PurePosixPath(PurePath(path).as_posix())
    if str(rel) == ONTOLOGY_FILE:
        return ONTOLOGY_GRAPH
    segment = _DATA_DIRS.get(str(rel.parent))
    if segment is None or rel.suffix != ".ttl":
        raise LayoutError(f"{rel}: not a dataset file (expected {ONTOLOGY_FILE} or data/*/*.ttl)")
    return URIRef(f"{GRAPH_NS}{segment}/{_check_slug(rel.stem, 'file stem')}")


def file_for_graph(graph: str) -> str:
    """Return the file (relative to the project root) that holds a named graph.

    Parameters
    ----------
    graph
        A graph IRI following the layout conventions.

    Returns
    -------
    str
        The ``/``-separated path of the file, relative to the project root.

    Raises
    ------
    LayoutError
        If ``graph`` is not a graph IRI of the layout.

    Examples
    --------
    >>> file_for_graph("https://w3id.org/clustergraph/graph/source/oecd")
    'data/sources/oecd.ttl'
    """
    iri = str(graph)
    if iri == str(ONTOLOGY_GRAPH):
        return ONTOLOGY_FILE
    if iri.startswith(GRAPH_NS):
        segment, _, stem = iri[len(GRAPH_NS) :].partition("/")
        directory = _GRAPH_DIRS.get(segment)
        if directory is not None and _SLUG.fullmatch(stem):
            return f"{directory}/{stem}.ttl"
    raise LayoutError(f"<{iri}> is not a graph IRI of the clustergraph layout")


@dataclass(frozen=True)
class Project:
    """A clustergraph work tree rooted at ``root``.

    Parameters
    ----------
    root
        The directory holding ``ontology/`` and ``data/``.

    Examples
    --------
    >>> p = Project(Path("repo"))
    >>> p.shapes_file.as_posix()
    'repo/ontology/shapes.ttl'
    >>> p.relpath(Path("repo/data/vocab/nace.ttl"))
    'data/vocab/nace.ttl'
    """

    root: Path

    def __post_init__(self) -> None:
        """Accept a string root too: ``Project("repo")`` is what a notebook user types."""
        object.__setattr__(self, "root", Path(self.root))

    @property
    def ontology_file(self) -> Path:
        """The ontology, ``ontology/clustergraph.ttl``."""
        return self.root / ONTOLOGY_FILE

    @property
    def shapes_file(self) -> Path:
        """The SHACL shapes, ``ontology/shapes.ttl`` (not part of the dataset)."""
        return self.root / SHAPES_FILE

    @property
    def vocab_dir(self) -> Path:
        """Directory of controlled vocabularies, ``data/vocab``."""
        return self.root / VOCAB_DIR

    @property
    def sources_dir(self) -> Path:
        """Directory of per-source data, ``data/sources``."""
        return self.root / SOURCES_DIR

    @classmethod
    def discover(cls, start: Path | None = None) -> Project:
        """Find the project containing ``start`` (default: the working directory).

        Walks up from ``start`` until a directory holding ``ontology/clustergraph.ttl``.

        Parameters
        ----------
        start
            Directory to start from.

        Returns
        -------
        Project
            The project whose root was found.

        Raises
        ------
        InputError
            If no directory on the way up holds the ontology file.
        """
        here = (start if start is not None else Path.cwd()).resolve()
        for directory in (here, *here.parents):
            if (directory / ONTOLOGY_FILE).is_file():
                return cls(directory)
        raise InputError(f"{here}: no {ONTOLOGY_FILE} here or in any parent directory")

    def relpath(self, path: Path) -> str:
        """Return ``path`` relative to the root, ``/``-separated (as given if outside)."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def dataset_files(self, *, include_ontology: bool = True) -> tuple[Path, ...]:
        """Return the files of the dataset, ontology first, then vocabularies, then sources.

        Parameters
        ----------
        include_ontology
            Whether to include ``ontology/clustergraph.ttl``.

        Returns
        -------
        tuple of Path
            The ``*.ttl`` files, sorted by name within each directory.

        Raises
        ------
        InputError
            If the ontology file or a data directory is missing.
        """
        files: list[Path] = []
        if include_ontology:
            if not self.ontology_file.is_file():
                raise InputError(f"{ONTOLOGY_FILE}: no such file (project root {self.root})")
            files.append(self.ontology_file)
        for rel in _DATA_DIRS:
            directory = self.root / rel
            if not directory.is_dir():
                raise InputError(f"{rel}: no such directory (project root {self.root})")
            files.extend(sorted(p for p in directory.glob("*.ttl") if p.is_file()))
        return tuple(files)

    def graph_of(self, path: Path) -> URIRef:
        """Return the named graph IRI of a file of this project."""
        return graph_for_file(self.relpath(path))

    def file_of(self, graph: str) -> Path:
        """Return the file of this project that holds the named graph ``graph``."""
        return self.root / file_for_graph(graph)
