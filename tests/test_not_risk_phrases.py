"""The coop's not-a-risk phrases (issue 12, "corrections of the risk flag feed back"): a risk
match that such a phrase covers is set aside (not flagged, the "why" names the phrase), the
same in the reference search, the fast path and worker processes; saved in Settings (admin,
audited), part of the analyzer version, applied on re-score (a mention's own correction still
wins), and suggested by the team's "not a risk" corrections. Analyzer cases first, then store and
queries, then the Settings page through AppTest and an import scored by workers."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from citra import pipeline, store
from citra.errors import CitraError
from citra.queries.risk import not_risk_phrases, not_risk_suggestions
from citra.sentiment import SentimentAnalyzer, parallel
from citra.sentiment.analyzer import analyzer_version
from citra.sentiment.display import explanation_rows
from citra.sentiment.reference import ReferenceAnalyzer
from citra.sentiment.risk import SET_ASIDE
from citra.store.risk import set_not_risk_phrases, set_risk_correction
from tests.test_risk_corrections import add_mentions, risk_of, stored_risk

PHRASES = ["webinar ~ investasi bodong", "film|sinetron ~ penipuan", "simulasi ~ gagal bayar"]


@pytest.fixture(scope="module")
def analyzers() -> list[SentimentAnalyzer]:
    """The fast path (compiled when built) and the reference, with and without the phrases."""
    return [
        SentimentAnalyzer(not_risk_phrases=PHRASES),
        ReferenceAnalyzer(not_risk_phrases=PHRASES),
    ]


@pytest.mark.parametrize(
    ("text", "flagged", "set_aside"),
    [
        # The phrase covers the match: set aside, nothing else flags.
        ("Webinar investasi bodong untuk anggota hari Sabtu", (), ["investasi bodong"]),
        ("Ulasan film penipuan terbaru", (), ["penipuan"]),
        ("Sinetron tentang penipuan tayang malam ini", (), ["penipuan"]),
        ("Materi pelatihan: simulasi gagal bayar", (), ["gagal bayar"]),
        # The narrow rule: only the match the phrase covers. "dana raib" still flags, in another
        # clause or in the same one.
        (
            "Webinar kemarin ternyata investasi bodong, dana raib",
            ("default",),
            ["investasi bodong"],
        ),
        (
            "Webinar kemarin ternyata investasi bodong dan dana nasabah raib",
            ("default",),
            ["investasi bodong"],
        ),
        # Not a risk elsewhere: the same risk words without the phrase still flag.
        ("Koperasi itu investasi bodong", ("fraud",), []),
        ("Webinar selesai. Koperasi ini investasi bodong", ("fraud",), []),
        ("Koperasi gagal bayar ke anggota", ("default",), []),
        # A phrase beyond the gap "~" allows does not reach the match.
        ("Webinar untuk para anggota koperasi investasi bodong", ("fraud",), []),
    ],
)
def test_a_not_a_risk_phrase_sets_aside_the_match_it_covers(
    analyzers, text: str, flagged: tuple[str, ...], set_aside: list[str]
) -> None:
    for analyzer in analyzers:
        score = analyzer.score(text)
        assert score.risk_categories == flagged, (type(analyzer).__name__, text)
        assert score.risk == bool(flagged)
        hits = analyzer.risk_hits(text)
        assert [h.phrase for h in hits if h.status == SET_ASIDE] == set_aside
        assert all(h.set_aside_by in PHRASES for h in hits if h.status == SET_ASIDE)
        assert analyzer.score_values([text]) == ReferenceAnalyzer(
            not_risk_phrases=PHRASES
        ).score_values([text])
    # Without the phrases every one of these flags.
    assert SentimentAnalyzer().score(text).risk


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "risk (set aside, not flagged): fraud · set aside by your not-a-risk phrase "
            "'film|sinetron ~ penipuan'",
        ),
        (
            "id",
            "risiko (dikesampingkan, tidak ditandai): penipuan · dikesampingkan oleh frasa "
            "bukan-risiko Anda 'film|sinetron ~ penipuan'",
        ),
    ],
)
def test_the_why_names_the_phrase(analyzers, lang: str, expected: str) -> None:
    for analyzer in analyzers:
        reasons = analyzer.explain("Ulasan film penipuan terbaru")
        [reason] = [r for r in reasons if r.get("set_aside_by")]
        assert reason["set_aside_by"] == "film|sinetron ~ penipuan"
        rows = explanation_rows(reasons, lang)
        assert expected in [row["rule"] for row in rows]


# Every text of the feature (Settings, the why, the refusal, the Mentions hint), in Indonesian.
MSGIDS = [
    "risk (set aside, not flagged)",
    "set aside by your not-a-risk phrase '{phrase}'",
    "Not-a-risk phrases",
    "Not-a-risk phrase",
    "Add not-a-risk phrase",
    "Suggested by your not-a-risk corrections",
    "**{phrase}** · {category} · in {count} mentions Citra flagged that you marked as not a risk",
    "This not-a-risk phrase cannot be read: {error}",
    "Your word wins over Citra's risk flag, and re-scoring keeps it; Settings suggests risk "
    "phrases and not-a-risk phrases from the mentions you mark.",
]


@pytest.mark.parametrize("msgid", MSGIDS)
def test_every_text_is_in_the_indonesian_catalogue(msgid: str) -> None:
    from citra.i18n import catalogue

    assert catalogue("id").get(msgid), msgid
    assert "{" not in msgid or set(re.findall(r"{\w+}", msgid)) == set(
        re.findall(r"{\w+}", catalogue("id")[msgid])
    )


def test_no_phrases_leave_the_taxonomy_as_shipped() -> None:
    plain = SentimentAnalyzer()
    assert plain.taxonomy.not_risk is None
    assert plain._fast._risk._not_risk is None
    assert SentimentAnalyzer(not_risk_phrases=[]).version == plain.version


# --- store and queries ----------------------------------------------------------------------------

TEXTS = {
    1: "Webinar investasi bodong untuk anggota hari Sabtu",
    2: "Daftar webinar investasi bodong bulan depan",
    3: "Film penipuan tayang di bioskop",
    4: "Ulasan film penipuan terbaru",
    5: "Webinar investasi bodong ternyata kedok, dana anggota raib",
}


def test_phrases_are_cleaned_versioned_and_applied_on_rescore(db) -> None:
    add_mentions(db, TEXTS)
    pipeline.rescore(db)
    assert [risk_of(db, seq)[0] for seq in TEXTS] == [1, 1, 1, 1, 1]
    set_risk_correction(db, 2, "fraud")  # the team's word: this one is a risk
    before = analyzer_version(db)

    saved = set_not_risk_phrases(
        db, ["  Webinar ~ INVESTASI bodong ", "", "webinar ~ investasi bodong"]
    )
    assert saved == ["webinar ~ investasi bodong"]
    assert not_risk_phrases(db) == saved
    assert analyzer_version(db) != before
    assert analyzer_version(db) == SentimentAnalyzer(db).version
    assert pipeline.rescore(db)["scored"] == len(TEXTS)
    assert risk_of(db, 1) == (0, None, None)  # the false alarm, set aside
    assert risk_of(db, 2) == (1, "fraud", "fraud")  # a manual correction keeps its flag
    assert risk_of(db, 3)[0] == 1  # another phrase's business
    # "kedok" (fraud) and "dana anggota raib" (default) are not the phrase's: they still flag.
    assert risk_of(db, 5) == (1, "default", "fraud default")

    set_not_risk_phrases(db, [])
    assert analyzer_version(db) == before
    pipeline.rescore(db)
    assert risk_of(db, 1) == (1, "fraud", "fraud")


@pytest.mark.parametrize("patterns", [["~ bodong"], ["@nowhere bodong"]])
def test_a_bad_not_a_risk_phrase_is_refused(db, patterns: list[str]) -> None:
    with pytest.raises(CitraError, match="cannot be read"):
        set_not_risk_phrases(db, patterns)
    assert not_risk_phrases(db) == []


def test_macros_of_the_taxonomy_may_be_used() -> None:
    # "@money" and "@neg" are defined in risk_terms.tsv.
    analyzer = SentimentAnalyzer(not_risk_phrases=["kuis ~ @money @neg"])
    for text in (
        "Kuis: dana tidak bisa dicairkan, benar atau salah?",
        "kuis uang gak bisa diambil",
    ):
        assert SentimentAnalyzer().score(text).risk
        assert not analyzer.score(text).risk, text


def test_not_a_risk_corrections_suggest_phrases(db) -> None:
    add_mentions(db, TEXTS)
    pipeline.rescore(db)
    assert not_risk_suggestions(db) == []
    for seq in (1, 2, 3, 4):
        set_risk_correction(db, seq, None)  # not a risk
    assert not_risk_suggestions(db) == [
        {"phrase": "film ~ penipuan", "category": "fraud", "count": 2},
        {"phrase": "webinar ~ investasi bodong", "category": "fraud", "count": 2},
    ]
    # A mention marked as a risk where the phrase matches: never suggested.
    set_risk_correction(db, 5, "fraud")
    assert [s["phrase"] for s in not_risk_suggestions(db)] == ["film ~ penipuan"]
    # Added, it is covered: the suggestion goes.
    set_not_risk_phrases(db, ["film ~ penipuan"])
    assert not_risk_suggestions(db) == []


def test_one_correction_suggests_nothing(db) -> None:
    # One correction per phrase: no phrase recurs.
    add_mentions(db, {1: TEXTS[1], 2: TEXTS[3]})
    pipeline.rescore(db)
    set_risk_correction(db, 1, None)
    set_risk_correction(db, 2, None)
    assert not_risk_suggestions(db) == []


def test_workers_get_the_coops_not_a_risk_phrases() -> None:
    from citra.sentiment import _worker

    _worker.start([], None, [], None, ["film ~ penipuan"])
    assert _worker.score_batch(["ulasan film penipuan", "koperasi penipuan"]) == (
        SentimentAnalyzer(not_risk_phrases=["film ~ penipuan"]).score_values(
            ["ulasan film penipuan", "koperasi penipuan"]
        )
    )
    assert [v[2] for v in _worker.score_batch(["ulasan film penipuan", "koperasi penipuan"])] == [
        False,
        True,
    ]


# --- an import scored by workers ----------------------------------------------------------------


def _write_csv(path: Path, rows: int) -> None:
    texts = (
        "Webinar investasi bodong untuk anggota",
        "Koperasi itu investasi bodong, dana raib",
        "Film penipuan tayang minggu ini",
        "Pelayanan ramah sekali",
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Title", "Content", "Url"])
        for n in range(rows):
            date = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d} {n % 24:02d}:00"
            writer.writerow([date, "", f"{texts[n % 4]} {n}", f"https://example.id/b/{n}/"])


def test_an_import_in_workers_sets_aside_as_the_importing_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectors.importer import import_path

    source = tmp_path / "mentions.csv"
    rows = parallel.PARALLEL_MIN + 600  # the rows after the first 5,000 go to the workers
    _write_csv(source, rows)
    pools = []
    original = parallel.ProcessPoolExecutor

    def pool(*args, **kwargs):
        pools.append(kwargs["initargs"][-1])
        return original(*args, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", pool)
    flags = []
    for workers in ("0", "2"):
        monkeypatch.setenv(parallel.ENV_WORKERS, workers)
        db = store.open_db(tmp_path / f"w{workers}.db")
        set_not_risk_phrases(db, ["webinar ~ investasi bodong", "film ~ penipuan"])
        assert import_path(db, source)["added"] == rows
        flags.append(
            db.execute(
                "SELECT url, risk, risk_category, risk_categories, lexicon_version FROM mentions "
                "ORDER BY url"
            ).fetchall()
        )
        db.close()
    alone, shared = flags
    assert pools == [["webinar ~ investasi bodong", "film ~ penipuan"]]
    assert shared == alone
    assert sum(row[1] for row in alone) == rows // 4  # only "dana raib" / "investasi bodong"


# --- the Settings page --------------------------------------------------------------------------

pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def seeded(db_path: Path) -> Path:
    from citra.store.organisations import set_profile

    db = store.open_db(db_path)
    set_profile(db, name="Koperasi Tunas Harapan", keywords=["Tunas Harapan"])
    add_mentions(db, TEXTS)
    pipeline.rescore(db)
    for seq in (3, 4):
        set_risk_correction(db, seq, None)
    db.close()
    return db_path


def _saved(path: Path) -> list[str]:
    db = store.open_readonly(path)
    try:
        return not_risk_phrases(db)
    finally:
        db.close()


def test_settings_adds_and_removes_a_not_a_risk_phrase(seeded: Path) -> None:
    from tests.test_dashboard_sentiment_ui import open_page

    assert stored_risk(seeded, 1)[0] == 1
    at = open_page("settings")
    at.text_input(key="s_not_risk").input("webinar ~ investasi bodong")
    next(b for b in at.button if b.label == "Add not-a-risk phrase").click().run()
    assert not at.exception
    assert _saved(seeded) == ["webinar ~ investasi bodong"]
    at.button(key="s_rescore").click().run()
    assert not at.exception
    assert stored_risk(seeded, 1) == (0, None, None)
    assert stored_risk(seeded, 5)[0] == 1
    # The mention's "why" on the Mentions page names the phrase.
    mentions = open_page("mentions", mention=1)
    rules = list(mentions.dataframe[-1].value["rule"])
    assert (
        "risk (set aside, not flagged): fraud · set aside by your not-a-risk phrase "
        "'webinar ~ investasi bodong'" in rules
    )

    at.button(key="remove_not_risk_0").click().run()
    assert not at.exception
    assert _saved(seeded) == []


def test_settings_adds_a_suggestion_with_one_click(seeded: Path) -> None:
    from tests.test_dashboard_sentiment_ui import open_page

    at = open_page("settings")
    assert any("Suggested by your not-a-risk corrections" in m.value for m in at.markdown)
    assert any("film ~ penipuan" in m.value.replace("\\", "") for m in at.markdown)
    at.button(key="add_not_risk_suggestion_0").click().run()
    assert not at.exception
    assert _saved(seeded) == ["film ~ penipuan"]
    # Covered now: the suggestion is gone.
    assert not any("Suggested by your not-a-risk corrections" in m.value for m in at.markdown)


def test_settings_refuses_a_bad_not_a_risk_phrase_plainly(seeded: Path) -> None:
    from tests.test_dashboard_sentiment_ui import open_page

    at = open_page("settings")
    at.text_input(key="s_not_risk").input("~ bodong")
    next(b for b in at.button if b.label == "Add not-a-risk phrase").click().run()
    assert not at.exception
    assert any("cannot be read" in e.value for e in at.error)
    assert _saved(seeded) == []
