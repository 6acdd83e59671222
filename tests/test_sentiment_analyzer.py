"""The analyzer on small in-house sentences: rules, vocabulary, bad input."""

from __future__ import annotations

import pytest

from citra.sentiment import SentimentAnalyzer


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Pelayanannya bagus dan ramah", "positive"),
        ("Pelayanannya tidak bagus", "negative"),
        ("Koperasi ini gagal bayar", "negative"),
        ("Rapat anggota hari Senin", "neutral"),
    ],
)
def test_labels(analyzer: SentimentAnalyzer, text: str, label: str) -> None:
    assert analyzer.label(text) == label
