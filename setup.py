"""Builds the compiled fast path: mypyc compiles ``citra/sentiment/fast.py`` to a C extension.

``make install`` runs ``python setup.py build_ext --inplace`` (the extension lands beside
``fast.py``); ``pip install .`` builds it into the wheel. Everything else about the package is in
pyproject.toml. The build also writes the SHA-256 of the source it compiled beside the extension
(``fast.compiled-from``): ``citra.sentiment.compiled`` loads ``fast.py`` itself when the two
differ, so a build older than the source is never used. Without mypy or a C compiler the build
fails and the Python module is used.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from mypyc.build import mypycify
from setuptools import setup
from setuptools.command.build_ext import build_ext

SOURCE = Path("citra/sentiment/fast.py")
STAMP = "fast.compiled-from"


class BuildWithStamp(build_ext):
    def run(self) -> None:
        super().run()
        folder = SOURCE.parent if self.inplace else Path(self.build_lib) / SOURCE.parent
        digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
        (folder / STAMP).write_text(digest + "\n", encoding="ascii")


setup(ext_modules=mypycify([str(SOURCE)], opt_level="3"), cmdclass={"build_ext": BuildWithStamp})
