"""The main job, ``clustergraph build``: from the files, through the store, to ``build/``.

The build is a list of named stages (:data:`STAGES`), run in order on one store (by
default the project's own, ``.clustergraph/store``):

==========  ===========================================================================
stage       what it does
==========  ===========================================================================
load        bring the store in step with the files: (re)load only what changed
validate    check the stated facts against the SHACL shapes; stop if they do not conform
derive      derive the shortcut facts, one derived graph per stated graph
copy        copy a store on disk into memory for the stages that only read it, when
            it is worth it and fits (:data:`COPY_FLOOR`, :data:`MEMORY_SHARE`;
            ``memory_copy=False`` never copies)
check       run the checks of ``queries/checks/``; stop if one returns rows (probable
            duplicates are reported and listed on the site's ``curation.html``, and the
            build goes on, unless ``strict=True``)
queries     run every query of the library with its defaults, over the stated and
            derived facts; write each result to ``queries/``
analyse     measure the actor network; write ``analysis/``
export      write the dataset in six RDF formats with its VoID/DCAT description to
            ``exports/``
views       write the interactive views to ``site/views/``
site        write the explorer's pages to ``site/``, with ``changes.html``: what changed
            since the previous build in the output directory (its N-Quads export)
==========  ===========================================================================

On a remote store (``store="http://..."``) that takes updates every stage runs there:
the files are loaded into it (each changed graph replaced all or nothing, its manifest
kept on the store so that an unchanged file is not sent again), validated, derived (in
memory here, the derived graphs written back), and the store keeps the union of its data
graphs that its queries read (:meth:`clustergraph.store.remote.RemoteStore.refresh_union`).
With ``as_is=True`` (the default for a read-only store) it is read as it is: ``load`` and
``derive`` are skipped, and nothing is written to it.

The views and pages that show what they showed in the previous build (the same key in
its ``site/keys.json``, see :func:`clustergraph.render.site.write_site`) are taken from
it, hard-linked, instead of being rendered again.

Everything is written into a staging directory beside the output directory
(``.build-<pid>-XXXX.tmp``), which replaces the output directory only once every stage
has succeeded (:func:`clustergraph.project.files.replace_directory`: one atomic exchange
on Linux): a build that fails midway leaves the previous ``build/`` as it was, and
removes its staging directory; what a killed build left is removed by the next one.
Each stage prints a progress line with its duration, and the build a summary at the end
(``quiet=True`` prints nothing but errors).
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from clustergraph.errors import BuildError, ClusterGraphError, DataError, InputError
from clustergraph.project.files import replace_directory, staging_directory
from clustergraph.project.layout import Project

if TYPE_CHECKING:
    from clustergraph.network.index import GraphIndex
    from clustergraph.network.measures import Analysis
    from clustergraph.pipeline.stats import Stats
    from clustergraph.rdf.formats import RdfFormat
    from clustergraph.render.site import QueryRun, SiteInputs, SiteSummary
    from clustergraph.store.base import Store

__all__ = ["STAGES", "BuildReport", "Stage", "build"]

ANALYSED_NETWORK = "actors"
"""The network the analysis stage measures."""

MEMORY_SHARE = 0.25
"""The share of the memory (:func:`_memory_limit`) a copy of the store may take (the copy
stage): about twice the size of the store's tables on disk."""

COPY_FLOOR = 16_000_000
"""The size of the store's tables on disk (bytes) below which the copy stage leaves it
on disk: the copy would cost more than it saves."""


@dataclass
class _State:
    """What the stages hand on to each other."""

    project: Project
    staging: Path
    store: Store
    remote: bool = False  # read as it is: nothing loaded, derived or written
    loaded: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    previous: tuple[str, ...] | None = ()
    stats: Stats | None = None
    index: GraphIndex | None = None
    analysis: Analysis | None = None
    runs: list[QueryRun] = field(default_factory=list)
    exports: dict[RdfFormat, Path] = field(default_factory=dict)
    inputs: SiteInputs | None = None
    site: SiteSummary | None = None
    views: int = 0
    earlier: Path | None = None  # the previous build's site, whose unchanged files are reused
    previous_build: Path | None = None  # the previous build, which the changes page compares
    memory_copy: bool = True  # whether the copy stage may copy the store into memory
    strict: bool = False  # whether probable duplicates stop the build
    as_of: date | None = None  # the day the analysis, views and dated queries are as of
    dated_only: bool = False  # with as_of: leave out the facts whose period is not stated
    notes: list[str] = field(default_factory=list)  # printed after the stage's line


