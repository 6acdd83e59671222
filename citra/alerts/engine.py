"""Evaluating the rules on stored data and delivering what they fire: the pipeline step and
``citra alerts run``.

:func:`evaluate` reads what the rules look at (``citra.queries.alerts``), applies them
(``citra.alerts.rules``) and stores each alert that is not cooling down, with its quoted
mentions and one pending delivery per enabled channel (``citra.store.alerts``). :func:`deliver`
sends what is due: per channel, one message carrying every due alert (a digest channel's are due
once a day); a failure leaves them pending with the reason, retried with back-off; a success is
never sent again. :func:`step` is the ingest pipeline's ``alerts`` step; :func:`run` is both, for
cron. ``now`` is an aware UTC datetime (default: the clock).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from citra import mail
from citra.access import ADMIN, requires
from citra.alerts import channels as channel_senders
from citra.alerts import rules
from citra.alerts.messages import compose
from citra.errors import CitraError
from citra.i18n import Translator
from citra.metrics import Spike
from citra.profile import Organisation
from citra.queries import alerts as q
from citra.queries.news import list_feeds
from citra.queries.organisations import get_self, list_organisations
from citra.queries.settings import get_setting
from citra.sentiment import risk
from citra.store import alerts as store

if TYPE_CHECKING:
    from citra.pipeline import Change

# Changes after which the rules look again (removals and member data cannot raise an alert).
EVALUATED_SOURCES = frozenset({"collect", "import", "rescore", "label", "rematch"})
SPIKE_QUOTES = 5
# Rules whose alerts quote new mentions (a spike quotes the worst of the day instead).
QUOTING_RULES = frozenset({"risk", "high_reach", "peer_crisis"})


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)


@dataclass
class Candidate:
    """An alert the rules want to fire, before the cool-down check."""

    rule: str
    subject: str
    organisation: Organisation | None
    details: dict[str, Any]
    mentions: list[Mapping[str, Any]] = field(default_factory=list)


# --- evaluating ------------------------------------------------------------------------------


def _with_categories(mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for mention in mentions:
        if mention.get("risk") and not mention.get("risk_category"):
            found = rules.risk_categories(mention.get("title"), mention.get("text"))
            mention["risk_category"] = risk.primary(found) or rules.UNCATEGORISED
    return mentions


def _spike(
    db: Database, organisation: Organisation, settings: rules.RuleSettings, now: datetime
) -> tuple[Spike, int] | None:
    days = min(settings.baseline_days, q.history_days(db, organisation.id, now) - 1)
    if days < rules.MIN_HISTORY_DAYS:
        return None
    counts = q.negative_windows(db, organisation.id, now, days)
    hit = rules.spike(counts[0], counts[1:], k=settings.spike_k, minimum=settings.spike_minimum)
    return (hit, days) if hit else None


def _spike_details(hit: Spike, days: int, settings: rules.RuleSettings) -> dict[str, Any]:
    return {
        "count": int(hit.value),
        "baseline": round(hit.baseline, 2),
        "z": round(hit.z, 2),
        "k": settings.spike_k,
        "days": days,
    }


def candidates(db: Database, settings: rules.RuleSettings, now: datetime) -> list[Candidate]:
    """What every rule would fire at ``now``, cool-downs not yet applied."""
    found: list[Candidate] = []
    since = now - timedelta(hours=settings.max_age_hours)
    day = now - timedelta(hours=24)
    coop = get_self(db)
    if coop is not None and not coop.is_demo:
        if spiked := _spike(db, coop, settings, now):
            hit, days = spiked
            found.append(
                Candidate(
                    "negative_spike",
                    rules.subject("negative_spike", coop.id),
                    coop,
                    _spike_details(hit, days, settings),
                    q.worst_negative_mentions(db, coop.id, day, now, SPIKE_QUOTES),
                )
            )
        risky = _with_categories(q.unquoted_mentions(db, "risk", coop.id, since, now, risk=True))
        for group in rules.risk_groups(risky):
            found.append(
                Candidate(
                    "risk",
                    rules.subject("risk", coop.id, group.key),
                    coop,
                    {
                        "category": group.category,
                        "story": group.story,
                        "count": len(group.mentions),
                    },
                    list(group.mentions),
                )
            )
        loud = q.unquoted_mentions(
            db, "high_reach", coop.id, since, now, negative=True, min_reach=settings.high_reach
        )
        for group in rules.high_reach_groups(_with_categories(loud), settings.high_reach):
            found.append(
                Candidate(
                    "high_reach",
                    rules.subject("high_reach", coop.id, group.key),
                    coop,
                    {
                        "story": group.story,
                        "count": len(group.mentions),
                        "reach": max(int(m.get("reach") or 0) for m in group.mentions),
                        "threshold": settings.high_reach,
                    },
                    list(group.mentions),
                )
            )
    for peer in list_organisations(db, "peer"):
        if peer.is_demo:
            continue
        if spiked := _spike(db, peer, settings, now):
            hit, days = spiked
            found.append(
                Candidate(
                    "peer_crisis",
                    rules.subject("peer_crisis", peer.id, "spike"),
                    peer,
                    {"kind": "spike", **_spike_details(hit, days, settings)},
                    q.worst_negative_mentions(db, peer.id, day, now, SPIKE_QUOTES),
                )
            )
        risky = q.unquoted_mentions(db, "peer_crisis", peer.id, day, now, risk=True)
        if rules.risk_cluster(risky, settings.peer_risk_minimum):
            found.append(
                Candidate(
                    "peer_crisis",
                    rules.subject("peer_crisis", peer.id, "risk"),
                    peer,
                    {"kind": "risk", "count": len(risky)},
                    _with_categories(risky),
                )
            )
    for feed in rules.failing_feeds(list_feeds(db, enabled=True), now, settings.feed_failing_hours):
        found.append(
            Candidate(
                "feed_health",
                rules.subject("feed_health", feed.id),
                None,
                {
                    "feed": feed.name or feed.url,
                    "url": feed.url,
                    "since": rules.failing_since(feed),
                    "failures": feed.consecutive_failures,
                    "error": feed.last_error,
                },
            )
        )
    return found


def _first_attempts(db: Database, now: datetime) -> list[tuple[int, datetime]]:
    tz = str(get_setting(db, "timezone"))
    return [
        (c.id, rules.next_digest(now, c.digest_hour, tz) if c.digest else now)
        for c in q.list_channels(db, enabled=True)
    ]


def evaluate(db: Database, *, now: datetime | None = None) -> list[int]:
    """Apply every rule at ``now`` and store what fires; returns the new alerts' ids.

    A subject still cooling down fires nothing; the new mentions it would have quoted are
    recorded as seen by its last alert, so they do not fire it once the cool-down is over.
    """
    now = _now(now)
    settings = q.rule_settings(db)
    deliveries = _first_attempts(db, now)
    fired: list[int] = []
    for candidate in candidates(db, settings, now):
        organisation = candidate.organisation
        alert_id = store.fire(
            db,
            rule=candidate.rule,
            subject=candidate.subject,
            fired_at=now,
            cooldown=settings.cooldown(candidate.rule),
            organisation_id=organisation.id if organisation else None,
            organisation=organisation.name if organisation else None,
            details=candidate.details,
            mentions=candidate.mentions,
            deliveries=deliveries,
        )
        if alert_id is not None:
            fired.append(alert_id)
        elif candidate.rule in QUOTING_RULES and candidate.details.get("kind") != "spike":
            last = q.latest_alert_id(db, candidate.subject)
            if last is not None:
                store.quote_more(db, last, candidate.mentions)
    return fired


# --- delivering ------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    """What one :func:`deliver` did: messages ``sent`` and ``failed`` (channel id, alerts,
    reason), deliveries ``expired``."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    expired: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"sent": self.sent, "failed": self.failed, "expired": self.expired}


