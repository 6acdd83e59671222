"""Foundation commands: ``init``, ``profile``, ``peers``, ``stats``, ``backup``."""

from __future__ import annotations

import shutil

import click

from citra import pipeline, store
from citra.commands.context import Context, echo_json, pass_context, split_words
from citra.errors import CitraError
from citra.exports import private_file
from citra.privacy import salt_path
from citra.queries.organisations import get_self, list_organisations


@click.command()
@pass_context
def init(obj: Context) -> None:
    """Create the database (or migrate an existing one) and say where it is."""
    steps = len(store.migrations.applied(obj.db))
    click.echo(f"Database ready: {obj.resolved_path} ({steps} schema steps applied)")


@click.group()
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
                raise CitraError("--account takes PLATFORM=HANDLE, got '{item}'.", item=item)
            parsed_accounts[platform.strip().lower()] = handle.strip()
    coop = pipeline.save_profile(
        obj.db,
        name=name,
        keywords=split_words(keywords),
        exclude_keywords=split_words(exclude),
        website=website,
        accounts=parsed_accounts,
    )
    click.echo(f"Profile saved: {coop.name}")


@click.group()
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
    peer = pipeline.save_peer(
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
    peer = pipeline.delete_peer(obj.db, name)
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


@click.command()
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


@click.command()
@click.argument("out", type=click.Path(dir_okay=False))
@click.option(
    "--with-salt",
    is_flag=True,
    help="Also copy the salt beside the copy (OUT.salt). Keep the two apart otherwise.",
)
@pass_context
def backup(obj: Context, out: str, with_salt: bool) -> None:
    """Copy the database to OUT with SQLite's online backup (safe while the app runs), mode
    0600. The salt is copied only with --with-salt: a copy and its salt together let someone
    guess phone numbers back from their hashes."""
    path = store.backup(obj.db, out)
    click.echo(f"Backup written: {path}")
    salt_file = salt_path(obj.db)
    if salt_file is None or not salt_file.exists():
        return
    if with_salt:
        salt_copy = private_file(path.with_name(path.name + ".salt"))
        shutil.copyfile(salt_file, salt_copy)
        click.echo(f"Salt copied:    {salt_copy} (keep it as private as the database)")
    else:
        click.echo(
            f"Salt not copied: keep {salt_file} backed up elsewhere (phone numbers cannot be "
            "matched again without it), or pass --with-salt."
        )
