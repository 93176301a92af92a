"""Derived facts: rules compiled from the ontology, run in the store, one graph per source.

The ontology declares the inverses and property chains of the shortcut properties
(``org:memberOf`` from a membership node, ``org:holds`` and ``cg:holdsPostIn`` from a
post, ``cg:holdsLabelLevel`` from an award, ``cg:coordinates``, ``cg:participatesIn``,
``org:hasUnit``, ...), the sub-properties, domains and ranges of its terms, and the
subclass axioms that reach the reused vocabularies (``org:Organization``,
``foaf:Agent``, ``schema:Event``, ...). :func:`derive` computes what follows from them,
as an OWL 2 RL reasoner would, and keeps only:

* statements between two entities (IRIs under ``id/``) whose predicate is a term of
  the ontology (``cg:``) or of ORG (``org:``), and
* ``rdf:type`` statements of an entity whose class is a term of a reused vocabulary:
  ORG, FOAF, schema.org, ROV or PROV-O. Superclasses within the ontology itself
  (``cg:Event`` for a ``cg:Forum``) are not added: queries reach them with
  ``rdfs:subClassOf*``, and a second ``cg:`` type would list every such entity twice
  in the answers that show an entity's class.

A triple stated in any graph is never derived again. Everything else the closure holds
(``owl:sameAs`` of every node with itself, types to ``owl:Thing`` and to datatypes, the
schema's own entailments, literal copies through sub-properties) is left out.

**How.** :func:`read_rules` reads the axioms from the ontology's graph and the
vocabularies' graphs in the store (``rdfs:subClassOf``, ``owl:equivalentClass``,
``rdfs:subPropertyOf``, ``owl:equivalentProperty``, ``owl:inverseOf``,
``owl:SymmetricProperty``, ``owl:TransitiveProperty``, ``owl:propertyChainAxiom``,
``rdfs:domain``, ``rdfs:range``) and closes the class and property hierarchies in
Python: what a triple ``?x p ?y`` entails through sub-properties, inverses, domains,
ranges and superclasses is known before any data is read, so each stated triple needs
one rule application. :class:`Rules` compiles that into a few SPARQL 1.1 Update
operations (``INSERT { GRAPH ?d {...} } WHERE { GRAPH ?g {...} }``, the rule tables in
``VALUES`` blocks) and one operation per property chain, which the store runs itself;
only chains can feed each other, so only they are iterated to a fixpoint, and not at
all when no chain's head is another chain's link (the case of the project's ontology).

**Where.** The facts that follow from a stated graph together with the ontology and
the vocabularies go to its derived graph,
:func:`~clustergraph.project.layout.derived_graph` (``graph/derived/source/<stem>``);
a fact that several sources each imply is in each of their derived graphs, but a fact
that follows from the ontology and the vocabularies alone is only in theirs (Lithuania
is a ``schema:Place`` by ``places.ttl``, not again by every source that names it).
Facts that follow only from several graphs together (a property chain whose links are
stated by two sources) go to
:data:`~clustergraph.project.layout.ACROSS_SOURCES_GRAPH`. Every derived graph
describes itself with PROV-O: ``prov:wasDerivedFrom`` its stated graph and the
ontology's graph (the across-sources graph: every graph a fact of it follows from),
``prov:wasGeneratedBy`` its reasoning activity (``<graph>#activity``, labelled with
:data:`METHOD`); a derived graph is never empty. So "which article says it" works for
a derived fact too::

    SELECT ?source WHERE { GRAPH ?d { <a> org:memberOf <b> }
                           ?d prov:wasDerivedFrom ?g . ?g prov:wasDerivedFrom ?source }

When a fact is left out of a derived graph because another source states it, the
derived graph says ``prov:wasInfluencedBy`` that source, and is derived again when that
source changes or goes. The descriptions hold no ``rdf:type``: every type in a derived
graph is a derived fact. The across-sources graph also holds a VoID summary of all the
derived graphs (``<graph/derived> void:triples``, a ``void:propertyPartition`` per
predicate), which is what :func:`derive` reports when nothing changed.

**When.** :func:`derive` derives only the stated graphs that have no complete derived
graph: :func:`clustergraph.pipeline.load.load` drops the derived graphs of every graph
it loads or removes, and all of them when the ontology or a vocabulary changed. It
recomputes the across-sources graph whenever anything was derived or removed. When
nothing changed it writes nothing. A derived graph is complete once it holds its
``prov:wasGeneratedBy`` statement, which is written last (the across-sources graph's
after all others); an interrupted derivation is taken up again by the next.

**Speed.** On a store in memory the rules run in one transaction. Oxigraph writes a
transaction to disk about ten times slower than to memory, so a large derivation into an
on-disk store (:data:`SCRATCH_SHARE` of its graphs) runs in an in-memory copy of the store and
its derived graphs are bulk-loaded back. Rules that read many graphs scan their pattern
once and join it with a ``VALUES`` table of graph names rather than compute names with
string functions, which on disk read every string from the store.

Examples
--------
>>> from clustergraph.store import open_store
>>> from clustergraph.project.layout import ONTOLOGY_GRAPH, SOURCE_GRAPHS
>>> store = open_store("memory:")
>>> store.replace_graphs({
...     ONTOLOGY_GRAPH: f"<{ORG.memberOf}> <{OWL.inverseOf}> <{ORG.hasMember}> .".encode(),
...     SOURCE_GRAPHS + "a": f"<{ID_NS}org/a> <{ORG.memberOf}> <{ID_NS}org/b> .".encode(),
... })
>>> report = derive(store)
>>> [compact(g, PREFIXES) for g in report.graphs]
['graph:derived/across-sources', 'graph:derived/ontology', 'graph:derived/source/a']
>>> report.triples, report.by_predicate
(1, (('org:hasMember', 1),))
>>> store.query(f"ASK {{ GRAPH <{DERIVED_NS}source/a> {{ ?b <{ORG.hasMember}> ?a }} }}").value
True
>>> derive(store).graphs
()
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from clustergraph import __version__
from clustergraph.errors import StoreError
from clustergraph.pipeline.search_keys import write_search_keys
from clustergraph.project.layout import (
    ACROSS_SOURCES_GRAPH,
    CG_NS,
    DERIVED_NS,
    GRAPH_NS,
    ID_NS,
    ONTOLOGY_GRAPH,
    SOURCE_GRAPHS,
    VOCAB_GRAPHS,
    derived_graph,
    is_derived_graph,
    is_stated_graph,
    stated_graph,
)
from clustergraph.project.namespace import CG
from clustergraph.project.prefixes import PREFIXES, compact
from clustergraph.project.vocab import FOAF, ORG, OWL, PROV, RDF, RDFS, ROV, SCHEMA, VOID
from clustergraph.store.base import BulkStore, SelectResult, Store

__all__ = [
    "KEPT_CLASS_NAMESPACES",
    "KEPT_PREDICATE_NAMESPACES",
    "METHOD",
    "Chain",
    "DeriveReport",
    "Rules",
    "Step",
    "derive",
    "derived_as_is",
    "read_rules",
]

T = TypeVar("T")

KEPT_PREDICATE_NAMESPACES: tuple[str, ...] = (CG_NS, str(ORG))
"""Derived statements between entities are kept when their predicate is in one of these."""

KEPT_CLASS_NAMESPACES: tuple[str, ...] = (str(ORG), str(FOAF), str(SCHEMA), str(ROV), str(PROV))
"""Derived ``rdf:type`` statements are kept when their class is in one of these."""

METHOD = (
    f"clustergraph {__version__}: SPARQL Update rules compiled from the ontology's OWL 2 RL "
    "axioms (inverse, symmetric and transitive properties, property chains, sub-properties, "
    "domains, ranges, subclasses and equivalent classes), run in the store to a fixpoint"
)
"""The label of the reasoning activity every derived graph says it was generated by."""

# Predicates whose triples in the ontology's or a vocabulary's graph are axioms compiled
# into rules, and classes of properties (``p a owl:TransitiveProperty``) that are.
_AXIOMS = (
    RDFS.subClassOf,
    OWL.equivalentClass,
    RDFS.subPropertyOf,
    OWL.equivalentProperty,
    OWL.inverseOf,
    OWL.propertyChainAxiom,
    RDFS.domain,
    RDFS.range,
    RDF.first,
    RDF.rest,
)
_PROPERTY_KINDS = (OWL.SymmetricProperty, OWL.TransitiveProperty)
# OWL 2 RL constructs that entail facts but that the rules do not compile: their use is
# reported in Rules.ignored (a test keeps the project's ontology free of them).
_UNSUPPORTED = (
    OWL.sameAs,
    OWL.hasValue,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.intersectionOf,
    OWL.unionOf,
    OWL.oneOf,
    OWL.hasKey,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
)
_UNSUPPORTED_KINDS = (OWL.FunctionalProperty, OWL.InverseFunctionalProperty)


@dataclass(frozen=True, order=True)
class Step:
    """A property, or its inverse: one link of a property chain, or what a triple entails.

    Examples
    --------
    >>> Step(ORG.member, inverse=True).path
    '^<http://www.w3.org/ns/org#member>'
    """

    iri: str
    inverse: bool = False

    @property
    def path(self) -> str:
        """The step as a SPARQL property path."""
        return f"^<{self.iri}>" if self.inverse else f"<{self.iri}>"


@dataclass(frozen=True)
class Chain:
    """A property chain: ``links[0] / links[1] / ...`` entails ``head``.

    A transitive property ``p`` is the chain ``p / p`` with head ``p``.
    """

    head: str
    links: tuple[Step, ...]


@dataclass(frozen=True)
class Rules:
    """The axioms of the ontology, closed in Python, ready to be compiled to SPARQL.

    Build it with :func:`read_rules` (from a store) or :meth:`from_triples`.

    Attributes
    ----------
    entailments
        For each property step, every step a triple through it entails (itself included)
        through sub-properties, equivalent, inverse and symmetric properties.
    superclasses
        For each class, its superclasses (itself included) through subclass and
        equivalent-class axioms.
    domains, ranges
        For each property, the classes of its domain and range.
    chains
        The property chains (and transitive properties as chains of two).
    ignored
        Axioms of kinds the rules do not compile, one line each; empty for the
        project's ontology.

    Examples
    --------
    >>> rules = Rules.from_triples([
    ...     (ORG.heldBy, OWL.inverseOf, ORG.holds),
    ...     (ORG.holds, RDFS.domain, FOAF.Person),
    ...     (FOAF.Person, RDFS.subClassOf, FOAF.Agent)])
    >>> sorted(rules.entailed(Step(ORG.heldBy)))
    [Step(iri='http://www.w3.org/ns/org#heldBy', inverse=False), Step(iri='http://www.w3.org/ns/org#holds', inverse=True)]
    >>> sorted(rules.object_types(ORG.heldBy))
    ['http://xmlns.com/foaf/0.1/Agent', 'http://xmlns.com/foaf/0.1/Person']
    """  # noqa: E501

    entailments: Mapping[Step, frozenset[Step]]
    superclasses: Mapping[str, frozenset[str]]
    domains: Mapping[str, frozenset[str]]
    ranges: Mapping[str, frozenset[str]]
    chains: tuple[Chain, ...]
    ignored: tuple[str, ...] = ()

    @classmethod
    def from_triples(cls, triples: Iterable[tuple[object, object, object]]) -> Rules:
        """Compile axioms given as triples.

        Parameters
        ----------
        triples
            ``(subject, predicate, object)`` with IRIs as ``str`` or pyoxigraph terms,
            blank nodes as :class:`pyoxigraph.BlankNode` (the nodes of RDF lists and of
            anonymous inverse properties ``[ owl:inverseOf p ]``).
        """
        return _compile([(_key(s), _key(p), _key(o)) for s, p, o in triples])

    # -- what one triple entails -------------------------------------------------

    def entailed(self, step: Step) -> frozenset[Step]:
        """Return the steps a triple through ``step`` entails, ``step`` itself included."""
        return self.entailments.get(step, frozenset({step}))

    def _classes(self, classes: Iterable[str]) -> set[str]:
        return {c for k in classes for c in self.superclasses.get(k, frozenset({k}))}

    def types(self, step: Step) -> frozenset[str]:
        """Return the classes of ``?x`` for a triple matching ``?x step ?y``."""
        found = set()
        for entailed in self.entailed(step):
            axioms = self.ranges if entailed.inverse else self.domains
            found |= self._classes(axioms.get(entailed.iri, ()))
        return frozenset(found)

    def subject_types(self, prop: str) -> frozenset[str]:
        """Return the classes the subject of a ``prop`` triple belongs to."""
        return self.types(Step(prop))

    def object_types(self, prop: str) -> frozenset[str]:
        """Return the classes the object of a ``prop`` triple belongs to."""
        return self.types(Step(prop, inverse=True))

    def alternatives(self, link: Step) -> frozenset[Step]:
        """Return the steps whose triples entail ``link`` (``link`` itself included)."""
        found = {step for step, entailed in self.entailments.items() if link in entailed}
        return frozenset(found | {link})

    @property
    def properties(self) -> frozenset[str]:
        """Every property the axioms name."""
        return frozenset(
            {s.iri for s in self.entailments}
            | set(self.domains)
            | set(self.ranges)
            | {c.head for c in self.chains}
            | {link.iri for c in self.chains for link in c.links}
        )

    @property
    def recursive(self) -> bool:
        """Whether a chain's head can be a link of a chain (then chains are iterated)."""
        heads = {c.head for c in self.chains}
        return any(
            step.iri in heads for c in self.chains for link in c.links
            for step in self.alternatives(link)
        )  # fmt: skip

    # -- the rule tables -----------------------------------------------------------

    def relation_rows(self) -> list[tuple[str, str, bool]]:
        """Return ``(p, q, inverse)``: ``?x p ?y`` entails ``?x q ?y`` (``?y q ?x``), kept."""
        rows = set()
        for prop in self.properties:
            for step in self.entailed(Step(prop)):
                if step != Step(prop) and _kept_predicate(step.iri):
                    rows.add((prop, step.iri, step.inverse))
        return sorted(rows)

    def type_rows(self, *, of_object: bool) -> list[tuple[str, str]]:
        """Return ``(p, C)``: the subject (object) of a ``p`` triple is a ``C``, kept."""
        rows = set()
        for prop in self.properties:
            classes = self.object_types(prop) if of_object else self.subject_types(prop)
            rows |= {(prop, c) for c in classes if _kept_class(c)}
        return sorted(rows)

    def class_rows(self) -> list[tuple[str, str]]:
        """Return ``(C, D)``: an instance of ``C`` is a ``D`` (``D`` kept, not ``C``)."""
        return sorted(
            (c, d)
            for c, supers in self.superclasses.items()
            for d in supers
            if d != c and _kept_class(d)
        )


