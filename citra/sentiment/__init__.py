"""Sentiment for Indonesian, English and code-mixed text: VADER extended with an Indonesian
lexicon, slang, negation and koperasi vocabulary; explanations; a model learned from labels.

``from citra.sentiment import SentimentAnalyzer``. Importing this package reads nothing and
imports nothing heavy: the names below load on first use (a scoring worker process imports
``citra.sentiment._worker`` without the rest), and the data files on the first analyzer.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from citra.sentiment import compiled

# ``citra.sentiment.fast`` is the compiled module only where it was built from the fast.py
# beside it (see citra.sentiment.compiled).
compiled.install()

if TYPE_CHECKING:
    from citra.sentiment.analyzer import Score, SentimentAnalyzer, clean_text, label_of
    from citra.sentiment.training import (
        NotEnoughLabels,
        TrainingReport,
        learn_from_corrections,
    )

_EXPORTS = {
    "NotEnoughLabels": "citra.sentiment.training",
    "Score": "citra.sentiment.analyzer",
    "SentimentAnalyzer": "citra.sentiment.analyzer",
    "TrainingReport": "citra.sentiment.training",
    "clean_text": "citra.sentiment.analyzer",
    "label_of": "citra.sentiment.analyzer",
    "learn_from_corrections": "citra.sentiment.training",
}

__all__ = [
    "NotEnoughLabels",
    "Score",
    "SentimentAnalyzer",
    "TrainingReport",
    "clean_text",
    "label_of",
    "learn_from_corrections",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'citra.sentiment' has no attribute {name!r}")
