"""The Sources page's Import tab (AppTest), its helpers, and the no-SQL-in-pages rule."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from citra import store
from citra.errors import Location, error_entry
from citra.i18n import Translator
from collectors.common import reject
from collectors.importer import import_history, import_path
from pages import sources_imports
from tests.conftest import FIXTURES, ROOT

BRAND24 = FIXTURES / "exports" / "brand24-en" / "brand24_mentions.csv"


def unescaped(markdown: str) -> str:
    """``markdown`` without the backslashes ``citra.formatting.plain`` puts before marks."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _app() -> None:
    from citra.i18n import Translator
    from pages.sources_imports import render

    render(Translator("id"))


@pytest.fixture(autouse=True)
def _clear_caches():
    import streamlit as st

    st.cache_data.clear()
    yield
    st.cache_data.clear()


class FakeUpload:
    def __init__(self, path: Path, name: str | None = None):
        self.name = name or path.name
        self._data = path.read_bytes()

    def getvalue(self) -> bytes:
        return self._data


def test_summary_sentence_in_indonesian() -> None:
    summary = {
        "added": 312,
        "duplicates": 41,
        "rejected_count": 2,
        "rejected": [
            error_entry(reject(Location(unit="line", number=17), "date not readable", "32/13/2026"))
        ],
    }
    assert sources_imports.summary_text(summary, Translator("id")) == (
        "312 baru, 41 duplikat, 2 baris ditolak: baris 17: tanggal tidak terbaca: '32/13/2026'"
    )
    # A summary kept from an older version holds English where/reason only.
    summary["rejected"] = [{"where": "line 17", "reason": "date not readable"}]
    assert sources_imports.summary_text(summary, Translator("id")) == (
        "312 baru, 41 duplikat, 2 baris ditolak: baris 17: tanggal tidak terbaca"
    )


def test_import_uploads_several_files_with_progress(db_path: Path, tmp_path: Path) -> None:
    seen: list[float] = []
    folder = tmp_path / "up"
    folder.mkdir()
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    odd = tmp_path / "aneh.csv"
    odd.write_text("Kapan,Apa\n2026-11-01,bagus\n", encoding="utf-8")
    results = sources_imports.import_uploads(
        [FakeUpload(BRAND24), FakeUpload(empty), FakeUpload(odd)],
        folder,
        lambda fraction, _name: seen.append(fraction),
    )
    assert results[0]["summary"]["added"] == 3
    assert "kosong.csv is empty" in results[1]["error"]
    assert results[2]["headers"] == ["Kapan", "Apa"] and Path(results[2]["path"]).exists()
    assert seen and max(seen) <= 1.0
    db = store.open_db(db_path)
    assert import_history(db)[-1]["file_name"] == "brand24_mentions.csv"


def test_page_smoke_on_empty_database(db_path: Path) -> None:
    at = AppTest.from_function(_app).run()
    assert not at.exception
    assert any("Belum ada impor" in c.value for c in at.caption)
    assert at.button(key="imports-start").disabled


def test_page_history_and_undo(db_path: Path) -> None:
    db = store.open_db(db_path)
    summary = import_path(db, BRAND24)
    db.close()
    at = AppTest.from_function(_app).run()
    assert not at.exception
    assert any("brand24_mentions.csv" in unescaped(m.value) for m in at.markdown)
    at.button(key=f"imports-undo-{summary['import_id']}").click().run()
    assert not at.exception
    db = store.open_db(db_path)
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
    assert import_history(db)[0]["status"] == "undone"


def test_page_shows_summary_and_rejections(db_path: Path) -> None:
    db = store.open_db(db_path)
    summary = import_path(db, BRAND24)
    db.close()
    at = AppTest.from_function(_app)
    at.session_state["imports_results"] = [{"file": "brand24_mentions.csv", "summary": summary}]
    at.run()
    assert not at.exception
    assert (
        "3 baru, 0 duplikat, 1 baris ditolak: baris 5: tanggal tidak terbaca" in at.success[0].value
    )


def test_page_column_mapping_saves_preset_and_imports(db_path: Path, tmp_path: Path) -> None:
    odd = tmp_path / "aneh.csv"
    odd.write_text("Kapan,Apa kata orang\n2026-11-01,KSP bagus\n", encoding="utf-8")
    at = AppTest.from_function(_app)
    at.session_state["imports_pending"] = [
        {
            "file": "aneh.csv",
            "path": str(odd),
            "headers": ["Kapan", "Apa kata orang"],
            "mapping": {},
        }
    ]
    at.run()
    assert not at.exception and at.warning
    at.selectbox(key="imports-map-0-date").select("Kapan")
    at.selectbox(key="imports-map-0-text").select("Apa kata orang")
    at.text_input(key="imports-preset-0").input("Laporan kantor")
    at.button(key="imports-apply-0").click().run()
    assert not at.exception
    assert "1 baru" in at.success[0].value
    db = store.open_db(db_path)
    from collectors.importer import column_presets

    assert column_presets(db)[0]["name"] == "Laporan kantor"


