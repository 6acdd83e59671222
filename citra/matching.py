"""Deciding which organisation a text talks about.

One matcher, used by every collector. Matching is on whole words, case- and accent-insensitive,
and knows how Indonesians write coop names: the legal-form prefix varies ("Koperasi", "Kop.",
"KSP", "KSPPS", "KUD", ...), hashtags and handles glue the words together ("#kopsejahtera",
"@ksp_sejahtera"), and punctuation wanders ("kop. sejahtera"). A keyword "KSP Sejahtera" therefore
also finds "Koperasi Sejahtera", "kop. sejahtera" and "#kopsejahtera", but never "sejahteranya"
or "prasejahtera".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from citra.profile import Organisation

# Legal-form words that may stand before a coop's own name, longest first so that
# "koperasi simpan pinjam" wins over "koperasi".
COOP_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "koperasi simpan pinjam dan pembiayaan syariah",
            "koperasi simpan pinjam",
            "koperasi serba usaha",
            "koperasi unit desa",
            "koperasi konsumen",
            "koperasi produsen",
            "koperasi syariah",
            "koperasi kredit",
            "koperasi karyawan",
            "koperasi pegawai republik indonesia",
            "koperasi wanita",
            "koperasi",
            "credit union",
            "kop",
            "ksp",
            "kspps",
            "ksps",
            "ksu",
            "kud",
            "kopdit",
            "kopkar",
            "kopwan",
            "kopsyah",
            "kpri",
            "koppas",
            "kospin",
            "primkop",
            "cu",
        },
        key=lambda p: (-len(p.split()), -len(p)),
    )
)
# Prefixes glued to the name in hashtags and handles: "#kopsejahtera", "@kspsejahtera".
_GLUED_PREFIXES = ("koperasi", "kop", "ksp", "kspps", "ksu", "kud", "kopdit", "kopkar", "cu")


# normalize() of each ASCII character: a letter in lower case, a digit as it is, anything else a
# space (str.translate with it runs in C, faster than finding the runs of letters and digits).
_ASCII_FOLD = {code: chr(code).lower() if chr(code).isalnum() else " " for code in range(128)}


def normalize(text: str | None) -> str:
    """Lower-case, accent-free text with every run of non-alphanumerics turned into one space.

    ``"Kop. Séjahtera #KopSejahtera"`` becomes ``"kop sejahtera kopsejahtera"``. Underscores in
    handles separate words too (``@ksp_sejahtera`` -> ``ksp sejahtera``).
    """
    if not text:
        return ""
    if text.isascii():  # nothing to decompose or strip (the common case)
        return " ".join(text.translate(_ASCII_FOLD).split())
    return " ".join(text.translate(_FOLD).split())


def _fold_char(ch: str) -> str:
    """One character as :func:`normalize` folds it: NFKD, combining marks dropped, case folded,
    anything not alphanumeric a space. Folding a text character by character gives exactly
    what folding it whole gives: decomposition is per character, canonical reordering only
    moves combining marks (all dropped) and ``casefold`` looks at no context."""
    decomposed = unicodedata.normalize("NFKD", ch)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c if c.isalnum() else " " for c in folded)


class _FoldTable(dict[int, str]):
    """``str.translate`` table of :func:`_fold_char`, filled as characters are met (a text
    holds few distinct ones, so the table stays small and the translation runs in C)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def split_prefix(tokens: list[str]) -> tuple[str | None, list[str]]:
    """Split a leading legal-form prefix off a normalised name: ``(prefix, core tokens)``."""
    for prefix in COOP_PREFIXES:
        words = prefix.split()
        if tokens[: len(words)] == words and len(tokens) > len(words):
            return prefix, tokens[len(words) :]
    return None, tokens


