"""The format registry: one entry adds a format; chat exports never fall to the CSV reader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from collectors import registry
from collectors.base import Format, ReadContext, Source
from collectors.common import Record, Rejection
from collectors.importer import import_path
from tests.conftest import ROOT

CHAT = "12/31/24, 10:00 - Sari: Kapan RAT, pak?\n12/31/24, 10:01 - Budi: Sabtu depan\n"
GUESTBOOK = "GUESTBOOK v1\nSari: Kapan RAT, pak?\nBudi: Sabtu depan\n"


def _guestbook_detect(source: Source) -> float:
    return 0.9 if source.read_head().startswith(b"GUESTBOOK v1") else 0


def _guestbook_read(source: Source, ctx: ReadContext) -> Iterator[Record | Rejection]:
    for number, line in enumerate(source.read_head().decode().splitlines()[1:], 1):
        yield {
            "native_id": f"guestbook-{number}",
            "platform": "other",
            "text": line,
            "published_at": "2024-12-31T03:00:00Z",
        }


@pytest.fixture
def guestbook_format():
    fmt = Format(
        name="guestbook", title="Guestbook", detect=_guestbook_detect, read=_guestbook_read
    )
    registry.register(fmt)
    yield fmt
    registry.FORMATS.pop(fmt.name)


def test_a_registered_format_is_used_by_the_importer(db, tmp_path: Path, guestbook_format) -> None:
    book = tmp_path / "tamu.txt"
    book.write_text(GUESTBOOK, encoding="utf-8")
    summary = import_path(db, book)
    assert (summary["format"], summary["added"]) == ("guestbook", 2)
    assert "guestbook" in registry.format_names()


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("chat.txt", CHAT, None),
        ("chat.txt", "[31/12/24 10.00.00] Sari: halo\n[31/12/24 10.01.00] Budi: ya\n", None),
        ("data.txt", "date\ttext\n2024-01-01\thalo\n2024-01-02\tya\n", "csv"),
        ("data.csv", "date,text\n2024-01-01,halo\n", "csv"),
        ("notes.md", "# heading\n", None),
    ],
)
def test_chat_text_is_never_csv(tmp_path: Path, name: str, text: str, expected: str | None) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    found, _ = registry.detect(Source(name=name, size=len(text), opener=lambda: path.open("rb")))
    assert (found.name if found else None) == expected


@pytest.mark.parametrize(
    "command", ["`import PATH`", "`imports list`", "`imports undo ID`", "`imports presets list`"]
)
def test_readme_lists_the_commands(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Imports", 1)[1].split("\n### ", 1)[0]
    assert f"| {command} |" in section
