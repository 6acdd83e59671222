"""Texts per second: Citra's analyzer against plain VADER, on ~20k short texts, one core.

Run: ``python bench/bench_sentiment.py [N]``. The texts are built in-house from short
Indonesian, English and code-mixed templates, so the figure does not depend on any dataset.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

# One core: pin the process (Linux) and keep numerical libraries single-threaded.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from citra.sentiment import SentimentAnalyzer  # noqa: E402

SUBJECTS = [
    "Pelayanannya",
    "Koperasi ini",
    "CS-nya",
    "Aplikasinya",
    "Pencairan dana",
    "The app",
    "Pengurusnya",
    "Kantor cabang",
    "SHU tahun ini",
    "Petugasnya",
]
PREDICATES = [
    "bagus banget",
    "tidak ramah",
    "lelet parah",
    "mantul 👍",
    "kurang jelas",
    "sangat membantu",
    "gagal bayar lagi",
    "agak lambat tapi ramah",
    "oke lah",
    "really helpful",
    "bikin kecewa 😡",
    "cepat dan mudah",
    "biasa saja",
    "zonk",
    "dibagikan tepat waktu",
    "nggak bisa dicairkan",
    "keren bgt sih",
    "not bad",
]
TAILS = ["", " hari ini", " sekali", " sih", ", makasih", "!!", " min", " #koperasi", " ya"]


def texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}{rng.choice(TAILS)} {i % 97}"
        for i in range(n)
    ]


def rate(score, items: list[str]) -> float:
    started = time.perf_counter()
    score(items)
    return len(items) / (time.perf_counter() - started)


def _trained_analyzer() -> SentimentAnalyzer:
    """The analyzer with a model fitted on the small in-house training fixture."""
    from citra.sentiment.model import TrainedModel
    from citra.sentiment.training import read_labelled_csv

    fixture = Path(__file__).resolve().parent.parent / "tests/fixtures/sentiment/train_small.csv"
    texts, labels = read_labelled_csv(fixture)
    plain = SentimentAnalyzer()
    prepared = [" ".join(plain.prepare(t).words) for t in texts]
    model = TrainedModel.fit(prepared, [plain.polarity_scores(t) for t in texts], labels)
    return SentimentAnalyzer(model=model)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    items = texts(n)
    vader = SentimentIntensityAnalyzer()
    citra = SentimentAnalyzer()
    citra.score_many(items[:200])  # warm the stemmer and token caches, as a long run would
    vader_rate = rate(lambda xs: [vader.polarity_scores(x) for x in xs], items)
    citra_rate = rate(citra.score_many, items)
    print(f"texts: {n:,}")
    print(f"plain VADER:            {vader_rate:>10,.0f} texts/s")
    print(f"Citra score_many:       {citra_rate:>10,.0f} texts/s")
    single_rate = rate(lambda xs: [citra.polarity_scores(x) for x in xs], items)
    print(f"Citra polarity_scores:  {single_rate:>10,.0f} texts/s")
    trained = _trained_analyzer()
    trained.score_many(items[:200])
    print(f"Citra with a model:     {rate(trained.score_many, items):>10,.0f} texts/s")


if __name__ == "__main__":
    main()