@dataclass(frozen=True)
class Stage:
    """A named step of the build: ``run`` does the work and returns a one-line account."""

    name: str
    run: Callable[[_State], str]


@dataclass(frozen=True)
class StageTime:
    """A stage that ran: its name, its duration in seconds, and what it did."""

    name: str
    seconds: float
    detail: str


@dataclass(frozen=True)
class BuildReport:
    """The outcome of :func:`build`."""

    out: Path
    seconds: float
    stages: tuple[StageTime, ...]
    pages: int
    views: int
    entities: int
    queries: int
    exports: int

    def summary(self, shown: str) -> str:
        """Return the closing lines: what was built, where, and what to open."""
        return (
            f"build finished in {self.seconds:.1f} s: {self.pages} pages "
            f"({self.entities} entities, {self.queries} query pages) and {self.views} views "
            f"in {shown}/site, {self.exports} export files in {shown}/exports\n"
            f"open {shown}/site/index.html"
        )


# ---------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------


def _load(state: _State) -> str:
    from clustergraph.pipeline.load import load

    if state.remote:
        return f"read as it is: {state.store.location}"
    report = load(state.project, state.store)
    state.loaded, state.removed, state.previous = report.loaded, report.removed, report.previous
    state.notes.extend(report.warnings)
    if report.loaded and not report.unchanged:
        from clustergraph.pipeline.validate import forget

        forget(state.store)  # a store loaded whole: an earlier record is not about it
    graphs = report.unchanged + len(report.loaded)
    if not report.changed:
        return f"{graphs} graphs, all as their files are: nothing to load"
    removed = f", {len(report.removed)} removed" if report.removed else ""
    return f"{len(report.loaded)} of {graphs} graphs loaded ({report.triples:,} triples){removed}"


def _validate(state: _State) -> str:
    from clustergraph.pipeline.validate import plan, remember, validate

    if state.remote:
        report = validate(state.project, state.store)
        scope = ""
    else:
        todo = plan(
            state.project,
            state.store,
            loaded=state.loaded,
            removed=state.removed,
            previous=state.previous,
        )
        if todo.nothing:
            return f"conforms ({todo.reason})"
        # The whole store is validated again when anything changed: on the benchmark's
        # ecosystem, restricting to what one changed source touches (validate(changed=))
        # costs more than validating everything (the organisations many sources name
        # reach most of the graph in two steps): 19 s against 9 s at 100k triples.
        report = validate(state.project, state.store)
        scope = f"; {todo.reason}" if todo.changed is not None else ""
    state.notes.extend(report.notes)
    if not report.conforms:
        raise DataError(
            f"the data does not conform to the shapes ({report.violations} violations)",
            report=report.format(limit=REPORT_LINES),
        )
    if not state.remote:
        remember(state.project, state.store)
    others = len(report.results)
    return "conforms" + (f" ({others} warnings)" if others else "") + scope


def _derive(state: _State) -> str:
    from clustergraph.pipeline.derive import derive

    if state.remote:
        return "read as it is"
    report = derive(state.store)
    top = ", ".join(f"{name} {n}" for name, n in report.by_predicate[:4])
    fresh = f"{len(report.graphs)} graphs derived" if report.graphs else "nothing new to derive"
    return f"{report.triples:,} derived triples ({top}, ...); {fresh}"


def _copy(state: _State) -> str:
    from clustergraph.store.base import BulkStore

    store = state.store
    if not isinstance(store, BulkStore) or not store.on_disk:
        return "read where it is: " + ("already in memory" if store.local else "remote")
    if not state.memory_copy:
        return "read on disk (no copy asked for)"
    size = store.disk_bytes()
    needed, memory = 2 * size, _memory_limit()
    if size < COPY_FLOOR:
        return f"read on disk: {size / 1e6:.1f} MB, small enough"
    if memory is None or needed > MEMORY_SHARE * memory:
        return f"read on disk: a copy in memory would take about {needed / 1e9:.1f} GB"
    state.store = store.copy_in_memory()
    return f"the later stages read a copy in memory (about {needed / 1e9:.2f} GB)"


def _memory_limit() -> int | None:
    """Return the memory this process may use in bytes, or ``None`` where it cannot be told.

    The machine's memory, or the limit of the control group the process runs in (a
    container's) where that is lower.
    """
    import os

    try:
        limit: int | None = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        limit = None
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text(encoding="ascii").strip()
        except OSError:
            continue
        if text.isdigit() and (limit is None or int(text) < limit):
            limit = int(text)
    return limit


