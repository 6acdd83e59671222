"""Every dashboard page through Streamlit's AppTest, on an empty and on a demo database.

Key values on the pages are checked against counts computed here, directly in SQL on
``mentions`` (not through the rollup the pages read).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from citra import demo, pipeline, store
from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")
PAGES = ["overview", "mentions", "topics", "peers", "presence", "reports", "settings", "home"]
JAKARTA = ZoneInfo("Asia/Jakarta")


# Every test starts with empty Streamlit caches (conftest).
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per test session (about 9,000 mentions)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = store.open_db(path)
    pipeline.seed_demo(db)
    db.close()
    return path


@pytest.fixture
def demo_db(demo_db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo database (tests may write), exported as ``CITRA_DB``."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    monkeypatch.setenv("CITRA_DB", str(path))
    return path


def open_page(
    page: str, lang: str = "id", *, switch: bool = False, period: str | None = "90d"
) -> AppTest:
    """Run the app, then open ``page`` (the Overview is the default page once a coop exists).

    ``period`` goes in the link (``?range=``) so that the numbers do not depend on the day the
    tests run (``None``: the opening rule, last month or this month). AppTest's
    ``switch_page`` runs the page file on its own, without dashboard.py's sidebar, so the page
    uses the default filters (last 90 days, every platform, the coop)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    if period:
        at.query_params["range"] = period
    at.run()
    if switch or page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    return at


def last_days_utc(days: int) -> tuple[str, str]:
    """UTC bounds of the last ``days`` Jakarta days, today included (computed independently)."""
    today = datetime.now(JAKARTA).date()
    start = datetime.combine(today - timedelta(days=days - 1), time.min, tzinfo=JAKARTA)
    end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=JAKARTA)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return start.astimezone(UTC).strftime(fmt), end.astimezone(UTC).strftime(fmt)


def opening_period_utc() -> tuple[str, str]:
    """UTC bounds of the period the dashboard opens on (computed independently of citra)."""
    today = datetime.now(JAKARTA).date()
    if today.day <= 7:
        last = today.replace(day=1) - timedelta(days=1)
        first, end_day = last.replace(day=1), last
    else:
        first, end_day = today.replace(day=1), today
    start = datetime.combine(first, time.min, tzinfo=JAKARTA)
    end = datetime.combine(end_day + timedelta(days=1), time.min, tzinfo=JAKARTA)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return start.astimezone(UTC).strftime(fmt), end.astimezone(UTC).strftime(fmt)


def count(path: Path, sql: str, params: list) -> int:
    db = store.open_readonly(path)
    try:
        return int(db.execute(sql, params).fetchone()[0])
    finally:
        db.close()


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r} in {[m.label for m in at.metric]}"
    return found[0]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_an_empty_database_points_to_start(db_path: Path, page: str) -> None:
    at = open_page(page, "en", switch=True)
    assert not at.exception
    if page == "home":
        assert at.title[0].value == "Welcome to Citra"
    else:
        assert "Set it up on the Start page" in at.info[0].value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_the_demo_database(demo_db: Path, page: str) -> None:
    at = open_page(page)
    assert not at.exception
    assert not at.error
    assert "data demo" in at.warning[0].value  # the demo banner, in Indonesian


