"""Opening, migrating and backing up Citra's one SQLite file.

The ``citra.store`` package is the only place that writes to the database: this module opens it,
and the sibling modules (``mentions``, ``organisations``, ``imports``, ``settings``) hold the
writes for each area. Every function takes the ``Database`` as its first argument; only entry
points (CLI, dashboard, tests) call :func:`open_db` or :func:`open_readonly`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from citra.errors import DatabaseFileError
from citra.migrations import migrations

DEFAULT_DB_PATH = Path("data") / "citra.db"
ENV_DB_PATH = "CITRA_DB"
SQLITE_HEADER = b"SQLite format 3\x00"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database path: ``explicit`` (the ``--db`` option), else ``$CITRA_DB``, else
    ``data/citra.db`` relative to the working directory."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(ENV_DB_PATH)
    return Path(from_env) if from_env else DEFAULT_DB_PATH


def _check_is_sqlite(path: Path) -> None:
    """Refuse anything at ``path`` that is not an SQLite database, before SQLite touches it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    if path.is_dir():
        raise DatabaseFileError("{path} is a folder, not a Citra database file.", path=path)
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatabaseFileError(
            "{path} is not an SQLite database (it may be corrupt or another kind of file). "
            "Citra left it untouched; move it away or point --db / CITRA_DB elsewhere.",
            path=path,
        )


def _check_not_newer(db: Database, path: Path | str) -> None:
    """Refuse a database that recorded migrations this version of Citra does not know."""
    known = {m.name for m in migrations._migrations}
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise DatabaseFileError(
            "{path} was written by a newer version of Citra (unknown schema steps: {steps}). "
            "Upgrade Citra to open it; the file was not changed.",
            path=path,
            steps=", ".join(unknown),
        )


def _configure(db: Database) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("PRAGMA synchronous = NORMAL")


def migrate(db: Database, path: Path | str = ":memory:") -> list[str]:
    """Apply pending migrations in one transaction; return the names applied.

    A failing step rolls back every step of this run, leaving the database as it was.
    """
    _check_not_newer(db, path)
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        with db.atomic():
            migrations.apply(db)
    return pending


def open_db(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Database:
    """Open (creating and migrating if needed) the database for reading and writing.

    ``path`` of ``None`` uses :func:`resolve_db_path`; ``":memory:"`` gives a fresh in-memory
    database (tests). Raises :class:`DatabaseFileError` with a plain message for a file that is
    not SQLite, is corrupt, or comes from a newer Citra; such a file is never modified.
    """
    if path is not None and str(path) == ":memory:":
        db = Database(memory=True)
        _configure(db)
        migrate(db)
        return db
    db_path = resolve_db_path(path)
    _check_is_sqlite(db_path)
    if not db_path.exists():
        if not create:
            raise DatabaseFileError(
                "{path} does not exist. Run `python -m citra init` first.", path=db_path
            )
        db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = Database(db_path)
        _configure(db)
        db.execute("PRAGMA journal_mode = WAL")
        migrate(db, db_path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseFileError(
            "{path} could not be opened as a database: {detail}.", path=db_path, detail=exc
        ) from exc
    return db


def open_readonly(path: str | os.PathLike[str] | None = None) -> Database:
    """Open an existing database read-only (``mode=ro``): any write raises.

    The dashboard reads through such a handle. The file must exist and be migrated already
    (entry points call :func:`open_db` once at start-up).
    """
    db_path = resolve_db_path(path).resolve()
    _check_is_sqlite(db_path)
    if not db_path.exists():
        raise DatabaseFileError(
            "{path} does not exist. Run `python -m citra init` first.", path=db_path
        )
    conn = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
    db = Database(conn)
    db.execute("PRAGMA busy_timeout = 10000")
    _check_not_newer(db, db_path)
    return db


def backup(db: Database, out: str | os.PathLike[str]) -> Path:
    """Copy the live database to ``out`` with SQLite's online backup API.

    Safe while other connections read and write: the copy is a consistent snapshot.
    """
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if out_path.exists():
        out_path.unlink()
    target = sqlite3.connect(out_path)
    try:
        db.conn.backup(target)
    finally:
        target.close()
    return out_path


def table_counts(db: Database) -> dict[str, int]:
    """Row counts of Citra's own tables (full-text shadow tables and internals left out)."""
    names = [
        name
        for name in db.table_names()
        if not name.startswith(("_", "sqlite_")) and not name.startswith("mentions_fts")
    ]
    return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def database_bytes(db: Database) -> int:
    """The database's size in bytes: its pages, the ones still in the write-ahead log included
    (what the file holds once checkpointed). 0 for an empty in-memory database."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    return int(pages) * int(size)
