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
    db.execute(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """
    )


# --- news (feeds and collection) ---------------------------------------------------------------


# --- imports (social-media and monitoring-tool exports) ----------------------------------------


# --- sentiment ---------------------------------------------------------------------------------


# --- members ------------------------------------------------------------------------------------


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
