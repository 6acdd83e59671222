"""``SentimentAnalyzer``: VADER extended for Indonesian, English and code-mixed text.

How a text is scored:

1. Clean: ``None`` becomes empty, HTML tags, entities and URLs go, the text is cut at
   :data:`MAX_CHARS` characters.
2. Tokenise into words, emoticons and emoji; lower-case; squeeze elongated letters (``bagusss``);
   expand informal spellings with ``normalise.tsv`` (``yg`` -> ``yang``, ``gk`` -> ``tidak``).
3. Join phrases from the lexicon into one token (``gagal bayar`` -> ``gagal_bayar``) and note risk
   terms (``risk_terms.tsv``).
4. Rewrite Indonesian rule words to the English ones VADER's rules know (see ``rules.py``); find a
   word missing from the lexicon through its root (particles cut off, PySastrawi stemmer,
   reduplication ``bagus-bagus`` -> ``bagus``).
5. Score the token list with VADER's own valence, negation, booster and "but" rules, on a
   per-instance lexicon: VADER's English lexicon, the shipped Indonesian lexicon, then the
   installation's custom words. VADER's module globals are never changed.

A trained model (``citra.sentiment.model``), when one is active, decides the label and the compound
of :meth:`SentimentAnalyzer.score` / ``label`` / ``score_many``; ``polarity_scores`` and ``explain``
always show the lexicon's view, so a person can see why.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from os import PathLike
from typing import Any

from sqlite_utils import Database
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    SentimentIntensityAnalyzer,
    SentiText,
    allcap_differential,
)

from citra.sentiment import lexicon as lexicon_data
from citra.sentiment import rules
from citra.sentiment.fast import FastPath
from citra.sentiment.rules import word_set

MAX_CHARS = 20_000
# VADER's own cut-offs for its compound score.
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

# Emoji modifiers (variation selector, zero-width joiner, skin tones) are dropped.
_MODIFIER_RE = re.compile("[\ufe0f\u200d\U0001f3fb-\U0001f3ff]")
_TAG_RE = re.compile(r"<[^>]{0,500}>")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_TOKEN_RE = re.compile(
    r"(?P<emoticon>(?<!\w)(?:[:;=][-']?[)(DPp/\]\[3]+|<3|\^_?\^|-_-|>:\(|[xX]D)(?!\w))"
    r"|(?P<word>[^\W\d_]+(?:['\u2019-][^\W\d_]+)*2?)"
    r"|(?P<emoji>[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u2300-\u23FF])"
    r"|(?P<end>[.,!?;\n]+)"
)
_ELONGATED_RE = re.compile(r"([^\W\d_])\1{2,}")


def clean_text(text: Any) -> str:
    """Text fit for scoring: ``None`` -> ``""``; tags, entities, URLs removed; at most
    :data:`MAX_CHARS` characters."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = text[:MAX_CHARS]
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "://" in text or "www." in text:
        text = _URL_RE.sub(" ", text)
    if text.isascii():
        return text
    return _MODIFIER_RE.sub("", text)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    """The PySastrawi root of an Indonesian word (cached: the stemmer is slow)."""
    return _stemmer().stem(word)


@lru_cache(maxsize=1)
def _vader_base() -> tuple[dict[str, float], dict[str, str]]:
    """VADER's English lexicon and emoji descriptions, read once."""
    base = SentimentIntensityAnalyzer()
    return dict(base.lexicon), dict(base.emojis)


class _Vader(SentimentIntensityAnalyzer):
    """VADER with a lexicon and emoji table of its own; its rule methods are used unchanged."""

    def __init__(self, lexicon: dict[str, float], emojis: dict[str, str]):
        # Deliberately not calling super().__init__: it re-reads VADER's files on every instance.
        self.lexicon = lexicon
        self.emojis = emojis


class _Tokens(SentiText):
    """A ``SentiText`` over tokens already prepared (no re-splitting); only lexicon words written
    in capitals keep them."""

    def __init__(self, words: list[str], cap_diff: bool):
        self.text = " ".join(words)
        self.words_and_emoticons = words
        self.is_cap_diff = cap_diff


@dataclass
class Prepared:
    """A text after cleaning and rule mapping: what VADER scores, and where each token came from."""

    words: list[str] = field(default_factory=list)
    surfaces: list[str] = field(default_factory=list)
    risk_terms: list[str] = field(default_factory=list)
    punctuation: str = ""
    # VADER's test: some, but not all, words of the text are in capitals.
    cap_diff: bool = False


