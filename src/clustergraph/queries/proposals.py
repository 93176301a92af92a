r"""Facts proposed from an article's text, for the curator to confirm (``new-source --text``).

The text is read with rules over the graph's own names and the project's vocabularies,
never with a model (measured against ``dateparser``, which gives "6 June" this year and
reads "We" as a weekday, and spaCy's rule-based sentencizer, which does not cut at line
breaks and takes a second to import). The entities are the graph's (their names and
aliases, accent- and case-insensitively, whole words); the words of a post, a
membership's kind, a label's level and a figure's measure are the labels of
``data/vocab/`` (``role:``, ``level:``, ``measure:``); the new nodes' IRIs are minted
by :class:`~clustergraph.queries.minting.Minter`. Each proposal is Turtle in the
project's vocabulary with the character offsets of the sentence (or sentences) it comes
from; it holds names and IRIs, never the article's words.

The kinds (:data:`KINDS`):

- ``entity``: an entity of the graph whose name or alias the text writes, or a new
  one the text names (:class:`NewEntity`): an organisation by the word its kind ends
  with ("... Cluster", "... Association") or its legal form ("UAB ..."), the other names
  of a list after a colon that names organisations, a person next to a post word; its
  IRI is minted by the slug rules;
- ``date``: a date the text writes (``27 May 2020``, ``31st of May 2017``, ``April
  2099``, ``in 2014``, ``2021-2027``), as a ``time:Instant``; a day and month with no
  year stays without one (``"--06-06"^^xsd:gMonthDay``), a year is never guessed;
- ``post``: a post word (``president``, ``managing director``, ``coordinator``,
  ``director``, every ``cg:PostRole`` label) with the person nearest it in the sentence
  and the organisation after ``of`` (else the one the article is about);
- ``membership``: ``joined``/``joins`` an organisation, ``become(s) an associate member
  of``, ``member of``, ``members (A, B, ...)``, with its kind (a ``cg:MemberRole``
  label, else ``role:member``);
- ``award``: a label level (``Bronze``/``Silver``/``Gold label``) with its holder: the
  possessive (``X's ... Bronze label``), the one awarded (``was awarded``, ``gave X``),
  or a list of three or more organisations under a level just named;
- ``founding``: ``founded``/``established in|on DATE`` with the organisation it says
  so of;
- ``figure``: a number (digits or words) followed by the label of a measure
  (``24 clusters``, ``more than 3,000 companies``, ``four employees``), with its
  comparator and the organisation it counts.

"The cluster", "the network", "the association" (and other class words) stand for the
organisation of that class last named before; "it" and a post or figure with no
organisation of its own stand for the organisation the article names most.

Examples
--------
>>> [text[a:b] for text in ["One. Two here.\nThree"] for a, b in sentences(text)]
['One.', 'Two here.', 'Three']
>>> [d.value for d in find_dates("On 6 June, and on 31st of May 2017; in 2014 and 2021-2027.")]
['--06-06', '2017-05-31', '2014', '2021', '2027']
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from clustergraph.errors import InputError
from clustergraph.project.layout import CG_NS
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.queries.minting import Minter, Term, vocabulary
from clustergraph.queries.names import search_key
from clustergraph.queries.reconcile import Matcher
from clustergraph.store.base import SelectResult, Store

__all__ = [
    "KINDS",
    "Date",
    "Mention",
    "NewEntity",
    "Proposal",
    "Proposer",
    "find_dates",
    "sentences",
]

KINDS: tuple[str, ...] = ("entity", "date", "post", "membership", "award", "founding", "figure")
"""The kinds of fact proposed, in the order the scaffold lists them."""

_XSD = "http://www.w3.org/2001/XMLSchema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
# Kinds of entity the text is searched for (as the scaffold always did).
_MENTIONED = frozenset({"org", "person", "project", "programme", "event", "document", "place"})
# Class words that stand for the organisation of that class named last.
_ANAPHORS: Mapping[str, frozenset[str]] = {
    "cluster": frozenset({CG_NS + "Cluster"}),
    "network": frozenset({CG_NS + "ClusterNetwork"}),
    "association": frozenset({CG_NS + "Association", CG_NS + "ClusterNetwork"}),
    "alliance": frozenset({CG_NS + "ClusterAlliance"}),
    "consortium": frozenset({CG_NS + "Consortium"}),
    "project": frozenset({CG_NS + "Project"}),
    "agency": frozenset({CG_NS + "Agency"}),
    "ministry": frozenset({CG_NS + "Ministry"}),
    "board": frozenset({CG_NS + "ExecutiveBoard"}),
}
_CLUSTER_ORGANISATIONS = frozenset(
    CG_NS + c for c in ("Cluster", "ClusterNetwork", "ClusterAlliance", "Association")
)
_ANAPHOR = re.compile(
    r"\b(?:the|this|our|its)\s+(" + "|".join(_ANAPHORS) + r")\b(?!['’]s)", re.IGNORECASE
)
_SENTENCE_START_ANAPHOR = re.compile(r"^\s*[•\-*]?\s*(Cluster|Network|Association)\b")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november "
        "december".split()
    )
}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    # ISO dates
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    # 27 May 2020, 31st of May 2017, 6 June
    re.compile(
        rf"\b(?P<d>\d{{1,2}}){_ORD}(?:\s+of)?\s+(?P<mn>{_MONTH})\b(?:,?\s+(?P<y>\d{{4}})\b)?",
        re.IGNORECASE,
    ),
    # May 27, 2020 / June 6
    re.compile(
        rf"\b(?P<mn>{_MONTH})\s+(?P<d>\d{{1,2}}){_ORD}\b(?:,\s*(?P<y>\d{{4}})\b)?",
        re.IGNORECASE,
    ),
    # April 2099
    re.compile(rf"\b(?P<mn>{_MONTH})\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
    # 2021-2027, 2021–2027
    re.compile(r"(?<![\d.,+/-])\b(?P<y>(?:19|20)\d{2})\s*[-–]\s*(?P<y2>(?:19|20)\d{2})\b(?![-\d])"),
    # a year on its own: 2014 (not 3,000 nor a phone number)
    re.compile(r"(?<![\d.,+/-])\b(?P<y>(?:19|20)\d{2})\b(?![.,]\d|[-–/]\d|\s\d)"),
)
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100})
_NUMBER = re.compile(
    r"(?<![\d.,+/-])\b(?P<n>\d{1,3}(?:,\d{3})+|\d+|" + "|".join(_NUMBER_WORDS) + r")\b"
    r"(?![.,]\d|[-–/]\d|\s\d)",
    re.IGNORECASE,
)
_COMPARATORS = (
    (re.compile(r"\b(?:more than|over|above)\s*$", re.IGNORECASE), "more-than"),
    (re.compile(r"\b(?:at least|no fewer than|no less than)\s*$", re.IGNORECASE), "at-least"),
)
# Words before a mention that make it the object of a phrase, never a sentence's subject.
_NOT_SUBJECT = re.compile(
    r"\b(?:by|of|from|with|to|for|between|and|under|in)\s+(?:the\s+)?"
    r"(?:public\s+institution\s+)?[\"“]?\s*$",
    re.IGNORECASE,
)
_LINK = re.compile(r"^[\s\"“”]*(?:of\s+|in\s+)?(?:the\s+)?(?:public\s+institution\s+)?[\"“]?\s*$")
_LIST_GLUE = re.compile(r"^\s*(?:,|,?\s*and|;)\s*$")
_FOUNDED = re.compile(
    r"\b(?:founded|established|set up|created|registered)\b\s+(?:\w+\s+)?(?:in|on)\s+",
    re.IGNORECASE,
)
# Taking part in a cluster organisation is being its member ("participates in the LCA").
_PARTICIPATES = re.compile(
    r"\b(?:participate|participates|participated|participating)\s+in\s+", re.I
)
_JOINED = re.compile(r"\b(?:join|joins|joined|joining)\s+", re.IGNORECASE)
_BECOME = re.compile(
    r"\b(?:become|becomes|became|becoming|is|was|are|were|as|being)\s+(?:an?\s+|the\s+)?",
    re.IGNORECASE,
)
_AWARDED_PASSIVE = re.compile(
    r"\b(?:was|were|been|is|are|be)\s+(?:\w+\s+)?(?:awarded|granted|given)\b", re.IGNORECASE
)
_AWARDED_ACTIVE = re.compile(r"\b(?:awarded|gave|gives|granted|awards|grants)\s+", re.IGNORECASE)
_RECEIVED = re.compile(
    r"\b(?:received|receives|holds|held|got|gets|obtained|obtains|renewed|renews|earned|"
    r"earns|won|wins)\b",
    re.IGNORECASE,
)
_LABEL_LIST = re.compile(r"\b(?:benchmarked|labelled|labeled|certified|awarded)\b", re.IGNORECASE)
_FOUNDING_MEMBERS = re.compile(r"\b(?:initiative of|founded by|set up by)\s*$", re.IGNORECASE)


def sentences(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` character offsets of the sentences of ``text``.

    A sentence ends at ``.``, ``!`` or ``?`` followed by a space and a capital letter,
    digit or quote (not after a single capital, an initial such as ``I. Valytė``), and at
    a line break, unless the line reads on (a long line with no closing punctuation, or
    a next line starting in lower case: text wrapped at a width); spaces around it are
    left out, empty ones skipped.
    """
    cuts: list[int] = []
    for found in re.finditer(r"\n|(?<=[.!?])[\"”’)]?(?=[\s\u00a0]+[\"“‘(]?[A-Z0-9À-Ž])", text):
        if found.group() == "\n":
            line = text[text.rfind("\n", 0, found.start()) + 1 : found.start()].rstrip()
            following = text[found.end() : found.end() + 1]
            if line and line[-1] not in '.!?:;"”' and (len(line) >= 75 or following.islower()):
                continue  # a line wrapped inside a sentence
            cuts.append(found.start())
            continue
        before = text[max(0, found.start() - 3) : found.start()]
        if re.search(r"(?:^|[\s(])[A-Z]\.$|\b(?:No|e\.g|i\.e|vs)\.$", before):
            continue
        cuts.append(found.end())
    spans = []
    start = 0
    for cut in [*cuts, len(text)]:
        a, b = start, cut
        while a < b and (text[a].isspace() or text[a] == "\u00a0"):
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] == "\u00a0"):
            b -= 1
        if b > a:
            spans.append((a, b))
        start = cut
    return spans


