"""X (Twitter) archives: ``data/tweets.js`` (older ``data/tweet.js``, split ``tweets-part1.js``).

Each file is a JavaScript assignment of a JSON list; items are ``{"tweet": {...}}`` or the tweet
itself; counts arrive as strings; dates look like ``Wed Oct 10 20:19:24 +0000 2018``; texts are
HTML-escaped (``&amp;``, ``&lt;``, ``&gt;``) and are unescaped once. These are
the coop's own posts (``is_own``); the permalink is built from the tweet id.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from citra.errors import Location
from collectors.base import Format, ReadContext, Source
from collectors.common import Record, Rejection, clean_text, reject, to_int
from collectors.dates import parse_date
from collectors.jsonstream import iter_items

_NAME = re.compile(r"^tweets?(-part\d+)?\.js$")
_HEAD = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*window\.YTD\.tweets?\.part\d+\s*=")


def detect(source: Source) -> float:
    """Certain on X's ``window.YTD.tweets.partN =`` prefix; likely on the file name alone."""
    if _HEAD.match(source.read_head()):
        return 1.0
    return 0.6 if _NAME.match(source.basename) else 0.0


def tweet_record(item: dict[str, Any], where: Location, ctx: ReadContext) -> Record | Rejection:
    """One archive item as a mention record (own post), or why it cannot be one."""
    tweet = item.get("tweet", item) if isinstance(item, dict) else None
    if not isinstance(tweet, dict):
        return reject(where, "not a post or comment")
    native = clean_text(tweet.get("id_str") or tweet.get("id"))
    if not native:
        return reject(where, "no id or link")
    published = parse_date(tweet.get("created_at"), tz=ctx.tz)
    if published is None:
        return reject(where, "date not readable", tweet.get("created_at"))
    raw_text = tweet.get("full_text") or tweet.get("text")
    text = clean_text(html.unescape(raw_text) if isinstance(raw_text, str) else raw_text)
    if not text:
        return reject(where, "text missing")
    return {
        "native_id": native,
        "platform": "x",
        "source": "X archive",
        "url": f"https://x.com/i/web/status/{native}",
        "text": text,
        "published_at": published,
        "lang": clean_text(tweet.get("lang")),
        "likes": to_int(tweet.get("favorite_count")),
        "shares": to_int(tweet.get("retweet_count")),
        "comments": to_int(tweet.get("reply_count")),
        "views": to_int(tweet.get("view_count") or tweet.get("impression_count")),
        "is_own": 1,
        "raw": tweet,
    }


def read(source: Source, ctx: ReadContext) -> Iterator[Record | Rejection]:
    """The coop's tweets, streamed from the archive file."""
    for number, (_, item) in enumerate(iter_items(source, {"item": "tweet"}), 1):
        yield tweet_record(item, Location(unit="record", number=number), ctx)


FORMAT = Format(
    name="x",
    title="X (Twitter) archive",
    detect=detect,
    read=read,
    own_account=True,
    how_to_get=(
        "X > Settings > Your account > Download an archive of your data; upload the zip or "
        "data/tweets.js."
    ),
)
