"""The benchmark's synthetic ecosystem, ``benchmarks/generate.py``.

It is seeded, article-sized, valid, and knit together by entities that several articles
name. The generator lives outside the package, so it is loaded from its file. These tests need
no fixture of ``conftest.py``.
"""

from __future__ import annotations

import doctest
import importlib.util
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
import pytest

from clustergraph.rdf.parse import parse_file

REPO = Path(__file__).resolve().parents[1]
SOURCE_GRAPHS = "https://w3id.org/clustergraph/graph/source/"
GRAPHS = "https://w3id.org/clustergraph/graph/"
SH = "http://www.w3.org/ns/shacl#"


def _module(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


generate = _module("generate")


@pytest.fixture(scope="module")
def eco(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any]]:
    """Generate a project of 10,000 triples (50 articles), seed 5."""
    root = tmp_path_factory.mktemp("eco") / "project"
    summary = generate.generate(root, triples=10_000, seed=5)
    yield root, summary


def _store(root: Path) -> ox.Store:
    """Load a generated project into a memory store: one named graph per file, strictly."""
    store = ox.Store()
    files = [(root / "ontology" / "clustergraph.ttl", GRAPHS + "ontology")]
    files += [(p, GRAPHS + "vocab/" + p.stem) for p in sorted((root / "data/vocab").glob("*.ttl"))]
    files += [(p, SOURCE_GRAPHS + p.stem) for p in sorted((root / "data/sources").glob("*.ttl"))]
    for path, graph in files:
        name = ox.NamedNode(graph)
        triples = parse_file(path, graph=graph)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    return store


@pytest.fixture(scope="module")
def union(eco: tuple[Path, Any]) -> ox.Store:
    """Load the project of :func:`eco` into a memory store."""
    return _store(eco[0])


def _select(store: ox.Store, text: str) -> list[tuple[str, ...]]:
    solutions = store.query(text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    assert not isinstance(solutions, ox.QueryBoolean)
    names = [v.value for v in solutions.variables]
    return [tuple(s[n].value if s[n] is not None else "" for n in names) for s in solutions]


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_docstring_examples() -> None:
    result = doctest.testmod(generate, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    first = generate.generate(tmp_path / "a", triples=3_000, seed=11)
    again = generate.generate(tmp_path / "b", triples=3_000, seed=11)
    other = generate.generate(tmp_path / "c", triples=3_000, seed=12)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert first.sources_sha256 == again.sources_sha256 != other.sources_sha256
    assert generate.sources_digest(tmp_path / "a") == first.sources_sha256
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_a_project_every_command_can_run_on(eco: tuple[Path, Any]) -> None:
    root, summary = eco
    for rel in (
        "ontology/clustergraph.ttl",
        "ontology/shapes.ttl",
        "data/vocab/roles.ttl",
        "queries/members-of-organisation.rq",
        "queries/checks/untyped-reference.rq",
    ):
        assert (root / rel).read_bytes() == (REPO / rel).read_bytes(), rel
    assert len(list((root / "data/sources").glob("*.ttl"))) == summary.sources == 50


def test_about_200_triples_per_file_each_parsed_strictly(eco: tuple[Path, Any]) -> None:
    root, summary = eco
    counts = []
    for path in sorted((root / "data/sources").glob("*.ttl")):
        triples = parse_file(path, graph=SOURCE_GRAPHS + path.stem)
        counts.append(len(set(triples)))
    assert sum(counts) == summary.source_triples
    assert 185 <= statistics.mean(counts) <= 215
    assert min(counts) >= 140 and max(counts) <= 330


def test_each_file_is_an_article_with_its_graph_node(
    union: ox.Store, eco: tuple[Path, Any]
) -> None:
    root, summary = eco
    rows = _select(
        union,
        """
        PREFIX cg: <https://w3id.org/clustergraph/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?g ?source ?subject WHERE {
            GRAPH ?g { ?g a cg:SourceGraph ; prov:wasDerivedFrom ?source .
                       ?source a ?kind ; cg:seedFile ?file ; dcterms:title ?title ;
                               dcterms:subject ?subject .
                       ?subject a ?type . }
            VALUES ?kind { cg:NewsArticle cg:ProfilePage cg:GoodPracticeDescription }
        }""",
    )
    graphs = {g for g, _source, _subject in rows}
    assert len(graphs) == summary.sources
    assert all(s.endswith("/id/source/" + g.rsplit("/", 1)[1]) for g, s, _ in rows)


def test_articles_reuse_organisations_and_hubs_emerge(
    union: ox.Store, eco: tuple[Path, Any]
) -> None:
    _root, summary = eco
    assert 0.25 <= summary.reuse_share <= 0.45
    rows = _select(
        union,
        """
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?o (COUNT(DISTINCT ?g) AS ?n) WHERE {
            GRAPH ?g { ?o a ?type }
            ?type rdfs:subClassOf* org:Organization .
            FILTER(STRSTARTS(STR(?g), "https://w3id.org/clustergraph/graph/source/"))
        } GROUP BY ?o""",
    )
    articles = sorted((int(n) for _o, n in rows), reverse=True)
    several = sum(1 for n in articles if n > 1)
    assert several >= 0.1 * len(articles)  # organisations named by several articles
    assert articles[0] >= 0.15 * summary.sources  # a hub
    assert articles[0] >= 5 * statistics.median(articles)  # a skewed distribution
    # The seed graph's hubs exist, so the library's default parameters name something.
    named = {o for o, _n in rows}
    for slug in ("lca", "mita", "eacn", "ftd-lt", "laugea"):
        assert f"https://w3id.org/clustergraph/id/org/{slug}" in named
    person = "https://w3id.org/clustergraph/id/person/giedrius-bagusinskas"
    assert _select(union, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{person}> ?p ?o }} }} LIMIT 1")


