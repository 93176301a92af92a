r"""Rendering an analysis: a Markdown report for people, JSON and CSV for machines.

:func:`write_report` writes, each atomically, into one directory:

==================  ==============================================================
file                content
==================  ==============================================================
``report.md``       the most central actors, the communities, the brokers and
                    bridges, the components
``report.json``     everything :class:`clustergraph.network.measures.Analysis` holds
``centrality.csv``  one row per node: degree, betweenness, PageRank, community, ...
``communities.csv`` one row per (community, member)
``bridges.csv``     one row per bridge, with the relations that make it
==================  ==============================================================

Labels come from the articles, so they are data: in Markdown every character that
Markdown or HTML would read as markup is escaped (:func:`markdown_text`). The CSV files
are meant to be opened in spreadsheets, so they are made safe for them by the OWASP rule
for CSV injection (:func:`spreadsheet_cell`): a text cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return, which a spreadsheet would run as a formula,
gets a leading ``'``, which spreadsheets show as text (numbers are left as they are).
Results written by ``clustergraph query --format csv`` are not changed so: they are the
W3C SPARQL 1.1 CSV results format, for programs, and keep every value as it is.

Examples
--------
>>> markdown_text("<img src=x onerror=alert(1)> | *a*")
'&lt;img src=x onerror=alert(1)&gt; \\| \\*a\\*'
>>> spreadsheet_cell("=HYPERLINK(\"http://x\")"), spreadsheet_cell("-0.25")
('\'=HYPERLINK("http://x")', '-0.25')
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import networkx as nx

from clustergraph import __version__
from clustergraph.network.measures import Analysis, ExplainedPath, NoPath, Part
from clustergraph.network.timeline import OverTime
from clustergraph.project.files import write_atomic
from clustergraph.project.prefixes import compact

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

SourceTitle = Callable[[str], str]


def markdown_text(text: str) -> str:
    """Escape ``text`` so that Markdown (and the HTML it may hold) shows it as it is."""
    one_line = " ".join(str(text).split())
    escaped = one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def spreadsheet_cell(value: object) -> object:
    """Return a CSV cell a spreadsheet shows as text, never runs (the OWASP rule).

    A string that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
    a leading ``'``; a string that is a plain number (``-0.25``) and every non-string
    value are returned as they are.

    Examples
    --------
    >>> [spreadsheet_cell(v) for v in ["@SUM(A1)", "=1+1", "Lietuva", 3, "+370"]]
    ["'@SUM(A1)", "'=1+1", 'Lietuva', 3, '+370']
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        if _NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


