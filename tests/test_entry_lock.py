"""Workers that need the same cache entry at once compute it once (io/entry_lock.py)."""

from __future__ import annotations

import fcntl
import multiprocessing as mp
import os
import signal
import time
from pathlib import Path

import pytest

from bad_inputs import corpus
from conftest import synthetic_registry
from pathways.gate import history as gate_module
from pathways.indicators import cache as indicator_cache
from pathways.indicators import engine
from pathways.io.entry_lock import one_at_a_time

# The children take the parent's monkeypatched functions with them: fork, as the run's pool does.
FORK = mp.get_context("fork")


def _race(work, processes: int = 2) -> None:
    """Run ``work()`` in ``processes`` forked children released together; each must succeed."""
    start = FORK.Barrier(processes)

    def child():
        start.wait(60)
        work()

    children = [FORK.Process(target=child, daemon=True) for _ in range(processes)]
    for c in children:
        c.start()
    for c in children:
        c.join(300)
    assert [c.exitcode for c in children] == [0] * processes


def _counting(real, calls: Path):
    """``real``, with one line per call written to ``calls``; slow enough that the racers overlap."""

    def counted(*args, **kwargs):
        with open(calls, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        time.sleep(0.5)
        return real(*args, **kwargs)

    return counted


def test_two_workers_gating_one_partnership_at_once_validate_each_year_once(tmp_path, monkeypatch):
    data = tmp_path / "data"
    corpus.write_good(data)
    cache, calls = tmp_path / "cache", tmp_path / "calls.txt"
    monkeypatch.setattr(gate_module, "_validate", _counting(gate_module._validate, calls))
    monkeypatch.setattr(gate_module, "_MEMORY", {})

    def gate():
        results = gate_module.gate_history(data, corpus.PID, max(corpus.YEARS), cache_dir=cache)
        assert sorted(results) == list(corpus.YEARS) and all(r.passed for r in results.values())

    _race(gate)
    assert len(calls.read_text().splitlines()) == len(corpus.YEARS)  # without the lock: twice as many
    assert len(list(cache.glob("gate-*.json"))) == len(corpus.YEARS)
    assert not list(cache.glob("*.lock"))  # each holder removed its lock file


def test_two_workers_computing_one_partnership_s_indicators_at_once_compute_each_year_once(
    tmp_path, monkeypatch
):
    from pathways.indicators.synthetic import make_frames, write_submission

    data = tmp_path / "data"
    write_submission(make_frames(300, years=range(2023, 2025), seed=5), data, "syn")
    registry = synthetic_registry(2023)
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv(indicator_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(engine, "compute_year", _counting(engine.compute_year, calls))

    def compute():
        assert not engine.compute_series(data, registry, "syn", 2024).empty

    _race(compute)
    assert len(calls.read_text().splitlines()) == 2  # 2023 and 2024, each once
    assert len(list((tmp_path / "cache").glob("indicators-*.parquet"))) == 2


def test_a_worker_killed_while_computing_leaves_the_lock_free(tmp_path):
    entry = tmp_path / "cache" / "gate-abc.json"
    holding = FORK.Event()

    def hold():
        with one_at_a_time(entry):
            holding.set()
            time.sleep(600)

    holder = FORK.Process(target=hold, daemon=True)
    holder.start()
    try:
        assert holding.wait(60)
        fd = os.open(entry.with_name("gate-abc.json.lock"), os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):  # held: another worker would wait here
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.kill(holder.pid, signal.SIGKILL)
            holder.join(60)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released by the holder's death
        finally:
            os.close(fd)
    finally:
        holder.kill()


@pytest.mark.parametrize("where", ["no cache folder", "a file where the folder should be"])
def test_without_a_lock_the_work_is_done_anyway(tmp_path, where):
    entry = None
    if where != "no cache folder":
        (tmp_path / "cache").write_text("not a folder")
        entry = tmp_path / "cache" / "gate-abc.json"
    done = []
    with one_at_a_time(entry):
        done.append(True)
    assert done == [True]
