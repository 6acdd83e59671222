"""The members part of the demo dataset: registry, RATs, WhatsApp history, page, removal."""

from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from sqlite_utils import Database
from streamlit.testing.v1 import AppTest

from citra import demo, demo_members, pipeline, store
from citra.chat_classification import ShareTargets, classify_message
from citra.i18n import Translator
from citra.store import member_registry as member_store
from citra.store.imports import import_run
from citra.store.organisations import set_profile
from collectors import whatsapp
from tests.conftest import ROOT

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database at a small mention scale (the members step has no scale), built once."""
    path = tmp_path_factory.mktemp("demo-members") / "demo.db"
    db = store.open_db(path)
    pipeline.seed_demo(db, today=TODAY, scale=0.1)
    db.close()
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    """A private copy of the demo database (with its salt), exported as ``CITRA_DB``."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    shutil.copy(f"{demo_file}.salt", f"{path}.salt")
    monkeypatch.setenv("CITRA_DB", str(path))
    db = store.open_db(path)
    yield db
    db.close()


def scalar(db: Database, sql: str, params: list | None = None):
    return db.execute(sql, params or []).fetchone()[0]


def test_registry(demo_db: Database) -> None:
    assert scalar(demo_db, "SELECT count(*) FROM members") == demo_members.MEMBERS
    assert scalar(demo_db, "SELECT count(*) FROM members WHERE is_demo = 0") == 0
    statuses = dict(demo_db.execute("SELECT status, count(*) FROM members GROUP BY 1").fetchall())
    assert statuses["active"] > 0.8 * demo_members.MEMBERS and statuses["inactive"] > 0
    assert statuses["left"] > 0
    branches = scalar(demo_db, "SELECT count(DISTINCT branch) FROM members")
    assert branches == len(demo_members.BRANCHES)
    first, last = demo_db.execute("SELECT min(join_date), max(join_date) FROM members").fetchone()
    assert first[:4] <= "2017" and last[:4] == "2026"
    # Phone numbers only as 64-hex salted hashes.
    phones = [r[0] for r in demo_db.execute("SELECT phone_hash FROM member_phones")]
    assert len(phones) > 0.6 * demo_members.MEMBERS
    assert all(len(p) == 64 and not p.startswith("+") for p in phones)
    assert "+62" not in "".join(
        r[0] or "" for r in demo_db.execute("SELECT text FROM chat_messages")
    )


def test_two_rats_with_their_attendance_share(demo_db: Database) -> None:
    shares = demo_db.execute(
        """
        SELECT e.book_year,
               (SELECT count(*) FROM attendance a JOIN members m ON m.id = a.member_id
                 WHERE a.event_id = e.id AND a.attended = 1 AND m.status = 'active') * 1.0
               / (SELECT count(*) FROM members m
                   WHERE m.status = 'active' AND m.join_date <= e.date)
          FROM events e WHERE e.kind = 'rat' ORDER BY e.date
        """
    ).fetchall()
    assert [r[0] for r in shares] == [2024, 2025]
    for (_, share), expected in zip(shares, demo_members.RAT_ATTENDANCE, strict=True):
        assert share == pytest.approx(expected, abs=0.005)
    asked = scalar(demo_db, "SELECT sum(asked) + sum(proposed) FROM attendance")
    assert asked > 20


def test_chat_messages_fall_in_every_class(demo_db: Database) -> None:
    counts = dict(
        demo_db.execute(
            "SELECT coalesce(category, kind), count(*) FROM chat_messages GROUP BY 1"
        ).fetchall()
    )
    for name in ("question", "proposal", "share", "complaint", "other", "media", "system"):
        assert counts.get(name, 0) > 10, (name, counts)
    assert 2500 < sum(counts.values()) < 5000
    matched, senders = demo_db.execute(
        "SELECT count(member_id), count(*) FROM chat_senders"
    ).fetchone()
    assert 0.6 * senders < matched < senders  # some senders are left to link by hand
    # The complaints cluster in the crisis weeks (155 to 110 days before today).
    crisis = scalar(
        demo_db,
        "SELECT count(*) FROM chat_messages WHERE category = 'complaint' "
        "AND local_time BETWEEN '2026-06-21' AND '2026-08-06'",
    )
    assert crisis > 0.6 * counts["complaint"]


