"""Settings (Pengaturan): profile, keywords, peers, language, timezone, demo data."""

from __future__ import annotations

import streamlit as st

from citra import ui
from citra.demo import remove_demo
from citra.i18n import LANGUAGES
from citra.queries.dashboard import has_demo_data
from citra.queries.organisations import list_organisations
from citra.queries.settings import get_setting
from citra.store.organisations import add_peer, remove_peer, set_profile
from citra.store.settings import set_setting

TIMEZONES = {
    "Asia/Jakarta": "WIB (Asia/Jakarta)",
    "Asia/Makassar": "WITA (Asia/Makassar)",
    "Asia/Jayapura": "WIT (Asia/Jayapura)",
}
ACCOUNTS = ("email", "x", "facebook", "instagram", "tiktok", "youtube", "whatsapp")

_ = ui.t
coop = ui.coop_or_stop()


def split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def saved(message: str) -> None:
    ui.clear_caches()
    st.toast(message)


st.title(_("Settings"))

st.subheader(_("Profile and keywords"))
with st.form("settings_profile"):
    name = st.text_input(_("Coop name"), value=coop.name)
    keywords = st.text_input(
        _("Keywords and aliases (comma-separated)"), value=", ".join(coop.keywords)
    )
    exclude = st.text_input(
        _("Excluded words (comma-separated)"),
        value=", ".join(coop.exclude_keywords),
        help=_("A mention containing one of these is not about the coop (e.g. 'Sejahtera Motor')."),
    )
    website = st.text_input(_("Website"), value=coop.website or "")
    columns = st.columns(2)
    accounts = {
        platform: columns[i % 2].text_input(
            platform.capitalize(), value=coop.accounts.get(platform, "")
        )
        for i, platform in enumerate(ACCOUNTS)
    }
    if st.form_submit_button(_("Save profile"), type="primary"):
        if not name.strip():
            st.error(_("The coop needs a name."))
        else:
            with ui.writer() as db:
                set_profile(
                    db,
                    name=name,
                    keywords=split(keywords),
                    exclude_keywords=split(exclude),
                    website=website,
                    accounts=accounts,
                )
            saved(_("Profile saved."))
            st.rerun()

st.subheader(_("Peers"))
peers = ui.cached(list_organisations, "peer")
for peer in peers:
    left, right = st.columns([5, 1])
    left.markdown(f"**{peer.name}** · {', '.join(peer.keywords) or '–'}")
    if right.button(_("Remove"), key=f"remove_peer_{peer.id}"):
        with ui.writer() as db:
            remove_peer(db, peer.id)
        saved(_("Peer removed."))
        st.rerun()
with st.form("settings_add_peer", clear_on_submit=True):
    peer_name = st.text_input(_("Peer name"))
    peer_keywords = st.text_input(_("Its keywords (comma-separated)"))
    if st.form_submit_button(_("Add peer")) and peer_name.strip():
        with ui.writer() as db:
            add_peer(db, peer_name, keywords=split(peer_keywords))
        saved(_("Peer saved."))
        st.rerun()

st.subheader(_("Language and timezone"))
with st.form("settings_locale"):
    stored_lang = ui.cached(get_setting, "language")
    language = st.selectbox(
        _("Default language"),
        list(LANGUAGES),
        index=list(LANGUAGES).index(stored_lang) if stored_lang in LANGUAGES else 0,
        format_func=LANGUAGES.__getitem__,
    )
    stored_tz = ui.timezone()
    timezone = st.selectbox(
        _("Timezone for dates and times"),
        list(TIMEZONES),
        index=list(TIMEZONES).index(stored_tz) if stored_tz in TIMEZONES else 0,
        format_func=TIMEZONES.__getitem__,
        help=_("Daily charts always count days in WIB (Asia/Jakarta)."),
    )
    if st.form_submit_button(_("Save")):
        with ui.writer() as db:
            set_setting(db, "language", language)
            set_setting(db, "timezone", timezone)
        saved(_("Settings saved."))

st.subheader(_("Custom sentiment words"))
st.caption(_("Words with a sentiment of their own in your coop's world are added here."))

st.subheader(_("Demo data"))
if ui.cached(has_demo_data):
    st.write(
        _(
            "The demo coop, its peers and their mentions are marked as demo data. Removing them "
            "deletes exactly those rows; everything you added yourself stays."
        )
    )
    confirm = st.checkbox(_("Yes, remove the demo data"), key="confirm_demo_removal")
    if st.button(_("Remove demo data"), disabled=not confirm, type="primary"):
        with ui.writer() as db:
            removed = remove_demo(db)
        saved(_("Demo data removed: {count} mentions.", count=removed["mentions"]))
        st.rerun()
else:
    st.caption(_("No demo data is stored."))
