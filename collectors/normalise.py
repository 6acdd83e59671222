"""Turning what feeds say into clean values: plain text, headline and source, a language.

Pure functions, no I/O; every one accepts ``None`` or junk and answers with a usable value. Links
are made canonical by ``citra.urls`` and dates read by ``collectors.dates``, as for every export.
"""

from __future__ import annotations

from functools import cache
from html.parser import HTMLParser

# --- HTML to text -------------------------------------------------------------------------------

_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "iframe", "svg", "template", "head", "object"}
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
     "blockquote", "section", "article", "figure", "figcaption", "table", "hr"}
)  # fmt: skip


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(value: str | None) -> str:
    """Plain text of an HTML fragment: entities decoded, tags, images, scripts and styles
    dropped, whitespace collapsed. ``None`` or empty gives ``""``."""
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    extractor = _TextExtractor()
    extractor.feed(value)
    extractor.close()
    return " ".join("".join(extractor.parts).split())


# --- Google News titles -------------------------------------------------------------------------


def split_source_title(title: str, source: str | None = None) -> tuple[str, str | None]:
    """Split a Google News title ``"Headline - Source"`` into ``(headline, source)``.

    With ``source`` given (from ``<source>``), only that exact suffix is removed; without it the
    last ``" - "`` splits, provided both halves are non-empty.
    """
    title = " ".join(title.split())
    if source:
        suffix = f" - {source.strip()}"
        if title.endswith(suffix) and len(title) > len(suffix):
            return title[: -len(suffix)].strip(), source.strip()
        return title, source.strip()
    head, sep, tail = title.rpartition(" - ")
    if sep and head.strip() and tail.strip() and len(tail) <= 60:
        return head.strip(), tail.strip()
    return title, None


# --- Language -----------------------------------------------------------------------------------


@cache
def _detector():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.INDONESIAN, Language.ENGLISH).build()


_ISO = {"INDONESIAN": "id", "ENGLISH": "en"}


def detect_languages(texts: list[str]) -> list[str | None]:
    """ISO 639-1 code (``"id"`` or ``"en"``) of each text, ``None`` where it cannot tell (empty
    or too short). The detector is built once per process; texts are detected in one batch."""
    if not texts:
        return []
    found = _detector().detect_languages_in_parallel_of([t[:400] for t in texts])
    return [_ISO.get(lang.name) if lang is not None and text.strip() else None
            for lang, text in zip(found, texts, strict=True)]  # fmt: skip
