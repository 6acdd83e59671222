"""Reading the member registry and its events: members, by number, phone hash or name; events."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from citra.queries import records


def find_member(
    db: Database,
    *,
    member_no: str | None = None,
    phone_hash: str | None = None,
    name: str | None = None,
) -> int | None:
    """The id of the one member with this number, phone hash or name (case-insensitive);
    ``None`` when there is none or more than one."""
    if member_no:
        rows = db.execute("SELECT id FROM members WHERE member_no = ?", [member_no]).fetchall()
    elif phone_hash:
        rows = db.execute(
            "SELECT DISTINCT member_id FROM member_phones WHERE phone_hash = ?", [phone_hash]
        ).fetchall()
    elif name:
        rows = db.execute(
            "SELECT id FROM members WHERE name = ? COLLATE NOCASE LIMIT 2", [name]
        ).fetchall()
    else:
        return None
    return int(rows[0][0]) if len(rows) == 1 else None


def list_members(db: Database, *, show_names: bool = False) -> list[dict[str, Any]]:
    """Members by number: ``member_no``, ``name`` (``None`` unless ``show_names``),
    ``join_date``, ``status``, ``branch``, ``phones`` (how many numbers are known, never the
    numbers), ``handles`` (how many), ``senders`` (linked chat senders), ``events`` attended.
    Empty registry: an empty list."""
    return records(
        db,
        """
        SELECT m.member_no, CASE WHEN :show THEN m.name END AS name, m.join_date, m.status,
               m.branch,
               (SELECT count(*) FROM member_phones p WHERE p.member_id = m.id) AS phones,
               (SELECT count(*) FROM member_handles h WHERE h.member_id = m.id) AS handles,
               (SELECT count(*) FROM chat_senders s WHERE s.member_id = m.id) AS senders,
               (SELECT count(*) FROM attendance a WHERE a.member_id = m.id AND a.attended = 1)
                   AS events
          FROM members m
         ORDER BY length(m.member_no), m.member_no
        """,
        {"show": int(show_names)},
    )


def list_events(db: Database) -> list[dict[str, Any]]:
    """Events by date: ``id``, ``name``, ``kind``, ``date`` (local ``YYYY-MM-DD``),
    ``book_year``, ``attended``, ``asked``, ``proposed`` (member counts)."""
    return records(
        db,
        """
        SELECT e.id, e.name, e.kind, e.date, e.book_year,
               coalesce(sum(a.attended), 0) AS attended, coalesce(sum(a.asked), 0) AS asked,
               coalesce(sum(a.proposed), 0) AS proposed
          FROM events e LEFT JOIN attendance a ON a.event_id = e.id
         GROUP BY e.id ORDER BY e.date, e.id
        """,
        {},
    )


def find_event(db: Database, name_or_id: str | int) -> dict[str, Any] | None:
    """An event by id, or by name (case-insensitive; the latest one with that name)."""
    rows = records(
        db,
        "SELECT id, name, kind, date, book_year FROM events "
        "WHERE CAST(id AS TEXT) = :key OR name = :key COLLATE NOCASE ORDER BY date DESC LIMIT 1",
        {"key": str(name_or_id).strip()},
    )
    return rows[0] if rows else None
