"""The comms strategy commands: ``narratives``, ``plan``, ``topics viral``, ``voices`` and
``members ambassadors`` (added to the ``members`` group by ``citra.cli``)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from citra import pipeline
from citra.ambassadors import ambassadors, export
from citra.commands.context import Context, echo_json, pass_context, split_words
from citra.errors import CitraError
from citra.filters import Filters, local_today, month_days, preset_range
from citra.queries.narratives import list_narratives, plan_lines
from citra.queries.organisations import get_self
from citra.queries.settings import get_setting
from citra.store import narratives as narrative_store
from citra.strategy import Gap, narrative_overview, plan_check
from citra.viral import watch
from citra.voices import rank_voices

PERIOD_HELP = "Period: a month YYYY-MM, or 7d, 30d, 90d (default), this_month, last_month."


def period_filters(obj: Context, period: str) -> Filters:
    """The coop's mentions in ``period`` (a ``YYYY-MM`` month or a preset name)."""
    coop = get_self(obj.db)
    if coop is None:
        raise CitraError("No coop is set up yet: run `citra profile set --name NAME` first.")
    tz = str(get_setting(obj.db, "timezone"))
    text = period.strip()
    if len(text) == 7 and text[4] == "-":
        try:
            first, last = month_days(text)
        except ValueError:
            raise CitraError("'{period}' is not a period. " + PERIOD_HELP, period=period) from None
    else:
        first, last = preset_range(text, local_today(tz))
    return Filters.for_days(first, last, organisation_id=coop.id, tz=tz)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


# --- narratives --------------------------------------------------------------------------------


@click.group("narratives")
def narratives_group() -> None:
    """The coop's narratives: which mentions and own posts carry them, and how they do."""


@narratives_group.command("add")
@click.argument("name")
@click.option("--keywords", help='Comma-separated keywords, e.g. "aplikasi, digital".')
@click.option("--example", "examples", multiple=True, help="An example sentence (repeatable).")
@click.option("--description", help="What the narrative says, in a sentence.")
@pass_context
def narratives_add(
    obj: Context,
    name: str,
    keywords: str | None,
    examples: tuple[str, ...],
    description: str | None,
) -> None:
    """Add a narrative (or update the one with this name); every mention is assigned again."""
    saved = pipeline.save_narrative(
        obj.db,
        name,
        keywords=split_words(keywords),
        examples=list(examples) or None,
        description=description,
    )
    click.echo(f"Saved narrative {saved.id}: {saved.name}")


