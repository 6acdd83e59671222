"""A table import makes its rows records in the worker processes
(``collectors.table_rows.TableRows``): what it stores and reports is exactly what the reader's
own stream of records (``Format.read``) gives, for CSV and XLSX, rejections and their lines
included, in the importing process or in workers."""

from __future__ import annotations

import csv
import dataclasses
import pickle
from pathlib import Path

import openpyxl
import pytest
from sqlite_utils import Database

from citra import store
from citra.sentiment import parallel
from citra.store.organisations import add_peer, set_profile
from collectors import brand24, generic, registry
from collectors.base import ReadContext
from collectors.importer import _file_source, import_path
from collectors.limits import MAX_CELLS, MAX_URL_CHARS
from tests.stored_mentions import stored_mentions

HEADER = ["Date", "Title", "Content", "Url", "Author", "Reach", "Sentiment"]


def _rows(count: int) -> list[list[str]]:
    rows = []
    for n in range(count):
        text = f"KSP Sejahtera ramah {n}" if n % 3 else f"Tunas Makmur lambat {n}"
        if n % 10 == 4:
            text = f'kata "kutipan" {n}\nbaris kedua, dengan koma\n\nbaris keempat'
        row = [f"2026-03-{1 + n % 28:02d} 10:{n % 60:02d}", f"Judul {n}", text]
        row += [f"https://example.id/{n}", f"Penulis {n % 7}", str(n), "positive"]
        if n % 37 == 5:
            row[0] = "bukan tanggal"  # rejected: the date
        if n % 41 == 6:
            row[2] = row[1] = ""  # rejected: no text
        if n % 43 == 7:
            row[3] = "https://example.id/" + "x" * MAX_URL_CHARS  # rejected: the link
        rows.append(row)
    return rows


def _write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n, row in enumerate(_rows(count)):
            writer.writerow(row)
            if n == 20:
                handle.write("\n,,,\n")  # blank rows: skipped, counted in the line numbers
            if n == 30:
                writer.writerow(["x"] * (MAX_CELLS + 1))  # rejected: too many cells


def _write_xlsx(path: Path, count: int) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in _rows(count):
        sheet.append(row)
    book.save(path)


def _database(path: Path) -> Database:
    db = store.open_db(path)
    set_profile(db, name="KSP Sejahtera", keywords=["Koperasi Sejahtera"])
    add_peer(db, "KSP Tunas Makmur", keywords=["Tunas Makmur"])
    return db


def _import(tmp_path: Path, source: Path, name: str, fmt: str, plain: bool) -> tuple:
    """Import ``source`` as ``fmt``; ``plain`` reads it through a reader that is a plain
    function (the record stream, converted in this process)."""
    real = registry.FORMATS[fmt]
    if plain:
        patched = dataclasses.replace(real, read=lambda s, c: real.read(s, c))
        registry.FORMATS[fmt] = patched
    try:
        db = _database(tmp_path / f"{name}.db")
        summary = import_path(db, source, format=fmt)
    finally:
        registry.FORMATS[fmt] = real
    summary.pop("import_id")
    found = (summary, stored_mentions(db))
    db.close()
    return found


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_table_converted_in_workers_stores_what_its_reader_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    source = tmp_path / f"mentions.{kind}"
    (_write_csv if kind == "csv" else _write_xlsx)(source, 700)
    monkeypatch.setattr(parallel, "BATCH_SIZE", 50)
    results = []
    for workers, plain in (("0", True), ("0", False), ("2", False)):
        monkeypatch.setenv(parallel.ENV_WORKERS, workers)
        monkeypatch.setattr(parallel, "PARALLEL_MIN", 100)
        for fmt in ("csv", "brand24"):
            results.append(_import(tmp_path, source, f"{kind}{workers}{plain}{fmt}", fmt, plain))
    for fmt in (0, 1):
        reference = results[fmt]
        assert results[2 + fmt] == reference
        assert results[4 + fmt] == reference
    summary, stored = results[0]
    assert summary["added"] == len(stored) > 500
    reasons = [(e["template"], e["location"]) for e in summary["rejected"]]
    assert len(reasons) == summary["rejected_count"] > 40
    unit = "line" if kind == "csv" else "row"
    assert all(location["unit"] == unit for template, location in reasons if "link" not in template)
    if kind == "csv":
        # Row 5 is on line 10: the header, rows 0-3, then row 4 on four lines (its quoted cell).
        first_date = next(loc for t, loc in reasons if t.startswith("date not readable"))
        assert first_date["number"] == 10
        assert any(t.startswith("row too large") for t, _ in reasons)


