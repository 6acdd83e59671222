"""The fast path's shortcuts against the reference, case by case (issue 13, analyzer speed).

``tests/test_sentiment_parity.py`` holds the fast path to ``ReferenceAnalyzer`` on whole data
sets; here each shortcut meets the texts made to break it:

* the clean-text test per piece (``_DIRTY``): a "no" meaning "nomor" or not, a loose "nya",
  tags, entities, URLs, emoji modifiers, and texts longer than ``MAX_CHARS``;
* pieces whose tokens start with a clause end (``_LEADS``), also after a coop name is cut;
* the same piece, cached once, in different company (a negation, "tapi", irony, a risk match,
  a coop name before it), and the caches emptied or full (the Python module, its cache limit
  made tiny).

Each runs both the compiled module (when built) and the Python module it is built from.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from types import ModuleType
from typing import Any

import pytest

from citra.sentiment import SentimentAnalyzer, compiled
from citra.sentiment.analyzer import MAX_CHARS, clean_text
from citra.sentiment.boilerplate import strip_boilerplate
from citra.sentiment.reference import ReferenceAnalyzer

TOLERANCE = 1e-9

CLEANING = [
    "no. rekening 1234 belum cair",
    "No 12 tidak bisa dicairkan",
    "NO.12/2024 gagal bayar",
    "nO. 5 bagus",
    "no hp 0812 tidak aktif",
    "(no. 7) bagus",
    "no, bagus",
    "no good",
    "kasino jelek",
    "nomor. 5",
    "piano. 5 jelek",
    "ekonomi no",
    "no",
    "harga nya mahal",
    "sayang nya jelek",
    "nyaman sekali",
    "bagus nya.",
    "pelayanan nya ramah NYA",
    "<b>bagus</b> sekali",
    "a&b jelek",
    "&amp; ramah",
    "lihat https://contoh.id/x jelek",
    "www.koperasi.id bagus",
    "bagus 👍🏽 sekali",
    "❤️ ramah",
    "ok\u200dok jelek",
    "👍 bagus 😡",
    "jelek " * (MAX_CHARS // 6 + 5),
    "bagus " * (MAX_CHARS // 6 - 2) + "no. 5 tidak cair",
]

LEADS = [
    ".bagus",
    "bagus .jelek",
    ", tidak ramah",
    "tidak .ramah",
    "tidak ,bagus tapi .jelek",
    "dana !tidak bisa dicairkan",
    "...bagus",
    "KSP Maju .jelek gagal bayar",
    "Koperasi Sejahtera ,tidak bisa dicairkan",
    "KSP Tunas Makmur. gagal bayar .isu",
    "..gagal bayar",
    "!",
    ". . .",
]

# One piece ("bagus", "ramah", "gagal", ...) in many settings: each text scores on its own.
CONTEXTS = [
    "{w}",
    "tidak {w}",
    "tidak sangat {w}",
    "bukan {w} tapi jelek",
    "jelek tapi {w}",
    "{w} tapi {w}",
    "{w} banget",
    "sangat {w}",
    "agak {w}",
    "{w}...",
    "wah {w}... 👍",
    "{w}, tapi dana tidak bisa dicairkan",
    "dana tidak bisa dicairkan, {w}",
    "isu gagal bayar {w}",
    "membantah isu gagal bayar {w}",
    "KSP Maju {w}",
    "Koperasi Simpan Pinjam (KSP) Harapan Baru {w}",
    "{W} sekali",
    "not {w}",
    "never so {w}",
    "kemiskinan di desa menurun {w}",
    "tidak ada yang {w}",
    "jangan {w}",
]
# The FastPath attributes that are caches (emptied whole when full).
CACHES = ("_pieces", "_piece_entries", "_items", "_plain", "_caps", "_name_cuts", "_codes")
RISK_CACHES = ("_masks", "_candidates", "_relevant", "_viable", "_possible")
WORDS = ["bagus", "ramah", "jelek", "gagal", "cair", "lambat", "puas", "good", "👍", "mantul"]


def _python_module(limit: int | None = None) -> ModuleType:
    """``fast.py`` loaded as Python under a name of its own (its cache limit set to ``limit``)."""
    name = f"citra.sentiment._fast_paths_{limit}"
    spec = importlib.util.spec_from_file_location(name, compiled.SOURCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    if limit is not None:
        module.CACHE_LIMIT = limit  # read when an entry is stored (a Python module global)
    return module


@pytest.fixture(scope="module")
def reference() -> ReferenceAnalyzer:
    return ReferenceAnalyzer()


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


def _assert_same(fast: Any, reference: ReferenceAnalyzer, texts: list[Any]) -> None:
    """``fast``: a ``FastPath`` (compiled or Python) bound to an analyzer."""
    for text in texts:
        prepared = reference.prepare(text)
        words, risk_terms, _, _, _ = fast.words(text)
        assert words == prepared.words, text
        assert risk_terms == prepared.risk_terms, text
        got, hits, _ = fast.scores(text)
        want = reference.polarity_scores(text)
        for value, key in zip(got, ("neg", "neu", "pos", "compound"), strict=True):
            assert abs(value - want[key]) <= TOLERANCE, (text, key, got, want)
        assert hits == prepared.risk_hits, text
        assert fast._prepared(text)[3] == strip_boilerplate(clean_text(text)), text
    assert fast.values(texts) == reference.score_values(texts)


def _fast_paths(analyzer: SentimentAnalyzer) -> list[Any]:
    """The analyzer's own fast path (compiled when built) and the Python module's."""
    return [analyzer._fast, _python_module().FastPath(analyzer)]


def _contexts() -> list[str]:
    return [c.format(w=w, W=w.upper()) for c in CONTEXTS for w in WORDS]


def test_clean_text_marks_per_piece(analyzer, reference) -> None:
    for fast in _fast_paths(analyzer):
        _assert_same(fast, reference, CLEANING)


def test_pieces_that_start_with_a_clause_end(analyzer, reference) -> None:
    for fast in _fast_paths(analyzer):
        _assert_same(fast, reference, LEADS)


def test_a_cached_piece_in_every_context(analyzer, reference) -> None:
    texts = _contexts()
    for fast in _fast_paths(analyzer):
        # Twice: the second time every piece comes from the caches.
        _assert_same(fast, reference, texts)
        _assert_same(fast, reference, texts[::-1])


def test_caches_emptied_and_full(analyzer, reference) -> None:
    rng = random.Random(5)
    pool = _contexts() + CLEANING[:-2] + LEADS
    texts = [" ".join(rng.choices(pool, k=rng.randint(1, 4))) for _ in range(300)]
    # A cache limit of a few entries: every cache is emptied again and again mid-run.
    tiny = _python_module(limit=3).FastPath(analyzer)
    _assert_same(tiny, reference, texts)
    for fast in _fast_paths(analyzer):
        _assert_same(fast, reference, texts)
        for name in CACHES:
            getattr(fast, name).clear()
        for name in RISK_CACHES:
            getattr(fast._risk, name).clear()
        _assert_same(fast, reference, texts[::-1])


RISK_AND_DIRECTIONS = [
    # A subject the direction rule takes away and a risk match's words changed in one text: the
    # fast path once knew units again by id(), and a freed unit's id could come back.
    "jelek... lambat... membantah isu gagal bayar ramah kemiskinan di desa menurun mantul",
    "membantah isu gagal bayar, kemiskinan di desa menurun",
    "kemiskinan di desa menurun tapi dana tidak bisa dicairkan",
    "isu gagal bayar laba koperasi turun",
    "laba koperasi turun, menuntaskan gagal bayar",
    "waspadai investasi bodong kemiskinan tidak juga menurun",
]


def test_a_risk_match_and_a_news_direction_in_one_text(analyzer, reference) -> None:
    for fast in _fast_paths(analyzer):
        _assert_same(fast, reference, RISK_AND_DIRECTIONS)


WORD_CODES = [
    # What _word_code says of a prepared word: read by VADER's rules, capitals, outside ASCII.
    "ℂ bagus",
    "BAGUS ℂ",
    "Ünal jelek",
    "ÜNAL BAGUS sekali",
    "don't like",
    "DON'T LIKE it",
    "it isn't good",
    "n 't good",
    "good n't",
    "ΑΣ bagus",
    "bagus · jelek",
    "bagus BAGUS bagus",
    "Bagus JELEK tapi RAMAH 👍",
]


def test_word_codes(analyzer, reference) -> None:
    for fast in _fast_paths(analyzer):
        _assert_same(fast, reference, WORD_CODES)
        _assert_same(fast, reference, [t.upper() for t in WORD_CODES])


def test_normalize_is_vaders() -> None:
    from vaderSentiment.vaderSentiment import normalize as vader_normalize

    from citra.sentiment import fast

    for score in [0.0, 1e-9, -0.5, 1.0, 2.3, -4.75, 15.0, -100.0, 1e6, 3.8999999]:
        assert fast.normalize(score) == vader_normalize(score), score


def test_risk_fields_with_a_coops_own_categories() -> None:
    # score_values' risk fields (inline in FastPath.values): the first flagged category of the
    # best rank, a coop's own categories ranked after the shipped ones, each listed once.
    phrases = [("kas ~ kosong", "cashflow"), ("rapat ~ ricuh", "meeting"), ("kas ~ bocor", "fraud")]
    fast = SentimentAnalyzer(risk_phrases=phrases)
    reference = ReferenceAnalyzer(risk_phrases=phrases)
    texts = [
        "kas koperasi kosong",
        "rapat anggota ricuh, kas kosong",
        "kas kosong dan gagal bayar",
        "rapat ricuh lalu kas bocor, gagal bayar lagi, kas kosong",
        "membantah kas kosong",
        "isu kas kosong",
        "kas kosong sudah diselesaikan",
    ]
    assert fast.score_values(texts) == reference.score_values(texts)
    _assert_same(fast._fast, reference, texts)


def test_not_a_risk_phrases_set_aside_the_same_hits() -> None:
    # The set-aside step (risk.NotRiskPhrases) after RiskMatcher's search, compiled and Python:
    # the same hits, statuses and phrases as Taxonomy.find, with a coop's own risk phrase too.
    risk_phrases = [("kas ~ kosong", "cashflow")]
    not_risk = ["webinar ~ investasi bodong", "film|sinetron ~ penipuan", "simulasi ~ kas ~ kosong"]
    fast = SentimentAnalyzer(risk_phrases=risk_phrases, not_risk_phrases=not_risk)
    reference = ReferenceAnalyzer(risk_phrases=risk_phrases, not_risk_phrases=not_risk)
    texts = [
        "webinar investasi bodong",
        "webinar kemarin ternyata investasi bodong, dana raib",
        "webinar kemarin ternyata investasi bodong dan dana nasabah raib",
        "webinar. investasi bodong",
        "investasi bodong webinar",
        "film penipuan, koperasi penipuan",
        "Sinetron PENIPUAN!! gagal bayar",
        "simulasi kas koperasi kosong",
        "kas koperasi kosong, simulasi",
        "isu film penipuan dibantah",
        "waspadai webinar investasi bodong",
        "webinar investasi bodong sudah diselesaikan",
    ]
    for path in _fast_paths(fast):
        _assert_same(path, reference, texts)
    assert sum(h.status == "set aside" for t in texts for h in reference.prepare(t).risk_hits) >= 8


PHRASES = [
    # Phrases found piece by piece (PieceEntry.phrase_at, .tail): across a space, across empty
    # pieces (spaces in a row), inside one piece, broken by a clause end, one after another.
    "gagal bayar",
    "gagal  bayar lagi",
    "gagal   bayar",
    " gagal bayar ",
    "gagal,bayar",
    "gagal. bayar",
    "gagal bayar gagal bayar",
    "tidak ada yang bagus",
    "tidak  ada  yang  bagus",
    "tidak ada",
    "bunganya tinggi",
    "bunga  tinggi sekali",
    "kemiskinan  menurun",
    "sangat lambat sekali",
    "jauh dari bagus",
    "jauh  dari",
    "tidak terlalu  bagus tapi  hanya saja jelek",
    "tidak pernah cair",
    "hanya  saja",
]


def test_phrases_found_piece_by_piece(analyzer, reference) -> None:
    for fast in _fast_paths(analyzer):
        _assert_same(fast, reference, PHRASES)
        _assert_same(fast, reference, [t.upper() for t in PHRASES])


CLAUSES = [
    # The risk search runs clause by clause (RiskMatcher.find): a pattern's words split by a
    # clause end, the same category in two clauses, a match in the last clause only.
    "dana tidak bisa diambil",
    "dana, tidak bisa diambil",
    "dana tidak. bisa diambil",
    "simpanan belum dikembalikan",
    "simpanan. belum dikembalikan",
    "gagal bayar. gagal bayar!",
    "gagal bayar, lalu gagal bayar lagi, isu gagal bayar",
    "bagus. ramah. tidak bisa dicairkan",
    "tidak bisa dicairkan. bagus. ramah",
    "susah dicairkan",
    "susah, dicairkan",
    "pencairan ditunda",
    "pencairan koperasi kami ditunda",
    "pencairan, ditunda",
]


def test_the_risk_search_clause_by_clause(analyzer, reference) -> None:
    from citra.sentiment.fast import RiskMatcher

    matcher = RiskMatcher(reference.taxonomy)
    for text in CLAUSES:
        prepared = reference.prepare(text)
        tokens = [t for t in analyzer._fast._tokens(_items(analyzer, text), 1)[0]]
        assert matcher.find(tokens) == reference.taxonomy.find(tokens), text
        assert matcher.find(tokens) == prepared.risk_hits, text
    for fast in _fast_paths(analyzer):
        _assert_same(fast, reference, CLAUSES)


def _items(analyzer: SentimentAnalyzer, text: str) -> list[Any]:
    items: list[Any] = []
    for piece in analyzer._fast._prepared(text)[2]:
        items += analyzer._fast._piece_entries[piece].items
    return items
