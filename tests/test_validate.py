"""Validation reports on small datasets built in the test."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, URIRef

from clustergraph.errors import ShapesError
from clustergraph.pipeline.validate import PathOp, ValidationReport, validate

PREFIXES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix cg: <https://w3id.org/clustergraph/ontology#> .
@prefix x: <https://w3id.org/clustergraph/id/x/> .
"""


def ex(name: str) -> URIRef:
    return URIRef("http://example.org/" + name)


def dataset(**files: str) -> Dataset:
    """Build a dataset with one source graph per keyword (stem = Turtle)."""
    ds = Dataset(default_union=True)
    for stem, turtle in files.items():
        iri = f"https://w3id.org/clustergraph/graph/source/{stem.replace('_', '-')}"
        ds.graph(iri).parse(format="turtle", data=PREFIXES + turtle)
    return ds


def shapes(turtle: str) -> Graph:
    return Graph().parse(format="turtle", data=PREFIXES + turtle)


def test_complex_paths_and_files():
    ds = dataset(a="x:one a ex:C .", b="ex:other ex:p x:one .")
    report = validate(
        ds,
        shapes=shapes(
            """[] a sh:NodeShape ; sh:targetClass ex:C ;
               sh:property [ sh:path ( [ sh:inversePath ex:p ] ex:q ) ; sh:minCount 1 ;
                             sh:message "needs a q of its p" ] ."""
        ),
    )
    assert not report.conforms
    (violation,) = report.results
    assert violation.path == PathOp("sequence", (PathOp("inverse", (ex("p"),)), ex("q")))
    assert violation.files == ("data/sources/a.ttl",)
    assert report.format() == (
        "data/sources/a.ttl: x:one ^ex:p/ex:q: needs a q of its p [sh:MinCountConstraintComponent]"
    )


def test_files_fall_back_to_graphs_mentioning_the_focus_as_object():
    ds = dataset(a="ex:s ex:p x:only-object .")
    report = validate(
        ds,
        shapes=shapes(
            "[] a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:class ex:Missing ;"
            ' sh:message "wrong class" .'
        ),
    )
    (violation,) = report.results
    assert violation.files == ("data/sources/a.ttl",)
    assert violation.component == "ClassConstraintComponent"


def test_warnings_do_not_break_conformance():
    ds = dataset(a="x:one a ex:C .")
    report = validate(
        ds,
        shapes=shapes(
            "[] a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:q ;"
            ' sh:minCount 1 ; sh:severity sh:Warning ; sh:message "q is advised" ] .'
        ),
    )
    assert report.conforms
    assert report.format().endswith("[sh:MinCountConstraintComponent] (sh:Warning)")


def test_empty_report():
    assert ValidationReport(conforms=True, results=()).format() == "conforms"


def test_unusable_shapes_raise_shapes_error(capfd):
    ds = dataset(a="x:one a ex:C .")
    with pytest.raises(ShapesError, match="can only be present on a PropertyShape"):
        validate(ds, shapes=shapes("[] a sh:NodeShape ; sh:targetClass ex:C ; sh:minCount 1 ."))
    with pytest.raises(ShapesError, match="SPARQL syntax error"):
        validate(
            ds,
            shapes=shapes(
                '[] a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT !" ] .'
            ),
        )
    assert capfd.readouterr() == ("", "")
