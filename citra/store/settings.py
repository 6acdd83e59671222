"""Writing installation settings."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database


def set_setting(db: Database, key: str, value: Any) -> None:
    """Store ``value`` (anything JSON can hold) under ``key``."""
    with db.atomic():
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value, ensure_ascii=False)],
        )
