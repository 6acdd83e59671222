"""Narratives at scale: the assignment step and the reads of the Narasi & Rencana page.

    python bench/bench_narratives.py [--scale 10]

Builds an in-memory demo scaled by ``--scale`` (1 gives about 9,000 mentions; the demo's
intended labels, no scoring), then prints the time of a full assignment of every mention to
the three demo narratives (what a narrative change costs), of the pipeline step when nothing is
new (what every other write costs), and of each read the page makes (90 days).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citra import demo, store  # noqa: E402
from citra.filters import Filters, local_today, preset_range  # noqa: E402
from citra.queries.organisations import get_self  # noqa: E402
from citra.store.narratives import refresh_assignments  # noqa: E402
from citra.strategy import narrative_overview, plan_check  # noqa: E402
from citra.viral import watch  # noqa: E402
from citra.voices import rank_voices  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0)
    scale = parser.parse_args().scale
    db = store.open_db(":memory:")
    started = time.perf_counter()
    demo.build_demo(db, scale=scale)
    mentions = db.execute("SELECT count(*) FROM mentions").fetchone()[0]
    print(
        f"demo at scale {scale:g}: {mentions:,} mentions in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    done = refresh_assignments(db)
    seconds = time.perf_counter() - started
    print(
        f"full assignment: {done['checked']:,} mentions, {done['assigned']:,} assignments in "
        f"{seconds:.2f} s ({done['checked'] / seconds:,.0f} mentions/s)"
    )
    started = time.perf_counter()
    refresh_assignments(db)
    print(f"step with nothing new: {(time.perf_counter() - started) * 1000:.1f} ms")
    coop = get_self(db)
    f = Filters.for_days(*preset_range("90d", local_today()), organisation_id=coop.id)
    for name, read in (
        ("narrative overview", lambda: narrative_overview(db, f)),
        ("plan check", lambda: plan_check(db, f)),
        ("voices", lambda: rank_voices(db, f)),
        ("viral watch", lambda: watch(db)),
    ):
        started = time.perf_counter()
        read()
        print(f"{name}: {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
