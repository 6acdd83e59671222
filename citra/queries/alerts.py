"""Reading alerts, what the rules look at, channels and deliveries.

Times are UTC ISO 8601 strings with a trailing ``Z`` (as stored); functions that take a moment
take an aware datetime. Demo mentions and own-account posts never feed a rule: alerts are about
what others say of a real coop.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from citra.alerts.rules import RuleSettings
from citra.queries import records
from citra.queries.settings import get_setting

SETTING = "alerts"


def iso(moment: datetime) -> str:
    """An aware datetime as stored: ``2026-11-23T05:00:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rule_settings(db: Database) -> RuleSettings:
    """The installation's rule thresholds (defaults where nothing is stored)."""
    return RuleSettings.from_dict(get_setting(db, SETTING))


# --- what the rules read ---------------------------------------------------------------------

_RULE_MENTIONS = "m.is_own = 0 AND m.is_demo = 0"


def negative_windows(db: Database, organisation_id: int, now: datetime, days: int) -> list[int]:
    """Negative mentions of an organisation per 24-hour window back from ``now``: element 0 is
    the last 24 hours, element ``i`` the 24 hours ending ``i`` days before ``now``; ``days + 1``
    elements, zeros where there were none."""
    start = now - timedelta(days=days + 1)
    rows = db.execute(
        "SELECT CAST(julianday(?) - julianday(m.published_at) AS INTEGER) AS age, count(*) "
        "FROM mentions m WHERE m.organisation_id = ? AND m.published_at > ? "
        f"AND m.published_at <= ? AND m.sentiment_label = 'negative' AND {_RULE_MENTIONS} "
        "GROUP BY age",
        [iso(now), organisation_id, iso(start), iso(now)],
    ).fetchall()
    counts = [0] * (days + 1)
    for age, n in rows:
        if 0 <= age <= days:
            counts[int(age)] += int(n)
    return counts


def history_days(db: Database, organisation_id: int, now: datetime) -> int:
    """Whole days between an organisation's first stored mention (of any kind: one index
    lookup) and ``now``; 0 when it has none."""
    first = db.execute(
        "SELECT min(published_at) FROM mentions WHERE organisation_id = ?", [organisation_id]
    ).fetchone()[0]
    if not first:
        return 0
    from citra.formatting import parse_utc

    started = parse_utc(first)
    assert started is not None
    return max((now - started).days, 0)


def _has_column(db: Database, table: str, column: str) -> bool:
    return any(row[1] == column for row in db.execute(f"PRAGMA table_info({table})"))


