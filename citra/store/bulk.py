"""Bulk maintenance for a large import: the per-row triggers and indexes of ``mentions`` paused,
then brought up to date in a few set-wise statements, in the import's own transaction.

Each ``AFTER INSERT`` trigger on ``mentions`` keeps something current row by row: the full-text
index, the daily rollup, the analyzer-version counts, members' public shares. At a million rows
that costs more than everything else an import does. Once an import has added
:data:`BULK_AFTER` mentions (and at least half as many as were stored before it), :class:`BulkMentions`
drops those triggers and the full secondary indexes of ``mentions`` (a partial index, ``WHERE
...``, stays: few of the rows enter it, and keeping it current costs less than the table scan
that rebuilding it takes); every :data:`CATCH_UP_EVERY`
added mentions, and when the import ends, it runs each trigger's statement once over the rows
added since (``seq`` above the last row caught up, in ``seq`` order: the order the triggers
would have run in); at the end it rebuilds the indexes (SQLite's sorter on every core: the workers are done by
then) and re-creates every trigger and index from the SQL it was stored with.

While it inserts in bulk, SQLite's own evaluation of the CHECK constraints of ``mentions`` pauses
too (``PRAGMA ignore_check_constraints``): ``citra.store.mentions.insert_rows`` checks every row
against the same constraints before it inserts, and raises as SQLite would. The pause is taken
only when the table's constraints are exactly those it checks (``CHECKS``).

Safety is the transaction's: all of it (the drops, the inserts, the catch-up, the re-creation) is
one transaction, so a failure rolls back to the triggers and indexes as they were, and other
connections never see a database without them (WAL readers see the last commit). A trigger whose
statement is not of a recognised shape (``INSERT ... VALUES`` or ``INSERT ... SELECT`` with its
``WHEN``) is left in place and keeps firing per row; a rewrite never guesses.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from sqlite_utils import Database

from citra.store.mentions import CHECKS

# An import switches to bulk maintenance after this many added mentions. A row inserted with the
# triggers and indexes costs about six times one inserted while they pause, and the catch-up of a
# table of a few thousand rows takes milliseconds: the switch comes early.
BULK_AFTER = 2_000
# While the triggers pause, their work is caught up after every this many added mentions (and at
# the end): it then overlaps with the workers, reads rows still in the page cache, and leaves the
# end of the import (when one core is left idle) less to do. Each catch-up is short enough
# (about 0.2 s) for the batches queued to the workers (``citra.sentiment.parallel``'s window) to
# keep them busy meanwhile; much shorter ones cost the full-text index more (a segment per
# statement: 10,000 rows a catch-up take it a quarter longer than 100,000).
CATCH_UP_EVERY = 20_000
# Page cache of the connection while it inserts in bulk, in KiB (SQLite's default is 2 MB):
# the unique index on ``mentions.id`` takes random hashes, and at a million mentions it no
# longer fits the default cache. Restored before the paused work is caught up.
BULK_CACHE_KIB = 64 * 1024
# Indexes rebuilt at the end of a bulk import sort with this many helper threads of SQLite's
# (``PRAGMA threads``): the scoring workers have stopped, their cores are free.
SORT_THREADS = (
    len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
)

_TRIGGER_RE = re.compile(
    r"^\s*CREATE\s+TRIGGER\s+(?P<name>\w+)\s+AFTER\s+INSERT\s+ON\s+mentions\s+"
    r"(?:WHEN\s+(?P<when>.+?)\s+)?BEGIN\s+(?P<body>.+?);?\s*END\s*$",
    re.IGNORECASE | re.DOTALL,
)
_VALUES_RE = re.compile(
    r"^(?P<head>INSERT\s+(?:OR\s+\w+\s+)?INTO\s+[\w.]+\s*\([^()]*\))\s*VALUES\s*\((?P<exprs>.+)\)"
    r"(?P<tail>\s+ON\s+CONFLICT\s.+)?$",
    re.IGNORECASE | re.DOTALL,
)
_SELECT_RE = re.compile(
    r"^(?P<head>INSERT\s+(?:OR\s+\w+\s+)?INTO\s+[\w.]+\s*\([^()]*\))\s*SELECT\s+(?P<exprs>.+?)"
    r"(?:\s+FROM\s+(?P<from>.+?))?(?:\s+WHERE\s+(?P<where>.+?))?"
    r"(?P<tail>\s+ON\s+CONFLICT\s.+)?$",
    re.IGNORECASE | re.DOTALL,
)


def check_constraints(table_sql: str) -> set[str]:
    """The expressions of the CHECK constraints in a ``CREATE TABLE`` statement, blanks
    collapsed."""
    found = set()
    for match in re.finditer(r"\bCHECK\s*\(", table_sql, re.IGNORECASE):
        depth, start = 1, match.end()
        for end in range(start, len(table_sql)):
            depth += {"(": 1, ")": -1}.get(table_sql[end], 0)
            if depth == 0:
                found.add(" ".join(table_sql[start:end].split()).replace("( ", "("))
                break
    return found


def bulk_statement(trigger_sql: str) -> str | None:
    """The statement that does, for every mention with ``seq > ?``, what ``trigger_sql`` (an
    ``AFTER INSERT`` trigger on ``mentions`` of one statement) does per row; ``None`` when the
    trigger is of no recognised shape."""
    match = _TRIGGER_RE.match(trigger_sql)
    if match is None or ";" in match["body"]:
        return None
    body = " ".join(match["body"].split())
    conditions = ["new.seq > ?"]
    if match["when"]:
        conditions.append(f"({match['when']})")
    values = _VALUES_RE.match(body)
    if values is not None and " SELECT " not in f" {values['exprs'].upper()} ":
        sources = "mentions AS new"
        exprs = values["exprs"]
    else:
        select = _SELECT_RE.match(body)
        if select is None or "(" in (select["from"] or ""):
            return None
        sources = "mentions AS new" + (f", {select['from']}" if select["from"] else "")
        exprs = select["exprs"]
        if select["where"]:
            conditions.append(f"({select['where']})")
        values = select
    return (
        f"{values['head']} SELECT {exprs} FROM {sources} WHERE {' AND '.join(conditions)} "
        f"ORDER BY new.seq{values['tail'] or ''}"
    )


def index_sql(db: Database, name: str) -> str:
    """The ``CREATE INDEX`` statement index ``name`` was made with."""
    return db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [name]
    ).fetchone()[0]


@dataclass
class BulkMentions:
    """One import's switch to bulk maintenance (see the module docstring)."""

    db: Database
    after: int | None = None  # default: BULK_AFTER
    start_seq: int | None = None
    _stored_before: int | None = None
    _triggers: list[tuple[str, str, str]] = field(default_factory=list)
    _indexes: list[str] = field(default_factory=list)
    _cache_size: int | None = None
    _checks_paused: bool = False
    _caught_up_seq: int = 0
    _caught_up_count: int = 0

    def added(self, count: int) -> None:
        """Told after each batch how many mentions the import has added so far."""
        if self.start_seq is not None:
            if count - self._caught_up_count >= CATCH_UP_EVERY:
                self._catch_up()
                self._caught_up_count = count
            return
        if count < (self.after or BULK_AFTER):
            return
        if self._stored_before is None:
            self._stored_before = self.db.execute("SELECT count(*) FROM mentions").fetchone()[0]
        if count * 2 < self._stored_before:
            return  # a large table: rebuilding its indexes would cost more than it saves
        self._start()

    def _start(self) -> None:
        db = self.db
        self._cache_size = db.execute("PRAGMA cache_size").fetchone()[0]
        db.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        table = db.execute("SELECT sql FROM sqlite_master WHERE name = 'mentions'").fetchone()[0]
        if check_constraints(table) == set(CHECKS):
            db.execute("PRAGMA ignore_check_constraints = ON")
            self._checks_paused = True
        self.start_seq = db.execute("SELECT coalesce(max(seq), 0) FROM mentions").fetchone()[0]
        self._caught_up_seq = self.start_seq
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'mentions'"
        ).fetchall():
            statement = bulk_statement(sql)
            if statement is not None:
                self._triggers.append((name, sql, statement))
                db.execute(f"DROP TRIGGER {name}")
        for name, partial in db.execute(
            "SELECT name, partial FROM pragma_index_list('mentions') WHERE origin = 'c'"
        ).fetchall():
            if partial:
                continue
            self._indexes.append(index_sql(db, name))
            db.execute(f"DROP INDEX {name}")

    def finish(self) -> None:
        """Bring what the paused triggers and indexes keep up to date; re-create them."""
        if self.start_seq is None:
            return
        # The catch-up and the index builds run with the connection's own cache: SQLite's
        # sorter takes as much memory again as the cache allows, and the peak would double.
        self.release()
        db = self.db
        self._catch_up()
        threads = db.execute("PRAGMA threads").fetchone()[0]
        db.execute(f"PRAGMA threads = {int(SORT_THREADS)}")
        try:
            for sql in self._indexes:
                db.execute(sql)
        finally:
            db.execute(f"PRAGMA threads = {int(threads)}")
        for _, sql, _ in self._triggers:
            db.execute(sql)
        self._triggers.clear()
        self._indexes.clear()
        self.start_seq = None
        self.release()

    def _catch_up(self) -> None:
        """What the paused triggers would have done for the rows added since the last
        catch-up (``seq`` above the last one caught up: no row of the import lies above)."""
        top = self.db.execute("SELECT coalesce(max(seq), 0) FROM mentions").fetchone()[0]
        for _, _, statement in self._triggers:
            self.db.execute(statement, [self._caught_up_seq])
        self._caught_up_seq = top

    def release(self) -> None:
        """Give the connection its own page cache size and CHECK constraints back (also when
        the import failed)."""
        if self._checks_paused:
            self.db.execute("PRAGMA ignore_check_constraints = OFF")
            self._checks_paused = False
        if self._cache_size is not None:
            self.db.execute(f"PRAGMA cache_size = {int(self._cache_size)}")
            self._cache_size = None
