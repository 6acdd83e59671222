"""Erasure removes a member everywhere, and deleted words leave the full-text index's shadow
tables (after ``members forget`` and after an undo)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from citra import pipeline, store
from citra.store.member_registry import upsert_member
from citra.store.mentions import insert_mentions, mention_id
from citra.store.organisations import set_profile
from collectors import whatsapp

TOKEN = "xqzvwortlaut"  # a word no other term shares a prefix with (the index compresses prefixes)


def shadow_bytes(db: Database) -> bytes:
    """Everything the full-text index keeps: its data blocks, terms, sizes and config."""
    parts: list[bytes] = []
    for table in ("mentions_fts_data", "mentions_fts_idx", "mentions_fts_docsize"):
        for row in db.execute(f"SELECT * FROM {table}"):  # noqa: S608 - fixed names
            parts += [v if isinstance(v, bytes) else str(v).encode() for v in row]
    return b"\x00".join(parts)


def own_and_other(coop: int) -> list[dict[str, object]]:
    """A post by the member (their handle) and one by someone else."""
    return [
        {
            "id": mention_id("instagram", native_id="1"),
            "platform": "instagram",
            "text": f"Saya Sari, anggota KSP Sejahtera {TOKEN} 0813-1111-2222",
            "author": "Sari Wulandari",
            "author_handle": "sari.ksp",
            "organisation_id": coop,
            "published_at": "2026-10-02T03:00:00Z",
            "raw": json.dumps({"owner": "Sari Wulandari", "phone": "0813-1111-2222"}),
        },
        {
            "id": mention_id("instagram", native_id="2"),
            "platform": "instagram",
            "text": "Pelayanan KSP Sejahtera bagus",
            "author_handle": "orang.lain",
            "organisation_id": coop,
            "published_at": "2026-10-03T03:00:00Z",
        },
    ]


def setup(tmp_path: Path) -> Database:
    db = store.open_db(tmp_path / "citra.db")
    coop = set_profile(db, name="KSP Sejahtera").id
    upsert_member(db, member_no="A1", name="Sari Wulandari", handles={"instagram": "@sari.ksp"})
    upsert_member(db, member_no="A2", name="Budi Hartono")
    with db.atomic():  # the caller owns the transaction
        insert_mentions(db, own_and_other(coop))
    chat = tmp_path / "WhatsApp Chat with Anggota KSP.txt"
    chat.write_text(
        "01/10/26 09.00 - Budi Hartono menambahkan Sari Wulandari\n"
        "01/10/26 10.00 - Sari Wulandari: Kapan RAT? xqzvchat\n"
        "01/10/26 10.05 - Budi Hartono: Bulan depan bu Sari Wulandari\n",
        encoding="utf-8",
    )
    whatsapp.import_chat(db, chat)
    with db.atomic():
        db.execute(
            "UPDATE chat_senders SET member_id = (SELECT id FROM members WHERE member_no = 'A1') "
            "WHERE name = 'Sari Wulandari'"
        )
    pipeline.rescore(db)
    return db


def test_forget_removes_the_member_everywhere_and_says_what(tmp_path: Path) -> None:
    db = setup(tmp_path)
    dump = "\n".join(db.iterdump())
    assert "Sari Wulandari" in dump and TOKEN.encode() in shadow_bytes(db)
    assert db.execute("SELECT count(*) FROM chat_messages WHERE kind = 'system'").fetchone()[0]

    erased = pipeline.forget_member(db, "A1")

    assert erased["members"] == 1 and erased["mentions"] == 1 and erased["messages"] == 1
    assert erased["system_lines"] == 1 and erased["names_redacted"] == 1
    assert erased["public_shares"] == 1 and erased["handles"] == 1
    dump = "\n".join(db.iterdump())
    for trace in ("Wulandari", "sari.ksp", "0813", TOKEN, "xqzvchat", "Kapan RAT"):
        assert trace not in dump, trace
    assert TOKEN.encode() not in shadow_bytes(db)
    assert db.execute(
        "SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH ?", [TOKEN]
    ).fetchone() == (0,)
    # The rest stays: the other mention, the other member, the redacted reply.
    assert db.execute("SELECT count(*) FROM mentions").fetchone() == (1,)
    assert db.execute("SELECT sum(mentions) FROM mention_daily").fetchone() == (1,)
    assert "Bulan depan bu [dihapus]" in dump and "Budi Hartono" in dump
    # Nothing of it is left in the file on disk either (secure delete, WAL checkpointed).
    db.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("citra.db*") if p.suffix != ".salt")
    assert b"Wulandari" not in raw and TOKEN.encode() not in raw


def test_undo_takes_the_words_out_of_the_index(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "citra.db")
    set_profile(db, name="KSP Sejahtera")
    export = tmp_path / "export.csv"
    export.write_text(
        "date,text,url,author\n"
        f"2026-10-02 10:00,KSP Sejahtera {TOKEN} mantap,https://x.example/1,Penulis\n",
        encoding="utf-8",
    )
    result = pipeline.import_file(db, export)
    assert TOKEN.encode() in shadow_bytes(db)
    pipeline.undo(db, result["import_id"])
    assert TOKEN.encode() not in shadow_bytes(db)
    db.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("citra.db*") if p.suffix != ".salt")
    assert TOKEN.encode() not in raw
