"""Mentions (Sebutan), for the comms team: search, filter, sort, page, open one mention, see
why it got its sentiment and correct the label.

``?mention=<seq>`` opens that mention's detail when no row is selected.
"""

from __future__ import annotations

import math
from functools import partial

import streamlit as st

from citra import access, highlight, pipeline, ui
from citra.exports import safe_url
from citra.formatting import (
    format_datetime,
    format_number,
    format_points,
    platform_name,
    source_name,
)
from citra.queries.mentions import LABELS, list_sources, mention_detail
from citra.queries.risk import risk_correction
from citra.queries.search import (
    SORTS,
    MentionQuery,
    SearchSyntaxError,
    custom_synonyms,
    search_mentions,
)
from citra.queries.sentiment import active_model_info, mention_text
from citra.queries.tags import list_tags
from citra.search_terms import matchers
from citra.sentiment.display import correction_row, explanation_rows
from citra.sentiment.model import model_reasons
from citra.sentiment.risk import CATEGORY_NAMES
from citra.store.risk import clear_risk_correction, set_risk_correction
from citra.store.sentiment import clear_manual_label, set_manual_label
from citra.store.tags import set_mention_tags

_ = ui.t
lang = ui.lang()
tz = ui.timezone()
ui.coop_or_stop()
f = ui.filters()


def _text(value: object) -> str | None:
    # A missing title or text comes out of the frame as None or NaN.
    return value if isinstance(value, str) else None


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
    _("Source"),
    ui.cached(list_sources),
    format_func=partial(source_name, lang=lang),
    key="m_sources",
    placeholder=_("All"),
)
tags = dict(ui.cached(list_tags))
tag_names = {None: _("Any tag"), **tags}  # a dict method, unlike a lambda, pickles (AppTest)
tag = cols[2].selectbox(
    _("Tag"),
    list(tag_names),
    format_func=tag_names.__getitem__,
    key="m_tag",
    placeholder=_("Choose an option"),
)
risk_only = cols[3].toggle(_("Risk only"), key="m_risk")
risk_category = None
if risk_only:
    category_names = {None: _("Any risk")} | {k: _(v) for k, v in CATEGORY_NAMES.items()}
    risk_category = st.selectbox(
        _("Risk category"),
        list(category_names),
        format_func=category_names.__getitem__,
        key="m_risk_category",
        placeholder=_("Choose an option"),
    )
