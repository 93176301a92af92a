"""Project layout and IRI conventions.

All IRIs of the project live under :data:`BASE`:

==========================================  ===========================================
IRI                                         meaning
==========================================  ===========================================
``BASE + "ontology#<Term>"``                ontology terms (prefix ``cg:``)
``BASE + "id/<kind>/<slug>"``               entities (prefix ``id:``)
``BASE + "graph/ontology"``                 named graph of ``ontology/clustergraph.ttl``
``BASE + "graph/vocab/<stem>"``             named graph of ``data/vocab/<stem>.ttl``
``BASE + "graph/source/<stem>"``            named graph of ``data/sources/<stem>.<ext>``
``BASE + "graph/derived/<kind>/<stem>"``    facts derived from ``graph/<kind>/<stem>``
``BASE + "graph/derived/across-sources"``   facts derived from several graphs together
``BASE + "graph/manifest"``                 what was loaded: each file and its SHA-256
==========================================  ===========================================

Source files are Turtle (``.ttl``), N-Triples (``.nt``), N-Quads (``.nq``), TriG
(``.trig``) or JSON-LD (``.jsonld``), told apart by their extension in any case
(:data:`SOURCE_EXTENSIONS`); vocabularies and the ontology are Turtle. The SHACL shapes
(``ontology/shapes.ttl``) are not part of the dataset. The project's store, the
embedded Oxigraph database every command reads by default, is kept in
``.clustergraph/store`` (:attr:`Project.store_dir`).

Examples
--------
>>> graph_for_file("data/sources/eurostat.ttl")
'https://w3id.org/clustergraph/graph/source/eurostat'
>>> file_for_graph("https://w3id.org/clustergraph/graph/vocab/nace")
'data/vocab/nace.ttl'
>>> derived_graph("https://w3id.org/clustergraph/graph/source/eurostat")
'https://w3id.org/clustergraph/graph/derived/source/eurostat'
>>> entity_iri("cluster", "medicon-valley")
'https://w3id.org/clustergraph/id/cluster/medicon-valley'
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath

from clustergraph.errors import InputError, LayoutError

BASE = "https://w3id.org/clustergraph/"
"""Base IRI of everything the project mints."""

CG_NS = BASE + "ontology#"
"""Namespace of the ontology's terms (prefix ``cg``)."""

ID_NS = BASE + "id/"
"""Namespace of entity IRIs (prefix ``id``)."""

GRAPH_NS = BASE + "graph/"
"""Namespace of the named graphs."""

ONTOLOGY_GRAPH = GRAPH_NS + "ontology"
"""Named graph holding ``ontology/clustergraph.ttl``."""

VOCAB_GRAPHS = GRAPH_NS + "vocab/"
"""Namespace of the vocabularies' graphs."""

SOURCE_GRAPHS = GRAPH_NS + "source/"
"""Namespace of the sources' graphs (one per article)."""

DERIVED_NS = GRAPH_NS + "derived/"
"""Namespace of the graphs of derived facts: ``derived/<kind>/<stem>`` per stated graph."""

ACROSS_SOURCES_GRAPH = DERIVED_NS + "across-sources"
"""Facts that follow only from several stated graphs together."""

MANIFEST_GRAPH = GRAPH_NS + "manifest"
"""What the store was loaded from: each file, its graph and its SHA-256."""

ONTOLOGY_FILE = "ontology/clustergraph.ttl"
SHAPES_FILE = "ontology/shapes.ttl"
VOCAB_DIR = "data/vocab"
SOURCES_DIR = "data/sources"
QUERIES_DIR = "queries"
STORE_DIR = ".clustergraph/store"
"""Where a project keeps its embedded store (ignored by git)."""

SOURCE_EXTENSIONS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "jsonld",
}
"""File extensions of source files (compared case-insensitively) and their formats."""

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


def entity_iri(kind: str, slug: str) -> str:
    """Return the IRI of an entity: ``BASE + "id/<kind>/<slug>"``.

    Parameters
    ----------
    kind
        Kind of entity, for example ``"org"`` or ``"person"``.
    slug
        Identifier of the entity within its kind.

    Returns
    -------
    str
        The entity IRI.

    Raises
    ------
    LayoutError
        If ``kind`` or ``slug`` is not a valid IRI segment.

    Examples
    --------
    >>> entity_iri("region", "skane")
    'https://w3id.org/clustergraph/id/region/skane'
    """
    return ID_NS + _check_slug(kind, "kind") + "/" + _check_slug(slug, "slug")


