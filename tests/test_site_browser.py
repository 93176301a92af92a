"""The explorer in a real headless Chromium, opened from disk with the network cut off.

The site is written from the session's store by :mod:`tests.support.site` (the
stages the build runs before it, then the views and the pages). One browser and one
tab crawl the whole site from ``index.html``: every page and every view is opened
(waiting for ``load`` only), every internal link and frame is followed and must exist
(anchors included), no page may raise an error or log one, and every request that is
not for a local file is recorded and aborted: there must be none.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from clustergraph.render.catalogue import entity_path
from clustergraph.store import SelectResult
from tests.support.browser import chromium_context
from tests.support.site import WrittenSite, write_whole_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # fails without Chromium

ENTITIES = """
SELECT DISTINCT ?entity WHERE {
  GRAPH ?g { ?entity a ?type . }
  FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), "https://w3id.org/clustergraph/id/"))
}
"""

LINKS = """() => {
  const out = [];
  for (const a of document.querySelectorAll('a[href]')) out.push(a.href);
  for (const f of document.querySelectorAll('iframe[src]')) out.push(f.src);
  for (const l of document.querySelectorAll('link[href]')) out.push(l.href);
  for (const s of document.querySelectorAll('script[src]')) out.push(s.src);
  return out;
}"""
IDS = "() => Array.from(document.querySelectorAll('[id]'), e => e.id)"


class Crawl:
    """What the crawl saw."""

    def __init__(self) -> None:
        self.visited: set[Path] = set()
        self.ids: dict[Path, set[str]] = {}
        self.anchors: list[tuple[Path, Path, str]] = []
        self.broken: list[tuple[Path, str]] = []
        self.outside: set[Path] = set()
        self.external_links: set[str] = set()
        self.errors: list[str] = []
        self.blocked: list[str] = []


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.fixture(scope="module")
def site_build(project, store, tmp_path_factory) -> WrittenSite:
    return write_whole_site(project, store, tmp_path_factory.mktemp("site") / "build")


@pytest.fixture(scope="module")
def crawl(browser, site_build) -> Crawl:
    site = site_build.site.resolve()
    seen = Crawl()

    def route(r):
        url = r.request.url
        if url.startswith(("file://", "data:")):
            r.continue_()
        else:
            seen.blocked.append(url)
            r.abort()

    browser.route("**/*", route)
    page = browser.new_page()
    current = {"path": None}
    page.on("pageerror", lambda e: seen.errors.append(f"{current['path']}: {e}"))
    page.on(
        "console",
        lambda m: (
            seen.errors.append(f"{current['path']}: console: {m.text}")
            if m.type == "error"
            else None
        ),
    )
    queue = deque([site / "index.html"])
    queued = {site / "index.html"}
    while queue:
        path = queue.popleft()
        current["path"] = path
        page.goto(path.as_uri(), wait_until="load")
        seen.visited.add(path)
        seen.ids[path] = set(page.evaluate(IDS))
        for href in page.evaluate(LINKS):
            url, fragment = urldefrag(href)
            parsed = urlparse(url)
            if parsed.scheme in ("http", "https"):
                seen.external_links.add(url)
                continue
            if parsed.scheme == "data":
                continue
            assert parsed.scheme == "file", href
            target = Path(unquote(parsed.path)).resolve()
            if not target.is_file():
                seen.broken.append((path, href))
                continue
            if fragment:
                seen.anchors.append((path, target, fragment))
            if site not in target.parents:
                seen.outside.add(target)  # downloads beside the site: exist, not opened
                continue
            if target.suffix == ".html" and target not in queued:
                queued.add(target)
                queue.append(target)
    page.close()
    browser.unroute("**/*")
    return seen


def test_no_page_error_and_no_request_leaves_the_machine(crawl):
    assert crawl.errors == []
    assert crawl.blocked == []


def test_no_broken_internal_link(crawl, site_build):
    assert crawl.broken == []
    missing = [
        (page.name, target.name, fragment)
        for page, target, fragment in crawl.anchors
        if target in crawl.ids and fragment not in crawl.ids[target] and "=" not in fragment
    ]  # a fragment with "=" carries the workbench's state (a query and its values)
    assert missing == []
    # The site is self-contained: nothing it links to is outside it, downloads included.
    assert crawl.outside == set()
    downloads = site_build.site / "downloads"
    assert {p.name for p in downloads.iterdir()} >= {"exports", "analysis", "queries"}


def test_every_page_and_view_is_reachable(crawl, site_build):
    site = site_build.site.resolve()
    written = {p.resolve() for p in site.rglob("*.html")}
    assert written - crawl.visited == set()
    pages = {p for p in crawl.visited if "views" not in p.relative_to(site).parts}
    assert len(pages) == site_build.summary.pages
    assert len(crawl.visited) == site_build.summary.pages + site_build.summary.views


def test_an_entity_page_for_every_entity(crawl, site_build, store):
    site = site_build.site.resolve()
    result = store.query(ENTITIES)
    assert isinstance(result, SelectResult)
    entities = {row[0].value for row in result.rows if row[0] is not None}
    assert len(entities) > 150
    pages = {(site / entity_path(e)).resolve() for e in entities}
    assert pages - crawl.visited == set()


def test_timeline_is_in_order(browser, site_build):
    page = browser.new_page()
    try:
        page.goto((site_build.site / "timeline.html").resolve().as_uri(), wait_until="load")
        rows = page.evaluate(
            """() => Array.from(document.querySelectorAll('tr[data-order]'), tr => [
                 tr.dataset.order, tr.querySelector('td.date').textContent.trim()])"""
        )
        keys = [(int(order.split("|", 1)[0]), order.split("|", 1)[1]) for order, _text in rows]
        assert len(keys) > 15 and keys == sorted(keys)
        dated = [text for (known, _k), (_o, text) in zip(keys, rows, strict=True) if known == 0]
        years = [int(re.findall(r"\d{4}", text)[-1]) for text in dated]
        assert years == sorted(years)
        assert rows[-1][1] == "6 June, year not stated"
    finally:
        page.close()


def test_keyboard_and_phone(browser, site_build):
    page = browser.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        for rel in ("index.html", "entity/org/ftd-lt.html", "timeline.html", "ontology.html"):
            page.goto((site_build.site / rel).resolve().as_uri(), wait_until="load")
            # Nothing wider than a phone's screen: wide tables scroll inside their box.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), rel
            # The first Tab reaches the skip link, which leads to the main content.
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent") == "Skip to content"
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "main", rel
    finally:
        page.close()


def test_the_network_trap_catches_requests(browser, tmp_path):
    """The crawl's trap is real: a page asking for a remote file is caught and blocked."""
    page_file = tmp_path / "leaky.html"
    page_file.write_text('<img src="http://example.invalid/x.png">', encoding="utf-8")
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    browser.route("**/*", route)
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri(), wait_until="load")
    finally:
        page.close()
        browser.unroute("**/*")
    assert blocked == ["http://example.invalid/x.png"]
