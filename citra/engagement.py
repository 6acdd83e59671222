"""The participation and engagement model: member metrics over counted rows.

Pure functions over plain values (the rows ``citra.queries.engagement`` returns): nothing here reads
or writes the database. Formulas are documented in ``docs/metrics.md`` ("## Members").

- participation rate = attending members / active members
- engagement rate = engaged members / active members (engaged: at least one engagement action —
  a question, a proposal, a share in the chat or at an event, or a public post — in the period)
- engagement-to-participation ratio = engaged members / participating members
- funnel: active members -> participants -> engaged participants -> advocates (engaged
  participants who also shared publicly); each stage a subset of the one before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def rate(part: int | None, whole: int | None) -> float | None:
    """``part / whole`` as a fraction (0.25 is 25 %); ``None`` when ``whole`` is 0 or unknown."""
    if not whole or part is None:
        return None
    return part / whole


def participation_rate(attending: int, active: int) -> float | None:
    """Attending members / active members (a fraction); ``None`` with no active members."""
    return rate(attending, active)


def engagement_rate(engaged: int, active: int) -> float | None:
    """Engaged members / active members (a fraction); ``None`` with no active members."""
    return rate(engaged, active)


def engagement_ratio(engaged: int, participating: int) -> float | None:
    """Engaged members / participating members; may exceed 1 (members who engage in the chat
    without attending). ``None`` when nobody participated."""
    return rate(engaged, participating)


def period_metrics(row: Mapping[str, Any]) -> dict[str, Any]:
    """One period's counts (``active``, ``participants``, ``engaged``, ...) with its rates added:
    ``participation_rate``, ``engagement_rate``, ``ratio`` (fractions or ``None``)."""
    active = int(row.get("active") or 0)
    participants = int(row.get("participants") or 0)
    engaged = int(row.get("engaged") or 0)
    return {
        **row,
        "participation_rate": participation_rate(participants, active),
        "engagement_rate": engagement_rate(engaged, active),
        "ratio": engagement_ratio(engaged, participants),
    }


def series(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """:func:`period_metrics` for each row (months, years, events or branches), order kept.
    Empty input gives an empty list."""
    return [period_metrics(row) for row in rows]


FUNNEL_STAGES = ("members", "participants", "engaged", "advocates")


def funnel(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """The funnel members -> participants -> engaged -> advocates, each stage with its count,
    its share of all members and its conversion from the stage before (fractions or ``None``).

    ``counts`` holds ``active``, ``participants``, ``engaged_participants`` and ``advocates``
    (nested sets, as ``citra.queries.engagement.funnel_counts`` returns them).
    """
    values = [
        int(counts.get("active") or 0),
        int(counts.get("participants") or 0),
        int(counts.get("engaged_participants") or 0),
        int(counts.get("advocates") or 0),
    ]
    stages = []
    for index, (stage, value) in enumerate(zip(FUNNEL_STAGES, values, strict=True)):
        stages.append(
            {
                "stage": stage,
                "count": value,
                "of_members": rate(value, values[0]),
                "from_previous": rate(value, values[index - 1]) if index else None,
            }
        )
    return stages


AGE_BANDS = ("<1", "1-3", "3-5", "5+", "unknown")


def trend(values: Sequence[float | None]) -> float | None:
    """Change from the first to the last known value (same unit as the values); ``None`` with
    fewer than two known values."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return None
    return known[-1] - known[0]
