"""The shipped lexicon: data files under ``citra/sentiment/data/``, read once and cached.

Every lexicon file is UTF-8 TSV, ``term<TAB>valence`` (VADER's -4..+4 scale); ``#`` starts a comment.
A term of several words is a phrase: it is matched on normalised tokens and scored as one token
(its words joined by ``_``). ``normalise.tsv`` maps informal spellings to standard ones;
``risk_terms.tsv`` lists the koperasi crisis terms that flag a mention.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LEXICON_FILES = (
    "lexicon_general.tsv",
    "lexicon_affixed.tsv",
    "lexicon_slang.tsv",
    "lexicon_koperasi.tsv",
    "lexicon_reduplication.tsv",
    "lexicon_emoji.tsv",
    "lexicon_english.tsv",
    "lexicon_overrides.tsv",
)
NORMALISE_FILE = "normalise.tsv"
RISK_FILE = "risk_terms.tsv"
MAX_PHRASE = 6
# Files whose single words may be reached through a stem or a cut-off particle; slang, emoji and
# English words are matched only as written (a stem landing on slang is usually a false hit:
# "pengecekan" stems to "kece").
ROOT_FILES = ("lexicon_general.tsv", "lexicon_affixed.tsv", "lexicon_koperasi.tsv")


@dataclass(frozen=True)
class Lexicon:
    """The parsed shipped data: word valences, phrases, the normalisation table, risk terms."""

    words: dict[str, float]
    phrases: dict[tuple[str, ...], str]
    normalise: dict[str, tuple[str, ...]]
    risk: dict[tuple[str, ...], str]
    roots: frozenset[str]
    version: str


def _rows(text: str, name: str) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip():
            raise ValueError(f"{name}, line {number}: expected 'term<TAB>value', got {line!r}")
        rows.append((parts[0].strip().lower(), parts[1].strip()))
    return rows


def phrase_key(tokens: tuple[str, ...]) -> str:
    """The single token a phrase is scored as: its words joined by ``_``."""
    return "_".join(tokens)


def split_term(term: str, normalise: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A lexicon term as the normalised tokens it will be matched against."""
    out: list[str] = []
    for word in term.lower().split():
        out.extend(normalise.get(word, (word,)))
    return tuple(out)


def add_term(
    words: dict[str, float],
    phrases: dict[tuple[str, ...], str],
    term: str,
    valence: float,
    normalise: dict[str, tuple[str, ...]],
) -> None:
    """Add one word or phrase (later additions win)."""
    tokens = split_term(term, normalise)
    if not tokens:
        return
    if len(tokens) == 1:
        words[tokens[0]] = valence
    else:
        key = phrase_key(tokens[:MAX_PHRASE])
        phrases[tokens[:MAX_PHRASE]] = key
        words[key] = valence


# The modules whose code decides a score (see :func:`load`).
RULE_MODULES = ("analyzer.py", "rules.py", "risk.py", "boilerplate.py")


@lru_cache(maxsize=1)
def load() -> Lexicon:
    """Read the shipped data files once per process."""
    folder = resources.files("citra.sentiment") / "data"
    digest = hashlib.sha256()
    texts: dict[str, str] = {}
    for name in (NORMALISE_FILE, RISK_FILE, *LEXICON_FILES):
        path = folder / name
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        texts[name] = text
        digest.update(name.encode() + b"\0" + text.encode("utf-8") + b"\0")
    # The rule code is part of the version too: a release that changes a rule and no data file
    # still re-scores the stored mentions (the fast path is held to these modules' scores, so
    # it need not count).
    code = resources.files("citra.sentiment")
    for name in RULE_MODULES:
        digest.update(name.encode() + b"\0" + (code / name).read_bytes() + b"\0")
    normalise = {
        informal: tuple(standard.lower().split())
        for informal, standard in _rows(texts[NORMALISE_FILE], NORMALISE_FILE)
    }
    words: dict[str, float] = {}
    phrases: dict[tuple[str, ...], str] = {}
    roots: set[str] = set()
    for name in LEXICON_FILES:
        for term, value in _rows(texts[name], name):
            add_term(words, phrases, term, float(value), normalise)
            if name in ROOT_FILES and " " not in term:
                roots.add(term)
    risk = {
        split_term(term, normalise): category
        for term, category in _rows(texts[RISK_FILE], RISK_FILE)
    }
    return Lexicon(
        words=words,
        phrases=phrases,
        normalise=normalise,
        risk=risk,
        roots=frozenset(roots),
        version="lex-" + digest.hexdigest()[:10],
    )
