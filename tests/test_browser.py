"""The running app in headless Chromium: every page opens without an error box.

The demo server and the browser are conftest's (``tests/served_app.py`` starts them). Screenshots go to a temporary folder, and to
``$CITRA_SCREENSHOTS`` when that is set. Marked ``browser``; skipped when /usr/bin/chromium is
missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from served_app import BROWSER_TESTS, serve, settle

from citra import pipeline, store

# The default page (Ringkasan, the Overview) lives at the root; the others at their url_path.
# "sebutan?mention=1" opens one mention's detail (why this label, the label correction).
PAGES = ["", "sebutan", "sebutan?mention=1", "topik", "pesaing", "kehadiran", "pengaturan", "start"]

pytestmark = BROWSER_TESTS


@pytest.fixture(scope="module")
def fresh_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server nobody has visited yet, on a small demo database."""
    folder = tmp_path_factory.mktemp("fresh")
    db_file = folder / "demo.db"
    db = store.open_db(db_file)
    pipeline.seed_demo(db, scale=0.05)
    db.close()
    with serve(db_file, folder / "streamlit.log") as url:
        yield url


def test_a_deep_link_right_after_the_start_opens_its_page(fresh_app_url: str, browser) -> None:
    """The first visit of a freshly started server is a bookmarked deep link: no "Page not
    found" dialog (Streamlit's old pages/ folder routing), the Mentions page itself."""
    tab = browser.new_page()
    try:
        tab.goto(f"{fresh_app_url}/sebutan?lang=id", wait_until="networkidle")
        settle(tab, pause_ms=0)
        assert tab.get_by_text("Page not found").count() == 0
        assert tab.locator("h1").first.inner_text() == "Sebutan"
    finally:
        tab.close()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "ringkasan")
def test_page_opens_without_error(demo_app_url: str, browser, page: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    try:
        joiner = "&" if "?" in page else "?"
        tab.goto(f"{demo_app_url}/{page}{joiner}lang=id", wait_until="networkidle")
        settle(tab, pause_ms=700)
        errors = tab.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
        assert tab.get_by_text("Page not found").count() == 0
        shot = tmp_path / f"{(page or 'ringkasan').replace('?', '-').replace('=', '-')}.png"
        tab.screenshot(path=str(shot), full_page=True)
        if target := os.environ.get("CITRA_SCREENSHOTS"):
            Path(target).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(target) / shot.name)
        assert errors.count() == 0, errors.first.inner_text()
        assert "data demo" in tab.locator('[data-testid="stAlert"]').first.inner_text()
        # The shared filters are in the sidebar (dashboard.py ran, not the page on its own).
        assert tab.get_by_text("Periode").count() >= 1
    finally:
        context.close()
