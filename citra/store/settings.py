"""Writing installation settings."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from citra.access import ADMIN, requires


def _stored(db: Database, arguments: Mapping[str, Any]) -> Any:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [arguments["key"]]).fetchone()
    return json.loads(row[0]) if row else None


@requires(ADMIN, action="setting changed", target="key", before=_stored, detail=lambda a, r: {})
def set_setting(db: Database, key: str, value: Any) -> None:
    """Store ``value`` (anything JSON can hold) under ``key``."""
    with db.atomic():
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value, ensure_ascii=False)],
        )
