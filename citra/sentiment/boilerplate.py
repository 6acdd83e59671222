"""News-site boilerplate taken out of a text before scoring.

Portals glue their own furniture into the text a feed or a monitoring export carries: "Baca juga:"
links to other headlines, "ADVERTISEMENT / SCROLL TO CONTINUE WITH CONTENT", "Simak berita
terkini", "Dapatkan update berita pilihan", "Subscribe to our newsletter". Their words ("pilihan",
"terkini", "update", a linked headline's own crisis words) are not about the mention, so they are
cut out before scoring and risk matching.
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


def strip_boilerplate(text: str) -> str:
    """``text`` without the portals' furniture (see the module docstring); unchanged when it has
    none (a cheap test runs first)."""
    low = text.lower()
    if not any(cue in low for cue in _CUES):
        return text
    return _BOILERPLATE_RE.sub(" ", text)
