"""Member ambassadors (duta koperasi): the members who shared the coop's news or products in a
month, by the rule the coop chooses, as a list the shop or the savings office can reward from.

A **share** is one of: a public post about the coop under a handle linked to the member
(``member_public_shares``), a WhatsApp message of the member that shares the coop's links or
forwards its news (category ``share``, ``citra.chat_classification``), or a share recorded by
hand. A public post on a day the member attended an event (RAT, meeting, training) is counted
as a share and flagged as an attendance-day post. The rule: at least ``min_shares`` shares in
the local calendar month (setting ``ambassador_min_shares``, default :data:`DEFAULT_MIN_SHARES`).

Member numbers, names and the links of their posts are personal data: they are filled only for
roles that may see names (``citra.access.can_see_names``); otherwise the list keeps the branch
and the counts. The export goes through :mod:`citra.exports` like every other: CSV cells through
``csv_text`` (formula-looking text neutralised), XLSX text with Excel's quote prefix, the file
created 0600 (``private_file``) before a name is written to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from citra.errors import CitraError
from citra.exports import csv_text, looks_like_formula, private_file, safe_url
from citra.filters import Filters, month_days
from citra.i18n import translate
from citra.queries.narratives import member_shares
from citra.queries.settings import get_setting

DEFAULT_MIN_SHARES = 3
SETTING = "ambassador_min_shares"
LINKS_SHOWN = 10
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
COLUMNS = ("member_no", "name", "branch", "shares", "public", "whatsapp", "manual", "event_day",
           "links")  # fmt: skip
HEADERS = {
    "member_no": "Member number",
    "name": "Name",
    "branch": "Branch",
    "shares": "Shares",
    "public": "Public posts",
    "whatsapp": "WhatsApp shares",
    "manual": "Recorded by hand",
    "event_day": "Attendance-day posts",
    "links": "Links",
}


@dataclass(frozen=True)
class Ambassador:
    """One member meeting the rule: ``member_no`` and ``name`` ``None`` when hidden; ``links``
    their shared links (http(s) only; empty when hidden)."""

    member_no: str | None
    name: str | None
    branch: str | None
    shares: int
    public: int
    whatsapp: int
    manual: int
    event_day: int
    links: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["links"] = list(self.links)
        return data


def min_shares(db: Database) -> int:
    """The coop's rule: shares a month needed (``ambassador_min_shares``, default 3)."""
    value = get_setting(db, SETTING)
    try:
        return max(int(value), 1) if value is not None else DEFAULT_MIN_SHARES
    except (TypeError, ValueError):
        return DEFAULT_MIN_SHARES


def month_range(db: Database, month: str) -> Filters:
    """The local calendar month ``YYYY-MM`` as filters; :class:`CitraError` if not a month."""
    try:
        first, last = month_days(month.strip())
    except ValueError:
        raise CitraError(
            "'{month}' is not a month: write it as YYYY-MM, e.g. 2026-11.", month=month
        ) from None
    return Filters.for_days(first, last, tz=str(get_setting(db, "timezone")))


def ambassadors(
    db: Database, month: str, *, rule: int | None = None, show_names: bool = False
) -> list[Ambassador]:
    """The members with at least ``rule`` (default :func:`min_shares`) shares in ``month``,
    most shares first, then by branch. Names, numbers and links only with ``show_names``."""
    needed = rule if rule is not None else min_shares(db)
    period = month_range(db, month)
    by_member: dict[int, dict[str, Any]] = {}
    for share in member_shares(db, period.start, period.end, show_names=show_names):
        entry = by_member.setdefault(
            share["member_id"],
            {
                "member_no": share["member_no"],
                "name": share["name"],
                "branch": share["branch"],
                "public": 0,
                "whatsapp": 0,
                "manual": 0,
                "event_day": 0,
                "links": [],
            },
        )
        entry[share["kind"]] += 1
        if share["kind"] == "public" and share["event_day"]:
            entry["event_day"] += 1
        if show_names:
            found = [share["url"]] if share["url"] else _URL.findall(share["text"] or "")
            entry["links"] += [u for u in (safe_url(x) for x in found) if u]
    chosen = []
    for entry in by_member.values():
        total = entry["public"] + entry["whatsapp"] + entry["manual"]
        if total < needed:
            continue
        links = tuple(dict.fromkeys(entry.pop("links")))[:LINKS_SHOWN]
        chosen.append(Ambassador(shares=total, links=links, **entry))
    chosen.sort(key=lambda a: (-a.shares, a.branch or "", a.member_no or ""))
    return chosen


def _rows(found: list[Ambassador], show_names: bool) -> tuple[list[str], list[list[Any]]]:
    columns = [c for c in COLUMNS if show_names or c not in ("member_no", "name", "links")]
    rows = []
    for item in found:
        data = item.as_dict()
        data["links"] = " ".join(item.links)
        rows.append([data[c] for c in columns])
    return columns, rows


def export(
    found: list[Ambassador], path: str | Path, *, lang: str = "id", show_names: bool = False
) -> Path:
    """Write the list to ``path`` (``.csv`` or ``.xlsx``, by its ending); without
    ``show_names`` the member number, name and links columns are left out. Returns the path.
    Raises :class:`CitraError` for another ending. The file is created with mode 0600."""
    out = Path(path)
    columns, rows = _rows(found, show_names)
    headers = [translate(HEADERS[c], lang) for c in columns]
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CitraError("Write the list as .csv or .xlsx, not '{name}'.", name=out.name)
    private_file(out)
    if suffix == ".csv":
        text = csv_text(headers, (dict(zip(headers, row, strict=True)) for row in rows))
        with out.open("w", encoding="utf-8-sig", newline="") as handle:
            handle.write(text)
        return out
    import xlsxwriter

    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    try:
        sheet = book.add_worksheet(translate("Ambassadors", lang)[:31])
        bold = book.add_format({"bold": True})
        quoted = book.add_format({"quote_prefix": True})
        for column, header in enumerate(headers):
            sheet.write_string(0, column, header, bold)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if isinstance(value, int | float):
                    sheet.write_number(number, column, value)
                elif value is None:
                    sheet.write_blank(number, column, None)
                elif looks_like_formula(str(value)):
                    sheet.write_string(number, column, str(value), quoted)
                else:
                    sheet.write_string(number, column, str(value))
    finally:
        book.close()
    return out


def export_bytes(
    db: Database, month: str, suffix: str, *, lang: str = "id", show_names: bool = False
) -> bytes:
    """The month's list as the bytes of a ``.csv`` or ``.xlsx`` file (a page's download)."""
    import tempfile

    found = ambassadors(db, month, show_names=show_names)
    with tempfile.TemporaryDirectory() as folder:
        path = export(
            found, Path(folder) / f"ambassadors{suffix}", lang=lang, show_names=show_names
        )
        return path.read_bytes()
