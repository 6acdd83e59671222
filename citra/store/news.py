"""Writing feeds, their fetch state and health, collected guids, and story grouping."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from citra import net
from citra.access import EDITOR, requires
from citra.errors import CitraError
from citra.matching import normalize
from citra.queries.news import Feed, find_feed
from citra.queries.organisations import find_organisation

FEED_KINDS = ("search", "outlet")
# Back-off after consecutive failures: 30 min, 1 h, 2 h, ... capped at one day.
BACKOFF_BASE = timedelta(minutes=30)
BACKOFF_MAX = timedelta(days=1)
# Syndicated copies: titles this similar (Jaccard on title words), published this close together.
STORY_SIMILARITY = 0.6
STORY_WINDOW = timedelta(days=3)
STORY_MIN_WORDS = 3
_STOPWORDS = frozenset({
    "yang", "dan", "di", "ke", "dari", "untuk", "dengan", "ini", "itu", "pada", "dalam", "akan",
    "oleh", "atau", "juga", "tak", "tidak", "ada", "jadi", "karena", "bagi", "para", "sebagai",
    "agar", "the", "a", "an", "of", "in", "on", "to", "for", "and", "is", "are", "at", "by",
    "with", "from",
})  # fmt: skip


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@requires(EDITOR, action="feed added", target="url")
def add_feed(
    db: Database,
    url: str,
    *,
    name: str | None = None,
    kind: str = "outlet",
    organisation: str | int | None = None,
    catalogue_key: str | None = None,
    enabled: bool = True,
) -> Feed:
    """Add a feed, or update the name/kind/organisation of the feed with this URL.

    ``kind`` is ``'search'`` (keep every entry for ``organisation``) or ``'outlet'`` (keep
    entries that mention the coop or a peer). ``organisation`` is a name or id; ``None`` means
    the coop itself at collection time. Raises :class:`CitraError` for a non-HTTP URL, an
    unknown kind or an unknown organisation.
    """
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() in ("http", "https"):
        url = f"{scheme.lower()}://{rest}"  # HTTP://x is a web address too: schemes ignore case
    if not re.match(r"^https?://[^\s/]+", url):
        raise CitraError(
            "'{url}' is not a web address; a feed URL starts with http:// or https://", url=url
        )
    url = net.check_url(url)  # an IP address on this machine or a private network is refused
    if kind not in FEED_KINDS:
        raise CitraError(
            "Unknown feed kind '{kind}'; use one of {known}.",
            kind=kind,
            known=", ".join(FEED_KINDS),
        )
    org_id = None
    if organisation is not None and str(organisation).strip():
        org = find_organisation(db, organisation)
        if org is None:
            raise CitraError(
                "No organisation called '{name}'. Set the profile or add the peer first.",
                name=organisation,
            )
        org_id = org.id
    existing = find_feed(db, url)
    with db.atomic():
        if existing is None:
            db.execute(
                "INSERT INTO feeds (url, name, kind, organisation_id, catalogue_key, enabled) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [url, name, kind, org_id, catalogue_key, int(enabled)],
            )
        else:
            db.execute(
                "UPDATE feeds SET name = coalesce(?, name), kind = ?, "
                "organisation_id = coalesce(?, organisation_id), "
                "catalogue_key = coalesce(?, catalogue_key), enabled = ? WHERE id = ?",
                [name, kind, org_id, catalogue_key, int(enabled), existing.id],
            )
    feed = find_feed(db, url)
    assert feed is not None
    return feed


def _require(db: Database, url_or_id: str | int) -> Feed:
    feed = find_feed(db, url_or_id)
    if feed is None:
        raise CitraError("No feed '{feed}'. See them with: citra feeds list", feed=url_or_id)
    return feed


@requires(EDITOR, action="feed removed", target="url_or_id")
def remove_feed(db: Database, url_or_id: str | int) -> Feed:
    """Remove a feed by URL or id; its mentions stay. Raises :class:`CitraError` if unknown."""
    feed = _require(db, url_or_id)
    with db.atomic():
        db.execute("DELETE FROM feeds WHERE id = ?", [feed.id])
    return feed


@requires(EDITOR, action="feed enabled", target="url_or_id")
def set_feed_enabled(db: Database, url_or_id: str | int, enabled: bool) -> Feed:
    """Enable or disable a feed. Enabling also clears its back-off, so the next run fetches it."""
    feed = _require(db, url_or_id)
    with db.atomic():
        if enabled:
            db.execute("UPDATE feeds SET enabled = 1, next_fetch_at = NULL WHERE id = ?", [feed.id])
        else:
            db.execute("UPDATE feeds SET enabled = 0 WHERE id = ?", [feed.id])
    updated = find_feed(db, feed.id)
    assert updated is not None
    return updated


def backoff_delay(consecutive_failures: int) -> timedelta:
    """How long to wait before retrying a feed after this many failures in a row (0: none)."""
    if consecutive_failures <= 0:
        return timedelta(0)
    return min(BACKOFF_BASE * 2 ** (consecutive_failures - 1), BACKOFF_MAX)


@requires(EDITOR)
def record_fetch(
    db: Database,
    feed_id: int,
    *,
    status: int | None,
    ok: bool,
    errors: Sequence[CitraError],
    etag: str | None,
    last_modified: str | None,
    added: int,
    not_modified: bool,
    now: datetime,
) -> None:
    """Store the outcome of fetching a feed at ``now``: health, back-off and conditional-GET
    state. A success (304 included) marks the feed verified and resets the failure streak; a
    failure keeps the old validators and schedules the next try by :func:`backoff_delay`, and
    stores ``errors`` (template, values: shown in the reader's language, see
    :attr:`citra.queries.news.Feed.last_errors`). The caller owns the transaction."""
    stamp = _timestamp(now)
    if ok:
        db.execute(
            "UPDATE feeds SET last_fetched_at = ?, last_success_at = ?, last_status = ?, "
            "last_error = NULL, consecutive_failures = 0, next_fetch_at = NULL, verified = 1, "
            "etag = CASE WHEN ? THEN etag ELSE ? END, "
            "last_modified = CASE WHEN ? THEN last_modified ELSE ? END, last_added = ? "
            "WHERE id = ?",
            [stamp, stamp, status, int(not_modified), etag, int(not_modified), last_modified,
             added, feed_id],
        )  # fmt: skip
        return
    failures = (
        db.execute("SELECT consecutive_failures FROM feeds WHERE id = ?", [feed_id]).fetchone()[0]
        + 1
    )
    db.execute(
        "UPDATE feeds SET last_fetched_at = ?, last_status = ?, last_error = ?, "
        "consecutive_failures = ?, next_fetch_at = ?, last_added = 0 WHERE id = ?",
        [
            stamp,
            status,
            json.dumps([e.as_dict() for e in errors], ensure_ascii=False) if errors else None,
            failures,
            _timestamp(now + backoff_delay(failures)),
            feed_id,
        ],
    )


@requires(EDITOR)
def remember_guids(db: Database, feed_id: int, pairs: Iterable[tuple[str, str]]) -> None:
    """Record ``(guid, mention_id)`` pairs collected from a feed (existing pairs are kept).
    The caller owns the transaction."""
    db.conn.executemany(
        "INSERT INTO news_guids (feed_id, guid, mention_id) VALUES (?, ?, ?) "
        "ON CONFLICT(feed_id, guid) DO NOTHING",
        [(feed_id, guid, mention) for guid, mention in pairs],
    )


def title_words(title: str | None) -> frozenset[str]:
    """The distinctive words of a headline: normalised, without stopwords and one-letter words."""
    return frozenset(w for w in normalize(title).split() if len(w) > 1 and w not in _STOPWORDS)


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= STORY_SIMILARITY


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@requires(EDITOR)
def assign_stories(db: Database, import_id: int) -> int:
    """Give the news mentions of an import without a ``story_id`` one, returns how many.

    A mention joins the story of an earlier news mention whose headline is similar (Jaccard
    >= :data:`STORY_SIMILARITY` on title words) and published within :data:`STORY_WINDOW`;
    otherwise it starts its own story (``story_id`` = its own id). Headlines with fewer than
    :data:`STORY_MIN_WORDS` words always start their own. The caller owns the transaction.
    """
    new = list(
        db.execute(
            "SELECT id, title, published_at FROM mentions WHERE import_id = ? "
            "AND platform = 'news' AND story_id IS NULL ORDER BY published_at, seq",
            [import_id],
        )
    )
    if not new:
        return 0
    dates = [_parse(row[2]) for row in new if row[2]]
    earliest = _timestamp(min(dates) - STORY_WINDOW) if dates else None
    latest = _timestamp(max(dates) + STORY_WINDOW) if dates else None
    # Candidate stories: (story_id, words, published) indexed by each word. Very common words
    # (in more than `crowded` headlines) are not used to find candidates, only to score them.
    stories: list[tuple[str, frozenset[str], datetime | None]] = []
    by_word: dict[str, list[int]] = defaultdict(list)

    def index(story_id: str, words: frozenset[str], published: datetime | None) -> None:
        position = len(stories)
        stories.append((story_id, words, published))
        for word in words:
            by_word[word].append(position)

    if earliest is not None:
        for story_id, title, published in db.execute(
            "SELECT story_id, title, published_at FROM mentions WHERE platform = 'news' "
            "AND story_id IS NOT NULL AND published_at BETWEEN ? AND ?",
            [earliest, latest],
        ):
            words = title_words(title)
            if len(words) >= STORY_MIN_WORDS:
                index(story_id, words, _parse(published))
    crowded = 200
    updates: list[tuple[str, str]] = []
    for mention, title, published_text in new:
        words = title_words(title)
        published = _parse(published_text)
        story_id = mention
        if len(words) >= STORY_MIN_WORDS:
            hits: Counter[int] = Counter()
            for word in words:
                positions = by_word.get(word, ())
                if len(positions) <= crowded:
                    hits.update(positions)
            needed = STORY_SIMILARITY * len(words) / 2
            for position, count in hits.most_common(20):
                if count < needed:
                    break
                candidate, candidate_words, candidate_published = stories[position]
                close = (
                    published is None
                    or candidate_published is None
                    or abs(published - candidate_published) <= STORY_WINDOW
                )
                if close and _similar(words, candidate_words):
                    story_id = candidate
                    break
            index(story_id, words, published)
        updates.append((story_id, mention))
    db.conn.executemany("UPDATE mentions SET story_id = ? WHERE id = ?", updates)
    return len(updates)
