"""Which build of the fast path (``citra.sentiment.fast``) is imported: compiled or Python.

``make install`` compiles ``fast.py`` to a C extension with mypyc (``setup.py``), about 1.7 times
the speed of the Python module, and writes beside it the SHA-256 of the source it compiled
(:data:`STAMP`). Both are built from the one ``fast.py``; the Python module is the fallback and
gives the same scores (``tests/test_sentiment_compiled.py``). :func:`install` (run when
``citra.sentiment`` is imported) makes ``import citra.sentiment.fast`` load ``fast.py`` itself
where the compiled module must not be used:

- it was built from another ``fast.py`` than the one beside it (an edit, a branch switch, a pull:
  a stale build would score by old code), or its stamp is missing;
- ``CITRA_PURE_PYTHON=1`` asks for the Python module (to compare the two, or to debug).

Without a compiled module (no C compiler, Windows without ``make``) Python finds ``fast.py`` as
usual. :func:`status` says which build is in use and why.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import logging
import os
import sys
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

MODULE = "citra.sentiment.fast"
HERE = Path(__file__).resolve().parent
SOURCE = HERE / "fast.py"
# What the build writes beside the compiled module: the SHA-256 of the fast.py it compiled.
STAMP = HERE / "fast.compiled-from"
PURE_ENV = "CITRA_PURE_PYTHON"

log = logging.getLogger(__name__)


def source_digest(path: Path = SOURCE) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compiled_file() -> Path | None:
    """The compiled module beside ``fast.py`` for this Python, if one was built."""
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = HERE / f"fast{suffix}"
        if path.is_file():
            return path
    return None


def _pure_reason() -> str | None:
    """Why ``fast.py`` must be loaded though a compiled module is there (``None``: it need
    not; also ``None`` when there is no compiled module: Python loads ``fast.py`` anyway)."""
    if compiled_file() is None:
        return None
    if os.environ.get(PURE_ENV) == "1":
        return f"{PURE_ENV}=1"
    try:
        built_from = STAMP.read_text(encoding="ascii").strip()
    except OSError:
        return "the compiled module has no stamp of the source it was built from"
    if built_from != source_digest():
        return "the compiled module was built from another fast.py (run make install)"
    return None


class _Finder:
    """A meta path finder that answers for :data:`MODULE` only: ``fast.py``'s spec when the
    compiled module must not be used, else nothing (the usual finders take the compiled one)."""

    reason: str | None = None

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if fullname != MODULE:
            return None
        reason = _pure_reason()
        if reason is None:
            return None
        _Finder.reason = reason
        asked = reason.startswith(PURE_ENV)
        (log.info if asked else log.warning)("citra.sentiment.fast: the Python module: %s", reason)
        return importlib.util.spec_from_file_location(MODULE, SOURCE)


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once); it reads nothing until the fast path
    is imported."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())  # type: ignore[arg-type]


def in_use() -> bool:
    """Whether the imported fast path is the compiled module."""
    from citra.sentiment import fast

    return not str(fast.__file__).endswith(".py")


def status() -> str:
    """Which fast path is in use, and why, in a few words (for the logs and the tests)."""
    if in_use():
        return "compiled (mypyc)"
    if _Finder.reason is not None:
        return f"Python module ({_Finder.reason})"
    return "Python module (no compiled module built)"
