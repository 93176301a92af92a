"""What changed between two versions of the graph: ``clustergraph diff A B``.

A version is one of:

======================  ==================================================================
given as                read as
======================  ==================================================================
``oxigraph:PATH``,      a store (opened read-only), or a SPARQL endpoint: its data graphs
``http(s)://…``         as they stand
a build directory       the N-Quads export of a build (``exports/clustergraph.nq``): its
                        graphs as that build wrote them
a store's directory     an embedded Oxigraph store on disk, opened read-only
a project directory     the files of that work tree, loaded and derived in memory
anything else           a git revision of the project (``HEAD~1``, a tag, a commit):
                        its files, loaded and derived in memory, as ``build`` would
======================  ==================================================================

Each version is read as one set of triples per named graph. Triples are compared graph
by graph: a fact a source states and another source also states is one fact of each.
Blank nodes have no name to compare by: the triples of a graph that holds any are
relabelled by RDFC-1.0 (W3C RDF Dataset Canonicalization, pyoxigraph's), graph by graph,
so the same structure gives the same labels on both sides and only a real change shows.
The store's bookkeeping (the manifest, the descriptions of graphs and their partitions,
search keys) is not a fact and is left out.

Derived facts are told apart from stated ones by their graph
(``graph/derived/<kind>/<stem>`` follows from ``graph/<kind>/<stem>``;
``graph/derived/across-sources`` from several), so that each source lists what it
states and what follows from it.

Examples
--------
>>> a = {"urn:g": frozenset({_t("urn:x", "urn:p", "urn:y")})}
>>> b = {"urn:g": frozenset({_t("urn:x", "urn:p", "urn:z")})}
>>> d = compare(Version("a", "files", "a"), a, Version("b", "files", "b"), b)
>>> d.added, d.removed, d.identical
(1, 1, False)
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from clustergraph.errors import InputError, StoreError
from clustergraph.project.layout import (
    GRAPH_NS,
    ID_NS,
    ONTOLOGY_FILE,
    SOURCE_GRAPHS,
    VOCAB_GRAPHS,
    Project,
    is_data_graph,
    is_derived_graph,
    stated_graph,
)
from clustergraph.project.namespace import CG
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.rdf.terms import has_blank_node
from clustergraph.store.base import Store

__all__ = [
    "Diff",
    "EntityChange",
    "GraphChange",
    "Revisions",
    "Snapshot",
    "Version",
    "compare",
    "compare_builds",
    "diff",
    "read_version",
    "snapshot_of_build",
    "snapshot_of_store",
]

Snapshot = dict[str, frozenset[ox.Triple]]
"""A version's facts: graph IRI -> its triples (blank nodes canonical per graph)."""

EXPORT_FILE = "exports/clustergraph.nq"
"""A build's N-Quads export, relative to the build directory: what a build is read from."""

_SEARCH_KEY = ox.NamedNode(CG.searchKey)
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABELS = tuple(
    ox.NamedNode(iri)
    for iri in (
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "http://xmlns.com/foaf/0.1/name",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://purl.org/dc/terms/title",
    )
)


def _t(s: str, p: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o))


@dataclass(frozen=True)
class Version:
    """One side of a comparison: what was given, what kind of thing it is, and which one.

    ``kind`` is ``revision`` (``detail``: the commit), ``build``, ``store`` or ``files``
    (``detail``: the directory or the store's location).
    """

    given: str
    kind: str
    detail: str
    shown: str | None = None
    """How people are told of it, where the default would not do (``the previous build``)."""

    def describe(self) -> str:
        """Say what this version is, in a few words."""
        if self.shown is not None:
            return self.shown
        if self.kind == "revision":
            return f"revision {self.given} ({self.detail[:12]})"
        return f"{self.kind} {self.detail}"

    def to_json(self) -> dict[str, str]:
        """Return the version as JSON: ``given``, ``kind``, ``detail``."""
        return {"given": self.given, "kind": self.kind, "detail": self.detail}


