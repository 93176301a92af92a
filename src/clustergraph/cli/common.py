"""What every command shares: the store option, the project, and one ``--param`` parser.

Every command takes ``--store``: the project's own store by default
(``.clustergraph/store``, brought up to date with the files before the command reads
it), ``memory:``, ``oxigraph:PATH``, or the URL of a SPARQL endpoint, read as it is
(no local files needed). Read commands take ``--stated`` to see the stated facts only,
without the derived ones.

Examples
--------
>>> parse_params(["org=o:lcn", "?year=2020"])
{'org': 'o:lcn', 'year': '2020'}
>>> parse_params(["org=a", "org=b"])
Traceback (most recent call last):
...
clustergraph.errors.InputError: parameter 'org' given twice
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from clustergraph.errors import InputError, ParamError, StoreBusyError
from clustergraph.project.layout import Project

if TYPE_CHECKING:
    from clustergraph.queries.library import Library, QueryFile
    from clustergraph.store.base import Store


def add_store_options(parser: argparse.ArgumentParser, *, read: bool = True) -> None:
    """Add ``--store`` (and, for read commands, ``--stated``) with the remote options."""
    group = parser.add_argument_group("store")
    group.add_argument(
        "--store",
        metavar="SPEC",
        help="the store: oxigraph:PATH, memory:, or a SPARQL endpoint URL "
        "(default: the project's .clustergraph/store, kept in step with the files)",
    )
    if read:
        group.add_argument(
            "--stated",
            action="store_true",
            help="see the stated facts only, not the derived ones",
        )
    group.add_argument(
        "--update-endpoint",
        metavar="URL",
        help="the SPARQL Update endpoint of a remote --store, to write to it (Oxigraph's "
        "follows from its .../query URL; Virtuoso: .../sparql once updates are granted, "
        "or .../sparql-auth with CLUSTERGRAPH_USER and CLUSTERGRAPH_PASSWORD)",
    )
    group.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="S",
        help="seconds to wait for a remote store's answer (default: 30)",
    )
    group.add_argument(
        "--retries",
        type=_retries,
        default=3,
        metavar="N",
        help="retries of a remote request after a transient fault (default: 3)",
    )


def _seconds(text: str) -> float:
    """Parse ``--timeout``: a finite number of seconds, more than 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds more than 0: {text!r}")
    return value


def _retries(text: str) -> int:
    """Parse ``--retries``: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return value


def add_param_option(parser: argparse.ArgumentParser, what: str = "the query") -> None:
    """Add the repeatable ``--param NAME=VALUE``."""
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"bind a parameter of {what} (repeatable); an IRI as <IRI>, full IRI, "
        "prefixed name (o:lcn) or slug (lcn)",
    )


def add_as_of_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--as-of DATE`` and ``--dated-only`` (see :mod:`clustergraph.rdf.periods`)."""
    group = parser.add_argument_group("time")
    group.add_argument(
        "--as-of",
        metavar="DATE",
        help="the facts true on this day (YYYY-MM-DD): memberships, posts, labels, "
        "organisations and events by their periods; facts with no period are kept, marked",
    )
    group.add_argument(
        "--dated-only",
        action="store_true",
        help="with --as-of: leave out the facts whose period is not stated",
    )


