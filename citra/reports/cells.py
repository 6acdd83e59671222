"""Cell values shared by the report's writers: local times, formula-safe text, safe links.

Formula-safe text and safe links are :mod:`citra.exports`' (one neutraliser for every export);
they are named here too so the writers import their cell helpers from one place.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from citra.exports import FORMULA_START, looks_like_formula, neutralise, safe_url
from citra.formatting import parse_utc

__all__ = [
    "FORMULA_START",
    "csv_safe",
    "local_naive",
    "looks_like_formula",
    "neutralise",
    "safe_url",
]

csv_safe = neutralise  # the report's CSV writer's name for it


def local_naive(value: str | None, tz: ZoneInfo) -> datetime | None:
    """A stored UTC time as a local wall-clock time without zone (what spreadsheets hold)."""
    parsed = parse_utc(value)
    return parsed.astimezone(tz).replace(tzinfo=None) if parsed else None