@dataclass(frozen=True)
class Date:
    """A date the text writes: its lexical value, XSD datatype and where it is."""

    value: str
    datatype: str  # date, gYearMonth, gYear, gMonthDay
    start: int
    end: int


def find_dates(text: str) -> list[Date]:
    """Return the dates ``text`` writes, in order, each once where written.

    A day with no year is a ``gMonthDay`` (``--06-06``): no year is guessed; words such
    as "last year" are left out, since the day they stand for is not written.
    """
    found: list[Date] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            dates = _dates_of(match)
            taken.append(match.span())  # a day not of the calendar is no date at all
            if dates:
                found.extend(Date(v, t, match.start(), match.end()) for v, t in dates)
    return sorted(found, key=lambda d: (d.start, d.value))


def _dates_of(match: re.Match[str]) -> list[tuple[str, str]]:
    groups = match.groupdict()
    year, day = groups.get("y"), groups.get("d")
    month = groups.get("m") or (
        f"{_MONTHS[groups['mn'].lower()]:02d}" if groups.get("mn") else None
    )
    if groups.get("y2"):
        assert year is not None
        return [(year, "gYear"), (groups["y2"], "gYear")] if year <= groups["y2"] else []
    try:
        datetime.date(int(year or 2000), int(month or 1), int(day or 1))  # 2000: a leap year
    except ValueError:
        return []
    if year and month and day:
        return [(f"{year}-{month}-{int(day):02d}", "date")]
    if month and day:
        return [(f"--{month}-{int(day):02d}", "gMonthDay")]
    if year and month:
        return [(f"{year}-{month}", "gYearMonth")]
    return [(year, "gYear")] if year else []


@dataclass(frozen=True)
class Mention:
    """An entity the text names (or stands for with "the cluster"), and where."""

    start: int
    end: int
    entity: str
    kind: str
    name: str
    anaphor: bool = False


@dataclass
class Proposal:
    """A fact proposed from the text: Turtle, the sentences it comes from, what it says.

    Attributes
    ----------
    kind
        One of :data:`KINDS`.
    key
        What it states, as IRIs and values (``(member, organisation, role)`` for a
        membership...), for comparing proposals with each other and with a source.
    turtle
        Its statements, uncommented, in the prefixes of the project's data files.
    spans
        The ``(start, end)`` character offsets of the sentences it comes from.
    note
        A short remark in the project's words (what an alias stood for, a date with no
        year).
    """

    kind: str
    key: tuple[str, ...]
    turtle: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    note: str = ""


