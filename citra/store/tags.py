"""Writing tags on mentions (the comms team's own labels)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from citra.access import EDITOR, requires
from citra.errors import CitraError


def _tag_name(name: str) -> str:
    cleaned = " ".join(name.split()).lower()
    if not cleaned:
        raise CitraError("A tag needs a name.")
    if len(cleaned) > 40:
        raise CitraError(
            "The tag '{name}…' is too long (at most {max} characters).",
            name=cleaned[:40],
            max=40,
        )
    return cleaned


@requires(EDITOR)
def ensure_tag(db: Database, name: str, *, is_demo: bool = False) -> int:
    """The id of the tag ``name`` (trimmed, lower-case), creating it if needed."""
    name = _tag_name(name)
    with db.atomic():
        db.execute(
            "INSERT INTO tags (name, is_demo) VALUES (?, ?) ON CONFLICT(name) DO NOTHING",
            [name, int(is_demo)],
        )
        return int(db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()[0])


def _tags(db: Database, arguments: Mapping[str, Any]) -> list[str]:
    return [
        row[0]
        for row in db.execute(
            "SELECT t.name FROM mention_tags m JOIN tags t ON t.id = m.tag_id "
            "WHERE m.mention_seq = ? ORDER BY t.name",
            [arguments["mention_seq"]],
        )
    ]


@requires(EDITOR, action="tags set", target="mention_seq", before=_tags, detail=lambda a, r: {})
def set_mention_tags(db: Database, mention_seq: int, names: list[str]) -> list[str]:
    """Make ``names`` exactly the tags of the mention ``mention_seq``; returns the cleaned names.

    Unknown tags are created; an empty list removes every tag of the mention. Raises
    :class:`CitraError` for a mention that does not exist.
    """
    if db.execute("SELECT 1 FROM mentions WHERE seq = ?", [mention_seq]).fetchone() is None:
        raise CitraError("No mention with number {number}.", number=mention_seq)
    cleaned = sorted({_tag_name(name) for name in names})
    with db.atomic():
        db.execute("DELETE FROM mention_tags WHERE mention_seq = ?", [mention_seq])
        for name in cleaned:
            tag_id = ensure_tag(db, name)
            db.execute(
                "INSERT INTO mention_tags (mention_seq, tag_id) VALUES (?, ?)",
                [mention_seq, tag_id],
            )
    return cleaned


@requires(EDITOR)
def delete_unused_tags(db: Database) -> int:
    """Delete tags no mention carries; returns how many."""
    with db.atomic():
        return db.execute(
            "DELETE FROM tags WHERE id NOT IN (SELECT DISTINCT tag_id FROM mention_tags)"
        ).rowcount
