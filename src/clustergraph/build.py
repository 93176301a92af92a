"""The main job, ``clustergraph build``: from the Turtle files to ``build/`` and its site.

The build is a list of named stages (:data:`STAGES`), run in order:

==========  ===========================================================================
stage       what it does
==========  ===========================================================================
load        parse the ontology and the data, one named graph per file
validate    check the data against the SHACL shapes; stop if it does not conform
derive      OWL 2 RL: add the shortcut triples users query, in ``graph:inferred``
check       run the checks of ``queries/checks/``; stop if one returns rows
queries     run every query of the library with its defaults (Oxigraph), over the
            stated and derived facts; write each result to ``queries/``
analyse     measure the actor network; write ``analysis/``
export      write the dataset in six RDF formats with its VoID/DCAT description to
            ``exports/``
views       write the interactive views to ``site/views/``
site        write the explorer's pages to ``site/``
==========  ===========================================================================

Everything is written into a temporary directory beside the output directory
(``.build-XXXX.tmp``), which replaces the output directory only once every stage has
succeeded: a build that fails midway leaves the previous ``build/`` as it was, and
removes its temporary directory. Each stage prints a progress line with its duration,
and the build a summary at the end (``quiet=True`` prints nothing but errors).

Exit codes of the command: 0 built; 1 the data does not conform to the shapes, or a
check returned rows (the report is printed); 2 any other error (a malformed file or
query, a stage that failed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from clustergraph.errors import ClusterGraphError
from clustergraph.project.layout import GRAPH_NS, Project

if TYPE_CHECKING:
    from rdflib import Dataset

    from clustergraph.network.measures import Analysis
    from clustergraph.network.projections import GraphIndex
    from clustergraph.pipeline.derive import Derivation
    from clustergraph.pipeline.export import RdfFormat
    from clustergraph.pipeline.stats import Stats
    from clustergraph.render.site import QueryRun, SiteInputs, SiteSummary

__all__ = [
    "STAGES",
    "BuildError",
    "BuildReport",
    "DataError",
    "Stage",
    "build",
    "register",
    "run",
]

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_ERROR = 2

ANALYSED_NETWORK = "actors"
"""The network the analysis stage measures."""


class DataError(ClusterGraphError):
    """The data does not conform to the shapes, or a check returned rows.

    ``report`` holds the validation report or the failing checks, one result a line.
    """

    def __init__(self, message: str, report: str) -> None:
        super().__init__(message)
        self.report = report


class BuildError(ClusterGraphError):
    """A stage of the build failed (the previous output was left as it was).

    ``stage`` names the stage; the original error is the exception's ``__cause__``.
    """

    def __init__(self, message: str, stage: str = "") -> None:
        super().__init__(message)
        self.stage = stage


@dataclass
class _State:
    """What the stages hand on to each other."""

    project: Project
    staging: Path
    dataset: Dataset | None = None
    full: Dataset | None = None
    derivation: Derivation | None = None
    stats: Stats | None = None
    index: GraphIndex | None = None
    analysis: Analysis | None = None
    runs: list[QueryRun] = field(default_factory=list)
    exports: dict[RdfFormat, Path] = field(default_factory=dict)
    inputs: SiteInputs | None = None
    site: SiteSummary | None = None
    views: int = 0

    def need(self, value: object, what: str) -> None:
        if value is None:  # pragma: no cover - the stages run in order
            raise BuildError(f"{what} is missing: the stages ran out of order")


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
            f"built {shown} in {self.seconds:.1f} s: {self.pages} pages "
            f"({self.entities} entities, {self.queries} queries) and {self.views} views "
            f"in {shown}/site, {self.exports} export files in {shown}/exports\n"
            f"open {shown}/site/index.html"
        )


# ---------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------


def _load(state: _State) -> str:
    from clustergraph.pipeline.load import load, named_graphs
    from clustergraph.pipeline.stats import stats

    state.dataset = load(state.project)
    state.stats = stats(state.dataset)
    graphs = list(named_graphs(state.dataset))
    return f"{state.stats.total_triples:,} triples in {len(graphs)} named graphs"


def _validate(state: _State) -> str:
    from clustergraph.pipeline.load import load_file
    from clustergraph.pipeline.validate import validate

    assert state.dataset is not None
    project = state.project
    shapes = load_file(
        project.shapes_file, graph=GRAPH_NS + "shapes", shown=project.relpath(project.shapes_file)
    )
    report = validate(state.dataset, shapes=shapes)
    if not report.conforms:
        violations = sum(1 for v in report.results if str(v.severity).endswith("Violation"))
        raise DataError(
            f"the data does not conform to the shapes ({violations} violations)", report.format()
        )
    others = len(report.results)
    return "conforms" + (f" ({others} warnings)" if others else "")


def _derive(state: _State) -> str:
    from clustergraph.pipeline.derive import derive, with_inferred

    assert state.dataset is not None
    state.derivation = derive(state.dataset)
    state.full = with_inferred(state.dataset, state.derivation)
    top = ", ".join(f"{name} {n}" for name, n in state.derivation.by_predicate[:4])
    return f"{state.derivation.facts:,} triples in graph:inferred ({top}, ...)"


def _run_queries(state: _State, *, checks: bool) -> list[QueryRun]:
    from clustergraph.queries.library import Library
    from clustergraph.render.site import QueryRun
    from clustergraph.store.engines import OxigraphEngine, run

    dataset = state.dataset if checks else state.full
    assert dataset is not None
    library = Library.of(state.project)
    engine = OxigraphEngine.from_dataset(dataset)
    runs = []
    for name in library.names:
        if name.startswith("checks/") != checks:
            continue
        query = library.get(name)
        started = time.perf_counter()
        result = run(engine, query)
        runs.append(QueryRun(query, result, time.perf_counter() - started))
    return runs


def _check(state: _State) -> str:
    from clustergraph.project.prefixes import DEFAULT_PREFIXES, ENTITY_PREFIXES
    from clustergraph.queries.output import Format, write_result
    from clustergraph.store.engines import SelectResult

    runs = _run_queries(state, checks=True)
    failed = [r for r in runs if isinstance(r.result, SelectResult) and r.result.rows]
    if failed:
        prefixes = {**DEFAULT_PREFIXES, **ENTITY_PREFIXES}
        lines = []
        for r in failed:
            assert isinstance(r.result, SelectResult)
            lines.append(f"FAIL {r.query.name}: {r.query.summary} ({len(r.result.rows)} rows)")
            lines.append(write_result(r.result, Format.TABLE, prefixes=prefixes))
        raise DataError(f"{len(failed)} of {len(runs)} checks returned rows", "\n".join(lines))
    state.runs.extend(_write_results(state, runs))
    return f"{len(runs)} of {len(runs)} checks return no rows"


def _queries(state: _State) -> str:
    from clustergraph.store.engines import AskResult, GraphResult

    runs = _write_results(state, _run_queries(state, checks=False))
    state.runs.extend(runs)
    rows = sum(len(r.result.rows) for r in runs if hasattr(r.result, "rows"))
    graphs = sum(1 for r in runs if isinstance(r.result, GraphResult))
    asks = sum(1 for r in runs if isinstance(r.result, AskResult))
    seconds = sum(r.seconds for r in runs)
    return (
        f"{len(runs)} queries on Oxigraph in {seconds:.2f} s: {rows:,} rows, "
        f"{graphs} graphs, {asks} yes-or-no answers; results in queries/"
    )


def _write_results(state: _State, runs: Sequence[QueryRun]) -> list[QueryRun]:
    """Write each result under ``queries/`` and return the runs with their files."""
    from dataclasses import replace

    from clustergraph.project.prefixes import DEFAULT_PREFIXES, ENTITY_PREFIXES
    from clustergraph.queries.output import Format, write_result
    from clustergraph.store.engines import AskResult, GraphResult

    written = []
    for r in runs:
        prefixes = {**DEFAULT_PREFIXES, **ENTITY_PREFIXES, **dict(r.query.prefixes)}
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
            target.write_text(write_result(r.result, fmt, prefixes=prefixes), encoding="utf-8")
            files[ext] = rel
        written.append(replace(r, files=files))
    return written


def _analyse(state: _State) -> str:
    from clustergraph.network.measures import analyze
    from clustergraph.network.projections import DESCRIPTIONS, GraphIndex
    from clustergraph.network.projections import project as projection
    from clustergraph.network.report import write_report

    assert state.dataset is not None
    state.index = GraphIndex(state.dataset)
    graph = projection(state.index, ANALYSED_NETWORK)
    analysis = state.analysis = analyze(graph)
    write_report(analysis, state.staging / "analysis", description=DESCRIPTIONS[ANALYSED_NETWORK])
    top = analysis.ranked[0].label if analysis.ranked else "-"
    return (
        f"{ANALYSED_NETWORK} network: {analysis.nodes} nodes, {analysis.edges} edges, "
        f"{len(analysis.communities)} communities; most central: {top}"
    )


def _export(state: _State) -> str:
    from clustergraph.pipeline.export import export_all

    assert state.full is not None
    state.exports = export_all(state.full, state.staging / "exports")
    size = sum(p.stat().st_size for p in (state.staging / "exports").iterdir())
    return f"{len(state.exports)} RDF formats, void.ttl and context.jsonld ({size / 1e6:.1f} MB)"


def _site_inputs(state: _State) -> SiteInputs:
    from clustergraph.render.site import SiteInputs

    if state.inputs is None:
        for value, what in (
            (state.dataset, "the dataset"),
            (state.full, "the derived dataset"),
            (state.derivation, "the derivation"),
            (state.stats, "the statistics"),
            (state.index, "the network index"),
            (state.analysis, "the analysis"),
        ):
            state.need(value, what)
        assert state.dataset is not None and state.full is not None
        assert state.derivation is not None and state.stats is not None
        assert state.index is not None and state.analysis is not None
        state.inputs = SiteInputs(
            project=state.project,
            dataset=state.dataset,
            full=state.full,
            derivation=state.derivation,
            stats=state.stats,
            index=state.index,
            analysis=state.analysis,
            runs=state.runs,
            exports=state.exports,
            build=state.staging,
        )
    return state.inputs


def _views(state: _State) -> str:
    from clustergraph.render.site import write_views

    state.views = write_views(_site_inputs(state))
    return f"{state.views} views sharing one copy of vis-network"


def _site(state: _State) -> str:
    from clustergraph.render.site import write_site

    state.site = write_site(_site_inputs(state))
    return f"{state.site.pages} pages ({state.site.entities} entity pages)"


STAGES: tuple[Stage, ...] = (
    Stage("load", _load),
    Stage("validate", _validate),
    Stage("derive", _derive),
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


def _swap(staging: Path, out: Path) -> None:
    """Put ``staging`` in the place of ``out``; the old ``out`` is removed afterwards."""
    old: Path | None = None
    if out.exists() or out.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-", suffix=".old", dir=out.parent))
        old.rmdir()  # only its unique name is wanted
        os.replace(out, old)
    try:
        os.replace(staging, out)
    except OSError:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build(
    project: Project,
    *,
    out: Path | None = None,
    quiet: bool = False,
    stream: TextIO | None = None,
    stages: Sequence[Stage] = STAGES,
) -> BuildReport:
    """Build ``out`` (default ``<root>/build``) from ``project``: see the module docstring.

    Parameters
    ----------
    project
        The project to build.
    out
        The output directory; replaced as a whole when the build succeeds.
    quiet
        Print nothing (errors are raised).
    stream
        Where progress lines and the summary go (default: standard output).
    stages
        The stages to run (default: all of :data:`STAGES`).

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
    target = (out if out is not None else project.root / "build").absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    write = stream if stream is not None else sys.stdout
    started = time.perf_counter()
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", suffix=".tmp", dir=target.parent))
    state = _State(project=project, staging=staging)
    times: list[StageTime] = []
    try:
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
                    f"[{number}/{len(stages)}] {stage.name:<8} {seconds:6.2f} s  {detail}",
                    file=write,
                    flush=True,
                )
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
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


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

