"""The embedded store: Oxigraph (pyoxigraph), on disk or in memory.

On disk (the default, the project's ``.clustergraph/store``) the data is parsed once and
every later command reads it without parsing anything; in memory it is for tests and
notebooks.

Queries run with the union of the data graphs as their default graph
(:func:`~clustergraph.project.layout.is_data_graph`). Oxigraph's own union of the named
graphs yields a triple once per graph that states it, and an organisation many sources
name is stated hundreds of times: joins over it grow with the square of that number. So
the store keeps the union itself, each triple once, in Oxigraph's default graph (which
holds nothing else): :meth:`OxigraphStore.refresh_union` writes it whole, every write
through this class keeps it current for the graphs it touches (what a graph no longer
states leaves the union unless another data graph states it), and a mark in the manifest
graph says it is current. A write it cannot follow (a SPARQL update that does not say
which graphs it writes, or one that touches more than :data:`FOLLOW_LIMIT` triples)
empties it and removes the mark; until the next refresh, queries read Oxigraph's union
of every named graph (the manifest's too), with the same data, slower. The pipeline
refreshes it after deriving, and a writable store on disk when it is closed.

Examples
--------
>>> store = OxigraphStore()
>>> store.replace_graphs({"urn:g": b'<urn:a> <urn:p> "x"@en .'})
>>> store.graphs(), store.count("urn:g")
(['urn:g'], 1)
>>> store.query('SELECT ?o WHERE { <urn:a> ?p ?o }').rows
((<Literal value=x language=en>,),)
>>> store.query('ASK { ?s ?p ?o }', graphs=["urn:other"]).value
False
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from clustergraph.errors import InputError, QueryError, StoreBusyError, StoreError
from clustergraph.project.layout import GRAPH_NS, MANIFEST_GRAPH, is_data_graph
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.terms import Term, has_blank_node, relabel_blank_nodes
from clustergraph.store import interruptible
from clustergraph.store.base import AskResult, GraphResult, Result, ResultsFormat, SelectResult
from clustergraph.store.results import xml_carriage_returns
from clustergraph.store.sparql import bind_values, check_shape

FOLLOW_LIMIT = 100_000
"""Most triples a write may touch (before and after) for the union to follow it."""

_DEFAULT = ox.DefaultGraph()
_MARK = ox.Quad(
    ox.NamedNode(MANIFEST_GRAPH),
    ox.NamedNode("http://www.w3.org/ns/sparql-service-description#defaultGraph"),
    ox.NamedNode(GRAPH_NS + "union"),
    ox.NamedNode(MANIFEST_GRAPH),
)
"""The mark that says the default graph holds the union of the data graphs."""


class OxigraphStore:
    """An embedded Oxigraph store.

    Parameters
    ----------
    path
        The store's directory (created if missing); ``None`` keeps it in memory.
    read_only
        Open an existing store for reading only: several processes may read one store
        while none writes it.

    Raises
    ------
    StoreError
        If the store cannot be opened (another process writes it, a damaged or
        unreadable directory).
    """

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        self.path = None if path is None else Path(path)
        self.writable = not read_only
        self.local = True
        self.on_disk = self.path is not None
        self.location = "memory:" if self.path is None else f"oxigraph:{self.path}"
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                if self.path.exists() and not self.path.is_dir():
                    raise StoreError(f"{self.location}: is a file, not a store's directory")
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            reason = _open_error(exc)
            kind = StoreBusyError if reason == _BUSY else StoreError
            raise kind(f"{self.location}: cannot open the store: {reason}") from exc

    def __repr__(self) -> str:
        """Show where the store is."""
        return f"OxigraphStore({self.location!r})"

    def __enter__(self) -> OxigraphStore:
        """Use the store in a ``with`` block."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Release the store."""
        self.close()

    @property
    def native(self) -> ox.Store:
        """The :class:`pyoxigraph.Store` itself, for the fast paths of loading."""
        return self._store

    # -- reading ---------------------------------------------------------------

    def _answer(
        self,
        text: str,
        bindings: Mapping[str, Term] | None,
        graphs: Sequence[str] | None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        if bindings:
            text = bind_values(text, bindings)
        check_shape(text)
        try:
            if graphs is None and self.union_current:
                return self._store.query(text)
            if graphs is None and self._default_empty():
                return self._store.query(text, use_default_graph_as_union=True)
            if graphs is None:  # what a write that died while it followed the union left
                graphs = self.graphs()
            names: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(g) for g in graphs]
            default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(names)
            return self._store.query(text, default_graph=default, named_graphs=names)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {_one_line(exc)}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"Oxigraph could not evaluate the query: {_one_line(exc)}") from exc

    @property
    def union_current(self) -> bool:
        """Whether the default graph holds the union of the data graphs, each triple once."""
        return _MARK in self._store

    def _default_empty(self) -> bool:
        return next(iter(self._store.quads_for_pattern(None, None, None, _DEFAULT)), None) is None

    def refresh_union(self) -> None:
        """Write the union of the data graphs into the default graph, unless it is current.

        Each triple once, however many graphs state it (see the module's docstring).
        Nothing to do for a store opened read-only.
        """
        if not self.writable or self.union_current:
            return
        self._store.clear_graph(_DEFAULT)
        members = [
            n
            for n in self._store.named_graphs()
            if isinstance(n, ox.NamedNode) and is_data_graph(n.value)
        ]
        quads = (
            ox.Quad(q.subject, q.predicate, q.object, _DEFAULT)
            for graph in members
            for q in self._store.quads_for_pattern(None, None, None, graph)
        )
        try:
            self._store.bulk_extend(quads)
            self._store.add(_MARK)
        except OSError as exc:
            self._store.clear_graph(_DEFAULT)
            raise StoreError(
                f"{self.location}: writing the union failed: {_one_line(exc)}"
            ) from exc

    def _forget_union(self) -> None:
        self._store.remove(_MARK)
        self._store.clear_graph(_DEFAULT)

    def _triples(self, graphs: Collection[str], limit: int) -> set[ox.Triple] | None:
        """Return the triples of ``graphs``, or ``None`` if they hold more than ``limit``."""
        quads = list(
            itertools.islice(
                itertools.chain.from_iterable(
                    self._store.quads_for_pattern(None, None, None, ox.NamedNode(g)) for g in graphs
                ),
                limit + 1,
            )
        )
        return None if len(quads) > limit else {q.triple for q in quads}

    def _stated(self, triple: ox.Triple) -> bool:
        """Whether a data graph states ``triple``."""
        return any(
            isinstance(q.graph_name, ox.NamedNode) and is_data_graph(q.graph_name.value)
            for q in self._store.quads_for_pattern(triple.subject, triple.predicate, triple.object)
        )

    def _unite_less(self, triples: Sequence[ox.Triple]) -> None:
        """Remove ``triples`` from the union: in one request, blank nodes' one by one."""
        plain = [t for t in triples if not has_blank_node(t)]
        for triple in triples:
            if has_blank_node(triple):
                self._store.remove(ox.Quad(triple.subject, triple.predicate, triple.object))
        if plain:
            text = (ox.serialize(plain, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
            self._run_update(f"DELETE DATA {{ {text} }}")

    @contextlib.contextmanager
    def _following(self, graphs: Iterable[str] | None) -> Iterator[None]:
        """Keep the union current across a write to ``graphs`` (``None``: not known)."""
        if not self.union_current:
            yield
            return
        touched = None if graphs is None else sorted({g for g in graphs if is_data_graph(g)})
        before = None if touched is None else self._triples(touched, FOLLOW_LIMIT)
        if touched is None or before is None:
            self._forget_union()
            yield
            return
        self._store.remove(_MARK)
        try:
            yield
            after = self._triples(touched, FOLLOW_LIMIT) if touched else set()
            if after is None:
                self._forget_union()
                return
            self._store.extend(
                ox.Quad(t.subject, t.predicate, t.object, _DEFAULT) for t in after - before
            )
            self._unite_less([t for t in before - after if not self._stated(t)])
        except BaseException:
            self._store.clear_graph(_DEFAULT)
            raise
        self._store.add(_MARK)

    def query(
        self,
        text: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        graphs: Sequence[str] | None = None,
    ) -> Result:
        """Evaluate a query; see :meth:`clustergraph.store.base.Store.query`."""
        return interruptible.call(self._query, text, bindings, graphs)

    def _query(
        self,
        text: str,
        bindings: Mapping[str, Term] | None,
        graphs: Sequence[str] | None,
    ) -> Result:
        answer = self._answer(text, bindings, graphs)
        try:
            if isinstance(answer, ox.QueryBoolean):
                return AskResult(bool(answer))
            if isinstance(answer, ox.QueryTriples):
                return GraphResult(tuple(answer))
            variables = tuple(v.value for v in answer.variables)
            rows = tuple(tuple(solution) for solution in answer)
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"Oxigraph could not evaluate the query: {_one_line(exc)}") from exc
        return SelectResult(variables, rows)

    def query_serialized(
        self,
        text: str,
        fmt: ResultsFormat,
        *,
        bindings: Mapping[str, Term] | None = None,
        graphs: Sequence[str] | None = None,
    ) -> bytes:
        """Evaluate a SELECT or ASK query; return the results in ``fmt``, written by Oxigraph."""
        return interruptible.call(self._query_serialized, text, fmt, bindings, graphs)

    def _query_serialized(
        self,
        text: str,
        fmt: ResultsFormat,
        bindings: Mapping[str, Term] | None,
        graphs: Sequence[str] | None,
    ) -> bytes:
        answer = self._answer(text, bindings, graphs)
        if isinstance(answer, ox.QueryTriples):
            raise QueryError("a CONSTRUCT or DESCRIBE result is a graph, not a table")
        try:
            written = answer.serialize(format=fmt.oxigraph) or b""
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"Oxigraph could not evaluate the query: {_one_line(exc)}") from exc
        return xml_carriage_returns(written) if fmt is ResultsFormat.XML else written

    def graphs(self) -> list[str]:
        """Return the named graphs, sorted.

        Oxigraph lists a graph from its first triple until it is dropped; every write
        here drops a graph it empties, so a listed graph holds triples (the mark that
        the union is current is not counted: a manifest holding only that is not listed).
        """
        names = sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
        if MANIFEST_GRAPH in names and not any(self.quads(graph=MANIFEST_GRAPH)):
            names.remove(MANIFEST_GRAPH)
        return names

    def quads(
        self,
        subject: Term | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,  # noqa: A002 - RDF's own word
        graph: str | None = None,
    ) -> Iterator[ox.Quad]:
        """Yield the quads of the named graphs that match a pattern (``None``: any)."""
        name = ox.NamedNode(graph) if graph is not None else None
        for quad in self._store.quads_for_pattern(subject, predicate, object, name):  # type: ignore[arg-type]
            if (name is not None or isinstance(quad.graph_name, ox.NamedNode)) and quad != _MARK:
                yield quad

    def count(self, graph: str | None = None) -> int:
        """Return the number of triples in ``graph``, or of quads in all named graphs."""
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"

        def counted() -> int:
            answer = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
            assert isinstance(answer, ox.QuerySolutions)
            found = 0
            for solution in answer:
                value = solution["n"]
                found = int(value.value) if value is not None else 0
            return found

        found = interruptible.call(counted)
        if graph in (None, MANIFEST_GRAPH) and self.union_current:
            found -= 1  # the mark is bookkeeping
        return found

    def dump(
        self,
        output: IO[bytes],
        fmt: RdfFormat,
        *,
        graphs: Sequence[str] | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        """Write named graphs to ``output``: quads for a dataset format, else their union."""
        names = graphs if graphs is not None else self.graphs()
        chosen = dict(prefixes) if prefixes else None
        if fmt.supports_datasets:
            quads = (q for g in names for q in self.quads(graph=g))
            ox.serialize(quads, output, fmt.oxigraph, prefixes=chosen)
            return
        if len(names) == 1 and names[0] != MANIFEST_GRAPH:  # the manifest: without the mark
            graph = ox.NamedNode(names[0])
            interruptible.call(
                self._store.dump, output, fmt.oxigraph, from_graph=graph, prefixes=chosen
            )
            return
        triples = sorted({q.triple for g in names for q in self.quads(graph=g)}, key=str)
        ox.serialize(triples, output, fmt.oxigraph, prefixes=chosen)

    # -- writing ---------------------------------------------------------------

    def _need_writes(self) -> None:
        if not self.writable:
            raise StoreError(f"{self.location} was opened read-only")

    def update(self, text: str, *, graphs: Iterable[str] | None = None) -> None:
        """Run a SPARQL 1.1 Update request, as one transaction.

        ``graphs`` names every graph the request writes, if the caller knows them: the
        union in the default graph then follows the update instead of being emptied.
        """
        self._need_writes()
        with self._following(graphs):
            self._run_update(text)

    def _run_update(self, text: str) -> None:
        check_shape(text, operators=False)  # data written is not evaluated
        try:
            self._store.update(text)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL Update syntax error: {_one_line(exc)}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"{self.location}: the update failed: {_one_line(exc)}") from exc

    def replace_graphs(self, data: Mapping[str, bytes]) -> None:
        """Replace named graphs with N-Triples ``data``, in one transaction.

        Every graph's data is parsed first, so malformed data changes nothing. Each
        graph's data is a document of its own: its blank nodes are its own, even where
        another graph's data uses the same labels.
        """
        self._need_writes()
        parts = []
        for number, (graph, body) in enumerate(sorted(data.items())):
            try:
                ox.NamedNode(graph)
                triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
            except (SyntaxError, ValueError) as exc:
                raise InputError(f"<{graph}>: not valid N-Triples: {_one_line(exc)}") from exc
            parts.append(f"DROP SILENT GRAPH <{graph}>")
            if triples:
                lines = body.decode("utf-8")
                if any(has_blank_node(t) for t in triples):
                    lines = _scoped(triples, f"g{number}x")
                parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{lines}\n}} }}")
        if parts:
            self.update(" ;\n".join(parts), graphs=data)

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove named graphs, in one transaction."""
        names = [ox.NamedNode(g).value for g in graphs]
        if names:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in names), graphs=names)

    def bulk_load(
        self,
        source: Path | bytes,
        fmt: RdfFormat,
        *,
        graph: str | None = None,
        base_iri: str | None = None,
    ) -> None:
        """Load a file (or bytes) as fast as Oxigraph can, without a transaction.

        A triples format goes into ``graph``; a quads format keeps its own graphs. Use
        on a new store whose failure can be thrown away whole (see
        :mod:`clustergraph.pipeline.load`).

        Raises
        ------
        SyntaxError
            From the parser, with its position.
        OSError
            If the file cannot be read or the store cannot be written.
        """
        self._need_writes()
        target = ox.NamedNode(graph) if graph is not None else None
        if self.union_current:
            self._forget_union()
        if isinstance(source, Path):
            interruptible.call(
                self._store.bulk_load,
                path=str(source),
                format=fmt.oxigraph,
                base_iri=base_iri,
                to_graph=target,
            )
        else:
            interruptible.call(
                self._store.bulk_load, source, fmt.oxigraph, base_iri=base_iri, to_graph=target
            )

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add ``quads`` as fast as Oxigraph can, without a transaction (see :meth:`bulk_load`).

        Raises
        ------
        OSError
            If the store cannot be written.
        """
        self._need_writes()
        if not self.union_current:
            self._store.bulk_extend(quads)
            return
        # What is added joins the union; nothing leaves it.
        self._store.remove(_MARK)
        try:
            self._store.bulk_extend(_with_union(quads))
        except BaseException:
            self._store.clear_graph(_DEFAULT)
            raise
        self._store.add(_MARK)

    def flush(self) -> None:
        """Write what is buffered to disk (nothing to do in memory)."""
        if self.path is not None and self.writable:
            self._store.flush()

    def optimize(self) -> None:
        """Compact the on-disk files after a large load (faster reads)."""
        if self.path is not None and self.writable:
            interruptible.call(self._store.optimize)

    def disk_bytes(self) -> int:
        """Return the size of the store's tables on disk in bytes (0 for a store in memory).

        Oxigraph's RocksDB keeps the quads in ``.sst`` tables; its logs are not counted.
        A table that compaction removes while the sizes are read counts for nothing.
        """
        if self.path is None:
            return 0
        total = 0
        for table in self.path.glob("*.sst"):
            with contextlib.suppress(OSError):
                total += table.stat().st_size
        return total

    def copy_in_memory(self) -> OxigraphStore:
        """Return a copy of the whole store in memory: every graph, the union and the manifest.

        Oxigraph on disk (RocksDB) reads a quad several times slower than in memory: at a
        million triples the queries of the library answer three to seven times sooner
        from the copy. The copy takes about twice the store's size on disk in memory
        (:meth:`disk_bytes`); what is written to it stays in memory.

        Raises
        ------
        StoreError
            If the store cannot be read.
        """
        copy = OxigraphStore()
        try:

            def fill() -> None:  # the iterator is made where it is used (it stays in its thread)
                copy._store.bulk_extend(self._store.quads_for_pattern(None, None, None, None))

            interruptible.call(fill)  # native from end to end: Ctrl-C is heard while it runs
        except OSError as exc:
            raise StoreError(f"{self.location}: copying into memory failed: {exc}") from exc
        return copy

    def close(self) -> None:
        """Refresh the union (on disk), flush and release the store.

        Its files are unlocked once it is collected.
        """
        if hasattr(self, "_store"):
            if self.path is not None:
                self.refresh_union()
            self.flush()
            del self._store


def _with_union(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Yield ``quads``, each of a data graph followed by its triple in the default graph."""
    for quad in quads:
        yield quad
        if isinstance(quad.graph_name, ox.NamedNode) and is_data_graph(quad.graph_name.value):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, _DEFAULT)


def _scoped(triples: list[ox.Triple], prefix: str) -> str:
    """Write ``triples`` as N-Triples, each blank node labelled ``prefix`` and a number.

    One update request may not use a label in two ``INSERT DATA`` blocks; prefixing
    keeps each graph's blank nodes apart (each block's nodes are new nodes anyway). The
    new labels are ASCII (a file's label may hold letters Oxigraph's SPARQL parser does
    not take); a blank node inside a triple term is renamed too, so it stays the node
    it is outside.
    """
    renamed = relabel_blank_nodes(triples, prefix)
    return (ox.serialize(renamed, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


_BUSY = "another process is using it (a running build, 'clustergraph serve' or notebook?)"


def _open_error(exc: OSError) -> str:
    text = _one_line(exc)
    if "lock" in text.lower():
        return _BUSY
    return text


def _one_line(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 300 else text[:297] + "..."
