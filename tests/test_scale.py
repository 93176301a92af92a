"""Scale: validation compiled to SPARQL, incremental validation, the bulk load.

Speed is measured in ``benchmarks/`` (``make bench``), never asserted here: these tests
say that the fast paths give the answers the slow ones give.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

from clustergraph.pipeline.load import BULK_THRESHOLD, load
from clustergraph.pipeline.shacl import (
    FOCUS,
    compile_shapes,
    query_neighbourhood,
    restriction,
    walk_neighbourhood,
)
from clustergraph.pipeline.validate import forget, plan, remember, validate
from clustergraph.project.layout import GRAPH_NS, ID_NS, SOURCE_GRAPHS, Project
from clustergraph.rdf.parse import parse_file
from clustergraph.store import OxigraphStore, Store
from tests.conftest import REPO

PREFIXES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix x: <https://w3id.org/clustergraph/id/x/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""
EX = "http://example.org/"
X = "https://w3id.org/clustergraph/id/x/"

# A value of ex:q must be an ex:K: a source's entities may rely on another's types.
SHAPES = """cgsh:C a sh:NodeShape ; sh:targetClass ex:C ;
    sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:maxCount 1 ; sh:class ex:K ;
                  sh:message "needs one q, a K" ] ."""


def _project(root: Path, **sources: str) -> Project:
    """Write a project: an ontology, the shapes above, and a source per keyword."""
    (root / "ontology").mkdir(parents=True, exist_ok=True)
    (root / "data/sources").mkdir(parents=True, exist_ok=True)
    (root / "data/vocab").mkdir(parents=True, exist_ok=True)
    (root / "ontology/clustergraph.ttl").write_text("<urn:o> a <urn:Ontology> .\n")
    (root / "ontology/shapes.ttl").write_text(
        PREFIXES + "@prefix cgsh: <https://w3id.org/clustergraph/shapes#> .\n" + SHAPES
    )
    for stem, turtle in sources.items():
        _source(root, stem, turtle)
    return Project(root)


def _source(root: Path, stem: str, turtle: str) -> None:
    graph = SOURCE_GRAPHS + stem
    text = PREFIXES + f"<{graph}> prov:wasDerivedFrom <urn:article:{stem}> .\n" + turtle
    (root / "data/sources" / f"{stem}.ttl").write_text(text)


def _keys(report: object) -> set[tuple[str, str]]:
    return {(v.focus.value, v.component) for v in report.results}  # type: ignore[attr-defined]


def test_a_change_in_one_source_is_found_where_it_breaks_another(tmp_path: Path) -> None:
    """x:one (source a) points at x:k, typed only by source b; b stops naming x:k."""
    project = _project(tmp_path / "p", a="x:one a ex:C ; ex:q x:k .", b="x:k a ex:K .")
    with OxigraphStore(tmp_path / "store") as store:
        load(project, store)
        assert validate(project, store).conforms
        _source(project.root, "b", "x:other a ex:K .")
        report = load(project, store)
        assert report.loaded == (SOURCE_GRAPHS + "b",)
        assert report.previous is not None and X + "k" in report.previous
        whole = validate(project, store)
        changed = validate(project, store, changed=report.loaded, nodes=report.previous)
        assert _keys(changed) == _keys(whole) == {(X + "one", "ClassConstraintComponent")}
        assert changed.results[0].files == ("data/sources/a.ttl",)


def test_only_the_focus_nodes_of_the_changed_graphs_are_validated(tmp_path: Path) -> None:
    project = _project(
        tmp_path / "p",
        bad="x:two a ex:C .",
        good="x:one a ex:C ; ex:q x:k . x:k a ex:K .",
    )
    store = OxigraphStore()
    load(project, store)
    assert _keys(validate(project, store)) == {(X + "two", "MinCountConstraintComponent")}
    assert validate(project, store, changed=[SOURCE_GRAPHS + "good"]).conforms
    assert not validate(project, store, changed=[SOURCE_GRAPHS + "bad"]).conforms


def test_a_hub_named_by_many_sources_counts_its_values_once(tmp_path: Path) -> None:
    """Every source restates x:k's one q: the union holds it once, not once per source."""
    sources = {f"s{n}": "x:hub a ex:C ; ex:q x:k . x:k a ex:K ." for n in range(30)}
    project = _project(tmp_path / "p", **sources)
    store = OxigraphStore()
    load(project, store)
    report = validate(project, store)
    assert report.conforms and report.triples == 3 + 1 + 30  # the hub, ontology, sources