def as_of_day(args: argparse.Namespace) -> date | None:
    """Return the day of ``--as-of`` (checked), or ``None``.

    Raises
    ------
    InputError
        For a malformed day, or ``--dated-only`` without ``--as-of``.
    """
    from clustergraph.rdf.periods import parse_day

    text = getattr(args, "as_of", None)
    if text is None:
        if getattr(args, "dated_only", False):
            raise InputError("--dated-only goes with --as-of DATE")
        return None
    return parse_day(text)


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """Read ``NAME=VALUE`` pairs; a name given twice is an error."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise InputError(f"--param takes NAME=VALUE, got {pair!r}")
        if name in params:
            raise InputError(f"parameter {name!r} given twice")
        params[name] = value
    return params


def query_params(query: QueryFile, pairs: Sequence[str]) -> dict[str, str]:
    """Read ``NAME=VALUE`` pairs for ``query`` and check them before any store opens.

    Parameters other than IRIs are checked against the query's header here; IRIs may be
    slugs, which only the store can resolve (:func:`resolve_params`).

    Raises
    ------
    InputError, ParamError
        For a malformed pair, a name given twice, an unknown or ill-typed parameter.
    """
    from clustergraph.queries.library import ParamType

    params = parse_params(pairs)
    iris = {p.name for p in query.params if p.type is ParamType.IRI}
    query.bindings({k: v for k, v in params.items() if k not in iris})
    return params


def resolve_params(store: Store, query: QueryFile, params: dict[str, str]) -> dict[str, str]:
    """Return ``params`` with each IRI parameter resolved to ``<IRI>`` (slugs included).

    An IRI that names nothing in the store is kept, with a warning naming the closest
    entities.

    Raises
    ------
    ParamError
        If a value is no IRI, prefixed name or slug of one entity.
    """
    from clustergraph.queries.entities import resolve, unknown_warning
    from clustergraph.queries.library import ParamType

    iris = {p.name for p in query.params if p.type is ParamType.IRI}
    resolved = dict(params)
    for name in iris & params.keys():
        try:
            iri = resolve(store, params[name])
        except InputError as exc:
            raise ParamError(f"parameter {name!r}: {exc}") from None
        unknown = unknown_warning(store, name, iri)
        if unknown is not None:
            warn(unknown)
        resolved[name] = f"<{iri}>"
    return resolved


def warn(message: str) -> None:
    """Print a warning line on standard error."""
    print(f"clustergraph: warning: {message}", file=sys.stderr)


def note(message: str) -> None:
    """Print a note on standard error."""
    print(f"clustergraph: note: {message}", file=sys.stderr)


@dataclass
class Context:
    """What a command runs with: its arguments, the project, and the store once opened."""

    args: argparse.Namespace
    root: Path | None = None
    _store: Store | None = field(default=None, repr=False)
    _project: Project | None = field(default=None, repr=False)
    _bundled: bool = field(default=False, repr=False)

    @property
    def remote(self) -> bool:
        """Whether the store is a remote endpoint (read as it is)."""
        spec = getattr(self.args, "store", None)
        return spec is not None and spec.startswith(("http://", "https://"))

    @property
    def bundled(self) -> bool:
        """Whether no project was found here, so the one shipped with clustergraph is used."""
        _ = self.project
        return self._bundled

    @property
    def project(self) -> Project:
        """The project: ``--root``, else found from the working directory.

        Outside any project, the project shipped with the package is used (the curated
        Lithuanian graph and the query library); a note on standard error says so, except
        on a remote store, which needs only the query library and the shapes from it.

        Raises
        ------
        InputError
            If there is no project here and the package ships none.
        """
        if self._project is None:
            if self.root is not None:
                self._project = Project(self.root)
            else:
                try:
                    self._project = Project.discover()
                except InputError:
                    self._project = Project.bundled()
                    self._bundled = True
                    if not self.remote:
                        note(
                            "no project here or above: using the graph shipped with "
                            f"clustergraph (its store: {self._project.store_dir}; a build "
                            "goes to ./build; 'clustergraph init DIR' starts a project of "
                            "your own)"
                        )
        return self._project

    def store(self, *, write: bool = False, verdict: bool = False) -> Store:
        """Open the store; a local one is first brought up to date with the files.

        A local store another process holds is read as it stands, with a note, unless
        the command writes (``write``) or gives a verdict on the files (``verdict``:
        ``validate`` and ``check`` must not pass data they could not read).

        Raises
        ------
        InputError, StoreError
            If the store cannot be opened, or a file is malformed.
        """
        if self._store is None:
            from clustergraph.store import open_store

            spec = getattr(self.args, "store", None)
            if self.remote:
                store = self.open_remote()
                if write and not store.writable:
                    raise InputError(f"{spec} is read-only: this command writes to the store")
            else:
                from clustergraph.pipeline.sync import sync

                if getattr(self.args, "update_endpoint", None):
                    raise InputError("--update-endpoint is for a remote --store (an http(s) URL)")
                project = self.project
                try:
                    store = open_store(spec, default=project.store_dir)
                except StoreBusyError:
                    if write or verdict:
                        raise
                    store = open_store(spec, default=project.store_dir, read_only=True)
                    note(
                        f"{store.location} is in use by another process: answering from it "
                        "as it stands, without bringing it in step with the files"
                    )
                else:
                    for line in sync(project, store).load.warnings:
                        print(f"clustergraph: {line}", file=sys.stderr)
            self._store = store
        return self._store

    def open_remote(self) -> Store:
        """Open the remote store ``--store`` names, with the remote options, as it is.

        Raises
        ------
        InputError
            If ``--update-endpoint`` is given without a remote ``--store``.
        """
        from clustergraph.store import open_store

        update = getattr(self.args, "update_endpoint", None)
        if not self.remote:
            raise InputError("--update-endpoint is for a remote --store (an http(s) URL)")
        return open_store(
            self.args.store,
            update=update,
            timeout=getattr(self.args, "timeout", 30.0),
            retries=getattr(self.args, "retries", 3),
        )

    def graphs(self, store: Store) -> list[str] | None:
        """Return the graphs a read command sees: the stated ones with ``--stated``, else all."""
        if getattr(self.args, "stated", False):
            from clustergraph.pipeline.load import stated_graphs

            return stated_graphs(store)
        return None

    def library(self) -> Library:
        """Return the query library of the project."""
        from clustergraph.queries.library import Library

        return Library.of(self.project)

    def query_file(self, name: str) -> QueryFile:
        """Return a query of the library by name, or a ``.rq`` file by path."""
        return self.library().get(name)

    def close(self) -> None:
        """Release the store."""
        if self._store is not None:
            self._store.close()
            self._store = None
