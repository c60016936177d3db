"""`pathways run --cluster`: the partnership-year notebooks as tasks on a Dask cluster.

A LocalCluster of two worker processes builds one partnership's reports; what it writes is what
the local pool writes for the same inputs, and a second run skips everything, as with the pool.
A scheduler started in the test is joined by its tcp:// address. A bad or unreachable address
is one paragraph and a non-zero exit, never a hang or a traceback.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

PARTNERSHIP, YEAR = "san-luis-valley", 2024


def _pathways(*args: str, cwd: Path, timeout: int = 1200) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("pathways")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def _run(data: Path, out: Path, repo: Path, *extra: str) -> subprocess.CompletedProcess:
    return _pathways(
        "run",
        "--data",
        str(data),
        "--out",
        str(out),
        "--registry",
        str(repo / "partnerships.yml"),
        "--partnership",
        PARTNERSHIP,
        "--year",
        str(YEAR),
        *extra,
        cwd=repo,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _one_paragraph(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    return result.stderr.strip()


def test_a_cluster_address_that_is_no_address_is_refused_before_anything_runs(repo, tmp_path):
    result = _pathways(
        "run", "--out", str(tmp_path / "out"), "--cluster", "htp://nowhere", cwd=repo, timeout=120
    )
    message = _one_paragraph(result)
    assert "is not a cluster address" in message and "local:N" in message
    assert not (tmp_path / "out" / "runs").exists()


def test_an_unreachable_scheduler_fails_fast_with_its_address(repo, tmp_path, demo_data_small):
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    started = time.monotonic()
    result = _run(demo_data_small, tmp_path / "out", repo, "--cluster", address)
    assert time.monotonic() - started < 120  # the client's timeout, not a hang
    message = _one_paragraph(result)
    assert address in message and "dask scheduler" in message


@pytest.mark.slow
def test_a_local_cluster_of_two_builds_what_the_local_pool_builds_and_a_scheduler_is_joined(
    repo, tmp_path, demo_data_small
):
    pool, cluster = tmp_path / "pool", tmp_path / "cluster"
    by_pool = _run(demo_data_small, pool, repo, "--workers", "2")
    assert by_pool.returncode == 0, by_pool.stdout + by_pool.stderr
    by_cluster = _run(demo_data_small, cluster, repo, "--cluster", "local:2")
    assert by_cluster.returncode == 0, by_cluster.stdout + by_cluster.stderr

    def jobs(out: Path) -> dict[str, str]:
        manifest = json.loads((out / "runs" / "manifest.json").read_text(encoding="utf-8"))
        return {key: job["status"] for key, job in manifest["jobs"].items()}

    assert jobs(cluster) == jobs(pool) and set(jobs(cluster).values()) == {"ok"}
    assert f"{PARTNERSHIP}/{YEAR}/partnership_report" in jobs(cluster)
    run = Path("runs") / PARTNERSHIP / str(YEAR)
    assert (cluster / run / "export.csv").read_bytes() == (pool / run / "export.csv").read_bytes()
    report = cluster / run / "partnership_report" / "partnership_report.ipynb"
    assert report.is_file() and "Traceback" not in report.read_text(encoding="utf-8")

    # unchanged inputs: nothing runs again (and no cluster is needed for that)
    again = _run(demo_data_small, cluster, repo, "--cluster", "local:2")
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"ran 0, skipped {len(jobs(cluster))}," in again.stdout

    # a running scheduler (started as the README says, `dask scheduler` and `dask worker`), joined
    # by its tcp:// address, runs every job again when forced
    dask = str(Path(sys.executable).with_name("dask"))
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        joined = _run(demo_data_small, cluster, repo, "--cluster", address, "--force")
    finally:
        for process in (worker, scheduler):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    assert joined.returncode == 0, joined.stdout + joined.stderr
    assert f"ran {len(jobs(cluster))}, skipped 0," in joined.stdout
    assert (cluster / run / "export.csv").read_bytes() == (pool / run / "export.csv").read_bytes()
