"""The koperasi risk taxonomy (citra/sentiment/risk.py, data/risk_terms.tsv, data/risk_cues.tsv):
tables of cases per category and language, negated, hedged, denied, advice and resolved ones; the
sentiment fixes of the same work; a regression set of the demo's visible mistakes."""

from __future__ import annotations

import pytest

from citra.sentiment import SentimentAnalyzer
from citra.sentiment.risk import CATEGORIES, Taxonomy, forms, primary


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


# (text, language, expected primary category)
CATEGORY_CASES = [
    # default: money that cannot be withdrawn, postponed payouts
    ("Dana saya sudah 6 bulan gak bisa dicairkan", "id", "default"),
    ("Pencairan tahap 2 ditunda lagi sampai bulan depan", "id", "default"),
    ("dana saya mana? udah janji cair bulan lalu", "id", "default"),
    ("Kapan uang kami dikembalikan??", "id", "default"),
    ("wis telung sasi duite durung iso dijupuk", "jv", "default"),
    ("duit gak balik-balik", "id", "default"),
    ("My savings have been frozen for six months", "en", "default"),
    ("Cooperative fails to repay members' deposits", "en", "default"),
    ("dana gue stuck di koperasi, can't withdraw", "mixed", "default"),
    # insolvency
    ("Pengadilan Niaga kabulkan permohonan PKPU KSP Sumber Rejeki", "id", "insolvency"),
    ("Koperasi dinyatakan pailit", "id", "insolvency"),
    ("Simpanan anggota direstrukturisasi", "id", "insolvency"),
    ("Savings cooperative declared bankrupt", "en", "insolvency"),
    # regulator
    ("Kemenkop cabut izin usaha KSP Amanah Jaya", "id", "regulator"),
    ("Izin koperasi kita dibekukan Kemenkop", "id", "regulator"),
    ("Ministry revokes licence of troubled cooperative", "en", "regulator"),
    # fraud
    ("Jangan percaya, ini investasi bodong!", "id", "fraud"),
    ("Saya tertipu koperasi ini", "id", "fraud"),
    ("This is clearly a Ponzi scheme", "en", "fraud"),
    ("fix ini scam berkedok koperasi", "mixed", "fraud"),
    # embezzlement (managers in trouble)
    ("Manajer koperasi kabur bawa uang anggota", "id", "embezzlement"),
    ("Ketuanya ditangkap polisi", "id", "embezzlement"),
    ("Bendahara menggelapkan dana anggota", "id", "embezzlement"),
    ("Police arrest chairman over alleged embezzlement", "en", "embezzlement"),
    # predatory
    ("Ini koperasi apa pinjol? Telat sehari langsung diteror", "id", "predatory"),
    ("Koperasi ini sama aja kayak rentenir, bunganya mencekik", "id", "predatory"),
    ("Their debt collectors harass my family", "en", "predatory"),
    # unrest
    ("Anggota geruduk kantor cabang", "id", "unrest"),
    ("Besok demo lagi di kantor KSP", "id", "unrest"),
    ("Members protest outside the office", "en", "unrest"),
    # data breach
    ("Data pribadi 20 ribu anggota koperasi bocor", "id", "data_breach"),
    ("Members' personal data leaked", "en", "data_breach"),
    # legal
    ("Kumpulkan KTP, kita lapor ke polisi", "id", "legal"),
]


@pytest.mark.parametrize(("text", "language", "category"), CATEGORY_CASES)
def test_category(analyzer: SentimentAnalyzer, text: str, language: str, category: str) -> None:
    score = analyzer.score(text)
    assert score.risk, text
    assert score.risk_category == category
    assert category in score.risk_categories