def test_members_share_publicly(demo_db: Database) -> None:
    public = scalar(demo_db, "SELECT count(*) FROM member_actions WHERE kind = 'public_share'")
    assert public > 0


POOLS = [
    ("question", demo_members.QUESTIONS + demo_members.CRISIS_QUESTIONS),
    ("proposal", demo_members.PROPOSALS + demo_members.CRISIS_PROPOSALS),
    ("share", demo_members.SHARES + demo_members.RECOVERY_SHARES),
    ("complaint", demo_members.COMPLAINTS + demo_members.CRISIS_COMPLAINTS),
    ("other", demo_members.CHATTER + demo_members.RECOVERY_CHATTER + demo_members.REPLIES),
]


@pytest.mark.parametrize(
    ("category", "template"), [(c, t) for c, pool in POOLS for t in pool], ids=str
)
def test_each_line_is_what_it_is_meant_to_be(db: Database, category: str, template: str) -> None:
    coop = set_profile(
        db, name=demo.COOP["name"], website=demo.COOP["website"], accounts=demo.COOP["accounts"]
    )
    text = demo_members.render(template, random.Random(1), coop)
    assert classify_message(text, ShareTargets.from_profile(coop)) == category


@pytest.fixture
def clear_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.mark.parametrize("role", ["comms", "board"])
def test_members_page_on_the_demo(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch, clear_caches, role: str
) -> None:
    monkeypatch.setenv("CITRA_ROLE", role)
    at = AppTest.from_file(str(ROOT / "pages" / "members.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    _ = Translator("en")
    values = {m.label: m.value for m in at.metric}
    assert int(values[_("Active members")].replace(",", "")) > 400
    for label in (_("Participation rate"), _("Engagement rate")):
        assert values[label] not in ("–", "0%"), (label, values)
    rat = next(df.value for df in at.dataframe if _("Book year") in df.value.columns)
    assert len(rat) == 2


def test_removal_leaves_real_members_and_messages(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.atomic():
        member_store.upsert_member(demo_db, member_no="REAL-1", name="Ratih Kusumawardhani")
    chat = tmp_path / "WhatsApp Chat with Pengurus.txt"
    chat.write_text("05/11/26 10.00 - Ratih Kusumawardhani: Kapan rapat?\n", encoding="utf-8")
    whatsapp.import_chat(demo_db, chat)
    with import_run(demo_db, kind="manual"):
        pass
    removed = pipeline.remove_demo(demo_db)
    assert removed["members"] == demo_members.MEMBERS and removed["chat_messages"] > 2500
    assert removed["events"] == 14
    assert [r[0] for r in demo_db.execute("SELECT member_no FROM members")] == ["REAL-1"]
    rows = demo_db.execute(
        "SELECT m.text, s.member_id IS NOT NULL, g.name FROM chat_messages m "
        "JOIN chat_senders s ON s.id = m.sender_id JOIN chat_groups g ON g.id = m.group_id"
    ).fetchall()
    assert rows == [("Kapan rapat?", 1, "Pengurus")]
    for table in ("events", "attendance", "member_phones", "member_handles"):
        assert scalar(demo_db, f"SELECT count(*) FROM {table}") == 0
    assert scalar(demo_db, "SELECT count(*) FROM chat_senders") == 1
    assert scalar(demo_db, "SELECT count(*) FROM imports") == 2


def test_same_seed_same_members_and_chat() -> None:
    fingerprints = []
    for _ in range(2):
        db = store.open_db(":memory:")
        pipeline.seed_demo(db, today=TODAY, scale=0.05)
        fingerprints.append(
            (
                list(db.query("SELECT member_no, name, join_date, status, branch FROM members")),
                [r[0] for r in db.execute("SELECT id FROM chat_messages ORDER BY id")],
                list(db.query("SELECT event_id, member_id, asked, proposed FROM attendance")),
            )
        )
    assert fingerprints[0] == fingerprints[1]
