"""Keep a store in step with the project's files: load what changed, derive what follows.

Every command that reads the project's own store calls :func:`sync` first, so the
command line, the site, the notebook and a pushed store all answer from the same stated
and derived facts. When nothing changed it parses nothing and derives nothing: a file
whose size and times are as the manifest recorded is not even read, and a completed
derivation (its across-sources graph marked) is not looked at again.

Examples
--------
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> report = sync(Project.discover(), store)
>>> report.load.changed, sync(Project.discover(), store).load.changed
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass

from clustergraph.pipeline.derive import DeriveReport, derive, derived_as_is
from clustergraph.pipeline.load import LoadReport, load
from clustergraph.project.layout import Project
from clustergraph.store.base import Store

__all__ = ["SyncReport", "sync"]


@dataclass(frozen=True)
class SyncReport:
    """What :func:`sync` did: the load, then the derivation."""

    load: LoadReport
    derive: DeriveReport


def sync(project: Project, store: Store, *, force: bool = False) -> SyncReport:
    """Load the changed files of ``project`` into ``store`` and derive what follows.

    Parameters
    ----------
    project
        The project.
    store
        A writable store.
    force
        Load and derive everything again.

    Raises
    ------
    InputError
        For a missing or malformed file (the store is left as it was).
    StoreError
        If the store cannot be written.
    """
    loaded = load(project, store, force=force)
    derived = None if loaded.changed or force else derived_as_is(store)
    if derived is None:
        derived = derive(store)
    return SyncReport(loaded, derived)
