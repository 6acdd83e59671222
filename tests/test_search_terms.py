"""Search by root and synonyms: what a plain search means, and recall on the demo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from citra import pipeline, search_terms, store
from citra.filters import Filters
from citra.queries.search import MentionQuery, search_mentions
from citra.store.settings import set_setting


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ("tunda", {"tertunda", "ditunda", "menunda", "penundaan", "ditundakan"}),
        ("bayar", {"dibayar", "membayar", "pembayaran", "terbayar"}),
        ("cair", {"dicairkan", "pencairan", "mencairkan"}),
        ("simpan", {"menyimpan", "penyimpanan", "disimpan"}),
        ("kirim", {"mengirim", "pengiriman", "dikirim"}),
        ("lambat", {"terlambat", "keterlambatan", "melambat"}),
    ],
)
def test_forms_of_a_root(root: str, expected: set[str]) -> None:
    assert expected <= search_terms.forms(root)


@pytest.mark.parametrize(
    ("text", "finds", "not_finds"),
    [
        (
            "SHU terlambat",
            ["telat", "tertunda", "belum dibagi", "keterlambatan", "sisa hasil usaha"],
            [],
        ),
        ("pencairan", ["dicairkan", "tarik", "cair"], []),
        ("penipuan", ["bodong", "menipu"], []),
    ],
)
def test_a_plain_search_means_its_forms_and_synonyms(text, finds, not_finds) -> None:
    query = search_terms.expand(text)
    for term in finds:
        assert f'"{term}"' in query
    assert " AND " in query or len(text.split()) == 1


@pytest.mark.parametrize("text", ['"SHU terlambat"', "bayar*", "SHU OR RAT", "gagal NOT bayar"])
def test_fts_syntax_and_exact_searches_stay_as_written(text: str) -> None:
    assert search_terms.expand(text) == text
    assert search_terms.expand("SHU terlambat", exact=True) == "SHU terlambat"


def test_the_coops_own_synonyms_count(db: Database) -> None:
    with db.atomic():
        db["mentions"].insert(
            {
                "id": "m1",
                "platform": "x",
                "published_at": "2026-03-05T00:00:00Z",
                "text": "Kopdit kami juara",
            },
            alter=False,
        )
    f = Filters.for_days(date(2026, 3, 1), date(2026, 3, 31))
    assert search_mentions(db, MentionQuery(filters=f, text="koperasi"))[1] == 0
    set_setting(db, search_terms.SETTING, ["koperasi | kopdit"])
    assert search_mentions(db, MentionQuery(filters=f, text="koperasi"))[1] == 1
    assert search_mentions(db, MentionQuery(filters=f, text="koperasi", exact=True))[1] == 0


def test_search_finds_late_payouts_however_they_are_written(tmp_path: Path) -> None:
    """The demo says "SHU is late" in many ways; the literal search found a fraction."""
    db = store.open_db(tmp_path / "demo.db")
    story = pipeline.seed_demo(db, today=date(2026, 11, 23), scale=0.3)
    f = Filters.for_days(date(2024, 11, 1), story.today)
    exact = search_mentions(db, MentionQuery(filters=f, text="SHU terlambat", exact=True))[1]
    found, total = search_mentions(db, MentionQuery(filters=f, text="SHU terlambat", page_size=500))
    texts = " ".join((found["title"].fillna("") + " " + found["text"].fillna("")).str.lower())
    db.close()
    assert total >= 3 * max(exact, 1)  # full demo: 20 literal, 130 by root and synonyms
    assert "telat" in texts and "tertunda" in texts


def test_mentions_filter_by_risk_category(db: Database) -> None:
    rows = [
        ("a", "default insolvency", 1),
        ("b", "fraud", 1),
        ("c", None, 0),
    ]
    with db.atomic():
        for native, categories, risk in rows:
            db["mentions"].insert(
                {
                    "id": native,
                    "platform": "x",
                    "published_at": "2026-03-05T00:00:00Z",
                    "text": f"teks {native}",
                    "risk": risk,
                    "risk_categories": categories,
                    "risk_category": categories.split()[0] if categories else None,
                },
                alter=False,
            )
    f = Filters.for_days(date(2026, 3, 1), date(2026, 3, 31))

    def found(**options) -> list[str]:
        frame, _ = search_mentions(db, MentionQuery(filters=f, **options))
        return sorted(frame["text"])

    assert found(risk_only=True) == ["teks a", "teks b"]
    assert found(risk_category="insolvency") == ["teks a"]
    assert found(risk_category="fraud") == ["teks b"]
    assert found(risk_category="unrest") == []
