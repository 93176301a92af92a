"""Files into the store: one named graph per file, only what changed, all or nothing.

:func:`load` brings a store up to date with a project's files (the ontology, the
vocabularies, the sources; see :mod:`clustergraph.project.layout`):

1. every file is compared with the store's manifest
   (:data:`~clustergraph.project.layout.MANIFEST_GRAPH`), which says which file each
   graph was loaded from, its SHA-256, and the file's size, modification and change
   times (nanoseconds) and inode as last seen. A file whose size and times are as
   recorded is not read; any other is hashed, and loaded only if its hash changed (a
   file only touched keeps its graph, and its new times are recorded). A record is
   trusted only if the file had not changed for :data:`SETTLE_NS` when it was made: a
   file written within the file system's timestamp granularity of being seen could
   change again without its times changing, so it is hashed until it has settled;
2. the files that are new or changed are parsed strictly
   (:func:`clustergraph.rdf.parse.parse_file`); a source must also describe its graph
   (``<graph/source/x> prov:wasDerivedFrom <its article>``). The first bad file stops
   the load before anything is written;
3. their graphs are replaced, the graphs of deleted files are removed, and the derived
   graphs of every changed graph are dropped (:mod:`clustergraph.pipeline.derive`
   computes them again);
4. the manifest is written last: a load that dies midway leaves those graphs out of the
   manifest, so the next load loads them again.

On a small change the store is changed in one transaction; a large load into an
embedded store goes through Oxigraph's bulk loader. Nothing is parsed when nothing
changed, which is what makes a second command fast.

Examples
--------
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> import shutil, tempfile
>>> tmp = Path(tempfile.mkdtemp())
>>> for folder in ("ontology", "data/vocab", "data/sources"):
...     (tmp / folder).mkdir(parents=True)
>>> _ = (tmp / "ontology/clustergraph.ttl").write_text("<urn:o> a <urn:Ontology> .")
>>> _ = (tmp / "data/sources/a.ttl").write_text('''
...     <https://w3id.org/clustergraph/graph/source/a>
...         <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:article> .''')
>>> report = load(Project(tmp), store)
>>> report.loaded, report.removed, report.unchanged
(('https://w3id.org/clustergraph/graph/ontology', 'https://w3id.org/clustergraph/graph/source/a'), (), 0)
>>> load(Project(tmp), store).changed
False
>>> shutil.rmtree(tmp)
"""  # noqa: E501

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from clustergraph.errors import InputError, StoreError
from clustergraph.project.layout import (
    ACROSS_SOURCES_GRAPH,
    MANIFEST_GRAPH,
    SOURCE_GRAPHS,
    Project,
    derived_graph,
    is_derived_graph,
    is_stated_graph,
)
from clustergraph.rdf.terms import n3
from clustergraph.store.base import BulkStore, SelectResult, Store

if TYPE_CHECKING:
    from clustergraph.rdf.parse import Parsed

__all__ = [
    "LoadReport",
    "ManifestEntry",
    "Seen",
    "files_seen",
    "load",
    "manifest",
    "stated_graphs",
]

DCTERMS_SOURCE = "http://purl.org/dc/terms/source"
SPDX = "http://spdx.org/rdf/terms#"
PROV_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
FILES_SEEN = MANIFEST_GRAPH + "#filesSeen"
"""The manifest's record of the files as last seen (one ``rdf:JSON`` literal: read in
one look-up, written with the manifest in one transaction)."""

SETTLE_NS = 2_000_000_000
"""A file whose modification or change time is within this many nanoseconds of when it
was seen (or later) is hashed again on the next load: coarse file system clocks (and
file systems that keep whole or even seconds) can give an edit made just after the file
was seen the same times it had."""

BULK_THRESHOLD = 20_000
"""Above this many triples, an embedded store is written by the bulk loader."""

BULK_BATCH = 64_000_000
"""Bytes of N-Triples (about 400,000 triples) the bulk loader takes at once: its memory
grows with what it is given in one call."""

PREVIOUS_LIMIT = 200
"""Up to this many graphs replaced or removed, :func:`load` notes the IRIs they held
(:attr:`LoadReport.previous`), so that validation can look again at just those nodes."""


@dataclass(frozen=True)
class ManifestEntry:
    """What a graph of the store was loaded from: the file and its SHA-256."""

    graph: str
    file: str
    sha256: str


