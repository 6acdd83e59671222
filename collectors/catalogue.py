"""The starter catalogue of Indonesian news feeds, shipped as data (``feed_catalogue.json``).

Catalogue feeds are added as ``outlet`` feeds (even the Google News sector searches), so only
entries that mention the coop or a peer are kept. Each stays *unverified* until its first
successful fetch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlite_utils import Database

from citra.access import EDITOR, requires
from citra.errors import CitraError
from citra.queries.news import Feed, catalogue_keys_added
from citra.store.news import add_feed

CATALOGUE_FILE = Path(__file__).with_name("feed_catalogue.json")
GROUPS = ("national", "economy", "regional", "cooperative")


@dataclass(frozen=True)
class CatalogueFeed:
    """One catalogue entry: a stable key, a display name, the URL and its group."""

    key: str
    name: str
    url: str
    group: str


@cache
def load_catalogue() -> tuple[CatalogueFeed, ...]:
    """The shipped catalogue, in file order."""
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return tuple(
        CatalogueFeed(key=item["key"], name=item["name"], url=item["url"], group=item["group"])
        for item in data["feeds"]
    )


def catalogue_status(db: Database) -> list[tuple[CatalogueFeed, Feed | None]]:
    """Each catalogue entry with its stored feed (``None`` when not added yet)."""
    added = catalogue_keys_added(db)
    return [(entry, added.get(entry.key)) for entry in load_catalogue()]


@requires(EDITOR, action="feed catalogue enabled")
def enable_catalogue(db: Database, keys: Iterable[str] | None = None) -> list[Feed]:
    """Add (or re-enable) catalogue feeds: those with ``keys``, else all. Returns the feeds.

    Raises :class:`CitraError` naming any unknown key.
    """
    entries = {entry.key: entry for entry in load_catalogue()}
    wanted = list(keys) if keys is not None else list(entries)
    unknown = [key for key in wanted if key not in entries]
    if unknown:
        raise CitraError(
            "Not in the catalogue: {keys}. See: citra feeds catalogue", keys=", ".join(unknown)
        )
    return [
        add_feed(
            db,
            entries[key].url,
            name=entries[key].name,
            kind="outlet",
            catalogue_key=key,
            enabled=True,
        )
        for key in wanted
    ]
