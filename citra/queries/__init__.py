"""Read-only SQL, as named functions returning records or DataFrames, one module per area.

Every function takes the ``Database`` first and only reads, so it works on the dashboard's
read-only handle. Values travel as SQL parameters, never formatted into SQL text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database


def records(
    db: Database, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
) -> list[dict[str, Any]]:
    """The rows of one query as dicts keyed by column name (``[]`` when there are none)."""
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
