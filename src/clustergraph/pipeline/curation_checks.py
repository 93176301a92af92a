r"""Checks written in Python, beside the SPARQL checks: probable duplicates.

SPARQL cannot compare names as people read them, so this check of
:func:`clustergraph.pipeline.checks.run_checks` is Python (the checks of names not in
NFC and of the project's IRIs joined by ``owl:sameAs`` are in
:mod:`clustergraph.pipeline.name_checks`):

``checks/probable-duplicates``
    Two entities of the same kind (``org``, ``person``, ``project``, ...) with different
    IRIs whose names are the same name by :func:`clustergraph.queries.names.same_name`
    (compare keys equal, or in another word order, or near: rapidfuzz ``ratio`` at least
    :data:`NEAR` and at most :data:`NEAR_EDITS` characters apart; ``&`` and ``and`` and
    legal forms aside; the same numbers and ordinals, ``Forum 2019`` and ``Forum 2020``
    or ``I-asis`` and ``II-asis`` being two things; a post is not its office,
    ``Prezidentas`` and ``Prezidentūra``), acronyms and short aliases left out, with the
    sources describing each. IRIs joined by ``owl:sameAs`` are one entity; a curator who knows
    two look-alikes are different things says so with ``cg:distinctFrom`` (or
    ``owl:differentFrom``) and a ``skos:editorialNote``, and the pair is no longer
    reported.

Examples
--------
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> from clustergraph.project.vocab import FOAF, RDF
>>> def person(slug, name):
...     iri = f"<https://w3id.org/clustergraph/id/person/{slug}>"
...     return f'{iri} <{RDF.type}> <{FOAF.Person}> .\n{iri} <{FOAF.name}> "{name}" .'.encode()
>>> store.replace_graphs({
...     "https://w3id.org/clustergraph/graph/source/a": person("a", "Julius Paužolis"),
...     "https://w3id.org/clustergraph/graph/source/b": person("b", "Julius Pauz\u030colis")})
>>> [(query.name, len(result.rows)) for query, result, _s in curation_checks(store)]
[('checks/probable-duplicates', 1)]
"""

from __future__ import annotations

import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import PurePath

import pyoxigraph as ox

from clustergraph.project.layout import MANIFEST_GRAPH, is_derived_graph
from clustergraph.project.namespace import CG
from clustergraph.project.vocab import OWL, SKOS
from clustergraph.queries.library import QueryFile, parse_query_file
from clustergraph.queries.names import NEAR, NEAR_EDITS, compare_key, same_keys
from clustergraph.queries.reconcile import NAME_PROPERTIES, Matcher
from clustergraph.store.base import SelectResult, Store

__all__ = [
    "DUPLICATE_KINDS",
    "NEAR",
    "NEAR_EDITS",
    "curation_checks",
    "names_not_in_nfc",
    "probable_duplicates",
]

DUPLICATE_KINDS = frozenset({"org", "person", "project", "programme", "event", "document", "place"})
"""Kinds of entity checked for duplicates (memberships, posts and awards are named after
what they join, so theirs follow)."""

_SHORTEST = 4  # keys shorter than this (acronyms such as "ACC") are weak evidence: left out
_SHORTEST_ALIAS = 8  # so are aliases shorter than this ("ACEC", "LAuGEA")


def _query(name: str, summary: str, variables: str) -> QueryFile:
    text = f"#+ summary: {summary}\n#+ tags:\n#+   - check\n#+   - curation\n"
    text += f"SELECT {variables} WHERE {{}}\n"
    return parse_query_file(text, name=name, path=PurePath(f"queries/{name}.rq"))  # type: ignore[arg-type]


def _lit(value: object) -> ox.Literal:
    return ox.Literal(str(value))


def _distinct_pairs(store: Store, graphs: Sequence[str] | None) -> set[frozenset[str]]:
    result = store.query(
        f"SELECT ?a ?b WHERE {{ VALUES ?p {{ <{CG.distinctFrom}> <{OWL.differentFrom}> }} "
        "?a ?p ?b FILTER(isIRI(?a) && isIRI(?b)) }",
        graphs=graphs,
    )
    assert isinstance(result, SelectResult)
    return {
        frozenset((a.value, b.value)) for a, b in result.rows if a is not None and b is not None
    }


