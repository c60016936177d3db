"""Kernels for ``pathways run`` that start with the report libraries already imported.

A report notebook's kernel spends most of its start importing pandas, matplotlib, seaborn and
the package: about 1 s of the 2 s papermill needs before the first section runs, and the brief
and the closer look run little else. So each run worker keeps one *template*: a process that
imported :data:`WARM_MODULES` once and then forks one fresh kernel process per notebook.

Every notebook still gets a kernel process of its own: the fork is always taken from the
template, which never runs notebook code, so nothing carries over from one notebook to the
next. The child takes the environment, working folder and arguments jupyter_client would have
started ``python -m ipykernel_launcher`` with, its own session (so an interrupt or a kill
reaches it and whatever it starts) and fresh random seeds; only the imports are already done.

The template is replaced when the package's code or the kernel's environment changes (a
long-lived Dask worker serves runs of other folders), and the ordinary kernel start is used
whenever fork is unavailable, the kernel command is not the project's Python kernel, or the
template cannot start.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

# What the report notebooks import: the modules a kernel spends its start on. Importing one
# has no effect a notebook could see (the package applies its chart theme when a report is
# opened, and matplotlib picks its backend when the first figure is drawn, in the kernel).
WARM_MODULES = (
    "numpy",
    "pandas",
    "pyarrow",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "pathways.report",
    "pathways.report.charts",
    "pathways.report.overview",
    "pathways.report.glue",
    "pathways.report.labels",
    "ipykernel.kernelapp",
)
# Set by jupyter_client or by the runner for each kernel, and read only when a kernel runs:
# they may differ between the template and the kernels it forks.
PER_KERNEL_ENV = ("JPY_PARENT_PID", "JPY_SESSION_NAME", "PATHWAYS_GATE_CACHE", "PATHWAYS_INDICATOR_CACHE")
READY_TIMEOUT_S = 120
# How long a kernel that has shut down may take to close before it exits regardless.
EXIT_GRACE_S = 0.5


# ------------------------------------------------------------------ the template process
class _KernelStandIn:
    """What ``get_ipython()`` looks like to a library asking "am I in a Jupyter kernel?"."""

    kernel = None


def _template_main() -> None:
    """Import the warm modules, then fork a kernel for every request read from stdin."""
    replies = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # anything printed goes where a kernel's own output goes, never into the replies
    # As ipykernel_launcher does: the launch folder is not on the path (IPython puts '' back).
    if sys.path and (sys.path[0] in ("", os.getcwd())):
        del sys.path[0]
    # pandas decides at import whether it runs in a terminal or a Jupyter kernel (its
    # display.max_columns); asked here, it must get the kernel's answer.
    builtins.get_ipython = _KernelStandIn
    try:
        for name in WARM_MODULES:
            importlib.import_module(name)
    finally:
        del builtins.get_ipython
    replies.write(json.dumps({"ready": os.getpid()}) + "\n")
    returncodes: dict[int, int] = {}
    children: set[int] = set()
    for line in sys.stdin:
        request = json.loads(line)
        _reap(children, returncodes)
        if request["op"] == "fork":
            pid = os.fork()
            if pid == 0:
                replies.close()
                _become_kernel(request["argv"], request["cwd"], request["env"])
                sys.exit(0)
            children.add(pid)
            replies.write(json.dumps({"pid": pid}) + "\n")
        elif request["op"] == "poll":
            pid = int(request["pid"])
            replies.write(json.dumps({"returncode": returncodes.get(pid)}) + "\n")
    # The worker went away: no kernel of ours outlives it.
    for pid in children - set(returncodes):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
    _reap(children, returncodes)


def _reap(children: set[int], returncodes: dict[int, int]) -> None:
    for pid in children - set(returncodes):
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            returncodes[pid] = -1
            continue
        if done:
            returncodes[pid] = os.waitstatus_to_exitcode(status)


def _become_kernel(argv: list[str], cwd: str, env: dict[str, str]) -> None:
    """In the forked child: turn into ``python -m ipykernel_launcher <argv>`` started in ``cwd``.

    Returns when the kernel shuts down; the child then leaves through the interpreter's own
    exit (threads joined, exit handlers run), as a kernel started by jupyter_client does."""
    os.setsid()  # its own process group, as jupyter_client starts kernels: signals reach it all
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    import random

    import numpy as np

    random.seed()
    np.random.seed()
    import ipykernel_launcher
    from ipykernel import kernelapp

    sys.argv = [ipykernel_launcher.__file__, *argv]
    kernelapp.launch_new_instance(argv=argv)
    # The kernel has answered its shutdown request; what is left is closing sockets. ipykernel's
    # close can wait on its control thread, still publishing "idle" to the channel close just
    # stopped, until the kernel manager kills it seconds later (seen in 1 of 20 kernels here).
    # Nothing a notebook sees is sent after this point, so a stuck close ends here instead.
    import threading

    deadline = threading.Timer(EXIT_GRACE_S, os._exit, (0,))
    deadline.daemon = True  # a kernel that closes in time exits as usual, not waiting for it
    deadline.start()


# ------------------------------------------------------------------ in the run worker
class _Template:
    """The run worker's side of one template process."""

    def __init__(self, flags: list[str], env: dict[str, str], key: str):
        self.key = key
        self.lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, *flags, "-m", "pathways.pipeline.warm_kernels"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )
        self.ready = False

    def wait_ready(self) -> None:
        """Return once the template has imported the warm modules; OSError when it cannot."""
        if not self.ready:
            if "ready" not in self._read(READY_TIMEOUT_S):
                raise OSError("the kernel template did not start")
            self.ready = True

    def _read(self, timeout_s: float) -> dict:
        import select

        ready, _, _ = select.select([self.process.stdout], [], [], timeout_s)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            raise OSError("the kernel template stopped answering")
        return json.loads(line)

    def ask(self, **request) -> dict:
        with self.lock:
            if self.process.poll() is not None:
                raise OSError("the kernel template has exited")
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            return self._read(30)

    def close(self) -> None:
        if not self.ready:  # still importing, no kernel forked yet: nothing to wait for
            self.process.kill()
        try:
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


