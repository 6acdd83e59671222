"""What the learned layer adds on each public set: the lexicon alone against the lexicon plus a
model trained on ``nusax_id_train.csv`` (what ``citra sentiment train`` fits), macro-F1.

Run: ``python bench/eval_learned.py [--data DIR] [--select]``. ``DIR`` (default
``/work/shared/data/sentiment-dev`` or ``$CITRA_SENTIMENT_DEV``) holds the public ``text,label``
CSV files, read in place.

Printed:

- the training run as ``citra sentiment train`` does it on ``nusax_id_train.csv``: its
  cross-validated macro-F1 against the lexicon's on the same rows, the training time and the
  size of the stored model;
- per public set (NusaX-id valid, NusaX-en valid, SmSA valid and its odd rows, the held-out half
  of the lexicon's tuning) and the held-out koperasi sample (``tests/fixtures/sentiment``): the
  lexicon alone, the model trained on NusaX-id train; for NusaX-en also a model trained on
  NusaX-en train (its own language), for the koperasi sample also one trained on NusaX-id train
  plus the 199 in-house koperasi labels (as a coop's own corrections would join);
- the spread of the NusaX-id valid figure: models trained on 90% subsamples of the training file
  (10 seeds), and a bootstrap of the 96 valid rows of the full model;
- ``--select``: the grid the settings in ``citra.sentiment.model`` were chosen from, by
  cross-validation on the training file only (5 folds x 3 seeds; never the valid file). The
  surface is flat (most settings within one standard error of the best), so the plain best is
  noise: the lexicon weight chosen is the one whose worst C is best, then the best C at it.

The NusaX train files were used to tune the lexicon, so the lexicon's figure on them (and
cross-validation there) is optimistic; the valid files and SmSA's odd rows were not tuned on.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citra.sentiment import SentimentAnalyzer  # noqa: E402
from citra.sentiment import model as learned  # noqa: E402
from citra.sentiment.training import fit_and_compare, macro_f1, read_labelled_csv  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from eval_sentiment import data_dir  # noqa: E402

TRAIN = "nusax_id_train"
SAMPLES = ROOT / "tests/fixtures/sentiment/koperasi_samples.csv"
HELDOUT = ROOT / "tests/fixtures/sentiment/koperasi_heldout.csv"
# Set -> the training files of the models measured on it (" + " joins files).
SETS = {
    "nusax_id_valid": [TRAIN],
    "nusax_en_valid": [TRAIN, "nusax_en_train"],
    "smsa_valid": [TRAIN],
    HELDOUT.stem: [TRAIN, f"{TRAIN} + {SAMPLES.stem}"],
}
GRID_C = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
GRID_WEIGHT = (0.125, 0.25, 0.5, 1.0, 2.0)
SEEDS = (1, 2, 3)
FOLDS = 5


def _prepared(analyzer: SentimentAnalyzer, texts: list[str]) -> tuple[list[str], list]:
    return [" ".join(analyzer.prepare(t).words) for t in texts], analyzer.score_many(texts)


def select(analyzer: SentimentAnalyzer, texts: list[str], labels: list[str]) -> None:
    """Print the cross-validated grid on the training rows and the one-standard-error choice."""
    from sklearn.model_selection import StratifiedKFold

    prepared, scores = _prepared(analyzer, texts)
    folds: dict[tuple[float, float], list[float]] = {
        (c, w): [] for c in GRID_C for w in GRID_WEIGHT
    }
    for seed in SEEDS:
        splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
        for train_idx, test_idx in splitter.split(prepared, labels):
            fit_texts = [prepared[i] for i in train_idx]
            vectorizers = learned.fit_vectorizers(fit_texts)
            for w in GRID_WEIGHT:
                x_fit = learned.features(vectorizers, fit_texts, [scores[i] for i in train_idx], w)
                x_test = learned.features(
                    vectorizers, [prepared[i] for i in test_idx], [scores[i] for i in test_idx], w
                )
                for c in GRID_C:
                    fitted = learned.fit_logistic(x_fit, [labels[i] for i in train_idx], c)
                    truth = [labels[i] for i in test_idx]
                    folds[(c, w)].append(macro_f1(truth, list(fitted.predict(x_test))))
    means = {k: statistics.mean(v) for k, v in folds.items()}
    errors = {k: statistics.stdev(v) / FOLDS**0.5 for k, v in folds.items()}
    best = max(means, key=means.__getitem__)
    threshold = means[best] - errors[best]
    print(f"\nCV macro-F1 on {TRAIN} ({FOLDS} folds x {len(SEEDS)} seeds), mean +- s.e.")
    print("C \\ lexicon weight " + "".join(f"{w:>14g}" for w in GRID_WEIGHT))
    for c in GRID_C:
        cells = "".join(f"{means[(c, w)]:>8.3f}+-{errors[(c, w)]:.3f}" for w in GRID_WEIGHT)
        print(f"{c:<19g}{cells}")
    # The surface is flat within one standard error, so the plain best is noise; the weight
    # chosen is the one that is best whatever C is (its worst C is the best worst), then its best C.
    weight = max(GRID_WEIGHT, key=lambda w: min(means[(c, w)] for c in GRID_C))
    chosen = max(((c, weight) for c in GRID_C), key=means.__getitem__)
    smallest = min(w for (_, w), mean in means.items() if mean >= threshold)
    print(
        f"best: C={best[0]:g} weight={best[1]:g} ({means[best]:.3f}); within one s.e. "
        f"(>= {threshold:.3f}): every weight from {smallest:g} up\n"
        f"chosen: the weight whose worst C is best, {weight:g} (worst "
        f"{min(means[(c, weight)] for c in GRID_C):.3f}), and its best C={chosen[0]:g} "
        f"({means[chosen]:.3f}); in use: C={learned.C:g} weight={learned.LEXICON_WEIGHT:g}"
    )


def main() -> None:
    args = sys.argv[1:]
    if "-h" in args or "--help" in args:
        print(__doc__)
        return
    data = data_dir(args)
    lexicon = SentimentAnalyzer(use_model=False)
    texts, labels = read_labelled_csv(data / f"{TRAIN}.csv")
    started = time.perf_counter()
    model, model_f1, lexicon_f1 = fit_and_compare(lexicon, texts, labels)
    took = time.perf_counter() - started
    size = len(model.to_json().encode())
    print(
        f"analyzer {lexicon.version}; learned layer C={learned.C:g}, lexicon weight "
        f"{learned.LEXICON_WEIGHT:g}"
    )
    print(
        f"trained on {TRAIN} ({len(labels)} rows): CV macro-F1 {model_f1:.3f} against "
        f"{lexicon_f1:.3f} for the lexicon alone (optimistic: tuned on it); "
        f"{took:.1f} s (CV and final fit), model {size / 1e6:.2f} MB JSON, "
        f"{len(model.idf) + len(model.char_idf):,} terms"
    )
    fitted = {TRAIN: model}

    def labels_by(source: str, set_texts: list[str]) -> list[str]:
        if source not in fitted:
            files = [
                SAMPLES if part == SAMPLES.stem else data / f"{part}.csv"
                for part in source.split(" + ")
            ]
            rows = [read_labelled_csv(f) for f in files]
            fitted[source] = fit_and_compare(
                lexicon, [t for r in rows for t in r[0]], [x for r in rows for x in r[1]]
            )[0]
        return [s.label for s in SentimentAnalyzer(model=fitted[source]).score_many(set_texts)]

    print(f"\n{'set':<20} {'rows':>5} {'lexicon':>8} {'learned':>8} {'adds':>6}  trained on")
    for name, sources in SETS.items():
        path = HELDOUT if name == HELDOUT.stem else data / f"{name}.csv"
        if not path.is_file():
            print(f"{name:<20} (not in {data})")
            continue
        set_texts, truth = read_labelled_csv(path)
        lex = [s.label for s in lexicon.score_many(set_texts)]
        runs = [(source, labels_by(source, set_texts)) for source in sources]
        parts = [(name, range(len(truth)))]
        if name == "smsa_valid":
            parts.append((name + " odd", range(1, len(truth), 2)))
        for label, rows in parts:
            t = [truth[i] for i in rows]
            base = macro_f1(t, [lex[i] for i in rows])
            for source, predicted in runs:
                f1 = macro_f1(t, [predicted[i] for i in rows])
                print(
                    f"{label:<20} {len(t):>5} {base:>8.3f} {f1:>8.3f} {f1 - base:>+6.3f}  {source}"
                )

    valid_texts, valid_truth = read_labelled_csv(data / "nusax_id_valid.csv")
    valid_prepared, valid_scores = _prepared(lexicon, valid_texts)
    prepared, scores = _prepared(lexicon, texts)
    subsample = []
    for seed in range(10):
        rows = random.Random(seed).sample(range(len(labels)), k=len(labels) * 9 // 10)
        fitted = learned.TrainedModel.fit(
            [prepared[i] for i in rows], [scores[i] for i in rows], [labels[i] for i in rows]
        )
        predicted = [label for label, _ in fitted.predict(valid_prepared, valid_scores)]
        subsample.append(macro_f1(valid_truth, predicted))
    full = [label for label, _ in model.predict(valid_prepared, valid_scores)]
    rng = random.Random(0)
    boot = []
    for _ in range(1000):
        rows = [rng.randrange(len(valid_truth)) for _ in valid_truth]
        boot.append(macro_f1([valid_truth[i] for i in rows], [full[i] for i in rows]))
    boot.sort()
    print(
        f"\nnusax_id_valid spread: 90% subsamples of {TRAIN}, 10 seeds: mean "
        f"{statistics.mean(subsample):.3f} sd {statistics.stdev(subsample):.3f} "
        f"(min {min(subsample):.3f}, max {max(subsample):.3f}); bootstrap of the valid rows "
        f"(full model {macro_f1(valid_truth, full):.3f}): 95% {boot[25]:.3f}..{boot[974]:.3f}"
    )
    if "--select" in args:
        select(lexicon, texts, labels)


if __name__ == "__main__":
    main()
