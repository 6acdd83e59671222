"""The rules on stored data: what fires, once per cool-down, with the mentions quoted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database

from citra.alerts import engine
from citra.filters import Filters
from citra.queries.alerts import list_alerts, open_alerts, rule_settings
from citra.scorecard import trend
from citra.store.alerts import acknowledge, save_rule_settings
from citra.store.imports import import_run
from citra.store.news import add_feed
from citra.store.organisations import add_peer, set_profile

NOW = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
_seq = count(1)


def mention(org: int, at: datetime, label: str = "negative", **fields: object) -> dict:
    n = next(_seq)
    compound = {"positive": 0.6, "negative": -0.6, "neutral": 0.0}[label]
    return {
        "id": f"m{n}",
        "platform": "news",
        "organisation_id": org,
        "published_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "title": f"Berita {n}",
        "source": "kabar.example",
        "url": f"https://kabar.example/{n}",
        "sentiment_label": label,
        "sentiment_compound": compound,
        "lexicon_version": "test",
        **fields,
    }


def store(db: Database, rows: list[dict]) -> None:
    """Store mentions; a ``story_id`` is set afterwards, as the news collector groups stories."""
    stories = [(row.pop("story_id"), row["id"]) for row in rows if "story_id" in row]
    with import_run(db, kind="test") as run:
        run.add(rows)
    db.conn.executemany("UPDATE mentions SET story_id = ? WHERE id = ?", stories)


def baseline(org: int, per_day: list[int], end: datetime = NOW) -> list[dict]:
    """``per_day[i]`` negative mentions in the 24 hours ending ``i + 1`` days before ``end``,
    and one neutral mention two months before (the coop was known before the baseline)."""
    return [
        mention(org, end - timedelta(days=60), "neutral"),
        *(
            mention(org, end - timedelta(days=i + 1, hours=1 + j % 20))
            for i, n in enumerate(per_day)
            for j in range(n)
        ),
    ]


@pytest.fixture
def coop(db: Database):
    return set_profile(db, name="KSP Sejahtera")


def rules_fired(db: Database) -> list[tuple[str, str]]:
    return [(a.rule, a.subject) for a in reversed(list_alerts(db))]


def test_a_negative_spike_fires_once_with_the_worst_mentions_quoted(db, coop) -> None:
    store(db, baseline(coop.id, [2, 3, 4, 3] * 7))
    store(db, [mention(coop.id, NOW - timedelta(hours=h), reach=100 * h) for h in range(1, 13)])
    assert engine.evaluate(db, now=NOW)
    [alert] = list_alerts(db)
    assert (alert.rule, alert.subject) == ("negative_spike", f"negative_spike:{coop.id}")
    assert alert.details["count"] == 12 and alert.details["baseline"] == 3.0
    assert alert.details["days"] == 28 and alert.organisation == "KSP Sejahtera"
    assert [m.reach for m in alert.mentions] == [1200, 1100, 1000, 900, 800]
    # Still spiking an hour later, inside the cool-down: nothing new.
    assert engine.evaluate(db, now=NOW + timedelta(hours=1)) == []
    # The next day's spike is a new alert.
    store(db, [mention(coop.id, NOW + timedelta(hours=25 - h)) for h in range(12)])
    assert len(engine.evaluate(db, now=NOW + timedelta(hours=25))) == 1


def test_just_under_the_threshold_and_a_flat_baseline_fire_nothing(db, coop) -> None:
    store(db, baseline(coop.id, [2, 3, 4, 3] * 7))
    # mean 3, sd floored at 1: six is exactly three deviations, not above them
    store(db, [mention(coop.id, NOW - timedelta(hours=h)) for h in range(1, 7)])
    assert engine.evaluate(db, now=NOW) == []


def test_a_flat_baseline_stays_quiet_until_it_jumps(db, coop) -> None:
    store(db, baseline(coop.id, [2] * 28))
    store(db, [mention(coop.id, NOW - timedelta(hours=h)) for h in range(1, 3)])
    assert engine.evaluate(db, now=NOW) == []
    store(db, [mention(coop.id, NOW - timedelta(minutes=m)) for m in range(1, 5)])
    assert [a.rule for a in list_alerts(db)] == []  # not evaluated yet
    assert len(engine.evaluate(db, now=NOW)) == 1  # 6 against a flat 2: z = 4


def test_no_spike_without_a_week_of_history(db, coop) -> None:
    store(db, [mention(coop.id, NOW - timedelta(hours=h)) for h in range(1, 30)])
    assert engine.evaluate(db, now=NOW) == []


def test_risk_mentions_one_alert_per_story_and_category(db, coop) -> None:
    wire = "Koperasi KSP Sejahtera gagal bayar, dana anggota tidak kembali"
    store(
        db,
        [
            mention(coop.id, NOW - timedelta(hours=3), risk=1, story_id="s1", title=wire),
            mention(coop.id, NOW - timedelta(hours=2), risk=1, story_id="s1", title=wire),
            mention(coop.id, NOW - timedelta(hours=1), risk=1, title="Pengurus KSP Sejahtera diduga penipuan"),
            mention(coop.id, NOW - timedelta(hours=1), risk=0, title="KSP Sejahtera buka cabang"),
            mention(coop.id, NOW - timedelta(hours=1), risk=1, is_own=1, title="Klarifikasi gagal bayar"),
            mention(coop.id, NOW - timedelta(days=5), risk=1, title="Arsip: gagal bayar"),
        ],
    )  # fmt: skip
    fired = engine.evaluate(db, now=NOW)
    assert len(fired) == 2
    by_subject = {a.subject: a for a in list_alerts(db)}
    story = by_subject[f"risk:{coop.id}:default:s1"]
    assert [m.title for m in story.mentions] == [wire, wire]
    assert story.details == {"category": "default", "story": "s1", "count": 2}
    [fraud] = [a for a in by_subject.values() if a.details["category"] == "fraud"]
    assert fraud.mentions[0].risk_category == "fraud"
    assert fraud.mentions[0].url.startswith("https://kabar.example/")
    assert fraud.mentions[0].sentiment_label == "negative"


def test_a_second_import_inside_the_cool_down_does_not_fire_again(db, coop) -> None:
    wire = "KSP Sejahtera gagal bayar"
    store(db, [mention(coop.id, NOW - timedelta(hours=2), risk=1, story_id="s1", title=wire)])
    assert len(engine.evaluate(db, now=NOW)) == 1
    later = NOW + timedelta(hours=3)
    store(db, [mention(coop.id, later - timedelta(hours=1), risk=1, story_id="s1", title=wire)])
    assert engine.evaluate(db, now=later) == []
    [alert] = list_alerts(db)
    assert len(alert.mentions) == 2  # the copy is recorded as seen by the alert
    # Seen copies do not fire it again once the cool-down is over; a new copy does.
    assert engine.evaluate(db, now=NOW + timedelta(hours=30)) == []
    third = NOW + timedelta(hours=31)
    store(db, [mention(coop.id, third - timedelta(hours=1), risk=1, story_id="s1", title=wire)])
    assert len(engine.evaluate(db, now=third)) == 1


def test_high_reach_negative_mention(db, coop) -> None:
    store(
        db,
        [
            mention(coop.id, NOW - timedelta(hours=1), reach=250_000, title="Anggota kecewa"),
            mention(coop.id, NOW - timedelta(hours=1), reach=9_000),
            mention(coop.id, NOW - timedelta(hours=1), "positive", reach=900_000),
        ],
    )
    engine.evaluate(db, now=NOW)
    [alert] = list_alerts(db)
    assert alert.rule == "high_reach" and alert.details["reach"] == 250_000
    assert [m.title for m in alert.mentions] == ["Anggota kecewa"]
    save_rule_settings(db, rule_settings(db).changed(high_reach=5_000))
    engine.evaluate(db, now=NOW)
    assert [a.details["reach"] for a in list_alerts(db)] == [9_000, 250_000]


def test_peer_crisis_spike_and_risk_cluster(db, coop) -> None:
    peer = add_peer(db, "KSP Makmur")
    store(db, baseline(peer.id, [1] * 28))
    store(db, [mention(peer.id, NOW - timedelta(hours=h)) for h in range(1, 9)])
    store(db, [mention(peer.id, NOW - timedelta(hours=h), risk=1) for h in range(1, 3)])
    engine.evaluate(db, now=NOW)
    assert rules_fired(db) == [("peer_crisis", f"peer_crisis:{peer.id}:spike")]
    store(db, [mention(peer.id, NOW - timedelta(minutes=5), risk=1, title="KSP Makmur pailit")])
    engine.evaluate(db, now=NOW)
    [cluster] = [a for a in list_alerts(db) if a.details.get("kind") == "risk"]
    assert cluster.details["count"] == 3 and cluster.organisation == "KSP Makmur"
    assert "insolvency" in {m.risk_category for m in cluster.mentions}
    # Risk mentions about a peer alone are no coop risk alert.
    assert {a.rule for a in list_alerts(db)} == {"peer_crisis"}


def test_a_feed_failing_too_long(db, coop) -> None:
    feed = add_feed(db, "https://kabar.example/rss", name="Kabar")
    db.execute(
        "UPDATE feeds SET consecutive_failures = 4, last_error = 'HTTP 503', "
        "last_success_at = ? WHERE id = ?",
        ["2026-11-22T04:00:00Z", feed.id],
    )
    engine.evaluate(db, now=NOW - timedelta(hours=2))
    assert list_alerts(db) == []  # 23 hours
    engine.evaluate(db, now=NOW)
    [alert] = list_alerts(db)
    assert alert.rule == "feed_health" and alert.details["error"] == "HTTP 503"
    assert alert.details["failures"] == 4 and alert.details["feed"] == "Kabar"
    engine.evaluate(db, now=NOW + timedelta(days=2))
    assert len(list_alerts(db)) == 1  # a week's cool-down


def test_demo_data_alerts_nobody(db) -> None:
    coop = set_profile(db, name="KSP Demo")
    store(db, [mention(coop.id, NOW - timedelta(hours=1), risk=1, is_demo=1)])
    assert engine.evaluate(db, now=NOW) == []


def test_acknowledging_keeps_who_and_when(db, coop) -> None:
    store(db, [mention(coop.id, NOW - timedelta(hours=1), risk=1, title="gagal bayar")])
    [alert_id] = engine.evaluate(db, now=NOW)
    assert [a.id for a in open_alerts(db)] == [alert_id]
    acked = acknowledge(db, alert_id, "  Dimas ", NOW + timedelta(minutes=5))
    assert (acked.acknowledged_by, acked.acknowledged_at) == ("Dimas", "2026-11-23T05:05:00Z")
    assert open_alerts(db) == []
    again = acknowledge(db, alert_id, "Sari", NOW + timedelta(hours=1))
    assert again.acknowledged_by == "Dimas"  # the first acknowledgement stays


def test_two_evaluations_at_once_fire_one_alert(db, coop) -> None:
    from citra.store.alerts import fire

    kwargs = {
        "rule": "risk",
        "subject": "risk:1:x",
        "fired_at": NOW,
        "cooldown": timedelta(hours=24),
    }
    assert fire(db, **kwargs) is not None
    assert fire(db, **kwargs) is None


def test_the_overview_trend_marks_days_by_the_same_rule(db, coop) -> None:
    days = [NOW - timedelta(days=d) for d in range(40, 0, -1)]
    rows = [mention(coop.id, d) for d in days for _ in range(2)]
    rows += [mention(coop.id, NOW - timedelta(days=5, hours=1)) for _ in range(10)]
    rows += [mention(coop.id, NOW - timedelta(days=3), "positive") for _ in range(30)]
    store(db, rows)
    period = Filters.for_days(
        (NOW - timedelta(days=13)).date(), NOW.date(), organisation_id=coop.id
    )
    marked = trend(db, period)
    # The day of twelve negative mentions; the positive burst is no negative spike.
    day = (NOW - timedelta(days=5, hours=1)).astimezone(ZoneInfo("Asia/Jakarta")).date()
    assert marked.spike_days == [day.isoformat()]
    assert marked.spikes[0].value == 12 and marked.spikes[0].baseline == pytest.approx(2)


def test_the_pipeline_runs_the_rules_after_scoring_and_only_where_they_can_fire(db, coop) -> None:
    from citra import pipeline

    assert [name for name, _ in pipeline.STEPS] == ["scoring", "narratives", "alerts"]
    recent = datetime.now(UTC) - timedelta(hours=1)
    store(db, [mention(coop.id, recent, risk=1, title="KSP Sejahtera gagal bayar")])
    assert pipeline.finish(db, pipeline.Change("registry"))["alerts"]["fired"] == []
    assert len(pipeline.finish(db, pipeline.Change("import", (1,)))["alerts"]["fired"]) == 1
