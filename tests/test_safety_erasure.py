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


# --- nothing of the member anywhere: every table, every column ---------------------------------

MEMBER_COLUMNS = ("member_id",)  # columns that point at a member, in any table


def every_cell(db: Database) -> list[tuple[str, str, object]]:
    """(table, column, value) for every cell of every table (shadow tables of the full-text
    index included), read straight from SQLite."""
    cells = []
    for table in db.table_names():
        columns = [c.name for c in db[table].columns]
        for row in db.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - names from SQLite
            cells += [(table, column, value) for column, value in zip(columns, row, strict=True)]
    return cells


def test_no_row_anywhere_holds_the_member_after_erasure(tmp_path: Path) -> None:
    from citra.ambassadors import ambassadors
    from citra.store.member_registry import add_engagement_action
    from citra.store.narratives import set_ambassador_rule

    db = setup(tmp_path)
    member_id = db.execute("SELECT id FROM members WHERE member_no = 'A1'").fetchone()[0]
    own_post = db.execute("SELECT id, seq FROM mentions WHERE author_key = 'sari.ksp'").fetchone()
    # The narratives side: a narrative carried by the member's post, a share recorded by hand,
    # the ambassador rule; the speed branch's share buckets count the public share.
    pipeline.save_narrative(db, "Anggota bercerita", keywords=["anggota"])
    add_engagement_action(
        db, member_id, kind="share", occurred_at="2026-10-04T03:00:00Z",
        note="Sari Wulandari membagikan brosur",
    )  # fmt: skip
    set_ambassador_rule(db, 1)
    assert [a.member_no for a in ambassadors(db, "2026-10", show_names=True)] == ["A1"]
    assert db.execute(
        "SELECT count(*) FROM member_share_buckets WHERE member_id = ?", [member_id]
    ).fetchone()[0]
    assert db.execute(
        "SELECT count(*) FROM mention_narratives WHERE mention_seq = ?", [own_post[1]]
    ).fetchone()[0]
    found = {(t, c) for t, c, v in every_cell(db) if "Wulandari" in str(v) or v == member_id}
    assert {("members", "name"), ("engagement_actions", "note"), ("mentions", "author")} <= found
    assert ("member_share_buckets", "member_id") in found

    pipeline.forget_member(db, "A1")

    traces = ("Sari Wulandari", "Wulandari", "sari.ksp", "membagikan brosur", TOKEN)
    for table, column, value in every_cell(db):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        for trace in traces:
            assert trace.lower() not in text.lower(), (table, column, trace)
        if column in MEMBER_COLUMNS:
            assert value != member_id, (table, column)
        if column in ("mention_id", "mention_seq"):
            assert value not in own_post, (table, column)
        # The member number stays only where the erasure itself is recorded: the append-only
        # audit log says who erased which member and when (accountability, UU PDP art. 47).
        if table != "audit_log" and column not in ("member_no_hash", "handle_hash"):
            assert text != "A1" and "'A1'" not in text and '"A1"' not in text, (table, column)
    assert ambassadors(db, "2026-10", show_names=True) == []
    assert db.execute("SELECT count(*) FROM forgotten_handles").fetchone() == (1,)


def test_a_reimport_does_not_bring_an_erased_members_posts_back(tmp_path: Path) -> None:
    db = setup(tmp_path)
    coop = db.execute("SELECT id FROM organisations WHERE kind = 'self'").fetchone()[0]
    pipeline.forget_member(db, "A1")
    # The old export again, straight to the store and through an import of a file: the post by
    # the erased member's handle (any spelling of it) is skipped, the other one is a duplicate.
    again = own_and_other(coop)
    again[0] = {**again[0], "author_handle": " @Sari.KSP "}
    with db.atomic():
        assert insert_mentions(db, again) == (0, 2)
    export = tmp_path / "mentions.csv"
    export.write_text(
        "date,text,url,author,handle\n"
        f"2026-10-05 10:00,KSP Sejahtera {TOKEN} lagi,https://instagram.com/p/9,Sari W,sari.ksp\n"
        "2026-10-05 11:00,KSP Sejahtera ramah,https://instagram.com/p/10,Andi,andi.k\n",
        encoding="utf-8",
    )
    summary = pipeline.import_file(db, export)
    assert summary["added"] == 1, summary
    stored = [r[0] for r in db.execute("SELECT author_key FROM mentions ORDER BY seq")]
    assert "sari.ksp" not in stored and "andi.k" in stored
    assert TOKEN not in "\n".join(db.iterdump())
    # One hash per erased handle, nothing in clear.
    assert db.execute("SELECT count(*) FROM forgotten_handles").fetchone() == (1,)
