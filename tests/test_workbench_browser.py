"""The query workbench in headless Chromium: what runs is what the editor shows.

The parameter form writes its values into the query text as a ``VALUES`` block, and an
edit of that block shows in the form; both engines (Oxigraph in the browser from disk,
the server's ``/sparql`` when served) run the editor's text and nothing else. Names are
taken as the command line takes them (slug, prefixed name, IRI), and a name that names
nothing is a warning with the closest names.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest

from clustergraph.cli.endpoint import Server
from clustergraph.queries.library import Library
from clustergraph.queries.run import run
from clustergraph.store import SelectResult
from tests.support.browser import chromium_context
from tests.support.site import WrittenSite, write_whole_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ORG = "https://w3id.org/clustergraph/id/org/"
EDITOR = "document.querySelector('.CodeMirror').CodeMirror"


@pytest.fixture(scope="module")
def site_build(project, store, tmp_path_factory) -> WrittenSite:
    return write_whole_site(project, store, tmp_path_factory.mktemp("site") / "build")


@pytest.fixture(scope="module")
def served(store, site_build) -> Iterator[str]:
    with Server(store, site_build.site, port=0).started() as running:
        yield running.url + "/"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:

        def route(r):
            url = r.request.url
            if url.startswith(("file://", "data:", "http://127.0.0.1:")):
                r.continue_()
            else:
                r.abort()

        context.route("**/*", route)
        yield context


@pytest.fixture(params=["disk", "served"])
def workbench(request, browser, site_build):
    """Open the workbench page from disk or from ``clustergraph serve``."""
    if request.param == "disk":
        url = (site_build.site / "workbench.html").resolve().as_uri()
    else:
        url = request.getfixturevalue("served") + "workbench.html"
    page = browser.new_page()
    page.set_viewport_size({"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    page.wait_for_function("window.cgWorkbench && window.cgWorkbench.ready")
    yield page
    page.close()
    assert errors == []


def members_of(project, store, org: str) -> int:
    query = Library.of(project).get("members-of-organisation")
    result = run(store, query, params={"org": f"<{ORG}{org}>"})
    assert isinstance(result, SelectResult)
    return len(result.rows)


def run_and_wait(page) -> str:
    page.click("#wb-run")
    page.wait_for_function(
        "() => /rows?|triples?|Answer|Error|Not run/.test("
        "document.getElementById('wb-status').textContent)"
    )
    return page.text_content("#wb-status") or ""


def column(page, name: str) -> list[str]:
    return page.evaluate(
        """name => {
          const heads = Array.from(document.querySelectorAll('#wb-result .wb-table thead th'),
                                   th => th.dataset.var);
          const k = heads.indexOf(name);
          return Array.from(document.querySelectorAll('#wb-result .wb-table tbody tr'),
                            tr => tr.children[k].textContent);
        }""",
        name,
    )


def test_an_edited_query_runs_with_the_value_the_form_shows(workbench, project, store):
    page = workbench
    page.select_option("#wb-example", "members-of-organisation")
    page.fill('#wb-params input[data-param="org"]', "o:lca")
    assert f"<{ORG}lca>" in page.evaluate(f"{EDITOR}.getValue()"), "the form writes the text"
    page.click(".CodeMirror-code")
    page.keyboard.press("Control+Home")
    page.keyboard.type("# LCA's members only\n")
    status = run_and_wait(page)
    want = members_of(project, store, "lca")
    assert status.startswith(f"{want} row"), status
    assert set(column(page, "org")) == {"o:lca"}
    # The other way: the value edited in the text is what the form shows and what runs.
    page.evaluate(f"{EDITOR}.setValue({EDITOR}.getValue().replace('{ORG}lca>', '{ORG}lcn>'))")
    assert page.input_value('#wb-params input[data-param="org"]') == "o:lcn"
    status = run_and_wait(page)
    assert status.startswith(f"{members_of(project, store, 'lcn')} row"), status
    assert set(column(page, "org")) <= {"o:lcn"}


@pytest.fixture(scope="module")
def unicode_site(site_build) -> WrittenSite:
    """Add to the names list one more entity, whose slug is not ASCII."""
    names = site_build.site / "assets" / "workbench-names.js"
    text = names.read_text(encoding="utf-8")
    extra = '["o:šiauliu-klasteris","Šiaulių klasteris"],'
    if extra not in text:
        names.write_text(text.replace("=[", "=[" + extra, 1), encoding="utf-8")
    return site_build


@pytest.mark.parametrize(
    ("typed", "bound"),
    [
        ("lca", f"<{ORG}lca>"),
        ("o:lca", f"<{ORG}lca>"),
        (f"<{ORG}lca>", f"<{ORG}lca>"),
        (f"{ORG}lca", f"<{ORG}lca>"),
        ("šiauliu-klasteris", f"<{ORG}šiauliu-klasteris>"),
        (unicodedata.normalize("NFD", "o:šiauliu-klasteris"), f"<{ORG}šiauliu-klasteris>"),
    ],
)
def test_the_form_takes_names_as_the_command_line(browser, unicode_site, typed, bound):
    page = browser.new_page()
    try:
        page.goto((unicode_site.site / "workbench.html").resolve().as_uri(), wait_until="load")
        page.wait_for_function("window.cgWorkbench && window.cgWorkbench.ready")
        page.select_option("#wb-example", "members-of-organisation")
        page.fill('#wb-params input[data-param="org"]', typed)
        text = page.evaluate(f"{EDITOR}.getValue()")
        assert f"VALUES ?org {{ {bound} }}" in text
        assert page.text_content("#wb-params .wb-param-note") == ""
    finally:
        page.close()


def test_an_acronym_in_capitals_is_not_said_to_name_nothing(workbench):
    # "LCA" is o:lca's alias: the field must not claim no entity is so named; it says what a
    # field takes and gives o:lca as the closest, compared without regard to case.
    page = workbench
    page.select_option("#wb-example", "members-of-organisation")
    page.fill('#wb-params input[data-param="org"]', "LCA")
    note = page.text_content("#wb-params .wb-param-note") or ""
    assert "no entity named" not in note
    assert "'LCA' is not the short name (slug), prefixed name or IRI of an entity" in note
    assert "closest: o:lca" in note


def test_a_name_that_names_nothing_is_told_with_the_closest(workbench):
    page = workbench
    page.select_option("#wb-example", "members-of-organisation")
    field = '#wb-params input[data-param="org"]'
    page.fill(field, "lnc")  # a slug of nothing: the text keeps its value, a run is refused
    note = page.text_content("#wb-params .wb-param-note") or ""
    assert "'lnc' is not the short name" in note and "o:lcn" in note
    assert f"<{ORG}eacn>" in page.evaluate(f"{EDITOR}.getValue()")
    assert run_and_wait(page).startswith("Not run: org: 'lnc' is not the short name")
    assert page.locator("#wb-result table").count() == 0
    page.fill(field, "o:lnc")  # an IRI that names nothing runs, as on the command line, warned
    note = page.text_content("#wb-params .wb-param-note") or ""
    assert "o:lnc names nothing in this site's data" in note and "o:lcn" in note
    assert run_and_wait(page).startswith("0 rows")
    why = page.text_content("#wb-result .wb-warning") or ""  # the empty answer says why
    assert why.startswith("The query names o:lnc (closest: o:lcn")


def disk_page(browser, site: WrittenSite, fragment: str = ""):
    page = browser.new_page()
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto((site.site / "workbench.html").resolve().as_uri() + fragment, wait_until="load")
    page.wait_for_function("window.cgWorkbench && window.cgWorkbench.ready")
    return page


def test_the_result_table_sorts_filters_and_is_in_view(browser, site_build):
    page = disk_page(browser, site_build)
    try:
        page.select_option("#wb-example", "label-holders-by-level")
        status = run_and_wait(page)
        total = int(status.split()[0])
        assert total > 3
        top = page.evaluate("document.getElementById('wb-answer').getBoundingClientRect().top")
        assert 0 <= top < 900, "the result is scrolled into view"
        page.click('#wb-result th[data-var="holderName"] button')
        names = column(page, "holderName")
        key = [n.casefold() for n in names]
        assert key == sorted(key) and len(names) == total
        page.click('#wb-result th[data-var="holderName"] button')
        assert column(page, "holderName") == names[::-1]
        page.fill("#wb-filter", "litek")
        assert column(page, "holderName") == ["LITEK Laser & Engineering Technologies Cluster"]
        assert f"of 1 (filtered from {total})" in (page.text_content("#wb-where") or "")
        width = page.evaluate(
            "Array.from(document.querySelectorAll('#wb-result th button'))"
            ".every(b => b.scrollWidth <= b.clientWidth)"
        )
        assert width, "no column heading is cut"
    finally:
        page.close()


def test_a_shared_link_runs_the_query_for_whoever_opens_it(browser, site_build):
    page = disk_page(browser, site_build)
    try:
        page.select_option("#wb-example", "members-of-organisation")
        page.fill('#wb-params input[data-param="org"]', "lca")
        page.click("#wb-share")
        link = page.input_value("#wb-link")
    finally:
        page.close()
    assert "run=1" in link
    page = browser.new_page()
    try:
        page.goto(link, wait_until="load")
        page.wait_for_function(
            "() => /rows?/.test(document.getElementById('wb-status').textContent)"
        )
        assert page.input_value('#wb-params input[data-param="org"]') == "lca"
        assert set(column(page, "org")) == {"o:lca"}
    finally:
        page.close()


def test_a_construct_result_is_drawn_with_names_and_without_types(browser, site_build):
    page = disk_page(browser, site_build, "#name=label-holders-graph&run=1")
    try:
        page.wait_for_function(
            "() => /triples/.test(document.getElementById('wb-status').textContent)"
        )
        note = page.text_content("#wb-graph-note") or ""
        assert "rdf:type hidden" in note
        assert page.is_visible("#wb-graph canvas")
    finally:
        page.close()


PIVOT = """() => Array.from(document.querySelectorAll('#wb-pivot tbody tr'), tr => [
  tr.querySelector('th').textContent,
  Array.from(tr.querySelectorAll('td.num'), td => td.textContent),
  tr.querySelector('.wb-bar-fill').getBoundingClientRect().width])"""


def _label(term) -> str:
    return term.value if term is not None else "(none)"


def test_an_aggregate_opens_as_a_pivot_and_chart_with_its_numbers(
    browser, site_build, project, store
):
    expected = run(store, Library.of(project).get("cluster-count-by-country"))
    assert isinstance(expected, SelectResult)
    page = disk_page(browser, site_build, "#name=cluster-count-by-country&run=1")
    try:
        page.wait_for_function(
            "() => /rows?/.test(document.getElementById('wb-status').textContent)"
        )
        assert page.is_visible("#wb-pivot .wb-pivot-table"), "an aggregate opens as a chart"
        shown = page.evaluate(PIVOT)
    finally:
        page.close()
    names = [name for name, _cells, _width in shown]
    assert "Lithuania" in names  # a name, not an IRI
    k = list(expected.variables).index("organisations")
    want = sorted(int(row[k].value) for row in expected.rows)
    assert sorted(int(cells[-1]) for _n, cells, _w in shown) == want
    widest = max(shown, key=lambda r: int(r[1][-1]))
    assert widest[2] > 0 and all(r[2] <= widest[2] + 0.5 for r in shown)


def test_rows_are_grouped_counted_and_split_in_the_pivot(browser, site_build, project, store):
    """Any result: group by a column, count rows, sum or count distinct, split by another."""
    from collections import Counter, defaultdict

    expected = run(store, Library.of(project).get("entities-per-source"))
    assert isinstance(expected, SelectResult) and len(expected.rows) > 3
    variables = list(expected.variables)
    graph, top, entities = (variables.index(v) for v in ("graph", "top", "entities"))
    page = disk_page(browser, site_build, "#name=entities-per-source&run=1")
    try:
        page.wait_for_function(
            "() => /rows?/.test(document.getElementById('wb-status').textContent)"
        )
        page.click("#wb-pivot summary")
        page.select_option("#wb-pivot-rows", str(graph))
        counted = page.evaluate(PIVOT)
        page.select_option("#wb-pivot-value", f"sum {entities}")
        summed = page.evaluate(PIVOT)
        page.select_option("#wb-pivot-value", f"distinct {top}")
        distinct = page.evaluate(PIVOT)
        page.select_option("#wb-pivot-value", f"sum {entities}")
        page.select_option("#wb-pivot-cols", str(top))
        split = page.evaluate(PIVOT)
        heads = page.evaluate(
            "Array.from(document.querySelectorAll('#wb-pivot thead th'), th => th.textContent)"
        )
    finally:
        page.close()
    rows = expected.rows
    count: Counter[str] = Counter()
    total: Counter[str] = Counter()
    tops = defaultdict(set)
    for r in rows:
        count[_label(r[graph])] += 1
        total[_label(r[graph])] += int(r[entities].value)
        tops[_label(r[graph])].add(r[top])

    def by_number(shown):
        return sorted(int(cells[-1]) for _n, cells, _w in shown)

    assert len(counted) == len(count)
    assert by_number(counted) == sorted(count.values())
    assert by_number(summed) == sorted(total.values())
    assert by_number(distinct) == sorted(len(t) for t in tops.values())
    assert by_number(split) == sorted(total.values())
    kinds = {r[top] for r in rows}
    assert len(heads) == 1 + min(len(kinds), 12) + (len(kinds) > 12) + 2
    for _name, cells, _w in split:  # the cells of a row add up to its total
        assert sum(int(c) for c in cells[:-1] if c) == int(cells[-1])


def set_text(page, text: str) -> None:
    page.evaluate(f"t => {EDITOR}.setValue(t)", text)


def test_a_prefix_the_text_does_not_declare_is_named_and_added_in_view(workbench, project, store):
    """Oxigraph's "Prefix not found" becomes the PREFIX line to add; added, it is in the text."""
    page = workbench
    page.select_option("#wb-example", "members-of-organisation")
    text = page.evaluate(f"{EDITOR}.getValue()").replace(f"<{ORG}eacn>", "o:lca")
    set_text(page, text)
    assert page.input_value('#wb-params input[data-param="org"]') == "o:lca"
    status = run_and_wait(page)
    assert "Prefix not found" not in status and "o:" in status, status
    offer = page.text_content("#wb-result") or ""
    line = f"PREFIX o: <{ORG}>"
    assert line in offer
    assert line not in page.evaluate(f"{EDITOR}.getValue()"), "nothing is added unasked"
    page.click("#wb-add-prefixes")
    page.wait_for_function(
        "() => /rows?|Error/.test(document.getElementById('wb-status').textContent)"
    )
    shown = page.evaluate(f"{EDITOR}.getValue()")
    assert line in shown.splitlines(), "the line added is in the editor"
    assert shown.index(line) < shown.index("SELECT")
    status = page.text_content("#wb-status") or ""
    assert status.startswith(f"{members_of(project, store, 'lca')} row"), status
    assert set(column(page, "org")) == {"o:lca"}


