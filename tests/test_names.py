"""Names and values kept as written, and errors that name the file, the line and the fix.

Driven by the small files of ``tests/files/names/`` (``manifest.toml`` says what each
must do), each put alone into a copy of the repository's project (its ontology, shapes,
vocabularies and queries, none of its sources):

====================================  ================================================
kind                                  tests
====================================  ================================================
loaded as written                     ``test_a_good_file_loads`` (every file of
                                      ``names/good``), ``test_a_blank_node_label_*``
refused in one line                   ``test_a_bad_file_is_one_line_naming_the_line``
                                      (every file of ``names/bad``)
validated with the fix                ``test_validate_names_the_fix`` (``names/invalid``),
                                      ``test_validate_counts_what_it_validated``
any length                            ``test_a_name_past_the_csv_field_limit_builds``
====================================  ================================================
"""

from __future__ import annotations

import re
import shutil
import tomllib
import unicodedata
from pathlib import Path

import pytest

from clustergraph.cli.main import main
from clustergraph.project.layout import Project

REPO = Path(__file__).resolve().parents[1]
NAMES = Path(__file__).resolve().parent / "files" / "names"
MANIFEST = tomllib.loads((NAMES / "manifest.toml").read_text(encoding="utf-8"))


def project_with(root: Path, *sources: Path) -> Project:
    """Copy the repository's project without its sources, then add ``sources``."""
    for name in ("ontology", "queries", "data/vocab"):
        shutil.copytree(REPO / name, root / name)
    (root / "data/sources").mkdir(parents=True)
    for path in sources:
        shutil.copyfile(path, root / "data/sources" / path.name)
    return Project(root)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


# ---------------------------------------------------------------------------
# Loaded as written
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MANIFEST["good"]))
def test_a_good_file_loads(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path / "p", NAMES / "good" / name)
    code, out, err = run(capsys, "--root", str(project.root), "load")
    assert code == 0, err
    assert "graphs loaded" in out


