r"""Checks on how things are named, written in Python beside the SPARQL checks.

``checks/not-in-nfc``
    IRIs and names (``skos:prefLabel``, ``skos:altLabel``, ``foaf:name``, ``rdfs:label``,
    ``schema:name``, ``dcterms:title``) not in Unicode normal form C: text pasted from the
    web in NFD (``s`` and a combining caron for ``š``) looks the same as the NFC spelling
    but is another IRI, another name. Each is reported with the file and the line that
    write it and the NFC spelling to write instead; what is typed on the command line or
    in Python is brought to NFC before it is looked up, so the NFC spelling is the one
    that is found.
``checks/same-as-between-project-iris``
    Two of the project's own IRIs joined by ``owl:sameAs``: two IRIs were minted for one
    thing. The networks, views and pages merge them
    (:mod:`clustergraph.queries.same_as`); the fix is to keep one IRI and make the
    other's names ``skos:altLabel`` of it. A warning: the data stays usable.

Examples
--------
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> o = "https://w3id.org/clustergraph/id/org/"
>>> store.replace_graphs({"https://w3id.org/clustergraph/graph/source/a": (
...     f"<{o}s\u030ciauliai> <http://www.w3.org/2004/02/skos/core#prefLabel> \"S\u030ciauliai\"@lt .\n"
...     f"<{o}a> <http://www.w3.org/2002/07/owl#sameAs> <{o}b> .").encode()})
>>> [r[2].value for r in not_in_nfc(store).rows]
['IRI', 'name']
>>> [(r[0].value, r[1].value) for r in same_as_between_project_iris(store).rows] == [(o + "a", o + "b")]
True
"""  # noqa: E501

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import PurePath

import pyoxigraph as ox

from clustergraph.project.layout import ID_NS, MANIFEST_GRAPH, Project, is_derived_graph
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.queries.library import QueryFile, parse_query_file
from clustergraph.queries.reconcile import NAME_PROPERTIES
from clustergraph.queries.same_as import merge, same_as_pairs
from clustergraph.store.base import SelectResult, Store

__all__ = ["CHECKS", "name_checks", "not_in_nfc", "same_as_between_project_iris"]

_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_NON_ASCII = "[^\\\\x00-\\\\x7F]"  # a SPARQL regex: NFC changes only text beyond ASCII


def _stated(store: Store, graphs: Sequence[str] | None) -> set[str]:
    names = list(graphs) if graphs is not None else store.graphs()
    return {g for g in names if not is_derived_graph(g) and g != MANIFEST_GRAPH}


class _Lines:
    """Find the line of a file that writes some text (the files named by the manifest)."""

    def __init__(self, store: Store, project: Project | None) -> None:
        from clustergraph.pipeline.load import manifest

        self.files = {g: e.file for g, e in manifest(store).items()}
        self.project = project
        self.texts: dict[str, list[str]] = {}

    def file(self, graph: str) -> str:
        return self.files.get(graph, f"<{graph}>")

    def line(self, graph: str, *written: str) -> int:
        """Return the first line of ``graph``'s file holding one of ``written`` (0: none)."""
        rel = self.files.get(graph)
        if rel is None or self.project is None:
            return 0
        if rel not in self.texts:
            try:
                text = (self.project.root / rel).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            self.texts[rel] = text.splitlines()
        for what in written:
            if not what:
                continue
            for number, line in enumerate(self.texts[rel], start=1):
                if what in line:
                    return number
        return 0


def _lit(value: object) -> ox.Literal:
    return ox.Literal(str(value))


def _line(number: int) -> ox.Literal | None:
    return ox.Literal(str(number), datatype=_INTEGER) if number else None


def _iri_written(iri: str) -> tuple[str, ...]:
    """How a file may write ``iri``: whole, or its last segment after a prefix."""
    tail = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return (f"<{iri}>", f":{tail}", tail)


