"""What a search means: Indonesian words by their root and by the coop's synonyms.

``SHU terlambat`` should find the mentions that say SHU is late in any of the ways members write
it: *telat*, *tertunda*, *ditunda*, *keterlambatan*, *belum dibagi*. :func:`expand` turns plain
words into one full-text (FTS5) query: each word becomes a group of alternatives (the word, the
affixed forms of its root, the root as a prefix, and every member of its synonym groups, with
their affixed forms), and the groups must all match. A search written in FTS5's own syntax
(quotes, ``*``, ``OR``, ``NOT``, parentheses) is left as written, and so is an *exact* search.

Synonym groups come from ``citra/data/search_synonyms.tsv`` and the coop's own (the setting
``search_synonyms``: a list of ``"a | b | c"`` lines, edited in Settings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

SYNONYMS_FILE = Path(__file__).parent / "data" / "search_synonyms.tsv"
SETTING = "search_synonyms"
_WORD = re.compile(r"\w+", re.UNICODE)
_SYNTAX = re.compile(r'["*()]|\b(?:OR|NOT|AND|NEAR)\b')
MIN_PREFIX = 4  # shorter roots as prefixes would find too much ("bagi*" is fine, "rat*" is not)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=20_000)
def root(word: str) -> str:
    """The Indonesian root of ``word``, lower case (``keterlambatan`` -> ``lambat``)."""
    lowered = word.casefold()
    return _stemmer().stem(lowered) or lowered


def _nasal(prefix: str, stem: str) -> str:
    """``meN-``/``peN-`` before ``stem``: menunda, membayar, mengambil, menyimpan, merugi."""
    head = stem[:1]
    if head in "lmnrwy":
        return prefix + stem
    if head in "bfv":
        return prefix + "m" + stem
    if head == "p":
        return prefix + "m" + stem[1:]
    if head in "dcjz":
        return prefix + "n" + stem
    if head == "t":
        return prefix + "n" + stem[1:]
    if head == "s":
        return prefix + "ny" + stem[1:]
    if head == "k":
        return prefix + "ng" + stem[1:]
    return prefix + "ng" + stem  # g, h and vowels


def forms(stem: str) -> set[str]:
    """The common affixed forms of an Indonesian root (``tunda``: tertunda, ditunda, menunda,
    penundaan, ...). A phrase (a space inside) is its own only form."""
    if " " in stem or len(stem) < 4:
        return {stem}
    return {
        stem,
        "ter" + stem,
        "di" + stem,
        "di" + stem + "kan",
        "di" + stem + "i",
        "ber" + stem,
        "ke" + stem + "an",
        "keter" + stem + "an",
        stem + "an",
        stem + "kan",
        _nasal("me", stem),
        _nasal("me", stem) + "kan",
        _nasal("pe", stem) + "an",
    }


@cache
def builtin_groups() -> tuple[tuple[str, ...], ...]:
    """The synonym groups shipped with Citra."""
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            groups.append(parse_group(line))
    return tuple(g for g in groups if len(g) > 1)


def parse_group(line: str) -> tuple[str, ...]:
    """``"lambat | telat | belum dibagi"`` -> its members, lower case, single-spaced."""
    return tuple(
        dict.fromkeys(" ".join(part.split()).casefold() for part in line.split("|") if part.strip())
    )


def is_syntax(text: str) -> bool:
    """Whether ``text`` is written in FTS5's own syntax (left as written)."""
    return bool(_SYNTAX.search(text))


def _quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def alternatives(word: str, groups: Sequence[Sequence[str]]) -> list[str]:
    """The FTS5 alternatives one search word stands for, most literal first."""
    lowered = word.casefold()
    stem = root(lowered)
    members = {lowered, stem}
    for group in groups:
        if lowered in group or stem in group or any(root(m) == stem for m in group if " " not in m):
            members.update(group)
    terms: set[str] = set()
    prefixes: set[str] = set()
    for member in members:
        member_root = member if " " in member else root(member)
        terms.add(member)
        terms.update(forms(member_root))
        if " " not in member_root and len(member_root) >= MIN_PREFIX:
            prefixes.add(member_root)
    ordered = [lowered, *sorted(terms - {lowered})]
    return [_quote(t) for t in ordered] + [_quote(p) + "*" for p in sorted(prefixes)]


def expand(text: str, groups: Iterable[Sequence[str]] = (), *, exact: bool = False) -> str:
    """The FTS5 query for a search box's ``text``; ``""`` for an empty search.

    Plain words: every word must match, each by any of its :func:`alternatives`. ``exact`` or
    FTS5 syntax: the text as written.
    """
    stripped = text.strip()
    if not stripped or exact or is_syntax(stripped):
        return stripped
    all_groups = [*builtin_groups(), *groups]
    parts = []
    for word in _WORD.findall(stripped):
        if word.isdigit() or len(word) < 3:
            parts.append(_quote(word))
            continue
        parts.append("(" + " OR ".join(alternatives(word, all_groups)) + ")")
    return " AND ".join(parts)


@dataclass(frozen=True)
class Matchers:
    """What a search finds, word by word, to mark it in a text (:mod:`citra.highlight`):
    whole ``words``, words starting with one of ``prefixes``, and ``phrases`` (tuples of
    words in a row). Everything lower case, as FTS5 compares it."""

    words: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()


def _sorted_matchers(terms: Iterable[str], prefixes: Iterable[str]) -> Matchers:
    words, phrases = set(), set()
    for term in terms:
        parts = tuple(w.casefold() for w in _WORD.findall(term))
        if len(parts) == 1:
            words.add(parts[0])
        elif parts:
            phrases.add(parts)
    return Matchers(
        words=frozenset(words),
        prefixes=frozenset(p.casefold() for p in prefixes if p),
        phrases=tuple(sorted(phrases, key=len, reverse=True)),
    )


def matchers(text: str, groups: Iterable[Sequence[str]] = (), *, exact: bool = False) -> Matchers:
    """What the search box's ``text`` finds, as :func:`expand` searches it: plain words by
    their forms and synonyms; ``exact`` or FTS5 syntax as written (``"a phrase"``, ``bayar*``;
    the words after ``NOT`` find nothing to mark). Empty search: empty matchers."""
    stripped = text.strip()
    if not stripped:
        return Matchers()
    if exact or is_syntax(stripped):
        terms: list[str] = []
        prefixes: list[str] = []
        for quoted, bare in re.findall(r'"([^"]*)"|([^\s()"]+)', stripped):
            if quoted:
                terms.append(quoted)
            elif bare in {"OR", "AND", "NOT", "NEAR"}:
                continue
            elif bare.endswith("*"):
                prefixes.extend(_WORD.findall(bare))
            else:
                terms.extend(_WORD.findall(bare))
        negated = {w.casefold() for w in re.findall(r"\bNOT\s+(\w+)", stripped)}
        return _sorted_matchers([t for t in terms if t.casefold() not in negated], prefixes)
    all_groups = [*builtin_groups(), *groups]
    terms, prefixes = [], []
    for word in _WORD.findall(stripped):
        for alternative in alternatives(word, all_groups):
            if alternative.endswith("*"):
                prefixes.append(alternative.strip('"*'))
            else:
                terms.append(alternative.strip('"'))
    return _sorted_matchers(terms, prefixes)
