"""Reports (Laporan), for the board and the supervisors: the month's report, previewed as it
prints, and downloaded as PDF, XLSX, HTML or CSV."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from citra import ui
from citra.filters import add_months, local_today
from citra.formatting import format_date, format_month
from citra.i18n import LANGUAGES
from citra.queries.organisations import list_organisations
from citra.reports.content import available_months, build_report
from citra.reports.files import MIME, report_bytes, report_html

_ = ui.t
lang = ui.lang()
coop = ui.coop_or_stop()
today = local_today(ui.timezone())

st.title(_("Monthly report"))
st.caption(
    _(
        "The month against the month before and the same month a year earlier: what moved the "
        "index, the charts, the top and risk mentions, peers and members. Cron can write it on "
        "the 1st of each month (see README)."
    )
)

months = ui.cached(available_months, today)
last_month = add_months(today, -1).isoformat()[:7]
organisations = {o.id: o.name for o in ui.cached(list_organisations)}
sidebar_org = ui.filters().organisation_id
left, middle, right = st.columns(3)
month_names = {m: format_month(m, lang) for m in months}  # a dict method pickles (AppTest)
month = left.selectbox(
    _("Month"),
    months,
    index=months.index(last_month) if last_month in months else 0,
    format_func=month_names.__getitem__,
    key="report_month",
    placeholder=_("Choose an option"),
)
report_lang = middle.selectbox(
    _("Language of the report"),
    list(LANGUAGES),
    index=list(LANGUAGES).index(lang),
    format_func=LANGUAGES.__getitem__,
    key="report_lang",
    placeholder=_("Choose an option"),
)
organisation = right.selectbox(
    _("Organisation"),
    list(organisations),
    index=list(organisations).index(sidebar_org) if sidebar_org in organisations else 0,
    format_func=organisations.__getitem__,
    key="report_org",
    placeholder=_("Choose an option"),
)

report = ui.cached(build_report, month, organisation_id=organisation, lang=report_lang)
if report.partial:
    st.info(
        _(
            "{month} is not over: the report runs to {day}.",
            month=format_month(month, lang),
            day=format_date(report.current.last_day, lang),
        ),
        icon=":material/schedule:",
    )
if not report.has_data:
    st.warning(_("No mentions in this month: the report says so and little else."))

stem = report.file_stem
downloads = [
    ("pdf", _("PDF (to print or forward)"), f"{stem}.pdf"),
    ("xlsx", _("XLSX (every number and mention)"), f"{stem}.xlsx"),
    ("html", _("HTML (print from the browser)"), f"{stem}.html"),
    ("csv", _("CSV: mentions"), f"{stem}.csv"),
    ("csv-daily", _("CSV: daily table"), f"{stem}-daily.csv"),
]
for column, (fmt, label, name) in zip(st.columns(len(downloads)), downloads, strict=True):
    column.download_button(
        label,
        data=ui.deferred(report_bytes, month, fmt, organisation_id=organisation, lang=report_lang),
        file_name=name,
        mime=MIME[fmt],
        key=f"report_download_{fmt}",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )

st.subheader(_("Summary"))
for sentence in report.summary:
    st.markdown(f"- {ui.plain(sentence)}")  # names of coops and sources are text

st.subheader(_("Preview"))
# The report's own HTML (every text escaped, no script, links only to web addresses).
preview = ui.cached(report_html, month, organisation_id=organisation, lang=report_lang)
if hasattr(st, "iframe"):  # newer Streamlit: st.iframe replaces components.v1.html
    st.iframe(preview, height=1100)
else:
    components.html(preview, height=1100, scrolling=True)
