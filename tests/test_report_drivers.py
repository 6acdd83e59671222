"""What moved the index (citra.reports.drivers), on constructed months whose answer is known:
every number below is worked out by hand from the formulas in docs/metrics.md."""

from __future__ import annotations

import pandas as pd
import pytest

from citra.reports.drivers import decompose

COLUMNS = ["seq", "published_at", "platform", "source", "story", "title", "text", "url", "reach"]
COLUMNS += ["weight", "label", "risk"]


def mentions(rows: list[tuple], day: str, start: int = 1) -> pd.DataFrame:
    """Rows of ``(count, label, reach, platform, source, story, text)``: ``count`` mentions each,
    one story per mention unless ``story`` names one."""
    out = []
    seq = start
    for count, label, reach, platform, source, story, text in rows:
        for _ in range(count):
            out.append(
                [seq, f"{day}T03:00:00Z", platform, source, story or f"m{seq}", None, text]
                + [f"https://example.id/{seq}", reach, max(reach, 1), label, int("bayar" in text)]
            )
            seq += 1
    return pd.DataFrame(out, columns=COLUMNS)


def test_one_viral_negative_story_outweighs_more_positive_volume() -> None:
    before = mentions(
        [
            (10, "positive", 1000, "x", "X", None, "pelayanan ramah"),
            (10, "neutral", 1000, "x", "X", None, "jam buka cabang"),
        ],
        "2026-10-10",
    )
    now = mentions(
        [
            (30, "positive", 1000, "x", "X", None, "pelayanan ramah"),
            (10, "neutral", 1000, "x", "X", None, "jam buka cabang"),
            # one wire story, three copies of 40,000 readers each
            (3, "negative", 40000, "news", "Kabar Koperasi", "wire-1", "isu gagal bayar"),
        ],
        "2026-11-10",
        start=100,
    )
    found = decompose(
        before,
        now,
        topics=lambda text: ["gagal bayar"] if "gagal bayar" in text else [],
        risk_categories=lambda text: ["default"],
    )
    # Index: before 100 × 10,000 / 20,000 = 50; now 100 × (30,000 − 120,000) / 160,000 = −56.25.
    assert found.index_before == pytest.approx(50.0)
    assert found.index_now == pytest.approx(-56.25)
    # Mentions grew (20 -> 43) and net sentiment rose (50 -> 100 × 27 / 43), yet the index fell.
    assert found.net_before == pytest.approx(50.0)
    assert found.net_now == pytest.approx(100 * 27 / 43)
    assert found.weighting_points == pytest.approx(-106.25 - (100 * 27 / 43 - 50))
    # The story: new (a0 = 0), a1 = 120,000 / 160,000 = 0.75, tone −100, average index −3.125:
    # reach points 0.75 × (−100 + 3.125); no tone points (it had no tone before).
    story = found.of("story")[0]
    assert (
        story.key == "wire-1" and story.mentions_now == 3 and story.sources == ("Kabar Koperasi",)
    )
    assert story.points == pytest.approx(0.75 * (-100 + 3.125))
    assert story.reach_points == pytest.approx(story.points) and story.sentiment_points == 0
    # More positive volume helped less than the story hurt: 30 new positive posts together.
    positives = [e for e in found.of("story") if e.positive_now == 1]
    assert sum(e.points for e in positives) == pytest.approx(30 * (1000 / 160000) * 103.125)
    assert abs(story.points) > sum(e.points for e in positives)
    # Platforms are a partition: their points add up to the change exactly.
    assert sum(e.points for e in found.of("platform")) == pytest.approx(-106.25)
    news = next(e for e in found.of("platform") if e.key == "news")
    assert news.points == pytest.approx(story.points)
    # The Overview's three drivers: the story first; its topic, risk category, source and
    # platform are the same mentions, so they are not repeated.
    assert found.main[0].dimension == "story" and found.main[0].key == "wire-1"
    assert all(
        e.key not in ("gagal bayar", "default", "Kabar Koperasi", "news") for e in found.main
    )
    assert found.main[0].top_url and found.main[0].top_seq in set(now["seq"])


