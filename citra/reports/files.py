"""Writing a report in one format, for the command line (to a path) and the Reports page (as
bytes): the one place that maps a format name to its writer.

``xlsx``: the workbook; ``pdf``: the A4 document; ``html``: the same, print-ready; ``csv``: the
month's mentions plus the daily table beside them (``-daily.csv``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlite_utils import Database

from citra.errors import CitraError
from citra.exports import private_file
from citra.formatting import format_month
from citra.i18n import translate
from citra.reports.content import Report, build_report

FORMATS: tuple[str, ...] = ("xlsx", "pdf", "html", "csv")
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "csv-daily": "text/csv",
}


def footer(report: Report) -> str:
    """The line at the foot of every PDF page."""
    return translate(
        "Citra · {name} · monthly report {month}",
        report.lang,
        name=report.organisation.name,
        month=format_month(report.month, report.lang),
    )


def pdf_bytes(report: Report) -> bytes:
    from citra.reports.document import build_document
    from citra.reports.pdf import render_pdf

    return render_pdf(build_document(report), footer(report))


def html_text(report: Report) -> str:
    from citra.reports.document import build_document
    from citra.reports.html import render_html

    return render_html(build_document(report))


def report_html(
    db: Database, month: str, *, organisation_id: int | None = None, lang: str | None = None
) -> str:
    """The month's report as print-ready HTML (the Reports page's preview)."""
    return html_text(build_report(db, month, organisation_id=organisation_id, lang=lang))


def target(out: Path, report: Report, fmt: str) -> Path:
    """The file to write: ``out`` itself, or the default name inside ``out`` when it is a
    folder (``laporan-2026-11.pdf``), so that cron needs no date arithmetic."""
    if out.is_dir() or str(out).endswith(("/", "\\")):
        out.mkdir(parents=True, exist_ok=True)
        return out / f"{report.file_stem}.{fmt}"
    if not out.parent.exists():
        raise CitraError("The folder {folder} does not exist.", folder=str(out.parent))
    return out


def write_report(db: Database, report: Report, fmt: str, out: Path) -> list[Path]:
    """Write ``report`` in ``fmt`` to ``out`` (a file, or a folder for the default name);
    returns the files written."""
    if fmt not in FORMATS:
        raise CitraError(
            "Unknown report format '{format}'; choose one of {formats}.",
            format=fmt,
            formats=", ".join(FORMATS),
        )
    path = private_file(target(out, report, fmt))  # the report names people: 0600
    if fmt == "xlsx":
        from citra.reports.xlsx import write_xlsx

        return [write_xlsx(db, report, path)]
    if fmt == "csv":
        from citra.reports.csv import write_csv

        return write_csv(db, report, path)
    if fmt == "pdf":
        path.write_bytes(pdf_bytes(report))
    else:
        path.write_text(html_text(report), encoding="utf-8")
    return [path]


def report_bytes(
    db: Database,
    month: str,
    fmt: str,
    *,
    organisation_id: int | None = None,
    lang: str | None = None,
) -> bytes:
    """One file of the month's report as bytes (the Reports page's downloads): a format of
    :data:`FORMATS`, or ``csv-daily`` for the daily table alone."""
    report = build_report(db, month, organisation_id=organisation_id, lang=lang)
    if fmt == "pdf":
        return pdf_bytes(report)
    if fmt == "html":
        return html_text(report).encode("utf-8")
    if fmt == "csv":
        from citra.reports.csv import mentions_bytes

        return mentions_bytes(db, report)
    if fmt == "csv-daily":
        from citra.reports.csv import daily_bytes

        return daily_bytes(report)
    if fmt == "xlsx":
        from citra.reports.xlsx import write_xlsx

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{report.file_stem}.xlsx"
            write_xlsx(db, report, path)
            return path.read_bytes()
    raise CitraError(
        "Unknown report format '{format}'; choose one of {formats}.",
        format=fmt,
        formats=", ".join(FORMATS),
    )