# -- reading and compiling the axioms -------------------------------------------------


def read_rules(store: Store) -> Rules:
    """Read the axioms from the ontology's and the vocabularies' graphs of ``store``.

    Examples
    --------
    >>> from clustergraph.store import open_store
    >>> from clustergraph.project.layout import ONTOLOGY_GRAPH
    >>> store = open_store("memory:")
    >>> store.update(f'''INSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{
    ...     <{ORG.memberOf}> <{OWL.propertyChainAxiom}>
    ...         ( [ <{OWL.inverseOf}> <{ORG.member}> ] <{ORG.organization}> ) }} }}''')
    >>> chain = read_rules(store).chains[0]
    >>> compact(chain.head, PREFIXES), [(compact(s.iri, PREFIXES), s.inverse) for s in chain.links]
    ('org:memberOf', [('org:member', True), ('org:organization', False)])
    """
    axioms = " ".join(f"<{p}>" for p in (*_AXIOMS, *_UNSUPPORTED))
    kinds = " ".join(f"<{k}>" for k in (*_PROPERTY_KINDS, *_UNSUPPORTED_KINDS))
    result = store.query(
        f"""SELECT ?s ?p ?o WHERE {{
          GRAPH ?g {{
            {{ VALUES ?p {{ {axioms} }} ?s ?p ?o }}
            UNION {{ VALUES ?o {{ {kinds} }} ?s a ?o BIND(<{RDF.type}> AS ?p) }}
          }}
          FILTER(?g = <{ONTOLOGY_GRAPH}> || STRSTARTS(STR(?g), "{VOCAB_GRAPHS}"))
        }}"""
    )
    assert isinstance(result, SelectResult)
    return _compile([(_key(s), _key(p), _key(o)) for s, p, o in result.rows])


