"""What the explorer says about each entity: its facts, grouped, each with its sources.

:class:`Catalogue` reads the dataset once (the source and vocabulary graphs, and the
graph of derived facts if there is one) and answers, for every entity, the questions
an entity page answers:

* its names and aliases, with the articles that use them;
* what the articles say about it in prose (descriptions, aims, notes);
* its other facts (dates, legal names, counts), dates with their precision;
* the entities it is linked to, grouped by kind (posts, memberships, excellence labels,
  projects, agreements and orders, events, organisations, people, ...), each link told
  as a statement with the articles that state it, and for a mediator such as a post or
  a membership what that mediator says besides (holder, role, period, ...);
* the figures stated about it, in order of time;
* the facts derived by reasoning (see :mod:`clustergraph.pipeline.derive`): the
  statements of the derived graphs (``graph/derived/...``) that no stated graph holds,
  each with the articles it follows from.

It also lists every dated fact for the timeline (:meth:`Catalogue.timeline`), in
order, with the precision the source gives: a year, a month, a day, or a day or month
without a year (``6 June, year not stated``), with the curator's inferred year marked
as such.

An entity is an IRI under ``id/`` that some stated graph types (``rdf:type``); its page
is ``entity/<kind>/<slug>.html`` (:func:`entity_path`). All hrefs here are relative to
the site's root; templates prefix them.

The catalogue is read from the store with two bulk queries (every statement of the
named graphs but the ontology and the manifest, and the labels of the ontology's
terms) into dictionaries; each page is then made without asking the store again.

Examples
--------
>>> d = format_date(ox.Literal("--06-06", datatype=ox.NamedNode(XSD.gMonthDay)))
>>> d.text, d.precision, d.sort_key, d.year_known
('6 June, year not stated', 'day and month, no year', '--06-06', False)
>>> format_date(ox.Literal("2019-10", datatype=ox.NamedNode(XSD.gYearMonth))).text
'October 2019'
>>> entity_path("https://w3id.org/clustergraph/id/org/lcn")
'entity/org/lcn.html'
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from clustergraph.network.index import GraphIndex
from clustergraph.project.layout import (
    CG_NS,
    GRAPH_NS,
    ID_NS,
    MANIFEST_GRAPH,
    ONTOLOGY_GRAPH,
    SOURCE_GRAPHS,
    VOCAB_GRAPHS,
    is_derived_graph,
    stated_graph,
)
from clustergraph.project.namespace import CG
from clustergraph.project.prefixes import compact
from clustergraph.project.vocab import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    ROV,
    SCHEMA,
    SKOS,
    TIME,
    XSD,
)
from clustergraph.rdf.periods import Period
from clustergraph.rdf.terms import Term
from clustergraph.store.base import SelectResult, Store

__all__ = [
    "Catalogue",
    "DateText",
    "EntityPage",
    "FactRow",
    "KeyFact",
    "KeyFacts",
    "KeyValue",
    "FigureRow",
    "Group",
    "Link",
    "RelationRow",
    "TimelineEntry",
    "entity_path",
    "format_date",
    "format_literal",
]

_SLUGS = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")

NAME_PROPERTIES = (
    SKOS.prefLabel,
    SKOS.altLabel,
    FOAF.name,
    ROV.legalName,
    DCTERMS.title,
    RDFS.label,
    SCHEMA.name,
    FOAF.givenName,
    FOAF.familyName,
    SKOS.notation,
)
"""Literal properties shown as the entity's names and aliases."""

PROSE_PROPERTIES = (
    DCTERMS.description,
    SKOS.definition,
    CG.mission,
    CG.aim,
    CG.activity,
    CG.composition,
    CG.theme,
    SKOS.scopeNote,
    SKOS.note,
    SKOS.editorialNote,
)
"""Literal properties shown as prose, in this order."""

# Labels for terms of reused vocabularies (the ontology labels its own terms).
_TERM_LABELS: Mapping[str, str] = {
    SKOS.prefLabel: "name",
    SKOS.altLabel: "also called",
    SKOS.notation: "notation",
    SKOS.definition: "definition",
    SKOS.note: "note",
    SKOS.scopeNote: "scope note",
    SKOS.editorialNote: "editorial note",
    SKOS.broader: "broader concept",
    SKOS.inScheme: "in scheme",
    SKOS.topConceptOf: "top concept of",
    SKOS.exactMatch: "exact match",
    SKOS.closeMatch: "close match",
    FOAF.name: "name as written",
    FOAF.givenName: "given name",
    FOAF.familyName: "family name",
    ROV.legalName: "legal name",
    ROV.orgType: "legal form",
    DCTERMS.title: "title",
    DCTERMS.description: "description",
    DCTERMS.issued: "published",
    DCTERMS.language: "language",
    DCTERMS.subject: "subject",
    DCTERMS.relation: "related to",
    DCTERMS.rightsHolder: "rights holder",
    RDFS.label: "label",
    SCHEMA.foundingDate: "founded",
    SCHEMA.telephone: "telephone",
    SCHEMA.about: "about",
    SCHEMA.location: "location",
    SCHEMA.organizer: "organiser",
    SCHEMA.superEvent: "edition of",
    SCHEMA.containedInPlace: "in",
    SCHEMA.name: "name",
    ORG.postIn: "post in",
    ORG.heldBy: "held by",
    ORG.holds: "holds",
    ORG.role: "role",
    ORG.member: "member",
    ORG.organization: "organisation",
    ORG.memberOf: "member of",
    ORG.hasMember: "has member",
    ORG.hasUnit: "has unit",
    ORG.unitOf: "unit of",
    ORG.hasPost: "has post",
    ORG.classification: "sector",
    ORG.subOrganizationOf: "part of",
    ORG.linkedTo: "linked to",
    ORG.memberDuring: "member during",
    PROV.wasAssociatedWith: "associated with",
    PROV.wasDerivedFrom: "derived from",
    TIME.hasBeginning: "begins",
    TIME.hasEnd: "ends",
    TIME.inXSDgYear: "year",
    TIME.inXSDDate: "date",
    RDF.type: "is a",
}

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Groups of related entities, in page order: (anchor, title, classes whose members go there).
_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("posts", "Posts", (ORG.Post,)),
    ("memberships", "Memberships", (ORG.Membership,)),
    ("labels", "Excellence labels", (CG.ExcellenceLabelAward,)),
    ("projects", "Projects", (CG.Project,)),
    ("programmes", "Funding programmes", (CG.FundingProgramme,)),
    ("agreements", "Agreements and orders", (CG.Agreement, CG.Order)),
    ("events", "Events", (CG.Event, SCHEMA.Event)),
    ("organisations", "Organisations", (ORG.Organization,)),
    ("people", "People", (FOAF.Person,)),
    ("articles", "Articles", (CG.Source,)),
    ("places", "Places", (SCHEMA.Place,)),
    ("vocabulary", "Classification and vocabulary", (SKOS.Concept, SKOS.ConceptScheme)),
)
_OTHER_GROUP = ("other", "Other links")

_PART_CLASSES = (
    CG.Figure,
    CG.Comparator,
    ORG.Membership,
    ORG.Post,
    CG.ExcellenceLabelAward,
)
"""Classes of the records that hold a fact together (see :meth:`Catalogue.tier`)."""

# Mediators: a link to one of these also shows what the mediator says besides.
_MEDIATOR_GROUPS = frozenset(
    {"posts", "memberships", "labels", "projects", "programmes", "agreements", "events"}
)
_MAX_DETAILS = 10


def _text(term: Term) -> str:
    """Return a term's value, a triple term's N-Triples (it has no value)."""
    return str(term) if isinstance(term, ox.Triple) else term.value


