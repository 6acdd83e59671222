"""Sentiment and risk quality, second round (issue 12): a table of risk cases per category, per
language (formal and informal Indonesian, Javanese-flavoured, English, mixed) and per way of
saying it (asserted, negated, hedged, denied; advice and resolved do not flag), the rule and data
changes of this round, and the demo's visible mistakes.

The texts are written for these tests; none is taken from the held-out sample
(tests/fixtures/sentiment/koperasi_heldout.csv), which the rules are never tuned on.
"""

from __future__ import annotations

import pytest

from citra.sentiment import SentimentAnalyzer
from citra.sentiment.boilerplate import strip_names


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


# (text, language, status, expected category); every one flags.
RISK_TABLE = [
    # default
    ("Penarikan simpanan dihentikan sementara oleh pengurus", "id", "asserted", "default"),
    ("simpenanku durung iso dicairke, wis ping papat takon", "jv", "negated", "default"),
    ("Tabungan kami tidak pernah dibayar sejak Lebaran", "id", "negated", "default"),
    ("susah banget narik tabungan di sini, alasannya macem-macem", "id", "asserted", "default"),
    (
        "The cooperative has halted all withdrawals until further notice",
        "en",
        "asserted",
        "default",
    ),
    ("We still can't get our deposits back", "en", "negated", "default"),
    ("Benarkah koperasi itu gagal bayar?", "id", "hedged", "default"),
    ("Pengurus membantah isu dana anggota tidak bisa dicairkan", "id", "denied", "default"),
    ("kapan duit kita bisa ditarik min, butuh buat sekolah", "mixed", "asserted", "default"),
    # insolvency
    ("The cooperative was placed under administration last week", "en", "asserted", "insolvency"),
    ("Kabarnya koperasi ini mau dipailitkan kreditur", "id", "hedged", "insolvency"),
    ("jarene koperasine arep bangkrut", "jv", "hedged", "insolvency"),
    # regulator
    ("Regulators suspended the lending business of the cooperative", "en", "asserted", "regulator"),
    ("izin usaha koperasi itu dibekukan dinas", "id", "asserted", "regulator"),
    # fraud
    ("Koperasi itu tidak berizin tapi menghimpun dana warga", "id", "asserted", "fraud"),
    ("Police suspect the coop was a front for illegal lending", "en", "hedged", "fraud"),
    ("aku diapusi koperasi abal-abal", "jv", "asserted", "fraud"),
    ("Koperasi resmi, bukan investasi bodong", "id", "denied", "fraud"),
    # embezzlement
    ("Direktur koperasi ditangkap setelah dana anggota raib", "id", "asserted", "embezzlement"),
    ("bendaharane minggat nggowo duit kas", "jv", "asserted", "embezzlement"),
    ("The chairwoman fled with members' savings", "en", "asserted", "embezzlement"),
    # predatory
    ("DC-nya dateng jam 11 malem, gedor-gedor pintu", "id", "asserted", "predatory"),
    ("petugasnya membentak ibu saya di depan tetangga", "id", "asserted", "predatory"),
    ("They threatened to shame borrowers online", "en", "asserted", "predatory"),
    # legal
    ("Anggota menggugat pengurus ke pengadilan", "id", "asserted", "legal"),
    ("kita bawa ke jalur hukum aja bu", "id", "asserted", "legal"),
    ("Members are suing the cooperative's board", "en", "asserted", "legal"),
    # unrest
    ("Ratusan anggota turun ke jalan menuntut kejelasan", "id", "asserted", "unrest"),
    ("A crowd gathered outside the cooperative's branch", "en", "asserted", "unrest"),
    ("RAT berakhir ricuh", "id", "asserted", "unrest"),
    # data breach
    ("Nomor KTP anggota beredar di grup Facebook", "id", "asserted", "data_breach"),
    ("Someone leaked members' phone numbers", "en", "asserted", "data_breach"),
    ("sistem koperasi diretas, data anggota dijual", "id", "asserted", "data_breach"),
]


@pytest.mark.parametrize(("text", "language", "status", "category"), RISK_TABLE)
def test_risk_table(
    analyzer: SentimentAnalyzer, text: str, language: str, status: str, category: str
) -> None:
    score = analyzer.score(text)
    assert score.risk, text
    assert category in score.risk_categories, score.risk_categories
    if status in ("hedged", "denied"):
        assert status in {h.status for h in analyzer.risk_hits(text)}


# Risk words that must not flag: advice, resolved, and ordinary texts.
NOT_RISK = [
    ("Cara memastikan koperasi terdaftar sebelum menabung", "id"),
    ("How to avoid fake cooperatives: check the registry first", "en"),
    ("Koperasi akhirnya melunasi simpanan yang sempat tertunda", "id"),
    ("The coop repaid every delayed deposit in full", "en"),
    ("Dinas menggelar bimtek pembukuan koperasi", "id"),
    ("Rapat anggota tahunan berjalan lancar", "id"),
    ("Our AGM is on Saturday", "en"),
    ("Bagi yang belum mengambil SHU harap segera ke kantor", "id"),
]


@pytest.mark.parametrize(("text", "language"), NOT_RISK)
def test_not_a_risk(analyzer: SentimentAnalyzer, text: str, language: str) -> None:
    assert not analyzer.score(text).risk, analyzer.risk_hits(text)


