"""collect(): relevance, idempotence, health and back-off, stories, and the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from fixtures.feeds.server import FeedServer
from sqlite_utils import Database

from citra import store
from citra.cli import cli
from citra.errors import CitraError
from citra.queries.news import find_feed, story_counts
from citra.store.news import add_feed, backoff_delay, set_feed_enabled
from citra.store.organisations import add_peer, set_profile
from collectors.catalogue import enable_catalogue, load_catalogue
from collectors.rss import collect, google_news_search_url, is_search_feed

FAST = {"budget": 1.0, "timeout": 0.5, "workers": 4}


@pytest.fixture
def coop_db(db: Database) -> Database:
    set_profile(db, name="KSP Sejahtera", keywords=["Koperasi Sejahtera"])
    add_peer(db, "Kopdit Maju Bersama")
    return db


def _mentions(db: Database) -> list[dict]:
    return list(db.query("SELECT * FROM mentions ORDER BY url"))


def test_collect_twice_adds_nothing(coop_db: Database, server: FeedServer) -> None:
    for name in ("rss_basic.xml", "atom.xml", "duplicate_guids.xml", "jsonfeed.json"):
        add_feed(coop_db, f"{server.base}/files/{name}")
    first = collect(coop_db, **FAST)
    assert first.failed == 0 and first.fetched == 4
    assert first.added == len(_mentions(coop_db)) == 6
    second = collect(coop_db, **FAST)
    assert second.added == 0 and second.not_modified == 4
    # Without the conditional-GET state the bodies are parsed again; still nothing new.
    coop_db.execute("UPDATE feeds SET etag = NULL, last_modified = NULL")
    third = collect(coop_db, **FAST)
    assert third.added == 0 and third.fetched == 4 and third.duplicates == 6
    assert coop_db.execute("SELECT count(*) FROM imports WHERE kind = 'collect'").fetchone()[0] == 3


def test_outlet_keeps_only_relevant_entries_with_their_organisation(
    coop_db: Database, server: FeedServer
) -> None:
    add_feed(coop_db, f"{server.base}/files/rss_basic.xml")
    collect(coop_db, **FAST)
    rows = {row["title"]: row for row in _mentions(coop_db)}
    assert set(rows) == {
        "KSP Sejahtera bagikan SHU Rp 2 miliar kepada anggota",
        "Kopdit Maju Bersama gelar RAT tahun buku 2024",
    }
    names = dict(coop_db.execute("SELECT id, name FROM organisations").fetchall())
    assert names[rows["Kopdit Maju Bersama gelar RAT tahun buku 2024"]["organisation_id"]] == (
        "Kopdit Maju Bersama"
    )
    row = rows["KSP Sejahtera bagikan SHU Rp 2 miliar kepada anggota"]
    assert row["platform"] == "news" and row["lang"] == "id"
    assert json.loads(row["raw"])["guid"] == "warta-1001"


def test_search_feed_keeps_every_entry_for_its_organisation(
    coop_db: Database, server: FeedServer
) -> None:
    add_feed(
        coop_db, f"{server.base}/files/dates.xml", kind="search", organisation="Kopdit Maju Bersama"
    )
    summary = collect(coop_db, **FAST)
    assert summary.added == 9
    orgs = {row["organisation_id"] for row in _mentions(coop_db)}
    peer = coop_db.execute("SELECT id FROM organisations WHERE kind = 'peer'").fetchone()[0]
    assert orgs == {peer}
    flagged = [json.loads(r["raw"]).get("date_problem") for r in _mentions(coop_db)]
    assert flagged.count("invalid") == 1


def test_failing_feed_is_recorded_backs_off_and_never_stops_the_run(
    coop_db: Database, server: FeedServer
) -> None:
    good = f"{server.base}/files/rss_basic.xml"
    bad = f"{server.base}/bad/status/500"
    html = f"{server.base}/files/html_page.html"
    for url in (good, bad, html):
        add_feed(coop_db, url)
    now = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    summary = collect(coop_db, now=now, **FAST)
    assert (summary.fetched, summary.failed, summary.added) == (1, 2, 2)
    feed = find_feed(coop_db, bad)
    assert feed is not None and feed.consecutive_failures == 1 and "HTTP 500" in feed.last_error
    assert feed.next_fetch_at == "2026-01-05T10:30:00Z" and not feed.verified
    assert find_feed(coop_db, good).verified  # type: ignore[union-attr]
    errors = json.loads(coop_db.execute("SELECT errors FROM imports").fetchone()[0])
    assert {e["where"] for e in errors} == {bad, html}
    # Ten minutes later the failing feeds are backing off; the good one is fetched.
    later = collect(coop_db, now=now + timedelta(minutes=10), **FAST)
    assert later.feeds == 1
    # An hour later they are tried again and the streak grows.
    collect(coop_db, now=now + timedelta(hours=1), **FAST)
    assert find_feed(coop_db, bad).consecutive_failures == 2  # type: ignore[union-attr]
    # Enabling clears the back-off.
    set_feed_enabled(coop_db, bad, True)
    assert find_feed(coop_db, bad).next_fetch_at is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("failures", "minutes"), [(0, 0), (1, 30), (2, 60), (3, 120), (10, 24 * 60)]
)
def test_backoff_delay(failures: int, minutes: int) -> None:
    assert backoff_delay(failures) == timedelta(minutes=minutes)


def test_disabled_feeds_are_skipped_unless_named(coop_db: Database, server: FeedServer) -> None:
    url = f"{server.base}/files/rss_basic.xml"
    add_feed(coop_db, url)
    set_feed_enabled(coop_db, url, False)
    assert collect(coop_db, **FAST).feeds == 0
    assert collect(coop_db, [url], **FAST).added == 2
    with pytest.raises(CitraError, match="not one of the feeds"):
        collect(coop_db, [f"{server.base}/files/unknown.xml"], **FAST)


def test_syndicated_copies_share_a_story(coop_db: Database, server: FeedServer) -> None:
    add_feed(coop_db, f"{server.base}/files/syndicated.xml")
    collect(coop_db, **FAST)
    rows = {row["url"].rsplit("/", 1)[-1]: row["story_id"] for row in _mentions(coop_db)}
    assert rows["wire"] == rows["copy-a"] == rows["copy-b"]
    assert rows["other"] != rows["wire"] and rows["later"] != rows["wire"]
    assert story_counts(coop_db) == {"mentions": 5, "stories": 3}


@pytest.mark.parametrize(
    ("url", "search"),
    [
        (google_news_search_url('"KSP Sejahtera"'), True),
        ("https://www.google.com/alerts/feeds/0123/4567", True),
        ("https://www.antaranews.com/rss/terkini.xml", False),
    ],
)
def test_search_feeds_are_recognised(url: str, search: bool) -> None:
    assert is_search_feed(url) is search


def test_google_news_search_url() -> None:
    assert google_news_search_url('"KSP Sejahtera" SHU') == (
        "https://news.google.com/rss/search?q=%22KSP+Sejahtera%22+SHU&hl=id&gl=ID&ceid=ID%3Aid"
    )


def test_catalogue_feeds_start_unverified(db: Database) -> None:
    feeds = enable_catalogue(db)
    assert len(feeds) == len(load_catalogue()) >= 20
    assert all(f.kind == "outlet" and f.enabled and not f.verified for f in feeds)
    assert len(enable_catalogue(db)) == len(feeds)  # idempotent
    with pytest.raises(CitraError, match="Not in the catalogue"):
        enable_catalogue(db, ["no-such-feed"])


def test_cli_feeds_and_collect(db_path, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run("profile", "set", "--name", "KSP Sejahtera")
    good = f"{server.base}/files/rss_basic.xml"
    run("feeds", "add", good, "--name", "Warta")
    run("feeds", "add", f"{server.base}/bad/status/404")
    assert "1 kept" in run("feeds", "test", good)
    run("feeds", "add-search", "KSP Sejahtera")
    run("feeds", "disable", google_news_search_url("KSP Sejahtera"))
    totals = json.loads(run("collect", "--json", "--budget", "1"))
    assert {k: totals[k] for k in ("feeds", "fetched", "failed", "added")} == {
        "feeds": 2, "fetched": 1, "failed": 1, "added": 1,
    }  # fmt: skip
    unscored = store.open_db(db_path).execute(
        "SELECT count(*) FROM mentions WHERE sentiment_label IS NULL OR lexicon_version IS NULL"
    )
    assert unscored.fetchone()[0] == 0  # collected mentions are scored in the same run
    listed = json.loads(run("feeds", "list", "--json"))
    assert {f["health"] for f in listed} == {"ok", "failing", "disabled"}
    assert "Failing 1 times in a row" in run("feeds", "list")
    assert "antara-terkini" in run("feeds", "catalogue")
    run("feeds", "remove", good)
    bad = runner.invoke(cli, ["--db", str(db_path), "feeds", "remove", good])
    assert bad.exit_code == 2 and "No feed" in bad.output
    bad = runner.invoke(cli, ["--db", str(db_path), "feeds", "add", "not-a-url"])
    assert bad.exit_code == 2 and "not a web address" in bad.output
