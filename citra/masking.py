"""Masking personal data in free text: phone numbers, NIK numbers and e-mail addresses.

One function, :func:`mask_personal`, is applied wherever text from outside could carry them into
something Citra keeps or shows: chat texts and sender labels (WhatsApp), the values of every
:class:`citra.errors.CitraError` (so no message, import-history row or log line holds them), and
anything a later export or audit writes. :func:`mask_phones` is the phone part alone.

- phone numbers (``[nomor]``): Indonesian mobiles in any writing (``0813 1234 5678``,
  ``+62 (813) 1234-5678``, ``62813...``), Indonesian landlines with their area code
  (``(021) 555-1234``, ``021-5551234``, ``(0274) 512345``), and foreign numbers written with
  ``+`` or ``00`` (``+44 20 7946 0958``, ``+1 (415) 555-0100``); amounts, times, dates and
  account or member numbers are left as written;
- NIK numbers (``[NIK]``): 16 digits, alone or grouped in fours;
- e-mail addresses (``[email]``).

No import of the rest of Citra: :mod:`citra.errors` uses this module.
"""

from __future__ import annotations

import re

_NON_DIGITS = re.compile(r"[^\d+]")
NIK_MASK = "[NIK]"
EMAIL_MASK = "[email]"
# A NIK is 16 digits (province, regency, district, birth date, serial); a card number has 16
# too and is masked alike. Grouped in fours with spaces, dots or dashes, or written in one run.
_NIK = re.compile(r"(?<![\w.,-])\d{4}(?:[ .-]?\d{4}){3}(?![\w]|[.,-]\d)")
_EMAIL = re.compile(
    r"(?i)(?<![\w.+-])[\w.+-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9-]{1,63})+"
)
# Indonesian area codes: 0 + 2 to 3 digits, not starting with 8 (mobile) or 0/1.
_LANDLINE_AREA = re.compile(r"^\(?0[2-79]\d{1,2}\)?$")


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
    elif _is_landline(candidate, digits):
        fits = True
    else:
        return False
    if not fits or _AMOUNT_SHAPE.fullmatch(candidate) or _TIME_SHAPE.search(candidate):
        return False
    if _DATE_SHAPE.match(candidate):
        return False
    before = before[-_CONTEXT_CHARS:]
    return not (_ACCOUNT_BEFORE.search(before) or _MONEY_BEFORE.search(before))


def _is_landline(candidate: str, digits: str) -> bool:
    """An Indonesian landline: an area code (``021``, ``(0274)``) apart from 5 to 8 digits, or
    ``021`` followed by 7 or 8 digits in one run (the Jakarta/Bandung/Surabaya shape)."""
    if not 9 <= len(digits) <= 12 or not re.match(r"0[2-79]", digits):
        return False
    area = re.split(r"[\s.-]+|(?<=\))", candidate.strip(), maxsplit=1)[0]
    if area != candidate and _LANDLINE_AREA.match(area):
        return 5 <= len(digits) - len(re.sub(r"\D", "", area)) <= 8
    return bool(re.fullmatch(r"0[2-3]1\d{7,8}", digits))


def mask_personal(text: str) -> str:
    """``text`` with e-mail addresses, NIK numbers and phone numbers masked (``[email]``,
    ``[NIK]``, ``[nomor]``); any other text unchanged. Empty or ``None``-like: as given."""
    if not text or not isinstance(text, str):
        return text
    if "@" in text:
        text = _EMAIL.sub(EMAIL_MASK, text)
    if _DIGIT.search(text) is None:
        return text
    text = _NIK.sub(NIK_MASK, text)
    return mask_phones(text)


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


class MaskingFilter:
    """A ``logging`` filter that masks personal data (:func:`mask_personal`) in a record's
    message and traceback before any handler writes it: add it to a logger that may log text
    from outside (``logger.addFilter(MaskingFilter())``)."""

    def filter(self, record: object) -> bool:
        import logging
        import traceback

        if not isinstance(record, logging.LogRecord):
            return True
        record.msg = mask_personal(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        if record.exc_text:
            record.exc_text = mask_personal(record.exc_text)
        record.exc_info = None if record.exc_text else record.exc_info
        return True
