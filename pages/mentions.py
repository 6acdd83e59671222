"""Mentions (Sebutan), for the comms team: search, filter, sort, page, open one mention, see
why it got its sentiment and correct the label.

``?mention=<seq>`` opens that mention's detail when no row is selected.
"""

from __future__ import annotations

import math

import streamlit as st

from citra import pipeline, ui
from citra.exports import safe_url
from citra.formatting import format_datetime, format_number, format_points, platform_name
from citra.queries.mentions import LABELS, list_sources, mention_detail
from citra.queries.search import SORTS, MentionQuery, SearchSyntaxError, search_mentions
from citra.queries.sentiment import active_model_info, mention_text
from citra.queries.tags import list_tags
from citra.sentiment.display import explanation_rows
from citra.sentiment.risk import CATEGORY_NAMES
from citra.store.sentiment import clear_manual_label, set_manual_label
from citra.store.tags import set_mention_tags

_ = ui.t
lang = ui.lang()
tz = ui.timezone()
ui.coop_or_stop()
f = ui.filters()
label_names = {"positive": _("Positive"), "neutral": _("Neutral"), "negative": _("Negative")}

st.title(_("Mentions"))
text = st.text_input(
    _("Search"),
    key="m_text",
    placeholder='SHU terlambat · "gagal bayar" · bayar* · PKPU OR pailit',
    help=_(
        'Words find mentions containing all of them; "quotes" find an exact phrase; a star finds '
        "every word starting with it (bayar* finds bayar, bayaran); OR and NOT combine."
    ),
)
cols = st.columns([2, 2, 2, 2, 2], vertical_alignment="bottom")
labels = cols[0].multiselect(
    _("Sentiment"),
    list(LABELS),
    format_func=label_names.__getitem__,
    key="m_labels",
    placeholder=_("All"),
)
sources = cols[1].multiselect(
    _("Source"), ui.cached(list_sources), key="m_sources", placeholder=_("All")
)
tags = dict(ui.cached(list_tags))
tag_names = {None: _("Any tag"), **tags}  # a dict method, unlike a lambda, pickles (AppTest)
tag = cols[2].selectbox(_("Tag"), list(tag_names), format_func=tag_names.__getitem__, key="m_tag")
risk_only = cols[3].toggle(_("Risk only"), key="m_risk")
risk_category = None
if risk_only:
    category_names = {None: _("Any risk")} | {k: _(v) for k, v in CATEGORY_NAMES.items()}
    risk_category = st.selectbox(
        _("Risk category"),
        list(category_names),
        format_func=category_names.__getitem__,
        key="m_risk_category",
    )
sort_names = {
    "published_at": _("Newest first"),
    "reach": _("Largest reach"),
    "sentiment": _("Most negative"),
}
sort = cols[4].selectbox(
    _("Sort"), list(sort_names), format_func=sort_names.__getitem__, key="m_sort"
)
assert sort in SORTS
exact = st.toggle(
    _("Exact words"),
    key="m_exact",
    help=_(
        "Off: plain words also find their other forms and synonyms (terlambat finds telat, "
        "tertunda, keterlambatan, belum dibagi). On: only the words as written."
    ),
)

page = int(st.session_state.get("m_page", 1)) - 1
query = MentionQuery(
    filters=f,
    text=text,
    labels=tuple(labels),
    sources=tuple(sources),
    risk_only=risk_only,
    risk_category=risk_category,
    tag_id=tag,
    sort=sort,
    descending=sort != "sentiment",
    page=page,
    exact=exact,
)
try:
    rows, total = ui.cached(search_mentions, query)
except SearchSyntaxError:
    st.warning(
        _(
            'Citra could not read this search. Use plain words, "an exact phrase" in double '
            "quotes, or a prefix with a star (bayar*); put quotes around words with punctuation."
        ),
        icon=":material/help:",
    )
    st.stop()

pages = max(1, math.ceil(total / query.page_size))
if page + 1 > pages:  # the filters shrank the result below the page being shown
    st.session_state["m_page"] = pages
    st.rerun()
st.caption(
    _(
        "{total} mentions · page {page} of {pages}",
        total=format_number(total, lang),
        page=min(page + 1, pages),
        pages=format_number(pages, lang),
    )
)
selection = None
if rows.empty:
    st.info(_("No mentions match. Widen the period in the sidebar or remove a filter."))
    if "m_open" not in st.session_state:
        st.stop()
else:
    table = rows.assign(
        published_at=[format_datetime(v, lang, tz) for v in rows["published_at"]],
        sentiment_label=[label_names.get(v, "–") for v in rows["sentiment_label"]],
        mention=rows["title"].fillna(rows["text"]).fillna("").str.slice(0, 160),
        risk=[bool(v) for v in rows["risk"]],
        platform=[platform_name(p, lang) for p in rows["platform"]],
        url=[safe_url(u) for u in rows["url"]],  # only a web address is a link
    )[
        [
            "published_at",
            "platform",
            "source",
            "organisation",
            "mention",
            "sentiment_label",
            "sentiment_compound",
            "reach",
            "risk",
            "url",
        ]
    ]
    selection = st.dataframe(
        table,
        key="m_table",
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "published_at": _("Published"),
            "platform": _("Platform"),
            "source": _("Source"),
            "organisation": _("Organisation"),
            "mention": st.column_config.TextColumn(_("Mention"), width="large"),
            "sentiment_label": _("Sentiment"),
            "sentiment_compound": st.column_config.NumberColumn(_("Score"), format="%.2f"),
            "reach": st.column_config.NumberColumn(_("Reach"), format="localized"),
            "risk": _("Risk"),
            "url": st.column_config.LinkColumn(_("Link"), display_text=_("open")),
        },
    )
    st.columns([1, 4])[0].number_input(
        _("Page"), min_value=1, max_value=pages, step=1, key="m_page"
    )

