"""Member registries and attendance lists (CSV or XLSX, Indonesian or English headers).

A registry row: member number, name, phone(s), join date, status, branch/unit and optional social
handles. An attendance row: member number (or name, or phone), attended, and optionally whether
the member asked a question or made a proposal. Headers are matched through aliases, case and
punctuation ignored ("No. Anggota", "member number", "Nomor HP", "Phone"). Phone numbers are
hashed the moment they are read; they never reach the database in clear.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from citra.errors import CitraError, ImportRejected, Location
from citra.privacy import normalise_phone, phone_hash
from citra.queries import member_registry
from citra.store import member_registry as member_store
from citra.store.imports import import_run
from collectors.base import Source
from collectors.common import Rejection
from collectors.dates import parse_day
from collectors.tabular import is_xlsx, xlsx_rows
from collectors.textfiles import decode_head, iter_csv, open_text, sniff_delimiter

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "member_no": (
        "member no",
        "member number",
        "member id",
        "membership number",
        "no anggota",
        "nomor anggota",
        "id anggota",
        "kode anggota",
        "nia",
        "no induk anggota",
    ),
    "name": ("name", "full name", "member name", "nama", "nama anggota", "nama lengkap"),
    "phone": (
        "phone",
        "phone number",
        "phones",
        "mobile",
        "mobile number",
        "whatsapp",
        "wa",
        "no wa",
        "nomor wa",
        "telepon",
        "no telepon",
        "nomor telepon",
        "no telp",
        "telp",
        "hp",
        "no hp",
        "nomor hp",
        "handphone",
        "no handphone",
    ),
    "join_date": (
        "join date",
        "joined",
        "joined on",
        "member since",
        "date joined",
        "tanggal masuk",
        "tgl masuk",
        "tanggal bergabung",
        "tgl bergabung",
        "tanggal daftar",
        "tgl daftar",
    ),
    "status": ("status", "member status", "status anggota", "keanggotaan"),
    "branch": (
        "branch",
        "unit",
        "office",
        "cabang",
        "kantor cabang",
        "unit kerja",
        "tpk",
        "wilayah",
    ),
    "instagram": ("instagram", "ig"),
    "x": ("x", "twitter", "x twitter"),
    "tiktok": ("tiktok",),
    "facebook": ("facebook", "fb"),
    "youtube": ("youtube",),
    "attended": ("attended", "present", "attendance", "hadir", "kehadiran"),
    "asked": ("asked", "asked a question", "question", "bertanya", "pertanyaan", "tanya"),
    "proposed": (
        "proposed",
        "made a proposal",
        "proposal",
        "suggestion",
        "usul",
        "usulan",
        "saran",
        "mengusulkan",
    ),
}
HANDLE_PLATFORMS = ("instagram", "x", "tiktok", "facebook", "youtube")
_STATUS_WORDS = {
    "active": ("aktif", "active", "a", "ya", "yes", "1", ""),
    "inactive": ("tidak aktif", "nonaktif", "non aktif", "non-aktif", "inactive", "pasif"),
    "left": ("keluar", "left", "berhenti", "resigned", "meninggal", "deceased", "dikeluarkan"),
}
_YES = {"1", "y", "ya", "yes", "true", "x", "v", "✓", "hadir", "present", "ok"}
_NO = {"", "0", "n", "no", "tidak", "t", "false", "-", "absen", "tidak hadir", "absent"}
_ALIAS_INDEX = {alias: field for field, aliases in HEADER_ALIASES.items() for alias in aliases}


def normalise_header(text: Any) -> str:
    """``" No. Anggota* "`` -> ``"no anggota"``."""
    return " ".join(re.sub(r"[^\w]+", " ", str(text or "").casefold()).replace("_", " ").split())


def map_headers(headers: Sequence[Any]) -> dict[int, str]:
    """Column index -> field for the headers Citra knows; extra phone columns ("HP 2",
    "phone2") are phones too; unknown columns are ignored."""
    found: dict[int, str] = {}
    for index, header in enumerate(headers):
        key = normalise_header(header)
        field = _ALIAS_INDEX.get(key)
        if field is None:
            stripped = re.sub(r"\s*\d+$", "", key)
            field = "phone" if _ALIAS_INDEX.get(stripped) == "phone" else None
        if field is not None and (field == "phone" or field not in found.values()):
            found[index] = field
    return found


class UnreadableCell(CitraError, ValueError):
    """A cell that is not what its column needs (a status, a yes or no); a ``ValueError`` too."""


def read_rows(path: Path, name: str | None = None) -> Iterator[tuple[int, list[Any] | Rejection]]:
    """``(line number, cells)`` of a CSV or XLSX file, header row included (line 1), read the
    way mention exports are (:mod:`collectors.tabular`, :mod:`collectors.textfiles`): sniffed
    encoding (UTF-8, UTF-16, Windows-1252) and delimiter, bounded lines, the workbook through the
    archive guard. A row too large to keep comes as ``(line, Rejection)``. Blank rows are skipped.
    Raises :class:`CitraError` (a :class:`FormatError`) for a file that cannot be read."""
    name = name or path.name
    source = Source(name=name, size=path.stat().st_size, opener=lambda: path.open("rb"))
    if path.suffix.lower() in (".xlsx", ".xlsm") or is_xlsx(source):
        with xlsx_rows(source, data_only=True) as rows:
            for number, row in rows:
                yield number, list(row)
        return
    head = source.read_head()
    with open_text(source.open(), head) as stream:
        yield from iter_csv(stream, sniff_delimiter(decode_head(head)), name)


def parse_status(value: Any) -> str:
    """``"Aktif"`` -> ``active``, ``"Keluar"`` -> ``left``; raises :class:`UnreadableCell`
    (a ``ValueError``) otherwise."""
    text = normalise_header(value)
    for status, words in _STATUS_WORDS.items():
        if text in words:
            return status
    # The cell is never echoed: a shifted column puts a name or a phone number here.
    raise UnreadableCell("status unreadable (use active, inactive or left; the cell is not shown)")


def parse_flag(value: Any, default: bool) -> bool:
    """A yes/no cell (``ya``, ``hadir``, ``x``, ``1``, ``tidak``, ...); empty gives ``default``."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value) if isinstance(value, int | float) else normalise_header(value)
    if text in ("", "none") and default:
        return default
    if text in _YES or text in ("1.0", "true"):
        return True
    if text in _NO or text in ("0.0", "false"):
        return False
    raise UnreadableCell("a yes/no cell is neither yes nor no (the cell is not shown)")


