"""Peers (Pesaing): share of voice, sentiment and volume against the peer coops over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from citra import charts, ui
from citra.comparison import organisation_totals, weekly_share
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

rows = [
    {
        _("Organisation"): row.organisation,
        _("Mentions"): format_number(row.mentions, lang),
        _("Share of voice"): format_percent_value(row.share_of_voice, lang),
        _("Net sentiment"): row.net_sentiment,
        _("Reputation index"): row.reputation_index,
    }
    for row in organisation_totals(daily, coop.id)
]
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
    ui.chart(
        charts.net_sentiment_bars(
            list(table[_("Organisation")]), list(table[_("Net sentiment")]), _
        ),
        key="peers_net",
        width="stretch",
    )
with right:
    st.subheader(_("Share of voice per week"))
    weekly = weekly_share(
        daily, list(table[_("Organisation")]), first_day=f.first_day, last_day=f.last_day
    )
    ui.chart(
        charts.organisations_over_time(
            weekly, _, value="share", y_title=_("Share of voice"), percent=True
        ),
        key="peers_share",
        width="stretch",
    )
st.subheader(_("Mentions per week"))
st.caption(_("A week the period cuts (such as the one still running) is scaled to seven days."))
ui.chart(
    charts.organisations_over_time(weekly, _, value="per_week", y_title=_("Mentions per week")),
    key="peers_volume",
    width="stretch",
)