def test_labels_keep_diacritics_and_some_have_aliases(union: ox.Store) -> None:
    rows = _select(
        union,
        """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?label WHERE { ?s skos:prefLabel ?label FILTER(LANG(?label) = "lt") }""",
    )
    assert any(any(c in label for c in "ąčęėįšųūž") for (label,) in rows)
    assert _select(
        union,
        """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?s WHERE { ?s skos:altLabel ?a } LIMIT 1""",
    )


def test_what_a_shape_allows_once_is_stated_once_across_articles(union: ox.Store) -> None:
    shapes = ox.Store()
    shapes.load(path=REPO / "ontology" / "shapes.ttl", format=ox.RdfFormat.TURTLE)
    found = shapes.query(
        f"SELECT DISTINCT ?path WHERE {{ ?shape <{SH}path> ?path ; <{SH}maxCount> 1 "
        "FILTER(isIRI(?path)) }"
    )
    assert isinstance(found, ox.QuerySolutions)
    functional = sorted(s["path"].value for s in found)
    assert len(functional) > 20
    values = " ".join(f"<{p}>" for p in functional)
    clashes = _select(
        union,
        f"""
        SELECT ?s ?p ?a ?b WHERE {{
            VALUES ?p {{ {values} }}
            ?s ?p ?a , ?b . FILTER(STR(?a) < STR(?b))
        }} LIMIT 5""",
    )
    assert clashes == []
    labels = _select(
        union,
        """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?s ?a ?b WHERE { ?s skos:prefLabel ?a , ?b
            FILTER(LANG(?a) = LANG(?b) && STR(?a) < STR(?b)) } LIMIT 5""",
    )
    assert labels == []


def test_the_checks_of_the_query_library_return_no_rows(tmp_path: Path) -> None:
    # A small project: one check (source-graph-without-derivation) takes seconds at 10k.
    generate.generate(tmp_path, triples=2_000, seed=5)
    union = _store(tmp_path)
    for path in sorted((REPO / "queries" / "checks").glob("*.rq")):
        rows = _select(union, path.read_text(encoding="utf-8"))
        assert rows == [], f"{path.stem}: {rows[:3]}"


def test_look_alikes_are_said_to_be_distinct_so_the_duplicate_check_is_silent(
    union: ox.Store,
) -> None:
    # Made-up names that look like earlier ones are drawn again; namesakes, and names made
    # of others (a working group, an announcement), say cg:distinctFrom with a note.
    from clustergraph.pipeline.curation_checks import probable_duplicates
    from clustergraph.store.oxigraph import OxigraphStore

    store = OxigraphStore()
    store.bulk_extend(union.quads_for_pattern(None, None, None, None))
    assert probable_duplicates(store).rows == ()
    noted = _select(
        union,
        """
        PREFIX cg: <https://w3id.org/clustergraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?a ?b ?note WHERE { GRAPH ?g { ?a cg:distinctFrom ?b ; skos:editorialNote ?note } }
        """,
    )
    assert noted  # 50 articles already name namesakes


