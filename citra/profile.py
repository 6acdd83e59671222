"""The coop profile: the monitored coop (kind ``self``) and its peers (kind ``peer``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Organisation:
    """One row of ``organisations`` with its JSON columns decoded."""

    id: int
    name: str
    kind: str
    keywords: tuple[str, ...] = ()
    exclude_keywords: tuple[str, ...] = ()
    website: str | None = None
    accounts: dict[str, str] = field(default_factory=dict)
    is_demo: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Organisation:
        return cls(
            id=int(row["id"]),
            name=row["name"],
            kind=row["kind"],
            keywords=tuple(json.loads(row.get("keywords") or "[]")),
            exclude_keywords=tuple(json.loads(row.get("exclude_keywords") or "[]")),
            website=row.get("website"),
            accounts=dict(json.loads(row.get("accounts") or "{}")),
            is_demo=bool(row.get("is_demo")),
        )

    @property
    def search_terms(self) -> tuple[str, ...]:
        """The name and every keyword: what the matcher looks for."""
        return (self.name, *self.keywords)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "keywords": list(self.keywords),
            "exclude_keywords": list(self.exclude_keywords),
            "website": self.website,
            "accounts": dict(self.accounts),
            "is_demo": self.is_demo,
        }