def test_a_prefix_nobody_knows_is_named_as_such(browser, site_build):
    page = disk_page(browser, site_build)
    try:
        set_text(page, "SELECT ?x WHERE { ?x nope:thing ?y }")
        status = run_and_wait(page)
        assert "nope:" in status and "not declared" in status, status
        assert page.locator("#wb-add-prefixes").count() == 0
    finally:
        page.close()


@pytest.mark.parametrize(
    "typed", ["o:lithuanian-cluster-network", f"<{ORG}lithuanian-cluster-network>"]
)
def test_an_iri_of_nothing_gets_the_closest_names_in_the_form(browser, site_build, typed):
    page = disk_page(browser, site_build)
    try:
        page.select_option("#wb-example", "members-of-organisation")
        page.fill('#wb-params input[data-param="org"]', typed)
        note = page.text_content("#wb-params .wb-param-note") or ""
        assert "names nothing in this site's data" in note
        assert "(closest: o:lcn" in note, note
    finally:
        page.close()


def test_an_iri_of_nothing_in_the_text_is_told_with_the_closest_names(browser, site_build):
    page = disk_page(browser, site_build)
    try:
        page.select_option("#wb-example", "members-of-organisation")
        text = page.evaluate(f"{EDITOR}.getValue()")
        set_text(page, text.replace(f"<{ORG}eacn>", f"<{ORG}lithuanian-cluster-network>"))
        note = page.text_content("#wb-params .wb-param-note") or ""
        assert "(closest: o:lcn" in note, note
        assert run_and_wait(page).startswith("0 rows")
        why = page.text_content("#wb-result .wb-warning") or ""
        assert why.startswith("The query names o:lithuanian-cluster-network (closest: o:lcn"), why
        # An answer that is not empty still says which of its names name nothing, and a
        # PREFIX line (a namespace, not an entity) is not one of them.
        set_text(
            page,
            f"PREFIX o: <{ORG}>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
            "SELECT ?org ?m WHERE { VALUES ?org { o:lca o:lcx } ?ms org:organization ?org ;"
            " org:member ?m }",
        )
        status = run_and_wait(page)
        assert not status.startswith("0 "), status
        why = page.text_content("#wb-result .wb-warning") or ""
        assert why.startswith("The query names o:lcx (closest: o:lca"), why
    finally:
        page.close()


