"""Reading the coop's own accounts' activity (the Digital presence page), from the daily rollup."""

from __future__ import annotations

import pandas as pd
from sqlite_utils import Database


def own_monthly_activity(
    db: Database, organisation_id: int, first_day: str, last_day: str
) -> pd.DataFrame:
    """Own-account posts (``is_own = 1``) of an organisation per local month and platform:
    ``month`` (``YYYY-MM``), ``platform``, ``posts``, ``engagement``, ``reach``. Empty: no rows."""
    return pd.read_sql_query(
        "SELECT substr(day, 1, 7) AS month, platform, sum(mentions) AS posts, "
        "sum(engagement) AS engagement, sum(reach) AS reach FROM mention_daily "
        "WHERE organisation_id = ? AND is_own = 1 AND day BETWEEN ? AND ? "
        "GROUP BY month, platform ORDER BY month, platform",
        db.conn,
        params=[organisation_id, first_day, last_day],
    )


def last_own_post(db: Database, organisation_id: int) -> dict[str, str]:
    """The local day of the latest own-account post per platform (``{}`` when none)."""
    rows = db.execute(
        "SELECT platform, max(day) FROM mention_daily WHERE organisation_id = ? AND is_own = 1 "
        "GROUP BY platform",
        [organisation_id],
    ).fetchall()
    return {r[0]: r[1] for r in rows}
