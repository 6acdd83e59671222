"""Members page, "Manage" part: the member list, events, attendance lists and chat senders.

Mounted by ``pages/members.py`` for the roles that may edit members (``citra.access``). Each
form does what the matching CLI command does (``members import``, ``events add``, ``attendance
import``, ``members link``) through ``citra.pipeline`` or ``citra.store`` inside ``ui.writer``,
with the same validation and the same summary.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import streamlit as st

from citra import pipeline, ui
from citra.errors import CitraError
from citra.formatting import format_number
from citra.store.chats import link_sender
from citra.store.member_registry import EVENT_KINDS, add_event

_ = ui.t
UPLOAD_TYPES = ["csv", "xlsx", "xls", "txt"]


class Upload(Protocol):
    name: str

    def getvalue(self) -> bytes: ...


def _with_upload(
    upload: Upload, run: Callable[[Any, Path], dict[str, Any]]
) -> dict[str, Any] | None:
    """``run(db, path)`` on the uploaded file saved under its own name, ``db`` a writer;
    ``None`` after showing why it failed."""
    with tempfile.TemporaryDirectory(prefix="citra-members-") as folder:
        path = Path(folder) / (Path(upload.name.replace("\\", "/")).name or "upload")
        path.write_bytes(upload.getvalue())
        try:
            with ui.writer() as db:
                return run(db, path)
        except CitraError as error:
            ui.show_error(error)
            return None


def _errors(summary: dict[str, Any]) -> None:
    entries = summary.get("errors") or []
    if entries:
        lang = ui.lang()
        st.dataframe(
            [{_("Problem"): CitraError.from_dict(entry).describe(lang)} for entry in entries[:200]],
            hide_index=True,
            placeholder="–",
        )


def registry_form() -> None:
    st.markdown(f"**{_('Member list')}**")
    st.caption(
        _(
            "A CSV or Excel file with member number, name, phone, join date, status and branch "
            "(Indonesian or English headers). Importing again updates members; phone numbers are "
            "stored only as salted hashes."
        )
    )
    upload = st.file_uploader(
        _("Member list file"),
        type=UPLOAD_TYPES,
        key="members_registry",
        help=ui.upload_help(UPLOAD_TYPES),
    )
    if upload is not None and st.button(_("Import member list"), key="members_registry_go"):
        summary = _with_upload(
            upload, lambda db, path: pipeline.import_registry(db, path, file_name=upload.name)
        )
        if summary is not None:
            st.success(
                _(
                    "{added} added, {updated} updated, {unchanged} unchanged, {rejected} rejected",
                    added=format_number(summary["added"], ui.lang()),
                    updated=format_number(summary["updated"], ui.lang()),
                    unchanged=format_number(summary["unchanged"], ui.lang()),
                    rejected=format_number(summary["rejected"], ui.lang()),
                )
            )
            _errors(summary)


def event_form() -> None:
    st.markdown(f"**{_('Add an event')}**")
    kind_names = {
        "rat": _("RAT (annual member meeting)"),
        "meeting": _("Meeting"),
        "training": _("Training"),
    }
    with st.form("members_event_form", clear_on_submit=True):
        name = st.text_input(_("Event name"), placeholder="RAT Tahun Buku 2025")
        kind = st.selectbox(
            _("Kind"),
            list(EVENT_KINDS),
            format_func=kind_names.__getitem__,
            key="members_event_kind",
            placeholder=_("Choose an option"),
        )
        when = st.date_input(_("Date"), value=date.today(), format="DD/MM/YYYY")
        book_year = st.number_input(
            _("Book year (empty: the year before a RAT's date)"),
            min_value=1990,
            max_value=2100,
            value=None,
            step=1,
        )
        if st.form_submit_button(_("Add event")):
            if not name.strip():
                st.error(_("The event needs a name."))
                return
            try:
                with ui.writer() as db:
                    add_event(
                        db,
                        name.strip(),
                        kind=kind,
                        date=when.isoformat(),
                        book_year=int(book_year) if book_year else None,
                    )
            except CitraError as error:
                ui.show_error(error)
            else:
                ui.remember_message(_("Event added: {name}", name=name.strip()))
                st.rerun()


def attendance_import_form(events: list[dict[str, Any]]) -> None:
    st.markdown(f"**{_('Attendance list')}**")
    if not events:
        st.caption(_("Add an event first."))
        return
    labels = {e["id"]: f"{e['date']} · {e['name']}" for e in events}
    event_id = st.selectbox(
        _("Event"),
        list(labels),
        format_func=labels.get,
        index=len(labels) - 1,
        key="members_att_event",
        placeholder=_("Choose an option"),
    )
    upload = st.file_uploader(
        _("Attendance file (member number or name, attended, asked, proposed)"),
        type=UPLOAD_TYPES,
        key="members_att_file",
        help=ui.upload_help(UPLOAD_TYPES),
    )
    if upload is not None and st.button(_("Import attendance"), key="members_att_go"):
        summary = _with_upload(
            upload,
            lambda db, path: pipeline.import_attendance(
                db, int(event_id), path, file_name=upload.name
            ),
        )
        if summary is not None:
            st.success(
                _(
                    "{added} added, {updated} updated, {unknown} unknown members, {rejected} "
                    "rejected",
                    added=format_number(summary["added"], ui.lang()),
                    updated=format_number(summary["updated"], ui.lang()),
                    unknown=format_number(len(summary["unknown"]), ui.lang()),
                    rejected=format_number(summary["rejected"], ui.lang()),
                )
            )
            _errors(summary)


def link_form(senders: list[dict[str, Any]]) -> None:
    st.markdown(f"**{_('Link a chat sender to a member')}**")
    if not senders:
        st.caption(_("Every chat sender is linked to a member."))
        return
    names = {s["sender"]: f"{s['sender']} ({s['messages']})" for s in senders}
    with st.form("members_link_form", clear_on_submit=True):
        sender = st.selectbox(
            _("Sender"),
            list(names),
            format_func=names.get,
            key="members_link_sender",
            placeholder=_("Choose an option"),
        )
        member_no = st.text_input(_("Member number"), key="members_link_no")
        if st.form_submit_button(_("Link")):
            try:
                with ui.writer() as db:
                    result = link_sender(db, str(sender), member_no.strip())
            except CitraError as error:
                ui.show_error(error)
            else:
                ui.remember_message(
                    _(
                        "Linked {sender} to member {member} ({messages} messages).",
                        sender=sender,
                        member=result["member_no"],
                        messages=result["messages"],
                    )
                )
                st.rerun()


def render(events: list[dict[str, Any]], senders: list[dict[str, Any]]) -> None:
    """Draw the management forms (the caller checked the role)."""
    st.subheader(_("Manage members"))
    registry, meetings, chats = st.tabs(
        [_("Member list"), _("Events and attendance"), _("Chat senders")]
    )
    with registry:
        registry_form()
    with meetings:
        left, right = st.columns(2)
        with left:
            event_form()
        with right:
            attendance_import_form(events)
    with chats:
        link_form(senders)
