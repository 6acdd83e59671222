"""Sources page ("Sumber"): where the comms team brings data in — news feeds and export files."""

from __future__ import annotations

import streamlit as st

from citra import access, ui
from pages import sources_feeds, sources_imports

_ = ui.t

ui.require_role(access.EDITOR)
ui.demo_banner()
st.title(_("Sources"))
files_tab, feeds_tab = st.tabs([_("Import files"), _("News feeds")])
with files_tab:
    sources_imports.render(ui.translator())
with feeds_tab:
    sources_feeds.render(ui.translator())
