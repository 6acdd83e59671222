"""Sources page, "Import" tab: drop export files, watch progress, read the summary, undo.

Mounted by the lead as a tab of the Sources ("Sumber") page: ``render(t)`` with ``t`` the
session's translator. Imports and undoes through ``citra.pipeline`` inside ``ui.writer``, reads
through ``ui.cached`` and ``citra.sources`` (no SQL, no ``collectors`` here).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import streamlit as st

from citra import pipeline, ui
from citra.errors import CitraError
from citra.formatting import format_datetime, format_number
from citra.sources import (
    NeedsColumnMapping,
    formats,
    import_history,
    preview_columns,
    save_column_preset,
)

Translate = Callable[..., str]
STATE_RESULTS = "imports_results"
STATE_PENDING = "imports_pending"
STATE_FOLDER = "imports_folder"
SHOWN_REJECTIONS = 200
FIELD_LABELS = {
    "date": "Date",
    "text": "Text",
    "title": "Title",
    "url": "Link",
    "author": "Author",
    "handle": "Username",
    "platform": "Platform",
    "sentiment": "Sentiment",
    "reach": "Reach",
    "likes": "Likes",
    "comments": "Comments",
    "shares": "Shares",
    "views": "Views",
    "id": "Post id",
}
STATUS_LABELS = {"done": "Imported", "failed": "Failed", "undone": "Undone", "running": "Running"}
# What an import of each kind is called when it has no file name; feed collections are shown on
# the News feeds tab, not in the import history.
KIND_LABELS = {
    "file": "Export file",
    "whatsapp": "WhatsApp chat",
    "members": "Member list",
    "attendance": "Attendance list",
    "demo": "Demo data",
}
HISTORY_KINDS = tuple(KIND_LABELS)
# Member and attendance lists are undone from their before-images (citra.store.member_history).
UNDOABLE_LISTS = ("members", "attendance")


class Upload(Protocol):
    """What ``st.file_uploader`` returns per file (and what tests pass instead)."""

    name: str

    def getvalue(self) -> bytes: ...


def _lang(t: Translate) -> str:
    return str(getattr(t, "lang", "id"))


def summary_text(summary: dict[str, Any], t: Translate) -> str:
    """``"312 baru, 41 duplikat, 2 baris ditolak: baris 17: tanggal tidak terbaca"``."""
    text = t(
        "{added} new, {duplicates} duplicates, {rejected} rows rejected",
        added=format_number(summary["added"], _lang(t)),
        duplicates=format_number(summary["duplicates"], _lang(t)),
        rejected=format_number(summary["rejected_count"], _lang(t)),
    )
    if summary.get("skipped_no_text"):
        skipped = format_number(summary["skipped_no_text"], _lang(t))
        text += ", " + t("{count} skipped: no text", count=skipped)
    if summary["rejected"]:
        first = CitraError.from_dict(summary["rejected"][0])
        text += f": {first.describe(_lang(t))}"
    return text


def failure(result: dict[str, Any]) -> CitraError:
    """Why a file of :func:`import_uploads` was not imported (show it with ``describe``)."""
    return CitraError.from_dict(result["failure"])


def _folder() -> Path:
    if STATE_FOLDER not in st.session_state:
        st.session_state[STATE_FOLDER] = tempfile.mkdtemp(prefix="citra-upload-")
    return Path(st.session_state[STATE_FOLDER])


def save_upload(upload: Upload, folder: Path) -> Path:
    """Write an uploaded file under ``folder`` with its own (sanitised) name."""
    name = Path(upload.name.replace("\\", "/")).name or "upload"
    target = folder / f"{len(list(folder.iterdir()))}-{name}"
    target.write_bytes(upload.getvalue())
    return target


def import_uploads(
    uploads: list[Upload],
    folder: Path,
    progress: Callable[[float, str], None] | None = None,
) -> list[dict[str, Any]]:
    """Import each uploaded file; one result per file: ``{"file", "summary"}`` on success,
    ``{"file", "error", "failure"}`` when nothing was imported (the English message, and the
    error as ``CitraError.as_dict`` for :func:`failure`), plus ``{"headers", "mapping",
    "path"}`` when a table needs its columns mapped."""
    results: list[dict[str, Any]] = []
    with ui.writer() as db:
        for index, upload in enumerate(uploads):
            path = save_upload(upload, folder)

            def report(
                fraction: float, _name: str, index: int = index, label: str = upload.name
            ) -> None:
                if progress is not None:
                    progress((index + fraction) / len(uploads), label)

            keep = False  # only a table waiting for its column mapping stays on disk
            try:
                summary = pipeline.import_file(db, path, name=upload.name, progress=report)
                results.append({"file": upload.name, "summary": summary})
            except NeedsColumnMapping as exc:
                keep = True
                results.append(
                    {
                        "file": upload.name,
                        "error": str(exc),
                        "failure": exc.as_dict(),
                        "headers": exc.headers,
                        "mapping": exc.mapping,
                        "path": str(path),
                    }
                )
            except CitraError as exc:
                results.append({"file": upload.name, "error": str(exc), "failure": exc.as_dict()})
            finally:
                if not keep:
                    path.unlink(missing_ok=True)
    return results


def _show_results(results: list[dict[str, Any]], t: Translate) -> None:
    for result in results:
        if "summary" in result:
            summary = result["summary"]
            shown = ui.plain(result["file"])
            st.success(f"**{shown}** ({summary['format']}): {summary_text(summary, t)}")
            if summary.get("unattributed"):
                st.info(
                    t(
                        "{count} of the new mentions name neither your cooperative nor a peer; "
                        "add names or keywords to the profile in Settings to attribute them.",
                        count=summary["unattributed"],
                    )
                )
            for note in summary.get("notes", []):
                values = {
                    k: ui.plain(v) if isinstance(v, str) else v for k, v in note["values"].items()
                }
                st.info(t(note["template"], **values))
            if summary["already_imported"]:
                st.info(
                    t(
                        "This file was imported before (import #{id}); nothing new was added.",
                        id=summary["already_imported"]["id"],
                    )
                    if not summary["added"]
                    else t(
                        "This file was imported before (import #{id}).",
                        id=summary["already_imported"]["id"],
                    )
                )
            if summary["rejected"]:
                with st.expander(t("Rejected rows ({count})", count=summary["rejected_count"])):
                    st.dataframe(
                        [
                            _rejection_row(CitraError.from_dict(item), t)
                            for item in summary["rejected"][:SHOWN_REJECTIONS]
                        ],
                        hide_index=True,
                        placeholder="–",
                    )
        elif "headers" not in result:
            ui.show_error(failure(result))


def _rejection_row(error: CitraError, t: Translate) -> dict[str, str]:
    return {
        t("Location"): error.location.describe(_lang(t)) if error.location else "",
        t("Why"): error.message(_lang(t)),
    }


def _mapping_form(pending: dict[str, Any], number: int, t: Translate) -> None:
    st.warning(
        t(
            "{file}: Citra could not tell which column holds the date and the text. "
            "Choose them below.",
            file=pending["file"],
        )
    )
    try:
        preview = preview_columns(pending["path"])
    except CitraError as exc:
        ui.show_error(exc)
        return
    st.dataframe(
        [dict(zip(preview["headers"], row, strict=False)) for row in preview["rows"]],
        hide_index=True,
        placeholder="–",
    )
    options = ["", *preview["headers"]]
    chosen: dict[str, str] = {}
    columns = st.columns(4)
    for index, (field, label) in enumerate(FIELD_LABELS.items()):
        guess = pending["mapping"].get(field, "")
        with columns[index % 4]:
            chosen[field] = st.selectbox(
                t(label),
                options,
                index=options.index(guess) if guess in options else 0,
                key=f"imports-map-{number}-{field}",
                placeholder=t("Choose an option"),
            )
    name = st.text_input(t("Preset name"), key=f"imports-preset-{number}")
    if st.button(t("Save preset and import"), key=f"imports-apply-{number}"):
        mapping = {field: header for field, header in chosen.items() if header}
        try:
            with ui.writer() as db:
                save_column_preset(db, name, mapping, preview["headers"])
                summary = pipeline.import_file(
                    db, pending["path"], name=pending["file"], mapping=mapping
                )
        except CitraError as exc:
            ui.show_error(exc)
            return
        st.session_state[STATE_PENDING] = [
            p for p in st.session_state.get(STATE_PENDING, []) if p["path"] != pending["path"]
        ]
        Path(pending["path"]).unlink(missing_ok=True)
        st.session_state[STATE_RESULTS] = [{"file": pending["file"], "summary": summary}]
        st.rerun()


def _history(t: Translate) -> None:
    st.subheader(t("Import history"))
    history = ui.cached(import_history, 30, kinds=HISTORY_KINDS)
    tz = ui.timezone()
    if not history:
        st.caption(t("No imports yet."))
        return
    lang = ui.lang()
    for item in history:
        cols = st.columns([1, 4, 3, 2, 3, 2])
        cols[0].write(f"#{item['id']}")
        cols[1].write(ui.plain(item["file_name"]) or t(KIND_LABELS.get(item["kind"], "Import")))
        cols[2].write(format_datetime(item["finished_at"] or item["started_at"], lang, tz))
        cols[3].write(t(STATUS_LABELS.get(item["status"], item["status"])))
        cols[4].write(
            t(
                "{added} new, {duplicates} duplicates, {rejected} rows rejected",
                added=format_number(item["added"], lang),
                duplicates=format_number(item["duplicates"], lang),
                rejected=format_number(item["rejected"], lang),
            )
        )
        if undoable(item) and cols[5].button(t("Undo"), key=f"imports-undo-{item['id']}"):
            try:
                with ui.writer() as db:
                    undone = pipeline.undo(db, item["id"])
            except CitraError as exc:
                ui.show_error(exc)  # e.g. a later member list changed the same members
            else:
                st.session_state[STATE_RESULTS] = []
                st.toast(undone.message(lang))
                st.rerun()


def undoable(item: dict[str, Any]) -> bool:
    """Whether the history offers Undo for an import: a finished export file or chat that added
    something; a finished member or attendance list, not the demo's, that added or updated
    something (feed collections are not in this history)."""
    if item["status"] != "done":
        return False
    if item["kind"] in ("file", "whatsapp"):
        return bool(item["added"])
    if item["kind"] not in UNDOABLE_LISTS or item["is_demo"]:
        return False  # the demo's lists go with the rest of the demo (Settings)
    return bool(item["added"] or item["duplicates"])


def render(t: Translate) -> None:
    """Draw the import tab: uploader, progress, summaries, column mapping, history with undo."""
    st.subheader(t("Import exports"))
    st.caption(
        t(
            "X, Facebook, Instagram, YouTube, TikTok downloads, Meta Business Suite insights, "
            "Brand24 and Mention exports, WhatsApp group chats, or any CSV/Excel table. "
            "Zip files are fine."
        )
    )
    with st.expander(t("How to get each export")):
        st.markdown("\n".join(f"- **{f['title']}**: {f['how_to_get']}" for f in formats()))
    uploads = st.file_uploader(
        t("Add export files here"),
        accept_multiple_files=True,
        key="imports-uploader",
        help=ui.upload_help(),
    )
    if st.button(t("Import"), disabled=not uploads, type="primary", key="imports-start"):
        bar = st.progress(0.0, text=t("Importing..."))

        def progress(fraction: float, name: str) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=t("Importing {file}...", file=name))

        results = import_uploads(list(uploads or []), _folder(), progress)
        bar.progress(1.0, text=t("Done"))
        st.session_state[STATE_RESULTS] = results
        st.session_state[STATE_PENDING] = [r for r in results if "headers" in r]
    _show_results(st.session_state.get(STATE_RESULTS, []), t)
    for number, pending in enumerate(st.session_state.get(STATE_PENDING, [])):
        _mapping_form(pending, number, t)
    _history(t)
