"""The shipped data files: well-formed, within VADER's scale, no term written twice."""

from __future__ import annotations

from importlib import resources

import pytest

from citra.sentiment import lexicon

DATA = resources.files("citra.sentiment") / "data"


def _terms(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, _, value = line.partition("\t")
            rows.append((term, value))
    return rows


@pytest.mark.parametrize("name", lexicon.LEXICON_FILES)
def test_lexicon_file_is_well_formed(name: str) -> None:
    rows = _terms(name)
    assert rows, f"{name} is empty"
    terms = [term for term, _ in rows]
    assert len(terms) == len(set(terms)), f"{name} lists a term twice"
    for term, value in rows:
        assert term == term.strip().lower() and "_" not in term, term
        assert -4.0 <= float(value) <= 4.0, (term, value)


def test_no_term_in_two_lexicon_files() -> None:
    seen: dict[str, str] = {}
    for name in lexicon.LEXICON_FILES:
        if name == "lexicon_overrides.tsv":
            continue  # overrides exist to replace VADER's English valences
        for term, _ in _terms(name):
            assert term not in seen, f"{term!r} is in {seen.get(term)} and {name}"
            seen[term] = name


def test_lexicon_size_and_tables() -> None:
    loaded = lexicon.load()
    entries = sum(len(_terms(name)) for name in lexicon.LEXICON_FILES)
    assert entries >= 3000
    assert loaded.normalise["gk"] == ("tidak",) and loaded.normalise["yg"] == ("yang",)
    assert loaded.risk[("gagal", "bayar")] == "default"
    assert loaded.version.startswith("lex-")


def test_the_version_changes_with_the_rule_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A release that changes a rule and no data file still re-scores stored mentions."""
    shipped = lexicon.load().version
    monkeypatch.setattr(lexicon, "RULE_MODULES", ("analyzer.py", "rules.py"))
    lexicon.load.cache_clear()
    try:
        assert lexicon.load().version != shipped
    finally:
        monkeypatch.undo()
        lexicon.load.cache_clear()
    assert lexicon.load().version == shipped
