"""News-site boilerplate taken out of a text before scoring.

Portals glue their own furniture into the text a feed or a monitoring export carries: "Baca juga:"
links to other headlines, "ADVERTISEMENT / SCROLL TO CONTINUE WITH CONTENT", "Simak berita
terkini", "Dapatkan update berita pilihan", "Subscribe to our newsletter". Their words ("pilihan",
"terkini", "update", a linked headline's own crisis words) are not about the mention, so they are
cut out before scoring and risk matching.

Coop names go too: coops are named for good things ("KSP Sejahtera", "Koperasi Mekar Jaya",
"Kopwan Melati"), and "KSP Harapan Baru gagal bayar" is no praise of hope. The capitalised words
right after a legal form (KSP, Koperasi, Kopwan, KUD, BMT...) are cut, the legal form stays. The
installation's own and its peers' names are neutral words already (``organisation_terms``); this
covers every other coop a text names, and lower-case names are left alone.
"""

from __future__ import annotations

import re

# A linked headline runs to the end of its line or sentence (at most 160 characters).
_PHRASES = (
    r"(?:baca|simak|lihat) (?:juga|pula)\s*:?[^\n.]{0,160}",
    r"(?:read|see) (?:more|also)\s*:[^\n.]{0,160}",
    r"advertisement",
    r"scroll to continue(?: with content)?",
    r"(?:simak|ikuti|dapatkan|baca) (?:berita|update|informasi|artikel)"
    r"(?: \w+){0,6}?(?: (?:di|lewat|melalui) [^\n.]{0,60})?",
    r"subscribe to (?:our|the) [^\n.]{0,60}",
    r"(?:copyright|hak cipta)\s*(?:©|\(c\))?[^\n.]{0,60}",
    r"all rights reserved",
    r"klik (?:di ?sini|link)[^\n.]{0,60}",
)
_BOILERPLATE_RE = re.compile(r"\b(?:" + "|".join(_PHRASES) + r")", re.IGNORECASE)
_CUES = (
    "baca",
    "simak",
    "lihat",
    "read",
    "see",
    "advert",
    "scroll",
    "ikuti",
    "dapatkan",
    "subscribe",
    "copyright",
    "hak cipta",
    "rights",
    "klik",
)


# A legal form, then one to four capitalised words (the name); "Koperasi Simpan Pinjam (KSP)" and
# "Koperasi Wanita" are kinds of coop, kept with the legal form.
_NAME_RE = re.compile(
    r"\b((?:KSP|KSPPS|KSU|KUD|BMT|Kopdit|Kopwan|Kopkar|Kopontren|CU|Credit Union|"
    r"[Kk]operasi(?: (?:Simpan Pinjam|Serba Usaha|Wanita|Karyawan|Produsen|Konsumen|Syariah))?)"
    r"(?: \((?:KSP|KSU|KSPPS)\))?) "
    r"((?:[A-Z][\w'\u2019-]*)(?: [A-Z][\w'\u2019-]*){0,3})"
)
_NAME_CUES = ("KSP", "oper", "Kop", "KSU", "KUD", "BMT", "CU", "Credit")
# A capital letter after a legal form: most texts naming a coop ("koperasi ini") have none.
_NAME_START_RE = re.compile(r"(?:KSP|KSU|KUD|BMT|CU|Credit Union|[Kk]op\w*)(?: \(\w+\))? [A-Z]")


def strip_names(text: str) -> str:
    """``text`` without the coop names that follow a legal form (see the module docstring);
    cheap tests first (most texts name no coop, or none in capitals)."""
    for cue in _NAME_CUES:  # a plain loop: cheaper than any() over a generator, per text
        if cue in text:
            break
    else:
        return text
    if not _NAME_START_RE.search(text):
        return text
    return _NAME_RE.sub(r"\1", text)


def strip_boilerplate(text: str) -> str:
    """``text`` without the portals' furniture and the coop names (see the module docstring);
    unchanged when it has neither (cheap tests run first)."""
    text = strip_names(text)
    low = text.lower()
    for cue in _CUES:
        if cue in low:
            return _BOILERPLATE_RE.sub(" ", text)
    return text