def _code(text: str) -> str:
    """Return ``text`` as inline code (prefixed names, IRIs), safe in a table cell."""
    clean = " ".join(str(text).split()).replace("`", "'").replace("|", "/")
    return f"`{clean}`"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def markdown_report(
    analysis: Analysis,
    *,
    top: int = 10,
    description: str = "",
    name_of: Callable[[str], str] | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> str:
    """Return the Markdown report of ``analysis``.

    Parameters
    ----------
    analysis
        The analysis.
    top
        How many central actors and brokers to list.
    description
        A paragraph saying how the network was built (Markdown, trusted).
    name_of, prefixes
        Give an entity's name by its IRI, and the prefixes of the relations' prefixed
        names: the bridges then name the entities of each relation.
    """
    a = analysis
    largest = len(a.components[0]) if a.components else 0
    out = [
        f"# Network analysis: the {markdown_text(a.network)} network",
        "",
        f"{a.nodes} nodes, {a.edges} edges, {len(a.components)} connected components "
        f"(the largest has {largest} nodes). Louvain found {len(a.communities)} communities "
        f"(seed {a.seed}, modularity {a.modularity:.3f}).",
        "",
        f"How: {markdown_text(a.method.text())}.",
        "",
    ]
    if description:
        out += [description, ""]
    out += ["## Most central actors", "", "Ranked by PageRank, then betweenness.", ""]
    out += _table(
        ["#", "actor", "class", "PageRank", "betweenness", "degree", "community"],
        [
            [
                str(i),
                f"{markdown_text(s.label)} ({_code(s.name)})",
                _code(s.cls),
                f"{s.pagerank:.4f}",
                f"{s.betweenness:.4f}",
                str(s.degree),
                str(s.community),
            ]
            for i, s in enumerate(a.ranked[:top], 1)
        ],
    )
    out += ["", "## Communities", ""]
    for c in a.communities:
        if c.size < 2:
            continue
        classes = ", ".join(f"{_code(cls)} {n}" for cls, n in c.classes)
        out += [
            f"### Community {c.number} ({c.size} members)",
            "",
            f"Classes: {classes}.",
            "",
            "Members, most central first: "
            + "; ".join(markdown_text(label) for label in c.labels)
            + ".",
            "",
        ]
    singletons = [c for c in a.communities if c.size < 2]
    if singletons:
        names = "; ".join(markdown_text(c.labels[0]) for c in singletons)
        out += [f"Alone in a community of their own ({len(singletons)}): {names}.", ""]
    out += [
        "## Brokers",
        "",
        "Nodes on the shortest paths between others (betweenness); an articulation point "
        "disconnects the network when removed.",
        "",
    ]
    out += _table(
        ["actor", "class", "betweenness", "articulation point", "degree"],
        [
            [
                f"{markdown_text(s.label)} ({_code(s.name)})",
                _code(s.cls),
                f"{s.betweenness:.4f}",
                "yes" if s.articulation else "no",
                str(s.degree),
            ]
            for s in a.brokers[:top]
        ],
    )
    label = {s.node: s for s in a.ranked}
    out += [
        "",
        f"### Bridges ({len(a.bridges)})",
        "",
        "Edges whose removal disconnects the network.",
        "",
    ]
    out += _table(
        ["between", "and", "relations"],
        [
            [
                markdown_text(label[b.a].label),
                markdown_text(label[b.b].label),
                "; ".join(
                    markdown_text(name_entities(r, prefixes or {}, name_of))
                    if name_of is not None
                    else _code(r)
                    for r in b.relations
                ),
            ]
            for b in a.bridges
        ],
    )
    out += ["", "## Connected components", ""]
    for i, members in enumerate(a.components, 1):
        names = "; ".join(markdown_text(label[v].label) for v in members[:12])
        more = f" and {len(members) - 12} more" if len(members) > 12 else ""
        out.append(f"{i}. {len(members)} nodes: {names}{more}.")
    out += ["", f"Written by clustergraph {__version__}.", ""]
    return "\n".join(out)


def _csv_field(value: object) -> str:
    """Write one CSV field (RFC 4180 quoting; a carriage return is quoted too)."""
    text = "" if value is None else str(spreadsheet_cell(value))
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Write a CSV document, one line a row, every text cell made safe for spreadsheets."""
    lines = [",".join(_csv_field(h) for h in headers)]
    lines += [",".join(_csv_field(cell) for cell in row) for row in rows]
    return "\n".join(lines) + "\n"


def centrality_csv(analysis: Analysis) -> str:
    """Return one CSV row per node, most central first."""
    return _csv(
        [
            "rank",
            "node",
            "name",
            "label",
            "class",
            "degree",
            "degree_centrality",
            "betweenness",
            "pagerank",
            "community",
            "component",
            "articulation_point",
        ],
        [
            [
                i,
                s.node,
                s.name,
                s.label,
                s.cls,
                s.degree,
                f"{s.degree_centrality:.6f}",
                f"{s.betweenness:.6f}",
                f"{s.pagerank:.6f}",
                s.community,
                s.component,
                str(s.articulation).lower(),
            ]
            for i, s in enumerate(analysis.ranked, 1)
        ],
    )


def communities_csv(analysis: Analysis) -> str:
    """Return one CSV row per community member."""
    scores = {s.node: s for s in analysis.ranked}
    return _csv(
        ["community", "size", "node", "name", "label", "class"],
        [
            [c.number, c.size, v, scores[v].name, scores[v].label, scores[v].cls]
            for c in analysis.communities
            for v in c.members
        ],
    )


def bridges_csv(analysis: Analysis) -> str:
    """Return one CSV row per bridge."""
    scores = {s.node: s for s in analysis.ranked}
    return _csv(
        ["a", "b", "a_label", "b_label", "relations", "sources"],
        [
            [
                b.a,
                b.b,
                scores[b.a].label,
                scores[b.b].label,
                " ; ".join(b.relations),
                " ".join(b.sources),
            ]
            for b in analysis.bridges
        ],
    )


def write_report(
    analysis: Analysis,
    directory: Path | str,
    *,
    top: int = 10,
    description: str = "",
    name_of: Callable[[str], str] | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the report files (see the module docstring) into ``directory``.

    With ``name_of`` (and ``prefixes``), the report names the entities of each relation
    before their identifiers (``post President of LCN (post:lcn-president-...)``).

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(directory)
    document = {"clustergraph": __version__, **analysis.to_json()}
    files = {
        "report.md": markdown_report(
            analysis, top=top, description=description, name_of=name_of, prefixes=prefixes
        ),
        "report.json": json.dumps(document, ensure_ascii=False, indent=2) + "\n",
        "centrality.csv": centrality_csv(analysis),
        "communities.csv": communities_csv(analysis),
        "bridges.csv": bridges_csv(analysis),
    }
    return [write_atomic(out / name, text) for name, text in files.items()]


def over_time_files(over: OverTime) -> dict[str, str]:
    """Return the CSV and JSON files of ``analyze --over``, by name.

    ``over.csv`` (one row per step: nodes, edges, components, communities, modularity,
    nodes kept whose period is not stated), ``over-members.csv`` (members per network
    per step), ``over-centrality.csv`` (PageRank and degree of the leading actors per
    step) and ``over.json`` (all of it).
    """
    steps = over.steps
    table = _csv(
        ["day", "nodes", "edges", "components", "communities", "modularity", "period_not_stated"],
        [
            [
                s.day.isoformat(),
                s.nodes,
                s.edges,
                s.components,
                s.communities,
                f"{s.modularity:.4f}",
                s.not_stated,
            ]
            for s in steps
        ],
    )
    members = _csv(
        ["day", "network", "label", "members"],
        [
            [s.day.isoformat(), n, over.labels[n], s.members.get(n, 0)]
            for s in steps
            for n in over.networks
        ],
    )
    centrality = _csv(
        ["day", "node", "label", "pagerank", "degree"],
        [
            [
                s.day.isoformat(),
                v,
                over.labels[v],
                f"{s.pagerank.get(v, 0.0):.6f}",
                s.degree.get(v, 0),
            ]
            for s in steps
            for v in over.leaders
        ],
    )
    document = {
        "clustergraph": __version__,
        "network": over.network,
        "steps": [
            {
                "day": s.day.isoformat(),
                "nodes": s.nodes,
                "edges": s.edges,
                "components": s.components,
                "communities": s.communities,
                "modularity": round(s.modularity, 4),
                "period_not_stated": s.not_stated,
                "members": {n: s.members.get(n, 0) for n in over.networks},
                "leaders": {v: round(s.pagerank.get(v, 0.0), 6) for v in over.leaders},
            }
            for s in steps
        ],
        "labels": over.labels,
    }
    return {
        "over.csv": table,
        "over-members.csv": members,
        "over-centrality.csv": centrality,
        "over.json": json.dumps(document, ensure_ascii=False, indent=2) + "\n",
    }


def over_time_text(over: OverTime) -> str:
    """Return the measures per step as a text table, then the leaders' PageRank."""
    head = ["day", "nodes", "edges", "components", "communities", "modularity", "not stated"]
    rows = [
        [
            s.day.isoformat(),
            str(s.nodes),
            str(s.edges),
            str(s.components),
            str(s.communities),
            f"{s.modularity:.3f}",
            str(s.not_stated),
        ]
        for s in over.steps
    ]
    for n in over.networks:
        head.append(f"members of {over.labels[n]}")
        for row, s in zip(rows, over.steps, strict=True):
            row.append(str(s.members.get(n, 0)))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    if over.leaders:
        lines.append("")
        lines.append("PageRank of the leading actors (of the last step):")
        for v in over.leaders:
            values = " ".join(f"{s.pagerank.get(v, 0.0):.4f}" for s in over.steps)
            lines.append(f"  {over.labels[v]}: {values}")
    return "\n".join(line.rstrip() for line in lines)


def paths_text(
    paths: Sequence[ExplainedPath],
    graph: nx.Graph,
    prefixes: Mapping[str, str],
    source_title: SourceTitle,
    label: Callable[[str], str] | None = None,
) -> str:
    """Tell each path hop by hop: the statements that make each hop and who states them.

    A derived statement says the articles it was derived from (``derived by reasoning
    from: ...``). With ``label``, each entity of a relation or a statement is named
    before its identifier (``Giedrius Bagušinskas (per:giedrius-bagusinskas)``).

    Parameters
    ----------
    paths
        Paths from :func:`clustergraph.network.measures.explain_paths` (all of one length).
    graph
        The network they were found in.
    prefixes
        Prefixes for showing IRIs.
    source_title
        Gives the title of the article behind a named graph.
    label
        Gives the name of an entity by its IRI.
    """

    def who(node: str) -> str:
        data = graph.nodes[node]
        return f"{data.get('label', node)} ({data.get('name', compact(node, prefixes))})"

    def named(text: str) -> str:
        return text if label is None else name_entities(text, prefixes, label)

    if not paths:
        return ""
    hops = len(paths[0].hops)
    first, last = paths[0].nodes[0], paths[0].nodes[-1]
    plural = "s" if len(paths) != 1 else ""
    lines = [
        f"{len(paths)} shortest path{plural} of {hops} hop{'s' if hops != 1 else ''} "
        f"from {who(first)} to {who(last)}:",
    ]
    for number, path in enumerate(paths, 1):
        names = " → ".join(str(graph.nodes[v].get("label", v)) for v in path.nodes)
        lines += ["", f"Path {number}: {names}"]
        for step, hop in enumerate(path.hops, 1):
            lines.append(f"  {step}. {who(hop.start)} — {who(hop.end)}")
            lines.append(f"     via {'; '.join(named(r) for r in hop.relations)}")
            for statement in hop.statements:
                lines.append(f"       {named(statement.text(prefixes))}")
                if statement.graphs or not statement.derived_from:
                    stated = "; ".join(
                        f"{compact(g, prefixes)} ({source_title(g)})" for g in statement.graphs
                    )
                    lines.append(f"         stated in: {stated or 'no named graph'}")
                if statement.derived_from:
                    derived = "; ".join(
                        f"{compact(g, prefixes)} ({source_title(g)})"
                        for g in statement.derived_from
                    )
                    lines.append(f"         derived by reasoning from: {derived}")
    return "\n".join(lines)


_PREFIXED_NAME = re.compile(r"(?<![\w<])[A-Za-z][\w.-]*:[^\s<>\"]+(?<![.,;])")


def name_entities(text: str, prefixes: Mapping[str, str], label: Callable[[str], str]) -> str:
    """Put the name of each entity before its prefixed name in ``text``.

    Examples
    --------
    >>> names = {"urn:x:p": "Giedrius Bagušinskas"}
    >>> name_entities("post holder x:p", {"x": "urn:x:"}, lambda i: names.get(i, ""))
    'post holder Giedrius Bagušinskas (x:p)'
    """

    def one(match: re.Match[str]) -> str:
        token = match.group()
        prefix, _, local = token.partition(":")
        if prefix not in prefixes:
            return token
        name = label(prefixes[prefix] + local)
        return f"{name} ({token})" if name and name != token else token

    return _PREFIXED_NAME.sub(one, text)


def no_path_text(why: NoPath, graph: nx.Graph, prefixes: Mapping[str, str]) -> str:
    """Say why two entities have no path: the parts they are in, and their nearest entities.

    Examples
    --------
    >>> from clustergraph.network.measures import why_no_path
    >>> g = nx.Graph([("urn:a", "urn:b"), ("urn:x", "urn:y")], name="toy")
    >>> print(no_path_text(why_no_path(g, "urn:a", "urn:x"), g, {}))
    no path between <urn:a> and <urn:x> in the toy network, which is in 2 parts:
      <urn:a> is in part 1 of 2: 2 entities, of which it is the best known; nearest: <urn:b>
      <urn:x> is in part 2 of 2: 2 entities, of which it is the best known; nearest: <urn:y>
    """

    def who(node: str) -> str:
        data = graph.nodes[node]
        name = data.get("name", compact(node, prefixes))
        text = str(data.get("label", name))
        return text if text == name else f"{text} ({name})"

    def place(node: str, part: Part, near: tuple[str, ...]) -> str:
        size = f"{part.size:,} entit{'y' if part.size == 1 else 'ies'}"
        best = (
            ""
            if part.size == 1
            else ", of which it is the best known"
            if part.best_known == node
            else f", the best known {who(part.best_known)}"
        )
        around = f"; nearest: {', '.join(who(n) for n in near)}" if near else "; linked to nothing"
        return f"  {who(node)} is in part {part.number} of {why.parts}: {size}{best}{around}"

    network = f" in the {why.network} network" if why.network else " in the network"
    return "\n".join(
        [
            f"no path between {who(why.start)} and {who(why.end)}{network}, which is in "
            f"{why.parts} parts:",
            place(why.start, why.start_part, why.nearest[0]),
            place(why.end, why.end_part, why.nearest[1]),
        ]
    )
