"""The viral-topic watch: what the news talks about this week that it did not before, and which
of it touches the coop's sector or narratives.

Input: every headline of the enabled outlet feeds of the last :data:`BASELINE_WEEKS` + 1 weeks,
those naming no monitored organisation (kept for this purpose, ``feed_headlines``) and the news
mentions. Syndicated copies count once: the same canonical link, or a near-identical headline
(Jaccard similarity of the headline's distinctive words at least
``citra.store.news.STORY_SIMILARITY``, as the story grouping of news mentions).

A topic is a word, hashtag or two-word phrase (``citra.topics.terms``). It is **rising** when,
this week against the baseline weeks, (1) its weighted log-odds z-score
(``citra.topics.log_odds``) is at least :data:`MIN_Z`, (2) it is in at least :data:`MIN_NOW`
headlines this week, and (3) that is at least :data:`MIN_RATIO` times its weekly average in the
baseline (a term never seen before counts as one half a week). Terms found in exactly the same
headlines are one topic, named by the run of words they cover; a phrase absorbs its words when
they rise no further than it does. A rising topic is **suggested** when its words (by root)
touch the coop's sector (:data:`SECTOR_WORDS`) or a narrative's keywords and examples, or when
at least half of its headlines use a sector word or carry a narrative. Headlines of feeds from the catalogue's
``regional`` group make the regional list; all others the national one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from citra.narratives import Narrative, NarrativeMatcher, tokens
from citra.queries.narratives import headlines, list_narratives
from citra.queries.organisations import list_organisations
from citra.reports.cells import safe_url
from citra.search_terms import root
from citra.store.news import STORY_MIN_WORDS, STORY_SIMILARITY, title_words
from citra.topics import GENERIC_WORDS, log_odds, organisation_stop_words, terms

BASELINE_WEEKS = 8
MIN_Z = 1.0
MIN_NOW = 3
MIN_RATIO = 2.0
TOP = 10
EXAMPLES = 3
SECTOR_WORDS = frozenset({
    "koperasi", "kopdes", "umkm", "usaha", "simpan", "pinjam", "pinjaman", "kredit", "bunga",
    "tabungan", "simpanan", "keuangan", "ekonomi", "petani", "nelayan", "pedagang", "desa",
    "pinjol", "rentenir", "ojk", "investasi", "modal", "anggota", "shu", "bansos", "subsidi",
    "pangan", "pupuk", "harga", "sembako", "digital", "literasi", "syariah", "bmt",
})  # fmt: skip


@dataclass(frozen=True)
class Headline:
    """One distinct headline (syndicated copies folded in ``copies``)."""

    url: str
    title: str
    source: str | None
    published_at: str
    regional: bool
    copies: int = 1


@dataclass(frozen=True)
class Topic:
    """A rising topic: ``now`` distinct headlines this week, ``before`` in the baseline weeks,
    ``ratio`` this week against the baseline's weekly average, ``z`` its log-odds z-score;
    ``suggested`` with ``why`` (``sector`` and/or narrative names); ``examples`` are
    ``(title, url, source)`` of up to :data:`EXAMPLES` headlines (http(s) links only)."""

    term: str
    now: int
    before: int
    ratio: float
    z: float
    suggested: bool
    why: tuple[str, ...]
    examples: tuple[tuple[str, str | None, str | None], ...]

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["why"] = list(self.why)
        data["examples"] = [{"title": t, "url": u, "source": s} for t, u, s in self.examples]
        return data


@dataclass(frozen=True)
class ViralWatch:
    """The week's rising topics, ``national`` and ``regional``; the distinct headlines this
    week (``headlines_now``) and in the baseline (``headlines_before``); ``since`` / ``until``
    (UTC ISO) the week watched."""

    national: list[Topic] = field(default_factory=list)
    regional: list[Topic] = field(default_factory=list)
    headlines_now: int = 0
    headlines_before: int = 0
    since: str = ""
    until: str = ""

    @property
    def suggested(self) -> list[Topic]:
        return [t for t in [*self.national, *self.regional] if t.suggested]

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "headlines_now": self.headlines_now,
            "headlines_before": self.headlines_before,
            "national": [t.as_dict() for t in self.national],
            "regional": [t.as_dict() for t in self.regional],
        }


def fold_copies(items: Iterable[Headline]) -> list[Headline]:
    """Syndicated copies counted once: the same link, or a near-identical headline (see the
    module), keeping the earliest copy. Order: as given, duplicates dropped."""
    kept: list[Headline] = []
    words_of: list[frozenset[str]] = []
    by_word: dict[str, list[int]] = defaultdict(list)
    copies: Counter[int] = Counter()
    seen_urls: dict[str, int] = {}
    for item in sorted(items, key=lambda h: (h.published_at, h.url)):
        if item.url in seen_urls:
            copies[seen_urls[item.url]] += 1
            continue
        words = title_words(item.title)
        match = None
        if len(words) >= STORY_MIN_WORDS:
            hits: Counter[int] = Counter(p for w in words for p in by_word.get(w, ()))
            for position, shared in hits.most_common(10):
                union = len(words | words_of[position])
                if union and shared / union >= STORY_SIMILARITY:
                    match = position
                    break
        if match is not None:
            copies[match] += 1
            seen_urls[item.url] = match
            continue
        position = len(kept)
        kept.append(item)
        words_of.append(words)
        seen_urls[item.url] = position
        for word in words:
            by_word[word].append(position)
    return [
        Headline(h.url, h.title, h.source, h.published_at, h.regional, 1 + copies[i])
        for i, h in enumerate(kept)
    ]


def rising_topics(
    now: Sequence[Headline],
    before: Sequence[Headline],
    *,
    baseline_weeks: int = BASELINE_WEEKS,
    extra_stop_words: Iterable[str] = (),
    top: int = TOP,
) -> list[tuple[str, int, int, float, float, list[Headline]]]:
    """``(term, now, before, ratio, z, headlines)`` of the topics rising from ``before`` (the
    baseline weeks) to ``now`` (this week), strongest first (see the module's rule)."""
    extra = tuple(extra_stop_words)
    found_in: dict[str, list[Headline]] = defaultdict(list)
    now_counts: Counter[str] = Counter()
    for item in now:
        for term in set(terms(item.title, extra)):
            now_counts[term] += 1
            found_in[term].append(item)
    before_counts = Counter(t for item in before for t in set(terms(item.title, extra)))
    scores = log_odds(now_counts, before_counts)
    rising = []
    for term, z in scores.items():
        count = now_counts.get(term, 0)
        if z < MIN_Z or count < MIN_NOW:
            continue
        weekly = before_counts.get(term, 0) / max(baseline_weeks, 1)
        ratio = count / max(weekly, 0.5)
        if ratio < MIN_RATIO:
            continue
        rising.append((term, count, before_counts.get(term, 0), ratio, z, found_in[term]))
    rising = _merge_same_headlines(rising, extra)
    rising.sort(key=lambda r: (-r[4], r[0]))
    phrases = [r for r in rising if " " in r[0]]
    kept = []
    for entry in rising:
        term = entry[0]
        if " " not in term and any(
            term in p[0].split() and p[1] >= 0.8 * entry[1] for p in phrases
        ):
            continue
        kept.append(entry)
    return kept[:top]


def _merge_same_headlines(
    rising: list[tuple[str, int, int, float, float, list[Headline]]], extra: tuple[str, ...]
) -> list[tuple[str, int, int, float, float, list[Headline]]]:
    """Terms found in exactly the same headlines are one topic, named by the longest run of
    words they cover in the first of those headlines ("koperasi desa", "desa merah" and
    "merah putih" become "koperasi desa merah putih")."""
    groups: dict[frozenset[str], list[tuple[str, int, int, float, float, list[Headline]]]] = (
        defaultdict(list)
    )
    for entry in rising:
        groups[frozenset(h.url for h in entry[5])].append(entry)
    merged = []
    for members in groups.values():
        best = max(members, key=lambda r: (r[4], r[0]))
        if len(members) == 1:
            merged.append(best)
            continue
        words = [w for w in terms(best[5][0].title, extra) if " " not in w]
        names = {m[0] for m in members}
        covered = [
            i
            for i in range(len(words))
            if words[i] in names
            or (i + 1 < len(words) and f"{words[i]} {words[i + 1]}" in names)
            or (i > 0 and f"{words[i - 1]} {words[i]}" in names)
        ]
        phrase = " ".join(words[min(covered) : max(covered) + 1]) if covered else best[0]
        merged.append((phrase, *best[1:]))
    return merged


def _roots(text: str) -> set[str]:
    return {r for _, r in tokens(text)}


def _suggest(
    term: str,
    items: Sequence[Headline],
    sector: set[str],
    narrative_roots: dict[str, set[str]],
    matcher: NarrativeMatcher | None,
    names: dict[int, str],
) -> tuple[str, ...]:
    roots = _roots(term) | {w for w in term.split()}
    why: list[str] = []
    in_sector = sum(1 for item in items if _roots(item.title) & sector)
    if roots & sector or (items and in_sector * 2 >= len(items)):
        why.append("sector")
    for name, wanted in narrative_roots.items():
        if roots & wanted:
            why.append(name)
    if matcher is not None and items:
        carried: Counter[int] = Counter()
        for item in items:
            for found in matcher.assign(item.title, None):
                carried[found.narrative_id] += 1
        for narrative_id, count in carried.items():
            if count * 2 >= len(items) and names[narrative_id] not in why:
                why.append(names[narrative_id])
    return tuple(why)


def _narrative_roots(narratives: Sequence[Narrative], skip: set[str]) -> dict[str, set[str]]:
    found = {}
    for n in narratives:
        words = set()
        for text in (*n.keywords, *n.examples):
            words |= {r for w, r in tokens(text) if w not in skip and r not in skip and len(r) > 3}
        found[n.name] = words
    return found


def watch(db: Database, *, now: datetime | None = None, top: int = TOP) -> ViralWatch:
    """The viral-topic watch for the week up to ``now`` (default: the current time)."""
    from citra.sources import load_catalogue
    from citra.topics import stop_words

    moment = (now or datetime.now(UTC)).astimezone(UTC)
    week_start = moment - timedelta(days=7)
    base_start = week_start - timedelta(weeks=BASELINE_WEEKS)
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    regional_keys = {entry.key for entry in load_catalogue() if entry.group == "regional"}
    rows = headlines(db, base_start.strftime(stamp), moment.strftime(stamp))
    items = fold_copies(
        Headline(
            url=row["url"],
            title=row["title"],
            source=row["source"],
            published_at=row["published_at"],
            regional=row["catalogue_key"] in regional_keys,
        )
        for row in rows
        if row["url"] and row["title"]
    )
    since = week_start.strftime(stamp)
    this_week = [h for h in items if h.published_at >= since]
    baseline = [h for h in items if h.published_at < since]
    organisations = list_organisations(db)
    extra = organisation_stop_words(organisations) - GENERIC_WORDS
    narratives = list_narratives(db)
    matcher = NarrativeMatcher(narratives, organisation_stop_words(organisations))
    names = {n.id: n.name for n in narratives}
    skip = set(stop_words()) | set(extra)
    sector = {root(w) for w in SECTOR_WORDS} | set(SECTOR_WORDS)
    wanted = _narrative_roots(narratives, skip)

    def topics(now_items: list[Headline], before_items: list[Headline]) -> list[Topic]:
        found = []
        for term, count, before, ratio, z, found_items in rising_topics(
            now_items, before_items, extra_stop_words=extra, top=top
        ):
            why = _suggest(
                term, found_items, sector, wanted, matcher if narratives else None, names
            )
            newest = sorted(found_items, key=lambda h: (-h.copies, h.published_at), reverse=False)
            examples = tuple((h.title, safe_url(h.url), h.source) for h in newest[:EXAMPLES])
            found.append(
                Topic(term, count, before, round(ratio, 2), round(z, 2), bool(why), why, examples)
            )
        found.sort(key=lambda t: (not t.suggested, -t.z, t.term))
        return found

    return ViralWatch(
        national=topics(
            [h for h in this_week if not h.regional], [h for h in baseline if not h.regional]
        ),
        regional=topics([h for h in this_week if h.regional], [h for h in baseline if h.regional]),
        headlines_now=len(this_week),
        headlines_before=len(baseline),
        since=since,
        until=moment.strftime(stamp),
    )
