"""Parallel scoring: the same values, in the same order, as scoring in the calling process."""

from __future__ import annotations

import random

import pytest

from citra.queries.sentiment import mention_text
from citra.sentiment import SentimentAnalyzer, parallel
from citra.sentiment.parallel import score_records

WORDS = [
    "bagus",
    "tidak",
    "ramah",
    "lambat",
    "sangat",
    "kecewa",
    "tapi",
    "mantap",
    "gagal",
    "bayar",
    "SHU",
    "😍",
    "!",
    ".",
    "koperasi",
    "tidak",
    "bisa",
    "dicairkan",
    "izin",
    "dicabut",
]


def _records(n: int) -> list[dict]:
    rng = random.Random(3)
    return [
        {
            "n": i,
            "title": " ".join(rng.choices(WORDS, k=3)) if i % 3 else None,
            "text": " ".join(rng.choices(WORDS, k=rng.randint(0, 12))),
        }
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer(custom_words=[("mantap", -2.0), ("gagal bayar", -3.5)])


def _values(records: list[dict]) -> list[tuple]:
    return [
        (
            r["n"],
            r["sentiment_compound"],
            r["sentiment_label"],
            r["risk"],
            r["risk_category"],
            r["risk_categories"],
            r["lexicon_version"],
        )
        for r in records
    ]


def test_workers_score_as_the_calling_process(analyzer: SentimentAnalyzer) -> None:
    alone = list(score_records(_records(1500), analyzer, workers=1))
    shared = list(
        score_records(_records(1500), analyzer, workers=2, parallel_min=200, batch_size=100)
    )
    assert _values(shared) == _values(alone)
    assert [r["n"] for r in shared] == list(range(1500))
    # The risk categories are carried as the analyzer gives them.
    records = _records(1500)
    scores = analyzer.score_many(mention_text(r["title"], r["text"]) for r in records)
    assert any(s.risk_category for s in scores)
    assert [(r["risk_category"], r["risk_categories"]) for r in shared] == [
        (s.risk_category, " ".join(s.risk_categories) or None) for s in scores
    ]


def test_small_inputs_start_no_workers(analyzer: SentimentAnalyzer, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("no workers for a small input")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", refuse)
    assert len(list(score_records(_records(300), analyzer, workers=2, parallel_min=500))) == 300
    assert list(score_records([], analyzer, workers=2)) == []


def test_records_are_read_lazily(analyzer: SentimentAnalyzer) -> None:
    taken = 0

    def source():
        nonlocal taken
        for record in _records(10_000):
            taken += 1
            yield record

    stream = score_records(source(), analyzer, workers=1, batch_size=100)
    next(stream)
    assert taken <= 100


def test_a_dead_worker_does_not_fail_the_run(analyzer: SentimentAnalyzer, monkeypatch) -> None:
    monkeypatch.setattr(parallel._worker, "score_batch", _die)
    records = list(
        score_records(_records(800), analyzer, workers=2, parallel_min=100, batch_size=100)
    )
    assert _values(records) == _values(list(score_records(_records(800), analyzer, workers=1)))


def _die(texts: list[str]) -> list:
    import os

    os._exit(3)


def test_worker_count_follows_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(parallel.ENV_WORKERS, "1")
    assert parallel.worker_count() == 1
    monkeypatch.delenv(parallel.ENV_WORKERS)
    assert parallel.worker_count() == parallel.available_cores() >= 1


@pytest.mark.parametrize("dies", [False, True])
def test_batch_work_runs_in_workers_in_order(
    analyzer: SentimentAnalyzer, monkeypatch, dies: bool
) -> None:
    if dies:
        monkeypatch.setattr(parallel._worker, "run_batch", _die)
    batches = list(
        parallel.prepare_batches(
            _records(800),
            analyzer,
            parallel.score_in_place,
            workers=2,
            parallel_min=100,
            batch_size=100,
        )
    )
    assert [len(batch) for batch in batches] == [100] * 8
    alone = list(score_records(_records(800), analyzer, workers=1))
    assert _values([r for batch in batches for r in batch]) == _values(alone)


def test_spawned_workers_do_not_run_the_callers_main_script() -> None:
    """``spawn`` runs the caller's main script again in each worker unless the main module is
    named as one that runs as ``__main__``; workers are spawned that way, and the caller's main
    module is left as it was."""
    import sys
    from multiprocessing import spawn

    main = sys.modules["__main__"]
    before = getattr(main, "__spec__", None)
    with parallel._main_script_kept_out():
        data = spawn.get_preparation_data("worker")
        assert "init_main_from_path" not in data
        assert data.get("init_main_from_name") == "__main__"  # which spawn skips
    assert getattr(main, "__spec__", None) is before
