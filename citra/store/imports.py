"""Import and collection runs: one transaction and one ``imports`` row per run."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from citra.access import EDITOR, requires
from citra.errors import CitraError, error_entry
from citra.store import member_history
from citra.store.bulk import BulkMentions
from citra.store.mentions import insert_mentions, insert_rows

MAX_RECORDED_ERRORS = 1000


def utc_now() -> str:
    """Current time as ISO 8601 UTC with a trailing ``Z`` (the storage format)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class ImportRun:
    """What one import or collection run has done so far; see :func:`import_run`."""

    db: Database
    id: int
    added: int = 0
    duplicates: int = 0
    rejected: int = 0
    skipped: int = 0
    errors: list[CitraError] = field(default_factory=list)

    def add(self, records: Iterable[Mapping[str, Any]], *, bulk: bool = False) -> tuple[int, int]:
        """Insert mention records under this run; returns ``(added, duplicates)`` of this call.

        ``bulk=True`` (a caller outside any savepoint of its own): past
        ``citra.store.bulk.BULK_AFTER`` added mentions, the per-row triggers and indexes of
        ``mentions`` pause and are brought up to date set-wise before this returns, in the
        run's transaction (see ``citra.store.bulk``)."""
        return self._insert(
            lambda on_batch: insert_mentions(
                self.db, records, import_id=self.id, on_batch=on_batch
            ),
            bulk,
        )

    def add_rows(
        self, batches: Iterable[Sequence[tuple[Any, ...]]], *, bulk: bool = False
    ) -> tuple[int, int]:
        """:meth:`add` of rows built by ``citra.store.mentions.mention_row`` with this run's
        id, a batch at a time (``citra.store.mentions.insert_rows``)."""
        return self._insert(lambda on_batch: insert_rows(self.db, batches, on_batch=on_batch), bulk)

    def _insert(
        self, insert: Callable[[Callable[[int], None] | None], tuple[int, int]], bulk: bool
    ) -> tuple[int, int]:
        if not bulk:
            added, duplicates = insert(None)
        else:
            pause = BulkMentions(self.db)
            try:
                added, duplicates = insert(pause.added)
                pause.finish()
            finally:
                pause.release()
        self.added += added
        self.duplicates += duplicates
        return added, duplicates

    def reject(self, error: CitraError) -> None:
        """Record an input record that was not imported: ``error`` says where it is and why."""
        self.rejected += 1
        self.note(error)

    def skip(self) -> None:
        """Count an input record that had nothing to import (a share without text), which is
        no error."""
        self.skipped += 1

    def note(self, error: CitraError) -> None:
        """Record a warning that rejected nothing (e.g. a feed that parsed with errors)."""
        if len(self.errors) < MAX_RECORDED_ERRORS:
            self.errors.append(error)

    def entries(self) -> list[dict[str, Any]]:
        """The recorded errors as the history stores them (see :func:`citra.errors.error_entry`)."""
        return [error_entry(error) for error in self.errors]

    def summary(self) -> dict[str, Any]:
        return {
            "import_id": self.id,
            "added": self.added,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "errors": self.entries(),
        }


@requires(EDITOR)
@contextmanager
def import_run(
    db: Database,
    *,
    kind: str,
    file_name: str | None = None,
    file_sha256: str | None = None,
    format: str | None = None,
    is_demo: bool = False,
) -> Iterator[ImportRun]:
    """Run an import as one transaction with its ``imports`` row.

    On success the row holds the counts and ``status='done'``. If the body raises, every write
    of the run, its ``imports`` row included, is rolled back (nothing half-written) and the
    exception propagates; callers that want the failure in the history call
    :func:`record_failed_import`.
    """
    started = utc_now()
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO imports (kind, file_name, file_sha256, format, started_at, is_demo) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [kind, file_name, file_sha256, format, started, int(is_demo)],
        )
        run = ImportRun(db=db, id=int(cursor.lastrowid))
        yield run
        db.execute(
            "UPDATE imports SET finished_at = ?, status = 'done', added = ?, duplicates = ?, "
            "rejected = ?, errors = ? WHERE id = ?",
            [
                utc_now(),
                run.added,
                run.duplicates,
                run.rejected,
                json.dumps(run.entries(), ensure_ascii=False),
                run.id,
            ],
        )


@requires(EDITOR)
def record_failed_import(
    db: Database,
    *,
    kind: str,
    file_name: str | None,
    error: CitraError,
    format: str | None = None,
) -> int:
    """Record a run that imported nothing (its transaction was rolled back), for the history;
    ``error`` says why (stored as template, values and location, see ``ImportRun.entries``)."""
    entry = error_entry(error)
    entry["where"] = entry["where"] or file_name or kind
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO imports (kind, file_name, format, started_at, finished_at, status, errors)"
            " VALUES (?, ?, ?, ?, ?, 'failed', ?)",
            [
                kind,
                file_name,
                format,
                utc_now(),
                utc_now(),
                json.dumps([entry], ensure_ascii=False),
            ],
        )
    return int(cursor.lastrowid)


def previous_import_of(db: Database, file_sha256: str) -> dict[str, Any] | None:
    """The last successful import of a file with this SHA-256, if any."""
    row = db.execute(
        "SELECT id, file_name, finished_at, added FROM imports "
        "WHERE file_sha256 = ? AND status = 'done' ORDER BY id DESC LIMIT 1",
        [file_sha256],
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("id", "file_name", "finished_at", "added"), row, strict=True))


# What undo_import counts, removed or restored.
UNDO_COUNTS = (
    "mentions",
    "chat_messages",
    "members_removed",
    "members_restored",
    "attendance_removed",
    "attendance_restored",
)


@requires(EDITOR, action="import undone", target="import_id")
def undo_import(db: Database, import_id: int) -> dict[str, int]:
    """Take back exactly what an import did, by its kind. An export file or a collection: its
    mentions (and the feed entry ids a ``collect`` remembered for them, so those entries are
    stored again when a feed still offers them); a WhatsApp import: its chat messages; a member
    list: the registry as it was before it, and an attendance list: the attendance as it was
    (``citra.store.member_history``, refused with a :class:`CitraError` when something changed
    the same members or rows since). Returns the counts removed and restored, ``{"mentions",
    "chat_messages", "members_removed", "members_restored", "attendance_removed",
    "attendance_restored"}``. The run is kept, marked ``undone``, so the history still shows it.
    """
    counts = dict.fromkeys(UNDO_COUNTS, 0)
    with db.atomic():
        row = db.execute("SELECT kind FROM imports WHERE id = ?", [import_id]).fetchone()
        kind = row[0] if row else None
        if kind == "members":
            counts.update(member_history.undo_member_import(db, import_id))
        elif kind == "attendance":
            counts.update(member_history.undo_attendance_import(db, import_id))
        db.execute(
            "DELETE FROM news_guids WHERE mention_id IN "
            "(SELECT id FROM mentions WHERE import_id = ?)",
            [import_id],
        )
        counts["mentions"] = db.execute(
            "DELETE FROM mentions WHERE import_id = ?", [import_id]
        ).rowcount
        counts["chat_messages"] = db.execute(
            "DELETE FROM chat_messages WHERE import_id = ?", [import_id]
        ).rowcount
        db.execute("UPDATE imports SET status = 'undone' WHERE id = ?", [import_id])
    return counts