def test_the_table_work_pickles_and_reads_as_its_reader(tmp_path: Path) -> None:
    source = tmp_path / "mentions.csv"
    _write_csv(source, 60)
    ctx = ReadContext()
    reader = brand24.FORMAT.read
    assert isinstance(reader, generic.TableReader)
    with reader.open(_file_source(source, source.name), ctx) as (convert, table):
        numbered = list(table.numbered)
        again = pickle.loads(pickle.dumps(convert))
    streamed = list(reader(_file_source(source, source.name), ctx))
    converted = [
        cells if not isinstance(cells, list) else again.numbered(table.unit, number, cells)
        for number, cells in numbered
    ]
    assert [repr(item) for item in converted] == [repr(item) for item in streamed]


def test_rows_rejected_in_an_archive_member_name_the_member(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    _write_csv(folder / "a.csv", 120)
    _write_csv(folder / "b.csv", 60)
    monkeypatch.setenv(parallel.ENV_WORKERS, "2")
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 50)
    monkeypatch.setattr(parallel, "BATCH_SIZE", 25)
    db = _database(tmp_path / "folder.db")
    summary = import_path(db, folder)
    files = {entry["location"]["file"] for entry in summary["rejected"]}
    assert files == {"a.csv", "b.csv"}
    lines = [e["location"]["number"] for e in summary["rejected"] if "date" in e["template"]]
    assert lines[0] == 10  # a.csv's row 5, as in a single file


def test_a_converter_fills_only_the_fields_its_table_has_and_none_for_the_rest() -> None:
    headers = ["Date", "Content", "Handle", "Lang", "Source", "Likes", "Extra"]
    mapping = {"date": 0, "text": 1, "handle": 2, "lang": 3, "source": 4, "likes": 5}
    full = generic.RowConverter(headers, mapping, ReadContext(), tool="brand24")
    row = ["2026-01-02", "Halo", " @ksp ", "id", "", "1.234", "x"]
    record = full.numbered("line", 2, row)
    assert (record["author_handle"], record["lang"], record["source"]) == ("@ksp", "id", "brand24")
    assert (record["likes"], record["reach"], record["platform"]) == (1234, None, "other")
    assert record["raw"] == {h: v for h, v in zip(headers, row, strict=True) if v}
    bare = generic.RowConverter(headers[:2], {"date": 0, "text": 1}, ReadContext())
    record = bare.numbered("line", 3, row[:2])
    assert [record[f] for f in ("author_handle", "lang", "source", "likes")] == [None] * 4
    assert list(record) == list(full.numbered("line", 2, row))  # the same fields, in order
    assert pickle.loads(pickle.dumps(full)).numbered("line", 2, row) == full.numbered(
        "line", 2, row
    )


def test_a_raw_is_told_small_the_same_way_whatever_its_values() -> None:
    from collectors.limits import MAX_RAW_CHARS, _surely_small

    class Text(str):
        pass

    big = "x" * (MAX_RAW_CHARS // 6)
    assert _surely_small({}) and _surely_small({"a": "b"}) and _surely_small({Text("a"): "b"})
    assert _surely_small({"a": None, "b": 3, "c": 1.5}) and not _surely_small({"a": [1]})
    assert not _surely_small({"a": big}) and not _surely_small({"a": None, "b": big})
    assert not _surely_small({1: "x"}) and not _surely_small("text")
