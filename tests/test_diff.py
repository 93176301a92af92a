"""``clustergraph diff A B``: facts added and removed between revisions, builds and stores.

The fixture is a made-up article in two revisions (``tests/fixtures/history/``), committed
in a git repository made in a temporary directory: revision 2 ends the president's post
(its period gains an end), removes an alias, and adds a second made-up article in which
the cluster joins a new alliance (a new entity and a new membership, whose ``org:memberOf``
is derived).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.build import STAGES, build
from clustergraph.cli.main import main
from clustergraph.pipeline.diff import Version, compare, snapshot_of_store
from clustergraph.project.layout import Project
from clustergraph.store import open_store

REPO = Path(__file__).resolve().parents[1]
HISTORY = Path(__file__).resolve().parent / "fixtures" / "history"
SOURCE = "https://w3id.org/clustergraph/graph/source/"
DERIVED = "https://w3id.org/clustergraph/graph/derived/source/"
ORG = "https://w3id.org/clustergraph/id/org/"


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def _project(root: Path) -> Project:
    for name in ("ontology", "data/vocab"):
        shutil.copytree(REPO / name, root / name)
    (root / "data" / "sources").mkdir()
    return Project(root)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a project in git: revision 1 (tag r1), then revision 2 (tag r2)."""
    root = tmp_path_factory.mktemp("history") / "project"
    _project(root)
    _git(root.parent, "init", "-q", str(root))
    for revision in ("rev1", "rev2"):
        for path in sorted((HISTORY / revision).iterdir()):
            shutil.copyfile(path, root / "data" / "sources" / path.name)
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", revision)
        _git(root, "tag", revision.replace("rev", "r"))
    return root


