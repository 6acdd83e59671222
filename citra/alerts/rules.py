"""The alert rules, as plain functions of stored data: no database, no network, no clock.

Each rule takes what ``citra.queries.alerts`` read (numbers, mention records, feeds) and the
thresholds of :class:`RuleSettings`, and says what is alarming. The same functions mark the
Overview's trend (:func:`negative_spikes` through ``citra.scorecard.trend``) and can mark a
report's risk events, so a day is "a spike" in exactly one sense everywhere.

Rules (names as stored in ``alerts.rule``):

- ``negative_spike``: negative mentions of the coop in the last 24 hours above the mean plus
  ``spike_k`` standard deviations of the 24-hour counts of the previous ``baseline_days`` days,
  and at least ``spike_minimum`` of them (:func:`spike`);
- ``risk``: new risk-flagged mentions of the coop, one alert per risk category and story
  (:func:`risk_groups`; syndicated copies of one wire story share a ``story_id``);
- ``high_reach``: a new negative mention of the coop whose reach is at least ``high_reach``
  (:func:`high_reach_groups`);
- ``peer_crisis``: a negative spike about a peer coop, or at least ``peer_risk_minimum`` new risk
  mentions about it in 24 hours (:func:`risk_cluster`);
- ``feed_health``: a feed failing for at least ``feed_failing_hours`` (:func:`failing_feeds`).

Every alert has a subject (:func:`subject`); a rule fires again for the same subject only after
its cool-down (:meth:`RuleSettings.cooldown`; ``citra.store.alerts.fire`` checks it in the same
statement that stores the alert, so two runs at once fire once). Times are aware UTC datetimes.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from citra.errors import CitraError
from citra.metrics import Spike

if TYPE_CHECKING:
    from citra.queries.news import Feed

RULES: tuple[str, ...] = ("negative_spike", "risk", "high_reach", "peer_crisis", "feed_health")
# A 24-hour count needs at least this many complete days before it to have a baseline: a new
# installation (or a coop first mentioned last week) has no "usual" yet.
MIN_HISTORY_DAYS = 7
# The category of a risk mention whose terms name none (a risk flag set by a person, or by a term
# list that has no category column).
UNCATEGORISED = "risk"
DEFAULT_COOLDOWN_HOURS: dict[str, float] = {
    "negative_spike": 24.0,
    "risk": 24.0,
    "high_reach": 24.0,
    "peer_crisis": 24.0,
    "feed_health": 168.0,
}


@dataclass(frozen=True)
class RuleSettings:
    """The thresholds of the rules (stored under the ``alerts`` setting; defaults here).

    ``spike_k``: standard deviations above the baseline mean; ``spike_minimum``: fewest negative
    mentions in 24 hours that can be a spike; ``baseline_days``: days of 24-hour counts before
    them; ``high_reach``: the reach (people) from which a negative mention alerts by itself;
    ``peer_risk_minimum``: risk mentions about a peer in 24 hours that make a cluster;
    ``feed_failing_hours``: how long a feed fails before it alerts; ``max_age_hours``: a mention
    published longer ago than this when it arrives is history (an archive import) and alerts
    nobody; ``cooldown_hours``: per rule, how long one subject stays quiet after it fired.
    """

    spike_k: float = 3.0
    spike_minimum: int = 5
    baseline_days: int = 28
    high_reach: int = 10_000
    peer_risk_minimum: int = 3
    feed_failing_hours: float = 24.0
    max_age_hours: float = 72.0
    cooldown_hours: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_COOLDOWN_HOURS)
    )

    def __post_init__(self) -> None:
        checks = (
            (self.spike_k > 0, "spike_k", "a number above 0"),
            (self.spike_minimum >= 1, "spike_minimum", "a whole number of at least 1"),
            (
                MIN_HISTORY_DAYS <= self.baseline_days <= 365,
                "baseline_days",
                f"between {MIN_HISTORY_DAYS} and 365 days",
            ),
            (self.high_reach >= 1, "high_reach", "a whole number of at least 1"),
            (self.peer_risk_minimum >= 1, "peer_risk_minimum", "a whole number of at least 1"),
            (self.feed_failing_hours > 0, "feed_failing_hours", "a number of hours above 0"),
            (self.max_age_hours > 0, "max_age_hours", "a number of hours above 0"),
        )
        for ok, name, expected in checks:
            if not ok:
                raise CitraError(
                    "The alert setting {name} must be {expected}.", name=name, expected=expected
                )
        unknown = set(self.cooldown_hours) - set(RULES)
        if unknown or any(hours < 0 for hours in self.cooldown_hours.values()):
            raise CitraError(
                "Cool-downs are hours of 0 or more for the rules {rules}.", rules=", ".join(RULES)
            )

    def cooldown(self, rule: str) -> timedelta:
        """The cool-down of ``rule`` (its default when the setting names none)."""
        hours = self.cooldown_hours.get(rule, DEFAULT_COOLDOWN_HOURS[rule])
        return timedelta(hours=hours)

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any] | None) -> RuleSettings:
        """Settings from their stored form; unknown keys are ignored, missing ones default."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in (stored or {}).items() if k in names}
        if "cooldown_hours" in values:
            values["cooldown_hours"] = {**DEFAULT_COOLDOWN_HOURS, **values["cooldown_hours"]}
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cooldown_hours"] = dict(self.cooldown_hours)
        return data

    def changed(self, **values: Any) -> RuleSettings:
        """A copy with ``values`` (``None`` values left as they are), validated."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


# --- spikes ------------------------------------------------------------------------------------


def spike(
    value: float,
    history: Sequence[float],
    *,
    k: float,
    minimum: float,
    min_history: int = MIN_HISTORY_DAYS,
) -> Spike | None:
    """``value`` as a :class:`~citra.metrics.Spike` when it is above ``mean + k * std`` of
    ``history`` and at least ``minimum``; else ``None``.

    The standard deviation is the population one, and at least 1 (a flat baseline of 2 a day
    makes 6 a spike at ``k = 3``, not 2.1). Fewer than ``min_history`` values: no baseline, no
    spike. ``index`` of the result is 0 (callers that scan a series set it).
    """
    if len(history) < min_history or value < minimum:
        return None
    mean = sum(history) / len(history)
    std = max(math.sqrt(sum((v - mean) ** 2 for v in history) / len(history)), 1.0)
    z = (value - mean) / std
    if z <= k:
        return None
    return Spike(index=0, value=float(value), baseline=mean, z=z)


def negative_spikes(
    values: Sequence[float],
    *,
    k: float,
    minimum: float,
    window: int = 28,
    first_known: int = 0,
    min_history: int = MIN_HISTORY_DAYS,
) -> list[Spike]:
    """The points of a series of negative counts (one per day, oldest first) that are a
    :func:`spike` against the ``window`` points before them.

    Points before ``first_known`` are not history (there were no data yet): a point needs
    ``min_history`` known points before it. Empty or short series: ``[]``.
    """
    found: list[Spike] = []
    for i, value in enumerate(values):
        start = max(first_known, i - window)
        if i - start < min_history:
            continue
        hit = spike(value, values[start:i], k=k, minimum=minimum, min_history=min_history)
        if hit is not None:
            found.append(replace(hit, index=i))
    return found


# --- mentions: risk, reach, peers ----------------------------------------------------------------


@dataclass(frozen=True)
class MentionGroup:
    """Mentions that make one alert: ``key`` is their part of the subject (``"fraud:<story>"``),
    ``category`` their risk category (``None`` for groups that are not about risk)."""

    key: str
    story: str
    category: str | None
    mentions: tuple[Mapping[str, Any], ...]


STORY_TITLE_WORDS = 4


def story_of(mention: Mapping[str, Any]) -> str:
    """The story a mention belongs to: its ``story_id`` (the news collector gives syndicated
    copies one), else its headline when it has at least :data:`STORY_TITLE_WORDS` words (copies
    imported from a monitoring tool carry the same headline), else its own id."""
    if mention.get("story_id"):
        return str(mention["story_id"])
    words = " ".join(str(mention.get("title") or "").casefold().split())
    if len(words.split()) >= STORY_TITLE_WORDS:
        return "title-" + hashlib.blake2b(words.encode("utf-8"), digest_size=8).hexdigest()
    return str(mention["id"])


def category_of(mention: Mapping[str, Any]) -> str:
    """A risk mention's category: its ``risk_category`` field when it has one, else
    :data:`UNCATEGORISED`."""
    return str(mention.get("risk_category") or UNCATEGORISED)


def _by_story(mentions: Iterable[Mapping[str, Any]], *, with_category: bool) -> list[MentionGroup]:
    groups: dict[tuple[str | None, str], list[Mapping[str, Any]]] = {}
    for mention in mentions:
        category = category_of(mention) if with_category else None
        groups.setdefault((category, story_of(mention)), []).append(mention)
    return [
        MentionGroup(
            key=f"{category}:{story}" if category else story,
            story=story,
            category=category,
            mentions=tuple(members),
        )
        for (category, story), members in groups.items()
    ]


def risk_groups(mentions: Iterable[Mapping[str, Any]]) -> list[MentionGroup]:
    """Risk-flagged mentions (``risk`` true) grouped per risk category and story, in order of
    first appearance: one syndicated story is one alert per category."""
    return _by_story((m for m in mentions if m.get("risk")), with_category=True)


def high_reach_groups(mentions: Iterable[Mapping[str, Any]], threshold: int) -> list[MentionGroup]:
    """Negative mentions whose ``reach`` is at least ``threshold``, grouped per story. Reach is
    what the source reported for the mention (a portal's audience, an account's followers or a
    post's views); a mention without a figure never counts."""
    return _by_story(
        (
            m
            for m in mentions
            if m.get("sentiment_label") == "negative" and (m.get("reach") or 0) >= threshold
        ),
        with_category=False,
    )


def risk_cluster(mentions: Sequence[Mapping[str, Any]], minimum: int) -> bool:
    """Whether risk mentions about one peer are a cluster: at least ``minimum`` of them."""
    return sum(1 for m in mentions if m.get("risk")) >= minimum


@cache
def _shipped_analyzer() -> Any:
    from citra.sentiment import SentimentAnalyzer

    return SentimentAnalyzer()


def risk_categories(title: str | None, text: str | None) -> list[str]:
    """The risk categories (``default``, ``fraud``, ``insolvency``...) that flag a mention, in
    order of appearance, by the one taxonomy (``citra.sentiment.risk``). None found: ``[]``.

    Stored mentions carry them (``mentions.risk_category``, ``risk_categories``); this is for a
    mention not (yet) scored by the current analyzer.
    """
    from citra.queries.sentiment import mention_text

    return list(_shipped_analyzer().score(mention_text(title, text)).risk_categories)


# --- feeds ---------------------------------------------------------------------------------------


def failing_since(feed: Feed) -> str | None:
    """When a failing feed last worked (else when it was added); ``None`` when it is not
    failing."""
    if not feed.enabled or not feed.consecutive_failures:
        return None
    return feed.last_success_at or feed.added_at


def failing_feeds(feeds: Iterable[Feed], now: datetime, hours: float) -> list[Feed]:
    """Enabled feeds failing for at least ``hours``: their last success (or, never having worked,
    their addition) is that long ago."""
    from citra.formatting import parse_utc

    limit = now - timedelta(hours=hours)
    found = []
    for feed in feeds:
        since = parse_utc(failing_since(feed))
        if since is not None and since <= limit:
            found.append(feed)
    return found


# --- subjects and timing ----------------------------------------------------------------


def subject(rule: str, *parts: object) -> str:
    """The cool-down key of an alert: ``subject("risk", 1, "fraud:abc")`` is ``risk:1:fraud:abc``."""
    return ":".join([rule, *(str(p) for p in parts)])


def next_digest(after: datetime, hour: int, tz: str) -> datetime:
    """The first ``hour``:00 local time (``tz``) at or after ``after``, as UTC."""
    local = after.astimezone(ZoneInfo(tz))
    candidate = datetime.combine(local.date(), time(hour), tzinfo=local.tzinfo)
    if candidate < local:
        candidate += timedelta(days=1)
    return candidate.astimezone(UTC)


RETRY_FIRST = timedelta(minutes=5)
RETRY_MAX = timedelta(hours=6)
# A delivery still failing this long after its alert fired is given up: it is old news.
GIVE_UP_AFTER = timedelta(hours=72)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after ``attempts`` failed tries: 5 min, 15 min, 45 min, 2 h 15, then 6 h."""
    return min(RETRY_FIRST * 3 ** max(attempts - 1, 0), RETRY_MAX)
