"""Notebooks the tests drop into a notebooks folder, as an analyst would (an .ipynb and its pair)."""

from __future__ import annotations

import shutil
from pathlib import Path

import jupytext
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def write_notebook(
    folder: Path, stem: str, cells: list[tuple[str, str, list[str]]], *, pathways: dict | None = None
) -> Path:
    """Write ``<stem>.ipynb`` and its jupytext ``.py`` pair; cells are (kind, source, tags)."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    if pathways:
        nb.metadata["pathways"] = pathways
        nb.metadata["jupytext"]["notebook_metadata_filter"] = "pathways"
    for kind, source, tags in cells:
        cell = new_markdown_cell(source) if kind == "markdown" else new_code_cell(source)
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    path = Path(folder) / f"{stem}.ipynb"
    nbformat.write(nb, path)
    jupytext.write(nb, path.with_suffix(".py"), fmt="py:percent")
    return path


def copy_notebooks(repo: Path, target: Path) -> Path:
    """A copy of the project's notebooks folder (each .ipynb with its pair)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in (repo / "notebooks").iterdir():
        if path.suffix in (".ipynb", ".py"):
            shutil.copy2(path, target / path.name)
    return target


def closer_look(folder: Path, *, extra: str = "") -> Path:
    """A partnership-year analysis: its own title, a paragraph, a seaborn chart, a file in its folder."""
    return write_notebook(
        folder,
        "closer_look",
        [
            ("markdown", "# A closer look: work-based learning", []),
            (
                "code",
                'partnership = "denver"\nyear = 2024\ndata_dir = None\noutput_dir = None',
                ["parameters"],
            ),
            ("markdown", "An analyst's paragraph about the partnership-year.", []),
            (
                "code",
                "import pathlib\n\nimport matplotlib.pyplot as plt\nimport seaborn as sns\n\n"
                "pathlib.Path(output_dir, 'note.txt').write_text(f'{partnership} {year}')\n"
                "learners = sum(1 for _ in open(pathlib.Path(data_dir, partnership, str(year), 'learners.csv'))) - 1\n"
                "ax = sns.barplot(x=['learners'], y=[learners])\nax.set_title(f'{partnership} {year}')\nplt.show()"
                + (f"\n{extra}" if extra else ""),
                ["remove-input"],
            ),
            ("code", "print(f'LEARNERS-IN-FILE {learners}')", ["remove-input"]),
        ],
    )


def state_summary(folder: Path) -> Path:
    """A once-notebook reading the partnership-years' exports the runner wrote."""
    return write_notebook(
        folder,
        "state_summary",
        [
            ("markdown", "# Every partnership-year at a glance", []),
            ("code", "runs_dir = None", ["parameters"]),
            (
                "code",
                "import pathlib\n\nexports = sorted(pathlib.Path(runs_dir).glob('*/*/export.csv'))\n"
                "print('EXPORTS-READ', len(exports))",
                ["remove-input"],
            ),
        ],
    )


def tiny(
    folder: Path,
    stem: str = "tiny",
    *,
    body: str = "pass",
    pathways: dict | None = None,
    title: str = "A tiny analysis",
) -> Path:
    """A partnership-year notebook that does almost nothing (fast), with ``body`` as its one code cell."""
    return write_notebook(
        folder,
        stem,
        [
            ("markdown", f"# {title}", []),
            ("code", 'partnership = "denver"\nyear = 2024\noutput_dir = None', ["parameters"]),
            (
                "code",
                "import pathlib\n\npathlib.Path(output_dir, 'made.txt').write_text(f'{partnership} {year}')\n"
                + body,
                ["remove-input"],
            ),
        ],
        pathways=pathways,
    )
