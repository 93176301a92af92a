"""``clustergraph build``: stages, outputs, derived facts, and a failure leaving build/ intact."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from clustergraph.build import STAGES, BuildError, Stage, build
from clustergraph.cli.main import main
from clustergraph.project.layout import DERIVED_NS, ID_NS, Project
from clustergraph.project.vocab import ORG, PROV, RDF
from clustergraph.render.catalogue import (
    EntityPage,
    FactRow,
    KeyFact,
    KeyFacts,
    KeyValue,
    Link,
    entity_path,
)
from clustergraph.render.site import (
    NAV,
    GraphCounts,
    _environment,
    linked_data_paths,
    relative_root,
)
from clustergraph.store import SelectResult, Store
from tests.conftest import REPO

ENTITIES = """
SELECT DISTINCT ?entity WHERE {
  GRAPH ?g { ?entity a ?type . }
  FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), "https://w3id.org/clustergraph/id/"))
}
"""

NAMELESS = """\
@prefix cg: <https://w3id.org/clustergraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/clustergraph/graph/source/zz-nameless> a cg:SourceGraph ;
    prov:wasDerivedFrom <https://w3id.org/clustergraph/id/source/zz-nameless> .
<https://w3id.org/clustergraph/id/org/nameless> a cg:Cluster .
"""

pytestmark = pytest.mark.slow

BROKEN_QUERY = """\
#+ summary: A query with a syntax error.
#+ tags:
#+   - broken

