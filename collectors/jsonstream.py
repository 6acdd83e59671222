"""Streaming the items out of large JSON (and X's ``.js``) exports with ijson, never whole.

X wraps its JSON in a JavaScript assignment (``window.YTD.tweets.part0 = [...]``); the prefix is
skipped as bytes, the rest parsed as JSON, and nothing is ever evaluated. No string is built
longer than :data:`collectors.limits.MAX_JSON_STRING_BYTES`: longer ones are cut as they stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from collectors.base import Source
from collectors.common import FormatError
from collectors.limits import cap_json_strings
from collectors.textfiles import looks_binary, refuse_empty_or_html

_JS_ASSIGNMENT = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*window\.YTD\.[\w.]+\s*=\s*")


def json_start(head: bytes) -> int:
    """Where the JSON value starts: after X's ``window.YTD.... =`` prefix, else 0."""
    match = _JS_ASSIGNMENT.match(head)
    return match.end() if match else 0


def check_json(source: Source) -> None:
    """Refuse an empty, binary or HTML file before parsing it as JSON, with a plain reason."""
    head = source.read_head()
    refuse_empty_or_html(head, source.name)
    body = head[json_start(head) :].lstrip(b"\xef\xbb\xbf \t\r\n")
    if looks_binary(head) or not body.startswith((b"[", b"{")):
        raise FormatError("{file} is not JSON (it does not start with [ or {{).", file=source.name)


def _skip(stream: IO[bytes], count: int) -> IO[bytes]:
    while count > 0:
        chunk = stream.read(min(count, 65536))
        if not chunk:
            break
        count -= len(chunk)
    return stream


def iter_items(source: Source, targets: Mapping[str, str]) -> Iterator[tuple[str, Any]]:
    """``(kind, value)`` for every JSON value found at one of ``targets``' paths.

    ``targets`` maps an ijson path, matched case-insensitively (``"comment.comments.
    commentslist.item"``), to a kind name the reader understands. Raises :class:`FormatError`
    when the JSON is damaged or cut short; the caller's transaction then writes nothing.
    """
    check_json(source)
    wanted = {path.lower(): kind for path, kind in targets.items()}
    with source.open() as raw:
        stream = cap_json_strings(_skip(raw, json_start(source.read_head())), file=source.name)
        builder: ObjectBuilder | None = None
        kind = ""
        depth = 0
        try:
            for prefix, event, value in ijson.parse(stream, use_float=True):
                if builder is None:
                    found = wanted.get(prefix.lower())
                    if found is None or event in ("map_key", "end_map", "end_array"):
                        continue
                    if event not in ("start_map", "start_array"):
                        yield found, value
                        continue
                    builder, kind, depth = ObjectBuilder(), found, 0
                builder.event(event, value)
                if event in ("start_map", "start_array"):
                    depth += 1
                elif event in ("end_map", "end_array"):
                    depth -= 1
                    if depth == 0:
                        yield kind, builder.value
                        builder = None
        except ijson.JSONError as exc:
            raise FormatError(
                "{file}: the JSON is damaged or cut short (truncated); nothing was imported "
                "from it ({detail}).",
                file=source.name,
                detail=str(exc).strip()[:80],
            ) from exc
        except UnicodeDecodeError as exc:
            raise FormatError(
                "{file}: the JSON is not valid UTF-8 ({detail}).", file=source.name, detail=str(exc)
            ) from exc


def top_level_keys(head: bytes) -> bytes:
    """The start of a JSON file, lower-cased, for detectors that look for key names."""
    return head[:8192].lower()
