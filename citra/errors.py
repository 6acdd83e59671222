"""The one error model: an expected failure as an English template, its values and where it is.

Every failure a person can cause (a bad file, a wrong option, a locked database) is a
:class:`CitraError`. It carries

- ``template``: an English sentence with ``{name}`` placeholders, which is also the ``msgid`` of
  its translation in the gettext catalogues (``citra/locale/<lang>/LC_MESSAGES/*.po``);
- ``values``: what fills the placeholders;
- ``location``: where in the input it happened (:class:`Location`: file, and line/row/record...).

``str(error)`` is the English message (logs, the CLI's default); ``error.describe(lang)`` is the
message in the reader's language, with the location in front ("data.csv, baris 17: ..."). Pages
show errors only through ``citra.ui.show_error``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from citra.i18n import translate

# The units a location can count in, each an English template translated like any message.
LOCATION_UNITS: dict[str, str] = {
    "line": "line {n}",
    "row": "row {n}",
    "record": "record {n}",
    "comment": "comment {n}",
    "video": "video {n}",
    "message": "message {n}",
    "entry": "entry {n}",
}


@dataclass(frozen=True)
class Location:
    """Where in an input something happened: a file (as the user named it) and a position in it.

    ``unit`` is a key of :data:`LOCATION_UNITS`; ``number`` counts from 1. Any part may be
    missing: ``Location(file="a.csv")`` is the whole file.
    """

    file: str | None = None
    unit: str | None = None
    number: int | None = None

    def describe(self, lang: str = "en") -> str:
        """``"a.csv, line 17"`` in ``lang`` (``"a.csv, baris 17"``); ``""`` when empty."""
        parts = [self.file] if self.file else []
        if self.unit in LOCATION_UNITS and self.number is not None:
            parts.append(translate(LOCATION_UNITS[self.unit], lang, n=self.number))
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """The location as plain JSON values (for the import history)."""
        return {"file": self.file, "unit": self.unit, "number": self.number}

    @classmethod
    def from_dict(cls, value: dict[str, Any] | None) -> Location | None:
        if not value:
            return None
        number = value.get("number")
        return cls(
            value.get("file"), value.get("unit"), int(number) if number is not None else None
        )


def render(template: str, lang: str = "en", values: dict[str, Any] | None = None) -> str:
    """``template`` translated to ``lang`` and filled from ``values`` (braces kept as written
    when there are no values, so a template may be a plain sentence)."""
    return translate(template, lang, **(values or {}))


class CitraError(Exception):
    """An expected failure with a message fit to show a person (CLI or page), in any language.

    ``CitraError("The tag '{name}' is too long.", name=tag)``; add ``location=Location(...)``
    when the failure is at a place in an input.
    """

    def __init__(self, template: str, /, *, location: Location | None = None, **values: Any):
        self.template = template
        self.values = values
        self.location = location
        super().__init__(self.describe("en"))

    def message(self, lang: str = "en") -> str:
        """The message alone, without the location, in ``lang``."""
        return render(self.template, lang, self.values)

    def describe(self, lang: str = "en") -> str:
        """The message in ``lang``, after the location when there is one."""
        where = self.location.describe(lang) if self.location else ""
        text = self.message(lang)
        return f"{where}: {text}" if where else text

    def as_dict(self) -> dict[str, Any]:
        """Template, values and location as JSON values (stored in the import history)."""
        return {
            "template": self.template,
            "values": {
                k: v if isinstance(v, int | float) else str(v) for k, v in self.values.items()
            },
            "location": self.location.as_dict() if self.location else None,
        }


class DatabaseFileError(CitraError):
    """The database file is missing, corrupt, not SQLite, or from a newer Citra."""


class ImportRejected(CitraError):
    """Nothing in an input could be imported; the message says what and where."""


class DatabaseBusy(CitraError):
    """Another writer held the database longer than the configured wait; nothing was written."""
