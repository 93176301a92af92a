/* clustergraph facets: the Entities page narrowed step by step, offline and from disk.
 * cgFacetData (assets/facets-data.js) holds the facets, their values, and one item per
 * thing: [title, href, [[value index, ...] per facet]]. Values ticked in one facet are
 * alternatives (or), facets combine (and); each value shows how many items it would
 * leave given the other facets' choices. The selection lives in the URL's hash
 * (#kind=cluster&level=Bronze), so a link to it opens the same list. A thing with no
 * value in a facet (no country stated, no label known) counts under "not stated", listed
 * last, so that ticking a value never drops it unsaid. Text goes in with textContent only. */
(function () {
  "use strict";
  var data = window.cgFacetData;
  var box = document.getElementById("facets");
  if (!data || !box) return;
  var root = document.documentElement.getAttribute("data-root") || "";
  var facets = data.facets, values = data.values, items = data.items;
  var NONE = "not stated";
  var none = values.map(function () { return -1; });
  facets.forEach(function (facet, f) {
    if (facet[0] === "kind" || facet[0] === "source") return;
    var missing = items.filter(function (item) { return !item[2][f].length; });
    if (!missing.length || values[f].indexOf(NONE) >= 0) return;
    none[f] = values[f].length;
    values[f].push(NONE);
    missing.forEach(function (item) { item[2][f] = [none[f]]; });
  });
  var results = document.getElementById("facet-results");
  var more = document.getElementById("facet-more");
  var filter = document.getElementById("facet-filter");
  var PAGE = 200;
  var limit = PAGE;
  var chosen = facets.map(function () { return {}; });
  var text = "";

  function normalise(t) {
    return String(t).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var keys = items.map(function (item) { return normalise(item[0]); });

  function readHash() {
    chosen = facets.map(function () { return {}; });
    text = "";
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    params.forEach(function (value, key) {
      if (key === "q") { text = value; return; }
      for (var f = 0; f < facets.length; f += 1) {
        if (facets[f][0] !== key) continue;
        var at = values[f].indexOf(value);
        if (at >= 0) chosen[f][at] = true;
      }
    });
    filter.value = text;
  }
  function hashOf() {
    var params = new URLSearchParams();
    facets.forEach(function (facet, f) {
      Object.keys(chosen[f]).map(Number).sort(function (a, b) { return a - b; })
        .forEach(function (v) { params.append(facet[0], values[f][v]); });
    });
    if (text) params.append("q", text);
    return params.toString();
  }
  function passes(k, skip) {
    var refs = items[k][2];
    for (var f = 0; f < facets.length; f += 1) {
      if (f === skip) continue;
      var want = chosen[f];
      var any = false, asked = false;
      for (var v in want) { asked = true; if (refs[f].indexOf(Number(v)) >= 0) { any = true; break; } }
      if (asked && !any) return false;
    }
    return !text || keys[k].indexOf(normalise(text)) >= 0;
  }

  function render() {
    results.dataset.busy = "1";
    var shown = [];
    for (var k = 0; k < items.length; k += 1) if (passes(k, -1)) shown.push(k);
    // Counts: for each facet, what each of its values would leave given the others.
    facets.forEach(function (facet, f) {
      var counts = values[f].map(function () { return 0; });
      for (var k = 0; k < items.length; k += 1) {
        if (!passes(k, f)) continue;
        var refs = items[k][2][f];
        for (var r = 0; r < refs.length; r += 1) counts[refs[r]] += 1;
      }
      var list = box.querySelector('.facet[data-key="' + facet[0] + '"] .facet-values');
      while (list.firstChild) list.removeChild(list.firstChild);
      var order = values[f].map(function (_v, v) { return v; })
        .filter(function (v) { return counts[v] > 0 || chosen[f][v]; })
        .sort(function (a, b) {
          return (a === none[f]) - (b === none[f]) || counts[b] - counts[a] || (values[f][a] < values[f][b] ? -1 : 1);
        });
      order.forEach(function (v) {
        var li = document.createElement("li");
        var label = document.createElement("label");
        var input = document.createElement("input");
        input.type = "checkbox";
        input.value = values[f][v];
        input.dataset.facet = facet[0];
        input.dataset.count = String(counts[v]);
        input.checked = !!chosen[f][v];
        input.addEventListener("change", function () {
          if (input.checked) chosen[f][v] = true; else delete chosen[f][v];
          limit = PAGE;
          update();
        });
        var name = document.createElement("span");
        name.textContent = " " + values[f][v] + " ";
        if (v === none[f]) name.className = "facet-none";
        var count = document.createElement("span");
        count.className = "count";
        count.textContent = String(counts[v]);
        label.appendChild(input);
        label.appendChild(name);
        label.appendChild(count);
        li.appendChild(label);
        list.appendChild(li);
      });
      list.parentNode.hidden = order.length === 0;
    });
    while (results.firstChild) results.removeChild(results.firstChild);
    shown.slice(0, limit).forEach(function (k) {
      var item = items[k];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + item[1];
      a.textContent = item[0];
      var kind = document.createElement("span");
      kind.className = "facet-kind";
      kind.textContent = item[2][0].map(function (v) { return values[0][v]; }).join(", ");
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(kind);
      results.appendChild(li);
    });
    more.hidden = shown.length <= limit;
    more.textContent = "Show more (" + (shown.length - Math.min(limit, shown.length)) + " left)";
    document.getElementById("facet-total").textContent = String(shown.length);
    document.getElementById("facet-what").textContent = shown.length === 1 ? "entity" : "entities";
    var words = [];
    facets.forEach(function (facet, f) {
      var picked = Object.keys(chosen[f]).map(function (v) { return values[f][v]; });
      if (picked.length) words.push(facet[1].toLowerCase() + ": " + picked.join(" or "));
    });
    if (text) words.push("name contains “" + text + "”");
    document.getElementById("facet-chosen").textContent = words.length ? "· " + words.join("; ") : "";
    document.getElementById("facet-link").href = "#" + hashOf();
    delete results.dataset.busy;
  }
  function update() {
    var hash = hashOf();
    if (window.location.hash.replace(/^#/, "") !== hash) {
      history.replaceState(null, "", hash ? "#" + hash : window.location.pathname);
    }
    render();
  }

  more.addEventListener("click", function () { limit += PAGE * 5; render(); });
  filter.addEventListener("input", function () { text = filter.value.trim(); limit = PAGE; update(); });
  document.getElementById("facet-clear").addEventListener("click", function () {
    chosen = facets.map(function () { return {}; });
    text = ""; filter.value = ""; limit = PAGE; update();
  });
  window.addEventListener("hashchange", function () { readHash(); render(); });
  readHash();
  if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
    // On a phone the facets fold away (but those in use) so that the list is in view.
    Array.prototype.forEach.call(box.querySelectorAll("details.facet"), function (d, f) {
      d.open = Object.keys(chosen[f]).length > 0;
    });
  }
  box.hidden = false;
  document.getElementById("by-class").hidden = true;
  render();
}());
