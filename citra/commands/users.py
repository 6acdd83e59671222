"""``citra users`` (who may log in to the app, with which role) and ``citra audit`` (the log of
who changed what). Both act as the CLI's admin (``cli:<OS user>``)."""

from __future__ import annotations

import sys

import click

from citra import auth
from citra.access import ROLES
from citra.commands.context import Context, echo_json, pass_context
from citra.queries.audit import audit_rows
from citra.queries.users import list_users
from citra.store import users as user_store


def _read_password(from_stdin: bool) -> str:
    """The new password: the first line of standard input, else asked twice (not echoed)."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@click.group("users")
def users_group() -> None:
    """Users who may log in to the app (once one exists, the app asks everyone to log in)."""


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def users_add(obj: Context, name: str, role: str, password_stdin: bool) -> None:
    """Add the user NAME with a role (viewer, editor, admin) and a password."""
    password_hash = auth.hash_password(_read_password(password_stdin))
    added = user_store.add_user(obj.db, name, role, password_hash)
    click.echo(f"User {added} added ({role}). The app now asks everyone to log in.")


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def users_list(obj: Context, as_json: bool) -> None:
    """List the users, their roles and last logins (UTC)."""
    users = list_users(obj.db)
    if as_json:
        echo_json(
            [{"name": u.name, "role": u.role, "last_login_at": u.last_login_at} for u in users]
        )
        return
    if not users:
        click.echo("No users: the app runs without logins, on this computer only.")
        return
    for user in users:
        click.echo(f"{user.name:<24} {user.role:<7} last login {user.last_login_at or '-'}")


@users_group.command("remove")
@click.argument("name")
@pass_context
def users_remove(obj: Context, name: str) -> None:
    """Remove the user NAME (their audit rows stay)."""
    user_store.remove_user(obj.db, name)
    click.echo(f"User {name} removed.")


@users_group.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def users_passwd(obj: Context, name: str, password_stdin: bool) -> None:
    """Give the user NAME a new password (and lift any login delay)."""
    password_hash = auth.hash_password(_read_password(password_stdin))
    user_store.set_password(obj.db, name, password_hash)
    click.echo(f"Password of {name} changed.")


@click.command("audit")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the newest N rows.")
@pass_context
def audit_command(obj: Context, as_json: bool, limit: int | None) -> None:
    """Show the audit log, newest first: when (UTC), who, role, what, on what."""
    rows = audit_rows(obj.db, limit=limit)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("The audit log is empty.")
        return
    for row in rows:
        target = f" {row['target']}" if row["target"] else ""
        click.echo(f"{row['at']}  {row['actor']} ({row['role'] or '-'})  {row['action']}{target}")
