"""Curation: reconcile, mint, new-source, search keys, duplicates, periods, imports, article six.

The sixth article and the third-party file are made up (``tests/fixtures/curation/``),
clearly marked so, and never copied into ``data/``.
"""

from __future__ import annotations

import json
import threading
import tomllib
import unicodedata
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from clustergraph.cli.main import main
from clustergraph.errors import InputError
from clustergraph.network.index import GraphIndex
from clustergraph.pipeline.checks import run_checks
from clustergraph.pipeline.curation_checks import names_not_in_nfc, probable_duplicates
from clustergraph.pipeline.sync import sync
from clustergraph.pipeline.validate import validate
from clustergraph.project.layout import ID_NS, SOURCE_GRAPHS, Project
from clustergraph.project.vocab import FOAF, ORG, RDF, SKOS
from clustergraph.queries.library import Library
from clustergraph.queries.reconcile import Matcher
from clustergraph.queries.reconcile_service import ReconciliationService, server
from clustergraph.queries.run import run
from clustergraph.store import AskResult, SelectResult, Store, open_store
from tests.support.answers import compare_rows, expected_value, result_value

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "curation"
COMPETENCY = Path(__file__).resolve().parent / "competency"
PAUZOLIS = ID_NS + "person/julius-pauzolis"


def cli(project: Project, *args: str) -> int:
    return main(["--root", str(project.root), *args])


# -- search as people type ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["pauzolis", "PAUŽOLIS", unicodedata.normalize("NFD", "Paužolis"), "Julius Pauz"]
)
def test_search_entities_finds_pauzolis_however_typed(
    store: Store, library: Library, text: str
) -> None:
    result = run(store, library.get("search-entities"), params={"text": text})
    assert isinstance(result, SelectResult)
    assert PAUZOLIS in {row[1].value for row in result.rows if row[1] is not None}


@pytest.mark.parametrize("text", ["pauzolis", "PAUŽOLIS", unicodedata.normalize("NFD", "Paužolis")])
def test_reconcile_ranks_pauzolis_first(store: Store, text: str) -> None:
    best = Matcher.from_store(store).match(text, kind="person")[0]
    assert best.iri == PAUZOLIS and best.score >= 90


