"""The coop's digital presence: which channels it has, and where its own accounts went quiet.

Pure rules over the profile and the own-account activity that ``citra.queries.presence`` reads.
A posting channel is *quiet* when its last own post is more than :data:`QUIET_DAYS` days before
the end of the period; a month with no own post on a platform that posted before is a *silent
month*. The Digital presence page and the report say these in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from citra.profile import Organisation

CHANNELS = ("website", "email", "x", "facebook", "instagram", "tiktok", "youtube", "whatsapp")
POSTING = ("x", "facebook", "instagram", "tiktok", "youtube")  # channels with posts to count
QUIET_DAYS = 30


@dataclass(frozen=True)
class Channel:
    """One channel's state: ``status`` is ``missing`` (not in the profile), ``no_posts`` (a
    posting channel with no own post imported), ``quiet``, ``active`` or ``listed`` (a channel
    without posts to count, such as the website)."""

    channel: str
    address: str | None
    last_post: str | None  # local day, YYYY-MM-DD
    status: str

    @property
    def is_gap(self) -> bool:
        return self.status in {"missing", "no_posts", "quiet"}


def channels(coop: Organisation, last_posts: dict[str, str], last_day: date) -> list[Channel]:
    """Every channel of :data:`CHANNELS` with its state on ``last_day``. ``last_posts`` maps a
    platform to the local day of its latest own post."""
    present = {"website": coop.website} | {k: v for k, v in coop.accounts.items() if v}
    found = []
    for channel in CHANNELS:
        address = present.get(channel) or None
        last = last_posts.get(channel)
        if not address:
            status = "missing"
        elif channel in POSTING and last is None:
            status = "no_posts"
        elif channel in POSTING and (last_day - date.fromisoformat(last)).days > QUIET_DAYS:
            status = "quiet"
        else:
            status = "active" if channel in POSTING else "listed"
        found.append(Channel(channel, address, last, status))
    return found


def silent_months(monthly: pd.DataFrame, first_day: date, last_day: date) -> dict[str, list[str]]:
    """Per platform, the complete months (``YYYY-MM``) between its first own post in the window
    and ``last_day`` with no own post (the month ``last_day`` is in counts once it is over). ``monthly`` has ``month`` and ``platform`` columns (as
    ``citra.queries.presence.own_monthly_activity`` returns). Platforms with none are left out."""
    if monthly.empty:
        return {}
    months = list(pd.period_range(first_day, last_day, freq="M").strftime("%Y-%m"))
    if (last_day + timedelta(days=1)).month == last_day.month:
        months = months[:-1]  # the month still running is no gap yet (1 December: not "no post")
    found: dict[str, list[str]] = {}
    for platform, part in monthly.groupby("platform"):
        posted = set(part["month"])
        start = part["month"].min()
        silent = [m for m in months if m not in posted and m >= start]
        if silent:
            found[str(platform)] = silent
    return found
