"""Output folders that readers see whole: a job's new folder replaces the old one only when
the job succeeded, and a crash at any point leaves either the old folder or the new one.

A folder is built aside (``<name>.staging-<id>``), then the old one is renamed to
``<name>.replaced-<id>``, the new one renamed into place, and the old one deleted. A process
killed between the two renames leaves the old folder under its ``.replaced-`` name, which
:func:`recover` (run under the output folder's lock) puts back.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

STAGING = ".staging-"
REPLACED = ".replaced-"
WITHDRAWN = ".withdrawn"


def staging_for(target: Path) -> Path:
    return target.with_name(f"{target.name}{STAGING}{uuid.uuid4().hex[:12]}")


def replace_folder(staging: Path, target: Path) -> None:
    """Put ``staging`` in the place of ``target`` (which may not exist yet)."""
    old = target.with_name(f"{target.name}{REPLACED}{uuid.uuid4().hex[:12]}")
    had_old = target.exists()
    if had_old:
        os.rename(target, old)
    try:
        os.rename(staging, target)
    except BaseException:
        if had_old and not target.exists():
            os.rename(old, target)
        raise
    if had_old:
        shutil.rmtree(old, ignore_errors=True)


def withdraw(path: Path, runs_root: Path) -> Path | None:
    """Move ``path`` (under ``runs_root``) to ``runs_root/.withdrawn/``, keeping it but out of every
    reader's way. Returns where it went, or None when there was nothing to move."""
    if not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    rel = path.relative_to(runs_root)
    target = runs_root / WITHDRAWN / rel.parent / f"{rel.name}-{stamp}-{uuid.uuid4().hex[:6]}"
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(path, target)
    return target


def recover(runs_root: Path) -> list[str]:
    """Undo what a killed run left half-done under ``runs_root``; returns what was put back."""
    restored: list[str] = []
    if not runs_root.is_dir():
        return restored
    # Job folders sit at <p>/<year>/<stem>, statewide/<year>/<stem> and analyses/<stem>.
    candidates = [*runs_root.glob("*/*/*"), *runs_root.glob("*/*")]
    for path in candidates:
        if WITHDRAWN in path.parts or not path.is_dir():
            continue
        name = path.name
        if REPLACED in name:
            target = path.with_name(name.split(REPLACED)[0])
            if target.exists():
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.rename(path, target)
                restored.append(str(target.relative_to(runs_root)))
        elif STAGING in name:
            shutil.rmtree(path, ignore_errors=True)
    return restored
