"""Writing members, events, attendance and WhatsApp chats.

The caller owns the transaction for bulk writes (see ``citra.store.imports.import_run``); the
single-action functions (``add_event``, ``link_sender``, ``forget_member``, ...) open their own.
Phone numbers arrive here already hashed (``citra.privacy.phone_hash``): nothing in this module
ever sees a number in clear.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from citra.access import ADMIN, EDITOR, requires
from citra.errors import CitraError
from citra.handles import normalise_handle
from citra.privacy import handle_hash, keyed_hash
from citra.store import member_history as history
from citra.store.imports import utc_now

EVENT_KINDS = ("rat", "meeting", "training")
STATUSES = ("active", "inactive", "left")
ACTION_KINDS = ("question", "proposal", "share", "public_share")


def is_forgotten(db: Database, member_no: str) -> bool:
    """True when this member number was erased at the member's request."""
    digest = keyed_hash(db, "member_no", member_no.strip())
    row = db.execute(
        "SELECT 1 FROM members_forgotten WHERE member_no_hash = ?", [digest]
    ).fetchone()
    return row is not None


@requires(EDITOR, action="member saved", target="member_no", detail=lambda a, r: {})
def upsert_member(
    db: Database,
    *,
    member_no: str,
    name: str | None = None,
    join_date: str | None = None,
    status: str = "active",
    branch: str | None = None,
    phone_hashes: Sequence[str] = (),
    handles: Mapping[str, str] | None = None,
    import_id: int | None = None,
    is_demo: bool = False,
) -> str:
    """Create or update the member with ``member_no``; returns ``"added"``, ``"updated"``,
    ``"unchanged"`` or ``"forgotten"`` (an erased member is never brought back).

    ``join_date`` is ``YYYY-MM-DD``. The registry's phone hashes and handles replace the ones a
    previous registry import gave; links made by hand are kept. The caller owns the transaction.
    """
    if status not in STATUSES:
        raise CitraError(
            "Unknown member status '{status}' (use one of {known}).",
            status=status,
            known=", ".join(STATUSES),
        )
    if is_forgotten(db, member_no):
        return "forgotten"
    row = db.execute(
        "SELECT id, name, join_date, status, branch FROM members WHERE member_no = ?", [member_no]
    ).fetchone()
    wanted_handles = {
        platform: key
        for platform, handle in (handles or {}).items()
        if (key := normalise_handle(handle))
    }
    wanted = (
        sorted((digest,) for digest in set(phone_hashes)),
        sorted(wanted_handles.items()),
    )
    # An import keeps what it changes, so that it can be undone (citra.store.member_history);
    # a member it leaves as they are costs it nothing more than the reads above.
    keep = import_id is not None and not is_demo
    changed: set[int] = set()
    if row is None:
        cursor = db.execute(
            "INSERT INTO members (member_no, name, join_date, status, branch, import_id, is_demo) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [member_no, name, join_date, status, branch, import_id, int(is_demo)],
        )
        member_id = int(cursor.lastrowid)
        outcome = "added"
        before = _registry_links(db, member_id)
        if keep:
            history.remember_member(db, import_id, member_id, added=True)
            changed.add(member_id)
    else:
        member_id = int(row[0])
        before = _registry_links(db, member_id)
        outcome = "unchanged" if tuple(row[1:]) == (name, join_date, status, branch) else "updated"
        if keep and (outcome == "updated" or _as_lists(before) != _as_lists(wanted)):
            history.remember_member(db, import_id, member_id)
            changed.add(member_id)
        if outcome == "updated":
            db.execute(
                "UPDATE members SET name = ?, join_date = ?, status = ?, branch = ?, "
                "import_id = ?, updated_at = ? WHERE id = ?",
                [name, join_date, status, branch, import_id, utc_now(), member_id],
            )
    if _as_lists(before) != _as_lists(wanted):  # else the registry links are already these
        db.execute(
            "DELETE FROM member_phones WHERE member_id = ? AND source = 'registry'", [member_id]
        )
        db.execute(
            "DELETE FROM member_handles WHERE member_id = ? AND source = 'registry'", [member_id]
        )
        for digest in dict.fromkeys(phone_hashes):
            db.execute(
                "INSERT OR IGNORE INTO member_phones (phone_hash, member_id, source) "
                "VALUES (?, ?, 'registry')",
                [digest, member_id],
            )
        for platform, key in wanted_handles.items():
            owner = None
            if keep:
                owner = db.execute(
                    "SELECT member_id FROM member_handles WHERE platform = ? AND handle = ?",
                    [platform, key],
                ).fetchone()
            if owner is not None and owner[0] != member_id:
                # The handle moves from another member: that member is changed too.
                history.remember_member(db, import_id, int(owner[0]))
                changed.add(int(owner[0]))
            db.execute(
                "INSERT OR REPLACE INTO member_handles (platform, handle, member_id, source) "
                "VALUES (?, ?, ?, 'registry')",
                [platform, key, member_id],
            )
        if outcome == "unchanged" and _registry_links(db, member_id) != before:
            outcome = "updated"
    for other in changed:
        history.seal_member(db, import_id, other)
    return outcome


