"""One masking function for personal data (``citra.masking.mask_personal``) against a table of
Indonesian and foreign forms, and where it applies: error messages and the import history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citra.errors import CitraError, Location
from citra.masking import EMAIL_MASK, NIK_MASK, PHONE_MASK, mask_personal

MASKED = [
    ("+62 813-1234-5678", PHONE_MASK),
    ("+62 (813) 1234 5678", PHONE_MASK),
    ("+62 (0)813 1234 5678", PHONE_MASK),
    ("0813 1234 5678", PHONE_MASK),
    ("0813-1234-5678", PHONE_MASK),
    ("0813.1234.5678", PHONE_MASK),
    ("081312345678", PHONE_MASK),
    ("6281312345678", PHONE_MASK),
    ("62 813 1234 5678", PHONE_MASK),
    ("(021) 555-1234", PHONE_MASK),
    ("(021) 5551234", PHONE_MASK),
    ("021-5551234", PHONE_MASK),
    ("021 5551234", PHONE_MASK),
    ("02155512345", PHONE_MASK),
    ("(0274) 512345", PHONE_MASK),
    ("0274-512345", PHONE_MASK),
    ("+62 21 5551234", PHONE_MASK),
    ("+44 20 7946 0958", PHONE_MASK),
    ("+1 (415) 555-0100", PHONE_MASK),
    ("+65 6123 4567", PHONE_MASK),
    ("0044 20 7946 0958", PHONE_MASK),
    ("3174012345678901", NIK_MASK),
    ("3174 0123 4567 8901", NIK_MASK),
    ("3174.0123.4567.8901", NIK_MASK),
    ("budi.santoso@example.co.id", EMAIL_MASK),
    ("Siti_Rahma+koperasi@mail.example.com", EMAIL_MASK),
]


@pytest.mark.parametrize(("value", "mask"), MASKED)
def test_personal_data_is_masked_alone_and_in_a_sentence(value: str, mask: str) -> None:
    assert mask_personal(value) == mask
    assert (
        mask_personal(f"Hubungi {value} ya, terima kasih.") == f"Hubungi {mask} ya, terima kasih."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Rp 1.500.000",
        "SHU 2023 naik 12,5%",
        "jam 08.00 - 08.30",
        "rapat tgl 08-12-2023",
        "no rek BCA 0812345678",
        "No. Anggota 021-5551234",
        "tahun buku 2024",
        "https://koperasi.example.id/berita/2024/05/31/123456",
        "kode pos 40115",
        "ada 25 anggota hadir",
        "",
    ],
)
def test_what_is_not_personal_data_stays(text: str) -> None:
    assert mask_personal(text) == text


def test_no_error_message_or_history_entry_holds_personal_data() -> None:
    error = CitraError(
        "member not in the registry: {member}",
        location=Location("anggota.csv", "line", 3),
        member="Budi 0813-1234-5678 budi@example.id 3174012345678901",
    )
    for lang in ("en", "id"):
        text = error.describe(lang)
        assert "0813" not in text and "budi@" not in text and "3174" not in text
        assert PHONE_MASK in text and EMAIL_MASK in text and NIK_MASK in text
    stored = json.dumps(error.as_dict())
    assert "0813" not in stored and "budi@" not in stored and "31740123" not in stored


def test_a_rejected_registry_row_does_not_echo_its_cells(tmp_path: Path) -> None:
    from citra import pipeline, store
    from citra.queries.imports import list_imports

    path = tmp_path / "anggota.csv"
    path.write_text(
        "no_anggota,nama,telepon,tanggal_masuk,status\n"
        "A-1,Budi,0812-1111-2222,0819-3333-4444,aktif\n"
        "A-2,Siti,0812-5555-6666,2024-01-02,siti@example.id\n",
        encoding="utf-8",
    )
    db = store.open_db(tmp_path / "c.db")
    assert pipeline.import_registry(db, path)["rejected"] == 2
    history = json.dumps([dict(row) for row in list_imports(db)], default=str)
    for secret in ("0819", "3333", "siti@", "0812"):
        assert secret not in history


def test_the_page_log_masks_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from citra import ui

    logger = logging.getLogger(ui.__name__)
    try:
        raise ValueError("bad cell 0813-1234-5678 budi@example.id")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR, logger=ui.__name__):
            logger.error("failed for %s", "siti@example.id", exc_info=exc)
    text = caplog.text
    assert "0813" not in text and "budi@" not in text and "siti@" not in text
    assert EMAIL_MASK in text and PHONE_MASK in text and "ValueError" in text
