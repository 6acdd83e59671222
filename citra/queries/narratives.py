"""Reading the comms strategy: narratives and their mentions, the plan and own posts, headlines
for the viral watch, voices, and members' shares for the ambassador list.

Periods are :class:`citra.filters.Filters` (UTC instants, end exclusive). Reach is summed as
the sources report it: a mention without a reach figure adds nothing to the sum and is counted
in ``with_reach`` = no (see ``docs/metrics.md``, "Narratives"). Functions that can return
personal data take ``show_names``; without it member names and numbers come back as ``None``.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from citra.filters import Filters
from citra.narratives import Narrative
from citra.queries import records
from citra.queries.engagement import offset_modifier
from citra.queries.mentions import in_list

MAX_HEADLINES = 60_000  # bounded sample for the viral watch (newest first)


def list_narratives(db: Database) -> list[Narrative]:
    """Every narrative, by name."""
    rows = records(db, "SELECT * FROM narratives ORDER BY name COLLATE NOCASE, id")
    return [Narrative.from_row(row) for row in rows]


def find_narrative(db: Database, name_or_id: str | int) -> Narrative | None:
    """The narrative with this id (a number) or name (case ignored), else ``None``."""
    text = str(name_or_id).strip()
    if text.isdigit():
        rows = records(db, "SELECT * FROM narratives WHERE id = ?", [int(text)])
        if rows:
            return Narrative.from_row(rows[0])
    rows = records(db, "SELECT * FROM narratives WHERE name = ? COLLATE NOCASE", [text])
    return Narrative.from_row(rows[0]) if rows else None


def narrative_state(db: Database) -> dict[str, str]:
    """The assignment's progress (``version``, ``last_seq``)."""
    return dict(db.execute("SELECT key, value FROM narrative_state").fetchall())


def _where(f: Filters, params: list[Any], alias: str = "m") -> str:
    clauses = [f"{alias}.published_at >= ?", f"{alias}.published_at < ?"]
    params += [f.start, f.end]
    if f.platforms:
        clauses.append(in_list(f"{alias}.platform", f.platforms, params))
    if f.organisation_id is not None:
        clauses.append(f"{alias}.organisation_id = ?")
        params.append(f.organisation_id)
    return " AND ".join(clauses)


_ENGAGEMENT = "coalesce(m.likes, 0) + coalesce(m.comments, 0) + coalesce(m.shares, 0)"


def narrative_totals(db: Database, f: Filters) -> list[dict[str, Any]]:
    """Per narrative (by name) in the period: public mentions (``mentions``, ``positive``,
    ``neutral``, ``negative``, ``scored``, ``reach`` summed over ``with_reach`` mentions that
    report one, ``risk``) and own posts (``own_posts``, ``own_engagement``: likes + comments +
    shares). Narratives without a mention come with zeros. No narratives: ``[]``."""
    params: list[Any] = []
    where = _where(f, params)
    return records(
        db,
        f"""
        SELECT n.id AS narrative_id, n.name,
               coalesce(sum(x.is_own = 0), 0) AS mentions,
               coalesce(sum(x.is_own = 0 AND x.sentiment_label = 'positive'), 0) AS positive,
               coalesce(sum(x.is_own = 0 AND x.sentiment_label = 'neutral'), 0) AS neutral,
               coalesce(sum(x.is_own = 0 AND x.sentiment_label = 'negative'), 0) AS negative,
               coalesce(sum(x.is_own = 0 AND x.sentiment_label IS NOT NULL), 0) AS scored,
               coalesce(sum(CASE WHEN x.is_own = 0 THEN x.reach END), 0) AS reach,
               coalesce(sum(x.is_own = 0 AND x.reach IS NOT NULL), 0) AS with_reach,
               coalesce(sum(x.is_own = 0 AND x.risk != 0), 0) AS risk,
               coalesce(sum(x.is_own = 1), 0) AS own_posts,
               coalesce(sum(CASE WHEN x.is_own = 1 THEN x.engagement END), 0) AS own_engagement
          FROM narratives n
          LEFT JOIN (
              SELECT mn.narrative_id, m.is_own, m.sentiment_label, m.reach, m.risk,
                     {_ENGAGEMENT} AS engagement
                FROM mentions m JOIN mention_narratives mn ON mn.mention_seq = m.seq
               WHERE {where}
          ) x ON x.narrative_id = n.id
         GROUP BY n.id
         ORDER BY n.name COLLATE NOCASE
        """,
        params,
    )


def public_totals(db: Database, f: Filters) -> dict[str, int]:
    """All public mentions of the period (own posts left out): ``mentions``, ``with_reach``
    (how many report a reach figure), ``reach`` (their sum), ``assigned`` (carrying at least
    one narrative)."""
    params: list[Any] = []
    where = _where(f, params)
    row = records(
        db,
        f"""
        SELECT count(*) AS mentions, coalesce(sum(m.reach IS NOT NULL), 0) AS with_reach,
               coalesce(sum(m.reach), 0) AS reach,
               coalesce(sum(EXISTS (SELECT 1 FROM mention_narratives mn
                                     WHERE mn.mention_seq = m.seq)), 0) AS assigned
          FROM mentions m WHERE {where} AND m.is_own = 0
        """,
        params,
    )[0]
    return {key: int(value or 0) for key, value in row.items()}


