"""WhatsApp group chat exports (``.txt``, or the ``.zip`` the phone makes) into chat messages.

Every layout the phones write is read: Android (``31/12/23 21.05 - Budi: halo``) and iOS
(``[31/12/23 21.05.12] Budi: halo``), Indonesian and English locales, 24 h with ``.`` or ``:``,
12 h with am/pm, with or without seconds, 2- or 4-digit years, day-first or month-first (inferred
per file, from dates that can only be read one way, else from which reading keeps the messages in
order). Invisible direction marks and special spaces are removed; a line that does not start a
message continues the one before (even when it starts with a time); system lines and
placeholders (encryption notice, created, joined, added, left, removed, number changed, media
omitted, deleted, edited) are kept apart from members' messages.

The file is read twice, line by line, never whole: once to learn its layout, once to import.
Phone numbers, as senders or inside texts, are never stored: senders as salted hashes, numbers in
texts masked.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from citra.chat_classification import ShareTargets, classify_message
from citra.errors import CitraError
from citra.privacy import keyed_hash, looks_like_phone, normalise_phone
from citra.queries.organisations import get_self
from citra.queries.settings import get_setting
from citra.store import chats as chat_store
from citra.store.imports import import_run
from collectors.limits import SNIFF_BYTES, bounded_lines
from collectors.safezip import check_archive, open_archive, open_member

FORMAT = "whatsapp"
BATCH = 2000

_INVISIBLE = str.maketrans(
    {
        "\u200e": None,
        "\u200f": None,
        "\u202a": None,
        "\u202b": None,
        "\u202c": None,
        "\u200b": None,
        "\ufeff": None,
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)
_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
_TIME = r"\d{1,2}[.:]\d{2}(?:[.:]\d{2})?"
_AMPM = r"[AaPp]\.?\s?[Mm]\.?"
_HEADER = re.compile(
    rf"^(?:\[(?P<bd>{_DATE}),?\s+(?:pukul\s+|at\s+)?(?P<bt>{_TIME})(?:\s*(?P<bap>{_AMPM}))?\]\s*"
    rf"|(?P<ad>{_DATE}),?\s+(?:pukul\s+|at\s+)?(?P<at>{_TIME})(?:\s*(?P<aap>{_AMPM}))?\s+[-–]\s+)"
    r"(?P<rest>.*)$"
)
_DATE_PARTS = re.compile(r"[./-]")
_TIME_PARTS = re.compile(r"[.:]")
_SENDER = re.compile(r"^(?P<sender>[^:]{1,80}?):\s(?P<text>.*)$")
_SENDER_EMPTY = re.compile(r"^(?P<sender>[^:]{1,80}?):$")

_MEDIA = re.compile(
    r"^(?:<media omitted>|<media tidak disertakan>|<media dihilangkan>"
    r"|(?:image|video|audio|sticker|gif|document|contact card|photo) omitted"
    r"|(?:gambar|video|audio|stiker|gif|dokumen|kartu kontak|foto) (?:tidak disertakan|dihilangkan)"
    r"|.*<(?:attached|terlampir|lampiran): [^>]*>"
    r"|.*\((?:file attached|file terlampir)\))",
    re.IGNORECASE | re.DOTALL,
)
_DELETED = re.compile(
    r"^(?:this message was deleted|you deleted this message|pesan ini telah dihapus"
    r"|pesan ini dihapus|anda menghapus pesan ini)\.?$",
    re.IGNORECASE,
)
_EDITED = re.compile(
    r"\s*<(?:this message was edited|pesan ini diedit|pesan ini telah diedit)>$", re.I
)
_NAME = r"[^:]*?"
_SYSTEM_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (event, re.compile(pattern, re.IGNORECASE))
    for event, pattern in (
        (
            "encryption",
            r"^(?:messages and calls are end-to-end encrypted|pesan dan panggilan "
            r"(?:terenkripsi|dienkripsi)|messages to this group are now secured)",
        ),
        ("created", rf"^{_NAME}\s?(?:created group|created this group|membuat grup)"),
        ("joined", rf"^{_NAME}\s?(?:joined using|joined from the community|bergabung)"),
        (
            "number_changed",
            rf"^{_NAME}\s?(?:changed their phone number|changed to \+?\d|"
            r"telah mengganti nomor|mengganti nomor|changed the phone number)",
        ),
        ("added", rf"^{_NAME}\s(?:added|menambahkan)\s"),
        ("removed", rf"^{_NAME}\s(?:removed|mengeluarkan)\s"),
        ("left", rf"^{_NAME}\s(?:left|keluar)\.?$"),
        (
            "changed",
            rf"^{_NAME}\s?(?:changed (?:the|this group's|the group)|mengubah "
            r"(?:subjek|ikon|deskripsi|nama|setelan|pengaturan)|deleted this group's icon|"
            r"menghapus ikon)",
        ),
        ("admin", r"^(?:you're now an admin|you are now an admin|anda sekarang admin)"),
        ("security", r"(?:security code (?:with .*)?changed|kode keamanan .*berubah)"),
        ("disappearing", r"(?:disappearing messages|pesan sementara)"),
    )
)
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?62|0)[\s\-.]?8[\d\s\-.]{7,15}\d(?!\d)")
_GROUP_FROM_NAME = re.compile(
    r"^(?:whatsapp chat (?:with |- |– )|chat whatsapp (?:dengan |- |– )|obrolan whatsapp dengan )",
    re.IGNORECASE,
)


_CHAT_ZIP_MEMBERS = (
    ".txt", ".opus", ".jpg", ".jpeg", ".png", ".mp4", ".webp", ".pdf", ".vcf", ".aac", ".m4a", "/",
)  # fmt: skip


def clean(line: str) -> str:
    """``line`` without invisible direction marks, with special spaces made plain, no newline."""
    return line.rstrip("\r\n").translate(_INVISIBLE)


def sniff(head: str) -> bool:
    """True when ``head`` (the first ~4 KB of a file, decoded) is a WhatsApp chat export: its
    first non-empty line starts like a chat message and so do at least half of its lines that
    carry a date and time."""
    lines = [clean(line) for line in head.splitlines()]
    lines = [line for line in lines if line.strip()]
    if len(lines) > 1 and not head.endswith("\n"):
        lines = lines[:-1]  # the last line may be cut off mid-way
    if not lines or not _HEADER.match(lines[0]):
        return False
    headers = [line for line in lines if _HEADER.match(line)]
    return len(headers) >= max(1, len(lines) // 4)


# --- reading the file ---------------------------------------------------------------------------


@contextmanager
def _open_text(path: Path) -> Iterator[Iterator[str]]:
    """The chat text of ``path`` line by line: a ``.txt`` file, or the ``.txt`` inside a ``.zip``
    (through the archive guard, :mod:`collectors.safezip`). Lines are read with a size limit:
    a line over :data:`collectors.limits.MAX_LINE_CHARS` raises a :class:`CitraError`."""
    if zipfile.is_zipfile(path):
        with open_archive(path, path.name) as archive:
            infos = check_archive(archive, path.name)
            names = [i.filename for i in infos if i.filename.lower().endswith(".txt")]
            if not names:
                raise CitraError(f"{path.name}: the zip holds no chat .txt file.")
            chosen = "_chat.txt" if "_chat.txt" in names else sorted(names, key=len)[0]
            info = archive.getinfo(chosen)
            with open_member(archive, info, f"{path.name}/{chosen}") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
                yield bounded_lines(text, path.name)
        return
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        yield bounded_lines(handle, path.name)


def is_chat_export(path: str | Path) -> bool:
    """Whether ``path`` (a ``.txt``, or a ``.zip`` holding one) is a WhatsApp chat export.
    Reads at most :data:`collectors.limits.SNIFF_BYTES` of it, whatever its lines."""
    path = Path(path)
    if path.is_dir() or not path.exists():
        return False
    try:
        if zipfile.is_zipfile(path):
            with open_archive(path, path.name) as archive:
                infos = check_archive(archive, path.name)
                names = [i.filename for i in infos]
                if not any(n.lower().endswith(".txt") for n in names):
                    return False
                if any(not n.lower().endswith(_CHAT_ZIP_MEMBERS) for n in names):
                    return False
                chats = [i for i in infos if i.filename.lower().endswith(".txt")]
                chosen = next((i for i in chats if i.filename == "_chat.txt"), None)
                chosen = chosen or sorted(chats, key=lambda i: len(i.filename))[0]
                with open_member(archive, chosen, path.name) as raw:
                    head = raw.read(SNIFF_BYTES)
        else:
            with path.open("rb") as raw:
                head = raw.read(SNIFF_BYTES)
    except (CitraError, OSError, zipfile.BadZipFile):
        return False
    return sniff(head.decode("utf-8-sig", errors="replace"))


def group_name_from_file(name: str) -> str:
    """``"WhatsApp Chat with Anggota KSP.txt"`` -> ``"Anggota KSP"``; else the file's stem."""
    stem = Path(name).stem
    stem = re.sub(r"\s*\(\d+\)$", "", stem)  # "... (1)" from a second download
    return _GROUP_FROM_NAME.sub("", stem).strip() or stem


