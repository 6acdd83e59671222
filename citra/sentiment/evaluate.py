"""``python -m citra.sentiment.evaluate FILE.csv [--model]``: accuracy, macro-F1, confusion matrix.

Without ``--model`` the shipped lexicon and rules are measured. ``--model`` uses the active model
of the database (``--db``, else ``$CITRA_DB``, else ``data/citra.db``); ``--train TRAIN.csv``
fits a model on that file first, in memory, without touching any database.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

import click

from citra.errors import CitraError
from citra.sentiment.analyzer import SentimentAnalyzer
from citra.sentiment.training import fit_and_compare, macro_f1, read_labelled_csv
from citra.store.sentiment import LABELS


def confusion(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, int]]:
    """``matrix[true_label][predicted_label]`` counts over the three labels."""
    matrix = {t: dict.fromkeys(LABELS, 0) for t in LABELS}
    for t, p in zip(truth, predicted, strict=True):
        matrix[t][p] += 1
    return matrix


def report(truth: Sequence[str], predicted: Sequence[str]) -> str:
    """The evaluation as text: rows, accuracy, macro-F1 and the confusion matrix."""
    n = len(truth)
    accuracy = sum(t == p for t, p in zip(truth, predicted, strict=True)) / n if n else 0.0
    lines = [
        f"rows      {n}",
        f"accuracy  {accuracy:.3f}",
        f"macro-F1  {macro_f1(truth, predicted):.3f}",
        "",
        "true \\ predicted  " + "  ".join(f"{label:>8}" for label in LABELS),
    ]
    matrix = confusion(truth, predicted)
    for t in LABELS:
        lines.append(f"{t:<17} " + "  ".join(f"{matrix[t][p]:>8}" for p in LABELS))
    return "\n".join(lines)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--model", "use_model", is_flag=True, help="Use the database's active model.")
@click.option(
    "--train",
    "train_file",
    type=click.Path(dir_okay=False),
    help="Fit a model on this text,label CSV first (in memory) and evaluate it.",
)
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="Database for --model.")
def main(file: str, use_model: bool, train_file: str | None, db_path: str | None) -> None:
    """Evaluate the sentiment analyzer on a text,label CSV file."""
    try:
        texts, truth = read_labelled_csv(file)
        if train_file:
            analyzer = SentimentAnalyzer()
            train_texts, train_labels = read_labelled_csv(train_file)
            model, model_f1, lexicon_f1 = fit_and_compare(analyzer, train_texts, train_labels)
            click.echo(
                f"trained on {train_file}: CV macro-F1 {model_f1:.3f} (lexicon {lexicon_f1:.3f})"
            )
            analyzer = SentimentAnalyzer(model=model)
        elif use_model:
            from citra import store

            analyzer = SentimentAnalyzer(store.open_db(db_path, create=False))
            if analyzer.model is None:
                raise CitraError("The database has no active model; train one first.")
        else:
            analyzer = SentimentAnalyzer()
    except CitraError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    analyzer.score_many(texts[:20])  # load libraries and caches outside the timing
    started = time.perf_counter()
    predicted = [score.label for score in analyzer.score_many(texts)]
    elapsed = time.perf_counter() - started
    click.echo(f"file      {file}")
    click.echo(f"analyzer  {analyzer.version}{' (model)' if analyzer.model else ''}")
    click.echo(report(truth, predicted))
    click.echo(f"\n{len(texts) / elapsed if elapsed else 0:,.0f} texts/s")


if __name__ == "__main__":  # pragma: no cover
    main()
