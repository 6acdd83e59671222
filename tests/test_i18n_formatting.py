"""Message catalogues and Indonesian number/date formats."""

from __future__ import annotations

import pytest

from citra.formatting import format_date, format_datetime, format_number, format_percent_value
from citra.i18n import LOCALE_DIR, Translator, catalogue, translate


def test_indonesian_is_translated_and_english_is_the_source() -> None:
    assert translate("Mentions", "id") == "Sebutan"
    assert translate("Mentions", "en") == "Mentions"
    assert Translator("xx")("Mentions") == "Sebutan"  # unknown language -> Indonesian default


def test_missing_translation_falls_back_to_english_and_fills_placeholders() -> None:
    assert (
        translate("{n} new mentions (untranslated)", "id", n=3) == "3 new mentions (untranslated)"
    )


def test_every_po_file_parses_and_has_no_empty_translations() -> None:
    files = sorted((LOCALE_DIR / "id" / "LC_MESSAGES").glob("*.po"))
    assert files
    messages = catalogue("id")
    assert all(value.strip() for value in messages.values())


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [(1234.5, "id", 1, "1.234,5"), (1234.5, "en", 1, "1,234.5"), (1_000_000, "id", 0, "1.000.000"),
     (None, "id", 0, "–")],
)  # fmt: skip
def test_numbers(value: float | None, lang: str, decimals: int, expected: str) -> None:
    assert format_number(value, lang, decimals) == expected


def test_dates_are_shown_in_jakarta_time() -> None:
    # 20:00 UTC on 23 November is 03:00 on 24 November in Jakarta (UTC+7).
    assert format_date("2026-11-23T20:00:00Z", "id") == "24 Nov 2026"
    assert format_date("2026-11-23T05:00:00Z", "en") == "23 Nov 2026"
    assert format_datetime("2026-11-23T05:45:00Z", "id") == "23 Nov 2026 12:45"
    assert format_datetime("2026-11-23T05:45:00Z", "id", tz="Asia/Makassar") == "23 Nov 2026 13:45"
    assert format_date(None) == "–"


def test_percent() -> None:
    assert format_percent_value(0.256, "id") == "26%"
    assert format_percent_value(0.256, "id", 1) == "25,6%"
