"""As of a date: the library's queries, the commands and the rule, on a made-up source.

The source (``tests/fixtures/time/made-up-periods.ttl``) gives memberships, posts and
labels that begin and end on known days, months and years, and facts with no period;
``as-of-cases.toml`` lists what each query answers on and around each boundary.
"""

from __future__ import annotations

import re
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


# -- the network as of a day -------------------------------------------------------------

NETWORK_CASES = tomllib.loads((TIME / "network-cases.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def time_index(time_store: Store):
    from clustergraph.network.index import GraphIndex

    return GraphIndex.from_store(time_store)


@pytest.mark.parametrize(
    "case", NETWORK_CASES["actors"], ids=[c["day"] for c in NETWORK_CASES["actors"]]
)
def test_actor_network_as_of(time_index, case: dict) -> None:
    """Who is in the actor network on a day, and who is kept with no period stated (*)."""
    from clustergraph.network.projections import project
    from clustergraph.network.timeline import as_of

    graph = project(as_of(time_index, date.fromisoformat(case["day"])), "actors")
    shown = sorted(
        graph.nodes[n]["label"] + ("*" if graph.nodes[n].get("as_of") else "") for n in graph
    )
    assert shown == sorted(case["nodes"])
    dated = project(as_of(time_index, date.fromisoformat(case["day"]), dated_only=True), "actors")
    assert graph.number_of_edges() - dated.number_of_edges() == case["edges_not_stated"]
    marked = [e for *_ends, e in graph.edges(data=True) if e.get("as_of")]
    assert len(marked) == case["edges_not_stated"]


def test_network_rule_agrees_with_the_queries(
    time_index, time_store: Store, time_project: Project
) -> None:
    """The periods the network reads give the status the library's SPARQL gives."""
    from clustergraph.network.timeline import periods, status

    known = periods(time_index)
    library = Library.of(time_project)
    for case in CASES:
        query = library.get(case["query"])
        for day in case["days"]:
            params = {k: (v if ":" in v else f"o:{v}") for k, v in case["params"].items()}
            result = run(time_store, query, params={**params, "asOf": day["day"]})
            assert isinstance(result, SelectResult)
            fact = result.variables[-1]  # each query ends with its fact: membership, post, award
            at = result.variables.index("asOfPeriod")
            for row in result.rows:
                node = row[result.variables.index(fact)].value
                assert status(time_index, node, date.fromisoformat(day["day"]), known).value == (
                    row[at].value
                ), (case["query"], day["day"], node)


def test_over_time_on_the_command_line(time_project: Project, tmp_path: Path) -> None:
    out = tmp_path / "over"
    done = _cli(
        time_project.root,
        "analyze",
        "--over",
        "2014..2022",
        "--out",
        str(out),
        "--store",
        "memory:",
    )
    assert done.returncode == 0, done.stderr
    lines = (out / "over.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "day,nodes,edges,components,communities,modularity,period_not_stated"
    assert len(lines) == 1 + 9
    members = (out / "over-members.csv").read_text(encoding="utf-8").splitlines()
    counts = {line.split(",")[0]: int(line.split(",")[-1]) for line in members[1:]}
    assert counts == NETWORK_CASES["members_of_tidewater"]
    assert "members of Tidewater Network" in done.stdout
    both = _cli(
        time_project.root,
        "analyze",
        "--over",
        "2014..2022",
        "--as-of",
        "2019-01-01",
        "--store",
        "memory:",
    )
    assert both.returncode == 2 and "give one" in both.stderr


def test_path_and_view_as_of(time_project: Project, tmp_path: Path) -> None:
    before = _cli(
        time_project.root,
        "path",
        "alder-cluster",
        "cedar-cluster",
        "--as-of",
        "2018-01-01",
        "--store",
        "memory:",
    )
    assert before.returncode == 2
    assert "is not in the entities network as of 2018-01-01" in before.stderr
    after = _cli(
        time_project.root,
        "path",
        "alder-cluster",
        "cedar-cluster",
        "--network",
        "actors",
        "--as-of",
        "2019-03-01",
        "--store",
        "memory:",
    )
    assert after.returncode == 0 and "mem:cedar-in-tidewater" in after.stdout
    page = tmp_path / "v.html"
    view = _cli(
        time_project.root,
        "view",
        "--network",
        "actors",
        "--as-of",
        "2014-06-30",
        "--out",
        str(page),
        "--store",
        "memory:",
    )
    assert view.returncode == 0, view.stderr
    text = page.read_text(encoding="utf-8")
    assert "as of 2014-06-30" in text and "Alder Cluster" in text and "Cedar Cluster" not in text


def test_analyze_as_of_counts_the_nodes_of_its_network_kept_unstated(
    time_project: Project, tmp_path: Path
) -> None:
    """The count in ``analyze --as-of`` is of the network's nodes, as ``--over`` counts it."""
    args = ("--as-of", "2020-03-10", "--out", str(tmp_path), "--store", "memory:")
    done = _cli(time_project.root, "analyze", *args)
    assert done.returncode == 0, done.stderr
    head = done.stdout.splitlines()[0]
    kept = re.search(r"\((\d+) kept whose period is not stated\): (\d+) nodes", head)
    over = _cli(time_project.root, "analyze", "--over", "2020-03-10..2020-03-10",
                "--out", str(tmp_path / "over"), "--store", "memory:")  # fmt: skip
    assert over.returncode == 0, over.stderr
    row = next(r for r in over.stdout.splitlines() if r.startswith("2020-03-10"))
    stated = int(row.split()[6])
    assert (int(kept.group(1)) if kept else 0) == stated, (head, row)
