"""One process at a time computes a cache entry; the others wait for it, then read it.

Run workers often need the same entry at the same moment: the report, the brief and the closer
look of one partnership-year go out together after its files change, and each job first gates
the year and computes its indicators. Without a lock each worker imports Great Expectations and
does the same work, on cores the other jobs need. With it, the first worker computes; the others
wait (their kernels' templates start meanwhile) and read what it stored.

The lock is an advisory ``flock`` on ``<entry>.lock`` beside the entry: the operating system
releases it when its holder exits or is killed, so a dead worker never leaves the others
waiting. Where no lock can be had (a cache folder that cannot be written, a filesystem without
locks) each process computes on its own, as it would without this module: a lock saves time,
it never decides a result. Entries are written atomically, so two processes that both compute
write the same entry in turn.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def one_at_a_time(entry: Path | None) -> Iterator[None]:
    """Hold the lock of ``entry`` (a path in a cache folder; None: no lock) for the ``with`` block.

    Look for the entry again inside the block: whoever held the lock before may have stored it."""
    if entry is None:
        yield
        return
    lock = entry.with_name(f"{entry.name}.lock")
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        # Remove the lock file only while it is still ours: a waiter that took it over after us
        # may have a new one. The check and the removal are two steps; losing that race costs
        # at most one duplicated computation.
        with contextlib.suppress(OSError):
            if os.stat(lock).st_ino == os.fstat(fd).st_ino:
                os.unlink(lock)
        os.close(fd)