@dataclass(frozen=True)
class Score:
    """The result of scoring one text. ``compound`` is in -1..1; ``risk`` is true when a koperasi
    crisis term occurs, whatever the score."""

    compound: float
    label: str
    risk: bool
    neg: float = 0.0
    neu: float = 1.0
    pos: float = 0.0
    risk_terms: tuple[str, ...] = ()

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "compound": self.compound,
            "label": self.label,
            "risk": self.risk,
            "neg": self.neg,
            "neu": self.neu,
            "pos": self.pos,
            "risk_terms": list(self.risk_terms),
        }


def _score(
    compound: float, label: str, neg: float, neu: float, pos: float, risk_terms: tuple[str, ...]
) -> Score:
    return Score(compound, label, bool(risk_terms), neg, neu, pos, risk_terms)


def _shouted(surface: str, token: str) -> bool:
    """A lexicon word written in capitals keeps them, so VADER stresses it ("GREAT", "PARAH")."""
    return len(surface) > 1 and surface.isupper() and surface.lower() == token


def label_of(compound: float) -> str:
    """VADER's labelling of a compound score: >= 0.05 positive, <= -0.05 negative."""
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


class SentimentAnalyzer:
    """Sentiment of Indonesian, English and code-mixed text, with VADER's interface.

    ``SentimentAnalyzer()`` uses the shipped lexicon and rules. ``SentimentAnalyzer(db)`` (a path
    or a sqlite-utils ``Database``) also loads that installation's custom words and its active
    trained model. ``version`` names this combination; it is stored with every score
    (``mentions.lexicon_version``) and changes when the lexicon, the custom words or the active
    model change.
    """

    def __init__(
        self,
        db: Database | str | PathLike[str] | None = None,
        *,
        custom_words: Sequence[tuple[str, float]] | None = None,
        model: Any = None,
        use_model: bool = True,
    ):
        from citra.sentiment.model import TrainedModel

        shipped = lexicon_data.load()
        english, emojis = _vader_base()
        self.words: dict[str, float] = {**english, **shipped.words}
        self.phrases: dict[tuple[str, ...], str] = {**shipped.phrases, **rules.RULE_PHRASES}
        self.roots: set[str] = set(shipped.roots)
        self.normalise = shipped.normalise
        self.risk = shipped.risk
        self.model: TrainedModel | None = model
        model_id: int | None = None
        if db is not None:
            from citra.queries.sentiment import active_model_row, list_custom_words

            database = db if isinstance(db, Database) else _open(db)
            if custom_words is None:
                custom_words = [(w["term"], w["valence"]) for w in list_custom_words(database)]
            # The team's own words win over the neutral organisation names.
            custom_words = [*organisation_terms(database), *custom_words]
            if model is None and use_model:
                row = active_model_row(database)
                if row is not None:
                    self.model = TrainedModel.from_json(row["model_json"])
                    model_id = row["id"]
        custom = [(str(t), float(v)) for t, v in custom_words or []]
        for term, valence in custom:
            lexicon_data.add_term(self.words, self.phrases, term, float(valence), self.normalise)
            if " " not in term:
                self.roots.add(term)
        self.custom_words = custom
        if not use_model:
            self.model = None
        self._phrase_starts = {key[0] for key in self.phrases}
        self._risk_starts = {key[0] for key in self.risk}
        self._max_phrase = max((len(k) for k in (*self.phrases, *self.risk)), default=1)
        # VADER replaces emoji it knows by their English description; ours score directly.
        self._emojis = {k: v for k, v in emojis.items() if k not in self.words}
        self._vader = _Vader(self.words, {})
        self._token_cache: dict[str, tuple[str, ...]] = {}
        self._root_cache: dict[str, str] = {}
        self.version = self._version(shipped.version, custom, model_id)
        self._fast = FastPath(self)

    # --- identity ------------------------------------------------------------------------------

    def _version(self, base: str, custom: list[tuple[str, float]], model_id: int | None) -> str:
        tag = None
        if self.model is not None:
            tag = str(model_id) if model_id is not None else self.model.digest()
        return compose_version(base, custom, tag)

    # --- preparing a text ----------------------------------------------------------------------

    def _normalise_token(self, token: str) -> tuple[str, ...]:
        cached = self._token_cache.get(token)
        if cached is not None:
            return cached
        word = token.lower().replace("\u2019", "'")
        result: tuple[str, ...]
        if word in self.normalise:
            result = self.normalise[word]
        elif word in self.words or word in rules.RULE_WORDS:
            result = (word,)
        elif word.endswith("nya") and word[:-3] in self._phrase_starts:
            # "bunganya tinggi" is matched as the phrase "bunga tinggi".
            result = (word[:-3],)
        else:
            result = (word,)
            if len(word) > 2 and word.endswith("2") and word[:-1].isalpha():
                word = word[:-1]  # "bagus2" is written reduplication
                result = (word,)
            if _ELONGATED_RE.search(word):
                for squeezed in (
                    _ELONGATED_RE.sub(r"\1", word),
                    _ELONGATED_RE.sub(r"\1\1", word),
                ):
                    if squeezed in self.normalise:
                        result = self.normalise[squeezed]
                        break
                    if squeezed in self.words or squeezed in rules.RULE_WORDS:
                        result = (squeezed,)
                        break
                else:
                    result = (_ELONGATED_RE.sub(r"\1", word),)
        if len(self._token_cache) > 200_000:
            self._token_cache.clear()
        self._token_cache[token] = result
        return result

    def _root(self, word: str) -> str:
        """The lexicon entry a word not in the lexicon stands for, else the word itself."""
        cached = self._root_cache.get(word)
        if cached is not None:
            return cached
        root = word
        if "-" in word:
            left, _, right = word.partition("-")
            for part in (right, left):
                found = self._root(part) if part else part
                if found in self.words and (found in self.roots or found == part):
                    root = found
                    break
        elif word.isalpha() and len(word) > 3:
            for suffix in rules.SUFFIXES:
                base = word[: -len(suffix)]
                if not word.endswith(suffix) or len(base) < 3:
                    continue
                base = self.normalise.get(base, (base,))[0]
                if base in self.roots:
                    root = base
                    break
            else:
                stem = _stem(word) if word.isascii() else word
                if stem in self.roots:
                    root = stem
        if len(self._root_cache) > 200_000:
            self._root_cache.clear()
        self._root_cache[word] = root
        return root

    def prepare(self, text: Any) -> Prepared:
        """Clean, tokenise, normalise and rule-map a text (see the module docstring)."""
        text = clean_text(text)
        prepared = Prepared()
        bangs = min(text.count("!"), 4)
        questions = min(text.count("?"), 4)
        prepared.punctuation = "!" * bangs + "?" * questions
        tokens: list[str] = []
        surfaces: list[str] = []
        written: list[str] = []
        for match in _TOKEN_RE.finditer(text):
            surface = match.group()
            kind = match.lastgroup
            if kind != "end":
                written.append(surface)
            if kind == "word":
                for part in self._normalise_token(surface):
                    tokens.append(part)
                    surfaces.append(surface)
            elif kind == "end":
                if tokens and tokens[-1] != rules.BARRIER:
                    tokens.append(rules.BARRIER)
                    surfaces.append(surface)
            else:
                tokens.append(surface.lower())  # ":D" and ":d" are one emoticon
                surfaces.append(surface)
        # Risk terms and phrases, longest first.
        joined: list[tuple[str, str]] = []
        risk_found: list[str] = []
        n = len(tokens)
        i = 0
        while i < n:
            token = tokens[i]
            if token in self._risk_starts:
                for size in range(min(self._max_phrase, n - i), 0, -1):
                    key = tuple(tokens[i : i + size])
                    if key in self.risk:
                        risk_found.append(" ".join(key))
                        break
            if token in self._phrase_starts:
                for size in range(min(self._max_phrase, n - i), 1, -1):
                    key = tuple(tokens[i : i + size])
                    phrase = self.phrases.get(key)
                    if phrase is not None:
                        joined.append((" ".join(surfaces[i : i + size]), phrase))
                        i += size
                        break
                else:
                    joined.append((surfaces[i], token))
                    i += 1
            else:
                joined.append((surfaces[i], token))
                i += 1
        prepared.risk_terms = list(dict.fromkeys(risk_found))
        prepared.cap_diff = any(w.isupper() for w in written) and allcap_differential(written)
        self._map_rules(joined, prepared)
        return prepared

    def _map_rules(self, joined: list[tuple[str, str]], prepared: Prepared) -> None:
        words = prepared.words
        surfaces = prepared.surfaces
        lexicon = self.words
        negation_open = False
        for surface, token in joined:
            if token == rules.BARRIER:
                # Keep negation and boosters inside their sentence.
                words.extend([rules.BARRIER] * rules.BARRIER_WIDTH)
                surfaces.extend([surface] * rules.BARRIER_WIDTH)
                negation_open = False
                continue
            if token in rules.NEGATORS or token in rules.SOFT_NEGATORS:
                words.append(rules.NEGATION)
                negation_open = True
            elif token in rules.PRE_INTENSIFIERS:
                words.append(rules.BOOST)
            elif token in rules.DAMPENERS:
                words.append(rules.DAMPEN)
            elif token in rules.CONTRASTS:
                words.append(rules.CONTRAST)
            elif token in rules.POST_INTENSIFIERS:
                previous = words[-1].lower() if words else ""
                if previous in lexicon and previous not in BOOSTER_DICT:
                    # "bagus banget" -> "very bagus": VADER boosts a word from before it.
                    words.insert(len(words) - 1, rules.BOOST)
                    surfaces.insert(len(surfaces) - 1, surface)
                    continue
                if token not in lexicon:
                    continue
                words.append(surface if _shouted(surface, token) else token)
            elif token in lexicon:
                words.append(surface if _shouted(surface, token) else token)
            elif token in self._emojis:
                for part in self._emojis[token].split():
                    words.append(part)
                    surfaces.append(surface)
                continue
            else:
                words.append(self._root(token))
            surfaces.append(surface)
            if negation_open and lexicon.get(words[-1]) and words[-1] != rules.NEGATION:
                words.extend([rules.BARRIER] * rules.NEGATION_SPACERS)
                surfaces.extend([surface] * rules.NEGATION_SPACERS)
                negation_open = False

    # --- scoring -------------------------------------------------------------------------------

    def _sentiments(self, prepared: Prepared) -> list[float]:
        words = prepared.words
        vader = self._vader
        tokens = _Tokens(words, prepared.cap_diff)
        sentiments: list[float] = []
        last = len(words) - 1
        for i, item in enumerate(words):
            low = item.lower()
            if low in BOOSTER_DICT or (low == "kind" and i < last and words[i + 1] == "of"):
                sentiments.append(0.0)
                continue
            sentiments = vader.sentiment_valence(0.0, tokens, item, i, sentiments)
        if rules.CONTRAST in words:
            sentiments = vader._but_check(words, sentiments)
        return sentiments

    def polarity_scores(self, text: Any) -> dict[str, float]:
        """VADER's scores by the lexicon and rules: ``{"neg", "neu", "pos", "compound"}``.

        ``compound`` is in -1..1. Empty, ``None`` or unreadable text scores 0 (neutral).
        """
        (neg, neu, pos, compound), _, _ = self._fast.scores(text)
        return {"neg": neg, "neu": neu, "pos": pos, "compound": compound}

    def score(self, text: Any) -> Score:
        """The score of one text: the model's label when one is active, else the lexicon's."""
        return self.score_many([text])[0]

    def score_many(self, texts: Iterable[Any]) -> list[Score]:
        """Scores for many texts, in order (the model, if any, runs once over the batch).

        Scored by the fast path (``citra.sentiment.fast``): the scores of the straightforward
        ``prepare`` + VADER path (``citra.sentiment.reference``), computed with caches.
        """
        scores = self._fast.scores
        results = [scores(text) for text in texts]
        if self.model is not None and results:
            lexical = [
                {"neg": neg, "neu": neu, "pos": pos, "compound": compound}
                for (neg, neu, pos, compound), _, _ in results
            ]
            predictions = self.model.predict([" ".join(words) for _, _, words in results], lexical)
        else:
            predictions = [(label_of(values[3]), values[3]) for values, _, _ in results]
        return [
            _score(round(float(compound), 4), label, neg, neu, pos, tuple(risk_terms))
            for ((neg, neu, pos, _), risk_terms, _), (label, compound) in zip(
                results, predictions, strict=True
            )
        ]

    def score_values(self, texts: Iterable[Any]) -> list[tuple[float, str, bool]]:
        """``(compound, label, risk)`` of each text, in order: what a stored mention keeps, as
        :meth:`score_many` gives it, without building :class:`Score` objects."""
        if self.model is not None:
            return [(s.compound, s.label, s.risk) for s in self.score_many(texts)]
        scores = self._fast.scores
        out = []
        for text in texts:
            values, risk_terms, _ = scores(text)
            compound = round(float(values[3]), 4)
            out.append((compound, label_of(values[3]), bool(risk_terms)))
        return out

    def label(self, text: Any) -> str:
        """``"positive"``, ``"negative"`` or ``"neutral"`` (the active model's, if any)."""
        return self.score(text).label

    def risk_terms(self, text: Any) -> list[str]:
        """The koperasi crisis terms found in a text (normalised), in order of appearance."""
        return self.prepare(text).risk_terms

    def explain(self, text: Any) -> list[dict[str, Any]]:
        """Why the lexicon scored a text as it did: one reason per word or phrase that carried
        weight, in text order: ``{"word", "valence", "base", "rule"}``.

        ``base`` is the lexicon valence (-4..4), ``valence`` what it counted after the rules;
        ``rule`` is ``lexicon``, ``negated``, ``intensified``, ``dampened``, ``contrast
        (weakened)`` or ``contrast (stressed)`` (several joined by ``+``). Risk terms are listed
        with rule ``risk``. Empty text gives an empty list.
        """
        prepared = self.prepare(text)
        sentiments = self._sentiments(prepared)
        words = prepared.words
        but_at = words.index(rules.CONTRAST) if rules.CONTRAST in words else None
        reasons: list[dict[str, Any]] = []
        for i, (word, value) in enumerate(zip(words, sentiments, strict=True)):
            if not value:
                continue
            window = words[max(0, i - 3) : i]
            applied = []
            if rules.NEGATION in window or any(w in _ENGLISH_NEGATORS for w in window):
                applied.append("negated")
            boosters = [BOOSTER_DICT[w] for w in window if w in BOOSTER_DICT]
            if any(b > 0 for b in boosters):
                applied.append("intensified")
            if any(b < 0 for b in boosters):
                applied.append("dampened")
            if but_at is not None and i != but_at:
                applied.append("contrast (weakened)" if i < but_at else "contrast (stressed)")
            reasons.append(
                {
                    "word": prepared.surfaces[i],
                    "valence": round(value, 3),
                    "base": self.words.get(word.lower(), 0.0),
                    "rule": "+".join(applied) or "lexicon",
                }
            )
        for term in prepared.risk_terms:
            reasons.append({"word": term, "valence": 0.0, "base": 0.0, "rule": "risk"})
        return reasons


