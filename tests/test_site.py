"""The explorer written from the store: views, pages, counts, derived facts, escaping.

The site is written by :func:`tests.support.site.write_whole_site` from the session's
store (the repository's stated and derived facts), without ``clustergraph build``; the
browser tests of ``test_site_browser.py`` crawl the same site.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import networkx as nx
import pytest

from clustergraph.network.index import GraphIndex
from clustergraph.network.measures import analyze
from clustergraph.network.projections import project
from clustergraph.pipeline.stats import stats
from clustergraph.project.layout import Project, is_derived_graph
from clustergraph.render.catalogue import Catalogue, entity_path
from clustergraph.render.site import (
    SiteInputs,
    graph_counts,
    search_rows,
    write_site,
    write_views,
)
from clustergraph.store.base import Store
from tests.support.site import WrittenSite, write_whole_site
from tests.support.small_graphs import small_store

ID = "https://w3id.org/clustergraph/id/"
PAYLOAD = '<img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def written(project, store, tmp_path_factory) -> WrittenSite:
    return write_whole_site(project, store, tmp_path_factory.mktemp("site") / "build")


def text_of(path: Path) -> str:
    """Return the text a page shows (tags dropped, entities read, spaces collapsed)."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _inputs(project: Project, store: Store, build: Path) -> SiteInputs:
    """Return what the site is written from, for a small store made in a test."""
    index = GraphIndex.from_store(store)
    return SiteInputs(
        project=project,
        store=store,
        index=index,
        analysis=analyze(project_of(index)),
        stats=stats(store),
        runs=(),
        exports={},
        build=build,
    )


@pytest.mark.slow
def test_every_entity_has_a_page_and_every_page_is_counted(written):
    catalogue = written.inputs.get_catalogue()
    site = written.site
    for iri in catalogue.entities:
        assert (site / entity_path(iri)).is_file(), iri
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    views = {p for p in pages if p.startswith("views/")}
    assert len(pages - views) == written.summary.pages
    assert len(views) == written.views == written.summary.views
    assert written.summary.entities == len(catalogue.entities)
    assert {"ecosystem", "organisations", "actors"} <= set(written.inputs.views)
    lcn = ID + "org/lcn"
    assert written.inputs.views[lcn] == "views/entity/org/lcn.html"


@pytest.mark.slow
def test_counts_agree_with_the_store_everywhere(written, store):
    derived = sum(store.count(g) for g in store.graphs() if is_derived_graph(g))
    counts = written.inputs.get_counts()
    assert counts.derived == derived > 0
    assert counts.derived == sum(n for _p, n in counts.by_predicate)
    home = text_of(written.site / "index.html")
    shown = f"{derived:,}"
    # The headline and the footer count derived facts as the build's derive stage does
    # (its VoID summary: no search keys, no provenance); the table gives graph sizes.
    facts = counts.derived_facts
    assert facts is not None and 0 < facts < derived
    assert f"{facts:,} derived triples in {counts.derived_graphs} graphs" in home
    assert f"Derived {counts.derived_graphs} graphs: {facts:,} derived triples" in home
    assert f"provenance and summary {shown}" in home  # the table's total row
    rows = re.findall(r"graph:derived/\S+ derived from .*? (\d[\d,]*) ", home)
    assert sum(int(n.replace(",", "")) for n in rows) == derived
    assert f"{facts:,} derived)" in home  # the footer
    assert f"hold {shown} triples in all" in text_of(written.site / "ontology.html")


@pytest.mark.slow
def test_derived_facts_on_an_entity_page_name_their_article(written):
    page = written.inputs.get_catalogue().entity_page(ID + "org/ftd-lt")
    member_of = [r for r in page.derived if r.prop.title == "org:memberOf"]
    assert [r.target.title for r in member_of] == ["o:eacn"]
    (row,) = member_of
    assert row.cites[0].text == "derived by reasoning"
    assert row.cites[0].href == "ontology.html#derived"
    assert [c.text for c in row.cites[1:]] == ["FTD LT cluster becomes an associate member of EACN"]
    shown = text_of(written.site / "entity/org/ftd-lt.html")
    assert "Derived by reasoning" in shown
    assert "member of → European Automotive Cluster Network" in shown


