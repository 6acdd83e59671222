"""What moved the reputation index: the change between two periods split into what caused it.

The index is reach-weighted net sentiment, ``I = 100 × Σ w·v / Σ w`` over the scored mentions
of a period (``w`` the reach weight ``max(reach, 1)``, ``v`` +1 positive, 0 neutral, −1
negative; ``docs/metrics.md``). For any group ``g`` of mentions (a platform, a source, a story,
a topic, a risk category) write ``a`` for its share of the period's weight and ``n`` for its own
index; then ``I = Σ a·n`` over any partition, and the change splits exactly (a shift-share, or
Kitagawa, decomposition):

    points(g)    = reach(g) + sentiment(g)
    reach(g)     = (a₁ − a₀) × (n̄ − Ī)      its weight in the index moved (volume, reach)
    sentiment(g) = ā × (n₁ − n₀)            its own tone moved

with ``ā, n̄, Ī`` the averages of the two periods. Over the groups of a partition (platforms,
sources, stories) the points add up to the index change exactly; topics and risk categories
overlap or leave mentions out, so theirs need not. A group absent from one period has no tone
there and takes the other period's (all its effect is then reach: a new story weighs in the
index by its reach, pulling it towards its own tone). A group gains from more weight only when
its tone is above the average index, which is why a viral negative story can lower the index
while mentions, reach and net sentiment all rise.

:func:`decompose` is pure (two frames of mentions in, :class:`Drivers` out) and tested on
constructed months; :func:`drivers` reads the frames for two periods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlite_utils import Database

from citra import metrics
from citra.filters import DEFAULT_TIMEZONE, Filters

# The kinds of group, in the order a tie between equally strong drivers is broken.
DIMENSIONS: tuple[str, ...] = ("story", "risk", "topic", "source", "platform")
WHERE = frozenset({"source", "platform"})  # where something was said, not what
SIGN = {"positive": 1, "neutral": 0, "negative": -1}
TOPIC_MIN_MENTIONS = 3  # a term in fewer mentions (in both periods together) is not a topic
KEEP_PER_DIMENSION = 50  # the strongest groups kept per kind of group
MAIN_DRIVERS = 3
MAIN_MIN_POINTS = 0.5  # smaller effects are not worth a sentence
OVERLAP = 0.5  # a candidate whose weight is half inside drivers already chosen adds nothing
UNKNOWN_RISK = "other"


@dataclass(frozen=True)
class Effect:
    """One group's part in the index change, in points of the index (−200..+200).

    ``points = reach_points + sentiment_points``. Counts, reach and weight are per period;
    ``net_now``/``net_before`` are the group's own reach-weighted index (``None`` when it had no
    mention then). ``top_*`` describe the mention that moved the index most in the direction of
    the group's effect (for links); ``first_day``/``last_day`` are the local days of its first and
    last mention in the current period (else the previous one); ``sources`` the group's most
    frequent sources now, at most three.
    """

    dimension: str
    key: str
    label: str
    points: float
    reach_points: float
    sentiment_points: float
    mentions_now: int
    mentions_before: int
    reach_now: int
    reach_before: int
    negative_now: int
    positive_now: int
    net_now: float | None
    net_before: float | None
    first_day: str | None = None
    last_day: str | None = None
    top_seq: int | None = None
    top_url: str | None = None
    top_title: str | None = None
    top_platform: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def mostly_reach(self) -> bool:
        """Whether its weight moving (rather than its tone) did most of it."""
        return abs(self.reach_points) >= abs(self.sentiment_points)


@dataclass(frozen=True)
class Drivers:
    """The index of two periods, and each kind of group's effects (strongest first).

    ``effects`` maps each of :data:`DIMENSIONS` to its groups, largest ``|points|`` first;
    ``main`` holds up to three drivers across kinds that do not repeat one another (see
    :func:`main_drivers`). Without an index now there is nothing to split (no effects); without
    one before, ``main`` is empty and the effects only rank this period's groups by their pull
    against its own index (they add up to zero, not to a change).
    """

    index_now: float | None
    index_before: float | None
    net_now: float | None
    net_before: float | None
    effects: dict[str, list[Effect]] = field(default_factory=dict)
    main: tuple[Effect, ...] = ()

    @property
    def index_change(self) -> float | None:
        return metrics.change(self.index_now, self.index_before)

    @property
    def net_change(self) -> float | None:
        """The change of net sentiment, every mention counted once."""
        return metrics.change(self.net_now, self.net_before)

    @property
    def weighting_points(self) -> float | None:
        """How much of the index change is the reach weighting: index change minus net
        sentiment change (negative when negative mentions reached more people than before)."""
        if self.index_change is None or self.net_change is None:
            return None
        return self.index_change - self.net_change

    def of(self, dimension: str, limit: int | None = None) -> list[Effect]:
        """The effects of one kind of group, strongest first (at most ``limit``)."""
        found = self.effects.get(dimension, [])
        return found[:limit] if limit is not None else found


Grouper = Callable[[pd.DataFrame], pd.DataFrame]


def decompose(
    before: pd.DataFrame,
    now: pd.DataFrame,
    *,
    tz: str = DEFAULT_TIMEZONE,
    topics: Callable[[str], Iterable[str]] | None = None,
    risk_categories: Callable[[str], Iterable[str]] | None = None,
) -> Drivers:
    """Split the index change from ``before`` to ``now`` into the effects of platforms,
    sources, stories, topics and risk categories.

    Both frames have one row per scored mention with ``seq, published_at, platform, source,
    story, title, text, url, reach, weight, label, risk`` (as
    ``citra.queries.reports.driver_rows`` returns). ``topics(text)`` gives a mention's topic
    terms and ``risk_categories(text)`` the risk categories of a risk-flagged one; without them
    those kinds of group are left empty. Empty frames: no index, no effects.
    """
    rows = pd.concat([before.assign(period=0), now.assign(period=1)], ignore_index=True, sort=False)
    is_label = {
        label: (rows["label"] == label).to_numpy(dtype=bool) if len(rows) else np.zeros(0, bool)
        for label in SIGN
    }
    sign = is_label["positive"].astype(float) - is_label["negative"].astype(float)
    weight = rows["weight"].to_numpy(dtype=float) if len(rows) else np.zeros(0)
    period = rows["period"].to_numpy(dtype=np.int64) if len(rows) else np.zeros(0, np.int64)
    totals = [float(weight[period == p].sum()) for p in (0, 1)]
    indexes = [
        100.0 * float((weight * sign)[period == p].sum()) / totals[p] if totals[p] > 0 else None
        for p in (0, 1)
    ]
    counts = [
        {label: int((is_label[label] & (period == p)).sum()) for label in SIGN} for p in (0, 1)
    ]
    nets = [metrics.net_sentiment(c) for c in counts]
    if indexes[1] is None:
        return Drivers(indexes[1], indexes[0], nets[1], nets[0])
    # Without an index before (no scored mention then) there is no change to split, but the
    # groups of this period are still ranked: by their pull against this period's own index.
    baseline = indexes[0] if indexes[0] is not None else indexes[1]
    totals = [totals[0] or 1.0, totals[1]]
    average = (baseline + indexes[1]) / 2
    # Each mention alone as a group (present in one period only): its reach effect.
    share = np.where(period == 1, weight / totals[1], -weight / totals[0])
    day_codes, days = pd.factorize(_local_days(rows["published_at"], tz), sort=True)
    source = rows["source"].fillna("")
    source_codes, sources = pd.factorize(source)
    columns = _Columns(
        period=period,
        weight=weight,
        weighted_sign=weight * sign,
        reach=rows["reach"].fillna(0).to_numpy(dtype=float),
        positive=(sign > 0).astype(float),
        negative=(sign < 0).astype(float),
        single=share * (100.0 * sign - average),
        day=day_codes,
        days=[str(d) for d in days],
        source=source_codes,
        sources=[str(v) for v in sources],
    )

    every_row = np.arange(len(rows))
    pairs = {
        "platform": (every_row, rows["platform"]),
        "source": (every_row, source),
        "story": (every_row, rows["story"]),
    }
    if topics is not None:
        # Title and text apart, so that no phrase spans the end of one and the start of the other.
        # Syndicated copies and templates repeat a title and text: their topics are found once.
        per_text: dict[tuple[str, str], list[str]] = {}

        def text_topics(title: str, body: str) -> list[str]:
            key = (title, body)
            if key not in per_text:
                found = (
                    set(topics(body)) if title in body else set(topics(title)) | set(topics(body))
                )
                per_text[key] = sorted(found)
            return per_text[key]

        found_topics = [
            text_topics(title, body)
            for title, body in zip(
                rows["title"].fillna("").tolist(), rows["text"].fillna("").tolist(), strict=True
            )
        ]
        topic_rows, topic_keys = _explode(every_row, found_topics)
        counted = topic_keys.value_counts()
        keep = topic_keys.isin(counted[counted >= TOPIC_MIN_MENTIONS].index).to_numpy()
        pairs["topic"] = (topic_rows[keep], topic_keys[keep])
    if risk_categories is not None:
        risky = rows["risk"].fillna(0).astype(int).to_numpy() != 0
        text = (rows["title"][risky].fillna("") + " " + rows["text"][risky].fillna("")).str.strip()
        categories = [sorted(set(risk_categories(t))) or [UNKNOWN_RISK] for t in text.tolist()]
        pairs["risk"] = _explode(every_row[risky], categories)

    effects: dict[str, list[Effect]] = {}
    members: dict[tuple[str, str], np.ndarray] = {}
    for dimension in DIMENSIONS:
        if dimension not in pairs:
            effects[dimension] = []
            continue
        found, rows_of = _effects(dimension, *pairs[dimension], rows, columns, totals, average)
        effects[dimension] = found
        members.update({(dimension, key): rows_of[key] for key in rows_of})
    if indexes[0] is None:
        return Drivers(indexes[1], indexes[0], nets[1], nets[0], effects)
    main = main_drivers(effects, members, weight, indexes[1] - indexes[0])
    return Drivers(indexes[1], indexes[0], nets[1], nets[0], effects, main)


@dataclass(frozen=True)
class _Columns:
    """Per mention (both periods, in the rows' order) what :func:`_effects` sums: the period
    (0 before, 1 now), reach weight, weight × sign, reach, 1.0 for a positive or a negative
    label, the mention's pull alone, and codes of its local day and source (``days`` and
    ``sources`` name them; day codes follow the days' order, -1 for no day)."""

    period: np.ndarray
    weight: np.ndarray
    weighted_sign: np.ndarray
    reach: np.ndarray
    positive: np.ndarray
    negative: np.ndarray
    single: np.ndarray
    day: np.ndarray
    days: list[str]
    source: np.ndarray
    sources: list[str]


def _explode(rows: np.ndarray, keys: Sequence[Sequence[str]]) -> tuple[np.ndarray, pd.Series]:
    """One ``(row, key)`` pair for each of each row's keys, in the rows' order."""
    sizes = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    flat = [key for found in keys for key in found]
    return np.repeat(rows, sizes), pd.Series(flat, dtype="str" if flat else object)


def _local_days(published: pd.Series, tz: str) -> pd.Series:
    """Each stored UTC time's local day in ``tz`` (``YYYY-MM-DD``; a time that does not parse:
    missing)."""
    stamps = pd.to_datetime(published, utc=True, errors="coerce")
    local = stamps.dt.tz_convert(ZoneInfo(tz)).dt.tz_localize(None).to_numpy("datetime64[D]")
    days = pd.Series(np.datetime_as_string(local, unit="D"), index=published.index)
    return days.where(stamps.notna())


def _effects(
    dimension: str,
    rows: np.ndarray,
    keys: pd.Series,
    frame: pd.DataFrame,
    columns: _Columns,
    totals: Sequence[float],
    average: float,
) -> tuple[list[Effect], dict[str, np.ndarray]]:
    """The effects of one kind of group (strongest :data:`KEEP_PER_DIMENSION`) and, for those,
    the rows of their mentions.

    ``rows`` and ``keys`` are one ``(row of frame, group)`` pair per mention and group; the sums
    run on group codes (numbered in key order) with NumPy: a month of a million-mention database
    has a story for almost every mention. Ties keep the order of the keys, and within a group
    the order of the pairs: the top mention is the first of the largest pull, a group's sources
    the most frequent first, equally frequent ones in the order they first appear."""
    codes, uniques = pd.factorize(keys, sort=True)
    known = codes >= 0
    codes, rows = codes[known], rows[known]
    if not len(codes):
        return [], {}
    groups = len(uniques)
    period = columns.period[rows]
    slot = codes * 2 + period

    def per_period(values: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        summed = np.bincount(
            slot, weights=None if values is None else values[rows], minlength=2 * groups
        )
        return summed[0::2], summed[1::2]

    w = per_period(columns.weight)
    wv = per_period(columns.weighted_sign)
    mentions = per_period()
    reach_sum = per_period(columns.reach)
    pos = per_period(columns.positive)
    neg = per_period(columns.negative)
    labels: dict[str, str] = {}
    shown = np.arange(groups)  # the groups in the order they are ranked (ties: this order)
    if dimension == "topic":
        shown, labels = _merge_same_topics(codes, rows, [str(key) for key in uniques])
    w0, w1 = w[0][shown], w[1][shown]
    with np.errstate(divide="ignore", invalid="ignore"):
        n0 = np.where(w0 > 0, 100.0 * wv[0][shown] / w0, np.nan)
        n1 = np.where(w1 > 0, 100.0 * wv[1][shown] / w1, np.nan)
    tone0, tone1 = np.where(np.isnan(n0), n1, n0), np.where(np.isnan(n1), n0, n1)
    a0, a1 = w0 / totals[0], w1 / totals[1]
    reach = (a1 - a0) * ((tone0 + tone1) / 2 - average)
    sentiment = (a0 + a1) / 2 * (tone1 - tone0)
    points = reach + sentiment
    # Strongest first; equally strong ones (and no figure, last) in the order shown.
    ranked = np.argsort(-np.abs(points), kind="stable")[:KEEP_PER_DIMENSION]
    order_codes = shown[ranked]

    # The kept groups' pairs, in the order of the pairs.
    at = np.flatnonzero(np.isin(codes, order_codes))
    kept_codes, kept_rows, kept_period = codes[at], rows[at], period[at]
    # The mention that moved the index most in the group's direction (the first of them).
    direction = np.ones(groups)
    direction[order_codes] = np.where(points[ranked] == 0, 1.0, np.sign(points[ranked]))
    pull = columns.single[kept_rows] * direction[kept_codes]
    by_pull = np.lexsort((np.arange(len(at)), -pull, kept_codes))
    firsts = by_pull[np.r_[True, kept_codes[by_pull][1:] != kept_codes[by_pull][:-1]]]
    top_row = dict(zip(kept_codes[firsts].tolist(), kept_rows[firsts].tolist(), strict=True))
    # The group's first and last local day, in the latest period it has mentions in.
    latest = np.full(groups, -1)
    np.maximum.at(latest, kept_codes, kept_period)
    day_codes = columns.day[kept_rows]
    dated = (kept_period == latest[kept_codes]) & (day_codes >= 0)
    first_code = np.full(groups, np.iinfo(np.int64).max)
    last_code = np.full(groups, -1)
    np.minimum.at(first_code, kept_codes[dated], day_codes[dated])
    np.maximum.at(last_code, kept_codes[dated], day_codes[dated])
    # The group's most frequent sources now (at most three), the first seen first among equals.
    now = kept_period == 1
    source_count = max(len(columns.sources), 1)
    combined = kept_codes[now] * source_count + columns.source[kept_rows[now]]
    found_pairs, first_seen, counted = np.unique(combined, return_index=True, return_counts=True)
    pair_group = found_pairs // source_count
    sources_now: dict[int, list[str]] = {}
    for pair in np.lexsort((first_seen, -counted, pair_group)).tolist():
        named = columns.sources[int(found_pairs[pair] % source_count)]
        sources_now.setdefault(int(pair_group[pair]), []).append(named)

    tops = frame.iloc[[top_row[c] for c in order_codes.tolist()]].to_dict("records")
    found: list[Effect] = []
    for place, code, row in zip(ranked.tolist(), order_codes.tolist(), tops, strict=True):
        key = str(uniques[code])
        title = row["title"] if isinstance(row["title"], str) and row["title"] else row["text"]
        found.append(
            Effect(
                dimension=dimension,
                key=key,
                label=_short(title) or key if dimension == "story" else labels.get(key, key),
                points=float(points[place]),
                reach_points=float(reach[place]),
                sentiment_points=float(sentiment[place]),
                mentions_now=int(mentions[1][code]),
                mentions_before=int(mentions[0][code]),
                reach_now=int(reach_sum[1][code]),
                reach_before=int(reach_sum[0][code]),
                negative_now=int(neg[1][code]),
                positive_now=int(pos[1][code]),
                net_now=None if np.isnan(n1[place]) else float(n1[place]),
                net_before=None if np.isnan(n0[place]) else float(n0[place]),
                first_day=columns.days[first_code[code]] if last_code[code] >= 0 else None,
                last_day=columns.days[last_code[code]] if last_code[code] >= 0 else None,
                top_seq=int(row["seq"]),
                top_url=row["url"] if isinstance(row["url"], str) else None,
                top_title=_short(title),
                top_platform=str(row["platform"]),
                sources=tuple(v for v in sources_now.get(code, [])[:3] if v),
            )
        )
    by_group = np.argsort(kept_codes, kind="stable")
    bounds = np.flatnonzero(np.diff(kept_codes[by_group])) + 1
    rows_of = {
        str(uniques[int(part_codes[0])]): kept_rows[part]
        for part, part_codes in zip(
            np.split(by_group, bounds), np.split(kept_codes[by_group], bounds), strict=True
        )
    }
    return found, rows_of


def _short(text: object, limit: int = 160) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _merge_same_topics(
    codes: np.ndarray, rows: np.ndarray, keys: Sequence[str]
) -> tuple[np.ndarray, dict[str, str]]:
    """Topics found in exactly the same mentions ("expands lending", "smallholder farmers": one
    article) are one topic, named by up to three of its phrases. Returns the codes of the topics
    kept (most mentions first, then by name) and their names."""
    by_group = np.lexsort((rows, codes))
    bounds = np.flatnonzero(np.diff(codes[by_group])) + 1
    members = [part.tobytes() for part in np.split(rows[by_group], bounds)]
    sizes = np.diff(np.r_[0, bounds, len(codes)])
    first: dict[bytes, int] = {}
    names: dict[int, list[str]] = {}
    for code in sorted(range(len(keys)), key=lambda c: (-sizes[c], keys[c])):
        owner = first.setdefault(members[code], code)
        names.setdefault(owner, []).append(keys[code])
    kept = np.array(list(names), dtype=np.int64)
    return kept, {keys[owner]: " · ".join(found[:3]) for owner, found in names.items()}


def main_drivers(
    effects: Mapping[str, Sequence[Effect]],
    members: Mapping[tuple[str, str], np.ndarray],
    weight: np.ndarray,
    change: float = 0.0,
    limit: int = MAIN_DRIVERS,
) -> tuple[Effect, ...]:
    """Up to ``limit`` drivers across kinds of group, strongest first, that do not repeat one
    another: a candidate is skipped when at least :data:`OVERLAP` of its reach weight (both
    periods) belongs to drivers already chosen (a story inside a source already named, a topic
    that is that story's words). When the index moved (``change`` of at least
    :data:`MAIN_MIN_POINTS`), drivers pushing that way come first; what was said (stories, risk
    categories, topics) comes before where it was said (:data:`WHERE`: sources, platforms);
    effects under :data:`MAIN_MIN_POINTS` are left out."""
    rank = {d: i for i, d in enumerate(DIMENSIONS)}
    direction = 0 if abs(change) < MAIN_MIN_POINTS else (1 if change > 0 else -1)
    candidates = sorted(
        (e for found in effects.values() for e in found if abs(e.points) >= MAIN_MIN_POINTS),
        key=lambda e: (
            direction != 0 and (e.points > 0) != (direction > 0),
            e.dimension in WHERE,
            -round(abs(e.points), 6),
            rank[e.dimension],
        ),
    )
    covered = np.zeros(len(weight), dtype=bool)
    chosen: list[Effect] = []
    for effect in candidates:
        rows = members.get((effect.dimension, effect.key))
        if rows is None or not len(rows):
            continue
        total = weight[rows].sum()
        if total > 0 and weight[rows][covered[rows]].sum() / total >= OVERLAP:
            continue
        chosen.append(effect)
        covered[rows] = True
        if len(chosen) == limit:
            break
    return tuple(chosen)


@cache
def risk_category_finder() -> Callable[[str], list[str]]:
    """``text -> risk categories`` (``default``, ``insolvency``, ``fraud``, ...) from the crisis
    terms the analyzer finds (``citra/sentiment/data/risk_terms.tsv``)."""
    from citra.sentiment import SentimentAnalyzer

    analyzer = SentimentAnalyzer(use_model=False)
    category = {" ".join(key): name for key, name in analyzer.risk.items()}
    return lambda text: [category.get(term, UNKNOWN_RISK) for term in analyzer.risk_terms(text)]


def drivers(
    db: Database, current: Filters, previous: Filters, *, tz: str = DEFAULT_TIMEZONE
) -> Drivers:
    """The :class:`Drivers` of the index change from ``previous`` to ``current`` (both narrowed
    to one organisation), with risk categories and topics: the two-word phrases and hashtags
    of the Topics page's terms (the words of organisation and source names left out; single
    words are too ambiguous to name a topic: "bunga" is interest or a flower)."""
    from citra.queries.organisations import list_organisations
    from citra.queries.reports import driver_rows
    from citra.topics import organisation_stop_words, terms

    before, now = driver_rows(db, previous), driver_rows(db, current)
    # Organisation and source names are in many texts ("selengkapnya di Suara Mataram"): they
    # say where, not what, so no topic holds their words (or the coop's own hashtag). Leaving
    # the phrases that hold a name word out afterwards gives what ``terms`` gives with the names
    # as stop words, without rebuilding its stop-word set for every text.
    sources = set(before["source"].dropna().unique()) | set(now["source"].dropna().unique())
    names = organisation_stop_words(list_organisations(db)) | {
        word for source in sources for word in terms(source) if " " not in word
    }
    found: dict[str, list[str]] = {}  # syndicated copies and templates repeat their texts

    def topics(text: str) -> list[str]:
        if text not in found:
            found[text] = [
                term
                for term in terms(text)
                if (term[0] == "#" and term not in names and term[1:] not in names)
                or (" " in term and not any(word in names for word in term.split(" ")))
            ]
        return found[text]

    return decompose(
        before,
        now,
        tz=tz,
        topics=topics,
        risk_categories=risk_category_finder(),
    )
