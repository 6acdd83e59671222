"""Re-scoring stored mentions when the lexicon, the custom words or the active model change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableMapping
from itertools import islice
from typing import Any

from sqlite_utils import Database

from citra.queries.sentiment import mention_text
from citra.sentiment.analyzer import SentimentAnalyzer, analyzer_version
from citra.store.sentiment import invalidate_scores, write_scores

BATCH_SIZE = 500

_PENDING = "(lexicon_version IS NULL OR lexicon_version != ?)"


def pending_count(db: Database, version: str | None = None) -> int:
    """How many mentions were scored by another analyzer version (or never)."""
    version = version or analyzer_version(db)
    return db.execute(f"SELECT count(*) FROM mentions WHERE {_PENDING}", [version]).fetchone()[0]


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
    last_seq = -1
    while True:
        rows = db.execute(
            f"SELECT seq, title, text, sentiment_source FROM mentions WHERE seq > ? AND {_PENDING} "
            "ORDER BY seq LIMIT ?",
            [last_seq, version, batch_size],
        ).fetchall()
        if not rows:
            break
        last_seq = rows[-1][0]
        scores = analyzer.score_many(mention_text(title, text) for _, title, text, _ in rows)
        auto, manual = [], []
        for (seq, _, _, source), score in zip(rows, scores, strict=True):
            categories = " ".join(score.risk_categories) or None
            if source == "manual":
                manual.append((score.risk, score.risk_category, categories, seq))
            else:
                auto.append(
                    (score.compound, score.label, score.risk, score.risk_category, categories, seq)
                )
            result["risk"] += int(score.risk)
        write_scores(db, version, auto, manual)
        result["scored"] += len(auto)
        result["manual"] += len(manual)
        done += len(rows)
        if progress is not None:
            progress(min(done, total), total)
    return result


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
    inserting it and updating it again. Records are consumed and yielded lazily (one batch in
    memory at a time); an empty input yields nothing.
    """
    iterator = iter(records)
    while batch := list(islice(iterator, batch_size)):
        scores = analyzer.score_many(mention_text(r.get("title"), r.get("text")) for r in batch)
        for record, score in zip(batch, scores, strict=True):
            record["sentiment_compound"] = score.compound
            record["sentiment_label"] = score.label
            record["risk"] = int(score.risk)
            record["risk_category"] = score.risk_category
            record["risk_categories"] = " ".join(score.risk_categories) or None
            record["lexicon_version"] = analyzer.version
            yield record
