"""Derived facts: rules compiled from the ontology, run in the store, one graph per source.

owlrl is the oracle: the union of the derived graphs equals the OWL 2 RL closure that
owlrl computes, kept by the same filter.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.pipeline.derive import (
    KEPT_CLASS_NAMESPACES,
    KEPT_PREDICATE_NAMESPACES,
    METHOD,
    DeriveReport,
    Rules,
    Step,
    derive,
    read_rules,
)
from clustergraph.pipeline.load import load, stated_graphs
from clustergraph.project.layout import (
    ACROSS_SOURCES_GRAPH,
    CG_NS,
    ID_NS,
    MANIFEST_GRAPH,
    ONTOLOGY_GRAPH,
    SOURCE_GRAPHS,
    VOCAB_GRAPHS,
    Project,
    derived_graph,
    is_derived_graph,
    is_stated_graph,
)
from clustergraph.project.namespace import CG
from clustergraph.project.vocab import FOAF, ORG, OWL, PROV, RDF, RDFS, SCHEMA
from clustergraph.store import OxigraphStore, SelectResult, Store, open_store

REPO = Path(__file__).resolve().parents[1]

TURTLE_PREFIXES = f"""\
@prefix cg:     <{CG_NS}> .
@prefix org:    <{ORG}> .
@prefix owl:    <{OWL}> .
@prefix prov:   <{PROV}> .
@prefix rdfs:   <{RDFS}> .
@prefix schema: <{SCHEMA}> .
@prefix o:    <{ID_NS}org/> .
@prefix per:  <{ID_NS}person/> .
@prefix mem:  <{ID_NS}membership/> .
@prefix post: <{ID_NS}post/> .
@prefix src:  <{ID_NS}source/> .
"""

Triple = tuple[str, str, str]


def e(path: str) -> str:
    """Return an entity IRI: ``e("org/lcn")``."""
    return ID_NS + path


def source(stem: str) -> str:
    return SOURCE_GRAPHS + stem


def ntriples(turtle: str) -> bytes:
    triples = ox.parse(TURTLE_PREFIXES + turtle, format=ox.RdfFormat.TURTLE)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def ontology() -> bytes:
    triples = ox.parse(path=str(REPO / "ontology" / "clustergraph.ttl"))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def small_store(sources: Mapping[str, str], *, axioms: str | None = None) -> Store:
    """Return a memory store of the repository's ontology (or ``axioms``) and sources."""
    store = open_store("memory:")
    data = {ONTOLOGY_GRAPH: ontology() if axioms is None else ntriples(axioms)}
    data.update({source(stem): ntriples(text) for stem, text in sources.items()})
    store.replace_graphs(data)
    return store


def triples_of(store: Store, graph: str) -> set[Triple]:
    """Return the facts of a graph (its statements about entities; descriptions aside)."""
    return {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in store.quads(graph=graph)
        if q.subject.value.startswith(ID_NS)
        and q.predicate.value != CG.searchKey  # names as typed, not facts (search_keys)
    }


def derived_graphs(store: Store) -> list[str]:
    return [g for g in store.graphs() if is_derived_graph(g)]


def derived_quads(store: Store, predicate: str) -> int:
    """Return how many quads of the derived graphs have ``predicate`` (a fact per graph)."""
    quads = store.quads(None, ox.NamedNode(predicate), None, None)
    return sum(1 for q in quads if is_derived_graph(q.graph_name.value))  # type: ignore[union-attr]


def derived_facts(store: Store) -> set[Triple]:
    return {t for g in derived_graphs(store) for t in triples_of(store, g)}


def graphs_holding(store: Store, fact: Triple) -> set[str]:
    s, p, o = (ox.NamedNode(x) for x in fact)
    return {q.graph_name.value for q in store.quads(s, p, o)}  # type: ignore[union-attr]


