"""As of a date: the library's queries, the commands and the rule, on a made-up source.

The source (``tests/fixtures/time/made-up-periods.ttl``) gives memberships, posts and
labels that begin and end on known days, months and years, and facts with no period;
``as-of-cases.toml`` lists what each query answers on and around each boundary.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from clustergraph.errors import InputError, ParamError
from clustergraph.pipeline.sync import sync
from clustergraph.project.layout import Project
from clustergraph.queries.library import Library
from clustergraph.queries.run import run
from clustergraph.rdf.periods import Holds, Period, parse_day, sparql_status, steps
from clustergraph.store import Store, open_store
from clustergraph.store.base import SelectResult

REPO = Path(__file__).resolve().parents[1]
TIME = Path(__file__).resolve().parent / "fixtures" / "time"
CASES = tomllib.loads((TIME / "as-of-cases.toml").read_text(encoding="utf-8"))["case"]


def time_project_at(root: Path) -> Project:
    """Return a project of the made-up source alone, with the repository's ontology and queries."""
    for name in ("ontology", "data/vocab", "queries"):
        shutil.copytree(REPO / name, root / name)
    (root / "data" / "sources").mkdir(parents=True)
    shutil.copyfile(TIME / "made-up-periods.ttl", root / "data" / "sources" / "made-up-periods.ttl")
    return Project(root)


@pytest.fixture(scope="module")
def time_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return time_project_at(tmp_path_factory.mktemp("time"))


@pytest.fixture(scope="module")
def time_store(time_project: Project) -> Iterator[Store]:
    with open_store("memory:") as store:
        sync(time_project, store)
        yield store


def _rows(store: Store, library: Library, case: dict, day: str | None, **extra: str) -> list[str]:
    query = library.get(case["query"])
    params = {k: (v if ":" in v else f"o:{v}") for k, v in case["params"].items()}
    if day is not None:
        params["asOf"] = day
    params.update(extra)
    result = run(store, query, params=params)
    assert isinstance(result, SelectResult)
    at = result.variables.index(case["name"])
    status = result.variables.index("asOfPeriod")
    return sorted(
        f"{row[at].value} = {row[status].value if row[status] is not None else '-'}"
        for row in result.rows
    )


@pytest.mark.parametrize(
    ("case", "day"),
    [(c, d) for c in CASES for d in c["days"]],
    ids=[f"{c['query']}@{d['day']}" for c in CASES for d in c["days"]],
)
def test_as_of_boundaries(time_store: Store, time_project: Project, case: dict, day: dict) -> None:
    library = Library.of(time_project)
    assert _rows(time_store, library, case, day["day"]) == sorted(day["rows"])


@pytest.mark.parametrize(
    ("case", "day"),
    [(c, d) for c in CASES for d in c["days"]],
    ids=[f"{c['query']}@{d['day']}" for c in CASES for d in c["days"]],
)
def test_dated_only_leaves_out_what_has_no_period(
    time_store: Store, time_project: Project, case: dict, day: dict
) -> None:
    library = Library.of(time_project)
    expected = sorted(r for r in day["rows"] if r.endswith("= holds"))
    assert _rows(time_store, library, case, day["day"], datedOnly="true") == expected


@pytest.mark.parametrize("case", CASES, ids=[c["query"] for c in CASES])
def test_without_a_date_every_fact_is_answered(
    time_store: Store, time_project: Project, case: dict
) -> None:
    """No asOf: every fact of every time, none marked (the column stays unbound)."""
    library = Library.of(time_project)
    rows = _rows(time_store, library, case, None)
    every = {r.split(" = ")[0] for d in case["days"] for r in d["rows"]}
    assert every <= {r.split(" = ")[0] for r in rows}
    assert all(r.endswith("= -") for r in rows)


def test_queries_hold_the_rule_as_written() -> None:
    """Each query that takes asOf applies the rule of clustergraph.rdf.periods, verbatim."""
    library = Library.of(Project(REPO))
    taking = [q for q in library if any(p.name == "asOf" for p in q.params)]
    assert {q.name for q in taking} >= {c["query"] for c in CASES}
    for q in taking:
        assert any(
            sparql_status("?asOf", b, e, "?heldOn") in q.text
            for b, e in (("?since", "?until"), ("?validFrom", "?validUntil"))
        ), q.name
        assert next(p for p in q.params if p.name == "asOf").optional


