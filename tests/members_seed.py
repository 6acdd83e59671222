"""A small, hand-checkable members data set shared by the metric and page tests."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from citra.store import member_registry as member_store
from citra.store.mentions import insert_mentions, mention_id
from citra.store.organisations import set_profile
from collectors import whatsapp


def seed_members(db: Database, tmp_path: Path) -> Database:
    """Five members, one RAT, a chat and a public post; the numbers below are worked out by hand.

    M1 Bandung 2015 — attended the RAT and asked there.      (participant, engaged)
    M2 Bandung 2022 — attended; posted about the coop on IG. (participant, engaged, advocate)
    M3 Cimahi  2020 — asked in the WhatsApp group in May.    (engaged)
    M4 Cimahi  2024-06 — complained in the group (a complaint is not engagement).
    M5 Cimahi  2010, inactive — attended the RAT (not counted: inactive).
    """
    coop = set_profile(db, name="KSP Sejahtera", website="https://kspsejahtera.co.id")
    with db.atomic():
        for no, name, joined, status, branch in [
            ("M1", "Satu", "2015-01-12", "active", "Bandung"),
            ("M2", "Dua", "2022-03-01", "active", "Bandung"),
            ("M3", "Tiga", "2020-05-05", "active", "Cimahi"),
            ("M4", "Empat", "2024-06-01", "active", "Cimahi"),
            ("M5", "Lima", "2010-01-01", "inactive", "Cimahi"),
        ]:
            member_store.upsert_member(
                db,
                member_no=no,
                name=name,
                join_date=joined,
                status=status,
                branch=branch,
                handles={"instagram": "@Dua.IG"} if no == "M2" else None,
            )
    rat = member_store.add_event(db, "RAT 2024", kind="rat", date="2024-03-10")
    with db.atomic():
        for no, asked in [("M1", True), ("M2", False), ("M5", True)]:
            member_store.record_attendance(
                db, rat, member_store.find_member_id(db, no), asked=asked
            )
    chat = tmp_path / "WhatsApp Chat with Anggota.txt"
    chat.write_text(
        "05/05/24 10.00 - Tiga: Kapan SHU dibagikan?\n07/05/24 11.00 - Empat: SHU telat, kecewa\n",
        encoding="utf-8",
    )
    whatsapp.import_chat(db, chat)
    with db.atomic():
        insert_mentions(
            db,
            [
                {
                    "id": mention_id("instagram", "p1"),
                    "organisation_id": coop.id,
                    "platform": "instagram",
                    "author_handle": "@dua.ig",
                    "text": "Bangga jadi anggota KSP Sejahtera",
                    "published_at": "2024-07-01T03:00:00Z",
                }
            ],
        )
    return db