def graph_for_file(path: str | PurePath) -> str:
    """Return the named graph IRI of a project file.

    Parameters
    ----------
    path
        Path of the file relative to the project root (``/``-separated or a path object).

    Returns
    -------
    str
        The graph IRI given by the layout conventions.

    Raises
    ------
    LayoutError
        If the file has no place in the dataset (for example the shapes file, or a
        source file of an unknown format).

    Examples
    --------
    >>> graph_for_file("ontology/clustergraph.ttl")
    'https://w3id.org/clustergraph/graph/ontology'
    >>> graph_for_file("data/sources/x.TriG")
    'https://w3id.org/clustergraph/graph/source/x'
    """
    rel = path if isinstance(path, str) else PurePath(path).as_posix()
    if "//" in rel or "/./" in rel or rel.startswith("./") or rel.endswith("/"):
        rel = str(PurePosixPath(rel))  # as a path reads it: "data//x" is "data/x"
    if rel == ONTOLOGY_FILE:
        return ONTOLOGY_GRAPH
    parent, _, name = rel.rpartition("/")
    segment = _DATA_DIRS.get(parent)
    stem, dot, suffix = name.rpartition(".")
    allowed = SOURCE_EXTENSIONS if segment == "source" else {".ttl": "turtle"}
    if segment is None or not stem or dot + suffix.lower() not in allowed:
        raise LayoutError(
            f"{rel}: not a dataset file (expected {ONTOLOGY_FILE}, {VOCAB_DIR}/*.ttl or "
            f"{SOURCES_DIR}/*{{{','.join(SOURCE_EXTENSIONS)}}})"
        )
    return f"{GRAPH_NS}{segment}/{_check_slug(stem, 'file stem')}"


def file_for_graph(graph: str) -> str:
    """Return the Turtle file (relative to the project root) named after a graph.

    A source may also be written in another format (:data:`SOURCE_EXTENSIONS`);
    :meth:`Project.file_of` finds the file that exists.

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
        If ``graph`` is not the graph of a file of the layout.

    Examples
    --------
    >>> file_for_graph("https://w3id.org/clustergraph/graph/source/oecd")
    'data/sources/oecd.ttl'
    """
    iri = str(graph)
    if iri == ONTOLOGY_GRAPH:
        return ONTOLOGY_FILE
    if iri.startswith(GRAPH_NS):
        segment, _, stem = iri[len(GRAPH_NS) :].partition("/")
        directory = _GRAPH_DIRS.get(segment)
        if directory is not None and _SLUG.fullmatch(stem):
            return f"{directory}/{stem}.ttl"
    raise LayoutError(f"<{iri}> is not a graph IRI of the clustergraph layout")


def is_stated_graph(graph: str) -> bool:
    """Return whether ``graph`` holds stated facts (the ontology, a vocabulary, a source).

    Examples
    --------
    >>> is_stated_graph(SOURCE_GRAPHS + "x"), is_stated_graph(DERIVED_NS + "source/x")
    (True, False)
    """
    return graph == ONTOLOGY_GRAPH or graph.startswith((VOCAB_GRAPHS, SOURCE_GRAPHS))


def is_derived_graph(graph: str) -> bool:
    """Return whether ``graph`` holds derived facts."""
    return graph.startswith(DERIVED_NS)


def is_data_graph(graph: str) -> bool:
    """Return whether ``graph`` holds data, not the store's bookkeeping (the manifest).

    Data is stated or derived facts, or any graph outside the project's graph namespace.
    The default graph of every query is the union of the data graphs.

    Examples
    --------
    >>> is_data_graph(SOURCE_GRAPHS + "x"), is_data_graph(MANIFEST_GRAPH), is_data_graph("urn:g")
    (True, False, True)
    """
    return is_stated_graph(graph) or is_derived_graph(graph) or not graph.startswith(GRAPH_NS)


def derived_graph(stated: str) -> str:
    """Return the graph of the facts derived from the stated graph ``stated``.

    Raises
    ------
    LayoutError
        If ``stated`` is not a stated graph of the layout.
    """
    if not is_stated_graph(stated):
        raise LayoutError(f"<{stated}> is not a stated graph of the clustergraph layout")
    return DERIVED_NS + stated[len(GRAPH_NS) :]


def stated_graph(derived: str) -> str | None:
    """Return the stated graph that ``derived`` follows from (``None`` if several).

    Examples
    --------
    >>> stated_graph(DERIVED_NS + "source/x")
    'https://w3id.org/clustergraph/graph/source/x'
    >>> stated_graph(ACROSS_SOURCES_GRAPH) is None
    True
    """
    if not is_derived_graph(derived) or derived == ACROSS_SOURCES_GRAPH:
        return None
    return GRAPH_NS + derived[len(DERIVED_NS) :]


