/* clustergraph: an entity's neighbourhood drawn on its own page, from the JSON island
 * #ego-data (one shared script for every entity page of a large site). Positions come
 * from the page (a ring around the entity); a click opens the neighbour's page. Text is
 * given to vis-network as labels and plain-text tooltips, never as HTML. */
(function () {
  "use strict";
  var island = document.getElementById("ego-data");
  var box = document.getElementById("ego");
  if (!island || !box || !window.vis) return;
  var data = JSON.parse(island.textContent);
  var root = document.documentElement.getAttribute("data-root") || "";
  function shorten(t) { return t.length > 24 ? t.slice(0, 23) + "\u2026" : t; }
  var nodes = data.nodes.map(function (n, i) {
    return { id: i, label: n.shown ? shorten(n.label) : "", title: n.label + " · " + n.kind, x: n.x, y: n.y,
             size: n.size, shape: n.shape, color: { background: n.color, border: "#374151" },
             borderWidth: i === 0 ? 4 : 1, font: { size: 12, strokeWidth: 3, strokeColor: "#fff" } };
  });
  var edges = data.edges.map(function (e) {
    return { from: e[0], to: e[1], title: e[2], color: { color: "#a3acb7" } };
  });
  var network = new window.vis.Network(box, { nodes: nodes, edges: edges }, {
    physics: false, layout: { improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 120 }, edges: { smooth: false },
    nodes: { labelHighlightBold: false }
  });
  network.on("click", function (p) {
    if (p.nodes.length && p.nodes[0] !== 0 && data.nodes[p.nodes[0]].href) {
      window.location.href = root + data.nodes[p.nodes[0]].href;
    }
  });
  window.cgEgo = { network: network, ready: true };
}());
