"""Read SQL of the dashboard pages.

Aggregates come from ``mention_daily`` (one row per WIB day, organisation, platform, label and
own-account flag, kept current by triggers), so they cost the same on a thousand or a million
mentions. Lists of mentions come from ``mentions`` through its indexes, always with a LIMIT.
Times in results are stored UTC ISO 8601 strings; days are Asia/Jakarta local dates.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlite_utils import Database

from citra.errors import CitraError
from citra.filters import Filters

LABELS: tuple[str, ...] = ("positive", "neutral", "negative")
SORTS: dict[str, str] = {
    "published_at": "m.published_at",
    "reach": "m.reach",
    "sentiment": "m.sentiment_compound",
}
LIST_COLUMNS = (
    "m.seq, m.published_at, m.platform, m.source, m.title, m.text, m.author, m.url, m.reach, "
    "m.sentiment_label, m.sentiment_compound, m.risk, m.organisation_id, o.name AS organisation"
)


class SearchSyntaxError(CitraError):
    """A full-text query SQLite could not parse; the message says how to write one."""


def _in(column: str, values: tuple[Any, ...], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join('?' for _ in values)})"


def _daily_where(f: Filters, *, organisation: bool = True) -> tuple[str, list[Any]]:
    clauses = ["day BETWEEN ? AND ?"]
    params: list[Any] = [f.first_day, f.last_day]
    if f.platforms:
        clauses.append(_in("platform", f.platforms, params))
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
    """
    where, params = _daily_where(f)
    if is_own is not None:
        where += " AND is_own = ?"
        params.append(is_own)
    rows = db.execute(
        "SELECT sentiment_label, sum(mentions), sum(reach), sum(engagement), sum(risk), "
        f"sum(weight) FROM mention_daily WHERE {where} GROUP BY sentiment_label",
        params,
    ).fetchall()
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
    share of voice is about what others say). Empty: ``{}``."""
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


def _mention_where(f: Filters, params: list[Any]) -> list[str]:
    clauses = ["m.published_at >= ?", "m.published_at < ?"]
    params += [f.start, f.end]
    if f.platforms:
        clauses.append(_in("m.platform", f.platforms, params))
    if f.organisation_id is not None:
        clauses.append("m.organisation_id = ?")
        params.append(f.organisation_id)
    return clauses


def _records(db: Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in db.query(sql, params)]


def top_mentions(db: Database, f: Filters, label: str, limit: int = 3) -> list[dict[str, Any]]:
    """The ``limit`` mentions with the largest reach among those labelled ``label`` in the
    period, own-account posts left out. Empty: ``[]``."""
    params: list[Any] = []
    clauses = _mention_where(f, params)
    clauses += ["m.sentiment_label = ?", "m.is_own = 0"]
    params += [label, limit]
    return _records(
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
    clauses = [*_mention_where(f, params), "m.risk != 0"]
    params.append(limit)
    return _records(
        db,
        f"SELECT {LIST_COLUMNS} FROM mentions m LEFT JOIN organisations o "
        f"ON o.id = m.organisation_id WHERE {' AND '.join(clauses)} "
        "ORDER BY m.published_at DESC LIMIT ?",
        params,
    )


@dataclass(frozen=True)
class MentionQuery:
    """What the Mentions table asks for: the shared filters plus its own.

    ``text`` is an FTS5 query (words, ``"exact phrases"``, ``prefix*``, ``OR``, ``NOT``);
    ``labels`` and ``sources`` empty mean all; ``page`` counts from 0.
    """

    filters: Filters
    text: str = ""
    labels: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    risk_only: bool = False
    tag_id: int | None = None
    sort: str = "published_at"
    descending: bool = True
    page: int = 0
    page_size: int = 50


def _search_where(q: MentionQuery, params: list[Any]) -> str:
    clauses = _mention_where(q.filters, params)
    if q.text.strip():
        clauses.append("m.seq IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)")
        params.append(q.text.strip())
    if q.labels:
        clauses.append(_in("m.sentiment_label", q.labels, params))
    if q.sources:
        clauses.append(_in("m.source", q.sources, params))
    if q.risk_only:
        clauses.append("m.risk != 0")
    if q.tag_id is not None:
        clauses.append("m.seq IN (SELECT mention_seq FROM mention_tags WHERE tag_id = ?)")
        params.append(q.tag_id)
    return " AND ".join(clauses)


def _run_search(db: Database, sql: str, params: list[Any], text: str) -> list[Any]:
    try:
        return db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        # FTS5 reports a bad query in several words ("fts5: syntax error", "unterminated
        # string", "no such column" for a stray colon); anything but a storage problem is one.
        problem = str(exc).lower()
        if text.strip() and not any(w in problem for w in ("locked", "no such table", "disk")):
            raise SearchSyntaxError(
                f"Citra could not read the search '{text}'. Use plain words, \"an exact "
                'phrase" in double quotes, or a prefix with a star (bayar*); put quotes around '
                "words with punctuation."
            ) from exc
        raise


def search_mentions(db: Database, q: MentionQuery) -> tuple[pd.DataFrame, int]:
    """One page of mentions matching ``q`` and the total number that match.

    Sorted by ``q.sort`` (a key of :data:`SORTS`; unknown falls back to newest first), then by
    ``seq`` so pages never overlap. Raises :class:`SearchSyntaxError` for a malformed ``text``.
    Empty: an empty frame and 0.
    """
    params: list[Any] = []
    where = _search_where(q, params)
    total = _run_search(db, f"SELECT count(*) FROM mentions m WHERE {where}", params, q.text)[0][0]
    order = SORTS.get(q.sort, SORTS["published_at"])
    direction = "DESC" if q.descending else "ASC"
    page_params = [*params, q.page_size, max(q.page, 0) * q.page_size]
    rows = _run_search(
        db,
        f"SELECT {LIST_COLUMNS} FROM mentions m LEFT JOIN organisations o "
        f"ON o.id = m.organisation_id WHERE {where} "
        f"ORDER BY {order} {direction}, m.seq {direction} LIMIT ? OFFSET ?",
        page_params,
        q.text,
    )
    columns = [c.strip().split(" AS ")[-1].removeprefix("m.") for c in LIST_COLUMNS.split(",")]
    return pd.DataFrame(rows, columns=columns), int(total)


def mention_detail(db: Database, seq: int) -> dict[str, Any] | None:
    """Every stored field of one mention plus ``organisation`` and ``tags`` (a list of names);
    ``None`` when there is no such mention."""
    rows = _records(
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


def list_tags(db: Database) -> list[tuple[int, str]]:
    """Every tag as ``(id, name)``, by name. Empty: ``[]``."""
    return [(int(r[0]), r[1]) for r in db.execute("SELECT id, name FROM tags ORDER BY name")]


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
    clauses = [*_mention_where(f, params), "m.is_own = 0"]
    params.append(limit)
    return [
        (f"{r[0] or ''} {r[1] or ''}".strip(), r[2] or "none")
        for r in db.execute(
            f"SELECT m.title, m.text, m.sentiment_label FROM mentions m WHERE {' AND '.join(clauses)} "
            "ORDER BY m.published_at DESC LIMIT ?",
            params,
        )
    ]


def has_demo_data(db: Database) -> bool:
    """Whether any demo row (mention or organisation) is stored."""
    return bool(
        db.execute(
            "SELECT EXISTS (SELECT 1 FROM mentions WHERE is_demo = 1) "
            "OR EXISTS (SELECT 1 FROM organisations WHERE is_demo = 1)"
        ).fetchone()[0]
    )


def mention_day_range(db: Database) -> tuple[str | None, str | None]:
    """First and last local day with mentions (``(None, None)`` when there are none)."""
    row = db.execute("SELECT min(day), max(day) FROM mention_daily").fetchone()
    return row[0], row[1]


def has_mentions(db: Database) -> bool:
    """Whether any mention is stored."""
    return bool(db.execute("SELECT EXISTS (SELECT 1 FROM mentions)").fetchone()[0])