@pytest.mark.parametrize(
    ("typed", "wanted", "label"),
    [
        ("Lithuanian Clusters Association", "o:lca", "Lithuanian Clusters Association"),
        ("LCA", "o:lca", "Lithuanian Clusters Association"),
        ("lithuanian clusters association", "o:lca", "Lithuanian Clusters Association"),
        # The network's article calls it so once (an alias): the network, said to be
        # called so, before the association of a name one letter apart.
        ("Lithuanian Cluster Association", "o:lcn", "also called Lithuanian Cluster Association"),
        ("LCN", "o:lcn", "Lithuanian Cluster Network"),
    ],
)
def test_a_name_typed_in_the_form_suggests_the_entity_first(
    browser, site_build, typed, wanted, label
):
    """Names, aliases and acronyms lead to the organisation, not to the article about it."""
    page = disk_page(browser, site_build)
    try:
        page.select_option("#wb-example", "members-of-organisation")
        field = '#wb-params input[data-param="org"]'
        page.fill(field, typed)
        page.wait_for_selector("#wb-params .wb-suggest button")
        offered = page.eval_on_selector_all(
            "#wb-params .wb-suggest button", "bs => bs.map(b => b.textContent)"
        )
        assert offered[0].startswith(wanted + " — ") and label in offered[0], offered
        for o in offered:  # what each is, never a bare identifier for a name
            name, _dash, said = o.partition(" — ")
            assert not said.startswith(name), offered
        kinds = [o.rpartition("(")[2] for o in offered]
        assert not any(k.startswith(("membership", "figure")) for k in kinds), offered
        if wanted == "o:lcn" and typed != "LCN":
            assert any(o.startswith("o:lca — ") for o in offered), offered
        page.click("#wb-params .wb-suggest button")
        assert page.input_value(field) == wanted
        iri = ORG + wanted.partition(":")[2]
        assert f"VALUES ?org {{ <{iri}> }}" in page.evaluate(f"{EDITOR}.getValue()")
        assert page.text_content("#wb-params .wb-param-note") == ""
    finally:
        page.close()


