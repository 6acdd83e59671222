"""The ingest pipeline: every path that writes mentions or messages ends in :func:`finish`.

Entry points (the CLI, the pages, cron) never write mentions, chats or members and then wire their
own follow-ups; they call one function here, which does the write through ``collectors`` or
``citra.store`` and then :func:`finish`. ``finish`` runs :data:`STEPS` in order on a
:class:`Change`:

1. ``scoring``: every mention not scored by the current analyzer version is scored (imports score
   as they stream, so this usually costs one count query; after ``collect``, a crash between a
   commit and its scoring, a new custom word or model, it does the work). Nothing can skip it:
   the next write of any kind scores what an earlier one left.
2. ``narratives``: new mentions are assigned to the coop's narratives (all of them again after a
   narrative changed; ``citra.store.narratives.refresh_assignments``).
3. ``alerts``: the alert rules look at what is stored now and deliver what fires or is due
   (``citra.alerts.engine.step``; only after changes that can raise an alert). Whatever later
   issues add goes in :data:`STEPS` too, and nowhere else.

This is the one module of ``citra`` that drives ``collectors`` (imported inside the functions,
so ``import citra`` stays free of the input edge); ``collectors`` in turn only use ``citra.store``.
All functions take the open database first and return plain summaries (dicts or the collectors'
summary objects). ``progress`` callbacks are the collectors' own signatures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from citra.access import ADMIN, EDITOR, requires
from citra.matching import OrganisationMatcher
from citra.profile import Organisation
from citra.queries.mentions import count_rematch_candidates, rematch_candidates
from citra.queries.organisations import list_organisations
from citra.sentiment.rescore import rescore as _score_pending
from citra.store import organisations as organisation_store
from citra.store.mentions import set_organisations
from citra.store.sentiment import invalidate_scores

if TYPE_CHECKING:
    from collectors.importer import Undone
    from collectors.rss import CollectSummary

ScoreProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class Change:
    """What one write did, handed to every step of :data:`STEPS`.

    ``source``: ``collect``, ``import``, ``chat``, ``registry``, ``attendance``, ``demo``,
    ``undo``, ``erase``, ``rescore``, ``label``, ``rematch``, ``demo_removed``, ``narratives``.
    ``import_ids``:
    the import runs it wrote under (``[]`` for changes that are not runs). ``added`` and
    ``removed`` count mentions or messages.
    """

    source: str
    import_ids: tuple[int, ...] = ()
    added: int = 0
    removed: int = 0


Step = Callable[[Database, Change, ScoreProgress | None], Mapping[str, Any] | None]


def score_step(db: Database, change: Change, progress: ScoreProgress | None) -> dict[str, Any]:
    """Score every mention the current analyzer has not scored (see ``citra.sentiment.rescore``)."""
    return _score_pending(db, progress=progress)


def alerts_step(db: Database, change: Change, progress: ScoreProgress | None) -> dict[str, Any]:
    """Evaluate the alert rules and deliver what is due (see ``citra.alerts.engine``)."""
    from citra.alerts.engine import step

    return step(db, change, progress)


def narratives_step(db: Database, change: Change, progress: ScoreProgress | None) -> dict[str, Any]:
    """Assign new mentions to the coop's narratives, all of them again after a narrative
    changed (see ``citra.store.narratives.refresh_assignments``)."""
    from citra.store.narratives import refresh_assignments

    return refresh_assignments(db, progress=progress)


# The follow-ups of every write, in order: (name, step).
STEPS: tuple[tuple[str, Step], ...] = (
    ("scoring", score_step),
    ("narratives", narratives_step),
    ("alerts", alerts_step),
)


def finish(
    db: Database, change: Change, *, progress: ScoreProgress | None = None
) -> dict[str, Any]:
    """Run every step of :data:`STEPS` on ``change``; returns ``{step name: its result}``."""
    return {name: step(db, change, progress) for name, step in STEPS}


def _import_detail(arguments: Mapping[str, Any], summary: Mapping[str, Any]) -> dict[str, Any]:
    """What the audit log keeps of an import: the counts and the run, no file content."""
    keys = ("import_id", "format", "added", "duplicates", "rejected", "skipped", "file_name")
    return {key: summary[key] for key in keys if key in summary}


def _undone(arguments: Mapping[str, Any], undone: Any) -> dict[str, Any]:
    keys = ["mentions", "chat_messages"]
    if getattr(undone, "kind", None) == "members":
        keys = ["members_removed", "members_restored"]
    elif getattr(undone, "kind", None) == "attendance":
        keys = ["attendance_removed", "attendance_restored"]
    return {key: getattr(undone, key, None) for key in keys}


# --- mentions in ------------------------------------------------------------------------------


@requires(EDITOR, action="collect")
def collect(
    db: Database,
    urls: Iterable[str] | None = None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    **options: Any,
) -> CollectSummary:
    """Fetch the due feeds (or ``urls``) and store new relevant mentions, then :func:`finish`.

    ``options`` are ``collectors.rss.collect``'s (``workers``, ``budget``, ``timeout``, ...).
    """
    from collectors.rss import collect as collect_feeds

    summary = collect_feeds(db, urls, progress=progress, **options)
    run_ids = (summary.import_id,) if getattr(summary, "import_id", None) else ()
    finish(db, Change("collect", run_ids, added=summary.added))
    return summary


@requires(EDITOR, action="import", target="path", detail=_import_detail)
def import_file(
    db: Database,
    path: str | Path,
    *,
    format: str = "auto",
    mapping: Mapping[str, str] | None = None,
    preset: str | None = None,
    name: str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, Any]:
    """Import one export file, folder or zip (WhatsApp chats included), then :func:`finish`.

    See ``collectors.importer.import_path`` for the summary and the errors it raises.
    """
    from collectors.importer import import_path

    summary = import_path(
        db, path, format=format, mapping=mapping, preset=preset, name=name, progress=progress
    )
    source = "chat" if summary.get("format") == "whatsapp" else "import"
    finish(db, Change(source, (summary["import_id"],), added=int(summary.get("added") or 0)))
    return summary


@requires(EDITOR, action="chat import", target="path", detail=_import_detail)
def import_chat(db: Database, path: str | Path, *, group: str | None = None) -> dict[str, Any]:
    """Import a WhatsApp group export (``.txt`` or ``.zip``), then :func:`finish`.

    A refused file is recorded in the import history before the error propagates.
    """
    from collectors.whatsapp import import_chat as read_chat

    summary = _recorded(db, "whatsapp", path, lambda: read_chat(db, path, group=group))
    finish(db, Change("chat", _run_ids(summary), added=int(summary.get("added") or 0)))
    return summary


@requires(EDITOR, action="member list import", target="file_name", detail=_import_detail)
def import_registry(
    db: Database, path: str | Path, *, file_name: str | None = None
) -> dict[str, Any]:
    """Import a member registry (CSV/XLSX), then :func:`finish` (members' public posts count
    as shares from now on). ``file_name``: the name to record (an upload's own name)."""
    from collectors.member_registry import import_registry as read_registry

    summary = _recorded(
        db, "members", file_name or path, lambda: read_registry(db, path, file_name=file_name)
    )
    finish(db, Change("registry", _run_ids(summary)))
    return summary


@requires(EDITOR, action="attendance import", target="event_id", detail=_import_detail)
def import_attendance(
    db: Database, event_id: int, path: str | Path, *, file_name: str | None = None
) -> dict[str, Any]:
    """Import an attendance list for an event, then :func:`finish`."""
    from collectors.member_registry import import_attendance as read_attendance

    summary = _recorded(
        db,
        "attendance",
        file_name or path,
        lambda: read_attendance(db, event_id, path, file_name=file_name),
    )
    finish(db, Change("attendance", _run_ids(summary)))
    return summary


@requires(EDITOR, action="import undone", target="import_id", detail=_undone)
def undo(db: Database, import_id: int) -> Undone:
    """Undo import ``import_id``: its mentions, a WhatsApp import's chat messages, or a member
    list's or an attendance list's changes (see ``collectors.importer.undo``), then
    :func:`finish` (members' shares and metrics follow); returns what was removed and
    restored."""
    from citra.store.erasure import checkpoint, purge_full_text
    from collectors.importer import undo as undo_import

    undone = undo_import(db, import_id)
    if undone.mentions:
        purge_full_text(db)  # the undone mentions' words leave the index's shadow tables too
    finish(db, Change("undo", (import_id,), removed=undone.mentions + undone.chat_messages))
    checkpoint(db)
    return undone


@requires(ADMIN, action="demo added", detail=lambda a, r: {"scale": a.get("scale", 1.0)})
def seed_demo(
    db: Database, *, scale: float = 1.0, seed: int | None = None, today: date | None = None
) -> Any:
    """Write the demo dataset (``citra.demo.build_demo``), scored by the real analyzer through
    :func:`finish`; returns the demo's story."""
    from citra import demo

    options: dict[str, Any] = {"scale": scale, "today": today}
    if seed is not None:
        options["seed"] = seed
    story = demo.build_demo(db, **options)
    finish(db, Change("demo", added=story.mentions))
    return story


@requires(ADMIN, action="demo removed")
def remove_demo(db: Database) -> dict[str, int]:
    """Delete the demo rows and nothing else; returns the rows removed per table."""
    from citra.store.demo import remove_demo_data

    removed = remove_demo_data(db)
    finish(db, Change("demo_removed", removed=int(removed.get("mentions", 0))))
    return removed


@requires(ADMIN, action="member erased", target="member_no", detail=lambda a, r: dict(r))
def forget_member(db: Database, member_no: str) -> dict[str, int]:
    """Erase a member and what identifies them (see ``citra.store.member_registry``), then
    purge the full-text index's old tokens and the write-ahead log; returns the counts erased.

    The one place an erasure happens: an audit record or a role check wraps this function."""
    from citra.store.erasure import checkpoint, purge_full_text
    from citra.store.member_registry import forget_member as erase

    erased = erase(db, member_no)
    purge_full_text(db)
    finish(db, Change("erase", removed=sum(erased.values())))
    checkpoint(db)
    return erased


# --- scoring and matching again ---------------------------------------------------------------


@requires(ADMIN, action="rescore")
def rescore(
    db: Database, *, all: bool = False, progress: ScoreProgress | None = None
) -> dict[str, Any]:
    """Score again what the current analyzer has not scored (``all``: every mention); returns
    the scoring step's result (``scored``, ``manual``, ``risk``, ``pending_before``...)."""
    if all:
        invalidate_scores(db)
    return dict(finish(db, Change("rescore"), progress=progress)["scoring"])


@requires(EDITOR)
def label_changed(db: Database) -> dict[str, Any]:
    """After a person set or cleared a label: score what is pending (a cleared label)."""
    return dict(finish(db, Change("label"))["scoring"])


@requires(ADMIN)
def save_profile(
    db: Database, *, progress: ScoreProgress | None = None, **fields: Any
) -> Organisation:
    """Create or update the coop's profile (``citra.store.organisations.set_profile``), then
    match stored mentions again: keywords and exclusions decide which mentions are the coop's.
    ``progress(done, total)`` follows the re-matching."""
    coop = organisation_store.set_profile(db, **fields)
    rematch(db, progress=progress)
    return coop


@requires(ADMIN)
def save_peer(
    db: Database, name: str, *, progress: ScoreProgress | None = None, **fields: Any
) -> Organisation:
    """Add or update a peer coop, then match stored mentions again."""
    peer = organisation_store.add_peer(db, name, **fields)
    rematch(db, progress=progress)
    return peer


@requires(ADMIN)
def delete_peer(
    db: Database, name_or_id: str | int, *, progress: ScoreProgress | None = None
) -> Organisation:
    """Remove a peer coop (its mentions become unattributed), then match them again."""
    peer = organisation_store.remove_peer(db, name_or_id)
    rematch(db, progress=progress)
    return peer


REMATCH_BATCH = 2000


@requires(EDITOR)
def rematch(db: Database, *, progress: ScoreProgress | None = None) -> dict[str, int]:
    """Attribute stored mentions again after the profile, keywords, exclusions or peers changed.

    Re-matched: every mention with no organisation, and every mention a file import attributed
    by its text (search-feed mentions keep the organisation their feed was added for; own-account
    posts stay the coop's). Each batch of :data:`REMATCH_BATCH` is its own transaction.
    ``progress(done, total)`` after each batch. Returns ``{"checked", "changed"}``.
    """
    matcher = OrganisationMatcher(list_organisations(db))
    checked = changed = 0
    total = count_rematch_candidates(db)
    last_seq = 0
    while batch := rematch_candidates(db, after_seq=last_seq, limit=REMATCH_BATCH):
        last_seq = batch[-1][0]
        updates = []
        for seq, organisation_id, title, text in batch:
            found = matcher.best(title, text)
            new_id = found.id if found else None
            if new_id != organisation_id:
                updates.append((new_id, seq))
        with db.atomic():
            set_organisations(db, updates)
        checked += len(batch)
        changed += len(updates)
        if progress is not None:
            progress(min(checked, total), total)
    finish(db, Change("rematch", added=changed))
    return {"checked": checked, "changed": changed}


# --- the coop's narratives -------------------------------------------------------------------


@requires(EDITOR)
def save_narrative(
    db: Database, name: str, *, progress: ScoreProgress | None = None, **fields: Any
) -> Any:
    """Add or update a narrative (``citra.store.narratives.save_narrative``), then
    :func:`finish`: every mention is assigned again. Returns the narrative."""
    from citra.store.narratives import save_narrative as save

    narrative = save(db, name, **fields)
    finish(db, Change("narratives"), progress=progress)
    return narrative


@requires(EDITOR)
def delete_narrative(
    db: Database, name_or_id: str | int, *, progress: ScoreProgress | None = None
) -> Any:
    """Remove a narrative, then :func:`finish`. Returns the removed narrative."""
    from citra.store.narratives import remove_narrative

    narrative = remove_narrative(db, name_or_id)
    finish(db, Change("narratives"), progress=progress)
    return narrative


# --- helpers ----------------------------------------------------------------------------------


def _run_ids(summary: Mapping[str, Any]) -> tuple[int, ...]:
    run = summary.get("import_id")
    return (int(run),) if run else ()


def _recorded(db: Database, kind: str, path: str | Path, run: Callable[[], dict]) -> dict:
    """Run an import; a refused file is recorded in the import history before the error shows."""
    from citra.errors import CitraError
    from citra.store.imports import record_failed_import

    try:
        return run()
    except CitraError as exc:
        record_failed_import(db, kind=kind, file_name=Path(path).name, error=exc)
        raise
