"""``make bench``: measure Citra at 100,000 and 1,000,000 mentions and write bench/RESULTS.md.

    python bench/report.py                  # both sizes (about 15 minutes on two cores)
    python bench/report.py --sizes 100000   # one size (a quick look while developing)

Sections, each from this one run on this machine:

1. The analyzer against plain vaderSentiment, one core, on the same generated mention texts
   (``bench/corpus.py``) and, where it is on the machine, the development data: texts per
   CPU-second, and the ratio.
2. Importing a generic CSV of those mentions end to end (parse, match, score, store; one
   transaction), on every core: rows per second, its ratio to plain VADER's one-core rate on the
   same texts, peak memory of the importing process and of a scoring worker, database size.
3. Re-scoring every mention of a demo database (``rescore --all``), on every core.
4. Every dashboard page rendered by AppTest on that demo database, cold (caches cleared) and
   warm (run again).

Each size runs in its own process, so memory peaks do not mix. Figures are printed as they come
and written to bench/RESULTS.md at the end, with how each grows from the smallest size to the
largest. Needs no data set and no network.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
from eval_sentiment import data_dir  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
DEV_DATA = data_dir([])  # the eval scripts' folder (CITRA_SENTIMENT_DEV or the shared one)
# The pages timed cold and warm (bench_dashboard.py times the same but "home").
PAGES = (
    "overview",
    "mentions",
    "topics",
    "peers",
    "presence",
    "members",
    "sources",
    "settings",
    "home",
)
ANALYZER_TEXTS = int(os.environ.get("CITRA_BENCH_TEXTS", "20000"))
PAGE_TARGET_SECONDS = 1.0
# Demo scale per mention: build_demo(scale=1) writes about 8,400 mentions.
DEMO_PER_SCALE = 8_400


def _log(message: str) -> None:
    print(message, flush=True)


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KB on Linux


# --- 1. the analyzer ---------------------------------------------------------------------------


def analyzer_figures() -> dict[str, Any]:
    """Texts per CPU-second, one core: plain VADER and Citra on the same texts."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from citra.sentiment import SentimentAnalyzer, compiled

    sets = {"generated mentions": corpus.texts(ANALYZER_TEXTS)}
    if DEV_DATA.is_dir():
        dev: list[str] = []
        for path in sorted(DEV_DATA.glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                dev.extend(row["text"] for row in csv.DictReader(handle))
        sets["development data (NusaX, SmSA)"] = dev
    vader = SentimentIntensityAnalyzer()
    citra = SentimentAnalyzer()
    out: dict[str, Any] = {}
    for name, texts in sets.items():
        citra.score_values(texts[:2000])  # a long run has warm caches
        vader_s = _best_cpu(lambda xs: [vader.polarity_scores(x) for x in xs], texts)
        many_s = _best_cpu(citra.score_many, texts)
        values_s = _best_cpu(citra.score_values, texts)
        out[name] = {
            "texts": len(texts),
            "words_per_text": round(sum(len(t.split()) for t in texts) / len(texts), 1),
            "vader": len(texts) / vader_s,
            "citra_score_many": len(texts) / many_s,
            "citra_score_values": len(texts) / values_s,
            # The compiled fast path (make install) or the Python module (citra.sentiment.compiled).
            "fast_path": compiled.status(),
        }
        _log(
            f"analyzer, {name}: plain VADER {len(texts) / vader_s:,.0f}/s, Citra score_many "
            f"{len(texts) / many_s:,.0f}/s ({vader_s / many_s:.2f}x), score_values "
            f"{len(texts) / values_s:,.0f}/s ({vader_s / values_s:.2f}x); fast path "
            f"{compiled.status()}"
        )
    return out


def _best_cpu(run: Any, texts: list[str], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        run(texts)
        best = min(best, time.process_time() - started)
    return best


# --- 2. import ---------------------------------------------------------------------------------


def write_csv(path: Path, rows: int) -> None:
    """A generic CSV of generated mentions, streamed to disk."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Hour", "Title", "Content", "Url", "Author", "Reach", "Likes"])
        for i, (title, body) in enumerate(corpus.mentions(rows, seed=17)):
            writer.writerow(
                [
                    f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    f"{i % 24:02d}:{i % 60:02d}",
                    title,
                    body,
                    f"https://news.example.id/berita/{i}",
                    f"penulis{i % 5000}",
                    (i * 7919) % 100_000,
                    (i * 31) % 500,
                ]
            )


def import_figures(rows: int, folder: Path) -> dict[str, Any]:
    from citra import store
    from citra.store.organisations import add_peer, set_profile

    csv_path = folder / f"mentions_{rows}.csv"
    write_csv(csv_path, rows)
    db_path = folder / f"import_{rows}.db"
    db = store.open_db(db_path)
    set_profile(db, name="KSP Sejahtera", keywords=["Koperasi Sejahtera"])
    add_peer(db, "KSP Tunas Makmur", keywords=["Tunas Makmur"])
    db.close()
    # The import in a process of its own, so its memory peak is its own.
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, __file__, "--import-child", str(db_path), str(csv_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peaks = json.loads(child.stdout.strip().splitlines()[-1])
    db = store.open_db(db_path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = db.execute("SELECT count(*) FROM mentions").fetchone()[0]
    scored = db.execute(
        "SELECT count(*) FROM mentions WHERE lexicon_version IS NOT NULL"
    ).fetchone()[0]
    size = store.database_bytes(db)
    parts = db.execute(
        "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6"
    ).fetchall()
    db.close()
    # Plain VADER, one core, on a sample of the same texts.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from citra.queries.sentiment import mention_text

    sample = [mention_text(t, b) for t, b in corpus.mentions(min(rows, 20_000), seed=17)]
    vader = SentimentIntensityAnalyzer()
    vader_rate = len(sample) / _best_cpu(lambda xs: [vader.polarity_scores(x) for x in xs], sample)
    figures = {
        "rows": rows,
        "csv_mb": csv_path.stat().st_size / 1024**2,
        "seconds": seconds,
        "rate": rows / seconds,
        "vader_rate": vader_rate,
        "stored": stored,
        "scored": scored,
        "peak_main_mb": peaks["main_mb"],
        "peak_worker_mb": peaks["worker_mb"],
        "peak_total_mb": peaks["main_mb"] + peaks["children_mb"],
        "workers": peaks["workers"],
        "main_cpu": peaks["main_cpu"],
        "workers_cpu": peaks["workers_cpu"],
        "db_bytes": size,
        "bytes_per_mention": size / max(stored, 1),
        "largest": [(name, int(pages)) for name, pages in parts],
    }
    csv_path.unlink()
    _log(
        f"import {rows:,}: {seconds:.1f} s, {rows / seconds:,.0f} rows/s "
        f"({rows / seconds / vader_rate:.2f}x plain VADER on one core), peak RSS "
        f"{peaks['main_mb']:.0f} MB + workers {peaks['children_mb']:.0f} MB, "
        f"CPU main {peaks['main_cpu']:.0f} s, workers {peaks['workers_cpu']:.0f} s, "
        f"{size / max(stored, 1):,.0f} bytes per mention"
    )
    return figures


def _children_peaks(peaks: dict[int, float], stop: threading.Event) -> None:
    """Every half second, the peak memory (VmHWM) of each child process of this one.

    A spawned child's own ``ru_maxrss`` counts the instant between fork and exec, when it still
    maps this whole process; VmHWM belongs to the address space and starts again at exec.
    """
    me = str(os.getpid())
    while not stop.wait(0.5):
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == me and "VmHWM" in fields:
                kb = int(fields["VmHWM"].split()[0])
                peaks[int(entry.name)] = max(peaks.get(int(entry.name), 0), kb / 1024)


def import_child(db_path: str, csv_path: str) -> None:
    from citra import store
    from citra.sentiment.parallel import worker_count
    from collectors.importer import import_path

    peaks: dict[int, float] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_children_peaks, args=(peaks, stop), daemon=True)
    if Path("/proc/self/status").exists():
        watcher.start()
    db = store.open_db(db_path)
    started = time.process_time()
    import_path(db, csv_path)
    main_cpu = time.process_time() - started
    db.close()
    stop.set()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "main_mb": _peak_mb(resource.RUSAGE_SELF),
                "worker_mb": max(peaks.values(), default=0.0),
                "children_mb": sum(peaks.values()),
                "workers": worker_count(),
                "main_cpu": main_cpu,
                "workers_cpu": children.ru_utime + children.ru_stime,
            }
        )
    )


# --- 3. re-score, 4. pages -------------------------------------------------------------------


def demo_figures(rows: int, folder: Path) -> dict[str, Any]:
    from citra import demo, store
    from citra.sentiment.rescore import rescore

    db_path = folder / f"demo_{rows}.db"
    db = store.open_db(db_path)
    started = time.perf_counter()
    story = demo.build_demo(db, scale=rows / DEMO_PER_SCALE)
    build_seconds = time.perf_counter() - started
    _log(f"demo database: {story.mentions:,} mentions in {build_seconds:.0f} s")
    started = time.perf_counter()
    result = rescore(db, all=True)
    rescore_seconds = time.perf_counter() - started
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    size = store.database_bytes(db)
    db.close()
    _log(
        f"re-score {result['scored']:,}: {rescore_seconds:.1f} s "
        f"({result['scored'] / rescore_seconds:,.0f}/s)"
    )
    child = subprocess.run(
        [sys.executable, __file__, "--pages-child", str(db_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    pages = json.loads(child.stdout.strip().splitlines()[-1])
    for page, (cold, warm, problem) in pages.items():
        flag = "" if cold <= PAGE_TARGET_SECONDS else "  SLOW"
        _log(f"  {page:<10} cold {cold * 1000:6.0f} ms  warm {warm * 1000:6.0f} ms{flag}{problem}")
    return {
        "mentions": story.mentions,
        "build_seconds": build_seconds,
        "rescore_seconds": rescore_seconds,
        "rescored": result["scored"],
        "rescore_rate": result["scored"] / rescore_seconds,
        "db_bytes": size,
        "bytes_per_mention": size / max(story.mentions, 1),
        "pages": pages,
    }


def pages_child(db_path: str) -> None:
    """Each page cold (every cache cleared) and warm (the same page again), by AppTest."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["CITRA_DB"] = db_path
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    out: dict[str, tuple[float, float, str]] = {}
    # Once, unmeasured: the process imports the pages' libraries (a server does it once).
    AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
    for page in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        if page == "overview":
            started = time.perf_counter()
            at.run()
        else:
            at.run()  # the app's first run lands on the Overview
            st.cache_data.clear()
            st.cache_resource.clear()
            started = time.perf_counter()
            at.switch_page(f"pages/{page}.py").run()
        cold = time.perf_counter() - started
        started = time.perf_counter()
        at.run()
        warm = time.perf_counter() - started
        out[page] = (cold, warm, " EXCEPTION" if at.exception else "")
    print(json.dumps(out))


# --- the report --------------------------------------------------------------------------------


def _growth(small: float, large: float, rows_ratio: float) -> str:
    if not small:
        return "n/a"
    return f"x{large / small:.2f} for x{rows_ratio:.0f} the mentions"


def write_results(figures: dict[str, Any], sizes: list[int], started: float) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`bench/report.py`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"in {(time.perf_counter() - started) / 60:.1f} minutes: {cores} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}, SQLite "
        f"{__import__('sqlite3').sqlite_version}. All figures are from this one run; the machine "
        "may have been shared with other work, so compare figures within the run (ratios), "
        "not across runs.",
        "",
        "## 1. Analyzer against plain vaderSentiment (one core)",
        "",
        "Texts per CPU-second, best of three rounds, the process pinned to one core. "
        "`score_many` builds `Score` objects; `score_values` gives `(compound, label, risk, "
        "risk_category, risk_categories)`, "
        "what an import and a re-score store. Scores are those of the straightforward "
        "reference to 1e-9 (tests/test_sentiment_parity.py).",
        "",
        "| texts | count | words/text | plain VADER | Citra score_many | ratio | "
        "Citra score_values | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, f in figures["analyzer"].items():
        lines.append(
            f"| {name} | {f['texts']:,} | {f['words_per_text']} | {f['vader']:,.0f} | "
            f"{f['citra_score_many']:,.0f} | {f['citra_score_many'] / f['vader']:.2f}x | "
            f"{f['citra_score_values']:,.0f} | {f['citra_score_values'] / f['vader']:.2f}x |"
        )
    paths = {f.get("fast_path", "not recorded") for f in figures["analyzer"].values()}
    lines += ["", f"Fast path measured: {', '.join(sorted(paths))}."]
    lines += [
        "",
        "## 2. Import of a generic CSV, end to end (every core)",
        "",
        "Parse, match organisations, score, store, in one transaction. The ratio is the import "
        "rate (wall clock) over plain VADER's one-core rate on the same texts (scoring alone). "
        "Peak memory: the importing process, one scoring worker, and all processes together "
        "(each one's own peak, summed). CPU: seconds used by the importing process (reading, "
        "matching, writing) and by the scoring workers.",
        "",
        "| rows | CSV | time | rows/s | vs plain VADER | peak RSS main | one worker | all "
        "processes | CPU main | CPU workers | database | bytes/mention |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for rows in sizes:
        f = figures["import"][rows]
        lines.append(
            f"| {rows:,} | {f['csv_mb']:,.0f} MB | {f['seconds']:,.1f} s | {f['rate']:,.0f} | "
            f"{f['rate'] / f['vader_rate']:.2f}x | {f['peak_main_mb']:,.0f} MB | "
            f"{f['peak_worker_mb']:,.0f} MB | {f['peak_total_mb']:,.0f} MB | "
            f"{f['main_cpu']:,.0f} s | {f['workers_cpu']:,.0f} s | "
            f"{f['db_bytes'] / 1024**2:,.0f} MB | {f['bytes_per_mention']:,.0f} |"
        )
    largest = figures["import"][sizes[-1]]
    lines += [
        "",
        f"Largest parts of the {sizes[-1]:,}-row database (bytes per mention): "
        + ", ".join(
            f"{name} {pages / largest['stored']:,.0f}" for name, pages in largest["largest"]
        )
        + ".",
        "",
        "## 3. Re-score of every mention (`rescore --all`, every core)",
        "",
        "| mentions | time | mentions/s | database | bytes/mention |",
        "|---:|---:|---:|---:|---:|",
    ]
    for rows in sizes:
        f = figures["demo"][rows]
        lines.append(
            f"| {f['rescored']:,} | {f['rescore_seconds']:,.1f} s | {f['rescore_rate']:,.0f} | "
            f"{f['db_bytes'] / 1024**2:,.0f} MB | {f['bytes_per_mention']:,.0f} |"
        )
    lines += [
        "",
        "## 4. Pages (AppTest), cold and warm",
        "",
        "The demo database scaled to each size (24 months, one coop, three peers, members), "
        "re-scored as above. Cold: every Streamlit cache cleared, then the page rendered (the "
        "process has imported its libraries once, as a running server has); warm: the same page "
        "again. Target: "
        f"{PAGE_TARGET_SECONDS:g} s or less cold.",
        "",
        "| page | " + " | ".join(f"cold {r:,} | warm {r:,}" for r in sizes) + " |",
        "|---|" + "---:|---:|" * len(sizes),
    ]
    for page in PAGES:
        cells = []
        for rows in sizes:
            cold, warm, problem = figures["demo"][rows]["pages"][page]
            cells.append(f"{cold * 1000:,.0f} ms{problem} | {warm * 1000:,.0f} ms")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        ratio = large / small
        imp_s, imp_l = figures["import"][small], figures["import"][large]
        demo_s, demo_l = figures["demo"][small], figures["demo"][large]
        slowest = {
            rows: max(cold for cold, _, _ in figures["demo"][rows]["pages"].values())
            for rows in (small, large)
        }
        lines += [
            "",
            f"## How the figures grow from {small:,} to {large:,} mentions",
            "",
            f"- Import time: {_growth(imp_s['seconds'], imp_l['seconds'], ratio)} "
            f"(rate {imp_s['rate']:,.0f} -> {imp_l['rate']:,.0f} rows/s).",
            f"- Import peak memory, all processes: "
            f"{_growth(imp_s['peak_total_mb'], imp_l['peak_total_mb'], ratio)}.",
            f"- Database size: {_growth(imp_s['db_bytes'], imp_l['db_bytes'], ratio)} "
            f"({imp_s['bytes_per_mention']:,.0f} -> {imp_l['bytes_per_mention']:,.0f} bytes per mention).",
            f"- Re-score time: {_growth(demo_s['rescore_seconds'], demo_l['rescore_seconds'], ratio)}.",
            f"- Slowest cold page: {slowest[small] * 1000:,.0f} ms -> {slowest[large] * 1000:,.0f} ms "
            f"({_growth(slowest[small], slowest[large], ratio)}).",
        ]
    lines += ["", "## Targets (issue 13), from the figures above", ""]
    largest_rows = sizes[-1]
    analyzer = figures["analyzer"]["generated mentions"]
    imp = figures["import"][largest_rows]
    slowest_page, slowest = max(
        ((page, cold) for page, (cold, _, _) in figures["demo"][largest_rows]["pages"].items()),
        key=lambda item: item[1],
    )
    checks = [
        (
            "analyzer at least 2x plain VADER, one core (generated mentions, score_values)",
            analyzer["citra_score_values"] / analyzer["vader"] >= 2,
            f"{analyzer['citra_score_values'] / analyzer['vader']:.2f}x",
        ),
        (
            f"import of {largest_rows:,} rows at 1.2x plain VADER's one-core rate or more",
            imp["rate"] / imp["vader_rate"] >= 1.2,
            f"{imp['rate'] / imp['vader_rate']:.2f}x",
        ),
        (
            "import peak memory 400 MB or less (all processes)",
            imp["peak_total_mb"] <= 400,
            f"{imp['peak_total_mb']:,.0f} MB",
        ),
        (
            f"1 KB or less per mention at {largest_rows:,}",
            imp["bytes_per_mention"] <= 1024,
            f"{imp['bytes_per_mention']:,.0f} bytes",
        ),
        (
            f"every page {PAGE_TARGET_SECONDS:g} s or less cold at {largest_rows:,}",
            slowest <= PAGE_TARGET_SECONDS,
            f"slowest: {slowest_page}, {slowest * 1000:,.0f} ms",
        ),
    ]
    lines += ["| target | met | figure |", "|---|---|---|"]
    lines += [f"| {name} | {'yes' if met else 'no'} | {figure} |" for name, met, figure in checks]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _log(f"written: {RESULTS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--import-child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--pages-child", help=argparse.SUPPRESS)
    parser.add_argument("--analyzer-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_child:
        import_child(*args.import_child)
        return
    if args.pages_child:
        pages_child(args.pages_child)
        return
    if args.analyzer_child:
        print(json.dumps(analyzer_figures()))
        return
    started = time.perf_counter()
    sizes = sorted(args.sizes)
    # The analyzer pinned to one core, in a process of its own (the rest uses every core).
    child = subprocess.run(
        [sys.executable, __file__, "--analyzer-child"], check=True, capture_output=True, text=True
    )
    print(child.stdout.strip().rsplit("\n", 1)[0], flush=True)
    figures: dict[str, Any] = {
        "analyzer": json.loads(child.stdout.strip().splitlines()[-1]),
        "import": {},
        "demo": {},
    }
    with tempfile.TemporaryDirectory(prefix="citra-bench-") as tmp:
        folder = Path(tmp)
        for rows in sizes:
            figures["import"][rows] = import_figures(rows, folder)
            figures["demo"][rows] = demo_figures(rows, folder)
            for path in folder.glob("*.db*"):
                path.unlink()
    write_results(figures, sizes, started)


if __name__ == "__main__":
    main()
