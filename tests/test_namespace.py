"""The closed CG namespace matches the ontology, and is generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from clustergraph.project import namespace
from clustergraph.project.layout import CG_NS, ONTOLOGY_GRAPH
from clustergraph.rdf.codegen import main as codegen_main
from clustergraph.rdf.codegen import render_namespace
from clustergraph.rdf.parse import parse_file
from clustergraph.rdf.terms import to_rdflib_graph

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
    return {URIRef(CG_NS + name) for name in namespace.CG}


def test_cg_has_exactly_the_terms_the_ontology_defines(ontology):
    rows = ontology.query(DEFINING_TYPES_QUERY, initNs={"cg": URIRef(CG_NS)})
    defined = {row[0] for row in rows}
    assert defined, "the ontology defines no cg: terms"
    assert cg_terms() == defined


def test_every_term_is_its_iri():
    for name in namespace.CG:
        assert namespace.CG[name] == CG_NS + name
        assert namespace.CG[name] in namespace.CG
    assert namespace.CG.Cluster == CG_NS + "Cluster"
    assert isinstance(namespace.CG.Cluster, str)


def test_namespace_is_closed():
    with pytest.raises(AttributeError):
        _ = namespace.CG.NoSuchTerm
    with pytest.raises(AttributeError):
        _ = namespace.CG["NoSuchTerm"]
    assert CG_NS + "NoSuchTerm" not in namespace.CG
    with pytest.raises(TypeError):
        namespace.CG()


def test_rendering_reproduces_the_module(project):
    ontology = to_rdflib_graph(parse_file(project.ontology_file, graph=ONTOLOGY_GRAPH))
    committed = Path(namespace.__file__).read_text(encoding="utf-8")
    assert render_namespace(ontology) == committed, (
        "namespace.py is out of date: run make namespace"
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
    assert '    Thing = CG_NS + "Thing"\n' in source
    assert '    _extras = ("class", "has-dash")\n' in source
    assert "Other" not in source
    scope: dict[str, object] = {}
    exec(compile(source, "namespace.py", "exec"), scope)
    generated = scope["CG"]
    assert generated["class"] == CG_NS + "class"  # type: ignore[index]
    assert set(generated) == {"Thing", "class", "has-dash"}  # type: ignore[call-overload]
