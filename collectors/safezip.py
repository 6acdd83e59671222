"""Reading zip archives without trusting them: no zip slip, no zip bomb. The one archive guard:
every reader of a zip (export archives, WhatsApp chat zips, XLSX workbooks) goes through it.

Members are never extracted to disk; they are streamed from the archive. An archive is refused
as a whole when a member name is absolute or climbs out with ``..`` (zip slip), when the declared
uncompressed total is above :data:`MAX_TOTAL_BYTES`, or when a large member compresses better
than :data:`MAX_RATIO` to 1 (zip bomb). Because a header can lie, every member is also read
through a counter that stops at its declared size and at the total cap; a member whose bytes are
damaged (a cut or corrupt archive) is reported as a damaged zip.

An XLSX workbook is a zip whose parts openpyxl reads whole (shared strings, styles), so
:func:`check_workbook` adds tighter limits per part, counts the shared strings before openpyxl
builds them, and refuses any part with a DTD (billion laughs, XXE: Excel never writes one).
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from typing import IO

from collectors.common import FormatError

MAX_TOTAL_BYTES = 2 * 1024**3  # 2 GiB uncompressed in all
MAX_RATIO = 200  # uncompressed : compressed, for members above RATIO_FLOOR
RATIO_FLOOR = 1024**2  # small members may compress very well (a run of spaces); ignore them
MAX_MEMBERS = 50_000
MAX_DIRECTORY_BYTES = 16 * 1024**2  # the central directory, which zipfile reads whole


# An XLSX workbook: openpyxl streams the worksheet but holds every shared string in memory
# (about 110 bytes each besides the text) and reads the other parts whole.
WORKBOOK_MAX_TOTAL_BYTES = 512 * 1024**2
WORKBOOK_MAX_SHEET_BYTES = 256 * 1024**2  # about 30 s of openpyxl parsing
WORKBOOK_MAX_SHARED_STRINGS_BYTES = 96 * 1024**2
WORKBOOK_MAX_SHARED_STRINGS = 1_000_000
WORKBOOK_MAX_PART_BYTES = 16 * 1024**2  # styles, workbook, theme, relationships ...
WORKBOOK_MAX_DEPTH = 1_000  # element nesting (a sheet nests about five)
WORKBOOK_MAX_CELL_BYTES = 1024**2  # Excel's cells hold 32,767 characters: 128 KB, escaped 640 KB
WORKBOOK_MAX_MEMBERS = 10_000
PROLOG_BYTES = 64 * 1024  # where an XML part's DTD would be
_SHARED_STRING = re.compile(rb"</(?:\w+:)?si>|<(?:\w+:)?si\s*/>")
_ROOT_START = re.compile(rb"<[A-Za-z_]")


class UnsafeArchive(FormatError):
    """A zip archive refused for safety (zip slip or zip bomb); the message says which member."""


class DamagedArchive(FormatError):
    """A zip archive whose bytes are cut short or corrupt."""


def damaged(label: str, exc: BaseException) -> DamagedArchive:
    """The plain refusal of a zip that cannot be read (truncated, corrupt member)."""
    return DamagedArchive(
        "{file} is a damaged zip archive ({detail}).", file=label, detail=str(exc) or "cut short"
    )


def _directory_size(handle: IO[bytes]) -> tuple[int, int] | None:
    """``(members, bytes)`` of a zip's central directory as its end record declares them (the
    zip64 record when there is one); ``None`` when there is no end record (not a zip, or cut)."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    tail_size = min(size, 65_535 + 22)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    members, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
    if (members == 0xFFFF or directory == 0xFFFFFFFF) and tail[at - 20 : at - 16] == b"PK\x06\x07":
        handle.seek(struct.unpack("<Q", tail[at - 12 : at - 4])[0])
        record = handle.read(56)
        if record[:4] == b"PK\x06\x06":
            members, directory = struct.unpack("<QQ", record[32:48])
    return members, directory


def _check_directory(handle: IO[bytes], label: str, max_members: int) -> None:
    """Refuse, before zipfile builds an object per member, an archive whose central directory
    declares too many members or is too large (1,000,000 empty members take 500 MB to list)."""
    found = _directory_size(handle)
    handle.seek(0)
    if found is None:
        return  # zipfile says what is wrong with it
    members, directory = found
    if members > max_members:
        raise UnsafeArchive(
            "{file} holds {count} files; more than {limit}.",
            file=label,
            count=f"{members:,}",
            limit=f"{max_members:,}",
        )
    if directory > MAX_DIRECTORY_BYTES:
        raise UnsafeArchive(
            "{file}: its list of contents takes {size} MB (more than {limit} MB); refused.",
            file=label,
            size=f"{directory / 1024**2:,.0f}",
            limit=f"{MAX_DIRECTORY_BYTES / 1024**2:,.0f}",
        )