@pytest.mark.parametrize(
    ("period", "day", "holds"),
    [
        (Period(begin="2017", end="2018"), "2016-12-31", Holds.NO),
        (Period(begin="2017", end="2018"), "2017-01-01", Holds.YES),
        (Period(begin="2017", end="2018"), "2018-12-31", Holds.YES),
        (Period(begin="2017", end="2018"), "2019-01-01", Holds.NO),
        (Period(begin="2019-02"), "2019-01-31", Holds.NO),
        (Period(begin="2019-02"), "2019-02-01", Holds.YES),
        (Period(end="2019-02"), "2019-02-28", Holds.YES),
        (Period(end="2019-02"), "2019-03-01", Holds.NO),
        (Period(end="2020-02"), "2020-02-29", Holds.YES),
        (Period(inside=("2018-05-05",)), "2018-05-05", Holds.YES),
        (Period(inside=("2018-05-05",)), "2018-05-04", Holds.NOT_STATED),
        (Period(inside=("2018",)), "2018-05-04", Holds.NOT_STATED),
        (Period(), "2018-05-04", Holds.NOT_STATED),
        (Period(begin="--06-06"), "2018-05-04", Holds.NOT_STATED),
    ],
)
def test_the_rule(period: Period, day: str, holds: Holds) -> None:
    assert period.on(date.fromisoformat(day)) is holds


def test_days_and_steps_are_checked() -> None:
    assert parse_day("2020-02-29") == date(2020, 2, 29)
    for bad in ("2019", "2019-13-01", "2019-02-30", "31.12.2019", ""):
        with pytest.raises(InputError, match="YYYY-MM-DD"):
            parse_day(bad)
    assert [d.isoformat() for d in steps("2015..2017")] == [
        "2015-12-31",
        "2016-12-31",
        "2017-12-31",
    ]
    with pytest.raises(InputError, match="backwards"):
        steps("2020..2019")


def test_python_front_door_as_of(time_project: Project) -> None:
    import clustergraph

    kg = clustergraph.open(time_project.root, store="memory:")
    try:
        rows = kg.query("members-of-organisation", org="tidewater-network", as_of="2017-01-01")
        assert isinstance(rows, SelectResult)
        names = sorted(r[rows.variables.index("memberName")].value for r in rows.rows)
        assert names == ["Alder Cluster", "Birch Cluster", "Dune Cluster"]
        dated = kg.query(
            "members-of-organisation",
            org="tidewater-network",
            as_of=date(2017, 1, 1),
            dated_only=True,
        )
        assert isinstance(dated, SelectResult) and len(dated.rows) == 2
        with pytest.raises(ParamError, match="does not answer as of a date"):
            kg.query("sources", as_of="2017-01-01")
        with pytest.raises(InputError, match="YYYY-MM-DD"):
            kg.query("members-of-organisation", as_of="2017")
    finally:
        kg.close()


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clustergraph", "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_query_as_of_on_the_command_line(time_project: Project) -> None:
    done = _cli(
        time_project.root,
        "query",
        "office-holders",
        "--param",
        "org=tidewater-network",
        "--as-of",
        "2020-03-10",
        "--format",
        "csv",
        "--store",
        "memory:",
    )
    assert done.returncode == 0, done.stderr
    assert "Ben Reed" in done.stdout and "Ada Marsh" not in done.stdout
    refused = _cli(
        time_project.root, "query", "sources", "--as-of", "2020-03-10", "--store", "memory:"
    )
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert "does not answer as of a date; the queries that do: " in refused.stderr
    assert "members-of-organisation" in refused.stderr
    bad = _cli(
        time_project.root, "query", "office-holders", "--as-of", "2020", "--store", "memory:"
    )
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    alone = _cli(time_project.root, "query", "office-holders", "--dated-only", "--store", "memory:")
    assert alone.returncode == 2 and "--dated-only goes with --as-of" in alone.stderr