def test_an_edit_adds_valid_facts_about_the_subject(tmp_path: Path) -> None:
    generate.generate(tmp_path, triples=600, seed=2)
    path = tmp_path / "data/sources/article-00002.ttl"
    before = len(set(parse_file(path, graph=SOURCE_GRAPHS + path.stem)))
    added = generate.edit_source(path, change=3)
    after = parse_file(path, graph=SOURCE_GRAPHS + path.stem)
    assert len(set(after)) == before + added
    fresh = generate.generate(tmp_path / "fresh", triples=600, seed=2)
    assert generate.sources_digest(tmp_path) != fresh.sources_sha256


@pytest.mark.slow
def test_the_data_conforms_to_the_shapes(eco: tuple[Path, Any]) -> None:
    """pySHACL, as the validate stage runs it, on the ontology, vocabularies and 50 articles."""
    import pyshacl
    import rdflib

    root, _summary = eco
    data = rdflib.Graph()
    data.parse(root / "ontology" / "clustergraph.ttl", format="turtle")
    for path in sorted((root / "data" / "vocab").glob("*.ttl")):
        data.parse(path, format="turtle")
    for path in sorted((root / "data" / "sources").glob("*.ttl")):
        data.parse(path, format="turtle")
    shapes = rdflib.Graph().parse(root / "ontology" / "shapes.ttl", format="turtle")
    conforms, _results, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    assert conforms, text[:3000]


# The benchmark's harness (benchmarks/bench_scale.py): what a step reports.

bench = _module("bench_scale")


