"""Sources page, "News feeds" tab: feed health, add/test/enable/disable, catalogue, collect now.

Mounted by the lead as a tab of the Sources ("Sumber") page: ``render(t)`` with ``t`` a
translator (``citra.i18n.Translator``). Reads through ``ui.cached``, writes through
``ui.writer`` and ``citra.pipeline``; calls only ``citra`` functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from citra import pipeline, ui
from citra.errors import CitraError
from citra.formatting import format_datetime
from citra.queries.news import Feed, list_feeds
from citra.sources import catalogue_status, enable_catalogue, is_search_feed, preview_feed
from citra.store.news import add_feed, set_feed_enabled

Translate = Callable[..., str]


def _lang(t: Translate) -> str:
    return str(getattr(t, "lang", "id"))


def _feed_rows(feeds: list[Feed], t: Translate) -> list[dict[str, Any]]:
    lang = _lang(t)
    return [
        {
            t("Feed"): feed.name or feed.url,
            t("Kind"): t("Search") if feed.kind == "search" else t("Outlet"),
            t("Health"): feed.health_text(lang),
            t("Last success"): format_datetime(feed.last_success_at, lang),
            t("Last error"): feed.error_text(lang),
            t("Failures in a row"): feed.consecutive_failures,
            t("New last time"): feed.last_added,
            "URL": feed.url,
        }
        for feed in feeds
    ]


def _collect_now(t: Translate) -> None:
    bar = st.progress(0.0, text=t("Collecting..."))

    def progress(done: int, total: int, url: str) -> None:
        bar.progress(done / total, text=t("{done} of {total} feeds", done=done, total=total))

    with ui.writer() as db:
        summary = pipeline.collect(db, progress=progress)
    bar.progress(1.0, text=t("Done"))
    st.success(
        t(
            "{feeds} feeds: {fetched} fetched, {not_modified} unchanged, {failed} failed; "
            "{added} new mentions, {duplicates} duplicates.",
            feeds=summary.feeds,
            fetched=summary.fetched,
            not_modified=summary.not_modified,
            failed=summary.failed,
            added=summary.added,
            duplicates=summary.duplicates,
        )
    )


def _add_and_test(t: Translate) -> None:
    st.markdown(f"**{t('Add a feed')}**")
    url = st.text_input(t("Feed address (RSS, Atom or JSON Feed)"), key="news_feed_url")
    name = st.text_input(t("Name (optional)"), key="news_feed_name")
    search = st.checkbox(
        t("Search feed: keep every entry (Google News and Google Alerts are detected)"),
        key="news_feed_search",
    )
    test_col, add_col = st.columns(2)
    if test_col.button(t("Test"), key="news_feed_test", disabled=not url.strip()):
        with ui.writer() as db:
            result, kept = preview_feed(db, url.strip(), search=search or None)
        if result.ok:
            st.info(
                t(
                    "{entries} entries read, {kept} would be collected.",
                    entries=len(result.entries),
                    kept=len(kept),
                )
            )
            for entry, org in kept[:10]:
                title = ui.link(ui.plain(entry.title or entry.url), entry.url)
                st.markdown(f"- {title} — {ui.plain(org.name) if org else '-'}")
        for message in result.errors:
            ui.show_error(message)
        for message in result.warnings:
            st.warning(message.describe(_lang(t), escape=ui.plain))
    if add_col.button(t("Add"), key="news_feed_add", disabled=not url.strip()):
        kind = "search" if search or is_search_feed(url.strip()) else "outlet"
        try:
            with ui.writer() as db:
                feed = add_feed(db, url.strip(), name=name.strip() or None, kind=kind)
        except CitraError as exc:
            ui.show_error(exc)
        else:
            st.success(t("Feed added: {name}", name=ui.plain(feed.name or feed.url)))


def _enable_disable(feeds: list[Feed], t: Translate) -> None:
    if not feeds:
        return
    labels = {feed.url: f"{feed.name or feed.url}" for feed in feeds}
    chosen = st.selectbox(
        t("Feed"),
        list(labels),
        format_func=labels.__getitem__,
        key="news_feed_pick",
        placeholder=t("Choose an option"),
    )
    current = next(feed for feed in feeds if feed.url == chosen)
    if current.enabled:
        if st.button(t("Disable"), key="news_feed_disable"):
            with ui.writer() as db:
                set_feed_enabled(db, chosen, False)
            st.rerun()
    elif st.button(t("Enable"), key="news_feed_enable"):
        with ui.writer() as db:
            set_feed_enabled(db, chosen, True)
        st.rerun()


def _catalogue(t: Translate) -> None:
    rows = ui.cached(catalogue_status)
    status = {
        None: t("Not added"),
        True: t("Verified"),
        False: t("Unverified"),
    }
    st.dataframe(
        [
            {
                t("Feed"): entry.name,
                t("Group"): t(entry.group),
                t("Status"): status[None if feed is None else feed.verified],
                "URL": entry.url,
            }
            for entry, feed in rows
        ],
        hide_index=True,
        placeholder="–",
    )
    missing = sum(1 for _, feed in rows if feed is None or not feed.enabled)
    if st.button(
        t("Enable all {count} catalogue feeds", count=len(rows)),
        key="news_catalogue_enable",
        disabled=missing == 0,
    ):
        with ui.writer() as db:
            enable_catalogue(db)
        st.rerun()


def render(t: Translate) -> None:
    """Draw the news-feeds tab."""
    feeds = ui.cached(list_feeds)
    st.subheader(t("News feeds"))
    if st.button(t("Collect now"), key="news_collect_now", type="primary", disabled=not feeds):
        _collect_now(t)
        feeds = ui.cached(list_feeds)
    if feeds:
        failing = sum(1 for feed in feeds if feed.health == "failing")
        st.caption(
            t(
                "{count} feeds, {failing} failing. Cron collects every hour; you can also collect now.",
                count=len(feeds),
                failing=failing,
            )
        )
        st.dataframe(_feed_rows(feeds, t), hide_index=True, placeholder="–")
    else:
        st.info(t("No feeds yet. Add one below, or enable the starter catalogue."))
    left, right = st.columns(2)
    with left:
        _add_and_test(t)
    with right:
        st.markdown(f"**{t('Enable or disable')}**")
        _enable_disable(feeds, t)
    with st.expander(t("Starter catalogue of Indonesian news feeds")):
        st.caption(t("Each feed is unverified until its first successful fetch."))
        _catalogue(t)