def graph_kind(graph: str) -> str:
    """Return ``stated`` or ``derived`` for a data graph (any other graph counts as stated).

    Examples
    --------
    >>> graph_kind(SOURCE_GRAPHS + "x"), graph_kind(GRAPH_NS + "derived/across-sources")
    ('stated', 'derived')
    """
    return "derived" if is_derived_graph(graph) else "stated"


def source_of(graph: str) -> str | None:
    """Return the stated graph a graph's facts come from (``None``: several, across sources).

    Examples
    --------
    >>> source_of("https://w3id.org/clustergraph/graph/derived/source/x")
    'https://w3id.org/clustergraph/graph/source/x'
    >>> source_of(SOURCE_GRAPHS + "x") == SOURCE_GRAPHS + "x"
    True
    """
    if is_derived_graph(graph):
        return stated_graph(graph)
    return graph


def _bookkeeping(triple: ox.Triple) -> bool:
    """Whether a triple is the store's bookkeeping, not a fact: search keys, graph records."""
    subject = triple.subject
    return triple.predicate == _SEARCH_KEY or (
        isinstance(subject, ox.NamedNode) and subject.value.startswith(GRAPH_NS)
    )


def _facts(graph: str, triples: Iterable[ox.Triple]) -> frozenset[ox.Triple]:
    """Return a graph's facts, blank nodes relabelled by RDFC-1.0 when it holds any."""
    kept = [t for t in triples if not _bookkeeping(t)]
    blank = [t for t in kept if has_blank_node(t)]
    if not blank:
        return frozenset(kept)
    name = ox.NamedNode(graph)
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, name) for t in blank)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return frozenset([t for t in kept if not has_blank_node(t)] + [q.triple for q in dataset])


def _group(quads: Iterable[ox.Quad]) -> Snapshot:
    """Return quads as a snapshot: the data graphs only (not the default graph)."""
    by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in quads:
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and is_data_graph(graph.value):
            by_graph[graph.value].append(quad.triple)
    snapshot = {g: _facts(g, triples) for g, triples in by_graph.items()}
    return {g: facts for g, facts in sorted(snapshot.items()) if facts}


def snapshot_of_store(store: Store) -> Snapshot:
    """Return the facts of a store's data graphs.

    Raises
    ------
    StoreError
        If the store cannot be read.
    """
    quads: list[ox.Quad] = []
    for graph in store.graphs():
        if is_data_graph(graph):
            quads.extend(store.quads(graph=graph))
    return _group(quads)


def snapshot_of_build(directory: Path) -> Snapshot:
    """Return the facts of a build, read from its N-Quads export.

    Raises
    ------
    InputError
        If the build has no export, or it cannot be read.
    """
    path = directory / EXPORT_FILE
    try:
        with path.open("rb") as handle:
            return _group(ox.parse(handle, format=ox.RdfFormat.N_QUADS))
    except FileNotFoundError:
        raise InputError(
            f"{directory}: a build without {EXPORT_FILE}: nothing to compare"
        ) from None
    except (OSError, SyntaxError) as exc:
        raise InputError(f"{path}: cannot be read: {_line(exc)}") from exc


def snapshot_of_files(root: Path) -> Snapshot:
    """Return the facts of a project's files, loaded and derived in memory, as a build would.

    Raises
    ------
    InputError
        If a file is malformed (one line naming it).
    """
    with Revisions(None) as reader:
        return reader.read_files(root, str(root))[1]


def _line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# ---------------------------------------------------------------------------
# Reading a version given on the command line
# ---------------------------------------------------------------------------


def _git(root: Path, *args: str, binary: bool = False) -> Any:
    """Run git in ``root``; return its completed process (standard output as bytes if asked)."""
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=not binary,
            check=False,
        )
    except FileNotFoundError:
        raise InputError("git is not installed: a revision cannot be read") from None


def _is_store_directory(path: Path) -> bool:
    """Whether ``path`` looks like an embedded Oxigraph (RocksDB) store."""
    return (path / "CURRENT").is_file() and any(path.glob("OPTIONS-*"))


def _is_build_directory(path: Path) -> bool:
    return (path / EXPORT_FILE).is_file() or (path / ".clustergraph-build").is_file()


