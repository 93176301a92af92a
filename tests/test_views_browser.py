"""The views in a real headless Chromium, opened from disk with no network.

Debian's ``chromium`` is driven by Python playwright (``executable_path``); no browser
is downloaded. One browser serves the whole module, and only four pages are opened:
the ecosystem view, an entity's neighbourhood, a page full of hostile text, and a graph
large enough to be drawn in parts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clustergraph.network.projections import GraphIndex, entity_network, neighbourhood
from clustergraph.render.views import write_view
from tests.support.browser import chromium_context
from tests.support.small_graphs import synthetic

PAYLOAD = '<img src=x onerror="window.__pwned=1">'

pytestmark = pytest.mark.browser  # fails without Chromium: make test installs it


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


class Page:
    """A view opened in the browser, with what it asked for and what went wrong."""

    def __init__(self, context, path: Path):
        self.page = context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "console", lambda m: self.console.append(m.text) if m.type == "error" else None
        )
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_function(
            "() => window.cgView && window.cgView.ready && window.cgView.drawCount > 0",
            timeout=20_000,
        )

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def drawn_pixels(self) -> int:
        return self.js(
            """() => {
                const canvas = document.querySelector('#cg-network canvas');
                const data = canvas.getContext('2d')
                    .getImageData(0, 0, canvas.width, canvas.height).data;
                let painted = 0;
                for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
                return painted;
            }"""
        )

    def check_clean(self):
        assert self.errors == []
        assert self.console == []
        assert self.requests == [self.url]  # the page itself, nothing else

    def close(self):
        self.page.close()


@pytest.fixture(scope="module")
def ecosystem(store):
    return entity_network(GraphIndex.from_store(store))


def test_ecosystem_view(browser, ecosystem, tmp_path):
    graph = ecosystem
    write_view(graph, tmp_path / "ecosystem.html", title="Ecosystem")
    page = Page(browser, tmp_path / "ecosystem.html")
    try:
        assert page.js("[cgView.nodes.length, cgView.edges.length]") == [
            graph.number_of_nodes(),
            graph.number_of_edges(),
        ]
        assert page.drawn_pixels() > 5_000
        assert page.js("document.querySelectorAll('#cg-legend li').length") == len(
            {d["cls"] for _n, d in graph.nodes(data=True)}
        )
        # Search: typing a name lists it; Enter selects it and shows its details.
        page.page.fill("#cg-search", "ftd lt")
        assert page.js("document.querySelector('#cg-results li').textContent") == (
            "FTD LT · cluster"
        )
        page.page.press("#cg-search", "Enter")
        selected = page.js("cgView.network.getSelectedNodes().map(i => cgView.data.nodes.id[i])")
        assert selected == ["https://w3id.org/clustergraph/id/org/ftd-lt"]
        page.page.fill("#cg-search", "lcn")
        page.page.press("#cg-search", "Enter")
        assert page.js("document.querySelector('#cg-details h3').textContent") == (
            "Lithuanian Cluster Network"
        )
        # Filter by class: unticking "membership" hides the memberships.
        memberships = sum(1 for _n, d in graph.nodes(data=True) if d["cls"] == "cg:Membership")
        k = page.js("cgView.data.classes.findIndex(c => c.name === 'cg:Membership')")
        page.page.uncheck(f"#cg-legend input[data-cls='{k}']")
        hidden = page.js("cgView.nodes.get({filter: n => n.hidden}).length")
        assert hidden == memberships
        page.check_clean()
    finally:
        page.close()


def test_entity_view_is_centred_on_the_entity(browser, ecosystem, tmp_path):
    lcn = "https://w3id.org/clustergraph/id/org/lcn"
    graph = neighbourhood(ecosystem, lcn, 2)
    write_view(graph, tmp_path / "lcn.html", title="LCN", focus=lcn)
    page = Page(browser, tmp_path / "lcn.html")
    try:
        assert page.js("[cgView.nodes.length, cgView.edges.length]") == [
            graph.number_of_nodes(),
            graph.number_of_edges(),
        ]
        assert page.js("cgView.network.getSelectedNodes().map(i => cgView.data.nodes.id[i])") == [
            lcn
        ]
        details = page.js("document.querySelector('#cg-details').innerText")
        assert "Lithuanian Cluster Network" in details and "member clusters 57" in details
        assert page.drawn_pixels() > 1_000
        page.check_clean()
    finally:
        page.close()


def hostile_graph():
    import networkx as nx

    from clustergraph.network.index import Statement

    g = nx.Graph(source_titles={"urn:graph": PAYLOAD})
    g.add_node(
        "urn:evil",
        label=PAYLOAD,
        name=PAYLOAD,
        cls=PAYLOAD,
        cls_label=PAYLOAD,
        facts=((PAYLOAD, PAYLOAD),),
        sources=("urn:graph",),
    )
    g.add_node("urn:other", label="other")
    statement = Statement("urn:evil", "urn:p", "urn:other", ("urn:graph",))
    g.add_edge(
        "urn:evil",
        "urn:other",
        predicates=(PAYLOAD,),
        relations=(PAYLOAD,),
        statements=(statement,),
        sources=("urn:graph",),
    )
    return g


def test_hostile_text_is_shown_as_text(browser, tmp_path):
    write_view(hostile_graph(), tmp_path / "hostile.html", title=PAYLOAD, subtitle=PAYLOAD)
    page = Page(browser, tmp_path / "hostile.html")
    try:
        assert page.js("document.title") == PAYLOAD
        assert page.js("document.querySelector('#cg-title').textContent") == PAYLOAD
        assert PAYLOAD in page.js("document.querySelector('#cg-legend').textContent")
        assert page.js("cgView.shownNames()[0]") == PAYLOAD  # drawn on the canvas as text
        # Hover the node: vis-network's tooltip shows the payload as text.
        x, y = page.js(
            """() => {
                const p = cgView.network.canvasToDOM(cgView.network.getPosition(0));
                const box = document.querySelector('#cg-network').getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }"""
        )
        page.page.mouse.move(x + 1, y + 1)
        page.page.mouse.move(x, y)
        page.page.wait_for_function(
            "() => { const t = document.querySelector('div.vis-tooltip');"
            " return t && t.style.visibility === 'visible'; }",
            timeout=5_000,
        )
        tooltip = page.js("document.querySelector('div.vis-tooltip').innerText")
        assert tooltip.startswith(PAYLOAD) and tooltip.count(PAYLOAD) >= 4
        # Click it: the details panel shows the same text, as text.
        page.page.mouse.click(x, y)
        assert PAYLOAD in page.js("document.querySelector('#cg-details').textContent")
        # Search lists it as text too.
        page.page.fill("#cg-search", "<img")
        assert PAYLOAD in page.js("document.querySelector('#cg-results').textContent")
        assert page.js("document.querySelectorAll('img').length") == 0
        assert page.js("window.__pwned === undefined")
        page.check_clean()
    finally:
        page.close()


def test_large_graph_opens_in_parts(browser, tmp_path):
    graph = synthetic(8, 60)
    summary = write_view(graph, tmp_path / "parts.html", title="Parts", max_nodes=100)
    assert summary.parts > 1
    page = Page(browser, tmp_path / "parts.html")
    try:
        parts = page.js("cgView.data.parts")
        root = parts[0]
        assert page.js("cgView.nodes.length") == len(root["children"])
        assert page.js("cgView.edges.length") == len(root["links"])
        assert page.drawn_pixels() > 1_000
        leaves = [i for i, p in enumerate(parts) if not p["children"]]
        assert sum(len(parts[i]["nodes"]) for i in leaves) == graph.number_of_nodes()
        # Open a part by double-clicking it: its nodes and inner edges are drawn.
        first = root["children"][0]
        x, y = page.js(
            f"""() => {{
                const p = cgView.network.canvasToDOM(cgView.network.getPosition('p{first}'));
                const box = document.querySelector('#cg-network').getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }}"""
        )
        page.page.mouse.dblclick(x, y)
        page.page.wait_for_function(f"() => cgView.current() === {first}")
        target = parts[first]
        while target["children"]:
            page.js(f"cgView.showPart({target['children'][0]})")
            target = parts[target["children"][0]]
        assert page.js("[cgView.nodes.length, cgView.edges.length]") == [
            len(target["nodes"]),
            len(target["edges"]),
        ]
        # Searching a node of another part opens that part.
        last = leaves[-1]
        node = parts[last]["nodes"][0]
        label = page.js(f"cgView.data.nodes.label[{node}]")
        page.page.fill("#cg-search", label)
        page.page.press("#cg-search", "Enter")
        assert page.js("cgView.current()") == last
        assert page.js("cgView.network.getSelectedNodes()") == [node]
        page.js("document.querySelector('#cg-crumbs button').click()")
        assert page.js("cgView.current()") == 0
        page.check_clean()
    finally:
        page.close()


def test_notebook_views_share_one_copy_of_vis_network(browser, ecosystem, tmp_path):
    """Views in a notebook: the library is loaded once by the page, each view draws with it."""
    from clustergraph.render.views import notebook_library_html, notebook_view_html

    small = neighbourhood(ecosystem, "https://w3id.org/clustergraph/id/org/lcn", 1)
    views = [notebook_view_html(small, title=f"view {k}", height=300) for k in range(2)]
    notebook = tmp_path / "notebook.html"
    notebook.write_text(
        "<!DOCTYPE html><html><body>" + notebook_library_html() + "".join(views) + "</body></html>",
        encoding="utf-8",
    )
    assert all(len(v) < len(notebook_library_html()) / 3 for v in views)  # no copy inside
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(notebook.resolve().as_uri())
        for frame in page.frames[1:]:
            frame.wait_for_function(
                "() => window.cgView && window.cgView.ready && window.cgView.drawCount > 0",
                timeout=20_000,
            )
        assert len(page.frames) == 3
        assert page.evaluate("typeof window.vis") == "undefined"  # the page's own vis untouched
    finally:
        page.close()
    assert errors == []
