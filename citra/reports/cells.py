"""Cell values shared by the report's writers: local times, formula-safe text, safe links.

A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by spreadsheet programs (CSV or formula injection, OWASP). The XLSX writer stores such
texts as strings with Excel's quote prefix (shown as written, never evaluated, even when the
cell is edited); the CSV writer puts an apostrophe before them, the usual defence for files
that have no cell types.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from citra.formatting import parse_utc

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program would read ``text`` as a formula."""
    return text.startswith(FORMULA_START)


def csv_safe(value: object) -> object:
    """``value`` for a CSV cell: formula-looking text gets a leading apostrophe."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def local_naive(value: str | None, tz: ZoneInfo) -> datetime | None:
    """A stored UTC time as a local wall-clock time without zone (what spreadsheets hold)."""
    parsed = parse_utc(value)
    return parsed.astimezone(tz).replace(tzinfo=None) if parsed else None


def safe_url(url: object) -> str | None:
    """``url`` when it is a web address (``http``/``https``), else ``None``: a ``javascript:``
    or ``data:`` link from an imported file never becomes a link in a report or on a page."""
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None
