"""Does the demo's Denver state the figures the Denver partnership publishes? (ASSUMPTIONS.md)

The generator is calibrated so that Denver at scale 1.0 reproduces the partnership's
published 2019-2024 headline figures within the tolerance below. :func:`calibration_figures`
computes them from generated files with the report's own engine (the rows the export
publishes); to see them for several seeds (2024 is the default seed), run from the
project root (where ``partnerships.yml`` is)

    python -m pathways.demo.calibration 2024 1 2 3
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pathways.io.registry import Registry

CALIBRATED_PARTNERSHIP, FROM_YEAR, TO_YEAR = "denver", 2019, 2024


@dataclass(frozen=True)
class Target:
    published: str  # the figure as the partnership states it
    value: float
    low: float
    high: float

    def holds(self, figure: float) -> bool:
        return self.low <= figure <= self.high


TARGETS = {
    "learners_in_pathways_ratio": Target("52% more learners in industry-aligned pathways", 1.52, 1.48, 1.56),
    "credentials_earned_ratio": Target("5x industry-recognized credentials earned", 5.0, 4.6, 5.4),
    "learners_in_wbl_ratio": Target("15% more learners in work-based learning", 1.15, 1.12, 1.18),
    "odds_ratio_2-4 courses": Target(
        "40% higher odds of graduating on time with 2-4 CTE courses", 1.4, 1.25, 1.55
    ),
    "odds_ratio_5+ courses": Target("90% higher odds with 5 or more CTE courses", 1.9, 1.75, 2.05),
    "odds_ratio_mentorship": Target("90% higher odds with a completed mentorship", 1.9, 1.75, 2.05),
}
"""Ratios are 2024 over 2019; odds ratios are fitted on the 2024 cohort by the report's model."""


def calibration_figures(data_dir: Path, registry: Registry) -> dict[str, float]:
    """The calibrated figures of Denver (see :data:`TARGETS`), plus the counts they come from.

    Also the 2024 job shadows the brief states ("N learners in job shadows with M employers").
    """
    from pathways.indicators import compute_series

    series = compute_series(Path(data_dir), registry, CALIBRATED_PARTNERSHIP, TO_YEAR)
    figures: dict[str, float] = {}
    for name, indicator, measure, column in (
        ("learners_in_pathways", "cte_participation", "rate", "numerator"),
        ("credentials_earned", "credential_attainment", "credentials_earned", "value"),
        ("learners_in_wbl", "wbl_participation", "rate", "numerator"),
    ):
        for year in (FROM_YEAR, TO_YEAR):
            figures[f"{name}_{year}"] = _figure(series, year, indicator, measure, column)
        figures[f"{name}_ratio"] = figures[f"{name}_{TO_YEAR}"] / figures[f"{name}_{FROM_YEAR}"]
    for term in ("2-4 courses", "5+ courses", "mentorship"):
        figures[f"odds_ratio_{term}"] = _figure(
            series, TO_YEAR, "graduation_odds_by_cte", "odds_ratio", "value", group=("term", term)
        )
    for measure in ("learners", "employers"):
        figures[f"job_shadow_{measure}_{TO_YEAR}"] = _figure(
            series, TO_YEAR, "wbl_by_type", measure, "value", group=("wbl_type", "job_shadow")
        )
    return figures


def _figure(
    series: pd.DataFrame,
    year: int,
    indicator: str,
    measure: str,
    column: str,
    group: tuple[str, str] = ("all", "all"),
) -> float:
    rows = series[
        (series["school_year"] == year)
        & (series["indicator_id"] == indicator)
        & (series["measure"] == measure)
        & (series["group_type"] == group[0])
        & (series["group_value"] == group[1])
    ]
    if len(rows) != 1 or rows["status"].iloc[0] != "ok" or bool(rows["suppressed"].iloc[0]):
        raise ValueError(f"{indicator} {measure} {group} of {year}: no single published figure")
    return float(rows[column].iloc[0])


def main(argv: list[str] | None = None) -> int:
    """Generate Denver for each seed given, print its calibrated figures and how many seeds land in range."""
    from pathways.demo import DEFAULT_SEED, write_demo_data
    from pathways.io.registry import load_registry

    seeds = [int(a) for a in (sys.argv[1:] if argv is None else argv)] or [DEFAULT_SEED]
    registry = load_registry(Path("partnerships.yml"))
    landed = dict.fromkeys(TARGETS, 0)
    print("seed  " + "  ".join(f"{name:>24}" for name in TARGETS) + "  job shadows")
    for seed in seeds:
        with tempfile.TemporaryDirectory() as folder:
            write_demo_data(
                Path(folder), registry, seed=seed, scale=1.0, partnerships=[CALIBRATED_PARTNERSHIP]
            )
            figures = calibration_figures(Path(folder), registry)
        cells = []
        for name, target in TARGETS.items():
            landed[name] += target.holds(figures[name])
            cells.append(f"{figures[name]:>22.3f} {'ok' if target.holds(figures[name]) else '--'}")
        print(
            f"{seed:<6}"
            + "  ".join(cells)
            + f"  {figures[f'job_shadow_learners_{TO_YEAR}']:.0f} with {figures[f'job_shadow_employers_{TO_YEAR}']:.0f}"
        )
    print("in range" + "".join(f"  {n:>19} of {len(seeds)}" for n in landed.values()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
