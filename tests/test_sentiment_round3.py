"""Sentiment quality, round 3 (issue 12): informal Indonesian reviews (the SmSA kind), news
direction phrases with words between, and praise that trails off in an ellipsis.

* review vocabulary: taste, price, place and service ("lumayan enak", "pas di lidah", "bikin
  betah", "menguras kantong", "terlalu lama"), regional taste words ("ngeunah", "anyep"),
  idioms ("mikir dua kali", "bermuka dua"), name-calling ("cebong");
* words that are ambiguous or another word: "sayang sekali" turns to the complaint as "sayangnya"
  does, "jujur saja" only opens an opinion, "ikan asin" is a dish, "laba-laba" a spider, "hidangan
  penutup" dessert, "hang out" no phone that hangs, "sudah lama sekali" a span of time;
* "benar benar" written with a space is the intensifier "benar-benar";
* "tidak ada" (there is no) negates the first sentiment word of the noun phrase after it, beyond
  VADER's three-word window ("tidak ada racikan kopi yang spesial");
* a news direction phrase matched with words between its subject and its direction ("kemiskinan
  di desa menurun"), in Indonesian and English, negated when a negator stands between;
* a short praise trailing off in an ellipsis, nothing after it but emoji ("wah hebat... 👍"), is
  irony: it counts for nothing (neutral), the explanation says "irony".

The texts are written for these tests; none is taken from a public set or from the held-out
samples (tests/fixtures/sentiment/*_heldout.csv).
"""

from __future__ import annotations

import pytest

from citra.sentiment import SentimentAnalyzer
from citra.sentiment.display import rule_names
from tests.test_sentiment_informal import assert_fast_matches_reference, assert_label_and_why


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


# (text, expected label, word the explanation must name, its rule)
REVIEWS = [
    ("bebeknya lumayan enak", "positive", "lumayan enak", "lexicon"),
    ("sambalnya pas di lidah", "positive", "pas di lidah", "lexicon"),
    ("tempatnya bikin betah", "positive", "betah", "lexicon"),
    ("harganya sepadan dengan porsinya", "positive", "sepadan", "lexicon"),
    ("suasananya bisa menghilangkan penat", "positive", "menghilangkan penat", "lexicon"),
    ("menunya jadi nilai plus", "positive", "nilai plus", "lexicon"),
    ("baksonya ngeunah pisan", "positive", "ngeunah", "intensified"),
    ("kuahnya anyep", "negative", "anyep", "lexicon"),
    ("wc nya pesing", "negative", "pesing", "lexicon"),
    ("kamarnya apek", "negative", "apek", "lexicon"),
    ("pesanan datang terlalu lama", "negative", "terlalu lama", "lexicon"),
    ("lama sekali nunggunya", "negative", "lama sekali", "lexicon"),
    ("kuahnya terlalu asin", "negative", "terlalu asin", "lexicon"),
    (
        "harga sepadan tapi porsinya menguras kantong",
        "negative",
        "menguras kantong",
        "contrast (stressed)",
    ),
    ("mahal banget, jadi mikir dua kali", "negative", "mikir dua kali", "lexicon"),
    ("awas, orangnya bermuka dua", "negative", "bermuka dua", "lexicon"),
    ("dasar cebong", "negative", "cebong", "lexicon"),
    # "benar benar" with a space intensifies, as "benar-benar" does
    ("benar benar nyaman tempatnya", "positive", "nyaman", "intensified"),
    # "sayang sekali" is the contrast: the praise before it is weakened, not a complaint added
    (
        "rasanya enak banget, pelayanannya oke, sayang sekali tempatnya agak kecil",
        "positive",
        "oke",
        "contrast (weakened)",
    ),
    ("makanannya enak, sayang sekali pelayannya judes", "negative", "judes", "contrast (stressed)"),
    # "jujur saja" (to be honest) opens the opinion; only the opinion counts
    ("jujur saja, saya kecewa sama pelayanannya", "negative", "kecewa", "lexicon"),
    ("tempat hang out yang asik", "positive", "asik", "lexicon"),
]


# (text, expected label, word the explanation must name, its rule): "tidak ada" (there is no)
# negates the first sentiment word of its noun phrase, however far
EXISTENTIAL = [
    ("tidak ada racikan kopi spesial yang ditawarkan", "negative", "spesial", "negated"),
    ("tidak ada atraksi atau pemandangan yang menarik", "negative", "menarik", "negated"),
    ("gaada menu yang enak", "negative", "enak", "negated"),
    ("tak ada pihak yang berdaya", "negative", "berdaya", "negated"),
    ("tidak ada pelayan yang sangat ramah", "negative", "ramah", "negated+intensified"),
    # a plain "tidak" still reaches only VADER's three words ("tidak bisa ... diblokir")
    ("tidak bisa telepon dan sms karena diblokir", "negative", "diblokir", "lexicon"),
    # a word that negates its feeling is still negated: "tidak ada rasa kecewa"
    ("tidak ada rasa kecewa sama sekali", "positive", "kecewa", "negated"),
]


@pytest.mark.parametrize(("text", "label", "word", "rule"), REVIEWS + EXISTENTIAL)
def test_review_words_and_existential_negation(analyzer, text, label, word, rule):
    assert_label_and_why(analyzer, text, label, word, rule)


