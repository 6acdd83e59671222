"""The Members page ("Anggota") through streamlit's AppTest: empty and seeded databases, roles."""

from __future__ import annotations

import ast
import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from citra import store
from citra.i18n import Translator
from tests.conftest import ROOT
from tests.members_seed import seed_members

PAGE = ROOT / "pages" / "members.py"


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def seeded_path(db_path, tmp_path):
    db = store.open_db(db_path)
    seed_members(db, tmp_path)
    db.conn.close()
    return db_path


def run(monkeypatch, role: str, lang: str = "id") -> AppTest:
    monkeypatch.setenv("CITRA_ROLE", role)
    at = AppTest.from_file(str(PAGE), default_timeout=30)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def frame(at: AppTest, column: str):
    """The first table on the page that has ``column``."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def charts(at: AppTest) -> dict[int, dict]:
    return {i: json.loads(el.proto.spec) for i, el in enumerate(at.get("plotly_chart"))}


def test_page_has_no_sql():
    tree = ast.parse(PAGE.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
            assert not any("sqlite" in n for n in names)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not any(word in node.value.upper() for word in ("SELECT ", "INSERT ", "UPDATE "))


def test_empty_database(db_path, monkeypatch):
    at = run(monkeypatch, "board")
    _ = Translator("id")
    assert at.title[0].value == "Anggota"
    values = {m.label: m.value for m in at.metric}
    assert values[_("Active members")] == "0"
    assert values[_("Participation rate")] == "–"
    assert any("Belum ada anggota" in info.value for info in at.info)


def test_seeded_board_sees_aggregates_only(seeded_path, monkeypatch):
    at = run(monkeypatch, "board")
    _ = Translator("id")
    assert at.selectbox(key="members_year").value == 2024
    values = {m.label: m.value for m in at.metric}
    assert values[_("Active members")] == "4"
    assert values[_("Participation rate")] == "50%"
    assert values[_("Engagement rate")] == "75%"
    assert values[_("Engaged per participant")] == "1,50"
    funnel = next(c for c in charts(at).values() if c["data"][0]["type"] == "funnel")
    assert funnel["data"][0]["x"] == [4, 2, 2, 1]
    assert funnel["data"][0]["y"][0] == "Anggota aktif"
    rat = frame(at, _("Book year"))
    assert rat[_("Attended")].tolist() == [2]
    # No names, no messages, no form for the board.
    page_text = " ".join(str(e.value) for e in at.markdown) + str(
        [df.value.to_dict() for df in at.dataframe]
    )
    assert "Satu" not in page_text and "Kapan SHU" not in page_text
    assert not at.get("form")
    assert any("tim komunikasi" in c.value for c in at.caption)


def test_seeded_comms_sees_names_questions_and_form(seeded_path, monkeypatch):
    at = run(monkeypatch, "comms", lang="en")
    assert at.title[0].value == "Members"
    top = frame(at, "Public posts")
    assert top["Name"].tolist()[:3] == ["Satu", "Dua", "Tiga"]
    unanswered = frame(at, "Question")
    assert unanswered["Question"].tolist() == ["Kapan SHU dibagikan?"]
    assert at.get("form")


def test_attendance_form_saves(seeded_path, monkeypatch):
    at = run(monkeypatch, "admin", lang="en")
    at.text_input[0].input("M3")
    at.checkbox[1].check()
    at.button[0].click()
    at.run()
    assert not at.exception
    assert any("saved for member M3" in s.value for s in at.success)
    db = store.open_readonly(seeded_path)
    row = db.execute(
        "SELECT a.attended, a.asked FROM attendance a JOIN members m ON m.id = a.member_id "
        "WHERE m.member_no = 'M3'"
    ).fetchone()
    assert row == (1, 1)
    values = {m.label: m.value for m in at.metric}
    assert values["Participation rate"] == "75%"


def test_attendance_form_unknown_member(seeded_path, monkeypatch):
    at = run(monkeypatch, "admin", lang="en")
    at.text_input[0].input("Z9")
    at.button[0].click()
    at.run()
    assert any("No member with number 'Z9'" in e.value for e in at.error)


def test_all_time_option(seeded_path, monkeypatch):
    at = run(monkeypatch, "board", lang="en")
    at.selectbox(key="members_year").select(None)
    at.run()
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["Active members"] == "4"
