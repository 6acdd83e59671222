"""Sentiment and risk quality per register: macro-F1 on the shared development data and on the
in-house koperasi samples, risk recall and precision on the samples.

Run: ``python bench/eval_sentiment.py [--data DIR]``. ``DIR`` (default
``/work/shared/data/sentiment-dev`` or ``$CITRA_SENTIMENT_DEV``) holds the public
``text,label`` CSV files; they are read in place, never copied. The koperasi samples are
``tests/fixtures/sentiment/koperasi_samples.csv`` (``text,label,risk,register,lang``; ``risk`` is
the expected primary category, empty for none). ``--heldout`` measures
``tests/fixtures/sentiment/koperasi_heldout.csv`` instead (never tuned on; see its README), with
risk recall per category and per status.
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
PUBLIC = ("nusax_id_valid", "smsa_valid", "nusax_en_valid", "nusax_id_train", "nusax_en_train")


def _risk_categories(analyzer: SentimentAnalyzer, score) -> tuple[str, ...]:
    return tuple(getattr(score, "risk_categories", ()) or ())


def main() -> None:
    args = sys.argv[1:]
    data = Path(
        args[args.index("--data") + 1]
        if "--data" in args
        else os.environ.get("CITRA_SENTIMENT_DEV", "/work/shared/data/sentiment-dev")
    )
    analyzer = SentimentAnalyzer()
    print(f"analyzer {analyzer.version}")
    print(f"{'set':<26} {'rows':>5} {'macro-F1':>9} {'accuracy':>9}")
    for name in PUBLIC:
        path = data / f"{name}.csv"
        if not path.is_file():
            continue
        texts, truth = read_labelled_csv(path)
        predicted = [s.label for s in analyzer.score_many(texts)]
        accuracy = sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth)
        print(f"{name:<26} {len(truth):>5} {macro_f1(truth, predicted):>9.3f} {accuracy:>9.3f}")

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
