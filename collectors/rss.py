"""News feeds in: RSS, Atom and JSON Feed, Google News and Google Alerts searches.

:func:`fetch` does one feed and never raises for anything a server or a feed can do;
:func:`collect` fetches every due feed concurrently and writes the relevant, new entries as
mentions in one import run. HTTP is done here (``collectors.http``) and only the bytes are handed
to ``feedparser.parse`` (feedparser 6 no longer manages HTTP well: no size cap, no total time).
"""

from __future__ import annotations

import calendar
import json
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import feedparser
import httpx
from sqlite_utils import Database

from citra.errors import CitraError, DatabaseBusy
from citra.matching import OrganisationMatcher
from citra.profile import Organisation
from citra.queries.news import Feed, due_feeds, find_feed, known_guids
from citra.queries.organisations import list_organisations
from citra.store import database_file
from citra.store.imports import import_run
from citra.store.mentions import mention_id
from citra.store.narratives import store_headlines
from citra.store.news import assign_stories, record_fetch, remember_guids
from citra.urls import canonical_url, host_of, unwrap_google_redirect
from collectors.dates import EARLIEST_PLAUSIBLE, parse_feed_date, to_utc_iso
from collectors.http import (
    DEFAULT_BUDGET_SECONDS,
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT_SECONDS,
    fetch_bytes,
    make_client,
)
from collectors.jsonfeed import NotAJsonFeed, looks_like_json, parse_json_feed
from collectors.normalise import detect_languages, html_to_text, split_source_title
from collectors.xml_entities import entity_problem

DEFAULT_WORKERS = 8
MAX_TEXT_CHARS = 5000
GOOGLE_NEWS_SEARCH = "https://news.google.com/rss/search"


# --- what one feed gives ------------------------------------------------------------------------


