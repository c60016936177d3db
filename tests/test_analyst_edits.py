"""An analyst's edits reach the built book (issue 15, "Done when"): a reworded paragraph, an added
Markdown cell and an added seaborn chart in the report notebook appear in the page of a
partnership-year after `pathways run` for it and `pathways build`."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

pytestmark = pytest.mark.slow

PARTNERSHIP, YEAR = "san-luis-valley", 2024
ORIGINAL = "A learner who completes a career and technical education (CTE) course is a *participant*;"
REWORDED = "In our valley, a learner who completes one career and technical education (CTE) course is a *participant*;"
ADDED = """
# %% [markdown]
# ### Our own look at concentration
#
# Drawn in the notebook with seaborn, from the report's own rows.

# %% tags=["remove-input"]
import matplotlib.pyplot as plt
import seaborn as sns

rows = ctx.breakdown("cte_concentration")
fig, ax = plt.subplots(figsize=(7, 5))
sns.barplot(data=rows, x="value", y="label", ax=ax)
charts.figure(fig, "CTE concentration by group, drawn by an analyst", rows)
"""


def _copy_project(repo: Path, to: Path) -> Path:
    skip = {
        ".git",
        ".venv",
        "data",
        "reports",
        "_build",
        "scratch",
        "benchmarks",
        ".pytest_cache",
        ".ruff_cache",
        "node_modules",
    }
    to.mkdir(parents=True, exist_ok=True)
    for item in repo.iterdir():
        if item.name.startswith(".coverage"):
            continue
        if item.name in skip:
            continue
        target = to / item.name
        if item.is_dir():
            shutil.copytree(
                item, target, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", ".coverage*")
            )
        else:
            shutil.copy2(item, target)
    return to


def _pathways(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}  # the copy's package, so its notebooks and book
    exe = Path(sys.executable).with_name("pathways")
    return subprocess.run(
        [str(exe), *args], cwd=project, capture_output=True, text=True, timeout=1800, env=env
    )


def test_a_reworded_paragraph_and_an_added_seaborn_chart_appear_in_the_built_page(
    repo, tmp_path, demo_data_small
):
    project = _copy_project(repo, tmp_path / "project")
    shutil.copytree(demo_data_small / PARTNERSHIP, project / "data" / PARTNERSHIP)
    source = project / "notebooks" / "partnership_report.py"
    text = source.read_text(encoding="utf-8")
    assert ORIGINAL in text
    text = text.replace(ORIGINAL, REWORDED)
    marker = '# %% tags=["remove-input"]\nctx.tables("pathways")\n'
    assert marker in text
    source.write_text(text.replace(marker, marker + ADDED), encoding="utf-8")
    sync = subprocess.run(
        [str(Path(sys.executable).with_name("jupytext")), "--sync", str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert sync.returncode == 0, sync.stderr
    paired = jupytext.read(source.with_suffix(".ipynb"))
    assert any("drawn by an analyst" in c.source for c in paired.cells)  # the .ipynb the runner executes

    run = _pathways(project, "run", "--partnership", PARTNERSHIP, "--year", str(YEAR))
    assert run.returncode == 0, run.stdout + run.stderr
    build = _pathways(project, "build")
    assert build.returncode == 0, build.stdout + build.stderr

    page = (project / "_build" / "html" / "partnerships" / PARTNERSHIP / f"{YEAR}.html").read_text(
        encoding="utf-8"
    )
    assert (
        "In our valley, a learner who completes one career and technical education (CTE) course is a" in page
    )
    assert "Our own look at concentration" in page and "Drawn in the notebook with seaborn" in page
    figure = re.search(
        r'<figure class="pw-figure" id="(figure-\d+-cte-concentration-by-group-drawn-by-an-analyst)">'
        r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"',
        page,
    )
    assert figure, "the analyst's chart is not a numbered figure of the page"
    assert figure.group(3).startswith("Chart: CTE concentration by group, drawn by an analyst.")
    assert b"<svg" in base64.b64decode(figure.group(2))
    download = re.search(rf'download="{figure.group(1)}.csv" href="data:text/csv;base64,([^"]+)"', page)
    assert (
        base64.b64decode(download.group(1))
        .decode()
        .startswith("partnership_id,school_year,indicator_id,measure,group_type,group_value")
    )
    assert "{glue" not in page  # every glued value was pasted
