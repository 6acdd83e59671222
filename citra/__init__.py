"""Citra: a self-hosted reputation monitor for Indonesian cooperatives (koperasi).

Importing this package has no side effects: nothing connects, reads files or configures logging.
Entry points (``citra.cli``, ``dashboard.py``) open the database and pass it in.
"""

__version__ = "0.1.0"
