"""Writing sentiment data: manual labels, custom words, trained models and re-scored values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from citra.access import ADMIN, EDITOR, requires
from citra.errors import CitraError

LABELS = ("positive", "negative", "neutral")
KEEP_MODELS = 5


def _mention_seq(db: Database, mention_id: str | int) -> int:
    row = db.execute(
        "SELECT seq FROM mentions WHERE id = ? OR (typeof(?) = 'integer' AND seq = ?)",
        [str(mention_id), mention_id, mention_id],
    ).fetchone()
    if row is None:
        raise CitraError("No mention with id '{id}'.", id=mention_id)
    return int(row[0])


def _label(db: Database, arguments: Mapping[str, Any]) -> dict[str, Any] | None:
    mention = arguments["mention_id"]
    column = "seq" if isinstance(mention, int) else "id"
    row = db.execute(
        f"SELECT sentiment_label, sentiment_source FROM mentions WHERE {column} = ?", [mention]
    ).fetchone()
    return {"label": row[0], "source": row[1]} if row else None


@requires(EDITOR, action="label corrected", target="mention_id", before=_label)
def set_manual_label(db: Database, mention_id: str | int, label: str) -> None:
    """Label a mention by hand (``sentiment_source = 'manual'``); it wins over every re-score.

    ``mention_id`` is the mention's ``id`` (or its integer ``seq``). Raises ``CitraError`` for an
    unknown mention or a label other than positive / negative / neutral.
    """
    label = (label or "").strip().lower()
    if label not in LABELS:
        raise CitraError(
            "Label must be one of {known}, got '{label}'.", known=", ".join(LABELS), label=label
        )
    seq = _mention_seq(db, mention_id)
    with db.atomic():
        db.execute(
            "UPDATE mentions SET sentiment_label = ?, sentiment_source = 'manual' WHERE seq = ?",
            [label, seq],
        )


@requires(EDITOR, action="label cleared", target="mention_id", before=_label)
def clear_manual_label(db: Database, mention_id: str | int) -> None:
    """Hand a mention back to the analyzer: it is re-scored at the next ``rescore``."""
    seq = _mention_seq(db, mention_id)
    with db.atomic():
        db.execute(
            "UPDATE mentions SET sentiment_source = 'auto', lexicon_version = NULL WHERE seq = ?",
            [seq],
        )


@requires(ADMIN, action="custom word added", target="term")
def add_custom_word(db: Database, term: str, valence: float, note: str | None = None) -> str:
    """Add or override a word or phrase (valence -4..4, 0 makes it neutral); returns the term as
    stored (lower case, single spaces). Applies at the next re-score."""
    cleaned = " ".join(str(term or "").lower().split())
    if not cleaned:
        raise CitraError("A custom word cannot be empty.")
    try:
        value = float(valence)
    except (TypeError, ValueError):
        raise CitraError(
            "Valence must be a number from -4 to 4, got '{valence}'.", valence=valence
        ) from None
    if not -4.0 <= value <= 4.0:
        raise CitraError("Valence must be from -4 to 4, got {valence:g}.", valence=value)
    with db.atomic():
        db.execute(
            "INSERT INTO sentiment_custom_words (term, valence, note) VALUES (?, ?, ?) "
            "ON CONFLICT(term) DO UPDATE SET valence = excluded.valence, note = excluded.note",
            [cleaned, value, note],
        )
    return cleaned


@requires(ADMIN, action="custom word removed", target="term")
def remove_custom_word(db: Database, term: str) -> bool:
    """Remove a custom word; ``False`` when there was none."""
    cleaned = " ".join(str(term or "").lower().split())
    with db.atomic():
        removed = db.execute(
            "DELETE FROM sentiment_custom_words WHERE term = ?", [cleaned]
        ).rowcount
    return removed > 0


@requires(ADMIN, action="model saved", detail=lambda a, r: {"model": r})
def save_model(
    db: Database,
    model_json: str,
    *,
    source: str,
    rows: int,
    cv_macro_f1: float,
    lexicon_macro_f1: float,
    activate: bool,
) -> int:
    """Store a trained model's JSON with its figures; make it the active one when ``activate``.
    Returns its id. Only the :data:`KEEP_MODELS` newest models besides the active one are kept
    (a model's parameters take a few MB)."""
    with db.atomic():
        if activate:
            db.execute("UPDATE sentiment_models SET is_active = 0 WHERE is_active = 1")
        cursor = db.execute(
            "INSERT INTO sentiment_models "
            "(source, rows, cv_macro_f1, lexicon_macro_f1, model_json, is_active) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [source, rows, cv_macro_f1, lexicon_macro_f1, model_json, int(activate)],
        )
        db.execute(
            "DELETE FROM sentiment_models WHERE is_active = 0 AND id NOT IN "
            "(SELECT id FROM sentiment_models ORDER BY id DESC LIMIT ?)",
            [KEEP_MODELS],
        )
    return int(cursor.lastrowid)


@requires(ADMIN, action="model activated", target="model_id")
def activate_model(db: Database, model_id: int | None) -> None:
    """Make a stored model the active one; ``None`` switches back to the lexicon alone."""
    with db.atomic():
        if model_id is not None:
            found = db.execute("SELECT 1 FROM sentiment_models WHERE id = ?", [model_id])
            if found.fetchone() is None:
                raise CitraError("No trained model with id {id}.", id=model_id)
        db.execute("UPDATE sentiment_models SET is_active = 0 WHERE is_active = 1")
        if model_id is not None:
            db.execute("UPDATE sentiment_models SET is_active = 1 WHERE id = ?", [model_id])


@requires(EDITOR)
def invalidate_scores(db: Database) -> int:
    """Mark every mention as due for re-scoring (``rescore --all``); returns how many."""
    with db.atomic():
        return db.execute(
            "UPDATE mentions SET lexicon_version = NULL WHERE lexicon_version IS NOT NULL"
        ).rowcount


@requires(EDITOR)
def write_scores(
    db: Database,
    version: str,
    auto: Sequence[tuple[Any, ...]],
    manual: Sequence[tuple[Any, ...]],
) -> None:
    """Write one batch of re-scored mentions in one transaction.

    ``auto`` rows are ``(compound, label, risk, seq)`` or ``(compound, label, risk, category,
    categories, seq)``; ``manual`` rows ``(risk, seq)`` or ``(risk, category, categories, seq)``
    keep their label (and compound) and only get the risk flag, its categories and the version.
    ``category`` is the primary risk category, ``categories`` all of them space-separated. A
    mention whose risk flag the team corrected (``risk_corrections``) keeps the correction.
    """

    def risk_part(row: tuple[Any, ...], at: int) -> tuple[int, Any, Any]:
        if len(row) - at > 2:
            return int(row[at]), row[at + 1], row[at + 2]
        return int(row[at]), None, None

    with db.atomic():
        if auto:
            db.conn.executemany(
                "UPDATE mentions SET sentiment_compound = ?, sentiment_label = ?, risk = ?, "
                "risk_category = ?, risk_categories = ?, lexicon_version = ? "
                "WHERE seq = ? AND sentiment_source = 'auto'",
                [(r[0], r[1], *risk_part(r, 2), version, r[-1]) for r in auto],
            )
        if manual:
            db.conn.executemany(
                "UPDATE mentions SET risk = ?, risk_category = ?, risk_categories = ?, "
                "lexicon_version = ? WHERE seq = ?",
                [(*risk_part(r, 0), version, r[-1]) for r in manual],
            )
        seqs = [r[-1] for r in (*auto, *manual)]
        if seqs and db.execute("SELECT 1 FROM risk_corrections LIMIT 1").fetchone():
            # The comms team's word on the risk flag wins over the analyzer's (store.risk).
            db.execute(
                "UPDATE mentions SET risk = c.risk, risk_category = c.category, "
                "risk_categories = c.category FROM risk_corrections c "
                "WHERE c.mention_seq = mentions.seq AND mentions.seq BETWEEN ? AND ?",
                [min(seqs), max(seqs)],
            )
