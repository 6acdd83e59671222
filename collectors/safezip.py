"""Reading zip archives without trusting them: no zip slip, no zip bomb.

Members are never extracted to disk; they are streamed from the archive. An archive is refused
as a whole when a member name is absolute or climbs out with ``..`` (zip slip), when the declared
uncompressed total is above :data:`MAX_TOTAL_BYTES`, or when a large member compresses better
than :data:`MAX_RATIO` to 1 (zip bomb). Because a header can lie, every member is also read
through a counter that stops at its declared size and at the total cap.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO

from collectors.common import FormatError

MAX_TOTAL_BYTES = 2 * 1024**3  # 2 GiB uncompressed in all
MAX_RATIO = 200  # uncompressed : compressed, for members above RATIO_FLOOR
RATIO_FLOOR = 1024**2  # small members may compress very well (a run of spaces); ignore them
MAX_MEMBERS = 50_000


class UnsafeArchive(FormatError):
    """A zip archive refused for safety (zip slip or zip bomb); the message says which member."""


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
        data = self._inner.read(len(buffer))
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
    """A buffered binary stream over one member, capped at its declared size."""
    raw = CappedReader(archive.open(info), info.file_size, label)
    return io.BufferedReader(raw, buffer_size=256 * 1024)
