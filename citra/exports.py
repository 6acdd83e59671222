"""What every file Citra writes for a spreadsheet shares: formula-safe cells and safe links.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by spreadsheet programs (CSV or formula injection, OWASP): ``=HYPERLINK(...)`` becomes a
live link, ``+cmd|...`` asks to run a program. Every export goes through this module: the
report's CSV and XLSX writers, ``sentiment export-labels`` and the Settings corrections download,
and any later export (the audit log, member lists). Only strings are neutralised: a number stays a
number (``-5`` as an int or float is no formula; ``"-5"`` as text is quoted like any other).

- CSV cells (no cell types): :func:`neutralise` puts an apostrophe before such a text;
- XLSX cells: write such a text as a string with Excel's quote prefix (the report's ``quoted``
  format), which shows it as written and never evaluates it, even when the cell is edited;
  :func:`looks_like_formula` says when.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PRIVATE_MODE = 0o600  # the owner reads and writes; nobody else


def private_file(path: str | os.PathLike[str]) -> Path:
    """``path`` created empty with mode 0600 before anything is written to it (an existing file
    is set to 0600 and left as it is), so that a report, export or backup with names in it is
    never readable by other users of the machine, not even while it is being written."""
    path = Path(path)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_MODE)
    os.close(descriptor)
    path.chmod(PRIVATE_MODE)
    return path


def restrict(path: str | os.PathLike[str]) -> None:
    """Set an existing file Citra owns to mode 0600 (``OSError`` ignored: a file of another
    user stays as it is, and says so through its own mode)."""
    try:
        if Path(path).stat().st_mode & 0o077:
            Path(path).chmod(PRIVATE_MODE)
    except OSError:
        pass


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program would read the text ``text`` as a formula."""
    return text.startswith(FORMULA_START)


def neutralise(value: object) -> object:
    """``value`` fit for a CSV cell: a formula-looking *string* gets a leading apostrophe;
    numbers, dates, ``None`` and other strings come back unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The inverse of :func:`neutralise` for a file Citra reads back (a labels export given to
    ``sentiment train``): ``"'=x"`` gives ``"=x"``; any other text is unchanged."""
    if text.startswith("'") and looks_like_formula(text[1:]):
        return text[1:]
    return text


def csv_text(header: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """``rows`` as CSV text under ``header`` (keys missing from a row are empty cells, extra
    keys ignored), every cell through :func:`neutralise`. No rows: the header line alone."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(name) for name in header])
    for row in rows:
        writer.writerow([neutralise(row.get(name)) for name in header])
    return out.getvalue()


def safe_url(url: object) -> str | None:
    """``url`` when it is a web address (``http``/``https``, any case), else ``None``: a
    ``javascript:`` or ``data:`` link from an imported file never becomes a link in a report, an
    export or on a page."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() in ("http", "https") and rest and not rest.startswith("/"):
        if any(ch in url for ch in "\x00\r\n\t \"'<>\\`"):
            return None
        return f"{scheme.lower()}://{rest}"
    return None
