"""The running app in headless Chromium: every page opens without an error box.

Starts ``python -m citra serve`` on a free 127.0.0.1 port against a temporary demo database
and drives Debian's Chromium through Playwright. Screenshots go to a temporary folder, and to
``$CITRA_SCREENSHOTS`` when that is set. Marked ``browser``; skipped when /usr/bin/chromium is
missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from citra import pipeline, store
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
# The default page (Ringkasan, the Overview) lives at the root; the others at their url_path.
# "sebutan?mention=1" opens one mention's detail (why this label, the label correction).
PAGES = ["", "sebutan", "sebutan?mention=1", "topik", "pesaing", "kehadiran", "pengaturan", "start"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    db_file = folder / "demo.db"
    db = store.open_db(db_file)
    pipeline.seed_demo(db)
    db.close()
    port = free_port()
    env = {**os.environ, "CITRA_DB": str(db_file)}
    log = (folder / "streamlit.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "citra",
            "serve",
            "--port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail(f"streamlit did not start; see {folder / 'streamlit.log'}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def app(app_url: str) -> str:
    return app_url


def test_a_deep_link_right_after_the_start_opens_its_page(app_url: str, browser) -> None:
    """The first visit of a freshly started server is a bookmarked deep link: no "Page not
    found" dialog (Streamlit's old pages/ folder routing), the Mentions page itself."""
    tab = browser.new_page()
    try:
        tab.goto(f"{app_url}/sebutan?lang=id", wait_until="networkidle")
        tab.wait_for_selector("h1", timeout=30_000)
        tab.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
        )
        assert tab.get_by_text("Page not found").count() == 0
        assert tab.locator("h1").first.inner_text() == "Sebutan"
    finally:
        tab.close()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "ringkasan")
def test_page_opens_without_error(app: str, browser, page: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    try:
        joiner = "&" if "?" in page else "?"
        tab.goto(f"{app}/{page}{joiner}lang=id", wait_until="networkidle")
        tab.wait_for_selector("h1", timeout=30_000)
        # Let Streamlit finish the run (the status widget disappears) and charts draw.
        tab.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
        )
        tab.wait_for_timeout(700)
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