@dataclass(frozen=True)
class LoadReport:
    """What :func:`load` did.

    Attributes
    ----------
    loaded
        Graphs (re)loaded from their files, sorted.
    removed
        Graphs removed because their file is gone.
    unchanged
        How many graphs were already as their files are.
    triples
        Triples written.
    previous
        The IRIs the replaced and removed graphs described before (their subjects),
        or ``None`` if more than :data:`PREVIOUS_LIMIT` graphs were replaced or removed
        (a whole load: validate everything).
    warnings
        One line per file loaded that the load took as it is but a curator should look
        at: relative IRIs with no ``@base``.
    """

    loaded: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    triples: int
    previous: tuple[str, ...] | None = ()
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether the store was changed."""
        return bool(self.loaded or self.removed)


def manifest(store: Store) -> dict[str, ManifestEntry]:
    """Return the store's manifest: graph IRI to the file it was loaded from."""
    result = store.query(
        f"SELECT ?g ?file ?sha WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ ?g <{DCTERMS_SOURCE}> "
        f"?file ; <{SPDX}checksum>/<{SPDX}checksumValue> ?sha }} }}"
    )
    assert isinstance(result, SelectResult)
    entries = {}
    for g, file, sha in result.rows:
        if g is not None and file is not None and sha is not None:
            entries[g.value] = ManifestEntry(g.value, file.value, sha.value)
    return entries


@dataclass(frozen=True)
class Seen:
    """A file as last seen: its manifest entry, its stat, and when it was seen.

    Attributes
    ----------
    entry
        The graph, the file and its SHA-256.
    stat
        ``(size, mtime_ns, ctime_ns, inode)`` of the file, taken before it was hashed.
    at
        ``time.time_ns()`` taken before that stat.
    """

    entry: ManifestEntry
    stat: tuple[int, int, int, int]
    at: int

    @property
    def settled(self) -> bool:
        """Whether the file had not changed for :data:`SETTLE_NS` when it was seen."""
        return max(self.stat[1], self.stat[2]) + SETTLE_NS <= self.at


def files_seen(store: Store) -> dict[str, Seen]:
    """Return the manifest's record of the files as last seen, by graph (empty if none)."""
    subject = ox.NamedNode(MANIFEST_GRAPH)
    for quad in store.quads(subject, ox.NamedNode(FILES_SEEN), None, graph=MANIFEST_GRAPH):
        if not isinstance(quad.object, ox.Literal):
            break
        try:
            record = json.loads(quad.object.value)
            return {
                graph: Seen(ManifestEntry(graph, file, sha), (size, mtime, ctime, inode), at)
                for graph, (file, sha, size, mtime, ctime, inode, at) in record.items()
            }
        except (ValueError, TypeError):
            return {}  # not a record this version wrote: every file is hashed
    return {}


def _stat(path: Path, shown: str) -> tuple[int, int, int, int]:
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def stated_graphs(store: Store) -> list[str]:
    """Return the store's graphs of stated facts (the ontology, vocabularies, sources)."""
    return [g for g in store.graphs() if is_stated_graph(g)]


def _manifest_triples(entries: Iterable[ManifestEntry], seen: Mapping[str, Seen]) -> str:
    """Write manifest entries as N-Triples (one checksum node per graph).

    The record of those files as ``seen`` (where it has the same hash) goes with them.
    """
    lines = []
    entries = sorted(entries, key=lambda e: e.graph)
    record = {
        e.graph: [e.file, e.sha256, *s.stat, s.at]
        for e in entries
        if (s := seen.get(e.graph)) is not None and s.entry == e
    }
    if record:
        text = json.dumps(record, separators=(",", ":"))
        literal = ox.Literal(text, datatype=ox.NamedNode(RDF_JSON))
        lines.append(f"<{MANIFEST_GRAPH}> <{FILES_SEEN}> {n3(literal)} .")
    for number, entry in enumerate(entries):
        node = f"_:checksum{number}"
        lines += [
            f"<{entry.graph}> <{DCTERMS_SOURCE}> {n3(ox.Literal(entry.file))} .",
            f"<{entry.graph}> <{SPDX}checksum> {node} .",
            f"{node} <{SPDX}algorithm> <{SPDX}checksumAlgorithm_sha256> .",
            f"{node} <{SPDX}checksumValue> {n3(ox.Literal(entry.sha256))} .",
        ]
    return "\n".join(lines) + "\n"


def _sha256(path: Path, shown: str) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise InputError(f"{shown}: cannot read: {exc.strerror or exc}") from exc


def _check_source(triples: list[ox.Triple], graph: str, shown: str) -> ox.NamedNode:
    """Check that a source says which article its graph comes from; return the article."""
    node = ox.NamedNode(graph)
    for triple in triples:
        if triple.subject == node and triple.predicate.value == PROV_DERIVED_FROM:
            if isinstance(triple.object, ox.NamedNode):
                return triple.object
    raise InputError(
        f"{shown}: no source node: the file must describe its graph, as in "
        f"<{graph}> a cg:SourceGraph ; prov:wasDerivedFrom <the article's IRI>"
    )