@dataclass(frozen=True)
class Link:
    """Something to show, linked where it has a page.

    ``href`` is relative to the site's root (``None``: plain text); ``title`` is a hint
    (a prefixed name, a full statement); ``note`` a short remark shown after the text.
    """

    text: str
    href: str | None = None
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class DateText:
    """A date as the source gives it.

    ``precision`` is ``day``, ``month``, ``year``, ``day and month, no year`` or
    ``month, no year``; ``iso`` is the value for an HTML ``<time datetime>`` (empty if
    HTML has no form for it); ``sort_key`` its lexical form, which sorts a coarser date
    before the finer ones inside it.
    """

    text: str
    precision: str
    iso: str
    sort_key: str
    year_known: bool


@dataclass(frozen=True)
class FactRow:
    """One literal fact: property, value, and the articles that state it."""

    prop: Link
    value: Link
    cites: tuple[Link, ...]
    language: str = ""


@dataclass(frozen=True)
class RelationRow:
    """One link to another entity, told as a statement with ``this`` for the page's entity.

    ``subject`` or ``object`` is ``None`` where it is the page's entity.
    """

    subject: Link | None
    prop: Link
    object: Link | None
    target: Link
    details: tuple[tuple[Link, Link], ...]
    cites: tuple[Link, ...]
    iri: str = ""


@dataclass(frozen=True)
class FigureRow:
    """A figure stated about the entity at a time."""

    figure: Link
    measure: Link
    value: str
    as_of: DateText | None
    note: str
    cites: tuple[Link, ...]


@dataclass
class Group:
    """Related entities of one kind."""

    key: str
    title: str
    rows: list[RelationRow] = field(default_factory=list)


@dataclass(frozen=True)
class TimeRow:
    """One fact of an entity's page in time order: the fact and its period."""

    fact: Link
    kind: str
    period: str
    inferred: bool
    sort_key: str


@dataclass
class EntityPage:
    """Everything an entity page shows."""

    iri: str
    path: str
    label: str
    name: str
    kind: str
    classes: tuple[Link, ...]
    sources: tuple[Link, ...]
    names: list[FactRow]
    prose: list[FactRow]
    facts: list[FactRow]
    figures: list[FigureRow]
    groups: list[Group]
    derived: list[RelationRow]
    described: list[tuple[str, list[Link]]]
    in_network: bool = False
    through_time: list[TimeRow] = field(default_factory=list)

    @property
    def related(self) -> list[Link]:
        """Every related entity with a page, once, in page order."""
        seen: dict[str, Link] = {}
        for group in self.groups:
            for row in group.rows:
                links = [row.target, *(value for _p, value in row.details)]
                for link in links:
                    if link.href and link.href != self.path:
                        seen.setdefault(link.href, link)
        return list(seen.values())


@dataclass(frozen=True)
class KeyValue:
    """One value of a key fact: its parts (links and words) and its footnotes."""

    parts: tuple[Link, ...]
    notes: tuple[int, ...]


@dataclass(frozen=True)
class KeyFact:
    """One line of the key-facts box: what (``Founded``) and its values."""

    label: str
    values: tuple[KeyValue, ...]


@dataclass(frozen=True)
class KeyFacts:
    """The key-facts box of an entity page, and its footnotes (the articles, numbered)."""

    rows: tuple[KeyFact, ...]
    notes: tuple[Link, ...]
    inferred: tuple[tuple[str, str], ...] = ()
    """What the curator inferred, marked ``inferred`` above: (what, why)."""


@dataclass(frozen=True)
class TimelineEntry:
    """One dated fact."""

    date: DateText
    entity: Link
    kind: str
    what: str
    inferred: DateText | None
    inference_note: str
    cites: tuple[Link, ...]

    @property
    def inferred_year(self) -> str:
        """The year the curator inferred (``""`` if none), for ``2019 (inferred)``."""
        return self.inferred.sort_key[:4] if self.inferred is not None else ""

    @property
    def order(self) -> tuple[int, str]:
        """Sort key: dates with a year first, by their (or the inferred) lexical form."""
        if self.date.year_known:
            return (0, self.date.sort_key)
        if self.inferred is not None:
            return (0, self.inferred.sort_key)
        return (1, self.date.sort_key)


def entity_path(iri: str) -> str:
    """Return the site path of the page of entity ``iri`` (``entity/<kind>/<slug>.html``).

    IRIs that are not ``id/<kind>/<slug>`` get a page named after a hash of the IRI.

    Examples
    --------
    >>> entity_path("https://w3id.org/clustergraph/id/person/irmina-valyte")
    'entity/person/irmina-valyte.html'
    >>> entity_path("https://w3id.org/clustergraph/id/x/a b")[:13]
    'entity/other/'
    """
    rest = iri[len(ID_NS) :] if iri.startswith(ID_NS) else ""
    if _SLUGS.fullmatch(rest):
        return f"entity/{rest}.html"
    return f"entity/other/{hashlib.sha256(iri.encode('utf-8')).hexdigest()[:16]}.html"


def _datatype(value: ox.Literal) -> str:
    return value.datatype.value


def format_date(value: ox.Literal) -> DateText:
    """Return a date literal in words, with its precision.

    Examples
    --------
    >>> format_date(ox.Literal("2017-06-16", datatype=ox.NamedNode(XSD.date))).text
    '16 June 2017'
    >>> format_date(ox.Literal("--10", datatype=ox.NamedNode(XSD.gMonth))).text
    'October, year not stated'
    >>> format_date(ox.Literal("2019", datatype=ox.NamedNode(XSD.gYear))).precision
    'year'
    """
    text = value.value.strip()
    datatype = _datatype(value)
    m = re.fullmatch(r"(-?\d{4,})-(\d{2})-(\d{2})(?:T.*)?", text)
    if m and datatype in (XSD.date, XSD.dateTime, XSD.string):
        month = _month(m[2])
        return DateText(f"{int(m[3])} {month} {m[1]}", "day", text[:10], text[:10], year_known=True)
    m = re.fullmatch(r"(-?\d{4,})-(\d{2})", text)
    if m and datatype == XSD.gYearMonth:
        return DateText(f"{_month(m[2])} {m[1]}", "month", text, text, year_known=True)
    m = re.fullmatch(r"-?\d{4,}", text)
    if m and datatype == XSD.gYear:
        return DateText(text, "year", text, text, year_known=True)
    m = re.fullmatch(r"--(\d{2})-(\d{2})", text)
    if m and datatype == XSD.gMonthDay:
        return DateText(
            f"{int(m[2])} {_month(m[1])}, year not stated",
            "day and month, no year",
            f"{m[1]}-{m[2]}",
            text,
            year_known=False,
        )
    m = re.fullmatch(r"--(\d{2})", text)
    if m and datatype == XSD.gMonth:
        return DateText(
            f"{_month(m[1])}, year not stated", "month, no year", "", text, year_known=False
        )
    return DateText(text, "as given", "", text, year_known=not text.startswith("--"))


def duration_text(value: str) -> str:
    """Return an ``xsd:duration`` for people: ``P2Y`` is ``2 years``.

    Examples
    --------
    >>> duration_text("P2Y"), duration_text("P1Y6M"), duration_text("PT3H")
    ('2 years', '1 year and 6 months', 'PT3H')
    """
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?", value.strip())
    if not m or not any(m.groups()):
        return value
    parts = [
        _plural(int(n), unit)
        for n, unit in zip(m.groups(), ("year", "month", "day"), strict=True)
        if n
    ]
    return " and ".join(parts)