def read_version(
    given: str, project: Project | None, revisions: Revisions | None = None
) -> tuple[Version, Snapshot]:
    """Read the version ``given`` names (see the module docstring).

    A revision is one of ``project`` (default: the project the working directory is in);
    revisions and project directories are read by ``revisions`` (default: a reader of its
    own).

    Raises
    ------
    InputError
        If ``given`` names no store, build, project or revision, or what it names cannot be
        read (one line).
    StoreError
        If a store cannot be opened or read.
    """
    if given.startswith(("oxigraph:", "http://", "https://")):
        return _read_store(given, given)
    path = Path(given)
    if path.is_dir():
        if _is_build_directory(path):
            return Version(given, "build", str(path)), snapshot_of_build(path)
        if _is_store_directory(path):
            return _read_store(given, f"oxigraph:{path}")
        if (path / ONTOLOGY_FILE).is_file():
            if revisions is not None:
                return revisions.read_files(path, given)
            with Revisions(project) as reader:
                return reader.read_files(path, given)
        raise InputError(
            f"{given}: a directory that is neither a build (no {EXPORT_FILE}), a store, "
            f"nor a project (no {ONTOLOGY_FILE})"
        )
    if path.exists():
        raise InputError(f"{given}: a file; give a revision, a build, a store or a project")
    if revisions is not None:
        return revisions.read(given)
    with Revisions(project) as reader:
        return reader.read(given)


def _read_store(given: str, spec: str) -> tuple[Version, Snapshot]:
    from clustergraph.store import open_store

    try:
        store = open_store(spec, read_only=True)
    except StoreError as exc:
        raise InputError(f"{given}: {_line(exc)}") from exc
    try:
        return Version(given, "store", store.location), snapshot_of_store(store)
    except StoreError as exc:
        raise InputError(f"{given}: the store cannot be read: {_line(exc)}") from exc
    finally:
        store.close()


class Revisions:
    """Reads versions made of files (git revisions, project directories) into one store.

    The store is in memory; the second version is loaded into it as an edit of the first
    would be (:func:`clustergraph.pipeline.load.load`): only the files that differ are
    parsed, and only their derived graphs computed again. On the benchmark's
    100,000-triple ecosystem, two revisions differing by one file are read in about half
    the time two separate loads take.

    Parameters
    ----------
    project
        The project whose git revisions are read (``None``: the one the working directory
        is in, looked for when a revision is first read).
    """

    def __init__(self, project: Project | None) -> None:
        self.project = project
        self._work: Path | None = None
        self._store: Any = None

    def __enter__(self) -> Revisions:
        """Use the reader in a ``with`` block."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Remove the work directory and release the store."""
        self.close()

    def close(self) -> None:
        """Remove the work directory and release the store."""
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None
        if self._store is not None:
            self._store.close()
            self._store = None

    def _root(self, given: str) -> Path:
        """Return the root of the project whose revisions are read."""
        if self.project is None:
            try:
                self.project = Project.discover()
            except InputError:
                raise InputError(
                    f"{given}: no such build, store or project directory, and no project "
                    "here to read a revision of (give --root DIR)"
                ) from None
        return self.project.root

    def _store_for(self) -> Any:
        from clustergraph.store.oxigraph import OxigraphStore

        if self._store is None:
            self._store = OxigraphStore()
        return self._store

    def _load(self, root: Path, given: str) -> Snapshot:
        """Load the files of the project at ``root`` into the store, derive, read it."""
        from clustergraph.pipeline.derive import derive
        from clustergraph.pipeline.load import load

        store = self._store_for()
        try:
            load(Project(root), store)
        except InputError as exc:
            self.close()  # the store may hold part of the version: start afresh next time
            raise InputError(f"{given}: {exc}") from exc
        derive(store)
        return snapshot_of_store(store)

    def read_files(self, root: Path, given: str) -> tuple[Version, Snapshot]:
        """Read the files of the project directory ``root``, loaded and derived.

        Raises
        ------
        InputError
            If a file is malformed (one line naming ``given`` and the file).
        """
        return Version(given, "files", str(root)), self._load(root, given)

    def _commit(self, given: str) -> tuple[str, str]:
        """Return the commit ``given`` names and the project's folder in the repository."""
        root = self._root(given)
        inside = _git(root, "rev-parse", "--show-prefix")
        if inside.returncode != 0:
            raise InputError(
                f"{given}: no such build, store or project directory, and {root} is not in a "
                "git repository (a revision cannot be read)"
            )
        if given.startswith("-"):
            raise InputError(f"{given}: not a revision of the project")
        found = _git(
            root, "rev-parse", "--verify", "--quiet", "--end-of-options", given + "^{commit}"
        )
        if found.returncode != 0:
            raise InputError(
                f"{given}: not a revision of the project's git repository, nor a build, store "
                "or project directory"
            )
        return found.stdout.strip(), inside.stdout.strip()

    def read(self, given: str) -> tuple[Version, Snapshot]:
        """Read the revision ``given`` names: its files, loaded and derived.

        Raises
        ------
        InputError
            If it is no revision, holds no project, or holds a malformed file (one line
            naming the revision and the file).
        """
        commit, prefix = self._commit(given)
        archive = _git(
            self._root(given), "archive", "--format=tar", f"{commit}:{prefix}", binary=True
        )
        if archive.returncode != 0:
            raise InputError(
                f"{given}: the project is not in this revision ({_line(archive.stderr)})"
            )
        if self._work is None:
            self._work = Path(tempfile.mkdtemp(prefix="clustergraph-diff-"))
        work = self._work
        for folder in ("ontology", "data"):
            shutil.rmtree(work / folder, ignore_errors=True)
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            wanted = [m for m in tar.getmembers() if m.name.startswith(("data/", "ontology/"))]
            tar.extractall(work, members=wanted, filter="data")
        if not (work / ONTOLOGY_FILE).is_file():
            raise InputError(
                f"{given}: not a clustergraph project in this revision (no {ONTOLOGY_FILE})"
            )
        return Version(given, "revision", commit), self._load(work, given)


