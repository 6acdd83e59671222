"""Texts per CPU-second: Citra's analyzer against plain vaderSentiment, one core, same texts.

    python bench/bench_sentiment.py                     # generated mentions and the dev data
    python bench/bench_sentiment.py --set generated --repeat 3
    python bench/bench_sentiment.py --help

What ``bench/report.py`` measures in section 1 of bench/RESULTS.md (the same texts, the same
timing: best of ``--rounds`` in CPU seconds, the process pinned to one core; here the rounds
take turns, plain VADER then Citra, so a passing load weighs on both), for a quick look
while working on the analyzer: plain VADER, Citra's ``score_many`` and ``score_values``, and the
ratios to plain VADER in the same run (the machine may be shared: compare ratios, not rates
across runs). ``--repeat`` runs the whole comparison again, for a feel of the noise. Sets:
``generated`` (``bench/corpus.py``: titles and bodies of 33 words on average), ``dev`` (the
development data, NusaX and SmSA, where it is on the machine), ``templates`` (short template
sentences of a few words). ``--model`` adds Citra with a model fitted on the small training
fixture. The line "fast path" says whether the compiled module ran (``make install``).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# One core: pin the process (Linux) and keep numerical libraries single-threaded.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
from eval_sentiment import data_dir  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from citra.sentiment import SentimentAnalyzer, compiled  # noqa: E402

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
SETS = ("generated", "dev", "templates")


def template_texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}{rng.choice(TAILS)} {i % 97}"
        for i in range(n)
    ]


def dev_texts() -> list[str]:
    folder = data_dir([])
    texts: list[str] = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                texts.extend(row["text"] for row in csv.DictReader(handle))
    return texts


def best_cpu(runs: list[Callable[[list[str]], Any]], texts: list[str], rounds: int) -> list[float]:
    """The least CPU time of each of ``runs`` over ``texts`` in ``rounds`` rounds, in seconds.
    A round runs each once, in turn: a load that comes and goes on a shared machine weighs on
    all of them alike."""
    best = [float("inf")] * len(runs)
    for _ in range(rounds):
        for k, run in enumerate(runs):
            started = time.process_time()
            run(texts)
            best[k] = min(best[k], time.process_time() - started)
    return best


def _trained_analyzer() -> SentimentAnalyzer:
    """The analyzer with a model fitted on the small in-house training fixture."""
    from citra.sentiment.model import TrainedModel
    from citra.sentiment.training import read_labelled_csv

    fixture = ROOT / "tests/fixtures/sentiment/train_small.csv"
    texts, labels = read_labelled_csv(fixture)
    plain = SentimentAnalyzer()
    prepared = [" ".join(plain.prepare(t).words) for t in texts]
    model = TrainedModel.fit(prepared, [plain.polarity_scores(t) for t in texts], labels)
    return SentimentAnalyzer(model=model)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=(*SETS, "all"), action="append", help="default: both")
    parser.add_argument("--texts", type=int, default=20_000, help="generated/template texts")
    parser.add_argument("--rounds", type=int, default=5, help="best of this many runs")
    parser.add_argument("--repeat", type=int, default=1, help="run the comparison again")
    parser.add_argument("--model", action="store_true", help="also Citra with a fitted model")
    args = parser.parse_args(argv)
    chosen = args.set or ["generated", "dev"]
    names = list(SETS) if "all" in chosen else [s for s in SETS if s in chosen]
    sets = {
        "generated": lambda: corpus.texts(args.texts),
        "dev": dev_texts,
        "templates": lambda: template_texts(args.texts),
    }
    vader = SentimentIntensityAnalyzer()
    citra = SentimentAnalyzer()
    trained = _trained_analyzer() if args.model else None
    print(f"fast path: {compiled.status()}")
    for name in names:
        texts = sets[name]()
        if not texts:
            print(f"{name}: no texts (no development data on this machine)")
            continue
        words = sum(len(t.split()) for t in texts) / len(texts)
        print(f"{name}: {len(texts):,} texts, {words:.1f} words/text")
        citra.score_values(texts[:2000])  # a long run has warm caches
        for _ in range(args.repeat):
            runs: list[Callable[[list[str]], Any]] = [
                lambda xs: [vader.polarity_scores(x) for x in xs],
                citra.score_many,
                citra.score_values,
            ]
            if trained is not None:
                trained.score_many(texts[:200])
                runs.append(trained.score_many)
            vader_s, many_s, values_s, *model_s = best_cpu(runs, texts, args.rounds)
            line = (
                f"  plain VADER {len(texts) / vader_s:>8,.0f}/s | score_many "
                f"{len(texts) / many_s:>8,.0f}/s {vader_s / many_s:.2f}x | score_values "
                f"{len(texts) / values_s:>8,.0f}/s {vader_s / values_s:.2f}x"
            )
            if model_s:
                line += f" | with a model {vader_s / model_s[0]:.2f}x"
            print(line, flush=True)


if __name__ == "__main__":
    main()
