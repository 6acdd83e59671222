"""Personal data helpers: phone-number normalisation, masking in free text, and salted hashes.

Phone numbers are never stored. Each installation has a secret salt kept outside the database
file (``<db>.salt`` beside it, mode 0600, or the file named by ``$CITRA_SALT_FILE``); a number is
stored only as ``HMAC-SHA256(salt, normalised number)``. Without the salt file the hashes cannot be
matched again, so back it up together with the database. An in-memory database uses a fixed test
salt.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from sqlite_utils import Database

from citra.errors import CitraError
from citra.masking import (
    PHONE_MASK,
    is_phone_number,
    looks_like_phone,
    mask_personal,
    mask_phones,
    normalise_phone,
)

__all__ = [
    "PHONE_MASK",
    "handle_hash",
    "is_phone_number",
    "keyed_hash",
    "looks_like_phone",
    "mask_personal",
    "mask_phones",
    "normalise_phone",
    "phone_hash",
    "salt",
    "salt_path",
]

ENV_SALT_FILE = "CITRA_SALT_FILE"
TEST_SALT = b"citra-in-memory-test-salt"

_salts: dict[str, bytes] = {}


def _db_file(db: Database) -> str:
    for row in db.execute("PRAGMA database_list").fetchall():
        if row[1] == "main":
            return row[2] or ""
    return ""


def salt_path(db: Database) -> Path | None:
    """Where this installation's salt lives; ``None`` for an in-memory database."""
    from_env = os.environ.get(ENV_SALT_FILE)
    if from_env:
        return Path(from_env)
    file_name = _db_file(db)
    return Path(file_name + ".salt") if file_name else None


def salt(db: Database) -> bytes:
    """This installation's salt, created (32 random bytes, mode 0600) on first use."""
    path = salt_path(db)
    if path is None:
        return TEST_SALT
    key = str(path)
    if key in _salts:
        return _salts[key]
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        except OSError as exc:
            raise CitraError(
                "Cannot create the salt file {path}: {detail}.", path=path, detail=exc.strerror
            ) from exc
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    value = path.read_text().strip()
    if len(value) < 32:
        raise CitraError(
            "The salt file {path} is damaged (too short); restore it from a backup.", path=path
        )
    _salts[key] = value.encode("ascii")
    return _salts[key]


def keyed_hash(db: Database, purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``purpose`` + ``value`` under the installation salt, hex (64 chars)."""
    message = f"{purpose}\x1f{value}".encode()
    return hmac.new(salt(db), message, hashlib.sha256).hexdigest()


def handle_hash(db: Database, platform: str, handle: str) -> str:
    """The stored form of an erased member's account (``forgotten_handles``): the keyed hash of
    the platform and the handle as stored (``citra.handles.normalise_handle``'s form)."""
    return keyed_hash(db, "handle", f"{platform}\x1f{handle}")


def phone_hash(db: Database, phone: str) -> str | None:
    """The stored form of a phone number, or ``None`` when it is not a phone number."""
    normalised = normalise_phone(phone)
    return keyed_hash(db, "phone", normalised) if normalised else None
