"""WhatsApp chat exports: every layout, golden fixtures with their expected counts beside them."""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from citra.cli import cli
from citra.errors import CitraError
from citra.store.organisations import set_profile
from collectors import whatsapp
from tests.conftest import FIXTURES

CHATS = FIXTURES / "whatsapp"


def expected(name: str) -> dict:
    return json.loads((CHATS / f"{name}.expected.json").read_text(encoding="utf-8"))


ALL = sorted(p.stem for p in CHATS.glob("*.txt"))
GOLDEN = [name for name in ALL if "error" not in expected(name)]
REFUSED = [name for name in ALL if "error" in expected(name)]
# Keys a fixture may state beyond the counts every one states.
OPTIONAL = ("group", "captions", "calls", "date_order", "date_order_certain")


@pytest.fixture
def coop_db(db):
    set_profile(
        db,
        name="KSP Sejahtera",
        website="https://kspsejahtera.co.id",
        accounts={"instagram": "@kspsejahtera"},
    )
    return db


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_chat(coop_db, name):
    want = expected(name)
    summary = whatsapp.import_chat(coop_db, CHATS / f"{name}.txt")
    for key in ("messages", "media", "deleted", "system", "edited", "senders", "first", "last"):
        assert summary[key] == want[key], key
    for key in OPTIONAL:
        if key in want:
            assert summary[key] == want[key], key
    assert bool(summary["notes"]) == (not summary["date_order_certain"])
    assert summary["format"] == "whatsapp"
    assert summary["added"] == sum(summary[k] for k in ("messages", "media", "deleted", "system"))
    assert summary["duplicates"] == 0
    categories = Counter(
        row[0]
        for row in coop_db.execute(
            "SELECT category FROM chat_messages WHERE kind = 'text'"
        ).fetchall()
    )
    assert dict(categories) == want["categories"]
    texts = [r[0] for r in coop_db.execute("SELECT text FROM chat_messages").fetchall()]
    for text in want.get("texts", []) + ([want["multiline"]] if "multiline" in want else []):
        assert text in texts
    again = whatsapp.import_chat(coop_db, CHATS / f"{name}.txt")
    assert (again["added"], again["duplicates"]) == (0, summary["added"])


@pytest.mark.parametrize("name", REFUSED)
def test_refused_chat_says_why(db, name):
    with pytest.raises(CitraError) as caught:
        whatsapp.import_chat(db, CHATS / f"{name}.txt")
    assert expected(name)["error"] in str(caught.value)
    assert db.execute("SELECT count(*) FROM chat_messages").fetchone()[0] == 0


@pytest.mark.parametrize("name", GOLDEN)
def test_sniff_recognises_every_layout(name):
    head = (CHATS / f"{name}.txt").read_text(encoding="utf-8")[:4096]
    assert whatsapp.sniff(head)


@pytest.mark.parametrize(
    "head",
    ["Name,Phone\nBudi,0812\n", "", "hello\n", "<rss><channel></channel></rss>"],
)
def test_sniff_rejects_other_files(head):
    assert not whatsapp.sniff(head)


def test_not_a_chat_names_the_first_line(db):
    with pytest.raises(CitraError, match=r"not_a_chat.txt, line 1: .*'Name,Phone'"):
        whatsapp.import_chat(db, CHATS / "not_a_chat.txt")
    assert db.execute("SELECT count(*) FROM chat_messages").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM imports").fetchone()[0] == 0