def open_archive(
    source: IO[bytes] | str | os.PathLike[str], label: str, max_members: int | None = None
) -> zipfile.ZipFile:
    """``zipfile.ZipFile(source)`` (a path or a seekable stream) after checking its declared
    size (:func:`_check_directory`; at most ``max_members``, default :data:`MAX_MEMBERS`); a
    damaged archive is refused plainly (:class:`DamagedArchive`)."""
    max_members = MAX_MEMBERS if max_members is None else max_members
    try:
        if isinstance(source, str | os.PathLike):
            with open(source, "rb") as handle:
                _check_directory(handle, label, max_members)
        else:
            _check_directory(source, label, max_members)
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, struct.error) as exc:
        raise damaged(label, exc) from exc


def is_unsafe_name(name: str) -> bool:
    """Whether a member name is absolute (``/etc/x``, ``C:\\x``, ``\\\\host``) or climbs with ``..``."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in re.split(r"[\\/]", name))


def check_archive(archive: zipfile.ZipFile, label: str) -> list[zipfile.ZipInfo]:
    """The archive's file members, after refusing unsafe names and bomb-like sizes.

    Raises :class:`UnsafeArchive` naming the member and the rule it breaks.
    """
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeArchive(
            "{file} holds {count} files; more than {limit}.",
            file=label,
            count=f"{len(infos):,}",
            limit=f"{MAX_MEMBERS:,}",
        )
    total = 0
    for info in infos:
        if is_unsafe_name(info.filename):
            raise UnsafeArchive(
                "{file}: member '{member}' would be written outside the archive folder "
                "(zip slip); the archive was refused.",
                file=label,
                member=info.filename,
            )
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeArchive(
                "{file}: member '{member}' expands {ratio} times (more than {limit}); looks "
                "like a zip bomb, refused.",
                file=label,
                member=info.filename,
                ratio=f"{info.file_size // max(info.compress_size, 1):,}",
                limit=MAX_RATIO,
            )
    if total > MAX_TOTAL_BYTES:
        raise UnsafeArchive(
            "{file} would expand to {size} GiB (more than {limit} GiB); looks like a zip bomb, "
            "refused.",
            file=label,
            size=f"{total / 1024**3:.1f}",
            limit=f"{MAX_TOTAL_BYTES / 1024**3:.0f}",
        )
    return [info for info in infos if not info.is_dir()]


class CappedReader(io.RawIOBase):
    """A read-only stream that fails once more than ``limit`` bytes come out of ``inner``."""

    def __init__(self, inner: IO[bytes], limit: int, label: str):
        self._inner = inner
        self._left = limit
        self._label = label

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise damaged(self._label, exc) from exc
        self._left -= len(data)
        if self._left < 0:
            raise UnsafeArchive(
                "{file} is larger than its archive header says; looks like a zip bomb, refused.",
                file=self._label,
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> IO[bytes]:
    """A buffered binary stream over one member, capped at its declared size; a damaged member
    raises :class:`DamagedArchive` as it is read."""
    try:
        inner = archive.open(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise damaged(label, exc) from exc
    raw = CappedReader(inner, info.file_size, label)
    return io.BufferedReader(raw, buffer_size=256 * 1024)


def _too_big(label: str, member: str, size: int, limit: int) -> UnsafeArchive:
    return UnsafeArchive(
        "{file}: part '{member}' would expand to {size} MB (more than {limit} MB); refused.",
        file=label,
        member=member,
        size=f"{size / 1024**2:,.0f}",
        limit=f"{limit / 1024**2:,.0f}",
    )


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> None:
    """Refuse an XML part that declares a DTD (entities: billion laughs, XXE)."""
    with open_member(archive, info, label) as stream:
        head = stream.read(PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    root = _ROOT_START.search(head)
    prolog = head[: root.start()] if root else head
    if (
        b"<!doctype" in prolog.lower()
        or b"<!entity" in head.lower()
        or (root is None and len(head) >= PROLOG_BYTES)
    ):
        raise UnsafeArchive(
            "{file}: part '{member}' declares a document type (DTD), which Excel never writes "
            "(it can hide an entity bomb or read files on this computer); refused.",
            file=label,
            member=info.filename,
        )


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> tuple[int, int]:
    """One streamed pass over an XML part: its longest run of bytes between two ``<`` (a cell's
    text, as openpyxl would build it whole) and its number of shared strings (``<si>``).
    Refuses a part nested deeper than :data:`WORKBOOK_MAX_DEPTH` (the parser keeps every open
    element), counting at each megabyte: in between, depth costs at most a few dozen MB."""
    count = longest = run = depth = 0
    tail = b""
    last = b""
    with open_member(archive, info, label) as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            pieces = chunk.split(b"<")
            if len(pieces) == 1:
                run += len(chunk)
            else:
                longest = max(longest, run + len(pieces[0]), *map(len, pieces[1:-1]))
                run = len(pieces[-1])
            longest = max(longest, run)
            ends = chunk.count(b"</")
            depth += len(pieces) - 1 - ends - chunk.count(b"<?") - chunk.count(b"<!")
            depth -= ends + chunk.count(b"/>")
            if last == b"<":  # a tag split across two chunks was counted as a start tag
                depth -= {b"/": 2, b"?": 1, b"!": 1}.get(chunk[:1], 0)
            elif last == b"/" and chunk[:1] == b">":
                depth -= 1
            last = chunk[-1:]
            if depth > WORKBOOK_MAX_DEPTH:
                raise UnsafeArchive(
                    "{file}: part '{member}' nests elements more than {limit} levels deep; "
                    "refused.",
                    file=label,
                    member=info.filename,
                    limit=f"{WORKBOOK_MAX_DEPTH:,}",
                )
            data = tail + chunk
            # Count only tags ending before the last 16 bytes; those are counted with the next
            # chunk, so a tag split across two chunks is counted once.
            keep = max(len(data) - 16, 0)
            count += sum(1 for m in _SHARED_STRING.finditer(data) if m.end() <= keep)
            tail = data[keep:]
    return longest, count + len(_SHARED_STRING.findall(tail))


def check_workbook(archive: zipfile.ZipFile, label: str) -> None:
    """Refuse an XLSX workbook that openpyxl could not read in bounded memory and time, or whose
    XML declares a DTD; every refusal names the part and the rule. Runs after
    :func:`check_archive`."""
    infos = archive.infolist()
    if len(infos) > WORKBOOK_MAX_MEMBERS:
        raise UnsafeArchive(
            "{file} holds {count} files; more than {limit}.",
            file=label,
            count=f"{len(infos):,}",
            limit=f"{WORKBOOK_MAX_MEMBERS:,}",
        )
    total = sum(info.file_size for info in infos)
    if total > WORKBOOK_MAX_TOTAL_BYTES:
        raise UnsafeArchive(
            "{file} would expand to {size} MB (more than {limit} MB); refused.",
            file=label,
            size=f"{total / 1024**2:,.0f}",
            limit=f"{WORKBOOK_MAX_TOTAL_BYTES / 1024**2:,.0f}",
        )
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename.lower()
        if name.startswith("xl/worksheets/"):
            limit = WORKBOOK_MAX_SHEET_BYTES
        elif name.endswith("sharedstrings.xml"):
            limit = WORKBOOK_MAX_SHARED_STRINGS_BYTES
        elif name.startswith(("xl/media/", "docprops/thumbnail", "xl/embeddings/")) or (
            name.endswith(".bin")
        ):
            continue  # pictures and attachments: openpyxl in read-only mode leaves them unread
        else:
            limit = WORKBOOK_MAX_PART_BYTES
        if info.file_size > limit:
            raise _too_big(label, info.filename, info.file_size, limit)
        if not name.endswith((".xml", ".rels", ".vml")):
            continue
        _check_prolog(archive, info, label)
        longest, count = _scan_part(archive, info, label)
        if name.startswith("xl/worksheets/") or name.endswith("sharedstrings.xml"):
            if longest > WORKBOOK_MAX_CELL_BYTES:
                raise UnsafeArchive(
                    "{file}: part '{member}' holds a text of {size} MB in one piece; an Excel "
                    "cell holds at most 32,767 characters. Refused.",
                    file=label,
                    member=info.filename,
                    size=f"{longest / 1024**2:,.1f}",
                )
            if name.endswith("sharedstrings.xml") and count > WORKBOOK_MAX_SHARED_STRINGS:
                raise UnsafeArchive(
                    "{file} holds {count} different texts (more than {limit}); too many to "
                    "read safely. Save the sheet as CSV and import that instead.",
                    file=label,
                    count=f"{count:,}",
                    limit=f"{WORKBOOK_MAX_SHARED_STRINGS:,}",
                )
