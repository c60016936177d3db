"""Shared fixtures: the repository, the registry, and demo data generated once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]


def synthetic_registry(baseline_year: int, **entry):
    """The registry of one synthetic partnership ``syn`` (indicators.synthetic writes its data);
    ``entry`` adds to or replaces fields of its registry entry, such as ``goals``."""
    from pathways.io.registry import Registry

    partnership = {
        "id": "syn",
        "name": "Syn",
        "region": "r",
        "convener": "c",
        "partners": [{"name": "X", "sector": "k12"}],
        "baseline_year": baseline_year,
        "living_wage_usd": 40000,
        "tuition_per_credit_usd": 200,
    }
    return Registry.model_validate({"min_cell_size": 10, "partnerships": [{**partnership, **entry}]})


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def registry():
    from pathways.io.registry import load_registry

    return load_registry(REPO / "partnerships.yml")


@pytest.fixture(scope="session")
def demo_data_small(tmp_path_factory, registry) -> Path:
    """The three demo partnerships at a tenth of their size (fast, same shape)."""
    from pathways.demo import write_demo_data

    data = tmp_path_factory.mktemp("demo-small")
    write_demo_data(data, registry, seed=7, scale=0.1)
    return data


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def notebook_noise(runs: Path) -> list[str]:
    """Errors and stderr (warnings) in the executed notebooks under ``runs``: each would show on a page."""
    import nbformat

    noise = []
    for nb_path in sorted(runs.rglob("*.ipynb")):
        for cell in nbformat.read(nb_path, as_version=4).cells:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    noise.append(f"{nb_path}: {output.get('ename')}")
                elif output.get("output_type") == "stream" and output.get("name") == "stderr":
                    noise.append(f"{nb_path}: stderr {output.get('text', '')[:300]}")
    return noise


def lowest_text_share(page) -> float:
    """How far down a printed (pypdf) page its lowest line of text reaches (0 empty, 1 the bottom edge)."""
    height, lowest = float(page.mediabox.height), [float(page.mediabox.height)]

    def visit(text, cm, tm, font, size):
        if text.strip():
            lowest.append(tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    return 1 - min(lowest) / height
