"""Logging in to the running app in headless Chromium (issue 17).

``citra serve`` on a free 127.0.0.1 port against a small demo database with two users: a deep
link opens the login, the right password opens that very page, the sidebar names the user and
logs out. Marked ``browser``; skipped when /usr/bin/chromium is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from served_app import BROWSER_TESTS, serve, settle

from citra import access, auth, pipeline, store
from citra.access import ADMIN, VIEWER, Actor
from citra.store import users

PASSWORD = "kata sandi yang panjang"

pytestmark = BROWSER_TESTS


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser_login")
    db_file = folder / "demo.db"
    db = store.open_db(db_file)
    with access.acting(Actor("setup", ADMIN)):
        pipeline.seed_demo(db, scale=0.05)
        users.add_user(db, "ana", ADMIN, auth.hash_password(PASSWORD))
        users.add_user(db, "rina", VIEWER, auth.hash_password(PASSWORD))
    db.close()
    with serve(db_file, folder / "streamlit.log") as url:
        yield url


def heading(tab) -> str:
    return tab.locator("h1").first.inner_text()


def log_in(tab, name: str, password: str) -> None:
    tab.get_by_label("Nama pengguna").fill(name)
    tab.get_by_label("Kata sandi").fill(password)
    tab.get_by_role("button", name="Masuk").click()
    tab.wait_for_timeout(500)
    settle(tab, pause_ms=500)


def test_a_deep_link_logs_in_to_its_page_and_logs_out(app_url: str, browser) -> None:
    tab = browser.new_page()
    try:
        tab.goto(f"{app_url}/sebutan?lang=id", wait_until="networkidle")
        settle(tab, pause_ms=500)
        assert heading(tab) == "Masuk ke Citra"
        assert tab.get_by_text("Page not found").count() == 0
        assert tab.get_by_text("Periode").count() == 0  # no data before the login
        log_in(tab, "ana", "bukan kata sandinya")
        assert tab.get_by_text("Nama pengguna atau kata sandi salah.").count() == 1
        log_in(tab, "ana", PASSWORD)
        tab.wait_for_function(
            "() => document.querySelector('h1')?.innerText === 'Sebutan'", timeout=30_000
        )
        assert tab.get_by_text("Page not found").count() == 0
        assert tab.get_by_text("Masuk sebagai ana (admin)").count() == 1
        tab.get_by_role("button", name="Keluar").click()
        tab.wait_for_function(
            "() => document.querySelector('h1')?.innerText === 'Masuk ke Citra'", timeout=30_000
        )
    finally:
        tab.close()


def test_a_viewer_has_no_settings_in_the_navigation(app_url: str, browser) -> None:
    tab = browser.new_page()
    try:
        tab.goto(f"{app_url}/?lang=id", wait_until="networkidle")
        settle(tab, pause_ms=500)
        log_in(tab, "rina", PASSWORD)
        tab.wait_for_function(
            "() => document.querySelector('h1')?.innerText === 'Ringkasan'", timeout=30_000
        )
        navigation = tab.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Sebutan" in navigation
        assert "Pengaturan" not in navigation and "Sumber" not in navigation
    finally:
        tab.close()


def test_a_reload_keeps_the_login_and_a_logout_ends_it(app_url: str, browser) -> None:
    """The board's laptop: log in, reload the page (or open another tab), still logged in; log
    out, reload, the login page. The browser keeps only a random token, for this site."""
    context = browser.new_context()
    tab = context.new_page()
    try:
        tab.goto(f"{app_url}/?lang=id", wait_until="networkidle")
        settle(tab, pause_ms=500)
        log_in(tab, "ana", PASSWORD)
        tab.wait_for_function(
            "() => document.querySelector('h1')?.innerText === 'Ringkasan'", timeout=30_000
        )
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["citra_session"]["sameSite"] == "Strict"
        assert "ana" not in cookies["citra_session"]["value"]
        tab.reload(wait_until="networkidle")
        settle(tab, pause_ms=500)
        tab.wait_for_function(
            "() => document.querySelector('h1')?.innerText === 'Ringkasan'", timeout=30_000
        )
        assert tab.get_by_text("Masuk sebagai ana (admin)").count() == 1
        other = context.new_page()
        other.goto(f"{app_url}/sebutan?lang=id", wait_until="networkidle")
        settle(other, pause_ms=500)
        other.wait_for_function(
            "() => document.querySelector('h1')?.innerText === 'Sebutan'", timeout=30_000
        )
        other.close()
        tab.get_by_role("button", name="Keluar").click()
        tab.wait_for_function(
            "() => document.querySelector('h1')?.innerText === 'Masuk ke Citra'", timeout=30_000
        )
        tab.wait_for_timeout(500)
        assert "citra_session" not in {c["name"] for c in context.cookies()}
        tab.reload(wait_until="networkidle")
        settle(tab, pause_ms=500)
        tab.wait_for_function(
            "() => document.querySelector('h1')?.innerText === 'Masuk ke Citra'", timeout=30_000
        )
    finally:
        context.close()
