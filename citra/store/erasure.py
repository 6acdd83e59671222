"""What a deletion leaves behind, removed: the full-text index's old tokens and the WAL's copies.

SQLite's FTS5 index of mentions (``mentions_fts``, external content) does not forget a deleted
row's words at once: the delete is recorded as a marker and the words stay in the shadow table
``mentions_fts_data`` until the index segments are merged. :func:`purge_full_text` merges them
all ('optimize'), so an erased member's or an undone import's words are gone from every shadow
table. ``PRAGMA secure_delete`` (on for every writing connection, :mod:`citra.store`) zeroes the
freed pages; :func:`checkpoint` copies the write-ahead log into the file and empties it, so no
old page survives there either.
"""

from __future__ import annotations

import contextlib
import sqlite3

from sqlite_utils import Database

from citra.access import EDITOR, requires


@requires(EDITOR)
def purge_full_text(db: Database) -> None:
    """Merge the full-text index so deleted rows' tokens leave its shadow tables. Costs one
    rewrite of the index (seconds for a hundred thousand mentions); run after erasures and
    undos, which are rare."""
    with db.atomic():
        db.execute("INSERT INTO mentions_fts (mentions_fts) VALUES ('optimize')")


def checkpoint(db: Database) -> None:
    """Copy the write-ahead log into the database file and truncate it (best effort: while
    another connection reads, SQLite copies what it can and the rest follows later)."""
    with contextlib.suppress(sqlite3.OperationalError):
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
