"""The login page: what every address shows until the session's user logs in
(``dashboard.py`` registers :func:`render` under each page's address).

With no users on a network address it shows no form: it says how to add the first admin on the
server, since without users anyone who reaches the address could read everything.
"""

from __future__ import annotations

import streamlit as st

from citra import ui
from citra.auth import LoginRefused

_ = ui.t


def render() -> None:
    """The login form, or how to add the first admin."""
    st.title(_("Log in to Citra"))
    if not ui.logins_required():
        st.warning(
            _(
                "Citra listens on {address}, which other computers can reach, and has no users "
                "yet, so it shows no data. On the server, add the first admin with `citra users "
                "add NAME --role admin`, then reload this page. (To use Citra on this computer "
                "only, start it with `citra serve`, which listens on 127.0.0.1.)",
                address=ui.server_address() or "0.0.0.0",
            ),
            icon=":material/lock:",
        )
        return

    if ui.session_expired():
        st.info(_("Your session ended after a long time unused. Log in again."))
    with st.form("login"):
        name = st.text_input(_("User name"), key="login_name")
        password = st.text_input(_("Password"), type="password", key="login_password")
        submitted = st.form_submit_button(_("Log in"), type="primary")
    if submitted:
        try:
            ui.log_in(name, password)
        except LoginRefused as refused:
            ui.show_error(refused)
        else:
            st.rerun()
