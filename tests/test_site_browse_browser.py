"""Finding and browsing in the explorer, in headless Chromium from disk, network cut off.

Search ranks what analysts ask for first (an organisation's acronym or name before the
records that are parts of its facts), Enter opens the best match; the facets page
narrows the list of entities step by step with counts and keeps the selection in the
URL; pages mark the curator's inferences and say what the articles leave out; views
link to the pages and back to the site. One site and one browser for the module.
"""

from __future__ import annotations

import re

import pytest

from tests.support.browser import chromium_context
from tests.support.site import WrittenSite, write_whole_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {"desktop": (1400, 900), "phone": (390, 844)}

# Records that are parts of a fact: they may be found, never before the things themselves.
PARTS = ("figure", "instant", "interval", "membership", "post", "excellence label award")
THINGS = ("cluster", "cluster network", "cluster alliance", "association", "company", "person")
BARE_ID = re.compile(r"^[A-Za-z][\w.-]*:[\w./-]+$")


@pytest.fixture(scope="module")
def site_build(project, store, tmp_path_factory) -> WrittenSite:
    return write_whole_site(project, store, tmp_path_factory.mktemp("site") / "build")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:

        def route(r):
            if r.request.url.startswith(("file://", "data:")):
                r.continue_()
            else:
                r.abort()

        context.route("**/*", route)
        yield context


def open_page(browser, site_build, rel: str, size: str = "desktop"):
    page = browser.new_page()
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    rel, hash_mark, fragment = rel.partition("#")
    url = (site_build.site / rel).resolve().as_uri() + hash_mark + fragment
    page.goto(url, wait_until="load")
    return page, errors


def results(page, typed: str) -> list[list[str]]:
    page.fill("#site-search", typed)
    page.wait_for_selector(".search-results li a")
    return page.evaluate(
        "Array.from(document.querySelectorAll('.search-results li'), li => ["
        " li.querySelector('a').textContent, li.querySelector('a').getAttribute('href'),"
        " li.querySelector('.search-kind').textContent.replace(/^ · /, '')])"
    )


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("EACN", "entity/org/eacn.html"),
        ("eacn", "entity/org/eacn.html"),
        ("LCN", "entity/org/lcn.html"),
        ("ESCA", "entity/org/esca.html"),
        ("Lithuanian Cluster Network", "entity/org/lcn.html"),
        ("FTD LT", "entity/org/ftd-lt.html"),
        ("Bagušinskas", "entity/person/giedrius-bagusinskas.html"),
    ],
)
def test_search_puts_the_named_thing_first(browser, site_build, typed, first):
    page, errors = open_page(browser, site_build, "index.html")
    try:
        found = results(page, typed)
    finally:
        page.close()
    assert errors == []
    assert found[0][1] == first, found[:5]
    kinds = [kind for _label, _href, kind in found]
    parts = [k for k, kind in enumerate(kinds) if kind in PARTS]
    things = [k for k, kind in enumerate(kinds) if kind in THINGS]
    assert not parts or not things or max(things) < min(parts), kinds
    bare = [label for label, _href, _kind in found if BARE_ID.match(label)]
    assert bare == []  # a figure or a period is named by what it describes
    assert not any(label.startswith(("27 May 2020", "?")) for label, _h, _k in found)


def test_search_names_a_figure_by_what_it_describes(browser, site_build):
    page, _errors = open_page(browser, site_build, "index.html")
    try:
        found = results(page, "eacn companies")
    finally:
        page.close()
    labels = {href: label for label, href, _kind in found}
    label = labels["entity/figure/eacn-companies.html"]
    assert label.startswith("European Automotive Cluster Network:"), label
    assert "compan" in label


def test_enter_opens_the_best_match_and_the_box_is_no_dead_form(browser, site_build):
    page, errors = open_page(browser, site_build, "entity/org/lcn.html")
    try:
        # Without JavaScript a form would go to its action: it must be a page of the site.
        actions = page.evaluate(
            "Array.from(document.querySelectorAll('form'), f => f.getAttribute('action'))"
        )
        for action in actions:
            assert action and (site_build.site / "entity/org" / action).resolve().is_file()
        page.fill("#site-search", "EACN")
        page.wait_for_selector(".search-results li a")
        with page.expect_navigation():
            page.press("#site-search", "Enter")
        assert page.url.endswith("/entity/org/eacn.html")
    finally:
        page.close()
    assert errors == []