def not_in_nfc(
    store: Store, *, graphs: Sequence[str] | None = None, project: Project | None = None
) -> SelectResult:
    r"""Return the IRIs and names not in NFC: file, line, kind, as written, NFC spelling.

    ``written`` shows the code points beyond ASCII escaped (``s\u030c``), so that the
    two spellings are told apart on screen; ``nfc`` is the spelling to write instead.
    The line is left empty where the file writes the text escaped.
    """
    keep = _stated(store, graphs)
    lines = _Lines(store, project)
    found: dict[tuple[str, str, str], tuple[str, str]] = {}
    result = store.query(
        "SELECT DISTINCT ?g ?t WHERE { GRAPH ?g { { ?t ?p ?o } UNION { ?s ?t ?o } UNION "
        f'{{ ?s ?p ?t }} }} FILTER(isIRI(?t) && REGEX(STR(?t), "{_NON_ASCII}")) }}'
    )
    assert isinstance(result, SelectResult)
    for g, t in result.rows:
        if g is None or t is None or g.value not in keep:
            continue
        nfc = unicodedata.normalize("NFC", t.value)
        if nfc != t.value:
            found[(g.value, "IRI", t.value)] = (compact(nfc, PREFIXES), t.value)
    values = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
    result = store.query(
        f"SELECT DISTINCT ?g ?n WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?e ?p ?n }} "
        f'FILTER(isLiteral(?n) && REGEX(STR(?n), "{_NON_ASCII}")) }}'
    )
    assert isinstance(result, SelectResult)
    for g, n in result.rows:
        if g is None or n is None or g.value not in keep:
            continue
        nfc = unicodedata.normalize("NFC", n.value)
        if nfc != n.value:
            found[(g.value, "name", n.value)] = (nfc, n.value)
    rows = []
    for (graph, kind, value), (nfc, _written) in found.items():
        number = lines.line(graph, *(_iri_written(value) if kind == "IRI" else (value,)))
        rows.append((lines.file(graph), number, kind, value, nfc))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    return SelectResult(
        ("file", "line", "kind", "written", "nfc"),
        tuple(
            (_lit(file), _line(number), _lit(kind), _lit(ascii(value)[1:-1]), _lit(nfc))
            for file, number, kind, value, nfc in rows
        ),
    )


def same_as_between_project_iris(
    store: Store, *, graphs: Sequence[str] | None = None, project: Project | None = None
) -> SelectResult:
    """Return the project's IRIs ``owl:sameAs`` joins: kept, merged, file, line, fix."""
    keep = _stated(store, graphs)
    pairs = same_as_pairs(store, keep.__contains__)
    merged = merge((a, b) for _g, a, b in pairs)
    lines = _Lines(store, project)
    rows = []
    for graph, a, b in pairs:
        for other in (a, b):
            kept = merged.get(other)
            if kept is None or not kept.startswith(ID_NS) or not other.startswith(ID_NS):
                continue
            name, keeper = compact(other, PREFIXES), compact(kept, PREFIXES)
            fix = (
                f"keep {keeper}: write {name}'s names as skos:altLabel of {keeper}, "
                f"use {keeper} wherever {name} is written, and remove the owl:sameAs"
            )
            number = lines.line(graph, "sameAs")
            rows.append((kept, other, lines.file(graph), number, fix))
    unique = sorted(set(rows))
    return SelectResult(
        ("entity", "other", "file", "line", "fix"),
        tuple(
            (ox.NamedNode(k), ox.NamedNode(o), _lit(f), _line(n), _lit(fix))
            for k, o, f, n, fix in unique
        ),
    )


def _query(name: str, summary: str, variables: str, tags: tuple[str, ...]) -> QueryFile:
    tagged = "".join(f"#+   - {t}\n" for t in tags)
    text = f"#+ summary: {summary}\n#+ tags:\n{tagged}SELECT {variables} WHERE {{}}\n"
    return parse_query_file(text, name=name, path=PurePath(f"queries/{name}.rq"))  # type: ignore[arg-type]


CHECKS: tuple[tuple[str, str, str, tuple[str, ...], Callable[..., SelectResult]], ...] = (
    (
        "checks/not-in-nfc",
        "IRIs and names not in Unicode normal form C (they look alike but compare "
        "unequal): write the NFC spelling given.",
        "?file ?line ?kind ?written ?nfc",
        ("check", "names"),
        not_in_nfc,
    ),
    (
        "checks/same-as-between-project-iris",
        "Two of the project's IRIs joined by owl:sameAs (merged into one entity, the "
        "subject's): keep one IRI, make the other's names skos:altLabel of it.",
        "?entity ?other ?file ?line ?fix",
        ("check", "names", "warning"),  # clustergraph.pipeline.checks.WARNING_TAG
        same_as_between_project_iris,
    ),
)
"""The checks of this module: name, summary, columns, tags and function."""


def name_checks(
    store: Store, *, graphs: Sequence[str] | None = None, project: Project | None = None
) -> list[tuple[QueryFile, SelectResult, float]]:
    """Run the checks of this module: per check, the check, its rows and its time."""
    runs = []
    for name, summary, variables, tags, check in CHECKS:
        started = time.perf_counter()
        result = check(store, graphs=graphs, project=project)
        runs.append((_query(name, summary, variables, tags), result, time.perf_counter() - started))
    return runs
