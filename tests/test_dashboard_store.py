"""Rollups kept current by triggers, tags, the demo dataset and its removal."""

from __future__ import annotations

import random
from datetime import date

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from citra import demo, pipeline, store
from citra.cli import cli
from citra.errors import CitraError
from citra.store.imports import import_run
from citra.store.organisations import add_peer, set_profile
from citra.store.tags import set_mention_tags

RECOUNT = """
SELECT date(published_at, '+7 hours') AS day, coalesce(organisation_id, 0) AS organisation_id,
       platform, coalesce(sentiment_label, 'none') AS sentiment_label, is_own,
       count(*) AS mentions, sum(coalesce(reach, 0)) AS reach,
       sum(max(coalesce(reach, 0), 1)) AS weight,
       sum(coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0)) AS engagement,
       sum(risk != 0) AS risk, round(sum(coalesce(sentiment_compound, 0)), 6) AS compound_sum,
       sum(sentiment_compound IS NOT NULL) AS scored
FROM mentions WHERE published_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
"""
ROLLUP = """
SELECT day, organisation_id, platform, sentiment_label, is_own, mentions, reach, weight,
       engagement, risk, round(compound_sum, 6) AS compound_sum, scored
FROM mention_daily ORDER BY 1, 2, 3, 4, 5
"""


def rollup_matches_recount(db: Database) -> bool:
    return list(db.query(ROLLUP)) == list(db.query(RECOUNT))


def random_mentions(rng: random.Random, n: int, org_ids: list[int | None]) -> list[dict]:
    labels = ["positive", "neutral", "negative", None]
    return [
        {
            "id": f"m{i}",
            "organisation_id": rng.choice(org_ids),
            "platform": rng.choice(["news", "x", "instagram"]),
            "published_at": rng.choice(
                [None, f"2026-03-{rng.randrange(1, 28):02d}T{rng.randrange(24):02d}:30:00Z"]
            ),
            "reach": rng.choice([None, 0, rng.randrange(1, 5000)]),
            "likes": rng.choice([None, rng.randrange(100)]),
            "sentiment_label": (label := rng.choice(labels)),
            "sentiment_compound": None if label is None else round(rng.uniform(-1, 1), 3),
            "risk": rng.choice([0, 0, 1]),
            "is_own": rng.choice([0, 0, 1]),
        }
        for i in range(n)
    ]


def test_rollup_equals_full_recount_after_inserts_updates_and_deletes(db: Database) -> None:
    coop = set_profile(db, name="Kopsera")
    peer = add_peer(db, "KSP Maju")
    rng = random.Random(7)
    with import_run(db, kind="test") as run:
        run.add(random_mentions(rng, 300, [coop.id, peer.id, None]))
    assert rollup_matches_recount(db)
    db.execute(
        "UPDATE mentions SET sentiment_label = 'negative', sentiment_compound = -0.5 "
        "WHERE seq % 3 = 0"
    )
    db.execute("UPDATE mentions SET organisation_id = ? WHERE seq % 5 = 0", [peer.id])
    db.execute("UPDATE mentions SET published_at = NULL WHERE seq % 11 = 0")
    db.execute("UPDATE mentions SET published_at = '2026-04-01T18:00:00Z' WHERE seq % 13 = 0")
    assert rollup_matches_recount(db)
    db.execute("DELETE FROM mentions WHERE seq % 2 = 0")
    assert rollup_matches_recount(db)
    db.execute("DELETE FROM organisations WHERE id = ?", [peer.id])  # mentions become unattributed
    assert rollup_matches_recount(db)
    db.execute("DELETE FROM mentions")
    assert db.execute("SELECT count(*) FROM mention_daily").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("published_at", "day"),
    [
        ("2026-01-01T16:59:59Z", "2026-01-01"),  # 23:59:59 WIB
        ("2026-01-01T17:00:00Z", "2026-01-02"),  # midnight WIB
        ("2025-12-31T23:00:00Z", "2026-01-01"),
    ],
)
def test_rollup_day_is_the_jakarta_day(db: Database, published_at: str, day: str) -> None:
    db["mentions"].insert({"id": "a", "platform": "news", "published_at": published_at})
    assert db.execute("SELECT day FROM mention_daily").fetchone()[0] == day


