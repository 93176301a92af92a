"""The explorer as an analyst uses it, in headless Chromium from disk, network cut off.

Readable views (no two visible labels overlap at the first frame, none cut at the edge),
pages that fit a desktop and a phone, search that finds names however they are typed,
and the query workbench running every query of the library in the browser (Oxigraph
compiled to WebAssembly) with the same rows as the command line.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.store import AskResult, GraphResult, SelectResult
from tests.support.browser import chromium_context
from tests.support.site import WrittenSite, write_whole_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {"desktop": (1400, 900), "phone": (390, 844)}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

LABEL_BOXES = """() => {
  const v = window.cgView, net = v.network, out = [];
  function box(size, text, kind) {
    const a = net.canvasToDOM({x: size.left, y: size.top});
    const b = net.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
    out.push({kind: kind, text: text, x0: a.x, y0: a.y, x1: b.x, y1: b.y});
  }
  for (const id of v.nodes.getIds()) {
    const n = net.body.nodes[id];
    if (n && n.options.label && !n.options.hidden && n.labelModule.size.width > 0)
      box(n.labelModule.size, n.options.label, "node");
  }
  for (const id of v.edges.getIds()) {
    const e = net.body.edges[id];
    if (e && e.options.label && e.labelModule.size.width > 0)
      box(e.labelModule.size, e.options.label, "edge");
  }
  const places = [];  // each visible node's own place, as drawn
  for (const id of v.nodes.getIds()) {
    const n = net.body.nodes[id];
    if (!n || n.options.hidden) continue;
    const r = n.options.size, a = net.canvasToDOM({x: n.x - r, y: n.y - r});
    const b = net.canvasToDOM({x: n.x + r, y: n.y + r});
    places.push({id: id, label: n.options.label || "", x0: a.x, y0: a.y, x1: b.x, y1: b.y});
  }
  const c = document.getElementById("cg-network");
  return {boxes: out, places: places, width: c.clientWidth, height: c.clientHeight,
          names: Object.keys(v.shownNames()).length};
}"""


@pytest.fixture(scope="module")
def site_build(project, store, tmp_path_factory) -> WrittenSite:
    return write_whole_site(project, store, tmp_path_factory.mktemp("site") / "build")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:

        def route(r):
            if r.request.url.startswith(("file://", "data:")):
                r.continue_()
            else:
                r.abort()

        context.route("**/*", route)
        yield context


def open_page(browser, site_build, rel: str, size: str):
    page = browser.new_page()
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site_build.site / rel).resolve().as_uri(), wait_until="load")
    return page, errors


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize(
    "rel", ["views/ecosystem.html", "views/entities.html", "views/entity/org/lcn.html"]
)
def test_no_two_visible_labels_overlap_at_the_first_frame(browser, site_build, rel, size):
    page, errors = open_page(browser, site_build, rel, size)
    try:
        page.wait_for_function(
            "window.cgView && window.cgView.ready && window.cgView.drawCount > 0"
        )
        page.wait_for_timeout(200)
        found = page.evaluate(LABEL_BOXES)
    finally:
        page.close()
    assert errors == []
    boxes = found["boxes"]
    named = found["names"]  # drawn by the view itself (see test_view_labels_browser.py)
    assert named >= (5 if size == "desktop" else 2), "the most central nodes are named"
    slack = 1.0
    for b in boxes:  # none cut at the edge of the drawing
        assert b["x0"] >= -slack and b["y0"] >= -slack, b
        assert b["x1"] <= found["width"] + slack and b["y1"] <= found["height"] + slack, b
    overlapping = [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x0"] + slack < b["x1"]
        and b["x0"] + slack < a["x1"]
        and a["y0"] + slack < b["y1"]
        and b["y0"] + slack < a["y1"]
    ]
    assert overlapping == []
    # No edge's label on a node.
    on_nodes = [
        (b["text"], n["id"])
        for b in boxes
        for n in found["places"]
        if b["kind"] == "edge"
        and b["x0"] + slack < n["x1"]
        and n["x0"] + slack < b["x1"]
        and b["y0"] + slack < n["y1"]
        and n["y0"] + slack < b["y1"]
    ]
    assert on_nodes == []
    # A whole network's drawing fills the canvas: the nodes' extent covers most of it (a
    # neighbourhood of a few nodes is drawn at most at its natural size, not blown up).
    places = found["places"]
    if not rel.startswith("views/entity/"):
        spread_x = max(n["x1"] for n in places) - min(n["x0"] for n in places)
        spread_y = max(n["y1"] for n in places) - min(n["y0"] for n in places)
        assert spread_x * spread_y >= 0.6 * found["width"] * found["height"], (
            spread_x,
            spread_y,
            found["width"],
            found["height"],
        )


def test_the_ecosystem_view_is_the_actors_with_roles_on_edges(browser, site_build):
    page, errors = open_page(browser, site_build, "views/ecosystem.html", "desktop")
    try:
        page.wait_for_function("window.cgView && window.cgView.ready")
        data = page.evaluate("window.cgView.data")
        link = page.evaluate("document.querySelector('.cg-link').getAttribute('href')")
    finally:
        page.close()
    groups = {c["group"] for c in data["classes"]}
    assert groups <= {"cluster", "network", "association", "company", "public", "person"}
    assert "member" in " ".join(data["edgeLabels"]) and "president" in " ".join(data["edgeLabels"])
    assert link == "entities.html"  # the full entity network, one click away
    assert errors == []


def test_the_legend_folds_away_on_a_phone(browser, site_build):
    page, _errors = open_page(browser, site_build, "views/ecosystem.html", "phone")
    try:
        page.wait_for_function("window.cgView && window.cgView.ready")
        assert not page.is_visible("#cg-legend")
        width = page.evaluate("document.getElementById('cg-network').clientWidth")
        assert width >= 380  # the canvas takes the screen
        page.click("#cg-panel-toggle")
        assert page.is_visible("#cg-legend")
    finally:
        page.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_pages_fit_the_screen(browser, site_build, size):
    site = site_build.site
    pages = [p.name for p in site.glob("*.html")]
    pages += ["entity/org/lcn.html", "entity/person/julius-pauzolis.html", "entity/org/ftd-lt.html"]
    pages += sorted(str(p.relative_to(site)) for p in (site / "query").glob("*.html"))[:5]
    pages += ["views/ecosystem.html", "views/entity/org/lcn.html"]
    wide = []
    for rel in pages:
        page, errors = open_page(browser, site_build, rel, size)
        try:
            if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
                wide.append(rel)
            assert errors == [], rel
        finally:
            page.close()
    assert wide == []


@pytest.mark.parametrize(
    "typed",
    ["pauzolis", "PAUŽOLIS", unicodedata.normalize("NFD", "Paužolis"), "julius pau"],
)
def test_search_finds_a_name_however_it_is_typed(browser, site_build, typed):
    page, errors = open_page(browser, site_build, "entity/org/lcn.html", "desktop")
    try:
        page.fill("#site-search", typed)
        page.wait_for_selector(".search-results li a")
        found = page.evaluate(
            "Array.from(document.querySelectorAll('.search-results a'),"
            " a => [a.textContent, a.getAttribute('href')])"
        )
    finally:
        page.close()
    assert ["Julius Paužolis", "../../entity/person/julius-pauzolis.html"] in found
    assert errors == []


def _key(term) -> tuple[str, str, str]:
    """Return a term as the workbench and the command line can both give it."""
    if term is None:
        return ("", "", "")
    if isinstance(term, dict):
        kind = {"uri": "iri", "bnode": "bnode", "literal": "literal", "typed-literal": "literal"}[
            term["type"]
        ]
        if kind == "bnode":
            return ("bnode", "", "")
        extra = term.get("xml:lang", "").lower() or term.get("datatype", "")
        return (kind, term["value"], "" if extra == XSD_STRING else extra)
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value, "")
    if isinstance(term, ox.BlankNode):
        return ("bnode", "", "")
    datatype = term.datatype.value
    extra = (term.language or "").lower() or (
        "" if datatype in (XSD_STRING, RDF_LANG) else datatype
    )
    return ("literal", term.value, extra)


def test_the_workbench_runs_every_library_query_as_the_command_line(browser, site_build):
    page, errors = open_page(browser, site_build, "workbench.html", "desktop")
    differ = []
    try:
        page.wait_for_function("window.cgWorkbench && window.cgWorkbench.ready")
        for run in site_build.inputs.runs:
            got = page.evaluate(
                """name => window.cgWorkbench.runQuery(name).then(
                     r => r.kind === 'boolean' ? {kind: 'boolean', value: r.value} :
                          {kind: r.kind, variables: r.variables, rows: r.rows})""",
                run.query.name,
            )
            expected = run.result
            if isinstance(expected, AskResult):
                ok = got["kind"] == "boolean" and got["value"] == expected.value
            elif isinstance(expected, GraphResult):
                want = Counter(
                    tuple(_key(t) for t in (tr.subject, tr.predicate, tr.object))
                    for tr in expected.triples
                )
                ok = (
                    got["kind"] == "graph"
                    and Counter(tuple(_key(t) for t in r) for r in got["rows"]) == want
                )
            else:
                assert isinstance(expected, SelectResult)
                want = Counter(tuple(_key(t) for t in row) for row in expected.rows)
                ok = (
                    got["variables"] == list(expected.variables)
                    and Counter(tuple(_key(t) for t in r) for r in got["rows"]) == want
                )
            if not ok:
                differ.append(run.query.name)
    finally:
        page.close()
    assert errors == []
    assert differ == []
    assert len(site_build.inputs.runs) > 40


def test_the_workbench_csv_has_its_header_and_a_failed_run_leaves_no_old_answer(
    browser, site_build
):
    page, errors = open_page(browser, site_build, "workbench.html", "desktop")
    try:
        page.wait_for_function("window.cgWorkbench && window.cgWorkbench.ready")
        result = page.evaluate(
            "() => window.cgWorkbench.runQuery('members-of-organisation')"
            ".then(r => ({variables: r.variables, rows: r.rows.length}))"
        )
        assert result["rows"] > 0
        with page.expect_download() as caught:
            page.click("#wb-csv")
        text = Path(caught.value.path()).read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines[0] == ",".join(result["variables"])
        assert len([line for line in lines if line]) == result["rows"] + 1
        page.fill("#wb-params input[data-param]", "not an IRI at all")
        page.click("#wb-run")
        page.wait_for_timeout(300)
        assert page.locator("#wb-result table").count() == 0, "the old answer is gone"
    finally:
        page.close()
    assert errors == []


def test_search_loads_the_list_of_shards_and_one_shard_a_query(browser, site_build):
    """Search loads the list of shards and the shard of the query's rarest word only.

    The index is split by the first two letters of each word, not loaded whole.
    """
    page, errors = open_page(browser, site_build, "index.html", "desktop")
    loaded: list[str] = []
    page.on(
        "request", lambda r: loaded.append(r.url.rsplit("/", 1)[1]) if "/search/" in r.url else None
    )
    try:
        page.fill("#site-search", "l")
        page.wait_for_selector(".search-results li")
        assert page.text_content(".search-results li") == "Type two letters or more"
        assert loaded == []
        page.fill("#site-search", "li")
        page.wait_for_selector(".search-results li a")
        assert loaded == ["keys.js", "li.js"]
        page.fill("#site-search", "Lithuanian Cluster Network")
        page.wait_for_function(
            "() => document.querySelector('.search-results a')"
            " && document.querySelector('.search-results a').textContent"
            " === 'Lithuanian Cluster Network'"
        )
        sizes = page.evaluate("cgSearch.sizes()")
        rarest = min(("li", "cl", "ne"), key=lambda k: sizes[k])
        assert loaded == ["keys.js", "li.js"] + ([f"{rarest}.js"] if rarest != "li" else [])
    finally:
        page.close()
    assert errors == []
    shards = {p.name: p.stat().st_size for p in (site_build.site / "search").glob("*.js")}
    assert sum(shards[name] for name in loaded) < sum(shards.values()) / 4


SEARCH_PAGE = """<!DOCTYPE html><html lang="en" data-root=""><head><meta charset="utf-8">
<title>search</title></head><body><div class="search" role="search" hidden>
<input id="site-search" type="search" autocomplete="off"><ul class="search-results" hidden></ul>
</div><script src="assets/search.js"></script></body></html>"""


def _answers(browser, folder: Path) -> tuple[dict, str]:
    page = browser.new_page()
    try:
        page.goto((folder / "index.html").as_uri())
        page.wait_for_function("() => window.cgSearch")
        answers = {}
        for typed in ("lithuanian cluster network", "cluster", "eacn"):
            answers[typed] = page.evaluate(
                """q => new Promise(done => window.cgSearch.find(q, (rows, n, short, partial) => {
                     if (!partial) done([rows.map(r => r[3]), n]); }))""",
                typed,
            )
        page.fill("#site-search", "lithuanian cluster network")
        page.wait_for_function(
            "() => document.querySelector('.search-results a')"
            " && !/searching/.test(document.querySelector('.search-results').textContent)"
        )
        with page.expect_navigation():
            page.press("#site-search", "Enter")
        return answers, page.url
    finally:
        page.close()


def test_a_shard_in_two_parts_gives_the_whole_answer(browser, site_build, tmp_path, monkeypatch):
    """A large shard's first part answers at once; the whole answer, and Enter, are the same."""
    from clustergraph.render import site as site_module

    rows = site_module.search_rows(site_build.inputs.get_catalogue())
    found = {}
    for head in (3, 100_000):
        folder = tmp_path / str(head)
        monkeypatch.setattr(site_module, "SEARCH_SHARD_HEAD", head)
        site_module.write_search_rows(folder, rows)
        assert (folder / "search" / "li-more.js").exists() == (head == 3)
        (folder / "index.html").write_text(SEARCH_PAGE, encoding="utf-8")
        (folder / "entity" / "org").mkdir(parents=True)
        (folder / "entity" / "org" / "lcn.html").write_text("LCN", encoding="utf-8")
        found[head] = _answers(browser, folder)
    split, whole = found[3], found[100_000]
    assert split[0]["lithuanian cluster network"][0][0] == "entity/org/lcn.html"
    assert split[1].endswith("/3/entity/org/lcn.html")  # Enter opens the best of the whole
    assert split[0] == whole[0]  # in two parts or not, the same answers