def test_bench_docstring_examples() -> None:
    result = doctest.testmod(bench, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_a_bench_step_is_timed_and_its_lines_too() -> None:
    done = bench.run(
        [sys.executable, "-c", "print('loaded'); import time; time.sleep(0.3); print('done')"],
        timeout=60,
        max_rss_mb=4096,
    )
    assert done.ok and [line for _t, line in done.lines] == ["loaded", "done"]
    assert done.peak_mb > 1 and done.cpu is not None
    loaded = done.at(bench.re.compile("loaded"))
    assert loaded is not None and loaded + 0.2 < done.seconds


def test_a_bench_step_that_fails_overruns_or_grows_is_stopped_and_said_so() -> None:
    failed = bench.run(
        [sys.executable, "-c", "import sys; sys.exit('clustergraph: error: bad')"],
        timeout=60,
        max_rss_mb=4096,
    )
    assert failed.ended == "failed" and failed.returncode == 1
    assert failed.verdict() == "failed (exit 1): clustergraph: error: bad"
    slow = bench.run(
        [sys.executable, "-c", "import time; time.sleep(60)"], timeout=0.5, max_rss_mb=4096
    )
    assert slow.ended == "timeout" and slow.seconds < 10
    big = bench.run(
        [sys.executable, "-c", "x = b'x' * (400 * 2**20); import time; time.sleep(60)"],
        timeout=30,
        max_rss_mb=200,
    )
    assert big.ended == "memory" and big.seconds < 20


def test_the_bench_reads_the_library_defaults() -> None:
    queries = {q.name: q for q in bench.read_library(REPO)}
    assert "checks/untyped-reference" in queries and queries["checks/untyped-reference"].is_check
    members = queries["members-of-organisation"]
    assert members.bindings["org"]["value"] == "https://w3id.org/clustergraph/id/org/eacn"
    assert all(not q.problem for q in queries.values())


def test_the_bench_times_the_analysis_in_parts(eco: tuple[Path, Any], tmp_path: Path) -> None:
    import json

    from clustergraph.pipeline.load import load
    from clustergraph.project.layout import Project
    from clustergraph.store import open_store

    location = tmp_path / "store"
    store = open_store(f"oxigraph:{location}")
    try:
        load(Project(eco[0]), store)
    finally:
        store.close()
    found = bench._worker_analysis({"store": str(location), "network": "actors"})
    assert found["network"] == "actors" and found["nodes"] > 100 and found["edges"] > 100
    assert all(found[part] >= 0 for part in ("read", "project", "measure"))
    run = bench.Run(["analysis"], seconds=1.0, lines=[(1.0, json.dumps(found))])
    reading, projecting, measuring = bench._analysis_rows(run)
    assert reading.seconds == found["read"] and projecting.seconds == found["project"]
    assert measuring.step.startswith(f"analysis › measuring the {found['nodes']:,}-node")
    assert measuring.target == "≤ 10 s" and measuring.note.startswith("betweenness")
    assert measuring.verdict() == ("meets" if found["measure"] <= 10 else "misses")
    failed = bench.Run(["analysis"], ended="failed", returncode=1, message="boom")
    assert [r.verdict() for r in bench._analysis_rows(failed)] == ["failed (exit 1): boom"]
    (silent,) = bench._analysis_rows(bench.Run(["analysis"], seconds=1.0))
    assert silent.note == "it printed no figures"


def test_a_cached_ecosystem_gets_the_queries_and_ontology_as_they_are_now(
    eco: tuple[Path, Any], tmp_path: Path
) -> None:
    import shutil

    cache = tmp_path / "cache"
    root = cache / "eco-10k-seed5"
    shutil.copytree(eco[0], root)
    stale = root / "queries" / "organisation-network.rq"
    stale.write_text("# an older version of the query\n", encoding="utf-8")
    (root / "ontology" / "clustergraph.ttl").write_text("# older\n", encoding="utf-8")
    settings = bench.Settings(
        seed=5, timeout=60, query_timeout=60, max_rss_mb=4096, raw_repeat=1,
        skip=frozenset(), cache=cache, results=tmp_path / "results", work=tmp_path,
        keep=False, python=sys.executable, cli=[],
    )  # fmt: skip
    size = bench.SizeBench(10_000, settings)
    size.generate()
    assert size.runs["generate"].message == "cached"  # the sources were not generated again
    for path in ("queries/organisation-network.rq", "ontology/clustergraph.ttl"):
        assert (root / path).read_bytes() == (REPO / path).read_bytes(), path


_PERIODS = """
PREFIX cg: <https://w3id.org/clustergraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX time: <http://www.w3.org/2006/time#>
SELECT DISTINCT ?x ?i ?role ?t ?dt WHERE {
  VALUES (?c ?p) {
    (cg:Membership org:memberDuring) (cg:Post cg:heldDuring)
    (cg:ExcellenceLabelAward cg:validDuring) (cg:Project cg:period)
    (cg:FundingProgramme cg:period)
  }
  ?x a ?c .
  OPTIONAL {
    ?x ?p ?i .
    OPTIONAL {
      VALUES ?role { time:hasBeginning time:hasEnd time:inside }
      ?i ?role ?t .
      OPTIONAL {
        ?t time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?v BIND(DATATYPE(?v) AS ?dt)
      }
    }
  }
}"""

_PRECISION = {"date": "day", "gYearMonth": "month", "gYear": "year"}


def _periods(store: ox.Store) -> tuple[int, int, dict[str, int], dict[str, int]]:
    """Count records that may have a period, those that have one, their shapes, their precision."""
    rows = _select(store, _PERIODS)
    records = {r[0] for r in rows}
    roles: dict[str, set[str]] = {}
    precision = dict.fromkeys(_PRECISION.values(), 0)
    for x, interval, role, _t, dt in rows:
        if interval:
            roles.setdefault(x, set())
        if role:
            roles[x].add(role.rsplit("#", 1)[1])
            precision[_PRECISION[dt.rsplit("#", 1)[1]]] += 1
    shapes = dict.fromkeys(generate.SHAPES_SEEN, 0)
    for found in roles.values():
        shape = (
            "from and until"
            if {"hasBeginning", "hasEnd"} <= found
            else "since"
            if "hasBeginning" in found
            else "until"
            if "hasEnd" in found
            else "held on a day"
        )
        shapes[shape] += 1
    return len(records), len(roles), shapes, precision


def test_the_generator_counts_the_periods_of_the_five_articles() -> None:
    """What the generator says the five articles show is what they show."""
    from tests.conftest import seed_stems

    store = ox.Store()
    for stem in seed_stems():
        graph = SOURCE_GRAPHS + stem
        triples = parse_file(REPO / "data" / "sources" / f"{stem}.ttl", graph=graph)
        store.extend(
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in triples
        )
    records, dated, shapes, precision = _periods(store)
    assert (records, dated) == generate.PERIODS_SEEN
    assert shapes == generate.SHAPES_SEEN
    assert precision == generate.PRECISION_SEEN


def test_generated_periods_follow_the_five_articles(union: ox.Store) -> None:
    """About a fifth of the records have a period; every shape and precision occurs."""
    records, dated, shapes, precision = _periods(union)
    assert 0.12 < dated / records < 0.27, (dated, records)
    assert all(shapes.values()), shapes
    assert all(precision.values()), precision
    # the shapes the articles show most are the most frequent here too
    assert shapes["held on a day"] > shapes["until"]
    assert precision["day"] > precision["month"] and precision["year"] > precision["month"]
