"""House rules enforced by tests: pages hold no SQL and have one shape; citra/ imports no Streamlit
but in ui.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGE_FILES = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "dashboard.py"]
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WITH)\b", re.I)
FORBIDDEN_MODULES = {"sqlite3", "sqlite_utils", "apsw"}


def sql_offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    offences = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            offences += [
                f"imports {a.name}" for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES
            ]
        elif (
            isinstance(node, ast.ImportFrom)
            and (node.module or "").split(".")[0] in FORBIDDEN_MODULES
        ):
            offences.append(f"imports from {node.module}")
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value)
        ):
            offences.append(f"SQL text at line {node.lineno}")
        elif isinstance(node, ast.Attribute) and node.attr in {"execute", "executemany", "query"}:
            offences.append(f".{node.attr}() at line {node.lineno}")
    return offences


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_hold_no_sql(path: Path) -> None:
    assert sql_offences(path) == []


def test_the_rule_catches_sql() -> None:
    source = ROOT / "tests" / "fixtures" / "bad_page.py.txt"
    assert set(sql_offences(source)) == {
        "imports sqlite3",
        "SQL text at line 4",
        ".execute() at line 4",
    }


# One page shape: read through ui.cached, write through ui.writer (and citra.pipeline), translate
# through ui.t, clear caches only through ui.clear_caches, and reach the input edge only through
# citra (citra.pipeline, citra.sources).
SHAPE_NAMES = {
    "open_db": "opens the database itself (use ui.writer)",
    "open_readonly": "opens the database itself (use ui.cached)",
    "Translator": "builds its own translator (use ui.t)",
}
SHAPE_ATTRIBUTES = {
    "cache_data": "caches on its own (use ui.cached)",
    "cache_resource": "caches on its own (use ui.cached)",
    "atomic": "runs its own transaction (call a citra.store or citra.pipeline function)",
}


def shape_offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    offences = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[0] == "collectors":
                offences.append(f"imports from {module} at line {node.lineno}")
            offences += [
                f"{SHAPE_NAMES[a.name]} at line {node.lineno}"
                for a in node.names
                if a.name in SHAPE_NAMES
            ]
        elif isinstance(node, ast.Import):
            offences += [
                f"imports {a.name} at line {node.lineno}"
                for a in node.names
                if a.name.split(".")[0] == "collectors"
            ]
        elif isinstance(node, ast.Name) and node.id in SHAPE_NAMES:
            offences.append(f"{SHAPE_NAMES[node.id]} at line {node.lineno}")
        elif isinstance(node, ast.Attribute) and node.attr in SHAPE_NAMES | SHAPE_ATTRIBUTES:
            reason = (SHAPE_NAMES | SHAPE_ATTRIBUTES)[node.attr]
            offences.append(f"{reason} at line {node.lineno}")
    return sorted(set(offences))


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_have_the_one_page_shape(path: Path) -> None:
    assert shape_offences(path) == []


def test_the_shape_rule_catches_each_offence() -> None:
    source = ROOT / "tests" / "fixtures" / "bad_page_shape.py.txt"
    assert shape_offences(source) == [
        "builds its own translator (use ui.t) at line 5",
        "builds its own translator (use ui.t) at line 9",
        "caches on its own (use ui.cached) at line 12",
        "imports collectors.rss at line 7",
        "imports from collectors.importer at line 6",
        "opens the database itself (use ui.cached) at line 14",
        "opens the database itself (use ui.writer) at line 19",
        "runs its own transaction (call a citra.store or citra.pipeline function) at line 20",
    ]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "citra").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_core_package_does_not_import_streamlit(path: Path) -> None:
    if path.name == "ui.py" and path.parent.name == "citra":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert "streamlit" not in imported


def test_streamlit_theme_uses_the_one_chart_palette() -> None:
    import tomllib

    from citra.charts import PALETTE

    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    names = ("positive", "neutral", "negative", "blue", "amber", "violet")
    assert theme["chartCategoricalColors"] == [PALETTE[n] for n in names]


def test_data_folder_is_in_git_and_its_database_is_not() -> None:
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files", "data"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked == ["data/README.md"]
    ignored = subprocess.run(
        ["git", "check-ignore", "data/citra.db", "data/citra.db-wal", "data/citra.db.salt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert ignored == ["data/citra.db", "data/citra.db-wal", "data/citra.db.salt"]


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_draw_charts_in_the_readers_language(path: Path) -> None:
    assert "st.plotly_chart(" not in path.read_text(encoding="utf-8"), "use ui.chart(fig, ...)"