# (text, expected status of the first match, flagged)
STATUS_CASES = [
    ("KSP Sejahtera gagal bayar", "asserted", True),
    ("Isu KSP Karya Makmur pailit", "hedged", True),
    ("Pengurus diduga menggelapkan dana", "hedged", True),
    ("Heard the coop is going bankrupt", "hedged", True),
    ("KSP Nusantara bantah isu gagal bayar", "denied", True),
    ("Cooperative denies rumours of liquidity crisis", "denied", True),
    ("Koperasi ini bukan koperasi bodong", "denied", True),
    ("Waspadai investasi bodong berkedok koperasi", "advice", False),
    ("Tips memilih koperasi agar tidak tertipu", "advice", False),
    ("Regulator warns of Ponzi schemes", "advice", False),
    # a customer-service invitation to the office is no crowd at it
    ("Ibu bisa datang ke kantor cabang untuk mengurus pencairan ya", "advice", False),
    ("Kak, bisa langsung datang ke kantor cabang terdekat ya", "advice", False),
    ("Silakan datang ke kantor kami untuk info lebih lanjut", "advice", False),
    ("Anggota boleh datang ke kantor setiap hari kerja", "advice", False),
    ("Ratusan anggota datangi kantor koperasi menuntut dana kembali", "asserted", True),
    ("Koperasi menuntaskan pembayaran yang sempat tertunda", "resolved", False),
    ("KSP Mitra completes delayed SHU payout after audit", "resolved", False),
]


@pytest.mark.parametrize(("text", "status", "flagged"), STATUS_CASES)
def test_status(analyzer: SentimentAnalyzer, text: str, status: str, flagged: bool) -> None:
    hits = analyzer.risk_hits(text)
    assert hits and hits[0].status == status
    assert analyzer.score(text).risk is flagged


@pytest.mark.parametrize(
    "text",
    [
        "Alhamdulillah SHU udah cair, makasih",
        "Pelayanan CS cepat, mantul",
        "Ada yg tau jadwal RAT koperasi tahun ini?",
        "Satgas Waspada Investasi menggelar rapat koordinasi",
        "Pinjaman sudah cair, terima kasih bu bendahara",
        "Great service, loan approved in one day",
        "Koperasi bertahan di tengah pandemi",
    ],
)
def test_not_risk(analyzer: SentimentAnalyzer, text: str) -> None:
    assert not analyzer.score(text).risk


def test_explanation_names_category_and_status(analyzer: SentimentAnalyzer) -> None:
    reasons = analyzer.explain("KSP Nusantara bantah isu gagal bayar")
    risk = [r for r in reasons if r["rule"].startswith("risk")]
    assert risk == [
        {
            "word": "gagal bayar",
            "valence": 0.0,
            "base": 0.0,
            "rule": "risk (denied)",
            "category": "default",
        }
    ]


def test_forms_light_stemmer() -> None:
    assert {"cair"} <= forms("dicairkan") and {"cair"} <= forms("pencairan")
    assert "tipu" in forms("menipu") and "tagih" in forms("penagihan")
    assert "balik" in forms("balik-balik")


def test_primary_follows_precedence() -> None:
    assert primary(["legal", "embezzlement"]) == "embezzlement"
    assert primary([]) is None
    assert primary(["mine", "fraud"]) == "fraud"
    assert set(CATEGORIES) >= {"default", "fraud", "data_breach"}


def test_custom_phrases() -> None:
    taxonomy = Taxonomy.shipped().with_phrases([("setoran ~ raib", "default")])
    tokens = ["setoran", "kami", "raib"]
    assert [h.category for h in taxonomy.find(tokens)] == ["default"]


def test_macro_before_use_is_an_error() -> None:
    with pytest.raises(ValueError):
        Taxonomy([("@x dana", "default")], [], {})


# --- sentiment fixes ---------------------------------------------------------------------------

SENTIMENT_CASES = [
    # event-level phrases
    ("KSP Mitra Sejahtera completes delayed SHU payout after independent audit", "positive"),
    ("Pencairan simpanan ditunda", "negative"),
    ("Kemenkop cabut izin usaha koperasi", "negative"),
    ("Simpanan anggota direstrukturisasi", "negative"),
    # question complaints
    ("dana saya mana?", "negative"),
    ("Kapan uang kami dikembalikan??", "negative"),
    ("Where's our money?!", "negative"),
    # a negator inside a risk phrase does not flip it
    ("Tolong dibantu, simpanan saya tetap tidak bisa diambil", "negative"),
    ("Postingannya bagus tapi uang kami tetap belum dibalikin", "negative"),
    # news boilerplate does not count
    ("Anggota senang SHU dibagikan. Baca juga: Koperasi bodong gagal bayar", "positive"),
    ("Rapat anggota digelar. ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT", "neutral"),
    # emoji
    ("Dana saya mana min? 😭😭", "negative"),
    ("Keren, koperasinya makin maju 🔥🔥", "positive"),
]


