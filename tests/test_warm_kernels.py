"""Kernels forked from a warm template (pipeline/warm_kernels.py) behave as freshly started ones."""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from pathways.pipeline import warm_kernels
from pathways.pipeline.run import KERNEL_MPL_BACKEND
from pathways.pipeline.warm_kernels import WarmKernelManager

REPO = Path(__file__).resolve().parents[1]
# What a notebook can see of the process it runs in.
PROBE = """
import json, os, random, sys
import numpy as np
import pandas as pd
print(json.dumps({
    "cwd": os.getcwd(),
    "marker": os.environ.get("PATHWAYS_PROBE"),
    "argv0": os.path.basename(sys.argv[0]),
    "path0": sys.path[0],
    "xoptions": sorted(sys._xoptions),
    "max_columns": pd.get_option("display.max_columns"),
    "backend": __import__("matplotlib").get_backend(),
    "random": random.random(),
    "np_random": float(np.random.random()),
    "pid": os.getpid(),
    "pgid": os.getpgid(0),
}))
"""


def _execute(source_nb: Path, out: Path, warm: bool, cwd: Path, **kw) -> nbformat.NotebookNode:
    extra = {"kernel_manager_class": WarmKernelManager} if warm else {}
    pm.execute_notebook(
        str(source_nb),
        str(out),
        kernel_name="python3",
        progress_bar=False,
        cwd=str(cwd),
        log_output=False,
        request_save_on_cell_execute=False,
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        **extra,
        **kw,
    )
    return nbformat.read(out, as_version=4)


