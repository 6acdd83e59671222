"""``citra import PATH`` and ``citra imports list|undo|presets``: exports in, history, undo."""

from __future__ import annotations

import click

from citra import pipeline
from citra.commands.context import Context, echo_json, pass_context
from citra.errors import render
from collectors import registry
from collectors.importer import column_presets, import_history

SHOWN_REJECTIONS = 20


def summary_line(summary: dict) -> str:
    """``brand.csv (brand24): 312 new, 41 duplicates, 2 rejected``."""
    return (
        f"{summary['file']} ({summary['format']}): {summary['added']:,} new, "
        f"{summary['duplicates']:,} duplicates, {summary['rejected_count']:,} rejected"
    )


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=True, file_okay=True))
@click.option(
    "--format",
    "format_name",
    type=click.Choice([*registry.format_names(), "whatsapp"], case_sensitive=False),
    default="auto",
    show_default=True,
    help="The export format; auto detects it from file names and content.",
)
@click.option("--preset", help="Column preset to use for a generic CSV/XLSX (see imports presets).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_context
def import_command(
    obj: Context, path: str, format_name: str, preset: str | None, as_json: bool
) -> None:
    """Import PATH (a file, a folder or a .zip of exports) as mentions.

    Exit status 0 when something was imported (even with some rows rejected), 2 with the reason
    when nothing could be imported.
    """
    summary = pipeline.import_file(obj.db, path, format=format_name, preset=preset)
    if as_json:
        echo_json(summary)
        return
    click.echo(f"Imported {summary_line(summary)}.")
    previous = summary["already_imported"]
    if previous:
        click.echo(
            f"This file was already imported on {previous['finished_at']} (import "
            f"#{previous['id']}); {summary['added']:,} mentions were new."
        )
    for item in summary["rejected"][:SHOWN_REJECTIONS]:
        click.echo(f"  rejected {item['where']}: {item['reason']}")
    if summary["rejected_count"] > SHOWN_REJECTIONS:
        click.echo(f"  ... and {summary['rejected_count'] - SHOWN_REJECTIONS:,} more rejected")
    if summary.get("skipped_no_text"):
        click.echo(f"  skipped (no text of their own): {summary['skipped_no_text']:,} posts")
    if summary.get("unattributed"):
        click.echo(
            f"  {summary['unattributed']:,} new mentions name no organisation of the profile"
        )
    for note in summary.get("notes", []):
        click.echo("  " + render(note["template"], "en", note["values"]))
    if summary["skipped"]:
        click.echo(f"  skipped (not an export Citra knows): {len(summary['skipped']):,} files")
    click.echo(f"Undo with: python -m citra imports undo {summary['import_id']}")


@click.group("imports")
def imports_group() -> None:
    """List past imports, undo one, or list column presets."""


@imports_group.command("list")
@click.option("--limit", default=50, show_default=True, help="How many imports to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def imports_list(obj: Context, limit: int, as_json: bool) -> None:
    """List the latest imports, newest first (id, time, status, counts, file)."""
    history = import_history(obj.db, limit)
    if as_json:
        echo_json(history)
        return
    if not history:
        click.echo("No imports yet. Import a file with: python -m citra import PATH")
    for item in history:
        click.echo(
            f"#{item['id']}\t{item['started_at']}\t{item['status']}\t{item['format'] or '-'}\t"
            f"+{item['added']} ={item['duplicates']} x{item['rejected']}\t{item['file_name'] or '-'}"
        )


@imports_group.command("undo")
@click.argument("import_id", type=int)
@pass_context
def imports_undo(obj: Context, import_id: int) -> None:
    """Take back exactly what import IMPORT_ID did: its mentions, a WhatsApp import's chat
    messages, or a member list's or an attendance list's changes (the registry or the
    attendance as it was before). The history keeps it, as undone. A member or attendance list
    whose members or rows a later import changed is refused: undo the later one first."""
    click.echo(pipeline.undo(obj.db, import_id).message())


@imports_group.group("presets")
def presets_group() -> None:
    """Column-mapping presets for generic CSV/XLSX files (made on the Sources page)."""


@presets_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def presets_list(obj: Context, as_json: bool) -> None:
    """List saved column presets and the columns each maps."""
    found = column_presets(obj.db)
    if as_json:
        echo_json(found)
        return
    if not found:
        click.echo("No presets yet. Map a file's columns on the Sources page to make one.")
    for preset in found:
        pairs = ", ".join(f"{field}={header}" for field, header in preset["mapping"].items())
        click.echo(f"{preset['name']}\t{pairs}")
