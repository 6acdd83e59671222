"""Writing mentions: stable ids and idempotent, batched inserts.

``author_key`` is derived here from ``author_handle`` (``citra.handles.normalise_handle``); no
other writer sets it.
"""

from __future__ import annotations

import hashlib
import json
import json.encoder as json_encoder
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

from sqlite_utils import Database

from citra.access import EDITOR, requires
from citra.handles import normalise_handle
from citra.privacy import handle_hash
from citra.urls import canonical_url

PLATFORMS = ("news", "x", "facebook", "instagram", "youtube", "tiktok", "web", "other")

MENTION_COLUMNS = (
    "id",
    "organisation_id",
    "platform",
    "source",
    "url",
    "title",
    "text",
    "author",
    "author_handle",
    "published_at",
    "lang",
    "likes",
    "comments",
    "shares",
    "views",
    "reach",
    "sentiment_compound",
    "sentiment_label",
    "sentiment_source",
    "lexicon_version",
    "risk",
    "risk_category",
    "risk_categories",
    "is_own",
    "import_id",
    "raw",
    "is_demo",
    "author_key",
)

_INSERT_SQL = "INSERT INTO mentions ({cols}) VALUES ({marks}) ON CONFLICT(id) DO NOTHING".format(
    cols=", ".join(MENTION_COLUMNS), marks=", ".join("?" for _ in MENTION_COLUMNS)
)


# Platforms whose mentions are articles: a web page is the same article whichever feed, tool or
# file brought it, so its id comes from its canonical URL alone (see :func:`mention_id`).
ARTICLE_PLATFORMS = ("news", "web")


def mention_id(platform: str, native_id: str | None = None, url: str | None = None) -> str:
    """Stable id of a mention: a hash of what identifies it wherever it was seen.

    - A news or web article (``ARTICLE_PLATFORMS``) with a link: its canonical URL
      (``citra.urls.canonical_url``), whatever platform word or row id the source gave, so an RSS
      entry and a Brand24 or Mention row for the same article are one mention.
    - Otherwise the platform and its native id (a tweet id, a post id), else the platform and the
      canonical URL.

    The same post imported twice, from the same or another file, gets the same id. Raises
    ValueError with neither a native id nor a URL.
    """
    link = (canonical_url(url) or url.strip()) if url else None
    if link and platform in ARTICLE_PLATFORMS:
        key = f"news\x1furl\x1f{link}"
    elif native_id:
        key = f"{platform}\x1fid\x1f{native_id}"
    elif link:
        key = f"{platform}\x1furl\x1f{link}"
    else:
        raise ValueError("a mention needs a native id or a canonical URL to get a stable id")
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


_PLATFORM = MENTION_COLUMNS.index("platform")
_AUTHOR_KEY = MENTION_COLUMNS.index("author_key")

# The CHECK constraints of ``mentions`` (as the schema writes them, blanks collapsed), each with
# the column and the values it allows. :func:`insert_rows` checks them itself, batch by batch,
# so that a large import may pause SQLite's own evaluation of them (``citra.store.bulk``):
# evaluated per row by SQLite they cost a third of the insert.
CHECKS = {
    "platform IN ('news', 'x', 'facebook', 'instagram', 'youtube', 'tiktok', 'web', 'other')": (
        "platform",
        frozenset(PLATFORMS),
    ),
    "sentiment_label IN ('positive', 'negative', 'neutral')": (
        "sentiment_label",
        frozenset(("positive", "negative", "neutral")),
    ),
    "sentiment_source IN ('auto', 'manual')": ("sentiment_source", frozenset(("auto", "manual"))),
}
_CHECKED = [
    (check, MENTION_COLUMNS.index(column), allowed | {None})  # NULL passes a CHECK
    for check, (column, allowed) in CHECKS.items()
]


def _check_constraints(batch: Sequence[tuple[Any, ...]]) -> None:
    """Raise :class:`sqlite3.IntegrityError` as SQLite would when a row breaks one of
    :data:`CHECKS`."""
    for check, index, allowed in _CHECKED:
        if not {row[index] for row in batch} <= allowed:
            raise sqlite3.IntegrityError(f"CHECK constraint failed: {check}")


def _forgotten_handles(db: Database) -> set[str]:
    try:
        return {row[0] for row in db.execute("SELECT handle_hash FROM forgotten_handles")}
    except sqlite3.OperationalError:  # a schema before members_005 (a migration's own writes)
        return set()


def _is_forgotten(db: Database, row: tuple[Any, ...], forgotten: set[str]) -> bool:
    handle = row[_AUTHOR_KEY]
    return handle is not None and handle_hash(db, row[_PLATFORM], handle) in forgotten


# What :func:`mention_row` stores for a field the record leaves out (``import_id``: the caller's).
_DEFAULTS = {"sentiment_source": "auto", "risk": 0, "is_own": 0, "is_demo": 0}
_DEFAULT_ROW = [_DEFAULTS.get(column) for column in MENTION_COLUMNS]
_IMPORT_ID = MENTION_COLUMNS.index("import_id")
_RAW = MENTION_COLUMNS.index("raw")


