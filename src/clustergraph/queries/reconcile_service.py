r"""The W3C Entity Reconciliation Service API (version 0.2) over the graph, and its server.

What OpenRefine and other tools speak to match a column of names against the graph:

==============================  ==================================================================
request                         answer
==============================  ==================================================================
``GET /``                       the service manifest
``GET|POST / queries=BATCH``    a batch ``{"q0": {"query": ..., "type": ..., "limit": ...,
                                "properties": [{"pid": ..., "v": ...}]}}`` answered
                                ``{"q0": {"result": [candidates]}}``; a query may give
                                properties only (no ``query`` text)
``GET|POST / extend=QUERY``     data extension: ``{"ids": [...], "properties": [{"id": ...}]}``
                                answered ``{"meta": [...], "rows": {id: {property: [values]}}}``
``GET /properties?type=T``      the properties data extension proposes for a type
``GET /suggest/entity``         entities whose name (or identifier) starts with or holds
                                ``prefix``, ``cursor`` results skipped; ``/suggest/type``
                                and ``/suggest/property`` likewise
``GET /flyout/entity?id=ID``    ``{"id": ..., "html": ...}``: a small card for a suggestion
``GET /preview?id=ID``          an HTML card of the entity: kind, country, key facts, sources
``OPTIONS`` (any path)          CORS preflight: the methods and headers allowed
==============================  ==================================================================

The properties (for queries and for data extension) are :data:`PROPERTIES`: ``country``,
``sector``, ``founded`` (a founding date: ``2012`` matches ``2012-05-04``), ``network``
(what the entity is a member of), ``label`` (excellence label levels), ``alias`` and
``kind``. A property value in a query is matched accent- and case-insensitively against
the value's names, or as an identifier (a full IRI, ``o:lcn``, or a slug). With a name,
a candidate's score is its name's score times ``(1 + properties agreeing) / (1 +
properties given)``, candidates with more properties agreeing first, and a candidate is a
match only when every property given agrees; the ``features`` of each candidate say how
its name scored and which properties agreed.

**Bad requests** are answered ``400`` with ``{"error": reason}``: malformed JSON, JSON
nested more than :data:`MAX_DEPTH` deep, a batch of more than :data:`MAX_QUERIES`, a query
text longer than :data:`MAX_TEXT`, an unknown type or property, a key the API does not
define. A body larger than :data:`MAX_BODY` is ``413``. No input gives a traceback: an
error of the service itself is ``500`` and one line on standard error.

**The server** (:func:`server`) answers on 127.0.0.1 with at most
:data:`MAX_CONNECTIONS` connections at once (more are answered ``503``), closing a
connection that sends nothing for :data:`IDLE_SECONDS`.

Examples
--------
>>> from clustergraph.queries.reconcile import Matcher
>>> from clustergraph.project.vocab import ORG, SKOS
>>> matcher = Matcher()
>>> matcher.names[ID_NS + "org/lca"] = [(SKOS.prefLabel, "Lithuanian Clusters Association")]
>>> matcher.types[ID_NS + "org/lca"] = {ORG.FormalOrganization}
>>> service = ReconciliationService(matcher)
>>> service.manifest()["defaultTypes"][0]
{'id': 'org', 'name': 'organisation'}
>>> answer = service.reconcile({"q0": {"query": "Lithuanian clusters assoc.", "type": "org"}})
>>> [c["id"].rsplit("/", 1)[-1] for c in answer["q0"]["result"]]
['lca']
>>> service.suggest("o:lca")["result"][0]["name"]
'Lithuanian Clusters Association'
>>> service.reconcile({"q0": {"query": "x", "type": "planet"}})
Traceback (most recent call last):
...
clustergraph.queries.reconcile_service.BadRequest: query 'q0': unknown type 'planet'; one of: ...
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import sys
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from clustergraph.project.layout import ID_NS
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.project.vocab import DCTERMS, ORG, PROV, SCHEMA, SKOS
from clustergraph.queries.reconcile import _NOT_CANDIDATES, KINDS, Candidate, Matcher, search_key
from clustergraph.store.base import SelectResult, Store

__all__ = [
    "MAX_BODY",
    "MAX_DEPTH",
    "MAX_QUERIES",
    "MAX_TEXT",
    "PROPERTIES",
    "BadRequest",
    "Facts",
    "ReconciliationService",
    "server",
]

CG = "https://w3id.org/clustergraph/ontology#"

MAX_BODY = 1024 * 1024
"""Bytes of a request body at most (``413`` beyond)."""

MAX_DRAIN = 8 * 1024 * 1024
"""Bytes of a refused body read and dropped before the ``413`` (beyond: left unread)."""
MAX_DEPTH = 16
"""Levels of JSON nesting at most (a batch needs four)."""
MAX_QUERIES = 1000
"""Queries of a batch, or identifiers of an extension, at most."""
MAX_TEXT = 1000
"""Characters of a name or a property value at most."""
MAX_LIMIT = 100
"""Candidates or suggestions a request may ask for at most."""
MAX_CONNECTIONS = 32
"""Connections the server holds at once; more are answered ``503``."""
IDLE_SECONDS = 10.0
"""Seconds the server waits for a client's next bytes before closing the connection."""