def _diff(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_between_revisions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _diff(capsys, repo, "r1", "r2")
    assert code == 0, err
    head, _, rest = out.partition("\n")
    assert head.startswith("revision r1 (") and "-> revision r2 (" in head
    new = out.split("new entities", 1)[1].split("\n\n", 1)[0]
    assert "o:tessaly-alliance Tessaly Alliance <of clusters> & partners" in new
    assert "mem:quillon-cluster-in-tessaly-alliance" in new
    assert "o:quillon-cluster " not in new  # it was there before: changed, not new
    removed = out.split("removed entities", 1)[1].split("\n\n", 1)[0]
    assert "t:from-2091" in removed
    # the post ends: its open period is replaced by one with an end
    assert "+ post:quillon-cluster-president-zilvyte cg:heldDuring t:2091_2095" in out
    assert "- post:quillon-cluster-president-zilvyte cg:heldDuring t:from-2091" in out
    assert "+ t:2091_2095 time:hasEnd t:2095" in out
    # a removed fact
    assert '- o:quillon-cluster skos:altLabel "Quillon"@en' in out
    # the new article's stated facts, then what follows from them, apart
    news = out.split("(graph:source/made-up-history-news) [new]", 1)[1]
    stated, _, derived = news.partition("derived in graph:derived/source/made-up-history-news")
    assert "+ mem:quillon-cluster-in-tessaly-alliance org:organization o:tessaly-alliance" in stated
    assert "org:memberOf" not in stated
    assert "+ o:quillon-cluster org:memberOf o:tessaly-alliance" in derived
    # restated by the new article, not new to the graph
    assert "+ o:quillon-cluster rdf:type cg:Cluster  (held before, in another graph)" in stated


def test_json_between_revisions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _diff(capsys, repo, "r1", "r2", "--format", "json")
    assert code == 0, err
    found = json.loads(out)
    assert found["a"]["kind"] == found["b"]["kind"] == "revision"
    assert found["identical"] is False
    graphs = {g["graph"]: g for s in found["sources"] for g in s["graphs"]}
    news = graphs[SOURCE + "made-up-history-news"]
    assert (news["kind"], news["status"]) == ("stated", "new")
    derived = graphs[DERIVED + "made-up-history-news"]
    assert derived["kind"] == "derived"
    member_of = {
        "subject": f"<{ORG}quillon-cluster>",
        "predicate": "<http://www.w3.org/ns/org#memberOf>",
        "object": f"<{ORG}tessaly-alliance>",
        "elsewhere": False,
    }
    assert member_of in derived["added"]
    assert member_of not in news["added"]
    old = graphs[SOURCE + "made-up-history"]
    assert {
        "subject": f"<{ORG}quillon-cluster>",
        "predicate": "<http://www.w3.org/2004/02/skos/core#altLabel>",
        "object": '"Quillon"@en',
        "elsewhere": False,
    } in old["removed"]
    entities = {e["iri"]: e for e in found["entities"]}
    tessaly = entities[ORG + "tessaly-alliance"]
    assert (tessaly["status"], tessaly["kind"]) == ("new", "org")
    assert tessaly["label"] == "Tessaly Alliance <of clusters> & partners"
    assert entities[ORG + "quillon-cluster"]["status"] == "changed"
    totals = found["totals"]
    assert totals["added"] == sum(len(g["added"]) for g in graphs.values())
    assert totals["derived"]["added"] == sum(
        len(g["added"]) for g in graphs.values() if g["kind"] == "derived"
    )


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_between_revisions(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "changes.html"
    code, _, err = _diff(capsys, repo, "r1", "r2", "--format", "html", "--out", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "Tessaly Alliance &lt;of clusters&gt; &amp; partners" in html
    assert "<of clusters>" not in html
    page = _Page()
    page.feed(html)
    names = {tag for tag, _ in page.tags}
    assert "script" not in names and "link" not in names  # offline, style inline
    links = [a.get(k) or "" for _, a in page.tags for k in ("href", "src")]
    assert not [x for x in links if ":" in x], links  # nothing from the network
    text = " ".join("".join(page.text).split())
    assert "Derived by reasoning in graph:derived/source/made-up-history-news: +15 −0" in text
    derived = html.split(
        "Derived by reasoning in <code>graph:derived/source/made-up-history-news", 1
    )[1]
    row = (
        "<td><code>o:quillon-cluster</code></td><td><code>org:memberOf</code></td>"
        "<td><code>o:tessaly-alliance</code>"
    )
    assert row in derived and row not in html.split("Derived by reasoning", 1)[0]


def test_identical_versions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _diff(capsys, repo, "r2", "HEAD")
    assert code == 0
    assert "the same facts" in out and "nothing changed" in out
    code, out, _ = _diff(capsys, repo, "r2", "HEAD", "--format", "json")
    assert json.loads(out)["identical"] is True


@pytest.mark.slow
def test_builds_and_stores_compare_as_revisions(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two builds and two stores of the revisions differ as the revisions do."""
    stages = [s for s in STAGES if s.name in ("load", "derive", "export")]
    for tag in ("r1", "r2"):
        work = tmp_path / tag
        _git(repo, "worktree", "add", "-q", str(work), tag)
        project = Project(work)
        build(
            project,
            out=tmp_path / f"build-{tag}",
            stages=stages,
            quiet=True,
            store=f"oxigraph:{tmp_path / f'store-{tag}'}",
        )
    _, expected, _ = _diff(capsys, repo, "r1", "r2", "--format", "json")
    for a, b in (
        (tmp_path / "build-r1", tmp_path / "build-r2"),
        (f"oxigraph:{tmp_path / 'store-r1'}", f"oxigraph:{tmp_path / 'store-r2'}"),
        (tmp_path / "store-r1", tmp_path / "store-r2"),
        (tmp_path / "r1", tmp_path / "r2"),  # the work trees' files
    ):
        code, out, err = _diff(capsys, repo, str(a), str(b), "--format", "json")
        assert code == 0, err
        found, wanted = json.loads(out), json.loads(expected)
        assert found["sources"] == wanted["sources"], (a, b)
        assert found["entities"] == wanted["entities"]
    code, out, _ = _diff(capsys, repo, str(tmp_path / "build-r2"), "r2")
    assert code == 0 and "nothing changed" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["no-such-revision", "HEAD"], "no-such-revision: not a revision"),
        (["HEAD", "--", "--output=x"], "--output=x: not a revision"),  # never a git option
    ],
)
def test_unknown_revision(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, out, err = _diff(capsys, repo, *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert says in err
    assert not (repo / "x").exists()


def test_bad_inputs_are_one_line(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    broken = tmp_path / "broken-store"
    broken.mkdir()
    (broken / "CURRENT").write_text("MANIFEST-000001\n")
    (broken / "OPTIONS-000001").write_text("garbage\n")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    outside = tmp_path / "not-git"
    _project(outside)
    cases = [
        ([str(empty), "HEAD"], "neither a build"),
        ([str(broken), "HEAD"], "broken-store"),
        ([f"oxigraph:{a_file}", "HEAD"], "file.txt"),
        ([str(a_file), "HEAD"], "a file"),
        (["HEAD", "r1"], None),
    ]
    for args, says in cases[:-1]:
        code, out, err = _diff(capsys, repo, *args)
        assert code == 2, (args, out, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
        assert says in err, err
    code, _, err = _diff(capsys, outside, "HEAD", "HEAD")
    assert code == 2 and "not in a git repository" in err
    assert len(err.strip().splitlines()) == 1


def test_a_malformed_file_in_a_revision_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "p"
    _project(root)
    _git(tmp_path, "init", "-q", str(root))
    (root / "data" / "sources" / "made-up-bad.ttl").write_text("<urn:a> <urn:b> .\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "bad")
    code, _, err = _diff(capsys, root, "HEAD", "HEAD")
    assert code == 2
    assert "HEAD: data/sources/made-up-bad.ttl:1:" in err
    assert len(err.strip().splitlines()) == 1


def test_blank_nodes_compare_by_structure() -> None:
    """Blank nodes relabelled differently are the same; a change shows only itself."""
    g = ox.NamedNode(SOURCE + "made-up-blank")
    p, q = ox.NamedNode("urn:p"), ox.NamedNode("urn:q")
    a = ox.NamedNode("urn:a")

    def store(*facts: tuple[str, str]) -> list[ox.Quad]:
        quads = []
        for label, value in facts:
            node = ox.BlankNode(label)
            quads += [ox.Quad(a, p, node, g), ox.Quad(node, q, ox.Literal(value), g)]
        return quads

    def snapshot(quads: list[ox.Quad]) -> dict[str, frozenset[ox.Triple]]:
        with open_store("memory:") as s:
            s.native.extend(quads)  # type: ignore[attr-defined]
            return snapshot_of_store(s)

    one = snapshot(store(("x1", "one"), ("x2", "two")))
    same = snapshot(store(("zz", "two"), ("yy", "one")))
    v = Version("a", "files", "a")
    assert compare(v, one, v, same).identical
    changed = snapshot(store(("k", "one"), ("m", "three")))
    found = compare(v, one, v, changed)
    assert 1 <= found.added == found.removed <= 2  # the value, and the link if relabelled
    shown = found.format()
    assert '"three"' in shown and '"two"' in shown and '"one"' not in shown
    # a blank node's facts count for the entity that points to it
    assert [e.iri for e in found.entities] == ["urn:a"]


@pytest.mark.slow
def test_build_writes_a_changes_page_against_the_previous_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first build says there is nothing to compare with; the next lists what changed."""
    root = tmp_path / "project"
    _project(root)
    shutil.copytree(REPO / "queries", root / "queries")
    out = tmp_path / "out"
    pages = []
    for revision in ("rev1", "rev2"):
        for path in sorted((HISTORY / revision).iterdir()):
            shutil.copyfile(path, root / "data" / "sources" / path.name)
        assert main(["--root", str(root), "build", "--out", str(out), "--quiet"]) == 0
        pages.append((out / "site" / "changes.html").read_text(encoding="utf-8"))
    capsys.readouterr()
    first, second = pages
    assert "This is the first build here: there is no previous build to compare with." in first
    assert "From the previous build to this build:" in second
    assert 'href="changes.html"' in (out / "site" / "index.html").read_text(encoding="utf-8")
    new = second.split('id="new-entities"', 1)[1].split("</section>", 1)[0]
    assert (
        '<a href="entity/org/tessaly-alliance.html">Tessaly Alliance &lt;of clusters&gt; '
        "&amp; partners</a>" in new
    )
    assert "<of clusters>" not in second
    removed = (
        '<tr class="removed"><td>removed</td><td><code>o:quillon-cluster</code></td>'
        "<td><code>skos:altLabel</code></td><td><code>&#34;Quillon&#34;@en</code>"
    )
    assert removed in second
    derived = second.split(
        "Derived by reasoning in <code>graph:derived/source/made-up-history-news"
    )
    assert "<code>org:memberOf</code>" in derived[1].split("</table>", 1)[0]
    # the page is the site's: its style sheet, its navigation
    assert 'href="assets/site.css"' in second and 'class="site-header"' in second


def test_outside_a_project_builds_compare_and_revisions_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A build or a store needs no project around it; a revision says which is missing."""
    monkeypatch.chdir(tmp_path)
    for name in ("one", "two"):
        (tmp_path / name / "exports").mkdir(parents=True)
        (tmp_path / name / "exports" / "clustergraph.nq").write_text(
            f"<urn:a> <urn:p> <urn:{name}> <{SOURCE}made-up> .\n", encoding="utf-8"
        )
    code = main(["diff", "one", "two"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""  # no note about a project: none was needed
    assert "+ <urn:a> <urn:p> <urn:two>" in out and "- <urn:a> <urn:p> <urn:one>" in out
    code = main(["diff", "one", "HEAD"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.strip() == (
        "clustergraph: error: HEAD: no such build, store or project directory, and no "
        "project here to read a revision of (give --root DIR)"
    )


def test_builds_are_read_side_by_side_and_an_unsorted_export_whole(tmp_path: Path) -> None:
    """Two exports compare graph by graph as they are read; graphs out of order still do."""
    from clustergraph.pipeline.diff import compare_builds, snapshot_of_build

    g1, g2 = f"<{SOURCE}made-up-a>", f"<{SOURCE}made-up-b>"
    lines = {
        "one": [f"<urn:a> <urn:p> <urn:x> {g1} .", f"<urn:b> <urn:p> <urn:y> {g2} ."],
        "two": [f"<urn:b> <urn:p> <urn:z> {g2} .", f"<urn:a> <urn:p> <urn:x> {g1} ."],
    }  # "two" lists its graphs out of order, as no build writes them
    for name, quads in lines.items():
        (tmp_path / name / "exports").mkdir(parents=True)
        (tmp_path / name / "exports" / "clustergraph.nq").write_text(
            "\n".join(quads) + "\n", encoding="utf-8"
        )
    v = Version("x", "build", "x")
    found = compare_builds(tmp_path / "one", tmp_path / "two", v, v)
    whole = compare(v, snapshot_of_build(tmp_path / "one"), v, snapshot_of_build(tmp_path / "two"))
    assert found.to_json() == whole.to_json()
    assert (found.added, found.removed) == (1, 1)
    assert [g.graph for g in found.graphs] == [SOURCE + "made-up-b"]
