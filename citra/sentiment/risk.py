"""The koperasi risk taxonomy: which crisis a text speaks of, and how.

One matcher for the whole of Citra: the analyzer stores its categories on every mention, the
explanation shows the phrase that matched, the alerts and the report group by its categories.
The patterns are data (``data/risk_terms.tsv``, syntax described there), matched on the
analyzer's normalised tokens (slang expanded) with a light Indonesian stemmer, so one pattern
``@neg @can ~ @take`` covers "tidak bisa dicairkan", "gak bisa dicairin", "belum dapat ditarik"
and "ora iso dijupuk".

Each match gets a *status* from the cue words around it (``data/risk_cues.tsv``):

- ``asserted``: nothing qualifies it;
- ``hedged``: a rumour, a suspicion or a question ("isu gagal bayar", "diduga menggelapkan");
- ``denied``: a denial or a negator just before it ("membantah gagal bayar", "bukan koperasi
  bodong");
- ``advice``: a warning or a how-to piece ("waspadai investasi bodong", "tips agar tidak
  tertipu");
- ``resolved``: the problem is over ("menuntaskan pembayaran yang sempat tertunda", "completes
  delayed payout").

Asserted, hedged and denied matches flag the mention: a denied rumour of default is news the
comms team must see, and the explanation says it was denied. Advice and resolved matches do not
flag; they are kept so that the explanation can say why not.

A coop's own *not-a-risk phrases* (Settings, :class:`NotRiskPhrases`, the same pattern syntax)
set matches aside: a flagging match that a not-a-risk phrase's match overlaps, in the same clause,
gets the status ``set aside`` (it does not flag; the explanation names the phrase). The rule is
the narrow one: only the matches the phrase covers, so "webinar ~ investasi bodong" sets aside
"webinar investasi bodong untuk anggota" while in "webinar kemarin ternyata investasi bodong dan
dana nasabah raib" the "dana nasabah raib" still flags.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

RISK_FILE = "risk_terms.tsv"
CUES_FILE = "risk_cues.tsv"

# In order of precedence: the primary category of a mention is the first of these it has.
CATEGORIES: tuple[str, ...] = (
    "default",
    "insolvency",
    "regulator",
    "fraud",
    "embezzlement",
    "predatory",
    "data_breach",
    "unrest",
    "legal",
)
# How a reader says each category (English msgids; translations in risk.po and alerts.po).
CATEGORY_NAMES: dict[str, str] = {
    "default": "default on payments",
    "insolvency": "insolvency or PKPU",
    "regulator": "licence revoked or sanctioned",
    "fraud": "fraud",
    "embezzlement": "embezzlement",
    "predatory": "predatory lending",
    "data_breach": "data leak",
    "unrest": "member unrest",
    "legal": "legal trouble",
}
FLAGGING = frozenset({"asserted", "hedged", "denied"})
# The status of a flagging match that one of the coop's not-a-risk phrases covers.
SET_ASIDE = "set aside"
GAP = 3
LONG_GAP = 6
CUE_BEFORE = 6
CUE_AFTER = 3
# Tokens that end a clause: the analyzer's barrier (". , ! ? ;" and line breaks).
CLAUSE_END = "\u00b7"

_PREFIXES = (
    "memper",
    "diper",
    "meng",
    "meny",
    "peng",
    "peny",
    "mem",
    "men",
    "pem",
    "pen",
    "per",
    "ber",
    "ter",
    "me",
    "pe",
    "di",
    "ke",
    "se",
)
# A nasal prefix replaces the root's first letter: menipu <- tipu, penagih <- tagih.
_NASAL = {"meny": "s", "peny": "s", "men": "t", "pen": "t", "mem": "p", "pem": "p"}
_NASAL_K = ("meng", "peng")
_SUFFIXES = ("kannya", "annya", "nya", "kan", "an", "in", "i", "lah")


@lru_cache(maxsize=100_000)
def forms(token: str) -> frozenset[str]:
    """The token and the roots a light Indonesian stemmer finds in it (affixes taken off).

    Over-generates on purpose (``bertahan`` gives ``tahan``): patterns name affixed forms where
    the bare root would be too broad."""
    found = {token}
    if "-" in token:
        # Reduplication: "balik-balik", "dicairin-cairin".
        left = token.split("-", 1)[0]
        return frozenset(found | forms(left)) if left else frozenset(found)
    if len(token) < 5 or not token.isalpha():
        return frozenset(found)
    bases = {token}
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            bases.add(token[: -len(suffix)])
    for base in list(bases):
        for prefix in _PREFIXES:
            if base.startswith(prefix) and len(base) - len(prefix) >= 3:
                root = base[len(prefix) :]
                found.add(root)
                if prefix in _NASAL:
                    found.add(_NASAL[prefix] + root)
                elif prefix in _NASAL_K:
                    found.add("k" + root)
                break
    return frozenset(found | bases)


@dataclass(frozen=True)
class Hit:
    """One risk match: its category, the words that matched (as normalised), its status and
    where it is in the token list (``start``..``end``, end excluded); ``set_aside_by``: the
    not-a-risk phrase that set it aside (status :data:`SET_ASIDE`), else ``None``."""

    category: str
    phrase: str
    status: str
    start: int
    end: int
    set_aside_by: str | None = None

    @property
    def flags(self) -> bool:
        return self.status in FLAGGING


# A pattern item: an int is a gap of up to that many tokens; else (words, prefixes).
_Item = tuple[frozenset[str], tuple[str, ...]] | int


@dataclass(frozen=True)
class _Pattern:
    items: tuple[_Item, ...]
    category: str
    text: str
    # The word sets of the items after the first that have no prefix alternative: a text whose
    # tokens (and their roots) miss one of them cannot match, and is not walked.
    required: tuple[frozenset[str], ...] = ()


class Taxonomy:
    """The compiled taxonomy. ``Taxonomy.shipped()`` is the one read from the package data;
    ``Taxonomy(rows, cues, normalise)`` builds one from ``(pattern, category)`` rows (custom
    phrases are added with :meth:`with_phrases`)."""

    def __init__(
        self,
        rows: Sequence[tuple[str, str]],
        cues: Sequence[tuple[str, str]],
        normalise: Mapping[str, tuple[str, ...]],
    ):
        self.normalise = normalise
        # The coop's not-a-risk phrases (see with_not_risk): applied after every search.
        self.not_risk: NotRiskPhrases | None = None
        self._rows = tuple(rows)
        self._cue_rows = tuple(cues)
        macros: dict[str, str] = {}
        patterns: list[_Pattern] = []
        for pattern, category in rows:
            if pattern.startswith("@") and category.startswith("="):
                macros[pattern] = category[1:]
                continue
            items = tuple(self._item(part, macros) for part in pattern.split())
            if items and not isinstance(items[0], int):
                required = tuple(
                    item[0] for item in items[1:] if not isinstance(item, int) and not item[1]
                )
                patterns.append(_Pattern(items, category, pattern, required))
        self.patterns = tuple(patterns)
        # The most tokens a match can cover (its items, gaps at their widest).
        self._max_span = max(
            (sum(i if isinstance(i, int) else 1 for i in p.items) for p in patterns), default=1
        )
        self._by_word: dict[str, list[_Pattern]] = {}
        self._by_prefix: list[tuple[str, _Pattern]] = []
        for p in self.patterns:
            words, prefixes = p.items[0]  # type: ignore[misc]
            for word in words:
                self._by_word.setdefault(word, []).append(p)
            for prefix in prefixes:
                self._by_prefix.append((prefix, p))
        self._prefix_starts = tuple(sorted({prefix for prefix, _ in self._by_prefix}))
        self._candidate_cache: dict[str, tuple[_Pattern, ...]] = {}
        self.cues: dict[tuple[str, ...], str] = {}
        for cue, kind in cues:
            self.cues[self._tokens(cue)] = kind
        self._cue_starts = {key[0] for key in self.cues}
        self._cue_max = max((len(k) for k in self.cues), default=1)

    @classmethod
    @lru_cache(maxsize=1)
    def shipped(cls) -> Taxonomy:
        from citra.sentiment import lexicon

        folder = resources.files("citra.sentiment") / "data"
        rows = lexicon._rows((folder / RISK_FILE).read_text(encoding="utf-8"), RISK_FILE)
        cues = lexicon._rows((folder / CUES_FILE).read_text(encoding="utf-8"), CUES_FILE)
        return cls(rows, cues, lexicon.load().normalise)

    def with_phrases(self, phrases: Sequence[tuple[str, str]]) -> Taxonomy:
        """This taxonomy plus an installation's own ``(phrase, category)`` rows (same syntax)."""
        if not phrases:
            return self
        taxonomy = Taxonomy([*self._rows, *phrases], self._cue_rows, self.normalise)
        taxonomy.not_risk = self.not_risk
        return taxonomy

    def with_not_risk(self, patterns: Sequence[str]) -> Taxonomy:
        """This taxonomy with an installation's not-a-risk phrases (:class:`NotRiskPhrases`;
        the macros of the data file, ``@neg`` and the like, may be used). None: ``self``.
        Raises ``ValueError`` for a pattern the matcher cannot read."""
        if not patterns:
            return self
        macros = [row for row in self._rows if row[0].startswith("@") and row[1].startswith("=")]
        taxonomy = copy.copy(self)  # the same patterns and caches, one more step
        taxonomy.not_risk = NotRiskPhrases(patterns, macros, self.normalise)
        return taxonomy

    def _tokens(self, text: str) -> tuple[str, ...]:
        out: list[str] = []
        for word in text.lower().split():
            out.extend(self.normalise.get(word, (word,)))
        return tuple(out)

    def _item(self, part: str, macros: Mapping[str, str]) -> _Item:
        if part in ("~", "~~"):
            return GAP if part == "~" else LONG_GAP
        words: set[str] = set()
        prefixes: list[str] = []
        for alt in part.split("|"):
            if alt.startswith("@"):
                if alt not in macros:
                    raise ValueError(f"{RISK_FILE}: {alt} is used before it is defined")
                item = self._item(macros[alt], macros)
                assert not isinstance(item, int)
                words |= item[0]
                prefixes.extend(item[1])
            elif alt.endswith("*") and len(alt) > 1:
                prefixes.append(alt[:-1].lower())
            else:
                normalised = self._tokens(alt)
                # A spelling that normalises to several words is matched as written.
                words.add(normalised[0] if len(normalised) == 1 else alt.lower())
        return frozenset(words), tuple(prefixes)

    # --- matching ------------------------------------------------------------------------------

    @staticmethod
    def _fits(item: tuple[frozenset[str], tuple[str, ...]], token: str) -> bool:
        words, prefixes = item
        if token in words or (prefixes and token.startswith(prefixes)):
            return True
        return bool(words & forms(token))

    def _match(
        self, items: tuple[_Item, ...], tokens: Sequence[str], at: int, k: int = 0
    ) -> int | None:
        """Where a match of ``items[k:]`` starting at ``at`` ends (shortest), else ``None``.
        (Walks the items by index: no tuple is sliced, a gap alone recurses.)"""
        size = len(tokens)
        n = len(items)
        fits = self._fits
        while k < n:
            item = items[k]
            if isinstance(item, int):
                for skip in range(item + 1):
                    j = at + skip
                    if j > size or (skip and tokens[j - 1] == CLAUSE_END):
                        break
                    end = self._match(items, tokens, j, k + 1)
                    if end is not None:
                        return end
                return None
            if at < size and tokens[at] != CLAUSE_END and fits(item, tokens[at]):
                at += 1
                k += 1
            else:
                return None
        return at

    def _candidates(self, token: str) -> tuple[_Pattern, ...]:
        """The patterns that can start at ``token`` (cached per token: most tokens have none)."""
        cached = self._candidate_cache.get(token)
        if cached is not None:
            return cached
        found: list[_Pattern] = []
        for form in forms(token):
            found.extend(self._by_word.get(form, ()))
        if self._prefix_starts and token.startswith(self._prefix_starts):
            found.extend(p for prefix, p in self._by_prefix if token.startswith(prefix))
        if len(self._candidate_cache) > 200_000:
            self._candidate_cache.clear()
        result = self._candidate_cache[token] = tuple(found)
        return result

    def find(self, tokens: Sequence[str]) -> list[Hit]:
        """The risk matches in normalised tokens, in text order, one per category and place
        (the longest pattern at a place wins; a category already matched over the same words is
        not repeated). No tokens: ``[]``."""
        hits: list[Hit] = []
        covered: dict[str, int] = {}
        span = self._max_span
        for i, token in enumerate(tokens):
            candidates = self._candidates(token) if token != CLAUSE_END else ()
            if not candidates:
                continue
            best: dict[str, int] = {}
            # The tokens a match starting here can reach, and their roots (when needed).
            reach: set[str] | None = None
            for pattern in candidates:
                if pattern.required:
                    if reach is None:
                        reach = set().union(*map(forms, tokens[i + 1 : i + span]))
                    if any(words.isdisjoint(reach) for words in pattern.required):
                        continue
                # A candidate's first item fits this token already (see _candidates).
                end = self._match(pattern.items, tokens, i + 1, 1)
                if end is not None and end > best.get(pattern.category, i):
                    best[pattern.category] = end
            for category, end in best.items():
                if covered.get(category, -1) >= end:
                    continue
                covered[category] = end
                phrase = " ".join(t for t in tokens[i:end] if t != CLAUSE_END)
                hits.append(Hit(category, phrase, self._status(tokens, i, end), i, end))
        if hits and self.not_risk is not None:
            return self.not_risk.set_aside(tokens, hits)
        return hits

    def _status(self, tokens: Sequence[str], start: int, end: int) -> str:
        """The status of a match at ``start..end`` from the cues of its clause."""
        low = start
        while low > 0 and start - low < CUE_BEFORE and tokens[low - 1] != CLAUSE_END:
            low -= 1
        high = end
        while high < len(tokens) and high - end < CUE_AFTER and tokens[high] != CLAUSE_END:
            high += 1
        kinds: set[str] = set()
        i = low
        while i < high:
            if start <= i < end:
                i += 1
                continue
            size = 0
            if tokens[i] in self._cue_starts:
                for n in range(min(self._cue_max, high - i), 0, -1):
                    kind = self.cues.get(tuple(tokens[i : i + n]))
                    if kind is not None:
                        kinds.add(kind)
                        size = n
                        break
            i += size or 1
        if start > 0 and tokens[start - 1] in _NEGATORS:
            kinds.add("denied")
        for kind in ("resolved", "advice", "denied", "hedged"):
            if kind in kinds:
                return kind
        return "asserted"