def narrative_mentions(
    db: Database, f: Filters, narrative_id: int, *, is_own: int = 0, limit: int = 20
) -> list[dict[str, Any]]:
    """The mentions (``is_own`` 0) or own posts (1) of one narrative in the period, newest
    first, with why they carry it (``method``, ``score``, ``matched``: a JSON list)."""
    params: list[Any] = []
    where = _where(f, params)
    params += [narrative_id, is_own, int(limit)]
    return records(
        db,
        f"""
        SELECT m.seq, m.published_at, m.platform, m.source, m.title, m.text, m.url, m.reach,
               m.sentiment_label, mn.method, mn.score, mn.matched
          FROM mentions m JOIN mention_narratives mn ON mn.mention_seq = m.seq
         WHERE {where} AND mn.narrative_id = ? AND m.is_own = ?
         ORDER BY m.published_at DESC, m.seq DESC LIMIT ?
        """,
        params,
    )


def mention_narratives(db: Database, seq: int) -> list[dict[str, Any]]:
    """The narratives one mention carries, strongest first, with the matched words."""
    return records(
        db,
        """
        SELECT n.id AS narrative_id, n.name, mn.score, mn.method, mn.matched
          FROM mention_narratives mn JOIN narratives n ON n.id = mn.narrative_id
         WHERE mn.mention_seq = ? ORDER BY mn.score DESC, n.name
        """,
        [int(seq)],
    )


# --- plan and own posts ------------------------------------------------------------------------


def plan_lines(db: Database) -> list[dict[str, Any]]:
    """The posting plan: ``id``, ``channel``, ``narrative_id``, ``narrative`` (name or
    ``None``: any narrative), ``posts``, ``per``, ``tone``, ``max_length``."""
    return records(
        db,
        """
        SELECT p.id, p.channel, p.narrative_id, n.name AS narrative, p.posts, p.per, p.tone,
               p.max_length
          FROM comm_plan p LEFT JOIN narratives n ON n.id = p.narrative_id
         ORDER BY p.channel, n.name IS NOT NULL, n.name, p.id
        """,
    )


def own_posts(db: Database, f: Filters) -> list[dict[str, Any]]:
    """The organisation's own posts in the period, oldest first: ``seq``, ``platform``,
    ``published_at``, ``length`` (characters of title and text), ``sentiment_label``,
    ``sentiment_compound``, ``engagement``, ``narratives`` (ids, comma-separated, or
    ``None``)."""
    params: list[Any] = []
    where = _where(f, params)
    return records(
        db,
        f"""
        SELECT m.seq, m.platform, m.published_at,
               length(coalesce(m.title, '')) + length(coalesce(m.text, '')) AS length,
               m.sentiment_label, m.sentiment_compound, {_ENGAGEMENT} AS engagement,
               (SELECT group_concat(mn.narrative_id) FROM mention_narratives mn
                 WHERE mn.mention_seq = m.seq) AS narratives
          FROM mentions m WHERE {where} AND m.is_own = 1
         ORDER BY m.published_at, m.seq
        """,
        params,
    )


def last_own_posts(db: Database, organisation_id: int | None, before: str) -> dict[str, str]:
    """``{platform: published_at}`` of the newest own post before ``before`` (UTC ISO) on
    each platform the organisation ever posted on."""
    # Two plain statements, so that SQLite reads the small index of own posts
    # (mentions_own_posts) instead of every mention ("? IS NULL OR ..." hides the index).
    sql = "SELECT platform, max(published_at) FROM mentions WHERE is_own = 1 AND published_at < ?"
    params: list[Any] = [before]
    if organisation_id is not None:
        sql += " AND organisation_id = ?"
        params.append(organisation_id)
    rows = db.execute(sql + " GROUP BY platform", params).fetchall()
    return {platform: last for platform, last in rows if last}


# --- the viral watch ---------------------------------------------------------------------------


def headlines(db: Database, start: str, end: str) -> list[dict[str, Any]]:
    """News headlines published in ``[start, end)``, newest first (at most
    :data:`MAX_HEADLINES`): those kept from enabled outlet feeds (entries naming no monitored
    organisation) and the news mentions (entries that did). ``url``, ``title``, ``source``,
    ``published_at``, ``catalogue_key`` (the feed's catalogue entry, if any)."""
    return records(
        db,
        """
        SELECT url, title, source, published_at, catalogue_key FROM (
            SELECT h.url, h.title, h.source, h.published_at, f.catalogue_key
              FROM feed_headlines h LEFT JOIN feeds f ON f.id = h.feed_id
             WHERE (f.enabled = 1 OR h.is_demo = 1)
               AND h.published_at >= :start AND h.published_at < :end
            UNION ALL
            SELECT m.url, m.title, m.source, m.published_at,
                   (SELECT f.catalogue_key FROM news_guids g JOIN feeds f ON f.id = g.feed_id
                     WHERE g.mention_id = m.id LIMIT 1)
              FROM mentions m
             WHERE m.platform = 'news' AND m.is_own = 0 AND m.title IS NOT NULL
               AND m.published_at >= :start AND m.published_at < :end
        ) ORDER BY published_at DESC LIMIT :limit
        """,
        {"start": start, "end": end, "limit": MAX_HEADLINES},
    )


