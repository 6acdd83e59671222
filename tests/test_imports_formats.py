"""Golden fixtures: every format and vintage in tests/fixtures/exports/ imports as its
``.expected.json`` says (format, counts, rejected rows, decoded texts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citra.store.organisations import add_peer, set_profile
from collectors import registry
from collectors.base import Source
from collectors.importer import import_path
from tests.conftest import FIXTURES

EXPORTS = FIXTURES / "exports"
CASES = sorted(
    p.with_name(p.name.removesuffix(".expected.json")) for p in EXPORTS.rglob("*.expected.json")
)


def _expected(path: Path) -> dict:
    return json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def coop_db(db):
    set_profile(
        db, name="KSP Sejahtera", keywords=["Koperasi Sejahtera"], accounts={"x": "@kspsejahtera"}
    )
    add_peer(db, "Koperasi Maju Jaya", keywords=["KSP Maju Jaya"])
    return db


@pytest.mark.parametrize("path", CASES, ids=lambda p: str(p.relative_to(EXPORTS)))
def test_golden_export(coop_db, path: Path) -> None:
    expected = _expected(path)
    summary = import_path(coop_db, path)
    assert summary["format"] == expected["format"]
    assert summary["added"] == expected["added"]
    # The English place and reason; each entry also carries template, values and location.
    assert [{"where": e["where"], "reason": e["reason"]} for e in summary["rejected"]] == expected[
        "rejected"
    ]
    assert summary["skipped_no_text"] == expected.get("skipped_no_text", 0)
    rows = list(
        coop_db.query(
            "SELECT m.*, o.kind AS org_kind FROM mentions m "
            "LEFT JOIN organisations o ON o.id = m.organisation_id ORDER BY published_at, seq"
        )
    )
    assert sorted(r["text"] for r in rows) == sorted(expected["texts"])
    assert all(r["import_id"] == summary["import_id"] for r in rows)
    if expected.get("own"):
        assert {r["is_own"] for r in rows} == {1}
        assert {r["org_kind"] for r in rows} == {"self"}
    else:
        assert {r["is_own"] for r in rows} == {0}
    if "platform" in expected:
        assert {r["platform"] for r in rows} == {expected["platform"]}
    if "published_at" in expected:
        assert [r["published_at"] for r in rows] == expected["published_at"]
    if "reach" in expected:
        assert [r["reach"] for r in rows] == expected["reach"]
    if "authors" in expected:
        assert sorted(r["author"] for r in rows) == sorted(expected["authors"])
    if "tool_sentiment" in expected:
        by_text = {r["text"]: json.loads(r["raw"]).get("tool_sentiment") for r in rows}
        assert [by_text[t] for t in expected["texts"]] == expected["tool_sentiment"]
    again = import_path(coop_db, path)
    assert (again["added"], again["duplicates"]) == (0, summary["added"] + summary["duplicates"])


@pytest.mark.parametrize("path", CASES, ids=lambda p: str(p.relative_to(EXPORTS)))
def test_detector_picks_the_format(path: Path) -> None:
    source = Source(name=path.name, size=path.stat().st_size, opener=lambda: path.open("rb"))
    found, confidence = registry.detect(source)
    assert found is not None and found.name == _expected(path)["format"]
    assert confidence > 0


def test_brand24_attributes_mentions_to_coop_and_peer(coop_db) -> None:
    import_path(coop_db, EXPORTS / "brand24-en" / "brand24_mentions.csv")
    kinds = {
        r["text"][:20]: r["kind"]
        for r in coop_db.query(
            "SELECT m.text, o.kind FROM mentions m JOIN organisations o ON o.id = m.organisation_id"
        )
    }
    assert kinds == {
        "KSP Sejahtera telat ": "self",
        "Koperasi Sejahtera m": "self",
        "Koperasi Maju Jaya b": "peer",
    }


def test_tweet_seen_by_brand24_and_in_archive_is_one_mention(coop_db, tmp_path) -> None:
    archive = tmp_path / "tweets.js"
    archive.write_text(
        'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1860000000000000001", '
        '"full_text": "x", "created_at": "Fri Nov 20 01:15:00 +0000 2026"}}]'
    )
    assert import_path(coop_db, archive)["added"] == 1
    summary = import_path(coop_db, EXPORTS / "brand24-en" / "brand24_mentions.csv")
    assert (summary["added"], summary["duplicates"]) == (2, 1)


def test_generic_formula_cells_are_inert(coop_db) -> None:
    import_path(coop_db, EXPORTS / "brand24-id" / "ekspor_brand24.xlsx")
    row = next(coop_db.query("SELECT text, reach, raw FROM mentions WHERE text LIKE '=%'"))
    assert row["text"].startswith("=HYPERLINK(")
    assert row["reach"] is None
    assert json.loads(row["raw"])["Jangkauan"] == "=1+1"
