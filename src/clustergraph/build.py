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

Each stage after ``derive`` records what it was built from and the files it wrote, in
the build's record (:mod:`clustergraph.pipeline.record`); the next build skips a stage
when nothing it reads changed and its files are intact (its line says ``unchanged since
the last build``), taking its files from the previous build, and runs the stages whose
results a running stage takes. When no stage is left to write anything (nothing changed),
the previous build stays as it is: not one file is written.

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
from typing import TYPE_CHECKING, Any, TextIO

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
    """A named step of the build: ``run`` does the work and returns a one-line account.

    Attributes
    ----------
    name, run
        The stage's name and what it does.
    reads
        What the stage is built from besides the code: ``"data"`` (the store's graphs),
        ``"queries"`` (the project's query files), ``"shapes"``, ``"strict"`` (the
        option). A stage that says is recorded (:mod:`clustergraph.pipeline.record`)
        and skipped when none of it changed and its files are intact; ``None``: it runs
        every time (its own step decides what to redo).
    needs
        The recorded stages whose results it takes: they run when it runs, unless
        their results are kept in the record (``restore``).
    writes
        Whether it writes into the build directory.
    when_needed
        Run it only when a later stage runs (the copy of the store into memory).
    keep, restore
        What later stages take from it, as JSON for the record, and how to take it
        back from there when the stage is skipped.
    """

    name: str
    run: Callable[[_State], str]
    reads: tuple[str, ...] | None = None
    needs: tuple[str, ...] = ()
    writes: bool = True
    when_needed: bool = False
    keep: Callable[[_State], dict[str, Any]] | None = None
    restore: Callable[[_State, dict[str, Any]], None] | None = None


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
        compare_builds,
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
    previous = Version("previous", "build", "previous", shown="the previous build")
    this = Version("this", "build", "this", shown="this build")
    exported = state.exports.get(RdfFormat.NQUADS)
    try:
        if exported is not None and exported == state.staging / EXPORT_FILE:
            found = compare_builds(state.previous_build, state.staging, previous, this)
        else:
            before = snapshot_of_build(state.previous_build)
            found = compare(previous, before, this, snapshot_of_store(state.store))
    except InputError as exc:
        inputs.changes_note = (
            f"The previous build could not be read ({exc}): nothing to compare with."
        )
        return "the previous build could not be read"
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


def _keep_exports(state: _State) -> dict[str, Any]:
    return {"exports": {fmt.value: path.name for fmt, path in state.exports.items()}}


def _restore_exports(state: _State, kept: dict[str, Any]) -> None:
    from clustergraph.rdf.formats import RdfFormat

    folder = state.staging / "exports"
    state.exports = {RdfFormat(fmt): folder / name for fmt, name in kept["exports"].items()}


