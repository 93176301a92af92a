"""How well ``new-source --text`` proposes the facts of the five articles.

For each article of the seeds directory (its file is the ``cg:seedFile`` of one source
in ``data/sources/``), the facts proposed from its text are compared with the facts its
source file states, kind by kind:

- recall: the share of the source's facts proposed (the same IRIs and values);
- wrong: the share of the proposals the source does not state (1 - precision).

Two settings: ``names known`` (the graph holds every article, so the article's own
entities have their names; only names, types and the vocabularies are read, never its
facts) and ``new article`` (the article's own graph is left out of the names, as when a
curator adds a new one: its new entities cannot be found by name).

Usage::

    .venv/bin/python benchmarks/bench_proposals.py [--seeds DIR] [--json]

``DIR`` defaults to ``shared/seeds`` beside the checkout.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from clustergraph.pipeline.sync import sync
from clustergraph.project.layout import DERIVED_NS, MANIFEST_GRAPH, SOURCE_GRAPHS, Project
from clustergraph.queries.proposals import KINDS, Proposer
from clustergraph.queries.reconcile import Matcher
from clustergraph.store import SelectResult, Store, open_store

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
_PREFIXES = """
PREFIX cg: <https://w3id.org/clustergraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
_MENTIONED = ("org", "person", "project", "programme", "event", "document", "place")
_GOLD = {
    "post": "SELECT ?o ?r ?h WHERE { ?p a cg:Post ; org:postIn ?o ; org:role ?r ; org:heldBy ?h }",
    "membership": "SELECT ?m ?o ?r WHERE { ?x a cg:Membership ; org:member ?m ; "
    "org:organization ?o ; org:role ?r }",
    "award": "SELECT ?h ?l WHERE { ?a a cg:ExcellenceLabelAward ; cg:awardedTo ?h ; "
    "cg:labelLevel ?l }",
    "founding": "SELECT ?o (STR(?d) AS ?v) WHERE { ?o schema:foundingDate ?d }",
    "figure": "SELECT ?s ?m (STR(?v) AS ?n) WHERE { ?f a cg:Figure ; cg:figureOf ?s ; "
    "cg:measure ?m ; cg:value ?v }",
    "date": "SELECT DISTINCT (STR(?v) AS ?d) WHERE { ?s ?p ?v FILTER(isLiteral(?v) && "
    "DATATYPE(?v) IN (xsd:date, xsd:gYear, xsd:gYearMonth, xsd:gMonthDay)) }",
}


@dataclass
class Counts:
    """Facts of the sources, proposals, and proposals the sources state, of one kind."""

    stated: int = 0
    proposed: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """The share of the stated facts proposed."""
        return self.correct / self.stated if self.stated else 1.0

    @property
    def wrong_share(self) -> float:
        """The share of the proposals that no source states (1 - precision)."""
        return (self.proposed - self.correct) / self.proposed if self.proposed else 0.0


def _rows(store: Store, graph: str, query: str) -> set[tuple[str, ...]]:
    body = query.split("WHERE", 1)
    text = f"{_PREFIXES}{body[0]} WHERE {{ GRAPH <{graph}> {body[1].strip()} }}"
    result = store.query(text)
    assert isinstance(result, SelectResult)
    return {tuple(t.value for t in row if t is not None) for row in result.rows}


def stated_facts(store: Store, graph: str, matcher: Matcher) -> dict[str, set[tuple[str, ...]]]:
    """Return the facts one source graph states, by kind, as the proposals' keys."""
    facts = {kind: _rows(store, graph, query) for kind, query in _GOLD.items()}
    named = {e for e, gs in matcher.graphs.items() if graph in gs}
    facts["entity"] = {(e,) for e in named if e in matcher.types and matcher.kind(e) in _MENTIONED}
    return facts


