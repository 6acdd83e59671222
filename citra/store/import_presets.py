"""Writing column-mapping presets for generic CSV/XLSX imports (table ``imports_presets``)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from sqlite_utils import Database

from citra.access import EDITOR, requires
from citra.errors import CitraError
from citra.store.imports import utc_now

PRESET_FIELDS = (
    "id",
    "date",
    "time",
    "title",
    "text",
    "url",
    "author",
    "handle",
    "platform",
    "source",
    "sentiment",
    "reach",
    "likes",
    "comments",
    "shares",
    "views",
    "lang",
)


@requires(EDITOR, action="import preset saved", target="name", detail=lambda a, r: {})
def save_preset(
    db: Database, name: str, mapping: Mapping[str, str], headers: Sequence[str] = ()
) -> int:
    """Create or replace the preset ``name``: ``mapping`` is ``{field: header}`` (fields from
    :data:`PRESET_FIELDS`; empty headers dropped), ``headers`` the file's header row it was
    made for (a file with exactly these headers gets the preset automatically). Returns its id.

    Raises :class:`CitraError` for an empty name, an unknown field, or a mapping without the
    date and text columns.
    """
    name = " ".join(str(name).split())
    if not name:
        raise CitraError("A preset needs a name.")
    clean = {field: str(header) for field, header in mapping.items() if header}
    unknown = sorted(set(clean) - set(PRESET_FIELDS))
    if unknown:
        raise CitraError("Unknown field(s) in the preset: {fields}.", fields=", ".join(unknown))
    if "date" not in clean or "text" not in clean:
        raise CitraError("A preset must say which column holds the date and which the text.")
    with db.atomic():
        db.execute(
            "INSERT INTO imports_presets (name, headers, mapping, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET headers = excluded.headers, "
            "mapping = excluded.mapping, updated_at = excluded.updated_at",
            [
                name,
                json.dumps(list(headers), ensure_ascii=False),
                json.dumps(clean, ensure_ascii=False),
                utc_now(),
            ],
        )
        row = db.execute("SELECT id FROM imports_presets WHERE name = ?", [name]).fetchone()
    return int(row[0])


@requires(EDITOR, action="import preset removed", target="name")
def delete_preset(db: Database, name: str) -> bool:
    """Delete the preset ``name``; ``False`` if there was none."""
    with db.atomic():
        cursor = db.execute("DELETE FROM imports_presets WHERE name = ?", [name])
    return cursor.rowcount > 0