def _facet_state(page) -> dict:
    return page.evaluate(
        """() => ({
          shown: Array.from(document.querySelectorAll('#facet-results li'),
                            li => [li.querySelector('a').getAttribute('href'),
                                   li.querySelector('.facet-kind').textContent]),
          total: Number(document.getElementById('facet-total').textContent),
          hash: decodeURIComponent(location.hash),
          values: Object.fromEntries(Array.from(
            document.querySelectorAll('input[data-facet]'),
            i => [i.dataset.facet + '=' + i.value, Number(i.dataset.count)])),
        })"""
    )


def _tick(page, facet: str, value: str) -> None:
    page.check(f'input[data-facet="{facet}"][value="{value}"]')
    page.wait_for_function("!document.getElementById('facet-results').dataset.busy")


def test_facets_narrow_step_by_step_and_the_url_keeps_the_selection(browser, site_build):
    page, errors = open_page(browser, site_build, "entities.html")
    try:
        page.wait_for_selector("#facet-results li")
        everything = _facet_state(page)
        kinds = {kind for _href, kind in everything["shown"]}
        assert not kinds & set(PARTS) and "comparator" not in kinds  # things, not fact nodes
        assert {"cluster", "cluster network", "person", "company"} <= kinds
        assert everything["values"]["kind=cluster"] >= 10  # a count beside each value
        assert everything["values"]["country=Lithuania"] >= 10
        assert everything["values"]["by=European Secretariat for Cluster Analysis"] >= 9
        assert "country" not in kinds and "sector" not in kinds  # terms are listed apart
        _tick(page, "kind", "cluster")
        clusters = _facet_state(page)
        assert {kind for _h, kind in clusters["shown"]} == {"cluster"}
        assert clusters["total"] == everything["values"]["kind=cluster"]
        bronze = clusters["values"]["level=Bronze"]
        assert 0 < bronze < clusters["total"]
        _tick(page, "level", "Bronze")
        labelled = _facet_state(page)
        assert labelled["total"] == bronze
        assert "entity/org/litek.html" in {h for h, _k in labelled["shown"]}
        assert "entity/org/eacn.html" not in {h for h, _k in labelled["shown"]}
        assert "kind=cluster" in labelled["hash"] and "level=Bronze" in labelled["hash"]
        url = page.url
    finally:
        page.close()
    assert errors == []
    again = browser.new_page()
    try:
        again.goto(url, wait_until="load")
        again.wait_for_selector("#facet-results li")
        shared = _facet_state(again)
        assert again.is_checked('input[data-facet="level"][value="Bronze"]')
    finally:
        again.close()
    assert shared["shown"] == labelled["shown"]


def test_facets_by_network_and_sector(browser, site_build):
    chosen = "entities.html#network=European+Automotive+Cluster+Network"
    page, errors = open_page(browser, site_build, chosen)
    try:
        page.wait_for_selector("#facet-results li")
        found = _facet_state(page)
    finally:
        page.close()
    assert errors == []
    assert "entity/org/ftd-lt.html" in {h for h, _k in found["shown"]}
    assert any(key.startswith("sector=") for key in found["values"])
    assert any(key.startswith("source=") for key in found["values"])


INFERENCE = """
SELECT ?note WHERE {
  GRAPH ?g {
    <https://w3id.org/clustergraph/id/post/lcn-president-bagusinskas>
      <https://w3id.org/clustergraph/ontology#heldDuring> ?span .
    ?span <https://w3id.org/clustergraph/ontology#inferenceNote> ?note }
}"""


