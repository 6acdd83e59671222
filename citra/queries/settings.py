"""Reading installation settings (language, timezone, ...), stored as JSON values."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

DEFAULTS: dict[str, Any] = {
    "language": "id",
    "timezone": "Asia/Jakarta",
}


def get_setting(db: Database, key: str, default: Any = None) -> Any:
    """The stored value of ``key``, else ``default``, else the built-in default."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    if row is not None:
        return json.loads(row[0])
    return default if default is not None else DEFAULTS.get(key)
