"""Reading the comms team's word on the risk flag: corrections, the coop's risk phrases, and
phrases suggested by the corrections."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlite_utils import Database

from citra.queries.settings import get_setting
from citra.sentiment.rules import word_set

# The settings key of the coop's risk phrases: a list of ``[pattern, category]`` pairs in the
# syntax of ``citra/sentiment/data/risk_terms.tsv`` (written by ``citra.store.risk``).
RISK_PHRASES = "risk_phrases"
# A suggestion must come back in this many corrected mentions of one category.
MIN_SUGGESTION_COUNT = 2


def risk_phrases(db: Database) -> list[tuple[str, str]]:
    """The coop's own risk phrases as ``(pattern, category)``, in the order saved; ``[]``."""
    stored = get_setting(db, RISK_PHRASES) or []
    return [(str(p), str(c)) for p, c in stored]


def risk_correction(db: Database, seq: int) -> dict[str, Any] | None:
    """``{"risk": 0|1, "category", "created_at"}`` of a corrected mention, else ``None``."""
    row = db.execute(
        "SELECT risk, category, created_at FROM risk_corrections WHERE mention_seq = ?", [seq]
    ).fetchone()
    if row is None:
        return None
    return {"risk": int(row[0]), "category": row[1], "created_at": row[2]}


def corrected_texts(db: Database) -> list[tuple[str, int, str | None]]:
    """``(title + text, risk, category)`` of every corrected mention, oldest first."""
    from citra.queries.sentiment import mention_text

    return [
        (mention_text(r[0], r[1]), int(r[2]), r[3])
        for r in db.execute(
            "SELECT m.title, m.text, c.risk, c.category FROM risk_corrections c "
            "JOIN mentions m ON m.seq = c.mention_seq ORDER BY c.created_at, c.mention_seq"
        )
    ]


def risk_phrase_suggestions(db: Database, limit: int = 10) -> list[dict[str, Any]]:
    """Phrases the corrections point to: pairs of neighbouring words (``arisan ~ zonk``) that
    recur in mentions the team marked as a risk of one category although no pattern flagged them
    (``{"phrase", "category", "count"}``, most frequent first), never one that occurs in a
    mention marked "not a risk".
    The texts are read as the analyzer reads them, with the coop's risk phrases (a phrase saved
    already flags, so it is not suggested again). No corrections: ``[]``."""
    from citra.sentiment.analyzer import SentimentAnalyzer

    corrections = corrected_texts(db)
    if not corrections:
        return []
    analyzer = SentimentAnalyzer(risk_phrases=risk_phrases(db))
    missed: dict[str, Counter[str]] = {}
    refused: set[str] = set()
    for text, risk, category in corrections:
        prepared = analyzer.prepare(text)
        # Neighbouring content words within a clause (function words skipped, a clause end
        # splits), as a pattern with a gap: "arisan kami zonk" suggests "arisan ~ zonk".
        pairs: set[str] = set()
        previous = None
        for word in prepared.words:
            if word in _FUNCTION_WORDS:
                continue
            if not word.isalpha():
                previous = None
                continue
            if previous is not None:
                pairs.add(f"{previous} ~ {word}")
            previous = word
        if not risk:
            refused |= pairs
        elif category and not prepared.risk_terms:
            missed.setdefault(category, Counter()).update(pairs)
    suggestions = [
        {"phrase": phrase, "category": category, "count": count}
        for category, counts in missed.items()
        for phrase, count in counts.items()
        if count >= MIN_SUGGESTION_COUNT and phrase not in refused
    ]
    suggestions.sort(key=lambda s: (-s["count"], s["phrase"]))
    return suggestions[:limit]


# Words that make no phrase of their own (the analyzer's rule words are English by then).
_FUNCTION_WORDS = word_set(
    "yang di ke dari dan atau ini itu saya kami kita aku kamu ada dengan untuk pada juga sudah "
    "akan the a an of to in and or is are was were my our we i you it not very but somewhat "
    "koperasi ksp"
)