class Proposer:
    """Propose facts from an article's text against one store (see the module docstring).

    Parameters
    ----------
    store
        The store whose vocabularies give the roles, levels and measures, and in which
        new IRIs are minted.
    matcher
        The names of the graph's entities (default: read from ``store``).
    """

    def __init__(
        self, store: Store, matcher: Matcher | None = None, *, language: str = "en"
    ) -> None:
        self.store = store
        self.language = language
        given = matcher if matcher is not None else Matcher.from_store(store)
        # a copy: the names of the text's new entities are added to it, not to the caller's
        self.matcher = Matcher(
            names=defaultdict(list, {e: list(n) for e, n in given.names.items()}),
            types=defaultdict(set, {e: set(t) for e, t in given.types.items()}),
            graphs=given.graphs,
            same=given.same,
        )
        self.minter = _Minter(store, self.matcher)
        self.legal_forms = _notations(store, CG_NS + "LegalForm")
        self.new: dict[str, NewEntity] = {}
        self.post_roles = _phrases(vocabulary(store, CG_NS + "PostRole"), store)
        self.member_roles = _phrases(vocabulary(store, CG_NS + "MemberRole"), store)
        self.levels = {t.slug: t for t in vocabulary(store, CG_NS + "LabelLevel")}
        self.measures = _measure_phrases(vocabulary(store, CG_NS + "Measure"), store)
        self._index = self._name_index()
        self._labels: dict[str, str] = {}

    # -- reading the text ----------------------------------------------------------------------

    def _name_index(self) -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
        index: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        for key, entity, name in self.matcher.keys():
            if len(key) < 3 or self.matcher.kind(entity) not in _MENTIONED:
                continue
            words = tuple(key.split())
            index[words[0]].append((words, entity, name))
        return index

    def mentions(self, text: str) -> list[Mention]:
        """Return the entities ``text`` names, longest names first, without overlaps."""
        words = _words(text)
        found: list[Mention] = []
        i = 0
        while i < len(words):
            best: tuple[int, str, str] | None = None
            for names, entity, name in self._index.get(words[i][0], ()):
                n = len(names)
                if tuple(w for w, _a, _b in words[i : i + n]) == names and (
                    best is None or n > best[0] or (n == best[0] and self._rank(entity, best[1]))
                ):
                    best = (n, entity, name)
            if best is None:
                i += 1
                continue
            n, entity, name = best
            start, end = words[i][1], words[i + n - 1][2]
            if text[start:end].islower() and (
                not name[1:].islower() or (" " not in name and not name.islower())
            ):
                i += 1  # "government" is a word, "Government" a name
                continue
            found.append(Mention(start, end, entity, self.matcher.kind(entity), name))
            i += n
        return found

    def _rank(self, entity: str, other: str) -> bool:
        order = ("org", "person", "project", "programme", "event", "document", "place")
        a, b = self.matcher.kind(entity), self.matcher.kind(other)
        return (order.index(a), entity) < (order.index(b), other)

    def _with_anaphors(self, text: str, named: list[Mention], focus: str | None) -> list[Mention]:
        spans = sentences(text)
        found = list(named)
        candidates: list[tuple[int, int, str]] = []
        for match in _ANAPHOR.finditer(text):
            candidates.append((match.start(), match.end(), match.group(1).lower()))
        for a, b in spans:
            opening = _SENTENCE_START_ANAPHOR.match(text[a:b])
            if opening:
                candidates.append(
                    (a + opening.start(1), a + opening.end(1), opening.group(1).lower())
                )
        for start, end, word in candidates:
            if any(m.start < end and start < m.end for m in named):
                continue
            entity = self.resolve(text, named, word, start, focus)
            if entity is not None:
                kind = self.matcher.kind(entity)
                found.append(Mention(start, end, entity, kind, self.matcher.name(entity), True))
        return sorted(found, key=lambda m: m.start)

    def resolve(
        self, text: str, named: Sequence[Mention], word: str, at: int, focus: str | None
    ) -> str | None:
        """Return the entity a class word ("the cluster") at ``at`` stands for, if one.

        The last organisation of that class named before it as a subject (not after
        "with", "by", "of", ...); else the organisation the article names most, if it
        is a cluster organisation and the word one of "cluster", "network",
        "association".
        """
        classes = _ANAPHORS.get(word, frozenset())
        for m in reversed(named):
            if m.end > at or not self.matcher.types.get(m.entity, set()) & classes:
                continue
            a, _b = _span_of(m.start, text)
            if text[a : m.start].rstrip().endswith("("):
                continue  # "Name (ACRONYM)": the name before it decides
            if not _NOT_SUBJECT.search(text[a : m.start]):
                return m.entity
        if (
            focus is not None
            and word in ("cluster", "network", "association")
            and self.matcher.types.get(focus, set()) & _CLUSTER_ORGANISATIONS
        ):
            return focus
        return None

    # -- entities the graph does not name yet -------------------------------------------

    def _forget_new(self) -> None:
        for iri, found in self.new.items():
            self.matcher.names.pop(iri, None)
            self.matcher.types.pop(iri, None)
            for words in found.keys():
                entries = self._index.get(words[0], [])
                entries[:] = [e for e in entries if e[1] != iri]
        self.matcher._keys = None
        self.new = {}
        self.minter.new = set()

    def _discover(self, text: str, named: Sequence[Mention]) -> bool:
        """Find names the graph does not have, and add them to the names read.

        An organisation is found by its kind's word ("... Cluster", "... Association")
        or its legal form ("UAB ..."), a person next to a post word.

        Each is minted an IRI by the slug rules (numbered when taken) and added to the
        names this proposer reads, with the acronym in brackets after it as an alias.
        """
        taken = [(m.start, m.end) for m in named]
        found: list[NewEntity] = []

        def free(a: int, b: int) -> bool:
            return not any(x < b and a < y for x, y in taken)

        if self.legal_forms:
            forms = "|".join(re.escape(f) for f in sorted(self.legal_forms, key=len, reverse=True))
            for match in re.finditer(_COMPANY.format(forms=forms), text):
                start, end = match.start(), match.end()
                if free(start, end) and len(match.group("rest")) > 1:
                    legal = self.legal_forms[match.group("form")]
                    name = f"{match.group('form')} {match.group('rest').strip()}"
                    found.append(self._new("org", name, CG_NS + "Company", legal=legal))
                    taken.append((start, end))
        for match in _NEW_ORG.finditer(text):
            name = match.group("name")
            start = match.start("name")
            lead = re.match(r"^(?:(?:The|A|An|On|In|At|By|Of|And|With|For)\s+)+", name)
            if lead:
                name, start = name[lead.end() :], start + lead.end()
            words = name.split()
            head = words[-1].lower()
            inner = [  # "European Secretariat for Cluster Analysis", "Ministry of Economy"
                w.lower()
                for w, after in zip(words[:-1], words[1:], strict=False)
                if w.lower() in _HEADS and after in ("for", "of")
            ]
            if head not in _HEADS and inner:
                head = inner[0]
            form = self.legal_forms.get(words[0]) if len(words) > 1 else None
            if (head not in _HEADS and form is None) or len(words) < 2:
                continue
            if form is None and head in _HEADS and not any(w[:1].isupper() for w in words[:-1]):
                continue
            end = start + len(name)
            if not free(start, end):
                continue
            cls = CG_NS + "Company" if form else _HEADS[head]
            acronym = re.match(r"^\s*\((?P<a>[A-Z][A-Za-z0-9&]{1,12})\)", text[end:])
            alias = (
                acronym.group("a")
                if acronym and sum(c.isupper() for c in acronym.group("a")) > 1
                else None
            )
            found.append(self._new("org", name, cls, alias=alias, legal=form))
            taken.append((start, end))
        known = [(m.start, m.end) for m in named if m.kind == "org"]
        known += [span for span in taken if span not in known]
        for a, b in sentences(text):
            found += self._listed(text, a, b, known, taken)
            for start, end, _role in _occurrences(self.post_roles, text, a, b):
                for match in _person_near(text, a, b, start, end):
                    if free(match.start(), match.end()):
                        found.append(self._new("person", match.group(), FOAF_PERSON))
                        taken.append(match.span())
        return bool(found)

    def _listed(
        self,
        text: str,
        a: int,
        b: int,
        known: Sequence[tuple[int, int]],
        taken: list[tuple[int, int]],
    ) -> list[NewEntity]:
        """Return the names of a list after a colon that also names organisations.

        "... clusters ...: FETEK, LitCare, Vilnius Film Cluster, iVita." With three names
        or more, one of them an organisation already found, the others are organisations
        too (clusters if the words before the colon say so).
        """
        colon = text.find(":", a, b)
        if colon < 0:
            return []
        items = []
        for match in re.finditer(r"[^,;]+", text[colon + 1 : b]):
            item = match.group()
            start = colon + 1 + match.start() + len(item) - len(item.lstrip())
            item = re.sub(r"^\s*(?:and\s+)", "", item.strip())
            start = text.find(item, start)
            item = re.sub(r"\s*\([^()]*\)\s*$|\.$", "", item).strip()
            items.append((start, start + len(item), item))
        if len(items) < 3 or not all(
            re.fullmatch(rf"(?:{_CAP}|[a-z]+[A-Z][\w-]*)(?:[ \u00a0](?:{_CAP}|&|and|of|for))*", i)
            for _s, _e, i in items
        ):
            return []
        inside = [(s, e, i) for s, e, i in items if any(x < e and s < y for x, y in known)]
        if not inside:
            return []
        cls = CG_NS + "Cluster" if re.search(r"\bclusters\b", text[a:colon], re.I) else _ORG_CLASS
        found = []
        for start, end, item in items:
            if any(x < end and start < y for x, y in taken) or start < 0:
                continue
            found.append(self._new("org", item, cls))
            taken.append((start, end))
        return found

    def _new(
        self, kind: str, name: str, cls: str, *, alias: str | None = None, legal: str | None = None
    ) -> NewEntity:
        from clustergraph.project.layout import entity_iri
        from clustergraph.queries.reconcile import slugify

        key = search_key(name)
        for known in self.new.values():
            if search_key(known.name) == key:
                return known
        base = slugify(name, drop_legal_form=kind == "org") or "unnamed"
        number = 1
        while True:
            iri = entity_iri(kind, base if number == 1 else f"{base}-{number}")
            if (
                iri not in self.matcher.names
                and iri not in self.matcher.types
                and iri not in self.new
            ):
                break
            number += 1
        entity = NewEntity(iri, name, cls, alias, legal, base if kind == "org" else "")
        self.new[iri] = entity
        self.minter.new.add(iri)
        names = [(_SKOS + "prefLabel", name)] + ([(_SKOS + "altLabel", alias)] if alias else [])
        self.matcher.names[iri] = names
        self.matcher.types[iri] = {cls}
        self.matcher._keys = None
        for words in entity.keys():
            self._index[words[0]].append((words, iri, name))
        return entity

    # -- proposing -------------------------------------------------------------------------

    def focus(self, text: str, named: Sequence[Mention]) -> str | None:
        """Return the organisation the article names most, the first named if tied.

        A name and its acronym in brackets after it count once.
        """
        counts: Counter[str] = Counter()
        previous: Mention | None = None
        for m in named:
            again = (
                previous is not None
                and previous.entity == m.entity
                and re.match(r"^\s*\(\s*$", text[previous.end : m.start])
            )
            if m.kind == "org" and not again:
                counts[m.entity] += 1
            previous = m
        first = {m.entity: m.start for m in reversed(named)}
        return min(counts, key=lambda e: (-counts[e], first[e])) if counts else None

    def propose(self, text: str) -> list[Proposal]:
        """Return the facts proposed from ``text``, by kind (:data:`KINDS`), each once."""
        self._forget_new()
        named = self.mentions(text)
        if self._discover(text, named):
            named = self.mentions(text)
        focus = self.focus(text, named)
        mentions = self._with_anaphors(text, named, focus)
        proposals: dict[tuple[str, ...], Proposal] = {}

        def add(found: Proposal | None, span: tuple[int, int]) -> None:
            if found is None:
                return
            key = (found.kind, *found.key)
            kept = proposals.setdefault(key, found)
            if span not in kept.spans:
                kept.spans.append(span)

        for mention in named:
            span = _span_of(mention.start, text)
            add(self._entity(mention), span)
        dates = find_dates(text)
        for date in dates:
            add(self._date(date), _span_of(date.start, text))
        for a, b in sentences(text):
            inside = [m for m in mentions if a <= m.start and m.end <= b]
            days = [d for d in dates if a <= d.start and d.end <= b]
            context = _Sentence(text, a, b, inside, days, focus)
            for found in self._posts(context):
                add(found, (a, b))
            for found in self._memberships(context, named):
                add(found, (a, b))
            for found in self._awards(context):
                add(found, (a, b))
            for found in self._foundings(context):
                add(found, (a, b))
            for found in self._figures(context):
                add(found, (a, b))
        # One membership per member and organisation: the most specific kind stated.
        kept: dict[tuple[str, ...], Proposal] = {}
        for key, proposal in proposals.items():
            if proposal.kind == "membership":
                pair = ("membership", *proposal.key[:2])
                other = kept.get(pair)
                if other is not None and other.key[2].endswith("/member"):
                    proposal.spans = sorted(set(proposal.spans) | set(other.spans))
                    kept[pair] = proposal
                elif other is not None:
                    other.spans = sorted(set(proposal.spans) | set(other.spans))
                else:
                    kept[pair] = proposal
            else:
                kept[key] = proposal
        ordered = sorted(kept.values(), key=lambda p: (KINDS.index(p.kind), p.spans[0], p.key))
        return ordered

    # -- the kinds ---------------------------------------------------------------------------

    def _entity(self, mention: Mention) -> Proposal:
        iri = mention.entity
        if iri in self.new:
            return self.new[iri].proposal(self.language)
        types = sorted(self.matcher.types.get(iri, ()))
        cls = next((t for t in types if t.startswith(CG_NS)), types[0] if types else None)
        label = self._label(iri)
        turtle = _pn(iri) + (f" a {_pn(cls)}" if cls else "")
        if label:
            turtle += (" ;" if cls else "") + f" skos:prefLabel {label}"
        elif not cls:
            turtle += " a rdfs:Resource"
        name = self.matcher.name(iri)
        note = f"as {mention.name!r}" if search_key(mention.name) != search_key(name) else ""
        return Proposal("entity", (iri,), turtle + " .", note=note)

    def _label_or(self, iri: str, label: str) -> str:
        """Return the record's own label when the graph holds one, else ``label`` in English."""
        return self._label(iri) or f"{_lit(label)}@en"

    def _label(self, iri: str) -> str:
        if iri not in self._labels:
            result = self.store.query(
                f"SELECT ?l WHERE {{ <{iri}> <{_SKOS}prefLabel> ?l }} ORDER BY ?l LIMIT 20"
            )
            assert isinstance(result, SelectResult)
            labels = [row[0] for row in result.rows if row[0] is not None]
            english = [t for t in labels if getattr(t, "language", None) in ("en", "en-gb")]
            chosen = (english or labels)[:1]
            self._labels[iri] = _literal(chosen[0]) if chosen else ""
        return self._labels[iri]

    def _date(self, date: Date) -> Proposal:
        if date.datatype == "gMonthDay":
            turtle = f'[] cg:date "{date.value}"^^xsd:gMonthDay .'
            return Proposal("date", (date.value,), turtle, note="no year: date what it dates")
        iri = self.minter.instant(date.value).iri
        prop = {"date": "inXSDDate", "gYearMonth": "inXSDgYearMonth", "gYear": "inXSDgYear"}
        turtle = (
            f"{_pn(iri)} a time:Instant ; time:{prop[date.datatype]} "
            f'"{date.value}"^^xsd:{date.datatype} .'
        )
        return Proposal("date", (date.value,), turtle)

    def _posts(self, s: _Sentence) -> Iterable[Proposal]:
        for start, end, role in _occurrences(self.post_roles, s.text, s.a, s.b):
            org, org_end = self._org_of(s, end, role)
            people = [m for m in s.mentions if m.kind == "person"]
            if not people:
                continue
            holder = min(people, key=lambda m: _distance(m, start, max(end, org_end)))
            if org is None or org == holder.entity:
                continue
            yield from self._post(org, role, holder.entity)

    def _org_of(self, s: _Sentence, end: int, role: Term) -> tuple[str | None, int]:
        """Return the organisation of a post word ending at ``end``, and where it ends."""
        tail = s.text[end : s.b]
        of = re.match(r"^\s+of\s+", tail)
        if of:
            for m in s.orgs():
                if m.start >= end and _LINK.match(s.text[end : m.start]):
                    return m.entity, m.end
            limit = min((m.start for m in s.mentions if m.start >= end), default=s.b)
            found = self._office(s.text[end + of.end() : limit], role)
            if found is not None:
                return found, end + of.end()
            return None, end
        return s.focus, end

    def _office(self, tail: str, role: Term) -> str | None:
        """Return the organisation "Minister of X" or "Chair of the X" names by part of its name."""
        words = re.findall(r"[^\W\d_][\w&'’-]*", tail)[:6]
        lead = [w for w in words if w[:1].isupper() or w.lower() in ("and", "of", "&")]
        if not lead or words[: len(lead)] != lead:
            while words and words[0].lower() == "the":
                words = words[1:]
            lead = []
            for w in words:
                if w[:1].isupper() or (lead and w.lower() in ("and", "of", "&")):
                    lead.append(w)
                else:
                    break
        while lead and lead[-1].lower() in ("and", "of", "&"):
            lead.pop()
        if not lead:
            return None
        phrase = search_key(" ".join(lead))
        office = {"minister": "ministry"}.get(role.slug)
        hits: set[str] = set()
        for key, entity, _name in self.matcher.keys():
            if self.matcher.kind(entity) != "org":
                continue
            wanted = f"{office} of {phrase}"
            if office and (key == wanted or key.startswith(wanted + " of ")):
                hits.add(entity)
            elif not office and key.endswith(" " + phrase) and len(phrase.split()) >= 2:
                hits.add(entity)
        return next(iter(hits)) if len(hits) == 1 else None

    def _post(self, org: str, role: Term, holder: str) -> Iterable[Proposal]:
        try:
            iri = self.minter.post(f"<{org}>", role.slug, f"<{holder}>").iri
        except InputError:
            return
        label = f"{role.label[:1].upper()}{role.label[1:]} of {self.matcher.name(org)}"
        turtle = (
            f"{_pn(iri)} a cg:Post ;\n    skos:prefLabel {self._label_or(iri, label)} ;\n"
            f"    org:postIn {_pn(org)} ;\n    org:role {_pn(role.iri)} ;\n"
            f"    org:heldBy {_pn(holder)} ."
        )
        yield Proposal("post", (org, role.iri, holder), turtle)

    def _memberships(self, s: _Sentence, named: Sequence[Mention]) -> Iterable[Proposal]:
        member_role = next((t for t, _p in self.member_roles if t.slug == "member"), None)
        for start, end, role in _occurrences(self.member_roles, s.text, s.a, s.b):
            if not re.match(r"^s?\s+of\s+", s.text[end : s.b]) or not _BECOME.search(
                s.text[max(s.a, start - 20) : start]
            ):
                continue
            org = s.org_after(end + len(re.match(r"^s?\s+of\s+", s.text[end:]).group()))  # type: ignore[union-attr]
            member = s.subject_before(start)
            if org and member:
                yield from self._membership(member, org, role)
        for match in _PARTICIPATES.finditer(s.text, s.a, s.b):
            where = next(
                (
                    m
                    for m in s.orgs()
                    if m.start >= match.end() and _LINK.match(s.text[match.end() : m.start])
                ),
                None,
            )
            classes = self.matcher.types.get(where.entity, set()) if where else set()
            member = s.subject_before(match.start()) or s.focus
            aim = re.search(r"\baims?\b", s.text[s.a : match.start()])  # an aim is no fact
            if where and member and member_role and classes & _CLUSTER_ORGANISATIONS and not aim:
                yield from self._membership(member, where.entity, member_role)
        for match in _JOINED.finditer(s.text, s.a, s.b):
            org = s.org_after(match.end())
            member = s.subject_before(match.start())
            if not (org and member):
                continue
            kind = member_role
            stated = re.search(r"\bas\s+an?\s+", s.text[match.end() : s.b])
            if stated:
                after = stated.end() + match.end()
                for start, _end, role in _occurrences(self.member_roles, s.text, after, s.b):
                    if start == after:
                        kind = role
            if kind is not None:
                yield from self._membership(member, org, kind)
        for match in re.finditer(r"\bmembers\s*\(", s.text[s.a : s.b]):
            open_at = s.a + match.end()
            close_at = s.text.find(")", open_at, s.b)
            if close_at < 0 or member_role is None:
                continue
            listed = [m for m in s.orgs() if open_at <= m.start and m.end <= close_at]
            before = [m for m in s.orgs() if m.end <= s.a + match.start()]
            word = re.search(r"(\w+)\s+$", s.text[s.a : s.a + match.start()])
            if before and not s.text[before[-1].end : s.a + match.start()].strip():
                org = before[-1].entity  # "LAuGEA members (...)"
            elif word and word.group(1).lower() in _ANAPHORS:  # "cluster members (...)"
                org = self.resolve(s.text, named, word.group(1).lower(), s.a, s.focus)
            else:
                org = s.focus
            for m in listed:
                if org and m.entity != org:
                    yield from self._membership(m.entity, org, member_role)

    def _membership(self, member: str, org: str, role: Term) -> Iterable[Proposal]:
        if member == org:
            return
        try:
            iri = self.minter.membership(f"<{member}>", f"<{org}>").iri
        except InputError:
            return
        label = f"{self.matcher.name(member)}, {role.label} of {self.matcher.name(org)}"
        turtle = (
            f"{_pn(iri)} a cg:Membership ;\n    skos:prefLabel {self._label_or(iri, label)} ;\n"
            f"    org:member {_pn(member)} ;\n    org:organization {_pn(org)} ;\n"
            f"    org:role {_pn(role.iri)} ."
        )
        yield Proposal("membership", (member, org, role.iri), turtle)

    def _awards(self, s: _Sentence) -> Iterable[Proposal]:
        levels = "|".join(re.escape(t.label) for t in self.levels.values())
        if not levels:
            return
        pattern = re.compile(rf"\b({levels})\b(?:\s+[\w-]+){{0,2}}?\s+labels?\b", re.IGNORECASE)
        found = list(pattern.finditer(s.text, s.a, s.b))
        for match in found:
            level = self._level(match.group(1))
            holders: list[str] = []
            window = s.text[s.a : match.start()]
            possessive = [
                m
                for m in s.orgs()
                if m.end <= match.start()
                and re.match(r"^['’]s(?:\s+[\w-]+){0,4}\s*$", s.text[m.end : match.start()])
            ]
            holders += [m.entity for m in possessive[-1:]]
            for verb in _AWARDED_PASSIVE.finditer(window):
                subject = s.subject_before(s.a + verb.start())
                holders += [subject] if subject else []
            for verb in _AWARDED_ACTIVE.finditer(window):
                holders += [
                    m.entity
                    for m in s.orgs()
                    if s.a + verb.end() <= m.start
                    and m.end <= match.start()
                    and not re.search(r"\b(?:by|with)\b", s.text[s.a + verb.end() : m.start])
                ]
            for verb in _RECEIVED.finditer(window):
                subject = s.subject_before(s.a + verb.start())
                holders += [subject] if subject else []
            for holder in dict.fromkeys(holders):
                yield from self._award(holder, level)
        if not found and _LABEL_LIST.search(s.text, s.a, s.b):
            listed = s.listed()
            before = self._level_before(s)
            if len(listed) >= 3 and before is not None:
                for m in listed:
                    yield from self._award(m.entity, before)

    def _level(self, word: str) -> Term:
        return next(t for t in self.levels.values() if t.label.lower() == word.lower())

    def _level_before(self, s: _Sentence) -> Term | None:
        levels = "|".join(re.escape(t.label) for t in self.levels.values())
        earlier = sentences(s.text[: s.a])[-2:]
        for a, b in reversed(earlier):
            words = re.findall(rf"\b({levels})\b\s+labels?\b", s.text[a:b], re.IGNORECASE)
            if words:
                return self._level(words[-1])
        return None

    def _award(self, holder: str, level: Term) -> Iterable[Proposal]:
        try:
            iri = self.minter.award(holder=f"<{holder}>", level=level.slug).iri
        except InputError:
            return
        label = f"{self.matcher.name(holder)}'s {level.label} label"
        turtle = (
            f"{_pn(iri)} a cg:ExcellenceLabelAward ;\n"
            f"    skos:prefLabel {self._label_or(iri, label)} ;\n"
            f"    cg:awardedTo {_pn(holder)} ;\n    cg:labelLevel {_pn(level.iri)} ."
        )
        yield Proposal("award", (holder, level.iri), turtle)

    def _foundings(self, s: _Sentence) -> Iterable[Proposal]:
        for match in _FOUNDED.finditer(s.text, s.a, s.b):
            date = next((d for d in s.dates if d.start == match.end()), None)
            if date is None or date.datatype == "gMonthDay":
                continue
            org = s.subject_before(match.start())
            if org is None:
                after = [m for m in s.orgs() if m.start >= date.end]
                org = after[0].entity if after else None
            if org is None:
                continue
            turtle = f'{_pn(org)} schema:foundingDate "{date.value}"^^xsd:{date.datatype} .'
            yield Proposal("founding", (org, date.value), turtle)

    def _figures(self, s: _Sentence) -> Iterable[Proposal]:
        for match in _NUMBER.finditer(s.text, s.a, s.b):
            if any(d.start <= match.start() < d.end for d in s.dates):
                continue
            raw = match.group("n").lower()
            value = _NUMBER_WORDS.get(raw)
            if value is None:
                value = int(raw.replace(",", ""))
            before = s.text[s.a : match.start()]
            after = s.text[match.end() : s.b]
            if (
                re.search(r"\b(?:the|these|those|its|their|all)\s+$", before, re.IGNORECASE)
                or re.match(r"^\s+(?:more|fewer|less|times|per)\b", after)
                or re.search(r"\bwill\b|\bexpected\b", after[:80])
            ):
                continue  # a reference back, a difference, a forecast: not a count stated
            found = self._measure(after)
            if found is None:
                continue
            measure = found
            if _FOUNDING_MEMBERS.search(before) and measure.slug in (
                "member-cluster-count",
                "member-count",
            ):
                measure = next(
                    (t for t, _p in self.measures if t.slug == "founding-member-count"), measure
                )
            comparator = next((c for p, c in _COMPARATORS if p.search(before)), "exactly")
            subject = s.subject_before(match.start(), kinds=("org", "project")) or s.focus
            if subject is None:
                continue
            try:
                iri = self.minter.figure(f"<{subject}>", measure.slug).iri
            except InputError:
                continue
            turtle = (
                f"{_pn(iri)} a cg:Figure ;\n    cg:figureOf {_pn(subject)} ;\n"
                f"    cg:measure {_pn(measure.iri)} ;\n    cg:value {value} ;\n"
                f"    cg:comparator cmp:{comparator} ."
            )
            yield Proposal("figure", (subject, measure.iri, str(value)), turtle)

    def _measure(self, tail: str) -> Term | None:
        words = search_key(tail[:160]).split()[:10]
        best: tuple[int, int, Term] | None = None
        for term, phrase in self.measures:
            n = len(phrase)
            for skip in range(0, 4):
                if tuple(words[skip : skip + n]) == phrase:
                    if any(w in ("of", "in", "on", "by", "from") for w in words[:skip]):
                        break
                    if best is None or (skip, -n) < (best[0], -best[1]):
                        best = (skip, n, term)
                    break
        return best[2] if best else None


