"""The month's report as one plain data structure, built once from the queries; every writer
(XLSX, PDF, HTML, CSV) and the Reports page read it and compute nothing of their own.

The numbers are the Overview's: :func:`citra.scorecard.scorecard` for the month against the
month before (``Filters.previous``: whole calendar months) and against the same month a year
earlier, :func:`citra.reports.drivers.drivers` for what moved the index. Months are local
calendar months (the installation's timezone); the current month runs to today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlite_utils import Database

from citra.comparison import OrganisationTotals, organisation_totals, weekly_share
from citra.errors import CitraError
from citra.filters import Filters, add_months, local_today, month_days, month_end
from citra.profile import Organisation
from citra.queries.mentions import daily_by_organisation
from citra.queries.organisations import find_organisation, get_self
from citra.queries.settings import get_setting
from citra.reports.drivers import Drivers, Effect, drivers, risk_category_finder
from citra.scorecard import Scorecard, Trend, scorecard, trend

TOP_STORIES = 10
RISK_LIST = 500  # risk mentions listed in the files (the PDF shows the first few)
DAILY_COLUMNS = (
    "day",
    "mentions",
    "positive",
    "negative",
    "neutral",
    "net_sentiment",
    "index",
    "reach",
    "share_of_voice",
    "risk",
)


@dataclass(frozen=True)
class Report:
    """Everything one month's report shows, for one organisation, in one language.

    ``card`` compares the month with the month before, ``year_card`` with the same month a year
    earlier (same organisation, own posts left out). Frames: ``daily`` (:data:`DAILY_COLUMNS`,
    every day of the month), ``platforms`` and ``sources`` (totals now and before, with each
    one's points in the index change), ``weekly_share`` (``period, organisation, mentions,
    share``). Lists of dicts: ``top_negative``/``top_positive`` (stories ranked by their effect
    on the index change), ``risk_events`` (per risk category), ``risk_mentions``. ``members``
    holds the month's and the year's participation and engagement (``has_data`` False without
    a member registry). ``summary`` is the plain-language summary, sentence by sentence, in
    ``lang``.
    """

    organisation: Organisation
    month: str
    lang: str
    tz: str
    generated_at: str
    current: Filters
    previous: Filters
    year_ago: Filters
    partial: bool
    card: Scorecard
    year_card: Scorecard
    drivers: Drivers
    trend: Trend
    daily: pd.DataFrame
    platforms: pd.DataFrame
    sources: pd.DataFrame
    peers: list[OrganisationTotals]
    peers_before: dict[int, OrganisationTotals]
    weekly_share: pd.DataFrame
    top_negative: list[dict[str, Any]]
    top_positive: list[dict[str, Any]]
    risk_events: list[dict[str, Any]]
    risk_mentions: list[dict[str, Any]]
    members: dict[str, Any]
    mention_count: int
    summary: list[str] = field(default_factory=list)
    # The coop's narratives and posting plan in the month (citra.strategy): ``rows``
    # (NarrativeRow), ``public`` totals, plan ``lines`` and ``gaps``; empty without narratives
    # or plan, and for a peer.
    narratives: dict[str, Any] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        """Whether the organisation has any mention in the month."""
        return self.mention_count > 0

    @property
    def file_stem(self) -> str:
        """``laporan-2026-11`` (Indonesian) or ``report-2026-11``: the default file name."""
        return f"{'laporan' if self.lang == 'id' else 'report'}-{self.month}"


def resolve_month(month: str | None, *, last_month: bool = False, today: date) -> str:
    """The ``YYYY-MM`` to report on: ``month`` as given, or the month before ``today``'s with
    ``last_month``. Raises :class:`CitraError` for text that is not a month, for a month that
    has not begun, and when neither or both are given."""
    if last_month and month:
        raise CitraError("Give either --month or --last-month, not both.")
    if last_month:
        return add_months(today, -1).isoformat()[:7]
    if not month:
        raise CitraError("Say which month: --month YYYY-MM or --last-month.")
    try:
        first, _ = month_days(month.strip())
    except ValueError:
        raise CitraError(
            "'{month}' is not a month: write it as YYYY-MM, e.g. {example}.",
            month=month,
            example=add_months(today, -1).isoformat()[:7],
        ) from None
    if first > today:
        raise CitraError("{month} has not begun yet.", month=month.strip())
    return first.isoformat()[:7]


def available_months(db: Database, today: date) -> list[str]:
    """The months a report can be made for, newest first: from the first month with a mention
    to the current one (just the current one when nothing is stored)."""
    from citra.queries.mentions import mention_day_range

    first_day, _ = mention_day_range(db)
    current = today.replace(day=1)
    month = date.fromisoformat(first_day).replace(day=1) if first_day else current
    months = []
    while month <= current:
        months.append(month.isoformat()[:7])
        month = add_months(month, 1)
    return months[::-1]


def resolve_organisation(db: Database, organisation_id: int | None) -> Organisation:
    """The organisation to report on: ``organisation_id`` (the coop or a peer), else the coop.
    Raises :class:`CitraError` when there is no such organisation or no coop is set up."""
    if organisation_id is not None:
        found = find_organisation(db, int(organisation_id))
        if found is None or found.id != int(organisation_id):
            raise CitraError("No organisation with id {id}.", id=organisation_id)
        return found
    coop = get_self(db)
    if coop is None:
        raise CitraError("No coop is set up yet: run `citra profile set --name NAME` first.")
    return coop


def build_report(
    db: Database,
    month: str,
    *,
    organisation_id: int | None = None,
    lang: str | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> Report:
    """The :class:`Report` of ``month`` (``YYYY-MM``) for ``organisation_id`` (default: the
    coop) in ``lang`` (default: the installation's language).

    A month with no mentions still gives a report, whose summary says so. Raises
    :class:`CitraError` for a malformed or future month and an unknown organisation.
    """
    from citra.reports.summary import write_summary

    tz = str(get_setting(db, "timezone"))
    today = today or local_today(tz)
    month = resolve_month(month, today=today)
    organisation = resolve_organisation(db, organisation_id)
    language = lang or str(get_setting(db, "language") or "id")
    language = language if language in ("id", "en") else "id"
    first, last = month_days(month)
    partial = last >= today
    current = Filters.for_days(first, min(last, today), organisation_id=organisation.id, tz=tz)
    previous = current.previous(tz)
    year_first = add_months(first, -12)
    year_last = month_end(year_first)
    if partial:  # the same days a year earlier
        year_last = min(year_first + timedelta(days=current.days - 1), year_last)
    year_ago = Filters.for_days(year_first, year_last, organisation_id=organisation.id, tz=tz)

    card = scorecard(db, current, previous, organisation.id)
    year_card = scorecard(db, current, year_ago, organisation.id)
    found = drivers(db, current, previous, tz=tz)
    everyone_now = daily_by_organisation(db, current)
    coop = get_self(db)
    peers = organisation_totals(everyone_now, coop.id if coop else organisation.id)
    peers_before = {
        p.organisation_id: p
        for p in organisation_totals(
            daily_by_organisation(db, previous), coop.id if coop else organisation.id
        )
    }
    report = Report(
        organisation=organisation,
        month=month,
        lang=language,
        tz=tz,
        generated_at=(now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        current=current,
        previous=previous,
        year_ago=year_ago,
        partial=partial,
        card=card,
        year_card=year_card,
        drivers=found,
        trend=trend(db, current),
        daily=daily_table(db, current),
        platforms=_with_points(
            _totals(db, current, previous, "platform"), found.of("platform"), "platform"
        ),
        sources=_with_points(
            _totals(db, current, previous, "source"), found.of("source"), "source"
        ),
        peers=peers,
        peers_before=peers_before,
        weekly_share=(
            weekly_share(everyone_now, [p.organisation for p in peers])
            if not everyone_now.empty
            else pd.DataFrame(columns=["period", "organisation", "mentions", "share"])
        ),
        top_negative=_stories(found, "negative"),
        top_positive=_stories(found, "positive"),
        risk_events=_risk_events(found),
        risk_mentions=_risk_mentions(db, current),
        members=_members(db, first, partial, today),
        mention_count=card.mentions_now,
        narratives=_narratives(db, current, organisation),
    )
    return _with_summary(report, write_summary(report))


def _with_summary(report: Report, sentences: list[str]) -> Report:
    from dataclasses import replace

    return replace(report, summary=sentences)


def daily_table(db: Database, f: Filters) -> pd.DataFrame:
    """Every day of the period (days without mentions as zeros) with :data:`DAILY_COLUMNS`:
    net sentiment and index on −100..+100 (``NaN`` on a day without scored mentions), share of
    voice 0..1 (``NaN`` when nobody was mentioned)."""
    from citra.queries.reports import daily_totals

    days = pd.date_range(f.first_day, f.last_day, freq="D").strftime("%Y-%m-%d")
    found = daily_totals(db, f).set_index("day").reindex(days, fill_value=0)
    scored = found["positive"] + found["neutral"] + found["negative"]
    weight = found["pos_weight"] + found["neu_weight"] + found["neg_weight"]
    table = pd.DataFrame(
        {
            "day": days,
            "mentions": found["mentions"].to_numpy(dtype=int),
            "positive": found["positive"].to_numpy(dtype=int),
            "negative": found["negative"].to_numpy(dtype=int),
            "neutral": found["neutral"].to_numpy(dtype=int),
            "net_sentiment": (
                100 * (found["positive"] - found["negative"]) / scored.where(scored > 0)
            )
            .astype(float)
            .to_numpy(),
            "index": (100 * (found["pos_weight"] - found["neg_weight"]) / weight.where(weight > 0))
            .astype(float)
            .to_numpy(),
            "reach": found["reach"].to_numpy(dtype=int),
            "share_of_voice": (
                found["mentions"] / found["all_mentions"].where(found["all_mentions"] > 0)
            )
            .astype(float)
            .to_numpy(),
            "risk": found["risk"].to_numpy(dtype=int),
        }
    )
    return table


def _totals(db: Database, current: Filters, previous: Filters, by: str) -> pd.DataFrame:
    """Platform or source totals now, with the mentions and index of the period before."""
    from citra.queries.reports import platform_totals, source_totals

    read = platform_totals if by == "platform" else source_totals
    now, before = read(db, current), read(db, previous)
    for frame in (now, before):
        weight = frame["pos_weight"] + frame["neu_weight"] + frame["neg_weight"]
        frame["index"] = (
            100 * (frame["pos_weight"] - frame["neg_weight"]) / weight.where(weight > 0)
        )
        scored = frame["positive"] + frame["neutral"] + frame["negative"]
        frame["net_sentiment"] = (
            100 * (frame["positive"] - frame["negative"]) / scored.where(scored > 0)
        )
    earlier = before.set_index(by)[["mentions", "index"]].rename(
        columns={"mentions": "mentions_before", "index": "index_before"}
    )
    merged = now.join(earlier, on=by)
    merged["mentions_before"] = merged["mentions_before"].fillna(0).astype(int)
    return merged


def _with_points(frame: pd.DataFrame, effects: list[Effect], by: str) -> pd.DataFrame:
    points = {e.key: e for e in effects}
    frame = frame.copy()
    frame["points"] = [getattr(points.get(k), "points", None) for k in frame[by]]
    frame["reach_points"] = [getattr(points.get(k), "reach_points", None) for k in frame[by]]
    frame["sentiment_points"] = [
        getattr(points.get(k), "sentiment_points", None) for k in frame[by]
    ]
    return frame


def _stories(found: Drivers, label: str) -> list[dict[str, Any]]:
    """The month's stories of one tone (more negative than positive copies, or the reverse),
    ranked by their effect on the index change: the most damaging (or helpful) first."""
    negative = label == "negative"
    stories = [
        e
        for e in found.of("story")
        if e.mentions_now > 0
        and (e.negative_now > e.positive_now if negative else e.positive_now > e.negative_now)
    ]
    stories.sort(key=lambda e: e.points if negative else -e.points)
    return [_story_row(e) for e in stories[:TOP_STORIES]]


def _story_row(effect: Effect) -> dict[str, Any]:
    return {
        "day": effect.first_day,
        "title": effect.label,
        "platform": effect.top_platform,
        "sources": list(effect.sources),
        "copies": effect.mentions_now,
        "reach": effect.reach_now,
        "points": effect.points,
        "url": effect.top_url,
        "seq": effect.top_seq,
    }


def _risk_events(found: Drivers) -> list[dict[str, Any]]:
    return [
        {
            "category": e.key,
            "mentions": e.mentions_now,
            "mentions_before": e.mentions_before,
            "first_day": e.first_day,
            "last_day": e.last_day,
            "reach": e.reach_now,
            "points": e.points,
            "example": e.top_title,
            "url": e.top_url,
            "seq": e.top_seq,
        }
        for e in sorted(found.of("risk"), key=lambda e: -e.mentions_now)
        if e.mentions_now > 0
    ]


def _risk_mentions(db: Database, f: Filters) -> list[dict[str, Any]]:
    from citra.queries.reports import risk_mentions

    rows = risk_mentions(db, f, RISK_LIST)
    if rows:
        categories = risk_category_finder()
        for row in rows:
            text = f"{row.get('title') or ''} {row.get('text') or ''}"
            row["categories"] = sorted(set(categories(text))) or ["other"]
    return rows


def _members(db: Database, first: date, partial: bool, today: date) -> dict[str, Any]:
    """The month's and the year's participation and engagement, and the twelve months up to
    the report's month (``months``), from ``citra.queries.engagement.members_overview``."""
    from citra.queries.engagement import members_overview

    year = members_overview(db, year=first.year)
    earlier = members_overview(db, year=first.year - 1)["months"]
    month = first.isoformat()[:7]
    window = {add_months(first, -i).isoformat()[:7] for i in range(12)}
    months = [m for m in [*earlier, *year["months"]] if m["period"] in window]
    this_month = next((m for m in year["months"] if m["period"] == month), None)
    return {
        "has_data": bool(year["totals"].get("active")),
        "month": this_month,
        "year": first.year,
        "totals": year["totals"],
        "months": months,
        "branches": year["branches"],
        "rat": [r for r in year["rat"] if str(r.get("date", ""))[:4] == str(first.year)],
    }


def _narratives(db: Database, current: Filters, organisation: Organisation) -> dict[str, Any]:
    """The coop's narratives and plan check in the month (``citra.strategy``, as the
    Narratives & plan page shows them); ``{}`` for a peer or when neither is defined."""
    from citra.strategy import narrative_overview, plan_check

    if organisation.kind != "self":
        return {}
    overview = narrative_overview(db, current)
    check = plan_check(db, current)
    if not overview.rows and not check.lines:
        return {}
    return {
        "rows": overview.rows,
        "public": overview.public,
        "lines": check.lines,
        "gaps": check.gaps,
    }
