"""Writing users: adding, removing, new passwords and roles (admins only), and the login
bookkeeping (:func:`record_login`, :func:`record_failure`), which runs before anyone is logged
in and so checks no role. Passwords arrive here already hashed (``citra.auth``)."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from citra.access import ADMIN, ROLES, requires
from citra.errors import CitraError
from citra.queries.users import get_user, list_users
from citra.store.imports import utc_now

MAX_NAME = 64


def _clean_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > MAX_NAME or any(c.isspace() or c == ":" for c in cleaned):
        raise CitraError(
            "A user name is 1 to {max} characters without spaces or colons, not '{name}'.",
            max=MAX_NAME,
            name=cleaned[:MAX_NAME],
        )
    return cleaned


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise CitraError(
            "The role must be viewer, editor or admin, not '{role}'.", role=str(role)[:20]
        )
    return role


def _require(db: Database, name: str) -> None:
    if get_user(db, name) is None:
        raise CitraError("No user called '{name}'.", name=name[:MAX_NAME])


def _user_role(db: Database, arguments: dict) -> str | None:
    user = get_user(db, str(arguments.get("name", "")))
    return user.role if user else None


def _last_admin_check(db: Database, name: str, new_role: str | None) -> None:
    """Refuse a change that would leave users but no admin (nobody could manage them)."""
    others = [u for u in list_users(db) if u.name.lower() != name.lower()]
    if others and new_role != ADMIN and not any(u.role == ADMIN for u in others):
        raise CitraError(
            "'{name}' is the last admin; make another user admin first.", name=name[:MAX_NAME]
        )


@requires(ADMIN, action="user added", target="name", detail=lambda a, r: {"role": a["role"]})
def add_user(db: Database, name: str, role: str, password_hash: str) -> str:
    """Add the user ``name`` with ``role`` and an argon2 ``password_hash``; returns the name.
    Raises :class:`CitraError` for a taken or malformed name or an unknown role."""
    name = _clean_name(name)
    _check_role(role)
    if get_user(db, name) is not None:
        raise CitraError("A user called '{name}' exists already.", name=name)
    now = utc_now()
    with db.atomic():
        db.execute(
            "INSERT INTO users (name, role, password_hash, created_at, password_changed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [name, role, password_hash, now, now],
        )
    return name


@requires(ADMIN, action="user removed", target="name", before=_user_role)
def remove_user(db: Database, name: str) -> None:
    """Remove the user ``name`` (their audit rows stay). Refuses to remove the last admin
    while other users remain."""
    _require(db, name)
    _last_admin_check(db, name, None)
    with db.atomic():
        db.execute("DELETE FROM users WHERE name = ?", [name])
        db.execute("DELETE FROM login_failures WHERE name = ?", [name.lower()])
        _end_sessions_of(db, name)


@requires(ADMIN, action="password changed", target="name", detail=lambda a, r: {})
def set_password(db: Database, name: str, password_hash: str) -> None:
    """Give ``name`` a new password (an argon2 hash), lift any login delay and end the user's
    open sessions (whoever knew the old password logs in again)."""
    _require(db, name)
    with db.atomic():
        db.execute(
            "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE name = ?",
            [password_hash, utc_now(), name],
        )
        db.execute("DELETE FROM login_failures WHERE name = ?", [name.lower()])
        _end_sessions_of(db, name)


@requires(ADMIN, action="role changed", target="name", before=_user_role)
def set_role(db: Database, name: str, role: str) -> None:
    """Give ``name`` the role ``role``; refuses to demote the last admin."""
    _require(db, name)
    _check_role(role)
    _last_admin_check(db, name, role)
    with db.atomic():
        db.execute("UPDATE users SET role = ? WHERE name = ?", [role, name])


# --- login bookkeeping (before anyone is logged in: no role to check) --------------------------


def record_login(db: Database, name: str, *, rehashed: str | None = None) -> None:
    """A successful login of ``name``: clear its failures, note the time (and store a hash
    computed with newer parameters, ``rehashed``)."""
    with db.atomic():
        db.execute("DELETE FROM login_failures WHERE name = ?", [name.lower()])
        db.execute("UPDATE users SET last_login_at = ? WHERE name = ?", [utc_now(), name])
        if rehashed:
            db.execute("UPDATE users SET password_hash = ? WHERE name = ?", [rehashed, name])


def record_failure(db: Database, name: str, at: datetime, locked_until: datetime) -> int:
    """One more failed login for ``name`` (any name, known or not); returns the count."""
    key = name.strip().lower()[:MAX_NAME]
    with db.atomic():
        db.execute(
            "INSERT INTO login_failures (name, failures, last_failed_at, locked_until) "
            "VALUES (?, 1, ?, ?) ON CONFLICT (name) DO UPDATE SET failures = failures + 1, "
            "last_failed_at = excluded.last_failed_at, locked_until = excluded.locked_until",
            [key, at.isoformat(), locked_until.isoformat()],
        )
        return int(
            db.execute("SELECT failures FROM login_failures WHERE name = ?", [key]).fetchone()[0]
        )


# --- sessions that survive a reload (citra.auth.start_session; tokens only as hashes) -----------


def open_session(db: Database, name: str, token_hash: str, at: str, idle_since: str) -> None:
    """Store a new session of ``name`` started ``at`` (UTC ISO), and drop every session unused
    since before ``idle_since`` (expired, whoever's)."""
    with db.atomic():
        db.execute("DELETE FROM login_sessions WHERE last_seen < ?", [idle_since])
        db.execute(
            "INSERT INTO login_sessions (token_hash, user_name, created_at, last_seen) "
            "VALUES (?, ?, ?, ?)",
            [token_hash, name, at, at],
        )


def touch_session(db: Database, token_hash: str, at: str) -> None:
    """Note that the session was used ``at`` (UTC ISO)."""
    with db.atomic():
        db.execute("UPDATE login_sessions SET last_seen = ? WHERE token_hash = ?", [at, token_hash])


def end_session(db: Database, token_hash: str) -> None:
    """End one session (a logout, an expiry)."""
    with db.atomic():
        db.execute("DELETE FROM login_sessions WHERE token_hash = ?", [token_hash])


def _end_sessions_of(db: Database, name: str) -> None:
    """End every session of the user ``name``."""
    with db.atomic():
        db.execute("DELETE FROM login_sessions WHERE user_name = ?", [name])
