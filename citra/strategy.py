"""The comms strategy in numbers: each narrative's share, sentiment and reach, and the posting
plan against what was posted (gaps, shortfalls, the persona check).

The page, the Overview block, the report section and the CLI all read these functions, so they
never disagree. Periods are :class:`citra.filters.Filters`; the organisation is the filters'
(the coop by default). See ``docs/metrics.md`` ("Narratives" and "Communication plan").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from citra.filters import Filters
from citra.formatting import parse_utc
from citra.queries.narratives import (
    last_own_posts,
    list_narratives,
    narrative_totals,
    own_posts,
    plan_lines,
    public_totals,
)

# A narrative's verdict in a period (in this order): "negative" when at least MIN_MENTIONS
# mentions carry it and its net sentiment is NEGATIVE_NET or lower; "ignored" below
# IGNORED_SHARE of the public mentions; "resonates" from RESONATES_SHARE with a net sentiment
# of zero or more; else "steady".
MIN_MENTIONS = 5
NEGATIVE_NET = -20.0
IGNORED_SHARE = 0.02
RESONATES_SHARE = 0.10
VERDICTS = ("resonates", "steady", "ignored", "negative")

# A planned channel is silent when its newest own post is older than the longer of
# SILENCE_DAYS and twice the plan's interval between posts.
SILENCE_DAYS = 14
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class NarrativeRow:
    """One narrative in one period. ``share``: of all public mentions (``None`` when there are
    none); ``net``: positive minus negative as a share of scored mentions, -100..100 (``None``
    when none is scored); ``reach``: summed over the ``with_reach`` mentions that report a
    figure (``without_reach`` do not: unknown, not zero); ``engagement_per_post``: likes +
    comments + shares per own post (``None`` without own posts)."""

    narrative_id: int
    name: str
    mentions: int
    share: float | None
    positive: int
    neutral: int
    negative: int
    net: float | None
    reach: int
    with_reach: int
    without_reach: int
    risk: int
    own_posts: int
    engagement_per_post: float | None
    verdict: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class NarrativeOverview:
    """Every narrative's :class:`NarrativeRow` and the period's public totals (``mentions``,
    ``with_reach``, ``reach``, ``assigned``: carrying at least one narrative)."""

    rows: list[NarrativeRow]
    public: dict[str, int]

    @property
    def unassigned(self) -> int:
        return self.public.get("mentions", 0) - self.public.get("assigned", 0)


def verdict(mentions: int, share: float | None, net: float | None) -> str:
    """``negative``, ``ignored``, ``resonates`` or ``steady`` (see the module's constants)."""
    if mentions >= MIN_MENTIONS and net is not None and net <= NEGATIVE_NET:
        return "negative"
    if share is None or share < IGNORED_SHARE:
        return "ignored"
    if share >= RESONATES_SHARE and (net is None or net >= 0):
        return "resonates"
    return "steady"


def narrative_overview(db: Database, f: Filters) -> NarrativeOverview:
    """Each narrative's share, sentiment, reach and own-post engagement in the period."""
    public = public_totals(db, f)
    rows = []
    for row in narrative_totals(db, f):
        mentions = int(row["mentions"])
        share = mentions / public["mentions"] if public["mentions"] else None
        scored = int(row["scored"])
        net = 100.0 * (row["positive"] - row["negative"]) / scored if scored else None
        posts = int(row["own_posts"])
        rows.append(
            NarrativeRow(
                narrative_id=int(row["narrative_id"]),
                name=row["name"],
                mentions=mentions,
                share=share,
                positive=int(row["positive"]),
                neutral=int(row["neutral"]),
                negative=int(row["negative"]),
                net=net,
                reach=int(row["reach"]),
                with_reach=int(row["with_reach"]),
                without_reach=mentions - int(row["with_reach"]),
                risk=int(row["risk"]),
                own_posts=posts,
                engagement_per_post=row["own_engagement"] / posts if posts else None,
                verdict=verdict(mentions, share, net),
            )
        )
    return NarrativeOverview(rows=rows, public=public)


# --- the communication plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanStatus:
    """One plan line in the period: ``planned`` (the cadence times the period's length, rounded)
    against ``published`` own posts on the channel (of the narrative, when the line names one)."""

    plan_id: int
    channel: str
    narrative: str | None
    posts: int
    per: str
    planned: int
    published: int

    @property
    def behind(self) -> bool:
        return self.published < self.planned


@dataclass(frozen=True)
class Gap:
    """A gap to flag: ``kind`` ``silent`` (no post on ``channel`` for ``days`` days; ``days``
    ``None``: never posted), or ``behind`` (``planned`` against ``published``, of
    ``narrative`` when given)."""

    kind: str
    channel: str
    days: int | None = None
    narrative: str | None = None
    planned: int = 0
    published: int = 0


@dataclass(frozen=True)
class Persona:
    """Own posts on one channel against the plan's persona: ``posts``, ``mean_length``
    (characters), ``too_long`` (over the plan's ``max_length``), the posts per label, and
    ``off_tone`` (posts whose label is not the plan's ``tone``; negative posts always)."""

    channel: str
    posts: int
    mean_length: float | None
    max_length: int | None
    too_long: int
    tone: str | None
    positive: int
    neutral: int
    negative: int
    off_tone: int


@dataclass(frozen=True)
class PlanCheck:
    """The plan against the period's own posts: one :class:`PlanStatus` per line, the
    :class:`Gap` list (silent channels first), one :class:`Persona` per planned channel."""

    lines: list[PlanStatus] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    persona: list[Persona] = field(default_factory=list)


def planned_posts(posts: int, per: str, days: int) -> int:
    """How many posts a cadence of ``posts`` per ``per`` (week or month) asks for in ``days``
    days, rounded to the nearest whole post (a half rounds up)."""
    length = 7.0 if per == "week" else DAYS_PER_MONTH
    return int(math.floor(posts * days / length + 0.5))


def plan_check(db: Database, f: Filters, *, now: datetime | None = None) -> PlanCheck:
    """The plan (``citra.queries.narratives.plan_lines``) against the own posts of ``f``'s
    organisation in ``f``'s period. Silence is measured up to the period's end, or ``now``
    (default: the current time) when the period runs on. No plan: an empty check."""
    lines = plan_lines(db)
    if not lines:
        return PlanCheck()
    posts = own_posts(db, f)
    end = parse_utc(f.end)
    moment = min(end, (now or datetime.now(UTC)).astimezone(UTC)) if end else now
    names = {n.id: n.name for n in list_narratives(db)}
    statuses = []
    for line in lines:
        on_channel = [p for p in posts if p["platform"] == line["channel"]]
        if line["narrative_id"] is not None:
            wanted = str(line["narrative_id"])
            on_channel = [p for p in on_channel if wanted in (p["narratives"] or "").split(",")]
        statuses.append(
            PlanStatus(
                plan_id=int(line["id"]),
                channel=line["channel"],
                narrative=names.get(line["narrative_id"]),
                posts=int(line["posts"]),
                per=line["per"],
                planned=planned_posts(int(line["posts"]), line["per"], f.days),
                published=len(on_channel),
            )
        )
    gaps = _silences(db, f, lines, moment)
    gaps += [
        Gap("behind", s.channel, narrative=s.narrative, planned=s.planned, published=s.published)
        for s in statuses
        if s.behind
    ]
    return PlanCheck(lines=statuses, gaps=gaps, persona=_persona(lines, posts))


def _silences(
    db: Database, f: Filters, lines: list[dict[str, Any]], moment: datetime | None
) -> list[Gap]:
    if moment is None:
        return []
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    last = last_own_posts(db, f.organisation_id, stamp)
    allowed: dict[str, float] = {}
    for line in lines:
        length = 7.0 if line["per"] == "week" else DAYS_PER_MONTH
        interval = length / max(int(line["posts"]), 1)
        allowed[line["channel"]] = min(allowed.get(line["channel"], math.inf), interval)
    gaps = []
    for channel, interval in sorted(allowed.items()):
        newest = parse_utc(last.get(channel))
        if newest is None:
            gaps.append(Gap("silent", channel, days=None))
            continue
        days = (moment - newest).days
        if days > max(SILENCE_DAYS, 2 * interval):
            gaps.append(Gap("silent", channel, days=days))
    gaps.sort(key=lambda g: (-(g.days if g.days is not None else 10**6), g.channel))
    return gaps


def _persona(lines: list[dict[str, Any]], posts: list[dict[str, Any]]) -> list[Persona]:
    found = []
    for channel in sorted({line["channel"] for line in lines}):
        limits = [
            int(x["max_length"]) for x in lines if x["channel"] == channel and x["max_length"]
        ]
        tones = [x["tone"] for x in lines if x["channel"] == channel and x["tone"]]
        limit = min(limits) if limits else None
        tone = tones[0] if tones else None
        mine = [p for p in posts if p["platform"] == channel]
        labels = [p["sentiment_label"] for p in mine]
        lengths = [int(p["length"] or 0) for p in mine]
        off = sum(1 for label in labels if label == "negative" or (tone and label != tone))
        found.append(
            Persona(
                channel=channel,
                posts=len(mine),
                mean_length=sum(lengths) / len(lengths) if lengths else None,
                max_length=limit,
                too_long=sum(1 for n in lengths if limit and n > limit),
                tone=tone,
                positive=labels.count("positive"),
                neutral=labels.count("neutral"),
                negative=labels.count("negative"),
                off_tone=off if tone else labels.count("negative"),
            )
        )
    return found


def gap_text(gap: Gap, lang: str = "id") -> str:
    """A gap as one sentence in ``lang`` ("No TikTok post for 21 days.", "Instagram, narrative
    UMKM desa: planned 4, published 0."), for the page and the report."""
    from citra.formatting import format_number, platform_name
    from citra.i18n import translate

    channel = platform_name(gap.channel, lang)
    if gap.kind == "silent":
        if gap.days is None:
            return translate("No {channel} post yet.", lang, channel=channel)
        return translate(
            "No {channel} post for {days} days.",
            lang,
            channel=channel,
            days=format_number(gap.days, lang),
        )
    values = {
        "channel": channel,
        "narrative": gap.narrative,
        "planned": format_number(gap.planned, lang),
        "published": format_number(gap.published, lang),
    }
    if gap.narrative:
        return translate(
            "{channel}, narrative {narrative}: planned {planned}, published {published}.",
            lang,
            **values,
        )
    return translate("{channel}: planned {planned}, published {published}.", lang, **values)
