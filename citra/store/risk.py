"""Writing the comms team's word on the risk flag: corrections of one mention, and the coop's own
risk phrases and not-a-risk phrases (settings rows, read by ``SentimentAnalyzer(db)``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from citra.access import ADMIN, EDITOR, requires
from citra.errors import CitraError
from citra.queries.risk import NOT_RISK_PHRASES, RISK_PHRASES
from citra.sentiment.risk import CATEGORIES
from citra.store.sentiment import _mention_seq
from citra.store.settings import set_setting


def _category(category: str) -> str:
    if category not in CATEGORIES:
        raise CitraError(
            "Risk category must be one of {known}, got '{category}'.",
            known=", ".join(CATEGORIES),
            category=category,
        )
    return category


@requires(EDITOR, action="risk corrected", target="mention_id")
def set_risk_correction(db: Database, mention_id: str | int, category: str | None) -> None:
    """The team's word on a mention's risk flag: ``None`` = not a risk, else a risk of
    ``category``. The mention shows it at once and every re-score keeps it (see
    ``write_scores``). Raises ``CitraError`` for an unknown mention or category."""
    seq = _mention_seq(db, mention_id)
    risk = 0 if category is None else 1
    if category is not None:
        _category(category)
    with db.atomic():
        db.execute(
            "INSERT INTO risk_corrections (mention_seq, risk, category) VALUES (?, ?, ?) "
            "ON CONFLICT(mention_seq) DO UPDATE SET risk = excluded.risk, "
            "category = excluded.category, "
            "created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            [seq, risk, category],
        )
        db.execute(
            "UPDATE mentions SET risk = ?, risk_category = ?, risk_categories = ? WHERE seq = ?",
            [risk, category, category, seq],
        )


@requires(EDITOR, action="risk correction cleared", target="mention_id")
def clear_risk_correction(db: Database, mention_id: str | int) -> bool:
    """Hand the risk flag back to the analyzer (the mention is re-scored at the next
    ``rescore``); ``False`` when there was no correction."""
    seq = _mention_seq(db, mention_id)
    with db.atomic():
        removed = db.execute("DELETE FROM risk_corrections WHERE mention_seq = ?", [seq]).rowcount
        if removed:
            db.execute("UPDATE mentions SET lexicon_version = NULL WHERE seq = ?", [seq])
    return removed > 0


@requires(ADMIN, action="risk phrases saved")
def set_risk_phrases(db: Database, phrases: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Store the coop's own risk phrases (``(pattern, category)``, the pattern syntax of
    ``risk_terms.tsv``: ``setoran ~ raib``, ``dana|uang ~ nyangkut``); returns them cleaned
    (lower case, single spaces, empty ones and repeats dropped). The analyzer version changes,
    so stored mentions are due for re-scoring. Raises ``CitraError`` for an unknown category or
    a pattern the matcher cannot read."""
    from citra.sentiment.risk import Taxonomy

    cleaned: dict[str, str] = {}
    for pattern, category in phrases:
        text = " ".join(str(pattern or "").lower().split())
        if text:
            cleaned[text] = _category(category)
    rows = list(cleaned.items())
    try:
        Taxonomy.shipped().with_phrases(rows)
    except ValueError as error:
        raise CitraError("This risk phrase cannot be read: {error}", error=str(error)) from None
    set_setting(db, RISK_PHRASES, [list(row) for row in rows])
    return rows


@requires(ADMIN, action="not-a-risk phrases saved")
def set_not_risk_phrases(db: Database, patterns: Sequence[str]) -> list[str]:
    """Store the coop's not-a-risk phrases: patterns in the syntax of risk phrases
    (``webinar ~ investasi bodong``, ``film|sinetron ~ penipuan``) whose match sets aside the
    risk matches it overlaps (``citra.sentiment.risk.NotRiskPhrases``). Returns them cleaned
    (lower case, single spaces, empty ones and repeats dropped). The analyzer version changes,
    so stored mentions are due for re-scoring; a mention's own risk correction still wins.
    Raises ``CitraError`` for a pattern the matcher cannot read."""
    from citra.sentiment.risk import Taxonomy

    cleaned = list(dict.fromkeys(" ".join(str(p or "").lower().split()) for p in patterns))
    rows = [pattern for pattern in cleaned if pattern]
    try:
        Taxonomy.shipped().with_not_risk(rows)
    except ValueError as error:
        raise CitraError(
            "This not-a-risk phrase cannot be read: {error}", error=str(error)
        ) from None
    set_setting(db, NOT_RISK_PHRASES, rows)
    return rows
