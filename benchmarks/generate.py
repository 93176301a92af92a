r"""A seeded synthetic cluster ecosystem in the project's own vocabulary, for benchmarks.

Usage::

    python benchmarks/generate.py OUT --triples N [--seed S]

writes a complete project into ``OUT``: ``ontology/``, ``data/vocab/`` and ``queries/``
copied from this repository, and ``data/sources/<stem>.ttl``, one Turtle file per
synthetic article, about :data:`TRIPLES_PER_SOURCE` triples each (``N`` triples make
about ``N / 200`` files; ``N`` may be written ``10k`` or ``1M``). Every ``clustergraph``
command runs on it with ``--root OUT``. ``OUT/benchmark.json`` says what was generated
(the seed, the files, the triples, how many organisations each article reuses, the hubs).

Each article is written as a curator writes a real one (see ``data/sources/``): its graph
node (``graph:<stem> a cg:SourceGraph ; prov:wasDerivedFrom src:<stem>``) and its
``cg:Source``; the organisation it is about (a cluster, an association or a network),
with labels (Lithuanian names keep their diacritics, some have aliases), sectors,
country, founding date, descriptions and aims; and some of: its members
(``cg:Membership`` with a role of ``data/vocab/roles.ttl``), posts (``cg:Post``) held
by people, an excellence label award, a project with its
participants and funding programmes, figures (``cg:Figure``: measure, value, comparator,
date), an event of a series, an agreement and its signatories, a governance body.
Memberships, posts, label awards (their validity) and projects have periods as often, of
the shapes and to the precisions, as the five articles give them (:data:`PERIODS_SEEN`):
since a date, known to include a day, from a date until another, until a date; dates to
the year, the month or the day; most periods unknown.

As real articles do, an article names organisations, people, programmes and events that
earlier articles named (about a third of the organisations it names already exist),
chosen with preferential attachment so that hubs emerge; the seed graph's best-known
organisations (the Lithuanian Clusters Association, MITA, EACN, ...) start as hubs, so
the query library's default parameters name well-connected entities. Whatever a shape
restricts to one value (a person's name, a membership's role, an organisation's country,
an event's date) is fixed when the entity is first made and repeated as it is by every
article that names it again; every article types and labels each entity it names, so
each source graph is valid on its own together with the ontology and the vocabularies.

A made-up name (of a company, a cluster, a network, an institute, a person, a project)
that the check for probable duplicates would pair with an earlier entity's is drawn
again; what still looks like an earlier name (a namesake, or a name made of others: a
working group, an announcement) says ``cg:distinctFrom`` the earlier entities, with a
``skos:editorialNote``, as a curator would. So every check of the library returns no rows;
:class:`Names` compares names as the check does, with its thresholds.

The output depends only on the seed and ``N`` (and those thresholds): the same arguments
write the same bytes.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     summary = generate(Path(tmp) / "eco", triples=2_000, seed=7)
...     names = sorted(p.name for p in (Path(tmp) / "eco/data/sources").iterdir())
>>> summary.sources, len(names), names[0]
(10, 10, 'article-00001.ttl')
>>> 150 * summary.sources < summary.source_triples < 250 * summary.sources
True
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rapidfuzz import fuzz, process

from clustergraph.pipeline.curation_checks import (  # what the check counts as alike
    _SHORTEST,
    _SHORTEST_ALIAS,
    NEAR,
    NEAR_EDITS,
)
from clustergraph.queries.names import compare_key, markers, same_keys

__all__ = [
    "GENERATOR_VERSION",
    "TRIPLES_PER_SOURCE",
    "Names",
    "Summary",
    "edit_source",
    "generate",
    "parse_count",
    "sources_digest",
]

GENERATOR_VERSION = f"6 (near {NEAR:g}, {NEAR_EDITS} edits, compare keys)"
"""Changes whenever the same seed would write different files (cache key), as it does when
the thresholds of the check for probable duplicates change (see :class:`Names`)."""

TRIPLES_PER_SOURCE = 200
"""About how many triples one synthetic article holds."""

REPO = Path(__file__).resolve().parents[1]
"""The repository whose ontology, vocabularies and queries are copied."""

REUSE = 0.3
"""Chance that an organisation slot of an article names an organisation that exists."""

PERSON_REUSE = 0.2
"""Chance that a person an article names exists already."""

RESTATE = 0.3
"""Chance that an article naming an entity again restates its details (see :class:`Keyed`)."""

DETAILS = frozenset(
    {
        "org:memberDuring", "cg:grantsRight", "cg:withholdsRight", "cg:selectionMethod",
        "cg:heldDuring", "cg:awardedBy", "cg:date", "cg:inferredDate", "cg:inferenceNote",
        "cg:isRenewal", "cg:validDuring", "cg:period", "schema:organizer", "schema:location",
        "dcterms:title", "cg:coordinatedBy", "org:classification",
    }
)  # fmt: skip
"""Predicates of details: an article that names an entity again may leave them out."""

PERIODS_SEEN = (45, 8)
"""The periods of the five articles (``data/sources/``), counted: of 45 records that may
carry one (16 memberships, 12 posts, 11 label awards, 2 projects, 4 funding programmes),
8 do: 2 posts since a day, 4 posts known only to be held on a day (``time:inside``), 2
programmes from a year until a year; their 10 instants are 4 years and 6 days. The others
leave their period unknown."""

SHAPES_SEEN = {"since": 2, "held on a day": 4, "from and until": 2, "until": 0}
"""The shapes of those 8 periods."""

PRECISION_SEEN = {"year": 4, "month": 0, "day": 6}
"""The precision of their 10 dates."""


def _smoothed(counts: Mapping[str, int]) -> dict[str, float]:
    """Return shares from counts with one added to each.

    So a kind the five articles lack still occurs, rarely: a small sample's zero is not a
    rule (the five articles name 16 memberships, none with a period; the issue's own
    cases are memberships that begin and end).
    """
    total = sum(counts.values()) + len(counts)
    return {name: (n + 1) / total for name, n in counts.items()}


PERIOD_SHARE = (PERIODS_SEEN[1] + 1) / (PERIODS_SEEN[0] + 2)
"""Chance that a membership, post, label award (its validity) or project has a period:
the share the five articles show, smoothed (about 19 %)."""

PERIOD_SHAPES = _smoothed(SHAPES_SEEN)
"""The shapes of a period, as the five articles give them, smoothed: since a date, known
to include a day, from a date until another, until a date."""

PERIOD_PRECISION = _smoothed(PRECISION_SEEN)
"""The precision of a period's dates (year, month, day), as the five articles give them,
smoothed."""

TRIES = 12
"""How many times a made-up name that looks like one given before is drawn again (see
:class:`Names`); the last draw is kept, and said to be distinct from its look-alikes."""

NAMESAKE = "A namesake, not the same."
ALIKE = "Named alike, not the same."
"""The editorial notes beside ``cg:distinctFrom``: same names, and names nearly the same."""

FIRST_SUBJECTS = ("lca", "lcn", "eacn", "ftd-lt", "laugea", "smart-food-cluster")
"""What the first articles are about: the seed graph's hubs."""

_KINDS = {"o": "org", "per": "person", "proj": "project", "prog": "programme", "ev": "event",
          "doc": "document"}  # fmt: skip
"""The kinds of entity (``clustergraph.queries.reconcile.kind_of``) the duplicate check
compares, by prefix."""

_DESCRIBED = ("o:", "per:", "t:", "place:", "mem:", "post:", "award:", "proj:", "prog:", "ev:")

