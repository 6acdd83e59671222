"""The report's words: sentences written from the numbers, in Indonesian or English.

Every sentence is an English template (the gettext ``msgid``, translated in
``citra/locale/id/LC_MESSAGES/reports.po``) filled with numbers and dates formatted by
``citra.formatting``. :func:`driver_sentence` is shared by the Overview and the report, so the
two say the same thing about the same change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from citra.formatting import (
    format_compact,
    format_date,
    format_month,
    format_number,
    format_percent_value,
    format_points,
    platform_name,
)
from citra.i18n import translate
from citra.reports.drivers import Drivers, Effect

if TYPE_CHECKING:
    from citra.reports.content import Report

# English names of the risk categories of citra/sentiment/data/risk_terms.tsv (msgids).
RISK_NAMES = {
    "default": "default (gagal bayar)",
    "insolvency": "insolvency (PKPU, bankruptcy)",
    "fraud": "fraud",
    "embezzlement": "embezzlement",
    "legal": "legal action",
    "predatory": "predatory lending",
    "unrest": "member unrest",
    "other": "other risk",
}


def risk_name(category: str, lang: str) -> str:
    """A risk category for people ("gagal bayar", "penipuan")."""
    return translate(RISK_NAMES.get(category, RISK_NAMES["other"]), lang)


def _quoted(text: str | None, limit: int = 90) -> str:
    text = " ".join((text or "").split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text}”"


def driver_subject(effect: Effect, lang: str) -> str:
    """What the driver is, as the subject of a sentence ("The story “…” (Kabar Koperasi)")."""
    if effect.dimension == "story":
        if effect.top_platform == "news":
            where = ", ".join(effect.sources) if effect.sources else platform_name("news", lang)
            return translate(
                "The story {title} ({where})", lang, title=_quoted(effect.label), where=where
            )
        return translate(
            "The {platform} post {title}",
            lang,
            platform=platform_name(effect.top_platform, lang),
            title=_quoted(effect.label),
        )
    if effect.dimension == "risk":
        return translate(
            "Risk mentions about {category}", lang, category=risk_name(effect.key, lang)
        )
    if effect.dimension == "topic":
        return translate("Mentions about {topic}", lang, topic=_quoted(effect.key))
    if effect.dimension == "source":
        return translate(
            "Mentions from {source}",
            lang,
            source=effect.key or translate("an unnamed source", lang),
        )
    return translate("Mentions on {platform}", lang, platform=platform_name(effect.key, lang))


def driver_reason(effect: Effect, lang: str) -> str:
    """Why the driver moved the index: new, gone, its weight (reach) or its tone."""
    if effect.mentions_before == 0:
        return translate(
            "{count} mentions this period, reach {reach}",
            lang,
            count=format_number(effect.mentions_now, lang),
            reach=format_compact(effect.reach_now, lang),
        )
    if effect.mentions_now == 0:
        return translate(
            "{count} mentions the period before, none now",
            lang,
            count=format_number(effect.mentions_before, lang),
        )
    if effect.mostly_reach:
        return translate(
            "mostly its weight: {count} mentions, reach {reach} against {reach_before} before",
            lang,
            count=format_number(effect.mentions_now, lang),
            reach=format_compact(effect.reach_now, lang),
            reach_before=format_compact(effect.reach_before, lang),
        )
    return translate(
        "mostly its tone: from {before} to {now}",
        lang,
        before=format_points(effect.net_before, lang),
        now=format_points(effect.net_now, lang),
    )


def driver_sentence(effect: Effect, lang: str) -> str:
    """One plain sentence about one driver: "The story “…” (Kabar Koperasi) lowered the index
    by 9 points (1 mentions this period, reach 48 rb)."."""
    template = (
        "{subject} lowered the index by {points} points ({reason})."
        if effect.points < 0
        else "{subject} raised the index by {points} points ({reason})."
    )
    return translate(
        template,
        lang,
        subject=driver_subject(effect, lang),
        points=format_number(abs(effect.points), lang),
        reason=driver_reason(effect, lang),
    )


