"""Alerts: a crisis reaches the comms team within the hour.

- ``rules``: the rules as plain functions of stored data (also used by the Overview's trend);
- ``engine``: evaluating them and delivering what fires (the ingest pipeline's ``alerts`` step
  and ``citra alerts run``);
- ``messages``: what an alert says, in the installation's language (text, HTML, webhook JSON);
- ``channels``: one small function per channel kind (e-mail, Telegram, Slack, JSON webhook).

Storage is ``citra.store.alerts`` and ``citra.queries.alerts``; ``docs/alerts.md`` documents
the rules, their defaults and the webhook schema. Importing this package has no side effects.
"""
