"""Writing alerts, their quoted mentions, channels, deliveries and the rules' thresholds.

An alert is fired at most once per subject and cool-down, even by two processes at once (the
check and the insert are one statement). A delivery is claimed before it is sent and marked sent
right after, so a message is never sent twice by two runs; a run that dies mid-send leaves the
claim to lapse and a later run sends it (at least once, never twice after success).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from citra.access import ADMIN, EDITOR, requires
from citra.alerts.rules import RuleSettings
from citra.errors import CitraError
from citra.queries.alerts import SETTING, Alert, Channel, find_channel, get_alert, iso
from citra.store.settings import set_setting

CHANNEL_FORMATS = {"email": ("email",), "webhook": ("json", "telegram", "slack")}
# How long a run holds a claimed delivery before another run may take it over.
CLAIM_LEASE = timedelta(minutes=10)
QUOTED_PER_ALERT = 10
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@requires(ADMIN, action="alert rules changed", detail=lambda a, r: r.as_dict())
def save_rule_settings(db: Database, settings: RuleSettings) -> RuleSettings:
    """Store the rules' thresholds (validated when ``settings`` was built)."""
    set_setting(db, SETTING, settings.as_dict())
    return settings


# --- alerts ----------------------------------------------------------------------------------


def _headline(mention: Mapping[str, Any]) -> str | None:
    title = (mention.get("title") or "").strip()
    if title:
        return title
    text = " ".join((mention.get("text") or "").split())
    return (text[:277] + "…") if len(text) > 280 else (text or None)


@requires(EDITOR)
def fire(
    db: Database,
    *,
    rule: str,
    subject: str,
    fired_at: datetime,
    cooldown: timedelta,
    organisation_id: int | None = None,
    organisation: str | None = None,
    details: Mapping[str, Any] | None = None,
    mentions: Sequence[Mapping[str, Any]] = (),
    deliveries: Sequence[tuple[int, datetime]] = (),
) -> int | None:
    """Store an alert unless one with the same ``subject`` fired within ``cooldown`` before
    ``fired_at``; returns its id, or ``None`` when it was still cooling down.

    ``mentions`` (records with ``id, title, text, source, platform, url, published_at,
    sentiment_label, sentiment_compound, risk_category, reach``) are quoted, the first
    :data:`QUOTED_PER_ALERT`; ``deliveries`` are ``(channel id, first attempt)`` pairs.
    One transaction.
    """
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO alerts (rule, subject, organisation_id, organisation, details, fired_at) "
            "SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
            "(SELECT 1 FROM alerts WHERE subject = ? AND fired_at > ?)",
            [
                rule,
                subject,
                organisation_id,
                organisation,
                json.dumps(dict(details or {}), ensure_ascii=False),
                iso(fired_at),
                subject,
                iso(fired_at - cooldown),
            ],
        )
        if cursor.rowcount == 0:
            return None
        alert_id = int(cursor.lastrowid or 0)
        _quote(db, alert_id, 0, mentions[:QUOTED_PER_ALERT])
        db.conn.executemany(
            "INSERT INTO alert_deliveries (alert_id, channel_id, next_attempt_at) VALUES (?, ?, ?)",
            [(alert_id, channel_id, iso(first)) for channel_id, first in deliveries],
        )
    return alert_id


def _quote(db: Database, alert_id: int, start: int, mentions: Sequence[Mapping[str, Any]]) -> None:
    """Copy ``mentions`` into the alert's quoted mentions, at positions from ``start`` on."""
    db.conn.executemany(
        "INSERT INTO alert_mentions (alert_id, position, mention_id, title, source, platform, "
        "url, published_at, sentiment_label, sentiment_compound, risk_category, reach) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                alert_id,
                start + i,
                m["id"],
                _headline(m),
                m.get("source"),
                m.get("platform"),
                m.get("url"),
                m.get("published_at"),
                m.get("sentiment_label"),
                m.get("sentiment_compound"),
                m.get("risk_category"),
                m.get("reach"),
            )
            for i, m in enumerate(mentions)
        ],
    )


