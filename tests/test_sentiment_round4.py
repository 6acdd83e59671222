"""Sentiment quality, round 4 (issue 12): informal Indonesian reviews (the SmSA kind), by general
vocabulary and spelling, not by rows of a public set.

* "terlalu" (too) before a plain attribute is a complaint ("terlalu banyak minyak", "terlalu
  ramai"), as are the ke-...-an forms of excess ("kepanasan", "kekecilan"); "tidak terlalu
  ramai" (not too crowded) is the negator "tidak terlalu" and no complaint;
* everyday review vocabulary (food, delivery, goods, places, transport) and words of scorn;
* informal spellings of review adjectives ("gede", "seger", "pedes", "mateng", "anget");
* emoji written as their CLDR names with the spaces taken out ("thumbsdown",
  "smilingfacewithheart - eyes"), as corpora and exports that "demojise" write them, score as the
  emoji do;
* the counterfactual "harusnya", "seharusnya", "mestinya" (should have been) negates a positive
  word and leaves a negative one its sign, as "jangan" does;
* idioms: "tiada duanya", "tak tertandingi" (unrivalled) are praise, "bukan main enaknya" (no
  joke how tasty) intensifies, "kelewat" (too) and "sangat-sangat" intensify, "ogah balik lagi"
  (won't come back) is a verdict;
* words the stemmer took to a root of another meaning ("penjelasan" is no "jelas", "relawan" no
  "rawan", "penyedap" no "sedap") are neutral; "tidak ada penjelasan" is a complaint;
* "tidak hanya", "bukan cuma", "tak sekadar" (not only), "tidak jarang" (not rarely), "gak heran"
  (no wonder), "tak ayal" and "tidak bisa dipungkiri" (undeniably) negate nothing, nor does the
  "kurang" of "kurang lebih" (about); "tidak ada yang kurang" (nothing is lacking) is praise;
* everyday words that were rated far from what they say on their own: "ayo" is a call, "benar"
  and "percaya" state a fact or an opinion, "kosong" and "tutup" describe; dishes named for their
  heat or their myth ("mie setan", "nasi goreng mafia") are menu items.

The texts are written for these tests; none is taken from a public set or from the held-out
samples (tests/fixtures/sentiment/*_heldout.csv).
"""

from __future__ import annotations

import pytest

from citra.sentiment import SentimentAnalyzer
from tests.test_sentiment_informal import assert_fast_matches_reference, assert_label_and_why


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


# (text, expected label, word or phrase the explanation must name, its rule)
EXCESS = [
    ("minyaknya terlalu banyak", "negative", "terlalu banyak", "lexicon"),
    ("tempatnya terlalu ramai buat ngobrol", "negative", "terlalu ramai", "lexicon"),
    ("dagingnya terlalu mateng", "negative", "terlalu mateng", "lexicon"),
    ("kuahnya terlalu encer", "negative", "terlalu encer", "lexicon"),
    ("musiknya terlalu berisik", "negative", "terlalu berisik", "lexicon"),
    ("ruangannya kepanasan , ac nya mati", "negative", "kepanasan", "lexicon"),
    ("bajunya kekecilan", "negative", "kekecilan", "lexicon"),
    ("nasinya kematengan", "negative", "kematengan", "lexicon"),
    # the praise before a complaint of excess is weakened, the complaint stressed
    ("rasanya enak tapi terlalu berminyak", "negative", "terlalu berminyak", "contrast (stressed)"),
]

# the counterfactual "should (have been)": what should be good was not; a negative word after it
# keeps its sign ("harusnya dihukum" is no praise); "sebaiknya" (it is advisable) is advice
COUNTERFACTUAL = [
    ("komentatornya harus nya mendidik", "negative", "mendidik", "negated"),
    ("mi yang seharusnya nikmat jadi keasinan", "negative", "nikmat", "negated"),
    ("mestinya pelayanannya ramah", "negative", "pelayanannya ramah", "negated"),
    ("harusnya dihukum berat", "negative", "dihukum", "should (not negated)"),
    ("sebaiknya mampir ke sini , enak", "positive", "enak", "lexicon"),
]

