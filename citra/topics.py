"""Rising terms: which words, hashtags and two-word phrases grew against the previous period.

Terms are scored by the weighted log-odds ratio with an informative Dirichlet prior (Monroe,
Colaresi and Quinn, 2008, "Fightin' Words"): the prior for each term is its frequency in both
periods together, so rare terms are shrunk towards zero and a word seen 3 times instead of once
does not beat a word seen 300 times instead of 150. The score is the log-odds difference divided
by its standard error (a z-score); positive means more frequent now than before.

Counting works on a bounded sample of texts (the caller passes at most a few thousand), so the
cost does not grow with the database.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlite_utils import Database

from citra.filters import Filters
from citra.profile import Organisation

STOPWORD_DIR = Path(__file__).parent / "data" / "stopwords"
TOKEN = re.compile(r"#\w+|\w+", re.UNICODE)
# Words, hashtags, and the punctuation that ends a clause (no phrase spans it).
_TERM_OR_BREAK = re.compile(r"#\w+|\w+|[.,;:!?()\n]", re.UNICODE)
# Indonesian writes a doubled word with a 2 ("cair2" for cair-cair): the word itself.
_REDUPLICATED = re.compile(r"^([^\W\d_]{3,})2$", re.UNICODE)
PRIOR_STRENGTH = 500.0  # total pseudo-count of the prior, spread by overall term frequency


@cache
def language_stop_words(language: str) -> frozenset[str]:
    """The stop words of one language (``citra/data/stopwords/<language>.txt``)."""
    path = STOPWORD_DIR / f"{language}.txt"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


@cache
def stop_words() -> frozenset[str]:
    """Indonesian and English stop words from ``citra/data/stopwords/*.txt``."""
    words: set[str] = set()
    for path in sorted(STOPWORD_DIR.glob("*.txt")):
        words |= language_stop_words(path.stem)
    return frozenset(words)


LANGUAGES = ("id", "en")


def text_language(text: str) -> str | None:
    """``"id"`` or ``"en"``: the language whose stop words the text holds more of (``None``
    when neither has more, as in a short text of names and hashtags)."""
    tokens = TOKEN.findall(text.lower())
    hits = {lang: sum(t in language_stop_words(lang) for t in tokens) for lang in LANGUAGES}
    ranked = sorted(hits.items(), key=lambda item: -item[1])
    return ranked[0][0] if ranked[0][1] > ranked[1][1] else None


def main_language(texts: Iterable[str]) -> str | None:
    """The language most of ``texts`` are written in (:func:`text_language`); ``None`` for no
    text or none recognised."""
    counted = Counter(lang for text in texts if (lang := text_language(text)))
    return counted.most_common(1)[0][0] if counted else None


def in_language(texts: Iterable[str], language: str | None) -> list[str]:
    """The texts written in ``language`` or in no recognised language: a topic list in one
    language does not mix in the words of texts in another. ``None``: every text."""
    if language is None:
        return list(texts)
    return [text for text in texts if text_language(text) in (language, None)]


# Words in almost every mention of a coop, whatever its name, and news boilerplate.
GENERIC_WORDS = frozenset({"ksp", "kspps", "kopdit", "koperasi", "berita", "selengkapnya"})


def organisation_stop_words(organisations: Iterable[Organisation]) -> frozenset[str]:
    """Words of the organisations' names and keywords (single words only) plus
    :data:`GENERIC_WORDS`: they are in almost every mention, so they never "rise"."""
    return (
        frozenset(
            word
            for organisation in organisations
            for name in organisation.search_terms
            for word in terms(name)
            if " " not in word
        )
        | GENERIC_WORDS
    )


def terms(text: str, extra_stop_words: Iterable[str] = ()) -> list[str]:
    """Words, hashtags and bigrams of ``text``, lower-case, stop words and numbers left out.

    Hashtags keep their ``#``; a bigram is two neighbouring kept words joined by a space (a stop
    word, a hashtag or a clause's punctuation between breaks the pair). A doubled word written
    with a 2 is the word ("cair2" is "cair"); other words with digits are left out. ``extra_stop_words`` (e.g. the organisation's own
    name) are dropped as well. Empty text: ``[]``.
    """
    extra = {w.lower() for w in extra_stop_words}
    return _terms(text, stop_words() | extra if extra else stop_words())


def _terms(text: str, stop: frozenset[str] | set[str]) -> list[str]:
    """:func:`terms` with its stop words given (built once for many texts)."""
    found: list[str] = []
    previous: str | None = None
    for token in _TERM_OR_BREAK.findall(text.lower()):
        if token[-1] == "2":
            token = _REDUPLICATED.sub(r"\1", token)
        if len(token) == 1 and not token.isalnum():
            previous = None
            continue
        if token.startswith("#"):
            if len(token) > 2:
                found.append(token)
            previous = None
            continue
        if (
            token in stop
            or len(token) < 3
            # letters only: no digit, no "_" (the slower test for the rest)
            or (not token.isalpha() and (any(c.isdigit() for c in token) or "_" in token))
        ):
            previous = None
            continue
        found.append(token)
        if previous is not None:
            found.append(f"{previous} {token}")
        previous = token
    return found


@dataclass(frozen=True)
class RisingTerm:
    """A term with its counts now and before and its z-score (positive: rising)."""

    term: str
    now: int
    before: int
    z: float


def log_odds(
    now: Counter[str], before: Counter[str], *, prior_strength: float = PRIOR_STRENGTH
) -> dict[str, float]:
    """Weighted log-odds z-scores of every term in either counter (now against before).

    ``z_w = d_w / sqrt(1/(y_w + a_w) + 1/(x_w + a_w))`` with
    ``d_w = log((y_w + a_w)/(n + a0 - y_w - a_w)) - log((x_w + a_w)/(m + a0 - x_w - a_w))``,
    where ``y``/``x`` are counts now/before, ``n``/``m`` their totals, ``a_w = a0 * p_w`` and
    ``p_w`` the term's share of both periods together. Empty counters: ``{}``.
    """
    total_now, total_before = sum(now.values()), sum(before.values())
    combined = now + before
    grand = sum(combined.values())
    if grand == 0:
        return {}
    scores: dict[str, float] = {}
    for term, count in combined.items():
        alpha = prior_strength * count / grand
        y, x = now.get(term, 0), before.get(term, 0)
        delta = math.log((y + alpha) / (total_now + prior_strength - y - alpha)) - math.log(
            (x + alpha) / (total_before + prior_strength - x - alpha)
        )
        scores[term] = delta / math.sqrt(1 / (y + alpha) + 1 / (x + alpha))
    return scores


def rising_terms(
    now_texts: Sequence[str],
    before_texts: Sequence[str],
    *,
    limit: int = 15,
    min_count: int = 3,
    extra_stop_words: Iterable[str] = (),
) -> list[RisingTerm]:
    """The ``limit`` terms that rose most from ``before_texts`` to ``now_texts``.

    A term counts once per text; it must appear in at least ``min_count`` texts now and have a
    positive z-score. Sorted by z-score, highest first. No texts now: ``[]``.
    """
    stop = stop_words() | {w.lower() for w in extra_stop_words}
    now = Counter(term for text in now_texts for term in set(_terms(text, stop)))
    before = Counter(term for text in before_texts for term in set(_terms(text, stop)))
    return _rising(now, before, limit=limit, min_count=min_count)


def _rising(
    now: Counter[str], before: Counter[str], *, limit: int, min_count: int
) -> list[RisingTerm]:
    """:func:`rising_terms` from the counts of texts holding each term, now and before."""
    scores = log_odds(now, before)
    rising = [
        RisingTerm(term=t, now=now[t], before=before.get(t, 0), z=z)
        for t, z in scores.items()
        if z > 0 and now.get(t, 0) >= min_count
    ]
    rising.sort(key=lambda r: (-r.z, r.term))
    return rising[:limit]


def _words(term: str) -> set[str]:
    return set(term.lstrip("#").split())


def _overlap(a: RisingTerm, b: RisingTerm) -> bool:
    # Two terms are one topic when they share a word and mostly the same mentions (the smaller
    # count at least half the larger): "completes" and "completes delayed", "delayed shu".
    return bool(_words(a.term) & _words(b.term)) and min(a.now, b.now) >= 0.5 * max(a.now, b.now)


def without_overlaps(found: Sequence[RisingTerm], limit: int = 12) -> list[RisingTerm]:
    """``found`` (highest first) without fragments and overlapping phrases: of terms that are
    one topic (a shared word, mostly the same mentions) only one stays, the longer phrase when
    one is longer (it says more: "gagal bayar", not "gagal"), else the one ranked higher. A word
    shared by terms of different sizes (``shu`` in 300 mentions, ``shu telat`` in 40) is not
    one topic, so both stay. At most ``limit`` terms, in ``found``'s order; candidates beyond
    the first ``3 * limit`` are not looked at."""
    kept: list[RisingTerm] = []
    for candidate in found[: 3 * limit]:
        overlapping = [k for k in kept if _overlap(k, candidate)]
        if not overlapping:
            kept.append(candidate)
        elif all(len(_words(candidate.term)) > len(_words(k.term)) for k in overlapping):
            at = kept.index(overlapping[0])
            kept = [k for k in kept if k not in overlapping]
            kept.insert(min(at, len(kept)), candidate)
    return kept[:limit]


# --- the Topics page -----------------------------------------------------------------------------

TOPIC_GROUPS = ("all", "negative", "positive")  # all mentions, then those of one label


@dataclass(frozen=True)
class TopicLists:
    """What the Topics page shows for a period against the one before: ``rising`` maps each of
    :data:`TOPIC_GROUPS` to its rising terms (one term per topic, at most ``limit``);
    ``mentions`` is how many mentions now the terms were counted in (the newest ``sample``),
    ``other_language`` how many of those are in another language than most and left out."""

    mentions: int
    other_language: int
    rising: dict[str, list[RisingTerm]]


def topic_lists(
    db: Database, now: Filters, before: Filters, sample: int = 4000, *, limit: int = 12
) -> TopicLists:
    """The rising terms of the newest ``sample`` mentions of ``now`` against those of
    ``before`` (own posts left out; ``citra.queries.mentions.text_sample``), in the language of
    most mentions now, the words of the organisations' names left out
    (:func:`organisation_stop_words`), for all mentions and for the negative and the positive
    ones (:func:`rising_terms` then :func:`without_overlaps`). Each text's language and terms
    are found once, whatever group it counts in. No mention now: zeros and empty lists."""
    from citra.queries.mentions import text_sample
    from citra.queries.organisations import list_organisations

    now_rows, before_rows = text_sample(db, now, sample), text_sample(db, before, sample)
    if not now_rows:
        return TopicLists(0, 0, {group: [] for group in TOPIC_GROUPS})
    languages: dict[str, str | None] = {}

    def language_of(text: str) -> str | None:
        if text not in languages:
            languages[text] = text_language(text)
        return languages[text]

    counted = Counter(lang for text, _label in now_rows if (lang := language_of(text)))
    language = counted.most_common(1)[0][0] if counted else None  # as main_language
    kept = {text for text, _label in [*now_rows, *before_rows]}
    if language is not None:
        kept = {text for text in kept if language_of(text) in (language, None)}
    other_language = sum(1 for text, _label in now_rows if text not in kept)
    stop = stop_words() | {w.lower() for w in organisation_stop_words(list_organisations(db))}
    found: dict[str, frozenset[str]] = {}

    def counts(rows: list[tuple[str, str]], group: str) -> Counter[str]:
        counter: Counter[str] = Counter()
        for text, label in rows:
            if text in kept and (group == "all" or label == group):
                if text not in found:
                    found[text] = frozenset(_terms(text, stop))
                counter.update(found[text])
        return counter

    rising = {
        group: without_overlaps(
            _rising(
                counts(now_rows, group), counts(before_rows, group), limit=3 * limit, min_count=3
            ),
            limit=limit,
        )
        for group in TOPIC_GROUPS
    }
    return TopicLists(len(now_rows), other_language, rising)
