"""``pathways validate``: the gate from the command line, for analysts and data clerks.

Exit codes: 0 every year checked passed, 1 something was refused, 2 the arguments are
wrong (unknown partnership, bad year, no such folder). Argument errors are a message,
never a traceback.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from pathways.errors import OutputNotWritten, PathwaysError, io_error
from pathways.gate.findings import GateResult
from pathways.gate.validate import validate_submission
from pathways.io.paths import PARTNERSHIP_ID_PATTERN, check_partnership_id, check_year, is_year_text
from pathways.io.submission import list_folder

LOCAL_FOLDER_ID = "local-folder"


def run_validate(
    target: str, year: int | str | None, data_dir: Path, registry_path: Path, out_dir: Path, as_json: bool
) -> int:
    """Validate a partnership (one year, or all years) or a folder of CSV files; print the clerk report.

    Results that cannot be written (read-only or full ``out_dir``) still print, then exit 2.
    """
    try:
        jobs = _plan(target, year, Path(data_dir), Path(registry_path))
    except PathwaysError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results: dict[int, GateResult] = {}
    not_written: OutputNotWritten | None = None
    for pid, y, folder, history in jobs:
        docs = Path(out_dir) / "validation" / (pid or LOCAL_FOLDER_ID) / str(y)
        try:
            results[y] = validate_submission(
                folder, y, partnership_id=pid, history_dir=history, docs_dir=None if not_written else docs
            )
        except OutputNotWritten as exc:
            results[y], not_written = exc.result, exc
        except PathwaysError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:  # anything the gate's own messages did not foresee
            print(
                f"error: {io_error(exc, 'validate', 'check that the data folder is readable.')}",
                file=sys.stderr,
            )
            return 2
    if as_json:
        payload = (
            next(iter(results.values())).to_dict()
            if len(results) == 1
            else {
                "passed": all(r.passed for r in results.values()),
                "years": {str(y): r.to_dict() for y, r in results.items()},
            }
        )
        print(json.dumps(payload, indent=2))
    else:
        print("\n\n".join(r.render_text() for r in results.values()))
        if not not_written:
            where = Path(out_dir) / "validation"
            print(f"\nFull results (result.json and GX Data Docs) are under {where}/.")
    if not_written:
        print(f"error: {not_written}", file=sys.stderr)
        return 2
    return 0 if all(r.passed for r in results.values()) else 1


def _plan(target: str, year: int | str | None, data_dir: Path, registry_path: Path):
    """(partnership id or None, year, folder, history dir or None) for each year to validate."""
    folder = Path(target)
    # A folder wins unless the name is also a partnership with data (``pathways validate 2024``
    # run inside ``<data>/<pid>`` means the folder ``2024``).
    if folder.is_dir() and not (
        re.fullmatch(PARTNERSHIP_ID_PATTERN, target) and (data_dir / target).is_dir()
    ):
        return [_folder_job(folder, year)]
    if not re.fullmatch(PARTNERSHIP_ID_PATTERN, target):
        raise PathwaysError(f"{target!r} is neither a partnership id nor a folder of CSV files")
    pid = check_partnership_id(target)
    from pathways.io.registry import load_registry

    load_registry(registry_path).get(pid)  # unknown partnership: RegistryError, a message
    root = data_dir / pid
    if year is not None:
        y = check_year(year)
        if not (root / str(y)).is_dir():
            raise PathwaysError(f"there is no submission for {pid} {y}: {root / str(y)} does not exist")
        return [(pid, y, root / str(y), root)]
    from pathways.io.submission import submitted_years

    years = submitted_years(data_dir, pid)
    if not years:
        raise PathwaysError(f"there are no submissions for {pid} under {data_dir}/")
    return [(pid, y, root / str(y), root) for y in years]


def _folder_job(folder: Path, year: int | str | None):
    if year is None:
        if not is_year_text(folder.name):
            raise PathwaysError(
                f"give the school year: the folder name {folder.name!r} is not a year such as 2024"
            )
        year = folder.name
    y = check_year(year)
    parent = folder.resolve().parent
    pid = parent.name if re.fullmatch(PARTNERSHIP_ID_PATTERN, parent.name) else None
    # Earlier years next to the folder (<data>/<pid>/<year>) allow the cross-year checks; a lone
    # folder a clerk is about to send has none, and those checks are skipped with a warning.
    siblings = [p for p in list_folder(parent) if is_year_text(p.name) and int(p.name) < y and p.is_dir()]
    history = parent if siblings and is_year_text(folder.name) else None
    return (pid if history else None, y, folder, history)


def run_regenerate_suites(directory: Path | None = None) -> int:
    """CLI hook for ``pathways validate --regenerate-suites``: rewrite ``validations/*.json``."""
    from pathways.gate.suites import DEFAULT_SUITES_DIR, regenerate_suites

    try:
        print(regenerate_suites(directory or DEFAULT_SUITES_DIR))
    except OSError as exc:
        print(
            f"error: {io_error(exc, 'write the suites to', 'make the validations/ folder writable.')}",
            file=sys.stderr,
        )
        return 2
    return 0
