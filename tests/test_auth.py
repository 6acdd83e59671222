"""Roles, users, logins and the command line around them (issue 17)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from citra import access, auth, store
from citra.access import ADMIN, EDITOR, VIEWER, Actor
from citra.cli import cli
from citra.errors import CitraError
from citra.queries.audit import audit_csv, audit_rows
from citra.queries.users import get_user, list_users
from citra.store import users

PASSWORD = "kata sandi yang panjang"


@pytest.mark.parametrize(
    ("value", "role"),
    [
        ("board", VIEWER),
        ("supervisor", VIEWER),
        ("comms", EDITOR),
        ("admin", ADMIN),
        ("Viewer", VIEWER),
        (" editor ", EDITOR),
        ("hacker", VIEWER),
        ("", ADMIN),
        (None, ADMIN),
    ],
)
def test_the_environment_role_maps_the_old_names(
    monkeypatch: pytest.MonkeyPatch, value: str | None, role: str
) -> None:
    if value is None:
        monkeypatch.delenv("CITRA_ROLE", raising=False)
    else:
        monkeypatch.setenv("CITRA_ROLE", value)
    assert access.environment_role() == role


@pytest.mark.parametrize(
    ("role", "names", "edit", "administer", "pages"),
    [
        (None, False, False, False, set()),
        (VIEWER, False, False, False, {"overview", "members", "reports"}),
        (EDITOR, True, True, False, {"overview", "members", "reports", "sources"}),
        (ADMIN, True, True, True, {"overview", "members", "reports", "sources", "settings"}),
    ],
)
def test_what_each_role_may(
    role: str | None, names: bool, edit: bool, administer: bool, pages: set[str]
) -> None:
    assert access.can_see_names(role) is names
    assert access.can_see_messages(role) is names
    assert access.can_see_phones(role) is False
    assert access.can_edit(role) is edit
    assert access.can_edit_members(role) is edit
    assert access.can_administer(role) is administer
    shown = {p for p in ("overview", "members", "reports", "sources", "settings")}
    assert {p for p in shown if access.can_open(role, p)} == pages


def test_the_acting_user_is_set_for_a_block_only() -> None:
    with access.acting(Actor("rina", VIEWER)):
        assert access.current_actor() == Actor("rina", VIEWER)
        with access.acting(Actor("ana", ADMIN)):
            assert access.current_role() == ADMIN
        assert access.current_role() == VIEWER
    assert access.current_actor().name == access.LOCAL_NAME


@pytest.mark.parametrize(
    ("address", "local"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.10", False),
        ("", False),
        (None, False),
        ("kantor.example", False),
    ],
)
def test_local_addresses(address: str | None, local: bool) -> None:
    assert auth.is_local_address(address) is local


# --- users and logins -----------------------------------------------------------------------------


@pytest.fixture
def with_users(db: Database) -> Database:
    with access.acting(Actor("setup", ADMIN)):
        users.add_user(db, "ana", ADMIN, auth.hash_password(PASSWORD))
        users.add_user(db, "budi", EDITOR, auth.hash_password(PASSWORD))
    return db


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(auth, "utc_now", clock)
    return clock


def test_passwords_are_argon2_hashes_and_short_ones_are_refused(with_users: Database) -> None:
    stored = with_users.execute("SELECT password_hash FROM users WHERE name = 'ana'").fetchone()
    assert stored[0].startswith("$argon2id$") and PASSWORD not in stored[0]
    with pytest.raises(CitraError, match="at least 10"):
        auth.hash_password("pendek")


def test_a_right_password_logs_in_with_the_users_role(with_users: Database, clock: Clock) -> None:
    assert auth.log_in(with_users, "Budi", PASSWORD) == Actor("budi", EDITOR)
    assert get_user(with_users, "budi").last_login_at is not None
    assert audit_rows(with_users)[0]["action"] == "login"


def test_a_wrong_name_and_a_wrong_password_get_one_answer(
    with_users: Database, clock: Clock
) -> None:
    answers = []
    for name, password in (("ana", "salah sekali ini"), ("nobody", PASSWORD)):
        with pytest.raises(auth.LoginRefused) as refused:
            auth.log_in(with_users, name, password)
        answers.append(str(refused.value))
    assert answers[0] == answers[1] == auth.LOGIN_REFUSED
    failed = [(r["actor"], r["action"]) for r in audit_rows(with_users)[:2]]
    assert failed == [("nobody", "login failed"), ("ana", "login failed")]


def test_repeated_failures_wait_longer_each_time(with_users: Database, clock: Clock) -> None:
    for _ in range(auth.FREE_FAILURES):
        with pytest.raises(auth.LoginRefused, match="wrong"):
            auth.log_in(with_users, "ana", "salah sekali ini")
    # Now even the right password waits 30 s, and says so, without being checked.
    with pytest.raises(auth.LoginRefused, match="Try again in 30 seconds"):
        auth.log_in(with_users, "ana", PASSWORD)
    clock.now += timedelta(seconds=31)
    with pytest.raises(auth.LoginRefused, match="wrong"):
        auth.log_in(with_users, "ana", "salah lagi ini ya")
    with pytest.raises(auth.LoginRefused, match="Try again in 60 seconds"):
        auth.log_in(with_users, "ana", PASSWORD)
    clock.now += timedelta(seconds=61)
    assert auth.log_in(with_users, "ana", PASSWORD).role == ADMIN
    # A success clears the count.
    with pytest.raises(auth.LoginRefused, match="wrong"):
        auth.log_in(with_users, "ana", "salah sekali ini")
    assert auth.log_in(with_users, "ana", PASSWORD).role == ADMIN
    actions = [r["action"] for r in audit_rows(with_users)]
    assert actions.count("login refused") == 2 and actions.count("login failed") == 5


def test_the_delay_grows_to_a_cap() -> None:
    delays = [auth.lockout(n).total_seconds() for n in range(1, 12)]
    assert delays[:3] == [0, 0, 30] and delays[3] == 60
    assert max(delays) == auth.MAX_LOCKOUT.total_seconds() == delays[-1]


def test_an_unknown_name_is_slowed_down_as_well(with_users: Database, clock: Clock) -> None:
    for _ in range(auth.FREE_FAILURES):
        with pytest.raises(auth.LoginRefused):
            auth.log_in(with_users, "siapa", PASSWORD)
    with pytest.raises(auth.LoginRefused, match="Try again"):
        auth.log_in(with_users, "siapa", PASSWORD)


def test_a_new_password_lifts_the_delay(with_users: Database, clock: Clock) -> None:
    for _ in range(auth.FREE_FAILURES):
        with pytest.raises(auth.LoginRefused):
            auth.log_in(with_users, "budi", "salah sekali ini")
    with access.acting(Actor("ana", ADMIN)):
        users.set_password(with_users, "budi", auth.hash_password("yang baru dan panjang"))
    assert auth.log_in(with_users, "budi", "yang baru dan panjang").name == "budi"


def test_sessions_expire_when_idle(clock: Clock) -> None:
    seen = clock.now.isoformat()
    assert not auth.expired(seen)
    clock.now += auth.SESSION_IDLE + timedelta(seconds=1)
    assert auth.expired(seen)
    assert auth.expired("not a time")


def test_a_session_token_resumes_its_login_until_idle_or_ended(
    with_users: Database, clock: Clock
) -> None:
    ana = auth.log_in(with_users, "ana", PASSWORD)
    token = auth.start_session(with_users, ana)
    stored = with_users.execute("SELECT token_hash, user_name FROM login_sessions").fetchall()
    assert len(stored) == 1 and stored[0][1] == "ana" and token not in stored[0][0]
    assert auth.resume_session(with_users, token) == ana  # a reload
    assert auth.resume_session(with_users, token + "x") is None
    assert auth.resume_session(with_users, None) is None
    clock.now += auth.SESSION_IDLE - timedelta(minutes=1)
    assert auth.resume_session(with_users, token) == ana  # used: the idle time starts again
    clock.now += auth.SESSION_IDLE - timedelta(minutes=1)
    auth.touch_session(with_users, token)
    clock.now += auth.SESSION_IDLE - timedelta(minutes=1)
    assert auth.resume_session(with_users, token) == ana
    clock.now += auth.SESSION_IDLE + timedelta(seconds=1)
    assert auth.resume_session(with_users, token) is None  # idle too long: ended, audited
    assert audit_rows(with_users)[0]["action"] == "session expired"
    assert with_users.execute("SELECT count(*) FROM login_sessions").fetchone() == (0,)
    token = auth.start_session(with_users, ana)
    auth.end_session(with_users, token)  # a logout
    assert auth.resume_session(with_users, token) is None


def test_a_session_follows_its_user(with_users: Database, clock: Clock) -> None:
    budi = auth.log_in(with_users, "budi", PASSWORD)
    kept = auth.start_session(with_users, budi)
    with access.acting(Actor("ana", ADMIN)):
        users.set_role(with_users, "budi", VIEWER)
    assert auth.resume_session(with_users, kept) == Actor("budi", VIEWER)  # role read afresh
    with access.acting(Actor("ana", ADMIN)):
        users.set_password(with_users, "budi", auth.hash_password("yang baru dan panjang"))
    assert auth.resume_session(with_users, kept) is None  # a new password ends every session
    kept = auth.start_session(with_users, budi)
    with access.acting(Actor("ana", ADMIN)):
        users.remove_user(with_users, "budi")
    assert auth.resume_session(with_users, kept) is None
    assert with_users.execute("SELECT count(*) FROM login_sessions").fetchone() == (0,)


def test_a_new_session_drops_the_expired_ones(with_users: Database, clock: Clock) -> None:
    ana = auth.log_in(with_users, "ana", PASSWORD)
    auth.start_session(with_users, ana)
    clock.now += auth.SESSION_IDLE + timedelta(minutes=1)
    auth.start_session(with_users, ana)
    assert with_users.execute("SELECT count(*) FROM login_sessions").fetchone() == (1,)


def test_the_last_admin_stays(with_users: Database) -> None:
    with access.acting(Actor("ana", ADMIN)):
        with pytest.raises(CitraError, match="last admin"):
            users.remove_user(with_users, "ana")
        with pytest.raises(CitraError, match="last admin"):
            users.set_role(with_users, "ana", VIEWER)
        users.set_role(with_users, "budi", ADMIN)
        users.set_role(with_users, "ana", VIEWER)
        users.remove_user(with_users, "ana")
    assert [(u.name, u.role) for u in list_users(with_users)] == [("budi", ADMIN)]
    row = next(r for r in audit_rows(with_users) if r["action"] == "role changed")
    assert row["detail"]["before"] == ADMIN and row["detail"]["after"] == VIEWER


@pytest.mark.parametrize(
    ("name", "role", "message"),
    [
        ("ana", ADMIN, "exists already"),
        ("ANA", VIEWER, "exists already"),
        ("dua kata", VIEWER, "without spaces"),
        ("cli:root", VIEWER, "colons"),
        ("", VIEWER, "1 to 64"),
        ("citra", "board", "viewer, editor or admin"),
    ],
)
def test_bad_users_are_refused(with_users: Database, name: str, role: str, message: str) -> None:
    with access.acting(Actor("ana", ADMIN)), pytest.raises(CitraError, match=message):
        users.add_user(with_users, name, role, "x")


def test_the_audit_csv_neutralises_formulas(with_users: Database) -> None:
    with pytest.raises(auth.LoginRefused):
        auth.log_in(with_users, "=HYPERLINK(1)", PASSWORD)
    assert b"'=HYPERLINK(1)" in audit_csv(with_users)


# --- the command line ---------------------------------------------------------------------------


def _run(db_path: Path, *args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args], input=input)
    assert result.exit_code == 0, result.output
    return result.output


def test_users_and_audit_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "citra.db"
    assert "No users" in _run(path, "users", "list")
    _run(path, "users", "add", "ana", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    _run(path, "users", "add", "rina", "--role", "viewer", input=f"{PASSWORD}\n{PASSWORD}\n")
    listed = json.loads(_run(path, "users", "list", "--json"))
    assert [(u["name"], u["role"]) for u in listed] == [("ana", "admin"), ("rina", "viewer")]
    _run(path, "users", "passwd", "rina", "--password-stdin", input="yang baru dan panjang\n")
    db = store.open_db(path)
    assert auth.log_in(db, "rina", "yang baru dan panjang").role == VIEWER
    db.close()
    _run(path, "users", "remove", "rina")
    rows = json.loads(_run(path, "audit", "--json"))
    assert [r["action"] for r in rows] == [
        "user removed",
        "login",
        "password changed",
        "user added",
        "user added",
    ]
    assert rows[-1]["actor"] == f"cli:{access.os_user()}" and rows[-1]["role"] == ADMIN
    assert rows[-1]["target"] == "ana" and rows[-1]["detail"] == {"role": "admin"}
    text = _run(path, "audit", "--limit", "1")
    assert "user removed rina" in text and "password" not in text
    assert PASSWORD not in _run(path, "audit", "--json")


def test_the_command_line_refuses_bad_input_plainly(tmp_path: Path) -> None:
    path = tmp_path / "citra.db"
    result = CliRunner().invoke(
        cli,
        ["--db", str(path), "users", "add", "ana", "--role", "admin", "--password-stdin"],
        input="pendek\n",
    )
    assert result.exit_code == 2 and "at least 10 characters" in result.output
    result = CliRunner().invoke(cli, ["--db", str(path), "users", "remove", "nobody"])
    assert result.exit_code == 2 and "No user called 'nobody'" in result.output


def test_serve_binds_localhost_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    from citra import ui

    seen = {}
    monkeypatch.setattr(ui, "serve", lambda **options: seen.update(options))
    CliRunner().invoke(cli, ["serve"])
    assert seen["address"] == "127.0.0.1"
    CliRunner().invoke(cli, ["serve", "--address", "0.0.0.0"])
    assert seen["address"] == "0.0.0.0"
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    assert "ADDRESS ?= 127.0.0.1" in makefile
