"""A small model learned from labelled texts, on top of the lexicon, stored as plain JSON.

Features: TF-IDF of the analyzer's prepared tokens (so negation, intensifiers, phrases and slang
are already normalised: ``gak enak`` and ``tidak enak`` are the same feature) plus the lexicon's
compound, positive and negative scores; a multinomial logistic regression (scikit-learn) on top.
The fitted numbers (vocabulary, idf, coefficients) are stored as JSON, never pickled, and
prediction is plain arithmetic on them.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

LABELS = ("negative", "neutral", "positive")
FORMAT = "citra-sentiment-logreg/1"
# How strongly the lexicon's compound score counts next to the TF-IDF features.
LEXICON_WEIGHT = 3.0


def _vectorizer(vocabulary: dict[str, int] | None = None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        ngram_range=(1, 2),
        token_pattern=r"\S+",
        lowercase=False,
        sublinear_tf=True,
        min_df=1,
        vocabulary=vocabulary,
    )


def lexicon_features(compounds: Sequence[float]) -> list[list[float]]:
    """The lexicon's part of the features: compound split into its positive and negative parts."""
    return [
        [LEXICON_WEIGHT * c, LEXICON_WEIGHT * max(c, 0.0), LEXICON_WEIGHT * min(c, 0.0)]
        for c in compounds
    ]


@dataclass
class TrainedModel:
    """Fitted parameters: vocabulary (term -> column), idf per column, one coefficient row and
    intercept per class in ``classes``."""

    vocabulary: dict[str, int]
    idf: list[float]
    classes: list[str]
    coef: list[list[float]]
    intercept: list[float]
    meta: dict[str, Any]

    @classmethod
    def fit(
        cls,
        prepared_texts: Sequence[str],
        compounds: Sequence[float],
        labels: Sequence[str],
        *,
        c: float = 4.0,
    ) -> TrainedModel:
        """Fit on prepared token strings, their lexicon compounds and labels."""
        import numpy as np
        from scipy.sparse import csr_matrix, hstack
        from sklearn.linear_model import LogisticRegression

        vectorizer = _vectorizer()
        tfidf = vectorizer.fit_transform(prepared_texts)
        features = hstack([tfidf, csr_matrix(np.array(lexicon_features(compounds)))]).tocsr()
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model.fit(features, list(labels))
        return cls(
            vocabulary={term: int(col) for term, col in vectorizer.vocabulary_.items()},
            idf=[float(x) for x in vectorizer.idf_],
            classes=[str(x) for x in model.classes_],
            coef=[[float(x) for x in row] for row in model.coef_],
            intercept=[float(x) for x in model.intercept_],
            meta={"rows": len(labels), "c": c},
        )

    # --- storage --------------------------------------------------------------------------------

    def to_json(self) -> str:
        """The model as a JSON document (no code, nothing executable)."""
        return json.dumps(
            {
                "format": FORMAT,
                "vocabulary": self.vocabulary,
                "idf": self.idf,
                "classes": self.classes,
                "coef": self.coef,
                "intercept": self.intercept,
                "meta": self.meta,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> TrainedModel:
        """Read a model written by :meth:`to_json`; ``ValueError`` on anything else."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a Citra sentiment model (unknown format)")
        model = cls(
            vocabulary={str(k): int(v) for k, v in data["vocabulary"].items()},
            idf=[float(x) for x in data["idf"]],
            classes=[str(x) for x in data["classes"]],
            coef=[[float(x) for x in row] for row in data["coef"]],
            intercept=[float(x) for x in data["intercept"]],
            meta=dict(data.get("meta") or {}),
        )
        width = len(model.idf) + len(lexicon_features([0.0])[0])
        if len(model.vocabulary) != len(model.idf) or any(len(r) != width for r in model.coef):
            raise ValueError("model parameters do not fit together")
        rows = 1 if len(model.classes) == 2 else len(model.classes)
        if len(model.classes) < 2 or len(model.coef) != rows or len(model.intercept) != rows:
            raise ValueError("model parameters do not fit together")
        return model

    def digest(self) -> str:
        """A short content hash (identifies an unsaved model in a version string)."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:8]

    # --- prediction -----------------------------------------------------------------------------

    def probabilities(
        self, prepared_texts: Sequence[str], compounds: Sequence[float]
    ) -> list[dict[str, float]]:
        """Class probabilities per text (softmax of the linear scores)."""
        import numpy as np
        from scipy.sparse import csr_matrix, hstack

        if not prepared_texts:
            return []
        vectorizer = _vectorizer(self.vocabulary)
        vectorizer.idf_ = np.array(self.idf)
        tfidf = vectorizer.transform(prepared_texts)
        features = hstack([tfidf, csr_matrix(np.array(lexicon_features(compounds)))]).tocsr()
        scores = features @ np.array(self.coef).T + np.array(self.intercept)
        out = []
        for row in np.asarray(scores):
            if len(self.classes) == 2:  # binary: one row of coefficients, for classes[1]
                row = [0.0, float(row[0])]
            top = max(row)
            exps = [math.exp(x - top) for x in row]
            total = sum(exps)
            out.append({label: e / total for label, e in zip(self.classes, exps, strict=True)})
        return out

    def predict(
        self, prepared_texts: Sequence[str], compounds: Sequence[float]
    ) -> list[tuple[str, float]]:
        """``(label, compound)`` per text; compound = P(positive) - P(negative), in -1..1."""
        result = []
        for probs in self.probabilities(prepared_texts, compounds):
            label = max(probs, key=probs.__getitem__)
            result.append((label, probs.get("positive", 0.0) - probs.get("negative", 0.0)))
        return result