@dataclass(frozen=True)
class Project:
    """A clustergraph work tree rooted at ``root``.

    Parameters
    ----------
    root
        The directory holding ``ontology/`` and ``data/``.
    store_path
        Where its store is kept (default: ``<root>/.clustergraph/store``).
    build_path
        Where ``clustergraph build`` writes (default: ``<root>/build``).

    Examples
    --------
    >>> p = Project(Path("repo"))
    >>> p.shapes_file.as_posix()
    'repo/ontology/shapes.ttl'
    >>> p.relpath(Path("repo/data/vocab/nace.ttl"))
    'data/vocab/nace.ttl'
    """

    root: Path
    store_path: Path | None = None
    build_path: Path | None = None

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

    @property
    def queries_dir(self) -> Path:
        """Directory of the query library, ``queries`` (checks in ``queries/checks``)."""
        return self.root / QUERIES_DIR

    @property
    def store_dir(self) -> Path:
        """The project's embedded store, ``.clustergraph/store``."""
        return self.store_path if self.store_path is not None else self.root / STORE_DIR

    @property
    def build_dir(self) -> Path:
        """Where ``clustergraph build`` writes, ``build/``."""
        return self.build_path if self.build_path is not None else self.root / "build"

    @classmethod
    def discover(cls, start: Path | None = None) -> Project:
        """Find the project containing ``start`` (default: the working directory).

        Walks up from ``start`` until a directory holding ``ontology/clustergraph.ttl``.

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

    @classmethod
    def bundled(cls, *, work: Path | None = None) -> Project:
        """Return the project shipped with the package: the curated graph and its queries.

        In an installed package it is the package's own copy, which is never written:
        its store is kept in the user's cache (``$XDG_CACHE_HOME/clustergraph``). In an
        editable install it is the checkout's files and store. Either way its build goes
        to ``work`` (default: the working directory) ``/build``, never into the package or
        the checkout.

        Raises
        ------
        InputError
            If this installation ships no project.
        """
        import os

        here = Path(__file__).resolve().parent
        packaged = here / "bundle"
        out = (work if work is not None else Path.cwd()) / "build"
        if (packaged / ONTOLOGY_FILE).is_file():
            from clustergraph import __version__

            cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
            store = cache / "clustergraph" / __version__ / "store"
            return cls(packaged, store_path=store, build_path=out)
        checkout = here.parents[2]
        if (checkout / ONTOLOGY_FILE).is_file():
            return cls(checkout, build_path=out)
        raise InputError("this installation ships no project: give --root DIR")

    @classmethod
    def init(cls, directory: Path, *, template: Project | None = None) -> Project:
        """Create a new project in ``directory``, for a graph of one's own.

        The ontology, the shapes, the vocabularies and the query library are copied from
        ``template`` (default: the project shipped with the package); ``data/sources/`` is
        left empty, and a ``.gitignore`` keeps the store and the build out of version
        control.

        Raises
        ------
        InputError
            If ``directory`` already holds a project or files that would be overwritten.
        """
        import shutil

        source = template if template is not None else cls.bundled()
        target = Path(directory)
        if target.exists() and not target.is_dir():
            raise InputError(f"{target}: is a file; init creates a project in a directory")
        if (target / ONTOLOGY_FILE).exists():
            raise InputError(f"{target}: already a project (it has {ONTOLOGY_FILE})")
        copies = [source.ontology_file, source.shapes_file]
        copies += sorted(source.vocab_dir.glob("*.ttl"))
        copies += sorted(source.queries_dir.glob("*.rq"))
        copies += sorted((source.queries_dir / "checks").glob("*.rq"))
        for path in copies:
            rel = path.relative_to(source.root)
            if (target / rel).exists():
                raise InputError(f"{target / rel}: exists; init writes into a new directory")
        try:
            for path in copies:
                destination = target / path.relative_to(source.root)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)
            (target / SOURCES_DIR).mkdir(parents=True, exist_ok=True)
            ignore = target / ".gitignore"
            if not ignore.exists():
                ignore.write_text(".clustergraph/\nbuild/\n", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{target}: cannot create the project: {exc.strerror or exc}") from exc
        return cls(target)

    def relpath(self, path: Path) -> str:
        """Return ``path`` relative to the root, ``/``-separated (as given if outside)."""
        text, root = str(path), str(self.root)
        if os.sep == "/" and root not in (".", "/") and text.startswith(root + "/"):
            rest = text[len(root) + 1 :]  # a path object's text: no "." or "//" in it
            if ".." not in rest.split("/"):
                return rest
        if ".." not in path.parts and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()  # no look at the disk
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
            The files, sorted by name within each directory.

        Raises
        ------
        InputError
            If the ontology file or a data directory is missing, a file in a data
            directory is not of a format the layout knows (one line naming it and the
            formats), or two sources share a stem (``x.ttl`` and ``x.nt``).
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
            stems: dict[str, str] = {}
            with os.scandir(directory) as entries:
                names = sorted(
                    e.name for e in entries if not e.name.startswith(".") and not e.is_dir()
                )  # hidden files (editors' swap files) and folders are not data
            for name in names:
                graph_for_file(f"{rel}/{name}")  # raises for an unknown format
                stem = name.rpartition(".")[0] or name
                other = stems.get(stem)
                if other is not None:
                    raise InputError(
                        f"{rel}/{name}: {other} has the same name: one file per graph "
                        "(rename one of them)"
                    )
                stems[stem] = name
                files.append(directory / name)
        return tuple(files)

    def graph_of(self, path: Path) -> str:
        """Return the named graph IRI of a file of this project."""
        return graph_for_file(self.relpath(path))

    def file_of(self, graph: str) -> Path:
        """Return the file of this project that holds the named graph ``graph``.

        Sources written in another format than Turtle are found by their stem.
        """
        path = self.root / file_for_graph(graph)
        if path.is_file() or not str(graph).startswith(SOURCE_GRAPHS):
            return path
        for candidate in sorted(path.parent.glob(path.stem + ".*")):
            if candidate.suffix.lower() in SOURCE_EXTENSIONS:
                return candidate
        return path
