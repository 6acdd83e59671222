"""The voices that carry the coop's reputation: authors and outlets ranked by reach and by effect.

A voice is an author (social platforms: the name or handle) or an outlet (news and web: the
source), per platform. **Reach as the sources report it**: a voice's reach is the largest reach
figure its mentions report (its audience, not a sum over reposts); a voice whose mentions report
none has *unknown* reach (``None``), never zero, and is listed after every voice with a figure.
**Effect** is what the voice did to the reputation index: the sum over its mentions of the
sentiment compound times ``max(reach, 1)`` (the index's own weight: a mention without a reach
figure counts once). Positive effect: who to thank or invite; negative: who to answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from citra.filters import Filters
from citra.queries.narratives import voice_rows
from citra.reports.cells import safe_url

TOP = 10


@dataclass(frozen=True)
class Voice:
    """One voice in the period: ``reach`` ``None`` when none of its mentions reports one;
    ``effect`` the reach-weighted compound sum; ``url`` its newest mention (http(s) only)."""

    platform: str
    voice: str
    handle: str | None
    mentions: int
    positive: int
    negative: int
    reach: int | None
    with_reach: int
    effect: float
    url: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Voices:
    """The period's voices three ways (at most :data:`TOP` each) and how many voices there are,
    ``unknown_reach`` of them without any reach figure."""

    by_reach: list[Voice] = field(default_factory=list)
    positive: list[Voice] = field(default_factory=list)
    negative: list[Voice] = field(default_factory=list)
    total: int = 0
    unknown_reach: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "by_reach": [v.as_dict() for v in self.by_reach],
            "positive": [v.as_dict() for v in self.positive],
            "negative": [v.as_dict() for v in self.negative],
            "total": self.total,
            "unknown_reach": self.unknown_reach,
        }


def rank_voices(db: Database, f: Filters, *, top: int = TOP) -> Voices:
    """The voices of ``f``'s public mentions (own posts left out), ranked (see the module)."""
    found = [
        Voice(
            platform=row["platform"],
            voice=str(row["voice"]),
            handle=row["handle"],
            mentions=int(row["mentions"]),
            positive=int(row["positive"] or 0),
            negative=int(row["negative"] or 0),
            reach=int(row["reach"]) if row["with_reach"] else None,
            with_reach=int(row["with_reach"] or 0),
            effect=float(row["compound_weighted"] or 0.0),
            url=safe_url(row["url"]),
        )
        for row in voice_rows(db, f)
    ]
    by_reach = sorted(found, key=lambda v: (v.reach is None, -(v.reach or 0), -v.mentions, v.voice))
    positive = sorted((v for v in found if v.effect > 0), key=lambda v: (-v.effect, v.voice))
    negative = sorted((v for v in found if v.effect < 0), key=lambda v: (v.effect, v.voice))
    return Voices(
        by_reach=by_reach[:top],
        positive=positive[:top],
        negative=negative[:top],
        total=len(found),
        unknown_reach=sum(1 for v in found if v.reach is None),
    )