def seed_graphs(store: Store) -> dict[str, str]:
    """Return the seed file each source graph was taken from, by graph."""
    result = store.query(
        "PREFIX cg: <https://w3id.org/clustergraph/ontology#> PREFIX prov: "
        "<http://www.w3.org/ns/prov#> SELECT ?g ?f WHERE { GRAPH ?g { ?g prov:wasDerivedFrom "
        "?s . ?s cg:seedFile ?f } }"
    )
    assert isinstance(result, SelectResult)
    return {row[0].value: row[1].value for row in result.rows if row[0] and row[1]}


def measure(
    project: Project, seeds: Path, *, new_article: bool = False, store: Store | None = None
) -> dict[str, Counts]:
    """Return the counts per kind (and ``overall``) over the articles found in ``seeds``."""
    if store is None:
        store = open_store("memory:")
        sync(project, store)
    everything = Matcher.from_store(store)
    counts = {kind: Counts() for kind in (*KINDS, "overall")}
    for graph, seed in sorted(seed_graphs(store).items()):
        path = seeds / seed
        if not graph.startswith(SOURCE_GRAPHS) or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8")
        matcher = everything
        if new_article:
            kept = [
                g
                for g in store.graphs()
                if g != graph and not g.startswith(DERIVED_NS) and g != MANIFEST_GRAPH
            ]
            matcher = Matcher.from_store(store, graphs=kept)
        proposer = Proposer(store, matcher)
        proposals = proposer.propose(text)
        stated = stated_facts(store, graph, everything)
        # An entity the text names and the graph did not: the same as the article's own
        # entity of that name (the IRIs differ where the curator chose a short one).
        own = Matcher.from_store(store, graphs=[graph])
        same = {}
        for iri, new in proposer.new.items():
            found = [c for c in own.match(new.name, limit=3) if c.match]
            if found:
                same[iri] = found[0].iri
        for p in proposals:
            p.key = tuple(same.get(k, k) for k in p.key)
        stem = graph[len(SOURCE_GRAPHS) :]
        for kind in KINDS:
            said = {p.key for p in proposals if p.kind == kind}
            gold = stated[kind]
            c = counts[kind]
            c.stated += len(gold)
            c.proposed += len(said)
            c.correct += len(said & gold)
            c.missed += [f"{stem}: {_show(k)}" for k in sorted(gold - said)]
            c.wrong += [f"{stem}: {_show(k)}" for k in sorted(said - gold)]
    total = counts["overall"]
    for kind in KINDS:
        total.stated += counts[kind].stated
        total.proposed += counts[kind].proposed
        total.correct += counts[kind].correct
    return counts


def _show(key: Iterable[str]) -> str:
    from clustergraph.project.prefixes import PREFIXES, compact

    return " ".join(compact(k, PREFIXES) if k.startswith("http") else k for k in key)


def table(counts: dict[str, Counts]) -> str:
    """Return the figures as a Markdown table."""
    lines = [
        "| kind | stated | proposed | correct | recall | wrong |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, c in counts.items():
        lines.append(
            f"| {kind} | {c.stated} | {c.proposed} | {c.correct} | {c.recall:.2f} "
            f"| {c.wrong_share:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the figures of both settings (``--json``: as JSON; ``-v``: what was missed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="the articles' text files")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and wrongs")
    args = parser.parse_args(argv)
    if not args.seeds.is_dir():
        print(f"{args.seeds}: no such directory (give --seeds)", file=sys.stderr)
        return 2
    project = Project(REPO)
    store = open_store("memory:")
    sync(project, store)
    found = {
        setting: measure(project, args.seeds, new_article=new, store=store)
        for setting, new in (("names known", False), ("new article", True))
    }
    if args.json:
        print(
            json.dumps(
                {
                    s: {k: {"recall": c.recall, "wrong": c.wrong_share} for k, c in f.items()}
                    for s, f in found.items()
                },
                indent=2,
            )
        )
        return 0
    for setting, counts in found.items():
        print(f"\n{setting}\n\n{table(counts)}")
        if args.verbose:
            for kind in KINDS:
                for line in counts[kind].missed:
                    print(f"  missed {kind}: {line}")
                for line in counts[kind].wrong:
                    print(f"  wrong  {kind}: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
