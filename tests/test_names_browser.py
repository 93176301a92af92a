"""Names in the site and the views, in a real headless Chromium opened from disk.

A name of 132,000 letters with no space (``tests/files/names/good/long-name.ttl``) wraps
on every page that shows it: no page scrolls sideways, and the words of the other
names on those pages are not broken. A view's own search box finds a name typed in
NFD (``names/good/unicode-names.ttl``).
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest

from clustergraph.build import build
from tests.support.browser import chromium_context
from tests.test_names import NAMES, project_with

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTH = 1280

# Words (runs of letters, digits and marks) of at most 30 characters drawn on two lines,
# outside code (identifiers in code elements may break anywhere, as the style sheet says).
_BROKEN_WORDS = r"""() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (node.parentElement.closest("code")) continue;  // code breaks anywhere by design
    const text = node.textContent, re = /[\p{L}\p{N}\p{M}]+/gu;
    let m;
    while ((m = re.exec(text))) {
      if (m[0].length < 2 || m[0].length > 30) continue;
      const r = document.createRange();
      r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(r.getClientRects()).filter(x => x.width > 0)
        .map(x => Math.round(x.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("names-site")
    project = project_with(
        root / "p", NAMES / "good" / "long-name.ttl", NAMES / "good" / "unicode-names.ttl"
    )
    build(project, out=root / "build", stream=io.StringIO(), store="memory:")
    return root / "build" / "site"


def test_a_long_word_wraps_on_every_page_that_shows_it(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    word = "Klasteris" * 100
    pages = sorted(
        p for p in site.rglob("*.html") if word in p.read_text(encoding="utf-8", errors="replace")
    )
    assert len(pages) >= 4, pages  # the entity's page, the list of entities, the analysis, ...
    page = browser.new_page()
    wide, broken = [], []
    for path in pages:
        page.goto(path.resolve().as_uri())
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > WIDTH:
            wide.append((path.relative_to(site).as_posix(), width))
        if "/views/" not in path.as_posix():
            broken += page.evaluate(_BROKEN_WORDS)
    page.close()
    assert wide == []
    assert broken == []  # other names keep their words whole


def test_a_views_search_box_finds_a_name_typed_in_nfd(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    view = site / "views" / "ecosystem.html"
    page = browser.new_page()
    page.goto(view.resolve().as_uri())
    page.wait_for_function("() => window.cgView && window.cgView.ready", timeout=20_000)
    for typed in ("Šiaulių", unicodedata.normalize("NFD", "Šiaulių"), "siauliu"):
        page.fill("#cg-search", typed)
        results = page.evaluate("() => document.querySelector('#cg-results').textContent")
        assert "Šiaulių klasteris" in results, (ascii(typed), results)
    page.close()
