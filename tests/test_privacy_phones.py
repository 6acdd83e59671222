"""Phone numbers masked in free text, and the look-alikes that must be left exactly as written."""

from __future__ import annotations

import pytest

from citra.privacy import PHONE_MASK, mask_phones
from collectors import whatsapp

# Indonesian and international phone numbers, as members write them: each becomes [nomor].
PHONES = [
    ("hubungi 0812-3456-7890 ya", "hubungi [nomor] ya"),
    ("0812 3456 7890", "[nomor]"),
    ("0812.3456.7890", "[nomor]"),
    ("081234567890", "[nomor]"),
    ("(0813) 1111 2222", "[nomor]"),
    ("+62 812 3456 7890", "[nomor]"),
    ("+62 (813) 1111-2222", "[nomor]"),
    ("+62-812-3456-7890", "[nomor]"),
    ("+62 (0)812 3456 7890", "[nomor]"),
    ("+6281234567890", "[nomor]"),
    ("62 813 1111 2222", "[nomor]"),
    ("6281311112222", "[nomor]"),
    ("0062 812 3456 7890", "[nomor]"),
    ("+62 21 5551234", "[nomor]"),
    ("WA: +62 812-3456-7890.", "WA: [nomor]."),
    ("0895-1234-5678 (Tri)", "[nomor] (Tri)"),
    ("+1 (555) 123-4567", "[nomor]"),
    ("+44 20 7946 0958", "[nomor]"),
    ("+60 12-345 6789", "[nomor]"),
    ("0812-1111-2222/0813-3333-4444", "[nomor]/[nomor]"),
    ("rek 1234567890, hp 0813 2222 3333", "rek 1234567890, hp [nomor]"),
    ("chat https://wa.me/6281234567890 ya", "chat https://wa.me/[nomor] ya"),
    ("api.whatsapp.com/send?phone=6281234567890", "api.whatsapp.com/send?phone=[nomor]"),
    ("Budi 0812-3456-7890", "Budi [nomor]"),
]

# Times, time ranges, dates, amounts, account and member numbers, ids: never touched.
LOOK_ALIKES = [
    "08.00 - 08.30 registrasi",
    "08.00-08.30 registrasi, 08.30 - 09.15 pembukaan, 09.15-10.00 laporan",
    "jam 08.15 - 08.45 - 09.15",
    "08:00 - 12:00 WIB",
    "mulai 08.00 sampai 16.00",
    "31/12/2023 pukul 21.05",
    "2024-01-15 08:30",
    "tgl 08-12-2023 10.00",
    "08/12/2023",
    "15.01.2024",
    "Rp 1.500.000",
    "Rp1.500.000,00",
    "Rp 62.850.000.000",
    "IDR 2,500,000",
    "total 1.250.000 + 850.000",
    "SHU Rp 081.234.567",
    "no rek BCA 0812345678 a/n Budi",
    "rekening Mandiri 1370012345678",
    "No. Anggota: 081234567890",
    "ID anggota 0812345678901",
    "NIK 3174012345678901",
    "kode 081234567890",
    "A-081234567890",
    "KSP-0812-3456",
    "VA 8808081234567890",
    "tahun 2023, 2024 dan 2025",
    "08123",
    "0812345678912345",
    "0841234567890",
    "https://kspsejahtera.co.id/berita/081234567890",
    "https://x.com/i/web/status/1860000000000000001",
    "Jl. Merdeka No. 62 RT 08 RW 12",
    "skor 08 - 12",
]


@pytest.mark.parametrize(("text", "masked"), PHONES)
def test_phone_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_phones(text) == masked


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_left_as_written(text: str) -> None:
    assert mask_phones(text) == text


def test_whatsapp_uses_the_same_masking() -> None:
    assert whatsapp.mask_phones is mask_phones
    assert PHONE_MASK == "[nomor]"


def test_masking_a_long_digit_run_is_fast() -> None:
    text = "1" * 20_000 + " " + "2 " * 5_000
    assert mask_phones(text) == text
