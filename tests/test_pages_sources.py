"""The Sources page mounts every intake tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from citra import store
from citra.store.organisations import set_profile
from tests.conftest import ROOT

# Every test starts with empty Streamlit caches (conftest).
pytestmark = pytest.mark.usefixtures("fresh_caches")


def test_sources_page_shows_its_tabs(db_path: Path) -> None:
    set_profile(store.open_db(db_path), name="Kopsera")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.run()
    at.switch_page(str(ROOT / "pages" / "sources.py")).run()
    assert not at.exception
    assert at.title[0].value == "Sumber"
    assert [tab.label for tab in at.tabs] == ["Impor berkas", "Umpan berita"]
