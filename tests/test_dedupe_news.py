"""A news article is one mention whichever source brought it: a feed collected from 127.0.0.1 and
a Brand24 export of the same two articles (links written differently, Brand24's own row ids),
in either order."""

from __future__ import annotations

import pytest
from fixtures.feeds.server import FeedServer
from sqlite_utils import Database

from citra.store.mentions import mention_id
from citra.store.news import add_feed
from citra.store.organisations import add_peer, set_profile
from collectors.importer import import_path
from collectors.rss import collect
from tests.conftest import FIXTURES

EXPORT = FIXTURES / "exports" / "brand24-same-article" / "brand24_same_article.csv"
ARTICLES = {
    "https://warta.example.id/ekonomi/ksp-sejahtera-raih-penghargaan",
    "https://warta.example.id/daerah/kopdit-maju-bersama-buka-cabang",
}
FAST = {"budget": 2.0, "timeout": 1.0, "workers": 2}


@pytest.fixture
def coop_db(db: Database, server: FeedServer) -> Database:
    set_profile(db, name="KSP Sejahtera", keywords=["Koperasi Sejahtera"])
    add_peer(db, "Kopdit Maju Bersama")
    add_feed(db, f"{server.base}/files/same_article.xml")
    return db


def _stored(db: Database) -> list[dict]:
    return list(db.query("SELECT id, url, platform, source FROM mentions ORDER BY url"))


def test_feed_first_then_brand24_stores_each_article_once(coop_db: Database) -> None:
    assert collect(coop_db, **FAST).added == 2
    summary = import_path(coop_db, EXPORT)
    assert (summary["added"], summary["duplicates"], summary["rejected"]) == (0, 2, [])
    rows = _stored(coop_db)
    assert {r["url"] for r in rows} == ARTICLES and len(rows) == 2
    assert {r["source"] for r in rows} == {"Warta Koperasi"}  # the first to bring it stays


def test_brand24_first_then_feed_stores_each_article_once(coop_db: Database) -> None:
    assert import_path(coop_db, EXPORT)["added"] == 2
    again = collect(coop_db, **FAST)
    assert (again.added, again.duplicates) == (0, 2)
    rows = _stored(coop_db)
    assert {r["url"] for r in rows} == ARTICLES and len(rows) == 2
    # Brand24 filed one as "News" and one as "Web"; the id is the article's either way.
    assert {r["platform"] for r in rows} == {"news", "web"}
    assert {r["id"] for r in rows} == {mention_id("news", url=url) for url in ARTICLES}


@pytest.mark.parametrize(
    ("platform", "native_id", "url"),
    [
        ("news", None, "http://www.warta.example.id/a/?utm_source=rss"),
        ("web", "brand24:77001", "https://warta.example.id/a"),
        ("web", "77001", "https://WWW.warta.example.id/a#top"),
        ("news", "guid-1", "https://amp.warta.example.id/a/amp"),
    ],
)
def test_an_article_id_is_its_canonical_url(platform: str, native_id: str | None, url: str) -> None:
    assert mention_id(platform, native_id, url) == mention_id(
        "news", url="https://warta.example.id/a"
    )


def test_a_post_id_is_still_its_platform_and_native_id() -> None:
    tweet = mention_id("x", "1860000000000000001", "https://x.com/budi/status/1860000000000000001")
    assert tweet == mention_id("x", "1860000000000000001")
    assert mention_id("instagram", url="https://www.instagram.com/p/abc/?igsh=1") == mention_id(
        "instagram", url="https://instagram.com/p/abc"
    )
    with pytest.raises(ValueError):
        mention_id("news")
