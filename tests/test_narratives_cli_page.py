"""The comms strategy's command line (CliRunner) and the Narasi & Rencana page (AppTest) on an
empty and on the demo database, as an editor and as a viewer."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from citra import pipeline, store
from citra.cli import cli
from citra.filters import local_today
from citra.store.imports import import_run
from citra.store.member_registry import upsert_member
from citra.store.organisations import set_profile
from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")


def run(db_path: Path, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)


@pytest.fixture
def coop_file(db_path: Path) -> Path:
    db = store.open_db(db_path)
    coop = set_profile(db, name="KSP Sejahtera")
    upsert_member(db, member_no="A-1", name="Ani", branch="Sleman", handles={"x": "ani"})
    today = local_today()
    with import_run(db, kind="test") as run_:
        run_.add(
            [
                {
                    "id": f"m{i}",
                    "platform": "x",
                    "organisation_id": coop.id,
                    "published_at": f"{(today - timedelta(days=i + 1)).isoformat()}T03:00:00Z",
                    "text": "aplikasi mobile koperasi mantap",
                    "author_handle": "ani",
                    "author": "Ani",
                    "reach": 100 if i else None,
                    "url": f"https://x.example/{i}",
                    "sentiment_label": "positive",
                    "sentiment_compound": 0.6,
                    "lexicon_version": "test",
                }
                for i in range(4)
            ]
        )
    pipeline.finish(db, pipeline.Change("import"))
    db.close()
    return db_path


def test_narratives_add_list_json_and_remove(coop_file: Path) -> None:
    added = run(coop_file, "narratives", "add", "Digital", "--keywords", "aplikasi mobile",
                "--example", "Cek saldo lewat aplikasi")  # fmt: skip
    assert added.exit_code == 0 and "Saved narrative 1: Digital" in added.output
    listed = json.loads(run(coop_file, "narratives", "list", "--period", "30d", "--json").output)
    (row,) = listed["narratives"]
    assert row["name"] == "Digital" and row["keywords"] == ["aplikasi mobile"]
    assert (row["mentions"], row["share"], row["reach"], row["without_reach"]) == (4, 1.0, 300, 1)
    assert row["net"] == 100.0
    assert "Digital" in run(coop_file, "narratives", "list").output
    assert "Removed narrative 1" in run(coop_file, "narratives", "remove", "digital").output
    gone = run(coop_file, "narratives", "remove", "digital")
    assert gone.exit_code == 2 and "No narrative 'digital'" in gone.output


def test_plan_add_list_check_and_remove(coop_file: Path) -> None:
    run(coop_file, "narratives", "add", "Digital", "--keywords", "aplikasi")
    assert "Added plan line 1" in run(coop_file, "plan", "add", "tiktok", "1").output
    run(coop_file, "plan", "add", "instagram", "2", "--per", "month", "--narrative", "Digital")
    lines = json.loads(run(coop_file, "plan", "list", "--json").output)
    assert [(x["channel"], x["narrative"]) for x in lines] == [
        ("instagram", "Digital"),
        ("tiktok", None),
    ]
    checked = json.loads(run(coop_file, "plan", "check", "--period", "30d", "--json").output)
    assert {"kind": "silent", "channel": "tiktok", "days": None} in [
        {k: g[k] for k in ("kind", "channel", "days")} for g in checked["gaps"]
    ]
    assert "no tiktok post yet" in run(coop_file, "plan", "check").output
    assert run(coop_file, "plan", "add", "myspace", "1").exit_code == 2
    assert "Removed plan line 1" in run(coop_file, "plan", "remove", "1").output


def test_topics_viral_and_voices_json(coop_file: Path) -> None:
    viral = json.loads(run(coop_file, "topics", "viral", "--json").output)
    assert set(viral) >= {"national", "regional", "headlines_now", "headlines_before"}
    voices = json.loads(run(coop_file, "voices", "--period", "30d", "--json").output)
    (voice,) = voices["by_reach"]
    assert (voice["voice"], voice["mentions"], voice["reach"]) == ("Ani", 4, 100)
    assert voices["unknown_reach"] == 0
    assert "1 voices" in run(coop_file, "voices").output


def test_members_ambassadors_lists_and_writes_the_month(coop_file: Path, tmp_path: Path) -> None:
    month = (local_today() - timedelta(days=1)).isoformat()[:7]
    days = {(local_today() - timedelta(days=i + 1)).isoformat()[:7] for i in range(4)}
    rule = "1" if len(days) > 1 else "3"  # the four shares may straddle a month's start
    listed = json.loads(
        run(
            coop_file, "members", "ambassadors", "--month", month, "--min-shares", rule, "--json"
        ).output  # fmt: skip
    )
    assert listed[0]["member_no"] == "A-1" and listed[0]["branch"] == "Sleman"
    out = tmp_path / "duta.csv"
    written = run(coop_file, "members", "ambassadors", "--month", month, "--min-shares", rule,
                  "--out", str(out), "--hide-names")  # fmt: skip
    assert "1 ambassadors written" in written.output
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert "A-1" not in str(rows) and rows[1][0] == "Sleman"
    xlsx = tmp_path / "duta.xlsx"
    run(coop_file, "members", "ambassadors", "--month", month, "--out", str(xlsx))
    assert xlsx.stat().st_size > 0
    # Lists of members are personal data: the files are the owner's alone (citra.exports).
    assert out.stat().st_mode & 0o777 == 0o600 and xlsx.stat().st_mode & 0o777 == 0o600
    bad = run(coop_file, "members", "ambassadors", "--month", "2026-13")
    assert bad.exit_code == 2 and "not a month" in bad.output


# --- the page ------------------------------------------------------------------------------------


# Every test starts with empty Streamlit caches (conftest).
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("narratives") / "demo.db"
    db = store.open_db(path)
    pipeline.seed_demo(db)
    db.close()
    return path


def open_page(lang: str = "id") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.query_params["range"] = "90d"
    at.run()
    at.switch_page("pages/narratives.py").run()
    return at


def frame(at: AppTest, column: str):
    """The first table on the page with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_page_on_an_empty_database(db_path: Path) -> None:
    at = open_page()
    assert not at.exception
    assert any("Citra belum tahu" in i.value or "Start" in i.value for i in at.info)
    db = store.open_db(db_path)
    set_profile(db, name="KSP Sejahtera")
    db.close()
    at = open_page()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "Belum ada narasi" in infos and "Belum ada rencana" in infos


