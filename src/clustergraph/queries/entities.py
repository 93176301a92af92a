"""Entities named as people type them: an IRI, a prefixed name or a slug, looked up in a store.

``o:lcn``, ``id:org/lcn``, ``<https://w3id.org/clustergraph/id/org/lcn>`` and ``lcn`` name
the same organisation. A slug must be the last segment of exactly one entity's IRI. An
IRI that names nothing in the store is told apart from one that does, with the closest
names, so that a typo does not pass as an empty answer.

Examples
--------
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> store.replace_graphs({"urn:g": b'<https://w3id.org/clustergraph/id/org/lcn> '
...     b'<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
...     b'<http://www.w3.org/ns/org#Organization> .'})
>>> resolve(store, "lcn") == resolve(store, "o:lcn") == "https://w3id.org/clustergraph/id/org/lcn"
True
>>> resolve(store, "lnc")
Traceback (most recent call last):
...
clustergraph.errors.InputError: no entity named 'lnc' (did you mean o:lcn?)
>>> closest(store, "https://w3id.org/clustergraph/id/org/lnc")
['o:lcn']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from clustergraph.errors import InputError
from clustergraph.project.layout import ID_NS
from clustergraph.project.prefixes import PN_CHARS, PREFIXES, compact
from clustergraph.queries.suggest import close_names
from clustergraph.rdf.terms import n3, parse_iri
from clustergraph.store.base import SelectResult, Store

_SLUG = re.compile(f"[{PN_CHARS}](?:[{PN_CHARS}.]*[{PN_CHARS}])?")


def entities(store: Store) -> list[str]:
    """Return every entity of the store: IRIs under ``id/`` that some graph types."""
    result = store.query(
        f'SELECT DISTINCT ?e WHERE {{ ?e a ?type FILTER(STRSTARTS(STR(?e), "{ID_NS}")) }}'
    )
    assert isinstance(result, SelectResult)
    return sorted(row[0].value for row in result.rows if row[0] is not None)


def is_known(store: Store, iri: str) -> bool:
    """Whether ``iri`` appears in the store at all (as a subject or an object)."""
    term = n3(parse_iri(f"<{iri}>", {}))
    result = store.query(f"ASK {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} }}")
    return bool(getattr(result, "value", False))


def closest(store: Store, text: str, *, prefixes: Mapping[str, str] = PREFIXES) -> list[str]:
    """Return up to three entities whose prefixed names or slugs are close to ``text``."""
    names = {compact(e, prefixes): e for e in entities(store)}
    wanted = compact(text, prefixes) if "://" in text else text
    found = close_names(wanted, names, n=3, cutoff=0.6)
    if not found:
        slugs: dict[str, str] = {}
        for name, iri in names.items():
            slugs.setdefault(iri.rsplit("/", 1)[-1], name)
        found = [slugs[s] for s in close_names(wanted, slugs, n=3)]
    return found


def resolve(store: Store, text: str, *, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Return the IRI ``text`` names: an IRI, a prefixed name, or the slug of one entity.

    Raises
    ------
    InputError
        If ``text`` is no IRI and no entity has it as its slug, or several do.
    """
    raw = unicodedata.normalize("NFC", text.strip())
    if (
        raw.startswith("<")
        or "://" in raw
        or raw.startswith("urn:")
        or (":" in raw and raw.split(":", 1)[0] in prefixes)
    ):
        return _spelling(store, parse_iri(raw, prefixes).value)
    raw = unicodedata.normalize("NFC", raw)
    if not _SLUG.fullmatch(raw):
        raise InputError(f"{text!r} is not an IRI, a prefixed name or a slug")
    found = [
        e for e in entities(store) if unicodedata.normalize("NFC", e.rsplit("/", 1)[-1]) == raw
    ]
    matches = [e for e in found if e.rsplit("/", 1)[-1] == raw] or found  # NFC first
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(compact(m, prefixes) for m in matches)
        raise InputError(f"{text!r} names several entities: {names}; give one of them")
    hint = closest(store, raw, prefixes=prefixes)
    suggestion = f" (did you mean {', '.join(hint)}?)" if hint else ""
    raise InputError(f"no entity named {text!r}{suggestion}")


def _spelling(store: Store, iri: str) -> str:
    """Return ``iri`` in NFC, unless only the spelling as typed names something.

    A name typed in NFD (as some keyboards and web pages give it) finds the entity
    written in NFC, the form the project's files use (``check`` flags any other).
    """
    nfc = unicodedata.normalize("NFC", iri)
    if nfc == iri or is_known(store, nfc) or not is_known(store, iri):
        return nfc
    return iri


def unknown_warning(store: Store, name: str, iri: str) -> str | None:
    """Return the warning for parameter ``name`` bound to ``iri``, if ``iri`` names nothing.

    The warning names the closest entities, so that a misspelt name does not pass for an
    empty answer; ``None`` when ``store`` knows ``iri``.
    """
    if is_known(store, iri):
        return None
    hint = closest(store, iri)
    near = f"; closest: {', '.join(hint)}" if hint else ""
    return f"parameter {name!r}: <{iri}> names nothing in the store{near}"
