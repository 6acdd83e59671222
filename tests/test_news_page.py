"""The news-feeds tab of the Sources page, driven with Streamlit's AppTest."""

from __future__ import annotations

import ast
from pathlib import Path

from fixtures.feeds.server import FeedServer
from streamlit.testing.v1 import AppTest

from citra import store
from citra.queries.news import list_feeds
from citra.store.news import add_feed
from citra.store.organisations import set_profile

PAGE = Path(__file__).resolve().parent.parent / "pages" / "sources_feeds.py"


def _app() -> None:
    from citra.i18n import Translator
    from pages.sources_feeds import render

    render(Translator("id"))


def _run() -> AppTest:
    app = AppTest.from_function(_app, default_timeout=20)
    app.run()
    assert not app.exception, app.exception
    return app


def test_page_has_no_sql() -> None:
    tree = ast.parse(PAGE.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
            assert not any("sqlite3" in n for n in names)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not any(w in node.value.upper() for w in ("SELECT ", "INSERT ", "UPDATE "))


def test_empty_database_shows_the_way_in(db_path: Path) -> None:
    app = _run()
    assert any("Belum ada umpan" in info.value for info in app.info)
    assert app.button(key="news_collect_now").disabled


def test_feed_health_and_collect_now(db_path: Path, server: FeedServer) -> None:
    db = store.open_db(db_path)
    set_profile(db, name="KSP Sejahtera")
    add_feed(db, f"{server.base}/files/rss_basic.xml", name="Warta")
    add_feed(db, f"{server.base}/bad/status/500", name="Rusak")
    db.close()
    app = _run()
    table = app.dataframe[0].value
    assert list(table["Kesehatan"]) == ["Belum pernah diambil (belum terverifikasi)"] * 2
    app.button(key="news_collect_now").click().run()
    assert not app.exception
    assert "1 sebutan baru" in app.success[0].value
    health = dict(
        zip(
            app.dataframe[0].value["Umpan"],
            app.dataframe[0].value["Kesehatan"],
            strict=True,
        )
    )
    assert health["Rusak"].startswith("Gagal 1 kali berturut-turut: server menjawab HTTP 500")
    assert health["Warta"].startswith("Berjalan; terakhir berhasil")


def test_add_test_disable_and_catalogue(db_path: Path, server: FeedServer) -> None:
    app = _run()
    app.text_input(key="news_feed_url").input(f"{server.base}/files/atom.xml").run()
    app.button(key="news_feed_test").click().run()
    assert any("1 entri terbaca" in info.value for info in app.info)
    assert list_feeds(store.open_db(db_path)) == []
    app.button(key="news_feed_add").click().run()
    assert "Umpan ditambahkan" in app.success[0].value
    app.run()
    app.button(key="news_feed_disable").click().run()
    assert not list_feeds(store.open_db(db_path))[0].enabled
    app.button(key="news_catalogue_enable").click().run()
    assert not app.exception
    assert len(list_feeds(store.open_db(db_path))) > 20