@dataclass(frozen=True)
class Property:
    """A property of the service: for queries and for data extension."""

    id: str
    name: str
    description: str
    entity_valued: bool


PROPERTIES: Mapping[str, Property] = {
    p.id: p
    for p in (
        Property("country", "country", "the country it is based in", True),
        Property("sector", "sector", "a sector it works in (org:classification)", True),
        Property("founded", "founding date", "when it was founded (schema:foundingDate)", False),
        Property("network", "member of", "an organisation or network it is a member of", True),
        Property("label", "excellence label", "the level of an excellence label it holds", True),
        Property("alias", "alias", "another name it is known by", False),
        Property("kind", "kind", "its kind: organisation, person, ...", False),
    )
}
"""The properties a query may match on and data extension returns."""


class BadRequest(ValueError):  # noqa: N818 - the HTTP status's name
    """A request the API cannot answer; the message says why (``400``, or ``status``)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# -- the facts shown and matched ---------------------------------------------------------


@dataclass
class Facts:
    """What the service tells of each entity beyond its names, read once from the store.

    Attributes
    ----------
    values
        Entity to property id to ``(value, name)`` pairs: an IRI and its name for an
        entity-valued property, else the literal twice.
    sources
        Entity to ``(source, title)`` of the articles stating it.
    """

    values: dict[str, dict[str, list[tuple[str, str]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    sources: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def from_store(cls, store: Store, matcher: Matcher) -> Facts:
        """Read the facts of every entity of ``store`` (the union of its graphs)."""
        facts = cls()
        label = (  # the English name first, then any, then the IRI
            f'OPTIONAL {{ ?v <{SKOS.prefLabel}> ?en . FILTER(LANGMATCHES(LANG(?en), "en")) }} '
            f"OPTIONAL {{ ?v <{SKOS.prefLabel}> ?any . }} "
            "BIND(COALESCE(STR(?en), STR(?any), STR(?v)) AS ?vName)"
        )
        patterns = {
            "country": f"?e <{CG}country> ?v .",
            "sector": f"?e <{ORG.classification}> ?v .",
            "founded": f"?e <{SCHEMA.foundingDate}> ?v .",
            "network": f"?e <{ORG.memberOf}> ?v .",
            "label": f"?a <{CG}awardedTo> ?e ; <{CG}labelLevel> ?v .",
        }
        for pid, pattern in patterns.items():
            named = PROPERTIES[pid].entity_valued
            text = (
                "SELECT ?e ?v (SAMPLE(?vName) AS ?shown) WHERE { "
                + pattern
                + (label if named else "BIND(STR(?v) AS ?vName)")
                + " } GROUP BY ?e ?v"
            )
            for e, v, name in _rows(store, text):
                pair = (v.value, name.value)
                found = facts.values[matcher.canonical(e.value)][pid]
                if pair not in found:
                    found.append(pair)
        for e, titles in _sources(store, matcher).items():
            facts.sources[e] = titles
        for entity in matcher.entities():
            preferred = matcher.name(entity)
            aliases = sorted({t for _p, t in matcher.names[entity] if t != preferred})
            facts.values[entity]["alias"] = [(a, a) for a in aliases]
            kind = matcher.kind(entity)
            facts.values[entity]["kind"] = [(kind, KINDS.get(kind, kind))]
        for per in facts.values.values():
            for pairs in per.values():
                pairs.sort(key=lambda pair: (pair[1], pair[0]))
        return facts

    def of(self, entity: str, pid: str) -> list[tuple[str, str]]:
        """Return the ``(value, name)`` pairs of ``entity`` for property ``pid``."""
        return list(self.values.get(entity, {}).get(pid, ()))


def _rows(store: Store, text: str) -> list[tuple[Any, ...]]:
    result = store.query(text)
    assert isinstance(result, SelectResult)
    return [tuple(row) for row in result.rows if all(t is not None for t in row)]


def _sources(store: Store, matcher: Matcher) -> dict[str, list[tuple[str, str]]]:
    """Return each entity's source articles with their titles, by the graphs naming it."""
    titles: dict[str, tuple[str, str]] = {}
    text = (
        "SELECT ?g ?s (SAMPLE(STR(?t)) AS ?title) WHERE { GRAPH ?g { "
        f"?g <{PROV.wasDerivedFrom}> ?s "
        f"OPTIONAL {{ ?s <{DCTERMS.title}> ?t }} }} }} GROUP BY ?g ?s"
    )
    result = store.query(text)
    assert isinstance(result, SelectResult)
    for g, s, t in result.rows:
        if g is not None and s is not None:
            titles[g.value] = (s.value, t.value if t is not None else compact(s.value, PREFIXES))
    found: dict[str, list[tuple[str, str]]] = {}
    for entity, graphs in matcher.graphs.items():
        found[entity] = sorted({titles[g] for g in graphs if g in titles}, key=lambda p: p[1])
    return found


