"""Errors that a user sees as a message, not a traceback."""

from __future__ import annotations

import errno


class PathwaysError(Exception):
    """An error whose message is written for the person running the command."""


class OutputNotWritten(PathwaysError):
    """Results that could not be written (read-only or full folder); the work itself was done."""


_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file would be too large",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.ENOENT: "it does not exist",
    errno.EEXIST: "something else of that name is in the way",
    errno.ELOOP: "it is a link (symlink)",
    errno.EIO: "the disk reported an input/output error",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in words (never the contents of any file)."""
    return _REASONS.get(exc.errno, (exc.strerror or type(exc).__name__).lower())


def io_error(exc: OSError, doing: str, hint: str) -> PathwaysError:
    """One paragraph for a failed read or write: what was being done, where, why, what to do."""
    where = f" {exc.filename}" if exc.filename else ""
    return PathwaysError(f"could not {doing}{where}: {os_reason(exc)}. {hint}")
