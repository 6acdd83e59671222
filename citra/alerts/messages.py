"""What an alert says, in the installation's language: titles, plain text, HTML, webhook JSON.

One :class:`Message` carries one or more alerts (what is due for a channel in one run, or a
day's digest). Every sentence is an English ``msgid`` translated through the catalogues
(``citra/locale/id/LC_MESSAGES/alerts.po``); numbers and times go through
``citra.formatting`` in the display timezone. The webhook schema is ``docs/alerts.md``'s.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from citra.formatting import format_datetime, format_number, platform_name
from citra.i18n import Translator
from citra.queries.alerts import Alert, QuotedMention, iso
from citra.sentiment import risk

SCHEMA = "citra.alerts/1"
RULE_NAMES = {
    "negative_spike": "Negative spike",
    "risk": "Risk",
    "high_reach": "High reach",
    "peer_crisis": "Peer crisis",
    "feed_health": "Feed health",
}
# One taxonomy: the category names are the risk matcher's.
CATEGORY_NAMES = {**risk.CATEGORY_NAMES, "risk": "risk"}
LABEL_NAMES = {"positive": "Positive", "neutral": "Neutral", "negative": "Negative"}
QUOTED_IN_MESSAGE = 5


@dataclass(frozen=True)
class Message:
    """One message for one channel: ``subject`` (e-mail subject, first line elsewhere),
    ``text`` (plain text), ``html`` (the e-mail's HTML part) and ``payload`` (webhook JSON)."""

    subject: str
    text: str
    html: str
    payload: dict[str, Any]


def category_name(category: str | None, t: Translator) -> str:
    """A risk category as a reader says it (``fraud`` -> ``penipuan``); unknown ones as stored."""
    if not category:
        return t(CATEGORY_NAMES["risk"])
    return t(CATEGORY_NAMES[category]) if category in CATEGORY_NAMES else category


def _headline(alert: Alert) -> str:
    first = alert.mentions[0] if alert.mentions else None
    return (first.title or first.url or "") if first else ""


def title(alert: Alert, t: Translator, tz: str = "Asia/Jakarta") -> str:
    """One line saying what happened, e.g. "Risiko (penipuan) pada sebutan KSP Sejahtera" (the
    mentions are quoted below it; :func:`subject_line` adds the first headline)."""
    d, lang, who = alert.details, t.lang, alert.organisation or "–"
    if alert.rule == "negative_spike" or (alert.rule == "peer_crisis" and d.get("kind") == "spike"):
        template = (
            "{count} negative mentions of {organisation} in 24 hours, against about {usual} a day "
            "before"
            if alert.rule == "negative_spike"
            else "Peer coop {organisation}: {count} negative mentions in 24 hours, against about "
            "{usual} a day before"
        )
        return t(
            template,
            count=format_number(d.get("count"), lang),
            organisation=who,
            usual=format_number(d.get("baseline"), lang, 1 if (d.get("baseline") or 0) < 10 else 0),
        )
    if alert.rule == "peer_crisis":
        return t(
            "Peer coop {organisation}: {count} risk mentions in 24 hours",
            organisation=who,
            count=format_number(d.get("count"), lang),
        )
    if alert.rule == "risk":
        return t(
            "Risk ({category}) in mentions of {organisation}",
            category=category_name(d.get("category"), t),
            organisation=who,
        )
    if alert.rule == "high_reach":
        return t(
            "Negative mention of {organisation} reaching {reach} people",
            organisation=who,
            reach=format_number(d.get("reach"), lang),
        )
    if alert.rule == "feed_health":
        return t(
            "The feed {feed} has been failing since {since}",
            feed=d.get("feed") or d.get("url") or "–",
            since=format_datetime(d.get("since"), lang, tz),
        )
    return t(RULE_NAMES.get(alert.rule, alert.rule))


def subject_line(alert: Alert, t: Translator, tz: str = "Asia/Jakarta") -> str:
    """:func:`title` and, for rules about one story, its headline: an e-mail subject."""
    headline = _headline(alert) if alert.rule in ("risk", "high_reach") else ""
    return f"{title(alert, t, tz)}: {headline}" if headline else title(alert, t, tz)


def explanation(alert: Alert, t: Translator, tz: str = "Asia/Jakarta") -> str:
    """The second line: why the rule fired, in numbers."""
    d, lang = alert.details, t.lang
    fired = format_datetime(alert.fired_at, lang, tz)
    if alert.rule == "feed_health":
        return t(
            "Fired {when} · {failures} failed fetches in a row; last error: {error}",
            when=fired,
            failures=format_number(d.get("failures"), lang),
            error=d.get("error") or "–",
        )
    if d.get("kind") == "spike" or alert.rule == "negative_spike":
        return t(
            "Fired {when} · more than {k} standard deviations above the previous {days} days",
            when=fired,
            k=format_number(d.get("k"), lang, 1),
            days=format_number(d.get("days"), lang),
        )
    count = int(d.get("count") or len(alert.mentions))
    if count <= 1:
        return t("Fired {when}", when=fired)
    return t("Fired {when} · {count} mentions", when=fired, count=format_number(count, lang))


def mention_line(mention: QuotedMention, t: Translator, tz: str = "Asia/Jakarta") -> str:
    """``detik.com · 23 Nov 2026 12:40 · Negatif (−0,62) · penipuan · jangkauan 12.000``."""
    lang = t.lang
    parts = [
        mention.source or platform_name(mention.platform, lang),
        format_datetime(mention.published_at, lang, tz) if mention.published_at else "",
    ]
    if mention.sentiment_label:
        label = t(LABEL_NAMES.get(mention.sentiment_label, mention.sentiment_label))
        if mention.sentiment_compound is not None:
            label += f" ({format_number(mention.sentiment_compound, lang, 2)})"
        parts.append(label)
    if mention.risk_category:
        parts.append(t("risk: {category}", category=category_name(mention.risk_category, t)))
    if mention.reach:
        parts.append(t("reach {reach}", reach=format_number(mention.reach, lang)))
    return " · ".join(p for p in parts if p)


def _ack_hint(alerts: Sequence[Alert], t: Translator) -> str:
    return t(
        "Acknowledge on Citra's Overview page, or with: citra alerts ack {ids}",
        ids=" ".join(str(a.id) for a in alerts),
    )


def compose(
    alerts: Sequence[Alert],
    t: Translator,
    *,
    coop: str | None,
    tz: str = "Asia/Jakarta",
    event: str = "alert",
    now: datetime,
) -> Message:
    """The message carrying ``alerts`` (oldest first). ``event`` is ``alert`` (what is due now),
    ``digest`` (the day's alerts) or ``test`` (no alerts: a channel check)."""
    lang = t.lang
    who = coop or "Citra"
    if event == "test":
        subject = t("[Citra] Test message for {coop}", coop=who)
        intro = t(
            "This is a test from Citra: alerts for {coop} will arrive here.",
            coop=who,
        )
    elif event == "digest":
        subject = t(
            "[Citra] Daily digest for {coop}: {count} alerts",
            coop=who,
            count=format_number(len(alerts), lang),
        )
        intro = t("Alerts of the last day for {coop}:", coop=who)
    elif len(alerts) == 1:
        subject = "[Citra] " + subject_line(alerts[0], t, tz)
        intro = t("Citra alert for {coop}:", coop=who)
    else:
        subject = t(
            "[Citra] {count} new alerts for {coop}",
            coop=who,
            count=format_number(len(alerts), lang),
        )
        intro = t("Citra alerts for {coop}:", coop=who)

    lines = [intro, ""]
    parts = [f"<p>{html.escape(intro)}</p>"]
    for number, alert in enumerate(alerts, 1):
        heading = title(alert, t, tz)
        why = explanation(alert, t, tz)
        lines += [f"{number}. {heading}", f"   {why}"]
        items = []
        for mention in alert.mentions[:QUOTED_IN_MESSAGE]:
            quoted = mention.title or mention.url or ""
            lines.append(f'   - "{quoted}"')
            lines.append(f"     {mention_line(mention, t, tz)}")
            if mention.url:
                lines.append(f"     {mention.url}")
            link = (
                f'<a href="{html.escape(mention.url, quote=True)}">{html.escape(quoted)}</a>'
                if mention.url
                else html.escape(quoted)
            )
            items.append(
                f"<li>&ldquo;{link}&rdquo;<br><small>"
                f"{html.escape(mention_line(mention, t, tz))}</small></li>"
            )
        more = len(alert.mentions) - QUOTED_IN_MESSAGE
        if more > 0:
            extra = t("... and {count} more", count=format_number(more, lang))
            lines.append(f"   {extra}")
            items.append(f"<li>{html.escape(extra)}</li>")
        lines.append("")
        parts.append(
            f'<h3 style="margin:16px 0 4px">{number}. {html.escape(heading)}</h3>'
            f'<p style="margin:0;color:#4b5563">{html.escape(why)}</p>'
            + (f"<ul>{''.join(items)}</ul>" if items else "")
        )
    if alerts:
        hint = _ack_hint(alerts, t)
        lines.append(hint)
        parts.append(f'<p style="color:#6b7280">{html.escape(hint)}</p>')
    body = "\n".join(lines).rstrip() + "\n"
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head>"
        f'<body style="font-family:sans-serif;line-height:1.4">{"".join(parts)}</body></html>'
    )
    payload = {
        "schema": SCHEMA,
        "event": event,
        "sent_at": iso(now),
        "coop": coop,
        "language": lang,
        "text": body,
        "alerts": [
            {
                **alert.as_dict(),
                "title": title(alert, t, tz),
                "summary": explanation(alert, t, tz),
            }
            for alert in alerts
        ],
    }
    for item in payload["alerts"]:
        item.pop("deliveries", None)
    return Message(subject=subject, text=body, html=page, payload=payload)