def _key(term: object) -> str:
    """Return an IRI as itself, a blank node as ``_:label``, a literal in N-Triples."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _closure(edges: Mapping[T, set[T]], node: T) -> set[T]:
    """Return the nodes reachable from ``node`` (``node`` included)."""
    seen = {node}
    todo = [node]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _compile(triples: Sequence[tuple[str, str, str]]) -> Rules:
    """Close the hierarchies and collect the chains (see :class:`Rules`)."""
    ignored: list[str] = []
    first: dict[str, str] = {}
    rest: dict[str, str] = {}
    anonymous_inverse: dict[str, str] = {}
    classes: dict[str, set[str]] = defaultdict(set)
    steps: dict[Step, set[Step]] = defaultdict(set)
    domains: dict[str, set[str]] = defaultdict(set)
    ranges: dict[str, set[str]] = defaultdict(set)
    chain_lists: list[tuple[str, str]] = []
    transitive: list[str] = []

    def named(*terms: str) -> bool:
        return all(not t.startswith("_:") and not t.startswith('"') for t in terms)

    def sub_property(a: str, b: str) -> None:
        steps[Step(a)].add(Step(b))
        steps[Step(a, True)].add(Step(b, True))

    def inverse(a: str, b: str) -> None:
        for x, y in ((a, b), (b, a)):
            steps[Step(x)].add(Step(y, True))
            steps[Step(x, True)].add(Step(y))

    for s, p, o in triples:
        if p == RDF.first:
            first[s] = o
        elif p == RDF.rest:
            rest[s] = o
        elif p == OWL.inverseOf and s.startswith("_:") and named(o):
            anonymous_inverse[s] = o
        elif not named(s, o) and p != OWL.propertyChainAxiom:
            ignored.append(f"{compact(p, PREFIXES)} with a class or property expression: {s} {o}")
        elif p == RDFS.subClassOf:
            classes[s].add(o)
        elif p == OWL.equivalentClass:
            classes[s].add(o)
            classes[o].add(s)
        elif p == RDFS.subPropertyOf:
            sub_property(s, o)
        elif p == OWL.equivalentProperty:
            sub_property(s, o)
            sub_property(o, s)
        elif p == OWL.inverseOf:
            inverse(s, o)
        elif p == RDFS.domain:
            domains[s].add(o)
        elif p == RDFS.range:
            ranges[s].add(o)
        elif p == OWL.propertyChainAxiom:
            chain_lists.append((s, o))
        elif p == RDF.type and o == OWL.SymmetricProperty:
            steps[Step(s)].add(Step(s, True))
            steps[Step(s, True)].add(Step(s))
        elif p == RDF.type and o == OWL.TransitiveProperty:
            transitive.append(s)
        else:
            ignored.append(f"{compact(s, PREFIXES)} {compact(p, PREFIXES)} {compact(o, PREFIXES)}")

    chains = [Chain(p, (Step(p), Step(p))) for p in transitive]
    for head, node in chain_lists:
        links: list[Step] = []
        while node in first:
            member = first[node]
            if named(member):
                links.append(Step(member))
            elif member in anonymous_inverse:
                links.append(Step(anonymous_inverse[member], True))
            else:
                links = []
                break
            node = rest.get(node, RDF.nil)
        if named(head) and len(links) >= 2 and node == RDF.nil:
            chains.append(Chain(head, tuple(links)))
        else:
            ignored.append(f"owl:propertyChainAxiom of {head} not a list of properties")

    # Every property named anywhere gets its entailments, in both directions.
    names = {s.iri for s in steps} | {s.iri for targets in steps.values() for s in targets}
    names |= set(domains) | set(ranges)
    names |= {c.head for c in chains} | {link.iri for c in chains for link in c.links}
    entailments = {
        step: frozenset(_closure(steps, step)) for n in names for step in (Step(n), Step(n, True))
    }
    superclasses = {c: frozenset(_closure(classes, c)) for c in set(classes)}
    for axiom in (domains, ranges):
        for targets in axiom.values():
            for c in targets:
                superclasses.setdefault(c, frozenset({c}))
    return Rules(
        entailments=entailments,
        superclasses=superclasses,
        domains={p: frozenset(c) for p, c in domains.items()},
        ranges={p: frozenset(c) for p, c in ranges.items()},
        chains=tuple(sorted(chains, key=lambda c: (c.head, c.links))),
        ignored=tuple(sorted(ignored)),
    )


def _kept_predicate(iri: str) -> bool:
    return iri.startswith(KEPT_PREDICATE_NAMESPACES)


def _kept_class(iri: str) -> bool:
    return iri.startswith(KEPT_CLASS_NAMESPACES)


# -- SPARQL building blocks ---------------------------------------------------------------

_ACROSS = f"<{ACROSS_SOURCES_GRAPH}>"

NESTED_LIMIT = 64
"""Up to this many graphs, rules look them up one by one; above, they scan and hash-join."""


def _entity(var: str) -> str:
    """SPARQL: ``var`` is an entity (an IRI under ``id/``)."""
    return f'(isIRI({var}) && STRSTARTS(STR({var}), "{ID_NS}"))'


def _is_stated(var: str) -> str:
    return (
        f'({var} = <{ONTOLOGY_GRAPH}> || STRSTARTS(STR({var}), "{VOCAB_GRAPHS}") '
        f'|| STRSTARTS(STR({var}), "{SOURCE_GRAPHS}"))'
    )


def _is_derived(var: str) -> str:
    return f'STRSTARTS(STR({var}), "{DERIVED_NS}")'


def _stated_of(var: str) -> str:
    """SPARQL: the stated graph of the graph ``var`` (itself if it is stated)."""
    return (
        f'IF({_is_derived(var)}, IRI(CONCAT("{GRAPH_NS}", STRAFTER(STR({var}), "{DERIVED_NS}"))), '
        f"{var})"
    )


def _values(variables: str, rows: Iterable[Sequence[str | None]]) -> str:
    body = " ".join(
        "(" + " ".join("UNDEF" if v is None else f"<{v}>" for v in row) + ")" for row in rows
    )
    return f"VALUES ({variables}) {{ {body} }}"


Where = Callable[[str, str], str]
"""``where(pattern, condition)``: a pattern read in graph ``?g``, written to graph ``?d``.

