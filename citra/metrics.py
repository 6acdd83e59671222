"""Pure dashboard computations: reputation index, net sentiment, share of voice, spikes.

No database, no Streamlit: every function takes plain numbers or sequences, so each formula can be
checked by hand (docs/metrics.md states them).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def reputation_index(weight_by_label: Mapping[str, float]) -> float | None:
    """Reach-weighted net sentiment on -100..100.

    ``weight_by_label`` maps ``positive``/``neutral``/``negative`` to the summed reach weight
    (``max(reach, 1)`` per mention) of mentions with that label; other keys (unscored) are
    ignored. ``100 * (P - N) / (P + U + N)``. ``None`` when no scored mention has any weight.
    """
    positive = weight_by_label.get("positive", 0) or 0
    negative = weight_by_label.get("negative", 0) or 0
    total = positive + negative + (weight_by_label.get("neutral", 0) or 0)
    if total <= 0:
        return None
    return 100.0 * (positive - negative) / total


def net_sentiment(count_by_label: Mapping[str, int]) -> float | None:
    """Net sentiment score on -100..100: ``100 * (positive - negative) / scored mentions``.

    Unweighted (every mention counts once). ``None`` when nothing is scored.
    """
    return reputation_index(count_by_label)


def change(current: float | None, previous: float | None) -> float | None:
    """``current - previous`` (points), or ``None`` when either is missing."""
    if current is None or previous is None:
        return None
    return current - previous


def growth(current: float, previous: float) -> float | None:
    """Relative change ``(current - previous) / previous`` (0.25 for a quarter more); ``None``
    when ``previous`` is zero (nothing to grow from)."""
    if not previous:
        return None
    return (current - previous) / previous


def share_of_voice(volume_by_org: Mapping[int, float], organisation_id: int) -> float | None:
    """The organisation's share of all volume, 0..1; ``None`` when there is no volume at all."""
    total = sum(volume_by_org.values())
    if total <= 0:
        return None
    return volume_by_org.get(organisation_id, 0) / total


@dataclass(frozen=True)
class Spike:
    """A day whose volume stands out from the days before it."""

    index: int
    value: float
    baseline: float
    z: float


def spikes(
    values: Sequence[float], *, window: int = 14, threshold: float = 3.0, min_value: float = 5
) -> list[Spike]:
    """Days whose value is ``threshold`` or more standard deviations above the mean of the
    ``window`` days before them (rolling z-score).

    Only points with a full window and at least ``min_value`` count; a flat window (standard
    deviation 0) uses a deviation of 1 so a jump from a constant baseline still counts. An empty
    or short sequence has no spikes.
    """
    found: list[Spike] = []
    for i in range(window, len(values)):
        history = values[i - window : i]
        mean = sum(history) / window
        std = math.sqrt(sum((v - mean) ** 2 for v in history) / window) or 1.0
        z = (values[i] - mean) / std
        if z >= threshold and values[i] >= min_value:
            found.append(Spike(index=i, value=values[i], baseline=mean, z=z))
    return found


def per_post(total: float, posts: int) -> float | None:
    """``total / posts``, ``None`` when there are no posts."""
    return total / posts if posts else None
