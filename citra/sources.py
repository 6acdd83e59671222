"""What the Sources page and the CLI need to know about inputs, besides writing them.

The writes (collect, import, undo) are :mod:`citra.pipeline`'s; this module offers the reads and
previews around them: the export formats Citra knows, a table's columns before it is mapped, the
saved column presets, the import history, the starter feed catalogue, a feed tried without
storing, and whether an address is a search feed. Pages call these, never ``collectors``.
"""

from __future__ import annotations

from collectors.catalogue import catalogue_status, enable_catalogue, load_catalogue
from collectors.common import REASONS
from collectors.importer import (
    NeedsColumnMapping,
    Rejected,
    column_presets,
    formats,
    import_history,
    preview_columns,
    remove_column_preset,
    save_column_preset,
)
from collectors.rss import is_search_feed, preview_feed

__all__ = [
    "REASONS",
    "NeedsColumnMapping",
    "Rejected",
    "catalogue_status",
    "column_presets",
    "enable_catalogue",
    "formats",
    "import_history",
    "is_search_feed",
    "load_catalogue",
    "preview_columns",
    "preview_feed",
    "remove_column_preset",
    "save_column_preset",
]