@dataclass(frozen=True)
class Layout:
    """How one file writes its timestamps."""

    order: str  # "dmy", "mdy" or "ymd"
    bracketed: bool
    time_sep: str
    twelve_hour: bool


def _signature(match: re.Match[str]) -> tuple[bool, str, bool]:
    bracketed = match.group("bd") is not None
    time = match.group("bt") if bracketed else match.group("at")
    ampm = match.group("bap") if bracketed else match.group("aap")
    return bracketed, "." if "." in time else ":", ampm is not None


def _date_parts(match: re.Match[str]) -> list[int]:
    text = match.group("bd") or match.group("ad")
    return [int(p) for p in _DATE_PARTS.split(text)]


def detect_layout(lines: Iterator[str], file_name: str) -> Layout:
    """The layout of a chat export, from a first pass over its lines.

    Raises CitraError naming the first line that could not be read when the file does not start
    like a chat export.
    """
    signature: tuple[bool, str, bool] | None = None
    first_big = second_big = False
    four_digit_first = False
    dmy_disorder = mdy_disorder = 0
    last_dmy = last_mdy = (0, 0, 0)
    for number, raw in enumerate(lines, start=1):
        line = clean(raw)
        match = _HEADER.match(line)
        if signature is None:
            if not line.strip():
                continue
            if match is None:
                shown = line if len(line) <= 80 else line[:77] + "..."
                raise CitraError(
                    f"{file_name}, line {number}: not a WhatsApp chat line in any known layout: "
                    f"{shown!r}"
                )
            signature = _signature(match)
        if match is None or _signature(match) != signature:
            continue
        a, b, c = _date_parts(match)
        if a > 31:
            four_digit_first = True
            break
        first_big |= a > 12
        second_big |= b > 12
        dmy, mdy = (c, b, a), (c, a, b)
        dmy_disorder += dmy < last_dmy
        mdy_disorder += mdy < last_mdy
        last_dmy, last_mdy = dmy, mdy
        if first_big or second_big:
            break
    if signature is None:
        raise CitraError(f"{file_name}: the file is empty; it is not a WhatsApp chat export.")
    if four_digit_first:
        order = "ymd"
    elif first_big:
        order = "dmy"
    elif second_big or mdy_disorder < dmy_disorder:
        order = "mdy"
    elif dmy_disorder < mdy_disorder:
        order = "dmy"
    else:
        # Still undecided: 12-hour clocks come with month-first dates (US English phones);
        # Indonesian phones write the day first.
        order = "mdy" if signature[2] else "dmy"

    return Layout(order, signature[0], signature[1], signature[2])


