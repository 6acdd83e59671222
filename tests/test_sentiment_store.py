"""Sentiment in the database: rescore, corrections, custom words, training, model JSON, CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from citra.cli import cli
from citra.errors import CitraError
from citra.queries.sentiment import (
    active_model_info,
    export_labels,
    list_custom_words,
    list_models,
)
from citra.sentiment import SentimentAnalyzer
from citra.sentiment.model import TrainedModel
from citra.sentiment.rescore import pending_count, rescore
from citra.sentiment.training import (
    NotEnoughLabels,
    learn_from_corrections,
    read_labelled_csv,
    train,
    train_file,
)
from citra.store.mentions import insert_mentions
from citra.store.sentiment import (
    activate_model,
    add_custom_word,
    clear_manual_label,
    remove_custom_word,
    set_manual_label,
)

TRAIN_SMALL = Path(__file__).parent / "fixtures" / "sentiment" / "train_small.csv"

MENTIONS = [
    ("m1", "Pelayanan koperasi Sejahtera ramah dan cepat", "positive", 0),
    ("m2", "Koperasi Sejahtera gagal bayar, dana anggota tidak kembali", "negative", 1),
    ("m3", "Rapat anggota diadakan hari Sabtu", "neutral", 0),
    ("m4", "Aplikasinya lelet banget", "negative", 0),
]


def _add(db: Database, rows=MENTIONS) -> None:
    with db.atomic():
        insert_mentions(db, [{"id": i, "platform": "x", "text": t} for i, t, _, _ in rows])


def _stored(db: Database) -> dict[str, dict]:
    return {r["id"]: r for r in db.query("SELECT * FROM mentions ORDER BY seq")}


def test_rescore_scores_new_mentions_and_is_cheap_after(db: Database) -> None:
    _add(db)
    calls = []
    result = rescore(db, progress=lambda done, total: calls.append((done, total)))
    assert result["scored"] == 4 and result["risk"] == 1
    assert calls[-1] == (4, 4)
    stored = _stored(db)
    for mention_id, _, label, risk in MENTIONS:
        assert stored[mention_id]["sentiment_label"] == label
        assert stored[mention_id]["risk"] == risk
        assert stored[mention_id]["lexicon_version"] == SentimentAnalyzer(db).version
    assert rescore(db)["scored"] == 0
    assert rescore(db, all=True)["scored"] == 4


def test_rescore_resumes_after_interruption(db: Database) -> None:
    _add(db)

    def stop_after_first_batch(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rescore(db, batch_size=2, progress=stop_after_first_batch)
    assert pending_count(db) == 2
    assert rescore(db, batch_size=2)["scored"] == 2
    assert pending_count(db) == 0


def test_manual_label_survives_rescore_and_gets_risk(db: Database) -> None:
    _add(db)
    rescore(db)
    set_manual_label(db, "m2", "neutral")  # a person disagrees
    set_manual_label(db, "m1", "Negative")
    add_custom_word(db, "sejahtera", 0)  # changes the version: everything is pending again
    result = rescore(db)
    assert result["manual"] == 2 and result["scored"] == 2
    stored = _stored(db)
    assert stored["m2"]["sentiment_label"] == "neutral" and stored["m2"]["risk"] == 1
    assert stored["m1"]["sentiment_label"] == "negative"
    assert stored["m1"]["sentiment_source"] == "manual"
    rescore(db, all=True)
    assert _stored(db)["m2"]["sentiment_label"] == "neutral"
    assert [(r["id"], r["label"]) for r in export_labels(db)] == [
        ("m1", "negative"),
        ("m2", "neutral"),
    ]
    clear_manual_label(db, "m2")
    rescore(db)
    assert _stored(db)["m2"]["sentiment_label"] == "negative"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda db: set_manual_label(db, "nope", "positive"), "No mention"),
        (lambda db: set_manual_label(db, "m1", "angry"), "Label must be"),
        (lambda db: add_custom_word(db, "  ", 1), "cannot be empty"),
        (lambda db: add_custom_word(db, "x", 9), "from -4 to 4"),
        (lambda db: add_custom_word(db, "x", "lots"), "must be a number"),
        (lambda db: activate_model(db, 99), "No trained model"),
    ],
)
def test_store_rejects_bad_input(db: Database, call, message: str) -> None:
    _add(db)
    with pytest.raises(CitraError, match=message):
        call(db)


def test_custom_words_round_trip(db: Database) -> None:
    before = SentimentAnalyzer(db).version
    assert add_custom_word(db, "  Produk  Andalan ", 2.5, "our product") == "produk andalan"
    assert [w["term"] for w in list_custom_words(db)] == ["produk andalan"]
    assert SentimentAnalyzer(db).label("coba produk andalan kami") == "positive"
    assert SentimentAnalyzer(db).version != before
    assert remove_custom_word(db, "produk andalan") is True
    assert remove_custom_word(db, "produk andalan") is False
    assert SentimentAnalyzer(db).version == before


def test_training_path_and_activation(db: Database) -> None:
    report = train_file(db, TRAIN_SMALL)
    assert report.rows == 60 and report.classes == {"positive": 20, "negative": 20, "neutral": 20}
    assert 0.0 <= report.lexicon_f1 <= 1.0 and 0.0 <= report.model_f1 <= 1.0
    info = active_model_info(db)
    if report.activated:
        assert info is not None and info["id"] == report.model_id
        analyzer = SentimentAnalyzer(db)
        assert analyzer.model is not None and analyzer.version.endswith(f".m{report.model_id}")
        assert analyzer.label("pendaftaran anggota baru dibuka bulan depan") == "neutral"
        # explain still shows the lexicon's reasons
        assert analyzer.explain("petugasnya kasar")[0]["word"] == "kasar"
    else:
        assert info is None
    activate_model(db, None)
    assert active_model_info(db) is None


def test_old_models_are_pruned(db: Database) -> None:
    from citra.queries.sentiment import list_models
    from citra.store.sentiment import KEEP_MODELS, save_model

    first = save_model(
        db, "{}", source="a", rows=1, cv_macro_f1=0.9, lexicon_macro_f1=0.5, activate=True
    )
    for _ in range(KEEP_MODELS + 3):
        save_model(
            db, "{}", source="b", rows=1, cv_macro_f1=0.1, lexicon_macro_f1=0.5, activate=False
        )
    kept = list_models(db)
    assert len(kept) == KEEP_MODELS + 1
    assert [m["id"] for m in kept if m["is_active"]] == [first]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("bagus", "positive")] * 5, "Too few labelled rows"),
        ([(f"bagus {i}", "positive") for i in range(40)], "same label"),
        (
            [(f"bagus {i}", "positive") for i in range(38)] + [("jelek", "negative")] * 2,
            "Too few rows labelled negative",
        ),
    ],
)
def test_training_refuses_thin_data_and_keeps_model(db: Database, rows, message: str) -> None:
    train_file(db, TRAIN_SMALL)
    before = active_model_info(db)
    with pytest.raises(NotEnoughLabels, match=message) as refused:
        train(db, [t for t, _ in rows], [label for _, label in rows], source="test")
    assert active_model_info(db) == before
    assert "Model yang sekarang tetap dipakai" in refused.value.describe("id")


def test_learn_from_corrections(db: Database) -> None:
    with pytest.raises(CitraError, match="Too few"):
        learn_from_corrections(db)
    texts, labels = read_labelled_csv(TRAIN_SMALL)
    _add(
        db, [(f"c{i}", t, label, 0) for i, (t, label) in enumerate(zip(texts, labels, strict=True))]
    )
    for i, label in enumerate(labels):
        set_manual_label(db, f"c{i}", label)
    report = learn_from_corrections(db)
    assert report.rows == 60 and "macro-F1" in report.message
    assert "validasi silang" in report.describe("id")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("words,sentiment\nbagus,positive\n", "line 1: the header"),
        ("text,label\nbagus,positive\njelek,angry\n", "line 3: label 'angry'"),
    ],
)
def test_training_file_errors_say_where(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "train.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CitraError, match=message):
        read_labelled_csv(path)


def test_model_json_round_trip() -> None:
    texts, labels = read_labelled_csv(TRAIN_SMALL)
    analyzer = SentimentAnalyzer()
    prepared = [" ".join(analyzer.prepare(t).words) for t in texts]
    scores = [analyzer.polarity_scores(t) for t in texts]
    model = TrainedModel.fit(prepared, scores, labels)
    restored = TrainedModel.from_json(model.to_json())
    assert restored == model
    assert restored.predict(prepared, scores) == model.predict(prepared, scores)
    assert json.loads(model.to_json())["format"] == "citra-sentiment-logreg/1"
    with pytest.raises(ValueError):
        TrainedModel.from_json('{"format": "pickle"}')


def test_cli_commands(db_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = Database(db_path)
    _add(db)
    db.close()

    def run(*args: str) -> str:
        result = runner.invoke(cli, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    assert "Re-scored 4 mentions" in run("rescore")
    assert "Re-scored 0 mentions" in run("rescore")
    assert "Re-scored 4 mentions" in run("rescore", "--all")
    assert "saved" in run("sentiment", "words", "add", "Sejahtera", "0", "--note", "name")
    assert "sejahtera" in run("sentiment", "words", "list")
    assert "removed" in run("sentiment", "words", "remove", "sejahtera")
    assert "macro-F1" in run("sentiment", "train", str(TRAIN_SMALL))
    out = run("sentiment", "explain", "tidak bagus, koperasi bodong")
    assert out.startswith("negative") and "negated" in out and "risk" in out
    assert json.loads(run("sentiment", "explain", "--json", "bagus"))["label"] == "positive"
    out_csv = tmp_path / "labels.csv"
    assert "Wrote 0" in run("sentiment", "export-labels", str(out_csv))
    with out_csv.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle))[:2] == ["text", "label"]
    failed = runner.invoke(cli, ["sentiment", "learn"])
    assert failed.exit_code == 2 and "Too few" in failed.output
    failed = runner.invoke(cli, ["sentiment", "words", "remove", "nothing"])
    assert failed.exit_code == 2


@pytest.mark.parametrize(
    "args",
    [
        ["rescore"],
        ["sentiment"],
        ["sentiment", "train"],
        ["sentiment", "learn"],
        ["sentiment", "words"],
        ["sentiment", "words", "add"],
        ["sentiment", "words", "remove"],
        ["sentiment", "words", "list"],
        ["sentiment", "export-labels"],
        ["sentiment", "explain"],
    ],
)
def test_commands_have_help_and_are_documented(args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"`{' '.join(args)}" in readme


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("KSP Tunas Makmur menggelar Rapat Anggota Tahunan di Bantul", "neutral"),
        ("info dong syarat jadi anggota #kopsejahtera apa aja", "neutral"),
        ("Complaints about slow service at KSP Tunas Makmur branches", "negative"),
        ("Bunga pinjaman KSP Sejahtera dinilai terlalu tinggi oleh anggota", "negative"),
        ("Pelayanan KSP Tunas Makmur mantap, cepat dan ramah", "positive"),
    ],
)
def test_organisation_names_carry_no_sentiment(db, text: str, label: str) -> None:
    from citra.store.organisations import add_peer, set_profile

    set_profile(db, name="KSP Tunas Makmur")
    add_peer(db, "Koperasi Sejahtera Bersama", keywords=["KSP Sejahtera"])
    assert SentimentAnalyzer(db).label(text) == label


def test_renaming_an_organisation_changes_the_analyzer_version(db) -> None:
    from citra.sentiment.analyzer import analyzer_version
    from citra.store.organisations import set_profile

    set_profile(db, name="KSP Tunas Makmur")
    before = analyzer_version(db)
    assert SentimentAnalyzer(db).version == before
    set_profile(db, keywords=["Tunas Makmur Jaya"])
    assert analyzer_version(db) != before


def test_training_on_a_file_adds_the_teams_corrections(db: Database) -> None:
    texts, labels = read_labelled_csv(TRAIN_SMALL)
    # One corrected mention repeats a file row with another label; one is new.
    _add(db, [("own1", texts[0], "neutral", 0), ("own2", "koperasi kami top markotop", "x", 0)])
    set_manual_label(db, "own1", "negative")
    set_manual_label(db, "own2", "positive")
    report = train_file(db, TRAIN_SMALL)
    assert report.rows == 61
    assert report.classes == {"positive": 21, "negative": 21, "neutral": 19}
    from citra.queries.sentiment import list_models

    assert list_models(db)[0]["source"] == "train_small.csv + 2 corrections"


def test_the_coops_own_corrections_make_the_learned_layer_better(db: Database) -> None:
    """The team's corrections (here the in-house koperasi sample, labelled by hand) join the
    training file; the model trained with them labels the held-out koperasi sample (never
    trained or tuned on) clearly better than the model trained on the file alone (0.76 -> 0.82
    macro-F1 when this was written)."""
    from citra.sentiment.training import macro_f1

    fixtures = TRAIN_SMALL.parent
    with (fixtures / "koperasi_heldout.csv").open(encoding="utf-8", newline="") as handle:
        heldout = list(csv.DictReader(handle))
    texts = [r["text"] for r in heldout]
    truth = [r["label"] for r in heldout]

    def heldout_f1() -> float:
        analyzer = SentimentAnalyzer(db)
        assert analyzer.model is not None
        return macro_f1(truth, [s.label for s in analyzer.score_many(texts)])

    train_file(db, TRAIN_SMALL)
    activate_model(db, list_models(db)[0]["id"])  # measured even if it is not better than lexicon
    file_only = heldout_f1()

    own, own_labels = read_labelled_csv(fixtures / "koperasi_samples.csv")
    _add(db, [(f"own{i}", text, "x", 0) for i, text in enumerate(own)])
    for i, label in enumerate(own_labels):
        set_manual_label(db, f"own{i}", label)
    report = train_file(db, TRAIN_SMALL)
    assert report.rows == 60 + len(own) and report.own_rows == len(own)
    assert report.own_model_f1 is not None  # judged on the team's own mentions too
    # Measured whether or not it also beat the lexicon on them (the lexicon was written on
    # these very samples, so it is hard to beat there).
    activate_model(db, report.model_id)
    with_corrections = heldout_f1()
    assert with_corrections >= file_only + 0.04, (file_only, with_corrections)


def test_a_learned_label_says_which_words_weighed_most(db: Database) -> None:
    from citra.sentiment.model import model_reasons

    assert model_reasons(SentimentAnalyzer(), "petugasnya kasar") == []  # no model: no reasons
    train_file(db, TRAIN_SMALL)
    activate_model(db, list_models(db)[0]["id"])
    analyzer = SentimentAnalyzer(db)
    text = "petugasnya kasar dan pelayanannya lambat sekali"
    reasons = model_reasons(analyzer, text)
    assert 1 <= len(reasons) <= 5
    assert {r["label"] for r in reasons} == {analyzer.label(text)} == {"negative"}
    weights = [r["weight"] for r in reasons]
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
    prepared = " ".join(analyzer.prepare(text).words).replace("_", " ")
    assert all(r["word"] == "(lexicon)" or r["word"] in prepared for r in reasons)


def test_explain_shows_the_models_terms(db_path: Path) -> None:
    runner = CliRunner()
    assert "macro-F1" in runner.invoke(cli, ["sentiment", "train", str(TRAIN_SMALL)]).output
    db = Database(db_path)
    activate_model(db, list_models(db)[0]["id"])
    db.close()
    out = runner.invoke(cli, ["sentiment", "explain", "petugasnya kasar dan lambat"]).output
    assert out.startswith("negative") and "its strongest terms" in out and "lexicon reasons" in out
    found = json.loads(runner.invoke(cli, ["sentiment", "explain", "--json", "kasar"]).output)
    assert found["model_reasons"] and found["model_reasons"][0]["label"] == found["label"]


@pytest.mark.parametrize(
    ("own_right", "activated", "says"),
    [
        (False, False, "worse on the team's own 40 corrected mentions (0.000 against 1.000)"),
        (True, True, "switched on"),
    ],
)
def test_a_model_worse_on_the_teams_own_mentions_stays_off(
    db: Database, monkeypatch: pytest.MonkeyPatch, own_right: bool, activated: bool, says: str
) -> None:
    """Better than the lexicon on all rows is not enough when the team's own corrected mentions
    (the last ``own`` rows) say otherwise: a model learned from public reviews did exactly that
    on the koperasi sample (0.815 -> 0.723)."""
    from citra.sentiment import training

    labels = ["positive", "negative"] * 50  # 60 rows of a file, then 40 of the team's own
    wrong = {"positive": "negative", "negative": "positive"}
    # The model is right on the file's rows and, or not, on the team's; the lexicon the reverse.
    model = labels[:60] + (labels[60:] if own_right else [wrong[x] for x in labels[60:]])
    lexicon = [wrong[x] for x in labels[:60]] + (
        [wrong[x] for x in labels[60:]] if own_right else labels[60:]
    )
    texts = ["bagus sekali", "buruk sekali"] * 3
    fitted = TrainedModel.fit(
        texts, SentimentAnalyzer(db).score_many(texts), ["positive", "negative"] * 3
    )
    monkeypatch.setattr(training, "_fit_and_cross_validate", lambda *a: (fitted, model, lexicon))
    report = training.train(db, ["t"] * 100, labels, source="test", own=40)
    assert report.model_f1 > report.lexicon_f1
    assert report.activated is activated
    assert (report.own_model_f1, report.own_lexicon_f1) == ((1.0, 0.0) if own_right else (0.0, 1.0))
    assert says in report.message
    assert "Judged on the training file only" not in report.message


def test_with_few_of_the_teams_own_labels_the_message_says_what_it_was_judged_on(
    db: Database,
) -> None:
    _add(db, [(f"own{i}", text, "x", 0) for i, text in enumerate(["Pelayanan lambat"] * 3)])
    set_manual_label(db, "own0", "negative")
    report = train_file(db, TRAIN_SMALL)
    assert report.own_rows == 1 and report.own_model_f1 is None
    if report.activated:
        assert "Judged on the training file only: the team has corrected 1 mentions" in (
            report.message
        )
        assert "Dinilai hanya pada berkas pelatihan" in report.describe("id")
