"""A reader's records made storable: stable id, organisation, own-account flag, size limits,
scores and the stored row, without the database, so that an import does it in its worker
processes (``citra.sentiment.parallel.prepare_batches``) while its own process reads and writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from citra.handles import normalise_handle
from citra.matching import OrganisationMatcher
from citra.profile import Organisation
from citra.sentiment.analyzer import SentimentAnalyzer
from citra.sentiment.parallel import score_in_place
from citra.store.mentions import mention_id, mention_row
from collectors.common import Record
from collectors.generic import fingerprint
from collectors.limits import cap_record


def owned_handles(coop: Organisation | None) -> frozenset[str]:
    """The coop's own account handles, normalised (a record by one of them is the coop's)."""
    if coop is None:
        return frozenset()
    return frozenset(key for h in coop.accounts.values() if (key := normalise_handle(h)))


def finish_record(
    record: Record,
    own_account: bool,
    coop: Organisation | None,
    matcher: OrganisationMatcher,
    handles: frozenset[str] | set[str],
) -> Record:
    """A reader's record made storable: stable ``id``, organisation and own-account flag.

    Own-account formats (``own_account``, and any record by one of the coop's own handles)
    belong to the coop with ``is_own = 1``; everything else goes to the organisation the text
    mentions (the coop first, else a peer, else none).
    """
    native = record.pop("native_id", None)
    url = record.get("url")
    if not native and not url:
        native = fingerprint(record.get("published_at"), record.get("author"), record.get("text"))
    record["id"] = mention_id(record["platform"], native, url)
    own = own_account or bool(record.get("is_own")) or _by_own_handle(record, handles)
    if own and coop is not None:
        record["organisation_id"] = coop.id
        record["is_own"] = 1
        record.setdefault("author", None)
        record["author"] = record["author"] or coop.name
        record["author_handle"] = record.get("author_handle") or coop.accounts.get(
            record["platform"]
        )
    else:
        found = matcher.best(record.get("title"), record.get("text"))
        record["organisation_id"] = found.id if found else None
        record["is_own"] = 1 if own else 0
    return record


def _by_own_handle(record: Record, handles: frozenset[str] | set[str]) -> bool:
    """Whether the record's author handle or name is one of the coop's own ``handles``."""
    if not handles:
        return False
    names = {_handle_key(record.get(key)) for key in ("author_handle", "author")} - {""}
    return bool(names & handles)


def _handle_key(value: Any) -> str:
    """:func:`normalise_handle`, once per distinct text (authors repeat across a file)."""
    return _cached_handle_key(value) if isinstance(value, str) else normalise_handle(value)


_cached_handle_key = lru_cache(maxsize=16_384)(normalise_handle)


@dataclass(frozen=True)
class MentionRows:
    """The batch work of an import (``citra.sentiment.parallel.BatchWork``): a batch of a
    reader's records in, ``(rows, cut)`` out: each record finished (:func:`finish_record`), cut
    to the size policy (``collectors.limits.cap_record``), scored and made the row
    ``citra.store.mentions.insert_rows`` stores; ``cut`` holds the positions of the records
    whose text was cut. Picklable, so a worker process does exactly what the importing
    process would."""

    own_account: bool
    coop: Organisation | None
    matcher: OrganisationMatcher
    handles: frozenset[str]
    import_id: int
    version: str

    def __call__(
        self, records: list[Record], analyzer: SentimentAnalyzer
    ) -> tuple[list[tuple[Any, ...]], list[int]]:
        cut = []
        for position, record in enumerate(records):
            finish_record(record, self.own_account, self.coop, self.matcher, self.handles)
            if cap_record(record):
                cut.append(position)
        score_in_place(records, analyzer, self.version)
        return [mention_row(record, self.import_id) for record in records], cut
