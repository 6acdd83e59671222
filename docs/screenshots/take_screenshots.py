"""Take the README's screenshots of Mentions, Members, Narratives and the Overview at 1400 and 390 px.

    python docs/screenshots/take_screenshots.py [--out docs/screenshots]

Builds the demo database in a temporary folder, starts ``citra serve`` on a free 127.0.0.1
port against it, and drives Debian's headless Chromium (/usr/bin/chromium) through Playwright,
as ``tests/test_browser.py`` does. The Mentions shot searches "SHU terlambat" and opens the
first mention found, so the marked matches show. Each page is shot at the full height of its
content (Streamlit scrolls inside its own container, so the window is made that tall first).
Nothing reaches the internet.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from citra import pipeline, store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WIDTHS = (1400, 390)
MAX_HEIGHT = 6000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settle(tab) -> None:
    """Wait for the page's title, the end of Streamlit's run, and the charts to draw."""
    tab.wait_for_selector("h1", timeout=60_000)
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    tab.wait_for_timeout(1500)


def shoot(tab, path: Path, width: int) -> None:
    height = tab.evaluate(
        "() => Math.max(...[...document.querySelectorAll('section, [data-testid=stMain]')]"
        ".map(e => e.scrollHeight))"
    )
    tab.set_viewport_size({"width": width, "height": min(int(height), MAX_HEIGHT)})
    tab.wait_for_timeout(1500)
    tab.screenshot(path=str(path))
    tab.set_viewport_size({"width": width, "height": 1000})
    # 256 colours: a screenshot of a light UI loses nothing visible and weighs far less.
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(256).save(path, optimize=True)


def mentions(tab, url: str) -> None:
    tab.goto(f"{url}/sebutan?lang=id&range=this_year", wait_until="networkidle")
    settle(tab)
    search = tab.get_by_role("textbox", name="Pencarian")
    search.fill("SHU terlambat")
    search.press("Enter")
    settle(tab)
    grid = tab.locator('[data-testid="stDataFrame"]').first.bounding_box()
    # The first row's selector: below the header row, in the first column.
    tab.mouse.click(grid["x"] + 20, grid["y"] + 36 + 42)
    settle(tab)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="citra-shots-") as folder:
        db_file = Path(folder) / "demo.db"
        db = store.open_db(db_file)
        pipeline.seed_demo(db)
        db.close()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "citra", "serve", "--port", str(port)],
            cwd=ROOT,
            env={**os.environ, "CITRA_DB": str(db_file)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("citra serve did not start")
                time.sleep(0.3)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                for width in WIDTHS:
                    tab = browser.new_page(viewport={"width": width, "height": 1000})
                    mentions(tab, url)
                    shoot(tab, out / f"mentions-{width}.png", width)
                    for name, path in (
                        ("members", "anggota"),
                        ("narratives", "narasi"),
                        ("overview", ""),
                    ):
                        tab.goto(f"{url}/{path}?lang=id", wait_until="networkidle")
                        settle(tab)
                        shoot(tab, out / f"{name}-{width}.png", width)
                    tab.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    for path in sorted(out.glob("*-*.png")):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