def _probe(tmp_path: Path, warm: bool, marker: str) -> dict:
    nb = new_notebook(cells=[new_code_cell(PROBE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / "probe.ipynb"
    nbformat.write(nb, source)
    os.environ["PATHWAYS_PROBE"] = marker
    try:
        run = _execute(source, tmp_path / f"probe-{marker}.ipynb", warm, tmp_path)
    finally:
        del os.environ["PATHWAYS_PROBE"]
    return json.loads(run.cells[0].outputs[0]["text"])


@pytest.fixture
def kernel_env(monkeypatch):
    monkeypatch.setenv("MPLBACKEND", KERNEL_MPL_BACKEND)
    yield
    if warm_kernels._template is not None:
        warm_kernels._template.close()
        warm_kernels._template = None


def test_a_forked_kernel_sees_what_a_fresh_kernel_sees(tmp_path, kernel_env):
    fresh = _probe(tmp_path, warm=False, marker="fresh")
    first = _probe(tmp_path, warm=True, marker="first")
    second = _probe(tmp_path, warm=True, marker="second")
    template = warm_kernels._template
    assert template is not None, "no template started: the kernels were not forked"
    same = ("cwd", "argv0", "path0", "xoptions", "max_columns", "backend")
    assert {k: first[k] for k in same} == {k: fresh[k] for k in same}
    assert {k: second[k] for k in same} == {k: fresh[k] for k in same}
    # each kernel its own process and process group, with this job's environment
    assert (first["marker"], second["marker"]) == ("first", "second")
    assert first["pid"] != second["pid"] and first["pgid"] == first["pid"]
    # and its own random state, as a fresh interpreter has
    assert first["random"] != second["random"] and first["np_random"] != second["np_random"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "notebook",
    sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb")),
)
def test_every_notebook_gives_the_same_outputs_in_a_forked_kernel(
    notebook, demo_data_small, tmp_path, kernel_env
):
    """The guard for everything the template imports: a notebook's outputs, byte for byte."""
    from pathways.pipeline.notebook_specs import discover

    spec = next(s for s in discover(REPO / "notebooks") if s.stem == notebook)
    values = {
        "partnership": "aurora",
        "year": 2023,
        "data_dir": str(demo_data_small),
        "registry": str(REPO / "partnerships.yml"),
        "runs_dir": str(tmp_path / "runs"),
    }
    os.environ["PATHWAYS_GATE_CACHE"] = os.environ["PATHWAYS_INDICATOR_CACHE"] = str(tmp_path / "cache")
    outputs = {}
    try:
        for warm in (False, True):
            params = {k: v for k, v in values.items() if k in spec.declared}
            if "output_dir" in spec.declared:
                params["output_dir"] = str(tmp_path / "out")
            run = _execute(
                spec.path, tmp_path / f"{notebook}-{warm}.ipynb", warm, spec.path.parent, parameters=params
            )
            outputs[warm] = [
                [{k: v for k, v in o.items() if k != "execution_count"} for o in c.get("outputs", [])]
                for c in run.cells
                if c.cell_type == "code"
            ]
    finally:
        del os.environ["PATHWAYS_GATE_CACHE"], os.environ["PATHWAYS_INDICATOR_CACHE"]
    assert warm_kernels._template is not None
    assert any(outputs[True]), "the notebook showed nothing"
    assert outputs[True] == outputs[False]


def test_a_kernel_that_dies_fails_its_notebook_promptly(tmp_path, kernel_env):
    nb = new_notebook(cells=[new_code_cell("import os\nos._exit(3)"), new_code_cell("print('never')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / "dies.ipynb"
    nbformat.write(nb, source)
    start = time.monotonic()
    with pytest.raises(Exception, match="(?i)dead|died"):
        _execute(source, tmp_path / "dies-out.ipynb", True, tmp_path, execution_timeout=60)
    assert warm_kernels._template is not None
    assert time.monotonic() - start < 30


def test_the_template_is_replaced_when_the_package_code_changes(monkeypatch, kernel_env):
    env = dict(os.environ)
    first = warm_kernels.template_for([], env)
    assert first is not None
    assert warm_kernels.template_for([], {**env, "PATHWAYS_GATE_CACHE": "/elsewhere"}) is first
    monkeypatch.setattr("pathways.pipeline.executors.package_digest", lambda: "edited code")
    second = warm_kernels.template_for([], env)
    assert second is not None and second is not first
    assert first.process.wait(timeout=10) is not None  # the old one is gone


def test_a_template_started_ahead_is_the_one_the_next_kernel_is_forked_from(tmp_path, kernel_env):
    """A run worker starts its template before gating (run.py), without waiting for its imports;
    the notebook's kernel, started later in the same environment, comes from that template."""
    marker = f"ahead-{uuid.uuid4().hex[:6]}"
    os.environ["PATHWAYS_PROBE"] = marker  # as the kernel will start with it
    try:
        warm_kernels.start_template("python3")
    finally:
        del os.environ["PATHWAYS_PROBE"]
    ahead = warm_kernels._template
    assert ahead is not None and not ahead.ready  # returned before the template's imports finished
    seen = _probe(tmp_path, warm=True, marker=marker)
    assert warm_kernels._template is ahead and ahead.ready  # forked from it, not replaced
    assert seen["marker"] == marker and seen["pid"] != ahead.process.pid


def test_a_template_that_cannot_start_leaves_the_ordinary_kernel_start(tmp_path, monkeypatch, kernel_env):
    def cannot_start(*args, **kwargs):
        raise OSError("no template here")

    monkeypatch.setattr(warm_kernels._Template, "__init__", cannot_start)
    marker = f"plain-{uuid.uuid4().hex[:6]}"
    seen = _probe(tmp_path, warm=True, marker=marker)
    assert seen["marker"] == marker and warm_kernels._template is None


@pytest.mark.parametrize(
    ("cmd", "parsed"),
    [
        (
            [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json"],
            (["-Xfrozen_modules=off"], ["-f", "c.json"]),
        ),
        ([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"], ([], ["-f", "c.json"])),
        ([sys.executable, "-E", "-m", "ipykernel_launcher", "-f", "c.json"], None),  # other flags: as usual
        (["/other/python", "-m", "ipykernel_launcher", "-f", "c.json"], None),  # another interpreter
        ([sys.executable, "-m", "other_kernel", "-f", "c.json"], None),
    ],
)
def test_only_this_python_s_ipykernel_is_forked(cmd, parsed):
    assert warm_kernels.launcher_args(cmd) == parsed


def test_no_template_or_kernel_outlives_the_worker(tmp_path):
    """A worker that ends (its run done, or killed) takes its template and kernels with it."""
    import subprocess

    marker = uuid.uuid4().hex
    script = (
        "import os\n"
        "from pathways.pipeline import warm_kernels\n"
        "t = warm_kernels.template_for([], dict(os.environ))\n"
        "assert t is not None\n"
        "print(t.process.pid, flush=True)\n"
        "os._exit(0)\n"  # no clean-up at all: as a worker killed mid-run
    )
    env = {**os.environ, "PATHWAYS_PROBE": marker, "MPLBACKEND": KERNEL_MPL_BACKEND}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.split()[0])
    for _ in range(100):
        if not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the template outlived its worker")


def test_a_virtual_environment_reached_through_a_link_is_the_same_interpreter(tmp_path):
    link = tmp_path / "venv-link"
    link.symlink_to(Path(sys.executable).parent.parent, target_is_directory=True)
    cmd = [str(link / "bin" / Path(sys.executable).name), "-m", "ipykernel_launcher", "-f", "c.json"]
    assert warm_kernels.launcher_args(cmd) == ([], ["-f", "c.json"])
