"""The exports published together: every RDF format, the JSON-LD context, the VoID description.

:func:`export_all` writes, into one directory, ``clustergraph.<ext>`` in each format of
:class:`clustergraph.rdf.formats.RdfFormat` (:mod:`clustergraph.pipeline.export`), the
project's JSON-LD context (``context.jsonld``) and the VoID/DCAT description of the
files (``void.ttl``, :mod:`clustergraph.pipeline.void`), which counts and checksums them.
"""

from __future__ import annotations

from pathlib import Path

from clustergraph.pipeline.export import (
    canonical_quads,
    document,
    file_name,
    union_triples,
    write_context,
)
from clustergraph.pipeline.void import VOID_FILE, describe, void_turtle
from clustergraph.project.files import write_atomic
from clustergraph.rdf.formats import RdfFormat
from clustergraph.store.base import Store

__all__ = ["export_all"]


def export_all(store: Store, directory: Path | str) -> dict[RdfFormat, Path]:
    """Write every format, the JSON-LD context and the VoID/DCAT description to ``directory``.

    The store is read once; each file is written atomically.

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
        The file written for each format.

    Raises
    ------
    InputError
        If a file cannot be written.
    """
    directory = Path(directory)
    quads = canonical_quads(store)
    union = union_triples(quads)
    files = {
        fmt: write_atomic(directory / file_name(fmt), document(fmt, quads, union))
        for fmt in RdfFormat
    }
    write_context(directory)
    write_atomic(directory / VOID_FILE, void_turtle(describe(store, files)))
    return files