def kept(fact: tuple[object, object, object]) -> bool:
    """Apply the filter the module documents to a triple of IRIs as strings."""
    s, p, o = (str(x) for x in fact)
    if not s.startswith(ID_NS):
        return False
    if p == RDF.type:
        return o.startswith(KEPT_CLASS_NAMESPACES)
    return o.startswith(ID_NS) and p.startswith(KEPT_PREDICATE_NAMESPACES)


def owlrl_facts(store: Store) -> set[Triple]:
    """Return what owlrl derives from the stated graphs of ``store``, kept by the filter."""
    import owlrl
    from rdflib import URIRef

    from clustergraph.rdf.terms import to_rdflib_graph

    graph = to_rdflib_graph(q for g in stated_graphs(store) for q in store.quads(graph=g))
    stated = set(graph)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics,
        axiomatic_triples=False,
        datatype_axioms=False,
        # owlrl's own datatype checks would stay in rdflib's global converter table and
        # reject valid xsd:gMonthDay values for the rest of the process.
        improved_datatypes=False,
    ).expand(graph)
    return {
        (str(s), str(p), str(o))
        for s, p, o in graph
        if (s, p, o) not in stated
        and isinstance(s, URIRef)
        and isinstance(o, URIRef)
        and kept((s, p, o))
    }


# -- the seed data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Store:
    """Return a memory store of the repository's files, derived (tests only read it)."""
    store = open_store("memory:")
    load(Project(REPO), store)
    derive(store)
    return store


def test_rules_are_compiled_from_the_ontology_in_the_store(seed: Store) -> None:
    rules = read_rules(seed)
    assert rules.ignored == ()  # every axiom of the ontology is compiled
    chains = {c.head: c.links for c in rules.chains}
    assert chains[ORG.memberOf] == (Step(ORG.member, inverse=True), Step(ORG.organization))
    assert chains[CG.holdsPostIn] == (Step(ORG.holds), Step(ORG.postIn))
    assert chains[CG.holdsLabelLevel] == (Step(CG.hasAward), Step(CG.labelLevel))
    assert not rules.recursive
    # hierarchies are closed in Python: a cluster is a formal organisation, an agent, ...
    assert {ORG.FormalOrganization, ORG.Organization, FOAF.Agent} <= rules.superclasses[CG.Cluster]
    assert Step(ORG.heldBy, inverse=True) in rules.entailed(Step(ORG.holds))
    # a link of a chain is matched through every property that entails it
    assert Step(ORG.heldBy, inverse=True) in rules.alternatives(Step(ORG.holds))


@pytest.mark.slow
def test_derived_facts_are_owlrls_closure_kept_by_the_filter(seed: Store) -> None:
    expected = owlrl_facts(seed)
    assert len(expected) > 400
    assert derived_facts(seed) == expected


@pytest.mark.parametrize(
    ("fact", "stem"),
    [
        # org:memberOf and org:hasMember from a membership node
        ((e("org/ftd-lt"), ORG.memberOf, e("org/eacn")), "ftd-lt-joins-eacn"),
        ((e("org/eacn"), ORG.hasMember, e("org/ftd-lt")), "ftd-lt-joins-eacn"),
        ((e("org/laugea"), ORG.memberOf, e("org/lca")), "laugea-good-practice"),
        # org:holds and cg:holdsPostIn from a post
        (
            (e("person/giedrius-bagusinskas"), ORG.holds, e("post/lcn-president-bagusinskas")),
            "lithuanian-cluster-network-established",
        ),
        (
            (e("person/giedrius-bagusinskas"), CG.holdsPostIn, e("org/smart-food-cluster")),
            "lithuanian-cluster-network-established",
        ),
        # cg:holdsLabelLevel from an award
        (
            (e("org/litek"), CG.holdsLabelLevel, e("label-level/bronze")),
            "esca-bronze-labels-lithuania",
        ),
        # inverses
        ((e("org/mita"), CG.coordinates, e("project/inolink")), "esca-bronze-labels-lithuania"),
        ((e("org/litek"), CG.participatesIn, e("project/inolink")), "esca-bronze-labels-lithuania"),
        (
            (e("org/ministry-economy-innovation"), ORG.hasUnit,
             e("org/ministry-economy-innovation-working-groups")),
            "laugea-good-practice",
        ),
        # types of reused superclasses
        ((e("org/litek"), RDF.type, ORG.Organization), "esca-bronze-labels-lithuania"),
        ((e("org/aumega"), RDF.type, SCHEMA.Organization), "ftd-lt-joins-eacn"),
        ((e("person/bruno-grandjean"), RDF.type, SCHEMA.Person), "ftd-lt-joins-eacn"),
    ],
)  # fmt: skip
def test_the_readmes_shortcuts_are_derived_from_their_source(
    seed: Store, fact: Triple, stem: str
) -> None:
    assert derived_graph(source(stem)) in graphs_holding(seed, fact)


