"""Pure normalisation helpers: HTML, Google News titles, language (URLs: test_urls.py, dates:
test_dates.py)."""

from __future__ import annotations

import pytest

from collectors.normalise import detect_languages, html_to_text, split_source_title


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
