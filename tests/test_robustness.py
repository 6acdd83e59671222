"""Hostile files and faults: nothing lost silently, memory bounded, writers that wait.

Every file here is small and generated; the big ones (100 MB and more) are in
``bench/bench_hostile.py``, which prints peak memory and time for each.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import threading
import time
import tomllib
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.feeds.server import FeedServer
from sqlite_utils import Database

from citra import store
from citra.cli import cli
from citra.errors import DatabaseBusy, ImportRejected
from citra.store.news import add_feed
from citra.store.organisations import set_profile
from collectors import limits, safezip, textfiles
from collectors.http import fetch_bytes
from collectors.importer import import_path, undo
from collectors.member_registry import import_registry
from collectors.rss import collect, pending_folder
from collectors.whatsapp import is_chat_export
from tests.conftest import ROOT

CHAT = (
    "31/12/24 10.00 - Sari: Kapan RAT, pak?\n"
    "31/12/24 10.01 - Budi: Sabtu depan, di aula\n"
    "31/12/24 10.02 - Sari: Siap, terima kasih\n"
)


def _history(db: Database) -> list[tuple[str, str]]:
    return [tuple(row) for row in db.execute("SELECT status, errors FROM imports ORDER BY id")]


def _mentions(db: Database) -> int:
    return db.execute("SELECT count(*) FROM mentions").fetchone()[0]


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["date,text,url", *rows]) + "\n", encoding="utf-8")
    return path


def _row(i: int) -> str:
    return f"2024-03-{1 + i % 28:02d} 10:00,Koperasi baik nomor {i},https://warta.id/{i}"


# --- rows lost silently ---------------------------------------------------------------------------


def test_unterminated_quote_is_refused_with_its_line(db, tmp_path: Path) -> None:
    rows = [_row(i) for i in range(1000)]
    rows[0] = '2024-03-01 10:00,"Koperasi tanpa tutup kutip,https://warta.id/0'
    path = _csv(tmp_path / "kutip.csv", rows)
    with pytest.raises(ImportRejected, match="never closed") as caught:
        import_path(db, path)
    assert caught.value.location.describe() == "kutip.csv, line 2"
    assert "baris 2" in caught.value.describe("id")
    assert _mentions(db) == 0
    assert [status for status, _ in _history(db)] == ["failed"]


def test_a_quote_that_swallows_rows_is_refused(db, tmp_path: Path) -> None:
    rows = [_row(i) for i in range(20)]
    rows[3] = '2024-03-04 10:00,"kutip terbuka,https://warta.id/3'
    rows[9] = '2024-03-10 10:00,"ditutup di sini",https://warta.id/9'  # closes it, 6 rows later
    with pytest.raises(ImportRejected, match="look like rows of their own") as caught:
        import_path(db, _csv(tmp_path / "telan.csv", rows))
    assert caught.value.location.number == 5
    assert _mentions(db) == 0


def test_a_quote_that_runs_on_for_too_many_lines_is_refused(
    db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(textfiles, "MAX_RECORD_LINES", 5)
    text = "\n".join(f"paragraf {i}" for i in range(10))
    path = tmp_path / "panjang.csv"
    path.write_text(f'date,text\n2024-03-01,"{text}"\n2024-03-02,b\n', encoding="utf-8")
    with pytest.raises(ImportRejected, match="more than 5 lines"):
        import_path(db, path)


def test_multi_line_cells_are_not_mistaken_for_a_broken_quote(db, tmp_path: Path) -> None:
    body = 'Halo, "semua".\nRAT hari Sabtu, jam 09.00\n\nSalam, pengurus'
    cell = '"' + body.replace('"', '""') + '"'
    rows = [f"2024-03-0{i} 10:00,{cell},https://warta.id/{i}" for i in range(1, 6)]
    summary = import_path(db, _csv(tmp_path / "paragraf.csv", rows))
    assert (summary["added"], summary["rejected_count"]) == (5, 0)
    assert db.execute("SELECT text FROM mentions LIMIT 1").fetchone()[0] == body


def test_a_row_too_large_is_rejected_and_the_others_imported(
    db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(textfiles, "MAX_RECORD_CHARS", 500)
    monkeypatch.setattr(textfiles, "MAX_CELLS", 50)
    rows = [_row(i) for i in range(6)]
    rows[2] = "2024-03-03 10:00," + "x" * 5000 + ",https://warta.id/2"
    rows[4] = "2024-03-05 10:00,teks," + ",".join("a" * 60)
    summary = import_path(db, _csv(tmp_path / "besar.csv", rows))
    assert summary["added"] == 4
    assert [(r["where"], r["reason"].split(":")[0]) for r in summary["rejected"]] == [
        ("line 4", "row too large"),
        ("line 6", "row too large"),
    ]


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _xlsx(path: Path, table: list[list[str]]) -> Path:
    """A minimal workbook as Excel writes it: every text in ``xl/sharedStrings.xml``, the
    sheet's size in ``<dimension>`` (openpyxl itself writes inline strings, hence by hand)."""
    texts = sorted({cell for row in table for cell in row})
    index = {text: i for i, text in enumerate(texts)}
    columns = "ABCDEFGHIJ"
    rows = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{columns[c]}{r}" t="s"><v>{index[cell]}</v></c>' for c, cell in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate(table, 1)
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    parts = {
        "[Content_Types].xml": f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/'
        '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
        'formats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
        f'xml"/><Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": f'{head}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{head}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/sharedStrings.xml": f'{head}<sst xmlns="{_MAIN}" count="{len(texts)}" '
        f'uniqueCount="{len(texts)}">' + "".join(f"<si><t>{t}</t></si>" for t in texts) + "</sst>",
        "xl/worksheets/sheet1.xml": f'{head}<worksheet xmlns="{_MAIN}"><dimension ref="A1:'
        f'{columns[len(table[0]) - 1]}{len(table)}"/><sheetData>{rows}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def _workbook(path: Path, rows: int) -> Path:
    table = [["Date", "Content", "Url"]] + [
        [f"2024-03-{1 + i % 28:02d} 10:00", f"Koperasi baik nomor {i}", f"https://w.id/{i}"]
        for i in range(rows)
    ]
    return _xlsx(path, table)


def _rewrite(path: Path, member: str, change) -> Path:
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def _understate(data: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B3"', data)


def test_xlsx_whose_dimension_understates_the_sheet_is_read_whole(db, tmp_path: Path) -> None:
    path = _rewrite(_workbook(tmp_path / "dim.xlsx", 100), "xl/worksheets/sheet1.xml", _understate)
    summary = import_path(db, path)
    assert (summary["added"], summary["rejected_count"]) == (100, 0)
    urls = {row[0] for row in db.execute("SELECT url FROM mentions")}
    assert "https://w.id/99" in urls  # the third column, past the declared B


def _registry(path: Path, members: int) -> Path:
    table = [["No Anggota", "Nama", "Cabang"]]
    return _xlsx(path, table + [[f"A{i:04d}", f"Anggota {i}", "Pusat"] for i in range(members)])


def test_member_registry_xlsx_is_read_without_trusting_its_dimension(db, tmp_path: Path) -> None:
    path = _rewrite(
        _registry(tmp_path / "anggota.xlsx", 50), "xl/worksheets/sheet1.xml", _understate
    )
    summary = import_registry(db, path)
    assert summary["added"] == 50
    assert db.execute("SELECT count(*) FROM members WHERE branch = 'Pusat'").fetchone()[0] == 50


def test_undoing_a_collect_forgets_its_entry_ids(db, tmp_path: Path) -> None:
    set_profile(db, name="KSP Sejahtera", keywords=["KSP Sejahtera"])
    with FeedServer() as server:
        add_feed(db, f"{server.base}/files/rss_basic.xml")
        first = collect(db, budget=2, timeout=1)
        assert first.added and db["news_guids"].count
        undo(db, first.import_id)
        assert _mentions(db) == 0 and db["news_guids"].count == 0
        db.execute("UPDATE feeds SET etag = NULL, last_modified = NULL")
        again = collect(db, budget=2, timeout=1)
    assert again.added == first.added


# --- memory and time bounded ----------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_whatsapp_zip_bomb_is_refused_before_it_expands(db, tmp_path: Path) -> None:
    bomb = _zip(
        tmp_path / "WhatsApp Chat with Anggota.zip",
        {"WhatsApp Chat with Anggota.txt": CHAT.encode() + b" " * (4 * 1024 * 1024)},
    )
    tracemalloc.start()
    with pytest.raises(ImportRejected, match="zip bomb"):
        import_path(db, bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4 * 1024 * 1024  # the member expands to 4 MB: refused before it is read
    assert [status for status, _ in _history(db)] == ["failed"]
    with pytest.raises(ImportRejected, match="zip bomb"):
        import_path(db, bomb, format="whatsapp")
    assert [status for status, _ in _history(db)] == ["failed", "failed"]


def test_a_zip_listing_too_many_members_is_refused_before_it_is_listed(
    db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = _zip(tmp_path / "banyak.zip", {f"kosong/{i}.txt": b"" for i in range(300)})
    monkeypatch.setattr(safezip, "MAX_MEMBERS", 100)
    monkeypatch.setattr(zipfile, "ZipFile", None)  # refused from the end record alone
    with pytest.raises(ImportRejected, match="holds 300 files; more than 100"):
        import_path(db, many)
    monkeypatch.setattr(safezip, "MAX_MEMBERS", 1000)
    monkeypatch.setattr(safezip, "MAX_DIRECTORY_BYTES", 1000)
    with pytest.raises(ImportRejected, match="list of contents"):
        import_path(db, many)


def test_a_file_without_line_breaks_is_identified_from_a_bounded_prefix(db, tmp_path: Path) -> None:
    flat = tmp_path / "flat.txt"
    with flat.open("wb") as handle:
        handle.write(b"31/12/24 10.00 - Sari: ")
        for _ in range(8):
            handle.write(b"a" * (1024 * 1024))
    tracemalloc.start()
    assert is_chat_export(flat)  # it starts like a chat...
    peak = tracemalloc.get_traced_memory()[1]
    with pytest.raises(ImportRejected, match="longer than"):  # ...but no chat line is 8 MB
        import_path(db, flat)
    peak = max(peak, tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    assert peak < 12 * 1024 * 1024
    assert [status for status, _ in _history(db)] == ["failed"]


def test_xlsx_parts_are_checked_before_openpyxl_reads_them(
    db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook(tmp_path / "teks.xlsx", 30)
    monkeypatch.setattr(safezip, "WORKBOOK_MAX_SHARED_STRINGS", 20)
    with pytest.raises(ImportRejected, match="different texts"):
        import_path(db, path)
    monkeypatch.setattr(safezip, "WORKBOOK_MAX_SHARED_STRINGS", 1000)
    monkeypatch.setattr(safezip, "WORKBOOK_MAX_SHARED_STRINGS_BYTES", 100)
    with pytest.raises(ImportRejected, match="sharedStrings.xml' would expand"):
        import_path(db, path)
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "c.db"), "members", "import", str(path)]
    )
    assert result.exit_code == 2 and "would expand" in result.output
    assert "Traceback" not in result.output


def test_an_xlsx_cell_larger_than_excel_allows_is_refused(
    db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safezip, "WORKBOOK_MAX_CELL_BYTES", 200)
    path = _rewrite(
        _workbook(tmp_path / "sel.xlsx", 3),
        "xl/sharedStrings.xml",
        lambda data: data.replace(b"Koperasi baik nomor 1", b"Koperasi " + b"x" * 300),
    )
    with pytest.raises(ImportRejected, match="in one piece"):
        import_path(db, path)


def test_an_xlsx_pointing_at_a_missing_text_is_refused_plainly(db, tmp_path: Path) -> None:
    path = _rewrite(
        _workbook(tmp_path / "hilang.xlsx", 3),
        "xl/worksheets/sheet1.xml",
        lambda data: data.replace(b"<v>1</v>", b"<v>999</v>"),
    )
    with pytest.raises(ImportRejected, match="not a readable Excel workbook"):
        import_path(db, path)


def test_one_huge_text_in_tweets_js_is_cut_as_it_streams(db, tmp_path: Path) -> None:
    huge = "sangat " * 800_000  # 5.6 MB in one JSON string
    tweets = [
        {
            "tweet": {
                "id_str": "1",
                "full_text": huge,
                "created_at": "Wed Oct 10 20:19:24 +0000 2018",
            }
        },
        {
            "tweet": {
                "id_str": "2",
                "full_text": "biasa",
                "created_at": "Wed Oct 10 20:20:24 +0000 2018",
            }
        },
    ]
    path = tmp_path / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = " + json.dumps(tweets), encoding="utf-8")
    tracemalloc.start()
    summary = import_path(db, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert summary["added"] == 2
    assert peak < 40 * 1024 * 1024
    text, raw = db.execute("SELECT text, raw FROM mentions ORDER BY text DESC LIMIT 1").fetchone()
    assert len(text) == limits.FIELD_CAPS["text"] and huge.startswith(text)
    assert len(raw) <= limits.MAX_RAW_CHARS
    assert "text cut to the size limit" in summary["rejected"][0]["reason"]
    assert summary["rejected_count"] == 0


JSON_CASES = [
    {"a": "é" * 40},
    {"a": "😀" * 40},
    {"a": 'kutip \\"dalam\\" ' * 10},
    {"a": "\\" * 41 + '"' + "x" * 30},
    {"a": "baris\n" * 20, "b": "pendek"},
]


@pytest.mark.parametrize("value", JSON_CASES)
@pytest.mark.parametrize("ascii_only", [True, False])
def test_cut_json_strings_stay_valid_json(value: dict, ascii_only: bool) -> None:
    data = json.dumps([value, {"after": "tetap"}], ensure_ascii=ascii_only).encode()
    out = limits.cap_json_strings(io.BytesIO(data), 32).read()
    got = json.loads(out)
    assert got[1] == {"after": "tetap"}
    for key, text in value.items():
        kept = got[0][key]
        size = len(json.dumps(kept, ensure_ascii=ascii_only).encode()) - 2  # without the quotes
        assert kept == text or (text.startswith(kept) and size <= 32)
        assert not any(0xD800 <= ord(ch) < 0xE000 for ch in kept)  # no half surrogate pair


def test_json_nested_too_deep_is_refused_before_the_parser_sees_it(db, tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    depth = limits.MAX_JSON_DEPTH + 1
    path.write_bytes(b"window.YTD.tweets.part0 = [" + b"[" * depth + b"]" * depth + b"]")
    with pytest.raises(ImportRejected, match="nested more than 100 levels"):
        import_path(db, path)
    text = '[{"a": "' + "[" * 500 + '"}]'  # brackets inside a text do not count
    assert json.loads(limits.cap_json_strings(io.BytesIO(text.encode())).read())


def test_a_json_value_that_is_no_text_and_too_long_is_refused() -> None:
    stream = limits.cap_json_strings(io.BytesIO(b'[{"n": ' + b"7" * 100 + b"}]"), 32)
    with pytest.raises(Exception, match="no text"):
        stream.read()


def test_xml_nested_too_deep_is_refused(
    db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safezip, "WORKBOOK_MAX_DEPTH", 50)
    path = _rewrite(
        _workbook(tmp_path / "dalam.xlsx", 3),
        "xl/worksheets/sheet1.xml",
        lambda data: data.replace(b"<sheetData>", b"<sheetData>" + b"<x>" * 60),  # never closed
    )
    with pytest.raises(ImportRejected, match="levels deep"):
        import_path(db, path)


def test_a_feed_server_sending_headers_slowly_is_cut_at_the_budget() -> None:
    with FeedServer() as server:
        started = time.monotonic()
        result = fetch_bytes(f"{server.base}/bad/trickle-headers", budget=1.0, timeout=0.5)
        elapsed = time.monotonic() - started
    assert result.error and "too slowly" in str(result.error)
    assert elapsed < 2.0


def test_collect_ends_within_its_budget_whatever_the_server_does(db) -> None:
    with FeedServer() as server:
        for path in ("trickle-headers", "trickle", "stall"):
            add_feed(db, f"{server.base}/bad/{path}")
        started = time.monotonic()
        summary = collect(db, budget=1.5, timeout=1.0)
        elapsed = time.monotonic() - started
    assert summary.failed == 3
    assert elapsed < 1.5 + 5


# --- writers wait for each other ------------------------------------------------------------------


@pytest.fixture
def locked(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite3.Connection]:
    """Another process's long write: a connection holding the write lock."""
    monkeypatch.setenv("CITRA_BUSY_TIMEOUT", "1")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


def test_a_writer_waits_with_progress_then_fails_plainly(locked, db_path: Path) -> None:
    db = store.open_db(db_path)
    waits: list[dict] = []
    started = time.monotonic()
    with (
        store.reporting_waits(lambda template, values: waits.append(values)),
        pytest.raises(DatabaseBusy, match="CITRA_BUSY_TIMEOUT"),
    ):
        set_profile(db, name="KSP Sejahtera")
    assert 1.0 <= time.monotonic() - started < 3.0
    assert waits and waits[0]["limit"] == "1"


def test_a_writer_goes_on_once_the_other_has_finished(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITRA_BUSY_TIMEOUT", "10")
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.8, lambda: holder.execute("COMMIT")).start()
    db = store.open_db(db_path)
    assert set_profile(db, name="KSP Sejahtera").name == "KSP Sejahtera"
    holder.close()


def test_the_command_line_waits_then_exits_2_without_a_traceback(locked, db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "feeds", "add", "https://warta.id/rss"])
    assert result.exit_code == 2
    assert "Waiting for the database" in result.output
    assert "The database is busy" in result.output and "Traceback" not in result.output


def _save_profile_page() -> None:
    from citra import ui
    from citra.store.organisations import set_profile

    with ui.writer() as db:
        set_profile(db, name="KSP Sejahtera")


def test_a_page_writer_shows_the_busy_message_not_a_traceback(locked) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_save_profile_page).run(timeout=10)
    assert not at.exception
    assert "Database sedang sibuk" in at.error[0].value


def test_a_busy_timeout_that_is_no_number_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITRA_BUSY_TIMEOUT", "lama")
    with pytest.raises(Exception, match="number of seconds"):
        store.busy_timeout()


def test_collect_keeps_what_it_fetched_when_the_database_stays_busy(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = store.open_db(db_path)
    set_profile(db, name="KSP Sejahtera", keywords=["KSP Sejahtera"])
    with FeedServer() as server:
        add_feed(db, f"{server.base}/files/rss_basic.xml")
        monkeypatch.setenv("CITRA_BUSY_TIMEOUT", "0.5")
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseBusy, match="were kept in") as caught:
            collect(db, budget=2, timeout=1)
        holder.execute("ROLLBACK")
        kept = list(pending_folder(db).glob("collect-*.json"))
        assert len(kept) == 1 and str(kept[0]) in str(caught.value)
        assert _mentions(db) == 0
        server.stop.set()  # the feed is gone now: what was fetched must still arrive
        summary = collect(db, budget=1, timeout=0.5)
    assert summary.recovered[0].added >= 1
    assert _mentions(db) == summary.recovered[0].added
    assert not list(pending_folder(db).glob("collect-*.json"))
    health = db.execute("SELECT last_success_at, consecutive_failures FROM feeds").fetchone()
    assert health[0] is not None


# --- tracebacks -----------------------------------------------------------------------------------


def test_visitors_never_see_tracebacks() -> None:
    from streamlit import config

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    value = settings["client"]["showErrorDetails"]
    # "none": a generic message only. (false is deprecated and means "stacktrace".)
    assert value == config.ShowErrorDetailsConfigOptions.NONE.value == "none"


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _with_dtd(dtd: bytes):
    def change(data: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", data)
        return dtd + body.replace(b"Koperasi baik nomor 0", b"&lol3;&xxe;")

    return change


@pytest.mark.parametrize("dtd", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_xlsx_with_a_dtd_is_refused_plainly(db, tmp_path: Path, dtd: bytes, part: str) -> None:
    path = _rewrite(_workbook(tmp_path / "dtd.xlsx", 3), part, _with_dtd(dtd))
    with pytest.raises(ImportRejected, match="document type"):
        import_path(db, path)
    assert [status for status, _ in _history(db)] == ["failed"]
    with pytest.raises(Exception, match="document type"):
        import_registry(db, path)


def test_an_uploaded_hostile_xlsx_leaves_no_temporary_file(db_path: Path, tmp_path: Path) -> None:
    from pages.sources_imports import import_uploads

    path = _rewrite(_workbook(tmp_path / "dtd.xlsx", 3), "xl/sharedStrings.xml", _with_dtd(XXE))

    class Upload:
        name = "dtd.xlsx"

        def getvalue(self) -> bytes:
            return path.read_bytes()

    folder = tmp_path / "uploads"
    folder.mkdir()
    results = import_uploads([Upload()], folder)
    assert "document type" in results[0]["error"]
    assert list(folder.iterdir()) == []


def test_backup_onto_the_database_itself_is_refused(db_path: Path) -> None:
    db = store.open_db(db_path)
    set_profile(db, name="KSP Sejahtera")
    db.close()
    for target in (db_path, db_path.parent / "." / db_path.name):
        result = CliRunner().invoke(cli, ["--db", str(db_path), "backup", str(target)])
        assert result.exit_code == 2 and "overwrite the database itself" in result.output
    assert store.open_db(db_path)["organisations"].count == 1


# --- undo, messages -------------------------------------------------------------------------------


def test_undo_of_a_whatsapp_import_removes_its_messages(db, tmp_path: Path) -> None:
    chat = tmp_path / "WhatsApp Chat with Anggota.txt"
    chat.write_text(CHAT, encoding="utf-8")
    summary = import_path(db, chat)
    assert db["chat_messages"].count == 3
    undone = undo(db, summary["import_id"])
    assert db["chat_messages"].count == 0
    assert undone.message() == f"Import #{summary['import_id']} undone: 3 chat messages removed."
    assert "3 pesan obrolan dihapus" in undone.message("id")
    assert import_path(db, chat)["added"] == 3  # and it imports again in full


def test_a_truncated_zip_is_called_a_damaged_zip(db, tmp_path: Path) -> None:
    whole = _zip(tmp_path / "ekspor.zip", {"data/tweets.js": b"window.YTD.tweets.part0 = []" * 500})
    cut = tmp_path / "terpotong.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ImportRejected, match="damaged zip"):
        import_path(db, cut)


def test_a_utf16_member_registry_is_read(db, tmp_path: Path) -> None:
    path = tmp_path / "anggota.csv"
    path.write_text("No Anggota\tNama\r\nA001\tSari\r\nA002\tBudi\r\n", encoding="utf-16")
    assert import_registry(db, path)["added"] == 2


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("HTTP://warta.id/rss", "http://warta.id/rss"),
        ("Https://warta.id/RSS", "https://warta.id/RSS"),
    ],
)
def test_an_upper_case_scheme_is_a_web_address(db, typed: str, stored: str) -> None:
    assert add_feed(db, typed).url == stored


def test_a_chat_message_running_on_for_many_lines_is_read_in_linear_time(
    db, tmp_path: Path
) -> None:
    """One message followed by 200,000 continuation lines (a pasted document): read once, its
    text kept up to the text cap, the messages after it still read."""
    from collectors.limits import FIELD_CAPS

    chat = tmp_path / "WhatsApp Chat with Anggota.txt"
    with chat.open("w", encoding="utf-8") as out:
        for i in range(50):
            out.write(f"04/11/26 09.{i:02d} - Bu Siti: pesan {i}\n")
        out.write("05/11/26 10.00 - Bu Siti: Notulen rapat:\n")
        for i in range(200_000):
            out.write(f"baris notulen nomor {i} tentang simpanan anggota\n")
        out.write("05/11/26 10.05 - Pak Budi: Terima kasih Bu\n")
    from collectors import whatsapp

    started = time.monotonic()
    summary = whatsapp.import_chat(db, chat)
    assert time.monotonic() - started < 60
    assert summary["messages"] == 52
    longest = db.execute("SELECT max(length(text)) FROM chat_messages").fetchone()[0]
    assert longest <= FIELD_CAPS["text"]


def test_a_member_list_whose_header_row_is_too_large_is_refused_plainly(db, tmp_path: Path) -> None:
    from collectors.member_registry import import_registry

    registry = tmp_path / "anggota.csv"
    registry.write_text("No Anggota," + "x" * (2 * 1024 * 1024) + "\nA1,Siti\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="header row cannot be read"):
        import_registry(db, registry)