def test_every_person_with_posts_holds_them(seed: Store) -> None:
    person = e("person/giedrius-bagusinskas")
    result = seed.query(f"SELECT DISTINCT ?o WHERE {{ <{person}> <{CG.holdsPostIn}> ?o }}")
    assert isinstance(result, SelectResult)
    assert {t.value for t in result.column("o") if t is not None} == {
        e("org/lcn"),
        e("org/smart-food-cluster"),
        e("org/litmea"),
    }
    bronze = e("label-level/bronze")
    holders = seed.query(f"SELECT DISTINCT ?o WHERE {{ ?o <{CG.holdsLabelLevel}> <{bronze}> }}")
    assert len(holders) == 11  # type: ignore[arg-type]


def test_only_the_kept_kinds_of_fact_are_derived(seed: Store) -> None:
    facts = derived_facts(seed)
    assert facts and all(kept(f) for f in facts)
    # superclasses within the ontology are not added
    assert not any(p == RDF.type and o.startswith(CG_NS) for _s, p, o in facts)


def test_no_derived_fact_is_stated(seed: Store) -> None:
    stated = {t for g in stated_graphs(seed) for t in triples_of(seed, g)}
    assert derived_facts(seed) & stated == set()


def test_every_stated_graph_has_a_derived_graph_that_says_where_it_comes_from(
    seed: Store,
) -> None:
    graphs = set(seed.graphs())
    for stated in stated_graphs(seed):
        derived = derived_graph(stated)
        assert derived in graphs, stated
        node = ox.NamedNode(derived)
        used = {q.object.value for q in seed.quads(node, ox.NamedNode(PROV.wasDerivedFrom))}
        assert {stated, ONTOLOGY_GRAPH} <= used
        (activity,) = [q.object for q in seed.quads(node, ox.NamedNode(PROV.wasGeneratedBy))]
        labels = {q.object.value for q in seed.quads(activity, ox.NamedNode(RDFS.label))}  # type: ignore[arg-type]
        assert labels == {METHOD}


def test_which_article_states_a_derived_membership(seed: Store) -> None:
    result = seed.query(
        f"""SELECT ?source WHERE {{
              GRAPH ?d {{ <{e("org/ftd-lt")}> <{ORG.memberOf}> <{e("org/eacn")}> }}
              ?d <{PROV.wasDerivedFrom}> ?g . ?g <{PROV.wasDerivedFrom}> ?source }}"""
    )
    assert isinstance(result, SelectResult)
    assert [t.value for t in result.column("source") if t is not None] == [
        e("source/ftd-lt-joins-eacn")
    ]


def test_the_vocabularies_own_facts_are_not_repeated_per_source(seed: Store) -> None:
    # places.ttl makes Lithuania a schema:Country, hence a schema:Place: that follows
    # from the vocabulary alone, not from every source that names the country.
    fact = (e("country/lt"), RDF.type, SCHEMA.Place)
    assert graphs_holding(seed, fact) == {derived_graph(VOCAB_GRAPHS + "places")}