@dataclass
class _Sentence:
    text: str
    a: int
    b: int
    mentions: list[Mention]
    dates: list[Date]
    focus: str | None

    def orgs(self, kinds: Sequence[str] = ("org",)) -> list[Mention]:
        return [m for m in self.mentions if m.kind in kinds]

    def org_after(self, at: int) -> str | None:
        for m in self.orgs():
            if m.start >= at and _LINK.match(self.text[at : m.start]):
                return m.entity
        return None

    def subject_before(self, at: int, *, kinds: Sequence[str] = ("org",)) -> str | None:
        """Return the organisation a phrase at ``at`` says something of.

        It is named before the phrase, not as the object of "by", "of", ...
        ("coordinated by X" is not the subject).
        """
        for m in reversed(self.orgs(kinds)):
            if m.end > at:
                continue
            if _NOT_SUBJECT.search(self.text[self.a : m.start]) and not m.anaphor:
                continue
            if re.search(r"\bwhich\b|\bthat\b", self.text[m.end : at]) and not re.search(
                r",\s*which\b", self.text[m.end : at]
            ):
                continue
            return m.entity
        if re.match(r"^\s*(?:It|it)\b", self.text[self.a : at]) or re.search(
            r"\b(?:it|It)\s+\w+\s*$", self.text[self.a : at]
        ):
            return self.focus
        return None

    def listed(self) -> list[Mention]:
        """Return the longest run of organisations named one after another (``A, B and C``)."""
        orgs = [m for m in self.orgs() if not m.anaphor]
        best: list[Mention] = []
        run: list[Mention] = []
        for m in orgs:
            if run and _LIST_GLUE.match(self.text[run[-1].end : m.start]):
                run.append(m)
            elif run and re.match(
                r"^\s*\([^()]*\)\s*(?:,|,?\s*and)\s*$", self.text[run[-1].end : m.start]
            ):
                run.append(m)  # "Association (LAuGEA), Lithuanian Plastic Cluster"
            elif run and not self.text[run[-1].end : m.start].strip(" ()"):
                continue  # "Name (ACRONYM)": the same entity again
            else:
                run = [m]
            if len(run) > len(best):
                best = list(run)
        return best


FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"
_ORG_CLASS = "http://www.w3.org/ns/org#FormalOrganization"
# The word that ends an organisation's name, and the class it gives a new one.
_HEADS: Mapping[str, str] = {
    "cluster": CG_NS + "Cluster",
    "association": CG_NS + "Association",
    "network": CG_NS + "ClusterNetwork",
    "alliance": CG_NS + "ClusterAlliance",
    "agency": CG_NS + "Agency",
    "ministry": CG_NS + "Ministry",
    "consortium": CG_NS + "Consortium",
    "platform": CG_NS + "Platform",
    "university": CG_NS + "ResearchInstitution",
    "institute": CG_NS + "ResearchInstitution",
    "secretariat": _ORG_CLASS,
    "centre": _ORG_CLASS,
    "center": _ORG_CLASS,
    "council": _ORG_CLASS,
    "chamber": _ORG_CLASS,
    "foundation": _ORG_CLASS,
    "federation": _ORG_CLASS,
}
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’&.-]*"
_NEW_ORG = re.compile(
    rf"(?<![\w&])(?P<name>{_CAP}(?:[ \u00a0](?:{_CAP}|&|and|of|for|ir|de|du|"
    rf"the(?=[ \u00a0]Republic))){{0,8}}[ \u00a0]{_CAP})(?![\w&])"
)
# A company by its legal form: "UAB Termosnaigė ir ko" up to a comma, bracket or verb.
_COMPANY = (
    r"(?<![\w])(?P<form>{forms})[ \u00a0](?P<rest>[A-ZÀ-ÖØ-Þ\u0100-\u017f][^,;()\n.]{{0,60}}?)"
    r"(?=[,;)\n]|\.(?:\s|$)|\s(?:and|has|have|is|are|was|were|with)\b|$)"
)
_PERSON = r"[A-ZÀ-ÖØ-ÞĀ-ſ][a-zß-öø-ÿĀ-ſ'’-]+"
_PERSON_NAME = rf"{_PERSON}(?:\s{_PERSON}){{1,2}}"
_NOT_NAMES = frozenset(
    "the a an on in at of and for with by from to this that he she it they we our its "
    "january february march april may june july august september october november december "
    "according board assembly group committee executive general working chairman "
    "president director manager head coordinator minister chair".split()
)


