"""Facebook "Download Your Information" JSON: the coop page's posts and comments.

``your_posts_N.json`` is a list of posts (older) or ``{"posts_v2": [...]}``; ``comments.json``
holds ``"comments_v2"`` (newer) or ``"comments"`` (older). Meta writes UTF-8 bytes as Latin-1
code points ("mojibake"); every string is repaired exactly once. DYI posts carry no id or link,
so a post's native id is a fingerprint of its time and text. A file renamed by its owner is
recognised by its content. Posts and comments with no text of their own (a shared link, a new
profile picture, a sticker) are skipped, not rejected: there is nothing wrong with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from citra.errors import Location
from citra.urls import canonical_url
from collectors.base import Format, ReadContext, Skipped, Source
from collectors.common import Record, Rejection, clean_text, reject, repair_tree
from collectors.dates import parse_date
from collectors.generic import fingerprint
from collectors.jsonstream import iter_items, top_level_keys

_POSTS_NAME = re.compile(r"^(your_posts|your_posts_and_comments_in_groups)(_\d+)?\.json$")
_COMMENTS_NAME = re.compile(r"^comments(_\d+)?\.json$")
TARGETS = {
    "item": "post",
    "posts_v2.item": "post",
    "comments_v2.item": "comment",
    "comments.item": "comment",
}


def _looks_like_posts(head: bytes) -> bool:
    """A list of DYI posts, whatever the file is called: items with a ``timestamp`` and
    ``"post"`` texts or ``attachments``."""
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    shaped = b'"post"' in head or b'"attachments"' in head or b'"external_context"' in head
    return body.startswith(b"[") and b'"timestamp"' in head and shaped


def detect(source: Source) -> float:
    """Confident on the DYI file names or the ``posts_v2``/``comments_v2`` keys; likely on a
    list of posts under another name."""
    head = top_level_keys(source.read_head())
    if b'"posts_v2"' in head or b'"comments_v2"' in head:
        return 0.9
    if _POSTS_NAME.match(source.basename):
        return 0.8
    if _COMMENTS_NAME.match(source.basename) and b'"comments"' in head:
        return 0.7
    return 0.7 if _looks_like_posts(head) else 0.0


def _texts(entries: Any, key: str) -> list[str]:
    found = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get(key), str):
            found.append(entry[key])
    return found


def _first_link(post: dict[str, Any]) -> str | None:
    for attachment in post.get("attachments") or []:
        for data in attachment.get("data") or [] if isinstance(attachment, dict) else []:
            context = data.get("external_context") if isinstance(data, dict) else None
            if isinstance(context, dict) and context.get("url"):
                return canonical_url(context["url"])
    return None


def post_record(
    kind: str, item: Any, where: Location, ctx: ReadContext
) -> Record | Rejection | Skipped:
    """One DYI post or comment (mojibake repaired) as an own mention, or why not; a dated post
    without text of its own (a share, a new profile picture) is :class:`Skipped`."""
    if not isinstance(item, dict):
        return reject(where, "not a post or comment")
    item = repair_tree(item)
    data = item.get("data") or []
    author = None
    if kind == "comment":
        comments = [d["comment"] for d in data if isinstance(d, dict) and "comment" in d]
        comment = comments[0] if comments and isinstance(comments[0], dict) else {}
        text = clean_text(comment.get("comment"))
        author = clean_text(comment.get("author"))
        stamp = comment.get("timestamp") or item.get("timestamp")
    else:
        text = clean_text("\n".join(_texts(data, "post")))
        stamp = item.get("timestamp")
    title = clean_text(item.get("title"))
    if not text:
        if stamp is not None:
            return Skipped(where)
        return reject(where, "text missing", title)
    published = parse_date(stamp, tz=ctx.tz)
    if published is None:
        return reject(where, "date not readable", stamp)
    return {
        "native_id": fingerprint(kind, stamp, text),
        "platform": "facebook",
        "source": "Facebook download",
        "url": _first_link(item) if kind == "post" else None,
        "title": title,
        "text": text,
        "author": author,
        "published_at": published,
        "is_own": 1,
        "raw": item,
    }


def read(source: Source, ctx: ReadContext) -> Iterator[Record | Rejection | Skipped]:
    """The page's posts or comments from one DYI JSON file, streamed."""
    targets = dict(TARGETS)
    if _COMMENTS_NAME.match(source.basename):
        targets["item"] = "comment"
    for number, (kind, item) in enumerate(iter_items(source, targets), 1):
        yield post_record(kind, item, Location(unit="record", number=number), ctx)


FORMAT = Format(
    name="facebook",
    title="Facebook download (posts, comments)",
    detect=detect,
    read=read,
    own_account=True,
    how_to_get=(
        "Facebook > Settings > Your information > Download your information; choose JSON, "
        "then upload the zip or your_posts_1.json / comments.json."
    ),
)
