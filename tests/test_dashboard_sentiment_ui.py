"""The comms team's sentiment controls: why a label, correcting it (Mentions), custom words,
re-scoring and learning (Settings). Pages run through AppTest on a small seeded database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from citra import store
from citra.queries.organisations import get_self
from citra.queries.sentiment import list_custom_words
from citra.sentiment.display import explanation_rows, labels_csv
from citra.sentiment.rescore import rescore
from citra.store.mentions import insert_mentions, mention_id
from citra.store.organisations import set_profile
from tests.conftest import ROOT, in_opening_period

APP = str(ROOT / "dashboard.py")
# seq (1-based insert order) -> text; scored by the real analyzer in the fixture.
TEXTS = {
    1: "Pelayanan sangat buruk, SHU terlambat dibagikan",
    2: "Aplikasi zorblat dipakai anggota koperasi",
    3: "Tidak bagus tapi pengurus ramah",
}


# Every test starts with empty Streamlit caches (conftest).
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def seeded(db_path: Path) -> Path:
    """A coop with three scored mentions in the opening period (``CITRA_DB`` points here)."""
    db = store.open_db(db_path)
    set_profile(db, name="Koperasi Tunas Harapan", keywords=["Tunas Harapan"])
    coop = get_self(db)
    assert coop is not None
    when = in_opening_period()
    with db.atomic():
        insert_mentions(
            db,
            (
                {
                    "id": mention_id("news", f"n{seq}"),
                    "organisation_id": coop.id,
                    "platform": "news",
                    "source": "Kabar Desa",
                    "text": text,
                    "published_at": when,
                }
                for seq, text in TEXTS.items()
            ),
        )
    rescore(db)
    db.close()
    return db_path


def stored(path: Path, seq: int) -> tuple[str, str]:
    db = store.open_readonly(path)
    try:
        row = db.execute(
            "SELECT sentiment_label, sentiment_source FROM mentions WHERE seq = ?", [seq]
        ).fetchone()
    finally:
        db.close()
    return row[0], row[1]


def open_page(page: str, *, mention: int | None = None) -> AppTest:
    """``page`` in English through the app (dashboard.py), with mention ``mention`` open."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page(f"pages/{page}.py")
    if mention is not None:
        at.query_params["mention"] = str(mention)
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    ("rule", "lang", "expected"),
    [
        ("lexicon", "en", "lexicon"),
        ("negated+contrast (weakened)", "en", "negated + contrast (weakened)"),
        ("negated+contrast (weakened)", "id", "dinegasi + kontras (dilemahkan)"),
        ("intensified", "id", "diperkuat"),
        ("risk", "id", "risiko"),
    ],
)
def test_rule_names_are_split_and_translated(rule: str, lang: str, expected: str) -> None:
    rows = explanation_rows([{"word": "x", "valence": 1, "base": 1, "rule": rule}], lang)
    assert rows == [{"word": "x", "valence": 1.0, "rule": expected}]


def test_labels_csv_has_the_training_header() -> None:
    row = {"text": 'a, "b"', "label": "negative", "id": "m1", "platform": "x", "extra": 1}
    assert labels_csv([]) == "text,label,id,platform,published_at\r\n"
    assert labels_csv([row]).splitlines()[1] == '"a, ""b""",negative,m1,x,'


@pytest.mark.parametrize(
    ("seq", "expected"),
    [
        (1, [("buruk", "intensified"), ("SHU terlambat", "lexicon")]),
        (2, []),
        (3, [("bagus", "negated + contrast (weakened)"), ("ramah", "contrast (stressed)")]),
    ],
)
def test_the_detail_explains_the_label(seeded: Path, seq: int, expected: list) -> None:
    at = open_page("mentions", mention=seq)
    assert "Why this label" in [s.value for s in at.subheader]
    if expected:
        table = at.dataframe[-1].value  # the explanation, below the mentions
        assert list(zip(table["word"], table["rule"], strict=True)) == expected
    else:
        assert any("carries sentiment" in c.value for c in at.caption)


