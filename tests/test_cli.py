"""The command line, run in-process on temporary copies of the repository's data."""

from __future__ import annotations

import re

import pytest

from clustergraph import __version__
from clustergraph.cli.main import main
from clustergraph.pipeline.sync import sync
from clustergraph.pipeline.validate import validate
from clustergraph.store import open_store

NAMELESS = """\
@prefix cg: <https://w3id.org/clustergraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .

<https://w3id.org/clustergraph/graph/source/zz-nameless> a cg:SourceGraph ;
    prov:wasDerivedFrom <https://w3id.org/clustergraph/id/source/zz-nameless> .

# A cluster without any skos:prefLabel.
<https://w3id.org/clustergraph/id/org/nameless> a cg:Cluster .
"""

MALFORMED = """\
@prefix cg: <https://w3id.org/clustergraph/ontology#> .
cg:a cg:b "a"^^<not an iri> .
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_validate_conforms(project_copy, capsys):
    code, out, err = run(capsys, "--root", str(project_copy.root), "validate")
    assert (code, err) == (0, ""), out
    assert re.match(r"conforms: [\d,]+ stated triples in \d+ graphs ", out.splitlines()[-1])


@pytest.mark.slow
def test_validate_reports_the_file_and_constraint(project_copy, capsys):
    (project_copy.sources_dir / "zz-nameless.ttl").write_text(NAMELESS, encoding="utf-8")
    code, out, err = run(capsys, "--root", str(project_copy.root), "validate")
    assert (code, err) == (1, "")
    line = (
        r"^data/sources/zz-nameless\.ttl:8: \S+nameless: An entity needs a name.+"
        r" \[sh:OrConstraintComponent\]$"
    )
    assert re.search(line, out, re.MULTILINE), out
    assert "conforms:" not in out


@pytest.mark.slow
def test_violation_fields(project_copy):
    (project_copy.sources_dir / "zz-nameless.ttl").write_text(NAMELESS, encoding="utf-8")
    store = open_store("memory:")
    sync(project_copy, store)
    report = validate(project_copy, store, shapes=project_copy.shapes_file)
    assert not report.conforms
    missing = [v for v in report.results if v.component == "OrConstraintComponent"]
    assert missing
    assert {v.files for v in missing} == {("data/sources/zz-nameless.ttl",)}
    assert all(v.focus.value.endswith("/id/org/nameless") for v in missing)
    lines = report.format().splitlines()
    assert lines[0].startswith(f"does not conform: {len(report.results)} results")
    assert sum(line.startswith("data/sources/") for line in lines) == len(report.results)


def test_malformed_turtle_is_one_line_on_stderr(project_copy, capsys):
    (project_copy.sources_dir / "zz-malformed.ttl").write_text(MALFORMED, encoding="utf-8")
    code, out, err = run(capsys, "--root", str(project_copy.root), "validate")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("clustergraph: error: data/sources/zz-malformed.ttl:2:16: ")


def test_malformed_shapes_are_an_input_error(project_copy, capsys):
    project_copy.shapes_file.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> \n", "utf-8")
    code, out, err = run(capsys, "--root", str(project_copy.root), "validate")
    assert (code, out) == (2, "")
    assert re.fullmatch(r"clustergraph: error: ontology/shapes\.ttl:\d+:\d+: .+\n", err)


def test_unusable_shapes_are_one_line_on_stderr(project_copy, capsys):
    project_copy.shapes_file.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "[] a sh:NodeShape ; sh:targetNode <http://e.org/a> ; sh:minCount 1 .\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--root", str(project_copy.root), "validate")
    assert (code, out) == (2, "")
    assert re.fullmatch(r"clustergraph: error: SHACL shapes cannot be used: .+\n", err)


def test_missing_project_is_an_input_error(tmp_path, capsys):
    code, out, err = run(capsys, "--root", str(tmp_path), "stats")
    assert (code, out) == (2, "")
    assert err == "clustergraph: error: ontology/clustergraph.ttl: no such file" + (
        f" (project root {tmp_path})\n"
    )


@pytest.mark.parametrize("argv", [["frobnicate"], [], ["validate", "--no-such-option"]])
def test_usage_errors_return_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "usage: clustergraph" in err


def test_version_and_help(capsys):
    assert run(capsys, "--version") == (0, f"clustergraph {__version__}\n", "")
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "exit codes" in out and "validate" in out and "stats" in out


def test_stats_prints_the_graphs(project_copy, capsys, monkeypatch):
    monkeypatch.chdir(project_copy.sources_dir)  # the project is found from here
    code, out, err = run(capsys, "stats")
    assert (code, err) == (0, "")
    assert "graph:ontology" in out
    for path in sorted(project_copy.sources_dir.glob("*.ttl")):
        assert f"graph:source/{path.stem}" in out
        assert f"data/sources/{path.name}" in out
    for path in sorted(project_copy.vocab_dir.glob("*.ttl")):
        assert f"graph:vocab/{path.stem}" in out
    assert "Entities per class" in out and "Sources (" in out


def test_export_to_standard_output_and_to_a_directory(project_copy, tmp_path, capsys):
    import pyoxigraph as ox

    code = main(["--root", str(project_copy.root), "export", "--format", "ntriples"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) > 1000
    target = tmp_path / "exports"
    code, out, err = run(
        capsys, "--root", str(project_copy.root), "export", "--format", "all", "--out", str(target)
    )
    assert (code, err) == (0, "")
    assert {p.name for p in target.iterdir()} >= {"clustergraph.nq", "void.ttl", "context.jsonld"}
    code, out, err = run(capsys, "--root", str(project_copy.root), "export", "--format", "all")
    assert code == 2 and "give a directory with --out" in err


@pytest.mark.store
def test_push_from_the_command_line(project_copy, tmp_path, capsys):
    from tests.support.servers import oxigraph_server

    with oxigraph_server(tmp_path / "oxigraph") as server:
        code, out, err = run(
            capsys, "--root", str(project_copy.root), "push", "--graph-store", server.store_url
        )
        assert (code, err) == (0, ""), err
        assert "pushed" in out.splitlines()[-1]
        code, out, err = run(
            capsys, "query", "sources", "--format", "csv", "--store", server.query_url
        )
        assert code == 0 and "ftd-lt-joins-eacn" in out


def test_push_to_a_closed_port_is_one_line(project_copy, capsys):
    from tests.support.servers import free_port

    url = f"http://127.0.0.1:{free_port()}/store"
    code, out, err = run(
        capsys, "--root", str(project_copy.root), "push", "--graph-store", url, "--retries", "0"
    )
    assert code == 2
    assert err.count("\n") == 1 and "connection refused" in err
