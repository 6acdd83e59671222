"""Removing the demo data: every row marked as demo, and what hangs off it, and nothing else."""

from __future__ import annotations

from sqlite_utils import Database

from citra.access import ADMIN, requires


@requires(ADMIN, action="demo removed")
def remove_demo_data(db: Database) -> dict[str, int]:
    """Delete every row marked ``is_demo = 1`` (mentions, imports, organisations, tags, members,
    events) and what hangs off them (demo chat messages, attendance, phone hashes and handles of
    demo members), and nothing else; returns the rows removed per table.

    Tags a person added to demo mentions go with those mentions; their own tags stay. Demo chat
    groups and senders go once no real message is left in or from them; one that a real import
    also used stays and loses its demo mark. The daily rollup follows through its triggers. One
    transaction: all or nothing.
    """
    removed: dict[str, int] = {}
    demo_members = "SELECT id FROM members WHERE is_demo = 1"
    with db.atomic():
        removed["chat_messages"] = db.execute(
            "DELETE FROM chat_messages WHERE import_id IN (SELECT id FROM imports WHERE is_demo = 1)"
        ).rowcount
        for table, column in (("chat_senders", "sender_id"), ("chat_groups", "group_id")):
            removed[table] = db.execute(
                f"DELETE FROM {table} WHERE is_demo = 1 AND NOT EXISTS "
                f"(SELECT 1 FROM chat_messages c WHERE c.{column} = {table}.id)"
            ).rowcount
            db.execute(f"UPDATE {table} SET is_demo = 0 WHERE is_demo = 1")
        removed["attendance"] = db.execute(
            "DELETE FROM attendance WHERE event_id IN (SELECT id FROM events WHERE is_demo = 1) "
            f"OR member_id IN ({demo_members})"
        ).rowcount
        # The foreign keys cascade these too; spelled out so a connection without
        # PRAGMA foreign_keys still leaves no orphan behind.
        for table in ("member_phones", "member_handles", "engagement_actions"):
            db.execute(f"DELETE FROM {table} WHERE member_id IN ({demo_members})")
        db.execute(f"UPDATE chat_senders SET member_id = NULL WHERE member_id IN ({demo_members})")
        for table in ("comm_plan", "narratives", "feed_headlines"):
            removed[table] = db.execute(f"DELETE FROM {table} WHERE is_demo = 1").rowcount
        for table in ("events", "members", "mentions", "imports", "tags", "organisations"):
            removed[table] = db.execute(f"DELETE FROM {table} WHERE is_demo = 1").rowcount
    return removed
