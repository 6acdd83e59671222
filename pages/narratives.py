"""Narratives & plan (Narasi & Rencana), for the comms team: the coop's narratives, the posting
plan against what was posted, the topics going viral, the voices, and the member ambassadors."""

from __future__ import annotations

import json
from functools import partial

import streamlit as st

from citra import access, ambassadors, charts, pipeline, ui
from citra.errors import CitraError
from citra.exports import safe_url
from citra.filters import add_months, local_today
from citra.formatting import (
    format_date,
    format_month,
    format_number,
    format_percent_value,
    format_points,
    platform_name,
)
from citra.queries.narratives import headline_count, list_narratives, narrative_mentions
from citra.store import narratives as narrative_store
from citra.store.mentions import PLATFORMS
from citra.strategy import gap_text, narrative_overview, plan_check
from citra.viral import watch
from citra.voices import rank_voices

_ = ui.t
lang = ui.lang()
tz = ui.timezone()
coop = ui.coop_or_stop()
f = ui.filters().with_organisation(coop.id)
role = access.current_role()
may_edit = access.can_edit(role)
show_names = access.can_see_names(role)

VERDICTS = {
    "resonates": _("resonates"),
    "steady": _("steady"),
    "ignored": _("ignored"),
    "negative": _("attracts negative talk"),
}
PERIODS = {"week": _("per week"), "month": _("per month")}
TONES = {"positive": _("positive"), "neutral": _("neutral")}

st.title(_("Narratives & plan"))
st.caption(
    _(
        "{name}, {first} to {last}: the coop's narratives in what the public says and in its "
        "own posts, the plan against what was posted, the topics rising in the news, the "
        "voices, and the members who share.",
        name=coop.name,
        first=format_date(f.first_day, lang),
        last=format_date(f.last_day, lang),
    )
)
ui.show_message()


def saved(message: str) -> None:
    ui.remember_message(message)
    st.rerun()


narratives_tab, plan_tab, viral_tab, voices_tab, members_tab = st.tabs(
    [_("Narratives"), _("Plan"), _("Viral topics"), _("Voices"), _("Ambassadors")]
)

# --- narratives ----------------------------------------------------------------------------------