The pattern is a group: the rule table (``VALUES``) and a triple pattern.
"""


def _pairs(pairs: Sequence[tuple[str, str]]) -> Where:
    """Read graph ``?g`` and write graph ``?d`` for each pair ``(?g, ?d)``.

    A few graphs are looked up one by one; many are matched by one scan of the pattern
    joined with the table of graphs (no string functions on graph names per row).
    """
    table = _values("?g ?d", pairs)
    if len(pairs) <= NESTED_LIMIT:
        return lambda pattern, condition: f"{table} GRAPH ?g {{ {pattern} }} FILTER({condition})"
    return lambda pattern, condition: (
        f"{{ SELECT * WHERE {{ GRAPH ?g {{ {pattern} }} FILTER({condition}) }} }} {table}"
    )


def _one_step(rules: Rules, where: Where, *, only: frozenset[str] | None = None) -> list[str]:
    """Return the operations applying the one-step rules to the triples ``where`` reads.

    ``only`` restricts them to triples of these predicates (the heads of chains).
    """
    ops = []

    def wanted(prop: str) -> bool:
        return only is None or prop in only

    relations = [(p, None if inv else q, q if inv else None) for p, q, inv in rules.relation_rows()]
    relations = [r for r in relations if wanted(r[0])]
    if relations:
        ops.append(
            "INSERT { GRAPH ?d { ?x ?forward ?y . ?y ?backward ?x } } WHERE { "
            + where(
                _values("?p ?forward ?backward", relations) + " ?x ?p ?y",
                f"{_entity('?x')} && {_entity('?y')}",
            )
            + " }"
        )
    for of_object, var in ((False, "?x"), (True, "?y")):
        rows = [r for r in rules.type_rows(of_object=of_object) if wanted(r[0])]
        if rows:
            ops.append(
                f"INSERT {{ GRAPH ?d {{ {var} a ?class }} }} WHERE {{ "
                + where(_values("?p ?class", rows) + " ?x ?p ?y", _entity(var))
                + " }"
            )
    if only is None and rules.class_rows():
        ops.append(
            "INSERT { GRAPH ?d { ?x a ?class } } WHERE { "
            + where(_values("?type ?class", rules.class_rows()) + " ?x a ?type", _entity("?x"))
            + " }"
        )
    return ops


def _any(parts: Sequence[str]) -> str:
    return "(" + " || ".join(parts) + ")" if parts else "false"


def _stated_name(var: str) -> str:
    """SPARQL: whether the graph name ``var`` (a string) is that of a stated graph."""
    return (
        f'({var} = "{ONTOLOGY_GRAPH}" || STRSTARTS({var}, "{SOURCE_GRAPHS}") '
        f'|| STRSTARTS({var}, "{VOCAB_GRAPHS}"))'
    )


def _chain_op(
    rules: Rules,
    chain: Chain,
    stated: Sequence[str],
    *,
    across: bool,
    targets: Sequence[str] | None,
    first: Sequence[str] | None = None,
) -> str:
    """Return the operation applying one chain.

    Each link is matched in any of the ``stated`` graphs, or, for links a chain's head
    entails, in any derived graph. The graph written to follows from the links' graphs: the one
    source among them (vocabularies and the ontology are background), else the one
    vocabulary, else the ontology; two sources, two vocabularies with no source, or a
    link in the across-sources graph give the across-sources graph. With ``across``
    only facts for the across-sources graph that no other graph holds are written;
    otherwise only those for the derived graphs ``targets`` (all when None), the first
    link looked up in the graphs ``first`` only (when given).

    Graph names are turned into strings once per match, and for the across-sources graph
    only where the links are in different graphs: on disk, each ``STR`` reads the string
    from the store.
    """
    heads = {c.head for c in rules.chains}
    n = len(chain.links)
    parts = []
    for i, link in enumerate(chain.links, start=1):
        alternatives = sorted(rules.alternatives(link))
        pattern = f"?x{i - 1} {'|'.join(s.path for s in alternatives)} ?x{i}"
        if first is not None:  # the first link in a few graphs, the next ones looked up
            restrict = _values("?g1", [(g,) for g in first]) if i == 1 else ""
            clause = f"{restrict} GRAPH ?g{i} {{ {pattern} }} FILTER({_is_stated(f'?g{i}')})"
        else:  # all stated graphs: one scan, hash-joined with their names, as one unit
            clause = (
                f"{{ SELECT ?g{i} ?x{i - 1} ?x{i} WHERE {{ "
                f"{{ SELECT * WHERE {{ GRAPH ?g{i} {{ {pattern} }} }} }} "
                f"{_values(f'?g{i}', [(g,) for g in stated])} }} }}"
            )
        from_heads = [s for s in alternatives if s.iri in heads]
        if from_heads:
            head_pattern = f"?x{i - 1} {'|'.join(s.path for s in from_heads)} ?x{i}"
            clause = (
                f"{{ {clause} }} UNION {{ GRAPH ?g{i} {{ {head_pattern} }} "
                f"FILTER({_is_derived(f'?g{i}')}) }}"
            )
        parts.append(clause)
    g = [f"?g{i}" for i in range(1, n + 1)]
    if across:  # links all in one graph give that graph's facts: skip them early
        parts.append(f"FILTER(!({' && '.join(f'{g[0]} = {v}' for v in g[1:])}))")
    for i in range(1, n + 1):
        parts.append(f"BIND(STR(?g{i}) AS ?n{i})")
        parts.append(
            f'BIND(IF(STRSTARTS(?n{i}, "{DERIVED_NS}"), '
            f'CONCAT("{GRAPH_NS}", STRAFTER(?n{i}, "{DERIVED_NS}")), ?n{i}) AS ?s{i})'
        )
    s = [f"?s{i}" for i in range(1, n + 1)]

    def of_kind(prefix: str) -> tuple[list[str], str, str]:
        kind = [f'STRSTARTS({v}, "{prefix}")' for v in s]
        clash = [
            f"({kind[i]} && {kind[j]} && {s[i]} != {s[j]})"
            for i in range(n)
            for j in range(i + 1, n)
        ]
        pick = s[-1]
        for i in reversed(range(n - 1)):
            pick = f"IF({kind[i]}, {s[i]}, {pick})"
        return kind, _any(clash), pick

    source, source_clash, pick_source = of_kind(SOURCE_GRAPHS)
    vocab, vocab_clash, pick_vocab = of_kind(VOCAB_GRAPHS)
    in_across = _any([f'?n{i} = "{ACROSS_SOURCES_GRAPH}"' for i in range(1, n + 1)])
    target = (
        f'IF({in_across} || {source_clash}, "{ACROSS_SOURCES_GRAPH}", '
        f'IF({_any(source)}, {pick_source}, IF({vocab_clash}, "{ACROSS_SOURCES_GRAPH}", '
        f'IF({_any(vocab)}, {pick_vocab}, "{ONTOLOGY_GRAPH}"))))'
    )
    parts.append(f"BIND({target} AS ?t)")
    parts.append(
        f'BIND(IRI(IF(?t = "{ACROSS_SOURCES_GRAPH}", ?t, '
        f'CONCAT("{DERIVED_NS}", STRAFTER(?t, "{GRAPH_NS}")))) AS ?d)'
    )
    used = []
    for i, v in enumerate(s, start=1):
        parts.append(f"BIND(IF({_stated_name(v)}, IRI({v}), ?none) AS ?used{i})")
        used.append(f"?d <{PROV.wasDerivedFrom}> ?used{i} .")
    fact = f"?x0 <{chain.head}> ?x{n}"
    if across:
        parts.append(f"FILTER(?d = {_ACROSS})")
        parts.append(f"FILTER NOT EXISTS {{ GRAPH ?h {{ {fact} }} FILTER(?h != {_ACROSS}) }}")
    else:
        parts.append(f"FILTER(?d != {_ACROSS})")
    where = " ".join(parts)
    if targets is not None and not across:
        project = " ".join(["?x0", f"?x{n}", "?d", *(f"?used{i}" for i in range(1, n + 1))])
        where = (
            f"{{ SELECT {project} WHERE {{ {where} }} }} {_values('?d', [(t,) for t in targets])}"
        )
    return f"INSERT {{ GRAPH ?d {{ {fact} . {' '.join(used)} }} }} WHERE {{ {where} }}"


def _heads(rules: Rules) -> frozenset[str]:
    return frozenset(c.head for c in rules.chains)


def _cleanup_heads(rules: Rules, where: Where) -> list[str]:
    """Remove the chains' heads that are not kept (they were there to feed other chains)."""
    ops = []
    for head in sorted(_heads(rules)):
        keep = f"{_entity('?x')} && {_entity('?y')}" if _kept_predicate(head) else "false"
        ops.append(
            f"DELETE {{ GRAPH ?d {{ ?x <{head}> ?y }} }} WHERE {{ "
            f"{where(f'?x <{head}> ?y', f'!({keep})')} }}"
        )
    return ops