PREFIXES = (
    ("cg", "https://w3id.org/clustergraph/ontology#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("org", "http://www.w3.org/ns/org#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("rov", "http://www.w3.org/ns/regorg#"),
    ("schema", "https://schema.org/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("time", "http://www.w3.org/2006/time#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("graph", "https://w3id.org/clustergraph/graph/source/"),
    ("src", "https://w3id.org/clustergraph/id/source/"),
    ("o", "https://w3id.org/clustergraph/id/org/"),
    ("per", "https://w3id.org/clustergraph/id/person/"),
    ("mem", "https://w3id.org/clustergraph/id/membership/"),
    ("post", "https://w3id.org/clustergraph/id/post/"),
    ("award", "https://w3id.org/clustergraph/id/award/"),
    ("proj", "https://w3id.org/clustergraph/id/project/"),
    ("prog", "https://w3id.org/clustergraph/id/programme/"),
    ("ev", "https://w3id.org/clustergraph/id/event/"),
    ("fig", "https://w3id.org/clustergraph/id/figure/"),
    ("t", "https://w3id.org/clustergraph/id/time/"),
    ("role", "https://w3id.org/clustergraph/id/role/"),
    ("right", "https://w3id.org/clustergraph/id/right/"),
    ("level", "https://w3id.org/clustergraph/id/label-level/"),
    ("lf", "https://w3id.org/clustergraph/id/legal-form/"),
    ("sector", "https://w3id.org/clustergraph/id/sector/"),
    ("country", "https://w3id.org/clustergraph/id/country/"),
    ("measure", "https://w3id.org/clustergraph/id/measure/"),
    ("cmp", "https://w3id.org/clustergraph/id/comparator/"),
    ("freq", "https://w3id.org/clustergraph/id/frequency/"),
    ("doc", "https://w3id.org/clustergraph/id/document/"),
    ("place", "https://w3id.org/clustergraph/id/place/"),
    ("sel", "https://w3id.org/clustergraph/id/selection/"),
)

_HEADER = "".join(f"@prefix {name + ':':<9}<{iri}> .\n" for name, iri in PREFIXES)

# ---------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------

# sector of data/vocab/sectors.ttl -> words that name a cluster of it
SECTORS: dict[str, tuple[str, ...]] = {
    "ict": ("ICT", "Digital", "Smart Technologies", "Software"),
    "fintech": ("Fintech", "Digital Finance"),
    "creative-industries": ("Film", "Design", "Creative", "Games"),
    "manufacturing-engineering": ("Laser", "Engineering", "Plastics", "Metalworking", "Robotics"),
    "agrifood": ("Food", "Dairy", "Grain", "Organic Food", "Bakery"),
    "digital-food-technologies": ("Food Tech", "Smart Food"),
    "energy-construction": ("Prefab", "Construction", "Timber Building"),
    "energy-environment": ("Green Energy", "Cleantech", "Bioenergy", "Circular Economy"),
    "transport": ("Logistics", "Transport", "Rail"),
    "automotive": ("Automotive", "Auto Parts"),
    "mobility": ("Mobility", "E-mobility"),
    "health": ("Health", "Biotech", "Medtech", "Life Sciences"),
    "tourism": ("Tourism", "Health Tourism"),
}
SECTOR_NAMES = tuple(SECTORS)

REGIONS = (
    "Baltic", "Nordic", "Vilnius", "Kaunas", "Klaipėda", "Šiauliai", "Panevėžys", "Alytus",
    "Žemaitija", "Aukštaitija", "Dzūkija", "Suvalkija", "Nemunas", "Neris", "Lithuanian",
)  # fmt: skip

# place slug -> (English name, Lithuanian name or None, country)
PLACES: dict[str, tuple[str, str | None, str]] = {
    "vilnius": ("Vilnius", None, "lt"),
    "kaunas": ("Kaunas", None, "lt"),
    "klaipeda": ("Klaipėda", None, "lt"),
    "siauliai": ("Šiauliai", None, "lt"),
    "panevezys": ("Panevėžys", None, "lt"),
    "alytus": ("Alytus", None, "lt"),
    "warsaw": ("Warsaw", "Varšuva", "pl"),
    "krakow": ("Kraków", "Krokuva", "pl"),
    "lyon": ("Lyon", "Lionas", "fr"),
    "paris": ("Paris", "Paryžius", "fr"),
    "bucharest": ("Bucharest", "Bukareštas", "ro"),
    "budapest": ("Budapest", "Budapeštas", "hu"),
    "brno": ("Brno", None, "cz"),
    "bratislava": ("Bratislava", None, "sk"),
    "barcelona": ("Barcelona", "Barselona", "es"),
    "sofia": ("Sofia", "Sofija", "bg"),
}
PLACE_NAMES = tuple(PLACES)
FOREIGN = ("fr", "pl", "ro", "bg", "hu", "cz", "sk", "es")

WORDS_A = (
    "Baltijos", "Šiaurės", "Žalioji", "Išmanūs", "Naujoji", "Rytų", "Vakarų", "Gintarinė",
    "Ąžuolo", "Saulės", "Jūros", "Miško", "Dzūkijos", "Nemuno", "Žemaitijos", "Vilniaus",
    "Kauno", "Klaipėdos", "Aukštaitijos", "Senoji",
)  # fmt: skip
WORDS_B = (
    "mediena", "technologijos", "sprendimai", "gamyba", "inžinerija", "energija", "duona",
    "pienas", "sistemos", "projektai", "statyba", "logistika", "elektronika", "robotika",
    "lazeriai", "baldai", "tekstilė", "maistas", "vaistai", "dizainas",
)  # fmt: skip
SYLLABLES = (
    "ter", "mo", "snai", "gė", "ak", "so", "nas", "vi", "ta", "lu", "mi", "dro", "ne", "as",
    "tra", "au", "me", "ga", "kor", "lit", "ra", "žu", "vė", "ja", "šil", "to", "bal", "ti",
    "nor", "da", "ke", "pro", "lin", "ėja", "ro", "ma",
)  # fmt: skip
LEGAL_FORMS = (("uab", "UAB"), ("uab", "UAB"), ("uab", "UAB"), ("ab", "AB"), ("mb", "MB"))

GIVEN_MALE = (
    "Jonas", "Tomas", "Mindaugas", "Andrius", "Darius", "Vytautas", "Kęstutis", "Gintaras",
    "Rimantas", "Algirdas", "Žygimantas", "Šarūnas", "Saulius", "Linas", "Marius", "Paulius",
    "Justinas", "Giedrius", "Arūnas", "Audrius", "Laurynas", "Dainius", "Ričardas", "Egidijus",
)  # fmt: skip
GIVEN_FEMALE = (
    "Rūta", "Jurgita", "Aistė", "Eglė", "Ieva", "Gintarė", "Agnė", "Neringa", "Živilė",
    "Dalia", "Asta", "Irmina", "Algimanta", "Inga", "Laura", "Vaida", "Rasa", "Kristina",
    "Birutė", "Dovilė", "Skaistė", "Greta", "Milda", "Aušra",
)  # fmt: skip
SURNAMES = (
    "Petrauskas", "Kazlauskas", "Jankauskas", "Žukauskas", "Butkus", "Paulauskas",
    "Vasiliauskas", "Stankevičius", "Navickas", "Urbonas", "Kavaliauskas", "Šetkus",
    "Bagdonas", "Balčiūnas", "Grigas", "Mažeika", "Rimkus", "Sakalauskas", "Adomaitis",
    "Valaitis", "Šimkus", "Čepulis", "Jurgaitis", "Ramanauskas", "Barauskas", "Žemaitis",
    "Kučinskas", "Lukošius", "Daukša", "Gudaitis", "Pocius", "Vaitkus", "Šeštokas",
    "Tamošiūnas", "Kairys", "Norkus", "Marcinkevičius", "Bernotas", "Liutkus", "Juška",
)  # fmt: skip
FOREIGN_PEOPLE = (
    ("Bruno", "Grandjean", "fr"), ("Claire", "Dubois", "fr"), ("Julien", "Moreau", "fr"),
    ("Krzysztof", "Nowak", "pl"), ("Agnieszka", "Wiśniewska", "pl"), ("Piotr", "Wójcik", "pl"),
    ("Ana", "Popescu", "ro"), ("Zsófia", "Kovács", "hu"), ("Jiří", "Dvořák", "cs"),
    ("Lucía", "García", "es"), ("Ivana", "Horváthová", "sk"), ("Georgi", "Ivanov", "bg"),
)  # fmt: skip

RESEARCH = (
    ("ktu", "Kaunas University of Technology", "KTU"),
    ("vu", "Vilnius University", "VU"),
    ("lei", "Lithuanian Energy Institute", "LEI"),
    ("ftmc", "Center for Physical Sciences and Technology", "FTMC"),
    ("vmu", "Vytautas Magnus University", "VMU"),
    ("ku", "Klaipėda University", "KU"),
    ("vilnius-tech", "Vilnius Gediminas Technical University", "VILNIUS TECH"),
    ("lammc", "Lithuanian Research Centre for Agriculture and Forestry", "LAMMC"),
    ("lsmu", "Lithuanian University of Health Sciences", "LSMU"),
    ("sauliai-state-college", "Šiauliai State College", None),
)
PUBLIC = (
    ("invest-lithuania", "cg:Agency", "Invest Lithuania", None),
    ("enterprise-lithuania", "cg:Agency", "Enterprise Lithuania", None),
    ("lvpa", "cg:Agency", "Lithuanian Business Support Agency", "LVPA"),
    ("ministry-agriculture", "cg:Ministry", "Ministry of Agriculture of the Republic of Lithuania",
     "Ministry of Agriculture"),
    ("kaunas-municipality", "cg:PublicInstitution", "Kaunas City Municipality", None),
    ("klaipeda-science-park", "cg:PublicInstitution", "Klaipėda Science and Technology Park", None),
)  # fmt: skip
PROGRAMMES = (
    ("european-fund-for-regional-development", "European Fund for Regional Development", None),
    ("eu-structural-funds", "EU structural funds", None),
    ("eu-funds-progress-facility-2021-2027",
     "Progress Facility of the European Union Funds 2021–2027", (2021, 2027)),
    ("development-programme-2022-2030", "Development Programme 2022–2030", (2022, 2030)),
    ("horizon-europe", "Horizon Europe", (2021, 2027)),
    ("interreg-baltic-sea-region", "Interreg Baltic Sea Region", (2021, 2027)),
    ("cosme", "COSME", (2014, 2020)),
    ("inostartas", "Inostartas", None),
    ("eurostars", "Eurostars", None),
    ("digital-europe", "Digital Europe Programme", (2021, 2027)),
    ("single-market-programme", "Single Market Programme", (2021, 2027)),
    ("clusters-go-international", "Clusters Go International", None),
)  # fmt: skip
SERIES = (
    ("cluster-forum", "Cluster Forum", "cg:Forum", "lca"),
    ("baltic-cluster-days", "Baltic Cluster Days", "cg:Conference", "lcn"),
    ("innovation-fair", "Innovation Fair", "cg:Forum", "mita"),
    ("eacn-annual-meeting", "EACN Annual Meeting", "cg:Conference", "eacn"),
    ("food-tech-summit", "Food Tech Summit", "cg:Conference", None),
    ("green-industry-days", "Green Industry Days", "cg:Forum", None),
)
# measures of data/vocab/measures.ttl that a cluster's article states
CLUSTER_MEASURES = (
    "member-count", "member-company-count", "member-research-institution-count", "sme-count",
    "employee-count", "national-project-count", "event-participation-count",
    "international-meeting-count", "country-count",
)  # fmt: skip
NETWORK_MEASURES = ("member-cluster-count", "member-count", "sme-count", "country-count")

DESCRIPTIONS = (
    "Brings together companies, research institutions and public bodies of its field.",
    "Helps its members find partners abroad and take part in international fairs.",
    "Runs joint research and development with its members' laboratories.",
    "Trains its members' staff and organises study visits.",
    "Speaks for its members before ministries and municipalities.",
    "Grew out of an informal network of companies that had worked together for years.",
    "Carries out national and international projects that fund part of its work.",
    "Shares equipment and testing facilities among its members.",
)
AIMS = (
    "Export and a wider international presence.",
    "More joint products and services of its members.",
    "A stronger innovation culture among small and medium-sized enterprises.",
    "Closer ties between companies and research institutions.",
    "Greener and more digital production.",
    "Skilled people for the region's industry.",
)
ACTIVITIES = (
    "Organises business missions and matchmaking events.",
    "Prepares joint applications for EU-funded projects.",
    "Keeps its members informed about funding and markets.",
    "Runs working groups on the members' common questions.",
    "Represents its members in cluster networks abroad.",
)
NOTES = (
    "The article does not say when this was stated.",
    "As the article reports it.",
    "Stated by the organisation itself.",
    "The article rounds the number.",
)


def slugify(text: str) -> str:
    """Return ``text`` as a slug: lower-case ASCII words joined by hyphens.

    Examples
    --------
    >>> slugify("MB Išmanūs inžineriniai sprendimai")
    'mb-ismanus-inzineriniai-sprendimai'
    >>> slugify("Klaipėda University")
    'klaipeda-university'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _typed(text: str, datatype: str) -> str:
    return f'"{text}"^^xsd:{datatype}'


def _date_type(text: str) -> str:
    """Return the XSD datatype of a date written with the precision the source gives."""
    if text.startswith("--"):
        return "gMonthDay" if len(text) == 7 else "gMonth"
    return {4: "gYear", 7: "gYearMonth"}.get(len(text), "date")


def _date(text: str) -> str:
    return _typed(text, _date_type(text))


def _female(surname: str, married: bool) -> str:
    """Return the feminine form of a Lithuanian surname (married or maiden)."""
    for ending, wife, daughter in (
        ("ius", "ienė", "iūtė"),
        ("as", "ienė", "aitė"),
        ("us", "ienė", "ūtė"),
        ("is", "ienė", "ytė"),
        ("a", "ienė", "aitė"),
    ):
        if surname.endswith(ending):
            return surname[: -len(ending)] + (wife if married else daughter)
    return surname


def _org_names(
    labels: Iterable[tuple[str, str]], aliases: Iterable[tuple[str, str]] = ()
) -> list[tuple[str, bool]]:
    """Return an organisation's names as ``(text, preferred)``: its labels, then its aliases."""
    texts = [text for text, _lang in labels]
    return [(t, True) for t in texts] + [(t, t in texts) for t, _lang in aliases]


# ---------------------------------------------------------------------------
# Entities: what is fixed when an entity is first made
# ---------------------------------------------------------------------------


@dataclass
class Org:
    """An organisation as first made: what every article that names it repeats."""

    slug: str
    kind: str
    classes: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]
    country: str | None = None
    founded: str | None = None
    legal: tuple[str, str] | None = None  # (legal name, legal form slug)
    aliases: tuple[tuple[str, str], ...] = ()
    sectors: tuple[str, ...] = ()
    coordinator: str | None = None
    unit_of: str | None = None

    @property
    def name(self) -> str:
        """The first preferred label."""
        return self.labels[0][0]


@dataclass
class Person:
    """A person as first made: the name as the sources spell it."""

    slug: str
    given: str
    family: str
    lang: str

    @property
    def name(self) -> str:
        """The full name."""
        return f"{self.given} {self.family}"


@dataclass
class Keyed:
    """A membership, post, award, project, event or programme: its fixed statements.

    The statements whose predicate is in :data:`DETAILS` are details: the first article
    that names the entity states them, a later one only sometimes (:data:`RESTATE`).
    """

    slug: str
    statements: tuple[tuple[str, str], ...]
    stated: bool = False


T = TypeVar("T")
_Cluster = tuple[str, str, tuple[str, ...], tuple[tuple[str, str], ...]]


class Names:
    """The names given so far, compared as ``checks/probable-duplicates`` compares them.

    The check (:mod:`clustergraph.pipeline.curation_checks`) pairs two entities of one
    kind when a name of each, as a compare key (:func:`clustergraph.queries.names.compare_key`),
    starts with the same word, holds the same numbers and ordinals, scores at least ``NEAR``
    (rapidfuzz ``ratio``) and is the same name by
    :func:`~clustergraph.queries.names.same_keys` (keys shorter than ``_SHORTEST``, aliases
    shorter than
    ``_SHORTEST_ALIAS``, left out), unless the two are said to be ``cg:distinctFrom``.
    The generator asks before it gives a name: a made-up name that looks like one given
    before is drawn again, and what still looks like an earlier name (a namesake, or a
    name made of others: a working group, an announcement) is said to be distinct.

    Only the names of one block, and of a length that can score ``NEAR``, are compared.

    Examples
    --------
    >>> names = Names()
    >>> keys = names.keys([("Vilnius Institute of Dairy Research", True), ("VIDR", False)])
    >>> keys
    ['vilnius institute of dairy research']
    >>> names.add("org", "o:dairy", keys)
    >>> names.near("org", names.keys([("Vilnius Institute of Bakery Research", True)]))
    {'o:dairy': False}
    >>> names.near("org", keys), names.near("person", keys)
    ({'o:dairy': True}, {})
    >>> names.near("org", names.keys([("Vilnius Institute of Laser Research", True)]))
    {}
    """

    def __init__(self) -> None:
        # (kind, first word, numbers) -> key length -> keys
        self._blocks: dict[tuple[str, str, tuple[str, ...]], dict[int, list[str]]] = {}
        # (kind, key) -> the entities that have it; and the other keys the check pairs it with
        self._owners: dict[tuple[str, str], list[str]] = {}
        self._alike: dict[tuple[str, str], list[str]] = {}
        self._scanned: dict[tuple[str, str], list[str]] = {}  # keys not recorded, till one is
        self._keys: dict[str, str] = {}  # name -> search key (names recur)

    def keys(self, names: Iterable[tuple[str, bool]]) -> list[str]:
        """Return the keys the check compares of ``names``, ``(text, preferred)`` pairs."""
        keys = []
        for text, preferred in names:
            key = self._keys.get(text)
            if key is None:
                key = self._keys[text] = compare_key(text)
            if len(key) >= _SHORTEST and (preferred or len(key) >= _SHORTEST_ALIAS):
                keys.append(key)
        return list(dict.fromkeys(keys))

    @staticmethod
    def _block(kind: str, key: str) -> tuple[str, str, tuple[str, ...]]:
        return kind, key.split(" ", 1)[0], markers(key)

    def _others(self, kind: str, key: str) -> list[str]:
        """Return the keys recorded, ``key`` left out, that the check pairs with ``key``."""
        known = self._alike.get((kind, key))
        if known is None:
            known = self._scanned.get((kind, key))
        if known is not None:
            return known
        found: list[str] = []
        block = self._blocks.get(self._block(kind, key), {})
        size = len(key)
        for length in range(size - NEAR_EDITS, size + NEAR_EDITS + 1):
            bucket = block.get(length)
            # ratio is 100 * (1 - d / (size + length)), d the Indel distance: at least the
            # difference of the lengths, and as odd or even as it (so 2 for one length).
            least = abs(length - size) or 2
            if not bucket or least * 100 > (100 - NEAR) * (size + length):
                continue
            for other, score, _i in process.extract(
                key, bucket, scorer=fuzz.ratio, score_cutoff=NEAR, limit=None
            ):
                if other != key and same_keys(key, other, ratio=score):
                    found.append(other)
        self._scanned[(kind, key)] = found
        return found

    def near(self, kind: str, keys: Sequence[str]) -> dict[str, bool]:
        """Return the entities of ``kind`` the check would pair with a name of ``keys``.

        Each maps to whether it has one of the names itself (a namesake).
        """
        found: dict[str, bool] = {}
        for key in keys:
            for other in self._others(kind, key):
                for entity in self._owners[(kind, other)]:
                    found.setdefault(entity, False)
            for entity in self._owners.get((kind, key), ()):
                found[entity] = True
        return found

    def add(self, kind: str, entity: str, keys: Sequence[str]) -> None:
        """Record the names (``keys``) of ``entity``."""
        for key in keys:
            owners = self._owners.get((kind, key))
            if owners is None:
                others = self._others(kind, key)
                self._alike[(kind, key)] = list(others)
                for other in others:
                    self._alike[(kind, other)].append(key)
                owners = self._owners[(kind, key)] = []
                block = self._blocks.setdefault(self._block(kind, key), {})
                block.setdefault(len(key), []).append(key)
                self._scanned.clear()
            if entity not in owners:
                owners.append(entity)


@dataclass
class Summary:
    """What :func:`generate` wrote.

    Attributes
    ----------
    root
        The project directory.
    seed
        The seed.
    requested
        The triples asked for.
    sources
        Source files written.
    source_triples
        Triples in the source files (each counted once per file).
    org_mentions, org_reused
        Organisations named by the articles (once per article), and how many of those an
        earlier article had named.
    organisations, people
        Distinct organisations and people.
    hubs
        The most named organisations: ``(curie, articles naming it)``, most first.
    sources_sha256
        One SHA-256 over the source files' names and bytes (:func:`sources_digest`).
    seconds
        How long it took.
    """

    root: Path
    seed: int
    requested: int
    sources: int = 0
    source_triples: int = 0
    org_mentions: int = 0
    org_reused: int = 0
    organisations: int = 0
    people: int = 0
    hubs: tuple[tuple[str, int], ...] = ()
    sources_sha256: str = ""
    seconds: float = 0.0

    @property
    def reuse_share(self) -> float:
        """Share of the organisations an article names that an earlier one named."""
        return self.org_reused / self.org_mentions if self.org_mentions else 0.0

    def as_json(self) -> dict[str, object]:
        """Return what ``benchmark.json`` records (no times: the file is reproducible)."""
        return {
            "generator": GENERATOR_VERSION,
            "seed": self.seed,
            "requested_triples": self.requested,
            "sources": self.sources,
            "source_triples": self.source_triples,
            "organisations": self.organisations,
            "people": self.people,
            "org_mentions": self.org_mentions,
            "org_reused": self.org_reused,
            "reuse_share": round(self.reuse_share, 4),
            "hubs": [list(h) for h in self.hubs],
            "sources_sha256": self.sources_sha256,
        }


# ---------------------------------------------------------------------------
# One article
# ---------------------------------------------------------------------------


@dataclass
class Article:
    """The triples of one source file, grouped by subject in the order they were added."""

    stem: str
    number: int
    blocks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    seen: set[tuple[str, str, str]] = field(default_factory=set)
    described: set[str] = field(default_factory=set)

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Add one triple (a repeated one is kept once)."""
        key = (subject, predicate, obj)
        if key in self.seen:
            return
        self.seen.add(key)
        self.blocks.setdefault(subject, []).append((predicate, obj))

    def first(self, curie: str) -> bool:
        """Return whether ``curie`` is described here for the first time (and mark it)."""
        if curie in self.described:
            return False
        self.described.add(curie)
        return True

    @property
    def triples(self) -> int:
        """How many triples the article holds."""
        return len(self.seen)

    def turtle(self, comment: str) -> str:
        """Return the article as Turtle."""
        parts = [_HEADER, f"\n# {comment}\n"]
        for subject, pairs in self.blocks.items():
            lines: list[str] = []
            last = ""
            for predicate, obj in pairs:
                if predicate == last:
                    lines[-1] += f" , {obj}"
                else:
                    lines.append(f"{predicate} {obj}")
                    last = predicate
            body = " ;\n    ".join(lines)
            parts.append(f"\n{subject} {body} .\n")
        return "".join(parts)


class Ecosystem:
    """The entities made so far and the random choices: writes one article at a time."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.orgs: dict[str, Org] = {}
        self.people: dict[str, Person] = {}
        self.keyed: dict[str, Keyed] = {}
        # kind -> slugs, one entry per mention (preferential attachment) and one per entity
        self.mentions: dict[str, list[str]] = {}
        self.pool: dict[str, list[str]] = {}
        self.person_mentions: list[str] = []
        self.org_sources: dict[str, int] = {}
        self.org_mentions = 0
        self.org_reused = 0
        self.projects: list[str] = []
        self.names = Names()
        # entity -> the look-alikes named before it, and the note that says why they differ
        self.distinct: dict[str, tuple[tuple[str, ...], str]] = {}
        # per registry, slug -> the least N for which slug-N may be free
        self._suffixes: dict[int, dict[str, int]] = {}
        self._seed_hubs()

    # -- making entities ------------------------------------------------------

    def _draw(
        self,
        kind: str,
        draw: Callable[[], tuple[T, Sequence[tuple[str, bool]]]],
        *,
        namesakes: bool = True,
    ) -> tuple[T, dict[str, bool]]:
        """Draw a made-up entity's names until no earlier entity looks like it.

        That is, until the duplicate check would pair it with no entity named before, or
        only with namesakes (the very same name) if ``namesakes``; at most :data:`TRIES`
        times. ``draw`` returns what was drawn and its ``(name, preferred)`` pairs.

        Returns what was drawn and its look-alikes (:meth:`Names.near`, for :meth:`_named`).
        """
        for _ in range(TRIES):
            drawn, names = draw()
            alike = self.names.near(kind, self.names.keys(names))
            if all(alike.values()) and (namesakes or not alike):
                break
        return drawn, alike

    def _named(
        self, kind: str, curie: str, keys: Sequence[str], alike: Mapping[str, bool] | None = None
    ) -> None:
        """Record the names (``keys``) of a new entity, and say what it is not.

        If the duplicate check would pair it with entities named before (``alike``, else
        looked up), its articles say it is none of them, as a curator would
        (``cg:distinctFrom`` with a note), so the check is silent.
        """
        if alike is None:
            alike = self.names.near(kind, keys)
        self.names.add(kind, curie, keys)
        if alike:
            note = NAMESAKE if all(alike.values()) else ALIKE
            self.distinct[curie] = (tuple(sorted(alike)), note)

    def _name_org(self, org: Org, alike: Mapping[str, bool] | None = None) -> None:
        keys = self.names.keys(_org_names(org.labels, org.aliases))
        self._named("org", f"o:{org.slug}", keys, alike)

    def _register(self, org: Org, weight: int = 1, alike: Mapping[str, bool] | None = None) -> Org:
        self.orgs[org.slug] = org
        self.pool.setdefault(org.kind, []).append(org.slug)
        self.mentions.setdefault(org.kind, []).extend([org.slug] * weight)
        self._name_org(org, alike)
        return org

    def _unique(self, registry: Mapping[str, object], slug: str) -> str:
        """Return ``slug``, or if it is taken ``slug-N`` with the least N that is not."""
        if slug not in registry:
            return slug
        counters = self._suffixes.setdefault(id(registry), {})
        n = counters.get(slug, 2)
        while f"{slug}-{n}" in registry:
            n += 1
        counters[slug] = n + 1
        return f"{slug}-{n}"

    def _seed_hubs(self) -> None:
        """Start with the seed graph's best-known organisations, as hubs."""
        lt = "lt"
        hubs = (
            Org(
                "lca",
                "network",
                ("cg:Association", "cg:ClusterNetwork"),
                (("Lithuanian Clusters Association", "en"),),
                lt,
                "2014",
                aliases=(("LCA", "en"), ("Lithuanian Clusters' Association", "en")),
                sectors=("ict", "agrifood", "health", "transport"),
            ),
            Org(
                "lcn",
                "network",
                ("cg:ClusterNetwork", "cg:Association"),
                (("Lithuanian Cluster Network", "en"),),
                lt,
                "2020-05-27",
                sectors=("ict", "fintech", "manufacturing-engineering"),
            ),
            Org(
                "eacn",
                "network",
                ("cg:ClusterNetwork",),
                (("European Automotive Cluster Network", "en"),),
                None,
                "2017",
                aliases=(("EACN", "en"),),
                sectors=("automotive", "transport", "mobility"),
            ),
            Org(
                "european-cluster-alliance",
                "network",
                ("cg:ClusterAlliance",),
                (("European Cluster Alliance", "en"),),
            ),
            Org(
                "ftd-lt",
                "cluster",
                ("cg:Cluster",),
                (("FTD LT", "en"),),
                lt,
                aliases=(("FTD LT cluster", "en"),),
                sectors=("digital-food-technologies",),
            ),
            Org(
                "laugea",
                "cluster",
                ("cg:Cluster", "cg:Association"),
                (("Lithuanian Automotive Export Association", "en"),),
                lt,
                "2014",
                aliases=(("LAuGEA", "en"),),
                sectors=("automotive",),
            ),
            Org(
                "smart-food-cluster",
                "cluster",
                ("cg:Cluster",),
                (("Smart Food Cluster", "en"),),
                lt,
                sectors=("agrifood",),
            ),
            Org(
                "mita",
                "public",
                ("cg:Agency",),
                (("Agency for Science, Innovation and Technology", "en"),),
                lt,
                aliases=(("MITA", "en"),),
            ),
            Org(
                "ministry-economy-innovation",
                "public",
                ("cg:Ministry",),
                (("Ministry of Economy and Innovation of the Republic of Lithuania", "en"),),
                lt,
                aliases=(("Ministry of Economy and Innovation", "en"),),
            ),
            Org(
                "seimas",
                "public",
                ("cg:Parliament",),
                (("Seimas of the Republic of Lithuania", "en"),),
                lt,
                aliases=(("Seimas", "lt"),),
            ),
            Org(
                "european-commission",
                "public",
                ("cg:EUInstitution",),
                (("European Commission", "en"),),
            ),
            Org(
                "lic",
                "public",
                ("org:FormalOrganization",),
                (("Lithuanian Innovation Centre", "en"),),
                lt,
                aliases=(("LIC", "en"),),
            ),
            Org(
                "esca",
                "awarder",
                ("org:FormalOrganization",),
                (("European Secretariat for Cluster Analysis", "en"),),
                aliases=(("ESCA", "en"),),
            ),
            Org(
                "eccp",
                "platform",
                ("cg:Platform",),
                (("European Cluster Collaboration Platform", "en"),),
                aliases=(("ECCP", "en"),),
            ),
        )
        weights = {"lca": 12, "lcn": 8, "mita": 10, "eacn": 6, "ftd-lt": 4, "laugea": 4}
        for org in hubs:
            self._register(org, weights.get(org.slug, 2))
        for slug, name, acronym in RESEARCH:
            aliases = ((acronym, "en"),) if acronym else ()
            self._register(
                Org(
                    slug,
                    "research",
                    ("cg:ResearchInstitution",),
                    ((name, "en"),),
                    "lt",
                    aliases=aliases,
                )
            )
        for slug, cls, name, alias in PUBLIC:
            aliases = ((alias, "en"),) if alias else ()
            self._register(Org(slug, "public", (cls,), ((name, "en"),), "lt", aliases=aliases))
        bagusinskas = Person("giedrius-bagusinskas", "Giedrius", "Bagušinskas", "lt")
        self.people[bagusinskas.slug] = bagusinskas
        self._named(
            "person", f"per:{bagusinskas.slug}", self.names.keys([(bagusinskas.name, True)])
        )
        self.person_mentions.extend([bagusinskas.slug] * 5)

    def _brand(self) -> str:
        rng = self.rng
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        return word[0].upper() + word[1:]

    def new_company(self) -> Org:
        """Make a company with a Lithuanian name and legal form."""
        rng = self.rng

        def draw() -> tuple[tuple[str, str, str], list[tuple[str, bool]]]:
            form, abbreviation = rng.choice(LEGAL_FORMS)
            if rng.random() < 0.5:
                legal = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)}"
            else:
                legal = self._brand() + rng.choice(("", "", " LT", " ir ko", " Baltic", " group"))
            label = f"{abbreviation} {legal}"
            return (form, legal, label), [(label, True)]

        (form, legal, label), alike = self._draw("org", draw)
        slug = self._unique(self.orgs, slugify(legal))
        return self._register(
            Org(
                slug,
                "company",
                ("cg:Company",),
                ((label, "lt"),),
                "lt",
                legal=(legal, form),
                sectors=(rng.choice(SECTOR_NAMES),),
            ),
            alike=alike,
        )

    def new_cluster(self) -> Org:
        """Make a cluster of a region and a sector."""
        rng = self.rng

        def draw() -> tuple[_Cluster, list[tuple[str, bool]]]:
            sector = rng.choice(SECTOR_NAMES)
            word = rng.choice(SECTORS[sector])
            if rng.random() < 0.2:
                name = self._brand() + rng.choice(("", " LT", "Tech"))
                classes: tuple[str, ...] = ("cg:Cluster",)
            else:
                name = f"{rng.choice(REGIONS)} {word} Cluster"
                classes = (
                    ("cg:Cluster", "cg:Association") if rng.random() < 0.15 else ("cg:Cluster",)
                )
            words = [w for w in re.split(r"[\s-]+", name) if w and w[0].isupper()]
            aliases: tuple[tuple[str, str], ...] = ()
            if len(words) >= 3:
                aliases = (("".join(w[0] for w in words).upper(), "en"),)
            if rng.random() < 0.3:
                aliases += ((f"{name} association", "en"),)
            drawn = (sector, name, classes, aliases)
            return drawn, _org_names([(name, "en")], aliases)

        (sector, name, classes, aliases), alike = self._draw("org", draw)
        slug = self._unique(self.orgs, slugify(name))
        sectors = (sector,) + ((rng.choice(SECTOR_NAMES),) if rng.random() < 0.3 else ())
        founded = str(rng.randint(2004, 2023)) if rng.random() < 0.6 else None
        if founded and rng.random() < 0.3:
            founded += f"-{rng.randint(1, 12):02d}"
        coordinator = None
        if rng.random() < 0.25:
            coordinator = rng.choice(self.pool["public"])
        country = "lt" if rng.random() < 0.85 else rng.choice(FOREIGN)
        return self._register(
            Org(
                slug,
                "cluster",
                classes,
                ((name, "en"),),
                country,
                founded,
                aliases=aliases,
                sectors=tuple(dict.fromkeys(sectors)),
                coordinator=coordinator,
            ),
            alike=alike,
        )

    def new_network(self) -> Org:
        """Make an international cluster network or alliance."""
        rng = self.rng

        def draw() -> tuple[tuple[str, str], list[tuple[str, bool]]]:
            sector = rng.choice(SECTOR_NAMES)
            word = rng.choice(SECTORS[sector])
            shape = rng.choice(
                (
                    "European {} Cluster Network",
                    "Baltic Sea {} Cluster Alliance",
                    "Nordic-Baltic {} Network",
                )
            )
            name = shape.format(word)
            return (sector, name), [(name, True)]

        (sector, name), alike = self._draw("org", draw)
        classes = ("cg:ClusterAlliance",) if "Alliance" in name else ("cg:ClusterNetwork",)
        slug = self._unique(self.orgs, slugify(name))
        founded = str(rng.randint(2008, 2022)) if rng.random() < 0.5 else None
        return self._register(
            Org(slug, "network", classes, ((name, "en"),), None, founded, sectors=(sector,)),
            alike=alike,
        )

    def new_research(self) -> Org:
        """Make a research institute of a city and a field."""
        rng = self.rng

        def draw() -> tuple[str, list[tuple[str, bool]]]:
            place = PLACES[rng.choice(PLACE_NAMES[:6])][0]
            topic = rng.choice(SECTORS[rng.choice(SECTOR_NAMES)])
            name = f"{place} Institute of {topic} Research"
            return name, [(name, True)]

        name, alike = self._draw("org", draw)
        slug = self._unique(self.orgs, slugify(name))
        return self._register(
            Org(slug, "research", ("cg:ResearchInstitution",), ((name, "en"),), "lt"),
            alike=alike,
        )

    def new_person(self) -> Person:
        """Make a person, mostly Lithuanian (names keep their diacritics)."""
        rng = self.rng

        def draw() -> tuple[tuple[str, str, str], list[tuple[str, bool]]]:
            if rng.random() < 0.06:
                given, family, lang = rng.choice(FOREIGN_PEOPLE)
            elif rng.random() < 0.5:
                given, family, lang = rng.choice(GIVEN_MALE), rng.choice(SURNAMES), "lt"
            else:
                surname = _female(rng.choice(SURNAMES), rng.random() < 0.6)
                given, family, lang = rng.choice(GIVEN_FEMALE), surname, "lt"
            return (given, family, lang), [(f"{given} {family}", True)]

        (given, family, lang), alike = self._draw("person", draw)
        slug = self._unique(self.people, slugify(f"{given} {family}"))
        person = Person(slug, given, family, lang)
        self.people[slug] = person
        self.person_mentions.append(slug)
        keys = self.names.keys([(person.name, True)])
        self._named("person", f"per:{slug}", keys, alike)
        return person

    # -- choosing entities ----------------------------------------------------

    _MAKERS = {
        "company": "new_company",
        "cluster": "new_cluster",
        "network": "new_network",
        "research": "new_research",
    }

    def pick_org(self, article: Article, kind: str, *, reuse: float = REUSE) -> Org:
        """Name an organisation of ``kind``: an existing one (often a hub) or a new one."""
        rng = self.rng
        maker = self._MAKERS.get(kind)
        chosen: Org | None = None
        if maker is None or (self.pool.get(kind) and rng.random() < reuse):
            for _ in range(4):
                if rng.random() < 0.6:
                    slug = rng.choice(self.mentions[kind])
                else:
                    slug = rng.choice(self.pool[kind])
                if f"o:{slug}" not in article.described:
                    chosen = self.orgs[slug]
                    break
        if chosen is None:
            if maker is None:
                chosen = self.orgs[rng.choice(self.pool[kind])]
            else:
                chosen = getattr(self, maker)()
                self.org_sources[chosen.slug] = 0
        self.describe_org(article, chosen)
        return chosen

    def pick_person(self, article: Article) -> Person:
        """Name a person: an existing one (often a frequently named one) or a new one."""
        rng = self.rng
        if rng.random() < PERSON_REUSE:
            for _ in range(3):
                person = self.people[rng.choice(self.person_mentions)]
                if f"per:{person.slug}" not in article.described:
                    self.person_mentions.append(person.slug)
                    self.describe_person(article, person)
                    return person
        person = self.new_person()
        self.describe_person(article, person)
        return person

    # -- describing entities --------------------------------------------------

    def describe_org(self, article: Article, org: Org) -> str:
        """Type and label ``org`` in ``article`` (once), with a few optional facts."""
        curie = f"o:{org.slug}"
        if not article.first(curie):
            return curie
        rng = self.rng
        self.org_mentions += 1
        seen = self.org_sources.get(org.slug, 0)
        if seen:
            self.org_reused += 1
        self.org_sources[org.slug] = seen + 1
        self.mentions.setdefault(org.kind, []).append(org.slug)
        add = article.add
        for cls in org.classes:
            add(curie, "a", cls)
        for text, lang in org.labels:
            add(curie, "skos:prefLabel", _lit(text, lang))
        if org.country and (not seen or rng.random() < 0.5):
            add(curie, "cg:country", f"country:{org.country}")
        if org.legal:
            add(curie, "rov:legalName", _lit(org.legal[0]))
            add(curie, "rov:orgType", f"lf:{org.legal[1]}")
        for text, lang in org.aliases:
            if rng.random() < 0.5:
                add(curie, "skos:altLabel", _lit(text, lang))
        if org.unit_of:
            add(curie, "org:unitOf", f"o:{org.unit_of}")
            self.describe_org(article, self.orgs[org.unit_of])
        self._distinct(article, curie)
        return curie

    def _distinct(self, article: Article, curie: str) -> None:
        """Say that ``curie`` is none of the look-alikes named before it (see :meth:`_named`)."""
        found = self.distinct.get(curie)
        if found is not None:
            others, note = found
            for other in others:
                article.add(curie, "cg:distinctFrom", other)
            article.add(curie, "skos:editorialNote", _lit(note, "en"))

    def describe_person(self, article: Article, person: Person) -> str:
        """Type and name ``person`` in ``article`` (once)."""
        curie = f"per:{person.slug}"
        if article.first(curie):
            add = article.add
            add(curie, "a", "foaf:Person")
            add(curie, "skos:prefLabel", _lit(person.name, person.lang))
            add(curie, "foaf:name", _lit(person.name))
            add(curie, "foaf:givenName", _lit(person.given))
            add(curie, "foaf:familyName", _lit(person.family))
            self._distinct(article, curie)
        return curie

    def describe_keyed(self, article: Article, curie: str) -> str:
        """State a membership, post, programme, event, ... (once per article).

        Its identity every time, its details (:data:`DETAILS`) the first time and then
        only sometimes; every entity a stated statement points to is described too.
        """
        if article.first(curie):
            keyed = self.keyed[curie]
            details = not keyed.stated or self.rng.random() < RESTATE
            keyed.stated = True
            for predicate, obj in keyed.statements:
                if details or predicate not in DETAILS:
                    article.add(curie, predicate, obj)
                    if obj.startswith(_DESCRIBED):
                        self.describe_ref(article, obj)
            self._distinct(article, curie)
        return curie

    def describe_ref(self, article: Article, ref: str) -> None:
        """Describe an entity a fixed statement points to."""
        prefix, _, slug = ref.partition(":")
        if prefix == "o":
            self.describe_org(article, self.orgs[slug])
        elif prefix == "per":
            self.describe_person(article, self.people[slug])
        elif prefix == "t":
            self.describe_time(article, slug)
        elif prefix == "place":
            self.describe_place(article, slug)
        else:
            self.describe_keyed(article, ref)

    def describe_time(self, article: Article, slug: str) -> str:
        """Type an instant (``t:2021``) or an interval (``t:2021-2027``, ``t:from-2019``)."""
        curie = f"t:{slug}"
        if not article.first(curie):
            return curie
        add = article.add
        if slug.startswith("from-"):
            add(curie, "a", "time:Interval")
            add(curie, "time:hasBeginning", self.describe_time(article, slug[5:]))
        elif slug.startswith("until-"):
            add(curie, "a", "time:Interval")
            add(curie, "time:hasEnd", self.describe_time(article, slug[6:]))
        elif slug.startswith("on-"):
            add(curie, "a", "time:Interval")
            add(curie, "time:inside", self.describe_time(article, slug[3:]))
        elif "_" in slug:
            begin, end = slug.split("_")
            add(curie, "a", "time:Interval")
            add(curie, "time:hasBeginning", self.describe_time(article, begin))
            add(curie, "time:hasEnd", self.describe_time(article, end))
        else:
            add(curie, "a", "time:Instant")
            prop = {4: "time:inXSDgYear", 7: "time:inXSDgYearMonth"}.get(len(slug))
            add(curie, prop or "time:inXSDDate", _date(slug))
        return curie

    def describe_place(self, article: Article, slug: str) -> str:
        """Type and label a city."""
        curie = f"place:{slug}"
        if article.first(curie):
            english, lithuanian, country = PLACES[slug]
            add = article.add
            add(curie, "a", "schema:City")
            add(curie, "skos:prefLabel", _lit(english, "en"))
            if lithuanian:
                add(curie, "skos:prefLabel", _lit(lithuanian, "lt"))
            add(curie, "schema:containedInPlace", f"country:{country}")
            add(curie, "cg:country", f"country:{country}")
        return curie

    def keyed_entity(
        self, curie: str, statements: Sequence[tuple[str, str]], names: Sequence[str] = ()
    ) -> Keyed:
        """Return the entity ``curie``, making it with ``statements`` if it is new.

        ``names`` are the names the statements give it (see :meth:`_named`).
        """
        found = self.keyed.get(curie)
        if found is None:
            found = self.keyed[curie] = Keyed(curie, tuple(statements))
            if names:
                kind = _KINDS[curie.split(":", 1)[0]]
                self._named(kind, curie, self.names.keys((n, True) for n in names))
        return found

    def interval(self, begin: str, end: str | None) -> str:
        """Return the slug of the interval from ``begin`` to ``end`` (open if None)."""
        return f"from-{begin}" if end is None else f"{begin}_{end}"

    def when(self, year: int) -> str:
        """Return a date in ``year``, to the precision :data:`PERIOD_PRECISION` draws."""
        rng = self.rng
        precision = rng.choices(tuple(PERIOD_PRECISION), tuple(PERIOD_PRECISION.values()))[0]
        if precision == "year":
            return str(year)
        month = f"{year}-{rng.randint(1, 12):02d}"
        return month if precision == "month" else f"{month}-{rng.randint(1, 28):02d}"

    def period(self, first: int, last: int, longest: int) -> str | None:
        """Draw a period, or ``None`` (unknown) as often as the five articles leave it so.

        It begins between ``first`` and ``last`` and lasts up to ``longest`` years, with
        the shapes and precisions of the five articles (:data:`PERIOD_SHAPES`,
        :data:`PERIOD_PRECISION`).
        """
        rng = self.rng
        if rng.random() >= PERIOD_SHARE:
            return None
        shape = rng.choices(tuple(PERIOD_SHAPES), tuple(PERIOD_SHAPES.values()))[0]
        begin = rng.randint(first, last)
        end = begin + rng.randint(1, longest)
        if shape == "since":
            return f"from-{self.when(begin)}"
        if shape == "held on a day":
            return f"on-{self.when(begin)}"
        if shape == "until":
            return f"until-{self.when(end)}"
        return f"{self.when(begin)}_{self.when(end)}"

    # -- sections of an article -----------------------------------------------

    def membership(self, article: Article, member: Org | Person, org: Org, role: str) -> str:
        """State that ``member`` is a member of ``org`` (the same node every time)."""
        rng = self.rng
        is_person = isinstance(member, Person)
        member_curie = f"per:{member.slug}" if is_person else f"o:{member.slug}"
        curie = f"mem:{member.slug}-in-{org.slug}"
        if curie not in self.keyed:
            role_name = {
                "founding-member": "founding member",
                "associate-member": "associate member",
                "full-member": "full member",
                "consortium-member": "consortium member",
                "representative": "represented member",
            }.get(role, "member")
            statements = [
                ("a", "cg:Membership"),
                ("skos:prefLabel", _lit(f"{member.name}, {role_name} of {org.name}", "en")),
                ("org:member", member_curie),
                ("org:organization", f"o:{org.slug}"),
                ("org:role", f"role:{role}"),
            ]
            period = self.period(2005, 2023, 6)
            if period is not None:
                statements.append(("org:memberDuring", f"t:{period}"))
            if role == "associate-member":
                statements += [
                    ("cg:grantsRight", "right:take-part-in-activities"),
                    ("cg:withholdsRight", "right:vote-at-general-assembly"),
                ]
            elif role in ("full-member", "founding-member") and rng.random() < 0.5:
                statements.append(("cg:grantsRight", "right:vote-at-general-assembly"))
            self.keyed_entity(curie, statements)
        return self.describe_keyed(article, curie)

    def post(self, article: Article, person: Person, org: Org, role: str) -> str:
        """State that ``person`` holds a post of ``role`` in ``org``."""
        rng = self.rng
        curie = f"post:{org.slug}-{role}-{person.slug}"
        if curie not in self.keyed:
            title = role.replace("-", " ").capitalize()
            if role == "ceo":
                title = "CEO"
            statements = [
                ("a", "cg:Post"),
                ("skos:prefLabel", _lit(f"{title} of {org.name}", "en")),
                ("org:postIn", f"o:{org.slug}"),
                ("org:role", f"role:{role}"),
                ("org:heldBy", f"per:{person.slug}"),
            ]
            if role in ("president", "chair", "director") and rng.random() < 0.5:
                method = "elected" if role != "director" else "appointed"
                statements.append(("cg:selectionMethod", f"sel:{method}"))
            period = self.period(2010, 2023, 5)
            if period is not None:
                statements.append(("cg:heldDuring", f"t:{period}"))
            self.keyed_entity(curie, statements)
        return self.describe_keyed(article, curie)

    def org_facts(self, article: Article, org: Org) -> None:
        """Describe the article's subject more fully: sectors, founding, words."""
        rng = self.rng
        curie = f"o:{org.slug}"
        add = article.add
        for sector in org.sectors:
            add(curie, "org:classification", f"sector:{sector}")
        if org.founded:
            add(curie, "schema:foundingDate", _date(org.founded))
        if org.coordinator:
            coordinator = self.orgs[org.coordinator]
            add(curie, "cg:coordinatedBy", self.describe_org(article, coordinator))
            if rng.random() < 0.5:
                add(f"o:{coordinator.slug}", "cg:coordinates", curie)
        for text in rng.sample(DESCRIPTIONS, rng.randint(1, 3)):
            add(curie, "dcterms:description", _lit(text, "en"))
        for text in rng.sample(AIMS, rng.randint(1, 2)):
            add(curie, "cg:aim", _lit(text, "en"))
        if rng.random() < 0.5:
            add(curie, "cg:activity", _lit(rng.choice(ACTIVITIES), "en"))
        if org.kind == "network" and rng.random() < 0.5:
            for country in rng.sample(("lt",) + FOREIGN, rng.randint(2, 5)):
                add(curie, "cg:memberCountry", f"country:{country}")
        if rng.random() < 0.2:
            add(curie, "cg:recognizedBy", self.describe_org(article, self.orgs["eccp"]))
        if org.kind in ("network", "cluster") and rng.random() < 0.15:
            seimas = self.orgs["seimas" if rng.random() < 0.5 else "ministry-economy-innovation"]
            add(curie, "cg:representsMembersBefore", self.describe_org(article, seimas))
        if org.kind == "cluster" and rng.random() < 0.25:
            network = self.pick_org(article, "network")
            add(curie, "cg:participatesIn", f"o:{network.slug}")

    def members(self, article: Article, org: Org) -> None:
        """Name a few members of ``org``, with their memberships."""
        rng = self.rng
        kinds: tuple[str, ...]
        if org.kind == "network":
            kinds = ("cluster",) * 4 + ("network",)
        else:
            kinds = ("company",) * 7 + ("research", "research", "public")
        role = rng.choice(
            ("member", "member", "full-member", "associate-member", "founding-member")
        )
        for _ in range(rng.randint(3, 7)):
            member = self.pick_org(article, rng.choice(kinds))
            if member.slug == org.slug:
                continue
            self.membership(article, member, org, role)
        if rng.random() < 0.6:
            measure = "member-cluster-count" if org.kind == "network" else "member-count"
            self.figure(article, org, measure)

    def posts(self, article: Article, org: Org) -> None:
        """Name one or two people and the posts they hold."""
        rng = self.rng
        roles = (
            "president",
            "managing-director",
            "coordinator",
            "director",
            "manager",
            "head",
            "ceo",
            "chair",
            "acting-director",
        )
        for _ in range(rng.randint(1, 2)):
            person = self.pick_person(article)
            self.post(article, person, org, rng.choice(roles))
            if rng.random() < 0.3:
                company = self.pick_org(article, "company")
                self.post(article, person, company, "ceo")

    def award(self, article: Article, org: Org) -> None:
        """Name an excellence label award to a cluster."""
        rng = self.rng
        if org.kind != "cluster":
            org = self.pick_org(article, "cluster")
        level = rng.choices(("bronze", "silver", "gold"), (70, 22, 8))[0]
        year = rng.randint(2012, 2024)
        curie = f"award:{org.slug}-{level}-{year}"
        if curie not in self.keyed:
            statements = [
                ("a", "cg:ExcellenceLabelAward"),
                ("skos:prefLabel", _lit(f"{org.name}'s {level.capitalize()} label", "en")),
                ("cg:awardedTo", f"o:{org.slug}"),
                ("cg:labelLevel", f"level:{level}"),
                ("cg:awardedBy", "o:esca"),
                (
                    "cg:date",
                    _date(str(year) if rng.random() < 0.6 else f"{year}-{rng.randint(1, 12):02d}"),
                ),
            ]
            if rng.random() < 0.3:
                statements.append(("cg:isRenewal", "true" if rng.random() < 0.5 else "false"))
            if rng.random() < PERIOD_SHARE:  # a label is valid two years (ESCA's rule)
                period = self.interval(self.when(year), str(year + 2))
                statements.append(("cg:validDuring", f"t:{period}"))
            self.keyed_entity(curie, statements)
        self.describe_keyed(article, curie)
        if rng.random() < 0.5:
            article.add(curie, "skos:note", _lit(rng.choice(NOTES), "en"))

    def programme(self, article: Article) -> str:
        """Name a funding programme (few exist: they become hubs)."""
        slug, name, period = self.rng.choice(PROGRAMMES)
        curie = f"prog:{slug}"
        if curie not in self.keyed:
            statements = [("a", "cg:FundingProgramme"), ("skos:prefLabel", _lit(name, "en"))]
            if period:
                interval = self.interval(str(period[0]), str(period[1]))
                statements.append(("cg:period", f"t:{interval}"))
            self.keyed_entity(curie, statements, [name])
        return self.describe_keyed(article, curie)

    def project(self, article: Article, org: Org) -> None:
        """Name a project: coordinator, partners, participants, funding, period, aims."""
        rng = self.rng
        add = article.add
        if self.projects and rng.random() < 0.2:
            self.describe_keyed(article, rng.choice(self.projects))
            return

        def draw() -> tuple[str, list[tuple[str, bool]]]:
            brand = self._brand()
            return brand, [(brand, True)]

        # A project's name is its own: another's is drawn again, not a namesake.
        brand, _alike = self._draw("project", draw, namesakes=False)
        curie = f"proj:{slugify(brand)}-{len(self.projects) + 1}"
        self.projects.append(curie)
        sector = rng.choice(org.sectors or SECTOR_NAMES)
        period = self.period(2015, 2024, 4)
        topic = rng.choice(SECTORS[sector])
        title = f"{brand}: {topic} for {org.name}"
        statements = [
            ("a", "cg:Project"),
            ("skos:prefLabel", _lit(brand, "en")),
            ("dcterms:title", _lit(title, "en")),
            ("cg:coordinatedBy", f"o:{org.slug}"),
            ("org:classification", f"sector:{sector}"),
        ]
        if period is not None:
            statements.append(("cg:period", f"t:{period}"))
        self.keyed_entity(curie, statements, [brand, title])
        self.describe_keyed(article, curie)
        for _ in range(rng.randint(1, 2)):
            add(curie, "cg:fundedUnder", self.programme(article))
        for _ in range(rng.randint(1, 2)):
            partner = self.pick_org(article, rng.choice(("cluster", "research", "company")))
            add(curie, "cg:partner", f"o:{partner.slug}")
        participants = rng.randint(2, 4)
        for _ in range(participants):
            add(curie, "cg:hasParticipant", f"o:{self.pick_org(article, 'company').slug}")
        add(curie, "cg:aim", _lit(rng.choice(AIMS), "en"))
        if rng.random() < 0.3:
            consortium = Org(
                f"{curie[5:]}-consortium",
                "consortium",
                ("cg:Consortium",),
                ((f"{brand} consortium", "en"),),
            )
            self.orgs[consortium.slug] = consortium
            self._name_org(consortium)
            add(curie, "cg:implementedBy", self.describe_org(article, consortium))
            for _ in range(rng.randint(2, 3)):
                member = self.pick_org(article, "company")
                self.membership(article, member, consortium, "consortium-member")
        fig = f"fig:{curie[5:]}-participants"
        add(fig, "a", "cg:Figure")
        add(fig, "cg:figureOf", curie)
        add(fig, "cg:measure", "measure:participant-count")
        add(fig, "cg:value", str(participants + rng.randint(0, 10)))
        add(fig, "cg:comparator", "cmp:at-least")

    def figure(self, article: Article, org: Org, measure: str | None = None) -> None:
        """State a figure (sometimes a forecast) about ``org``."""
        rng = self.rng
        measures = NETWORK_MEASURES if org.kind == "network" else CLUSTER_MEASURES
        measure = measure or rng.choice(measures)
        curie = f"fig:{org.slug}-{measure}-{article.number}"
        add = article.add
        if curie in article.described:
            return
        article.described.add(curie)
        add(curie, "a", "cg:Forecast" if rng.random() < 0.08 else "cg:Figure")
        add(curie, "cg:figureOf", f"o:{org.slug}")
        add(curie, "cg:measure", f"measure:{measure}")
        if rng.random() < 0.1:
            whole, tenth = rng.randint(1, 500), rng.randint(0, 9)
            # 263.0 is refused as written (the store keeps it as 263): the same value so
            add(curie, "cg:value", f"{whole}.{tenth}" if tenth else f'"{whole}"^^xsd:decimal')
        else:
            add(curie, "cg:value", str(rng.randint(1, 3000)))
        add(
            curie,
            "cg:comparator",
            "cmp:" + rng.choices(("exactly", "more-than", "at-least"), (70, 20, 10))[0],
        )
        if rng.random() < 0.6:
            year = rng.randint(2014, 2024)
            asof = rng.choice(
                (
                    str(year),
                    f"{year}-{rng.randint(1, 12):02d}",
                    f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                )
            )
            add(curie, "cg:asOf", _date(asof))
        if rng.random() < 0.3:
            add(curie, "skos:note", _lit(rng.choice(NOTES), "en"))
        if rng.random() < 0.1:
            add(curie, "cg:statedBy", f"per:{self.pick_person(article).slug}")

    def figures(self, article: Article, org: Org) -> None:
        """State two or three figures about ``org``; one may be quoted from a person."""
        for _ in range(self.rng.randint(2, 3)):
            self.figure(article, org)

    def event(self, article: Article, org: Org) -> str:
        """Name an edition of an event series, where and when it was held."""
        rng = self.rng
        slug, name, cls, organizer = rng.choice(SERIES)
        series = f"ev:{slug}"
        if series not in self.keyed:
            statements = [("a", "cg:EventSeries"), ("skos:prefLabel", _lit(name, "en"))]
            if organizer:
                statements.append(("schema:organizer", f"o:{organizer}"))
            self.keyed_entity(series, statements, [name])
        year = rng.randint(2015, 2024)
        curie = f"ev:{slug}-{year}"
        if curie not in self.keyed:
            place = rng.choice(PLACE_NAMES)
            statements = [
                ("a", cls),
                ("skos:prefLabel", _lit(f"{name} {year}", "en")),
                ("schema:superEvent", series),
                ("schema:location", f"place:{place}"),
            ]
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            form = rng.random()
            if form < 0.5:
                statements.append(("cg:date", _date(f"{year}-{month:02d}-{day:02d}")))
            elif form < 0.8:
                statements.append(("cg:date", _date(str(year))))
            else:
                # The source gives the day without the year; the curator infers it.
                statements += [
                    ("cg:date", _date(f"--{month:02d}-{day:02d}")),
                    ("cg:inferredDate", _date(f"{year}-{month:02d}-{day:02d}")),
                    (
                        "cg:inferenceNote",
                        _lit(
                            f"The article names the day only; it reports the {year} edition.", "en"
                        ),
                    ),
                ]
            self.keyed_entity(curie, statements, [f"{name} {year}"])
        self.describe_keyed(article, curie)
        if rng.random() < 0.5:
            article.add(f"o:{org.slug}", "cg:organizes", curie)
            article.add(curie, "schema:organizer", f"o:{org.slug}")
        return curie

    def agreement(self, article: Article, org: Org) -> None:
        """Name an agreement that ``org`` signed, with the other parties."""
        rng = self.rng
        kind, label = rng.choice(
            (
                ("cg:Memorandum", "Memorandum of understanding"),
                ("cg:LetterOfIntent", "Letter of intent"),
                ("cg:JointInitiative", "Joint initiative"),
                ("cg:Agreement", "Cooperation agreement"),
            )
        )
        curie = f"doc:{org.slug}-{slugify(label)}-{article.number}"
        add = article.add
        if not article.first(curie):
            return
        add(curie, "a", kind)
        parties = [org] + [
            self.pick_org(article, rng.choice(("cluster", "network", "public")))
            for _ in range(rng.randint(1, 3))
        ]
        name = f"{label} between {', '.join(p.name for p in parties[:3])}"
        add(curie, "skos:prefLabel", _lit(name, "en"))
        self._named("document", curie, self.names.keys([(name, True)]))
        self._distinct(article, curie)
        for party in parties:
            add(curie, "cg:signatory", f"o:{party.slug}")
        year = rng.randint(2014, 2024)
        add(curie, "cg:date", _date(rng.choice((str(year), f"{year}-{rng.randint(1, 12):02d}"))))
        if rng.random() < 0.4:
            add(curie, "cg:signedAt", self.event(article, org))
        elif rng.random() < 0.5:
            add(curie, "cg:signedAt", self.describe_place(article, rng.choice(PLACE_NAMES)))
        if rng.random() < 0.3:
            add(curie, "cg:supportedBy", self.describe_org(article, self.orgs["mita"]))
        if rng.random() < 0.2:
            add(curie, "cg:signatoryCount", str(len(parties) + rng.randint(0, 5)))

    def governance(self, article: Article, org: Org) -> None:
        """Name a governance body of ``org`` (its board or a working group) and its chair."""
        rng = self.rng
        if rng.random() < 0.5:
            slug, cls, label = f"{org.slug}-executive-board", "cg:ExecutiveBoard", "Executive Board"
        else:
            theme = rng.choice(SECTORS[rng.choice(SECTOR_NAMES)])
            slug = f"{org.slug}-wg-{slugify(theme)}"
            cls, label = "cg:WorkingGroup", f"working group on {theme}"
        body = self.orgs.get(slug)
        if body is None:
            body = Org(slug, "unit", (cls,), ((f"{org.name} {label}", "en"),), unit_of=org.slug)
            self.orgs[slug] = body
            self._name_org(body)
        curie = self.describe_org(article, body)
        article.add(f"o:{org.slug}", "org:hasUnit", curie)
        if cls == "cg:WorkingGroup":
            article.add(curie, "cg:theme", _lit(label.split(" on ", 1)[1], "en"))
        else:
            article.add(curie, "cg:composition", _lit("Heads of member clusters.", "en"))
            article.add(curie, "cg:meetingFrequency", "freq:annual")
        person = self.pick_person(article)
        self.post(article, person, body, "chair")
        if rng.random() < 0.5:
            member = self.pick_org(article, "company")
            self.membership(article, member, body, "representative")

    def announcement(self, article: Article, org: Org) -> None:
        """Name an announcement about a new membership of ``org`` in a network."""
        rng = self.rng
        network = self.pick_org(article, "network")
        if network.slug == org.slug:
            return
        membership = self.membership(article, org, network, "associate-member")
        person = self.pick_person(article)
        self.post(article, person, org, "coordinator")
        curie = f"ev:{org.slug}-joins-{network.slug}-{article.number}"
        add = article.add
        if not article.first(curie):
            return
        add(curie, "a", "cg:Announcement")
        name = f"Announcement that {org.name} joins {network.name}"
        add(curie, "skos:prefLabel", _lit(name, "en"))
        add(curie, "cg:date", _date(f"--{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
        add(curie, "prov:wasAssociatedWith", f"per:{person.slug}")
        add(curie, "schema:about", membership)
        self._named("event", curie, self.names.keys([(name, True)]))
        self._distinct(article, curie)

    # -- the article ----------------------------------------------------------

    def article(self, number: int, target: int) -> tuple[Article, str]:
        """Write article ``number``: its source, its subject, then sections up to ``target``."""
        rng = self.rng
        stem = f"article-{number:05d}"
        article = Article(stem, number)
        add = article.add
        graph, src = f"graph:{stem}", f"src:{stem}"
        article.blocks[graph] = []  # the graph and its source come first in the file
        article.blocks[src] = []
        kind = rng.choices(("cluster", "network"), (80, 20))[0]
        if number <= len(FIRST_SUBJECTS):
            # The first articles are about the seed graph's hubs, as the seed graph is.
            subject = self.orgs[FIRST_SUBJECTS[number - 1]]
            self.describe_org(article, subject)
        else:
            subject = self.pick_org(article, kind, reuse=0.35)
        source_class, label = rng.choices(
            (
                ("cg:NewsArticle", "news item"),
                ("cg:ProfilePage", "profile page"),
                ("cg:GoodPracticeDescription", "good practice"),
            ),
            (70, 15, 15),
        )[0]
        add(graph, "a", "cg:SourceGraph")
        add(graph, "prov:wasDerivedFrom", src)
        add(src, "a", source_class)
        headline = rng.choice(
            (
                "{} grows its membership",
                "{} at a glance",
                "News from {}",
                "{} looks abroad",
                "{} and its partners",
            )
        )
        add(src, "dcterms:title", _lit(headline.format(subject.name), "en"))
        add(src, "skos:prefLabel", _lit(f"{subject.name} ({label} {number})", "en"))
        add(src, "dcterms:language", _lit("en"))
        add(src, "cg:seedFile", _lit(f"{number:05d}_{rng.getrandbits(64):016x}.txt"))
        add(src, "dcterms:subject", f"o:{subject.slug}")
        if rng.random() < 0.5:
            year = rng.randint(2015, 2024)
            issued = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            add(src, "dcterms:issued", _date(issued))
        if rng.random() < 0.3:
            add(src, "cg:submittedBy", f"per:{self.pick_person(article).slug}")
        if rng.random() < 0.3:
            add(src, "cg:firstPublishedBy", f"o:{subject.slug}")
        self.org_facts(article, subject)
        sections = (
            (self.members, 30),
            (self.posts, 20),
            (self.figures, 15),
            (self.project, 12),
            (self.award, 8),
            (self.event, 6),
            (self.agreement, 6),
            (self.governance, 6),
            (self.announcement, 4),
        )
        functions = [s for s, _w in sections]
        weights = [w for _s, w in sections]
        self.members(article, subject)
        if subject.slug == "lcn":
            self.post(article, self.people["giedrius-bagusinskas"], subject, "president")
        while article.triples < target:
            rng.choices(functions, weights)[0](article, subject)
        comment = (
            f"Synthetic article {number} of a benchmark ecosystem (seed {self.seed}), "
            f"about {subject.name}; written by benchmarks/generate.py."
        )
        return article, comment


# ---------------------------------------------------------------------------
# The project
# ---------------------------------------------------------------------------


def parse_count(text: str) -> int:
    """Read a count written ``200000``, ``200_000``, ``200k`` or ``1M``.

    Examples
    --------
    >>> parse_count("10k"), parse_count("1M"), parse_count("2_500")
    (10000, 1000000, 2500)
    """
    text = text.strip().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    number = text[:-1] if scale > 1 else text
    return int(float(number) * scale)


def copy_project(root: Path, repo: Path) -> None:
    """Copy the ontology, shapes, vocabularies and queries of ``repo`` into ``root``."""
    for folder in ("ontology", "data/vocab", "queries"):
        target = root / folder
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(repo / folder, target)


def generate(
    root: Path,
    *,
    triples: int,
    seed: int = 1,
    repo: Path = REPO,
) -> Summary:
    """Write a synthetic project of about ``triples`` source triples into ``root``.

    Parameters
    ----------
    root
        The project directory; its ``data/sources/`` is replaced.
    triples
        About how many triples the sources hold: ``round(triples / 200)`` files (at least 1).
    seed
        The seed: the same seed and size write the same bytes.
    repo
        The repository whose ``ontology/``, ``data/vocab/`` and ``queries/`` are copied.

    Returns
    -------
    Summary
        What was written; also saved as ``root/benchmark.json``.
    """
    started = time.perf_counter()
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    copy_project(root, repo)
    sources_dir = root / "data" / "sources"
    if sources_dir.exists():
        shutil.rmtree(sources_dir)
    sources_dir.mkdir(parents=True)
    count = max(1, round(triples / TRIPLES_PER_SOURCE))
    ecosystem = Ecosystem(seed)
    sizes = random.Random(seed * 7919 + 17)
    summary = Summary(root=root, seed=seed, requested=triples, sources=count)
    digest = hashlib.sha256()
    for number in range(1, count + 1):
        target = sizes.randint(155, 200)
        article, comment = ecosystem.article(number, target)
        data = article.turtle(comment).encode("utf-8")
        name = f"{article.stem}.ttl"
        (sources_dir / name).write_bytes(data)
        digest.update(name.encode() + b"\0" + data + b"\0")
        summary.source_triples += article.triples
    summary.sources_sha256 = digest.hexdigest()
    counts = ecosystem.org_sources
    hubs = sorted(((f"o:{s}", n) for s, n in counts.items() if n), key=lambda h: (-h[1], h[0]))
    summary.hubs = tuple(hubs[:10])
    summary.org_mentions = ecosystem.org_mentions
    summary.org_reused = ecosystem.org_reused
    summary.organisations = sum(1 for n in counts.values() if n)
    summary.people = len(ecosystem.people)
    (root / "benchmark.json").write_text(
        json.dumps(summary.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    summary.seconds = time.perf_counter() - started
    return summary


def sources_digest(root: Path) -> str:
    """Return the SHA-256 of ``root/data/sources``: file names and bytes, in name order.

    It equals ``benchmark.json``'s ``sources_sha256`` while the files are as generated.
    """
    digest = hashlib.sha256()
    for path in sorted((Path(root) / "data" / "sources").iterdir(), key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


_EDIT = """
# --- Changed by the benchmark (change {n}) ---

fig:{stem}-change-{n} a cg:Figure ;
    cg:figureOf {subject} ; cg:measure measure:member-count ;
    cg:value {value} ; cg:comparator cmp:at-least ; cg:asOf "2025"^^xsd:gYear .

per:{stem}-editor a foaf:Person ;
    skos:prefLabel "Aušrinė Žemaitytė"@lt ;
    foaf:name "Aušrinė Žemaitytė" ; foaf:givenName "Aušrinė" ; foaf:familyName "Žemaitytė" .

post:{stem}-change-{n} a cg:Post ;
    skos:prefLabel "Manager named in change {n}"@en ;
    org:postIn {subject} ; org:role role:manager ; org:heldBy per:{stem}-editor .
"""


def edit_source(path: Path, change: int = 1) -> int:
    """Append a few facts about its subject to a generated source file, as an edit would.

    Parameters
    ----------
    path
        A file written by :func:`generate`.
    change
        A number that makes each change different.

    Returns
    -------
    int
        How many triples were added.

    Raises
    ------
    ValueError
        If the file does not name its subject (``dcterms:subject o:...``).
    """
    text = path.read_text(encoding="utf-8")
    found = re.search(r"dcterms:subject (o:[A-Za-z0-9-]+)", text)
    if found is None:
        raise ValueError(f"{path}: no dcterms:subject: not a generated source")
    block = _EDIT.format(n=change, stem=path.stem, subject=found.group(1), value=100 + change)
    path.write_text(text + block, encoding="utf-8", newline="\n")
    return 16


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line: ``generate.py OUT --triples N [--seed S]``."""
    parser = argparse.ArgumentParser(
        prog="generate.py",
        description="Write a seeded synthetic cluster ecosystem (a complete clustergraph "
        "project) of about N triples, 200 per source file.",
    )
    parser.add_argument("out", type=Path, help="the project directory to write")
    parser.add_argument(
        "--triples", type=parse_count, required=True, metavar="N", help="e.g. 10k, 100k, 1M"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    summary = generate(args.out, triples=args.triples, seed=args.seed)
    print(
        f"{summary.sources:,} sources, {summary.source_triples:,} triples, "
        f"{summary.organisations:,} organisations ({summary.reuse_share:.0%} of the "
        f"organisations an article names were named before), {summary.people:,} people; "
        f"{summary.seconds:.1f} s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