with narratives_tab:
    defined = ui.cached(list_narratives)
    overview = ui.cached(narrative_overview, f)
    if not defined:
        st.info(
            _(
                "No narratives yet. A narrative is a story the coop wants told (e.g. "
                '"koperasi modern dan digital"): give it keywords and a few example sentences, '
                "and Citra finds the mentions and own posts that carry it."
            )
        )
    else:
        public = overview.public
        st.caption(
            _(
                "{assigned} of {mentions} public mentions carry at least one narrative. Reach "
                "as the sources report it: {missing} mentions report no reach figure; they "
                "count as mentions but add nothing to reach (unknown, not zero).",
                assigned=format_number(public["assigned"], lang),
                mentions=format_number(public["mentions"], lang),
                missing=format_number(public["mentions"] - public["with_reach"], lang),
            )
        )
        if any(row.mentions for row in overview.rows):
            ui.chart(
                charts.narrative_sentiment(overview.rows, ui.translator()),
                key="narratives_chart",
                width="stretch",
            )
        st.dataframe(
            [
                {
                    _("Narrative"): row.name,
                    _("Mentions"): row.mentions,
                    _("Share of mentions"): format_percent_value(row.share, lang),
                    _("Net sentiment"): format_points(row.net, lang),
                    _("Reach"): format_number(row.reach, lang),
                    _("Mentions without reach"): row.without_reach,
                    _("Own posts"): row.own_posts,
                    _("Engagement per own post"): format_number(row.engagement_per_post, lang, 1),
                    _("Verdict"): VERDICTS[row.verdict],
                }
                for row in overview.rows
            ],
            hide_index=True,
            width="stretch",
            key="narratives_table",
            placeholder="–",
        )
        for narrative in defined:
            with st.expander(
                _("Why: the newest mentions of {name}", name=ui.plain(narrative.name))
            ):
                st.caption(
                    _(
                        "Keywords: {keywords}. Examples: {examples}",
                        keywords=", ".join(map(ui.plain, narrative.keywords)) or "–",
                        examples=" / ".join(map(ui.plain, narrative.examples)) or "–",
                    )
                )
                rows = ui.cached(narrative_mentions, f, narrative.id, limit=10)
                if not rows:
                    st.caption(_("No mention carries this narrative in the period."))
                for row in rows:
                    words = ", ".join(map(ui.plain, json.loads(row["matched"] or "[]")))
                    how = (
                        _("keyword: {words}", words=words)
                        if row["method"] == "keyword"
                        else _(
                            "similar to the examples ({score}): {words}",
                            score=format_number(row["score"], lang, 2),
                            words=words,
                        )
                    )
                    headline = ui.plain(
                        " ".join((row["title"] or (row["text"] or "")[:160]).split())
                    )
                    opened = f" {ui.link(_('open'), row['url'])}" if safe_url(row["url"]) else ""
                    st.markdown(
                        f"- {headline}  \n  {platform_name(row['platform'], lang)} · "
                        f"{format_date(row['published_at'], lang, tz)} · {how}{opened}"
                    )
    if may_edit:
        with st.form("narratives_save", clear_on_submit=True):
            st.markdown(f"**{_('Add or change a narrative')}**")
            name = st.text_input(_("Name"), max_chars=narrative_store.NAME_CHARS)
            description = st.text_input(_("Description"), max_chars=300)
            keywords = st.text_input(_("Keywords (comma-separated)"), max_chars=500)
            examples = st.text_area(_("Example sentences (one a line)"), max_chars=2000)
            if st.form_submit_button(_("Save narrative"), type="primary") and name.strip():
                try:
                    with ui.writer() as db:
                        pipeline.save_narrative(
                            db,
                            name,
                            description=description,
                            keywords=[k for k in keywords.split(",") if k.strip()] or None,
                            examples=[e for e in examples.splitlines() if e.strip()] or None,
                        )
                except CitraError as error:
                    ui.show_error(error)
                else:
                    saved(_("Narrative saved; mentions assigned again."))
        if defined:
            left, right = st.columns([3, 1])
            chosen = left.selectbox(
                _("Remove a narrative"),
                options=[n.id for n in defined],
                format_func={n.id: n.name for n in defined}.__getitem__,
                key="narratives_remove_choice",
                placeholder=_("Choose an option"),
            )
            if right.button(_("Remove"), key="narratives_remove"):
                with ui.writer() as db:
                    pipeline.delete_narrative(db, chosen)
                saved(_("Narrative removed."))

# --- plan ----------------------------------------------------------------------------------------