def _quads(parsed: Mapping[str, bytes]) -> Iterator[ox.Quad]:
    """Yield each graph's quads from its N-Triples, its blank nodes its own.

    Each graph is parsed on its own with fresh blank node identifiers: two files that
    both write ``_:b1`` describe two nodes.
    """
    for graph, body in parsed.items():
        name = ox.NamedNode(graph)
        for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, name)


def _batches(parsed: Mapping[str, bytes], size: int) -> Iterator[dict[str, bytes]]:
    """Split ``parsed`` into runs of graphs of about ``size`` bytes of N-Triples each."""
    batch: dict[str, bytes] = {}
    held = 0
    for graph, body in parsed.items():
        batch[graph] = body
        held += len(body)
        if held >= size:
            yield batch
            batch, held = {}, 0
    if batch:
        yield batch


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def load(project: Project, store: Store, *, force: bool = False) -> LoadReport:
    """Bring ``store`` up to date with the files of ``project`` (see the module docstring).

    Parameters
    ----------
    project
        The project whose files to load.
    store
        A writable store.
    force
        Load every file again, changed or not.

    Returns
    -------
    LoadReport
        What was loaded and removed.

    Raises
    ------
    InputError
        If a file is missing, malformed or not of a known format (one line naming it);
        the store is left as it was.
    StoreError
        If the store cannot be written.
    """
    files = project.dataset_files()
    before = files_seen(store)
    now = time.time_ns()  # before any stat: a file changed after it is not settled
    wanted: dict[str, ManifestEntry] = {}
    paths: dict[str, Path] = {}
    seen: dict[str, Seen] = {}
    restat = False  # whether the record of a file with an unchanged hash is to be written
    for path in files:
        rel = project.relpath(path)
        graph = project.graph_of(path)
        stat = _stat(path, rel)
        last = before.get(graph)
        if (
            not force
            and last is not None
            and last.entry.file == rel
            and last.stat == stat
            and last.settled
        ):
            seen[graph] = last  # as recorded: not read
        else:
            seen[graph] = Seen(ManifestEntry(graph, rel, _sha256(path, rel)), stat, now)
            if last is not None and last.entry == seen[graph].entry:
                restat |= last.stat != stat or seen[graph].settled
        wanted[graph] = seen[graph].entry
        paths[graph] = path
    if (
        not force
        and not restat
        and before.keys() == wanted.keys()
        and all(seen[g] is before[g] for g in wanted)
    ):
        return LoadReport((), (), len(wanted), 0)  # the manifest itself is not read
    current = manifest(store)
    changed = sorted(g for g, e in wanted.items() if force or current.get(g) != e)
    # A publisher's named graphs are kept under their file's graph (<graph>/<n>).
    main_of = {e.file: g for g, e in wanted.items()}

    def part_of(g: str) -> str | None:
        main = main_of.get(current[g].file)
        return main if main is not None and g.startswith(main + "/") else None

    removed = sorted(g for g in current if g not in wanted and part_of(g) is None)
    if not changed and not removed:
        if restat or any(g not in before for g in wanted):
            # Only times changed (or the record is new): record them, nothing reloaded.
            record = _manifest_triples(current.values(), seen)
            store.replace_graphs({MANIFEST_GRAPH: record.encode()})
        return LoadReport((), (), len(wanted), 0)
    from clustergraph.rdf.parse import parse_file, parse_source

    # Every file is parsed and checked before anything is written; each is then kept as
    # N-Triples, far smaller than its parsed terms (holding every file's terms at once,
    # loading five million triples peaked at 4.9 GB).
    parsed: dict[str, bytes] = {}
    total = 0
    warnings: list[str] = []
    for graph in list(changed):
        shown = wanted[graph].file
        if graph.startswith(SOURCE_GRAPHS):
            found = parse_source(paths[graph], graph=graph, shown=shown)
            triples = found.triples
            article = _check_source(triples, graph, shown)
            warnings.extend(_warnings(found, shown, triples))
            for sub, sub_triples in found.graphs.items():
                sub_triples.extend(_provenance(sub, graph, article, found.names[sub]))
                parsed[sub] = _ntriples(sub_triples)
                wanted[sub] = ManifestEntry(sub, shown, wanted[graph].sha256)
                total += len(sub_triples)
                changed.append(sub)
            removed.extend(
                g
                for g in current
                if part_of(g) == graph and g not in found.graphs and g not in removed
            )
        else:
            triples = parse_file(paths[graph], graph=graph, shown=shown)
        parsed[graph] = _ntriples(triples)
        total += len(triples)
    changed.sort()
    removed.sort()
    previous = _previous_nodes(store, [g for g in [*changed, *removed] if g in current])
    _write(store, parsed, total, removed, current, wanted, seen)
    return LoadReport(
        tuple(changed),
        tuple(removed),
        len(wanted) - len(changed),
        total,
        previous,
        tuple(warnings),
    )


