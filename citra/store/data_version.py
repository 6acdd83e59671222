"""A cheap answer to "has anything been written since I last looked?", across processes.

SQLite's ``PRAGMA data_version`` changes on one connection whenever *another* connection (of
this process or any other: the CLI, cron's ``collect``, a second browser session) commits to
the file. :class:`DataVersion` keeps one read-only connection open just to ask that, and
prefixes the answer with a token of its own, since the numbers of two connections are not
comparable. The dashboard keys its cached reads on it: a page refreshed after any write shows
the new numbers at once, and repeated renders with no write stay cached.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from pathlib import Path


class DataVersion:
    """The database's data version as seen from one long-lived read-only connection."""

    def __init__(self, path: str | Path):
        uri = f"{Path(path).resolve().as_uri()}?mode=ro"
        # Shared by the app's threads (one Streamlit session each), so guarded by a lock.
        self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._token = uuid.uuid4().hex[:12]

    def current(self) -> str:
        """A string that changes after every commit by any other connection to the file."""
        with self._lock:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        return f"{self._token}:{version}"

    def close(self) -> None:
        with self._lock:
            self._conn.close()