def _cell(row: list[Any], index: int) -> Any:
    return row[index] if index < len(row) else None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value if value is not None else "").split())


def _phones(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, int | float):
        return [_text(value)]
    return [p for p in re.split(r"[,;/|\n]+", str(value)) if p.strip()]


def _fields(row: list[Any], columns: dict[int, str]) -> tuple[dict[str, Any], list[str]]:
    """A row's cells by field (``columns``: column index -> field), with its phone numbers (a
    phone column may hold several) apart."""
    values: dict[str, Any] = {}
    phones: list[str] = []
    for index, field in columns.items():
        if field == "phone":
            phones.extend(_phones(_cell(row, index)))
        else:
            values[field] = _cell(row, index)
    return values, phones


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _header_row(
    rows: Iterator[tuple[int, list[Any] | Rejection]], path: Path
) -> tuple[int, dict[int, str]]:
    """The first non-empty row as ``(line number, mapped columns)``; ImportRejected for a file
    whose header row cannot be read, or an empty one."""
    for number, row in rows:
        if isinstance(row, Rejection):
            raise ImportRejected(
                "The header row cannot be read ({reason}).",
                location=Location(file=path.name, unit="line", number=number),
                reason=row,
            )
        if any(_text(c) for c in row):
            return number, map_headers(row)
    raise ImportRejected("the file is empty.", location=Location(file=path.name))


def _header(
    rows: Iterator[tuple[int, list[Any] | Rejection]], path: Path, needed: str
) -> dict[int, str]:
    number, columns = _header_row(rows, path)
    if needed not in columns.values():
        known = ", ".join(HEADER_ALIASES[needed][:4])
        raise ImportRejected(
            "no member number column (expected a header such as {known}).",
            location=Location(path.name, "line", number),
            known=known,
        )
    return columns


