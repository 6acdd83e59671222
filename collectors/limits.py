"""The one size policy for what comes in from outside: per line, per record, per field.

Memory and time stay bounded on any input because nothing is read whole and nothing is kept
uncapped:

- archives (zip exports, XLSX workbooks) go through one guard, :mod:`collectors.safezip`;
- streams are read through bounded readers: a text line is read with a size limit
  (:func:`bounded_lines`, and the CSV reader in :mod:`collectors.textfiles`), a JSON string is
  cut while it streams (:func:`cap_json_strings`), a format is identified from
  :data:`SNIFF_BYTES` at most;
- records are cut to the caps below before they are stored (:func:`cap_record`); a cut text is
  reported, never silent.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Mapping
from itertools import accumulate
from typing import IO, Any

from citra.errors import CitraError, Location
from collectors.common import FormatError

SNIFF_BYTES = 64 * 1024  # how much of a file is read to identify its format
MAX_LINE_CHARS = 1024 * 1024  # one physical line of a text export (CSV, WhatsApp chat)
MAX_RECORD_CHARS = 1024 * 1024  # one CSV record, all its physical lines together
MAX_RECORD_LINES = 1000  # physical lines one quoted CSV cell may span
MAX_CELLS = 2000  # cells in one table row
MAX_JSON_STRING_BYTES = 1024 * 1024  # one JSON string, as it streams
MAX_JSON_DEPTH = 100  # nesting levels (exports nest about ten)
# Stored mention fields, in characters. Longer values are cut (and the cut is reported).
FIELD_CAPS: dict[str, int] = {
    "text": 65_536,
    "title": 2_000,
    "author": 500,
    "author_handle": 500,
    "source": 500,
    "lang": 35,
}
MAX_URL_CHARS = 8_192  # a longer link is no link: the record is rejected
MAX_RAW_CHARS = 65_536  # the JSON kept of the input record (``raw``)
RAW_STRING_CHARS = 1_000  # strings inside an oversized ``raw`` are cut to this
RAW_ITEMS = 200  # and its lists and objects to this many items

_CHUNK = 1024 * 1024
_HIGH_SURROGATE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}")


# --- lines ------------------------------------------------------------------------------------


class LineTooLong(CitraError):
    """A physical line longer than :data:`MAX_LINE_CHARS`: no export Citra reads has one."""


def read_line(stream: IO[str], limit: int = MAX_LINE_CHARS) -> tuple[str, bool]:
    """The next physical line of ``stream`` (``""`` at the end) and whether it was too long.

    A line over ``limit`` characters comes back cut to ``limit``; the rest of it is read and
    dropped in bounded pieces, so a file without a single line break never sits in memory.
    """
    line = stream.readline(limit + 1)
    if len(line) <= limit:
        return line, False
    while line and not line.endswith(("\n", "\r")):
        line = stream.readline(_CHUNK)
    return "", True


def bounded_lines(stream: IO[str], file: str, limit: int = MAX_LINE_CHARS) -> Iterator[str]:
    """The lines of ``stream``, each at most ``limit`` characters.

    Raises :class:`LineTooLong` (with the file and line) at the first longer line: a chat line
    of a megabyte is not a chat line, and reading it whole is how a hostile file takes the memory.
    """
    number = 0
    while True:
        line, too_long = read_line(stream, limit)
        number += 1
        if too_long:
            raise LineTooLong(
                "This line is longer than {limit} characters; the file is not an export Citra "
                "can read.",
                location=Location(file=file, unit="line", number=number),
                limit=f"{limit:,}",
            )
        if not line:
            return
        yield line


# --- JSON strings -----------------------------------------------------------------------------


def _mask_escapes(data: bytes) -> bytes:
    """``data`` with every escape pair (``\\\\``, ``\\"``) hidden, the length unchanged: a quote
    left in it is a real one, where a JSON string starts or ends."""
    return data.replace(b"\\\\", b"__").replace(b'\\"', b"__")


def _odd_backslashes(segment: bytes) -> bool:
    """Whether ``segment`` ends in an odd run of backslashes (its last escape is still open)."""
    return bool((len(segment) - len(segment.rstrip(b"\\"))) % 2)


def _safe_cut(run: bytes, limit: int) -> int:
    """Where to cut a string's bytes near ``limit`` without splitting a UTF-8 character or a
    JSON escape (``\\n``, ``\\u00e9``, ``\\\\``)."""
    cut = limit
    while cut > 0 and 0x80 <= run[cut] < 0xC0:  # a continuation byte: back to its lead byte
        cut -= 1
    escape = run.find(b"\\", max(0, cut - 6), cut)
    if escape >= 0:
        cut = escape
        while cut > 0 and run[cut - 1] == 0x5C:
            cut -= 1
    if cut >= 6 and _HIGH_SURROGATE.fullmatch(run, cut - 6, cut):
        cut -= 6  # the first half of a surrogate pair (``\\ud83d\\ude00``) goes with its second
    return cut


class JsonTooDeep(FormatError):
    """JSON nested deeper than :data:`MAX_JSON_DEPTH`: parsers pay for depth with memory."""


_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = tuple(1 if b in b"[{" else -1 if b in b"]}" else 0 for b in range(256))


def _deeper(nonstring: bytes, depth: int, limit: int, file: str) -> int:
    """The nesting depth after ``nonstring`` (JSON outside strings) starting at ``depth``;
    raises :class:`JsonTooDeep` if it goes past ``limit`` on the way."""
    brackets = nonstring.translate(None, _NOT_BRACKETS)
    if not brackets:
        return depth
    opening = brackets.count(b"[") + brackets.count(b"{")
    if (
        depth + opening > limit
        and max(accumulate(map(_STEP.__getitem__, brackets), initial=depth)) > limit
    ):
        raise JsonTooDeep(
            "{file}: the JSON is nested more than {limit} levels deep, which no export is; "
            "refused.",
            file=file,
            limit=limit,
        )
    return depth + 2 * opening - len(brackets)


def _guarded_json(
    chunks: Iterator[bytes], limit: int, max_depth: int, file: str
) -> Iterator[bytes]:
    """``chunks`` of JSON with every string longer than ``limit`` bytes cut to about ``limit``
    (the JSON stays valid), refusing JSON nested deeper than ``max_depth``
    (:class:`JsonTooDeep`) and runs outside strings longer than ``limit`` (a number or
    brackets that long: :class:`FormatError`). Escaped quotes are told from real ones by
    masking escape pairs; only C-level byte operations touch every byte."""
    pending = b""  # the open string's bytes read so far, not passed on yet
    in_string = False  # whether the next byte (after pending) is inside a string
    outside = 0  # length of the run outside strings that the last chunk ended in
    depth = 0
    dropping = False  # a string went past the limit: dropped up to its closing quote
    escaped = False  # while dropping: the dropped bytes end inside an escape (a lone backslash)
    for chunk in chunks:
        if dropping:
            start = 1 if escaped and chunk else 0  # the byte the open escape takes
            quote = _mask_escapes(chunk[start:]).find(b'"')
            if quote < 0:
                escaped = _odd_backslashes(chunk[start:]) if len(chunk) > start else escaped
                if start and len(chunk) == 1:
                    escaped = False
                continue
            chunk = chunk[start + quote :]
            dropping = escaped = False
        data = pending + chunk if pending else chunk
        runs = _mask_escapes(data).split(b'"')
        first_outside = 1 if in_string else 0
        outside_runs = runs[first_outside::2]
        depth = _deeper(b"".join(outside_runs), depth, max_depth, file)
        lengths = [len(run) for run in outside_runs]
        if not in_string:
            lengths[0] += outside
        if max(lengths, default=0) > limit:
            raise FormatError(
                "{file}: the JSON holds a value of more than {limit} bytes that is no text "
                "(a number or brackets that long); refused.",
                file=file,
                limit=f"{limit:,}",
            )
        closed = runs[:-1]
        if closed and max(map(len, closed)) > limit:
            out: list[bytes] = []
            position = 0
            for run in closed:
                piece = data[position : position + len(run)]
                out.append(piece[: _safe_cut(piece, limit)] if len(run) > limit else piece)
                out.append(b'"')
                position += len(run) + 1
            yield b"".join(out)
        elif closed:
            yield data[: len(data) - len(runs[-1])]
        ends_in_string = in_string ^ bool(len(closed) % 2)
        tail = data[len(data) - len(runs[-1]) :]
        if not ends_in_string:
            outside = (outside if not closed and not in_string else 0) + len(tail)
            if tail:
                yield tail  # nothing outside a string needs holding back
            pending = b""
        elif len(tail) > limit:
            cut = _safe_cut(tail, limit)
            yield tail[:cut]
            escaped = _odd_backslashes(tail[cut:])
            dropping, pending = True, b""
        else:
            pending = tail
        in_string = ends_in_string
    if pending:
        yield pending


class _GeneratedStream(io.RawIOBase):
    def __init__(self, pieces: Iterator[bytes]):
        self._pieces = pieces
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._buffer:
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._buffer = piece
        size = min(len(buffer), len(self._buffer))
        buffer[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def cap_json_strings(
    stream: IO[bytes],
    limit: int = MAX_JSON_STRING_BYTES,
    file: str = "JSON",
    max_depth: int | None = None,
) -> IO[bytes]:
    """A stream over the JSON in ``stream`` in which no string is longer than about ``limit``
    bytes (a 300 MB text is cut as it streams, before any parser builds it in memory) and
    nothing nests deeper than ``max_depth`` (default :data:`MAX_JSON_DEPTH`; a parser's memory
    grows with depth). Reading raises :class:`FormatError` naming ``file`` when it refuses."""
    chunks = iter(lambda: stream.read(_CHUNK), b"")
    depth = MAX_JSON_DEPTH if max_depth is None else max_depth
    return io.BufferedReader(_GeneratedStream(_guarded_json(chunks, limit, depth, file)), _CHUNK)


# --- records ----------------------------------------------------------------------------------


def _shrink(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return value if len(value) <= RAW_STRING_CHARS else value[:RAW_STRING_CHARS] + "…"
    if depth > 20:
        return "…"
    if isinstance(value, dict):
        items = list(value.items())[:RAW_ITEMS]
        shrunk = {str(k)[:RAW_STRING_CHARS]: _shrink(v, depth + 1) for k, v in items}
        if len(value) > RAW_ITEMS:
            shrunk["…"] = f"{len(value) - RAW_ITEMS:,} more fields not kept"
        return shrunk
    if isinstance(value, list | tuple):
        shrunk_list = [_shrink(v, depth + 1) for v in value[:RAW_ITEMS]]
        if len(value) > RAW_ITEMS:
            shrunk_list.append(f"{len(value) - RAW_ITEMS:,} more items not kept")
        return shrunk_list
    return value


def cap_raw(raw: Any) -> str | None:
    """``raw`` as the JSON text to store, at most :data:`MAX_RAW_CHARS` characters: an
    oversized one keeps its first items and the start of each string."""
    if raw is None:
        return None
    text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, default=str)
    if len(text) <= MAX_RAW_CHARS:
        return text
    value = raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except ValueError:
            return raw[:MAX_RAW_CHARS]
    text = json.dumps(_shrink(value), ensure_ascii=False, default=str)
    if len(text) <= MAX_RAW_CHARS:
        return text
    return json.dumps({"…": "the input record was too large to keep"})


def cap_record(record: dict[str, Any]) -> list[str]:
    """Cut ``record``'s text fields to :data:`FIELD_CAPS` and its ``raw`` to
    :data:`MAX_RAW_CHARS`, in place; returns the names of the fields that were cut (``raw``
    is not counted: it is a copy of the input, not something a person reads)."""
    cut = []
    get = record.get
    for field, limit in FIELD_CAPS.items():
        value = get(field)
        if isinstance(value, str) and len(value) > limit:
            record[field] = value[:limit]
            cut.append(field)
    if "raw" in record and not _surely_small(record["raw"]):
        record["raw"] = cap_raw(record["raw"])
    return cut


def _surely_small(raw: Any) -> bool:
    """Whether ``raw`` is a flat mapping whose JSON cannot exceed :data:`MAX_RAW_CHARS` (each
    character escapes to at most six). Such a mapping stays a mapping: the store keeps it as
    compact JSON without the fields it stores in columns (``citra.store.mentions.compact_raw``)."""
    if not isinstance(raw, Mapping):
        return False
    try:  # a table row's cells: text keys and values, measured in C
        text = len("".join(raw)) + len("".join(raw.values()))
    except TypeError:  # a key or value that is not text
        pass
    else:
        return 2 + 6 * text + 8 * len(raw) <= MAX_RAW_CHARS
    size = 2
    for key, value in raw.items():
        if not isinstance(key, str) or not (value is None or isinstance(value, str | int | float)):
            return False
        size += 6 * (len(key) + len(str(value))) + 8
    return size <= MAX_RAW_CHARS
