"""What each stage of a build was made from and what it wrote: the build's record.

A build (:mod:`clustergraph.build`) keeps, beside its outputs, one record
(:data:`RECORD_FILE`, JSON) saying for each stage after the derivation:

- what it was built from (``inputs``: a hash of the code that ran, the content hashes
  of the graphs it read, the project's queries and shapes where it reads them, the
  options that change what it writes, and the outputs of the stages it takes its
  inputs from);
- the files it wrote, each with its SHA-256 and its size, modification time and inode
  as written (``files``), and a hash of them all (``outputs``);
- what it said (its progress line and notes), and what the later stages take from it
  (``state``).

The next build skips a stage when what it would be built from is what the record says
and its files are intact: each still there with the size, time and inode recorded, or,
where these differ, the same SHA-256 (:func:`intact`). A removed or edited file makes
its stage run again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from clustergraph.project.layout import Project
from clustergraph.store.base import Store

__all__ = [
    "RECORD_FILE",
    "Record",
    "StageRecord",
    "code_digest",
    "data_digest",
    "digest",
    "file_entries",
    "intact",
    "project_digest",
    "read_record",
    "walk",
    "write_record",
]

RECORD_FILE = ".clustergraph-record.json"
"""The build's record, in the build directory (beside ``site/``, ``exports/``, ...)."""

RECORD_VERSION = 1
"""The record's format: a record of another version is not read (everything runs)."""

LIBRARIES = ("pyoxigraph", "networkx", "igraph", "jinja2", "markupsafe", "rdflib", "pyshacl")
"""Libraries whose version is part of what every stage is built from."""

FileEntry = tuple[int, int, int, str]
"""A file as written: ``(size, mtime_ns, inode, sha256)``."""


@dataclass
class StageRecord:
    """What one stage was built from and what it wrote (see the module docstring)."""

    inputs: str
    outputs: str
    files: dict[str, FileEntry]
    detail: str = ""
    notes: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class Record:
    """A build's record: each recorded stage by name, and the build's totals."""

    stages: dict[str, StageRecord] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)


def digest(*parts: object) -> str:
    """Return a SHA-256 of ``parts`` as JSON (sorted keys; the same parts, the same hash).

    Examples
    --------
    >>> digest("a", {"b": 1, "c": 2}) == digest("a", {"c": 2, "b": 1}) != digest("a")
    True
    """
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def code_digest() -> str:
    """Return a hash of the code a build runs: this package's files and the libraries'.

    Every file of the ``clustergraph`` package (modules, templates, assets), the Python
    version and the versions of :data:`LIBRARIES`: a changed template, renderer or
    library makes every recorded stage run again.
    """
    hasher = hashlib.sha256(f"{RECORD_VERSION}\x00{sys.version}".encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        hasher.update(f"\x00{name}={version}".encode())
    pending = [resources.files("clustergraph")]
    while pending:
        folder = pending.pop()
        for item in sorted(folder.iterdir(), key=lambda i: i.name):
            if item.is_dir():
                if item.name != "__pycache__":
                    pending.append(item)
            elif not item.name.endswith((".pyc", ".pyo")):
                hasher.update(b"\x00" + item.name.encode("utf-8") + b"\x00" + item.read_bytes())
    return hasher.hexdigest()


def project_digest(project: Project, what: str) -> str:
    """Return a hash of one part of the project a stage reads besides the store.

    ``what`` is ``"queries"`` (every file under ``queries/``, by path) or ``"shapes"``
    (the SHACL shapes file).
    """
    hasher = hashlib.sha256(what.encode("utf-8"))
    if what == "queries":
        root = project.queries_dir
        paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    elif what == "shapes":
        paths = [project.shapes_file] if project.shapes_file.is_file() else []
    else:  # pragma: no cover - a programming error
        raise ValueError(f"unknown part of the project: {what}")
    for path in paths:
        hasher.update(b"\x00" + project.relpath(path).encode("utf-8") + b"\x00")
        hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


def data_digest(store: Store) -> str:
    """Return a hash of the store's stated graphs as its manifest says: IRI, file, SHA-256.

    The derived graphs follow from these and the code (:func:`code_digest`).
    """
    from clustergraph.pipeline.load import manifest

    entries = sorted((e.graph, e.file, e.sha256) for e in manifest(store).values())
    return digest("data", entries)


def _sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def file_entries(
    root: Path, paths: Iterable[str], known: Mapping[str, FileEntry] = {}
) -> dict[str, FileEntry]:
    """Return each file under ``root`` as written: size, time, inode and SHA-256.

    A file whose size, time and inode are those ``known`` records (a file taken from the
    previous build by a hard link) keeps the recorded hash instead of being read again.
    """
    entries: dict[str, FileEntry] = {}
    for rel in sorted(paths):
        path = root / rel
        stat = _stat(path)
        if stat is None:
            continue
        last = known.get(rel)
        sha = last[3] if last is not None and tuple(last[:3]) == stat else _sha256(path)
        entries[rel] = (*stat, sha)
    return entries


def intact(root: Path, files: Mapping[str, FileEntry]) -> str | None:
    """Return the first of ``files`` not as recorded under ``root``, or ``None`` if all are.

    A file with the recorded size, time and inode is taken as it is; another is hashed.
    """
    base = os.fspath(root) + os.sep
    for rel, (size, mtime, inode, sha) in files.items():
        try:
            st = os.stat(base + rel)
        except OSError:
            return rel
        if (st.st_size, st.st_mtime_ns, st.st_ino) != (size, mtime, inode) and (
            st.st_size != size or _sha256(root / rel) != sha
        ):
            return rel
    return None


def read_record(directory: Path) -> Record | None:
    """Return the record of the build in ``directory`` (``None``: none, or not readable)."""
    try:
        data = json.loads((directory / RECORD_FILE).read_text(encoding="utf-8"))
        if data.get("version") != RECORD_VERSION:
            return None
        stages = {
            name: StageRecord(
                inputs=str(s["inputs"]),
                outputs=str(s["outputs"]),
                files={
                    rel: (int(a), int(b), int(c), str(d))
                    for rel, (a, b, c, d) in s["files"].items()
                },
                detail=str(s.get("detail", "")),
                notes=[str(n) for n in s.get("notes", [])],
                state=dict(s.get("state", {})),
            )
            for name, s in data["stages"].items()
        }
        totals = {str(k): int(v) for k, v in data.get("totals", {}).items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return Record(stages, totals)


def write_record(directory: Path, record: Record) -> None:
    """Write ``record`` into ``directory`` (:data:`RECORD_FILE`)."""
    data = {
        "version": RECORD_VERSION,
        "totals": record.totals,
        "stages": {
            name: {
                "inputs": s.inputs,
                "outputs": s.outputs,
                "detail": s.detail,
                "notes": s.notes,
                "state": s.state,
                "files": s.files,
            }
            for name, s in record.stages.items()
        },
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    path = directory / RECORD_FILE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def walk(root: Path) -> set[str]:
    """Return every file under ``root``, relative to it (POSIX paths)."""
    found: set[str] = set()
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), prefix + entry.name + "/"))
                else:
                    found.add(prefix + entry.name)
    return found
