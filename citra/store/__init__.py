"""Opening, migrating and backing up Citra's one SQLite file.

The ``citra.store`` package is the only place that writes to the database: this module opens it,
and the sibling modules (``mentions``, ``organisations``, ``imports``, ``settings``) hold the
writes for each area. Every function takes the ``Database`` as its first argument; only entry
points (CLI, dashboard, tests) call :func:`open_db` or :func:`open_readonly`.

One lock policy for every writer: each write transaction (``db.atomic()`` on a handle from
:func:`open_db`) starts with ``BEGIN IMMEDIATE``, so it takes the write lock at once or waits
for it. While another process writes, it waits up to ``$CITRA_BUSY_TIMEOUT`` seconds (default
:data:`DEFAULT_BUSY_TIMEOUT`), telling whoever listens (:func:`reporting_waits`) every few
seconds, then gives up with :class:`citra.errors.DatabaseBusy` and writes nothing. Readers are
never blocked (WAL mode).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlite_utils import Database

from citra.access import ADMIN, requires
from citra.errors import CitraError, DatabaseBusy, DatabaseFileError
from citra.exports import private_file, restrict
from citra.migrations import migrations

DEFAULT_DB_PATH = Path("data") / "citra.db"
ENV_DB_PATH = "CITRA_DB"
ENV_BUSY_TIMEOUT = "CITRA_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 30.0  # seconds a writer waits for another one
WAIT_SLICE = 0.5  # seconds SQLite itself waits between two reports of the wait
REPORT_EVERY = 5.0  # seconds between two "still waiting" reports
SQLITE_HEADER = b"SQLite format 3\x00"
WAITING = (
    "Waiting for the database: another Citra process is writing to it ({waited} s of at most "
    "{limit} s)..."
)
BUSY = (
    "The database is busy: another Citra process has been writing to it for more than {limit} "
    "s, so nothing was written. Try again when it has finished, or let Citra wait longer with "
    "CITRA_BUSY_TIMEOUT (seconds)."
)

WaitReporter = Callable[[str, dict[str, object]], None]
_wait_reporter: ContextVar[WaitReporter | None] = ContextVar("citra_wait_reporter", default=None)


def busy_timeout() -> float:
    """Seconds a writer waits for the database (``$CITRA_BUSY_TIMEOUT``, default
    :data:`DEFAULT_BUSY_TIMEOUT`). Raises :class:`CitraError` for a value that is no number."""
    raw = os.environ.get(ENV_BUSY_TIMEOUT, "").strip()
    if not raw:
        return DEFAULT_BUSY_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise CitraError(
            "CITRA_BUSY_TIMEOUT must be a number of seconds (0 or more), not '{value}'.", value=raw
        )
    return value


@contextmanager
def reporting_waits(report: WaitReporter) -> Iterator[None]:
    """While the block runs, a writer waiting for the database calls ``report(template,
    values)`` every few seconds (:data:`WAITING`, with ``waited`` and ``limit`` in seconds)."""
    token = _wait_reporter.set(report)
    try:
        yield
    finally:
        _wait_reporter.reset(token)


def is_busy_error(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite saying another connection holds the lock."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def begin_immediate(db: Database) -> None:
    """Start a write transaction on ``db``, waiting for the write lock by the policy above.

    Raises :class:`DatabaseBusy` when the lock is still held after :func:`busy_timeout`
    seconds; nothing has been written then.
    """
    limit = busy_timeout()
    started = time.monotonic()
    reported = -REPORT_EVERY  # the first failed try is reported at once
    conn = db.conn
    try:
        while True:
            remaining = limit - (time.monotonic() - started)
            conn.execute(f"PRAGMA busy_timeout = {int(max(min(WAIT_SLICE, remaining), 0) * 1000)}")
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy_error(exc):
                    raise
            waited = time.monotonic() - started
            if waited >= limit:
                raise DatabaseBusy(BUSY, limit=f"{limit:g}")
            report = _wait_reporter.get()
            if report is not None and waited - reported >= REPORT_EVERY:
                reported = waited
                report(WAITING, {"waited": f"{waited:.0f}", "limit": f"{limit:g}"})
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(limit * 1000)}")


class CitraDatabase(Database):
    """A ``sqlite_utils.Database`` whose write transactions follow the one lock policy:
    ``atomic()`` starts with ``BEGIN IMMEDIATE`` through :func:`begin_immediate` (a nested
    ``atomic()`` is a savepoint, as in sqlite-utils)."""

    @contextmanager
    def atomic(self) -> Iterator[Database]:  # type: ignore[override]
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        begin_immediate(self)
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


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
    # Deleted rows are overwritten with zeros, not left in free pages (erasure, undo).
    db.execute("PRAGMA secure_delete = ON")
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")
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
        db = CitraDatabase(memory=True)
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
        private_file(db_path)  # SQLite gives its -wal and -shm files the database's mode
    try:
        db = CitraDatabase(db_path)
        _configure(db)
        db.execute("PRAGMA journal_mode = WAL")
        migrate(db, db_path)
        for end in ("", "-wal", "-shm"):  # a database made by an older Citra: 0644 until now
            restrict(db_path.with_name(db_path.name + end))
    except sqlite3.DatabaseError as exc:
        if is_busy_error(exc):
            raise DatabaseBusy(BUSY, limit=f"{busy_timeout():g}") from exc
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
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")
    _check_not_newer(db, db_path)
    return db


def database_file(db: Database) -> Path | None:
    """The file behind ``db`` (``None`` for an in-memory database)."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file).resolve() if file else None
    return None


@requires(ADMIN, action="backup", target="out")
def backup(db: Database, out: str | os.PathLike[str]) -> Path:
    """Copy the live database to ``out`` with SQLite's online backup API.

    Safe while other connections read and write: the copy is a consistent snapshot, mode 0600.
    The salt is not copied (see the ``backup`` command's ``--with-salt``). Raises
    :class:`CitraError` when ``out`` is the database itself (or its ``-wal``, ``-shm`` or
    ``.salt`` file): a backup never replaces what it copies.
    """
    out_path = Path(out)
    live = database_file(db)
    if live is not None:
        own = {live, *(live.with_name(live.name + end) for end in ("-wal", "-shm", ".salt"))}
        if out_path.resolve() in own:
            raise CitraError(
                "The backup would overwrite the database itself ({path}); choose another file.",
                path=str(live),
            )
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if out_path.exists():
        out_path.unlink()
    private_file(out_path)  # the copy holds what the database holds: 0600 from the start
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
