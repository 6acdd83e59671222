"""The store: migrations, idempotent writes, read-only handles, concurrency, backup, bad files."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database, Migrations

from citra import store
from citra.errors import CitraError, DatabaseFileError, Location
from citra.store.imports import import_run, previous_import_of, undo_import
from citra.store.mentions import insert_mentions, mention_id


def make_mentions(count: int, start: int = 0, platform: str = "news") -> list[dict]:
    return [
        {
            "id": mention_id(platform, url=f"https://contoh.id/berita/{n}"),
            "platform": platform,
            "url": f"https://contoh.id/berita/{n}",
            "title": f"Berita koperasi nomor {n}",
            "text": "Koperasi Sejahtera membagikan SHU tepat waktu",
            "published_at": "2026-11-01T03:00:00Z",
        }
        for n in range(start, start + count)
    ]


def test_open_creates_wal_database_with_core_tables(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "sub" / "citra.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"organisations", "mentions", "imports", "settings", "mentions_fts"} <= set(
        db.table_names()
    )


def test_migrations_apply_twice_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "citra.db"
    first = store.open_db(path)
    applied = [m.name for m in store.migrations.applied(first)]
    first.close()
    second = store.open_db(path)
    assert [m.name for m in store.migrations.applied(second)] == applied
    assert store.migrate(second, path) == []


def test_failed_migration_leaves_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "citra.db"
    store.open_db(path).close()
    broken = Migrations("citra")
    for migration in store.migrations._migrations:
        broken(name=migration.name)(migration.fn)

    @broken(name="zz_001_good_step")
    def good(db: Database) -> None:
        db.execute("CREATE TABLE half_done (x)")

    @broken(name="zz_002_bad_step")
    def bad(db: Database) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "migrations", broken)
    with pytest.raises(RuntimeError):
        store.open_db(path)
    monkeypatch.undo()
    db = Database(path)
    assert "half_done" not in db.table_names()
    names = [m.name for m in store.migrations.applied(db)]
    assert not any(name.startswith("zz_") for name in names)


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "citra.db"
    db = store.open_db(path)
    db["_sqlite_migrations"].insert(
        {"migration_set": "citra", "name": "core_999_from_the_future", "applied_at": "2030"}
    )
    db.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseFileError, match="newer version of Citra"):
        store.open_db(path)
    with pytest.raises(DatabaseFileError, match="newer version"):
        store.open_readonly(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [b"this is a text file, not a database\n", b"PK\x03\x04zip-bytes" + bytes(200)],
    ids=["text", "zip"],
)
def test_non_sqlite_file_is_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "citra.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseFileError, match=str(path)):
        store.open_db(path)
    assert path.read_bytes() == content


def test_corrupt_sqlite_file_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "citra.db"
    store.open_db(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseFileError, match=str(path)):
        store.open_db(path)


def test_insert_is_idempotent(db: Database) -> None:
    records = make_mentions(50)
    assert insert_mentions(db, records) == (50, 0)
    assert insert_mentions(db, records) == (0, 50)
    assert insert_mentions(db, make_mentions(10, start=45)) == (5, 5)
    assert db["mentions"].count == 55


def test_full_text_index_follows_inserts_updates_and_deletes(db: Database) -> None:
    insert_mentions(db, make_mentions(3))
    search = "SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH ?"
    assert db.execute(search, ["sejahtera"]).fetchone()[0] == 3
    db.execute("UPDATE mentions SET text = 'pencairan lambat' WHERE seq = 1")
    assert db.execute(search, ["sejahtera"]).fetchone()[0] == 2
    assert db.execute(search, ["pencair*"]).fetchone()[0] == 1
    db.execute("DELETE FROM mentions WHERE seq = 2")
    assert db.execute(search, ["sejahtera"]).fetchone()[0] == 1


def test_import_run_is_one_transaction(db: Database) -> None:
    with pytest.raises(ValueError), import_run(db, kind="test", file_name="a.csv") as run:
        run.add(make_mentions(20))
        raise ValueError("row 17: unreadable date")
    assert db["mentions"].count == 0
    assert db["imports"].count == 0

    with import_run(db, kind="test", file_name="a.csv", file_sha256="abc") as run:
        run.add(make_mentions(20))
        run.reject(CitraError("date not readable", location=Location(unit="line", number=17)))
    row = next(db.query("SELECT * FROM imports"))
    assert (row["status"], row["added"], row["duplicates"], row["rejected"]) == ("done", 20, 0, 1)
    assert previous_import_of(db, "abc")["added"] == 20
    assert undo_import(db, row["id"]) == {
        "mentions": 20,
        "chat_messages": 0,
        "members_removed": 0,
        "members_restored": 0,
        "attendance_removed": 0,
        "attendance_restored": 0,
    }
    assert db["mentions"].count == 0


def test_readonly_handle_refuses_writes(db_path: Path) -> None:
    reader = store.open_readonly(db_path)
    assert reader.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")


def test_reader_sees_a_consistent_snapshot_while_a_writer_inserts(db_path: Path) -> None:
    writer = store.open_db(db_path)
    insert_mentions(writer, make_mentions(100))
    writer.conn.commit()
    reader = store.open_readonly(db_path)
    reader.execute("BEGIN")
    before = reader.execute("SELECT count(*), max(seq) FROM mentions").fetchone()

    def write() -> None:
        other = store.open_db(db_path)
        with other.atomic():
            insert_mentions(other, make_mentions(500, start=100))
        other.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    assert reader.execute("SELECT count(*), max(seq) FROM mentions").fetchone() == before
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM mentions").fetchone()[0] == 600


def test_backup_taken_during_writes_is_a_valid_database(db_path: Path, tmp_path: Path) -> None:
    stop = threading.Event()

    def keep_writing() -> None:
        writer = store.open_db(db_path)
        start = 0
        while not stop.is_set() and start < 20_000:
            with writer.atomic():
                insert_mentions(writer, make_mentions(200, start=start))
            start += 200
        writer.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        source = store.open_db(db_path)
        out = store.backup(source, tmp_path / "backup" / "copy.db")
    finally:
        stop.set()
        thread.join()
    copy = Database(out)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    count = copy.execute("SELECT count(*) FROM mentions").fetchone()[0]
    assert count % 200 == 0  # whole transactions only
    assert copy.execute("SELECT count(*) FROM mentions_fts").fetchone()[0] == count


def test_table_counts_lists_own_tables_only(db: Database) -> None:
    insert_mentions(db, make_mentions(3))
    counts = store.table_counts(db)
    assert counts["mentions"] == 3
    assert not any(name.startswith(("_", "mentions_fts")) for name in counts)
