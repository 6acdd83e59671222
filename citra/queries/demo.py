"""Reading whether, and which, demo data is stored."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from citra.queries.settings import get_setting


def has_demo_data(db: Database) -> bool:
    """Whether any demo row (mention or organisation) is stored."""
    return bool(
        db.execute(
            "SELECT EXISTS (SELECT 1 FROM mentions WHERE is_demo = 1) "
            "OR EXISTS (SELECT 1 FROM organisations WHERE is_demo = 1)"
        ).fetchone()[0]
    )


def demo_last_day(db: Database) -> date | None:
    """The local calendar day (installation timezone) of the latest demo mention, or ``None``
    when the database holds no demo mention. The members demo dates its history from it."""
    latest = db.execute("SELECT max(published_at) FROM mentions WHERE is_demo = 1").fetchone()[0]
    if not latest:
        return None
    zone = ZoneInfo(get_setting(db, "timezone") or "Asia/Jakarta")
    stamp = datetime.fromisoformat(latest.replace("Z", "+00:00"))
    return stamp.astimezone(zone).date()


def demo_mention_authors(db: Database) -> list[tuple[str, str]]:
    """``(platform, handle)`` of the people who wrote demo mentions about the coop itself (its
    own posts left out), handles as ``member_handles`` stores them (``citra.handles``: no ``@``,
    case folded), ordered by handle then platform. No demo mentions: an empty list."""
    rows = db.execute(
        """
        SELECT DISTINCT m.platform, m.author_key AS handle
          FROM mentions m JOIN organisations o ON o.id = m.organisation_id
         WHERE m.is_demo = 1 AND o.kind = 'self' AND m.is_own = 0
           AND m.author_key IS NOT NULL
         ORDER BY handle, m.platform
        """
    ).fetchall()
    return [(str(platform), str(handle)) for platform, handle in rows]
