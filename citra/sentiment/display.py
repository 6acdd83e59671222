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
    match's rule names its category ("risiko (dibantah): gagal bayar"), and a match set aside
    names the coop's not-a-risk phrase that did it. Empty reasons give an empty list."""
    return [
        {
            "word": reason["word"],
            "valence": float(reason["valence"]),
            "rule": rule_names(str(reason["rule"]), lang)
            + _category(reason, lang)
            + _set_aside(reason, lang),
        }
        for reason in reasons
    ]


def _set_aside(reason: Mapping[str, Any], lang: str) -> str:
    phrase = reason.get("set_aside_by")
    if not phrase:
        return ""
    return " · " + translate("set aside by your not-a-risk phrase '{phrase}'", lang, phrase=phrase)


def _category(reason: Mapping[str, Any], lang: str) -> str:
    from citra.sentiment.risk import CATEGORY_NAMES

    category = reason.get("category")
    if not category:
        return ""
    return ": " + translate(CATEGORY_NAMES.get(str(category), str(category)), lang)


def correction_row(correction: Mapping[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The comms team's word on a mention's risk flag (``queries.risk.risk_correction``) as an
    explanation row: "not a risk (set by hand)" or "risk set by hand: <category>"; ``None``
    without a correction."""
    from citra.sentiment.risk import CATEGORY_NAMES

    if not correction:
        return None
    if not correction.get("risk"):
        rule = translate("not a risk (set by hand)", lang)
    else:
        category = str(correction.get("category") or "")
        rule = translate(
            "risk set by hand: {category}",
            lang,
            category=translate(CATEGORY_NAMES.get(category, category), lang),
        )
    return {"word": translate("the comms team", lang), "valence": 0.0, "rule": rule}


def labels_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """Hand-labelled mentions (``citra.queries.sentiment.export_labels`` rows) as CSV text with
    the header ``text,label,id,platform,published_at`` (the ``sentiment train`` format; extra
    columns are ignored there), formula-looking texts neutralised (:mod:`citra.exports`). No
    rows: the header line alone."""
    return csv_text(EXPORT_COLUMNS, rows)
