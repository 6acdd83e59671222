"""Shared fixtures: an in-memory database for unit tests, a migrated file for integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.feeds.server import FeedServer
from sqlite_utils import Database

from citra import store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The pages of the navigation (``dashboard.py``), by their file name under pages/.
EVERY_PAGE = [
    "overview",
    "mentions",
    "topics",
    "peers",
    "presence",
    "members",
    "reports",
    "sources",
    "settings",
    "home",
    "narratives",
    "privacy",
]


def pytest_report_header() -> str:
    """Which build of the sentiment fast path the tests run against (compiled or Python)."""
    from citra.sentiment import compiled

    return f"citra.sentiment.fast: {compiled.status()}"


def in_opening_period() -> str:
    """A moment (UTC ISO 8601) the dashboard shows without a period chosen: noon (Jakarta) of
    yesterday, or of the opening period's last day when it ended before (the first days of a
    month open on last month, ``citra.filters.opening_preset``). Tests that seed a few mentions
    and open a page date them here, so they pass at any hour of any day."""
    from datetime import UTC, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from citra.filters import DEFAULT_TIMEZONE, local_today, opening_preset, preset_range

    today = local_today()
    first, last = preset_range(opening_preset(today), today)
    day = max(first, min(last, today - timedelta(days=1)))
    noon = datetime.combine(day, time(12), tzinfo=ZoneInfo(DEFAULT_TIMEZONE))
    return noon.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(autouse=True)
def local_servers_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests serve their feeds and webhooks from 127.0.0.1, which Citra refuses by default
    (``citra.net``); tests of that refusal remove the variable again."""
    monkeypatch.setenv("CITRA_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.delenv("CITRA_ALLOWED_NETWORKS", raising=False)


@pytest.fixture
def db() -> Database:
    """A fresh, migrated in-memory database."""
    return store.open_db(":memory:")


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, migrated database file, also exported as ``CITRA_DB``."""
    path = tmp_path / "citra.db"
    store.open_db(path).close()
    monkeypatch.setenv("CITRA_DB", str(path))
    return path


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    """The fixture feed server on 127.0.0.1 (``tests/fixtures/feeds``), one per test module."""
    with FeedServer() as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for every browser test (``tests/served_app.py``)."""
    from served_app import chromium

    with chromium() as running:
        yield running


@pytest.fixture(scope="session")
def demo_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``citra serve`` on the full demo database, shared by the browser tests that only read."""
    from served_app import serve

    from citra import pipeline

    folder = tmp_path_factory.mktemp("browser")
    db_file = folder / "demo.db"
    db = store.open_db(db_file)
    pipeline.seed_demo(db)
    db.close()
    with serve(db_file, folder / "streamlit.log") as url:
        yield url


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Empty Streamlit caches before and after a page test
    (``pytestmark = pytest.mark.usefixtures("fresh_caches")``)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
