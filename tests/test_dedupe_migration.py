"""The dedupe_* schema steps on a database written by the old rules: article ids re-keyed onto
the canonical URL (copies merged), author keys written by Python, public shares recounted."""

from __future__ import annotations

import hashlib

import pytest
from sqlite_utils import Database

from citra.migrations import migrations
from citra.store.mentions import insert_mentions, mention_id

OLD_FEED_URL = "https://www.warta.example.id/ekonomi/penghargaan"  # old feed rule kept www.
OLD_TOOL_URL = "https://warta.example.id/ekonomi/penghargaan"  # old import rule dropped it
ARTICLE = mention_id("news", url=OLD_TOOL_URL)


def old_id(platform: str, kind: str, value: str) -> str:
    """An id as the old ``mention_id`` made it."""
    key = f"{platform}\x1f{kind}\x1f{value}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def _mention(db: Database, **values: object) -> int:
    values = {"published_at": "2025-11-20T02:00:00Z", "text": "teks", **values}
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = db.execute(f"INSERT INTO mentions ({columns}) VALUES ({marks})", list(values.values()))
    return int(cursor.lastrowid)


@pytest.fixture
def upgraded() -> Database:
    """A database at the schema before the dedupe steps, filled the old way, then upgraded."""
    db = Database(memory=True)
    db.execute("PRAGMA foreign_keys = ON")
    migrations.apply(db, stop_before="dedupe_001_article_ids")
    coop = db.execute(
        "INSERT INTO organisations (name, kind) VALUES ('KSP Sejahtera', 'self')"
    ).lastrowid
    feed = db.execute("INSERT INTO feeds (url) VALUES ('https://warta.example.id/rss')").lastrowid
    from_feed = old_id("news", "url", OLD_FEED_URL)
    first = _mention(
        db, id=from_feed, platform="news", url=OLD_FEED_URL, story_id=from_feed, text="dari feed"
    )
    second = _mention(
        db,
        id=old_id("web", "url", OLD_TOOL_URL),
        platform="web",
        url=OLD_TOOL_URL,
        story_id=from_feed,
        sentiment_label="negative",
        sentiment_source="manual",
        text="dari brand24",
    )
    db.execute("INSERT INTO news_guids VALUES (?, 'warta-1', ?)", [feed, from_feed])
    for seq, tag in ((first, "penghargaan"), (second, "media")):
        tag_id = db.execute("INSERT INTO tags (name) VALUES (?)", [tag]).lastrowid
        db.execute("INSERT INTO mention_tags VALUES (?, ?)", [seq, tag_id])
    _mention(
        db,
        id=old_id("news", "url", "https://kompas.com/read/1"),
        platform="news",
        url="https://kompas.com/read/1",
        text="sudah kanonik",
    )
    _mention(
        db,
        id=old_id("news", "id", "demo-1"),
        platform="news",
        url="https://www.demo.example.id/x",
        is_demo=1,
        text="demo",
    )
    _mention(
        db,
        id=old_id("instagram", "id", "1"),
        platform="instagram",
        author_handle="\uff20Sari.KSP ",
        organisation_id=coop,
        text="unggahan anggota",
    )
    member = db.execute("INSERT INTO members (member_no, name) VALUES ('A1', 'Sari')").lastrowid
    # The old normaliser kept the full-width @; the old SQL matched it the same way.
    db.execute(
        "INSERT INTO member_handles VALUES ('instagram', '\uff20sari.ksp', ?, 'registry')", [member]
    )
    assert db.execute("SELECT count(*) FROM member_public_shares").fetchone()[0] == 1
    migrations.apply(db)
    return db


def test_copies_of_an_article_become_one_mention_keyed_on_its_url(upgraded: Database) -> None:
    rows = list(upgraded.query("SELECT * FROM mentions WHERE platform IN ('news', 'web')"))
    article = [r for r in rows if r["id"] == ARTICLE]
    assert len(article) == 1 and len(rows) == 3
    kept = article[0]
    assert kept["text"] == "dari feed"  # the earliest copy stays
    assert kept["url"] == OLD_TOOL_URL
    assert (kept["sentiment_label"], kept["sentiment_source"]) == ("negative", "manual")
    assert kept["story_id"] == ARTICLE
    tags = {
        name
        for (name,) in upgraded.execute(
            "SELECT t.name FROM mention_tags mt JOIN tags t ON t.id = mt.tag_id "
            "WHERE mt.mention_seq = ?",
            [kept["seq"]],
        )
    }
    assert tags == {"penghargaan", "media"}
    assert upgraded.execute("SELECT mention_id FROM news_guids").fetchone()[0] == ARTICLE
    # The rollup and the full-text index followed the merge.
    assert upgraded.execute("SELECT sum(mentions) FROM mention_daily").fetchone()[0] == 4
    assert upgraded.execute(
        "SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'brand24'"
    ).fetchone() == (0,)


def test_canonical_and_demo_ids_stay(upgraded: Database) -> None:
    ids = {r[0] for r in upgraded.execute("SELECT id FROM mentions")}
    assert old_id("news", "url", "https://kompas.com/read/1") in ids
    assert old_id("news", "id", "demo-1") in ids


def test_a_re_import_after_the_upgrade_adds_nothing(upgraded: Database) -> None:
    record = {"id": mention_id("web", "brand24:1", OLD_FEED_URL + "?utm_source=brand24")}
    record |= {"platform": "web", "url": OLD_TOOL_URL, "text": "lagi"}
    assert insert_mentions(upgraded, [record]) == (0, 1)


def test_author_keys_and_handles_follow_the_python_rule(upgraded: Database) -> None:
    assert upgraded.execute(
        "SELECT author_key FROM mentions WHERE platform = 'instagram'"
    ).fetchone() == ("sari.ksp",)
    assert upgraded.execute("SELECT handle FROM member_handles").fetchone() == ("sari.ksp",)
    shares = upgraded.execute("SELECT mention_id FROM member_public_shares").fetchall()
    assert shares == [(old_id("instagram", "id", "1"),)]
