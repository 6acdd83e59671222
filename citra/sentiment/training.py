"""Learning from labelled texts: a training file or the team's own corrections.

A model is fitted on top of the lexicon (``citra.sentiment.model``), its macro-F1 is measured by
stratified cross-validation and compared with the lexicon alone on the same rows; it is switched
on only when it is better. Every trained model is kept (with its figures) in ``sentiment_models``.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from citra.access import ADMIN, requires
from citra.errors import CitraError, Location
from citra.exports import restore
from citra.i18n import translate
from citra.queries.sentiment import export_labels
from citra.sentiment.analyzer import SentimentAnalyzer
from citra.sentiment.model import TrainedModel
from citra.store.sentiment import LABELS, save_model

MIN_ROWS = 30
MIN_PER_CLASS = 3
FOLDS = 5
SEED = 13


MSG_TOO_FEW = (
    "Too few labelled rows to learn from: {rows} (at least {needed} needed). "
    "The current model is kept."
)
MSG_ONE_LABEL = (
    "All labelled rows have the same label ('{label}'); a model needs at least two labels. "
    "The current model is kept."
)
MSG_THIN_LABEL = (
    "Too few rows labelled {labels} (at least {needed} each needed). The current model is kept."
)
MSG_ACTIVATED = (
    "Model {model_id} switched on: macro-F1 {model_f1:.3f} (cross-validated) against "
    "{lexicon_f1:.3f} for the lexicon alone, on {rows} rows. Run `rescore` to apply it to "
    "stored mentions."
)
MSG_KEPT_OFF = (
    "Model {model_id} kept off: macro-F1 {model_f1:.3f} (cross-validated) is not better than "
    "{lexicon_f1:.3f} for the lexicon alone, on {rows} rows."
)


class NotEnoughLabels(CitraError):
    """Training refused (too few rows, one label only, a label with too few rows); the current
    model is kept. ``describe(lang)`` gives the message in the UI language."""


@dataclass(frozen=True)
class TrainingReport:
    """What a training run did. F1 figures are macro-F1 in 0..1 on the training rows (the
    model's by cross-validation)."""

    rows: int
    classes: dict[str, int]
    model_f1: float
    lexicon_f1: float
    activated: bool
    model_id: int | None

    @property
    def message(self) -> str:
        """What happened, in English (the CLI prints it)."""
        return self.describe("en")

    def describe(self, lang: str = "en") -> str:
        """What happened, in ``lang`` (for the "learn from our corrections" button)."""
        return translate(
            MSG_ACTIVATED if self.activated else MSG_KEPT_OFF,
            lang,
            model_id=self.model_id,
            model_f1=self.model_f1,
            lexicon_f1=self.lexicon_f1,
            rows=self.rows,
        )


def read_labelled_csv(path: str | Path) -> tuple[list[str], list[str]]:
    """Read a ``text,label`` CSV (UTF-8, header row). Labels are positive / negative / neutral
    (any case); rows with an empty text are skipped. ``CitraError`` names the file and line of
    the first problem."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CitraError(
            "cannot be read ({detail}).", location=Location(file=str(path)), detail=exc.strerror
        ) from None
    texts: list[str] = []
    labels: list[str] = []
    with handle:
        try:
            reader = csv.DictReader(handle)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            if "text" not in fields or "label" not in fields:
                raise CitraError(
                    "the header must have columns 'text' and 'label'.",
                    location=Location(str(path), "line", 1),
                )
            reader.fieldnames = fields
            for row in reader:
                text = restore(row.get("text") or "").strip()  # a Citra export's quoting
                label = (row.get("label") or "").strip().lower()
                if not text:
                    continue
                if label not in LABELS:
                    raise CitraError(
                        "label '{label}' is not one of {known}.",
                        location=Location(str(path), "line", reader.line_num),
                        label=label,
                        known=", ".join(LABELS),
                    )
                texts.append(text)
                labels.append(label)
        except UnicodeDecodeError:
            raise CitraError("not UTF-8 text.", location=Location(file=str(path))) from None
        except csv.Error as exc:
            raise CitraError(
                "not a readable CSV file ({detail}).", location=Location(file=str(path)), detail=exc
            ) from None
    return texts, labels


def _check(labels: Sequence[str]) -> Counter[str]:
    counts = Counter(labels)
    if len(labels) < MIN_ROWS:
        raise NotEnoughLabels(MSG_TOO_FEW, rows=len(labels), needed=MIN_ROWS)
    if len(counts) < 2:
        raise NotEnoughLabels(MSG_ONE_LABEL, label=next(iter(counts), "-"))
    small = [label for label, n in counts.items() if n < MIN_PER_CLASS]
    if small:
        raise NotEnoughLabels(MSG_THIN_LABEL, labels=", ".join(sorted(small)), needed=MIN_PER_CLASS)
    return counts


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Macro-averaged F1 over the labels present in ``truth`` or ``predicted``."""
    from sklearn.metrics import f1_score

    return float(f1_score(list(truth), list(predicted), average="macro", zero_division=0))


def fit_and_compare(
    analyzer: SentimentAnalyzer, texts: Sequence[str], labels: Sequence[str]
) -> tuple[TrainedModel, float, float]:
    """Fit on all rows; return the model, its cross-validated macro-F1 and the lexicon's."""
    from sklearn.model_selection import StratifiedKFold

    counts = _check(labels)
    scores = analyzer.score_many(texts)
    prepared = [" ".join(analyzer.prepare(t).words) for t in texts]
    lexicon_f1 = macro_f1(labels, [s.label for s in scores])
    folds = min(FOLDS, min(counts.values()))
    predicted = [""] * len(labels)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train_idx, test_idx in splitter.split(prepared, labels):
        model = TrainedModel.fit(
            [prepared[i] for i in train_idx],
            [scores[i] for i in train_idx],
            [labels[i] for i in train_idx],
        )
        for i, (label, _) in zip(
            test_idx,
            model.predict([prepared[i] for i in test_idx], [scores[i] for i in test_idx]),
            strict=True,
        ):
            predicted[i] = label
    model_f1 = macro_f1(labels, predicted)
    model = TrainedModel.fit(prepared, scores, labels)
    return model, model_f1, lexicon_f1


def train(
    db: Database, texts: Sequence[str], labels: Sequence[str], *, source: str
) -> TrainingReport:
    """Train a model on labelled texts, store it, and activate it only when its cross-validated
    macro-F1 beats the lexicon's. Too few rows, one label only, or a label with under
    :data:`MIN_PER_CLASS` rows: ``CitraError`` with a plain message, nothing stored."""
    analyzer = SentimentAnalyzer(db, use_model=False)
    model, model_f1, lexicon_f1 = fit_and_compare(analyzer, texts, labels)
    better = model_f1 > lexicon_f1
    model.meta.update({"source": source, "lexicon_version": analyzer.version})
    model_id = save_model(
        db,
        model.to_json(),
        source=source,
        rows=len(labels),
        cv_macro_f1=model_f1,
        lexicon_macro_f1=lexicon_f1,
        activate=better,
    )
    return TrainingReport(
        rows=len(labels),
        classes=dict(Counter(labels)),
        model_f1=model_f1,
        lexicon_f1=lexicon_f1,
        activated=better,
        model_id=model_id,
    )


@requires(ADMIN)
def train_file(db: Database, path: str | Path) -> TrainingReport:
    """``citra sentiment train FILE.csv``: train on a ``text,label`` file and on the team's own
    corrections (hand-set labels): the coop's labels always count, and where a corrected
    mention's text is in the file too, the team's label wins."""
    texts, labels = read_labelled_csv(path)
    source = Path(path).name
    own = export_labels(db)
    if own:
        rows = dict(zip(texts, labels, strict=True))
        rows.update((r["text"], r["label"]) for r in own)
        texts, labels = list(rows), list(rows.values())
        source = f"{source} + {len(own)} corrections"
    return train(db, texts, labels, source=source)


@requires(ADMIN)
def learn_from_corrections(db: Database) -> TrainingReport:
    """ "Learn from our corrections": train on the mentions labelled by a person."""
    rows = export_labels(db)
    return train(db, [r["text"] for r in rows], [r["label"] for r in rows], source="corrections")
