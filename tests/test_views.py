"""Layout, parts and the HTML of views (the browser tests are in test_views_browser.py)."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from clustergraph.errors import InputError
from clustergraph.network.projections import GraphIndex, entity_network
from clustergraph.render.drawing import draw, layout
from clustergraph.render.views import json_for_html, render_view, write_view
from tests.support.small_graphs import synthetic

PAYLOAD = '<img src=x onerror="window.__pwned=1">'


class _Tags(HTMLParser):
    """Collects tags, attributes and script texts of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def parse(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    return tags


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


# -- layout and parts ---------------------------------------------------------------------


def test_layout_is_deterministic_and_spread():
    g = nx.connected_caveman_graph(4, 5)
    edges = list(g.edges)
    first = layout(g.number_of_nodes(), edges, seed=3)
    assert first == layout(g.number_of_nodes(), edges, seed=3)
    assert first != layout(g.number_of_nodes(), edges, seed=4)
    closest = min(math.dist(p, q) for i, p in enumerate(first) for q in first[i + 1 :])
    assert closest > 5  # no two nodes on top of each other
    lengths = sorted(math.dist(first[a], first[b]) for a, b in edges)
    assert lengths[len(lengths) // 2] >= 119  # the median edge: 120 px, or more if crowded


def test_components_do_not_overlap():
    # Two triangles and two isolated nodes: each component gets its own box.
    pos = layout(8, [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)])
    boxes = []
    for members in ([0, 1, 2], [3, 4, 5], [6], [7]):
        xs = [pos[v][0] for v in members]
        ys = [pos[v][1] for v in members]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]


def test_small_graph_is_one_part():
    d = draw(3, [(0, 1)], ["a", "b", "c"], [0, 0, 1])
    assert len(d.parts) == 1 and d.parts[0].nodes == [0, 1, 2] and d.parts[0].edges == [0]
    assert d.leaf_of == [0, 0, 0]
    assert d.size[0] == d.size[1] > d.size[2]


def test_large_graph_is_split_into_parts():
    g = synthetic(12, 40)
    order = list(g)
    index = {v: i for i, v in enumerate(order)}
    edges = [(index[a], index[b]) for a, b in g.edges]
    d = draw(len(order), edges, order, [0] * len(order), max_nodes=60, max_groups=5)
    root = d.parts[0]
    assert root.children and root.size == len(order)
    leaves = [p for p in d.parts if p.is_leaf]
    assert all(len(p.nodes) <= 60 for p in leaves)
    assert all(len(p.children) <= 5 for p in d.parts)
    assert sorted(v for p in leaves for v in p.nodes) == list(range(len(order)))
    inside = sum(len(p.edges) for p in leaves)
    between = sum(c for p in d.parts for _a, _b, c in p.links)
    assert inside + between == len(edges)
    for i, p in enumerate(leaves):
        assert all(d.leaf_of[v] == d.parts.index(p) for v in p.nodes), i


def test_draw_rejects_bad_options():
    with pytest.raises(InputError, match="size measure"):
        draw(2, [(0, 1)], ["a", "b"], [0, 0], size_by="magic")
    with pytest.raises(InputError, match="2 or more"):
        draw(2, [(0, 1)], ["a", "b"], [0, 0], max_nodes=1)


# -- the page -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ecosystem(store):
    return entity_network(GraphIndex.from_store(store))