def test_a_second_derivation_does_nothing(seed: Store) -> None:
    before = sorted(str(q) for q in seed.quads())
    first = derive(seed)
    assert first.graphs == ()
    assert sorted(str(q) for q in seed.quads()) == before
    assert first.triples == sum(n for _p, n in first.by_predicate)
    assert first.triples == sum(len(triples_of(seed, g)) for g in derived_graphs(seed))
    assert dict(first.by_predicate)["org:memberOf"] == derived_quads(seed, ORG.memberOf)


def test_the_report_counts_per_predicate_most_first() -> None:
    store = open_store("memory:")
    load(Project(REPO), store)
    report = derive(store)
    assert set(report.graphs) == {derived_graph(g) for g in stated_graphs(store)} | {
        ACROSS_SOURCES_GRAPH
    }
    names = [name for name, _n in report.by_predicate]
    assert names[0] == "rdf:type" and "org:memberOf" in names and "cg:holdsPostIn" in names
    counts = [n for _name, n in report.by_predicate]
    assert counts == sorted(counts, reverse=True)
    assert derive(store) == DeriveReport((), report.triples, report.by_predicate)


# -- several sources ------------------------------------------------------------------------

# The membership node is described by two articles: one names the member, the other the
# organisation. org:memberOf follows from the two together only.
TWO_HALVES = {
    "a": """
        mem:m a cg:Membership ; org:member o:x .
        <https://w3id.org/clustergraph/graph/source/a> prov:wasDerivedFrom src:a .""",
    "b": """
        mem:m org:organization o:y .
        <https://w3id.org/clustergraph/graph/source/b> prov:wasDerivedFrom src:b .""",
}


def test_a_chain_whose_links_two_sources_state_is_derived_across_sources() -> None:
    store = small_store(TWO_HALVES)
    report = derive(store)
    assert report.graphs == (
        ACROSS_SOURCES_GRAPH,
        derived_graph(ONTOLOGY_GRAPH),
        derived_graph(source("a")),
        derived_graph(source("b")),
    )
    member_of = (e("org/x"), ORG.memberOf, e("org/y"))
    has_member = (e("org/y"), ORG.hasMember, e("org/x"))
    assert triples_of(store, ACROSS_SOURCES_GRAPH) == {member_of, has_member}
    assert member_of not in triples_of(store, derived_graph(source("a")))
    across = ox.NamedNode(ACROSS_SOURCES_GRAPH)
    used = {q.object.value for q in store.quads(across, ox.NamedNode(PROV.wasDerivedFrom))}
    assert used == {source("a"), source("b"), ONTOLOGY_GRAPH}
    result = store.query(
        f"""SELECT ?source WHERE {{
              GRAPH ?d {{ <{e("org/x")}> <{ORG.memberOf}> <{e("org/y")}> }}
              ?d <{PROV.wasDerivedFrom}> ?g . ?g <{PROV.wasDerivedFrom}> ?source }}"""
    )
    assert isinstance(result, SelectResult)
    assert {t.value for t in result.column("source") if t is not None} == {
        e("source/a"),
        e("source/b"),
    }


def test_a_fact_one_source_implies_alone_is_not_across_sources() -> None:
    store = small_store({**TWO_HALVES, "c": "mem:n org:member o:x ; org:organization o:y ."})
    derive(store)
    member_of = (e("org/x"), ORG.memberOf, e("org/y"))
    assert graphs_holding(store, member_of) == {derived_graph(source("c"))}
    assert triples_of(store, ACROSS_SOURCES_GRAPH) == set()


