"""One rule for when two account handles are the same account (``@KopSejahtera`` = ``kopsejahtera``).

Every comparison of handles goes through :func:`normalise_handle`: the registry's member handles,
the coop's own accounts, the authors of mentions (``mentions.author_key``, written by
``citra.store.mentions``) and the chat classifier's links. SQL never normalises a handle itself:
SQLite's ``lower()`` and ``trim()`` only know ASCII, so the database stores the value this function
gives and the triggers only compare stored values.
"""

from __future__ import annotations

import re
import unicodedata

# Whitespace and invisible format characters (zero-width space and joiners, word joiner, BOM)
# that copy-paste and spreadsheet exports leave around a handle, and the @ signs before it.
_EDGE = "\u200b\u200c\u200d\u2060\ufeff"
_LEADING = re.compile(rf"^[\s@{_EDGE}]+")
_TRAILING = re.compile(rf"[\s{_EDGE}]+$")


def normalise_handle(handle: object) -> str:
    """A handle as stored and compared: ``" @KopSejahtera "`` -> ``"kopsejahtera"``.

    Unicode compatibility forms are folded first (full-width ``＠ｋｏｐ`` is ``@kop``), then the
    whitespace and invisible characters around it and every leading ``@`` are dropped, and the
    case is folded the Unicode way (``"İ"`` -> ``"i̇"``, ``"ß"`` -> ``"ss"``, not only A-Z).
    Characters inside the handle are kept. ``None``, empty or only ``@``/spaces gives ``""``.
    """
    if handle is None:
        return ""
    text = unicodedata.normalize("NFKC", str(handle))
    text = _TRAILING.sub("", _LEADING.sub("", text))
    return unicodedata.normalize("NFKC", text.casefold())
