"""One ``pathways run``, ``build`` or ``publish`` at a time per output folder.

The lock is a small JSON file (``<out>/.pathways.lock``) naming its holder: host, process id
and the process's start time. It is taken and checked under a short ``flock`` on a guard file,
so two commands started at once cannot both take it, and a lock whose holder died (killed,
crashed, machine restarted) is recognised on the same host by the process id no longer
running (or running a different program that reused the id) and taken over. A lock held on
another host (a shared folder) cannot be checked from here; the message says how to clear it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psutil

from pathways.errors import PathwaysError

LOCK_NAME = ".pathways.lock"


class FolderBusy(PathwaysError):
    """Another pathways command is using the output folder."""


def _holder(command: str, token: str) -> dict:
    me = psutil.Process()
    return {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "started": me.create_time(),
        "token": token,
        "command": command,
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _read(lock: Path) -> dict | None:
    """The holder recorded in ``lock``; ``{}`` when the file exists but is unreadable."""
    try:
        text = lock.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _alive(holder: dict) -> bool:
    """Whether the recorded process still runs (True when that cannot be told from this host)."""
    if not holder:  # written half by a process that died while writing it (we hold the guard)
        return False
    if holder.get("host") != socket.gethostname():
        return True
    try:
        process = psutil.Process(int(holder.get("pid", -1)))
        return abs(process.create_time() - float(holder.get("started", 0))) < 1.0
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError, TypeError):
        return False


def _busy_message(out_dir: Path, holder: dict, lock: Path) -> str:
    who = f"`pathways {holder.get('command', '?')}` (process {holder.get('pid', '?')} on {holder.get('host', '?')}"
    who += f", since {holder['since']})" if holder.get("since") else ")"
    advice = "wait for it to finish and run again"
    if holder.get("host") != socket.gethostname():
        advice += (
            f"; if that process no longer runs on {holder.get('host', 'that machine')}, delete {lock} "
            "and run again"
        )
    return f"another {who} is using the output folder {out_dir}; {advice}. Nothing was changed."


@contextmanager
def folder_lock(out_dir: Path, command: str, log: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock for the ``with`` block; raise :class:`FolderBusy` if another holds it."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = out_dir / LOCK_NAME
    token = uuid.uuid4().hex
    stale: dict | None = None
    with open(out_dir / f"{LOCK_NAME}.guard", "a", encoding="utf-8") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # held for the check-and-take only (milliseconds)
        try:
            holder = _read(lock)
            if holder is not None:
                if _alive(holder):
                    raise FolderBusy(_busy_message(out_dir, holder, lock))
                stale = holder
                lock.unlink(missing_ok=True)
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(_holder(command, token), fh)
        finally:
            fcntl.flock(guard, fcntl.LOCK_UN)
    if stale is not None and log is not None:
        who = (
            f"`pathways {stale.get('command')}` (process {stale.get('pid')})"
            if stale
            else "a pathways command"
        )
        log(
            f"note: {who} ended without releasing {lock} (killed or crashed); taking it over and cleaning up "
            "what it left half-done"
        )
    try:
        yield
    finally:
        current = _read(lock)
        if current and current.get("token") == token:
            lock.unlink(missing_ok=True)
