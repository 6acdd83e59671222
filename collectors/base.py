"""What every export format shares: the input it reads (:class:`Source`), the settings it reads
with (:class:`ReadContext`), what a reader may skip (:class:`Skipped`) and its registry entry
(:class:`Format`)."""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from collectors.common import Record, Rejection
from collectors.textfiles import HEAD_BYTES

XLSX_SPOOL_BYTES = 32 * 1024 * 1024


@dataclass
class Source:
    """One input file: on disk, or a member of a zip archive. Never read whole.

    ``name`` is the path inside the archive or folder (``data/tweets.js``) or the file name;
    ``opener`` returns a fresh binary stream each call; ``head`` holds the first bytes.
    """

    name: str
    size: int
    opener: Callable[[], IO[bytes]]
    head: bytes = b""
    seekable: bool = True
    wrap: Callable[[IO[bytes]], IO[bytes]] | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def basename(self) -> str:
        """The file name without folders, lower-cased (what detectors look at)."""
        return PurePosixPath(self.name.replace("\\", "/")).name.lower()

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.basename).suffix

    def open(self) -> IO[bytes]:
        """A fresh binary stream over the whole file (progress-counted when the importer asks)."""
        stream = self.opener()
        return self.wrap(stream) if self.wrap else stream

    def open_seekable(self) -> IO[bytes]:
        """A seekable stream (openpyxl needs one); a zip member is spooled, to disk past 32 MB."""
        stream = self.open()
        if self.seekable:
            return stream
        spool = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115 (returned open)
        with stream:
            shutil.copyfileobj(stream, spool, 1024 * 1024)
        spool.seek(0)
        return spool  # type: ignore[return-value]

    def read_head(self) -> bytes:
        if not self.head:
            with self.opener() as stream:
                self.head = stream.read(HEAD_BYTES)
        return self.head

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """Memoise a detector's look at this source (e.g. its header row)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


@dataclass
class ReadContext:
    """How to read: the coop's timezone, whether ambiguous numeric dates are day-first, and for
    tables an explicit column mapping (``{field: header}``) or saved presets to try."""

    tz: str = "Asia/Jakarta"
    dayfirst: bool = True
    mapping: dict[str, str] | None = None
    presets: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Skipped:
    """An input record that is fine but has nothing to import: a share or link without text of
    its own (``reason`` ``"no text"``). Counted apart from rejections, which are errors."""

    where: str
    reason: str = "no text"


Reader = Callable[[Source, ReadContext], Iterator[Record | Rejection | Skipped]]
Detector = Callable[[Source], float]


@dataclass(frozen=True)
class Format:
    """A registry entry: adding an import format is adding one of these.

    ``detect`` returns a confidence from 0 (not this format) to 1 (certainly this format), looking
    only at the file name and :attr:`Source.head`; the highest confidence wins. ``read`` yields
    mention records (see :mod:`collectors.common`), :class:`Rejection` and :class:`Skipped`
    items, streaming.
    ``own_account`` marks downloads of the coop's own account: their mentions are the coop's
    (``is_own = 1``) rather than matched by name.
    """

    name: str
    title: str
    detect: Detector
    read: Reader
    own_account: bool = False
    how_to_get: str = ""


def readable_bytes(data: bytes) -> IO[bytes]:
    """A binary stream over bytes already in memory (tests, uploads)."""
    return io.BytesIO(data)
