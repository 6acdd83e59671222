"""Reading tags (the comms team's own labels on mentions)."""

from __future__ import annotations

from sqlite_utils import Database


def list_tags(db: Database) -> list[tuple[int, str]]:
    """Every tag as ``(id, name)``, by name. Empty: ``[]``."""
    return [(int(r[0]), r[1]) for r in db.execute("SELECT id, name FROM tags ORDER BY name")]
