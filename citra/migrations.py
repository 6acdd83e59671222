"""The database schema as recorded, named migration steps (``sqlite_utils.Migrations``).

Rules:
- Never edit or rename a step that has shipped; add a new one.
- Each step runs in a transaction with the record of it; ``citra.store.open_db`` additionally wraps
  the whole pending run in one transaction, so a failed upgrade leaves the file as it was.
- Steps are grouped by the area that owns them; names carry the area as a prefix so they never clash.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("citra")


# --- core (foundation) -------------------------------------------------------------------------


def _create_fts_triggers(db: Database) -> None:
    """The triggers that keep ``mentions_fts`` in step with ``mentions`` (insert, delete, and an
    update of title, text or author)."""
    db.execute(
        """
        CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions BEGIN
            INSERT INTO mentions_fts(rowid, title, text, author)
            VALUES (new.seq, new.title, new.text, new.author);
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER mentions_fts_ad AFTER DELETE ON mentions BEGIN
            INSERT INTO mentions_fts(mentions_fts, rowid, title, text, author)
            VALUES ('delete', old.seq, old.title, old.text, old.author);
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER mentions_fts_au AFTER UPDATE OF title, text, author ON mentions BEGIN
            INSERT INTO mentions_fts(mentions_fts, rowid, title, text, author)
            VALUES ('delete', old.seq, old.title, old.text, old.author);
            INSERT INTO mentions_fts(rowid, title, text, author)
            VALUES (new.seq, new.title, new.text, new.author);
        END
        """
    )


@migrations(name="core_001_base")
def core_001_base(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE organisations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('self', 'peer')),
            keywords TEXT NOT NULL DEFAULT '[]',
            exclude_keywords TEXT NOT NULL DEFAULT '[]',
            website TEXT,
            accounts TEXT NOT NULL DEFAULT '{}',
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX organisations_one_self ON organisations(kind) WHERE kind = 'self'"
    )
    db.execute(
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            file_name TEXT,
            file_sha256 TEXT,
            format TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'done', 'failed', 'undone')),
            added INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            errors TEXT NOT NULL DEFAULT '[]',
            is_demo INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX imports_sha256 ON imports(file_sha256)")
    # `seq` is the rowid the full-text index points at; an explicit INTEGER PRIMARY KEY keeps it
    # stable across VACUUM. `id` is the stable content hash used for de-duplication.
    db.execute(
        """
        CREATE TABLE mentions (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
            platform TEXT NOT NULL CHECK (platform IN
                ('news', 'x', 'facebook', 'instagram', 'youtube', 'tiktok', 'web', 'other')),
            source TEXT,
            url TEXT,
            title TEXT,
            text TEXT,
            author TEXT,
            author_handle TEXT,
            published_at TEXT,
            lang TEXT,
            likes INTEGER,
            comments INTEGER,
            shares INTEGER,
            views INTEGER,
            reach INTEGER,
            sentiment_compound REAL,
            sentiment_label TEXT CHECK (sentiment_label IN ('positive', 'negative', 'neutral')),
            sentiment_source TEXT NOT NULL DEFAULT 'auto'
                CHECK (sentiment_source IN ('auto', 'manual')),
            lexicon_version TEXT,
            risk INTEGER NOT NULL DEFAULT 0,
            is_own INTEGER NOT NULL DEFAULT 0,
            import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
            raw TEXT,
            is_demo INTEGER NOT NULL DEFAULT 0,
            collected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )
    for name, columns in {
        "mentions_org_published": "organisation_id, published_at",
        "mentions_published": "published_at",
        "mentions_platform_published": "platform, published_at",
        "mentions_import": "import_id",
        "mentions_label": "sentiment_label, published_at",
        "mentions_risk": "risk, published_at",
    }.items():
        db.execute(f"CREATE INDEX {name} ON mentions({columns})")
    # Full-text search over title, text and author, kept in sync by triggers. unicode61 with
    # remove_diacritics folds accents; prefix indexes make "shu*" style queries cheap.
    db.execute(
        """
        CREATE VIRTUAL TABLE mentions_fts USING fts5(
            title, text, author,
            content='mentions', content_rowid='seq',
            tokenize='unicode61 remove_diacritics 2', prefix='2 3'
        )
        """
    )
    _create_fts_triggers(db)
    db.execute(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """
    )


# --- news (feeds and collection) ---------------------------------------------------------------


@migrations(name="news_001_feeds")
def news_001_feeds(db: Database) -> None:
    # One row per feed. `kind` 'search' keeps every entry for `organisation_id` (Google News and
    # Google Alerts searches); 'outlet' keeps only entries that mention the coop or a peer.
    # Conditional-GET state (etag, last_modified) and health (last_*, consecutive_failures,
    # next_fetch_at for back-off) are written after each fetch. `verified` stays 0 until the first
    # successful fetch, so catalogue feeds show as unverified until they have worked once.
    db.execute(
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            name TEXT,
            kind TEXT NOT NULL DEFAULT 'outlet' CHECK (kind IN ('search', 'outlet')),
            organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            verified INTEGER NOT NULL DEFAULT 0,
            catalogue_key TEXT,
            etag TEXT,
            last_modified TEXT,
            last_fetched_at TEXT,
            last_success_at TEXT,
            last_status INTEGER,
            last_error TEXT,
            last_added INTEGER NOT NULL DEFAULT 0,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            next_fetch_at TEXT,
            added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )
    # Feed guids already collected, so an entry whose link changed but whose guid did not is
    # still one mention.
    db.execute(
        """
        CREATE TABLE news_guids (
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            mention_id TEXT NOT NULL,
            PRIMARY KEY (feed_id, guid)
        ) WITHOUT ROWID
        """
    )
    # Syndicated copies of one story (wire copy republished by many portals) share a story_id.
    db.execute("ALTER TABLE mentions ADD COLUMN story_id TEXT")
    db.execute("CREATE INDEX mentions_story ON mentions(story_id)")


# --- imports (social-media and monitoring-tool exports) ----------------------------------------


@migrations(name="imports_001_presets")
def imports_001_presets(db: Database) -> None:
    # Column mappings a user made for a generic CSV/XLSX, reused for files with the same headers.
    db.execute(
        """
        CREATE TABLE imports_presets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            headers TEXT NOT NULL DEFAULT '[]',
            mapping TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )


# --- sentiment ---------------------------------------------------------------------------------


