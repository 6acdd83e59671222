"""Reading what the monthly report and the drivers of a change need, beyond the Overview's
aggregates: one row per scored mention for the decomposition, totals per source and platform,
a wide daily table, and the period's mentions streamed in batches for the files.

Like every query module, it only reads. Own-account posts are left out everywhere (the report is
about what others say; the Presence page covers the coop's own posts). Times in results are the
stored UTC ISO 8601 strings; days are local (WIB) days of the daily rollup.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import pandas as pd
from sqlite_utils import Database

from citra.filters import Filters
from citra.queries import records
from citra.queries.mentions import _daily_where, mention_where

# Scored mentions of the organisation, own posts left out: what the reputation index counts.
_SCORED = "m.is_own = 0 AND m.sentiment_label IS NOT NULL AND m.published_at IS NOT NULL"


def driver_rows(db: Database, f: Filters) -> pd.DataFrame:
    """One row per scored mention in the period (own posts left out), the input of
    ``citra.reports.drivers``: ``seq, published_at, platform, source, story, title, text, url,
    reach, weight, label, risk``.

    ``story`` is the syndication group (``story_id``, else the mention's own id); ``weight`` is
    the reach weight ``max(reach, 1)`` the index uses. Empty period: no rows (same columns).
    """
    params: list[Any] = []
    clauses = [*mention_where(f, params), _SCORED]
    return pd.read_sql_query(
        "SELECT m.seq, m.published_at, m.platform, coalesce(m.source, '') AS source, "
        "coalesce(m.story_id, m.id) AS story, m.title, m.text, m.url, "
        "coalesce(m.reach, 0) AS reach, max(coalesce(m.reach, 0), 1) AS weight, "
        "m.sentiment_label AS label, m.risk "
        f"FROM mentions m WHERE {' AND '.join(clauses)}",
        db.conn,
        params=params,
    )


def platform_totals(db: Database, f: Filters) -> pd.DataFrame:
    """Per platform (own posts left out): ``platform, mentions, reach, positive, neutral,
    negative, pos_weight, neu_weight, neg_weight, risk``, most mentions first. From the daily
    rollup. Empty: no rows."""
    where, params = _daily_where(f)
    return pd.read_sql_query(
        "SELECT platform, sum(mentions) AS mentions, sum(reach) AS reach, "
        + _label_sums("mentions")
        + ", "
        + _label_sums("weight", "_weight")
        + ", sum(risk) AS risk "
        f"FROM mention_daily WHERE {where} AND is_own = 0 GROUP BY platform "
        "ORDER BY mentions DESC, platform",
        db.conn,
        params=params,
    )


def source_totals(db: Database, f: Filters, limit: int = 200) -> pd.DataFrame:
    """Per source (outlet, page or account; own posts left out): ``source, platform`` (the
    source's most frequent platform), ``mentions, reach, positive, neutral, negative,
    pos_weight, neu_weight, neg_weight, risk``, most mentions first, at most ``limit`` rows.
    Mentions without a source are grouped under ``""``. Empty: no rows."""
    params: list[Any] = []
    clauses = [*mention_where(f, params), "m.is_own = 0"]
    params.append(limit)
    weight = "max(coalesce(m.reach, 0), 1)"
    return pd.read_sql_query(
        "SELECT coalesce(m.source, '') AS source, max(m.platform) AS platform, "
        "count(*) AS mentions, sum(coalesce(m.reach, 0)) AS reach, "
        "sum(m.sentiment_label = 'positive') AS positive, "
        "sum(m.sentiment_label = 'neutral') AS neutral, "
        "sum(m.sentiment_label = 'negative') AS negative, "
        f"sum(CASE WHEN m.sentiment_label = 'positive' THEN {weight} ELSE 0 END) AS pos_weight, "
        f"sum(CASE WHEN m.sentiment_label = 'neutral' THEN {weight} ELSE 0 END) AS neu_weight, "
        f"sum(CASE WHEN m.sentiment_label = 'negative' THEN {weight} ELSE 0 END) AS neg_weight, "
        "sum(m.risk != 0) AS risk "
        f"FROM mentions m WHERE {' AND '.join(clauses)} GROUP BY 1 "
        "ORDER BY mentions DESC, source LIMIT ?",
        db.conn,
        params=params,
    )


def daily_totals(db: Database, f: Filters) -> pd.DataFrame:
    """One row per local day with mentions of the organisation (own posts left out): ``day,
    mentions, positive, neutral, negative, reach, pos_weight, neu_weight, neg_weight, risk``,
    plus ``all_mentions``: the attributed mentions of every organisation that day (the share of
    voice's denominator). Days without mentions are absent. Empty: no rows."""
    where, params = _daily_where(f)
    everyone, everyone_params = _daily_where(f, organisation=False)
    return pd.read_sql_query(
        "WITH own AS (SELECT day, sum(mentions) AS mentions, "
        + _label_sums("mentions")
        + ", sum(reach) AS reach, "
        + _label_sums("weight", "_weight")
        + ", sum(risk) AS risk "
        f"FROM mention_daily WHERE {where} AND is_own = 0 GROUP BY day), "
        "everyone AS (SELECT day, sum(mentions) AS all_mentions FROM mention_daily "
        f"WHERE {everyone} AND is_own = 0 AND organisation_id != 0 GROUP BY day) "
        "SELECT own.*, coalesce(everyone.all_mentions, 0) AS all_mentions "
        "FROM own LEFT JOIN everyone USING (day) ORDER BY day",
        db.conn,
        params=[*params, *everyone_params],
    )


def _label_sums(measure: str, suffix: str = "") -> str:
    short = {"positive": "pos", "neutral": "neu", "negative": "neg"}
    return ", ".join(
        f"sum(CASE WHEN sentiment_label = '{label}' THEN {measure} ELSE 0 END) AS "
        + (f"{short[label]}{suffix}" if suffix else label)
        for label in short
    )


def risk_mentions(db: Database, f: Filters, limit: int = 500) -> list[dict[str, Any]]:
    """The period's risk-flagged mentions (own posts left out), oldest first, at most
    ``limit``: ``seq, published_at, platform, source, title, text, url, reach, label``. Empty:
    ``[]``."""
    params: list[Any] = []
    clauses = [*mention_where(f, params), "m.is_own = 0", "m.risk != 0"]
    params.append(limit)
    return records(
        db,
        "SELECT m.seq, m.published_at, m.platform, m.source, m.title, m.text, m.url, "
        "coalesce(m.reach, 0) AS reach, m.sentiment_label AS label "
        f"FROM mentions m WHERE {' AND '.join(clauses)} ORDER BY m.published_at, m.seq LIMIT ?",
        params,
    )


class ReportMention(NamedTuple):
    """One mention as the report lists it (see :func:`iter_mentions`)."""

    seq: int
    published_at: str | None
    platform: str | None
    source: str | None
    organisation: str | None
    title: str | None
    text: str | None
    author: str | None
    url: str | None
    reach: float | None
    engagement: int
    label: str | None
    compound: float | None
    risk: int | None
    story: str | None


def count_mentions(db: Database, f: Filters) -> int:
    """How many mentions :func:`iter_mentions` yields for ``f``."""
    params: list[Any] = []
    clauses = [*mention_where(f, params), "m.is_own = 0"]
    return int(
        db.execute(
            f"SELECT count(*) FROM mentions m WHERE {' AND '.join(clauses)}", params
        ).fetchone()[0]
    )


def iter_mentions(db: Database, f: Filters, batch: int = 5000) -> Iterator[ReportMention]:
    """The period's mentions (own posts left out), oldest first, as :class:`ReportMention`; read in batches of ``batch`` rows so a month of a hundred thousand
    mentions never sits in memory at once. ``engagement`` is likes + comments + shares;
    ``story`` is the syndication group of a news article copied by several outlets, else
    ``None``."""
    params: list[Any] = []
    clauses = [*mention_where(f, params), "m.is_own = 0"]
    cursor = db.execute(
        "SELECT m.seq, m.published_at, m.platform, m.source, o.name, m.title, m.text, m.author, "
        "m.url, m.reach, coalesce(m.likes, 0) + coalesce(m.comments, 0) + coalesce(m.shares, 0), "
        "m.sentiment_label, m.sentiment_compound, m.risk, m.story_id "
        "FROM mentions m LEFT JOIN organisations o ON o.id = m.organisation_id "
        f"WHERE {' AND '.join(clauses)} ORDER BY m.published_at, m.seq",
        params,
    )
    while rows := cursor.fetchmany(batch):
        yield from (ReportMention(*row) for row in rows)
