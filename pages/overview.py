"""Overview (Ringkasan), for the board: is our reputation better or worse, and why?"""

from __future__ import annotations

import streamlit as st
from babel.numbers import format_compact_decimal

from citra import access, charts, ui
from citra.alerts.messages import RULE_NAMES, explanation, mention_line
from citra.alerts.messages import title as alert_title
from citra.errors import CitraError
from citra.formatting import (
    format_date,
    format_number,
    format_percent_value,
    format_points,
    platform_name,
    source_name,
)
from citra.queries.alerts import open_alerts
from citra.queries.mentions import newest_risk_mentions, top_mentions
from citra.queries.organisations import find_organisation
from citra.reports.cells import safe_url
from citra.reports.drivers import drivers
from citra.reports.summary import driver_sentence
from citra.scorecard import scorecard, trend
from citra.store.alerts import acknowledge
from citra.strategy import narrative_overview, plan_check

SHOWN_ALERTS = 5

_ = ui.t
lang = ui.lang()
tz = ui.timezone()
coop = ui.coop_or_stop()
f = ui.filters()
subject = f.organisation_id or coop.id
current_filters = f.with_organisation(subject)
previous_filters = current_filters.previous(tz)

st.title(_("Overview"))
if f.hours:
    # The tiles and lists count the exact hours; the daily trend the days they touch.
    st.caption(
        _(
            "{name}, the last {hours} hours, compared with the {hours} hours before. The trend "
            "shows the days those hours touch, {first} and {last}.",
            name=getattr(ui.cached(find_organisation, subject), "name", coop.name),
            hours=f.hours,
            first=format_date(current_filters.first_day, lang),
            last=format_date(current_filters.last_day, lang),
        )
    )
else:
    st.caption(
        _(
            "{name}, {first} to {last}, compared with {previous_first} to {previous_last}.",
            name=getattr(ui.cached(find_organisation, subject), "name", coop.name),
            first=format_date(current_filters.first_day, lang),
            last=format_date(current_filters.last_day, lang),
            previous_first=format_date(previous_filters.first_day, lang),
            previous_last=format_date(previous_filters.last_day, lang),
        )
    )


def alerts_box() -> None:
    """The alerts nobody acknowledged yet, each with its quoted mentions and a button."""
    waiting = ui.cached(open_alerts, 50)
    if not waiting:
        return
    t = ui.translator()
    may_acknowledge = access.can_edit(ui.role())

    def acknowledged(alert_ids: list[int], who: str) -> None:
        try:
            with ui.writer() as db:
                for alert_id in alert_ids:
                    acknowledge(db, alert_id, who)
        except CitraError as error:
            ui.show_error(error)
        else:
            st.rerun()

    def show(alert, who: str) -> None:
        text, action = st.columns([6, 1])
        # Titles, sources and organisation names come from outside: shown as text (ui.plain).
        text.markdown(
            f"**{ui.plain(alert_title(alert, t, tz))}**  \n"
            f"{_(RULE_NAMES[alert.rule])} · {ui.plain(explanation(alert, t, tz))}"
        )
        for mention in alert.mentions[:3]:
            link = ui.link(ui.plain(mention.title or mention.url or ""), mention.url)
            text.markdown(f"- {link}  \n  {ui.plain(mention_line(mention, t, tz))}")
        if may_acknowledge and action.button(
            _("Acknowledge"),
            key=f"alerts_ack_{alert.id}",
            disabled=not who.strip(),
            help=_("Marks the alert as seen: it leaves this page; who and when are kept."),
        ):
            acknowledged([alert.id], who)

    with st.container(border=True, key="overview_alerts"):
        heading, everything = st.columns([6, 1])
        heading.markdown(
            f"**:red[:material/notifications_active:] "
            f"{_('Alerts ({count} open)', count=format_number(len(waiting), lang))}**"
        )
        who = ""
        if may_acknowledge:
            if ui.logins_required():  # the logged-in user, unless they type another name
                st.session_state.setdefault(
                    "alerts_ack_by", getattr(ui.session_actor(), "name", "")
                )
            who = st.text_input(
                _("Your name, to acknowledge an alert"), key="alerts_ack_by", max_chars=100
            )
        if (
            may_acknowledge
            and len(waiting) > 1
            and everything.button(
                _("Acknowledge all"), key="alerts_ack_all", disabled=not who.strip()
            )
        ):
            acknowledged([a.id for a in waiting], who)
        for alert in waiting[:SHOWN_ALERTS]:
            show(alert, who)
        if len(waiting) > SHOWN_ALERTS:
            more = format_number(len(waiting) - SHOWN_ALERTS, lang)
            with st.expander(_("{count} more alerts", count=more)):
                for alert in waiting[SHOWN_ALERTS:]:
                    show(alert, who)


alerts_box()

card = ui.cached(scorecard, current_filters, previous_filters, subject)


def points(value: float | None) -> str | None:
    # An ASCII minus: Streamlit reads the sign to choose the arrow.
    return None if value is None else f"{value:+.0f}"


def growth(change: float | None) -> str | None:
    if change is None:
        return None
    return ("+" if change >= 0 else "-") + format_percent_value(abs(change), lang, 0)


