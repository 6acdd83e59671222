"""Start page: first-run setup when there is no coop yet, else the profile and what is stored."""

from __future__ import annotations

import streamlit as st

from citra import access, pipeline, store, ui
from citra.errors import CitraError
from citra.formatting import format_number
from citra.queries.organisations import get_self, list_organisations

_ = ui.t
ui.demo_banner()


def split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def first_run_setup() -> None:
    st.title(_("Welcome to Citra"))
    if not access.can_administer(ui.role()):
        st.info(_("An admin tells Citra which coop to watch; until then there is nothing to show."))
        return
    st.write(
        _(
            "Tell Citra which coop to watch. Keywords are the other names people use for it; "
            "peers are the coops you compare with."
        )
    )
    with st.form("setup"):
        name = st.text_input(_("Coop name"), placeholder="Koperasi Sejahtera Bersama")
        keywords = st.text_input(
            _("Keywords and aliases (comma-separated)"), placeholder="KSP Sejahtera, #kopsejahtera"
        )
        peers = st.text_area(
            _("Peer coops (one per line)"), placeholder="KSP Maju Jaya\nKopdit Harapan"
        )
        submitted = st.form_submit_button(_("Save and start"), type="primary")
    if submitted:
        if not name.strip():
            st.error(_("The coop needs a name."))
            return
        try:
            with ui.writer() as db:
                pipeline.save_profile(db, name=name, keywords=split(keywords))
                for peer in split(peers.replace(",", "\n")):
                    pipeline.save_peer(db, peer)
        except CitraError as error:
            ui.show_error(error)
            return
        ui.clear_caches()
        st.rerun()


def profile_summary() -> None:
    coop = ui.cached(get_self)
    assert coop is not None
    st.title(ui.plain(coop.name))
    peers = ui.cached(list_organisations, "peer")
    left, right = st.columns(2)
    with left:
        st.subheader(_("Profile"))
        # Names, keywords and the website are shown as text (ui.plain), never as Markdown.
        keywords = ui.plain(", ".join(coop.keywords)) or "–"
        excluded = ui.plain(", ".join(coop.exclude_keywords)) or "–"
        st.markdown(f"**{_('Keywords')}:** {keywords}")
        st.markdown(f"**{_('Excluded words')}:** {excluded}")
        st.markdown(f"**{_('Website')}:** {ui.plain(coop.website) or '–'}")
        st.markdown(f"**{_('Peers')}:** {ui.plain(', '.join(p.name for p in peers)) or '–'}")
    with right:
        st.subheader(_("Stored"))
        counts = ui.cached(store.table_counts)
        for label, table in ((_("Mentions"), "mentions"), (_("Imports"), "imports")):
            st.metric(label, format_number(counts.get(table, 0), ui.lang()))


if ui.cached(get_self) is None:
    first_run_setup()
else:
    profile_summary()