@pytest.mark.slow
def test_query_pages_show_pyoxigraph_results(written):
    runs = {r.query.name: r for r in written.inputs.runs}
    members = text_of(written.site / "query/members-of-organisation.html")
    rows = len(runs["members-of-organisation"].result)
    assert f"{rows} row{'' if rows == 1 else 's'}." in members
    assert "run by Oxigraph" in members
    graph_queries = [
        name for name, r in runs.items() if r.query.form.value in ("CONSTRUCT", "DESCRIBE")
    ]
    assert graph_queries
    for name in graph_queries:
        if len(runs[name].result):
            assert ("query:" + name) in written.inputs.views, name
            page = (written.site / f"query/{name}.html").read_text(encoding="utf-8")
            assert f'src="../views/query/{name}.html"' in page


@pytest.mark.slow
def test_the_site_names_no_path_of_the_machine(written, project):
    roots = {str(written.build.resolve()), str(project.root.resolve())}
    for path in written.site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert not any(root in page for root in roots), path


def test_graph_counts_of_a_small_store():
    store = small_store({"one": "o:a a cg:Cluster ."}, derived={"one": "o:a a org:Organization ."})
    counts = graph_counts(store, Project(Path(__file__).resolve().parents[1]), {})
    assert [(g.kind, g.triples) for g in counts.graphs][-2:] == [("source", 1), ("derived", 1)]
    assert counts.derived == 1 and counts.by_predicate == (
        ("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", 1),
    )
    assert counts.graphs[-1].derived_from == ("https://w3id.org/clustergraph/graph/source/one",)


