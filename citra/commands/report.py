"""``citra report``: the monthly report as XLSX, PDF, HTML or CSV, by hand or from cron, and
optionally sent by e-mail through the SMTP settings of ``citra.mail``."""

from __future__ import annotations

from pathlib import Path

import click

from citra import mail
from citra.commands.context import Context, pass_context
from citra.errors import CitraError
from citra.filters import local_today
from citra.formatting import format_month
from citra.i18n import translate
from citra.queries.settings import get_setting
from citra.reports.content import Report, build_report, resolve_month
from citra.reports.files import FORMATS, write_report


def _recipients(values: tuple[str, ...]) -> list[str]:
    found = [part.strip() for value in values for part in value.split(",") if part.strip()]
    bad = [address for address in found if "@" not in address]
    if bad:
        raise CitraError("Not an e-mail address: {address}.", address=", ".join(bad))
    return found


def send_report(obj: Context, report: Report, files: list[Path], to: list[str]) -> None:
    """E-mail ``files`` to ``to`` with the summary as the message; raises :class:`CitraError`
    with the reason when it cannot be sent."""
    settings = mail.load_settings(obj.db)
    if settings is None:
        raise CitraError(
            "E-mail is not set up: store the SMTP settings first (see README, Monthly report)."
        )
    lang = report.lang
    subject = translate(
        "Reputation report {month}: {name}",
        lang,
        month=format_month(report.month, lang),
        name=report.organisation.name,
    )
    text = "\n\n".join(
        [subject, *report.summary, translate("The report is attached. Sent by Citra.", lang)]
    )
    mail.send(settings, mail.build_message(settings, to, subject, text, attachments=files))


@click.command("report")
@click.option("--month", help="The month to report on, YYYY-MM (the current month: up to today).")
@click.option("--last-month", is_flag=True, help="The month before this one (for cron on the 1st).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="xlsx: workbook; pdf: A4 document; html: the same, print-ready; csv: mentions and a daily table.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="File to write, or a folder for the default name (laporan-YYYY-MM.FORMAT).",
)
@click.option(
    "--lang",
    type=click.Choice(["id", "en"]),
    help="Language of the report (default: the installation's language).",
)
@click.option("--org", "organisation_id", type=int, help="Organisation id (default: the coop).")
@click.option(
    "--email",
    "emails",
    multiple=True,
    metavar="ADDRESS",
    help="Also e-mail the report to ADDRESS (repeatable, or comma-separated).",
)
@pass_context
def report_command(
    obj: Context,
    month: str | None,
    last_month: bool,
    fmt: str,
    out: Path,
    lang: str | None,
    organisation_id: int | None,
    emails: tuple[str, ...],
) -> None:
    """Write the monthly report of one month: summary, what moved the index, charts, top and
    risk mentions, peers, members; as XLSX, PDF, HTML or CSV."""
    db = obj.db
    to = _recipients(emails)
    chosen = resolve_month(
        month, last_month=last_month, today=local_today(get_setting(db, "timezone"))
    )
    report = build_report(db, chosen, organisation_id=organisation_id, lang=lang)
    files = write_report(db, report, fmt, out)
    for path in files:
        click.echo(f"Report written: {path}")
    if not report.has_data:
        click.echo(f"No mentions of {report.organisation.name} in {chosen}; the report says so.")
    if to:
        send_report(obj, report, files, to)
        click.echo(f"Report sent to {', '.join(to)}.")
