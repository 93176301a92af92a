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

  /* -- names: slugs, prefixed names and IRIs, as the command line takes them ---------- */
  /* {byIri: {iri: label}, bySlug: {slug: [iri]}, byHref: {page: name}, gaps: {iri: text},
   *  list: [[name, iri, slug, label, tier]]} */
  var names = null;
  function loadNames(then) {
    var s = document.createElement("script");
    s.src = root + CFG.names;
    function done() {
      var rows = window.cgWorkbenchNames || [];
      window.cgWorkbenchNames = null;
      names = { byIri: {}, bySlug: {}, byHref: {}, gaps: {}, list: [] };
      rows.forEach(function (r) {
        var iri = expandPrefixed(r[0]) || r[0];
        var slug = iri.replace(/^.*[\/#:]/, "").normalize("NFC");
        names.byIri[iri] = r[1];
        (names.bySlug[slug] = names.bySlug[slug] || []).push(iri);
        names.byHref[r[3] || "entity/" + iri.slice(CFG.idBase.length) + ".html"] = r[0];
        names.list.push([r[0], iri, slug, r[1] || "", r[2] || 0]);
        if (r[4]) names.gaps[iri] = r[4];
      });
      then();
    }
    s.onload = done;
    s.onerror = done;
    document.head.appendChild(s);
  }
  function expandPrefixed(t) {
    var m = /^([A-Za-z][\w.-]*)?:([^\s]*)$/.exec(t);
    if (m && !/^\/\//.test(m[2]) && CFG.prefixes[m[1] || ""] !== undefined) return CFG.prefixes[m[1] || ""] + m[2];
    return null;
  }
  function fold(t) { return String(t).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function similarity(a, b) {
    /* 1 - edit distance (a swap of two letters is one edit) / the longer length, on
     * accent- and case-folded text */
    a = fold(a); b = fold(b);
    if (!a.length || !b.length) return 0;
    var older = null, prev = [], cur, i, j, d;
    for (j = 0; j <= b.length; j += 1) prev.push(j);
    for (i = 1; i <= a.length; i += 1) {
      cur = [i];
      for (j = 1; j <= b.length; j += 1) {
        d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1));
        if (older && i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) && a.charAt(i - 2) === b.charAt(j - 1)) d = Math.min(d, older[j - 2] + 1);
        cur.push(d);
      }
      older = prev;
      prev = cur;
    }
    return 1 - prev[b.length] / Math.max(a.length, b.length);
  }
  /* Whether two texts can be 0.6 similar at all (their lengths alone tell). */
  function near(a, b) { return Math.min(a.length, b.length) >= 0.6 * Math.max(a.length, b.length); }
  /* Up to three names close to what was typed, compared as prefixed names, as slugs and
   * (its words) with the entity's name, as the command line does; organisations and
   * people first, as search lists them, then the closest. */
  function closest(text) {
    if (!names) return [];
    /* Compared without regard to case: "LCA" is as close to o:lca as "lca". */
    var wanted = (text.indexOf("://") >= 0 ? show({ type: "uri", value: text }) : text).toLowerCase();
    var slug = wanted.replace(/^.*[\/#:]/, "");
    var words = slug.replace(/[-_.\s]+/g, " ").trim();
    var scored = [];
    names.list.forEach(function (n) {
      var s = 0, label = n[3] ? n[3].toLowerCase() : "";
      if (near(wanted, n[0])) s = similarity(wanted, n[0].toLowerCase());
      if (near(slug, n[2])) s = Math.max(s, similarity(slug, n[2].toLowerCase()));
      if (label && near(words, label)) s = Math.max(s, similarity(words, label));
      if (s >= 0.6) scored.push([s, n[0], n[4]]);
    });
    scored.sort(function (x, y) { return x[2] - y[2] || y[0] - x[0] || (x[1] < y[1] ? -1 : 1); });
    return scored.slice(0, 3).map(function (x) { return x[1]; });
  }
  function closestNote(text) {
    var near = closest(text);
    return near.length ? " (closest: " + near.join(", ") + ")" : "";
  }
  /* What a field says of a text that is no entity's slug, prefixed name or IRI: never
   * "no entity named", since the text may be an entity's name or alias (search finds it). */
  function notAName(p, t) {
    return p.name + ": '" + t + "' is not the short name (slug), prefixed name or IRI of an entity" + closestNote(t);
  }
  /* The IRI a typed name stands for, and a warning when it names nothing in the data;
   * throws for what is no IRI, prefixed name or slug of exactly one entity. */
  function resolveName(p, value) {
    var t = String(value).normalize("NFC").trim();
    var iri = null;
    if (!t) throw new Error(p.name + ": give an entity (a slug such as lca, a prefixed name such as o:lca, or an IRI)");
    if (/^<.*>$/.test(t)) iri = t.slice(1, -1);
    else if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(t) || /^urn:/i.test(t)) iri = t;
    else if ((iri = expandPrefixed(t)) !== null) { /* a prefixed name */ }
    else if (/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u.test(t)) {
      var found = names ? (names.bySlug[t] || []) : [];
      if (found.length === 1) return { iri: found[0], warning: "" };
      if (found.length > 1) throw new Error(p.name + ": '" + t + "' names several entities: " + found.map(function (i) { return show({ type: "uri", value: i }); }).join(", ") + "; give one of them");
      throw new Error(notAName(p, t));
    }
    else throw new Error(notAName(p, t));
    if (/[<>"{}|^`\\\s]/.test(iri) || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(iri)) throw new Error(p.name + ": not an IRI: " + t);
    var warning = names && names.byIri[iri] === undefined
      ? p.name + ": " + show({ type: "uri", value: iri }) + " names nothing in this site's data" + closestNote(iri)
      : "";
    return { iri: iri, warning: warning };
  }
  function literal(text) { return JSON.stringify(String(text)); }
  /* The SPARQL term for a form value, and a warning (an IRI that names nothing). */
  function term(p, value) {
    /* A parameter declared "= UNDEF" left empty stays unbound: VALUES ?x { UNDEF }. */
    if (p.optional && String(value).trim() === "") return { text: "UNDEF", warning: "" };
    if (p.type === "iri") {
      var r = resolveName(p, value);
      return { text: "<" + r.iri + ">", warning: r.warning };
    }
    if (p.type === "string") return { text: literal(value), warning: "" };
    if (p.pattern && !new RegExp("^(?:" + p.pattern + ")$").test(value)) throw new Error(p.name + ": not a valid " + p.type + ": " + value);
    return { text: literal(value) + "^^<" + p.datatype + ">", warning: "" };
  }
  /* What a term of the text shows as in the form. */
  function fromTerm(p, t) {
    if (t === "UNDEF") return "";
    if (/^<.*>$/.test(t)) return show({ type: "uri", value: t.slice(1, -1) });
    var m = /^"((?:[^"\\]|\\.)*)"/.exec(t) || /^'((?:[^'\\]|\\.)*)'/.exec(t);
    if (m) { try { return JSON.parse('"' + m[1].replace(/\\'/g, "'") + '"'); } catch (e) { return m[1]; } }
    return t;
  }

  /* -- the form and the text's VALUES lines, kept in step ------------------------------ */
  var TERM = '(<[^<>\\s]*>|"(?:[^"\\\\\\n]|\\\\.)*"(?:@[A-Za-z0-9-]+|\\^\\^(?:<[^<>\\s]*>|[A-Za-z][\\w.-]*:[\\w.-]*))?|[^\\s{}()#]+)';
  /* The text with its comments (and, if asked, its strings and IRIs) blanked out, each
   * character kept in place, so that what is found in it is found where it is. */
  function blank(text, all) {
    return text.replace(/<[^<>\s]*>|"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*/g, function (m) {
      return m.charAt(0) === "#" || all ? m.replace(/[^\n]/g, " ") : m;
    });
  }
  /* What the text binds ?name (or $name, the same variable) to, outside comments:
   * {term, start, end} for the one VALUES line with one value (the form shows and sets
   * it); {terms} for one VALUES line with several values or none; {other: why} where
   * the text sets it some other way (several lines, VALUES (...) with other variables,
   * BIND ... AS); {missing} where it does not. */
  function findValues(text, name) {
    var code = blank(text, false);
    var v = "[?$]" + name + "(?![\\w\\u00B7\\u0300-\\u036F\\u203F-\\u2040])";
    var one = new RegExp("VALUES\\s+" + v + "\\s*\\{((?:\\s*" + TERM + ")*)\\s*\\}", "gi");
    var found = [], m;
    while ((m = one.exec(code)) !== null) {
      var at = m.index + m[0].indexOf("{") + 1, terms = [], t;
      var each = new RegExp(TERM, "g");
      while ((t = each.exec(m[1])) !== null) {
        terms.push({ term: t[1], start: at + t.index, end: at + t.index + t[1].length });
      }
      found.push(terms);
    }
    var rows = new RegExp("VALUES\\s*\\([^()]*" + v + "[^()]*\\)", "i").test(code);
    var bind = new RegExp("\\bAS\\s+" + v, "i").test(code);
    if (found.length === 1 && !rows && !bind) {
      var terms = found[0];
      if (terms.length === 1) return terms[0];   /* UNDEF too: an optional field left empty */
      return { terms: terms.map(function (x) { return x.term; }) };
    }
    if (found.length > 1) return { other: "several VALUES ?" + name + " lines" };
    if (rows) return { other: "a VALUES (…) block binding ?" + name + " with other variables" };
    if (bind) return { other: "an expression bound AS ?" + name };
    return { missing: true };
  }
  function valuesLines(q, values) {
    var lines = q.params.map(function (p) { return "\n  VALUES ?" + p.name + " { " + values[p.name] + " }"; }).join("");
    return q.text.slice(0, q.valuesAt) + lines + q.text.slice(q.valuesAt);
  }

  var select = $("wb-example");
  CFG.queries.forEach(function (q) {
    var o = el("option", q.name + (q.check ? " (check)" : "") + " — " + q.summary);
    o.value = q.name;
    select.appendChild(o);
  });
  select.addEventListener("change", function () { choose(select.value, {}); });

  var params = [];     /* [{p, input, note, problem}] for the chosen query */
  var quiet = false;   /* the text is being set from the form */

  function noteOn(f, text, kind) {
    f.note.textContent = text;
    f.note.className = "wb-param-note" + (kind ? " " + kind : "");
    f.input.setAttribute("aria-invalid", kind === "error" ? "true" : "false");
  }
  /* Entities a name typed in an IRI field may stand for, best first: what the site's
   * search finds for it (names, aliases and acronyms; organisations and people first),
   * then the names closest to it. Shown as buttons that put the entity in the field. */
  function suggest(f, typed, nearNames) {
    function offer(found, searched) {
      if (f.input.value !== typed) return;   /* typed on since */
      var seen = {}, list = [];
      found.concat(nearNames.map(function (n) { return [n, "", false, ""]; })).forEach(function (x) {
        if (!seen[x[0]] && list.length < 5) { seen[x[0]] = true; list.push(x); }
      });
      if (!list.length) {
        /* Only what the search has answered is said: no entity is so named. */
        if (searched) f.note.appendChild(el("span", "; no entity in this site's data has that name or alias", "wb-none"));
        return;
      }
      var box = el("span", "Did you mean: ", "wb-suggest");
      list.forEach(function (x) {
        var iri = expandPrefixed(x[0]) || x[0];
        var label = x[3] || names.byIri[iri] || x[0];
        /* An alias typed exactly: say so, since two entities can be named alike. */
        var also = x[2] && window.cgSearch.normalise(label) !== window.cgSearch.normalise(typed) ? " · also called " + typed.trim() : "";
        var b = el("button", x[0] + " — " + label + (x[1] ? " (" + x[1] + ")" : "") + also);
        b.type = "button";
        b.addEventListener("click", function () { f.input.value = x[0]; formToText(f); f.input.focus(); });
        box.appendChild(b);
      });
      f.note.appendChild(box);
    }
    if (!window.cgSearch || !names || !/[\p{L}\p{N}]/u.test(typed)) { offer([]); return; }
    window.cgSearch.find(typed, function (rows) {
      rows = (rows || []).filter(function (r) { return names.byHref[r[3]] !== undefined; });
      /* The records that are parts of a fact only when nothing else is found. */
      var things = rows.filter(function (r) { return (r[4] || 0) < 3; });
      offer((things.length ? things : rows)
        .map(function (r) {
          var exact = ("|" + r[0] + "|").indexOf("|" + window.cgSearch.normalise(typed) + "|") >= 0;
          return [names.byHref[r[3]], r[2], exact, r[1]];
        }), true);
    });
  }
  /* Form -> text: the value typed goes into its VALUES line (or the form says why not). */
  function formToText(f) {
    var t;
    f.problem = null;
    try { t = term(f.p, f.input.value); } catch (e) {
      f.problem = e.message;
      noteOn(f, f.problem + " — not written into the query text", "error");
      if (f.p.type === "iri") suggest(f, f.input.value, closest(String(f.input.value).normalize("NFC").trim()));
      return;
    }
    var text = getText();
    var at = findValues(text, f.p.name);
    if (at.term === undefined) {
      f.problem = f.p.name + ": the query text has no VALUES ?" + f.p.name + " line with one value for the form to set";
      noteOn(f, f.problem, "error");
      return;
    }
    noteOn(f, t.warning, t.warning ? "warning" : "");
    if (t.warning) suggest(f, f.input.value, closest(f.input.value));
    if (at.term !== t.text) {
      quiet = true;
      try { setText(text.slice(0, at.start) + t.text + text.slice(at.end)); } finally { quiet = false; }
    }
  }
  /* Text -> form: each field shows the value its VALUES line binds. */
  function textToForm() {
    if (quiet) return;
    var text = getText();
    params.forEach(function (f) {
      var at = findValues(text, f.p.name);
      f.problem = null;
      if (at.term === undefined) {
        f.input.disabled = true;
        if (at.terms) {
          var undef = at.terms.some(function (x) { return /^UNDEF$/i.test(x); });
          f.input.value = at.terms.map(function (x) { return fromTerm(f.p, x); }).join(" ");
          noteOn(f, "The query text binds ?" + f.p.name + " to " + at.terms.length + " values" + (undef ? " (UNDEF: any)" : "") +
              (at.terms.length ? "" : ": the answer is empty") + "; the form shows them and sets one value only: edit them in the text.", "warning");
        } else if (at.other) {
          f.input.value = "";
          noteOn(f, "?" + f.p.name + " is set in the query text by " + at.other + ": the form cannot show it; the text rules.", "warning");
        } else {
          noteOn(f, "Not bound: the query text has no VALUES ?" + f.p.name + " line, so ?" + f.p.name + " takes every value the query allows.", "warning");
        }
        return;
      }
      f.input.disabled = false;
      var mine = null;
      try { mine = term(f.p, f.input.value); } catch (e) { mine = null; }
      if (!mine || mine.text !== at.term) f.input.value = fromTerm(f.p, at.term);
      var now = null;
      try { now = term(f.p, f.input.value); } catch (e) { now = null; }
      if (/^UNDEF$/i.test(at.term) && !f.p.optional) noteOn(f, "The query text leaves ?" + f.p.name + " unbound (UNDEF): it takes every value.", "warning");
      else noteOn(f, now && now.warning ? now.warning : "", now && now.warning ? "warning" : "");
    });
  }

  function choose(name, values) {
    var q = byName[name];
    current = q || null;
    var form = $("wb-params");
    clear(form);
    params = [];
    if (!q) return;
    select.value = name;
    $("wb-summary").textContent = q.summary;
    var bound = {};
    q.params.forEach(function (p) {
      var label = el("label");
      label.appendChild(el("span", p.name + " (" + p.type + ")"));
      var input = el("input");
      input.name = p.name;
      input.value = values[p.name] !== undefined ? values[p.name] : p.shown;
      input.setAttribute("data-param", p.name);
      input.setAttribute("autocomplete", "off");
      input.setAttribute("spellcheck", "false");
      label.appendChild(input);
      var note = el("span", "", "wb-param-note");
      note.setAttribute("aria-live", "polite");
      label.appendChild(note);
      form.appendChild(label);
      var f = { p: p, input: input, note: note, problem: null };
      params.push(f);
      input.addEventListener("input", function () { formToText(f); });
      var t;
      try { t = term(p, input.value); } catch (e) { input.value = p.shown; t = term(p, p.shown); }
      bound[p.name] = t.text;
    });
    if (!q.params.length) form.appendChild(el("p", "This query takes no parameters.", "muted"));
    else form.appendChild(el("p", "The form writes its values into the query's VALUES lines (in the editor below); an edit there shows here. What runs is the text in the editor.", "muted wb-form-note"));
    quiet = true;
    try { setText(q.params.length ? valuesLines(q, bound) : q.text); } finally { quiet = false; }
    textToForm();
  }
  if (yasqe) yasqe.on("change", textToForm);
  else textarea.addEventListener("input", textToForm);

  /* The query to run: the editor's text, exactly. A form field whose value is not in the
   * text (it could not be resolved, or the text has no line for it) stops the run. */
  function queryToRun() {
    var text = getText();
    params.forEach(function (f) {
      if (f.problem && !f.input.disabled) throw new Error(f.problem);
    });
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
        if (base && t.value.indexOf(base) === 0 && /^[\p{L}\p{N}_.-]*$/u.test(t.value.slice(base.length))) return p + ":" + t.value.slice(base.length);
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
  /* The site's entities (under the id/ namespace) that a query's text names but the data
   * does not, each with the closest names: why an answer may be empty. */
  function unknownNames(text, gapsOut) {
    if (!names) return [];
    gapsOut = gapsOut || [];
    var declared = declaredPrefixes(text);
    var code = blank(text, false).replace(/"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, " ")
      .replace(/(PREFIX|BASE)(\s+[A-Za-z][\w.-]*:|\s*:)?\s*<[^<>\s]*>/gi, " ");
    var seen = {}, out = [];
    function check(iri, written) {
      if (seen[iri] || iri.indexOf(CFG.idBase) !== 0) return;
      seen[iri] = true;
      if (names.byIri[iri] !== undefined) {
        if (names.gaps[iri]) gapsOut.push(written + " (" + names.byIri[iri] + ") " + names.gaps[iri]);
        return;
      }
      out.push(written + closestNote(iri));
    }
    code.replace(/<([^<>\s]*)>/g, function (m, iri) { check(iri, show({ type: "uri", value: iri })); return m; });
    code.replace(/(^|[\s(,;{\/])([A-Za-z][\w.-]*)?:([\p{L}\p{N}_][\p{L}\p{N}_.-]*)/gu, function (m, pre, p, local) {
      var base = declared[p || ""];
      if (base !== undefined) check(base + local.replace(/\.$/, ""), (p || "") + ":" + local.replace(/\.$/, ""));
      return m;
    });
    return out;
  }
  /* The prefixes the text declares: {prefix: namespace}. */
  function declaredPrefixes(text) {
    var declared = {};
    blank(text, false).replace(/PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>/gi, function (m, p, iri) { declared[p || ""] = iri; return m; });
    return declared;
  }
  /* The prefixes the text uses but does not declare, in the order they first appear. */
  function undeclaredPrefixes(text) {
    var declared = declaredPrefixes(text);
    var code = blank(text, true).replace(/PREFIX\s+([A-Za-z][\w.-]*)?:/gi, " ");
    var out = [];
    code.replace(/(^|[\s(){}\[\],;\/|^!=<>*+])([A-Za-z][\w.-]*)?:(?=[\p{L}\p{N}_:%\\\s]|$)/gmu, function (m, before, p) {
      p = p || "";
      if (declared[p] === undefined && out.indexOf(p) < 0) out.push(p);
      return m;
    });
    return out;
  }
  /* Where PREFIX lines go: after the text's last PREFIX or BASE line of its prologue, or
   * before its first line of code. */
  function addPrefixes(text, lines) {
    var code = blank(text, false), at = -1, lineStart = 0, after = -1;
    code.split("\n").some(function (line) {
      var start = lineStart;
      lineStart += line.length + 1;
      if (!line.trim()) return false;
      if (/^\s*(PREFIX|BASE)\b/i.test(line)) { after = start + line.length; return false; }
      at = start;
      return true;
    });
    if (after >= 0) return text.slice(0, after) + "\n" + lines.join("\n") + text.slice(after);
    if (at < 0) at = text.length;
    return text.slice(0, at) + lines.join("\n") + "\n" + text.slice(at);
  }
  /* An engine's "Prefix not found" told as the prefixes the text does not declare, with
   * the PREFIX lines for those the site knows, to add to the text (in view) and run. */
  function explainPrefixes(message, text) {
    if (!/Prefix not found|prefix[^\n]*not (found|declared|defined)|undefined prefix|unknown prefix/i.test(message)) return false;
    var missing = undeclaredPrefixes(text);
    if (!missing.length) return false;
    var known = missing.filter(function (p) { return CFG.prefixes[p] !== undefined; });
    var unknown = missing.filter(function (p) { return CFG.prefixes[p] === undefined; });
    var parts = [];
    if (known.length) parts.push("the query uses " + known.map(function (p) { return p + ":"; }).join(", ") + " without a PREFIX line for " + (known.length === 1 ? "it" : "them"));
    if (unknown.length) parts.push(unknown.map(function (p) { return p + ":"; }).join(", ") + (unknown.length === 1 ? " is" : " are") + " not declared in the query and not one of this site's prefixes");
    status("Not run: " + parts.join("; "));
    if (!known.length) return true;
    var lines = known.map(function (p) { return "PREFIX " + p + ": <" + CFG.prefixes[p] + ">"; });
    var out = $("wb-result");
    var box = el("div", null, "wb-warning wb-prefixes");
    box.appendChild(el("p", "The query needs " + (lines.length === 1 ? "this line" : "these lines") + " (added at the top of the query, in the editor, where you can see it):"));
    box.appendChild(el("pre", lines.join("\n")));
    var add = el("button", "Add " + (lines.length === 1 ? "it" : "them") + " and run", "primary");
    add.type = "button";
    add.id = "wb-add-prefixes";
    add.addEventListener("click", function () {
      setText(addPrefixes(getText(), lines));
      runNow().then(reveal, reveal).catch(function () {});
    });
    box.appendChild(add);
    out.appendChild(box);
    return true;
  }
  var PAGE = 50;
  var NUMERIC = /#(integer|decimal|double|float|long|int|short|nonNegativeInteger|positiveInteger)$/;
  function isNumber(t) { return !!(t && t.type === "literal" && t.datatype && NUMERIC.test(t.datatype) && isFinite(Number(t.value))); }
  function compareTerms(a, b) {
    if (!a || !b) return a ? -1 : b ? 1 : 0;   /* unbound last */
    if (isNumber(a) && isNumber(b)) return Number(a.value) - Number(b.value);
    return show(a).localeCompare(show(b), undefined, { numeric: true, sensitivity: "base" });
  }
  function labelOf(t) {
    if (t && t.type === "uri" && names && names.byIri[t.value]) return names.byIri[t.value];
    return show(t);
  }
  /* A result table: sorted by a click on a column's heading (again: the other way),
   * filtered by the words typed (any cell, accents and case aside), shown 50 rows a page. */
  function table(result, out) {
    var state = { sort: -1, desc: false, filter: "", page: 0 };
    var bar = el("div", null, "wb-table-bar");
    var filterLabel = el("label", "Filter rows ");
    var filter = el("input");
    filter.type = "search";
    filter.id = "wb-filter";
    filter.setAttribute("placeholder", "words in any cell");
    filterLabel.appendChild(filter);
    bar.appendChild(filterLabel);
    var pager = el("span", null, "wb-pager");
    var prev = el("button", "‹ Previous"); prev.type = "button"; prev.id = "wb-prev";
    var where = el("span", "", "wb-where"); where.id = "wb-where";
    var next = el("button", "Next ›"); next.type = "button"; next.id = "wb-next";
    pager.appendChild(prev); pager.appendChild(where); pager.appendChild(next);
    bar.appendChild(pager);
    out.appendChild(bar);
    var wrap = el("div", null, "table-wrap");
    var tbl = el("table", null, "result wb-table");
    var head = el("tr");
    var heads = result.variables.map(function (v, k) {
      var th = el("th");
      th.setAttribute("data-var", v);
      th.setAttribute("aria-sort", "none");
      var b = el("button", v, "wb-sort");
      b.type = "button";
      b.title = "Sort by " + v;
      b.addEventListener("click", function () {
        if (state.sort === k) state.desc = !state.desc; else { state.sort = k; state.desc = false; }
        state.page = 0;
        draw();
      });
      th.appendChild(b);
      head.appendChild(th);
      return th;
    });
    var thead = el("thead"); thead.appendChild(head); tbl.appendChild(thead);
    var body = el("tbody");
    tbl.appendChild(body);
    wrap.appendChild(tbl);
    out.appendChild(wrap);
    var keys = result.rows.map(function (row) {
      return fold(row.map(function (t) { return t ? show(t) + " " + labelOf(t) : ""; }).join(" \u0001 "));
    });
    function draw() {
      var words = fold(state.filter).split(/\s+/).filter(Boolean);
      var rows = [];
      result.rows.forEach(function (row, i) {
        for (var w = 0; w < words.length; w += 1) if (keys[i].indexOf(words[w]) < 0) return;
        rows.push(row);
      });
      if (state.sort >= 0) {
        var k = state.sort, sign = state.desc ? -1 : 1;
        rows = rows.map(function (r, i) { return [r, i]; }).sort(function (a, b) {
          return sign * compareTerms(a[0][k], b[0][k]) || a[1] - b[1];
        }).map(function (x) { return x[0]; });
      }
      heads.forEach(function (th, k) {
        th.setAttribute("aria-sort", k === state.sort ? (state.desc ? "descending" : "ascending") : "none");
      });
      var pages = Math.max(1, Math.ceil(rows.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      clear(body);
      rows.slice(state.page * PAGE, state.page * PAGE + PAGE).forEach(function (row) {
        var tr = el("tr");
        row.forEach(function (t) {
          var td = el("td");
          var href = entityHref(t);
          if (href) { var a = el("a", show(t)); a.href = href; a.title = labelOf(t) + " — " + t.value; td.appendChild(a); }
          else { td.textContent = show(t); if (t && t.datatype) td.title = t.datatype; }
          var shown = t ? show(t) : "";
          td.className = (isNumber(t) ? "num " : "") + (shown.length <= 32 ? "short" : shown.length > 60 ? "long" : "");
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      var first = rows.length ? state.page * PAGE + 1 : 0;
      where.textContent = "rows " + first + "–" + Math.min(rows.length, (state.page + 1) * PAGE) + " of " + rows.length +
        (rows.length !== result.rows.length ? " (filtered from " + result.rows.length + ")" : "");
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      pager.hidden = result.rows.length <= PAGE && !words.length;
    }
    filter.addEventListener("input", function () { state.filter = filter.value; state.page = 0; draw(); });
    prev.addEventListener("click", function () { state.page -= 1; draw(); });
    next.addEventListener("click", function () { state.page += 1; draw(); });
    draw();
  }
  /* A pivot of a result, with its chart: rows grouped by one column (and split across by
   * a second), each cell the number of rows, the number of distinct values of a column,
   * or the sum, mean, least or greatest of a numeric column; the totals drawn as bars.
   * An aggregate (one name and one number a row) opens summed by its name: the same
   * numbers as the table, as bars. Everything is computed from the rows on show. */
  var PIVOT_GROUPS = 100, PIVOT_COLUMNS = 12;
  function termKey(t) { return t ? t.type + "\u0001" + t.value + "\u0001" + (t["xml:lang"] || t.datatype || "") : ""; }
  function number(x) { return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(12))); }
  function pivot(result, out) {
    if (result.kind !== "table" || result.rows.length < 2) return;
    var V = result.variables, R = result.rows;
    var bound = V.map(function (v, k) { return R.some(function (r) { return r[k]; }); });
    var numeric = V.map(function (v, k) { return bound[k] && R.every(function (r) { return !r[k] || isNumber(r[k]); }); });
    var groupable = V.map(function (v, k) { return bound[k] && !numeric[k]; });
    var first = groupable.indexOf(true);
    if (first < 0) return;
    var num = numeric.indexOf(true);
    var seen = {};
    var aggregate = num >= 0 && R.length <= 60 && R.every(function (r) {
      var key = termKey(r[first]);
      if (seen[key]) return false;
      seen[key] = true;
      return true;
    });
    var state = { rows: first, cols: -1, value: aggregate ? "sum " + num : "count" };
    var details = el("details", null, "wb-chart");
    details.id = "wb-pivot";
    details.open = aggregate;
    var summary = el("summary", "");
    details.appendChild(summary);
    var controls = el("div", null, "wb-pivot-controls");
    function select(id, label, options, value, change) {
      var wrap = el("label", label + " ");
      var box = el("select");
      box.id = id;
      options.forEach(function (o) {
        var opt = el("option", o[1]);
        opt.value = o[0];
        if (o[0] === value) opt.selected = true;
        box.appendChild(opt);
      });
      box.addEventListener("change", function () { change(box.value); draw(); });
      wrap.appendChild(box);
      controls.appendChild(wrap);
    }
    var groupOptions = [];
    V.forEach(function (v, k) { if (groupable[k]) groupOptions.push([String(k), v]); });
    select("wb-pivot-rows", "Group by", groupOptions, String(state.rows), function (v) { state.rows = Number(v); });
    select("wb-pivot-cols", "across", [["-1", "(nothing)"]].concat(groupOptions), "-1", function (v) { state.cols = Number(v); });
    var valueOptions = [["count", "number of rows"]];
    V.forEach(function (v, k) {
      if (numeric[k]) {
        ["sum", "mean", "min", "max"].forEach(function (f) {
          valueOptions.push([f + " " + k, { sum: "sum", mean: "mean", min: "least", max: "greatest" }[f] + " of " + v]);
        });
      }
      if (bound[k]) valueOptions.push(["distinct " + k, "distinct " + v]);
    });
    select("wb-pivot-value", "showing", valueOptions, state.value, function (v) { state.value = v; });
    details.appendChild(controls);
    var body = el("div");
    details.appendChild(body);
    out.appendChild(details);

    /* One cell: the rows of a group (and column), reduced as state.value says. */
    function reduce(rows) {
      var how = state.value.split(" "), f = how[0], k = Number(how[1]);
      if (f === "count") return rows.length;
      if (f === "distinct") {
        var d = {}, n = 0;
        rows.forEach(function (r) { var key = termKey(r[k]); if (r[k] && !d[key]) { d[key] = true; n += 1; } });
        return n;
      }
      var xs = [];
      rows.forEach(function (r) { if (r[k]) xs.push(Number(r[k].value)); });
      if (!xs.length) return null;
      if (f === "sum") return xs.reduce(function (a, b) { return a + b; }, 0);
      if (f === "mean") return xs.reduce(function (a, b) { return a + b; }, 0) / xs.length;
      return f === "min" ? Math.min.apply(null, xs) : Math.max.apply(null, xs);
    }
    function groups(k, rows) {
      var by = {}, order = [];
      rows.forEach(function (r) {
        var key = termKey(r[k]);
        if (!by[key]) { by[key] = { term: r[k], rows: [] }; order.push(key); }
        by[key].rows.push(r);
      });
      return order.map(function (key) { return by[key]; });
    }
    function name(t) { return t ? labelOf(t) : "(none)"; }
    function draw() {
      clear(body);
      var valueText = valueOptions.filter(function (o) { return o[0] === state.value; })[0][1];
      summary.textContent = "Pivot and chart: " + valueText + " by " + V[state.rows] + (state.cols >= 0 ? " and " + V[state.cols] : "");
      var rowGroups = groups(state.rows, R).map(function (g) { g.total = reduce(g.rows); return g; });
      rowGroups.sort(function (a, b) {
        return (b.total === null ? -Infinity : b.total) - (a.total === null ? -Infinity : a.total) ||
          name(a.term).localeCompare(name(b.term), undefined, { numeric: true });
      });
      var cols = [];
      if (state.cols >= 0) {
        cols = groups(state.cols, R).sort(function (a, b) { return b.rows.length - a.rows.length || name(a.term).localeCompare(name(b.term)); });
      }
      var shownCols = cols.slice(0, PIVOT_COLUMNS);
      var wrap = el("div", null, "table-wrap");
      var tbl = el("table", null, "result wb-pivot-table");
      var head = el("tr");
      head.appendChild(el("th", V[state.rows]));
      shownCols.forEach(function (c) { head.appendChild(el("th", name(c.term))); });
      if (cols.length > shownCols.length) head.appendChild(el("th", "other " + V[state.cols]));
      head.appendChild(el("th", state.cols >= 0 ? "all" : valueText));
      head.appendChild(el("th", ""));
      var thead = el("thead"); thead.appendChild(head); tbl.appendChild(thead);
      var tbody = el("tbody");
      var top = 0;
      rowGroups.forEach(function (g) { if (g.total !== null) top = Math.max(top, Math.abs(g.total)); });
      rowGroups.slice(0, PIVOT_GROUPS).forEach(function (g) {
        var tr = el("tr");
        var th = el("th", name(g.term), "wb-bar-name");
        th.scope = "row";
        tr.appendChild(th);
        if (state.cols >= 0) {
          var keys = {};
          shownCols.forEach(function (c) { keys[termKey(c.term)] = true; });
          shownCols.forEach(function (c) {
            var k = termKey(c.term);
            var v = reduce(g.rows.filter(function (r) { return termKey(r[state.cols]) === k; }));
            tr.appendChild(el("td", v === null || (v === 0 && state.value !== "count" && state.value.indexOf("distinct") !== 0) ? "" : number(v), "num"));
          });
          if (cols.length > shownCols.length) {
            var rest = reduce(g.rows.filter(function (r) { return !keys[termKey(r[state.cols])]; }));
            tr.appendChild(el("td", rest === null ? "" : number(rest), "num"));
          }
        }
        tr.appendChild(el("td", g.total === null ? "" : number(g.total), "num wb-bar-value"));
        var barCell = el("td", null, "wb-bar-cell");
        var bar = el("span", null, "wb-bar");
        var fill = el("span", null, "wb-bar-fill");
        fill.style.width = (top && g.total !== null ? 100 * Math.abs(g.total) / top : 0).toFixed(1) + "%";
        bar.appendChild(fill);
        barCell.appendChild(bar);
        tr.appendChild(barCell);
        tbody.appendChild(tr);
      });
      tbl.appendChild(tbody);
      wrap.appendChild(tbl);
      body.appendChild(wrap);
      if (rowGroups.length > PIVOT_GROUPS) {
        body.appendChild(el("p", "The " + PIVOT_GROUPS + " largest of " + rowGroups.length + " groups.", "note"));
      }
    }
    draw();
  }
  function render(result) {
    last = result;
    var out = $("wb-result");
    clear(out);
    $("wb-graph").hidden = true;
    $("wb-graph-bar").hidden = true;
    if (result.kind === "boolean") {
      out.appendChild(el("p", result.value ? "yes (true)" : "no (false)", "wb-boolean"));
      status("Answer: " + (result.value ? "yes" : "no"));
      return;
    }
    var n = result.rows.length;
    status(n + (result.kind === "graph" ? (n === 1 ? " triple" : " triples") : (n === 1 ? " row" : " rows")));
    var gaps = [];
    var unknown = unknownNames(getText(), gaps);
    if (unknown.length) {
      out.appendChild(el("p", "The query names " + unknown.join("; ") + ": nothing in this site's data has " +
        (unknown.length === 1 ? "that name" : "those names") + (n ? "." : ", which may be why the answer is empty."), "wb-warning"));
    }
    if (!n && gaps.length) {
      var told = el("div", null, "wb-warning wb-gaps");
      told.appendChild(el("p", "What the sources count but do not name, of the entities the query names (which may be why the answer is empty):"));
      var ul = el("ul");
      gaps.forEach(function (g) { ul.appendChild(el("li", g)); });
      told.appendChild(ul);
      out.appendChild(told);
    }
    if (result.kind === "graph") drawGraph(result.rows);
    pivot(result, out);
    table(result, out);
  }
  var RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  var NAMING = ["http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label", "http://xmlns.com/foaf/0.1/name", "https://schema.org/name"];
  /* A CONSTRUCT or DESCRIBE result drawn: entities by their labels on light nodes with
   * dark text, values as boxes, rdf:type edges hidden unless asked for. */
  function drawGraph(rows) {
    if (!window.vis || !rows.length) return;
    var box = $("wb-graph");
    var bar = $("wb-graph-bar");
    var types = $("wb-types");
    box.hidden = false;
    bar.hidden = false;
    /* A name the result itself gives an entity labels its node (no box of its own). */
    var named = {};
    rows.forEach(function (r) {
      if (r[2].type === "literal" && NAMING.indexOf(r[1].value) >= 0 && (named[r[0].value] === undefined || r[1].value === NAMING[0])) named[r[0].value] = r[2].value;
    });
    function draw() {
      var ids = {}, nodes = [], edges = [], shown = 0;
      function node(t) {
        var key = t.type + " " + t.value;
        if (ids[key] === undefined) {
          ids[key] = nodes.length;
          var text = t.type === "uri" && names && names.byIri[t.value] === undefined && named[t.value] !== undefined ? named[t.value] : labelOf(t);
          var literal = t.type === "literal";
          nodes.push({ id: nodes.length, label: text.length > 40 ? text.slice(0, 39) + "…" : text,
                       title: t.type === "uri" ? text + "\n" + t.value : text,
                       shape: literal ? "box" : "dot", size: 9,
                       color: literal ? { background: "#fff7d6", border: "#c9a227" } : { background: "#d7e8f7", border: "#0072B2" },
                       font: { color: "#1b1f24", size: 14, background: literal ? undefined : "rgba(255,255,255,0.85)" } });
        }
        return ids[key];
      }
      rows.forEach(function (r) {
        if (shown >= 600) return;
        if (!types.checked && r[1].value === RDF_TYPE) return;
        if (r[2].type === "literal" && NAMING.indexOf(r[1].value) >= 0) return;
        shown += 1;
        edges.push({ from: node(r[0]), to: node(r[2]), label: show(r[1]), title: show(r[1]), arrows: "to", font: { size: 9, align: "horizontal", color: "#3d4a5c" } });
      });
      /* Many edges: their predicates on hover only, so that the names stay readable. */
      if (edges.length > 24) edges.forEach(function (e) { delete e.label; });
      $("wb-graph-note").textContent = shown + " of " + rows.length + " triples drawn as edges (names label their nodes" + (types.checked ? "" : "; rdf:type hidden") + (edges.length > 24 ? "; predicates on hover)" : ")");
      new window.vis.Network(box, { nodes: nodes, edges: edges }, {
        physics: { stabilization: { iterations: 200 }, barnesHut: { springLength: 90, gravitationalConstant: -2500, avoidOverlap: 0.6 } },
        edges: { smooth: false, color: "#a3acb7" }
      });
    }
    types.onchange = draw;
    draw();
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
  /* The link carries the query (by name and the form's values while the text is the one
   * the form makes, else the whole text) and runs it when opened. */
  function shareLink() {
    var link = new URLSearchParams();
    var text = getText();
    var values = {}, bound = {}, plain = !!current;
    params.forEach(function (f) {
      values[f.p.name] = f.input.value;
      try { bound[f.p.name] = term(f.p, f.input.value).text; } catch (e) { plain = false; }
    });
    if (plain && text === (current.params.length ? valuesLines(current, bound) : current.text)) {
      link.set("name", current.name);
      params.forEach(function (f) { link.set("p." + f.p.name, values[f.p.name]); });
    } else {
      link.set("query", text);
    }
    link.set("run", "1");
    return window.location.href.split("#")[0] + "#" + link.toString();
  }
  function fromHash() {
    var link = new URLSearchParams(window.location.hash.slice(1));
    if (link.get("name") && byName[link.get("name")]) {
      var values = {};
      link.forEach(function (v, k) { if (k.indexOf("p.") === 0) values[k.slice(2)] = v; });
      choose(link.get("name"), values);
      return link.has("run");
    }
    if (link.get("query")) {
      choose(CFG.queries.length ? CFG.queries[0].name : "", {});
      current = null;
      clear($("wb-params"));
      params = [];
      $("wb-summary").textContent = "A query from a link.";
      setText(link.get("query"));
      return link.has("run");
    }
    choose(CFG.queries.length ? CFG.queries[0].name : "", {});
    return false;
  }

  function forget() {
    /* An error or a new run: no earlier answer stays on show, or goes into a download. */
    last = null;
    clear($("wb-result"));
    $("wb-graph").hidden = true;
    $("wb-graph-bar").hidden = true;
    $("wb-time").textContent = "";
  }
  function runNow() {
    var q;
    forget();
    try { q = queryToRun(); } catch (e) { status("Not run: " + e.message); return Promise.resolve(null); }
    status(served ? "Asking the server…" : "Running in the browser…");
    var started = performance.now();
    return run(q).then(function (result) {
      render(result);
      $("wb-time").textContent = " (" + Math.round(performance.now() - started) + " ms, " + (served ? "server" : "in the browser") + ")";
      return result;
    }, function (e) {
      var message = e && e.message ? e.message : String(e);
      if (!explainPrefixes(message, q.text)) status("Error: " + message);
      throw e;
    });
  }

  function reveal() { $("wb-answer").scrollIntoView({ block: "start" }); }
  $("wb-run").addEventListener("click", function () { runNow().then(reveal, reveal).catch(function () {}); });
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

  loadNames(function () {
    var autorun = fromHash();
    window.cgWorkbench = {
      choose: function (name) { choose(name, {}); },
      /* For tests and tools: run a library query with its defaults; resolve to the result. */
      runQuery: function (name) { choose(name, {}); return runNow(); },
      ready: true
    };
    if (autorun) runNow().then(reveal, reveal).catch(function () {});
  });
}());
