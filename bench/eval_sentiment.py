"""Sentiment and risk quality per register: macro-F1 on the shared development data and on the
in-house koperasi samples, risk recall and precision on the samples.

Run: ``python bench/eval_sentiment.py [--data DIR]``. ``DIR`` (default
``/work/shared/data/sentiment-dev`` or ``$CITRA_SENTIMENT_DEV``) holds the public
``text,label`` CSV files; they are read in place, never copied. The koperasi samples are
``tests/fixtures/sentiment/koperasi_samples.csv`` (``text,label,risk,register,lang``; ``risk`` is
the expected primary category, empty for none). ``--heldout`` measures
``tests/fixtures/sentiment/koperasi_heldout.csv`` instead (never tuned on; see its README), with
risk recall per category and per status.

Every public set is printed with its register and the issue's target for it. A register whose
set is not in ``DIR`` is listed as not measured; any other ``text,label`` CSV dropped into
``DIR`` is measured too, under register ``other``. The two tweet registers are measured on the
in-house held-out sets ``tests/fixtures/sentiment/tweets_informal_heldout.csv`` and
``tweets_mixed_heldout.csv`` (hand-labelled, never tuned on; see their README) as well as on any
public set of those names in ``DIR``.
``smsa_valid`` is also shown as its even and odd rows: the lexicon was tuned on the even rows
(there is no SmSA train split here), so the odd rows are the held-out figure.
"""

from __future__ import annotations

import csv
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citra.sentiment import SentimentAnalyzer  # noqa: E402
from citra.sentiment.training import macro_f1, read_labelled_csv  # noqa: E402

SAMPLES = ROOT / "tests/fixtures/sentiment/koperasi_samples.csv"
HELDOUT = ROOT / "tests/fixtures/sentiment/koperasi_heldout.csv"
# Public set -> (register, target macro-F1 of issue 12 or None). The tweet sets are looked for under
# these names; the shared data does not hold them yet.
PUBLIC = {
    "nusax_id_valid": ("standard id", 0.80),
    "smsa_valid": ("informal id reviews", 0.78),
    "nusax_en_valid": ("english", 0.72),
    "nusax_id_train": ("standard id (tuned)", None),
    "nusax_en_train": ("english (tuned)", None),
    "idsa_valid": ("informal tweets", 0.57),
    "idsa_test": ("informal tweets", 0.57),
    "tweets_mixed_valid": ("mixed news/review tweets", 0.70),
    "tweets_mixed_test": ("mixed news/review tweets", 0.70),
}
# In-house held-out tweet sets (never tuned on), measured after the public sets.
TWEETS = {
    "tweets_informal_heldout": ("informal tweets", 0.57),
    "tweets_mixed_heldout": ("mixed news/review tweets", 0.70),
}
FIXTURES = ROOT / "tests/fixtures/sentiment"


def _risk_categories(analyzer: SentimentAnalyzer, score) -> tuple[str, ...]:
    return tuple(getattr(score, "risk_categories", ()) or ())


def data_dir(args: list[str]) -> Path:
    """The development data: ``--data DIR``, else ``$CITRA_SENTIMENT_DEV``, else the shared
    folder beside the project."""
    if "--data" in args:
        return Path(args[args.index("--data") + 1])
    return Path(os.environ.get("CITRA_SENTIMENT_DEV", "/work/shared/data/sentiment-dev"))


def main() -> None:
    args = sys.argv[1:]
    if "-h" in args or "--help" in args:
        print(__doc__)
        return
    data = data_dir(args)
    analyzer = SentimentAnalyzer()
    print(f"analyzer {analyzer.version}")
    print(f"{'set':<26} {'register':<26} {'rows':>5} {'macro-F1':>9} {'accuracy':>9} {'target':>7}")
    extra = sorted(p.stem for p in data.glob("*.csv") if p.stem not in PUBLIC)
    measured: set[str] = set()
    for name in [*PUBLIC, *extra, *TWEETS]:
        register, target = PUBLIC.get(name) or TWEETS.get(name) or ("other", None)
        path = (FIXTURES if name in TWEETS else data) / f"{name}.csv"
        if not path.is_file():
            continue
        measured.add(register)
        texts, truth = read_labelled_csv(path)
        predicted = [s.label for s in analyzer.score_many(texts)]
        parts = [(name, range(len(truth)))]
        if name == "smsa_valid":
            parts += [(name + " even", range(0, len(truth), 2))]
            parts += [(name + " odd", range(1, len(truth), 2))]
        for label, rows in parts:
            t = [truth[i] for i in rows]
            p = [predicted[i] for i in rows]
            accuracy = sum(a == b for a, b in zip(t, p, strict=True)) / len(t)
            goal = f"{target:.2f}" if target is not None else ""
            print(
                f"{label:<26} {register:<26} {len(t):>5} {macro_f1(t, p):>9.3f} "
                f"{accuracy:>9.3f} {goal:>7}"
            )
    for register, target in dict(PUBLIC.values()).items():
        if register not in measured and target is not None:
            print(
                f"{'(no set in ' + data.name + ')':<26} {register:<26} {'-':>5} {'not measured':>19}"
            )

    samples = HELDOUT if "--heldout" in args else SAMPLES
    print(f"\nkoperasi samples: {samples.name}")
    with samples.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    scores = analyzer.score_many(r["text"] for r in rows)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups["koperasi " + row["register"]].append(i)
        groups["koperasi lang=" + row["lang"]].append(i)
        groups["koperasi (all)"].append(i)
    for name in sorted(groups):
        idx = groups[name]
        truth = [rows[i]["label"] for i in idx]
        predicted = [scores[i].label for i in idx]
        accuracy = sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(idx)
        print(f"{name:<26} {len(idx):>5} {macro_f1(truth, predicted):>9.3f} {accuracy:>9.3f}")

    tp = sum(1 for r, s in zip(rows, scores, strict=True) if r["risk"] and s.risk)
    fp = sum(1 for r, s in zip(rows, scores, strict=True) if not r["risk"] and s.risk)
    fn = sum(1 for r, s in zip(rows, scores, strict=True) if r["risk"] and not s.risk)
    right_category = sum(
        1
        for r, s in zip(rows, scores, strict=True)
        if r["risk"] and s.risk and r["risk"] in _risk_categories(analyzer, s)
    )
    print(
        f"\nrisk flag: recall {tp / max(tp + fn, 1):.3f}  precision {tp / max(tp + fp, 1):.3f}  "
        f"(tp {tp}, fp {fp}, fn {fn}); expected category among those found: "
        f"{right_category}/{tp}"
    )
    if "status" in rows[0]:
        per: dict[str, list[bool]] = defaultdict(list)
        for r, s in zip(rows, scores, strict=True):
            if r["risk"]:
                per["category " + r["risk"]].append(s.risk)
                per["status " + r["status"]].append(s.risk)
        for name in sorted(per):
            found = per[name]
            print(f"  risk recall {name:<24} {sum(found):>3}/{len(found):<3}")
        for status in ("advice", "resolved"):
            flagged = [s.risk for r, s in zip(rows, scores, strict=True) if r["status"] == status]
            if flagged:
                print(f"  flagged although {status:<14} {sum(flagged):>3}/{len(flagged):<3}")
    if "--misses" in args:
        for r, s in zip(rows, scores, strict=True):
            if bool(r["risk"]) != s.risk or r["label"] != s.label:
                print(
                    f"  [{r['label']:>8}->{s.label:<8} risk {r['risk'] or '-'}->"
                    f"{','.join(_risk_categories(analyzer, s)) or int(s.risk)}] {r['text']}"
                )


if __name__ == "__main__":
    main()
