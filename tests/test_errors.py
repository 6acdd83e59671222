"""The one error model: every message a person can see has its Indonesian translation, places
render in both languages, and the import history keeps errors (old rows too) as templates."""

from __future__ import annotations

import ast
import copy
import json
import pickle
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from citra import store
from citra.cli import cli
from citra.errors import LOCATION_UNITS, CitraError, Location, error_entry
from citra.i18n import catalogue
from citra.queries.imports import list_imports
from collectors.common import REASONS, reject
from collectors.importer import import_path
from tests.conftest import ROOT

SOURCE_DIRS = ("citra", "collectors")


def _modules() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for folder in SOURCE_DIRS
        for path in sorted((ROOT / folder).rglob("*.py"))
    }


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _error_classes(modules: dict[Path, ast.Module]) -> set[str]:
    """CitraError and every class of the code base that derives from it, by name."""
    found = {"CitraError"}
    classes = [node for tree in modules.values() for node in ast.walk(tree)]
    classes = [node for node in classes if isinstance(node, ast.ClassDef)]
    while True:
        more = {c.name for c in classes if any(_name(b) in found for b in c.bases)} - found
        if not more:
            return found
        found |= more


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments (templates kept in constants)."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    return found


def _raised_templates() -> tuple[dict[str, str], list[str]]:
    """``{template: where}`` of every error built with a literal (or constant) template, and
    the places that build one from an f-string (which no catalogue can hold)."""
    modules = _modules()
    errors = _error_classes(modules)
    templates: dict[str, str] = {}
    formatted: list[str] = []
    for path, tree in modules.items():
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            called = _name(node.func)
            is_super = (
                called == "__init__"
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Call)
                and _name(node.func.value.func) == "super"
            )
            if called not in errors and not is_super:
                continue
            first = node.args[0]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(first, ast.JoinedStr):
                formatted.append(where)
            elif isinstance(first, ast.Constant) and isinstance(first.value, str):
                templates[first.value] = where
            elif isinstance(first, ast.Name) and first.id in constants:
                templates[constants[first.id]] = where
    return templates, formatted


def test_the_walk_finds_the_error_templates() -> None:
    templates, _ = _raised_templates()
    assert len(templates) > 100
    assert "The tag '{name}…' is too long (at most {max} characters)." in templates
    assert "{file} is empty." in templates  # a FormatError, a subclass
    assert "the server answered HTTP {status} ({reason})" in templates  # a feed failure
    assert MSG_TOO_FEW_TEXT in templates  # kept in a constant


MSG_TOO_FEW_TEXT = (
    "Too few labelled rows to learn from: {rows} (at least {needed} needed). "
    "The current model is kept."
)


def test_no_error_is_built_from_an_f_string() -> None:
    _, formatted = _raised_templates()
    assert formatted == []


def _every_template() -> list[str]:
    templates, _ = _raised_templates()
    return sorted(
        set(templates)
        | set(LOCATION_UNITS.values())
        | set(REASONS)
        | {reason + ": '{value}'" for reason in REASONS}
    )


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("template", _every_template())
def test_every_error_template_has_an_indonesian_translation(template: str) -> None:
    translated = catalogue("id").get(template)
    assert translated, f"no Indonesian translation for: {template!r}"
    assert translated != template
    # The same placeholders, so filling the translation never fails or drops a value.
    assert _placeholders(translated) == _placeholders(template)


# --- rendering: places, nested messages, rejections -------------------------------------------


@pytest.mark.parametrize(
    ("location", "lang", "expected"),
    [
        (Location("a.csv", "line", 17), "en", "a.csv, line 17"),
        (Location("a.csv", "line", 17), "id", "a.csv, baris 17"),
        (Location(unit="row", number=4), "id", "baris 4"),
        (Location("tweets.js", "record", 2), "id", "tweets.js, data ke-2"),
        (Location(unit="comment", number=3), "id", "komentar ke-3"),
        (Location(unit="video", number=1), "id", "video ke-1"),
        (Location(unit="message", number=9), "id", "pesan ke-9"),
        (Location(unit="entry", number=5), "id", "entri ke-5"),
        (Location(file="data/tweets-part1.js"), "id", "data/tweets-part1.js"),
        (Location(), "id", ""),
    ],
)
def test_location_in_both_languages(location: Location, lang: str, expected: str) -> None:
    assert location.describe(lang) == expected


@pytest.mark.parametrize(
    ("reason", "value", "lang", "expected"),
    [
        ("date not readable", "32/13/2026", "en", "line 17: date not readable: '32/13/2026'"),
        ("date not readable", "32/13/2026", "id", "baris 17: tanggal tidak terbaca: '32/13/2026'"),
        ("date missing", None, "id", "baris 17: tanggal kosong"),
        ("text missing", "", "id", "baris 17: teks kosong"),
        ("no id or link", None, "en", "line 17: no id or link"),
        ("not a post or comment", None, "id", "baris 17: bukan postingan atau komentar"),
    ],
)
def test_rejection_in_both_languages(
    reason: str, value: str | None, lang: str, expected: str
) -> None:
    assert reject(Location(unit="line", number=17), reason, value).describe(lang) == expected


