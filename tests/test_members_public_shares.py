"""Members' public shares are kept in a table by triggers; it must always equal a full recount."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlite_utils import Database

from citra.handles import normalise_handle
from citra.store.member_registry import forget_member, upsert_member
from citra.store.mentions import insert_mentions, mention_id
from citra.store.organisations import add_peer, set_profile


def kept(db: Database) -> set[tuple]:
    return set(db.execute("SELECT mention_id, member_id, occurred_at FROM member_public_shares"))


def recount(db: Database) -> set[tuple]:
    """The shares counted from scratch in Python, from the handles as written (not the keys)."""
    handles = {
        (platform, normalise_handle(handle)): member
        for platform, handle, member in db.execute(
            "SELECT platform, handle, member_id FROM member_handles"
        )
    }
    return {
        (mention, handles[(platform, normalise_handle(author))], published)
        for mention, platform, author, published in db.execute(
            "SELECT id, platform, author_handle, published_at FROM mentions "
            "WHERE published_at IS NOT NULL AND author_handle IS NOT NULL "
            "AND organisation_id IN (SELECT id FROM organisations WHERE kind = 'self')"
        )
        if (platform, normalise_handle(author)) in handles
    }


def buckets(db: Database) -> set[tuple]:
    return set(db.execute("SELECT member_id, bucket, shares FROM member_share_buckets"))


def bucketed(db: Database) -> set[tuple]:
    """The shares counted per member and bucket from scratch in Python: the UTC month, or the UTC
    minute for a share within 15 hours of a month's edge."""
    counts: dict[tuple, int] = {}
    for _, member, occurred in kept(db):
        at = datetime.fromisoformat(occurred.replace("Z", "+00:00"))
        start = at.replace(day=1, hour=0, minute=0, second=0)
        following = (start + timedelta(days=32)).replace(day=1)
        edge = at - start < timedelta(hours=15) or following - at < timedelta(hours=15)
        key = (member, at.strftime("%Y-%m-%dT%H:%M") if edge else at.strftime("%Y-%m"))
        counts[key] = counts.get(key, 0) + 1
    return {(*key, n) for key, n in counts.items()}


def mention(n: int, handle: str | None, org: int | None, platform: str = "instagram") -> dict:
    return {
        "id": mention_id(platform, native_id=str(n)),
        "platform": platform,
        "text": f"post {n}",
        "author_handle": handle,
        "organisation_id": org,
        "published_at": f"2026-10-{n % 28 + 1:02d}T03:00:00Z",
    }


def test_share_buckets_follow_every_change(db: Database) -> None:
    coop = set_profile(db, name="KSP Sejahtera").id
    upsert_member(db, member_no="A1", name="Sari", handles={"instagram": "@sari.ksp"})
    times = [
        "2026-10-31T16:59:59Z",  # 23:59 in Jakarta: still October
        "2026-10-31T17:00:00Z",  # November in Jakarta
        "2026-10-31T09:00:00Z",  # 15 hours before the edge: the month bucket
        "2026-10-31T09:00:01Z",  # within 15 hours: its minute
        "2026-11-01T14:59:00Z",
        "2026-11-15T03:00:00Z",
        "2026-11-15T04:00:00Z",
        "2026-12-31T23:59:00Z",
    ]
    rows = [{**mention(n, "sari.ksp", coop), "published_at": at} for n, at in enumerate(times)]
    insert_mentions(db, rows)
    assert buckets(db) == bucketed(db)
    assert ("2026-11", 2) in {(b, n) for _, b, n in buckets(db)}
    db.execute("DELETE FROM mentions WHERE text = 'post 5'")
    db.execute("UPDATE mentions SET published_at = '2026-10-02T00:00:00Z' WHERE text = 'post 0'")
    assert buckets(db) == bucketed(db)
    forget_member(db, "A1")
    assert buckets(db) == set()


@pytest.mark.parametrize(
    "zone", ["Asia/Jakarta", "Asia/Kathmandu", "Pacific/Kiritimati", "America/Adak"]
)
def test_members_counted_from_buckets_as_from_every_share(db: Database, zone: str) -> None:
    # The Members page reads the buckets; each share's local month must be the one it has.
    from citra.queries.engagement import offset_modifier, period_counts
    from citra.store.settings import set_setting

    set_setting(db, "timezone", zone)
    coop = set_profile(db, name="KSP Sejahtera").id
    upsert_member(db, member_no="A1", name="Sari", handles={"instagram": "@sari.ksp"})
    upsert_member(db, member_no="A2", name="Budi", handles={"instagram": "budi"})
    times = [
        f"2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:00Z"
        for m in (1, 2, 3)
        for d in (1, 15, 28)
        for h in (0, 5, 10, 13, 19, 23)
        for mi in (0, 44, 45, 59)
    ]
    rows = [
        {**mention(n, "sari.ksp" if n % 3 else "budi", coop), "published_at": at}
        for n, at in enumerate(times)
    ]
    insert_mentions(db, rows)
    offset = offset_modifier(db)
    want: dict[str, set[int]] = {}
    for member, occurred in db.execute("SELECT member_id, occurred_at FROM member_public_shares"):
        month = db.execute("SELECT strftime('%Y-%m', ?, ?)", [occurred, offset]).fetchone()[0]
        want.setdefault(month, set()).add(member)
    got = {r["period"]: r["engaged"] for r in period_counts(db, grain="month")}
    assert got == {month: len(members) for month, members in want.items()}


def test_public_shares_follow_every_change(db: Database) -> None:
    coop = set_profile(db, name="KSP Sejahtera").id
    peer = add_peer(db, "KSP Maju").id
    upsert_member(db, member_no="A1", name="Sari", handles={"instagram": "@sari.ksp"})
    upsert_member(db, member_no="A2", name="Budi")
    insert_mentions(
        db,
        [
            mention(1, "@Sari.KSP", coop),
            mention(2, " sari.ksp", coop),
            mention(3, "sari.ksp", peer),  # about a peer: not a share of the coop's news
            mention(4, "budi_k", coop),
            mention(5, "sari.ksp", coop, platform="x"),  # another platform's account
            mention(6, None, coop),
        ],
    )
    assert len(kept(db)) == 2 and kept(db) == recount(db)

    upsert_member(db, member_no="A2", name="Budi", handles={"instagram": "budi_k"})
    assert len(kept(db)) == 3 and kept(db) == recount(db)

    # The handle moves to another member (INSERT OR REPLACE): the shares move with it.
    upsert_member(db, member_no="A2", name="Budi", handles={"instagram": "sari.ksp"})
    assert {row[1] for row in kept(db)} == {
        db.execute("SELECT id FROM members WHERE member_no = 'A2'").fetchone()[0]
    }
    assert kept(db) == recount(db)

    db.execute("UPDATE mentions SET organisation_id = ? WHERE text = 'post 3'", [coop])
    db.execute("DELETE FROM mentions WHERE text = 'post 1'")
    assert kept(db) == recount(db)

    forget_member(db, "A2")
    assert kept(db) == recount(db) == set()