def test_reach_moved_and_sentiment_did_not() -> None:
    # Each platform keeps its tone (news +33.3, X −33.3); only news readers triple.
    before = mentions(
        [
            (2, "positive", 1000, "news", "Harian", None, "a"),
            (1, "negative", 1000, "news", "Harian", None, "b"),
            (1, "positive", 1000, "x", "X", None, "c"),
            (2, "negative", 1000, "x", "X", None, "d"),
        ],
        "2026-10-10",
    )
    now = mentions(
        [
            (2, "positive", 3000, "news", "Harian", None, "a"),
            (1, "negative", 3000, "news", "Harian", None, "b"),
            (1, "positive", 1000, "x", "X", None, "c"),
            (2, "negative", 1000, "x", "X", None, "d"),
        ],
        "2026-11-10",
        start=100,
    )
    found = decompose(before, now)
    # Before 0; now (9,000 × 33.3 − 3,000 × 33.3) / 12,000 = 16.7. Net sentiment unchanged.
    assert found.index_before == pytest.approx(0.0)
    assert found.index_now == pytest.approx(100 / 6)
    assert found.net_change == pytest.approx(0.0)
    assert found.weighting_points == pytest.approx(100 / 6)
    by_platform = {e.key: e for e in found.of("platform")}
    assert {k: e.sentiment_points for k, e in by_platform.items()} == pytest.approx(
        {"news": 0.0, "x": 0.0}
    )
    # news: share 0.5 -> 0.75, tone 33.3 against the average 8.3: 0.25 × 25 = 6.25;
    # X: share 0.5 -> 0.25, tone −33.3: −0.25 × −41.7 = 10.4. Both raise the index.
    assert by_platform["news"].reach_points == pytest.approx(6.25)
    assert by_platform["x"].reach_points == pytest.approx(0.25 * (100 / 3 + 100 / 12))
    assert sum(e.points for e in by_platform.values()) == pytest.approx(found.index_change)
    assert by_platform["news"].mostly_reach


def test_a_change_of_tone_is_a_sentiment_effect() -> None:
    before = mentions([(4, "positive", 10, "x", "X", None, "a")], "2026-10-10")
    now = mentions(
        [(2, "positive", 10, "x", "X", None, "a"), (2, "negative", 10, "x", "X", None, "a")],
        "2026-11-10",
        start=50,
    )
    found = decompose(before, now)
    (x,) = found.of("platform")
    assert (x.reach_points, x.sentiment_points) == pytest.approx((0.0, -100.0))
    assert x.net_before == pytest.approx(100.0) and x.net_now == pytest.approx(0.0)
    assert not x.mostly_reach


def test_no_index_in_one_period_means_nothing_to_split() -> None:
    empty = mentions([], "2026-10-10")
    first_month = mentions(
        [(2, "positive", 5, "x", "X", None, "a"), (1, "negative", 50, "x", "X", "big", "b")],
        "2026-11-10",
    )
    found = decompose(empty, first_month)
    assert found.index_before is None and found.index_now == pytest.approx(100 * (10 - 50) / 60)
    assert found.index_change is None and found.main == ()
    # Still ranked (the report's top stories): by their pull against this month's own index.
    assert found.of("story")[0].key == "big"
    assert sum(e.points for e in found.of("story")) == pytest.approx(0.0)
    nothing = decompose(empty, empty)
    assert nothing.index_now is None and nothing.net_now is None


def test_a_groups_details_and_how_ties_are_broken() -> None:
    before = pd.concat(
        [
            mentions([(2, "positive", 100, "web", "Web", None, "a")], "2026-10-03"),
            mentions([(1, "positive", 100, "web", "Web", None, "a")], "2026-10-20", start=10),
        ],
        ignore_index=True,
    )
    bad = "gaji telat bayar"
    now = pd.concat(
        [
            mentions([(1, "negative", 500, "x", "B", None, bad)], "2026-11-02", start=100),
            mentions([(1, "negative", 500, "x", "A", None, bad)], "2026-11-05", start=101),
            mentions(
                [
                    (1, "negative", 500, "x", "B", None, bad),
                    (1, "negative", 500, "x", "A", None, bad),
                ],
                "2026-11-07",
                start=102,
            ),
            mentions([(3, "neutral", 10, "x", "", None, "c")], "2026-11-09", start=110),
            mentions([(1, "negative", 500, "x", "C", None, bad)], "2026-11-12", start=120),
        ],
        ignore_index=True,
    )
    found = decompose(
        before, now, topics=lambda text: ["gaji telat", "telat bayar"] if "gaji" in text else []
    )
    by_platform = {e.key: e for e in found.of("platform")}
    x, web = by_platform["x"], by_platform["web"]
    assert (x.mentions_now, x.mentions_before, x.reach_now, x.reach_before) == (8, 0, 2530, 0)
    assert (x.negative_now, x.positive_now, web.mentions_before, web.reach_before) == (5, 0, 3, 300)
    # Five mentions pull the index down equally hard: the first of them is the top one.
    assert x.top_seq == 100 and x.top_url == "https://example.id/100"
    # Most frequent sources now: "" (no source) is most frequent but not named; B and A are
    # equally frequent, B seen first.
    assert x.sources == ("B", "A") and web.sources == ()
    # Days of the latest period with mentions (the web had none now: its days before).
    assert (x.first_day, x.last_day) == ("2026-11-02", "2026-11-12")
    assert (web.first_day, web.last_day) == ("2026-10-03", "2026-10-20")
    # Two phrases in exactly the same mentions are one topic, named by both (alphabetically
    # among equally frequent ones).
    (topic,) = found.of("topic")
    assert (topic.key, topic.label, topic.mentions_now) == (
        "gaji telat",
        "gaji telat · telat bayar",
        5,
    )
    assert found.main[0].points < 0
