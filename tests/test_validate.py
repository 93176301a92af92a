"""Validation reports on small stores built in the test: what is validated, what is said."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.errors import InputError, ShapesError
from clustergraph.pipeline.load import load
from clustergraph.pipeline.validate import PathOp, ValidationReport, validate
from clustergraph.project.layout import (
    GRAPH_NS,
    MANIFEST_GRAPH,
    SOURCE_GRAPHS,
    Project,
    derived_graph,
)
from clustergraph.project.vocab import SH
from clustergraph.store import OxigraphStore

PREFIXES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix cg: <https://w3id.org/clustergraph/ontology#> .
@prefix cgsh: <https://w3id.org/clustergraph/shapes#> .
@prefix x: <https://w3id.org/clustergraph/id/x/> .
"""
EX = "http://example.org/"


def ntriples(turtle: str) -> bytes:
    quads = ox.parse((PREFIXES + turtle).encode(), format=ox.RdfFormat.TURTLE)
    return ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b""


def store_of(**graphs: str) -> OxigraphStore:
    """Return a store with one source graph per keyword (stem = Turtle)."""
    store = OxigraphStore()
    store.replace_graphs(
        {SOURCE_GRAPHS + stem.replace("_", "-"): ntriples(t) for stem, t in graphs.items()}
    )
    return store


@pytest.fixture
def shapes(tmp_path: Path):
    """``shapes(turtle)`` writes a shapes file in a project of its own and returns both."""

    def write(turtle: str) -> tuple[Project, Path]:
        path = tmp_path / "ontology" / "shapes.ttl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PREFIXES + turtle, encoding="utf-8")
        return Project(tmp_path), path

    return write


NEEDS_Q = """cgsh:C a sh:NodeShape ; sh:targetClass ex:C ;
    sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:message "needs a q" ] ."""


def test_complex_paths_and_files(shapes) -> None:
    project, path = shapes(
        """[] a sh:NodeShape ; sh:targetClass ex:C ;
           sh:property [ sh:path ( [ sh:inversePath ex:p ] ex:q ) ; sh:minCount 1 ;
                         sh:message "needs a q of its p" ] ."""
    )
    store = store_of(a="x:one a ex:C .", b="ex:other ex:p x:one .")
    report = validate(project, store, shapes=path)
    assert not report.conforms
    (violation,) = report.results
    assert violation.path == PathOp("sequence", (PathOp("inverse", (EX + "p",)), EX + "q"))
    assert violation.files == ("data/sources/a.ttl",)
    assert violation.focus == ox.NamedNode("https://w3id.org/clustergraph/id/x/one")
    assert report.format().splitlines()[-1] == (
        "data/sources/a.ttl: id:x/one ^<http://example.org/p>/<http://example.org/q>: "
        "needs a q of its p [sh:MinCountConstraintComponent]"
    )


def test_files_fall_back_to_graphs_mentioning_the_focus_as_object(shapes) -> None:
    project, path = shapes(
        '[] a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:class ex:Missing ; sh:message "no" .'
    )
    report = validate(project, store_of(a="ex:s ex:p x:only-object ."), shapes=path)
    (violation,) = report.results
    assert violation.files == ("data/sources/a.ttl",)
    assert violation.component == "ClassConstraintComponent"


def test_files_come_from_the_manifest(project_copy: Project, shapes) -> None:
    """A source written as N-Triples is blamed on its own file, as the load recorded it."""
    _, path = shapes(
        "[] a sh:NodeShape ; sh:targetClass cg:Company ; sh:property [ sh:path "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> ; sh:minCount 1 ; sh:message "name" ] .'
    )
    bad = project_copy.sources_dir / "zz-no-label.nt"
    graph = SOURCE_GRAPHS + "zz-no-label"
    bad.write_text(
        f"<{graph}> <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:x:article> .\n"
        "<https://w3id.org/clustergraph/id/org/zz> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/clustergraph/ontology#Company> .\n",
        encoding="utf-8",
    )
    store = OxigraphStore()
    load(project_copy, store)
    report = validate(project_copy, store, shapes=path)
    assert not report.conforms
    blamed = {f for v in report.results for f in v.files}
    assert "data/sources/zz-no-label.nt" in blamed
    assert "data/sources/zz-no-label.ttl" not in blamed


def test_warnings_do_not_break_conformance(shapes) -> None:
    project, path = shapes(
        "[] a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:q ;"
        ' sh:minCount 1 ; sh:severity sh:Warning ; sh:message "q is advised" ] .'
    )
    report = validate(project, store_of(a="x:one a ex:C ."), shapes=path)
    assert report.conforms and report.violations == 0
    lines = report.format().splitlines()
    assert lines[0] == "conforms: 1 result (1 warning) in 1 file"
    assert lines[-1].endswith("[sh:MinCountConstraintComponent] (sh:Warning)")


def test_totals_come_first_and_lines_can_be_capped(shapes) -> None:
    project, path = shapes(
        NEEDS_Q + ' cgsh:D a sh:NodeShape ; sh:targetClass ex:D ; sh:class ex:E ; sh:message "E" .'
    )
    store = store_of(
        a="x:one a ex:C . x:two a ex:C . x:three a ex:C, ex:D .",
        b="x:four a ex:C .",
    )
    report = validate(project, store, shapes=path)
    assert len(report.results) == report.violations == 5
    assert report.totals() == [
        ("cgsh:C <http://example.org/q> sh:MinCountConstraintComponent", 4),
        ("cgsh:D sh:ClassConstraintComponent", 1),
    ]
    lines = report.format(limit=2).splitlines()
    assert lines[0] == "does not conform: 5 results (5 violations) in 2 files"
    assert lines[1].split() == [
        "4",
        "cgsh:C",
        "<http://example.org/q>",
        "sh:MinCountConstraintComponent",
    ]
    assert lines[2].split() == ["1", "cgsh:D", "sh:ClassConstraintComponent"]
    assert len(lines) == 3 + 2 + 1
    assert lines[-1] == "... and 3 more results not shown"
    assert len(report.format().splitlines()) == 3 + 5


