"""The comms team's views in headless Chromium (issue 15): what a phone shows, filters kept
across a page switch, topic chips that fit, Indonesian formats as drawn.

Uses ``tests/test_browser.py``'s server (``citra serve`` on a demo database) and browser.
Marked ``browser``; skipped when /usr/bin/chromium is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import test_browser as shared

pytestmark = shared.pytestmark
app_url = shared.app_url
browser = shared.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}


def settle(tab) -> None:
    """Wait for the page's title, the end of Streamlit's run, and the charts to draw."""
    tab.wait_for_selector("h1", timeout=30_000)
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    tab.wait_for_timeout(800)


@pytest.fixture
def tab(browser, request) -> Iterator[object]:
    viewport = getattr(request, "param", DESKTOP)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def test_a_topic_opens_its_mentions_in_the_same_period(app_url: str, tab) -> None:
    tab.goto(f"{app_url}/topik?lang=id&range=this_year&platforms=news", wait_until="networkidle")
    settle(tab)
    # The first chip of the negative column.
    tab.locator('[data-testid="stButtonGroup"]').nth(1).locator("button").first.click()
    settle(tab)
    assert tab.locator("h1").first.inner_text() == "Sebutan"
    assert "range=this_year" in tab.url and "platforms=news" in tab.url
    assert tab.get_by_role("combobox", name="Periode").input_value() == "Tahun ini"
    sidebar = tab.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("Berita").count() >= 1  # the platform chosen
    main = tab.locator('[data-testid="stMain"]')
    assert main.get_by_text("Negatif", exact=True).count() >= 1  # the column's sentiment


@pytest.mark.parametrize("tab", [PHONE], indirect=True)
def test_a_phone_reads_the_mentions_in_the_table(app_url: str, tab) -> None:
    tab.goto(f"{app_url}/sebutan?lang=id&range=this_year", wait_until="networkidle")
    settle(tab)
    grid = tab.locator('[data-testid="stDataFrame"]').first
    box = grid.locator("canvas").first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # The grid's accessible copy holds the cells it draws in view: the mention's words lead.
    assert grid.locator('[role="columnheader"]').first.inner_text() == "Sebutan"
    first = grid.locator('[role="gridcell"][aria-colindex="1"]').first.inner_text()
    assert len(first) > 20 and "KSP" in first


@pytest.mark.parametrize("tab", [PHONE], indirect=True)
@pytest.mark.parametrize(
    "page", ["", "sebutan?mention=1", "anggota"], ids=["ringkasan", "sebutan", "anggota"]
)
def test_a_phone_shows_the_page_without_sideways_scrolling(app_url: str, tab, page: str) -> None:
    joiner = "&" if "?" in page else "?"
    tab.goto(f"{app_url}/{page}{joiner}lang=id", wait_until="networkidle")
    settle(tab)
    assert tab.locator('[data-testid="stException"]').count() == 0
    main = tab.locator('[data-testid="stMain"]')
    width = main.evaluate("(e) => e.scrollWidth")
    assert width <= PHONE["width"], width


@pytest.mark.parametrize("tab", [DESKTOP, PHONE], indirect=True, ids=["1400", "390"])
def test_topic_chips_stay_inside_their_column(app_url: str, tab) -> None:
    tab.goto(f"{app_url}/topik?lang=id&range=this_year", wait_until="networkidle")
    settle(tab)
    groups = tab.locator('[data-testid="stButtonGroup"]')
    assert groups.count() == 3
    for i in range(groups.count()):
        group = groups.nth(i)
        right = group.bounding_box()["x"] + group.bounding_box()["width"]
        chips = group.locator("button")
        assert chips.count() >= 5
        for j in range(chips.count()):
            box = chips.nth(j).bounding_box()
            assert box["x"] + box["width"] <= right + 1, chips.nth(j).inner_text()
    assert tab.get_by_text("skor z").count() == 0
