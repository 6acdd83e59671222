"""Pure normalisation helpers: URLs, dates, HTML, Google News titles, language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from collectors.normalise import (
    canonical_url,
    detect_languages,
    html_to_text,
    parse_date,
    split_source_title,
)

NOW = datetime(2025, 11, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Kompas.COM/read/1/?utm_source=x&id=5#top", "https://kompas.com/read/1?id=5"),
        ("https://amp.kompas.com/read/1", "https://kompas.com/read/1"),
        ("https://www.detik.com/berita/1/amp", "https://www.detik.com/berita/1"),
        ("https://portal.id/berita/1?amp=1&fbclid=x&gclid=y", "https://portal.id/berita/1"),
        (
            "https://portal-id.cdn.ampproject.org/c/s/portal.id/berita/1",
            "https://portal.id/berita/1",
        ),
        ("https://portal.id/berita/1.amp.html", "https://portal.id/berita/1.html"),
        ("http://portal.id:80/a", "http://portal.id/a"),
        (
            "https://www.google.com/url?rct=j&url=https://radar.id/x%3Futm_medium%3Dy&ct=ga",
            "https://radar.id/x",
        ),
        ("ftp://portal.id/a", None),
        ("kurang-1", None),
        ("", None),
        (None, None),
        ("http://[::1", None),
    ],
)
def test_canonical_url(url: str | None, expected: str | None) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mon, 03 Nov 2025 10:00:00 +0700", ("2025-11-03T03:00:00Z", None)),
        ("2025-11-03T10:00:00Z", ("2025-11-03T10:00:00Z", None)),
        ("Senin, 3 November 2025 10:00 WITA", ("2025-11-03T02:00:00Z", None)),
        ("03/11/2025 10:00 WIT", ("2025-11-03T01:00:00Z", None)),
        ("Kamis, 30 Oktober 2025 | 19:05 WIB", ("2025-10-30T12:05:00Z", None)),
        ("1762138800", ("2025-11-03T03:00:00Z", None)),
        ("1762138800000", ("2025-11-03T03:00:00Z", None)),
        ("0000-00-00 00:00:00", (None, "invalid")),
        ("0000-00-00", (None, "invalid")),
        ("kemarin sore", (None, "invalid")),
        ("2031-01-01T00:00:00Z", (None, "invalid")),
        ("1970-01-01T00:00:00Z", (None, "invalid")),
        ("", (None, "missing")),
        (None, (None, "missing")),
    ],
)
def test_parse_date(raw: str | None, expected: tuple[str | None, str | None]) -> None:
    assert parse_date(raw, NOW) == expected


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Satu &amp; dua</p><p>tiga</p>", "Satu & dua tiga"),
        ("<script>alert(1)</script>Aman<style>p{}</style>", "Aman"),
        ('<img src="x.jpg"/>Foto<br>baru', "Foto baru"),
        ("Teks &quot;biasa&quot; &#8211; saja", 'Teks "biasa" – saja'),
        ("  spasi \n ganda ", "spasi ganda"),
        (None, ""),
    ],
)
def test_html_to_text(html: str | None, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("title", "source", "expected"),
    [
        ("Berita - Kompas.com", "Kompas.com", ("Berita", "Kompas.com")),
        ("A - B - Tribun", None, ("A - B", "Tribun")),
        ("Tanpa sumber", None, ("Tanpa sumber", None)),
        ("Berita lain", "Detik", ("Berita lain", "Detik")),
    ],
)
def test_split_source_title(
    title: str, source: str | None, expected: tuple[str, str | None]
) -> None:
    assert split_source_title(title, source) == expected


def test_detect_languages() -> None:
    assert detect_languages(
        [
            "Koperasi simpan pinjam membagikan sisa hasil usaha kepada anggota",
            "The cooperative paid its members a dividend this year",
            "",
        ]
    ) == ["id", "en", None]
    assert detect_languages([]) == []
