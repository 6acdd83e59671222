"""Peers (Pesaing): share of voice, sentiment and volume against the peer coops over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from citra import charts, metrics, ui
from citra.formatting import format_date, format_number, format_percent_value
from citra.queries.mentions import daily_by_organisation

_ = ui.t
lang = ui.lang()
coop = ui.coop_or_stop()
f = ui.filters()

st.title(_("Peers"))
st.caption(
    _(
        "The coop against its peers, {first} to {last}.",
        first=format_date(f.first_day, lang),
        last=format_date(f.last_day, lang),
    )
)
daily = ui.cached(daily_by_organisation, f)
if daily.empty:
    st.info(_("No mentions of the coop or its peers in this period."))
    st.stop()

totals = (
    daily.groupby(["organisation_id", "organisation"], sort=False)[
        ["mentions", "positive", "negative", "neutral", "pos_weight", "neg_weight", "neu_weight"]
    ]
    .sum()
    .reset_index()
)
# The coop first, then peers by volume.
totals["is_self"] = totals["organisation_id"] == coop.id
totals = totals.sort_values(["is_self", "mentions"], ascending=[False, False])
volume = dict(zip(totals["organisation_id"], totals["mentions"], strict=True))
rows = []
for row in totals.itertuples():
    counts = {"positive": row.positive, "negative": row.negative, "neutral": row.neutral}
    weights = {"positive": row.pos_weight, "negative": row.neg_weight, "neutral": row.neu_weight}
    rows.append(
        {
            _("Organisation"): row.organisation,
            _("Mentions"): format_number(row.mentions, lang),
            _("Share of voice"): format_percent_value(
                metrics.share_of_voice(volume, row.organisation_id), lang
            ),
            _("Net sentiment"): metrics.net_sentiment(counts),
            _("Reputation index"): metrics.reputation_index(weights),
        }
    )
table = pd.DataFrame(rows)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    key="peers_table",
    column_config={
        _("Net sentiment"): st.column_config.NumberColumn(format="%+.0f"),
        _("Reputation index"): st.column_config.NumberColumn(format="%+.0f"),
    },
)

left, right = st.columns(2)
with left:
    st.subheader(_("Net sentiment"))
    st.plotly_chart(
        charts.net_sentiment_bars(
            list(table[_("Organisation")]), list(table[_("Net sentiment")]), _
        ),
        key="peers_net",
        width="stretch",
    )
with right:
    st.subheader(_("Share of voice per week"))
    weekly = daily.assign(
        period=pd.to_datetime(daily["day"])
        .dt.to_period("W-SUN")
        .dt.start_time.dt.strftime("%Y-%m-%d")
    )
    weekly = weekly.groupby(["period", "organisation"], sort=False)["mentions"].sum().reset_index()
    weekly["share"] = weekly["mentions"] / weekly.groupby("period")["mentions"].transform("sum")
    order = list(table[_("Organisation")])
    weekly["order"] = weekly["organisation"].map({name: i for i, name in enumerate(order)})
    weekly = weekly.sort_values(["order", "period"])
    st.plotly_chart(
        charts.organisations_over_time(
            weekly, _, value="share", y_title=_("Share of voice"), percent=True
        ),
        key="peers_share",
        width="stretch",
    )
st.subheader(_("Mentions per week"))
st.plotly_chart(
    charts.organisations_over_time(weekly, _, value="mentions", y_title=_("Mentions per week")),
    key="peers_volume",
    width="stretch",
)