def test_pages_mark_guesses_and_say_what_is_missing(browser, site_build, store):
    note = " ".join(store.query(INFERENCE).rows[0][0].value.split())
    page, errors = open_page(browser, site_build, "entity/org/lcn.html")
    try:
        facts = page.evaluate(
            "Object.fromEntries(Array.from(document.querySelectorAll('.key-facts dt'),"
            " dt => [dt.textContent.trim(), dt.nextElementSibling.innerText]))"
        )
        hints = page.evaluate(
            "Array.from(document.querySelectorAll('.key-facts dd span[title]'),"
            " s => [s.textContent, s.title])"
        )
        reasons = page.inner_text(".key-facts .inferred")
    finally:
        page.close()
    assert errors == []
    assert "since 27 May 2020, inferred" in facts["Led by"]  # the date is the curator's
    assert [note] == [t for text, t in hints if text.startswith("inferred") and t == note][:1]
    assert note in reasons  # the reason, not only on hover
    assert "57 member clusters" in facts["Figures"]
    assert "not named in the sources" in facts["Figures"]
    page, _errors = open_page(browser, site_build, "entity/org/litek.html")
    try:
        labels = page.evaluate(
            "Array.from(document.querySelectorAll('.key-facts dt'))"
            ".find(dt => dt.textContent.trim() === 'Labels').nextElementSibling.innerText"
        )
    finally:
        page.close()
    assert "Bronze label" in labels and "date not stated" in labels


OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


def test_a_view_leads_to_the_pages_and_back_and_tells_kinds_apart(browser, site_build):
    page, errors = open_page(browser, site_build, "views/ecosystem.html")
    try:
        page.wait_for_function("window.cgView && window.cgView.ready")
        data = page.evaluate("window.cgView.data")
        at = data["nodes"]["id"].index("https://w3id.org/clustergraph/id/org/lcn")
        page.evaluate(
            f"window.cgView.network.body.emitter.emit('click', {{nodes: [{at}], edges: []}})"
        )
        link = page.get_attribute("#cg-details a.cg-page-link", "href")
        back = page.evaluate(
            "Array.from(document.querySelectorAll('a.cg-link'))"
            ".filter(a => /site/.test(a.textContent)).map(a => a.getAttribute('href'))"
        )
        legend = page.evaluate("document.querySelectorAll('#cg-legend li').length")
        with page.expect_navigation():
            page.click("#cg-details a.cg-page-link")
        landed = page.url
    finally:
        page.close()
    assert errors == []
    assert link == "../entity/org/lcn.html" and landed.endswith("/entity/org/lcn.html")
    assert back == ["../index.html"]
    colour = {c["name"]: c["color"] for c in data["classes"]}
    kinds = ["cg:Cluster", "cg:ClusterNetwork", "cg:Company", "foaf:Person"]
    assert len({colour[k] for k in kinds}) == len(kinds)  # told apart by colour
    assert {colour[k] for k in kinds} <= OKABE_ITO
    assert legend == len(data["classes"])


WORD_RECTS = """word => {
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const counts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    let at = n.data.indexOf(word);
    while (at >= 0) {
      const r = document.createRange();
      r.setStart(n, at); r.setEnd(n, at + word.length);
      counts.push(Array.from(r.getClientRects()).filter(b => b.width > 0).length);
      at = n.data.indexOf(word, at + 1);
    }
  }
  return counts;
}"""


def test_phone_pages_keep_the_header_small_the_timeline_whole_and_words_unbroken(
    browser, site_build
):
    page, errors = open_page(browser, site_build, "timeline.html", "phone")
    try:
        header = page.evaluate("document.querySelector('.site-header').offsetHeight")
        cells = page.evaluate(
            "Array.from(document.querySelector('table.timeline tbody tr').cells,"
            " c => { const b = c.getBoundingClientRect(); return [b.left, b.right, b.width]; })"
        )
    finally:
        page.close()
    assert errors == []
    assert header <= 844 * 0.12, header  # not a quarter of the screen
    assert len(cells) == 5
    for left, right, width in cells:  # what, entity and article in view, not only the date
        assert width > 0 and left >= 0 and right <= 390
    for rel in (
        "entity/org/litek.html",
        "query/excellence-labels.html",
        "entities.html#level=Bronze",
    ):
        page, errors = open_page(browser, site_build, rel, "phone")
        try:
            page.wait_for_timeout(100)
            rects = page.evaluate(WORD_RECTS, "Bronze")
        finally:
            page.close()
        shown = [n for n in rects if n]  # 0: hidden (a folded facet)
        assert shown and set(shown) == {1}, (rel, rects)  # never "Bronz" / "e"


