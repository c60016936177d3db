"""Reuse a year's indicator rows while nothing it depends on has changed.

A report for year Y shows every year from the baseline to Y, so without a cache a full run
recomputes the early years once per later report. Each year's rows are stored under the
folder named by ``PATHWAYS_INDICATOR_CACHE`` (set by ``pathways run``; never the data folder,
which may be read-only), keyed by the content of every input file up to that year, the
partnership's registry entry, the suppression threshold and the engine's own source. The
rows are the suppressed aggregates the export publishes, never learner records.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from functools import cache
from pathlib import Path

import pandas as pd

from pathways.atomic import write_atomically
from pathways.hashing import sources_digest
from pathways.registry import Partnership
from pathways.submission import submission_digest

CACHE_ENV = "PATHWAYS_INDICATOR_CACHE"


@cache
def _engine_digest() -> str:
    package = Path(__file__).resolve().parents[1]
    sources = [package / "indicator_catalogue.yml", package / "catalogue.py", package / "submission.py",
               package / "suppression.py", package / "export.py", package / "dictionary.py",
               *sorted((package / "indicators").glob("*.py"))]
    return sources_digest(sources)


def year_key(data_dir: Path, partnership: Partnership, min_cell_size: int, year: int) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(json.dumps([_engine_digest(), partnership.model_dump(mode="json"), min_cell_size, year],
                        sort_keys=True).encode())
    h.update(submission_digest(data_dir, partnership.id, year).encode())
    return h.hexdigest()


def cache_dir() -> Path | None:
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else None


def load(key: str) -> pd.DataFrame | None:
    folder = cache_dir()
    path = folder / f"indicators-{key}.pkl" if folder else None
    if path is None or not path.is_file():
        return None
    try:
        return pd.read_pickle(path)
    except Exception:  # a damaged cache entry is recomputed, never trusted
        return None


def store(key: str, rows: pd.DataFrame) -> None:
    folder = cache_dir()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    rows.to_pickle(buffer)
    write_atomically(folder / f"indicators-{key}.pkl", buffer.getvalue())