def test_a_corrected_label_survives_rescore_and_can_be_returned(seeded: Path) -> None:
    assert stored(seeded, 1) == ("negative", "auto")
    at = open_page("mentions", mention=1)
    at.radio(key="label_choice_1").set_value("positive")
    next(b for b in at.button if b.label == "Save label").click().run()
    assert not at.exception
    assert stored(seeded, 1) == ("positive", "manual")
    assert "Label saved" in at.success[0].value
    assert any("Scored by hand" in i.value for i in at.info)

    db = store.open_db(seeded)
    rescore(db, all=True)
    db.close()
    assert stored(seeded, 1) == ("positive", "manual")

    at.button(key="label_auto_1").click().run()
    assert not at.exception
    assert stored(seeded, 1) == ("negative", "auto")
    assert not any("Scored by hand" in i.value for i in at.info)


def custom_words(path: Path) -> list[tuple[str, float]]:
    db = store.open_readonly(path)
    try:
        return [(w["term"], w["valence"]) for w in list_custom_words(db)]
    finally:
        db.close()


def test_a_custom_word_is_added_rescored_and_removed(seeded: Path) -> None:
    assert stored(seeded, 2) == ("neutral", "auto")
    at = open_page("settings")
    assert not any(b.key == "s_rescore" for b in at.button)  # nothing pending yet
    at.text_input(key="s_word").input("  Zorblat ")
    at.select_slider(key="s_valence").set_value(-3.0)
    next(b for b in at.button if b.label == "Add word").click().run()
    assert not at.exception
    assert custom_words(seeded) == [("zorblat", -3.0)]

    at.button(key="s_rescore").click().run()
    assert not at.exception
    assert stored(seeded, 2) == ("negative", "auto")
    assert "Re-scored 3 mentions" in at.success[0].value

    at.button(key="remove_word_zorblat").click().run()
    assert not at.exception
    assert custom_words(seeded) == []
    at.button(key="s_rescore").click().run()
    assert stored(seeded, 2) == ("neutral", "auto")


def test_learning_with_too_few_corrections_says_so_plainly(seeded: Path) -> None:
    at = open_page("settings")
    at.button(key="s_learn").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Too few labelled rows to learn from: 0")
    assert "No trained model is in use" in " ".join(c.value for c in at.caption)


def test_a_correction_and_a_tag_stay_on_the_mention_they_were_started_on(seeded: Path) -> None:
    """With the Negative filter on, correcting the first row to Neutral drops it from the list;
    the detail must stay on that mention, and the next tag must land on it too."""
    negatives = [seq for seq in TEXTS if stored(seeded, seq)[0] == "negative"]
    assert len(negatives) >= 1
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/mentions.py")
    at.session_state["m_labels"] = ["negative"]
    at.run()
    # A click on the first row, as the table reports it.
    at.session_state["m_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    opened = next(int(r.key.removeprefix("label_choice_")) for r in at.radio)
    assert opened in negatives
    at.radio(key=f"label_choice_{opened}").set_value("neutral")
    next(b for b in at.button if b.label == "Save label").click().run()
    assert not at.exception
    assert stored(seeded, opened) == ("neutral", "manual")
    assert [r.key for r in at.radio] == [f"label_choice_{opened}"]  # still the same mention
    at.multiselect(key=f"tags_choice_{opened}").set_value(["layanan"])
    next(b for b in at.button if b.label == "Save tags").click().run()
    db = store.open_readonly(seeded)
    tagged = [r[0] for r in db.execute("SELECT mention_seq FROM mention_tags")]
    db.close()
    assert tagged == [opened]


def test_a_learned_label_names_the_words_the_model_weighed(seeded: Path) -> None:
    from citra.queries.sentiment import list_models
    from citra.sentiment.training import train_file
    from citra.store.sentiment import activate_model

    db = store.open_db(seeded)
    train_file(db, ROOT / "tests/fixtures/sentiment/train_small.csv")
    activate_model(db, list_models(db)[0]["id"])
    rescore(db)
    db.close()
    at = open_page("mentions", mention=1)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("A model learned from your corrections") for c in captions)
    weighed = next(c for c in captions if c.startswith("Words the model weighed most"))
    assert "buruk" in weighed or "the lexicon's score" in weighed
