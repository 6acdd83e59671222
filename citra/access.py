"""Who may see what: roles and the personal data each may see.

A first, small model until real access control exists. The dashboard's role comes from the
environment variable ``CITRA_ROLE`` (default ``board``); an unknown role gets the least rights.
Phone numbers are never shown to anyone (they are not even stored, only salted hashes). Member
names and message texts are for the comms team and administrators, not for board or supervisor
views of aggregates.
"""

from __future__ import annotations

import os

ENV_ROLE = "CITRA_ROLE"
ROLES: tuple[str, ...] = ("board", "supervisor", "comms", "admin")
DEFAULT_ROLE = "board"

_PERSONAL_DATA_ROLES = frozenset({"comms", "admin"})


def current_role() -> str:
    """The role of whoever runs this process: ``$CITRA_ROLE`` if it names a role, else ``board``."""
    role = os.environ.get(ENV_ROLE, DEFAULT_ROLE).strip().lower()
    return role if role in ROLES else DEFAULT_ROLE


def can_see_names(role: str) -> bool:
    """Member names, sender names and most-engaged lists: ``comms`` and ``admin`` only."""
    return role in _PERSONAL_DATA_ROLES


def can_see_messages(role: str) -> bool:
    """Chat message texts: ``comms`` and ``admin`` only."""
    return role in _PERSONAL_DATA_ROLES


def can_see_phones(role: str) -> bool:
    """Phone numbers: nobody (Citra keeps only salted hashes)."""
    return False


def can_edit_members(role: str) -> bool:
    """Linking senders, entering attendance and erasing members: ``comms`` and ``admin``."""
    return role in _PERSONAL_DATA_ROLES