def test_the_home_page_counts_as_the_build_does_and_an_article_has_one_title(site_build, store):
    from clustergraph.pipeline.derive import DERIVED_DATASET
    from clustergraph.project.layout import ACROSS_SOURCES_GRAPH

    summary = store.query(
        f"SELECT ?n WHERE {{ GRAPH <{ACROSS_SOURCES_GRAPH}> {{ <{DERIVED_DATASET}> "
        "<http://rdfs.org/ns/void#triples> ?n } }"
    ).rows
    home = (site_build.site / "index.html").read_text(encoding="utf-8")
    shown = re.search(r"<strong>([\d,]+)</strong> derived triples", home)
    assert shown is not None and int(shown[1].replace(",", "")) == int(summary[0][0].value)
    page = (site_build.site / "entity/source/ftd-lt-joins-eacn.html").read_text(encoding="utf-8")
    title = re.search(r"<h1>(.*?)</h1>", page)[1]
    cited = re.findall(
        r'href="(?:\.\./)*entity/source/ftd-lt-joins-eacn\.html"[^>]*>([^<]*)<', home
    )
    assert cited and set(cited) == {title}  # the same title where it is cited


def test_a_facet_counts_the_things_it_has_no_value_for(browser, site_build):
    """Bronze and Lithuania: a cluster whose country no article states is not dropped unsaid.

    FTD LT holds a (renewed) Bronze label and its article names no country: ticking
    Lithuania leaves it out, and the Country facet keeps saying so ("not stated"), which
    can be ticked too.
    """
    page, errors = open_page(browser, site_build, "entities.html#level=Bronze")
    try:
        page.wait_for_selector("#facet-results li")
        bronze = _facet_state(page)
        unstated = bronze["values"]["country=not stated"]
        assert unstated >= 1 and "entity/org/ftd-lt.html" in {h for h, _k in bronze["shown"]}
        last = page.evaluate(
            "Array.from(document.querySelectorAll('input[data-facet=\"country\"]')).pop().value"
        )
        assert last == "not stated"  # after the values, whatever the counts
        _tick(page, "country", "Lithuania")
        lithuanian = _facet_state(page)
        assert "entity/org/ftd-lt.html" not in {h for h, _k in lithuanian["shown"]}
        assert lithuanian["values"]["country=not stated"] == unstated  # still told
        _tick(page, "country", "not stated")
        either = _facet_state(page)
        assert "entity/org/ftd-lt.html" in {h for h, _k in either["shown"]}
        assert either["total"] == lithuanian["total"] + unstated
        assert "country=not stated" in either["hash"].replace("+", " ")
    finally:
        page.close()
    assert errors == []


def _key_facts(page) -> dict[str, str]:
    return page.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('.key-facts dt'),"
        " dt => [dt.textContent.trim(), dt.nextElementSibling.innerText]))"
    )


def test_a_label_says_who_awarded_it_or_that_nobody_says(browser, site_build):
    """FTD LT's renewed label names no awarding body; ESCA's page lists the labels it gave."""
    page, errors = open_page(browser, site_build, "entity/org/ftd-lt.html")
    try:
        ftd = _key_facts(page)
        page.goto((site_build.site / "entity/org/esca.html").resolve().as_uri())
        esca = _key_facts(page)
    finally:
        page.close()
    assert errors == []
    assert "awarding body and date not stated" in ftd["Labels"], ftd["Labels"]
    assert "renewal" in ftd["Labels"]
    given = esca["Labels awarded"]
    assert "Bronze label to LITEK Laser & Engineering Technologies Cluster" in given, given
    assert "FTD LT" not in given
