"""The alert rules as plain functions, on constructed series and records (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from citra.alerts import rules
from citra.errors import CitraError
from citra.queries.news import Feed

NOW = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
# 28 days of 2 to 4 negative mentions a day: mean 3, population standard deviation sqrt(2/3).
BASELINE = [2, 3, 4, 3] * 7
STD = (2 / 3) ** 0.5


@pytest.mark.parametrize(
    ("value", "history", "fires"),
    [
        (12, BASELINE, True),  # far above mean + 3 sd (3 + 3 * 1 with the floor of 1)
        (6, BASELINE, False),  # z = 3 exactly: not above the threshold
        (6.01, BASELINE, True),  # just above
        (5.99, BASELINE, False),  # just under the threshold
        (4, [0] * 28, False),  # a flat zero baseline: 4 is a jump, but under the minimum of 5
        (5, [0] * 28, True),  # the minimum on a flat zero baseline (sd floored at 1: z = 5)
        (2, [2] * 28, False),  # a flat baseline stays flat
        (12, BASELINE[:6], False),  # six days are no baseline yet
        (12, BASELINE[:7], True),  # seven are
    ],
)
def test_spike_threshold_minimum_and_history(value: float, history: list, fires: bool) -> None:
    hit = rules.spike(value, history, k=3, minimum=5)
    assert (hit is not None) is fires
    if hit:
        assert hit.baseline == pytest.approx(sum(history) / len(history))
        assert hit.value == value


def test_the_deviation_is_floored_at_one_but_used_above_it() -> None:
    wide = [0, 10] * 14  # mean 5, sd 5
    assert rules.spike(20, wide, k=3, minimum=5) is None  # z = 3
    assert rules.spike(21, wide, k=3, minimum=5).z == pytest.approx(3.2)
    # sd below 1 counts as 1: mean 3, so 6.5 is z = 3.5 (it would be 4.3 with the real sd)
    assert rules.spike(6.5, BASELINE, k=3, minimum=5).z == pytest.approx(3.5)
    assert STD < 1


def test_negative_spikes_over_a_series_mark_only_the_jump() -> None:
    series = [3.0] * 30 + [14.0] + [3.0] * 5
    found = rules.negative_spikes(series, k=3, minimum=5, window=28)
    assert [(s.index, s.value) for s in found] == [(30, 14.0)]
    assert found[0].baseline == pytest.approx(3.0)


def test_negative_spikes_need_known_history() -> None:
    # The first data arrive on day 20: days before it are not a baseline of zeros.
    series = [0.0] * 20 + [8.0] * 3 + [2.0] * 10
    assert rules.negative_spikes(series, k=3, minimum=5, window=28, first_known=20) == []
    # Without that knowledge, day 20 would look like a spike against twenty empty days.
    assert rules.negative_spikes(series, k=3, minimum=5, window=28)[0].index == 20


def _m(n: int, **fields: object) -> dict:
    return {"id": f"m{n}", "risk": 1, "sentiment_label": "negative", **fields}


def test_risk_groups_one_alert_per_category_and_story() -> None:
    mentions = [
        _m(1, story_id="wire", risk_category="default"),
        _m(2, story_id="wire", risk_category="default"),  # a syndicated copy
        _m(3, story_id="wire", risk_category="fraud"),  # the same story, another category
        _m(4, risk_category="default"),  # a story of its own
        _m(5, story_id="wire", risk=0),  # not flagged
        _m(6),  # flagged without a category
    ]
    groups = rules.risk_groups(mentions)
    assert [(g.key, [m["id"] for m in g.mentions]) for g in groups] == [
        ("default:wire", ["m1", "m2"]),
        ("fraud:wire", ["m3"]),
        ("default:m4", ["m4"]),
        ("risk:m6", ["m6"]),
    ]


def test_a_story_without_story_id_is_its_headline() -> None:
    wire = "KSP Sejahtera  gagal bayar simpanan anggota"
    copies = [_m(1, title=wire), _m(2, title=wire.upper()), _m(3, title="Gagal bayar")]
    stories = [rules.story_of(m) for m in copies]
    assert stories[0] == stories[1] and stories[0].startswith("title-")
    assert stories[2] == "m3"  # too short a headline to tell stories apart
    assert rules.story_of(_m(4, title=wire, story_id="s9")) == "s9"


def test_high_reach_counts_negative_mentions_at_the_threshold() -> None:
    mentions = [
        _m(1, reach=10_000),
        _m(2, reach=9_999),
        _m(3, reach=50_000, sentiment_label="positive"),
        _m(4, reach=None),
        _m(5, reach=20_000, story_id="s"),
        _m(6, reach=30_000, story_id="s"),
    ]
    groups = rules.high_reach_groups(mentions, 10_000)
    assert [(g.key, len(g.mentions)) for g in groups] == [("m1", 1), ("s", 2)]


def test_risk_cluster() -> None:
    assert rules.risk_cluster([_m(1), _m(2), _m(3)], 3)
    assert not rules.risk_cluster([_m(1), _m(2), _m(3, risk=0)], 3)


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("KSP Sejahtera gagal bayar, dana anggota tidak kembali", ["default"]),
        ("Pengurus diduga penipuan dan penggelapan dana", ["fraud", "embezzlement"]),
        ("Koperasi meraih penghargaan", []),
    ],
)
def test_risk_categories_come_from_the_risk_terms(text: str, categories: list[str]) -> None:
    assert rules.risk_categories(None, text) == categories


def _feed(**fields: object) -> Feed:
    values = {
        "id": 1, "url": "https://a.example/rss", "name": "A", "kind": "outlet",
        "organisation_id": None, "enabled": True, "verified": True, "catalogue_key": None,
        "etag": None, "last_modified": None, "last_fetched_at": None, "last_success_at": None,
        "last_status": None, "last_error": "HTTP 500", "last_added": 0,
        "consecutive_failures": 3, "next_fetch_at": None, "added_at": "2026-11-01T00:00:00Z",
    }  # fmt: skip
    values.update(fields)
    return Feed(**values)


def test_failing_feeds_after_the_configured_time() -> None:
    feeds = [
        _feed(id=1, last_success_at="2026-11-22T04:00:00Z"),  # 25 h: alerts
        _feed(id=2, last_success_at="2026-11-22T06:00:00Z"),  # 23 h: not yet
        _feed(id=3, last_success_at=None),  # never worked since 1 Nov
        _feed(id=4, consecutive_failures=0),  # healthy
        _feed(id=5, enabled=False),  # disabled: nobody expects it
    ]
    assert [f.id for f in rules.failing_feeds(feeds, NOW, 24)] == [1, 3]


def test_subjects() -> None:
    assert rules.subject("risk", 1, "fraud:wire") == "risk:1:fraud:wire"


def test_next_digest_is_the_next_local_hour() -> None:
    # 05:00 UTC is 12:00 WIB: today's 07:00 WIB has passed, tomorrow's is 00:00 UTC.
    assert rules.next_digest(NOW, 7, "Asia/Jakarta") == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    assert rules.next_digest(NOW, 13, "Asia/Jakarta") == datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    assert rules.next_digest(NOW, 12, "Asia/Jakarta") == NOW


def test_retry_back_off() -> None:
    minutes = [rules.retry_delay(n).total_seconds() / 60 for n in range(1, 7)]
    assert minutes == [5, 15, 45, 135, 360, 360]


def test_settings_defaults_storage_and_validation() -> None:
    settings = rules.RuleSettings()
    assert (settings.spike_k, settings.spike_minimum, settings.baseline_days) == (3.0, 5, 28)
    assert settings.cooldown("feed_health") == timedelta(days=7)
    stored = {"spike_k": 2.5, "unknown": 1, "cooldown_hours": {"risk": 6}}
    loaded = rules.RuleSettings.from_dict(stored)
    assert loaded.spike_k == 2.5 and loaded.cooldown("risk") == timedelta(hours=6)
    assert loaded.cooldown("negative_spike") == timedelta(hours=24)
    assert rules.RuleSettings.from_dict(loaded.as_dict()) == loaded
    with pytest.raises(CitraError, match="spike_k must be a number above 0"):
        settings.changed(spike_k=0)
    with pytest.raises(CitraError, match="baseline_days"):
        settings.changed(baseline_days=3)
