"""TikTok "Download your data" JSON (``user_data_tiktok.json``, older ``user_data.json``).

Comments the account wrote sit at ``Comment > Comments > CommentsList`` and its own videos at
``Video > Videos > VideoList`` (older) or ``Post > Posts > VideoList`` (newer); key case varies
between vintages ("Date"/"date", "Comment"/"comment"), so paths and keys are matched
case-insensitively. Counts arrive as strings; "N/A" means empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from citra.errors import Location
from citra.urls import canonical_url
from collectors.base import Format, ReadContext, Source
from collectors.common import Record, Rejection, clean_text, reject, to_int
from collectors.dates import parse_date
from collectors.generic import fingerprint
from collectors.jsonstream import iter_items, top_level_keys

_NAME = re.compile(r"^user_data(_tiktok)?\.json$")
TARGETS = {
    "comment.comments.commentslist.item": "comment",
    "comments.comments.commentslist.item": "comment",
    "video.videos.videolist.item": "post",
    "post.posts.videolist.item": "post",
    "your activity.videos.videolist.item": "post",
}


def detect(source: Source) -> float:
    """Confident on the file name, or on ``CommentsList``/``VideoList`` in the first bytes."""
    if _NAME.match(source.basename):
        return 0.9
    head = top_level_keys(source.read_head())
    return 0.8 if b'"commentslist"' in head or b'"videolist"' in head else 0.0


def _lower(item: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): (None if v in ("N/A", "") else v) for k, v in item.items()}


def item_record(kind: str, item: Any, where: Location, ctx: ReadContext) -> Record | Rejection:
    """One comment or video as an own mention, or why not."""
    if not isinstance(item, dict):
        return reject(where, "not a post or comment")
    fields = _lower(item)
    if kind == "comment":
        text = clean_text(fields.get("comment"))
    else:
        text = clean_text(fields.get("desc") or fields.get("title") or fields.get("description"))
        text = text or clean_text(fields.get("link"))
    if not text:
        return reject(where, "text missing")
    published = parse_date(fields.get("date"), tz="UTC")  # TikTok writes UTC times
    if published is None:
        return reject(where, "date not readable", fields.get("date"))
    url = canonical_url(fields.get("link") or fields.get("url"))
    return {
        "native_id": None if url else fingerprint(kind, fields.get("date"), text),
        "platform": "tiktok",
        "source": "TikTok download",
        "url": url,
        "text": text,
        "published_at": published,
        "likes": to_int(fields.get("likes")),
        "is_own": 1,
        "raw": item,
    }


def read(source: Source, ctx: ReadContext) -> Iterator[Record | Rejection]:
    """The account's comments and videos, streamed from the one big JSON file."""
    counts = {"comment": 0, "post": 0}
    for kind, item in iter_items(source, TARGETS):
        counts[kind] += 1
        where = Location(unit="comment" if kind == "comment" else "video", number=counts[kind])
        yield item_record(kind, item, where, ctx)


FORMAT = Format(
    name="tiktok",
    title="TikTok download (comments, videos)",
    detect=detect,
    read=read,
    own_account=True,
    how_to_get=(
        "TikTok > Settings and privacy > Account > Download your data; choose JSON, then "
        "upload the zip or user_data_tiktok.json."
    ),
)
