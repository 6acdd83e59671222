"""``SentimentAnalyzer``: VADER extended for Indonesian, English and code-mixed text.

How a text is scored:

1. Clean: ``None`` becomes empty, HTML tags, entities and URLs go, the text is cut at
   :data:`MAX_CHARS` characters.
2. Tokenise into words, emoticons and emoji; lower-case; squeeze elongated letters (``bagusss``);
   expand informal spellings with ``normalise.tsv`` (``yg`` -> ``yang``, ``gk`` -> ``tidak``).
3. Find the koperasi risk matches (``citra.sentiment.risk``: categories, the phrase, whether
   hedged, denied, advice or resolved); join phrases from the lexicon into one token
   (``gagal bayar`` -> ``gagal_bayar``); let the risk matches weigh in (:func:`risk_events`).
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
    NEGATE,
    SentimentIntensityAnalyzer,
    SentiText,
    allcap_differential,
)

from citra.sentiment import lexicon as lexicon_data
from citra.sentiment import risk, rules
from citra.sentiment.boilerplate import strip_boilerplate
from citra.sentiment.fast import FastPath
from citra.sentiment.rules import word_set

MAX_CHARS = 20_000
_VADER_NEGATE = frozenset(NEGATE)
# Cut-offs for the compound score. VADER's own are +-0.05; the positive one is higher here because
# neutral Indonesian and English texts (news, service replies, promotions, polite requests) carry
# one mild positive word ("terima kasih", "semoga", "baik kak", "free") far more often than a mild
# negative one: a text whose only weight is one word of valence below about 1.2 stays neutral.
# Chosen on the NusaX-id and NusaX-en train splits (bench/eval_sentiment.py).
POSITIVE_THRESHOLD = 0.3
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
# "no" as the Indonesian abbreviation of "nomor" (number): "no. rekening", "no hp 0812...",
# "No. 12/2024"; VADER reads "no" as a negative word. Rewritten before tokenising.
_NUMBER_NO_RE = re.compile(
    r"[Nn][Oo](?<![\w.][Nn][Oo])(?:\. *| +)"
    r"(?=\d|(?i:rek|rekening|hp|hape|telp|tlp|telepon|wa|ktp|kk|anggota|akun|va|kontak|"
    r"pelanggan|polis|induk|urut|registrasi|pendaftaran|id|resi|invoice|kwitansi|surat|sk|"
    r"perkara|register)\b)"
)
# A possessive "nya" written apart ("harga nya mahal", "sayang nya"): joined to its word, as
# ``re.sub(r"(?<=[^\W\d_]) nya\b", "nya", text, flags=re.IGNORECASE)`` would, three times
# faster (a third of SmSA's texts hold one; tests/test_sentiment_informal.py holds the two equal).
_SPACED_NYA_RE = re.compile(" [nN][yY][aA]")


def _join_loose_nya(text: str) -> str:
    out: list[str] | None = None
    start = 0
    n = len(text)
    for match in _SPACED_NYA_RE.finditer(text):
        at = match.start()
        end = at + 4
        before = text[at - 1] if at else ""
        if not before.isalnum() or before.isdecimal():  # a letter before it ([^\W\d_])
            continue
        if end < n and (text[end].isalnum() or text[end] == "_"):  # a word ends there (\b)
            continue
        if out is None:
            out = []
        out += (text[start:at], "nya")
        start = end
    if out is None:
        return text
    out.append(text[start:])
    return "".join(out)


def clean_text(text: Any) -> str:
    """Text fit for scoring: ``None`` -> ``""``; tags, entities, URLs removed; "no" meaning
    "nomor" written out ("no. rekening" -> "nomor rekening"); at most :data:`MAX_CHARS`
    characters. (The fast path skips the call where none of the marks below is in the text:
    ``FastPath._clean_as_is`` names them too; a new step here needs its mark there.)"""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = text[:MAX_CHARS]
    if " nya" in text:
        text = _join_loose_nya(text)
    if ("no" in text or "No" in text or "NO" in text) and _NUMBER_NO_RE.search(text):
        text = _NUMBER_NO_RE.sub("nomor ", text)
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
    risk_hits: list[risk.Hit] = field(default_factory=list)
    # The normalised tokens the risk search read (clause ends as risk.CLAUSE_END): where
    # risk_hits' start and end point.
    tokens: list[str] = field(default_factory=list)
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
    # Every flagged risk category, in order of appearance; the primary one (see risk.primary).
    risk_categories: tuple[str, ...] = ()
    risk_category: str | None = None

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
            "risk_categories": list(self.risk_categories),
            "risk_category": self.risk_category,
        }


_new_object = object.__new__
_set_attribute = object.__setattr__


def _score(
    compound: float, label: str, neg: float, neu: float, pos: float, hits: Sequence[risk.Hit]
) -> Score:
    """A :class:`Score`, built without the frozen dataclass's ``__init__`` (one
    ``object.__setattr__`` per field): the same object, several times quicker, for
    ``score_many`` over a batch. Keep the keys in step with the fields."""
    if hits:
        risk_terms = tuple(dict.fromkeys(h.phrase for h in hits if h.flags))
        categories = tuple(risk.categories_of(hits))
        flagged = bool(risk_terms)
        primary = risk.primary(categories)
    else:
        risk_terms = categories = ()
        flagged = False
        primary = None
    score = _new_object(Score)
    _set_attribute(
        score,
        "__dict__",
        {
            "compound": compound,
            "label": label,
            "risk": flagged,
            "neg": neg,
            "neu": neu,
            "pos": pos,
            "risk_terms": risk_terms,
            "risk_categories": categories,
            "risk_category": primary,
        },
    )
    return score


# What a stored mention keeps of a score: (compound, label, risk, risk_category,
# risk_categories space-separated or None).
Values = tuple[float, str, bool, str | None, str | None]


def stored_values(score: Score) -> Values:
    """The fields of a score a stored mention keeps (see :data:`Values`)."""
    return (
        score.compound,
        score.label,
        score.risk,
        score.risk_category,
        " ".join(score.risk_categories) or None,
    )


def _shouted(surface: str, token: str) -> bool:
    """A lexicon word written in capitals keeps them, so VADER stresses it ("GREAT", "PARAH")."""
    return len(surface) > 1 and surface.isupper() and surface.lower() == token


def label_of(compound: float) -> str:
    """The label of a compound score: >= 0.3 positive, <= -0.05 negative (VADER's own positive
    cut-off is 0.05; see :data:`POSITIVE_THRESHOLD`)."""
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


class SentimentAnalyzer:
    """Sentiment of Indonesian, English and code-mixed text, with VADER's interface.

    ``SentimentAnalyzer()`` uses the shipped lexicon and rules. ``SentimentAnalyzer(db)`` (a path
    or a sqlite-utils ``Database``) also loads that installation's custom words, its own risk
    phrases and not-a-risk phrases (Settings) and its active trained model. ``version`` names
    this combination; it is stored with every score (``mentions.lexicon_version``) and changes
    when the lexicon, the rule code, the custom words, the risk or not-a-risk phrases or the
    active model change.
    """

    def __init__(
        self,
        db: Database | str | PathLike[str] | None = None,
        *,
        custom_words: Sequence[tuple[str, float]] | None = None,
        model: Any = None,
        use_model: bool = True,
        risk_phrases: Sequence[tuple[str, str]] | None = None,
        not_risk_phrases: Sequence[str] | None = None,
    ):
        from citra.sentiment.model import TrainedModel

        shipped = lexicon_data.load()
        english, emojis = _vader_base()
        self.words: dict[str, float] = {**english, **shipped.words}
        self.phrases: dict[tuple[str, ...], str] = {**shipped.phrases, **rules.RULE_PHRASES}
        self.roots: set[str] = set(shipped.roots)
        self.normalise = shipped.normalise
        self.risk = shipped.risk
        self.taxonomy = risk.Taxonomy.shipped()
        self.model: TrainedModel | None = model
        model_id: int | None = None
        self.risk_phrases: list[tuple[str, str]] = [(str(p), str(c)) for p, c in risk_phrases or ()]
        self.not_risk_phrases: list[str] = [str(p) for p in not_risk_phrases or ()]
        if db is not None:
            from citra.queries.risk import not_risk_phrases as load_not_risk_phrases
            from citra.queries.risk import risk_phrases as load_risk_phrases
            from citra.queries.sentiment import active_model_row, list_custom_words

            database = db if isinstance(db, Database) else _open(db)
            if risk_phrases is None:
                self.risk_phrases = load_risk_phrases(database)
            if not_risk_phrases is None:
                self.not_risk_phrases = load_not_risk_phrases(database)
            if custom_words is None:
                custom_words = [(w["term"], w["valence"]) for w in list_custom_words(database)]
            # The team's own words win over the neutral organisation names.
            custom_words = [*organisation_terms(database), *custom_words]
            if model is None and use_model:
                row = active_model_row(database)
                if row is not None:
                    self.model = TrainedModel.from_json(row["model_json"])
                    model_id = row["id"]
        if self.risk_phrases:
            # The coop's own risk phrases (Settings) join the shipped taxonomy.
            self.taxonomy = self.taxonomy.with_phrases(self.risk_phrases)
        if self.not_risk_phrases:
            # Where the coop's risk words are no risk (Settings): matches set aside.
            self.taxonomy = self.taxonomy.with_not_risk(self.not_risk_phrases)
        custom = [(str(t), float(v)) for t, v in custom_words or []]
        for term, valence in custom:
            lexicon_data.add_term(self.words, self.phrases, term, float(valence), self.normalise)
            if " " not in term:
                self.roots.add(term)
        self.fixed = fixed_terms(custom, self.normalise) | {RISK_EVENT, RESOLVED_EVENT}
        self.custom_words = custom
        if not use_model:
            self.model = None
        self._phrase_starts = {key[0] for key in self.phrases}
        self.directions = direction_subjects(self.phrases)
        self._max_phrase = max((len(k) for k in self.phrases), default=1)
        self.words.setdefault(RISK_EVENT, RISK_EVENT_VALENCE)
        self.words.setdefault(RESOLVED_EVENT, RESOLVED_EVENT_VALENCE)
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
        return compose_version(base, custom, tag, self.risk_phrases, self.not_risk_phrases)

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
                result = reduplicated(word, self.normalise, self.words)
            # A reduplication read as its own word or spelling ("pura2", "cepet2") is done;
            # any other word may still be stretched ("bagusss") or end in a doubled letter.
            unread = result == (word,)
            if unread and _ELONGATED_RE.search(word):
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
            elif unread and len(word) > 3 and word[-1] == word[-2]:
                # A last letter written twice ("kerenn", "parahh"): squeezed when that is a word.
                squeezed = word[:-1]
                if squeezed in self.normalise:
                    result = self.normalise[squeezed]
                elif squeezed in self.words or squeezed in rules.RULE_WORDS:
                    result = (squeezed,)
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
                else:
                    root = next((r for r in rules.informal_forms(word) if r in self.roots), word)
        if len(self._root_cache) > 200_000:
            self._root_cache.clear()
        self._root_cache[word] = root
        return root

    def prepare(self, text: Any) -> Prepared:
        """Clean, tokenise, normalise and rule-map a text (see the module docstring)."""
        text = strip_boilerplate(clean_text(text))
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
        hits = self.taxonomy.find(tokens) if tokens else []
        prepared.risk_hits = hits
        prepared.tokens = tokens
        prepared.risk_terms = list(dict.fromkeys(h.phrase for h in hits if h.flags))
        # Phrases, longest first; starts[k] is the token index joined[k] begins at.
        joined: list[tuple[str, str]] = []
        starts: list[int] = []
        n = len(tokens)
        i = 0
        while i < n:
            token = tokens[i]
            starts.append(i)
            if token in self._phrase_starts:
                for size in range(min(self._max_phrase, n - i), 1, -1):
                    key = tuple(tokens[i : i + size])
                    phrase = self.phrases.get(key)
                    if phrase is not None:
                        # A word expanded to several ("gabisa" -> "tidak bisa") is shown once.
                        shown = [
                            w
                            for k, w in enumerate(surfaces[i : i + size])
                            if w != surfaces[i + k - 1] or not k
                        ]
                        joined.append((" ".join(shown), phrase))
                        i += size
                        break
                else:
                    joined.append((surfaces[i], token))
                    i += 1
            else:
                joined.append((surfaces[i], token))
                i += 1
        if self.directions:
            joined = gapped_directions(joined, self.directions)
        if hits:
            joined = risk_events(joined, starts, hits, self.words)
        prepared.cap_diff = any(w.isupper() for w in written) and allcap_differential(written)
        self._map_rules(joined, prepared)
        praise_then_complaint(prepared.words, self.words)
        if len(prepared.words) <= IRONY_WORDS and (".." in text or "\u2026" in text):
            trailing_irony(prepared.words, text, self.words)
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
            if is_emoji(token) and negation_near(words):
                # An emoji says how the writer feels; a negator before it does not flip it.
                words.extend([rules.BARRIER] * rules.BARRIER_WIDTH)
                surfaces.extend([surface] * rules.BARRIER_WIDTH)
                negation_open = False
            if token in rules.NEGATORS or token in rules.SOFT_NEGATORS:
                words.append(rules.NEGATION)
                negation_open = opened_negation(token)
            elif negation_open and token in self.fixed:
                # A custom word keeps its sign: the negator before it no longer counts.
                unnegate(words)
                words.append(token)
                negation_open = False
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
            if negation_open is True and token == "ada" and words[-2] == rules.NEGATION:
                negation_open = EXISTENTIAL  # "tidak ada": the negation reaches further
            if negation_open and lexicon.get(words[-1]) and words[-1] != rules.NEGATION:
                if negation_open is PROHIBITION:
                    warn(words, lexicon)
                elif negation_open is EXISTENTIAL:
                    reach_negation(words, surfaces)
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
        if self.model is None:
            out = []
            for text in texts:
                (neg, neu, pos, compound), hits, _ = scores(text)
                if compound >= POSITIVE_THRESHOLD:
                    label = "positive"
                elif compound <= NEGATIVE_THRESHOLD:
                    label = "negative"
                else:
                    label = "neutral"
                out.append(_score(round(float(compound), 4), label, neg, neu, pos, hits))
            return out
        results = [scores(text) for text in texts]
        if results:
            lexical = [
                {"neg": neg, "neu": neu, "pos": pos, "compound": compound}
                for (neg, neu, pos, compound), _, _ in results
            ]
            predictions = self.model.predict([" ".join(words) for _, _, words in results], lexical)
        else:
            predictions = [(label_of(values[3]), values[3]) for values, _, _ in results]
        return [
            _score(round(float(compound), 4), label, neg, neu, pos, hits)
            for ((neg, neu, pos, _), hits, _), (label, compound) in zip(
                results, predictions, strict=True
            )
        ]

    def score_values(self, texts: Iterable[Any]) -> list[Values]:
        """``(compound, label, risk, risk_category, risk_categories)`` of each text, in order:
        what a stored mention keeps (``risk_categories`` space-separated, ``None`` when there
        is none), as :meth:`score_many` gives it, without building :class:`Score` objects."""
        if self.model is not None:
            return [stored_values(s) for s in self.score_many(texts)]
        # The loop runs in the fast path (compiled): label_of's thresholds, risk's categories.
        return self._fast.values(texts)

    def label(self, text: Any) -> str:
        """``"positive"``, ``"negative"`` or ``"neutral"`` (the active model's, if any)."""
        return self.score(text).label

    def risk_terms(self, text: Any) -> list[str]:
        """The koperasi crisis phrases that flag a text (normalised), in order of appearance."""
        return self.prepare(text).risk_terms

    def risk_hits(self, text: Any) -> list[risk.Hit]:
        """Every risk match in a text, flagging or not, with category and status."""
        return self.prepare(text).risk_hits

    def explain(self, text: Any) -> list[dict[str, Any]]:
        """Why the lexicon scored a text as it did: one reason per word or phrase that carried
        weight, in text order: ``{"word", "valence", "base", "rule"}``.

        ``base`` is the lexicon valence (-4..4), ``valence`` what it counted after the rules;
        ``rule`` is ``lexicon``, ``negated``, ``intensified``, ``dampened``, ``contrast
        (weakened)`` or ``contrast (stressed)`` (several joined by ``+``). Risk terms are listed
        last with rule ``risk`` (``risk (hedged)``, ``risk (denied)``; ``risk (advice, not
        flagged)``, ``risk (resolved, not flagged)``, ``risk (set aside, not flagged)`` with
        ``set_aside_by``, the coop's not-a-risk phrase that set it aside) and their
        ``category``; the weight a risk match adds is listed as the rule ``risk event`` or
        ``resolved``. Empty text gives an empty list.
        """
        prepared = self.prepare(text)
        sentiments = self._sentiments(prepared)
        words = prepared.words
        but_at = words.index(rules.CONTRAST) if rules.CONTRAST in words else None
        reasons: list[dict[str, Any]] = []
        for i, (word, value) in enumerate(zip(words, sentiments, strict=True)):
            if word == IRONY:
                surface = prepared.surfaces[i]
                base = self.words.get(surface.lower(), 0.0)
                reasons.append({"word": surface, "valence": 0.0, "base": base, "rule": "irony"})
            if not value:
                continue
            window = words[max(0, i - 3) : i]
            applied = []
            if rules.NEGATION in window or any(w in _ENGLISH_NEGATORS for w in window):
                applied.append("negated")
            if PROHIBITION in window:
                # "jangan ..." warns; "harusnya ..." says what should be: both keep a negative
                # word's sign, and the reason names which one stood there.
                at = max(0, i - 3) + window.index(PROHIBITION)
                should = prepared.surfaces[at].lower() in rules.COUNTERFACTUALS
                applied.append("should (not negated)" if should else "warning (not negated)")
            boosters = [BOOSTER_DICT[w] for w in window if w in BOOSTER_DICT]
            if any(b > 0 for b in boosters):
                applied.append("intensified")
            if any(b < 0 for b in boosters):
                applied.append("dampened")
            if but_at is not None and i != but_at:
                applied.append("contrast (weakened)" if i < but_at else "contrast (stressed)")
            if word in (RISK_EVENT, RESOLVED_EVENT):
                applied = ["risk event" if word == RISK_EVENT else "resolved"]
            reasons.append(
                {
                    "word": prepared.surfaces[i],
                    "valence": round(value, 3),
                    "base": self.words.get(word.lower(), 0.0),
                    "rule": "+".join(applied) or "lexicon",
                }
            )
        for hit in prepared.risk_hits:
            reason = {
                "word": hit.phrase,
                "valence": 0.0,
                "base": 0.0,
                "rule": RISK_RULES[hit.status],
                "category": hit.category,
            }
            if hit.set_aside_by is not None:
                reason["set_aside_by"] = hit.set_aside_by
            reasons.append(reason)
        return reasons


_ENGLISH_NEGATORS = word_set(
    "not never no nor none nothing nowhere without cannot can't don't doesn't didn't isn't "
    "aren't wasn't weren't won't wouldn't shouldn't couldn't dont doesnt didnt isnt arent wasnt "
    "werent wont wouldnt shouldnt couldnt cant"
)


def compose_version(
    base: str,
    custom: Sequence[tuple[str, float]],
    model_tag: str | None,
    risk_phrases: Sequence[tuple[str, str]] = (),
    not_risk_phrases: Sequence[str] = (),
) -> str:
    """``lex-<hash of the data files and rule code>[.w<hash of custom words>][.r<hash of the
    coop's risk phrases>][.n<hash of its not-a-risk phrases>][.m<model id>]``."""
    version = base
    if custom:
        pairs = [[term, float(valence)] for term, valence in custom]
        digest = hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()
        version += ".w" + digest[:8]
    if risk_phrases:
        rows = [[pattern, category] for pattern, category in risk_phrases]
        digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
        version += ".r" + digest[:8]
    if not_risk_phrases:
        digest = hashlib.sha256(
            json.dumps(list(not_risk_phrases), ensure_ascii=False).encode()
        ).hexdigest()
        version += ".n" + digest[:8]
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
    from citra.queries.risk import not_risk_phrases, risk_phrases
    from citra.queries.sentiment import active_model_info, list_custom_words

    custom = [
        *organisation_terms(db),
        *((w["term"], w["valence"]) for w in list_custom_words(db)),
    ]
    active = active_model_info(db)
    return compose_version(
        lexicon_data.load().version,
        custom,
        str(active["id"]) if active else None,
        risk_phrases(db),
        not_risk_phrases(db),
    )


def _open(path: str | PathLike[str]) -> Database:
    from citra import store

    return store.open_db(path)


# --- rule changes of the risk work (small functions, to port onto other analyzers) ------------

# What a risk match adds to the score when none of its own words is negative ("restrukturisasi",
# "izin dicabut", "PKPU"), and what a resolved one stands for ("completes delayed payout").
RISK_EVENT = "\u26a0risk"
RISK_EVENT_VALENCE = -1.8
RESOLVED_EVENT = "\u2713resolved"
RESOLVED_EVENT_VALENCE = 1.8
# A token no lexicon or root lookup knows: a word whose weight was taken away.
NEUTRAL = "\u2205"
RISK_RULES = {
    "asserted": "risk",
    "hedged": "risk (hedged)",
    "denied": "risk (denied)",
    "advice": "risk (advice, not flagged)",
    "resolved": "risk (resolved, not flagged)",
    risk.SET_ASIDE: "risk (set aside, not flagged)",
}


def risk_events(
    joined: list[tuple[str, str]],
    starts: Sequence[int],
    hits: Sequence[risk.Hit],
    lexicon: dict[str, float],
) -> list[tuple[str, str]]:
    """``joined`` (``(surface, token)`` pairs) with the risk matches weighing in:

    - asserted or hedged, with no negative word of its own: a :data:`RISK_EVENT` after it;
    - denied, advice or set aside by a not-a-risk phrase: its negative words count for nothing
      ("membantah isu gagal bayar"; "webinar pencegahan investasi bodong" when the coop says
      "webinar ~ investasi bodong" is no risk);
    - resolved: its first negative word becomes a :data:`RESOLVED_EVENT`, the others nothing
      ("completes delayed SHU payout" is good news).
    ``starts[k]`` is the token index ``joined[k]`` starts at."""
    out = list(joined)
    after: dict[int, tuple[str, str]] = {}
    for hit in hits:
        span = [k for k, at in enumerate(starts) if hit.start <= at < hit.end]
        if not span:
            continue
        negative = [k for k in span if lexicon.get(out[k][1], 0.0) < 0]
        if hit.status in ("asserted", "hedged"):
            # The pattern read the negator already ("tidak bisa diambil"): it must not flip the
            # match's own words.
            for k in span:
                if out[k][1] in rules.NEGATORS or _reads_as_negation(out[k][1]):
                    out[k] = (out[k][0], NEUTRAL)
            if not negative:
                after.setdefault(span[-1], (hit.phrase, RISK_EVENT))
        elif hit.status == "resolved":
            for n, k in enumerate(negative):
                out[k] = (out[k][0], RESOLVED_EVENT if n == 0 else NEUTRAL)
        else:
            for k in negative:
                out[k] = (out[k][0], NEUTRAL)
    if not after:
        return out
    result: list[tuple[str, str]] = []
    for k, item in enumerate(out):
        result.append(item)
        if k in after:
            result.append(after[k])
    return result


def _reads_as_negation(token: str) -> bool:
    """Whether VADER's own negation rule reads a token as a negator ("not", "can't", "never"):
    inside a risk match ("can't withdraw", "not been returned") it must not flip the match."""
    return token in _VADER_NEGATE or "n't" in token


def fixed_terms(
    custom: Sequence[tuple[str, float]], normalise: dict[str, tuple[str, ...]]
) -> set[str]:
    """The tokens of an installation's custom words that carry weight: a negator before one of
    them does not flip it ("gak diangkat-angkat" stays a complaint when "diangkat-angkat" is a
    custom negative word). To mean the negated sense, add the negated phrase as a word."""
    fixed = set()
    for term, valence in custom:
        if not valence:
            continue
        tokens = lexicon_data.split_term(term, normalise)
        if tokens:
            fixed.add(tokens[0] if len(tokens) == 1 else lexicon_data.phrase_key(tokens))
    return fixed


def unnegate(words: list[str]) -> None:
    """Take back the last negation among the last three prepared words (see :func:`fixed_terms`)."""
    for i in range(len(words) - 1, max(len(words) - 4, -1), -1):
        if words[i] == rules.NEGATION:
            words[i] = NEUTRAL
            return


# --- rule changes of the second quality round ------------------------------------------------

# A prohibition taken back before a negative word ("jangan sampai rugi"): a neutral token that
# tells the explanation why the word was not flipped.
PROHIBITION = "\u2298jangan"


def warn(words: list[str], lexicon: dict[str, float]) -> None:
    """After a prohibition ("jangan", "jgn"), its first sentiment word (``words[-1]``): when that
    word is negative and no word of worry (``rules.REASSURED``), the prohibition is a warning
    ("jangan nyebar hoax", "jangan sampai rugi") and takes its negation back, so the word keeps
    its sign. A positive word stays negated ("jangan percaya")."""
    word = words[-1]
    if lexicon.get(word, 0.0) >= 0 or word in rules.REASSURED:
        return
    for i in range(len(words) - 2, max(len(words) - 5, -1), -1):
        if words[i] == rules.NEGATION:
            words[i] = PROHIBITION
            return


# An ironic praise's words ("wah hebat... \U0001f44d"): they count for nothing (see
# trailing_irony). A token no lexicon knows.
IRONY = "\u2049irony"
_NOT_EMOJI = frozenset({RISK_EVENT, RESOLVED_EVENT, NEUTRAL, PROHIBITION, IRONY, rules.BARRIER})


def is_emoji(token: str) -> bool:
    """Whether a token is an emoji or an emoticon (it starts with no letter), not one of the
    analyzer's own marks."""
    return bool(token) and not token[0].isalpha() and token not in _NOT_EMOJI


def negation_near(words: Sequence[str]) -> bool:
    """Whether VADER's negation window (the three words before the next one) holds a negator:
    an emoji placed next must be shielded from it ("ga bisa tidur \U0001f62d" is sad)."""
    return any(w == rules.NEGATION or _reads_as_negation(w.lower()) for w in words[-3:])


# A short praise that opens a text ("mantap sekali", "makasih", "hebat") followed, in a later
# clause, by a complaint: the praise is ironic or a courtesy, the complaint is the news.
PRAISE_OPENING = 4
# What counts as the complaint after it: a risk event, or a word at least this negative.
COMPLAINT = -1.5
_OPENING_PRAISE = rules.OPENING_PRAISE | {w.upper() for w in rules.OPENING_PRAISE}


def praise_then_complaint(words: list[str], lexicon: dict[str, float]) -> None:
    """Where a text opens with a short clause of praise (at most :data:`PRAISE_OPENING` words,
    one of ``rules.OPENING_PRAISE``, no negative word or negator) and a later clause holds a
    risk event or a word of valence :data:`COMPLAINT` or lower, with no contrast word anywhere:
    the clause end after the praise becomes a contrast (VADER's "but": the praise weakened, the
    complaint stressed). "Mantap sekali, dana 3 bulan belum cair" is a complaint; the
    explanation shows the contrast. (The fast path calls this only where its quick test of the
    opening, ``FastPath._may_praise``, finds one.)"""
    head = words[: PRAISE_OPENING + 1]
    if rules.BARRIER not in head:
        return
    end = head.index(rules.BARRIER)
    # Words are lower-case here but for a shouted lexicon word ("MANTAP"), listed as well.
    if _OPENING_PRAISE.isdisjoint(head[:end]):
        return
    opening = [w.lower() for w in head[:end]]
    if rules.CONTRAST in words or any(
        lexicon.get(w, 0.0) < 0 or w == rules.NEGATION or _reads_as_negation(w) for w in opening
    ):
        return
    if any(w == RISK_EVENT or lexicon.get(w.lower(), 0.0) <= COMPLAINT for w in words[end:]):
        words[end] = rules.CONTRAST


# --- rule changes of the fifth quality round -------------------------------------------------


def reduplicated(
    word: str, normalise: dict[str, tuple[str, ...]], lexicon: dict[str, float]
) -> tuple[str, ...]:
    """What a reduplication written with a "2" ("pura2", "benar2", "cepet2"; ``word`` is the
    word without it) is read as: the reduplicated word "X-X" when the lexicon gives it a weight
    of its own or it is a rule word ("pura-pura" pretends, "benar-benar" intensifies, "enak-enak"
    2.0 as written out); else the word's standard spelling ("cepet2" -> "cepat"), else the word.
    Reduplications of no weight of their own ("lama-lama", "sama-sama") stay the plain word, so
    its phrases still match ("pelayanannya lama2")."""
    doubled = word + "-" + word
    if lexicon.get(doubled) or doubled in rules.RULE_WORDS:
        return (doubled,)
    return normalise.get(word, (word,))


# --- rule changes of the third quality round -------------------------------------------------


def direction_subjects(phrases: dict[tuple[str, ...], str]) -> dict[str, dict[str, str]]:
    """For each direction word (``rules.DIRECTIONS``): the subjects the lexicon's phrases give it,
    as the token a subject is scored as (a word, or a phrase's joined token), with the joined
    token of the whole phrase: ``{"menurun": {"kemiskinan": "kemiskinan_menurun", ...}}``."""
    out: dict[str, dict[str, str]] = {}
    for key, joined in phrases.items():
        if len(key) < 2 or key[-1] not in rules.DIRECTIONS:
            continue
        subject = key[:-1]
        token = subject[0] if len(subject) == 1 else phrases.get(subject)
        if token is not None:
            out.setdefault(key[-1], {})[token] = joined
    return out


def gapped_directions(
    joined: list[tuple[str, str]], directions: dict[str, dict[str, str]]
) -> list[tuple[str, str]]:
    """``joined`` (``(surface, token)`` pairs, phrases joined) with each news direction phrase
    that has words between its subject and its direction word matched too: "kemiskinan di desa
    menurun" scores as "kemiskinan menurun" (good news), "laba koperasi turun" as "laba turun".
    The nearest subject before the direction word counts, at most ``rules.DIRECTION_GAP`` units
    before it, in the same clause, with no other direction word between; the subject's own
    weight goes (a :data:`NEUTRAL` token in its place) and the phrase stands at the direction
    word, shown as "subject … direction". A negator between still negates it ("kemiskinan tidak
    juga menurun")."""
    out: list[tuple[str, str]] | None = None
    for d, (surface, token) in enumerate(joined):
        subjects = directions.get(token)
        if subjects is None:
            continue
        current = out if out is not None else joined
        for s in range(d - 1, max(d - 2 - rules.DIRECTION_GAP, -1), -1):
            other = current[s][1]
            if other == rules.BARRIER or other in directions:
                break
            phrase = subjects.get(other)
            if phrase is not None:
                if out is None:
                    out = list(joined)
                out[s] = (current[s][0], NEUTRAL)
                out[d] = (current[s][0] + " \u2026 " + surface, phrase)
                break
    return joined if out is None else out


# At most this many prepared words in a text whose praise can be ironic: a short praise clause
# (rules.IRONIC_PRAISE, at most PRAISE_OPENING words) with its clause-end barriers and emoji.
IRONY_WORDS = 12
# A text ending in an ellipsis after its last word, then nothing but emoji, spaces or marks.
_TRAILING_ELLIPSIS_RE = re.compile(r"(?:\.{2,}|\u2026)[^\w]*$")
_IRONIC_PRAISE = rules.IRONIC_PRAISE | {w.upper() for w in rules.IRONIC_PRAISE}


def trailing_irony(words: list[str], text: str, lexicon: dict[str, float]) -> None:
    """A short praise that trails off in an ellipsis with nothing after it but emoji ("wah
    hebat... \U0001f44d", "keren banget\u2026"): the cheap sign of irony when there is no
    complaint to point at (then :func:`praise_then_complaint` applies). Its positive words and
    the positive emoji after them become :data:`IRONY` and count for nothing: the text reads
    neutral, neither the praise it says nor a complaint it does not. The explanation lists them
    with the rule ``irony``. The praise clause is the words before the first clause end or
    emoji: at most :data:`PRAISE_OPENING` words, one of ``rules.IRONIC_PRAISE``, no negative
    word or negator; ``text`` (cleaned) must end in ".." (or more dots) or "\u2026", then
    nothing but emoji, spaces or marks."""
    if rules.CONTRAST in words:
        return  # a contrast, or a complaint after the praise: praise_then_complaint's case
    end = 0
    while end < len(words) and words[end] != rules.BARRIER and not is_emoji(words[end]):
        end += 1
    if not 0 < end <= PRAISE_OPENING or _IRONIC_PRAISE.isdisjoint(words[:end]):
        return
    rest = words[end:]
    if not all(w == rules.BARRIER or is_emoji(w) for w in rest):
        return
    opening = [w.lower() for w in words[:end]]
    if any(
        lexicon.get(w, 0.0) < 0 or w == rules.NEGATION or _reads_as_negation(w) for w in opening
    ):
        return
    if not _TRAILING_ELLIPSIS_RE.search(text):
        return
    for i, word in enumerate(words):
        if lexicon.get(word.lower(), 0.0) > 0:
            words[i] = IRONY


# An existential negation, "tidak ada" / "tak ada yang" (there is no ...): its scope is the whole
# noun phrase after it, relative clause included ("tidak ada racikan kopi yang spesial", "tak
# ada pihak yang berdaya"), so it reaches the clause's first sentiment word however far.
EXISTENTIAL = "\u2203ada"


def opened_negation(token: str) -> bool | str:
    """What a negator token opens: :data:`PROHIBITION` for "jangan", :data:`EXISTENTIAL` for
    "tidak ada yang" (joined), else ``True`` (a plain negation; "tidak" then "ada" becomes
    existential in the rule mapping)."""
    if token in rules.PROHIBITIVES:
        return PROHIBITION
    return EXISTENTIAL if token == "tidak_ada_yang" else True


def reach_negation(words: list[str], surfaces: list[str] | None = None) -> None:
    """An existential negation closing on its first sentiment word (``words[-1]``): when the
    negator is beyond VADER's three-word window, it is moved to stand just before the word
    (and its surface with it), so VADER negates the word; the words between keep their order."""
    last = len(words) - 1
    at = last - 1
    while words[at] != rules.NEGATION:
        at -= 1
    if last - at <= 3:
        return
    words.insert(last - 1, words.pop(at))
    if surfaces is not None:
        surfaces.insert(last - 1, surfaces.pop(at))