def test_page_on_the_demo_database(
    demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    monkeypatch.setenv("CITRA_DB", str(path))
    at = open_page("en")
    assert not at.exception
    assert at.title[0].value == "Narratives & plan"
    table = frame(at, "Verdict")
    assert set(table["Narrative"]) == {
        "Koperasi modern dan digital",
        "Kesejahteraan anggota",
        "UMKM desa",
    }
    assert table["Mentions"].sum() > 0
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("No TikTok post for") for w in warnings)
    assert any("planned" in w and "published" in w for w in warnings)
    members = frame(at, "Attendance-day posts")
    assert "Member number" in members.columns and len(members) > 0
    topics = [m.value for m in at.markdown if m.value.startswith("**pinjol ilegal**")]
    assert topics and "suggested" in topics[0]
    assert at.get("download_button")
    # the editor's forms are there
    assert at.button(key="narratives_remove") is not None


def test_page_for_a_viewer_hides_names_and_forms(
    demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    monkeypatch.setenv("CITRA_DB", str(path))
    monkeypatch.setenv("CITRA_ROLE", "viewer")
    at = open_page("en")
    assert not at.exception
    members = frame(at, "Attendance-day posts")
    assert "Member number" not in members.columns and "Name" not in members.columns
    assert not [b for b in at.button if b.key == "narratives_remove"]
    assert not at.get("form")


def test_demo_story_has_three_narratives_and_a_plan(demo_file: Path) -> None:
    db = store.open_db(demo_file)
    assert db.execute("SELECT count(*) FROM narratives WHERE is_demo = 1").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM comm_plan WHERE is_demo = 1").fetchone()[0] >= 5
    assert db.execute("SELECT count(*) FROM mention_narratives").fetchone()[0] > 500
    copy = store.open_db(":memory:")
    db.conn.backup(copy.conn)
    removed = pipeline.remove_demo(copy)
    assert removed["narratives"] == 3 and removed["comm_plan"] >= 5
    assert removed["feed_headlines"] > 500
    assert copy.execute("SELECT count(*) FROM mention_narratives").fetchone()[0] == 0
    db.close()


def test_the_overview_shows_the_narratives_block(
    demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    monkeypatch.setenv("CITRA_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.query_params["range"] = "90d"
    at.run()
    assert not at.exception
    assert "Our narratives" in [h.value for h in at.subheader]
    lines = [m.value for m in at.markdown if m.value.startswith("- **UMKM desa**")]
    assert lines and "of the mentions, net sentiment" in lines[0]
    assert any("gaps in the posting plan" in c.value for c in at.caption)


# --- the audit log -------------------------------------------------------------------------------


def test_the_strategy_writes_and_risk_corrections_are_in_the_audit_log(coop_file: Path) -> None:
    from citra.access import EDITOR, Actor, acting
    from citra.queries.audit import audit_csv
    from citra.store.narratives import set_ambassador_rule
    from citra.store.risk import clear_risk_correction, set_risk_correction

    name = '=HYPERLINK("https://evil.example/","x")'
    run(coop_file, "narratives", "add", name, "--keywords", "aplikasi")
    run(coop_file, "plan", "add", "tiktok", "2", "--narrative", name)
    run(coop_file, "plan", "remove", "1")
    db = store.open_db(coop_file)
    seq = db.execute("SELECT min(seq) FROM mentions").fetchone()[0]
    with acting(Actor("budi", EDITOR)):
        set_risk_correction(db, seq, "fraud")
        clear_risk_correction(db, seq)
        set_ambassador_rule(db, 2)
    db.close()
    run(coop_file, "narratives", "remove", name)
    rows = json.loads(run(coop_file, "audit", "--json").output)[::-1]  # oldest first
    rows = rows[[r["action"] for r in rows].index("narrative saved") :]  # after the setup's
    done = [(r["action"], r["target"]) for r in rows]
    assert done == [
        ("narrative saved", name),
        ("plan line added", "tiktok"),
        ("plan line removed", "1"),
        ("risk corrected", str(seq)),
        ("risk correction cleared", str(seq)),
        ("ambassador rule set", None),
        ("narrative removed", name),
    ], done
    assert [r["actor"] for r in rows if r["action"].startswith(("risk", "ambassador"))] == [
        "budi"
    ] * 3
    assert rows[5]["detail"] == {"min_shares": 2}
    # Settings' download of the log goes through citra.exports: the name is no formula there.
    db = store.open_readonly(coop_file)
    text = audit_csv(db).decode("utf-8")
    db.close()
    cells = [cell for row in csv.reader(text.splitlines()) for cell in row]
    assert "'" + name in cells and name not in cells
