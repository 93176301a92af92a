"""The closed CG namespace matches the ontology, and is generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from clustergraph.project import namespace
from clustergraph.pipeline.load import load_file
from clustergraph.rdf.codegen import main as codegen_main
from clustergraph.rdf.codegen import render_namespace
from clustergraph.project.layout import CG_NS, ONTOLOGY_GRAPH

DEFINING_TYPES_QUERY = """
SELECT DISTINCT ?term WHERE {
    ?term a ?type .
    FILTER (isIRI(?term) && STRSTARTS(STR(?term), STR(cg:)) && STR(?term) != STR(cg:))
}
"""


@pytest.fixture(scope="module")
def ontology(project) -> Graph:
    """Parse the ontology file with rdflib itself."""
    return Graph().parse(project.ontology_file, format="turtle")


def cg_terms() -> set[URIRef]:
    names = set(namespace.CG.__annotations__) | set(namespace.CG._extras)
    return {URIRef(CG_NS + name) for name in names}


def test_cg_has_exactly_the_terms_the_ontology_defines(ontology):
    rows = ontology.query(DEFINING_TYPES_QUERY, initNs={"cg": URIRef(CG_NS)})
    defined = {row[0] for row in rows}
    assert defined, "the ontology defines no cg: terms"
    assert cg_terms() == defined


def test_every_attribute_is_its_iri():
    for name in namespace.CG.__annotations__:
        assert getattr(namespace.CG, name) == URIRef(CG_NS + name)
    for name in namespace.CG._extras:
        assert namespace.CG[name] == URIRef(CG_NS + name)


def test_namespace_is_closed():
    with pytest.raises(AttributeError):
        _ = namespace.CG.NoSuchTerm
    with pytest.raises(AttributeError):
        _ = namespace.CG["NoSuchTerm"]


def test_id_namespace():
    assert namespace.ID["cluster/x"] == URIRef("https://w3id.org/clustergraph/id/cluster/x")


def test_rendering_reproduces_the_module(project):
    ontology = load_file(project.ontology_file, graph=ONTOLOGY_GRAPH)
    committed = Path(namespace.__file__).read_text(encoding="utf-8")
    assert render_namespace(ontology) == committed, (
        "src/clustergraph/project/namespace.py is out of date: run python -m clustergraph.rdf.codegen"
    )


def test_codegen_check_and_write(project, tmp_path, capsys):
    output = tmp_path / "namespace.py"
    args = ["--root", str(project.root), "--output", str(output)]
    assert codegen_main([*args, "--check"]) == 1
    assert codegen_main(args) == 0
    assert output.read_text(encoding="utf-8") == Path(namespace.__file__).read_text("utf-8")
    assert codegen_main([*args, "--check"]) == 0
    capsys.readouterr()


def test_render_puts_python_keywords_in_extras():
    graph = Graph().parse(
        format="turtle",
        data=f"""
        @prefix cg: <{CG_NS}> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        cg:Thing a owl:Class .
        cg:class a owl:ObjectProperty .
        cg:has-dash a owl:DatatypeProperty .
        <http://example.org/Other> a owl:Class .
        """,
    )
    source = render_namespace(graph)
    assert "    Thing: URIRef\n" in source
    assert '        "class",\n' in source
    assert '        "has-dash",\n' in source
    assert "Other" not in source
    scope: dict[str, object] = {}
    exec(compile(source, "namespace.py", "exec"), scope)
    generated = scope["CG"]
    assert generated["class"] == URIRef(CG_NS + "class")  # type: ignore[index]
