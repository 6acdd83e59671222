"""Undoing a member-list or an attendance import: the registry and the attendance exactly as they
were before it, the rule for later changes (refused, naming the later import to undo first),
erasure winning over an undo, the Undo button of the import history and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlite_utils import Database
from streamlit.testing.v1 import AppTest

from citra import access, pipeline, store
from citra.access import EDITOR, Actor
from citra.cli import cli
from citra.errors import CitraError
from citra.store import chats as chat_store
from citra.store import member_registry as member_store
from citra.store.mentions import insert_mentions, mention_id
from citra.store.organisations import set_profile
from collectors.importer import Undone, import_history

HEADER = "No Anggota;Nama;No HP;Tanggal Masuk;Status;Cabang;Instagram;TikTok\n"
# Last year's list: three members.
FIRST = HEADER + (
    "A001;Siti Aminah;0812-3456-7890;12 Januari 2015;Aktif;Bandung;@siti.aminah;\n"
    "A002;Budi Santoso;+62 813 1111 2222 / 0857-0000-1111;01/03/2022;aktif;Bandung;@budi.ig;@budi\n"
    "A003;Ahmad;628199998888;2023-06-15;Tidak Aktif;Cimahi;;\n"
)
# This year's list: A001 renamed, a new phone, left, another branch, Budi's Instagram moved to
# her; A002 as it was (but its handle moved away); A003 as it was; A004 new.
SECOND = HEADER + (
    "A001;Siti Aminah Lubis;0812-9999-0000;12 Januari 2015;Keluar;Cimahi;@budi.ig;\n"
    "A002;Budi Santoso;+62 813 1111 2222 / 0857-0000-1111;01/03/2022;aktif;Bandung;;@budi\n"
    "A003;Ahmad;628199998888;2023-06-15;Tidak Aktif;Cimahi;;\n"
    "A004;Dewi;;31/12/2024;Aktif;;@dewi;\n"
)
# A list that moves A002 to another branch and drops his phone numbers.
THIRD = HEADER + "A002;Budi Santoso;;01/03/2022;aktif;Garut;;@budi\n"
ATTENDANCE_1 = "Nomor Anggota,Hadir,Bertanya,Usul\nA001,ya,ya,\nA002,hadir,,ya\nA003,tidak,,\n"
ATTENDANCE_2 = "Nomor Anggota,Hadir,Bertanya,Usul\nA001,ya,,\nA002,hadir,,ya\nA004,ya,ya,ya\n"
REGISTRY_TABLES = {
    "members": "SELECT * FROM members ORDER BY id",
    "member_phones": "SELECT * FROM member_phones ORDER BY 1, 2, 3",
    "member_handles": "SELECT * FROM member_handles ORDER BY 1, 2, 3",
    "member_public_shares": "SELECT * FROM member_public_shares ORDER BY 1, 2",
    "member_share_buckets": "SELECT * FROM member_share_buckets ORDER BY 1, 2",
}


def snapshot(db: Database, tables: dict[str, str] = REGISTRY_TABLES) -> dict[str, list[Any]]:
    """Every column of every row of ``tables`` (the phone and handle hashes included)."""
    return {name: db.execute(sql).fetchall() for name, sql in tables.items()}


def attendance(db: Database) -> list[tuple[Any, ...]]:
    return db.execute("SELECT * FROM attendance ORDER BY event_id, member_id").fetchall()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    found = {}
    for name, text in {
        "first": FIRST,
        "second": SECOND,
        "third": THIRD,
        "att1": ATTENDANCE_1,
        "att2": ATTENDANCE_2,
    }.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        found[name] = path
    return found


@pytest.fixture
def db(tmp_path: Path) -> Database:
    """A file database with the coop and a public post by @budi.ig (a share once a member has
    that handle)."""
    db = store.open_db(tmp_path / "citra.db")
    coop = set_profile(db, name="KSP Sejahtera")
    with db.atomic():
        insert_mentions(
            db,
            [
                {
                    "id": mention_id("instagram", "p1"),
                    "platform": "instagram",
                    "native_id": "p1",
                    "text": "Senang jadi anggota KSP Sejahtera",
                    "author": "budi.ig",
                    "author_handle": "budi.ig",
                    "published_at": "2026-05-02T03:00:00Z",
                    "organisation_id": coop.id,
                }
            ],
        )
    return db


def test_undo_of_a_second_list_gives_back_the_first_and_of_the_first_an_empty_registry(
    db: Database, files: dict[str, Path]
) -> None:
    first = pipeline.import_registry(db, files["first"])
    after_first = snapshot(db)
    assert after_first["member_public_shares"] and len(after_first["members"]) == 3

    second = pipeline.import_registry(db, files["second"])
    assert (second["added"], second["updated"]) == (1, 1)
    changed = snapshot(db)
    assert changed != after_first
    assert [r[1] for r in changed["member_public_shares"]] == [1]  # Budi's post: now A001's

    undone = pipeline.undo(db, second["import_id"])
    assert (undone.members_removed, undone.members_restored) == (1, 2)  # A004; A001, A002
    assert undone.message("en") == (
        f"Import #{second['import_id']} undone: 1 members removed, 2 restored to their earlier "
        "details."
    )
    assert undone.message("id") == (
        f"Impor #{second['import_id']} dibatalkan: 1 anggota dihapus, 2 dikembalikan ke data "
        "sebelumnya."
    )
    assert snapshot(db) == after_first
    kept = "SELECT count(*) FROM member_import_before WHERE import_id = ?"
    assert db.execute(kept, [second["import_id"]]).fetchone()[0] == 0

    undone = pipeline.undo(db, first["import_id"])
    assert (undone.members_removed, undone.members_restored) == (3, 0)
    assert all(rows == [] for rows in snapshot(db).values())
    statuses = {item["id"]: item["status"] for item in import_history(db)}
    assert statuses[first["import_id"]] == statuses[second["import_id"]] == "undone"


def test_a_list_changed_by_a_later_list_waits_for_that_one(
    db: Database, files: dict[str, Path]
) -> None:
    first = pipeline.import_registry(db, files["first"])
    second = pipeline.import_registry(db, files["second"])
    before = snapshot(db)
    with pytest.raises(CitraError) as refused:
        pipeline.undo(db, first["import_id"])
    assert refused.value.values == {
        "id": first["import_id"],
        "later": second["import_id"],
        "file": "second.csv",
        "count": 2,
    }
    assert f"Undo import #{second['import_id']} first." in str(refused.value)
    assert "Batalkan dulu impor" in refused.value.describe("id")
    assert snapshot(db) == before  # nothing changed
    assert import_history(db)[-1]["status"] == "done"
    pipeline.undo(db, second["import_id"])
    pipeline.undo(db, first["import_id"])
    assert snapshot(db)["members"] == []


def test_a_later_list_that_left_the_members_as_they_were_does_not_block(
    db: Database, files: dict[str, Path]
) -> None:
    first = pipeline.import_registry(db, files["first"])
    again = pipeline.import_registry(db, files["first"])
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 3)
    pipeline.undo(db, first["import_id"])
    assert snapshot(db)["members"] == []


def test_only_the_newest_of_three_lists_touching_a_member_is_named(
    db: Database, files: dict[str, Path]
) -> None:
    first = pipeline.import_registry(db, files["first"])
    pipeline.import_registry(db, files["second"])
    third = pipeline.import_registry(db, files["third"])
    with pytest.raises(CitraError) as refused:
        pipeline.undo(db, first["import_id"])
    assert refused.value.values["later"] == third["import_id"]


def test_members_a_list_added_are_not_removed_while_a_later_attendance_list_counts_them(
    db: Database, files: dict[str, Path]
) -> None:
    first = pipeline.import_registry(db, files["first"])
    event = member_store.add_event(db, "RAT 2025", kind="rat", date="2025-03-10")
    rat = pipeline.import_attendance(db, event, files["att1"])
    with pytest.raises(CitraError) as refused:
        pipeline.undo(db, first["import_id"])
    assert refused.value.template.startswith("Import #{id} cannot be undone: attendance import")
    assert refused.value.values["later"] == rat["import_id"]
    pipeline.undo(db, rat["import_id"])
    pipeline.undo(db, first["import_id"])
    assert snapshot(db)["members"] == [] and attendance(db) == []


@pytest.mark.parametrize("by_hand", ["attendance", "chat link"])
def test_members_a_list_added_are_not_removed_once_something_was_recorded_by_hand(
    db: Database, files: dict[str, Path], by_hand: str
) -> None:
    from collectors import whatsapp

    first = pipeline.import_registry(db, files["first"])
    if by_hand == "attendance":
        event = member_store.add_event(db, "Rapat", kind="meeting", date="2025-03-10")
        member_store.record_member_attendance(db, event, "A003")
    else:
        chat = files["first"].parent / "chat.txt"
        chat.write_text("12/05/2026, 09:15 - Bu Siti: Kapan RAT?\n", encoding="utf-8")
        whatsapp.import_chat(db, chat, group="Anggota")
        chat_store.link_sender(db, "Bu Siti", "A001")
    before = snapshot(db)
    with pytest.raises(CitraError) as refused:
        pipeline.undo(db, first["import_id"])
    assert "recorded by hand" in str(refused.value)
    assert "dicatat manual" in refused.value.describe("id")
    assert snapshot(db) == before


def test_a_list_changed_outside_any_import_is_refused(db: Database, files: dict[str, Path]) -> None:
    first = pipeline.import_registry(db, files["first"])
    with db.atomic():
        member_store.upsert_member(db, member_no="A003", name="Ahmad", status="left")
    with pytest.raises(CitraError, match="changed after it outside any import"):
        pipeline.undo(db, first["import_id"])


def test_an_erased_member_stays_erased_and_leaves_no_before_image(
    db: Database, files: dict[str, Path]
) -> None:
    first = pipeline.import_registry(db, files["first"])
    second = pipeline.import_registry(db, files["second"])
    siti = db.execute("SELECT id FROM members WHERE member_no = 'A001'").fetchone()[0]
    # A001 now holds @budi.ig (moved from A002 by the second list): A002's before-image of the
    # second list names it.
    assert (
        "budi.ig"
        in db.execute(
            "SELECT handles FROM member_import_before WHERE import_id = ? AND member_id = 2",
            [second["import_id"]],
        ).fetchone()[0]
    )
    pipeline.forget_member(db, "A001")
    assert (
        db.execute(
            "SELECT count(*) FROM member_import_before WHERE member_id = ?", [siti]
        ).fetchone()[0]
        == 0
    )
    kept = " ".join(str(row) for row in db.execute("SELECT * FROM member_import_before").fetchall())
    assert "Siti" not in kept and "budi.ig" not in kept

    pipeline.undo(db, second["import_id"])
    pipeline.undo(db, first["import_id"])
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM member_handles").fetchone()[0] == 0
    assert member_store.is_forgotten(db, "A001")
    # and a member erased before any undo: an undo of the list that added her brings nothing
    third = pipeline.import_registry(db, files["first"])
    assert third["skipped_erased"] == 1
    pipeline.undo(db, third["import_id"])
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 0


def test_attendance_undo_removes_what_it_added_and_restores_what_it_overwrote(
    db: Database, files: dict[str, Path]
) -> None:
    pipeline.import_registry(db, files["second"])
    event = member_store.add_event(db, "RAT 2025", kind="rat", date="2025-03-10")
    first = pipeline.import_attendance(db, event, files["att1"])
    after_first = attendance(db)
    assert len(after_first) == 3
    second = pipeline.import_attendance(db, event, files["att2"])
    assert (second["added"], second["updated"]) == (1, 2)
    assert attendance(db) != after_first

    with pytest.raises(CitraError) as refused:
        pipeline.undo(db, first["import_id"])
    assert refused.value.values["later"] == second["import_id"]
    assert "catatan yang sama" in refused.value.describe("id")

    undone = pipeline.undo(db, second["import_id"])
    assert (undone.attendance_removed, undone.attendance_restored) == (1, 2)
    assert undone.message("id") == (
        f"Impor #{second['import_id']} dibatalkan: 1 catatan kehadiran dihapus, 2 dikembalikan "
        "ke isian sebelumnya."
    )
    assert attendance(db) == after_first
    undone = pipeline.undo(db, first["import_id"])
    assert (undone.attendance_removed, undone.attendance_restored) == (3, 0)
    assert attendance(db) == []


def test_attendance_changed_by_hand_after_its_import_is_not_undone(
    db: Database, files: dict[str, Path]
) -> None:
    pipeline.import_registry(db, files["second"])
    event = member_store.add_event(db, "RAT 2025", kind="rat", date="2025-03-10")
    first = pipeline.import_attendance(db, event, files["att1"])
    member_store.record_member_attendance(db, event, "A001", asked=False)
    before = attendance(db)
    with pytest.raises(CitraError, match="changed by hand after it") as refused:
        pipeline.undo(db, first["import_id"])
    assert "diubah manual" in refused.value.describe("id")
    assert attendance(db) == before


def test_imports_from_before_the_before_images_cannot_be_undone(
    db: Database, files: dict[str, Path]
) -> None:
    first = pipeline.import_registry(db, files["first"])
    db.execute("UPDATE import_before_images_since SET started_at = '2999-01-01T00:00:00Z'")
    with pytest.raises(CitraError, match="made before Citra kept"):
        pipeline.undo(db, first["import_id"])
    assert len(snapshot(db)["members"]) == 3


def test_the_undo_is_audited_with_its_counts_and_needs_an_editor(
    db: Database, files: dict[str, Path]
) -> None:
    first = pipeline.import_registry(db, files["first"])
    with access.acting(Actor("pak.harjo", "viewer")), pytest.raises(access.AccessDenied):
        pipeline.undo(db, first["import_id"])
    with access.acting(Actor("dimas", EDITOR)):
        pipeline.undo(db, first["import_id"])
    rows = db.execute(
        "SELECT role, action, target, detail FROM audit_log WHERE actor = 'dimas'"
    ).fetchall()
    assert [row[:3] for row in rows] == [(EDITOR, "import undone", str(first["import_id"]))]
    assert json.loads(rows[0][3]) == {"members_removed": 3, "members_restored": 0}


def test_the_demo_keeps_no_before_images_after_its_removal(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "demo.db")
    pipeline.seed_demo(db, scale=0.05, seed=3)
    assert db.execute("SELECT count(*) FROM member_import_before").fetchone()[0] == 0
    pipeline.remove_demo(db)
    assert db.execute("SELECT count(*) FROM attendance_import_before").fetchone()[0] == 0


# --- the import history (Sources page) and the CLI ---------------------------------------------


def _app() -> None:
    from citra.i18n import Translator
    from pages.sources_imports import render

    render(Translator("id"))


@pytest.fixture
def page_db(db_path: Path, files: dict[str, Path]) -> dict[str, int]:
    import streamlit as st

    st.cache_data.clear()
    db = store.open_db(db_path)
    ids = {
        "first": pipeline.import_registry(db, files["first"])["import_id"],
        "second": pipeline.import_registry(db, files["second"])["import_id"],
    }
    event = member_store.add_event(db, "RAT 2025", kind="rat", date="2025-03-10")
    ids["attendance"] = pipeline.import_attendance(db, event, files["att1"])["import_id"]
    db.close()
    yield ids
    st.cache_data.clear()


def test_the_history_offers_undo_for_member_and_attendance_lists(
    db_path: Path, page_db: dict[str, int]
) -> None:
    at = AppTest.from_function(_app).run()
    assert not at.exception
    keys = {button.key for button in at.button}
    assert {f"imports-undo-{i}" for i in page_db.values()} <= keys

    at.button(key=f"imports-undo-{page_db['first']}").click().run()
    assert not at.exception
    assert any(
        f"Impor #{page_db['first']} tidak dapat dibatalkan" in e.value
        and f"impor daftar anggota #{page_db['second']}" in e.value
        for e in at.error
    )
    assert not any("Siti" in e.value or "0812" in e.value for e in at.error)

    at.button(key=f"imports-undo-{page_db['attendance']}").click().run()
    assert not at.exception
    db = store.open_db(db_path)
    assert attendance(db) == []
    statuses = {item["id"]: item["status"] for item in import_history(db)}
    assert statuses[page_db["attendance"]] == "undone"
    db.close()
    at.run()
    assert f"imports-undo-{page_db['attendance']}" not in {b.key for b in at.button}
    at.button(key=f"imports-undo-{page_db['second']}").click().run()
    at.button(key=f"imports-undo-{page_db['first']}").click().run()
    assert not at.exception
    db = store.open_db(db_path)
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 0
    db.close()


def test_cli_undoes_a_member_list_and_says_why_it_will_not(
    db_path: Path, files: dict[str, Path]
) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["members", "import", str(files["first"])])
    assert first.exit_code == 0 and "Undo with: python -m citra imports undo 1" in first.output
    runner.invoke(cli, ["members", "import", str(files["second"])])
    refused = runner.invoke(cli, ["imports", "undo", "1"])
    assert refused.exit_code == 2
    assert "member-list import #2 (second.csv)" in refused.output
    assert "Traceback" not in refused.output
    done = runner.invoke(cli, ["imports", "undo", "2"])
    assert done.exit_code == 0
    assert "Import #2 undone: 1 members removed, 2 restored" in done.output


@pytest.mark.parametrize(
    ("undone", "lang", "expected"),
    [
        (Undone(7, "members", members_restored=5000), "id",
         "Impor #7 dibatalkan: 0 anggota dihapus, 5.000 dikembalikan ke data sebelumnya."),
        (Undone(7, "attendance", attendance_removed=1200), "en",
         "Import #7 undone: 1,200 attendance records removed, 0 restored to their earlier values."),
        (Undone(7, "file", mentions=1500), "id", "Impor #7 dibatalkan: 1.500 sebutan dihapus."),
    ],
)  # fmt: skip
def test_the_undo_sentence_writes_numbers_for_its_language(
    undone: Undone, lang: str, expected: str
) -> None:
    assert undone.message(lang) == expected
