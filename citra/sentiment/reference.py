"""The straightforward analyzer the fast path is held to (by ``tests/test_sentiment_parity.py``).

:class:`ReferenceAnalyzer` scores a text the plain way: ``SentimentAnalyzer.prepare`` (clean,
tokenise, normalise, phrases, rule words, roots), then vaderSentiment's own
``SentimentIntensityAnalyzer.sentiment_valence``, ``_but_check`` and ``score_valence`` over the
prepared words (``SentimentAnalyzer._sentiments``). It is what ``SentimentAnalyzer`` scored with
before the fast path, and what it must keep scoring: same numbers to 1e-9 on any text.

Slow (it lower-cases a text's words several times per lexicon word); not for production use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from citra.sentiment import risk
from citra.sentiment.analyzer import Score, SentimentAnalyzer, Values, label_of, stored_values


class ReferenceAnalyzer(SentimentAnalyzer):
    """``SentimentAnalyzer`` with its scoring done by ``prepare`` + VADER's rule methods."""

    def polarity_scores(self, text: Any) -> dict[str, float]:
        prepared = self.prepare(text)
        return self._vader.score_valence(self._sentiments(prepared), prepared.punctuation)

    def score_many(self, texts: Iterable[Any]) -> list[Score]:
        prepared = [self.prepare(text) for text in texts]
        lexical = [self._vader.score_valence(self._sentiments(p), p.punctuation) for p in prepared]
        if self.model is not None and prepared:
            predictions = self.model.predict([" ".join(p.words) for p in prepared], lexical)
        else:
            predictions = [(label_of(s["compound"]), s["compound"]) for s in lexical]
        return [
            Score(
                compound=round(float(compound), 4),
                label=label,
                risk=bool(p.risk_terms),
                neg=s["neg"],
                neu=s["neu"],
                pos=s["pos"],
                risk_terms=tuple(p.risk_terms),
                risk_categories=tuple(categories := risk.categories_of(p.risk_hits)),
                risk_category=risk.primary(categories),
            )
            for p, s, (label, compound) in zip(prepared, lexical, predictions, strict=True)
        ]

    def score_values(self, texts: Iterable[Any]) -> list[Values]:
        return [stored_values(s) for s in self.score_many(texts)]