def _check(state: _State) -> str:
    from clustergraph.pipeline.checks import run_checks
    from clustergraph.queries.library import Library
    from clustergraph.render.site import QueryRun

    report = run_checks(state.store, Library.of(state.project))
    review = [r for r in report.failed if r.query.name in REVIEWED_CHECKS and not state.strict]
    stopping = [r for r in report.failed if r not in review]
    if stopping:
        raise DataError(
            f"{len(stopping)} of {len(report.runs)} checks returned rows",
            report="\n".join(r.format() for r in stopping),
        )
    runs = [QueryRun(r.query, r.result, r.seconds) for r in report.runs]
    state.runs.extend(_write_results(state, runs))
    said = []
    for found in review:
        count = len(found.result.rows)
        said.append(f"{found.query.name}: {count} row{'' if count == 1 else 's'}")
        state.notes.append(
            f"REVIEW {found.format().removeprefix('FAIL ')}\n(listed on site/curation.html; "
            "check and build --strict stop on them)"
        )
    warned = report.warned
    if warned:
        said.extend(f"{r.query.name}: {len(r.result.rows)} rows" for r in warned)
    passed = len(report.runs) - len(report.failed)
    if said:
        return f"{passed} of {len(report.runs)} checks return no rows ({'; '.join(said)} to review)"
    return f"{len(report.runs)} of {len(report.runs)} checks return no rows"


REVIEWED_CHECKS = frozenset({"checks/probable-duplicates"})
"""Checks whose rows the build reports and goes on (``strict=True`` stops on them, as
``clustergraph check`` always does): a heuristic's finds a curator reviews."""


def _queries(state: _State) -> str:
    from clustergraph.queries.library import AS_OF_PARAM, Library, as_of_values
    from clustergraph.queries.run import run
    from clustergraph.render.site import QueryRun
    from clustergraph.store.base import AskResult, GraphResult, SelectResult

    runs = []
    for query in Library.of(state.project):
        if query.is_check:
            continue
        started = time.perf_counter()
        values: dict[str, str] = {}
        if state.as_of is not None and any(p.name == AS_OF_PARAM for p in query.params):
            values = as_of_values(query, state.as_of.isoformat(), dated_only=state.dated_only)
        result = run(state.store, query, params=values)
        runs.append(QueryRun(query, result, time.perf_counter() - started))
    runs = _write_results(state, runs)
    state.runs.extend(runs)
    rows = sum(len(r.result) for r in runs if isinstance(r.result, SelectResult))
    graphs = sum(1 for r in runs if isinstance(r.result, GraphResult))
    asks = sum(1 for r in runs if isinstance(r.result, AskResult))
    seconds = sum(r.seconds for r in runs)
    return (
        f"{len(runs)} queries in {seconds:.2f} s: {rows:,} rows, "
        f"{graphs} graphs, {asks} yes-or-no answers; results in queries/"
    )


def _write_results(state: _State, runs: Sequence[QueryRun]) -> list[QueryRun]:
    """Write each result under ``queries/`` and return the runs with their files."""
    from dataclasses import replace

    from clustergraph.project.prefixes import PREFIXES
    from clustergraph.queries.output import Format, write_result
    from clustergraph.store.base import AskResult, GraphResult

    written = []
    for r in runs:
        prefixes = {**PREFIXES, **dict(r.query.prefixes)}
        if isinstance(r.result, GraphResult):
            formats = {"ttl": Format.TTL}
        elif isinstance(r.result, AskResult):
            formats = {"json": Format.JSON}
        else:
            formats = {"csv": Format.CSV, "json": Format.JSON}
        files = {}
        for ext, fmt in formats.items():
            rel = f"queries/{r.query.name}.{ext}"
            target = state.staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(write_result(r.result, fmt, prefixes=prefixes))
            files[ext] = rel
        written.append(replace(r, files=files))
    return written


def _analyse(state: _State) -> str:
    from clustergraph.network.index import GraphIndex
    from clustergraph.network.measures import analyze
    from clustergraph.network.projections import DESCRIPTIONS
    from clustergraph.network.projections import project as projection
    from clustergraph.network.report import write_report

    state.index = GraphIndex.from_store(state.store)
    when = ""
    if state.as_of is not None:
        from clustergraph.network.timeline import as_of

        state.index = as_of(state.index, state.as_of, dated_only=state.dated_only)
        when = f" as of {state.as_of.isoformat()}"
    graph = projection(state.index, ANALYSED_NETWORK)
    analysis = state.analysis = analyze(graph)
    write_report(
        analysis,
        state.staging / "analysis",
        description=(f"As of {state.as_of.isoformat()}. " if state.as_of else "")
        + DESCRIPTIONS[ANALYSED_NETWORK],
        name_of=state.index.label,
        prefixes=state.index.prefixes,
    )
    top = analysis.ranked[0].label if analysis.ranked else "-"
    return (
        f"{ANALYSED_NETWORK} network{when}: {analysis.nodes} nodes, {analysis.edges} edges, "
        f"{len(analysis.communities)} communities; most central: {top}"
    )


