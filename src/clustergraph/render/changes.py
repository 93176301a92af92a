"""Pages of what changed between two versions of the graph.

:func:`changes_model` turns a :class:`~clustergraph.pipeline.diff.Diff` into what a page
shows: the totals, the sources (stated and derived facts apart), the entities new,
removed and changed, and each graph's facts added and removed. :func:`changes_page` writes
it as one page on its own (``clustergraph diff --format html``: offline, no script, its
style inline); the site's ``changes.html`` shows the same body in the site's layout.
Every text from the data goes through Jinja2 with autoescaping on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2
import pyoxigraph as ox

from clustergraph import __version__
from clustergraph.pipeline.diff import Diff, EntityChange, GraphChange

__all__ = ["ROW_LIMIT", "changes_model", "changes_page"]

ROW_LIMIT = 2_000
"""Facts a page lists per graph and sign; the rest are counted (``--format json`` has all)."""

ENTITY_LIMIT = 500
"""Entities a page lists per group; the rest are counted."""


@dataclass(frozen=True)
class _Row:
    s: str
    p: str
    o: str
    elsewhere: bool


@dataclass(frozen=True)
class _Entity:
    name: str
    short: str
    href: str | None
    counts: tuple[int, int, int, int]


def _anchor(text: str) -> str:
    return "source-" + re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")


def changes_model(diff: Diff, *, href: Callable[[str], str | None] | None = None) -> dict[str, Any]:
    """Return what a changes page shows of ``diff``.

    Parameters
    ----------
    diff
        The comparison.
    href
        The page of an entity IRI, relative to the site's root (``None``: no page).
    """
    link = href if href is not None else (lambda iri: None)

    def rows(change: GraphChange) -> tuple[list[tuple[str, _Row]], int]:
        shown: list[tuple[str, _Row]] = []
        more = 0
        for sign, triples in (("+", change.added), ("-", change.removed)):
            for t in triples[:ROW_LIMIT]:
                row = _Row(
                    diff.show(t.subject),
                    diff.show(t.predicate),
                    diff.show(t.object),
                    diff.elsewhere(t, added=sign == "+"),
                )
                shown.append((sign, row))
            more += max(0, len(triples) - ROW_LIMIT)
        return shown, more

    sources = []
    for source, changes in diff.sources():
        title = "Derived across sources" if source is None else diff.title(source)
        stated = next((c for c in changes if c.kind == "stated"), None)
        status = stated.status if stated is not None and stated.status != "changed" else ""
        graphs = []
        for change in changes:
            shown, more = rows(change)
            graphs.append(
                {
                    "kind": change.kind,
                    "short": diff.show(ox.NamedNode(change.graph)),
                    "added": change.added,
                    "removed": change.removed,
                    "rows": shown,
                    "more": more,
                }
            )
        sums = {
            kind: (
                sum(len(c.added) for c in changes if c.kind == kind),
                sum(len(c.removed) for c in changes if c.kind == kind),
            )
            for kind in ("stated", "derived")
        }
        sources.append(
            {
                "title": title,
                "anchor": _anchor(diff.show(ox.NamedNode(source)) if source else "across-sources"),
                "status": status,
                "stated": sums["stated"],
                "derived": sums["derived"],
                "graphs": graphs,
            }
        )

    def entity(e: EntityChange) -> _Entity:
        short = diff.show(ox.NamedNode(e.iri))
        counts = (e.stated_added, e.stated_removed, e.derived_added, e.derived_removed)
        return _Entity(e.label or short, short, link(e.iri), counts)

    groups = [
        (title, anchor, [entity(e) for e in diff.entities if e.status == status])
        for status, title, anchor in (
            ("new", "New entities", "new-entities"),
            ("removed", "Removed entities", "removed-entities"),
            ("changed", "Entities whose facts changed", "changed-entities"),
        )
    ]
    return {
        "identical": diff.identical,
        "a": diff.a.describe(),
        "b": diff.b.describe(),
        "triples_a": diff.triples_a,
        "graphs_a": diff.graph_count[0],
        "added": diff.added,
        "removed": diff.removed,
        "stated": diff.counts("stated"),
        "derived": diff.counts("derived"),
        "union": diff.union_counts,
        "sources": sources,
        "entity_groups": [g for g in groups if g[2]],
        "entity_limit": ENTITY_LIMIT,
    }


def environment() -> jinja2.Environment:
    """Return the Jinja2 environment of the changes pages (autoescaping on)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("clustergraph.render", "templates/site"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = lambda n: f"{n:,}"
    return env


def changes_page(diff: Diff) -> str:
    """Return ``diff`` as one HTML page on its own: offline, no script, style inline."""
    template = environment().get_template("diff.html.j2")
    return template.render(model=changes_model(diff), version=__version__)
