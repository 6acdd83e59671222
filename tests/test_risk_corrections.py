"""The comms team's word on the risk flag (issue 12): corrections stored per mention and kept by
every re-score, shown in the "why"; the coop's own risk phrases (a settings row) applied on
re-score through citra.pipeline; phrases suggested by the corrections. Store and query functions
first, then the Mentions and Settings pages through AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest

from citra import pipeline, store
from citra.errors import CitraError
from citra.queries.organisations import get_self
from citra.queries.risk import risk_correction, risk_phrase_suggestions, risk_phrases
from citra.sentiment import SentimentAnalyzer
from citra.sentiment.analyzer import analyzer_version
from citra.sentiment.display import correction_row
from citra.store.mentions import insert_mentions, mention_id
from citra.store.organisations import set_profile
from citra.store.risk import clear_risk_correction, set_risk_correction, set_risk_phrases
from tests.conftest import ROOT, in_opening_period
from tests.test_dashboard_sentiment_ui import open_page

APP = str(ROOT / "dashboard.py")
TEXTS = {
    1: "Arisan kami zonk, pengurus diam saja",
    2: "Anggota geruduk kantor cabang",
    3: "Rapat anggota hari Sabtu",
    4: "Arisan kami zonk lagi bulan ini",
}


def add_mentions(db, texts: dict[int, str]) -> None:
    when = in_opening_period()
    coop = get_self(db)
    with db.atomic():
        insert_mentions(
            db,
            [
                {
                    "id": mention_id("news", f"n{seq}"),
                    "organisation_id": coop.id if coop else None,
                    "platform": "news",
                    "source": "Kabar Desa",
                    "text": text,
                    "published_at": when,
                }
                for seq, text in texts.items()
            ],
        )


def risk_of(db, seq: int) -> tuple[int, str | None, str | None]:
    row = db.execute(
        "SELECT risk, risk_category, risk_categories FROM mentions WHERE seq = ?", [seq]
    ).fetchone()
    return int(row[0]), row[1], row[2]


# --- store and queries ----------------------------------------------------------------------------


def test_a_correction_survives_every_rescore_and_can_be_returned(db) -> None:
    add_mentions(db, TEXTS)
    pipeline.rescore(db)
    assert risk_of(db, 2) == (1, "unrest", "unrest")
    assert risk_of(db, 3) == (0, None, None)

    set_risk_correction(db, 2, None)  # not a risk
    set_risk_correction(db, 3, "fraud")  # a risk the patterns missed
    assert risk_of(db, 2) == (0, None, None)
    assert risk_of(db, 3) == (1, "fraud", "fraud")
    pipeline.rescore(db, all=True)
    assert risk_of(db, 2) == (0, None, None)
    assert risk_of(db, 3) == (1, "fraud", "fraud")
    assert risk_correction(db, 3)["category"] == "fraud"

    assert clear_risk_correction(db, 2) is True
    assert clear_risk_correction(db, 2) is False
    pipeline.label_changed(db)
    assert risk_of(db, 2) == (1, "unrest", "unrest")
    assert risk_correction(db, 2) is None


def test_a_correction_goes_with_its_mention(db) -> None:
    add_mentions(db, TEXTS)
    set_risk_correction(db, 1, "default")
    db.execute("DELETE FROM mentions WHERE seq = 1")
    assert db.execute("SELECT count(*) FROM risk_corrections").fetchone()[0] == 0


@pytest.mark.parametrize(("mention", "category"), [(99, None), (1, "weather")])
def test_a_correction_is_refused_plainly(db, mention: int, category: str | None) -> None:
    add_mentions(db, TEXTS)
    with pytest.raises(CitraError):
        set_risk_correction(db, mention, category)


def test_custom_risk_phrases_apply_on_rescore(db) -> None:
    add_mentions(db, TEXTS)
    pipeline.rescore(db)
    assert risk_of(db, 1)[0] == 0
    before = analyzer_version(db)

    saved = set_risk_phrases(db, [("  Arisan ~ ZONK ", "default"), ("", "fraud")])
    assert saved == [("arisan ~ zonk", "default")]
    assert risk_phrases(db) == saved
    assert analyzer_version(db) != before
    assert analyzer_version(db) == SentimentAnalyzer(db).version
    result = pipeline.rescore(db)
    assert result["scored"] == len(TEXTS)
    assert risk_of(db, 1) == (1, "default", "default")
    assert risk_of(db, 4) == (1, "default", "default")


@pytest.mark.parametrize("phrases", [[("dana ~ raib", "weather")], [("@nowhere dana", "default")]])
def test_a_bad_risk_phrase_is_refused(db, phrases: list[tuple[str, str]]) -> None:
    with pytest.raises(CitraError):
        set_risk_phrases(db, phrases)
    assert risk_phrases(db) == []


def test_parallel_workers_get_the_coop_phrases() -> None:
    from citra.sentiment import _worker

    _worker.start([], None, [("arisan ~ zonk", "default")])
    [(_, _, risk, category, _)] = _worker.score_batch(["arisan kami zonk"])
    assert (risk, category) == (True, "default")


def test_corrections_suggest_phrases(db) -> None:
    add_mentions(db, TEXTS)
    pipeline.rescore(db)
    assert risk_phrase_suggestions(db) == []
    set_risk_correction(db, 1, "default")
    set_risk_correction(db, 4, "default")
    [suggestion] = [s for s in risk_phrase_suggestions(db) if s["phrase"] == "arisan ~ zonk"]
    assert suggestion == {"phrase": "arisan ~ zonk", "category": "default", "count": 2}
    # A phrase that occurs in a mention marked "not a risk" is not suggested.
    add_mentions(db, {5: "Arisan zonk? Itu hoaks"})
    set_risk_correction(db, 5, None)
    assert not [s for s in risk_phrase_suggestions(db) if s["phrase"] == "arisan ~ zonk"]


@pytest.mark.parametrize(
    ("correction", "lang", "rule"),
    [
        ({"risk": 0, "category": None}, "en", "not a risk (set by hand)"),
        ({"risk": 1, "category": "fraud"}, "en", "risk set by hand: fraud"),
        ({"risk": 1, "category": "default"}, "id", "risiko ditetapkan manual: gagal bayar"),
    ],
)
def test_the_why_names_the_correction(correction: dict, lang: str, rule: str) -> None:
    row = correction_row(correction, lang)
    assert row is not None and row["rule"].lower() == rule.lower()
    assert correction_row(None, lang) is None


# --- pages ------------------------------------------------------------------------------------


# Every test starts with empty Streamlit caches (conftest).
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def seeded(db_path: Path) -> Path:
    db = store.open_db(db_path)
    set_profile(db, name="Koperasi Tunas Harapan", keywords=["Tunas Harapan"])
    add_mentions(db, TEXTS)
    pipeline.rescore(db)
    db.close()
    return db_path


def stored_risk(path: Path, seq: int) -> tuple[int, str | None, str | None]:
    db = store.open_readonly(path)
    try:
        return risk_of(db, seq)
    finally:
        db.close()


def test_the_mentions_panel_corrects_the_risk_flag(seeded: Path) -> None:
    at = open_page("mentions", mention=2)
    at.selectbox(key="risk_choice_2").select("")
    next(b for b in at.button if b.label == "Save risk flag").click().run()
    assert not at.exception
    assert stored_risk(seeded, 2) == (0, None, None)
    assert "Risk flag saved: Not a risk" in at.success[0].value
    table = at.dataframe[-1].value
    assert "not a risk (set by hand)" in list(table["rule"])

    at.button(key="risk_auto_2").click().run()
    assert not at.exception
    assert stored_risk(seeded, 2) == (1, "unrest", "unrest")


def test_settings_adds_a_risk_phrase_and_rescores(seeded: Path) -> None:
    assert stored_risk(seeded, 1)[0] == 0
    at = open_page("settings")
    at.text_input(key="s_phrase").input("arisan ~ zonk")
    at.selectbox(key="s_phrase_category").select("default")
    next(b for b in at.button if b.label == "Add phrase").click().run()
    assert not at.exception
    db = store.open_readonly(seeded)
    try:
        assert risk_phrases(db) == [("arisan ~ zonk", "default")]
    finally:
        db.close()
    at.button(key="s_rescore").click().run()
    assert not at.exception
    assert stored_risk(seeded, 1) == (1, "default", "default")

    at.button(key="remove_phrase_0").click().run()
    assert not at.exception
    db = store.open_readonly(seeded)
    try:
        assert risk_phrases(db) == []
    finally:
        db.close()


def test_settings_refuses_a_bad_phrase_plainly(seeded: Path) -> None:
    at = open_page("settings")
    at.text_input(key="s_phrase").input("@nowhere dana")
    next(b for b in at.button if b.label == "Add phrase").click().run()
    assert not at.exception
    assert any("cannot be read" in e.value for e in at.error)
