"""Re-scoring stored mentions when the lexicon, the custom words or the active model change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableMapping
from typing import Any

from sqlite_utils import Database

from citra.access import EDITOR, requires
from citra.queries.sentiment import pending_from_counts
from citra.sentiment.analyzer import SentimentAnalyzer, analyzer_version
from citra.sentiment.parallel import score_records
from citra.store.sentiment import invalidate_scores, write_scores

BATCH_SIZE = 500

_PENDING = "(lexicon_version IS NULL OR lexicon_version != ?)"


def pending_count(db: Database, version: str | None = None) -> int:
    """How many mentions were scored by another analyzer version (or never)."""
    version = version or analyzer_version(db)
    # From the per-version counts (migration speed_001), not a scan of every mention.
    return pending_from_counts(db, version)


@requires(EDITOR)
def rescore(
    db: Database,
    *,
    all: bool = False,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    analyzer: SentimentAnalyzer | None = None,
) -> dict[str, Any]:
    """Score the mentions whose ``lexicon_version`` differs from the analyzer's (or is NULL).

    ``all=True`` first marks every mention as pending. Mentions labelled by a person keep their
    label; they only get the risk flag and the version. Each batch is its own transaction, so an
    interrupted run loses at most one batch and the next run carries on where it stopped.
    Costs one count query when nothing is pending. ``progress(done, total)`` is called after each
    batch. Returns ``{"version", "scored", "manual", "risk", "pending_before"}`` (counts of
    mentions).
    """
    if all:
        invalidate_scores(db)
    version = analyzer.version if analyzer is not None else analyzer_version(db)
    total = pending_count(db, version)
    result: dict[str, Any] = {
        "version": version,
        "scored": 0,
        "manual": 0,
        "risk": 0,
        "pending_before": total,
    }
    if total == 0:
        return result
    if analyzer is None:
        analyzer = SentimentAnalyzer(db)
    done = 0
    batch: list[dict[str, Any]] = []
    for record in score_records(_pending_rows(db, version, batch_size), analyzer):
        batch.append(record)
        if len(batch) >= batch_size:
            _write(db, version, batch, result)
            done += len(batch)
            batch = []
            if progress is not None:
                progress(min(done, total), total)
    if batch:
        _write(db, version, batch, result)
        done += len(batch)
        if progress is not None:
            progress(min(done, total), total)
    return result


def _pending_rows(db: Database, version: str, batch_size: int) -> Iterator[dict[str, Any]]:
    """The pending mentions in ``seq`` order, read a batch at a time (reading runs ahead of
    the writes; a mention already read is past ``last_seq`` and is not read again)."""
    last_seq = -1
    while True:
        rows = db.execute(
            f"SELECT seq, title, text, sentiment_source FROM mentions WHERE seq > ? AND {_PENDING} "
            "ORDER BY seq LIMIT ?",
            [last_seq, version, batch_size],
        ).fetchall()
        if not rows:
            return
        last_seq = rows[-1][0]
        for seq, title, text, source in rows:
            yield {"seq": seq, "title": title, "text": text, "sentiment_source": source}


def _write(db: Database, version: str, batch: list[dict[str, Any]], result: dict[str, Any]) -> None:
    auto, manual = [], []
    for record in batch:
        risk = bool(record["risk"])
        category, categories, seq = (
            record["risk_category"],
            record["risk_categories"],
            record["seq"],
        )
        if record["sentiment_source"] == "manual":
            manual.append((risk, category, categories, seq))
        else:
            auto.append(
                (
                    record["sentiment_compound"],
                    record["sentiment_label"],
                    risk,
                    category,
                    categories,
                    seq,
                )
            )
        result["risk"] += int(risk)
    write_scores(db, version, auto, manual)
    result["scored"] += len(auto)
    result["manual"] += len(manual)


def with_scores(
    records: Iterable[MutableMapping[str, Any]],
    analyzer: SentimentAnalyzer,
    *,
    batch_size: int = BATCH_SIZE,
) -> Iterator[MutableMapping[str, Any]]:
    """Mention records with their sentiment filled in as they stream by, in batches.

    Sets ``sentiment_compound``, ``sentiment_label``, ``risk``, ``risk_category``,
    ``risk_categories`` and ``lexicon_version`` from the
    record's title and text, so an import writes each mention once, already scored, instead of
    inserting it and updating it again. Records are consumed and yielded lazily, in order; a
    large input is scored by worker processes while the caller reads and writes
    (:func:`citra.sentiment.parallel.score_records`). An empty input yields nothing.
    """
    return score_records(records, analyzer, batch_size=batch_size)
