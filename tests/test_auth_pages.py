"""Logins and roles in the app, through Streamlit's AppTest (issue 17).

The whole app (``dashboard.py``) on a small demo database with three users: the login page
until someone logs in, the navigation and the write buttons each role gets, and the writer
refusing a role even when a page's button is pressed regardless.
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from citra import access, auth, pipeline, store, ui
from citra.access import ADMIN, EDITOR, VIEWER, Actor
from citra.queries.audit import audit_rows
from citra.store import users
from tests.conftest import EVERY_PAGE, ROOT

APP = str(ROOT / "dashboard.py")
PASSWORD = "kata sandi yang panjang"
USERS = {"ana": ADMIN, "budi": EDITOR, "rina": VIEWER}
PAGES_OF = {
    VIEWER: set(EVERY_PAGE) - {"sources", "settings"},
    EDITOR: set(EVERY_PAGE) - {"settings"},
    ADMIN: set(EVERY_PAGE),
}
# Buttons that change something, by label, and the least role that sees them.
WRITE_BUTTONS = {
    "Save label": EDITOR,
    "Save tags": EDITOR,
    "Acknowledge": EDITOR,
    "Acknowledge all": EDITOR,
    "Return to automatic": EDITOR,
    "Import attendance": EDITOR,
    "Import member list": EDITOR,
    "Add event": EDITOR,
    "Link": EDITOR,
    "Collect now": EDITOR,
    "Add user": ADMIN,
    "Change role": ADMIN,
    "Remove user": ADMIN,
    "Re-score now": ADMIN,
    "Remove demo data": ADMIN,
    "Save narrative": EDITOR,
    "Add to the plan": EDITOR,
    "Save the rule": EDITOR,
    "Remove": EDITOR,
}


# Every test starts with empty Streamlit caches (conftest).
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("auth") / "demo.db"
    db = store.open_db(path)
    with access.acting(Actor("setup", ADMIN)):
        pipeline.seed_demo(db, scale=0.05)
        hashed = auth.hash_password(PASSWORD)
        for name, role in USERS.items():
            users.add_user(db, name, role, hashed)
    db.close()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    monkeypatch.setenv("CITRA_DB", str(path))
    monkeypatch.delenv("CITRA_ROLE", raising=False)
    return path


def app(*, user: str | None = None, lang: str = "en") -> AppTest:
    """The app, run once; ``user``: already logged in (the login form has its own tests)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.query_params["range"] = "90d"
    at.query_params["mention"] = "1"  # the Mentions page opens one mention
    if user is not None:
        at.session_state[ui.AUTH_KEY] = {"name": user, "seen": auth.utc_now().isoformat()}
    at.run()
    assert not at.exception, at.exception
    return at


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    next(b for b in at.button if b.label in ("Log in", "Masuk")).click().run()
    assert not at.exception, at.exception
    return at


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def sidebar_text(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption)


def actions(path: Path) -> list[tuple[str, str]]:
    db = store.open_readonly(path)
    try:
        return [(r["actor"], r["action"]) for r in audit_rows(db)]
    finally:
        db.close()


# --- logins -------------------------------------------------------------------------------------


def test_once_a_user_exists_the_login_page_is_all_there_is(demo: Path) -> None:
    at = app()
    assert titles(at) == ["Log in to Citra"]
    assert not at.metric and not at.dataframe
    assert "Period" not in [s.label for s in at.sidebar.selectbox]  # no data, not even filters
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/overview.py")


def test_a_wrong_password_is_refused_and_recorded(demo: Path) -> None:
    at = log_in(app(), "ana", "bukan kata sandinya")
    assert titles(at) == ["Log in to Citra"]
    assert "The user name or the password is wrong." in at.error[0].value
    assert actions(demo)[0] == ("ana", "login failed")


def test_the_right_password_logs_in_and_logout_ends_it(demo: Path) -> None:
    at = log_in(app(), "ana", PASSWORD)
    assert titles(at) == ["Overview"]
    assert "Logged in as ana (admin)" in sidebar_text(at)
    _open(at, "mentions")
    at.sidebar.button(key="auth_logout").click().run()
    assert titles(at) == ["Log in to Citra"]
    assert actions(demo)[:2] == [("ana", "logout"), ("ana", "login")]


