"""Where a notebook run by hand reads and writes when its parameters cell leaves a path ``None``.

The runner injects every path a notebook declares. An analyst who opens a notebook in
JupyterLab, or runs it with ``jupyter nbconvert --execute``, gets the project's demo inputs
and a scratch folder instead, so a run by hand never writes into the runner's output
(``reports/``) behind the manifest's back.
"""

from __future__ import annotations

import os
from importlib.resources import files
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


# What the package reads from the project besides the data: the report notebooks, the book's
# hand-written pages and configuration, the clerks' templates, the generated GX suites and the
# changelog the book shows (the GX suites are built in memory from the dictionary). A wheel ships a copy of each (setup.py's build step), so an
# ordinary install runs from any folder; a project overrides any of them with its own.
PROJECT_FILES = ("notebooks", "book", "data_templates", "_config.yml", "_toc.yml", "CHANGELOG.md")
SHIPPED = "project_files"


def checkout_root() -> Path | None:
    """The source checkout the package is imported from (an editable install or PYTHONPATH), if any."""
    root = Path(__file__).resolve().parents[3]  # <root>/src/pathways/io/project.py
    return root if (root / "pyproject.toml").is_file() and (root / "src" / "pathways").is_dir() else None


def project_path(name: str) -> Path:
    """Where the project file or folder ``name`` (one of :data:`PROJECT_FILES`) is read from.

    The project's own (under :func:`project_root`) when it has one, else the copy a wheel ships
    (``pathways/project_files/``), else the source checkout's. A name found nowhere resolves
    under the project, so the caller's error names the place a user would put it.
    """
    if name not in PROJECT_FILES:
        raise ValueError(f"{name!r} is not a project file")
    own = project_root() / name
    if own.exists():
        return own
    shipped = Path(str(files("pathways"))) / SHIPPED / name
    if shipped.exists():
        return shipped
    checkout = checkout_root()
    if checkout is not None and (checkout / name).exists():
        return checkout / name
    return own


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


__all__ = ["checkout_root", "project_path", "project_root", "resolve_paths", "scratch_dir"]
