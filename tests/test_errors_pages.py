"""Real failures shown on pages in the Indonesian UI are Indonesian: a malformed import file, a
feed that fails, refused settings. Each shown text must be the catalogue's msgstr, filled, and
not the English msgid."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.feeds.server import FeedServer
from streamlit.testing.v1 import AppTest

from citra import store
from citra.i18n import catalogue, translate
from citra.sentiment.training import MIN_ROWS, MSG_TOO_FEW
from citra.store.organisations import set_profile
from pages import sources_imports
from tests.conftest import ROOT

# Every test starts with empty Streamlit caches (conftest).
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def indonesian(template: str, **values: object) -> str:
    """What the Indonesian UI must show for ``template``: its msgstr, filled (never English)."""
    assert template in catalogue("id"), template
    shown = translate(template, "id", **values)
    assert shown != translate(template, "en", **values)
    return shown


class Upload:
    def __init__(self, path: Path):
        self.name = path.name
        self._data = path.read_bytes()

    def getvalue(self) -> bytes:
        return self._data


def _imports_tab() -> None:
    from citra.i18n import Translator
    from pages.sources_imports import render

    render(Translator("id"))


def unescaped(markdown: str) -> str:
    """``markdown`` without the backslashes ``citra.formatting.plain`` put before marks."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _feeds_tab() -> None:
    from citra.i18n import Translator
    from pages.sources_feeds import render

    render(Translator("id"))


def test_a_malformed_import_file_is_explained_in_indonesian(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "laporan.csv"
    bad.write_text("Date,Text\n32/13/2026,bagus sekali\nbukan tanggal,pelayanan ramah\n", "utf-8")
    folder = tmp_path / "up"
    folder.mkdir()
    results = sources_imports.import_uploads([Upload(bad)], folder)
    at = AppTest.from_function(_imports_tab, default_timeout=30)
    at.session_state["imports_results"] = results
    at.run()
    assert not at.exception
    unreadable = "date not readable: '{value}'"
    rejections = "; ".join(
        f"{indonesian('line {n}', n=n)}: {indonesian(unreadable, value=value)}"
        for n, value in ((2, "32/13/2026"), (3, "bukan tanggal"))
    )
    # Values from outside are shown as text: Markdown marks in them come escaped.
    assert [unescaped(e.value) for e in at.error] == [
        indonesian(
            "Nothing in {file} could be imported: {rejections}.",
            file="laporan.csv",
            rejections=rejections,
        )
    ]


def test_rejected_rows_are_listed_in_indonesian(db_path: Path, tmp_path: Path) -> None:
    mixed = tmp_path / "campur.csv"
    mixed.write_text("Date,Text\n2026-11-01,bagus sekali\n32/13/2026,pelayanan ramah\n", "utf-8")
    folder = tmp_path / "up"
    folder.mkdir()
    results = sources_imports.import_uploads([Upload(mixed)], folder)
    at = AppTest.from_function(_imports_tab, default_timeout=30)
    at.session_state["imports_results"] = results
    at.run()
    assert not at.exception
    [table] = at.dataframe[:1]
    rows = table.value.to_dict("records")
    assert rows == [
        {
            indonesian("Location"): indonesian("line {n}", n=3),
            indonesian("Why"): indonesian("date not readable: '{value}'", value="32/13/2026"),
        }
    ]


def test_a_failing_feed_is_explained_in_indonesian(db_path: Path, server: FeedServer) -> None:
    db = store.open_db(db_path)
    set_profile(db, name="KSP Sejahtera")
    db.close()
    failing = f"{server.base}/bad/status/500"
    at = AppTest.from_function(_feeds_tab, default_timeout=30)
    at.run()
    at.text_input(key="news_feed_url").input(failing).run()
    at.button(key="news_feed_test").click().run()
    assert not at.exception
    http_500 = indonesian(
        "the server answered HTTP {status} ({reason})", status=500, reason="Internal Server Error"
    )
    assert [e.value for e in at.error] == [http_500]
    # Added and collected, the failure is kept and shown in the feeds table in Indonesian.
    at.button(key="news_feed_add").click().run()
    at.run()
    at.button(key="news_collect_now").click().run()
    assert not at.exception
    table = at.dataframe[0].value.to_dict("records")[0]
    assert table[indonesian("Last error")] == http_500
    assert table[indonesian("Health")] == indonesian(
        "Failing {count} times in a row: {error}", count=1, error=http_500
    )


def _settings() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page(str(ROOT / "pages" / "settings.py")).run()
    assert not at.exception
    return at


def test_refused_settings_are_explained_in_indonesian(db_path: Path) -> None:
    set_profile(store.open_db(db_path), name="Koperasi Tunas Harapan")
    at = _settings()
    next(t for t in at.text_input if t.label == indonesian("Peer name")).input(
        "Koperasi  Tunas Harapan"
    )
    next(b for b in at.button if b.label == indonesian("Add peer")).click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        indonesian("'{name}' is the coop itself, not a peer.", name="Koperasi Tunas Harapan")
    ]
    at.button(key="s_learn").click().run()
    assert not at.exception
    assert at.error[-1].value == indonesian(MSG_TOO_FEW, rows=0, needed=MIN_ROWS)
