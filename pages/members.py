"""Members page ("Anggota"): participation vs engagement, the funnel, branches, RAT by RAT.

Aggregates for everyone; member names, message texts, senders to link and the attendance form
only for the roles allowed by ``citra.access`` (comms, admin). Phone numbers are never shown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from citra import access, charts, store, ui
from citra import engagement as metrics
from citra.errors import CitraError, DatabaseBusy
from citra.formatting import format_date, format_number, format_percent_value
from citra.i18n import Translator
from citra.queries import engagement as queries
from citra.queries import member_registry
from citra.store import member_registry as member_store

_ = Translator(st.session_state.get("lang", "id"))
LANG = _.lang


@st.cache_data(ttl=300, show_spinner=False)
def load(db_path: str, year: int | None, show_names: bool) -> dict[str, Any]:
    """Everything the page draws, as plain values (cached per database, year and role)."""
    db = store.open_readonly(db_path)
    try:
        counts = queries.funnel_counts(db, year=year)
        return {
            "totals": metrics.period_metrics(counts),
            "years_available": queries.available_years(db),
            "funnel": metrics.funnel(counts),
            "years": metrics.series(queries.period_counts(db, grain="year")),
            "months": metrics.series(queries.period_counts(db, grain="month", year=year)),
            "rat": metrics.series(queries.event_counts(db, kind="rat")),
            "branches": metrics.series(queries.breakdown_counts(db, "branch", year=year)),
            "ages": metrics.series(queries.breakdown_counts(db, "age", year=year)),
            "events": member_registry.list_events(db),
            "top": queries.top_engaged(db, year=year, show_names=show_names) if show_names else [],
            "senders": queries.unmatched_senders(db, show_names=show_names) if show_names else [],
            "unanswered": (
                queries.unanswered_questions(db, show_texts=show_names) if show_names else []
            ),
        }
    finally:
        db.conn.close()


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


def attendance_form(db_path: str, events: list[dict[str, Any]]) -> None:
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
            _("Event"), list(labels), format_func=labels.get, index=len(labels) - 1
        )
        member_no = st.text_input(_("Member number"))
        attended = st.checkbox(_("Attended"), value=True)
        asked = st.checkbox(_("Asked a question"))
        proposed = st.checkbox(_("Made a proposal"))
        if st.form_submit_button(_("Save")):
            db = store.open_db(db_path)
            try:
                member_id = member_store.find_member_id(db, member_no)
                with db.atomic():
                    member_store.record_attendance(
                        db, event_id, member_id, attended=attended, asked=asked, proposed=proposed
                    )
            except DatabaseBusy as exc:
                st.error(exc.describe(LANG))
            except CitraError:
                st.error(_("No member with number {number}.", number=member_no.strip()))
            else:
                load.clear()
                st.session_state["members_saved"] = member_no.strip()
            finally:
                db.conn.close()
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
    role = access.current_role()
    show_names = access.can_see_names(role)
    db_path = str(store.resolve_db_path())
    try:
        first = load(db_path, None, show_names)
    except CitraError as exc:
        st.warning(str(exc))
        return
    options: list[int | None] = [*first["years_available"], None]
    # A dict's bound .get pickles (a lambda does not), as serializable session state requires.
    year_labels = {y: _("All time") if y is None else str(y) for y in options}
    year = st.selectbox(
        _("Year"),
        options,
        format_func=year_labels.get,
        key="members_year",
    )
    data = first if year is None else load(db_path, year, show_names)
    tiles(data["totals"])
    if data["totals"]["active"] == 0:
        st.info(
            _(
                "No members yet. Import the member registry with: python -m citra members import FILE"
            )
        )

    left, right = st.columns(2)
    with left:
        st.subheader(_("Participation and engagement by year"))
        st.plotly_chart(charts.member_rates(data["years"], _), key="members_years")
    with right:
        st.subheader(_("Funnel"))
        st.plotly_chart(charts.member_funnel(data["funnel"], _), key="members_funnel")

    left, right = st.columns(2)
    with left:
        st.subheader(_("Engaged members per participant"))
        st.plotly_chart(charts.member_ratio(data["years"], _), key="members_ratio")
    with right:
        st.subheader(_("By month"))
        st.plotly_chart(charts.member_rates(data["months"], _), key="members_months")

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
        )
    else:
        st.caption(_("No RAT recorded yet."))

    left, right = st.columns(2)
    with left:
        st.subheader(_("Branches compared"))
        st.plotly_chart(charts.member_groups(data["branches"], _), key="members_branches")
    with right:
        st.subheader(_("By membership age (years)"))
        st.plotly_chart(charts.member_groups(data["ages"], _), key="members_ages")

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
    )
    st.subheader(_("Questions with no reply within 48 hours"))
    if data["unanswered"]:
        st.dataframe(
            [
                {
                    _("Group"): r["group"],
                    _("Time"): r["local_time"].replace("T", " "),
                    _("Sender"): r["sender"],
                    _("Question"): r["text"],
                }
                for r in data["unanswered"]
            ],
            hide_index=True,
            key="members_unanswered",
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
                    _("Last message"): r["last"].replace("T", " "),
                }
                for r in data["senders"]
            ],
            hide_index=True,
            key="members_senders",
        )
        st.caption(_("Link a sender with: python -m citra members link SENDER MEMBER_NO"))
    else:
        st.caption(_("None."))
    if access.can_edit_members(role):
        attendance_form(db_path, data["events"])


main()