def weighting_sentence(found: Drivers, lang: str) -> str | None:
    """When reach weighting moved the index against (or far beyond) net sentiment: one
    sentence that says so; ``None`` otherwise."""
    change, net, weighting = found.index_change, found.net_change, found.weighting_points
    if change is None or net is None or weighting is None or abs(weighting) < 3:
        return None
    template = (
        "Counted once each, mentions moved {net} points; weighted by reach, the index moved "
        "{change}: the negative mentions reached more people than before."
        if weighting < 0
        else "Counted once each, mentions moved {net} points; weighted by reach, the index "
        "moved {change}: the positive mentions reached more people than before."
    )
    return translate(
        template, lang, net=format_points(net, lang), change=format_points(change, lang)
    )


def write_summary(report: Report) -> list[str]:
    """The report's summary, sentence by sentence, written from its numbers."""
    lang = report.lang
    name = report.organisation.name
    month = format_month(report.month, lang)
    previous = format_month(report.previous.first_day, lang)
    card = report.card
    if not report.has_data:
        sentences = [
            translate(
                "There are no mentions of {name} in {month}: nothing to report for this month.",
                lang,
                name=name,
                month=month,
            )
        ]
        if card.mentions_before:
            sentences.append(
                translate(
                    "{previous} had {count} mentions.",
                    lang,
                    previous=previous,
                    count=format_number(card.mentions_before, lang),
                )
            )
        return sentences

    sentences: list[str] = []
    if report.partial:
        sentences.append(
            translate(
                "This month is not over: the figures run to {day}.",
                lang,
                day=format_date(report.current.last_day, lang),
            )
        )
    sentences.append(_index_sentence(report))
    if weighting := weighting_sentence(report.drivers, lang):
        sentences.append(weighting)
    sentences += [driver_sentence(e, lang) for e in report.drivers.main]
    sentences.append(_volume_sentence(report))
    if negative := _negative_topics(report):
        sentences.append(negative)
    sentences.append(_risk_sentence(report))
    if report.trend.worst:
        day, spike = report.trend.worst
        sentences.append(
            translate(
                "Busiest unusual day: {day}, {count} mentions against about {usual} on the days "
                "before.",
                lang,
                day=format_date(day, lang),
                count=format_number(int(spike.value), lang),
                usual=format_number(round(spike.baseline), lang),
            )
        )
    if peers := _peers_sentence(report):
        sentences.append(peers)
    sentences.append(members_sentence(report))
    return sentences


def _index_sentence(report: Report) -> str:
    lang, card = report.lang, report.card
    values: dict[str, Any] = {
        "name": report.organisation.name,
        "month": format_month(report.month, lang),
        "index": format_points(card.index_now, lang),
        "previous": format_month(report.previous.first_day, lang),
        "before": format_points(card.index_before, lang),
        "change": format_points(card.index_change, lang),
    }
    if card.index_now is None:
        return translate(
            "{name} has no scored mentions in {month}, so no reputation index.", lang, **values
        )
    if card.index_change is None:
        text = translate(
            "The reputation index of {name} in {month} is {index}; {previous} has no index to "
            "compare with.",
            lang,
            **values,
        )
    else:
        template = (
            "The reputation index of {name} in {month} is {index}, {change} points against "
            "{previous} ({before}): better."
            if card.index_change >= 0.5
            else "The reputation index of {name} in {month} is {index}, {change} points against "
            "{previous} ({before}): worse."
            if card.index_change <= -0.5
            else "The reputation index of {name} in {month} is {index}, about the same as in "
            "{previous} ({before})."
        )
        text = translate(template, lang, **values)
    year = report.year_card
    if year.index_before is not None:
        text += " " + translate(
            "A year earlier it was {index} ({change} points since).",
            lang,
            index=format_points(year.index_before, lang),
            change=format_points(year.index_change, lang),
        )
    return text


def _growth(value: float | None, lang: str) -> str:
    if value is None:
        return translate("new", lang)
    return ("+" if value >= 0 else "−") + format_percent_value(abs(value), lang)


