"""Rows of a CSV or XLSX export, the same way for both: header, then ``(where, cells)``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from citra.errors import Location
from collectors.base import Source
from collectors.common import FormatError, Rejection
from collectors.safezip import WORKBOOK_MAX_MEMBERS, check_archive, check_workbook, open_archive
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
    ``where`` a :class:`Location` at ``line 17`` (CSV, the physical line) or ``row 17`` (XLSX).
    A row too large to keep comes with a :class:`Rejection` in place of its cells: readers pass
    it on. ``numbered`` yields the same rows as ``(number, cells)``, the place as a number in
    :attr:`unit` (what an import sends its worker processes: no object per row); a table is
    read once, through one or the other."""

    headers: list[str]
    numbered: Iterator[tuple[int, list[Any] | Rejection]]
    kind: str

    @property
    def unit(self) -> str:
        """What the numbers count: ``line`` (CSV) or ``row`` (XLSX)."""
        return "line" if self.kind == "csv" else "row"

    @property
    def rows(self) -> Iterator[tuple[Location, list[Any] | Rejection]]:
        unit = self.unit
        return ((Location(unit=unit, number=n), cells) for n, cells in self.numbered)


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
        rows = iter_csv(stream, delimiter, source.name)
        first = next(rows, None)
        if first is None:
            raise FormatError("{file} holds no posts or comments.", file=source.name)
        if isinstance(first[1], Rejection):
            raise FormatError(
                "The header row cannot be read ({reason}).",
                location=Location(file=source.name, unit="line", number=first[0]),
                reason=first[1].reason,
            )
        headers = [cell.strip().lstrip("\ufeff") for cell in first[1]]
        yield Table(headers=headers, numbered=rows, kind="csv")
    finally:
        stream.close()


def _unreadable(name: str, exc: BaseException) -> FormatError:
    return FormatError(
        "{file} is not a readable Excel workbook ({detail}).", file=name, detail=str(exc)
    )


@contextmanager
def xlsx_rows(source: Source, *, data_only: bool = False) -> Iterator[Iterator[tuple[int, tuple]]]:
    """The rows of an XLSX workbook's first sheet as ``(row number, values)``, streamed.

    The workbook passes the archive guard first (:func:`collectors.safezip.check_workbook`:
    sizes, shared strings, no DTD). The sheet's ``<dimension>`` is not trusted (openpyxl's
    read-only mode would stop at the rows and columns it declares). ``data_only`` gives the
    cached values of formulas instead of their text. Raises :class:`FormatError` for anything
    that is not a readable workbook, also when the damage shows only half-way.
    """
    import openpyxl  # imported here: only XLSX imports pay for it

    stream = source.open_seekable()
    try:
        archive = open_archive(stream, source.name, WORKBOOK_MAX_MEMBERS)
        with archive:
            check_archive(archive, source.name)
            check_workbook(archive, source.name)
        stream.seek(0)
        try:
            # data_only=False keeps formulas as their text (inert).
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=data_only)
        except Exception as exc:  # noqa: BLE001 - openpyxl on a hostile file raises anything
            raise _unreadable(source.name, exc) from exc
        try:
            if not workbook.worksheets:
                raise FormatError("{file}: no header row in the first sheet.", file=source.name)
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()

            def rows() -> Iterator[tuple[int, tuple]]:
                try:
                    yield from enumerate(sheet.iter_rows(values_only=True), 1)
                except Exception as exc:  # noqa: BLE001 - a missing shared string, a bad date...
                    raise _unreadable(source.name, exc) from exc

            yield rows()
        finally:
            workbook.close()
    finally:
        stream.close()


@contextmanager
def _open_xlsx(source: Source) -> Iterator[Table]:
    with xlsx_rows(source) as rows:
        headers: list[str] | None = None
        number = 0
        for number, cells in rows:
            filled = [c for c in cells if c not in (None, "")]
            if len(filled) >= 2:
                headers = ["" if c is None else str(c).strip() for c in cells]
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if headers is None:
            raise FormatError("{file}: no header row in the first sheet.", file=source.name)

        def body() -> Iterator[tuple[int, list[Any] | Rejection]]:
            for offset, cells in rows:
                if any(c not in (None, "") for c in cells):
                    yield offset, list(cells)

        yield Table(headers=headers, numbered=body(), kind="xlsx")