# ---------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphChange:
    """The facts one graph gained and lost.

    ``status`` is ``new`` (only in B), ``removed`` (only in A) or ``changed``.
    """

    graph: str
    status: str
    added: tuple[ox.Triple, ...]
    removed: tuple[ox.Triple, ...]

    @property
    def kind(self) -> str:
        """``stated`` or ``derived``."""
        return graph_kind(self.graph)

    @property
    def source(self) -> str | None:
        """The stated graph these facts come from (``None``: several)."""
        return source_of(self.graph)


@dataclass(frozen=True)
class EntityChange:
    """An entity whose facts changed: counted by the subject of the facts.

    ``status`` is ``new`` (typed in B and in no graph of A), ``removed`` (the other way)
    or ``changed``.
    """

    iri: str
    label: str | None
    status: str
    kind: str
    stated_added: int = 0
    stated_removed: int = 0
    derived_added: int = 0
    derived_removed: int = 0


@dataclass(frozen=True)
class Diff:
    """What changed from version ``a`` to version ``b``, graph by graph and entity by entity."""

    a: Version
    b: Version
    graphs: tuple[GraphChange, ...]
    entities: tuple[EntityChange, ...]
    triples_a: int
    triples_b: int
    graph_count: tuple[int, int]
    labels: Mapping[str, str] = field(default_factory=dict)
    held_before: frozenset[ox.Triple] = frozenset()
    """The facts added to a graph that another graph held in A."""
    held_after: frozenset[ox.Triple] = frozenset()
    """The facts removed from a graph that another graph still holds in B."""

    @property
    def union_counts(self) -> tuple[int, int]:
        """Return (added, removed) over the union of the graphs.

        Added: facts no graph held before; removed: facts no graph holds any more.
        """
        added = {t for g in self.graphs for t in g.added if t not in self.held_before}
        removed = {t for g in self.graphs for t in g.removed if t not in self.held_after}
        return len(added), len(removed)

    def elsewhere(self, triple: ox.Triple, *, added: bool) -> bool:
        """Whether an added fact was held before by another graph (a removed one: still is)."""
        return triple in (self.held_before if added else self.held_after)

    @property
    def added(self) -> int:
        """Facts added, counted graph by graph."""
        return sum(len(g.added) for g in self.graphs)

    @property
    def removed(self) -> int:
        """Facts removed, counted graph by graph."""
        return sum(len(g.removed) for g in self.graphs)

    @property
    def identical(self) -> bool:
        """Whether both versions hold the same facts in the same graphs."""
        return not self.graphs

    def counts(self, kind: str) -> tuple[int, int]:
        """Return (added, removed) over the graphs of ``kind`` (``stated`` or ``derived``)."""
        chosen = [g for g in self.graphs if g.kind == kind]
        return sum(len(g.added) for g in chosen), sum(len(g.removed) for g in chosen)

    def sources(self) -> list[tuple[str | None, list[GraphChange]]]:
        """Return the changes grouped by the stated graph they come from, stated first."""
        grouped: dict[str | None, list[GraphChange]] = defaultdict(list)
        for change in self.graphs:
            grouped[change.source].append(change)
        order = sorted(grouped, key=lambda g: (g is None, _source_rank(g), g or ""))
        return [(g, sorted(grouped[g], key=lambda c: c.kind != "stated")) for g in order]

    def title(self, source: str | None) -> str:
        """Return how a source is named: its article's title and its graph, or the graph."""
        if source is None:
            return "derived across sources"
        graph = compact(ox.NamedNode(source), PREFIXES)
        label = self.labels.get(_article(source))
        return f"{label} ({graph})" if label else graph

    def show(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        """Return a term as the text output shows it: a prefixed name, a literal in Turtle."""
        if isinstance(term, ox.Triple):
            inner = (self.show(term.subject), self.show(term.predicate), self.show(term.object))
            return f"<< {' '.join(inner)} >>"
        return compact(term, PREFIXES)

    def format(self) -> str:
        """Return the comparison as text: totals, new and removed entities, each source's facts."""
        head = f"{self.a.describe()} -> {self.b.describe()}"
        if self.identical:
            return (
                f"{head}: the same facts ({self.triples_a:,} in {self.graph_count[0]} graphs); "
                "nothing changed"
            )
        sa, sr = self.counts("stated")
        da, dr = self.counts("derived")
        ua, ur = self.union_counts
        lines = [
            f"{head}: {self.added:,} facts added, {self.removed:,} removed "
            f"(stated +{sa:,} -{sr:,}; derived +{da:,} -{dr:,}); "
            f"{ua:,} new to the graph as a whole, {ur:,} gone from it",
        ]
        for status, title in (("new", "new entities"), ("removed", "removed entities")):
            chosen = [e for e in self.entities if e.status == status]
            if chosen:
                lines += ["", f"{title} ({len(chosen)}):"]
                lines += [f"  {_entity_line(self, e)}" for e in chosen]
        changed = [e for e in self.entities if e.status == "changed"]
        if changed:
            lines += ["", f"entities with changed facts ({len(changed)}):"]
            lines += [f"  {_entity_line(self, e)}" for e in changed]
        for source, changes in self.sources():
            lines.append("")
            lines.append(_source_title(self, source, changes))
            for change in changes:
                what = "stated" if change.kind == "stated" else "derived"
                where = self.show(ox.NamedNode(change.graph))
                lines.append(
                    f"  {what} in {where} ({change.status}): "
                    f"+{len(change.added):,} -{len(change.removed):,}"
                )
                lines += [
                    f"    + {self.fact(t)}" + (_BEFORE if self.elsewhere(t, added=True) else "")
                    for t in change.added
                ]
                lines += [
                    f"    - {self.fact(t)}" + (_STILL if self.elsewhere(t, added=False) else "")
                    for t in change.removed
                ]
        return "\n".join(lines)

    def fact(self, triple: ox.Triple) -> str:
        """Return one fact on a line: subject, predicate, object, each shortened."""
        return (
            f"{self.show(triple.subject)} {self.show(triple.predicate)} {self.show(triple.object)}"
        )

    def to_json(self) -> dict[str, Any]:
        """Return the comparison as JSON (the shape the README documents)."""
        sa, sr = self.counts("stated")
        da, dr = self.counts("derived")
        return {
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "identical": self.identical,
            "totals": {
                "added": self.added,
                "removed": self.removed,
                "stated": {"added": sa, "removed": sr},
                "derived": {"added": da, "removed": dr},
                "triples": {"a": self.triples_a, "b": self.triples_b},
                "union": dict(zip(("added", "removed"), self.union_counts, strict=True)),
            },
            "sources": [
                {
                    "source": source,
                    "title": self.labels.get(_article(source)) if source else None,
                    "graphs": [
                        {
                            "graph": c.graph,
                            "kind": c.kind,
                            "status": c.status,
                            "added": [
                                _json_triple(t, self.elsewhere(t, added=True)) for t in c.added
                            ],
                            "removed": [
                                _json_triple(t, self.elsewhere(t, added=False)) for t in c.removed
                            ],
                        }
                        for c in changes
                    ],
                }
                for source, changes in self.sources()
            ],
            "entities": [
                {
                    "iri": e.iri,
                    "label": e.label,
                    "status": e.status,
                    "kind": e.kind,
                    "stated": {"added": e.stated_added, "removed": e.stated_removed},
                    "derived": {"added": e.derived_added, "removed": e.derived_removed},
                }
                for e in self.entities
            ],
        }


_BEFORE = "  (held before, in another graph)"
_STILL = "  (still held, in another graph)"


def _source_rank(graph: str | None) -> int:
    if graph is None:
        return 3
    if graph.startswith(SOURCE_GRAPHS):
        return 0
    if graph.startswith(VOCAB_GRAPHS):
        return 1
    return 2


def _source_title(diff: Diff, source: str | None, changes: list[GraphChange]) -> str:
    stated = next((c for c in changes if c.kind == "stated"), None)
    status = f" [{stated.status}]" if stated is not None and stated.status != "changed" else ""
    return f"{diff.title(source)}{status}"


def _entity_line(diff: Diff, entity: EntityChange) -> str:
    name = f" {entity.label}" if entity.label else ""
    parts = [f"stated +{entity.stated_added} -{entity.stated_removed}"]
    if entity.derived_added or entity.derived_removed:
        parts.append(f"derived +{entity.derived_added} -{entity.derived_removed}")
    return f"{diff.show(ox.NamedNode(entity.iri))}{name}: {', '.join(parts)}"


def _json_term(term: Any) -> str:
    """Return a term in N-Triples syntax (an IRI in angle brackets, a literal quoted)."""
    return str(term)


def _json_triple(triple: ox.Triple, elsewhere: bool) -> dict[str, Any]:
    return {
        "subject": _json_term(triple.subject),
        "predicate": _json_term(triple.predicate),
        "object": _json_term(triple.object),
        "elsewhere": elsewhere,
    }


def _sorted(triples: Iterable[ox.Triple]) -> tuple[ox.Triple, ...]:
    return tuple(sorted(triples, key=str))


_KIND_RANK = {
    kind: rank
    for rank, kind in enumerate(
        (
            "org",
            "person",
            "project",
            "programme",
            "document",
            "event",
            "source",
            "place",
            "membership",
            "post",
            "award",
            "figure",
            "time",
        )
    )
}
"""The order entities are listed in: the things the articles describe first, then the
records that hold facts together (memberships, posts, awards, figures, periods)."""


def _article(graph: str) -> str:
    """Return the IRI of the article a source graph holds (``id/source/<stem>``)."""
    if graph.startswith(SOURCE_GRAPHS):
        return f"{ID_NS}source/{graph[len(SOURCE_GRAPHS) :]}"
    return graph


def _kind(iri: str) -> str:
    """Return the kind of an entity IRI (``org`` for ``…/id/org/x``), or ``other``."""
    if iri.startswith(ID_NS):
        return iri[len(ID_NS) :].partition("/")[0]
    return "other"


def _subject_of(triple: ox.Triple, owners: Mapping[ox.BlankNode, str]) -> str | None:
    subject = triple.subject
    if isinstance(subject, ox.NamedNode):
        return subject.value
    if isinstance(subject, ox.BlankNode):
        return owners.get(subject)
    return None


def _owners(facts: Iterable[ox.Triple]) -> dict[ox.BlankNode, str]:
    """Return, for each blank node an IRI points to, that IRI (the entity it describes)."""
    owners: dict[ox.BlankNode, str] = {}
    for t in facts:
        if isinstance(t.object, ox.BlankNode) and isinstance(t.subject, ox.NamedNode):
            owners.setdefault(t.object, t.subject.value)
    return owners


def _digest(triple: ox.Triple) -> bytes:
    """Return a 128-bit digest of a triple's N-Triples form (to ask whether a side held it)."""
    return hashlib.blake2b(str(triple).encode(), digest_size=16).digest()


_LABEL_RANK = {label: rank for rank, label in enumerate(_LABELS)}


class _Comparison:
    """Compares two versions graph by graph, as their graphs come; keeps what the result needs.

    Besides each changed graph's facts, it keeps, for both sides, a digest of every fact
    (to tell whether a fact added to a graph was held by another), the entities typed, and
    the best name of each entity; not the facts of the graphs that did not change.
    """

    def __init__(self) -> None:
        self.changes: list[GraphChange] = []
        self.counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        self.digests: tuple[set[bytes], set[bytes]] = (set(), set())
        self.typed: tuple[set[str], set[str]] = (set(), set())
        self.names: tuple[dict[str, tuple[int, str]], dict[str, tuple[int, str]]] = ({}, {})
        self.triples = [0, 0]
        self.graphs = [0, 0]

    def _scan(self, side: int, graph: str, facts: frozenset[ox.Triple]) -> None:
        if not facts:
            return
        self.graphs[side] += 1
        self.triples[side] += len(facts)
        digests, typed, names = self.digests[side], self.typed[side], self.names[side]
        stated = not is_derived_graph(graph)
        for t in facts:
            digests.add(_digest(t))
            subject = t.subject
            if not isinstance(subject, ox.NamedNode):
                continue
            if t.predicate == _TYPE:
                typed.add(subject.value)
            elif stated and isinstance(t.object, ox.Literal):
                rank = _LABEL_RANK.get(t.predicate)
                if rank is None:
                    continue
                rank = rank * 2 + (t.object.language not in (None, "en"))
                if subject.value not in names or rank < names[subject.value][0]:
                    names[subject.value] = (rank, t.object.value)

    def graph(self, graph: str, old: frozenset[ox.Triple], new: frozenset[ox.Triple]) -> None:
        """Compare one graph's facts in A (``old``) and B (``new``)."""
        self._scan(0, graph, old)
        self._scan(1, graph, new)
        if old == new:
            return
        added, removed = _sorted(new - old), _sorted(old - new)
        status = "new" if not old else "removed" if not new else "changed"
        self.changes.append(GraphChange(graph, status, added, removed))
        derived = is_derived_graph(graph)
        for facts, side, offset in ((added, new, 0), (removed, old, 1)):
            owners = (
                _owners(side) if any(isinstance(t.subject, ox.BlankNode) for t in facts) else {}
            )
            for t in facts:
                subject = _subject_of(t, owners)
                if subject is not None:
                    self.counts[subject][offset + 2 * derived] += 1

    def result(self, a: Version, b: Version) -> Diff:
        """Return the comparison of every graph seen."""
        changes, counts = self.changes, self.counts
        typed_before, typed_after = self.typed
        wanted = set(counts) | {_article(c.source) for c in changes if c.source is not None}
        labels = {}
        for iri in wanted:  # the name in B, else the name in A
            found = self.names[1].get(iri) or self.names[0].get(iri)
            if found is not None:
                labels[iri] = found[1]
        entities = []
        for iri in sorted(counts, key=lambda i: (labels.get(i, "").casefold(), i)):
            n = counts[iri]
            status = (
                "new"
                if iri in typed_after and iri not in typed_before
                else "removed"
                if iri in typed_before and iri not in typed_after
                else "changed"
            )
            entities.append(
                EntityChange(iri, labels.get(iri), status, _kind(iri), n[0], n[1], n[2], n[3])
            )
        entities.sort(key=lambda e: _KIND_RANK.get(e.kind, len(_KIND_RANK)))
        before, after = self.digests
        return Diff(
            a=a,
            b=b,
            graphs=tuple(changes),
            entities=tuple(entities),
            triples_a=self.triples[0],
            triples_b=self.triples[1],
            graph_count=(self.graphs[0], self.graphs[1]),
            labels=labels,
            held_before=frozenset(t for c in changes for t in c.added if _digest(t) in before),
            held_after=frozenset(t for c in changes for t in c.removed if _digest(t) in after),
        )


def compare(a: Version, before: Snapshot, b: Version, after: Snapshot) -> Diff:
    """Compare two snapshots graph by graph; see the module docstring."""
    comparison = _Comparison()
    for graph in sorted(before.keys() | after.keys()):
        comparison.graph(graph, before.get(graph, frozenset()), after.get(graph, frozenset()))
    return comparison.result(a, b)


def _runs(path: Path, unsorted: list[Path]) -> Iterator[tuple[str, str, frozenset[ox.Triple]]]:
    """Yield ``(key, graph, facts)`` for each data graph of an export, in the file's order.

    A build's export lists its quads graph by graph, sorted (``<IRI>`` as the key); in a
    file where a graph comes back, or the graphs are out of order, the reading stops and
    ``path`` is added to ``unsorted``.
    """
    current: str | None = None
    triples: list[ox.Triple] = []
    last = ""
    with path.open("rb") as handle:
        for quad in ox.parse(handle, format=ox.RdfFormat.N_QUADS):
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode) or not is_data_graph(graph.value):
                continue
            if graph.value != current:
                if current is not None:
                    yield last, current, _facts(current, triples)
                key = str(graph)
                if key <= last:
                    unsorted.append(path)
                    return
                current, triples, last = graph.value, [], key
            triples.append(quad.triple)
    if current is not None:
        yield last, current, _facts(current, triples)