@narratives_group.command("list")
@click.option("--period", default="90d", show_default=True, help=PERIOD_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: share, sentiment and reach.")
@pass_context
def narratives_list(obj: Context, period: str, as_json: bool) -> None:
    """List the narratives with their share, sentiment and reach in a period."""
    found = list_narratives(obj.db)
    if not found:
        if as_json:
            echo_json({"period": None, "narratives": []})
        else:
            click.echo('No narratives yet. Add one with: narratives add NAME --keywords "..."')
        return
    f = period_filters(obj, period)
    overview = narrative_overview(obj.db, f)
    by_id = {n.id: n for n in found}
    if as_json:
        echo_json(
            {
                "period": {"first_day": f.first_day, "last_day": f.last_day},
                "public_mentions": overview.public,
                "narratives": [
                    {**by_id[row.narrative_id].as_dict(), **row.as_dict()} for row in overview.rows
                ],
            }
        )
        return
    click.echo(f"{f.first_day} to {f.last_day}: {overview.public['mentions']} public mentions")
    for row in overview.rows:
        net = "-" if row.net is None else f"{row.net:+.0f}"
        click.echo(
            f"{row.narrative_id}\t{row.name}\t{row.mentions} mentions ({_pct(row.share)})\t"
            f"net {net}\treach {row.reach} ({row.without_reach} without a figure)\t"
            f"{row.own_posts} own posts\t{row.verdict}"
        )


@narratives_group.command("remove")
@click.argument("name_or_id")
@pass_context
def narratives_remove(obj: Context, name_or_id: str) -> None:
    """Remove a narrative (its plan lines go with it)."""
    removed = pipeline.delete_narrative(obj.db, name_or_id)
    click.echo(f"Removed narrative {removed.id}: {removed.name}")


# --- plan --------------------------------------------------------------------------------------


@click.group("plan")
def plan_group() -> None:
    """The posting plan: cadence per channel (and narrative) against the own posts."""


@plan_group.command("add")
@click.argument("channel")
@click.argument("posts", type=int)
@click.option("--per", type=click.Choice(narrative_store.PLAN_PERIODS), default="week")
@click.option("--narrative", help="The narrative these posts carry (name or id).")
@click.option("--tone", type=click.Choice(narrative_store.PLAN_TONES), help="The persona's tone.")
@click.option("--max-length", type=int, help="The longest post the persona writes (characters).")
@pass_context
def plan_add(
    obj: Context,
    channel: str,
    posts: int,
    per: str,
    narrative: str | None,
    tone: str | None,
    max_length: int | None,
) -> None:
    """Plan POSTS own posts per week (or month) on CHANNEL, e.g. `plan add tiktok 1`."""
    plan_id = narrative_store.add_plan(
        obj.db, channel, posts, per=per, narrative=narrative, tone=tone, max_length=max_length
    )
    click.echo(f"Added plan line {plan_id}")


@plan_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def plan_list(obj: Context, as_json: bool) -> None:
    """List the plan's lines."""
    lines = plan_lines(obj.db)
    if as_json:
        echo_json(lines)
        return
    if not lines:
        click.echo("No plan yet. Add a line with: plan add CHANNEL POSTS [--per week|month]")
    for line in lines:
        extra = "".join(
            f"\t{label} {line[key]}"
            for key, label in (("narrative", "narrative"), ("tone", "tone"), ("max_length", "max"))
            if line[key]
        )
        click.echo(f"{line['id']}\t{line['channel']}\t{line['posts']} per {line['per']}{extra}")


@plan_group.command("remove")
@click.argument("plan_id", type=int)
@pass_context
def plan_remove(obj: Context, plan_id: int) -> None:
    """Remove a plan line by its id."""
    narrative_store.remove_plan(obj.db, plan_id)
    click.echo(f"Removed plan line {plan_id}")


@plan_group.command("check")
@click.option("--period", default="30d", show_default=True, help=PERIOD_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def plan_check_command(obj: Context, period: str, as_json: bool) -> None:
    """The plan against the own posts: lines, gaps and the persona check."""
    f = period_filters(obj, period)
    check = plan_check(obj.db, f)
    if as_json:
        echo_json(
            {
                "period": {"first_day": f.first_day, "last_day": f.last_day},
                "lines": [dict(s.__dict__) for s in check.lines],
                "gaps": [dict(g.__dict__) for g in check.gaps],
                "persona": [dict(p.__dict__) for p in check.persona],
            }
        )
        return
    if not check.lines:
        click.echo("No plan yet. Add a line with: plan add CHANNEL POSTS [--per week|month]")
        return
    for s in check.lines:
        of = f" ({s.narrative})" if s.narrative else ""
        click.echo(f"{s.channel}{of}: planned {s.planned}, published {s.published}")
    for gap in check.gaps:
        click.echo(f"Gap: {gap_sentence(gap)}")


def gap_sentence(gap: Gap) -> str:
    """A gap in English (the page and the report translate their own)."""
    if gap.kind == "silent":
        if gap.days is None:
            return f"no {gap.channel} post yet"
        return f"no {gap.channel} post for {gap.days} days"
    of = f" narrative {gap.narrative}" if gap.narrative else ""
    return f"{gap.channel}{of}: planned {gap.planned}, published {gap.published}"


# --- topics, voices, ambassadors ---------------------------------------------------------------


@click.group("topics")
def topics_group() -> None:
    """Topics in the news around the coop."""


@topics_group.command("viral")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def topics_viral(obj: Context, as_json: bool) -> None:
    """The topics rising in the news this week against the eight weeks before."""
    found = watch(obj.db, now=datetime.now(UTC))
    if as_json:
        echo_json(found.as_dict())
        return
    click.echo(
        f"{found.headlines_now} headlines this week, {found.headlines_before} in the 8 weeks before"
    )
    for scope, topics in (("National", found.national), ("Regional", found.regional)):
        if not topics:
            continue
        click.echo(f"{scope}:")
        for topic in topics:
            mark = " [suggested: " + ", ".join(topic.why) + "]" if topic.suggested else ""
            click.echo(f"  {topic.term}\t{topic.now} now, {topic.before} before{mark}")
            for title, url, _source in topic.examples:
                click.echo(f"    {title} {url or ''}".rstrip())


@click.command("voices")
@click.option("--period", default="90d", show_default=True, help=PERIOD_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def voices_command(obj: Context, period: str, as_json: bool) -> None:
    """The authors and outlets that carry the coop's reputation, by reach and by effect."""
    f = period_filters(obj, period)
    found = rank_voices(obj.db, f)
    if as_json:
        echo_json({"period": {"first_day": f.first_day, "last_day": f.last_day}, **found.as_dict()})
        return
    click.echo(
        f"{found.total} voices, {found.unknown_reach} without any reach figure (shown as unknown)"
    )
    for title, voices in (
        ("By reach", found.by_reach),
        ("Positive effect (thank, invite)", found.positive),
        ("Negative effect (answer)", found.negative),
    ):
        click.echo(f"{title}:")
        for v in voices:
            reach = "unknown" if v.reach is None else str(v.reach)
            click.echo(
                f"  {v.voice} ({v.platform})\t{v.mentions} mentions\treach {reach}\t"
                f"effect {v.effect:+.0f}"
            )


@click.command("ambassadors")
@click.option("--month", required=True, help="The month, YYYY-MM.")
@click.option("--min-shares", type=int, help="The rule (default: the coop's setting, else 3).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the list to FILE.csv/.xlsx.")
@click.option("--hide-names", is_flag=True, help="Leave out member numbers, names and links.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def ambassadors_command(
    obj: Context,
    month: str,
    min_shares: int | None,
    out: str | None,
    hide_names: bool,
    as_json: bool,
) -> None:
    """Members who shared the coop's news or products in a month (duta koperasi)."""
    show = not hide_names
    found = ambassadors(obj.db, month, rule=min_shares, show_names=show)
    if out:
        path = export(found, out, lang=str(get_setting(obj.db, "language")), show_names=show)
        click.echo(f"{len(found)} ambassadors written to {path}")
        return
    if as_json:
        echo_json([a.as_dict() for a in found])
        return
    if not found:
        click.echo(f"No member meets the rule in {month}.")
    for a in found:
        who = f"{a.member_no}\t{a.name or ''}\t" if show else ""
        click.echo(
            f"{who}{a.branch or '-'}\t{a.shares} shares ({a.public} public, {a.whatsapp} "
            f"WhatsApp, {a.manual} by hand)"
        )