def _as_lists(links: tuple[list[Any], list[Any]]) -> tuple[list[list[Any]], list[list[Any]]]:
    return [list(r) for r in links[0]], [list(r) for r in links[1]]


def _registry_links(db: Database, member_id: int) -> tuple[list[Any], list[Any]]:
    phones = db.execute(
        "SELECT phone_hash FROM member_phones WHERE member_id = ? AND source = 'registry' "
        "ORDER BY 1",
        [member_id],
    ).fetchall()
    handles = db.execute(
        "SELECT platform, handle FROM member_handles WHERE member_id = ? AND source = 'registry' "
        "ORDER BY 1, 2",
        [member_id],
    ).fetchall()
    return phones, handles


@requires(EDITOR, action="event added", target="name")
def add_event(
    db: Database,
    name: str,
    *,
    kind: str,
    date: str,
    book_year: int | None = None,
    is_demo: bool = False,
) -> int:
    """Create an event (or return the one with this name and date); ``date`` is ``YYYY-MM-DD``
    local. ``book_year`` defaults to the year before the date for a RAT (a RAT reports on the
    previous book year), else the date's year. ``is_demo`` marks a demo dataset's event."""
    if kind not in EVENT_KINDS:
        raise CitraError(
            "Unknown event kind '{kind}' (use one of {known}).",
            kind=kind,
            known=", ".join(EVENT_KINDS),
        )
    name = " ".join(name.split())
    if not name:
        raise CitraError("An event needs a name.")
    if book_year is None:
        book_year = int(date[:4]) - 1 if kind == "rat" else int(date[:4])
    with db.atomic():
        row = db.execute(
            "SELECT id FROM events WHERE name = ? AND date = ?", [name, date]
        ).fetchone()
        if row is not None:
            return int(row[0])
        cursor = db.execute(
            "INSERT INTO events (name, kind, date, book_year, is_demo) VALUES (?, ?, ?, ?, ?)",
            [name, kind, date, book_year, int(is_demo)],
        )
    return int(cursor.lastrowid)


@requires(EDITOR)
def record_attendance(
    db: Database,
    event_id: int,
    member_id: int,
    *,
    attended: bool = True,
    asked: bool = False,
    proposed: bool = False,
    import_id: int | None = None,
) -> bool:
    """Record (or overwrite) one member's attendance at an event; True when it was new.
    Under an import (``import_id``) the row as it was is kept, so that the import can be undone
    (``citra.store.member_history``). The caller owns the transaction."""
    existed = db.execute(
        "SELECT 1 FROM attendance WHERE event_id = ? AND member_id = ?", [event_id, member_id]
    ).fetchone()
    if import_id is not None:
        history.remember_attendance(db, import_id, event_id, member_id)
    db.execute(
        "INSERT INTO attendance (event_id, member_id, attended, asked, proposed, import_id) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(event_id, member_id) DO UPDATE SET "
        "attended = excluded.attended, asked = excluded.asked, proposed = excluded.proposed, "
        "import_id = excluded.import_id",
        [event_id, member_id, int(attended), int(asked), int(proposed), import_id],
    )
    return existed is None