# idioms: praise said with a negator, "too"/"very" in everyday speech, refusing to come back
IDIOMS = [
    ("rasanya tiada duanya", "positive", "tiada duanya", "lexicon"),
    ("sate nya tidak ada dua nya", "positive", "tidak ada duanya", "lexicon"),
    ("sambalnya tak ada tandingannya", "positive", "tak ada tandingannya", "lexicon"),
    ("kopinya tak tertandingi", "positive", "tak tertandingi", "lexicon"),
    ("bukan main enaknya", "positive", "enaknya", "intensified"),
    ("bukan main mahalnya", "negative", "mahalnya", "intensified"),
    ("harganya kelewat mahal", "negative", "mahal", "intensified"),
    ("sangat-sangat nyaman", "positive", "nyaman", "intensified"),
    ("mayan enak", "positive", "mayan enak", "lexicon"),
    ("ogah balik lagi", "negative", "ogah balik lagi", "lexicon"),
    ("males ke sini lagi", "negative", "males ke sini lagi", "lexicon"),
    # "not only" and "not rarely" negate nothing
    ("tidak hanya enak tapi juga murah", "positive", "murah", "contrast (stressed)"),
    ("bukan cuma bagus , tempatnya juga nyaman", "positive", "bagus", "lexicon"),
    ("gak cuma enak", "positive", "enak", "lexicon"),
    ("tak sekadar murah", "positive", "murah", "lexicon"),
    ("tidak jarang pelayannya ramah", "positive", "ramah", "lexicon"),
    ("gak heran tempatnya selalu nyaman", "positive", "nyaman", "lexicon"),
    ("tak ayal enak banget", "positive", "enak", "intensified"),
    ("tidak hanya mahal tapi juga kotor", "negative", "mahal", "contrast (weakened)"),
    ("tidak bisa dipungkiri sotonya enak", "positive", "enak", "lexicon"),
    ("kurang lebih sepuluh menit sudah siap , enak", "positive", "enak", "lexicon"),
    ("pelayanannya tidak ada yang kurang", "positive", "tidak ada yang kurang", "lexicon"),
]

# (text, expected label): "tidak terlalu ..." (not too ...) is the negator, not a complaint
NOT_TOO = [
    ("tempatnya tidak terlalu penuh", "neutral"),
    ("porsinya gak terlalu banyak", "neutral"),
    ("lokasinya enggak terlalu jauh dari stasiun", "neutral"),
]

VOCABULARY = [
    ("kecoa lewat di dekat meja", "negative", "kecoa", "lexicon"),
    ("lalat hinggap di piring", "negative", "lalat", "lexicon"),
    ("kuenya bikin eneg", "negative", "bikin eneg", "lexicon"),
    ("supirnya ugal-ugalan", "negative", "ugal-ugalan", "lexicon"),
    ("paketnya datang penyok", "negative", "penyok", "lexicon"),
    ("rotinya sudah kadaluarsa", "negative", "kadaluarsa", "lexicon"),
    ("kardusnya sobek", "negative", "sobek", "lexicon"),
    ("aplikasinya sering ngebug", "negative", "ngebug", "lexicon"),
    ("kelakuannya keterlaluan", "negative", "keterlaluan", "lexicon"),
    ("dasar pembual", "negative", "pembual", "lexicon"),
    ("komentarnya ngawur", "negative", "ngawur", "lexicon"),
    ("adminnya nyolot", "negative", "nyolot", "lexicon"),
    ("aromanya menggugah selera", "positive", "menggugah selera", "lexicon"),
    ("pengalaman yang tak terlupakan", "positive", "tak terlupakan", "lexicon"),
    ("tempatnya berkelas", "positive", "berkelas", "lexicon"),
    ("bumbunya meresap", "positive", "bumbunya meresap", "lexicon"),
    ("rasanya pas", "positive", "rasanya pas", "lexicon"),
    ("porsinya jumbo", "positive", "porsinya jumbo", "lexicon"),
    ("hasilnya melebihi ekspektasi", "positive", "melebihi ekspektasi", "lexicon"),
    ("barang sampai dengan selamat", "positive", "sampai dengan selamat", "lexicon"),
    ("obatnya ampuh", "positive", "ampuh", "lexicon"),
    ("worthit sih", "positive", "worthit", "lexicon"),
    ("wajib mampir kalau ke bogor", "positive", "wajib mampir", "lexicon"),
    ("dana dipotong gak ada penjelasan", "negative", "gak ada penjelasan", "lexicon"),
    ("aplikasinya gak bisa dibuka", "negative", "gak bisa dibuka", "lexicon"),
    ("di rumah tidak ada sinyal", "negative", "tidak ada sinyal", "lexicon"),
    ("sudah seminggu belum direfund", "negative", "direfund", "negated"),
    ("adminnya respon lama", "negative", "respon lama", "lexicon"),
    ("rotinya enak tanpa pengawet", "positive", "pengawet", "negated"),
]

# informal spellings read as the standard word: (informal text, standard text)
SPELLINGS = [
    ("porsinya gede", "porsinya besar"),
    ("jusnya seger banget", "jusnya segar banget"),
    ("sambalnya terlalu pedes", "sambalnya terlalu pedas"),
    ("nasinya anget", "nasinya hangat"),
    ("dagingnya terlalu mateng", "dagingnya terlalu matang"),
    ("makan di sini murmer", "makan di sini murah meriah"),
]