def mention_row(record: Mapping[str, Any], import_id: int | None = None) -> tuple[Any, ...]:
    """The stored row of a mention record: its values in :data:`MENTION_COLUMNS` order, with
    the defaults, the compacted ``raw`` and the ``author_key`` an insert gives it. Needs no
    database, so an import builds rows in its worker processes (:func:`insert_rows`)."""
    get = record.get
    defaults = _DEFAULT_ROW.copy()
    defaults[_IMPORT_ID] = import_id
    row = list(map(get, MENTION_COLUMNS, defaults))  # a field left out takes its default
    raw = row[_RAW]
    if isinstance(raw, Mapping):
        row[_RAW] = compact_raw(raw, record)
    elif raw is not None and not isinstance(raw, str):
        row[_RAW] = _json(raw)
    if row[_PLATFORM] not in PLATFORMS:
        row[_PLATFORM] = "other"
    # The author's handle as member handles are stored, so SQL compares and never normalises.
    handle = get("author_handle")
    row[_AUTHOR_KEY] = (normalise_handle(handle) or None) if handle is not None else None
    return tuple(row)


# Compact JSON as json.dumps(..., ensure_ascii=False, default=str, separators=(",", ":")) writes
# it, with the encoder built once (dumps builds one per call when given options).
_JSON = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",", ":"))
# The C encoder behind it, built once too (``JSONEncoder.encode`` builds it per call); it gives
# the same text. Without the check for circular containers: ``raw`` is parsed input, a tree.
_C_ENCODE = (
    None
    if json_encoder.c_make_encoder is None or json_encoder.c_encode_basestring is None
    else json_encoder.c_make_encoder(
        None, str, json_encoder.c_encode_basestring, None, ":", ",", False, False, True
    )
)


def _json(value: Any) -> str:
    """``value`` as compact JSON (see :data:`_JSON`)."""
    if _C_ENCODE is None or isinstance(value, str):
        return _JSON.encode(value)
    return "".join(_C_ENCODE(value, 0))


# Stored columns whose value an input field often repeats whole (a CSV's "Content", "Url").
_RAW_REPEATS = ("text", "title", "url", "author", "author_handle")


def compact_raw(raw: Mapping[str, Any], values: Mapping[str, Any]) -> str | None:
    """``raw`` as compact JSON, without the fields that hold exactly the mention's stored text,
    title, URL, author or handle (the bulk of an export row, kept once in its column). Every other field stays,
    unknown columns included; ``None`` when nothing is left."""
    stored = {value.strip() for value in map(values.get, _RAW_REPEATS) if isinstance(value, str)}
    stored.discard("")
    kept = {
        key: value
        for key, value in raw.items()
        if not (isinstance(value, str) and value.strip() in stored)
    }
    if not kept:
        return None
    return _json(kept)


@requires(EDITOR)
def insert_mentions(
    db: Database,
    records: Iterable[Mapping[str, Any]],
    *,
    import_id: int | None = None,
    batch_size: int = 2000,
    on_batch: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Insert mention records, skipping any whose ``id`` is already stored.

    Returns ``(added, duplicates)``. Records are consumed lazily in batches, so a generator over a
    large file never sits in memory whole. The caller owns the transaction (see
    ``citra.store.imports.import_run``); an existing mention is never overwritten, so manual
    labels and tags survive a re-import. A post by an erased member's handle
    (``forgotten_handles``, see ``citra.store.member_registry.forget_member``) is never stored
    again; it counts as a duplicate. ``on_batch(added so far)`` is called after each batch.
    """
    rows = (mention_row(record, import_id) for record in records)
    return insert_rows(db, iter(lambda: list(islice(rows, batch_size)), []), on_batch=on_batch)


@requires(EDITOR)
def insert_rows(
    db: Database,
    batches: Iterable[Sequence[tuple[Any, ...]]],
    *,
    on_batch: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """:func:`insert_mentions` of rows already built by :func:`mention_row`, a batch at a time
    (each batch one statement); returns ``(added, duplicates)``."""
    added = duplicates = 0
    forgotten = _forgotten_handles(db)  # none on most installations: nothing hashed per row
    for batch in batches:
        kept = batch
        if forgotten:
            kept = [row for row in batch if not _is_forgotten(db, row, forgotten)]
            duplicates += len(batch) - len(kept)  # erased members' posts: skipped as stored
        if not kept:
            continue
        _check_constraints(kept)
        # rowcount counts only rows this statement inserted (sqlite3_changes excludes trigger
        # writes such as the full-text index); a conflicting id adds 0.
        inserted = db.conn.executemany(_INSERT_SQL, kept).rowcount
        added += inserted
        duplicates += len(kept) - inserted
        if on_batch is not None:
            on_batch(added)
    return added, duplicates


@requires(EDITOR)
def set_organisations(db: Database, updates: Iterable[tuple[int | None, int]]) -> int:
    """Attribute mentions anew: ``(organisation_id or None, seq)`` pairs; returns rows changed.
    The caller owns the transaction; the daily rollup and members' shares follow by triggers."""
    return db.conn.executemany(
        "UPDATE mentions SET organisation_id = ? WHERE seq = ?", list(updates)
    ).rowcount
