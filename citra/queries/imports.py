"""Reading the import history and the column-mapping presets."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

_IMPORT_KEYS = (
    "id",
    "kind",
    "file_name",
    "format",
    "started_at",
    "finished_at",
    "status",
    "added",
    "duplicates",
    "rejected",
    "errors",
    "is_demo",
)
_IMPORT_SQL = f"SELECT {', '.join(_IMPORT_KEYS)} FROM imports"


def _decoded(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    found = [dict(zip(_IMPORT_KEYS, row, strict=True)) for row in rows]
    for item in found:
        item["errors"] = json.loads(item["errors"] or "[]")
    return found


def list_imports(
    db: Database, limit: int = 100, *, kinds: tuple[str, ...] | None = None
) -> list[dict[str, Any]]:
    """The latest file imports and collection runs, newest first, ``errors`` decoded; only
    those of ``kinds`` (``file``, ``whatsapp``, ``members``, ``attendance``, ``collect``,
    ``demo``) when given.

    Times are UTC ISO 8601 with a trailing ``Z``; an empty history gives ``[]``.
    """
    if kinds is None:
        rows = db.execute(f"{_IMPORT_SQL} ORDER BY id DESC LIMIT ?", [limit]).fetchall()
    else:
        marks = ", ".join("?" for _ in kinds)
        rows = db.execute(
            f"{_IMPORT_SQL} WHERE kind IN ({marks}) ORDER BY id DESC LIMIT ?", [*kinds, limit]
        ).fetchall()
    return _decoded(rows)


def get_import(db: Database, import_id: int) -> dict[str, Any] | None:
    """One import run by id (as in :func:`list_imports`), else ``None``."""
    found = _decoded(db.execute(f"{_IMPORT_SQL} WHERE id = ?", [import_id]).fetchall())
    return found[0] if found else None


def count_import_mentions(db: Database, import_id: int) -> int:
    """How many stored mentions an import added (what undoing it would remove)."""
    return db.execute("SELECT count(*) FROM mentions WHERE import_id = ?", [import_id]).fetchone()[
        0
    ]


def count_unattributed(db: Database, import_id: int) -> int:
    """How many mentions an import added that name no organisation (neither the coop nor a
    peer): kept, but not on the dashboard until the profile's names or keywords match them."""
    return db.execute(
        "SELECT count(*) FROM mentions WHERE import_id = ? AND organisation_id IS NULL",
        [import_id],
    ).fetchone()[0]


def list_presets(db: Database) -> list[dict[str, Any]]:
    """Saved column-mapping presets by name: ``{id, name, headers, mapping, updated_at}``."""
    rows = db.execute(
        "SELECT id, name, headers, mapping, updated_at FROM imports_presets "
        "ORDER BY name COLLATE NOCASE"
    ).fetchall()
    return [
        {
            "id": row[0],
            "name": row[1],
            "headers": json.loads(row[2]),
            "mapping": json.loads(row[3]),
            "updated_at": row[4],
        }
        for row in rows
    ]


def get_preset(db: Database, name: str) -> dict[str, Any] | None:
    """The preset called ``name`` (case-insensitive), else ``None``."""
    return next((p for p in list_presets(db) if p["name"].casefold() == name.casefold()), None)
