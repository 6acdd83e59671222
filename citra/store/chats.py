"""Writing WhatsApp chats: groups, senders (matched to members), messages, and linking a sender."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from citra.access import EDITOR, requires
from citra.errors import CitraError
from citra.handles import normalise_handle
from citra.store.member_registry import find_member_id

CHAT_COLUMNS = (
    "id",
    "group_id",
    "sender_id",
    "sent_at",
    "local_time",
    "kind",
    "category",
    "system_event",
    "text",
    "edited",
    "import_id",
)
_CHAT_INSERT = (
    f"INSERT INTO chat_messages ({', '.join(CHAT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in CHAT_COLUMNS)}) ON CONFLICT(id) DO NOTHING"
)


@requires(EDITOR)
def chat_group_id(db: Database, name: str, *, is_demo: bool = False) -> int:
    """The id of the chat group called ``name`` (case-insensitive), created if new (marked as
    demo data when ``is_demo``; an existing group keeps its mark)."""
    key = " ".join(name.split()).casefold()
    row = db.execute("SELECT id FROM chat_groups WHERE group_key = ?", [key]).fetchone()
    if row is not None:
        return int(row[0])
    cursor = db.execute(
        "INSERT INTO chat_groups (name, group_key, is_demo) VALUES (?, ?, ?)",
        [" ".join(name.split()), key, int(is_demo)],
    )
    return int(cursor.lastrowid)


@requires(EDITOR)
def chat_sender(
    db: Database,
    sender_key: str,
    *,
    name: str | None,
    phone_hash: str | None,
    is_demo: bool = False,
) -> tuple[int, int | None, bool]:
    """``(sender id, member id or None, blocked)`` for a chat sender, created if new (marked as
    demo data when ``is_demo``; an existing sender keeps its mark).

    A new sender is matched to a member by phone hash, then by a linked alias, then by a member
    name that exactly one member has (case-insensitive). The caller owns the transaction.
    """
    row = db.execute(
        "SELECT id, member_id, blocked FROM chat_senders WHERE sender_key = ?", [sender_key]
    ).fetchone()
    if row is not None:
        return int(row[0]), row[1], bool(row[2])
    member_id = _match_member(db, name=name, phone_hash=phone_hash)
    cursor = db.execute(
        "INSERT INTO chat_senders (sender_key, name, phone_hash, member_id, is_demo) "
        "VALUES (?, ?, ?, ?, ?)",
        [sender_key, name, phone_hash, member_id, int(is_demo)],
    )
    return int(cursor.lastrowid), member_id, False


def _match_member(db: Database, *, name: str | None, phone_hash: str | None) -> int | None:
    if phone_hash:
        rows = db.execute(
            "SELECT DISTINCT member_id FROM member_phones WHERE phone_hash = ?", [phone_hash]
        ).fetchall()
        if len(rows) == 1:
            return int(rows[0][0])
    if name:
        row = db.execute(
            "SELECT member_id FROM member_handles WHERE platform = 'whatsapp' AND handle = ?",
            [normalise_handle(name)],
        ).fetchone()
        if row is not None:
            return int(row[0])
        rows = db.execute(
            "SELECT id FROM members WHERE name = ? COLLATE NOCASE LIMIT 2", [name.strip()]
        ).fetchall()
        if len(rows) == 1:
            return int(rows[0][0])
    return None


@requires(EDITOR)
def insert_chat_messages(db: Database, rows: Iterable[Sequence[Any]]) -> tuple[int, int]:
    """Insert chat message rows (tuples in ``CHAT_COLUMNS`` order), skipping known ids.

    Returns ``(added, duplicates)``. The caller owns the transaction and batches the rows.
    """
    batch = list(rows)
    if not batch:
        return 0, 0
    inserted = db.conn.executemany(_CHAT_INSERT, batch).rowcount
    return inserted, len(batch) - inserted


@requires(EDITOR, action="sender linked", target="member_no", detail=lambda a, r: {})
def link_sender(db: Database, sender: str, member_no: str) -> dict[str, Any]:
    """Link a chat sender to a member: past messages count for the member from now on, and the
    sender's name (or phone hash) is remembered so later imports match it by themselves.

    ``sender`` is the name as shown in the list of senders to link, or ``#ID`` for a sender
    shown by number. Returns ``{"sender_id", "member_no", "messages"}``.
    """
    member_id = find_member_id(db, member_no)
    text = sender.strip()
    if text.startswith("#") and text[1:].isdigit():
        rows = db.execute(
            "SELECT id, name, phone_hash FROM chat_senders WHERE id = ?", [int(text[1:])]
        ).fetchall()
    else:
        rows = db.execute(
            "SELECT id, name, phone_hash FROM chat_senders WHERE name = ? COLLATE NOCASE", [text]
        ).fetchall()
    if not rows:
        raise CitraError(
            "No chat sender '{sender}'. See the senders to link in `members list`.", sender=sender
        )
    with db.atomic():
        for sender_id, name, digest in rows:
            db.execute("UPDATE chat_senders SET member_id = ? WHERE id = ?", [member_id, sender_id])
            if name:
                db.execute(
                    "INSERT OR REPLACE INTO member_handles (platform, handle, member_id, source) "
                    "VALUES ('whatsapp', ?, ?, 'link')",
                    [normalise_handle(name), member_id],
                )
            if digest:
                db.execute(
                    "INSERT OR IGNORE INTO member_phones (phone_hash, member_id, source) "
                    "VALUES (?, ?, 'link')",
                    [digest, member_id],
                )
        placeholders = ", ".join("?" for _ in rows)
        count = db.execute(
            f"SELECT count(*) FROM chat_messages WHERE sender_id IN ({placeholders})",
            [r[0] for r in rows],
        ).fetchone()[0]
    return {"sender_id": int(rows[0][0]), "member_no": member_no, "messages": int(count)}