def test_a_fact_another_source_states_is_left_out_until_that_source_goes() -> None:
    store = small_store(
        {"a": "mem:m org:member o:x ; org:organization o:y .", "b": "o:x org:memberOf o:y ."}
    )
    derive(store)
    member_of = (e("org/x"), ORG.memberOf, e("org/y"))
    assert graphs_holding(store, member_of) == {source("b")}
    derived_a = ox.NamedNode(derived_graph(source("a")))
    influence = {q.object.value for q in store.quads(derived_a, ox.NamedNode(PROV.wasInfluencedBy))}
    assert influence == {source("b")}
    # The loader drops a removed source's graph, its derived graph and across-sources.
    store.drop_graphs([source("b"), derived_graph(source("b")), ACROSS_SOURCES_GRAPH])
    report = derive(store)
    assert report.graphs == (ACROSS_SOURCES_GRAPH, derived_graph(source("a")))
    assert graphs_holding(store, member_of) == {derived_graph(source("a"))}


@pytest.mark.slow
@pytest.mark.parametrize(
    "sources",
    [
        TWO_HALVES,
        {**TWO_HALVES, "c": "mem:n org:member o:x ; org:organization o:y ."},
        {"a": "mem:m org:member o:x ; org:organization o:y .", "b": "o:x org:memberOf o:y ."},
    ],
    ids=["two-halves", "one-source-alone", "stated-elsewhere"],
)
def test_several_sources_derive_owlrls_closure(sources: Mapping[str, str]) -> None:
    store = small_store(sources)
    derive(store)
    assert derived_facts(store) == owlrl_facts(store)


def test_a_source_added_without_the_loader_is_derived_too() -> None:
    store = small_store({"a": "mem:m org:member o:x ; org:organization o:y ."})
    derive(store)
    store.replace_graphs({source("b"): ntriples("mem:n org:member o:z ; org:organization o:y .")})
    assert derive(store).graphs == (ACROSS_SOURCES_GRAPH, derived_graph(source("b")))
    assert (e("org/y"), ORG.hasMember, e("org/z")) in triples_of(store, derived_graph(source("b")))


def test_an_unfinished_derived_graph_is_derived_again() -> None:
    store = small_store({"a": "mem:m org:member o:x ; org:organization o:y ."})
    derive(store)
    graph = derived_graph(source("a"))
    facts = triples_of(store, graph)
    # As if the process died before the graph was complete: no mark, part of the facts.
    store.update(
        f"DELETE WHERE {{ GRAPH <{graph}> {{ <{graph}> <{PROV.wasGeneratedBy}> ?a }} }} ; "
        f"DELETE WHERE {{ GRAPH <{graph}> {{ ?x <{ORG.hasMember}> ?y }} }} ; "
        f"DROP GRAPH <{ACROSS_SOURCES_GRAPH}>"
    )
    assert graph in derive(store).graphs
    assert triples_of(store, graph) == facts


# -- rules beyond the project's ontology ------------------------------------------------------

CHAINED = """
    org:subOrganizationOf a owl:TransitiveProperty .
    org:hasSubOrganization owl:inverseOf org:subOrganizationOf .
    org:linkedTo a owl:SymmetricProperty ; rdfs:domain org:Organization .
    cg:supportedBy owl:equivalentProperty org:linkedTo .
    org:unitOf rdfs:subPropertyOf org:subOrganizationOf .
    org:memberOf owl:propertyChainAxiom ( org:memberOf org:subOrganizationOf ) .
    cg:Consortium rdfs:subClassOf org:OrganizationalCollaboration .
    org:OrganizationalCollaboration owl:equivalentClass cg:ClusterNetwork .
    cg:ClusterNetwork rdfs:subClassOf schema:Organization .
"""