@dataclass
class _Message:
    line: int
    local: str
    sender: str | None
    text: str
    lrm: bool


def _local_time(match: re.Match[str], layout: Layout) -> str:
    bracketed = match.group("bd") is not None
    parts = _date_parts(match)
    if layout.order == "ymd":
        year, month, day = parts
    elif layout.order == "dmy":
        day, month, year = parts
    else:
        month, day, year = parts
    if year < 100:
        year += 2000
    time = match.group("bt") if bracketed else match.group("at")
    pieces = [int(p) for p in _TIME_PARTS.split(time)]
    hour, minute = pieces[0], pieces[1]
    second = pieces[2] if len(pieces) > 2 else 0
    ampm = match.group("bap") if bracketed else match.group("aap")
    if ampm:
        pm = ampm[0] in "pP"
        hour = (hour % 12) + (12 if pm else 0)
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"


def read_messages(lines: Iterator[str], layout: Layout, file_name: str) -> Iterator[_Message]:
    """The messages of a chat export, multi-line messages joined; raises CitraError for a
    timestamp that is no real date or time (file and line named)."""
    current: _Message | None = None
    for number, raw in enumerate(lines, start=1):
        line = clean(raw)
        match = _HEADER.match(line)
        if match is not None and _signature(match) == (
            layout.bracketed,
            layout.time_sep,
            layout.twelve_hour,
        ):
            if current is not None:
                yield current
            try:
                local = _local_time(match, layout)
                datetime.fromisoformat(local)
            except ValueError as exc:
                raise CitraError(
                    f"{file_name}, line {number}: the date or time cannot be read "
                    f"({match.group(0)[:40]!r})."
                ) from exc
            rest = match.group("rest")
            sender_match = _SENDER.match(rest) or _SENDER_EMPTY.match(rest)
            if sender_match is not None:
                text = sender_match.groupdict().get("text") or ""
                # iOS writes system notices as messages "from" the group, text behind a U+200E.
                current = _Message(
                    number, local, sender_match.group("sender").strip(), text, ": \u200e" in raw
                )
            else:
                current = _Message(number, local, None, rest, False)
        elif current is not None:
            current.text += "\n" + line
        elif line.strip():
            raise CitraError(
                f"{file_name}, line {number}: not a WhatsApp chat line in any known layout: "
                f"{line[:80]!r}"
            )
    if current is not None:
        yield current


