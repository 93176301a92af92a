"""Integrity of the data files: provenance, self-contained source graphs, faithful names.

These checks need named graphs, which SHACL (run on the union) cannot see.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS, XSD

from clustergraph.pipeline.load import named_graphs
from clustergraph.project.layout import BASE, Project
from clustergraph.project.namespace import CG

SOURCE_GRAPH_NS = BASE + "graph/source/"
VOCAB_GRAPH_NS = BASE + "graph/vocab/"
ID_NS = BASE + "id/"
# Kinds of IRIs minted in the reference vocabularies rather than in source graphs.
VOCAB_KINDS = {
    "sector",
    "role",
    "right",
    "selection",
    "label-level",
    "legal-form",
    "country",
    "measure",
    "comparator",
    "frequency",
    "scheme",
    "place",
}


def _source_graphs(dataset: Dataset) -> list[Graph]:
    return [g for g in named_graphs(dataset) if str(g.identifier).startswith(SOURCE_GRAPH_NS)]


def _kind(iri: URIRef) -> str:
    return str(iri)[len(ID_NS) :].split("/", 1)[0]


def test_five_sources_each_in_its_own_graph(dataset: Dataset, project: Project) -> None:
    graphs = _source_graphs(dataset)
    assert len(graphs) == len(list((project.root / "data/sources").glob("*.ttl"))) == 5
    seeds = set()
    for g in graphs:
        stem = str(g.identifier)[len(SOURCE_GRAPH_NS) :]
        source = URIRef(ID_NS + "source/" + stem)
        # the graph describes itself and points to the source it was taken from
        assert set(g.objects(g.identifier, PROV.wasDerivedFrom)) == {source}, stem
        assert (g.identifier, RDF.type, CG.SourceGraph) in g
        assert any(g.triples((source, RDF.type, None))), stem
        seeds |= {str(s) for s in g.objects(source, CG.seedFile)}
    assert len(seeds) == len(graphs)
    seed_dir = project.root.parent / "shared" / "seeds"
    if seed_dir.is_dir():  # the articles themselves sit beside the checkout
        assert seeds == {p.name for p in seed_dir.glob("*.txt")}


@pytest.mark.parametrize("kind", ["org", "person", "project", "event", "document", "source"])
def test_every_named_entity_is_typed_and_labelled_in_a_source_graph(
    dataset: Dataset, kind: str
) -> None:
    """Organisations, people, projects, events and documents each come from a source."""
    described: set[URIRef] = set()
    for g in _source_graphs(dataset):
        for s in g.subjects(RDF.type, None):
            if isinstance(s, URIRef) and str(s).startswith(ID_NS) and _kind(s) == kind:
                assert g.value(s, SKOS.prefLabel) is not None, f"{s} has no label in {g.identifier}"
                described.add(s)
    assert described, f"no {kind} entities at all"


def test_source_graphs_are_self_contained(dataset: Dataset) -> None:
    """Every entity a source graph mentions is typed and labelled in that same graph.

    So each graph can be read, exported or retracted on its own, and a query over one
    graph sees the names of everything it mentions.
    """
    problems = []
    for g in _source_graphs(dataset):
        mentioned = {
            o for o in g.objects() if isinstance(o, URIRef) and str(o).startswith(ID_NS)
        } | {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(ID_NS)}
        for iri in sorted(mentioned):
            if _kind(iri) in VOCAB_KINDS or _kind(iri) in {"time", "figure"}:
                continue
            if (iri, RDF.type, None) not in g or (iri, SKOS.prefLabel, None) not in g:
                problems.append(f"{g.identifier}: {iri}")
    assert not problems, "\n".join(problems)


def test_vocabulary_terms_used_are_defined(dataset: Dataset) -> None:
    """Concepts, places and countries used by the sources exist in data/vocab/."""
    vocab = Graph()
    for g in named_graphs(dataset):
        if str(g.identifier).startswith(VOCAB_GRAPH_NS):
            vocab += g
    missing = set()
    for g in _source_graphs(dataset):
        for o in g.objects():
            if isinstance(o, URIRef) and str(o).startswith(ID_NS) and _kind(o) in VOCAB_KINDS:
                if (o, RDF.type, None) not in vocab:
                    missing.add(str(o))
    assert not missing, sorted(missing)


def test_one_preferred_label_per_language_across_sources(dataset: Dataset) -> None:
    """An entity described by several sources keeps one name; other spellings are aliases."""
    labels: dict[tuple[URIRef, str], set[str]] = {}
    for g in named_graphs(dataset):
        for s, o in g.subject_objects(SKOS.prefLabel):
            assert isinstance(o, Literal)
            labels.setdefault((s, o.language or ""), set()).add(str(o))
    clashes = {k: v for k, v in labels.items() if len(v) > 1}
    assert not clashes


def test_names_keep_lithuanian_diacritics(dataset: Dataset) -> None:
    names = {str(o) for o in dataset.objects(None, SKOS.prefLabel)}
    for name in [
        "Algimanta Ščiglinskienė",
        "Giedrius Bagušinskas",
        "Irmina Valytė",
        "Kęstutis Šetkus",
        "Julius Paužolis",
        "Mindaugas Sinkevičius",
        "MB Išmanūs inžineriniai sprendimai",
        "UAB Termosnaigė ir ko",
    ]:
        assert name in names
        assert unicodedata.is_normalized("NFC", name)
    ascii_folded = {n for n in names if re.fullmatch(r"Sciglinskiene|Bagusinskas", n)}
    assert not ascii_folded


def test_a_day_without_a_year_keeps_no_year(dataset: Dataset) -> None:
    announcement = URIRef(ID_NS + "event/ftd-lt-eacn-announcement")
    assert set(dataset.objects(announcement, CG.date)) == {
        Literal("--06-06", datatype=XSD.gMonthDay)
    }
    assert (announcement, CG.inferredDate, None) not in dataset


def test_inferred_years_are_marked_with_a_reason(dataset: Dataset) -> None:
    inferred = list(dataset.subject_objects(CG.inferredDate))
    assert inferred
    for subject, _ in inferred:
        assert dataset.value(subject, CG.inferenceNote) is not None
        stated = dataset.value(subject, CG.date)
        assert stated is not None and str(stated).startswith("--")
