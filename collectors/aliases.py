"""Header alias tables: which column of a table export holds which mention field.

Exports are localised (English, Indonesian, and Brand24's Polish roots), so a field is found by
any of its aliases, compared case- and punctuation-insensitively. Each format passes its own
table; :data:`GENERIC` serves any CSV/XLSX.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from citra.store.import_presets import PRESET_FIELDS

# Fields a table column can map to (the store validates saved presets against the same list).
# `date` and `text` are what a mention cannot do without.
FIELDS = PRESET_FIELDS
REQUIRED = ("date", "text")

GENERIC: dict[str, tuple[str, ...]] = {
    "id": ("id", "mention id", "post id", "id postingan", "id kiriman", "tweet id", "comment id"),
    "date": (
        "date",
        "data",
        "tanggal",
        "tgl",
        "published",
        "published date",
        "published at",
        "publish date",
        "publish time",
        "publication date",
        "date published",
        "tanggal terbit",
        "tanggal publikasi",
        "waktu publikasi",
        "created at",
        "created",
        "datetime",
        "timestamp",
        "waktu",
        "time",
    ),
    "time": ("hour", "godzina", "jam", "pukul"),
    "title": ("title", "tytul", "judul", "headline"),
    "text": (
        "content",
        "text",
        "tresc",
        "isi",
        "konten",
        "message",
        "pesan",
        "mention",
        "snippet",
        "description",
        "deskripsi",
        "body",
        "full text",
        "teks",
        "caption",
        "keterangan",
        "comment",
        "comment text",
        "post",
        "postingan",
        "isi berita",
        "isi postingan",
    ),
    "url": (
        "url",
        "link",
        "tautan",
        "permalink",
        "tautan permanen",
        "source url",
        "post link",
        "post url",
        "mention url",
        "alamat",
    ),
    "author": (
        "author",
        "autor",
        "penulis",
        "pengarang",
        "author name",
        "name",
        "nama",
        "user",
        "pengguna",
        "account",
        "akun",
        "page name",
        "nama halaman",
        "profile",
    ),
    "handle": (
        "handle",
        "username",
        "user name",
        "screen name",
        "author handle",
        "author username",
    ),
    "platform": (
        "platform",
        "source type",
        "jenis sumber",
        "category",
        "kategori",
        "kategoria",
        "media type",
        "network",
        "channel",
        "kanal",
        "media",
        "source",
        "sumber",
        "zrodlo",
    ),
    "source": ("domain", "site", "situs", "source name", "nama sumber", "media name", "website"),
    "sentiment": ("sentiment", "sentimen", "sentyment", "tone", "polarity", "nada"),
    "reach": ("reach", "jangkauan", "zasieg", "estimated reach", "potential reach", "audience"),
    "likes": (
        "likes",
        "like",
        "suka",
        "jumlah suka",
        "reactions",
        "reaksi",
        "favorites",
        "favourites",
        "like count",
        "polubienia",
    ),
    "comments": (
        "comments",
        "komentar",
        "jumlah komentar",
        "replies",
        "balasan",
        "comment count",
        "komentarze",
    ),
    "shares": (
        "shares",
        "bagikan",
        "dibagikan",
        "berbagi",
        "jumlah dibagikan",
        "retweets",
        "reposts",
        "share count",
        "udostepnienia",
    ),
    "views": ("views", "dilihat", "tayangan", "plays", "video views", "impressions", "impresi"),
    "lang": ("language", "bahasa", "lang", "jezyk"),
}


def normalise_header(header: object) -> str:
    """``" Tanggal/Waktu "`` -> ``"tanggal waktu"``; accents folded (``Treść`` -> ``tresc``)."""
    text = unicodedata.normalize("NFKD", str(header or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("ł", "l")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def map_headers(
    headers: Sequence[str], aliases: Mapping[str, Sequence[str]] = GENERIC
) -> dict[str, int]:
    """``{field: column index}`` for every field some header is an alias of.

    Each column serves one field; fields are tried in the order of ``aliases`` and, within a
    field, aliases in their order (so "content" beats "description" when both exist). Headers
    that map to nothing are simply left out (their values stay in the record's ``raw``).
    """
    normalised = [normalise_header(h) for h in headers]
    taken: set[int] = set()
    mapping: dict[str, int] = {}
    for field, names in aliases.items():
        for alias in names:
            wanted = normalise_header(alias)
            index = next(
                (i for i, h in enumerate(normalised) if h == wanted and i not in taken), None
            )
            if index is not None:
                mapping[field] = index
                taken.add(index)
                break
    return mapping


def mapping_by_name(headers: Sequence[str], chosen: Mapping[str, str]) -> dict[str, int]:
    """A user's mapping ``{field: header}`` (from the preview or a preset) as column indexes;
    headers no longer present in the file are dropped."""
    index = {normalise_header(h): i for i, h in reversed(list(enumerate(headers)))}
    return {
        field: index[normalise_header(header)]
        for field, header in chosen.items()
        if field in FIELDS and header and normalise_header(header) in index
    }


def is_certain(mapping: Mapping[str, int]) -> bool:
    """Whether an automatic mapping found every required field (``date`` and ``text``)."""
    return all(field in mapping for field in REQUIRED)


def has_any(headers: Sequence[str], names: Sequence[str]) -> bool:
    """Whether any header equals one of ``names`` (normalised)."""
    wanted = {normalise_header(n) for n in names}
    return any(normalise_header(h) in wanted for h in headers)