SQL_WORDS = (
    "select ",
    "insert ",
    "update ",
    "delete ",
    "create table",
    "drop table",
    " where ",
    "pragma ",
)


def test_page_has_no_sql_and_no_sqlite() -> None:
    tree = ast.parse((ROOT / "pages" / "sources_imports.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
            assert not any("sqlite" in n for n in names)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not any(word in node.value.lower() for word in SQL_WORDS), node.value


def _error_templates() -> set[str]:
    found = set()
    for path in (ROOT / "collectors").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in ("FormatError", "Rejected", "UnsafeArchive")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_error_sentence_is_translated() -> None:
    from citra.i18n import catalogue

    templates = _error_templates()
    assert len(templates) > 15
    assert sorted(t for t in templates if t not in catalogue("id")) == []


def test_error_text_in_indonesian(db_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    folder = tmp_path / "up"
    folder.mkdir()
    [result] = sources_imports.import_uploads([FakeUpload(empty)], folder)
    assert sources_imports.failure(result).describe("id") == "kosong.csv kosong."
    assert sources_imports.failure(result).describe("en") == "kosong.csv is empty."


def test_summary_sentence_counts_shares_without_text() -> None:
    summary = {
        "added": 13,
        "duplicates": 0,
        "rejected_count": 0,
        "rejected": [],
        "skipped_no_text": 80,
    }
    assert sources_imports.summary_text(summary, Translator("id")) == (
        "13 baru, 0 duplikat, 0 baris ditolak, 80 dilewati: tanpa teks"
    )


def test_history_shows_dates_hides_feed_runs_and_undoes_files_and_chats(db_path: Path) -> None:
    from citra.formatting import format_datetime
    from citra.store.imports import import_run

    db = store.open_db(db_path)
    file_import = import_path(db, BRAND24)["import_id"]
    chat = import_path(db, FIXTURES / "whatsapp" / "android_de_24h.txt")["import_id"]
    with import_run(db, kind="collect", format="feed") as run:
        feed_run = run.id
    stamps = {item["id"]: item["finished_at"] for item in import_history(db)}
    db.close()
    at = AppTest.from_function(_app).run()
    assert not at.exception
    shown = [unescaped(m.value) for m in at.markdown]
    assert format_datetime(stamps[file_import], "id") in shown
    assert f"#{chat}" in shown and f"#{feed_run}" not in shown
    assert "android_de_24h.txt" in shown
    keys = [button.key for button in at.button]
    assert f"imports-undo-{file_import}" in keys
    assert f"imports-undo-{chat}" in keys and f"imports-undo-{feed_run}" not in keys


def test_file_waiting_for_column_mapping_is_not_shown_as_failed(db_path: Path, tmp_path) -> None:
    odd = tmp_path / "aneh.csv"
    odd.write_text("Kapan,Apa\n2026-11-01,bagus\n", encoding="utf-8")
    folder = tmp_path / "up"
    folder.mkdir()
    [result] = sources_imports.import_uploads([FakeUpload(odd)], folder)
    assert "headers" in result
    db = store.open_db(db_path)
    assert import_history(db) == []
    db.close()
    at = AppTest.from_function(_app)
    at.session_state["imports_pending"] = [result]
    at.run()
    assert not at.exception and at.warning
    assert not any("Gagal" in m.value for m in at.markdown)


def test_whatsapp_summary_says_how_ambiguous_dates_were_read(db_path: Path) -> None:
    db = store.open_db(db_path)
    summary = import_path(db, FIXTURES / "whatsapp" / "android_pt_br.txt")
    db.close()
    at = AppTest.from_function(_app)
    at.session_state["imports_results"] = [{"file": "android_pt_br.txt", "summary": summary}]
    at.run()
    assert not at.exception
    assert any("hari/bulan" in info.value for info in at.info)


def test_unattributed_mentions_are_counted(db_path: Path) -> None:
    db = store.open_db(db_path)
    summary = import_path(db, BRAND24)
    db.close()
    assert summary["unattributed"] == 3  # no profile yet: no mention names an organisation
    at = AppTest.from_function(_app)
    at.session_state["imports_results"] = [{"file": "brand24_mentions.csv", "summary": summary}]
    at.run()
    assert any("3 sebutan baru" in info.value for info in at.info)