@requires(EDITOR)
def add_engagement_action(
    db: Database, member_id: int, *, kind: str, occurred_at: str, note: str | None = None
) -> int:
    """Record an engagement action by hand (e.g. shared the coop's products offline).
    ``occurred_at`` is ISO 8601 UTC with a trailing Z."""
    if kind not in ACTION_KINDS:
        raise CitraError(
            "Unknown action '{kind}' (use one of {known}).",
            kind=kind,
            known=", ".join(ACTION_KINDS),
        )
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO engagement_actions (member_id, kind, occurred_at, note) VALUES (?,?,?,?)",
            [member_id, kind, occurred_at, note],
        )
    return int(cursor.lastrowid)


@requires(EDITOR, action="attendance recorded", target="member_no")
def record_member_attendance(
    db: Database,
    event_id: int,
    member_no: str,
    *,
    attended: bool = True,
    asked: bool = False,
    proposed: bool = False,
) -> bool:
    """Record one member's attendance by member number, in its own transaction (the Members
    page's form); True when it was new. CitraError when no member has that number."""
    with db.atomic():
        member_id = find_member_id(db, member_no)
        return record_attendance(
            db, event_id, member_id, attended=attended, asked=asked, proposed=proposed
        )


def find_member_id(db: Database, member_no: str) -> int:
    """The id of the member with this number; CitraError when there is none."""
    row = db.execute("SELECT id FROM members WHERE member_no = ?", [member_no.strip()]).fetchone()
    if row is None:
        raise CitraError("No member with number '{number}'.", number=member_no)
    return int(row[0])


ERASED_NAME = "[dihapus]"
MIN_NAME_CHARS = 3  # a shorter name would redact parts of other words


