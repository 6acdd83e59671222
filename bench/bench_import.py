"""Benchmark: import a generated CSV of 100,000 and 1,000,000 mentions end to end, as ``make bench``
measures it (``bench/report.py`` section 2, the same CSV and the same child process).

Prints, per size: rows per second and its ratio to plain VADER's one-core rate on the same texts
(measured in the same run), the CPU-seconds of the importing process (reading, writing) and of
the workers (converting, matching, scoring), each also per row, and the peak memory of the
importing process and of all processes together. Wall time depends on what else the machine
runs; the CPU per row does much less. Targets (issue 13): 1.2x plain VADER or more, 400 MB or
less for all processes at 1,000,000 rows.

    python bench/bench_import.py                # both sizes
    python bench/bench_import.py 250000         # one size
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import report  # noqa: E402


def run_one(rows: int) -> dict[str, float]:
    """The import figures of ``rows`` mentions (see :func:`report.import_figures`)."""
    with tempfile.TemporaryDirectory() as folder:
        figures = report.import_figures(rows, Path(folder))
    ratio = figures["rate"] / figures["vader_rate"]
    print(
        f"{rows:>9,} rows ({figures['csv_mb']:,.0f} MB CSV): {figures['seconds']:6.1f} s, "
        f"{figures['rate']:,.0f} rows/s = {ratio:.2f}x plain VADER "
        f"({figures['vader_rate']:,.0f} texts/CPU-s); CPU {figures['main_cpu']:,.1f} s here "
        f"({figures['main_cpu'] / rows * 1e6:.1f} us/row) + {figures['workers_cpu']:,.1f} s in "
        f"{figures['workers']} workers ({figures['workers_cpu'] / rows * 1e6:.1f} us/row); "
        f"peak RSS {figures['peak_main_mb']:,.0f} MB here, {figures['peak_total_mb']:,.0f} MB "
        f"all processes; {figures['bytes_per_mention']:,.0f} bytes/mention; "
        f"stored {figures['stored']:,}, scored {figures['scored']:,}",
        flush=True,
    )
    return figures


def main() -> None:
    for rows in [int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000]:
        run_one(rows)


if __name__ == "__main__":
    main()
