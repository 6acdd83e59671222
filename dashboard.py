"""Citra's Streamlit entry point: page set-up, shared sidebar filters, language, navigation.

Run with ``streamlit run dashboard.py`` (or ``make run``). Pages live in ``pages/`` and only call
``citra`` functions; this file holds no SQL and no business rules. The sidebar filters are keyed
widgets (``ui.FILTER_KEYS``) that pages read through ``ui.filters()``; they are mirrored in the
link's query parameters (``range``, ``from``, ``to``, ``platforms``, ``org``, ``lang``) so a link
reproduces the view.

Logins come first (``ui.session_actor``): once a user exists everyone logs in, and until then
the app serves data only when it listens on this computer; otherwise only the login page runs.
The navigation shows each role only its pages (``citra.access.can_open``), and the pages run as
the session's user, so every write checks that user's role.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from citra import access, ui
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
from pages import login

# The icon is a file served by Citra itself: a ":material/...:" page icon is fetched by every
# browser from Google's font server (issue 17: no request leaves for a third party).
st.set_page_config(page_title="Citra", page_icon=ui.FAVICON, layout="wide")
ui.ensure_database()
keys = ui.FILTER_KEYS
link = st.query_params
# Each page's address (its url_path), the Overview's first; see the navigation at the end.
URL_PATHS = (
    "ringkasan",
    "sebutan",
    "topik",
    "pesaing",
    "kehadiran",
    "anggota",
    "laporan",
    "sumber",
    "pengaturan",
    "start",
)

# The language: from the link (?lang=en), else the stored setting; mirrored back into the link.
if "lang" not in st.session_state:
    from_link = link.get("lang")
    st.session_state["lang"] = from_link if from_link in LANGUAGES else ui.lang()
st.sidebar.selectbox(
    "Bahasa / Language",
    options=list(LANGUAGES),
    format_func=LANGUAGES.__getitem__,
    key="lang",
    placeholder="Pilih / Choose",
)
_ = ui.t

# Who uses this session; nobody yet: every page's address shows the login (or, with no users on
# a network address, how to add the first admin) and no data is read. The addresses are the
# pages' own, so a link opened before logging in shows its page once logged in.
# The privacy notice is public (it reads no data): its address shows it before a login too.
actor = ui.session_actor()
with st.sidebar:
    ui.session_cookie_script()  # a login or logout just now: the browser's cookie follows
if actor is None:
    notice = st.Page(
        "pages/privacy.py", title=_("Privacy"), icon=":material/shield_person:", url_path="privasi"
    )
    gate = [
        st.Page(login.render, title=_("Log in"), url_path=path, default=path == URL_PATHS[0])
        for path in URL_PATHS
    ]
    gated = st.navigation([*gate, notice], position="hidden")
    st.sidebar.page_link(notice, label=_("Privacy"), icon=":material/shield_person:")
    gated.run()
    st.stop()
ui.auth_sidebar(actor)


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
    "24h": _("Last 24 hours"),
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
        placeholder=_("Choose an option"),
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
        placeholder=_("Choose an option"),
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
def _page(stem: str, title: str, **options: object) -> st.Page | None:
    """``pages/<stem>.py`` if the session's role may open it (``citra.access.can_open``)."""
    if not access.can_open(actor.role, stem):
        return None
    return st.Page(f"pages/{stem}.py", title=title, **options)  # type: ignore[arg-type]


start_page = _page("home", title=_("Start"), icon=":material/home:", url_path="start")
pages = [
    page
    for page in (
        _page(
            "overview",
            title=_("Overview"),
            icon=":material/dashboard:",
            url_path="ringkasan",
            default=True,
        ),
        _page("mentions", title=_("Mentions"), icon=":material/forum:", url_path="sebutan"),
        _page("topics", title=_("Topics"), icon=":material/tag:", url_path="topik"),
        _page("peers", title=_("Peers"), icon=":material/groups:", url_path="pesaing"),
        _page(
            "narratives",
            title=_("Narratives & plan"),
            icon=":material/campaign:",
            url_path="narasi",
        ),
        _page(
            "presence",
            title=_("Digital presence"),
            icon=":material/public:",
            url_path="kehadiran",
        ),
        _page("members", title=_("Members"), icon=":material/badge:", url_path="anggota"),
        _page("reports", title=_("Reports"), icon=":material/summarize:", url_path="laporan"),
        _page("sources", title=_("Sources"), icon=":material/input:", url_path="sumber"),
        _page("settings", title=_("Settings"), icon=":material/settings:", url_path="pengaturan"),
        _page("privacy", title=_("Privacy"), icon=":material/shield_person:", url_path="privasi"),
        start_page,
    )
    if page is not None
]
navigation = st.navigation(pages)
# Before the first-run setup a visit opening at the root goes on to the Start page (later
# clicks on the Overview show its pointer to Start). The Overview stays the default page
# either way: a default page has no path of its own, so /start would be "Page not found" on
# an empty install if Start were the default.
if coop is None and navigation.url_path == "" and "arrived" not in st.session_state:
    st.session_state["arrived"] = True
    st.switch_page(start_page)
st.session_state["arrived"] = True
with access.acting(actor):
    navigation.run()
