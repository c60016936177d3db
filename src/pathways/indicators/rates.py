"""Interval and gap arithmetic shared by every rate, vectorised over numpy arrays."""

from __future__ import annotations

import numpy as np

# The exact normal quantile, so the interval matches statsmodels' proportion_confint(method="wilson").
Z95 = 1.959963984540054
# The equity-gap margin of error uses the rounded 1.96 that the methods page states.
GAP_Z = 1.96


def wilson(numerator, denominator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rate and 95% Wilson score interval; NaN where the denominator is zero.

    Wilson rather than the normal approximation because it stays inside [0, 1] and keeps
    sensible coverage for the small groups that disaggregation produces.
    """
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, x / n, np.nan)
        z2 = Z95 * Z95
        denom = 1 + z2 / n
        center = (p + z2 / (2 * n)) / denom
        half = Z95 * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
        # rounding can put a bound a hair past the rate at 0 or 1 (5e-17 for 0 of 3)
        low = np.minimum(np.clip(center - half, 0.0, 1.0), p)
        high = np.maximum(np.clip(center + half, 0.0, 1.0), p)
    return p, np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


def equity_gap(x_group, n_group, x_total, n_total) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gap in percentage points between a group and all other learners, its 95% margin, and the flag.

    "All other learners" are the total's members outside the group (total minus group), so the
    comparison never includes the group itself. ``is_gap`` is True only when the whole
    interval lies below zero; NaN/False where either side is empty.
    """
    x1 = np.asarray(x_group, dtype=float)
    n1 = np.asarray(n_group, dtype=float)
    x2 = np.asarray(x_total, dtype=float) - x1
    n2 = np.asarray(n_total, dtype=float) - n1
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (n1 > 0) & (n2 > 0)
        p1 = np.where(ok, x1 / n1, np.nan)
        p2 = np.where(ok, x2 / n2, np.nan)
        gap = (p1 - p2) * 100
        moe = GAP_Z * np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * 100
    gap = np.where(ok, gap, np.nan)
    moe = np.where(ok, moe, np.nan)
    is_gap = ok & (gap + moe < 0)
    return gap, moe, is_gap
