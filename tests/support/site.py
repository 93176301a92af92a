"""The explorer written from a store, stage by stage, without ``clustergraph build``.

:func:`site_inputs` does what the build does before its ``views`` and ``site`` stages
(run the library's queries, analyse the actors, export the graph) and returns the
:class:`~clustergraph.render.site.SiteInputs`; :func:`write_whole_site` then writes the
views and the pages. This is the unit-level test of the site: it needs a store and a
directory, nothing else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from clustergraph.network.index import GraphIndex
from clustergraph.network.measures import analyze
from clustergraph.network.projections import DESCRIPTIONS, project
from clustergraph.network.report import write_report
from clustergraph.pipeline.stats import stats
from clustergraph.project.layout import MANIFEST_GRAPH, Project
from clustergraph.project.prefixes import PREFIXES
from clustergraph.queries.library import Library
from clustergraph.queries.output import Format, write_result
from clustergraph.queries.run import run
from clustergraph.rdf.formats import RdfFormat
from clustergraph.render.site import QueryRun, SiteInputs, SiteSummary, write_site, write_views
from clustergraph.store import AskResult, GraphResult, Store

ANALYSED = "actors"


def _query_runs(project: Project, store: Store, build: Path) -> list[QueryRun]:
    """Run every query of the library with its defaults; write each result as the build does."""
    runs = []
    for query in Library.of(project):
        started = time.perf_counter()
        result = run(store, query)
        seconds = time.perf_counter() - started
        if isinstance(result, GraphResult):
            formats = {"ttl": Format.TTL}
        elif isinstance(result, AskResult):
            formats = {"json": Format.JSON}
        else:
            formats = {"csv": Format.CSV, "json": Format.JSON}
        files = {}
        prefixes = {**PREFIXES, **dict(query.prefixes)}
        for ext, fmt in formats.items():
            rel = f"queries/{query.name}.{ext}"
            target = build / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(write_result(result, fmt, prefixes=prefixes))
            files[ext] = rel
        runs.append(replace(QueryRun(query, result, seconds), files=files))
    return runs


def _exports(store: Store, build: Path) -> dict[RdfFormat, Path]:
    """Dump the data graphs (not the manifest) in every format, as the export stage does."""
    graphs = [g for g in store.graphs() if g != MANIFEST_GRAPH]
    directory = build / "exports"
    directory.mkdir(parents=True, exist_ok=True)
    files = {}
    for fmt in RdfFormat:
        path = directory / f"clustergraph.{fmt.file_extension}"
        with path.open("wb") as output:
            store.dump(output, fmt, graphs=graphs, prefixes=PREFIXES)
        files[fmt] = path
    return files


def site_inputs(project: Project, store: Store, build: Path) -> SiteInputs:
    """Return what the site is made of, the query results, analysis and exports written."""
    index = GraphIndex.from_store(store)
    analysis = analyze(project_network(index))
    write_report(analysis, build / "analysis", description=DESCRIPTIONS[ANALYSED])
    return SiteInputs(
        project=project,
        store=store,
        index=index,
        analysis=analysis,
        stats=stats(store),
        runs=_query_runs(project, store, build),
        exports=_exports(store, build),
        build=build,
    )


def project_network(index: GraphIndex):
    """Return the analysed network (the actors)."""
    return project(index, ANALYSED)


@dataclass(frozen=True)
class WrittenSite:
    """A site written by :func:`write_whole_site`: its inputs, and what was written."""

    inputs: SiteInputs
    views: int
    summary: SiteSummary
    seconds_views: float

    @property
    def build(self) -> Path:
        return self.inputs.build

    @property
    def site(self) -> Path:
        return self.inputs.build / "site"


_WRITTEN: dict[int, WrittenSite] = {}


def write_whole_site(project: Project, store: Store, build: Path) -> WrittenSite:
    """Write the views and the pages of ``store`` into ``build/site`` (once per store)."""
    done = _WRITTEN.get(id(store))
    if done is not None:
        return done
    inputs = site_inputs(project, store, build)
    started = time.perf_counter()
    views = write_views(inputs)
    seconds = time.perf_counter() - started
    summary = write_site(inputs)
    done = _WRITTEN[id(store)] = WrittenSite(inputs, views, summary, seconds)
    return done
