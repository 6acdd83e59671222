"""Writing the coop profile and its peers."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from citra.access import ADMIN, requires
from citra.errors import CitraError
from citra.profile import Organisation
from citra.queries.organisations import find_organisation, get_self


def _clean(words: Sequence[str] | None) -> list[str] | None:
    if words is None:
        return None
    seen: dict[str, str] = {}
    for word in words:
        word = " ".join(str(word).split())
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return list(seen.values())


def _profile(db: Database, arguments: Mapping[str, Any]) -> dict[str, Any] | None:
    coop = get_self(db)
    if coop is None:
        return None
    return {
        "name": coop.name,
        "keywords": list(coop.keywords),
        "exclude_keywords": list(coop.exclude_keywords),
        "website": coop.website,
    }


@requires(ADMIN, action="profile changed", before=_profile)
def set_profile(
    db: Database,
    *,
    name: str | None = None,
    keywords: Sequence[str] | None = None,
    exclude_keywords: Sequence[str] | None = None,
    website: str | None = None,
    accounts: Mapping[str, str] | None = None,
    is_demo: bool | None = None,
) -> Organisation:
    """Create or update the monitored coop; arguments left ``None`` keep their value."""
    current = get_self(db)
    if current is None and not (name and name.strip()):
        raise CitraError("The coop needs a name before anything else can be set.")
    values: dict[str, object] = {}
    if name is not None:
        if not name.strip():
            raise CitraError("The coop's name cannot be empty.")
        values["name"] = " ".join(name.split())
    if (cleaned := _clean(keywords)) is not None:
        values["keywords"] = json.dumps(cleaned, ensure_ascii=False)
    if (cleaned := _clean(exclude_keywords)) is not None:
        values["exclude_keywords"] = json.dumps(cleaned, ensure_ascii=False)
    if website is not None:
        values["website"] = website.strip() or None
    if accounts is not None:
        values["accounts"] = json.dumps(
            {k: v.strip() for k, v in accounts.items() if v and v.strip()}, ensure_ascii=False
        )
    if is_demo is not None:
        values["is_demo"] = int(is_demo)
    with db.atomic():
        if current is None:
            db["organisations"].insert({"kind": "self", **values})
        elif values:
            db["organisations"].update(current.id, values)
    result = get_self(db)
    assert result is not None
    return result


@requires(ADMIN, action="peer saved", target="name")
def add_peer(
    db: Database,
    name: str,
    *,
    keywords: Sequence[str] = (),
    exclude_keywords: Sequence[str] = (),
    website: str | None = None,
    accounts: Mapping[str, str] | None = None,
    is_demo: bool = False,
) -> Organisation:
    """Add a peer coop, or update the peer of that name."""
    name = " ".join(name.split())
    if not name:
        raise CitraError("A peer needs a name.")
    existing = find_organisation(db, name)
    if existing is not None and existing.kind == "self":
        raise CitraError("'{name}' is the coop itself, not a peer.", name=name)
    values = {
        "name": name,
        "kind": "peer",
        "keywords": json.dumps(_clean(keywords), ensure_ascii=False),
        "exclude_keywords": json.dumps(_clean(exclude_keywords), ensure_ascii=False),
        "website": (website or "").strip() or None,
        "accounts": json.dumps(dict(accounts or {}), ensure_ascii=False),
        "is_demo": int(is_demo),
    }
    with db.atomic():
        if existing is None:
            db["organisations"].insert(values)
        else:
            db["organisations"].update(existing.id, values)
    peer = find_organisation(db, name)
    assert peer is not None
    return peer


@requires(ADMIN, action="peer removed", target="name_or_id")
def remove_peer(db: Database, name_or_id: str | int) -> Organisation:
    """Remove a peer; its mentions stay, no longer attributed to any organisation."""
    peer = find_organisation(db, name_or_id)
    if peer is None or peer.kind != "peer":
        raise CitraError("No peer called '{name}'.", name=name_or_id)
    with db.atomic():
        db.execute("DELETE FROM organisations WHERE id = ?", [peer.id])
    return peer
