"""Every year of a partnership through the gate, results cached by content hash; refusal as an error.

A partnership-year is computed from all its years up to that year (trends, baselines), so
every one of them must pass: :func:`require_history_pass` is what every verb calls.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from functools import cache
from pathlib import Path

from pathways.errors import PathwaysError, os_reason
from pathways.gate.findings import GateResult
from pathways.gate.validate import validate_submission
from pathways.io.atomic import write_atomically
from pathways.io.entry_lock import one_at_a_time
from pathways.io.hashing import sources_digest
from pathways.io.paths import check_partnership_id, check_year, read_regular_file
from pathways.io.submission import submission_digest, submitted_years

CACHE_ENV = "PATHWAYS_GATE_CACHE"


class GateRefused(PathwaysError):
    """A submission (one year or more) that the gate refused; str() is the clerk message."""

    def __init__(self, result: GateResult | dict[int, GateResult]):
        results = result if isinstance(result, dict) else {result.year: result}
        self.results = {y: r for y, r in sorted(results.items())}
        refused = [r for r in self.results.values() if not r.passed]
        self.result = refused[-1] if refused else next(iter(self.results.values()))
        super().__init__(refusal_message(refused or [self.result]))


def refusal_message(refused: list[GateResult]) -> str:
    """First line: what was refused and the first problem (run summaries show only that line)."""
    first = refused[0]
    years = ", ".join(str(r.year) for r in refused)
    who = first.partnership_id or str(first.folder)
    head = f"The validation gate refused {who} {years}"
    if first.failures:
        head += f": {first.failures[0].message}"
    body = "\n\n".join(r.render_text() for r in refused)
    return f"{head}\n\n{body}"


_MEMORY: dict[str, dict] = {}


@cache
def _rules_digest() -> str:
    """Hash of what the gate's rules are made of (dictionary, reader, gate code).

    Hashing the sources rather than the built suites keeps GX unimported when every result
    is cached, which saves each report notebook several seconds.
    """
    package = Path(__file__).resolve().parents[1]
    sources = [
        package / "data_dictionary.yml",
        package / "io" / "dictionary.py",
        package / "io" / "submission.py",
        *sorted((package / "gate").glob("*.py")),
    ]
    return sources_digest(sources)


def _history_key(data_dir: Path, partnership_id: str, year: int) -> str:
    """Hash of every file a year's result depends on: its own files and the earlier years' ones."""
    h = hashlib.blake2b(digest_size=20)
    h.update(json.dumps([partnership_id, year, _rules_digest()]).encode())
    h.update(submission_digest(data_dir, partnership_id, year).encode())
    return h.hexdigest()


def gate_history(
    data_dir: Path, partnership_id: str, year: int, *, cache_dir: Path | None = None
) -> dict[int, GateResult]:
    """Gate every submitted year up to ``year``; results are reused while the files are unchanged.

    Results are cached in memory by content hash, and also as JSON under ``cache_dir`` (or
    the folder named by the ``PATHWAYS_GATE_CACHE`` environment variable) when given: never
    under the data folder, which may be read-only. A cache that cannot be written only
    costs time: the gate runs again next time.
    """
    data_dir = Path(data_dir)
    check_partnership_id(partnership_id)
    year = check_year(year)
    years = [y for y in submitted_years(data_dir, partnership_id) if y <= year]
    if year not in years:
        raise PathwaysError(f"there is no submission for {partnership_id} {year} under {data_dir}/")
    cache_dir = cache_dir or (Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else None)
    out: dict[int, GateResult] = {}
    for y in years:
        key = _history_key(data_dir, partnership_id, y)
        stored = Path(cache_dir) / f"gate-{key}.json" if cache_dir is not None else None
        cached = _load_entry(stored, key, partnership_id, y)
        if cached is None:
            with one_at_a_time(stored):
                # another worker may have gated this year while this one waited for the lock
                cached = _load_entry(stored, key, partnership_id, y)
                if cached is None:
                    cached = _MEMORY.get(key) or _validate(data_dir, partnership_id, y)
                    if stored is not None:
                        _store_entry(stored, key, cached)  # new, or replacing a damaged or altered entry
        _MEMORY[key] = cached
        out[y] = GateResult.from_dict(cached)
    return out


# A gate cache entry is JSON: {"format", "key", "digest", "result"}. It is used only when it
# parses, names this key, its digest matches its content and it is a consistent result of the
# same partnership-year; anything else (a truncated write, an edited verdict, another year's
# entry copied over) is recomputed and replaced. Nothing read from the cache is executed.
CACHE_FORMAT = "pathways-gate-result/1"
MAX_CACHE_ENTRY_BYTES = 16 << 20


def _entry_digest(key: str, result: object) -> str:
    payload = json.dumps([CACHE_FORMAT, key, result], sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=32).hexdigest()


def _validate(data_dir: Path, partnership_id: str, year: int) -> dict:
    return validate_submission(
        data_dir / partnership_id / str(year),
        year,
        partnership_id=partnership_id,
        history_dir=data_dir / partnership_id,
    ).to_dict()


def _load_entry(path: Path | None, key: str, partnership_id: str, year: int) -> dict | None:
    if path is None:
        return None
    try:
        data = read_regular_file(path, MAX_CACHE_ENTRY_BYTES + 1)
        if len(data) > MAX_CACHE_ENTRY_BYTES:
            return None
        entry = json.loads(data)
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT or entry.get("key") != key:
            return None
        result = entry.get("result")
        if not isinstance(result, dict) or entry.get("digest") != _entry_digest(key, result):
            return None
        gate = GateResult.from_dict(result)
        consistent = (
            isinstance(result.get("passed"), bool)
            and gate.passed == (not gate.failures)
            and gate.partnership_id == partnership_id
            and gate.year == year
        )
        return result if consistent else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _store_entry(path: Path, key: str, result: dict) -> None:
    entry = {"format": CACHE_FORMAT, "key": key, "digest": _entry_digest(key, result), "result": result}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(entry))
    except OSError as exc:
        logging.getLogger(__name__).info("gate cache not written (%s): %s", os_reason(exc), path)


def require_pass(result: GateResult | dict[int, GateResult]) -> GateResult | dict[int, GateResult]:
    """Return ``result`` unchanged, or raise :class:`GateRefused` when anything in it was refused."""
    results = result if isinstance(result, dict) else {result.year: result}
    if any(not r.passed for r in results.values()):
        raise GateRefused(results)
    return result


def require_history_pass(
    data_dir: Path, partnership_id: str, year: int, *, cache_dir: Path | None = None
) -> dict[int, GateResult]:
    """Every year up to ``year`` passed the gate, or :class:`GateRefused` names the refused years."""
    results = gate_history(data_dir, partnership_id, year, cache_dir=cache_dir)
    require_pass(results)
    return results
