"""Rows of a CSV or XLSX export, the same way for both: header, then ``(where, cells)``."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from citra.errors import Location
from collectors.base import Source
from collectors.common import FormatError
from collectors.safezip import check_archive
from collectors.textfiles import (
    decode_head,
    iter_csv,
    looks_binary,
    open_text,
    refuse_empty_or_html,
    sniff_delimiter,
)

XLSX_MAGIC = b"PK\x03\x04"
HEADER_SEARCH_ROWS = 20


@dataclass
class Table:
    """A table export: ``headers`` as written, and ``rows`` yielding ``(where, cells)`` with
    ``where`` a :class:`Location` at ``line 17`` (CSV, the physical line) or ``row 17`` (XLSX)."""

    headers: list[str]
    rows: Iterator[tuple[Location, list[Any]]]
    kind: str


def is_xlsx(source: Source) -> bool:
    """Whether the source is an Excel workbook (a zip holding ``xl/``)."""
    head = source.read_head()
    return head.startswith(XLSX_MAGIC) and (b"xl/" in head or source.suffix in (".xlsx", ".xlsm"))


def check_text_table(source: Source) -> None:
    """Refuse, with a plain reason, what cannot be a CSV: empty, binary, or a web page."""
    head = source.read_head()
    refuse_empty_or_html(head, source.name)
    if looks_binary(head):
        raise FormatError(
            "{file} is not an export Citra knows (it looks like random bytes).", file=source.name
        )


def peek_headers(source: Source) -> list[str] | None:
    """The header row of a CSV or XLSX source, cheaply (memoised); ``None`` if not a table."""

    def compute() -> list[str] | None:
        try:
            with open_table(source) as table:
                return table.headers
        except FormatError:
            return None

    return source.cached("headers", compute)


@contextmanager
def open_table(source: Source) -> Iterator[Table]:
    """Open a CSV (any delimiter, sniffed encoding) or XLSX (first sheet, streamed) as a
    :class:`Table`. Raises :class:`FormatError` for empty, binary, HTML or header-less input."""
    if is_xlsx(source):
        with _open_xlsx(source) as table:
            yield table
        return
    check_text_table(source)
    delimiter = sniff_delimiter(decode_head(source.read_head()))
    stream = open_text(source.open(), source.read_head())
    try:
        rows = iter_csv(stream, delimiter)
        first = next(rows, None)
        if first is None:
            raise FormatError("{file} holds no posts or comments.", file=source.name)
        headers = [cell.strip().lstrip("\ufeff") for cell in first[1]]
        yield Table(
            headers=headers,
            rows=((Location(unit="line", number=n), row) for n, row in rows),
            kind="csv",
        )
    finally:
        stream.close()


@contextmanager
def _open_xlsx(source: Source) -> Iterator[Table]:
    import openpyxl  # imported here: only XLSX imports pay for it

    stream = source.open_seekable()
    try:
        try:
            with zipfile.ZipFile(stream) as archive:
                check_archive(archive, source.name)
            stream.seek(0)
            # read_only streams rows; data_only=False keeps formulas as their text (inert).
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=False)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise FormatError(
                "{file} is not a readable Excel workbook ({detail}).",
                file=source.name,
                detail=str(exc),
            ) from exc
        try:
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            headers: list[str] | None = None
            number = 0
            for number, cells in enumerate(rows, 1):
                filled = [c for c in cells if c not in (None, "")]
                if len(filled) >= 2:
                    headers = ["" if c is None else str(c).strip() for c in cells]
                    break
                if number >= HEADER_SEARCH_ROWS:
                    break
            if headers is None:
                raise FormatError("{file}: no header row in the first sheet.", file=source.name)
            start = number

            def body() -> Iterator[tuple[Location, list[Any]]]:
                for offset, cells in enumerate(rows, start + 1):
                    if any(c not in (None, "") for c in cells):
                        yield Location(unit="row", number=offset), list(cells)

            yield Table(headers=headers, rows=body(), kind="xlsx")
        finally:
            workbook.close()
    finally:
        stream.close()
