"""Peers (Pesaing): share of voice, sentiment and volume against the peer coops over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from citra import charts, ui
from citra.comparison import (
    MIN_WEEKLY_MENTIONS,
    organisation_totals,
    weekly_reputation,
    weekly_share,
)
from citra.filters import local_now
from citra.formatting import format_date, format_number, format_percent_value, format_points
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

totals = organisation_totals(daily, coop.id)
rows = [
    {
        _("Organisation"): row.organisation,
        _("Mentions"): format_number(row.mentions, lang),
        _("Share of voice"): format_percent_value(row.share_of_voice, lang),
        _("Net sentiment"): format_points(row.net_sentiment, lang),
        _("Reputation index"): format_points(row.reputation_index, lang),
    }
    for row in totals
]
table = pd.DataFrame(rows)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    key="peers_table",
    column_config={
        _("Mentions"): st.column_config.TextColumn(alignment="right"),
        _("Share of voice"): st.column_config.TextColumn(alignment="right"),
        _("Net sentiment"): st.column_config.TextColumn(alignment="right"),
        _("Reputation index"): st.column_config.TextColumn(alignment="right"),
    },
    placeholder="–",
)

left, right = st.columns(2)
with left:
    st.subheader(_("Net sentiment"))
    ui.chart(
        charts.net_sentiment_bars(
            [row.organisation for row in totals], [row.net_sentiment for row in totals], _
        ),
        key="peers_net",
        width="stretch",
    )
with right:
    st.subheader(_("Share of voice per week"))
    weekly = weekly_share(
        daily,
        list(table[_("Organisation")]),
        first_day=f.first_day,
        last_day=f.last_day,
        now=local_now(ui.timezone()),
    )
    ui.chart(
        charts.organisations_over_time(
            weekly, _, value="share", y_title=_("Share of voice"), percent=True
        ),
        key="peers_share",
        width="stretch",
    )
st.subheader(_("Reputation index per week"))
st.caption(
    _(
        "Reach-weighted net sentiment, from −100 (all negative) to +100 (all positive), each "
        "organisation's own week by week; a week with fewer than {count} scored mentions is left "
        "as a gap.",
        count=MIN_WEEKLY_MENTIONS,
    )
)
ui.chart(
    charts.organisations_over_time(
        weekly_reputation(daily, list(table[_("Organisation")])),
        _,
        value="index",
        y_title=_("Reputation index"),
        index=True,
    ),
    key="peers_index",
    width="stretch",
)
st.subheader(_("Mentions per week"))
st.caption(_("A week the period cuts (such as the one still running) is scaled to seven days."))
ui.chart(
    charts.organisations_over_time(weekly, _, value="per_week", y_title=_("Mentions per week")),
    key="peers_volume",
    width="stretch",
)