def _plural(n: int, noun: str) -> str:
    """Return ``1 year``, ``2 years``."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _month(number: str) -> str:
    index = int(number)
    return _MONTHS[index - 1] if 1 <= index <= 12 else number


_DATE_TYPES = frozenset(
    {XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth, XSD.gMonthDay, XSD.gMonth}
)


def is_date(value: Term) -> bool:
    """Whether ``value`` is a literal of an XSD date or date-part datatype."""
    return isinstance(value, ox.Literal) and _datatype(value) in _DATE_TYPES


def format_literal(value: ox.Literal) -> str:
    """Return a literal as people read it: dates in words, booleans as yes or no.

    Examples
    --------
    >>> yes = ox.Literal("true", datatype=ox.NamedNode(XSD.boolean))
    >>> format_literal(yes), format_literal(ox.Literal("Vilnius", language="lt"))
    ('yes', 'Vilnius')
    """
    if is_date(value):
        return format_date(value).text
    if _datatype(value) == XSD.boolean:
        return "yes" if value.value.strip() in ("true", "1") else "no"
    return " ".join(value.value.split())


_QUADS = f"""SELECT ?g ?s ?p ?o WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(isIRI(?s) && ?g != <{ONTOLOGY_GRAPH}> && ?g != <{MANIFEST_GRAPH}>)
}}"""

_TERM_LABELS_QUERY = f"""SELECT ?s ?label WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?s <{RDFS.label}> ?label }}
  FILTER(isIRI(?s) && isLiteral(?label))
}}"""


def _select(store: Store, text: str) -> tuple[tuple[Any, ...], ...]:
    result = store.query(text)
    assert isinstance(result, SelectResult), "a SELECT query answers rows"
    return result.rows


Objects = dict[tuple[str, Term], set[str]]
"""``(predicate, object) -> graphs`` of one subject."""


class Catalogue:
    """The store read for the explorer (see the module docstring).

    Build it with :meth:`from_store`; the constructor makes an empty catalogue.

    Parameters
    ----------
    index
        The :class:`clustergraph.network.index.GraphIndex` of the store: classes,
        labels, article titles and the entity network.

    Attributes
    ----------
    out
        Subject IRI to ``(predicate, object) -> graphs``: every statement of the
        stated and derived graphs (the ontology and the manifest aside).
    into
        Object IRI to ``(subject, predicate) -> graphs``.
    types
        Subject to its classes, in the stated graphs.
    graph_source
        Source graph to the article it was made from (``prov:wasDerivedFrom``).
    derived_from
        Derived graph to the stated graphs it follows from.
    entities
        The IRIs under ``id/`` that a stated graph types: each gets a page.

    Examples
    --------
    >>> from clustergraph.store import open_store
    >>> store = open_store("memory:")
    >>> a = "https://w3id.org/clustergraph/id/org/a"
    >>> store.replace_graphs({
    ...     "https://w3id.org/clustergraph/graph/source/x": f'''
    ...     <{a}> <{RDF.type}> <{ORG.FormalOrganization}> .
    ...     <{a}> <{SKOS.prefLabel}> "A" .
    ...     <{a}> <{SCHEMA.foundingDate}> "2019"^^<{XSD.gYear}> .'''.encode(),
    ...     "https://w3id.org/clustergraph/graph/derived/source/x": f'''
    ...     <{a}> <{RDF.type}> <{ORG.Organization}> .'''.encode(),
    ... })
    >>> catalogue = Catalogue.from_store(store, GraphIndex.from_store(store))
    >>> page = catalogue.entity_page(a)
    >>> page.label, page.path, [(r.prop.text, r.value.text) for r in page.facts]
    ('A', 'entity/org/a.html', [('founded', '2019')])
    >>> [(r.prop.text, r.target.title) for r in page.derived]
    [('is a', 'http://www.w3.org/ns/org#Organization')]
    >>> [c.text for c in page.derived[0].cites]
    ['derived by reasoning', 'graph:source/x']
    """

    def __init__(self, index: GraphIndex) -> None:
        self.index = index
        self._periods: dict[str, Period] | None = None
        self._around: dict[str, set[str]] = {}
        self.prefixes: dict[str, str] = dict(index.prefixes)
        self.out: dict[str, Objects] = defaultdict(dict)
        self.into: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(dict)
        self.types: dict[str, set[str]] = defaultdict(set)
        self.graph_source: dict[str, str] = {}
        self.derived_from: dict[str, tuple[str, ...]] = {}
        self.graph_members: dict[str, set[str]] = defaultdict(set)
        self.term_labels: dict[str, str] = {}
        self.graphs: list[str] = []
        self.entities: list[str] = []
        self._entity_set: frozenset[str] = frozenset()
        self._network: frozenset[str] = frozenset()
        self._name_cache: dict[str, str] = {}
        self._term_cache: dict[str, Link] = {}
        self._group_cache: dict[str, tuple[str, str]] = {}
        self._cites_cache: dict[frozenset[str], tuple[Link, ...]] = {}

    @classmethod
    def from_store(cls, store: Store, index: GraphIndex) -> Catalogue:
        """Read the catalogue from ``store`` with two bulk queries.

        Parameters
        ----------
        store
            The store (embedded or remote): the stated graphs and the derived graphs.
        index
            The index of the same store.

        Returns
        -------
        Catalogue
            Every statement of the store about an IRI, by subject and by object.

        Raises
        ------
        QueryError, StoreError
            If the store fails.
        """
        catalogue = cls(index)
        for s, label in _select(store, _TERM_LABELS_QUERY):
            if (label.language or "en").startswith("en"):
                catalogue.term_labels[s.value] = " ".join(label.value.split())
        graphs: set[str] = set()
        derived_from: dict[str, set[str]] = defaultdict(set)
        for g, s, p, o in _select(store, _QUADS):
            graph, subject, predicate = g.value, s.value, p.value
            graphs.add(graph)
            derived = is_derived_graph(graph)
            if predicate == PROV.wasDerivedFrom and subject == graph:
                if derived and o.value != ONTOLOGY_GRAPH:  # the reasoning, cited as such
                    derived_from[graph].add(o.value)
                elif graph.startswith(SOURCE_GRAPHS) and isinstance(o, ox.NamedNode):
                    catalogue.graph_source[graph] = o.value
            catalogue.out[subject].setdefault((predicate, o), set()).add(graph)
            if isinstance(o, ox.NamedNode):
                catalogue.into[o.value].setdefault((subject, predicate), set()).add(graph)
                if predicate == RDF.type and not derived:
                    catalogue.types[subject].add(o.value)
                    catalogue.graph_members[graph].add(subject)
        catalogue.graphs = sorted(graphs)
        for graph in catalogue.graphs:
            if is_derived_graph(graph):
                stated = stated_graph(graph)
                found = derived_from.get(graph) or ({stated} if stated else set())
                catalogue.derived_from[graph] = tuple(sorted(found))
        # Entities from any source get a page: the project's ``id/`` IRIs, and any other
        # IRI a source graph types (third-party data keeps its own IRIs), but not the
        # graph nodes and the vocabulary's or the ontology's own terms.
        in_sources = {
            m
            for g, members in catalogue.graph_members.items()
            if g.startswith(SOURCE_GRAPHS)
            for m in members
        }
        catalogue.entities = sorted(
            s
            for s, classes in catalogue.types.items()
            if classes
            and (s.startswith(ID_NS) or (s in in_sources and not s.startswith(GRAPH_NS)))
            and not s.startswith(CG_NS)
        )
        catalogue._entity_set = frozenset(catalogue.entities)
        catalogue._network = frozenset(index.entities())
        catalogue._merge_same_as()
        return catalogue

    def _merge_same_as(self) -> None:
        """Give each canonical IRI the statements of the IRIs merged into it (``owl:sameAs``).

        Its page then shows every fact, each cited with the graph (article or other
        publisher) stating it; the merged IRI's own page points to it
        (:meth:`canonical`).
        """
        for alias, canonical in sorted(self.index.same_as.items()):
            for (p, o), graphs in self.out.get(alias, {}).items():
                if p == OWL.sameAs and isinstance(o, ox.NamedNode) and o.value == canonical:
                    continue
                self.out[canonical].setdefault((p, o), set()).update(graphs)
            for (subject, p), graphs in self.into.get(alias, {}).items():
                if p == OWL.sameAs and subject == canonical:
                    continue
                self.into[canonical].setdefault((subject, p), set()).update(graphs)
            self.types[canonical].update(self.types.get(alias, ()))
        # A canonical entity keeps no "same as" link to itself.
        for canonical in set(self.index.same_as.values()):
            out = self.out.get(canonical, {})
            for key in [k for k in out if k[0] == OWL.sameAs and k[1].value == canonical]:
                del out[key]

    def canonical(self, iri: str) -> str:
        """Return the IRI ``iri`` is merged into by ``owl:sameAs`` (itself if none)."""
        return self.index.same_as.get(iri, iri)

    def merged(self, iri: str) -> list[str]:
        """Return the IRIs merged into ``iri`` by ``owl:sameAs``, sorted."""
        return sorted(a for a, c in self.index.same_as.items() if c == iri)

    # -- names and links ---------------------------------------------------------------

    def is_entity(self, iri: str) -> bool:
        """Whether ``iri`` has an entity page."""
        return iri in self._entity_set

    def in_network(self, iri: str) -> bool:
        """Whether ``iri`` is a node of the entity network (and so has a view)."""
        return iri in self._network

    def is_a(self, iri: str, cls: str) -> bool:
        """Whether ``iri`` is typed ``cls`` or a subclass of it."""
        return any(t == cls or cls in self.index.ancestors(t) for t in self.types.get(iri, ()))

    def is_time(self, iri: str) -> bool:
        """Whether ``iri`` is an OWL-Time instant or interval."""
        return any(t in TIME for t in self.types.get(iri, ()))

    def label(self, iri: str) -> str:
        """Return the label of an entity (a time entity reads as its dates)."""
        iri = self.canonical(iri)
        if self.is_time(iri):
            return self.time_text(iri)
        return self.index.label(iri)

    def name(self, iri: str) -> str:
        """Return the prefixed name of an IRI (remembered: pages ask for the same ones)."""
        found = self._name_cache.get(iri)
        if found is None:
            found = self._name_cache[iri] = compact(iri, self.prefixes)
        return found

    def kind(self, iri: str) -> str:
        """Return the label of the most specific class of ``iri`` (``resource`` if none)."""
        cls = self.primary_class(iri)
        return self.index.class_label(cls) if cls else "resource"

    def primary_class(self, iri: str) -> str | None:
        """Return the most specific class of ``iri``."""
        return self.index.primary_class(iri, self.types.get(iri, ()))

    def tier(self, iri: str) -> int:
        r"""Return how early search lists ``iri``: what analysts ask for first.

        0 organisations (their units aside) and people; 1 the other things (projects,
        events, documents, articles, units, places); 2 terms of the vocabularies; 3
        the records that are parts of a fact (figures, time instants and intervals,
        memberships, posts, label awards), which come after what they describe.

        Examples
        --------
        >>> from clustergraph.store import open_store
        >>> store = open_store("memory:")
        >>> store.replace_graphs({"https://w3id.org/clustergraph/graph/source/x": (
        ...     f"<urn:a> <{RDF.type}> <{FOAF.Person}> .\n"
        ...     f"<urn:f> <{RDF.type}> <{CG.Figure}> .").encode()})
        >>> c = Catalogue.from_store(store, GraphIndex.from_store(store))
        >>> c.tier("urn:a"), c.tier("urn:f")
        (0, 3)
        """
        if self.is_part_of_fact(iri):
            return 3
        if self.is_a(iri, FOAF.Person) or (
            self.is_a(iri, ORG.Organization) and not self.is_a(iri, ORG.OrganizationalUnit)
        ):
            return 0
        if self.is_a(iri, SKOS.Concept) or self.is_a(iri, SKOS.ConceptScheme):
            return 2
        return 1

    def is_part_of_fact(self, iri: str) -> bool:
        """Whether ``iri`` is a node that holds a fact together rather than a thing.

        Figures, comparators, time instants and intervals, memberships, posts and
        excellence label awards: each is shown on the pages of what it links.
        """
        return self.is_time(iri) or any(self.is_a(iri, cls) for cls in _PART_CLASSES)

    def title(self, iri: str) -> str:
        """Return what a record is about, for a heading or a search result.

        An entity with a name is its name. A record that is part of a fact and has no
        name of its own is told by what it describes: a figure as ``<owner>: <measure>,
        <date>``, a time interval as ``<post or membership>: <how>, <dates>``. Never
        a bare prefixed name where something better is known.
        """
        label = self.label(iri)
        named = any(p in NAME_PROPERTIES for (p, _o) in self.out.get(iri, {}))
        if named:
            return label
        if self.is_a(iri, CG.Figure):
            owner = self._first(iri, CG.figureOf)
            measure = self._first(iri, CG.measure)
            as_of = self._first_literal(iri, CG.asOf)
            words = self.label(measure) if measure is not None else "a figure"
            text = f"{self.label(owner)}: {words}" if owner is not None else words
            if as_of is not None:
                text += f", {format_date(as_of).text}"
            return text
        if self.is_time(iri):
            users = sorted(
                (s, p)
                for (s, p), graphs in self.into.get(iri, {}).items()
                if _stated(graphs) and not self.is_time(s)
            )
            if len(users) == 1:
                user, predicate = users[0]
                return f"{self.title(user)}: {self.term(predicate).text} {label}"
            spans = sorted(
                (s, p)
                for (s, p), graphs in self.into.get(iri, {}).items()
                if _stated(graphs) and self.is_time(s)
            )
            if len(spans) == 1 and not users:
                span, edge = spans[0]
                end = {TIME.hasBeginning: "the beginning", TIME.hasEnd: "the end"}
                return f"{label}, {end.get(edge, 'a date')} of {self.title(span)}"
            if users:
                kinds = sorted({self.kind(u) for u, _p in users})
                noun = kinds[0] if len(kinds) == 1 else "fact"
                return f"{label}, the period of {_plural(len(users), noun)}"
            return f"{label} (a date of {_plural(len(spans), 'period')})" if spans else label
        return label

    def link(self, iri: str) -> Link:
        """Return a link to the page of ``iri`` (plain text if it has none).

        An IRI merged into another by ``owl:sameAs`` links to the other's page.
        """
        iri = self.canonical(iri)
        if self.is_entity(iri):
            return Link(self.label(iri), entity_path(iri), self.name(iri), "")
        return Link(self.name(iri), None, iri)

    def term(self, iri: str) -> Link:
        """Return a property or class, labelled, linked to the ontology page for ``cg:``."""
        found = self._term_cache.get(iri)
        if found is None:
            label = self.term_labels.get(iri) or _TERM_LABELS.get(iri) or _words(iri)
            href = f"ontology.html#{_anchor(iri)}" if iri in CG else None
            found = self._term_cache[iri] = Link(label, href, self.name(iri))
        return found

    def value(self, node: Term) -> Link:
        """Return an object of a statement as a link or as text."""
        if isinstance(node, ox.Literal):
            return Link(format_literal(node), None, "", node.language or "")
        if isinstance(node, ox.BlankNode):
            return Link("(unnamed resource)", None, compact(node, self.prefixes))
        if isinstance(node, ox.Triple):  # an RDF 1.2 triple term: the statement, as text
            parts = (node.subject, node.predicate, node.object)
            return Link("<<( " + " ".join(self.value(t).text for t in parts) + " )>>", None)
        iri = node.value
        if self.is_time(iri):
            return Link(self.time_text(iri), entity_path(iri) if self.is_entity(iri) else None)
        return self.link(iri)

    def time_text(self, iri: str) -> str:
        """Return a time instant or interval as text: ``2021``, ``2021 – 2027``."""
        values = [
            format_literal(o)
            for (p, o) in self.out.get(iri, {})
            if p.startswith(str(TIME) + "inXSD") and isinstance(o, ox.Literal)
        ]
        if values:
            return ", ".join(sorted(values))
        begin = self._first(iri, TIME.hasBeginning)
        end = self._first(iri, TIME.hasEnd)
        if begin is not None or end is not None:
            start = self.time_text(begin) if begin is not None else "?"
            stop = self.time_text(end) if end is not None else "?"
            return f"{start} – {stop}"
        inside = self._first(iri, TIME.inside)
        if inside is not None:
            return f"a period including {self.time_text(inside)}, its ends not stated"
        named = self.index.label(iri)
        return "dates not stated" if named == self.name(iri) else named

    def _first(self, iri: str, predicate: str) -> str | None:
        found = sorted(o.value for (p, o) in self.out.get(iri, {}) if p == predicate)
        return found[0] if found else None

    def cites(self, graphs: Iterable[str]) -> tuple[Link, ...]:
        """Return the articles (or vocabularies, or reasoning) behind the given graphs.

        A derived graph is cited as ``derived by reasoning``, followed by the articles
        of the stated graphs it follows from.
        """
        chosen = frozenset(graphs)
        found = self._cites_cache.get(chosen)
        if found is None:
            found = self._cites_cache[chosen] = self._cites(chosen)
        return found

    def _cites(self, chosen: frozenset[str]) -> tuple[Link, ...]:
        links: list[Link] = []
        derived = sorted(g for g in chosen if is_derived_graph(g))
        stated = sorted(g for g in chosen if not is_derived_graph(g))
        if derived:
            links.append(Link("derived by reasoning", "ontology.html#derived", derived[0]))
            stated = sorted({*stated, *(s for g in derived for s in self.derived_from.get(g, ()))})
        for gid in stated:
            if gid in self.graph_source:
                source = self.graph_source[gid]
                href = entity_path(source) if self.is_entity(source) else None
                links.append(Link(self.index.source_title(gid), href, self.name(source)))
            elif gid.startswith(VOCAB_GRAPHS):
                links.append(Link(f"vocabulary: {gid[len(VOCAB_GRAPHS) :]}", None, gid))
            else:
                links.append(Link(compact(gid, self.prefixes), None, gid))
        return tuple(links)

    def sources_of(self, iri: str) -> tuple[Link, ...]:
        """Return the articles whose graphs describe ``iri`` (as subject)."""
        graphs = {g for gs in self.out.get(iri, {}).values() for g in gs}
        return self.cites(g for g in graphs if g in self.graph_source)

    # -- entity pages ------------------------------------------------------------------

    def entity_page(self, iri: str) -> EntityPage:
        """Gather what the page of entity ``iri`` shows."""
        names: list[FactRow] = []
        prose: list[FactRow] = []
        facts: list[FactRow] = []
        derived: list[RelationRow] = []
        groups: dict[str, Group] = {}
        out = self.out.get(iri, {})
        for (predicate, obj), graphs in sorted(out.items(), key=lambda kv: _sort_pair(kv[0])):
            stated = _stated(graphs)
            if not stated:
                if predicate == RDF.type or isinstance(obj, ox.NamedNode):
                    derived.append(self._relation(iri, predicate, obj.value, graphs, outgoing=True))
                continue
            if predicate == RDF.type:
                continue
            if isinstance(obj, ox.Literal):
                row = FactRow(
                    self.term(predicate), self.value(obj), self.cites(stated), obj.language or ""
                )
                if predicate in NAME_PROPERTIES:
                    names.append(row)
                elif predicate in PROSE_PROPERTIES:
                    prose.append(row)
                else:
                    facts.append(row)
                continue
            if isinstance(obj, ox.Triple):  # RDF 1.2: a statement about a statement
                facts.append(FactRow(self.term(predicate), self.value(obj), self.cites(stated)))
                continue
            target = obj.value
            if (
                isinstance(obj, ox.BlankNode)
                or self.is_time(target)
                or (not self.is_entity(target) and not target.startswith(ID_NS))
                or predicate == CG.figureOf
            ):
                facts.append(FactRow(self.term(predicate), self.value(obj), self.cites(stated)))
                continue
            self._add(groups, self._relation(iri, predicate, target, stated, outgoing=True))
        figures: list[FigureRow] = []
        for (subject, predicate), graphs in sorted(self.into.get(iri, {}).items()):
            stated = _stated(graphs)
            if not stated or subject == iri:
                continue  # derived facts are told once, from their subject's page
            if predicate == CG.figureOf and self.is_a(subject, CG.Figure):
                figures.append(self._figure(subject, stated))
                continue
            if not self.is_entity(subject) and not subject.startswith(ID_NS):
                continue  # graph nodes and the like
            self._add(groups, self._relation(iri, predicate, subject, stated, outgoing=False))
        figures.sort(key=lambda f: (f.measure.text, f.as_of.sort_key if f.as_of else "~"))
        names.sort(key=lambda r: (_rank(NAME_PROPERTIES, r.prop.title, self), r.value.text))
        prose.sort(key=lambda r: (_rank(PROSE_PROPERTIES, r.prop.title, self), r.value.text))
        keys = [key for key, _title, _classes in _GROUPS] + [_OTHER_GROUP[0]]
        ordered = [groups[key] for key in keys if key in groups]
        for group in ordered:
            group.rows.sort(key=lambda r: (r.prop.text, r.target.text, r.target.title))
        classes = tuple(
            self.term(t) for t in sorted(self.types.get(iri, ()), key=lambda t: self.name(t))
        )
        described: list[tuple[str, list[Link]]] = []
        if self.is_a(iri, CG.Source):
            described = self._described_by(iri)
        return EntityPage(
            iri=iri,
            path=entity_path(iri),
            label=self.title(iri),
            name=self.name(iri),
            kind=self.kind(iri),
            classes=classes,
            sources=self.sources_of(iri),
            names=names,
            prose=prose,
            facts=facts,
            figures=figures,
            groups=ordered,
            derived=derived,
            described=described,
            in_network=self.in_network(iri),
            through_time=self.through_time(iri),
        )

    def through_time(self, iri: str) -> list[TimeRow]:
        """Return the facts of ``iri`` that hold for a time, in time order, with their periods.

        The entity's own period (an organisation's founding and dissolution) and every
        membership, post, label award, event, agreement, order or project linked to it,
        by :func:`clustergraph.network.timeline.periods`; those whose period is not
        stated come last, saying so.
        """
        from clustergraph.network.timeline import FACT_CLASSES, periods
        from clustergraph.rdf.periods import first_day, last_day

        if self._periods is None:
            self._periods = periods(self.index)
            around: dict[str, set[str]] = defaultdict(set)
            for s, _p, o in self.index.links:
                around[s].add(o)
                around[o].add(s)
            self._around = around
        known = self._periods
        candidates = [iri] + sorted(
            n
            for n in self._around.get(iri, ())
            if n != iri and any(self.index.is_a(n, cls) for cls in FACT_CLASSES)
        )
        rows = []
        for node in candidates:
            period = known.get(node)
            if period is None and node == iri:
                continue
            key = "~"
            if period is not None:
                for text, read in (
                    (period.begin, first_day),
                    (period.inside[0] if period.inside else None, first_day),
                    (period.end, last_day),
                ):
                    day = read(text) if text is not None else None
                    if day is not None:
                        key = day.isoformat()
                        break
            rows.append(
                TimeRow(
                    fact=self.link(node),
                    kind="founded" if node == iri else self.kind(node),
                    period=period.text() if period is not None else "period not stated",
                    inferred=bool(period and period.inferred),
                    sort_key=key,
                )
            )
        rows.sort(key=lambda r: (r.sort_key, r.kind, r.fact.text))
        return rows

    # -- key facts -------------------------------------------------------------------

    def _objects(self, iri: str, predicate: str) -> list[tuple[Term, set[str]]]:
        """Return the stated objects of ``iri``'s ``predicate`` with their stated graphs."""
        found = [
            (o, _stated(graphs))
            for (p, o), graphs in self.out.get(iri, {}).items()
            if p == predicate and _stated(graphs)
        ]
        return sorted(found, key=lambda og: (_text(og[0]),))

    def _subjects(self, iri: str, predicate: str) -> list[tuple[str, set[str]]]:
        """Return the subjects stating ``predicate`` ``iri``, with their stated graphs."""
        found = [
            (s, _stated(graphs))
            for (s, p), graphs in self.into.get(iri, {}).items()
            if p == predicate and _stated(graphs)
        ]
        return sorted(found)

    def period_text(self, iri: str) -> str:
        """Return an OWL-Time interval for people: ``since 2020``, ``2021 – 2023``, ``for 2 years``.

        Read generically from OWL-Time: ``time:hasBeginning``, ``time:hasEnd``, their
        ``time:inXSDDate`` (or any ``time:inXSD…``) and ``time:hasXSDDuration``.
        """
        begin = self._first(iri, TIME.hasBeginning)
        end = self._first(iri, TIME.hasEnd)
        durations = [
            duration_text(o.value)
            for (p, o) in self.out.get(iri, {})
            if p == TIME.hasXSDDuration and isinstance(o, ox.Literal)
        ]
        parts = []
        if begin is not None and end is not None:
            parts.append(f"{self.time_text(begin)} – {self.time_text(end)}")
        elif begin is not None:
            parts.append(f"since {self.time_text(begin)}")
        elif end is not None:
            parts.append(f"until {self.time_text(end)}")
        elif not durations:
            parts.append(self.time_text(iri))
        parts += [f"for {d}" for d in sorted(durations)]
        return ", ".join(p for p in parts if p)

    def key_facts(self, iri: str) -> KeyFacts:
        """Return what an entity page shows first, each value footnoted to its articles.

        Kind, country, sectors, founding date, who leads it and since when, posts held,
        memberships, members, labels, figures with their dates.

        Examples
        --------
        >>> from clustergraph.store import open_store
        >>> store = open_store("memory:")
        >>> a = "https://w3id.org/clustergraph/id/org/a"
        >>> store.replace_graphs({"https://w3id.org/clustergraph/graph/source/x": f'''
        ...     <{a}> <{RDF.type}> <{ORG.FormalOrganization}> .
        ...     <{a}> <{SCHEMA.foundingDate}> "2019"^^<{XSD.gYear}> .'''.encode()})
        >>> facts = Catalogue.from_store(store, GraphIndex.from_store(store)).key_facts(a)
        >>> [(r.label, [v.parts[0].text for v in r.values]) for r in facts.rows]
        [('Kind', ['formal organization']), ('Founded', ['2019'])]
        """
        notes: dict[str, int] = {}
        note_links: list[Link] = []

        def cite(graphs: Iterable[str]) -> tuple[int, ...]:
            numbers = []
            for link in self.cites(graphs):
                key = link.title or link.text
                if key not in notes:
                    notes[key] = len(note_links) + 1
                    note_links.append(link)
                numbers.append(notes[key])
            return tuple(sorted(set(numbers)))

        rows: list[KeyFact] = [KeyFact("Kind", (KeyValue((Link(self.kind(iri)),), ()),))]

        def simple(label: str, predicate: str) -> None:
            values = tuple(
                KeyValue((self.value(o),), cite(g)) for o, g in self._objects(iri, predicate)
            )
            if values:
                rows.append(KeyFact(label, values))

        simple("Country", CG.country)
        simple("Sectors", ORG.classification)
        simple("Founded", SCHEMA.foundingDate)
        simple("Legal form", ROV.orgType)
        if self.is_a(iri, CG.Source):
            simple("Title", DCTERMS.title)
            simple("Publisher", DCTERMS.publisher)
            simple("Publisher", SCHEMA.publisher)
            simple("Author", DCTERMS.creator)
            simple("Published", DCTERMS.issued)
            simple("Published", SCHEMA.datePublished)
            simple("Original", SCHEMA.url)
            simple("Original", FOAF.page)
        simple("Date", CG.date)

        inferred: list[tuple[str, str]] = []

        def period(iri: str, before: str, after: str = "") -> list[Link]:
            """Return a period in words, marked ``inferred`` with the curator's reason."""
            text = self.period_text(iri)
            why = self.inference(iri)
            if not why:
                return [Link(before + text + after)]
            inferred.append((text, why))
            mark = Link(f"inferred [{chr(0x60 + len(inferred))}]", None, why)
            return [Link(before + text + ", "), mark, Link(after)]

        def post_value(post: str, other: str, graphs: set[str]) -> KeyValue:
            role = [self.label(o.value) for o, _g in self._objects(post, ORG.role)]
            parts = [Link((role[0] if role else "post") + ": ")]
            parts.append(self.link(other))
            for span, _g in self._objects(post, CG.heldDuring):
                parts += period(span.value, " (", ")")
            return KeyValue(tuple(parts), cite(graphs))

        leaders = []
        for post, graphs in self._subjects(iri, ORG.postIn):
            for holder, g2 in self._objects(post, ORG.heldBy):
                leaders.append(post_value(post, holder.value, graphs | g2))
        if leaders:
            rows.append(KeyFact("Led by", tuple(leaders)))
        posts = []
        for post, graphs in self._subjects(iri, ORG.heldBy):
            for org, g2 in self._objects(post, ORG.postIn):
                posts.append(post_value(post, org.value, graphs | g2))
        if posts:
            rows.append(KeyFact("Posts held", tuple(posts)))

        memberships = []
        for membership, graphs in self._subjects(iri, ORG.member):
            for org, g2 in self._objects(membership, ORG.organization):
                role = [self.label(o.value) for o, _g in self._objects(membership, ORG.role)]
                parts = [self.link(org.value)]
                if role:
                    parts.append(Link(f" ({role[0]})"))
                for span, _g in self._objects(membership, ORG.memberDuring):
                    parts += period(span.value, ", ")
                memberships.append(KeyValue(tuple(parts), cite(graphs | g2)))
        if memberships:
            rows.append(KeyFact("Member of", tuple(memberships)))
        members = self._subjects(iri, ORG.organization)
        if members:
            graphs = set().union(*(g for _m, g in members))
            rows.append(
                KeyFact(
                    "Members named",
                    (KeyValue((Link(_plural(len(members), "membership")),), cite(graphs)),),
                )
            )
        labels = []
        for award, graphs in self._subjects(iri, CG.awardedTo):
            parts = []
            for level, _g in self._objects(award, CG.labelLevel):
                parts.append(Link(self.label(level.value) + " label"))
            if not parts:
                parts.append(self.link(award))
            renewal = self._objects(award, CG.isRenewal)
            if any(isinstance(r, ox.Literal) and r.value in ("true", "1") for r, _g in renewal):
                parts.append(Link(" (a renewal)"))
            bodies = self._objects(award, CG.awardedBy)
            for body, _g in bodies:
                parts += [Link(" from "), self.link(body.value)]
            dates = self._objects(award, CG.date)
            for date, _g in dates:
                parts.append(
                    Link(", " + format_literal(date) if isinstance(date, ox.Literal) else "")
                )
            unstated = [w for w, given in (("awarding body", bodies), ("date", dates)) if not given]
            if unstated:
                parts.append(Link(", ", None, "", " and ".join(unstated) + " not stated"))
            for span, _g in self._objects(award, CG.validDuring):
                parts += period(span.value, ", valid ")
            labels.append(KeyValue(tuple(parts), cite(graphs)))
        if labels:
            rows.append(KeyFact("Labels", tuple(labels)))
        given = []
        for award, graphs in self._subjects(iri, CG.awardedBy):
            parts = []
            for level, _g in self._objects(award, CG.labelLevel):
                parts.append(Link(self.label(level.value) + " label"))
            if not parts:
                parts.append(self.link(award))
            for holder, _g in self._objects(award, CG.awardedTo):
                parts += [Link(" to "), self.link(holder.value)]
            for date, _g in self._objects(award, CG.date):
                if isinstance(date, ox.Literal):
                    parts.append(Link(", " + format_literal(date)))
            given.append(KeyValue(tuple(parts), cite(graphs)))
        if given:
            rows.append(KeyFact("Labels awarded", tuple(given)))
        sizes = []
        for figure, graphs in self._subjects(iri, CG.figureOf):
            row = self._figure(figure, graphs)
            parts = [Link(f"{row.value} {row.measure.text}")]
            if row.as_of is not None:
                parts.append(Link(f" (as of {row.as_of.text})"))
            gap = self.unnamed(iri, figure)
            if gap:
                parts.append(Link("; ", None, "", gap))
            sizes.append(KeyValue(tuple(parts), cite(graphs)))
        if sizes:
            rows.append(KeyFact("Figures", tuple(sizes)))
        return KeyFacts(tuple(rows), tuple(note_links), tuple(inferred))

    def inference(self, iri: str) -> str:
        """Return why the curator inferred ``iri``'s value (``cg:inferenceNote``), else ``""``.

        A period counts as inferred if it or one of its ends carries the note.
        """
        note = self._first_literal(iri, CG.inferenceNote)
        if note is not None:
            return format_literal(note)
        for edge in (TIME.hasBeginning, TIME.hasEnd):
            end = self._first(iri, edge)
            if end is not None and end != iri:
                found = self._first_literal(end, CG.inferenceNote)
                if found is not None:
                    return format_literal(found)
        return ""

    def is_member_measure(self, measure: str) -> bool:
        """Whether ``measure`` counts members (``measure:member-count`` or narrower)."""
        seen: set[str] = set()
        pending = [measure]
        while pending:
            node = pending.pop()
            if node in seen:
                continue
            seen.add(node)
            if node == ID_NS + "measure/member-count":
                return True
            pending += [o.value for (p, o) in self.out.get(node, {}) if p == SKOS.broader]
        return False

    def named_members(self, iri: str) -> set[str]:
        """Return the members of ``iri`` the sources name (memberships, ``org:memberOf``)."""
        named = {
            o.value
            for m, _g in self._subjects(iri, ORG.organization)
            for o, _g2 in self._objects(m, ORG.member)
        }
        named.update(s for s, _g in self._subjects(iri, ORG.memberOf))
        return named

    def gaps(self, iri: str) -> list[str]:
        """Return what the sources leave out about ``iri``, in words, for an empty answer.

        Each figure counting members the sources do not (all) name: ``has 57 member
        clusters (a figure), but the members are not named in the sources``.
        """
        found = []
        for figure, graphs in self._subjects(iri, CG.figureOf):
            gap = self.unnamed(iri, figure)
            if gap:
                row = self._figure(figure, graphs)
                found.append(f"has {row.value} {row.measure.text} (a figure), but {gap}")
        return found

    def unnamed(self, iri: str, figure: str) -> str:
        """Say so when a figure counts members the sources do not name (``""`` if named).

        ``the members are not named in the sources`` when none is, ``only 3 of them are
        named in the sources`` when fewer than the figure says.
        """
        measure = self._first(figure, CG.measure)
        if measure is None or not self.is_member_measure(measure):
            return ""
        value = self._first_literal(figure, CG.value)
        try:
            count = float(value.value) if value is not None else None
        except ValueError:
            count = None
        named = len(self.named_members(iri))
        if named == 0:
            return "the members are not named in the sources"
        if count is not None and named < count:
            return f"only {named} of them {'is' if named == 1 else 'are'} named in the sources"
        return ""

    def _add(self, groups: dict[str, Group], row: RelationRow) -> None:
        key, title = self._group_of(row.iri)
        group = groups.setdefault(key, Group(key, title))
        group.rows.append(row)

    def _group_of(self, iri: str) -> tuple[str, str]:
        found = self._group_cache.get(iri)
        if found is None:
            found = next(
                (
                    (key, title)
                    for key, title, classes in _GROUPS
                    if any(self.is_a(iri, cls) for cls in classes)
                ),
                _OTHER_GROUP,
            )
            self._group_cache[iri] = found
        return found

    def _relation(
        self, iri: str, predicate: str, other: str, graphs: Iterable[str], *, outgoing: bool
    ) -> RelationRow:
        target = self.link(other)
        details: tuple[tuple[Link, Link], ...] = ()
        key, _title = self._group_of(other)
        if key in _MEDIATOR_GROUPS:
            details = self._details(other, skip=iri)
        prop = self.term(predicate)
        cites = self.cites(graphs)
        if outgoing:
            return RelationRow(None, prop, target, target, details, cites, other)
        return RelationRow(target, prop, None, target, details, cites, other)

    def _details(self, mediator: str, *, skip: str) -> tuple[tuple[Link, Link], ...]:
        """Return what a mediator (a post, a membership, an award, ...) says besides the link."""
        rows: list[tuple[Link, Link]] = []
        for (predicate, obj), graphs in sorted(
            self.out.get(mediator, {}).items(), key=lambda kv: _sort_pair(kv[0])
        ):
            if not _stated(graphs) or predicate == RDF.type:
                continue
            if predicate in NAME_PROPERTIES or predicate in PROSE_PROPERTIES:
                continue
            if isinstance(obj, ox.NamedNode) and obj.value == skip:
                continue
            value = self.value(obj)
            why = self.inference(obj.value) if isinstance(obj, ox.NamedNode) else ""
            if why:  # a period the curator inferred says so, with the reason as its hint
                value = Link(value.text, value.href, why, "inferred by the curator")
            rows.append((self.term(predicate), value))
        return tuple(rows[:_MAX_DETAILS])

    def _figure(self, figure: str, graphs: Iterable[str]) -> FigureRow:
        out = self.out.get(figure, {})

        def first(predicate: str) -> Term | None:
            found = sorted((o for (p, o) in out if p == predicate), key=str)
            return found[0] if found else None

        measure = first(CG.measure)
        comparator = first(CG.comparator)
        value = first(CG.value)
        as_of = first(CG.asOf)
        note = first(SKOS.note)
        words = []
        if comparator is not None and not comparator.value.endswith("/exactly"):
            words.append(self.label(comparator.value))
        words.append(format_literal(value) if isinstance(value, ox.Literal) else "?")
        if self.is_a(figure, CG.Forecast):
            words.append("(expected)")
        owner = first(CG.figureOf)
        gap = self.unnamed(owner.value, figure) if isinstance(owner, ox.NamedNode) else ""
        if gap:
            note = ox.Literal(
                (format_literal(note) + " " if isinstance(note, ox.Literal) else "")
                + gap[0].upper()
                + gap[1:]
                + "."
            )
        return FigureRow(
            figure=self.link(figure),
            measure=self.link(measure.value) if measure is not None else Link("value"),
            value=" ".join(words),
            as_of=format_date(as_of) if isinstance(as_of, ox.Literal) else None,
            note=format_literal(note) if isinstance(note, ox.Literal) else "",
            cites=self.cites(graphs),
        )

    def _described_by(self, source: str) -> list[tuple[str, list[Link]]]:
        """Entities typed in the graphs made from the article ``source``, by class."""
        graphs = [g for g, s in self.graph_source.items() if s == source]
        members = {m for g in graphs for m in self.graph_members.get(g, ()) if self.is_entity(m)}
        by_kind: dict[str, list[Link]] = defaultdict(list)
        for member in sorted(members):
            if member != source:
                by_kind[self.kind(member)].append(self.link(member))
        return [
            (kind, sorted(links, key=lambda link: link.text.casefold()))
            for kind, links in sorted(by_kind.items())
        ]

    # -- facets ------------------------------------------------------------------------

    def facets(self, iri: str) -> dict[str, list[str]]:
        """Return the values of ``iri`` for each facet of the Entities page.

        ``kind`` (its most specific class), ``country``, ``sector``, ``level`` (of the
        excellence labels awarded to it), ``by`` (the bodies awarding them),
        ``network`` (the organisations it is a member of, stated or derived) and
        ``source`` (the articles that describe it). Labels, sorted, each once.
        """

        def labels(nodes: Iterable[str]) -> list[str]:
            return sorted({self.label(n) for n in nodes})

        def objects(node: str, predicate: str) -> list[str]:
            return [
                o.value
                for (p, o) in self.out.get(node, {})
                if p == predicate and isinstance(o, ox.NamedNode)
            ]

        awards = [s for s, _g in self._subjects(iri, CG.awardedTo)]
        memberships = [s for s, _g in self._subjects(iri, ORG.member)]
        networks = set(objects(iri, ORG.memberOf))
        networks.update(o for m in memberships for o in objects(m, ORG.organization))
        return {
            "kind": [self.kind(iri)],
            "country": labels(objects(iri, CG.country)),
            "sector": labels(objects(iri, ORG.classification)),
            "level": labels(o for a in awards for o in objects(a, CG.labelLevel)),
            "by": labels(o for a in awards for o in objects(a, CG.awardedBy)),
            "network": labels(networks),
            "source": sorted({link.text for link in self.sources_of(iri)}),
        }

    # -- lists -------------------------------------------------------------------------

    def by_class(self, tiers: Container[int] | None = None) -> list[tuple[str, str, list[Link]]]:
        """Return ``(class label, anchor, entities)`` for every primary class, by label.

        ``tiers``: only the entities of these tiers (:meth:`tier`), e.g. ``(0, 1)`` for
        the things, without the vocabulary terms and the records that hold a fact together.
        """
        groups: dict[str, list[Link]] = defaultdict(list)
        names: dict[str, str] = {}
        for iri in self.entities:
            if tiers is not None and self.tier(iri) not in tiers:
                continue
            if self.canonical(iri) != iri:
                continue  # listed as the entity it is merged into (owl:sameAs)
            cls = self.primary_class(iri)
            key = self.name(cls) if cls else "rdfs:Resource"
            names[key] = self.index.class_label(cls) if cls else "resource"
            groups[key].append(self.link(iri))
        return [
            (names[key], _slug(key), sorted(links, key=lambda link: link.text.casefold()))
            for key, links in sorted(groups.items(), key=lambda kv: names[kv[0]].casefold())
        ]

    def timeline(self) -> list[TimelineEntry]:
        """Return every dated fact of the stated graphs, in order (see :class:`TimelineEntry`)."""
        entries: list[TimelineEntry] = []
        for subject, predicates in self.out.items():
            for (predicate, obj), graphs in predicates.items():
                stated = _stated(graphs)
                if not stated or not isinstance(obj, ox.Literal) or not is_date(obj):
                    continue
                if predicate == CG.inferredDate:
                    continue
                if self.is_time(subject):
                    entries.extend(self._time_entries(subject, obj, stated))
                    continue
                entries.append(self._entry(subject, self.term(predicate).text, obj, stated))
        entries.sort(key=lambda e: (*e.order, e.entity.text.casefold(), e.what, e.entity.title))
        return entries

    def _entry(
        self, subject: str, what: str, date: ox.Literal, graphs: Iterable[str]
    ) -> TimelineEntry:
        inferred = self._first_literal(subject, CG.inferredDate)
        note = self._first_literal(subject, CG.inferenceNote)
        stated = format_date(date)
        entity = self.link(subject)
        kind = self.kind(subject)
        if self.is_a(subject, CG.Figure):
            figure = self._figure(subject, graphs)
            owner = self._first(subject, CG.figureOf)
            if owner is not None:
                entity = self.link(owner)
                kind = self.kind(owner)
            what = f"{figure.measure.text}: {figure.value}"
        return TimelineEntry(
            date=stated,
            entity=entity,
            kind=kind,
            what=what,
            inferred=format_date(inferred)
            if inferred is not None and not stated.year_known
            else None,
            inference_note=format_literal(note) if note is not None else "",
            cites=self.cites(graphs),
        )

    def _time_entries(
        self, instant: str, date: ox.Literal, graphs: set[str]
    ) -> Iterator[TimelineEntry]:
        """Dates of a time instant, told as the beginnings and ends of what uses it."""
        for (interval, edge), _g in sorted(self.into.get(instant, {}).items()):
            word = {TIME.hasBeginning: "begins", TIME.hasEnd: "ends"}.get(edge)
            if word is None:
                continue
            for (user, predicate), user_graphs in sorted(self.into.get(interval, {}).items()):
                stated = _stated(user_graphs)
                if not stated:
                    continue
                what = f"{self.term(predicate).text} {word}"
                # The articles that state the use; those that state the date only if none
                # of them does (an instant many articles share is not cited from each).
                yield self._entry(user, what, date, stated if graphs & stated else graphs | stated)

    def _first_literal(self, iri: str, predicate: str) -> ox.Literal | None:
        found = sorted(
            (o for (p, o) in self.out.get(iri, {}) if p == predicate and isinstance(o, ox.Literal)),
            key=str,
        )
        return found[0] if found else None


def _stated(graphs: Iterable[str]) -> set[str]:
    """Return the stated graphs among ``graphs`` (the derived graphs left out)."""
    return {g for g in graphs if not is_derived_graph(g)}


def _sort_pair(pair: tuple[str, Term]) -> tuple[str, str]:
    return pair[0], str(pair[1])


def _rank(order: tuple[str, ...], name: str, catalogue: Catalogue) -> int:
    """Position of the property called ``name`` (prefixed) in ``order``."""
    names = [catalogue.name(iri) for iri in order]
    return names.index(name) if name in names else len(names)


def _words(iri: str) -> str:
    local = re.split(r"[#/]", iri)[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).lower() or iri


def _anchor(iri: str) -> str:
    """Return the anchor of a ``cg:`` term on the ontology page."""
    return "term-" + iri[len(CG_NS) :] if iri.startswith(CG_NS) else "term-" + _slug(iri)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"
