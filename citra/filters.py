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
PRESETS: tuple[str, ...] = ("7d", "30d", "90d", "this_month", "last_month", "this_year", "custom")
DEFAULT_PRESET = "90d"


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """The first and last local day (both inclusive) of a preset, as seen on ``today``.

    ``"7d"`` is the last seven days including today. ``"custom"`` and unknown presets fall back to
    the default (90 days).
    """
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


def local_today(tz: str = DEFAULT_TIMEZONE) -> date:
    """Today's date in ``tz``."""
    return datetime.now(ZoneInfo(tz)).date()


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
    """

    start: str
    end: str
    first_day: str
    last_day: str
    platforms: tuple[str, ...] = ()
    organisation_id: int | None = None

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
        """The period of the same length just before this one, other filters unchanged."""
        first = date.fromisoformat(self.first_day) - timedelta(days=self.days)
        last = date.fromisoformat(self.first_day) - timedelta(days=1)
        return Filters.for_days(
            first, last, platforms=self.platforms, organisation_id=self.organisation_id, tz=tz
        )

    def with_organisation(self, organisation_id: int | None) -> Filters:
        """The same range and platforms about another organisation (``None``: all)."""
        return replace(self, organisation_id=organisation_id)