def _person_near(text: str, a: int, b: int, start: int, end: int) -> list[re.Match[str]]:
    """Return a person's name next to a post word at ``start:end``.

    "NAME, the director", "NAME was appointed the director", "director NAME",
    "director of X is NAME", "director of X, NAME".
    """
    before = re.search(
        rf"(?:^|[\s,(])(?P<n>{_PERSON_NAME})(?:,\s+(?:the\s+)?|\s+(?:was|is|has been)\s+"
        r"(?:elected|appointed|named)\s+(?:as\s+)?(?:the\s+)?)$",
        text[a:start],
    )
    after = re.match(rf"^,?[ \u00a0]+(?P<n>{_PERSON_NAME})\b", text[end:b]) or re.match(
        rf"^\s+of\s+[^,.;]{{1,80}}?(?:,[ \u00a0]*|\s+is\s+)(?P<n>{_PERSON_NAME})\b",
        text[end:b],
    )
    found = []
    for match, offset in ((before, a), (after, end)):
        if match is None:
            continue
        name = match.group("n")
        if any(w.lower() in _NOT_NAMES or w.lower() in _HEADS for w in name.split()):
            continue
        again = re.compile(re.escape(name)).search(text, offset + match.start("n"))
        if again is not None:
            found.append(again)
    return found


