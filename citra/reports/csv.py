"""The report as CSV: the month's mentions, and one wide daily table (date, mentions, positive,
negative, neutral, net sentiment, reach, share of voice, risk).

UTF-8 with a byte-order mark and comma separators, so that Excel opens Indonesian text right;
numbers with a dot as decimal separator and no thousands separator (machine-readable, as CSV
readers expect); local times as ``YYYY-MM-DD HH:MM``. Column names follow the report's
language. Formula-looking texts get a leading apostrophe (``citra.reports.cells``).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from citra.exports import private_file
from citra.i18n import translate
from citra.reports.cells import csv_safe, local_naive
from citra.reports.content import Report

DAILY_HEADERS = (
    "Date",
    "Mentions",
    "Positive",
    "Negative",
    "Neutral",
    "Net sentiment",
    "Reputation index",
    "Reach",
    "Share of voice",
    "Risk",
)
MENTION_HEADERS = (
    "Time ({tz})",
    "Platform",
    "Source",
    "Organisation",
    "Title",
    "Text",
    "Author",
    "Link",
    "Reach",
    "Engagement",
    "Sentiment",
    "Score",
    "Risk",
    "Story",
)


def _number(value: Any, decimals: int | None = None) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if decimals is not None:
        return f"{float(value):.{decimals}f}"
    return value


def write_daily(report: Report, out: TextIO) -> None:
    """The wide daily table: one row per day of the month (days without mentions as zeros);
    net sentiment and index on −100..100 with one decimal, share of voice as a fraction 0..1."""
    writer = csv.writer(out)
    writer.writerow([translate(h, report.lang) for h in DAILY_HEADERS])
    for row in report.daily.itertuples(index=False):
        writer.writerow(
            [
                row.day,
                row.mentions,
                row.positive,
                row.negative,
                row.neutral,
                _number(row.net_sentiment, 1),
                _number(row.index, 1),
                row.reach,
                _number(row.share_of_voice, 4),
                row.risk,
            ]
        )


def mention_rows(db: Database, report: Report) -> Iterator[list[Any]]:
    """The month's mentions as CSV rows (formula-safe), oldest first, read in batches."""
    from citra.queries.reports import iter_mentions

    tz = ZoneInfo(report.tz)
    for m in iter_mentions(db, report.current):
        local = local_naive(m.published_at, tz)
        yield [
            local.strftime("%Y-%m-%d %H:%M") if local else "",
            m.platform,
            csv_safe(m.source or ""),
            csv_safe(m.organisation or ""),
            csv_safe(m.title or ""),
            csv_safe(m.text or ""),
            csv_safe(m.author or ""),
            csv_safe(m.url or ""),
            _number(m.reach),
            m.engagement,
            m.label or "",
            _number(m.compound),
            int(bool(m.risk)),
            m.story or "",
        ]


def write_mentions(db: Database, report: Report, out: TextIO) -> None:
    """The month's mentions (own posts left out), one row each; ``Sentiment`` is
    ``positive``/``neutral``/``negative`` (machine-readable), ``Risk`` 1 or 0, ``Story`` the
    group of a syndicated article's copies (empty for the rest)."""
    writer = csv.writer(out)
    writer.writerow([translate(h, report.lang, tz=report.tz) for h in MENTION_HEADERS])
    writer.writerows(mention_rows(db, report))


def daily_path(path: Path) -> Path:
    """Where the daily table goes beside the mentions file: ``laporan-2026-11-daily.csv``."""
    return path.with_name(f"{path.stem}-daily{path.suffix or '.csv'}")


def write_csv(db: Database, report: Report, path: Path) -> list[Path]:
    """The mentions to ``path`` and the daily table beside it (:func:`daily_path`); returns
    both paths."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        write_mentions(db, report, out)
    daily = private_file(daily_path(path))
    with daily.open("w", encoding="utf-8-sig", newline="") as out:
        write_daily(report, out)
    return [path, daily]


def daily_bytes(report: Report) -> bytes:
    """The daily table as CSV bytes (the Reports page's download)."""
    out = io.StringIO()
    write_daily(report, out)
    return out.getvalue().encode("utf-8-sig")


def mentions_bytes(db: Database, report: Report) -> bytes:
    """The mentions as CSV bytes (the Reports page's download)."""
    out = io.StringIO()
    write_mentions(db, report, out)
    return out.getvalue().encode("utf-8-sig")