with plan_tab:
    check = ui.cached(plan_check, f)
    if not check.lines:
        st.info(
            _(
                "No posting plan yet. Plan how many posts a week or a month each channel gets "
                "(and of which narrative); Citra compares it with the own posts imported."
            )
        )
    else:
        for gap in check.gaps:
            st.warning(ui.plain(gap_text(gap, lang)), icon=":material/event_busy:")  # names
        if not check.gaps:
            st.success(_("Every planned channel is on plan in this period."))
        st.dataframe(
            [
                {
                    _("Line"): s.plan_id,
                    _("Channel"): platform_name(s.channel, lang),
                    _("Narrative"): s.narrative or _("any"),
                    _("Cadence"): f"{format_number(s.posts, lang)} {PERIODS[s.per]}",
                    _("Planned"): s.planned,
                    _("Published"): s.published,
                }
                for s in check.lines
            ],
            hide_index=True,
            width="stretch",
            key="plan_table",
            placeholder="–",
        )
        st.markdown(f"**{_('Persona check')}**")
        st.caption(
            _(
                "Own posts per channel against the plan's tone and longest post. Off tone: "
                "posts whose sentiment is not the planned tone (negative posts always)."
            )
        )
        st.dataframe(
            [
                {
                    _("Channel"): platform_name(p.channel, lang),
                    _("Own posts"): p.posts,
                    _("Mean length"): format_number(p.mean_length, lang),
                    _("Longest allowed"): format_number(p.max_length, lang),
                    _("Too long"): p.too_long,
                    _("Planned tone"): TONES.get(p.tone or "", "–"),
                    _("Off tone"): p.off_tone,
                }
                for p in check.persona
            ],
            hide_index=True,
            width="stretch",
            key="plan_persona",
            placeholder="–",
        )
    if may_edit:
        with st.form("plan_add", clear_on_submit=True):
            st.markdown(f"**{_('Add a plan line')}**")
            columns = st.columns(3)
            channel = columns[0].selectbox(
                _("Channel"),
                PLATFORMS,
                format_func=partial(platform_name, lang=lang),
                placeholder=_("Choose an option"),
            )
            posts = columns[1].number_input(_("Posts"), min_value=1, max_value=100, value=1)
            per = columns[2].selectbox(
                _("Per"),
                list(PERIODS),
                format_func=PERIODS.__getitem__,
                placeholder=_("Choose an option"),
            )
            names = {0: _("any")} | {n.id: n.name for n in ui.cached(list_narratives)}
            columns = st.columns(3)
            narrative_id = columns[0].selectbox(
                _("Narrative"),
                list(names),
                format_func=names.__getitem__,
                placeholder=_("Choose an option"),
            )
            tone_names = {"": "–"} | TONES
            tone = columns[1].selectbox(
                _("Tone"),
                list(tone_names),
                format_func=tone_names.__getitem__,
                placeholder=_("Choose an option"),
            )
            longest = columns[2].number_input(_("Longest post (0: any)"), min_value=0, value=0)
            if st.form_submit_button(_("Add to the plan")):
                try:
                    with ui.writer() as db:
                        narrative_store.add_plan(
                            db,
                            channel,
                            int(posts),
                            per=per,
                            narrative=narrative_id or None,
                            tone=tone or None,
                            max_length=int(longest) or None,
                        )
                except CitraError as error:
                    ui.show_error(error)
                else:
                    saved(_("Plan line added."))
        if check.lines:
            left, right = st.columns([3, 1])
            line = left.selectbox(
                _("Remove a plan line"),
                [s.plan_id for s in check.lines],
                key="plan_remove_choice",
                placeholder=_("Choose an option"),
            )
            if right.button(_("Remove"), key="plan_remove"):
                with ui.writer() as db:
                    narrative_store.remove_plan(db, line)
                saved(_("Plan line removed."))

# --- viral topics --------------------------------------------------------------------------------

with viral_tab:
    found = ui.cached(watch)
    st.caption(
        _(
            "Topics rising in the news this week against the eight weeks before, from every "
            "entry of the enabled outlet feeds ({now} distinct headlines this week, {before} "
            "before; syndicated copies counted once). Suggested: those touching the coop's "
            "sector or narratives.",
            now=format_number(found.headlines_now, lang),
            before=format_number(found.headlines_before, lang),
        )
    )
    if not found.headlines_now and not ui.cached(headline_count):
        st.info(_("No headlines yet: enable outlet feeds on the Sources page and collect."))
    for title, topics in ((_("National"), found.national), (_("Regional"), found.regional)):
        st.subheader(title)
        if not topics:
            st.caption(_("Nothing rising here."))
            continue
        for topic in topics:
            why = ", ".join(_("the sector") if w == "sector" else ui.plain(w) for w in topic.why)
            mark = f" · :green[{_('suggested: {why}', why=why)}]" if topic.suggested else ""
            st.markdown(
                f"**{ui.plain(topic.term)}** · "
                + _(
                    "{now} headlines this week, {before} in the 8 weeks before",
                    now=format_number(topic.now, lang),
                    before=format_number(topic.before, lang),
                )
                + mark
            )
            for headline, url, source in topic.examples:
                where = f" ({ui.plain(source)})" if source else ""
                st.markdown(f"- {ui.link(ui.plain(headline), url)}{where}")

# --- voices --------------------------------------------------------------------------------------


