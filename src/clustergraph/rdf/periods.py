"""When a fact holds: the one rule for reading periods and dates as of a day.

A fact with a period (a membership's ``org:memberDuring``, a post's ``cg:heldDuring``, a
label's ``cg:validDuring``, a project's ``cg:period``: OWL-Time intervals with
``time:hasBeginning``, ``time:hasEnd`` and ``time:inside``), an organisation with its
founding (and dissolution) date, an event or a document with its date: each is read as a
:class:`Period` and asked whether it holds on a day (:meth:`Period.on`). Every command
that answers *as of a date* (``query``, ``analyze``, ``path``, ``view``, ``build``,
``analyze --over``) and the library queries that take ``asOf`` use this rule:

* a bound known to the **year** or the **month** counts by its widest reading: a
  beginning from the first day of that year or month, an end until its last day
  (``2021`` as a beginning is 1 January 2021, as an end 31 December 2021);
* a period known on **one side only** holds from its beginning on, or up to its end
  (as Wikidata reads a start time without an end time);
* a period known only by a day it includes (``time:inside``) holds on that day; on
  any other day, and for a fact with **no period**, it is *not stated*: such facts are
  kept and marked (:attr:`Holds.NOT_STATED`), or left out on request;
* a date without a year (``--06-06``) says nothing of a day; the curator's inferred
  date (``cg:inferredDate``) stands in for it, marked as inferred.

The library's SPARQL applies the same rule with :func:`sparql_status`: the date cut to
the precision of each bound and compared with it as text (ISO 8601 dates sort as text).

Examples
--------
>>> from datetime import date
>>> Period(begin="2021", end="2022-06").on(date(2021, 1, 1))
<Holds.YES: 'holds'>
>>> Period(begin="2021", end="2022-06").on(date(2022, 7, 1))
<Holds.NO: 'does not hold'>
>>> Period(inside=("2020-05-27",)).on(date(2020, 5, 28))
<Holds.NOT_STATED: 'period not stated'>
>>> first_day("2020-02"), last_day("2020-02"), last_day("--06-06")
(datetime.date(2020, 2, 1), datetime.date(2020, 2, 29), None)
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date

from clustergraph.errors import InputError

__all__ = [
    "Holds",
    "Period",
    "first_day",
    "last_day",
    "parse_day",
    "sparql_status",
    "steps",
]

_LEXICAL = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?"
    r"(?:T[0-9:.]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?"
)


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Holds(enum.Enum):
    """Whether a fact holds on a day, by its period."""

    YES = "holds"
    NO = "does not hold"
    NOT_STATED = "period not stated"


def _parts(lexical: str) -> tuple[int, int | None, int | None] | None:
    match = _LEXICAL.fullmatch(lexical.strip())
    if match is None:
        return None
    month, day = match["month"], match["day"]
    return int(match["year"]), int(month) if month else None, int(day) if day else None


def first_day(lexical: str) -> date | None:
    """Return the first day a date of any precision covers (``None``: no year, or not a date).

    Examples
    --------
    >>> first_day("2019"), first_day("2019-10"), first_day("2019-10-05T12:00:00Z")
    (datetime.date(2019, 1, 1), datetime.date(2019, 10, 1), datetime.date(2019, 10, 5))
    """
    parts = _parts(lexical)
    if parts is None:
        return None
    year, month, day = parts
    try:
        return date(year, month or 1, day or 1)
    except ValueError:
        return None


def last_day(lexical: str) -> date | None:
    """Return the last day a date of any precision covers (``None``: no year, or not a date).

    Examples
    --------
    >>> last_day("2019"), last_day("2019-02"), last_day("2019-02-03")
    (datetime.date(2019, 12, 31), datetime.date(2019, 2, 28), datetime.date(2019, 2, 3))
    """
    parts = _parts(lexical)
    if parts is None:
        return None
    year, month, day = parts
    try:
        if month is None:
            return date(year, 12, 31)
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class Period:
    """When a fact holds, as its data gives it (lexical forms of any precision).

    Attributes
    ----------
    begin, end
        The beginning and end, if known (``2021``, ``2021-05``, ``2021-05-03``).
    inside
        Days the period is known to include (``time:inside``).
    inferred
        Whether a bound is the curator's inference rather than the source's words.
    """

    begin: str | None = None
    end: str | None = None
    inside: tuple[str, ...] = ()
    inferred: bool = False

    @property
    def known(self) -> bool:
        """Whether a beginning or an end is known."""
        return (self.begin is not None and first_day(self.begin) is not None) or (
            self.end is not None and last_day(self.end) is not None
        )

    def on(self, day: date) -> Holds:
        """Return whether the fact holds on ``day`` (see the module docstring for the rule)."""
        start = first_day(self.begin) if self.begin is not None else None
        stop = last_day(self.end) if self.end is not None else None
        if (start is not None and day < start) or (stop is not None and day > stop):
            return Holds.NO
        if start is not None or stop is not None:
            return Holds.YES
        if any(_DAY.fullmatch(d) and first_day(d) == day for d in self.inside):
            return Holds.YES
        return Holds.NOT_STATED

    def text(self) -> str:
        """Return the period in words: ``2021 – 2023``, ``since 2020-05-27``, ``on 2020-05-27``."""
        if self.begin and self.begin == self.end:
            shown = f"on {self.begin}"
        elif self.begin and self.end:
            shown = f"{self.begin} – {self.end}"
        elif self.begin:
            shown = f"since {self.begin}"
        elif self.end:
            shown = f"until {self.end}"
        elif self.inside:
            shown = "on " + ", ".join(self.inside)
        else:
            return "period not stated"
        return shown + (" (inferred)" if self.inferred else "")


def holds(period: Period | None, day: date) -> Holds:
    """Return whether a fact with ``period`` (``None``: none stated) holds on ``day``."""
    return Holds.NOT_STATED if period is None else period.on(day)


def parse_day(text: str, *, option: str = "--as-of") -> date:
    """Read the day a command is asked about: ``YYYY-MM-DD``.

    Raises
    ------
    InputError
        For anything else, in one line saying what to write.

    Examples
    --------
    >>> parse_day("2019-12-31")
    datetime.date(2019, 12, 31)
    """
    value = text.strip()
    if _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(f"{option} {text!r}: give a day as YYYY-MM-DD (the end of 2019 is 2019-12-31)")


def steps(span: str, step: str = "year") -> list[date]:
    """Return the days of ``analyze --over FROM..TO``: one per step, as of its last day.

    ``FROM`` and ``TO`` are years (``2015..2024``: as of 31 December of each year) or
    days (``2019-06-30..2024-06-30``: that day, then a year or a month on).

    Raises
    ------
    InputError
        For a malformed span, one running backwards, or more than 500 steps.

    Examples
    --------
    >>> [d.isoformat() for d in steps("2018..2020")]
    ['2018-12-31', '2019-12-31', '2020-12-31']
    >>> [d.isoformat() for d in steps("2020-01-31..2020-04-30", "month")]
    ['2020-01-31', '2020-02-29', '2020-03-31', '2020-04-30']
    """
    if step not in ("year", "month"):
        raise InputError(f"--step {step!r}: choose year or month")
    first, sep, last = span.partition("..")
    if not sep:
        raise InputError(f"--over {span!r}: give FROM..TO (2015..2024, or two days)")
    ends: list[date] = []
    for part, which in ((first, "first"), (last, "last")):
        part = part.strip()
        if re.fullmatch(r"[0-9]{4}", part):
            year = int(part)
            month = 1 if step == "month" and which == "first" else 12
            ends.append(date(year, month, 31))
        else:
            ends.append(parse_day(part, option="--over"))
    start, stop = ends
    if stop < start:
        raise InputError(f"--over {span!r}: the span runs backwards")
    found: list[date] = []
    index = 0
    while True:
        day = _add(start, index, step)
        if day > stop:
            break
        found.append(day)
        index += 1
        if len(found) > 500:
            raise InputError(f"--over {span!r}: more than 500 steps; take a longer --step")
    return found


def _add(day: date, count: int, step: str) -> date:
    """``day`` moved ``count`` years or months on; a month's last day stays its last day."""
    months = count * (12 if step == "year" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    length = calendar.monthrange(year, month)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, length if at_end else min(day.day, length))


