"""Small-cell suppression: the privacy floor, applied once and centrally before anything leaves the engine.

The indicator modules describe each row with internal columns (``_kind``, ``_noun``,
``_cell_n``, ``_parent``, ``_additive``, ``_total``, see :mod:`pathways.indicators.base`);
this module alone decides what is shown. Rules, with N = the registry's ``min_cell_size``:

1. a rate whose denominator is below N is suppressed. Because a rate row also publishes its
   numerator, a rate whose numerator, or denominator minus numerator, is 1..N-1 is
   suppressed too (otherwise "3 of 250" would show a count of three learners);
2. a count from 1 to N-1 (learners, teachers, employers, credits) is suppressed (the
   report writes "<N"); a mean or median over fewer than N people is suppressed; and a
   row of a learner group with 1 to N-1 learners in grades 9-12 that year is suppressed
   for every indicator (the disclosure audit checks exactly this);
3. complementary: where the groups of an additive breakdown add up to a shown total and
   exactly one group is suppressed, the next smallest group is suppressed too;
4. derived: counts of employers, credits or dollars resting on 1..N-1 learners, odds
   ratios with a term x outcome cell below N, rows whose parent row is suppressed, and
   gaps whose total row is suppressed.

A suppressed row keeps its reason and carries no number in any numeric column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NUMERIC_COLUMNS = (
    "numerator", "denominator", "value", "ci_low", "ci_high", "gap_pp", "gap_moe_pp", "baseline_year",
    "baseline_value", "prior_value", "change_from_prior", "change_from_baseline", "goal_target",
    "goal_target_year", "goal_current", "goal_progress_share",
)
DERIVED_FLAGS = ("is_gap", "goal_on_track")
DERIVED_TEXT = ("change_label",)
COMPLEMENTARY = "suppressed so that a smaller group cannot be worked out"
GAP_COLUMNS = ("gap_pp", "gap_moe_pp", "is_gap")


COUNT_EXEMPT_MEASURES = ("rate", "mean", "odds_ratio", "usd")


def _small(values: pd.Series, n: int) -> pd.Series:
    return (values > 0) & (values < n)


def suppress(table: pd.DataFrame, min_cell_size: int,
             group_sizes: dict[tuple[str, str], int] | None = None) -> pd.DataFrame:
    """Apply rules 1-4 to a long table with the internal columns; returns a new table.

    ``group_sizes`` gives the learners in grades 9-12 of the year per (group_type,
    group_value): a learner group smaller than N is not shown for any indicator, even one
    whose own denominator (a cohort, former learners) is larger, because the group itself
    identifies its few members.
    """
    n = int(min_cell_size)
    t = table.copy()
    if "is_gap" in t:
        t["is_gap"] = t["is_gap"].astype(object)
    if t.empty:
        t["suppressed"] = pd.Series(dtype=bool)
        t["suppression_reason"] = pd.Series(dtype=object)
        return t
    ok = (t["status"] == "ok").to_numpy()
    kind, noun = t["_kind"], t["_noun"].fillna("learners")
    reason = pd.Series([None] * len(t), index=t.index, dtype=object)

    def mark(mask, text) -> None:
        mask = pd.Series(np.asarray(mask, dtype=bool), index=t.index) & reason.isna() & pd.Series(ok, index=t.index)
        if not mask.any():
            return
        reason[mask] = text if isinstance(text, str) else text[mask]

    den, num = t["denominator"], t["numerator"]
    rate = kind == "rate"
    mark(rate & (den < n), f"fewer than {n} " + noun + " in the group")
    if group_sizes:
        size = pd.Series([group_sizes.get((g, v), 0) for g, v in zip(t["group_type"], t["group_value"], strict=True)],
                         index=t.index)
        mark(_small(size, n), f"fewer than {n} learners in the group")
    mark(rate & _small(num, n), f"fewer than {n} " + noun + " counted in the rate")
    mark(rate & _small(den - num, n), f"fewer than {n} " + noun + " not counted in the rate")
    mark((kind == "count") & _small(t["value"], n), f"fewer than {n} " + noun)
    # any other count shown on its own (employers, credits) reads "<N" too
    mark(~t["measure"].isin(COUNT_EXEMPT_MEASURES) & _small(t["value"], n),
         f"fewer than {n} " + t["measure"].str.replace("_", " "))
    mark((kind == "mean") & (den < n), f"fewer than {n} " + noun)
    mark((kind == "odds") & (t["_cell_n"] < n), f"a cell of the model (term x outcome) has fewer than {n} learners")
    mark(kind.isin(["derived", "count"]) & _small(t["_cell_n"], n),
         f"derived from a suppressed cell (fewer than {n} " + noun + ")")
    _inherit(t, reason, ok)
    _complementary(t, reason, ok)
    _inherit(t, reason, ok)

    t["suppressed"] = reason.notna().to_numpy()
    t["suppression_reason"] = reason
    # gaps compare a group with the rest of its total: without a shown total they are not shown
    total_suppressed = _total_suppressed(t)
    blank_gap = t["group_type"].ne("all") & total_suppressed
    for col in GAP_COLUMNS:
        if col in t:
            t.loc[blank_gap, col] = np.nan if col != "is_gap" else None
    return scrub(t)


def _key(frame: pd.DataFrame, measure: pd.Series | None = None) -> pd.Series:
    m = frame["measure"] if measure is None else measure
    return frame["indicator_id"] + "|" + m.astype(str) + "|" + frame["group_type"] + "|" + frame["group_value"]


def _inherit(t: pd.DataFrame, reason: pd.Series, ok: np.ndarray) -> None:
    """Rule 4 through ``_parent``: a row whose parent row (same indicator and group) is suppressed."""
    has_parent = t["_parent"].notna() & reason.isna() & pd.Series(ok, index=t.index)
    if not has_parent.any():
        return
    parents = dict(zip(_key(t[reason.notna()]), reason[reason.notna()], strict=True))
    parent_keys = _key(t[has_parent], t.loc[has_parent, "_parent"])
    for idx, k in parent_keys[parent_keys.isin(set(parents))].items():
        reason[idx] = f"derived from a suppressed cell ({parents[k]})"


def _total_suppressed(t: pd.DataFrame) -> pd.Series:
    """For each row, whether its total row (``_total`` of the same indicator and measure) is suppressed or absent."""
    totals = t["indicator_id"] + "|" + t["measure"] + "|" + t["_total"].fillna("all|all")
    own = _key(t)
    shown = set(own[~t["suppressed"] & (t["status"] == "ok")]) if "suppressed" in t else set()
    return ~totals.isin(shown)


def _complementary(t: pd.DataFrame, reason: pd.Series, ok: np.ndarray) -> None:
    """Rule 3 on additive breakdowns whose total row is shown."""
    additive = t["_additive"].fillna(False).astype(bool) & pd.Series(ok, index=t.index)
    if not additive.any():
        return
    own = _key(t)
    shown_totals = set(own[reason.isna() & pd.Series(ok, index=t.index)])
    size = t["denominator"].where(t["_kind"].isin(["rate", "mean"]), t["value"])
    block = t[additive]
    for _, part in block.groupby(["indicator_id", "measure", "group_type"], sort=False):
        first = part.iloc[0]
        total_key = f"{first['indicator_id']}|{first['measure']}|{first['_total'] or 'all|all'}"
        if total_key not in shown_totals:
            continue
        hidden = reason.loc[part.index].notna()
        if hidden.sum() != 1:
            continue
        candidates = size.loc[part.index[~hidden.to_numpy()]]
        candidates = candidates[candidates > 0]
        if candidates.empty:
            continue
        reason[candidates.idxmin()] = COMPLEMENTARY


def scrub(table: pd.DataFrame) -> pd.DataFrame:
    """No number in any numeric column of a suppressed row (nor a derived flag or change label)."""
    if "suppressed" not in table:
        return table
    sup = table["suppressed"].astype(bool).to_numpy()
    if not sup.any():
        return table
    t = table.copy()
    for col in NUMERIC_COLUMNS:
        if col in t:
            t.loc[sup, col] = np.nan
    for col in DERIVED_FLAGS:
        if col in t:
            t[col] = t[col].astype(object)
            t.loc[sup, col] = None
    for col in DERIVED_TEXT:
        if col in t:
            t.loc[sup, col] = None
    return t


__all__ = ["COMPLEMENTARY", "NUMERIC_COLUMNS", "scrub", "suppress"]
