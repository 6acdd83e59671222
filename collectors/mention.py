"""Mention (mention.com) exports, CSV or XLSX: the same alias-table reader as Brand24.

Mention calls the sentiment "Tone", the platform "Source type" and the site "Source name".
"""

from __future__ import annotations

from collectors.aliases import GENERIC, has_any
from collectors.base import Format, Source
from collectors.generic import TableReader
from collectors.tabular import peek_headers

ALIASES = {
    **GENERIC,
    "date": ("published date", "published at", "date", "tanggal", "created at"),
    "text": ("description", "content", "text", "snippet", "deskripsi", "isi"),
    "platform": ("source type", "jenis sumber", "source", "sumber"),
    "source": ("source name", "nama sumber", "domain"),
    "sentiment": ("tone", "sentiment", "sentimen", "nada"),
}
SIGNATURE = ("tone", "source type", "source name")


def detect(source: Source) -> float:
    """Confident when at least two of Mention's own column names are present."""
    headers = peek_headers(source)
    if not headers:
        return 0.0
    hits = sum(1 for name in SIGNATURE if has_any(headers, (name,)))
    return 0.8 if hits >= 2 else 0.0


# Mentions from a Mention export; the tool's tone is kept beside Citra's score.
# (read_table's settings: an import converts the rows in its worker processes)
read = TableReader(ALIASES, tool="mention", platform="web")


FORMAT = Format(
    name="mention",
    title="Mention export",
    detect=detect,
    read=read,
    how_to_get="Mention > Mentions > Export (CSV or Excel), choosing the alert and period.",
)
