"""The one import pipeline: a file, folder or zip in, mentions stored, a plain summary out.

``import_path`` picks a format per file (registry detectors, or the one named), streams its
records, attributes each to the coop or a peer, and stores them in one transaction with one
``imports`` row (``citra.store.imports.import_run``). Importing the same file again adds nothing
(stable ids) and says so. Bad input never half-writes: a file that cannot be read is rolled back
and recorded as a failed import with the reason.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from citra.errors import CitraError, DatabaseBusy, ImportRejected, Location, render
from citra.formatting import format_number
from citra.matching import OrganisationMatcher
from citra.profile import Organisation
from citra.queries.imports import (
    count_unattributed,
    get_import,
    get_preset,
    list_imports,
    list_presets,
)
from citra.queries.organisations import get_self, list_organisations
from citra.queries.settings import get_setting
from citra.sentiment import SentimentAnalyzer
from citra.sentiment.parallel import prepare_batches
from citra.store.import_presets import delete_preset, save_preset
from citra.store.imports import (
    ImportRun,
    import_run,
    previous_import_of,
    record_failed_import,
    undo_import,
)
from citra.store.mentions import MENTION_COLUMNS
from collectors import registry, whatsapp
from collectors.aliases import FIELDS, is_certain, map_headers
from collectors.base import Format, ReadContext, Skipped, Source
from collectors.common import FormatError, Record, Rejection
from collectors.finishing import MentionRows, owned_handles
from collectors.generic import NeedsMapping, TableReader, resolve_mapping
from collectors.limits import FIELD_CAPS
from collectors.safezip import DamagedArchive, check_archive, open_archive, open_member
from collectors.table_rows import TableRows, link_too_long
from collectors.tabular import open_table
from collectors.textfiles import HEAD_BYTES, decode_head, looks_binary, looks_html

Progress = Callable[[float, str], None]
SKIPPED_NAMES = ("__macosx/", ".ds_store", "thumbs.db")


class Rejected(ImportRejected):
    """Nothing could be imported (a :class:`CitraError`: template, values, location)."""

    @classmethod
    def of(cls, exc: CitraError, file: str | None = None) -> Rejected:
        """``exc`` as a rejection; a place with no file (``line 3``) is put in ``file``."""
        location = exc.location
        if location is not None and location.unit and not location.file:
            location = location.in_file(file)
        return cls(exc.template, location=location, **exc.values)


class NeedsColumnMapping(Rejected):
    """A generic table whose date/text columns were not recognised; carries its headers so the
    Sources page can offer the column-mapping preview."""

    def __init__(self, exc: FormatError, headers: list[str], mapping: dict[str, str]):
        super().__init__(exc.template, location=exc.location, **exc.values)
        self.headers = headers
        self.mapping = mapping


# --- inputs -----------------------------------------------------------------------------------


def _file_source(path: Path, name: str) -> Source:
    source = Source(name=name, size=path.stat().st_size, opener=lambda: path.open("rb"))
    source.read_head()
    return source


def _is_zip(path: Path, display: str | None = None) -> bool:
    """Whether ``path`` is a zip archive of exports (an XLSX is a zip too, but one table).
    Raises :class:`FormatError` for a file that starts like a zip but cannot be read as one
    (cut short or corrupt): that is a damaged zip, not random bytes."""
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.startswith(b"PK\x03\x04"):
        return False
    workbook = b"xl/" in head or path.suffix.lower() in (".xlsx", ".xlsm")
    try:
        with open_archive(path, display or path.name) as archive:
            return "xl/workbook.xml" not in archive.namelist()
    except DamagedArchive:
        if workbook:
            return False  # a damaged workbook: the table reader says so
        raise


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _skipped(name: str) -> bool:
    lowered = name.replace("\\", "/").lower()
    return any(part in lowered for part in SKIPPED_NAMES) or lowered.rsplit("/", 1)[-1].startswith(
        "._"
    )


@contextmanager
def open_sources(path: Path, display: str | None = None) -> Iterator[tuple[list[Source], str]]:
    """The input files under ``path`` (a file, a folder, or a zip read in place) and a SHA-256
    that identifies the whole input; ``display`` is the name to show for ``path`` itself (an
    upload's own name). Raises :class:`FormatError` for an unsafe or broken zip."""
    display = display or path.name
    if path.is_dir():
        digest = hashlib.sha256()
        sources = []
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            relative = file.relative_to(path).as_posix()
            if _skipped(relative):
                continue
            digest.update(relative.encode() + b"\0" + _sha256(file).encode())
            sources.append(_file_source(file, relative))
        yield sources, digest.hexdigest()
        return
    sha = _sha256(path)
    if not _is_zip(path, display):
        yield [_file_source(path, display)], sha
        return
    with ExitStack() as stack:
        archive = stack.enter_context(open_archive(path, display))
        infos = check_archive(archive, display)
        sources = []
        for info in infos:
            if _skipped(info.filename) or info.filename.lower().endswith(".zip"):
                continue
            label = f"{display}/{info.filename}"

            def opener(info: zipfile.ZipInfo = info, label: str = label) -> IO[bytes]:
                return open_member(archive, info, label)

            source = Source(name=info.filename, size=info.file_size, opener=opener, seekable=False)
            with opener() as stream:
                source.head = stream.read(HEAD_BYTES)
            sources.append(source)
        yield sources, sha


# --- progress ---------------------------------------------------------------------------------


class _Counting(io.RawIOBase):
    def __init__(self, inner: IO[bytes], tracker: _Tracker):
        self._inner = inner
        self._tracker = tracker

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._inner.seekable()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        self._tracker.advance(len(data))
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


class _Tracker:
    """Turns bytes read into ``progress(fraction, message)`` calls, at most every 1%."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress = progress
        self.total = max(total, 1)
        self.done = 0
        self.base = 0
        self.size = 0
        self.label = ""
        self._last = -1.0

    def start(self, source: Source) -> None:
        self.base += self.size
        self.size = max(source.size, 1)
        self.done = 0
        self.label = source.name
        self._report()

    def advance(self, count: int) -> None:
        self.done = min(self.done + count, self.size)
        self._report()

    def _report(self) -> None:
        if self.progress is None:
            return
        fraction = min((self.base + self.done) / self.total, 1.0)
        if fraction - self._last >= 0.01 or fraction >= 1.0 and self._last < 1.0:
            self._last = fraction
            self.progress(fraction, self.label)

    def wrap(self, stream: IO[bytes]) -> IO[bytes]:
        return io.BufferedReader(_Counting(stream, self), buffer_size=256 * 1024)


# --- records ----------------------------------------------------------------------------------


def _stream(
    run: ImportRun, source: Source, fmt: Format, ctx: ReadContext, member: str | None
) -> Iterator[Record]:
    """The reader's records; rejections (placed in ``member``, the file's name inside an
    archive or folder, ``None`` for a single file) are recorded in the run, never dropped
    silently."""
    for item in fmt.read(source, ctx):
        if isinstance(item, Rejection):
            run.reject(item.in_file(member))
            continue
        if isinstance(item, Skipped):
            run.skip()
            continue
        too_long = link_too_long(item, member or source.name)
        if too_long is not None:
            run.reject(too_long)
            continue
        yield item


_URL = MENTION_COLUMNS.index("url")
_PUBLISHED = MENTION_COLUMNS.index("published_at")

_Batches = Iterator[tuple[list[tuple[Any, ...]], list[int]]]


def _table_batches(
    run: ImportRun,
    source: Source,
    reader: TableReader,
    ctx: ReadContext,
    member: str | None,
    pipeline: _Pipeline,
    work: MentionRows,
) -> _Batches:
    """A table's stored rows, a batch at a time: this process reads the cells, the workers
    convert, finish and score them (:class:`collectors.table_rows.TableRows`); what
    :func:`_stream` would have recorded in the run is recorded as each batch comes back."""
    with reader.open(source, ctx) as (convert, table):
        rows_of = TableRows(convert, work, table.unit, member, source.name)
        for rows, cut, rejections in prepare_batches(table.numbered, pipeline.analyzer, rows_of):
            for error in rejections:
                run.reject(error)
            yield rows, cut


def _rows(
    run: ImportRun,
    source: Source,
    fmt: Format,
    ctx: ReadContext,
    member: str | None,
    pipeline: _Pipeline,
) -> Iterator[list[tuple[Any, ...]]]:
    """The reader's records as stored rows, a batch at a time: finished, cut to the size policy
    (:mod:`collectors.limits`) and scored (:class:`collectors.finishing.MentionRows`, in worker
    processes for a large file); cut texts are noted in the run. A table format's rows are
    made records in the workers too (:func:`_table_batches`)."""
    work = MentionRows(
        own_account=fmt.own_account,
        coop=pipeline.coop,
        matcher=pipeline.matcher,
        handles=pipeline.handles,
        import_id=run.id,
        version=pipeline.analyzer.version,
    )
    cut = 0
    first_cut: str | None = None
    if isinstance(fmt.read, TableReader):
        batches = _table_batches(run, source, fmt.read, ctx, member, pipeline, work)
    else:
        records = _stream(run, source, fmt, ctx, member)
        batches = prepare_batches(records, pipeline.analyzer, work)
    for rows, cut_positions in batches:
        for position in cut_positions:
            cut += 1
            first_cut = first_cut or rows[position][_URL] or rows[position][_PUBLISHED]
        yield rows
    if cut:
        run.note(
            CitraError(
                "text cut to the size limit: {limit} characters, in {count} record(s) "
                "(the first: {first})",
                location=Location(file=member or source.name),
                limit=f"{FIELD_CAPS['text']:,}",
                count=f"{cut:,}",
                first=first_cut,
            )
        )


@dataclass(frozen=True)
class _Pipeline:
    """What an import's records are finished and scored with."""

    analyzer: SentimentAnalyzer
    coop: Organisation | None
    matcher: OrganisationMatcher
    handles: frozenset[str]


