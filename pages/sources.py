"""Sources page ("Sumber"): where the comms team brings data in — news feeds and export files."""

from __future__ import annotations

import streamlit as st

from citra import ui
from pages import sources_feeds

_ = ui.t

st.title(_("Sources"))
(feeds_tab,) = st.tabs([_("News feeds")])
with feeds_tab:
    sources_feeds.render(ui.translator())
