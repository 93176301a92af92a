"""Findings that give the fix: each planted mistake of ``tests/fixtures/curation/bad/``.

Each file holds one mistake; ``expected.toml`` gives the line its finding must contain:
file and line of the triple, the wrong value, and what is expected or meant. The
validation findings are the same whichever engine validates (SHACL compiled to SPARQL,
or pySHACL).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from clustergraph.errors import InputError
from clustergraph.pipeline.checks import run_checks
from clustergraph.pipeline.sync import sync
from clustergraph.pipeline.validate import validate
from clustergraph.project.layout import Project
from clustergraph.queries.library import Library
from clustergraph.rdf.lines import TripleLines
from clustergraph.store import open_store
from tests.conftest import FIXTURES, REPO

BAD = FIXTURES / "curation" / "bad"
CASES: dict[str, dict[str, Any]] = tomllib.loads((BAD / "expected.toml").read_text("utf-8"))


def test_every_planted_file_has_its_expected_line_and_there_are_enough() -> None:
    assert {p.stem for p in BAD.glob("*.ttl")} == set(CASES)
    assert len(CASES) >= 15


def _project(tmp_path: Path, stem: str) -> Project:
    root = tmp_path / "repo"
    for name in ("ontology", "data/vocab", "queries"):
        shutil.copytree(REPO / name, root / name)
    (root / "data" / "sources").mkdir()
    shutil.copyfile(BAD / f"{stem}.ttl", root / "data" / "sources" / f"{stem}.ttl")
    return Project(root)


@pytest.mark.parametrize("stem", sorted(CASES))
def test_the_finding_names_line_value_and_fix(stem: str, tmp_path: Path) -> None:
    case = CASES[stem]
    project = _project(tmp_path, stem)
    store = open_store("memory:")
    if case["by"] == "load":
        with pytest.raises(InputError) as error:
            sync(project, store)
        assert case["expect"] in str(error.value)
        return
    sync(project, store)
    if case["by"] == "validate":
        lines = validate(project, store, engine="sparql").format().splitlines()
        assert any(case["expect"] in line for line in lines), "\n".join(lines)
    else:
        report = run_checks(store, Library.of(project))
        text = report.format()
        assert any(case["expect"] in line for line in text.splitlines()), text
    if "validate" in case:  # a check's finding that validation reports as well
        validated = validate(project, store)
        lines = validated.format().splitlines()
        assert case["validate"] in lines, "\n".join(lines)
        assert validated.conforms == (case.get("conforms", True) is True)


@pytest.mark.slow
@pytest.mark.parametrize("stem", sorted(s for s, c in CASES.items() if c["by"] == "validate"))
def test_both_engines_report_alike(stem: str, tmp_path: Path) -> None:
    project = _project(tmp_path, stem)
    store = open_store("memory:")
    sync(project, store)
    compiled = validate(project, store, engine="sparql").format()
    assert validate(project, store, engine="pyshacl").format() == compiled


def test_lines_are_found_for_every_triple_of_the_articles(project: Project) -> None:
    import pyoxigraph as ox

    from clustergraph.project.layout import SOURCE_GRAPHS

    for path in sorted(project.sources_dir.glob("*.ttl")):
        data = path.read_bytes()
        base = SOURCE_GRAPHS + path.stem
        lines = TripleLines.read(data, base)
        for quad in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base):
            if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
                continue
            found = lines.line(quad.subject.value, quad.predicate.value, quad.object.value)
            assert found is not None, (path.name, quad)
            text = data.decode("utf-8").splitlines()[found - 1]
            local = re.split(r"[/#]", quad.object.value)[-1][:8]
            assert isinstance(quad.object, ox.Literal) or local in text, (path.name, found, quad)


def test_good_data_gets_no_warning(store: Any, project: Project) -> None:
    report = run_checks(store, Library.of(project))
    assert not report.warned and report.passed, report.format(failures_only=True)


def _converted(stem: str, suffix: str) -> bytes:
    """Return the planted file ``stem`` in the format of ``suffix``.

    TriG: its triples in a default-graph block; N-Quads: the source's own facts in the
    default graph, the rest in a publisher's graph.
    """
    import pyoxigraph as ox

    from clustergraph.project.layout import SOURCE_GRAPHS

    triples = [
        q.triple
        for q in ox.parse(
            (BAD / f"{stem}.ttl").read_bytes(),
            format=ox.RdfFormat.TURTLE,
            base_iri=SOURCE_GRAPHS + stem,
        )
    ]
    if suffix == ".trig":
        body = ox.serialize(triples, format=ox.RdfFormat.TURTLE) or b""
        return b"# planted\n{\n" + body + b"}\n"
    if suffix == ".nt":
        return b"# planted\n" + (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    if suffix == ".nq":
        graph = ox.NamedNode("urn:x:publishers-graph")
        quads = [
            ox.Quad(*t, ox.DefaultGraph() if t.subject.value.startswith(SOURCE_GRAPHS) else graph)
            for t in triples
        ]
        return b"# planted\n" + (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    return ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b""


@pytest.mark.parametrize("suffix", [".trig", ".nt", ".nq", ".jsonld"])
def test_findings_name_the_line_in_every_format_that_has_lines(suffix: str, tmp_path: Path) -> None:
    stem = "role-not-a-role"
    project = _project(tmp_path, stem)
    planted = project.sources_dir / f"{stem}.ttl"
    planted.unlink()
    data = _converted(stem, suffix)
    (project.sources_dir / f"{stem}{suffix}").write_bytes(data)
    store = open_store("memory:")
    sync(project, store)
    lines = validate(project, store).format().splitlines()
    (finding,) = [line for line in lines if "role:associate:" in line]
    if suffix == ".jsonld":  # said, not silently left out
        assert finding.startswith(
            f"data/sources/{stem}.jsonld (JSON-LD gives no line numbers): mem:vastrobel-in-litek"
        ), finding
        return
    text = data.decode("utf-8").splitlines()
    written = [n for n, line in enumerate(text, 1) if "/role/associate" in line]
    assert finding.startswith(f"data/sources/{stem}{suffix}:{written[0]}: mem:vastrobel-in-litek")


def test_the_file_that_writes_the_wrong_triple_is_named_first(tmp_path: Path) -> None:
    """Name the file and line of the triple first, not the first file describing the focus.

    The focus is described by another source too.
    """
    stem = "coordinator-is-a-person"
    project = _project(tmp_path, stem)
    text = (BAD / f"{stem}.ttl").read_text(encoding="utf-8")
    head = text[: text.index("\ngraph:") + 1]
    (project.sources_dir / "aa-earlier.ttl").write_text(
        head
        + "graph:aa-earlier a cg:SourceGraph ; prov:wasDerivedFrom src:aa-earlier .\n"
        + 'src:aa-earlier a cg:NewsArticle ; dcterms:title "Made-up"@en ;\n'
        + '    skos:prefLabel "Made-up (aa-earlier)"@en ; dcterms:language "en" ;\n'
        + '    cg:seedFile "aa-earlier.txt" .\n'
        + "o:vastrobel-sensing-cluster a cg:Cluster ;\n"
        + '    skos:prefLabel "Vastrobel Sensing Cluster"@en .\n',
        encoding="utf-8",
    )
    store = open_store("memory:")
    sync(project, store)
    lines = validate(project, store).format().splitlines()
    (finding,) = [line for line in lines if "cg:coordinatedBy per:julius-pauzolis" in line]
    assert finding.startswith(f"data/sources/{stem}.ttl:48, data/sources/aa-earlier.ttl: "), finding