# --- the pipeline -----------------------------------------------------------------------------


def _unrecognised(sources: list[Source], display: str) -> Rejected:
    if len(sources) == 1:
        head = sources[0].head
        if not head.strip():
            return Rejected("{file} is empty.", file=display)
        if looks_html(head):
            return Rejected(
                "{file} is a web page (HTML), not an export; download the export again.",
                file=display,
            )
        if looks_binary(head):
            return Rejected(
                "{file} is not an export Citra knows (it looks like random bytes).", file=display
            )
        start = whatsapp.unreadable_start(decode_head(head))
        if start is not None:
            return Rejected(whatsapp.UNREADABLE_LAYOUT, file=display, start=start)
    if not sources:
        return Rejected("{file} holds no files.", file=display)
    return Rejected(
        "{file}: no file in a format Citra knows ({known}).",
        file=display,
        known=", ".join(registry.FORMATS),
    )


def _context(db: Database, mapping: Mapping[str, str] | None, preset: str | None) -> ReadContext:
    chosen = dict(mapping) if mapping else None
    if preset:
        found = get_preset(db, preset)
        if found is None:
            raise Rejected("There is no column preset called '{name}'.", name=preset)
        chosen = found["mapping"]
    return ReadContext(
        tz=get_setting(db, "timezone") or "Asia/Jakarta", mapping=chosen, presets=list_presets(db)
    )