def _export(state: _State) -> str:
    from clustergraph.pipeline.publish import export_all, left_out

    state.exports = export_all(state.store, state.staging / "exports")
    size = sum(p.stat().st_size for p in (state.staging / "exports").iterdir())
    missing = left_out(state.exports)
    return (
        f"{len(state.exports)} RDF formats, void.ttl and context.jsonld ({size / 1e6:.1f} MB)"
        + (f"; {missing}" if missing else "")
    )


def _site_inputs(state: _State) -> SiteInputs:
    from clustergraph.pipeline.stats import stats
    from clustergraph.render.site import SiteInputs

    if state.inputs is None:
        if state.index is None or state.analysis is None:  # pragma: no cover - stage order
            raise BuildError("the network analysis is missing: the stages ran out of order")
        state.stats = stats(state.store)
        state.inputs = SiteInputs(
            project=state.project,
            store=state.store,
            index=state.index,
            analysis=state.analysis,
            stats=state.stats,
            runs=state.runs,
            exports=state.exports,
            build=state.staging,
        )
    return state.inputs


def _views(state: _State) -> str:
    from clustergraph.render.site import write_views

    state.views = write_views(_site_inputs(state), previous=state.earlier)
    return f"{state.views} views sharing one copy of vis-network"


def _changes(state: _State) -> str:
    """Compare this build with the previous one for the changes page; say what was found."""
    from clustergraph.pipeline.diff import (
        EXPORT_FILE,
        Version,
        compare,
        snapshot_of_build,
        snapshot_of_store,
    )
    from clustergraph.rdf.formats import RdfFormat

    inputs = _site_inputs(state)
    if state.previous_build is None:
        inputs.changes_note = (
            "This is the first build here: there is no previous build to compare with."
        )
        return "first build"
    try:
        before = snapshot_of_build(state.previous_build)
    except InputError as exc:
        inputs.changes_note = (
            f"The previous build could not be read ({exc}): nothing to compare with."
        )
        return "the previous build could not be read"
    exported = state.exports.get(RdfFormat.NQUADS)
    after = (
        snapshot_of_build(state.staging)
        if exported is not None and exported == state.staging / EXPORT_FILE
        else snapshot_of_store(state.store)
    )
    found = compare(
        Version("previous", "build", "previous", shown="the previous build"),
        before,
        Version("this", "build", "this", shown="this build"),
        after,
    )
    inputs.changes = found
    if found.identical:
        return "no change since the previous build"
    new = sum(1 for e in found.entities if e.status == "new")
    return (
        f"+{found.added:,} -{found.removed:,} facts, {new:,} new entities since the previous build"
    )


def _site(state: _State) -> str:
    from clustergraph.render.site import write_site

    changes = _changes(state)
    state.site = write_site(_site_inputs(state), previous=state.earlier)
    return f"{state.site.pages} pages ({state.site.entities} entity pages); changes: {changes}"


STAGES: tuple[Stage, ...] = (
    Stage("load", _load),
    Stage("validate", _validate),
    Stage("derive", _derive),
    Stage("copy", _copy),
    Stage("check", _check),
    Stage("queries", _queries),
    Stage("analyse", _analyse),
    Stage("export", _export),
    Stage("views", _views),
    Stage("site", _site),
)
"""The stages of the build, in order."""


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------


def _shown(path: Path) -> str:
    """Return ``path`` relative to the working directory where it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)


REPORT_LINES = 50
"""How many result lines the build shows of a validation report (the totals come first);
``clustergraph validate --lines 0`` shows them all."""

BUILD_MARK = ".clustergraph-build"
"""The file that marks a directory as a build's, which the next build may replace whole."""


def _refuse_foreign(target: Path) -> None:
    """Refuse to replace a directory that holds files and is not a build's."""
    if not target.is_dir() or (target / BUILD_MARK).exists():
        return
    if (target / "site" / "index.html").exists() or not any(target.iterdir()):
        return  # empty, or a build from before the mark
    raise InputError(
        f"{target}: holds files that are not a build; a build replaces its directory whole: "
        "give a new or empty directory with --out"
    )


