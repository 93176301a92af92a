"""The exports published together: every RDF format, the JSON-LD context, the VoID description.

:func:`export_all` writes, into one directory, ``clustergraph.<ext>`` in each format of
:class:`clustergraph.rdf.formats.RdfFormat` (:mod:`clustergraph.pipeline.export`), the
project's JSON-LD context (``context.jsonld``) and the VoID/DCAT description of the
files (``void.ttl``, :mod:`clustergraph.pipeline.void`), which counts and checksums them.

The files are published together: they are written into a staging directory that then
takes the directory's place (:func:`clustergraph.project.files.replace_directory`), so a
reader (or a full disk, or a kill) never leaves a mix of new and old files.

A dataset holding RDF 1.2 triple terms is written in the formats that hold them
(Turtle, N-Triples, N-Quads, TriG); JSON-LD and RDF/XML are left out
(:func:`left_out` says which, for the note the caller prints), never written without
those statements.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from clustergraph.errors import InputError
from clustergraph.pipeline.export import (
    CONTEXT_FILE,
    NO_TRIPLE_TERMS,
    canonical_quads,
    document,
    file_name,
    triple_term_statements,
    union_triples,
    write_context,
)
from clustergraph.pipeline.void import VOID_FILE, describe, void_turtle
from clustergraph.project.files import replace_directory, staging_directory, write_atomic
from clustergraph.rdf.formats import RdfFormat
from clustergraph.store.base import Store

__all__ = ["export_all", "left_out"]


def left_out(written: Mapping[RdfFormat, Path]) -> str | None:
    """Say which formats :func:`export_all` left out and why (``None``: none)."""
    missing = [fmt.label for fmt in RdfFormat if fmt not in written]
    if not missing:
        return None
    return (
        f"{' and '.join(missing)} left out: the dataset holds RDF 1.2 triple terms, which "
        "they cannot hold (the other formats hold every statement)"
    )


def export_all(store: Store, directory: Path | str) -> dict[RdfFormat, Path]:
    """Write every format, the JSON-LD context and the VoID/DCAT description to ``directory``.

    The store is read once; the files replace the directory's all together (see the
    module docstring). A directory holding other files is refused rather than replaced.

    Parameters
    ----------
    store
        The store.
    directory
        Where to write ``clustergraph.<ext>`` for each format, ``context.jsonld`` and
        ``void.ttl`` (see :mod:`clustergraph.pipeline.void`); created if missing.

    Returns
    -------
    dict
        The file written for each format (JSON-LD and RDF/XML left out when the
        dataset holds RDF 1.2 triple terms: :func:`left_out`).

    Raises
    ------
    InputError
        If a file cannot be written, or ``directory`` holds files other than these (the
        directory is left as it was).
    """
    directory = Path(directory)
    names = {file_name(fmt) for fmt in RdfFormat} | {CONTEXT_FILE, VOID_FILE}
    if directory.is_dir():
        others = sorted(p.name for p in directory.iterdir() if p.name not in names)
        if others:
            shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
            raise InputError(
                f"{directory}: holds files the export does not write ({shown}); the "
                "export replaces the whole directory: give a new or empty one"
            )
    elif directory.exists():
        raise InputError(f"{directory}: not a directory")
    quads = canonical_quads(store)
    union = union_triples(quads)
    formats = list(RdfFormat)
    if triple_term_statements(quads):
        formats = [fmt for fmt in formats if fmt not in NO_TRIPLE_TERMS]
    staging = staging_directory(directory)
    try:
        written = {
            fmt: write_atomic(staging / file_name(fmt), document(fmt, quads, union))
            for fmt in formats
        }
        write_context(staging)
        write_atomic(staging / VOID_FILE, void_turtle(describe(store, written)))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_directory(staging, directory)
    return {fmt: directory / path.name for fmt, path in written.items()}
