"""Reading the audit log (admins: the Settings page and ``citra audit``)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlite_utils import Database

from citra.exports import csv_text

COLUMNS = ("id", "at", "actor", "role", "action", "target", "detail")


def audit_rows(db: Database, *, limit: int | None = None) -> list[dict[str, Any]]:
    """The audit log, newest first (``limit`` rows at most); ``detail`` parsed from JSON.
    Empty log: ``[]``."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM audit_log ORDER BY id DESC"
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    rows = []
    for row in db.execute(sql, params):
        record = dict(zip(COLUMNS, row, strict=True))
        record["detail"] = json.loads(record["detail"]) if record["detail"] else {}
        rows.append(record)
    return rows


def audit_frame(db: Database, *, limit: int | None = None) -> pd.DataFrame:
    """:func:`audit_rows` as a table, the detail as its JSON text (for the page and CSV)."""
    rows = audit_rows(db, limit=limit)
    for row in rows:
        row["detail"] = json.dumps(row["detail"], ensure_ascii=False, sort_keys=True)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def audit_csv(db: Database) -> bytes:
    """The whole audit log as UTF-8 CSV (newest first), for the Settings page download; text
    that a spreadsheet would read as a formula gets a leading apostrophe (``citra.exports.
    csv_text``, as in every export)."""
    frame = audit_frame(db)
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return csv_text(list(COLUMNS), rows).encode("utf-8")
