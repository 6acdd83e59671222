"""The fast path of :class:`citra.sentiment.SentimentAnalyzer`: the same scores, several times
quicker.

Two parts, each held to a reference by the parity tests (``tests/test_sentiment_parity.py``):

* :func:`score_tokens` is VADER's rule code (``sentiment_valence``, the negation, "least", idiom
  and "but" checks, ``score_valence``) re-written to lower-case a text once instead of once per
  rule per word, and to run the context rules only where a rule word is near. A word with no rule
  word within VADER's window (three before, two after) gets its lexicon value, as VADER's code
  would compute it. :class:`FastVader` runs it on VADER's own tokens and must give
  vaderSentiment's scores to the last digit.
* :class:`FastPath` prepares a text as ``SentimentAnalyzer.prepare`` does (tokens, normalisation,
  phrases, risk terms, the Indonesian rule words), with the context-free work cached: a text is
  split at spaces (no token spans one, so each piece tokenises on its own) and each piece's
  tokens, normalised and looked up, are kept. Only the context-dependent steps (phrases, risk
  terms, rule words, negation spacers) run per text.

What is cached per piece (:class:`PieceEntry`) is what holds whatever surrounds the piece: its
tokens, the risk items they fit, where the per-text rules and phrases must look, and flags that
say whether a text may need a step at all (``clean_text``, boilerplate, a coop name, a clause end
at a piece's start, an ellipsis, a news direction). Those flags may say "maybe" where the answer
is no, never "no" where it is yes; the step itself then decides. Each prepared word has a cached
code (read by VADER's rules, capitals, outside ASCII). The risk search runs only in clauses whose
tokens together may hold a pattern. Every cache is emptied whole past :data:`CACHE_LIMIT`
entries. ``tests/test_sentiment_fast_paths.py`` holds each of these shortcuts to the reference.

Every word list and number comes from vaderSentiment's module, ``rules.py`` and the analyzer's
lexicon: a change to the data files or the rules reaches this path by itself. A change to the
rule *code* in ``analyzer.py`` must be made here too; the parity tests say when it was not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import reduce
from operator import itemgetter, or_
from typing import TYPE_CHECKING, Any, Final

from vaderSentiment import vaderSentiment as vader
from vaderSentiment.vaderSentiment import SentiText, allcap_differential

from citra.sentiment import boilerplate, risk, rules

if TYPE_CHECKING:
    from citra.sentiment.analyzer import SentimentAnalyzer

# vaderSentiment's rule words and numbers, typed. (The names marked Final here are constants
# when this module is compiled: see setup.py.)
BOOSTER_DICT: Final[dict[str, float]] = vader.BOOSTER_DICT
SPECIAL_CASES: Final[dict[str, float]] = vader.SPECIAL_CASES
C_INCR: Final[float] = vader.C_INCR
N_SCALAR: Final[float] = vader.N_SCALAR

# The scores of an empty text, as VADER gives them: (neg, neu, pos, compound).
EMPTY = (0.0, 0.0, 0.0, 0.0)
# Per-analyzer caches are emptied when they grow past this many entries (memory stays bounded
# over a million texts; the next texts fill them again).
CACHE_LIMIT: Final = 100_000

_NEGATE: Final = frozenset(vader.NEGATE)
_FLAGGING: Final = risk.FLAGGING  # the statuses of a hit that flags (risk.Hit.flags)
_SO_THIS: Final = ("so", "this")
_OR_NOR: Final = ("or", "nor")
# Multi-word keys VADER's idiom check compares n-grams with.
_IDIOM_KEYS = [key for key in (*SPECIAL_CASES, *BOOSTER_DICT) if " " in key]
# The words that change a neighbour's score by themselves: boosters, negations, "no" (and the
# "or"/"nor" after it), "this" (after "never", or two words before), "least" (and the "at" or
# "very" before it). With none of these, and no idiom, from three words before a lexicon word
# to two after it, VADER's rules give that word its plain lexicon value.
CONTEXT_WORDS: Final = frozenset(
    {*(key for key in BOOSTER_DICT if " " not in key), *_NEGATE, "no", "this", "least"}
)
# The multi-word keys by first word: where one occurs, VADER's idiom check may apply.
IDIOMS_BY_FIRST: Final[dict[str, list[tuple[str, ...]]]] = {}
for _key in _IDIOM_KEYS:
    IDIOMS_BY_FIRST.setdefault(_key.split()[0], []).append(tuple(_key.split()))
_NT: Final = "n't"

# rules.py's words and word sets the per-text code reads, bound once (compiled, a module-level
# name is a static: no look-up in the rules module at each use).
_BARRIER: Final = rules.BARRIER
_NEGATION: Final = rules.NEGATION
_BOOST: Final = rules.BOOST
_DAMPEN: Final = rules.DAMPEN
_CONTRAST: Final = rules.CONTRAST
_RULE_WORDS: Final = rules.RULE_WORDS
_PROHIBITIVES: Final = rules.PROHIBITIVES
_PRE_INTENSIFIERS: Final = rules.PRE_INTENSIFIERS
_POST_INTENSIFIERS: Final = rules.POST_INTENSIFIERS
_DAMPENERS: Final = rules.DAMPENERS
_CONTRASTS: Final = rules.CONTRASTS
_BARRIERS: Final = (rules.BARRIER,) * rules.BARRIER_WIDTH
_SPACERS: Final = (rules.BARRIER,) * rules.NEGATION_SPACERS
_NEGATORS: Final = rules.NEGATORS | rules.SOFT_NEGATORS


def _negated(word: str) -> bool:
    """VADER's ``negated([word])`` for one lower-case word."""
    return word in _NEGATE or _NT in word


def _negation_check(valence: float, low: list[str], start_i: int, i: int) -> float:
    """VADER's ``_negation_check`` on an already lower-cased word list."""
    if start_i == 0:
        if _negated(low[i - 1]):
            valence = valence * N_SCALAR
    elif start_i == 1:
        if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
            valence = valence * 1.25
        elif low[i - 2] == "without" and low[i - 1] == "doubt":
            pass
        elif _negated(low[i - 2]):
            valence = valence * N_SCALAR
    else:
        if (low[i - 3] == "never" and low[i - 2] in _SO_THIS) or low[i - 1] in _SO_THIS:
            valence = valence * 1.25
        elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
            pass
        elif _negated(low[i - 3]):
            valence = valence * N_SCALAR
    return valence


def _special_idioms_check(valence: float, low: list[str], i: int) -> float:
    """VADER's ``_special_idioms_check`` on an already lower-cased word list (``i >= 3``)."""
    onezero = f"{low[i - 1]} {low[i]}"
    twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
    twoone = f"{low[i - 2]} {low[i - 1]}"
    threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
    threetwo = f"{low[i - 3]} {low[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(low) - 1 > i:
        zeroone = f"{low[i]} {low[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(low) - 1 > i + 1:
        zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _valence_with_rules(
    i: int,
    words: list[str],
    low: list[str],
    lexicon: dict[str, float],
    cap_diff: bool,
    of_lowered: bool,
    idioms: bool = True,
) -> float:
    """VADER's valence of lexicon word ``i`` with every context rule, as its own code does.

    ``of_lowered``: the "kind of" test lower-cases the next word (plain VADER) or not
    (Citra's analyzer, whose words are already lower case but for stressed lexicon words).
    ``idioms=False`` skips the idiom check where no idiom occurs in the window (a no-op there).
    """
    item_lowercase = low[i]
    if item_lowercase in BOOSTER_DICT:
        return 0.0
    last = len(low) - 1
    if item_lowercase == "kind" and i < last and (low if of_lowered else words)[i + 1] == "of":
        return 0.0
    valence = lexicon[item_lowercase]
    if item_lowercase == "no" and i != last and low[i + 1] in lexicon:
        valence = 0.0
    if (
        (i > 0 and low[i - 1] == "no")
        or (i > 1 and low[i - 2] == "no")
        or (i > 2 and low[i - 3] == "no" and low[i - 1] in _OR_NOR)
    ):
        valence = lexicon[item_lowercase] * N_SCALAR
    if words[i].isupper() and cap_diff:
        if valence > 0:
            valence += C_INCR
        else:
            valence -= C_INCR
    # VADER's loop over the three words before, unrolled: scalar_inc_dec, then _negation_check,
    # then (two words back) _special_idioms_check. A non-booster adds nothing.
    if i > 0 and low[i - 1] not in lexicon:
        boost = BOOSTER_DICT.get(low[i - 1])
        if boost is not None:
            scalar = -boost if valence < 0 else boost
            if cap_diff and words[i - 1].isupper():
                scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
            valence = valence + scalar
        if low[i - 1] in _NEGATE or _NT in low[i - 1]:
            valence = valence * N_SCALAR
    if i > 1 and low[i - 2] not in lexicon:
        boost = BOOSTER_DICT.get(low[i - 2])
        if boost is not None:
            scalar = -boost if valence < 0 else boost
            if cap_diff and words[i - 2].isupper():
                scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
            if scalar != 0:
                scalar = scalar * 0.95
            valence = valence + scalar
        valence = _negation_check(valence, low, 1, i)
    if i > 2 and low[i - 3] not in lexicon:
        boost = BOOSTER_DICT.get(low[i - 3])
        if boost is not None:
            scalar = -boost if valence < 0 else boost
            if cap_diff and words[i - 3].isupper():
                scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
            if scalar != 0:
                scalar = scalar * 0.9
            valence = valence + scalar
        valence = _negation_check(valence, low, 2, i)
        if idioms:
            valence = _special_idioms_check(valence, low, i)
    # VADER's _least_check
    if i > 1 and low[i - 1] not in lexicon and low[i - 1] == "least":
        if low[i - 2] != "at" and low[i - 2] != "very":
            valence = valence * N_SCALAR
    elif i > 0 and low[i - 1] not in lexicon and low[i - 1] == "least":
        valence = valence * N_SCALAR
    return valence


