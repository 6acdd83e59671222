"""Instagram "Download your information" JSON: comments the coop's account wrote, and its posts.

``post_comments_N.json`` and ``reels_comments.json`` come in two shapes: older items with a
``string_map_data`` dict (``{"Comment": {"value": ...}, "Time": {"timestamp": ...}}``), newer ones
with a ``label_values`` list (``[{"label": "Comment", "value": ...}]``). Keys are localised
("Komentar", "Waktu", "Pemilik media"). ``posts_N.json`` holds the account's own posts. Strings
are mojibake-repaired once, as in every Meta download.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from citra.errors import Location
from citra.urls import canonical_url
from collectors.aliases import normalise_header
from collectors.base import Format, ReadContext, Source
from collectors.common import Record, Rejection, clean_text, reject, repair_tree
from collectors.dates import parse_date
from collectors.generic import fingerprint
from collectors.jsonstream import iter_items, top_level_keys

_COMMENTS_NAME = re.compile(r"^(post_comments(_\d+)?|reels_comments|comments)\.json$")
_POSTS_NAME = re.compile(r"^posts(_\d+)?\.json$")
TEXT_KEYS = ("comment", "komentar", "comentario", "caption", "keterangan", "text", "teks")
TIME_KEYS = ("time", "waktu", "timestamp", "hora")
OWNER_KEYS = ("media owner", "pemilik media", "propietario del contenido")
TARGETS = {
    "item": "comment",
    "comments_media_comments.item": "comment",
    "comments_reels_comments.item": "comment",
    "ig_posts.item": "post",
}


def detect(source: Source) -> float:
    """Confident on Instagram's shapes (``string_map_data``/``label_values``) or file names."""
    head = top_level_keys(source.read_head())
    shaped = b'"string_map_data"' in head or b'"label_values"' in head
    if b"comments_reels_comments" in head or b"comments_media_comments" in head:
        return 0.95
    if shaped and _COMMENTS_NAME.match(source.basename):
        return 0.95
    if _POSTS_NAME.match(source.basename) and b'"media"' in head:
        return 0.8
    # Other Instagram files share these shapes (liked posts, followers); claim a renamed file
    # only when it speaks of comments.
    mentions_comments = b'"comment"' in head or b'"komentar"' in head
    return 0.75 if shaped and mentions_comments else 0.0


def _fields(item: dict[str, Any]) -> dict[str, Any]:
    """Both shapes as one ``{normalised label: value or timestamp}``."""
    fields: dict[str, Any] = {}
    for label, entry in (item.get("string_map_data") or {}).items():
        if isinstance(entry, dict):
            fields[normalise_header(label)] = entry.get("value") or entry.get("timestamp")
    for entry in item.get("label_values") or []:
        if isinstance(entry, dict) and entry.get("label"):
            value = entry.get("value")
            if value is None:
                value = entry.get("timestamp_value") or entry.get("timestamp")
            fields[normalise_header(entry["label"])] = value
    return fields


def _pick(fields: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((fields[k] for k in keys if fields.get(k) not in (None, "")), None)


def comment_record(item: Any, where: Location, ctx: ReadContext) -> Record | Rejection:
    """One comment (either shape) as an own mention, or why not."""
    if not isinstance(item, dict):
        return reject(where, "not a post or comment")
    item = repair_tree(item)
    fields = _fields(item)
    text = clean_text(_pick(fields, TEXT_KEYS))
    if not text:
        return reject(where, "text missing")
    stamp = _pick(fields, TIME_KEYS) or item.get("timestamp")
    published = parse_date(stamp, tz=ctx.tz)
    if published is None:
        return reject(where, "date not readable", stamp)
    owner = clean_text(_pick(fields, OWNER_KEYS))
    native = clean_text(item.get("fbid")) or fingerprint("comment", stamp, text, owner)
    return {
        "native_id": native,
        "platform": "instagram",
        "source": "Instagram download",
        "text": text,
        "published_at": published,
        "is_own": 1,
        "raw": {**item, "media_owner": owner} if owner else item,
    }


def post_record(item: Any, where: Location, ctx: ReadContext) -> Record | Rejection:
    """One own post of ``posts_N.json`` (caption in ``title`` or its first media's title)."""
    if not isinstance(item, dict):
        return reject(where, "not a post or comment")
    item = repair_tree(item)
    media = [m for m in item.get("media") or [] if isinstance(m, dict)]
    first = media[0] if media else {}
    text = clean_text(item.get("title") or first.get("title"))
    if not text:
        return reject(where, "text missing")
    stamp = item.get("creation_timestamp") or first.get("creation_timestamp")
    published = parse_date(stamp, tz=ctx.tz)
    if published is None:
        return reject(where, "date not readable", stamp)
    return {
        "native_id": fingerprint("post", stamp, text),
        "platform": "instagram",
        "source": "Instagram download",
        "url": canonical_url(first.get("uri")),
        "text": text,
        "published_at": published,
        "is_own": 1,
        "raw": item,
    }


def read(source: Source, ctx: ReadContext) -> Iterator[Record | Rejection]:
    """Comments or posts from one Instagram JSON file, streamed."""
    targets = dict(TARGETS)
    if _POSTS_NAME.match(source.basename):
        targets["item"] = "post"
    for number, (kind, item) in enumerate(iter_items(source, targets), 1):
        where = Location(unit="record", number=number)
        yield post_record(item, where, ctx) if kind == "post" else comment_record(item, where, ctx)


FORMAT = Format(
    name="instagram",
    title="Instagram download (comments, posts)",
    detect=detect,
    read=read,
    own_account=True,
    how_to_get=(
        "Instagram > Accounts Centre > Your information and permissions > Download your "
        "information; choose JSON, then upload the zip or post_comments_1.json."
    ),
)
