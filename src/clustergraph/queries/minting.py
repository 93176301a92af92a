r"""IRIs for the nodes a curator writes that have no name of their own.

An organisation or a person is minted from its name (:func:`~clustergraph.queries.
reconcile.slugify`). A time instant, a period, a figure, an award, a membership and a
post are minted from what they describe, by these rules (each part a slug):

- an instant: its date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``): ``t:2025-03-03``;
- a period: its beginning (``t:from-2025-03``), its end (``t:until-2027``), both
  (``t:2099-02-01-to-2099-05-31``; two years: ``t:2021-2027``), a day it includes
  (``t:held-on-2017-06-16``), or what it bounds: an award's validity
  (``t:litek-silver-valid``), a post's tenure (``-held``), a membership's period
  (``-member``), anything else's (``-period``);
- a figure: its subject, the measure's label and the date if any:
  ``fig:litek-member-companies-2025``;
- an award: its holder and level: ``award:litek-silver``;
- a membership: member and organisation: ``mem:ftd-lt-in-eacn``;
- a post: organisation, role and the holder's last name:
  ``post:litek-coordinator-pauzolis``.

An entity a rule names is given as a prefixed name (``o:litek``), an IRI, or a name
``reconcile`` matches; its part of the slug is the last segment of its IRI. An award
given as a name ``HOLDER's LEVEL label`` (``LITEK's Silver label``) is minted from its
holder and level.

**Never colliding.** When the IRI a rule makes is already in the store, the store's node
is the same thing if it has the facts the IRI was made from (the same holder and level,
the same member and organisation, ...): it is reused. Otherwise the first free IRI of
``-2``, ``-3``, ... appended is given instead (``award:litek-silver-2``).
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clustergraph.errors import InputError
from clustergraph.project.layout import ID_NS, entity_iri
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.queries.reconcile import Matcher, slugify
from clustergraph.queries.suggest import closest_iris, namespace_of
from clustergraph.store.base import AskResult, SelectResult, Store

__all__ = ["Minted", "Minter", "Term", "instant_slug", "interval_slug", "vocabulary"]

_CG = "https://w3id.org/clustergraph/ontology#"
_ORG = "http://www.w3.org/ns/org#"
_TIME = "http://www.w3.org/2006/time#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_POSSESSIVE = re.compile(r"^(?P<holder>.+?)['’]s\s+(?P<rest>.+)$")
_BOUND_SUFFIX = {"award": "valid", "post": "held", "membership": "member"}


@dataclass(frozen=True)
class Minted:
    """An IRI minted, and whether the store holds it already as the same thing."""

    iri: str
    exists: bool = False
    """The store's node of this IRI has the facts it was made from: reuse it."""
    taken: str | None = None
    """The IRI the rule made first, when another thing holds it (a suffix was added)."""


@dataclass(frozen=True)
class Term:
    """A concept of the project's vocabulary: its IRI, label and definition."""

    iri: str
    label: str
    definition: str = ""

    @property
    def slug(self) -> str:
        """The last segment of its IRI."""
        return self.iri.rstrip("/").rsplit("/", 1)[-1]


