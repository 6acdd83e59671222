"""The leaner schema (migration speed_001): per-version counts match a scan; raw keeps what the
columns do not; the Settings queries read no more than they need."""

from __future__ import annotations

import json

import pytest

from citra import store
from citra.sentiment import SentimentAnalyzer
from citra.sentiment.rescore import pending_count, rescore
from citra.store.imports import import_run
from citra.store.mentions import compact_raw, mention_id
from citra.store.sentiment import clear_manual_label, invalidate_scores, set_manual_label


def _scan(db, version: str) -> int:
    return db.execute(
        "SELECT count(*) FROM mentions WHERE lexicon_version IS NULL OR lexicon_version != ?",
        [version],
    ).fetchone()[0]


def _add(db, n: int, start: int = 0, version: str | None = None) -> None:
    with import_run(db, kind="file", file_name="t.csv") as run:
        run.add(
            {
                "id": mention_id("web", f"n{i}"),
                "platform": "web",
                "text": f"pelayanan bagus {i}" if i % 2 else f"lambat sekali {i}",
                "published_at": "2026-10-01T01:00:00Z",
                "lexicon_version": version,
            }
            for i in range(start, start + n)
        )


def test_pending_count_matches_a_scan_through_every_change() -> None:
    db = store.open_db(":memory:")
    version = SentimentAnalyzer(db).version
    checks = []
    _add(db, 30)
    checks.append(pending_count(db, version) == _scan(db, version) == 30)
    _add(db, 5, start=30, version="lex-old")
    checks.append(pending_count(db, version) == _scan(db, version) == 35)
    rescore(db)
    checks.append(pending_count(db, version) == _scan(db, version) == 0)
    seq = db.execute("SELECT seq FROM mentions LIMIT 1").fetchone()[0]
    set_manual_label(db, seq, "positive")
    clear_manual_label(db, seq)
    checks.append(pending_count(db, version) == _scan(db, version) == 1)
    with db.atomic():
        db.execute("DELETE FROM mentions WHERE seq % 3 = 0")
    checks.append(pending_count(db, version) == _scan(db, version))
    invalidate_scores(db)
    checks.append(pending_count(db, version) == _scan(db, version) > 0)
    checks.append(pending_count(db, "lex-other") == _scan(db, "lex-other"))
    assert checks == [True] * len(checks)


def test_migration_counts_what_is_stored() -> None:
    from sqlite_utils import Database

    from citra.migrations import migrations

    db = Database(memory=True)
    migrations.apply(db, stop_before="speed_001_lean_indexes")
    _add(db, 12, version="lex-a")
    _add(db, 3, start=12)
    migrations.apply(db)
    counts = dict(db.execute("SELECT version, mentions FROM mention_versions").fetchall())
    assert counts == {"lex-a": 12, "": 3}
    found = db.execute("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'lamb*'")
    assert found.fetchone()[0] == 8  # the even-numbered ones


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ({"Content": "bagus sekali", "Url": "https://x.id/1", "Likes": "3"}, {"Likes": "3"}),
        ({"Content": " bagus sekali ", "Extra": "bagus"}, {"Extra": "bagus"}),
        ({"Content": "bagus sekali", "Url": "https://x.id/1"}, None),
        ({"tool_sentiment": "negative", "n": 3, "nested": {"a": 1}}, None),
    ],
)
def test_raw_keeps_what_the_columns_do_not(raw, kept) -> None:
    values = {"text": "bagus sekali", "title": None, "url": "https://x.id/1"}
    result = compact_raw(raw, values)
    if kept is None and "tool_sentiment" in raw:
        assert json.loads(result) == raw
    elif kept is None:
        assert result is None
    else:
        assert json.loads(result) == kept


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT EXISTS (SELECT 1 FROM mentions WHERE is_demo = 1)",
        "SELECT seq FROM mentions WHERE sentiment_source = 'manual' AND sentiment_label IS NOT NULL ORDER BY seq",
        "SELECT seq FROM mentions m WHERE m.published_at >= '2026' AND m.risk != 0 ORDER BY m.published_at DESC",
    ],
)
def test_settings_and_risk_queries_use_an_index(sql: str) -> None:
    db = store.open_db(":memory:")
    steps = [row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
    on_mentions = [s for s in steps if " mentions" in s or " m " in f"{s} "]
    assert on_mentions and all("USING" in s and "INDEX" in s for s in on_mentions), steps


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT seq FROM mentions WHERE story_id = 'a'",
        "SELECT seq FROM mentions WHERE story_id IN ('a', 'b')",
        # citra.migrations._temp_renames, as a later re-keying step would run it
        "UPDATE OR IGNORE mentions SET story_id = 'b' "
        "WHERE story_id IN (SELECT old FROM temp.renames)",
    ],
)
def test_lookups_by_story_use_the_partial_story_index(sql: str) -> None:
    db = store.open_db(":memory:")
    db.execute("CREATE TEMP TABLE renames (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    steps = [row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
    assert any("mentions USING" in s and "INDEX mentions_story" in s for s in steps), steps


def test_the_story_index_holds_only_mentions_of_a_story() -> None:
    db = store.open_db(":memory:")
    (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'mentions_story'").fetchone()
    assert sql.endswith("WHERE story_id IS NOT NULL")
    _add(db, 5)
    db.execute("UPDATE mentions SET story_id = 'wire-1' WHERE seq IN (1, 2)")
    in_index = db.execute(
        "SELECT count(*) FROM mentions INDEXED BY mentions_story WHERE story_id IS NOT NULL"
    ).fetchone()[0]
    assert in_index == 2
    assert [r[0] for r in db.execute("SELECT seq FROM mentions WHERE story_id = 'wire-1'")] == [
        1,
        2,
    ]


def test_the_full_text_index_gathers_8_mb_of_terms_before_writing() -> None:
    db = store.open_db(":memory:")
    (hashsize,) = db.execute("SELECT v FROM mentions_fts_config WHERE k = 'hashsize'").fetchone()
    assert hashsize == 8 * 1024 * 1024


def test_raw_json_is_what_json_dumps_writes() -> None:
    import datetime
    import decimal
    import json

    from citra.store.mentions import _json

    values = [
        {"a": 1.5, "b": float("nan"), "c": float("-inf"), 1: True, None: None, 2.5: [1, (2, 3)]},
        {False: "é\u2028\"x\\", "d": datetime.date(2026, 1, 1), "e": decimal.Decimal("1.2")},
        {"f": {"g": [{}, []]}, "h": b"x", "i": {1}},
        [1, "x"], 3, 2.0, None, "s", "",
    ]  # fmt: skip
    for value in values:
        expected = json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))
        assert _json(value) == expected


def test_a_row_takes_the_defaults_only_for_fields_left_out() -> None:
    from citra.store.mentions import MENTION_COLUMNS, mention_row

    record = {"id": "a", "platform": "mastodon", "text": "t", "risk": None, "raw": {"k": "t"}}
    row = dict(zip(MENTION_COLUMNS, mention_row(record, 7), strict=True))
    assert row["platform"] == "other" and row["risk"] is None and row["import_id"] == 7
    assert (row["sentiment_source"], row["is_own"], row["is_demo"]) == ("auto", 0, 0)
    assert row["raw"] is None and row["author_key"] is None
    record |= {"import_id": None, "author_handle": "@KSP_Sejahtera", "raw": [1]}
    row = dict(zip(MENTION_COLUMNS, mention_row(record, 7), strict=True))
    assert row["import_id"] is None and row["raw"] == "[1]" and row["author_key"]
    assert record["platform"] == "mastodon"  # the record is left as it was
