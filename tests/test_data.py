"""Integrity of the data files: provenance, self-contained source graphs, faithful names.

These checks need named graphs, which SHACL (run on the union) cannot see; they read the
store the way every command does, graph by graph. They hold for every source, so a new
article is held to them too.
"""

from __future__ import annotations

import re
import unicodedata

import pyoxigraph as ox
import pytest

from clustergraph.pipeline.load import stated_graphs
from clustergraph.project.layout import ID_NS, SOURCE_GRAPHS, VOCAB_GRAPHS, Project
from clustergraph.project.namespace import CG
from clustergraph.project.vocab import PROV, RDF, SKOS, XSD
from clustergraph.store import SelectResult, Store

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


def source_graphs(store: Store) -> list[str]:
    return [g for g in stated_graphs(store) if g.startswith(SOURCE_GRAPHS)]


def kind(iri: str) -> str:
    return iri[len(ID_NS) :].split("/", 1)[0]


def node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def objects(store: Store, subject: str, predicate: str, graph: str | None = None) -> set[str]:
    return {
        q.object.value
        for q in store.quads(node(subject), node(predicate), None, graph)
        if graph is not None or q.graph_name.value.startswith((SOURCE_GRAPHS, VOCAB_GRAPHS))  # type: ignore[union-attr]
    }


def test_each_source_file_is_its_own_graph_and_describes_itself(
    store: Store, project: Project
) -> None:
    graphs = source_graphs(store)
    files = [p for p in project.sources_dir.iterdir() if not p.name.startswith(".")]
    assert len(graphs) == len(files) > 0
    seeds = set()
    for graph in graphs:
        stem = graph[len(SOURCE_GRAPHS) :]
        source = ID_NS + "source/" + stem
        # the graph describes itself and points to the source it was taken from
        assert objects(store, graph, PROV.wasDerivedFrom, graph) == {source}, stem
        assert objects(store, graph, RDF.type, graph) == {CG.SourceGraph}, stem
        assert objects(store, source, RDF.type, graph), stem
        seeds |= objects(store, source, CG.seedFile, graph)
    assert len(seeds) == len(graphs)
    seed_dir = project.root.parent / "shared" / "seeds"
    if seed_dir.is_dir():  # the articles themselves sit beside the checkout
        assert seeds <= {p.name for p in seed_dir.glob("*.txt")}


@pytest.mark.parametrize("entity_kind", ["org", "person", "project", "event", "document", "source"])
def test_every_named_entity_is_typed_and_labelled_in_a_source_graph(
    store: Store, entity_kind: str
) -> None:
    """Organisations, people, projects, events and documents each come from a source."""
    described: set[str] = set()
    for graph in source_graphs(store):
        for quad in store.quads(None, node(RDF.type), None, graph):
            s = quad.subject
            if (
                isinstance(s, ox.NamedNode)
                and s.value.startswith(ID_NS)
                and kind(s.value) == entity_kind
            ):
                assert objects(store, s.value, SKOS.prefLabel, graph), (
                    f"{s} has no label in {graph}"
                )
                described.add(s.value)
    assert described, f"no {entity_kind} entities at all"


def test_source_graphs_are_self_contained(store: Store) -> None:
    """Every entity a source graph mentions is typed and labelled in that same graph.

    So each graph can be read, exported or retracted on its own, and a query over one
    graph sees the names of everything it mentions.
    """
    problems = []
    for graph in source_graphs(store):
        mentioned = set()
        for q in store.quads(graph=graph):
            # A curator's distinction names the other entity without describing it.
            objects_ = (
                (q.subject,) if q.predicate.value == CG.distinctFrom else (q.subject, q.object)
            )
            for term in objects_:
                if isinstance(term, ox.NamedNode) and term.value.startswith(ID_NS):
                    mentioned.add(term.value)
        for iri in sorted(mentioned):
            if kind(iri) in VOCAB_KINDS or kind(iri) in {"time", "figure"}:
                continue
            if not objects(store, iri, RDF.type, graph) or not objects(
                store, iri, SKOS.prefLabel, graph
            ):
                problems.append(f"{graph}: {iri}")
    assert not problems, "\n".join(problems)


def test_vocabulary_terms_used_are_defined(store: Store) -> None:
    """Concepts, places and countries used by the sources exist in data/vocab/."""
    vocab = [g for g in stated_graphs(store) if g.startswith(VOCAB_GRAPHS)]
    result = store.query("SELECT DISTINCT ?s WHERE { ?s a ?type }", graphs=vocab)
    assert isinstance(result, SelectResult)
    defined = {row[0].value for row in result.rows if row[0] is not None}
    missing = set()
    for graph in source_graphs(store):
        for q in store.quads(graph=graph):
            o = q.object
            if isinstance(o, ox.NamedNode) and o.value.startswith(ID_NS):
                if kind(o.value) in VOCAB_KINDS and o.value not in defined:
                    missing.add(o.value)
    assert not missing, sorted(missing)


def test_one_preferred_label_per_language_across_sources(store: Store) -> None:
    """An entity described by several sources keeps one name; other spellings are aliases."""
    labels: dict[tuple[str, str], set[str]] = {}
    for q in store.quads(None, node(SKOS.prefLabel), None):
        assert isinstance(q.object, ox.Literal)
        labels.setdefault((str(q.subject), q.object.language or ""), set()).add(q.object.value)
    clashes = {k: v for k, v in labels.items() if len(v) > 1}
    assert not clashes


def test_names_keep_lithuanian_diacritics(store: Store) -> None:
    names = {q.object.value for q in store.quads(None, node(SKOS.prefLabel), None)}
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


def test_a_day_without_a_year_keeps_no_year(store: Store) -> None:
    announcement = ID_NS + "event/ftd-lt-eacn-announcement"
    dates = {q.object for q in store.quads(node(announcement), node(CG.date), None)}
    assert dates == {ox.Literal("--06-06", datatype=node(XSD.gMonthDay))}
    assert not list(store.quads(node(announcement), node(CG.inferredDate), None))


def test_inferred_years_are_marked_with_a_reason(store: Store) -> None:
    inferred = list(store.quads(None, node(CG.inferredDate), None))
    assert inferred
    for quad in inferred:
        subject = quad.subject
        assert isinstance(subject, ox.NamedNode)
        assert objects(store, subject.value, CG.inferenceNote)
        stated = objects(store, subject.value, CG.date)
        assert len(stated) == 1 and next(iter(stated)).startswith("--")
