/* clustergraph query workbench: an editor (YASQE) with the library's queries as examples,
 * a form for each query's parameters, results as a table or a graph, CSV and JSON
 * downloads, and a link that carries the query.
 *
 * Where the queries run: opened from disk (file://), in the browser, on the site's own
 * data, by Oxigraph compiled to WebAssembly (the same engine as the command line);
 * served by `clustergraph serve` (http://), by the server's SPARQL endpoint (../sparql).
 * Every text from the data or a result reaches the page through textContent. */
(function () {
  "use strict";
  var CFG = JSON.parse(document.getElementById("wb-config").textContent);
  var root = document.documentElement.getAttribute("data-root") || "";
  var served = window.location.protocol === "http:" || window.location.protocol === "https:";
  var byName = {};
  CFG.queries.forEach(function (q) { byName[q.name] = q; });
  var current = null;
  var last = null;
  var engine = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var n = document.createElement(tag);
    if (text !== undefined && text !== null) n.textContent = String(text);
    if (cls) n.className = cls;
    return n;
  }
  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); }
  function status(text) { $("wb-status").textContent = text; }

  /* -- the editor ------------------------------------------------------------------ */
  var textarea = $("wb-query");
  var yasqe = null;
  try {
    if (window.Yasqe) {
      yasqe = new window.Yasqe(textarea.parentNode, {
        value: textarea.value, persistenceId: null, showQueryButton: false,
        resizeable: true, editorHeight: "320px", createShareableLink: null
      });
      textarea.hidden = true;
    }
  } catch (e) { yasqe = null; textarea.hidden = false; }
  function getText() { return yasqe ? yasqe.getValue() : textarea.value; }
  function setText(t) { if (yasqe) yasqe.setValue(t); else textarea.value = t; }

  /* -- examples and parameters ------------------------------------------------------ */
  var select = $("wb-example");
  CFG.queries.forEach(function (q) {
    var o = el("option", q.name + (q.check ? " (check)" : "") + " — " + q.summary);
    o.value = q.name;
    select.appendChild(o);
  });
  select.addEventListener("change", function () { choose(select.value, {}); });

  function expand(text) {
    var t = text.trim();
    if (/^<.*>$/.test(t)) return t.slice(1, -1);
    var m = /^([A-Za-z][\w.-]*)?:(.*)$/.exec(t);
    if (m && CFG.prefixes[m[1] || ""] !== undefined && !/^[a-z]+:\/\//.test(t)) return CFG.prefixes[m[1] || ""] + m[2];
    return t;
  }
  function literal(text) { return JSON.stringify(String(text)); }
  function term(p, value) {
    if (p.type === "iri") {
      var iri = expand(value);
      if (/[<>"{}|^`\\\s]/.test(iri) || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(iri)) throw new Error(p.name + ": not an IRI: " + value);
      return "<" + iri + ">";
    }
    if (p.type === "string") return literal(value);
    if (p.pattern && !new RegExp("^(?:" + p.pattern + ")$").test(value)) throw new Error(p.name + ": not a valid " + p.type + ": " + value);
    return literal(value) + "^^<" + p.datatype + ">";
  }

  function choose(name, values) {
    var q = byName[name];
    current = q || null;
    var form = $("wb-params");
    clear(form);
    if (!q) return;
    select.value = name;
    setText(q.text);
    $("wb-summary").textContent = q.summary;
    q.params.forEach(function (p) {
      var label = el("label");
      label.appendChild(el("span", p.name + " (" + p.type + ")"));
      var input = el("input");
      input.name = p.name;
      input.value = values[p.name] !== undefined ? values[p.name] : p.shown;
      input.setAttribute("data-param", p.name);
      label.appendChild(input);
      form.appendChild(label);
    });
    if (!q.params.length) form.appendChild(el("p", "This query takes no parameters.", "muted"));
  }

  /* The query to run: a library query's text with its parameters bound as VALUES (the
   * placeholders the site wrote where the command line puts its VALUES block), or the
   * editor's text if it was changed. */
  function queryToRun() {
    var text = getText();
    if (current && text === current.text) {
      var bound = current.bound;
      current.params.forEach(function (p) {
        var input = document.querySelector('#wb-params input[data-param="' + p.name + '"]');
        bound = bound.split(p.placeholder).join(term(p, input ? input.value : p.shown));
      });
      return { text: bound, form: current.form };
    }
    var m = /^\s*(?:(?:#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)/i.exec(text);
    return { text: text, form: m ? m[1].toUpperCase() : "SELECT" };
  }

  /* -- engines ---------------------------------------------------------------------- */
  function wasmEngine() {
    if (engine) return engine;
    engine = new Promise(function (resolve, reject) {
      if (!CFG.data) { reject(new Error(CFG.dataNote || "this site carries no data for the browser: use clustergraph serve")); return; }
      status("Loading the engine and the data…");
      function script(src, then) {
        var s = document.createElement("script");
        s.src = root + src;
        s.onerror = function () { reject(new Error("could not load " + src)); };
        s.onload = then;
        document.head.appendChild(s);
      }
      script(CFG.engine, function () {
        script(CFG.data, function () {
          window.cgOxigraph.ready.then(function (ox) {
            var store = new ox.Store();
            store.load(window.cgWorkbenchData, { format: "application/n-quads" });
            window.cgWorkbenchData = null;
            /* The default graph is the union of the graphs, each triple once, as in the
             * project's store (Oxigraph's own union repeats a triple once per graph). */
            store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }");
            resolve(store);
          }, reject);
        });
      });
    });
    return engine;
  }

  /* Every answer becomes {kind: "table"|"boolean"|"graph", variables, rows} with terms
   * as SPARQL JSON terms ({type, value, datatype, xml:lang}). */
  function fromJson(json) {
    if (typeof json.boolean === "boolean") return { kind: "boolean", value: json.boolean };
    return { kind: "table", variables: json.head.vars, rows: json.results.bindings.map(function (b) {
      return json.head.vars.map(function (v) { return b[v] || null; });
    }) };
  }
  function ntTerm(t) {
    if (t.termType === "NamedNode") return { type: "uri", value: t.value };
    if (t.termType === "BlankNode") return { type: "bnode", value: t.value };
    var out = { type: "literal", value: t.value };
    if (t.language) out["xml:lang"] = t.language;
    else if (t.datatype && t.datatype.value !== "http://www.w3.org/2001/XMLSchema#string") out.datatype = t.datatype.value;
    return out;
  }
  function parseNTriples(text) {
    var rows = [];
    var re = /(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)/g;
    text.split("\n").forEach(function (line) {
      var parts = line.match(re);
      if (!parts || parts.length < 3) return;
      rows.push(parts.slice(0, 3).map(function (p) {
        if (p.charAt(0) === "<") return { type: "uri", value: p.slice(1, -1) };
        if (p.charAt(0) === "_") return { type: "bnode", value: p.slice(2) };
        var m = /^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$/.exec(p);
        var out = { type: "literal", value: JSON.parse('"' + m[1] + '"') };
        if (m[2]) out["xml:lang"] = m[2]; else if (m[3] && m[3] !== "http://www.w3.org/2001/XMLSchema#string") out.datatype = m[3];
        return out;
      }));
    });
    return { kind: "graph", variables: ["subject", "predicate", "object"], rows: rows };
  }
  function run(query) {
    if (served) {
      var graph = query.form === "CONSTRUCT" || query.form === "DESCRIBE";
      return fetch(root + "sparql", {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query",
                   "Accept": graph ? "application/n-triples" : "application/sparql-results+json" },
        body: query.text
      }).then(function (r) {
        return r.text().then(function (body) {
          if (!r.ok) throw new Error(body.trim() || ("HTTP " + r.status));
          return graph ? parseNTriples(body) : fromJson(JSON.parse(body));
        });
      });
    }
    return wasmEngine().then(function (store) {
      if (query.form === "CONSTRUCT" || query.form === "DESCRIBE") {
        var quads = store.query(query.text);
        return { kind: "graph", variables: ["subject", "predicate", "object"],
                 rows: quads.map(function (q) { return [ntTerm(q.subject), ntTerm(q.predicate), ntTerm(q.object)]; }) };
      }
      var json = store.query(query.text, { results_format: "application/sparql-results+json" });
      return fromJson(JSON.parse(json));
    });
  }

  /* -- results ---------------------------------------------------------------------- */
  function show(t) {
    if (!t) return "";
    if (t.type === "uri") {
      for (var p in CFG.prefixes) {
        var base = CFG.prefixes[p];
        if (base && t.value.indexOf(base) === 0 && /^[\w.-]*$/.test(t.value.slice(base.length))) return p + ":" + t.value.slice(base.length);
      }
      return t.value;
    }
    if (t.type === "bnode") return "_:" + t.value;
    return t.value;
  }
  function entityHref(t) {
    if (!t || t.type !== "uri" || t.value.indexOf(CFG.idBase) !== 0) return null;
    var rest = t.value.slice(CFG.idBase.length);
    return /^[a-z-]+\/[A-Za-z0-9][A-Za-z0-9._-]*$/.test(rest) ? root + "entity/" + rest + ".html" : null;
  }
  function render(result) {
    last = result;
    var out = $("wb-result");
    clear(out);
    $("wb-graph").hidden = true;
    if (result.kind === "boolean") {
      out.appendChild(el("p", result.value ? "yes (true)" : "no (false)", "wb-boolean"));
      status("Answer: " + (result.value ? "yes" : "no"));
      return;
    }
    var n = result.rows.length;
    status(n + (result.kind === "graph" ? (n === 1 ? " triple" : " triples") : (n === 1 ? " row" : " rows")));
    var wrap = el("div", null, "table-wrap");
    var table = el("table");
    var head = el("tr");
    result.variables.forEach(function (v) { head.appendChild(el("th", v)); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    result.rows.slice(0, 2000).forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (t) {
        var td = el("td");
        var href = entityHref(t);
        if (href) { var a = el("a", show(t)); a.href = href; a.title = t.value; td.appendChild(a); }
        else { td.textContent = show(t); if (t && t.datatype) td.title = t.datatype; }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    wrap.appendChild(table);
    out.appendChild(wrap);
    if (n > 2000) out.appendChild(el("p", "The first 2,000 of " + n + " rows are shown; the downloads hold them all.", "muted"));
    if (result.kind === "graph") drawGraph(result.rows);
  }
  function drawGraph(rows) {
    if (!window.vis || !rows.length) return;
    var box = $("wb-graph");
    box.hidden = false;
    var ids = {}, nodes = [], edges = [];
    function node(t) {
      var key = t.type + " " + t.value;
      if (ids[key] === undefined) { ids[key] = nodes.length; nodes.push({ id: nodes.length, label: show(t).slice(0, 40), title: t.value, shape: t.type === "literal" ? "box" : "dot", size: 8 }); }
      return ids[key];
    }
    rows.slice(0, 600).forEach(function (r) { edges.push({ from: node(r[0]), to: node(r[2]), label: show(r[1]), arrows: "to", font: { size: 9, align: "horizontal" } }); });
    new window.vis.Network(box, { nodes: nodes, edges: edges }, {
      physics: { stabilization: { iterations: 150 }, barnesHut: { springLength: 140 } },
      edges: { smooth: false, color: "#a3acb7" }, nodes: { color: "#0072B2", font: { size: 11 } }
    });
  }
  function csvCell(t) {
    var v = t ? t.value : "";
    if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;  /* OWASP: not a formula in a spreadsheet */
    return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function download(kind) {
    if (!last || last.kind === "boolean" && kind === "csv") return;
    var text, type, name = (current ? current.name.replace("/", "-") : "query") + "." + kind;
    if (kind === "csv") {
      text = [last.variables.map(function (v) { return csvCell({ value: v }); }).join(",")].concat(last.rows.map(function (r) { return r.map(csvCell).join(","); })).join("\r\n") + "\r\n";
      type = "text/csv";
    } else {
      var json = last.kind === "boolean" ? { head: {}, boolean: last.value } : { head: { vars: last.variables }, results: { bindings: last.rows.map(function (r) {
        var b = {}; r.forEach(function (t, k) { if (t) b[last.variables[k]] = t; }); return b;
      }) } };
      text = JSON.stringify(json, null, 1);
      type = "application/sparql-results+json";
    }
    var a = el("a");
    a.href = "data:" + type + ";charset=utf-8," + encodeURIComponent(text);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
  }

  /* -- share link ------------------------------------------------------------------- */
  function shareLink() {
    var params = new URLSearchParams();
    var text = getText();
    if (current && text === current.text) {
      params.set("name", current.name);
      document.querySelectorAll("#wb-params input[data-param]").forEach(function (i) { params.set("p." + i.name, i.value); });
    } else {
      params.set("query", text);
    }
    return window.location.href.split("#")[0] + "#" + params.toString();
  }
  function fromHash() {
    var params = new URLSearchParams(window.location.hash.slice(1));
    if (params.get("name") && byName[params.get("name")]) {
      var values = {};
      params.forEach(function (v, k) { if (k.indexOf("p.") === 0) values[k.slice(2)] = v; });
      choose(params.get("name"), values);
      return params.has("run");
    }
    if (params.get("query")) { current = null; setText(params.get("query")); return params.has("run"); }
    choose(CFG.queries.length ? CFG.queries[0].name : "", {});
    return false;
  }

  function forget() {
    /* An error or a new run: no earlier answer stays on show, or goes into a download. */
    last = null;
    clear($("wb-result"));
    $("wb-graph").hidden = true;
    $("wb-time").textContent = "";
  }
  function runNow() {
    var q;
    forget();
    try { q = queryToRun(); } catch (e) { status("Error: " + e.message); return Promise.resolve(null); }
    status(served ? "Asking the server…" : "Running in the browser…");
    var started = performance.now();
    return run(q).then(function (result) {
      render(result);
      $("wb-time").textContent = " (" + Math.round(performance.now() - started) + " ms, " + (served ? "server" : "in the browser") + ")";
      return result;
    }, function (e) { status("Error: " + (e && e.message ? e.message : String(e))); throw e; });
  }

  $("wb-run").addEventListener("click", function () { runNow().catch(function () {}); });
  $("wb-params").addEventListener("submit", function (ev) { ev.preventDefault(); runNow().catch(function () {}); });
  $("wb-csv").addEventListener("click", function () { download("csv"); });
  $("wb-json").addEventListener("click", function () { download("json"); });
  $("wb-share").addEventListener("click", function () {
    var link = shareLink();
    var box = $("wb-link");
    box.value = link;
    box.hidden = false;
    box.select();
    window.history.replaceState(null, "", link);
  });
  $("wb-mode").textContent = served
    ? "Queries go to this server's SPARQL endpoint."
    : "Queries run in your browser, on this site's data, with Oxigraph (WebAssembly): nothing leaves the page.";

  var autorun = fromHash();
  window.cgWorkbench = {
    choose: function (name) { choose(name, {}); },
    /* For tests and tools: run a library query with its defaults; resolve to the result. */
    runQuery: function (name) { choose(name, {}); return runNow(); },
    ready: true
  };
  if (autorun) runNow().catch(function () {});
}());