@requires(ADMIN, action="member erased", target="member_no", detail=lambda a, r: dict(r))
def forget_member(db: Database, member_no: str) -> dict[str, int]:
    """Erase a member's personal data (UU PDP No. 27/2022, right to erasure), everywhere.

    Deletes the member, their phone hashes, handles, attendance, hand-recorded actions and public
    shares; the chat senders linked to them and every message those senders wrote; the chat
    system lines naming them ("Budi added Siti"), and their name in other people's messages
    (replaced by :data:`ERASED_NAME`); their own public posts among the mentions (by their
    handles), with each post's ``raw`` record, tags, feed entry ids and copies in alerts. The
    daily rollups follow by trigger; the caller then purges the full-text index
    (``citra.pipeline.forget_member``). The senders stay as blocked, nameless rows so that a
    re-import of an old export does not bring the messages back; a salted hash of the member
    number is kept so a registry re-import skips them, and one of each handle
    (``forgotten_handles``) so a re-import of an old mention export skips their posts. The
    ambassador counts (``member_share_buckets``) go with the shares, and what undoing an import
    would have given back of them (their before-images, their handles in other members' ones,
    ``citra.store.member_history.forget``). Returns how many rows of
    each kind were erased or redacted.
    """
    member_no = member_no.strip()
    member_id = find_member_id(db, member_no)
    with db.atomic():
        senders = db.execute(
            "SELECT id, name FROM chat_senders WHERE member_id = ?", [member_id]
        ).fetchall()
        member_name = db.execute("SELECT name FROM members WHERE id = ?", [member_id]).fetchone()
        names = {
            " ".join(str(n).split())
            for n in [member_name[0] if member_name else None, *(r[1] for r in senders)]
            if n and len(str(n).strip()) >= MIN_NAME_CHARS
        }
        messages = 0
        for sender_id, _ in senders:
            messages += db.execute(
                "DELETE FROM chat_messages WHERE sender_id = ?", [sender_id]
            ).rowcount
            db.execute(
                "UPDATE chat_senders SET name = NULL, phone_hash = NULL, member_id = NULL, "
                "blocked = 1 WHERE id = ?",
                [sender_id],
            )
        system_lines, redacted = _erase_names_in_chats(db, names)
        own = [
            r[0]
            for r in db.execute(
                "SELECT m.id FROM mentions m JOIN member_handles h "
                "ON m.platform = h.platform AND m.author_key = h.handle WHERE h.member_id = ?",
                [member_id],
            ).fetchall()
        ]
        shares = db.execute(
            "SELECT count(*) FROM member_public_shares WHERE member_id = ?", [member_id]
        ).fetchone()[0]
        for mention_id in own:
            db.execute("DELETE FROM news_guids WHERE mention_id = ?", [mention_id])
            db.execute("DELETE FROM alert_mentions WHERE mention_id = ?", [mention_id])
            db.execute("DELETE FROM mentions WHERE id = ?", [mention_id])
        handles = db.execute(
            "SELECT count(*) FROM member_handles WHERE member_id = ?", [member_id]
        ).fetchone()[0]
        phones = db.execute(
            "SELECT count(*) FROM member_phones WHERE member_id = ?", [member_id]
        ).fetchone()[0]
        actions = db.execute(
            "DELETE FROM engagement_actions WHERE member_id = ?", [member_id]
        ).rowcount
        attendance = db.execute("DELETE FROM attendance WHERE member_id = ?", [member_id]).rowcount
        db.execute("DELETE FROM member_public_shares WHERE member_id = ?", [member_id])
        db.execute("DELETE FROM member_share_buckets WHERE member_id = ?", [member_id])
        forgotten = [
            (handle_hash(db, platform, handle), utc_now())
            for platform, handle in db.execute(
                "SELECT platform, handle FROM member_handles WHERE member_id = ?", [member_id]
            ).fetchall()
        ]
        db.conn.executemany(
            "INSERT OR REPLACE INTO forgotten_handles (handle_hash, forgotten_at) VALUES (?, ?)",
            forgotten,
        )
        # What undoing an import would have given back of them goes too.
        history.forget(
            db,
            member_id,
            db.execute(
                "SELECT platform, handle FROM member_handles WHERE member_id = ?", [member_id]
            ).fetchall(),
        )
        db.execute("DELETE FROM members WHERE id = ?", [member_id])  # phones, handles: cascade
        db.execute(
            "INSERT OR REPLACE INTO members_forgotten (member_no_hash, forgotten_at) VALUES (?, ?)",
            [keyed_hash(db, "member_no", member_no), utc_now()],
        )
    return {
        "members": 1,
        "senders": len(senders),
        "messages": messages,
        "system_lines": system_lines,
        "names_redacted": redacted,
        "mentions": len(own),
        "public_shares": int(shares),
        "handles": int(handles),
        "phones": int(phones),
        "actions": actions,
        "attendance": attendance,
    }


def _erase_names_in_chats(db: Database, names: set[str]) -> tuple[int, int]:
    """Delete the system lines naming any of ``names`` and redact the names in other messages
    (whole words, any case); returns ``(system lines deleted, messages redacted)``."""
    if not names:
        return 0, 0
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")(?!\w)",
        re.IGNORECASE,
    )
    deleted = redacted = 0
    for name in names:
        rows = db.execute(
            "SELECT id, kind, text FROM chat_messages WHERE text LIKE ? ESCAPE '\\'",
            ["%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
        ).fetchall()
        for message_id, kind, text in rows:
            if not pattern.search(text or ""):
                continue
            if kind == "system":
                deleted += db.execute(
                    "DELETE FROM chat_messages WHERE id = ?", [message_id]
                ).rowcount
            else:
                db.execute(
                    "UPDATE chat_messages SET text = ? WHERE id = ?",
                    [pattern.sub(ERASED_NAME, text), message_id],
                )
                redacted += 1
    return deleted, redacted