@pytest.mark.parametrize(("text", "label"), SENTIMENT_CASES)
def test_sentiment_fixes(analyzer: SentimentAnalyzer, text: str, label: str) -> None:
    assert analyzer.score(text).label == label


def test_boilerplate_does_not_flag_risk(analyzer: SentimentAnalyzer) -> None:
    assert not analyzer.score("Koperasi membagikan SHU. Baca juga: Koperasi bodong").risk


def test_custom_negative_word_is_not_flipped_by_a_negator() -> None:
    analyzer = SentimentAnalyzer(custom_words=[("diangkat-angkat", -4.0)])
    for text in ["telpon CS gak diangkat-angkat", "nggak diangkat-angkat dari pagi"]:
        assert analyzer.score(text).label == "negative", text


def test_custom_negated_phrase_is_the_users_way_to_say_so() -> None:
    analyzer = SentimentAnalyzer(custom_words=[("tidak ribet", 2.0)])
    assert analyzer.score("prosesnya gak ribet").label == "positive"


# --- the demo's visible mistakes (issue 12) ------------------------------------------------------

DEMO_REGRESSIONS = [
    ("KSP Sejahtera completes delayed SHU payout after independent audit", "positive", False),
    ("Pencairan simpanan KSP Sejahtera ditunda", "negative", True),
    ("Anggota KSP Sejahtera geruduk kantor, dana saya mana?", "negative", True),
]


@pytest.mark.parametrize(("text", "label", "risk"), DEMO_REGRESSIONS)
def test_demo_regressions(analyzer: SentimentAnalyzer, text: str, label: str, risk: bool) -> None:
    score = analyzer.score(text)
    assert (score.label, score.risk) == (label, risk)


# --- stored per mention, used by the alerts -------------------------------------------------------


def test_rescore_stores_categories(db) -> None:
    from citra.sentiment.rescore import rescore
    from citra.store.mentions import insert_mentions

    rows = [
        ("r1", "Pengurus diduga penipuan dan penggelapan dana"),
        ("r2", "Izin koperasi dicabut, anggota geruduk kantor"),
        ("r3", "Rapat anggota hari Sabtu"),
    ]
    with db.atomic():
        insert_mentions(db, [{"id": i, "platform": "x", "text": t} for i, t in rows])
    rescore(db)
    stored = {
        r["id"]: (r["risk"], r["risk_category"], r["risk_categories"])
        for r in db.query("SELECT id, risk, risk_category, risk_categories FROM mentions")
    }
    assert stored == {
        "r1": (1, "fraud", "fraud embezzlement"),
        "r2": (1, "regulator", "regulator unrest"),
        "r3": (0, None, None),
    }


def test_with_scores_fills_categories() -> None:
    from citra.sentiment.rescore import with_scores

    [record] = with_scores([{"text": "KSP X dinyatakan pailit"}], SentimentAnalyzer())
    assert (record["risk"], record["risk_category"], record["risk_categories"]) == (
        1,
        "insolvency",
        "insolvency",
    )


def test_alerts_use_the_taxonomy() -> None:
    from citra.alerts import rules

    assert rules.risk_categories("Kemenkop cabut izin KSP X", None) == ["regulator"]
    assert rules.risk_categories("Waspadai investasi bodong", None) == []


def test_explanation_rows_name_the_category() -> None:
    from citra.sentiment.display import explanation_rows

    rows = explanation_rows(SentimentAnalyzer().explain("KSP X bantah isu gagal bayar"), "id")
    assert {"word": "gagal bayar", "valence": 0.0, "rule": "risiko (dibantah): gagal bayar"} in rows