# -- the service ----------------------------------------------------------------------------


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise BadRequest(f"{what} must be a string")
    if len(value) > MAX_TEXT:
        raise BadRequest(f"{what} is longer than {MAX_TEXT} characters")
    return value


def _limit(value: Any, what: str, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise BadRequest(f"{what} must be a whole number")
    if value < 0:
        raise BadRequest(f"{what} must be 0 or more")
    return min(int(value), MAX_LIMIT)


def _depth(value: Any) -> int:
    """Return how deeply ``value`` nests lists and objects (iteratively: any depth)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item)
    return deepest


def parse_json(text: str, what: str) -> Any:
    """Parse a JSON parameter of a request within the limits.

    Raises
    ------
    BadRequest
        If it is not JSON, or nests more than :data:`MAX_DEPTH` deep.
    """
    if _quick_depth(text) > MAX_DEPTH:
        raise BadRequest(f"the {what} parameter nests more than {MAX_DEPTH} levels deep")
    try:
        value = json.loads(text)
    except RecursionError:
        raise BadRequest(f"the {what} parameter nests too deeply") from None
    except ValueError as exc:
        raise BadRequest(f"the {what} parameter is not JSON: {exc}") from None
    if _depth(value) > MAX_DEPTH:
        raise BadRequest(f"the {what} parameter nests more than {MAX_DEPTH} levels deep")
    return value


_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _quick_depth(text: str) -> int:
    """Return the deepest nesting of brackets outside strings (before parsing)."""
    depth = deepest = 0
    for found in _BRACKETS.finditer(text):
        token = found.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                break
        elif token in "]}":
            depth -= 1
    return deepest


class ReconciliationService:
    """The W3C Entity Reconciliation Service API over a :class:`Matcher` (see the module).

    The handlers take and return JSON-able values and raise :class:`BadRequest`, so that
    any HTTP server can mount them; :meth:`handle` answers one HTTP request.

    Parameters
    ----------
    matcher
        The names of the entities.
    facts
        Their facts (default: none, as for a matcher built by hand).
    name
        The service's name in the manifest.
    """

    def __init__(
        self, matcher: Matcher, facts: Facts | None = None, *, name: str = "clustergraph"
    ) -> None:
        self.matcher = matcher
        self.facts = facts if facts is not None else Facts()
        self.name = name
        self._kinds = sorted(KINDS)
        self._keys_cache: dict[tuple[str, str], frozenset[str]] = {}

    @classmethod
    def from_store(cls, store: Store) -> ReconciliationService:
        """Read the names and facts of ``store``'s stated graphs (names) and union (facts)."""
        matcher = Matcher.from_store(store)
        return cls(matcher, Facts.from_store(store, matcher))

    # -- the manifest ---------------------------------------------------------------------

    def manifest(self, base_url: str = "") -> dict[str, Any]:
        """Return the service manifest (``GET /``)."""
        base = base_url.rstrip("/")
        return {
            "versions": ["0.2"],
            "name": f"{self.name} reconciliation",
            "identifierSpace": ID_NS,
            "schemaSpace": ID_NS,
            "defaultTypes": [
                {"id": kind, "name": KINDS[kind]} for kind in ("org", "person", "project", "event")
            ],
            "view": {"url": "{{id}}"},
            "preview": {"url": f"{base}/preview?id={{{{id}}}}", "width": 400, "height": 220},
            "suggest": {
                "entity": {
                    "service_url": base,
                    "service_path": "/suggest/entity",
                    "flyout_service_path": "/flyout/entity?id=${id}",
                },
                "type": {"service_url": base, "service_path": "/suggest/type"},
                "property": {"service_url": base, "service_path": "/suggest/property"},
            },
            "extend": {
                "propose_properties": {"service_url": base, "service_path": "/properties"},
                "property_settings": [],
            },
        }

    # -- reconciliation -------------------------------------------------------------------

    def _kind(self, value: Any, where: str) -> list[str]:
        """Return the kinds a query's ``type`` names (none: any)."""
        if value is None:
            return []
        given = value if isinstance(value, list) else [value]
        kinds = []
        for item in given:
            if isinstance(item, Mapping):  # {"id": ..., "name": ...}, as some clients send
                item = item.get("id")
            if not isinstance(item, str):
                raise BadRequest(f"{where}: a type is an identifier (a string)")
            kind = item[len(ID_NS) :].rstrip("/") if item.startswith(ID_NS) else item
            if kind not in KINDS:
                raise BadRequest(
                    f"{where}: unknown type {_short(item)!r}; one of: {', '.join(self._kinds)}"
                )
            kinds.append(kind)
        return kinds

    def _conditions(self, value: Any, where: str) -> list[tuple[str, list[Any]]]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise BadRequest(f"{where}: properties must be a list of {{pid, v}}")
        found = []
        for item in value:
            if not isinstance(item, Mapping) or set(item) - {"pid", "v"} or "pid" not in item:
                raise BadRequest(f'{where}: each property is {{"pid": ..., "v": ...}}')
            pid = item["pid"]
            if not isinstance(pid, str) or pid not in PROPERTIES:
                raise BadRequest(
                    f"{where}: unknown property {_short(pid)!r}; one of: {', '.join(PROPERTIES)}"
                )
            values = item.get("v")
            values = values if isinstance(values, list) else [values]
            if not values:
                raise BadRequest(f"{where}: property {pid!r} has no value")
            for v in values:
                if isinstance(v, Mapping):
                    if not isinstance(v.get("id"), str):
                        raise BadRequest(f'{where}: an entity value needs an "id"')
                    _text(v["id"], f"{where}: a property value")
                elif isinstance(v, str):
                    _text(v, f"{where}: a property value")
                elif not isinstance(v, (int, float, bool)):
                    raise BadRequest(f"{where}: property {pid!r}: a value is text, a number, a "
                                     "boolean or {\"id\": ...}")  # fmt: skip
            found.append((pid, values))
        return found

    def _agrees(self, entity: str, pid: str, values: Sequence[Any]) -> bool:
        """Whether one of ``values`` is one of the entity's values of ``pid``."""
        own = self.facts.of(entity, pid)
        for v in values:
            wanted = v.get("id") if isinstance(v, Mapping) else v
            if isinstance(wanted, bool):
                wanted = "true" if wanted else "false"
            text = str(wanted).strip()
            if not text:
                continue
            key = search_key(text)
            iri = _expand(text)
            for value, name in own:
                if value == iri or value == text:
                    return True
                if pid == "founded":
                    if value.startswith(text):
                        return True
                    continue
                if key and key in self._value_keys(value, name):
                    return True
        return False

    def _value_keys(self, value: str, name: str) -> frozenset[str]:
        """Return the search keys of a property's value: its names and its IRI's slug."""
        found = self._keys_cache.get((value, name))
        if found is None:
            names = {name, value.rsplit("/", 1)[-1]}
            names.update(t for _p, t in self.matcher.names.get(value, ()))
            found = self._keys_cache[(value, name)] = frozenset(search_key(n) for n in names)
        return found

    def _candidates_by_properties(
        self, kinds: list[str], conditions: list[tuple[str, list[Any]]], limit: int
    ) -> list[tuple[str, float]]:
        found = []
        for entity in self.matcher.entities():
            kind = self.matcher.kind(entity)
            if (kinds and kind not in kinds) or (not kinds and kind in _NOT_CANDIDATES):
                continue
            agreeing = sum(self._agrees(entity, pid, values) for pid, values in conditions)
            if agreeing:
                found.append((entity, 100.0 * agreeing / len(conditions)))
        found.sort(key=lambda pair: (-pair[1], self.matcher.name(pair[0]), pair[0]))
        return found[:limit]

    def _one(self, key: str, query: Any) -> dict[str, Any]:
        where = f"query {_short(key)!r}"
        if not isinstance(query, Mapping):
            raise BadRequest(f"{where} must be an object")
        unknown = set(query) - {"query", "type", "limit", "properties", "type_strict"}
        if unknown:
            raise BadRequest(f"{where}: unknown key {_short(sorted(unknown)[0])!r}")
        if query.get("type_strict", "any") not in ("any", "should", "all"):
            raise BadRequest(f"{where}: type_strict is any, should or all")
        kinds = self._kind(query.get("type"), where)
        limit = _limit(query.get("limit"), f"{where}: limit", 5) or 5
        conditions = self._conditions(query.get("properties"), where)
        text = query.get("query")
        if text is None and not conditions:
            raise BadRequest(f"{where} needs a 'query' text or properties")
        if text is not None:
            text = _text(text, f"{where}: the query text")
        results = []
        if text is None or not search_key(text):
            if not conditions:
                return {"result": []}
            found_all = self._candidates_by_properties(kinds, conditions, MAX_QUERIES)
            complete = sum(1 for _e, score in found_all if score == 100.0)
            for entity, score in found_all[:limit]:
                agreeing = [self._agrees(entity, pid, v) for pid, v in conditions]
                only = complete == 1 and all(agreeing)  # the one entity every property fits
                results.append(
                    self._candidate_json(entity, score, None, only, conditions, agreeing)
                )
            return {"result": results}
        wide = limit if not conditions else max(limit * 10, 50)
        found: list[Candidate] = []
        for kind in kinds or [None]:  # type: ignore[list-item]
            found.extend(self.matcher.match(text, kind=kind, limit=wide))
        found.sort(key=lambda c: (-c.score, c.name, c.iri))
        ranked = []
        for candidate in found:
            agreeing = [self._agrees(candidate.iri, pid, v) for pid, v in conditions]
            share = (1 + sum(agreeing)) / (1 + len(conditions))
            ranked.append((candidate, agreeing, round(candidate.score * share, 1)))
        ranked.sort(key=lambda r: (-sum(r[1]), -r[2], r[0].name, r[0].iri))
        for candidate, agreeing, score in ranked[:limit]:
            results.append(
                self._candidate_json(
                    candidate.iri,
                    score,
                    candidate,
                    candidate.match and all(agreeing),
                    conditions,
                    agreeing,
                )
            )
        return {"result": results}

    def _candidate_json(
        self,
        entity: str,
        score: float,
        candidate: Candidate | None,
        match: bool,
        conditions: list[tuple[str, list[Any]]],
        agreeing: list[bool],
    ) -> dict[str, Any]:
        kind = self.matcher.kind(entity)
        answer: dict[str, Any] = (
            candidate.as_json()
            if candidate is not None
            else {
                "id": entity,
                "name": self.matcher.name(entity),
                "description": compact(entity, PREFIXES),
                "type": [{"id": kind, "name": KINDS.get(kind, kind)}],
            }
        )
        answer["score"] = score
        answer["match"] = match
        features: list[dict[str, Any]] = []
        if candidate is not None:
            features.append({"id": "name", "value": round(candidate.score, 1)})
        features += [
            {"id": f"property:{pid}", "value": ok}
            for (pid, _v), ok in zip(conditions, agreeing, strict=True)
        ]
        if features:
            answer["features"] = features
        return answer

    def reconcile(self, queries: Any) -> dict[str, Any]:
        """Answer a batch of reconciliation queries.

        Raises
        ------
        BadRequest
            If the batch or one of its queries is malformed, names an unknown type or
            property, or holds more than :data:`MAX_QUERIES` queries.
        """
        if not isinstance(queries, Mapping):
            raise BadRequest("the queries parameter must be a JSON object of queries")
        if len(queries) > MAX_QUERIES:
            raise BadRequest(f"a batch holds at most {MAX_QUERIES} queries", 413)
        return {key: self._one(key, query) for key, query in queries.items()}

    # -- suggest, flyout, preview ---------------------------------------------------------

    def suggest(
        self, prefix: str, *, kind: str | None = None, cursor: int = 0, limit: int = 10
    ) -> dict[str, Any]:
        """Return the entities a name of which starts with (or holds) ``prefix``.

        An identifier (a full IRI, a prefixed name such as ``o:lcn``, or a slug) finds
        its entity first. ``cursor`` skips that many results (the next page).
        """
        prefix = _text(prefix, "prefix")
        kinds = self._kind(kind, "suggest")
        key = search_key(prefix)
        found: dict[str, tuple[int, str]] = {}

        def wanted(entity: str) -> bool:
            own = self.matcher.kind(entity)
            return own in kinds if kinds else own not in _NOT_CANDIDATES

        iri = self.matcher.canonical(_expand(prefix.strip()))
        if iri in self.matcher.names and iri in self.matcher.types and wanted(iri):
            found[iri] = (-1, self.matcher.name(iri))
        slug = prefix.strip().casefold()
        for name_key, entity, _name in self.matcher.keys():
            if not wanted(entity):
                continue
            rank = 0 if name_key.startswith(key) else 1 if key in name_key else None
            if entity.rsplit("/", 1)[-1] == slug:
                rank = -1
            if key and rank is not None and rank < found.get(entity, (2, ""))[0]:
                found[entity] = (rank, self.matcher.name(entity))
        ordered = sorted(found.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[0]))
        page = ordered[cursor : cursor + limit]
        return {
            "result": [
                {
                    "id": e,
                    "name": n,
                    "description": compact(e, PREFIXES),
                    "notable": [
                        {
                            "id": self.matcher.kind(e),
                            "name": KINDS.get(self.matcher.kind(e), self.matcher.kind(e)),
                        }
                    ],
                }
                for e, (_r, n) in page
            ]
        }

    def suggest_type(self, prefix: str, *, cursor: int = 0, limit: int = 10) -> dict[str, Any]:
        """Return the types (kinds) whose identifier or name holds ``prefix``."""
        key = search_key(_text(prefix, "prefix"))
        found = [
            {"id": k, "name": n}
            for k, n in KINDS.items()
            if key in search_key(k) or key in search_key(n)
        ]
        return {"result": found[cursor : cursor + limit]}

    def suggest_property(self, prefix: str, *, cursor: int = 0, limit: int = 10) -> dict[str, Any]:
        """Return the properties whose identifier or name holds ``prefix``."""
        key = search_key(_text(prefix, "prefix"))
        found = [
            {"id": p.id, "name": p.name, "description": p.description}
            for p in PROPERTIES.values()
            if key in search_key(p.id) or key in search_key(p.name)
        ]
        return {"result": found[cursor : cursor + limit]}

    def _entity(self, value: Any) -> str:
        iri = self.matcher.canonical(_expand(_text(value, "id").strip()))
        if iri not in self.matcher.names and iri not in self.matcher.types:
            raise BadRequest(f"no entity {_short(value)!r}", 404)
        return iri

    def flyout(self, entity_id: str) -> dict[str, Any]:
        """Return ``{"id", "html"}``: a small card of the entity for a suggestion."""
        entity = self._entity(entity_id)
        kind = self.matcher.kind(entity)
        facts = [
            f"{PROPERTIES[pid].name}: {', '.join(n for _v, n in self.facts.of(entity, pid))}"
            for pid in ("country", "sector", "founded")
            if self.facts.of(entity, pid)
        ]
        parts = [
            f"<strong>{html.escape(self.matcher.name(entity))}</strong>",
            f"<div>{html.escape(KINDS.get(kind, kind))} · "
            f"{html.escape(compact(entity, PREFIXES))}</div>",
            *(f"<div>{html.escape(f)}</div>" for f in facts),
        ]
        return {"id": entity, "html": '<div class="flyout">' + "".join(parts) + "</div>"}

    def preview(self, entity_id: str) -> str:
        """Return an HTML card of the entity: kind, country, key facts, sources (escaped)."""
        entity = self._entity(entity_id)
        kind = self.matcher.kind(entity)
        name = self.matcher.name(entity)
        rows = [("kind", KINDS.get(kind, kind)), ("identifier", compact(entity, PREFIXES))]
        for pid in ("country", "sector", "founded", "network", "label", "alias"):
            values = [n for _v, n in self.facts.of(entity, pid)]
            if values:
                rows.append((PROPERTIES[pid].name, "; ".join(values)))
        sources = self.facts.sources.get(entity, [])
        facts = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
        )
        cited = "".join(
            f'<li><a href="{html.escape(s, quote=True)}">{html.escape(t)}</a></li>'
            for s, t in sources
        )
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(name)}</title>"
            "<style>body{font:13px sans-serif;margin:6px}th{text-align:left;padding-right:"
            "8px;vertical-align:top;color:#555}h1{font-size:15px;margin:0 0 4px}"
            "ul{margin:2px 0;padding-left:18px}</style></head><body>"
            f'<h1><a href="{html.escape(entity, quote=True)}">{html.escape(name)}</a></h1>'
            f"<table>{facts}</table>"
            + (f"<div>sources:</div><ul>{cited}</ul>" if cited else "")
            + "</body></html>\n"
        )

    # -- data extension -------------------------------------------------------------------

    def propose_properties(self, kind: str | None, limit: int = 10) -> dict[str, Any]:
        """Return the properties data extension offers for a type (``GET /properties``)."""
        kinds = self._kind(kind, "properties")
        chosen = list(PROPERTIES.values())[:limit]
        return {
            "type": kinds[0] if kinds else "",
            "limit": limit,
            "properties": [{"id": p.id, "name": p.name} for p in chosen],
        }

    def extend(self, request: Any) -> dict[str, Any]:
        """Answer a data extension query: the properties' values of each entity.

        Raises
        ------
        BadRequest
            If the query is malformed, names an unknown property, or more than
            :data:`MAX_QUERIES` entities.
        """
        if not isinstance(request, Mapping) or set(request) - {"ids", "properties"}:
            raise BadRequest('the extend parameter is {"ids": [...], "properties": [...]}')
        ids, properties = request.get("ids"), request.get("properties")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise BadRequest("extend: ids must be a list of identifiers")
        if len(ids) > MAX_QUERIES:
            raise BadRequest(f"extend: at most {MAX_QUERIES} identifiers", 413)
        if not isinstance(properties, list) or not properties:
            raise BadRequest('extend: properties must be a list of {"id": ...}')
        pids = []
        for item in properties:
            pid = item.get("id") if isinstance(item, Mapping) else None
            if not isinstance(pid, str) or pid not in PROPERTIES:
                raise BadRequest(
                    f"extend: unknown property {_short(pid)!r}; one of: {', '.join(PROPERTIES)}"
                )
            pids.append(pid)
        meta = []
        for pid in pids:
            prop = PROPERTIES[pid]
            entry: dict[str, Any] = {"id": pid, "name": prop.name}
            meta.append(entry)
        rows: dict[str, Any] = {}
        for given in ids:
            _text(given, "extend: an identifier")
            entity = self.matcher.canonical(_expand(given))
            row: dict[str, list[dict[str, Any]]] = {}
            for pid in pids:
                pairs = self.facts.of(entity, pid)
                if PROPERTIES[pid].entity_valued:
                    row[pid] = [{"id": v, "name": n} for v, n in pairs]
                else:
                    row[pid] = [{"str": n} for _v, n in pairs]
            rows[given] = row
        return {"meta": meta, "rows": rows}

    # -- HTTP ---------------------------------------------------------------------------

    def handle(
        self, method: str, path: str, query: str, body: bytes, *, base_url: str = ""
    ) -> tuple[int, str, bytes]:
        """Answer one HTTP request: ``(status, content type, body)``.

        ``query`` is the URL's query string, ``body`` a form-encoded ``POST`` body,
        ``base_url`` where the service is served (for the manifest). Never raises for
        what a client sends: a bad request is a ``4xx`` with a JSON reason.
        """
        try:
            params = _form(query)
            if method == "POST":
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise BadRequest("the body is not UTF-8") from None
                params.update(_form(text))
            route = urlsplit(path).path.rstrip("/")
            value = self._route(method, route, params, base_url)
        except BadRequest as exc:
            return exc.status, JSON, _json({"error": str(exc)})
        if isinstance(value, str):
            return 200, HTML, value.encode("utf-8")
        data = _json(value)
        callback = params.get("callback")
        if callback and re.fullmatch(r"[A-Za-z_$][\w$.]{0,63}", callback):
            return 200, "application/javascript", f"{callback}(".encode() + data + b")"
        return 200, JSON, data

    def _route(
        self, method: str, route: str, params: dict[str, str], base_url: str
    ) -> dict[str, Any] | str:
        if method not in ("GET", "POST"):
            raise BadRequest(f"method {method} is not allowed", 405)
        if route == "":
            if "queries" in params:
                return self.reconcile(parse_json(params["queries"], "queries"))
            if "extend" in params:
                return self.extend(parse_json(params["extend"], "extend"))
            if "query" in params:  # one query, as the first clients sent it
                raw = params["query"]
                one = parse_json(raw, "query") if raw.lstrip().startswith("{") else {"query": raw}
                single: dict[str, Any] = self.reconcile({"q0": one})["q0"]
                return single
            if method == "POST":  # a JSON body, say: not what the API sends
                raise BadRequest(
                    "a POST to / carries queries=... or extend=... as a form "
                    "(application/x-www-form-urlencoded)"
                )
            return self.manifest(base_url)
        cursor = _limit(_number(params.get("cursor"), "cursor"), "cursor", 0)
        limit = _limit(_number(params.get("limit"), "limit"), "limit", 10) or 10
        if route == "/suggest/entity":
            return self.suggest(
                _required(params, "prefix"), kind=params.get("type"), cursor=cursor, limit=limit
            )
        if route == "/suggest/type":
            return self.suggest_type(_required(params, "prefix"), cursor=cursor, limit=limit)
        if route == "/suggest/property":
            return self.suggest_property(_required(params, "prefix"), cursor=cursor, limit=limit)
        if route == "/flyout/entity":
            return self.flyout(_required(params, "id"))
        if route == "/preview":
            return self.preview(_required(params, "id"))
        if route == "/properties":
            return self.propose_properties(params.get("type"), limit)
        raise BadRequest(f"no such resource: {_short(route)}", 404)


