"""A large import pauses the per-row triggers and indexes of ``mentions`` and catches up set-wise
(``citra.store.bulk``): the database it leaves must be the one the triggers would have left."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from citra import store
from citra.store import bulk
from citra.store.bulk import bulk_statement
from citra.store.member_registry import upsert_member
from citra.store.mentions import CHECKS, insert_rows, mention_row
from citra.store.organisations import add_peer, set_profile
from collectors.importer import import_path


def _write_csv(path: Path, rows: int, offset: int = 0) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Title", "Content", "Url", "Author", "Handle", "Reach", "Likes"])
        for n in range(offset, offset + rows):
            words = ("bagus sekali", "tidak bisa dicairkan", "gagal bayar", "ramah", "lambat")
            writer.writerow(
                [
                    f"2026-{1 + n % 12:02d}-{1 + n % 28:02d} {n % 24:02d}:{n % 60:02d}",
                    f"Koperasi Sejahtera {n}",
                    f"KSP Sejahtera {words[n % 5]} kata{n % 97} Tunas Makmur {n % 7}",
                    f"https://www.instagram.com/p/post{n}/",
                    f"Anggota {n % 4}",
                    f"@anggota{n % 4}",
                    n * 13 % 1000,
                    n % 50,
                ]
            )


def _database(path: Path) -> Database:
    db = store.open_db(path)
    set_profile(db, name="KSP Sejahtera", keywords=["Koperasi Sejahtera"])
    add_peer(db, "KSP Tunas Makmur", keywords=["Tunas Makmur"])
    upsert_member(db, member_no="A1", name="Sari", handles={"instagram": "@anggota1"})
    return db


def _state(db: Database) -> dict[str, object]:
    tables = ("mention_daily", "mention_versions", "member_public_shares", "member_share_buckets")
    state: dict[str, object] = {
        table: sorted(db.execute(f"SELECT * FROM {table}").fetchall()) for table in tables
    }
    state["mentions"] = db.execute("SELECT count(*), sum(seq) FROM mentions").fetchone()
    state["schema"] = sorted(
        db.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'mentions'")
    )
    state["search"] = [
        db.execute(
            "SELECT count(*), sum(rowid) FROM mentions_fts WHERE mentions_fts MATCH ?", [word]
        ).fetchone()
        for word in ("ramah", "kata5", "sejahtera", "anggota2")
    ]
    db.execute("INSERT INTO mentions_fts(mentions_fts) VALUES ('integrity-check')")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return state


@pytest.mark.parametrize("stored_first", [0, 300])
def test_bulk_import_leaves_what_the_triggers_leave(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stored_first: int
) -> None:
    monkeypatch.setenv("CITRA_SCORE_WORKERS", "0")
    big = tmp_path / "big.csv"
    _write_csv(big, 1200, offset=stored_first)
    states = []
    started = []
    catch_ups: list[int] = []
    for threshold in (10**9, 100):
        db = _database(tmp_path / f"t{threshold}.db")
        if stored_first:
            small = tmp_path / "small.csv"
            _write_csv(small, stored_first)
            import_path(db, small)
        monkeypatch.setattr(bulk, "BULK_AFTER", threshold)
        monkeypatch.setattr(
            bulk, "CATCH_UP_EVERY", 300
        )  # caught up once mid-import, then at the end
        original = bulk.BulkMentions._start

        def start(self, threshold=threshold, original=original) -> None:
            started.append(threshold)
            original(self)
            catch_up = self._catch_up

            def counted() -> None:
                catch_ups.append(self._caught_up_seq)
                catch_up()

            self._catch_up = counted

        monkeypatch.setattr(bulk.BulkMentions, "_start", start)
        summary = import_path(db, big)
        assert summary["added"] == 1200
        states.append(_state(db))
        monkeypatch.undo()
        monkeypatch.setenv("CITRA_SCORE_WORKERS", "0")
        db.close()
    assert started == [100]
    assert len(catch_ups) == 2  # mid-import and at the end, each over the rows since the last
    assert states[0] == states[1]
    assert states[0]["member_public_shares"]


def test_bulk_pause_is_skipped_for_a_small_import_into_a_large_table(tmp_path: Path) -> None:
    db = _database(tmp_path / "large.db")
    first = tmp_path / "first.csv"
    _write_csv(first, 400)
    import_path(db, first)
    pause = bulk.BulkMentions(db, after=10)
    pause.added(100)  # 100 new rows against 400 stored: not worth rebuilding the indexes
    assert pause.start_seq is None
    pause.added(250)
    assert pause.start_seq is not None
    pause.finish()
    assert _state(db)


def test_a_failed_bulk_import_keeps_every_trigger_and_index(tmp_path: Path) -> None:
    db = _database(tmp_path / "fail.db")
    schema = sorted(db.execute("SELECT name, sql FROM sqlite_master"))
    with pytest.raises(RuntimeError), db.atomic():
        pause = bulk.BulkMentions(db, after=1)
        pause.added(1)
        assert db.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'mentions_fts_ai'"
        ).fetchone() == (0,)
        raise RuntimeError("the import failed")
    assert sorted(db.execute("SELECT name, sql FROM sqlite_master")) == schema


def test_a_bulk_import_gives_the_connection_its_cache_size_back(tmp_path: Path) -> None:
    db = _database(tmp_path / "cache.db")
    before = db.execute("PRAGMA cache_size").fetchone()[0]
    with pytest.raises(RuntimeError), db.atomic():
        pause = bulk.BulkMentions(db, after=1)
        pause.added(1)
        assert db.execute("PRAGMA cache_size").fetchone()[0] == -bulk.BULK_CACHE_KIB
        try:
            raise RuntimeError("the import failed")
        finally:
            pause.release()
    assert db.execute("PRAGMA cache_size").fetchone()[0] == before
    with db.atomic():
        pause = bulk.BulkMentions(db, after=1)
        pause.added(1)
        pause.finish()
    assert db.execute("PRAGMA cache_size").fetchone()[0] == before


def test_only_recognised_triggers_are_rewritten() -> None:
    assert bulk_statement(
        "CREATE TRIGGER t AFTER INSERT ON mentions BEGIN INSERT INTO x (a) VALUES (new.a); END"
    ) == ("INSERT INTO x (a) SELECT new.a FROM mentions AS new WHERE new.seq > ? ORDER BY new.seq")
    # Two statements, an update, a FROM with a sub-query: left to fire per row.
    for body in (
        "INSERT INTO x (a) VALUES (new.a); DELETE FROM y;",
        "UPDATE x SET a = new.a;",
        "INSERT INTO x (a) SELECT new.a FROM (SELECT 1) s;",
    ):
        assert bulk_statement(f"CREATE TRIGGER t AFTER INSERT ON mentions BEGIN {body} END") is None
    assert bulk_statement("CREATE TRIGGER t AFTER DELETE ON mentions BEGIN SELECT 1; END") is None


def test_an_imported_row_keeps_only_the_raw_fields_no_column_holds(tmp_path: Path) -> None:
    # The reader's size cap must leave a small raw record a mapping, so the store can drop the
    # fields it keeps in columns (it was turned into JSON text first, and kept whole).
    db = _database(tmp_path / "raw.db")
    path = tmp_path / "rows.csv"
    _write_csv(path, 3)
    import_path(db, path)
    raws = [json.loads(raw) for (raw,) in db.execute("SELECT raw FROM mentions ORDER BY seq")]
    # (the link is stored canonical, without its trailing slash: the input's spelling stays)
    assert raws[1] == {
        "Date": "2026-02-02 01:01",
        "Url": "https://www.instagram.com/p/post1/",
        "Reach": "13",
        "Likes": "1",
    }


def test_a_bulk_import_checks_the_check_constraints_itself(tmp_path: Path) -> None:
    """SQLite's CHECK constraints pause while rows go in in bulk; the rows are checked against
    the same constraints before they are inserted, and the pause ends with the bulk insert."""
    db = _database(tmp_path / "checks.db")
    table = db.execute("SELECT sql FROM sqlite_master WHERE name = 'mentions'").fetchone()[0]
    assert bulk.check_constraints(table) == set(CHECKS)
    record = {"platform": "web", "url": "https://a.id/1", "text": "x", "published_at": "2026"}
    good = mention_row({**record, "id": "good"})
    bad = mention_row({**record, "id": "bad", "sentiment_label": "marah"})
    with pytest.raises(RuntimeError), db.atomic():
        pause = bulk.BulkMentions(db, after=1)
        pause.added(1)
        assert db.execute("PRAGMA ignore_check_constraints").fetchone() == (1,)
        assert insert_rows(db, [[good]]) == (1, 0)
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed: sentiment"):
            insert_rows(db, [[bad]])
        try:
            raise RuntimeError("the import failed")
        finally:
            pause.release()
    assert db.execute("PRAGMA ignore_check_constraints").fetchone() == (0,)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        db.execute("INSERT INTO mentions (id, platform) VALUES ('p', 'mars')")
    # A table with a constraint the insert does not know keeps SQLite's checks on.
    assert bulk.check_constraints(table.replace("CHECK (", "CHECK (1 AND ", 1)) != set(CHECKS)


def test_a_bulk_pause_keeps_the_partial_indexes_and_rebuilds_the_full_ones(tmp_path: Path) -> None:
    db = _database(tmp_path / "indexes.db")
    indexes = dict(
        db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mentions' "
            "AND sql IS NOT NULL"
        )
    )
    partial = {name for name, sql in indexes.items() if " WHERE " in sql.upper()}
    assert "mentions_risk_published" in partial and "mentions_published" not in partial
    threads = db.execute("PRAGMA threads").fetchone()[0]
    with db.atomic():
        pause = bulk.BulkMentions(db, after=1)
        pause.added(1)
        during = {row[0] for row in db.execute("SELECT name FROM pragma_index_list('mentions')")}
        assert partial <= during  # a partial index stays current row by row
        assert "mentions_published" not in during  # a full one is rebuilt at the end
        rows = [
            mention_row({"id": f"m{n}", "platform": "x", "text": "gagal bayar", "risk": n % 2})
            for n in range(10)
        ]
        insert_rows(db, [rows])
        pause.finish()
    after = dict(
        db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mentions' "
            "AND sql IS NOT NULL"
        )
    )
    assert after == indexes
    assert db.execute("PRAGMA threads").fetchone()[0] == threads
    risky = "SELECT count(*) FROM mentions INDEXED BY mentions_risk_published WHERE risk != 0"
    assert db.execute(risky).fetchone() == (5,)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
