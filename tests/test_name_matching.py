"""Duplicates and reconciliation measured on a labelled set of name pairs.

``tests/fixtures/names/pairs.tsv`` holds pairs of names: the same entity spelt
differently (``same=1``) and different entities with close names, or a name not in the
graph (``same=0``). The duplicate check's rule (:func:`same_name`, which
``checks/probable-duplicates`` applies) and ``reconcile``'s ``match`` flag are measured
on it for precision and recall, with floors; ``python -m tests.test_name_matching``
prints the figures and the pairs each gets wrong.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from clustergraph.cli.main import main
from clustergraph.pipeline.curation_checks import probable_duplicates
from clustergraph.project.layout import ID_NS, SOURCE_GRAPHS, Project
from clustergraph.project.vocab import FOAF, ORG, RDF, SCHEMA, SKOS
from clustergraph.queries.names import same_name
from clustergraph.queries.reconcile import Matcher
from clustergraph.store import open_store

PAIRS = Path(__file__).resolve().parent / "fixtures" / "names" / "pairs.tsv"

DUPLICATE_FLOOR = (0.93, 0.90)  # precision, recall of the duplicate check
MATCH_FLOOR = (0.93, 0.88)  # precision, recall of reconcile's match flag


@dataclass(frozen=True)
class Pair:
    kind: str
    same: bool
    a: str
    b: str
    note: str


def pairs() -> list[Pair]:
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return [Pair(r["kind"], r["same"] == "1", r["a"], r["b"], r["note"]) for r in rows]


@dataclass(frozen=True)
class Figures:
    precision: float
    recall: float
    wrong: tuple[str, ...]


def _figures(tp: int, fp: int, fn: int, wrong: list[str]) -> Figures:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return Figures(precision, recall, tuple(wrong))


def measure_duplicates(found: list[Pair]) -> Figures:
    """Precision and recall of :func:`same_name` on the pairs."""
    tp = fp = fn = 0
    wrong = []
    for pair in found:
        said = same_name(pair.a, pair.b)
        tp += said and pair.same
        fp += said and not pair.same
        fn += pair.same and not said
        if said != pair.same:
            wrong.append(f"{'FP' if said else 'FN'} {pair.a!r} / {pair.b!r} ({pair.note})")
    return _figures(tp, fp, fn, wrong)


def _entities(found: list[Pair]) -> tuple[Matcher, dict[str, str]]:
    """Return a matcher whose entities are the ``a`` names (one per name, joined by same pairs)."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    for pair in found:
        root(pair.a), root(pair.b)
        if pair.same:
            parent[root(pair.b)] = root(pair.a)
    classes = {"org": ORG.FormalOrganization, "person": FOAF.Person}
    matcher = Matcher()
    iri_of: dict[str, str] = {}
    for pair in found:
        iri = f"{ID_NS}{pair.kind}/{abs(hash(root(pair.a))):x}"
        iri_of[root(pair.a)] = iri
        if (SKOS.prefLabel, pair.a) not in matcher.names[iri]:
            matcher.names[iri].append((SKOS.prefLabel, pair.a))
        matcher.types[iri].add(classes.get(pair.kind, SCHEMA.Thing))
    expected = {pair.b: iri_of.get(root(pair.b), "") for pair in found}
    expected.update({pair.a: iri_of[root(pair.a)] for pair in found})
    return matcher, expected


def measure_matches(found: list[Pair]) -> Figures:
    """Precision and recall of reconcile's ``match`` flag, each ``b`` typed with its kind."""
    matcher, expected = _entities(found)
    tp = fp = fn = 0
    wrong = []
    for pair in found:
        meant = expected[pair.b]
        chosen = next((c.iri for c in matcher.match(pair.b, kind=pair.kind) if c.match), "")
        tp += bool(chosen) and chosen == meant
        fp += bool(chosen) and chosen != meant
        fn += bool(meant) and chosen != meant
        if chosen != meant:
            got = matcher.name(chosen) if chosen else "no match"
            wrong.append(f"{pair.b!r}: {got} ({pair.note})")
    return _figures(tp, fp, fn, wrong)


def test_the_labelled_set_is_large_and_balanced() -> None:
    found = pairs()
    assert len(found) >= 100
    assert sum(p.same for p in found) >= 40 and sum(not p.same for p in found) >= 40


def test_the_duplicate_rule_meets_its_floors() -> None:
    figures = measure_duplicates(pairs())
    assert (figures.precision, figures.recall) >= DUPLICATE_FLOOR, figures.wrong


def test_the_match_flag_meets_its_floors() -> None:
    figures = measure_matches(pairs())
    assert figures.precision >= MATCH_FLOOR[0], figures.wrong
    assert figures.recall >= MATCH_FLOOR[1], figures.wrong


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("I-asis departamentas", "II-asis departamentas", False),
        ("Prezidentas", "Prezidentūra", False),
        ("LITEK Laser & Engineering Technologies Cluster",
         "Litek Laser and Engineering Technologies cluster", True),
        ("UAB Aumega", "Aumega", True),
    ],
)  # fmt: skip
def test_the_check_itself_applies_the_rule(a: str, b: str, same: bool) -> None:
    def org(slug: str, name: str) -> bytes:
        iri = f"<{ID_NS}org/{slug}>"
        typed = f"{iri} <{RDF.type}> <{ORG.FormalOrganization}> .\n"
        return f'{typed}{iri} <{FOAF.name}> "{name}" .'.encode()

    store = open_store("memory:")
    store.replace_graphs({SOURCE_GRAPHS + "one": org("a", a), SOURCE_GRAPHS + "two": org("b", b)})
    assert bool(probable_duplicates(store).rows) == same


def test_a_bare_place_name_matches_no_cluster() -> None:
    matcher, _expected = _entities(pairs())
    found = matcher.match("Vilnius")
    assert "Vilnius Film Cluster" in {c.name for c in found}
    assert not any(c.match for c in found)


if __name__ == "__main__":
    for title, figures in (
        ("duplicate check", measure_duplicates(pairs())),
        ("reconcile match", measure_matches(pairs())),
    ):
        print(f"{title}: precision {figures.precision:.3f}, recall {figures.recall:.3f}")
        print("\n".join(f"  {w}" for w in figures.wrong))


LOOK_ALIKE = """
<https://w3id.org/clustergraph/id/org/litek-again> a cg:Cluster ;
    skos:prefLabel "Litek Laser and Engineering Technologies cluster"@en .
"""


@pytest.mark.slow
def test_build_reports_probable_duplicates_and_goes_on_unless_strict(
    project_copy: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ["--root", str(project_copy.root)]
    new = ["new-source", "zz-look-alike", "--title", "Made-up look-alike", "--date", "2099-01-02"]
    assert main([*root, *new, "--publisher", "Test Publisher", "--store", "memory:"]) == 0
    path = project_copy.sources_dir / "zz-look-alike.ttl"
    path.write_text(path.read_text(encoding="utf-8") + LOOK_ALIKE, encoding="utf-8")
    assert main([*root, "check"]) == 1  # check still fails on them
    capsys.readouterr()
    assert main([*root, "build", "--out", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "REVIEW checks/probable-duplicates" in out and "litek-again" in out
    page = (tmp_path / "b" / "site" / "curation.html").read_text(encoding="utf-8")
    assert "Litek Laser and Engineering Technologies cluster" in page
    assert "LITEK Laser &amp; Engineering Technologies Cluster" in page
    assert main([*root, "build", "--strict", "--out", str(tmp_path / "c")]) == 1
    assert not (tmp_path / "c").exists()
