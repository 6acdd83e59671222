"""Reading the many ways exports write a date, into UTC ISO 8601 with a trailing ``Z``."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

DEFAULT_TIMEZONE = "Asia/Jakarta"

# Indonesian month names and abbreviations, mapped to English so dateutil can read them.
_ID_MONTHS = {
    "januari": "January",
    "februari": "February",
    "pebruari": "February",
    "maret": "March",
    "april": "April",
    "mei": "May",
    "juni": "June",
    "juli": "July",
    "agustus": "August",
    "september": "September",
    "oktober": "October",
    "nopember": "November",
    "november": "November",
    "desember": "December",
    "agu": "Aug",
    "agt": "Aug",
    "okt": "Oct",
    "des": "Dec",
    "peb": "Feb",
}
_ID_DAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad")
_ID_MONTH_RE = re.compile(r"\b(" + "|".join(sorted(_ID_MONTHS, key=len, reverse=True)) + r")\b")
_ID_DAY_RE = re.compile(r"\b(" + "|".join(re.escape(d) for d in _ID_DAYS) + r")\b,?")
_EXCEL_EPOCH = datetime(1899, 12, 30)


def _to_utc(moment: datetime, tz: str) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _plausible(moment: datetime) -> bool:
    return 1990 <= moment.year <= 2100


def parse_date(
    value: Any, *, tz: str = DEFAULT_TIMEZONE, dayfirst: bool = True, time: Any = None
) -> str | None:
    """A date/time cell as UTC ISO 8601 (``2026-11-23T05:00:00Z``), or ``None`` if unreadable.

    Reads ISO 8601, Unix seconds or milliseconds, Excel serial days, ``datetime`` objects,
    Twitter's ``Wed Oct 10 20:19:24 +0000 2018``, English and Indonesian month names
    (``23 Nov 2026``, ``23 Agustus 2026 14.05``), and numeric dates (``23/11/2026``, day first
    unless ``dayfirst`` is false and the order is ambiguous). A time without a zone is taken in
    ``tz`` (the coop's timezone, Asia/Jakarta by default). ``time`` is a separate time-of-day
    cell (Brand24's "Hour"). Empty input gives ``None``; so does a year outside 1990-2100.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        moment = value
        if time is not None:
            moment = _with_time(moment, time)
        return _to_utc(moment, tz) if _plausible(moment) else None
    if isinstance(value, date):
        return parse_date(datetime(value.year, value.month, value.day), tz=tz, time=time)
    if isinstance(value, (int, float)):
        return _from_number(float(value), tz)
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return _from_number(float(text), tz)
    if re.fullmatch(r"[\d.,]+", text) and len(re.findall(r"[.,]", text)) < 2:
        return None  # a bare number ("5", "2024") is not a date, whatever dateutil would guess
    if time is not None and str(time).strip():
        text = f"{text} {str(time).strip()}"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        text = _normalise(text)
        # A leading four-digit year is always year-month-day (ISO-like), whatever `dayfirst` says.
        year_first = bool(re.match(r"\d{4}[-/.]", text))
        try:
            moment = dateparser.parse(
                text, dayfirst=dayfirst and not year_first, yearfirst=year_first
            )
        except (ValueError, OverflowError, TypeError):
            return None
    if moment is None or not _plausible(moment):
        return None
    return _to_utc(moment, tz)


def _from_number(number: float, tz: str) -> str | None:
    if number > 1e11:  # milliseconds since the epoch
        number /= 1000
    if number > 1e8:  # seconds since the epoch
        moment = datetime.fromtimestamp(number, UTC)
        return _to_utc(moment, tz) if _plausible(moment) else None
    if 20000 < number < 80000:  # an Excel serial day number (1954-2118)
        return _to_utc(_EXCEL_EPOCH + timedelta(days=number), tz)
    return None


def _with_time(moment: datetime, time: Any) -> datetime:
    if hasattr(time, "hour"):
        return moment.replace(hour=time.hour, minute=time.minute, second=time.second)
    parsed = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?", str(time).strip())
    if parsed:
        return moment.replace(
            hour=int(parsed.group(1)), minute=int(parsed.group(2)), second=int(parsed.group(3) or 0)
        )
    return moment


def _normalise(text: str) -> str:
    lowered = text.lower()
    lowered = _ID_DAY_RE.sub("", lowered)
    lowered = _ID_MONTH_RE.sub(lambda m: _ID_MONTHS[m.group(1)], lowered)
    # "14.05" as a time (Indonesian style) -> "14:05"; only after a date part and a space.
    lowered = re.sub(r"(?<=\s)(\d{1,2})\.(\d{2})(?:\.(\d{2}))?\b", _dot_time, lowered)
    lowered = lowered.replace(" wib", " +0700").replace(" wita", " +0800").replace(" wit", " +0900")
    return lowered.strip()


def _dot_time(match: re.Match[str]) -> str:
    seconds = f":{match.group(3)}" if match.group(3) else ""
    return f"{match.group(1)}:{match.group(2)}{seconds}"
