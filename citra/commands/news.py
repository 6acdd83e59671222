"""News commands: ``citra feeds ...`` to manage feeds and ``citra collect`` to fetch them."""

from __future__ import annotations

import click

from citra import pipeline
from citra.commands.context import Context, echo_json, pass_context
from citra.errors import CitraError
from citra.queries.news import list_feeds
from citra.store.news import add_feed, remove_feed, set_feed_enabled
from collectors.catalogue import catalogue_status, enable_catalogue
from collectors.http import DEFAULT_BUDGET_SECONDS
from collectors.rss import (
    DEFAULT_WORKERS,
    google_news_search_url,
    is_search_feed,
    preview_feed,
)


@click.group()
def feeds() -> None:
    """Add, test, list, enable or disable the news feeds Citra collects."""


@feeds.command("add")
@click.argument("url")
@click.option("--name", help="A display name, e.g. 'Kompas Ekonomi'.")
@click.option(
    "--search",
    is_flag=True,
    help="A search feed: keep every entry (Google News/Alerts feeds are detected by themselves).",
)
@click.option(
    "--org", help="For a search feed: the coop or peer it searches for (default: the coop)."
)
@pass_context
def feeds_add(obj: Context, url: str, name: str | None, search: bool, org: str | None) -> None:
    """Add a feed by URL (RSS, Atom or JSON Feed)."""
    kind = "search" if search or is_search_feed(url) else "outlet"
    feed = add_feed(obj.db, url, name=name, kind=kind, organisation=org)
    click.echo(f"Feed saved ({feed.kind}): {feed.name or feed.url}")


@feeds.command("add-search")
@click.argument("query")
@click.option("--name", help="A display name (default: 'Google News: QUERY').")
@click.option("--org", help="The coop or peer the search is for (default: the coop).")
@pass_context
def feeds_add_search(obj: Context, query: str, name: str | None, org: str | None) -> None:
    """Add a Google News search feed for QUERY (Indonesian edition); every result is kept."""
    url = google_news_search_url(query)
    feed = add_feed(
        obj.db, url, name=name or f"Google News: {query}", kind="search", organisation=org
    )
    click.echo(f"Search feed saved: {feed.name}\n{feed.url}")


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def feeds_list(obj: Context, as_json: bool) -> None:
    """List the feeds with their health (last success, last error, failure streak)."""
    found = list_feeds(obj.db)
    if as_json:
        echo_json([feed.as_dict() for feed in found])
        return
    if not found:
        click.echo(
            "No feeds yet. Add one with: citra feeds add URL, or: citra feeds catalogue --enable"
        )
    for feed in found:
        click.echo(
            f"{feed.id}\t{feed.kind}\t{feed.name or '-'}\t{feed.url}\n\t{feed.health_text('en')}"
        )


@feeds.command("remove")
@click.argument("url_or_id")
@pass_context
def feeds_remove(obj: Context, url_or_id: str) -> None:
    """Remove a feed by URL or id (its mentions stay)."""
    feed = remove_feed(obj.db, url_or_id)
    click.echo(f"Feed removed: {feed.name or feed.url}")


@feeds.command("enable")
@click.argument("url_or_id")
@pass_context
def feeds_enable(obj: Context, url_or_id: str) -> None:
    """Enable a feed (and retry it at the next collection, even if it was backing off)."""
    feed = set_feed_enabled(obj.db, url_or_id, True)
    click.echo(f"Feed enabled: {feed.name or feed.url}")


@feeds.command("disable")
@click.argument("url_or_id")
@pass_context
def feeds_disable(obj: Context, url_or_id: str) -> None:
    """Disable a feed: it stays listed but is not collected."""
    feed = set_feed_enabled(obj.db, url_or_id, False)
    click.echo(f"Feed disabled: {feed.name or feed.url}")


@feeds.command("test")
@click.argument("url")
@click.option("--search", is_flag=True, default=None, help="Treat it as a search feed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def feeds_test(obj: Context, url: str, search: bool | None, as_json: bool) -> None:
    """Fetch URL and show what would be collected; stores nothing."""
    result, kept = preview_feed(obj.db, url, search=search)
    if as_json:
        data = result.as_dict()
        data["kept"] = [
            {**entry.as_dict(), "organisation": org.name if org else None} for entry, org in kept
        ]
        echo_json(data)
        return
    click.echo(
        f"{url}: HTTP {result.status or '-'}, {len(result.entries)} entries, {len(kept)} kept"
    )
    for message in result.errors:
        click.echo(f"  error: {message}")
    for message in result.warnings:
        click.echo(f"  warning: {message}")
    for entry, org in kept[:20]:
        click.echo(f"  {entry.published_at}  [{org.name if org else '-'}]  {entry.title}")
    if len(kept) > 20:
        click.echo(f"  ... and {len(kept) - 20} more")


@feeds.command("catalogue")
@click.option("--enable", "enable", is_flag=True, help="Add and enable every catalogue feed.")
@click.option(
    "--key", "keys", multiple=True, help="With --enable: only this catalogue key (repeatable)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def feeds_catalogue(obj: Context, enable: bool, keys: tuple[str, ...], as_json: bool) -> None:
    """Show the starter catalogue of Indonesian news feeds; --enable adds them."""
    if keys and not enable:
        raise CitraError("--key only goes with --enable.")
    if enable:
        added = enable_catalogue(obj.db, keys or None)
        click.echo(f"{len(added)} catalogue feeds enabled (unverified until their first fetch).")
        return
    rows = catalogue_status(obj.db)
    if as_json:
        echo_json(
            [
                {
                    "key": entry.key,
                    "name": entry.name,
                    "url": entry.url,
                    "group": entry.group,
                    "added": feed is not None,
                    "enabled": bool(feed and feed.enabled),
                    "verified": bool(feed and feed.verified),
                }
                for entry, feed in rows
            ]
        )
        return
    for entry, feed in rows:
        state = "not added" if feed is None else ("verified" if feed.verified else "unverified")
        if feed is not None and not feed.enabled:
            state += ", disabled"
        click.echo(f"{entry.key:<24}{entry.group:<12}{state:<22}{entry.name}")


@click.command("collect")
@click.option("--feed", "urls", multiple=True, help="Collect only this feed URL (repeatable).")
@click.option(
    "--workers", default=DEFAULT_WORKERS, show_default=True, help="Feeds fetched at once."
)
@click.option(
    "--budget",
    default=DEFAULT_BUDGET_SECONDS,
    show_default=True,
    help="Seconds allowed for each feed's download.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def collect_command(
    obj: Context, urls: tuple[str, ...], workers: int, budget: float, as_json: bool
) -> None:
    """Fetch every due feed and store new relevant mentions (exit 0 even if some feeds fail)."""
    summary = pipeline.collect(obj.db, list(urls) or None, workers=workers, budget=budget)
    if as_json:
        data = summary.as_dict()
        echo_json(data)
        return
    for outcome in summary.per_feed:
        label = outcome.name or outcome.url
        if outcome.state == "failed":
            click.echo(f"FAILED  {label}: {'; '.join(map(str, outcome.errors))}")
        elif outcome.state == "not_modified":
            click.echo(f"same    {label}: not modified")
        else:
            click.echo(
                f"ok      {label}: {outcome.entries} entries, {outcome.kept} relevant, "
                f"{outcome.added} new"
            )
        for message in outcome.warnings:
            click.echo(f"        warning: {message}")
    click.echo(
        f"{summary.feeds} feeds: {summary.fetched} fetched, {summary.not_modified} not modified, "
        f"{summary.failed} failed; {summary.added} new mentions, {summary.duplicates} duplicates."
    )
