"""What a failed read or write of the output folder means for the person running the command."""

from __future__ import annotations

import errno

from pathways.errors import PathwaysError

KEPT = "Published versions, the previous reports and the run manifest are unchanged."


def describe_os_error(exc: OSError, role: str = "output folder (--out)") -> PathwaysError:
    """One paragraph naming the path, what went wrong and what to do; never a traceback."""
    path = exc.filename or "the output folder"
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return PathwaysError(
            f"could not write {path}: {reason} — the disk (or quota) holding the {role} is "
            f"full. Free some space, or choose another folder with --out, and run again. {KEPT}"
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return PathwaysError(
            f"could not write {path}: {reason}. The {role} must be writable: fix its permissions "
            f"or choose another folder with --out, and run again. {KEPT}"
        )
    if exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        return PathwaysError(
            f"{path} cannot be used: {reason} (a file stands where a folder is expected, or the "
            f"reverse). Choose another {role} with --out, or move that file. {KEPT}"
        )
    return PathwaysError(f"could not read or write {path}: {reason}. Check the {role} and run again. {KEPT}")
