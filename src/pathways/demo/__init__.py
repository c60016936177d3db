"""Synthetic demo data: every contract file for the registry's demo partnerships.

The demo lets anyone build the whole book without real learner records, and lets tests
check the indicators against effects that were put in on purpose (see ASSUMPTIONS.md
and :data:`TRUE_GRADUATION_ODDS_RATIOS`). No real learner is represented. Denver, at the
default seed and scale, reproduces the Denver partnership's published 2019-2024 figures
(:mod:`pathways.demo.calibration`).

Learners are simulated as persons followed across years (grades 6-12, one grade per
year, transfers in and out), so every longitudinal rule of the data contract holds by
construction. The simulation is vectorised with numpy: scale 70 (about a million
learners a year) runs in minutes, and the same seed gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from pathways.demo.files import BUILDERS
from pathways.demo.outcomes import TRUE_COVARIATE_ODDS_RATIOS, TRUE_GRADUATION_ODDS_RATIOS
from pathways.demo.profiles import PROFILES, Profile, partnership_offset, profile_for
from pathways.demo.simulate import simulate
from pathways.demo.writer import write_csv
from pathways.errors import PathwaysError
from pathways.io.dictionary import load_dictionary
from pathways.io.paths import check_year, submission_dir
from pathways.io.registry import Partnership, Registry

DEFAULT_YEARS = range(2019, 2025)
DEFAULT_SEED = 2024  # the seed the calibration to published figures is checked at (calibration.py)


class DemoDataError(PathwaysError):
    """The demo generator was asked for something it must not do (a real partnership, bad sizes)."""


def write_demo_data(
    data_dir: Path,
    registry: Registry,
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    partnerships: Sequence[str] | None = None,
    years: Iterable[int] = DEFAULT_YEARS,
) -> list[Path]:
    """Write ``<data_dir>/<partnership>/<year>/<file>.csv`` for each demo partnership; return the paths.

    Only partnerships marked ``is_demo: true`` are written, so the generator can never
    overwrite a real partnership's submissions. A file the year has no records for is
    left out (and removed if an earlier run wrote it), as the contract asks.
    """
    chosen = _demo_partnerships(registry, partnerships)
    written_years = _check_years(years)
    if not np.isfinite(scale) or scale <= 0:
        raise DemoDataError(f"scale must be a positive number, not {scale}")
    paths: list[Path] = []
    for partnership in chosen:
        paths += _write_partnership(Path(data_dir), partnership, seed=seed, scale=scale, years=written_years)
    return paths


def _demo_partnerships(registry: Registry, wanted: Sequence[str] | None) -> list[Partnership]:
    demo = [p for p in registry.partnerships if p.is_demo]
    if wanted is None:
        return demo
    by_id = {p.id: p for p in registry.partnerships}
    for pid in wanted:
        if pid not in by_id:
            raise DemoDataError(f"partnership {pid!r} is not in the registry (known: {', '.join(by_id)})")
        if not by_id[pid].is_demo:
            raise DemoDataError(
                f"partnership {pid!r} is not a demo partnership (is_demo: true); "
                "the demo generator never writes into a real partnership's folder"
            )
    return [p for p in demo if p.id in set(wanted)]


def _check_years(years: Iterable[int]) -> np.ndarray:
    checked = sorted({check_year(y) for y in years})
    if not checked:
        raise DemoDataError("no school years to write")
    return np.array(checked, dtype=np.int64)


def _write_partnership(
    data_dir: Path, partnership: Partnership, *, seed: int, scale: float, years: np.ndarray
) -> list[Path]:
    profile = profile_for(partnership.id)
    rng = np.random.default_rng(seed + partnership_offset(partnership.id))
    sim = simulate(rng, _with_registry_values(profile, partnership), scale, years)
    dictionary = load_dictionary()
    paths = []
    for year in years:
        folder = submission_dir(data_dir, partnership.id, int(year))
        for name, build in BUILDERS.items():
            spec = dictionary.file(name)
            path = folder / spec.filename
            columns = build(sim, int(year))
            if columns is None:
                path.unlink(missing_ok=True)
                continue
            paths.append(write_csv(path, spec, columns))
    return paths


def _with_registry_values(profile: Profile, partnership: Partnership) -> Profile:
    """The profile, with the living wage taken from the registry (what the wage indicator compares to)."""
    return replace(profile, living_wage_usd=partnership.living_wage_usd)


__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_YEARS",
    "PROFILES",
    "TRUE_COVARIATE_ODDS_RATIOS",
    "TRUE_GRADUATION_ODDS_RATIOS",
    "DemoDataError",
    "write_demo_data",
]
