"""The batch work of a table import (CSV, XLSX) in its worker processes: a batch of the table's
raw rows in, the stored rows out.

The importing process only reads the file (cells and line numbers) and writes to the database;
everything between, per row, runs here (``citra.sentiment.parallel.prepare_batches``): the
row made a mention record (:class:`collectors.generic.RowConverter`), the reader's checks
(a link too long to be one), then id, organisation, size limits, scores and the stored row
(:class:`collectors.finishing.MentionRows`). It gives exactly what the reader's own stream of
records (``Format.read``) gives the import, in the same order, rejections included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from citra.errors import CitraError, Location
from citra.sentiment.analyzer import SentimentAnalyzer
from collectors.common import Rejection
from collectors.finishing import MentionRows
from collectors.generic import RowConverter
from collectors.limits import MAX_URL_CHARS

# A batch: ``(number, cells)`` as ``collectors.tabular.Table.numbered`` yields them.
Cells = tuple[int, "list[Any] | Rejection"]


def link_too_long(record: dict[str, Any], file: str) -> CitraError | None:
    """The rejection of a record whose link is longer than any link (``MAX_URL_CHARS``), placed
    in ``file``; ``None`` for any other record."""
    url = record.get("url") or ""
    if len(url) <= MAX_URL_CHARS:
        return None
    return CitraError(
        "no id or link: a link of {length} characters",
        location=Location(file=file),
        length=f"{len(url):,}",
    )


@dataclass(frozen=True)
class TableRows:
    """``(rows, cut, rejections)`` of a batch of a table's raw rows: the stored rows and the
    positions of those whose text was cut (as :class:`collectors.finishing.MentionRows` gives
    them) and the rows not imported, each a :class:`CitraError` saying where and why, in table
    order. ``member`` is the file the rejections are placed in (a file of an archive or folder;
    ``None`` for a single file); ``file`` the name a too-long link is reported under.
    Picklable, so a worker process does exactly what the importing process would."""

    convert: RowConverter
    finish: MentionRows
    unit: str
    member: str | None
    file: str

    def __call__(
        self, batch: list[Cells], analyzer: SentimentAnalyzer
    ) -> tuple[list[tuple[Any, ...]], list[int], list[CitraError]]:
        records = []
        rejections: list[CitraError] = []
        convert = self.convert.numbered
        unit = self.unit
        for number, cells in batch:
            item = cells if isinstance(cells, Rejection) else convert(unit, number, cells)
            if isinstance(item, Rejection):
                rejections.append(item.in_file(self.member))
                continue
            too_long = link_too_long(item, self.member or self.file)
            if too_long is not None:
                rejections.append(too_long)
                continue
            records.append(item)
        rows, cut = self.finish(records, analyzer)
        return rows, cut, rejections
