"""The import formats Citra knows, and choosing one for a file.

Adding a format is adding one :class:`collectors.base.Format` to :data:`FORMATS` (or calling
:func:`register`): a detector giving a confidence for a file, and a reader yielding records.
"""

from __future__ import annotations

from collectors import (
    brand24,
    facebook,
    generic,
    instagram,
    mention,
    meta_insights,
    tiktok,
    x,
    youtube,
)
from collectors.base import Format, Source

FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        x.FORMAT,
        facebook.FORMAT,
        meta_insights.FORMAT,
        instagram.FORMAT,
        youtube.FORMAT,
        tiktok.FORMAT,
        brand24.FORMAT,
        mention.FORMAT,
        generic.FORMAT,
    )
}
# Names people may type for a format.
ALIASES = {"twitter": "x", "meta_insights": "meta-insights", "xlsx": "csv", "generic": "csv"}
MIN_CONFIDENCE = 0.1


def register(fmt: Format) -> None:
    """Add (or replace) a format; the importer sees it at once."""
    FORMATS[fmt.name] = fmt


def format_names() -> list[str]:
    """Every format name the ``--format`` option accepts, ``auto`` first."""
    return ["auto", *FORMATS]


def get_format(name: str) -> Format | None:
    """The format called ``name`` (aliases such as ``twitter`` accepted), else ``None``."""
    key = ALIASES.get(name.lower(), name.lower())
    return FORMATS.get(key)


def detect(source: Source) -> tuple[Format | None, float]:
    """The format most confident it can read ``source``, and that confidence; ``(None, 0)``
    when none reaches :data:`MIN_CONFIDENCE`. A detector that fails counts as 0."""
    best: Format | None = None
    best_score = 0.0
    for fmt in FORMATS.values():
        try:
            score = fmt.detect(source)
        except Exception:  # a detector must never stop an import; it just does not claim
            score = 0.0
        if score > best_score:
            best, best_score = fmt, score
    if best_score < MIN_CONFIDENCE:
        return None, 0.0
    return best, best_score
