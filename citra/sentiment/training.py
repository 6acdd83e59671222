"""Learning from labelled texts: a training file or the team's own corrections.

A model is fitted on top of the lexicon (``citra.sentiment.model``), its macro-F1 is measured by
stratified cross-validation and compared with the lexicon alone on the same rows; it is switched
on only when it is better, and, where the rows hold at least :data:`MIN_OWN_ROWS` of the team's
own corrected mentions, when it is no worse on those (a model learned from public reviews can
beat the lexicon on them and still read the coop's own mentions worse: measured 0.815 -> 0.723
macro-F1 on the held-out koperasi sample). Every trained model is kept (with its figures) in
``sentiment_models``.
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
from citra.formatting import format_number
from citra.i18n import translate
from citra.queries.sentiment import export_labels
from citra.sentiment.analyzer import SentimentAnalyzer
from citra.sentiment.model import TrainedModel
from citra.store.sentiment import LABELS, save_model

MIN_ROWS = 30
# The team's own corrected mentions needed to judge a model on them as well.
MIN_OWN_ROWS = 30
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
    "Model {model_id} switched on: macro-F1 {model_f1} (cross-validated) against "
    "{lexicon_f1} for the lexicon alone, on {rows} rows. Run `rescore` to apply it to "
    "stored mentions."
)
MSG_KEPT_OFF = (
    "Model {model_id} kept off: macro-F1 {model_f1} (cross-validated) is not better than "
    "{lexicon_f1} for the lexicon alone, on {rows} rows."
)
MSG_WORSE_ON_OWN = (
    "Model {model_id} kept off: better on all {rows} rows ({model_f1} against {lexicon_f1} "
    "for the lexicon alone, cross-validated) but worse on the team's own {own_rows} corrected "
    "mentions ({own_model_f1} against {own_lexicon_f1})."
)
MSG_UNCHECKED_ON_OWN = (
    "Judged on the training file only: the team has corrected {own_rows} mentions, and at "
    "least {needed} are needed to check a model on the coop's own texts. A model learned from "
    "other texts can read the coop's mentions worse; look at a few after `rescore`."
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
    # The team's own corrected mentions among the rows, and both figures on those alone (``None``
    # when they are too few to judge, or when every row is one of them).
    own_rows: int = 0
    own_model_f1: float | None = None
    own_lexicon_f1: float | None = None

    @property
    def message(self) -> str:
        """What happened, in English (the CLI prints it)."""
        return self.describe("en")

    def describe(self, lang: str = "en") -> str:
        """What happened, in ``lang`` (for the "learn from our corrections" button)."""

        def f1(value: float | None) -> str:
            return format_number(value, lang, decimals=3)

        values = {
            "model_id": self.model_id,
            "model_f1": f1(self.model_f1),
            "lexicon_f1": f1(self.lexicon_f1),
            "rows": format_number(self.rows, lang),
            "own_rows": format_number(self.own_rows, lang),
            "own_model_f1": f1(self.own_model_f1),
            "own_lexicon_f1": f1(self.own_lexicon_f1),
        }
        if self.activated:
            text = translate(MSG_ACTIVATED, lang, **values)
            if self.own_model_f1 is None and self.own_rows < self.rows:
                text += " " + translate(MSG_UNCHECKED_ON_OWN, lang, needed=MIN_OWN_ROWS, **values)
            return text
        if self.model_f1 > self.lexicon_f1:
            return translate(MSG_WORSE_ON_OWN, lang, **values)
        return translate(MSG_KEPT_OFF, lang, **values)


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
    model, predicted, lexicon = _fit_and_cross_validate(analyzer, texts, labels)
    return model, macro_f1(labels, predicted), macro_f1(labels, lexicon)


def _fit_and_cross_validate(
    analyzer: SentimentAnalyzer, texts: Sequence[str], labels: Sequence[str]
) -> tuple[TrainedModel, list[str], list[str]]:
    """The model fitted on all rows, each row's label as predicted by a model that did not see
    it (stratified folds), and the lexicon's label of each row."""
    from sklearn.model_selection import StratifiedKFold

    counts = _check(labels)
    scores = analyzer.score_many(texts)
    prepared = [" ".join(analyzer.prepare(t).words) for t in texts]
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
    model = TrainedModel.fit(prepared, scores, labels)
    return model, predicted, [s.label for s in scores]


def train(
    db: Database,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    source: str,
    own: int | None = None,
) -> TrainingReport:
    """Train a model on labelled texts, store it, and activate it only when its cross-validated
    macro-F1 beats the lexicon's and, with at least :data:`MIN_OWN_ROWS` of the team's own
    corrected mentions among the rows (the last ``own`` rows; all of them when ``own`` is
    ``None``), is no worse than the lexicon's on those. Too few rows, one label only, or a label
    with under :data:`MIN_PER_CLASS` rows: ``CitraError`` with a plain message, nothing stored."""
    analyzer = SentimentAnalyzer(db, use_model=False)
    model, predicted, lexicon = _fit_and_cross_validate(analyzer, texts, labels)
    model_f1, lexicon_f1 = macro_f1(labels, predicted), macro_f1(labels, lexicon)
    own_rows = len(labels) if own is None else own
    own_model_f1 = own_lexicon_f1 = None
    if MIN_OWN_ROWS <= own_rows < len(labels):
        mine = slice(len(labels) - own_rows, None)
        own_model_f1 = macro_f1(labels[mine], predicted[mine])
        own_lexicon_f1 = macro_f1(labels[mine], lexicon[mine])
    better = model_f1 > lexicon_f1 and (own_model_f1 is None or own_model_f1 >= own_lexicon_f1)
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
        own_rows=own_rows,
        own_model_f1=own_model_f1,
        own_lexicon_f1=own_lexicon_f1,
    )


@requires(ADMIN)
def train_file(db: Database, path: str | Path) -> TrainingReport:
    """``citra sentiment train FILE.csv``: train on a ``text,label`` file and on the team's own
    corrections (hand-set labels): the coop's labels always count, and where a corrected
    mention's text is in the file too, the team's label wins."""
    texts, labels = read_labelled_csv(path)
    source = Path(path).name
    own = {r["text"]: r["label"] for r in export_labels(db)}
    if own:
        # The file's rows first, the team's after them (the team's label wins on a repeated text).
        rows = {text: label for text, label in zip(texts, labels, strict=True) if text not in own}
        rows.update(own)
        texts, labels = list(rows), list(rows.values())
        source = f"{source} + {len(own)} corrections"
    return train(db, texts, labels, source=source, own=len(own))


@requires(ADMIN)
def learn_from_corrections(db: Database) -> TrainingReport:
    """ "Learn from our corrections": train on the mentions labelled by a person."""
    rows = export_labels(db)
    return train(db, [r["text"] for r in rows], [r["label"] for r in rows], source="corrections")
