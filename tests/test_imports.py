"""Other publishers' data as it is published: relative IRIs, own roles, TriG graphs, owl:sameAs.

The two publishers' files of ``tests/fixtures/imports/`` are made up (marked so): a list
of institutions (relative IRIs and no ``@base``, untagged ``dct:title``, ``owl:sameAs``
to DBpedia) and a parliament's ORG data in TriG (two named graphs, ``foaf:name``,
``org:role`` with the publisher's own position types, ``owl:sameAs`` to a project
entity). They are imported with ``new-source --import``, never edited.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clustergraph.cli.main import main
from clustergraph.network.index import GraphIndex
from clustergraph.pipeline.load import load
from clustergraph.pipeline.sync import sync
from clustergraph.pipeline.validate import validate
from clustergraph.project.layout import ID_NS, SOURCE_GRAPHS, Project
from clustergraph.project.vocab import FOAF
from clustergraph.rdf.parse import parse_source
from clustergraph.store import SelectResult, open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
INSTITUTIONS = FIXTURES / "made-up-institutions.ttl"
PARLIAMENT = FIXTURES / "made-up-parliament.trig"
PARLIAMENT_BASE = "https://data.example.org/parliament/"


def _import(project: Project, stem: str, path: Path, *extra: str) -> Path:
    args = ["--root", str(project.root), "new-source", stem, "--title", f"Made-up {stem}"]
    args += ["--publisher", f"Made-up publisher of {stem}", "--date", "2099-01-02"]
    assert main([*args, "--import", str(path), *extra, "--store", "memory:"]) == 0
    return project.sources_dir / f"{stem}{path.suffix}"


def test_the_publishers_file_is_copied_unedited(project_copy: Project) -> None:
    written = _import(project_copy, "made-up-parliament", PARLIAMENT, "--base", PARLIAMENT_BASE)
    assert written.suffix == ".trig"
    assert written.read_bytes().endswith(PARLIAMENT.read_bytes())


def test_a_relative_iri_without_base_is_a_warning_naming_the_file_and_a_base(
    project_copy: Project,
) -> None:
    _import(project_copy, "made-up-institutions", INSTITUTIONS, "--url",
            "https://data.example.org/institutions/list.ttl")  # fmt: skip
    report = load(project_copy, open_store("memory:"))
    (line,) = report.warnings
    assert line.startswith("data/sources/made-up-institutions.ttl: warning: ")
    assert "@base <https://data.example.org/institutions/>" in line
    assert f"<{SOURCE_GRAPHS}institution/1001>" in line


def test_parse_source_keeps_a_publishers_graphs_and_counts_relative_iris(tmp_path: Path) -> None:
    found = parse_source(PARLIAMENT, graph=SOURCE_GRAPHS + "p", shown="p.trig")
    assert not found.triples and sorted(found.graphs) == [
        SOURCE_GRAPHS + "p/1",
        SOURCE_GRAPHS + "p/2",
    ]
    assert found.names[SOURCE_GRAPHS + "p/1"] == SOURCE_GRAPHS + "graph/structure"
    assert found.relative > 0
    based = tmp_path / "based.ttl"
    based.write_text("@base <http://e.org/> .\n<a> <http://e.org/p> <b> .\n", encoding="utf-8")
    assert parse_source(based, graph=SOURCE_GRAPHS + "b").relative == 0


def test_a_trig_import_keeps_its_graphs_with_provenance_and_own_roles_validate(
    project_copy: Project,
) -> None:
    _import(project_copy, "made-up-parliament", PARLIAMENT, "--base", PARLIAMENT_BASE)
    store = open_store("memory:")
    report = sync(project_copy, store).load
    graph = SOURCE_GRAPHS + "made-up-parliament"
    assert {graph, graph + "/1", graph + "/2"} <= set(report.loaded) and not report.warnings
    rows = store.query(f"SELECT ?p ?o WHERE {{ GRAPH <{graph}/2> {{ <{graph}/2> ?p ?o }} }}")
    assert isinstance(rows, SelectResult)
    said = {
        (p.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1], o.value) for p, o in rows.rows if p and o
    }
    assert ("alternateOf", PARLIAMENT_BASE + "graph/memberships") in said
    assert ("wasDerivedFrom", ID_NS + "source/made-up-parliament") in said
    assert ("isPartOf", graph) in said
    result = validate(project_copy, store)
    assert result.conforms, result.format()
    # Loading again changes nothing; the publisher's graphs stay.
    again = load(project_copy, store)
    assert not again.changed and graph + "/2" in store.graphs()


def test_a_merged_entity_carries_every_fact_with_its_publisher(project_copy: Project) -> None:
    _import(project_copy, "made-up-parliament", PARLIAMENT, "--base", PARLIAMENT_BASE)
    store = open_store("memory:")
    sync(project_copy, store)
    index = GraphIndex.from_store(store)
    lcn = ID_NS + "org/lcn"
    assert index.same_as[PARLIAMENT_BASE + "unit/lcn"] == lcn
    facts = index.published_facts(lcn)
    theirs = [f for f in facts if f.predicate == FOAF.name]
    assert [f.value for f in theirs] == [
        "Lithuanian Cluster Network (as the test publisher names it)"
    ]
    publisher = theirs[0].publisher
    assert (
        publisher is not None
        and index.label(publisher) == "Made-up publisher of made-up-parliament"
    )
    ours = {f.publisher for f in facts} - {publisher}
    assert ours, "the project's own articles' facts are there too, with their publishers"


@pytest.mark.slow
def test_both_imports_build_with_no_edit_to_the_publishers_data(
    project_copy: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(project_copy, "made-up-institutions", INSTITUTIONS)
    _import(project_copy, "made-up-parliament", PARLIAMENT, "--base", PARLIAMENT_BASE)
    capsys.readouterr()
    assert main(["--root", str(project_copy.root), "build", "--out", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "made-up-institutions.ttl: warning: 18 IRIs written relative" in out
    assert "REVIEW" not in out  # I-asis and II-asis, Prezidentas and Prezidentūra: not duplicates
    assert (tmp_path / "b" / "site" / "entity" / "org" / "lcn.html").is_file()


ROLE_MAPPING = f"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix role: <{ID_NS}role/> .
# The parliament's own position types, as the project's roles (its "observer" is none).
<{PARLIAMENT_BASE}position/chair> skos:exactMatch role:chair .
role:member skos:exactMatch <{PARLIAMENT_BASE}position/member> .
"""


