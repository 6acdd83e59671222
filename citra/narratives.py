"""The coop's narratives and which mentions carry them: keywords plus similarity to examples.

A narrative ("koperasi modern dan digital", "kesejahteraan anggota", "UMKM desa") is a name, a
description, a few keywords and a few example sentences. A mention (or an own post) carries it
when either

1. **keyword**: one of its keywords occurs in the mention's title or text, compared by Indonesian
   root (``citra.search_terms.root``: *pelatihan*, *dilatih* and *melatih* are all *latih*), a
   keyword of several words as a phrase, a hashtag as written; or
2. **similar**: the mention's words are close to the narrative's example sentences and keywords:
   the cosine similarity of TF-IDF vectors over word roots (stop words and the organisations'
   own names left out) is at least :data:`SIMILARITY_THRESHOLD`, with at least
   :data:`MIN_SHARED` roots in common.

Both ways say why: the keywords found, or the mention's words whose roots it shares with the
examples, highest weight first. The IDF weights come from the narratives' own sentences (each
example and the keyword list one document), so a root every narrative uses weighs less than one
only a single narrative has; a word no narrative uses gets the highest weight (it makes the
mention less like any narrative). Everything is pure: nothing here reads or writes the database.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from citra.search_terms import root
from citra.topics import stop_words

SIMILARITY_THRESHOLD = 0.2
MIN_SHARED = 2
MATCHED_SHOWN = 6  # words kept as the "why" of one assignment
METHOD_VERSION = "1"  # bump when the rule changes: stored assignments are then rebuilt
TOKEN = re.compile(r"#\w+|\w+", re.UNICODE)


@dataclass(frozen=True)
class Narrative:
    """One row of ``narratives`` with its JSON lists decoded."""

    id: int
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    is_demo: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Narrative:
        return cls(
            id=int(row["id"]),
            name=row["name"],
            description=row.get("description") or "",
            keywords=tuple(json.loads(row.get("keywords") or "[]")),
            examples=tuple(json.loads(row.get("examples") or "[]")),
            is_demo=bool(row.get("is_demo")),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "keywords": list(self.keywords),
            "examples": list(self.examples),
        }


@dataclass(frozen=True)
class Assignment:
    """One narrative a text carries: ``score`` (1.0 for a keyword, else the cosine similarity),
    ``method`` (``keyword`` or ``similar``) and ``matched`` (the words that decided it)."""

    narrative_id: int
    score: float
    method: str
    matched: tuple[str, ...] = field(default_factory=tuple)


def version(narratives: Iterable[Narrative], extra_stop_words: Iterable[str] = ()) -> str:
    """A short fingerprint of the definitions and the rule: when it changes, every stored
    assignment is computed again."""
    data = [
        METHOD_VERSION,
        sorted(w.lower() for w in extra_stop_words),
        *sorted(
            (n.id, n.name, list(n.keywords), list(n.examples), n.description) for n in narratives
        ),
    ]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def tokens(text: str) -> list[tuple[str, str]]:
    """``(surface word, root)`` pairs of ``text`` in order, lower case; a hashtag is its own
    root. Numbers and one-letter words are left out."""
    found = []
    for word in TOKEN.findall(text.lower()):
        if word.startswith("#"):
            if len(word) > 2:
                found.append((word, word))
            continue
        if len(word) < 2 or word.isdigit() or "_" in word:
            continue
        found.append((word, root(word)))
    return found


def _keyword_roots(keyword: str) -> tuple[str, ...]:
    return tuple(r for _, r in tokens(keyword))


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    if not needle or len(needle) > len(haystack):
        return False
    first = needle[0]
    for start, value in enumerate(haystack[: len(haystack) - len(needle) + 1]):
        if value == first and tuple(haystack[start : start + len(needle)]) == tuple(needle):
            return True
    return False


class NarrativeMatcher:
    """Assigns texts to narratives (see the module's docstring). ``extra_stop_words``: words
    never used for similarity (the organisations' names: they are in every mention)."""

    def __init__(self, narratives: Iterable[Narrative], extra_stop_words: Iterable[str] = ()):
        self.narratives = tuple(narratives)
        stop = set(stop_words()) | {w.lower() for w in extra_stop_words}
        self._skip = frozenset(stop | {root(w) for w in stop if not w.startswith("#")})
        self._keywords = {
            n.id: [(k, _keyword_roots(k)) for k in n.keywords if _keyword_roots(k)]
            for n in self.narratives
        }
        documents: list[tuple[int, Counter[str]]] = []
        for n in self.narratives:
            sentences = [*n.examples, " ".join(n.keywords)]
            documents += [(n.id, Counter(self._roots(s))) for s in sentences if s.strip()]
        frequency = Counter(term for _, counts in documents for term in counts)
        total = len(documents)
        self._idf = {t: math.log((1 + total) / (1 + df)) + 1.0 for t, df in frequency.items()}
        self._unknown_idf = math.log(1 + total) + 1.0
        self._profiles: dict[int, dict[str, float]] = {}
        for n in self.narratives:
            summed: Counter[str] = Counter()
            for owner, counts in documents:
                if owner == n.id:
                    summed.update(counts)
            vector = {t: c * self._idf[t] for t, c in summed.items()}
            norm = math.sqrt(sum(v * v for v in vector.values()))
            self._profiles[n.id] = {t: v / norm for t, v in vector.items()} if norm else {}

    def _roots(self, text: str) -> list[str]:
        return [r for w, r in tokens(text) if w not in self._skip and r not in self._skip]

    def assign(self, title: str | None, text: str | None) -> list[Assignment]:
        """The narratives ``title`` and ``text`` carry, strongest first (``[]`` for none)."""
        joined = f"{title or ''}\n{text or ''}"
        pairs = tokens(joined)
        if not pairs:
            return []
        all_roots = [r for _, r in pairs]
        surface: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for word, stem in pairs:
            if word in self._skip or stem in self._skip:
                continue
            surface.setdefault(stem, word)
            counts[stem] += 1
        vector = {t: c * self._idf.get(t, self._unknown_idf) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values()))
        found: list[Assignment] = []
        for n in self.narratives:
            hits = [k for k, roots in self._keywords[n.id] if _contains(all_roots, roots)]
            if hits:
                found.append(Assignment(n.id, 1.0, "keyword", tuple(hits[:MATCHED_SHOWN])))
                continue
            profile = self._profiles[n.id]
            if not norm or not profile:
                continue
            shared = [t for t in vector if t in profile]
            if len(shared) < MIN_SHARED:
                continue
            score = sum(vector[t] * profile[t] for t in shared) / norm
            if score >= SIMILARITY_THRESHOLD:
                shared.sort(key=lambda t: (-vector[t] * profile[t], t))
                words = tuple(surface[t] for t in shared[:MATCHED_SHOWN])
                found.append(Assignment(n.id, round(score, 4), "similar", words))
        found.sort(key=lambda a: (-a.score, a.narrative_id))
        return found
