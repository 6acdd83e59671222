"""The app shell and the start page, through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from citra import store
from citra.queries.organisations import get_self, list_organisations
from citra.store.organisations import set_profile
from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")


# Every test starts with empty Streamlit caches (conftest).
pytestmark = pytest.mark.usefixtures("fresh_caches")


def test_first_run_asks_for_the_coop_and_saves_it(db_path: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Selamat datang di Citra"
    at.text_input[0].input("Koperasi Sejahtera Bersama")
    at.text_input[1].input("KSP Sejahtera, #kopsejahtera")
    at.text_area[0].input("KSP Maju Jaya\nKopdit Harapan")
    at.button[0].click().run()
    assert not at.exception
    db = store.open_db(db_path)
    coop = get_self(db)
    assert coop is not None and coop.keywords == ("KSP Sejahtera", "#kopsejahtera")
    assert [p.name for p in list_organisations(db, "peer")] == ["Kopdit Harapan", "KSP Maju Jaya"]
    assert at.title[0].value == "Koperasi Sejahtera Bersama"


def test_start_page_in_english_shows_profile(db_path: Path) -> None:
    set_profile(store.open_db(db_path), name="Kopsera", keywords=["KSP Sejahtera"])
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["lang"] = "en"
    at.run()  # with a coop, the Overview opens first
    at.switch_page("pages/home.py").run()
    assert not at.exception
    assert at.title[0].value == "Kopsera"
    assert [m.label for m in at.metric] == ["Mentions", "Imports"]
    assert at.metric[0].value == "0"