def test_the_queries_read_a_publishers_role_as_the_project_role_it_is_mapped_to(
    project_copy: Project,
) -> None:
    from clustergraph.queries.library import Library
    from clustergraph.queries.run import run

    _import(project_copy, "made-up-parliament", PARLIAMENT, "--base", PARLIAMENT_BASE)
    store = open_store("memory:")
    sync(project_copy, store)
    library = Library.of(project_copy)
    committee = f"<{PARLIAMENT_BASE}unit/committee-on-clusters>"
    person = {n: f"{PARLIAMENT_BASE}person/{n}" for n in ("501", "502")}
    position = {n: f"{PARLIAMENT_BASE}position/{n}" for n in ("chair", "member", "observer")}
    role = {n: f"{ID_NS}role/{n}" for n in ("chair", "member")}

    def answer(name: str, **params: str) -> list[dict[str, str]]:
        result = run(store, library.get(name), params=params)
        assert isinstance(result, SelectResult)
        return [
            {v: t.value for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]

    def members(rows: list[dict[str, str]], who: str = "member") -> set[tuple[str, str]]:
        return {(r[who], r["role"]) for r in rows}

    def by_role() -> dict[str, int]:
        return {r["role"]: int(r["memberships"]) for r in answer("memberships-by-role")}

    # Unmapped, the publisher's roles are answered as they are written.
    assert members(answer("members-of-organisation", org=committee)) == {
        (person["501"], position["chair"]),
        (person["502"], position["member"]),
    }
    before = by_role()
    assert before[position["member"]] == 1

    (project_copy.vocab_dir / "role-mappings.ttl").write_text(ROLE_MAPPING, encoding="utf-8")
    sync(project_copy, store)
    assert validate(project_copy, store).conforms
    # Mapped: the office holders, the members and their kind, the posts of a person, the
    # memberships of a member and the count by kind all read the project's role.
    assert members(answer("office-holders", org=committee), "person") == {
        (person["501"], role["chair"])
    }
    assert members(answer("members-of-organisation", org=committee)) == {
        (person["501"], role["chair"]),
        (person["502"], role["member"]),
    }
    assert {r["role"] for r in answer("posts-of-person", person=f"<{person['501']}>")} == {
        role["chair"]
    }
    assert {r["role"] for r in answer("people-and-posts") if r["person"] == person["501"]} == {
        role["chair"]
    }
    assert {
        (r["organisation"], r["role"])
        for r in answer("organisation-memberships", org=f"<{person['502']}>")
    } == {
        (committee.strip("<>"), role["member"]),
        (f"{PARLIAMENT_BASE}unit/lcn", position["observer"]),  # no mapping: as written
    }
    after = by_role()
    assert position["member"] not in after and position["chair"] not in after
    assert after[role["member"]] == before[role["member"]] + 1
    assert after[position["observer"]] == 1
