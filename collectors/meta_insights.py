"""Meta Business Suite post-insights exports (CSV/XLSX) for the coop's Facebook/Instagram page.

Headers are localised (English, Indonesian, ...), so columns are found by an alias table. These
are the coop's own posts (``is_own``). English exports write dates month-first
(``10/15/2023 08:00``); Indonesian ones day-first. Older exports have a second header row of
explanations ("Lifetime: The number of ..."), which is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from collectors.aliases import GENERIC, has_any, normalise_header
from collectors.base import Format, ReadContext, Source
from collectors.common import Record, Rejection, platform_from_url
from collectors.generic import NeedsMapping, is_certain, resolve_mapping, row_to_record
from collectors.tabular import open_table, peek_headers

ALIASES = {
    "id": ("post id", "id postingan", "id kiriman", "id konten", "content id"),
    "date": ("publish time", "waktu publikasi", "waktu penerbitan", "waktu dipublikasikan", "date"),
    "text": ("description", "deskripsi", "message", "pesan", "title", "judul", "keterangan"),
    "url": ("permalink", "tautan permanen", "link", "tautan"),
    "author": ("page name", "nama halaman", "account name", "nama akun", "account username"),
    "handle": ("account username", "nama pengguna akun"),
    "reach": ("reach", "jangkauan"),
    "likes": ("reactions", "reaksi", "likes", "suka", "tanggapan"),
    "comments": ("comments", "komentar"),
    "shares": ("shares", "bagikan", "dibagikan", "berbagi"),
    "views": ("views", "impressions", "tayangan", "impresi"),
    "lang": GENERIC["lang"],
}
_ENGLISH_DATES = ("publish time", "date")
_EXPLANATION_STARTS = ("lifetime", "seumur hidup", "sepanjang waktu")


def detect(source: Source) -> float:
    """Confident when a post-id column sits with a publish-time or permalink column."""
    headers = peek_headers(source)
    if not headers:
        return 0.0
    if has_any(headers, ALIASES["id"]) and (
        has_any(headers, ALIASES["date"][:4]) or has_any(headers, ALIASES["url"][:2])
    ):
        return 0.9
    return 0.0


def read(source: Source, ctx: ReadContext) -> Iterator[Record | Rejection]:
    """The coop's posts with reach and engagement from a post-insights export."""
    with open_table(source) as table:
        mapping = resolve_mapping(table.headers, ctx, ALIASES)
        if not is_certain(mapping):
            raise NeedsMapping(source.name, table.headers, mapping)
        date_header = normalise_header(table.headers[mapping["date"]])
        dayfirst = date_header not in _ENGLISH_DATES
        for where, cells in table.rows:
            if isinstance(cells, Rejection):
                yield cells
                continue
            if any(
                isinstance(c, str) and c.strip().lower().startswith(_EXPLANATION_STARTS)
                for c in cells
            ):
                continue
            record = row_to_record(
                where, table.headers, cells, mapping, ctx, platform="facebook", dayfirst=dayfirst
            )
            if isinstance(record, dict):
                record["platform"] = platform_from_url(record["url"]) or "facebook"
                if record["platform"] == "web":
                    record["platform"] = "facebook"
                record["is_own"] = 1
            yield record


FORMAT = Format(
    name="meta-insights",
    title="Meta Business Suite post insights",
    detect=detect,
    read=read,
    own_account=True,
    how_to_get=(
        "Meta Business Suite > Insights > Content > Export data (CSV), for the coop's page or "
        "Instagram account."
    ),
)
