"""Reading the users who may log in (never their password hashes, except for the login)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class User:
    """A person who may log in: ``name`` (unique, case-insensitive), ``role``; times in UTC."""

    id: int
    name: str
    role: str
    created_at: str
    last_login_at: str | None


_COLUMNS = "id, name, role, created_at, last_login_at"


def count_users(db: Database) -> int:
    """How many users exist (0: the app runs without logins, on localhost only)."""
    return int(db.execute("SELECT count(*) FROM users").fetchone()[0])


def list_users(db: Database) -> list[User]:
    """Every user, by name."""
    return [User(*row) for row in db.execute(f"SELECT {_COLUMNS} FROM users ORDER BY name")]


def get_user(db: Database, name: str) -> User | None:
    """The user called ``name`` (any case), or ``None``."""
    row = db.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ?", [name]).fetchone()
    return User(*row) if row else None


def password_hash(db: Database, name: str) -> str | None:
    """The stored argon2 hash of ``name``'s password (the login checks it), or ``None``."""
    row = db.execute("SELECT password_hash FROM users WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def login_failures(db: Database, name: str) -> tuple[int, str] | None:
    """``(failed logins in a row, locked until as UTC ISO)`` for the user name ``name`` (any
    name, known or not), or ``None`` when its last try succeeded or it never failed."""
    row = db.execute(
        "SELECT failures, locked_until FROM login_failures WHERE name = ?",
        [name.strip().lower()[:64]],
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def login_session(db: Database, token_hash: str) -> tuple[str, str] | None:
    """``(user name, last used as UTC ISO)`` of the session whose token hashes to
    ``token_hash``, or ``None``."""
    row = db.execute(
        "SELECT user_name, last_seen FROM login_sessions WHERE token_hash = ?", [token_hash]
    ).fetchone()
    return (str(row[0]), str(row[1])) if row else None
