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


# --- dashboard (rollups, tags) ------------------------------------------------------------------