def test_a_long_rejected_value_is_cut() -> None:
    rejection = reject(Location(unit="line", number=2), "date not readable", "x" * 100)
    assert rejection.values["value"] == "x" * 57 + "..."


def test_nested_errors_render_in_the_same_language() -> None:
    inner = CitraError("the server answered HTTP {status} ({reason})", status=500, reason="Oops")
    outer = CitraError("not a readable feed: {reason}", reason=inner)
    assert outer.describe("en") == "not a readable feed: the server answered HTTP 500 (Oops)"
    assert outer.describe("id") == "bukan umpan yang dapat dibaca: server menjawab HTTP 500 (Oops)"
    listed = CitraError(
        "Nothing in {file} could be imported: {rejections}.",
        file="a.csv",
        rejections=[reject(Location(unit="line", number=n), "text missing") for n in (2, 3)],
    )
    assert listed.describe("id") == (
        "Tidak ada isi a.csv yang dapat diimpor: baris 2: teks kosong; baris 3: teks kosong."
    )


def test_an_error_survives_pickle_copy_and_json() -> None:
    error = CitraError(
        "not a readable feed: {reason}",
        location=Location("https://contoh.id/rss", None, None),
        reason=reject(Location(unit="entry", number=3), "date not readable", "kemarin"),
    )
    for again in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert again.describe("id") == error.describe("id")
    stored = CitraError.from_dict(json.loads(json.dumps(error.as_dict())))
    assert stored.describe("id") == error.describe("id")
    assert stored.describe("en") == str(error)


def test_a_citra_error_placed_in_a_file_keeps_its_position() -> None:
    moved = reject(Location(unit="record", number=2), "text missing").in_file("data/tweets.js")
    assert moved.describe("id") == "data/tweets.js, data ke-2: teks kosong"
    assert str(moved) == "data/tweets.js, record 2: text missing"


@pytest.mark.parametrize(
    ("entry", "expected_id"),
    [
        ({"where": "line 17", "reason": "date not readable"}, "baris 17: tanggal tidak terbaca"),
        (
            {"where": "a.csv, record 3", "reason": "date not readable: '32/13'"},
            "a.csv, data ke-3: tanggal tidak terbaca: '32/13'",
        ),
        ({"where": "data/x.js", "reason": "something new"}, "data/x.js: something new"),
        ({"where": "", "reason": "odd {brace} text"}, "odd {brace} text"),
    ],
)
def test_old_history_entries_are_still_read(entry: dict, expected_id: str) -> None:
    assert CitraError.from_dict(entry).describe("id") == expected_id


# --- the import history and the CLI -------------------------------------------------------------


def test_the_history_stores_templates_and_reads_old_rows(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "laporan.csv"
    bad.write_text("Date,Text\n32/13/2026,bagus sekali\n2026-11-02,pelayanan ramah\n", "utf-8")
    db = store.open_db(db_path)
    summary = import_path(db, bad)
    [entry] = summary["rejected"]
    assert entry["location"] == {"file": None, "unit": "line", "number": 2}
    assert entry["template"] == "date not readable: '{value}'"
    assert (entry["where"], entry["reason"]) == ("line 2", "date not readable: '32/13/2026'")
    db.execute(
        "INSERT INTO imports (kind, file_name, started_at, status, errors) VALUES "
        "('file', 'lama.csv', '2025-01-01T00:00:00Z', 'done', ?)",
        [json.dumps([{"where": "line 4", "reason": "text missing"}])],
    )
    db.conn.commit()
    history = list_imports(db)
    old, new = history[0]["errors"][0], history[1]["errors"][0]
    assert CitraError.from_dict(old).describe("id") == "baris 4: teks kosong"
    assert (
        CitraError.from_dict(new).describe("id") == "baris 2: tanggal tidak terbaca: '32/13/2026'"
    )
    assert error_entry(CitraError.from_dict(new)) == new


def test_a_failed_import_is_stored_as_a_template(db_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    db = store.open_db(db_path)
    with pytest.raises(CitraError):
        import_path(db, empty)
    [failed] = list_imports(db)
    assert failed["status"] == "failed"
    [entry] = failed["errors"]
    assert entry["template"] == "{file} is empty." and entry["where"] == "kosong.csv"
    assert CitraError.from_dict(entry).describe("id") == "kosong.csv kosong."


def test_the_cli_prints_the_place_and_exits_2(db_path: Path, tmp_path: Path) -> None:
    registry = tmp_path / "anggota.csv"
    registry.write_text("Nama,Cabang\nSiti,Bantul\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "members", "import", str(registry)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: anggota.csv, line 1: no member number column")
    assert "Traceback" not in result.output
