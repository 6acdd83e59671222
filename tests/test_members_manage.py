"""Managing members in the app: member list, events, attendance lists and chat senders, for the
roles allowed to; an empty Members page says what to do next instead of drawing empty charts."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from citra import store
from citra.i18n import Translator
from pages import members_manage
from tests.conftest import FIXTURES, ROOT
from tests.members_seed import seed_members

PAGE = ROOT / "pages" / "members.py"


# Every test starts with empty Streamlit caches (conftest).
pytestmark = pytest.mark.usefixtures("fresh_caches")


class FakeUpload:
    def __init__(self, path: Path):
        self.name = path.name
        self._data = path.read_bytes()

    def getvalue(self) -> bytes:
        return self._data


def run(monkeypatch: pytest.MonkeyPatch, role: str, lang: str = "en") -> AppTest:
    monkeypatch.setenv("CITRA_ROLE", role)
    at = AppTest.from_file(str(PAGE), default_timeout=30)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def test_an_empty_page_says_what_to_do_and_draws_no_charts(db_path, monkeypatch) -> None:
    at = run(monkeypatch, "comms")
    assert "Import the member list" in at.info[0].value
    assert not at.get("plotly_chart")
    assert [t.label for t in at.tabs] == ["Member list", "Events and attendance", "Chat senders"]
    board = run(monkeypatch, "board")
    assert "The comms team imports" in board.info[0].value and not board.tabs


def test_the_member_list_and_an_attendance_list_import_as_the_cli_does(db_path) -> None:
    registry = members_manage._with_upload(
        FakeUpload(FIXTURES / "members" / "registry_id.csv"),
        lambda db, path: members_manage.pipeline.import_registry(db, path, file_name="anggota.csv"),
    )
    assert registry is not None and registry["added"] > 0
    db = store.open_db(db_path)
    from citra.store.member_registry import add_event

    with db.atomic():
        event = add_event(db, "RAT 2025", kind="rat", date="2026-03-01")
    history = [r[0] for r in db.execute("SELECT file_name FROM imports ORDER BY id")]
    db.close()
    assert history == ["anggota.csv"]
    attendance = members_manage._with_upload(
        FakeUpload(FIXTURES / "members" / "attendance_rat.csv"),
        lambda db, path: members_manage.pipeline.import_attendance(db, event, path),
    )
    assert attendance is not None and attendance["added"] > 0


def test_events_and_sender_links_through_the_page(db_path, tmp_path, monkeypatch) -> None:
    db = store.open_db(db_path)
    seed_members(db, tmp_path)
    chat = tmp_path / "WhatsApp Chat with Anggota Cimahi.txt"
    chat.write_text("05/11/26 10.00 - Bu Empat Cimahi: Kapan RAT?\n", encoding="utf-8")
    members_manage.pipeline.import_chat(db, chat)
    db.close()
    _ = Translator("en")
    at = run(monkeypatch, "admin")
    form_inputs = [t for t in at.text_input if t.label == _("Event name")]
    form_inputs[0].input("Rapat Cabang Cimahi")
    at.selectbox(key="members_event_kind").select("meeting")
    next(b for b in at.button if b.label == _("Add event")).click().run()
    assert not at.exception
    assert any("Event added: Rapat Cabang Cimahi" in s.value for s in at.success)
    db = store.open_readonly(db_path)
    kinds = dict(db.execute("SELECT name, kind FROM events"))
    senders = [r[0] for r in db.execute("SELECT name FROM chat_senders WHERE member_id IS NULL")]
    db.close()
    assert kinds["Rapat Cabang Cimahi"] == "meeting"
    assert "Bu Empat Cimahi" in senders
    at.selectbox(key="members_link_sender").select("Bu Empat Cimahi")
    at.text_input(key="members_link_no").input("M4")
    next(b for b in at.button if b.label == _("Link")).click().run()
    assert not at.exception
    assert any("Linked Bu Empat Cimahi to member M4" in s.value for s in at.success)
