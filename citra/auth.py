"""Logins: argon2 password hashes, checking a login with a growing delay after failures, and
session expiry. No Streamlit here (``citra.ui`` keeps the session); every login, failed login
and logout is appended to the audit log.

A login survives a reload of the page (:func:`start_session`): the browser keeps a random token
in a session cookie (:data:`SESSION_COOKIE`, gone when the browser closes), the database only its
SHA-256; the session ends after :data:`SESSION_IDLE` unused, at a logout, a new password or the
user's removal.

Failed logins are counted per user name, whether or not the name exists, and answered with one
message, so neither the text nor the delay tells which names are users. After
:data:`FREE_FAILURES` failures in a row the next try waits :func:`lockout` seconds, doubling
with each further failure up to :data:`MAX_LOCKOUT`; a successful login or a new password
clears the count.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlite_utils import Database

from citra.access import Actor
from citra.errors import CitraError
from citra.queries.users import get_user, login_failures, login_session, password_hash
from citra.store import audit, users

SESSION_IDLE = timedelta(hours=8)  # a session unused this long must log in again
# A session's last use is written to the database at most this often: every write makes the
# dashboard's cached reads stale (``citra.ui.cached``). A session may so end up to this much
# before SESSION_IDLE of real idleness when it is resumed after a reload.
SESSION_TOUCH = timedelta(hours=1)
SESSION_COOKIE = "citra_session"
FREE_FAILURES = 3  # failed logins in a row before the first delay
FIRST_LOCKOUT = timedelta(seconds=30)
MAX_LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 10  # characters

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Checked against when the name is unknown, so an unknown name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("citra: no such user")

LOGIN_REFUSED = "The user name or the password is wrong."
LOCKED = "Too many failed logins for this user name. Try again in {seconds} seconds."
SHORT_PASSWORD = "A password needs at least {min} characters."


class LoginRefused(CitraError):
    """A login that did not succeed (wrong name or password, or a delay still running)."""


def utc_now() -> datetime:
    """The clock of logins and sessions (tests replace it)."""
    return datetime.now(UTC)


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``; refuses one shorter than :data:`MIN_PASSWORD`."""
    if len(password) < MIN_PASSWORD:
        raise CitraError(SHORT_PASSWORD, min=MIN_PASSWORD)
    return _hasher.hash(password)


def lockout(failures: int) -> timedelta:
    """How long a user name waits after ``failures`` failed logins in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_LOCKOUT * 2 ** (failures - FREE_FAILURES), MAX_LOCKOUT)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def log_in(db: Database, name: str, password: str) -> Actor:
    """Check ``name`` and ``password``; returns the user as an :class:`Actor`.

    Raises :class:`LoginRefused` for a wrong name or password (one message for both) and while
    the name's delay runs (no password is checked then). Both outcomes are audited.
    """
    name = name.strip()
    now = utc_now()
    failed = login_failures(db, name)
    if failed is not None:
        waiting = datetime.fromisoformat(failed[1]) - now
        if waiting > timedelta(0):
            audit.append(
                db, actor=Actor(name[:64], None), action="login refused", detail={"locked": True}
            )
            raise LoginRefused(LOCKED, seconds=math.ceil(waiting.total_seconds()))
    stored = password_hash(db, name) if name else None
    if not _verify(stored or _DUMMY_HASH, password) or stored is None:
        count = (failed[0] if failed else 0) + 1
        with db.atomic():
            users.record_failure(db, name, now, now + lockout(count))
            audit.append(
                db, actor=Actor(name[:64], None), action="login failed", detail={"failures": count}
            )
        raise LoginRefused(LOGIN_REFUSED)
    user = get_user(db, name)
    assert user is not None
    rehashed = _hasher.hash(password) if _hasher.check_needs_rehash(stored) else None
    actor = Actor(user.name, user.role)
    with db.atomic():
        users.record_login(db, user.name, rehashed=rehashed)
        audit.append(db, actor=actor, action="login")
    return actor


def log_out(db: Database, actor: Actor, *, expired: bool = False) -> None:
    """Record that ``actor``'s session ended (``expired``: by the idle timeout)."""
    audit.append(db, actor=actor, action="session expired" if expired else "logout")


def session_key(token: str) -> str:
    """What the database keeps of a session token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(db: Database, actor: Actor) -> str:
    """A new session for ``actor`` (just logged in); returns its token, which only the browser
    keeps (the database keeps its hash). Expired sessions of anyone are dropped meanwhile."""
    token = secrets.token_urlsafe(32)
    now = utc_now()
    users.open_session(
        db, actor.name, session_key(token), now.isoformat(), (now - SESSION_IDLE).isoformat()
    )
    return token


def resume_session(db: Database, token: str | None) -> Actor | None:
    """The user of the session with ``token`` (a browser's cookie after a reload), role read
    afresh; ``None`` for an unknown token, a removed user or a session unused for
    :data:`SESSION_IDLE` (ended and audited as expired)."""
    if not token or len(token) > 128:
        return None
    token_hash = session_key(token)
    found = login_session(db, token_hash)
    if found is None:
        return None
    user = get_user(db, found[0])
    if user is None:
        users.end_session(db, token_hash)
        return None
    actor = Actor(user.name, user.role)
    now = utc_now()
    if expired(found[1], now):
        users.end_session(db, token_hash)
        log_out(db, actor, expired=True)
        return None
    if now - datetime.fromisoformat(found[1]) >= SESSION_TOUCH:
        users.touch_session(db, token_hash, now.isoformat())
    return actor


def touch_session(db: Database, token: str) -> None:
    """Note that the session with ``token`` is in use now (call at most every
    :data:`SESSION_TOUCH`)."""
    users.touch_session(db, session_key(token), utc_now().isoformat())


def end_session(db: Database, token: str) -> None:
    """End the session with ``token`` (a logout or an expiry noticed by the page)."""
    users.end_session(db, session_key(token))


def expired(last_seen: str, now: datetime | None = None) -> bool:
    """Whether a session last used at ``last_seen`` (UTC ISO) has passed :data:`SESSION_IDLE`."""
    try:
        seen = datetime.fromisoformat(last_seen)
    except (TypeError, ValueError):
        return True
    return (now or utc_now()) - seen > SESSION_IDLE


def is_local_address(address: str | None) -> bool:
    """Whether the server listens on this computer only (``127.x``, ``::1``, ``localhost``).
    ``None`` or ``""`` is Streamlit's "every interface": not local."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False
