"""The coop against its peers: totals, share of voice and sentiment per organisation, and the
weekly share of voice and reputation index. Pure computations over the daily rollup rows that
``citra.queries.mentions.daily_by_organisation`` returns (one row per day and organisation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pandas as pd

from citra import metrics

_SUMMED = ["mentions", "positive", "negative", "neutral", "pos_weight", "neg_weight", "neu_weight"]


@dataclass(frozen=True)
class OrganisationTotals:
    """One organisation over the period: mentions, share of voice (0..1), net sentiment and
    reputation index (-100..+100, ``None`` without scored mentions)."""

    organisation_id: int
    organisation: str
    mentions: int
    share_of_voice: float | None
    net_sentiment: float | None
    reputation_index: float | None


def organisation_totals(daily: pd.DataFrame, coop_id: int) -> list[OrganisationTotals]:
    """Each organisation's totals, the coop first, then peers by volume. Empty input: ``[]``."""
    if daily.empty:
        return []
    totals = daily.groupby(["organisation_id", "organisation"], sort=False)[_SUMMED].sum()
    totals = totals.reset_index()
    totals["is_self"] = totals["organisation_id"] == coop_id
    totals = totals.sort_values(["is_self", "mentions"], ascending=[False, False])
    volume = dict(zip(totals["organisation_id"], totals["mentions"], strict=True))
    return [
        OrganisationTotals(
            organisation_id=int(row.organisation_id),
            organisation=str(row.organisation),
            mentions=int(row.mentions),
            share_of_voice=metrics.share_of_voice(volume, row.organisation_id),
            net_sentiment=metrics.net_sentiment(
                {"positive": row.positive, "negative": row.negative, "neutral": row.neutral}
            ),
            reputation_index=metrics.reputation_index(
                {"positive": row.pos_weight, "negative": row.neg_weight, "neutral": row.neu_weight}
            ),
        )
        for row in totals.itertuples()
    ]


def weekly_share(
    daily: pd.DataFrame,
    order: list[str],
    *,
    first_day: str | None = None,
    last_day: str | None = None,
    now: datetime | None = None,
) -> pd.DataFrame:
    """Mentions and share of voice per week (weeks start on Monday) and organisation:
    ``period`` (the Monday, ``YYYY-MM-DD``), ``organisation``, ``mentions``, ``share`` (0..1),
    ``per_week`` (mentions scaled to seven days: a week the period cuts, such as the one still
    running, would otherwise look like a collapse), sorted by ``order`` (organisation names) and
    then by week. ``first_day``/``last_day`` (local ISO days) bound the period; without them the
    weeks count whole. ``now`` (local time) is when counting stopped: when ``last_day`` is its
    day, that day counts as the part of it gone by (so a morning's mentions are not read as a
    whole day's); a week is never scaled up from less than one day."""
    weekly = daily.assign(
        period=pd.to_datetime(daily["day"])
        .dt.to_period("W-SUN")
        .dt.start_time.dt.strftime("%Y-%m-%d")
    )
    weekly = weekly.groupby(["period", "organisation"], sort=False)["mentions"].sum().reset_index()
    weekly["share"] = weekly["mentions"] / weekly.groupby("period")["mentions"].transform("sum")
    monday = pd.to_datetime(weekly["period"])
    sunday = monday + pd.Timedelta(days=6)
    if first_day:
        monday = monday.clip(lower=pd.Timestamp(first_day))
    if last_day:
        sunday = sunday.clip(upper=pd.Timestamp(last_day))
    covered = ((sunday - monday).dt.days + 1).astype(float)
    if now is not None and last_day == now.date().isoformat():
        passed = (now - datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)) / timedelta(
            days=1
        )
        covered = covered.where(sunday < pd.Timestamp(last_day), covered - 1 + passed)
    weekly["per_week"] = weekly["mentions"] * 7 / covered.clip(lower=1, upper=7)
    weekly["order"] = weekly["organisation"].map({name: i for i, name in enumerate(order)})
    return weekly.sort_values(["order", "period"]).drop(columns="order").reset_index(drop=True)


# Fewer scored mentions than this in a week give no weekly index: one or two mentions would
# swing it from -100 to +100 and back.
MIN_WEEKLY_MENTIONS = 5


def weekly_reputation(
    daily: pd.DataFrame, order: list[str], *, min_mentions: int = MIN_WEEKLY_MENTIONS
) -> pd.DataFrame:
    """The reputation index per week (weeks start on Monday) and organisation, as
    :func:`citra.metrics.reputation_index` computes it for a period: ``period`` (the Monday,
    ``YYYY-MM-DD``), ``organisation``, ``mentions``, ``index`` (-100..+100; ``None`` for a week
    with fewer than ``min_mentions`` scored mentions, drawn as a gap). A week the period cuts
    needs no scaling: the index is a ratio. Sorted by ``order`` (organisation names), then by
    week. Empty input: no rows."""
    columns = ["period", "organisation", "mentions", "index"]
    if daily.empty:
        return pd.DataFrame(columns=columns)
    weekly = daily.assign(
        period=pd.to_datetime(daily["day"])
        .dt.to_period("W-SUN")
        .dt.start_time.dt.strftime("%Y-%m-%d")
    )
    weekly = weekly.groupby(["period", "organisation"], sort=False)[_SUMMED].sum().reset_index()
    scored = weekly["positive"] + weekly["negative"] + weekly["neutral"]
    weekly["index"] = [
        metrics.reputation_index({"positive": p, "negative": n, "neutral": u})
        if count >= min_mentions
        else None
        for p, n, u, count in zip(
            weekly["pos_weight"], weekly["neg_weight"], weekly["neu_weight"], scored, strict=True
        )
    ]
    weekly["order"] = weekly["organisation"].map({name: i for i, name in enumerate(order)})
    weekly = weekly.sort_values(["order", "period"]).reset_index(drop=True)
    return weekly[columns]
