"""Trends of year Y against the baseline and the prior year, and the trend of each equity gap.

One unit per column: rates change in percentage points (``change_from_*_pp``), counts and
dollars relatively in percent (``change_from_*_pct``: "52% more credentials" is what a reader
compares across partnerships of different size), survey means in rating points
(``change_from_*_diff``). A rate's numerator is a count of learners too, and partnerships
state its change that way ("52% more learners in pathways"): ``numerator_change_from_*_pct``.

Trend columns are filled on the exact ``all`` rows and the ``population`` row (concentrators);
gap trends on the exact rows of the five learner breakdowns. A year whose row was suppressed
or coded gives no number to compare with, so the change is left blank.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pathways.io.export import GAP_TREND_COLUMNS, TREND_COLUMNS

NO_TREND_MEASURES = ("odds_ratio",)
NO_TREND_INDICATORS = ("graduation_odds_by_cte",)
TREND_GROUP_TYPES = ("all", "population")
# Which change column a measure's change goes to, and in what unit.
_SUFFIX = {"rate": "pp", "mean": "diff"}


def change(current: float, reference: float, measure: str) -> float:
    """The change in the measure's own unit: points for rates (0.13 -> 13.0), rating points for
    means, percent for counts and dollars (a 5x count is 400.0)."""
    if _missing(current) or _missing(reference):
        return math.nan
    if measure == "rate":
        return (float(current) - float(reference)) * 100
    if measure == "mean":
        return float(current) - float(reference)
    return relative_change_pct(current, reference)


def relative_change_pct(current: float, reference: float) -> float:
    """(current - reference) / reference in percent; blank when the reference is 0 or missing."""
    if _missing(current) or _missing(reference) or float(reference) == 0:
        return math.nan
    return (float(current) / float(reference) - 1) * 100


def change_column(measure: str, against: str) -> str:
    """``change_from_baseline_pp`` for a rate, ``..._diff`` for a mean, ``..._pct`` otherwise."""
    return f"change_from_{against}_{_SUFFIX.get(measure, 'pct')}"


def change_label(change_value: float, measure: str, since: int) -> str | None:
    """ "up 5.2 points since 2019", "52% increase since 2019", "5.0x since 2019", "no change since 2019".

    ``change_value`` is in the measure's unit (see :func:`change`).
    """
    if _missing(change_value):
        return None
    if measure == "rate":
        points = round(change_value, 1)
        if points == 0:
            return f"no change since {since}"
        return f"{'up' if points > 0 else 'down'} {abs(points):.1f} points since {since}"
    if measure == "mean":
        diff = round(change_value, 2)
        if diff == 0:
            return f"no change since {since}"
        return f"{'up' if diff > 0 else 'down'} {abs(diff):.2f} points since {since}"
    ratio = 1 + change_value / 100
    if ratio >= 2:
        return f"{ratio:.1f}x since {since}"
    pct = round(change_value)
    if pct == 0:
        return f"no change since {since}"
    return f"{abs(pct):.0f}% {'increase' if pct > 0 else 'decrease'} since {since}"


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _exact(frame: pd.DataFrame) -> pd.Series:
    """Rows a later year may be compared with: status ok and shown exactly."""
    shown = (
        frame["shown_as"]
        if "shown_as" in frame
        else pd.Series(np.where(frame["suppressed"].astype(bool), "suppressed", "exact"), index=frame.index)
    )
    return (frame["status"] == "ok") & (shown == "exact")


def add_trends(current: pd.DataFrame, series: pd.DataFrame, baseline_year: int, year: int) -> pd.DataFrame:
    """Fill the trend columns of the exact all-learners (and population) rows of ``current`` from ``series``."""
    out = current.copy()
    for col in TREND_COLUMNS:
        out[col] = np.nan
    out["change_label"] = None
    if series is None or series.empty:
        return out
    usable = series[series["group_type"].isin(TREND_GROUP_TYPES) & (series["status"] == "ok")]
    earlier = usable[usable["school_year"] < year]
    prior_year = int(earlier["school_year"].max()) if not earlier.empty else None
    exact = _exact(usable)
    past = {
        (r.indicator_id, r.measure, r.group_type, r.group_value, int(r.school_year)): (r.value, r.numerator)
        if ok
        else (np.nan, np.nan)
        for r, ok in zip(usable.itertuples(), exact, strict=True)
    }
    target = (
        out["group_type"].isin(TREND_GROUP_TYPES)
        & _exact(out)
        & ~out["measure"].isin(NO_TREND_MEASURES)
        & ~out["indicator_id"].isin(NO_TREND_INDICATORS)
    )
    for idx in out.index[target.to_numpy()]:
        r = out.loc[idx]
        key = (r["indicator_id"], r["measure"], r["group_type"], r["group_value"])
        measure = r["measure"]
        out.loc[idx, "baseline_year"] = baseline_year
        against = {"baseline": baseline_year}
        if prior_year is not None:
            out.loc[idx, "prior_year"] = prior_year
            against["prior"] = prior_year
        for name, y in against.items():
            value, numerator = past.get((*key, y), (np.nan, np.nan))
            out.loc[idx, f"{name}_value"] = value
            if name == "baseline" and y == year:
                continue  # the baseline year itself: nothing changed yet
            out.loc[idx, change_column(measure, name)] = change(r["value"], value, measure)
            if measure == "rate":
                out.loc[idx, f"{name}_numerator"] = numerator
                out.loc[idx, f"numerator_change_from_{name}_pct"] = relative_change_pct(
                    r["numerator"], numerator
                )
        if year > baseline_year:
            out.loc[idx, "change_label"] = change_label(
                out.loc[idx, change_column(measure, "baseline")], measure, baseline_year
            )
    return out


def gap_trend(gap_now: float, gap_baseline: float, margin: float) -> str | None:
    """Whether a gap closed: ``narrowing`` when its distance from zero shrank by more than the margin
    of error of the change, ``widening`` when it grew by more, ``no_clear_change`` otherwise.

    Distance from zero, not the signed change: a gap of -10 that becomes +15 has reversed, and
    is five points larger, not "narrowing". Since ``| |a| - |b| | <= |a - b|``, the margin of the
    change is a conservative margin for the change in distance.
    """
    if _missing(gap_now) or _missing(gap_baseline) or _missing(margin):
        return None
    shrink = abs(gap_baseline) - abs(gap_now)
    if shrink > margin:
        return "narrowing"
    if -shrink > margin:
        return "widening"
    return "no_clear_change"


def add_gap_trends(
    current: pd.DataFrame, series: pd.DataFrame, baseline_year: int, year: int
) -> pd.DataFrame:
    """Fill the gap-trend columns of every exact row with a gap, against the same group's gap at baseline.

    The change's margin of error combines the two years' margins as independent estimates
    (sqrt(m_now^2 + m_base^2)); learners in both years make the two estimates positively
    correlated, which makes this margin conservative.
    """
    out = current.copy()
    for col in GAP_TREND_COLUMNS:
        out[col] = np.nan
    out["gap_trend"] = None
    if series is None or series.empty or year <= baseline_year:
        return out
    base = series[(series["school_year"] == baseline_year) & series["gap_pp"].notna() & _exact(series)]
    gaps = {
        (r.indicator_id, r.measure, r.group_type, r.group_value): (r.gap_pp, r.gap_moe_pp)
        for r in base.itertuples()
    }
    target = out["gap_pp"].notna() & _exact(out)
    for idx in out.index[target.to_numpy()]:
        r = out.loc[idx]
        then = gaps.get((r["indicator_id"], r["measure"], r["group_type"], r["group_value"]))
        if then is None:
            continue
        change_pp = float(r["gap_pp"]) - float(then[0])
        margin = math.hypot(float(r["gap_moe_pp"]), float(then[1]))
        out.loc[idx, "gap_baseline_pp"] = then[0]
        out.loc[idx, "gap_change_pp"] = change_pp
        out.loc[idx, "gap_change_moe_pp"] = margin
        out.loc[idx, "gap_trend"] = gap_trend(r["gap_pp"], then[0], margin)
    return out