def _volume_sentence(report: Report) -> str:
    lang, card = report.lang, report.card
    return translate(
        "Mentions: {mentions} ({mentions_change}); reach: {reach} ({reach_change}); net "
        "sentiment: {net} ({net_change} points); share of voice: {share} ({share_change} "
        "points).",
        lang,
        mentions=format_number(card.mentions_now, lang),
        mentions_change=_growth(card.mentions_growth, lang),
        reach=format_compact(card.reach_now, lang),
        reach_change=_growth(card.reach_growth, lang),
        net=format_points(card.net_now, lang),
        net_change=format_points(card.net_change, lang),
        share=format_percent_value(card.share_now, lang),
        share_change=format_points(card.share_change_points, lang),
    )


def negative_topics(found: Drivers, limit: int = 3) -> list[Effect]:
    """The topics that pulled the index down most this period and are mostly negative."""
    return [
        e
        for e in sorted(found.of("topic"), key=lambda e: e.points)
        if e.points < 0 and e.mentions_now > 0 and e.negative_now > e.positive_now
    ][:limit]


def _negative_topics(report: Report) -> str | None:
    topics = negative_topics(report.drivers)
    if not topics:
        return None
    return translate(
        "Main negative topics: {topics}.",
        report.lang,
        topics=", ".join(
            translate(
                "{topic} ({count} mentions, {points} points)",
                report.lang,
                topic=_quoted(e.key),
                count=format_number(e.mentions_now, report.lang),
                points=format_points(e.points, report.lang),
            )
            for e in topics
        ),
    )


def _risk_sentence(report: Report) -> str:
    lang = report.lang
    if not report.risk_events:
        return translate("No mention was flagged as a risk.", lang)
    events = "; ".join(
        translate(
            "{category}: {count} mentions from {first} to {last}",
            lang,
            category=risk_name(e["category"], lang),
            count=format_number(e["mentions"], lang),
            first=format_date(e["first_day"], lang),
            last=format_date(e["last_day"], lang),
        )
        for e in report.risk_events
    )
    return translate(
        "Risk mentions: {count} ({events}).",
        lang,
        count=format_number(len(report.risk_mentions), lang),
        events=events,
    )


def _peers_sentence(report: Report) -> str | None:
    lang = report.lang
    ranked = [p for p in report.peers if p.reputation_index is not None]
    if len(report.peers) < 2 or not ranked:
        return None
    ranked.sort(key=lambda p: -(p.reputation_index or 0))
    place = next(
        (i for i, p in enumerate(ranked, start=1) if p.organisation_id == report.organisation.id),
        None,
    )
    best = ranked[0]
    if place is None:
        return None
    return translate(
        "Against its peers, {name} ranks {place} of {count} by reputation index; the highest is "
        "{best} ({best_index}). Its share of voice is {share}.",
        lang,
        name=report.organisation.name,
        place=place,
        count=len(ranked),
        best=best.organisation,
        best_index=format_points(best.reputation_index, lang),
        share=format_percent_value(report.card.share_now, lang),
    )


def members_sentence(report: Report) -> str:
    """Members' participation and engagement in the month and the year so far."""
    lang, members = report.lang, report.members
    if not members.get("has_data"):
        return translate("No member registry is recorded, so no participation figures.", lang)
    month = members.get("month")
    totals = members["totals"]
    year_text = translate(
        "In {year} so far, {participation} of active members took part in an event and "
        "{engagement} engaged (asked, proposed or shared).",
        lang,
        year=members["year"],
        participation=format_percent_value(totals.get("participation_rate"), lang),
        engagement=format_percent_value(totals.get("engagement_rate"), lang),
    )
    if not month:
        return (
            translate(
                "No member took part in an event or engaged in {month}.",
                lang,
                month=format_month(report.month, lang),
            )
            + " "
            + year_text
        )
    return (
        translate(
            "Members in {month}: {participants} of {active} took part in an event "
            "({participation}), {engaged} engaged ({engagement}).",
            lang,
            month=format_month(report.month, lang),
            participants=format_number(month.get("participants"), lang),
            active=format_number(month.get("active"), lang),
            participation=format_percent_value(month.get("participation_rate"), lang),
            engaged=format_number(month.get("engaged"), lang),
            engagement=format_percent_value(month.get("engagement_rate"), lang),
        )
        + " "
        + year_text
    )
