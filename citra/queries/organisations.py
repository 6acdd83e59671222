"""Reading the coop profile and peers."""

from __future__ import annotations

from sqlite_utils import Database

from citra.profile import Organisation


def list_organisations(db: Database, kind: str | None = None) -> list[Organisation]:
    """Organisations, the coop itself first, then peers by name."""
    sql = "SELECT * FROM organisations"
    params: list[str] = []
    if kind:
        sql += " WHERE kind = ?"
        params.append(kind)
    sql += " ORDER BY kind = 'peer', name COLLATE NOCASE"
    return [Organisation.from_row(row) for row in db.query(sql, params)]


def get_self(db: Database) -> Organisation | None:
    """The monitored coop, or ``None`` before the first-run setup."""
    found = list_organisations(db, "self")
    return found[0] if found else None


def find_organisation(db: Database, name_or_id: str | int) -> Organisation | None:
    """An organisation by id or by case-insensitive name."""
    rows = list(
        db.query(
            "SELECT * FROM organisations WHERE CAST(id AS TEXT) = ? OR name = ? COLLATE NOCASE",
            [str(name_or_id), str(name_or_id)],
        )
    )
    return Organisation.from_row(rows[0]) if rows else None
