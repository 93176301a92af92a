"""``clustergraph queries``, ``query`` and ``check``, run in process on a small library."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pyoxigraph as ox
import pytest

from clustergraph.cli.main import main
from clustergraph.project.layout import ID_NS, Project

MEMBERS = """#+ summary: Members of an organisation, with their role.
#+ tags:
#+   - membership
#+ params:
#+   - org: iri = <https://w3id.org/clustergraph/id/org/eacn>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?member ?name ?role WHERE {
  ?m org:organization ?org ; org:member ?member ; org:role ?role .
  ?member skos:prefLabel ?name .
}
ORDER BY ?name
"""

HOLDS = """#+ summary: Does an organisation hold a label of a level?
#+ tags:
#+   - labels
#+ params:
#+   - org: iri = <https://w3id.org/clustergraph/id/org/ftd-lt>
#+   - level: iri = <https://w3id.org/clustergraph/id/label-level/bronze>
PREFIX cg: <https://w3id.org/clustergraph/ontology#>
ASK { ?award cg:awardedTo ?org ; cg:labelLevel ?level }
"""

NEIGHBOURS = """#+ summary: The memberships of an organisation, as a graph.
#+ tags:
#+   - view
#+ params:
#+   - org: iri = <https://w3id.org/clustergraph/id/org/eacn>
PREFIX org: <http://www.w3.org/ns/org#>
CONSTRUCT { ?member org:memberOf ?org } WHERE { ?m org:organization ?org ; org:member ?member }
"""

UNLABELLED = """#+ summary: Organisations without a preferred label.
#+ tags:
#+   - check
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?org WHERE { ?org a ?class . ?class rdfs:subClassOf* org:Organization .
  FILTER NOT EXISTS { ?org skos:prefLabel ?label } }
"""

ROWS_ANYWAY = """#+ summary: A check that always fails: the organisations with a label.
#+ tags:
#+   - check
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?org WHERE { ?org skos:prefLabel "European Automotive Cluster Network"@en }
"""


@pytest.fixture
def small(project_copy: Project) -> Project:
    queries = project_copy.root / "queries"
    shutil.rmtree(queries, ignore_errors=True)
    (queries / "checks").mkdir(parents=True)
    (queries / "members.rq").write_text(MEMBERS, encoding="utf-8")
    (queries / "holds-label.rq").write_text(HOLDS, encoding="utf-8")
    (queries / "neighbours.rq").write_text(NEIGHBOURS, encoding="utf-8")
    (queries / "checks" / "unlabelled.rq").write_text(UNLABELLED, encoding="utf-8")
    return project_copy


def cli(project: Project, *args: str) -> int:
    return main(["--root", str(project.root), *args])


def test_queries_lists_summaries_and_parameters(
    small: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(small, "queries") == 0
    out = capsys.readouterr().out
    assert "members  [SELECT]  Members of an organisation, with their role." in out
    assert "--param org=<iri>  (default: o:eacn)" in out
    assert "checks/unlabelled  [SELECT]" in out
    assert cli(small, "queries", "--tag", "labels") == 0
    assert "members" not in capsys.readouterr().out


@pytest.mark.parametrize("store", [[], ["--store", "memory:"]], ids=["project-store", "memory"])
def test_query_prints_an_aligned_table(
    small: Project, store: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(small, "query", "members", *store) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["member", "name", "role"]
    assert lines[1].startswith("--------")
    assert ["o:ftd-lt", "FTD", "LT", "role:associate-member"] in [r.split() for r in lines[2:]]
    widths = {line.index("role:") for line in lines[2:]}
    assert widths == {lines[0].index("role")}  # the columns line up


def test_query_with_a_parameter_and_machine_formats(
    small: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(small, "query", "members", "--param", "org=o:lca", "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["member", "name", "role"]
    assert rows[1][0] == "https://w3id.org/clustergraph/id/org/laugea"
    assert cli(small, "query", "members", "--param", "org=o:lca", "--format", "json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["head"]["vars"] == ["member", "name", "role"]
    name = doc["results"]["bindings"][0]["name"]
    assert name == {
        "type": "literal",
        "value": "Lithuanian Automotive Export Association",
        "xml:lang": "en",
    }
    assert cli(small, "query", "members", "--param", "org=o:lca", "--format", "tsv") == 0
    tsv = capsys.readouterr().out.splitlines()
    assert tsv[0] == "?member\t?name\t?role"
    assert tsv[1].split("\t")[1] == '"Lithuanian Automotive Export Association"@en'
    assert cli(small, "query", "members", "--format", "md") == 0
    assert capsys.readouterr().out.startswith("| member | name | role |\n|---|---|---|\n")


def test_ask_and_construct(small: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(small, "query", "holds-label") == 0
    assert capsys.readouterr().out.strip() == "true"
    assert cli(small, "query", "holds-label", "--param", "level=level:gold") == 0
    assert capsys.readouterr().out.strip() == "false"
    assert cli(small, "query", "neighbours") == 0
    triples = list(ox.parse(capsys.readouterr().out.encode(), format=ox.RdfFormat.TURTLE))
    member_of = ox.NamedNode("http://www.w3.org/ns/org#memberOf")
    eacn = ox.NamedNode(ID_NS + "org/eacn")
    assert (ox.NamedNode(ID_NS + "org/ftd-lt"), member_of, eacn) in {
        (t.subject, t.predicate, t.object) for t in triples
    }
    assert {(t.predicate, t.object) for t in triples} == {(member_of, eacn)}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["query", "membrs"], "no query named 'membrs'; did you mean members"),
        (["query", "members", "--param", "size=3"], "no parameter 'size'"),
        (["query", "members", "--param", "org"], "--param takes NAME=VALUE"),
        (["query", "members", "--param", "org=not an iri"], "parameter 'org'"),
        (["query", "members", "--param", "org=a", "--param", "org=b"], "given twice"),
        (["query", "holds-label", "--format", "csv"], "yes-or-no answer"),
        (["query", "members", "--format", "ttl"], "table of solutions"),
        (["query", "members", "--store", "ftp://x"], "unknown store 'ftp://x'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    small: Project, args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(small, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("clustergraph: error: ")
    assert says in err
    assert err.count("\n") == 1


def test_a_malformed_query_file_names_its_line(
    small: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (small.root / "queries" / "broken.rq").write_text(
        "#+ summary: s\n#+ tags:\n#+   - x\nSELECT * WHERE {\n  ?s ?p\n}\n", encoding="utf-8"
    )
    assert cli(small, "query", "broken") == 2
    err = capsys.readouterr().err
    assert err.startswith("clustergraph: error: queries/broken.rq:7:1: SPARQL syntax error")
    assert cli(small, "queries") == 2  # listing parses every header


def test_check_passes_then_fails(small: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(small, "check") == 0
    out = capsys.readouterr().out
    ran = out.count("\nok   ") + 1  # checks/unlabelled and the Python checks
    assert f"{ran} of {ran} checks passed" in out and "ok   checks/unlabelled" in out
    (small.root / "queries" / "checks" / "rows-anyway.rq").write_text(ROWS_ANYWAY, "utf-8")
    assert cli(small, "check", "--store", "memory:") == 1
    out = capsys.readouterr().out
    assert "FAIL checks/rows-anyway" in out
    assert "o:eacn" in out
    assert f"{ran} of {ran + 1} checks passed" in out
