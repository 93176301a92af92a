"""The checks: queries of the library (``queries/checks/``) that must return no rows.

Each check is a SELECT query asking for what should not be there: an entity no source
types, a post without a holder, two preferred labels in one language, ... A check that
returns rows has failed; the rows are what to fix. Checks run on what every query sees:
the union of the store's named graphs, stated and derived facts together (``graphs=``
narrows it, for example to the stated graphs).

Examples
--------
>>> from pathlib import Path
>>> from clustergraph.queries.library import parse_query_file
>>> from clustergraph.store import open_store
>>> store = open_store("memory:")
>>> store.replace_graphs({"urn:g": b'<urn:a> <http://www.w3.org/2004/02/skos/core#prefLabel> "A".'})
>>> check = parse_query_file('''#+ summary: Labels without a language.
... #+ tags:
... #+   - check
... SELECT ?entity ?label WHERE {
...   ?entity <http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(LANG(?label) = "") }
... ''', name="checks/label-without-language", path=Path("queries/checks/x.rq"))
>>> report = run_checks(store, [check])
>>> print(report.format())
FAIL checks/label-without-language: Labels without a language. (1 row)
entity   label
-------  -----
<urn:a>  A
0 of 1 checks passed
>>> report.passed, len(report.failed)
(False, 1)
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from clustergraph.errors import QueryFileError
from clustergraph.project.prefixes import PREFIXES
from clustergraph.queries.library import Library, QueryFile
from clustergraph.queries.output import Format, write_result
from clustergraph.queries.run import run
from clustergraph.store.base import SelectResult, Store

__all__ = ["WARNING_TAG", "CheckReport", "CheckRun", "run_checks"]

WARNING_TAG = "warning"
"""The tag of a check whose rows are a warning, not a failure: a heuristic whose finds a
curator reviews (``check`` exits 0 and ``build`` goes on; both list the rows)."""


@dataclass(frozen=True)
class CheckRun:
    """One check, its result and how long it took (seconds)."""

    query: QueryFile
    result: SelectResult
    seconds: float
    notes: tuple[str, ...] = ()
    """A line per finding: where it is written and what was meant (``file:line: ...``)."""

    @property
    def advisory(self) -> bool:
        """Whether the check only warns (tagged ``warning``: a heuristic, such as names alike)."""
        return WARNING_TAG in self.query.tags

    @property
    def failed(self) -> bool:
        """Whether the check returned rows, and is not one that only warns."""
        return bool(self.result.rows) and not self.advisory

    @property
    def warned(self) -> bool:
        """Whether a check that only warns returned rows."""
        return bool(self.result.rows) and self.advisory

    def format(self, prefixes: Mapping[str, str] = PREFIXES) -> str:
        """Return ``ok   name``, or ``FAIL``/``WARN name: summary (n rows)`` and the rows."""
        if not self.result.rows:
            return f"ok   {self.query.name}"
        count = len(self.result.rows)
        rows = f"{count} row{'' if count == 1 else 's'}"
        word = "WARN" if self.advisory else "FAIL"
        head = f"{word} {self.query.name}: {self.query.summary} ({rows})"
        table = write_result(self.result, Format.TABLE, prefixes=prefixes).decode("utf-8")
        if not self.notes:
            return f"{head}\n{table}"
        notes = "".join(f"  {note}\n" for note in self.notes)
        return f"{head}\n{table}" + ("" if table.endswith("\n") else "\n") + notes


@dataclass(frozen=True, repr=False)
class CheckReport:
    """What :func:`run_checks` found."""

    runs: tuple[CheckRun, ...]

    def __repr__(self) -> str:
        """Say the summary and the checks that failed (``format()`` gives their rows)."""
        failed = ", ".join(r.query.name for r in self.failed)
        return f"<CheckReport: {self.summary()}{'; failed: ' + failed if failed else ''}>"

    @property
    def failed(self) -> tuple[CheckRun, ...]:
        """The checks that returned rows."""
        return tuple(r for r in self.runs if r.failed)

    @property
    def passed(self) -> bool:
        """Whether every check returned no rows."""
        return not self.failed

    @property
    def seconds(self) -> float:
        """Time spent running the checks."""
        return sum(r.seconds for r in self.runs)

    @property
    def warned(self) -> tuple[CheckRun, ...]:
        """The checks that only warn and returned rows."""
        return tuple(r for r in self.runs if r.warned)

    def summary(self) -> str:
        """Return ``N of M checks passed`` (and how many warned)."""
        passed = f"{len(self.runs) - len(self.failed)} of {len(self.runs)} checks passed"
        count = len(self.warned)
        return f"{passed}, {count} with a warning" if count else passed

    def format(self, *, failures_only: bool = False, prefixes: Mapping[str, str] = PREFIXES) -> str:
        """Return a line per check (a failed one with its rows as a table), then the summary.

        Parameters
        ----------
        failures_only
            Leave out the checks that passed and the summary (for an error report).
        prefixes
            Prefixes for the tables.
        """
        runs = self.failed if failures_only else self.runs
        lines = [r.format(prefixes) for r in runs]
        if not failures_only:
            lines.append(self.summary())
        return "\n".join(lines)


def run_checks(
    store: Store, library: Iterable[QueryFile], *, graphs: Sequence[str] | None = None
) -> CheckReport:
    """Run every check of ``library`` (the queries named ``checks/...``) on ``store``.

    Parameters
    ----------
    store
        The store (embedded or remote; only read).
    library
        The query library (:class:`clustergraph.queries.library.Library`), or queries;
        only the checks are run (and, of a library, read).
    graphs
        The graphs whose union the checks see (default: every named graph, stated and
        derived facts together).

    Returns
    -------
    CheckReport
        Each check with its result and time, in the library's order.

    Raises
    ------
    QueryFileError
        If a check is not a SELECT query.
    QueryError, StoreError
        If the store fails.
    """
    if isinstance(library, Library):
        queries = [library.get(n) for n in library.names if n.startswith("checks/")]
    else:
        queries = [q for q in library if q.is_check]
    runs = []
    for query in queries:
        started = time.perf_counter()
        result = run(store, query, graphs=graphs)
        seconds = time.perf_counter() - started
        if not isinstance(result, SelectResult):
            raise QueryFileError(f"{query.name}: a check must be a SELECT query")
        runs.append(CheckRun(query, result, seconds))
    if isinstance(library, Library):  # the checks SPARQL cannot do: curation_checks
        from clustergraph.pipeline.curation_checks import curation_checks
        from clustergraph.pipeline.findings import Explainer, unexpected_run

        runs.extend(CheckRun(*found) for found in curation_checks(store, graphs=graphs))
        from clustergraph.pipeline.name_checks import name_checks

        found = name_checks(store, graphs=graphs, project=library.project)
        runs.extend(CheckRun(*run) for run in found)
        runs.append(CheckRun(*unexpected_run(library.project, store)))
        if any(run.result.rows for run in runs):  # where each finding is, what was meant
            explainer = Explainer(library.project, store)
            runs = [explainer.check(run) for run in runs]
    return CheckReport(tuple(runs))
