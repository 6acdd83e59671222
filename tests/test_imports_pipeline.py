"""Re-import, undo, presets, progress, and the CLI (click's CliRunner)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from citra import store
from citra.cli import cli
from citra.errors import CitraError
from citra.store.organisations import set_profile
from collectors.importer import (
    NeedsColumnMapping,
    column_presets,
    import_history,
    import_path,
    preview_columns,
    save_column_preset,
    undo,
)
from tests.conftest import FIXTURES

EXPORTS = FIXTURES / "exports"
BRAND24 = EXPORTS / "brand24-en" / "brand24_mentions.csv"


def _mention_count(db) -> int:
    return db.execute("SELECT count(*) FROM mentions").fetchone()[0]


def test_reimport_adds_nothing_and_says_so(db) -> None:
    first = import_path(db, BRAND24)
    second = import_path(db, BRAND24)
    assert (first["added"], second["added"], second["duplicates"]) == (3, 0, 3)
    assert first["already_imported"] is None
    assert second["already_imported"]["id"] == first["import_id"]
    assert _mention_count(db) == 3


def test_undo_removes_exactly_what_was_added(db) -> None:
    import_path(db, EXPORTS / "mention" / "mention_export.csv")
    before = {r["id"] for r in db.query("SELECT id FROM mentions")}
    summary = import_path(db, BRAND24)
    assert undo(db, summary["import_id"]) == 3
    assert {r["id"] for r in db.query("SELECT id FROM mentions")} == before
    assert import_history(db)[0]["status"] == "undone"
    with pytest.raises(CitraError, match="already undone"):
        undo(db, summary["import_id"])
    with pytest.raises(CitraError, match="no import #999"):
        undo(db, 999)
    # After undo the same file imports again in full.
    assert import_path(db, BRAND24)["added"] == 3


def test_undo_of_a_reimport_keeps_the_first_imports_mentions(db) -> None:
    import_path(db, BRAND24)
    again = import_path(db, BRAND24)
    assert undo(db, again["import_id"]) == 0
    assert _mention_count(db) == 3


def test_progress_reaches_one(db) -> None:
    seen: list[float] = []
    import_path(db, BRAND24, progress=lambda fraction, _name: seen.append(fraction))
    assert seen[-1] == 1.0 and seen == sorted(seen)


def test_mentions_are_scored_as_they_are_imported(db) -> None:
    from citra.sentiment import SentimentAnalyzer
    from citra.sentiment.rescore import pending_count

    import_path(db, BRAND24)
    rows = list(db.query("SELECT sentiment_label, lexicon_version FROM mentions"))
    assert len(rows) == 3
    assert {row["lexicon_version"] for row in rows} == {SentimentAnalyzer(db).version}
    assert all(row["sentiment_label"] in {"positive", "neutral", "negative"} for row in rows)
    assert pending_count(db) == 0


def test_own_handle_in_a_monitoring_export_is_own(db, tmp_path: Path) -> None:
    set_profile(db, name="KSP Sejahtera", accounts={"x": "@kspsejahtera"})
    path = tmp_path / "m.csv"
    path.write_text(
        "date,text,url,username\n2026-11-01,Info RAT,https://x.com/kspsejahtera/status/5,"
        "@KSPSejahtera\n",
        encoding="utf-8",
    )
    import_path(db, path)
    assert next(db.query("SELECT is_own, organisation_id FROM mentions")) == {
        "is_own": 1,
        "organisation_id": 1,
    }


UNCERTAIN = [["Kapan", "Apa kata orang", "Dari mana"], ["2026-11-01", "bagus", "web"]]


def _uncertain_csv(tmp_path: Path) -> Path:
    path = tmp_path / "aneh.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(UNCERTAIN)
    return path


def test_uncertain_csv_asks_for_a_mapping_then_uses_the_preset(db, tmp_path: Path) -> None:
    path = _uncertain_csv(tmp_path)
    preview = preview_columns(path, db=db)
    assert preview["certain"] is False
    assert preview["headers"] == UNCERTAIN[0] and preview["rows"] == [UNCERTAIN[1]]
    with pytest.raises(NeedsColumnMapping) as caught:
        import_path(db, path)
    assert caught.value.headers == UNCERTAIN[0]
    mapping = {"date": "Kapan", "text": "Apa kata orang", "platform": "Dari mana"}
    save_column_preset(db, "Laporan aneh", mapping, UNCERTAIN[0])
    assert preview_columns(path, db=db)["certain"] is True
    assert import_path(db, path)["added"] == 1  # same headers: the preset applies by itself
    assert column_presets(db)[0]["mapping"] == mapping


def test_explicit_preset_and_bad_presets(db, tmp_path: Path) -> None:
    path = _uncertain_csv(tmp_path)
    save_column_preset(db, "p", {"date": "Kapan", "text": "Apa kata orang"})
    assert import_path(db, path, preset="p")["added"] == 1
    with pytest.raises(CitraError, match="no column preset called 'q'"):
        import_path(db, path, preset="q")
    with pytest.raises(CitraError, match="date and which the text"):
        save_column_preset(db, "r", {"date": "Kapan"})
    with pytest.raises(CitraError, match="Unknown field"):
        save_column_preset(db, "r", {"date": "Kapan", "text": "x", "colour": "y"})


# --- CLI -------------------------------------------------------------------------------------


def _run(db_path: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db_path), *args])


def test_cli_import_json_and_exit_codes(db_path: Path, tmp_path: Path) -> None:
    result = _run(db_path, "import", str(BRAND24), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {k: data[k] for k in ("format", "added", "duplicates")} == {
        "format": "brand24",
        "added": 3,
        "duplicates": 0,
    }
    assert [(e["where"], e["reason"]) for e in data["rejected"]] == [
        ("line 5", "date not readable: '2026-13-45'")
    ]
    assert data["rejected"][0]["location"] == {"file": None, "unit": "line", "number": 5}
    scored = store.open_db(db_path).execute(
        "SELECT count(*) FROM mentions WHERE sentiment_label IS NOT NULL AND lexicon_version IS NOT NULL"
    )
    assert scored.fetchone()[0] == 3  # new mentions are scored in the same run
    again = _run(db_path, "import", str(BRAND24))
    assert again.exit_code == 0 and "already imported" in again.output
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    failed = _run(db_path, "import", str(empty))
    assert failed.exit_code == 2 and "kosong.csv is empty" in failed.output


def test_cli_format_option_history_undo_presets(db_path: Path) -> None:
    result = _run(
        db_path, "import", str(EXPORTS / "mention" / "mention_export.csv"), "--format", "csv"
    )
    assert result.exit_code == 0 and "(csv)" in result.output
    listed = _run(db_path, "imports", "list", "--json")
    history = json.loads(listed.output)
    assert history[0]["format"] == "csv" and history[0]["added"] == 2
    assert "#1" in _run(db_path, "imports", "list").output
    undone = _run(db_path, "imports", "undo", "1")
    assert undone.exit_code == 0 and "2 mentions removed" in undone.output
    assert _run(db_path, "imports", "undo", "1").exit_code == 2
    db = store.open_db(db_path)
    save_column_preset(db, "Excel kantor", {"date": "Tgl", "text": "Isi"})
    db.close()
    presets = _run(db_path, "imports", "presets", "list")
    assert "Excel kantor\tdate=Tgl, text=Isi" in presets.output
    assert json.loads(_run(db_path, "imports", "presets", "list", "--json").output)[0]["name"] == (
        "Excel kantor"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["import"],
        ["imports"],
        ["imports", "list"],
        ["imports", "undo"],
        ["imports", "presets", "list"],
    ],
)
def test_cli_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
