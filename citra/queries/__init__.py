"""Read-only SQL, as named functions returning records or DataFrames, one module per area.

Every function takes the ``Database`` first and only reads, so it works on the dashboard's
read-only handle. Values travel as SQL parameters, never formatted into SQL text.
"""
