"""clustergraph: a knowledge graph of industry clusters, and the toolkit around it.

``clustergraph.open()`` is the front door (:mod:`clustergraph.api`); the command line is
``clustergraph`` (:mod:`clustergraph.cli.main`). The package is split by role, each
layer importing only from those below it:

- :mod:`clustergraph.errors`: every exception and the exit codes;
- :mod:`clustergraph.project`: layout, IRIs, prefixes, namespaces;
- :mod:`clustergraph.rdf`: terms, formats, strict parsing, lexical forms;
- :mod:`clustergraph.store`: the store seam, embedded Oxigraph and remote SPARQL stores;
- :mod:`clustergraph.queries`: the query library, running it, writing results;
- :mod:`clustergraph.pipeline`: load, derive, validate, checks, stats, export, push;
- :mod:`clustergraph.network`: projections to NetworkX and their analysis;
- :mod:`clustergraph.render`: views, entity pages, the explorer site;
- :mod:`clustergraph.build` and :mod:`clustergraph.api`: the main job and the front door;
- :mod:`clustergraph.cli`: the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from clustergraph.api import KnowledgeGraph

__version__ = "0.1.0"

__all__ = ["__version__", "open"]


def open(root: Path | str | None = None, *, store: str | None = None) -> KnowledgeGraph:  # noqa: A001
    """Open the knowledge graph of a project (see :func:`clustergraph.api.open`)."""
    from clustergraph.api import open as open_graph

    return open_graph(root, store=store)