def test_text_from_the_data_reaches_pages_as_text(tmp_path, project):
    """A hostile label, alias and fact show as text on every page, never as markup."""
    store = small_store(
        {
            "one": f"""
<https://w3id.org/clustergraph/graph/source/one> prov:wasDerivedFrom src:one .
src:one a cg:NewsArticle ; dcterms:title {PAYLOAD!r}@en .
o:a a cg:Cluster ; skos:prefLabel {PAYLOAD!r}@en ; skos:altLabel "</td></tr><script>x</script>" ;
    cg:aim "a <b>bold</b> aim" .
o:b a cg:Cluster ; skos:prefLabel "B"@en ; cg:coordinates o:a .
"""
        },
        derived={"one": "o:a cg:coordinatedBy o:b ."},
    )
    index = GraphIndex.from_store(store)
    inputs = SiteInputs(
        project=project,
        store=store,
        index=index,
        analysis=analyze(project_network := project_of(index)),
        stats=stats(store),
        runs=(),
        exports={},
        build=tmp_path,
    )
    assert project_network.number_of_nodes() == 2
    assert write_views(inputs) == 3 + 2
    summary = write_site(inputs)
    assert summary.entities == 3
    for path in (tmp_path / "site").rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert "<img" not in page and "<script>x" not in page and "<b>bold" not in page, path
    entity = (tmp_path / "site" / "entity/org/a.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in entity
    shown = text_of(tmp_path / "site" / "entity/org/a.html")
    assert PAYLOAD in shown
    assert "coordinated by" in shown and "derived by reasoning" in shown
    catalogue = Catalogue.from_store(store, index)
    assert catalogue.entity_page("https://w3id.org/clustergraph/id/org/a").label == PAYLOAD


def project_of(index: GraphIndex):
    return project(index, "actors")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_a_second_site_is_byte_identical_and_made_of_reused_files(written, tmp_path):
    """The same store gives the same bytes; with previous=, no keyed file is rendered again."""
    import dataclasses
    import shutil

    first = written.inputs
    build = tmp_path / "build"
    for folder in ("exports", "analysis", "queries"):
        if (first.build / folder).is_dir():
            shutil.copytree(first.build / folder, build / folder)
    second = dataclasses.replace(first, build=build, views={}, keys={}, rendered=0, reused=0)
    write_views(second, previous=written.site)
    summary = write_site(second, previous=written.site)
    assert summary.rendered == 0 and summary.reused > 3 * len(first.get_catalogue().entities)
    before, after = _files(written.site), _files(build / "site")
    assert before.keys() == after.keys()
    assert [name for name in before if before[name] != after[name]] == []
    assert all(oct(p.stat().st_mode & 0o777) == "0o644" for p in (build / "site").rglob("*.html"))


def test_csv_downloads_are_neutralised_for_spreadsheets(written):
    from clustergraph.render.site import neutralise_csv

    hostile = b"name\r\n=1+2\r\n+SUM(A1)\r\n-3\r\n@cmd\r\n\tx\r\nsafe\r\n"
    cells = neutralise_csv(hostile).decode().split("\r\n")
    assert cells[1:6] == ["'=1+2", "'+SUM(A1)", "'-3", "'@cmd", "'\tx"] and cells[6] == "safe"
    csvs = list((written.site / "downloads").rglob("*.csv"))
    assert csvs, "the site carries its CSV downloads"
    for path in csvs:
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            for cell in line.split(","):
                assert not cell.lstrip('"').startswith(("=", "+", "-", "@", "\t")), (path, cell)
    assert "leading apostrophe" in text_of(written.site / "downloads.html")


def test_entity_pages_answer_first(written):
    page = text_of(written.site / "entity" / "org" / "lcn.html")
    facts = page[page.index("Kind") : page.index("This entity as data")]
    assert "Founded 27 May 2020 [1]" in facts
    assert "president: Giedrius Bagušinskas" in facts
    assert "The Lithuanian Cluster Network making national clusters visible in Europe" in facts
    assert page.index("Kind") < page.index("Names and aliases")
    html_text = (written.site / "entity" / "org" / "lcn.html").read_text(encoding="utf-8")
    assert '<script type="application/ld+json">' in html_text
    assert (written.site / "entity" / "org" / "lcn.ttl").read_text().count("skos:prefLabel") >= 1
    assert '"@id"' in (written.site / "entity" / "org" / "lcn.jsonld").read_text()
    event = text_of(written.site / "entity" / "event" / "ftd-lt-eacn-announcement.html")
    assert "Date 6 June, year not stated [1]" in event and "--06-06" not in event


def test_a_large_site_draws_neighbourhoods_on_the_entity_pages(tmp_path, project, monkeypatch):
    """Past ENTITY_VIEWS_UP_TO entities: no view file per entity, a JSON island per page."""
    import json

    from clustergraph.render import site as site_module

    monkeypatch.setattr(site_module, "ENTITY_VIEWS_UP_TO", 0)
    store = small_store(
        {
            "one": f"""
<https://w3id.org/clustergraph/graph/source/one> prov:wasDerivedFrom src:one .
src:one a cg:NewsArticle ; dcterms:title "One"@en .
o:a a cg:Cluster ; skos:prefLabel {PAYLOAD!r}@en .
o:b a cg:Cluster ; skos:prefLabel "B"@en ; cg:coordinates o:a .
"""
        }
    )
    inputs = _inputs(project, store, tmp_path)
    assert write_views(inputs) == 3  # the three whole-graph views only
    write_site(inputs)
    assert not (tmp_path / "site" / "views" / "entity").exists()
    page = (tmp_path / "site" / "entity/org/b.html").read_text(encoding="utf-8")
    assert "<img" not in page
    island = re.search(r'<script type="application/json" id="ego-data">(.*?)</script>', page, re.S)
    assert island
    data = json.loads(island.group(1))
    assert [n["label"] for n in data["nodes"]] == ["B", PAYLOAD]
    assert data["nodes"][1]["href"] == "entity/org/a.html" and data["edges"] == [
        [0, 1, "cg:coordinates"]
    ]


def test_entities_from_any_source_get_pages_and_names(tmp_path, project):
    """Third-party data: its own IRIs, foaf:name only, owl:sameAs out: a page, a name, search."""
    import json

    from clustergraph.render.site import search_rows

    person = "http://data.example.org/person/1"
    store = small_store(
        {
            "third": f"""
<https://w3id.org/clustergraph/graph/source/third> prov:wasDerivedFrom src:third .
src:third a cg:NewsArticle ; dcterms:title "Third"@en .
<{person}> a foaf:Person ; foaf:name "Jonas Jonaitis" ;
    <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q1> .
o:a a cg:Cluster ; skos:prefLabel "A"@en .
o:b a cg:Cluster ; skos:prefLabel "B"@en ; cg:coordinates o:a .
"""
        }
    )
    index = GraphIndex.from_store(store)
    catalogue = Catalogue.from_store(store, index)
    assert person in catalogue.entities
    assert catalogue.label(person) == "Jonas Jonaitis"
    rows = search_rows(catalogue)
    assert any(r[1] == "Jonas Jonaitis" and r[3] == entity_path(person) for r in rows["j"])
    inputs = _inputs(project, store, tmp_path)
    write_views(inputs)
    write_site(inputs)
    page = tmp_path / "site" / entity_path(person)
    assert "Jonas Jonaitis" in text_of(page)
    jsonld = json.loads(page.with_suffix(".jsonld").read_text())
    assert jsonld[0]["@id"] == person


def test_periods_and_durations_from_owl_time():
    """A post held since a date, a membership's period, a label valid for two years."""
    store = small_store(
        {
            "one": """
@prefix time: <http://www.w3.org/2006/time#> .
@prefix t: <https://w3id.org/clustergraph/id/time/> .
@prefix post: <https://w3id.org/clustergraph/id/post/> .
@prefix mem: <https://w3id.org/clustergraph/id/membership/> .
@prefix award: <https://w3id.org/clustergraph/id/award/> .
<https://w3id.org/clustergraph/graph/source/one> prov:wasDerivedFrom src:one .
src:one a cg:NewsArticle ; dcterms:title "One"@en .
o:a a cg:Cluster ; skos:prefLabel "A"@en .
o:n a cg:ClusterNetwork ; skos:prefLabel "N"@en .
per:p a foaf:Person ; foaf:name "P" .
post:p a cg:Post ; org:postIn o:a ; org:heldBy per:p ; cg:heldDuring t:since .
t:since a time:Interval ; time:hasBeginning t:start .
t:start a time:Instant ; time:inXSDDate "2021-03-01"^^xsd:date .
mem:a a cg:Membership ; org:member o:a ; org:organization o:n ; org:memberDuring t:span .
t:span a time:Interval ; time:hasBeginning t:b ; time:hasEnd t:e .
t:b a time:Instant ; time:inXSDGYear "2019"^^xsd:gYear .
t:e a time:Instant ; time:inXSDGYear "2023"^^xsd:gYear .
award:a a cg:ExcellenceLabelAward ; cg:awardedTo o:a ; cg:validDuring t:two .
t:two a time:Interval ; time:hasXSDDuration "P2Y"^^xsd:duration .
"""
        }
    )
    catalogue = Catalogue.from_store(store, GraphIndex.from_store(store))
    facts = catalogue.key_facts(ID + "org/a")
    shown = {
        r.label: " ".join("".join(p.text for p in v.parts) for v in r.values) for r in facts.rows
    }
    assert "since 1 March 2021" in shown["Led by"]
    assert "2019 – 2023" in shown["Member of"]
    assert "valid for 2 years" in shown["Labels"]
    assert all(v.notes == (1,) for r in facts.rows[1:] for v in r.values)


def test_a_date_many_articles_share_is_cited_from_the_article_that_uses_it():
    """A membership from 2019 cites its article, not every article about something from 2019."""
    prefixes = """
@prefix time: <http://www.w3.org/2006/time#> .
@prefix t: <https://w3id.org/clustergraph/id/time/> .
@prefix mem: <https://w3id.org/clustergraph/id/membership/> .
"""
    year = "t:from-2019 a time:Interval ; time:hasBeginning t:y2019 .\n" + (
        't:y2019 a time:Instant ; time:inXSDGYear "2019"^^xsd:gYear .\n'
    )

    def article(name: str, member: str) -> str:
        return (
            prefixes
            + f"<https://w3id.org/clustergraph/graph/source/{name}>"
            + f" prov:wasDerivedFrom src:{name} .\n"
            + f'src:{name} a cg:NewsArticle ; dcterms:title "{name.title()}"@en .\n'
            + f'o:{member} a cg:Cluster ; skos:prefLabel "{member.upper()}"@en .\n'
            + 'o:n a cg:ClusterNetwork ; skos:prefLabel "N"@en .\n'
            + f"mem:{member} a cg:Membership ; org:member o:{member} ; org:organization o:n ;"
            + " org:memberDuring t:from-2019 .\n"
            + year
        )

    # A third article states the membership of "a" too, and leaves the year's value out.
    third = article("three", "a").replace(year, "")
    store = small_store({"one": article("one", "a"), "two": article("two", "b"), "three": third})
    catalogue = Catalogue.from_store(store, GraphIndex.from_store(store))
    entries = [e for e in catalogue.timeline() if e.what == "member during begins"]
    cited = {e.entity.text: sorted(c.text for c in e.cites) for e in entries}
    assert cited == {"mem:a": ["One", "Three"], "mem:b": ["Two"]}


def test_a_view_key_covers_the_titles_of_the_articles_behind_its_edges():
    """An edge cites articles its ends do not: their titles are part of the view's key."""
    from clustergraph.network.index import Statement
    from clustergraph.render.site import _graph_key

    graph = nx.Graph(source_titles={"urn:g": "A title"})
    graph.add_node("urn:a", sources=())
    graph.add_node("urn:b", sources=())
    graph.add_edge("urn:a", "urn:b", statements=(Statement("urn:a", "urn:p", "urn:b", ("urn:g",)),))
    before = _graph_key(graph)
    graph.graph["source_titles"] = {"urn:g": "Another title"}
    assert _graph_key(graph) != before


def test_a_site_file_written_again_leaves_its_hard_link_alone(tmp_path):
    """A file taken from the previous build is a hard link: writing it anew breaks the link."""
    from clustergraph.project.files import write_staged

    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text("before")
    os.link(old, new)
    write_staged(new, "after")
    assert (old.read_text(), new.read_text()) == ("before", "after")


def test_a_reused_view_in_parts_keeps_its_part_scripts(tmp_path, project, monkeypatch):
    import dataclasses

    from clustergraph.render import site as site_module

    monkeypatch.setattr(site_module, "VIEW_MAX_NODES", 2)
    clusters = "\n".join(
        f'o:c{k} a cg:Cluster ; skos:prefLabel "C{k}"@en ; cg:coordinates o:c{(k + 1) % 6} .'
        for k in range(6)
    )
    store = small_store(
        {
            "one": "<https://w3id.org/clustergraph/graph/source/one>"
            " prov:wasDerivedFrom src:one .\n"
            'src:one a cg:NewsArticle ; dcterms:title "One"@en .\n' + clusters
        }
    )
    first = _inputs(project, store, tmp_path / "one")
    write_views(first)
    write_site(first)
    scripts = sorted(p.name for p in (tmp_path / "one/site/views/entities.parts").iterdir())
    assert scripts
    second = dataclasses.replace(
        first, build=tmp_path / "two", views={}, keys={}, rendered=0, reused=0
    )
    write_views(second, previous=tmp_path / "one" / "site")
    write_site(second, previous=tmp_path / "one" / "site")
    again = sorted(p.name for p in (tmp_path / "two/site/views/entities.parts").iterdir())
    assert again == scripts and second.rendered == 0


def test_an_entity_merged_by_same_as_has_one_page_with_every_fact(tmp_path, project):
    """Two project IRIs and another publisher's IRI joined by owl:sameAs: one page."""
    other = "http://data.example.org/org/77"
    store = small_store(
        {
            "same": f"""
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
<https://w3id.org/clustergraph/graph/source/same> prov:wasDerivedFrom src:same .
src:same a cg:NewsArticle ; dcterms:title "Same"@en .
o:a a cg:Cluster ; skos:prefLabel "Saulė"@en ; owl:sameAs o:a-again .
o:a-again a cg:Cluster ; skos:prefLabel "Saulė again"@en ; cg:country <{ID}country/lt> .
<{other}> a <http://www.w3.org/ns/org#Organization> ; foaf:name "Saule Cluster" ;
    owl:sameAs o:a ; schema:foundingDate "2015"^^xsd:gYear .
<{ID}country/lt> a skos:Concept ; skos:prefLabel "Lithuania"@en .
"""
        }
    )
    inputs = _inputs(project, store, tmp_path)
    write_views(inputs)
    write_site(inputs)
    site = tmp_path / "site"
    page = text_of(site / "entity/org/a.html")
    assert "Lithuania" in page and "2015" in page and "Saule Cluster" in page
    for merged in ("entity/org/a-again.html", entity_path(other)):
        pointer = (site / merged).read_text(encoding="utf-8")
        assert 'href="../../entity/org/a.html"' in pointer  # it points to the one page
        assert re.search(r"<h1>Saulė ", pointer), merged  # titled by name, not by IRI
    rows = search_rows(inputs.get_catalogue())
    assert [r[3] for r in rows["s"] if "saule" in str(r[0])] == ["entity/org/a.html"]


def test_the_workbench_offers_no_check_computed_in_python(project, store):
    """Such a check's text is a header over ``WHERE {}``: run, it would show one empty row."""
    from clustergraph.pipeline.curation_checks import curation_checks
    from clustergraph.pipeline.name_checks import name_checks
    from clustergraph.queries.library import Library
    from clustergraph.render.site import QueryRun, workbench_config

    computed = [*curation_checks(store), *name_checks(store, project=project)]
    python = [QueryRun(q, r, s) for q, r, s in computed]
    names = ("checks/post-without-holder", "members-of-organisation")
    library = [QueryRun(Library.of(project).get(n), python[0].result, 0.0) for n in names]
    assert python and all(run.query.computed_in_python for run in python)
    assert not any(run.query.computed_in_python for run in library)
    offered = [q["name"] for q in workbench_config(python + library, {}, None)["queries"]]
    assert offered == list(names)
