"""What every command shares: the database context, the error handling, JSON output.

Commands take the shared :class:`Context` through :data:`pass_context`; the group class
:class:`CitraGroup` turns a :class:`citra.errors.CitraError` into a plain message and exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from citra import store
from citra.errors import CitraError


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