def _unstate(graphs: Sequence[str]) -> str:
    """Remove from the derived ``graphs`` the facts a stated graph holds.

    A derived graph records which other source masked one of its facts.
    """
    return (
        "DELETE { GRAPH ?d { ?x ?p ?y } } "
        f"INSERT {{ GRAPH ?d {{ ?d <{PROV.wasInfluencedBy}> ?masking }} }} WHERE {{ "
        f"{_values('?d', [(g,) for g in graphs])} GRAPH ?d {{ ?x ?p ?y }} "
        f"GRAPH ?h {{ ?x ?p ?y }} FILTER(?h != ?d && {_is_stated('?h')}) "
        f'BIND(IF(?d != {_ACROSS} && STRSTARTS(STR(?h), "{SOURCE_GRAPHS}") '
        f"&& ?h != {_stated_of('?d')}, ?h, ?none) AS ?masking) }}"
    )


def _unbackground(background: Sequence[str]) -> str:
    """Remove from the sources' derived graphs what the background graphs already hold.

    The background is the ontology and the vocabularies, stated and derived: a fact that
    follows from them alone is in their derived graphs, not again in every source's. A
    search key stays with the source that gives the name (:mod:`search_keys`).
    """
    graphs = [*background, *(derived_graph(g) for g in background)]
    return (
        "DELETE { GRAPH ?d { ?x ?p ?y } } WHERE { "
        f"{_values('?b', [(g,) for g in graphs])} GRAPH ?b {{ ?x ?p ?y }} "
        f"FILTER({_entity('?x')} && ?p != <{CG.searchKey}>) GRAPH ?d {{ ?x ?p ?y }} "
        f'FILTER(STRSTARTS(STR(?d), "{DERIVED_NS}source/")) }}'
    )