def test_page_is_self_contained(ecosystem, tmp_path):
    summary = write_view(ecosystem, tmp_path / "eco.html", title="Ecosystem")
    html = (tmp_path / "eco.html").read_text(encoding="utf-8")
    assert (summary.nodes, summary.edges) == (
        ecosystem.number_of_nodes(),
        ecosystem.number_of_edges(),
    )
    tags = parse(html)
    # Nothing is loaded from elsewhere: no src, href, @import, url() or link elements.
    for tag, attrs in tags.tags:
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert "@import" not in html and "url(" not in html.split("<script>", 1)[0]
    assert "bootstrap" not in html.lower() and "cdn" not in html.split("<script>", 1)[0].lower()
    assert "vis-network" in html and "new vis.Network" in html
    csp = next(
        a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert (
        csp.count("'sha256-") == 2
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    data = page_data(html)
    assert data["counts"] == {"nodes": summary.nodes, "edges": summary.edges}
    assert len(data["parts"]) == 1 and sorted(data["parts"][0]["nodes"]) == list(
        range(summary.nodes)
    )
    assert all(isinstance(x, float | int) for x in data["nodes"]["x"])  # positions precomputed
    assert not list(tmp_path.glob(".*"))


def test_script_hashes_match_the_scripts(ecosystem):
    import base64
    import hashlib

    html, _ = render_view(ecosystem, title="x")
    tags = parse(html)
    csp = next(
        a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    executable = [
        s
        for (t, a), s in zip([t for t in tags.tags if t[0] == "script"], tags.scripts, strict=False)
        if not a.get("type")
    ]
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in executable
    }
    assert len(executable) == 2 and all(h in csp for h in hashes)


def test_text_is_escaped_in_the_page():
    g = nx.Graph()
    g.add_node("urn:a", label=PAYLOAD, cls=PAYLOAD, cls_label=PAYLOAD, facts=((PAYLOAD, PAYLOAD),))
    g.add_node("urn:</script><script>window.__pwned=2</script>", label="b")
    g.add_edge("urn:a", "urn:</script><script>window.__pwned=2</script>", predicates=(PAYLOAD,))
    html, _ = render_view(g, title=PAYLOAD, subtitle=PAYLOAD)
    assert "<img" not in html
    assert "</script><script>window.__pwned" not in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in html  # title and heading
    nodes = page_data(html)["nodes"]
    assert nodes["label"][nodes["id"].index("urn:a")] == PAYLOAD  # the data keep the text


def test_derived_statements_say_so_in_the_page():
    from clustergraph.network.index import Statement

    g = nx.Graph(source_titles={"urn:graph": "The article"})
    g.add_node("urn:a", label="A")
    g.add_node("urn:b", label="B")
    derived = Statement("urn:a", "urn:p", "urn:b", (), ("urn:graph",))
    g.add_edge("urn:a", "urn:b", predicates=("ex:p",), statements=(derived,))
    data = page_data(render_view(g, title="x")[0])
    ((text, sources),) = data["edges"]["statements"][0]
    assert text == "<urn:a> <urn:p> <urn:b> . (derived by reasoning)"
    assert [data["sources"][i] for i in sources] == [{"iri": "urn:graph", "title": "The article"}]


def test_json_for_html_round_trips():
    data = {"a": "</script><!-- & \u2028", "b": [1, 2.5, None]}
    text = json_for_html(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


def test_large_view_is_drawn_in_parts():
    g = synthetic(6, 30)
    html, summary = render_view(g, title="parts", max_nodes=50)
    data = page_data(html)
    assert summary.parts > 1 and summary.leaves >= 6
    assert data["parts"][0]["children"]
    assert all(len(p["nodes"]) <= 50 for p in data["parts"])


def test_a_class_has_one_colour_in_every_view(ecosystem):
    from clustergraph.network.projections import neighbourhood

    person = "https://w3id.org/clustergraph/id/person/giedrius-bagusinskas"
    views = [ecosystem, neighbourhood(ecosystem, person, 3)]
    colours = []
    for graph in views:
        data = page_data(render_view(graph, title="x")[0])
        colours.append({c["name"]: (c["color"], c["shape"]) for c in data["classes"]})
    shared = colours[0].keys() & colours[1].keys()
    assert {"cg:ClusterNetwork", "cg:Post", "foaf:Person"} <= shared
    assert all(colours[0][c] == colours[1][c] for c in shared)
    # Colour groups: organisations, people and ties never share a colour.
    assert len({colours[0][c][0] for c in ("cg:ClusterNetwork", "cg:Post", "foaf:Person")}) == 3


def test_colours_are_keyed_on_the_class_not_the_data(ecosystem):
    """A made-up source full of new posts does not change any class's colour or shape."""
    from clustergraph.render.views import GROUPS, class_style

    before = {
        c["name"]: (c["color"], c["shape"])
        for c in page_data(render_view(ecosystem, title="x")[0])["classes"]
    }
    bigger = ecosystem.copy()
    for k in range(60):  # a made-up article naming sixty posts and ten new kinds of thing
        bigger.add_node(f"urn:x:post{k}", cls="cg:Post", label=f"post {k}")
        bigger.add_node(f"urn:x:thing{k}", cls=f"ex:Kind{k % 10}", label=f"thing {k}")
        bigger.add_edge(f"urn:x:post{k}", f"urn:x:thing{k}")
    after = {
        c["name"]: (c["color"], c["shape"])
        for c in page_data(render_view(bigger, title="x")[0])["classes"]
    }
    assert all(after[c] == before[c] for c in before)
    palette = {colour for colour, _text in GROUPS.values()}
    assert {colour for colour, _shape in after.values()} <= palette
    assert class_style("cg:Post") == ("tie", GROUPS["tie"][0], "square")


def test_a_large_view_keeps_its_details_in_one_script_per_part(tmp_path):
    """Level of detail: the page carries what it draws; facts and statements come per part."""
    g = synthetic(6, 30)
    path = tmp_path / "big.html"
    summary = write_view(g, path, title="parts", max_nodes=50, vis_src="lib/vis.js")
    data = page_data(path.read_text(encoding="utf-8"))
    assert "facts" not in data["nodes"] and "statements" not in data["edges"]
    assert data["detailsSrc"] == "big.parts/"
    scripts = sorted((tmp_path / "big.parts").glob("*.js"))
    assert len(scripts) == summary.leaves
    assert all(s.read_text().startswith(f"cgViewPart({s.stem},") for s in scripts)