def _html(at: AppTest) -> str:
    return " ".join(str(element.proto) for element in at.get("html"))


def test_a_reload_keeps_the_login_until_logout(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = log_in(app(), "ana", PASSWORD)
    token = at.session_state[ui.AUTH_KEY]["token"]
    assert f"citra_session={token}; Path=/; SameSite=Strict" in _html(at)  # the cookie set
    at.run()
    assert "citra_session" not in _html(at)  # written once
    # A reload: a new session of the same browser, which sends the cookie back.
    monkeypatch.setattr(ui, "session_cookie", lambda: token)
    again = app()
    assert titles(again) == ["Overview"] and "Logged in as ana (admin)" in sidebar_text(again)
    again.sidebar.button(key="auth_logout").click().run()
    assert titles(again) == ["Log in to Citra"]
    assert "citra_session=; Path=/; SameSite=Strict; Max-Age=0" in _html(again)  # cleared
    assert titles(app()) == ["Log in to Citra"]  # the old cookie opens nothing any more
    monkeypatch.setattr(ui, "session_cookie", lambda: "a token nobody was given")
    assert titles(app()) == ["Log in to Citra"]


def test_a_logout_or_a_new_password_elsewhere_ends_an_open_tab(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = log_in(app(), "budi", PASSWORD)
    token = first.session_state[ui.AUTH_KEY]["token"]
    monkeypatch.setattr(ui, "session_cookie", lambda: token)
    second = app()  # another tab of the same browser
    assert titles(second) == ["Overview"]
    second.sidebar.button(key="auth_logout").click().run()
    first.run()
    assert titles(first) == ["Log in to Citra"]  # the logout ended the session everywhere
    monkeypatch.setattr(ui, "session_cookie", lambda: None)
    first = log_in(first, "budi", PASSWORD)
    db = store.open_db(demo)
    with access.acting(Actor("ana", ADMIN)):
        users.set_password(db, "budi", auth.hash_password("yang baru dan panjang"))
    db.close()
    first.run()
    assert titles(first) == ["Log in to Citra"]  # whoever knew the old password logs in again


def test_the_login_page_speaks_indonesian(demo: Path) -> None:
    at = log_in(app(lang="id"), "ana", "bukan kata sandinya")
    assert titles(at) == ["Masuk ke Citra"]
    assert "Nama pengguna atau kata sandi salah." in at.error[0].value


def test_a_session_unused_for_hours_ends(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = log_in(app(), "budi", PASSWORD)
    assert titles(at) == ["Overview"]
    later = auth.utc_now() + auth.SESSION_IDLE + timedelta(minutes=1)
    monkeypatch.setattr(auth, "utc_now", lambda: later)
    at.run()
    assert titles(at) == ["Log in to Citra"]
    assert "long time unused" in at.info[0].value
    assert actions(demo)[0] == ("budi", "session expired")


def test_a_session_in_use_stays(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = log_in(app(), "budi", PASSWORD)
    start = auth.utc_now()
    for hours in (5, 10, 15):  # each run within 8 hours of the one before
        moment = start + timedelta(hours=hours)
        monkeypatch.setattr(auth, "utc_now", lambda moment=moment: moment)
        at.run()
        assert titles(at) == ["Overview"]


def test_repeated_failures_are_slowed_down_in_the_app(demo: Path) -> None:
    at = app()
    for _ in range(auth.FREE_FAILURES):
        log_in(at, "rina", "bukan kata sandinya")
    log_in(at, "rina", PASSWORD)
    assert titles(at) == ["Log in to Citra"]
    assert "Too many failed logins" in at.error[0].value


def test_a_removed_user_is_logged_out_at_the_next_run(demo: Path) -> None:
    at = app(user="budi")
    assert titles(at) == ["Overview"]
    db = store.open_db(demo)
    with access.acting(Actor("ana", ADMIN)):
        users.remove_user(db, "budi")
    db.close()
    at.run()
    assert titles(at) == ["Log in to Citra"]


def test_the_privacy_notice_is_readable_before_logging_in(demo: Path) -> None:
    at = app(lang="id")
    assert titles(at) == ["Masuk ke Citra"]
    links = [link for link in at.sidebar.get("page_link")]
    assert [link.proto.label for link in links] == ["Privasi"]
    at.switch_page("pages/privacy.py").run()
    assert not at.exception and titles(at) == ["Privasi"]
    assert "UU PDP" in "\n".join(m.value for m in at.markdown)
    assert not at.metric and not at.dataframe and not at.text_input  # no data, no login form
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/narratives.py")


# --- without users --------------------------------------------------------------------------------


@pytest.fixture
def no_users(demo: Path) -> Path:
    db = store.open_db(demo)
    with access.acting(Actor("ana", ADMIN)):
        for name in ("budi", "rina"):
            users.remove_user(db, name)
        users.set_role(db, "ana", ADMIN)
    db.execute("PRAGMA foreign_keys = OFF")
    db.conn.execute("DELETE FROM users")  # the last admin goes too: no users at all
    db.conn.commit()
    db.close()
    return demo


def test_without_users_on_localhost_the_app_works_as_before_and_says_so(no_users: Path) -> None:
    at = app()
    assert titles(at) == ["Overview"]
    assert "No logins" in sidebar_text(at) and "admin" in sidebar_text(at)
    at.switch_page("pages/settings.py").run()
    assert not at.exception and titles(at)[0] == "Settings"


def test_without_users_on_a_network_address_no_data_is_served(
    no_users: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ui, "server_address", lambda: "0.0.0.0")
    at = app()
    assert titles(at) == ["Log in to Citra"]
    assert "citra users add NAME --role admin" in at.warning[0].value
    assert not at.text_input and not at.metric and not at.dataframe
    at.switch_page("pages/privacy.py").run()  # the public notice, even here
    assert not at.exception and titles(at) == ["Privacy"]


# --- each role's pages and buttons ------------------------------------------------------------------


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, (page, at.exception)
    return at


@pytest.mark.parametrize("user", list(USERS))
def test_the_navigation_shows_each_role_its_pages(demo: Path, user: str) -> None:
    at = app(user=user)
    role = USERS[user]
    for page in EVERY_PAGE:
        if page in PAGES_OF[role]:
            _open(at, page)
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"pages/{page}.py")


SHOWN = [(user, page) for user in USERS for page in EVERY_PAGE if page in PAGES_OF[USERS[user]]]


@pytest.mark.parametrize(("user", "page"), SHOWN, ids=[f"{u}-{p}" for u, p in SHOWN])
def test_each_page_shows_each_role_only_its_write_buttons(demo: Path, user: str, page: str) -> None:
    role = USERS[user]
    at = _open(app(user=user), page)
    shown = {b.label for b in at.button}
    forbidden = {
        label for label, needed in WRITE_BUTTONS.items() if not access.at_least(role, needed)
    }
    assert shown & forbidden == set()


@pytest.mark.parametrize("user", list(USERS))
def test_the_narratives_page_for_each_role(demo: Path, user: str) -> None:
    """Viewer: no forms, no member names; editor and admin: the forms and the names."""
    from citra.store.narratives import set_ambassador_rule

    db = store.open_db(demo)
    with access.acting(Actor("ana", ADMIN)):
        set_ambassador_rule(db, 1)  # the small demo's sharers all count
    db.close()
    role = USERS[user]
    at = _open(app(user=user), "narratives")
    editor = access.at_least(role, EDITOR)
    assert bool(at.get("form")) == editor
    assert bool([n for n in at.number_input if n.key == "ambassadors_rule"]) == editor
    note = "Member numbers, names and links are shown to editors and admins only."
    assert (note in [c.value for c in at.caption]) == (not editor)
    seen = 0
    for month in range(3):  # this month and the two before: the list shows names to editors only
        at.selectbox(key="ambassadors_month").select_index(month).run()
        for table in at.dataframe:
            if "Attendance-day posts" in table.value.columns:
                assert ("Name" in table.value.columns) == editor
                assert ("Member number" in table.value.columns) == editor
                seen += len(table.value)
    assert seen  # the demo's ambassadors were listed


def test_the_editor_corrects_a_label_the_viewer_cannot(demo: Path) -> None:
    editor = _open(app(user="budi"), "mentions")
    assert "Save label" in {b.label for b in editor.button}
    viewer = _open(app(user="rina"), "mentions")
    assert "Save label" not in {b.label for b in viewer.button}
    assert "editors" in " ".join(c.value for c in viewer.caption)


# --- the writer refuses, whatever a page shows ------------------------------------------------------


PRESS_ANYWAY = """
from citra import pipeline, ui
from citra.store.sentiment import set_manual_label

with ui.writer() as db:
    set_manual_label(db, 1, "negative")
with ui.writer() as db:
    pipeline.remove_demo(db)
"""


def _stored(path: Path) -> tuple[str, int]:
    db = store.open_readonly(path)
    try:
        label = db.execute("SELECT sentiment_source FROM mentions WHERE seq = 1").fetchone()[0]
        return label, db.execute("SELECT count(*) FROM mentions").fetchone()[0]
    finally:
        db.close()


@pytest.mark.parametrize(
    ("user", "message"),
    [
        (None, "Log in first"),
        ("rina", "Your role (viewer) may not do this (label corrected)"),
        ("budi", "Your role (editor) may not do this (demo removed)"),
    ],
)
def test_a_pressed_button_cannot_write_past_the_role(
    demo: Path, user: str | None, message: str
) -> None:
    before = _stored(demo)
    at = AppTest.from_string(PRESS_ANYWAY, default_timeout=60)
    at.session_state["lang"] = "en"
    if user is not None:
        at.session_state[ui.AUTH_KEY] = {
            "name": user,
            "seen": datetime.now(UTC).isoformat(),
        }
    at.run()
    assert not at.exception
    assert message in at.error[0].value
    if user == "budi":  # the editor's label went through, the demo removal did not
        assert _stored(demo) == ("manual", before[1])
    else:
        assert _stored(demo) == before
    assert "denied" in {action for _, action in actions(demo)}


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "pages" / "login.py",
        ROOT / "pages" / "settings_access.py",
        ROOT / "pages" / "mentions.py",
        ROOT / "pages" / "home.py",
        ROOT / "citra" / "ui.py",
        ROOT / "dashboard.py",
    ],
    ids=lambda p: p.name,
)
def test_every_login_and_role_text_has_an_indonesian_translation(path: Path) -> None:
    from citra.i18n import catalogue
    from tests.test_alerts_pages import translatable

    missing = [text for text in translatable(path) if text not in catalogue("id")]
    assert missing == []


def test_the_settings_page_shows_admins_the_users_and_the_audit_log(demo: Path) -> None:
    at = _open(app(user="ana"), "settings")
    assert {"Users and roles", "Audit log"} <= {s.value for s in at.subheader}
    users_table = next(df.value for df in at.dataframe if "User name" in df.value.columns)
    assert sorted(users_table["User name"]) == ["ana", "budi", "rina"]
    at.text_input(key="access_new_name").input("sari")
    at.selectbox(key="access_new_role").select(EDITOR)
    at.text_input(key="access_new_password").input(PASSWORD)
    next(b for b in at.button if b.label == "Add user").click().run()
    assert not at.exception
    assert ("ana", "user added") in actions(demo)
    audit = next(df.value for df in at.dataframe if "action" in df.value.columns)
    assert "user added" in set(audit["action"])
    at.selectbox(key="access_chosen_user").select("rina").run()
    at.selectbox(key="access_chosen_role").select(EDITOR)
    next(b for b in at.button if b.label == "Change role").click().run()
    assert not at.exception
    db = store.open_readonly(demo)
    roles = dict(db.execute("SELECT name, role FROM users"))
    db.close()
    assert roles == {"ana": ADMIN, "budi": EDITOR, "rina": EDITOR, "sari": EDITOR}


def test_the_page_list_of_the_tests_is_the_navigation() -> None:
    """``EVERY_PAGE`` (conftest) names every page ``dashboard.py`` puts in the navigation."""
    source = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    assert set(re.findall(r'_page\(\s*"(\w+)"', source)) == set(EVERY_PAGE)
