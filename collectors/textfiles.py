"""Text exports: sniffing encoding and delimiter, and streaming CSV rows with line numbers."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from typing import IO

from citra.errors import Location
from collectors.common import FormatError, Rejection, reject
from collectors.limits import MAX_CELLS, MAX_RECORD_CHARS, MAX_RECORD_LINES, SNIFF_BYTES

HEAD_BYTES = SNIFF_BYTES
MAX_FIELD_BYTES = 16 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
_DIGITS = re.compile(r"\d+")
_LETTERS = re.compile(r"[^\W\d_]+")


def detect_encoding(head: bytes) -> str:
    """The encoding of a text file from its first bytes: a BOM wins (UTF-8, UTF-16 LE/BE);
    UTF-16 without a BOM is recognised by its zero bytes; then UTF-8 if the bytes decode as
    UTF-8, else Windows-1252 (what Excel on Windows writes)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        half = len(sample) // 2
        if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
            return "utf-16-le"
        if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
            return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def decode_head(head: bytes) -> str:
    """The first bytes of a file as text, in its sniffed encoding (broken tail tolerated)."""
    encoding = detect_encoding(head)
    return head.decode(encoding, errors="replace").lstrip("\ufeff")


def looks_binary(head: bytes) -> bool:
    """Whether the bytes are not text at all (random bytes, an image, a database)."""
    if not head:
        return False
    text = decode_head(head)
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\r\n\f")
    replaced = text[:8192].count("\ufffd")
    sample = max(len(text[:8192]), 1)
    return (controls + replaced) / sample > 0.02


def looks_html(head: bytes) -> bool:
    """Whether the bytes are a web page (a login or error page saved under a .csv name)."""
    start = decode_head(head[:2048]).lstrip().lower()
    return start.startswith(("<!doctype html", "<html", "<head", "<?xml")) or (
        start.startswith("<") and "<body" in start
    )


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV from its first lines: the candidate that splits the header into
    the most columns and splits the next lines consistently. Defaults to a comma."""
    lines = [line for line in text.splitlines()[:6] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        except csv.Error:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        consistent = sum(1 for row in rows[1:-1] if len(row) == width)
        score = width * (1 + consistent)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def open_text(stream: IO[bytes], head: bytes) -> IO[str]:
    """A text stream over ``stream`` in the sniffed encoding. Undecodable bytes become U+FFFD
    rather than stopping a long import half-way; a BOM is dropped."""
    encoding = detect_encoding(head)
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")


class _Record:
    """What the CSV reader has taken from the stream for the record it is reading: the line it
    started on, its physical lines so far and their length."""

    def __init__(self) -> None:
        self.line = 0  # physical lines read so far
        self.start = 1  # the line the current record starts on
        self.chars = 0
        self.lines: list[str] = []
        self.at_end = False


# What the line feeder hands the csv module in place of a line too long to read: parsed alone,
# it makes a row of this one cell, which iter_csv turns into a rejection.
_TOO_LONG = "\ue000citra: row too long\ue000"
_DRAIN_CHARS = 1024 * 1024  # the pieces the rest of a line too long is read and dropped in


UNCLOSED_QUOTE = (
    "A quoted cell opens here and is never closed (an unterminated quote). The file was not "
    "imported, so that no row is lost; close the quote and import it again."
)
SWALLOWED_ROWS = (
    "A quoted cell opens here and swallows lines that look like rows of their own (an "
    "unterminated quote?). The file was not imported, so that no row is lost; close the quote "
    "and import it again."
)
TOO_MANY_LINES = (
    "A quoted cell opens here and runs on for more than {limit} lines (an unterminated "
    "quote?). The file was not imported, so that no row is lost; close the quote and import it "
    "again."
)
TOO_MANY_CHARS = (
    "A quoted cell opens here and runs on past {limit} characters (an unterminated quote?). "
    "The file was not imported, so that no row is lost; close the quote and import it again."
)


def _runaway(file: str | None, record: _Record, template: str, **values: object) -> FormatError:
    """The refusal of a file whose quoted cell, starting at ``record.start``, runs on."""
    return FormatError(
        template, location=Location(file=file, unit="line", number=record.start), **values
    )


def _physical_lines(stream: IO[str], record: _Record, file: str | None) -> Iterator[str]:
    """The lines of ``stream`` for ``csv.reader``, each read with a size limit.

    A single line over :data:`MAX_RECORD_CHARS` becomes a :data:`_TOO_LONG` marker row (its
    row is rejected, the rest of the file is read on); a quoted cell that runs on over
    :data:`MAX_RECORD_LINES` lines or :data:`MAX_RECORD_CHARS` characters is an unterminated
    quote, and the file is refused.
    """
    readline = stream.readline
    while True:
        line = readline(MAX_RECORD_CHARS + 1)  # read_line(stream, MAX_RECORD_CHARS), inlined
        size = len(line)
        if size > MAX_RECORD_CHARS:  # too long: the rest of it is read and dropped
            while line and not line.endswith(("\n", "\r")):
                line = readline(_DRAIN_CHARS)
        elif not line:
            record.at_end = True
            return
        record.line += 1
        record.chars += size
        if record.chars > MAX_RECORD_CHARS:
            if record.line != record.start:
                raise _runaway(file, record, TOO_MANY_CHARS, limit=f"{MAX_RECORD_CHARS:,}")
            yield _TOO_LONG + "\n"
            continue
        if record.line - record.start >= MAX_RECORD_LINES:
            raise _runaway(file, record, TOO_MANY_LINES, limit=f"{MAX_RECORD_LINES:,}")
        record.lines.append(line)
        yield line


def _shape(cell: str) -> str:
    """``"2024-03-01 10:00"`` -> ``"9-9-9 9:9"``: what a column's values look like."""
    return _DIGITS.sub("9", _LETTERS.sub("a", cell.strip()[:40]))