def compare_builds(before: Path, after: Path, a: Version, b: Version) -> Diff:
    """Compare two builds by their N-Quads exports, reading them side by side graph by graph.

    Only the facts of graphs that changed are kept in memory (at 100,000 triples, about a
    third of what reading both whole takes); an export whose graphs are not in order is
    read whole (:func:`snapshot_of_build`).

    Raises
    ------
    InputError
        If an export is missing or cannot be read.
    """
    for directory in (before, after):
        if not (directory / EXPORT_FILE).is_file():
            raise InputError(f"{directory}: a build without {EXPORT_FILE}: nothing to compare")
    comparison = _Comparison()
    empty: frozenset[ox.Triple] = frozenset()
    unsorted: list[Path] = []
    try:
        olds, news = _runs(before / EXPORT_FILE, unsorted), _runs(after / EXPORT_FILE, unsorted)
        old, new = next(olds, None), next(news, None)
        while old is not None or new is not None:
            if new is None or (old is not None and old[0] < new[0]):
                assert old is not None
                comparison.graph(old[1], old[2], empty)
                old = next(olds, None)
            elif old is None or new[0] < old[0]:
                comparison.graph(new[1], empty, new[2])
                new = next(news, None)
            else:
                comparison.graph(old[1], old[2], new[2])
                old, new = next(olds, None), next(news, None)
    except (OSError, SyntaxError) as exc:
        raise InputError(f"{before} or {after}: an export cannot be read: {_line(exc)}") from exc
    if unsorted:
        return compare(a, snapshot_of_build(before), b, snapshot_of_build(after))
    return comparison.result(a, b)


def diff(a: str, b: str, project: Project | None = None) -> Diff:
    """Compare the versions ``a`` and ``b`` name (see :func:`read_version`).

    Two builds are read side by side (:func:`compare_builds`).

    Raises
    ------
    InputError
        If either names nothing that can be read (one line naming which).
    """
    builds = [Path(v) for v in (a, b) if Path(v).is_dir() and (Path(v) / EXPORT_FILE).is_file()]
    if len(builds) == 2:
        return compare_builds(
            builds[0],
            builds[1],
            Version(a, "build", str(builds[0])),
            Version(b, "build", str(builds[1])),
        )
    with Revisions(project) as revisions:
        version_a, before = read_version(a, project, revisions)
        version_b, after = read_version(b, project, revisions)
    return compare(version_a, before, version_b, after)
