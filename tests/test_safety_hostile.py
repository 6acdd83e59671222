"""The hostile-input test (issue 17): an export full of HTML, JavaScript, Markdown links and
images, ``javascript:``/``data:`` URLs and formula cells goes through the real pipeline; then
every page (AppTest) shows it as text, links only to web addresses, and every export (report
CSV/XLSX/HTML/PDF, the labels export, the Settings corrections download, the ambassadors list)
neutralises formulas and escapes HTML. The Narratives & plan page gets hostile narratives, plan
lines, outlet headlines (``javascript:`` links among them), voices and ambassadors."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from citra import ambassadors, pipeline, store
from citra.exports import FORMULA_START
from citra.queries.sentiment import export_labels
from citra.reports.files import report_bytes
from citra.sentiment.display import labels_csv
from citra.store.member_registry import add_engagement_action, upsert_member
from citra.store.narratives import add_plan, set_ambassador_rule, store_headlines
from citra.store.sentiment import set_manual_label
from tests.conftest import EVERY_PAGE, ROOT

APP = str(ROOT / "dashboard.py")
# Every page shows outside text, except the privacy page (Citra's own words only).
PAGES = [page for page in EVERY_PAGE if page != "privacy"]
PEER = '<a href="https://evil.example/">KSP Jahat</a>'
IMAGE = "![px](https://tracker.example/pixel.gif)"
LINK = "[Klik di sini](https://phish.example/login)"
HOSTILE_ROWS = [
    {
        "title": f"{IMAGE} KSP Sejahtera gagal bayar",
        "text": f"KSP Sejahtera {LINK} <script>alert(1)</script> <img src=x onerror=alert(2)>",
        "author": '=HYPERLINK("https://evil.example/","klik")',
        "url": "javascript:alert(document.cookie)",
    },
    {
        "title": "+cmd|' /C calc'!A0 KSP Sejahtera",
        "text": "KSP Sejahtera [x](javascript:alert(3)) ![y](data:image/png;base64,AAAA) bagus",
        "author": "@SUM(1+1)*cmd|' /C calc'!A0",
        "url": "data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==",
    },
    {
        "title": "-2+3+cmd|' /C calc'!A0",
        "text": "KSP Sejahtera ramah # Judul palsu\n\n> kutipan **tebal** :red[merah]",
        "author": "<b>Penulis</b>",
        "url": "https://news.example.id/berita/1?a=(b)",
    },
    {
        "title": "\t=1+1 KSP Jahat curang",
        "text": f"{PEER} menipu anggota, KSP Jahat kabur",
        "author": "[Admin](https://phish.example/)",
        "url": "https://news.example.id/berita/2",
    },
]

# Markdown that would render something from the data: an image, a link to anything but a web
# address, raw HTML. A mark after a backslash is shown as written.
UNSAFE = [
    re.compile(r"(?<!\\)!(?<!\\)\["),  # an image
    re.compile(r"(?<!\\)\]\((?!https?://|sebutan\?|\?)"),  # a link that is not http(s)
    re.compile(r"(?<!\\)<\s*(?:a|img|script|b|iframe)\b", re.IGNORECASE),  # raw HTML
    re.compile(
        r"(?<!\\)\[(?:Klik di sini|Admin|x|y|Narasi|Klik|Sari)(?<!\\)\]"
    ),  # data's link text
]
NARRATIVE = "[Narasi](javascript:alert(7)) <img src=x onerror=alert(8)>"
FORMULA_NARRATIVE = '=HYPERLINK("https://evil.example/","narasi")'
HEADLINES = [  # outlet headlines this week: one rising topic, hostile titles and sources
    ("[Klik](javascript:alert(9)) Pinjol ilegal resahkan warga desa", "<b>Sumber</b>"),
    (
        "Warga mengeluh pinjol ilegal <img src=x onerror=alert(10)>",
        "[Admin](https://phish.example/)",
    ),
    ("![px](https://tracker.example/p.gif) OJK tutup ratusan pinjol ilegal", "=cmd|x"),
    ("Korban pinjol ilegal lapor polisi, # bukan judul", None),
]
# Last weeks' headlines: 36 stories with no word in common (none folded as a syndicated copy).
WORDS = ["".join(s) for s in itertools.product(["ba", "ki", "lu", "mo", "ne", "ra"], repeat=3)]
BASELINE = [" ".join(WORDS[4 * i : 4 * i + 4]).capitalize() for i in range(36)]
MEMBER = {"member_no": "=1+1", "name": "[Sari](javascript:alert(11)) <b>Sari</b>",
          "branch": "@SUM(1+1)"}  # fmt: skip


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "citra.db"
    db = store.open_db(path)
    pipeline.save_profile(
        db,
        name="KSP Sejahtera",
        keywords=["KSP Sejahtera", "[kw](javascript:alert(5))", "=KW()"],
        website="javascript:alert(6)",
    )
    pipeline.save_peer(db, PEER, keywords=["KSP Jahat"])
    export = folder / "hostile.csv"
    now = datetime.now(UTC) - timedelta(days=2)
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["date", "title", "text", "author", "url"])
        writer.writeheader()
        for offset, row in enumerate(HOSTILE_ROWS):
            stamp = (now - timedelta(hours=offset)).strftime("%Y-%m-%d %H:%M")
            writer.writerow({"date": stamp, **row})
    summary = pipeline.import_file(db, export, name="<img src=x>=cmd.csv")
    assert summary["added"] == len(HOSTILE_ROWS), summary
    for (seq,) in db.execute("SELECT seq FROM mentions ORDER BY seq").fetchall():
        with db.atomic():
            set_manual_label(db, seq, "negative")
    add_narratives(db, now)
    db.close()
    return path


def add_narratives(db: store.Database, now: datetime) -> None:
    """Narratives, a plan line, outlet headlines and an ambassador, all from outside."""
    pipeline.save_narrative(
        db, NARRATIVE, keywords=["KSP Sejahtera", "![k](https://tracker.example/k.gif)"],
        examples=["<script>alert(12)</script> [contoh](javascript:alert(13))"],
    )  # fmt: skip
    pipeline.save_narrative(db, FORMULA_NARRATIVE, keywords=["KSP Jahat"])
    add_plan(db, "tiktok", 4, per="week", narrative=NARRATIVE)
    with db.atomic():
        feed = db.execute(
            "INSERT INTO feeds (url, name, kind) VALUES ('https://outlet.example/rss', "
            "'<b>Outlet</b>', 'outlet')"
        ).lastrowid
        stamp = "%Y-%m-%dT%H:%M:%SZ"
        entries = [
            SimpleNamespace(url=f"https://outlet.example/{i}", title=title, source=source,
                            published_at=(now - timedelta(hours=12 - 3 * i)).strftime(stamp))
            for i, (title, source) in enumerate(HEADLINES)
        ] + [
            SimpleNamespace(url=f"https://outlet.example/old/{i}", title=word,
                            source="Koran", published_at=(now - timedelta(days=10 + i)).strftime(stamp))
            for i, word in enumerate(BASELINE)
        ]  # fmt: skip
        store_headlines(db, feed, entries)
        # A headline kept by an older version with a link that is no web address.
        db.execute(
            "INSERT INTO feed_headlines (url, feed_id, title, source, published_at, seen_at) "
            "VALUES ('javascript:alert(14)', ?, 'Pinjol ilegal makin marak di kota', NULL, ?, ?)",
            [feed, (now - timedelta(hours=11)).strftime(stamp), now.strftime(stamp)],
        )
    member = upsert_member(db, **MEMBER)
    member_id = db.execute("SELECT id FROM members WHERE member_no = ?", ["=1+1"]).fetchone()[0]
    for hours in (1, 2):
        add_engagement_action(
            db, member_id, kind="share", occurred_at=(now - timedelta(hours=hours)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"), note="=HYPERLINK(\"javascript:alert(15)\") javascript:x",
        )  # fmt: skip
    set_ambassador_rule(db, 1)
    assert member is not None


@pytest.fixture
def hostile(hostile_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("CITRA_DB", str(hostile_db))
    monkeypatch.setenv("CITRA_ROLE", "admin")
    return hostile_db


def rendered(at: AppTest) -> list[str]:
    """Every text element that renders Markdown, as its source."""
    kinds = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "success")
    values: list[str] = []
    for kind in (*kinds, "error"):
        values += [str(element.value) for element in getattr(at, kind)]
    values += [str(e.label) for e in at.get("expander")]
    return values


def check_page(at: AppTest, page: str) -> str:
    assert not at.exception, (page, at.exception)
    texts = rendered(at)
    for text in texts:
        for pattern in UNSAFE:
            assert not pattern.search(text), (page, pattern.pattern, text)
    for frame in at.dataframe:
        data = frame.value
        for column in data.columns:
            if str(column).lower() in ("url", "link", "tautan"):
                for value in data[column].dropna():
                    assert str(value).startswith(("http://", "https://")), (page, value)
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        shown = json.dumps(spec.get("data", []))
        assert "<a href" not in shown and "<script" not in shown, (page, shown[:300])
    return "\n".join(texts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_hostile_data_as_text(hostile: Path, page: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "id"
    at.query_params["range"] = "30d"
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    check_page(at, page)


def test_the_open_mention_shows_its_title_and_text_as_text(hostile: Path) -> None:
    db = store.open_readonly(hostile)
    seqs = [row[0] for row in db.execute("SELECT seq FROM mentions ORDER BY seq")]
    db.close()
    seen = []
    bodies = []
    for seq in seqs:
        at = AppTest.from_file(str(ROOT / "pages" / "mentions.py"), default_timeout=60)
        at.session_state["lang"] = "id"
        at.query_params["mention"] = str(seq)
        at.run()
        seen.append(check_page(at, f"mention {seq}"))
        # The open mention's text is HTML (for the search's <mark>s), every character escaped.
        bodies += [element.proto.body for element in at.get("html")]
    everything = "\n".join(seen)
    html_text = "\n".join(bodies)
    # The hostile texts are there, escaped: shown as written, not rendered.
    assert r"\!\[px\](https\:" in everything  # the title, through ui.plain
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert "<script" not in html_text and "<img" not in html_text
    assert "[Klik di sini]" in html_text
    assert r"\=HYPERLINK(" in everything  # a title, through ui.plain


def test_the_peers_chart_shows_the_peer_name_as_text(hostile: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "id"
    at.query_params["range"] = "30d"
    at.run()
    at.switch_page("pages/peers.py").run()
    specs = [json.dumps(json.loads(c.proto.spec)["data"]) for c in at.get("plotly_chart")]
    assert any("&lt;a href=" in spec for spec in specs)


def share_month(db_path: Path) -> str:
    db = store.open_readonly(db_path)
    month = db.execute("SELECT substr(max(occurred_at), 1, 7) FROM engagement_actions").fetchone()
    db.close()
    return str(month[0])


def test_the_narratives_page_shows_every_tab_as_text(hostile: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "id"
    at.query_params["range"] = "30d"
    at.run()
    at.switch_page("pages/narratives.py").run()
    at.selectbox(key="ambassadors_month").set_value(share_month(hostile)).run()
    shown = check_page(at, "narratives")
    # Narratives: the name, keywords and examples from outside are there, escaped.
    labels = [str(e.label) for e in at.get("expander")]
    assert any(r"\[Narasi\](javascript\:alert(7)) \<img" in label for label in labels), labels
    assert r"\!\[k\](https\://tracker" in shown and r"\<script\>alert(12)" in shown
    # The matched mentions' headlines, escaped, linked only to web addresses.
    assert r"\!\[px\](https\:" in shown
    # Plan: the gap names the hostile narrative as text.
    assert any(r"\[Narasi\]" in str(w.value) for w in at.warning), [w.value for w in at.warning]
    # Viral topics: the rising topic with its headlines; a javascript: link is never a link.
    assert "ilegal" in shown.lower() or "pinjol" in shown.lower(), shown[:2000]
    assert r"\[Klik\](javascript\:alert(9))" in shown and "alert(14)" not in shown
    assert r"\<b\>Sumber\</b\>" in shown
    assert "](javascript" not in shown.replace(r"\]", "")
    # Voices: authors with Markdown and HTML are table cells; links only to web addresses.
    frames = [frame.value.to_string() for frame in at.dataframe]
    assert any("<b>Penulis</b>" in frame for frame in frames)
    # Ambassadors: the admin sees the member, as a table cell, and may download the list.
    assert any(MEMBER["name"] in frame and "@SUM(1+1)" in frame for frame in frames)
    assert len(at.get("download_button")) >= 2


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def formula_cells(values: list[Any]) -> list[str]:
    """Texts a spreadsheet would run; a number written in a CSV (``-0.7``) is no formula."""
    return [
        v for v in values if isinstance(v, str) and v.startswith(FORMULA_START) and not is_number(v)
    ]


def month_of_data(db: store.Database) -> str:
    return str(db.execute("SELECT substr(max(published_at), 1, 7) FROM mentions").fetchone()[0])


def test_every_export_neutralises_formulas_and_escapes_html(hostile: Path) -> None:
    db = store.open_db(hostile)
    month = month_of_data(db)
    # CSV: the report's mentions and the labels export (also the Settings corrections download).
    for name, text in (
        ("report csv", report_bytes(db, month, "csv").decode("utf-8-sig")),
        ("labels", labels_csv(export_labels(db))),
    ):
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert formula_cells(cells) == [], name
        quoted = [c for c in cells if c.startswith("'") and c[1:].startswith(FORMULA_START)]
        assert quoted, name  # the hostile cells are there, neutralised
        assert not any(c.startswith(("javascript:", "data:")) for c in cells) or name == "labels"
    # XLSX: formula-looking texts are strings with the quote prefix, never formulas.
    book = openpyxl.load_workbook(io.BytesIO(report_bytes(db, month, "xlsx")))
    seen = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                    seen += 1
                if cell.hyperlink is not None:
                    assert cell.hyperlink.target.startswith(("http://", "https://"))
    assert seen
    # HTML: escaped text, links only to web addresses.
    html = report_bytes(db, month, "html").decode("utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and PEER not in html
    assert not re.search(r"""href=["']?\s*(?:javascript|data):""", html, re.IGNORECASE)
    # PDF: no link annotation to anything but a web address.
    pdf = report_bytes(db, month, "pdf")
    for target in re.findall(rb"/URI\s*\((.*?)\)", pdf):
        assert target.startswith((b"http://", b"https://")), target
    db.close()


