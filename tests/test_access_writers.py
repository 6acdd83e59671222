"""Every function that writes declares its role, refuses a lesser one, and is audited (issue 17).

The writers are found by walking ``citra`` and ``collectors``: every function decorated with
``citra.access.requires``, and a check that no public function of ``citra.store`` writes SQL
without it. Each is called with every lesser role (nothing may change but the audit log's
"denied" row); each audited one is called for real with the least role it needs, and must
leave exactly one audit row naming who did it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

import citra
import collectors
from citra import access, auth, pipeline, store
from citra.access import ADMIN, EDITOR, ROLES, AccessDenied, Actor, at_least
from tests.conftest import FIXTURES

SKIPPED_MODULES = ("citra.ui", "citra.cli", "citra.__main__", "citra.commands")


def _modules() -> list[Any]:
    found = [citra, collectors]
    for package in (citra, collectors):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.startswith(SKIPPED_MODULES):
                found.append(importlib.import_module(info.name))
    return found


def _writers() -> dict[str, Callable[..., Any]]:
    writers = {}
    for module in _modules():
        for name, value in vars(module).items():
            if getattr(value, "__module__", None) == module.__name__ and hasattr(
                value, "required_role"
            ):
                writers[f"{module.__name__}.{name}"] = value
    return dict(sorted(writers.items()))


WRITERS = _writers()
AUDITED = {name: f for name, f in WRITERS.items() if f.audit_action}

# Writes that check no role, each for a reason.
UNGUARDED = {
    "citra.store.audit.append": "the audit log itself, written for every role (refusals too)",
    "citra.store.users.record_login": "login bookkeeping, before anyone is logged in",
    "citra.store.users.record_failure": "login bookkeeping, before anyone is logged in",
    "citra.store.users.open_session": "login bookkeeping: the session a login just opened",
    "citra.store.users.touch_session": "login bookkeeping: the session's own last use",
    "citra.store.users.end_session": "login bookkeeping: the session's own logout or expiry",
    "citra.store.bulk.bulk_statement": "builds a statement's text from a trigger's; runs nothing",
}
# Writers that are not audited themselves: they only run inside an audited action (an import,
# a collection, a profile change...) or are that action's role check without a row of its own.
INSIDE_AUDITED = {
    "citra.demo.build_demo",
    "citra.mail.save_settings",  # its set_setting is audited
    "citra.pipeline.delete_narrative",  # remove_narrative is audited
    "citra.pipeline.delete_peer",  # remove_peer is audited
    "citra.pipeline.label_changed",
    "citra.pipeline.rematch",
    "citra.pipeline.save_narrative",  # its store function is audited
    "citra.pipeline.save_peer",  # add_peer is audited
    "citra.pipeline.save_profile",  # set_profile is audited
    "citra.sentiment.rescore.rescore",
    "citra.sentiment.training.learn_from_corrections",  # save_model is audited
    "citra.sentiment.training.train_file",
    "citra.store.alerts.claim_deliveries",
    "citra.store.alerts.expire_deliveries",
    "citra.store.alerts.fire",
    "citra.store.alerts.mark_failed",
    "citra.store.alerts.mark_sent",
    "citra.store.alerts.quote_more",
    "citra.store.alerts.record_channel_failure",
    "citra.store.alerts.record_channel_success",
    "citra.store.chats.chat_group_id",
    "citra.store.chats.chat_sender",
    "citra.store.chats.insert_chat_messages",
    "citra.store.erasure.purge_full_text",  # after an undo or an erasure
    "citra.store.imports.import_run",
    "citra.store.imports.record_failed_import",
    "citra.store.member_history.forget",  # inside forget_member
    "citra.store.member_history.remember_attendance",  # inside an attendance import
    "citra.store.member_history.remember_member",  # inside a member-list import
    "citra.store.member_history.seal_member",
    "citra.store.member_history.undo_attendance_import",  # inside undo_import
    "citra.store.member_history.undo_member_import",
    "citra.store.member_registry.add_engagement_action",
    "citra.store.member_registry.record_attendance",
    "citra.store.mentions.insert_mentions",
    "citra.store.mentions.insert_rows",  # insert_mentions of rows built in the workers
    "citra.store.mentions.set_organisations",
    "citra.store.narratives.refresh_assignments",  # a pipeline step after the change
    "citra.store.narratives.store_headlines",  # inside a collection
    "citra.store.news.assign_stories",
    "citra.store.news.record_fetch",
    "citra.store.news.remember_guids",
    "citra.store.sentiment.invalidate_scores",
    "citra.store.sentiment.write_scores",
    "citra.store.tags.delete_unused_tags",
    "citra.store.tags.ensure_tag",
}
WRITES_SQL = re.compile(
    r"\b(INSERT|UPDATE|DELETE)\b|\.(insert|upsert|insert_all|upsert_all|delete|delete_where)\("
)
PIPELINE_STEPS = {"finish", "score_step", "narratives_step", "alerts_step"}


def test_the_walk_finds_the_writers() -> None:
    assert len(WRITERS) > 70
    assert WRITERS["citra.pipeline.import_file"].required_role == EDITOR
    assert WRITERS["citra.store.users.add_user"].required_role == ADMIN
    assert WRITERS["citra.pipeline.forget_member"].required_role == ADMIN


def test_every_store_function_that_writes_declares_its_role() -> None:
    undeclared = []
    for module in _modules():
        if not module.__name__.startswith("citra.store"):
            continue
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if value.__module__ != module.__name__:
                continue
            full = f"{module.__name__}.{name}"
            source = inspect.getsource(inspect.unwrap(value))
            if WRITES_SQL.search(source) and full not in WRITERS and full not in UNGUARDED:
                undeclared.append(full)
    assert undeclared == []


def test_every_pipeline_function_declares_its_role() -> None:
    public = {
        name
        for name, value in vars(pipeline).items()
        if inspect.isfunction(value)
        and value.__module__ == pipeline.__name__
        and not name.startswith("_")
    }
    assert sorted(public - PIPELINE_STEPS - {n.split(".")[-1] for n in WRITERS}) == []


def test_each_writer_is_audited_or_runs_inside_an_audited_action() -> None:
    assert set(WRITERS) - set(AUDITED) == INSIDE_AUDITED


LESSER = [
    (name, role)
    for name, function in WRITERS.items()
    for role in (None, *ROLES)
    if not at_least(role, function.required_role)
]


@pytest.mark.parametrize(("name", "role"), LESSER, ids=[f"{n}-{r}" for n, r in LESSER])
def test_each_writer_refuses_a_lesser_role(db: Database, name: str, role: str | None) -> None:
    function = WRITERS[name]
    before = db.conn.total_changes
    with access.acting(Actor("mallory", role)), pytest.raises(AccessDenied) as refused:
        function(db)
    assert db.conn.total_changes == before + 1  # the "denied" row, nothing else
    row = db.execute("SELECT actor, role, action, target FROM audit_log").fetchall()[-1]
    assert row == ("mallory", role, "denied", function.audit_action or name.split(".")[-1])
    assert ("Log in first" if role is None else "may not do this") in str(refused.value)


def test_a_refusal_translates(db: Database) -> None:
    with access.acting(Actor("mallory", "viewer")), pytest.raises(AccessDenied) as refused:
        pipeline.remove_demo(db)
    assert "Peran Anda (viewer) tidak boleh" in refused.value.describe("id")


# --- every audited writer, called for real -----------------------------------------------------

PASSWORD_HASH = auth.hash_password("kata sandi yang panjang")
BRAND24 = FIXTURES / "exports" / "brand24-en" / "brand24_mentions.csv"
REGISTRY = FIXTURES / "members" / "registry_id.csv"
ATTENDANCE = FIXTURES / "members" / "attendance_rat.csv"


class World:
    """A small installation to act on: a coop, a peer, a mention, members, an event, a chat,
    an alert, a channel, a feed, a custom word, a model, a preset and a second admin."""

    def __init__(self, db: Database, tmp_path: Path) -> None:
        from citra.alerts import engine
        from citra.store import alerts, news, sentiment
        from citra.store.import_presets import save_preset
        from citra.store.imports import import_run
        from citra.store.member_registry import add_event
        from citra.store.organisations import add_peer, set_profile
        from citra.store.users import add_user

        self.db, self.tmp = db, tmp_path
        coop = set_profile(db, name="KSP Sejahtera", keywords=["Sejahtera"])
        self.peer = add_peer(db, "KSP Makmur").id
        published = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        with import_run(db, kind="test") as run:
            run.add(
                [
                    {
                        "id": "r1",
                        "platform": "news",
                        "organisation_id": coop.id,
                        "published_at": published,
                        "title": "KSP Sejahtera gagal bayar simpanan anggota",
                        "url": "https://kabar.example/1",
                        "sentiment_label": "negative",
                        "sentiment_compound": -0.7,
                        "risk": 1,
                        "lexicon_version": "test",
                    }
                ]
            )
        self.import_id = run.id
        self.seq = int(db.execute("SELECT seq FROM mentions").fetchone()[0])
        pipeline.import_registry(db, REGISTRY)
        self.event = add_event(db, "RAT 2025", kind="rat", date="2026-03-01")
        chat = tmp_path / "WhatsApp Chat with Anggota.txt"
        chat.write_text("05/11/26 10.00 - Bu Siti: Kapan RAT?\n", encoding="utf-8")
        pipeline.import_chat(db, chat)
        [self.alert] = engine.evaluate(db)
        self.channel = alerts.add_channel(db, "email", "pengurus@example.id").id
        news.add_feed(db, "http://127.0.0.1:9/feed.xml", name="Lokal")
        sentiment.add_custom_word(db, "mantul", 2.0)
        self.model = sentiment.save_model(
            db, "{}", source="test", rows=10, cv_macro_f1=0.5, lexicon_macro_f1=0.4, activate=False
        )
        save_preset(db, "mine", {"date": "Tanggal", "text": "Isi"}, headers=["Tanggal", "Isi"])
        add_user(db, "ana", "admin", PASSWORD_HASH)
        add_user(db, "budi", "editor", PASSWORD_HASH)


def _catalogue_key() -> str:
    from collectors.catalogue import load_catalogue

    return load_catalogue()[0].key


def _demo(db: Database) -> None:
    pipeline.seed_demo(db, scale=0.01, seed=1)


def _empty(w: World) -> None:
    """The demo only goes into an empty installation: act on a fresh file."""
    w.db = store.open_db(w.tmp / "empty.db")


def _empty_with_demo(w: World) -> None:
    _empty(w)
    _demo(w.db)


CALLS: dict[str, Callable[[World], Any]] = {
    "citra.alerts.engine.test_channel": lambda w: __import__(
        "citra.alerts.engine", fromlist=["x"]
    ).test_channel(w.db, w.channel),
    "citra.pipeline.collect": lambda w: pipeline.collect(w.db, []),
    "citra.pipeline.import_file": lambda w: pipeline.import_file(w.db, BRAND24),
    "citra.pipeline.import_chat": lambda w: pipeline.import_chat(
        w.db, FIXTURES / "whatsapp" / "android_en_12h.txt"
    ),
    "citra.pipeline.import_registry": lambda w: pipeline.import_registry(w.db, REGISTRY),
    "citra.pipeline.import_attendance": lambda w: pipeline.import_attendance(
        w.db, w.event, ATTENDANCE
    ),
    "citra.pipeline.undo": lambda w: pipeline.undo(w.db, w.import_id),
    "citra.pipeline.seed_demo": lambda w: _demo(w.db),
    "citra.pipeline.remove_demo": lambda w: pipeline.remove_demo(w.db),
    "citra.pipeline.forget_member": lambda w: pipeline.forget_member(w.db, "A001"),
    "citra.pipeline.rescore": lambda w: pipeline.rescore(w.db),
    "citra.store.backup": lambda w: store.backup(w.db, w.tmp / "copy.db"),
    "citra.store.alerts.save_rule_settings": lambda w: _store("alerts").save_rule_settings(
        w.db, __import__("citra.queries.alerts", fromlist=["x"]).rule_settings(w.db)
    ),
    "citra.store.alerts.acknowledge": lambda w: _store("alerts").acknowledge(w.db, w.alert, "Ana"),
    "citra.store.alerts.add_channel": lambda w: _store("alerts").add_channel(
        w.db, "email", "humas@example.id"
    ),
    "citra.store.alerts.remove_channel": lambda w: _store("alerts").remove_channel(w.db, w.channel),
    "citra.store.chats.link_sender": lambda w: _store("chats").link_sender(w.db, "Bu Siti", "A001"),
    "citra.store.demo.remove_demo_data": lambda w: _store("demo").remove_demo_data(w.db),
    "citra.store.import_presets.save_preset": lambda w: _store("import_presets").save_preset(
        w.db, "other", {"date": "D", "text": "T"}
    ),
    "citra.store.import_presets.delete_preset": lambda w: _store("import_presets").delete_preset(
        w.db, "mine"
    ),
    "citra.store.imports.undo_import": lambda w: _store("imports").undo_import(w.db, w.import_id),
    "citra.store.member_registry.upsert_member": lambda w: _store("member_registry").upsert_member(
        w.db, member_no="X1", name="Ana Lestari"
    ),
    "citra.store.member_registry.add_event": lambda w: _store("member_registry").add_event(
        w.db, "Rapat", kind="meeting", date="2026-04-01"
    ),
    "citra.store.member_registry.record_member_attendance": lambda w: _store(
        "member_registry"
    ).record_member_attendance(w.db, w.event, "A001"),
    "citra.store.member_registry.forget_member": lambda w: _store("member_registry").forget_member(
        w.db, "A002"
    ),
    "citra.store.news.add_feed": lambda w: _store("news").add_feed(
        w.db, "http://127.0.0.1:9/other.xml"
    ),
    "citra.store.news.remove_feed": lambda w: _store("news").remove_feed(
        w.db, "http://127.0.0.1:9/feed.xml"
    ),
    "citra.store.news.set_feed_enabled": lambda w: _store("news").set_feed_enabled(
        w.db, "http://127.0.0.1:9/feed.xml", False
    ),
    "citra.store.organisations.set_profile": lambda w: _store("organisations").set_profile(
        w.db, keywords=["Sejahtera", "KSPS"]
    ),
    "citra.store.organisations.add_peer": lambda w: _store("organisations").add_peer(
        w.db, "Kopdit Harapan"
    ),
    "citra.store.organisations.remove_peer": lambda w: _store("organisations").remove_peer(
        w.db, w.peer
    ),
    "citra.store.sentiment.set_manual_label": lambda w: _store("sentiment").set_manual_label(
        w.db, w.seq, "neutral"
    ),
    "citra.store.sentiment.clear_manual_label": lambda w: _store("sentiment").clear_manual_label(
        w.db, w.seq
    ),
    "citra.store.sentiment.add_custom_word": lambda w: _store("sentiment").add_custom_word(
        w.db, "cuan", 1.5
    ),
    "citra.store.sentiment.remove_custom_word": lambda w: _store("sentiment").remove_custom_word(
        w.db, "mantul"
    ),
    "citra.store.sentiment.save_model": lambda w: _store("sentiment").save_model(
        w.db, "{}", source="test", rows=5, cv_macro_f1=0.1, lexicon_macro_f1=0.2, activate=False
    ),
    "citra.store.sentiment.activate_model": lambda w: _store("sentiment").activate_model(
        w.db, None
    ),
    "citra.store.settings.set_setting": lambda w: _store("settings").set_setting(
        w.db, "timezone", "Asia/Makassar"
    ),
    "citra.store.risk.set_risk_correction": lambda w: _store("risk").set_risk_correction(
        w.db, w.seq, None
    ),
    "citra.store.risk.clear_risk_correction": lambda w: _store("risk").clear_risk_correction(
        w.db, w.seq
    ),
    "citra.store.risk.set_risk_phrases": lambda w: _store("risk").set_risk_phrases(
        w.db, [("setoran ~ raib", "default")]
    ),
    "citra.store.risk.set_not_risk_phrases": lambda w: _store("risk").set_not_risk_phrases(
        w.db, ["webinar ~ investasi bodong"]
    ),
    "citra.store.narratives.save_narrative": lambda w: _store("narratives").save_narrative(
        w.db, "UMKM desa", keywords=["umkm"]
    ),
    "citra.store.narratives.remove_narrative": lambda w: _store("narratives").remove_narrative(
        w.db, "UMKM desa"
    ),
    "citra.store.narratives.add_plan": lambda w: _store("narratives").add_plan(w.db, "tiktok", 2),
    "citra.store.narratives.remove_plan": lambda w: _store("narratives").remove_plan(
        w.db, w.db.execute("SELECT max(id) FROM comm_plan").fetchone()[0]
    ),
    "citra.store.narratives.set_ambassador_rule": lambda w: _store(
        "narratives"
    ).set_ambassador_rule(w.db, 2),
    "citra.store.tags.set_mention_tags": lambda w: _store("tags").set_mention_tags(
        w.db, w.seq, ["penting"]
    ),
    "citra.store.users.add_user": lambda w: _store("users").add_user(
        w.db, "citra", "viewer", PASSWORD_HASH
    ),
    "citra.store.users.remove_user": lambda w: _store("users").remove_user(w.db, "budi"),
    "citra.store.users.set_password": lambda w: _store("users").set_password(
        w.db, "budi", PASSWORD_HASH
    ),
    "citra.store.users.set_role": lambda w: _store("users").set_role(w.db, "budi", "viewer"),
    "collectors.catalogue.enable_catalogue": lambda w: __import__(
        "collectors.catalogue", fromlist=["x"]
    ).enable_catalogue(w.db, [_catalogue_key()]),
}
# What some calls need first (as an admin).
SETUP: dict[str, Callable[[World], Any]] = {
    "citra.pipeline.seed_demo": _empty,
    "citra.pipeline.remove_demo": _empty_with_demo,
    "citra.store.demo.remove_demo_data": _empty_with_demo,
    "citra.store.sentiment.clear_manual_label": CALLS["citra.store.sentiment.set_manual_label"],
    "citra.store.risk.clear_risk_correction": CALLS["citra.store.risk.set_risk_correction"],
    "citra.store.narratives.remove_narrative": CALLS["citra.store.narratives.save_narrative"],
    "citra.store.narratives.remove_plan": CALLS["citra.store.narratives.add_plan"],
}


def _store(name: str) -> Any:
    return importlib.import_module(f"citra.store.{name}")


def test_every_audited_writer_has_a_call() -> None:
    assert set(CALLS) == set(AUDITED)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    from citra.alerts import engine

    monkeypatch.setenv("CITRA_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setattr(engine.channel_senders, "send", lambda *args, **kwargs: None)
    db = store.open_db(tmp_path / "citra.db")
    with access.acting(Actor("setup", ADMIN)):
        return World(db, tmp_path)


def _audit(db: Database) -> list[tuple[Any, ...]]:
    return db.execute("SELECT actor, role, action, target, detail FROM audit_log").fetchall()


@pytest.mark.parametrize("name", sorted(AUDITED))
def test_each_audited_writer_leaves_one_row_for_the_least_role_it_needs(
    world: World, name: str
) -> None:
    function = AUDITED[name]
    with access.acting(Actor("setup", ADMIN)):
        SETUP.get(name, lambda w: None)(world)
    before = _audit(world.db)
    with access.acting(Actor("rina", function.required_role)):
        CALLS[name](world)
    added = _audit(world.db)[len(before) :]
    mine = [row for row in added if row[0] == "rina"]
    assert [row[:3] for row in mine] == [("rina", function.required_role, function.audit_action)]


def test_the_audit_log_keeps_before_and_after(world: World) -> None:
    from citra.store.sentiment import set_manual_label
    from citra.store.settings import set_setting

    with access.acting(Actor("rina", EDITOR)):
        set_manual_label(world.db, world.seq, "neutral")
    with access.acting(Actor("ana", ADMIN)):
        set_setting(world.db, "timezone", "Asia/Jayapura")
    rows = {
        r["action"]: r
        for r in __import__("citra.queries.audit", fromlist=["x"]).audit_rows(world.db)
    }
    label = rows["label corrected"]
    assert label["target"] == str(world.seq)
    assert label["detail"]["before"] == {"label": "negative", "source": "auto"}
    assert label["detail"]["after"] == {"label": "neutral", "source": "manual"}
    setting = rows["setting changed"]
    assert (setting["target"], setting["detail"]["after"]) == ("timezone", "Asia/Jayapura")


def test_an_erasure_is_audited_by_member_number_not_name(world: World) -> None:
    with access.acting(Actor("ana", ADMIN)):
        pipeline.forget_member(world.db, "A001")
    text = " ".join(str(r) for r in _audit(world.db) if r[2] == "member erased")
    assert "A001" in text and "Siti" not in text


def test_a_write_and_its_audit_row_roll_back_together(world: World) -> None:
    from citra.store.settings import set_setting

    count = len(_audit(world.db))
    with pytest.raises(RuntimeError), access.acting(Actor("ana", ADMIN)), world.db.atomic():
        set_setting(world.db, "timezone", "Asia/Jayapura")
        raise RuntimeError("crash after the write")
    assert len(_audit(world.db)) == count


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
    ],
)
def test_nobody_edits_the_audit_log(world: World, sql: str) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        world.db.execute(sql)


def test_the_e_mail_servers_login_stays_out_of_the_audit_log(world: World) -> None:
    from citra import mail

    with access.acting(Actor("ana", ADMIN)):
        mail.save_settings(
            world.db, mail.SmtpSettings(host="smtp.example.id", user="humas@example.id")
        )
    text = " ".join(str(r) for r in _audit(world.db))
    assert "smtp.example.id" in text and "humas@example.id" not in text