# emoji written as names score as the emoji: (text with the name, text with the emoji)
EMOJI_NAMES = [
    ("rasanya enak thumbsup", "rasanya enak 👍"),
    ("pelayanan lama thumbsdown", "pelayanan lama 👎"),
    ("wangi sekali smilingfacewithheart - eyes", "wangi sekali 😍"),
    ("facewithtearsofjoy facewithtearsofjoy", "😂 😂"),
    ("sudah sejam menunggu loudlycryingface", "sudah sejam menunggu 😭"),
    ("redheart kopinya", "❤ kopinya"),
]

# (text, expected label): everyday words that say little on their own, and dish names
PLAIN = [
    ("ayo ke sini hari minggu", "neutral"),
    ("saya percaya dia datang besok", "neutral"),
    ("pesan mie setan level tiga", "neutral"),
    ("menu andalannya nasi goreng mafia", "neutral"),
    ("kotak kosong melawan calon tunggal", "neutral"),
    # words the stemmer took to a root of another meaning
    ("ini penjelasan ketua panitia", "neutral"),
    ("tambahkan penyedap secukupnya", "neutral"),
    ("para relawan datang ke lokasi", "neutral"),
    ("besok hari raya nyepi di bali", "neutral"),
    ("komunitas penikmat kopi", "neutral"),
    ("beli pembersih lantai", "neutral"),
    ("antre di loket bpjs kesehatan", "negative"),  # the queue, not the health office
    ("hasil penelitian diumumkan besok", "neutral"),
    ("mahasiswa belajar sistem peradilan", "neutral"),
]


@pytest.mark.parametrize(
    ("text", "label", "word", "rule"), EXCESS + VOCABULARY + COUNTERFACTUAL + IDIOMS
)
def test_excess_and_review_vocabulary(analyzer, text, label, word, rule):
    assert_label_and_why(analyzer, text, label, word, rule)


@pytest.mark.parametrize(("text", "label"), NOT_TOO)
def test_not_too_is_no_complaint(analyzer, text, label):
    assert analyzer.score(text).label == label
    assert not any(r["word"].startswith("terlalu") for r in analyzer.explain(text))


@pytest.mark.parametrize(("informal", "standard"), SPELLINGS)
def test_informal_spellings_score_as_standard(analyzer, informal, standard):
    assert analyzer.polarity_scores(informal) == analyzer.polarity_scores(standard)
    assert analyzer.score(informal).label == analyzer.score(standard).label != "neutral"


@pytest.mark.parametrize(("named", "emoji"), EMOJI_NAMES)
def test_emoji_names_score_as_emoji(analyzer, named, emoji):
    # the same compound and label ("heart - eyes" leaves the word "eyes", a neutral word more)
    assert (
        analyzer.polarity_scores(named)["compound"] == analyzer.polarity_scores(emoji)["compound"]
    )
    assert analyzer.score(named).label == analyzer.score(emoji).label != "neutral"
    # the explanation shows the name as written, with the emoji's weight
    shown = {r["word"]: r["base"] for r in analyzer.explain(named)}
    expected = {r["base"] for r in analyzer.explain(emoji)}
    assert set(shown.values()) == expected
    assert any(w.isalpha() and len(w) >= 8 for w in shown)


@pytest.mark.parametrize(("text", "label"), PLAIN)
def test_everyday_words_and_dishes_stay_plain(analyzer, text, label):
    assert analyzer.score(text).label == label


def test_descriptive_words_weigh_little(analyzer):
    # "tutup" (closed) and "kosong" (empty) describe; a closed office is still a bad sign
    for word in ("tutup", "kosong", "ditutup"):
        assert -1 < analyzer.words[word] < 0
    assert analyzer.words["ayo"] < 1 and analyzer.words["benar"] <= 1
    assert analyzer.score("omongannya tong kosong nyaring bunyinya").label == "negative"


def test_fast_path_matches_reference(analyzer):
    rows = EXCESS + VOCABULARY + COUNTERFACTUAL + IDIOMS + NOT_TOO + PLAIN
    texts = [row[0] for row in rows]
    texts += [text for pair in SPELLINGS + EMOJI_NAMES for text in pair]
    # with capitals, a negator before an emoji name, a risk match beside the new words
    texts += ["TERLALU RAMAI", "tidak enak thumbsdown", "dana belum cair, kelakuannya keterlaluan"]
    texts += ["Koperasi tutup, uang anggota kosong", "gak terlalu pedes tapi kepanasan"]
    texts += ["seharusnya dana sudah cair", "harusnya gak khawatir", "SEHARUSNYA ENAK 😡"]
    texts += ["itu bukan mainan", "BUKAN MAIN ENAKNYA", "keduanya enak", "tidak ada dua orang"]
    assert_fast_matches_reference(analyzer, texts)
