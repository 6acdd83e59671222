"""``citra demo``: add or remove the fictional demo dataset."""

from __future__ import annotations

import click

from citra import demo as demo_data
from citra import pipeline
from citra.commands.context import Context, pass_context
from citra.errors import CitraError
from citra.queries.mentions import has_mentions
from citra.queries.organisations import get_self


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database holds any mention.")
@click.option("--remove", is_flag=True, help="Delete the demo rows (and nothing else).")
@click.option(
    "--scale",
    type=float,
    default=1.0,
    show_default=True,
    help="Multiply the number of mentions (1 = about 8,500; 120 = about a million).",
)
@pass_context
def demo(obj: Context, if_empty: bool, remove: bool, scale: float) -> None:
    """Fill the database with a fictional coop, three peers and 24 months of mentions, all
    marked as demo data; or remove them again with --remove."""
    if remove:
        removed = pipeline.remove_demo(obj.db)
        click.echo(
            "Demo data removed: "
            + ", ".join(f"{count} {table}" for table, count in removed.items())
        )
        return
    if if_empty and has_mentions(obj.db):
        click.echo("The database already holds mentions; no demo data added.")
        return
    if if_empty and get_self(obj.db) is not None:
        click.echo("A coop profile is already set up; no demo data added.")
        return
    if scale > 1000:
        raise CitraError("--scale above 1000 would write more than 9 million mentions.")
    story = pipeline.seed_demo(obj.db, scale=scale)
    click.echo(
        f"Demo data added: {story.mentions:,} mentions about {demo_data.COOP['name']} and "
        f"{len(demo_data.PEERS)} peers, ending {story.today.isoformat()}. "
        "Remove it with: python -m citra demo --remove"
    )