def test_tags_are_set_replaced_and_follow_their_mention(db: Database) -> None:
    db["mentions"].insert({"id": "a", "platform": "news", "published_at": "2026-01-01T00:00:00Z"})
    seq = db.execute("SELECT seq FROM mentions").fetchone()[0]
    assert set_mention_tags(db, seq, ["Layanan ", "SHU", "layanan"]) == ["layanan", "shu"]
    assert set_mention_tags(db, seq, ["shu"]) == ["shu"]
    assert db.execute("SELECT count(*) FROM mention_tags").fetchone()[0] == 1
    db.execute("DELETE FROM mentions")
    assert db.execute("SELECT count(*) FROM mention_tags").fetchone()[0] == 0
    with pytest.raises(CitraError):
        set_mention_tags(db, 999, ["x"])


def test_demo_is_deterministic_and_marked(db: Database) -> None:
    story = pipeline.seed_demo(db, today=date(2026, 11, 23))
    other = store.open_db(":memory:")
    pipeline.seed_demo(other, today=date(2026, 11, 23))
    fingerprint = "SELECT id, text, published_at, sentiment_label FROM mentions ORDER BY seq"
    assert list(db.query(fingerprint)) == list(other.query(fingerprint))
    # story.mentions counts the main run; the narratives area step adds a few own posts.
    own_extra = "SELECT count(*) FROM mentions WHERE url LIKE '%/narrative-%'"
    total = db.execute("SELECT count(*) FROM mentions").fetchone()[0]
    assert story.mentions == total - db.execute(own_extra).fetchone()[0] > 5000
    for table in ("mentions", "imports", "organisations", "tags"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE is_demo = 0").fetchone()[0] == 0
    langs = dict(db.execute("SELECT lang, count(*) FROM mentions GROUP BY lang").fetchall())
    assert langs["en"] > 100 and langs["id"] > langs["en"]
    crisis = db.execute(
        "SELECT count(*) FROM mentions WHERE risk = 1 AND (text LIKE '%gagal bayar%' "
        "OR text LIKE '%PKPU%')"
    ).fetchone()[0]
    assert crisis > 20
    assert rollup_matches_recount(db)


def test_demo_removal_leaves_other_rows(db: Database) -> None:
    pipeline.seed_demo(db, today=date(2026, 11, 23))
    coop_id = db.execute("SELECT id FROM organisations WHERE kind = 'self'").fetchone()[0]
    with import_run(db, kind="manual") as run:
        run.add(
            [
                {"id": "real-1", "platform": "news", "published_at": "2026-11-01T00:00:00Z"},
                {
                    "id": "real-2",
                    "platform": "x",
                    "published_at": "2026-11-02T00:00:00Z",
                    "organisation_id": coop_id,
                },
            ]
        )
    db["settings"].insert({"key": "language", "value": '"en"'})
    removed = pipeline.remove_demo(db)
    assert removed["mentions"] > 5000 and removed["organisations"] == 4
    assert [r["id"] for r in db.query("SELECT id FROM mentions ORDER BY id")] == [
        "real-1",
        "real-2",
    ]
    assert db.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM settings").fetchone()[0] == 1
    assert rollup_matches_recount(db)


def test_demo_refuses_a_real_coop(db: Database) -> None:
    set_profile(db, name="Kopsera")
    with pytest.raises(CitraError, match="already has a coop"):
        pipeline.seed_demo(db)


def test_demo_cli_if_empty_and_remove(db_path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", str(db_path), "demo", "--if-empty", "--scale", "0.2"])
    assert first.exit_code == 0, first.output
    assert "Demo data added" in first.output
    again = runner.invoke(cli, ["--db", str(db_path), "demo", "--if-empty"])
    assert "no demo data added" in again.output
    twice = runner.invoke(cli, ["--db", str(db_path), "demo"])
    assert twice.exit_code == 2 and "already present" in twice.output
    removed = runner.invoke(cli, ["--db", str(db_path), "demo", "--remove"])
    assert removed.exit_code == 0 and "Demo data removed" in removed.output
    db = store.open_db(db_path)
    assert store.table_counts(db)["mentions"] == 0


def seeded_queries_db(db: Database) -> Database:
    coop = set_profile(db, name="Kopsera")
    with import_run(db, kind="test") as run:
        run.add(
            [
                {
                    "id": f"s{i}",
                    "organisation_id": coop.id,
                    "platform": "x" if i % 2 else "news",
                    "source": "Kabar" if i % 2 else "Warta",
                    "text": text,
                    "published_at": f"2026-03-{i + 1:02d}T03:00:00Z",
                    "reach": 100 * (i + 1),
                    "sentiment_label": "negative" if "terlambat" in text else "positive",
                    "sentiment_compound": -0.5 if "terlambat" in text else 0.5,
                    "risk": int("gagal bayar" in text),
                }
                for i, text in enumerate(
                    [
                        "SHU terlambat lagi",
                        "pembayaran SHU tepat waktu",
                        "isu gagal bayar dibantah",
                        "SHU tidak terlambat kata pengurus",
                        "bayaran anggota naik",
                    ]
                )
            ]
        )
    return db


@pytest.mark.parametrize(
    ("text", "extra", "expected"),
    [
        ("", {}, ["s4", "s3", "s2", "s1", "s0"]),
        ("SHU terlambat", {}, ["s3", "s0"]),
        ('"SHU terlambat"', {}, ["s0"]),
        ("bayar*", {}, ["s4", "s2"]),  # prefixes match word starts: not "pembayaran"
        ("SHU NOT terlambat", {}, ["s1"]),
        ("", {"labels": ("negative",)}, ["s3", "s0"]),
        ("", {"sources": ("Kabar",)}, ["s3", "s1"]),
        ("", {"risk_only": True}, ["s2"]),
        ("", {"sort": "reach", "descending": False}, ["s0", "s1", "s2", "s3", "s4"]),
        ("", {"page": 1, "page_size": 2}, ["s2", "s1"]),
    ],
)
def test_search_mentions(db: Database, text: str, extra: dict, expected: list[str]) -> None:
    from datetime import date as day

    from citra.filters import Filters
    from citra.queries.search import MentionQuery, search_mentions

    seeded_queries_db(db)
    f = Filters.for_days(day(2026, 3, 1), day(2026, 3, 31))
    rows, total = search_mentions(db, MentionQuery(filters=f, text=text, **extra))
    ids = [
        db.execute("SELECT id FROM mentions WHERE seq = ?", [int(s)]).fetchone()[0]
        for s in rows["seq"]
    ]
    assert ids == expected
    assert total == (len(expected) if "page" not in extra else 5)


# A stray colon ("title:") is no longer an error: plain words are searched as words.
@pytest.mark.parametrize("bad", ['"SHU', "SHU AND", "(bayar", "*", 'title: "x'])
def test_malformed_search_gives_a_hint(db: Database, bad: str) -> None:
    from datetime import date as day

    from citra.filters import Filters
    from citra.queries.search import MentionQuery, SearchSyntaxError, search_mentions

    seeded_queries_db(db)
    f = Filters.for_days(day(2026, 3, 1), day(2026, 3, 31))
    with pytest.raises(SearchSyntaxError, match="exact phrase"):
        search_mentions(db, MentionQuery(filters=f, text=bad))


def test_mention_detail_with_tags(db: Database) -> None:
    from citra.queries.mentions import mention_detail

    seeded_queries_db(db)
    seq = db.execute("SELECT seq FROM mentions WHERE id = 's0'").fetchone()[0]
    set_mention_tags(db, seq, ["shu", "layanan"])
    detail = mention_detail(db, seq)
    assert detail is not None
    assert detail["tags"] == ["layanan", "shu"] and detail["organisation"] == "Kopsera"
    assert mention_detail(db, 9999) is None


def test_area_steps_run_with_their_own_generator(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[float] = []
    monkeypatch.setattr(demo, "AREA_STEPS", [lambda db, rng: drawn.append(rng.random())])
    pipeline.seed_demo(db, today=date(2026, 11, 23), scale=0.1)
    other = store.open_db(":memory:")
    pipeline.seed_demo(other, today=date(2026, 11, 23), scale=0.3)
    assert len(drawn) == 2 and drawn[0] == drawn[1]  # independent of --scale
