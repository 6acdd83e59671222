"""Topics (Topik): words, hashtags and phrases rising against the previous period."""

from __future__ import annotations

import streamlit as st

from citra import charts, ui
from citra.formatting import format_date, format_number
from citra.topics import topic_lists

SAMPLE = 4000  # newest mentions per period the terms are counted in; keeps the page fast

_ = ui.t
lang = ui.lang()
ui.coop_or_stop()
f = ui.filters()
before_filters = f.previous(ui.timezone())

st.title(_("Topics"))
st.caption(
    _(
        "What people talk about more in {first} to {last} than in {previous_first} to "
        "{previous_last}. Counted in the newest {sample} mentions of each period.",
        first=format_date(f.first_day, lang),
        last=format_date(f.last_day, lang),
        previous_first=format_date(before_filters.first_day, lang),
        previous_last=format_date(before_filters.last_day, lang),
        sample=format_number(SAMPLE, lang),
    )
)
st.caption(
    _(
        "A longer bar is a clearer rise. Point at a bar to see in how many mentions its term "
        "was, now and before."
    )
)
# Counted once per period and data version (citra.topics.topic_lists): organisation names are
# left out, and one list holds the words of one language, that of most mentions now (an English
# news story's words do not mix into Indonesian topics; an English-speaking coop gets English).
topics = ui.cached(topic_lists, f, before_filters, SAMPLE)
if not topics.mentions:
    st.info(_("No mentions in this period. Choose a longer period in the sidebar."))
    st.stop()
if topics.other_language:
    st.caption(
        _(
            "{count} mentions in another language are left out of these lists.",
            count=format_number(topics.other_language, lang),
        )
    )

groups = {
    "all": _("All mentions"),
    "negative": _("Negative mentions"),
    "positive": _("Positive mentions"),
}
chosen: tuple[str, str] | None = None  # (group, term)
for column, (label, title) in zip(st.columns(3), groups.items(), strict=True):
    with column:
        st.subheader(title)
        # One term per topic: no fragments beside their phrase ("completes delayed").
        found = topics.rising[label]
        if not found:
            st.caption(_("Nothing rising here."))
            continue
        ui.chart(
            charts.rising_terms(
                [r.term for r in found],
                [r.z for r in found],
                label,
                _,
                now=[r.now for r in found],
                before=[r.before for r in found],
            ),
            key=f"topics_{label}",
            width="stretch",
        )
        picked = st.pills(
            _("See the mentions of"),
            [r.term for r in found],
            key=f"topics_pick_{label}",
            wrap=True,
        )
        if picked:
            chosen = (label, picked)

if chosen:
    # Hand the term to the Mentions page as a full-text query (a phrase, without the '#'), with
    # the sentiment of the column it was picked in. st.switch_page forgets the sidebar's widget
    # state, so the link's copy of the filters (period, platforms, organisation, language)
    # travels with it and the sidebar restores them from there.
    group, term = chosen
    st.session_state["m_text"] = f'"{term.lstrip("#")}"'
    st.session_state["m_labels"] = [] if group == "all" else [group]
    st.session_state["m_page"] = 1
    st.switch_page("pages/mentions.py", query_params=st.query_params.to_dict())
