"""Which of the two clean ways to teach VADER Indonesian rules scores better? Prints macro-F1.

1. mapping (what Citra ships): Indonesian rule words are rewritten to the English words VADER's
   own rules know ("tidak" -> "not", "banget" after a word -> "very" before it, "tapi" -> "but").
2. subclass: the rule words stay as written; a VADER subclass applies negation, boosters and
   contrast from instance-level Indonesian + English rule sets, post-posed intensifiers included.

Run: ``python bench/compare_rule_strategies.py FILE.csv [FILE.csv ...]`` (text,label files).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE  # noqa: E402

from citra.sentiment import (  # noqa: E402
    SentimentAnalyzer,
    label_of,
    rules,  # noqa: E402
)
from citra.sentiment.analyzer import Prepared, _Vader  # noqa: E402
from citra.sentiment.training import macro_f1, read_labelled_csv  # noqa: E402

NEGATION_SCALAR = -0.74
BOOST = 0.293


class InstanceRulesVader(_Vader):
    """VADER's valence rules re-stated with rule sets held by the instance."""

    def __init__(self, lexicon, emojis):
        super().__init__(lexicon, emojis)
        self.negators = set(NEGATE) | set(rules.NEGATORS) | set(rules.SOFT_NEGATORS)
        self.boosters = dict(BOOSTER_DICT)
        self.boosters.update(dict.fromkeys(rules.PRE_INTENSIFIERS, BOOST))
        self.boosters.update(dict.fromkeys(rules.DAMPENERS, -BOOST))
        self.post_boosters = set(rules.POST_INTENSIFIERS)
        self.contrasts = {"but"} | set(rules.CONTRASTS)

    def valence_at(self, words: list[str], i: int) -> float:
        word = words[i]
        if word not in self.lexicon or word in self.boosters or word in self.negators:
            return 0.0
        valence = self.lexicon[word]
        for distance, damp in ((1, 1.0), (2, 0.95), (3, 0.9)):
            if i - distance < 0:
                break
            before = words[i - distance]
            if before in self.lexicon:
                continue
            if before in self.boosters:
                step = self.boosters[before] * damp
                valence += step if valence > 0 else -step
            if before in self.negators:
                valence *= NEGATION_SCALAR
        if i + 1 < len(words) and words[i + 1] in self.post_boosters:
            valence += BOOST if valence > 0 else -BOOST
        return valence

    def contrast(self, words: list[str], sentiments: list[float]) -> list[float]:
        at = next((i for i, w in enumerate(words) if w in self.contrasts), None)
        if at is None:
            return sentiments
        return [s * 0.5 if i < at else s * 1.5 if i > at else s for i, s in enumerate(sentiments)]


class SubclassAnalyzer(SentimentAnalyzer):
    """The same lexicon and tokens; rules applied by :class:`InstanceRulesVader`."""

    def __init__(self):
        super().__init__()
        self._rules_vader = InstanceRulesVader(self.words, {})

    def _map_rules(self, joined: list[tuple[str, str]], prepared: Prepared) -> None:
        for surface, token in joined:
            if token == rules.BARRIER:
                prepared.words.extend([token] * rules.BARRIER_WIDTH)
                prepared.surfaces.extend([surface] * rules.BARRIER_WIDTH)
                continue
            known = token in self.words or token in rules.RULE_WORDS or token in self.negators()
            prepared.words.append(token if known else self._root(token))
            prepared.surfaces.append(surface)

    def negators(self) -> set[str]:
        return self._rules_vader.negators

    def _sentiments(self, prepared: Prepared) -> list[float]:
        words = prepared.words
        sentiments = [self._rules_vader.valence_at(words, i) for i in range(len(words))]
        return self._rules_vader.contrast(words, sentiments)


def main() -> None:
    mapping = SentimentAnalyzer()
    subclass = SubclassAnalyzer()
    print(f"{'file':<22} {'mapping':>8} {'subclass':>9}")
    for path in sys.argv[1:]:
        texts, truth = read_labelled_csv(path)
        by_mapping = [s.label for s in mapping.score_many(texts)]
        by_subclass = [label_of(subclass.polarity_scores(t)["compound"]) for t in texts]
        print(
            f"{Path(path).name:<22} {macro_f1(truth, by_mapping):>8.3f} "
            f"{macro_f1(truth, by_subclass):>9.3f}"
        )


if __name__ == "__main__":
    main()