def instant_slug(date: str) -> str:
    """Return an instant's slug: its date, checked.

    Examples
    --------
    >>> instant_slug("2025-03-03"), instant_slug("2025-03"), instant_slug("2025")
    ('2025-03-03', '2025-03', '2025')

    Raises
    ------
    InputError
        If ``date`` is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or no such day.
    """
    found = _DATE.match(date.strip())
    if not found:
        raise InputError(f"{date!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = found.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise InputError(f"{date!r} is not a date of the calendar") from None
    return date.strip()


def interval_slug(
    *, start: str | None = None, end: str | None = None, inside: str | None = None
) -> str:
    """Return a period's slug from its ends or from a day it includes.

    Examples
    --------
    >>> interval_slug(start="2099-04"), interval_slug(end="2027")
    ('from-2099-04', 'until-2027')
    >>> interval_slug(start="2021", end="2027"), interval_slug(inside="2017-06-16")
    ('2021-2027', 'held-on-2017-06-16')
    >>> interval_slug(start="2099-02-01", end="2099-05-31")
    '2099-02-01-to-2099-05-31'

    Raises
    ------
    InputError
        If a date is malformed, or the period would end before it begins.
    """
    if inside is not None:
        if start is not None or end is not None:
            raise InputError("a period is minted from its ends or from a day it includes")
        return "held-on-" + instant_slug(inside)
    if start is not None and end is not None:
        a, b = instant_slug(start), instant_slug(end)
        # ISO dates compare as text at the precision both give ("2021" ends after "2021-05").
        n = min(len(a), len(b))
        if b[:n] < a[:n]:
            raise InputError(f"a period cannot end ({b}) before it begins ({a})")
        return f"{a}-{b}" if len(a) == len(b) == 4 else f"{a}-to-{b}"
    if start is not None:
        return "from-" + instant_slug(start)
    if end is not None:
        return "until-" + instant_slug(end)
    raise InputError("a period needs --from, --to, --inside or --of")


def vocabulary(store: Store, cls: str) -> list[Term]:
    """Return the concepts of a class of the vocabulary (``cg:Measure``...), by label."""
    result = store.query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?c (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?definition) WHERE {\n"
        f"  ?c a <{cls}> ; skos:prefLabel ?l . FILTER(langMatches(LANG(?l), 'en'))\n"
        "  OPTIONAL { ?c skos:definition ?d FILTER(langMatches(LANG(?d), 'en')) }\n"
        "} GROUP BY ?c"
    )
    assert isinstance(result, SelectResult)
    terms = [
        Term(row[0].value, row[1].value, row[2].value if row[2] is not None else "")
        for row in result.rows
        if row[0] is not None and row[1] is not None
    ]
    return sorted(terms, key=lambda t: t.slug)


def closest(wanted: str, known: Sequence[str], n: int = 3) -> list[str]:
    """Return up to ``n`` of ``known`` closest to ``wanted`` (for "did you mean")."""
    return difflib.get_close_matches(wanted, known, n=n, cutoff=0.6)


class Minter:
    """Mint IRIs by the rules of the module docstring, against one store."""

    def __init__(self, store: Store, matcher: Matcher | None = None) -> None:
        self.store = store
        self.matcher = matcher if matcher is not None else Matcher.from_store(store)
        self.notes: list[str] = []  # what the user should know, one line each

    # -- what the rules refer to -----------------------------------------------------------

    def entity(self, text: str, *, what: str) -> str:
        """Return the IRI ``text`` names: a prefixed name, an IRI, or a name matched.

        A project IRI no file uses yet (an entity just minted, its facts not yet
        written) is taken as given, with a note (:attr:`notes`), unless the store has
        IRIs close to it (a misspelling, likely: refused, naming them).

        Raises
        ------
        InputError
            If ``text`` names nothing the store knows and is no project IRI.
        """
        text = text.strip()
        iri = _expand(text)
        if iri is not None:
            if not self._used(iri):
                near = [compact(i, PREFIXES) for i in closest_iris(iri, self._subjects(iri))]
                hint = f"; did you mean {', '.join(near)}?" if near else ""
                parts = iri[len(ID_NS) :].split("/") if iri.startswith(ID_NS) else []
                if near or len(parts) != 2 or not all(parts):  # near: a misspelling, likely
                    new = " (a new entity: write its type and name first)" if near else ""
                    raise InputError(f"{what} {text}: no such entity in the store{hint}{new}")
                self.notes.append(
                    f"{what} {compact(iri, PREFIXES)} is in no file yet: taken as given "
                    "(write its facts too)"
                )
            return iri
        candidates = self.matcher.match(text, limit=3)
        for candidate in candidates:
            if candidate.match:
                return candidate.iri
        hint = ", ".join(compact(c.iri, PREFIXES) for c in candidates)
        raise InputError(
            f"{what} {text!r}: no entity has this name"
            + (f"; did you mean {hint}?" if hint else "")
        )

    def concept(self, text: str, cls: str, *, what: str, prefix: str) -> Term:
        """Return the concept of ``cls`` that ``text`` names (slug, prefixed name, label).

        Raises
        ------
        InputError
            If none does; the message lists the closest and where to find them all.
        """
        terms = vocabulary(self.store, cls)
        key = text.strip()
        if ":" in key and not key.startswith("http"):
            key = key.split(":", 1)[1]
        for term in terms:
            if key in (term.slug, term.iri) or slugify(key) in (term.slug, slugify(term.label)):
                return term
        names = [t.slug for t in terms]
        near = closest(slugify(key), names)
        hint = f"did you mean {', '.join(prefix + n for n in near)}? " if near else ""
        raise InputError(
            f"{what} {text!r} is not one of the project's; {hint}"
            f"known: {', '.join(prefix + n for n in names)}"
        )

    def slug_of(self, iri: str) -> str:
        """Return the part of a slug an entity gives: its IRI's last segment."""
        if iri.startswith(ID_NS):
            return iri.rstrip("/").rsplit("/", 1)[-1]
        return slugify(self.matcher.name(iri)) or slugify(iri.rsplit("/", 1)[-1])

    # -- the kinds ---------------------------------------------------------------------------

    def instant(self, date: str) -> Minted:
        """Mint a ``time:Instant`` from its date: one date, one instant (always reused)."""
        iri = entity_iri("time", instant_slug(date))
        return Minted(iri, exists=self._used(iri))

    def interval(
        self,
        *,
        start: str | None = None,
        end: str | None = None,
        inside: str | None = None,
        of: str | None = None,
    ) -> Minted:
        """Mint a ``time:Interval`` from its ends, a day it includes, or what it bounds."""
        if of is not None:
            if start or end or inside:
                raise InputError("a period is minted from its ends or from what it bounds")
            bounded = self.entity(of, what="--of")
            kind = bounded[len(ID_NS) :].split("/", 1)[0] if bounded.startswith(ID_NS) else ""
            slug = f"{self.slug_of(bounded)}-{_BOUND_SUFFIX.get(kind, 'period')}"
            return self._free("time", slug, [f"<{bounded}> ?p ?this"])
        slug = interval_slug(start=start, end=end, inside=inside)
        facts = []
        if start is not None:
            facts.append(f"?this <{_TIME}hasBeginning> <{entity_iri('time', start)}>")
        if end is not None:
            facts.append(f"?this <{_TIME}hasEnd> <{entity_iri('time', end)}>")
        if inside is not None:
            facts.append(f"?this <{_TIME}inside> <{entity_iri('time', inside)}>")
        return self._free("time", slug, facts)

    def figure(self, of: str, measure: str, as_of: str | None = None) -> Minted:
        """Mint a ``cg:Figure`` from its subject, its measure and the date it holds at."""
        subject = self.entity(of, what="--of")
        term = self.concept(measure, _CG + "Measure", what="measure", prefix="measure:")
        parts = [self.slug_of(subject), slugify(term.label)]
        facts = [f"?this <{_CG}figureOf> <{subject}>", f"?this <{_CG}measure> <{term.iri}>"]
        if as_of is not None:
            parts.append(instant_slug(as_of))
            facts.append(f"?this <{_CG}asOf> ?date FILTER(STR(?date) = {_quoted(as_of)})")
        return self._free("figure", "-".join(parts), facts)

    def award(
        self, name: str | None = None, *, holder: str | None = None, level: str | None = None
    ) -> Minted:
        """Mint a ``cg:ExcellenceLabelAward`` from its holder and level.

        ``name`` may give both, as ``HOLDER's LEVEL label``.
        """
        if name is not None and (holder is None or level is None):
            found = _POSSESSIVE.match(name.strip())
            if not found:
                raise InputError(
                    f'{name!r}: name an award "HOLDER\'s LEVEL label" '
                    '("LITEK\'s Silver label"), or give --holder and --level'
                )
            holder = holder or found["holder"]
            level = level or found["rest"].split()[0]
        if holder is None or level is None:
            raise InputError("an award needs its holder and level (--holder, --level)")
        who = self.entity(holder, what="holder")
        term = self.concept(level, _CG + "LabelLevel", what="level", prefix="level:")
        facts = [f"?this <{_CG}awardedTo> <{who}>", f"?this <{_CG}labelLevel> <{term.iri}>"]
        return self._free("award", f"{self.slug_of(who)}-{term.slug}", facts)

    def membership(self, member: str, of: str) -> Minted:
        """Mint a ``cg:Membership`` from its member and organisation."""
        who = self.entity(member, what="member")
        where = self.entity(of, what="--of")
        facts = [f"?this <{_ORG}member> <{who}>", f"?this <{_ORG}organization> <{where}>"]
        return self._free("membership", f"{self.slug_of(who)}-in-{self.slug_of(where)}", facts)

    def post(self, of: str, role: str, holder: str | None = None) -> Minted:
        """Mint a ``cg:Post`` from its organisation, role and holder's last name."""
        where = self.entity(of, what="--of")
        term = self.concept(role, _CG + "PostRole", what="post role", prefix="role:")
        parts = [self.slug_of(where), term.slug]
        facts = [f"?this <{_ORG}postIn> <{where}>", f"?this <{_ORG}role> <{term.iri}>"]
        if holder is not None:
            who = self.entity(holder, what="holder")
            parts.append(self.slug_of(who).rsplit("-", 1)[-1])
            facts.append(f"?this <{_ORG}heldBy> <{who}>")
        return self._free("post", "-".join(parts), facts)

    # -- the suffix rule ---------------------------------------------------------------------

    def _free(self, kind: str, slug: str, facts: Sequence[str]) -> Minted:
        first = entity_iri(kind, slug)
        if not self._used(first):
            return Minted(first)
        if facts and self._has(first, facts):
            return Minted(first, exists=True)
        number = 2
        while True:
            iri = entity_iri(kind, f"{slug}-{number}")
            if not self._used(iri):
                return Minted(iri, taken=first)
            if facts and self._has(iri, facts):
                return Minted(iri, exists=True)
            number += 1

    def _used(self, iri: str) -> bool:
        result = self.store.query(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}")
        return isinstance(result, AskResult) and result.value

    def _subjects(self, iri: str) -> list[str]:
        result = self.store.query(
            "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
            f"FILTER(STRSTARTS(STR(?s), {_quoted(namespace_of(iri))})) }}"
        )
        assert isinstance(result, SelectResult)
        return [row[0].value for row in result.rows if row[0] is not None]

    def _has(self, iri: str, facts: Sequence[str]) -> bool:
        body = " . ".join(f.replace("?this", f"<{iri}>") for f in facts)
        result = self.store.query(f"ASK {{ {body} }}")
        return isinstance(result, AskResult) and result.value


def _expand(text: str) -> str | None:
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://")):
        return text
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and " " not in text:
        return PREFIXES[prefix] + local
    return None


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def kinds_minted_from_facts() -> Mapping[str, str]:
    """Return the kinds minted from what they describe, and the options each takes."""
    return {
        "time": "DATE | --from DATE --to DATE --inside DATE --of ENTITY",
        "figure": "--of ENTITY --measure MEASURE [--as-of DATE]",
        "award": '["HOLDER\'s LEVEL label"] | --holder ENTITY --level LEVEL',
        "membership": "--member ENTITY --of ORGANISATION",
        "post": "--of ORGANISATION --role ROLE [--holder PERSON]",
    }
