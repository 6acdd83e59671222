"""A small model learned from labelled texts, on top of the lexicon, stored as plain JSON.

Features: TF-IDF of the analyzer's prepared tokens, as words and word pairs and as character
n-grams (``char_wb`` 2-5; so negation, intensifiers, phrases and slang are already normalised:
``gak enak`` and ``tidak enak`` are the same feature), plus the lexicon's compound, positive,
negative and neutral scores, weighted by :data:`LEXICON_WEIGHT`; a multinomial logistic regression
(scikit-learn, balanced class weights) on top.

The settings (:data:`C`, :data:`LEXICON_WEIGHT`) were chosen by repeated 5-fold cross-validation
on the NusaX-id training file only (``python bench/eval_learned.py --select`` prints the grid and
the choice): the grid is flat within one standard error, so the weight taken is the one that is
best whatever C is, then the best C at it. A weight under 1 shrinks the lexicon's coefficients
harder than the words' (the lexicon was tuned on that same training file, so cross-validation
there over-rates it).

The fitted numbers (vocabulary, idf, coefficients; the lexicon weight folded into the lexicon's
coefficients) are stored as JSON, never pickled, and prediction is plain arithmetic on them.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

LABELS = ("negative", "neutral", "positive")
FORMAT = "citra-sentiment-logreg/1"
C = 8.0
LEXICON_WEIGHT = 0.5
LEXICON_FEATURES = 6
# Character n-grams of one training text only are dropped (words and word pairs are all kept: the
# rare ones carry over to English and informal text better than cross-validation on NusaX shows).
MIN_DF_CHAR = 2
# At most this many words and word pairs, and as many character n-grams (the most frequent): the
# NusaX file (491 rows) has fewer; on 2,400 rows the cap halves the model (4.9 -> 2.4 MB) and the
# training time at the same cross-validated macro-F1 (0.856 -> 0.857).
MAX_TERMS = 20_000
DIGITS = 6  # significant digits kept of each stored number


def _vectorizer(kind: str, vocabulary: dict[str, int] | None = None, min_df: int = 1) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    cap = MAX_TERMS if vocabulary is None else None
    if kind == "word":
        return TfidfVectorizer(
            ngram_range=(1, 2),
            token_pattern=r"\S+",
            lowercase=False,
            sublinear_tf=True,
            min_df=min_df,
            max_features=cap,
            vocabulary=vocabulary,
        )
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        lowercase=False,
        sublinear_tf=True,
        min_df=min_df,
        max_features=cap,
        vocabulary=vocabulary,
    )


def _round(x: float) -> float:
    return float(f"{x:.{DIGITS}g}")


def fit_vectorizers(prepared_texts: Sequence[str]) -> list[Any]:
    """The word and character TF-IDF vectorizers fitted on ``prepared_texts``."""
    return [
        _vectorizer("word").fit(prepared_texts),
        _vectorizer("char", min_df=MIN_DF_CHAR).fit(prepared_texts),
    ]


def fit_logistic(matrix: Any, labels: Sequence[str], c: float) -> Any:
    """The logistic regression on a feature matrix, on one thread (the BLAS threads of a shared
    machine made a half-second fit take several seconds)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(
            matrix, list(labels)
        )


def lexicon_features(scores: Sequence[Mapping[str, float]]) -> list[list[float]]:
    """The lexicon's part of the features, from VADER-style score dicts: compound, its positive
    and negative parts, and the pos / neg / neu proportions."""
    rows = []
    for s in scores:
        c = float(s["compound"])
        rows.append(
            [c, max(c, 0.0), min(c, 0.0), float(s["pos"]), float(s["neg"]), float(s["neu"])]
        )
    return rows


