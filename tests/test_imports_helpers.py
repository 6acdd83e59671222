"""Tables of cases for the shared helpers: dates, counts, links, text repair, sniffing."""

from __future__ import annotations

import codecs
from datetime import datetime

import pytest

from collectors.aliases import map_headers, normalise_header
from collectors.common import canonical_url, platform_from_url, repair_mojibake, to_int
from collectors.dates import parse_date
from collectors.safezip import is_unsafe_name
from collectors.textfiles import detect_encoding, looks_binary, looks_html, sniff_delimiter
from collectors.youtube import comment_text


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        ("Wed Oct 10 20:19:24 +0000 2018", {}, "2018-10-10T20:19:24Z"),
        ("2024-05-06T07:08:09Z", {}, "2024-05-06T07:08:09Z"),
        ("2024-05-06T07:08:09.123+00:00", {}, "2024-05-06T07:08:09Z"),
        ("2024-05-06", {}, "2024-05-05T17:00:00Z"),
        ("2024-05-06 10:00:00 WIB", {}, "2024-05-06T03:00:00Z"),
        ("06/05/2024", {}, "2024-05-05T17:00:00Z"),
        ("10/15/2024 08:00", {}, "2024-10-15T01:00:00Z"),
        ("06/05/2024", {"dayfirst": False}, "2024-06-04T17:00:00Z"),
        ("23 Agustus 2026 14.05", {}, "2026-08-23T07:05:00Z"),
        ("Senin, 5 Mei 2025", {}, "2025-05-04T17:00:00Z"),
        ("5 Okt 2025", {}, "2025-10-04T17:00:00Z"),
        ("1700000000", {}, "2023-11-14T22:13:20Z"),
        ("1700000000000", {}, "2023-11-14T22:13:20Z"),
        (1700000000, {}, "2023-11-14T22:13:20Z"),
        (45000, {}, "2023-03-14T17:00:00Z"),
        (datetime(2026, 1, 2, 3, 4), {}, "2026-01-01T20:04:00Z"),
        ("2026-11-20", {"time": "08:15"}, "2026-11-20T01:15:00Z"),
        ("2024-05-06 10:00", {"tz": "UTC"}, "2024-05-06T10:00:00Z"),
        ("32/13/2023", {}, None),
        ("kemarin", {}, None),
        ("", {}, None),
        (None, {}, None),
        ("5", {}, None),
        ("1.234", {}, None),
        ("1850-01-01", {}, None),
    ],
)
def test_parse_date(value, kwargs, expected) -> None:
    assert parse_date(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("1.234", 1234),
        ("1,234", 1234),
        ("12 345", 12345),
        (7.0, 7),
        ("7.0", 7),
        ("1,5rb", 1500),
        ("2.3K", 2300),
        ("1jt", 1_000_000),
        ("", None),
        ("N/A", None),
        ("=1+1", None),
        ("+5", None),
        (None, None),
    ],
)
def test_to_int(value, expected) -> None:
    assert to_int(value) == expected


@pytest.mark.parametrize(
    ("url", "expected", "platform"),
    [
        ("https://www.Example.id/a/?utm_source=x&id=3#top", "https://example.id/a?id=3", "web"),
        ("http://twitter.com/budi/status/1?s=20", "https://x.com/budi/status/1", "x"),
        (
            "https://m.facebook.com/story.php?fbclid=abc",
            "https://m.facebook.com/story.php",
            "facebook",
        ),
        ("https://youtu.be/abc", "https://youtu.be/abc", "youtube"),
        ("javascript:alert(1)", None, None),
        ("", None, None),
    ],
)
def test_canonical_url(url, expected, platform) -> None:
    assert canonical_url(url) == expected
    assert platform_from_url(expected) == platform


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("caf\u00c3\u00a9", "café"),
        ("\u00f0\u009f\u0098\u008a", "😊"),
        ("café", "café"),  # already right: unchanged
        ("plain", "plain"),
        ("😊", "😊"),
    ],
)
def test_repair_mojibake(text, expected) -> None:
    assert repair_mojibake(text) == expected
    assert repair_mojibake(repair_mojibake(text)) == expected  # exactly once, idempotent


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"date,text\n", "utf-8"),
        (codecs.BOM_UTF8 + b"date,text\n", "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "date,text\n".encode("utf-16-le"), "utf-16"),
        ("date,text\n".encode("utf-16-le"), "utf-16-le"),
        ("tanggal;caf\u00e9\n".encode("cp1252"), "cp1252"),
    ],
)
def test_detect_encoding(data: bytes, encoding: str) -> None:
    assert detect_encoding(data) == encoding


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ('"x, y";b\n"1, 2";3\n', ";"),
        ("single\n", ","),
    ],
)
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_binary_and_html_sniffing() -> None:
    assert looks_binary(bytes(range(256)) * 10)
    assert not looks_binary("tanggal,isi\n2024-01-01,halo 😊\n".encode())
    assert looks_html(b"  <!DOCTYPE html><html>")
    assert not looks_html(b"date,text\n")


@pytest.mark.parametrize(
    ("name", "unsafe"),
    [
        ("data/tweets.js", False),
        ("../x", True),
        ("a/../../x", True),
        ("/etc/passwd", True),
        ("\\\\host\\share", True),
        ("C:\\x.csv", True),
        ("a/b..c/d", False),
    ],
)
def test_zip_slip_names(name: str, unsafe: bool) -> None:
    assert is_unsafe_name(name) is unsafe


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Date", "Hour", "Content", "Url"], {"date": 0, "time": 1, "text": 2, "url": 3}),
        (
            ["Tanggal", "Isi", "Tautan", "Sentimen"],
            {"date": 0, "text": 1, "url": 2, "sentiment": 3},
        ),
        (["Data", "Treść", "Zasięg"], {"date": 0, "text": 1, "reach": 2}),
        ([" PUBLISHED DATE ", "Description"], {"date": 0, "text": 1}),
    ],
)
def test_header_aliases(headers, expected) -> None:
    assert map_headers(headers) == expected


def test_normalise_header() -> None:
    assert normalise_header(" Tanggal/Waktu ") == "tanggal waktu"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('{"takeoutSegments":[{"text":"a "},{"text":"b"}]}', "a b"),
        ('{"text":"a "},{"text":"b"}', "a b"),
        ("plain words", "plain words"),
        ("{not json", "{not json"),
        ("", None),
    ],
)
def test_youtube_comment_text(cell: str, expected: str | None) -> None:
    assert comment_text(cell) == expected