def build(
    project: Project,
    *,
    out: Path | None = None,
    quiet: bool = False,
    stream: TextIO | None = None,
    stages: Sequence[Stage] = STAGES,
    store: Store | str | None = None,
    memory_copy: bool = True,
    strict: bool = False,
    as_of: date | None = None,
    dated_only: bool = False,
    as_is: bool | None = None,
) -> BuildReport:
    """Build ``out`` (default ``<root>/build``) from ``project``: see the module docstring.

    Parameters
    ----------
    project
        The project to build.
    out
        The output directory; replaced as a whole when the build succeeds.
    store
        The store, or how to open it (``--store``: ``memory:``, ``oxigraph:PATH``, a
        SPARQL endpoint's URL); default the project's own, ``.clustergraph/store``.
    quiet
        Print nothing (errors are raised).
    stream
        Where progress lines and the summary go (default: standard output).
    stages
        The stages to run (default: all of :data:`STAGES`).
    memory_copy
        Let the ``copy`` stage read a store on disk of :data:`COPY_FLOOR` bytes or more
        into memory when the copy fits (:data:`MEMORY_SHARE` of :func:`_memory_limit`);
        ``False`` reads it on disk.
    as_of, dated_only
        Build the analysis, the views and the queries that take ``asOf`` as of that day
        (:mod:`clustergraph.network.timeline`); entity pages and exports hold every fact.
    strict
        Stop on probable duplicates too (:data:`REVIEWED_CHECKS`); by default they are
        reported, listed on the site's curation page, and the build goes on.
    as_is
        Read the store as it is: no load, no derivation, nothing written to it (a
        remote store holding a graph built elsewhere). Default: only for a store that
        cannot be written.

    Returns
    -------
    BuildReport
        What was built and how long each stage took.

    Raises
    ------
    DataError
        If the data does not conform to the shapes or a check returns rows.
    BuildError
        If a stage fails: on bad input (a malformed file or query, ...), the input error
        is its ``__cause__``; the message names the stage.
    """
    target = (out if out is not None else project.build_dir).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    write = stream if stream is not None else sys.stdout
    started = time.perf_counter()
    from clustergraph.store import open_store

    owned = store is None or isinstance(store, str)
    opened = (
        open_store(store, default=project.store_dir)
        if store is None or isinstance(store, str)
        else store
    )
    remote = not opened.writable if as_is is None else as_is
    if target.resolve() != project.build_dir.resolve():
        _refuse_foreign(target)  # the project's own build/ is always the build's
    from clustergraph.pipeline.diff import EXPORT_FILE
    from clustergraph.render.site import KEYS_FILE, SITE_DIR

    earlier = target / SITE_DIR  # the site the last build wrote: its unchanged files are kept
    times: list[StageTime] = []
    width = len(str(len(stages)))  # the stage lines stay in line past nine stages
    staging = staging_directory(target)  # also cleans up what killed builds left
    try:  # from here on, whatever stops the build (Ctrl-C too) removes the staging directory
        (staging / BUILD_MARK).write_text(
            "A clustergraph build: the next build replaces this directory whole.\n",
            encoding="utf-8",
        )
        state = _State(
            project=project,
            staging=staging,
            store=opened,
            remote=remote,
            earlier=earlier if (earlier / KEYS_FILE).is_file() else None,
            previous_build=target if (target / EXPORT_FILE).is_file() else None,
            memory_copy=memory_copy,
            strict=strict,
            as_of=as_of,
            dated_only=dated_only,
        )
        for number, stage in enumerate(stages, 1):
            begun = time.perf_counter()
            try:
                detail = stage.run(state)
            except DataError:
                raise
            except ClusterGraphError as exc:
                raise BuildError(f"stage {stage.name!r}: {exc}", stage.name) from exc
            except Exception as exc:
                raise BuildError(
                    f"stage {stage.name!r} failed: {type(exc).__name__}: {exc}", stage.name
                ) from exc
            seconds = time.perf_counter() - begun
            times.append(StageTime(stage.name, seconds, detail))
            if not quiet:
                print(
                    f"[{number:>{width}}/{len(stages)}] {stage.name:<8} {seconds:6.2f} s  {detail}",
                    file=write,
                    flush=True,
                )
                for note in state.notes:
                    print(note, file=write, flush=True)
            state.notes.clear()
        replace_directory(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if owned:
            opened.close()
    site = state.site
    report = BuildReport(
        out=target,
        seconds=time.perf_counter() - started,
        stages=tuple(times),
        pages=site.pages if site else 0,
        views=state.views,
        entities=site.entities if site else 0,
        queries=len(state.runs),
        exports=len(list((target / "exports").glob("*"))) if (target / "exports").is_dir() else 0,
    )
    if not quiet:
        print(report.summary(_shown(target)), file=write, flush=True)
    return report
