"""Reading feeds, their health, and collected news guids."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database

from citra.errors import CitraError
from citra.formatting import format_datetime, format_number
from citra.i18n import translate

# A feed backing off is fetched again this long before its next_fetch_at, so that an hourly cron
# started a little early does not skip it for a whole extra hour.
DUE_SLACK_MINUTES = 5


@dataclass(frozen=True)
class Feed:
    """One row of ``feeds``. Times are ISO 8601 UTC with a trailing ``Z`` (``None``: never).

    ``last_errors`` is why the last fetch failed, as messages to show in any language
    (``describe(lang)``); ``last_error`` is the same in English, one line.
    """

    id: int
    url: str
    name: str | None
    kind: str
    organisation_id: int | None
    enabled: bool
    verified: bool
    catalogue_key: str | None
    etag: str | None
    last_modified: str | None
    last_fetched_at: str | None
    last_success_at: str | None
    last_status: int | None
    last_error: str | None
    last_added: int
    consecutive_failures: int
    next_fetch_at: str | None
    added_at: str
    last_errors: tuple[CitraError, ...] = ()

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Feed:
        values = {name: row.get(name) for name in cls.__dataclass_fields__}
        values["last_errors"] = _stored_errors(values["last_error"])
        if values["last_errors"]:
            values["last_error"] = "; ".join(str(e) for e in values["last_errors"])
        values["enabled"] = bool(values["enabled"])
        values["verified"] = bool(values["verified"])
        values["last_added"] = int(values["last_added"] or 0)
        values["consecutive_failures"] = int(values["consecutive_failures"] or 0)
        return cls(**values)

    @property
    def health(self) -> str:
        """``'ok'``, ``'failing'``, ``'never'`` (not fetched yet) or ``'disabled'``."""
        if not self.enabled:
            return "disabled"
        if self.consecutive_failures:
            return "failing"
        return "ok" if self.last_fetched_at else "never"

    def error_text(self, lang: str = "en") -> str:
        """Why the last fetch failed, in ``lang`` (``""`` when it did not fail)."""
        return "; ".join(error.describe(lang) for error in self.last_errors)

    def health_text(self, lang: str = "en") -> str:
        """The feed's health as one plain sentence in ``lang`` (the Sources page and
        ``citra feeds list`` both say it so)."""
        if not self.enabled:
            return translate("Disabled", lang)
        if self.consecutive_failures:
            return translate(
                "Failing {count} times in a row: {error}",
                lang,
                count=self.consecutive_failures,
                error=self.error_text(lang) or "-",
            )
        if self.last_success_at:
            return translate(
                "Working; last success {when}, {added} new",
                lang,
                when=format_datetime(self.last_success_at, lang),
                added=format_number(self.last_added, lang),
            )
        return translate("Not fetched yet (unverified)", lang)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["health"] = self.health
        data["last_errors"] = [e.as_dict() for e in self.last_errors]
        return data


def _stored_errors(text: str | None) -> tuple[CitraError, ...]:
    """``feeds.last_error``: a JSON list of errors (template, values), or, as older versions
    wrote it, one English sentence."""
    if not text:
        return ()
    try:
        stored = json.loads(text)
    except ValueError:
        stored = None
    if isinstance(stored, list) and all(isinstance(e, dict) for e in stored):
        return tuple(CitraError.from_dict(e) for e in stored)
    return (CitraError(text),)


def list_feeds(db: Database, *, enabled: bool | None = None) -> list[Feed]:
    """All feeds by name then URL; ``enabled`` filters on the enabled flag. None: ``[]``."""
    sql = "SELECT * FROM feeds"
    params: list[Any] = []
    if enabled is not None:
        sql += " WHERE enabled = ?"
        params.append(int(enabled))
    sql += " ORDER BY coalesce(name, url) COLLATE NOCASE, url"
    return [Feed.from_row(row) for row in db.query(sql, params)]


def find_feed(db: Database, url_or_id: str | int) -> Feed | None:
    """A feed by its exact URL or its id; ``None`` when there is no such feed."""
    rows = list(
        db.query(
            "SELECT * FROM feeds WHERE url = ? OR CAST(id AS TEXT) = ? LIMIT 1",
            [str(url_or_id), str(url_or_id)],
        )
    )
    return Feed.from_row(rows[0]) if rows else None


def due_feeds(db: Database, now: str) -> list[Feed]:
    """Enabled feeds to fetch at ``now`` (ISO UTC): never fetched, or not backing off
    (``next_fetch_at`` within :data:`DUE_SLACK_MINUTES` of ``now`` or earlier)."""
    rows = db.query(
        "SELECT * FROM feeds WHERE enabled = 1 AND (next_fetch_at IS NULL OR "
        "next_fetch_at <= strftime('%Y-%m-%dT%H:%M:%SZ', ?, ?)) ORDER BY id",
        [now.replace("Z", ""), f"+{DUE_SLACK_MINUTES} minutes"],
    )
    return [Feed.from_row(row) for row in rows]


def known_guids(db: Database, feed_id: int, guids: Sequence[str]) -> set[str]:
    """Which of ``guids`` were already collected from this feed (empty input: empty set)."""
    found: set[str] = set()
    unique = list(dict.fromkeys(guids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found.update(
            row[0]
            for row in db.execute(
                f"SELECT guid FROM news_guids WHERE feed_id = ? AND guid IN ({marks})",
                [feed_id, *chunk],
            )
        )
    return found


def catalogue_keys_added(db: Database) -> dict[str, Feed]:
    """Feeds that came from the starter catalogue, by catalogue key (or by URL)."""
    return {(feed.catalogue_key or feed.url): feed for feed in list_feeds(db) if feed.catalogue_key}


def story_counts(db: Database, since: str | None = None) -> dict[str, int]:
    """``{"mentions": n, "stories": m}`` of news mentions published at or after ``since`` (ISO
    UTC; ``None``: all time). Syndicated copies of one story count once in ``stories``."""
    row = db.execute(
        "SELECT count(*), count(DISTINCT coalesce(story_id, id)) FROM mentions "
        "WHERE platform = 'news' AND (? IS NULL OR published_at >= ?)",
        [since, since],
    ).fetchone()
    return {"mentions": int(row[0]), "stories": int(row[1])}