tiles = st.columns(5)
tiles[0].metric(
    _("Reputation index"),
    "–" if card.index_now is None else f"{card.index_now:+.0f}",
    delta=points(card.index_change),
    help=_(
        "Reach-weighted net sentiment, from −100 (all negative) to +100 (all positive); the arrow "
        "shows the change in points against the previous period. See docs/metrics.md."
    ),
    border=True,
)
tiles[1].metric(
    _("Mentions"),
    format_number(card.mentions_now, lang),
    delta=growth(card.mentions_growth),
    delta_color="off",
    border=True,
)
tiles[2].metric(
    _("Reach"),
    format_compact_decimal(card.reach_now, locale=lang, fraction_digits=1),
    delta=growth(card.reach_growth),
    delta_color="off",
    help=_("Estimated people reached, as reported by the sources."),
    border=True,
)
tiles[3].metric(
    _("Net sentiment"),
    "–" if card.net_now is None else f"{card.net_now:+.0f}",
    delta=points(card.net_change),
    help=_("Positive minus negative mentions, as a share of scored mentions (−100 to +100)."),
    border=True,
)
tiles[4].metric(
    _("Share of voice"),
    format_percent_value(card.share_now, lang),
    delta=points(card.share_change_points),
    delta_color="inverse" if card.louder_is_worse else "normal",
    help=_(
        "Share of all mentions of the coop and its peers that are about this organisation. "
        "While the reputation index falls, a rising share is shown in red: more talk, worse talk."
    ),
    border=True,
)

st.subheader(_("Sentiment trend"))
period_trend = ui.cached(trend, current_filters)
if period_trend.daily.empty:
    st.info(_("No mentions in this period. Choose a longer period in the sidebar."))
else:
    ui.chart(
        charts.sentiment_trend(
            period_trend.daily,
            _,
            spikes=period_trend.spikes,
            spike_days=period_trend.spike_days,
            day_labels=lambda d: format_date(d, lang),
        ),
        key="overview_trend",
        width="stretch",
    )
    if period_trend.worst:
        worst_day, worst = period_trend.worst
        st.caption(
            _(
                "Worst day: {day}, {count} negative mentions against about {usual} a day before.",
                day=format_date(worst_day, lang),
                count=int(worst.value),
                usual=round(worst.baseline),
            )
        )


def mention_list(rows: list[dict], empty: str) -> None:
    if not rows:
        st.caption(empty)
        return
    for row in rows:
        headline = ui.plain(row.get("title") or (row.get("text") or "")[:140])
        where = " · ".join(
            part
            for part in (
                ui.plain(source_name(row.get("source"), lang))
                or platform_name(row["platform"], lang),
                format_date(row["published_at"], lang, tz),
                _("reach {reach}", reach=format_number(row.get("reach"), lang)),
            )
            if part
        )
        link = " " + ui.link(_("open"), row["url"]) if safe_url(row.get("url")) else ""
        st.markdown(f"**{headline}**  \n{where}{link}")


left, right = st.columns(2)
with left:
    st.subheader(_("Top positive mentions"))
    mention_list(
        ui.cached(top_mentions, current_filters, "positive", 3), _("No positive mentions.")
    )
with right:
    st.subheader(_("Top negative mentions"))
    mention_list(
        ui.cached(top_mentions, current_filters, "negative", 3), _("No negative mentions.")
    )

st.subheader(_("Newest risk mentions"))
st.caption(_("Mentions flagged as a risk: default or insolvency rumours, fraud, protests."))
mention_list(
    ui.cached(newest_risk_mentions, current_filters, 5), _("Nothing flagged as a risk. Good.")
)


def narratives_block() -> None:
    """The coop's narratives in one line each, and the posting plan's gaps (citra.strategy)."""
    own = current_filters.with_organisation(coop.id)
    story = ui.cached(narrative_overview, own)
    if not story.rows:
        return
    verdicts = {
        "resonates": _("resonates"),
        "steady": _("steady"),
        "ignored": _("ignored"),
        "negative": _("attracts negative talk"),
    }
    st.subheader(_("Our narratives"))
    for row in story.rows:
        st.markdown(
            "- "
            + _(
                "**{name}**: {share} of the mentions, net sentiment {net}, {verdict}.",
                name=ui.plain(row.name),
                share=format_percent_value(row.share, lang),
                net=format_points(row.net, lang),
                verdict=verdicts[row.verdict],
            )
        )
    gaps = ui.cached(plan_check, own).gaps
    if gaps:
        st.caption(_("{count} gaps in the posting plan in this period.", count=len(gaps)))
    st.page_link("pages/narratives.py", label=_("Narratives & plan"), icon=":material/campaign:")


narratives_block()

st.divider()
st.subheader(_("Monthly report"))
# What moved the index (citra.reports.drivers): the three biggest drivers, one sentence each.
moved = ui.cached(drivers, current_filters, previous_filters, tz=tz)
if moved.main:
    st.markdown(_("What moved the index most:"))
    for effect in moved.main:
        links = [f"[{_('the mention')}](sebutan?mention={effect.top_seq}&lang={lang})"]
        if safe_url(effect.top_url):
            links.append(ui.link(_("the original"), effect.top_url))
        st.markdown(f"- {ui.plain(driver_sentence(effect, lang))} {' · '.join(links)}")
elif moved.index_change is None:
    st.caption(_("No index in one of the two periods, so nothing to explain."))
else:
    st.caption(_("No group of mentions moved the index by half a point or more."))
st.page_link(
    "pages/reports.py",
    label=_("The monthly report: preview, PDF, XLSX and CSV"),
    icon=":material/summarize:",
)
