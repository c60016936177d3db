"""The indicator cache holds data, never code: Parquet checked by content hash, rebuilt when damaged."""

from __future__ import annotations

import io
import os
import pickle

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import synthetic_registry
from pathways.indicators import cache, compute_series


@pytest.fixture(scope="module")
def submission(tmp_path_factory):
    from pathways.indicators.synthetic import make_frames, write_submission

    data = tmp_path_factory.mktemp("cache-data")
    write_submission(make_frames(400, years=range(2022, 2025), seed=3), data, "syn")
    registry = synthetic_registry(2022)
    return data, registry


@pytest.fixture()
def cached(submission, tmp_path, monkeypatch):
    """A fresh cache folder filled by one computation; returns (data, registry, folder, the rows)."""
    data, registry = submission
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    rows = compute_series(data, registry, "syn", 2024)
    return data, registry, folder, rows


def _entry(folder, registry, data, year=2024):
    key = cache.year_key(data, registry.get("syn"), registry.min_cell_size, year)
    return key, folder / f"indicators-{key}.parquet", folder / f"indicators-{key}.sha256"


def test_entries_are_parquet_with_their_digest_and_read_back_equal(cached):
    data, registry, folder, rows = cached
    names = sorted(p.name for p in folder.iterdir())
    assert names and all(n.endswith((".parquet", ".sha256")) for n in names)
    assert len([n for n in names if n.endswith(".parquet")]) == 3  # one per year
    key, rows_path, digest_path = _entry(folder, registry, data)
    assert rows_path.read_bytes()[:4] == b"PAR1"
    pd.testing.assert_frame_equal(cache.load(key), rows[rows.school_year == 2024].reset_index(drop=True))
    pd.testing.assert_frame_equal(compute_series(data, registry, "syn", 2024), rows)


def test_a_damaged_entry_is_recomputed_and_replaced(cached):
    data, registry, folder, rows = cached
    key, rows_path, digest_path = _entry(folder, registry, data)
    rows_path.write_bytes(rows_path.read_bytes()[:200])  # a truncated write
    assert cache.load(key) is None
    pd.testing.assert_frame_equal(compute_series(data, registry, "syn", 2024), rows)
    assert cache.load(key) is not None  # replaced by a good entry
    digest_path.unlink()  # half an entry is no entry
    assert cache.load(key) is None
    digest_path.write_text("not a digest", encoding="ascii")
    assert cache.load(key) is None


def test_a_tampered_entry_is_not_trusted(cached):
    data, registry, folder, rows = cached
    key, rows_path, digest_path = _entry(folder, registry, data)
    table = pq.read_table(rows_path).to_pandas(ignore_metadata=True)
    table.loc[table["suppressed"], "numerator"] = 3.0  # "un-suppress" a small cell
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), buffer)
    rows_path.write_bytes(buffer.getvalue())  # the digest no longer vouches for the bytes
    assert cache.load(key) is None
    again = compute_series(data, registry, "syn", 2024)
    pd.testing.assert_frame_equal(again, rows)
    assert again[again.suppressed].numerator.isna().all()
    # bytes and digest both rewritten, but not the export's columns: still recomputed
    buffer = io.BytesIO()
    pq.write_table(pa.table({"partnership_id": ["syn"]}), buffer)
    rows_path.write_bytes(buffer.getvalue())
    digest_path.write_text(cache.hashlib.sha256(buffer.getvalue()).hexdigest(), encoding="ascii")
    assert cache.load(key) is None


class _Planted:
    """A pickle that would create a file when unpickled."""

    marker = ""

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_nothing_in_the_cache_folder_is_unpickled(submission, tmp_path, monkeypatch):
    data, registry = submission
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    marker = tmp_path / "code-ran"
    for year in (2022, 2023, 2024):  # where the old cache kept its pickles
        key = cache.year_key(data, registry.get("syn"), registry.min_cell_size, year)
        planted = _Planted()
        planted.marker = str(marker)
        (folder / f"indicators-{key}.pkl").write_bytes(pickle.dumps(planted))
        (folder / f"indicators-{key}.parquet").write_bytes(pickle.dumps(planted))
        (folder / f"indicators-{key}.sha256").write_text(
            cache.hashlib.sha256(pickle.dumps(planted)).hexdigest(), encoding="ascii"
        )
    rows = compute_series(data, registry, "syn", 2024)
    assert not marker.exists()
    assert sorted(rows.school_year.unique()) == [2022, 2023, 2024]
    key = cache.year_key(data, registry.get("syn"), registry.min_cell_size, 2024)
    assert (folder / f"indicators-{key}.parquet").read_bytes()[:4] == b"PAR1"  # replaced by data
