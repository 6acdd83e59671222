"""Members' public shares are kept in a table by triggers; it must always equal a full recount."""

from __future__ import annotations

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


def mention(n: int, handle: str | None, org: int | None, platform: str = "instagram") -> dict:
    return {
        "id": mention_id(platform, native_id=str(n)),
        "platform": platform,
        "text": f"post {n}",
        "author_handle": handle,
        "organisation_id": org,
        "published_at": f"2026-10-{n % 28 + 1:02d}T03:00:00Z",
    }


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
