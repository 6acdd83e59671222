"""Before-images of member-list and attendance imports, and undoing those imports.

A member-list import keeps, for each member it added or changed, what that member was before it
(``member_import_before``: the registry details and the registry phone hashes and handles, as
``members``, ``member_phones`` and ``member_handles`` hold them; nothing for a member it added)
and a keyed hash of what it left (``after_state``). An attendance import keeps each row it wrote
as it was before (``attendance_import_before``). :func:`undo_member_import` and
:func:`undo_attendance_import` put those back, inside ``citra.store.imports.undo_import``.

The rule for later changes: an undo never overwrites what happened after the import. When a
member (or an attendance row) the import wrote was changed since, by a later import or by hand,
the undo is refused, all of it, with a message naming the newest later import to undo first
(undo the newest first, as with any stack of edits). A later import that left a member as it was
does not block. Neither does anything done to a member that the import only updated and that
the undo does not touch (hand links, attendance, actions); but a member the import added is only
removed while nothing else hangs on them (attendance, chat links, recorded actions).

Erasure wins: erasing a member deletes their before-images (the foreign keys, and
``citra.store.member_registry.forget_member`` through :func:`forget`), an undo never creates a
member row, and it gives back no handle of an erased member (``forgotten_handles``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from citra.access import EDITOR, requires
from citra.errors import CitraError
from citra.privacy import handle_hash, keyed_hash


def registry_state(db: Database, member_id: int) -> tuple[Any, ...] | None:
    """What a member-list import sets of a member: ``(name, join_date, status, branch,
    registry phone hashes, registry handles)``; ``None`` when there is no such member."""
    row = db.execute(
        "SELECT name, join_date, status, branch FROM members WHERE id = ?", [member_id]
    ).fetchone()
    if row is None:
        return None
    phones = [
        r[0]
        for r in db.execute(
            "SELECT phone_hash FROM member_phones WHERE member_id = ? AND source = 'registry' "
            "ORDER BY 1",
            [member_id],
        ).fetchall()
    ]
    handles = [
        [r[0], r[1]]
        for r in db.execute(
            "SELECT platform, handle FROM member_handles "
            "WHERE member_id = ? AND source = 'registry' ORDER BY 1, 2",
            [member_id],
        ).fetchall()
    ]
    return (*row, phones, handles)


def _after_state(db: Database, member_id: int) -> str | None:
    """What a member is now, as :func:`seal_member` records it: a keyed hash of the details and
    registry phone hashes, and the keyed hash of each registry handle apart (``handle_hash``,
    the form ``forgotten_handles`` holds), so that erasing a handle's owner can take it out
    (:func:`forget`) and the rest still compares."""
    state = registry_state(db, member_id)
    if state is None:
        return None
    details = keyed_hash(db, "member state", json.dumps(state[:5], ensure_ascii=False))
    return _after_json(details, [handle_hash(db, p, h) for p, h in state[5]])


def _after_json(details: str, handles: Iterable[str]) -> str:
    return json.dumps({"details": details, "handles": sorted(handles)})


@requires(EDITOR)
def remember_member(db: Database, import_id: int, member_id: int, *, added: bool = False) -> None:
    """Keep what member ``member_id`` is now, before import ``import_id`` changes them (only the
    first time in that import); ``added``: the import has just created the member. Then call
    :func:`seal_member` once the import's change is written. The caller owns the transaction."""
    if added:
        db.execute(
            "INSERT OR IGNORE INTO member_import_before (import_id, member_id, existed) "
            "VALUES (?, ?, 0)",
            [import_id, member_id],
        )
        return
    state = registry_state(db, member_id)
    if state is None:
        return
    extra = db.execute(
        "SELECT import_id, updated_at FROM members WHERE id = ?", [member_id]
    ).fetchone()
    name, join_date, status, branch, phones, handles = state
    db.execute(
        "INSERT OR IGNORE INTO member_import_before (import_id, member_id, existed, name, "
        "join_date, status, branch, import_before, updated_at, phones, handles) "
        "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            import_id,
            member_id,
            name,
            join_date,
            status,
            branch,
            extra[0],
            extra[1],
            json.dumps(phones),
            json.dumps(handles, ensure_ascii=False),
        ],
    )