def headline_count(db: Database) -> int:
    """How many outlet headlines are kept for the viral watch."""
    return int(db.execute("SELECT count(*) FROM feed_headlines").fetchone()[0])


# --- voices ------------------------------------------------------------------------------------


def voice_rows(db: Database, f: Filters, *, limit: int = 5000) -> list[dict[str, Any]]:
    """Per author (news: the outlet) of public mentions in the period, the most mentions
    first: ``platform``, ``voice``, ``handle``, ``mentions``, ``positive``, ``negative``,
    ``with_reach``, ``reach`` (largest reported figure: a voice's audience), ``reach_sum``,
    ``compound_weighted`` (sum of compound x max(reach, 1)), ``url`` (their newest
    mention's link)."""
    params: list[Any] = []
    where = _where(f, params)
    params.append(int(limit))
    rows = records(
        db,
        f"""
        SELECT m.platform,
               CASE WHEN m.platform IN ('news', 'web') THEN coalesce(m.source, m.author)
                    ELSE coalesce(m.author, m.author_handle, m.source) END AS voice,
               max(m.author_handle) AS handle,
               count(*) AS mentions,
               sum(m.sentiment_label = 'positive') AS positive,
               sum(m.sentiment_label = 'negative') AS negative,
               sum(m.reach IS NOT NULL) AS with_reach,
               max(m.reach) AS reach,
               coalesce(sum(m.reach), 0) AS reach_sum,
               sum(coalesce(m.sentiment_compound, 0) * max(coalesce(m.reach, 0), 1))
                   AS compound_weighted,
               max(m.published_at) AS last_at, max(m.seq) AS last_seq
          FROM mentions m
         WHERE {where} AND m.is_own = 0
         GROUP BY 1, 2 HAVING voice IS NOT NULL
         ORDER BY mentions DESC, voice LIMIT ?
        """,
        params,
    )
    seqs = [row["last_seq"] for row in rows]
    urls: dict[int, str | None] = {}
    for start in range(0, len(seqs), 500):
        chunk = seqs[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        urls.update(db.execute(f"SELECT seq, url FROM mentions WHERE seq IN ({marks})", chunk))
    for row in rows:
        row["url"] = urls.get(row.pop("last_seq"))
    return rows


# --- member ambassadors ------------------------------------------------------------------------


def member_shares(
    db: Database, start: str, end: str, *, show_names: bool = False
) -> list[dict[str, Any]]:
    """Every share by an active member in ``[start, end)``: their public posts about the coop
    (linked handles), WhatsApp messages that share the coop's links or forwards, and shares
    recorded by hand. ``member_id``, ``member_no`` and ``name`` (``None`` unless
    ``show_names``), ``branch``, ``kind`` (``public``, ``whatsapp``, ``manual``),
    ``occurred_at``, ``url`` (a public post's link), ``text`` (a WhatsApp share's text, only
    with ``show_names``), ``event_day`` (1 when the member attended an event that local day).
    """
    return records(
        db,
        """
        SELECT s.member_id, CASE WHEN :show THEN mb.member_no END AS member_no,
               CASE WHEN :show THEN mb.name END AS name, mb.branch, s.kind, s.occurred_at,
               s.url, CASE WHEN :show THEN s.text END AS text,
               EXISTS (SELECT 1 FROM attendance a JOIN events e ON e.id = a.event_id
                        WHERE a.member_id = s.member_id AND a.attended = 1
                          AND e.date = date(s.occurred_at, :offset)) AS event_day
          FROM (
              SELECT p.member_id, 'public' AS kind, p.occurred_at, m.url, NULL AS text
                FROM member_public_shares p JOIN mentions m ON m.id = p.mention_id
               WHERE p.occurred_at >= :start AND p.occurred_at < :end
              UNION ALL
              SELECT cs.member_id, 'whatsapp', c.sent_at, NULL, c.text
                FROM chat_messages c JOIN chat_senders cs ON cs.id = c.sender_id
               WHERE cs.member_id IS NOT NULL AND c.kind = 'text' AND c.category = 'share'
                 AND c.sent_at >= :start AND c.sent_at < :end
              UNION ALL
              SELECT a.member_id, 'manual', a.occurred_at, NULL, a.note
                FROM engagement_actions a
               WHERE a.kind IN ('share', 'public_share')
                 AND a.occurred_at >= :start AND a.occurred_at < :end
          ) s JOIN members mb ON mb.id = s.member_id
         WHERE mb.status = 'active'
         ORDER BY s.member_id, s.occurred_at
        """,
        {"show": int(show_names), "start": start, "end": end, "offset": offset_modifier(db)},
    )
