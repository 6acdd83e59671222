"""Monthly report speed for a month of 100,000 mentions.

    python bench/bench_report.py [--db /tmp/citra-bench-report.db] [--mentions 100000] [--rebuild]

Builds (once; reused afterwards) the demo database plus ``--mentions`` scored mentions of the
coop in the last full month and as many in the month before (news with syndicated copies, social
posts, risk terms, Indonesian texts from the demo's templates), then prints the time to build
the report's content and to write each format. Target: 15 s or less per format, content
included.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citra import demo, pipeline, store  # noqa: E402
from citra.filters import add_months, local_today, month_days  # noqa: E402
from citra.reports.content import build_report  # noqa: E402
from citra.reports.files import write_report  # noqa: E402
from citra.store.mentions import insert_mentions, mention_id  # noqa: E402

TARGET_SECONDS = 15.0
JAKARTA = ZoneInfo("Asia/Jakarta")
TEMPLATES = {
    "positive": (*demo.POSITIVE_NEWS, *demo.POSITIVE_SOCIAL),
    "negative": (*demo.NEGATIVE_NEWS, *demo.NEGATIVE_SOCIAL),
    "neutral": (*demo.NEUTRAL_NEWS, *demo.NEUTRAL_SOCIAL),
}
RISKY = [template for template, _, risk in demo.CRISIS_SOCIAL if risk]
PLATFORMS = ("news", "x", "facebook", "instagram", "tiktok", "youtube")


def month_of_mentions(rng: random.Random, month: str, count: int, coop: int, serial: int):
    first, last = month_days(month)
    seconds = int((last - first).days + 1) * 86400
    start = datetime.combine(first, datetime.min.time(), tzinfo=JAKARTA).astimezone(UTC)
    story = None
    for i in range(count):
        label = rng.choices(("positive", "neutral", "negative"), weights=(0.45, 0.35, 0.2))[0]
        platform = rng.choice(PLATFORMS)
        risk = int(rng.random() < 0.02)
        template = rng.choice(RISKY) if risk else rng.choice(TEMPLATES[label])[0]
        text = demo._fill(rng, template, demo.COOP["name"])
        if platform == "news" and (story is None or rng.random() < 0.35):
            story = f"bench-story-{serial + i}"
        published = start + timedelta(seconds=rng.randrange(seconds))
        yield {
            "id": mention_id(platform, f"bench-{serial + i}"),
            "organisation_id": coop,
            "platform": platform,
            "source": rng.choice(demo.OUTLETS) if platform == "news" else platform.capitalize(),
            "url": f"https://bench.citra.example/{platform}/{serial + i}",
            "title": text if platform == "news" else None,
            "text": text,
            "author": None if platform == "news" else rng.choice(demo.HANDLES),
            "published_at": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "lang": "id",
            "reach": int(rng.lognormvariate(8.0, 1.2)),
            "likes": rng.randrange(200),
            "sentiment_label": "negative" if risk else label,
            "sentiment_compound": -0.6
            if risk
            else {"positive": 0.6, "neutral": 0.0, "negative": -0.6}[label],
            "risk": risk,
            "story_id": story if platform == "news" else None,
            "is_demo": 1,
        }


def build(path: Path, count: int, month: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    db = store.open_db(path)
    pipeline.seed_demo(db)
    coop = db.execute("SELECT id FROM organisations WHERE kind = 'self'").fetchone()[0]
    rng = random.Random(20261201)
    previous = add_months(month_days(month)[0], -1).isoformat()[:7]
    for serial, which in ((10_000_000, previous), (20_000_000, month)):
        with db.conn:
            insert_mentions(db, list(month_of_mentions(rng, which, count, coop, serial)))
    # Mark them scored by the current analyzer so nothing re-scores them.
    version = db.execute(
        "SELECT lexicon_version FROM mentions WHERE is_own = 0 LIMIT 1"
    ).fetchone()[0]
    with db.conn:
        db.execute(
            "UPDATE mentions SET lexicon_version = ? WHERE lexicon_version IS NULL", [version]
        )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    db.close()
    print(f"built {2 * count:,} mentions in {time.perf_counter() - started:.1f} s -> {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "citra-bench-report.db"))
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path = Path(args.db)
    month = add_months(local_today(), -1).isoformat()[:7]
    if args.rebuild or not path.exists():
        build(path, args.mentions, month)
    db = store.open_readonly(path)
    found = db.execute(
        "SELECT count(*) FROM mentions WHERE organisation_id = 1 AND is_own = 0 "
        "AND published_at >= ? AND published_at < ?",
        [f"{month}-01", f"{add_months(month_days(month)[0], 1).isoformat()}"],
    ).fetchone()[0]
    print(f"report month {month}: about {found:,} mentions of the coop")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    started, cpu = time.perf_counter(), time.process_time()
    report = build_report(db, month)
    content, content_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"content (scorecards, drivers, tables, summary): {content:6.2f} s, cpu {content_cpu:.2f} s"
    )
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("pdf", "html", "csv", "xlsx"):
            started, cpu = time.perf_counter(), time.process_time()
            files = write_report(db, report, fmt, Path(folder))
            took, took_cpu = time.perf_counter() - started, time.process_time() - cpu
            size = sum(f.stat().st_size for f in files)
            worst = max(worst, content + took)
            print(
                f"{fmt:5}: {took:6.2f} s to write (cpu {took_cpu:.2f} s); with the content "
                f"{content + took:6.2f} s (cpu {content_cpu + took_cpu:.2f} s); {size / 1e6:5.1f} MB"
            )
    db.close()
    verdict = "ok" if worst <= TARGET_SECONDS else "OVER TARGET"
    print(f"slowest format with content: {worst:.2f} s (target {TARGET_SECONDS:.0f} s): {verdict}")


if __name__ == "__main__":
    main()
