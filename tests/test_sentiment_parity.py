"""The fast scoring path gives exactly the scores of the straightforward one.

* ``SentimentAnalyzer`` (fast path) against ``ReferenceAnalyzer`` (``prepare`` + vaderSentiment's
  own rule methods): same words, scores, risk terms and risk categories, on the whole
  development data (read from /work/shared/data/sentiment-dev, skipped when absent), the demo
  mentions, and generated text that piles up every rule word, risk phrases, news boilerplate
  and custom words after a negator. (A text with a risk match is scored by the fast path
  through ``prepare`` itself; boilerplate and custom words a negator cannot flip are ported.)
* The rule engine (``citra.sentiment.fast.score_tokens``) on VADER's own tokens against plain
  vaderSentiment, on English sentences that exercise every VADER rule. It runs on VADER's own
  tokenisation, not on Citra's preparation, so risk matches, fixed custom words and boilerplate
  (which legitimately make Citra differ from plain VADER) never reach it: no text is excluded.

Whatever changes in the lexicon files or ``rules.py``, these must hold.
"""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from citra import demo, store
from citra.queries.sentiment import mention_text
from citra.sentiment import SentimentAnalyzer, rules
from citra.sentiment.fast import FastVader
from citra.sentiment.reference import ReferenceAnalyzer

DEV_DATA = Path("/work/shared/data/sentiment-dev")
TOLERANCE = 1e-9


def _assert_same(fast: SentimentAnalyzer, reference: ReferenceAnalyzer, texts: list) -> None:
    got = fast.score_many(texts)
    want = reference.score_many(texts)
    for text, g, w in zip(texts, got, want, strict=True):
        assert fast._fast.words(text)[0] == reference.prepare(text).words, text
        assert g.label == w.label, text
        assert g.risk_terms == w.risk_terms, text
        assert g.risk == w.risk, text
        assert g.risk_categories == w.risk_categories, text
        assert g.risk_category == w.risk_category, text
        for key in ("compound", "neg", "neu", "pos"):
            assert abs(g[key] - w[key]) <= TOLERANCE, (text, key, g, w)
        assert fast.polarity_scores(text) == reference.polarity_scores(text), text
    assert fast.score_values(texts) == reference.score_values(texts)


@pytest.fixture(scope="module")
def analyzers() -> tuple[SentimentAnalyzer, ReferenceAnalyzer]:
    return SentimentAnalyzer(), ReferenceAnalyzer()


