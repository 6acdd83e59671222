"""WhatsApp group chat exports (``.txt``, or the ``.zip`` the phone makes) into chat messages.

Every layout the phones write is read: Android (``31/12/23 21.05 - Budi: halo``), iOS
(``[31/12/23 21.05.12] Budi: halo``), older iOS (``13.06.18 21.25.15: Budi: halo``), a word
between date and time (Finnish ``klo``, French ``à``, Indonesian ``pukul``), dotted dates with
spaces and no dash (``13. 6. 2018. 21:25:15 Budi: halo``), ``.``/``:``/``-``/``/`` separators,
12 h with am/pm (``p. m.`` too), with or without seconds, 2- or 4-digit years, day-first,
month-first or year-first.

The layout is found by sampling the first lines (the most common timestamp shape wins, so a
message that quotes another chat's line does not change it); only lines in that shape start a
message, any other line continues the one before. Day/month order is decided per file from all
of its dates: a part above 12 settles it; otherwise the reading that keeps the messages in time
order, else the layout's usual order, and the summary says the order was not certain.

Placeholders and system lines are recognised in every phone language of
:mod:`collectors.whatsapp_locales` (media, documents, attachments, deleted, edited, view-once,
missed calls, encryption notice, created, subject, joined, added, removed, left, number
changed...). A photo's caption after its placeholder is kept as the member's text. The group is
named after the name the chat itself gives (iOS signs system lines with it; "created group" and
"changed the subject" lines say it), else after the file.

The file is read three times, line by line, never whole: a sample to learn its layout, a survey
(dates, the group's name, the line count), the import. Phone numbers, as senders or inside texts,
are never stored: senders as salted hashes, numbers in texts masked
(:func:`citra.masking.mask_personal`, with NIK numbers and e-mail addresses).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from citra.chat_classification import ShareTargets, classify_message
from citra.errors import CitraError, Location
from citra.privacy import keyed_hash, looks_like_phone, mask_personal, mask_phones, normalise_phone
from citra.queries.organisations import get_self
from citra.queries.settings import get_setting
from citra.store import chats as chat_store
from citra.store.imports import import_run
from collectors import whatsapp_locales as words
from collectors.whatsapp_locales import quoted_name, system_event

__all__ = [
    "FORMAT",
    "UNREADABLE_LAYOUT",
    "Layout",
    "clean",
    "detect_layout",
    "group_name_from_file",
    "import_chat",
    "is_chat_export",
    "mask_phones",
    "read_messages",
    "sniff",
    "system_event",
    "unreadable_start",
]
from collectors.limits import FIELD_CAPS, SNIFF_BYTES, bounded_lines
from collectors.safezip import check_archive, open_archive, open_member

FORMAT = "whatsapp"
BATCH = 2000
SAMPLE_LINES = 5000
# The layout's shape must start at least this share of the sampled non-empty lines (the rest
# are continuation lines of multi-line messages).
MIN_HEADER_LINES = 20
MIN_HEADER_SHARE = 0.1

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
# One timestamp shape for every layout; which of its variants a file uses is its Layout.
_HEADER = re.compile(
    r"^(?P<open>\[)?"
    r"(?P<date>\d{1,4}(?P<dsep>[./-])\s?\d{1,2}(?P=dsep)\s?\d{1,4})\.?"
    r"(?P<comma>,)?\s+(?:(?P<word>[^\W\d_]{1,6}\.?)\s+)?"
    r"(?P<time>\d{1,2}(?P<tsep>[.:])\d{2}(?:(?P=tsep)\d{2})?)"
    r"(?:\s?(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?"
    r"(?P<after>\]\s?|\s[-–]\s|:\s|\s)"
    r"(?P<rest>.*)$"
)
_DATE_PARTS = re.compile(r"[./-]\s?")
_TIME_PARTS = re.compile(r"[.:]")
_SENDER = re.compile(r"^(?P<sender>[^:]{1,80}?):(?:\s(?P<text>.*))?$", re.DOTALL)
# What an unreadable file's lines start with, to say what it looks like.
_LOOKS_LIKE_CHAT = re.compile(
    r"^\[?(?P<stamp>[^\[\]:]{0,30}\d[^\[\]]{0,30}?)(?:\]\s?|\s[-–]\s)(?P<name>[^:]{1,60}):\s"
)
_QUOTE = re.compile(f"[{re.escape(words.QUOTES)}]")
# iOS puts the encryption notice first; looking for it in the first lines (and in every line
# with iOS's U+200E before its text) is enough to find who signs system lines.
SIGNER_LINES = 200
_GROUP_FROM_NAME = re.compile(
    r"^(?:whatsapp chat (?:with |- |– )|chat whatsapp (?:dengan |- |– )|obrolan whatsapp dengan "
    r"|whatsapp[- ]chat mit |chat de whatsapp con |conversa do whatsapp com "
    r"|discussion whatsapp avec |chat whatsapp con |чат whatsapp с |whatsapp-chat met "
    r"|whatsapp sohbeti: )",
    re.IGNORECASE,
)


def clean(line: str) -> str:
    """``line`` without invisible direction marks, with special spaces made plain, no newline."""
    return line.rstrip("\r\n").translate(_INVISIBLE)


# --- layout -------------------------------------------------------------------------------------


Signature = tuple[bool, str, bool, str, str, bool, str]


def _signature(match: re.Match[str]) -> Signature | None:
    """The shape of one timestamp: bracket, date separator, comma, joining word, time
    separator, am/pm, what follows. ``None`` for a bracket that is not closed."""
    after = match.group("after")
    bracketed = match.group("open") is not None
    if bracketed != after.startswith("]"):
        return None
    return (
        bracketed,
        match.group("dsep"),
        match.group("comma") is not None,
        (match.group("word") or "").casefold(),
        match.group("tsep"),
        match.group("ampm") is not None,
        after.strip() or " ",
    )


def _header(line: str) -> tuple[re.Match[str], Signature] | None:
    match = _HEADER.match(line)
    if match is None:
        return None
    signature = _signature(match)
    return (match, signature) if signature is not None else None


@dataclass(frozen=True)
class Layout:
    """How one file writes its timestamps: the timestamp shape and the date order."""

    signature: Signature
    order: str = "dmy"  # "dmy", "mdy" or "ymd"
    order_basis: str = "certain"  # "certain", "sequence" (messages in time order) or "default"


def _sample(lines: Iterable[str]) -> tuple[Counter[Signature], list[tuple[int, str]], int]:
    """Signature counts, the first non-empty lines (numbered) and the non-empty line count of
    the first :data:`SAMPLE_LINES` lines."""
    counts: Counter[Signature] = Counter()
    first: list[tuple[int, str]] = []
    non_empty = 0
    for number, raw in enumerate(islice(lines, SAMPLE_LINES), start=1):
        line = clean(raw)
        if not line.strip():
            continue
        non_empty += 1
        if len(first) < 40:
            first.append((number, line))
        found = _header(line)
        if found is not None:
            counts[found[1]] += 1
    return counts, first, non_empty


def _chosen_signature(counts: Counter[Signature], non_empty: int) -> Signature | None:
    if not counts:
        return None
    signature, count = counts.most_common(1)[0]
    # Enough lines start a message: a share of the sample, or, in a chat where one message
    # runs on for thousands of lines (a pasted document), a good number of them.
    enough = min(max(1, non_empty * MIN_HEADER_SHARE), MIN_HEADER_LINES)
    return signature if count >= enough else None


def sniff(head: str) -> bool:
    """True when ``head`` (the first few KB of a file, decoded) is a WhatsApp chat export in a
    layout Citra reads: its first non-empty line starts a message and the most common
    timestamp shape starts enough of its lines."""
    lines = head.splitlines()
    if len(lines) > 1 and not head.endswith("\n"):
        lines = lines[:-1]  # the last line may be cut off mid-way
    counts, first, non_empty = _sample(lines)
    signature = _chosen_signature(counts, non_empty)
    if signature is None or not first:
        return False
    found = _header(first[0][1])
    return found is not None and found[1] == signature


UNREADABLE_LAYOUT = (
    "{file} looks like a WhatsApp export in a layout Citra does not read: its lines start with "
    "'{start}', a date and time Citra cannot read (it reads dates written in digits, such as "
    "31/12/23 21.05 or [31.12.2023, 21:05:12])."
)


def unreadable_start(head: str) -> str | None:
    """How the lines of a file that looks like a WhatsApp export, but in no layout Citra reads,
    start (``"15 Jan 2024 14:30"``), for :data:`UNREADABLE_LAYOUT`; ``None`` when the file does
    not look like a chat export (or when Citra reads it)."""
    if sniff(head):
        return None
    lines = [clean(line) for line in head.splitlines()[:200]]
    lines = [line for line in lines if line.strip()]
    if not lines:
        return None
    shaped = [m for m in (_LOOKS_LIKE_CHAT.match(line) for line in lines) if m is not None]
    hallmarks = any(
        words.ENCRYPTION.search(line) or words.MEDIA.match(line.split(": ", 1)[-1])
        for line in lines[:50]
    )
    if len(shaped) < max(2, len(lines) // 3) and not (shaped and hallmarks):
        return None
    return shaped[0].group("stamp").strip()


def detect_layout(lines: Iterable[str], file_name: str) -> Layout:
    """The timestamp shape of a chat export, from a sample of its first lines (the date order
    is decided later, over every line: :func:`_decide_order`).

    Raises CitraError naming the first line that does not start a message in the file's layout,
    or saying the file looks like a WhatsApp export in a layout Citra does not read.
    """
    counts, first, non_empty = _sample(lines)
    if not first:
        raise CitraError(
            "{file}: the file is empty; it is not a WhatsApp chat export.", file=file_name
        )
    signature = _chosen_signature(counts, non_empty)
    number, line = first[0]
    found = _header(line)
    if signature is None or found is None or found[1] != signature:
        start = unreadable_start("\n".join(text for _, text in first))
        if start is not None:
            raise CitraError(UNREADABLE_LAYOUT, file=file_name, start=start)
        shown = line if len(line) <= 80 else line[:77] + "..."
        raise CitraError(
            "not a WhatsApp chat line in any known layout: {line}",
            location=Location(file=file_name, unit="line", number=number),
            line=repr(shown),
        )
    return Layout(signature)


@dataclass
class _OrderEvidence:
    """What the dates of one file say about their order."""

    year_first: bool = False
    first_big: int = 0
    second_big: int = 0
    dmy_disorder: int = 0
    mdy_disorder: int = 0
    last_dmy: tuple[int, int, int] = (0, 0, 0)
    last_mdy: tuple[int, int, int] = (0, 0, 0)
    example: str | None = None

    def add(self, match: re.Match[str]) -> None:
        if self.year_first:
            return
        date = match.group("date")
        pieces = _DATE_PARTS.split(date)
        a, b, c = (int(p) for p in pieces)
        if self.example is None:
            self.example = date
        if a > 31 or len(pieces[0]) == 4:
            self.year_first = True
            return
        self.first_big += a > 12
        self.second_big += b > 12
        dmy, mdy = (c, b, a), (c, a, b)
        self.dmy_disorder += dmy < self.last_dmy
        self.mdy_disorder += mdy < self.last_mdy
        self.last_dmy, self.last_mdy = dmy, mdy


def _decide_order(evidence: _OrderEvidence, signature: Signature) -> tuple[str, str]:
    """``(order, basis)``: a part above 12 settles the order (the one with more such dates when
    a damaged file has both); else the reading that keeps the messages in time order; else
    12-hour files are month-first (US English phones) and others day-first."""
    if evidence.year_first:
        return "ymd", "certain"
    if evidence.first_big or evidence.second_big:
        return ("dmy" if evidence.first_big >= evidence.second_big else "mdy"), "certain"
    if evidence.mdy_disorder < evidence.dmy_disorder:
        return "mdy", "sequence"
    if evidence.dmy_disorder < evidence.mdy_disorder:
        return "dmy", "sequence"
    return ("mdy" if signature[5] else "dmy"), "default"


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
                raise CitraError(
                    "the zip holds no chat .txt file.", location=Location(file=path.name)
                )
            chosen = "_chat.txt" if "_chat.txt" in names else sorted(names, key=len)[0]
            info = archive.getinfo(chosen)
            with open_member(archive, info, f"{path.name}/{chosen}") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
                yield bounded_lines(text, path.name)
        return
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        yield bounded_lines(handle, path.name)


_MEDIA_SUFFIXES = (
    ".txt",
    ".opus",
    ".jpg",
    ".jpeg",
    ".png",
    ".mp4",
    ".webp",
    ".pdf",
    ".vcf",
    ".aac",
    ".m4a",
    ".gif",
    ".mov",
    ".3gp",
    ".docx",
    ".xlsx",
    ".pptx",
    "/",
)


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
                if any(not n.lower().endswith(_MEDIA_SUFFIXES) for n in names):
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


@dataclass
class _Message:
    line: int
    local: str
    sender: str | None
    text: str
    lrm: bool


def _to_local(date: str, time: str, ampm: str | None, order: str) -> str:
    """A timestamp as written (date, time, am/pm) as local ISO 8601, in the date ``order``."""
    parts = [int(p) for p in _DATE_PARTS.split(date)]
    if order == "ymd":
        year, month, day = parts
    elif order == "dmy":
        day, month, year = parts
    else:
        month, day, year = parts
    if year < 100:
        year += 2000
    pieces = [int(p) for p in _TIME_PARTS.split(time)]
    hour, minute = pieces[0], pieces[1]
    second = pieces[2] if len(pieces) > 2 else 0
    if ampm:
        hour = (hour % 12) + (12 if ampm[0] in "pP" else 0)
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"


def _local_time(match: re.Match[str], layout: Layout) -> str:
    return _to_local(match.group("date"), match.group("time"), match.group("ampm"), layout.order)


def _split_sender(rest: str) -> tuple[str | None, str]:
    """``("Budi", "halo")`` for ``"Budi: halo"``; ``(None, rest)`` for a system line, also one
    whose quoted group name holds a colon (``X changed the subject to "RAT: 2024"``)."""
    found = _SENDER.match(rest)
    if found is None:
        return None, rest
    sender = found.group("sender")
    if _QUOTE.search(sender) is not None and system_event(rest) is not None:
        return None, rest
    return sender.strip(), found.group("text") or ""


def read_messages(lines: Iterable[str], layout: Layout, file_name: str) -> Iterator[_Message]:
    """The messages of a chat export, multi-line messages joined (a message's text is kept up to
    the size policy's text cap, :data:`collectors.limits.FIELD_CAPS`); raises CitraError for a
    timestamp that is no real date or time (file and line named)."""
    current: _Message | None = None
    # Continuation lines are gathered in a list and joined once: growing a string attribute
    # line by line is quadratic, and one message can run on for millions of lines.
    more: list[str] = []
    size = 0
    cap = FIELD_CAPS["text"]

    def finished(message: _Message) -> _Message:
        if more:
            message.text = "\n".join([message.text, *more])[:cap]
        return message

    for number, raw in enumerate(lines, start=1):
        line = clean(raw)
        found = _header(line)
        if found is not None and found[1] == layout.signature:
            match = found[0]
            if current is not None:
                yield finished(current)
            more, size = [], 0
            try:
                local = _local_time(match, layout)
                datetime.fromisoformat(local)
            except ValueError as exc:
                raise CitraError(
                    "the date or time cannot be read ({stamp}).",
                    location=Location(file=file_name, unit="line", number=number),
                    stamp=repr(line[: match.end("time")][:40]),
                ) from exc
            sender, text = _split_sender(match.group("rest"))
            # iOS writes system notices as messages "from" the group, text behind a U+200E.
            lrm = sender is not None and ": \u200e" in raw
            current = _Message(number, local, sender, text, lrm)
            size = len(text)
        elif current is not None:
            if size < cap:
                more.append(line)
                size += len(line) + 1
        elif line.strip():
            raise CitraError(
                "not a WhatsApp chat line in any known layout: {line}",
                location=Location(file=file_name, unit="line", number=number),
                line=repr(line[:80]),
            )
    if current is not None:
        yield finished(current)


# --- what a message is --------------------------------------------------------------------------


def _caption(rest: str, file_name: str | None = None) -> str:
    """The caption after a media placeholder: the rest of its line and the lines after it;
    Android repeats a document's name on the next line, which is no caption."""
    caption = rest.strip()
    if file_name and caption:
        stem = Path(file_name.strip()).stem.casefold()
        if caption.casefold() in (stem, file_name.strip().casefold()):
            return ""
    return caption


def placeholder(text: str) -> tuple[str, str] | None:
    """``(kind, caption)`` when ``text`` is a placeholder: ``("media", caption)`` for media,
    documents, attachments and view-once (``null``), ``("deleted", "")``, ``("call", "")`` for a
    missed call; ``None`` for a member's own text. ``text`` is the message with invisible marks
    removed."""
    stripped = text.strip()
    if not stripped or words.VIEW_ONCE.match(stripped):
        return "media", ""
    if words.DELETED.match(stripped):
        return "deleted", ""
    if words.CALL.match(stripped):
        return "call", ""
    found = words.MEDIA.match(stripped)
    if found is not None:
        return "media", _caption(found.group("rest"))
    first_line = stripped.split("\n", 1)[0]
    found = words.DOCUMENT.match(first_line)
    if found is not None:
        return "media", _caption(stripped[len(first_line) :])
    found = words.ATTACHED.match(stripped)
    if found is not None:
        return "media", _caption(found.group("rest"), found.group("file") or found.group("ios"))
    return None


@dataclass
class _Survey:
    """What a pass over the whole file learnt before importing it."""

    lines: int = 0
    order: _OrderEvidence = field(default_factory=_OrderEvidence)
    signers: Counter[str] = field(default_factory=Counter)
    names: list[tuple[tuple[str, str, str | None], str]] = field(default_factory=list)


def _survey(lines: Iterable[str], layout: Layout, group_hint: str) -> _Survey:
    """Dates, the group's name as the chat gives it, and the line count, in one pass."""
    survey = _Survey()
    hint = group_hint.casefold()
    headers = 0
    for raw in lines:
        survey.lines += 1
        found = _header(clean(raw))
        if found is None or found[1] != layout.signature:
            continue
        match = found[0]
        headers += 1
        survey.order.add(match)
        rest = match.group("rest")
        lrm = ": \u200e" in raw
        quiet = not (lrm or headers <= SIGNER_LINES or survey.signers)
        if quiet and ": " in rest and not rest.casefold().startswith(hint):
            continue  # a member's message: nothing to learn from it
        sender, text = _split_sender(rest)
        if sender is not None:
            if (lrm or headers <= SIGNER_LINES) and words.ENCRYPTION.search(text[:160]):
                survey.signers[sender] += 1
                continue
            if not (lrm or sender.casefold() == hint or sender in survey.signers):
                continue
        event = system_event(text)
        if event in ("created", "subject"):
            name = quoted_name(text)
            if name:
                stamp = (match.group("date"), match.group("time"), match.group("ampm"))
                survey.names.append((stamp, name))
    return survey


def _group_name(survey: _Survey, layout: Layout, file_group: str) -> str:
    """The group's name: the one iOS signs system lines with, else the latest name a "created
    group"/"changed the subject" line gives, else the file's."""
    if survey.signers:
        return survey.signers.most_common(1)[0][0]
    if survey.names:
        dated = [(_to_local(*stamp, layout.order), name) for stamp, name in survey.names]
        return max(dated, key=lambda item: item[0])[1]
    return file_group


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
                name = mask_personal(label)
                sender_id, member_id, blocked = chat_store.chat_sender(
                    self.db, key, name=name, phone_hash=None, is_demo=self.is_demo
                )
                shown = name
            found = (sender_id, member_id, blocked, shown)
            self.cache[label] = found
        return found


ORDER_NOTES = {
    ("dmy", "sequence"): (
        "The dates in {file} fit both day-first and month-first; Citra read them day-first "
        "because that keeps the messages in time order ({example} is {date})."
    ),
    ("mdy", "sequence"): (
        "The dates in {file} fit both day-first and month-first; Citra read them month-first "
        "because that keeps the messages in time order ({example} is {date})."
    ),
    ("dmy", "default"): (
        "The dates in {file} fit both day-first and month-first; Citra read them day-first, as "
        "phones with a 24-hour clock write them ({example} is {date})."
    ),
    ("mdy", "default"): (
        "The dates in {file} fit both day-first and month-first; Citra read them month-first, as "
        "phones with a 12-hour clock write them ({example} is {date})."
    ),
}


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

    ``group`` names the chat group (default: the name the chat gives itself, else from the file
    name, "WhatsApp Chat with X" -> X). ``progress(lines_read, lines_total)`` is called every few
    thousand lines and at the end. Message ids are stable (group + local time + sender + text +
    occurrence), so re-importing an export adds nothing and a later export adds only its new
    messages. Times are stored in UTC (converted from the installation's timezone);
    ``first``/``last`` in the summary are the earliest and latest local times (ISO 8601, as
    written in the file; ``None`` when it holds no message), whatever the order of the lines.
    ``is_demo`` marks the import run and the groups and senders it creates as demo data
    (``citra demo``). Raises CitraError naming the first unreadable line, or saying what the file
    looks like, for a file in no layout Citra reads; nothing is written then.

    Returns ``format``, ``group``, ``messages`` (members' text messages, captions of photos
    included), ``captions``, ``media``, ``deleted``, ``system`` (``calls`` among them),
    ``calls``, ``edited``, ``senders``, ``first``, ``last``, ``date_order`` (``dmy``, ``mdy`` or
    ``ymd``), ``date_order_certain``, ``notes`` (``{"template", "values"}`` to tell the reader,
    e.g. how ambiguous dates were read), ``added``, ``duplicates``, ``erased`` (messages of
    erased members skipped), ``unmatched_senders`` and ``import_id``.
    """
    path = Path(path)
    shown_name = file_name or path.name
    if not path.exists():
        raise CitraError("{file} does not exist.", file=str(path))
    with _open_text(path) as lines:
        layout = detect_layout(lines, shown_name)
    file_group = group_name_from_file(shown_name)
    with _open_text(path) as lines:
        survey = _survey(lines, layout, file_group)
    order, basis = _decide_order(survey.order, layout.signature)
    layout = Layout(layout.signature, order, basis)
    group_name = group or _group_name(survey, layout, file_group)
    group_labels = {
        name.casefold()
        for name in (group_name, file_group, *survey.signers, *(n for _, n in survey.names))
    }
    total_lines = survey.lines
    zone = ZoneInfo(get_setting(db, "timezone") or "Asia/Jakarta")
    targets = ShareTargets.from_profile(get_self(db))
    counts = {
        "messages": 0,
        "captions": 0,
        "media": 0,
        "deleted": 0,
        "system": 0,
        "calls": 0,
        "edited": 0,
        "erased": 0,
    }
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
        group_key = group_name.casefold().encode()
        senders = _Senders(db, is_demo=is_demo)
        batch: list[tuple[Any, ...]] = []

        def flush() -> None:
            added, duplicates = chat_store.insert_chat_messages(db, batch)
            run.added += added
            run.duplicates += duplicates
            batch.clear()

        with _open_text(path) as lines:
            for message in read_messages(lines, layout, shown_name):
                if first is None or message.local < first:
                    first = message.local
                if last is None or message.local > last:
                    last = message.local
                text = message.text.strip()
                sender_id: int | None = None
                category = event = None
                edited = 0
                if message.sender is None:
                    kind, event = "system", system_event(text) or "other"
                else:
                    from_group = message.sender.casefold() in group_labels
                    event = system_event(text) if message.lrm or from_group else None
                    if event is None and message.lrm and from_group:
                        event = "other"  # a notice in a language Citra has no table for
                    if event is not None:
                        kind = "system"
                    else:
                        sender_id, member_id, blocked, shown = senders.get(message.sender)
                        if blocked:
                            counts["erased"] += 1
                            continue
                        kind, text, edited, category = _member_message(text, targets, counts)
                        if kind == "system":
                            event, sender_id = "call", None
                        else:
                            human_senders.add(sender_id)
                            if member_id is None:
                                unmatched[sender_id] = shown
                counts["messages" if kind == "text" else kind] += 1
                counts["edited"] += edited
                text = mask_personal(text) if text else text
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
        notes = []
        if basis != "certain" and survey.order.example:
            example = survey.order.example
            date = _to_local(example, "0:00", None, order)[:10]
            notes.append(
                {
                    "template": ORDER_NOTES[(order, basis)],
                    "values": {"file": shown_name, "example": example, "date": date},
                }
            )
        summary = {
            "format": FORMAT,
            "group": group_name,
            **counts,
            "senders": len(human_senders),
            "first": first,
            "last": last,
            "date_order": order,
            "date_order_certain": basis == "certain",
            "notes": notes,
            "added": run.added,
            "duplicates": run.duplicates,
            "unmatched_senders": sorted(unmatched.values(), key=str.casefold),
            "import_id": run.id,
        }
    return summary


def _member_message(
    text: str, targets: ShareTargets, counts: dict[str, int]
) -> tuple[str, str, int, str | None]:
    """``(kind, text, edited, category)`` of a member's message: a placeholder is media,
    deleted or a missed call (``system``); a photo's caption is text (counted in ``captions``
    too); text loses its edited marker and is classified."""
    found = placeholder(text)
    if found is not None:
        kind, caption = found
        if kind == "call":
            counts["calls"] += 1
            return "system", "", 0, None
        if kind != "media" or not caption:
            return kind, "", 0, None
        counts["captions"] += 1
        text = caption
    stripped = words.EDITED.sub("", text)
    return "text", stripped, int(stripped != text), classify_message(stripped, targets)