def score_tokens(
    words: list[str],
    lexicon: dict[str, float],
    cap_diff: Any,
    bangs: int,
    questions: int,
    *,
    low: list[str] | None = None,
    marks: list[int] | None = None,
    english: bool = False,
    caps_possible: bool = True,
) -> tuple[float, float, float, float]:
    """VADER's ``(neg, neu, pos, compound)`` for a token list, as its own rule code gives them.

    ``cap_diff`` is VADER's "some but not all words in capitals" flag, or a function returning
    it (called only when a lexicon word is in capitals). ``bangs`` and ``questions`` count the
    text's ``!`` and ``?``. ``low`` (the lower-cased words) may be passed when known, and
    ``marks``: the positions, in order, of every word that is in the lexicon or that VADER's
    rules read (:func:`marked`); the others score 0 and change no neighbour. ``english=True``
    follows plain VADER where Citra's analyzer differs (the "kind of" test, the "but" test on
    lower-cased words). ``caps_possible=False`` says no word is in capitals (the capitals rules
    are then skipped: they need a word in capitals).
    """
    n = len(words)
    if not n:
        return EMPTY
    values = sentiments(
        words,
        lexicon,
        cap_diff,
        low=low,
        marks=marks,
        english=english,
        caps_possible=caps_possible,
    )
    return _score_valence(values, n, bangs, questions)


def sentiments(
    words: list[str],
    lexicon: dict[str, float],
    cap_diff: Any,
    *,
    low: list[str] | None = None,
    marks: list[int] | None = None,
    english: bool = False,
    caps_possible: bool = True,
    contrast: bool | None = None,
) -> list[float]:
    """The non-zero sentiments of a token list, in order (VADER's ``sentiment_valence`` and
    ``_but_check``; see :func:`score_tokens` for the arguments; ``contrast``, when known:
    whether Citra's analyzer's "but" test holds, ``rules.CONTRAST in words``)."""
    if low is None:
        low = [w.lower() for w in words]
    if marks is None:
        marks = [i for i, w in enumerate(low) if marked(w, lexicon)]
    values: list[float] = []
    positions: list[int] = []
    near: set[int] | None = None
    idioms: set[int] | None = None
    caps: bool | None = cap_diff if isinstance(cap_diff, bool) else None
    for i in marks:
        word = low[i]
        if word not in lexicon:
            continue
        if near is None or idioms is None:
            idioms = set()
            near = _near_rules(low, marks, idioms)
        if i in near:
            # VADER reads the capitals flag only for a word in capitals here or before it.
            flag = False
            if caps_possible and any(w.isupper() for w in words[max(i - 3, 0) : i + 1]):
                if caps is None:
                    caps = bool(cap_diff())
                flag = caps
            value = _valence_with_rules(i, words, low, lexicon, flag, english, i in idioms)
        else:
            value = lexicon[word]
            if caps_possible and words[i].isupper():
                if caps is None:
                    caps = bool(cap_diff())
                if caps:
                    value = value + C_INCR if value > 0 else value - C_INCR
        if value:
            values.append(value)
            positions.append(i)
    if contrast is None:
        contrast = "but" in low if english else rules.CONTRAST in words
    if values and contrast:
        _but_check(values, positions, low.index("but"))
    return values


def marked(word: str, lexicon: dict[str, float]) -> bool:
    """Whether a lower-case word can carry or change a score: a lexicon word, a rule word
    (:data:`CONTEXT_WORDS`, or a negation written with "n't") or an idiom's first word."""
    return word in lexicon or word in CONTEXT_WORDS or word in IDIOMS_BY_FIRST or _NT in word


def _near_rules(low: list[str], marks: list[int], idioms: set[int]) -> set[int]:
    """The positions whose window (three words before, two after) holds a rule word or part of
    an idiom; those near an idiom are added to ``idioms``."""
    near: set[int] = set()
    for c in marks:
        word = low[c]
        # Plain loops: compiled, no range object is built and iterated per rule word.
        if word in CONTEXT_WORDS or _NT in word:
            for k in range(c - 2, c + 4):
                near.add(k)
        keys = IDIOMS_BY_FIRST.get(word)
        if keys:
            for key in keys:
                if tuple(low[c : c + len(key)]) == key:
                    for k in range(c - 2, c + len(key) + 3):
                        near.add(k)
                        idioms.add(k)
    return near


def _but_check(values: list[float], positions: list[int], but_at: int) -> None:
    """VADER's ``_but_check`` on the non-zero sentiments (in place), quirk included: each value
    is looked up by ``list.index``, so of two equal values the first is changed twice. Zeros
    are left out: VADER's check leaves a zero a zero."""
    for k in range(len(values)):
        value = values[k]
        first = values.index(value)
        if positions[first] < but_at:
            values[first] = value * 0.5
        elif positions[first] > but_at:
            values[first] = value * 1.5


def compound_of(values: list[float], bangs: int, questions: int) -> float:
    """VADER's compound score (rounded to 4 places) from the non-zero sentiments: the first
    part of ``score_valence``, for a caller that needs no neg/neu/pos."""
    sum_s = float(sum(values))
    if sum_s:
        punct = min(bangs, 4) * 0.292
        if questions > 1:
            punct += questions * 0.18 if questions <= 3 else 0.96
        if sum_s > 0:
            sum_s += punct
        else:
            sum_s -= punct
    return round(normalize(sum_s), 4)


def normalize(score: float, alpha: float = 15) -> float:
    """vaderSentiment's ``normalize``, the same float operations (compiled: no Python call)."""
    norm_score = score / math.sqrt((score * score) + alpha)
    if norm_score < -1.0:
        return -1.0
    elif norm_score > 1.0:
        return 1.0
    else:
        return norm_score


def _score_valence(
    values: list[float], n: int, bangs: int, questions: int
) -> tuple[float, float, float, float]:
    """VADER's ``score_valence`` from the non-zero sentiments (in order) and the word count."""
    sum_s = float(sum(values))
    ep_amplifier = min(bangs, 4) * 0.292
    qm_amplifier = 0.0
    if questions > 1:
        qm_amplifier = questions * 0.18 if questions <= 3 else 0.96
    punct = ep_amplifier + qm_amplifier
    if sum_s > 0:
        sum_s += punct
    elif sum_s < 0:
        sum_s -= punct
    compound = normalize(sum_s)
    pos_sum = 0.0
    neg_sum = 0.0
    for value in values:
        if value > 0:
            pos_sum += float(value) + 1
        elif value < 0:
            neg_sum += float(value) - 1
    neu_count = n - len(values)
    if pos_sum > math.fabs(neg_sum):
        pos_sum += punct
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= punct
    total = pos_sum + math.fabs(neg_sum) + neu_count
    return (
        round(math.fabs(neg_sum / total), 3),
        round(math.fabs(neu_count / total), 3),
        round(math.fabs(pos_sum / total), 3),
        round(compound, 4),
    )