def test_transitive_symmetric_and_recursive_chains_reach_a_fixpoint() -> None:
    store = small_store(
        {
            "a": """o:a org:subOrganizationOf o:b . o:b org:unitOf o:c .
                    o:p org:memberOf o:a . o:q cg:supportedBy o:r . o:s a cg:Consortium .""",
            "b": "o:c org:subOrganizationOf o:d .",
        },
        axioms=CHAINED,
    )
    rules = read_rules(store)
    assert rules.recursive and rules.ignored == ()
    derive(store)
    derived_a = triples_of(store, derived_graph(source("a")))
    assert {
        (e("org/a"), ORG.subOrganizationOf, e("org/c")),
        (e("org/p"), ORG.memberOf, e("org/c")),  # the chain, on a derived link
        (e("org/c"), ORG.hasSubOrganization, e("org/a")),
        (e("org/r"), ORG.linkedTo, e("org/q")),  # symmetric, through the equivalent
        (e("org/r"), CG.supportedBy, e("org/q")),
        (e("org/q"), RDF.type, ORG.Organization),
        (e("org/s"), RDF.type, SCHEMA.Organization),  # through the equivalent class
    } <= derived_a
    across = triples_of(store, ACROSS_SOURCES_GRAPH)
    assert {
        (e("org/a"), ORG.subOrganizationOf, e("org/d")),
        (e("org/p"), ORG.memberOf, e("org/d")),
        (e("org/d"), ORG.hasSubOrganization, e("org/a")),
    } <= across
    assert (e("org/a"), ORG.subOrganizationOf, e("org/c")) not in across
    assert derived_facts(store) == owlrl_facts(store)


def test_axioms_the_rules_do_not_compile_are_reported() -> None:
    rules = Rules.from_triples(
        [
            (ORG.heldBy, RDF.type, OWL.FunctionalProperty),
            (ORG.Post, RDFS.subClassOf, ox.BlankNode("restriction")),
        ]
    )
    assert len(rules.ignored) == 2


# -- incremental, on the project's files ------------------------------------------------------


@pytest.fixture
def copy(tmp_path: Path) -> Project:
    root = tmp_path / "repo"
    for name in ("ontology", "data"):
        shutil.copytree(REPO / name, root / name)
    return Project(root)


def contents(store: Store, graphs: Iterable[str]) -> dict[str, set[str]]:
    return {g: {str(q) for q in store.quads(graph=g)} for g in graphs}


def test_changing_a_source_rederives_its_graph_only(copy: Project) -> None:
    store = open_store("memory:")
    load(copy, store)
    derive(store)
    stem = "laugea-good-practice"
    others = [g for g in derived_graphs(store) if g not in {derived_graph(source(stem)),
                                                            ACROSS_SOURCES_GRAPH}]  # fmt: skip
    before = contents(store, others)
    path = copy.sources_dir / f"{stem}.ttl"
    path.write_text(
        path.read_text() + "\n<https://w3id.org/clustergraph/id/membership/laugea-in-eacn> "
        "org:member o:laugea ; org:organization o:eacn .\n"
    )
    assert load(copy, store).loaded == (source(stem),)
    report = derive(store)
    assert report.graphs == (ACROSS_SOURCES_GRAPH, derived_graph(source(stem)))
    assert (e("org/laugea"), ORG.memberOf, e("org/eacn")) in triples_of(
        store, derived_graph(source(stem))
    )
    assert contents(store, others) == before
    assert derive(store).graphs == ()


def test_deleting_a_source_removes_its_derived_graph(copy: Project) -> None:
    store = open_store("memory:")
    load(copy, store)
    derive(store)
    stem = "ftd-lt-joins-eacn"
    others = [g for g in derived_graphs(store) if g not in {derived_graph(source(stem)),
                                                            ACROSS_SOURCES_GRAPH}]  # fmt: skip
    before = contents(store, others)
    (copy.sources_dir / f"{stem}.ttl").unlink()
    assert load(copy, store).removed == (source(stem),)
    report = derive(store)
    assert report.graphs == (ACROSS_SOURCES_GRAPH,)
    assert derived_graph(source(stem)) not in store.graphs()
    assert (e("org/ftd-lt"), ORG.memberOf, e("org/eacn")) not in derived_facts(store)
    assert contents(store, others) == before


