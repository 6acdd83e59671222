"""Dashboard speed at a million mentions: query time and AppTest render time per page.

    python bench/bench_dashboard.py [--db /tmp/citra-bench.db] [--scale 120] [--rebuild]

Builds (once; reused afterwards) a demo database scaled to about 1,000,000 mentions with the demo
generator, then prints, for every page, the time of the queries it runs (cold, no cache) and the
time AppTest takes to render it (cold caches). Target: 1.5 s or less per page.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citra import demo, store  # noqa: E402
from citra.filters import DEFAULT_PRESET, Filters, local_today, preset_range  # noqa: E402
from citra.queries import demo as demo_queries  # noqa: E402
from citra.queries import mentions as q  # noqa: E402
from citra.queries import presence, search, tags  # noqa: E402
from citra.queries.organisations import get_self, list_organisations  # noqa: E402

TARGET_SECONDS = 1.5


def build(path: Path, scale: float) -> None:
    if path.exists():
        path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    db = store.open_db(path)
    story = demo.build_demo(db, scale=scale)  # intended labels (unscored); timing pages only
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    db.close()
    print(f"built {story.mentions:,} mentions in {time.perf_counter() - started:.1f} s -> {path}")


def page_queries(db, f: Filters, coop_id: int) -> dict[str, Callable[[], object]]:
    """What each page asks the database for, with the default filters."""
    subject = f.with_organisation(coop_id)
    everything = Filters.for_days(
        local_today() - timedelta(days=demo.DAYS), local_today(), organisation_id=None
    )
    before = subject.previous()
    last = f.last_day
    year_ago = preset_range("this_year", local_today())[0].isoformat()
    return {
        "overview": lambda: (
            q.summary(db, subject, is_own=0),
            q.summary(db, before, is_own=0),
            q.volume_by_organisation(db, subject),
            q.volume_by_organisation(db, before),
            q.daily_by_label(db, subject),
            q.top_mentions(db, subject, "positive", 3),
            q.top_mentions(db, subject, "negative", 3),
            q.newest_risk_mentions(db, subject, 5),
        ),
        "mentions": lambda: (
            search.search_mentions(db, search.MentionQuery(filters=subject)),
            q.list_sources(db),
            tags.list_tags(db),
        ),
        "mentions (search 'SHU terlambat', page 5)": lambda: search.search_mentions(
            db, search.MentionQuery(filters=subject, text="SHU terlambat", page=4)
        ),
        "mentions (all orgs, sort by reach)": lambda: search.search_mentions(
            db, search.MentionQuery(filters=f, sort="reach")
        ),
        "mentions (all orgs, 'SHU*' over 24 months)": lambda: search.search_mentions(
            db, search.MentionQuery(filters=everything, text="SHU*", page=10)
        ),
        "topics": lambda: (q.text_sample(db, subject, 4000), q.text_sample(db, before, 4000)),
        "peers": lambda: q.daily_by_organisation(db, f),
        "presence": lambda: (
            presence.own_monthly_activity(db, coop_id, year_ago, last),
            presence.last_own_post(db, coop_id),
        ),
        "settings": lambda: (list_organisations(db), demo_queries.has_demo_data(db)),
    }


def time_queries(path: Path) -> None:
    db = store.open_readonly(path)
    coop = get_self(db)
    assert coop is not None
    first, last = preset_range(DEFAULT_PRESET, local_today())
    f = Filters.for_days(first, last)
    print(f"\nqueries, default filters ({f.first_day}..{f.last_day}), cold:")
    for page, run in page_queries(db, f, coop.id).items():
        started = time.perf_counter()
        run()
        took = time.perf_counter() - started
        flag = "ok" if took <= TARGET_SECONDS else "SLOW"
        print(f"  {page:<45} {took * 1000:8.0f} ms  {flag}", flush=True)
    db.close()


def time_pages(path: Path) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["CITRA_DB"] = str(path)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    print("\nAppTest render, cold caches (first run of the app included for the overview):")
    from report import PAGES

    for page in (p for p in PAGES if p != "home"):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        started = time.perf_counter()
        at.run()
        if page != "overview":
            st.cache_data.clear()
            started = time.perf_counter()
            at.switch_page(f"pages/{page}.py").run()
        took = time.perf_counter() - started
        problem = " EXCEPTION" if at.exception else ""
        flag = "ok" if took <= TARGET_SECONDS else "SLOW"
        print(f"  {page:<45} {took * 1000:8.0f} ms  {flag}{problem}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/citra-bench.db", help="benchmark database file")
    parser.add_argument("--scale", type=float, default=120, help="demo scale (120: ~1M mentions)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    args = parser.parse_args()
    path = Path(args.db)
    if args.rebuild or not path.exists():
        build(path, args.scale)
    db = store.open_readonly(path)
    print(f"database: {db.execute('SELECT count(*) FROM mentions').fetchone()[0]:,} mentions")
    db.close()
    time_queries(path)
    time_pages(path)


if __name__ == "__main__":
    main()