def _context(db: Database) -> tuple[Translator, str, str | None]:
    coop = get_self(db)
    return (
        Translator(str(get_setting(db, "language"))),
        str(get_setting(db, "timezone")),
        coop.name if coop else None,
    )


def _delivery_id(channel_id: int, alert_ids: Sequence[int]) -> str:
    key = f"{channel_id}:{','.join(str(i) for i in alert_ids)}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def deliver(db: Database, *, now: datetime | None = None) -> DeliveryReport:
    """Send every delivery due at ``now``: per channel one message with all its due alerts.

    Deliveries of alerts older than ``rules.GIVE_UP_AFTER`` are given up first. A channel that
    fails keeps its deliveries pending with the reason and retries after ``rules.retry_delay``.
    """
    now = _now(now)
    report = DeliveryReport(expired=store.expire_deliveries(db, now - rules.GIVE_UP_AFTER))
    due = q.due_channels(db, now)
    if not due:
        return report
    t, tz, coop = _context(db)
    smtp = mail.load_settings(db)
    for channel_id in due:
        channel = q.find_channel(db, channel_id)
        alert_ids = store.claim_deliveries(db, channel_id, now)
        if channel is None or not alert_ids:
            continue
        alerts = q.alerts_for(db, alert_ids)
        message = compose(
            alerts, t, coop=coop, tz=tz, event="digest" if channel.digest else "alert", now=now
        )
        try:
            channel_senders.send(
                channel, message, smtp=smtp, delivery=_delivery_id(channel_id, alert_ids)
            )
        except CitraError as error:
            reason = error.describe(t.lang)
            retry = now + rules.retry_delay(channel.consecutive_failures + 1)
            store.mark_failed(db, channel_id, alert_ids, reason, now, retry)
            report.failed.append({"channel": channel_id, "alerts": alert_ids, "reason": reason})
        else:
            store.mark_sent(db, channel_id, alert_ids, now)
            report.sent.append({"channel": channel_id, "alerts": alert_ids})
    return report


@requires(ADMIN, action="alert channel tested", target="channel_id")
def test_channel(db: Database, channel_id: int, *, now: datetime | None = None) -> None:
    """Send a test message through a channel now; raises :class:`CitraError` with the reason
    (and notes the outcome on the channel)."""
    now = _now(now)
    channel = q.find_channel(db, channel_id)
    if channel is None:
        raise CitraError("There is no alert channel #{id}.", id=channel_id)
    t, tz, coop = _context(db)
    message = compose([], t, coop=coop, tz=tz, event="test", now=now)
    try:
        channel_senders.send(
            channel, message, smtp=mail.load_settings(db), delivery=f"test-{int(now.timestamp())}"
        )
    except CitraError as error:
        with db.atomic():
            store.record_channel_failure(db, channel_id, error.describe(t.lang), now)
        raise
    store.record_channel_success(db, channel_id, now)


def run(db: Database, *, now: datetime | None = None) -> dict[str, Any]:
    """Evaluate the rules and deliver what is due (``citra alerts run``, hourly from cron):
    ``{"fired": [alert ids], "sent": [...], "failed": [...], "expired": n}``."""
    now = _now(now)
    fired = evaluate(db, now=now)
    return {"fired": fired, **deliver(db, now=now).as_dict()}


def step(db: Database, change: Change, progress: Any = None) -> dict[str, Any]:
    """The ingest pipeline's ``alerts`` step: after a change that can raise an alert (collect,
    import, re-score, a label, re-matching), :func:`run`; after others, nothing."""
    if change.source not in EVALUATED_SOURCES:
        return {"fired": [], "sent": [], "failed": [], "expired": 0}
    return run(db)
