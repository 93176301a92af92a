"""The checks (``queries/checks/``): quiet on the seed data, each one heard on broken data.

The seed data, stated and derived facts together, passes every check. Then each check
gets an example that breaks it, in a source graph of its own beside the seed data, and
must report the example's entity. Derived facts are visible to the checks; where they
could hide a mistake (a misspelt identifier typed by a derivation), the check counts
stated facts only, and a test shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.errors import QueryFileError
from clustergraph.pipeline.checks import CheckReport, run_checks
from clustergraph.pipeline.curation_checks import CHECKS as CURATION_CHECKS
from clustergraph.pipeline.derive import derive
from clustergraph.pipeline.export import data_graphs
from clustergraph.pipeline.findings import UNEXPECTED
from clustergraph.pipeline.load import stated_graphs
from clustergraph.pipeline.name_checks import CHECKS as NAME_CHECKS
from clustergraph.project.layout import ID_NS, SOURCE_GRAPHS
from clustergraph.queries.library import Library, parse_query_file
from clustergraph.store import OxigraphStore, Store

PREFIXES = """\
@prefix cg: <https://w3id.org/clustergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix o: <https://w3id.org/clustergraph/id/org/> .
@prefix per: <https://w3id.org/clustergraph/id/person/> .
@prefix ev: <https://w3id.org/clustergraph/id/event/> .
@prefix fig: <https://w3id.org/clustergraph/id/figure/> .
@prefix mem: <https://w3id.org/clustergraph/id/membership/> .
@prefix post: <https://w3id.org/clustergraph/id/post/> .
@prefix award: <https://w3id.org/clustergraph/id/award/> .
@prefix src: <https://w3id.org/clustergraph/id/source/> .
"""


@dataclass(frozen=True)
class Broken:
    """An example that breaks ``check``; the check must report the IRI ``entity``."""

    check: str
    entity: str
    turtle: str
    describes_itself: bool = True


BROKEN = [
    Broken(
        "award-without-holder-or-level",
        ID_NS + "award/zz-award",
        'award:zz-award a cg:ExcellenceLabelAward ; skos:prefLabel "An award"@en .',
    ),
    Broken(
        "conflicting-founding-dates",
        ID_NS + "org/zz-founded",
        'o:zz-founded schema:foundingDate "2001"^^xsd:gYear , "2002"^^xsd:gYear .',
    ),
    Broken("date-out-of-range", ID_NS + "event/zz-old", 'ev:zz-old cg:date "1850"^^xsd:gYear .'),
    Broken(
        "entity-not-in-any-source",
        ID_NS + "org/zz-nowhere",
        'o:zz-known a cg:Company ; skos:prefLabel "Known"@en ; org:linkedTo o:zz-nowhere .',
    ),
    Broken("entity-without-preflabel", ID_NS + "org/zz-nameless", "o:zz-nameless a cg:Company ."),
    Broken(
        "figure-without-value-or-measure", ID_NS + "figure/zz-figure", "fig:zz-figure a cg:Figure ."
    ),
    Broken(
        "inferred-date-contradicts-date",
        ID_NS + "event/zz-contradicted",
        'ev:zz-contradicted cg:date "--06-16"^^xsd:gMonthDay ;'
        ' cg:inferredDate "2017-07-16"^^xsd:date ; cg:inferenceNote "From the context."@en .',
    ),
    Broken(
        "inferred-date-without-note",
        ID_NS + "event/zz-unexplained",
        'ev:zz-unexplained cg:date "--06-16"^^xsd:gMonthDay ;'
        ' cg:inferredDate "2017-06-16"^^xsd:date .',
    ),
    Broken(
        "membership-without-member-or-organisation",
        ID_NS + "membership/zz-membership",
        "mem:zz-membership a org:Membership ; org:member per:zz-member .",
    ),
    Broken(
        "post-without-holder",
        ID_NS + "post/zz-vacant",
        "post:zz-vacant a org:Post ; org:postIn o:lcn .",
    ),
    Broken(
        "post-without-organisation-or-role",
        ID_NS + "post/zz-nowhere",
        "post:zz-nowhere a org:Post ; org:heldBy per:zz-holder .",
    ),
    Broken(
        "preflabel-without-language",
        ID_NS + "org/zz-untagged",
        'o:zz-untagged a cg:Company ; skos:prefLabel "No language" .',
    ),
    Broken(
        "several-preflabels-in-one-language",
        ID_NS + "org/zz-twice",
        'o:zz-twice a cg:Company ; skos:prefLabel "One"@en , "Other"@en .',
    ),
    Broken(
        "source-graph-without-derivation",
        SOURCE_GRAPHS + "zz-source-graph-without-derivation",
        'o:zz-anonymous a cg:Company ; skos:prefLabel "Anonymous"@en .',
        describes_itself=False,
    ),
    Broken(
        "untyped-reference",
        ID_NS + "org/zz-misspelt",
        'o:zz-pointing a cg:Company ; skos:prefLabel "Pointing"@en ; org:linkedTo o:zz-misspelt .',
    ),
]


def graph_of(case: Broken) -> str:
    return SOURCE_GRAPHS + "zz-" + case.check


def ntriples(case: Broken) -> bytes:
    text = PREFIXES + case.turtle
    if case.describes_itself:
        text += (
            f"\n<{graph_of(case)}> a cg:SourceGraph ; prov:wasDerivedFrom src:zz-article ."
            '\nsrc:zz-article a cg:Source ; skos:prefLabel "An article"@en .'
        )
    quads = ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)
    return ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b""


def copy_of(store: Store) -> OxigraphStore:
    """Return a store holding the data graphs of ``store``."""
    copy = OxigraphStore()
    copy.replace_graphs(
        {
            g: ox.serialize([q.triple for q in store.quads(graph=g)], format=ox.RdfFormat.N_TRIPLES)
            or b""
            for g in data_graphs(store)
        }
    )
    return copy


@pytest.fixture(scope="module")
def broken(store: Store, library: Library) -> CheckReport:
    """Run the checks on the seed data with every broken example beside it."""
    copy = copy_of(store)
    copy.replace_graphs({graph_of(case): ntriples(case) for case in BROKEN})
    return run_checks(copy, library)


def mentioned(report: CheckReport, check: str) -> set[str]:
    (run,) = [r for r in report.runs if r.query.name == f"checks/{check}"]
    return {t.value for row in run.result.rows for t in row if isinstance(t, ox.NamedNode)}


def test_the_seed_data_passes_every_check(store: Store, library: Library) -> None:
    report = run_checks(store, library)
    assert report.passed, report.format(failures_only=True)
    assert [r.query.name for r in report.runs] == [
        *(n for n in library.names if n.startswith("checks/")),
        *(name for name, *_rest in CURATION_CHECKS),  # the Python checks, last
        *(name for name, *_rest in NAME_CHECKS),
        UNEXPECTED[0],
    ]
    assert report.summary() == f"{len(report.runs)} of {len(report.runs)} checks passed"
    assert all(r.seconds >= 0 for r in report.runs)


def test_the_stated_facts_alone_pass_every_check(store: Store, library: Library) -> None:
    assert run_checks(store, library, graphs=stated_graphs(store)).passed


def test_every_check_has_an_example_that_breaks_it(library: Library) -> None:
    checks = {n.removeprefix("checks/") for n in library.names if n.startswith("checks/")}
    assert {case.check for case in BROKEN} == checks


@pytest.mark.parametrize("case", BROKEN, ids=lambda c: c.check)
def test_each_check_reports_what_breaks_it(case: Broken, broken: CheckReport) -> None:
    assert case.entity in mentioned(broken, case.check), broken.format(failures_only=True)


def test_a_failed_check_prints_its_rows(broken: CheckReport) -> None:
    assert not broken.passed
    text = broken.format()
    assert "FAIL checks/figure-without-value-or-measure: " in text
    assert "(4 rows)" in text  # a figure misses its subject, measure, value and comparator
    assert "fig:zz-figure" in text  # entities shown as prefixed names
    # every SPARQL check fails; the Python checks (duplicates, NFC) have their own tests
    passed = len(CURATION_CHECKS) + len(NAME_CHECKS) + 1  # and checks/unexpected-properties
    assert text.splitlines()[-1] == f"{passed} of {len(broken.runs)} checks passed"
    assert "ok   " not in broken.format(failures_only=True)


def test_a_derived_type_does_not_hide_a_misspelt_identifier(store: Store, library: Library) -> None:
    """The object of ``cg:recognizedBy`` (range ``org:Organization``) gets a derived type."""
    copy = copy_of(store)
    case = Broken(
        "untyped-reference",
        ID_NS + "org/zz-eacnn",
        'o:zz-recognised a cg:Company ; skos:prefLabel "Recognised"@en ;'
        " cg:recognizedBy o:zz-eacnn .",
    )
    copy.replace_graphs({graph_of(case): ntriples(case)})
    derive(copy)
    misspelt = case.entity
    typed = copy.query(f"ASK {{ <{misspelt}> a ?type }}")
    assert typed.value, "the derivation no longer types the object of cg:recognizedBy"  # type: ignore[union-attr]
    report = run_checks(copy, library)
    assert mentioned(report, "untyped-reference") == {misspelt}
    assert misspelt not in mentioned(report, "entity-without-preflabel")


def test_a_check_must_be_a_select_query() -> None:
    ask = parse_query_file(
        "#+ summary: Anything?\n#+ tags:\n#+   - check\nASK { ?s ?p ?o }\n",
        name="checks/anything",
        path=Path("queries/checks/anything.rq"),
    )
    with pytest.raises(QueryFileError, match="^checks/anything: a check must be a SELECT query$"):
        run_checks(OxigraphStore(), [ask])
