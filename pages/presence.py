"""Digital presence (Kehadiran Digital): the coop's channels and the activity of its own accounts."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st
from babel.dates import format_date as babel_format_date

from citra import charts, metrics, ui
from citra.formatting import format_date, format_number
from citra.presence import channels, silent_months
from citra.queries.presence import last_own_post, own_monthly_activity

_ = ui.t
lang = ui.lang()


def month_name(month: str) -> str:
    """``2026-07`` -> ``Jul 2026`` in the session's language."""
    return babel_format_date(date.fromisoformat(f"{month}-01"), "MMM y", locale=lang)


coop = ui.coop_or_stop()
f = ui.filters()
last_day = date.fromisoformat(f.last_day)
first_day = (last_day.replace(day=1) - timedelta(days=335)).replace(day=1)  # 12 months

st.title(_("Digital presence"))
st.caption(
    _("Where {name} can be found online, and how active its own accounts are.", name=coop.name)
)
channel_names = {
    "website": _("Website"),
    "email": _("Email"),
    "x": "X (Twitter)",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "whatsapp": "WhatsApp",
}
latest = ui.cached(last_own_post, coop.id)
monthly = ui.cached(own_monthly_activity, coop.id, first_day.isoformat(), f.last_day)
status_names = {
    "missing": _("missing"),
    "no_posts": _("no posts imported"),
    "quiet": _("quiet"),
    "active": _("active"),
    "listed": _("listed"),
}
gaps: list[str] = []
rows = []
for state in channels(coop, latest, last_day):
    name = channel_names[state.channel]
    if state.status == "missing":
        gaps.append(_("No {channel} recorded in the profile.", channel=name))
    elif state.status == "no_posts":
        gaps.append(
            _("{channel}: no own posts imported yet (import the account's export).", channel=name)
        )
    elif state.status == "quiet":
        gaps.append(
            _(
                "{channel}: no post since {day}.",
                channel=name,
                day=format_date(state.last_post, lang),
            )
        )
    rows.append(
        {
            _("Channel"): name,
            _("Address"): state.address or "–",
            _("Last own post"): format_date(state.last_post, lang) if state.last_post else "–",
            _("Status"): status_names[state.status],
        }
    )
st.dataframe(
    pd.DataFrame(rows), hide_index=True, width="stretch", key="presence_table", placeholder="–"
)

for platform, silent in silent_months(monthly, first_day, last_day).items():
    gaps.append(
        _(
            "{channel}: no posts in {months}.",
            channel=channel_names.get(platform, platform),
            months=", ".join(month_name(m) for m in silent),
        )
    )

st.subheader(_("Gaps"))
if gaps:
    st.markdown("\n".join(f"- {gap}" for gap in gaps))
else:
    st.success(_("Every channel is listed and active."))

st.subheader(_("Own posts per month"))
if monthly.empty:
    st.info(
        _("No own-account posts in the last 12 months. Import the exports of the coop's accounts.")
    )
    st.stop()
posts = int(monthly["posts"].sum())
engagement = int(monthly["engagement"].sum())
tiles = st.columns(3)
tiles[0].metric(_("Own posts, 12 months"), format_number(posts, lang), border=True)
tiles[1].metric(
    _("Engagement per post"),
    format_number(metrics.per_post(engagement, posts), lang),
    help=_("Likes, comments and shares per own post."),
    border=True,
)
tiles[2].metric(_("Posts per month"), format_number(posts / 12, lang, 1), border=True)
ui.chart(charts.own_activity(monthly, _), key="presence_activity", width="stretch")
