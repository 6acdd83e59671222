"""Writing the comms strategy: narratives, their assignment to mentions, the posting plan, the
ambassador rule, and the headlines of outlet feeds kept for the viral-topic watch.

Pages and the CLI change narratives through ``citra.pipeline`` (``save_narrative``,
``delete_narrative``), which then runs the pipeline's ``narratives`` step
(:func:`refresh_assignments`): assignments always follow the definitions and every import.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from citra.access import EDITOR, requires
from citra.errors import CitraError
from citra.narratives import Narrative, NarrativeMatcher, version
from citra.queries.narratives import find_narrative, list_narratives, narrative_state
from citra.queries.organisations import list_organisations
from citra.store.imports import utc_now
from citra.store.mentions import PLATFORMS
from citra.topics import organisation_stop_words

ASSIGN_BATCH = 5000
PLAN_PERIODS = ("week", "month")
PLAN_TONES = ("positive", "neutral")
HEADLINE_DAYS = 63  # nine weeks: this week and the eight baseline weeks of the viral watch
MAX_HEADLINE_CHARS = 300
AMBASSADOR_SETTING = "ambassador_min_shares"
NAME_CHARS = 100


def _clean_list(values: Iterable[str] | None) -> list[str]:
    if values is None:
        return []
    return list(dict.fromkeys(" ".join(v.split()) for v in values if v and v.strip()))


@requires(EDITOR, action="narrative saved", target="name")
def save_narrative(
    db: Database,
    name: str,
    *,
    description: str | None = None,
    keywords: Sequence[str] | None = None,
    examples: Sequence[str] | None = None,
    is_demo: bool = False,
) -> Narrative:
    """Add the narrative ``name``, or update the one of that name (case ignored); fields left
    ``None`` keep their stored value. Raises :class:`CitraError` for an empty name, a name
    longer than :data:`NAME_CHARS`, or a narrative with neither keywords nor examples (it
    could never match anything)."""
    name = " ".join((name or "").split())
    if not name:
        raise CitraError("A narrative needs a name.")
    if len(name) > NAME_CHARS:
        raise CitraError("A narrative's name has at most {limit} characters.", limit=NAME_CHARS)
    existing = find_narrative(db, name)
    words = _clean_list(keywords) if keywords is not None else None
    sentences = _clean_list(examples) if examples is not None else None
    final_words = words if words is not None else list(existing.keywords if existing else [])
    final_examples = (
        sentences if sentences is not None else list(existing.examples if existing else [])
    )
    if not final_words and not final_examples:
        raise CitraError(
            "The narrative '{name}' needs keywords or example sentences, or nothing can match it.",
            name=name,
        )
    with db.atomic():
        if existing is None:
            db.execute(
                "INSERT INTO narratives (name, description, keywords, examples, is_demo) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    name,
                    (description or "").strip(),
                    json.dumps(final_words, ensure_ascii=False),
                    json.dumps(final_examples, ensure_ascii=False),
                    int(is_demo),
                ],
            )
        else:
            db.execute(
                "UPDATE narratives SET name = ?, description = coalesce(?, description), "
                "keywords = ?, examples = ?, updated_at = ? WHERE id = ?",
                [
                    name,
                    description.strip() if description is not None else None,
                    json.dumps(final_words, ensure_ascii=False),
                    json.dumps(final_examples, ensure_ascii=False),
                    utc_now(),
                    existing.id,
                ],
            )
    saved = find_narrative(db, name)
    assert saved is not None
    return saved


def _require(db: Database, name_or_id: str | int) -> Narrative:
    found = find_narrative(db, name_or_id)
    if found is None:
        raise CitraError(
            "No narrative '{narrative}'. See them with: citra narratives list",
            narrative=name_or_id,
        )
    return found


@requires(EDITOR, action="narrative removed", target="name_or_id")
def remove_narrative(db: Database, name_or_id: str | int) -> Narrative:
    """Remove a narrative (its assignments and plan lines go with it). Raises
    :class:`CitraError` when there is none of that name or id."""
    found = _require(db, name_or_id)
    with db.atomic():
        db.execute("DELETE FROM narratives WHERE id = ?", [found.id])
    return found


# --- assignments (the pipeline's "narratives" step) --------------------------------------------


def _set_state(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO narrative_state (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


@requires(EDITOR)
def refresh_assignments(
    db: Database, *, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Bring ``mention_narratives`` up to date: every mention not yet looked at is assigned;
    when a narrative or an organisation's name changed (the fingerprint
    :func:`citra.narratives.version`), every mention again. Batches of :data:`ASSIGN_BATCH`,
    each its own transaction (a crash resumes where it stopped). Returns ``{"checked",
    "assigned", "rebuilt"}``; with no narratives it costs two small queries.

    Progress is the highest mention ``seq`` looked at; when mentions at the top were removed
    (an undone import), it is lowered to the highest left, since SQLite hands their ``seq``
    to the next mentions written.
    """
    narratives = list_narratives(db)
    extra = organisation_stop_words(list_organisations(db))
    fingerprint = version(narratives, extra)
    state = narrative_state(db)
    rebuilt = state.get("version") != fingerprint
    last_seq = 0 if rebuilt else int(state.get("last_seq") or 0)
    top = db.execute("SELECT coalesce(max(seq), 0) FROM mentions").fetchone()[0]
    last_seq = min(last_seq, top)
    if rebuilt:
        with db.atomic():
            db.execute("DELETE FROM mention_narratives")
            _set_state(db, "version", fingerprint)
            _set_state(db, "last_seq", "0")
    if not narratives:
        return {"checked": 0, "assigned": 0, "rebuilt": int(rebuilt)}
    matcher = NarrativeMatcher(narratives, extra)
    total = db.execute("SELECT count(*) FROM mentions WHERE seq > ?", [last_seq]).fetchone()[0]
    checked = assigned = 0
    while True:
        batch = db.execute(
            "SELECT seq, title, text FROM mentions WHERE seq > ? ORDER BY seq LIMIT ?",
            [last_seq, ASSIGN_BATCH],
        ).fetchall()
        if not batch:
            break
        rows = []
        for seq, title, text in batch:
            for found in matcher.assign(title, text):
                rows.append(
                    (
                        found.narrative_id,
                        seq,
                        found.score,
                        found.method,
                        json.dumps(list(found.matched), ensure_ascii=False),
                    )
                )
        last_seq = batch[-1][0]
        with db.atomic():
            db.conn.executemany(
                "INSERT OR REPLACE INTO mention_narratives "
                "(narrative_id, mention_seq, score, method, matched) VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            _set_state(db, "last_seq", str(last_seq))
        checked += len(batch)
        assigned += len(rows)
        if progress is not None:
            progress(min(checked, total), total)
    if checked == 0 and last_seq != int(state.get("last_seq") or 0):
        with db.atomic():
            _set_state(db, "last_seq", str(last_seq))
    return {"checked": checked, "assigned": assigned, "rebuilt": int(rebuilt)}


# --- the posting plan --------------------------------------------------------------------------


@requires(EDITOR, action="plan line added", target="channel")
def add_plan(
    db: Database,
    channel: str,
    posts: int,
    *,
    per: str = "week",
    narrative: str | int | None = None,
    tone: str | None = None,
    max_length: int | None = None,
    is_demo: bool = False,
) -> int:
    """Plan ``posts`` own posts per ``per`` (week or month) on ``channel`` (a platform),
    optionally of one ``narrative`` (name or id), with the persona's ``tone`` (positive or
    neutral) and ``max_length`` (characters). Returns the plan line's id. Raises
    :class:`CitraError` for an unknown channel, period, tone or narrative, or a count below 1."""
    channel = (channel or "").strip().lower()
    if channel not in PLATFORMS:
        raise CitraError(
            "Unknown channel '{channel}'; use one of {known}.",
            channel=channel,
            known=", ".join(PLATFORMS),
        )
    if per not in PLAN_PERIODS:
        raise CitraError("A plan counts posts per week or per month, not per '{per}'.", per=per)
    if tone is not None and tone not in PLAN_TONES:
        raise CitraError(
            "Unknown tone '{tone}'; use one of {known}.", tone=tone, known=", ".join(PLAN_TONES)
        )
    if int(posts) < 1:
        raise CitraError("A plan line needs at least one post.")
    if max_length is not None and int(max_length) < 1:
        raise CitraError("The longest post must be at least one character.")
    narrative_id = _require(db, narrative).id if narrative not in (None, "") else None
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO comm_plan (channel, narrative_id, posts, per, tone, max_length, is_demo) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [channel, narrative_id, int(posts), per, tone, max_length, int(is_demo)],
        )
    return int(cursor.lastrowid)