@pytest.mark.slow
def test_changing_the_ontology_rederives_everything(copy: Project) -> None:
    store = open_store("memory:")
    load(copy, store)
    derive(store)
    with copy.ontology_file.open("a") as out:
        out.write("\norg:linkedTo a owl:SymmetricProperty .\n")
    load(copy, store)
    report = derive(store)
    assert set(report.graphs) == {derived_graph(g) for g in stated_graphs(store)} | {
        ACROSS_SOURCES_GRAPH
    }
    assert derived_facts(store) == owlrl_facts(store)


# -- an on-disk store, and many sources --------------------------------------------------------


def copies(store: Store, project: Project, n: int) -> None:
    """Fill ``store`` with the project's ontology, vocabularies and ``n`` copies of each source.

    Copy ``k`` of entity ``x`` is ``x-k``; vocabulary concepts are shared.
    """
    seed = open_store("memory:")
    load(project, seed)
    concepts = {
        q.subject.value
        for g in seed.graphs()
        if g.startswith(VOCAB_GRAPHS)
        for q in seed.quads(graph=g)
    }

    def rename(
        term: ox.NamedNode | ox.BlankNode | ox.Literal, k: int
    ) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, ox.NamedNode) and (
            (term.value.startswith(ID_NS) and term.value not in concepts)
            or term.value.startswith(SOURCE_GRAPHS)
        ):
            return ox.NamedNode(f"{term.value}-{k}")
        if isinstance(term, ox.BlankNode):
            return ox.BlankNode(f"{term.value}x{k}")
        return term

    data: dict[str, bytes] = {}
    for graph in stated_graphs(seed):
        quads = list(seed.quads(graph=graph))
        if not graph.startswith(SOURCE_GRAPHS):
            data[graph] = (
                ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b""
            )
            continue
        for k in range(n):
            triples = [
                ox.Triple(rename(q.subject, k), q.predicate, rename(q.object, k))  # type: ignore[arg-type]
                for q in quads
            ]
            data[f"{graph}-{k}"] = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    store.replace_graphs(data)


def change_one_source(store: Store, graph: str) -> None:
    """Add a membership to a source, dropping what the loader drops."""
    extra = ntriples("mem:added org:member o:lcn-0 ; org:organization o:eacn-1 .")
    body = b"".join(f"{q.triple} .\n".encode() for q in store.quads(graph=graph))
    store.replace_graphs(
        {graph: body + extra, derived_graph(graph): b"", ACROSS_SOURCES_GRAPH: b""}
    )


def test_derivation_on_disk_gives_what_it_gives_in_memory(tmp_path: Path) -> None:
    in_memory = open_store("memory:")
    copies(in_memory, Project(REPO), 4)
    expected = derive(in_memory)
    with OxigraphStore(tmp_path / "store") as on_disk:
        copies(on_disk, Project(REPO), 4)
        # Everything to derive: derived in an in-memory copy, bulk-loaded back.
        assert derive(on_disk) == expected
        assert contents(on_disk, derived_graphs(on_disk)) == contents(
            in_memory, derived_graphs(in_memory)
        )
        assert derive(on_disk).graphs == ()
        # One source of many: derived on disk.
        graph = source("laugea-good-practice-2")
        change_one_source(in_memory, graph)
        change_one_source(on_disk, graph)
        changed = derive(on_disk)
        assert changed.graphs == (ACROSS_SOURCES_GRAPH, derived_graph(graph))
        assert changed == derive(in_memory)
        assert (e("org/lcn-0"), ORG.memberOf, e("org/eacn-1")) in triples_of(
            on_disk, derived_graph(graph)
        )
        assert contents(on_disk, derived_graphs(on_disk)) == contents(
            in_memory, derived_graphs(in_memory)
        )


