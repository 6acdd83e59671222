"""Members page ("Anggota"): participation vs engagement, the funnel, branches, RAT by RAT.

Aggregates for everyone; member names, message texts, senders to link and the attendance form
only for the roles allowed by ``citra.access`` (editors, admins). Phone numbers are never shown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from citra import access, charts, ui
from citra.errors import CitraError
from citra.formatting import (
    format_date,
    format_local_datetime,
    format_number,
    format_percent_value,
)
from citra.queries.engagement import members_overview
from citra.store.member_registry import record_member_attendance
from pages import members_manage

_ = ui.t
LANG = ui.lang()


def pct(value: float | None) -> str:
    return format_percent_value(value, LANG)


def ratio_text(value: float | None) -> str:
    return format_number(value, LANG, decimals=2) if value is not None else "–"


def tiles(row: dict[str, Any]) -> None:
    columns = st.columns(4)
    columns[0].metric(_("Active members"), format_number(row["active"], LANG))
    columns[1].metric(_("Participation rate"), pct(row["participation_rate"]))
    columns[2].metric(_("Engagement rate"), pct(row["engagement_rate"]))
    columns[3].metric(_("Engaged per participant"), ratio_text(row["ratio"]))


def attendance_form(events: list[dict[str, Any]]) -> None:
    st.subheader(_("Record attendance"))
    if not events:
        st.info(_("No events yet. Add one with: python -m citra events add NAME --kind rat"))
        return
    saved = st.session_state.pop("members_saved", None)
    if saved:
        st.success(_("Attendance saved for member {number}.", number=saved))
    labels = {e["id"]: f"{e['date']} · {e['name']}" for e in events}
    with st.form("attendance_form", clear_on_submit=True):
        event_id = st.selectbox(
            _("Event"),
            list(labels),
            format_func=labels.get,
            index=len(labels) - 1,
            placeholder=_("Choose an option"),
        )
        member_no = st.text_input(_("Member number"))
        attended = st.checkbox(_("Attended"), value=True)
        asked = st.checkbox(_("Asked a question"))
        proposed = st.checkbox(_("Made a proposal"))
        if st.form_submit_button(_("Save")):
            try:
                with ui.writer() as db:
                    record_member_attendance(
                        db, event_id, member_no, attended=attended, asked=asked, proposed=proposed
                    )
            except CitraError as error:
                ui.show_error(error)
            else:
                st.session_state["members_saved"] = member_no.strip()
            if "members_saved" in st.session_state:
                st.rerun()  # redraw the figures above with the new attendance


def main() -> None:
    ui.demo_banner()
    st.title(_("Members"))
    st.caption(
        _(
            "Participation is showing up (attending the RAT and meetings); engagement is asking, "
            "proposing and sharing."
        )
    )
    role = ui.role()
    show_names = access.can_see_names(role)
    first = ui.cached(members_overview, year=None, show_names=show_names)
    options: list[int | None] = [*first["years_available"], None]
    # A dict's bound .get pickles (a lambda does not), as serializable session state requires.
    year_labels = {y: _("All time") if y is None else str(y) for y in options}
    year = st.selectbox(
        _("Year"),
        options,
        format_func=year_labels.get,
        key="members_year",
        placeholder=_("Choose an option"),
    )
    data = first if year is None else ui.cached(members_overview, year=year, show_names=show_names)
    can_edit = access.can_edit_members(role)
    ui.show_message()
    tiles(data["totals"])
    if data["totals"]["active"] == 0:
        st.info(
            _(
                "No members yet. Import the member list (a CSV or Excel file from the member "
                "registry) below; then add the RAT and its attendance list."
            )
            if can_edit
            else _("No members yet. The comms team imports the member list on this page.")
        )
        if can_edit:
            members_manage.render(data["events"], data["senders"])
        return
    st.caption(
        _(
            "Participation rate: active members who attended at least one event (RAT, meeting, "
            "training) in the period. Engagement rate: active members who asked, proposed or "
            "shared at least once, at an event, in a chat or in a public post. The funnel's "
            "'Engaged' stage counts only participants who also engaged, so it is smaller."
        )
    )

    left, right = st.columns(2)
    with left:
        st.subheader(_("Participation and engagement by year"))
        ui.chart(charts.member_rates(data["years"], _), key="members_years")
    with right:
        st.subheader(_("Funnel"))
        ui.chart(charts.member_funnel(data["funnel"], _), key="members_funnel")

    left, right = st.columns(2)
    with left:
        st.subheader(_("Engaged members per participant"))
        ui.chart(charts.member_ratio(data["years"], _), key="members_ratio")
    with right:
        st.subheader(_("By month"))
        ui.chart(charts.member_rates(data["months"], _), key="members_months")

    st.subheader(_("Annual member meetings (RAT)"))
    if data["rat"]:
        st.dataframe(
            [
                {
                    _("Date"): format_date(date.fromisoformat(row["date"]), LANG),
                    _("Event"): row["name"],
                    _("Book year"): row["book_year"],
                    _("Attended"): row["participants"],
                    _("Active members"): row["active"],
                    _("Participation rate"): pct(row["participation_rate"]),
                    _("Asked or proposed"): row["engaged"],
                }
                for row in data["rat"]
            ],
            hide_index=True,
            key="members_rat_table",
            placeholder="–",
        )
    else:
        st.caption(_("No RAT recorded yet."))

    left, right = st.columns(2)
    with left:
        st.subheader(_("Branches compared"))
        ui.chart(charts.member_groups(data["branches"], _), key="members_branches")
    with right:
        st.subheader(_("By membership age (years)"))
        ui.chart(charts.member_groups(data["ages"], _), key="members_ages")

    if not show_names:
        st.caption(_("Names, messages and the attendance form are shown to the comms team only."))
        return

    st.subheader(_("Most engaged members"))
    st.dataframe(
        [
            {
                _("Member number"): r["member_no"],
                _("Name"): r["name"],
                _("Branch"): r["branch"],
                _("Actions"): r["actions"],
                _("Questions"): r["questions"],
                _("Proposals"): r["proposals"],
                _("Shares"): r["shares"],
                _("Public posts"): r["public_shares"],
            }
            for r in data["top"]
        ],
        hide_index=True,
        key="members_top",
        placeholder="–",
    )
    st.subheader(_("Questions with no reply within 48 hours"))
    if data["unanswered"]:
        st.dataframe(
            [
                {
                    _("Group"): r["group"],
                    _("Time"): format_local_datetime(r["local_time"], LANG),
                    _("Sender"): r["sender"],
                    _("Question"): r["text"],
                }
                for r in data["unanswered"]
            ],
            hide_index=True,
            key="members_unanswered",
            placeholder="–",
        )
    else:
        st.caption(_("None."))
    st.subheader(_("Senders to link"))
    if data["senders"]:
        st.dataframe(
            [
                {
                    _("Sender"): r["sender"],
                    _("Messages"): r["messages"],
                    _("Last message"): format_local_datetime(r["last"], LANG),
                }
                for r in data["senders"]
            ],
            hide_index=True,
            key="members_senders",
            placeholder="–",
        )
    else:
        st.caption(_("None."))
    if can_edit:
        attendance_form(data["events"])
        members_manage.render(data["events"], data["senders"])


main()