def test_overview_numbers_match_sql(demo_db: Path) -> None:
    at = open_page("overview", "en")
    start, end = last_days_utc(90)
    coop_id = count(demo_db, "SELECT id FROM organisations WHERE kind = 'self'", [])
    mentions = count(
        demo_db,
        "SELECT count(*) FROM mentions WHERE organisation_id = ? AND is_own = 0 "
        "AND published_at >= ? AND published_at < ?",
        [coop_id, start, end],
    )
    assert metric(at, "Mentions") == f"{mentions:,}"
    # The previous 90 days: the arrow's sign is an ASCII minus, which Streamlit reads.
    before_start, _ = last_days_utc(180)
    before = count(
        demo_db,
        "SELECT count(*) FROM mentions WHERE organisation_id = ? AND is_own = 0 "
        "AND published_at >= ? AND published_at < ?",
        [coop_id, before_start, start],
    )
    change = (mentions - before) / before
    tile = next(m for m in at.metric if m.label == "Mentions")
    assert tile.delta == f"{'+' if change >= 0 else '-'}{abs(change):.0%}"
    positive, negative, scored = (
        count(
            demo_db,
            "SELECT count(*) FROM mentions WHERE organisation_id = ? AND is_own = 0 "
            f"AND published_at >= ? AND published_at < ? AND {condition}",
            [coop_id, start, end],
        )
        for condition in (
            "sentiment_label = 'positive'",
            "sentiment_label = 'negative'",
            "sentiment_label IS NOT NULL",
        )
    )
    assert metric(at, "Net sentiment") == f"{100 * (positive - negative) / scored:+.0f}"
    all_orgs = count(
        demo_db,
        "SELECT count(*) FROM mentions WHERE organisation_id IS NOT NULL AND is_own = 0 "
        "AND published_at >= ? AND published_at < ?",
        [start, end],
    )
    assert metric(at, "Share of voice") == f"{mentions / all_orgs:.0%}"
    chart = at.get("plotly_chart")[0]
    assert chart is not None
    assert "Monthly report" in [s.value for s in at.subheader]


def test_mentions_table_counts_and_bad_search(demo_db: Path) -> None:
    at = open_page("mentions", "en")
    start, end = last_days_utc(90)
    expected = count(
        demo_db,
        "SELECT count(*) FROM mentions WHERE organisation_id = "
        "(SELECT id FROM organisations WHERE kind = 'self') AND published_at >= ? "
        "AND published_at < ?",
        [start, end],
    )
    assert at.caption[0].value.startswith(f"{expected:,} mentions")
    at.text_input(key="m_text").input('"SHU').run()
    assert not at.exception
    assert "could not read this search" in at.warning[-1].value
    at.text_input(key="m_text").input("bayar*").run()
    assert not at.exception


def test_presence_counts_own_posts(demo_db: Path) -> None:
    at = open_page("presence", "en")
    assert not at.exception
    gaps = " ".join(m.value for m in at.markdown)
    assert "No X (Twitter) recorded" in gaps and "No TikTok recorded" in gaps


def test_peers_lists_the_coop_first(demo_db: Path) -> None:
    at = open_page("peers", "en")
    table = at.dataframe[0].value
    assert list(table["Organisation"])[0] == demo.COOP["name"]
    assert len(table) == 4


def test_settings_removes_demo_data(demo_db: Path) -> None:
    at = open_page("settings", "en")
    at.checkbox(key="confirm_demo_removal").check().run()
    at.button[-1].click().run()
    assert not at.exception
    assert count(demo_db, "SELECT count(*) FROM mentions", []) == 0
    assert count(demo_db, "SELECT count(*) FROM organisations", []) == 0


