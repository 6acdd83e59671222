"""Citra's Streamlit entry point: page set-up, language switch, navigation.

Run with ``streamlit run dashboard.py`` (or ``make run``). Pages live in ``pages/`` and only call
``citra`` functions; this file holds no SQL and no business rules.
"""

from __future__ import annotations

import streamlit as st

from citra import ui
from citra.i18n import LANGUAGES

st.set_page_config(page_title="Citra", page_icon=":material/insights:", layout="wide")
ui.ensure_database()

# The language: from the link (?lang=en), else the stored setting; mirrored back into the link.
if "lang" not in st.session_state:
    from_link = st.query_params.get("lang")
    st.session_state["lang"] = from_link if from_link in LANGUAGES else ui.lang()
st.sidebar.selectbox(
    "Bahasa / Language", options=list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="lang"
)
st.query_params["lang"] = st.session_state["lang"]
_ = ui.t

pages = [
    st.Page("pages/home.py", title=_("Start"), icon=":material/home:", url_path="start"),
    st.Page("pages/sources.py", title=_("Sources"), icon=":material/input:", url_path="sources"),
    st.Page("pages/members.py", title=_("Members"), icon=":material/groups:", url_path="members"),
]
navigation = st.navigation(pages)
navigation.run()