# (text, language, label): the rule and data changes of this round.
SENTIMENT_TABLE = [
    # an English negator inside a risk match no longer flips it
    ("dana kami stuck, can't withdraw sama sekali", "mixed", "negative"),
    ("Our deposit has not been returned for months", "en", "negative"),
    # coop names after a legal form carry no praise
    ("KSP Sejahtera Makmur Jaya digugat anggotanya", "id", "negative"),
    ("Koperasi Sejahtera", "id", "neutral"),
    # good news a coop reports
    ("Koperasi membagikan SHU kepada 900 anggota", "id", "positive"),
    ("KSP Maju meresmikan kantor cabang baru", "id", "positive"),
    # Javanese-flavoured
    ("pelayanane alon, ngenteni suwe", "jv", "negative"),
    ("petugase grapyak lan sabar", "jv", "positive"),
    ("regane larang tenan", "jv", "negative"),
    # English reviews and sarcasm
    ("Overpriced and the food was bland", "en", "negative"),
    ("Affordable and tasty, will come back", "en", "positive"),
    ("Another delayed payout. Love that for us", "en", "negative"),
    ("Great service 🙄🙄", "en", "negative"),
    # finance words are no praise, notices no complaint
    ("Please check my credit balance", "en", "neutral"),
    ("Members pay their dues through the app", "en", "neutral"),
    ("Pengumuman: rapat pengurus diundur ke hari Kamis", "id", "neutral"),
]


@pytest.mark.parametrize(("text", "language", "label"), SENTIMENT_TABLE)
def test_sentiment_table(analyzer: SentimentAnalyzer, text: str, language: str, label: str) -> None:
    assert analyzer.score(text).label == label, analyzer.explain(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KSP Harapan Baru gagal bayar", "KSP gagal bayar"),
        (
            "Koperasi Simpan Pinjam (KSP) Sinar Mulia digugat",
            "Koperasi Simpan Pinjam (KSP) digugat",
        ),
        ("Kopwan Melati! Sukses", "Kopwan! Sukses"),
        ("koperasi sejahtera", "koperasi sejahtera"),
        ("Koperasi yang sehat", "Koperasi yang sehat"),
    ],
)
def test_strip_names(text: str, expected: str) -> None:
    assert strip_names(text) == expected


# --- the demo's visible mistakes ----------------------------------------------------------------

DEMO_MISTAKES = [
    ("KSP Sejahtera completes delayed SHU payout after independent audit", "positive", False),
    ("Koperasi Sejahtera Bersama completes delayed payout to members", "positive", False),
    ("KSP Amanah Jaya: pencairan ditunda sampai waktu yang belum ditentukan", "negative", True),
    ("Kemenkop cabut izin usaha KSP Amanah Jaya", "negative", True),
    ("dana gue stuck di KSP Sejahtera, can't withdraw", "negative", True),
]


@pytest.mark.parametrize(("text", "label", "risk"), DEMO_MISTAKES)
def test_demo_mistakes(analyzer: SentimentAnalyzer, text: str, label: str, risk: bool) -> None:
    score = analyzer.score(text)
    assert (score.label, score.risk) == (label, risk), analyzer.explain(text)


@pytest.mark.parametrize(
    "text",
    [
        "telpon CS gak diangkat-angkat",
        "WA admin ga diangkat-angkat dari kemarin",
        "udah 3 hari nggak diangkat-angkat, tolong",
        "tidak diangkat-angkat, padahal jam kerja",
    ],
)
def test_custom_word_stays_negative_after_a_negator(text: str) -> None:
    analyzer = SentimentAnalyzer(custom_words=[("diangkat-angkat", -4.0)])
    assert analyzer.score(text).label == "negative"
    reasons = [r for r in analyzer.explain(text) if r["word"].lower() == "diangkat-angkat"]
    assert reasons and reasons[0]["valence"] < 0


# (text, language, label): lexicon valences fixed by error analysis on the public train splits
# (sentences written for this test, not taken from the data sets).
LEXICON_FIXES = [
    # descriptive, promotional and polite wording is not praise
    ("Yang terhormat pengurus, mohon balas pesan saya", "id", "neutral"),
    ("Gedung koperasi baru akan dibangun tahun depan", "id", "neutral"),
    ("Motor listrik berkecepatan tinggi dipamerkan di Jakarta", "id", "neutral"),
    ("Dapatkan voucher untuk tiga anggota yang beruntung", "id", "neutral"),
    ("Ini tanggapan ketua koperasi soal rapat anggota", "id", "neutral"),
    ("Mohon aplikasinya diperbaiki", "id", "neutral"),
    # official reassurance next to a denial is news, not praise
    ("Pengurus memastikan dana anggota aman", "id", "neutral"),
    ("Penarikan simpanan berjalan normal hari ini", "id", "neutral"),
    # review vocabulary that was missing
    ("Tempatnya romantis dan parkirannya luas", "id", "positive"),
    ("Harganya sebanding dengan rasanya", "id", "positive"),
    ("Teleponnya terputus terus, pulsa kepotong", "id", "negative"),
    ("Kelakuan oknum itu bejad", "id", "negative"),
    # English words VADER over-values in reviews and service replies
    ("My friend works at the cooperative office", "en", "neutral"),
    ("Yes, you can pay the bill through the app", "en", "neutral"),
    ("Two lucky winners get a voucher every week", "en", "neutral"),
    ("Shame the room was dirty, hope they improve", "en", "negative"),
    ("For such a low price, the service is decent", "en", "positive"),
    ("People like that should be ashamed", "en", "negative"),
]


@pytest.mark.parametrize(("text", "language", "label"), LEXICON_FIXES)
def test_lexicon_fixes(analyzer: SentimentAnalyzer, text: str, language: str, label: str) -> None:
    assert analyzer.score(text).label == label, analyzer.explain(text)