class FastVader:
    """Plain VADER (its tokens, emoji descriptions and lexicon) on :func:`score_tokens`.

    Exists to hold the rule engine to vaderSentiment: ``FastVader().polarity_scores(text)``
    must equal ``SentimentIntensityAnalyzer().polarity_scores(text)``.
    """

    def __init__(self, lexicon: dict[str, float], emojis: dict[str, str]):
        self.lexicon = lexicon
        self.emojis = emojis
        self._emoji_chars = frozenset(emojis)

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not self._emoji_chars.isdisjoint(text):
            pieces: list[str] = []
            prev_space = True
            for char in text:
                if char in self.emojis:
                    if not prev_space:
                        pieces.append(" ")
                    pieces.append(self.emojis[char])
                    prev_space = False
                else:
                    pieces.append(char)
                    prev_space = char == " "
            text = "".join(pieces)
        text = text.strip()
        words = [SentiText._strip_punc_if_word(w) for w in text.split()]
        neg, neu, pos, compound = score_tokens(
            words,
            self.lexicon,
            allcap_differential(words),
            text.count("!"),
            text.count("?"),
            english=True,
        )
        return {"neg": neg, "neu": neu, "pos": pos, "compound": compound}


# --- Citra's preparation, cached -------------------------------------------------------------

# One pre-join token: (token, surface, the words it maps to when no rule word is involved,
# whether those words close an open negation, the tokens that can follow it in a phrase (empty
# when it starts none), the risk items it fits (RiskMatcher's mask of the token; 0 for a clause
# end and for a unit the per-text rules make)). A token the per-text rules must map has None for
# words and its kind (_K_*) in fourth place (see _item). Typed as a tuple of any length:
# compiled, an item is then read field by field where needed, not unpacked whole (six checks)
# at every read.
Item = tuple[Any, ...]
# A piece that starts with a clause end: a barrier, unless the text so far is empty or ends
# with one. Never a lexicon, phrase or risk token.
_LEAD: Final = "\x00lead"
# The kinds of token the per-text rules map (in an item's fourth place when it has no words).
_K_LEAD: Final = 2
_K_RULE: Final = 3
_NO_STARTS: Final[frozenset[str]] = frozenset()
_LEAD_ITEM: Item = (_LEAD, "", None, _K_LEAD, _NO_STARTS, 0)
# A clause end: three barrier words, and an open negation ends (without spacers).
_RESETS: Final = 2
_BARRIER_ITEM: Item = (
    rules.BARRIER,
    "",
    (rules.BARRIER,) * rules.BARRIER_WIDTH,
    _RESETS,
    _NO_STARTS,
    0,  # a clause end fits no risk item
)
_AFTER_BARRIER: Final = (rules.BARRIER, _LEAD)
# The most space-separated pieces a coop name match (``boilerplate._NAME_RE``) spans: a legal
# form of up to four ("Koperasi Simpan Pinjam (KSP)"), a name of up to four words.
_NAME_PIECES: Final = 8
# FastPath._cut_names: this text goes through boilerplate.strip_names whole.
_WHOLE_TEXT: Final[Any] = object()
_TOKEN_OF: Final = itemgetter(0)
# A piece's flags (FastPath._piece_entry): it holds a boilerplate cue, a word of a cue of several
# words, or a name cue (``boilerplate.strip_boilerplate`` then checks for itself); it holds a
# legal form's cue (``boilerplate._NAME_CUES``); it starts with a capital A-Z or "(": a coop's
# name (or the rest of a legal form) can start there, as the name regex needs after a cue (see
# FastPath._cut_names).
_CUE: Final = 1
_NAME: Final = 2
_CAPITAL: Final = 4
# It holds a news direction word ("menurun", "fell"), or the first word of a subject of one
# ("kemiskinan", "kredit" of "kredit macet"): a text with both has its phrases joined one by one,
# as ``prepare`` joins them, for ``gapped_directions`` (without both no subject can be found).
_DIRECTION: Final = 8
_SUBJECT: Final = 16
_DIRECTIONS: Final = _DIRECTION | _SUBJECT
# It holds an ellipsis (".." or "\u2026"): the text may be an ironic praise
# (``analyzer.trailing_irony``; a text without one is not looked at).
_ELLIPSIS: Final = 32
_RARE: Final = _DIRECTIONS | _ELLIPSIS
# A prepared word's code (FastPath._word_code): VADER's rules read it, it is not its own lower
# case, it holds a character outside ASCII (the barrier's aside).
_MARKED: Final = 1
_LOWERS: Final = 2
_NOT_ASCII: Final = 4
_CONTRAST_WORD: Final = 8  # it is rules.CONTRAST ("but"), as written
# It holds a mark ``clean_text`` may act on (a tag, an entity, a URL, a "nya" at its start, a "no"
# that may mean "nomor", an emoji modifier): only a text with such a piece is tested whole
# (FastPath._clean_as_is). The test per piece says too much, never too little.
_DIRTY: Final = 64
# Its tokens start with a clause end (the _LEAD_ITEM): a text with none has its tokens as they are.
_LEADS: Final = 128
# A "no" the "nomor" rewrite (analyzer._NUMBER_NO_RE) may start from, in one piece: not after a
# letter, digit or dot, followed by a dot or the end of the piece (where a space follows).
_PIECE_NO_RE: Final = re.compile(r"(?<![\w.])[Nn][Oo](?:\.|$)")


class PieceEntry:
    """A piece's flags (:data:`_CUE`, :data:`_NAME`, :data:`_CAPITAL`, ...), the risk items
    (:class:`RiskMatcher`) its tokens fit as one mask, and its pre-join tokens (see
    ``FastPath._piece_entry``), with what ``FastPath._map`` looks for in them: the positions
    of the tokens the per-text rules map (``specials``), of those where a phrase may start
    with the next token of the piece (``phrase_at``), and the tokens that may continue a phrase
    from its last token into the next piece (``tail``)."""

    __slots__ = ("flags", "mask", "items", "specials", "phrase_at", "tail")

    def __init__(
        self,
        flags: int,
        mask: int,
        items: tuple[Item, ...],
        specials: tuple[int, ...],
        phrase_at: tuple[int, ...],
        tail: frozenset[str],
    ):
        self.flags = flags
        self.mask = mask
        self.items = items
        self.specials = specials
        self.phrase_at = phrase_at
        self.tail = tail


def _by_first_token(
    keys: Mapping[tuple[str, ...], Any], min_size: int
) -> dict[str, tuple[frozenset[str], tuple[int, ...]]]:
    """For each first token of ``keys`` (phrases or risk terms): the tokens that can follow it
    and the key sizes, longest first (so a look-up tries only sizes that exist)."""
    seconds: dict[str, set[str]] = {}
    sizes: dict[str, set[int]] = {}
    for key in keys:
        if len(key) < min_size or not key:
            continue
        seconds.setdefault(key[0], set())
        sizes.setdefault(key[0], set()).add(len(key))
        if len(key) > 1:
            seconds[key[0]].add(key[1])
    return {
        first: (frozenset(seconds[first]), tuple(sorted(sizes[first], reverse=True)))
        for first in sizes
    }


class _Cache(dict):  # type: ignore[type-arg]
    """A dict that computes a missing entry (``dict[key]`` from C, no look-up in Python)."""

    def __init__(self, compute: Any):
        super().__init__()
        self.compute = compute

    def __missing__(self, key: str) -> Any:
        return self.compute(key)