def test_reconcile_on_the_command_line(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reconcile", "pauzolis", "--store", "memory:", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["id"] == PAUZOLIS and found[0]["name"] == "Julius Paužolis"
    assert main(["reconcile", "litmea", "--store", "memory:"]) == 0
    out = capsys.readouterr().out
    assert "match  o:litmea" in out and "LitMEA" in out  # the alias that matched
    assert main(["reconcile", "x", "--type", "nonsense", "--store", "memory:"]) == 2


# -- minting -------------------------------------------------------------------------------


def test_mint_makes_slugs_and_refuses_taken_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mint", "org", "UAB Šilta Žiema", "--store", "memory:"]) == 0
    assert capsys.readouterr().out.strip() == "o:silta-ziema"
    assert main(["mint", "org", "UAB Termosnaigė ir ko", "--store", "memory:"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "o:termosnaige-ir-ko" and "reuse it" in captured.err
    assert main(["mint", "org", "Something Else", "--slug", "lca", "--store", "memory:"]) == 2
    assert "already names 'Lithuanian Clusters Association'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "owner", "said"),
    [
        ("Lithuanian Cluster Network", "o:lcn", "'Lithuanian Cluster Network'"),
        # an alias, whose slug is not the entity's
        ("Lithuanian Cluster Association", "o:lcn", "'Lithuanian Cluster Association'"),
        # "and" for "&", case aside: the same name
        (
            "Litek Laser and Engineering Technologies cluster",
            "o:litek",
            "'LITEK Laser & Engineering Technologies Cluster'",
        ),
    ],
)
def test_mint_says_whose_name_a_name_already_is(
    name: str, owner: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mint", "org", name, "--store", "memory:"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == owner  # the entity to reuse, not a new IRI
    assert f"{name!r} is already the name of {owner} ({said}): reuse it" in err
    # A slug of one's own mints a new IRI for another entity of that name, and says so.
    assert main(["mint", "org", name, "--slug", "zz-other", "--store", "memory:"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "o:zz-other" and f"is also the name of {owner}" in err


def test_mint_says_when_a_name_is_nearly_an_entitys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mint", "org", "Lithuanian Cluster Networks", "--store", "memory:"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "o:lithuanian-cluster-networks"
    assert "nearly the name 'Lithuanian Cluster Network' of o:lcn: if it is that entity" in err
    assert main(["mint", "org", "Vilnius", "--store", "memory:"]) == 0  # no entity's name
    out, err = capsys.readouterr()
    assert out.strip() == "o:vilnius" and err == ""


# -- the checks ----------------------------------------------------------------------------

DUPLICATES = (
    f"<{ID_NS}org/{{a}}> <{RDF.type}> <{ORG.FormalOrganization}> .\n"
    f'<{ID_NS}org/{{a}}> <{SKOS.prefLabel}> "{{name}}"@en .\n'
    f"<{ID_NS}person/{{a}}> <{RDF.type}> <{FOAF.Person}> .\n"
    f'<{ID_NS}person/{{a}}> <{FOAF.name}> "{{person}}" .\n'
)


def _two_sources(extra: str = "") -> Store:
    store = open_store("memory:")
    store.replace_graphs(
        {
            SOURCE_GRAPHS + "one": DUPLICATES.format(
                a="x", name="Šilta Žiema Cluster", person="Ona Žemaitė"
            ).encode(),
            SOURCE_GRAPHS + "two": (
                DUPLICATES.format(a="y", name="Silta Ziema cluster", person="ONA ZEMAITE") + extra
            ).encode(),
        }
    )
    return store


def test_duplicates_of_an_organisation_and_a_person_are_reported_with_their_sources() -> None:
    rows = probable_duplicates(_two_sources()).rows
    pairs = {(r[0].value.split("/id/")[1], r[1].value.split("/id/")[1]): r for r in rows}  # type: ignore[union-attr]
    assert set(pairs) == {("org/x", "org/y"), ("person/x", "person/y")}
    assert pairs[("org/x", "org/y")][5].value == "one"  # type: ignore[union-attr]
    assert pairs[("org/x", "org/y")][6].value == "two"  # type: ignore[union-attr]


def test_a_recorded_distinction_silences_the_duplicate_check() -> None:
    distinct = (
        "<https://w3id.org/clustergraph/id/org/y> "
        "<https://w3id.org/clustergraph/ontology#distinctFrom> "
        "<https://w3id.org/clustergraph/id/org/x> .\n"
    )
    rows = probable_duplicates(_two_sources(distinct)).rows
    assert {r[0].value.split("/id/")[1] for r in rows} == {"person/x"}  # type: ignore[union-attr]


def test_the_seed_data_has_no_probable_duplicates_and_only_nfc_names(store: Store) -> None:
    assert probable_duplicates(store).rows == ()
    assert names_not_in_nfc(store).rows == ()


def test_a_name_not_in_nfc_is_flagged() -> None:
    store = open_store("memory:")
    nfd = unicodedata.normalize("NFD", "Paužolis")
    store.replace_graphs(
        {SOURCE_GRAPHS + "a": f'<{PAUZOLIS}> <http://xmlns.com/foaf/0.1/name> "{nfd}" .'.encode()}
    )
    (row,) = names_not_in_nfc(store).rows
    assert row[3].value == "Paužolis"  # type: ignore[union-attr]


def test_check_reports_a_duplicate_added_to_the_project(project_copy: Project) -> None:
    path = project_copy.sources_dir / "ftd-lt-joins-eacn.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text
        + '\no:lcn-again a cg:ClusterNetwork ; skos:prefLabel "Lithuanian Cluster Network"@en .\n',
        encoding="utf-8",
    )
    store = open_store("memory:")
    sync(project_copy, store)
    report = run_checks(store, Library.of(project_copy))
    (failed,) = report.failed
    assert failed.query.name == "checks/probable-duplicates"
    text = failed.format()
    assert "o:lcn-again" in text and "ftd-lt-joins-eacn" in text
    assert "lithuanian-cluster-network-established" in text


# -- periods --------------------------------------------------------------------------------


def test_office_holders_says_since_when_the_lcn_president_holds_his_post(
    store: Store, library: Library
) -> None:
    result = run(store, library.get("office-holders"), params={"org": f"<{ID_NS}org/lcn>"})
    assert isinstance(result, SelectResult)
    rows = {
        (r[1].value, r[result.variables.index("since")].value)  # type: ignore[union-attr]
        for r in result.rows
        if r[result.variables.index("since")] is not None
    }
    assert (ID_NS + "person/giedrius-bagusinskas", "2020-05-27") in rows


def test_periods_that_say_nothing_or_a_malformed_duration_are_refused(
    project_copy: Project,
) -> None:
    path = project_copy.sources_dir / "ftd-lt-joins-eacn.ttl"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\nt:empty a time:Interval .\n", encoding="utf-8")
    store = open_store("memory:")
    sync(project_copy, store)
    report = validate(project_copy, store)
    assert not report.conforms and "a beginning, an end" in report.format()
    bad = '\nt:bad a time:Interval ; time:hasXSDDuration "two years"^^xsd:duration .\n'
    path.write_text(original + bad, encoding="utf-8")
    with pytest.raises(InputError, match="ftd-lt-joins-eacn.ttl:.*xsd:duration"):
        sync(project_copy, open_store("memory:"))


# -- the reconciliation service -----------------------------------------------------------


@pytest.fixture(scope="module")
def service_url(project: Project) -> Iterator[str]:
    store = open_store("memory:")
    sync(project, store)
    served = server(ReconciliationService.from_store(store), port=0)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    host, port = served.server_address[:2]
    yield f"http://{host}:{port}"
    served.shutdown()
    served.server_close()


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("application/json")
        return json.load(answer)


def test_the_service_manifest(service_url: str) -> None:
    manifest = _get(service_url + "/")
    assert manifest["identifierSpace"] == ID_NS
    assert {"id": "org", "name": "organisation"} in manifest["defaultTypes"]
    assert manifest["suggest"]["entity"]["service_url"] == service_url


def test_the_service_answers_a_batch_of_queries_posted_as_a_form(service_url: str) -> None:
    batch = {
        "q0": {"query": "Lithuanian Clusters Association", "type": "org"},
        "q1": {"query": "PAUŽOLIS", "type": "person", "limit": 2},
        "q2": {"query": "Smart food cluster"},
    }
    body = urllib.parse.urlencode({"queries": json.dumps(batch)}).encode()
    with urllib.request.urlopen(service_url + "/", data=body, timeout=10) as answer:
        result = json.load(answer)
    assert result["q0"]["result"][0]["id"] == ID_NS + "org/lca"
    assert result["q0"]["result"][0]["match"] is True
    assert result["q1"]["result"][0]["id"] == PAUZOLIS and len(result["q1"]["result"]) <= 2
    assert result["q2"]["result"][0]["id"] == ID_NS + "org/smart-food-cluster"
    assert {"id", "name", "score", "match", "type"} <= result["q2"]["result"][0].keys()


def test_the_service_suggests_and_refuses_bad_batches(service_url: str) -> None:
    found = _get(service_url + "/suggest/entity?prefix=" + urllib.parse.quote("ščiglin"))
    assert found["result"][0]["id"] == ID_NS + "person/algimanta-sciglinskiene"
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(service_url + "/?queries=not-json", timeout=10)
    assert error.value.code == 400


# -- data from other publishers -------------------------------------------------------------


def _add_third_party(project: Project) -> None:
    assert (
        cli(
            project,
            "new-source",
            "third-party-org",
            "--title",
            "Made-up register of test bodies",
            "--publisher",
            "Test Open Data Publisher",
            "--date",
            "2099-01-02",
            "--store",
            "memory:",
        )
        == 0
    )
    path = project.sources_dir / "third-party-org.ttl"
    fixture = (FIXTURES / "third-party-org.ttl").read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8") + "\n" + fixture, encoding="utf-8")


def test_a_third_party_org_file_validates_and_merges_into_the_project_entity(
    project_copy: Project,
) -> None:
    _add_third_party(project_copy)
    store = open_store("memory:")
    sync(project_copy, store)
    report = validate(project_copy, store)
    assert report.conforms, report.format()
    assert run_checks(store, Library.of(project_copy)).passed
    index = GraphIndex.from_store(store)
    graph = SOURCE_GRAPHS + "third-party-org"
    lcn = ID_NS + "org/lcn"
    assert index.same_as[graph.rsplit("/", 1)[0] + "/unit/2"] == lcn
    assert index.label(lcn) == "Lithuanian Cluster Network"  # the project's name wins
    assert index.label(SOURCE_GRAPHS + "person/8") == "Testė Pavyzdinė"  # foaf:name
    assert SOURCE_GRAPHS + "unit/2" not in index.entities()
    linked = {other for other, _st in index.neighbours(lcn)}
    assert SOURCE_GRAPHS + "unit/1" in linked  # the other publisher's link, on our entity


def test_a_third_party_file_that_does_not_conform_is_reported_totals_first(
    project_copy: Project,
) -> None:
    _add_third_party(project_copy)
    path = project_copy.sources_dir / "third-party-org.ttl"
    text = path.read_text(encoding="utf-8").replace("foaf:name", "foaf:nick")
    path.write_text(text, encoding="utf-8")
    store = open_store("memory:")
    sync(project_copy, store)
    report = validate(project_copy, store)
    lines = report.format().splitlines()
    assert lines[0].startswith("does not conform: ")
    assert "cgsh:LabelledEntity" in lines[1]
    capped = report.format(limit=1).splitlines()
    assert capped[-1].endswith("more results not shown") and len(capped) < len(lines)


# -- the scaffold ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("publisher", "author"),
    [
        ("Lithuanian Cluster Network", "Giedrius Bagušinskas"),  # both reused
        ("Made-up Test Publisher", "Testė Išgalvotoji"),  # both minted
    ],
)
def test_the_scaffold_describes_everything_it_names(
    project_copy: Project, publisher: str, author: str
) -> None:
    """A scaffold as it is stands on its own: whatever it names, it types and names."""
    args = ["new-source", "zz-scaffold", "--title", "Made-up", "--publisher", publisher]
    assert cli(project_copy, *args, "--author", author, "--date", "2099-01-02") == 0
    store = open_store("memory:")
    sync(project_copy, store)
    graph = SOURCE_GRAPHS + "zz-scaffold"
    mentioned = {
        term.value
        for q in store.quads(graph=graph)
        for term in (q.subject, q.object)
        if term.value.startswith(ID_NS) and not term.value.startswith(ID_NS + "source/")
    }
    assert len(mentioned) == 2, mentioned  # the publisher and the author
    for iri in mentioned:
        this = ox.NamedNode(iri)
        typed = list(store.quads(this, ox.NamedNode(RDF.type), None, graph))
        named = list(store.quads(this, ox.NamedNode(SKOS.prefLabel), None, graph))
        assert typed and named, f"{iri} is named but not described in the scaffold's graph"
    assert validate(project_copy, store).conforms


def test_the_scaffold_of_an_article_with_a_url_has_nothing_to_review(project_copy: Project) -> None:
    """``--url`` is written in a property the shapes expect: no warning to fix."""
    args = ["new-source", "zz-scaffold", "--title", "Made-up", "--url", "https://example.org/a"]
    assert cli(project_copy, *args, "--date", "2099-01-02", "--store", "memory:") == 0
    store = open_store("memory:")
    sync(project_copy, store)
    report = validate(project_copy, store)
    assert report.conforms and report.results == (), report.format()


# -- a made-up sixth article, end to end ---------------------------------------------------


def _add_sixth_article(project: Project, capsys: pytest.CaptureFixture[str]) -> str:
    text = FIXTURES / "sixth-article.txt"
    assert (
        cli(
            project,
            "new-source",
            "made-up-sixth-article",
            "--title",
            "Imaginary Testing Cluster receives a Silver label (made-up test article)",
            "--publisher",
            "Lithuanian Cluster Network",
            "--date",
            "2099-03-04",
            "--text",
            str(text),
            "--store",
            "memory:",
        )
        == 0
    )
    scaffold = (project.sources_dir / "made-up-sixth-article.ttl").read_text(encoding="utf-8")
    capsys.readouterr()
    assert cli(project, "reconcile", "Imaginary Testing Cluster", "--store", "memory:") == 0
    assert "match" not in capsys.readouterr().out.split("\n", 1)[1]  # nothing like it yet
    assert cli(project, "mint", "org", "Imaginary Testing Cluster", "--store", "memory:") == 0
    assert capsys.readouterr().out.strip() == "o:imaginary-testing-cluster"
    path = project.sources_dir / "made-up-sixth-article.ttl"
    facts = (FIXTURES / "sixth-article-facts.ttl").read_text(encoding="utf-8")
    path.write_text(scaffold + facts, encoding="utf-8")
    return scaffold


def test_a_made_up_sixth_article_from_scaffold_to_facts(
    project_copy: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    scaffold = _add_sixth_article(project_copy, capsys)
    # the scaffold names the entities the graph has, for reuse, and the publisher reused
    for prefixed in ("o:lcn", "o:esca", "o:termosnaige-ir-ko", "per:giedrius-bagusinskas"):
        assert f"# {prefixed} a " in scaffold
    assert "dcterms:publisher o:lcn" in scaffold
    store = open_store("memory:")
    sync(project_copy, store)
    report = validate(project_copy, store)
    assert report.conforms, report.format()
    assert run_checks(store, Library.of(project_copy)).passed
    library = Library.of(project_copy)
    result = run(
        store,
        library.get("office-holders"),
        params={"org": f"<{ID_NS}org/imaginary-testing-cluster>"},
    )
    assert isinstance(result, SelectResult)
    assert [r[result.variables.index("since")].value for r in result.rows] == ["2099-02-01"]  # type: ignore[union-attr]
    # the five articles' competency questions give the same answers with a sixth present
    manifest = tomllib.loads((COMPETENCY / "manifest.toml").read_text(encoding="utf-8"))
    prefixes = manifest["prefixes"]
    for question in manifest["question"]:
        answer = store.query((COMPETENCY / question["file"]).read_text(encoding="utf-8"))
        if "expected_boolean" in question:
            assert isinstance(answer, AskResult) and answer.value is question["expected_boolean"]
            continue
        assert isinstance(answer, SelectResult)
        expected = [tuple(expected_value(v, prefixes) for v in row) for row in question["expected"]]
        actual = [tuple(result_value(t) for t in row) for row in answer.rows]
        problem = compare_rows(actual, expected, ordered=question["ordered"], prefixes=prefixes)
        assert problem is None, f"{question['id']}: {problem}"


@pytest.mark.slow
def test_a_made_up_sixth_article_builds_and_shows_on_the_site(
    project_copy: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _add_sixth_article(project_copy, capsys)
    out = tmp_path / "build"
    assert cli(project_copy, "build", "--out", str(out), "--quiet", "--store", "memory:") == 0
    page = out / "site" / "entity" / "org" / "imaginary-testing-cluster.html"
    assert page.exists()
    html = page.read_text(encoding="utf-8")
    assert "Imaginary Testing Cluster" in html and "made-up test article" in html