# (text, word that must not carry weight): descriptions with no opinion stay neutral
DESCRIPTIONS = [
    ("ikan asin goreng dan sambal terasi", "ikan asin"),
    ("hidangan penutupnya es campur", "penutupnya"),
    ("ada sarang laba-laba di pojok ruangan", "laba-laba"),
    ("pendukung kedua calon berkumpul di lapangan", "pendukung"),
    ("mohon dicairkan secepatnya", "secepatnya"),
    ("daging tenderloin dan kentang", "tenderloin"),
    ("sudah lama sekali jadi anggota koperasi", "sudah lama sekali"),
    ("sejujurnya baru sekali ke sini", "sejujurnya"),
]


@pytest.mark.parametrize(("text", "word"), DESCRIPTIONS)
def test_descriptions_stay_neutral(analyzer, text, word):
    assert analyzer.score(text).label == "neutral"
    assert word not in {r["word"] for r in analyzer.explain(text)}


# (text, language, expected label, the phrase as the explanation shows it, its rule)
DIRECTIONS = [
    ("kemiskinan di desa menurun", "id", "positive", "kemiskinan … menurun", "lexicon"),
    (
        "angka pengangguran di jawa barat berkurang",
        "id",
        "positive",
        "pengangguran … berkurang",
        "lexicon",
    ),
    (
        "kredit macet di koperasi kami menurun",
        "id",
        "positive",
        "kredit macet … menurun",
        "lexicon",
    ),
    ("laba koperasi tahun ini merosot", "id", "negative", "laba … merosot", "lexicon"),
    ("kemiskinan di desa tidak juga menurun", "id", "negative", "kemiskinan … menurun", "negated"),
    (
        "Unemployment in the region fell to 4 percent",
        "en",
        "positive",
        "Unemployment … fell",
        "lexicon",
    ),
    ("Net profit of the coop fell 12 percent", "en", "negative", "profit … fell", "lexicon"),
    # the nearest subject counts
    (
        "kemiskinan meningkat tapi pengangguran di kota menurun",
        "id",
        "positive",
        "pengangguran … menurun",
        "contrast (stressed)",
    ),
]


@pytest.mark.parametrize(("text", "lang", "label", "phrase", "rule"), DIRECTIONS)
def test_direction_with_words_between(analyzer, text, lang, label, phrase, rule):
    assert_label_and_why(analyzer, text, label, phrase, rule)
    # the subject's own weight is not counted a second time
    subject = phrase.split(" … ")[0]
    assert subject not in {r["word"] for r in analyzer.explain(text)}


def test_ride_and_get_off_are_no_direction(analyzer):
    # "naik" and "turun" match only next to their subject ("harga naik")
    assert analyzer.score("harga naik lagi").label == "negative"
    text = "harga murah buat naik kuda"
    assert analyzer.score(text).label == "positive"
    assert "harga … naik" not in {r["word"] for r in analyzer.explain(text)}


def test_direction_stops_at_a_clause_end(analyzer):
    reasons = {(r["word"], r["rule"]) for r in analyzer.explain("kemiskinan tinggi. desa menurun")}
    assert ("kemiskinan", "lexicon") in reasons and ("menurun", "lexicon") in reasons


# (text, language, expected label, word the explanation must name, its rule)
IRONY = [
    ("wah hebat... 👍", "id", "neutral", "hebat", "irony"),
    ("wah hebat... 👍", "id", "neutral", "👍", "irony"),
    ("keren banget…", "id", "neutral", "keren", "irony"),
    ("mantap.. 👏👏", "id", "neutral", "mantap", "irony"),
    ("Great... 👍", "en", "neutral", "Great", "irony"),
    # not irony: thanks trailing off, praise with no ellipsis, two clauses, a complaint after
    ("makasih...", "id", "positive", "makasih", "lexicon"),
    ("hebat!!! 👍", "id", "positive", "hebat", "lexicon"),
    ("keren, pelayanan ramah...", "id", "positive", "keren", "lexicon"),
    ("hebat... pengurusnya kabur bawa uang", "id", "negative", "hebat", "contrast (weakened)"),
    ("hebat... 😡", "id", "negative", "😡", "contrast (stressed)"),
    ("tidak hebat...", "id", "negative", "hebat", "negated"),
]


@pytest.mark.parametrize(("text", "lang", "label", "word", "rule"), IRONY)
def test_praise_trailing_off(analyzer, text, lang, label, word, rule):
    assert_label_and_why(analyzer, text, label, word, rule)


def test_irony_rule_translated():
    assert rule_names("irony", "id") == "ironi"
    assert rule_names("irony", "en") == "irony"


def _all_texts() -> list[str]:
    texts = [row[0] for row in REVIEWS + EXISTENTIAL + DESCRIPTIONS + DIRECTIONS + IRONY]
    texts += ["kemiskinan tinggi. desa menurun", "gagal bayar, kredit macet di koperasi menurun"]
    # a direction word in a text with a risk match, and pieces of irony with risk or capitals
    texts += ["WAH HEBAT... 👍", "hebat... dana belum cair", "izin dicabut, laba koperasi merosot"]
    # an existential negation with a risk match, a custom-free phrase, an emoji
    texts += ["tidak ada kabar soal dana yang belum cair", "tidak ada pengurus yang mau ramah 😡"]
    return texts


def test_fast_path_matches_reference(analyzer):
    texts = _all_texts()
    assert_fast_matches_reference(analyzer, texts)
