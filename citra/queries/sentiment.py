"""Reading sentiment data: custom words, trained models, manually labelled mentions."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def list_custom_words(db: Database) -> list[dict[str, Any]]:
    """Custom words by term: ``{"term", "valence", "note", "created_at"}`` (UTC, ISO 8601 with
    a trailing Z). Empty list when there are none."""
    return list(
        db.query("SELECT term, valence, note, created_at FROM sentiment_custom_words ORDER BY term")
    )


def active_model_row(db: Database) -> dict[str, Any] | None:
    """The active trained model's row, its JSON included; ``None`` when no model is active."""
    rows = list(db.query("SELECT * FROM sentiment_models WHERE is_active = 1 LIMIT 1"))
    return rows[0] if rows else None


def active_model_info(db: Database) -> dict[str, Any] | None:
    """The active model without its parameters: ``{"id", "created_at", "source", "rows",
    "cv_macro_f1", "lexicon_macro_f1"}``; ``None`` when the lexicon alone is in use."""
    rows = list(
        db.query(
            "SELECT id, created_at, source, rows, cv_macro_f1, lexicon_macro_f1 "
            "FROM sentiment_models WHERE is_active = 1 LIMIT 1"
        )
    )
    return rows[0] if rows else None


def list_models(db: Database) -> list[dict[str, Any]]:
    """Every trained model, newest first, without parameters; ``is_active`` 1 marks the one in
    use."""
    return list(
        db.query(
            "SELECT id, created_at, source, rows, cv_macro_f1, lexicon_macro_f1, is_active "
            "FROM sentiment_models ORDER BY id DESC"
        )
    )


def export_labels(db: Database) -> list[dict[str, Any]]:
    """Mentions labelled by a person, as training rows ``{"text", "label", "id", "platform",
    "published_at"}`` (title and text joined), oldest first. Empty list when none."""
    rows = db.query(
        "SELECT id, platform, published_at, title, text, sentiment_label AS label "
        "FROM mentions WHERE sentiment_source = 'manual' AND sentiment_label IS NOT NULL "
        "ORDER BY seq"
    )
    out = []
    for row in rows:
        text = mention_text(row.get("title"), row.get("text"))
        if text:
            out.append(
                {
                    "text": text,
                    "label": row["label"],
                    "id": row["id"],
                    "platform": row["platform"],
                    "published_at": row["published_at"],
                }
            )
    return out


def mention_text(title: str | None, text: str | None) -> str:
    """The text scored for a mention: its title and its text, joined (either may be missing)."""
    parts = [p.strip() for p in (title, text) if p and p.strip()]
    if len(parts) == 2 and parts[1].startswith(parts[0]):
        return parts[1]
    return ". ".join(parts)


def pending_from_counts(db: Database, version: str) -> int:
    """How many mentions ``version`` has not scored (scored by another version, or never),
    from the per-version counts in ``mention_versions``: no scan of ``mentions``."""
    row = db.execute(
        "SELECT coalesce(sum(mentions), 0) - coalesce(sum(CASE WHEN version = ? THEN mentions "
        "END), 0) FROM mention_versions",
        [version],
    ).fetchone()
    return int(row[0])
