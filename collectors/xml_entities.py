"""Refusing XML whose entities would blow up when expanded, before any parser expands them.

A feed can declare an internal entity and reference it thousands of times (the "quadratic
blowup"), or nest entities (the "billion laughs"): a few kilobytes that expand to gigabytes in
the parser. feedparser drops nested declarations but keeps a long flat one, and its fallback
parser expands what it kept. Here the document's prolog alone is read with the standard library's
expat, which reports each declaration and expands nothing; the size the references would add is
computed from the declared values and the references in the rest of the bytes. A feed over
:data:`MAX_EXPANSION` is refused with the reason, so parsing one feed stays within memory.

defusedxml makes the same check by refusing every entity declaration; counting instead keeps the
old feeds that declare a few harmless entities (``&nbsp;``, ``&copy;``) readable.
"""

from __future__ import annotations

import re
import xml.parsers.expat as expat

from citra.errors import CitraError

# Characters that entity references may add to one feed: far above any real feed's use of
# entities (a few &nbsp;), far below what costs memory (the parser keeps several copies).
MAX_EXPANSION = 1_000_000
_ENTITY_DECLARATION = re.compile(
    rb"<!ENTITY\s+(?P<name>[^\s%\"'>]+)\s+(?P<quote>[\"'])(?P<value>.*?)(?P=quote)", re.DOTALL
)
_REFERENCE = re.compile(r"&([^\s&;#]+);")


class _RootReached(Exception):
    """The prolog is over: stop reading."""


def _declared(body: bytes) -> tuple[dict[str, str], int]:
    """The internal general entities declared in ``body``'s DTD (name -> replacement text) and
    where the document's root element starts. Nothing is expanded."""
    values: dict[str, str] = {}
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def on_entity(name: str, is_parameter: int, value: str | None, *_: object) -> None:
        if value is not None:
            values[("%" if is_parameter else "") + name] = value

    def on_start(*_: object) -> None:
        raise _RootReached

    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_start
    try:
        parser.Parse(body, True)
    except _RootReached:
        return values, parser.CurrentByteIndex
    except expat.ExpatError:
        pass
    # Not well-formed before its root element: read the declarations the way a lenient parser
    # would, from the bytes before the first element.
    start = re.search(rb"<[A-Za-z_]", body)
    head = body[: start.start()] if start else body
    for found in _ENTITY_DECLARATION.finditer(head):
        name = found.group("name").decode("utf-8", "replace")
        values[name] = found.group("value").decode("utf-8", "replace")
    return values, len(head)


def _expanded_sizes(values: dict[str, str]) -> dict[str, int]:
    """How long each entity is once expanded (references inside values followed; a cycle
    counts as endless)."""
    sizes: dict[str, int] = {}
    endless = MAX_EXPANSION * 1000

    def size(name: str, path: tuple[str, ...]) -> int:
        if name in sizes:
            return sizes[name]
        if name in path:
            return endless
        value = values[name]
        total = len(_REFERENCE.sub("", value))
        for ref in _REFERENCE.findall(value):
            if ref in values:
                total += size(ref, (*path, name))
            if total > endless:
                break
        sizes[name] = min(total, endless)
        return sizes[name]

    for name in values:
        size(name, ())
    return sizes


def entity_expansion(body: bytes) -> int:
    """An upper bound on the characters ``body``'s entity references would add when expanded
    (0 when it declares no entity). UTF-16 bytes are read as such."""
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        body = body.decode("utf-16", "replace").encode("utf-8")
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", body.lstrip(b"\xef\xbb\xbf"))
    if b"<!ENTITY" not in body:
        return 0
    values, root = _declared(body)
    if not values:
        return 0
    sizes = _expanded_sizes(values)
    rest = body[root:]
    total = 0
    for name, length in sizes.items():
        if name.startswith("%"):
            continue  # parameter entities live in the DTD, already counted in what uses them
        total += rest.count(b"&" + name.encode("utf-8") + b";") * length
    return total


def entity_problem(body: bytes) -> CitraError | None:
    """Why ``body`` is refused as XML (its entities would expand past :data:`MAX_EXPANSION`
    characters), in plain words; ``None`` when it is fine."""
    expansion = entity_expansion(body)
    if expansion <= MAX_EXPANSION:
        return None
    megabytes = expansion / 1_000_000
    shown = f"{megabytes:,.0f} MB" if megabytes >= 10 else f"{megabytes:,.1f} MB"
    return CitraError(
        "the feed declares XML entities that would expand to about {size} (an 'entity "
        "expansion' attack); it was refused unread",
        size=shown,
    )