@requires(EDITOR)
def quote_more(db: Database, alert_id: int, mentions: Sequence[Mapping[str, Any]]) -> None:
    """Record further mentions as seen by an alert without changing what it says (copies of its
    story that arrived during the cool-down), so they do not fire it again later."""
    with db.atomic():
        start = db.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM alert_mentions WHERE alert_id = ?",
            [alert_id],
        ).fetchone()[0]
        _quote(db, alert_id, start, mentions)


@requires(EDITOR, action="alert acknowledged", target="alert_id")
def acknowledge(db: Database, alert_id: int, by: str, at: datetime | None = None) -> Alert:
    """Mark an alert as seen by ``by`` at ``at`` (default: now): it leaves the Overview. An
    alert acknowledged before keeps its first acknowledgement. Raises :class:`CitraError` for an
    unknown id or an empty name."""
    at = at or datetime.now(UTC)
    who = " ".join((by or "").split())
    if not who:
        raise CitraError("Say who acknowledges the alert.")
    with db.atomic():
        db.execute(
            "UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? "
            "WHERE id = ? AND acknowledged_at IS NULL",
            [iso(at), who[:100], alert_id],
        )
    found = get_alert(db, alert_id)
    if found is None:
        raise CitraError("There is no alert #{id}.", id=alert_id)
    return found


# --- channels --------------------------------------------------------------------------------


def email_addresses(value: str) -> list[str]:
    """``"a@b.id, c@d.id"`` as a list; raises :class:`CitraError` for an address that is not
    one."""
    found = [part.strip() for part in re.split(r"[,;\s]+", value or "") if part.strip()]
    if not found:
        raise CitraError("An e-mail channel needs at least one address (--to).")
    for address in found:
        if not _EMAIL.match(address):
            raise CitraError("'{address}' is not an e-mail address.", address=address)
    return found


@requires(
    ADMIN, action="alert channel added", detail=lambda a, r: {"kind": a["kind"], "channel": r.id}
)
def add_channel(
    db: Database,
    kind: str,
    target: str,
    *,
    format: str | None = None,
    options: Mapping[str, Any] | None = None,
    digest: bool = False,
    digest_hour: int = 7,
) -> Channel:
    """Add a channel and return it. ``kind`` ``email`` takes addresses as ``target``;
    ``webhook`` takes a URL and a ``format`` (``json`` by default, ``telegram``, ``slack``).

    ``options``: ``chat_id`` (required for Telegram), ``secret_env`` (the environment variable
    holding the channel's secret; never the secret itself), ``name``. The URL is checked by
    ``citra.alerts.channels.check_url``. Raises :class:`CitraError` on anything invalid.
    """
    from citra.alerts.channels import check_url

    if kind not in CHANNEL_FORMATS:
        raise CitraError(
            "Unknown channel kind '{kind}'; use one of {kinds}.",
            kind=kind,
            kinds=", ".join(CHANNEL_FORMATS),
        )
    format = format or CHANNEL_FORMATS[kind][0]
    if format not in CHANNEL_FORMATS[kind]:
        raise CitraError(
            "Unknown format '{format}' for a {kind} channel; use one of {formats}.",
            format=format,
            kind=kind,
            formats=", ".join(CHANNEL_FORMATS[kind]),
        )
    if not 0 <= int(digest_hour) <= 23:
        raise CitraError("The digest hour is a whole hour from 0 to 23.")
    kept = {k: str(v).strip() for k, v in (options or {}).items() if v not in (None, "")}
    if kind == "email":
        target = ", ".join(email_addresses(target))
    else:
        target = check_url((target or "").strip(), format)
    if format == "telegram" and not kept.get("chat_id"):
        raise CitraError("A Telegram channel needs the chat id to send to (--chat-id).")
    if "secret_env" in kept and not _ENV_NAME.match(kept["secret_env"]):
        raise CitraError("'{name}' is not an environment variable name.", name=kept["secret_env"])
    with db.atomic():
        channel_id = db.execute(
            "INSERT INTO alert_channels (kind, format, target, options, digest, digest_hour) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [kind, format, target, json.dumps(kept), int(digest), int(digest_hour)],
        ).lastrowid
    found = find_channel(db, int(channel_id or 0))
    assert found is not None
    return found


