"""No request leaves 127.0.0.1: the running app in headless Chromium fetches every script,
style, font, icon and image from its own server (issue 17: no third-party font or icon server,
no tracking pixel from the data).

Uses conftest's demo server and browser (``tests/served_app.py``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from served_app import BROWSER_TESTS, settle
from test_browser import PAGES

pytestmark = BROWSER_TESTS
LOCAL = {"127.0.0.1", "localhost"}


def test_no_page_makes_a_request_to_another_host(demo_app_url: str, browser) -> None:
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
            tab.goto(f"{demo_app_url}/{page}{joiner}lang=id", wait_until="networkidle")
            settle(tab, pause_ms=700)
            tab.close()
    finally:
        context.close()
    assert outside == [], sorted(set(outside))
