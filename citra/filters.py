"""The dashboard's shared filters: a date range, platforms and an organisation.

Dates are chosen as local calendar days (Asia/Jakarta by default) and carried both as those days
(for the daily rollup, whose days are WIB days) and as the UTC instants that bound them (for
queries on ``mentions.published_at``, stored as UTC ISO 8601 with a trailing ``Z``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Jakarta"
PRESETS: tuple[str, ...] = (
    "24h",
    "today",
    "yesterday",
    "7d",
    "30d",
    "90d",
    "this_month",
    "last_month",
    "this_quarter",
    "this_year",
    "custom",
)
DEFAULT_PRESET = "90d"
# Presets that are a span of hours up to now rather than whole local days.
HOUR_PRESETS: dict[str, int] = {"24h": 24}
# The dashboard opens on last month during the first days of a month, on this month afterwards.
OPENING_LAST_MONTH_DAYS = 7


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """The first and last local day (both inclusive) of a preset, as seen on ``today``.

    ``"7d"`` is the last seven days including today. ``"24h"`` gives the days its hours touch
    (yesterday and today; :meth:`Filters.last_hours` is the exact span). ``"custom"`` and unknown
    presets fall back to the default (90 days).
    """
    if preset in HOUR_PRESETS:
        return today - timedelta(days=1), today
    if preset == "today":
        return today, today
    if preset == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if preset == "this_quarter":
        return today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1), today
    if preset in ("7d", "30d", "90d"):
        return today - timedelta(days=int(preset[:-1]) - 1), today
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if preset == "this_year":
        return today.replace(month=1, day=1), today
    return preset_range(DEFAULT_PRESET, today)


def opening_preset(today: date) -> str:
    """The period the dashboard opens on when the link names none: ``"last_month"`` during the
    first :data:`OPENING_LAST_MONTH_DAYS` days of a month, ``"this_month"`` afterwards.

    Why: the board reviews the month just ended in its first week (and a few days of the new
    month are too few to judge); from the second week on, the month so far is the news.
    """
    return "last_month" if today.day <= OPENING_LAST_MONTH_DAYS else "this_month"


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after (negative: before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_days(month: str) -> tuple[date, date]:
    """The first and last day of a ``YYYY-MM`` month; ``ValueError`` when it is not one."""
    if len(month) != 7 or month[4] != "-":
        raise ValueError(month)
    first = date(int(month[:4]), int(month[5:]), 1)
    return first, month_end(first)


def local_today(tz: str = DEFAULT_TIMEZONE) -> date:
    """Today's date in ``tz``."""
    return local_now(tz).date()


def local_now(tz: str = DEFAULT_TIMEZONE) -> datetime:
    """The time now in ``tz`` (aware)."""
    return datetime.now(ZoneInfo(tz))


def _utc_iso(day: date, tz: str) -> str:
    start = datetime.combine(day, time.min, tzinfo=ZoneInfo(tz))
    return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Filters:
    """What every page shows: mentions published in ``[start, end)`` on ``platforms`` about
    ``organisation_id``.

    ``start``/``end`` are UTC ISO 8601 strings (``end`` exclusive); ``first_day``/``last_day`` are
    the same range as local ISO dates (both inclusive). Empty ``platforms`` means all platforms;
    ``organisation_id`` of ``None`` means every organisation. Hashable, so it can key a cache.

    ``hours`` is set for a span of hours up to now (:meth:`last_hours`): lists of mentions use
    the exact span, daily counts the local days it touches.
    """

    start: str
    end: str
    first_day: str
    last_day: str
    platforms: tuple[str, ...] = ()
    organisation_id: int | None = None
    hours: int | None = None

    @classmethod
    def last_hours(
        cls,
        hours: int,
        now: datetime,
        *,
        platforms: tuple[str, ...] | list[str] = (),
        organisation_id: int | None = None,
        tz: str = DEFAULT_TIMEZONE,
    ) -> Filters:
        """The ``hours`` before ``now`` (an aware datetime), to the minute: ``end`` is the start
        of the next minute (so a mention of this minute counts and a cache key holds for a
        minute), ``start`` is ``hours`` earlier. The days are the local days the span touches."""
        end = (now.astimezone(UTC) + timedelta(minutes=1)).replace(second=0, microsecond=0)
        start = end - timedelta(hours=hours)
        local = ZoneInfo(tz)
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        return cls(
            start=start.strftime(fmt),
            end=end.strftime(fmt),
            first_day=start.astimezone(local).date().isoformat(),
            last_day=(end - timedelta(seconds=1)).astimezone(local).date().isoformat(),
            platforms=tuple(sorted(platforms)),
            organisation_id=organisation_id,
            hours=hours,
        )

    @classmethod
    def for_days(
        cls,
        first_day: date,
        last_day: date,
        *,
        platforms: tuple[str, ...] | list[str] = (),
        organisation_id: int | None = None,
        tz: str = DEFAULT_TIMEZONE,
    ) -> Filters:
        """Filters for the local days ``first_day``..``last_day`` inclusive (swapped if reversed)."""
        if last_day < first_day:
            first_day, last_day = last_day, first_day
        return cls(
            start=_utc_iso(first_day, tz),
            end=_utc_iso(last_day + timedelta(days=1), tz),
            first_day=first_day.isoformat(),
            last_day=last_day.isoformat(),
            platforms=tuple(sorted(platforms)),
            organisation_id=organisation_id,
        )

    @property
    def days(self) -> int:
        """Number of local days in the range."""
        return (date.fromisoformat(self.last_day) - date.fromisoformat(self.first_day)).days + 1

    def previous(self, tz: str = DEFAULT_TIMEZONE) -> Filters:
        """The period just before this one, other filters unchanged.

        Calendar months compare with calendar months: whole months (1 to 30 November) with as
        many whole months before (1 to 31 October); a month so far (1 to 10 December) with the
        same days of the month before (1 to 10 November, cut at that month's end), and a quarter
        or year so far alike (1 January to 1 December with 1 January to 1 December a year
        before). Any other
        range compares with as many days just before it, and a span of hours with as many hours
        just before it.
        """
        if self.hours:
            end = datetime.strptime(self.start, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return Filters.last_hours(
                self.hours,
                end - timedelta(minutes=1),
                platforms=self.platforms,
                organisation_id=self.organisation_id,
                tz=tz,
            )
        start = date.fromisoformat(self.first_day)
        end = date.fromisoformat(self.last_day)
        if start.day == 1 and end == month_end(end):
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            first, last = add_months(start, -months), start - timedelta(days=1)
        elif start.day == 1:
            # A month, quarter or year so far: the same days that many months before.
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            first = add_months(start, -months)
            end_month = add_months(end, -months)
            last = min(end_month + timedelta(days=end.day - 1), month_end(end_month))
        else:
            first, last = start - timedelta(days=self.days), start - timedelta(days=1)
        return Filters.for_days(
            first, last, platforms=self.platforms, organisation_id=self.organisation_id, tz=tz
        )

    def with_organisation(self, organisation_id: int | None) -> Filters:
        """The same range and platforms about another organisation (``None``: all)."""
        return replace(self, organisation_id=organisation_id)
