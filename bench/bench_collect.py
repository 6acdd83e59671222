"""Benchmark: collect 200 local feeds of 100 items each; compare with feedparser.parse alone.

Prints the wall time of one `collect` run, its cost per entry, and the cost per entry of
`feedparser.parse` on the same bytes. Target (issue 3): <= 20 s, per entry within 2x of
feedparser alone. Run: python bench/bench_collect.py [FEEDS] [ITEMS]
"""

from __future__ import annotations

import multiprocessing
import random
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import feedparser  # noqa: E402

from citra import store  # noqa: E402
from citra.store.news import add_feed  # noqa: E402
from citra.store.organisations import add_peer, set_profile  # noqa: E402
from collectors.rss import collect  # noqa: E402

WORDS = [
    "koperasi",
    "anggota",
    "simpanan",
    "pinjaman",
    "bunga",
    "rapat",
    "pengurus",
    "pengawas",
    "desa",
    "petani",
    "nelayan",
    "pasar",
    "modal",
    "usaha",
    "kredit",
    "tabungan",
    "syariah",
    "cabang",
    "kantor",
    "laporan",
    "keuangan",
    "pemerintah",
    "menteri",
    "dinas",
    "program",
    "bantuan",
    "harga",
    "panen",
    "beras",
    "pupuk",
    "digital",
    "aplikasi",
    "layanan",
]


def make_feed(number: int, items: int, rng: random.Random) -> bytes:
    parts = []
    for i in range(items):
        subject = rng.choice(["KSP Sejahtera", "Kopdit Maju Bersama", "Pemkab", "Dinas"])
        words = " ".join(rng.sample(WORDS, 6))
        parts.append(
            f"<item><title>{subject} {words} {number}-{i}</title>"
            f"<link>https://portal{number}.example.id/berita/{i}?utm_source=rss</link>"
            f"<guid isPermaLink='false'>p{number}-{i}</guid>"
            f"<pubDate>Mon, 03 Nov 2025 {i % 24:02d}:{i % 60:02d}:00 +0700</pubDate>"
            f"<description>&lt;p&gt;{subject} {' '.join(rng.sample(WORDS, 20))}.&lt;/p&gt;"
            f"</description></item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Portal {number}</title><link>https://portal{number}.example.id/</link>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


def serve(n_feeds: int, n_items: int, port_queue: multiprocessing.Queue) -> None:
    """Serve the generated feeds from a separate process, so the server does not compete with
    the collector for the interpreter lock (a real feed server is another machine)."""
    rng = random.Random(3)
    bodies = {f"/feed/{n}.xml": make_feed(n, n_items, rng) for n in range(n_feeds)}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def do_GET(self) -> None:  # noqa: N802
            body = bodies[self.path]
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever()


def main() -> None:
    n_feeds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    n_items = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    rng = random.Random(3)
    bodies = [make_feed(n, n_items, rng) for n in range(n_feeds)]
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(n_feeds, n_items, ports), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=60)}"
    try:
        with tempfile.TemporaryDirectory() as folder:
            db = store.open_db(Path(folder) / "bench.db")
            set_profile(db, name="KSP Sejahtera")
            add_peer(db, "Kopdit Maju Bersama")
            for n in range(n_feeds):
                add_feed(db, f"{base}/feed/{n}.xml")
            started = time.perf_counter()
            summary = collect(db)
            collect_seconds = time.perf_counter() - started
            started = time.perf_counter()
            again = collect(db)
            second_seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.join()
    entries = n_feeds * n_items
    started = time.perf_counter()
    for body in bodies:
        feedparser.parse(body)
    parse_seconds = time.perf_counter() - started
    print(f"feeds: {n_feeds} x {n_items} items = {entries} entries")
    print(
        f"collect: {collect_seconds:.2f} s, {summary.added} mentions added, {summary.failed} failed"
    )
    print(f"collect again: {second_seconds:.2f} s, {again.added} added (bodies re-parsed: no ETag)")
    per_entry = collect_seconds / entries * 1000
    per_parse = parse_seconds / entries * 1000
    print(f"per entry: collect {per_entry:.3f} ms, feedparser.parse alone {per_parse:.3f} ms")
    print(f"ratio: {per_entry / per_parse:.2f}x (target <= 2x); total target <= 20 s")


if __name__ == "__main__":
    main()
