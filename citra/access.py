"""Who may see and do what: three roles, the acting user, and the check every writer makes.

Roles, from least to most rights:

- ``viewer`` (board, supervisors): aggregates, mentions, reports; no member names or message
  texts, no writes;
- ``editor`` (the comms team): imports, label and risk corrections, tags, feeds, alert
  acknowledgement, the member registry and sender links, chat imports;
- ``admin``: everything, settings, users, demo removal, erasure and backups included.

The old one-variable model keeps working: ``CITRA_ROLE`` may still say ``board`` or
``supervisor`` (viewer), ``comms`` (editor) or ``admin``. An unknown value gets the least rights.

**The acting user.** Whoever calls a writer acts as an :class:`Actor` (name and role) held in a
context variable: the app sets it per session and run (the logged-in user; with no users on
localhost the one local user, an admin unless ``CITRA_ROLE`` says less), the CLI sets it to
``cli:<OS user>`` as admin (whoever may run the CLI owns the file). Code that sets nothing (tests,
scripts) acts as :func:`local_actor`.

**The check.** Every function that writes declares the role it needs with :func:`requires`; it
refuses any lesser role with :class:`AccessDenied` before touching anything, so a page that
forgets to hide a button still cannot write. With ``action=...`` the call is also appended to
the audit log (``citra.store.audit``) in the same transaction when the caller holds one; a call
nested inside another audited one is covered by the outer row.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import inspect
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from citra.errors import CitraError

VIEWER = "viewer"
EDITOR = "editor"
ADMIN = "admin"
ROLES: tuple[str, ...] = (VIEWER, EDITOR, ADMIN)  # least rights first
LEGACY_ROLES: dict[str, str] = {"board": VIEWER, "supervisor": VIEWER, "comms": EDITOR}
ENV_ROLE = "CITRA_ROLE"
LOCAL_NAME = "local"  # the actor's name in the app with no users, on localhost

F = TypeVar("F", bound=Callable[..., Any])


class AccessDenied(CitraError):
    """A writer refused: the acting role has fewer rights than the function needs."""


DENIED = "Your role ({role}) may not do this ({action}); it needs the {needed} role."
NOBODY = "Log in first: nobody is logged in, so nothing can be changed."


def normalise_role(value: str | None) -> str | None:
    """``value`` as one of :data:`ROLES` (legacy names mapped), or ``None`` if it names none."""
    role = (value or "").strip().lower()
    role = LEGACY_ROLES.get(role, role)
    return role if role in ROLES else None


_RANK = {role: number for number, role in enumerate(ROLES)}


def rank(role: str | None) -> int:
    """0, 1, 2 for viewer, editor, admin; -1 for no role at all."""
    return ROLES.index(role) if role in ROLES else -1


def at_least(role: str | None, needed: str) -> bool:
    """Whether ``role`` has every right of ``needed``."""
    return rank(role) >= rank(needed)


def environment_role() -> str:
    """The role ``$CITRA_ROLE`` names (legacy names mapped); unset: ``admin`` (the one local
    user of an installation without logins); a value that names no role: ``viewer``."""
    raw = os.environ.get(ENV_ROLE)
    if raw is None or not raw.strip():
        return ADMIN
    return normalise_role(raw) or VIEWER


@dataclass(frozen=True)
class Actor:
    """Who acts: ``name`` as the audit log records it (a user name, ``cli:<OS user>`` or
    ``local``) and the ``role`` every writer checks (``None``: nobody logged in, no rights)."""

    name: str
    role: str | None


def os_user() -> str:
    """The name of the operating-system user running this process (``unknown`` if none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def local_actor() -> Actor:
    """The actor of code that set none: ``local`` with :func:`environment_role`."""
    return Actor(LOCAL_NAME, environment_role())


def cli_actor() -> Actor:
    """The command line's actor: ``cli:<OS user>``, admin."""
    return Actor(f"cli:{os_user()}", ADMIN)


_actor: ContextVar[Actor | None] = ContextVar("citra_actor", default=None)
_audited: ContextVar[bool] = ContextVar("citra_audited", default=False)


def current_actor() -> Actor:
    """The actor set by :func:`acting` around this call, else :func:`local_actor`."""
    return _actor.get() or local_actor()


def current_role() -> str | None:
    """The acting role (see :func:`current_actor`); ``None`` when nobody is logged in."""
    return current_actor().role


@contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    """Run the block as ``actor``: every writer inside checks its role and audits its name."""
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


# --- what each role may see and do (the pages and the writers ask here) -----------------------


def can_see_names(role: str | None) -> bool:
    """Member names, sender names and most-engaged lists: editors and admins."""
    return at_least(role, EDITOR)


def can_see_messages(role: str | None) -> bool:
    """Chat message texts: editors and admins."""
    return at_least(role, EDITOR)


def can_see_phones(role: str | None) -> bool:
    """Phone numbers: nobody (Citra keeps only salted hashes)."""
    return False


def can_edit(role: str | None) -> bool:
    """Imports, feeds, labels, tags, alert acknowledgement: editors and admins."""
    return at_least(role, EDITOR)


def can_edit_members(role: str | None) -> bool:
    """The member registry, events, attendance and sender links: editors and admins."""
    return at_least(role, EDITOR)


def can_administer(role: str | None) -> bool:
    """Settings, users, the audit log, demo data, erasure and backups: admins."""
    return at_least(role, ADMIN)


# The pages each role sees (keys are the page files' stems); a page not listed is for everyone.
PAGE_ROLES: dict[str, str] = {"sources": EDITOR, "settings": ADMIN}


def can_open(role: str | None, page: str) -> bool:
    """Whether ``role`` sees the page ``page`` (``pages/<page>.py``) in the navigation."""
    return role is not None and at_least(role, PAGE_ROLES.get(page, VIEWER))


# --- the check every writer makes ---------------------------------------------------------------

Detail = Callable[[Mapping[str, Any], Any], Mapping[str, Any] | None]
Before = Callable[[Any, Mapping[str, Any]], Any]
_SKIPPED = {"db", "progress", "password", "password_hash", "secret"}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if len(value) <= 200 else value[:200] + "..."
    if isinstance(value, Path):
        return value.name
    if isinstance(value, list | tuple) and len(value) <= 20:
        return [_plain(v) for v in value]
    return None


def _arguments(bound: Mapping[str, Any]) -> dict[str, Any]:
    """The small, plain arguments of a call (no database, callbacks or secrets)."""
    found = {}
    for name, value in bound.items():
        if name in _SKIPPED or callable(value):
            continue
        if isinstance(value, dict):
            value = {k: _plain(v) for k, v in value.items() if k not in _SKIPPED}
        else:
            value = _plain(value)
        if value is not None:
            found[name] = value
    return found


def _result(value: Any) -> Any:
    """A call's result when it is small (a count or a dict of counts)."""
    if isinstance(value, bool | int):
        return value
    if isinstance(value, Mapping):
        small = {k: v for k, v in value.items() if isinstance(v, bool | int | str) and k != "db"}
        return small if len(small) <= 20 else None
    return None


def requires(
    role: str,
    *,
    action: str | None = None,
    target: str | None = None,
    before: Before | None = None,
    detail: Detail | None = None,
) -> Callable[[F], F]:
    """Declare that the decorated writer (database first) needs ``role``.

    The call is refused with :class:`AccessDenied` (nothing written) when the acting role has
    fewer rights. With ``action`` the call is audited: ``target`` names the argument recorded as
    the row's target; the detail holds the plain arguments, the small result, and ``before``
    (``before(db, arguments)``, read before the call) next to ``after`` when given; ``detail``
    replaces the arguments part. A refused call is audited too (action ``denied``) when no
    transaction is open.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    needed = _RANK[role]

    def decorate(function: F) -> F:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            actor = _actor.get()
            acting_role = actor.role if actor is not None else environment_role()
            if _RANK.get(acting_role, -1) < needed:
                db = args[0] if args else kwargs.get("db")
                _deny(db, current_actor(), action or function.__name__, role)
            if action is None or _audited.get():  # the hot path: a check, nothing bound
                return function(*args, **kwargs)
            actor = current_actor()
            db = args[0] if args else kwargs.get("db")
            bound = signature.bind_partial(*args, **kwargs).arguments
            earlier = before(db, bound) if before is not None else None
            token = _audited.set(True)
            try:
                result = function(*args, **kwargs)
            finally:
                _audited.reset(token)
            facts = dict(detail(bound, result) or {}) if detail else _arguments(bound)
            if before is not None:
                facts["before"] = earlier
                facts["after"] = before(db, bound)
            small = _result(result)
            if small is not None and detail is None:
                facts["result"] = small
            from citra.store.audit import append

            append(
                db,
                actor=actor,
                action=action,
                target=None if target is None else _plain(bound.get(target)),
                detail=facts,
            )
            return result

        wrapper.required_role = role  # type: ignore[attr-defined]
        wrapper.audit_action = action  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def _deny(db: Any, actor: Actor, action: str, needed: str) -> None:
    from citra.store.audit import append

    conn = getattr(db, "conn", None)
    if conn is not None and not conn.in_transaction:
        # A read-only handle or a busy file: the refusal stands regardless.
        with contextlib.suppress(Exception):
            append(db, actor=actor, action="denied", target=action, detail={"needed": needed})
    if actor.role is None:
        raise AccessDenied(NOBODY)
    raise AccessDenied(DENIED, role=actor.role, action=action, needed=needed)
