/* clustergraph search: finds entities by any of their names, whatever the accents, the
 * case or the Unicode normalisation (NFC or NFD) of what is typed. Offline and from disk:
 * the index is split into small scripts by the first letter of each word
 * (search/<letter>.js), loaded with <script> elements (file:// refuses fetch), one
 * letter at a time, only when someone searches. Results are put in with textContent. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var shards = {};
  var waiting = {};
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
  /* Rows are [words, label, kind, href]; every word of the query must begin a word of
   * the entity's names. Exact names first, then whole words, then shorter labels. */
  function find(query, done) {
    var words = normalise(query).split(" ").filter(Boolean);
    if (!words.length) { done([]); return; }
    var key = keyOf(words[0]);
    load(key, function () {
      var rows = shards[key] || [];
      var q = words.join(" ");
      var found = [];
      for (var i = 0; i < rows.length; i += 1) {
        var names = " " + rows[i][0] + " ";
        var ok = true, whole = 0;
        for (var k = 0; k < words.length; k += 1) {
          var at = names.indexOf(" " + words[k]);
          if (at < 0) { ok = false; break; }
          if (names.indexOf(" " + words[k] + " ") >= 0) whole += 1;
        }
        if (!ok) continue;
        var exact = (" " + rows[i][0] + " ").indexOf(" " + q + " ") >= 0 ? 1 : 0;
        found.push([exact, whole, rows[i]]);
      }
      found.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1] || a[2][1].length - b[2][1].length || (a[2][1] < b[2][1] ? -1 : 1); });
      done(found.slice(0, 20).map(function (f) { return f[2]; }));
    });
  }

  function setUp(form) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector(".search-results");
    var timer = null;
    function show(rows) {
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
      list.hidden = false;
    }
    input.addEventListener("input", function () {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(function () { find(input.value, show); }, 60);
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      find(input.value, function (rows) { if (rows.length) window.location.href = root + rows[0][3]; else show(rows); });
    });
    input.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { input.value = ""; show([]); } });
    var params = new URLSearchParams(window.location.search);
    if (form.id === "search-page" && params.get("q")) { input.value = params.get("q"); find(input.value, show); }
  }
  document.querySelectorAll("form.search").forEach(setUp);
}());
