"""Benchmark: import generated generic CSVs of 100,000 and 1,000,000 rows.

Prints rows per second and the peak resident memory of the importing process (each size runs in
its own subprocess, so the peaks do not mix); mentions are scored as they are imported. Targets: 100,000 rows imported and scored in 30 s or less;
1,000,000 rows within 400 MB peak memory.

    python bench/bench_import.py            # both sizes
    python bench/bench_import.py 250000     # one size
"""

from __future__ import annotations

import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "koperasi",
    "sejahtera",
    "shu",
    "rat",
    "anggota",
    "pinjaman",
    "simpanan",
    "pelayanan",
    "cepat",
    "lambat",
    "bagus",
    "kecewa",
    "terima",
    "kasih",
    "bunga",
    "cicilan",
    "kantor",
    "cabang",
    "pengurus",
    "pengawas",
    "laporan",
    "keuangan",
]


def generate(path: Path, rows: int) -> None:
    """Write ``rows`` mention rows, streamed (never held in memory)."""
    rng = random.Random(42)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Hour", "Content", "Url", "Author", "Sentiment", "Reach", "Likes"])
        for i in range(rows):
            day = 1 + i % 28
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
            if i % 7 == 0:
                text = "KSP Sejahtera " + text
            writer.writerow(
                [
                    f"2026-10-{day:02d}",
                    f"{i % 24:02d}:{i % 60:02d}",
                    text,
                    f"https://news.example.id/berita/{i}",
                    f"penulis{i % 5000}",
                    rng.choice(("positive", "negative", "neutral")),
                    rng.randint(0, 100000),
                    rng.randint(0, 500),
                ]
            )


def run_one(rows: int) -> None:
    from citra import store
    from citra.store.organisations import set_profile
    from collectors.importer import import_path

    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / f"bench_{rows}.csv"
        generate(csv_path, rows)
        db = store.open_db(Path(folder) / "bench.db")
        set_profile(db, name="KSP Sejahtera", keywords=["Koperasi Sejahtera"])
        size_mb = csv_path.stat().st_size / 1024**2
        started = time.perf_counter()
        cpu_started = time.process_time()
        summary = import_path(db, csv_path)
        seconds = time.perf_counter() - started
        main_cpu = time.process_time() - cpu_started
        scored = db.execute("SELECT count(*) FROM mentions WHERE lexicon_version IS NOT NULL")
        scored_count = scored.fetchone()[0]
        db.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"{rows:>9,} rows ({size_mb:,.0f} MB CSV): imported and scored in {seconds:6.1f} s "
        f"({rows / seconds:,.0f} rows/s), peak RSS {peak_mb:,.0f} MB, CPU {main_cpu:,.1f} s "
        f"here (reading, writing) and {workers.ru_utime + workers.ru_stime:,.1f} s in the "
        f"workers (finishing, scoring), scored {scored_count:,}, added {summary['added']:,}, "
        f"rejected {summary['rejected_count']:,}"
    )


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000]
    if len(sizes) == 1:
        run_one(sizes[0])
        return
    for rows in sizes:
        subprocess.run([sys.executable, __file__, str(rows)], check=True)


if __name__ == "__main__":
    main()
