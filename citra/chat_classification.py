"""Classifying a member's WhatsApp message: question, proposal, share, complaint or other.

Pure functions over text: nothing here reads or writes the database. A *share* is a forwarded
message or a link to the coop's own website or accounts (:class:`ShareTargets`). The categories
feed the engagement model (``citra.engagement``); see ``docs/metrics.md`` ("## Members").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from citra.handles import normalise_handle
from citra.profile import Organisation

CATEGORIES = ("question", "proposal", "share", "complaint", "other")
ENGAGEMENT_CATEGORIES = ("question", "proposal", "share")

# --- classifying chat messages ------------------------------------------------------------------


def _phrases(*words: str) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)")


# Words and phrases are matched whole, on the lower-cased text; "\w*" marks a word stem.
PROPOSAL_WORDS = _phrases(
    # Indonesian
    r"usul\w*",
    r"mengusul\w*",
    "saran",
    "saranku",
    "saran saya",
    r"menyarankan",
    "sebaiknya",
    "seharusnya",
    "alangkah baiknya",
    "lebih baik",
    "bagaimana kalau",
    "gimana kalau",
    "gmn kalau",
    "bagaimana jika",
    "bagaimana bila",
    "kenapa tidak",
    "kenapa gak",
    "kenapa nggak",
    "perlu ada",
    "perlu diadakan",
    "mohon dipertimbangkan",
    "bisa dipertimbangkan",
    "ayo kita",
    "yuk kita",
    # English
    "i suggest",
    "we suggest",
    "suggestion",
    r"propos\w*",
    "how about",
    "what if we",
    "why don't we",
    "why not",
    "we should",
    "we could",
    "it would be better",
    "would be better",
    "i recommend",
    "let's",
    "lets",
)
QUESTION_WORDS = _phrases(
    "mohon info",
    "minta info",
    "info dong",
    "numpang tanya",
    "mau tanya",
    "boleh tanya",
    "ingin bertanya",
    "izin bertanya",
    "ijin bertanya",
    "mohon penjelasan",
    "would like to ask",
    "can anyone",
    "does anyone",
    "anyone know",
    "any update",
    "ada info",
)
QUESTION_OPENERS = frozenset(
    [
        "apa",
        "apakah",
        "bagaimana",
        "gimana",
        "gmn",
        "kapan",
        "kpn",
        "dimana",
        "mana",
        "berapa",
        "brp",
        "siapa",
        "kenapa",
        "mengapa",
        "knp",
        "kok",
        "bisakah",
        "bolehkah",
        "adakah",
        "benarkah",
        "tanya",
        "what",
        "how",
        "when",
        "where",
        "why",
        "who",
        "whom",
        "whose",
        "which",
        "is",
        "are",
        "can",
        "could",
        "do",
        "does",
        "did",
        "will",
        "would",
        "should",
        "may",
        "anyone",
    ]
)
COMPLAINT_WORDS = _phrases(
    # Indonesian
    r"kecewa\w*",
    r"mengecewakan",
    r"komplain\w*",
    "keluhan",
    r"mengeluh\w*",
    "lambat",
    "lelet",
    "terlambat",
    "telat",
    "belum cair",
    "belum dibayar",
    "belum masuk",
    "belum ada kabar",
    "tidak bisa",
    "gak bisa",
    "ga bisa",
    "nggak bisa",
    "tidak jelas",
    "gak jelas",
    "gangguan",
    "error",
    "parah",
    "rugi",
    "dirugikan",
    "kapok",
    "buruk",
    "jelek",
    "kesal",
    # English
    "disappointed",
    "disappointing",
    r"complain\w*",
    "slow",
    "late",
    "delayed",
    "still waiting",
    "not working",
    "doesn't work",
    "terrible",
    "awful",
    "bad service",
    "unacceptable",
    "worst",
)
FORWARD_MARKERS = ("diteruskan", "forwarded", "fwd:", "fw:", "[forwarded]", "*diteruskan*")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ShareTargets:
    """What counts as "the coop's" in a shared link: its web domains and account handles."""

    domains: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()

    @classmethod
    def from_profile(cls, coop: Organisation | None) -> ShareTargets:
        """Domains from the coop's website, handles from its accounts (``@`` dropped, lower
        case). ``None`` (no profile yet) gives empty targets: only forwards count as shares."""
        if coop is None:
            return cls()
        domains = []
        if coop.website:
            host = urlsplit(coop.website if "//" in coop.website else "//" + coop.website)
            if host.hostname:
                domains.append(host.hostname.removeprefix("www."))
        handles = [normalise_handle(h) for h in coop.accounts.values()]
        return cls(tuple(domains), tuple(h for h in handles if h))


def _is_coop_link(url: str, targets: ShareTargets) -> bool:
    parts = urlsplit(url if "//" in url else "//" + url)
    host = (parts.hostname or "").removeprefix("www.")
    if any(host == d or host.endswith("." + d) for d in targets.domains):
        return True
    path = parts.path.casefold().strip("/")
    first = normalise_handle(path.split("/", 1)[0])
    return bool(first) and first in targets.handles


def classify_message(text: str, targets: ShareTargets = ShareTargets()) -> str:
    """The category of a member's chat message: ``share``, ``proposal``, ``question``,
    ``complaint`` or ``other``, first rule that applies in that order.

    - share: a link to the coop's website or one of its accounts, or a forwarded message
      (text starting with "Diteruskan"/"Forwarded"/"Fwd:");
    - proposal: a suggestion phrase ("usul", "sebaiknya", "bagaimana kalau", "how about", ...);
    - question: a question mark, a question word first ("kapan", "berapa", "how", ...) or an
      asking phrase ("mohon info", "numpang tanya", "does anyone", ...);
    - complaint: a complaint word ("kecewa", "belum cair", "telat", "disappointed", ...).
    Empty text is ``other``.
    """
    lowered = text.casefold().strip()
    if not lowered:
        return "other"
    if lowered.startswith(FORWARD_MARKERS):
        return "share"
    if any(_is_coop_link(url, targets) for url in _URL.findall(lowered)):
        return "share"
    without_urls = _URL.sub(" ", lowered)
    if PROPOSAL_WORDS.search(without_urls):
        return "proposal"
    first = _WORD.search(without_urls)
    if (
        "?" in without_urls
        or (first is not None and first.group() in QUESTION_OPENERS)
        or QUESTION_WORDS.search(without_urls)
    ):
        return "question"
    if COMPLAINT_WORDS.search(without_urls):
        return "complaint"
    return "other"


# --- metrics ------------------------------------------------------------------------------------
