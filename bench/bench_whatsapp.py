"""Benchmark: import a generated 200,000-line WhatsApp export and print the time (target <= 20 s).

Run: ``python bench/bench_whatsapp.py [LINES]``. Uses a temporary database file (WAL, as in
production) and a temporary salt file; prints lines, messages and seconds.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from citra import store  # noqa: E402
from collectors import whatsapp  # noqa: E402

TEXTS = (
    "Kapan SHU tahun ini dibagikan?",
    "Terima kasih infonya pak",
    "Usul, bagaimana kalau RAT diadakan hari Sabtu",
    "Cek promo https://kspsejahtera.co.id/promo",
    "Pelayanan di cabang lambat sekali, kecewa",
    "Siap bu",
    "<Media tidak disertakan>",
    "Pesan ini telah dihapus",
    "Mohon info syarat pinjaman",
    "Selamat pagi semua anggota",
)


def generate(path: Path, lines: int, seed: int = 7) -> int:
    """Write a chat export of about ``lines`` lines; returns the number of lines written."""
    rng = random.Random(seed)
    senders = [f"Anggota {i}" for i in range(300)] + [
        f"+62 812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}" for _ in range(100)
    ]
    moment = datetime(2022, 1, 1, 7, 0)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(f"{moment:%d/%m/%y %H.%M} - Pesan dan panggilan terenkripsi secara end-to-end.\n")
        written += 1
        while written < lines:
            moment += timedelta(seconds=rng.randint(5, 600))
            sender = rng.choice(senders)
            if rng.random() < 0.02:
                out.write(f"{moment:%d/%m/%y %H.%M} - {sender} bergabung menggunakan tautan\n")
                written += 1
                continue
            out.write(f"{moment:%d/%m/%y %H.%M} - {sender}: {rng.choice(TEXTS)}\n")
            written += 1
            if rng.random() < 0.1:  # a multi-line message, one line looking like a time
                out.write("10.00 - pembukaan\nlalu laporan pengurus\n")
                written += 2
    return written


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as folder:
        chat = Path(folder) / "WhatsApp Chat with Anggota KSP.txt"
        written = generate(chat, lines)
        os.environ["CITRA_SALT_FILE"] = str(Path(folder) / "bench.salt")
        db = store.open_db(Path(folder) / "bench.db")
        started = time.perf_counter()
        summary = whatsapp.import_chat(db, chat)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = whatsapp.import_chat(db, chat)
        second = time.perf_counter() - started
        db.close()
    print(
        f"whatsapp import: {written:,} lines, {summary['added']:,} messages stored in "
        f"{first:.1f} s (target <= 20 s); re-import {again['duplicates']:,} duplicates in "
        f"{second:.1f} s"
    )


if __name__ == "__main__":
    main()
