"""The monthly report's files, read back as a reader would (openpyxl, pypdf, csv), on the demo
database, against numbers computed here directly in SQL on ``mentions`` (not through the
rollup or the functions the report uses)."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from citra import pipeline, store
from citra.reports.content import build_report
from citra.reports.files import write_report
from tests.conftest import ROOT

JAKARTA = ZoneInfo("Asia/Jakarta")
DEMO_TODAY = date(2026, 12, 1)  # the demo's 24 months end on 30 November 2026
CRISIS = "2026-07"  # the demo's crisis month: delayed SHU, gagal bayar and PKPU rumours
SHEETS = [
    "Ringkasan",
    "Pendorong",
    "Harian",
    "Platform",
    "Sumber",
    "Pangsa suara",
    "Sebutan teratas",
    "Peristiwa risiko",
    "Anggota",
    "Narasi",  # the demo defines narratives and a plan
    "Sebutan",
]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "demo.db"
    db = store.open_db(path)
    pipeline.seed_demo(db, today=DEMO_TODAY)
    db.close()
    return path


@pytest.fixture(scope="module")
def written(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The crisis month's report in every format, in Indonesian."""
    folder = tmp_path_factory.mktemp("out")
    db = store.open_readonly(demo_file)
    report = build_report(db, CRISIS, lang="id")
    files = {}
    for fmt in ("xlsx", "pdf", "html", "csv"):
        for path in write_report(db, report, fmt, folder):
            files[path.name.removeprefix("laporan-2026-07").lstrip("-.")] = path
    db.close()
    return files


def bounds(first: date, last: date) -> tuple[str, str]:
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    start = datetime.combine(first, time.min, tzinfo=JAKARTA).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=JAKARTA).astimezone(UTC)
    return start.strftime(fmt), end.strftime(fmt)


JULY = bounds(date(2026, 7, 1), date(2026, 7, 31))
JUNE = bounds(date(2026, 6, 1), date(2026, 6, 30))


def one(path: Path, sql: str, params: list) -> tuple:
    db = store.open_readonly(path)
    try:
        return db.execute(sql, params).fetchone()
    finally:
        db.close()


def index(path: Path, period: tuple[str, str]) -> float:
    """100 × (P − N) / (P + U + N) over reach weights max(reach, 1), the coop, no own posts."""
    positive, negative, total = one(
        path,
        "SELECT sum(CASE WHEN sentiment_label = 'positive' THEN max(coalesce(reach, 0), 1) END), "
        "sum(CASE WHEN sentiment_label = 'negative' THEN max(coalesce(reach, 0), 1) END), "
        "sum(max(coalesce(reach, 0), 1)) FROM mentions WHERE organisation_id = 1 AND is_own = 0 "
        "AND sentiment_label IS NOT NULL AND published_at >= ? AND published_at < ?",
        list(period),
    )
    return 100 * (positive - negative) / total


def mentions_in(path: Path, period: tuple[str, str]) -> int:
    return one(
        path,
        "SELECT count(*) FROM mentions WHERE organisation_id = 1 AND is_own = 0 "
        "AND published_at >= ? AND published_at < ?",
        list(period),
    )[0]


def pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(text.split())


def test_every_sheet_exists_and_the_summary_holds_the_numbers(
    demo_file: Path, written: dict[str, Path]
) -> None:
    book = openpyxl.load_workbook(written["xlsx"])
    assert book.sheetnames == SHEETS
    summary = {row[0]: row[1:] for row in book["Ringkasan"].iter_rows(values_only=True) if row[0]}
    now, before, year_ago, change, _ = summary["Indeks reputasi"]
    assert now == pytest.approx(index(demo_file, JULY))
    assert before == pytest.approx(index(demo_file, JUNE))
    assert year_ago == pytest.approx(index(demo_file, bounds(date(2025, 7, 1), date(2025, 7, 31))))
    assert change == pytest.approx(index(demo_file, JULY) - index(demo_file, JUNE))
    assert summary["Sebutan"][:2] == (mentions_in(demo_file, JULY), mentions_in(demo_file, JUNE))
    # The month's mentions, one row each (header first); the daily table, one row a day.
    assert book["Sebutan"].max_row - 1 == mentions_in(demo_file, JULY)
    daily = list(book["Harian"].iter_rows(min_row=2, values_only=True))
    assert len(daily) == 31 and sum(row[1] for row in daily) == mentions_in(demo_file, JULY)
    assert book["Sebutan"].freeze_panes == "A2"
    risk = [row[0] for row in book["Peristiwa risiko"].iter_rows(min_row=2, values_only=True)]
    assert "gagal bayar" in risk and "PKPU dan pailit" in risk


def top_negative_story(path: Path) -> str:
    """The July story (syndicated copies grouped) with the most reach weight among the coop's
    negative mentions: with every story new this month, the one that took most from the index."""
    return one(
        path,
        "SELECT coalesce(max(title), max(text)) FROM mentions WHERE organisation_id = 1 "
        "AND is_own = 0 AND sentiment_label = 'negative' AND published_at >= ? "
        "AND published_at < ? GROUP BY coalesce(story_id, id) "
        "ORDER BY sum(max(coalesce(reach, 0), 1)) DESC LIMIT 1",
        list(JULY),
    )[0]


