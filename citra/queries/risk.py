"""Reading the comms team's word on the risk flag: corrections, the coop's risk phrases and
not-a-risk phrases, and phrases suggested by the corrections."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlite_utils import Database

from citra.queries.settings import get_setting
from citra.sentiment.rules import word_set

# The settings key of the coop's risk phrases: a list of ``[pattern, category]`` pairs in the
# syntax of ``citra/sentiment/data/risk_terms.tsv`` (written by ``citra.store.risk``).
RISK_PHRASES = "risk_phrases"
# The settings key of the coop's not-a-risk phrases: a list of patterns in the same syntax
# (written by ``citra.store.risk``; see ``citra.sentiment.risk.NotRiskPhrases``).
NOT_RISK_PHRASES = "not_risk_phrases"
# A suggestion must come back in this many corrected mentions of one category.
MIN_SUGGESTION_COUNT = 2


def risk_phrases(db: Database) -> list[tuple[str, str]]:
    """The coop's own risk phrases as ``(pattern, category)``, in the order saved; ``[]``."""
    stored = get_setting(db, RISK_PHRASES) or []
    return [(str(p), str(c)) for p, c in stored]


def not_risk_phrases(db: Database) -> list[str]:
    """The coop's not-a-risk phrases (patterns), in the order saved; ``[]``."""
    return [str(p) for p in get_setting(db, NOT_RISK_PHRASES) or []]


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


def not_risk_suggestions(db: Database, limit: int = 10) -> list[dict[str, Any]]:
    """Not-a-risk phrases the corrections point to: a flagged risk phrase with a neighbouring
    content word (``webinar ~ investasi bodong``, ``film ~ penipuan``: the nearest one before or
    after it in its clause, close enough for the ``~`` to reach) that recurs in mentions the
    team marked "not a risk" although Citra flagged them (``{"phrase", "category", "count"}``,
    ``category`` the flagged match's, most frequent first). Never one that matches anywhere in
    a mention marked as a risk: a suggestion must not hide what the team said the other way.
    The texts are read as the analyzer reads them, with the coop's risk and not-a-risk phrases
    (a match set aside already is not suggested again). No corrections: ``[]``."""
    from citra.sentiment.analyzer import SentimentAnalyzer
    from citra.sentiment.risk import GAP, NotRiskPhrases

    corrections = corrected_texts(db)
    if not corrections:
        return []
    analyzer = SentimentAnalyzer(
        risk_phrases=risk_phrases(db), not_risk_phrases=not_risk_phrases(db)
    )
    counts: Counter[str] = Counter()
    categories: dict[str, str] = {}
    risky: list[list[str]] = []
    for text, risk, _ in corrections:
        prepared = analyzer.prepare(text)
        tokens = prepared.tokens
        if risk:
            risky.append(tokens)
            continue
        found: set[str] = set()
        for hit in prepared.risk_hits:
            if not hit.flags:
                continue
            before = _neighbour(tokens, range(hit.start - 1, hit.start - GAP - 2, -1))
            after = _neighbour(tokens, range(hit.end, hit.end + GAP + 1))
            for pattern in (
                f"{before} ~ {hit.phrase}" if before else None,
                f"{hit.phrase} ~ {after}" if after else None,
            ):
                if pattern is not None:
                    found.add(pattern)
                    categories.setdefault(pattern, hit.category)
        counts.update(found)
    candidates = sorted(p for p, count in counts.items() if count >= MIN_SUGGESTION_COUNT)
    if not candidates:
        return []
    try:
        matcher = NotRiskPhrases(candidates, (), analyzer.normalise)
    except ValueError:  # not expected (made of the analyzer's own tokens): suggest nothing
        return []
    refused = {pattern for tokens in risky for pattern in matcher.found_in(tokens)}
    suggestions = [
        {"phrase": p, "category": categories[p], "count": counts[p]}
        for p in candidates
        if p not in refused
    ]
    suggestions.sort(key=lambda s: (-s["count"], s["phrase"]))
    return suggestions[:limit]


def _neighbour(tokens: list[str], places: range) -> str | None:
    """The first content word at ``places`` (in that order) before a clause end or the text's
    edge, else ``None``."""
    from citra.sentiment.risk import CLAUSE_END

    for at in places:
        if not 0 <= at < len(tokens) or tokens[at] == CLAUSE_END:
            return None
        word = tokens[at]
        if word.isalpha() and len(word) > 2 and word not in _NEIGHBOUR_SKIPPED:
            return word
    return None


# Words that make no neighbour of their own: the tokens are read before the analyzer's rule
# words turn Indonesian into English, so both languages' function words are listed.
_NEIGHBOUR_SKIPPED = _FUNCTION_WORDS | word_set(
    "tidak bukan belum tak tanpa jangan sangat lagi masih telah bisa dapat tentang soal "
    "para oleh bagi tersebut kalau jika agar supaya karena sebagai secara lebih "
    "about from with this that for has have had been be will"
)