@dataclass
class NewsEntry:
    """One normalised feed entry. Times are ISO 8601 UTC with a trailing ``Z``."""

    url: str
    link: str
    guid: str | None
    title: str
    text: str
    source: str | None
    author: str | None
    published_at: str
    date_problem: str | None = None
    lang: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FeedResult:
    """What :func:`fetch` learnt about one feed.

    ``errors`` mean the feed gave nothing usable this time; ``warnings`` mean entries were read
    but something was off (a malformed feed, entries without a date or link, duplicate guids).
    Both are :class:`CitraError` messages (not raised), shown in the reader's language.
    ``etag`` / ``last_modified`` are the conditional-GET state to store for the next fetch.
    """

    url: str
    status: int | None = None
    entries: list[NewsEntry] = field(default_factory=list)
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    errors: list[CitraError] = field(default_factory=list)
    warnings: list[CitraError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """JSON values; ``errors`` and ``warnings`` as English sentences."""
        data = asdict(self)
        data["entries"] = [e.as_dict() for e in self.entries]
        data["errors"] = [str(e) for e in self.errors]
        data["warnings"] = [str(w) for w in self.warnings]
        return data


def google_news_search_url(query: str, *, hl: str = "id", gl: str = "ID") -> str:
    """The Google News RSS search feed for ``query`` (Indonesian edition by default)."""
    query = " ".join(query.split())
    if not query:
        raise CitraError('The search needs some words, e.g. "KSP Sejahtera".')
    return (
        f"{GOOGLE_NEWS_SEARCH}?{urlencode({'q': query, 'hl': hl, 'gl': gl, 'ceid': f'{gl}:{hl}'})}"
    )


def is_search_feed(url: str) -> bool:
    """Whether ``url`` is a Google News search or a Google Alerts feed (every entry is kept)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host == "news.google.com" and parts.path.startswith("/rss/search"):
        return True
    return host.endswith("google.com") and parts.path.startswith("/alerts/feeds/")


def _plain_reason(exc: object) -> str:
    text = str(exc) if exc else ""
    return text.strip().rstrip(".") or type(exc).__name__


def _raw_entries(
    body: bytes, content_type: str | None, url: str
) -> tuple[str | None, list[dict[str, Any]], list[CitraError], list[CitraError]]:
    """Decode bytes into ``(feed title, raw entry dicts, errors, warnings)``."""
    if looks_like_json(body, content_type):
        try:
            title, items = parse_json_feed(body, url)
        except NotAJsonFeed as exc:
            return None, [], [CitraError("not a readable feed: {reason}", reason=exc)], []
        return title, items, [], []
    # Entities that would expand to gigabytes are refused before any parser expands them.
    problem = entity_problem(body)
    if problem is not None:
        return None, [], [problem], []
    # No content-location: feedparser would turn a bare guid ("g1") into a URL on the feed's host.
    headers: dict[str, str] = {}
    if content_type:
        headers["content-type"] = content_type
    # Citra keeps plain text only (html_to_text drops tags, scripts and styles), so feedparser's
    # HTML sanitiser and relative-URI rewriting would be work thrown away: they are switched off.
    parsed = feedparser.parse(
        body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    errors: list[CitraError] = []
    warnings: list[CitraError] = []
    if parsed.get("bozo"):
        reason = _plain_reason(parsed.get("bozo_exception"))
        if not parsed.entries:
            head = body[:2048].lower()
            if b"<html" in head or b"<!doctype html" in head:
                errors.append(CitraError("the address returned a web page, not a feed"))
            else:
                errors.append(CitraError("not a readable feed ({detail})", detail=reason))
        else:
            warnings.append(
                CitraError(
                    "the feed has errors ({detail}); {count} entries read",
                    detail=reason,
                    count=len(parsed.entries),
                )
            )
    elif not parsed.entries and not parsed.get("version"):
        errors.append(CitraError("the address returned something that is not a feed"))
    base = _absolute(parsed.feed.get("link")) or url
    items: list[dict[str, Any]] = []
    for entry in parsed.entries:
        source = entry.get("source") or {}
        # dict.get, not entry.get: FeedParserDict maps a missing 'updated' onto 'published' with
        # a DeprecationWarning; the stored keys are what the feed actually said.
        parsed_time = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
        items.append(
            {
                "id": entry.get("id"),
                "link": _entry_link(entry, base),
                "title": entry.get("title"),
                "summary": entry.get("summary"),
                "published": dict.get(entry, "published") or dict.get(entry, "updated"),
                "published_parsed": parsed_time,
                "author": entry.get("author"),
                "source_title": source.get("title") if isinstance(source, dict) else None,
            }
        )
    return parsed.feed.get("title"), items, errors, warnings


def _absolute(link: object) -> str | None:
    """``link`` when it is an absolute http(s) address, else ``None``."""
    if isinstance(link, str) and urlsplit(link.strip()).scheme in ("http", "https"):
        return link.strip()
    return None


def _entry_link(entry: dict[str, Any], base: str) -> str | None:
    """The address of a feed entry: its link, else an ``alternate`` link of any type, else a
    permalink guid, else an enclosure (a podcast's file), else any other link; a relative one is
    resolved against the feed's own link (``base``). A guid is an address only when absolute
    (a bare ``g1`` is an id, not a page on the feed's host). ``None`` when it has none."""
    links = [link for link in entry.get("links") or [] if isinstance(link, dict)]
    guid = entry.get("id")
    candidates = [
        dict.get(entry, "link"),
        *(link.get("href") for link in links if link.get("rel", "alternate") == "alternate"),
        *(e.get("href") for e in entry.get("enclosures") or [] if isinstance(e, dict)),
        *(link.get("href") for link in links),
    ]
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        candidate = candidate.strip()
        scheme = urlsplit(candidate).scheme
        if scheme in ("http", "https"):
            return candidate
        if not scheme and candidate != guid and not candidate.startswith("#"):
            return urljoin(base, candidate)
    return None


def _entry_time(item: dict[str, Any], now: datetime) -> tuple[str | None, str | None]:
    published, problem = parse_feed_date(item.get("published"), now)
    if published is None and item.get("published_parsed") and problem != "invalid":
        try:
            candidate = datetime.fromtimestamp(calendar.timegm(item["published_parsed"]), UTC)
        except (OverflowError, ValueError, TypeError):
            candidate = None
        if candidate and EARLIEST_PLAUSIBLE <= candidate <= now:
            return to_utc_iso(candidate), None
    return published, problem


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    fetched_at: datetime | None = None,
    detect_language: bool = True,
) -> FeedResult:
    """Normalise the bytes of a feed (RSS, Atom, RDF or JSON Feed) into :class:`NewsEntry` items.

    An entry's address is its link, else an alternate link, permalink guid or enclosure
    (relative ones resolved against the feed's link); entries with none are skipped with a
    warning; a feed whose XML entities would expand past
    :data:`collectors.xml_entities.MAX_EXPANSION` characters is refused unread; duplicate guids or
    URLs inside the feed keep the first; an entry without a readable date gets ``fetched_at``
    (default: now, UTC) and is flagged in ``date_problem``. ``detect_language=False`` leaves
    ``lang`` unset (:func:`collect` detects it only for the entries it keeps). Never raises for
    feed content.
    """
    now = fetched_at or datetime.now(UTC)
    result = FeedResult(url=url)
    try:
        title, items, errors, warnings = _raw_entries(body, content_type, url)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop a collection run
        result.errors.append(
            CitraError(
                "the feed could not be parsed ({detail})", detail=f"{type(exc).__name__}: {exc}"
            )
        )
        return result
    result.title, result.errors, result.warnings = title, errors, warnings
    google_news = host_of(url) == "news.google.com"
    seen_guids: set[str] = set()
    seen_urls: set[str] = set()
    no_link = duplicates = undated = 0
    entries: list[NewsEntry] = []
    for item in items:
        guid = str(item["id"]).strip() if item.get("id") else None
        raw_link = item.get("link") or (guid if guid and guid.startswith("http") else None)
        if raw_link and raw_link.startswith("/"):
            raw_link = urljoin(url, raw_link)
        canonical = canonical_url(raw_link)
        if canonical is None or raw_link is None:
            no_link += 1
            continue
        if (guid and guid in seen_guids) or canonical in seen_urls:
            duplicates += 1
            continue
        if guid:
            seen_guids.add(guid)
        seen_urls.add(canonical)
        headline = html_to_text(item.get("title"))
        source = item.get("source_title")
        if google_news or source:
            headline, source = split_source_title(headline, source)
        text = html_to_text(item.get("summary"))
        if headline and text.startswith(headline) and len(text) <= len(headline) + 80:
            # A summary that only repeats the headline (Google News adds the source) says nothing.
            text = ""
        published, problem = _entry_time(item, now)
        if published is None:
            undated += 1
            published = to_utc_iso(now)
        entries.append(
            NewsEntry(
                url=canonical,
                link=unwrap_google_redirect(raw_link),
                guid=guid,
                title=headline,
                text=text[:MAX_TEXT_CHARS],
                source=source or result.title or host_of(canonical),
                author=html_to_text(item.get("author")) or None,
                published_at=published,
                date_problem=problem,
            )
        )
    if detect_language:
        set_languages(entries)
    if no_link:
        result.warnings.append(
            CitraError("{count} entries without a link were skipped", count=no_link)
        )
    if duplicates:
        result.warnings.append(
            CitraError("{count} duplicate entries in the feed were ignored", count=duplicates)
        )
    if undated:
        result.warnings.append(
            CitraError(
                "{count} entries had no readable date; the time of collection was used",
                count=undated,
            )
        )
    result.entries = entries
    return result


def set_languages(entries: Sequence[NewsEntry]) -> None:
    """Fill ``lang`` of each entry from its title and text, in one batch."""
    texts = [f"{e.title}. {e.text[:300]}" for e in entries]
    for lang, entry in zip(detect_languages(texts), entries, strict=True):
        entry.lang = lang


def fetch(
    url: str,
    state: dict[str, str | None] | None = None,
    *,
    client: httpx.Client | None = None,
    budget: float = DEFAULT_BUDGET_SECONDS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    detect_language: bool = True,
) -> FeedResult:
    """Fetch and normalise one feed.

    ``state`` is the stored conditional-GET state (``{"etag": ..., "last_modified": ...}``);
    a 304 answer gives ``not_modified`` and no entries. ``budget`` (seconds) bounds the whole
    fetch, ``timeout`` (seconds) each read; ``max_bytes`` caps the decompressed body. Errors and
    warnings come back as :class:`CitraError` messages; nothing a server or feed does makes this
    raise.
    """
    state = state or {}
    answer = fetch_bytes(
        url,
        etag=state.get("etag"),
        last_modified=state.get("last_modified"),
        client=client,
        budget=budget,
        max_bytes=max_bytes,
        timeout=timeout,
    )
    if answer.error:
        return FeedResult(
            url=url, status=answer.status, errors=[answer.error], seconds=answer.seconds
        )
    if answer.not_modified:
        return FeedResult(
            url=url,
            status=304,
            not_modified=True,
            etag=answer.etag or state.get("etag"),
            last_modified=answer.last_modified or state.get("last_modified"),
            seconds=answer.seconds,
        )
    if not answer.body.strip():
        return FeedResult(
            url=url, status=answer.status, errors=[CitraError("the server sent an empty page")]
        )
    result = parse_feed(
        answer.body,
        url=answer.final_url or url,
        content_type=answer.content_type,
        detect_language=detect_language,
    )
    result.url = url
    result.status = answer.status
    result.seconds = answer.seconds
    if result.ok:
        # Keep the validators only when the body was usable, so a broken answer is re-fetched.
        result.etag, result.last_modified = answer.etag, answer.last_modified
    return result


# --- relevance and records ----------------------------------------------------------------------


def relevant_entries(
    result: FeedResult,
    feed_kind: str,
    matcher: OrganisationMatcher,
    feed_organisation: Organisation | None = None,
) -> list[tuple[NewsEntry, Organisation | None]]:
    """The entries to keep, each with the organisation it is attributed to.

    A ``search`` feed keeps every entry for ``feed_organisation`` (else whichever organisation
    the text mentions, else none); an ``outlet`` feed keeps only entries whose title or summary
    mention the coop or a peer. Empty result: an empty list.
    """
    kept: list[tuple[NewsEntry, Organisation | None]] = []
    for entry in result.entries:
        if feed_kind == "search":
            kept.append((entry, feed_organisation or matcher.best(entry.title, entry.text)))
            continue
        org = matcher.best(entry.title, entry.text)
        if org is not None:
            kept.append((entry, org))
    return kept


def mention_record(
    entry: NewsEntry, organisation: Organisation | None, feed_url: str
) -> dict[str, Any]:
    """The ``mentions`` row for a kept entry; its id hashes platform ``news`` and the canonical
    URL, so the same article from two feeds is one mention."""
    raw: dict[str, Any] = {"feed": feed_url, "guid": entry.guid, "link": entry.link}
    if entry.date_problem:
        raw["date_problem"] = entry.date_problem
    return {
        "id": mention_id("news", url=entry.url),
        "organisation_id": organisation.id if organisation else None,
        "platform": "news",
        "source": entry.source,
        "url": entry.url,
        "title": entry.title,
        "text": entry.text,
        "author": entry.author,
        "published_at": entry.published_at,
        "lang": entry.lang,
        "raw": raw,
        "is_own": 0,
    }


# --- a collection run ---------------------------------------------------------------------------


@dataclass
class FeedOutcome:
    """One feed's line in a collection summary."""

    url: str
    name: str | None
    status: int | None
    state: str  # 'fetched', 'not_modified' or 'failed'
    entries: int = 0
    kept: int = 0
    added: int = 0
    duplicates: int = 0
    errors: list[CitraError] = field(default_factory=list)
    warnings: list[CitraError] = field(default_factory=list)


@dataclass
class CollectSummary:
    """Totals of a collection run (see :func:`collect`)."""

    import_id: int | None = None
    feeds: int = 0
    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    added: int = 0
    duplicates: int = 0
    per_feed: list[FeedOutcome] = field(default_factory=list)
    # Earlier collections that had found the database busy, stored by this run first.
    recovered: list[CollectSummary] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON values; each feed's ``errors`` and ``warnings`` as English sentences."""
        data = asdict(self)
        for outcome, shown in zip(self.per_feed, data["per_feed"], strict=True):
            shown["errors"] = [str(e) for e in outcome.errors]
            shown["warnings"] = [str(w) for w in outcome.warnings]
        return data


ProgressCallback = Callable[[int, int, str], None]


def _fetch_all(
    feeds: Sequence[Feed],
    *,
    workers: int,
    budget: float,
    max_bytes: int,
    timeout: float,
    progress: ProgressCallback | None,
) -> dict[int, FeedResult]:
    results: dict[int, FeedResult] = {}
    if not feeds:
        return results
    with (
        make_client(timeout, max_connections=max(workers, 1)) as client,
        ThreadPoolExecutor(max_workers=max(workers, 1), thread_name_prefix="citra-feed") as pool,
    ):
        futures = {
            pool.submit(
                fetch,
                feed.url,
                {"etag": feed.etag, "last_modified": feed.last_modified},
                client=client,
                budget=budget,
                max_bytes=max_bytes,
                timeout=timeout,
                detect_language=False,
            ): feed
            for feed in feeds
        }
        for done, future in enumerate(as_completed(futures), start=1):
            feed = futures[future]
            try:
                results[feed.id] = future.result()
            except Exception as exc:  # noqa: BLE001 - one feed's bug never stops the run
                results[feed.id] = FeedResult(
                    url=feed.url,
                    errors=[
                        CitraError(
                            "unexpected failure ({detail})", detail=f"{type(exc).__name__}: {exc}"
                        )
                    ],
                )
            if progress is not None:
                progress(done, len(feeds), feed.url)
    return results


def _store_results(
    db: Database,
    feeds: Sequence[Feed],
    results: dict[int, FeedResult],
    now: datetime,
    summary: CollectSummary,
) -> None:
    """Write fetched ``results`` as one import run (kind ``collect``) with each feed's health
    and conditional-GET state, filling ``summary``. One transaction: all or nothing."""
    organisations = list_organisations(db)
    by_id = {org.id: org for org in organisations}
    coop = next((org for org in organisations if org.kind == "self"), None)
    matcher = OrganisationMatcher(organisations)
    with import_run(db, kind="collect", format="feed") as run:
        summary.import_id = run.id
        for feed in feeds:
            result = results[feed.id]
            outcome = FeedOutcome(
                url=feed.url,
                name=feed.name,
                status=result.status,
                state="not_modified"
                if result.not_modified
                else ("fetched" if result.ok else "failed"),
                errors=list(result.errors),
                warnings=list(result.warnings),
                entries=len(result.entries),
            )
            for message in [*result.errors, *result.warnings]:
                run.note(message.in_file(feed.url))
            if result.ok and not result.not_modified:
                owner = by_id.get(feed.organisation_id) if feed.organisation_id else coop
                kept = relevant_entries(result, feed.kind, matcher, owner)
                if feed.kind == "outlet":
                    # The entries naming no organisation are no mentions; their headlines are
                    # kept (title and link) for the viral-topic watch.
                    named = {entry.url for entry, _ in kept}
                    store_headlines(
                        db, feed.id, [e for e in result.entries if e.url not in named], now=now
                    )
                set_languages([entry for entry, _ in kept])
                seen = known_guids(db, feed.id, [e.guid for e, _ in kept if e.guid])
                fresh = [(e, org) for e, org in kept if not (e.guid and e.guid in seen)]
                outcome.kept = len(kept)
                added, duplicates = run.add(mention_record(e, org, feed.url) for e, org in fresh)
                outcome.added = added
                outcome.duplicates = duplicates + len(kept) - len(fresh)
                run.duplicates += len(kept) - len(fresh)
                remember_guids(
                    db,
                    feed.id,
                    [(e.guid, mention_id("news", url=e.url)) for e, _ in fresh if e.guid],
                )
            record_fetch(
                db,
                feed.id,
                status=result.status,
                ok=result.ok,
                errors=result.errors,
                etag=result.etag,
                last_modified=result.last_modified,
                added=outcome.added,
                not_modified=result.not_modified,
                now=now,
            )
            summary.per_feed.append(outcome)
            summary.added += outcome.added
            summary.duplicates += outcome.duplicates
            if outcome.state == "failed":
                summary.failed += 1
            elif outcome.state == "not_modified":
                summary.not_modified += 1
            else:
                summary.fetched += 1
        assign_stories(db, run.id)


# --- fetched, but the database was busy: kept on disk until the next collect ------------------

PENDING_SUFFIX = ".pending"
KEPT_WHEN_BUSY = (
    "The database is busy: another Citra process has been writing to it for more than {limit} "
    "s. The {entries} entries fetched from {feeds} feeds were kept in {path}; the next collect "
    "stores them, with the feeds' health."
)


def pending_folder(db: Database) -> Path | None:
    """Where collections that found the database busy are kept (``<db>.pending/``, beside the
    database file); ``None`` for an in-memory database."""
    live = database_file(db)
    return live.with_name(live.name + PENDING_SUFFIX) if live is not None else None


def _entry_from(data: dict[str, Any]) -> NewsEntry:
    return NewsEntry(**{f.name: data.get(f.name) for f in fields(NewsEntry)})


def _error_from(value: Any) -> CitraError:
    return CitraError.from_dict(value) if isinstance(value, dict) else CitraError(str(value))


def _kept(result: FeedResult) -> dict[str, Any]:
    """A fetched result as JSON values, its errors and warnings with template and values."""
    data = result.as_dict()
    data["errors"] = [e.as_dict() for e in result.errors]
    data["warnings"] = [w.as_dict() for w in result.warnings]
    return data


def _result_from(data: dict[str, Any]) -> FeedResult:
    values = {f.name: data.get(f.name) for f in fields(FeedResult) if f.name != "entries"}
    values["errors"] = [_error_from(e) for e in values["errors"] or []]
    values["warnings"] = [_error_from(w) for w in values["warnings"] or []]
    return FeedResult(**values, entries=[_entry_from(e) for e in data.get("entries") or []])


def keep_pending(
    db: Database, feeds: Sequence[Feed], results: dict[int, FeedResult], now: datetime
) -> Path | None:
    """Write fetched ``results`` to a file in :func:`pending_folder` (atomically); returns it.
    ``None`` when there is no folder (an in-memory database)."""
    folder = pending_folder(db)
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"collect-{stamp}-{os.getpid()}.json"
    data = {
        "fetched_at": to_utc_iso(now),
        "feeds": [
            {"id": feed.id, "url": feed.url, "result": _kept(results[feed.id])} for feed in feeds
        ],
    }
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)
    return path


def store_pending(db: Database) -> list[CollectSummary]:
    """Store the collections kept by :func:`keep_pending`, oldest first, each as its own run
    dated when it was fetched; each file is removed once stored. A feed removed since is left
    out. Raises :class:`DatabaseBusy` if the database is still busy (the files stay)."""
    folder = pending_folder(db)
    if folder is None or not folder.is_dir():
        return []
    stored = []
    for path in sorted(folder.glob("collect-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        fetched_at = datetime.fromisoformat(data["fetched_at"].replace("Z", "+00:00"))
        feeds: list[Feed] = []
        results: dict[int, FeedResult] = {}
        for item in data["feeds"]:
            feed = find_feed(db, item["id"])
            if feed is not None and feed.url == item["url"]:
                feeds.append(feed)
                results[feed.id] = _result_from(item["result"])
        summary = CollectSummary(feeds=len(feeds))
        if feeds:
            _store_results(db, feeds, results, fetched_at, summary)
        path.unlink()
        stored.append(summary)
    return stored


def collect(
    db: Database,
    urls: Iterable[str] | None = None,
    *,
    workers: int = DEFAULT_WORKERS,
    budget: float = DEFAULT_BUDGET_SECONDS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> CollectSummary:
    """Fetch feeds and store their relevant, new entries as mentions in one import run.

    ``urls`` picks stored feeds by URL (fetched even if disabled or backing off); ``None`` takes
    every enabled feed that is due (not backing off after failures). Feeds are fetched
    concurrently by ``workers`` threads, each within ``budget`` seconds; the database is written
    afterwards in one transaction (one ``imports`` row, kind ``collect``), together with each
    feed's health and conditional-GET state. A failing feed is recorded and skipped; nothing a
    feed does makes this raise. ``progress(done, total, url)`` is called as feeds finish.
    Running it twice on unchanged feeds adds nothing. No feeds: an empty summary, no import row.
    Raises :class:`CitraError` for a URL in ``urls`` that is not a stored feed.

    Nothing fetched is lost to a busy database: when the write still finds it busy after the
    wait (:func:`citra.store.begin_immediate`), the fetched results are kept in
    :func:`pending_folder` and :class:`DatabaseBusy` says where; the next collect stores them
    first (``summary.recovered``), feed health included.
    """
    now = now or datetime.now(UTC)
    recovered = store_pending(db)
    if urls is not None:
        feeds: list[Feed] = []
        for url in urls:
            feed = find_feed(db, url)
            if feed is None:
                raise CitraError(
                    "{url} is not one of the feeds. Add it first: citra feeds add URL", url=url
                )
            feeds.append(feed)
    else:
        feeds = due_feeds(db, to_utc_iso(now))
    summary = CollectSummary(feeds=len(feeds), recovered=recovered)
    if feeds:
        results = _fetch_all(
            feeds,
            workers=workers,
            budget=budget,
            max_bytes=max_bytes,
            timeout=timeout,
            progress=progress,
        )
        try:
            _store_results(db, feeds, results, now, summary)
        except DatabaseBusy as exc:
            kept = keep_pending(db, feeds, results, now)
            if kept is None:
                raise
            raise DatabaseBusy(
                KEPT_WHEN_BUSY,
                limit=exc.values.get("limit", ""),
                entries=f"{sum(len(r.entries) for r in results.values()):,}",
                feeds=f"{len(feeds):,}",
                path=str(kept),
            ) from exc
    return summary


def preview_feed(
    db: Database,
    url: str,
    *,
    search: bool | None = None,
    budget: float = DEFAULT_BUDGET_SECONDS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> tuple[FeedResult, list[tuple[NewsEntry, Organisation | None]]]:
    """Fetch ``url`` and say what a collection would keep, storing nothing.

    ``search`` of ``None`` uses the stored feed's kind, else guesses from the URL. Returns the
    feed result and the kept entries with their organisation.
    """
    stored = find_feed(db, url)
    kind = (
        ("search" if search else "outlet")
        if search is not None
        else (stored.kind if stored else ("search" if is_search_feed(url) else "outlet"))
    )
    result = fetch(url, budget=budget, max_bytes=max_bytes, timeout=timeout)
    organisations = list_organisations(db)
    owner = None
    if stored and stored.organisation_id:
        owner = next((o for o in organisations if o.id == stored.organisation_id), None)
    owner = owner or next((o for o in organisations if o.kind == "self"), None)
    return result, relevant_entries(result, kind, OrganisationMatcher(organisations), owner)