@requires(EDITOR)
def seal_member(db: Database, import_id: int, member_id: int) -> None:
    """Record what import ``import_id`` left of a member (a keyed hash of
    :func:`registry_state`), for :func:`undo_member_import` to see later changes; a member the
    import left exactly as it found them has nothing to undo, and their before-image goes."""
    kept = db.execute(
        "SELECT existed, name, join_date, status, branch, phones, handles, import_before "
        "FROM member_import_before WHERE import_id = ? AND member_id = ?",
        [import_id, member_id],
    ).fetchone()
    if kept is None:
        return
    state = registry_state(db, member_id)
    now = db.execute("SELECT import_id FROM members WHERE id = ?", [member_id]).fetchone()
    if (
        kept[0]
        and state is not None
        and (*kept[1:5], json.loads(kept[5]), json.loads(kept[6])) == state
        and now is not None
        and now[0] == kept[7]
    ):
        db.execute(
            "DELETE FROM member_import_before WHERE import_id = ? AND member_id = ?",
            [import_id, member_id],
        )
        return
    db.execute(
        "UPDATE member_import_before SET after_state = ? WHERE import_id = ? AND member_id = ?",
        [_after_state(db, member_id), import_id, member_id],
    )


@requires(EDITOR)
def remember_attendance(db: Database, import_id: int, event_id: int, member_id: int) -> None:
    """Keep an attendance row as it is now (or that there is none), before import ``import_id``
    writes it (only the first time in that import). The caller owns the transaction."""
    row = db.execute(
        "SELECT attended, asked, proposed, import_id FROM attendance "
        "WHERE event_id = ? AND member_id = ?",
        [event_id, member_id],
    ).fetchone()
    db.execute(
        "INSERT OR IGNORE INTO attendance_import_before (import_id, event_id, member_id, "
        "existed, attended, asked, proposed, import_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [import_id, event_id, member_id, int(row is not None), *(row or (None,) * 4)],
    )


@requires(EDITOR)
def forget(db: Database, member_id: int, handles: Iterable[Sequence[str]]) -> None:
    """Erase a member's before-images, and their ``handles`` (``(platform, handle)``) from the
    before-images of other members, so that no undo keeps or gives back anything of them.
    Runs inside ``forget_member``'s transaction."""
    db.execute("DELETE FROM member_import_before WHERE member_id = ?", [member_id])
    db.execute("DELETE FROM attendance_import_before WHERE member_id = ?", [member_id])
    erased = {(str(p), str(h)) for p, h in handles}
    if not erased:
        return
    hashes = {handle_hash(db, p, h) for p, h in erased}
    rows = {
        row[:2]: row
        for platform, handle in erased
        for row in db.execute(
            "SELECT import_id, member_id, handles, after_state FROM member_import_before "
            "WHERE handles LIKE ? OR after_state LIKE ?",
            [
                f"%{json.dumps(handle, ensure_ascii=False)}%",
                f"%{handle_hash(db, platform, handle)}%",
            ],
        ).fetchall()
    }  # (LIKE may find more than it should; what follows looks at each row exactly)
    for import_id, other, stored, after in rows.values():
        before = [pair for pair in json.loads(stored) if tuple(pair) not in erased]
        found = json.loads(after) if after is not None else None
        if len(before) == len(json.loads(stored)) and not (
            found and hashes & set(found["handles"])
        ):
            continue
        if found is not None:
            after = _after_json(found["details"], set(found["handles"]) - hashes)
        db.execute(
            "UPDATE member_import_before SET handles = ?, after_state = ? "
            "WHERE import_id = ? AND member_id = ?",
            [json.dumps(before, ensure_ascii=False), after, import_id, other],
        )


def _kept_before_images(db: Database, import_id: int) -> None:
    """Refuse an import from before Citra kept before-images (nothing to restore from)."""
    row = db.execute(
        "SELECT 1 FROM imports WHERE id = ? AND started_at < "
        "(SELECT min(started_at) FROM import_before_images_since)",
        [import_id],
    ).fetchone()
    if row is not None:
        raise CitraError(
            "Import #{id} was made before Citra kept what such imports change; it cannot be "
            "undone.",
            id=import_id,
        )


