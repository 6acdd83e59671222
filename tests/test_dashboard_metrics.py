"""Metrics, filters and rising terms against hand-computed examples."""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import date

import pytest

from citra import metrics
from citra.filters import Filters, opening_preset, preset_range
from citra.topics import log_odds, rising_terms, terms
from tests.conftest import FIXTURES


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ({"positive": 300, "neutral": 100, "negative": 100}, 40.0),  # 100 * 200 / 500
        ({"positive": 0, "neutral": 0, "negative": 50}, -100.0),
        ({"positive": 10, "neutral": 10, "negative": 10, "none": 999}, 0.0),  # unscored ignored
        ({"none": 5}, None),
        ({}, None),
    ],
)
def test_reputation_index(weights: dict, expected: float | None) -> None:
    assert metrics.reputation_index(weights) == expected


@pytest.mark.parametrize(
    ("volumes", "org", "expected"),
    [({1: 30, 2: 70}, 1, 0.3), ({1: 30, 2: 70}, 3, 0.0), ({}, 1, None)],
)
def test_share_of_voice(volumes: dict, org: int, expected: float | None) -> None:
    assert metrics.share_of_voice(volumes, org) == expected


@pytest.mark.parametrize(
    ("values", "indexes"),
    [
        ([10] * 14 + [30], [14]),  # flat baseline: deviation taken as 1, z = 20
        ([10, 12] * 7 + [13], []),  # mean 11, deviation 1: z = 2, below 3
        ([10, 12] * 7 + [14], [14]),  # z = 3 exactly counts
        ([0, 1] * 7 + [4], []),  # z = 7 but fewer than 5 mentions
        ([50] * 10, []),  # shorter than the window
    ],
)
def test_spikes(values: list[float], indexes: list[int]) -> None:
    assert [s.index for s in metrics.spikes(values)] == indexes


def test_change_and_per_post() -> None:
    assert metrics.change(12.0, -3.0) == 15.0
    assert metrics.change(None, 3.0) is None
    assert metrics.per_post(90, 3) == 30 and metrics.per_post(5, 0) is None


@pytest.mark.parametrize(
    ("preset", "today", "first", "last"),
    [
        ("7d", date(2026, 3, 10), date(2026, 3, 4), date(2026, 3, 10)),
        ("30d", date(2026, 3, 10), date(2026, 2, 9), date(2026, 3, 10)),
        ("this_month", date(2026, 3, 10), date(2026, 3, 1), date(2026, 3, 10)),
        ("last_month", date(2026, 3, 10), date(2026, 2, 1), date(2026, 2, 28)),
        ("last_month", date(2026, 1, 5), date(2025, 12, 1), date(2025, 12, 31)),
        ("this_year", date(2026, 3, 10), date(2026, 1, 1), date(2026, 3, 10)),
        ("nonsense", date(2026, 3, 10), date(2025, 12, 11), date(2026, 3, 10)),
    ],
)
def test_preset_ranges(preset: str, today: date, first: date, last: date) -> None:
    assert preset_range(preset, today) == (first, last)


def test_filters_are_jakarta_days_in_utc() -> None:
    f = Filters.for_days(date(2026, 3, 1), date(2026, 3, 7), platforms=["x", "news"])
    assert (f.start, f.end) == ("2026-02-28T17:00:00Z", "2026-03-07T17:00:00Z")
    assert f.platforms == ("news", "x") and f.days == 7
    before = f.previous()  # a month so far: the same days of the month before
    assert (before.first_day, before.last_day) == ("2026-02-01", "2026-02-07")
    assert hash(f) == hash(
        Filters.for_days(date(2026, 3, 1), date(2026, 3, 7), platforms=["news", "x"])
    )


@pytest.mark.parametrize(
    ("first", "last", "before_first", "before_last"),
    [
        # whole calendar months compare with as many whole months before
        (date(2026, 11, 1), date(2026, 11, 30), date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 3, 1), date(2026, 3, 31), date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 1, 1), date(2026, 1, 31), date(2025, 12, 1), date(2025, 12, 31)),
        (date(2026, 5, 1), date(2026, 6, 30), date(2026, 3, 1), date(2026, 4, 30)),
        # a month so far: the same days of the month before, cut at its end
        (date(2026, 12, 1), date(2026, 12, 10), date(2026, 11, 1), date(2026, 11, 10)),
        (date(2026, 3, 1), date(2026, 3, 30), date(2026, 2, 1), date(2026, 2, 28)),
        # anything else: as many days just before
        (date(2026, 3, 10), date(2026, 3, 16), date(2026, 3, 3), date(2026, 3, 9)),
        (date(2026, 1, 15), date(2026, 2, 14), date(2025, 12, 15), date(2026, 1, 14)),
    ],
)
def test_the_period_before(first: date, last: date, before_first: date, before_last: date) -> None:
    before = Filters.for_days(first, last, organisation_id=3).previous()
    assert (before.first_day, before.last_day) == (
        before_first.isoformat(),
        before_last.isoformat(),
    )
    assert before.organisation_id == 3


@pytest.mark.parametrize(
    ("today", "preset"),
    [(date(2026, 12, 1), "last_month"), (date(2026, 12, 7), "last_month"),
     (date(2026, 12, 8), "this_month"), (date(2026, 2, 28), "this_month")],
)  # fmt: skip
def test_the_dashboard_opens_on_last_month_in_the_first_week(today: date, preset: str) -> None:
    assert opening_preset(today) == preset


def test_terms_words_hashtags_and_bigrams() -> None:
    assert terms("SHU KSP terlambat lagi, #SHUtelat 2 bulan!") == [
        "shu",
        "ksp",
        "shu ksp",
        "terlambat",
        "ksp terlambat",
        "#shutelat",
        "bulan",
    ]
    assert terms("the and yang di") == []
    assert terms("Tunas Makmur keren", extra_stop_words=["tunas", "makmur"]) == ["keren"]


def test_log_odds_by_hand() -> None:
    # now: a twice; before: a once, b once; prior strength 4 -> alpha_a = 3, alpha_b = 1.
    scores = log_odds(Counter(a=2), Counter(a=1, b=1), prior_strength=4)
    z_a = math.log(5 / 1) - math.log(4 / 2)
    z_b = math.log(1 / 5) - math.log(2 / 4)
    assert scores["a"] == pytest.approx(z_a / math.sqrt(1 / 5 + 1 / 4))
    assert scores["b"] == pytest.approx(z_b / math.sqrt(1 / 1 + 1 / 2))
    assert log_odds(Counter(), Counter()) == {}


def test_rising_terms_golden() -> None:
    case = json.loads((FIXTURES / "dashboard" / "rising_terms.json").read_text(encoding="utf-8"))
    found = rising_terms(case["now"], case["before"], min_count=2)
    assert [r.term for r in found[:3]] == case["expected_top_3"]
    assert not {r.term for r in found} & set(case["expected_not_rising"])
    assert rising_terms([], case["before"]) == []
