"""Regenerate the expected answers of the query library (``tests/queries/expected.toml``).

``pytest --update-expected`` runs every query of the library (and every ``[[binding]]``)
on the repository's store, rewrites the answers in the manifest, and prints the
difference for review. Comments, names, parameters and ``ordered`` stay as written;
``expected`` rows, ``expected_boolean`` and ``expected_triples`` are written anew, and
``expected_contains`` is kept (a triple that no longer holds fails the test, to be
looked at by hand). A query missing from the manifest gets a new entry at the end.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from clustergraph.queries.library import Library
from clustergraph.queries.run import run
from clustergraph.store import AskResult, GraphResult, SelectResult, Store

_VALUE_KEYS = ("expected", "expected_boolean", "expected_triples")


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    escaped = escaped.replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"'


def _cell(term: object, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = max(
            (p for p, ns in prefixes.items() if term.value.startswith(ns)),
            key=lambda p: len(prefixes[p]),
            default=None,
        )
        local = term.value[len(prefixes[best]) :] if best is not None else ""
        if best is not None and local and all(c.isalnum() or c in "-_./" for c in local):
            return f"{best}:{local}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return ""
    assert isinstance(term, ox.Literal)
    return term.value


def _answer_lines(result: object, ordered: bool, prefixes: Mapping[str, str]) -> list[str]:
    if isinstance(result, AskResult):
        return [f"expected_boolean = {'true' if result.value else 'false'}"]
    if isinstance(result, GraphResult):
        return [f"expected_triples = {len(set(result.triples))}"]
    assert isinstance(result, SelectResult)
    rows = [[_cell(t, prefixes) for t in row] for row in result.rows]
    if not ordered:
        rows = sorted({tuple(r) for r in rows})  # type: ignore[arg-type]
    body = "".join("  [" + ", ".join(_toml_string(c) for c in row) + "],\n" for row in rows)
    return ["expected = [", body.rstrip("\n"), "]"] if rows else ["expected = []"]


def _blocks(text: str) -> tuple[str, list[str]]:
    """Split the manifest into its header and its ``[[...]]`` blocks (comments go down)."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("[[")]
    # A block's comments sit just above its [[...]] line.
    cuts = []
    for start in starts:
        cut = start
        while cut > 0 and lines[cut - 1].startswith("#"):
            cut -= 1
        cuts.append(cut)
    if not cuts:
        return text, []
    header = "".join(lines[: cuts[0]])
    blocks = ["".join(lines[a:b]) for a, b in zip(cuts, [*cuts[1:], len(lines)], strict=True)]
    return header, blocks


def _rewrite(block: str, answer: list[str]) -> str:
    """Replace the answer lines of one block, keeping everything else."""
    kept: list[str] = []
    skipping = False
    for line in block.splitlines():
        key = line.split("=", 1)[0].strip()
        if skipping:
            if line.startswith("]"):
                skipping = False
            continue
        if key in _VALUE_KEYS:
            if line.rstrip().endswith("["):
                skipping = True
            continue
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    # The answer goes after ``ordered`` (or the last key), before expected_contains.
    at = next((i for i, line in enumerate(kept) if line.startswith("expected_contains")), len(kept))
    return "\n".join([*kept[:at], *answer, *kept[at:]]) + "\n\n"


def regenerate(path: Path, store: Store, library: Library) -> tuple[str, str]:
    """Return the manifest with fresh answers, and a unified diff from the old one."""
    old = path.read_text(encoding="utf-8")
    manifest = tomllib.loads(old)
    prefixes: dict[str, str] = manifest["prefixes"]
    header, blocks = _blocks(old)
    seen: set[str] = set()
    fresh = []
    for block in blocks:
        entry: dict[str, Any] = tomllib.loads(_strip_head(block))
        query = library.get(entry["name"])
        result = run(store, query, params=entry.get("params"))
        ordered = bool(entry.get("ordered", False))
        fresh.append(_rewrite(block, _answer_lines(result, ordered, prefixes)))
        if "params" not in entry:
            seen.add(entry["name"])
    for name in library.names:
        if name not in seen:
            result = run(store, library.get(name))
            lines = ["[[query]]", f"name = {_toml_string(name)}", "ordered = false"]
            fresh.append("\n".join([*lines, *_answer_lines(result, False, prefixes)]) + "\n\n")
    new = header + "".join(fresh).rstrip("\n") + "\n"
    diff = "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"{path.name} (before)",
            tofile=f"{path.name} (after)",
        )
    )
    return new, diff


def _strip_head(block: str) -> str:
    """Drop the comment lines and the ``[[...]]`` line of a block."""
    lines = block.splitlines()
    rest = [line for line in lines if not line.startswith("#")]
    return "\n".join(rest[1:]) + "\n"