@dataclass(frozen=True)
class NewEntity:
    """An organisation or person the text names and the graph does not (yet)."""

    iri: str
    name: str
    cls: str
    alias: str | None = None
    legal_form: str | None = None
    legal_name: str = ""

    def keys(self) -> list[tuple[str, ...]]:
        """Return the words of its names, as the text is searched."""
        return [tuple(search_key(n).split()) for n in (self.name, self.alias) if n]

    def proposal(self, language: str) -> Proposal:
        """Return its description: class and name as written (a person's ``foaf:name`` too)."""
        lines = [f"{_pn(self.iri)} a {_pn(self.cls)}"]
        lines.append(f"skos:prefLabel {_lit(self.name)}@{language}")
        if self.alias:
            lines.append(f"skos:altLabel {_lit(self.alias)}@{language}")
        if self.cls == FOAF_PERSON:
            lines.append(f"foaf:name {_lit(self.name)}")
        if self.legal_form:
            legal = re.sub(r"^\S+\s+", "", self.name)
            lines.append(f"rov:legalName {_lit(legal)} ; rov:orgType {_pn(self.legal_form)}")
        turtle = " ;\n    ".join(lines) + " ."
        return Proposal("entity", (self.iri,), turtle, note="new: not in the graph yet")


def _notations(store: Store, cls: str) -> dict[str, str]:
    result = store.query(f"SELECT ?c ?n WHERE {{ ?c a <{cls}> ; <{_SKOS}notation> ?n }}")
    assert isinstance(result, SelectResult)
    return {row[1].value: row[0].value for row in result.rows if row[0] and row[1]}