@requires(EDITOR, action="plan line removed", target="plan_id")
def remove_plan(db: Database, plan_id: int) -> int:
    """Remove plan line ``plan_id``; returns 1, or raises :class:`CitraError` if unknown."""
    with db.atomic():
        removed = db.execute("DELETE FROM comm_plan WHERE id = ?", [int(plan_id)]).rowcount
    if not removed:
        raise CitraError("No plan line {id}. See them with: citra plan list", id=plan_id)
    return removed


# --- member ambassadors ------------------------------------------------------------------------


@requires(EDITOR, action="ambassador rule set", detail=lambda a, r: {"min_shares": r})
def set_ambassador_rule(db: Database, min_shares: int) -> int:
    """Store the ambassador rule: at least ``min_shares`` shares in a month (1 or more)."""
    value = int(min_shares)
    if value < 1:
        raise CitraError("An ambassador shares at least once a month: give 1 or more.")
    with db.atomic():
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [AMBASSADOR_SETTING, json.dumps(value)],
        )
    return value


# --- headlines of outlet feeds (the viral-topic watch) -----------------------------------------


@requires(EDITOR)
def store_headlines(
    db: Database, feed_id: int, entries: Iterable[Any], *, now: datetime | None = None
) -> int:
    """Keep the title and canonical link of outlet-feed entries that are not mentions (each
    ``entry`` has ``url``, ``title``, ``source``, ``published_at``), then drop headlines older
    than :data:`HEADLINE_DAYS`. Only ``http(s)`` links are kept. Returns how many were new.
    The caller owns the transaction."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    seen = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    cutoff = (stamp - timedelta(days=HEADLINE_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = [
        (
            entry.url,
            feed_id,
            " ".join(entry.title.split())[:MAX_HEADLINE_CHARS],
            entry.source,
            entry.published_at,
            seen,
        )
        for entry in entries
        if entry.title
        and str(entry.url).lower().startswith(("http://", "https://"))
        and entry.published_at >= cutoff
    ]
    before = db.execute("SELECT count(*) FROM feed_headlines").fetchone()[0]
    db.conn.executemany(
        "INSERT INTO feed_headlines (url, feed_id, title, source, published_at, seen_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO NOTHING",
        rows,
    )
    after = db.execute("SELECT count(*) FROM feed_headlines").fetchone()[0]
    db.execute("DELETE FROM feed_headlines WHERE published_at < ?", [cutoff])
    return after - before
