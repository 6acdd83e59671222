"""The rules the pages show, computed once in citra: scorecard, peer comparison, presence, topics."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from sqlite_utils import Database

from citra import metrics
from citra.comparison import organisation_totals, weekly_share
from citra.filters import Filters
from citra.presence import QUIET_DAYS, channels, silent_months
from citra.profile import Organisation
from citra.scorecard import scorecard, trend
from citra.store.imports import import_run
from citra.store.organisations import add_peer, set_profile
from citra.topics import GENERIC_WORDS, organisation_stop_words


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(125, 100, 0.25), (50, 100, -0.5), (10, 0, None), (0, 0, None)],
)
def test_growth(current: float, previous: float, expected: float | None) -> None:
    assert metrics.growth(current, previous) == expected


def _mention(n: int, org: int, day: str, label: str, reach: int = 10) -> dict:
    compound = {"positive": 0.6, "negative": -0.6, "neutral": 0.0}[label]
    return {
        "id": f"m{n}",
        "platform": "news",
        "organisation_id": org,
        "published_at": f"{day}T03:00:00Z",
        "title": f"berita {n}",
        "sentiment_label": label,
        "sentiment_compound": compound,
        "reach": reach,
        "lexicon_version": "test",
    }


def test_scorecard_compares_a_period_with_the_one_before(db: Database) -> None:
    coop = set_profile(db, name="KSP Sejahtera")
    peer = add_peer(db, "KSP Makmur")
    rows = [
        # the week before: 2 positive, 2 negative of the coop; 4 of the peer
        *(_mention(i, coop.id, "2026-10-26", "positive") for i in range(2)),
        *(_mention(10 + i, coop.id, "2026-10-27", "negative") for i in range(2)),
        *(_mention(20 + i, peer.id, "2026-10-27", "neutral") for i in range(4)),
        # this week: 6 positive, 2 negative of the coop; 2 of the peer
        *(_mention(30 + i, coop.id, "2026-11-02", "positive") for i in range(6)),
        *(_mention(40 + i, coop.id, "2026-11-03", "negative") for i in range(2)),
        *(_mention(50 + i, peer.id, "2026-11-03", "neutral") for i in range(2)),
    ]
    with import_run(db, kind="test") as run:
        run.add(rows)
    now = Filters.for_days(date(2026, 11, 2), date(2026, 11, 8), organisation_id=coop.id)
    card = scorecard(db, now, now.previous("Asia/Jakarta"), coop.id)
    assert (card.mentions_now, card.mentions_before) == (8, 4)
    assert card.mentions_growth == 1.0
    assert (card.net_now, card.net_before, card.net_change) == (50.0, 0.0, 50.0)
    assert card.index_change == 50.0
    assert (card.share_now, card.share_before) == (0.8, 0.5)
    assert card.share_change_points == pytest.approx(30.0)
    assert trend(db, now).spikes == []
    assert not card.louder_is_worse  # the index rose: more share is good news


def test_organisation_totals_put_the_coop_first_and_weekly_share_sums_to_one() -> None:
    daily = pd.DataFrame(
        [
            # day, organisation_id, organisation, mentions, pos, neg, neu, weights
            ("2026-11-02", 2, "Peer", 6, 0, 6, 0, 0, 60, 0),
            ("2026-11-02", 1, "Coop", 2, 2, 0, 0, 20, 0, 0),
            ("2026-11-10", 1, "Coop", 2, 1, 1, 0, 10, 10, 0),
        ],
        columns=[
            "day",
            "organisation_id",
            "organisation",
            "mentions",
            "positive",
            "negative",
            "neutral",
            "pos_weight",
            "neg_weight",
            "neu_weight",
        ],
    )
    totals = organisation_totals(daily, coop_id=1)
    assert [(t.organisation, t.mentions, t.share_of_voice) for t in totals] == [
        ("Coop", 4, 0.4),
        ("Peer", 6, 0.6),
    ]
    assert totals[0].net_sentiment == 50.0 and totals[1].net_sentiment == -100.0
    weekly = weekly_share(daily, ["Coop", "Peer"])
    assert list(weekly["organisation"]) == ["Coop", "Coop", "Peer"]
    assert weekly.groupby("period")["share"].sum().round(9).eq(1.0).all()
    assert organisation_totals(daily.iloc[0:0], coop_id=1) == []


COOP = Organisation(
    id=1,
    name="KSP Sejahtera",
    kind="self",
    keywords=("Kopsera",),
    website="https://kopsera.id",
    accounts={"instagram": "@kopsera", "x": "@kopsera"},
)


@pytest.mark.parametrize(
    ("channel", "last_post", "status"),
    [
        ("website", None, "listed"),
        ("email", None, "missing"),
        ("facebook", None, "missing"),
        ("instagram", None, "no_posts"),
        ("instagram", "2026-11-30", "active"),
        ("instagram", "2026-10-31", "active"),  # 30 days before: not yet quiet
        ("instagram", "2026-10-30", "quiet"),  # 31 days
    ],
)
def test_channel_states(channel: str, last_post: str | None, status: str) -> None:
    found = {
        c.channel: c
        for c in channels(COOP, {channel: last_post} if last_post else {}, date(2026, 11, 30))
    }
    assert found[channel].status == status
    assert found[channel].is_gap == (status in {"missing", "no_posts", "quiet"})
    assert QUIET_DAYS == 30


def test_silent_months_start_at_the_first_post() -> None:
    monthly = pd.DataFrame(
        {"month": ["2026-07", "2026-09", "2026-08"], "platform": ["x", "x", "instagram"]}
    )
    assert silent_months(monthly, date(2026, 6, 1), date(2026, 10, 31)) == {
        "instagram": ["2026-09", "2026-10"],
        "x": ["2026-08", "2026-10"],
    }
    assert silent_months(monthly.iloc[0:0], date(2026, 6, 1), date(2026, 10, 31)) == {}


def test_organisation_stop_words_hold_name_words_and_generic_words() -> None:
    words = organisation_stop_words([COOP])
    assert {"sejahtera", "kopsera"} <= words
    assert words >= GENERIC_WORDS
    assert "ksp sejahtera" not in words


def test_charts_speak_the_readers_language() -> None:
    import plotly.graph_objects as go

    from citra.charts import localise

    days = [f"2026-{m:02d}-01" for m in (9, 10, 11, 12)] + ["2027-01-01"]
    fig = localise(go.Figure(go.Bar(x=days, y=[1200.5, 2, 3, 4, 5])), "id")
    assert fig.layout.separators == ",."
    assert list(fig.layout.xaxis.ticktext) == [
        "1 Sep<br>2026",
        "1 Okt",
        "1 Nov",
        "1 Des",
        "1 Jan<br>2027",
    ]
    months = localise(go.Figure(go.Bar(x=["2026-05", "2026-08"], y=[1, 2])), "id")
    assert list(months.layout.xaxis.ticktext) == ["Mei<br>2026", "Agu"]
    english = localise(go.Figure(go.Bar(x=days, y=[1, 2, 3, 4, 5])), "en")
    assert english.layout.separators == ".," and english.layout.xaxis.ticktext[1] == "1 Oct"
    categories = localise(go.Figure(go.Bar(x=["Bandung", "Cimahi"], y=[1, 2])), "id")
    assert categories.layout.xaxis.ticktext is None


@pytest.mark.parametrize(
    ("platform", "shown"),
    [
        ("tiktok", "TikTok"),
        ("youtube", "YouTube"),
        ("whatsapp", "WhatsApp"),
        ("x", "X"),
        ("news", "News"),
        ("forum", "Forum"),
        (None, ""),
    ],
)
def test_platforms_are_written_as_they_write_themselves(platform: str | None, shown: str) -> None:
    from citra.formatting import platform_name

    assert platform_name(platform) == shown


def test_the_month_still_running_is_no_gap() -> None:
    monthly = pd.DataFrame({"month": ["2026-10", "2026-11"], "platform": ["facebook", "facebook"]})
    assert silent_months(monthly, date(2026, 1, 1), date(2026, 12, 1)) == {}
    assert silent_months(monthly, date(2026, 1, 1), date(2026, 12, 31)) == {"facebook": ["2026-12"]}


def test_a_week_the_period_cuts_is_scaled_to_seven_days() -> None:
    daily = pd.DataFrame(
        {
            "day": ["2026-11-23", "2026-11-24", "2026-11-30", "2026-12-01"],
            "organisation": ["Coop"] * 4,
            "mentions": [7, 7, 4, 4],
        }
    )
    weekly = weekly_share(daily, ["Coop"], first_day="2026-11-23", last_day="2026-12-01")
    # 23-29 Nov is whole (14 mentions); 30 Nov - 1 Dec is two days of a week (8 -> 28 a week).
    assert list(weekly["mentions"]) == [14, 8]
    assert list(weekly["per_week"]) == [14.0, 28.0]


def test_the_day_still_running_counts_as_the_part_of_it_gone_by() -> None:
    daily = pd.DataFrame(
        {"day": ["2026-11-30", "2026-12-01"], "organisation": ["Coop"] * 2, "mentions": [10, 5]}
    )
    noon = datetime(2026, 12, 1, 12, 0)
    weekly = weekly_share(daily, ["Coop"], first_day="2026-11-23", last_day="2026-12-01", now=noon)
    # Monday and half of Tuesday: 15 mentions in 1.5 days -> 70 a week, not 52.5.
    assert list(weekly["per_week"]) == [70.0]
    # A period that ended before today is counted in whole days, whatever the clock says.
    earlier = weekly_share(daily, ["Coop"], last_day="2026-12-01", now=datetime(2026, 12, 2, 9))
    assert list(earlier["per_week"]) == [52.5]
    # Just after midnight a week still counts at least one day.
    early = weekly_share(
        daily.iloc[1:],
        ["Coop"],
        first_day="2026-12-01",
        last_day="2026-12-01",
        now=datetime(2026, 12, 1, 0, 5),
    )
    assert list(early["per_week"]) == [35.0]


@pytest.mark.parametrize(
    ("preset", "first", "last"),
    [
        ("today", date(2026, 11, 23), date(2026, 11, 23)),
        ("yesterday", date(2026, 11, 22), date(2026, 11, 22)),
        ("this_quarter", date(2026, 10, 1), date(2026, 11, 23)),
    ],
)
def test_short_and_quarter_presets(preset: str, first: date, last: date) -> None:
    from citra.filters import PRESETS, preset_range

    assert preset in PRESETS
    assert preset_range(preset, date(2026, 11, 23)) == (first, last)