def system_event(text: str) -> str | None:
    """The kind of system line ``text`` is (``encryption``, ``created``, ``joined``, ``added``,
    ``removed``, ``left``, ``number_changed``, ``changed``, ...), or ``None``."""
    for event, pattern in _SYSTEM_RULES:
        if pattern.search(text):
            return event
    return None


def mask_phones(text: str) -> str:
    """``text`` with every Indonesian phone number replaced by ``[nomor]``."""
    return _PHONE_IN_TEXT.sub("[nomor]", text)


# --- importing ----------------------------------------------------------------------------------


class _Senders:
    """Sender labels of one import resolved to sender rows, each label once."""

    def __init__(self, db: Database, *, is_demo: bool = False):
        self.db = db
        self.is_demo = is_demo
        self.cache: dict[str, tuple[int, int | None, bool, str]] = {}

    def get(self, label: str) -> tuple[int, int | None, bool, str]:
        found = self.cache.get(label)
        if found is None:
            if looks_like_phone(label):
                number = normalise_phone(label)
                key = keyed_hash(self.db, "sender", "phone:" + str(number))
                digest = keyed_hash(self.db, "phone", str(number))
                sender_id, member_id, blocked = chat_store.chat_sender(
                    self.db, key, name=None, phone_hash=digest, is_demo=self.is_demo
                )
                shown = f"#{sender_id}"
            else:
                key = keyed_hash(self.db, "sender", "name:" + " ".join(label.split()).casefold())
                name = mask_phones(label)
                sender_id, member_id, blocked = chat_store.chat_sender(
                    self.db, key, name=name, phone_hash=None, is_demo=self.is_demo
                )
                shown = name
            found = (sender_id, member_id, blocked, shown)
            self.cache[label] = found
        return found


