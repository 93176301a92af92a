r"""When two names name one thing: the rule shared by the duplicate check and ``reconcile``.

Names are compared on their *compare keys* (:func:`compare_key`): the search key
(:func:`search_key`: NFKD, marks dropped, case folded, words spaced), with a parenthesised
tail (``Lithuanian Energy Institute (LEI)``), the connectives ``and``/``ir``/``und``/``et``
(so ``&`` and ``and`` compare equal), a leading ``the`` and a legal form written as a word
of its own at the start or the end (``UAB``, ``AB``, ``MB``, ``VšĮ``, ``Ltd``, and the
long forms ``uždaroji akcinė bendrovė``, ``viešoji įstaiga``, ...) left out.

:func:`same_name` says two names are the same entity's when their compare keys

1. are equal, or hold the same words in another order (``Valytė Irmina``), or
2. are near: rapidfuzz ``ratio`` at least :data:`NEAR` (0-100) **and** at most
   :data:`NEAR_EDITS` characters apart (a typo, a plural, an apostrophe; long names
   alike but for a word are different things),

and, in both cases, hold the same *markers*: the same numbers (``Forum 2019`` and
``Forum 2020`` are two editions), the same ordinals (``I-asis`` and ``II-asis``,
``first``/``second``, Roman numerals), and neither names an office where the other
names its holder (``Prezidentas`` and ``Prezidentūra``, ``minister`` and ``ministry``,
``seniūnas`` and ``seniūnija``: :data:`OFFICES`).

Examples
--------
>>> same_name("LITEK Laser & Engineering Technologies Cluster",
...           "Litek Laser and Engineering Technologies cluster")
True
>>> same_name("UAB Termosnaigė ir ko", "Termosnaige ir ko, UAB")
True
>>> same_name("I-asis departamentas", "II-asis departamentas")
False
>>> same_name("Lietuvos Respublikos Prezidentas", "Lietuvos Respublikos Prezidentūra")
False
>>> same_name("Cluster Forum 2019", "Cluster Forum 2020")
False
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "LEGAL_FORMS",
    "NEAR",
    "NEAR_EDITS",
    "OFFICES",
    "compare_key",
    "markers",
    "same_name",
    "search_key",
]

NEAR = 92.0
"""Compare keys scoring at least this (rapidfuzz ``ratio``, 0-100) are near ..."""

NEAR_EDITS = 3
"""... when they also differ by at most this many characters (Levenshtein distance)."""

LEGAL_FORMS: frozenset[str] = frozenset(
    {"uab", "ab", "mb", "vsi", "ii", "kub", "tub", "ltd", "gmbh", "sa", "sia", "as", "oy",
     "plc", "llc", "inc", "bv", "nv", "srl", "spa", "sp z o o"}
)  # fmt: skip
"""Legal forms (as search keys) written as a word of their own before or after a name."""

LONG_LEGAL_FORMS: frozenset[str] = frozenset(
    {"uzdaroji akcine bendrove", "akcine bendrove", "viesoji istaiga", "mazoji bendrija",
     "individuali imone", "komanditine ukine bendrija", "tikroji ukine bendrija",
     "limited", "incorporated", "public institution", "private limited company"}
)  # fmt: skip
"""Legal forms spelt out, left out of compare keys like the short ones."""

_CONNECTIVES = frozenset({"and", "ir", "und", "et"})

OFFICES: tuple[tuple[str, str], ...] = (
    (r"prezident(?!ur)", r"prezidentur"),
    (r"president$|presidents$", r"presidenc"),
    (r"ministr", r"minister"),
    (r"minister$|ministers$", r"ministr(y|ies)$"),
    (r"seniun(?!ij)", r"seniunij"),
    (r"mer(as|o|ui|e)$", r"merij"),
    (r"mayor$", r"mayoralty$"),
    (r"kancler", r"kanceliarij"),
    (r"chancellor$", r"chancellery$"),
    (r"director(s)?$", r"directorate"),
    (r"direktori", r"direktorat"),
    (r"sekretori", r"sekretoriat"),
    (r"secretary$|secretaries$", r"secretariat"),
    (r"inspektori", r"inspekcij"),
    (r"inspector(s)?$", r"inspectorate"),
    (r"prokuror", r"prokuratur"),
    (r"rektori", r"rektorat"),
    (r"rector$", r"rectorate"),
    (r"komisar(?!iat)", r"komisariat"),
    (r"governor$", r"governorate"),
)
"""``(holder, office)`` patterns over one word of a compare key: a word of one name
matching the holder and the other's word in the same place the office (``Prezidentas``,
``Prezidentūra``) tells a post from the institution, never the same entity."""

_OFFICE_RES = tuple((re.compile(h), re.compile(o)) for h, o in OFFICES)

_ROMAN = re.compile(r"(?=[ivxlc])(x{0,3})(ix|iv|v?i{0,3})")
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "pirmas": 1, "pirmasis": 1, "pirmoji": 1, "antras": 2, "antrasis": 2, "antroji": 2,
    "trecias": 3, "treciasis": 3, "trecioji": 3, "ketvirtas": 4, "ketvirtasis": 4,
    "penktas": 5, "penktasis": 5, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
}  # fmt: skip
_ROMAN_VALUE = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_ORDINAL_SUFFIXES = frozenset({"asis", "oji", "ji", "sis", "as", "a"})

# Letters NFKD leaves whole.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h", "ı": "i",
     "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d", "ß": "ss"}
)  # fmt: skip
_NOT_WORD = re.compile(r"[\W_]+")
_TAIL = re.compile(r"\s*\([^()]*\)\s*$")


def search_key(text: str) -> str:
    """Return ``text`` as compared when searching: no accents, case folded, words spaced.

    Examples
    --------
    >>> search_key("  Lithuanian  Clusters' Association ")
    'lithuanian clusters association'
    >>> search_key("Łódź  ŠIAULIAI")
    'lodz siauliai'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare.casefold().translate(_UNDECOMPOSED)).strip()


