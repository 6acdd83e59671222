"""Member registry and attendance imports, linking, erasure and the access rules."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from citra import access
from citra.cli import cli
from citra.errors import CitraError
from citra.privacy import normalise_phone
from citra.queries import engagement as queries
from citra.queries import member_registry
from citra.store import chats as chat_store
from citra.store import member_registry as member_store
from collectors import whatsapp
from collectors.limits import MAX_CELLS
from collectors.member_registry import (
    import_attendance,
    import_registry,
    map_headers,
    parse_flag,
)
from tests.conftest import FIXTURES

MEMBERS = FIXTURES / "members"


def load(name: str) -> dict:
    return json.loads((MEMBERS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("62 812-3456-7890", "6281234567890"),
        ("(0812) 3456 7890", "6281234567890"),
        ("81234567890", "6281234567890"),
        (81234567890.0, "6281234567890"),
        ("+65 9123 4567", "6591234567"),
        ("0812", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_phone(raw, normalised):
    assert normalise_phone(raw) == normalised


@pytest.mark.parametrize(
    ("headers", "fields"),
    [
        (["No. Anggota", "Nama", "No HP"], {0: "member_no", 1: "name", 2: "phone"}),
        (
            ["Member Number", "Full name", "Phone", "Phone 2"],
            {0: "member_no", 1: "name", 2: "phone", 3: "phone"},
        ),
        (
            ["nomor_anggota", "tgl masuk", "CABANG", "IG"],
            {0: "member_no", 1: "join_date", 2: "branch", 3: "instagram"},
        ),
        (["Kolom lain", "Status Anggota"], {1: "status"}),
    ],
)
def test_header_aliases(headers, fields):
    assert map_headers(headers) == fields


@pytest.mark.parametrize(
    ("cell", "default", "flag"),
    [
        ("Ya", False, True),
        ("hadir", False, True),
        ("x", False, True),
        (1, False, True),
        (1.0, False, True),
        (True, False, True),
        ("tidak", True, False),
        ("", True, True),
        ("", False, False),
        (None, True, True),
        (0, True, False),
        ("no", True, False),
    ],
)
def test_parse_flag(cell, default, flag):
    assert parse_flag(cell, default) is flag


def test_parse_flag_rejects_other_words():
    with pytest.raises(ValueError, match="neither yes nor no"):
        parse_flag("mungkin", False)


def test_registry_golden(db):
    want = load("registry_id.expected.json")
    summary = import_registry(db, MEMBERS / "registry_id.csv")
    assert (summary["added"], summary["updated"], summary["rejected"]) == (
        want["added"],
        want["updated"],
        want["rejected"],
    )
    assert [e["where"] for e in summary["errors"] if "line" in e["where"]][:2] == want[
        "rejected_lines"
    ]
    listed = {m["member_no"]: m for m in member_registry.list_members(db)}
    for number, expected in want["members"].items():
        for key, value in expected.items():
            assert listed[number][key] == value, (number, key)
        assert listed[number]["name"] is None  # names hidden unless asked for


def test_registry_reimport_updates_never_duplicates(db, tmp_path):
    import_registry(db, MEMBERS / "registry_id.csv")
    again = import_registry(db, MEMBERS / "registry_id.csv")
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 4)
    changed = tmp_path / "registry.csv"
    changed.write_text(
        "No Anggota,Nama,Status,Cabang\nA001,Siti Aminah,Keluar,Bandung\n", encoding="utf-8"
    )
    summary = import_registry(db, changed)
    assert summary["updated"] == 1
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 4
    assert db.execute("SELECT status FROM members WHERE member_no='A001'").fetchone()[0] == "left"


def test_registry_xlsx_english_headers(db, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Member ID", "Name", "Mobile", "Joined", "Status", "Branch", "TikTok"])
    sheet.append(["B1", "Ann", 81234567890, datetime(2021, 4, 1), "active", "Depok", "@ann"])
    sheet.append([2, "Ben", "0813-2222-3333", "2019-01-02", "left", "Depok", None])
    path = tmp_path / "members.xlsx"
    book.save(path)
    summary = import_registry(db, path)
    assert summary["added"] == 2 and summary["rejected"] == 0
    rows = {m["member_no"]: m for m in member_registry.list_members(db, show_names=True)}
    assert rows["B1"]["join_date"] == "2021-04-01" and rows["B1"]["name"] == "Ann"
    assert rows["2"]["status"] == "left"


def test_registry_without_member_number_column(db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Nama,HP\nSiti,0812\n", encoding="utf-8")
    with pytest.raises(CitraError, match=r"x.csv, line 1: no member number column"):
        import_registry(db, path)
    assert db.execute("SELECT count(*) FROM imports").fetchone()[0] == 0


def test_attendance_golden(db):
    want = load("attendance_rat.expected.json")
    import_registry(db, MEMBERS / "registry_id.csv")
    event_id = member_store.add_event(db, "RAT 2024", kind="rat", date="2024-03-10")
    summary = import_attendance(db, event_id, MEMBERS / "attendance_rat.csv")
    assert summary["added"] == want["added"]
    assert summary["unknown"] == want["unknown"]
    event = member_registry.list_events(db)[0]
    assert (event["attended"], event["asked"], event["proposed"], event["book_year"]) == (
        want["attended"],
        want["asked"],
        want["proposed"],
        2023,
    )


def test_link_and_forget(db, tmp_path):
    import_registry(db, MEMBERS / "registry_id.csv")
    chat = tmp_path / "WhatsApp Chat with Anggota.txt"
    chat.write_text(
        "01/02/24 10.00 - Bu Siti: Kapan RAT?\n"
        "01/02/24 10.05 - +62 813-1111-2222: Bulan Maret bu\n"
        "01/02/24 10.06 - Dewi: ok\n",
        encoding="utf-8",
    )
    summary = whatsapp.import_chat(db, chat)
    # Matched by phone hash (A002) and by registry name (Dewi); "Bu Siti" needs a hand link.
    assert summary["unmatched_senders"] == ["Bu Siti"]
    chat_store.link_sender(db, "Bu Siti", "A001")
    assert queries.unmatched_senders(db) == []
    # A later export matches the linked name by itself.
    erased = member_store.forget_member(db, "A001")
    assert {k: v for k, v in erased.items() if v} == {
        "members": 1,
        "senders": 1,
        "messages": 1,
        "handles": 2,
        "phones": 1,
    }
    dump = "\n".join(db.iterdump())
    assert "Siti" not in dump and "Kapan RAT" not in dump
    again = whatsapp.import_chat(db, chat)
    assert again["added"] == 0 and again["erased"] == 1
    assert import_registry(db, MEMBERS / "registry_id.csv")["skipped_erased"] == 1
    assert "Siti" not in "\n".join(db.iterdump())


def test_link_unknown_sender(db):
    import_registry(db, MEMBERS / "registry_id.csv")
    with pytest.raises(CitraError, match="No chat sender"):
        chat_store.link_sender(db, "Nobody", "A001")
    with pytest.raises(CitraError, match="No member"):
        member_store.forget_member(db, "Z9")


@pytest.mark.parametrize(
    ("role", "names", "messages"),
    [
        ("board", False, False),
        ("supervisor", False, False),
        ("comms", True, True),
        ("admin", True, True),
        ("hacker", False, False),
    ],
)
def test_access(monkeypatch, role, names, messages):
    monkeypatch.setenv("CITRA_ROLE", role)
    current = access.current_role()
    assert access.can_see_names(current) is names
    assert access.can_see_messages(current) is messages
    assert access.can_see_phones(current) is False


def test_access_default_role(monkeypatch):
    # Unset, the one local user of an installation without logins is its admin (issue 17);
    # a value naming no role still gets the least rights (the "hacker" case above).
    monkeypatch.delenv("CITRA_ROLE", raising=False)
    assert access.current_role() == access.ADMIN


def test_cli_flow(db_path):
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    assert "4 added" in run("members", "import", str(MEMBERS / "registry_id.csv"))
    listed = json.loads(run("members", "list", "--json"))
    assert len(listed["members"]) == 4 and all(m["name"] is None for m in listed["members"])
    assert "Siti Aminah" in run("members", "list", "--show-names")
    assert "Event 1" in run("events", "add", "RAT 2024", "--kind", "rat", "--date", "2024-03-10")
    assert "RAT 2024" in run("events", "list")
    out = json.loads(
        run("attendance", "import", "RAT 2024", str(MEMBERS / "attendance_rat.csv"), "--json")
    )
    assert out["unknown"] == [{"line": 5, "member": "A999"}]
    report = json.loads(run("members", "metrics", "--year", "2024", "--json"))
    assert report["funnel"][1]["count"] == 3
    assert "Funnel" in run("members", "metrics")
    assert "erased" in run("members", "forget", "A004", "--yes")
    bad = runner.invoke(cli, ["events", "add", "X", "--kind", "rat", "--date", "10-03-2024"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


MEMBER_COMMANDS = [
    ("members", "import"),
    ("members", "import-chat"),
    ("members", "list"),
    ("members", "link"),
    ("members", "forget"),
    ("members", "metrics"),
    ("events", "add"),
    ("events", "list"),
    ("attendance", "import"),
]


@pytest.mark.parametrize("command", MEMBER_COMMANDS, ids=" ".join)
def test_command_help_and_readme(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
    readme = (FIXTURES.parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"| `{' '.join(command)}` |" in readme


@pytest.mark.parametrize("kind", ["registry", "attendance"])
def test_a_row_too_large_is_rejected_with_its_line_and_the_rest_imported(db, tmp_path, kind):
    """A row of more cells than any table has (a broken export) is one rejected row, placed at
    its file and line; the rows around it are imported."""
    path = tmp_path / f"{kind}.csv"
    huge = ",".join(["x"] * (MAX_CELLS + 1))
    path.write_text(
        "No Anggota,Nama,Hadir\nA001,Siti Aminah,ya\n" + huge + "\nA002,Budi Santoso,ya\n",
        encoding="utf-8",
    )
    if kind == "registry":
        summary = import_registry(db, path)
        assert summary["added"] == 2
    else:
        import_registry(db, MEMBERS / "registry_id.csv")
        event_id = member_store.add_event(db, "RAT 2024", kind="rat", date="2024-03-10")
        summary = import_attendance(db, event_id, path)
        assert summary["added"] == 2
    assert summary["rejected"] == 1
    (error,) = summary["errors"]
    assert error["where"] == f"{kind}.csv, line 3"
    assert error["reason"].startswith("row too large")
