/* clustergraph search: finds entities by any of their names, whatever the accents, the
 * case or the Unicode normalisation (NFC or NFD) of what is typed. Offline and from disk:
 * the index is split into small scripts by the first letter of each word
 * (search/<letter>.js), loaded with <script> elements (file:// refuses fetch), one
 * letter at a time, only when someone searches. Results are put in with textContent.
 *
 * Ranking: a name, alias or acronym typed exactly comes first; then organisations and
 * people, the other things, the terms of the vocabularies, and last the records that
 * are parts of a fact (figures, periods, memberships, posts, awards); then whole words
 * before beginnings of words, shorter titles first. Enter opens the first result. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var shards = {};
  var waiting = {};
  var LIMIT = 20;
  window.cgSearch = {
    add: function (key, rows) { shards[key] = rows; (waiting[key] || []).forEach(function (f) { f(); }); delete waiting[key]; },
    normalise: normalise,
    find: find
  };

  function normalise(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  function keyOf(word) { var c = word.charAt(0); return /[a-z0-9]/.test(c) ? c : "_"; }
  function load(key, then) {
    if (shards[key]) { then(); return; }
    if (waiting[key]) { waiting[key].push(then); return; }
    waiting[key] = [then];
    var s = document.createElement("script");
    s.src = root + "search/" + key + ".js";
    s.onerror = function () { shards[key] = []; var w = waiting[key] || []; delete waiting[key]; w.forEach(function (f) { f(); }); };
    document.head.appendChild(s);
  }
  /* Rows are [names, title, kind, href, tier], names normalised and joined by "|";
   * every word of the query must begin a word of the entity's names. */
  function find(query, done) {
    var words = normalise(query).split(" ").filter(Boolean);
    if (!words.length) { done([]); return; }
    var key = keyOf(words[0]);
    load(key, function () {
      var rows = shards[key] || [];
      var q = words.join(" ");
      var found = [];
      for (var i = 0; i < rows.length; i += 1) {
        var all = rows[i][0];
        var names = " " + all.replace(/\|/g, " ") + " ";
        var ok = true, whole = 0;
        for (var k = 0; k < words.length; k += 1) {
          if (names.indexOf(" " + words[k]) < 0) { ok = false; break; }
          if (names.indexOf(" " + words[k] + " ") >= 0) whole += 1;
        }
        if (!ok) continue;
        var bar = "|" + all + "|";
        var exact = bar.indexOf("|" + q + "|") >= 0 ? 1 : 0;
        var start = exact || bar.indexOf("|" + q) >= 0 ? 1 : 0;
        found.push([exact, rows[i][4] || 0, whole, start, rows[i]]);
      }
      found.sort(function (a, b) {
        return b[0] - a[0] || a[1] - b[1] || b[2] - a[2] || b[3] - a[3] ||
          a[4][1].length - b[4][1].length || (a[4][1] < b[4][1] ? -1 : a[4][1] > b[4][1] ? 1 : 0);
      });
      done(found.slice(0, LIMIT).map(function (f) { return f[4]; }), found.length);
    });
  }

  function setUp(box) {
    var input = box.querySelector("input[type=search]");
    var list = box.querySelector(".search-results");
    var timer = null;
    function show(rows, total) {
      while (list.firstChild) list.removeChild(list.firstChild);
      if (!input.value.trim()) { list.hidden = true; return; }
      if (!rows.length) {
        var none = document.createElement("li");
        none.textContent = "No entity by that name";
        list.appendChild(none);
      }
      rows.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + r[3];
        a.textContent = r[1];
        var kind = document.createElement("span");
        kind.className = "search-kind";
        kind.textContent = " · " + r[2];
        li.appendChild(a);
        li.appendChild(kind);
        list.appendChild(li);
      });
      if (total > rows.length) {
        var more = document.createElement("li");
        more.className = "search-more";
        more.textContent = "and " + (total - rows.length) + " more: type more of the name";
        list.appendChild(more);
      }
      list.hidden = false;
    }
    input.addEventListener("input", function () {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(function () { find(input.value, show); }, 60);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { input.value = ""; show([]); return; }
      if (ev.key === "ArrowDown") {
        var first = list.querySelector("a");
        if (first) { ev.preventDefault(); first.focus(); }
        return;
      }
      if (ev.key !== "Enter") return;
      ev.preventDefault();
      if (timer !== null) clearTimeout(timer);
      find(input.value, function (rows, total) {
        if (rows.length) window.location.href = root + rows[0][3]; else show(rows, total);
      });
    });
    list.addEventListener("keydown", function (ev) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (at < 0) return;
      if (ev.key === "ArrowDown" && at + 1 < links.length) { ev.preventDefault(); links[at + 1].focus(); }
      if (ev.key === "ArrowUp") { ev.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
      if (ev.key === "Escape") { input.focus(); }
    });
    box.hidden = false;
  }
  document.querySelectorAll(".search[role=search]").forEach(setUp);
  // A navigation that scrolls sideways (on a phone) shows the current page's link.
  var here = document.querySelector(".site-header nav [aria-current=page]");
  var row = here && here.closest("ul");
  if (row && row.scrollWidth > row.clientWidth) {
    row.scrollLeft = here.offsetLeft - (row.clientWidth - here.offsetWidth) / 2;
  }
}());