def _newest_later(db: Database, table: str, import_id: int, ids: list[int]) -> tuple[int, str]:
    """The newest import after ``import_id``, still in force, that wrote the members ``ids`` in
    ``table`` (a before-image table): ``(id, file name)``, or ``(0, "")``."""
    marks = ", ".join("?" for _ in ids)
    row = db.execute(
        f"SELECT i.id, coalesce(i.file_name, '') FROM {table} b JOIN imports i "
        f"ON i.id = b.import_id WHERE b.import_id > ? AND i.status = 'done' "
        f"AND b.member_id IN ({marks}) ORDER BY i.id DESC LIMIT 1",
        [import_id, *ids],
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else (0, "")


def _refuse_later_changes(db: Database, import_id: int, rows: list[tuple[Any, ...]]) -> None:
    changed = [r[0] for r in rows if _after_state(db, r[0]) != r[10]]
    if changed:
        later, file = _newest_later(db, "member_import_before", import_id, changed)
        if later:
            raise CitraError(
                "Import #{id} cannot be undone: member-list import #{later} ({file}) changed "
                "{count} of the same members after it. Undo import #{later} first.",
                id=import_id,
                later=later,
                file=file,
                count=len(changed),
            )
        raise CitraError(
            "Import #{id} cannot be undone: {count} of its members were changed after it "
            "outside any import.",
            id=import_id,
            count=len(changed),
        )
    added = [r[0] for r in rows if not r[1]]
    if not added:
        return
    marks = ", ".join("?" for _ in added)
    attended = db.execute(
        f"SELECT DISTINCT member_id FROM attendance WHERE member_id IN ({marks}) "
        "AND import_id IS NOT NULL",
        added,
    ).fetchall()
    if attended:
        ids = [r[0] for r in attended]
        later, file = _newest_later(db, "attendance_import_before", import_id, ids)
        if later:
            raise CitraError(
                "Import #{id} cannot be undone: attendance import #{later} ({file}) recorded "
                "{count} of the members it added. Undo import #{later} first.",
                id=import_id,
                later=later,
                file=file,
                count=len(ids),
            )
    by_hand = db.execute(
        f"SELECT count(*) FROM members m WHERE m.id IN ({marks}) AND ("
        "EXISTS (SELECT 1 FROM attendance a WHERE a.member_id = m.id) "
        "OR EXISTS (SELECT 1 FROM member_phones p WHERE p.member_id = m.id AND p.source = 'link') "
        "OR EXISTS (SELECT 1 FROM member_handles h WHERE h.member_id = m.id "
        "AND h.source = 'link') "
        "OR EXISTS (SELECT 1 FROM chat_senders s WHERE s.member_id = m.id) "
        "OR EXISTS (SELECT 1 FROM engagement_actions e WHERE e.member_id = m.id))",
        added,
    ).fetchone()[0]
    if by_hand:
        raise CitraError(
            "Import #{id} cannot be undone: {count} of the members it added have attendance, "
            "chat links or actions recorded by hand since.",
            id=import_id,
            count=int(by_hand),
        )


@requires(EDITOR)
def undo_member_import(db: Database, import_id: int) -> dict[str, int]:
    """Put the registry back as it was before member-list import ``import_id``: the members it
    added are removed (their registry phones and handles with them), the members it changed get
    their earlier details, registry phone hashes and handles back; no other member is touched.
    Returns ``{"members_removed": n, "members_restored": m}``.

    Refused (:class:`CitraError`, nothing changed) when a member it wrote was changed since
    (see the module's rule). Runs inside ``undo_import``'s transaction; its before-images go.
    """
    _kept_before_images(db, import_id)
    rows = db.execute(
        "SELECT member_id, existed, name, join_date, status, branch, import_before, updated_at, "
        "phones, handles, after_state FROM member_import_before b WHERE import_id = ? "
        "AND EXISTS (SELECT 1 FROM members m WHERE m.id = b.member_id) ORDER BY member_id",
        [import_id],
    ).fetchall()
    _refuse_later_changes(db, import_id, rows)
    for member_id, *_ in rows:
        db.execute(
            "DELETE FROM member_phones WHERE member_id = ? AND source = 'registry'", [member_id]
        )
        db.execute(
            "DELETE FROM member_handles WHERE member_id = ? AND source = 'registry'", [member_id]
        )
    removed = restored = 0
    for member_id, existed, name, join_date, status, branch, earlier, updated, *_ in rows:
        if not existed:
            removed += db.execute("DELETE FROM members WHERE id = ?", [member_id]).rowcount
            continue
        restored += db.execute(
            "UPDATE members SET name = ?, join_date = ?, status = ?, branch = ?, import_id = ?, "
            "updated_at = ? WHERE id = ?",
            [name, join_date, status, branch, earlier, updated, member_id],
        ).rowcount
    forgotten = {r[0] for r in db.execute("SELECT handle_hash FROM forgotten_handles").fetchall()}
    for member_id, existed, *_, phones, handles, _after in rows:
        if not existed:
            continue
        db.conn.executemany(
            "INSERT OR IGNORE INTO member_phones (phone_hash, member_id, source) "
            "VALUES (?, ?, 'registry')",
            [(digest, member_id) for digest in json.loads(phones)],
        )
        db.conn.executemany(
            "INSERT OR REPLACE INTO member_handles (platform, handle, member_id, source) "
            "VALUES (?, ?, ?, 'registry')",
            [
                (platform, handle, member_id)
                for platform, handle in json.loads(handles)
                if handle_hash(db, platform, handle) not in forgotten
            ],
        )
    db.execute("DELETE FROM member_import_before WHERE import_id = ?", [import_id])
    return {"members_removed": removed, "members_restored": restored}


@requires(EDITOR)
def undo_attendance_import(db: Database, import_id: int) -> dict[str, int]:
    """Put the attendance back as it was before attendance import ``import_id``: the rows it
    added are removed, the rows it overwrote get their earlier attended/asked/proposed back.
    Returns ``{"attendance_removed": n, "attendance_restored": m}``.

    Refused (:class:`CitraError`, nothing changed) when a later attendance import or a hand
    entry wrote one of those rows since. Runs inside ``undo_import``'s transaction.
    """
    _kept_before_images(db, import_id)
    rows = db.execute(
        "SELECT b.event_id, b.member_id, b.existed, b.attended, b.asked, b.proposed, "
        "b.import_before, a.import_id FROM attendance_import_before b JOIN attendance a "
        "ON a.event_id = b.event_id AND a.member_id = b.member_id WHERE b.import_id = ?",
        [import_id],
    ).fetchall()
    changed = [r for r in rows if r[7] != import_id]
    if changed:
        later = [r[7] for r in changed if r[7] is not None]
        if later:
            newest = max(later)
            found = db.execute("SELECT file_name FROM imports WHERE id = ?", [newest]).fetchone()
            raise CitraError(
                "Import #{id} cannot be undone: attendance import #{later} ({file}) changed "
                "{count} of the same records after it. Undo import #{later} first.",
                id=import_id,
                later=newest,
                file=(found[0] if found else None) or "",
                count=len(changed),
            )
        raise CitraError(
            "Import #{id} cannot be undone: {count} of its attendance records were changed by "
            "hand after it.",
            id=import_id,
            count=len(changed),
        )
    removed = restored = 0
    for event_id, member_id, existed, attended, asked, proposed, earlier, _ in rows:
        if not existed:
            removed += db.execute(
                "DELETE FROM attendance WHERE event_id = ? AND member_id = ?",
                [event_id, member_id],
            ).rowcount
            continue
        restored += db.execute(
            "UPDATE attendance SET attended = ?, asked = ?, proposed = ?, import_id = ? "
            "WHERE event_id = ? AND member_id = ?",
            [attended, asked, proposed, earlier, event_id, member_id],
        ).rowcount
    db.execute("DELETE FROM attendance_import_before WHERE import_id = ?", [import_id])
    return {"attendance_removed": removed, "attendance_restored": restored}
