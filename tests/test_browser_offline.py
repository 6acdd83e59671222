"""No request leaves 127.0.0.1: the running app in headless Chromium fetches every script,
style, font, icon and image from its own server (issue 17: no third-party font or icon server,
no tracking pixel from the data).

Uses the server and browser of ``tests/test_browser.py`` (a demo database on a free port).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.test_browser import CHROMIUM, PAGES, app_url, browser  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed"),
]
LOCAL = {"127.0.0.1", "localhost"}


def test_no_page_makes_a_request_to_another_host(app_url: str, browser) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []

    def watch(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL:
            outside.append(request.url)

    context.on("request", watch)
    try:
        for page in [*PAGES, "privasi"]:
            tab = context.new_page()
            joiner = "&" if "?" in page else "?"
            tab.goto(f"{app_url}/{page}{joiner}lang=id", wait_until="networkidle")
            tab.wait_for_selector("h1", timeout=30_000)
            tab.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=30_000,
            )
            tab.wait_for_timeout(700)
            tab.close()
    finally:
        context.close()
    assert outside == [], sorted(set(outside))
