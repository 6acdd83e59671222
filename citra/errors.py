"""Errors that carry a plain-language message for the person who caused them."""


class CitraError(Exception):
    """An expected failure with a message fit to show a user as-is (CLI or page)."""


class DatabaseFileError(CitraError):
    """The database file is missing, corrupt, not SQLite, or from a newer Citra."""


class ImportRejected(CitraError):
    """Nothing in an input could be imported; the message says what and where."""
