"""Dashboard writes: tags on mentions, and removing the demo data."""

from __future__ import annotations

from sqlite_utils import Database

from citra.errors import CitraError


def _tag_name(name: str) -> str:
    cleaned = " ".join(name.split()).lower()
    if not cleaned:
        raise CitraError("A tag needs a name.")
    if len(cleaned) > 40:
        raise CitraError(f"The tag '{cleaned[:40]}…' is too long (at most 40 characters).")
    return cleaned


def ensure_tag(db: Database, name: str, *, is_demo: bool = False) -> int:
    """The id of the tag ``name`` (trimmed, lower-case), creating it if needed."""
    name = _tag_name(name)
    with db.atomic():
        db.execute(
            "INSERT INTO tags (name, is_demo) VALUES (?, ?) ON CONFLICT(name) DO NOTHING",
            [name, int(is_demo)],
        )
        return int(db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()[0])


def set_mention_tags(db: Database, mention_seq: int, names: list[str]) -> list[str]:
    """Make ``names`` exactly the tags of the mention ``mention_seq``; returns the cleaned names.

    Unknown tags are created; an empty list removes every tag of the mention. Raises
    :class:`CitraError` for a mention that does not exist.
    """
    if db.execute("SELECT 1 FROM mentions WHERE seq = ?", [mention_seq]).fetchone() is None:
        raise CitraError(f"No mention with number {mention_seq}.")
    cleaned = sorted({_tag_name(name) for name in names})
    with db.atomic():
        db.execute("DELETE FROM mention_tags WHERE mention_seq = ?", [mention_seq])
        for name in cleaned:
            tag_id = ensure_tag(db, name)
            db.execute(
                "INSERT INTO mention_tags (mention_seq, tag_id) VALUES (?, ?)",
                [mention_seq, tag_id],
            )
    return cleaned


def delete_unused_tags(db: Database) -> int:
    """Delete tags no mention carries; returns how many."""
    with db.atomic():
        return db.execute(
            "DELETE FROM tags WHERE id NOT IN (SELECT DISTINCT tag_id FROM mention_tags)"
        ).rowcount


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
        for table in ("events", "members", "mentions", "imports", "tags", "organisations"):
            removed[table] = db.execute(f"DELETE FROM {table} WHERE is_demo = 1").rowcount
    return removed
