"""Sentiment for Indonesian, English and code-mixed text: VADER extended with an Indonesian
lexicon, slang, negation and koperasi vocabulary; explanations; a model learned from labels.

``from citra.sentiment import SentimentAnalyzer``. Importing this package reads nothing: the data
files are read on the first analyzer.
"""

from citra.sentiment.analyzer import Score, SentimentAnalyzer, clean_text, label_of
from citra.sentiment.training import NotEnoughLabels, TrainingReport, learn_from_corrections

__all__ = [
    "NotEnoughLabels",
    "Score",
    "SentimentAnalyzer",
    "TrainingReport",
    "clean_text",
    "label_of",
    "learn_from_corrections",
]
