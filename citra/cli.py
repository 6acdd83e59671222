"""The ``python -m citra`` command line: a thin click layer over ``citra`` and ``collectors``.

Every command takes the database from the group's ``--db`` option (else ``$CITRA_DB``, else
``data/citra.db``). Expected failures (:class:`citra.errors.CitraError`) print a plain message and
exit with status 2; nothing prints a traceback at a user.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from citra import store
from citra.errors import CitraError
from citra.privacy import salt_path
from citra.queries.organisations import get_self, list_organisations
from citra.store.organisations import add_peer, remove_peer, set_profile


class CitraGroup(click.Group):
    """A click group that turns :class:`CitraError` into a clean message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CitraError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)


class Context:
    """The group's options; opens the database on first use, once."""

    def __init__(self, db_path: str | None):
        self.db_path = db_path
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = store.open_db(self.db_path)
        return self._db

    @property
    def resolved_path(self) -> Path:
        return store.resolve_db_path(self.db_path)


pass_context = click.make_pass_decorator(Context)


def split_words(value: str | None) -> list[str] | None:
    """``"KSP Sejahtera, #kopsejahtera"`` -> ``["KSP Sejahtera", "#kopsejahtera"]``."""
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(cls=CitraGroup)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    help="Database file (default: $CITRA_DB, else data/citra.db).",
)
@click.version_option(package_name=None, message="citra %(version)s", version="0.1.0")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """Citra: reputation monitor for Indonesian cooperatives (koperasi)."""
    ctx.obj = Context(db_path)


@cli.command()
@pass_context
def init(obj: Context) -> None:
    """Create the database (or migrate an existing one) and say where it is."""
    steps = len(store.migrations.applied(obj.db))
    click.echo(f"Database ready: {obj.resolved_path} ({steps} schema steps applied)")


@cli.group()
def profile() -> None:
    """Show or set the coop's profile (name, keywords, exclusions, website, accounts)."""


@profile.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def profile_show(obj: Context, as_json: bool) -> None:
    """Show the coop's profile and its peers."""
    coop = get_self(obj.db)
    peers = list_organisations(obj.db, "peer")
    if as_json:
        echo_json({"coop": coop.as_dict() if coop else None, "peers": [p.as_dict() for p in peers]})
        return
    if coop is None:
        click.echo("No profile yet. Set one with: python -m citra profile set --name NAME")
        return
    click.echo(f"Coop:      {coop.name}")
    click.echo(f"Keywords:  {', '.join(coop.keywords) or '-'}")
    click.echo(f"Excluded:  {', '.join(coop.exclude_keywords) or '-'}")
    click.echo(f"Website:   {coop.website or '-'}")
    for platform, handle in coop.accounts.items():
        click.echo(f"Account:   {platform}: {handle}")
    click.echo(f"Peers:     {', '.join(p.name for p in peers) or '-'}")


@profile.command("set")
@click.option("--name", help="The coop's name, e.g. 'Koperasi Sejahtera Bersama'.")
@click.option("--keywords", help="Comma-separated aliases and keywords.")
@click.option("--exclude", help="Comma-separated words that veto a match.")
@click.option("--website", help="The coop's website URL.")
@click.option(
    "--account",
    "accounts",
    multiple=True,
    metavar="PLATFORM=HANDLE",
    help="An official account, e.g. instagram=@kopsejahtera (repeatable).",
)
@pass_context
def profile_set(
    obj: Context,
    name: str | None,
    keywords: str | None,
    exclude: str | None,
    website: str | None,
    accounts: tuple[str, ...],
) -> None:
    """Create or update the coop's profile; options left out keep their value."""
    parsed_accounts = None
    if accounts:
        current = get_self(obj.db)
        parsed_accounts = dict(current.accounts) if current else {}
        for item in accounts:
            platform, sep, handle = item.partition("=")
            if not sep or not platform.strip():
                raise CitraError(f"--account takes PLATFORM=HANDLE, got '{item}'.")
            parsed_accounts[platform.strip().lower()] = handle.strip()
    coop = set_profile(
        obj.db,
        name=name,
        keywords=split_words(keywords),
        exclude_keywords=split_words(exclude),
        website=website,
        accounts=parsed_accounts,
    )
    click.echo(f"Profile saved: {coop.name}")


