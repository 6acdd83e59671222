"""Search matches marked in a mention's text, for the Mentions page.

:func:`spans` finds where a search's words (:class:`citra.search_terms.Matchers`) occur in a
text, word by word as SQLite's full-text index reads it (letters and digits, case and accents
ignored). :func:`to_html` writes the text as HTML: **every character of the text is escaped
first**, and the only markup added is ``<mark>`` around the spans, so a mention (outside data)
can never bring its own HTML. :func:`snippet` cuts a long text around its first match.
"""

from __future__ import annotations

import html
import re
import unicodedata

from citra.search_terms import Matchers

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _fold(word: str) -> str:
    # As FTS5's unicode61 tokenizer with remove_diacritics: lower case, accents dropped.
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def spans(text: str, found: Matchers) -> list[tuple[int, int]]:
    """``(start, end)`` character ranges of ``text`` that the search finds, in order, never
    overlapping (a phrase wins over its words). No text or nothing to find: ``[]``."""
    if not text or not (found.words or found.prefixes or found.phrases):
        return []
    tokens = [(m.start(), m.end(), _fold(m.group())) for m in _TOKEN.finditer(text)]
    words = {_fold(w) for w in found.words}
    prefixes = tuple(_fold(p) for p in found.prefixes)
    phrases = [tuple(_fold(w) for w in phrase) for phrase in found.phrases]
    result: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        folded = [t[2] for t in tokens[i : i + max((len(p) for p in phrases), default=1)]]
        length = next((len(p) for p in phrases if tuple(folded[: len(p)]) == p), 0)
        if not length and (tokens[i][2] in words or tokens[i][2].startswith(prefixes or ("\0",))):
            length = 1
        if length:
            result.append((tokens[i][0], tokens[i + length - 1][1]))
            i += length
        else:
            i += 1
    return result


def to_html(text: str, marks: list[tuple[int, int]]) -> str:
    """``text`` as HTML with ``<mark>`` around ``marks`` (from :func:`spans`). Escape first:
    each piece of the text goes through :func:`html.escape`; nothing else of it is markup."""
    pieces: list[str] = []
    position = 0
    for start, end in marks:
        pieces.append(html.escape(text[position:start]))
        pieces.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        position = end
    pieces.append(html.escape(text[position:]))
    return "".join(pieces)


def matched_words(text: str, marks: list[tuple[int, int]]) -> list[str]:
    """The distinct matched pieces of ``text``, lower case, in the order they first occur."""
    return list(dict.fromkeys(text[start:end].casefold() for start, end in marks))


def snippet(text: str, marks: list[tuple[int, int]], width: int = 160) -> str:
    """At most ``width`` characters of ``text``: its start, or, when the first match lies
    further in, a window around that match with ``…`` where text was cut."""
    if len(text) <= width:
        return text
    if not marks or marks[0][1] <= width:
        return text[: width - 1].rstrip() + "…"
    start = max(0, marks[0][0] - width // 3)
    end = start + width - 2
    return "…" + text[start:end].strip() + ("…" if end < len(text) else "")


def preview(title: str | None, text: str | None, found: Matchers, width: int = 160) -> str:
    """A list's line for a mention: its title (or, without one, its text) cut to ``width``;
    when the search matches the text but not the title, the text around the first match, so
    the line shows why the mention was found."""
    for candidate in (title, text):
        if candidate and (marks := spans(candidate, found)):
            return snippet(candidate, marks, width)
    return snippet(title or text or "", [], width)
