"""Take the README's screenshots of Mentions, Members, Narratives and the Overview at 1400 and 390 px.

    python docs/screenshots/take_screenshots.py [--out docs/screenshots]

Builds the demo database in a temporary folder, starts ``citra serve`` on a free 127.0.0.1
port against it, and drives Debian's headless Chromium (/usr/bin/chromium) through Playwright,
with the browser tests' own helpers (``tests/served_app.py``). The Mentions shot searches "SHU terlambat" and opens the
first mention found, so the marked matches show. Each page is shot at the full height of its
content (Streamlit scrolls inside its own container, so the window is made that tall first).
Nothing reaches the internet.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from citra import pipeline, store  # noqa: E402
from tests.served_app import chromium, serve  # noqa: E402
from tests.served_app import settle as settle_run  # noqa: E402

WIDTHS = (1400, 390)
MAX_HEIGHT = 6000


def settle(tab) -> None:
    """Streamlit's run finished and the charts drawn, with time to spare on a busy machine."""
    settle_run(tab, pause_ms=1500, timeout_ms=60_000)


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
    with tempfile.TemporaryDirectory(prefix="citra-shots-") as folder:
        db_file = Path(folder) / "demo.db"
        db = store.open_db(db_file)
        pipeline.seed_demo(db)
        db.close()
        with serve(db_file) as url, chromium() as browser:
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
    for path in sorted(out.glob("*-*.png")):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
