"""`pathways run --cluster`: the partnership-year notebooks as tasks on a Dask cluster.

A LocalCluster of two worker processes builds one partnership's reports; what it writes is what
the local pool writes for the same inputs, and a second run skips everything, as with the pool.
A scheduler started in the test is joined by its tcp:// address, and a notebook that fails on
its workers keeps its previous good output. A bad or unreachable address, or a port where
something other than Dask answers, is one paragraph and exit 2 within seconds, never a hang or
a traceback.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from drops import copy_notebooks

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


def _one_paragraph(result: subprocess.CompletedProcess, *needles: str) -> str:
    """The run could not start (exit 2): one line on stderr, no traceback, naming ``needles``."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    message = result.stderr.strip()
    assert message.startswith("error: ") and "\n" not in message, message
    for needle in needles:
        assert needle in message, message
    return message


@pytest.mark.parametrize("address", ["htp://nowhere", "local:0", "local:x", "http://host:8786", "tcp://host"])
def test_a_cluster_address_that_is_no_address_is_refused_before_anything_runs(repo, tmp_path, address):
    result = _pathways("run", "--out", str(tmp_path / "out"), "--cluster", address, cwd=repo, timeout=120)
    _one_paragraph(result, "is not a cluster address", "local:N", "tcp://host:8786")
    assert not (tmp_path / "out" / "runs").exists()


def test_workers_and_cluster_together_are_refused(repo, tmp_path):
    result = _pathways(
        "run", "--out", str(tmp_path / "out"), "--cluster", "local:2", "--workers", "2", cwd=repo, timeout=120
    )
    _one_paragraph(result, "--workers", "local:N")


def test_an_unreachable_scheduler_fails_fast_with_its_address(repo, tmp_path, demo_data_small):
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    started = time.monotonic()
    result = _run(demo_data_small, tmp_path / "out", repo, "--cluster", address)
    assert time.monotonic() - started < 90  # the connect deadline, not Dask's retries or a hang
    _one_paragraph(result, address, "dask scheduler", "Nothing was run")
    assert not list((tmp_path / "out" / "runs").glob(f"{PARTNERSHIP}/*/*/*.ipynb"))