SELECT ?x WHERE { ?x ?p }
"""


def copy_project(src: Project, root: Path) -> Project:
    for name in ("ontology", "data", "queries"):
        shutil.copytree(src.root / name, root / name)
    return Project(root)


def snapshot(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".build-"))


def test_stages_print_a_line_each_and_a_summary(site_build):
    lines = site_build.output.splitlines()
    names = [s.name for s in STAGES]
    assert names == [
        "load",
        "validate",
        "derive",
        "copy",
        "check",
        "queries",
        "analyse",
        "export",
        "views",
        "site",
    ]
    for number, (name, line) in enumerate(zip(names, lines, strict=False), 1):
        assert re.match(rf"\[ ?{number}/{len(names)}\] {name} +\d+\.\d\d s  \S", line), line
    assert len({line.index("]") for line in lines[: len(names)]}) == 1  # in line
    assert lines[len(names)].startswith("build finished in ")
    assert lines[-1].endswith("/site/index.html")
    assert [t.name for t in site_build.report.stages] == names
    assert leftovers(site_build.out.parent) == []


def test_build_writes_site_exports_analysis_and_results(site_build):
    out = site_build.out
    for rel in (
        "site/index.html",
        "site/entities.html",
        "site/queries.html",
        "site/timeline.html",
        "site/analysis.html",
        "site/ontology.html",
        "site/downloads.html",
        "site/assets/site.css",
        "site/views/lib/vis-network.min.js",
        "site/views/ecosystem.html",
        "exports/clustergraph.ttl",
        "exports/clustergraph.nq",
        "exports/void.ttl",
        "analysis/report.md",
        "queries/members-of-organisation.csv",
        "queries/label-holders-graph.ttl",
    ):
        assert (out / rel).is_file(), rel
    pages = [p for p in (out / "site").rglob("*.html") if "views" not in p.parts]
    assert len(pages) == site_build.report.pages
    views = list((out / "site" / "views").rglob("*.html"))
    assert len(views) == site_build.report.views
    # The views share one vis-network: no view inlines it.
    assert all(p.stat().st_size < 200_000 for p in views)
    # No page names a path of the machine that built it.
    for page in pages[:40]:
        assert str(out) not in page.read_text(encoding="utf-8")


def test_every_entity_has_a_page(site_build, store: Store):
    result = store.query(ENTITIES)
    assert isinstance(result, SelectResult)
    entities = {row[0].value for row in result.rows if row[0] is not None}
    assert len(entities) > 150
    missing = [e for e in entities if not (site_build.site / entity_path(e)).is_file()]
    assert missing == []
    written = {p for p in (site_build.site / "entity").rglob("*.html")}
    assert len(written) == len(entities)


def test_entity_page_cites_the_articles(site_build):
    html = (site_build.site / "entity/org/ftd-lt.html").read_text(encoding="utf-8")
    assert "<h1>FTD LT</h1>" in html
    for heading in ("Names and aliases", "Memberships", "Posts", "Excellence labels"):
        assert f">{heading} <" in html or f">{heading}<" in html, heading
    assert "FTD LT cluster becomes an associate member of EACN" in html  # the article
    assert 'href="../../entity/source/ftd-lt-joins-eacn.html"' in html
    assert 'src="../../views/entity/org/ftd-lt.html"' in html  # the neighbourhood view
    person = (site_build.site / "entity/person/giedrius-bagusinskas.html").read_text("utf-8")
    assert "President of the Lithuanian Cluster Network" in person
    figures = (site_build.site / "entity/org/lcn.html").read_text(encoding="utf-8")
    assert "Figures over time" in figures and "57" in figures


def test_timeline_shows_precision_and_inferred_years(site_build):
    html = (site_build.site / "timeline.html").read_text(encoding="utf-8")
    assert "6 June, year not stated" in html
    assert "2019 (inferred)" in html and "2017 (inferred)" in html
    orders = re.findall(r'data-order="(\d)\|([^"]*)"', html)
    keys = [(int(a), b) for a, b in orders]
    assert len(keys) > 15 and keys == sorted(keys)
    assert keys[-1][0] == 1  # the date with no year at all comes last


def test_query_pages_show_text_parameters_and_results(site_build):
    page = (site_build.site / "query/members-of-organisation.html").read_text("utf-8")
    assert "SPARQL" in page and "SELECT" in page
    assert "<code>?org</code>" in page
    assert re.search(r"\d+ rows?\.", page)
    graph = (site_build.site / "query/label-holders-graph.html").read_text("utf-8")
    assert 'src="../views/query/label-holders-graph.html"' in graph
    check = (site_build.site / "query/checks/post-without-holder.html").read_text("utf-8")
    assert "the check passes" in check


def test_downloads_list_every_export_with_checksums(site_build):
    html = (site_build.site / "downloads.html").read_text(encoding="utf-8")
    for path in (site_build.out / "exports").iterdir():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert f'href="downloads/exports/{path.name}"' in html, path.name
        assert digest in html, path.name


def test_the_built_store_holds_the_shortcuts_users_query(site_build, store: Store):
    """The store the site was built from answers derived facts with their article."""
    o = ID_NS + "org/"
    ask = f"""ASK {{ GRAPH ?d {{ <{o}ftd-lt> <{ORG.memberOf}> <{o}eacn> .
                     <{o}eacn> <{ORG.hasMember}> <{o}ftd-lt> . }}
                     ?d <{PROV.wasDerivedFrom}> ?g . ?g <{PROV.wasDerivedFrom}> ?article
                     FILTER(STRSTARTS(STR(?d), "{DERIVED_NS}")) }}"""
    assert store.query(ask).value  # type: ignore[union-attr]
    typed = f"ASK {{ GRAPH ?d {{ <{o}litek> <{RDF.type}> <{ORG.Organization}> }} }}"
    assert store.query(typed).value  # type: ignore[union-attr]
    home = (site_build.site / "index.html").read_text(encoding="utf-8")
    assert "derived" in home


def test_failed_build_leaves_the_previous_build(site_build, project, tmp_path, capsys):
    root = tmp_path / "repo"
    copy = copy_project(project, root)
    shutil.copytree(site_build.out, root / "build")
    before = snapshot(root / "build")
    (copy.root / "queries" / "zz-broken.rq").write_text(BROKEN_QUERY, encoding="utf-8")
    code = main(["--root", str(root), "build", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert re.search(r"stage 'queries': queries/zz-broken\.rq:\d+:\d+: SPARQL syntax error", err)
    assert "previous build was left as it was" in err
    assert snapshot(root / "build") == before
    assert leftovers(root) == []


def test_a_rebuild_keeps_the_files_of_the_previous_site_that_did_not_change(
    site_build, project, tmp_path
):
    """One name changed: its pages are written anew, the pages it does not touch are kept."""
    root = tmp_path / "repo"
    copy = copy_project(project, root)
    shutil.copytree(site_build.out, root / "build")
    site = root / "build" / "site"
    inodes = {p: p.stat().st_ino for p in (site / "entity").rglob("*.html")}
    source = copy.sources_dir / "ftd-lt-joins-eacn.ttl"
    text = source.read_text(encoding="utf-8")
    name = 'foaf:name "Bruno Grandjean"'
    assert text.count(name) == 1
    source.write_text(text.replace(name, name[:-1] + ' Jr"'), encoding="utf-8")
    build(copy, quiet=True)
    changed = [p for p, inode in inodes.items() if p.stat().st_ino != inode]
    kept = len(inodes) - len(changed)
    person = next(p for p in changed if "Bruno Grandjean Jr" in p.read_text(encoding="utf-8"))
    assert person.parent.name == "person"
    assert kept > len(changed) > 0, (kept, len(changed))
    for page in changed:  # every page written again shows the change, or its neighbourhood
        assert page.read_bytes() != (site_build.site / page.relative_to(site)).read_bytes()
    assert snapshot(site) != snapshot(site_build.site)


def test_nonconforming_data_stops_with_the_report(project, tmp_path, capsys):
    copy = copy_project(project, tmp_path / "repo")
    (copy.sources_dir / "zz-nameless.ttl").write_text(NAMELESS, encoding="utf-8")
    code = main(["--root", str(copy.root), "build", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "data/sources/zz-nameless.ttl:" in out and "sh:OrConstraintComponent" in out
    assert "does not conform" in err
    assert not (copy.root / "build").exists()
    assert leftovers(copy.root) == []


def test_pages_escape_text_from_the_data():
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    text = Link(payload, "entity/org/x.html", payload, payload)
    page = EntityPage(
        iri="https://w3id.org/clustergraph/id/org/x",
        path="entity/org/x.html",
        label=payload,
        name="o:x",
        kind=payload,
        classes=(text,),
        sources=(text,),
        names=[FactRow(text, text, (text,), "en")],
        prose=[FactRow(text, text, (text,))],
        facts=[FactRow(text, text, (text,))],
        figures=[],
        groups=[],
        derived=[],
        described=[],
    )
    html = (
        _environment()
        .get_template("entity.html.j2")
        .render(
            page=page,
            facts=KeyFacts((KeyFact(payload, (KeyValue((text,), (1,)),)),), (text,)),
            linked=linked_data_paths(page.iri),
            jsonld="{}",
            ego=None,
            ego_more=0,
            show_counts=False,
            view=None,
            title=payload,
            path=page.path,
            root=relative_root(page.path),
            current=page.path,
            nav=NAV,
            csp="default-src 'none'",
            version="0",
            counts=GraphCounts(graphs=(), by_predicate=()),
        )
    )
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_a_failing_stage_is_named_and_its_output_removed(project, tmp_path):
    def boom(_state):
        raise RuntimeError("simulated failure")

    stages = tuple(Stage(s.name, boom) if s.name == "derive" else s for s in STAGES)
    out = tmp_path / "out"
    with pytest.raises(BuildError, match="stage 'derive' failed: RuntimeError: simulated"):
        build(project, out=out, quiet=True, stages=stages, store="memory:")
    assert not out.exists() and leftovers(tmp_path) == []


def test_the_site_and_the_command_line_give_the_same_answers(site_build, library, capsys):
    """Every SELECT query of the library: the build's CSV and the command line's agree."""
    import csv
    import io

    for query in library:
        if query.form.value != "SELECT":
            continue
        built = (site_build.out / "queries" / f"{query.name}.csv").read_text(encoding="utf-8")
        code = main(
            ["--root", str(REPO), "query", query.name, "--format", "csv", "--store", "memory:"]
        )
        out, err = capsys.readouterr()
        assert (code, err) == (0, ""), query.name
        rows = sorted(tuple(r) for r in csv.reader(io.StringIO(out)))
        assert rows == sorted(tuple(r) for r in csv.reader(io.StringIO(built))), query.name
        page = (site_build.site / "query" / f"{query.name}.html").read_text(encoding="utf-8")
        count = len(rows) - 1
        assert re.search(rf"\b{count:,} rows?\.", page), query.name
