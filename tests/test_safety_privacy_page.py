"""The privacy page: registered as /privasi, in Indonesian and English, every text translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from citra.i18n import catalogue
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("lang", "title", "words"), [("id", "Privasi", "UU PDP"), ("en", "Privacy", "erasure")]
)
def test_the_privacy_page_opens_in_both_languages(
    db_path: Path, lang: str, title: str, words: str
) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/privacy.py").run()
    assert not at.exception
    assert at.title[0].value == title
    text = "\n".join(m.value for m in at.markdown)
    assert words in text and "citra members forget" in text
    assert len(at.subheader) == 5


def test_every_privacy_text_is_translated() -> None:
    import ast

    tree = ast.parse((ROOT / "pages" / "privacy.py").read_text(encoding="utf-8"))
    texts = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 3
    ]
    texts = [t for t in texts if not t.startswith(("pages/", "Privacy (Privasi)"))]
    missing = [t for t in texts if t not in catalogue("id")]
    assert missing == []


def test_the_page_is_registered_with_an_indonesian_path() -> None:
    source = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    assert '_page("privacy"' in source and 'url_path="privasi"' in source
