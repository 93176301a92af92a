/* clustergraph view: draws the precomputed graph held in #cg-data with vis-network.
 * All text from the data reaches the page through textContent, vis-network's canvas
 * labels, or string tooltips (which vis-network shows as text): never as HTML. */
(function () {
  "use strict";
  var started = performance.now();
  var DATA = JSON.parse(document.getElementById("cg-data").textContent);
  var N = DATA.nodes, E = DATA.edges, P = DATA.parts, C = DATA.classes, S = DATA.sources;
  /* A large view keeps the details of its nodes and edges (facts, sources, statements)
   * in one small script per part, loaded when the part is opened (level of detail). */
  var split = !N.facts;
  var D = { facts: {}, sources: {}, relations: {}, statements: {} };
  var loadedParts = {};
  function facts(i) { return split ? D.facts[i] || [] : N.facts[i]; }
  function sourcesOf(i) { return split ? D.sources[i] || [] : N.sources[i]; }
  function relations(e) { return split ? D.relations[e] || [] : E.relations[e]; }
  function statements_(e) { return split ? D.statements[e] || [] : E.statements[e]; }
  window.cgViewPart = function (p, d) {
    d.nodes.forEach(function (r) { D.facts[r[0]] = r[1]; D.sources[r[0]] = r[2]; });
    d.edges.forEach(function (r) { D.relations[r[0]] = r[1]; D.statements[r[0]] = r[2]; });
    loadedParts[p] = true;
    if (p === current) {
      nodes.update(P[p].nodes.map(function (i) { return { id: i, title: nodeTitle(i) }; }));
      edges.update(P[p].edges.map(function (e) { return { id: "e" + e, title: edgeTitle(e) }; }));
    }
  };
  function loadPart(p) {
    if (!split || loadedParts[p] || P[p].children.length) return;
    loadedParts[p] = "loading";
    var s = document.createElement("script");
    s.src = DATA.detailsSrc + p + ".js";
    document.head.appendChild(s);
  }
  var hiddenClasses = new Set();
  /* Through time (the site's ecosystem view): T.steps are days; T.nodes[i] and
   * T.edges[e] hold one character per step, "1" where the node or edge is there as of
   * that day. step -1 shows every time. Positions never change: a step only hides. */
  var T = DATA.time || null;
  var step = -1;
  function present(mask) { return step < 0 || mask.charAt(step) === "1"; }
  function nodeThere(i) { return !T || present(T.nodes[i]); }
  function edgeThere(e) { return !T || present(T.edges[e]); }
  function nodeHidden(i) { return hiddenClasses.has(N.cls[i]) || !nodeThere(i); }
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var current = -1;
  var container = document.getElementById("cg-network");
  var options = {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: true, multiselect: false },
    nodes: {
      shape: "dot",
      labelHighlightBold: false,
      borderWidth: 1,
      font: { size: 14, face: "system-ui, sans-serif", color: "#1d2430", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: 6 } }
    },
    edges: {
      smooth: false,
      width: 1,
      color: { color: "#a3acb7", highlight: "#2f3a48", hover: "#2f3a48" },
      font: { size: 10, face: "system-ui, sans-serif", color: "#4a5361", strokeWidth: 3, strokeColor: "#ffffff", align: "horizontal" },
      selectionWidth: 2
    }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var api = {
    network: network, nodes: nodes, edges: edges, data: DATA, drawCount: 0,
    showPart: showPart, goTo: goTo, current: function () { return current; },
    labelsPlaced: 0, placeLabels: function () { placeLabels(); },
    stretch: function () { return [SX, SY]; }
  };
  window.cgView = api;
  network.on("afterDrawing", function () { api.drawCount += 1; });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function kindOf(i) {
    var c = C[N.cls[i]];
    return c.label + " (" + c.name + ")";
  }

  function nodeTitle(i) {
    var lines = [N.label[i], kindOf(i) + " · " + N.name[i]];
    facts(i).forEach(function (kv) { lines.push(kv[0] + ": " + kv[1]); });
    lines.push(DATA.sizeBy + ": " + N.score[i].toPrecision(3));
    if (sourcesOf(i).length) {
      lines.push("Sources:");
      sourcesOf(i).forEach(function (s) { lines.push("  " + S[s].title); });
    }
    return lines.join("\n");
  }

  function edgeTitle(e) {
    var lines = [N.label[E.from[e]] + " — " + N.label[E.to[e]]];
    relations(e).forEach(function (r) { lines.push("via " + r); });
    var statements = statements_(e);
    statements.slice(0, 6).forEach(function (st) {
      lines.push(st[0]);
      if (st[1].length) {
        lines.push("  stated in: " + st[1].map(function (s) { return S[s].title; }).join("; "));
      }
    });
    if (statements.length > 6) lines.push("… and " + (statements.length - 6) + " more statements");
    return lines.join("\n");
  }

  /* A network's drawing fills the canvas: a part's positions are stretched along one axis (at
   * most STRETCH times) until their extent has the canvas's proportions, so that the
   * first frame's fit leaves no band empty. Stretching one axis only moves nodes apart,
   * at the zoom the fit would give anyway, so no label comes to overlap another. */
  var STRETCH = 4, SX = 1, SY = 1;
  function stretchTo(part) {
    SX = SY = 1;
    // a neighbourhood keeps its shape around its entity (and its labels inside the canvas)
    if (part.nodes.length < 2 || (typeof DATA.focus === "number" && DATA.focus >= 0)) return;
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    part.nodes.forEach(function (i) {
      x0 = Math.min(x0, N.x[i]); x1 = Math.max(x1, N.x[i]);
      y0 = Math.min(y0, N.y[i]); y1 = Math.max(y1, N.y[i]);
    });
    var w = x1 - x0, h = y1 - y0, W = container.clientWidth, H = container.clientHeight;
    if (!(w > 0 && h > 0 && W > 0 && H > 0)) return;
    var want = W / H, have = w / h;
    if (have < want) SX = Math.min(want / have, STRETCH);
    else SY = Math.min(have / want, STRETCH);
  }
  function X(i) { return N.x[i] * SX; }
  function Y(i) { return N.y[i] * SY; }

  function nodeItem(i) {
    var c = C[N.cls[i]];
    var focus = DATA.focus === i;
    return {
      id: i, x: X(i), y: Y(i), size: N.size[i], shape: c.shape,
      color: { background: c.color, border: focus ? "#111111" : "#4b5563",
               highlight: { background: c.color, border: "#000000" },
               hover: { background: c.color, border: "#000000" } },
      label: "",
      borderWidth: focus ? 4 : 1, title: nodeTitle(i), hidden: nodeHidden(i)
    };
  }

  function edgeItem(e) {
    return { id: "e" + e, from: E.from[e], to: E.to[e], title: edgeTitle(e), label: "", hidden: !edgeThere(e) };
  }

  /* Labels: placed so that no name overlaps another name or a node and none is cut at
   * the edge of the canvas (cgLabels, labels.js). The entity in focus first, then the
   * nodes of the main groups (organisations, people), then by centrality; each name
   * tries eight places around its node; then edge labels, off every node and name. Each
   * name is drawn MIN_PX to MAX_PX pixels high whatever the zoom; one with no free place
   * waits until one zooms in (it shows on hover, in the tooltip and the details
   * meanwhile). Re-placed after each zoom or drag. */
  var MIN_PX = 11, MAX_PX = 14, EDGE_PX = 10, PAD = 3;
  var shownEdge = new Map();
  var names = new Map();  // node -> {text, x, y (canvas units), size}
  var hovered = null;
  function baseFont(i) { return Math.round(9 + 0.7 * N.size[i]); }
  var textWidth = cgLabels.textWidth, shorten = cgLabels.shorten;
  function placeLabels() {
    var part = P[current];
    names = new Map();
    if (!part) return;
    var scale = network.getScale();
    var board = new cgLabels.Board(container.clientWidth, container.clientHeight);
    if (part.children.length) { placePartNames(part, board, scale); return; }
    var order = part.nodes.filter(function (i) { return !nodeHidden(i); });
    var at = {};
    order.forEach(function (i) {  // the nodes' places are taken first
      var p = network.canvasToDOM({ x: X(i), y: Y(i) });
      var r = cgLabels.reach(N.size[i], DATA.focus === i ? 4 : 1) * scale;
      at[i] = [p.x, p.y, r];
      board.take([p.x - r, p.y - r, p.x + r, p.y + r]);
    });
    order.sort(function (a, b) {
      return (b === DATA.focus) - (a === DATA.focus) ||
        C[N.cls[a]].rank - C[N.cls[b]].rank || N.score[b] - N.score[a] || a - b;
    });
    order.forEach(function (i) {
      var px = Math.min(Math.max(baseFont(i) * scale, MIN_PX), MAX_PX);
      var spot = board.placeName(at[i][0], at[i][1], at[i][2], N.label[i], px);
      if (spot === null) return;
      var c = network.DOMtoCanvas({ x: spot.x, y: spot.y });
      names.set(i, { text: spot.text, x: c.x, y: c.y, size: px / scale });
    });
    var edgeUpdates = [];
    if (part.edges.length <= DATA.edgeLabelLimit) {
      var edgeOrder = part.edges.filter(function (e) { return edgeThere(e) && (names.has(E.from[e]) || names.has(E.to[e])); });
      edgeOrder.sort(function (a, b) {
        return (N.score[E.from[b]] + N.score[E.to[b]]) - (N.score[E.from[a]] + N.score[E.to[a]]) || a - b;
      });
      var edgeSet = new Set();
      edgeOrder.forEach(function (e) {
        var a = E.from[e], b = E.to[e];
        if (hiddenClasses.has(N.cls[a]) || hiddenClasses.has(N.cls[b])) return;
        var px = Math.max(EDGE_PX * scale, EDGE_PX);
        var text = shorten(DATA.edgeLabels[E.label[e]], 36);
        if (!text) return;
        var p = network.canvasToDOM({ x: (X(a) + X(b)) / 2, y: (Y(a) + Y(b)) / 2 });
        var w = textWidth(text) * px, h = px * 1.2;
        if (board.tryTake([p.x - w / 2 - PAD, p.y - h / 2 - PAD, p.x + w / 2 + PAD, p.y + h / 2 + PAD])) {
          edgeSet.add(e);
          var size = Math.round(px / scale * 100) / 100;
          if (shownEdge.get(e) !== text + "|" + size) {
            shownEdge.set(e, text + "|" + size);
            edgeUpdates.push({ id: "e" + e, label: text, font: { size: size } });
          }
        }
      });
      shownEdge.forEach(function (v, e) {
        if (v && !edgeSet.has(e)) { shownEdge.set(e, ""); edgeUpdates.push({ id: "e" + e, label: "" }); }
      });
    }
    if (edgeUpdates.length) edges.update(edgeUpdates);
    api.labelsPlaced += 1;
    network.redraw();
  }
  /* A level of parts: each part's place first, then its name (its most central
   * members and its size), the largest parts first, as for nodes. */
  function partSize(c, biggest) { return 14 + 30 * Math.sqrt(P[c].size / biggest); }
  function partName(c) { return shorten(P[c].label.split("\n")[0], 28) + " \u00b7 " + P[c].size; }
  function placePartNames(part, board, scale) {
    var shown = part.children.filter(function (c) { return !partHidden(c); });
    var biggest = Math.max.apply(null, part.children.map(function (c) { return P[c].size; }));
    var at = {};
    shown.forEach(function (c) {
      var p = network.canvasToDOM({ x: P[c].x, y: P[c].y });
      var r = cgLabels.reach(partSize(c, biggest), 3) * scale;
      at[c] = [p.x, p.y, r];
      board.take([p.x - r, p.y - r, p.x + r, p.y + r]);
    });
    shown.slice().sort(function (a, b) { return P[b].size - P[a].size || a - b; }).forEach(function (c) {
      var spot = board.placeName(at[c][0], at[c][1], at[c][2], partName(c), MAX_PX);
      if (spot === null) return;
      var d = network.DOMtoCanvas({ x: spot.x, y: spot.y });
      names.set("p" + c, { text: spot.text, x: d.x, y: d.y, size: MAX_PX / scale });
    });
    // the number of edges between two parts, where it has room (always in its tooltip)
    var updates = part.links.map(function (l, k) {
      var a = network.canvasToDOM({ x: P[l[0]].x, y: P[l[0]].y }), b = network.canvasToDOM({ x: P[l[1]].x, y: P[l[1]].y });
      var text = String(l[2]), px = EDGE_PX, w = textWidth(text) * px, h = px * 1.2;
      var x = (a.x + b.x) / 2, y = (a.y + b.y) / 2;
      var free = !partHidden(l[0]) && !partHidden(l[1]) &&
        board.tryTake([x - w / 2 - PAD, y - h / 2 - PAD, x + w / 2 + PAD, y + h / 2 + PAD]);
      return { id: "l" + k, label: free ? text : "", font: { size: px / scale } };
    });
    if (updates.length) edges.update(updates);
    api.labelsPlaced += 1;
    network.redraw();
  }

  /* The names are drawn over the drawing, in its own units (they move with it while
   * dragging); a hovered node whose name had no room shows it in a box on top. */
  network.on("afterDrawing", function (ctx) {
    names.forEach(function (n) { cgLabels.drawName(ctx, n.text, n.x, n.y, n.size, false); });
    if (hovered !== null && typeof hovered === "number" && !names.has(hovered) && nodes.get(hovered)) {
      var scale = network.getScale();
      var size = Math.min(Math.max(baseFont(hovered) * scale, MIN_PX), MAX_PX) / scale;
      var text = shorten(N.label[hovered], 60);
      var r = cgLabels.reach(N.size[hovered], 1);
      cgLabels.drawName(ctx, text, X(hovered), Y(hovered) - r - size, size, true);
    } else if (typeof hovered === "string" && !names.has(hovered) && nodes.get(hovered)) {
      var c = Number(hovered.slice(1)), s = MAX_PX / network.getScale(), item = nodes.get(hovered);
      cgLabels.drawName(ctx, partName(c), P[c].x, P[c].y - cgLabels.reach(item.size, 3) - s, s, true);
    }
  });
  network.on("hoverNode", function (p) { hovered = p.node; network.redraw(); });
  network.on("blurNode", function () { hovered = null; network.redraw(); });
  api.shownNames = function () {
    var out = {};
    names.forEach(function (n, i) { out[i] = n.text; });
    return out;
  };
  var placeTimer = null;
  function placeSoon() {
    if (placeTimer !== null) clearTimeout(placeTimer);
    placeTimer = setTimeout(function () { placeTimer = null; placeLabels(); }, 120);
  }
  network.on("zoom", placeSoon);
  network.on("dragEnd", placeSoon);
  network.on("resize", placeSoon);

  function dominantClass(p) {
    var best = null;
    P[p].classes.forEach(function (cn) { if (best === null || cn[1] > best[1]) best = cn; });
    return best === null ? 0 : best[0];
  }

  function partHidden(p) {
    return P[p].classes.every(function (cn) { return hiddenClasses.has(cn[0]); });
  }

  function partTitle(p) {
    var part = P[p];
    var lines = [part.label.split("\n")[0], part.size + " nodes" + (part.children.length ? " in " + part.children.length + " parts" : "")];
    part.classes.slice().sort(function (a, b) { return b[1] - a[1]; }).slice(0, 6).forEach(function (cn) {
      lines.push("  " + C[cn[0]].label + ": " + cn[1]);
    });
    lines.push("Double-click to open.");
    return lines.join("\n");
  }

  function partItem(p, biggest) {
    var c = C[dominantClass(p)];
    return {
      id: "p" + p, label: "", x: P[p].x, y: P[p].y, shape: "dot",
      size: partSize(p, biggest),
      color: { background: c.color, border: "#1f2937", highlight: { background: c.color, border: "#000000" } },
      font: { size: 20 }, borderWidth: 3, title: partTitle(p), hidden: partHidden(p)
    };
  }

  function showPart(p) {
    current = p;
    var part = P[p];
    nodes.clear();
    edges.clear();
    shownEdge.clear();
    if (part.children.length === 0) {
      stretchTo(part);
      nodes.add(part.nodes.map(nodeItem));
      edges.add(part.edges.map(edgeItem));
    } else {
      var biggest = Math.max.apply(null, part.children.map(function (c) { return P[c].size; }));
      nodes.add(part.children.map(function (c) { return partItem(c, biggest); }));
      edges.add(part.links.map(function (l, k) {
        return { id: "l" + k, from: "p" + l[0], to: "p" + l[1], label: "",
                 width: 1 + Math.log2(l[2]),
                 title: l[2] + " edges between\n" + P[l[0]].label.split("\n")[0] + "\nand\n" + P[l[1]].label.split("\n")[0] };
      }));
    }
    network.fit({ animation: false });
    placeLabels();
    loadPart(p);
    renderCrumbs();
    renderStatus();
  }

  function renderCrumbs() {
    var crumbs = document.getElementById("cg-crumbs");
    clear(crumbs);
    if (P.length < 2) return;
    var chain = [];
    for (var p = current; p >= 0; p = P[p].parent) chain.unshift(p);
    chain.forEach(function (q) {
      var b = el("button", q === 0 ? "Overview" : P[q].label.split("\n")[0]);
      b.type = "button";
      if (q === current) b.setAttribute("aria-current", "true");
      b.addEventListener("click", function () { showPart(q); });
      crumbs.appendChild(b);
    });
  }

  function renderStatus() {
    var part = P[current];
    var text = part.children.length
      ? part.children.length + " parts of " + part.size + " nodes (" + DATA.counts.nodes + " nodes, " + DATA.counts.edges + " edges in all); double-click a part to open it"
      : (step >= 0
        ? api.visibleNodes() + " nodes, " + api.visibleEdges() + " edges as of " + T.steps[step]
        : nodes.length + " nodes, " + edges.length + " edges") + (P.length > 1 ? " in this part (" + DATA.counts.nodes + " nodes in all)" : "");
    document.getElementById("cg-status").textContent = text;
  }

  function renderLegend() {
    var legend = document.getElementById("cg-legend");
    C.forEach(function (c, k) {
      var li = el("li");
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.cls = String(k);
      box.addEventListener("change", function () { setClassHidden(k, !box.checked); });
      var swatch = el("span", null, "cg-swatch cg-" + c.shape);
      swatch.style.background = c.color;
      label.appendChild(box);
      label.appendChild(swatch);
      label.appendChild(el("span", c.label));
      label.appendChild(el("span", c.count, "cg-count"));
      label.title = c.name;
      li.appendChild(label);
      legend.appendChild(li);
    });
  }

  function setClassHidden(k, hidden) {
    if (hidden) hiddenClasses.add(k); else hiddenClasses.delete(k);
    var part = P[current];
    if (part.children.length === 0) {
      nodes.update(part.nodes.filter(function (i) { return N.cls[i] === k; })
        .map(function (i) { return { id: i, hidden: nodeHidden(i) }; }));
      placeLabels();
    } else {
      nodes.update(part.children.map(function (c) { return { id: "p" + c, hidden: partHidden(c) }; }));
      placeLabels();
    }
  }

  function dl(pairs) {
    var list = el("dl");
    pairs.forEach(function (kv) { list.appendChild(el("dt", kv[0])); list.appendChild(el("dd", kv[1])); });
    return list;
  }

  function showNodeDetails(i) {
    var box = document.getElementById("cg-details");
    clear(box);
    box.appendChild(el("h3", N.label[i]));
    box.appendChild(el("p", kindOf(i), "cg-kind"));
    box.appendChild(el("p", N.id[i], "cg-iri"));
    if (DATA.siteRoot !== null && DATA.siteRoot !== undefined && N.page && N.page[i]) {
      var open = el("a", "Open the page of " + N.label[i], "cg-page-link");
      open.href = DATA.siteRoot + N.page[i];
      box.appendChild(el("p")).appendChild(open);
    }
    box.appendChild(dl(facts(i).concat([[DATA.sizeBy, N.score[i].toPrecision(3)]])));
    if (sourcesOf(i).length) {
      box.appendChild(el("strong", "Sources"));
      var ul = el("ul");
      sourcesOf(i).forEach(function (s) {
        var li = el("li", S[s].title);
        li.title = S[s].iri;
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
  }

  function showEdgeDetails(e) {
    var box = document.getElementById("cg-details");
    clear(box);
    box.appendChild(el("h3", N.label[E.from[e]] + " — " + N.label[E.to[e]]));
    relations(e).forEach(function (r) { box.appendChild(el("p", "via " + r, "cg-kind")); });
    statements_(e).forEach(function (st) {
      box.appendChild(el("pre", st[0]));
      if (st[1].length) {
        box.appendChild(el("p", "stated in: " + st[1].map(function (s) { return S[s].title; }).join("; "), "cg-hint"));
      }
    });
  }

  function showPartDetails(p) {
    var box = document.getElementById("cg-details");
    clear(box);
    box.appendChild(el("h3", P[p].label.split("\n")[0]));
    box.appendChild(el("pre", partTitle(p)));
    var open = el("button", "Open this part");
    open.type = "button";
    open.addEventListener("click", function () { showPart(p); });
    box.appendChild(open);
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (typeof id === "string") showPartDetails(Number(id.slice(1))); else showNodeDetails(id);
    } else if (params.edges.length && String(params.edges[0]).charAt(0) === "e") {
      showEdgeDetails(Number(String(params.edges[0]).slice(1)));
    }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length && typeof params.nodes[0] === "string") showPart(Number(params.nodes[0].slice(1)));
  });

  function goTo(i) {
    if (N.part[i] !== current) showPart(N.part[i]);
    if (hiddenClasses.has(N.cls[i])) {
      var box = document.querySelector('#cg-legend input[data-cls="' + N.cls[i] + '"]');
      if (box) box.checked = true;
      setClassHidden(N.cls[i], false);
    }
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 0.9), animation: false });
    placeLabels();
    showNodeDetails(i);
  }

  var search = document.getElementById("cg-search");
  var results = document.getElementById("cg-results");
  var lowered = null;

  /* Text as the search compares it, as the site's search does: NFKD with the marks
   * dropped and lower case, so "Šiaulių" typed in NFC or NFD, or "siauliu", finds it. */
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* Nodes whose label or prefixed name holds the query: exact matches first, then
   * those starting with it, then the rest; shorter labels first within each rank. */
  function matches(query) {
    if (lowered === null) {
      lowered = N.label.map(function (l, i) {
        var name = fold(N.name[i]);
        return [fold(l), name, name.slice(name.indexOf(":") + 1)];
      });
    }
    var q = fold(query);
    var found = [];
    for (var i = 0; i < lowered.length && found.length < 2000; i += 1) {
      var l = lowered[i];
      var rank = (l[0] === q || l[1] === q || l[2] === q) ? 0
        : (l[0].indexOf(q) === 0 || l[2].indexOf(q) === 0) ? 1
        : (l[0].indexOf(q) !== -1 || l[1].indexOf(q) !== -1) ? 2 : -1;
      if (rank >= 0) found.push([rank, N.label[i].length, i]);
    }
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return found.slice(0, 50).map(function (f) { return f[2]; });
  }

  function renderResults() {
    var q = search.value.trim();
    clear(results);
    if (!q) { results.hidden = true; return; }
    var found = matches(q);
    if (!found.length) results.appendChild(el("li", "No match"));
    found.forEach(function (i) {
      var li = el("li");
      li.tabIndex = 0;
      li.appendChild(el("span", N.label[i]));
      li.appendChild(el("span", " · " + C[N.cls[i]].label, "cg-kind"));
      li.addEventListener("click", function () { goTo(i); });
      li.addEventListener("keydown", function (ev) { if (ev.key === "Enter") goTo(i); });
      results.appendChild(li);
    });
    results.hidden = false;
  }

  search.addEventListener("input", renderResults);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = matches(search.value.trim());
      if (search.value.trim() && found.length) goTo(found[0]);
    } else if (ev.key === "Escape") {
      search.value = "";
      renderResults();
    }
  });

  var toggle = document.getElementById("cg-panel-toggle");
  toggle.addEventListener("click", function () {
    var open = document.body.classList.toggle("cg-panel-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  search.addEventListener("focus", function () {
    if (window.matchMedia("(max-width: 700px)").matches) document.body.classList.add("cg-panel-open");
  });

  /* -- through time: a slider and a chart of the measures per step ------------------ */
  /* A step updates only the nodes and edges that come or go (a DataSet update redraws
   * what it touches); the names are placed again just after, off the critical frame,
   * and the names of nodes that went are dropped at once. */
  function setStep(k) {
    var began = performance.now();
    var before = step;
    step = k;
    var part = P[current];
    if (part && part.children.length === 0) {
      var was = function (mask) { return before < 0 || mask.charAt(before) === "1"; };
      var nodeUpdates = [], edgeUpdates = [];
      part.nodes.forEach(function (i) {
        var then = hiddenClasses.has(N.cls[i]) || !was(T.nodes[i]), now = nodeHidden(i);
        if (then !== now) {
          nodeUpdates.push({ id: i, hidden: now });
          if (now) names.delete(i);
        }
      });
      part.edges.forEach(function (e) {
        if (was(T.edges[e]) !== edgeThere(e)) edgeUpdates.push({ id: "e" + e, hidden: !edgeThere(e) });
      });
      if (nodeUpdates.length) nodes.update(nodeUpdates);
      if (edgeUpdates.length) edges.update(edgeUpdates);
      if (!nodeUpdates.length && !edgeUpdates.length) network.redraw();
      placeSoon();
    }
    var out = document.getElementById("cg-time-value");
    if (out) out.textContent = k < 0 ? "every time" : "as of " + T.steps[k];
    var slider = document.getElementById("cg-time-slider");
    if (slider && Number(slider.value) !== k) slider.value = String(k);
    markChart();
    renderStatus();
    api.lastStepMs = performance.now() - began;
  }
  api.setStep = setStep;
  api.step = function () { return step; };
  api.visibleNodes = function () {
    return nodes.get({ filter: function (n) { return !n.hidden; } }).length;
  };
  api.visibleEdges = function () {
    return edges.get({ filter: function (e) { return !e.hidden; } }).length;
  };

  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  }
  var chartMark = null;
  var CHART = { w: 280, h: 150, left: 34, right: 8, top: 10, bottom: 22 };
  function chartX(k) {
    var n = T.steps.length;
    return CHART.left + (n < 2 ? 0 : k * (CHART.w - CHART.left - CHART.right) / (n - 1));
  }
  function markChart() {
    if (!chartMark) return;
    chartMark.setAttribute("visibility", step < 0 ? "hidden" : "visible");
    if (step >= 0) {
      chartMark.setAttribute("x1", String(chartX(step)));
      chartMark.setAttribute("x2", String(chartX(step)));
    }
  }
  function renderTime() {
    if (!T || !T.steps.length) return;
    var bar = document.getElementById("cg-toolbar");
    var box = el("span", null, "cg-time");
    box.id = "cg-time";
    var label = el("label", "Time");
    label.htmlFor = "cg-time-slider";
    var slider = el("input");
    slider.id = "cg-time-slider";
    slider.type = "range";
    slider.min = "-1";
    slider.max = String(T.steps.length - 1);
    slider.step = "1";
    slider.value = "-1";
    slider.setAttribute("aria-describedby", "cg-time-value");
    var out = el("output", "every time");
    out.id = "cg-time-value";
    slider.addEventListener("input", function () { setStep(Number(slider.value)); });
    box.appendChild(label);
    box.appendChild(slider);
    box.appendChild(out);
    bar.insertBefore(box, document.getElementById("cg-panel-toggle"));
    /* The chart: nodes, edges and communities per step, drawn as SVG (no library). */
    var side = document.getElementById("cg-side");
    var section = el("section");
    section.id = "cg-time-chart-box";
    section.appendChild(el("h2", "Through time"));
    section.appendChild(el("p", "As of 31 December of each year; the slider's step is marked. Nodes and edges kept whose period is not stated are counted.", "cg-hint"));
    var chart = svg("svg", { id: "cg-time-chart", viewBox: "0 0 " + CHART.w + " " + CHART.h, width: "100%", role: "img" });
    chart.appendChild(svg("title", {})).textContent = "Nodes, edges and communities as of each step";
    var series = [["nodes", "#0072B2"], ["edges", "#D55E00"], ["communities", "#009E73"]];
    var top = 1;
    T.measures.forEach(function (m) { series.forEach(function (s) { top = Math.max(top, m[s[0]]); }); });
    function y(v) { return CHART.h - CHART.bottom - v * (CHART.h - CHART.top - CHART.bottom) / top; }
    chart.appendChild(svg("line", { x1: CHART.left, x2: CHART.w - CHART.right, y1: y(0), y2: y(0), stroke: "#888" }));
    chart.appendChild(svg("text", { x: CHART.left - 4, y: y(top) + 4, "text-anchor": "end", "font-size": 9 })).textContent = String(top);
    chart.appendChild(svg("text", { x: CHART.left - 4, y: y(0) + 3, "text-anchor": "end", "font-size": 9 })).textContent = "0";
    var last = T.steps.length - 1;
    [0, last].forEach(function (k) {
      chart.appendChild(svg("text", { x: chartX(k), y: CHART.h - 6, "text-anchor": k ? "end" : "start", "font-size": 9 })).textContent = T.steps[k].slice(0, 4);
    });
    series.forEach(function (s) {
      var points = T.measures.map(function (m, k) { return chartX(k).toFixed(1) + "," + y(m[s[0]]).toFixed(1); });
      chart.appendChild(svg("polyline", { points: points.join(" "), fill: "none", stroke: s[1], "stroke-width": 1.8 }));
    });
    chartMark = svg("line", { x1: 0, x2: 0, y1: CHART.top, y2: y(0), stroke: "#111", "stroke-dasharray": "3 2", visibility: "hidden" });
    chart.appendChild(chartMark);
    section.appendChild(chart);
    var key = el("p", null, "cg-hint");
    series.forEach(function (s) {
      var swatch = el("span", "\u25A0 ");
      swatch.style.color = s[1];
      key.appendChild(swatch);
      key.appendChild(document.createTextNode(s[0] + "  "));
    });
    section.appendChild(key);
    side.insertBefore(section, side.firstChild.nextSibling);
  }

  var parsed = performance.now();
  renderTime();
  renderLegend();
  showPart(0);
  if (DATA.focus !== null) {  // the fit already shows the whole neighbourhood: no zoom
    network.selectNodes([DATA.focus]);
    showNodeDetails(DATA.focus);
  }
  api.timings = { scriptStart: started, dataParsed: parsed, shown: performance.now() };
  api.ready = true;
}());