def test_a_name_nothing_has_is_told_so(browser, site_build):
    page = disk_page(browser, site_build)
    try:
        page.select_option("#wb-example", "members-of-organisation")
        page.fill('#wb-params input[data-param="org"]', "Lietuvos klasterių asociacija")
        page.wait_for_function(
            "() => /no entity in this site's data has that name or alias/.test("
            "document.querySelector('#wb-params .wb-param-note')"
            ".textContent)"
        )
        note = page.text_content("#wb-params .wb-param-note") or ""
        assert "src:" not in note, "an article is no organisation"
    finally:
        page.close()


@pytest.mark.parametrize(
    ("values", "shown", "says"),
    [
        (f"VALUES $org {{ <{ORG}lca> }}", "o:lca", ""),
        (f"VALUES ?org {{ <{ORG}lca> <{ORG}lcn> }}", "o:lca o:lcn", "2 values"),
        (f"VALUES (?org) {{ (<{ORG}lca>) (<{ORG}lcn>) }}", "", "the text rules"),
        (f"BIND(<{ORG}lca> AS ?org)", "", "the text rules"),
    ],
)
def test_the_form_shows_what_the_text_binds(browser, site_build, values, shown, says):
    page = disk_page(browser, site_build)
    try:
        page.select_option("#wb-example", "members-of-organisation")
        text = page.evaluate(f"{EDITOR}.getValue()")
        start = text.index("VALUES ?org")
        end = text.index("}", start) + 1
        set_text(page, text[:start] + values + text[end:])
        field = '#wb-params input[data-param="org"]'
        note = page.text_content("#wb-params .wb-param-note") or ""
        assert "Not bound" not in note, note
        assert says in note, note
        if shown:
            assert page.input_value(field) == shown
        assert page.is_disabled(field) == bool(says)
    finally:
        page.close()


