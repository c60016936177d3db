"""Checks on anything that becomes part of a path, before it does, and reads that never follow a link."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from pathways.errors import PathwaysError

PARTNERSHIP_ID_PATTERN = r"^[a-z0-9-]{1,40}$"
# ASCII digits only: Python's \d and int() also take "２０２４" and "٢٠٢٤", which would then
# name a folder that is not the one the partner sent.
YEAR_PATTERN = r"[0-9]{4}"
MIN_YEAR, MAX_YEAR = 2000, 2100


class UnsafeInputError(PathwaysError):
    """A partnership id, year or version that must not become a path."""


class NotARegularFile(OSError):
    """A path that is a symlink, a folder or a special file (FIFO, device, socket), not a file."""

    def __init__(self, path: Path, kind: str):
        self.kind = kind
        super().__init__(f"{path} is {kind}")


def check_partnership_id(value: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(PARTNERSHIP_ID_PATTERN, value):
        raise UnsafeInputError(
            f"partnership id {value!r} is not valid: use 1-40 lower-case letters, digits or '-'"
        )
    return value


def is_year_text(text: str) -> bool:
    return re.fullmatch(YEAR_PATTERN, text) is not None


def check_year(value: int | str) -> int:
    text = str(value).strip() if not isinstance(value, bool) else ""
    if not is_year_text(text) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise UnsafeInputError(f"year {value!r} is not valid: use a four-digit school year such as 2024")
    return int(text)


def submission_dir(data_dir: Path, partnership_id: str, year: int | str) -> Path:
    """The folder of one partnership-year: ``<data>/<partnership>/<year>``."""
    return Path(data_dir) / check_partnership_id(partnership_id) / str(check_year(year))


def entry_kind(path: Path) -> str:
    """What a folder entry is, without following a link: ``missing``, ``file``, ``symlink``,
    ``directory`` or ``special`` (a FIFO, device or socket, which must never be opened)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "missing"
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISDIR(mode):
        return "directory"
    return "file" if stat.S_ISREG(mode) else "special"


def file_identity(path: Path) -> tuple[int, ...] | None:
    """What a regular file is now (device, inode, size, modification and change times), or
    ``None`` for anything else. Saving, replacing or editing a file changes it; ``touch -d`` can
    turn the modification time back but not the change time."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


_KIND_WORDS = {"symlink": "a link (symlink)", "directory": "a folder", "special": "not an ordinary file"}


def read_regular_file(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file (the first ``max_bytes`` when given), never through a link.

    Opened with ``O_NOFOLLOW`` (a link swapped in after a check still is not followed) and
    ``O_NONBLOCK`` (a FIFO cannot hang the reader); anything but a regular file raises
    :class:`NotARegularFile`. Other failures are the ``OSError`` of the system call.
    """
    kind = entry_kind(path)
    if kind not in ("file", "missing"):
        raise NotARegularFile(Path(path), _KIND_WORDS[kind])
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == getattr(os, "ELOOP", None) or entry_kind(path) == "symlink":
            raise NotARegularFile(Path(path), _KIND_WORDS["symlink"]) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(
                Path(path), _KIND_WORDS["directory" if stat.S_ISDIR(info.st_mode) else "special"]
            )
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read() if max_bytes is None else fh.read(max_bytes)
    finally:
        os.close(fd)
