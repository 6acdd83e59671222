"""Tables of cases for the shared helpers: dates, counts, links, text repair, sniffing."""

from __future__ import annotations

import codecs

import pytest

from collectors.aliases import map_headers, normalise_header
from collectors.common import platform_from_url, repair_mojibake, to_int
from collectors.safezip import is_unsafe_name
from collectors.textfiles import detect_encoding, looks_binary, looks_html, sniff_delimiter
from collectors.youtube import comment_text


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
    ("url", "platform"),
    [
        ("https://example.id/a?id=3", "web"),
        ("https://x.com/budi/status/1", "x"),
        ("https://m.facebook.com/story.php", "facebook"),
        ("https://youtu.be/abc", "youtube"),
        (None, None),
    ],
)
def test_platform_from_url(url, platform) -> None:
    # canonical_url itself is tested in tests/test_urls.py
    assert platform_from_url(url) == platform


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
