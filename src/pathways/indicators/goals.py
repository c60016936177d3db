"""Progress against the registry's goals, on the goal indicator's all-learners row.

Progress needs the goal's figure exactly in both the baseline year and year Y: a suppressed or
coded (top/bottom-coded) row gives no number to measure progress from, so none is shown.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pathways.io.catalogue import Indicator, load_catalogue
from pathways.io.registry import Partnership


def goal_measure_row(ind: Indicator, measure: str) -> tuple[str, str]:
    """(row measure, column) holding the quantity a goal of ``measure`` tracks: the main row of the
    indicator (its rate, count, dollars or mean), or for a "count" goal on a rate the count the
    catalogue names (``goal_count``), else the learners the rate counts. A "rate" goal reads rate rows
    only, which an indicator that is not a rate does not have."""
    if measure == "rate":
        return "rate", "value"
    if measure == "count" and ind.unit == "rate":
        return (ind.goal_count, "value") if ind.goal_count else ("rate", "numerator")
    return ind.main_measure, "value"


def on_track(
    current: float,
    baseline: float,
    target: float,
    baseline_year: int,
    target_year: int,
    year: int,
    better: str = "higher",
) -> bool | None:
    """Whether ``current`` meets the straight line from (baseline_year, baseline) to (target_year, target) at ``year``.

    After the target year the line stays at the target. The indicator's direction (``better``) says
    which side of the line meets it, never the target's place beside the baseline: a partnership
    whose baseline already beat its target is on track while it stays at or above the line.
    """
    if any(math.isnan(float(v)) for v in (current, baseline, target)):
        return None
    frac = min(1.0, max(0.0, (year - baseline_year) / (target_year - baseline_year)))
    line = baseline + (target - baseline) * frac
    eps = 1e-12
    return bool(current >= line - eps) if better == "higher" else bool(current <= line + eps)


def is_met(current: float, target: float, better: str = "higher") -> bool | None:
    """Whether ``current`` has reached the target itself (at or above it for a goal of "higher")."""
    if any(math.isnan(float(v)) for v in (current, target)):
        return None
    eps = 1e-12
    return bool(current >= target - eps) if better == "higher" else bool(current <= target + eps)


def progress_share(current: float, baseline: float, target: float, better: str = "higher") -> float:
    """The share of the way from the baseline to the target; none (NaN) when the baseline already
    met the target, where there is no way to go."""
    gap = (target - baseline) if better == "higher" else (baseline - target)
    if math.isnan(gap) or gap <= 0:
        return math.nan
    return (current - baseline) / (target - baseline)


def _exact(r: pd.Series) -> bool:
    shown = r.get("shown_as")
    if shown is None or (isinstance(shown, float) and math.isnan(shown)):
        shown = "suppressed" if bool(r["suppressed"]) else "exact"
    return r["status"] == "ok" and shown == "exact"


def add_goals(
    current: pd.DataFrame, series: pd.DataFrame, partnership: Partnership, year: int
) -> pd.DataFrame:
    out = current.copy()
    for col in ("goal_target", "goal_target_year", "goal_current", "goal_progress_share"):
        out[col] = np.nan
    out["goal_measure"] = None
    out["goal_on_track"] = None
    catalogue = load_catalogue()
    b_year = partnership.baseline_year
    for goal in partnership.goals:
        ind = catalogue.get(goal.indicator)
        measure, column = goal_measure_row(ind, goal.measure)
        sel = (
            (out["indicator_id"] == goal.indicator)
            & (out["group_type"] == "all")
            & (out["measure"] == measure)
        )
        if not sel.any():
            continue
        idx = out.index[sel.to_numpy()][0]
        r = out.loc[idx]
        if not _exact(r):
            continue
        out.loc[idx, "goal_measure"] = goal.measure
        out.loc[idx, "goal_target"] = goal.target
        out.loc[idx, "goal_target_year"] = goal.target_year
        base_rows = (
            series[
                (series["indicator_id"] == goal.indicator)
                & (series["group_type"] == "all")
                & (series["measure"] == measure)
                & (series["school_year"] == b_year)
            ]
            if series is not None and not series.empty
            else series
        )
        base = math.nan
        if base_rows is not None and not base_rows.empty and _exact(base_rows.iloc[0]):
            base = float(base_rows.iloc[0][column])
        now = float(r[column])
        if math.isnan(base) or math.isnan(now):
            continue  # progress needs the baseline: without it (not submitted, suppressed) none is shown
        if goal.measure == "change_from_baseline_pct":
            # measured in percent of the baseline, which is 0% of itself
            now = (now / base - 1) * 100 if base else math.nan
            base = 0.0
        out.loc[idx, "goal_current"] = now
        out.loc[idx, "goal_progress_share"] = progress_share(now, base, goal.target, ind.better)
        out.loc[idx, "goal_on_track"] = on_track(
            now, base, goal.target, b_year, goal.target_year, year, ind.better
        )
    return out