STAGES: tuple[Stage, ...] = (
    Stage("load", _load, writes=False),
    Stage("validate", _validate, writes=False),
    Stage("derive", _derive, writes=False),
    Stage("copy", _copy, writes=False, when_needed=True),
    Stage("check", _check, reads=("data", "queries", "shapes", "strict")),
    Stage("queries", _queries, reads=("data", "queries")),
    Stage("analyse", _analyse, reads=("data",)),
    Stage("export", _export, reads=("data",), keep=_keep_exports, restore=_restore_exports),
    Stage("views", _views, reads=("data", "queries"), needs=("queries", "analyse")),
    Stage(
        "site",
        _site,
        reads=("data", "queries"),
        needs=("check", "queries", "analyse", "export", "views"),
    ),
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


class _Recorder:
    """Decides which stages run, keeps the files of those that do not, and writes the record.

    See :mod:`clustergraph.pipeline.record`. The plan is made when the first stage that
    is recorded (or runs only when needed) comes, after the load and the derivation: it
    compares what each recorded stage would be built from with the previous build's
    record (in ``target``), checks that stage's files there are intact, and adds the
    stages whose results a running stage takes. A skipped stage's files are hard-linked
    from the previous build into the staging directory, unless no stage writes anything,
    in which case the previous build stays as it is.
    """

    def __init__(self, state: _State, stages: Sequence[Stage], target: Path) -> None:
        from clustergraph.pipeline.record import read_record

        self.state = state
        self.stages = list(stages)
        self.target = target
        from clustergraph.store import is_local

        # Only an embedded store is known to change through its files alone.
        self.local = not state.remote and is_local(state.store.location)
        self.old = read_record(target) if self.local else None
        self.reasons: dict[str, str | None] | None = None  # recorded stage: why it runs
        self.inputs: dict[str, dict[str, str]] = {}  # stage: what it is built from
        self.files: dict[str, set[str]] = {}  # recorded stage: its files (relative)
        self.known: set[str] = {BUILD_MARK}  # the files in the staging directory
        self.details: dict[str, tuple[str, list[str]]] = {}
        self.wrote = False  # whether a stage wrote into the staging directory
        self.fast = False  # whether no stage left writes: the previous build stays
        self.index = 0
        self._cache: dict[str, str] = {}

    def _parts(self, stage: Stage) -> dict[str, str]:
        from clustergraph.pipeline.record import code_digest, data_digest, project_digest

        parts = {"code": code_digest()}
        for what in stage.reads or ():
            if what == "data":
                if "data" not in self._cache:
                    self._cache["data"] = data_digest(self.state.store)
                parts[what] = self._cache["data"]
            elif what == "strict":
                parts[what] = str(self.state.strict)
            else:
                if what not in self._cache:
                    self._cache[what] = project_digest(self.state.project, what)
                parts[what] = self._cache[what]
        return parts

    def _plan(self) -> dict[str, str | None]:
        from clustergraph.pipeline.record import digest, intact

        reasons: dict[str, str | None] = {}
        recorded = [s for s in self.stages if s.reads is not None]
        records = self.old.stages if self.old is not None else {}
        for stage in recorded:
            if not self.local:  # another client may change it: what it holds is not known
                reasons[stage.name] = "a remote store"
                continue
            self.inputs[stage.name] = self._parts(stage)
            old = records.get(stage.name)
            if old is None:
                reasons[stage.name] = "no record of an earlier build"
                continue
            upstream = [n for n in stage.needs if reasons.get(n)]
            before = {n: r.outputs for n, r in records.items() if n in stage.needs}
            if upstream:
                reasons[stage.name] = f"{upstream[0]} ran again"
            elif old.inputs != digest(self.inputs[stage.name], before):
                reasons[stage.name] = "what it reads changed"
            elif (bad := intact(self.target, old.files)) is not None:
                reasons[stage.name] = f"{bad} is not as built"
            else:
                reasons[stage.name] = None
        by_name = {s.name: s for s in recorded}
        pending = [n for n, why in reasons.items() if why]
        while pending:  # a stage that runs takes results its sources must give again
            name = pending.pop()
            for need in by_name[name].needs:
                if need in reasons and not reasons[need] and by_name[need].restore is None:
                    reasons[need] = f"{name} takes its results"
                    pending.append(need)
        return reasons

    def why(self, stage: Stage) -> str | None:
        """Return why ``stage`` is skipped (``None``: it runs)."""
        position = self.index
        self.index += 1
        if stage.reads is None and not stage.when_needed:
            return None
        if self.reasons is None:
            self.reasons = self._plan()
        later = self.stages[position + 1 :]
        self.fast = not self.wrote and not any(
            s.writes and (s.reads is None or self.reasons.get(s.name)) for s in later
        )
        if stage.when_needed:
            runs = not later or any(s.reads is None or self.reasons.get(s.name) for s in later)
            return None if runs else "no later stage runs"
        return None if self.reasons.get(stage.name) else "unchanged"

    def skip(self, stage: Stage, why: str) -> str:
        """Keep a stage's files and results from the previous build; return its line."""
        if stage.when_needed:
            return f"not needed: {why}"
        assert self.old is not None
        old = self.old.stages[stage.name]
        if not self.fast:  # the staging directory replaces the build: it takes the files
            from clustergraph.project.files import link_file as link

            for rel in old.files:
                link(self.target / rel, self.state.staging / rel)
        if stage.restore is not None:
            stage.restore(self.state, old.state)
        self.state.notes.extend(old.notes)
        return f"unchanged since the last build: {old.detail}"

    def done(self, stage: Stage, detail: str, *, ran: bool) -> None:
        """Note what ``stage`` wrote (its new files in the staging directory)."""
        from clustergraph.pipeline.record import walk

        if stage.reads is None:
            if stage.writes and ran:
                self.wrote = True
                self.known = walk(self.state.staging)
            return
        if ran:
            self.wrote = True
            now = walk(self.state.staging)
            self.files[stage.name] = now - self.known
            self.known = now
            self.details[stage.name] = (detail, list(self.state.notes))
        elif self.old is not None:
            old = self.old.stages[stage.name]
            self.files[stage.name] = set(old.files)
            self.known |= set(old.files)
            self.details[stage.name] = (old.detail, list(old.notes))

    def totals(self) -> dict[str, int]:
        """Return the build's totals: pages, views, entities and query results."""
        state = self.state
        if state.site is None and self.old is not None and not self.wrote:
            return {k: self.old.totals.get(k, 0) for k in ("pages", "views", "entities", "queries")}
        site = state.site
        return {
            "pages": site.pages if site else 0,
            "views": state.views,
            "entities": site.entities if site else 0,
            "queries": len(state.runs),
        }

    def finish(self) -> None:
        """Write the record of what was built into the staging directory."""
        from clustergraph.pipeline.record import Record, StageRecord, digest, file_entries

        if not self.local:
            return
        record = Record(totals=self.totals())
        for stage in self.stages:
            if stage.name not in self.files:
                continue
            old = self.old.stages.get(stage.name) if self.old is not None else None
            files = file_entries(
                self.state.staging, self.files[stage.name], old.files if old else {}
            )
            kept = stage.keep(self.state) if stage.keep is not None else {}
            before = {n: record.stages[n].outputs for n in stage.needs if n in record.stages}
            detail, notes = self.details[stage.name]
            record.stages[stage.name] = StageRecord(
                inputs=digest(self.inputs[stage.name], before),
                outputs=digest(sorted((rel, e[3]) for rel, e in files.items()), kept),
                files=files,
                detail=detail,
                notes=notes,
                state=kept,
            )
        from clustergraph.pipeline.record import write_record

        write_record(self.state.staging, record)


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
    from clustergraph.render import KEYS_FILE, SITE_DIR

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
        recorder = _Recorder(state, stages, target)
        for number, stage in enumerate(stages, 1):
            begun = time.perf_counter()
            why = recorder.why(stage)
            try:
                detail = stage.run(state) if why is None else recorder.skip(stage, why)
            except DataError:
                raise
            except ClusterGraphError as exc:
                raise BuildError(f"stage {stage.name!r}: {exc}", stage.name) from exc
            except Exception as exc:
                raise BuildError(
                    f"stage {stage.name!r} failed: {type(exc).__name__}: {exc}", stage.name
                ) from exc
            recorder.done(stage, detail, ran=why is None)
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
        if recorder.wrote:
            recorder.finish()
            replace_directory(staging, target)
        else:  # nothing written: the build there is this build, as it was
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if owned:
            opened.close()
    totals = recorder.totals()
    report = BuildReport(
        out=target,
        seconds=time.perf_counter() - started,
        stages=tuple(times),
        pages=totals["pages"],
        views=totals["views"],
        entities=totals["entities"],
        queries=totals["queries"],
        exports=len(list((target / "exports").glob("*"))) if (target / "exports").is_dir() else 0,
    )
    if not quiet:
        print(report.summary(_shown(target)), file=write, flush=True)
    return report
