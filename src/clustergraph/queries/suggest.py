"""Closest known names for a misspelt IRI or property ("did you mean o:litek?").

A name is compared with the names of its own namespace only (everything up to the last
``/`` or ``#``), on its local part, by :func:`difflib.get_close_matches`; case is
ignored, so ``cg:awardedto`` finds ``cg:awardedTo``.

Examples
--------
>>> o = "https://w3id.org/clustergraph/id/org/"
>>> closest_iris(o + "litec", [o + "litek", o + "lcn", o + "lca"])
['https://w3id.org/clustergraph/id/org/litek']
>>> cg = "https://w3id.org/clustergraph/ontology#"
>>> closest_iris(cg + "awardedto", [cg + "awardedTo", cg + "awardedBy"])[0] == cg + "awardedTo"
True
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["close_names", "closest_iris", "namespace_of"]


def close_names(word: str, names: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Return up to ``n`` of ``names`` close to ``word``, case aside (``LCA`` finds ``lca``).

    Examples
    --------
    >>> close_names("LCA", ["o:lca", "lca", "lcn"], n=1)
    ['lca']
    """
    folded: dict[str, str] = {}
    for name in names:
        folded.setdefault(name.casefold(), name)
    found = difflib.get_close_matches(word.casefold(), list(folded), n=n, cutoff=cutoff)
    return [folded[f] for f in found]


def namespace_of(iri: str) -> str:
    """Return an IRI's namespace: everything up to its last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def closest_iris(iri: str, known: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Return up to ``n`` IRIs of ``known`` in ``iri``'s namespace closest to it, best first."""
    space = namespace_of(iri)
    local = iri[len(space) :]
    by_key: dict[str, str] = {}
    for other in known:
        if other != iri and namespace_of(other) == space:
            by_key.setdefault(other[len(space) :].casefold(), other)
    found = difflib.get_close_matches(local.casefold(), list(by_key), n=n, cutoff=cutoff)
    return [by_key[key] for key in found]
