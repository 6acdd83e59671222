"""Message classification and the participation/engagement metrics, against hand-computed
examples."""

from __future__ import annotations

import pytest

from citra import chat_classification
from citra import engagement as metrics
from citra.profile import Organisation
from citra.queries import engagement as queries
from tests.members_seed import seed_members

COOP = Organisation(
    id=1,
    name="KSP Sejahtera",
    kind="self",
    website="https://www.kspsejahtera.co.id",
    accounts={"instagram": "@kspsejahtera", "tiktok": "kspsejahtera.official"},
)
TARGETS = chat_classification.ShareTargets.from_profile(COOP)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # Indonesian
        ("Kapan SHU dibagikan?", "question"),
        ("Mohon info jadwal RAT", "question"),
        ("numpang tanya, syarat pinjaman apa saja", "question"),
        ("Berapa bunga pinjaman sekarang", "question"),
        ("Usul: RAT tahun depan diadakan hari Sabtu", "proposal"),
        ("Bagaimana kalau ada bazar produk anggota?", "proposal"),
        ("Sebaiknya pengumuman juga lewat Instagram", "proposal"),
        ("Saya menyarankan ada pelatihan UMKM", "proposal"),
        ("SHU belum cair, kecewa sekali", "complaint"),
        ("Pelayanan di kantor cabang lambat", "complaint"),
        ("Aplikasinya error terus", "complaint"),
        ("Cek promo kita https://kspsejahtera.co.id/promo", "share"),
        ("Yuk follow https://www.instagram.com/kspsejahtera/", "share"),
        ("https://vt.tiktok.com/x https://tiktok.com/@kspsejahtera.official/video/1", "share"),
        ("Diteruskan: info pembagian SHU", "share"),
        ("Terima kasih pak", "other"),
        ("Selamat pagi semua", "other"),
        ("Lihat https://example.com/berita", "other"),
        ("", "other"),
        # English
        ("When is the annual meeting?", "question"),
        ("Does anyone know the new office hours", "question"),
        ("How about a members' bazaar next month", "proposal"),
        ("I suggest we vote online", "proposal"),
        ("The payout is late again", "complaint"),
        ("Very disappointed with the service", "complaint"),
        ("Forwarded: our new savings product", "share"),
        ("Thanks everyone", "other"),
    ],
)
def test_classify_message(text, category):
    assert chat_classification.classify_message(text, TARGETS) == category


def test_share_targets_without_profile():
    assert chat_classification.ShareTargets.from_profile(None) == chat_classification.ShareTargets()
    assert (
        chat_classification.classify_message(
            "https://kspsejahtera.co.id", chat_classification.ShareTargets()
        )
        == "other"
    )


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(2, 4, 0.5), (0, 4, 0.0), (3, 0, None), (1, None, None)],
)
def test_rate(part, whole, expected):
    assert metrics.rate(part, whole) == expected


def test_funnel_hand_computed():
    stages = metrics.funnel(
        {"active": 4, "participants": 2, "engaged_participants": 2, "advocates": 1}
    )
    assert [(s["stage"], s["count"]) for s in stages] == [
        ("members", 4),
        ("participants", 2),
        ("engaged", 2),
        ("advocates", 1),
    ]
    assert [s["of_members"] for s in stages] == [1.0, 0.5, 0.5, 0.25]
    assert [s["from_previous"] for s in stages] == [None, 0.5, 1.0, 0.5]


def test_funnel_empty():
    stages = metrics.funnel({})
    assert [s["count"] for s in stages] == [0, 0, 0, 0]
    assert all(s["of_members"] is None for s in stages)


def test_trend():
    assert metrics.trend([0.2, None, 0.5]) == pytest.approx(0.3)
    assert metrics.trend([None, 0.5]) is None


@pytest.fixture
def seeded(db, tmp_path):
    return seed_members(db, tmp_path)


def test_year_metrics_hand_computed(seeded):
    (row,) = metrics.series(queries.period_counts(seeded, grain="year"))
    assert row["period"] == "2024"
    assert (row["active"], row["participants"], row["engaged"]) == (4, 2, 3)
    assert row["participation_rate"] == 0.5
    assert row["engagement_rate"] == 0.75
    assert row["ratio"] == 1.5
    assert (row["engaged_participants"], row["advocates"]) == (2, 1)


def test_funnel_counts_hand_computed(seeded):
    counts = queries.funnel_counts(seeded, year=2024)
    assert [s["count"] for s in metrics.funnel(counts)] == [4, 2, 2, 1]
    assert queries.funnel_counts(seeded, year=2023)["participants"] == 0


def test_month_metrics_hand_computed(seeded):
    rows = {r["period"]: r for r in metrics.series(queries.period_counts(seeded, grain="month"))}
    assert sorted(rows) == ["2024-03", "2024-05", "2024-07"]
    assert (rows["2024-03"]["active"], rows["2024-03"]["participants"]) == (3, 2)
    assert rows["2024-03"]["engaged"] == 1
    assert (rows["2024-05"]["engaged"], rows["2024-05"]["participation_rate"]) == (1, 0.0)
    assert (rows["2024-07"]["active"], rows["2024-07"]["engaged"]) == (4, 1)


def test_rat_metrics_hand_computed(seeded):
    (rat,) = metrics.series(queries.event_counts(seeded, kind="rat"))
    assert (rat["active"], rat["participants"], rat["engaged"]) == (3, 2, 1)
    assert rat["participation_rate"] == pytest.approx(2 / 3)
    assert rat["ratio"] == 0.5


def test_breakdowns_hand_computed(seeded):
    branches = {r["group"]: r for r in queries.breakdown_counts(seeded, "branch", year=2024)}
    assert (branches["Bandung"]["active"], branches["Bandung"]["participants"]) == (2, 2)
    assert (branches["Cimahi"]["active"], branches["Cimahi"]["engaged"]) == (2, 1)
    ages = {r["group"]: r["active"] for r in queries.breakdown_counts(seeded, "age", year=2024)}
    assert ages == {"<1": 1, "1-3": 1, "3-5": 1, "5+": 1}


def test_top_engaged_hides_names_unless_allowed(seeded):
    top = queries.top_engaged(seeded, year=2024)
    assert [r["member_no"] for r in top] == ["M1", "M2", "M3"]
    assert all(r["name"] is None for r in top)
    assert queries.top_engaged(seeded, year=2024, show_names=True)[0]["name"] == "Satu"


def test_unanswered_questions(seeded):
    (question,) = queries.unanswered_questions(seeded, show_texts=True)
    assert (question["local_time"], question["text"]) == (
        "2024-05-05T10:00:00",
        "Kapan SHU dibagikan?",
    )
    hidden = queries.unanswered_questions(seeded)
    assert hidden[0]["text"] is None and hidden[0]["sender"] is None
    assert queries.unanswered_questions(seeded, hours=72) == []


def test_empty_database(db):
    assert queries.period_counts(db) == []
    assert queries.funnel_counts(db) == {
        "active": 0,
        "participants": 0,
        "engaged": 0,
        "engaged_participants": 0,
        "advocates": 0,
    }
    assert queries.breakdown_counts(db, "branch") == []
    assert queries.top_engaged(db) == []
    assert queries.unanswered_questions(db) == []
    assert queries.available_years(db) == []
