"""YouTube comments from Google Takeout (``comments.csv``), old and new column sets.

Headers are matched case-insensitively ("Comment create timestamp" vs "Comment Create
Timestamp"); newer files add "Parent Comment ID" and "Post ID". The comment text is JSON: older
files ``{"takeoutSegments":[{"text": ...}]}``, newer ones several comma-separated
``{"text": ...}`` objects; the pieces are joined into plain text. These are the comments the
coop's channel wrote (``is_own``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from collectors.aliases import has_any, map_headers
from collectors.base import Format, ReadContext, Source
from collectors.common import Record, Rejection, clean_text, reject
from collectors.dates import parse_date
from collectors.generic import NeedsMapping
from collectors.tabular import open_table, peek_headers

ALIASES = {
    "id": ("comment id", "id komentar"),
    "channel": ("channel id", "id channel", "id saluran"),
    "date": (
        "comment create timestamp",
        "comment created timestamp",
        "stempel waktu pembuatan komentar",
        "waktu pembuatan komentar",
    ),
    "parent": ("parent comment id", "id komentar induk"),
    "video": ("video id", "id video"),
    "post": ("post id", "id postingan"),
    "text": ("comment text", "teks komentar", "komentar"),
}


def detect(source: Source) -> float:
    """Confident when the header has a comment id, a video id and the comment text."""
    headers = peek_headers(source)
    if not headers:
        return 0.0
    if has_any(headers, ALIASES["id"]) and has_any(headers, ALIASES["video"]):
        return 0.95
    return 0.0


def _pieces(value: Any) -> list[str]:
    if isinstance(value, dict):
        if "takeoutSegments" in value:
            return [p for seg in value["takeoutSegments"] for p in _pieces(seg)]
        text = value.get("text")
        return [text] if isinstance(text, str) else []
    if isinstance(value, list):
        return [p for item in value for p in _pieces(item)]
    return []


def comment_text(cell: Any) -> str | None:
    """The plain text of a Takeout comment cell (JSON segments joined; plain text kept)."""
    text = clean_text(cell)
    if not text:
        return None
    if text.startswith("{"):
        try:
            return clean_text("".join(_pieces(json.loads(f"[{text}]"))))
        except json.JSONDecodeError:
            return text
    return text


def read(source: Source, ctx: ReadContext) -> Iterator[Record | Rejection]:
    """The channel's comments, one per row; a reply links to its video like any comment."""
    with open_table(source) as table:
        columns = map_headers(table.headers, ALIASES)
        if "date" not in columns or "text" not in columns:
            raise NeedsMapping(source.name, table.headers, columns)

        def cell(cells: list[Any], field: str) -> Any:
            index = columns.get(field)
            return cells[index] if index is not None and index < len(cells) else None

        for where, cells in table.rows:
            if isinstance(cells, Rejection):
                yield cells
                continue
            stamp = cell(cells, "date")
            published = parse_date(stamp, tz="UTC")
            if published is None:
                yield reject(where, "date not readable" if stamp else "date missing", stamp)
                continue
            text = comment_text(cell(cells, "text"))
            if not text:
                yield reject(where, "text missing")
                continue
            native = clean_text(cell(cells, "id"))
            video = clean_text(cell(cells, "video"))
            url = None
            if video:
                url = f"https://youtube.com/watch?v={video}" + (f"&lc={native}" if native else "")
            if not native and not url:
                yield reject(where, "no id or link")
                continue
            yield {
                "native_id": native,
                "platform": "youtube",
                "source": "YouTube (Google Takeout)",
                "url": url,
                "text": text,
                "published_at": published,
                "is_own": 1,
                "raw": dict(zip(table.headers, cells, strict=False)),
            }


FORMAT = Format(
    name="youtube",
    title="YouTube comments (Google Takeout)",
    detect=detect,
    read=read,
    own_account=True,
    how_to_get=(
        "takeout.google.com > deselect all > YouTube and YouTube Music > 'comments' in CSV; "
        "upload the zip or comments.csv."
    ),
)
