"""Scoring a stream of mention records on every core while the caller reads and writes.

:func:`score_records` takes an iterator of mention records (``title``, ``text``) and yields them
scored, in their order, as they stream by. The caller's process keeps doing what only it can
(reading the input, writing to the one SQLite file); worker processes score. At most
``WINDOW_PER_WORKER`` batches per worker are out at a time, so memory stays bounded whatever
the input's size. :func:`prepare_batches` does the same for any picklable batch work that
scores (an import's: ids, attribution, scores and the stored rows, ``collectors.finishing``), so
the workers take everything but reading and writing.

Small inputs (fewer than :data:`PARALLEL_MIN` records) and machines with one core are scored in
the calling process: starting workers costs about a second. A worker that dies does not fail the
import: the batches still out are scored in the calling process, and so is the rest.

Workers are started with the ``spawn`` method (as on Windows and macOS): safe in a process that
runs threads (the dashboard), and each worker builds its own analyzer from the caller's custom
words and model, so it scores exactly as the caller's would. A spawned worker does not run the
caller's main script again (what ``spawn`` does by default: a dashboard's, a benchmark's, with
whatever it imports, pandas and numpy among them, about 90 MB a worker): everything a worker runs
lives in importable modules.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from importlib.machinery import ModuleSpec
from itertools import islice
from typing import Any

from citra.queries.sentiment import mention_text
from citra.sentiment import _worker
from citra.sentiment.analyzer import SentimentAnalyzer, Values

BATCH_SIZE = 500
# Inputs shorter than this are scored in the calling process.
PARALLEL_MIN = 5_000
# Batches handed to the workers and not yet given back, per worker: enough to keep them busy
# while the importing process catches its paused triggers up (``citra.store.bulk``).
WINDOW_PER_WORKER = 8
ENV_WORKERS = "CITRA_SCORE_WORKERS"

Record = MutableMapping[str, Any]
# What :func:`prepare_batches` runs on each batch: ``work(records, analyzer)``.
BatchWork = Callable[[list[Record], SentimentAnalyzer], Any]

log = logging.getLogger(__name__)


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count() -> int:
    """How many scoring workers to start: ``$CITRA_SCORE_WORKERS`` if set, else one per core
    (0 or 1 means score in the calling process)."""
    configured = os.environ.get(ENV_WORKERS, "").strip()
    if configured.isdigit():
        return int(configured)
    return available_cores()


def score_records(
    records: Iterable[Record],
    analyzer: SentimentAnalyzer,
    *,
    batch_size: int = BATCH_SIZE,
    workers: int | None = None,
    parallel_min: int = PARALLEL_MIN,
) -> Iterator[Record]:
    """Yield each record with ``sentiment_compound``, ``sentiment_label``, ``risk`` (0/1),
    ``risk_category``, ``risk_categories`` (space-separated, or None) and ``lexicon_version`` set from its title and text, in input order.

    ``workers`` defaults to :func:`worker_count`. The first ``parallel_min`` records are scored
    in this process; workers start only if more follow. Records are consumed lazily: at most
    ``batch_size * workers * WINDOW_PER_WORKER`` of them are held at a time. An empty input
    yields nothing.
    """
    iterator = iter(records)
    workers = worker_count() if workers is None else workers
    scored = 0
    while batch := list(islice(iterator, batch_size)):
        yield from _fill(batch, analyzer.score_values(_texts(batch)), analyzer.version)
        scored += len(batch)
        if scored >= parallel_min and workers > 1:
            break
    else:
        return
    yield from _score_in_workers(iterator, analyzer, batch_size, workers)


def score_in_place(
    batch: list[Record], analyzer: SentimentAnalyzer, version: str | None = None
) -> list[Record]:
    """Set the fields :func:`score_records` sets on each record of ``batch``, scored by
    ``analyzer`` here; ``lexicon_version`` is ``version`` (default: the analyzer's)."""
    values = analyzer.score_values(_texts(batch))
    return _fill(batch, values, analyzer.version if version is None else version)


def _texts(batch: list[Record]) -> list[str]:
    return [mention_text(r.get("title"), r.get("text")) for r in batch]


def _fill(batch: list[Record], values: list[Values], version: str) -> list[Record]:
    for record, (compound, label, risk, category, categories) in zip(batch, values, strict=True):
        record["sentiment_compound"] = compound
        record["sentiment_label"] = label
        record["risk"] = int(risk)
        record["risk_category"] = category
        record["risk_categories"] = categories
        record["lexicon_version"] = version
    return batch


def prepare_batches(
    records: Iterable[Record],
    analyzer: SentimentAnalyzer,
    work: BatchWork,
    *,
    batch_size: int | None = None,
    workers: int | None = None,
    parallel_min: int | None = None,
) -> Iterator[Any]:
    """Yield ``work(batch, analyzer)`` for each batch of ``batch_size`` records, in input order.

    ``work`` is a picklable callable that does, on each batch, everything that needs neither the
    database nor the caller's state (an import: ids, attribution, scoring, the stored row), so
    the caller's process only reads and writes. It runs in worker processes (each with its own
    analyzer, as :func:`score_records`'s) once ``parallel_min`` records have been done in this
    process, and in this process for a small input, on one core, or once a worker has died.
    ``workers`` and the memory bound are as for :func:`score_records`; ``batch_size`` and
    ``parallel_min`` default to :data:`BATCH_SIZE` and :data:`PARALLEL_MIN`.
    """
    iterator = iter(records)
    workers = worker_count() if workers is None else workers
    batch_size = BATCH_SIZE if batch_size is None else batch_size
    parallel_min = PARALLEL_MIN if parallel_min is None else parallel_min
    done = 0
    while batch := list(islice(iterator, batch_size)):
        yield work(batch, analyzer)
        done += len(batch)
        if done >= parallel_min and workers > 1:
            break
    else:
        return
    yield from _in_workers(
        iterator,
        analyzer,
        batch_size,
        workers,
        remote=lambda batch: (_worker.run_batch, batch),
        local=lambda batch, result: work(batch, analyzer) if result is None else result,
        work=work,
    )


def _score_in_workers(
    iterator: Iterator[Record], analyzer: SentimentAnalyzer, batch_size: int, workers: int
) -> Iterator[Record]:
    version = analyzer.version

    def fill(batch: list[Record], values: list[Values] | None) -> list[Record]:
        if values is None:
            values = analyzer.score_values(_texts(batch))
        return _fill(batch, values, version)

    for scored in _in_workers(
        iterator,
        analyzer,
        batch_size,
        workers,
        remote=lambda batch: (_worker.score_batch, _texts(batch)),
        local=fill,
    ):
        yield from scored


@contextmanager
def _main_script_kept_out() -> Iterator[None]:
    """Workers spawned meanwhile do not run the caller's main script again: ``spawn`` skips the
    main module when it is named as one that runs as ``__main__`` (``multiprocessing.spawn``)."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    spec = getattr(main, "__spec__", None)
    main.__spec__ = ModuleSpec("__main__", None)
    try:
        yield
    finally:
        main.__spec__ = spec


def _in_workers(
    iterator: Iterator[Record],
    analyzer: SentimentAnalyzer,
    batch_size: int,
    workers: int,
    *,
    remote: Callable[[list[Record]], tuple[Callable[..., Any], Any]],
    local: Callable[[list[Record], Any], Any],
    work: BatchWork | None = None,
) -> Iterator[Any]:
    """``local(batch, result)`` for each batch in order, ``result`` being what the worker call
    ``remote(batch)`` names (a function and its argument) gave, or ``None`` when no worker could
    (``local`` then does the batch itself)."""
    window = workers * WINDOW_PER_WORKER
    pending: deque[tuple[list[Record], Future[Any] | None]] = deque()
    pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker.start,
        initargs=(
            analyzer.custom_words,
            analyzer.model,
            analyzer.risk_phrases,
            None if work is None else pickle.dumps(work),
            analyzer.not_risk_phrases,
        ),
    )

    def finish(batch: list[Record], future: Future[Any] | None) -> Any:
        nonlocal pool
        result = None
        if future is not None:
            try:
                result = future.result()
            except BrokenProcessPool:
                if pool is not None:
                    log.warning("a scoring worker stopped; scoring the rest in this process")
                    pool.shutdown(wait=False, cancel_futures=True)
                pool = None
        return local(batch, result)

    try:
        while batch := list(islice(iterator, batch_size)):
            future = None
            if pool is not None:
                try:
                    with _main_script_kept_out():  # a submit may spawn a worker
                        future = pool.submit(*remote(batch))
                except BrokenProcessPool:
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = None
            pending.append((batch, future))
            while len(pending) >= window or (pending and pool is None):
                yield finish(*pending.popleft())
        while pending:
            yield finish(*pending.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
