"""Any CSV or XLSX table: columns found by header aliases, or mapped by hand (presets).

Also the row-to-mention conversion the table formats (Brand24, Mention, Meta insights) share.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from citra.errors import Location
from citra.urls import canonical_url
from collectors.aliases import GENERIC, is_certain, map_headers, mapping_by_name
from collectors.base import Format, ReadContext, Source
from collectors.common import (
    FormatError,
    Record,
    Rejection,
    clean_text,
    platform_from_url,
    platform_from_word,
    reject,
    to_int,
)
from collectors.dates import parse_date
from collectors.tabular import Table, is_xlsx, open_table, peek_headers
from collectors.textfiles import decode_head, looks_binary, looks_html
from collectors.whatsapp import sniff as looks_like_chat

_SENTIMENTS = {
    "positive": "positive",
    "positif": "positive",
    "pozytywny": "positive",
    "pos": "positive",
    "negative": "negative",
    "negatif": "negative",
    "negatywny": "negative",
    "neg": "negative",
    "neutral": "neutral",
    "netral": "neutral",
    "neutralny": "neutral",
}
_X_STATUS = re.compile(r"^https://x\.com/[^/]+/status(?:es)?/(\d+)")


class NeedsMapping(FormatError):
    """A table whose date or text column could not be recognised; the user maps columns."""

    def __init__(self, source: str, headers: Sequence[str], mapping: Mapping[str, int]):
        super().__init__(
            "{file}: could not tell which column holds the date and the text. Map the columns "
            "on the Sources page (saved as a preset) or pass --preset.",
            file=source,
        )
        self.headers = list(headers)
        self.mapping = dict(mapping)


def tool_sentiment(value: Any) -> str | None:
    """A monitoring tool's own sentiment label as positive/negative/neutral, else ``None``."""
    text = clean_text(value)
    if not text:
        return None
    return _SENTIMENTS.get(text.casefold())


