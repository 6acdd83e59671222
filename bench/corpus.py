"""Generated koperasi mentions for the benchmarks: a title of 3-8 words and a body of 8-40 words of
Indonesian, English and code-mixed text, with slang, affixed words, emoji and punctuation.

Deterministic (a fixed seed) and built from the word lists below, so the figures depend on no
data set. Word frequencies are skewed (common words often, rare words seldom) as in real text;
numbers and names make most texts unique. Not a benchmark script itself (``bench/report.py``
and the others import it).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

FUNCTION = [
    "yang",
    "di",
    "dan",
    "ini",
    "itu",
    "untuk",
    "dengan",
    "ke",
    "dari",
    "sudah",
    "akan",
    "ada",
    "saya",
    "kami",
    "kita",
    "mereka",
    "juga",
    "karena",
    "kalau",
    "atau",
    "pada",
    "dalam",
    "bisa",
    "sih",
    "ya",
    "dong",
    "deh",
    "kok",
    "lagi",
    "aja",
    "masih",
    "baru",
    "mau",
    "the",
    "and",
    "is",
    "of",
    "to",
    "for",
    "in",
    "on",
    "with",
    "this",
    "that",
    "was",
]
DOMAIN = [
    "koperasi",
    "anggota",
    "pinjaman",
    "simpanan",
    "shu",
    "rat",
    "pengurus",
    "pengawas",
    "kantor",
    "cabang",
    "bunga",
    "cicilan",
    "dana",
    "laporan",
    "keuangan",
    "aplikasi",
    "layanan",
    "pelayanan",
    "petugas",
    "cs",
    "admin",
    "nasabah",
    "tabungan",
    "modal",
    "usaha",
    "umkm",
    "pencairan",
    "angsuran",
    "rapat",
    "tahunan",
    "audit",
    "aset",
    "member",
    "loan",
    "app",
    "branch",
    "office",
    "staff",
    "savings",
]
POSITIVE = [
    "bagus",
    "baik",
    "ramah",
    "cepat",
    "mudah",
    "membantu",
    "puas",
    "senang",
    "mantap",
    "mantul",
    "keren",
    "lancar",
    "amanah",
    "terpercaya",
    "aman",
    "jelas",
    "transparan",
    "sejahtera",
    "untung",
    "berkah",
    "terbaik",
    "good",
    "great",
    "helpful",
    "fast",
    "easy",
    "friendly",
    "nice",
    "thanks",
    "makasih",
    "alhamdulillah",
    "rekomendasi",
]
NEGATIVE = [
    "lambat",
    "lama",
    "kecewa",
    "buruk",
    "jelek",
    "ribet",
    "susah",
    "mahal",
    "rugi",
    "gagal",
    "error",
    "lelet",
    "parah",
    "zonk",
    "bohong",
    "tipu",
    "bodong",
    "macet",
    "telat",
    "terlambat",
    "curang",
    "kacau",
    "sulit",
    "bad",
    "slow",
    "terrible",
    "disappointed",
    "scam",
    "angry",
    "worst",
]
AFFIXED = [
    "pelayanannya",
    "mengecewakan",
    "dicairkan",
    "pengurusnya",
    "kekecewaan",
    "menyenangkan",
    "dipersulit",
    "keramahan",
    "pembayarannya",
    "ditolak",
    "diproses",
    "memuaskan",
    "kebingungan",
    "pinjamannya",
    "keterlambatan",
    "dilayani",
    "pengajuan",
    "merugikan",
    "menguntungkan",
    "bermasalah",
    "dibagikan",
]
RULE = [
    "tidak",
    "gak",
    "nggak",
    "belum",
    "sangat",
    "banget",
    "sekali",
    "agak",
    "cukup",
    "tapi",
    "namun",
    "kurang",
    "terlalu",
    "not",
    "very",
    "but",
]
SLANG = ["yg", "bgt", "gk", "udh", "blm", "tdk", "dgn", "utk", "krn", "sm", "aja", "gmn", "bener"]
PHRASES = (
    "gagal bayar",
    "terima kasih",
    "luar biasa",
    "tepat waktu",
    "biasa saja",
    "tidak ada yang",
    "dana anggota",
    "bunga tinggi",
)
EMOJI = ("👍", "🙏", "😡", "😍", "😭", "🔥", ":)", ":(")
ENDS = (".", ".", ",", ",", "!", "?", "!!", "...")
NAMES = (
    "KSP Sejahtera",
    "Koperasi Sejahtera",
    "KSP Tunas Makmur",
    "CU Sumber Rejeki",
    "BMT Amanah",
)
BRANCHES = ("Sleman", "Bantul", "Klaten", "Magelang", "Wonosari")

# (pool, weight): how often a word comes from each pool. Chosen so that the share of words
# that score (lexicon words, about 9%) and of rule words (negations, intensifiers, "but":
# about 3%) is that of the Indonesian and English development data.
POOLS = (
    (FUNCTION, 52),
    (DOMAIN, 26),
    (POSITIVE, 4),
    (NEGATIVE, 3),
    (AFFIXED, 4),
    (RULE, 3),
    (SLANG, 4),
    (EMOJI, 1),
)


def _word(rng: random.Random, pools: list[list[str]], weights: list[int]) -> str:
    pool = rng.choices(pools, weights)[0]
    # Skewed within a pool too: the first words of each list come up most.
    return pool[min(int(rng.expovariate(1 / (len(pool) / 3))), len(pool) - 1)]


def _words(rng: random.Random, count: int) -> str:
    pools = [list(p) for p, _ in POOLS]
    weights = [w for _, w in POOLS]
    out: list[str] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.03:
            out.append(rng.choice(PHRASES))
        elif roll < 0.05:
            out.append(rng.choice(NAMES))
        elif roll < 0.07:
            out.append(str(rng.randrange(1, 5000)))
        else:
            word = _word(rng, pools, weights)
            if rng.random() < 0.03:
                word = word.upper()
            elif rng.random() < 0.1:
                word = word.capitalize()
            out.append(word)
        if rng.random() < 0.1:
            out[-1] += rng.choice(ENDS)
    return " ".join(out)


def mentions(n: int, seed: int = 13) -> Iterator[tuple[str, str]]:
    """``n`` (title, body) pairs."""
    rng = random.Random(seed)
    for i in range(n):
        title = f"{_words(rng, rng.randint(3, 8))} {rng.choice(BRANCHES)}"
        body = f"{_words(rng, rng.randint(8, 40))} #{i % 997}"
        yield title, body


def texts(n: int, seed: int = 13) -> list[str]:
    """``n`` mention texts (title and body joined as the analyzer sees a mention)."""
    return [f"{title}. {body}" for title, body in mentions(n, seed)]
