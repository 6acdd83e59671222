"""The ingest pipeline: every write ends in finish(); scoring cannot be skipped; re-matching;
fresh numbers on the pages after any write (the data version)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.feeds.server import FeedServer
from sqlite_utils import Database
from streamlit.testing.v1 import AppTest

from citra import pipeline, store
from citra.cli import cli
from citra.i18n import Translator
from citra.store.data_version import DataVersion
from citra.store.imports import import_run
from citra.store.news import add_feed
from citra.store.organisations import set_profile
from collectors.rss import collect as collect_without_pipeline
from tests.conftest import FIXTURES, ROOT

BRAND24 = FIXTURES / "exports" / "brand24-en" / "brand24_mentions.csv"
FAST = {"budget": 1.0, "timeout": 0.5, "workers": 4}


@pytest.fixture
def finished(monkeypatch: pytest.MonkeyPatch) -> list[pipeline.Change]:
    """Every Change handed to finish(), recorded by an extra step (as the alerts step will be)."""
    seen: list[pipeline.Change] = []

    def record(db: Database, change: pipeline.Change, progress: object) -> None:
        seen.append(change)

    monkeypatch.setattr(pipeline, "STEPS", (*pipeline.STEPS, ("record", record)))
    return seen


def unscored(db: Database) -> int:
    return db.execute("SELECT count(*) FROM mentions WHERE lexicon_version IS NULL").fetchone()[0]


def test_collect_scores_new_mentions_and_hands_them_on(
    db: Database, server: FeedServer, finished: list
) -> None:
    set_profile(db, name="KSP Sejahtera", keywords=["Koperasi Sejahtera"])
    add_feed(db, f"{server.base}/files/rss_basic.xml")
    summary = pipeline.collect(db, **FAST)
    assert summary.added > 0 and unscored(db) == 0
    assert [(c.source, c.added) for c in finished] == [("collect", summary.added)]


def test_a_crash_between_commit_and_scoring_is_healed_by_the_next_write(
    db: Database, server: FeedServer
) -> None:
    set_profile(db, name="KSP Sejahtera", keywords=["Koperasi Sejahtera"])
    add_feed(db, f"{server.base}/files/rss_basic.xml")
    collect_without_pipeline(db, **FAST)  # what a kill -9 after the commit leaves
    assert unscored(db) > 0
    pipeline.import_file(db, BRAND24)  # any later write, of any kind
    assert unscored(db) == 0


def test_every_entry_point_ends_in_finish(
    db_path: Path, tmp_path: Path, finished: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = store.open_db(db_path)
    pipeline.save_profile(db, name="KSP Sejahtera")
    summary = pipeline.import_file(db, BRAND24)
    chat = tmp_path / "WhatsApp Chat with Pengurus.txt"
    chat.write_text("05/11/26 10.00 - Ratih: Kapan RAT?\n", encoding="utf-8")
    pipeline.import_file(db, chat)
    pipeline.import_chat(db, chat, group="Pengurus")
    pipeline.undo(db, summary["import_id"])
    pipeline.rescore(db, all=True)
    sources = [change.source for change in finished]
    assert sources == ["rematch", "import", "chat", "chat", "undo", "rescore"]
    assert finished[1].import_ids == (summary["import_id"],)
    assert finished[4].removed == summary["added"]


def test_profile_changes_match_stored_mentions_again(db: Database) -> None:
    rows = [
        {
            "id": "a",
            "platform": "x",
            "published_at": "2026-11-01T00:00:00Z",
            "text": "KSP Sejahtera bagus",
        },
        {"id": "b", "platform": "x", "published_at": "2026-11-01T00:00:00Z", "text": "cuaca cerah"},
        {
            "id": "c",
            "platform": "x",
            "published_at": "2026-11-01T00:00:00Z",
            "text": "KSP Sejahtera Motor servis",
        },
    ]
    with import_run(db, kind="file") as run:
        run.add(rows)
    attributed = "SELECT id FROM mentions WHERE organisation_id IS NOT NULL ORDER BY id"
    assert db.execute(attributed).fetchall() == []  # imported before the profile existed
    coop = pipeline.save_profile(db, name="KSP Sejahtera")
    assert [r[0] for r in db.execute(attributed)] == ["a", "c"]
    pipeline.save_profile(db, exclude_keywords=["Motor"])  # an exclusion word vetoes "c"
    assert [r[0] for r in db.execute(attributed)] == ["a"]
    peer = pipeline.save_peer(db, "Kopdit Cerah", keywords=["cuaca cerah"])
    assert dict(db.execute("SELECT id, organisation_id FROM mentions WHERE id != 'c'")) == {
        "a": coop.id,
        "b": peer.id,
    }
    pipeline.delete_peer(db, peer.id)
    assert [r[0] for r in db.execute(attributed)] == ["a"]


def test_data_version_moves_with_every_commit_from_any_connection(db_path: Path) -> None:
    probe = DataVersion(db_path)
    first = probe.current()
    assert probe.current() == first  # no write, same version
    writer = store.open_db(db_path)
    set_profile(writer, name="KSP Sejahtera")
    assert probe.current() != first
    writer.close()
    probe.close()


def test_a_cli_import_shows_at_the_next_rerun_of_an_open_session(
    db_path: Path, fresh_caches: None
) -> None:
    set_profile(store.open_db(db_path), name="Brand24 Coop", keywords=["Kopsera", "koperasi"])
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    mentions = Translator("en")("Mentions")

    def shown() -> str:
        return next(m.value for m in at.metric if m.label == mentions)

    before = shown()
    at.run()
    assert shown() == before  # cached, nothing written
    result = CliRunner().invoke(cli, ["--db", str(db_path), "import", str(BRAND24)])
    assert result.exit_code == 0, result.output
    at.run()
    assert shown() != before


def test_removing_the_demo_empties_the_members_page_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_caches: None
) -> None:
    path = tmp_path / "demo.db"
    db = store.open_db(path)
    pipeline.seed_demo(db, scale=0.05)
    db.close()
    monkeypatch.setenv("CITRA_DB", str(path))
    monkeypatch.setenv("CITRA_ROLE", "admin")
    members = AppTest.from_file(str(ROOT / "pages" / "members.py"), default_timeout=60)
    members.session_state["lang"] = "en"
    members.run()
    _ = Translator("en")
    active = {m.label: m.value for m in members.metric}[_("Active members")]
    assert int(active.replace(",", "")) > 400
    names = next(df.value for df in members.dataframe if _("Name") in df.value.columns)
    assert len(names) > 0
    # Settings in the whole app (its "go to Start" link after the removal needs the navigation).
    settings = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    settings.session_state["lang"] = "en"
    settings.run()
    settings.switch_page("pages/settings.py").run()
    settings.checkbox(key="confirm_demo_removal").check().run()
    next(b for b in settings.button if b.label == _("Remove demo data")).click().run()
    assert not settings.exception, settings.exception
    members.run()
    assert {m.label: m.value for m in members.metric}[_("Active members")] == "0"
    assert not any(_("Name") in df.value.columns and len(df.value) for df in members.dataframe)
    shutil.rmtree(tmp_path, ignore_errors=True)