def test_leading_blank_lines_then_garbage(db, tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("\n\nnot a chat\n", encoding="utf-8")
    with pytest.raises(CitraError, match="line 3"):
        whatsapp.import_chat(db, path)


def test_impossible_date_is_reported_with_its_line(db, tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("31/12/23 21.00 - A: x\n31/13/23 21.00 - A: y\n", encoding="utf-8")
    with pytest.raises(CitraError, match="line 2"):
        whatsapp.import_chat(db, path)
    assert db.execute("SELECT count(*) FROM chat_messages").fetchone()[0] == 0


def test_reimport_adds_nothing(coop_db):
    path = CHATS / "android_id_24h_dot.txt"
    first = whatsapp.import_chat(coop_db, path)
    again = whatsapp.import_chat(coop_db, path)
    assert again["added"] == 0
    assert again["duplicates"] == first["added"]


def test_later_export_adds_only_new_messages(db, tmp_path):
    early = tmp_path / "WhatsApp Chat with Anggota.txt"
    later = tmp_path / "WhatsApp Chat with Anggota (1).txt"
    lines = [
        "01/02/24 10.00 - Budi: ok",
        "01/02/24 10.00 - Budi: ok",
        "01/02/24 10.01 - Siti: Kapan rapat?",
    ]
    early.write_text("\n".join(lines) + "\n", encoding="utf-8")
    more = [*lines, "01/02/24 10.00 - Budi: ok", "02/02/24 09.00 - Budi: Besok."]
    later.write_text("\n".join(more) + "\n", encoding="utf-8")
    assert whatsapp.import_chat(db, early)["added"] == 3
    summary = whatsapp.import_chat(db, later)
    assert (summary["added"], summary["duplicates"]) == (2, 3)
    assert db.execute("SELECT count(*) FROM chat_groups").fetchone()[0] == 1


def test_zip_from_the_phone(coop_db, tmp_path):
    archive = tmp_path / "WhatsApp Chat - Coop Members.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(CHATS / "ios_en_bracketed_seconds.txt", "_chat.txt")
        out.writestr("00000003-PHOTO-2024-01-05-09-03-00.jpg", b"\xff\xd8")
    summary = whatsapp.import_chat(coop_db, archive)
    want = expected("ios_en_bracketed_seconds")
    assert (summary["messages"], summary["first"]) == (want["messages"], want["first"])
    assert summary["group"] == "Coop Members"


def test_phone_numbers_never_stored(db):
    whatsapp.import_chat(db, CHATS / "android_id_24h_dot.txt")
    dump = "\n".join(db.iterdump())
    for fragment in ("812-3456-7890", "8123456789", "6281234567890"):
        assert fragment not in dump
    assert "#" in " ".join(
        whatsapp.import_chat(db, CHATS / "android_id_24h_dot.txt")["unmatched_senders"]
    )


@pytest.mark.parametrize(
    ("file_name", "group"),
    [
        ("WhatsApp Chat with Anggota KSP.txt", "Anggota KSP"),
        ("WhatsApp Chat - Anggota KSP.zip", "Anggota KSP"),
        ("Chat WhatsApp dengan Pengurus.txt", "Pengurus"),
        ("WhatsApp Chat with Anggota KSP (2).txt", "Anggota KSP"),
        ("export.txt", "export"),
    ],
)
def test_group_name_from_file(file_name, group):
    assert whatsapp.group_name_from_file(file_name) == group


def test_cli_import_chat_json(db_path):
    result = CliRunner().invoke(
        cli, ["members", "import-chat", str(CHATS / "android_en_gb_24h_4digit.txt"), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["messages"] == 2 and summary["format"] == "whatsapp"


def test_cli_bad_chat_exit_2(db_path):
    result = CliRunner().invoke(cli, ["members", "import-chat", str(CHATS / "not_a_chat.txt")])
    assert result.exit_code == 2
    assert "line 1" in result.output
    from citra import store

    db = store.open_db(db_path)
    status, errors = db.execute("SELECT status, errors FROM imports").fetchone()
    assert status == "failed" and "line 1" in errors


def test_salt_file_beside_the_database(db_path):
    from citra import store
    from citra.privacy import phone_hash

    db = store.open_db(db_path)
    digest = phone_hash(db, "0812-3456-7890")
    salt_file = Path(str(db_path) + ".salt")
    assert salt_file.exists()
    assert salt_file.stat().st_mode & 0o777 == 0o600
    assert digest == phone_hash(db, "+62 812 3456 7890") == phone_hash(db, "6281234567890")


def test_progress_reports_lines(db):
    calls = []
    whatsapp.import_chat(
        db,
        CHATS / "android_id_24h_dot.txt",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1] == (14, 14)


def test_line_in_another_layout_joins_the_previous_message(db, tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(
        "31/12/23 21.00 - Budi: Jadwal:\n"
        "12/01/2024, 10:00 - rapat pengurus\n"
        "[01/01/24 09.00.00] catatan\n"
        "31/12/23 21.05 - Siti: ok\n",
        encoding="utf-8",
    )
    summary = whatsapp.import_chat(db, path)
    assert summary["messages"] == 2
    texts = [r[0] for r in db.execute("SELECT text FROM chat_messages ORDER BY sent_at")]
    assert texts[0] == "Jadwal:\n12/01/2024, 10:00 - rapat pengurus\n[01/01/24 09.00.00] catatan"


def test_ios_group_notice_without_direction_mark(db, tmp_path):
    path = tmp_path / "WhatsApp Chat - Coop Members.txt"
    path.write_text(
        "[1/5/24, 9:00:00 AM] Coop Members: John Doe added Mary\n"
        "[1/5/24, 9:01:00 AM] Mary: Budi added Ani to the list, right?\n",
        encoding="utf-8",
    )
    summary = whatsapp.import_chat(db, path)
    assert (summary["system"], summary["messages"]) == (1, 1)


def test_phone_number_in_a_sender_name_is_masked(db, tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("31/12/23 21.00 - Budi 0812-3456-7890: halo, hubungi 0813 2222 3333\n")
    whatsapp.import_chat(db, path)
    # The chat tables only: the migrations table's timestamps may hold any digits.
    dump = "\n".join(
        str(row)
        for table in ("chat_groups", "chat_senders", "chat_messages")
        for row in db.execute(f"SELECT * FROM {table}")
    )
    assert "3456" not in dump and "2222" not in dump
    assert "Budi [nomor]" in dump


@pytest.mark.parametrize(
    ("line", "local"),
    [
        ("2024-01-15 14:30 - A: x", "2024-01-15T14:30:00"),
        ("15.01.24, 14:30 - A: x", "2024-01-15T14:30:00"),
        ("1/15/24, 12:05 AM - A: x", "2024-01-15T00:05:00"),
        ("1/15/24, 12:05 p.m. - A: x", "2024-01-15T12:05:00"),
        ("[15/01/2024, 09:05:07] A: x", "2024-01-15T09:05:07"),
        ("15/01/24 pukul 21.05 - A: x", "2024-01-15T21:05:00"),
    ],
)
def test_header_variants(db, tmp_path, line, local):
    path = tmp_path / "chat.txt"
    path.write_text(line + "\n", encoding="utf-8")
    summary = whatsapp.import_chat(db, path)
    assert (summary["first"], summary["messages"]) == (local, 1)