_EPILOG = """\
exit codes:
  0  built: the output directory holds the new build
  1  the data does not conform to the shapes, or a check returned rows (report printed)
  2  any other error (malformed file or query, a stage failed); the previous output
     directory is left as it was
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``build`` subcommand to ``commands``."""
    parser = commands.add_parser(
        "build",
        help="the main job: validate, derive, query, analyse, export, write the site",
        description="Load and validate the data, derive the shortcut triples, run every "
        "query, analyse the network, export the dataset, and write the explorer site, "
        "all into a temporary directory that replaces the output directory at the end.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="output directory (default: build/ in the root)"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="print nothing but errors and the data's report"
    )


def run(project: Project, args: argparse.Namespace) -> int:
    """Run ``clustergraph build`` and return its exit code.

    Raises
    ------
    ClusterGraphError
        For input errors and failed stages; the command line prints them and exits 2.
    """
    try:
        build(project, out=args.out, quiet=args.quiet)
    except DataError as exc:
        print(exc.report)
        print(
            f"clustergraph: build stopped: {exc}; the previous build was left as it was",
            file=sys.stderr,
        )
        return EXIT_NONCONFORMING
    except BuildError as exc:
        cause = exc.__cause__
        if cause is not None and not isinstance(cause, ClusterGraphError):
            traceback.print_exception(cause, file=sys.stderr)  # a bug: show where
        raise BuildError(f"{exc}; the previous build was left as it was", exc.stage) from cause
    return EXIT_OK