_ENGLISH_NEGATORS = word_set(
    "not never no nor none nothing nowhere without cannot can't don't doesn't didn't isn't "
    "aren't wasn't weren't won't wouldn't shouldn't couldn't dont doesnt didnt isnt arent wasnt "
    "werent wont wouldnt shouldnt couldnt cant"
)


def compose_version(base: str, custom: Sequence[tuple[str, float]], model_tag: str | None) -> str:
    """``lex-<hash of the data files>[.w<hash of custom words>][.m<model id>]``."""
    version = base
    if custom:
        pairs = [[term, float(valence)] for term, valence in custom]
        digest = hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()
        version += ".w" + digest[:8]
    if model_tag is not None:
        version += ".m" + model_tag
    return version


def organisation_terms(db: Database) -> list[tuple[str, float]]:
    """Every spelling of the coop's and the peers' names, as neutral (0.0) terms.

    Coops are named for good things ("Sejahtera", "Tunas Makmur", "Amanah", "Sumber Rejeki"): a
    mention of "KSP Sejahtera" is not praise. The spellings are the organisation matcher's
    (legal-form prefixes, glued hashtags), plus a multi-word name without its prefix.
    """
    from citra.matching import normalize, split_prefix, term_variants
    from citra.queries.organisations import list_organisations

    terms: set[str] = set()
    for org in list_organisations(db):
        for term in org.search_terms:
            terms |= term_variants(term)
            _, core = split_prefix(normalize(term).split())
            if len(core) >= 2:
                terms.add(" ".join(core))
    return [(term, 0.0) for term in sorted(terms)]


def analyzer_version(db: Database) -> str:
    """The ``version`` ``SentimentAnalyzer(db)`` would have, without building one (cheap)."""
    from citra.queries.sentiment import active_model_info, list_custom_words

    custom = [
        *organisation_terms(db),
        *((w["term"], w["valence"]) for w in list_custom_words(db)),
    ]
    active = active_model_info(db)
    return compose_version(
        lexicon_data.load().version, custom, str(active["id"]) if active else None
    )


def _open(path: str | PathLike[str]) -> Database:
    from citra import store

    return store.open_db(path)
