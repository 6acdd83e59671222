"""Appending to the audit log: who did what, when. Rows are never changed or deleted (triggers
of the ``auth_001_users_audit`` migration refuse it, for every connection).

:func:`append` is called by ``citra.access.requires`` for every audited write and by the
logins (``citra.auth``); nothing else writes here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from citra.store.imports import utc_now

if TYPE_CHECKING:
    from citra.access import Actor

MAX_DETAIL_CHARS = 4000  # before/after of a large setting is cut, the row stays readable


def append(
    db: Database,
    *,
    actor: Actor,
    action: str,
    target: Any = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one row (time in UTC). Inside the caller's transaction when one is open (a
    savepoint), so the row and the change it records commit or roll back together."""
    text = json.dumps(dict(detail or {}), ensure_ascii=False, default=str, sort_keys=True)
    if len(text) > MAX_DETAIL_CHARS:
        text = json.dumps({"cut": text[:MAX_DETAIL_CHARS]}, ensure_ascii=False)
    with db.atomic():
        db.execute(
            "INSERT INTO audit_log (at, actor, role, action, target, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                utc_now(),
                actor.name,
                actor.role,
                action,
                None if target is None else str(target),
                text,
            ],
        )
