"""Where ``pathways run`` executes its jobs: a local process pool, or a Dask cluster.

Both are ``concurrent.futures`` executors (Dask's ``Client.get_executor()``), so the run has
one code path for submitting jobs, collecting results, the progress bar and failures.
``--cluster local:N`` starts a ``LocalCluster`` of N single-threaded worker processes on this
machine; ``--cluster tcp://host:8786`` joins a running scheduler. On a cluster every worker
must see the data folder, the notebooks and the output folder at the same paths, and run the
same package version: each worker is checked for that before any job is sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

from pathways import __version__
from pathways.errors import PathwaysError

CLUSTER_PATTERN = r"^(local:(?P<n>[0-9]{1,3})|(?P<url>(tcp|tls)://[A-Za-z0-9.\-\[\]:]+:[0-9]{1,5}))$"
WAIT_FOR_WORKERS_S = 30
# How long to try to reach a scheduler: a wrong address fails within this, never hangs.
CONNECT_TIMEOUT_S = 10
# A LocalCluster's scheduler, nannies and workers share this machine's cores with the kernels.
# Dask's defaults sample every thread's stack every 10 ms (for the dashboard's profile page,
# which a local cluster here does not serve), check each event loop every 20 ms and poll the
# system every 0.5 s: 10-12% of a core with two idle workers, 3-4% with these. They only feed
# dashboards and warnings; scheduling, memory limits and restarts do not read them.
QUIET_LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


class ClusterError(PathwaysError):
    """The Dask cluster cannot be reached or its workers cannot run the jobs."""


def check_cluster_address(address: str) -> str:
    match = re.fullmatch(CLUSTER_PATTERN, address or "", flags=re.ASCII)
    if not match or (match.group("n") is not None and not 1 <= int(match.group("n")) <= 256):
        raise ClusterError(
            f"--cluster {address!r} is not a cluster address: use local:N (N worker processes on "
            "this machine, such as local:2) or the scheduler's address, such as tcp://host:8786"
        )
    return address


def package_digest() -> str:
    """Hash of every file of the installed package: workers must run the same code as this process."""
    root = Path(str(files("pathways")))
    h = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def probe_worker(paths: dict[str, str], token_file: str, token: str) -> dict:
    """Run on each worker: what it sees of the shared folders and which package it runs."""
    seen = {role: Path(p).exists() for role, p in paths.items()}
    try:
        token_seen = Path(token_file).read_text(encoding="utf-8") == token
    except OSError:
        token_seen = False
    return {"paths": seen, "output_shared": token_seen, "version": __version__, "code": package_digest()}


def _check_workers(client, paths: dict[str, str], out_dir: Path) -> None:
    token = uuid.uuid4().hex
    token_file = Path(out_dir) / f".cluster-probe-{token}"
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token_file.write_text(token, encoding="utf-8")
    try:
        answers = client.run(probe_worker, paths, str(token_file), token)
    finally:
        token_file.unlink(missing_ok=True)
    mine = package_digest()
    problems = []
    for worker, answer in sorted(answers.items()):
        missing = [f"the {role} {paths[role]}" for role, ok in answer["paths"].items() if not ok]
        if not answer["output_shared"]:
            missing.append(
                f"this machine's output folder {out_dir} (a file written here was not visible there)"
            )
        if missing:
            problems.append(f"{worker} cannot see " + ", ".join(missing))
        if answer["code"] != mine:
            problems.append(
                f"{worker} runs pathways {answer['version']} with different code than this machine "
                f"({__version__})"
            )
    if problems:
        raise ClusterError(
            "the Dask workers cannot run these notebooks: " + "; ".join(problems) + ". Every worker "
            "needs the data folder, the notebooks and the output folder on a shared file system at "
            "the same paths, and the same pathways installation; nothing was run."
        )


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _unreachable(address: str, exc: BaseException) -> ClusterError:
    return ClusterError(
        f"could not reach a Dask scheduler at {address} ({_first_line(exc)}); check the address, or "
        "start a scheduler there with `dask scheduler` and its workers with `dask worker "
        f"{address}`, then run again. Nothing was run."
    )


def _check_scheduler(address: str) -> None:
    """Open one connection to ``address`` and exchange Dask's handshake, within a deadline.

    Dask's ``Client`` retries a refused connection until its timeout, but a port that answers
    with something other than Dask (a web server, a proxy) can leave it reading garbage, and
    its clean-up then waits again: asked first, such an address fails in seconds."""
    from distributed.comm import connect
    from distributed.security import Security

    async def handshake() -> None:
        comm = await connect(address, timeout=CONNECT_TIMEOUT_S, **Security().get_connection_args("client"))
        await comm.close()

    try:
        asyncio.run(asyncio.wait_for(handshake(), CONNECT_TIMEOUT_S + 5))
    except Exception as exc:  # noqa: BLE001 - refused, timed out, not Dask: all the same advice
        if isinstance(exc, TimeoutError) and not str(exc):
            exc = TimeoutError(f"no Dask answer within {CONNECT_TIMEOUT_S + 5} s")
        elif not isinstance(exc, (OSError, TimeoutError)):
            exc = ValueError("something answered there, but not a Dask scheduler")
        raise _unreachable(address, exc) from None


@contextmanager
def job_executor(
    workers: int, cluster: str | None, *, shared_paths: dict[str, str], out_dir: Path
) -> Iterator[Executor]:
    """A ``concurrent.futures`` executor for the run's jobs, shut down when the block ends."""
    if cluster is None:
        with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
            yield pool
        return
    check_cluster_address(cluster)
    import dask.config
    from distributed import Client, LocalCluster

    for name in ("distributed", "distributed.worker", "distributed.scheduler", "distributed.nanny"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if cluster.startswith("local:"):
        # One thread per worker: a worker runs one notebook (and its kernel) at a time, like
        # the local pool. No dashboard: it would need a free port and bokeh.
        n = int(cluster.split(":", 1)[1])
        try:
            # Read when the scheduler and each worker start; nannies pass it to their workers.
            with dask.config.set(QUIET_LOCAL_CONFIG):
                local = LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
        except Exception as exc:  # noqa: BLE001 - no free port, no memory, a worker that died at start
            raise ClusterError(
                f"could not start {n} local Dask workers ({_first_line(exc)}); try fewer, or run "
                "without --cluster. Nothing was run."
            ) from None
        client = Client(local, set_as_default=False)
    else:
        local = None
        _check_scheduler(cluster)
        try:
            client = Client(cluster, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False)
        except Exception as exc:  # noqa: BLE001 - any failure to connect is the same advice
            raise _unreachable(cluster, exc) from None
    try:
        try:
            client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS_S)
        except TimeoutError:
            raise ClusterError(
                f"the Dask scheduler at {cluster} has no workers after {WAIT_FOR_WORKERS_S} s; start "
                f"some with `dask worker {cluster}` and run again"
            ) from None
        _check_workers(client, shared_paths, out_dir)
        executor = client.get_executor(pure=False)
        try:
            yield executor
        finally:
            executor.shutdown(wait=False)
    finally:
        client.close()
        if local is not None:
            local.close()