def _dev_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(DEV_DATA.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts.extend(row["text"] for row in csv.DictReader(handle))
    return texts


@pytest.mark.skipif(not DEV_DATA.is_dir(), reason="development data not on this machine")
def test_same_scores_on_the_development_data(analyzers) -> None:
    texts = _dev_texts()
    assert len(texts) > 1000
    _assert_same(*analyzers, texts)
    # Upper-cased, the same texts put VADER's capitals rules to work.
    _assert_same(*analyzers, [t.upper() for t in texts[:300]])


def test_same_scores_on_the_demo_mentions() -> None:
    db = store.open_db(":memory:")
    demo.build_demo(db, scale=0.25, today=date(2026, 11, 1))
    texts = [
        mention_text(title, text)
        for title, text in db.execute("SELECT title, text FROM mentions").fetchall()
    ]
    assert len(texts) > 1000
    # The installation's analyzer: organisation names as neutral phrases, custom words.
    fast = SentimentAnalyzer(db, custom_words=[("sangat lambat sekali", -3.0), ("cair", 1.5)])
    reference = ReferenceAnalyzer(db, custom_words=[("sangat lambat sekali", -3.0), ("cair", 1.5)])
    _assert_same(fast, reference, texts)


# Words that set off the rules, Indonesian and English, with lexicon words between them.
_PIECES = [
    *sorted(rules.RULE_WORDS - {"jauh_dari", "tidak_terlalu", "tidak_ada_yang", "tidak_pernah"}),
    *("jauh dari", "tidak terlalu", "tidak ada yang", "tidak pernah", "hanya saja"),
    *("bagus", "BAGUS", "jelek", "PARAH", "ramah", "kecewa", "mantul", "lelet", "senang"),
    *("gagal bayar", "dana anggota tidak kembali", "koperasi bodong", "pkpu", "SHU"),
    *("pelayanannya", "mengecewakan", "bagus-bagus", "bagus2", "bagusss", "yg", "gk", "bgt"),
    *("not", "very", "but", "no", "never", "so", "this", "least", "at least", "kind of"),
    *("good", "GREAT", "bad", "the bomb", "without doubt", "don't", "n't", "nor"),
    *("😍", "😡", "👍", ":)", ":(", ":D", "🙏🏽", "❤️"),
    *(".", ",", "!", "?", "!!!", "??", ". Tapi", "\n", "-"),
    # risk matches (asserted, hedged, denied, advice, resolved) and news boilerplate
    *("tidak bisa dicairkan", "isu", "membantah", "waspadai", "menuntaskan", "tertunda"),
    *("restrukturisasi", "izin dicabut", "diduga menggelapkan", "investasi bodong"),
    *("Baca juga:", "ADVERTISEMENT", "Simak berita terkini", "pilihan", "terkini"),
    # custom words (see test_same_scores_with_custom_words)
    *("diangkat-angkat", "lambat sekali", "cair"),
]


def _soup(rng: random.Random) -> str:
    parts = rng.choices(_PIECES, k=rng.randint(1, 25))
    return "".join(p + rng.choice(("", " ", " ", " ", "  ")) for p in parts)


def test_same_scores_on_generated_rule_soup(analyzers) -> None:
    rng = random.Random(2026)
    _assert_same(*analyzers, [_soup(rng) for _ in range(3000)])


def test_same_scores_with_custom_words() -> None:
    # Custom words a negator cannot flip ("gak diangkat-angkat"), single and phrases.
    custom = [("diangkat-angkat", -2.0), ("lambat sekali", -3.0), ("cair", 1.5)]
    fast = SentimentAnalyzer(custom_words=custom)
    reference = ReferenceAnalyzer(custom_words=custom)
    rng = random.Random(13)
    fixed = [
        "telepon gak diangkat-angkat",
        "tidak lambat sekali",
        "belum cair juga",
        "bukan tidak cair",
        "tidak sangat cair",
        "TIDAK CAIR!!",
    ]
    _assert_same(fast, reference, fixed + [_soup(rng) for _ in range(2000)])


# Not-a-risk phrases over the soup's risk pieces (a macro of the data file among them).
NOT_RISK = [
    "koperasi bodong",
    "isu ~ gagal bayar",
    "pkpu ~ bagus|senang",
    "investasi bodong ~ kecewa|jelek",
    "@money ~ tidak kembali",
]


def test_same_scores_with_not_a_risk_phrases() -> None:
    fast = SentimentAnalyzer(not_risk_phrases=NOT_RISK)
    reference = ReferenceAnalyzer(not_risk_phrases=NOT_RISK)
    rng = random.Random(29)
    texts = [_soup(rng) for _ in range(2000)]
    _assert_same(fast, reference, texts)
    set_aside = [t for t in texts if any(h.set_aside_by for h in reference.prepare(t).risk_hits)]
    assert len(set_aside) > 100


@pytest.mark.parametrize("text", [None, "", " ", "   ", "!!!", ". . .", 42, "<b>bagus</b>"])
def test_same_scores_on_odd_input(analyzers, text) -> None:
    _assert_same(*analyzers, [text])


# --- the rule engine against plain vaderSentiment ----------------------------------------------

ENGLISH = [
    # lexicon, punctuation emphasis
    "The service is good.",
    "The service is good!!!",
    "The service is good!!!!!!",
    "Is the service good??",
    "Is the service good????",
    "Is it good?",
    # boosters and dampeners, near and far, in capitals
    "The staff are very helpful.",
    "The staff are VERY helpful and the app is slow.",
    "The staff are extremely, really helpful.",
    "The app is somewhat slow.",
    "The app is kind of slow.",
    "The app is sort of nice but kind of buggy.",
    "It is kind nice.",
    "The office is very very very good.",
    "the app is GOOD but the queue is bad",
    "THE APP IS GOOD",
    # negation: one, two and three words before
    "The loan was not good.",
    "The loan was not very good.",
    "The loan was not at all good.",
    "It isn't good.",
    "It wasn't really that great.",
    "Nothing was helpful.",
    "I never felt so happy.",
    "I have never seen this good a service.",
    "never so good",
    "without doubt the best coop",
    "without any doubt good",
    "Not bad at all.",
    "I do not love it",
    "This is so good",
    "good, this good",
    # "no"
    "no good",
    "no problem",
    "there is no love here",
    "no, good",
    "no or bad",
    "no one nor good",
    "no",
    # least
    "the least helpful office",
    "at least it is good",
    "very least good",
    "least good",
    # but
    "The staff are friendly but the queue is terrible.",
    "Good good but bad bad.",
    "good but good but bad",
    "great, great, great but awful",
    "BUT good",
    # idioms and special cases
    "That meal was the bomb.",
    "the shit",
    "a bad ass coop",
    "this coop is to die for",
    "yeah right, great service",
    "it was the kiss of death for savings",
    "just enough good",
    "beating heart",
    "bus stop nice",
    # emoji, emoticons, contractions
    "I love it 😍",
    "Not happy 😡😡",
    "great :)",
    "bad :( :-(",
    "can't complain",
    "don't like",
    "",
    "   ",
    "?!",
]


def _english_soup(rng: random.Random) -> str:
    vocab = [
        *[
            "not",
            "no",
            "never",
            "so",
            "this",
            "least",
            "at",
            "very",
            "but",
            "kind",
            "of",
            "sort",
            "without",
            "doubt",
            "nor",
            "or",
            "the",
        ],
        *[
            "good",
            "GOOD",
            "bad",
            "BAD",
            "great",
            "love",
            "hate",
            "happy",
            "sad",
            "helpful",
            "slow",
            "fine",
            "nice",
            "bomb",
            "shit",
        ],
        *[
            "really",
            "extremely",
            "somewhat",
            "barely",
            "REALLY",
            "isn't",
            "don't",
            "can't",
            "nothing",
        ],
        *("!", "?", "!!", ".", ",", "😍", ":)", ":("),
    ]
    return " ".join(rng.choices(vocab, k=rng.randint(1, 14)))


@pytest.fixture(scope="module")
def vader_pair() -> tuple[SentimentIntensityAnalyzer, FastVader]:
    plain = SentimentIntensityAnalyzer()
    return plain, FastVader(plain.lexicon, plain.emojis)


@pytest.mark.parametrize("text", ENGLISH)
def test_rule_engine_is_vader_on_english(vader_pair, text: str) -> None:
    plain, fast = vader_pair
    assert fast.polarity_scores(text) == plain.polarity_scores(text)


def test_rule_engine_is_vader_on_generated_english(vader_pair) -> None:
    plain, fast = vader_pair
    rng = random.Random(5)
    for _ in range(4000):
        text = _english_soup(rng)
        assert fast.polarity_scores(text) == plain.polarity_scores(text), text


@pytest.mark.skipif(not DEV_DATA.is_dir(), reason="development data not on this machine")
def test_rule_engine_is_vader_on_the_english_development_data(vader_pair) -> None:
    plain, fast = vader_pair
    for text in _dev_texts():
        assert fast.polarity_scores(text) == plain.polarity_scores(text), text


def test_compiled_risk_matcher_finds_what_the_taxonomy_finds(analyzers) -> None:
    # The fast path's RiskMatcher against Taxonomy.find, hit for hit (category, phrase, status,
    # place), on the tokens prepare gives the matcher; also with an installation's own phrase.
    from citra.sentiment.fast import RiskMatcher
    from citra.sentiment.risk import Taxonomy

    fast, reference = analyzers
    rng = random.Random(7)
    texts = [_soup(rng) for _ in range(2000)]
    if DEV_DATA.is_dir():
        texts += _dev_texts()
    shipped = RiskMatcher(reference.taxonomy)
    taxonomy = Taxonomy.shipped().with_phrases([("kas ~ kosong", "insolvency")])
    custom = RiskMatcher(taxonomy)
    # ... and with not-a-risk phrases (the set-aside step after the search).
    excused = taxonomy.with_not_risk([*NOT_RISK, "rapat ~ kas ~ kosong"])
    excusing = RiskMatcher(excused)
    found = set_aside = 0
    for text in texts + ["kas koperasi kosong", "kas, kosong", "rapat: kas kosong"]:
        tokens = _risk_tokens(fast, text)
        hits = reference.prepare(text).risk_hits
        assert shipped.find(tokens) == hits, text
        assert custom.find(tokens) == taxonomy.find(tokens), text
        assert excusing.find(tokens) == excused.find(tokens), text
        found += bool(hits)
        set_aside += any(h.set_aside_by for h in excused.find(tokens))
    assert found > 100
    assert set_aside > 100


def _risk_tokens(fast: SentimentAnalyzer, text: str) -> list[str]:
    """The tokens ``prepare`` hands the risk matcher, from the fast path's cached pieces."""
    tokens: list[str] = []
    for piece in fast._fast._prepared(text)[2]:
        for item in fast._fast._pieces[piece]:
            if item[0] == "\x00lead":
                if tokens and tokens[-1] != rules.BARRIER:
                    tokens.append(rules.BARRIER)
            else:
                tokens.append(item[0])
    return tokens


_NAME_SOUP = [
    *("KSP", "KSPPS", "KSU", "KUD", "BMT", "Kopdit", "Kopwan", "kopwan", "CU", "Credit Union"),
    *("Koperasi", "koperasi", "Koperasi Simpan Pinjam", "Koperasi Wanita", "(KSP)", "(KSU)"),
    *("Sejahtera", "Tunas", "Makmur", "Amanah,", "Jaya.", "Maju!", "O'Neil", "Sumber-Rejeki"),
    *("gagal", "bayar", "bagus", "BAGUS", "dan", "ini", ",", ".", "!", "(", ")", "KSPx", "xKSP"),
    *("Amanah,KSP", "Maju.CU", "Jaya,Koperasi", "ÉCU", "Ökop", "9KSP", "KSP_Maju", "dana", "_"),
]


def test_coop_names_are_cut_as_strip_names_cuts_them(analyzers) -> None:
    # The fast path cuts coop names piece by piece (FastPath._cut_names): the text it scores
    # must be the one boilerplate.strip_names gives, on piles of legal forms and capitals.
    from citra.sentiment.analyzer import clean_text
    from citra.sentiment.boilerplate import strip_boilerplate

    fast, _ = analyzers
    rng = random.Random(11)
    texts = [
        "".join(p + rng.choice((" ", " ", " ", "", "  ")) for p in rng.choices(_NAME_SOUP, k=18))
        for _ in range(4000)
    ]
    for text in texts:
        assert fast._fast._prepared(text)[3] == strip_boilerplate(clean_text(text)), text
