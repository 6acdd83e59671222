"""What every command shares: the database context, the error handling, JSON output.

Commands take the shared :class:`Context` through :data:`pass_context`; the group class
:class:`CitraGroup` turns a :class:`citra.errors.CitraError` into a plain message and exit status 2.
Every command acts as ``cli:<OS user>`` with the admin role (``citra.access.cli_actor``): whoever
can run the command line on the machine owns the database file; the audit log records the name.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from citra import access, store
from citra.errors import CitraError, DatabaseBusy, render


def _report_wait(template: str, values: dict[str, object]) -> None:
    click.echo(render(template, "en", values), err=True)


class CitraGroup(click.Group):
    """A click group that turns :class:`CitraError` into a clean message and exit code 2.

    A writer waiting for the database says so on stderr (:func:`citra.store.reporting_waits`);
    a lock SQLite reports outside Citra's own wait is the same plain "busy" message, exit 2.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with store.reporting_waits(_report_wait), access.acting(access.cli_actor()):
                return super().invoke(ctx)
        except CitraError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)
        except sqlite3.OperationalError as exc:
            if not store.is_busy_error(exc):
                raise
            busy = DatabaseBusy(store.BUSY, limit=f"{store.busy_timeout():g}")
            click.echo(f"Error: {busy}", err=True)
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
