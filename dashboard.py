"""Citra's Streamlit entry point: page set-up, shared sidebar filters, language, navigation.

Run with ``streamlit run dashboard.py`` (or ``make run``). Pages live in ``pages/`` and only call
``citra`` functions; this file holds no SQL and no business rules. The sidebar filters are keyed
widgets (``ui.FILTER_KEYS``) that pages read through ``ui.filters()``; they are mirrored in the
link's query parameters (``range``, ``from``, ``to``, ``platforms``, ``org``, ``lang``) so a link
reproduces the view.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from citra import ui
from citra.filters import (
    DEFAULT_PRESET,
    OPENING_LAST_MONTH_DAYS,
    PRESETS,
    local_today,
    opening_preset,
    preset_range,
)
from citra.formatting import platform_name
from citra.i18n import LANGUAGES
from citra.queries.organisations import list_organisations
from citra.store.mentions import PLATFORMS

# The icon is a file served by Citra itself: a ":material/...:" page icon is fetched by every
# browser from Google's font server (issue 17: no request leaves for a third party).
st.set_page_config(page_title="Citra", page_icon=ui.FAVICON, layout="wide")
ui.ensure_database()
keys = ui.FILTER_KEYS
link = st.query_params

# The language: from the link (?lang=en), else the stored setting; mirrored back into the link.
if "lang" not in st.session_state:
    from_link = link.get("lang")
    st.session_state["lang"] = from_link if from_link in LANGUAGES else ui.lang()
st.sidebar.selectbox(
    "Bahasa / Language", options=list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="lang"
)
_ = ui.t


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


# First run of a session: the filters start from the link, else the defaults.
if keys["preset"] not in st.session_state:
    preset = link.get("range")
    opening = opening_preset(local_today(ui.timezone()))
    st.session_state[keys["preset"]] = preset if preset in PRESETS else opening
    st.session_state[keys["platforms"]] = [
        p for p in link.get("platforms", "").split(",") if p in PLATFORMS
    ]
    organisation = link.get("org", "")
    if organisation.isdigit():
        st.session_state[keys["organisation"]] = int(organisation)
if st.session_state[keys["preset"]] == "custom":
    default_first, default_last = preset_range(DEFAULT_PRESET, local_today(ui.timezone()))
    st.session_state.setdefault(keys["first"], _day(link.get("from")) or default_first)
    st.session_state.setdefault(keys["last"], _day(link.get("to")) or default_last)

organisations = ui.cached(list_organisations)
coop = next((o for o in organisations if o.kind == "self"), None)
org_names = {ui.ALL_ORGANISATIONS: _("All organisations")} | {o.id: o.name for o in organisations}
if st.session_state.get(keys["organisation"]) not in org_names:
    st.session_state[keys["organisation"]] = coop.id if coop else ui.ALL_ORGANISATIONS

preset_names = {
    "today": _("Today"),
    "yesterday": _("Yesterday"),
    "7d": _("Last 7 days"),
    "30d": _("Last 30 days"),
    "90d": _("Last 90 days"),
    "this_month": _("This month"),
    "last_month": _("Last month"),
    "this_quarter": _("This quarter"),
    "this_year": _("This year"),
    "custom": _("Custom range"),
}
with st.sidebar:
    st.selectbox(
        _("Period"),
        options=list(PRESETS),
        format_func=preset_names.__getitem__,
        key=keys["preset"],
        help=_(
            "Citra opens on last month during the first {days} days of a month (the month just "
            "ended, as the board reviews it) and on this month afterwards.",
            days=OPENING_LAST_MONTH_DAYS,
        ),
    )
    if st.session_state[keys["preset"]] == "custom":
        st.date_input(_("From"), key=keys["first"], format="DD/MM/YYYY")
        st.date_input(_("To"), key=keys["last"], format="DD/MM/YYYY")
    st.multiselect(
        _("Platforms"),
        options=list(PLATFORMS),
        format_func=partial(platform_name, lang=ui.lang()),
        key=keys["platforms"],
        placeholder=_("All platforms"),
    )
    st.selectbox(
        _("Organisation"),
        options=list(org_names),
        format_func=org_names.__getitem__,
        key=keys["organisation"],
    )

# Mirror the view into the link.
state = st.session_state
link["lang"] = state["lang"]
link["range"] = state[keys["preset"]]
if state[keys["preset"]] == "custom":
    link["from"] = str(state.get(keys["first"]))
    link["to"] = str(state.get(keys["last"]))
else:
    for name in ("from", "to"):
        link.pop(name, None)
if state[keys["platforms"]]:
    link["platforms"] = ",".join(state[keys["platforms"]])
else:
    link.pop("platforms", None)
link["org"] = str(state[keys["organisation"]])

# url_path must differ from the file's name: until the first st.navigation call in a server
# process Streamlit still routes a link like /overview to pages/overview.py alone (its old
# pages/ folder behaviour), skipping this file and its sidebar. Indonesian paths avoid that.
pages = [
    st.Page(
        "pages/overview.py",
        title=_("Overview"),
        icon=":material/dashboard:",
        url_path="ringkasan",
        default=coop is not None,
    ),
    st.Page("pages/mentions.py", title=_("Mentions"), icon=":material/forum:", url_path="sebutan"),
    st.Page("pages/topics.py", title=_("Topics"), icon=":material/tag:", url_path="topik"),
    st.Page("pages/peers.py", title=_("Peers"), icon=":material/groups:", url_path="pesaing"),
    st.Page(
        "pages/presence.py",
        title=_("Digital presence"),
        icon=":material/public:",
        url_path="kehadiran",
    ),
    st.Page("pages/members.py", title=_("Members"), icon=":material/badge:", url_path="anggota"),
    st.Page(
        "pages/reports.py", title=_("Reports"), icon=":material/summarize:", url_path="laporan"
    ),
    st.Page("pages/sources.py", title=_("Sources"), icon=":material/input:", url_path="sumber"),
    st.Page(
        "pages/settings.py", title=_("Settings"), icon=":material/settings:", url_path="pengaturan"
    ),
    st.Page(
        "pages/privacy.py", title=_("Privacy"), icon=":material/shield_person:", url_path="privasi"
    ),
    # Before the first-run setup the Start page opens first; afterwards the Overview does.
    st.Page(
        "pages/home.py",
        title=_("Start"),
        icon=":material/home:",
        url_path="start",
        default=coop is None,
    ),
]
navigation = st.navigation(pages)
navigation.run()
