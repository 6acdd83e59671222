"""Sources page, "Import" tab: drop export files, watch progress, read the summary, undo.

Mounted by the lead as a tab of the Sources ("Sumber") page: ``render(t)`` with ``t`` the
session's translator. Calls only ``collectors.importer`` (no SQL here); the database is the
app's (``CITRA_DB``), opened for writing with ``citra.store.open_db`` for each change.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import streamlit as st

from citra import store
from citra.errors import CitraError
from collectors.common import REASONS
from collectors.importer import (
    NeedsColumnMapping,
    Rejected,
    formats,
    import_history,
    import_path,
    preview_columns,
    save_column_preset,
    undo,
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
WHERE_LABELS = {
    "line": "line {n}",
    "row": "row {n}",
    "record": "record {n}",
    "comment": "comment {n}",
    "video": "video {n}",
}
_WHERE = re.compile(r"^(?:(?P<file>.+), )?(?P<unit>line|row|record|comment|video) (?P<n>\d+)$")


class Upload(Protocol):
    """What ``st.file_uploader`` returns per file (and what tests pass instead)."""

    name: str

    def getvalue(self) -> bytes: ...


def describe_where(where: str, t: Translate) -> str:
    """``"line 17"`` -> ``"baris 17"``; a file prefix (``"a.csv, line 3"``) is kept."""
    match = _WHERE.match(where)
    if not match:
        return where
    place = t(WHERE_LABELS[match["unit"]], n=match["n"])
    return f"{match['file']}, {place}" if match["file"] else place


def describe_reason(reason: str, t: Translate) -> str:
    """A rejection reason in the UI language: the fixed phrase translated, the value kept."""
    phrase, sep, rest = reason.partition(": ")
    if phrase in REASONS:
        return t(phrase) + (sep + rest if sep else "")
    return reason


def summary_text(summary: dict[str, Any], t: Translate) -> str:
    """``"312 baru, 41 duplikat, 2 baris ditolak: baris 17 tanggal tidak terbaca"``."""
    text = t(
        "{added} new, {duplicates} duplicates, {rejected} rows rejected",
        added=f"{summary['added']:,}".replace(",", "."),
        duplicates=f"{summary['duplicates']:,}".replace(",", "."),
        rejected=f"{summary['rejected_count']:,}".replace(",", "."),
    )
    if summary["rejected"]:
        first = summary["rejected"][0]
        text += f": {describe_where(first['where'], t)} {describe_reason(first['reason'], t)}"
    return text


def error_text(result: dict[str, Any], t: Translate) -> str:
    """Why a file was not imported, in the UI language when the reason is a known sentence."""
    if "template" in result:
        return t(result["template"], **result["values"])
    return f"{result['file']}: {result['error']}"


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
    db_path: str | None = None,
) -> list[dict[str, Any]]:
    """Import each uploaded file; one result per file: ``{"file", "summary"}`` on success,
    ``{"file", "error"}`` when nothing was imported, plus ``{"headers", "mapping", "path"}``
    when a table needs its columns mapped."""
    results: list[dict[str, Any]] = []
    db = store.open_db(store.resolve_db_path(db_path))
    try:
        for index, upload in enumerate(uploads):
            path = save_upload(upload, folder)

            def report(
                fraction: float, _name: str, index: int = index, label: str = upload.name
            ) -> None:
                if progress is not None:
                    progress((index + fraction) / len(uploads), label)

            keep = False  # only a table waiting for its column mapping stays on disk
            try:
                summary = import_path(db, path, name=upload.name, progress=report)
                results.append({"file": upload.name, "summary": summary})
            except NeedsColumnMapping as exc:
                keep = True
                results.append(
                    {
                        "file": upload.name,
                        "error": str(exc),
                        "template": exc.template,
                        "values": exc.values,
                        "headers": exc.headers,
                        "mapping": exc.mapping,
                        "path": str(path),
                    }
                )
            except Rejected as exc:
                results.append(
                    {
                        "file": upload.name,
                        "error": str(exc),
                        "template": exc.template,
                        "values": exc.values,
                    }
                )
            except CitraError as exc:
                results.append({"file": upload.name, "error": str(exc)})
            finally:
                if not keep:
                    path.unlink(missing_ok=True)
    finally:
        db.close()
    st.cache_data.clear()
    return results


def _show_results(results: list[dict[str, Any]], t: Translate) -> None:
    for result in results:
        if "summary" in result:
            summary = result["summary"]
            st.success(f"**{result['file']}** ({summary['format']}): {summary_text(summary, t)}")
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
                            {
                                t("Location"): describe_where(item["where"], t),
                                t("Why"): describe_reason(item["reason"], t),
                            }
                            for item in summary["rejected"][:SHOWN_REJECTIONS]
                        ],
                        hide_index=True,
                    )
        elif "headers" not in result:
            st.error(error_text(result, t))


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
        st.error(str(exc))
        return
    st.dataframe(
        [dict(zip(preview["headers"], row, strict=False)) for row in preview["rows"]],
        hide_index=True,
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
            )
    name = st.text_input(t("Preset name"), key=f"imports-preset-{number}")
    if st.button(t("Save preset and import"), key=f"imports-apply-{number}"):
        mapping = {field: header for field, header in chosen.items() if header}
        db = store.open_db(store.resolve_db_path())
        try:
            save_column_preset(db, name, mapping, preview["headers"])
            summary = import_path(db, pending["path"], name=pending["file"], mapping=mapping)
        except Rejected as exc:
            st.error(t(exc.template, **exc.values))
            return
        except CitraError as exc:
            st.error(str(exc))
            return
        finally:
            db.close()
        st.cache_data.clear()
        st.session_state[STATE_PENDING] = [
            p for p in st.session_state.get(STATE_PENDING, []) if p["path"] != pending["path"]
        ]
        Path(pending["path"]).unlink(missing_ok=True)
        st.session_state[STATE_RESULTS] = [{"file": pending["file"], "summary": summary}]
        st.rerun()


def _history(t: Translate) -> None:
    st.subheader(t("Import history"))
    db = store.open_db(store.resolve_db_path())
    try:
        history = import_history(db, 30)
    finally:
        db.close()
    if not history:
        st.caption(t("No imports yet."))
        return
    for item in history:
        cols = st.columns([1, 4, 2, 3, 2])
        cols[0].write(f"#{item['id']}")
        cols[1].write(item["file_name"] or "-")
        cols[2].write(t(STATUS_LABELS.get(item["status"], item["status"])))
        cols[3].write(
            t(
                "{added} new, {duplicates} duplicates, {rejected} rows rejected",
                added=item["added"],
                duplicates=item["duplicates"],
                rejected=item["rejected"],
            )
        )
        undoable = item["status"] == "done" and item["added"]
        if undoable and cols[4].button(t("Undo"), key=f"imports-undo-{item['id']}"):
            db = store.open_db(store.resolve_db_path())
            try:
                undone = undo(db, item["id"])
            finally:
                db.close()
            st.cache_data.clear()
            st.session_state[STATE_RESULTS] = []
            st.toast(t(undone.template, **undone.values))
            st.rerun()


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
        t("Add export files here"), accept_multiple_files=True, key="imports-uploader"
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
