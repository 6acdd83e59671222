"""``members``, ``events`` and ``attendance`` commands: registry, chats, RAT attendance, metrics."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from citra import engagement as metrics
from citra import pipeline
from citra.commands.context import Context, echo_json, pass_context
from citra.errors import CitraError, render
from citra.queries import engagement as queries
from citra.queries import member_registry
from citra.store import chats as chat_store
from citra.store import member_registry as member_store


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


@click.group("members")
def members_group() -> None:
    """Member registry, WhatsApp group chats and participation/engagement metrics."""


@members_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_context
def members_import(obj: Context, file: str, as_json: bool) -> None:
    """Import a member registry (CSV or XLSX; Indonesian or English headers).

    Re-importing updates members by number and never duplicates them; phone numbers are stored
    only as salted hashes.
    """
    summary = pipeline.import_registry(obj.db, file)
    if as_json:
        echo_json(summary)
        return
    click.echo(
        f"{summary['added']} added, {summary['updated']} updated, {summary['unchanged']} "
        f"unchanged, {summary['rejected']} rejected"
        + (f", {summary['skipped_erased']} erased (skipped)" if summary["skipped_erased"] else "")
    )
    for error in summary["errors"]:
        click.echo(f"  {error['where']}: {error['reason']}")
    click.echo(f"Undo with: python -m citra imports undo {summary['import_id']}")


@members_group.command("import-chat")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--group", help="The group's name (default: from the file name).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_context
def members_import_chat(obj: Context, file: str, group: str | None, as_json: bool) -> None:
    """Import a WhatsApp group chat export (.txt, or the .zip the phone makes)."""
    summary = pipeline.import_chat(obj.db, file, group=group)
    if as_json:
        echo_json(summary)
        return
    click.echo(
        f"{summary['group']}: {summary['messages']} messages, {summary['media']} media, "
        f"{summary['deleted']} deleted, {summary['system']} system lines from "
        f"{summary['senders']} senders ({summary['first']} .. {summary['last']}); "
        f"{summary['added']} new, {summary['duplicates']} already imported"
    )
    for note in summary.get("notes", []):
        click.echo(render(note["template"], "en", note["values"]))
    if summary["unmatched_senders"]:
        click.echo(
            f"{len(summary['unmatched_senders'])} senders not linked to a member; "
            "link them with: members link SENDER MEMBER_NO"
        )


@members_group.command("list")
@click.option("--show-names", is_flag=True, help="Show member and sender names.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def members_list(obj: Context, show_names: bool, as_json: bool) -> None:
    """List members (never phone numbers) and the chat senders still to link."""
    found = member_registry.list_members(obj.db, show_names=show_names)
    senders = queries.unmatched_senders(obj.db, show_names=show_names)
    if as_json:
        echo_json({"members": found, "unmatched_senders": senders})
        return
    if not found:
        click.echo("No members yet. Import a registry with: members import FILE")
    for member in found:
        name = f"\t{member['name'] or ''}" if show_names else ""
        click.echo(
            f"{member['member_no']}{name}\t{member['status']}\t{member['branch'] or '-'}\t"
            f"joined {member['join_date'] or '?'}\t{member['events']} events"
        )
    if senders:
        click.echo("Senders to link (members link SENDER MEMBER_NO):")
        for sender in senders:
            click.echo(
                f"  {sender['sender']}\t{sender['messages']} messages\tlast {sender['last']}"
            )


@members_group.command("link")
@click.argument("sender")
@click.argument("member_no")
@pass_context
def members_link(obj: Context, sender: str, member_no: str) -> None:
    """Link a chat SENDER (a name, or #ID from `members list`) to the member MEMBER_NO."""
    result = chat_store.link_sender(obj.db, sender, member_no)
    click.echo(f"Linked {sender} to member {member_no} ({result['messages']} messages).")


@members_group.command("forget")
@click.argument("member_no")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_context
def members_forget(obj: Context, member_no: str, yes: bool) -> None:
    """Erase a member's personal data and chat messages (UU PDP No. 27/2022).

    The member cannot be brought back by re-importing the registry, an old chat export or an
    old mention export (their accounts' posts are skipped).
    """
    if not yes:
        click.confirm(f"Erase member {member_no} and all their messages for good?", abort=True)
    erased = pipeline.forget_member(obj.db, member_no)
    click.echo(
        f"Member {member_no} erased: {erased['messages']} messages, "
        f"{erased['attendance']} attendance records, {erased['senders']} chat senders, "
        f"{erased['system_lines']} chat system lines naming them, their name taken out of "
        f"{erased['names_redacted']} other messages, {erased['mentions']} of their own public "
        f"posts (with their raw records), {erased['public_shares']} public shares, "
        f"{erased['handles']} handles, {erased['phones']} phone hashes, {erased['actions']} "
        "recorded actions; the full-text index was purged."
    )


def metrics_report(db: Any, year: int | None) -> dict[str, Any]:
    """The metrics the ``members metrics`` command prints, as one JSON-ready dict."""
    return {
        "year": year,
        "funnel": metrics.funnel(queries.funnel_counts(db, year=year)),
        "years": metrics.series(queries.period_counts(db, grain="year")),
        "months": metrics.series(queries.period_counts(db, grain="month", year=year)),
        "rat": metrics.series(queries.event_counts(db, kind="rat")),
        "branches": metrics.series(queries.breakdown_counts(db, "branch", year=year)),
        "membership_age": metrics.series(queries.breakdown_counts(db, "age", year=year)),
    }


@members_group.command("metrics")
@click.option("--year", type=int, help="A local calendar year (default: all time).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def members_metrics(obj: Context, year: int | None, as_json: bool) -> None:
    """Participation, engagement, their ratio, the funnel and breakdowns (no personal data)."""
    report = metrics_report(obj.db, year)
    if as_json:
        echo_json(report)
        return
    click.echo(f"Funnel ({year or 'all time'}):")
    for stage in report["funnel"]:
        click.echo(f"  {stage['stage']:<13}{stage['count']:>8}  {_pct(stage['of_members'])}")
    click.echo("Per year: participation / engagement / ratio")
    for row in report["years"]:
        click.echo(
            f"  {row['period']}  {_pct(row['participation_rate'])} / "
            f"{_pct(row['engagement_rate'])} / "
            f"{'-' if row['ratio'] is None else format(row['ratio'], '.2f')}"
        )
    click.echo("RAT: attended / active")
    for row in report["rat"]:
        click.echo(f"  {row['date']}  {row['name']}: {row['participants']} / {row['active']}")


@click.group("events")
def events_group() -> None:
    """Events members attend: the RAT (annual member meeting), meetings, trainings."""


@events_group.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice(member_store.EVENT_KINDS), required=True)
@click.option("--date", "when", required=True, help="Local date, YYYY-MM-DD.")
@click.option("--book-year", type=int, help="Book year reported (RAT default: the year before).")
@pass_context
def events_add(obj: Context, name: str, kind: str, when: str, book_year: int | None) -> None:
    """Add an event (the same name and date again returns the existing one)."""
    try:
        date.fromisoformat(when)
    except ValueError as exc:
        raise CitraError("--date takes YYYY-MM-DD, got '{when}'.", when=when) from exc
    event_id = member_store.add_event(obj.db, name, kind=kind, date=when, book_year=book_year)
    click.echo(f"Event {event_id}: {name} ({kind}, {when})")


@events_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def events_list(obj: Context, as_json: bool) -> None:
    """List events with how many members attended, asked and proposed."""
    found = member_registry.list_events(obj.db)
    if as_json:
        echo_json(found)
        return
    if not found:
        click.echo("No events yet. Add one with: events add NAME --kind rat --date YYYY-MM-DD")
    for event in found:
        click.echo(
            f"{event['id']}\t{event['date']}\t{event['kind']}\t{event['name']}\t"
            f"{event['attended']} attended, {event['asked']} asked, {event['proposed']} proposed"
        )


@click.group("attendance")
def attendance_group() -> None:
    """Who attended an event, and who asked or proposed there."""


@attendance_group.command("import")
@click.argument("event")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_context
def attendance_import(obj: Context, event: str, file: str, as_json: bool) -> None:
    """Import EVENT's (id or name) attendance list from a CSV or XLSX FILE.

    Rows for members not in the registry are reported, not dropped silently.
    """
    found = member_registry.find_event(obj.db, event)
    if found is None:
        raise CitraError("No event '{event}'. Add it first with: events add NAME ...", event=event)
    summary = pipeline.import_attendance(obj.db, int(found["id"]), file)
    if as_json:
        echo_json(summary)
        return
    click.echo(
        f"{found['name']}: {summary['added']} added, {summary['updated']} updated, "
        f"{len(summary['unknown'])} unknown members, {summary['rejected']} rejected"
    )
    for row in summary["unknown"]:
        click.echo(f"  line {row['line']}: not in the registry: {row['member']}")
    click.echo(f"Undo with: python -m citra imports undo {summary['import_id']}")
