"""Files Citra creates are private (mode 0600) and deleted rows are overwritten (secure delete)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from citra import store
from citra.cli import cli
from citra.privacy import salt


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture(autouse=True)
def open_umask() -> object:
    old = os.umask(0o022)  # the usual default: files would be 0644 without Citra's care
    yield
    os.umask(old)


def test_the_database_its_wal_shm_and_salt_are_0600(tmp_path: Path) -> None:
    path = tmp_path / "citra.db"
    db = store.open_db(path)
    db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    salt(db)
    for name in ("citra.db", "citra.db-wal", "citra.db-shm", "citra.db.salt"):
        assert mode(tmp_path / name) == 0o600, name
    db.close()


def test_an_older_world_readable_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    store.open_db(path).close()
    assert mode(path) == 0o600


def test_every_writing_connection_has_secure_delete_on(tmp_path: Path) -> None:
    for db in (store.open_db(":memory:"), store.open_db(tmp_path / "c.db")):
        assert db.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_backups_reports_and_exports_are_0600(tmp_path: Path) -> None:
    db_path = tmp_path / "citra.db"
    runner = CliRunner()

    def run(*args: str) -> None:
        result = runner.invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    run("init")
    run("profile", "set", "--name", "Koperasi Uji")
    run("backup", str(tmp_path / "copy.db"))
    run("sentiment", "export-labels", str(tmp_path / "labels.csv"))
    outputs = [tmp_path / "copy.db", tmp_path / "labels.csv"]
    for fmt in ("csv", "xlsx", "html"):
        folder = tmp_path / fmt
        folder.mkdir()
        run("report", "--month", "2026-11", "--format", fmt, "--out", str(folder))
        outputs += list(folder.iterdir())
    assert len(outputs) >= 6
    for path in outputs:
        assert mode(path) == 0o600, path