def probable_duplicates(
    store: Store, *, graphs: Sequence[str] | None = None, matcher: Matcher | None = None
) -> SelectResult:
    """Return the pairs of probable duplicates (see the module docstring), one row each.

    Columns: ``entity``, ``other``, ``name``, ``otherName``, ``score``, ``sources``,
    ``otherSources`` (the source graphs describing each, by stem).
    """
    from rapidfuzz import fuzz, process

    matcher = matcher or Matcher.from_store(store, graphs=_stated(store, graphs))
    distinct = _distinct_pairs(store, graphs)
    # Block by kind and first word, and by kind and the words in any order: look-alikes
    # share one or the other.
    blocks: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    shuffled: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    preferred = {
        (entity, text)
        for entity, names in matcher.names.items()
        for prop, text in names
        if prop != SKOS.altLabel
    }
    compared: dict[str, str] = {}
    for key, entity, name in matcher.keys():
        kind = matcher.kind(entity)
        if len(key) < _SHORTEST_ALIAS and (entity, name) not in preferred:
            continue  # a short alias (an acronym) two things share is weak evidence
        if kind in DUPLICATE_KINDS:
            near = compared.get(name)
            if near is None:
                near = compared[name] = compare_key(name)
            if not near:
                continue
            blocks[(kind, near.split(" ", 1)[0])].append((near, entity, name))
            shuffled[(kind, " ".join(sorted(near.split())))].append((near, entity, name))
    found: dict[frozenset[str], tuple[float, str, str, str, str]] = {}

    def consider(a: tuple[str, str, str], b: tuple[str, str, str], score: float) -> None:
        pair = frozenset((a[1], b[1]))
        if a[1] == b[1] or pair in distinct:
            return
        if not same_keys(a[0], b[0], ratio=score):
            return  # other numbers or ordinals, a post and its office, too many edits
        first, second = sorted((a, b), key=lambda r: r[1])
        if score > found.get(pair, (-1.0,))[0]:
            found[pair] = (score, first[1], second[1], first[2], second[2])

    for rows in shuffled.values():
        for x, row in enumerate(rows):
            for other in rows[x + 1 :]:
                consider(row, other, 100.0)
    for rows in blocks.values():
        if len(rows) < 2:
            continue
        keys = [r[0] for r in rows]
        long = [i for i, k in enumerate(keys) if len(k) >= _SHORTEST]
        scores = process.cdist(
            [keys[i] for i in long], [keys[i] for i in long], scorer=fuzz.ratio,
            score_cutoff=NEAR, workers=1,
        )  # fmt: skip
        for x, i in enumerate(long):
            for y in range(x + 1, len(long)):
                if scores[x][y] >= NEAR:
                    consider(rows[i], rows[long[y]], float(scores[x][y]))

    def stems(entity: str) -> str:
        return ", ".join(sorted(g.rsplit("/", 1)[-1] for g in matcher.graphs.get(entity, ())))

    rows_out = [
        (
            ox.NamedNode(a),
            ox.NamedNode(b),
            _lit(name_a),
            _lit(name_b),
            _lit(f"{score:.0f}"),
            _lit(stems(a)),
            _lit(stems(b)),
        )
        for score, a, b, name_a, name_b in sorted(found.values(), key=lambda v: (v[1], v[2]))
    ]
    variables = ("entity", "other", "name", "otherName", "score", "sources", "otherSources")
    return SelectResult(variables, tuple(rows_out))


def names_not_in_nfc(store: Store, *, graphs: Sequence[str] | None = None) -> SelectResult:
    """Return the names not in Unicode NFC, with the entity, property and graph.

    ``name`` is shown with its code points escaped, ``nfc`` as it should be.
    """
    values = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
    result = store.query(
        f"SELECT ?g ?e ?p ?n WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?e ?p ?n }} "
        "FILTER(isLiteral(?n)) }"
    )
    assert isinstance(result, SelectResult)
    keep = set(_stated(store, graphs))
    rows = []
    for g, e, p, n in result.rows:
        if g is None or e is None or p is None or n is None or g.value not in keep:
            continue
        if unicodedata.normalize("NFC", n.value) != n.value:
            nfc = unicodedata.normalize("NFC", n.value)
            rows.append((e, p, _lit(ascii(n.value)[1:-1]), _lit(nfc), g))
    rows.sort(key=lambda r: (r[0].value, r[1].value, r[2].value))
    return SelectResult(("entity", "property", "name", "nfc", "graph"), tuple(rows))


def _stated(store: Store, graphs: Sequence[str] | None) -> list[str]:
    names = list(graphs) if graphs is not None else store.graphs()
    return [g for g in names if not is_derived_graph(g) and g != MANIFEST_GRAPH]


CHECKS: tuple[tuple[str, str, str, Callable[..., SelectResult]], ...] = (
    (
        "checks/probable-duplicates",
        "Entities of one kind with equal or nearly equal names and different IRIs "
        "(record a deliberate distinction with cg:distinctFrom and a note).",
        "?entity ?other ?name ?otherName ?score ?sources ?otherSources",
        probable_duplicates,
    ),
)


def curation_checks(
    store: Store, *, graphs: Sequence[str] | None = None
) -> list[tuple[QueryFile, SelectResult, float]]:
    """Run the Python checks on ``store``; ``graphs`` narrows what they see.

    Returns
    -------
    list[tuple[QueryFile, SelectResult, float]]
        Per check: the check, its rows and its time in seconds, which
        :func:`clustergraph.pipeline.checks.run_checks` reports as a ``CheckRun``.
    """
    runs = []
    for name, summary, variables, check in CHECKS:
        started = time.perf_counter()
        result = check(store, graphs=graphs)
        runs.append((_query(name, summary, variables), result, time.perf_counter() - started))
    return runs
