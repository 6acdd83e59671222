"""Sentiment data shaped for people: the explanation table and the corrections CSV.

Streamlit-free, so that pages stay thin and these shapes are tested on their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from citra.exports import csv_text
from citra.i18n import translate

EXPORT_COLUMNS = ("text", "label", "id", "platform", "published_at")


def rule_names(rule: str, lang: str) -> str:
    """An ``explain`` rule (``"negated+intensified"``) as words in ``lang``, joined by " + "."""
    return " + ".join(translate(part.strip(), lang) for part in rule.split("+") if part.strip())


def explanation_rows(reasons: Iterable[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """``SentimentAnalyzer.explain`` reasons as table rows ``{"word", "valence", "rule"}``:
    ``valence`` as counted after the rules (VADER's -4..4 scale), ``rule`` translated; a risk
    match's rule names its category ("risiko (dibantah): gagal bayar"). Empty reasons give an
    empty list."""
    return [
        {
            "word": reason["word"],
            "valence": float(reason["valence"]),
            "rule": rule_names(str(reason["rule"]), lang) + _category(reason, lang),
        }
        for reason in reasons
    ]


def _category(reason: Mapping[str, Any], lang: str) -> str:
    from citra.sentiment.risk import CATEGORY_NAMES

    category = reason.get("category")
    if not category:
        return ""
    return ": " + translate(CATEGORY_NAMES.get(str(category), str(category)), lang)


def labels_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """Hand-labelled mentions (``citra.queries.sentiment.export_labels`` rows) as CSV text with
    the header ``text,label,id,platform,published_at`` (the ``sentiment train`` format; extra
    columns are ignored there), formula-looking texts neutralised (:mod:`citra.exports`). No
    rows: the header line alone."""
    return csv_text(EXPORT_COLUMNS, rows)