def _check_quoted_span(
    record: _Record, row: list[str], width: int | None, delimiter: str, file: str | None
) -> None:
    """Refuse a record whose quoted cell spans lines suspiciously: it reached the end of the
    file with a quote still open, or its cell holds lines that look like rows of their own
    (as many cells as the header, the first shaped like this row's first)."""
    text = "".join(record.lines)
    if record.at_end and text.count('"') % 2:
        raise _runaway(file, record, UNCLOSED_QUOTE)
    shape = _shape(row[0]) if row else ""
    if width is None or not any(ch == "9" for ch in shape):
        return
    lookalikes = 0
    for line in record.lines[1:]:
        cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
        if len(cells) == width and _shape(cells[0]) == shape:
            lookalikes += 1
            if lookalikes >= 2:
                raise _runaway(file, record, SWALLOWED_ROWS)


def iter_csv(
    stream: IO[str], delimiter: str, file: str | None = None
) -> Iterator[tuple[int, list[str] | Rejection]]:
    """CSV rows as ``(line number where the row starts, cells)``; blank rows are skipped.

    A row too large to keep (longer than :data:`MAX_RECORD_CHARS` characters, or more than
    :data:`MAX_CELLS` cells) comes as ``(line, Rejection)``; the rows after it are read on.
    Raises :class:`FormatError` with the line number (and ``file`` when given) if the CSV is
    malformed or a quoted cell runs on (an unterminated quote would otherwise swallow the rest
    of the file into one cell).
    """
    csv.field_size_limit(MAX_FIELD_BYTES)
    record = _Record()
    reader = csv.reader(_physical_lines(stream, record, file), delimiter=delimiter)
    width: int | None = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FormatError(
                "the CSV is malformed ({detail}).",
                location=Location(unit="line", number=record.line),
                detail=str(exc),
            ) from exc
        line = record.start
        lines = record.lines
        if len(lines) > 1:
            _check_quoted_span(record, row, width, delimiter, file)
        # The next record starts after this one (the line feeder reads these as it goes).
        record.start = record.line + 1
        record.chars = 0
        lines.clear()
        cells = len(row)
        if cells == 1 and row[0] == _TOO_LONG:
            too_long = f"over {MAX_RECORD_CHARS:,} characters"
            yield line, reject(Location(unit="line", number=line), "row too large", too_long)
            continue
        if cells > MAX_CELLS:
            yield (
                line,
                reject(Location(unit="line", number=line), "row too large", f"{cells:,} cells"),
            )
            continue
        if "".join(row).strip():  # some cell holds more than blanks
            if width is None:
                width = cells
            yield line, row


def refuse_empty_or_html(head: bytes, file_name: str) -> None:
    """Raise :class:`FormatError` with a plain reason when a file's first bytes show it is
    empty or a web page saved under an export's name."""
    if not head.strip():
        raise FormatError("{file} is empty.", file=file_name)
    if looks_html(head):
        raise FormatError(
            "{file} is a web page (HTML), not an export; download the export again.",
            file=file_name,
        )
