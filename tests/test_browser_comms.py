"""The comms team's views in headless Chromium (issue 15): what a phone shows, filters kept
across a page switch, topic chips that fit, Indonesian formats as drawn.

Uses conftest's demo server and browser (``tests/served_app.py``).
Marked ``browser``; skipped when /usr/bin/chromium is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from served_app import BROWSER_TESTS, serve, settle

from citra import store

pytestmark = BROWSER_TESTS

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}


@pytest.fixture
def tab(browser, request) -> Iterator[object]:
    viewport = getattr(request, "param", DESKTOP)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def test_a_topic_opens_its_mentions_in_the_same_period(demo_app_url: str, tab) -> None:
    tab.goto(
        f"{demo_app_url}/topik?lang=id&range=this_year&platforms=news", wait_until="networkidle"
    )
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
def test_a_phone_reads_the_mentions_in_the_table(demo_app_url: str, tab) -> None:
    tab.goto(f"{demo_app_url}/sebutan?lang=id&range=this_year", wait_until="networkidle")
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
def test_a_phone_shows_the_page_without_sideways_scrolling(
    demo_app_url: str, tab, page: str
) -> None:
    joiner = "&" if "?" in page else "?"
    tab.goto(f"{demo_app_url}/{page}{joiner}lang=id", wait_until="networkidle")
    settle(tab)
    assert tab.locator('[data-testid="stException"]').count() == 0
    main = tab.locator('[data-testid="stMain"]')
    width = main.evaluate("(e) => e.scrollWidth")
    assert width <= PHONE["width"], width


@pytest.mark.parametrize("tab", [DESKTOP, PHONE], indirect=True, ids=["1400", "390"])
def test_topic_chips_stay_inside_their_column(demo_app_url: str, tab) -> None:
    tab.goto(f"{demo_app_url}/topik?lang=id&range=this_year", wait_until="networkidle")
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


def test_the_overview_chart_draws_indonesian_dates_and_numbers(demo_app_url: str, tab) -> None:
    tab.goto(f"{demo_app_url}/?lang=id&range=this_year", wait_until="networkidle")
    settle(tab)
    chart = tab.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".xtick text").first.wait_for(timeout=30_000)
    months = {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}
    x_ticks = chart.locator(".xtick text").all_text_contents()
    assert x_ticks and all(any(m in tick for m in months) for tick in x_ticks), x_ticks
    assert not {"May", "Aug", "Oct", "Dec"} & {w for tick in x_ticks for w in tick.split()}
    y_ticks = chart.locator(".ytick text").all_text_contents()
    assert y_ticks and not any("," in tick for tick in y_ticks), y_ticks  # 1.000, not 1,000


@pytest.fixture(scope="module")
def empty_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``citra serve`` on an empty install (no coop set up yet), started fresh."""
    folder = tmp_path_factory.mktemp("empty")
    db_file = folder / "empty.db"
    store.open_db(db_file).close()
    with serve(db_file, folder / "streamlit.log") as url:
        yield url


def test_a_cold_deep_link_to_start_on_an_empty_install(empty_app_url: str, tab) -> None:
    """The first visit after the server starts is /start on an install with no coop yet."""
    tab.goto(f"{empty_app_url}/start?lang=id", wait_until="networkidle")
    settle(tab)
    assert tab.get_by_text("Page not found").count() == 0
    assert tab.locator("h1").first.inner_text() == "Selamat datang di Citra"


def test_the_root_of_an_empty_install_opens_start(empty_app_url: str, tab) -> None:
    tab.goto(f"{empty_app_url}/?lang=id", wait_until="networkidle")
    settle(tab)
    assert tab.locator("h1").first.inner_text() == "Selamat datang di Citra"
    assert "/start" in tab.url