def unquoted_mentions(
    db: Database,
    rule: str,
    organisation_id: int,
    since: datetime,
    until: datetime,
    *,
    risk: bool = False,
    negative: bool = False,
    min_reach: int | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Mentions of an organisation published in ``(since, until]`` that no alert of ``rule``
    quotes yet, oldest first, at most ``limit``: ``id, title, text, source, platform, url,
    published_at, sentiment_label, sentiment_compound, reach, story_id, risk, risk_category``.

    ``risk``: only risk-flagged ones; ``negative``: only negative ones; ``min_reach``: only those
    with at least that reach. ``risk_category`` comes from a ``mentions.risk_category`` column
    when the schema has one, else it is ``None`` (see ``citra.alerts.rules.risk_categories``).
    """
    category = "m.risk_category" if _has_column(db, "mentions", "risk_category") else "NULL"
    clauses = [
        "m.organisation_id = ?",
        "m.published_at > ?",
        "m.published_at <= ?",
        _RULE_MENTIONS,
        "NOT EXISTS (SELECT 1 FROM alert_mentions am JOIN alerts a ON a.id = am.alert_id "
        "WHERE am.mention_id = m.id AND a.rule = ?)",
    ]
    params: list[Any] = [organisation_id, iso(since), iso(until), rule]
    if risk:
        clauses.append("m.risk != 0")
    if negative:
        clauses.append("m.sentiment_label = 'negative'")
    if min_reach is not None:
        clauses.append("coalesce(m.reach, 0) >= ?")
        params.append(min_reach)
    params.append(limit)
    return records(
        db,
        "SELECT m.id, m.title, m.text, m.source, m.platform, m.url, m.published_at, "
        "m.sentiment_label, m.sentiment_compound, m.reach, m.story_id, m.risk, "
        f"{category} AS risk_category FROM mentions m WHERE {' AND '.join(clauses)} "
        "ORDER BY m.published_at, m.seq LIMIT ?",
        params,
    )


def worst_negative_mentions(
    db: Database, organisation_id: int, since: datetime, until: datetime, limit: int = 5
) -> list[dict[str, Any]]:
    """The negative mentions of an organisation in ``(since, until]`` with the largest reach
    (then the most negative score): what a spike alert quotes. Empty: ``[]``."""
    return records(
        db,
        "SELECT m.id, m.title, m.text, m.source, m.platform, m.url, m.published_at, "
        "m.sentiment_label, m.sentiment_compound, m.reach, m.story_id, m.risk, "
        "NULL AS risk_category FROM mentions m WHERE m.organisation_id = ? "
        "AND m.published_at > ? AND m.published_at <= ? AND m.sentiment_label = 'negative' "
        f"AND {_RULE_MENTIONS} ORDER BY coalesce(m.reach, 0) DESC, m.sentiment_compound "
        "LIMIT ?",
        [organisation_id, iso(since), iso(until), limit],
    )


def latest_alert_id(db: Database, subject: str) -> int | None:
    """The id of the latest alert with this subject (``None``: it never fired)."""
    row = db.execute(
        "SELECT id FROM alerts WHERE subject = ? ORDER BY fired_at DESC, id DESC LIMIT 1",
        [subject],
    ).fetchone()
    return int(row[0]) if row else None


# --- alerts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotedMention:
    """A mention as an alert quoted it when it fired. ``title`` is the headline, or the start
    of the text for posts without one."""

    mention_id: str
    title: str | None
    source: str | None
    platform: str | None
    url: str | None
    published_at: str | None
    sentiment_label: str | None
    sentiment_compound: float | None
    risk_category: str | None
    reach: int | None

    def as_dict(self) -> dict[str, Any]:
        """The mention in the webhook schema (``docs/alerts.md``)."""
        return {
            "id": self.mention_id,
            "title": self.title,
            "source": self.source,
            "platform": self.platform,
            "url": self.url,
            "published_at": self.published_at,
            "sentiment": self.sentiment_label,
            "sentiment_score": self.sentiment_compound,
            "risk_category": self.risk_category,
            "reach": self.reach,
        }


@dataclass(frozen=True)
class Alert:
    """One fired alert, its quoted mentions and its deliveries (``{status: channels}``)."""

    id: int
    rule: str
    subject: str
    organisation_id: int | None
    organisation: str | None
    details: dict[str, Any]
    fired_at: str
    acknowledged_at: str | None
    acknowledged_by: str | None
    mentions: tuple[QuotedMention, ...] = ()
    deliveries: dict[str, int] = field(default_factory=dict)

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "subject": self.subject,
            "organisation_id": self.organisation_id,
            "organisation": self.organisation,
            "details": dict(self.details),
            "fired_at": self.fired_at,
            "acknowledged_at": self.acknowledged_at,
            "acknowledged_by": self.acknowledged_by,
            "mentions": [m.as_dict() for m in self.mentions],
            "deliveries": dict(self.deliveries),
        }


_MENTION_FIELDS = (
    "mention_id, title, source, platform, url, published_at, sentiment_label, "
    "sentiment_compound, risk_category, reach"
)


def _alerts(db: Database, where: str, params: list[Any], limit: int) -> list[Alert]:
    rows = records(
        db,
        "SELECT id, rule, subject, organisation_id, organisation, details, fired_at, "
        f"acknowledged_at, acknowledged_by FROM alerts WHERE {where} "
        "ORDER BY fired_at DESC, id DESC LIMIT ?",
        [*params, limit],
    )
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    marks = ", ".join("?" for _ in ids)
    quoted: dict[int, list[QuotedMention]] = {}
    for row in records(
        db,
        f"SELECT alert_id, {_MENTION_FIELDS} FROM alert_mentions WHERE alert_id IN ({marks}) "
        "ORDER BY alert_id, position",
        ids,
    ):
        alert_id = row.pop("alert_id")
        quoted.setdefault(alert_id, []).append(QuotedMention(**row))
    deliveries: dict[int, dict[str, int]] = {}
    for alert_id, status, n in db.execute(
        f"SELECT alert_id, status, count(*) FROM alert_deliveries WHERE alert_id IN ({marks}) "
        "GROUP BY alert_id, status",
        ids,
    ):
        deliveries.setdefault(alert_id, {})[status] = n
    return [
        Alert(
            **{**row, "details": json.loads(row["details"] or "{}")},
            mentions=tuple(quoted.get(row["id"], ())),
            deliveries=deliveries.get(row["id"], {}),
        )
        for row in rows
    ]


def list_alerts(db: Database, *, open_only: bool = False, limit: int = 50) -> list[Alert]:
    """The latest alerts, newest first; ``open_only``: those nobody acknowledged. None: ``[]``."""
    where = "acknowledged_at IS NULL" if open_only else "1"
    return _alerts(db, where, [], limit)


def open_alerts(db: Database, limit: int = 20) -> list[Alert]:
    """The alerts nobody acknowledged yet, newest first (what the Overview shows)."""
    return list_alerts(db, open_only=True, limit=limit)


def get_alert(db: Database, alert_id: int) -> Alert | None:
    """One alert by id, ``None`` when there is none."""
    found = _alerts(db, "id = ?", [alert_id], 1)
    return found[0] if found else None


def alerts_between(
    db: Database, start: str, end: str, *, rules: tuple[str, ...] = ()
) -> list[Alert]:
    """Alerts fired in ``[start, end)`` (UTC ISO strings, as ``citra.filters.Filters`` holds),
    newest first; ``rules`` narrows to those rules. A report's risk events. None: ``[]``."""
    where = "fired_at >= ? AND fired_at < ?"
    params: list[Any] = [start, end]
    if rules:
        where += f" AND rule IN ({', '.join('?' for _ in rules)})"
        params.extend(rules)
    return _alerts(db, where, params, 1000)


def alerts_for(db: Database, alert_ids: list[int]) -> list[Alert]:
    """The alerts with these ids, oldest first (what one message carries)."""
    if not alert_ids:
        return []
    marks = ", ".join("?" for _ in alert_ids)
    return sorted(
        _alerts(db, f"id IN ({marks})", list(alert_ids), len(alert_ids)),
        key=lambda a: (a.fired_at, a.id),
    )


# --- channels and deliveries ---------------------------------------------------------------


@dataclass(frozen=True)
class Channel:
    """Where alerts go. ``kind`` is ``email`` or ``webhook``; ``format`` is ``email``, ``json``,
    ``telegram`` or ``slack``; ``target`` the addresses (comma-separated) or the URL;
    ``options`` holds ``chat_id`` (Telegram), ``secret_env`` (the environment variable with the
    secret) and ``name``. ``digest``: one message a day at ``digest_hour`` local time."""

    id: int
    kind: str
    format: str
    target: str
    options: dict[str, Any]
    digest: bool
    digest_hour: int
    enabled: bool
    created_at: str
    last_success_at: str | None
    last_failure_at: str | None
    last_error: str | None
    consecutive_failures: int
    pending: int = 0

    @property
    def failing(self) -> bool:
        return self.consecutive_failures > 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Channel:
        return cls(
            **{
                **row,
                "options": json.loads(row["options"] or "{}"),
                "digest": bool(row["digest"]),
                "enabled": bool(row["enabled"]),
                "pending": int(row.get("pending") or 0),
            }
        )


_CHANNEL_SQL = (
    "SELECT c.*, (SELECT count(*) FROM alert_deliveries d WHERE d.channel_id = c.id "
    "AND d.status = 'pending') AS pending FROM alert_channels c"
)


def list_channels(db: Database, *, enabled: bool | None = None) -> list[Channel]:
    """Every channel, oldest first, with its count of pending deliveries. None: ``[]``."""
    sql, params = _CHANNEL_SQL, []
    if enabled is not None:
        sql += " WHERE c.enabled = ?"
        params.append(int(enabled))
    return [Channel.from_row(row) for row in records(db, sql + " ORDER BY c.id", params)]


def find_channel(db: Database, channel_id: int) -> Channel | None:
    """One channel by id, ``None`` when there is none."""
    rows = records(db, _CHANNEL_SQL + " WHERE c.id = ?", [channel_id])
    return Channel.from_row(rows[0]) if rows else None


def due_channels(db: Database, now: datetime) -> list[int]:
    """Ids of enabled channels with a pending delivery due at ``now``."""
    return [
        int(r[0])
        for r in db.execute(
            "SELECT DISTINCT d.channel_id FROM alert_deliveries d JOIN alert_channels c "
            "ON c.id = d.channel_id WHERE d.status = 'pending' AND d.next_attempt_at <= ? "
            "AND c.enabled = 1 ORDER BY d.channel_id",
            [iso(now)],
        )
    ]


def deliveries_of(db: Database, alert_id: int) -> list[dict[str, Any]]:
    """The deliveries of one alert: ``channel_id, status, attempts, next_attempt_at,
    last_error, sent_at``, by channel."""
    return records(
        db,
        "SELECT channel_id, status, attempts, next_attempt_at, last_error, sent_at "
        "FROM alert_deliveries WHERE alert_id = ? ORDER BY channel_id",
        [alert_id],
    )