@requires(
    ADMIN, action="alert channel removed", target="channel_id", detail=lambda a, r: {"kind": r.kind}
)
def remove_channel(db: Database, channel_id: int) -> Channel:
    """Remove a channel and its pending deliveries; returns what it was."""
    found = find_channel(db, channel_id)
    if found is None:
        raise CitraError("There is no alert channel #{id}.", id=channel_id)
    with db.atomic():
        db.execute("DELETE FROM alert_deliveries WHERE channel_id = ?", [channel_id])
        db.execute("DELETE FROM alert_channels WHERE id = ?", [channel_id])
    return found


# --- deliveries ------------------------------------------------------------------------------


@requires(EDITOR)
def claim_deliveries(db: Database, channel_id: int, now: datetime) -> list[int]:
    """Take the channel's pending deliveries due at ``now`` for one send: returns their alert
    ids (oldest first). Another run sees them as not due until the claim lapses."""
    with db.atomic():
        rows = db.execute(
            "UPDATE alert_deliveries SET next_attempt_at = ? WHERE channel_id = ? "
            "AND status = 'pending' AND next_attempt_at <= ? RETURNING alert_id",
            [iso(now + CLAIM_LEASE), channel_id, iso(now)],
        ).fetchall()
    return sorted(int(r[0]) for r in rows)


@requires(EDITOR)
def mark_sent(db: Database, channel_id: int, alert_ids: Sequence[int], at: datetime) -> None:
    """The claimed deliveries went out: never again. The channel is healthy."""
    with db.atomic():
        db.conn.executemany(
            "UPDATE alert_deliveries SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
            "last_error = NULL WHERE alert_id = ? AND channel_id = ?",
            [(iso(at), alert_id, channel_id) for alert_id in alert_ids],
        )
        db.execute(
            "UPDATE alert_channels SET last_success_at = ?, consecutive_failures = 0 WHERE id = ?",
            [iso(at), channel_id],
        )


@requires(EDITOR)
def mark_failed(
    db: Database,
    channel_id: int,
    alert_ids: Sequence[int],
    reason: str,
    at: datetime,
    retry_at: datetime,
) -> None:
    """The claimed deliveries failed with ``reason``: pending again from ``retry_at``."""
    with db.atomic():
        db.conn.executemany(
            "UPDATE alert_deliveries SET attempts = attempts + 1, last_error = ?, "
            "next_attempt_at = ? WHERE alert_id = ? AND channel_id = ? AND status = 'pending'",
            [(reason, iso(retry_at), alert_id, channel_id) for alert_id in alert_ids],
        )
        record_channel_failure(db, channel_id, reason, at)


@requires(EDITOR)
def record_channel_failure(db: Database, channel_id: int, reason: str, at: datetime) -> None:
    """Note a failed send (or test) on the channel, for the Settings page."""
    db.execute(
        "UPDATE alert_channels SET last_failure_at = ?, last_error = ?, "
        "consecutive_failures = consecutive_failures + 1 WHERE id = ?",
        [iso(at), reason, channel_id],
    )


@requires(EDITOR)
def record_channel_success(db: Database, channel_id: int, at: datetime) -> None:
    """Note a successful send (or test) on the channel."""
    with db.atomic():
        db.execute(
            "UPDATE alert_channels SET last_success_at = ?, consecutive_failures = 0 WHERE id = ?",
            [iso(at), channel_id],
        )


@requires(EDITOR)
def expire_deliveries(db: Database, fired_before: datetime) -> int:
    """Give up the pending deliveries of alerts fired before ``fired_before`` (old news; the
    last error stays); returns how many."""
    with db.atomic():
        return db.execute(
            "UPDATE alert_deliveries SET status = 'expired' WHERE status = 'pending' "
            "AND alert_id IN (SELECT id FROM alerts WHERE fired_at < ?)",
            [iso(fired_before)],
        ).rowcount
