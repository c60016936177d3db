"""Trends on the all-learners rows: baseline, prior year, changes and a change label in words.

Rates (and survey means) change in points; counts and dollars change relatively, because
"52% more credentials" is what a reader compares across partnerships of different size.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

DIFFERENCE_MEASURES = ("rate", "mean")
NO_TREND_MEASURES = ("odds_ratio",)
NO_TREND_INDICATORS = ("graduation_odds_by_cte",)


def change(current: float, reference: float, measure: str) -> float:
    """Difference for rates and means (proportion units), relative change for counts and dollars."""
    if _missing(current) or _missing(reference):
        return math.nan
    if measure in DIFFERENCE_MEASURES:
        return float(current) - float(reference)
    if reference == 0:
        return math.nan
    return (float(current) - float(reference)) / float(reference)


def change_label(change_value: float, measure: str, since: int, current: float = math.nan,
                 reference: float = math.nan) -> str | None:
    """"up 5.2 points since 2019", "52% increase since 2019", "5.0x since 2019", "no change since 2019"."""
    if _missing(change_value):
        return None
    if measure == "rate":
        points = round(change_value * 100, 1)
        if points == 0:
            return f"no change since {since}"
        return f"{'up' if points > 0 else 'down'} {abs(points):.1f} points since {since}"
    if measure == "mean":
        diff = round(change_value, 2)
        if diff == 0:
            return f"no change since {since}"
        return f"{'up' if diff > 0 else 'down'} {abs(diff):.2f} points since {since}"
    ratio = 1 + change_value
    if ratio >= 2:
        return f"{ratio:.1f}x since {since}"
    pct = round(change_value * 100)
    if pct == 0:
        return f"no change since {since}"
    return f"{abs(pct):.0f}% {'increase' if pct > 0 else 'decrease'} since {since}"


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def add_trends(current: pd.DataFrame, series: pd.DataFrame, baseline_year: int, year: int) -> pd.DataFrame:
    """Fill the trend columns of the shown all-learners rows of ``current`` from ``series``."""
    out = current.copy()
    for col in ("baseline_year", "baseline_value", "prior_value", "change_from_prior", "change_from_baseline"):
        out[col] = np.nan
    out["change_label"] = None
    if series is None or series.empty:
        return out
    usable = series[(series["group_type"] == "all") & (series["status"] == "ok")]
    earlier = usable[usable["school_year"] < year]
    prior_year = int(earlier["school_year"].max()) if not earlier.empty else None
    values = {(r.indicator_id, r.measure, int(r.school_year)): (np.nan if bool(r.suppressed) else r.value)
              for r in usable.itertuples()}
    target = (out["group_type"] == "all") & (out["status"] == "ok") & ~out["suppressed"].astype(bool) \
        & ~out["measure"].isin(NO_TREND_MEASURES) & ~out["indicator_id"].isin(NO_TREND_INDICATORS)
    for idx in out.index[target.to_numpy()]:
        r = out.loc[idx]
        key = (r["indicator_id"], r["measure"])
        out.loc[idx, "baseline_year"] = baseline_year
        base = values.get((*key, baseline_year), np.nan)
        prior = values.get((*key, prior_year), np.nan) if prior_year is not None else np.nan
        out.loc[idx, "baseline_value"] = base
        out.loc[idx, "prior_value"] = prior
        out.loc[idx, "change_from_prior"] = change(r["value"], prior, r["measure"])
        if year > baseline_year:
            c = change(r["value"], base, r["measure"])
            out.loc[idx, "change_from_baseline"] = c
            out.loc[idx, "change_label"] = change_label(c, r["measure"], baseline_year)
    return out
