"""The Settings page's users and audit log (admins only; mounted by ``pages/settings.py``).

Users are added, given another role or removed here or with ``citra users``; every change, login
and failed login is in the audit log below (newest first, a CSV of all of it to download).
"""

from __future__ import annotations

import streamlit as st

from citra import access, auth, ui
from citra.errors import CitraError
from citra.queries.audit import audit_csv, audit_frame
from citra.queries.users import list_users
from citra.store.users import add_user, remove_user, set_role

SHOWN_AUDIT_ROWS = 200

_ = ui.t


def users_section() -> None:
    st.subheader(_("Users and roles"))
    role_names = {role: ui.role_name(role) for role in access.ROLES}
    users = ui.cached(list_users)
    if not users:
        st.caption(
            _(
                "No users yet: Citra needs no login on this computer. Once you add a user, "
                "everyone logs in, and Citra may then be served on the office network."
            )
        )
    else:
        st.dataframe(
            [
                {
                    _("User name"): user.name,
                    _("Role"): ui.role_name(user.role),
                    _("Last login (UTC)"): user.last_login_at or "–",
                }
                for user in users
            ],
            hide_index=True,
            key="access_users",
            placeholder="–",
        )
    with st.form("access_add_user", clear_on_submit=True):
        name = st.text_input(_("User name"), key="access_new_name")
        role = st.selectbox(
            _("Role"),
            access.ROLES,
            format_func=role_names.__getitem__,
            key="access_new_role",
            placeholder=_("Choose an option"),
        )
        password = st.text_input(_("Password"), type="password", key="access_new_password")
        if st.form_submit_button(_("Add user")):
            try:
                with ui.writer() as db:
                    add_user(db, name, role, auth.hash_password(password))
            except CitraError as error:
                ui.show_error(error)
            else:
                ui.remember_message(_("User {name} added.", name=name.strip()))
                st.rerun()
    if not users:
        return
    chosen = st.selectbox(
        _("User"),
        [user.name for user in users],
        key="access_chosen_user",
        index=None,
        placeholder=_("Choose an option"),
    )
    if chosen is None:
        return
    new_role = st.selectbox(
        _("New role"),
        access.ROLES,
        format_func=role_names.__getitem__,
        key="access_chosen_role",
        placeholder=_("Choose an option"),
    )
    change, remove = st.columns(2)
    try:
        if change.button(_("Change role"), key="access_change_role"):
            with ui.writer() as db:
                set_role(db, chosen, new_role)
            ui.remember_message(_("Role of {name} changed.", name=chosen))
            st.rerun()
        if remove.button(_("Remove user"), key="access_remove_user"):
            with ui.writer() as db:
                remove_user(db, chosen)
            ui.remember_message(_("User {name} removed.", name=chosen))
            st.rerun()
    except CitraError as error:
        ui.show_error(error)


def audit_section() -> None:
    st.subheader(_("Audit log"))
    st.caption(
        _("Who changed what and when (UTC), logins and failed logins included. Nobody can edit it.")
    )
    frame = ui.cached(audit_frame, limit=SHOWN_AUDIT_ROWS)
    st.dataframe(frame, hide_index=True, key="access_audit", placeholder="–")
    st.download_button(
        _("Download the audit log (CSV)"),
        ui.deferred(audit_csv),
        file_name="citra-audit.csv",
        mime="text/csv",
        key="access_audit_csv",
    )


def render() -> None:
    """Both sections, for admins only (the navigation already hides the page from others)."""
    if not access.can_administer(ui.role()):
        return
    users_section()
    audit_section()
