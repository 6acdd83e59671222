"""The one date reader (``collectors.dates``) and what exports, feeds and member lists get back."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from collectors.dates import parse_date, parse_day, parse_feed_date

NOW = datetime(2026, 11, 25, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        ("Wed Oct 10 20:19:24 +0000 2018", {}, "2018-10-10T20:19:24Z"),
        ("Mon, 03 Nov 2025 10:00:00 +0700", {}, "2025-11-03T03:00:00Z"),
        ("2024-05-06T07:08:09Z", {}, "2024-05-06T07:08:09Z"),
        ("2024-05-06T07:08:09.123+00:00", {}, "2024-05-06T07:08:09Z"),
        ("2024-05-06", {}, "2024-05-05T17:00:00Z"),
        ("2024/05/06", {}, "2024-05-05T17:00:00Z"),  # a leading year is never day-first
        ("2024-05-06 10:00:00 WIB", {}, "2024-05-06T03:00:00Z"),
        ("Senin, 3 November 2025 10:00 WITA", {}, "2025-11-03T02:00:00Z"),
        ("03/11/2025 10:00 WIT", {}, "2025-11-03T01:00:00Z"),
        ("06/05/2024", {}, "2024-05-05T17:00:00Z"),
        ("10/15/2024 08:00", {}, "2024-10-15T01:00:00Z"),
        ("06/05/2024", {"dayfirst": False}, "2024-06-04T17:00:00Z"),
        ("23 Agustus 2026 14.05", {}, "2026-08-23T07:05:00Z"),
        ("Senin, 5 Mei 2025", {}, "2025-05-04T17:00:00Z"),
        ("Jum'at, 7 Nopember 2025 pukul 09.30 WIB", {}, "2025-11-07T02:30:00Z"),
        ("Selasa 03.11.2025", {}, "2025-11-02T17:00:00Z"),  # a dotted date is not a time
        ("5 Okt 2025", {}, "2025-10-04T17:00:00Z"),
        ("12 Agt 2025", {}, "2025-08-11T17:00:00Z"),
        ("1 Peb 2025", {}, "2025-01-31T17:00:00Z"),
        ("1700000000", {}, "2023-11-14T22:13:20Z"),
        ("1700000000000", {}, "2023-11-14T22:13:20Z"),
        (1700000000, {}, "2023-11-14T22:13:20Z"),
        (45000, {}, "2023-03-14T17:00:00Z"),
        (datetime(2026, 1, 2, 3, 4), {}, "2026-01-01T20:04:00Z"),
        (date(2026, 1, 2), {}, "2026-01-01T17:00:00Z"),
        ("2026-11-20", {"time": "08:15"}, "2026-11-20T01:15:00Z"),
        ("2024-05-06 10:00", {"tz": "UTC"}, "2024-05-06T10:00:00Z"),
        ("32/13/2023", {}, None),
        ("0000-00-00", {}, None),
        ("kemarin", {}, None),
        ("", {}, None),
        (None, {}, None),
        (True, {}, None),
        ("5", {}, None),
        ("2024", {}, None),
        ("1.234", {}, None),
        ("1850-01-01", {}, None),
    ],
)
def test_parse_date(value, kwargs, expected) -> None:
    assert parse_date(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mon, 03 Nov 2025 10:00:00 +0700", ("2025-11-03T03:00:00Z", None)),
        ("2025-11-03T10:00:00Z", ("2025-11-03T10:00:00Z", None)),
        ("Senin, 3 November 2025 10:00 WITA", ("2025-11-03T02:00:00Z", None)),
        ("03/11/2025 10:00 WIT", ("2025-11-03T01:00:00Z", None)),
        ("Kamis, 30 Oktober 2025 | 19:05 WIB", ("2025-10-30T12:05:00Z", None)),
        ("Diterbitkan 3 November 2025 10:00", ("2025-11-03T03:00:00Z", None)),
        ("1762138800", ("2025-11-03T03:00:00Z", None)),
        ("1762138800000", ("2025-11-03T03:00:00Z", None)),
        ("0000-00-00 00:00:00", (None, "invalid")),
        ("0000-00-00", (None, "invalid")),
        ("kemarin sore", (None, "invalid")),
        ("5", (None, "invalid")),
        ("2031-01-01T00:00:00Z", (None, "invalid")),  # more than two days ahead
        ("1970-01-01T00:00:00Z", (None, "invalid")),  # before 1995
        ("", (None, "missing")),
        ("   ", (None, "missing")),
        (None, (None, "missing")),
    ],
)
def test_parse_feed_date(raw: str | None, expected: tuple[str | None, str | None]) -> None:
    assert parse_feed_date(raw, NOW) == expected


@pytest.mark.parametrize(
    ("cell", "iso"),
    [
        ("12 Januari 2015", "2015-01-12"),
        ("01/03/2022", "2022-03-01"),
        ("2023-06-15", "2023-06-15"),
        ("5 Agustus 2019", "2019-08-05"),
        ("3 Nop 1987", "1987-11-03"),  # join dates may be old: no plausibility window
        (datetime(2020, 2, 29, 0, 0), "2020-02-29"),
        (date(2020, 2, 29), "2020-02-29"),
        (44000, "2020-06-18"),  # an Excel serial day
        ("2020-06-18T20:00:00Z", "2020-06-19"),  # the local (Jakarta) day
        ("", None),
        (None, None),
    ],
)
def test_parse_day(cell, iso) -> None:
    assert parse_day(cell) == iso


@pytest.mark.parametrize("cell", ["kemarin", "32/13/2023", "2024", "0000-00-00"])
def test_parse_day_refuses_what_is_not_a_date(cell) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_day(cell)


@pytest.mark.parametrize(
    "text",
    [
        "Senin, 3 November 2025 10:00 WIB",
        "3 Nopember 2025 10.00",
        "03/11/2025 10:00",
        "2025-11-03 10:00",
        "Mon, 03 Nov 2025 10:00:00 +0700",
        "1762138800",
    ],
)
def test_exports_feeds_and_member_lists_read_a_date_alike(text: str) -> None:
    """One reader: the same text is the same moment whichever input it came in."""
    assert parse_date(text) == parse_feed_date(text, NOW)[0] == "2025-11-03T03:00:00Z"
    assert parse_day(text) == "2025-11-03"