# The open mention is remembered by its id, not by its row: a correction or a tag can move it
# out of the filtered list, and the row it sat in then holds another mention. Only a new click
# (a different row chosen) opens another one.
chosen = list(selection.selection.rows) if selection else []
if chosen and chosen != st.session_state.get("m_clicked"):
    st.session_state["m_open"] = int(rows.iloc[chosen[0]]["seq"])
st.session_state["m_clicked"] = chosen
linked = str(st.query_params.get("mention", ""))
if "m_open" not in st.session_state and linked.isdigit():
    st.session_state["m_open"] = int(linked)
if "m_open" not in st.session_state:
    st.caption(_("Click a row to see the whole mention, its sentiment and its tags."))
    st.stop()
seq = int(st.session_state["m_open"])

detail = ui.cached(mention_detail, seq)
if detail is None:
    st.stop()
manual = detail.get("sentiment_source") == "manual"
st.divider()
ui.show_message()
# Title and text from outside are shown as text: no Markdown, no link, no image (ui.plain).
st.subheader(ui.plain(detail.get("title")) or _("Mention"))
st.markdown(ui.plain(detail.get("text")))
facts = st.columns(4)
facts[0].metric(_("Sentiment"), label_names.get(detail.get("sentiment_label"), "–"))
compound = detail.get("sentiment_compound")
facts[1].metric(_("Score"), format_points(compound, lang, 2))
facts[2].metric(_("Reach"), format_number(detail.get("reach"), lang))
facts[3].metric(_("Risk"), _("Yes") if detail.get("risk") else _("No"))
st.caption(
    " · ".join(
        ui.plain(part)
        for part in (
            detail.get("source") or detail["platform"],
            detail.get("author"),
            format_datetime(detail.get("published_at"), lang, tz),
            detail.get("organisation"),
            _("scored by hand") if manual else None,
        )
        if part
    )
)
if detail.get("url"):
    st.link_button(_("Open the original"), detail["url"], icon=":material/open_in_new:")
st.subheader(_("Why this label"))
if manual:
    st.info(
        _(
            "Scored by hand: a person set this label, and re-scoring keeps it. Below is what "
            "Citra's analyzer reads in the text."
        ),
        icon=":material/person_check:",
    )
elif ui.cached(active_model_info):
    st.caption(
        _(
            "A model learned from your corrections sets the label; below are the words the "
            "lexicon reads in the text."
        )
    )
reasons = ui.analyzer().explain(mention_text(detail.get("title"), detail.get("text")))
if reasons:
    st.dataframe(
        explanation_rows(reasons, lang),
        key=f"why_{seq}",
        hide_index=True,
        column_config={
            "word": _("Word or phrase"),
            "valence": st.column_config.NumberColumn(_("Valence"), format="%+.2f"),
            "rule": _("Rule"),
        },
    )
    st.caption(
        _(
            "Valence runs from -4 (very negative) to +4 (very positive), after the rules: a "
            "negated word flips, an intensified one grows, the part after 'tapi' (but) counts more."
        )
    )
else:
    st.caption(_("No word in this mention carries sentiment, so it counts as neutral."))

with st.form(f"label_{seq}"):
    current = detail.get("sentiment_label")
    choices = list(label_names)
    new_label = st.radio(
        _("Correct the label"),
        choices,
        index=choices.index(current) if current in choices else None,
        format_func=label_names.__getitem__,
        horizontal=True,
        key=f"label_choice_{seq}",
    )
    if st.form_submit_button(_("Save label"), type="primary") and new_label:
        with ui.writer() as db:
            set_manual_label(db, seq, new_label)
        ui.clear_caches()
        ui.remember_message(
            _("Label saved: {label}. Re-scoring keeps it.", label=label_names[new_label])
        )
        st.rerun()
if manual and st.button(_("Return to automatic"), key=f"label_auto_{seq}"):
    with ui.writer() as db:
        clear_manual_label(db, seq)
        pipeline.label_changed(db)
    ui.clear_caches()
    ui.remember_message(_("Citra's analyzer scores this mention again."))
    st.rerun()

with st.form(f"tags_{detail['seq']}"):
    chosen_tags = st.multiselect(
        _("Tags"),
        sorted(set(tags.values()) | set(detail["tags"])),
        default=detail["tags"],
        accept_new_options=True,
        placeholder=_("Choose a tag or type a new one"),
        key=f"tags_choice_{seq}",
    )
    if st.form_submit_button(_("Save tags")):
        with ui.writer() as db:
            set_mention_tags(db, int(detail["seq"]), list(chosen_tags))
        ui.clear_caches()
        st.toast(_("Tags saved."))
        st.rerun()
