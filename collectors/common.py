"""Small helpers every export reader shares: records, rejections, numbers, platforms, text repair.

Links are made canonical by ``citra.urls.canonical_url`` (feeds and the mention id use the same).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from citra.errors import CitraError, Location

# A mention record as readers yield it: mention columns (see citra.store.mentions) plus
# ``native_id``; the pipeline turns ``native_id``/``url`` into the stable ``id``.
Record = dict[str, Any]


class FormatError(CitraError):
    """The whole input is unreadable as its format (e.g. truncated JSON): a :class:`CitraError`
    whose template says what is wrong, translated like any message."""


class Rejection(CitraError):
    """An input record that was not imported: where it is (``location``: line 17, record 3) and
    why (a template, usually one of :data:`REASONS`). Readers yield it; nothing raises it."""


# The fixed phrases rejections start with (each also with ": '{value}'" after it, see
# :func:`reject`); every one is in the catalogues.
REASONS = (
    "date not readable",
    "date missing",
    "text missing",
    "no id or link",
    "not a post or comment",
    "row too large",
    "text cut to the size limit",
)


def reject(where: Location, reason: str, value: Any = None) -> Rejection:
    """A :class:`Rejection` at ``where`` for ``reason`` (one of :data:`REASONS`), with the
    offending value quoted and cut to 60 characters."""
    if value is None or value == "":
        return Rejection(reason, location=where)
    shown = str(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return Rejection(reason + ": '{value}'", location=where, value=shown)


def repair_mojibake(text: str) -> str:
    """Undo Meta's double encoding once: UTF-8 bytes written as Latin-1 code points.

    ``"Ã©"`` becomes ``"é"``, ``"ð\\x9f\\x98\\x8a"`` becomes an emoji. Text that is not
    mojibake (a character above U+00FF, or bytes that are not valid UTF-8) is returned unchanged,
    so repairing already-correct text is harmless.
    """
    if not text or text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def repair_tree(value: Any) -> Any:
    """:func:`repair_mojibake` applied to every string (keys too) in a JSON value."""
    if isinstance(value, str):
        return repair_mojibake(value)
    if isinstance(value, list):
        return [repair_tree(item) for item in value]
    if isinstance(value, dict):
        return {repair_mojibake(k): repair_tree(v) for k, v in value.items()}
    return value


_NUMBER_JUNK = re.compile(r"[\s\u00a0,.](?=\d{3}(?:\D|$))")


def to_int(value: Any) -> int | None:
    """A count from an export cell: ``"1.234"``, ``"1,234"``, ``"12 345"``, ``7.0`` -> int.

    Empty, ``"N/A"`` and anything that is not a plain count (a formula, text) give ``None``;
    counts are never evaluated.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value == value else None
    text = str(value).strip()
    if text.isdecimal():  # plain digits (what \d+ below accepts), the common case
        return int(text)
    if not text:
        return None
    text = _NUMBER_JUNK.sub("", text)
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+[.,]0+", text):
        return int(re.split(r"[.,]", text)[0])
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*([kKmM]|rb|jt)", text)
    if match:
        number = float(match.group(1).replace(",", "."))
        factor = 1000 if match.group(2).lower() in ("k", "rb") else 1_000_000
        return int(number * factor)
    return None


def clean_text(value: Any) -> str | None:
    """A cell as text, stripped; empty gives ``None``. Formula-looking text stays as written."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


_PLATFORM_HOSTS = {
    "x.com": "x",
    "twitter.com": "x",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.watch": "facebook",
    "instagram.com": "instagram",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "tiktok.com": "tiktok",
}

_PLATFORM_WORDS = {
    "x": "x",
    "twitter": "x",
    "x (twitter)": "x",
    "tweet": "x",
    "facebook": "facebook",
    "fb": "facebook",
    "instagram": "instagram",
    "ig": "instagram",
    "youtube": "youtube",
    "yt": "youtube",
    "video": "youtube",
    "tiktok": "tiktok",
    "news": "news",
    "berita": "news",
    "media online": "news",
    "online media": "news",
    "portal berita": "news",
    "web": "web",
    "website": "web",
    "blog": "web",
    "blogs": "web",
    "forum": "web",
    "forums": "web",
    "podcast": "other",
    "other": "other",
    "others": "other",
    "lainnya": "other",
}


def platform_from_url(url: str | None) -> str | None:
    """The platform a link belongs to (``x``, ``facebook``, ...), ``web`` for any other site."""
    if not url:
        return None
    plain = _PLAIN_HOST.match(url)
    if plain:  # what urlsplit gives for such a link, without splitting it
        return _host_platform(plain.group(1).lower())
    return _host_platform(urlsplit(url).netloc.lower().split(":")[0])


# ``http(s)://`` and a host of letters, digits, dots and dashes, then a port, path, query,
# fragment or the end: its host is the netloc urlsplit finds (which the full path reads).
_PLAIN_HOST = re.compile(r"https?://([A-Za-z0-9.-]+)(?::\d*)?(?=[/?#]|$)")


@lru_cache(maxsize=4096)
def _host_platform(host: str) -> str:
    for known, platform in _PLATFORM_HOSTS.items():
        if host == known or host.endswith("." + known):
            return platform
    return "web"


def platform_from_word(word: Any) -> str | None:
    """A monitoring tool's source/category cell (``Twitter``, ``News``, ``Berita``) as a platform."""
    text = clean_text(word)
    if not text:
        return None
    key = text.casefold()
    if key in _PLATFORM_WORDS:
        return _PLATFORM_WORDS[key]
    for known, platform in _PLATFORM_WORDS.items():
        if len(known) > 3 and known in key:
            return platform
    return None


def numbered(items: Iterator[Any], start: int = 1) -> Iterator[tuple[int, Any]]:
    """``enumerate`` with a default start of 1 (records are counted from 1 for people)."""
    return enumerate(items, start)