def test_the_plan_says_what_changed_since_the_store_conformed(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", a="x:one a ex:C ; ex:q x:k .", b="x:k a ex:K .")
    with OxigraphStore(tmp_path / "store") as store:
        first = load(project, store)
        todo = plan(project, store, loaded=first.loaded, previous=first.previous)
        assert todo.changed is None  # no record yet
        remember(project, store)
        assert plan(project, store).nothing
        _source(project.root, "a", "x:one a ex:C ; ex:q x:k ; ex:note 1 .")
        report = load(project, store)
        todo = plan(project, store, loaded=report.loaded, previous=report.previous)
        assert todo.changed == (SOURCE_GRAPHS + "a",)
        assert X + "one" in todo.nodes
        # A change this load did not make (an earlier `clustergraph load`): everything.
        assert plan(project, store).changed is None
        (project.root / "ontology/shapes.ttl").write_text(
            (project.root / "ontology/shapes.ttl").read_text() + "\n# edited\n"
        )
        assert plan(project, store, loaded=report.loaded, previous=report.previous).changed is None
        forget(store)
        assert plan(project, store).changed is None


def test_the_build_validates_again_only_what_changed(tmp_path: Path) -> None:
    from clustergraph.build import STAGES, build

    project = _project(tmp_path / "p", a="x:one a ex:C ; ex:q x:k .", b="x:k a ex:K .")
    stages = [s for s in STAGES if s.name in ("load", "validate")]
    lines: list[str] = []

    class Lines:
        def write(self, text: str) -> None:
            lines.extend(text.splitlines())

        def flush(self) -> None:
            pass

    def validated() -> str:
        lines.clear()
        build(project, stages=stages, stream=Lines(), out=tmp_path / "out")  # type: ignore[arg-type]
        return next(line for line in lines if "validate" in line)

    assert validated().endswith("conforms")
    assert "nothing changed" in validated()
    _source(project.root, "b", "x:k a ex:K ; ex:note 1 .")
    assert validated().endswith("conforms; 1 changed graphs")
    assert "nothing changed" in validated()


def test_the_stages_after_derive_read_a_copy_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clustergraph.build import STAGES, build

    project = _project(tmp_path / "p", a="x:one a ex:C ; ex:q x:k .", b="x:k a ex:K .")
    stages = [s for s in STAGES if s.name in ("load", "validate", "derive", "copy")]
    on_disk = f"oxigraph:{tmp_path / 'store'}"

    def copied(store: str, **options: bool) -> str:
        report = build(
            project, stages=stages, quiet=True, out=tmp_path / "out", store=store, **options
        )
        return {t.name: t.detail for t in report.stages}["copy"]

    assert copied(on_disk).startswith("read on disk: ") and copied(on_disk).endswith("small enough")
    monkeypatch.setattr("clustergraph.build.COPY_FLOOR", 0)
    assert copied(on_disk).startswith("the later stages read a copy in memory (about 0.")
    assert copied(on_disk, memory_copy=False) == "read on disk (no copy asked for)"
    assert copied("memory:") == "read where it is: already in memory"
    with OxigraphStore(tmp_path / "store") as store:
        copy = store.copy_in_memory()
        everything = (None, None, None, None)
        quads = set(store.native.quads_for_pattern(*everything))
        assert set(copy.native.quads_for_pattern(*everything)) == quads
        assert copy.union_current and copy.graphs() == store.graphs()
        assert copy.path is None and store.disk_bytes() > 0 == copy.disk_bytes()


def test_every_shape_of_the_project_compiles() -> None:
    """The project's shapes need no pySHACL: every constraint becomes a query."""
    project = Project(REPO)
    checks = compile_shapes(parse_file(project.shapes_file, graph="urn:shapes"))
    shapes = {c.node_shape for c in checks}
    assert "https://w3id.org/clustergraph/shapes#TimeInstant" in shapes
    assert {c.component for c in checks} >= {
        "MinCountConstraintComponent",
        "SPARQLConstraintComponent",
        "XoneConstraintComponent",
        "UniqueLangConstraintComponent",
    }


def test_restriction_reaches_the_nodes_given() -> None:
    text = restriction([SOURCE_GRAPHS + "a"], [X + "k"])
    assert f"<{X}k>" in text and f"<{SOURCE_GRAPHS}a>" in text
    assert restriction([], []) == "FILTER(false)"


def test_walking_the_store_copies_what_the_queries_copy(store: Store) -> None:
    """An embedded store's neighbourhood is read from its indexes: the same triples."""
    assert isinstance(store, OxigraphStore)
    graphs = [g for g in store.graphs() if g.startswith((SOURCE_GRAPHS, GRAPH_NS + "vocab"))]
    graphs.append(GRAPH_NS + "ontology")
    sources = sorted(g for g in graphs if g.startswith(SOURCE_GRAPHS))
    for changed, nodes in (
        (sources[:1], ()),
        (sources[1:3], (ID_NS + "org/lka", ID_NS + "org/not-in-the-data")),
        ([], (ID_NS + "org/ftd-lt",)),
    ):
        walked, queried = ox.Store(), ox.Store()
        walk_neighbourhood(store.native, walked, graphs, changed, nodes)
        query_neighbourhood(store, queried, graphs, changed, nodes)
        assert set(walked) == set(queried), changed
        assert len(walked) > 100 and any(q.graph_name == ox.NamedNode(FOCUS) for q in walked)


@pytest.mark.slow
def test_the_compiled_shapes_find_what_pyshacl_finds(project_copy: Project) -> None:
    """The failing examples of tests/shapes/ as sources of one project: same results."""
    examples = sorted((REPO / "tests/shapes").glob("*--*.ttl"))
    for path in examples:
        if path.name.startswith("valid--"):
            continue
        triples = [q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        target = project_copy.sources_dir / f"zz-{path.stem.lower()}.nt"
        graph = SOURCE_GRAPHS + target.stem
        target.write_bytes(
            f"<{graph}> <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:x:article> .\n".encode()
            + body
        )
    store = OxigraphStore()
    names = []
    data = {}
    for path in project_copy.dataset_files():
        graph = project_copy.graph_of(path)
        triples = [q.triple for q in ox.parse(path=path, base_iri=graph)]
        data[graph] = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        names.append(graph)
    store.replace_graphs(data)  # without the loader's lexical checks: the shapes see all

    def keys(engine: str) -> set[tuple[object, ...]]:
        report = validate(project_copy, store, engine=engine)
        return {
            (str(v.focus), v.component, str(v.path), v.node_shape, v.files, v.severity)
            for v in report.results
            if not isinstance(v.focus, ox.BlankNode)
        }

    compiled, oracle = keys("sparql"), keys("pyshacl")
    assert compiled == oracle
    assert len(compiled) > 100


def _generate() -> ModuleType:
    if "generate" in sys.modules:
        return sys.modules["generate"]
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks/generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_large_load_goes_through_the_bulk_loader_and_holds_every_triple(
    tmp_path: Path,
) -> None:
    root = tmp_path / "eco"
    _generate().generate(root, triples=2 * BULK_THRESHOLD, seed=3)
    project = Project(root)
    expected = sum(len(parse_file(p, graph=project.graph_of(p))) for p in project.dataset_files())
    with OxigraphStore(tmp_path / "store") as store:
        report = load(project, store)
        assert report.triples == expected > BULK_THRESHOLD
        assert report.previous == ()  # nothing was there before
        counted = sum(store.count(g) for g in report.loaded)
        assert counted == expected
        assert validate(project, store).conforms
        first = sorted(project.sources_dir.glob("*.ttl"))[0]
        first.write_text(first.read_text() + "\n# edited\n")
        again = load(project, store)
        assert again.loaded == (project.graph_of(first),)
        assert again.previous and all("/id/" in n or "/graph/" in n for n in again.previous)