def test_the_reports_narratives_section_is_text(hostile: Path) -> None:
    db = store.open_db(hostile)
    month = month_of_data(db)
    html = report_bytes(db, month, "html").decode("utf-8")
    assert "&lt;img src=x onerror=alert(8)&gt;" in html  # the narrative, escaped
    assert "<img src=x" not in html and "<script>alert(12)" not in html
    assert not re.search(r"""href=["']?\s*(?:javascript|data):""", html, re.IGNORECASE)
    book = openpyxl.load_workbook(io.BytesIO(report_bytes(db, month, "xlsx")))
    sheets = [sheet for sheet in book.worksheets if sheet.title in ("Narasi", "Narratives")]
    assert sheets, book.sheetnames
    cells = [cell for row in sheets[0].iter_rows() for cell in row]
    hostile_cells = [c for c in cells if c.value == FORMULA_NARRATIVE]
    assert hostile_cells and all(c.data_type == "s" and c.quotePrefix for c in hostile_cells)
    assert any(c.value == NARRATIVE for c in cells)
    db.close()


def test_the_ambassadors_export_neutralises_formulas(hostile: Path, tmp_path: Path) -> None:
    db = store.open_db(hostile)
    month = share_month(hostile)
    text = ambassadors.export_bytes(db, month, ".csv", show_names=True).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert formula_cells(cells) == []
    assert {"'=1+1", "'@SUM(1+1)"} <= set(cells), cells
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Tautan"] for row in rows] == [""]  # the note's javascript: is no link
    book = openpyxl.load_workbook(io.BytesIO(ambassadors.export_bytes(db, month, ".xlsx",
                                                                      show_names=True)))  # fmt: skip
    values = [c for row in book.active.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in values)
    assert [c.quotePrefix for c in values if c.value in ("=1+1", "@SUM(1+1)")] == [True, True]
    # The command line's file (members ambassadors --out) is the owner's alone.
    found = ambassadors.ambassadors(db, month, show_names=True)
    path = ambassadors.export(found, tmp_path / "duta.csv", show_names=True)
    assert path.stat().st_mode & 0o777 == 0o600
    db.close()