JSON = "application/json"
HTML = "text/html"


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _form(text: str) -> dict[str, str]:
    """Return the first value of each field of a form or query string."""
    try:
        fields = parse_qs(text, keep_blank_values=True, max_num_fields=100, strict_parsing=False)
    except ValueError as exc:
        raise BadRequest(f"malformed form: {exc}") from None
    return {k: v[0] for k, v in fields.items()}


def _required(params: Mapping[str, str], name: str) -> str:
    if name not in params:
        raise BadRequest(f"the {name} parameter is missing")
    return params[name]


def _number(text: str | None, what: str) -> int | None:
    if text is None:
        return None
    if not re.fullmatch(r"[0-9]{1,9}", text.strip()):
        raise BadRequest(f"{what} must be a whole number, 0 or more")
    return int(text)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _expand(text: str) -> str:
    """Return the IRI a full IRI, ``<IRI>`` or prefixed name (``o:lcn``) writes, else ``text``."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return text


# -- the server ------------------------------------------------------------------------------


def server(
    service: ReconciliationService,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    max_connections: int = MAX_CONNECTIONS,
    idle_seconds: float = IDLE_SECONDS,
) -> Any:
    """Return an HTTP server answering the API (``port=0``: any free port); bounded.

    At most ``max_connections`` connections are served at once (the next are answered
    ``503`` and closed); a client silent for ``idle_seconds`` is disconnected; bodies
    larger than :data:`MAX_BODY` are refused with ``413`` (read and dropped up to
    :data:`MAX_DRAIN` bytes, so that the client sees the answer).
    """
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    slots = threading.BoundedSemaphore(max_connections)

    class Handler(BaseHTTPRequestHandler):
        timeout = idle_seconds
        server_version = "clustergraph-reconcile"

        def _send(self, status: int, kind: str, data: bytes, *, head: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("X-Content-Type-Options", "nosniff")
            if kind == HTML:
                self.send_header(
                    "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"
                )
            self.end_headers()
            if not head:
                self.wfile.write(data)

        def _drain(self, length: int) -> None:
            """Read and drop a refused body of at most :data:`MAX_DRAIN` bytes.

            A client that sends its whole body before reading the answer (most do) would
            otherwise meet a closed connection instead of the ``413``; a larger body is
            left unread and the connection closed.
            """
            if length > MAX_DRAIN:
                return
            with contextlib.suppress(OSError):
                while length > 0:
                    chunk = self.rfile.read(min(length, 65536))
                    if not chunk:
                        return
                    length -= len(chunk)

        def _refuse(self, status: int, reason: str) -> None:
            self.close_connection = True
            self._send(status, JSON, _json({"error": reason}))

        def _answer(self, method: str) -> None:
            try:
                body = b""
                if method == "POST":
                    length = self.headers.get("Content-Length")
                    if length is None:
                        return self._refuse(411, "a POST needs a Content-Length")
                    if not re.fullmatch(r"[0-9]{1,18}", length.strip()):
                        return self._refuse(400, "Content-Length is not a number of bytes")
                    if int(length) > MAX_BODY:
                        self._drain(int(length))
                        return self._refuse(413, f"the body is larger than {MAX_BODY} bytes")
                    body = self.rfile.read(int(length))
                    if len(body) < int(length):
                        return self._refuse(400, "the body is shorter than its Content-Length")
                path, _, query = self.path.partition("?")
                address = self.server.server_address
                base = f"http://{address[0]!s}:{address[1]!s}"  # type: ignore[index]
                status, kind, data = service.handle(method, path, query, body, base_url=base)
                self._send(status, kind, data)
            except TimeoutError:
                with contextlib.suppress(OSError):
                    self._refuse(408, f"nothing came for {idle_seconds:g} s")
            except ConnectionError:
                self.close_connection = True
            except Exception as exc:  # the service's own error: one line, no traceback
                print(
                    f"clustergraph: reconcile: error: {type(exc).__name__}: {exc}",
                    file=sys.stderr,
                )
                self._refuse(500, "internal error")
            return None

        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            self._answer("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._answer("POST")

        def do_OPTIONS(self) -> None:  # noqa: N802
            self.send_response(204)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Access-Control-Max-Age", "86400")
            self.send_header("Allow", "GET, POST, OPTIONS")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 64

        def process_request(self, request: Any, client_address: Any) -> None:
            if not slots.acquire(blocking=False):
                try:
                    request.sendall(
                        b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: application/json"
                        b"\r\nRetry-After: 1\r\nContent-Length: 37\r\nConnection: close\r\n\r\n"
                        b'{"error": "too many connections now"}'
                    )
                except OSError:
                    pass
                self.shutdown_request(request)
                return
            super().process_request(request, client_address)

        def process_request_thread(self, request: Any, client_address: Any) -> None:
            try:
                super().process_request_thread(request, client_address)
            finally:
                slots.release()

        def handle_error(self, request: Any, client_address: Any) -> None:
            exc = sys.exc_info()[1]
            if not isinstance(exc, (TimeoutError, ConnectionError)):
                print(
                    f"clustergraph: reconcile: error: {type(exc).__name__}: {exc}",
                    file=sys.stderr,
                )

    return Server((host, port), Handler)
