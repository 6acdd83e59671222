"""One message-catalogue mechanism for the UI: gettext ``.po`` files, read with Babel.

Source strings (``msgid``) are English; ``citra/locale/<lang>/LC_MESSAGES/*.po`` hold the
translations, one file per area so that areas never edit the same file. Reading ``.po`` directly
(no compiled ``.mo``) keeps the catalogues editable in any gettext tool (Poedit, Weblate) with no
build step. A missing translation falls back to the English source string.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All translations for ``lang`` as ``{msgid: msgstr}``, merged from every ``.po`` file."""
    messages: dict[str, str] = {}
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    for po_file in sorted(folder.glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and message.string and not message.fuzzy:
                    messages[str(message.id)] = str(message.string)
    return messages


def translate(message: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """``message`` in ``lang``, with ``{name}`` placeholders filled from ``values``."""
    text = catalogue(lang).get(message, message) if lang != "en" else message
    return text.format(**values) if values else text


class Translator:
    """A ``_``-style callable bound to one language: ``_ = Translator("id"); _("Mentions")``."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE):
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE

    def __call__(self, message: str, **values: object) -> str:
        return translate(message, self.lang, **values)