def _activity(graph: str) -> str:
    """Return the reasoning activity that generated the derived graph ``graph``."""
    return graph + "#activity"


def _describe(graphs: Sequence[str]) -> str:
    """Describe derived graphs with PROV-O (what they follow from, how they were made).

    The descriptions hold no ``rdf:type``, so that every type in a derived graph is a
    derived fact. ``?d prov:wasGeneratedBy ?activity`` is the mark of a complete graph.
    """
    rows = [(graph, stated_graph(graph), _activity(graph)) for graph in graphs]
    label = (
        f'IF(?d = {_ACROSS}, "Facts that follow only from several graphs together"@en, '
        f'STRLANG(CONCAT("Facts derived from ", STRAFTER(STR(?g), "{GRAPH_NS}")), "en"))'
    )
    return (
        f"INSERT {{ GRAPH ?d {{ ?d <{RDFS.label}> ?label ; "
        f"<{PROV.wasDerivedFrom}> ?g , <{ONTOLOGY_GRAPH}> ; <{PROV.wasGeneratedBy}> ?activity . "
        f"?activity <{RDFS.label}> {_literal(METHOD)} ; <{PROV.used}> ?g , <{ONTOLOGY_GRAPH}> . "
        f"}} }} WHERE {{ {_values('?d ?g ?activity', rows)} BIND({label} AS ?label) }}"
    )


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


# -- the derivation -------------------------------------------------------------------

DERIVED_DATASET = DERIVED_NS.rstrip("/")
"""The set of all derived graphs; the across-sources graph holds its VoID summary."""

SCRATCH_SHARE = 0.1
"""A derivation of this share of the stated graphs of an on-disk store runs in memory."""


@dataclass(frozen=True)
class DeriveReport:
    """What :func:`derive` did, and what the derived graphs hold.

    Attributes
    ----------
    graphs
        The derived graphs written this time, sorted (none when nothing changed).
    triples
        Derived statements in the store now, over all derived graphs (a fact that
        follows from two sources counts twice; their PROV descriptions excluded).
    by_predicate
        Those statements per predicate (prefixed name; ``rdf:type`` counted as such),
        most frequent first.
    """

    graphs: tuple[str, ...]
    triples: int
    by_predicate: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class _Plan:
    """What one call of :func:`derive` does."""

    stated: tuple[str, ...]
    targets: tuple[str, ...]
    kept: tuple[str, ...]

    @property
    def written(self) -> list[str]:
        """The derived graphs written: those of the targets and across-sources."""
        return sorted([derived_graph(g) for g in self.targets] + [ACROSS_SOURCES_GRAPH])

    @property
    def background(self) -> list[str]:
        """The ontology and the vocabularies."""
        return [g for g in self.stated if not g.startswith(SOURCE_GRAPHS)]


def derive(store: Store) -> DeriveReport:
    """Derive what follows from the stated graphs that have no derived graph yet.

    See the module docstring for what is derived and where it goes.

    Parameters
    ----------
    store
        A writable store holding the stated graphs (the ontology's included).

    Returns
    -------
    DeriveReport
        The graphs written and what all derived graphs hold.

    Raises
    ------
    StoreError
        If the store refuses an update.
    """
    report = _derive(store)
    store.refresh_union()  # the default graph every query reads, each triple once
    return report


def derived_as_is(store: Store) -> DeriveReport | None:
    """Return what the derived graphs hold if the last derivation completed, else ``None``.

    Only for a store :func:`~clustergraph.pipeline.load.load` has just found in step
    with its files: every load that changes a graph drops the across-sources graph,
    and every derivation marks it last, so its mark says nothing is left to derive (an
    embedded store's union must be current too). Costs two look-ups, not a listing of
    the graphs.
    """
    if store.writable and not store.union_current:
        return None
    if not _marked(store, ACROSS_SOURCES_GRAPH):
        return None
    counts = _read_summary(store)
    return None if counts is None else _report((), counts)


def _derive(store: Store) -> DeriveReport:
    present = _graph_names(store)
    stated = [g for g in present if is_stated_graph(g)]
    derived = [g for g in present if is_derived_graph(g)]
    known = set(stated)
    if ACROSS_SOURCES_GRAPH in derived and _marked(store, ACROSS_SOURCES_GRAPH):
        # Every derivation marks the across-sources graph last: the others are complete.
        complete = set(derived)
    else:
        complete = _complete(store) & set(derived)
    todo = {g for g in stated if derived_graph(g) not in complete}
    stale = {g for g in derived if g not in complete}
    stale |= {g for g in complete if g != ACROSS_SOURCES_GRAPH and stated_graph(g) not in known}
    if not todo and not stale and ACROSS_SOURCES_GRAPH in complete:
        counts = _read_summary(store)
        if counts is None:  # a derivation that died before writing it
            counts = _summarise(store, derived)
            if store.writable:
                _write_summary(store, counts)
        return _report((), counts)
    # A derived graph whose facts another source masked is derived again when that
    # source changed or went.
    for graph, masking in _influences(store):
        owner = stated_graph(graph)
        if owner in known and (masking in todo or masking not in known):
            todo.add(owner)
    plan = _Plan(
        stated=tuple(stated),
        targets=tuple(sorted(todo)),
        kept=tuple(sorted(g for g in complete - stale if stated_graph(g) not in {None, *todo})),
    )
    store.drop_graphs(sorted({*stale, *plan.written}))
    if not stated:
        return _report((), {})
    rules = read_rules(store)
    if _worth_scratch(store, plan):
        return _derive_in_scratch(store, plan, rules)
    # Names as people type them (search_keys) first: the completion marks come last.
    write_search_keys(store, plan.written)
    written = _derive_in(store, plan, rules)
    counts = _summarise(store, [*plan.kept, *plan.written])
    _write_summary(store, counts)
    return _report(written, counts)