_NEGATORS = frozenset(["tidak", "bukan", "belum", "tak", "tanpa", "no", "not", "never"])


class NotRiskPhrases:
    """A coop's not-a-risk phrases: patterns in the syntax of ``risk_terms.tsv`` ("webinar ~
    investasi bodong", "film|sinetron ~ penipuan") for the places where its risk words are no
    risk (a training on fraud, a film review, a peer's name).

    :meth:`set_aside` is the one step both risk searches end with (``Taxonomy.find`` and the
    fast path's ``RiskMatcher``): a flagging hit is set aside when a match of one of these
    patterns overlaps its words, inside its clause; the other hits of the text, and of the
    clause, stay as they are (the narrow rule: a phrase names the risk words it excuses)."""

    def __init__(
        self,
        patterns: Sequence[str],
        macros: Sequence[tuple[str, str]],
        normalise: Mapping[str, tuple[str, ...]],
    ):
        self.patterns = tuple(patterns)
        # A taxonomy of its own whose category is the pattern's text (named in the "why").
        self._matcher = Taxonomy([*macros, *((p, p) for p in self.patterns)], (), normalise)
        readable = {p.text for p in self._matcher.patterns}
        for pattern in self.patterns:
            if pattern not in readable:
                raise ValueError(f"'{pattern}' must start with a word")

    def set_aside(self, tokens: Sequence[str], hits: list[Hit]) -> list[Hit]:
        """``hits`` (a search's, over ``tokens``) with each flagging one that a not-a-risk
        phrase covers given the status :data:`SET_ASIDE` and that phrase; ``hits`` itself when
        none is covered."""
        out: list[Hit] | None = None
        for n, hit in enumerate(hits):
            if not hit.flags:
                continue
            by = self._covering(tokens, hit)
            if by is None:
                continue
            if out is None:
                out = list(hits)
            out[n] = Hit(hit.category, hit.phrase, SET_ASIDE, hit.start, hit.end, by)
        return hits if out is None else out

    def found_in(self, tokens: Sequence[str]) -> set[str]:
        """The patterns that match somewhere in ``tokens``, whatever risk is there."""
        return {hit.category for hit in self._matcher.find(tokens)}

    def _covering(self, tokens: Sequence[str], hit: Hit) -> str | None:
        """A pattern with a match in ``hit``'s clause that overlaps ``hit.start..hit.end``
        (the first found from the clause's start; the shortest match from each first word),
        else ``None``."""
        low = hit.start
        while low > 0 and tokens[low - 1] != CLAUSE_END:
            low -= 1
        matcher = self._matcher
        for i in range(low, hit.end):
            if tokens[i] == CLAUSE_END:
                continue
            for pattern in matcher._candidates(tokens[i]):
                end = matcher._match(pattern.items, tokens, i + 1, 1)
                if end is not None and end > hit.start:
                    return pattern.text
        return None


def primary(categories: Sequence[str]) -> str | None:
    """The category that names a mention: the first of :data:`CATEGORIES` among ``categories``
    (unknown ones, e.g. a coop's own, come after). None: ``None``."""
    if not categories:
        return None
    order = {c: n for n, c in enumerate(CATEGORIES)}
    return min(categories, key=lambda c: (order.get(c, len(order)), categories.index(c)))


def categories_of(hits: Sequence[Hit]) -> list[str]:
    """The categories of the flagging hits, in order of appearance, each once."""
    return list(dict.fromkeys(h.category for h in hits if h.flags))
