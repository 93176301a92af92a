r"""Names as people type them: normalising, ranking, minting slugs, the W3C reconciliation API.

One matcher serves the command line (``clustergraph reconcile``, ``mint``,
``new-source``), the duplicate check and the Entity Reconciliation Service.

**Normalising.** :func:`search_key` compares names as people type them: Unicode NFKD,
combining marks dropped, a few letters that do not decompose mapped (``ł`` to ``l``,
``ø`` to ``o``), case folded, runs of anything but letters and digits made one space.
``Paužolis``, ``PAUŽOLIS``, ``pauzolis`` and the NFD spelling all give ``pauzolis``.

**Names.** An entity is named by ``skos:prefLabel``, ``skos:altLabel``, ``foaf:name``,
``rdfs:label``, ``schema:name`` and ``dcterms:title`` (with or without a language
tag), so data written by other publishers (``foaf:name`` only, an untagged
``dcterms:title``) is found as well as the project's own. An IRI that is
``owl:sameAs`` a project entity (under ``id/``) lends that entity its names and is
never a candidate of its own: the project's IRI is the canonical one.

**Ranking.** :meth:`Matcher.match` scores every name of every entity against the text
on the normalised keys with :func:`score`, the mean of rapidfuzz's ``WRatio`` (which
forgives a partial name) and ``token_set_ratio`` (which asks the words typed to be words
of the name), 0 to 100, 100 only when the keys are equal; it keeps the best name per
entity. The score ranks; it does not decide. A candidate is a *match* (the one meant,
clearly best) when one of its names is the same name as the text by the rule the
duplicate check applies (:func:`clustergraph.queries.names.same_name`: equal or near
compare keys, ``&``/``and`` and legal forms aside, with the same numbers and ordinals
and no post-for-office swap), or, for a person, when the text is the family name (the
last word of a full name, four letters or more), **and no other entity's name is** —
where one entity's name has the very words typed and the others' are only near (``Lithuanian
Clusters Association`` and an alias ``Lithuanian Cluster Association``), the first is
the match.
``Vilnius`` scores 95 against ``Vilnius Film Cluster`` (every word typed is a word of
the name) but is not its name: no match.

**Slugs.** :func:`slugify` makes the last segment of an entity's IRI from a name: the
normalised key with spaces as hyphens (``UAB Termosnaigė ir ko`` gives
``uab-termosnaige-ir-ko``). For organisations a legal form written as a word of its
own before or after the name (``UAB``, ``AB``, ``MB``, ``VšĮ``, ``IĮ``, ``KŪB``, ``TŪB``,
``Ltd``, ``GmbH``, ...) is dropped with ``drop_legal_form=True``, as the project's
organisations are named (``o:ismanus-inzineriniai-sprendimai``); the legal form is a
fact of its own (``rov:orgType``).

Examples
--------
>>> import unicodedata
>>> search_key("PAUŽOLIS") == search_key("pauzolis") == search_key(
...     unicodedata.normalize("NFD", "Paužolis"))
True
>>> slugify("UAB Termosnaigė ir ko")
'uab-termosnaige-ir-ko'
>>> slugify("UAB Termosnaigė ir ko", drop_legal_form=True)
'termosnaige-ir-ko'
>>> from clustergraph.project.vocab import RDF
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> person = "<https://w3id.org/clustergraph/id/person/julius-pauzolis>"
>>> store.replace_graphs({"https://w3id.org/clustergraph/graph/source/a": (
...     f"{person} <{RDF.type}> <{FOAF.Person}> .\n"
...     f'{person} <{FOAF.name}> "Julius Paužolis" .').encode()})
>>> best = Matcher.from_store(store).match("pauzolis")[0]
>>> best.name, best.kind, best.score >= 90
('Julius Paužolis', 'person', True)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clustergraph.project.layout import (
    DERIVED_NS,
    ID_NS,
    MANIFEST_GRAPH,
    is_derived_graph,
)
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.project.vocab import DCTERMS, FOAF, ORG, RDFS, ROV, SCHEMA, SKOS
from clustergraph.queries.names import LEGAL_FORMS, compare_key, same_keys, search_key
from clustergraph.queries.same_as import same_as_map
from clustergraph.store.base import SelectResult, Store

__all__ = [
    "KINDS",
    "NAME_PROPERTIES",
    "Candidate",
    "Matcher",
    "search_key",
    "slugify",
]

NAME_PROPERTIES: tuple[str, ...] = (
    SKOS.prefLabel,
    FOAF.name,
    RDFS.label,
    SCHEMA.name,
    DCTERMS.title,
    SKOS.altLabel,
)
"""Literal properties that name an entity, the preferred first (the last are aliases)."""


KINDS: Mapping[str, str] = {
    "org": "organisation",
    "person": "person",
    "membership": "membership",
    "post": "post",
    "award": "excellence label award",
    "project": "project",
    "programme": "funding programme",
    "document": "document",
    "event": "event",
    "place": "place",
    "sector": "sector",
    "role": "role",
}
"""Kinds of entity (the segment of the IRI after ``id/``) a search may be narrowed to."""

# Kinds left out of a search unless asked for: facts about entities, and the nodes named
# after what they join (a membership, a post, an award), which would crowd out their
# organisation.
_NOT_CANDIDATES = frozenset({"source", "figure", "time", "other", "membership", "post", "award"})

# Kinds a new article's text is searched for.
_MENTIONED = frozenset({"org", "person", "project", "programme", "event", "document", "place"})

_PERSON_CLASSES = frozenset({FOAF.Person, SCHEMA.Person})
_ORG_CLASSES = frozenset(
    {ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit,
     ORG.OrganizationalCollaboration, ROV.RegisteredOrganization, SCHEMA.Organization,
     FOAF.Organization}
)  # fmt: skip


def slugify(name: str, *, drop_legal_form: bool = False) -> str:
    """Return the slug the project's rules make from ``name`` (see the module docstring).

    Examples
    --------
    >>> slugify("MB Išmanūs inžineriniai sprendimai", drop_legal_form=True)
    'ismanus-inzineriniai-sprendimai'
    >>> slugify("Julius Paužolis")
    'julius-pauzolis'
    >>> slugify("VšĮ „Žalias“", drop_legal_form=True)
    'zalias'
    """
    key = search_key(name)
    if drop_legal_form:
        words = key.split()
        for form in sorted(LEGAL_FORMS, key=len, reverse=True):
            parts = form.split()
            if len(words) > len(parts) and words[: len(parts)] == parts:
                words = words[len(parts) :]
            if len(words) > len(parts) and words[-len(parts) :] == parts:
                words = words[: -len(parts)]
        key = " ".join(words)
    return key.replace(" ", "-")


def score(a: str, b: str, **_kwargs: Any) -> float:
    """Return how close two search keys are, 0 to 100 (see the module docstring).

    Examples
    --------
    >>> score("pauzolis", "julius pauzolis") >= 90, score("testing cluster", "ftd lt cluster") < 80
    (True, True)
    """
    from rapidfuzz import fuzz

    return (fuzz.WRatio(a, b) + fuzz.token_set_ratio(a, b)) / 2


def kind_of(iri: str, types: Iterable[str] = ()) -> str:
    """Return the kind of an entity: its IRI's segment after ``id/``, else one by class.

    Examples
    --------
    >>> kind_of(ID_NS + "org/lcn"), kind_of("http://example.org/x", [FOAF.Person])
    ('org', 'person')
    """
    if iri.startswith(ID_NS):
        return iri[len(ID_NS) :].split("/", 1)[0]
    found = set(types)
    if found & _PERSON_CLASSES:
        return "person"
    if found & _ORG_CLASSES:
        return "org"
    return "other"


@dataclass(frozen=True)
class Candidate:
    """An entity ranked against a name.

    Attributes
    ----------
    iri
        The entity (the project's IRI when several are ``owl:sameAs``).
    name
        Its preferred name.
    score
        0 to 100.
    matched
        The name of it that scored best (an alias, maybe).
    kind
        Its kind (``org``, ``person``, ...).
    types
        Its classes.
    match
        Whether the matcher takes it for the entity meant.
    """

    iri: str
    name: str
    score: float
    matched: str
    kind: str
    types: tuple[str, ...]
    match: bool = False

    def as_json(self, prefixes: Mapping[str, str] = PREFIXES) -> dict[str, Any]:
        """Return the candidate as the reconciliation API writes one."""
        return {
            "id": self.iri,
            "name": self.name,
            "score": round(self.score, 1),
            "match": self.match,
            "type": [{"id": self.kind, "name": KINDS.get(self.kind, self.kind)}],
            "description": f"{compact(self.iri, prefixes)}; matched {self.matched!r}",
        }


@dataclass
class Matcher:
    """Every name of every entity of a store, normalised once, to rank and search.

    Build it with :meth:`from_store`.

    Attributes
    ----------
    names
        Entity to its ``(property, text)`` names.
    types
        Entity to its classes.
    graphs
        Entity to the source graphs describing it.
    same
        An IRI ``owl:sameAs`` a project entity, to that entity.
    """

    names: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    graphs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    same: dict[str, str] = field(default_factory=dict)
    _keys: list[tuple[str, str, str]] | None = None

    @classmethod
    def from_store(cls, store: Store, *, graphs: Sequence[str] | None = None) -> Matcher:
        """Read the names, classes and ``owl:sameAs`` links of the stated graphs of ``store``.

        Parameters
        ----------
        store
            The store.
        graphs
            The graphs to read (default: every graph but the derived ones and the manifest).
        """
        matcher = cls()
        values = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
        rows = _select(
            store,
            f"SELECT ?g ?e ?p ?n WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?e ?p ?n }} "
            "FILTER(isIRI(?e) && isLiteral(?n)) }",
        )
        wanted = set(graphs) if graphs is not None else None

        def keep(graph: str) -> bool:
            if wanted is not None:
                return graph in wanted
            return not is_derived_graph(graph) and graph != MANIFEST_GRAPH

        for g, e, p, n in rows:
            if keep(g.value):
                matcher.names[e.value].append((p.value, n.value))
                matcher.graphs[e.value].add(g.value)
        for g, e, c in _select(
            store,
            "SELECT ?g ?e ?c WHERE { GRAPH ?g { ?e a ?c } FILTER(isIRI(?e) && isIRI(?c)"
            f' && !STRSTARTS(STR(?g), "{DERIVED_NS}")) }}',  # derived types add no entity
        ):
            if keep(g.value):
                matcher.types[e.value].add(c.value)
                matcher.graphs[e.value].add(g.value)
        matcher.same = same_as_map(store, keep)  # as the networks and pages merge them
        for other, canonical in matcher.same.items():
            matcher.names[canonical].extend(matcher.names.pop(other, []))
            matcher.types[canonical].update(matcher.types.pop(other, set()))
            matcher.graphs[canonical].update(matcher.graphs.pop(other, set()))
        return matcher

    # -- names --------------------------------------------------------------------------

    def entities(self) -> list[str]:
        """Return every named entity that some graph types, sorted."""
        return sorted(e for e in self.names if e in self.types)

    def name(self, iri: str) -> str:
        """Return the preferred name of ``iri``: English first, then the order of the properties."""
        found = self.names.get(iri)
        if not found:
            return compact(iri, PREFIXES)
        rank = {p: i for i, p in enumerate(NAME_PROPERTIES)}
        return min(found, key=lambda pn: (rank[pn[0]], pn[1]))[1]

    def kind(self, iri: str) -> str:
        """Return the kind of ``iri`` (see :func:`kind_of`)."""
        return kind_of(iri, self.types.get(iri, ()))

    def keys(self) -> list[tuple[str, str, str]]:
        """Return ``(search key, entity, name)`` for every name of every typed entity."""
        if self._keys is None:
            # Each name once: every source that names an entity restates its names.
            keyed: dict[str, str] = {}
            found = set()
            for entity in self.entities():
                for text in {text for _p, text in self.names[entity]}:
                    key = keyed.get(text)
                    if key is None:
                        key = keyed[text] = search_key(text)
                    if key:
                        found.add((key, entity, text))
            self._keys = sorted(found)
        return self._keys

    def canonical(self, iri: str) -> str:
        """Return the project entity ``iri`` is ``owl:sameAs``, else ``iri``."""
        return self.same.get(iri, iri)

    # -- ranking ------------------------------------------------------------------------

    def match(
        self, text: str, *, kind: str | None = None, limit: int = 5, cutoff: float = 70.0
    ) -> list[Candidate]:
        """Rank the entities whose names are close to ``text``, best first.

        Parameters
        ----------
        text
            What the user typed.
        kind
            Only entities of this kind (:data:`KINDS`: ``org``, ``person``, ...).
        limit
            At most this many candidates.
        cutoff
            Leave out candidates scoring less.

        Examples
        --------
        >>> matcher = Matcher()
        >>> matcher.names[ID_NS + "org/lca"] = [(SKOS.prefLabel, "Lithuanian Clusters Association")]
        >>> matcher.types[ID_NS + "org/lca"] = {ORG.FormalOrganization}
        >>> [(c.name, c.score, c.match) for c in matcher.match("lithuanian clusters association")]
        [('Lithuanian Clusters Association', 100.0, True)]
        >>> matcher.match("lithuanian clusters association", kind="person")
        []
        """
        from rapidfuzz import fuzz, process

        key = search_key(text)
        if not key:
            return []
        rows = [
            r
            for r in self.keys()
            if (kind_of(r[1], self.types[r[1]]) == kind)
            or (kind is None and kind_of(r[1], self.types[r[1]]) not in _NOT_CANDIDATES)
        ]
        best: dict[str, tuple[float, float, str]] = {}
        same: dict[str, int] = {}  # entity: 2 its name is the text's, 1 nearly (rule of names)
        wanted = compare_key(text)
        choices = [r[0] for r in rows]
        # score() for every name at once, in rapidfuzz's compiled code
        wratio = process.cdist([key], choices, scorer=fuzz.WRatio, workers=1)[0] if rows else []
        token_set = (
            process.cdist([key], choices, scorer=fuzz.token_set_ratio, workers=1)[0] if rows else []
        )
        for index, (w, t) in enumerate(zip(wratio, token_set, strict=True)):
            found_score = (float(w) + float(t)) / 2
            if found_score < cutoff:
                continue
            choice, entity, name = rows[index]
            found_score = 100.0 if choice == key else round(min(float(found_score), 99.0), 1)
            if same.get(entity, 0) < 2:
                level = self._same(wanted, name, entity)
                if level > same.get(entity, 0):
                    same[entity] = level
            # Ties broken by the plain ratio: the name closest in length wins.
            found = (found_score, fuzz.ratio(key, choice), name)
            if found[:2] > best.get(entity, (-1.0, -1.0, ""))[:2]:
                best[entity] = found
        ranked = sorted(
            best.items(), key=lambda kv: (-kv[1][0], -kv[1][1], self.name(kv[0]), kv[0])
        )
        top = max(same.values(), default=0)
        chosen = [e for e, level in same.items() if level == top]
        meant = chosen[0] if len(chosen) == 1 else None
        candidates = []
        for entity, (best_score, _ratio, name) in ranked[:limit]:
            candidates.append(
                Candidate(
                    entity,
                    self.name(entity),
                    best_score,
                    name,
                    self.kind(entity),
                    tuple(sorted(self.types.get(entity, ()))),
                    entity == meant,
                )
            )
        return candidates

    def owner(self, text: str, *, kind: str | None = None) -> tuple[str, str, bool] | None:
        """Return the one entity :meth:`match` takes ``text`` for, if any.

        Returns
        -------
        tuple or None
            ``(entity, its name that matched, exact)``: ``exact`` when that name holds the
            very words of ``text`` (accents, case, punctuation and legal forms aside),
            else it is the same name nearly (a typo, a plural).

        Examples
        --------
        >>> matcher = Matcher()
        >>> matcher.names[ID_NS + "org/lcn"] = [(SKOS.prefLabel, "Lithuanian Cluster Network")]
        >>> matcher.types[ID_NS + "org/lcn"] = {ORG.FormalOrganization}
        >>> matcher.owner("lithuanian cluster network", kind="org")[1:]
        ('Lithuanian Cluster Network', True)
        >>> matcher.owner("Lithuanian Cluster Networks", kind="org")[2]
        False
        >>> matcher.owner("Lithuanian", kind="org") is None
        True
        """
        for candidate in self.match(text, kind=kind, limit=50):
            if candidate.match:
                wanted = sorted(compare_key(text).split())
                exact = wanted == sorted(compare_key(candidate.matched).split())
                return candidate.iri, candidate.matched, exact
        return None

    def _same(self, wanted: str, name: str, entity: str) -> int:
        """Whether ``name`` of ``entity`` is the name typed (``wanted``, a compare key).

        2: the same words (in any order), 1: the same name nearly, or a person's family
        name alone (the last word of the full name), 0: not the same name.
        """
        key = compare_key(name)
        if not same_keys(wanted, key):
            words = key.split()
            return int(
                self.kind(entity) == "person"
                and len(words) > 1
                and " " not in wanted
                and len(wanted) >= 4
                and words[-1] == wanted
            )
        return 2 if sorted(wanted.split()) == sorted(key.split()) else 1

    def mentioned_in(self, text: str, *, shortest: int = 3) -> list[tuple[str, str]]:
        """Return ``(entity, name)`` for every entity a name of which occurs in ``text``.

        Accent- and case-insensitive, whole words only; names whose key is shorter than
        ``shortest`` characters are skipped (``AB``). Sorted by entity.

        Examples
        --------
        >>> matcher = Matcher()
        >>> matcher.names[ID_NS + "org/mita"] = [(SKOS.altLabel, "MITA")]
        >>> matcher.types[ID_NS + "org/mita"] = {ORG.FormalOrganization}
        >>> matcher.mentioned_in("Supported by the agency (Mita).")
        [('https://w3id.org/clustergraph/id/org/mita', 'MITA')]
        """
        haystack = f" {search_key(text)} "
        found: dict[str, str] = {}
        for key, entity, name in self.keys():
            if self.kind(entity) not in _MENTIONED:
                continue
            if len(key) >= shortest and f" {key} " in haystack:
                if entity not in found or len(name) > len(found[entity]):
                    found[entity] = name
        return sorted(found.items())


def _select(store: Store, text: str) -> list[tuple[Any, ...]]:
    result = store.query(text)
    assert isinstance(result, SelectResult)
    return [tuple(row) for row in result.rows if all(t is not None for t in row)]
