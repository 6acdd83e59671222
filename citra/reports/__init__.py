"""The monthly report: what moved the index (``drivers``), the month's content built once from
the queries (``content``), and one writer per format (``xlsx``, ``pdf``, ``html``, ``csv``).

Importing this package loads no PDF, chart or spreadsheet library; each writer imports its own.
"""