class _Minter(Minter):
    """A minter that also takes the new entities of the text as known."""

    new: set[str]

    def entity(self, text: str, *, what: str) -> str:
        if text.startswith("<") and text[1:-1] in getattr(self, "new", set()):
            return text[1:-1]
        return super().entity(text, what=what)


def _phrases(terms: Sequence[Term], store: Store) -> list[tuple[Term, tuple[str, ...]]]:
    """Each term with the words of its label and of its alternative labels."""
    alt = _alt_labels(store, [t.iri for t in terms])
    found = []
    for term in terms:
        for text in {term.label, *alt.get(term.iri, ())}:
            words = tuple(search_key(text).split())
            if words:
                found.append((term, words))
    return sorted(found, key=lambda tw: -len(tw[1]))


def _measure_phrases(terms: Sequence[Term], store: Store) -> list[tuple[Term, tuple[str, ...]]]:
    """Return a measure's labels, each also without "member" or a participle at its end.

    "member companies" gives "companies", "national projects carried out" "national projects".
    """
    found = []
    for term, words in _phrases(terms, store):
        variants = {words}
        if words[0] == "member" and len(words) > 1:
            variants.add(words[1:])
        trimmed = list(words)
        while (
            len(trimmed) > 1
            and (trimmed[-1].endswith("ed") or trimmed[-1] == "out")
            and "newly" not in trimmed
        ):
            trimmed.pop()
        variants.add(tuple(trimmed))
        found += [(term, v) for v in variants]
    return found


def _alt_labels(store: Store, iris: Sequence[str]) -> dict[str, list[str]]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    result = store.query(
        f"SELECT ?c ?l WHERE {{ VALUES ?c {{ {values} }} ?c <{_SKOS}altLabel> ?l "
        "FILTER(langMatches(LANG(?l), 'en')) }"
    )
    assert isinstance(result, SelectResult)
    found: dict[str, list[str]] = defaultdict(list)
    for c, label in result.rows:
        if c is not None and label is not None:
            found[c.value].append(label.value)
    return found


def _occurrences(
    phrases: Sequence[tuple[Term, tuple[str, ...]]], text: str, a: int, b: int
) -> list[tuple[int, int, Term]]:
    """Where the phrases occur in ``text[a:b]`` as whole words, longest first, no overlap."""
    words = [(w, s + a, e + a) for w, s, e in _words(text[a:b])]
    found: list[tuple[int, int, Term]] = []
    i = 0
    while i < len(words):
        for term, phrase in phrases:  # longest first
            n = len(phrase)
            if tuple(w for w, _s, _e in words[i : i + n]) == phrase:
                found.append((words[i][1], words[i + n - 1][2], term))
                i += n
                break
        else:
            i += 1
    return found


def _words(text: str) -> list[tuple[str, int, int]]:
    """Return the words of ``text`` as :func:`search_key` makes them, with their offsets."""
    words: list[tuple[str, int, int]] = []
    current: list[str] = []
    start = 0
    for i, char in enumerate(text):
        if char.isascii():
            key = char.lower() if char.isalnum() else ""
        elif unicodedata.combining(char):
            continue  # a mark of the letter before it (text in NFD)
        else:
            key = search_key(char).replace(" ", "")
        if key:
            if not current:
                start = i
            current.append(key)
        elif current:
            words.append(("".join(current), start, i))
            current = []
    if current:
        words.append(("".join(current), start, len(text)))
    return words


def _span_of(at: int, text: str) -> tuple[int, int]:
    for a, b in sentences(text):
        if a <= at < b:
            return a, b
    return at, at


def _distance(m: Mention, start: int, end: int) -> int:
    if m.end <= start:
        return start - m.end
    if m.start >= end:
        return m.start - end
    return 0


def _pn(iri: str) -> str:
    return compact(iri, PREFIXES)


def _lit(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{unicodedata.normalize("NFC", escaped)}"'


def _literal(term: object) -> str:
    value = getattr(term, "value", "")
    language = getattr(term, "language", None)
    datatype = getattr(term, "datatype", None)
    text = _lit(str(value))
    if language:
        return f"{text}@{language}"
    if datatype is not None and getattr(datatype, "value", "") not in ("", _XSD + "string"):
        return f"{text}^^<{datatype.value}>"
    return text