def test_derived_facts_and_the_manifest_are_not_validated(shapes) -> None:
    """Shapes constrain what the articles state; derived facts follow from it."""
    project, path = shapes(NEEDS_Q)
    store = store_of(a="x:one a ex:C ; ex:q 1 .")
    source = SOURCE_GRAPHS + "a"
    store.replace_graphs(
        {
            derived_graph(source): ntriples("x:two a ex:C ."),
            MANIFEST_GRAPH: ntriples("x:three a ex:C ."),
        }
    )
    report = validate(project, store, shapes=path)
    assert report.conforms and not report.results
    assert report.graphs == (source,) and report.triples == 2


def test_a_subset_of_graphs_can_be_validated(shapes) -> None:
    project, path = shapes(NEEDS_Q)
    store = store_of(good="x:one a ex:C ; ex:q 1 .", bad="x:two a ex:C .")
    assert not validate(project, store, shapes=path).conforms
    subset = validate(project, store, shapes=path, graphs=[SOURCE_GRAPHS + "good"])
    assert subset.conforms and subset.graphs == (SOURCE_GRAPHS + "good",)


def test_the_focus_keeps_its_blank_node_and_literals_their_form(shapes) -> None:
    project, path = shapes(
        "[] a sh:NodeShape ; sh:targetSubjectsOf ex:n ; sh:property [ sh:path ex:n ;"
        ' sh:datatype <http://www.w3.org/2001/XMLSchema#integer> ; sh:message "integer" ] .'
    )
    report = validate(project, store_of(a='[] ex:n "01"@en .'), shapes=path)
    (violation,) = report.results
    assert isinstance(violation.focus, ox.BlankNode)
    assert violation.value == ox.Literal("01", language="en")
    assert violation.severity == SH.Violation
    assert violation.files == ("data/sources/a.ttl",)


def test_empty_report() -> None:
    assert ValidationReport(conforms=True, results=()).format() == "conforms"


def test_unusable_shapes_raise_shapes_error(shapes, capfd) -> None:
    store = store_of(a="x:one a ex:C .")
    project, path = shapes("[] a sh:NodeShape ; sh:targetClass ex:C ; sh:minCount 1 .")
    with pytest.raises(ShapesError, match="can only be present on a PropertyShape"):
        validate(project, store, shapes=path)
    project, path = shapes(
        '[] a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT !" ] .'
    )
    with pytest.raises(ShapesError, match="SPARQL syntax error"):
        validate(project, store, shapes=path)
    assert capfd.readouterr() == ("", "")


def test_a_malformed_shapes_file_is_named_with_its_line(shapes) -> None:
    project, path = shapes("[] a sh:NodeShape ;\n  sh:targetClass .")
    with pytest.raises(InputError, match=r"^ontology/shapes\.ttl:7:\d+: ") as info:
        validate(project, store_of(a="x:one a ex:C ."), shapes=path)
    assert "\n" not in str(info.value)
    with pytest.raises(InputError, match="no such file"):
        validate(project, store_of(a="x:one a ex:C ."), shapes=path.with_name("absent.ttl"))


def test_the_shapes_graph_is_not_in_the_store(shapes) -> None:
    project, path = shapes(NEEDS_Q)
    store = store_of(a="x:one a ex:C ; ex:q 1 .")
    validate(project, store, shapes=path)
    assert GRAPH_NS + "shapes" not in store.graphs()


def test_shapes_that_do_not_compile_say_so_in_one_line(
    shapes, project_copy: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """The compiler hands such shapes to pySHACL: the report says so, once, and finds the same."""
    from clustergraph.cli.main import main

    project, path = shapes(
        "cgsh:C a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:q ;"
        " sh:node cgsh:TwoR ] .\n"
        "cgsh:TwoR a sh:NodeShape ; sh:property [ sh:path ex:r ; sh:minCount 2 ;"
        ' sh:message "two r" ] .'
    )
    store = store_of(a="x:one a ex:C ; ex:q x:two . x:two ex:r 1 .")
    report = validate(project, store, shapes=path)
    assert not report.conforms and len(report.results) == 1
    (note,) = report.notes
    assert note.startswith("ontology/shapes.ttl: the shapes do not compile to SPARQL (")
    assert "sh:minCount above 1" in note and "validated by pySHACL instead" in note
    assert "\n" not in note
    with pytest.raises(ShapesError, match="cannot be compiled"):
        validate(project, store, shapes=path, engine="sparql")
    # Shapes that compile say nothing of the kind.
    project, path = shapes(NEEDS_Q)
    assert validate(project, store_of(a="x:one a ex:C ."), shapes=path).notes == ()
    # The command line says it on standard error, beside the report.
    project, path = shapes(
        "cgsh:C a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:q ;"
        " sh:node cgsh:TwoR ] .\n"
        "cgsh:TwoR a sh:NodeShape ; sh:property [ sh:path ex:r ; sh:minCount 2 ] ."
    )
    (project_copy.sources_dir / "a.ttl").write_text(
        PREFIXES + f"<{SOURCE_GRAPHS}a> a cg:SourceGraph ; "
        "<http://www.w3.org/ns/prov#wasDerivedFrom> x:article .\n"
        "x:one a ex:C ; ex:q x:two . x:two ex:r 1 .\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    root = str(project_copy.root)
    code = main(["--root", root, "validate", "--shapes", str(path), "--store", "memory:"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.count("the shapes do not compile to SPARQL") == 1, err
