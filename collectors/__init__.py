"""The input edge: turn outside bytes (exports, feeds, chats) into Citra records.

Each module reads one format and hands records to ``citra.store``; nothing here scores or
aggregates. The import pipeline for files is :mod:`collectors.importer`.
"""
