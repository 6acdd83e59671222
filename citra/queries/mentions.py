"""Reading mentions: aggregates from the daily rollup, and bounded lists of mentions.

Aggregates come from ``mention_daily`` (one row per WIB day, organisation, platform, label and
own-account flag, kept current by triggers), so they cost the same on a thousand or a million
mentions. Lists of mentions come from ``mentions`` through its indexes, always with a LIMIT.
Times in results are stored UTC ISO 8601 strings; days are Asia/Jakarta local dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlite_utils import Database

from citra.filters import Filters
from citra.queries import records

LABELS: tuple[str, ...] = ("positive", "neutral", "negative")
LIST_COLUMNS = (
    "m.seq, m.published_at, m.platform, m.source, m.title, m.text, m.author, m.url, m.reach, "
    "m.sentiment_label, m.sentiment_compound, m.risk, m.organisation_id, o.name AS organisation"
)


def in_list(column: str, values: tuple[Any, ...], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join('?' for _ in values)})"


def _daily_where(f: Filters, *, organisation: bool = True) -> tuple[str, list[Any]]:
    clauses = ["day BETWEEN ? AND ?"]
    params: list[Any] = [f.first_day, f.last_day]
    if f.platforms:
        clauses.append(in_list("platform", f.platforms, params))
    if organisation and f.organisation_id is not None:
        clauses.append("organisation_id = ?")
        params.append(f.organisation_id)
    return " AND ".join(clauses), params


@dataclass(frozen=True)
class Summary:
    """Totals of one period: mentions, reach, engagement, risk flags, and per sentiment label
    the count and the reach weight (``max(reach, 1)`` summed)."""

    mentions: int = 0
    reach: int = 0
    engagement: int = 0
    risk: int = 0
    count_by_label: dict[str, int] = field(default_factory=dict)
    weight_by_label: dict[str, int] = field(default_factory=dict)


def summary(db: Database, f: Filters, *, is_own: int | None = None) -> Summary:
    """Totals for the filters (all organisations when ``f.organisation_id`` is ``None``).

    ``is_own`` restricts to own-account posts (1) or to everything else (0). Empty: zeros.
    A span of hours (``f.hours``) is counted on the mentions themselves, to the minute (the
    rollup knows whole days only); the sums are the rollup's.
    """
    if f.hours:
        params: list[Any] = []
        clauses = mention_where(f, params)
        if is_own is not None:
            clauses.append("m.is_own = ?")
            params.append(is_own)
        rows = db.execute(
            "SELECT coalesce(m.sentiment_label, 'none'), count(*), sum(coalesce(m.reach, 0)), "
            "sum(coalesce(m.likes, 0) + coalesce(m.comments, 0) + coalesce(m.shares, 0)), "
            "sum(m.risk != 0), sum(max(coalesce(m.reach, 0), 1)) FROM mentions m "
            f"WHERE {' AND '.join(clauses)} GROUP BY 1",
            params,
        ).fetchall()
        return _summary(rows)
    where, params = _daily_where(f)
    if is_own is not None:
        where += " AND is_own = ?"
        params.append(is_own)
    rows = db.execute(
        "SELECT sentiment_label, sum(mentions), sum(reach), sum(engagement), sum(risk), "
        f"sum(weight) FROM mention_daily WHERE {where} GROUP BY sentiment_label",
        params,
    ).fetchall()
    return _summary(rows)


def _summary(rows: list[Any]) -> Summary:
    return Summary(
        mentions=sum(r[1] for r in rows),
        reach=sum(r[2] for r in rows),
        engagement=sum(r[3] for r in rows),
        risk=sum(r[4] for r in rows),
        count_by_label={r[0]: r[1] for r in rows},
        weight_by_label={r[0]: r[5] for r in rows},
    )


def volume_by_organisation(db: Database, f: Filters) -> dict[int, int]:
    """Mentions per organisation id in the period (every organisation, whatever
    ``f.organisation_id`` says; unattributed mentions, id 0, and own-account posts left out:
    share of voice is about what others say). A span of hours is counted on the mentions, to
    the minute. Empty: ``{}``."""
    if f.hours:
        params: list[Any] = []
        clauses = mention_where(f.with_organisation(None), params)
        rows = db.execute(
            "SELECT m.organisation_id, count(*) FROM mentions m WHERE "
            f"{' AND '.join(clauses)} AND m.organisation_id IS NOT NULL "
            "AND m.organisation_id != 0 AND m.is_own = 0 GROUP BY 1",
            params,
        ).fetchall()
        return {int(r[0]): int(r[1]) for r in rows}
    where, params = _daily_where(f, organisation=False)
    rows = db.execute(
        f"SELECT organisation_id, sum(mentions) FROM mention_daily WHERE {where} "
        "AND organisation_id != 0 AND is_own = 0 GROUP BY organisation_id",
        params,
    ).fetchall()
    return {int(r[0]): int(r[1]) for r in rows}


def daily_by_label(db: Database, f: Filters) -> pd.DataFrame:
    """One row per local day and sentiment label: ``day, label, mentions, risk, weight``.

    Days without mentions are absent (the chart builder fills them). Empty: no rows.
    """
    where, params = _daily_where(f)
    return pd.read_sql_query(
        "SELECT day, sentiment_label AS label, sum(mentions) AS mentions, sum(risk) AS risk, "
        f"sum(weight) AS weight FROM mention_daily WHERE {where} GROUP BY day, sentiment_label "
        "ORDER BY day",
        db.conn,
        params=params,
    )


def daily_by_organisation(db: Database, f: Filters) -> pd.DataFrame:
    """One row per local day and organisation (attributed mentions, own posts left out): ``day,
    organisation_id, organisation, mentions, positive, negative, neutral, weight, pos_weight,
    neg_weight``. Ignores ``f.organisation_id``. Empty: no rows."""
    where, params = _daily_where(f, organisation=False)
    return pd.read_sql_query(
        "SELECT d.day, d.organisation_id, o.name AS organisation, sum(d.mentions) AS mentions, "
        "sum(CASE WHEN d.sentiment_label = 'positive' THEN d.mentions ELSE 0 END) AS positive, "
        "sum(CASE WHEN d.sentiment_label = 'negative' THEN d.mentions ELSE 0 END) AS negative, "
        "sum(CASE WHEN d.sentiment_label = 'neutral' THEN d.mentions ELSE 0 END) AS neutral, "
        "sum(CASE WHEN d.sentiment_label = 'positive' THEN d.weight ELSE 0 END) AS pos_weight, "
        "sum(CASE WHEN d.sentiment_label = 'negative' THEN d.weight ELSE 0 END) AS neg_weight, "
        "sum(CASE WHEN d.sentiment_label = 'neutral' THEN d.weight ELSE 0 END) AS neu_weight "
        f"FROM mention_daily d JOIN organisations o ON o.id = d.organisation_id WHERE {where} "
        "AND d.is_own = 0 GROUP BY d.day, d.organisation_id ORDER BY d.day",
        db.conn,
        params=params,
    )


def mention_where(f: Filters, params: list[Any]) -> list[str]:
    clauses = ["m.published_at >= ?", "m.published_at < ?"]
    params += [f.start, f.end]
    if f.platforms:
        clauses.append(in_list("m.platform", f.platforms, params))
    if f.organisation_id is not None:
        clauses.append("m.organisation_id = ?")
        params.append(f.organisation_id)
    return clauses


def top_mentions(db: Database, f: Filters, label: str, limit: int = 3) -> list[dict[str, Any]]:
    """The ``limit`` mentions with the largest reach among those labelled ``label`` in the
    period, own-account posts left out. Empty: ``[]``."""
    params: list[Any] = []
    clauses = mention_where(f, params)
    clauses += ["m.sentiment_label = ?", "m.is_own = 0"]
    params += [label, limit]
    return records(
        db,
        f"SELECT {LIST_COLUMNS} FROM mentions m LEFT JOIN organisations o "
        f"ON o.id = m.organisation_id WHERE {' AND '.join(clauses)} "
        "ORDER BY coalesce(m.reach, 0) DESC, abs(coalesce(m.sentiment_compound, 0)) DESC "
        "LIMIT ?",
        params,
    )


def newest_risk_mentions(db: Database, f: Filters, limit: int = 5) -> list[dict[str, Any]]:
    """The newest risk-flagged mentions in the period, newest first. Empty: ``[]``."""
    params: list[Any] = []
    clauses = [*mention_where(f, params), "m.risk != 0"]
    params.append(limit)
    return records(
        db,
        f"SELECT {LIST_COLUMNS} FROM mentions m LEFT JOIN organisations o "
        f"ON o.id = m.organisation_id WHERE {' AND '.join(clauses)} "
        "ORDER BY m.published_at DESC LIMIT ?",
        params,
    )


def mention_detail(db: Database, seq: int) -> dict[str, Any] | None:
    """Every stored field of one mention plus ``organisation`` and ``tags`` (a list of names);
    ``None`` when there is no such mention."""
    rows = records(
        db,
        "SELECT m.*, o.name AS organisation FROM mentions m LEFT JOIN organisations o "
        "ON o.id = m.organisation_id WHERE m.seq = ?",
        [seq],
    )
    if not rows:
        return None
    detail = rows[0]
    detail["tags"] = [
        r[0]
        for r in db.execute(
            "SELECT t.name FROM mention_tags mt JOIN tags t ON t.id = mt.tag_id "
            "WHERE mt.mention_seq = ? ORDER BY t.name",
            [seq],
        ).fetchall()
    ]
    return detail


def list_sources(db: Database, limit: int = 500) -> list[str]:
    """Distinct mention sources (outlet, page or account name), alphabetically, at most
    ``limit``. Empty: ``[]``."""
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT source FROM mentions WHERE source IS NOT NULL ORDER BY source LIMIT ?",
            [limit],
        )
    ]


def text_sample(db: Database, f: Filters, limit: int = 4000) -> list[tuple[str, str]]:
    """Up to ``limit`` newest ``(title + text, sentiment label)`` pairs of the period, own posts
    left out: the bounded sample the Topics page counts terms in. Empty: ``[]``."""
    params: list[Any] = []
    clauses = [*mention_where(f, params), "m.is_own = 0"]
    params.append(limit)
    return [
        (f"{r[0] or ''} {r[1] or ''}".strip(), r[2] or "none")
        for r in db.execute(
            f"SELECT m.title, m.text, m.sentiment_label FROM mentions m WHERE {' AND '.join(clauses)} "
            "ORDER BY m.published_at DESC LIMIT ?",
            params,
        )
    ]


def mention_day_range(db: Database) -> tuple[str | None, str | None]:
    """First and last local day with mentions (``(None, None)`` when there are none)."""
    row = db.execute("SELECT min(day), max(day) FROM mention_daily").fetchone()
    return row[0], row[1]


def has_mentions(db: Database) -> bool:
    """Whether any mention is stored."""
    return bool(db.execute("SELECT EXISTS (SELECT 1 FROM mentions)").fetchone()[0])


# Mentions whose organisation comes from matching their text: no organisation yet, or attributed
# by a file import (search feeds attribute by the feed, own-account posts are the coop's).
_REMATCH = (
    "is_own = 0 AND (organisation_id IS NULL "
    "OR import_id IN (SELECT id FROM imports WHERE kind = 'file'))"
)


def count_rematch_candidates(db: Database) -> int:
    """How many mentions :func:`citra.pipeline.rematch` looks at."""
    return int(db.execute(f"SELECT count(*) FROM mentions WHERE {_REMATCH}").fetchone()[0])


def rematch_candidates(
    db: Database, *, after_seq: int = 0, limit: int = 2000
) -> list[tuple[int, int | None, str | None, str | None]]:
    """The next ``limit`` candidates for matching again, after ``after_seq``, by ``seq``:
    ``(seq, organisation_id, title, text)``. Empty: ``[]``."""
    return [
        (int(r[0]), r[1], r[2], r[3])
        for r in db.execute(
            f"SELECT seq, organisation_id, title, text FROM mentions WHERE seq > ? AND {_REMATCH} "
            "ORDER BY seq LIMIT ?",
            [after_seq, limit],
        )
    ]


def count_unattributed(db: Database) -> int:
    """How many stored mentions belong to no organisation."""
    return int(
        db.execute("SELECT count(*) FROM mentions WHERE organisation_id IS NULL").fetchone()[0]
    )
