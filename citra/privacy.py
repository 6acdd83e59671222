"""Personal data helpers: phone-number normalisation, masking in free text, and salted hashes.

Phone numbers are never stored. Each installation has a secret salt kept outside the database
file (``<db>.salt`` beside it, mode 0600, or the file named by ``$CITRA_SALT_FILE``); a number is
stored only as ``HMAC-SHA256(salt, normalised number)``. Without the salt file the hashes cannot be
matched again, so back it up together with the database. An in-memory database uses a fixed test
salt.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from sqlite_utils import Database

from citra.errors import CitraError

ENV_SALT_FILE = "CITRA_SALT_FILE"
TEST_SALT = b"citra-in-memory-test-salt"

_NON_DIGITS = re.compile(r"[^\d+]")
_salts: dict[str, bytes] = {}


def normalise_phone(value: str | int | float | None) -> str | None:
    """An Indonesian phone number in international digits: ``0812-3456-789``, ``+62 812 3456 789``
    and ``62812345678 9`` all give ``628123456789``. Other countries keep their ``+`` code.

    Returns ``None`` when ``value`` holds fewer than 8 digits (not a phone number).
    """
    if value is None:
        return None
    if isinstance(value, float):  # a number read from a spreadsheet cell
        value = str(int(value))
    text = _NON_DIGITS.sub("", str(value).strip())
    digits = text.lstrip("+")
    if not digits.isdigit() or len(digits) < 8:
        return None
    if text.startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0"):
        return "62" + digits[1:]
    if digits.startswith("8"):  # 812...: the leading 0 lost in a spreadsheet
        return "62" + digits
    return digits


def looks_like_phone(value: str) -> bool:
    """True when ``value`` is written like a phone number (``+62 812-3456-7890``), not a name."""
    stripped = value.strip()
    return (
        bool(re.fullmatch(r"\+?[\d\s\-().]{8,}", stripped))
        and normalise_phone(stripped) is not None
    )


PHONE_MASK = "[nomor]"

# A run of digit groups that could be a phone number: an optional international prefix, then
# groups of digits (the first may be in parentheses) joined by one space, or by a dash or dot with
# optional spaces. Separators are required between groups and digits are greedy, so a long run of
# digits is one candidate (no backtracking over ways to split it).
_GROUP = r"(?:\(\s?\d+\s?\)\d*|\d+)"  # "(0)812" is one group
_SEPARATOR = r"(?:[ \t]?[-.][ \t]?|[ \t])"
_PHONE_CANDIDATE = re.compile(
    rf"(?<![\w@#=&.,:+])(?<!\w-)(?:\+[ \t]?|00(?=\d))?{_GROUP}(?:{_SEPARATOR}{_GROUP})*"
    r"(?![\w@]|[.,:]\d)"
)
# Phone numbers inside links people share: wa.me/62812..., api.whatsapp.com/send?phone=62812...
_PHONE_IN_LINK = re.compile(r"(?i)(?<=wa\.me/)\+?\d{8,15}(?!\d)|(?<=[?&]phone=)\+?\d{8,15}(?!\d)")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
# Shapes that are not phone numbers even when their digits would fit: amounts grouped by
# thousands (1.500.000), times and time ranges (08.00 - 08.30), dates (08-12-2023).
_AMOUNT_SHAPE = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_TIME_SHAPE = re.compile(r"(?<!\d)\d{1,2}[.:][0-5]\d(?!\d)")
_DATE_SHAPE = re.compile(r"\d{1,2}[-./ ]\d{1,2}[-./ ]\d{2,4}(?!\d)")
# What is written just before a number says what it is. An account, member or id word up to
# two words before ("no rek BCA 0812...", "No. Anggota: 0812...") or a money word right before
# ("Rp 0812...") keeps it as written.
_ACCOUNT_BEFORE = re.compile(
    r"(?i)(?<![\w.@/])(?:rek|rekening|norek|account|acct|acc|a/c|va|virtual account|bca|bri|"
    r"bni|mandiri|bsi|btn|cimb|anggota|member|nia|nik|npwp|ktp|nip|nis|kode|ref|invoice|resi|"
    r"order|pesanan|tagihan|pelanggan|meter|id)(?![^\W\d_])(?:[\s.:#/-]+[^\W\d_]{1,12}){0,2}"
    r"[\s.:#/=-]*$"
)
_MONEY_BEFORE = re.compile(
    r"(?i)(?:(?<![^\W\d_])(?:rp|idr|usd|eur|sgd|myr|saldo|total|jumlah|nominal)|[$€£¥])"
    r"[\s.:=]*$"
)
_CONTEXT_CHARS = 32
_DIGIT = re.compile(r"\d")
_MOBILE_THIRD_DIGITS = frozenset("1235789")  # 081x, 082x, 083x, 085x, 087x, 088x, 089x


def is_phone_number(candidate: str, before: str = "") -> bool:
    """Whether ``candidate`` (digits with separators, as written in a text) is a phone number.

    Indonesian mobiles (``0812-3456-7890``, ``62 812 3456 7890``, ``+62 (813) 1111-2222``) and
    international numbers with ``+`` or ``00`` are; amounts, times, time ranges, dates and
    numbers after an account, member, id or money word in ``before`` (the text just before it)
    are not.
    """
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith("+") or candidate.startswith("00"):
        number = digits if candidate.startswith("+") else digits[2:]
        if number.startswith("62"):
            national = number[2:].removeprefix("0")  # "+62 (0)812 ..."
            return 8 <= len(national) <= 12
        return 8 <= len(number) <= 15 and not number.startswith("0")
    if digits.startswith("08"):
        fits = 10 <= len(digits) <= 13 and digits[2] in _MOBILE_THIRD_DIGITS
    elif digits.startswith("628"):
        fits = 11 <= len(digits) <= 14
    else:
        return False
    if not fits or _AMOUNT_SHAPE.fullmatch(candidate) or _TIME_SHAPE.search(candidate):
        return False
    if _DATE_SHAPE.match(candidate):
        return False
    before = before[-_CONTEXT_CHARS:]
    return not (_ACCOUNT_BEFORE.search(before) or _MONEY_BEFORE.search(before))


def mask_phones(text: str, mask: str = PHONE_MASK) -> str:
    """``text`` with every phone number (see :func:`is_phone_number`) replaced by ``mask``.

    Times, time ranges, dates, amounts (``Rp 1.500.000``), account and member numbers are left as
    written; links are left alone except the number in a ``wa.me/...`` or ``phone=`` link.
    """
    if not text or _DIGIT.search(text) is None:
        return text
    text = _PHONE_IN_LINK.sub(mask, text)
    pieces: list[str] = []
    position = 0
    for url in _URL.finditer(text):
        pieces.append(_mask_plain(text[position : url.start()], mask))
        pieces.append(url.group())
        position = url.end()
    pieces.append(_mask_plain(text[position:], mask))
    return "".join(pieces)


def _mask_plain(text: str, mask: str) -> str:
    def replace(match: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[max(line_start, match.start() - _CONTEXT_CHARS) : match.start()]
        return mask if is_phone_number(match.group(), before) else match.group()

    return _PHONE_CANDIDATE.sub(replace, text) if text else text


def _db_file(db: Database) -> str:
    for row in db.execute("PRAGMA database_list").fetchall():
        if row[1] == "main":
            return row[2] or ""
    return ""


def salt_path(db: Database) -> Path | None:
    """Where this installation's salt lives; ``None`` for an in-memory database."""
    from_env = os.environ.get(ENV_SALT_FILE)
    if from_env:
        return Path(from_env)
    file_name = _db_file(db)
    return Path(file_name + ".salt") if file_name else None


def salt(db: Database) -> bytes:
    """This installation's salt, created (32 random bytes, mode 0600) on first use."""
    path = salt_path(db)
    if path is None:
        return TEST_SALT
    key = str(path)
    if key in _salts:
        return _salts[key]
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        except OSError as exc:
            raise CitraError(
                "Cannot create the salt file {path}: {detail}.", path=path, detail=exc.strerror
            ) from exc
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    value = path.read_text().strip()
    if len(value) < 32:
        raise CitraError(
            "The salt file {path} is damaged (too short); restore it from a backup.", path=path
        )
    _salts[key] = value.encode("ascii")
    return _salts[key]


def keyed_hash(db: Database, purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``purpose`` + ``value`` under the installation salt, hex (64 chars)."""
    message = f"{purpose}\x1f{value}".encode()
    return hmac.new(salt(db), message, hashlib.sha256).hexdigest()


def phone_hash(db: Database, phone: str) -> str | None:
    """The stored form of a phone number, or ``None`` when it is not a phone number."""
    normalised = normalise_phone(phone)
    return keyed_hash(db, "phone", normalised) if normalised else None