def _plan(sources: list[Source], forced: Format | None) -> list[tuple[Source, Format]]:
    plan = []
    for source in sources:
        fmt = forced if forced is not None else registry.detect(source)[0]
        if fmt is not None:
            plan.append((source, fmt))
    return plan


def _import_chat(
    db: Database, path: Path, display: str, progress: Progress | None
) -> dict[str, Any]:
    """A WhatsApp chat export goes to the members area's importer (messages, not mentions);
    its summary gains the keys every import summary has."""

    def lines_progress(done: int, total: int) -> None:
        if progress is not None and total:
            progress(min(done / total, 1.0), display)

    try:
        summary = whatsapp.import_chat(db, path, file_name=display, progress=lines_progress)
    except DatabaseBusy:
        raise
    except CitraError as exc:
        record_failed_import(
            db, kind="whatsapp", file_name=display, error=exc, format=whatsapp.FORMAT
        )
        raise Rejected.of(exc) from exc
    summary.setdefault("file", display)
    summary.setdefault("rejected", [])
    summary.setdefault("rejected_count", 0)
    summary.setdefault("already_imported", None)
    summary.setdefault("skipped", [])
    summary.setdefault("skipped_no_text", 0)
    summary.setdefault("unattributed", 0)
    return summary


def import_path(
    db: Database,
    path: str | os.PathLike[str],
    *,
    format: str = "auto",
    progress: Progress | None = None,
    mapping: Mapping[str, str] | None = None,
    preset: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """Import one file, folder or zip of exports; returns the summary.

    ``format`` is ``auto`` (detect per file) or a registry name (``x``, ``facebook``,
    ``meta-insights``, ``instagram``, ``youtube``, ``tiktok``, ``brand24``, ``mention``, ``csv``).
    ``progress(fraction 0..1, file name)`` is called as bytes are read. ``mapping``
    (``{field: header}``) or ``preset`` (a saved preset's name) fixes the columns of a generic
    table. ``name`` is the file name to record (uploads arrive under a temporary name).
    Mentions are scored as they stream in (sentiment, risk and analyzer version are written
    with them).

    The summary: ``format``, ``file``, ``import_id``, ``added``, ``duplicates``, ``rejected``
    (at most 1,000 entries as :func:`citra.errors.error_entry` gives them: English ``where`` and
    ``reason``, and ``template``, ``values``, ``location`` to show them in any language, e.g.
    through ``CitraError.from_dict``), ``rejected_count``, ``skipped_no_text`` (shares and links
    without text of their own: no error), ``unattributed`` (new mentions that name no
    organisation of the profile), ``already_imported`` (the earlier import of the same bytes, or
    ``None``), ``skipped`` (archive members in no known format). Raises :class:`ImportRejected`
    (a :class:`CitraError`) with the reason when
    nothing could be imported; the attempt is then in the history as ``failed``, and nothing
    else was written.
    """
    path = Path(path)
    display = name or path.name
    if not path.exists():
        raise Rejected("{file} does not exist.", file=str(path))
    if format == "whatsapp" or (format == "auto" and whatsapp.is_chat_export(path)):
        return _import_chat(db, path, display, progress)
    forced = None
    if format != "auto":
        forced = registry.get_format(format)
        if forced is None:
            raise Rejected(
                "Unknown format '{name}'; choose one of {known}.",
                name=format,
                known=", ".join(registry.format_names()),
            )
    ctx = _context(db, mapping, preset)
    # Mentions are scored as they stream in, so each is written once, already scored.
    coop = get_self(db)
    pipeline = _Pipeline(
        analyzer=SentimentAnalyzer(db),
        coop=coop,
        matcher=OrganisationMatcher(list_organisations(db)),
        handles=owned_handles(coop),
    )

    label = forced.name if forced else None
    try:
        with open_sources(path, display) as (sources, sha):
            plan = _plan(sources, forced)
            if not plan:
                raise _unrecognised(sources, display)
            label = "+".join(dict.fromkeys(fmt.name for _, fmt in plan))
            previous = previous_import_of(db, sha)
            tracker = _Tracker(progress, sum(source.size for source, _ in plan))
            multi = len(plan) > 1
            in_archive = path.is_dir() or _is_zip(path)
            unmapped: list[str] = []
            with import_run(
                db, kind="file", file_name=display, file_sha256=sha, format=label
            ) as run:
                for source, fmt in plan:
                    source.wrap = tracker.wrap
                    tracker.start(source)
                    member = source.name if multi or in_archive else None
                    if multi and not _import_member(run, source, fmt, ctx, member, pipeline):
                        unmapped.append(source.name)
                    elif not multi:
                        run.add_rows(_rows(run, source, fmt, ctx, member, pipeline), bulk=True)
                if run.added + run.duplicates == 0:
                    raise _nothing_imported(display, run)
                summary = run.summary()
    except NeedsMapping as exc:
        # Not a failure: the file waits for its columns to be chosen, and the import that
        # follows is the one the history shows.
        guess = {field: exc.headers[i] for field, i in exc.mapping.items()}
        raise NeedsColumnMapping(exc, exc.headers, guess) from exc
    except FormatError as exc:
        rejected = Rejected.of(exc, display)
        record_failed_import(db, kind="file", file_name=display, error=rejected, format=label)
        raise rejected from exc
    except ImportRejected as exc:
        record_failed_import(db, kind="file", file_name=display, error=exc, format=label)
        raise
    if progress is not None:
        progress(1.0, display)
    rejected = summary["errors"]
    return {
        "format": label,
        "file": display,
        "import_id": summary["import_id"],
        "added": summary["added"],
        "duplicates": summary["duplicates"],
        "rejected": rejected,
        "rejected_count": summary["rejected"],
        "skipped_no_text": summary["skipped"],
        "unattributed": count_unattributed(db, summary["import_id"]),
        "already_imported": previous,
        "skipped": [s.name for s in sources if all(s is not p for p, _ in plan)] + unmapped,
    }


def _import_member(
    run: ImportRun,
    source: Source,
    fmt: Format,
    ctx: ReadContext,
    member: str | None,
    pipeline: _Pipeline,
) -> bool:
    """One file of an archive inside a savepoint: a file that turns out unreadable (truncated
    JSON) is rolled back alone and reported, and the archive's other files still import.

    Returns ``False`` for a table whose columns are not recognisable: archives hold many side
    tables (a Takeout's ``subscriptions.csv``), so such a file is skipped, not rejected.
    """
    counts = (run.added, run.duplicates, run.rejected, run.skipped, len(run.errors))
    run.db.execute("SAVEPOINT import_member")
    imported = True
    try:
        run.add_rows(_rows(run, source, fmt, ctx, member, pipeline))
    except FormatError as exc:
        run.db.execute("ROLLBACK TO import_member")
        run.added, run.duplicates, run.rejected, run.skipped = counts[:4]
        del run.errors[counts[4] :]
        if isinstance(exc, NeedsMapping):
            imported = False
        else:
            run.reject(
                Rejection(
                    "file not imported: {reason}", location=Location(file=source.name), reason=exc
                )
            )
    finally:
        run.db.execute("RELEASE import_member")
    return imported


def _nothing_imported(display: str, run: ImportRun) -> Rejected:
    if not run.errors and run.skipped:
        return Rejected(
            "{file} holds nothing to import: its {count} posts are shares or links without text "
            "of their own (skipped: no text).",
            file=display,
            count=run.skipped,
        )
    if not run.errors:
        return Rejected("{file} holds no posts or comments.", file=display)
    if run.rejected > 3:
        return Rejected(
            "Nothing in {file} could be imported: {rejections} (and {more} more).",
            file=display,
            rejections=run.errors[:3],
            more=run.rejected - 3,
        )
    return Rejected(
        "Nothing in {file} could be imported: {rejections}.",
        file=display,
        rejections=run.errors[:3],
    )


# --- what the Sources page and the CLI call ---------------------------------------------------


def preview_columns(
    path: str | os.PathLike[str], *, rows: int = 5, db: Database | None = None
) -> dict[str, Any]:
    """A table's header, first ``rows`` rows (as text) and the column mapping Citra would use.

    Returns ``{"headers", "rows", "mapping" ({field: header}), "certain" (date and text found),
    "fields" (every mappable field)}``. With ``db``, saved presets are taken into account.
    Raises :class:`ImportRejected` for a file that is not a readable table.
    """
    path = Path(path)
    source = _file_source(path, path.name)
    ctx = ReadContext(presets=list_presets(db) if db is not None else [])
    try:
        with open_table(source) as table:
            indexes = resolve_mapping(table.headers, ctx) or map_headers(table.headers)
            sample = []
            for _, cells in table.rows:
                if isinstance(cells, Rejection):
                    continue
                sample.append(["" if c is None else str(c) for c in cells])
                if len(sample) >= rows:
                    break
    except FormatError as exc:
        raise Rejected.of(exc, path.name) from exc
    return {
        "headers": table.headers,
        "rows": sample,
        "mapping": {field: table.headers[i] for field, i in indexes.items()},
        "certain": is_certain(indexes),
        "fields": list(FIELDS),
    }


def save_column_preset(
    db: Database, name: str, mapping: Mapping[str, str], headers: list[str] | tuple[str, ...] = ()
) -> int:
    """Save a named column mapping (``{field: header}``) for generic tables; returns its id."""
    return save_preset(db, name, mapping, headers)


def remove_column_preset(db: Database, name: str) -> bool:
    """Delete a saved column preset; ``False`` if none had that name."""
    return delete_preset(db, name)


def column_presets(db: Database) -> list[dict[str, Any]]:
    """Saved column presets (see :func:`citra.queries.imports.list_presets`)."""
    return list_presets(db)


def import_history(
    db: Database, limit: int = 50, kinds: tuple[str, ...] | None = None
) -> list[dict[str, Any]]:
    """The latest imports, newest first, of the given ``kinds`` (``file``, ``whatsapp``,
    ``collect``, ...; default all; see :func:`citra.queries.imports.list_imports`)."""
    return list_imports(db, limit, kinds=kinds)


@dataclass(frozen=True)
class Undone:
    """What undoing an import removed or restored, and the sentence that says so (``template``
    and ``values``, translated like any message; :meth:`message` in one language)."""

    import_id: int
    kind: str
    mentions: int = 0
    chat_messages: int = 0
    members_removed: int = 0
    members_restored: int = 0
    attendance_removed: int = 0
    attendance_restored: int = 0

    @property
    def template(self) -> str:
        if self.kind == "members":
            return (
                "Import #{id} undone: {removed} members removed, {restored} restored to their "
                "earlier details."
            )
        if self.kind == "attendance":
            return (
                "Import #{id} undone: {removed} attendance records removed, {restored} restored "
                "to their earlier values."
            )
        if self.kind == "whatsapp" or (self.chat_messages and not self.mentions):
            return "Import #{id} undone: {count} chat messages removed."
        return "Import #{id} undone: {count} mentions removed."

    @property
    def values(self) -> dict[str, Any]:
        """The template's values, numbers written the English way (see :meth:`values_in`)."""
        return self.values_in("en")

    def values_in(self, lang: str) -> dict[str, Any]:
        """The template's values, numbers written for ``lang`` (``citra.formatting``)."""
        removed, restored = (
            (self.attendance_removed, self.attendance_restored)
            if self.kind == "attendance"
            else (self.members_removed, self.members_restored)
        )
        return {
            "id": self.import_id,
            "count": format_number(self.mentions + self.chat_messages, lang),
            "removed": format_number(removed, lang),
            "restored": format_number(restored, lang),
        }

    def message(self, lang: str = "en") -> str:
        return render(self.template, lang, self.values_in(lang))


def undo(db: Database, import_id: int) -> Undone:
    """Take back what import ``import_id`` did (its mentions, a WhatsApp import's chat messages,
    a member list's or an attendance list's changes; ``citra.store.imports.undo_import``) and say
    how much.

    Raises :class:`CitraError` for an unknown id, an import already undone, and a member or
    attendance list whose members or rows were changed since (the message names the later
    import to undo first).
    """
    found = get_import(db, import_id)
    if found is None:
        raise CitraError("There is no import #{id}.", id=import_id)
    if found["status"] == "undone":
        raise CitraError("Import #{id} was already undone.", id=import_id)
    if found["status"] == "failed":
        raise CitraError("Import #{id} added nothing (it failed).", id=import_id)
    if found["status"] != "done":
        raise CitraError("Import #{id} is still running.", id=import_id)
    if found["is_demo"] and found["kind"] in ("members", "attendance"):
        # The demo's members keep no before-images: they go with the rest of the demo.
        raise CitraError(
            "Import #{id} is part of the demo data: remove the demo data instead (Settings).",
            id=import_id,
        )
    counts = undo_import(db, import_id)
    return Undone(import_id, found["kind"], **counts)


def formats() -> list[dict[str, str]]:
    """The known formats with their titles and how to get each export (for help texts)."""
    return [
        {"name": f.name, "title": f.title, "how_to_get": f.how_to_get}
        for f in registry.FORMATS.values()
    ]