def fingerprint(*parts: Any) -> str:
    """A content fingerprint used as the native id of a row that has neither id nor link."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return "fp:" + hashlib.blake2b(joined.encode("utf-8"), digest_size=12).hexdigest()


def row_to_record(
    where: Location,
    headers: Sequence[str],
    cells: Sequence[Any],
    mapping: Mapping[str, int],
    ctx: ReadContext,
    *,
    platform: str | None = None,
    dayfirst: bool | None = None,
    tool: str | None = None,
) -> Record | Rejection:
    """One table row as a mention record, or a :class:`Rejection` saying where and why.

    ``platform`` is the fallback when neither a platform column nor the link tells; ``tool``
    names the monitoring tool whose sentiment is kept in ``raw["tool_sentiment"]``. Every cell
    is kept in ``raw`` under its header, unknown columns included; cells are never evaluated.
    A reader of many rows builds one :class:`RowConverter` instead (the same result).
    """
    convert = RowConverter(headers, mapping, ctx, platform=platform, dayfirst=dayfirst, tool=tool)
    return convert(where, cells)


@lru_cache(maxsize=65_536)
def _cell_date(value: str, tz: str, dayfirst: bool, time: str | None) -> str | None:
    """:func:`parse_date` of a text cell (and its time cell), cached: an export repeats its
    dates (and often its times) across thousands of rows."""
    return parse_date(value, tz=tz, dayfirst=dayfirst, time=time)


class RowConverter:
    """:func:`row_to_record` for the rows of one table: the column positions, the names ``raw``
    keeps the cells under and the reading settings are worked out once, not once per row."""

    def __init__(
        self,
        headers: Sequence[str],
        mapping: Mapping[str, int],
        ctx: ReadContext,
        *,
        platform: str | None = None,
        dayfirst: bool | None = None,
        tool: str | None = None,
    ):
        self.headers = list(headers)
        self.indexes = [(field, index) for field, index in mapping.items() if index is not None]
        self.names = [header or f"column {i + 1}" for i, header in enumerate(self.headers)]
        self.tz = ctx.tz
        self.dayfirst = ctx.dayfirst if dayfirst is None else dayfirst
        self.platform = platform
        self.tool = tool
        # The fields this table has a column for: a field it lacks is left None without a call.
        mapped = {field for field, _ in self.indexes}
        self._optional = tuple(f for f in ("author_handle", "lang") if _COLUMN.get(f, f) in mapped)
        self._counts = tuple(f for f in _COUNTS if f in mapped)
        self._maps_source = "source" in mapped
        self._maps_platform = "platform" in mapped
        self._maps_sentiment = "sentiment" in mapped

    def _raw_name(self, index: int) -> str:
        names = self.names
        return names[index] if index < len(names) else f"column {index + 1}"

    def __call__(self, where: Location, cells: Sequence[Any]) -> Record | Rejection:
        """One row as a mention record, or a :class:`Rejection` (see :func:`row_to_record`)."""
        found = self._record(cells)
        return reject(where, *found) if isinstance(found, tuple) else found

    def numbered(self, unit: str, number: int, cells: Sequence[Any]) -> Record | Rejection:
        """:meth:`__call__` of the row at ``number`` in ``unit`` (``line``, ``row``): the
        :class:`Location` is made only for a rejection."""
        found = self._record(cells)
        if isinstance(found, tuple):
            return reject(Location(unit=unit, number=number), *found)
        return found

    def _record(self, cells: Sequence[Any]) -> Record | tuple[str, Any]:
        """The record of ``cells``, or why there is none: ``(reason, value)`` for
        :func:`collectors.common.reject`."""
        count = len(cells)
        found: dict[str, Any] = {}
        for field, index in self.indexes:
            if index < count:
                value = cells[index]
                if not (isinstance(value, str) and not value.strip()):
                    found[field] = value
        cell = found.get
        date_value = cell("date")
        if date_value is None:
            return ("date missing", None)
        time_value = cell("time")
        if isinstance(date_value, str) and (time_value is None or isinstance(time_value, str)):
            published = _cell_date(date_value, self.tz, self.dayfirst, time_value)
        else:
            published = parse_date(date_value, tz=self.tz, dayfirst=self.dayfirst, time=time_value)
        if published is None:
            return ("date not readable", date_value)
        text = clean_text(cell("text"))
        title = clean_text(cell("title"))
        if not text and not title:
            return ("text missing", None)
        url = canonical_url(cell("url"))
        found_platform = (
            (self._maps_platform and platform_from_word(cell("platform")))
            or platform_from_url(url)
            or self.platform
            or "other"
        )
        tool = self.tool
        native = clean_text(cell("id"))
        if tool and native:
            # A tool's own id only identifies the row within that tool: the link, when there is
            # one, is what another tool, a feed or an archive will share.
            native = None if url else f"{tool}:{native}"
        status = _X_STATUS.match(url) if url else None
        if status:  # a tweet seen by a monitoring tool is the same mention as in the X archive
            found_platform, native = "x", status.group(1)
        names = self.names
        if count <= len(names):
            if "" in cells or None in cells:
                raw = {
                    name: v for name, v in zip(names, cells, strict=False) if v not in (None, "")
                }
            else:  # no empty cell (``in`` compares as ``not in (None, "")`` does)
                raw = dict(zip(names, cells, strict=False))
        else:
            raw = {self._raw_name(i): v for i, v in enumerate(cells) if v not in (None, "")}
        sentiment = tool_sentiment(cell("sentiment")) if self._maps_sentiment else None
        if sentiment:
            raw["tool_sentiment"] = sentiment
            if tool:
                raw["tool"] = tool
        author = clean_text(cell("author"))
        record = {
            "native_id": native if (native or url) else fingerprint(published, author, text, title),
            "platform": found_platform,
            "source": (self._maps_source and clean_text(cell("source"))) or tool,
            "url": url,
            "title": title,
            "text": text,
            "author": author,
            "author_handle": None,
            "published_at": published,
            "lang": None,
            "likes": None,
            "comments": None,
            "shares": None,
            "views": None,
            "reach": None,
            "raw": raw,
        }
        for field in self._optional:  # only the columns the table has
            record[field] = clean_text(cell(_COLUMN.get(field, field)))
        for field in self._counts:
            record[field] = to_int(cell(field))
        return record


# The column a record field is read from, where the two names differ; the counts.
_COLUMN = {"author_handle": "handle"}
_COUNTS = ("likes", "comments", "shares", "views", "reach")


def read_table(
    source: Source,
    ctx: ReadContext,
    aliases: Mapping[str, Sequence[str]],
    *,
    platform: str | None = None,
    tool: str | None = None,
    dayfirst: bool | None = None,
    require_certain: bool = True,
) -> Iterator[Record | Rejection]:
    """Stream a table export through :func:`row_to_record`, mapping columns by ``aliases``, or
    by ``ctx.mapping`` / a saved preset with the same headers when given.

    Raises :class:`NeedsMapping` when the date or text column cannot be found.
    """
    reader = TableReader(aliases, platform, tool, dayfirst, require_certain)
    with reader.open(source, ctx) as (convert, table):
        for where, cells in table.rows:
            yield cells if isinstance(cells, Rejection) else convert(where, cells)


@dataclass(frozen=True)
class TableReader:
    """A table format's reader (:attr:`collectors.base.Format.read`): :func:`read_table` with
    these settings. :meth:`open` gives the row converter and the raw rows apart, so that an
    import converts the rows in its worker processes (``collectors.table_rows``); both ways
    give the same records."""

    aliases: Mapping[str, Sequence[str]]
    platform: str | None = None
    tool: str | None = None
    dayfirst: bool | None = None
    require_certain: bool = True

    def __call__(self, source: Source, ctx: ReadContext) -> Iterator[Record | Rejection]:
        return read_table(
            source,
            ctx,
            self.aliases,
            platform=self.platform,
            tool=self.tool,
            dayfirst=self.dayfirst,
            require_certain=self.require_certain,
        )

    @contextmanager
    def open(self, source: Source, ctx: ReadContext) -> Iterator[tuple[RowConverter, Table]]:
        """The table's :class:`RowConverter` and its :class:`collectors.tabular.Table`, whose
        rows are not converted yet. Raises :class:`NeedsMapping` when the date or text column
        cannot be found."""
        with open_table(source) as table:
            mapping = resolve_mapping(table.headers, ctx, self.aliases)
            if self.require_certain and not is_certain(mapping):
                raise NeedsMapping(source.name, table.headers, mapping)
            yield (
                RowConverter(
                    table.headers,
                    mapping,
                    ctx,
                    platform=self.platform,
                    dayfirst=self.dayfirst,
                    tool=self.tool,
                ),
                table,
            )


def resolve_mapping(
    headers: Sequence[str], ctx: ReadContext, aliases: Mapping[str, Sequence[str]] = GENERIC
) -> dict[str, int]:
    """The column mapping to use: the explicit one, else a saved preset made for exactly these
    headers, else the automatic alias mapping."""
    if ctx.mapping:
        return mapping_by_name(headers, ctx.mapping)
    wanted = [h.strip() for h in headers]
    for preset in ctx.presets:
        if [h.strip() for h in preset.get("headers", [])] == wanted:
            return mapping_by_name(headers, preset["mapping"])
    return map_headers(headers, aliases)


def _detect(source: Source) -> float:
    if is_xlsx(source):
        return 0.3
    head = source.read_head()
    if not head.strip() or looks_html(head) or looks_binary(head):
        # Still the best guess for a file named .csv/.tsv: the reader then says what is wrong.
        return 0.1 if source.suffix in (".csv", ".tsv") else 0.0
    text = decode_head(head)
    if looks_like_chat(text):
        return 0.0
    headers = peek_headers(source)
    if not headers or len(headers) < 2:
        return 0.05 if source.suffix in (".csv", ".tsv") else 0.0
    if source.suffix in (".csv", ".tsv"):
        return 0.3
    return 0.15 if source.suffix in (".txt", "") else 0.0


FORMAT = Format(
    name="csv",
    title="Any CSV or Excel table",
    detect=_detect,
    read=TableReader(GENERIC),
    how_to_get="Any spreadsheet with at least a date and a text column (CSV or XLSX).",
)