@pytest.mark.slow
def test_the_counts_are_the_same_after_one_graph_is_derived_again() -> None:
    """The summary of a partial derivation equals that of a whole one (search keys aside)."""
    store = open_store("memory:")
    load(Project(REPO), store)
    first = derive(store)
    assert "cg:searchKey" not in dict(first.by_predicate)
    graph = next(g for g in stated_graphs(store) if g.startswith(SOURCE_GRAPHS))
    store.drop_graphs([derived_graph(graph)])
    again = derive(store)
    assert again.graphs == tuple(sorted({derived_graph(graph), ACROSS_SOURCES_GRAPH}))
    assert (again.triples, again.by_predicate) == (first.triples, first.by_predicate)
    keys = [q for q in store.quads(graph=derived_graph(graph)) if q.predicate.value == CG.searchKey]
    assert keys


def test_a_source_keeps_the_search_key_of_a_name_a_vocabulary_also_gives() -> None:
    """Keys live with the source that gives the name, even if the vocabulary gives it too."""
    store = open_store("memory:")
    load(Project(REPO), store)
    graph = source("zz-role")
    role = ID_NS + "role/member"
    store.replace_graphs(
        {graph: f'<{role}> <http://www.w3.org/2004/02/skos/core#prefLabel> "member"@en .'.encode()}
    )
    derive(store)
    keys = {
        (q.subject.value, q.object.value)
        for q in store.quads(graph=derived_graph(graph))
        if q.predicate.value == CG.searchKey
    }
    assert keys == {(role, "member")}


def test_each_copy_of_a_source_derives_what_the_source_derives() -> None:
    store = open_store("memory:")
    copies(store, Project(REPO), 50)
    report = derive(store)
    seed = open_store("memory:")
    load(Project(REPO), seed)
    derive(seed)
    for graph in [g for g in stated_graphs(seed) if g.startswith(SOURCE_GRAPHS)]:
        expected = len(triples_of(seed, derived_graph(graph)))
        for k in (0, 17, 49):
            assert len(triples_of(store, derived_graph(f"{graph}-{k}"))) == expected
    assert report.triples == 50 * sum(
        len(triples_of(seed, derived_graph(g)))
        for g in stated_graphs(seed)
        if g.startswith(SOURCE_GRAPHS)
    ) + sum(
        len(triples_of(seed, derived_graph(g)))
        for g in stated_graphs(seed)
        if not g.startswith(SOURCE_GRAPHS)
    )
    data = [g for g in store.graphs() if g != MANIFEST_GRAPH]  # the manifest: bookkeeping
    assert all(is_stated_graph(g) or is_derived_graph(g) for g in data)


def test_a_property_only_axioms_point_to_is_known_to_the_rules() -> None:
    rules = Rules.from_triples([(ORG.unitOf, RDFS.subPropertyOf, ORG.subOrganizationOf)])
    assert ORG.subOrganizationOf in rules.properties
    assert rules.entailed(Step(ORG.unitOf)) == {Step(ORG.unitOf), Step(ORG.subOrganizationOf)}


def test_on_disk_a_derived_fact_another_source_states_is_left_out(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "store") as store:
        store.replace_graphs(
            {
                ONTOLOGY_GRAPH: ontology(),
                source("a"): ntriples("o:x org:unitOf o:y ."),
                source("b"): ntriples("o:x org:subOrganizationOf o:y ."),
            }
        )
        derive(store)  # every graph to derive: in memory, then loaded back
        fact = (e("org/x"), ORG.subOrganizationOf, e("org/y"))
        assert graphs_holding(store, fact) == {source("b")}
        assert (e("org/y"), ORG.hasUnit, e("org/x")) in triples_of(
            store, derived_graph(source("a"))
        )


def test_sync_leaves_the_store_derived(store: Store, project: Project) -> None:
    from clustergraph.pipeline.sync import sync

    assert {derived_graph(g) for g in stated_graphs(store)} <= set(store.graphs())
    again = sync(project, store)
    assert not again.load.changed and again.derive.graphs == ()
    assert dict(again.derive.by_predicate)["cg:holdsPostIn"] == derived_quads(store, CG.holdsPostIn)
