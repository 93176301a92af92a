"""The ontology's alignments let an OWL 2 RL reasoner derive the shortcut triples."""

from __future__ import annotations

import owlrl
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import ORG, RDF, SDO

from clustergraph.pipeline.load import union_graph
from clustergraph.project.layout import BASE
from clustergraph.project.namespace import CG

ID = BASE + "id/"


def iri(path: str) -> URIRef:
    return URIRef(ID + path)


@pytest.fixture(scope="module")
def closure(dataset: Dataset) -> Graph:
    graph = union_graph(dataset)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics,
        axiomatic_triples=False,
        datatype_axioms=False,
        # owlrl's own datatype checks would stay in rdflib's global converter table and
        # reject valid xsd:gMonthDay values for the rest of the process.
        improved_datatypes=False,
    ).expand(graph)
    return graph


def test_member_of_from_membership_node(closure: Graph) -> None:
    assert (iri("org/ftd-lt"), ORG.memberOf, iri("org/eacn")) in closure
    assert (iri("org/eacn"), ORG.hasMember, iri("org/ftd-lt")) in closure
    assert (iri("org/laugea"), ORG.memberOf, iri("org/lca")) in closure


def test_post_shortcuts(closure: Graph) -> None:
    person = iri("person/giedrius-bagusinskas")
    assert set(closure.objects(person, CG.holdsPostIn)) == {
        iri("org/lcn"),
        iri("org/smart-food-cluster"),
        iri("org/litmea"),
    }
    assert (person, ORG.holds, iri("post/lcn-president-bagusinskas")) in closure


def test_label_level_shortcut(closure: Graph) -> None:
    bronze = iri("label-level/bronze")
    holders = set(closure.subjects(CG.holdsLabelLevel, bronze))
    assert iri("org/ftd-lt") in holders and iri("org/litek") in holders
    assert len(holders) == 11


def test_inverses_and_classes(closure: Graph) -> None:
    assert (
        iri("org/alytus-business-advisory-center"),
        CG.coordinates,
        iri("org/ftd-lt"),
    ) in closure
    assert (iri("org/litek"), CG.participatesIn, iri("project/inolink")) in closure
    assert (iri("org/eacn"), ORG.hasUnit, iri("org/eacn-executive-board")) in closure
    assert (iri("org/lca"), CG.organizes, iri("event/cluster-forum")) in closure
    # subclass alignments reach the reused vocabularies
    assert (iri("org/litek"), RDF.type, ORG.Organization) in closure
    assert (iri("org/aumega"), RDF.type, SDO.Organization) in closure
    assert (iri("person/bruno-grandjean"), RDF.type, SDO.Person) in closure
