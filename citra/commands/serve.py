"""``citra serve``: open the dashboard (Streamlit) for this database."""

from __future__ import annotations

import os

import click

from citra import access
from citra.commands.context import Context, pass_context


@click.command(
    "serve", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False}
)
@click.option("--port", default=8501, show_default=True, help="The port to listen on.")
@click.option(
    "--address",
    default="127.0.0.1",
    show_default=True,
    help=(
        "The address to listen on; 0.0.0.0 serves every network the machine is on (add users "
        "first: without them Citra serves no data beyond this computer)."
    ),
)
@click.argument("streamlit_options", nargs=-1, type=click.UNPROCESSED)
@pass_context
def serve(obj: Context, port: int, address: str, streamlit_options: tuple[str, ...]) -> None:
    """Serve the dashboard on ADDRESS:PORT (this computer only by default). Further options go
    to Streamlit as they are (e.g. --theme.base dark)."""
    os.environ["CITRA_DB"] = str(obj.resolved_path)
    from citra import ui

    # The app's sessions act as their own users (citra.ui); nothing in the server process may
    # write as the command line's admin.
    with access.acting(access.Actor("app", None)):
        ui.serve(port=port, address=address, extra=streamlit_options)
