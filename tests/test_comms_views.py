"""The comms team's views (issue 15, second round): the 24-hour period, search highlights,
Topics handing its filters to Mentions, plain topics, peers over time, Indonesian formats and
Streamlit's own texts. Page behaviour through AppTest on the demo database; the browser checks
are in ``tests/test_browser_comms.py``."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from citra import highlight, store
from citra.comparison import weekly_reputation
from citra.filters import PRESETS, Filters
from citra.formatting import format_local_datetime
from citra.search_terms import matchers
from citra.topics import RisingTerm, terms, text_language, without_overlaps
from tests import test_dashboard_pages as shared
from tests.conftest import ROOT
from tests.test_dashboard_pages import APP, count, open_page

# The page tests' fixtures: the demo database (built once a session), fresh caches per test.
demo_db_file = shared.demo_db_file
demo_db = shared.demo_db
pytestmark = pytest.mark.usefixtures("fresh_caches")


def test_last_24_hours_is_the_hours_up_to_now_to_the_minute() -> None:
    now = datetime(2026, 12, 1, 3, 14, 35, tzinfo=UTC)  # 10:14 in Jakarta
    f = Filters.last_hours(24, now, organisation_id=1)
    assert "24h" in PRESETS
    assert (f.start, f.end) == ("2026-11-30T03:15:00Z", "2026-12-01T03:15:00Z")
    # The daily counts cover the local days the hours touch.
    assert (f.first_day, f.last_day) == ("2026-11-30", "2026-12-01")
    before = f.previous()
    assert (before.start, before.end) == ("2026-11-29T03:15:00Z", "2026-11-30T03:15:00Z")
    assert before.hours == 24 and before.organisation_id == 1


def test_the_24_hour_period_lists_the_mentions_of_the_last_24_hours(demo_db: Path) -> None:
    # The demo may have nothing in the last 24 hours at some times of day: add mentions an hour,
    # twelve hours and 23 hours old (and one 30 hours old, outside the period).
    from citra.store.mentions import insert_mentions, mention_id

    db = store.open_db(demo_db)
    now = datetime.now(UTC)
    with db.atomic():
        insert_mentions(
            db,
            (
                {
                    "id": mention_id("news", f"last-24h-{hours}"),
                    "organisation_id": 1,
                    "platform": "news",
                    "source": "Kabar Desa",
                    "text": f"KSP Tunas Makmur membuka cabang baru ({hours})",
                    "published_at": (now - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
                for hours in (1, 12, 23, 30)
            ),
        )
    db.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "id"
    at.query_params["range"] = "24h"
    at.run()
    preset = at.sidebar.selectbox(key="f_preset")
    assert preset.value == "24h"
    assert "24 jam terakhir" in preset.options
    at.switch_page("pages/mentions.py").run()
    assert not at.exception
    now = datetime.now(UTC)
    start = (now - timedelta(hours=24, minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    # Within the minute's tolerance at either end.
    low = count(
        demo_db,
        "SELECT count(*) FROM mentions WHERE organisation_id = 1 AND published_at >= ? "
        "AND published_at < ?",
        [(now - timedelta(hours=23, minutes=59)).strftime("%Y-%m-%dT%H:%M:%SZ"), end],
    )
    high = count(
        demo_db,
        "SELECT count(*) FROM mentions WHERE organisation_id = 1 AND published_at >= ? "
        "AND published_at < ?",
        [start, end],
    )
    shown = int(at.caption[0].value.split(" ")[0].replace(".", ""))
    assert 0 < low <= shown <= high, (low, shown, high)


@pytest.mark.parametrize(
    ("search", "exact", "text", "marked"),
    [
        # Plain words: their forms and synonyms, phrases whole.
        (
            "SHU terlambat",
            False,
            "SHU tahun ini TELAT lagi, katanya tertunda. Sisa hasil usaha belum dibagi!",
            ["SHU", "TELAT", "tertunda", "Sisa hasil usaha", "belum dibagi"],
        ),
        ("pencairan", False, "Dana belum dicairkan, pencairan macet", ["dicairkan", "pencairan"]),
        # Exact: only the words as written.
        ("SHU terlambat", True, "SHU telat, SHU terlambat", ["SHU", "SHU", "terlambat"]),
        # FTS5 syntax: phrases, prefixes; NOT finds nothing to mark.
        (
            '"gagal bayar" OR bayar*',
            False,
            "Gagal bayar, bayaran telat",
            ["Gagal bayar", "bayaran"],
        ),
        ("bayar NOT pailit", False, "bayar dulu, pailit nanti", ["bayar"]),
        ("", False, "tidak ada pencarian", []),
    ],
)
def test_the_words_a_search_finds_are_marked(search, exact, text, marked) -> None:
    spans = highlight.spans(text, matchers(search, exact=exact))
    assert [text[a:b] for a, b in spans] == marked


def test_the_marked_text_is_escaped_first() -> None:
    text = '<img src=x onerror="alert(1)"> SHU <b>telat</b> & "tertunda"'
    html = highlight.to_html(text, highlight.spans(text, matchers("SHU terlambat")))
    assert html == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>SHU</mark> &lt;b&gt;"
        "<mark>telat</mark>&lt;/b&gt; &amp; &quot;<mark>tertunda</mark>&quot;"
    )
    assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_a_snippet_shows_the_first_match() -> None:
    text = "awal " * 60 + "SHU telat dibagikan " + "akhir " * 40
    shown = highlight.snippet(text, highlight.spans(text, matchers("telat")))
    assert len(shown) <= 160 and "SHU telat" in shown and shown.startswith("…")
    assert highlight.snippet("pendek", []) == "pendek"


def test_mentions_mark_the_search_in_the_open_mention(demo_db: Path) -> None:
    db = store.open_db(demo_db)
    seq = db.execute(
        "SELECT seq FROM mentions WHERE organisation_id = 1 ORDER BY seq DESC"
    ).fetchone()[0]
    db.execute(
        "UPDATE mentions SET title = NULL, text = ? WHERE seq = ?",
        ['<script>alert("x")</script> Pembagian SHU telat lagi, katanya tertunda.', seq],
    )
    db.conn.commit()
    db.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "id"
    at.query_params["range"] = "this_year"
    at.query_params["mention"] = str(seq)
    at.session_state["m_text"] = "SHU terlambat"
    at.run()
    at.switch_page("pages/mentions.py").run()
    assert not at.exception
    body = at.html[0].proto.body
    assert "&lt;script&gt;" in body and "<script>" not in body
    assert "<mark>SHU</mark>" in body and "<mark>telat</mark>" in body
    assert "<mark>tertunda</mark>" in body
    assert any(c.value == "Ditemukan oleh pencarian: shu, telat, tertunda" for c in at.caption)
    # The table leads with the mention's words and writes the score the Indonesian way.
    table = at.dataframe[0].value
    assert list(table.columns)[:2] == ["mention", "sentiment_label"]
    assert all("." not in v and (v == "0,00" or v[0] in "+−") for v in table["sentiment_compound"])
    assert any("." in v for v in table["reach"]) and not any("," in v for v in table["reach"])
    assert not {"Tiktok", "Youtube"} & set(table["source"])


def test_a_year_or_quarter_so_far_compares_with_the_same_days_before() -> None:
    year = Filters.for_days(date(2026, 1, 1), date(2026, 12, 1)).previous()
    assert (year.first_day, year.last_day) == ("2025-01-01", "2025-12-01")
    quarter = Filters.for_days(date(2026, 10, 1), date(2026, 11, 30)).previous()
    assert (quarter.first_day, quarter.last_day) == ("2026-08-01", "2026-09-30")  # whole months
    so_far = Filters.for_days(date(2026, 10, 1), date(2026, 12, 1)).previous()
    assert (so_far.first_day, so_far.last_day) == ("2026-07-01", "2026-09-01")


def rising(term: str, now: int, z: float) -> RisingTerm:
    return RisingTerm(term=term, now=now, before=0, z=z)


@pytest.mark.parametrize(
    ("found", "kept"),
    [
        # A word and its phrase in the same mentions: the phrase, where the word ranked.
        (
            [rising("completes", 30, 5), rising("completes delayed", 30, 4.9), rising("x", 9, 1)],
            ["completes delayed", "x"],
        ),
        # Two phrases chained by a word: the higher one.
        (
            [rising("completes delayed", 30, 5), rising("delayed shu", 29, 4.9)],
            ["completes delayed"],
        ),
        # A word far more common than its phrase is its own topic.
        ([rising("shu", 300, 9), rising("shu telat", 40, 5)], ["shu", "shu telat"]),
        # Both words of a phrase: the phrase alone.
        (
            [rising("gagal", 90, 5), rising("bayar", 95, 4.8), rising("gagal bayar", 88, 4.5)],
            ["gagal bayar"],
        ),
    ],
)
def test_topics_keep_one_term_per_topic(found, kept) -> None:
    assert [r.term for r in without_overlaps(found)] == kept


def test_topic_terms_leave_out_fragments() -> None:
    assert terms("dana cair2, pengurus rat2026 diam") == [
        "dana",
        "cair",
        "dana cair",
        "pengurus",
        "diam",
    ]
    assert "cair pengurus" not in terms("dana cair2. pengurus diam")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Delayed SHU payouts at KSP Tunas Makmur worry members; rumours of default spread", "en"),
        ("SHU tahun ini telat lagi, pengurus belum kasih kabar", "id"),
        ("#koperasi KSP Tunas Makmur", None),
    ],
)
def test_the_language_of_a_text(text: str, language: str | None) -> None:
    assert text_language(text) == language


def test_topics_in_indonesian_leave_english_mentions_out(demo_db: Path) -> None:
    import json

    at = open_page("topics", "id")
    assert not at.exception
    assert any("bahasa lain tidak dihitung" in c.value for c in at.caption)
    english = {"delayed", "completes", "payout", "payouts", "independent", "members", "after"}
    for chart in at.get("plotly_chart"):
        layout_and_data = json.loads(chart.proto.spec)
        shown = set(layout_and_data["data"][0]["y"])
        assert not {word for term in shown for word in term.split()} & english, shown
        axis = layout_and_data["layout"]["xaxis"]
        assert axis["title"]["text"] == "Kenaikan dibanding periode lalu"
        assert axis["showticklabels"] is False


def test_the_weekly_reputation_index_by_hand() -> None:
    import pandas as pd

    def day(day: str, org: str, pos: int, neg: int, neu: int, weight: int = 1) -> dict:
        return {
            "day": day,
            "organisation": org,
            "mentions": pos + neg + neu,
            "positive": pos,
            "negative": neg,
            "neutral": neu,
            "pos_weight": pos * weight,
            "neg_weight": neg * weight,
            "neu_weight": neu * weight,
        }

    daily = pd.DataFrame(
        [
            day("2026-11-23", "Coop", 3, 1, 0),  # Monday
            day("2026-11-29", "Coop", 0, 1, 1, weight=10),  # Sunday, same week
            day("2026-11-30", "Coop", 1, 1, 0),  # next week: 2 mentions, too few
            day("2026-11-24", "Peer", 0, 5, 5),
        ]
    )
    weekly = weekly_reputation(daily, ["Coop", "Peer"])
    rows = {(r.period, r.organisation): r.index for r in weekly.itertuples()}
    # Week of 23 Nov: positive weight 3, negative 1 + 10, neutral 10 -> 100 * (3 - 11) / 24.
    assert rows[("2026-11-23", "Coop")] == pytest.approx(100 * (3 - 11) / 24)
    assert pd.isna(rows[("2026-11-30", "Coop")])
    assert rows[("2026-11-23", "Peer")] == pytest.approx(-50)
    assert list(weekly["organisation"]) == ["Coop", "Coop", "Peer"]
    assert weekly_reputation(daily.iloc[0:0], ["Coop"]).empty


def test_peers_draw_each_organisations_reputation_over_time(demo_db: Path) -> None:
    import json

    at = open_page("peers", "id")
    assert not at.exception
    assert any(s.value == "Indeks reputasi per minggu" for s in at.subheader)
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    index = next(c for c in charts if c["layout"]["yaxis"].get("range") == [-100, 100])
    names = [trace["name"] for trace in index["data"]]
    table = at.dataframe[0].value
    assert names == list(table["Organisasi"])
    assert all(len(trace["x"]) >= 10 for trace in index["data"])  # 90 days: 13 or 14 weeks
    # Hover texts and the table in the Indonesian way: a true minus, no decimal point.
    hovers = [h for trace in index["data"] for h in trace["hovertext"]]
    assert any("−" in h for h in hovers) or all("+" in h or " 0" in h for h in hovers)
    assert not any("." in v for v in table["Indeks reputasi"])
    import re

    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", h) for h in hovers)  # dates written out


def _widget_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in [*sorted((ROOT / "pages").glob("*.py")), ROOT / "dashboard.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                calls.append((f"{path.name}:{node.lineno}", node))
    return calls


# Streamlit's own English texts an app can replace, per widget: the keyword that replaces them.
OWN_TEXTS = {
    "selectbox": "placeholder",  # "Choose an option"
    "multiselect": "placeholder",  # "Choose options"
    "dataframe": "placeholder",  # "None" in an empty cell
    "data_editor": "placeholder",
    "file_uploader": "help",  # the box says "Drag and drop file here" in English only
}


def test_no_widget_shows_streamlits_own_english_where_the_app_can_set_it() -> None:
    missing = [
        f"{where} {call.func.attr} without {OWN_TEXTS[call.func.attr]}"
        for where, call in _widget_calls()
        if call.func.attr in OWN_TEXTS
        and OWN_TEXTS[call.func.attr] not in {k.arg for k in call.keywords}
    ]
    assert not missing, missing


def test_no_widget_writes_a_decimal_number_the_english_way() -> None:
    # st.slider and a float st.number_input print "0.00"; NumberColumn's printf formats print
    # "+0.36". Pages pass numbers written by citra.formatting instead (select_slider, text).
    found = []
    for where, call in _widget_calls():
        name = call.func.attr
        floats = [
            k.arg
            for k in call.keywords
            if isinstance(k.value, ast.Constant) and isinstance(k.value.value, float)
        ] + [a for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, float)]
        printf = [
            k.value.value
            for k in call.keywords
            if k.arg == "format" and isinstance(k.value, ast.Constant) and "%" in str(k.value.value)
        ]
        if name == "slider" or (name == "number_input" and floats) or printf:
            found.append(f"{where} {name}")
    assert not found, found


def test_the_settings_numbers_are_written_the_indonesian_way(demo_db: Path) -> None:
    at = open_page("settings", "id")
    assert not at.exception
    valence = at.select_slider(key="s_valence")
    assert valence.format_func(1.5) == "+1,5" and valence.format_func(-2.0) == "−2,0"
    assert at.select_slider(key="rules_k").format_func(2.5) == "2,5"


def test_chat_times_in_the_members_tables_are_written_out() -> None:
    assert format_local_datetime("2026-11-23T12:45:10", "id") == "23 Nov 2026 12:45"


def test_the_import_history_writes_counts_with_separators(demo_db: Path) -> None:
    at = open_page("sources", "id")
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any(t.endswith("baru, 0 duplikat, 0 baris ditolak") and "." in t for t in texts), texts
    assert not any(t.startswith(("3320", "8920")) for t in texts)
    uploader = at.get("file_uploader")[0].proto
    assert uploader.help == (
        "Letakkan berkas di kotak atau pilih dengan tombolnya: paling besar 200 MB per berkas."
    )


def test_a_list_line_shows_why_the_mention_was_found() -> None:
    found = matchers("terlambat")
    body = "Rapat anggota tahunan " * 10 + "dan SHU telat lagi"
    assert highlight.preview("Berita koperasi", body, found).endswith("SHU telat lagi")
    assert highlight.preview("SHU telat", body, found) == "SHU telat"
    assert highlight.preview(None, "tanpa judul", matchers("")) == "tanpa judul"
    assert highlight.preview(None, None, found) == ""


def test_the_overview_counts_the_last_24_hours_to_the_minute(demo_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.query_params["range"] = "24h"
    at.run()
    assert not at.exception
    assert at.caption[0].value.startswith("KSP Tunas Makmur, the last 24 hours, compared with")
    now = datetime.now(UTC)

    def mentions_since(hours: float) -> int:
        start = (now - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return count(
            demo_db,
            "SELECT count(*) FROM mentions WHERE organisation_id = 1 AND is_own = 0 "
            "AND published_at >= ?",
            [start],
        )

    shown = int(next(m.value for m in at.metric if m.label == "Mentions").replace(",", ""))
    assert mentions_since(24 - 1 / 60) <= shown <= mentions_since(24 + 1 / 60)
    assert shown < mentions_since(48)  # not the two calendar days