def _worth_scratch(store: Store, plan: _Plan) -> bool:
    """Whether to derive in memory: a store not in this process, or on disk and much to derive.

    In one transaction on disk, Oxigraph takes about 0.4 ms per derived quad; copying
    the whole store to memory and bulk-loading the result back takes about 0.02 ms per
    quad of the store. A source derives about half as many quads as it states. A remote
    store is always derived here: what the rules read crosses the network once, the
    rules run on this engine (whatever the store's own SPARQL Update does), and the
    derived graphs go back as graphs.
    """
    if not store.local:
        return True
    if not isinstance(store, BulkStore) or not store.on_disk:
        return False
    return len(plan.targets) >= SCRATCH_SHARE * len(plan.stated)


def _derive_in(store: Store, plan: _Plan, rules: Rules) -> list[str]:
    """Run the rules for ``plan`` in ``store``; return the derived graphs written."""
    written = plan.written
    targets = [derived_graph(g) for g in plan.targets]
    everything = set(plan.targets) == set(plan.stated)
    from_stated = _pairs([(g, derived_graph(g)) for g in plan.targets])
    in_derived = _pairs([(d, d) for d in targets])
    in_across = _pairs([(ACROSS_SOURCES_GRAPH, ACROSS_SOURCES_GRAPH)])
    heads = _heads(rules)
    # A fact of a target's derived graph follows from the target and the background only.
    relevant = sorted({*plan.targets, *targets, *plan.background,
                       *(derived_graph(g) for g in plan.background)})  # fmt: skip
    per_graph = [
        *_one_step(rules, from_stated),
        *(_chain_op(rules, c, plan.stated, across=False, targets=None if everything else written,
                    first=None if everything else relevant)
          for c in rules.chains),
        *_one_step(rules, in_derived, only=heads),
    ]  # fmt: skip
    across = [
        *(_chain_op(rules, c, plan.stated, across=True, targets=None) for c in rules.chains),
        *_one_step(rules, in_across, only=heads),
    ]
    masked = _masked(store, plan) if plan.kept and plan.targets else []
    cleanup = [
        _unbackground(plan.background),
        *_cleanup_heads(rules, in_derived),
        *_cleanup_heads(rules, in_across),
        _unstate(written),
        # The across-sources graph holds only what no other graph holds.
        f"DELETE {{ GRAPH {_ACROSS} {{ ?x ?p ?y }} }} WHERE {{ GRAPH {_ACROSS} {{ ?x ?p ?y }} "
        f"FILTER({_entity('?x')}) GRAPH ?h {{ ?x ?p ?y }} FILTER(?h != {_ACROSS}) }}",
    ]
    if masked:
        cleanup.append(_unstate(masked))
    # What the requests delete, another graph still holds: only these graphs gain facts.
    changed = sorted({*written, *masked})
    if not rules.recursive:
        _run(store, [*per_graph, *across, *cleanup, _describe(written)], changed)
    else:
        _fixpoint(store, per_graph, written)
        _fixpoint(store, across, [ACROSS_SOURCES_GRAPH])
        _run(store, [*cleanup, _describe(written)], changed)
    return changed


def _derive_in_scratch(store: Store, plan: _Plan, rules: Rules) -> DeriveReport:
    """Derive in an in-memory store holding what the rules read, then write back.

    The scratch store holds what the rules read: the ontology, the vocabularies and the
    derived graphs kept, whole, and of the sources the statements whose predicate the
    rules name (a derived fact has such a predicate or ``rdf:type``). From an embedded
    store the quads go from store to store without being written out as text, and the
    derived graphs are bulk-loaded back; a remote store is read with a query per graph
    and per predicate, and its derived graphs are replaced all together or not at all
    (:meth:`~clustergraph.store.base.Store.replace_graphs`). Either way without their
    completion marks, which are written last, with the summary, in one request.
    """
    from clustergraph.store.oxigraph import OxigraphStore

    whole = [*plan.background, *plan.kept]
    read = sorted(rules.properties | {RDF.type})
    with OxigraphStore() as work:
        work.native.bulk_extend(_read(store, whole, read))
        write_search_keys(work, plan.written, names=store)  # the names are in the store
        written = _derive_in(work, plan, rules)
        counts = _summarise(work, [*plan.kept, *plan.written])
        markers = [(g, _activity(g)) for g in written]
        mark = f"GRAPH ?d {{ ?d <{PROV.wasGeneratedBy}> ?activity }}"
        work.update(
            f"DELETE {{ {mark} }} WHERE {{ {_values('?d', [(g,) for g in written])} {mark} }}"
        )
        if isinstance(store, BulkStore):
            store.drop_graphs(written)
            try:
                store.bulk_extend(
                    quad
                    for graph in written
                    for quad in work.native.quads_for_pattern(None, None, None, ox.NamedNode(graph))
                )
            except OSError as exc:
                raise StoreError(
                    f"{store.location}: writing the derived graphs failed: {exc}"
                ) from exc
        else:
            store.replace_graphs(
                {
                    graph: ox.serialize(
                        (
                            q.triple
                            for q in work.native.quads_for_pattern(
                                None, None, None, ox.NamedNode(graph)
                            )
                        ),
                        format=ox.RdfFormat.N_TRIPLES,
                    )
                    or b""
                    for graph in written
                }
            )
    _write_summary(store, counts, markers=markers)
    return _report(written, counts)


def _read(store: Store, graphs: Sequence[str], predicates: Sequence[str]) -> Iterator[ox.Quad]:
    """Yield the quads of ``graphs`` and those of any named graph with one of ``predicates``."""
    if isinstance(store, BulkStore):
        native = store.native
        for g in graphs:
            yield from native.quads_for_pattern(None, None, None, ox.NamedNode(g))
        for p in predicates:
            for q in native.quads_for_pattern(None, ox.NamedNode(p), None, None):
                if isinstance(q.graph_name, ox.NamedNode):  # not the union in the default graph
                    yield q
        return
    for g in graphs:
        yield from store.quads(graph=g)
    for p in predicates:
        yield from store.quads(predicate=ox.NamedNode(p))