def voice_rows(voices) -> list[dict]:
    return [
        {
            _("Voice"): v.voice,
            _("Platform"): platform_name(v.platform, lang),
            _("Mentions"): v.mentions,
            _("Reach"): format_number(v.reach, lang) if v.reach is not None else _("unknown"),
            _("Effect"): format_number(v.effect, lang),
            _("Link"): safe_url(v.url),
        }
        for v in voices
    ]


with voices_tab:
    voices = ui.cached(rank_voices, f)
    st.caption(
        _(
            "Authors and outlets of the period's public mentions. Reach as the sources report "
            "it (the largest figure of a voice's mentions); {unknown} of {total} voices report "
            "none and are shown as unknown, after the others. Effect: sentiment times reach, "
            "as in the reputation index (a mention without reach counts once).",
            unknown=format_number(voices.unknown_reach, lang),
            total=format_number(voices.total, lang),
        )
    )
    link = st.column_config.LinkColumn(_("Link"), display_text=_("open"))
    for title, group, key in (
        (_("Largest reach"), voices.by_reach, "voices_reach"),
        (_("Positive effect: thank them, invite them"), voices.positive, "voices_positive"),
        (_("Negative effect: answer them"), voices.negative, "voices_negative"),
    ):
        st.markdown(f"**{title}**")
        if not group:
            st.caption(_("Nobody here in this period."))
            continue
        st.dataframe(
            voice_rows(group),
            hide_index=True,
            width="stretch",
            key=key,
            column_config={_("Link"): link},
            placeholder="–",
        )

# --- ambassadors ---------------------------------------------------------------------------------

with members_tab:
    today = local_today(tz)
    months = {
        m: format_month(m, lang) for m in (add_months(today, -i).isoformat()[:7] for i in range(12))
    }
    month = st.selectbox(
        _("Month"),
        list(months),
        index=1 if today.day <= 7 else 0,
        format_func=months.__getitem__,
        key="ambassadors_month",
        placeholder=_("Choose an option"),
    )
    rule = ui.cached(ambassadors.min_shares)
    if may_edit:
        chosen_rule = st.number_input(
            _("Rule: at least this many shares in the month"),
            min_value=1,
            max_value=100,
            value=rule,
            key="ambassadors_rule",
        )
        if chosen_rule != rule and st.button(_("Save the rule"), key="ambassadors_rule_save"):
            with ui.writer() as db:
                narrative_store.set_ambassador_rule(db, int(chosen_rule))
            saved(_("Ambassador rule saved."))
    st.caption(
        _(
            "Members with at least {rule} shares in the month: public posts about the coop by "
            "their linked handles, WhatsApp messages sharing the coop's links or news, and "
            "shares recorded by hand.",
            rule=format_number(rule, lang),
        )
    )
    found_members = ui.cached(ambassadors.ambassadors, month, show_names=show_names)
    if not show_names:
        st.caption(_("Member numbers, names and links are shown to editors and admins only."))
    if not found_members:
        st.info(_("No member meets the rule in this month."))
    else:
        st.dataframe(
            [
                {
                    **({_("Member number"): a.member_no, _("Name"): a.name} if show_names else {}),
                    _("Branch"): a.branch or "–",
                    _("Shares"): a.shares,
                    _("Public posts"): a.public,
                    _("WhatsApp shares"): a.whatsapp,
                    _("Recorded by hand"): a.manual,
                    _("Attendance-day posts"): a.event_day,
                }
                for a in found_members
            ],
            hide_index=True,
            width="stretch",
            key="ambassadors_table",
            placeholder="–",
        )
        columns = st.columns(2)
        for column, suffix, mime in (
            (columns[0], ".csv", "text/csv"),
            (
                columns[1],
                ".xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ):
            column.download_button(
                _("Download {kind}", kind=suffix[1:].upper()),
                data=ui.deferred(
                    ambassadors.export_bytes, month, suffix, lang=lang, show_names=show_names
                ),
                file_name=f"duta-koperasi-{month}{suffix}",
                mime=mime,
                key=f"ambassadors_download{suffix}",
                icon=":material/download:",
                on_click="ignore",
                width="stretch",
            )
