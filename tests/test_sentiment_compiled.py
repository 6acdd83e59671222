"""The compiled fast path (``citra.sentiment.fast`` built with mypyc by ``make install``) and the
Python module it is built from: which one is in use, the same scores from both, a stale build
never used (``citra.sentiment.compiled``).

CI builds the compiled module and sets ``CITRA_REQUIRE_COMPILED=1``: there the whole suite runs
against it, and :func:`test_which_fast_path_is_in_use` fails when it did not build. Elsewhere
that test says which one is in use (a skip names the Python module and why); the pytest header
says it too.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from citra.sentiment import SentimentAnalyzer, compiled

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "sentiment"
DEV_DATA = Path("/work/shared/data/sentiment-dev")


def test_which_fast_path_is_in_use() -> None:
    if os.environ.get("CITRA_REQUIRE_COMPILED") == "1":
        assert compiled.in_use(), compiled.status()
    elif not compiled.in_use():
        pytest.skip(f"fast path in use: {compiled.status()}")
    assert compiled.status() == "compiled (mypyc)"


def _python_module() -> ModuleType:
    """``fast.py`` loaded as Python under a name of its own, beside the compiled module."""
    name = "citra.sentiment._fast_as_python"
    spec = importlib.util.spec_from_file_location(name, compiled.SOURCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _texts() -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    texts = corpus.texts(3000, seed=29)
    paths = sorted(FIXTURES.glob("*.csv"))
    if DEV_DATA.is_dir():
        paths += sorted(DEV_DATA.glob("*.csv"))
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            texts.extend(row["text"] for row in csv.DictReader(handle))
    # What the analyzer must take too: nothing, a number, capitals, boilerplate, a coop name.
    texts += [
        "",
        None,
        12345,
        "SANGAT KECEWA!!! dana TIDAK cair??",
        "Baca juga: KSP Sejahtera Makmur gagal bayar, anggota demo",
        "Koperasi Simpan Pinjam (KSP) Harapan Baru tidak bisa mencairkan simpanan :( 😭",
    ]
    return texts


def test_the_python_module_gives_the_compiled_modules_scores() -> None:
    if not compiled.in_use():
        pytest.skip(f"no compiled module to compare with: {compiled.status()}")
    analyzer = SentimentAnalyzer()
    built = analyzer._fast
    python = _python_module().FastPath(analyzer)
    assert type(built).__module__ == compiled.MODULE
    for text in _texts():
        assert python.scores(text) == built.scores(text), text
        assert python.compound(text) == built.compound(text), text
        assert python.words(text) == built.words(text), text


def test_a_build_from_another_source_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A compiled module whose stamp names another fast.py (or none) is passed over, and so it
    is when ``CITRA_PURE_PYTHON=1`` asks for the Python module."""
    monkeypatch.setattr(compiled, "compiled_file", lambda: tmp_path / "fast.so")
    monkeypatch.delenv(compiled.PURE_ENV, raising=False)
    stamp = tmp_path / "fast.compiled-from"
    monkeypatch.setattr(compiled, "STAMP", stamp)
    finder = compiled._Finder()
    assert "no stamp" in (compiled._pure_reason() or "")
    stamp.write_text("0" * 64 + "\n")
    assert "another fast.py" in (compiled._pure_reason() or "")
    spec = finder.find_spec(compiled.MODULE)
    assert spec is not None and spec.origin == str(compiled.SOURCE)
    assert finder.find_spec("citra.sentiment.analyzer") is None
    stamp.write_text(compiled.source_digest() + "\n")
    assert compiled._pure_reason() is None
    assert finder.find_spec(compiled.MODULE) is None  # the usual finders take the compiled one
    monkeypatch.setenv(compiled.PURE_ENV, "1")
    assert compiled._pure_reason() == "CITRA_PURE_PYTHON=1"


def test_no_compiled_module_means_python_finds_fast_py(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "compiled_file", lambda: None)
    monkeypatch.setenv(compiled.PURE_ENV, "1")
    assert compiled._pure_reason() is None
    assert compiled._Finder().find_spec(compiled.MODULE) is None


def test_the_finder_is_installed_once() -> None:
    compiled.install()
    compiled.install()
    assert sum(isinstance(f, compiled._Finder) for f in sys.meta_path) == 1
