"""Writing installation settings."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from citra.access import ADMIN, requires

# Parts of a setting the audit log leaves out (the e-mail server's login and From address).
UNAUDITED_FIELDS = frozenset({"user", "sender", "password"})


def _stored(db: Database, arguments: Mapping[str, Any]) -> Any:
    """The setting's stored value for the audit log's before/after (addresses left out)."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [arguments["key"]]).fetchone()
    value = json.loads(row[0]) if row else None
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in UNAUDITED_FIELDS}
    return value


@requires(ADMIN, action="setting changed", target="key", before=_stored, detail=lambda a, r: {})
def set_setting(db: Database, key: str, value: Any) -> None:
    """Store ``value`` (anything JSON can hold) under ``key``."""
    with db.atomic():
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value, ensure_ascii=False)],
        )
