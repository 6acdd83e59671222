"""Reading the many ways exports, feeds and member lists write a date: one parser, one table of
Indonesian day and month names.

:func:`read_datetime` does the reading; three thin entry points say what each input wants back:
:func:`parse_date` (export cells: UTC ISO 8601 or ``None``), :func:`parse_feed_date` (feed entries:
UTC ISO 8601 and a problem word) and :func:`parse_day` (a member's join date: ``YYYY-MM-DD``, or
ValueError). Stored times are UTC with a trailing ``Z``; a time written without a zone is local
time (Asia/Jakarta unless the caller says otherwise).
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

DEFAULT_TIMEZONE = "Asia/Jakarta"
INDONESIAN_ZONES = {
    "WIB": timezone(timedelta(hours=7)),
    "WITA": timezone(timedelta(hours=8)),
    "WIT": timezone(timedelta(hours=9)),
}
LOCAL_ZONE = INDONESIAN_ZONES["WIB"]
# A feed entry dated before this is a placeholder or a broken clock, not news.
EARLIEST_PLAUSIBLE = datetime(1995, 1, 1, tzinfo=UTC)


class IndonesianNames(dateutil_parser.parserinfo):
    """dateutil's English names plus the Indonesian day and month names and abbreviations
    (``Senin``, ``Mei``, ``Agt``, ``Nopember``, ...) and the words around a time (``pukul``)."""

    JUMP = [*dateutil_parser.parserinfo.JUMP, "pukul", "jam"]
    WEEKDAYS = [
        ("Mon", "Monday", "Sen", "Senin"),
        ("Tue", "Tuesday", "Sel", "Selasa"),
        ("Wed", "Wednesday", "Rab", "Rabu"),
        ("Thu", "Thursday", "Kam", "Kamis"),
        ("Fri", "Friday", "Jum", "Jumat", "Jum'at"),
        ("Sat", "Saturday", "Sab", "Sabtu"),
        ("Sun", "Sunday", "Min", "Minggu", "Ahad"),
    ]
    MONTHS = [
        ("Jan", "January", "Januari"),
        ("Feb", "February", "Februari", "Peb", "Pebruari"),
        ("Mar", "March", "Maret"),
        ("Apr", "April"),
        ("May", "Mei"),
        ("Jun", "June", "Juni"),
        ("Jul", "July", "Juli"),
        ("Aug", "August", "Agu", "Agt", "Agustus"),
        ("Sep", "Sept", "September"),
        ("Oct", "October", "Okt", "Oktober"),
        ("Nov", "November", "Nop", "Nopember"),
        ("Dec", "December", "Des", "Desember"),
    ]


_NAMES = IndonesianNames()
_ZONE_WORD = re.compile(r"\b(WITA|WIB|WIT)\b", re.IGNORECASE)
_EPOCH = re.compile(r"\d{9,13}(\.\d+)?")
_BARE_NUMBER = re.compile(r"[\d.,]+")
_ZERO_DATE = re.compile(r"^0{4}-0{2}-0{2}")
_YEAR_FIRST = re.compile(r"\d{4}[-/.]")
# "14.05" as a time (Indonesian style), only after a date part and a space and not itself part
# of a dotted date ("Senin 03.11.2025").
_DOT_TIME = re.compile(r"(?<=\s)(\d{1,2})\.(\d{2})(?:\.(\d{2}))?(?![.\d])")
_EXCEL_EPOCH = datetime(1899, 12, 30)


def to_utc_iso(moment: datetime) -> str:
    """An aware datetime as stored: ISO 8601 UTC with a trailing ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_datetime(
    value: Any, *, dayfirst: bool = True, time: Any = None, fuzzy: bool = False
) -> datetime | None:
    """The moment a cell or a feed's date text means, or ``None`` when it is not a date.

    Reads ``datetime``/``date`` objects, Unix seconds or milliseconds (numbers or 9-13 digit
    text), Excel serial days (numbers), ISO 8601, RFC 822 (``Wed, 10 Oct 2018 20:19:24 +0000``),
    Twitter's ``Wed Oct 10 20:19:24 +0000 2018``, English and Indonesian day and month names
    (``Senin, 5 Mei 2025``, ``23 Agustus 2026 14.05``), ``WIB``/``WITA``/``WIT`` (UTC+7/+8/+9)
    and numeric dates: day first unless ``dayfirst`` is false, a leading four-digit year always
    year-month-day. ``time`` is a separate time-of-day cell (Brand24's "Hour"). ``fuzzy`` lets
    words around the date pass (feeds: ``Kamis, 30 Oktober 2025 | 19:05 WIB``).

    The result is naive when the input names no zone (the caller decides whose local time it
    is). ``None``, empty text, ``0000-00-00``, a bare number (``"5"``, ``"2024"``) or unreadable
    text gives ``None``; no plausibility check is made here.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _with_time(value, time) if time is not None else value
    if isinstance(value, date):
        return read_datetime(datetime(value.year, value.month, value.day), time=time)
    if isinstance(value, (int, float)):
        return _from_number(float(value))
    text = str(value).strip()
    if not text or _ZERO_DATE.match(text):
        return None
    if _EPOCH.fullmatch(text):
        return _from_number(float(text))
    if _BARE_NUMBER.fullmatch(text) and len(re.findall(r"[.,]", text)) < 2:
        return None  # "5", "2024", "1.234": a number, whatever dateutil would guess
    if time is not None and str(time).strip():
        text = f"{text} {str(time).strip()}"
    # "10:00 WITA": remember the zone, read the rest, then apply the zone to a naive result.
    zone: tzinfo | None = None
    found = _ZONE_WORD.search(text)
    if found:
        zone = INDONESIAN_ZONES[found.group(1).upper()]
        text = (text[: found.start()] + text[found.end() :]).strip()
    moment = _read_text(text, dayfirst=dayfirst, fuzzy=fuzzy)
    if moment is not None and zone is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def _read_text(text: str, *, dayfirst: bool, fuzzy: bool) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    text = _DOT_TIME.sub(_dot_time, text)
    year_first = bool(_YEAR_FIRST.match(text))
    try:
        return dateutil_parser.parse(
            text,
            parserinfo=_NAMES,
            dayfirst=dayfirst and not year_first,
            yearfirst=year_first,
            fuzzy=fuzzy,
        )
    except (ValueError, OverflowError, TypeError):
        return None


def _dot_time(match: re.Match[str]) -> str:
    seconds = f":{match.group(3)}" if match.group(3) else ""
    return f"{match.group(1)}:{match.group(2)}{seconds}"


def _from_number(number: float) -> datetime | None:
    if number > 1e11:  # milliseconds since the epoch
        number /= 1000
    if number > 1e8:  # seconds since the epoch
        try:
            return datetime.fromtimestamp(number, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if 20000 < number < 80000:  # an Excel serial day number (1954-2118), local time
        return _EXCEL_EPOCH + timedelta(days=number)
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


def _localised(moment: datetime, zone: tzinfo) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


# --- what each input wants back -----------------------------------------------------------------


def parse_date(
    value: Any, *, tz: str = DEFAULT_TIMEZONE, dayfirst: bool = True, time: Any = None
) -> str | None:
    """An export's date/time cell as UTC ISO 8601 (``2026-11-23T05:00:00Z``), or ``None``.

    Reads everything :func:`read_datetime` reads. A time without a zone is taken in ``tz`` (the
    coop's timezone, Asia/Jakarta by default); ``time`` is a separate time-of-day cell. Empty or
    unreadable input gives ``None``; so does a year outside 1990-2100.
    """
    moment = read_datetime(value, dayfirst=dayfirst, time=time)
    if moment is None or not 1990 <= moment.year <= 2100:
        return None
    return to_utc_iso(_localised(moment, ZoneInfo(tz)))


def parse_feed_date(
    raw: str | float | int | None, now: datetime | None = None
) -> tuple[str | None, str | None]:
    """A feed's date text as ``(utc_iso, problem)``.

    Reads everything :func:`read_datetime` reads, words around the date allowed; a time without
    a zone is WIB, where Indonesian sites mean it. Returns ``(None, "missing")`` for no date and
    ``(None, "invalid")`` for ``0000-00-00``, unreadable text or an implausible date (before
    1995, or more than two days ahead of ``now``, default the current time).
    """
    now = now or datetime.now(UTC)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, "missing"
    moment = read_datetime(raw, fuzzy=True)
    if moment is None:
        return None, "invalid"
    moment = _localised(moment, LOCAL_ZONE)
    try:
        if moment < EARLIEST_PLAUSIBLE or moment > now + timedelta(days=2):
            return None, "invalid"
    except OverflowError:
        return None, "invalid"
    return to_utc_iso(moment), None


def parse_day(value: Any, *, tz: str = DEFAULT_TIMEZONE) -> str | None:
    """A calendar date (a member's join date) as ``YYYY-MM-DD``, day first when numeric.

    Reads everything :func:`read_datetime` reads; a moment with a zone gives its day in ``tz``.
    ``None`` for an empty cell; raises ValueError for anything that is not a date.
    """
    if value is None or str(value).strip() == "":
        return None
    moment = read_datetime(value)
    if moment is None:
        raise ValueError(f"not a date: {value!r}")
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(tz))
    return moment.date().isoformat()
