"""The command line through click's CliRunner, and the convention that README documents it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from citra.cli import cli
from tests.conftest import ROOT


def run(db_path: Path, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)


def test_init_profile_and_peers(tmp_path: Path) -> None:
    db_path = tmp_path / "citra.db"
    assert "Database ready" in run(db_path, "init").output
    result = run(
        db_path,
        "profile", "set", "--name", "Koperasi Sejahtera Bersama",
        "--keywords", "KSP Sejahtera, #kopsejahtera", "--exclude", "Sejahtera Motor",
        "--website", "https://kopsejahtera.id", "--account", "instagram=@kopsejahtera",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert run(db_path, "peers", "add", "KSP Maju Jaya", "--keywords", "Kopdit Maju").exit_code == 0
    shown = json.loads(run(db_path, "profile", "show", "--json").output)
    assert shown["coop"]["keywords"] == ["KSP Sejahtera", "#kopsejahtera"]
    assert shown["coop"]["accounts"] == {"instagram": "@kopsejahtera"}
    assert [p["name"] for p in shown["peers"]] == ["KSP Maju Jaya"]
    assert "KSP Maju Jaya" in run(db_path, "peers", "list").output
    assert run(db_path, "peers", "remove", "KSP Maju Jaya").exit_code == 0
    assert json.loads(run(db_path, "peers", "list", "--json").output) == []


def test_stats_json_counts_rows(tmp_path: Path) -> None:
    db_path = tmp_path / "citra.db"
    run(db_path, "profile", "set", "--name", "Kopsera")
    counts = json.loads(run(db_path, "stats", "--json").output)
    assert counts["organisations"] == 1
    assert counts["mentions"] == 0
    assert counts["file_bytes"] > 0 and counts["bytes_per_mention"] is None
    assert "database file:" in run(db_path, "stats").output


def test_backup_writes_a_copy(tmp_path: Path) -> None:
    db_path = tmp_path / "citra.db"
    run(db_path, "profile", "set", "--name", "Kopsera")
    out = tmp_path / "copy.db"
    assert run(db_path, "backup", str(out)).exit_code == 0
    counts = json.loads(run(out, "stats", "--json").output)
    assert counts["organisations"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("profile", "set", "--keywords", "x"), "needs a name"),
        (("peers", "remove", "Nobody"), "No peer called 'Nobody'"),
        (("profile", "set", "--name", "K", "--account", "instagram"), "PLATFORM=HANDLE"),
    ],
)
def test_expected_failures_exit_2_with_a_message(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "c.db"), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_a_non_database_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("hello")
    result = CliRunner().invoke(cli, ["--db", str(bad), "stats"])
    assert result.exit_code == 2
    assert "not an SQLite database" in result.output
    assert bad.read_text() == "hello"


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found.extend(all_commands(command, f"{full} "))
        else:
            found.append((full, command))
    return found


COMMANDS = all_commands(cli)


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_every_command_has_help_and_is_in_readme(name: str) -> None:
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"`{re.escape(name)}(\s[^`]*)?`", readme), f"`{name}` missing from README"


def test_backup_copies_the_salt_beside_the_copy_only_when_asked(tmp_path: Path) -> None:
    db_path = tmp_path / "citra.db"
    run(db_path, "init")
    (tmp_path / "citra.db.salt").write_bytes(b"s" * 32)
    out = tmp_path / "out" / "copy.db"
    result = run(db_path, "backup", str(out))
    assert "Salt not copied" in result.output and "--with-salt" in result.output
    assert not (tmp_path / "out" / "copy.db.salt").exists()
    assert out.stat().st_mode & 0o777 == 0o600
    result = run(db_path, "backup", str(out), "--with-salt")
    assert "Salt copied" in result.output
    salt_copy = tmp_path / "out" / "copy.db.salt"
    assert salt_copy.read_bytes() == b"s" * 32
    assert salt_copy.stat().st_mode & 0o777 == 0o600


def test_version_is_written_once_and_the_citra_script_points_at_main() -> None:
    import tomllib

    import citra
    from citra.cli import main

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "citra.__version__"}
    module, _, name = project["project"]["scripts"]["citra"].partition(":")
    assert (module, name) == ("citra.cli", "main") and callable(main)
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output.strip() == f"citra {citra.__version__}"


def test_command_modules_do_not_import_the_cli_back() -> None:
    for path in (ROOT / "citra" / "commands").glob("*.py"):
        source = path.read_text()
        assert "from citra.cli import" not in source and "import citra.cli" not in source, path
