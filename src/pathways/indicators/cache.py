"""Reuse a year's indicator rows while nothing it depends on has changed.

A report for year Y shows every year from the baseline to Y, so without a cache a full run
recomputes the early years once per later report. Each year's rows are stored under the
folder named by ``PATHWAYS_INDICATOR_CACHE`` (set by ``pathways run``; never the data folder,
which may be read-only), keyed by the content of every input file up to that year, the
partnership's registry entry, the suppression threshold and the engine's own source. The
rows are the suppressed aggregates the export publishes, never learner records.

An entry is data, never code: a Parquet file read with pyarrow (its pandas metadata ignored,
so nothing in the file chooses a type to construct), beside the SHA-256 of its bytes. A
missing, damaged or altered entry, or one whose columns are not the export's, is recomputed
and replaced; whoever can write the cache folder can at worst make the engine recompute.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pathways.io import entry_lock
from pathways.io.atomic import write_atomically
from pathways.io.export import EXPORT_COLUMNS, conform
from pathways.io.hashing import sources_digest
from pathways.io.registry import Partnership
from pathways.io.submission import submission_digest

CACHE_ENV = "PATHWAYS_INDICATOR_CACHE"


@cache
def _engine_digest() -> str:
    package = Path(__file__).resolve().parents[1]
    sources = [
        package / "indicator_catalogue.yml",
        package / "io" / "catalogue.py",
        package / "io" / "submission.py",
        package / "io" / "export.py",
        package / "io" / "dictionary.py",
        *sorted((package / "indicators").glob("*.py")),
    ]
    return sources_digest(sources)


def year_key(data_dir: Path, partnership: Partnership, min_cell_size: int, year: int) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(
        json.dumps(
            [_engine_digest(), partnership.model_dump(mode="json"), min_cell_size, year], sort_keys=True
        ).encode()
    )
    h.update(submission_digest(data_dir, partnership.id, year).encode())
    return h.hexdigest()


def cache_dir() -> Path | None:
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else None


def entry_paths(key: str) -> tuple[Path, Path] | None:
    """(rows, digest) files of a cache entry, or None when no cache folder is set."""
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"indicators-{key}.parquet", folder / f"indicators-{key}.sha256"


def one_at_a_time(key: str):
    """The lock under which one process at a time computes the entry of ``key`` (io/entry_lock.py)."""
    paths = entry_paths(key)
    return entry_lock.one_at_a_time(paths[0] if paths is not None else None)


def load(key: str) -> pd.DataFrame | None:
    """The cached rows of ``key``, or None when there is no entry or it cannot be trusted."""
    paths = entry_paths(key)
    if paths is None or not paths[0].is_file() or not paths[1].is_file():
        return None
    try:
        data = paths[0].read_bytes()
        if hashlib.sha256(data).hexdigest() != paths[1].read_text(encoding="ascii").strip():
            return None
        table = pq.read_table(pa.BufferReader(data))
        if table.column_names != EXPORT_COLUMNS:
            return None
        return conform(table.to_pandas(ignore_metadata=True))
    except (OSError, ValueError, TypeError, UnicodeDecodeError, pa.ArrowException):
        return None  # damaged: recomputed and replaced by the caller


def store(key: str, rows: pd.DataFrame) -> None:
    paths = entry_paths(key)
    if paths is None:
        return
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(conform(rows), preserve_index=False), buffer)
    data = buffer.getvalue()
    # rows first, then the digest that vouches for them: a reader never trusts half an entry
    write_atomically(paths[0], data)
    write_atomically(paths[1], hashlib.sha256(data).hexdigest().encode("ascii"))