def sparql_status(day: str, begin: str, end: str, inside: str) -> str:
    """Return the SPARQL expression of :meth:`Period.on` over variables.

    ``day`` is bound to an ``xsd:date`` (unbound: the expression is unbound too);
    ``begin``, ``end`` and ``inside`` to the bounds as written (any may be unbound). The
    value is ``"holds"``, ``"does not hold"`` or ``"period not stated"``. The library's
    queries that take ``asOf`` hold this text as written (a test checks it).

    Examples
    --------
    >>> print(sparql_status("?asOf", "?since", "?until", "?heldOn"))  # doctest: +ELLIPSIS
    IF(!BOUND(?asOf), ?asOf, IF((BOUND(?since) && SUBSTR(STR(?asOf), 1, ...
    """
    d = f"STR({day})"

    def cut(bound: str) -> str:
        return f"SUBSTR({d}, 1, STRLEN(STR({bound})))"

    not_begun = f"(BOUND({begin}) && {cut(begin)} < STR({begin}))"
    ended = f"(BOUND({end}) && {cut(end)} > STR({end}))"
    on_day = f"(BOUND({inside}) && STR({inside}) = {d})"
    return (
        f'IF(!BOUND({day}), {day}, IF({not_begun} || {ended}, "{Holds.NO.value}", '
        f'IF(BOUND({begin}) || BOUND({end}) || {on_day}, "{Holds.YES.value}", '
        f'"{Holds.NOT_STATED.value}")))'
    )