# --- the helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        IMAGE,
        LINK,
        PEER,
        "<script>alert(1)</script>",
        "https://phish.example/login",
        "www.phish.example",
        "budi@example.id",
        "# Judul\n- daftar\n1. satu\n> kutipan\n---",
        ":red[merah] :material/home: $x^2$ **tebal** _miring_ `kode` ~~coret~~",
        "| a | b |",
    ],
)
def test_plain_text_renders_nothing(text: str) -> None:
    from citra.formatting import plain

    shown = plain(text)
    # Every mark Markdown reads inside a line comes after a backslash...
    assert not re.search(r"(?<!\\)[\[\]<>!#|~$:@&*_`]", shown.replace("\\\\", "")), shown
    # ...and so does every mark that only counts at the start of a line.
    assert not re.search(r"(?m)^\s*(?:[-+>#=]|\d+[.)])", shown), shown
    assert not re.search(r"(?i)www\.", shown)
    for pattern in UNSAFE:
        assert not pattern.search(shown)
    # Shown as written: removing the escapes gives the text back.
    assert re.sub(r"\\(.)", r"\1", shown) == text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.id/a(b)", "[open](https://news.example.id/a%28b%29)"),
        ("javascript:alert(1)", "open"),
        ("data:text/html,x", "open"),
        (None, "open"),
    ],
)
def test_links_only_to_web_addresses(url: str | None, expected: str) -> None:
    from citra.formatting import markdown_link

    assert markdown_link("open", url) == expected


def test_chart_texts_are_escaped() -> None:
    import plotly.graph_objects as go

    from citra.charts import localise

    fig = localise(go.Figure(go.Bar(x=[1.0], y=[PEER], name=PEER, hovertext=[IMAGE])), "id")
    assert fig.data[0].y == ('&lt;a href="https://evil.example/"&gt;KSP Jahat&lt;/a&gt;',)
    assert fig.data[0].name.startswith("&lt;a href")
