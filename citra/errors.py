"""The one error model: an expected failure as an English template, its values and where it is.

Every failure a person can cause (a bad file, a wrong option, a locked database) is a
:class:`CitraError`. It carries

- ``template``: an English sentence with ``{name}`` placeholders, which is also the ``msgid`` of
  its translation in the gettext catalogues (``citra/locale/<lang>/LC_MESSAGES/*.po``);
- ``values``: what fills the placeholders;
- ``location``: where in the input it happened (:class:`Location`: file, and line/row/record...).

Values that are text pass through :func:`citra.masking.mask_personal` when an error is shown or
stored, so a phone number, NIK or e-mail address read from an input never reaches a message, the
import history or a log.

``str(error)`` is the English message (logs, the CLI's default); ``error.describe(lang)`` is the
message in the reader's language, with the location in front ("data.csv, baris 17: ..."). Pages
show errors only through ``citra.ui.show_error``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from citra.i18n import translate
from citra.masking import mask_personal

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

    def in_file(self, file: str | None) -> Location:
        """The same place, in ``file`` (a member of an archive, say); ``None`` keeps it."""
        return replace(self, file=file) if file else self

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
    when the failure is at a place in an input. A value may itself be a :class:`CitraError` (or
    a list of them): it is rendered in the same language (``"not a readable feed: {reason}"``).
    The same class also carries messages that are reported rather than raised (a rejected row,
    a feed that failed).
    """

    def __init__(self, template: str, /, *, location: Location | None = None, **values: Any):
        self.template = template
        self.values = values
        self.location = location
        # The English text is made when asked for (str, logs): readers build many rejections.
        super().__init__(template)

    def __str__(self) -> str:
        return self.describe("en")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle and deepcopy keep template, values and location (subclasses take other
        # constructor arguments, so the instance is rebuilt without calling __init__).
        return (_restore, (type(self), self.args, self.__dict__))

    def message(self, lang: str = "en", escape: Callable[[str], str] | None = None) -> str:
        """The message alone, without the location, in ``lang``; ``escape`` is applied to each
        text value (``citra.formatting.plain`` for a page, which renders Markdown)."""
        values = {k: _shown(v, lang, escape) for k, v in self.values.items()}
        return render(self.template, lang, values)

    def describe(self, lang: str = "en", escape: Callable[[str], str] | None = None) -> str:
        """The message in ``lang``, after the location when there is one (``escape``: see
        :meth:`message`)."""
        where = self.location.describe(lang) if self.location else ""
        if where and escape is not None:
            where = escape(where)
        text = self.message(lang, escape)
        return f"{where}: {text}" if where else text

    def in_file(self, file: str | None) -> CitraError:
        """The same error placed in ``file`` (its line or record kept): a reader's rejection in
        an archive member, a feed's warning under the feed's address. ``None``: unchanged."""
        if not file:
            return self
        moved = copy.copy(self)
        moved.location = (self.location or Location()).in_file(file)
        return moved

    def as_dict(self) -> dict[str, Any]:
        """Template, values and location as JSON values (stored in the import history)."""
        return {
            "template": self.template,
            "values": {k: _stored(v) for k, v in self.values.items()},
            "location": self.location.as_dict() if self.location else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CitraError:
        """The error :meth:`as_dict` gave, rebuilt (nested errors too).

        Also reads what older versions stored, ``{"where": "a.csv, line 3", "reason": "..."}``
        in English: the place becomes a :class:`Location` and the reason the template.
        """
        if "template" not in data:
            return _legacy(str(data.get("where") or ""), str(data.get("reason") or ""))
        values = {k: _loaded(v) for k, v in (data.get("values") or {}).items()}
        return cls(
            str(data["template"]), location=Location.from_dict(data.get("location")), **values
        )


def _restore(cls: type[CitraError], args: tuple[Any, ...], state: dict[str, Any]) -> CitraError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


def _shown(value: Any, lang: str, escape: Callable[[str], str] | None = None) -> Any:
    if isinstance(value, CitraError):
        return value.describe(lang, escape)
    if isinstance(value, list | tuple) and value and isinstance(value[0], CitraError):
        return "; ".join(item.describe(lang, escape) for item in value)
    if not isinstance(value, str):
        return value
    # No phone number, NIK or e-mail address reaches a message (citra.masking).
    value = mask_personal(value)
    return escape(value) if escape is not None else value


def _stored(value: Any) -> Any:
    if isinstance(value, CitraError):
        return value.as_dict()
    if isinstance(value, list | tuple) and value and isinstance(value[0], CitraError):
        return [item.as_dict() for item in value]
    return value if isinstance(value, int | float) else mask_personal(str(value))


def _loaded(value: Any) -> Any:
    if isinstance(value, dict) and "template" in value:
        return CitraError.from_dict(value)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [CitraError.from_dict(item) for item in value]
    return value


_LEGACY_WHERE = re.compile(rf"^(?:(?P<file>.+), )?(?P<unit>{'|'.join(LOCATION_UNITS)}) (?P<n>\d+)$")
_LEGACY_VALUE = re.compile(r"^(?P<phrase>[^:{}]+): '(?P<value>.*)'$", re.DOTALL)


def _legacy(where: str, reason: str) -> CitraError:
    """An entry of the old history format as an error (the fixed phrase still translates)."""
    match = _LEGACY_WHERE.match(where)
    if match:
        location = Location(match["file"], match["unit"], int(match["n"]))
    else:
        location = Location(file=where) if where else None
    quoted = _LEGACY_VALUE.match(reason)
    if quoted:
        return CitraError(
            quoted["phrase"] + ": '{value}'", location=location, value=quoted["value"]
        )
    return CitraError(reason, location=location)


def error_entry(error: CitraError) -> dict[str, Any]:
    """How the import history stores an error: :meth:`CitraError.as_dict` plus, for scripts
    reading ``--json`` output and older readers, the English ``where`` and ``reason``."""
    return {
        "where": error.location.describe("en") if error.location else "",
        "reason": error.message("en"),
        **error.as_dict(),
    }


class DatabaseFileError(CitraError):
    """The database file is missing, corrupt, not SQLite, or from a newer Citra."""


class ImportRejected(CitraError):
    """Nothing in an input could be imported; the message says what and where."""


class DatabaseBusy(CitraError):
    """Another writer held the database longer than the configured wait; nothing was written."""
