"""Overview (Ringkasan), for the board: is our reputation better or worse, and why?"""

from __future__ import annotations

import streamlit as st
from babel.numbers import format_compact_decimal

from citra import charts, metrics, ui
from citra.formatting import format_date, format_number, format_percent_value
from citra.queries.mentions import (
    daily_by_label,
    newest_risk_mentions,
    summary,
    top_mentions,
    volume_by_organisation,
)
from citra.queries.organisations import find_organisation

_ = ui.t
lang = ui.lang()
tz = ui.timezone()
coop = ui.coop_or_stop()
f = ui.filters()
subject = f.organisation_id or coop.id
current_filters = f.with_organisation(subject)
previous_filters = current_filters.previous(tz)

st.title(_("Overview"))
st.caption(
    _(
        "{name}, {first} to {last}, compared with the {days} days before.",
        name=getattr(ui.cached(find_organisation, subject), "name", coop.name),
        first=format_date(current_filters.first_day, lang),
        last=format_date(current_filters.last_day, lang),
        days=current_filters.days,
    )
)

now = ui.cached(summary, current_filters, is_own=0)
before = ui.cached(summary, previous_filters, is_own=0)
index_now = metrics.reputation_index(now.weight_by_label)
index_before = metrics.reputation_index(before.weight_by_label)
net_now = metrics.net_sentiment(now.count_by_label)
net_before = metrics.net_sentiment(before.count_by_label)
share_now = metrics.share_of_voice(ui.cached(volume_by_organisation, current_filters), subject)
share_before = metrics.share_of_voice(ui.cached(volume_by_organisation, previous_filters), subject)


def points(value: float | None) -> str | None:
    # An ASCII minus: Streamlit reads the sign to choose the arrow.
    return None if value is None else f"{value:+.0f}"


def growth(current: float, previous: float) -> str | None:
    if not previous:
        return None
    change = (current - previous) / previous
    return ("+" if change >= 0 else "-") + format_percent_value(abs(change), lang, 0)


tiles = st.columns(5)
tiles[0].metric(
    _("Reputation index"),
    "–" if index_now is None else f"{index_now:+.0f}",
    delta=points(metrics.change(index_now, index_before)),
    help=_(
        "Reach-weighted net sentiment, from −100 (all negative) to +100 (all positive); the arrow "
        "shows the change in points against the previous period. See docs/metrics.md."
    ),
    border=True,
)
tiles[1].metric(
    _("Mentions"),
    format_number(now.mentions, lang),
    delta=growth(now.mentions, before.mentions),
    delta_color="off",
    border=True,
)
tiles[2].metric(
    _("Reach"),
    format_compact_decimal(now.reach, locale=lang, fraction_digits=1),
    delta=growth(now.reach, before.reach),
    delta_color="off",
    help=_("Estimated people reached, as reported by the sources."),
    border=True,
)
tiles[3].metric(
    _("Net sentiment"),
    "–" if net_now is None else f"{net_now:+.0f}",
    delta=points(metrics.change(net_now, net_before)),
    help=_("Positive minus negative mentions, as a share of scored mentions (−100 to +100)."),
    border=True,
)
tiles[4].metric(
    _("Share of voice"),
    format_percent_value(share_now, lang),
    delta=points(
        None if share_now is None or share_before is None else 100 * (share_now - share_before)
    ),
    help=_("Share of all mentions of the coop and its peers that are about this organisation."),
    border=True,
)

st.subheader(_("Sentiment trend"))
daily = ui.cached(daily_by_label, current_filters)
if daily.empty:
    st.info(_("No mentions in this period. Choose a longer period in the sidebar."))
else:
    totals = daily.groupby("day")["mentions"].sum()
    found = metrics.spikes(list(totals.values))
    st.plotly_chart(
        charts.sentiment_trend(
            daily,
            _,
            spikes=found,
            spike_days=[totals.index[s.index] for s in found],
            day_labels=lambda d: format_date(d, lang),
        ),
        key="overview_trend",
        width="stretch",
    )
    if found:
        worst = max(found, key=lambda s: s.z)
        st.caption(
            _(
                "Busiest unusual day: {day}, {count} mentions against about {usual} on the days "
                "before.",
                day=format_date(totals.index[worst.index], lang),
                count=int(worst.value),
                usual=round(worst.baseline),
            )
        )


def mention_list(rows: list[dict], empty: str) -> None:
    if not rows:
        st.caption(empty)
        return
    for row in rows:
        headline = row.get("title") or (row.get("text") or "")[:140]
        where = " · ".join(
            part
            for part in (
                row.get("source") or row["platform"].capitalize(),
                format_date(row["published_at"], lang, tz),
                _("reach {reach}", reach=format_number(row.get("reach"), lang)),
            )
            if part
        )
        link = f" [{_('open')}]({row['url']})" if row.get("url") else ""
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

st.divider()
st.subheader(_("Monthly report"))
st.info(
    _(
        "Coming next: a monthly report to download for the supervisors, and alerts when risk "
        "mentions appear. Until then, this page is the report."
    ),
    icon=":material/schedule:",
)
