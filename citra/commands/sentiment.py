"""Sentiment commands: ``rescore`` and the ``sentiment`` group (train, learn, words, export,
explain)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from citra import pipeline
from citra.commands.context import Context, echo_json, pass_context
from citra.errors import CitraError
from citra.exports import private_file
from citra.queries.sentiment import active_model_info, export_labels, list_custom_words
from citra.sentiment import SentimentAnalyzer
from citra.sentiment.display import labels_csv
from citra.sentiment.model import model_reasons
from citra.sentiment.rescore import pending_count
from citra.sentiment.training import learn_from_corrections, train_file
from citra.store.sentiment import add_custom_word, remove_custom_word


def _summary(result: dict) -> str:
    return (
        f"Re-scored {result['scored']:,} mentions, refreshed the risk flag of "
        f"{result['manual']:,} hand-labelled ones; {result['risk']:,} carry a risk term "
        f"(analyzer {result['version']})."
    )


@click.command("rescore")
@click.option(
    "--all", "rescore_all", is_flag=True, help="Re-score every mention, not only stale ones."
)
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@pass_context
def rescore_command(obj: Context, rescore_all: bool, as_json: bool) -> None:
    """Re-score mentions scored by an older lexicon, custom words or model (or all).

    Hand-set labels are kept. Safe to interrupt: the next run carries on.
    """
    db = obj.db
    if sys.stdout.isatty() and not as_json:
        total = pending_count(db) if not rescore_all else db["mentions"].count
        with click.progressbar(length=max(total, 1), label="Re-scoring") as bar:
            state = {"done": 0}

            def progress(done: int, _total: int) -> None:
                bar.update(done - state["done"])
                state["done"] = done

            result = pipeline.rescore(db, all=rescore_all, progress=progress)
    else:
        result = pipeline.rescore(db, all=rescore_all)
    if as_json:
        echo_json(result)
    else:
        click.echo(_summary(result))


@click.group()
def sentiment() -> None:
    """Train, inspect and adjust the sentiment analyzer."""


@sentiment.command("train")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_context
def sentiment_train(obj: Context, file: str) -> None:
    """Train a model on a text,label CSV plus the team's corrections; switched on only if it
    beats the lexicon."""
    click.echo(train_file(obj.db, file).message)


@sentiment.command("learn")
@pass_context
def sentiment_learn(obj: Context) -> None:
    """Learn from the team's corrections (hand-set labels); switched on only if better."""
    click.echo(learn_from_corrections(obj.db).message)


@sentiment.group("words")
def words() -> None:
    """Add, remove or list this installation's custom words."""


@words.command("add")
@click.argument("term")
@click.argument("valence", type=float)
@click.option("--note", help="Why the word is here.")
@pass_context
def words_add(obj: Context, term: str, valence: float, note: str | None) -> None:
    """Add or override TERM with VALENCE (-4..4; 0 makes it neutral, e.g. a product name)."""
    stored = add_custom_word(obj.db, term, valence, note)
    click.echo(f"Custom word saved: {stored} = {valence:g}. Run `rescore` to apply it.")


@words.command("remove")
@click.argument("term")
@pass_context
def words_remove(obj: Context, term: str) -> None:
    """Remove a custom word."""
    if not remove_custom_word(obj.db, term):
        raise CitraError("No custom word '{term}'.", term=term)
    click.echo(f"Custom word removed: {term}. Run `rescore` to apply it.")


@words.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def words_list(obj: Context, as_json: bool) -> None:
    """List the custom words."""
    found = list_custom_words(obj.db)
    if as_json:
        echo_json(found)
        return
    if not found:
        click.echo("No custom words yet. Add one with: python -m citra sentiment words add TERM 0")
    for word in found:
        click.echo(f"{word['term']}\t{word['valence']:g}\t{word['note'] or ''}")


@sentiment.command("export-labels")
@click.argument("out", type=click.Path(dir_okay=False))
@pass_context
def export_labels_command(obj: Context, out: str) -> None:
    """Write the hand-labelled mentions to OUT as a text,label CSV (for training)."""
    rows = export_labels(obj.db)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    private_file(path).write_text(labels_csv(rows), encoding="utf-8", newline="")
    click.echo(f"Wrote {len(rows):,} labelled mentions to {path}")


@sentiment.command("explain")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def sentiment_explain(obj: Context, text: str, as_json: bool) -> None:
    """Show the label of TEXT and the words, valences and rules behind it."""
    analyzer = SentimentAnalyzer(obj.db)
    score = analyzer.score(text)
    reasons = analyzer.explain(text)
    learned = model_reasons(analyzer, text)
    if as_json:
        echo_json({**score.as_dict(), "reasons": reasons, "model_reasons": learned})
        return
    click.echo(f"{score.label} (compound {score.compound:+.3f}){'  RISK' if score.risk else ''}")
    if analyzer.model is not None:
        info = active_model_info(obj.db)
        click.echo(f"label by trained model {info['id'] if info else ''}; its strongest terms:")
        for reason in learned:
            click.echo(f"  {reason['word']:<24} {reason['weight']:+.2f}  model")
        click.echo("lexicon reasons:")
    for reason in reasons:
        click.echo(f"  {reason['word']:<24} {reason['valence']:+.2f}  {reason['rule']}")
    if not reasons:
        click.echo("  (no word carried sentiment)")