def features(
    vectorizers: Sequence[Any],
    texts: Sequence[str],
    scores: Sequence[Any],
    lexicon_weight: float = 1.0,
) -> Any:
    """The feature matrix: the vectorizers' TF-IDF columns, then the lexicon's, times
    ``lexicon_weight``."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack

    parts = [v.transform(texts) for v in vectorizers]
    lexical = np.array(lexicon_features(scores), dtype=float).reshape(-1, LEXICON_FEATURES)
    parts.append(csr_matrix(lexical * lexicon_weight))
    return hstack(parts).tocsr()


@dataclass
class TrainedModel:
    """Fitted parameters: vocabulary (term -> column), idf per column, one coefficient row and
    intercept per class in ``classes``."""

    vocabulary: dict[str, int]
    idf: list[float]
    char_vocabulary: dict[str, int]
    char_idf: list[float]
    classes: list[str]
    coef: list[list[float]]
    intercept: list[float]
    meta: dict[str, Any]
    # Vectorizers and arrays rebuilt from the numbers above on first use (not part of equality).
    _compiled: Any = field(default=None, init=False, repr=False, compare=False)
    _names: Any = field(default=None, init=False, repr=False, compare=False)  # column -> term

    @classmethod
    def fit(
        cls,
        prepared_texts: Sequence[str],
        scores: Sequence[Mapping[str, float]],
        labels: Sequence[str],
        *,
        c: float = C,
        lexicon_weight: float = LEXICON_WEIGHT,
    ) -> TrainedModel:
        """Fit on prepared token strings, their lexicon score dicts and labels."""
        word, char = fit_vectorizers(prepared_texts)
        model = fit_logistic(
            features([word, char], prepared_texts, scores, lexicon_weight), labels, c
        )
        return cls.from_fitted(word, char, model, lexicon_weight, rows=len(labels))

    @classmethod
    def from_fitted(
        cls, word: Any, char: Any, model: Any, lexicon_weight: float, *, rows: int
    ) -> TrainedModel:
        """The stored form of fitted vectorizers and logistic regression; the lexicon weight
        is folded into the lexicon's coefficients, so prediction needs no setting."""
        coef = [[_round(x) for x in row] for row in model.coef_]
        for row in coef:
            for i in range(len(row) - LEXICON_FEATURES, len(row)):
                row[i] = _round(row[i] * lexicon_weight)
        return cls(
            vocabulary={term: int(col) for term, col in word.vocabulary_.items()},
            idf=[_round(x) for x in word.idf_],
            char_vocabulary={term: int(col) for term, col in char.vocabulary_.items()},
            char_idf=[_round(x) for x in char.idf_],
            classes=[str(x) for x in model.classes_],
            coef=coef,
            intercept=[_round(x) for x in model.intercept_],
            meta={"rows": rows, "c": model.C, "lexicon_weight": lexicon_weight},
        )

    # --- storage --------------------------------------------------------------------------------

    def to_json(self) -> str:
        """The model as a JSON document (no code, nothing executable)."""
        return json.dumps(
            {
                "format": FORMAT,
                "vocabulary": self.vocabulary,
                "idf": self.idf,
                "char_vocabulary": self.char_vocabulary,
                "char_idf": self.char_idf,
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
            char_vocabulary={str(k): int(v) for k, v in data["char_vocabulary"].items()},
            char_idf=[float(x) for x in data["char_idf"]],
            classes=[str(x) for x in data["classes"]],
            coef=[[float(x) for x in row] for row in data["coef"]],
            intercept=[float(x) for x in data["intercept"]],
            meta=dict(data.get("meta") or {}),
        )
        width = len(model.idf) + len(model.char_idf) + LEXICON_FEATURES
        if (
            len(model.vocabulary) != len(model.idf)
            or len(model.char_vocabulary) != len(model.char_idf)
            or any(len(r) != width for r in model.coef)
        ):
            raise ValueError("model parameters do not fit together")
        rows = 1 if len(model.classes) == 2 else len(model.classes)
        if len(model.classes) < 2 or len(model.coef) != rows or len(model.intercept) != rows:
            raise ValueError("model parameters do not fit together")
        return model

    def digest(self) -> str:
        """A short content hash (identifies an unsaved model in a version string)."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:8]

    # --- prediction -----------------------------------------------------------------------------

    def _compile(self) -> tuple[list[Any], Any, Any]:
        import numpy as np

        if self._compiled is None:
            word = _vectorizer("word", self.vocabulary)
            word.idf_ = np.array(self.idf)
            char = _vectorizer("char", self.char_vocabulary)
            char.idf_ = np.array(self.char_idf)
            self._compiled = ([word, char], np.array(self.coef).T, np.array(self.intercept))
        return self._compiled

    def probabilities(
        self, prepared_texts: Sequence[str], scores: Sequence[Mapping[str, float]]
    ) -> list[dict[str, float]]:
        """Class probabilities per text (softmax of the linear scores)."""
        import numpy as np

        if not prepared_texts:
            return []
        vectorizers, coef, intercept = self._compile()
        linear = features(vectorizers, prepared_texts, scores) @ coef + intercept
        out = []
        for row in np.asarray(linear):
            if len(self.classes) == 2:  # binary: one row of coefficients, for classes[1]
                row = [0.0, float(row[0])]
            top = max(row)
            exps = [math.exp(x - top) for x in row]
            total = sum(exps)
            out.append({label: e / total for label, e in zip(self.classes, exps, strict=True)})
        return out

    def predict(
        self, prepared_texts: Sequence[str], scores: Sequence[Mapping[str, float]]
    ) -> list[tuple[str, float]]:
        """``(label, compound)`` per text; compound = P(positive) - P(negative), in -1..1."""
        result = []
        for probs in self.probabilities(prepared_texts, scores):
            label = max(probs, key=probs.__getitem__)
            result.append((label, probs.get("positive", 0.0) - probs.get("negative", 0.0)))
        return result

    def reasons(
        self, prepared_text: str, score: Mapping[str, float], top: int = 5
    ) -> list[dict[str, Any]]:
        """Why the model gave one text its label: the words and word pairs that weighed most
        for it, strongest first, as ``{"word", "weight", "label"}`` (``weight`` > 0: how much
        the term raised the label's linear score above the classes' average). The words are the
        analyzer's prepared tokens (``tidak`` as ``not``, phrases joined). A word's character
        n-grams count for the word (shared equally by the words that hold one); the lexicon's
        scores count as one item, ``word`` ``"(lexicon)"``. At most ``top`` items."""
        import numpy as np

        vectorizers, coef, intercept = self._compile()
        row = features(vectorizers, [prepared_text], [score]).tocsr()
        linear = np.asarray(row @ coef + intercept)[0]
        if len(self.classes) == 2:  # one coefficient column, for classes[1]
            coef = np.hstack([-coef / 2, coef / 2])
            linear = np.array([-linear[0] / 2, linear[0] / 2])
        best = int(np.argmax(linear))
        centred = coef[:, best] - coef.mean(axis=1)
        words, chars = len(self.idf), len(self.char_idf)
        if self._names is None:
            names = [""] * (words + chars)
            for term, col in self.vocabulary.items():
                names[col] = term
            for term, col in self.char_vocabulary.items():
                names[words + col] = term
            self._names = names
        names = self._names
        tokens = list(
            dict.fromkeys(t for t in prepared_text.split() if any(c.isalnum() for c in t))
        )
        weights: dict[str, float] = {}
        for col, value in zip(row.indices, row.data, strict=True):
            part = float(value * centred[col])
            if col < words:
                weights[names[col]] = weights.get(names[col], 0.0) + part
            elif col < words + chars:
                holders = [t for t in tokens if names[col] in f" {t} "]
                for token in holders:
                    weights[token] = weights.get(token, 0.0) + part / len(holders)
            else:
                weights["(lexicon)"] = weights.get("(lexicon)", 0.0) + part
        label = self.classes[best]
        ranked = sorted(
            ((w, t) for t, w in weights.items() if w > 0.01 and any(c.isalnum() for c in t)),
            reverse=True,
        )
        return [
            {"word": t.replace("_", " "), "weight": round(w, 3), "label": label}
            for w, t in ranked[:top]
        ]


def model_reasons(analyzer: Any, text: Any, top: int = 5) -> list[dict[str, Any]]:
    """:meth:`TrainedModel.reasons` for a raw text, by ``analyzer``'s active model (its prepared
    tokens and lexicon scores); an empty list without a model."""
    if analyzer.model is None:
        return []
    words = " ".join(analyzer.prepare(text).words)
    return analyzer.model.reasons(words, analyzer.polarity_scores(text), top)
