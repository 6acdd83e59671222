"""Reading members, events, attendance and chats, aggregated in SQL.

Periods are local calendar periods (the installation's timezone, ``Asia/Jakarta`` by default):
``"2024"`` for a year, ``"2024-03"`` for a month, ``"all"`` for all time. Stored times are UTC;
they are shifted by the timezone's current UTC offset before bucketing (Indonesia has no daylight
saving time). Counts include only members whose status is ``active``. Functions that can return
personal data take ``show_names``; without it names come back as ``None`` (see ``citra.access``).
Phone numbers are never returned: the database holds only their salted hashes. Actions are read
from ``member_action_counts`` (public shares counted per member and month, see migration
``speed_002_share_buckets``), not from every share.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from citra.queries import records
from citra.queries.settings import get_setting

GRAINS = {"month": "%Y-%m", "year": "%Y", "all": "all"}

# The last local day of a period key ("2024", "2024-03" or "all").
_PERIOD_END = (
    "CASE length({p}) WHEN 4 THEN {p} || '-12-31' "
    "WHEN 7 THEN date({p} || '-01', '+1 month', '-1 day') ELSE '9999-12-31' END"
)
_ACTIVE_AT = "m.status = 'active' AND (m.join_date IS NULL OR m.join_date <= {end})"


def offset_modifier(db: Database) -> str:
    """The SQLite date modifier from UTC to local time, e.g. ``"+420 minutes"`` for Jakarta."""
    zone = ZoneInfo(get_setting(db, "timezone") or "Asia/Jakarta")
    offset = datetime.now(UTC).astimezone(zone).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return f"{minutes:+d} minutes"


def unmatched_senders(db: Database, *, show_names: bool = False) -> list[dict[str, Any]]:
    """Chat senders not linked to a member, most messages first: ``sender`` (the name, or
    ``#ID`` for a sender known only by phone number or when names are hidden), ``id``,
    ``messages``, ``last`` (local time of their last message). Empty: an empty list."""
    return records(
        db,
        """
        SELECT CASE WHEN :show AND s.name IS NOT NULL THEN s.name ELSE '#' || s.id END AS sender,
               s.id, count(c.id) AS messages, max(c.local_time) AS last
          FROM chat_senders s JOIN chat_messages c ON c.sender_id = s.id
         WHERE s.member_id IS NULL AND s.blocked = 0 AND c.kind != 'system'
         GROUP BY s.id
         ORDER BY messages DESC, s.id
        """,
        {"show": int(show_names)},
    )


def available_years(db: Database) -> list[int]:
    """Years (local) that have events or engagement actions, newest first."""
    rows = db.execute(
        "SELECT DISTINCT substr(date, 1, 4) FROM events UNION "
        "SELECT DISTINCT strftime('%Y', occurred_at, ?) FROM member_action_counts",
        [offset_modifier(db)],
    ).fetchall()
    return sorted({int(r[0]) for r in rows if r[0]}, reverse=True)


# Participants, engaged and advocates per period (``:fmt`` is a strftime format from GRAINS),
# each a set of active members.
_ACTIVITY_CTES = """
        part AS MATERIALIZED (
            SELECT DISTINCT strftime(:fmt, e.date) AS period, a.member_id
              FROM attendance a JOIN events e ON e.id = a.event_id
              JOIN members m ON m.id = a.member_id
             WHERE a.attended = 1 AND m.status = 'active'),
        eng AS MATERIALIZED (
            SELECT strftime(:fmt, x.occurred_at, :offset) AS period, x.member_id,
                   max(x.kind = 'public_share') AS shared_publicly
              FROM member_action_counts x JOIN members m ON m.id = x.member_id
             WHERE m.status = 'active'
             GROUP BY 1, 2),
        adv AS (SELECT period, member_id FROM eng WHERE shared_publicly)
    """


def period_counts(db: Database, *, grain: str = "year", year: int | None = None) -> list[dict]:
    """Per period (``grain`` ``month``, ``year`` or ``all``) with any attendance or engagement:
    ``period``, ``active`` (active members who had joined by the period's end),
    ``participants``, ``engaged``, ``engaged_participants``, ``advocates`` (engaged
    participants who shared publicly). ``year`` keeps only that local year. Oldest first;
    nothing recorded: an empty list."""
    fmt = GRAINS[grain]
    end = _PERIOD_END.format(p="p.period")
    sql = f"""
        WITH {_ACTIVITY_CTES},
        periods AS (SELECT period FROM part UNION SELECT period FROM eng)
        SELECT p.period,
               (SELECT count(*) FROM members m WHERE {_ACTIVE_AT.format(end=end)}) AS active,
               (SELECT count(*) FROM part WHERE part.period = p.period) AS participants,
               (SELECT count(*) FROM eng WHERE eng.period = p.period) AS engaged,
               (SELECT count(*) FROM eng JOIN part USING (period, member_id)
                 WHERE eng.period = p.period) AS engaged_participants,
               (SELECT count(*) FROM adv JOIN part USING (period, member_id)
                 WHERE adv.period = p.period) AS advocates
          FROM periods p
         WHERE p.period IS NOT NULL
           AND (:year IS NULL OR p.period = 'all' OR substr(p.period, 1, 4) = :year)
         ORDER BY p.period
    """
    params = {"fmt": fmt, "offset": offset_modifier(db), "year": str(year) if year else None}
    return records(db, sql, params)


def funnel_counts(db: Database, *, year: int | None = None) -> dict[str, int]:
    """The funnel's nested counts for a local year (or all time): ``active``, ``participants``,
    ``engaged``, ``engaged_participants``, ``advocates``. Nothing recorded: ``active`` members
    and zeros."""
    grain = "year" if year else "all"
    found = [
        r for r in period_counts(db, grain=grain, year=year) if r["period"] in (str(year), "all")
    ]
    if found:
        row = found[0]
    else:
        end = f"{year}-12-31" if year else "9999-12-31"
        active = db.execute(
            f"SELECT count(*) FROM members m WHERE {_ACTIVE_AT.format(end='?')}", [end]
        ).fetchone()[0]
        row = {"active": active}
    keys = ("active", "participants", "engaged", "engaged_participants", "advocates")
    return {key: int(row.get(key) or 0) for key in keys}


def event_counts(
    db: Database, *, kind: str | None = None, year: int | None = None
) -> list[dict[str, Any]]:
    """Per event, oldest first: ``id``, ``name``, ``kind``, ``date``, ``book_year``, ``active``
    (active members who had joined by the event), ``participants`` (attended), ``engaged``
    (attended and asked a question or made a proposal there). ``kind``/``year`` filter."""
    return records(
        db,
        f"""
        SELECT e.id, e.name, e.kind, e.date, e.book_year,
               (SELECT count(*) FROM members m WHERE {_ACTIVE_AT.format(end="e.date")}) AS active,
               (SELECT count(*) FROM attendance a JOIN members m ON m.id = a.member_id
                 WHERE a.event_id = e.id AND a.attended = 1 AND m.status = 'active')
                   AS participants,
               (SELECT count(*) FROM attendance a JOIN members m ON m.id = a.member_id
                 WHERE a.event_id = e.id AND a.attended = 1 AND m.status = 'active'
                   AND (a.asked = 1 OR a.proposed = 1)) AS engaged
          FROM events e
         WHERE (:kind IS NULL OR e.kind = :kind)
           AND (:year IS NULL OR substr(e.date, 1, 4) = :year)
         ORDER BY e.date, e.id
        """,
        {"kind": kind, "year": str(year) if year else None},
    )


_BREAKDOWNS = {
    "branch": "coalesce(nullif(m.branch, ''), '?')",
    "age": (
        "CASE WHEN m.join_date IS NULL THEN 'unknown' "
        "WHEN julianday({end}) - julianday(m.join_date) < 365.25 THEN '<1' "
        "WHEN julianday({end}) - julianday(m.join_date) < 3 * 365.25 THEN '1-3' "
        "WHEN julianday({end}) - julianday(m.join_date) < 5 * 365.25 THEN '3-5' "
        "ELSE '5+' END"
    ),
}


def breakdown_counts(db: Database, by: str, *, year: int | None = None) -> list[dict[str, Any]]:
    """Active members, participants and engaged members per ``by`` (``"branch"``, or ``"age"``:
    membership age in years at the period's end, bands ``<1``, ``1-3``, ``3-5``, ``5+``,
    ``unknown``) for a local year or all time. Rows: ``group``, ``active``, ``participants``,
    ``engaged``; no members: an empty list. A member with no branch is grouped under ``?``."""
    grain = "year" if year else "all"
    period = str(year) if year else "all"
    end_date = f"{year}-12-31" if year else datetime.now(UTC).date().isoformat()
    key = _BREAKDOWNS[by].format(end=":end")
    sql = f"""
        WITH {_ACTIVITY_CTES}
        SELECT {key} AS "group", count(*) AS active,
               sum(m.id IN (SELECT member_id FROM part WHERE period = :period)) AS participants,
               sum(m.id IN (SELECT member_id FROM eng WHERE period = :period)) AS engaged
          FROM members m
         WHERE {_ACTIVE_AT.format(end=":end")}
         GROUP BY 1
         -- membership-age bands in their natural order, not alphabetical ('<1' sorts last)
         ORDER BY CASE "group" WHEN '<1' THEN 0 WHEN '1-3' THEN 1 WHEN '3-5' THEN 2
                  WHEN '5+' THEN 3 WHEN 'unknown' THEN 4 ELSE 5 END, 1
    """
    params = {"fmt": GRAINS[grain], "offset": offset_modifier(db), "period": period}
    return records(db, sql, {**params, "end": end_date})


def top_engaged(
    db: Database, *, year: int | None = None, limit: int = 10, show_names: bool = False
) -> list[dict[str, Any]]:
    """The most engaged active members of a local year (or all time), most actions first:
    ``member_no``, ``name`` (``None`` unless ``show_names``), ``branch``, ``actions``,
    ``questions``, ``proposals``, ``shares``, ``public_shares``. None: an empty list."""
    return records(
        db,
        """
        SELECT m.member_no, CASE WHEN :show THEN m.name END AS name, m.branch,
               sum(x.actions) AS actions, sum((x.kind = 'question') * x.actions) AS questions,
               sum((x.kind = 'proposal') * x.actions) AS proposals,
               sum((x.kind = 'share') * x.actions) AS shares,
               sum((x.kind = 'public_share') * x.actions) AS public_shares
          FROM member_action_counts x JOIN members m ON m.id = x.member_id
         WHERE m.status = 'active'
           AND (:year IS NULL OR strftime('%Y', x.occurred_at, :offset) = :year)
         GROUP BY m.id ORDER BY actions DESC, m.member_no LIMIT :limit
        """,
        {
            "show": int(show_names),
            "year": str(year) if year else None,
            "offset": offset_modifier(db),
            "limit": limit,
        },
    )


def unanswered_questions(
    db: Database, *, hours: int = 48, show_texts: bool = False, limit: int = 100
) -> list[dict[str, Any]]:
    """Questions in the chat groups that nobody else answered within ``hours``, newest first.

    "Answered" means any message (text or media) from another sender in the same group within
    ``hours`` after the question. Only questions whose window has passed by the group's latest
    imported message count. Rows: ``group``, ``local_time``, ``sender`` (name or ``#ID``; ``None``
    unless ``show_texts``), ``text`` (``None`` unless ``show_texts``).
    """
    window = f"+{int(hours)} hours"
    return records(
        db,
        """
        SELECT g.name AS "group", q.local_time,
               CASE WHEN :show THEN coalesce(mb.name, s.name, '#' || s.id) END AS sender,
               CASE WHEN :show THEN q.text END AS text
          FROM chat_messages q
          JOIN chat_groups g ON g.id = q.group_id
          LEFT JOIN chat_senders s ON s.id = q.sender_id
          LEFT JOIN members mb ON mb.id = s.member_id
         WHERE q.kind = 'text' AND q.category = 'question'
           AND strftime('%Y-%m-%dT%H:%M:%SZ', q.sent_at, :window) <=
               (SELECT max(l.sent_at) FROM chat_messages l WHERE l.group_id = q.group_id)
           AND NOT EXISTS (
               SELECT 1 FROM chat_messages r
                WHERE r.group_id = q.group_id AND r.id != q.id
                  AND r.sent_at >= q.sent_at
                  AND r.sent_at <= strftime('%Y-%m-%dT%H:%M:%SZ', q.sent_at, :window)
                  AND r.kind IN ('text', 'media') AND r.sender_id IS NOT q.sender_id)
         ORDER BY q.sent_at DESC LIMIT :limit
        """,
        {"show": int(show_texts), "window": window, "limit": limit},
    )


# --- the demo dataset ---------------------------------------------------------------------------


def members_overview(
    db: Database, *, year: int | None = None, show_names: bool = False
) -> dict[str, Any]:
    """Everything the Members page and the report show about members, as plain values.

    ``year`` (local calendar year, ``None`` for all time) narrows the totals, funnel, months,
    branches, ages and lists; ``show_names`` (see ``citra.access``) adds the lists that name
    people (most engaged members, unanswered questions, senders to link); without it they are
    empty. Phone numbers are never part of it.
    """
    from citra import engagement
    from citra.queries.member_registry import list_events

    counts = funnel_counts(db, year=year)
    return {
        "totals": engagement.period_metrics(counts),
        "years_available": available_years(db),
        "funnel": engagement.funnel(counts),
        "years": engagement.series(period_counts(db, grain="year")),
        "months": engagement.series(period_counts(db, grain="month", year=year)),
        "rat": engagement.series(event_counts(db, kind="rat")),
        "branches": engagement.series(breakdown_counts(db, "branch", year=year)),
        "ages": engagement.series(breakdown_counts(db, "age", year=year)),
        "events": list_events(db),
        "top": top_engaged(db, year=year, show_names=True) if show_names else [],
        "senders": unmatched_senders(db, show_names=True) if show_names else [],
        "unanswered": unanswered_questions(db, show_texts=True) if show_names else [],
    }
