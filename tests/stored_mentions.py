"""What the import tests compare: every stored mention's columns, in insertion order."""

from __future__ import annotations

from sqlite_utils import Database


def stored_mentions(db: Database) -> list[tuple]:
    """Every column of every mention in ``seq`` order, except ``collected_at`` (the clock)."""
    columns = [
        row[1] for row in db.execute("PRAGMA table_info(mentions)") if row[1] != "collected_at"
    ]
    return db.execute(f"SELECT {', '.join(columns)} FROM mentions ORDER BY seq").fetchall()