def import_registry(db: Database, path: str | Path, *, file_name: str | None = None) -> dict:
    """Import a member registry in one transaction; re-importing updates, never duplicates.

    Returns ``added``, ``updated``, ``unchanged``, ``skipped_erased`` (members erased at their
    request, not brought back), ``rejected``, ``errors`` (entries as
    :func:`citra.errors.error_entry` gives them, ``where`` like ``"file, line N"``) and
    ``import_id``. A file with no member-number column imports nothing.
    """
    path = Path(path)
    name = file_name or path.name
    if not path.exists():
        raise CitraError("{file} does not exist.", file=str(path))
    outcomes = {"added": 0, "updated": 0, "unchanged": 0, "forgotten": 0}
    rows = read_rows(path, name)
    columns = _header(rows, path, "member_no")
    with import_run(db, kind="members", file_name=name, file_sha256=_sha256(path)) as run:
        for number, row in rows:
            if isinstance(row, Rejection):
                run.reject(row.in_file(name))
                continue
            values, phones = _fields(row, columns)
            if not any(_text(c) for c in row):
                continue
            where = Location(name, "line", number)
            member_no = _text(values.get("member_no"))
            if not member_no:
                run.reject(CitraError("no member number", location=where))
                continue
            try:
                join_date = parse_day(values.get("join_date"))
            except (ValueError, OverflowError):
                run.reject(
                    CitraError(
                        "join date unreadable (write it as 2024-03-01 or 01/03/2024; the cell is "
                        "not shown, it may hold personal data)",
                        location=where,
                    )
                )
                continue
            try:
                status = parse_status(values.get("status"))
            except UnreadableCell as exc:
                run.reject(CitraError(exc.template, location=where, **exc.values))
                continue
            hashes = []
            for phone in phones:
                if normalise_phone(phone) is None:
                    run.note(CitraError("a phone number is not a number; left out", location=where))
                    continue
                hashes.append(str(phone_hash(db, phone)))
            outcome = member_store.upsert_member(
                db,
                member_no=member_no,
                name=_text(values.get("name")) or None,
                join_date=join_date,
                status=status,
                branch=_text(values.get("branch")) or None,
                phone_hashes=hashes,
                handles={p: _text(values.get(p)) for p in HANDLE_PLATFORMS if values.get(p)},
                import_id=run.id,
            )
            outcomes[outcome] += 1
        run.added = outcomes["added"]
        run.duplicates = outcomes["updated"] + outcomes["unchanged"]
        summary = run.summary()
    return {
        "added": outcomes["added"],
        "updated": outcomes["updated"],
        "unchanged": outcomes["unchanged"],
        "skipped_erased": outcomes["forgotten"],
        "rejected": summary["rejected"],
        "errors": summary["errors"],
        "import_id": summary["import_id"],
    }


def import_attendance(
    db: Database, event_id: int, path: str | Path, *, file_name: str | None = None
) -> dict:
    """Import an event's attendance list in one transaction.

    Each row names a member by number, else phone, else a name exactly one member has. Rows for
    unknown members are not dropped silently: they are listed in ``unknown`` (file line and the
    number or name given; a phone is never echoed) and recorded with the import. Returns
    ``added``, ``updated``, ``unknown``, ``rejected``, ``errors``, ``import_id``.
    """
    path = Path(path)
    name = file_name or path.name
    if not path.exists():
        raise CitraError("{file} does not exist.", file=str(path))
    rows = read_rows(path, name)
    columns = _header_any(rows, path)
    unknown: list[dict[str, Any]] = []
    added = updated = 0
    with import_run(db, kind="attendance", file_name=name, file_sha256=_sha256(path)) as run:
        for number, row in rows:
            if isinstance(row, Rejection):
                run.reject(row.in_file(name))
                continue
            if not any(_text(c) for c in row):
                continue
            values, phones = _fields(row, columns)
            where = Location(name, "line", number)
            try:
                attended = parse_flag(values.get("attended"), True)
                asked = parse_flag(values.get("asked"), False)
                proposed = parse_flag(values.get("proposed"), False)
            except UnreadableCell as exc:
                run.reject(CitraError(exc.template, location=where, **exc.values))
                continue
            member_id = _find_member(db, values, phones)
            if member_id is None:
                # A member number is shown back; a name or a phone number never is.
                given = _text(values.get("member_no"))
                unknown.append({"line": number, "member": given or "a name or phone number"})
                if given:
                    run.reject(
                        CitraError(
                            "member not in the registry: {member}", location=where, member=given
                        )
                    )
                else:
                    run.reject(
                        CitraError(
                            "member not in the registry: a name or phone number", location=where
                        )
                    )
                continue
            is_new = member_store.record_attendance(
                db,
                event_id,
                member_id,
                attended=attended,
                asked=asked,
                proposed=proposed,
                import_id=run.id,
            )
            added += is_new
            updated += not is_new
        run.added, run.duplicates = added, updated
        summary = run.summary()
    return {
        "added": added,
        "updated": updated,
        "unknown": unknown,
        "rejected": summary["rejected"] - len(unknown),
        "errors": summary["errors"],
        "import_id": summary["import_id"],
    }


def _header_any(rows: Iterator[tuple[int, list[Any] | Rejection]], path: Path) -> dict[int, str]:
    number, columns = _header_row(rows, path)
    if not {"member_no", "name", "phone"} & set(columns.values()):
        raise ImportRejected(
            "no column naming the member (expected a header such as 'No Anggota', 'Nama', "
            "'No HP', 'member number', 'name' or 'phone').",
            location=Location(path.name, "line", number),
        )
    return columns


def _find_member(db: Database, values: dict[str, Any], phones: list[str]) -> int | None:
    member_no = _text(values.get("member_no"))
    if member_no:
        return member_registry.find_member(db, member_no=member_no)
    for phone in phones:
        digest = phone_hash(db, phone)
        found = member_registry.find_member(db, phone_hash=digest) if digest else None
        if found is not None:
            return found
    name = _text(values.get("name"))
    return member_registry.find_member(db, name=name) if name else None
