"""The one export neutraliser (``citra.exports``): formula-looking strings are quoted in every
export, numbers stay numbers, and only web addresses are links."""

from __future__ import annotations

import csv
import io

import pytest

from citra.exports import csv_text, looks_like_formula, neutralise, restore, safe_url
from citra.sentiment.display import labels_csv

HOSTILE = [
    '=HYPERLINK("http://evil.example/","klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_strings_are_quoted(text: str) -> None:
    assert looks_like_formula(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-5, -2.5, 0, 12, None, "Koperasi -5", "a=b", "", "'=x"])
def test_everything_else_is_left_as_it_is(value: object) -> None:
    assert neutralise(value) == value


@pytest.mark.parametrize("text", [*HOSTILE, "biasa", "'quoted'"])
def test_restore_undoes_neutralise(text: str) -> None:
    assert restore(str(neutralise(text))) == text


def test_csv_text_neutralises_every_cell_and_keeps_numbers() -> None:
    rows = [{"text": HOSTILE[0], "n": -3, "extra": "ignored"}, {"text": "biasa"}]
    read = list(csv.reader(io.StringIO(csv_text(["text", "n"], rows))))
    assert read == [["text", "n"], ["'" + HOSTILE[0], "-3"], ["biasa", ""]]


def test_labels_export_is_neutralised() -> None:
    rows = [{"text": t, "label": "negative", "id": "@x", "platform": "x"} for t in HOSTILE]
    read = list(csv.DictReader(io.StringIO(labels_csv(rows))))
    assert [r["text"] for r in read] == ["'" + t for t in HOSTILE]
    assert all(r["id"] == "'@x" for r in read)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.id/a?b=1", "https://news.example.id/a?b=1"),
        ("HTTP://news.example.id/", "http://news.example.id/"),
        (" https://x.id/a ", "https://x.id/a"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox", None),
        ("//evil.example/x", None),
        ("http:///etc/passwd", None),
        ('https://x.id/a"onmouseover=alert(1)', None),
        ("https://x.id/<script>", None),
        ("ftp://x.id/", None),
        (None, None),
        (42, None),
    ],
)
def test_only_web_addresses_are_links(url: object, expected: str | None) -> None:
    assert safe_url(url) == expected