def test_a_port_that_answers_but_is_not_dask_fails_fast_with_one_paragraph(repo, tmp_path, demo_data_small):
    """A web server or proxy at the address: Dask's client would read its bytes as a frame length
    and fail with a traceback (and wait again at exit); the run says what it found instead."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"

    def answer_garbage():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            try:
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 4)
                conn.recv(65536)
            except OSError:
                pass
            finally:
                conn.close()

    threading.Thread(target=answer_garbage, daemon=True).start()
    started = time.monotonic()
    try:
        result = _run(demo_data_small, tmp_path / "out", repo, "--cluster", address)
    finally:
        server.close()
    assert time.monotonic() - started < 90
    _one_paragraph(result, address, "not a Dask scheduler", "Nothing was run")
    assert not list((tmp_path / "out" / "runs").glob(f"{PARTNERSHIP}/*/*/*.ipynb"))


@pytest.mark.slow
def test_a_local_cluster_of_two_builds_what_the_local_pool_builds_and_a_scheduler_is_joined(
    repo, tmp_path, demo_data_small
):
    # The partnership-year's brief and report (the other notebooks run the same way and would only
    # double the test's time): the same folder for every run, so the skip check sees the same notebooks.
    notebooks = copy_notebooks(repo, tmp_path / "notebooks")
    for stem in ("closer_look_wbl_graduation", "statewide_overview"):
        for suffix in (".ipynb", ".py"):
            (notebooks / f"{stem}{suffix}").unlink()
    two = ("--notebooks", str(notebooks))
    pool, cluster = tmp_path / "pool", tmp_path / "cluster"
    by_pool = _run(demo_data_small, pool, repo, "--workers", "2", *two)
    assert by_pool.returncode == 0, by_pool.stdout + by_pool.stderr
    by_cluster = _run(demo_data_small, cluster, repo, "--cluster", "local:2", *two)
    assert by_cluster.returncode == 0, by_cluster.stdout + by_cluster.stderr

    def jobs(out: Path) -> dict[str, str]:
        manifest = json.loads((out / "runs" / "manifest.json").read_text(encoding="utf-8"))
        return {key: job["status"] for key, job in manifest["jobs"].items()}

    assert jobs(cluster) == jobs(pool) and set(jobs(cluster).values()) == {"ok"}
    assert {f"{PARTNERSHIP}/{YEAR}/{stem}" for stem in ("partnership_report", "partnership_brief")} <= set(
        jobs(cluster)
    )
    run = Path("runs") / PARTNERSHIP / str(YEAR)
    assert (cluster / run / "export.csv").read_bytes() == (pool / run / "export.csv").read_bytes()
    report = cluster / run / "partnership_report" / "partnership_report.ipynb"
    assert report.is_file() and "Traceback" not in report.read_text(encoding="utf-8")

    # unchanged inputs: nothing runs again (and no cluster is needed for that)
    again = _run(demo_data_small, cluster, repo, "--cluster", "local:2", *two)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"ran 0, skipped {len(jobs(cluster))}," in again.stdout

    # a running scheduler (started as the README says, `dask scheduler` and `dask worker`), joined
    # by its tcp:// address: the brief, broken in its last cell, runs on its worker and fails there;
    # its previous good output and manifest entry stay, the run exits 1 without a traceback, the
    # rest is skipped
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
        before = json.loads((cluster / "runs" / "manifest.json").read_text(encoding="utf-8"))["jobs"]
        brief_key = f"{PARTNERSHIP}/{YEAR}/partnership_brief"
        brief_path = cluster / run / "partnership_brief" / "partnership_brief.ipynb"
        kept = brief_path.read_bytes()
        nb = nbformat.read(notebooks / "partnership_brief.ipynb", as_version=4)
        nb.cells.append(new_code_cell('raise RuntimeError("a deliberate failure in the last cell")'))
        nbformat.write(nb, notebooks / "partnership_brief.ipynb")
        broken = _run(demo_data_small, cluster, repo, "--cluster", address, "--notebooks", str(notebooks))
    finally:
        for process in (worker, scheduler):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "Traceback" not in broken.stdout + broken.stderr
    assert "ran 0, skipped" in broken.stdout and "failed 1" in broken.stdout and "kept" in broken.stdout
    after = json.loads((cluster / "runs" / "manifest.json").read_text(encoding="utf-8"))["jobs"]
    assert after[brief_key]["last_failure"]["status"] == "failed"
    assert "a deliberate failure in the last cell" in after[brief_key]["last_failure"]["reason"]
    volatile = {"last_failure", "finished_at", "seconds"}
    assert {k: v for k, v in after[brief_key].items() if k not in volatile} == {
        k: v for k, v in before[brief_key].items() if k not in volatile
    }
    assert brief_path.read_bytes() == kept


def test_a_local_cluster_runs_without_dask_profiling_and_leaves_this_process_config_alone(tmp_path):
    # The statistical profiler and the fast event-loop checks only feed dashboards; on the two
    # cores the kernels need they cost about a tenth of a core (measured in BENCHMARKS.md).
    import dask.config
    import distributed  # noqa: F401 - loads Dask's distributed defaults into dask.config

    from pathways.pipeline.executors import QUIET_LOCAL_CONFIG, job_executor

    before = {key: dask.config.get(key) for key in QUIET_LOCAL_CONFIG}
    with job_executor(1, "local:1", shared_paths={"data folder": str(tmp_path)}, out_dir=tmp_path) as pool:
        seen = {key: pool.submit(dask.config.get, key).result() for key in QUIET_LOCAL_CONFIG}
    assert seen == QUIET_LOCAL_CONFIG
    assert {key: dask.config.get(key) for key in QUIET_LOCAL_CONFIG} == before
