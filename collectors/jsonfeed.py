"""Reading JSON Feed (https://jsonfeed.org, versions 1 and 1.1), which feedparser 6 does not.

The result mimics the few fields of a feedparser entry that :mod:`collectors.rss` reads, so both
formats go through one normalisation path. Read leniently, as feed readers do: a ``version`` of
``"1.0"`` or ``http://`` instead of the jsonfeed.org address is accepted, and an item with no
``url`` has its ``external_url`` or first attachment as its address, relative ones resolved
against the feed's ``home_page_url``.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from citra.errors import CitraError

JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/"
_VERSION = re.compile(r"^(?:https?://(?:www\.)?jsonfeed\.org/version/)?\d+(?:\.\d+)*/?$", re.I)


class NotAJsonFeed(CitraError, ValueError):
    """The bytes are not JSON, or JSON that is not a JSON Feed; the message says which."""


def looks_like_json(body: bytes, content_type: str | None) -> bool:
    """Whether ``body`` should be read as JSON: a JSON content type or a leading ``{``."""
    if content_type and "json" in content_type.lower():
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def is_json_feed_version(value: Any) -> bool:
    """Whether ``value`` is a JSON Feed ``version``: the jsonfeed.org address, or (leniently) a
    bare number such as ``"1.0"`` or ``1``."""
    return isinstance(value, str | int | float) and bool(_VERSION.match(str(value).strip()))


def _address(item: dict[str, Any], base: str | None) -> str | None:
    attachments = item.get("attachments")
    first = attachments[0] if isinstance(attachments, list) and attachments else None
    for value in (
        item.get("url"),
        item.get("external_url"),
        first.get("url") if isinstance(first, dict) else None,
    ):
        link = _text(value)
        if link is None:
            continue
        if urlsplit(link).scheme:
            return link
        if base:
            return urljoin(base, link)
    return None


def parse_json_feed(body: bytes, url: str | None = None) -> tuple[str | None, list[dict[str, Any]]]:
    """``(feed title, entries)`` of a JSON Feed fetched from ``url``. Each entry is a dict with
    ``id``, ``link``, ``title``, ``summary`` (HTML or text), ``published`` (raw date text),
    ``author`` and ``source_title``; absent values are ``None``. Items that are not objects are
    skipped.

    Raises :class:`NotAJsonFeed` when the bytes are not a JSON Feed.
    """
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise NotAJsonFeed("the JSON is not valid UTF-8 (byte {byte})", byte=exc.start) from exc
    except json.JSONDecodeError as exc:
        raise NotAJsonFeed(
            "the JSON is broken at line {line}, column {column}", line=exc.lineno, column=exc.colno
        ) from exc
    if not isinstance(data, dict) or not is_json_feed_version(data.get("version")):
        raise NotAJsonFeed("JSON without a jsonfeed.org version, so not a JSON Feed")
    items = data.get("items")
    if not isinstance(items, list):
        raise NotAJsonFeed("the JSON Feed has no 'items' list")
    home = _text(data.get("home_page_url"))
    base = home if home and urlsplit(home).scheme in ("http", "https") else url
    entries: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        author = None
        if isinstance(authors, list) and authors and isinstance(authors[0], dict):
            author = _text(authors[0].get("name"))
        entries.append(
            {
                "id": _text(str(item["id"])) if item.get("id") is not None else None,
                "link": _address(item, base),
                "title": _text(item.get("title")),
                "summary": _text(item.get("content_html"))
                or _text(item.get("summary"))
                or _text(item.get("content_text")),
                "published": _text(item.get("date_published")) or _text(item.get("date_modified")),
                "author": author,
                "source_title": None,
            }
        )
    return _text(data.get("title")), entries
