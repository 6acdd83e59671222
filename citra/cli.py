"""The ``citra`` command line (``python -m citra`` or the ``citra`` script): a thin click layer.

Every command takes the database from the group's ``--db`` option (else ``$CITRA_DB``, else
``data/citra.db``). Expected failures (:class:`citra.errors.CitraError`) print a plain message and
exit with status 2; nothing prints a traceback at a user. Commands live in ``citra/commands/``,
one module per area; this module only assembles them.
"""

from __future__ import annotations

import sys

import click

from citra import __version__
from citra.commands.alerts import alerts_group
from citra.commands.context import CitraGroup, Context
from citra.commands.demo import demo
from citra.commands.foundation import backup, init, peers, profile, stats
from citra.commands.imports import import_command, imports_group
from citra.commands.members import attendance_group, events_group, members_group
from citra.commands.narratives import (
    ambassadors_command,
    narratives_group,
    plan_group,
    topics_group,
    voices_command,
)
from citra.commands.news import collect_command, feeds
from citra.commands.report import report_command
from citra.commands.sentiment import rescore_command, sentiment
from citra.commands.serve import serve
from citra.commands.users import audit_command, users_group


@click.group(cls=CitraGroup)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    help="Database file (default: $CITRA_DB, else data/citra.db).",
)
@click.version_option(__version__, message="citra %(version)s")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """Citra: reputation monitor for Indonesian cooperatives (koperasi)."""
    ctx.obj = Context(db_path)


COMMANDS = (
    init,
    profile,
    peers,
    stats,
    backup,
    feeds,
    collect_command,
    import_command,
    imports_group,
    members_group,
    events_group,
    attendance_group,
    demo,
    rescore_command,
    sentiment,
    serve,
    alerts_group,
    report_command,
    users_group,
    audit_command,
    narratives_group,
    plan_group,
    topics_group,
    voices_command,
)
for command in COMMANDS:
    cli.add_command(command)
members_group.add_command(ambassadors_command)


def main() -> None:
    cli(prog_name="citra")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
