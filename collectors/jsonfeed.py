"""Reading JSON Feed (https://jsonfeed.org, versions 1 and 1.1), which feedparser 6 does not.

The result mimics the few fields of a feedparser entry that :mod:`collectors.rss` reads, so both
formats go through one normalisation path.
"""

from __future__ import annotations

import json
from typing import Any

from citra.errors import CitraError

JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/"


class NotAJsonFeed(CitraError, ValueError):
    """The bytes are not JSON, or JSON that is not a JSON Feed; the message says which."""


def looks_like_json(body: bytes, content_type: str | None) -> bool:
    """Whether ``body`` should be read as JSON: a JSON content type or a leading ``{``."""
    if content_type and "json" in content_type.lower():
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_json_feed(body: bytes) -> tuple[str | None, list[dict[str, Any]]]:
    """``(feed title, entries)`` of a JSON Feed. Each entry is a dict with ``id``, ``link``,
    ``title``, ``summary`` (HTML or text), ``published`` (raw date text), ``author`` and
    ``source_title``; absent values are ``None``. Items that are not objects are skipped.

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
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
        JSON_FEED_VERSION_PREFIX
    ):
        raise NotAJsonFeed("JSON without a jsonfeed.org version, so not a JSON Feed")
    items = data.get("items")
    if not isinstance(items, list):
        raise NotAJsonFeed("the JSON Feed has no 'items' list")
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
                "link": _text(item.get("url")) or _text(item.get("external_url")),
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