def _run(store: Store, ops: Sequence[str], graphs: Sequence[str]) -> None:
    """Run update operations as one request (one transaction where the store allows).

    ``graphs`` are the graphs they write (see :meth:`clustergraph.store.base.Store.update`).
    """
    if ops:
        store.update(" ;\n".join(ops), graphs=graphs)


def _fixpoint(store: Store, ops: Sequence[str], graphs: Sequence[str]) -> None:
    """Run ``ops`` until the ``graphs`` they write stop growing."""
    before = -1
    while True:
        _run(store, ops, graphs)
        now = sum(store.count(g) for g in graphs)
        if now == before:
            return
        before = now


def _graph_names(store: Store) -> list[str]:
    """Return the store's named graphs (an embedded store lists them without a look inside)."""
    if isinstance(store, BulkStore):
        names = store.native.named_graphs()
        return sorted(g.value for g in names if isinstance(g, ox.NamedNode))
    return store.graphs()


def _marked(store: Store, graph: str) -> bool:
    """Whether the derived ``graph`` holds its completion mark."""
    result = store.query(
        f"ASK {{ GRAPH <{graph}> {{ <{graph}> <{PROV.wasGeneratedBy}> <{_activity(graph)}> }} }}"
    )
    return bool(result)


def _complete(store: Store) -> set[str]:
    """Return the derived graphs that hold their completion mark (written last)."""
    result = store.query(
        f"SELECT DISTINCT ?d WHERE {{ GRAPH ?d {{ ?d <{PROV.wasGeneratedBy}> ?activity }} }}"
    )
    assert isinstance(result, SelectResult)
    return {row[0].value for row in result.rows if row[0] is not None}


def _influences(store: Store) -> list[tuple[str, str]]:
    """Return ``(derived graph, source)``: a source that masks facts of the derived graph."""
    result = store.query(f"SELECT ?d ?h WHERE {{ GRAPH ?d {{ ?d <{PROV.wasInfluencedBy}> ?h }} }}")
    assert isinstance(result, SelectResult)
    return [
        (d.value, h.value)
        for d, h in result.rows
        if d is not None and h is not None and is_derived_graph(d.value)
    ]


def _masked(store: Store, plan: _Plan) -> list[str]:
    """Return the derived graphs kept as they are that hold a fact a target states."""
    result = store.query(
        f"SELECT DISTINCT ?d WHERE {{ {_values('?h', [(g,) for g in plan.targets])} "
        f"GRAPH ?h {{ ?x ?p ?y }} FILTER({_entity('?x')}) "
        f"GRAPH ?d {{ ?x ?p ?y }} FILTER({_is_derived('?d')} && ?d != {_ACROSS}) }}"
    )
    assert isinstance(result, SelectResult)
    kept = set(plan.kept)
    return sorted(r[0].value for r in result.rows if r[0] is not None and r[0].value in kept)


def _summarise(store: Store, graphs: Sequence[str]) -> dict[str, int]:
    """Count the derived facts of ``graphs`` per predicate IRI.

    Their descriptions and the search keys (names as typed, :mod:`search_keys`) aside.
    """
    counts: dict[str, int] = {}
    if graphs:
        result = store.query(
            f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {_values('?d', [(g,) for g in graphs])} "
            "GRAPH ?d { ?x ?p ?y } } GROUP BY ?p"
        )
        assert isinstance(result, SelectResult)
        for p, n in result.rows:
            # Descriptions use neither rdf:type nor a cg: or org: term.
            if (
                p is not None
                and n is not None
                and (p.value == RDF.type or _kept_predicate(p.value))
                and p.value != CG.searchKey
            ):
                counts[p.value] = int(n.value)
    return counts


def _report(written: Sequence[str], counts: Mapping[str, int]) -> DeriveReport:
    named = {("rdf:type" if p == RDF.type else compact(p, PREFIXES)): n for p, n in counts.items()}
    ordered = tuple(sorted(named.items(), key=lambda kv: (-kv[1], kv[0])))
    return DeriveReport(tuple(written), sum(counts.values()), ordered)


def _write_summary(
    store: Store, counts: Mapping[str, int], *, markers: Sequence[tuple[str, str]] = ()
) -> None:
    """Write the summary of all derived graphs into the across-sources graph, and marks.

    The summary is VoID: ``void:triples`` and a ``void:propertyPartition`` per predicate.
    """
    dataset = f"<{DERIVED_DATASET}>"
    triples = [f"{dataset} <{VOID.triples}> {sum(counts.values())} ."]
    for number, (iri, count) in enumerate(sorted(counts.items())):
        node = f"<{DERIVED_DATASET}#p{number}>"
        triples.append(
            f"{dataset} <{VOID.propertyPartition}> {node} . "
            f"{node} <{VOID.property}> <{iri}> ; <{VOID.triples}> {count} ."
        )
    marks = " ".join(f"GRAPH <{g}> {{ <{g}> <{PROV.wasGeneratedBy}> <{a}> }}" for g, a in markers)
    request = (
        f"DELETE WHERE {{ GRAPH {_ACROSS} {{ {dataset} <{VOID.propertyPartition}> ?part . "
        f"?part ?p ?o }} }} ; DELETE WHERE {{ GRAPH {_ACROSS} {{ {dataset} ?p ?o }} }} ; "
        f"INSERT DATA {{ GRAPH {_ACROSS} {{ {' '.join(triples)} }} {marks} }}"
    )
    store.update(request, graphs=[ACROSS_SOURCES_GRAPH, *(g for g, _ in markers)])


def _read_summary(store: Store) -> dict[str, int] | None:
    """Read the summary :func:`_write_summary` wrote (None if there is none)."""
    result = store.query(
        f"SELECT ?p ?n WHERE {{ GRAPH {_ACROSS} {{ <{DERIVED_DATASET}> <{VOID.triples}> ?total "
        f"OPTIONAL {{ <{DERIVED_DATASET}> <{VOID.propertyPartition}> ?part . "
        f"?part <{VOID.property}> ?p ; <{VOID.triples}> ?n }} }} }}"
    )
    assert isinstance(result, SelectResult)
    if not result.rows:
        return None
    return {p.value: int(n.value) for p, n in result.rows if p is not None and n is not None}
