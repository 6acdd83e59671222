"""What a scoring worker process runs (see ``citra.sentiment.parallel``).

Kept apart and light, so a worker imports the analyzer and nothing else. ``sqlite_utils`` (which
the analyzer module imports) loads pandas and numpy whenever they are installed: about 90 MB a
process that a worker never uses. :func:`start`, which runs only in a worker, keeps them out
when the worker has not loaded them yet.
"""

from __future__ import annotations

import gc
import pickle
import sys
from typing import Any

_analyzer: Any = None
_work: Any = None


def start(
    custom_words: list[tuple[str, float]],
    model: Any,
    risk_phrases: list[tuple[str, str]] = (),
    work: bytes | None = None,
    not_risk_phrases: list[str] = (),
) -> None:
    """Build the analyzer once: the caller's custom words (which include the organisation
    names), its model and the coop's risk and not-a-risk phrases; keep ``work``, what :func:`run_batch` runs
    (see ``citra.sentiment.parallel.prepare_batches``), given pickled: it is unpickled here,
    once pandas and numpy are kept out, as the modules it names are imported."""
    global _analyzer, _work
    for name in ("pandas", "numpy"):
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
    _work = pickle.loads(work) if work is not None else None
    from citra.sentiment.analyzer import SentimentAnalyzer

    _analyzer = SentimentAnalyzer(
        custom_words=custom_words,
        model=model,
        use_model=model is not None,
        risk_phrases=risk_phrases,
        not_risk_phrases=not_risk_phrases,
    )
    # The analyzer's lexicons and caches live as long as the worker: kept out of the garbage
    # collector's full passes, which otherwise walk them again and again as batches come and go.
    gc.freeze()


def score_batch(texts: list[str]) -> list[tuple[float, str, bool, str | None, str | None]]:
    """``(compound, label, risk, risk_category, risk_categories)`` of each text (see
    ``SentimentAnalyzer.score_values``)."""
    assert _analyzer is not None, "worker not initialised"
    return _analyzer.score_values(texts)


def run_batch(records: list[Any]) -> Any:
    """``work(records, analyzer)``, the work the worker was started with."""
    assert _analyzer is not None and _work is not None, "worker not initialised"
    return _work(records, _analyzer)
