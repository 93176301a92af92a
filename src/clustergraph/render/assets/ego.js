/* clustergraph: an entity's neighbourhood drawn on its own page, from the JSON island
 * #ego-data (one shared script for every entity page of a large site). Positions come
 * from the page (a ring around the entity); a click opens the neighbour's page. Names are drawn on
 * the canvas as text (labels.js) and tooltips are plain text, never HTML. */
(function () {
  "use strict";
  var island = document.getElementById("ego-data");
  var box = document.getElementById("ego");
  if (!island || !box || !window.vis) return;
  var data = JSON.parse(island.textContent);
  var root = document.documentElement.getAttribute("data-root") || "";
  var nodes = data.nodes.map(function (n, i) {
    return { id: i, label: "", title: n.label + " · " + n.kind, x: n.x, y: n.y,
             size: n.size, shape: n.shape, color: { background: n.color, border: "#374151" },
             borderWidth: i === 0 ? 4 : 1 };
  });
  var edges = data.edges.map(function (e) {
    return { from: e[0], to: e[1], title: e[2], color: { color: "#a3acb7" } };
  });
  var network = new window.vis.Network(box, { nodes: nodes, edges: edges }, {
    physics: false, layout: { improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 120 }, edges: { smooth: false },
    nodes: { labelHighlightBold: false }
  });
  /* Names: placed off every node and every other name (labels.js), the entity first,
   * then in the page's order (organisations and people, the most central); a name with
   * no room shows on hover and when zooming in makes room. */
  var names = [], hovered = null, PX = 12;
  function place() {
    var scale = network.getScale();
    var board = new cgLabels.Board(box.clientWidth, box.clientHeight);
    var at = data.nodes.map(function (n, i) {
      var p = network.canvasToDOM({ x: n.x, y: n.y });
      var r = cgLabels.reach(n.size, i === 0 ? 4 : 1) * scale;
      board.take([p.x - r, p.y - r, p.x + r, p.y + r]);
      return [p.x, p.y, r];
    });
    names = [];
    data.nodes.forEach(function (n, i) {
      var spot = board.placeName(at[i][0], at[i][1], at[i][2], n.label, PX);
      if (spot === null) return;
      var c = network.DOMtoCanvas({ x: spot.x, y: spot.y });
      names[i] = { text: spot.text, x: c.x, y: c.y, size: PX / scale };
    });
    network.redraw();
  }
  network.on("afterDrawing", function (ctx) {
    names.forEach(function (n) { if (n) cgLabels.drawName(ctx, n.text, n.x, n.y, n.size, false); });
    if (hovered !== null && !names[hovered]) {
      var n = data.nodes[hovered], size = PX / network.getScale();
      cgLabels.drawName(ctx, cgLabels.shorten(n.label, 60), n.x, n.y - cgLabels.reach(n.size, 1) - size, size, true);
    }
  });
  network.on("hoverNode", function (p) { hovered = p.node; network.redraw(); });
  network.on("blurNode", function () { hovered = null; network.redraw(); });
  var timer = null;
  function placeSoon() {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(function () { timer = null; place(); }, 120);
  }
  network.on("zoom", placeSoon);
  network.on("dragEnd", placeSoon);
  network.on("resize", placeSoon);
  network.once("afterDrawing", place);
  network.on("click", function (p) {
    if (p.nodes.length && p.nodes[0] !== 0 && data.nodes[p.nodes[0]].href) {
      window.location.href = root + data.nodes[p.nodes[0]].href;
    }
  });
  window.cgEgo = {
    network: network, ready: true,
    shownNames: function () { var out = {}; names.forEach(function (n, i) { if (n) out[i] = n.text; }); return out; }
  };
}());
