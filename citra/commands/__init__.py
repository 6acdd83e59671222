"""Click commands of each area, registered on the ``citra`` group in ``citra/cli.py``.

One module per area (``news``, ``imports``, ``sentiment``, ``members``, ``demo``); each defines
plain click commands or groups that take the shared :class:`citra.commands.context.Context` via
``citra.commands.context.pass_context``; ``citra/cli.py`` assembles them.
"""