def test_an_empty_answer_says_what_the_sources_leave_out(browser, site_build):
    """Members of both LCA and LCN: none, and LCN's 57 member clusters are named nowhere."""
    page = disk_page(browser, site_build)
    try:
        set_text(
            page,
            f"PREFIX o: <{ORG}>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
            "SELECT DISTINCT ?m WHERE {\n  ?a org:organization o:lca ; org:member ?m .\n"
            "  ?b org:organization o:lcn ; org:member ?m .\n}",
        )
        assert run_and_wait(page).startswith("0 rows")
        why = page.text_content("#wb-result .wb-gaps") or ""
        assert "o:lcn" in why and "57 member clusters" in why, why
        assert "not named in the sources" in why
    finally:
        page.close()


def test_an_optional_parameter_left_unbound_can_still_be_set_in_the_form(browser, site_build):
    """``asOf = UNDEF``: the field is empty and open; a date typed goes into the text."""
    page = disk_page(browser, site_build)
    try:
        page.select_option("#wb-example", "members-of-organisation")
        field = '#wb-params input[data-param="asOf"]'
        assert page.input_value(field) == "" and not page.is_disabled(field)
        assert "VALUES ?asOf { UNDEF }" in page.evaluate(f"{EDITOR}.getValue()")
        page.fill(field, "2020-06-05")
        text = page.evaluate(f"{EDITOR}.getValue()")
        assert 'VALUES ?asOf { "2020-06-05"^^<http://www.w3.org/2001/XMLSchema#date> }' in text
        page.fill(field, "")
        assert "VALUES ?asOf { UNDEF }" in page.evaluate(f"{EDITOR}.getValue()")
        assert not page.is_disabled(field)
    finally:
        page.close()