def term_variants(term: str) -> set[str]:
    """Every normalised spelling under which ``term`` counts as mentioned."""
    tokens = normalize(term).split()
    if not tokens:
        return set()
    variants = {" ".join(tokens)}
    prefix, core = split_prefix(tokens)
    if prefix is not None:
        core_text = " ".join(core)
        glued_core = "".join(core)
        for other in COOP_PREFIXES:
            variants.add(f"{other} {core_text}")
        for other in _GLUED_PREFIXES:
            variants.add(f"{other}{glued_core}")
            variants.add(f"{other} {glued_core}")
    if len(core) >= 2:
        variants.add("".join(core))
    return variants


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    variants = sorted({v for term in terms for v in term_variants(term)}, key=len, reverse=True)
    if not variants:
        return None
    alternation = "|".join(re.escape(v).replace(r"\ ", " ") for v in variants)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


class OrganisationMatcher:
    """Finds which of the given organisations a text mentions.

    Build it once per run (it compiles one pattern per organisation) and call :meth:`match` or
    :meth:`best` for each text.
    """

    def __init__(self, organisations: Iterable[Organisation]):
        self._entries: list[
            tuple[Organisation, tuple[str, ...], re.Pattern[str], re.Pattern[str] | None]
        ] = []
        anchors: set[str] = set()
        for org in organisations:
            include = _pattern(org.search_terms)
            if include is None:
                continue
            exclude = _pattern_literal(org.exclude_keywords)
            own = {
                split_prefix(tokens)[1][0]
                for term in org.search_terms
                if (tokens := normalize(term).split())
            }
            self._entries.append((org, tuple(sorted(own)), include, exclude))
            anchors |= own
        # Every accepted spelling contains the first word of a name's core ("sejahtera" in
        # "KSP Sejahtera", "#kopsejahtera", "Kop. Sejahtera"), so an ASCII text without any such
        # word cannot match and skips normalisation: most texts of a bulk import are like that.
        self._anchors = tuple(sorted(anchors))

    def _haystack(self, texts: list[str]) -> str:
        """The texts normalised and joined with ``" | "``, where a match is looked for; ``""``
        when none holds an anchor. Every accepted spelling contains an anchor once normalised,
        so an ASCII text without one is left there: most texts of a bulk import are like that."""
        joined = " ".join(texts)
        if not joined.isascii():  # accents fold only in normalize(): its haystack is checked
            haystack = " | ".join(normalize(text) for text in texts)
            return haystack if any(anchor in haystack for anchor in self._anchors) else ""
        lowered = joined.lower()
        if not any(anchor in lowered for anchor in self._anchors):
            return ""  # an anchor is a word of letters and digits: normalize() keeps it whole
        return " | ".join(normalize(text) for text in texts)

    def match(self, *texts: str | None) -> list[Organisation]:
        """Organisations mentioned in any of ``texts`` and not vetoed by an exclusion word;
        the coop itself first, then peers in profile order."""
        present = [t for t in texts if t]
        if not present or not self._anchors:
            return []
        haystack = self._haystack(present)
        if not haystack:
            return []
        found = [
            org
            for org, anchors, include, exclude in self._entries
            if any(anchor in haystack for anchor in anchors)
            and include.search(haystack)
            and not (exclude and exclude.search(haystack))
        ]
        return sorted(found, key=lambda org: org.kind != "self")

    def best(self, *texts: str | None) -> Organisation | None:
        """The one organisation to attribute a mention to: the coop if it is mentioned, else
        the first peer mentioned, else ``None``."""
        found = self.match(*texts)
        return found[0] if found else None


def _pattern_literal(terms: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({normalize(t) for t in terms if normalize(t)}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in words)})(?!\w)")


@lru_cache(maxsize=4096)
def mentions_term(text: str, term: str) -> bool:
    """Whether ``text`` mentions ``term`` under any of its variants (convenience for tests and
    one-off checks; collectors use :class:`OrganisationMatcher`)."""
    pattern = _pattern([term])
    return bool(pattern and pattern.search(normalize(text)))
