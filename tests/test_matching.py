"""Organisation matching on real-looking Indonesian texts."""

from __future__ import annotations

import pytest

from citra.matching import OrganisationMatcher, normalize, term_variants
from citra.profile import Organisation

COOP = Organisation(
    id=1,
    name="Koperasi Sejahtera Bersama",
    kind="self",
    keywords=("KSP Sejahtera", "Kopsera"),
    exclude_keywords=("Sejahtera Motor",),
)
PEER = Organisation(id=2, name="KSP Maju Jaya", kind="peer", keywords=("Kopdit Maju Jaya",))
MATCHER = OrganisationMatcher([PEER, COOP])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Rapat anggota tahunan Koperasi Sejahtera Bersama berjalan lancar",
            ["Koperasi Sejahtera Bersama"],
        ),
        ("KSP Sejahtera kembali membagikan SHU", ["Koperasi Sejahtera Bersama"]),
        ("Pengurus kop. sejahtera menjawab keluhan anggota", ["Koperasi Sejahtera Bersama"]),
        ("Mantap! #kopsejahtera #shu2026", ["Koperasi Sejahtera Bersama"]),
        ("cc @ksp_sejahtera tolong dicek", ["Koperasi Sejahtera Bersama"]),
        ("KOPERASI SEJAHTERA bersama UMKM desa", ["Koperasi Sejahtera Bersama"]),
        ("Kospin Sejahtera buka cabang baru", ["Koperasi Sejahtera Bersama"]),
        ("Koperasi Séjahtera Bersama (aksen) tetap cocok", ["Koperasi Sejahtera Bersama"]),
        ("#SejahteraBersama untuk anggota", ["Koperasi Sejahtera Bersama"]),
        ("Anggota Kopsera antre pencairan", ["Koperasi Sejahtera Bersama"]),
        ("Rakyat sejahtera adalah tujuan koperasi", []),
        ("Keluarga prasejahtera menerima bantuan", []),
        ("kspsejahteranya? bukan nama resmi", []),
        ("KSP Sejahtera Motor bukan koperasi kami", []),
        (
            "KSP Maju Jaya dan KSP Sejahtera bersaing",
            ["Koperasi Sejahtera Bersama", "KSP Maju Jaya"],
        ),
        ("Kopdit Maju Jaya gagal bayar", ["KSP Maju Jaya"]),
        ("Koperasi Maju Jaya Abadi", ["KSP Maju Jaya"]),
        ("Usaha maju jaya tanpa awalan koperasi", []),
        ("#MajuJaya tetap semangat", ["KSP Maju Jaya"]),
        ("", []),
    ],
)
def test_match(text: str, expected: list[str]) -> None:
    assert [org.name for org in MATCHER.match(text)] == expected


def test_best_prefers_the_coop_and_searches_every_text() -> None:
    assert MATCHER.best("Kopdit Maju Jaya", "tentang KSP Sejahtera") == COOP
    assert MATCHER.best("Kopdit Maju Jaya", None) == PEER
    assert MATCHER.best(None, "") is None


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Kop. Séjahtera #KopSejahtera", "kop sejahtera kopsejahtera"),
        ("@ksp_sejahtera!!", "ksp sejahtera"),
        ("  Koperasi\tSEJAHTERA\n", "koperasi sejahtera"),
        (None, ""),
    ],
)
def test_normalize(raw: str | None, normalized: str) -> None:
    assert normalize(raw) == normalized


def test_variants_of_a_prefixed_keyword() -> None:
    variants = term_variants("KSP Sejahtera")
    assert {"ksp sejahtera", "koperasi sejahtera", "kop sejahtera", "kopsejahtera"} <= variants
    assert "sejahtera" not in variants


def test_ascii_text_normalises_as_runs_of_letters_and_digits() -> None:
    import re

    from citra.matching import normalize

    every = "".join(map(chr, range(128)))
    texts = [every, every[::-1], "Kop._Sejahtera\t#KSP-Tunas  Makmur!!", " a ", "__", "x1_Y2"]
    for text in texts:
        expected = " ".join(re.findall(r"[^\W_]+", text.lower()))
        assert normalize(text) == expected
        assert normalize(text) == normalize(text + "é")[: len(expected)].rstrip()