sort_names = {
    "published_at": _("Newest first"),
    "reach": _("Largest reach"),
    "sentiment": _("Most negative"),
}
sort = cols[4].selectbox(
    _("Sort"),
    list(sort_names),
    format_func=sort_names.__getitem__,
    key="m_sort",
    placeholder=_("Choose an option"),
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

# What the search finds, word by word, to mark it in the texts shown.
found = matchers(text, ui.cached(custom_synonyms), exact=exact)
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
    # The mention's words come first, so a phone shows them; a search shows the part of the
    # text around its first match (of the title, else of the text). The score is written in
    # the reader's format (+0,36, −0,54).
    table = rows.assign(
        published_at=[format_datetime(v, lang, tz) for v in rows["published_at"]],
        sentiment_label=[label_names.get(v, "–") for v in rows["sentiment_label"]],
        mention=[
            highlight.preview(_text(title), _text(body), found)
            for title, body in zip(rows["title"], rows["text"], strict=True)
        ],
        sentiment_compound=[format_points(v, lang, 2) for v in rows["sentiment_compound"]],
        risk=[bool(v) for v in rows["risk"]],
        platform=[platform_name(p, lang) for p in rows["platform"]],
        source=[source_name(v, lang) for v in rows["source"]],
        reach=[format_number(v, lang) if v is not None and v == v else None for v in rows["reach"]],
        url=[safe_url(u) for u in rows["url"]],  # only a web address is a link
    )[
        [
            "mention",
            "sentiment_label",
            "published_at",
            "platform",
            "source",
            "organisation",
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
        placeholder="–",
        # Taller rows let the mention's text wrap (Streamlit wraps above 4rem), so a phone
        # reads it instead of a cut first line; 300 px fit a phone beside the row selector.
        row_height=84,
        column_config={
            "published_at": _("Published"),
            "platform": _("Platform"),
            "source": _("Source"),
            "organisation": _("Organisation"),
            "mention": st.column_config.TextColumn(_("Mention"), width=300),
            "sentiment_label": _("Sentiment"),
            "sentiment_compound": _("Score"),
            "reach": st.column_config.TextColumn(_("Reach"), alignment="right"),
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
# Title and text from outside are shown as text: no Markdown, no link, no image.
st.subheader(ui.plain(detail.get("title")) or _("Mention"))
body = detail.get("text") or ""
marks = highlight.spans(body, found)
# Outside text: highlight.to_html escapes all of it; its <mark> tags are the only markup.
st.html(f'<div style="white-space: pre-wrap">{highlight.to_html(body, marks)}</div>')
title = detail.get("title") or ""
words = highlight.matched_words(title, highlight.spans(title, found))
words += highlight.matched_words(body, marks)
if words:
    st.caption(_("Found by the search: {words}", words=", ".join(dict.fromkeys(words))))
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
            source_name(detail.get("source"), lang) or platform_name(detail["platform"], lang),
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
    learned = model_reasons(ui.analyzer(), mention_text(detail.get("title"), detail.get("text")))
    if learned:
        st.caption(
            _(
                "Words the model weighed most for this label: {words}",
                words=", ".join(
                    _("the lexicon's score") if r["word"] == "(lexicon)" else ui.plain(r["word"])
                    for r in learned
                ),
            )
        )
reasons = ui.analyzer().explain(mention_text(detail.get("title"), detail.get("text")))
corrected = ui.cached(risk_correction, seq)
rows = explanation_rows(reasons, lang)
if (team_row := correction_row(corrected, lang)) is not None:
    rows.append(team_row)
if rows:
    st.dataframe(
        [{**row, "valence": format_points(row["valence"], lang, 2)} for row in rows],
        key=f"why_{seq}",
        hide_index=True,
        column_config={
            "word": _("Word or phrase"),
            "valence": st.column_config.TextColumn(_("Valence"), alignment="right"),
            "rule": _("Rule"),
        },
        placeholder="–",
    )
    st.caption(
        _(
            "Valence runs from -4 (very negative) to +4 (very positive), after the rules: a "
            "negated word flips, an intensified one grows, the part after 'tapi' (but) counts more."
        )
    )
else:
    st.caption(_("No word in this mention carries sentiment, so it counts as neutral."))

if not access.can_edit(ui.role()):
    st.caption(_("The comms team (editors) corrects labels and tags."))
    st.stop()

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

with st.form(f"risk_{seq}"):
    risk_names = {"": _("Not a risk")} | {k: _(v) for k, v in CATEGORY_NAMES.items()}
    if corrected is not None:
        current_risk = corrected["category"] or ""
    else:
        current_risk = (detail.get("risk_category") or "") if detail.get("risk") else ""
    new_risk = st.selectbox(
        _("Correct the risk flag"),
        list(risk_names),
        index=list(risk_names).index(current_risk) if current_risk in risk_names else 0,
        format_func=risk_names.__getitem__,
        key=f"risk_choice_{seq}",
        placeholder=_("Choose an option"),
        help=_(
            "Your word wins over Citra's risk flag, and re-scoring keeps it; Settings suggests "
            "risk phrases and not-a-risk phrases from the mentions you mark."
        ),
    )
    if st.form_submit_button(_("Save risk flag")):
        with ui.writer() as db:
            set_risk_correction(db, seq, new_risk or None)
        ui.clear_caches()
        ui.remember_message(
            _("Risk flag saved: {flag}. Re-scoring keeps it.", flag=risk_names[new_risk])
        )
        st.rerun()
if corrected is not None and st.button(_("Risk flag back to automatic"), key=f"risk_auto_{seq}"):
    with ui.writer() as db:
        clear_risk_correction(db, seq)
        pipeline.label_changed(db)
    ui.clear_caches()
    ui.remember_message(_("Citra's risk flag applies to this mention again."))
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
