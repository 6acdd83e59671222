"""Text exports: sniffing encoding and delimiter, and streaming CSV rows with line numbers."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import IO

from citra.errors import Location
from collectors.common import FormatError

HEAD_BYTES = 64 * 1024
MAX_FIELD_BYTES = 16 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")


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


def iter_csv(stream: IO[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """CSV rows as ``(line number where the row starts, cells)``; blank rows are skipped.

    Raises :class:`FormatError` with the line number if the CSV is malformed.
    """
    csv.field_size_limit(MAX_FIELD_BYTES)
    reader = csv.reader(stream, delimiter=delimiter)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FormatError(
                "the CSV is malformed ({detail}).",
                location=Location(unit="line", number=reader.line_num),
                detail=str(exc),
            ) from exc
        line = start
        start = reader.line_num + 1
        if any(cell.strip() for cell in row):
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
