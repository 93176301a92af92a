"""No name overlaps another name or a node at the first frame, in every kind of view.

Measured on what Chromium draws: every text the page's canvases draw (``fillText``,
vis-network's edge labels and the views' own node names alike) is recorded with its ink
box (``measureText``, mapped through the canvas's transform into CSS pixels) during a
redraw of the first frame, and compared with every other text and every visible node's
box. The views: the site's ecosystem and entity network, an entity's neighbourhood on its
own page and drawn on the entity page of a large site (``assets/ego.js``), the page
``clustergraph view`` writes, and the view a notebook shows; at 1400x900 and 390x844.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from clustergraph.api import KnowledgeGraph
from clustergraph.render import site as site_module
from clustergraph.render.site import write_site
from tests.support.browser import chromium_context
from tests.support.site import WrittenSite, write_whole_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {"desktop": (1400, 900), "phone": (390, 844)}

RECORD_TEXT = """(() => {
  const drawn = [];
  window.__cgDrawn = drawn;
  window.__cgRecording = false;
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, maxWidth) {
    const c = this.canvas;
    if (window.__cgRecording && c.isConnected && c.width > 0 && String(text).trim()) {
      const m = this.measureText(text), t = this.getTransform();
      const k = c.getBoundingClientRect().width / c.width;  // CSS pixels per canvas pixel
      const corners = [
        [x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent],
        [x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent],
      ].map(([px, py]) => [(t.a * px + t.c * py + t.e) * k, (t.b * px + t.d * py + t.f) * k]);
      const xs = corners.map(p => p[0]), ys = corners.map(p => p[1]);
      drawn.push({text: String(text), x0: Math.min(...xs), y0: Math.min(...ys),
                  x1: Math.max(...xs), y1: Math.max(...ys)});
    }
    return fill.apply(this, arguments);
  };
})();"""

FIRST_FRAME = """(name) => {
  const v = window[name], net = v.network;
  // a notebook's view draws with the notebook page's vis-network: its canvas is of that realm
  const realms = window.parent === window ? [window] : [window, window.parent];
  realms.forEach(w => { w.__cgDrawn.length = 0; w.__cgRecording = true; });
  net.redraw();
  realms.forEach(w => { w.__cgRecording = false; });
  const texts = [].concat(...realms.map(w => w.__cgDrawn));
  const places = [];
  for (const id of net.body.nodeIndices) {
    const n = net.body.nodes[id];
    if (!n || n.options.hidden) continue;
    const r = n.options.size, a = net.canvasToDOM({x: n.x - r, y: n.y - r});
    const b = net.canvasToDOM({x: n.x + r, y: n.y + r});
    places.push({id: id, x0: a.x, y0: a.y, x1: b.x, y1: b.y});
  }
  const c = net.body.container;
  return {texts: texts, places: places, nodes: places.length,
          names: Object.keys(v.shownNames()).length, width: c.clientWidth, height: c.clientHeight};
}"""


def _cross(a, b, slack=0.5) -> bool:
    return (
        a["x0"] + slack < b["x1"]
        and b["x0"] + slack < a["x1"]
        and a["y0"] + slack < b["y1"]
        and b["y0"] + slack < a["y1"]
    )


def check_first_frame(found: dict, *, least_names: int) -> None:
    """Assert that no drawn text overlaps another or a node, and the main names show."""
    texts, places = found["texts"], found["places"]
    assert len(texts) >= found["names"] >= least_names, (len(texts), found["names"])
    on_texts = [
        (a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1 :] if _cross(a, b)
    ]
    assert on_texts == []
    on_nodes = [(t["text"], n["id"]) for t in texts for n in places if _cross(t, n)]
    assert on_nodes == []
    for t in texts:  # none cut at the edge of the drawing
        assert t["x0"] >= -1 and t["y0"] >= -1, t
        assert t["x1"] <= found["width"] + 1 and t["y1"] <= found["height"] + 1, t


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        context.add_init_script(RECORD_TEXT)
        context.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        yield context


@pytest.fixture(scope="module")
def site_build(project, store, tmp_path_factory) -> WrittenSite:
    return write_whole_site(project, store, tmp_path_factory.mktemp("site") / "build")


@pytest.fixture(scope="module")
def ego_site(site_build, tmp_path_factory):
    """Write the pages as for a site too large for a view per entity: each draws its own."""
    build = tmp_path_factory.mktemp("ego") / "build"
    views = {k: v for k, v in site_build.inputs.views.items() if not k.startswith("http")}
    write_site(replace(site_build.inputs, build=build, views=views, keys={}, rendered=0, reused=0))
    site = build / site_module.SITE_DIR
    lib = site_build.site / "views" / "lib"
    (site / "views" / "lib").mkdir(parents=True, exist_ok=True)
    for script in lib.iterdir():
        (site / "views" / "lib" / script.name).write_bytes(script.read_bytes())
    return site


@pytest.fixture(scope="module")
def notebook_views(project, store, tmp_path_factory):
    """Write the pages ``clustergraph view`` writes, and notebook pages showing the same."""
    from clustergraph.render.views import notebook_library_html

    kg = KnowledgeGraph(project, store)
    folder = tmp_path_factory.mktemp("views")
    for name, view in (
        ("entities", kg.view("entities")),
        ("lcn", kg.view(entity="o:lcn", depth=1)),  # as the notebook draws it
    ):
        view.save(folder / f"{name}.html")
        (folder / f"{name}-notebook.html").write_text(
            "<!DOCTYPE html><html><body>" + notebook_library_html() + view.frame + "</body></html>",
            encoding="utf-8",
        )
    return folder


def open_view(browser, url: str, size: str, name: str = "cgView", frame: bool = False):
    page = browser.new_page()
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    target = page.frames[1] if frame else page
    target.wait_for_function(
        f"() => window.{name} && window.{name}.ready && window.{name}.network", timeout=20_000
    )
    target.wait_for_timeout(300)
    return page, target, errors


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize(
    "rel", ["views/ecosystem.html", "views/entities.html", "views/entity/org/lcn.html"]
)
def test_site_views(browser, site_build, rel, size):
    page, target, errors = open_view(browser, (site_build.site / rel).as_uri(), size)
    try:
        found = target.evaluate(FIRST_FRAME, "cgView")
    finally:
        page.close()
    assert errors == []
    check_first_frame(found, least_names=8 if size == "desktop" else 5)


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("rel", ["entity/org/lcn.html", "entity/org/lca.html"])
def test_neighbourhood_on_an_entity_page(browser, ego_site, rel, size):
    page, target, errors = open_view(browser, (ego_site / rel).as_uri(), size, "cgEgo")
    try:
        target.evaluate("document.getElementById('ego').scrollIntoView()")
        found = target.evaluate(FIRST_FRAME, "cgEgo")
    finally:
        page.close()
    assert errors == []
    check_first_frame(found, least_names=min(found["nodes"], 8 if size == "desktop" else 5))


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("name", ["entities", "lcn", "entities-notebook", "lcn-notebook"])
def test_written_and_notebook_views(browser, notebook_views, name, size):
    url = (notebook_views / f"{name}.html").as_uri()
    page, target, errors = open_view(browser, url, size, frame=name.endswith("notebook"))
    try:
        found = target.evaluate(FIRST_FRAME, "cgView")
    finally:
        page.close()
    assert errors == []
    check_first_frame(found, least_names=min(found["nodes"], 5))


def test_a_name_without_room_shows_on_hover_and_zoom(browser, site_build):
    page, target, errors = open_view(
        browser, (site_build.site / "views/entities.html").as_uri(), "phone"
    )
    try:
        waiting = target.evaluate(
            "() => { const shown = cgView.shownNames(), d = cgView.data;"
            " return d.parts[cgView.current()].nodes.filter(i => !(i in shown)); }"
        )
        assert waiting, "on a phone the entity network has more names than room"
        node = waiting[0]
        label = target.evaluate(f"cgView.data.nodes.label[{node}]")
        x, y = target.evaluate(
            f"""() => {{
                const p = cgView.network.canvasToDOM(cgView.network.getPosition({node}));
                const box = document.querySelector('#cg-network').getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }}"""
        )
        target.evaluate("window.__cgDrawn.length = 0; window.__cgRecording = true")
        page.mouse.move(x + 1, y + 1)
        page.mouse.move(x, y)
        page.wait_for_timeout(200)
        target.evaluate("window.__cgRecording = false")
        hovered = [t["text"] for t in target.evaluate("window.__cgDrawn")]
        assert label[:20] in " ".join(hovered)
        # Zooming in on it makes room for its name.
        target.evaluate(
            f"cgView.network.focus({node}, {{scale: 4, animation: false}}); cgView.placeLabels()"
        )
        assert str(node) in target.evaluate("cgView.shownNames()")
    finally:
        page.close()
    assert errors == []


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_graph_drawn_in_parts(browser, tmp_path_factory, size):
    """The first frame of a large graph: its parts, named off each other and the parts."""
    from clustergraph.render.views import write_view
    from tests.support.small_graphs import synthetic

    path = tmp_path_factory.mktemp("parts") / "parts.html"
    summary = write_view(synthetic(8, 60), path, title="Parts", max_nodes=100)
    assert summary.parts > 1
    page, target, errors = open_view(browser, path.as_uri(), size)
    try:
        found = target.evaluate(FIRST_FRAME, "cgView")
        parts = target.evaluate("cgView.data.parts[0].children.length")
    finally:
        page.close()
    assert errors == []
    check_first_frame(found, least_names=min(parts, 4))
