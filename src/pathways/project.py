"""Where a notebook run by hand reads and writes when its parameters cell leaves a path ``None``.

The runner injects every path a notebook declares. An analyst who opens a notebook in
JupyterLab, or runs it with ``jupyter nbconvert --execute``, gets the project's demo inputs
and a scratch folder instead, so a run by hand never writes into the runner's output
(``reports/``) behind the manifest's back.
"""

from __future__ import annotations

import os
from pathlib import Path

REGISTRY_FILE = "partnerships.yml"


def project_root() -> Path:
    """``$PATHWAYS_PROJECT``, else the nearest folder at or above the cwd holding ``partnerships.yml``, else the cwd."""
    env = os.environ.get("PATHWAYS_PROJECT")
    if env:
        return Path(env).expanduser().resolve()
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / REGISTRY_FILE).is_file():
            return folder
    return cwd


def scratch_dir() -> Path:
    """``$PATHWAYS_SCRATCH``, else ``<project>/scratch`` (gitignored)."""
    env = os.environ.get("PATHWAYS_SCRATCH")
    return Path(env).expanduser().resolve() if env else project_root() / "scratch"


def resolve_paths(
    data_dir: str | Path | None, registry: str | Path | None, output_dir: str | Path | None, *, job: str
) -> tuple[Path, Path, Path]:
    """The notebook's data folder, registry and output folder: given values as Paths, ``None`` as the defaults.

    ``job`` names the scratch subfolder of a run by hand (``denver/2024/partnership_report``).
    """
    root = project_root()
    return (
        Path(data_dir) if data_dir is not None else root / "data",
        Path(registry) if registry is not None else root / REGISTRY_FILE,
        Path(output_dir) if output_dir is not None else scratch_dir() / job,
    )


__all__ = ["project_root", "resolve_paths", "scratch_dir"]