@migrations(name="sentiment_001_words_models")
def sentiment_001_words_models(db: Database) -> None:
    # Custom words: per installation, added or overriding the shipped lexicon at the next re-score.
    db.execute(
        """
        CREATE TABLE sentiment_custom_words (
            term TEXT PRIMARY KEY,
            valence REAL NOT NULL CHECK (valence BETWEEN -4 AND 4),
            note TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )
    # Trained models, stored as JSON parameters (never pickle); at most one is active.
    db.execute(
        """
        CREATE TABLE sentiment_models (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            source TEXT NOT NULL,
            rows INTEGER NOT NULL,
            cv_macro_f1 REAL NOT NULL,
            lexicon_macro_f1 REAL NOT NULL,
            model_json TEXT NOT NULL,
            is_active INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX sentiment_models_one_active ON sentiment_models(is_active) "
        "WHERE is_active = 1"
    )


# --- members ------------------------------------------------------------------------------------


@migrations(name="members_001_registry")
def members_001_registry(db: Database) -> None:
    # Members, their phone numbers (salted hashes only, never the number) and their handles:
    # social accounts from the registry and WhatsApp sender names linked by hand.
    db.execute(
        """
        CREATE TABLE members (
            id INTEGER PRIMARY KEY,
            member_no TEXT NOT NULL UNIQUE,
            name TEXT,
            join_date TEXT,
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'inactive', 'left')),
            branch TEXT,
            is_demo INTEGER NOT NULL DEFAULT 0,
            import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )
    db.execute("CREATE INDEX members_branch ON members(branch)")
    db.execute(
        """
        CREATE TABLE member_phones (
            phone_hash TEXT NOT NULL,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            source TEXT NOT NULL DEFAULT 'registry' CHECK (source IN ('registry', 'link')),
            PRIMARY KEY (phone_hash, member_id)
        )
        """
    )
    db.execute("CREATE INDEX member_phones_member ON member_phones(member_id)")
    db.execute(
        """
        CREATE TABLE member_handles (
            platform TEXT NOT NULL,
            handle TEXT NOT NULL,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            source TEXT NOT NULL DEFAULT 'registry' CHECK (source IN ('registry', 'link')),
            PRIMARY KEY (platform, handle)
        )
        """
    )
    db.execute("CREATE INDEX member_handles_member ON member_handles(member_id)")
    # Erasure requests (UU PDP No. 27/2022): only a salted hash of the member number stays, so a
    # later registry import does not bring the person back.
    db.execute(
        """
        CREATE TABLE members_forgotten (
            member_no_hash TEXT PRIMARY KEY,
            forgotten_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('rat', 'meeting', 'training')),
            date TEXT NOT NULL,
            book_year INTEGER,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (name, date)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE attendance (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            attended INTEGER NOT NULL DEFAULT 1,
            asked INTEGER NOT NULL DEFAULT 0,
            proposed INTEGER NOT NULL DEFAULT 0,
            import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
            PRIMARY KEY (event_id, member_id)
        )
        """
    )
    db.execute("CREATE INDEX attendance_member ON attendance(member_id)")


@migrations(name="members_002_chats")
def members_002_chats(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE chat_groups (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            group_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )
    # sender_key is a salted hash of the sender as written (a name, or a normalised phone
    # number). name is NULL when the sender is a phone number: the number is never stored.
    db.execute(
        """
        CREATE TABLE chat_senders (
            id INTEGER PRIMARY KEY,
            sender_key TEXT NOT NULL UNIQUE,
            name TEXT,
            phone_hash TEXT,
            member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
            blocked INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX chat_senders_member ON chat_senders(member_id)")
    db.execute(
        """
        CREATE TABLE chat_messages (
            id TEXT PRIMARY KEY,
            group_id INTEGER NOT NULL REFERENCES chat_groups(id) ON DELETE CASCADE,
            sender_id INTEGER REFERENCES chat_senders(id) ON DELETE CASCADE,
            sent_at TEXT NOT NULL,
            local_time TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('text', 'media', 'deleted', 'system')),
            category TEXT CHECK (category IN
                ('question', 'proposal', 'share', 'complaint', 'other')),
            system_event TEXT,
            text TEXT,
            edited INTEGER NOT NULL DEFAULT 0,
            import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL
        )
        """
    )
    db.execute("CREATE INDEX chat_messages_group_time ON chat_messages(group_id, sent_at)")
    db.execute("CREATE INDEX chat_messages_sender ON chat_messages(sender_id, sent_at)")
    # Engagement recorded by hand (e.g. a member who shared the coop's products offline).
    db.execute(
        """
        CREATE TABLE engagement_actions (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('question', 'proposal', 'share', 'public_share')),
            occurred_at TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )
    # Every engagement action of every member, from all sources, in one place. Complaints are a
    # service signal, not engagement, and are left out. Event actions are dated at local noon.
    db.execute(
        """
        CREATE VIEW member_actions AS
        SELECT s.member_id AS member_id, m.category AS kind, m.sent_at AS occurred_at,
               'chat' AS source, m.id AS source_id
          FROM chat_messages m JOIN chat_senders s ON s.id = m.sender_id
         WHERE s.member_id IS NOT NULL AND m.kind = 'text'
           AND m.category IN ('question', 'proposal', 'share')
        UNION ALL
        SELECT a.member_id, 'question', e.date || 'T05:00:00Z', 'event', CAST(e.id AS TEXT)
          FROM attendance a JOIN events e ON e.id = a.event_id WHERE a.asked = 1
        UNION ALL
        SELECT a.member_id, 'proposal', e.date || 'T05:00:00Z', 'event', CAST(e.id AS TEXT)
          FROM attendance a JOIN events e ON e.id = a.event_id WHERE a.proposed = 1
        UNION ALL
        SELECT h.member_id, 'public_share', m.published_at, 'mention', m.id
          FROM mentions m
          JOIN member_handles h
            ON h.platform = m.platform AND h.handle = lower(ltrim(trim(m.author_handle), '@'))
         WHERE m.published_at IS NOT NULL
           AND m.organisation_id IN (SELECT id FROM organisations WHERE kind = 'self')
        UNION ALL
        SELECT member_id, kind, occurred_at, 'manual', CAST(id AS TEXT) FROM engagement_actions
        """
    )


@migrations(name="members_003_demo")
def members_003_demo(db: Database) -> None:
    # Chat groups and senders the demo dataset created, so removing the demo takes them too
    # (members and events already carry is_demo; demo chat messages hang off the demo import).
    db.execute("ALTER TABLE chat_groups ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE chat_senders ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0")


# A member's public share is a mention of the coop written under one of the member's handles.
# Matching every mention against the handles on each read cost seconds at a million mentions, so
# the matches are kept in a table, current on write like the dashboard's rollup.
_HANDLE_OF = "lower(ltrim(trim({m}.author_handle), '@'))"
_SHARE_ROWS = (
    """
    SELECT {m}.id, h.member_id, {m}.published_at
      FROM member_handles h
     WHERE h.platform = {m}.platform AND h.handle = """
    + _HANDLE_OF
    + """
       AND {m}.published_at IS NOT NULL
       AND {m}.organisation_id IN (SELECT id FROM organisations WHERE kind = 'self')
"""
)


@migrations(name="members_004_public_shares")
def members_004_public_shares(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE member_public_shares (
            mention_id TEXT NOT NULL,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            occurred_at TEXT NOT NULL,
            PRIMARY KEY (mention_id, member_id)
        )
        """
    )
    db.execute("CREATE INDEX member_public_shares_member ON member_public_shares(member_id)")
    # Lets a new or re-linked handle find its mentions without scanning them all.
    db.execute(
        "CREATE INDEX mentions_platform_handle "
        "ON mentions(platform, lower(ltrim(trim(author_handle), '@')))"
    )
    new_mention_shares = _SHARE_ROWS.format(m="new")
    db.execute(
        f"""
        CREATE TRIGGER member_shares_mention_ai AFTER INSERT ON mentions
        WHEN new.author_handle IS NOT NULL BEGIN
            INSERT OR IGNORE INTO member_public_shares (mention_id, member_id, occurred_at)
            {new_mention_shares};
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER member_shares_mention_ad AFTER DELETE ON mentions
        WHEN old.author_handle IS NOT NULL BEGIN
            DELETE FROM member_public_shares WHERE mention_id = old.id;
        END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER member_shares_mention_au
        AFTER UPDATE OF platform, author_handle, published_at, organisation_id ON mentions BEGIN
            DELETE FROM member_public_shares WHERE mention_id = old.id;
            INSERT OR IGNORE INTO member_public_shares (mention_id, member_id, occurred_at)
            {new_mention_shares};
        END
        """
    )
    # A handle (re)assigned: INSERT OR REPLACE moves a handle between members without firing a
    # delete trigger, so the insert trigger first drops whatever that handle's mentions had.
    handle_mentions = (
        "SELECT m.id FROM mentions m WHERE m.platform = {h}.platform "
        f"AND {_HANDLE_OF.format(m='m')} = {{h}}.handle"
    )
    db.execute(
        f"""
        CREATE TRIGGER member_shares_handle_ai AFTER INSERT ON member_handles BEGIN
            DELETE FROM member_public_shares
             WHERE mention_id IN ({handle_mentions.format(h="new")});
            INSERT OR IGNORE INTO member_public_shares (mention_id, member_id, occurred_at)
            SELECT m.id, new.member_id, m.published_at
              FROM mentions m
             WHERE m.platform = new.platform AND {_HANDLE_OF.format(m="m")} = new.handle
               AND m.published_at IS NOT NULL
               AND m.organisation_id IN (SELECT id FROM organisations WHERE kind = 'self');
        END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER member_shares_handle_ad AFTER DELETE ON member_handles BEGIN
            DELETE FROM member_public_shares
             WHERE member_id = old.member_id
               AND mention_id IN ({handle_mentions.format(h="old")});
        END
        """
    )
    db.execute(
        """
        INSERT OR IGNORE INTO member_public_shares (mention_id, member_id, occurred_at)
        SELECT m.id, h.member_id, m.published_at
          FROM member_handles h CROSS JOIN mentions m
         WHERE m.platform = h.platform AND """
        + _HANDLE_OF.format(m="m")
        + """ = h.handle
           AND m.published_at IS NOT NULL
           AND m.organisation_id IN (SELECT id FROM organisations WHERE kind = 'self')
        """
    )
    db.execute("DROP VIEW member_actions")
    db.execute(
        """
        CREATE VIEW member_actions AS
        SELECT s.member_id AS member_id, m.category AS kind, m.sent_at AS occurred_at,
               'chat' AS source, m.id AS source_id
          FROM chat_messages m JOIN chat_senders s ON s.id = m.sender_id
         WHERE s.member_id IS NOT NULL AND m.kind = 'text'
           AND m.category IN ('question', 'proposal', 'share')
        UNION ALL
        SELECT a.member_id, 'question', e.date || 'T05:00:00Z', 'event', CAST(e.id AS TEXT)
          FROM attendance a JOIN events e ON e.id = a.event_id WHERE a.asked = 1
        UNION ALL
        SELECT a.member_id, 'proposal', e.date || 'T05:00:00Z', 'event', CAST(e.id AS TEXT)
          FROM attendance a JOIN events e ON e.id = a.event_id WHERE a.proposed = 1
        UNION ALL
        SELECT member_id, 'public_share', occurred_at, 'mention', mention_id
          FROM member_public_shares
        UNION ALL
        SELECT member_id, kind, occurred_at, 'manual', CAST(id AS TEXT) FROM engagement_actions
        """
    )


# --- dashboard (rollups, tags) ------------------------------------------------------------------

# Daily rollup of mentions, kept current by triggers so dashboard aggregates never scan `mentions`.
# The day is the local calendar day in Asia/Jakarta (WIB, UTC+7 all year: Indonesia has no DST).
# Key columns are NOT NULL so the upsert key works: organisation 0 = unattributed, label 'none' =
# not scored yet. `weight` is the reach weight max(reach, 1) summed, so a mention without a reach
# figure still counts once in the reputation index.
_DAILY_KEY = "day, organisation_id, platform, sentiment_label, is_own"
_DAILY_MEASURES = ("mentions", "reach", "weight", "engagement", "risk", "compound_sum", "scored")


def _daily_key_values(row: str) -> tuple[str, ...]:
    """SQL expressions of one mention's ``mention_daily`` key (``row`` is new/old)."""
    return (
        f"date({row}.published_at, '+7 hours')",
        f"coalesce({row}.organisation_id, 0)",
        f"{row}.platform",
        f"coalesce({row}.sentiment_label, 'none')",
        f"{row}.is_own",
    )


def _daily_values(row: str) -> str:
    """SQL expressions of one mention's contribution to ``mention_daily`` (``row`` is new/old)."""
    return ", ".join(
        (
            *_daily_key_values(row),
            "1",
            f"coalesce({row}.reach, 0)",
            f"max(coalesce({row}.reach, 0), 1)",
            f"coalesce({row}.likes, 0) + coalesce({row}.comments, 0) + coalesce({row}.shares, 0)",
            f"{row}.risk != 0",
            f"coalesce({row}.sentiment_compound, 0)",
            f"{row}.sentiment_compound IS NOT NULL",
        )
    )


def _daily_add(row: str, sign: str) -> str:
    """One upsert adding (sign '+') or removing (sign '-') a mention from ``mention_daily``."""
    columns = f"{_DAILY_KEY}, {', '.join(_DAILY_MEASURES)}"
    updates = ", ".join(f"{m} = {m} {sign} excluded.{m}" for m in _DAILY_MEASURES)
    return (
        f"INSERT INTO mention_daily ({columns}) SELECT {_daily_values(row)} "
        f"WHERE {row}.published_at IS NOT NULL ON CONFLICT ({_DAILY_KEY}) DO UPDATE SET {updates};"
    )


def _daily_cleanup(row: str) -> str:
    """Delete the rollup row of ``row``'s key once it holds no mentions (a keyed lookup)."""
    condition = " AND ".join(
        f"{column} = {value}"
        for column, value in zip(_DAILY_KEY.split(", "), _daily_key_values(row), strict=True)
    )
    return f"DELETE FROM mention_daily WHERE {condition} AND mentions = 0;"


@migrations(name="dashboard_001_mention_daily")
def dashboard_001_mention_daily(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE mention_daily (
            day TEXT NOT NULL,
            organisation_id INTEGER NOT NULL,
            platform TEXT NOT NULL,
            sentiment_label TEXT NOT NULL,
            is_own INTEGER NOT NULL,
            mentions INTEGER NOT NULL,
            reach INTEGER NOT NULL,
            weight INTEGER NOT NULL,
            engagement INTEGER NOT NULL,
            risk INTEGER NOT NULL,
            compound_sum REAL NOT NULL,
            scored INTEGER NOT NULL,
            PRIMARY KEY (day, organisation_id, platform, sentiment_label, is_own)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX mention_daily_org_day ON mention_daily(organisation_id, day)")
    # An update is a removal of the old row's contribution and an addition of the new one. Rows
    # that drop to zero mentions are deleted so the table only holds days with mentions.
    db.execute(
        f"""
        CREATE TRIGGER mention_daily_ai AFTER INSERT ON mentions BEGIN
            {_daily_add("new", "+")}
        END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER mention_daily_ad AFTER DELETE ON mentions BEGIN
            {_daily_add("old", "-")}
            {_daily_cleanup("old")}
        END
        """
    )
    watched = (
        "published_at, organisation_id, platform, sentiment_label, sentiment_compound, is_own, "
        "reach, likes, comments, shares, risk"
    )
    db.execute(
        f"""
        CREATE TRIGGER mention_daily_au AFTER UPDATE OF {watched} ON mentions BEGIN
            {_daily_add("old", "-")}
            {_daily_add("new", "+")}
            {_daily_cleanup("old")}
        END
        """
    )
    # Backfill from what is already stored.
    db.execute(
        f"""
        INSERT INTO mention_daily ({_DAILY_KEY}, {", ".join(_DAILY_MEASURES)})
        SELECT date(published_at, '+7 hours'), coalesce(organisation_id, 0), platform,
               coalesce(sentiment_label, 'none'), is_own, count(*), sum(coalesce(reach, 0)),
               sum(max(coalesce(reach, 0), 1)),
               sum(coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0)),
               sum(risk != 0), sum(coalesce(sentiment_compound, 0)),
               sum(sentiment_compound IS NOT NULL)
        FROM mentions WHERE published_at IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5
        """
    )


@migrations(name="dashboard_002_tags_and_indexes")
def dashboard_002_tags_and_indexes(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            is_demo INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        """
        CREATE TABLE mention_tags (
            mention_seq INTEGER NOT NULL REFERENCES mentions(seq) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (mention_seq, tag_id)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX mention_tags_tag ON mention_tags(tag_id, mention_seq)")
    # Sort orders of the Mentions table other than newest-first, and the own-account activity.
    db.execute("CREATE INDEX mentions_reach ON mentions(reach)")
    db.execute("CREATE INDEX mentions_compound ON mentions(sentiment_compound)")
    db.execute("CREATE INDEX mentions_source_published ON mentions(source, published_at)")
    db.execute("CREATE INDEX mentions_demo ON mentions(is_demo)")


# --- dedupe (one canonical URL, one handle rule) ------------------------------------------------
#
# These steps call the live Python rules (``citra.urls.canonical_url``, ``mention_id``,
# ``citra.handles.normalise_handle``): a later change to a rule needs a step of its own that
# re-keys again, never an edit here.


def _temp_renames(db: Database, renames: list[tuple[str, str]]) -> None:
    """Point every stored reference to a mention id in ``renames`` (old, new) at the new id."""
    db.execute("CREATE TEMP TABLE dedupe_renames (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    db.conn.executemany("INSERT OR REPLACE INTO temp.dedupe_renames VALUES (?, ?)", renames)
    for table, column in (
        ("news_guids", "mention_id"),
        ("mentions", "story_id"),
        ("member_public_shares", "mention_id"),
    ):
        db.execute(
            f"UPDATE OR IGNORE {table} SET {column} = "
            f"(SELECT new FROM temp.dedupe_renames WHERE old = {table}.{column}) "
            f"WHERE {column} IN (SELECT old FROM temp.dedupe_renames)"
        )
    # A share the merged copy already had stayed behind under the old id: it is a duplicate.
    db.execute(
        "DELETE FROM member_public_shares WHERE mention_id IN (SELECT old FROM temp.dedupe_renames)"
    )
    db.execute("DROP TABLE temp.dedupe_renames")


@migrations(name="dedupe_001_article_ids")
def dedupe_001_article_ids(db: Database) -> None:
    # News and web articles are now keyed on their canonical URL alone, which also drops `www.`
    # and folds http onto https. Re-key the stored ones so a re-import or re-collection matches
    # them, and merge the copies the old rules stored twice (feeds kept `www.`, Brand24 rows
    # dropped it): the earliest stored copy stays, with every copy's tags and a manual label if a
    # copy had one. The stored `url` becomes the canonical one. Demo mentions keep their ids.
    from citra.store.mentions import ARTICLE_PLATFORMS, mention_id
    from citra.urls import canonical_url

    marks = ", ".join("?" for _ in ARTICLE_PLATFORMS)
    rows = db.execute(
        "SELECT seq, id, platform, url, sentiment_source, sentiment_label FROM mentions "
        f"WHERE platform IN ({marks}) AND url IS NOT NULL AND is_demo = 0 ORDER BY seq",
        list(ARTICLE_PLATFORMS),
    ).fetchall()
    # new id -> the stored copies of that article, earliest first: (seq, id, url, canonical url,
    # sentiment source, sentiment label)
    copies: dict[str, list[tuple[int, str, str, str, str, str | None]]] = {}
    for seq, old_id, platform, url, source, label in rows:
        link = canonical_url(url) or url
        copies.setdefault(mention_id(platform, url=link), []).append(
            (seq, old_id, url, link, source, label)
        )
    renames: list[tuple[str, str]] = []
    moves: list[tuple[str, str, int]] = []
    dropped: list[int] = []
    labels: list[tuple[str | None, int]] = []
    for new_id, group in copies.items():
        seq, old_id, url, link, source, _ = group[0]
        for other_seq, other_id, *_ in group[1:]:
            db.execute(
                "INSERT OR IGNORE INTO mention_tags (mention_seq, tag_id) "
                "SELECT ?, tag_id FROM mention_tags WHERE mention_seq = ?",
                [seq, other_seq],
            )
            dropped.append(other_seq)
            renames.append((other_id, new_id))
        manual = next((c for c in group if c[4] == "manual"), None)
        if manual is not None and source != "manual":
            labels.append((manual[5], seq))
        if old_id != new_id:
            renames.append((old_id, new_id))
        if old_id != new_id or url != link:
            moves.append((new_id, link, seq))
    db.conn.executemany("DELETE FROM mention_tags WHERE mention_seq = ?", [[s] for s in dropped])
    db.conn.executemany("DELETE FROM mentions WHERE seq = ?", [[s] for s in dropped])
    db.conn.executemany(
        "UPDATE mentions SET sentiment_label = ?, sentiment_source = 'manual' WHERE seq = ?", labels
    )
    # Two passes, so a new id never meets an old one that is still moving away.
    db.conn.executemany(
        "UPDATE mentions SET id = 'dedupe:' || seq WHERE seq = ?", [[seq] for *_, seq in moves]
    )
    db.conn.executemany("UPDATE mentions SET id = ?, url = ? WHERE seq = ?", moves)
    if renames:
        _temp_renames(db, renames)


# Public shares compare the stored author key with the stored member handle: both are written by
# Python through `citra.handles.normalise_handle`, so SQL never normalises (SQLite's lower() and
# trim() know only ASCII and spaces, and disagreed with Python on "İ", "＠", tabs and "@ @x").
_KEYED_SHARE_ROWS = """
    SELECT {m}.id, h.member_id, {m}.published_at
      FROM member_handles h
     WHERE h.platform = {m}.platform AND h.handle = {m}.author_key
       AND {m}.published_at IS NOT NULL
       AND {m}.organisation_id IN (SELECT id FROM organisations WHERE kind = 'self')
"""
_KEYED_HANDLE_SHARES = """
    SELECT m.id, {h}.member_id, m.published_at
      FROM mentions m
     WHERE m.platform = {h}.platform AND m.author_key = {h}.handle
       AND m.published_at IS NOT NULL
       AND m.organisation_id IN (SELECT id FROM organisations WHERE kind = 'self')
"""
_KEYED_HANDLE_MENTIONS = (
    "SELECT m.id FROM mentions m WHERE m.platform = {h}.platform AND m.author_key = {h}.handle"
)


@migrations(name="dedupe_002_author_key")
def dedupe_002_author_key(db: Database) -> None:
    from citra.handles import normalise_handle

    for trigger in (
        "member_shares_mention_ai",
        "member_shares_mention_ad",
        "member_shares_mention_au",
        "member_shares_handle_ai",
        "member_shares_handle_ad",
    ):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("DROP INDEX IF EXISTS mentions_platform_handle")
    db.execute("ALTER TABLE mentions ADD COLUMN author_key TEXT")
    handles = db.execute(
        "SELECT seq, author_handle FROM mentions WHERE author_handle IS NOT NULL"
    ).fetchall()
    db.conn.executemany(
        "UPDATE mentions SET author_key = ? WHERE seq = ?",
        [(normalise_handle(handle) or None, seq) for seq, handle in handles],
    )
    db.execute("CREATE INDEX mentions_platform_author_key ON mentions(platform, author_key)")
    # Member handles stored by the old rule, in the new one; two that now agree become one.
    for platform, handle in db.execute("SELECT platform, handle FROM member_handles").fetchall():
        key = normalise_handle(handle)
        if key == handle:
            continue
        taken = db.execute(
            "SELECT 1 FROM member_handles WHERE platform = ? AND handle = ?", [platform, key]
        ).fetchone()
        if key and taken is None:
            db.execute(
                "UPDATE member_handles SET handle = ? WHERE platform = ? AND handle = ?",
                [key, platform, handle],
            )
        else:
            db.execute(
                "DELETE FROM member_handles WHERE platform = ? AND handle = ?", [platform, handle]
            )
    new_mention_shares = _KEYED_SHARE_ROWS.format(m="new")
    db.execute(
        f"""
        CREATE TRIGGER member_shares_mention_ai AFTER INSERT ON mentions
        WHEN new.author_key IS NOT NULL BEGIN
            INSERT OR IGNORE INTO member_public_shares (mention_id, member_id, occurred_at)
            {new_mention_shares};
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER member_shares_mention_ad AFTER DELETE ON mentions
        WHEN old.author_key IS NOT NULL BEGIN
            DELETE FROM member_public_shares WHERE mention_id = old.id;
        END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER member_shares_mention_au
        AFTER UPDATE OF id, platform, author_key, published_at, organisation_id ON mentions BEGIN
            DELETE FROM member_public_shares WHERE mention_id = old.id;
            INSERT OR IGNORE INTO member_public_shares (mention_id, member_id, occurred_at)
            {new_mention_shares};
        END
        """
    )
    # A handle (re)assigned: INSERT OR REPLACE moves a handle between members without firing a
    # delete trigger, so the insert trigger first drops whatever that handle's mentions had.
    db.execute(
        f"""
        CREATE TRIGGER member_shares_handle_ai AFTER INSERT ON member_handles BEGIN
            DELETE FROM member_public_shares
             WHERE mention_id IN ({_KEYED_HANDLE_MENTIONS.format(h="new")});
            INSERT OR IGNORE INTO member_public_shares (mention_id, member_id, occurred_at)
            {_KEYED_HANDLE_SHARES.format(h="new")};
        END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER member_shares_handle_ad AFTER DELETE ON member_handles BEGIN
            DELETE FROM member_public_shares
             WHERE member_id = old.member_id
               AND mention_id IN ({_KEYED_HANDLE_MENTIONS.format(h="old")});
        END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER member_shares_handle_au
        AFTER UPDATE OF platform, handle, member_id ON member_handles BEGIN
            DELETE FROM member_public_shares
             WHERE member_id = old.member_id
               AND mention_id IN ({_KEYED_HANDLE_MENTIONS.format(h="old")});
            DELETE FROM member_public_shares
             WHERE mention_id IN ({_KEYED_HANDLE_MENTIONS.format(h="new")});
            INSERT OR IGNORE INTO member_public_shares (mention_id, member_id, occurred_at)
            {_KEYED_HANDLE_SHARES.format(h="new")};
        END
        """
    )
    db.execute("DELETE FROM member_public_shares")
    db.execute(
        """
        INSERT OR IGNORE INTO member_public_shares (mention_id, member_id, occurred_at)
        SELECT m.id, h.member_id, m.published_at
          FROM member_handles h JOIN mentions m
            ON m.platform = h.platform AND m.author_key = h.handle
         WHERE m.published_at IS NOT NULL
           AND m.organisation_id IN (SELECT id FROM organisations WHERE kind = 'self')
        """
    )


# --- alerts (rules fired, their quoted mentions, channels and deliveries) ------------------------


@migrations(name="alerts_001_alerts")
def alerts_001_alerts(db: Database) -> None:
    # One row per alert fired. `subject` is the cool-down key ("risk:1:fraud:<story>"): a rule
    # fires again for the same subject only after its cool-down. `details` holds the numbers the
    # message is written from (counts, baseline, feed name...), rendered in the reader's language.
    db.execute(
        """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            rule TEXT NOT NULL CHECK (rule IN
                ('negative_spike', 'risk', 'high_reach', 'peer_crisis', 'feed_health')),
            subject TEXT NOT NULL,
            organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
            organisation TEXT,
            details TEXT NOT NULL DEFAULT '{}',
            fired_at TEXT NOT NULL,
            acknowledged_at TEXT,
            acknowledged_by TEXT
        )
        """
    )
    db.execute("CREATE INDEX alerts_subject ON alerts(subject, fired_at)")
    db.execute("CREATE INDEX alerts_fired ON alerts(fired_at)")
    # The mentions that caused an alert, quoted as they were when it fired (a later undo or
    # re-score does not rewrite what was sent). `mention_id` is the mention's stable id.
    db.execute(
        """
        CREATE TABLE alert_mentions (
            alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            mention_id TEXT NOT NULL,
            title TEXT,
            source TEXT,
            platform TEXT,
            url TEXT,
            published_at TEXT,
            sentiment_label TEXT,
            sentiment_compound REAL,
            risk_category TEXT,
            reach INTEGER,
            PRIMARY KEY (alert_id, position)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX alert_mentions_mention ON alert_mentions(mention_id)")
    # Where alerts go. `target` is the e-mail addresses or the URL; secrets (SMTP password, bot
    # token, HMAC key) are never stored: `options.secret_env` names the environment variable.
    db.execute(
        """
        CREATE TABLE alert_channels (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('email', 'webhook')),
            format TEXT NOT NULL CHECK (format IN ('email', 'json', 'telegram', 'slack')),
            target TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            digest INTEGER NOT NULL DEFAULT 0,
            digest_hour INTEGER NOT NULL DEFAULT 7 CHECK (digest_hour BETWEEN 0 AND 23),
            enabled INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            last_success_at TEXT,
            last_failure_at TEXT,
            last_error TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    # One row per alert and channel: pending until sent (never sent twice), retried with
    # back-off (`next_attempt_at`), given up ('expired') when the alert is too old to matter.
    db.execute(
        """
        CREATE TABLE alert_deliveries (
            alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            channel_id INTEGER NOT NULL REFERENCES alert_channels(id) ON DELETE CASCADE,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'expired')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            sent_at TEXT,
            PRIMARY KEY (alert_id, channel_id)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        "CREATE INDEX alert_deliveries_due ON alert_deliveries(status, next_attempt_at, channel_id)"
    )
    db.execute("CREATE INDEX alert_deliveries_channel ON alert_deliveries(channel_id)")


# --- risk (the koperasi risk taxonomy's categories on every mention) -----------------------------


@migrations(name="risk_001_categories")
def risk_001_categories(db: Database) -> None:
    # `risk_category` is the primary category (citra.sentiment.risk.primary), `risk_categories`
    # every flagged one, space-separated in order of appearance. Both are NULL until the mention is
    # (re-)scored: the analyzer version changed with the taxonomy, so every mention is re-scored.
    db.execute("ALTER TABLE mentions ADD COLUMN risk_category TEXT")
    db.execute("ALTER TABLE mentions ADD COLUMN risk_categories TEXT")
    db.execute("CREATE INDEX mentions_risk_category ON mentions(risk_category) WHERE risk != 0")


# --- speed (a leaner database, no full scans for the Settings page) ---------------------------


@migrations(name="speed_001_lean_indexes")
def speed_001_lean_indexes(db: Database) -> None:
    # The full-text index without its prefix indexes: about 140 bytes a mention less. Prefix
    # searches ("bayar*") still work, from the terms themselves; phrases still work (positions
    # are kept). The triggers are those of core_001_base.
    for trigger in ("mentions_fts_ai", "mentions_fts_ad", "mentions_fts_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("DROP TABLE IF EXISTS mentions_fts")
    db.execute(
        """
        CREATE VIRTUAL TABLE mentions_fts USING fts5(
            title, text, author,
            content='mentions', content_rowid='seq',
            tokenize='unicode61 remove_diacritics 2'
        )
        """
    )
    db.execute("INSERT INTO mentions_fts(mentions_fts) VALUES ('rebuild')")
    _create_fts_triggers(db)
    # Risk, demo and hand-labelled mentions are few: partial indexes hold only those rows
    # (the queries name the same conditions: "risk != 0", "is_demo = 1",
    # "sentiment_source = 'manual'").
    db.execute("DROP INDEX IF EXISTS mentions_risk")
    db.execute("CREATE INDEX mentions_risk_published ON mentions(published_at) WHERE risk != 0")
    db.execute("DROP INDEX IF EXISTS mentions_demo")
    db.execute("CREATE INDEX mentions_demo_published ON mentions(published_at) WHERE is_demo = 1")
    db.execute("CREATE INDEX mentions_manual ON mentions(seq) WHERE sentiment_source = 'manual'")
    # Label filters and the top mentions of a label go through the date and organisation
    # indexes (a period holds every label); this one cost about 40 bytes a mention.
    db.execute("DROP INDEX IF EXISTS mentions_label")
    # How many mentions each analyzer version scored ('' = none yet), kept by triggers: the
    # number still to re-score is the total less the current version's, without a scan.
    db.execute(
        "CREATE TABLE mention_versions (version TEXT PRIMARY KEY, mentions INTEGER NOT NULL)"
        " WITHOUT ROWID"
    )
    add = (
        "INSERT INTO mention_versions (version, mentions) VALUES "
        "(coalesce({row}.lexicon_version, ''), {sign}1) "
        "ON CONFLICT (version) DO UPDATE SET mentions = mentions {sign} 1;"
    )
    db.execute(
        f"CREATE TRIGGER mention_versions_ai AFTER INSERT ON mentions BEGIN "
        f"{add.format(row='new', sign='+')} END"
    )
    db.execute(
        f"CREATE TRIGGER mention_versions_ad AFTER DELETE ON mentions BEGIN "
        f"{add.format(row='old', sign='-')} END"
    )
    db.execute(
        "CREATE TRIGGER mention_versions_au AFTER UPDATE OF lexicon_version ON mentions "
        "WHEN coalesce(old.lexicon_version, '') != coalesce(new.lexicon_version, '') BEGIN "
        f"{add.format(row='old', sign='-')} {add.format(row='new', sign='+')} END"
    )
    db.execute(
        "INSERT INTO mention_versions (version, mentions) "
        "SELECT coalesce(lexicon_version, ''), count(*) FROM mentions GROUP BY 1"
    )


# --- auth (logins, roles, the audit log) -------------------------------------------------------


@migrations(name="auth_001_users_audit")
def auth_001_users_audit(db: Database) -> None:
    # People who may log in to the app. Passwords only as argon2 hashes (citra.auth).
    db.execute(
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            password_changed_at TEXT NOT NULL,
            last_login_at TEXT
        )
        """
    )
    # Failed logins per user name (lower case, known or not, so the delay says nothing about
    # which names exist): the next try is refused until locked_until (UTC ISO).
    db.execute(
        """
        CREATE TABLE login_failures (
            name TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_failed_at TEXT NOT NULL,
            locked_until TEXT NOT NULL
        ) WITHOUT ROWID
        """
    )
    # Who did what, when: appended by citra.access.requires and the logins; never changed.
    db.execute(
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            role TEXT,
            action TEXT NOT NULL,
            target TEXT,
            detail TEXT
        )
        """
    )
    db.execute("CREATE INDEX audit_log_at ON audit_log(at)")
    for event in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )


# --- risk corrections (the comms team's word on the risk flag, issue 12) -----------------------


@migrations(name="risk_002_corrections")
def risk_002_corrections(db: Database) -> None:
    # One row per corrected mention: risk 0 = "not a risk", 1 = "a risk of `category`". Scoring
    # writes the analyzer's flag and then these on top (citra.store.sentiment.write_scores), so
    # a correction survives every re-score, like a hand-set label. Gone with its mention.
    db.execute(
        """
        CREATE TABLE risk_corrections (
            mention_seq INTEGER PRIMARY KEY,
            risk INTEGER NOT NULL CHECK (risk IN (0, 1)),
            category TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )
    db.execute(
        "CREATE TRIGGER risk_corrections_ad AFTER DELETE ON mentions BEGIN "
        "DELETE FROM risk_corrections WHERE mention_seq = old.seq; END"
    )


# A member's public shares counted per (member, bucket), kept by triggers: the Members page read
# every share (about 220,000 at a million mentions) several times per render. A bucket is the
# UTC month ("2024-03"), or the UTC minute ("2024-03-31T20:15") for a share within 15 hours of a
# month's edge, so that the local month of every share is exact for any UTC offset of up to 14
# hours (offsets are whole minutes): see queries.engagement.
_SHARE_BUCKET = (
    "CASE WHEN julianday({t}) - julianday(strftime('%Y-%m-01', {t})) < 15 / 24.0 "
    "OR julianday(strftime('%Y-%m-01', {t}, 'start of month', '+1 month')) - julianday({t})"
    " < 15 / 24.0 THEN substr(strftime('%Y-%m-%dT%H:%M', {t}), 1, 16) "
    "ELSE strftime('%Y-%m', {t}) END"
)


@migrations(name="speed_002_share_buckets")
def speed_002_share_buckets(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE member_share_buckets (
            member_id INTEGER NOT NULL,
            bucket TEXT NOT NULL,
            shares INTEGER NOT NULL,
            PRIMARY KEY (member_id, bucket)
        ) WITHOUT ROWID
        """
    )
    add = (
        "INSERT INTO member_share_buckets (member_id, bucket, shares) VALUES "
        "({row}.member_id, " + _SHARE_BUCKET.format(t="{row}.occurred_at") + ", 1) "
        "ON CONFLICT (member_id, bucket) DO UPDATE SET shares = shares + 1;"
    )
    remove = (
        "UPDATE member_share_buckets SET shares = shares - 1 WHERE member_id = old.member_id "
        "AND bucket = " + _SHARE_BUCKET.format(t="old.occurred_at") + "; "
        "DELETE FROM member_share_buckets WHERE member_id = old.member_id AND bucket = "
        + _SHARE_BUCKET.format(t="old.occurred_at")
        + " AND shares <= 0;"
    )
    db.execute(
        "CREATE TRIGGER member_share_buckets_ai AFTER INSERT ON member_public_shares BEGIN "
        f"{add.format(row='new')} END"
    )
    db.execute(
        f"CREATE TRIGGER member_share_buckets_ad AFTER DELETE ON member_public_shares BEGIN "
        f"{remove} END"
    )
    db.execute(
        "CREATE TRIGGER member_share_buckets_au AFTER UPDATE ON member_public_shares BEGIN "
        f"{remove} {add.format(row='new')} END"
    )
    db.execute(
        "INSERT INTO member_share_buckets (member_id, bucket, shares) "
        f"SELECT member_id, {_SHARE_BUCKET.format(t='occurred_at')}, count(*) "
        "FROM member_public_shares GROUP BY 1, 2"
    )
    # member_actions with the public shares counted per bucket: (member_id, kind, occurred_at,
    # actions). A bucket's time is the middle of its month, or its minute: its local month
    # and year are those of each share in it.
    db.execute(
        """
        CREATE VIEW member_action_counts AS
        SELECT s.member_id AS member_id, m.category AS kind, m.sent_at AS occurred_at,
               1 AS actions
          FROM chat_messages m JOIN chat_senders s ON s.id = m.sender_id
         WHERE s.member_id IS NOT NULL AND m.kind = 'text'
           AND m.category IN ('question', 'proposal', 'share')
        UNION ALL
        SELECT a.member_id, 'question', e.date || 'T05:00:00Z', 1
          FROM attendance a JOIN events e ON e.id = a.event_id WHERE a.asked = 1
        UNION ALL
        SELECT a.member_id, 'proposal', e.date || 'T05:00:00Z', 1
          FROM attendance a JOIN events e ON e.id = a.event_id WHERE a.proposed = 1
        UNION ALL
        SELECT member_id, 'public_share',
               CASE WHEN length(bucket) = 7 THEN bucket || '-15T12:00:00Z'
                    ELSE bucket || ':00Z' END,
               shares
          FROM member_share_buckets
        UNION ALL
        SELECT member_id, kind, occurred_at, 1 FROM engagement_actions
        """
    )


# --- narratives (the comms strategy: narratives, plan, headlines for the viral watch) ----------


@migrations(name="narratives_001_narratives_plan_headlines")
def narratives_001_narratives_plan_headlines(db: Database) -> None:
    # The coop's narratives: keywords and example sentences (JSON lists) decide which mentions
    # and own posts carry each one (citra.narratives).
    db.execute(
        """
        CREATE TABLE narratives (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            description TEXT NOT NULL DEFAULT '',
            keywords TEXT NOT NULL DEFAULT '[]',
            examples TEXT NOT NULL DEFAULT '[]',
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )
    # Which mention carries which narrative, how strongly and why (the matched words, JSON).
    # Kept current by the pipeline's "narratives" step; rebuilt when a narrative changes.
    db.execute(
        """
        CREATE TABLE mention_narratives (
            narrative_id INTEGER NOT NULL REFERENCES narratives(id) ON DELETE CASCADE,
            mention_seq INTEGER NOT NULL REFERENCES mentions(seq) ON DELETE CASCADE,
            score REAL NOT NULL,
            method TEXT NOT NULL CHECK (method IN ('keyword', 'similar')),
            matched TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (narrative_id, mention_seq)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX mention_narratives_mention ON mention_narratives(mention_seq)")
    # How far the assignment got: the narratives' version it used and the last mention seq.
    db.execute(
        "CREATE TABLE narrative_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"
    )
    # The posting plan: so many posts per week or month on a channel (optionally of one
    # narrative), with the tone and the longest length the channel's persona allows.
    db.execute(
        """
        CREATE TABLE comm_plan (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,
            narrative_id INTEGER REFERENCES narratives(id) ON DELETE CASCADE,
            posts INTEGER NOT NULL CHECK (posts > 0),
            per TEXT NOT NULL CHECK (per IN ('week', 'month')),
            tone TEXT CHECK (tone IN ('positive', 'neutral')),
            max_length INTEGER CHECK (max_length > 0),
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )
    # Headlines of outlet-feed entries that name no monitored organisation (those are not
    # mentions): title and link only, for the viral-topic watch; pruned after a few weeks.
    db.execute(
        """
        CREATE TABLE feed_headlines (
            url TEXT PRIMARY KEY,
            feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
            title TEXT NOT NULL,
            source TEXT,
            published_at TEXT NOT NULL,
            seen_at TEXT NOT NULL
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX feed_headlines_published ON feed_headlines(published_at)")


@migrations(name="narratives_002_demo_headlines")
def narratives_002_demo_headlines(db: Database) -> None:
    # The demo's own outlet headlines (no feed behind them), removed with the demo data.
    db.execute("ALTER TABLE feed_headlines ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0")


@migrations(name="members_005_forgotten_handles")
def members_005_forgotten_handles(db: Database) -> None:
    # The account handles of erased members, as salted hashes of platform and handle
    # (citra.privacy.keyed_hash): a re-import of an old mention export skips their public posts
    # instead of bringing them back (citra.store.mentions.insert_mentions).
    db.execute(
        """
        CREATE TABLE forgotten_handles (
            handle_hash TEXT PRIMARY KEY,
            forgotten_at TEXT NOT NULL
        ) WITHOUT ROWID
        """
    )


@migrations(name="speed_003_own_posts_index")
def speed_003_own_posts_index(db: Database) -> None:
    # The organisation's own posts are a few hundred rows among a million mentions: the plan
    # check's "newest own post per channel" read every mention (0.9 s cold on the Overview at
    # 1M) without this small partial index.
    db.execute(
        "CREATE INDEX IF NOT EXISTS mentions_own_posts "
        "ON mentions(organisation_id, platform, published_at) WHERE is_own = 1"
    )


@migrations(name="speed_import_001_fts_hashsize")
def speed_import_001_fts_hashsize(db: Database) -> None:
    # The full-text index gathers the terms of a transaction's new rows in memory before writing
    # them as a segment: 16 MB (FTS5's default is 1 MB) writes an import's index in fewer,
    # larger segments that need less merging (400,000 rows: 2.65 -> 1.54 s CPU), and costs
    # nothing to small writes.
    db.execute("INSERT INTO mentions_fts(mentions_fts, rank) VALUES ('hashsize', 16777216)")


@migrations(name="speed_storage_001_partial_story_index")
def speed_storage_001_partial_story_index(db: Database) -> None:
    # Only syndicated news carries a story_id (citra.store.news.assign_stories): the full index
    # held a NULL entry for every other mention. Every lookup by story id ("story_id = ?",
    # "story_id IN (...)", as the id renames of the dedupe steps do) implies NOT NULL, so this
    # partial index still serves it; the other story queries go through the platform indexes.
    db.execute("DROP INDEX IF EXISTS mentions_story")
    db.execute("CREATE INDEX mentions_story ON mentions(story_id) WHERE story_id IS NOT NULL")


@migrations(name="speed_storage_002_fts_hashsize")
def speed_storage_002_fts_hashsize(db: Database) -> None:
    # 16 MB of pending full-text terms (speed_import_001) left a 1,000,000-row import 12 MB under
    # its 400 MB: 8 MB gives 8 MB more (peak of all processes 388 -> 380 MB) at the same import
    # CPU (six runs each, alternated); 4 MB gave 6 MB more again but cost 2-4% of the importing
    # process's CPU.
    db.execute("INSERT INTO mentions_fts(mentions_fts, rank) VALUES ('hashsize', 8388608)")


@migrations(name="auth_002_login_sessions")
def auth_002_login_sessions(db: Database) -> None:
    # A login that survives a reload of the page (citra.auth.start_session): the browser keeps a
    # random token in a cookie, only its SHA-256 is stored here. last_seen (UTC ISO) ends it
    # after citra.auth.SESSION_IDLE unused; a logout, a new password or the user's removal
    # deletes it.
    db.execute(
        """
        CREATE TABLE login_sessions (
            token_hash TEXT PRIMARY KEY,
            user_name TEXT NOT NULL COLLATE NOCASE,
            created_at TEXT NOT NULL,
            last_seen TEXT NOT NULL
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX login_sessions_user ON login_sessions(user_name)")


@migrations(name="members_006_import_before_images")
def members_006_import_before_images(db: Database) -> None:
    # What a member-list import changed, member by member, so that it can be undone
    # (citra.store.member_history): the member's registry details and registry links as they
    # were before the import (phone numbers as the salted hashes member_phones holds, never the
    # number), nothing for a member the import added (existed = 0), and a keyed hash of what the
    # import left, to tell whether anything changed the member since. Erasing the member deletes
    # their rows (the foreign key, and citra.store.member_registry.forget_member).
    db.execute(
        """
        CREATE TABLE member_import_before (
            import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            existed INTEGER NOT NULL,
            name TEXT,
            join_date TEXT,
            status TEXT,
            branch TEXT,
            import_before INTEGER,
            updated_at TEXT,
            phones TEXT NOT NULL DEFAULT '[]',
            handles TEXT NOT NULL DEFAULT '[]',
            after_state TEXT,
            PRIMARY KEY (import_id, member_id)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX member_import_before_member ON member_import_before(member_id)")
    # The same for attendance imports: each row an import wrote, as it was before (existed = 0:
    # the import added it).
    db.execute(
        """
        CREATE TABLE attendance_import_before (
            import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            existed INTEGER NOT NULL,
            attended INTEGER,
            asked INTEGER,
            proposed INTEGER,
            import_before INTEGER,
            PRIMARY KEY (import_id, event_id, member_id)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        "CREATE INDEX attendance_import_before_row ON attendance_import_before(member_id, event_id)"
    )
    # Member-list and attendance imports started before this step kept no before-images: they
    # cannot be undone (an id boundary would not do: an import id is reused after the newest
    # import row is deleted, as removing the demo does).
    db.execute("CREATE TABLE import_before_images_since (started_at TEXT NOT NULL)")
    db.execute(
        "INSERT INTO import_before_images_since (started_at) "
        "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
    )