@cli.group()
def peers() -> None:
    """Add, remove or list the peer coops Citra compares with."""


@peers.command("add")
@click.argument("name")
@click.option("--keywords", help="Comma-separated aliases and keywords.")
@click.option("--exclude", help="Comma-separated words that veto a match.")
@click.option("--website", help="The peer's website URL.")
@pass_context
def peers_add(
    obj: Context, name: str, keywords: str | None, exclude: str | None, website: str | None
) -> None:
    """Add a peer coop (or update the one with that name)."""
    peer = add_peer(
        obj.db,
        name,
        keywords=split_words(keywords) or [],
        exclude_keywords=split_words(exclude) or [],
        website=website,
    )
    click.echo(f"Peer saved: {peer.name}")


@peers.command("remove")
@click.argument("name")
@pass_context
def peers_remove(obj: Context, name: str) -> None:
    """Remove a peer coop by name or id (its mentions stay, unattributed)."""
    peer = remove_peer(obj.db, name)
    click.echo(f"Peer removed: {peer.name}")


@peers.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def peers_list(obj: Context, as_json: bool) -> None:
    """List the peer coops."""
    found = list_organisations(obj.db, "peer")
    if as_json:
        echo_json([p.as_dict() for p in found])
        return
    if not found:
        click.echo("No peers yet. Add one with: python -m citra peers add NAME")
    for peer in found:
        click.echo(f"{peer.id}\t{peer.name}\t{', '.join(peer.keywords)}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def stats(obj: Context, as_json: bool) -> None:
    """Row counts per table, and the database's size (in all and per mention)."""
    counts = store.table_counts(obj.db)
    size = store.database_bytes(obj.db)
    per_mention = round(size / counts["mentions"]) if counts.get("mentions") else None
    if as_json:
        echo_json({**counts, "file_bytes": size, "bytes_per_mention": per_mention})
        return
    width = max((len(name) for name in counts), default=0)
    for name, count in counts.items():
        click.echo(f"{name:<{width}}  {count:>10,}")
    line = f"database file: {size / 1024**2:,.1f} MB"
    if per_mention is not None:
        line += f" ({per_mention:,} bytes per mention)"
    click.echo(line)


@cli.command()
@click.argument("out", type=click.Path(dir_okay=False))
@pass_context
def backup(obj: Context, out: str) -> None:
    """Copy the database to OUT with SQLite's online backup (safe while the app runs)."""
    path = store.backup(obj.db, out)
    click.echo(f"Backup written: {path}")
    salt_file = salt_path(obj.db)
    if salt_file is not None and salt_file.exists():
        # Phone hashes are only useful with their salt, which lives outside the database.
        salt_copy = path.with_name(path.name + ".salt")
        shutil.copyfile(salt_file, salt_copy)
        salt_copy.chmod(0o600)
        click.echo(f"Salt copied:    {salt_copy} (keep it as private as the database)")


# Area commands register below, one block per area (see citra/commands/).

# news
from citra.commands.news import collect_command, feeds  # noqa: E402

cli.add_command(feeds)
cli.add_command(collect_command)

# members
from citra.commands.members import attendance_group, events_group, members_group  # noqa: E402

cli.add_command(members_group)
cli.add_command(events_group)
cli.add_command(attendance_group)

# imports
from citra.commands.imports import import_command, imports_group  # noqa: E402

cli.add_command(import_command)
cli.add_command(imports_group)

# dashboard
from citra.commands.demo import demo  # noqa: E402

cli.add_command(demo)

# sentiment
from citra.commands.sentiment import rescore_command, sentiment  # noqa: E402

cli.add_command(rescore_command)
cli.add_command(sentiment)


def main() -> None:
    cli(prog_name="citra")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
