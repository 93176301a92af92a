r"""Lexical forms of XSD datatypes: whether a literal's text is a value of its datatype.

The numeric, boolean and date/time datatypes of XML Schema 1.1 Part 2 are checked: the
lexical space (the pattern) and, for dates, the calendar (``2021-02-30`` is no date,
``--02-29`` is a day of the year and ``--02-30`` is not). Other datatypes (strings,
IRIs, language-tagged strings, datatypes of other vocabularies) are not checked here.

Examples
--------
>>> problem("2021-03-05+02:00", XSD + "date") is None
True
>>> problem("2021-02-30", XSD + "date")
'no such day: February has 28 days in 2021'
>>> problem("2025-3-3", XSD + "date")
'not of the form YYYY-MM-DD (with an optional time zone)'
>>> problem("--02-30", XSD + "gMonthDay")
'no such day: February has at most 29 days'
>>> problem("<svg onload=x>", XSD + "integer")
'not an integer: digits with an optional sign'
>>> sorted(CHECKED)[:3]
['http://www.w3.org/2001/XMLSchema#boolean', 'http://www.w3.org/2001/XMLSchema#byte', 'http://www.w3.org/2001/XMLSchema#date']
"""  # noqa: E501

from __future__ import annotations

import calendar
import re
from collections.abc import Callable

XSD = "http://www.w3.org/2001/XMLSchema#"

_TZ = r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?(?:[1-9][0-9]{3,}|0[0-9]{3})"
_MONTH = r"(?:0[1-9]|1[0-2])"
_DAY = r"(?:0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)"

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_FLOAT = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|INF)|NaN")
_BOOLEAN = re.compile(r"true|false|1|0")
_DURATION = re.compile(
    r"-?P(?=[0-9T])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?"
    r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?"
)

_DATES: dict[str, tuple[re.Pattern[str], str]] = {
    "date": (re.compile(f"({_YEAR})-({_MONTH})-({_DAY}){_TZ}"), "YYYY-MM-DD"),
    "dateTime": (re.compile(f"({_YEAR})-({_MONTH})-({_DAY})T{_TIME}{_TZ}"), "YYYY-MM-DDThh:mm:ss"),
    "dateTimeStamp": (
        re.compile(f"({_YEAR})-({_MONTH})-({_DAY})T{_TIME}(?:Z|[+-][0-9]{{2}}:[0-9]{{2}})"),
        "YYYY-MM-DDThh:mm:ss with a time zone",
    ),
    "gYearMonth": (re.compile(f"({_YEAR})-({_MONTH}){_TZ}"), "YYYY-MM"),
    "gYear": (re.compile(f"({_YEAR}){_TZ}"), "YYYY"),
    "gMonthDay": (re.compile(f"--()({_MONTH})-({_DAY}){_TZ}"), "--MM-DD"),
    "gMonth": (re.compile(f"--()({_MONTH}){_TZ}"), "--MM"),
    "gDay": (re.compile(f"---()()({_DAY}){_TZ}"), "---DD"),
    "time": (re.compile(f"{_TIME}{_TZ}"), "hh:mm:ss"),
}

# Integer subtypes: their value range (None: unbounded on that side).
_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}


def _integer(kind: str) -> Callable[[str], str | None]:
    low, high = _RANGES[kind]

    def check(text: str) -> str | None:
        if not _INTEGER.fullmatch(text):
            return "not an integer: digits with an optional sign"
        value = int(text)
        if (low is not None and value < low) or (high is not None and value > high):
            return f"out of the range of xsd:{kind}"
        return None

    return check


def _pattern(pattern: re.Pattern[str], what: str) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        return None if pattern.fullmatch(text) else what

    return check


def _date(kind: str) -> Callable[[str], str | None]:
    pattern, form = _DATES[kind]

    def check(text: str) -> str | None:
        match = pattern.fullmatch(text)
        if match is None:
            return f"not of the form {form} (with an optional time zone)"
        if kind == "time" or pattern.groups < 3:
            return None
        year, month, day = match.group(1), match.group(2), match.group(3)
        if not month or not day:
            return None
        number = int(month)
        name = calendar.month_name[number]
        if year:
            days = calendar.monthrange(int(year) if int(year) > 0 else 2000, number)[1]
            if int(day) > days:
                return f"no such day: {name} has {days} days in {year}"
        else:
            days = 29 if number == 2 else calendar.monthrange(2001, number)[1]
            if int(day) > days:
                return f"no such day: {name} has at most {days} days"
        return None

    return check


_CHECKS: dict[str, Callable[[str], str | None]] = {
    **{XSD + kind: _integer(kind) for kind in _RANGES},
    XSD + "decimal": _pattern(_DECIMAL, "not a decimal: digits with an optional sign and point"),
    XSD + "double": _pattern(_FLOAT, "not a double: a number with an optional exponent"),
    XSD + "float": _pattern(_FLOAT, "not a float: a number with an optional exponent"),
    XSD + "boolean": _pattern(_BOOLEAN, "not a boolean: true, false, 1 or 0"),
    XSD + "duration": _pattern(_DURATION, "not a duration of the form PnYnMnDTnHnMnS"),
    XSD + "yearMonthDuration": _pattern(
        re.compile(r"-?P(?=[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?"), "not a duration of the form PnYnM"
    ),
    XSD + "dayTimeDuration": _pattern(
        re.compile(
            r"-?P(?=[0-9T])(?:[0-9]+D)?(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?"
        ),
        "not a duration of the form PnDTnHnMnS",
    ),
    **{XSD + kind: _date(kind) for kind in _DATES},
}

CHECKED: frozenset[str] = frozenset(_CHECKS)
"""The datatypes whose lexical forms :func:`problem` checks."""


def problem(text: str, datatype: str) -> str | None:
    """Say what is wrong with ``text`` as a value of ``datatype`` (``None``: nothing).

    Datatypes not in :data:`CHECKED` are taken as they are.
    """
    check = _CHECKS.get(datatype)
    if check is None:
        return None
    if text != text.strip():
        return "leading or trailing white space"
    return check(text)
