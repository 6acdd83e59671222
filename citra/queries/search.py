"""Full-text search over mentions: the Mentions page's query, sorted and paged.

The text goes to the ``mentions_fts`` index (FTS5 syntax: ``"exact phrase"``, ``bayar*``, ``OR``,
``NOT``); filters narrow it through the mentions' indexes; every list has a LIMIT.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlite_utils import Database

from citra import search_terms
from citra.errors import CitraError
from citra.filters import Filters
from citra.queries.mentions import LIST_COLUMNS, in_list, mention_where
from citra.queries.settings import get_setting

SORTS: dict[str, str] = {
    "published_at": "m.published_at",
    "reach": "m.reach",
    "sentiment": "m.sentiment_compound",
}


class SearchSyntaxError(CitraError):
    """A full-text query SQLite could not parse; the message says how to write one."""


@dataclass(frozen=True)
class MentionQuery:
    """What the Mentions table asks for: the shared filters plus its own.

    ``text`` is what the search box holds: plain words are searched by their root and their
    synonyms (``citra.search_terms``), unless ``exact``; FTS5 syntax (``"exact phrases"``,
    ``prefix*``, ``OR``, ``NOT``) is used as written. ``labels`` and ``sources`` empty mean all;
    ``page`` counts from 0.
    """

    filters: Filters
    text: str = ""
    labels: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    risk_only: bool = False
    risk_category: str | None = None
    tag_id: int | None = None
    sort: str = "published_at"
    descending: bool = True
    page: int = 0
    page_size: int = 50
    exact: bool = False


def custom_synonyms(db: Database) -> list[tuple[str, ...]]:
    """The coop's own synonym groups (setting ``search_synonyms``: ``"a | b | c"`` lines)."""
    lines = get_setting(db, search_terms.SETTING) or []
    return [g for g in (search_terms.parse_group(line) for line in lines) if len(g) > 1]


def _search_where(q: MentionQuery, params: list[Any], groups: list[tuple[str, ...]]) -> str:
    clauses = mention_where(q.filters, params)
    if q.text.strip():
        clauses.append("m.seq IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)")
        params.append(search_terms.expand(q.text, groups, exact=q.exact))
    if q.labels:
        clauses.append(in_list("m.sentiment_label", q.labels, params))
    if q.sources:
        clauses.append(in_list("m.source", q.sources, params))
    if q.risk_only or q.risk_category:
        clauses.append("m.risk != 0")
    if q.risk_category:
        # risk_categories holds every category of the mention, space-separated.
        clauses.append("(' ' || coalesce(m.risk_categories, '') || ' ') LIKE ?")
        params.append(f"% {q.risk_category} %")
    if q.tag_id is not None:
        clauses.append("m.seq IN (SELECT mention_seq FROM mention_tags WHERE tag_id = ?)")
        params.append(q.tag_id)
    return " AND ".join(clauses)


def _run_search(db: Database, sql: str, params: list[Any], text: str) -> list[Any]:
    try:
        return db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        # FTS5 reports a bad query in several words ("fts5: syntax error", "unterminated
        # string", "no such column" for a stray colon); anything but a storage problem is one.
        problem = str(exc).lower()
        if text.strip() and not any(w in problem for w in ("locked", "no such table", "disk")):
            raise SearchSyntaxError(
                "Citra could not read the search '{text}'. Use plain words, \"an exact "
                'phrase" in double quotes, or a prefix with a star (bayar*); put quotes around '
                "words with punctuation.",
                text=text,
            ) from exc
        raise


def search_mentions(db: Database, q: MentionQuery) -> tuple[pd.DataFrame, int]:
    """One page of mentions matching ``q`` and the total number that match.

    Sorted by ``q.sort`` (a key of :data:`SORTS`; unknown falls back to newest first), then by
    ``seq`` so pages never overlap. Raises :class:`SearchSyntaxError` for a malformed ``text``.
    Empty: an empty frame and 0.
    """
    params: list[Any] = []
    where = _search_where(q, params, custom_synonyms(db))
    total = _run_search(db, f"SELECT count(*) FROM mentions m WHERE {where}", params, q.text)[0][0]
    order = SORTS.get(q.sort, SORTS["published_at"])
    direction = "DESC" if q.descending else "ASC"
    page_params = [*params, q.page_size, max(q.page, 0) * q.page_size]
    rows = _run_search(
        db,
        f"SELECT {LIST_COLUMNS} FROM mentions m LEFT JOIN organisations o "
        f"ON o.id = m.organisation_id WHERE {where} "
        f"ORDER BY {order} {direction}, m.seq {direction} LIMIT ? OFFSET ?",
        page_params,
        q.text,
    )
    columns = [c.strip().split(" AS ")[-1].removeprefix("m.") for c in LIST_COLUMNS.split(",")]
    return pd.DataFrame(rows, columns=columns), int(total)
