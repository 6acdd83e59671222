"""A period's reputation numbers against the period before: the Overview's tiles and the report's.

:func:`scorecard` reads the daily rollup (through ``citra.queries.mentions``) for a period and
the one before it and computes, once, what the board reads: the reputation index, mentions,
reach, net sentiment and share of voice, each with its change. Own-account posts are left out
(the coop's own posts are not what others say of it). Formulas: ``docs/metrics.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd
from sqlite_utils import Database

from citra import metrics
from citra.alerts.rules import negative_spikes
from citra.filters import Filters
from citra.queries.alerts import rule_settings
from citra.queries.mentions import (
    daily_by_label,
    mention_day_range,
    summary,
    volume_by_organisation,
)


@dataclass(frozen=True)
class Scorecard:
    """One organisation's numbers for a period (``now``) and the period before (``before``).

    Index and net sentiment are -100..+100 (``None`` without scored mentions); share of voice
    is a fraction 0..1 (``None`` when nobody was mentioned); growth is a fraction (+0.25 for a
    quarter more; ``None`` when the period before had none); changes are in points.
    """

    organisation_id: int
    index_now: float | None
    index_before: float | None
    mentions_now: int
    mentions_before: int
    reach_now: float
    reach_before: float
    net_now: float | None
    net_before: float | None
    share_now: float | None
    share_before: float | None

    @property
    def index_change(self) -> float | None:
        return metrics.change(self.index_now, self.index_before)

    @property
    def net_change(self) -> float | None:
        return metrics.change(self.net_now, self.net_before)

    @property
    def share_change_points(self) -> float | None:
        """The change in share of voice in percentage points."""
        if self.share_now is None or self.share_before is None:
            return None
        return 100 * (self.share_now - self.share_before)

    @property
    def louder_is_worse(self) -> bool:
        """Whether more share of voice is bad news: when the reputation index fell, a rising
        share means the coop is talked about more while the talk turns sour (a crisis); then a
        falling share is the relief. Otherwise more share is good."""
        change = self.index_change
        return change is not None and change < 0

    @property
    def mentions_growth(self) -> float | None:
        return metrics.growth(self.mentions_now, self.mentions_before)

    @property
    def reach_growth(self) -> float | None:
        return metrics.growth(self.reach_now, self.reach_before)


def scorecard(db: Database, current: Filters, previous: Filters, organisation_id: int) -> Scorecard:
    """The :class:`Scorecard` of ``organisation_id`` for ``current`` against ``previous``
    (both filters already narrowed to that organisation for the summaries)."""
    now = summary(db, current, is_own=0)
    before = summary(db, previous, is_own=0)
    return Scorecard(
        organisation_id=organisation_id,
        index_now=metrics.reputation_index(now.weight_by_label),
        index_before=metrics.reputation_index(before.weight_by_label),
        mentions_now=now.mentions,
        mentions_before=before.mentions,
        reach_now=now.reach,
        reach_before=before.reach,
        net_now=metrics.net_sentiment(now.count_by_label),
        net_before=metrics.net_sentiment(before.count_by_label),
        share_now=metrics.share_of_voice(volume_by_organisation(db, current), organisation_id),
        share_before=metrics.share_of_voice(volume_by_organisation(db, previous), organisation_id),
    )


@dataclass(frozen=True)
class Trend:
    """The daily sentiment counts of a period (``daily``: one row per day and label, as
    ``citra.queries.mentions.daily_by_label`` returns) and its negative spikes: the days the
    alert rule ``citra.alerts.rules.negative_spikes`` marks (``value`` is the day's negative
    mentions, ``baseline`` their mean over the days before, ``index`` the day's place in the
    period)."""

    daily: pd.DataFrame
    spikes: list[metrics.Spike]
    spike_days: list[str]

    @property
    def worst(self) -> tuple[str, metrics.Spike] | None:
        """The busiest unusual day and its spike, if any."""
        if not self.spikes:
            return None
        spike = max(self.spikes, key=lambda s: s.z)
        return self.spike_days[self.spikes.index(spike)], spike


def trend(db: Database, f: Filters) -> Trend:
    """The period's :class:`Trend`: daily counts by label, and the days whose negative mentions
    are a spike against the days before them, by the same rule and thresholds as the negative
    spike alert (``citra.alerts.rules``; the baseline reaches back before the period, never
    before the first stored mention). Empty period: empty frame, no spikes."""
    settings = rule_settings(db)
    window = settings.baseline_days
    first, last = date.fromisoformat(f.first_day), date.fromisoformat(f.last_day)
    start = first - timedelta(days=window)
    wider = daily_by_label(
        db,
        Filters.for_days(start, last, platforms=f.platforms, organisation_id=f.organisation_id),
    )
    daily = wider[wider["day"] >= f.first_day].reset_index(drop=True)
    if daily.empty:
        return Trend(daily, [], [])
    negative = wider[wider["label"] == "negative"].groupby("day")["mentions"].sum()
    days = [start + timedelta(days=i) for i in range((last - start).days + 1)]
    series = [float(negative.get(d.isoformat(), 0)) for d in days]
    known_from = mention_day_range(db)[0]
    first_known = max((date.fromisoformat(known_from) - start).days, 0) if known_from else 0
    found = [
        replace(s, index=s.index - window)
        for s in negative_spikes(
            series,
            k=settings.spike_k,
            minimum=settings.spike_minimum,
            window=window,
            first_known=first_known,
        )
        if s.index >= window
    ]
    return Trend(daily, found, [days[s.index + window].isoformat() for s in found])