def _strip_forms(words: list[str]) -> list[str]:
    for form in sorted(LEGAL_FORMS | LONG_LEGAL_FORMS, key=len, reverse=True):
        parts = form.split()
        if (
            len(words) > len(parts)
            and words[: len(parts)] == parts
            and words[len(parts)] not in _ORDINAL_SUFFIXES  # "II-asis" is an ordinal
        ):
            words = words[len(parts) :]
        if len(words) > len(parts) and words[-len(parts) :] == parts and form != "ii":
            words = words[: -len(parts)]  # a closing "II" is a numeral ("Working group II")
    return words


def compare_key(name: str) -> str:
    """Return the key two names are compared on (see the module docstring).

    Examples
    --------
    >>> compare_key("LITEK Laser & Engineering Technologies Cluster")
    'litek laser engineering technologies cluster'
    >>> compare_key("Uždaroji akcinė bendrovė „Aumega“")
    'aumega'
    >>> compare_key("Lithuanian Energy Institute (LEI)")
    'lithuanian energy institute'
    """
    bare = _TAIL.sub("", name) or name
    words = [w for w in search_key(bare).split() if w not in _CONNECTIVES]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(_strip_forms(words))


def _roman(word: str) -> int | None:
    match = _ROMAN.fullmatch(word)
    if not match or not word:
        return None
    total = 0
    for a, b in zip(word, [*word[1:], ""], strict=True):
        value = _ROMAN_VALUE[a]
        total += -value if b and _ROMAN_VALUE[b] > value else value
    return total


def markers(key: str) -> tuple[str, ...]:
    """Return the numbers and ordinals of a compare key, in order.

    A Roman numeral counts as an ordinal when it stands before an ordinal ending
    (``I-asis``), after a word (``Working group II``) or is ``ii`` or longer.

    Examples
    --------
    >>> markers("ii asis departamentas"), markers("working group iv"), markers("forum 2019")
    (('2',), ('4',), ('2019',))
    >>> markers("first working group"), markers("investicijos i lietuva")
    (('1',), ())
    """
    words = key.split()
    found = []
    for i, word in enumerate(words):
        if word.isdigit():
            found.append(str(int(word)))
        elif word in _ORDINAL_WORDS:
            found.append(str(_ORDINAL_WORDS[word]))
        else:
            value = _roman(word)
            if value is None:
                continue
            after = words[i + 1] if i + 1 < len(words) else ""
            last = i == len(words) - 1 and i > 0
            if len(word) > 1 or after in _ORDINAL_SUFFIXES or last:
                found.append(str(value))
    return tuple(found)


def _office_clash(a: str, b: str) -> bool:
    """Whether a word of ``a`` names a post where ``b`` names its office (or back)."""
    words_a, words_b = a.split(), b.split()
    if len(words_a) != len(words_b):
        return False
    for x, y in zip(words_a, words_b, strict=True):
        if x == y:
            continue
        for holder, office in _OFFICE_RES:
            if (holder.match(x) and office.match(y) and not office.match(x)) or (
                holder.match(y) and office.match(x) and not office.match(y)
            ):
                return True
    return False


def near_score(a: str, b: str) -> float:
    """Return rapidfuzz's ``ratio`` of two compare keys (0-100)."""
    from rapidfuzz import fuzz

    return float(fuzz.ratio(a, b))


def same_keys(a: str, b: str, *, ratio: float | None = None) -> bool:
    """Apply the rule of :func:`same_name` to two compare keys (``ratio`` if known)."""
    from rapidfuzz.distance import Levenshtein

    if not a or not b:
        return False
    if markers(a) != markers(b) or _office_clash(a, b):
        return False
    if a == b or sorted(a.split()) == sorted(b.split()):
        return True
    score = near_score(a, b) if ratio is None else ratio
    return score >= NEAR and Levenshtein.distance(a, b) <= NEAR_EDITS


def same_name(a: str, b: str) -> bool:
    """Return whether two names are taken for one entity's (see the module docstring)."""
    return same_keys(compare_key(a), compare_key(b))