PROV_ALTERNATE_OF = "http://www.w3.org/ns/prov#alternateOf"
DCTERMS_IS_PART_OF = "http://purl.org/dc/terms/isPartOf"


def _provenance(sub: str, graph: str, article: ox.NamedNode, name: str) -> list[ox.Triple]:
    """Describe a publisher's graph kept under a source: its article, its file's graph, its name."""
    node = ox.NamedNode(sub)
    found = [
        ox.Triple(node, ox.NamedNode(PROV_DERIVED_FROM), article),
        ox.Triple(node, ox.NamedNode(DCTERMS_IS_PART_OF), ox.NamedNode(graph)),
    ]
    if "://" in name or name.startswith("urn:"):
        found.append(ox.Triple(node, ox.NamedNode(PROV_ALTERNATE_OF), ox.NamedNode(name)))
    return found


def _warnings(found: Parsed, shown: str, triples: list[ox.Triple]) -> list[str]:
    """Return the lines to warn about for a source as parsed (relative IRIs, no @base)."""
    if not found.relative:
        return []
    url = next(
        (
            t.object.value
            for t in triples
            if t.predicate.value in _URL_PROPERTIES
            and isinstance(t.object, (ox.NamedNode, ox.Literal))
        ),
        "",
    )
    base = url.rsplit("/", 1)[0] + "/" if url.count("/") > 2 else "https://publisher.example/"
    count = f"{found.relative:,} IRI{'s' if found.relative != 1 else ''}"
    return [
        f"{shown}: warning: {count} written relative with no @base, resolved against the "
        f"file's graph (the first: <{found.first_relative}>), where no page and no search "
        f"finds them; say where the publisher's IRIs live: an '@base <{base}> .' line before "
        f"its data (new-source --import FILE --base IRI writes it)"
    ]


_URL_PROPERTIES = frozenset({"https://schema.org/url", "http://xmlns.com/foaf/0.1/page"})


def _previous_nodes(store: Store, graphs: list[str]) -> tuple[str, ...] | None:
    """Return the IRIs ``graphs`` describe now (before they are replaced), sorted.

    Only subjects: a node a graph merely points at (a class, a concept, an organisation
    another source describes) keeps its description when the graph goes.
    """
    if not graphs:
        return ()
    if len(graphs) > PREVIOUS_LIMIT:
        return None
    listed = " ".join(f"<{g}>" for g in graphs)
    result = store.query(
        f"SELECT DISTINCT ?n WHERE {{ VALUES ?g {{ {listed} }} GRAPH ?g {{ ?n ?p ?o }} "
        "FILTER(isIRI(?n)) }"
    )
    assert isinstance(result, SelectResult)
    return tuple(sorted(row[0].value for row in result.rows if row[0] is not None))


def _write(
    store: Store,
    parsed: Mapping[str, bytes],
    size: int,
    removed: list[str],
    current: Mapping[str, ManifestEntry],
    wanted: Mapping[str, ManifestEntry],
    seen: Mapping[str, Seen],
) -> None:
    """Write the parsed graphs, remove the gone ones, then the manifest (see the docstring)."""
    touched = [*parsed, *removed]
    if any(not g.startswith(SOURCE_GRAPHS) for g in touched):
        # The ontology or a vocabulary changed: what follows from every source may change.
        derived = [g for g in store.graphs() if is_derived_graph(g)]
    else:
        derived = [derived_graph(g) for g in touched] + [ACROSS_SOURCES_GRAPH]
    kept = [e for g, e in current.items() if g not in touched]
    # 1. The manifest forgets what is about to change: a load that dies is redone.
    store.replace_graphs({MANIFEST_GRAPH: _manifest_triples(kept, seen).encode()})
    if isinstance(store, BulkStore) and size > BULK_THRESHOLD:
        # 2a. Large: drop the old graphs in one transaction, then bulk-load the new ones.
        # Every file was parsed and checked before: one pass of the bulk loader writes
        # them all (a load that dies here is redone, the manifest not naming them).
        store.drop_graphs([*touched, *derived])
        # The union of what is left, so that the bulk load adds to it as it goes (the
        # union of an empty store costs nothing; see clustergraph.store.oxigraph).
        store.refresh_union()
        try:
            for batch in _batches(parsed, BULK_BATCH):
                store.bulk_extend(_quads(batch))
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(f"{store.location}: the bulk load failed: {exc}") from exc
    else:
        # 2b. Small, or remote: one replace, all or nothing.
        data = dict(parsed)
        data.update({g: b"" for g in [*removed, *derived]})
        store.replace_graphs(data)
    # 3. The manifest records the new files.
    entries = [*kept, *(wanted[g] for g in parsed)]
    store.replace_graphs({MANIFEST_GRAPH: _manifest_triples(entries, seen).encode()})
