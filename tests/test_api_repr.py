"""The Python front door where people type: results, views and paths print readably.

At a plain Python prompt a result is a text table, a view says what it shows (its page
is for Jupyter), ``to_df()`` gives prefixed names and dates of their precision, and a
path names the entities and the articles, or says why there is none.
"""

from __future__ import annotations

import datetime

import pandas as pd
import pyoxigraph as ox
import pytest

from clustergraph.api import KnowledgeGraph
from clustergraph.store import GraphResult, SelectResult

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def kg(project, store) -> KnowledgeGraph:
    return KnowledgeGraph(project, store)


def test_a_result_prints_as_a_text_table(kg):
    result = kg.query("members-of-organisation", org="ftd-lt")
    text = repr(result)
    lines = text.splitlines()
    assert lines[0] == f"{len(result)} rows × {len(result.variables)} columns"
    assert lines[1].split() == list(result.variables)
    assert "o:ftd-lt" in text and "UAB Aksonas" in text and "role:member" in text
    assert "NamedNode" not in text and "https://" not in text
    assert max(len(line) for line in lines) < 400


def test_a_long_result_is_cut_and_counted():
    rows = tuple((ox.Literal("x" * 100), ox.Literal(str(i))) for i in range(45))
    text = repr(SelectResult(("long", "n"), rows))
    assert "x" * 39 + "…" in text and "x" * 41 not in text
    assert text.splitlines()[-1] == "… 25 more rows"


def test_to_df_gives_names_and_values_of_their_precision():
    def lit(value, datatype):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))

    role = ox.NamedNode("https://w3id.org/clustergraph/id/role/associate-member")
    rows = (
        (role, lit("2020-05-27", "date"), lit("2019", "gYear"), lit("57", "integer")),
        (role, lit("2021-01-02", "date"), lit("2019-10", "gYearMonth"), lit("3", "integer")),
        (role, None, lit("--06-06", "gMonthDay"), lit("0", "integer")),
    )
    frame = SelectResult(("role", "day", "when", "count"), rows).to_df()
    assert list(frame["role"]) == ["role:associate-member"] * 3
    assert str(frame["day"].dtype).startswith("datetime64")
    assert frame["day"][0] == pd.Timestamp("2020-05-27") and pd.isna(frame["day"][2])
    assert frame["when"][0] == pd.Period("2019", freq="Y")  # a year, not 1 January
    assert frame["when"][1] == pd.Period("2019-10", freq="M")
    assert frame["when"][2] == "--06-06"  # no year: as written
    assert frame["count"].dtype == "int64" and frame["count"].sum() == 60
    terms = SelectResult(("role", "day", "when", "count"), rows).to_df(terms=True)
    assert terms["role"][0] == role


def test_a_date_column_with_a_time_zone_keeps_it_as_written():
    rows = ((ox.Literal("2020-05-27Z", datatype=ox.NamedNode(XSD + "date")),),)
    assert SelectResult(("d",), rows).to_df()["d"][0] == "2020-05-27Z"
    day = ox.Literal("2020-05-27", datatype=ox.NamedNode(XSD + "date"))
    frame = SelectResult(("d",), ((day,),)).to_df()
    assert frame["d"][0].date() == datetime.date(2020, 5, 27)


def test_a_graph_result_and_an_answer_print_readably(kg):
    graph = kg.query("label-holders-graph")
    assert isinstance(graph, GraphResult)
    text = repr(graph)
    assert text.startswith(f"{len(graph)} triples\nsubject")
    assert "cg:awardedBy" in text and "Triple" not in text
    assert repr(kg.query("ASK { ?s ?p ?o }")) == "ASK: yes (True)"


def test_a_view_prints_what_it_shows_not_its_page(kg):
    view = kg.view("actors")
    text = repr(view)
    assert len(text) < 300 and "<html" not in text.lower()
    assert f"{view.nodes:,} nodes" in text and ".save(" in text
    assert view._repr_html_().startswith(("<", "\n"))  # Jupyter still gets the drawing


def test_a_path_names_people_and_articles(kg):
    paths = kg.path("o:lcn", "smart-food-cluster", kind="actors", limit=1)
    assert len(paths) == 1
    text = repr(paths)
    assert "via post holder Giedrius Bagušinskas (per:giedrius-bagusinskas)" in text
    assert "The Lithuanian Cluster Network making national clusters visible in Europe" in text


def test_no_path_says_why(seed_project, seed_store):
    # The five articles leave FTD LT and ESCA in different parts; another article may join them.
    paths = KnowledgeGraph(seed_project, seed_store).path("ftd-lt", "esca")
    assert list(paths) == [] and paths.why is not None
    assert paths.why.start_part.number != paths.why.end_part.number
    first, ftd, esca = repr(paths).splitlines()
    assert first.startswith(
        "no path between FTD LT (o:ftd-lt) and European Secretariat for Cluster Analysis "
        "(o:esca) in the entities network, which is in "
    )
    assert ftd.startswith("  FTD LT (o:ftd-lt) is in part ") and "nearest: " in ftd
    assert "European Automotive Cluster Network (o:eacn)" in ftd
    assert esca.startswith("  European Secretariat for Cluster Analysis (o:esca) is in part ")


def test_reports_print_their_summary_not_their_contents(kg):
    analysis = repr(kg.analyze("actors"))
    assert analysis.startswith("<Analysis of the actors network: ") and len(analysis) < 400
    assert "European Secretariat for Cluster Analysis" in analysis  # names, not IRIs
    stats = repr(kg.stats())
    assert stats.startswith("<Stats: ") and "named graphs" in stats and len(stats) < 200
    checks = repr(kg.check())
    assert checks.startswith("<CheckReport: ") and "checks passed" in checks


def test_an_entity_that_names_nothing_warns_with_the_closest(kg):
    with pytest.warns(UserWarning, match=r"'org': <\S+/org/lcaa> names nothing .*closest: .*o:lca"):
        result = kg.query("members-of-organisation", org="o:lcaa")
    assert len(result) == 0
