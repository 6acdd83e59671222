"""Brand24 mention exports (CSV or XLSX), in English, Indonesian or Polish headers.

Brand24 writes one row per mention with the date and the hour in separate columns, the source
category ("Twitter", "News", "Blogs", ...), an influence score and its own sentiment. Columns are
matched by an alias table; unknown columns stay in ``raw``; Brand24's sentiment is kept in
``raw["tool_sentiment"]`` beside Citra's own score.
"""

from __future__ import annotations

from collectors.aliases import GENERIC, has_any
from collectors.base import Format, Source
from collectors.generic import TableReader
from collectors.tabular import peek_headers

ALIASES = {
    **GENERIC,
    "time": ("hour", "godzina", "jam", "pukul", "time"),
    "date": ("date", "data", "tanggal", "published", "waktu"),
    "text": ("content", "tresc", "isi", "konten", "text", "mention", "snippet"),
    "source": ("domain", "domena", "site", "situs"),
}
# Headers only Brand24 writes.
SIGNATURE = ("influence score", "wpływ", "skor pengaruh", "presence score", "godzina")


def detect(source: Source) -> float:
    """Confident on Brand24's own columns (influence score, or date + hour + content)."""
    headers = peek_headers(source)
    if not headers:
        return 0.0
    if has_any(headers, SIGNATURE):
        return 0.85
    if (
        has_any(headers, ("hour", "jam"))
        and has_any(headers, ("date", "tanggal", "data"))
        and has_any(headers, ("content", "isi", "tresc"))
    ):
        return 0.7
    return 0.0


# Mentions from a Brand24 export; the date is day-first only when written so.
# (read_table's settings: an import converts the rows in its worker processes)
read = TableReader(ALIASES, tool="brand24", platform="web")


FORMAT = Format(
    name="brand24",
    title="Brand24 export",
    detect=detect,
    read=read,
    how_to_get="Brand24 > Mentions > Export (CSV or Excel) for the chosen project and dates.",
)