_template: _Template | None = None
_template_failed: set[str] = set()


def template_for(flags: list[str], env: dict[str, str], *, wait: bool = True) -> _Template | None:
    """This worker's template for kernels of ``flags`` and ``env``, started (or replaced) when
    needed and, with ``wait``, ready to fork; None when it cannot start."""
    global _template
    from pathways.pipeline.executors import package_digest

    settled = {k: v for k, v in env.items() if k not in PER_KERNEL_ENV}
    key = json.dumps([sys.executable, flags, package_digest(), sorted(settled.items())])
    if _template is not None and (_template.key != key or _template.process.poll() is not None):
        _template.close()
        _template = None
    if _template is None and key not in _template_failed:
        try:
            _template = _Template(flags, settled, key)
        except (OSError, ValueError):
            _template_failed.add(key)
    if wait and _template is not None:
        try:
            _template.wait_ready()
        except (OSError, ValueError):
            _template_failed.add(key)
            _template.close()
            _template = None
    return _template


def start_template(kernel_name: str) -> None:
    """Start the template the next kernel of ``kernel_name`` will be forked from, without waiting
    for it: its imports then run while the worker gates the partnership-year and computes its
    export (or waits for another worker doing so), rather than after. Call it with the
    environment the kernel will start with; a template started for another environment is
    replaced at the kernel's start, which costs the time this saved and no more."""
    if not hasattr(os, "fork"):
        return
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel_name)
    except (NoSuchKernel, OSError, ValueError):
        return
    parsed = launcher_args(list(spec.argv))
    if parsed is not None:
        template_for(parsed[0], {**os.environ, **spec.env}, wait=False)


def launcher_args(cmd: list[str]) -> tuple[list[str], list[str]] | None:
    """(interpreter flags, ipykernel arguments) of ``cmd`` when it starts this Python's
    ``ipykernel_launcher`` with no flags but ``-X`` options; otherwise None (started as usual)."""
    if len(cmd) < 3 or _interpreter(cmd[0]) != _interpreter(sys.executable):
        return None
    for i in range(1, len(cmd) - 1):
        if cmd[i] == "-m" and cmd[i + 1] == "ipykernel_launcher":
            flags = cmd[1:i]
            return (flags, cmd[i + 2 :]) if all(f.startswith("-X") for f in flags) else None
    return None


def _interpreter(executable: str) -> Path:
    """The interpreter's folder resolved, its name not: a virtual environment reached through a
    link is the same one, but two environments whose pythons link to one base Python are not."""
    path = Path(executable)
    return path.parent.resolve() / path.name


class _ForkedKernel:
    """The ``subprocess.Popen`` surface jupyter_client uses, for a kernel the template forked."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, template: _Template):
        self.pid = pid
        self.template = template
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                self.returncode = self.template.ask(op="poll", pid=self.pid)["returncode"]
            except OSError:  # the template is gone, and with it its kernels
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class WarmProvisioner(LocalProvisioner):
    """Starts the kernel by asking this worker's template to fork one; otherwise as usual."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        parsed = launcher_args(cmd) if hasattr(os, "fork") else None
        env = dict(kwargs.get("env") or os.environ)
        template = template_for(parsed[0], env) if parsed is not None else None
        if template is None:
            return await super().launch_kernel(cmd, **kwargs)
        argv = parsed[1]
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = template.ask(op="fork", argv=argv, cwd=cwd, env=env)["pid"]
        self.process = _ForkedKernel(pid, template)
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info


class WarmKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels come from the worker's template."""

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            import uuid

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = WarmProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)


if __name__ == "__main__":
    _template_main()