def test_a_blank_node_label_of_any_letter_is_one_node(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The label's letters past U+FFFF do not reach the update that writes the graph."""
    project = project_with(tmp_path / "p", NAMES / "good" / "blank-node-label-boundaries.ttl")
    query = tmp_path / "blank.rq"
    query.write_text(
        "SELECT ?comment WHERE { ?article <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?b . "
        "?b <http://www.w3.org/2000/01/rdf-schema#comment> ?comment FILTER(isBlank(?b)) }\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "--root", str(project.root), "query", str(query), "--format", "csv"
    )
    assert code == 0, err
    assert out.splitlines() == ["comment", "every range of PN_CHARS_BASE"]


# ---------------------------------------------------------------------------
# Refused in one line, with the line
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", MANIFEST["bad"], ids=lambda c: c["file"])
def test_a_bad_file_is_one_line_naming_the_line(
    case: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path / "p", NAMES / "bad" / case["file"])
    code, out, err = run(capsys, "--root", str(project.root), "load")
    assert code == 2, (out, err)
    line = one_line(err)
    prefix = f"clustergraph: error: data/sources/{case['file']}:"
    assert line.startswith(prefix), line
    assert re.search(case["message"], line[len(prefix) :]), line
    assert "holds a triple in graph" not in line  # the syntax error comes first


# ---------------------------------------------------------------------------
# Validated, with the fix
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", MANIFEST["invalid"], ids=lambda c: c["file"])
def test_validate_names_the_fix(
    case: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path / "p", NAMES / "invalid" / case["file"])
    code, out, err = run(capsys, "--root", str(project.root), "validate")
    assert code == 1, (out, err)
    assert "Traceback" not in err
    assert re.search(case["message"], out), out
    assert "Value does not satisfy Node" not in out


def test_validate_counts_what_it_validated(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """The count validate prints is load's: the stated triples, graph by graph."""
    from clustergraph.pipeline.load import stated_graphs
    from clustergraph.store import open_store

    code, out, err = run(capsys, "--root", str(project.root), "validate", "--store", "memory:")
    assert code == 0, err
    with open_store("memory:") as store:
        from clustergraph.pipeline.sync import sync

        sync(project, store)
        graphs = stated_graphs(store)
        triples = sum(store.count(g) for g in graphs)
    line = out.splitlines()[-1]
    assert f"{triples:,} stated triples in {len(graphs)} graphs" in line, line
    assert "derived" in line  # says what is not counted


# ---------------------------------------------------------------------------
# Any length
# ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_name_past_the_csv_field_limit_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path / "p", NAMES / "good" / "long-name.ttl")
    out = tmp_path / "build"
    code, printed, err = run(
        capsys, "--root", str(project.root), "build", "--store", "memory:", "--out", str(out)
    )
    assert code == 0, err
    assert "field limit" not in err
    page = (out / "site" / "entities.html").read_text(encoding="utf-8")
    assert "Klasteris" * 100 in page


# ---------------------------------------------------------------------------
# Names of any letter, typed in NFC or NFD
# ---------------------------------------------------------------------------

ORG = "https://w3id.org/clustergraph/id/org/"
SIAULIAI = ORG + "šiaulių-klasteris"
NFD = unicodedata.normalize("NFD", "o:šiaulių-klasteris")


@pytest.fixture(scope="module")
def names_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Make a project of ``names/good/unicode-names.ttl`` and the files of ``names/checks``."""
    root = tmp_path_factory.mktemp("names") / "p"
    files = [NAMES / "good" / "unicode-names.ttl", *sorted((NAMES / "checks").iterdir())]
    return project_with(root, *files)


@pytest.mark.parametrize(
    "typed", ["o:šiaulių-klasteris", NFD, "šiaulių-klasteris", f"<{SIAULIAI}>"]
)
def test_a_name_of_any_letter_is_expanded_on_the_command_line(
    typed: str, names_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "--root", str(names_project.root), "query", "organisation-memberships",
        "--param", f"org={typed}", "--format", "csv", "--store", "memory:",
    )  # fmt: skip
    assert code == 0, err
    assert err == ""  # no warning that it names nothing
    rows = out.splitlines()
    assert len(rows) == 2 and rows[1].startswith(SIAULIAI + ","), out


@pytest.mark.parametrize("typed", ["o:šiaulių-klasteris", NFD])
def test_a_name_of_any_letter_is_expanded_in_python(typed: str, names_project: Project) -> None:
    import clustergraph

    kg = clustergraph.open(names_project.root, store="memory:")
    result = kg.query("organisation-memberships", org=typed)
    assert [row[0].value for row in result.rows] == [SIAULIAI]  # type: ignore[union-attr]
    assert kg.path(typed, "o:žalgirio-tinklas")  # the path takes it too


def test_path_and_view_take_a_name_of_any_letter(
    names_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(names_project.root)
    code, out, err = run(capsys, "--root", root, "path", NFD, "o:žalgirio-tinklas")
    assert code == 0, err
    assert "from Šiaulių klasteris (o:šiaulių-klasteris)" in out
    view = tmp_path / "v.html"
    code, out, err = run(
        capsys, "--root", root, "view", "--entity", "o:šiaulių-klasteris", "--out", str(view)
    )
    assert code == 0, err
    assert view.is_file()


@pytest.mark.parametrize(
    ("typed", "iri"),
    [
        ("o:šiaulių-klasteris", SIAULIAI),
        ("o:a\\-b\\.c", ORG + "a-b.c"),
        ("o:a%C5%A1", ORG + "a%C5%A1"),
        ("id:org/žalgiris", ORG + "žalgiris"),
        ("o:" + "\U00010000", ORG + "\U00010000"),
    ],
)
def test_a_prefixed_name_is_read_as_sparql_writes_it(typed: str, iri: str) -> None:
    from clustergraph.project.prefixes import PREFIXES
    from clustergraph.rdf.terms import parse_iri

    assert parse_iri(typed, PREFIXES).value == iri


def test_a_prefixed_name_a_name_cannot_be_is_refused_not_read_as_an_iri() -> None:
    from clustergraph.errors import InputError
    from clustergraph.project.prefixes import PREFIXES
    from clustergraph.rdf.terms import parse_iri

    with pytest.raises(InputError, match="not a prefixed name"):
        parse_iri("o:a'b", PREFIXES)


# ---------------------------------------------------------------------------
# check: names not in NFC, the project's IRIs joined by owl:sameAs
# ---------------------------------------------------------------------------


def _check(names_project: Project, name: str) -> tuple[list[str], list[list[str]]]:
    from clustergraph.pipeline.checks import run_checks
    from clustergraph.pipeline.sync import sync
    from clustergraph.queries.library import Library
    from clustergraph.store import open_store

    with open_store("memory:") as store:
        sync(names_project, store)
        report = run_checks(store, Library.of(names_project))
    (found,) = [r for r in report.runs if r.query.name == name]
    rows = [[t.value if t is not None else "" for t in row] for row in found.result.rows]
    return list(found.result.variables), rows


def test_check_flags_iris_and_names_not_in_nfc_with_file_line_and_nfc(
    names_project: Project,
) -> None:
    variables, rows = _check(names_project, "checks/not-in-nfc")
    assert variables == ["file", "line", "kind", "written", "nfc"]
    lines = (NAMES / "checks" / "not-in-nfc.ttl").read_text(encoding="utf-8").splitlines()
    nfd_iri = next(n for n, line in enumerate(lines, 1) if line.startswith(NFD))
    nfd_name = next(n for n, line in enumerate(lines, 1) if "Z\u030c" in line)
    assert rows == [
        ["data/sources/not-in-nfc.ttl", str(nfd_iri), "IRI",
         ORG + "s\\u030ciauliu\\u0328-klasteris", "o:šiaulių-klasteris"],
        ["data/sources/not-in-nfc.ttl", str(nfd_name), "name",
         "Z\\u030calgirio tinklas", "Žalgirio tinklas"],
    ]  # fmt: skip


def test_check_warns_of_two_project_iris_joined_by_same_as_with_the_fix(
    names_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    variables, rows = _check(names_project, "checks/same-as-between-project-iris")
    ((kept, other, file, line, fix),) = rows
    assert (kept, other, file) == (
        ORG + "saules-klasteris",
        ORG + "saules-klasteris-2",
        "data/sources/same-as-project.ttl",
    )
    text = (NAMES / "checks" / "same-as-project.ttl").read_text(encoding="utf-8")
    assert "owl:sameAs" in text.splitlines()[int(line) - 1]
    assert "keep o:saules-klasteris" in fix and "skos:altLabel" in fix
    code, out, err = run(capsys, "--root", str(names_project.root), "check", "--store", "memory:")
    assert "WARN checks/same-as-between-project-iris" in out


def test_two_project_iris_joined_by_same_as_are_one_node(names_project: Project) -> None:
    from clustergraph.network.projections import GraphIndex, actor_network
    from clustergraph.pipeline.sync import sync
    from clustergraph.store import open_store

    with open_store("memory:") as store:
        sync(names_project, store)
        index = GraphIndex.from_store(store)
    assert index.same_as[ORG + "saules-klasteris-2"] == ORG + "saules-klasteris"
    assert index.resolve("o:saules-klasteris-2") == ORG + "saules-klasteris"
    graph = actor_network(index)
    assert ORG + "saules-klasteris" in graph and ORG + "saules-klasteris-2" not in graph
    assert graph.nodes[ORG + "saules-klasteris"]["label"] == "Saulės klasteris"  # its own name
    assert ORG + "saules-klasteris" in index.entities()
    assert ORG + "saules-klasteris-2" not in index.entities()


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    "typed", ["o:šiauliu-klasteris", "šiauliu-klasteris", f"<{ORG}šiauliu-klasteris>"]
)
def test_a_name_beyond_ascii_resolves_in_either_normal_form(typed: str, form: str) -> None:
    from clustergraph.network.index import GraphIndex
    from clustergraph.queries.entities import resolve
    from clustergraph.store import open_store

    iri = ORG + "šiauliu-klasteris"
    store = open_store("memory:")
    store.replace_graphs(
        {"urn:g": f"<{iri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
         "<http://www.w3.org/ns/org#Organization> .".encode()}
    )  # fmt: skip
    text = unicodedata.normalize(form, typed)
    assert resolve(store, text) == iri
    assert GraphIndex.from_store(store).resolve(text) == iri


@pytest.mark.parametrize("typed", ["LCA", "Lca", "LCN"])
def test_a_slug_typed_in_capitals_is_answered_with_the_entity_it_means(typed: str) -> None:
    """``--param org=LCA``, ``path LCA …``: the closest names are suggested, case aside."""
    from clustergraph.errors import InputError
    from clustergraph.network.index import GraphIndex
    from clustergraph.queries.entities import resolve
    from clustergraph.store import open_store

    store = open_store("memory:")
    store.replace_graphs(
        {"urn:g": "".join(
            f"<{ORG}{slug}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<http://www.w3.org/ns/org#Organization> .\n"
            for slug in ("lca", "lcn", "litek")
        ).encode()}
    )  # fmt: skip
    wanted = f"o:{typed.lower()}"
    with pytest.raises(InputError, match=f"did you mean {wanted}"):
        resolve(store, typed)
    with pytest.raises(InputError, match=f"did you mean {wanted}"):
        GraphIndex.from_store(store).resolve(typed)
