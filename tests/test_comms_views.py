"""The comms team's views (issue 15, second round): the 24-hour period, search highlights,
Topics handing its filters to Mentions, plain topics, peers over time, Indonesian formats and
Streamlit's own texts. Page behaviour through AppTest on the demo database; the browser checks
are in ``tests/test_browser_comms.py``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from citra.filters import PRESETS, Filters
from tests import test_dashboard_pages as shared
from tests.test_dashboard_pages import APP, count

# The page tests' fixtures: the demo database (built once a session), fresh caches per test.
demo_db_file = shared.demo_db_file
demo_db = shared.demo_db
fresh_caches = shared.fresh_caches


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