def import_chat(
    db: Database,
    path: str | Path,
    *,
    file_name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    group: str | None = None,
    is_demo: bool = False,
) -> dict[str, Any]:
    """Import a WhatsApp chat export (``.txt`` or ``.zip``) in one transaction.

    ``group`` names the chat group (default: from the file name, "WhatsApp Chat with X" -> X).
    ``progress(lines_read, lines_total)`` is called every few thousand lines and at the end.
    Message ids are stable (group + local time + sender + text + occurrence), so re-importing an
    export adds nothing and a later export adds only its new messages. Times are stored in UTC
    (converted from the installation's timezone); ``first``/``last`` in the summary are local
    ISO 8601 as written in the file (``None`` when it holds no message). ``is_demo`` marks the
    import run and the groups and senders it creates as demo data (``citra demo``). Raises CitraError naming
    the first unreadable line for a file in no known layout; nothing is written then.

    Returns ``format``, ``group``, ``messages`` (human text messages), ``media``, ``deleted``,
    ``system``, ``edited``, ``senders``, ``first``, ``last``, ``added``, ``duplicates``,
    ``erased`` (messages of erased members skipped), ``unmatched_senders`` and ``import_id``.
    """
    path = Path(path)
    shown_name = file_name or path.name
    if not path.exists():
        raise CitraError(f"{path} does not exist.")
    with _open_text(path) as lines:
        layout = detect_layout(lines, shown_name)
    group_name = group or group_name_from_file(shown_name)
    total_lines = 0
    if progress is not None:
        with _open_text(path) as lines:
            total_lines = sum(1 for _ in lines)
    zone = ZoneInfo(get_setting(db, "timezone") or "Asia/Jakarta")
    targets = ShareTargets.from_profile(get_self(db))
    counts = {"messages": 0, "media": 0, "deleted": 0, "system": 0, "edited": 0, "erased": 0}
    first: str | None = None
    last: str | None = None
    occurrences: dict[bytes, int] = {}
    utc_cache: dict[str, str] = {}
    human_senders: set[int] = set()
    unmatched: dict[int, str] = {}
    sha = hashlib.sha256()
    with path.open("rb") as raw_file:
        for chunk in iter(lambda: raw_file.read(1 << 20), b""):
            sha.update(chunk)

    def to_utc(local: str) -> str:
        # One conversion per distinct minute-and-second is plenty; cache by the local string.
        found = utc_cache.get(local)
        if found is None:
            stamp = datetime.fromisoformat(local).replace(tzinfo=zone).astimezone(UTC)
            found = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
            if len(utc_cache) > 50_000:
                utc_cache.clear()
            utc_cache[local] = found
        return found

    with import_run(
        db,
        kind="whatsapp",
        file_name=shown_name,
        file_sha256=sha.hexdigest(),
        format=FORMAT,
        is_demo=is_demo,
    ) as run:
        group_id = chat_store.chat_group_id(db, group_name, is_demo=is_demo)
        group_folded = group_name.casefold()
        group_key = group_folded.encode()
        senders = _Senders(db, is_demo=is_demo)
        batch: list[tuple[Any, ...]] = []

        def flush() -> None:
            added, duplicates = chat_store.insert_chat_messages(db, batch)
            run.added += added
            run.duplicates += duplicates
            batch.clear()

        with _open_text(path) as lines:
            for message in read_messages(lines, layout, shown_name):
                if first is None:
                    first = message.local
                last = message.local
                text = message.text.strip()
                sender_id: int | None = None
                category = event = None
                edited = 0
                if message.sender is None:
                    kind, event = "system", system_event(text) or "other"
                else:
                    sender_id, member_id, blocked, shown = senders.get(message.sender)
                    from_group = message.sender.casefold() == group_folded
                    event = system_event(text) if message.lrm or from_group else None
                    if event is not None:
                        kind, sender_id = "system", None
                    elif blocked:
                        counts["erased"] += 1
                        continue
                    elif _DELETED.match(text):
                        kind, text = "deleted", ""
                    elif _MEDIA.match(text):
                        kind, text = "media", ""
                    else:
                        kind = "text"
                        stripped = _EDITED.sub("", text)
                        edited = int(stripped != text)
                        text = stripped
                        category = classify_message(text, targets)
                    if kind != "system":
                        human_senders.add(sender_id)
                        if member_id is None:
                            unmatched[sender_id] = shown
                counts["messages" if kind == "text" else kind] += 1
                counts["edited"] += edited
                text = mask_phones(text) if text else text
                identity = "\x1f".join(
                    (message.local, str(sender_id or message.sender or ""), text)
                ).encode()
                base = hashlib.blake2b(group_key + b"\x1e" + identity, digest_size=16).digest()
                occurrence = occurrences.get(base, 0)
                occurrences[base] = occurrence + 1
                message_id = hashlib.blake2b(
                    base + occurrence.to_bytes(4, "big"), digest_size=16
                ).hexdigest()
                batch.append(
                    (
                        message_id,
                        group_id,
                        sender_id,
                        to_utc(message.local),
                        message.local,
                        kind,
                        category,
                        event,
                        text or None,
                        edited,
                        run.id,
                    )
                )
                if len(batch) >= BATCH:
                    flush()
                    if progress is not None:
                        progress(message.line, total_lines)
            if batch:
                flush()
        if progress is not None:
            progress(total_lines, total_lines)
        summary = {
            "format": FORMAT,
            "group": group_name,
            **counts,
            "senders": len(human_senders),
            "first": first,
            "last": last,
            "added": run.added,
            "duplicates": run.duplicates,
            "unmatched_senders": sorted(unmatched.values(), key=str.casefold),
            "import_id": run.id,
        }
    return summary
