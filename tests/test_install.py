"""An ordinary install works: a wheel, installed without ``-e``, used from a folder outside the checkout.

The wheel is built from this checkout as a user would (``pip wheel --no-deps``: setuptools from the
registry, in pip's isolated build environment) and installed into a fresh
virtual environment; the dependencies come from the shared environment through a ``.pth`` line
(a plain path: the shared environment's own ``.pth`` files, its editable ``pathways`` among
them, are not run). The test proves the ``pathways`` it runs is the wheel's, then runs
``demo-data``, ``validate``, ``indicators`` and ``run`` for one partnership-year.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _site_packages(venv: Path) -> Path:
    return Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))


def test_setup_ships_what_the_package_looks_up():
    from pathways.io.project import PROJECT_FILES

    text = (REPO / "setup.py").read_text(encoding="utf-8")
    shipped = eval(text.split("PROJECT_FILES = ", 1)[1].split("\n", 1)[0])  # noqa: S307 (our own literal)
    assert tuple(shipped) == PROJECT_FILES


def test_a_wheel_installed_elsewhere_validates_computes_and_runs(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PATHWAYS_PROJECT", "VIRTUAL_ENV")}
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(REPO)],
        check=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    (wheel,) = wheels.glob("pathways-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = _site_packages(venv)
    shared = Path(sysconfig.get_path("purelib"))
    (site / "shared_dependencies.pth").write_text(f"{shared}\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        check=True,
        env=env,
        timeout=600,
    )
    # The kernel the runner starts must be this environment's Python, not the shared one's.
    kernels = venv / "share" / "jupyter"
    subprocess.run(
        [str(python), "-m", "ipykernel", "install", "--prefix", str(venv), "--name", "python3"],
        check=True,
        env=env,
        capture_output=True,
        timeout=300,
    )
    env |= {
        "JUPYTER_PATH": str(kernels),
        "PATH": f"{venv / 'bin'}:{env.get('PATH', '')}",
        "GX_ANALYTICS_ENABLED": "false",
        "MPLBACKEND": "Agg",
    }

    project = tmp_path / "project"
    project.mkdir()
    registry = yaml.safe_load((REPO / "partnerships.yml").read_text(encoding="utf-8"))
    registry["partnerships"] = [p for p in registry["partnerships"] if p["id"] == "denver"]
    (project / "partnerships.yml").write_text(yaml.safe_dump(registry, sort_keys=False), encoding="utf-8")

    def pathways(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [str(venv / "bin" / "pathways"), *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert proc.returncode == 0, f"pathways {' '.join(args)}: {proc.stdout}\n{proc.stderr}"
        return proc

    where = subprocess.run(
        [
            str(python),
            "-c",
            "import pathways, pathways.io.project as p; "
            "print(pathways.__file__); print(p.project_path('notebooks'))",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    package_file, notebooks = where.stdout.split()
    assert Path(package_file).is_relative_to(site), package_file  # the wheel, not a checkout
    assert Path(notebooks) == site / "pathways" / "project_files" / "notebooks"

    pathways("demo-data", "--partnership", "denver", "--scale", "0.3")
    assert "passed the validation gate" in pathways("validate", "denver", "2024").stdout
    export = pathways("indicators", "denver", "2024").stdout
    assert export.startswith("partnership_id,school_year,indicator_id") and "on_time_graduation" in export
    pathways("run", "--partnership", "denver", "--year", "2024", "--workers", "1")
    report = project / "reports" / "runs" / "denver" / "2024"
    assert (report / "export.csv").is_file()
    assert (report / "partnership_report" / "partnership_report.ipynb").is_file()
