"""An import finishes, scores and builds its rows in worker processes
(``collectors.finishing.MentionRows`` through ``citra.sentiment.parallel.prepare_batches``): the
database and the summary are exactly those of an import done wholly in the importing process."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import pytest
from sqlite_utils import Database

from citra import store
from citra.matching import OrganisationMatcher
from citra.queries.organisations import get_self, list_organisations
from citra.sentiment import SentimentAnalyzer, parallel
from citra.store.organisations import add_peer, set_profile
from collectors.finishing import MentionRows, owned_handles
from collectors.importer import import_path
from collectors.limits import FIELD_CAPS, MAX_URL_CHARS
from tests.stored_mentions import stored_mentions


def _write_csv(path: Path, rows: int) -> None:
    words = ("bagus sekali", "tidak bisa dicairkan", "gagal bayar", "ramah", "lambat")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Title", "Content", "Url", "Author", "Handle", "Reach", "Extra"])
        for n in range(rows):
            text = f"KSP Sejahtera {words[n % 5]} kata{n % 97}" if n % 3 else f"Tunas Makmur {n}"
            url = f"https://www.example.id/berita/{n}/"
            date = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d} {n % 24:02d}:{n % 60:02d}"
            if n % 101 == 7:
                date = ""  # rejected: no date
            if n % 211 == 9:
                url = "https://example.id/" + "x" * MAX_URL_CHARS  # rejected: no usable link
            if n % 307 == 11:
                text = "panjang " * (FIELD_CAPS["text"] // 8 + 10)  # cut to the size limit
            handle_cell = "@ksp_sejahtera" if n % 50 == 0 else f"@anggota{n % 4}"
            writer.writerow([date, f"Judul {n}", text, url, f"Anggota {n % 4}", handle_cell, n, n])


def _database(path: Path) -> Database:
    db = store.open_db(path)
    set_profile(
        db,
        name="KSP Sejahtera",
        keywords=["Koperasi Sejahtera"],
        accounts={"web": "@ksp_sejahtera"},
    )
    add_peer(db, "KSP Tunas Makmur", keywords=["Tunas Makmur"])
    return db


def test_workers_store_what_the_importing_process_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "mentions.csv"
    _write_csv(source, 1500)
    results = []
    pools = []
    original = parallel.ProcessPoolExecutor

    def pool(*args, **kwargs):
        pools.append(kwargs["max_workers"])
        return original(*args, **kwargs)

    for workers, parallel_min in (("0", 10**9), ("2", 200)):
        monkeypatch.setattr(parallel, "ProcessPoolExecutor", pool)
        monkeypatch.setenv(parallel.ENV_WORKERS, workers)
        monkeypatch.setattr(parallel, "PARALLEL_MIN", parallel_min)
        monkeypatch.setattr(parallel, "BATCH_SIZE", 100)
        db = _database(tmp_path / f"w{workers}.db")
        summary = import_path(db, source)
        summary.pop("import_id")
        results.append((summary, stored_mentions(db)))
        db.close()
    (alone, rows_alone), (shared, rows_shared) = results
    assert pools == [2]
    assert shared == alone
    assert rows_shared == rows_alone
    assert alone["rejected_count"] > 10
    assert any("cut to the size limit" in e["template"] for e in alone["rejected"])
    assert {row[2] for row in rows_alone} >= {1, 2, None}  # coop, peer, unattributed


def test_the_batch_work_pickles_and_gives_the_same_rows(tmp_path: Path) -> None:
    db = _database(tmp_path / "work.db")
    coop = get_self(db)
    work = MentionRows(
        own_account=False,
        coop=coop,
        matcher=OrganisationMatcher(list_organisations(db)),
        handles=owned_handles(coop),
        import_id=1,
        version="v",
    )

    def records() -> list[dict]:
        return [
            {
                "platform": "web",
                "url": f"https://example.id/{n}",
                "title": None,
                "text": "KSP Sejahtera ramah" if n % 2 else "Koperasi lain",
                "author_handle": "@ksp_sejahtera" if n == 3 else None,
                "published_at": "2026-01-01T00:00:00Z",
                "raw": {"Content": "x", "Extra": str(n)},
            }
            for n in range(6)
        ]

    analyzer = SentimentAnalyzer()
    rows, cut = work(records(), analyzer)
    assert pickle.loads(pickle.dumps(work))(records(), analyzer) == (rows, cut)
    assert cut == []
    assert [row[1] for row in rows] == [None, 1, None, 1, None, 1]
    assert rows[3][23] == 1  # the coop's own handle: its own post
