"""What a new user runs into: a busy store, folders that are not builds, files for queries."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clustergraph.cli.main import main
from clustergraph.project.layout import Project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_store_another_process_holds_is_read_as_it_stands(
    project_copy: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    root = str(project_copy.root)
    assert main(["--root", root, "load"]) == 0
    capsys.readouterr()
    holder = textwrap.dedent(
        f"""
        import sys
        import pyoxigraph
        store = pyoxigraph.Store({str(project_copy.store_dir)!r})
        print("holding", flush=True)
        sys.stdin.read()
        """
    )
    with subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None and process.stdout.readline() == "holding\n"
        try:
            code, out, err = run(
                capsys, "--root", root, "query", "office-holders", "--param", "org=lcn"
            )
            assert code == 0 and "Giedrius Bagušinskas" in out
            assert "in use by another process: answering from it as it stands" in err
            for verdict in ("validate", "check"):  # no pass on files it could not read
                code, out, err = run(capsys, "--root", root, verdict)
                assert code == 2 and "another process is using it" in err
            code, out, err = run(capsys, "--root", root, "load")
            assert code == 2
            assert err.count("\n") == 1 and "another process is using it" in err
        finally:
            process.communicate("")


def test_build_refuses_a_folder_that_is_not_a_build(
    project_copy: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    precious = elsewhere / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, _, err = run(capsys, "--root", str(project_copy.root), "build", "--out", str(precious))
    assert code == 2 and "not a build" in err and err.count("\n") == 1
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    afile = elsewhere / "afile"
    afile.write_text("mine\n", encoding="utf-8")
    code, _, err = run(capsys, "--root", str(project_copy.root), "build", "--out", str(afile))
    assert code == 2 and "not a directory" in err
    assert afile.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["afile", "precious"]


def test_init_into_a_file_and_a_store_that_is_a_file_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    afile = tmp_path / "afile"
    afile.write_text("mine\n", encoding="utf-8")
    code, _, err = run(capsys, "init", str(afile))
    assert code == 2 and "is a file" in err and err.count("\n") == 1
    code, _, err = run(capsys, "query", "sources", "--store", f"oxigraph:{afile}")
    assert code == 2 and "is a file, not a store's directory" in err


def test_a_plain_sparql_file_runs_and_a_missing_one_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    plain = tmp_path / "count.rq"
    plain.write_text(
        "PREFIX org: <http://www.w3.org/ns/org#>\n"
        "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m org:member ?who }\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "query", str(plain), "--store", "memory:", "--format", "csv")
    assert code == 0, err
    assert out.startswith("n\r\n") and int(out.split("\r\n")[1]) > 0
    code, _, err = run(capsys, "query", str(tmp_path / "missing.rq"))
    assert code == 2 and err.strip().endswith("missing.rq: no such file")


def test_view_of_a_query_takes_slugs_as_query_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "members.html"
    argv = [
        "view",
        "--query",
        "members-of-organisation",
        "--param",
        "org=ftd-lt",
        "--out",
        str(out),
    ]
    code, said, err = run(capsys, *argv, "--store", "memory:")
    assert code == 0, err
    assert out.is_file() and "UAB Aksonas" in out.read_text(encoding="utf-8")
    code, _, err = run(capsys, *argv, "--param", "org=lca", "--store", "memory:")
    assert code == 2 and "given twice" in err


def test_a_long_validation_report_gives_its_totals_and_caps_its_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    root = tmp_path / "p"
    assert main(["init", str(root)]) == 0
    source = "https://w3id.org/clustergraph/id/source/many"
    lines = [
        "@prefix cg: <https://w3id.org/clustergraph/ontology#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        f"<https://w3id.org/clustergraph/graph/source/many> a cg:SourceGraph ;"
        f" prov:wasDerivedFrom <{source}> .",
        f"<{source}> a cg:Source .",
    ]
    lines += [f"<https://w3id.org/clustergraph/id/org/n{i}> a cg:Cluster ." for i in range(80)]
    (root / "data" / "sources" / "many.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    code, out, _ = run(capsys, "--root", str(root), "validate", "--store", "memory:")
    assert code == 1
    said = out.splitlines()
    assert said[0].startswith("does not conform: ")
    count, *constraint = said[1].split()  # the totals, most first
    assert constraint == ["cgsh:LabelledEntity", "sh:OrConstraintComponent"] and int(count) >= 80
    assert sum(line.startswith("data/sources/many.ttl:") for line in said) == 50
    assert said[-1].startswith("... and ") and said[-1].endswith(" more results not shown")
    code, out, _ = run(
        capsys, "--root", str(root), "validate", "--store", "memory:", "--lines", "0"
    )
    assert sum(line.startswith("data/sources/many.ttl:") for line in out.splitlines()) > 80


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--timeout", "nan", "must be a number of seconds more than 0"),
        ("--timeout", "inf", "must be a number of seconds more than 0"),
        ("--timeout", "-5", "must be a number of seconds more than 0"),
        ("--timeout", "abc", "not a number of seconds"),
        ("--retries", "-1", "must be 0 or more"),
    ],
)
def test_a_timeout_or_retries_out_of_range_is_refused(
    capsys: pytest.CaptureFixture[str], option: str, value: str, said: str
) -> None:
    code, out, err = run(capsys, "query", "sources", "--store", "memory:", option, value)
    assert code == 2 and not out
    assert f"argument {option}: {said}" in err and "internal error" not in err