class RiskMatcher:
    """:meth:`risk.Taxonomy.find` compiled: the same hits, in the same order, found quicker.

    Each distinct pattern item (a word set with prefixes) gets a bit; a token's *mask* holds the
    bits of the items it fits (``Taxonomy._fits``, worked out once per token). A pattern can match
    only where every item it names fits some token of the text, so a text whose tokens' masks
    together lack a bit of every pattern has no match, and is known to have none without a search.
    Where one may match, the taxonomy's own search runs with mask tests for ``_fits``. Built from
    the taxonomy's patterns (the data file): a change of ``risk_terms.tsv`` needs nothing here.
    """

    def __init__(self, taxonomy: risk.Taxonomy):
        self.taxonomy = taxonomy
        bits: dict[Any, int] = {}
        self._compiled: dict[int, tuple[Any, ...]] = {}
        self._required: dict[int, int] = {}
        by_first: dict[int, list[int]] = {}
        for pattern in taxonomy.patterns:
            compiled: list[Any] = []
            required = 0
            for item in pattern.items:
                if isinstance(item, int):
                    compiled.append(item)
                    continue
                bit = bits.setdefault(item, 1 << len(bits))
                compiled.append(-bit)  # negative: an item (a gap is a small positive int)
                required |= bit
            self._compiled[id(pattern)] = tuple(compiled)
            self._required[id(pattern)] = required
            by_first.setdefault(-compiled[0], []).append(required)
        self._first_bits = 0
        for bit in by_first:
            self._first_bits |= bit
        self._by_first = {bit: tuple(reqs) for bit, reqs in by_first.items()}
        self._word_bits: dict[str, int] = {}
        self._prefix_bits: list[tuple[str, int]] = []
        for (words, prefixes), bit in bits.items():
            for word in words:
                self._word_bits[word] = self._word_bits.get(word, 0) | bit
            for prefix in prefixes:
                self._prefix_bits.append((prefix, bit))
        self._prefixes = tuple(prefix for prefix, _ in self._prefix_bits)
        self.bit_count = len(bits)
        self._masks: dict[str, int] = _Cache(self._mask)
        self._candidates: dict[str, tuple[tuple[int, tuple[int, ...], str], ...]] = _Cache(
            self._token_candidates
        )
        self._relevant: dict[str, int] = _Cache(self._relevant_bits)
        self._viable: dict[tuple[str, int], tuple[tuple[tuple[int, ...], str], ...]] = {}
        self._possible: dict[int, bool] = {}
        # The coop's not-a-risk phrases: the taxonomy's own step after a search found hits.
        self._not_risk: risk.NotRiskPhrases | None = taxonomy.not_risk

    def _mask(self, token: str) -> int:
        """The bits of the items ``token`` fits (``Taxonomy._fits``: the token, one of its
        stemmer forms, or a prefix)."""
        mask = 0
        if token != risk.CLAUSE_END:
            get = self._word_bits.get
            for form in risk.forms(token):
                mask |= get(form, 0)
            if self._prefixes and token.startswith(self._prefixes):
                for prefix, bit in self._prefix_bits:
                    if token.startswith(prefix):
                        mask |= bit
        if len(self._masks) > CACHE_LIMIT:
            self._masks.clear()
        self._masks[token] = mask
        return mask

    def _token_candidates(self, token: str) -> tuple[tuple[int, tuple[int, ...], str], ...]:
        """``Taxonomy._candidates(token)``, in its order, as ``(required bits, compiled items,
        category)``."""
        found = tuple(
            (self._required[id(p)], self._compiled[id(p)], p.category)
            for p in self.taxonomy._candidates(token)
        )
        if len(self._candidates) > CACHE_LIMIT:
            self._candidates.clear()
        self._candidates[token] = found
        return found

    def _relevant_bits(self, token: str) -> int:
        """The bits the patterns that may start at ``token`` require, together."""
        bits = reduce(or_, [need for need, _, _ in self._candidates[token]], 0)
        if len(self._relevant) > CACHE_LIMIT:
            self._relevant.clear()
        self._relevant[token] = bits
        return bits

    def _viable_candidates(self, key: tuple[str, int]) -> tuple[tuple[tuple[int, ...], str], ...]:
        """``(compiled items, category)`` of the candidates of token ``key[0]`` whose required
        bits are all in ``key[1]`` (a text's mask, cut to the bits they require: so few texts
        differ there that this is looked up far more often than worked out)."""
        mask = key[1]
        viable = tuple(
            (items, category)
            for need, items, category in self._candidates[key[0]]
            if need & mask == need
        )
        if len(self._viable) > CACHE_LIMIT:
            self._viable.clear()
        self._viable[key] = viable
        return viable

    def possible(self, mask: int) -> bool:
        """Whether some pattern has every item among the bits of ``mask`` (a text's tokens)."""
        found = self._possible.get(mask)
        if found is not None:
            return found
        found = False
        starts = mask & self._first_bits
        while starts and not found:
            bit = starts & -starts
            starts ^= bit
            found = any(required & mask == required for required in self._by_first[bit])
        if len(self._possible) > CACHE_LIMIT:
            self._possible.clear()
        self._possible[mask] = found
        return found

    def find(self, tokens: list[str]) -> list[risk.Hit]:
        """``Taxonomy.find(tokens)``.

        A match lies inside one clause (no item fits a clause end, no gap passes one), so only
        the clauses whose tokens together may hold some pattern (:meth:`possible`) are searched,
        left to right as the taxonomy searches the text; the others hold no match."""
        token_masks = self._masks
        masks: list[int] = []
        for token in tokens:
            found = token_masks.get(token)  # see FastPath._prepared
            masks.append(found if found is not None else token_masks[token])
        return self.find_masked(tokens, masks)

    def find_masked(self, tokens: list[str], masks: list[int]) -> list[risk.Hit]:
        """:meth:`find` with the tokens' masks known (``masks[i]``: ``tokens[i]``'s, as
        :meth:`_mask` gives it; the fast path keeps them in its cached items)."""
        # The clauses to search, as (start, end, the bits of their tokens). Most tokens fit no
        # item: a zero is a small int, a mask a long one (skipped cheaply).
        clauses: list[tuple[int, int, int]] = []
        n = len(masks)
        total = 0
        start = 0
        for i in range(n + 1):
            if i < n:
                if masks[i]:
                    total |= masks[i]
                    continue
                if tokens[i] != risk.CLAUSE_END:
                    continue
            if total:
                if self.possible(total):
                    clauses.append((start, i, total))
                total = 0
            start = i + 1
        if not clauses:
            return []
        hits: list[risk.Hit] = []
        covered: dict[str, int] = {}
        for start, end, total in clauses:
            self._find_in(tokens, masks, start, end, total, hits, covered)
        if hits and self._not_risk is not None:
            return self._not_risk.set_aside(tokens, hits)
        return hits

    def _find_in(
        self,
        tokens: list[str],
        masks: list[int],
        start: int,
        stop: int,
        total: int,
        hits: list[risk.Hit],
        covered: dict[str, int],
    ) -> None:
        """The matches starting in ``tokens[start:stop]`` (one clause, its tokens' bits
        ``total``), added to ``hits``; ``covered``: the end of the last match of each
        category."""
        relevant = self._relevant
        viable = self._viable
        first_bits = self._first_bits
        for i in range(start, stop):
            if not masks[i] or not masks[i] & first_bits:
                continue
            key = (tokens[i], total & relevant[tokens[i]])
            candidates = viable.get(key)
            if candidates is None:
                candidates = self._viable_candidates(key)
            if not candidates:
                continue
            best: dict[str, int] = {}
            for items, category in candidates:
                end = _match(items, 0, tokens, masks, i)
                if end is not None and end > best.get(category, i):
                    best[category] = end
            for category, end in best.items():
                if covered.get(category, -1) >= end:
                    continue
                covered[category] = end
                phrase = " ".join(t for t in tokens[i:end] if t != risk.CLAUSE_END)
                status = self.taxonomy._status(tokens, i, end)
                hits.append(risk.Hit(category, phrase, status, i, end))


def _merged(a: list[int], b: list[int]) -> list[int]:
    """The positions of two ascending lists, ascending, each once (``sorted({*a, *b})``)."""
    out: list[int] = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] < b[j]:
            out.append(a[i])
            i += 1
        elif b[j] < a[i]:
            out.append(b[j])
            j += 1
        else:
            out.append(a[i])
            i += 1
            j += 1
    out += a[i:]
    out += b[j:]
    return out


