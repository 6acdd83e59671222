"""Sentiment quality, round 5 (issue 12): informal Indonesian (the SmSA kind), YouTube comments and
Javanese-flavoured messages, by general vocabulary, spelling and rule words, not by rows of a
public set.

* Javanese krama and short forms: the negators "mboten", "dereng", "rung", "raiso" and "saged"
  (can), so "mboten saged dicairkan" is the risk "tidak bisa dicairkan"; everyday words ("suwe",
  "kesuwen", "becik", "gelo", "sambat", "ngecewakke", "nyenengke", "mugo", "sanget", "wonten",
  "simpenan", "ra popo");
* YouTube comments: sound and picture ("suaranya kecil", "videonya burem", "iklannya kebanyakan",
  "clickbait"), what a viewer learnt ("jadi paham", "nambah wawasan", "ditunggu video
  selanjutnya", "membuka mata"), comments deleted, a staged video, paid shills;
* "padahal" (even though) brings in background, not the verdict: it is no longer a "but" (the
  complaint before it is not weakened, the fact after it not stressed);
* thanks written as two words ("Terima kasih, uang saya belum balik") opens an ironic or courteous
  praise as "makasih" does;
* "tidak lebih dari", "tak lebih hanya" (nothing more than) belittle and negate nothing;
* a reduplication written with "2" is read as the written-out word when that has a weight or rule
  of its own ("pura2", "benar2", "enak2"), else through the spelling table ("cepet2"); "mudah2an",
  "moga2" are "hopefully"; "gakramah", "gapuas" are the negator glued to its word;
* words rated far from what they say in news and requests: "unggul", "menang" report a count,
  programme nouns ("digitalisasi", "pemberdayaan") are no praise, closing an account is a request;
  "dan" no longer picks up a booster's weight ("cukup besar dan tebal").

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
JAVANESE = [
    ("dana dereng cair", "negative", "dana belum cair", "risk event"),
    ("mboten saged dicairkan", "negative", "mboten saged dicairkan", "lexicon"),
    ("pelayanane suwe banget", "negative", "suwe banget", "lexicon"),
    ("antrine kesuwen", "negative", "kesuwen", "lexicon"),
    ("pengurus e becik", "positive", "becik", "lexicon"),
    ("gelo aku karo koperasi iki", "negative", "gelo", "lexicon"),
    ("ngecewakke tenan", "negative", "ngecewakke", "intensified"),
    ("pelayanane nyenengke", "positive", "nyenengke", "lexicon"),
    ("matur nuwun sanget", "positive", "matur nuwun", "intensified"),
    ("cicilane seret", "negative", "seret", "lexicon"),
    ("pelayanane ora karuan", "negative", "ora karuan", "lexicon"),
    ("wedi aku nyimpen duwit neng kono", "negative", "wedi", "lexicon"),
    ("apik tapi kirang cepet", "negative", "cepet", "negated+contrast (stressed)"),
]

YOUTUBE = [
    (
        "videonya bagus tapi suaranya kecil banget",
        "negative",
        "suaranya kecil",
        "intensified+contrast (stressed)",
    ),
    ("videonya burem", "negative", "videonya burem", "lexicon"),
    ("iklannya kebanyakan", "negative", "iklannya kebanyakan", "lexicon"),
    ("judulnya clickbait", "negative", "clickbait", "lexicon"),
    ("suaranya tidak jelas", "negative", "suaranya tidak jelas", "lexicon"),
    ("kok komen saya dihapus", "negative", "komen saya dihapus", "lexicon"),
    ("videonya settingan", "negative", "videonya settingan", "lexicon"),
    ("akun buzzer semua", "negative", "buzzer", "lexicon"),
    ("makasih pak jadi paham", "positive", "jadi paham", "lexicon"),
    ("nambah wawasan", "positive", "nambah wawasan", "lexicon"),
    ("ditunggu video selanjutnya", "positive", "ditunggu video selanjutnya", "lexicon"),
    ("auto subscribe", "positive", "auto subscribe", "lexicon"),
    ("bener2 membuka mata", "positive", "membuka mata", "intensified"),
    ("koperasi ini bantu banget", "positive", "bantu banget", "lexicon"),
]

# a demand for responsibility or follow-up closes a complaint; the accountability report does not
DEMANDS = [
    ("air mati seminggu , tanggung jawab dong", "negative", "tanggung jawab dong", "lexicon"),
    ("mana tanggung jawabnya pengurus ?", "negative", "mana tanggung jawabnya", "lexicon"),
    (
        "paket belum diambil kurir . mohon ditindaklanjuti",
        "negative",
        "mohon ditindaklanjuti",
        "lexicon",
    ),
    ("pengurus harus bertanggung jawab", "negative", "harus bertanggung jawab", "lexicon"),
]

# "padahal" is no "but"; "nothing more than" negates nothing; "lumayan juga" is mild praise
RULE_WORDS = [
    ("rasanya biasa saja padahal mahal", "negative", "mahal", "lexicon"),
    ("uang saya belum cair padahal syarat sudah lengkap", "negative", "lengkap", "lexicon"),
    ("janjinya tak lebih dari omong kosong", "negative", "omong kosong", "lexicon"),
    ("semua itu tidak lebih hanya pencitraan", "negative", "pencitraan", "lexicon"),
    ("tempatnya tidak lebih baik dari yang lama", "negative", "baik", "negated"),
    ("eh lumayan juga tempatnya", "positive", "lumayan juga", "lexicon"),
    ("lelahnya terbayar dengan pemandangan", "positive", "lelahnya terbayar", "lexicon"),
    ("gaji bulan ini belum terbayar", "negative", "terbayar", "negated"),
    ("minumannya sesuai selera", "positive", "sesuai selera", "lexicon"),
]

# thanks written as two words opens a courtesy before a complaint, as "makasih" does
THANKS_THEN_COMPLAINT = [
    "Terima kasih, uang saya belum balik",
    "makasih, uang saya belum balik",
]

# reduplication written with "2": (written with 2, written out)
REDUPLICATED = [
    ("pura2 gak tahu", "pura-pura gak tahu"),
    ("benar2 enak", "benar-benar enak"),
    ("makanannya enak2", "makanannya enak-enak"),
    ("mudah2an cepat cair", "mudah-mudahan cepat cair"),
    ("moga2 lancar", "semoga lancar"),
    ("cepet2 dibalikin", "cepat dibalikin"),
]

# "ga"/"gak" glued to the word it negates: (glued, written apart)
GLUED = [
    ("pelayanannya gakramah", "pelayanannya gak ramah"),
    ("gapuas sama hasilnya", "gak puas sama hasilnya"),
    ("tempatnya ganyaman", "tempatnya ga nyaman"),
    ("pengurusnya gaberes", "pengurusnya ga beres"),
]

# (text, expected label): news counts, programme nouns, requests and plain descriptions
PLAIN = [
    ("hasil hitung cepat menyebut pasangan nomor dua unggul tipis", "neutral"),
    ("partai itu menang di dua provinsi", "neutral"),
    ("dinas koperasi menggelar pelatihan digitalisasi pembukuan", "neutral"),
    ("program pemberdayaan anggota dimulai bulan depan", "neutral"),
    ("saya mau tutup rekening simpanan bulan depan", "neutral"),
    ("bagaimana cara menutup kartu kredit ?", "neutral"),
    ("ayamnya cukup besar dan tebal", "neutral"),
    ("izin nyimak pak , dari medan", "neutral"),
    ("rapat membahas laporan pertanggungjawaban pengurus", "neutral"),
    ("rapat anggota sesuk jam 9 , monggo rawuh nggih", "neutral"),
]


@pytest.mark.parametrize(
    ("text", "label", "word", "rule"), JAVANESE + YOUTUBE + DEMANDS + RULE_WORDS
)
def test_vocabulary_and_rule_words(analyzer, text, label, word, rule):
    assert_label_and_why(analyzer, text, label, word, rule)


@pytest.mark.parametrize("text", THANKS_THEN_COMPLAINT)
def test_thanks_before_a_complaint_is_a_courtesy(analyzer, text):
    assert analyzer.score(text).label == "negative"
    why = analyzer.explain(text)
    assert why[0]["rule"] == "contrast (weakened)" and why[0]["valence"] < why[0]["base"]
    # the complaint is stressed: the risk event weighs more than its own -1.8
    assert any(r["rule"] == "risk event" and r["valence"] < -1.8 for r in why)


def test_thanks_alone_is_no_irony(analyzer):
    # thanks trailing off are still thanks, in either spelling (see analyzer.trailing_irony)
    assert analyzer.score("terima kasih...").label == analyzer.score("terima kasih").label
    assert not any(r["rule"] == "irony" for r in analyzer.explain("Terima kasih..."))


@pytest.mark.parametrize(("with_two", "written_out"), REDUPLICATED)
def test_reduplication_with_two_reads_as_written_out(analyzer, with_two, written_out):
    # the same compound ("mudah2an" leaves the syllable "an", a neutral token more)
    assert (
        analyzer.polarity_scores(with_two)["compound"]
        == analyzer.polarity_scores(written_out)["compound"]
    )
    assert analyzer.score(with_two).label == analyzer.score(written_out).label != "neutral"


def test_plain_reduplication_keeps_its_phrases(analyzer):
    # "lama-lama" (in time) has no weight of its own: "lama2" stays "lama", its phrase matches
    assert analyzer.score("pelayanannya lama2").label == "negative"
    assert analyzer.score("sama2 kak").label == "neutral"


@pytest.mark.parametrize(("glued", "apart"), GLUED)
def test_glued_negator_reads_as_written_apart(analyzer, glued, apart):
    assert analyzer.polarity_scores(glued) == analyzer.polarity_scores(apart)
    assert analyzer.score(glued).label == "negative"


@pytest.mark.parametrize(("text", "label"), PLAIN)
def test_news_requests_and_descriptions_stay_plain(analyzer, text, label):
    assert analyzer.score(text).label == label


def test_javanese_krama_negators_flag_risk(analyzer):
    for text in ("mboten saged narik simpenan", "dana dereng cair", "duite raiso dijupuk"):
        assert analyzer.score(text).risk, text
        assert analyzer.score(text).label == "negative", text


def test_fast_path_matches_reference(analyzer):
    rows = JAVANESE + YOUTUBE + DEMANDS + RULE_WORDS + PLAIN
    texts = [row[0] for row in rows]
    texts += THANKS_THEN_COMPLAINT + [text for pair in REDUPLICATED + GLUED for text in pair]
    # with capitals, emoji, a negator before the new words, risk matches beside them
    texts += ["TERIMA KASIH, dana belum cair 😡", "Terima kasih...", "MUDAH2AN CEPAT CAIR 🙏"]
    texts += ["gak pura2", "tidak benar2 enak", "PADAHAL MAHAL", "tak lebih dari 10 menit"]
    texts += ["mboten saged narik simpenan, kasnya kosong", "pelayanannya lama2 bikin kesel"]
    texts += ["sama2 kak", "hehe2", "ayamnya cukup besar dan tebal", "suwe2 bosen"]
    assert_fast_matches_reference(analyzer, texts)
