/* clustergraph search: finds entities by any of their names, whatever the accents, the
 * case or the Unicode normalisation (NFC or NFD) of what is typed. Offline and from disk:
 * the index is split into small scripts by the first two letters of each word
 * (search/<two letters>.js), loaded with <script> elements (file:// refuses fetch), only
 * when someone searches: a list of the shards and their sizes (search/keys.js), then
 * the one shard of the query's rarest word. A large shard (a word most names share)
 * comes in two parts: its first rows answer at once, the rest refines the answer when
 * it arrives. A query needs two letters of a word.
 * Results are put in with textContent.
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
    find: find,
    sizes: function () { return sizes; }
  };

  function normalise(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  var sizes = null;  /* rows in each shard, by key (search/keys.js) */
  function keyOf(word) { return word.slice(0, 2); }
  function rowsOf(key) { return (sizes[key] || 0) + (sizes[key + "-more"] || 0); }
  function loadKeys(then) {
    if (sizes) { then(); return; }
    load("keys", function () { sizes = shards.keys || {}; then(); });
  }
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
   * every word of the query must begin a word of the entity's names. done(rows, total,
   * short, partial): short, the query has no word of two letters; partial, the answer
   * is from the first part of a large shard, and done is called again with the whole. */
  function find(query, done) {
    var words = normalise(query).split(" ").filter(Boolean);
    if (!words.length) { done([]); return; }
    if (!words.some(function (w) { return w.length > 1; })) { done([], 0, true); return; }
    loadKeys(function () {
      /* the rarest word's shard: every word must begin a word of the names */
      var key = null;
      words.forEach(function (w) {
        if (w.length < 2) return;
        var k = keyOf(w);
        if (key === null || rowsOf(k) < rowsOf(key)) key = k;
      });
      if (!rowsOf(key)) { done([], 0); return; }
      load(key, function () {
        /* A large shard comes in two parts: its first rows (organisations and people,
         * shortest names first) answer at once, the rest refines the answer. */
        var more = sizes[key + "-more"] ? key + "-more" : null;
        if (more === null || shards[more]) { search([key, more], words, done, false); return; }
        search([key], words, done, true);
        load(more, function () { search([key, more], words, done, false); });
      });
    });
  }
  function search(keys, words, done, partial) {
    var q = words.join(" ");
    var found = [];
    keys.forEach(function (key) {
      var rows = key === null ? [] : shards[key] || [];
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
    });
    found.sort(function (a, b) {
      return b[0] - a[0] || a[1] - b[1] || b[2] - a[2] || b[3] - a[3] ||
        a[4][1].length - b[4][1].length || (a[4][1] < b[4][1] ? -1 : a[4][1] > b[4][1] ? 1 : 0);
    });
    done(found.slice(0, LIMIT).map(function (f) { return f[4]; }), found.length, false, partial);
  }

  function setUp(box) {
    var input = box.querySelector("input[type=search]");
    var list = box.querySelector(".search-results");
    var timer = null;
    var asked = 0;
    function ask(then) {
      var id = (asked += 1);
      find(input.value, function (rows, total, short, partial) {
        if (id === asked) then(rows, total, short, partial);  /* an older query's late answer is dropped */
      });
    }
    function show(rows, total, short, partial) {
      while (list.firstChild) list.removeChild(list.firstChild);
      if (!input.value.trim()) { list.hidden = true; return; }
      if (!rows.length) {
        var none = document.createElement("li");
        none.textContent = short ? "Type two letters or more" : "No entity by that name";
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
      if (partial) {
        var wait = document.createElement("li");
        wait.className = "search-more";
        wait.textContent = "searching the rest of the index…";
        list.appendChild(wait);
      } else if (total > rows.length) {
        var more = document.createElement("li");
        more.className = "search-more";
        more.textContent = "and " + (total - rows.length) + " more: type more of the name";
        list.appendChild(more);
      }
      list.hidden = false;
    }
    input.addEventListener("input", function () {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(function () { ask(show); }, 60);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { input.value = ""; asked += 1; show([]); return; }
      if (ev.key === "ArrowDown") {
        var first = list.querySelector("a");
        if (first) { ev.preventDefault(); first.focus(); }
        return;
      }
      if (ev.key !== "Enter") return;
      ev.preventDefault();
      if (timer !== null) clearTimeout(timer);
      ask(function (rows, total, short, partial) {
        if (partial) return;  /* Enter opens the best match of the whole index */
        if (rows.length) window.location.href = root + rows[0][3]; else show(rows, total, short);
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
