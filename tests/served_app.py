"""The running app for browser tests and the README's screenshots: ``citra serve`` on a free
127.0.0.1 port against a given database, and Debian's headless Chromium driven by Playwright.

Not a test module. The fixtures built on it (``browser``, ``demo_app_url``) are in
``conftest.py``; ``docs/screenshots/take_screenshots.py`` uses it too.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps knocking on this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What every browser test module marks itself with.
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed"),
]
# Streamlit's run is over once its status widget has gone.
RUN_FINISHED = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(db_file: Path, log_file: Path | None = None, start_timeout: float = 60) -> Iterator[str]:
    """``citra serve`` against ``db_file`` until the block ends; yields the app's URL once its
    health check answers. The server's output goes to ``log_file`` (or nowhere)."""
    port = free_port()
    log = log_file.open("w") if log_file else subprocess.DEVNULL
    server = subprocess.Popen(
        [sys.executable, "-m", "citra", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "CITRA_DB": str(db_file)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"citra serve did not start; see {log_file or 'its output'}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        if log_file:
            log.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, with no connection of its own to the outside."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def settle(tab: Any, pause_ms: int = 800, timeout_ms: int = 30_000) -> None:
    """Wait for the page's title, the end of Streamlit's run, and then ``pause_ms`` for the
    charts to draw."""
    tab.wait_for_selector("h1", timeout=timeout_ms)
    tab.wait_for_function(RUN_FINISHED, timeout=timeout_ms)
    tab.wait_for_timeout(pause_ms)
