"""The ecosystem view through time, in headless Chromium: the slider and its chart.

The site of the made-up source (``tests/fixtures/time/made-up-periods.ttl``) is built;
its ecosystem view is opened from disk, the slider is moved to each step and the nodes
drawn are counted against the actor network as of that day.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from clustergraph.build import build
from clustergraph.network.index import GraphIndex
from clustergraph.network.projections import project
from clustergraph.network.timeline import as_of
from clustergraph.pipeline.sync import sync
from clustergraph.store import open_store
from tests.support.browser import chromium_context
from tests.test_as_of import NETWORK_CASES, time_project_at

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GraphIndex]:
    project = time_project_at(tmp_path_factory.mktemp("time-site"))
    out = project.root / "build"
    build(project, out=out, stream=io.StringIO(), store="memory:")
    with open_store("memory:") as store:
        sync(project, store)
        index = GraphIndex.from_store(store)
    return out / "site", index


@pytest.mark.parametrize("size", [(1400, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_slider_redraws_the_network_as_of_each_step(
    site: tuple[Path, GraphIndex], tmp_path: Path, size: tuple[int, int]
) -> None:
    root, index = site
    page_path = root / "views" / "ecosystem.html"
    with chromium_context(
        tmp_path / "profile", viewport={"width": size[0], "height": size[1]}
    ) as c:
        page = c.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("() => window.cgView && window.cgView.ready", timeout=20_000)
        steps = page.evaluate("() => window.cgView.data.time.steps")
        assert steps[0] == "2012-12-31" and steps[-1] == "2021-12-31"
        total = page.evaluate("() => window.cgView.visibleNodes()")
        assert total == project(index, "actors").number_of_nodes()
        assert page.locator("#cg-time-slider").is_visible()
        assert page.locator("#cg-time-chart polyline").count() == 3
        before = page.evaluate("() => window.cgView.network.getPositions()")
        counts = {}
        for k, day in enumerate(steps):
            page.eval_on_selector(
                "#cg-time-slider",
                f"el => {{ el.value = '{k}'; el.dispatchEvent(new Event('input')); }}",
            )
            shown = page.evaluate("() => window.cgView.visibleNodes()")
            expected = project(as_of(index, date.fromisoformat(day)), "actors")
            assert shown == expected.number_of_nodes(), day
            assert page.evaluate("() => window.cgView.visibleEdges()") == expected.number_of_edges()
            assert page.locator("#cg-time-value").text_content() == f"as of {day}"
            counts[day] = shown
        first = NETWORK_CASES["actors"][0]
        assert counts[first["day"]] == len(first["nodes"])
        page.eval_on_selector(
            "#cg-time-slider", "el => { el.value = '-1'; el.dispatchEvent(new Event('input')); }"
        )
        assert page.evaluate("() => window.cgView.visibleNodes()") == total
        after = page.evaluate("() => window.cgView.network.getPositions()")
        assert after == before  # no reshuffling: every node keeps its place
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= size[0]
        assert errors == []
        assert all(r.startswith("file://") for r in requests)


def test_entity_page_lists_its_facts_in_time_order(site: tuple[Path, GraphIndex]) -> None:
    """The network's page: its founding, posts, memberships, labels, events, by period."""
    import re

    root, _index = site
    text = (root / "entity" / "org" / "tidewater-network.html").read_text(encoding="utf-8")
    start = text.index('id="through-time"')
    items = re.findall(r"<li><span class=\"period\">([^<]*)</span>", text[start:])
    expected = [
        "since 2015-03-10",
        "2015-03-10 – 2020-03-09",
        "2016-01-15 – 2019-06-30",
        "2017 – 2018",
        "2017-09 – 2019-08",
        "on 2018-05-05",
        "on 2018-10",
        "since 2018-11-20",
        "since 2019-02",
        "since 2020-03-10",
        "period not stated",
        "period not stated",
        "period not stated",
    ]
    assert items[: len(expected)] == expected