def test_filters_follow_the_link(demo_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["range"] = "7d"
    at.query_params["platforms"] = "news"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    start, end = last_days_utc(7)
    expected = count(
        demo_db,
        "SELECT count(*) FROM mentions WHERE organisation_id = 1 AND is_own = 0 "
        "AND platform = 'news' AND published_at >= ? AND published_at < ?",
        [start, end],
    )
    assert metric(at, "Mentions") == f"{expected:,}"


def test_a_rising_term_opens_its_mentions(demo_db: Path) -> None:
    at = open_page("topics", "en")
    negative = at.button_group[1]
    term = negative.options[0]
    negative.set_value(term).run()
    assert not at.exception
    assert at.title[0].value == "Mentions"
    assert at.session_state["m_text"] == f'"{term.lstrip("#")}"'
    # The term was picked among the negative mentions: Mentions shows those, and the link's
    # filters travel along (tests/test_browser_comms.py checks the sidebar keeps the period).
    assert at.session_state["m_labels"] == ["negative"]
    assert at.query_params["range"] == "90d"
    phrase = f'"{term.lstrip("#")}"'
    search = (
        "SELECT count(*) FROM mentions m JOIN mentions_fts f ON f.rowid = m.seq "
        "WHERE mentions_fts MATCH ? AND m.organisation_id = 1 AND m.published_at >= ? "
        "AND m.published_at < ? AND m.sentiment_label = 'negative'"
    )
    expected = count(demo_db, search, [phrase, *last_days_utc(90)])
    assert expected > 0
    assert at.caption[0].value.startswith(f"{expected:,} mentions")


def test_custom_range_and_organisation_from_the_link(demo_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {
        "range": "custom",
        "from": "2026-06-01",
        "to": "2026-06-30",
        "org": "2",
    }.items():
        at.query_params[key] = value
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.caption[0].value.startswith("KSP Bina Usaha Mandiri, 1 Jun 2026 to 30 Jun 2026")
    expected = count(
        demo_db,
        "SELECT count(*) FROM mentions WHERE organisation_id = 2 AND is_own = 0 "
        "AND published_at >= '2026-05-31T17:00:00Z' AND published_at < '2026-06-30T17:00:00Z'",
        [],
    )
    assert metric(at, "Mentions") == f"{expected:,}"
    at.sidebar.selectbox(key="f_preset").set_value("last_month").run()
    assert at.query_params["range"] == "last_month" and "from" not in at.query_params


def test_the_overview_trend_speaks_indonesian(demo_db: Path) -> None:
    import json

    at = open_page("overview", "id")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    layout = spec["layout"]
    assert layout["separators"] == ",."
    months = {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}
    labels = layout["xaxis"]["ticktext"]
    assert labels and all(label.split("<br>")[0].split(" ")[1] in months for label in labels)


def test_mentions_narrow_to_a_risk_category(demo_db: Path) -> None:
    at = open_page("mentions", "id")
    at.toggle(key="m_risk").set_value(True).run()
    assert not at.exception
    select = at.selectbox(key="m_risk_category")
    assert select.label == "Kategori risiko"
    select.select("default").run()
    assert not at.exception


@pytest.mark.parametrize("days", [30, 90])
def test_topic_lists_count_each_text_once_as_the_rules_say(demo_db: Path, days: int) -> None:
    # citra.topics.topic_lists finds each text's language and terms once; the lists are those
    # of the rules applied group by group (language of most mentions now, names left out).
    from citra.filters import Filters
    from citra.queries.mentions import text_sample
    from citra.queries.organisations import list_organisations
    from citra.topics import (
        in_language,
        main_language,
        organisation_stop_words,
        rising_terms,
        topic_lists,
        without_overlaps,
    )

    db = store.open_readonly(demo_db)
    today = datetime.now(JAKARTA).date()
    now_filters = Filters.for_days(today - timedelta(days=days - 1), today, organisation_id=1)
    before_filters = now_filters.previous("Asia/Jakarta")
    found = topic_lists(db, now_filters, before_filters, 4000)
    now, before = text_sample(db, now_filters, 4000), text_sample(db, before_filters, 4000)
    names = organisation_stop_words(list_organisations(db))
    language = main_language(text for text, _label in now)
    assert found.mentions == len(now) > 0
    assert found.other_language == len(now) - len(in_language([t for t, _ in now], language))
    for group in ("all", "negative", "positive"):
        expected = without_overlaps(
            rising_terms(
                in_language([t for t, lab in now if group in ("all", lab)], language),
                in_language([t for t, lab in before if group in ("all", lab)], language),
                limit=36,
                extra_stop_words=names,
            ),
            limit=12,
        )
        assert found.rising[group] == expected
    assert found.rising["all"]
    empty = Filters.for_days(today - timedelta(days=4000), today - timedelta(days=3990))
    assert topic_lists(db, empty, empty.previous("Asia/Jakarta")).mentions == 0