def _match(
    items: tuple[int, ...], k: int, tokens: list[str], masks: list[int], at: int
) -> int | None:
    """``Taxonomy._match`` on compiled items (``-bit`` an item, a positive int a gap), from
    item ``k`` at token ``at``: where the match ends, else ``None``."""
    n = len(tokens)
    while k < len(items):
        item = items[k]
        if item > 0:
            for skip in range(item + 1):
                j = at + skip
                if j > n or (skip and tokens[j - 1] == risk.CLAUSE_END):
                    break
                end = _match(items, k + 1, tokens, masks, j)
                if end is not None:
                    return end
            return None
        if at < n and masks[at] & -item:
            at += 1
            k += 1
            continue
        return None
    return at


class FastPath:
    """An analyzer's ``prepare`` + VADER scoring, with per-piece and per-token caches.

    Built from (and bound to) one :class:`~citra.sentiment.analyzer.SentimentAnalyzer`: its
    lexicon, phrases, risk terms, normalisation and root finding. Safe to share between
    threads (the caches only ever gain complete entries, or are emptied whole).
    """

    def __init__(self, analyzer: SentimentAnalyzer):
        from citra.sentiment import analyzer as module

        self.analyzer = analyzer
        self._clean = module.clean_text
        self._risk_events = module.risk_events
        self._prepared_class = module.Prepared
        self._unnegate = module.unnegate
        self._warn = module.warn
        self._is_emoji = module.is_emoji
        self._negation_near = module.negation_near
        self._praise_then_complaint = module.praise_then_complaint
        # What praise_then_complaint needs to change anything: a clause end among the first
        # words, an opening praise before it (see _may_praise).
        self._praise_head = module.PRAISE_OPENING + 1
        self._opening_praise = module._OPENING_PRAISE
        self._max_chars = module.MAX_CHARS
        # risk.primary's order of the categories.
        self._category_rank = {category: n for n, category in enumerate(risk.CATEGORIES)}
        # clean_text's own tests for its "nomor" and emoji modifier steps (see _clean_as_is).
        self._number_no = module._NUMBER_NO_RE.search
        self._modifier = module._MODIFIER_RE.search
        self._positive = module.POSITIVE_THRESHOLD
        self._negative = module.NEGATIVE_THRESHOLD
        self._gapped_directions = module.gapped_directions
        self._trailing_irony = module.trailing_irony
        self._irony_words = module.IRONY_WORDS
        self._prohibition = module.PROHIBITION
        self._existential = module.EXISTENTIAL
        self._opened_negation = module.opened_negation
        self._reach_negation = module.reach_negation
        self._finditer = module._TOKEN_RE.finditer
        self._shouted = module._shouted
        self._strip_boilerplate = module.strip_boilerplate
        self.lexicon = analyzer.words
        self.phrases = analyzer.phrases
        self.taxonomy = analyzer.taxonomy
        # Custom words a negator cannot flip: mapped per text (see _map_one).
        self.fixed = analyzer.fixed
        self.emojis = analyzer._emojis
        self.phrase_starts = analyzer._phrase_starts
        # The words :func:`score_tokens` must see (a negation with "n't" is found apart).
        self._marked = frozenset(self.lexicon).union(CONTEXT_WORDS, IDIOMS_BY_FIRST)
        self._pieces: dict[str, tuple[Item, ...]] = _Cache(self._piece)
        self._items: dict[tuple[str, str], Item] = {}
        self._plain: dict[tuple[str, str], Item] = {}
        self._caps: dict[str, tuple[int, int]] = {}
        self._codes: dict[str, int] = {}
        self._risk = RiskMatcher(self.taxonomy)
        self._piece_entries: dict[str, PieceEntry] = _Cache(self._piece_entry)
        self._cue_parts = tuple({part for cue in boilerplate._CUES for part in cue.split()})
        self.directions = analyzer.directions
        self._subject_starts = frozenset(
            key[0] for key in self.phrases if len(key) >= 2 and key[-1] in self.directions
        )
        self._strip_names = boilerplate.strip_names
        self._name_cuts: dict[str, Any] = _Cache(self._name_cut)
        self._phrase_index = _by_first_token(self.phrases, min_size=2)
        # Where a phrase can start: for each first token, the tokens that can follow it.
        phrase_next: dict[str, set[str]] = {}
        for key in self.phrases:
            if len(key) >= 2:
                phrase_next.setdefault(key[0], set()).add(key[1])
        self._starts: dict[str, frozenset[str]] = {
            first: frozenset(following) for first, following in phrase_next.items()
        }

    # --- pieces and tokens ---------------------------------------------------------------------

    def _item(self, token: str, surface: str) -> Item:
        key = (token, surface)
        item = self._items.get(key)
        if item is not None:
            return item
        if token in _RULE_WORDS or token in self.fixed or self._is_emoji(token):
            item = (
                token,
                surface,
                None,
                _K_RULE,
                self._starts.get(token, _NO_STARTS),
                self._risk._masks[token],
            )
        else:
            item = self._plain_item(token, surface)
        if len(self._items) > CACHE_LIMIT:
            self._items.clear()
        self._items[key] = item
        return item

    def _plain_item(self, token: str, surface: str) -> Item:
        """A token mapped as ``_map_rules`` maps a word that is no rule word."""
        key = (token, surface)
        item = self._plain.get(key)
        if item is not None:
            return item
        lexicon = self.lexicon
        if token in lexicon:
            word = surface if self._shouted(surface, token) else token
            words: tuple[str, ...] = (word,)
            closes = bool(lexicon.get(word)) and word != _NEGATION
        elif token in self.emojis:
            # An emoji VADER describes in words never closes a negation (see _map_rules).
            words = tuple(self.emojis[token].split())
            closes = False
        else:
            word = self.analyzer._root(token)
            words = (word,)
            closes = bool(lexicon.get(word)) and word != _NEGATION
        item = (
            token,
            surface,
            words,
            closes,
            self._starts.get(token, _NO_STARTS),
            self._risk._masks[token],
        )
        if len(self._plain) > CACHE_LIMIT:
            self._plain.clear()
        self._plain[key] = item
        return item

    def _piece(self, piece: str) -> tuple[Item, ...]:
        """The pre-join tokens of one space-free piece of text (see ``prepare``)."""
        items: list[Item] = []
        normalise = self.analyzer._normalise_token
        for match in self._finditer(piece):
            surface = match.group()
            kind = match.lastgroup
            if kind == "end":
                if not items:
                    items.append(_LEAD_ITEM)
                elif items[-1][0] not in _AFTER_BARRIER:
                    items.append(_BARRIER_ITEM)
            elif kind == "word":
                for part in normalise(surface):
                    items.append(self._item(part, surface))
            else:
                items.append(self._item(surface.lower(), surface))  # ":D" and ":d" are one
        entry = tuple(items)
        if len(self._pieces) > CACHE_LIMIT:
            self._pieces.clear()
        self._pieces[piece] = entry
        return entry

    def _piece_entry(self, piece: str) -> PieceEntry:
        """A piece's flags, risk mask and pre-join tokens (:meth:`_piece`)."""
        items = self._pieces[piece]
        mask = 0
        flags = 0
        directions = self.directions
        subjects = self._subject_starts
        for item in items:
            if item[0] != _LEAD:
                mask |= item[5]
                if item[0] in directions:
                    flags |= _DIRECTION
                if item[0] in subjects:
                    flags |= _SUBJECT
        low = piece.lower()
        if any(part in low for part in self._cue_parts):
            flags |= _CUE
        if any(cue in piece for cue in boilerplate._NAME_CUES):
            flags |= _NAME
        if piece[:1] == "(" or "A" <= piece[:1] <= "Z":
            flags |= _CAPITAL
        if ".." in piece or "\u2026" in piece:
            flags |= _ELLIPSIS
        if (
            "<" in piece
            or "&" in piece
            or "://" in piece
            or "www." in piece
            or piece.startswith("nya")
            or _PIECE_NO_RE.search(piece) is not None
            or (not piece.isascii() and self._modifier(piece) is not None)
        ):
            flags |= _DIRTY
        if items and items[0][0] == _LEAD:
            flags |= _LEADS
        # What _map looks for over a text's items, found once per piece (see _map).
        specials = tuple([k for k in range(len(items)) if not items[k][2]])
        phrase_at = tuple(
            [k for k in range(len(items) - 1) if items[k][4] and items[k + 1][0] in items[k][4]]
        )
        tail: frozenset[str] = items[-1][4] if items else _NO_STARTS
        entry = PieceEntry(flags, mask, items, specials, phrase_at, tail)
        if len(self._piece_entries) > CACHE_LIMIT:
            self._piece_entries.clear()
        self._piece_entries[piece] = entry
        return entry

    def _risk_hits(self, items: list[Item], leads: int) -> tuple[list[risk.Hit], Any]:
        """The taxonomy's matches over the tokens ``prepare`` gives it (clause ends included),
        and those tokens with their surfaces (``leads``: see :meth:`_tokens`)."""
        if not leads:  # as _tokens, inline: most texts searched take this way
            if not items:
                return [], None
            tokens = list(map(_TOKEN_OF, items))
            masks = [item[5] for item in items]
            return self._risk.find_masked(tokens, masks), (tokens, items)
        found = self._tokens(items, leads)
        if found is None:
            return [], None
        return self._risk.find_masked(found[0], [item[5] for item in found[1]]), found

    def _tokens(self, items: list[Item], leads: int) -> tuple[list[str], list[Item]] | None:
        """The tokens ``prepare`` joins phrases over (clause ends included), with the items they
        come from; ``None`` when there is none. ``leads``: false when no piece's tokens start
        with a clause end (then no item is :data:`_LEAD_ITEM`)."""
        if not leads:
            tokens = list(map(_TOKEN_OF, items))
            return (tokens, items) if tokens else None
        tokens = []
        sources: list[Item] = []
        for item in items:
            token = item[0]
            if token == _LEAD:
                if tokens and tokens[-1] != _BARRIER:
                    tokens.append(_BARRIER)
                    sources.append(_BARRIER_ITEM)
            else:
                tokens.append(token)
                sources.append(item)
        if not tokens:
            return None
        return tokens, sources

    def _map_risky(
        self, tokens: list[str], sources: list[Item], hits: list[risk.Hit], directions: bool
    ) -> list[str]:
        """The words of a text with a risk match or a news direction word: phrases joined as
        ``prepare`` joins them, direction phrases with words between matched
        (``gapped_directions``, when ``directions``), the matches weighing in by the analyzer's
        own ``risk_events``, then the rule mapping of :meth:`_map` (a unit left alone keeps its
        cached item; a joined phrase and a unit they changed or added are mapped one by one, as
        ``_map_one`` maps a token)."""
        # A unit left alone is known again by identity (the rules copy the list, put new units
        # in place of changed ones and add some, in order; ``units`` keeps every one alive):
        # typed as an object, a unit stays one object when compiled (mypyc keeps a typed tuple
        # unboxed and boxes it anew where it is stored or read).
        units: list[Any] = []
        unit: Any
        origin: list[Any] = []  # the item of each unit, None for a joined phrase
        starts: list[int] = []
        index = self._phrase_index
        phrases = self.phrases
        n = len(tokens)
        i = 0
        while i < n:
            token = tokens[i]
            starts.append(i)
            source = sources[i]
            # A phrase (two tokens or more) can start here only if the next token may follow.
            if source[4] and i + 1 < n and tokens[i + 1] in source[4]:
                for size in index[token][1]:
                    if size <= n - i:
                        phrase = phrases.get(tuple(tokens[i : i + size]))
                        if phrase is not None:
                            surface = " ".join([item[1] for item in sources[i : i + size]])
                            units.append((surface, phrase))
                            origin.append(None)
                            i += size
                            break
                else:
                    units.append((source[1], token))
                    origin.append(source)
                    i += 1
            else:
                units.append((source[1], token))
                origin.append(source)
                i += 1
        joined: list[Any] = units
        if directions:
            joined = self._gapped_directions(joined, self.directions)
        weighed: list[Any] = (
            self._risk_events(joined, starts, hits, self.lexicon) if hits else joined
        )
        items: list[Item] = []
        count = len(units)
        j = 0
        for unit in weighed:
            item: Any = None
            if j < count and unit is units[j]:
                item = origin[j]
                j += 1
            else:  # a changed or an added unit, or one after it
                k = j
                while k < count and units[k] is not unit:
                    k += 1
                if k < count:
                    item = origin[k]
                    j = k + 1
            if item is None:
                item = (unit[1], unit[0], None, _K_RULE, _NO_STARTS, 0)
            items.append(item)
        return self._map(items, phrases=False)

    def _cap_diff(self, pieces: list[str]) -> bool:
        """VADER's capitals flag: some, but not all, written tokens are in capitals."""
        written = upper = 0
        for piece in pieces:
            counts = self._caps.get(piece)
            if counts is None:
                surfaces = [m.group() for m in self._finditer(piece) if m.lastgroup != "end"]
                counts = (len(surfaces), sum(s.isupper() for s in surfaces))
                if len(self._caps) > CACHE_LIMIT:
                    self._caps.clear()
                self._caps[piece] = counts
            written += counts[0]
            upper += counts[1]
        return 0 < upper < written

    # --- a text --------------------------------------------------------------------------------

    def _cut_names(self, pieces: list[str], entries: list[PieceEntry]) -> Any:
        """``boilerplate.strip_names`` on a text's pieces (``entries``: theirs, see
        :meth:`_piece_entry`): the pieces after the cut, their entries and the flags of the
        pieces the cut made, together; ``None`` when nothing is cut, or :data:`_WHOLE_TEXT` when the text must go through ``strip_names``
        itself.

        A name match starts in a piece holding a legal form's cue, followed by one starting with
        a capital or "(" (a *candidate*), and runs over pieces that start so (each word of a
        legal form's rest and of a name does), at most :data:`_NAME_PIECES` of them: the name
        regex is run on those few pieces (:meth:`_name_cut`, cached), left to right, instead of
        on the whole text."""
        cut_of = self._name_cuts.__getitem__
        piece_entries = self._piece_entries
        out: list[str] | None = None
        out_entries: list[PieceEntry] = []
        flags = 0  # of the pieces the cuts make
        pos = 0
        n = len(entries)
        for at in range(n - 1):
            if not entries[at].flags & _NAME or at < pos or not entries[at + 1].flags & _CAPITAL:
                continue
            end = at + 2
            limit = min(at + _NAME_PIECES, n)
            while end < limit and entries[end].flags & _CAPITAL:
                end += 1
            cut = cut_of(" ".join(pieces[at:end]))
            if cut is None:
                continue  # no match starts in this piece (a later one is a candidate itself)
            if cut is _WHOLE_TEXT:
                return cut
            if out is None:
                out = []
            out += pieces[pos:at]
            out_entries += entries[pos:at]
            for piece in cut[0]:
                entry = piece_entries[piece]
                out.append(piece)
                out_entries.append(entry)
                flags |= entry.flags
            pos = at + cut[1]
        if out is None:
            return None
        out += pieces[pos:]
        out_entries += entries[pos:]
        return out, out_entries, flags

    def _name_cut(self, window: str) -> Any:
        """The name cut in the pieces ``window`` (space-joined, see :meth:`_cut_names`):
        ``(the pieces that replace the cut ones, how many are cut)``, ``None`` when no match
        starts in the first piece, or :data:`_WHOLE_TEXT`: two cases go to ``strip_names``
        itself, a "KSPPS" match (the only legal form its quick test, ``_NAME_START_RE``, may
        miss; elsewhere a match passes that test) and a cut name followed, in its own piece, by
        another cue (a match may start there, mid-piece)."""
        cut: Any = None
        match = boilerplate._NAME_RE.search(window)
        first = window.find(" ")
        if match is not None and match.start() < (first if first >= 0 else len(window)):
            legal = match.group(1)
            end = match.end()
            piece_end = window.find(" ", end)
            if piece_end < 0:
                piece_end = len(window)
            rest = window[end:piece_end]
            if legal.startswith("KSPPS") or any(cue in rest for cue in boilerplate._NAME_CUES):
                cut = _WHOLE_TEXT
            else:
                cut = (
                    tuple((window[: match.start()] + legal + rest).split(" ")),
                    1 + window.count(" ", 0, end),
                )
        if len(self._name_cuts) > CACHE_LIMIT:
            self._name_cuts.clear()
        self._name_cuts[window] = cut
        return cut

    def _prepared(self, raw: Any) -> tuple[list[str], list[risk.Hit], list[str], str]:
        """``(words, risk hits, pieces, cleaned text)``."""
        # clean_text is called only where it may change the text: a text with a piece that holds
        # one of its marks is tested whole (_clean_as_is), the others are known to be clean.
        clean = type(raw) is str and len(raw) <= self._max_chars
        text: str = raw if clean else self._clean(raw)
        # No token spans a space, so each piece tokenises alone (and is cached).
        pieces = text.split(" ")
        piece_entries = self._piece_entries
        entries: list[PieceEntry] = []
        flags = 0
        mask = 0
        for piece in pieces:
            # .get first: compiled, a plain dict look-up (an item look-up on a dict subclass
            # goes through the generic protocol); a missing entry is worked out by [].
            cached = piece_entries.get(piece)
            entry = cached if cached is not None else piece_entries[piece]
            flags |= entry.flags
            if entry.mask:
                mask |= entry.mask
            entries.append(entry)
        if flags & _DIRTY and clean and not self._clean_as_is(text):
            text = self._clean(text)
            pieces = text.split(" ")
            entries = [piece_entries[piece] for piece in pieces]
            flags = 0
            mask = 0
            for entry in entries:
                flags |= entry.flags
                if entry.mask:
                    mask |= entry.mask
        # Whether a clause end may start a piece's tokens: said too often after a cut (the
        # pieces cut away keep theirs), never too seldom.
        leads = flags & _LEADS
        if flags & (_CUE | _NAME):
            # strip_boilerplate is strip_names, then the portals' furniture where a cue is.
            # Without a cue piece the text has no cue, and cutting a name makes none (the cues
            # are letters, "hak cipta" aside, and a name is cut up to a non-letter or a space
            # after a legal form, none of which ends in "hak").
            if flags & _CUE:
                stripped = self._strip_boilerplate(text)
                if stripped != text:
                    text = stripped
                    pieces = text.split(" ")
                    entries = [piece_entries[piece] for piece in pieces]
                    mask = 0
                    for entry in entries:
                        leads |= entry.flags & _LEADS
                        if entry.mask:
                            mask |= entry.mask
            else:
                # The mask is not worked out again after a cut: the whole text's still tells
                # where no risk pattern can match (the search sees the tokens after the cut),
                # and where no ellipsis is (a cut name holds no dot, and the legal form before
                # it ends in a letter or ")", so no ".." is made).
                cut = self._cut_names(pieces, entries)
                if cut is _WHOLE_TEXT:
                    text = self._strip_names(text)
                    pieces = text.split(" ")
                    entries = [piece_entries[piece] for piece in pieces]
                    for entry in entries:
                        leads |= entry.flags & _LEADS
                elif cut is not None:
                    pieces, entries, cut_flags = cut
                    leads |= cut_flags & _LEADS
                    text = " ".join(pieces)
        items: list[Item] = []
        specials: list[int] = []
        phrase_at: list[int] = []
        tail = _NO_STARTS
        for entry in entries:
            if entry.items:
                # _map's first loop, piece by piece: most pieces have nothing to add.
                base = len(items)
                if tail and entry.items[0][0] in tail:
                    phrase_at.append(base - 1)
                for k in entry.phrase_at:
                    phrase_at.append(base + k)
                for k in entry.specials:
                    specials.append(base + k)
                tail = entry.tail
                items += entry.items
        # A text whose tokens cannot make up any risk pattern (most texts) is not searched.
        rare = flags & _RARE  # a direction word and a subject, an ellipsis (few texts)
        directions = rare & _DIRECTIONS == _DIRECTIONS if rare else False
        if mask and self._risk.possible(mask):
            hits, tokens = self._risk_hits(items, leads)
            if hits:
                words = self._map_risky(tokens[0], tokens[1], hits, directions)
                if self._may_praise(words):
                    self._praise_then_complaint(words, self.lexicon)
                if rare & _ELLIPSIS:
                    self._irony(words, text)
                return words, hits, pieces, text
        found = self._tokens(items, leads) if directions else None
        if found is not None:
            words = self._map_risky(found[0], found[1], [], True)
        else:
            words = self._map(items, True, specials, phrase_at)
        if self._may_praise(words):
            self._praise_then_complaint(words, self.lexicon)
        if rare & _ELLIPSIS:
            self._irony(words, text)
        return words, [], pieces, text

    def _clean_as_is(self, text: str) -> bool:
        """Whether ``clean_text`` would return ``text`` as it is (most texts: it is then not
        called): short enough, none of the marks its steps start from (a loose "nya", a tag, an
        entity, a URL), no "no" meaning "nomor" (its own pattern says, where a "no" is) and,
        outside ASCII, no emoji modifier (its own pattern says). Where one is, ``clean_text``
        decides."""
        if (
            len(text) > self._max_chars
            or "<" in text
            or "&" in text
            or " nya" in text
            or "://" in text
            or "www." in text
        ):
            return False
        if ("no" in text or "No" in text or "NO" in text) and self._number_no(text) is not None:
            return False
        return text.isascii() or self._modifier(text) is None

    def _may_praise(self, words: list[str]) -> bool:
        """Whether ``praise_then_complaint`` may change ``words``: it changes nothing unless a
        clause end is among the first words and an opening praise before it (few texts; it is
        then not called)."""
        praise = False
        for k in range(min(len(words), self._praise_head)):
            word = words[k]
            if word == _BARRIER:
                return praise
            if word in self._opening_praise:
                praise = True
        return False

    def _irony(self, words: list[str], text: str) -> None:
        """``prepare``'s test for an ironic praise, made whole, on a text with a piece that
        held an ellipsis."""
        if len(words) <= self._irony_words and (".." in text or "\u2026" in text):
            self._trailing_irony(words, text, self.lexicon)

    def words(self, text: Any) -> tuple[list[str], list[str], int, int, bool]:
        """``(words, risk_terms, bangs, questions, cap_diff)`` of a text: the words and risk
        terms ``SentimentAnalyzer.prepare`` gives, the ``!`` and ``?`` counts (at most 4) and
        VADER's capitals flag."""
        words, hits, pieces, cleaned = self._prepared(text)
        risk_terms = list(dict.fromkeys(h.phrase for h in hits if h.flags))
        bangs = min(cleaned.count("!"), 4)
        return words, risk_terms, bangs, min(cleaned.count("?"), 4), self._cap_diff(pieces)

    def _map(
        self,
        items: list[Item],
        phrases: bool = True,
        found_specials: list[int] | None = None,
        found_phrases: list[int] | None = None,
    ) -> list[str]:
        """Phrases and the rule mapping over the pre-join tokens of a text (the per-text part of
        ``prepare`` and ``_map_rules``). Runs of plain tokens are copied whole; only rule words,
        fixed custom words, joined phrases and the words after an open negation go one by one.
        ``phrases=False``: the items are joined already (see :meth:`_map_risky`).
        ``found_specials`` and ``found_phrases``: the positions of the items the rules map and
        of those where a phrase may start, when known (from the pieces' entries)."""
        n = len(items)
        joins: dict[int, tuple[int, str]] = {}
        item: Item
        if found_specials is not None and found_phrases is not None:
            specials = found_specials
            phrase_at = found_phrases
        else:
            specials = []
            phrase_at = []
            for at in range(n):
                item = items[at]
                if not item[2]:
                    specials.append(at)
                # Only where the next token can continue a phrase is anything looked up.
                if phrases and item[4] and at + 1 < n and items[at + 1][0] in item[4]:
                    phrase_at.append(at)
        if phrase_at:
            joins = self._phrases(items, phrase_at)
        if joins:
            specials = _merged(specials, sorted(joins))
        elif not specials:
            words: list[str] = []
            for item in items:
                words += item[2]
            return words
        specials.append(n)
        words = []
        negation_open: bool | str = False
        pos = 0
        for at in specials:
            if at < pos:
                continue  # inside a joined phrase
            if negation_open:
                while pos < at:
                    item = items[pos]
                    pos += 1
                    words += item[2]
                    if item[3]:
                        if item[3] is True:
                            if negation_open is self._prohibition:
                                self._warn(words, self.lexicon)
                            elif negation_open is self._existential:
                                self._reach_negation(words)
                            words += _SPACERS
                        negation_open = False
                        break
                    if item[0] == "ada" and negation_open is True and words[-2] == _NEGATION:
                        negation_open = self._existential  # "tidak ada" (see _map_rules)
            while pos < at:
                words += items[pos][2]
                pos += 1
            if at == n:
                break
            token, surface, plain, kind, _, _ = items[at]
            pos = at + 1
            joined = joins.get(at)
            if joined is not None:
                size, token = joined
                pos = at + size
                # A joined surface holds a space: a token without one is never its lower case
                # (see _shouted), so the surface is needed only for a token with a space.
                surface = ""
                if " " in token:
                    surface = " ".join([item[1] for item in items[at : at + size]])
            elif plain is not None:  # words that are no special token (an emoji with none)
                words += plain
                continue
            elif kind == _K_LEAD:
                if at and items[at - 1][0] not in _AFTER_BARRIER:
                    words += _BARRIERS
                    negation_open = False
                continue
            if token in _NEGATORS:  # _map_one's first case, the most common one
                words.append(_NEGATION)
                # analyzer.opened_negation, inline
                if token in _PROHIBITIVES:
                    negation_open = self._prohibition
                elif token == "tidak_ada_yang":
                    negation_open = self._existential
                else:
                    negation_open = True
                continue
            negation_open = self._map_one(words, token, surface, negation_open)
        return words

    def _phrases(self, items: list[Item], starts: list[int]) -> dict[int, tuple[int, str]]:
        """Phrases, left to right, longest first: ``{position: (size, joined token)}``; a
        joined phrase's other tokens are taken."""
        joins: dict[int, tuple[int, str]] = {}
        taken = 0
        n = len(items)
        for at in starts:
            if at < taken:
                continue
            for size in self._phrase_index[items[at][0]][1]:
                if size <= n - at:
                    phrase = self.phrases.get(tuple([item[0] for item in items[at : at + size]]))
                    if phrase is not None:
                        joins[at] = (size, phrase)
                        taken = at + size
                        break
        return joins

    def _map_one(
        self, words: list[str], token: str, surface: str, negation_open: bool | str
    ) -> bool | str:
        """``_map_rules`` for one joined token; returns whether a negation is open after it (the
        analyzer's ``PROHIBITION`` when a prohibition opened it). ``_shouted`` is not called for
        a surface of one character or none (it is false there: most joined phrases)."""
        lexicon = self.lexicon
        if not token[0].isalpha() and self._is_emoji(token) and self._negation_near(words):
            words += _BARRIERS
            negation_open = False
        if token in _NEGATORS:
            words.append(_NEGATION)
            negation_open = self._opened_negation(token)
        elif negation_open and token in self.fixed:
            # A custom word keeps its sign: the negator before it no longer counts.
            self._unnegate(words)
            words.append(token)
            return False
        elif token in _PRE_INTENSIFIERS:
            words.append(_BOOST)
        elif token in _DAMPENERS:
            words.append(_DAMPEN)
        elif token in _CONTRASTS:
            words.append(_CONTRAST)
        elif token in _POST_INTENSIFIERS:
            previous = words[-1].lower() if words else ""
            if previous in lexicon and previous not in BOOSTER_DICT:
                words.insert(len(words) - 1, _BOOST)
                return negation_open
            if token not in lexicon:
                return negation_open
            words.append(surface if len(surface) > 1 and self._shouted(surface, token) else token)
        elif token in lexicon:
            words.append(surface if len(surface) > 1 and self._shouted(surface, token) else token)
        elif token in self.emojis:
            words += self.emojis[token].split()
            return negation_open
        else:
            words.append(self.analyzer._root(token))
        if negation_open and lexicon.get(words[-1]) and words[-1] != _NEGATION:
            if negation_open is self._prohibition:
                self._warn(words, lexicon)
            elif negation_open is self._existential:
                self._reach_negation(words)
            words += _SPACERS
            negation_open = False
        return negation_open

    def scores(
        self, text: Any
    ) -> tuple[tuple[float, float, float, float], list[risk.Hit], list[str]]:
        """``((neg, neu, pos, compound), risk hits, words)`` of one text.

        A text with a risk match (few are) has its words mapped by the analyzer's own
        ``risk_events`` and ``_map_rules`` (see :meth:`_map_risky`): the match's weight is not
        re-written here, so the words agree by construction.
        """
        values, words, hits, text = self._sentiments(text)
        if not words:
            return EMPTY, hits, words
        scores = _score_valence(values, len(words), text.count("!"), text.count("?"))
        return scores, hits, words

    def compound(self, text: Any) -> tuple[float, list[risk.Hit]]:
        """``(compound, risk hits)`` of one text: :meth:`scores` without neg, neu and pos."""
        values, _, hits, text = self._sentiments(text)
        if not values:
            return 0.0, hits
        return compound_of(values, text.count("!"), text.count("?")), hits

    def values(self, texts: Iterable[Any]) -> list[tuple[float, str, bool, str | None, str | None]]:
        """``SentimentAnalyzer.score_values`` of the lexicon (no model): ``(compound, label,
        risk, risk_category, risk_categories)`` of each text, the label as ``label_of`` gives
        it, the risk fields from ``risk.categories_of`` and ``risk.primary``."""
        positive = self._positive
        negative = self._negative
        rank_of = self._category_rank
        unknown = len(rank_of)
        out: list[tuple[float, str, bool, str | None, str | None]] = []
        for text in texts:
            compound, hits = self.compound(text)
            if compound >= positive:
                label = "positive"
            elif compound <= negative:
                label = "negative"
            else:
                label = "neutral"
            if hits:
                # risk.categories_of, Hit.flags and risk.primary, inline (compiled).
                categories: list[str] = []
                flagged = False
                primary: str | None = None
                best = 0
                for hit in hits:
                    if hit.status in _FLAGGING:
                        flagged = True
                        category = hit.category
                        if category not in categories:
                            categories.append(category)
                            # The first of the best-ranked (unknown categories rank last).
                            rank = rank_of.get(category, unknown)
                            if primary is None or rank < best:
                                primary = category
                                best = rank
                out.append((compound, label, flagged, primary, " ".join(categories) or None))
            else:
                out.append((compound, label, False, None, None))
        return out

    def _word_code(self, word: str) -> int:
        """What :meth:`_sentiments` needs of a prepared word: :data:`_MARKED` when its lower
        case is a word VADER's rules read (:func:`marked`), :data:`_LOWERS` when it is not its
        own lower case, :data:`_NOT_ASCII` when it holds a character outside ASCII but for the
        barrier's (such a word may be in capitals), :data:`_CONTRAST_WORD` when it is "but"."""
        low = word.lower()
        code = 0
        if low in self._marked or _NT in low:
            code |= _MARKED
        if low != word:
            code |= _LOWERS
        if not word.isascii() and not word.replace(_BARRIER, "").isascii():
            code |= _NOT_ASCII
        if word == _CONTRAST:
            code |= _CONTRAST_WORD
        if len(self._codes) > CACHE_LIMIT:
            self._codes.clear()
        self._codes[word] = code
        return code

    def _sentiments(self, text: Any) -> tuple[list[float], list[str], list[risk.Hit], str]:
        """``(non-zero sentiments, words, risk hits, cleaned text)`` of one text."""
        words, hits, pieces, text = self._prepared(text)
        if not words:
            return [], words, hits, text
        # One look-up per word (_word_code): whether VADER's rules read it, whether it has
        # capitals (ASCII words equal to their lower case have none; other scripts may: "ℂ").
        codes = self._codes
        marks: list[int] = []
        cased = 0
        for i in range(len(words)):
            word = words[i]
            if word is _BARRIER:  # a third of the words: the barrier's code is 0
                continue
            code = codes.get(word)
            if code is None:
                code = self._word_code(word)
            if code:
                if code & _MARKED:
                    marks.append(i)
                cased |= code
        if not marks:
            return [], words, hits, text
        low = [w.lower() for w in words] if cased & _LOWERS else words
        caps_possible = bool(cased & (_LOWERS | _NOT_ASCII))
        # The capitals flag is read only for a word in capitals (none when not caps_possible).
        cap_diff: Any = (lambda: self._cap_diff(pieces)) if caps_possible else False
        values = sentiments(
            words,
            self.lexicon,
            cap_diff,
            low=low,
            marks=marks,
            caps_possible=caps_possible,
            contrast=bool(cased & _CONTRAST_WORD),
        )
        return values, words, hits, text
