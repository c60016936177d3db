"""Content hashes for the caches: of input files, and of the source files a result depends on."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path


@cache
def _digest(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """Content hash of a file, memoised per (path, size, mtime) for the life of the process."""
    st = Path(path).stat()
    return _digest(str(path), st.st_size, st.st_mtime_ns)


def sources_digest(paths: Iterable[Path]) -> str:
    """One hash of several files' names and bytes (the code a cached result was made by)."""
    h = hashlib.blake2b(digest_size=20)
    for path in paths:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