def test_the_pdf_says_the_numbers_and_names_the_top_negative_story(
    demo_file: Path, written: dict[str, Path]
) -> None:
    text = pdf_text(written["pdf"])
    assert "Laporan reputasi bulanan" in text and "KSP Tunas Makmur" in text
    assert "Juli 2026" in text and "Data demo" in text
    change = round(index(demo_file, JULY) - index(demo_file, JUNE))
    now = round(index(demo_file, JULY))
    assert f"adalah −{abs(now)}, −{abs(change)} poin dibandingkan Juni 2026" in text
    assert "lebih buruk" in text
    assert " ".join(top_negative_story(demo_file).split()) in text
    for heading in ("Ringkasan", "Apa yang menggerakkan indeks", "Tren sentimen", "Metode"):
        assert heading in text
    assert "gagal bayar" in text and "PKPU" in text  # the risk events of the crisis
    reader = PdfReader(written["pdf"])
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    assert reader.metadata.title.startswith("Laporan reputasi bulanan")


def test_the_summary_change_equals_the_overview(
    demo_file: Path, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    monkeypatch.setenv("CITRA_DB", str(path))
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in {"range": "custom", "from": "2026-07-01", "to": "2026-07-31"}.items():
        at.query_params[key] = value
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    tile = next(m for m in at.metric if m.label == "Reputation index")
    db = store.open_readonly(path)
    report = build_report(db, CRISIS, lang="en")
    db.close()
    assert tile.delta == f"{report.card.index_change:+.0f}"
    assert f"{abs(report.card.index_change):.0f} points against June 2026" in report.summary[0]
    # The report box shows the same three drivers, linked to their mentions.
    box = " ".join(m.value for m in at.markdown)
    for effect in report.drivers.main:
        assert f"sebutan?mention={effect.top_seq}" in box


def test_csv_files(demo_file: Path, written: dict[str, Path]) -> None:
    with written["csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["Waktu (Asia/Jakarta)", "Platform", "Sumber"]
    assert len(rows) - 1 == mentions_in(demo_file, JULY)
    with written["daily.csv"].open(encoding="utf-8-sig", newline="") as handle:
        daily = list(csv.DictReader(handle))
    assert [row["Tanggal"] for row in daily][:2] == ["2026-07-01", "2026-07-02"] and len(
        daily
    ) == 31
    assert sum(int(row["Sebutan"]) for row in daily) == mentions_in(demo_file, JULY)
    assert list(daily[0]) == [
        "Tanggal", "Sebutan", "Positif", "Negatif", "Netral", "Sentimen bersih",
        "Indeks reputasi", "Jangkauan", "Pangsa suara", "Risiko",
    ]  # fmt: skip


def test_html_holds_the_pdf_content(written: dict[str, Path]) -> None:
    html = written["html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "@page { size: A4" in html
    assert html.count("<svg") == 3 and "<script" not in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Apa yang menggerakkan indeks" in text and "Metode" in text


def test_a_month_without_data_is_a_valid_report_that_says_so(
    demo_file: Path, tmp_path: Path
) -> None:
    db = store.open_readonly(demo_file)
    report = build_report(db, "2019-01", lang="id")
    files = [p for fmt in ("pdf", "xlsx", "csv") for p in write_report(db, report, fmt, tmp_path)]
    db.close()
    assert not report.has_data
    assert "Tidak ada sebutan tentang KSP Tunas Makmur pada Januari 2019" in pdf_text(files[0])
    assert openpyxl.load_workbook(files[1]).sheetnames == SHEETS
    assert files[2].read_text(encoding="utf-8-sig").count("\n") == 1  # the header alone


def test_formula_looking_text_is_never_a_formula(tmp_path: Path) -> None:
    from citra.store.mentions import insert_mentions
    from citra.store.organisations import set_profile

    db = store.open_db(tmp_path / "c.db")
    coop = set_profile(db, name="Kopsera")
    with db.conn:
        insert_mentions(
            db,
            [
                {
                    "id": "x1",
                    "organisation_id": coop.id,
                    "platform": "x",
                    "source": "@SUM(A1)",
                    "text": '=HYPERLINK("https://evil.example","klik")',
                    "author": "+62 811",
                    "url": "javascript:alert(1)",
                    "published_at": "2026-11-10T03:00:00Z",
                    "sentiment_label": "negative",
                    "sentiment_compound": -0.5,
                }
            ],
        )
    report = build_report(db, "2026-11", lang="en")
    workbook, mentions_csv, _, page = [
        p for fmt in ("xlsx", "csv", "html") for p in write_report(db, report, fmt, tmp_path)
    ]
    # The story is listed, but a link that is not a web address never becomes one.
    html = page.read_text(encoding="utf-8")
    assert "HYPERLINK" in html and 'href="javascript' not in html
    sheet = openpyxl.load_workbook(workbook)["Mentions"]
    cell = sheet.cell(row=2, column=5)
    assert cell.value == '=HYPERLINK("https://evil.example","klik")'
    assert cell.data_type == "s" and cell.quotePrefix
    assert sheet.cell(row=2, column=3).data_type == "s"
    row = list(csv.reader(mentions_csv.read_text(encoding="utf-8-sig").splitlines()))[1]
    assert row[2] == "'@SUM(A1)" and row[5].startswith("'=HYPERLINK") and row[6] == "'+62 811"
